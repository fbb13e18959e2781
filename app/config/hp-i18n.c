/* Locale and message catalogue set-up shared by the kiosk and its tools. */
#include "hp-i18n.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "hp-build-config.h"

/* In the plain C locale gettext ignores $LANGUAGE, which is how the kiosk
 * switches language; the UTF-8 variant of C honours it. */
static void
avoid_plain_c_locale (int category)
{
  const char *current = setlocale (category, NULL);

  if (current == NULL || g_str_equal (current, "C") || g_str_equal (current, "POSIX"))
    setlocale (category, "C.UTF-8");
}

void
hp_i18n_init (void)
{
  const char *localedir = g_getenv ("HEALTHPOST_LOCALEDIR");

  setlocale (LC_ALL, "");
  avoid_plain_c_locale (LC_ALL);

  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : HP_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

void
hp_i18n_set_language (const char *code)
{
  g_return_if_fail (code != NULL);

  g_setenv ("LANGUAGE", code, TRUE);
  /* Setting the locale again also drops gettext's cache of earlier lookups. */
  setlocale (LC_MESSAGES, "");
  avoid_plain_c_locale (LC_MESSAGES);
}

gboolean
hp_i18n_is_right_to_left (const char *code)
{
  static const char * const right_to_left[] = { "ar", "fa", "he", "ur", NULL };
  g_autofree char *language = NULL;

  g_return_val_if_fail (code != NULL, FALSE);

  /* "ar_EG" and "ar" are both Arabic. */
  language = g_strndup (code, strcspn (code, "_.@"));
  return g_strv_contains (right_to_left, language);
}
