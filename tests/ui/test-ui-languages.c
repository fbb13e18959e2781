/* Walks a demo blood pressure visit in French and in Arabic under Xvfb, and
 * checks that Arabic screens are laid out right to left. */
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

/* The drawn button bound to @action and, when @target is given, to that
 * string target. */
static GtkWidget *
find_button_for (GtkWidget  *root,
                 const char *action,
                 const char *target)
{
  if (GTK_IS_BUTTON (root) && gtk_widget_is_drawable (root) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)
    {
      GVariant *value = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (root));

      if (target == NULL ||
          (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) &&
           g_str_equal (g_variant_get_string (value, NULL), target)))
        return root;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_for (child, action, target);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Presses the on-screen button bound to @action (with @target, if given),
 * as a finger would. */
static void
press_target (Fixture    *f,
              const char *action,
              const char *target)
{
  GtkWidget *button = find_button_for (GTK_WIDGET (window_of (f)), action, target);

  if (button == NULL)
    fail_msg ("no visible button for %s %s", action, target != NULL ? target : "");
  assert_true (gtk_widget_is_sensitive (button));
  /* "clicked" is what a tap emits; gtk_widget_activate() would delay it. */
  g_signal_emit_by_name (button, "clicked");
}

static void
press (Fixture    *f,
       const char *action)
{
  press_target (f, action, NULL);
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

static Fixture *
start_kiosk (const char *extra_config)
{
  Fixture *f = g_new0 (Fixture, 1);
  g_autoptr(HpConfig) config = hp_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  f->dir = g_dir_make_tmp ("hp-ui-XXXXXX", &error);
  assert_non_null (f->dir);
  f->db_path = g_build_filename (f->dir, "visits.db", NULL);
  text = g_strdup_printf ("[storage]\ndatabase=%s\n"
                          "[demo]\nenabled=true\nsystolic=131\ndiastolic=84\npulse=66\nmeasure-ms=300\n"
                          "weight-kg=81\nglucose-mg-dl=97\n"
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

static void
assert_page_shows (Fixture    *f,
                   HpPage      page,
                   const char *words)
{
  g_autofree char *text = page_text (f, page);

  assert_contains (text, words);
}

/* The label on the language button: the name of the language it switches
 * to, written in that language. */
static char *
language_button_text (Fixture *f)
{
  GtkWidget *button = find_button_for (GTK_WIDGET (window_of (f)), "visit.next-language", NULL);
  GString *text = g_string_new (NULL);

  if (button == NULL)
    fail_msg ("no visible language button");
  collect_text (button, text);
  return g_string_free (text, FALSE);
}

static void
switch_language (Fixture    *f,
                 const char *code,
                 const char *next_name)
{
  g_autofree char *label = NULL;

  press (f, "visit.next-language");
  assert_string_equal (hp_visit_flow_get_language (hp_application_get_flow (f->app)), code);
  label = language_button_text (f);
  assert_contains (label, next_name);
}

typedef struct {
  const char *code;
  GtkTextDirection direction;
  const char *start_words;
  const char *choose_question;
  const char *bp_choice;
  const char *bp_ready;
  const char *bp_step;
  const char *start_button;
  const char *bp_measuring;
  const char *bp_title;
  const char *unit;
  const char *pulse_words;
  const char *screening;
} LanguageCase;

static const LanguageCase french = {
  .code = "fr",
  .direction = GTK_TEXT_DIR_LTR,
  .start_words = "Touchez ici pour commencer",
  .choose_question = "Que voulez-vous mesurer ?",
  .bp_choice = "Tension",
  .bp_ready = "Préparez-vous pour votre tension",
  .bp_step = "Mettez le brassard sur votre bras gauche nu",
  .start_button = "Commencer la mesure",
  .bp_measuring = "Mesure de votre tension",
  .bp_title = "Votre tension",
  .unit = "mmHg",
  .pulse_words = "Pouls : 66 battements par minute",
  .screening = "Ceci est un dépistage, pas un diagnostic.",
};

static const LanguageCase arabic = {
  .code = "ar",
  .direction = GTK_TEXT_DIR_RTL,
  .start_words = "للبدء، يرجى اللمس هنا",
  .choose_question = "ماذا نقيس الآن؟",
  .bp_choice = "ضغط الدم",
  .bp_ready = "الاستعداد لقياس ضغط الدم",
  .bp_step = "يرجى وضع الكُمّ على الذراع اليسرى",
  .start_button = "بدء القياس",
  .bp_measuring = "جارٍ قياس ضغط الدم",
  .bp_title = "ضغط دمك",
  .unit = "ملم زئبق",
  .pulse_words = "النبض: 66 نبضة في الدقيقة",
  .screening = "هذا فحص أولي، وليس تشخيصًا.",
};

/* The primary button sits at the bottom on the reading direction's far
 * side: right in left-to-right languages, left in right-to-left ones. */
static void
assert_primary_button_side (Fixture            *f,
                            const char         *action,
                            const LanguageCase *lang)
{
  GtkWidget *window = GTK_WIDGET (window_of (f));
  GtkWidget *button = find_button_for (window, action, NULL);
  graphene_rect_t bounds;
  float middle;
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);

  if (button == NULL)
    fail_msg ("no visible button for %s", action);
  assert_true (gtk_widget_compute_bounds (button, window, &bounds));
  middle = bounds.origin.x + bounds.size.width / 2;
  if (lang->direction == GTK_TEXT_DIR_RTL)
    {
      if (middle >= width / 2.0f)
        fail_msg ("%s: the %s button is centred at x=%.0f of %d, not on the left half",
                  lang->code, action, middle, width);
    }
  else if (middle <= width / 2.0f)
    fail_msg ("%s: the %s button is centred at x=%.0f of %d, not on the right half",
              lang->code, action, middle, width);
  /* Bottom: below the middle of the window. */
  assert_true (bounds.origin.y + bounds.size.height / 2 > height / 2.0f);
}

/* A number with a slash must read as written in any direction: the
 * label's text is the plain number and the run it is drawn in is
 * left to right. */
static void
assert_value_reads (Fixture    *f,
                    const char *value)
{
  GtkWidget *page = hp_window_get_page_widget (window_of (f), HP_PAGE_RESULT);
  GPtrArray *stack = g_ptr_array_new ();
  GtkLabel *found = NULL;

  g_ptr_array_add (stack, page);
  while (stack->len > 0 && found == NULL)
    {
      GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

      if (GTK_IS_LABEL (widget) && g_str_equal (gtk_label_get_text (GTK_LABEL (widget)), value))
        found = GTK_LABEL (widget);
      for (GtkWidget *child = gtk_widget_get_first_child (widget);
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        g_ptr_array_add (stack, child);
    }
  g_ptr_array_unref (stack);
  if (found == NULL)
    fail_msg ("no label reads “%s”", value);

  {
    PangoLayout *layout = gtk_label_get_layout (found);
    PangoLayoutIter *iter = pango_layout_get_iter (layout);
    PangoLayoutRun *run = pango_layout_iter_get_run_readonly (iter);

    /* One run, at an even (left-to-right) embedding level. */
    assert_non_null (run);
    assert_int_equal (run->item->num_chars, g_utf8_strlen (value, -1));
    assert_int_equal (run->item->analysis.level % 2, 0);
    pango_layout_iter_free (iter);
  }
}

static void
walk_blood_pressure (Fixture            *f,
                     const LanguageCase *lang)
{
  g_autofree char *attract = NULL;
  g_autofree char *choose = NULL;
  g_autofree char *instructions = NULL;
  g_autofree char *result = NULL;

  f->shots = 0;
  assert_true (page_is (f, GINT_TO_POINTER (HP_PAGE_ATTRACT)));
  assert_int_equal (gtk_widget_get_default_direction (), lang->direction);
  assert_int_equal (gtk_widget_get_direction (GTK_WIDGET (window_of (f))), lang->direction);
  attract = page_text (f, HP_PAGE_ATTRACT);
  assert_contains (attract, lang->start_words);
  screenshot (f, lang->code, "attract");

  press (f, "visit.begin");
  wait_until (f, page_is, GINT_TO_POINTER (HP_PAGE_CHOOSE), "the choose page");
  choose = page_text (f, HP_PAGE_CHOOSE);
  assert_contains (choose, lang->choose_question);
  assert_contains (choose, lang->bp_choice);
  screenshot (f, lang->code, "choose");

  press_target (f, "visit.choose", "blood-pressure");
  wait_until (f, page_is, GINT_TO_POINTER (HP_PAGE_BP_INSTRUCTIONS), "the instructions");
  instructions = page_text (f, HP_PAGE_BP_INSTRUCTIONS);
  assert_contains (instructions, lang->bp_ready);
  assert_contains (instructions, lang->bp_step);
  assert_contains (instructions, lang->start_button);
  screenshot (f, lang->code, "bp-instructions");
  assert_primary_button_side (f, "visit.start-measurement", lang);

  press (f, "visit.start-measurement");
  wait_until (f, page_is, GINT_TO_POINTER (HP_PAGE_MEASURING), "the measuring page");
  assert_page_shows (f, HP_PAGE_MEASURING, lang->bp_measuring);
  screenshot (f, lang->code, "measuring");

  wait_until (f, page_is, GINT_TO_POINTER (HP_PAGE_RESULT), "the result");
  result = page_text (f, HP_PAGE_RESULT);
  assert_contains (result, lang->bp_title);
  assert_contains (result, lang->unit);
  assert_contains (result, lang->pulse_words);
  assert_contains (result, lang->screening);
  screenshot (f, lang->code, "result");
  assert_value_reads (f, "131/84");
  assert_primary_button_side (f, "visit.finish", lang);

  press (f, "visit.start-over");
  wait_until (f, page_is, GINT_TO_POINTER (HP_PAGE_ATTRACT), "the attract page");
}

static void
test_visit_in_french_and_arabic (void **state G_GNUC_UNUSED)
{
  Fixture *f = start_kiosk ("[visit]\nidle-seconds=600\n");
  g_autofree char *label = NULL;

  /* The button cycles through the four languages in the configured
   * order, each time naming the next one in its own words. */
  assert_string_equal (hp_visit_flow_get_language (hp_application_get_flow (f->app)), "en");
  label = language_button_text (f);
  assert_contains (label, "Español");
  assert_int_equal (gtk_widget_get_default_direction (), GTK_TEXT_DIR_LTR);

  switch_language (f, "es", "Français");
  switch_language (f, "fr", "العربية");
  walk_blood_pressure (f, &french);

  switch_language (f, "ar", "English");
  walk_blood_pressure (f, &arabic);

  /* Back to English: left to right again. */
  switch_language (f, "en", "Español");
  assert_int_equal (gtk_widget_get_default_direction (), GTK_TEXT_DIR_LTR);
  assert_int_equal (gtk_widget_get_direction (GTK_WIDGET (window_of (f))), GTK_TEXT_DIR_LTR);
  stop_kiosk (f);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_visit_in_french_and_arabic),
  };

  hp_i18n_init ();
  return cmocka_run_group_tests_name ("ui-languages", tests, NULL, NULL);
}
