/* Walks demo visits through the real kiosk widgets under Xvfb, in English and Spanish. */
#include <glib/gstdio.h>
#include <string.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "hp-application.h"
#include "hp-i18n.h"
#include "hp-test-util.h"

/* A guard against a hung test, not a timing assertion. */
#define HANG_GUARD_SECONDS 30

typedef struct {
  char *dir;
  char *db_path;
  HpApplication *app;
  guint shots;
} Fixture;

typedef gboolean (*Condition) (Fixture *f, gconstpointer data);

typedef struct {
  Fixture *f;
  Condition condition;
  gconstpointer data;
} Waiting;

static gboolean
waiting_done (gconstpointer data)
{
  const Waiting *waiting = data;

  return waiting->condition (waiting->f, waiting->data);
}

static void
wait_until (Fixture       *f,
            Condition      condition,
            gconstpointer  data,
            const char    *what)
{
  Waiting waiting = { f, condition, data };

  if (!hp_test_iterate_until (waiting_done, &waiting, HANG_GUARD_SECONDS))
    {
      HpVisitFlow *flow = hp_application_get_flow (f->app);
      fail_msg ("gave up waiting for %s (visit step: %s)", what,
                flow != NULL ? hp_visit_step_to_string (hp_visit_flow_get_step (flow)) : "none");
    }
}

static HpWindow *
window_of (Fixture *f)
{
  return hp_application_get_window (f->app);
}

static gboolean
services_ready (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  return hp_application_get_flow (f->app) != NULL;
}

static gboolean
page_is (Fixture *f, gconstpointer data)
{
  return hp_window_get_page (window_of (f)) == (HpPage) GPOINTER_TO_INT (data);
}

static gboolean
warning_shown (Fixture *f, gconstpointer data)
{
  return hp_window_get_inactivity_warning_visible (window_of (f)) == GPOINTER_TO_INT (data);
}

static void
on_after_paint (GdkFrameClock *clock G_GNUC_UNUSED,
                gboolean      *painted)
{
  *painted = TRUE;
}

static gboolean
flag_set (Fixture *f G_GNUC_UNUSED, gconstpointer data)
{
  return *(const gboolean *) data;
}

static void
wait_for_paint (Fixture *f)
{
  GtkWidget *window = GTK_WIDGET (window_of (f));
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  gboolean painted = FALSE;
  gulong id;

  assert_non_null (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);
  gtk_widget_queue_draw (window);
  wait_until (f, flag_set, &painted, "a frame");
  g_signal_handler_disconnect (clock, id);
}

static void
screenshot (Fixture    *f,
            const char *language,
            const char *name)
{
  g_autoptr(GError) error = NULL;
  const char *base = g_getenv ("HP_SCREENSHOT_DIR");
  g_autofree char *folder = g_build_filename (base != NULL ? base : f->dir, language, NULL);
  g_autofree char *file = g_strdup_printf ("%02u-%s.png", ++f->shots, name);
  g_autofree char *path = g_build_filename (folder, file, NULL);
  GStatBuf st;

  wait_for_paint (f);
  assert_int_equal (g_mkdir_with_parents (folder, 0755), 0);
  if (!hp_window_save_screenshot (window_of (f), path, &error))
    fail_msg ("screenshot %s: %s", path, error->message);
  assert_int_equal (g_stat (path, &st), 0);
  assert_true (st.st_size > 1000);
  g_print ("screenshot: %s\n", path);
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *action)
{
  if (GTK_IS_BUTTON (root) && gtk_widget_is_drawable (root) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, action);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Presses the on-screen button bound to @action, as a finger would. */
static void
press (Fixture    *f,
       const char *action)
{
  GtkWidget *button = find_button (GTK_WIDGET (window_of (f)), action);

  if (button == NULL)
    fail_msg ("no visible button for %s", action);
  assert_true (gtk_widget_is_sensitive (button));
  /* "clicked" is what a tap emits; gtk_widget_activate() would delay it. */
  g_signal_emit_by_name (button, "clicked");
}

static void
collect_text (GtkWidget *root,
              GString   *text)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_visible (root))
    {
      g_string_append (text, gtk_label_get_label (GTK_LABEL (root)));
      g_string_append_c (text, '\n');
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, text);
}

static char *
page_text (Fixture *f,
           HpPage   page)
{
  GString *text = g_string_new (NULL);

  collect_text (hp_window_get_page_widget (window_of (f), page), text);
  return g_string_free (text, FALSE);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    fail_msg ("expected “%s” in:\n%s", needle, haystack);
}

/* @database_bytes, when given, are written where the database goes first. */
static Fixture *
start_kiosk_with_key (const char *extra_config,
                      const char *key_bytes,
                      int         key_mode)
{
  Fixture *f = g_new0 (Fixture, 1);
  g_autoptr(HpConfig) config = hp_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  f->dir = g_dir_make_tmp ("hp-ui-XXXXXX", &error);
  assert_non_null (f->dir);
  f->db_path = g_build_filename (f->dir, "visits.db", NULL);
  if (key_bytes != NULL)
    {
      g_autofree char *key_path = g_strconcat (f->db_path, ".key", NULL);

      assert_true (g_file_set_contents_full (key_path, key_bytes, -1, G_FILE_SET_CONTENTS_NONE,
                                             key_mode, NULL));
      assert_int_equal (g_chmod (key_path, key_mode), 0);
    }
  text = g_strdup_printf ("[storage]\ndatabase=%s\n"
                          "[demo]\nenabled=true\nsystolic=131\ndiastolic=84\npulse=66\nmeasure-ms=300\n"
                          "[kiosk]\nfullscreen=false\n%s",
                          f->db_path, extra_config);
  if (!hp_config_merge_data (config, text, strlen (text), &error))
    fail_msg ("config: %s", error->message);

  f->app = hp_application_new_with_config (config, G_APPLICATION_NON_UNIQUE);
  assert_true (g_application_register (G_APPLICATION (f->app), NULL, &error));
  g_application_activate (G_APPLICATION (f->app));
  wait_until (f, services_ready, NULL, "the kiosk's services");
  return f;
}

static Fixture *
start_kiosk (const char *extra_config)
{
  return start_kiosk_with_key (extra_config, NULL, 0);
}

static void
stop_kiosk (Fixture *f)
{
  gtk_window_destroy (GTK_WINDOW (window_of (f)));
  g_application_quit (G_APPLICATION (f->app));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->app);

  assert_true (hp_test_tmpdir_remove (f->dir));
  g_free (f->db_path);
  g_free (f->dir);
  g_free (f);
}

typedef struct {
  const char *code;
  const char *start_words;
  const char *saved_words;
  const char *pulse_words;
} LanguageCase;

static const LanguageCase english = { "en", "Touch here to start", "Your visit is saved", "Pulse: 66 beats per minute" };
static const LanguageCase spanish = { "es", "Toque aquí para empezar", "Su visita está guardada", "Pulso: 66 latidos por minuto" };

static void
walk_visit (Fixture            *f,
            const LanguageCase *lang)
{
  g_autofree char *attract = NULL;
  g_autofree char *result = NULL;
  g_autofree char *goodbye = NULL;

  assert_true (page_is (f, GINT_TO_POINTER (HP_PAGE_ATTRACT)));
  attract = page_text (f, HP_PAGE_ATTRACT);
  assert_contains (attract, lang->start_words);
  screenshot (f, lang->code, "attract");

  press (f, "visit.begin");
  wait_until (f, page_is, GINT_TO_POINTER (HP_PAGE_CHOOSE), "the choose page");
  screenshot (f, lang->code, "choose");

  press (f, "visit.choose");
  wait_until (f, page_is, GINT_TO_POINTER (HP_PAGE_BP_INSTRUCTIONS), "the instructions");
  screenshot (f, lang->code, "bp-instructions");

  press (f, "visit.start-measurement");
  wait_until (f, page_is, GINT_TO_POINTER (HP_PAGE_MEASURING), "the measuring page");
  screenshot (f, lang->code, "measuring");

  wait_until (f, page_is, GINT_TO_POINTER (HP_PAGE_RESULT), "the result");
  result = page_text (f, HP_PAGE_RESULT);
  assert_contains (result, "131/84");
  assert_contains (result, lang->pulse_words);
  screenshot (f, lang->code, "result");

  press (f, "visit.finish");
  wait_until (f, page_is, GINT_TO_POINTER (HP_PAGE_GOODBYE), "the goodbye page");
  goodbye = page_text (f, HP_PAGE_GOODBYE);
  assert_contains (goodbye, lang->saved_words);
  screenshot (f, lang->code, "goodbye");

  press (f, "visit.start-over");
  wait_until (f, page_is, GINT_TO_POINTER (HP_PAGE_ATTRACT), "the attract page");

  /* Nothing of the visit is left on the result page. */
  g_free (result);
  result = page_text (f, HP_PAGE_RESULT);
  assert_null (strstr (result, "131"));
}

/* Whether @needle's @size bytes occur anywhere in the file at @path (a
 * missing file holds nothing). */
static gboolean
file_holds (const char   *path,
            const void   *needle,
            gsize         size)
{
  g_autofree char *data = NULL;
  gsize length;

  if (!g_file_get_contents (path, &data, &length, NULL))
    return FALSE;
  for (gsize i = 0; i + size <= length; i++)
    if (memcmp (data + i, needle, size) == 0)
      return TRUE;
  return FALSE;
}

/* The demo cuff's values must not lie in the clear in the database, its
 * write-ahead log or its shared memory: as doubles or floats in either byte
 * order. (Two- and three-byte patterns occur by chance in ciphertext.) */
static void
assert_values_sealed (Fixture *f)
{
  static const double values[] = { 131, 84, 66 };
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  for (gsize s = 0; s < G_N_ELEMENTS (suffixes); s++)
    {
      g_autofree char *path = g_strconcat (f->db_path, suffixes[s], NULL);

      for (gsize v = 0; v < G_N_ELEMENTS (values); v++)
        {
          guint64 bits;
          guint32 bits32;
          float single = (float) values[v];
          guint64 swapped;
          guint32 swapped32;

          memcpy (&bits, &values[v], sizeof bits);
          memcpy (&bits32, &single, sizeof bits32);
          swapped = GUINT64_SWAP_LE_BE (bits);
          swapped32 = GUINT32_SWAP_LE_BE (bits32);
          if (file_holds (path, &bits, sizeof bits) || file_holds (path, &swapped, sizeof swapped) ||
              file_holds (path, &bits32, sizeof bits32) || file_holds (path, &swapped32, sizeof swapped32))
            fail_msg ("a value of the visit lies in the clear in %s", path);
        }
    }
}

static void
test_visit_in_english_and_spanish (void **state G_GNUC_UNUSED)
{
  Fixture *f = start_kiosk ("");
  g_autoptr(HpStore) store = NULL;
  g_autoptr(GError) error = NULL;

  walk_visit (f, &english);

  /* The language button is on the attract screen; it switches everything. */
  press (f, "visit.next-language");
  assert_string_equal (hp_visit_flow_get_language (hp_application_get_flow (f->app)), "es");
  f->shots = 0;
  walk_visit (f, &spanish);

  assert_values_sealed (f);
  store = hp_store_open_demo (f->db_path, &error);
  assert_non_null (store);
  assert_int_equal (hp_store_count_visits (store, &error), 2);
  stop_kiosk (f);
}

static void
test_problem_and_inactivity (void **state G_GNUC_UNUSED)
{
  Fixture *f = start_kiosk ("[demo]\nfault=unplug\n[visit]\nidle-seconds=5\nwarning-seconds=5\n");
  g_autofree char *problem = NULL;
  g_autofree char *problem_es = NULL;

  /* Numbered after the visit's screens, beside them in the same folders. */
  f->shots = 6;
  press (f, "visit.begin");
  press (f, "visit.choose");
  press (f, "visit.start-measurement");
  wait_until (f, page_is, GINT_TO_POINTER (HP_PAGE_PROBLEM), "the problem page");
  problem = page_text (f, HP_PAGE_PROBLEM);
  assert_contains (problem, "The cuff was disconnected.");
  assert_contains (problem, "ask a staff member");
  screenshot (f, "en", "problem-unplugged");

  /* Quiet time brings the warning; "I'm here" keeps the visit. */
  wait_until (f, warning_shown, GINT_TO_POINTER (TRUE), "the inactivity warning");
  screenshot (f, "en", "still-there");
  press (f, "visit.still-here");
  assert_false (hp_window_get_inactivity_warning_visible (window_of (f)));
  assert_true (page_is (f, GINT_TO_POINTER (HP_PAGE_PROBLEM)));
  assert_non_null (hp_visit_flow_get_visit (hp_application_get_flow (f->app)));

  /* Switching language mid-visit keeps the visit and its problem. */
  f->shots = 6;
  press (f, "visit.next-language");
  assert_true (page_is (f, GINT_TO_POINTER (HP_PAGE_PROBLEM)));
  problem_es = page_text (f, HP_PAGE_PROBLEM);
  assert_contains (problem_es, "El brazalete se desconectó.");
  screenshot (f, "es", "problem-unplugged");
  wait_until (f, warning_shown, GINT_TO_POINTER (TRUE), "the inactivity warning");
  screenshot (f, "es", "still-there");

  /* Left alone, the kiosk wipes the visit and returns to the start, in the
   * kiosk's own language again. */
  wait_until (f, page_is, GINT_TO_POINTER (HP_PAGE_ATTRACT), "the attract page after inactivity");
  assert_null (hp_visit_flow_get_visit (hp_application_get_flow (f->app)));
  assert_false (hp_window_get_inactivity_warning_visible (window_of (f)));
  assert_string_equal (hp_visit_flow_get_language (hp_application_get_flow (f->app)), "en");
  {
    g_autofree char *attract = page_text (f, HP_PAGE_ATTRACT);
    assert_contains (attract, english.start_words);
  }
  stop_kiosk (f);
}

static void
test_out_of_service (void **state G_GNUC_UNUSED)
{
  /* A root key file others may read: the kiosk must not keep anyone's data
   * under a key that is no longer secret, nor measure anyone it cannot keep,
   * and must leave the file as it is for staff to see. */
  static const char key[] = "0123456789abcdef0123456789abcdef";
  Fixture *f = start_kiosk_with_key ("", key, 0644);
  g_autofree char *key_path = g_strconcat (f->db_path, ".key", NULL);
  g_autofree char *text = NULL;
  g_autofree char *kept = NULL;
  GStatBuf info;

  assert_int_equal (hp_visit_flow_get_step (hp_application_get_flow (f->app)),
                    HP_VISIT_STEP_OUT_OF_SERVICE);
  assert_true (page_is (f, GINT_TO_POINTER (HP_PAGE_PROBLEM)));
  text = page_text (f, HP_PAGE_PROBLEM);
  assert_contains (text, "This kiosk is not working right now.");
  assert_null (find_button (GTK_WIDGET (window_of (f)), "visit.start-measurement"));
  assert_null (find_button (GTK_WIDGET (window_of (f)), "visit.start-over"));
  f->shots = 8;
  screenshot (f, "en", "out-of-service");

  assert_true (g_file_get_contents (key_path, &kept, NULL, NULL));
  assert_string_equal (kept, key);
  assert_int_equal (g_stat (key_path, &info), 0);
  assert_int_equal (info.st_mode & 0777, 0644);
  assert_false (g_file_test (f->db_path, G_FILE_TEST_EXISTS));
  stop_kiosk (f);
}

int
main (int   argc,
      char *argv[])
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_visit_in_english_and_spanish),
    cmocka_unit_test (test_problem_and_inactivity),
    cmocka_unit_test (test_out_of_service),
  };

  /* One kiosk per process: each test names the one it runs. */
  if (argc > 1)
    cmocka_set_test_filter (argv[1]);
  hp_i18n_init ();
  return cmocka_run_group_tests_name ("ui-visit", tests, NULL, NULL);
}
