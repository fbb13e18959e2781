/* Checks the message catalogues: every language the kiosk offers translates
 * every message of the sources, and switching language switches messages
 * and reading direction. */
#include <glib.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "hp-i18n.h"
#include "hp-test-util.h"

/* Given on the command line by meson: the source tree and gettext's tools. */
static const char *source_root;
static const char *xgettext_path;
static const char *msgmerge_path;
static const char *msgfmt_path;

/* Runs @argv in the source tree; its standard error is returned in @err. */
static void
run_tool (const char * const *argv,
          char              **err)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status = 0;

  if (!g_spawn_sync (source_root, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     &out, err, &status, &error))
    fail_msg ("%s: %s", argv[0], error->message);
  if (!g_spawn_check_wait_status (status, &error))
    fail_msg ("%s: %s\n%s", argv[0], error->message, *err);
}

/* The message template, extracted afresh from the sources listed in
 * po/POTFILES, so a string added to the code counts even before anyone
 * merged it into the catalogues. */
static char *
extract_template (const char *dir)
{
  g_autofree char *pot = g_build_filename (dir, "healthpost.pot", NULL);
  g_autofree char *err = NULL;
  const char *argv[] = { xgettext_path, "--from-code=UTF-8", "-k_", "-kN_", "-kC_:1c,2",
                         "-kg_dngettext:2,3", "-f", "po/POTFILES", "-o", pot, NULL };

  run_tool (argv, &err);
  assert_true (g_file_test (pot, G_FILE_TEST_EXISTS));
  return g_steal_pointer (&pot);
}

static void
assert_catalogue_complete (const char *code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hp-i18n-XXXXXX", &error);
  g_autofree char *pot = NULL;
  g_autofree char *source = g_strdup_printf ("po/%s.po", code);
  g_autofree char *merged = NULL;
  g_autofree char *merge_err = NULL;
  g_autofree char *statistics = NULL;

  assert_non_null (dir);
  pot = extract_template (dir);
  merged = g_build_filename (dir, "merged.po", NULL);
  {
    const char *merge[] = { msgmerge_path, "--quiet", "--no-fuzzy-matching", source, pot,
                            "-o", merged, NULL };
    run_tool (merge, &merge_err);
  }
  {
    /* --check also holds each translation's placeholders to its original's. */
    const char *check[] = { msgfmt_path, "--check", "--statistics", "-o", "/dev/null", merged, NULL };
    run_tool (check, &statistics);
  }

  if (strstr (statistics, "untranslated") != NULL || strstr (statistics, "fuzzy") != NULL ||
      strstr (statistics, " translated message") == NULL)
    fail_msg ("po/%s.po is incomplete against the sources: %s", code, statistics);
  assert_true (hp_test_tmpdir_remove (dir));
}

static void
test_offered_languages_have_catalogues (void **state G_GNUC_UNUSED)
{
  g_autofree char *path = g_build_filename (source_root, "po", "LINGUAS", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  static const char * const expected[] = { "es", "fr", "ar" };
  const char * const *languages = hp_i18n_get_languages ();

  assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit_set (text, "\n ", -1);
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    if (!g_strv_contains ((const char * const *) lines, expected[i]))
      fail_msg ("po/LINGUAS does not list %s", expected[i]);

  /* The kiosk's languages are English and exactly po/LINGUAS's, each with
   * its catalogue and its own name for itself. */
  assert_string_equal (languages[0], "en");
  for (gsize i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0' && lines[i][0] != '#' && !g_strv_contains (languages, lines[i]))
      fail_msg ("po/LINGUAS lists %s, which the kiosk does not offer", lines[i]);
  for (gsize i = 0; languages[i] != NULL; i++)
    {
      g_autofree char *po = g_strdup_printf ("%s/po/%s.po", source_root, languages[i]);

      if (i > 0 && !g_strv_contains ((const char * const *) lines, languages[i]))
        fail_msg ("the kiosk offers %s, which po/LINGUAS does not list", languages[i]);
      if (i > 0 && !g_file_test (po, G_FILE_TEST_IS_REGULAR))
        fail_msg ("%s has no catalogue %s", languages[i], po);
      if (hp_i18n_get_native_name (languages[i]) == NULL)
        fail_msg ("%s has no name of its own in hp-i18n.c", languages[i]);
    }
}

static void
test_spanish_complete (void **state G_GNUC_UNUSED)
{
  assert_catalogue_complete ("es");
}

static void
test_french_complete (void **state G_GNUC_UNUSED)
{
  assert_catalogue_complete ("fr");
}

static void
test_arabic_complete (void **state G_GNUC_UNUSED)
{
  assert_catalogue_complete ("ar");
}

/* The compiled catalogues in the build tree answer at run time, and the
 * language can change back and forth. */
static void
test_switching_language (void **state G_GNUC_UNUSED)
{
  hp_i18n_set_language ("fr");
  assert_string_equal (_("Start over"), "Recommencer");
  assert_string_equal (g_dngettext (GETTEXT_PACKAGE, "%u digit entered", "%u digits entered", 2),
                       "%u chiffres saisis");
  hp_i18n_set_language ("ar");
  assert_string_equal (_("Start over"), "البدء من جديد");
  /* Arabic's dual differs from its plural of three to ten. */
  assert_string_not_equal (g_dngettext (GETTEXT_PACKAGE, "%u digit entered", "%u digits entered", 2),
                           g_dngettext (GETTEXT_PACKAGE, "%u digit entered", "%u digits entered", 3));
  hp_i18n_set_language ("es");
  assert_string_equal (_("Start over"), "Empezar de nuevo");
  hp_i18n_set_language ("en");
  assert_string_equal (_("Start over"), "Start over");
}

/* Arabic has six plural forms (none, one, two, a few, many, other): the
 * consent's retention period reads differently for each, and the one-day
 * and two-day forms name the count in words. */
static void
test_arabic_plural_forms (void **state G_GNUC_UNUSED)
{
  static const char singular[] = "Your readings are kept on this kiosk, locked with a secret key, for %u day. "
                                 "Then they are deleted.";
  static const char plural[] = "Your readings are kept on this kiosk, locked with a secret key, for %u days. "
                               "Then they are deleted.";
  /* One count for each of ar.po's forms. */
  static const gulong counts[] = { 0, 1, 2, 3, 11, 100 };
  const char *forms[G_N_ELEMENTS (counts)];

  hp_i18n_set_language ("ar");
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      forms[i] = g_dngettext (GETTEXT_PACKAGE, singular, plural, counts[i]);
      assert_string_not_equal (forms[i], singular);
      assert_string_not_equal (forms[i], plural);
      for (guint j = 0; j < i; j++)
        /* Zero and a hundred both take the noun's plain form. */
        if (!(counts[j] == 0 && counts[i] == 100) && g_str_equal (forms[i], forms[j]))
          fail_msg ("the forms for %lu and %lu days are the same: %s", counts[j], counts[i], forms[i]);
    }
  assert_null (strstr (forms[1], "%u"));
  assert_non_null (strstr (forms[1], "يوم واحد"));
  assert_non_null (strstr (forms[2], "يومين"));
  assert_non_null (strstr (forms[3], "%u أيام"));
  hp_i18n_set_language ("en");
}

static void
test_right_to_left_languages (void **state G_GNUC_UNUSED)
{
  assert_true (hp_i18n_is_right_to_left ("ar"));
  assert_true (hp_i18n_is_right_to_left ("ar_EG.UTF-8"));
  assert_false (hp_i18n_is_right_to_left ("en"));
  assert_false (hp_i18n_is_right_to_left ("es"));
  assert_false (hp_i18n_is_right_to_left ("fr"));
  assert_false (hp_i18n_is_right_to_left ("arn"));
  assert_false (hp_i18n_is_right_to_left (""));
}

/* The language button goes round the offered languages in their order. */
static void
test_next_language (void **state G_GNUC_UNUSED)
{
  static const char * const offered[] = { "en", "es", "ar", NULL };
  static const char * const one[] = { "fr", NULL };

  assert_string_equal (hp_i18n_next_language (offered, "en"), "es");
  assert_string_equal (hp_i18n_next_language (offered, "es"), "ar");
  assert_string_equal (hp_i18n_next_language (offered, "ar"), "en");
  /* A language no longer offered (the configuration changed) starts the round again. */
  assert_string_equal (hp_i18n_next_language (offered, "fr"), "en");
  assert_string_equal (hp_i18n_next_language (offered, NULL), "en");
  assert_string_equal (hp_i18n_next_language (one, "fr"), "fr");
}

/* Whether @path holds a message for translation: _() or N_() in C, a
 * translatable property in a template. */
static gboolean
has_messages (const char *path)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    fail_msg ("cannot read %s", path);
  if (g_str_has_suffix (path, ".ui"))
    return strstr (text, "translatable=\"yes\"") != NULL;
  return strstr (text, "_(\"") != NULL;
}

static void
collect_sources (const char *dir,
                 GPtrArray  *found)
{
  g_autofree char *path = g_build_filename (source_root, dir, NULL);
  g_autoptr(GDir) listing = g_dir_open (path, 0, NULL);
  const char *name;

  assert_non_null (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *relative = g_build_filename (dir, name, NULL);
      g_autofree char *full = g_build_filename (source_root, relative, NULL);

      if (g_file_test (full, G_FILE_TEST_IS_DIR))
        collect_sources (relative, found);
      else if ((g_str_has_suffix (name, ".c") || g_str_has_suffix (name, ".h") || g_str_has_suffix (name, ".ui"))
               && has_messages (full))
        g_ptr_array_add (found, g_steal_pointer (&relative));
    }
}

/* Every file of the product with a message is in po/POTFILES: a file left
 * out would be shown untranslated, and the checks above would not see it. */
static void
test_every_message_file_listed (void **state G_GNUC_UNUSED)
{
  static const char * const folders[] = { "app", "data", "devices", "printing", "telehealth", "ui" };
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *potfiles_path = g_build_filename (source_root, "po", "POTFILES", NULL);
  g_autofree char *potfiles = NULL;
  g_auto(GStrv) listed = NULL;
  g_autoptr(GString) missing = g_string_new (NULL);

  assert_true (g_file_get_contents (potfiles_path, &potfiles, NULL, NULL));
  listed = g_strsplit (potfiles, "\n", -1);
  for (gsize i = 0; i < G_N_ELEMENTS (folders); i++)
    collect_sources (folders[i], found);
  assert_true (found->len > 10);
  for (guint i = 0; i < found->len; i++)
    if (!g_strv_contains ((const char * const *) listed, g_ptr_array_index (found, i)))
      g_string_append_printf (missing, "%s\n", (char *) g_ptr_array_index (found, i));
  if (missing->len > 0)
    fail_msg ("files with messages missing from po/POTFILES:\n%s", missing->str);
}

int
main (int   argc,
      char *argv[])
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_offered_languages_have_catalogues),
    cmocka_unit_test (test_every_message_file_listed),
    cmocka_unit_test (test_spanish_complete),
    cmocka_unit_test (test_french_complete),
    cmocka_unit_test (test_arabic_complete),
    cmocka_unit_test (test_switching_language),
    cmocka_unit_test (test_arabic_plural_forms),
    cmocka_unit_test (test_right_to_left_languages),
    cmocka_unit_test (test_next_language),
  };

  if (argc != 5)
    {
      g_printerr ("usage: %s SOURCE-ROOT XGETTEXT MSGMERGE MSGFMT\n", argv[0]);
      return 2;
    }
  source_root = argv[1];
  xgettext_path = argv[2];
  msgmerge_path = argv[3];
  msgfmt_path = argv[4];
  hp_i18n_init ();
  return cmocka_run_group_tests_name ("i18n", tests, NULL, NULL);
}
