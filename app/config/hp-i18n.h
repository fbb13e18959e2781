/* Locale and message catalogue set-up shared by the kiosk and its tools. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sets the locale from the environment and binds the message catalogue,
 * from $HEALTHPOST_LOCALEDIR when set (a build tree) or the installed one. */
void hp_i18n_init         (void);

/* Makes @code (e.g. "es") the language of messages from now on. */
void hp_i18n_set_language (const char *code);

/* Whether @code's script is written from right to left, so screens in it
 * are laid out mirrored. */
gboolean hp_i18n_is_right_to_left (const char *code);

G_END_DECLS
