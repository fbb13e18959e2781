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

const char * const *
hp_i18n_get_languages (void)
{
  static const char * const languages[] = { HP_LANGUAGES, NULL };

  return languages;
}

const char *
hp_i18n_get_native_name (const char *code)
{
  /* Facts of languages, not the kiosk's list: each language's own name for
   * itself (CLDR), for the languages the kiosk has or is likely to have. */
  static const struct {
    const char *code;
    const char *native_name;
  } names[] = {
    { "ar", "العربية" },
    { "de", "Deutsch" },
    { "en", "English" },
    { "es", "Español" },
    { "fa", "فارسی" },
    { "fr", "Français" },
    { "he", "עברית" },
    { "hi", "हिन्दी" },
    { "it", "Italiano" },
    { "nl", "Nederlands" },
    { "pl", "Polski" },
    { "pt", "Português" },
    { "ru", "Русский" },
    { "so", "Soomaali" },
    { "sw", "Kiswahili" },
    { "tl", "Tagalog" },
    { "tr", "Türkçe" },
    { "uk", "Українська" },
    { "ur", "اردو" },
    { "vi", "Tiếng Việt" },
    { "zh", "中文" },
  };

  g_return_val_if_fail (code != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (names[i].code, code))
      return names[i].native_name;
  return NULL;
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

const char *
hp_i18n_next_language (const char * const *languages,
                       const char         *current)
{
  guint n;

  g_return_val_if_fail (languages != NULL && languages[0] != NULL, NULL);

  n = g_strv_length ((char **) languages);
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (languages[i], current) == 0)
      return languages[(i + 1) % n];
  return languages[0];
}
