/* Locale and message catalogue set-up shared by the kiosk and its tools. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sets the locale from the environment and binds the message catalogue,
 * from $HEALTHPOST_LOCALEDIR when set (a build tree) or the installed one. */
void hp_i18n_init         (void);

/* Makes @code (e.g. "es") the language of messages from now on. */
void hp_i18n_set_language (const char *code);

/* The languages the kiosk has messages in, English first: po/LINGUAS,
 * read at build time, is the one list of them. */
const char * const *hp_i18n_get_languages (void);

/* What @code's language calls itself ("Español" for "es"), so a patient
 * finds their own; %NULL for a language this table does not know. */
const char *hp_i18n_get_native_name (const char *code);

/* Whether @code's script is written from right to left, so screens in it
 * are laid out mirrored. */
gboolean hp_i18n_is_right_to_left (const char *code);

/* The language after @current in @languages (a non-empty list), going
 * round to the first; the first when @current is not in it. */
const char *hp_i18n_next_language (const char * const *languages,
                                   const char         *current);

G_END_DECLS
