/* A demo kiosk under Xvfb for the UI tests, shared by the kiosk-wide test programs. */
#include <glib/gstdio.h>
#include <string.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "hp-ui-fixture.h"
#include "hp-entry-page.h"
#include "hp-test-util.h"

typedef struct {
  HpUiFixture *f;
  HpUiCondition condition;
  gconstpointer data;
} Waiting;

static gboolean
waiting_done (gconstpointer data)
{
  const Waiting *waiting = data;

  return waiting->condition (waiting->f, waiting->data);
}

void
hp_ui_wait_until (HpUiFixture   *f,
                  HpUiCondition  condition,
                  gconstpointer  data,
                  const char    *what)
{
  Waiting waiting = { f, condition, data };

  if (!hp_test_iterate_until (waiting_done, &waiting, HP_UI_HANG_GUARD_SECONDS))
    {
      HpVisitFlow *flow = hp_application_get_flow (f->app);
      fail_msg ("gave up waiting for %s (visit step: %s)", what,
                flow != NULL ? hp_visit_step_to_string (hp_visit_flow_get_step (flow)) : "none");
    }
}

HpWindow *
hp_ui_window (HpUiFixture *f)
{
  return hp_application_get_window (f->app);
}

static gboolean
services_ready (HpUiFixture *f, gconstpointer data G_GNUC_UNUSED)
{
  return hp_application_get_flow (f->app) != NULL;
}

gboolean
hp_ui_page_is (HpUiFixture *f, gconstpointer data)
{
  return hp_window_get_page (hp_ui_window (f)) == (HpPage) GPOINTER_TO_INT (data);
}

gboolean
hp_ui_step_is (HpUiFixture *f, gconstpointer data)
{
  return hp_visit_flow_get_step (hp_application_get_flow (f->app)) == (HpVisitStep) GPOINTER_TO_INT (data);
}

gboolean
hp_ui_warning_shown (HpUiFixture *f, gconstpointer data)
{
  return hp_window_get_inactivity_warning_visible (hp_ui_window (f)) == GPOINTER_TO_INT (data);
}

static void
on_after_paint (GdkFrameClock *clock G_GNUC_UNUSED,
                gboolean      *painted)
{
  *painted = TRUE;
}

static gboolean
flag_set (HpUiFixture *f G_GNUC_UNUSED, gconstpointer data)
{
  return *(const gboolean *) data;
}

static void
wait_for_frame (HpUiFixture *f,
                gboolean     relayout)
{
  GtkWidget *window = GTK_WIDGET (hp_ui_window (f));
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  gboolean painted = FALSE;
  gulong id;

  assert_non_null (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);
  if (relayout)
    gtk_widget_queue_resize (window);
  else
    gtk_widget_queue_draw (window);
  hp_ui_wait_until (f, flag_set, &painted, "a frame");
  g_signal_handler_disconnect (clock, id);
}

void
hp_ui_wait_for_paint (HpUiFixture *f)
{
  wait_for_frame (f, FALSE);
}

void
hp_ui_wait_for_layout (HpUiFixture *f)
{
  wait_for_frame (f, TRUE);
}

char *
hp_ui_save_screenshot (HpUiFixture *f,
                       const char  *folder_name,
                       const char  *file)
{
  g_autoptr(GError) error = NULL;
  const char *base = g_getenv ("HP_SCREENSHOT_DIR");
  g_autofree char *folder = g_build_filename (base != NULL ? base : f->dir, folder_name, NULL);
  char *path = g_build_filename (folder, file, NULL);

  assert_int_equal (g_mkdir_with_parents (folder, 0755), 0);
  if (!hp_window_save_screenshot (hp_ui_window (f), path, &error))
    fail_msg ("screenshot %s: %s", path, error->message);
  g_print ("# screenshot: %s\n", path);
  return path;
}

void
hp_ui_screenshot (HpUiFixture *f,
                  const char  *language,
                  const char  *name)
{
  g_autofree char *file = g_strdup_printf ("%02u-%s.png", ++f->shots, name);
  g_autofree char *path = NULL;
  GStatBuf st;

  hp_ui_wait_for_paint (f);
  path = hp_ui_save_screenshot (f, language, file);
  assert_int_equal (g_stat (path, &st), 0);
  assert_true (st.st_size > 1000);
}

GtkWidget *
hp_ui_find_button (GtkWidget  *root,
                   const char *action,
                   const char *target)
{
  if (GTK_IS_BUTTON (root) && gtk_widget_is_drawable (root) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)
    {
      GVariant *value = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (root));

      g_autofree char *printed = NULL;

      /* A string target compares as it is, any other as GVariant prints
       * it ("true", "172.0"). */
      if (value != NULL && !g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        printed = g_variant_print (value, FALSE);
      if (target == NULL ||
          (printed != NULL && g_str_equal (printed, target)) ||
          (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) &&
           g_str_equal (g_variant_get_string (value, NULL), target)))
        return root;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = hp_ui_find_button (child, action, target);
      if (found != NULL)
        return found;
    }
  return NULL;
}

void
hp_ui_reach_identify (HpUiFixture *f,
                      const char  *language)
{
  g_autofree char *code = g_strdup (language != NULL ? language
                                    : hp_visit_flow_get_language (hp_application_get_flow (f->app)));

  hp_ui_press (f, "visit.begin");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_LANGUAGE), "the language page");
  hp_ui_press_target (f, "visit.choose-language", code);
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_CONSENT), "the consent page");
  hp_ui_press_target (f, "visit.consent", "true");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_IDENTIFY), "the identify page");
}

void
hp_ui_answer_age (HpUiFixture *f,
                  gboolean     adult)
{
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_AGE), "the question about age");
  hp_ui_press_target (f, "visit.age", adult ? "true" : "false");
}

void
hp_ui_begin_visit (HpUiFixture *f,
                   const char  *language)
{
  hp_ui_reach_identify (f, language);
  hp_ui_press_target (f, "visit.identify", "false");
  hp_ui_answer_age (f, TRUE);
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_CHOOSE), "the choose page");
}

void
hp_ui_press_target (HpUiFixture *f,
                    const char  *action,
                    const char  *target)
{
  GtkWidget *button = hp_ui_find_button (GTK_WIDGET (hp_ui_window (f)), action, target);

  if (button == NULL)
    fail_msg ("no visible button for %s %s", action, target != NULL ? target : "");
  assert_true (gtk_widget_is_sensitive (button));
  /* "clicked" is what a tap emits; gtk_widget_activate() would delay it. */
  g_signal_emit_by_name (button, "clicked");
}

void
hp_ui_type_on_keypad (HpUiFixture *f,
                      const char  *digits)
{
  GtkWidget *page = hp_window_get_page_widget (hp_ui_window (f), HP_PAGE_ENTRY);
  GtkWidget *keypad = hp_entry_page_get_keypad (HP_ENTRY_PAGE (page));
  GtkWidget *done = hp_ui_find_button (keypad, "keypad.submit", NULL);

  for (const char *c = digits; *c != '\0'; c++)
    assert_true (gtk_widget_activate_action (keypad, "keypad.digit", "i", *c - '0'));
  assert_non_null (done);
  g_signal_emit_by_name (done, "clicked");
}

void
hp_ui_press (HpUiFixture *f,
             const char  *action)
{
  hp_ui_press_target (f, action, NULL);
}

void
hp_ui_collect_text (GtkWidget *root,
                    GString   *text)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_visible (root))
    {
      g_string_append (text, gtk_label_get_text (GTK_LABEL (root)));
      g_string_append_c (text, '\n');
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    hp_ui_collect_text (child, text);
}

char *
hp_ui_page_text (HpUiFixture *f,
                 HpPage       page)
{
  GString *text = g_string_new (NULL);

  hp_ui_collect_text (hp_window_get_page_widget (hp_ui_window (f), page), text);
  return g_string_free (text, FALSE);
}

void
hp_ui_assert_no_hidden_animation (GtkWidget *root)
{
  if (GTK_IS_SPINNER (root) && gtk_spinner_get_spinning (GTK_SPINNER (root)) && !gtk_widget_get_mapped (root))
    fail_msg ("a spinner turns out of sight, under %s", G_OBJECT_TYPE_NAME (gtk_widget_get_parent (root)));
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    hp_ui_assert_no_hidden_animation (child);
}

void
hp_ui_assert_contains (const char *haystack,
                       const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    fail_msg ("expected “%s” in:\n%s", needle, haystack);
}

void
hp_ui_fixture_init (HpUiFixture          *f,
                    const HpUiKioskSetup *setup)
{
  g_autoptr(HpConfig) config = hp_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  f->dir = g_dir_make_tmp (setup->dir_template, &error);
  assert_non_null (f->dir);
  f->db_path = g_build_filename (f->dir, "visits.db", NULL);
  if (setup->key_bytes != NULL)
    {
      g_autofree char *key_path = g_strconcat (f->db_path, ".key", NULL);

      assert_true (g_file_set_contents_full (key_path, setup->key_bytes, -1, G_FILE_SET_CONTENTS_NONE,
                                             setup->key_mode, NULL));
      assert_int_equal (g_chmod (key_path, setup->key_mode), 0);
    }
  text = g_strdup_printf ("[storage]\ndatabase=%s\n%s", f->db_path, setup->config);
  if (!hp_config_merge_data (config, text, strlen (text), &error))
    fail_msg ("config: %s", error->message);
  if (setup->extra_config != NULL
      && !hp_config_merge_data (config, setup->extra_config, strlen (setup->extra_config), &error))
    fail_msg ("extra config: %s", error->message);

  f->app = hp_application_new_with_config (config, G_APPLICATION_NON_UNIQUE);
  if (setup->config_decides_window)
    hp_application_set_windowed (f->app, FALSE);
  assert_true (g_application_register (G_APPLICATION (f->app), NULL, &error));
  g_application_activate (G_APPLICATION (f->app));
  hp_ui_wait_until (f, services_ready, NULL, "the kiosk's services");
}

void
hp_ui_fixture_clear (HpUiFixture *f)
{
  gtk_window_destroy (GTK_WINDOW (hp_ui_window (f)));
  g_application_quit (G_APPLICATION (f->app));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->app);

  assert_true (hp_test_tmpdir_remove (f->dir));
  g_clear_pointer (&f->db_path, g_free);
  g_clear_pointer (&f->dir, g_free);
}

HpUiFixture *
hp_ui_fixture_start_with_key (const char *extra_config,
                              const char *key_bytes,
                              int         key_mode)
{
  HpUiFixture *f = g_new0 (HpUiFixture, 1);
  static const char config[] = "[demo]\nenabled=true\nsystolic=131\ndiastolic=84\npulse=66\nmeasure-ms=300\n"
                               "weight-kg=81\nglucose-mg-dl=97\n"
                               "[kiosk]\nfullscreen=false\n";
  HpUiKioskSetup setup = { "hp-ui-XXXXXX", config, extra_config, key_bytes, key_mode, FALSE };

  hp_ui_fixture_init (f, &setup);
  return f;
}

HpUiFixture *
hp_ui_fixture_start (const char *extra_config)
{
  return hp_ui_fixture_start_with_key (extra_config, NULL, 0);
}

void
hp_ui_fixture_stop (HpUiFixture *f)
{
  hp_ui_fixture_clear (f);
  g_free (f);
}
