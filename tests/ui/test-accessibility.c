/* Every kiosk screen, in each display setting, against UI.md's accessibility rules. */
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

/* UI.md: targets at least 72 px high and 16 px apart; body text at least
 * 28 px, headings at least 44 px. */
#define MIN_TARGET_HEIGHT 72.0
#define MIN_TARGET_GAP 16.0
#define MIN_BODY_PX 28.0
#define MIN_HEADING_PX 44.0
/* The smallest display UI.md names; windowed kiosks open at this size. */
#define SCREEN_WIDTH 1280
#define SCREEN_HEIGHT 800

typedef enum {
  DISPLAY_STANDARD,
  DISPLAY_LARGE_TEXT,
  DISPLAY_HIGH_CONTRAST,
  N_DISPLAYS
} Display;

static const char * const display_folders[N_DISPLAYS] = { NULL, "large-text", "high-contrast" };

typedef struct {
  char *dir;
  char *db_path;
  HpApplication *app;
  guint screens;
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
    fail_msg ("gave up waiting for %s", what);
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
warning_shown (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  return hp_window_get_inactivity_warning_visible (window_of (f));
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

/* Styles, sizes and allocations are all up to date once a frame is drawn. */
static void
wait_for_paint (Fixture *f)
{
  GtkWidget *window = GTK_WIDGET (window_of (f));
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  gboolean painted = FALSE;
  gulong id;

  assert_non_null (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);
  gtk_widget_queue_resize (window);
  wait_until (f, flag_set, &painted, "a frame");
  g_signal_handler_disconnect (clock, id);
}

static void
screenshot (Fixture    *f,
            const char *folder_name,
            const char *name)
{
  g_autoptr(GError) error = NULL;
  const char *base = g_getenv ("HP_SCREENSHOT_DIR");
  g_autofree char *folder = g_build_filename (base != NULL ? base : f->dir, folder_name, NULL);
  g_autofree char *file = g_strdup_printf ("%s.png", name);
  g_autofree char *path = g_build_filename (folder, file, NULL);

  assert_int_equal (g_mkdir_with_parents (folder, 0755), 0);
  if (!hp_window_save_screenshot (window_of (f), path, &error))
    fail_msg ("screenshot %s: %s", path, error->message);
  g_print ("screenshot: %s\n", path);
}

/* The first drawn widget under @root that @match accepts. */
typedef gboolean (*WidgetMatch) (GtkWidget *widget, gconstpointer data);

static GtkWidget *
find_widget (GtkWidget     *root,
             WidgetMatch    match,
             gconstpointer  data)
{
  if (gtk_widget_is_drawable (root) && match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, data);
      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct {
  const char *action;
  const char *target;
} ActionTarget;

static gboolean
is_button_for (GtkWidget *widget, gconstpointer data)
{
  const ActionTarget *wanted = data;
  GVariant *value;

  if (!GTK_IS_BUTTON (widget) ||
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), wanted->action) != 0)
    return FALSE;
  if (wanted->target == NULL)
    return TRUE;
  value = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (widget));
  return value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) &&
         g_str_equal (g_variant_get_string (value, NULL), wanted->target);
}

static gboolean
is_button_labelled (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

static gboolean
has_css_class (GtkWidget *widget, gconstpointer data)
{
  return gtk_widget_has_css_class (widget, data);
}

/* Presses a drawn button as a finger would. */
static void
tap (GtkWidget *button)
{
  assert_non_null (button);
  assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
press_target (Fixture    *f,
              const char *action,
              const char *target)
{
  ActionTarget wanted = { action, target };
  GtkWidget *button = find_widget (GTK_WIDGET (window_of (f)), is_button_for, &wanted);

  if (button == NULL)
    fail_msg ("no visible button for %s", action);
  tap (button);
}

static void
press (Fixture    *f,
       const char *action)
{
  press_target (f, action, NULL);
}

/* ---- The rules ---- */

/* Larger text must make the page's text larger, not only the window's:
 * each label at least this much bigger than in the standard display. */
#define MIN_LARGE_TEXT_GROWTH 1.12
/* A reading shown at display size is large already, and may keep its size
 * so that the result still fits the screen. */
#define DISPLAY_TEXT_PX 72.0

typedef struct {
  const char *screen;
  const char *display;
  GPtrArray *buttons;
  guint n_labels;
  /* Label → its size in the standard display, in 1/1000 px. */
  GHashTable *standard_sizes;
  gboolean large_text;
} Walk;

/* Text a patient sees inside @widget (a button's own words). */
static void
append_text (GtkWidget *widget,
             GString   *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    g_string_append (text, gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    append_text (child, text);
}

static void
check_button (Walk      *walk,
              GtkWidget *button)
{
  GtkAccessible *accessible = GTK_ACCESSIBLE (button);
  g_autoptr(GString) words = g_string_new (NULL);
  gboolean toggle = GTK_IS_TOGGLE_BUTTON (button);
  int height = gtk_widget_get_height (button);

  if (!gtk_test_accessible_has_role (accessible, GTK_ACCESSIBLE_ROLE_BUTTON))
    fail_msg ("%s (%s): a %s has role %s", walk->screen, walk->display,
              G_OBJECT_TYPE_NAME (button),
              g_enum_to_string (GTK_TYPE_ACCESSIBLE_ROLE, gtk_accessible_get_accessible_role (accessible)));
  /* A toggle tells a screen reader whether it is on. */
  if (toggle)
    assert_true (gtk_test_accessible_has_state (accessible, GTK_ACCESSIBLE_STATE_PRESSED));

  /* The name is the button's words, or an explicit label for a picture. */
  append_text (button, words);
  g_strstrip (words->str);
  if (gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL))
    {
      g_autofree char *differs = gtk_test_accessible_check_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL, "");

      if (differs == NULL)
        fail_msg ("%s (%s): a button has an empty accessible label", walk->screen, walk->display);
    }
  else if (words->str[0] == '\0')
    fail_msg ("%s (%s): a button has no words and no accessible label", walk->screen, walk->display);

  if (height < MIN_TARGET_HEIGHT)
    fail_msg ("%s (%s): button “%s” is %d px high, under %.0f px",
              walk->screen, walk->display, words->str, height, MIN_TARGET_HEIGHT);
  g_ptr_array_add (walk->buttons, button);
}

static gboolean
is_heading (GtkWidget *label)
{
  return gtk_widget_has_css_class (label, "title-1") || gtk_widget_has_css_class (label, "title-2");
}

/* A Pango size in pixels: absolute sizes are pixels, others points. */
static double
pango_size_px (int      size,
               gboolean absolute)
{
  double value = (double) size / PANGO_SCALE;

  return absolute ? value : value * 96.0 / 72.0;
}

static void
check_label (Walk      *walk,
             GtkWidget *label)
{
  const char *text = gtk_label_get_text (GTK_LABEL (label));
  PangoContext *context = gtk_widget_get_pango_context (label);
  const PangoFontDescription *font = pango_context_get_font_description (context);
  double minimum = is_heading (label) ? MIN_HEADING_PX : MIN_BODY_PX;
  double px;
  PangoAttrList *attributes;

  if (text[0] == '\0')
    return;
  walk->n_labels++;

  /* Personal data on screen is for reading, never for copying. */
  if (gtk_label_get_selectable (GTK_LABEL (label)))
    fail_msg ("%s (%s): a label can be selected", walk->screen, walk->display);

  assert_non_null (font);
  px = pango_size_px (pango_font_description_get_size (font),
                      pango_font_description_get_size_is_absolute (font));
  if (px + 0.5 < minimum)
    fail_msg ("%s (%s): %s text is %.1f px, under %.0f px",
              walk->screen, walk->display, is_heading (label) ? "heading" : "body", px, minimum);

  /* The top bar keeps its size on purpose: its buttons never move. */
  if (!walk->large_text)
    g_hash_table_insert (walk->standard_sizes, label, GINT_TO_POINTER ((int) (px * 1000)));
  else if (gtk_widget_get_ancestor (label, GTK_TYPE_STACK) != NULL &&
           g_hash_table_contains (walk->standard_sizes, label))
    {
      double standard = GPOINTER_TO_INT (g_hash_table_lookup (walk->standard_sizes, label)) / 1000.0;

      if (standard < DISPLAY_TEXT_PX && px < standard * MIN_LARGE_TEXT_GROWTH)
        fail_msg ("%s (%s): text “%s” stays at %.1f px (%.1f px in the standard display)",
                  walk->screen, walk->display, text, px, standard);
    }

  /* Markup may make part of a label smaller than its style. */
  attributes = pango_layout_get_attributes (gtk_label_get_layout (GTK_LABEL (label)));
  if (attributes != NULL)
    {
      g_autoptr(GSList) list = pango_attr_list_get_attributes (attributes);

      for (GSList *l = list; l != NULL; l = l->next)
        {
          PangoAttribute *attribute = l->data;
          double part = px;

          if (attribute->klass->type == PANGO_ATTR_SIZE)
            part = pango_size_px (((PangoAttrSize *) attribute)->size, FALSE);
          else if (attribute->klass->type == PANGO_ATTR_ABSOLUTE_SIZE)
            part = pango_size_px (((PangoAttrSize *) attribute)->size, TRUE);
          else if (attribute->klass->type == PANGO_ATTR_SCALE)
            part = px * ((PangoAttrFloat *) attribute)->value;
          if (part + 0.5 < minimum)
            fail_msg ("%s (%s): part of a label is %.1f px, under %.0f px",
                      walk->screen, walk->display, part, minimum);
        }
      g_slist_free_full (g_steal_pointer (&list), (GDestroyNotify) pango_attribute_destroy);
    }
}

static void
walk_widgets (Walk      *walk,
              GtkWidget *widget)
{
  if (!gtk_widget_is_drawable (widget))
    return;
  if (GTK_IS_BUTTON (widget))
    check_button (walk, widget);
  else if (GTK_IS_LABEL (widget))
    check_label (walk, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    walk_widgets (walk, child);
}

/* The space between two targets: negative where they overlap. */
static double
gap_between (const graphene_rect_t *a,
             const graphene_rect_t *b)
{
  double dx = MAX (b->origin.x - (a->origin.x + a->size.width), a->origin.x - (b->origin.x + b->size.width));
  double dy = MAX (b->origin.y - (a->origin.y + a->size.height), a->origin.y - (b->origin.y + b->size.height));

  return MAX (dx, dy);
}

static void
check_gaps (Walk      *walk,
            GtkWidget *root)
{
  g_autofree graphene_rect_t *bounds = g_new0 (graphene_rect_t, walk->buttons->len + 1);

  for (guint i = 0; i < walk->buttons->len; i++)
    assert_true (gtk_widget_compute_bounds (walk->buttons->pdata[i], root, &bounds[i]));
  for (guint i = 0; i < walk->buttons->len; i++)
    for (guint j = i + 1; j < walk->buttons->len; j++)
      {
        double gap = gap_between (&bounds[i], &bounds[j]);

        if (gap + 0.5 < MIN_TARGET_GAP)
          fail_msg ("%s (%s): two buttons are %.1f px apart, under %.0f px",
                    walk->screen, walk->display, gap, MIN_TARGET_GAP);
      }
}

static void
set_display (Fixture *f,
             Display  display)
{
  hp_window_set_large_text (window_of (f), display == DISPLAY_LARGE_TEXT);
  hp_window_set_high_contrast (window_of (f), display == DISPLAY_HIGH_CONTRAST);
}

/* Checks the screen as it is now in every display, and pictures it in the
 * larger-text and high-contrast ones. */
static void
check_screen (Fixture    *f,
              const char *screen)
{
  static const char * const names[N_DISPLAYS] = { "standard", "large text", "high contrast" };
  g_autoptr(GHashTable) standard_sizes = g_hash_table_new (NULL, NULL);

  for (Display display = DISPLAY_STANDARD; display < N_DISPLAYS; display++)
    {
      GtkWidget *root;
      Walk walk = { screen, names[display], g_ptr_array_new (), 0,
                    standard_sizes, display == DISPLAY_LARGE_TEXT };

      set_display (f, display);
      wait_for_paint (f);

      /* Over an open dialog only the dialog can be touched. */
      root = find_widget (GTK_WIDGET (window_of (f)), has_css_class, "scrim");
      if (root == NULL)
        root = GTK_WIDGET (window_of (f));
      /* Nothing may push the window past the screen it was sized for. */
      if (gtk_widget_get_width (GTK_WIDGET (window_of (f))) > SCREEN_WIDTH ||
          gtk_widget_get_height (GTK_WIDGET (window_of (f))) > SCREEN_HEIGHT)
        fail_msg ("%s (%s): the screen needs %d×%d px, more than %d×%d", screen, walk.display,
                  gtk_widget_get_width (GTK_WIDGET (window_of (f))),
                  gtk_widget_get_height (GTK_WIDGET (window_of (f))), SCREEN_WIDTH, SCREEN_HEIGHT);
      walk_widgets (&walk, root);
      if (walk.buttons->len == 0 || walk.n_labels == 0)
        fail_msg ("%s (%s): nothing to check", screen, walk.display);
      check_gaps (&walk, root);
      g_print ("%s (%s): %u buttons, %u labels\n", screen, walk.display, walk.buttons->len, walk.n_labels);
      g_ptr_array_unref (walk.buttons);

      if (display_folders[display] != NULL)
        screenshot (f, display_folders[display], screen);
    }
  set_display (f, DISPLAY_STANDARD);
  f->screens++;
}

/* ---- The kiosk ---- */

static Fixture *
start_kiosk_with_key (const char *extra_config,
                      const char *key_bytes)
{
  Fixture *f = g_new0 (Fixture, 1);
  g_autoptr(HpConfig) config = hp_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  f->dir = g_dir_make_tmp ("hp-a11y-XXXXXX", &error);
  assert_non_null (f->dir);
  f->db_path = g_build_filename (f->dir, "visits.db", NULL);
  if (key_bytes != NULL)
    {
      g_autofree char *key_path = g_strconcat (f->db_path, ".key", NULL);

      assert_true (g_file_set_contents_full (key_path, key_bytes, -1, G_FILE_SET_CONTENTS_NONE, 0644, NULL));
      assert_int_equal (g_chmod (key_path, 0644), 0);
    }
  /* Measuring lasts long enough to check its screen in every display. */
  text = g_strdup_printf ("[storage]\ndatabase=%s\n"
                          "[demo]\nenabled=true\nsystolic=131\ndiastolic=84\npulse=66\nmeasure-ms=5000\n"
                          "weight-kg=81\nglucose-mg-dl=97\n"
                          "%s",
                          f->db_path, extra_config);
  if (!hp_config_merge_data (config, text, strlen (text), &error))
    fail_msg ("config: %s", error->message);

  f->app = hp_application_new_with_config (config, G_APPLICATION_NON_UNIQUE);
  /* The configuration decides, as on a kiosk. */
  hp_application_set_windowed (f->app, FALSE);
  assert_true (g_application_register (G_APPLICATION (f->app), NULL, &error));
  g_application_activate (G_APPLICATION (f->app));
  wait_until (f, services_ready, NULL, "the kiosk's services");
  return f;
}

static Fixture *
start_kiosk (const char *extra_config)
{
  return start_kiosk_with_key (extra_config, NULL);
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

#define WINDOWED "[kiosk]\nfullscreen=false\n"

/* One measurement from its instructions to its result. */
static void
measure (Fixture    *f,
         HpPage      instructions,
         const char *name)
{
  g_autofree char *instructions_name = g_strdup_printf ("%s-instructions", name);
  g_autofree char *measuring_name = g_strdup_printf ("%s-measuring", name);
  g_autofree char *result_name = g_strdup_printf ("%s-result", name);

  wait_until (f, page_is, GINT_TO_POINTER (instructions), "the instructions");
  check_screen (f, instructions_name);
  press (f, "visit.start-measurement");
  wait_until (f, page_is, GINT_TO_POINTER (HP_PAGE_MEASURING), "the measuring page");
  check_screen (f, measuring_name);
  /* The demo device answers when its time is up. */
  wait_until (f, page_is, GINT_TO_POINTER (HP_PAGE_RESULT), "the result");
  check_screen (f, result_name);
}

static void
test_visit_screens (void **state G_GNUC_UNUSED)
{
  Fixture *f = start_kiosk (WINDOWED "[visit]\nidle-seconds=600\n");

  check_screen (f, "attract");
  press (f, "visit.begin");
  wait_until (f, page_is, GINT_TO_POINTER (HP_PAGE_CHOOSE), "the choose page");
  check_screen (f, "choose");

  press_target (f, "visit.choose", "blood-pressure");
  measure (f, HP_PAGE_BP_INSTRUCTIONS, "bp");

  press (f, "visit.measure-another");
  wait_until (f, page_is, GINT_TO_POINTER (HP_PAGE_CHOOSE), "the choose page again");
  check_screen (f, "choose-again");
  press_target (f, "visit.choose", "body-weight");
  measure (f, HP_PAGE_WEIGHT_INSTRUCTIONS, "weight");

  press (f, "visit.measure-another");
  wait_until (f, page_is, GINT_TO_POINTER (HP_PAGE_CHOOSE), "the choose page a third time");
  press_target (f, "visit.choose", "blood-glucose");
  wait_until (f, page_is, GINT_TO_POINTER (HP_PAGE_FASTING), "the question about eating");
  check_screen (f, "fasting");
  press_target (f, "visit.fasting", "fasting");
  measure (f, HP_PAGE_GLUCOSE_INSTRUCTIONS, "glucose");

  /* All of it once more, then saved. */
  press (f, "visit.finish");
  wait_until (f, page_is, GINT_TO_POINTER (HP_PAGE_SUMMARY), "the summary");
  check_screen (f, "summary");
  press (f, "visit.finish");
  wait_until (f, page_is, GINT_TO_POINTER (HP_PAGE_GOODBYE), "the goodbye page");
  check_screen (f, "goodbye");

  /* The help notice is a dialog of its own. */
  tap (find_widget (GTK_WIDGET (window_of (f)), is_button_labelled, "Get help"));
  check_screen (f, "help-notice");
  tap (find_widget (GTK_WIDGET (window_of (f)), is_button_labelled, "OK"));

  assert_int_equal (f->screens, 16);
  stop_kiosk (f);
}

static void
test_problem_screens (void **state G_GNUC_UNUSED)
{
  Fixture *f = start_kiosk (WINDOWED "[demo]\nfault=unplug\n[visit]\nidle-seconds=5\nwarning-seconds=20\n");

  press (f, "visit.begin");
  press (f, "visit.choose");
  press (f, "visit.start-measurement");
  wait_until (f, page_is, GINT_TO_POINTER (HP_PAGE_PROBLEM), "the problem page");
  check_screen (f, "problem");
  wait_until (f, warning_shown, NULL, "the inactivity warning");
  check_screen (f, "still-there");
  stop_kiosk (f);
}

/* A reading in the crisis range has a screen of its own. */
static void
test_crisis_screen (void **state G_GNUC_UNUSED)
{
  Fixture *f = start_kiosk (WINDOWED "[demo]\nsystolic=192\ndiastolic=124\n");

  press (f, "visit.begin");
  press_target (f, "visit.choose", "blood-pressure");
  press (f, "visit.start-measurement");
  wait_until (f, page_is, GINT_TO_POINTER (HP_PAGE_CRISIS), "the crisis page");
  check_screen (f, "crisis");
  stop_kiosk (f);
}

static void
test_out_of_service_screen (void **state G_GNUC_UNUSED)
{
  /* A key file others may read puts the kiosk out of service. */
  Fixture *f = start_kiosk_with_key (WINDOWED, "0123456789abcdef0123456789abcdef");

  assert_true (page_is (f, GINT_TO_POINTER (HP_PAGE_PROBLEM)));
  assert_int_equal (hp_visit_flow_get_step (hp_application_get_flow (f->app)), HP_VISIT_STEP_OUT_OF_SERVICE);
  check_screen (f, "out-of-service");
  stop_kiosk (f);
}

/* The display settings show signs; their names are for screen readers. */
static gboolean
is_display_button (GtkWidget *widget, gconstpointer data)
{
  g_autofree char *differs = NULL;

  if (!GTK_IS_TOGGLE_BUTTON (widget))
    return FALSE;
  differs = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, data);
  return differs == NULL;
}

/* One tap each; they stay through a change of language and end with the
 * visit, also when the visit ends by itself. */
static void
test_display_ends_with_visit (void **state G_GNUC_UNUSED)
{
  Fixture *f = start_kiosk (WINDOWED "[kiosk]\nlanguages=en;es;fr;ar\n[visit]\nidle-seconds=5\nwarning-seconds=5\n");
  GtkWidget *window;

  tap (find_widget (GTK_WIDGET (window_of (f)), is_display_button, "Larger text"));
  tap (find_widget (GTK_WIDGET (window_of (f)), is_display_button, "High contrast"));
  window = GTK_WIDGET (window_of (f));
  assert_true (gtk_widget_has_css_class (window, "large-text"));
  assert_true (gtk_widget_has_css_class (window, "high-contrast"));
  {
    g_autofree char *differs = NULL;

    differs = gtk_test_accessible_check_state (GTK_ACCESSIBLE (find_widget (window, is_display_button, "Larger text")),
                                               GTK_ACCESSIBLE_STATE_PRESSED, GTK_ACCESSIBLE_TRISTATE_TRUE);
    assert_null (differs);
  }

  press (f, "visit.begin");
  wait_until (f, page_is, GINT_TO_POINTER (HP_PAGE_CHOOSE), "the choose page");
  assert_true (hp_window_get_large_text (window_of (f)));

  /* A new language builds a new window; the patient's choices come along. */
  press (f, "visit.next-language");
  assert_string_equal (hp_visit_flow_get_language (hp_application_get_flow (f->app)), "es");
  assert_true (window != GTK_WIDGET (window_of (f)));
  assert_true (page_is (f, GINT_TO_POINTER (HP_PAGE_CHOOSE)));
  assert_true (hp_window_get_large_text (window_of (f)));
  assert_true (hp_window_get_high_contrast (window_of (f)));
  assert_true (gtk_widget_has_css_class (GTK_WIDGET (window_of (f)), "high-contrast"));

  /* Every language's words fit the same screen. */
  for (guint i = 0; i < 3; i++)
    {
      const char *language = hp_visit_flow_get_language (hp_application_get_flow (f->app));
      g_autofree char *name = g_strdup_printf ("choose-%s", language);

      check_screen (f, name);
      press (f, "visit.next-language");
    }
  assert_string_equal (hp_visit_flow_get_language (hp_application_get_flow (f->app)), "en");
  press (f, "visit.next-language");
  assert_string_equal (hp_visit_flow_get_language (hp_application_get_flow (f->app)), "es");
  hp_window_set_large_text (window_of (f), TRUE);
  hp_window_set_high_contrast (window_of (f), TRUE);
  window = GTK_WIDGET (window_of (f));

  /* Left alone, the visit ends (and the language returns): the next
   * patient finds the standard display. */
  wait_until (f, page_is, GINT_TO_POINTER (HP_PAGE_ATTRACT), "the attract page after inactivity");
  assert_string_equal (hp_visit_flow_get_language (hp_application_get_flow (f->app)), "en");
  assert_true (window != GTK_WIDGET (window_of (f)));
  assert_false (hp_window_get_large_text (window_of (f)));
  assert_false (hp_window_get_high_contrast (window_of (f)));
  assert_false (gtk_widget_has_css_class (GTK_WIDGET (window_of (f)), "large-text"));
  assert_false (gtk_widget_has_css_class (GTK_WIDGET (window_of (f)), "high-contrast"));

  /* And a visit that ends at goodbye in the same language. */
  hp_window_set_large_text (window_of (f), TRUE);
  press (f, "visit.begin");
  wait_until (f, page_is, GINT_TO_POINTER (HP_PAGE_CHOOSE), "the choose page");
  assert_true (hp_window_get_large_text (window_of (f)));
  press (f, "visit.start-over");
  wait_until (f, page_is, GINT_TO_POINTER (HP_PAGE_ATTRACT), "the attract page after start over");
  assert_false (hp_window_get_large_text (window_of (f)));
  stop_kiosk (f);
}

/* The production window: no decorations, no pointer, and Ctrl+Shift+I or
 * Ctrl+Shift+D open no inspector. */
static void
test_production_window (void **state G_GNUC_UNUSED)
{
  Fixture *f = start_kiosk ("[kiosk]\nfullscreen=true\n");
  GtkWindow *window = GTK_WINDOW (window_of (f));
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint before = g_list_model_get_n_items (toplevels);
  GdkCursor *cursor = gtk_widget_get_cursor (GTK_WIDGET (window));
  gboolean handled = FALSE;

  assert_false (gtk_window_get_decorated (window));
  assert_non_null (cursor);
  assert_string_equal (gdk_cursor_get_name (cursor), "none");

  /* What the key bindings emit. */
  g_signal_emit_by_name (window, "enable-debugging", FALSE, &handled);
  g_signal_emit_by_name (window, "enable-debugging", TRUE, &handled);
  assert_true (handled);
  wait_for_paint (f);
  assert_int_equal (g_list_model_get_n_items (toplevels), before);
  stop_kiosk (f);
}

int
main (int   argc,
      char *argv[])
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_visit_screens),
    cmocka_unit_test (test_problem_screens),
    cmocka_unit_test (test_crisis_screen),
    cmocka_unit_test (test_out_of_service_screen),
    cmocka_unit_test (test_display_ends_with_visit),
    cmocka_unit_test (test_production_window),
  };

  /* One kiosk per process: each test names the one it runs. */
  if (argc > 1)
    cmocka_set_test_filter (argv[1]);
  hp_i18n_init ();
  return cmocka_run_group_tests_name ("accessibility", tests, NULL, NULL);
}
