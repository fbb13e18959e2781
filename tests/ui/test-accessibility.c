/* Every kiosk screen, in each display setting, against UI.md's accessibility rules. */
#include <string.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "hp-application.h"
#include "hp-i18n.h"
#include "hp-test-util.h"
#include "hp-ui-fixture.h"

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
  HpUiFixture kiosk;
  guint screens;
  /* The screen the kiosk is sized for, and where its screens are saved
   * (NULL: the larger-text and high-contrast folders only). */
  int width;
  int height;
  const char *size_folder;
  /* Screens that needed more than the screen, all of them named when the
   * kiosk stops. */
  GString *misfits;
} Fixture;

/* Screenshots are named after their screen, one folder per display. */
static void
screenshot (Fixture    *f,
            const char *folder_name,
            const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s.png", name);

  g_free (hp_ui_save_screenshot (&f->kiosk, folder_name, file));
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
          {
            g_autoptr(GString) first = g_string_new (NULL);
            g_autoptr(GString) second = g_string_new (NULL);

            append_text (walk->buttons->pdata[i], first);
            append_text (walk->buttons->pdata[j], second);
            fail_msg ("%s (%s): buttons “%s” and “%s” are %.1f px apart, under %.0f px",
                      walk->screen, walk->display, first->str, second->str, gap, MIN_TARGET_GAP);
          }
      }
}

static void
set_display (Fixture *f,
             Display  display)
{
  hp_window_set_large_text (hp_ui_window (&f->kiosk), display == DISPLAY_LARGE_TEXT);
  hp_window_set_high_contrast (hp_ui_window (&f->kiosk), display == DISPLAY_HIGH_CONTRAST);
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
      int needed_width = 0, needed_height = 0;
      Walk walk = { screen, names[display], g_ptr_array_new (), 0,
                    standard_sizes, display == DISPLAY_LARGE_TEXT };

      set_display (f, display);
      hp_ui_wait_for_layout (&f->kiosk);

      /* Over an open dialog only the dialog can be touched. */
      root = find_widget (GTK_WIDGET (hp_ui_window (&f->kiosk)), has_css_class, "scrim");
      if (root == NULL)
        root = GTK_WIDGET (hp_ui_window (&f->kiosk));
      /* Nothing may push the window past the screen it was sized for.
       * A window grows and stays grown, so what each screen needs is
       * asked of it, not read from its size. */
      gtk_widget_measure (GTK_WIDGET (hp_ui_window (&f->kiosk)), GTK_ORIENTATION_HORIZONTAL, -1,
                          &needed_width, NULL, NULL, NULL);
      gtk_widget_measure (GTK_WIDGET (hp_ui_window (&f->kiosk)), GTK_ORIENTATION_VERTICAL, f->width,
                          &needed_height, NULL, NULL, NULL);
      if (needed_width > f->width || needed_height > f->height)
        g_string_append_printf (f->misfits, "%s (%s): the screen needs %d×%d px, more than %d×%d\n",
                                screen, walk.display, needed_width, needed_height, f->width, f->height);
      walk_widgets (&walk, root);
      if (walk.buttons->len == 0 || walk.n_labels == 0)
        fail_msg ("%s (%s): nothing to check", screen, walk.display);
      check_gaps (&walk, root);
      g_print ("# %s (%s): %u buttons, %u labels\n", screen, walk.display, walk.buttons->len, walk.n_labels);
      g_ptr_array_unref (walk.buttons);

      if (f->size_folder != NULL)
        {
          g_autofree char *folder = display_folders[display] == NULL ? g_strdup (f->size_folder)
                                    : g_strdup_printf ("%s-%s", f->size_folder, display_folders[display]);
          screenshot (f, folder, screen);
        }
      else if (display_folders[display] != NULL)
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
  /* Measuring lasts long enough to check its screen in every display. */
  static const char config[] = "[demo]\nenabled=true\nsystolic=131\ndiastolic=84\npulse=66\nmeasure-ms=5000\n"
                               "weight-kg=81\nglucose-mg-dl=97\n";
  /* The configuration decides, as on a kiosk. */
  HpUiKioskSetup setup = { "hp-a11y-XXXXXX", config, extra_config, key_bytes, 0644, TRUE };

  f->width = SCREEN_WIDTH;
  f->height = SCREEN_HEIGHT;
  f->misfits = g_string_new (NULL);
  hp_ui_fixture_init (&f->kiosk, &setup);
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
  hp_ui_fixture_clear (&f->kiosk);
  if (f->misfits->len > 0)
    fail_msg ("%s", f->misfits->str);
  g_string_free (f->misfits, TRUE);
  g_free (f);
}

#define WINDOWED "[kiosk]\nfullscreen=false\n"
/* A printer that is never there: the print page shows its preview, and
 * its message once printing fails. */
#define PRINTER "[printer]\nprinter=ipp://127.0.0.1:9/printers/none\n"

static gboolean
printout_failed (HpUiFixture   *kiosk,
                 gconstpointer  data G_GNUC_UNUSED)
{
  GtkWidget *page = hp_window_get_page_widget (hp_ui_window (kiosk), HP_PAGE_PRINT);

  return hp_print_page_get_state (HP_PRINT_PAGE (page)) == HP_PRINTOUT_FAILED;
}

/* One measurement from its instructions to its result. */
static void
measure (Fixture    *f,
         HpPage      instructions,
         const char *name)
{
  g_autofree char *instructions_name = g_strdup_printf ("%s-instructions", name);
  g_autofree char *measuring_name = g_strdup_printf ("%s-measuring", name);
  g_autofree char *result_name = g_strdup_printf ("%s-result", name);

  hp_ui_wait_until (&f->kiosk, hp_ui_page_is, GINT_TO_POINTER (instructions), "the instructions");
  check_screen (f, instructions_name);
  hp_ui_press (&f->kiosk, "visit.start-measurement");
  hp_ui_wait_until (&f->kiosk, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_MEASURING), "the measuring page");
  check_screen (f, measuring_name);
  /* The demo device answers when its time is up. */
  hp_ui_wait_until (&f->kiosk, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_RESULT), "the result");
  check_screen (f, result_name);
}

/* Not a weak PIN: no repeat, no run, no pattern. */
#define PIN "4071"

/* Every screen of a visit in @language, anonymous, through all three
 * measurements, a personal code taken and the goodbye; then the same
 * patient back with their code, and their blood pressure's trend. */
static void
walk_screens (Fixture    *f,
              const char *language)
{
  HpVisitFlow *flow = hp_application_get_flow (f->kiosk.app);
  g_autofree char *code = NULL;

  check_screen (f, "attract");
  hp_ui_press (&f->kiosk, "visit.begin");
  hp_ui_wait_until (&f->kiosk, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_LANGUAGE), "the language page");
  check_screen (f, "language");
  hp_ui_press_target (&f->kiosk, "visit.choose-language", language);
  hp_ui_wait_until (&f->kiosk, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_CONSENT), "the consent page");
  check_screen (f, "consent");
  hp_ui_press_target (&f->kiosk, "visit.consent", "true");
  hp_ui_wait_until (&f->kiosk, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_IDENTIFY), "the identify page");
  check_screen (f, "identify");
  /* The code and PIN pages, then back to stay anonymous. */
  hp_ui_press_target (&f->kiosk, "visit.identify", "true");
  hp_ui_wait_until (&f->kiosk, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_ENTRY), "the code page");
  check_screen (f, "enter-code");
  hp_ui_press (&f->kiosk, "visit.back");
  hp_ui_wait_until (&f->kiosk, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_IDENTIFY), "the identify page again");
  hp_ui_press_target (&f->kiosk, "visit.identify", "false");
  hp_ui_wait_until (&f->kiosk, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_AGE), "the question about age");
  check_screen (f, "age");
  hp_ui_press_target (&f->kiosk, "visit.age", "true");
  hp_ui_wait_until (&f->kiosk, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_CHOOSE), "the choose page");
  check_screen (f, "choose");

  hp_ui_press_target (&f->kiosk, "visit.choose", "blood-pressure");
  measure (f, HP_PAGE_BP_INSTRUCTIONS, "bp");

  hp_ui_press (&f->kiosk, "visit.measure-another");
  hp_ui_wait_until (&f->kiosk, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_CHOOSE), "the choose page again");
  check_screen (f, "choose-again");
  hp_ui_press_target (&f->kiosk, "visit.choose", "body-weight");
  hp_ui_wait_until (&f->kiosk, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_ENTRY), "the height question");
  check_screen (f, "height");
  /* Feet and inches, one tap away. */
  if (g_str_equal (language, "en"))
    {
      tap (find_widget (GTK_WIDGET (hp_ui_window (&f->kiosk)), is_button_labelled, "Feet, inches"));
      check_screen (f, "height-feet");
    }
  hp_ui_press_target (&f->kiosk, "visit.height", "0.0");
  measure (f, HP_PAGE_WEIGHT_INSTRUCTIONS, "weight");

  hp_ui_press (&f->kiosk, "visit.measure-another");
  hp_ui_wait_until (&f->kiosk, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_CHOOSE), "the choose page a third time");
  hp_ui_press_target (&f->kiosk, "visit.choose", "blood-glucose");
  hp_ui_wait_until (&f->kiosk, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_FASTING), "the question about eating");
  check_screen (f, "fasting");
  hp_ui_press_target (&f->kiosk, "visit.fasting", "fasting");
  measure (f, HP_PAGE_GLUCOSE_INSTRUCTIONS, "glucose");

  /* All of it once more, then saved. */
  hp_ui_press (&f->kiosk, "visit.finish");
  hp_ui_wait_until (&f->kiosk, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_SUMMARY), "the summary");
  check_screen (f, "summary");
  /* The printout's preview, then the same page once the printer (switched
   * off: nothing listens on its port) has failed it, with its message. */
  hp_ui_press (&f->kiosk, "visit.print-results");
  hp_ui_wait_until (&f->kiosk, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_PRINT), "the print preview");
  check_screen (f, "print");
  hp_ui_press (&f->kiosk, "visit.send-to-printer");
  hp_ui_wait_until (&f->kiosk, printout_failed, NULL, "the failed printout");
  check_screen (f, "print-failed");
  hp_ui_press (&f->kiosk, "visit.back");
  hp_ui_wait_until (&f->kiosk, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_SUMMARY), "the summary again");
  /* A personal code for next time: the offer, then the new-PIN page. */
  hp_ui_press (&f->kiosk, "visit.finish");
  hp_ui_wait_until (&f->kiosk, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_OFFER_CODE), "the offer of a code");
  check_screen (f, "offer-code");
  hp_ui_press (&f->kiosk, "visit.remember-me");
  hp_ui_wait_until (&f->kiosk, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_ENTRY), "the new PIN page");
  check_screen (f, "new-pin");
  hp_ui_type_on_keypad (&f->kiosk, PIN);
  hp_ui_wait_until (&f->kiosk, hp_ui_step_is, GINT_TO_POINTER (HP_VISIT_STEP_CONFIRM_PIN), "the PIN again");
  hp_ui_type_on_keypad (&f->kiosk, PIN);
  /* The code is made on a worker thread. */
  hp_ui_wait_until (&f->kiosk, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_CODE), "the new code");
  check_screen (f, "code-created");
  code = g_strdup (hp_visit_flow_get_new_code (flow));
  assert_non_null (code);
  hp_ui_press (&f->kiosk, "visit.finish");
  hp_ui_wait_until (&f->kiosk, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_GOODBYE), "the goodbye page");
  check_screen (f, "goodbye");

  /* Back with the code: the result offers the last visits, and shows them. */
  hp_ui_press (&f->kiosk, "visit.start-over");
  hp_ui_wait_until (&f->kiosk, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_ATTRACT), "the attract page");
  hp_ui_reach_identify (&f->kiosk, language);
  hp_ui_press_target (&f->kiosk, "visit.identify", "true");
  hp_ui_wait_until (&f->kiosk, hp_ui_step_is, GINT_TO_POINTER (HP_VISIT_STEP_ENTER_CODE), "the code to type");
  hp_ui_type_on_keypad (&f->kiosk, code);
  hp_ui_wait_until (&f->kiosk, hp_ui_step_is, GINT_TO_POINTER (HP_VISIT_STEP_ENTER_PIN), "the PIN to type");
  hp_ui_type_on_keypad (&f->kiosk, PIN);
  /* The PIN is checked on a worker thread. */
  hp_ui_answer_age (&f->kiosk, TRUE);
  hp_ui_wait_until (&f->kiosk, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_CHOOSE), "the choice after the PIN");
  hp_ui_press_target (&f->kiosk, "visit.choose", "blood-pressure");
  hp_ui_press (&f->kiosk, "visit.start-measurement");
  hp_ui_wait_until (&f->kiosk, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_RESULT), "the result with its trend");
  check_screen (f, "bp-result-returning");
  hp_ui_press (&f->kiosk, "result.toggle-trend");
  hp_ui_wait_for_layout (&f->kiosk);
  check_screen (f, "bp-trend");
  hp_ui_press (&f->kiosk, "visit.finish");
  hp_ui_wait_until (&f->kiosk, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_SUMMARY), "the summary");
  hp_ui_press (&f->kiosk, "visit.finish");
  hp_ui_wait_until (&f->kiosk, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_GOODBYE), "the goodbye page again");

}

static void
test_visit_screens (void **state G_GNUC_UNUSED)
{
  Fixture *f = start_kiosk (WINDOWED "[visit]\nidle-seconds=600\n" PRINTER);

  walk_screens (f, "en");
  /* The help notice is a dialog of its own. */
  tap (find_widget (GTK_WIDGET (hp_ui_window (&f->kiosk)), is_button_labelled, "Get help"));
  check_screen (f, "help-notice");
  tap (find_widget (GTK_WIDGET (hp_ui_window (&f->kiosk)), is_button_labelled, "OK"));

  assert_int_equal (f->screens, 30);
  stop_kiosk (f);
}

/* The same screens on a Full HD display, landscape and portrait (the
 * kiosk's window set to the screen's size), saved in their own folders. */
static void
check_screen_size (int         width,
                   int         height,
                   const char *language)
{
  g_autofree char *config = g_strdup_printf (WINDOWED "window-width=%d\nwindow-height=%d\n"
                                             "[visit]\nidle-seconds=600\n" PRINTER, width, height);
  g_autofree char *folder = g_strdup_printf ("%s-%dx%d", language, width, height);
  Fixture *f = start_kiosk (config);

  f->width = width;
  f->height = height;
  f->size_folder = folder;
  hp_ui_wait_for_layout (&f->kiosk);
  assert_int_equal (gtk_widget_get_width (GTK_WIDGET (hp_ui_window (&f->kiosk))), width);
  assert_int_equal (gtk_widget_get_height (GTK_WIDGET (hp_ui_window (&f->kiosk))), height);
  walk_screens (f, language);
  assert_int_equal (f->screens, g_str_equal (language, "en") ? 29 : 28);
  stop_kiosk (f);
}

/* One kiosk a process. */
static void
test_screens_full_hd_landscape (void **state G_GNUC_UNUSED)
{
  check_screen_size (1920, 1080, "en");
}

/* Portrait: the top bar wraps where a language's words need more than
 * 1080 px, and every page keeps to the narrower width. */
static void
test_screens_portrait_english (void **state G_GNUC_UNUSED)
{
  check_screen_size (1080, 1920, "en");
}

static void
test_screens_portrait_spanish (void **state G_GNUC_UNUSED)
{
  check_screen_size (1080, 1920, "es");
}

static void
test_screens_portrait_arabic (void **state G_GNUC_UNUSED)
{
  check_screen_size (1080, 1920, "ar");
}

/* The smallest screen in the languages whose words run longest. */
static void
test_screens_small_spanish (void **state G_GNUC_UNUSED)
{
  check_screen_size (1280, 800, "es");
}

static void
test_screens_small_french (void **state G_GNUC_UNUSED)
{
  check_screen_size (1280, 800, "fr");
}

static void
test_screens_small_arabic (void **state G_GNUC_UNUSED)
{
  check_screen_size (1280, 800, "ar");
}

static void
test_problem_screens (void **state G_GNUC_UNUSED)
{
  Fixture *f = start_kiosk (WINDOWED "[demo]\nfault=unplug\n[visit]\nidle-seconds=5\nwarning-seconds=20\n");

  hp_ui_begin_visit (&f->kiosk, NULL);
  hp_ui_press (&f->kiosk, "visit.choose");
  hp_ui_press (&f->kiosk, "visit.start-measurement");
  hp_ui_wait_until (&f->kiosk, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_PROBLEM), "the problem page");
  check_screen (f, "problem");
  hp_ui_wait_until (&f->kiosk, hp_ui_warning_shown, GINT_TO_POINTER (TRUE), "the inactivity warning");
  check_screen (f, "still-there");
  stop_kiosk (f);
}

/* A reading in the crisis range has a screen of its own. */
static void
test_crisis_screen (void **state G_GNUC_UNUSED)
{
  Fixture *f = start_kiosk (WINDOWED "[demo]\nsystolic=192\ndiastolic=124\n");

  hp_ui_begin_visit (&f->kiosk, NULL);
  hp_ui_press_target (&f->kiosk, "visit.choose", "blood-pressure");
  hp_ui_press (&f->kiosk, "visit.start-measurement");
  hp_ui_wait_until (&f->kiosk, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_CRISIS), "the crisis page");
  check_screen (f, "crisis");
  stop_kiosk (f);
}

static void
test_out_of_service_screen (void **state G_GNUC_UNUSED)
{
  /* A key file others may read puts the kiosk out of service. */
  Fixture *f = start_kiosk_with_key (WINDOWED, "0123456789abcdef0123456789abcdef");

  assert_true (hp_ui_page_is (&f->kiosk, GINT_TO_POINTER (HP_PAGE_PROBLEM)));
  assert_int_equal (hp_visit_flow_get_step (hp_application_get_flow (f->kiosk.app)), HP_VISIT_STEP_OUT_OF_SERVICE);
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
  Fixture *f = start_kiosk (WINDOWED "languages=en;es;fr;ar\n[visit]\nidle-seconds=5\nwarning-seconds=5\n");
  GtkWidget *window;

  tap (find_widget (GTK_WIDGET (hp_ui_window (&f->kiosk)), is_display_button, "Larger text"));
  tap (find_widget (GTK_WIDGET (hp_ui_window (&f->kiosk)), is_display_button, "High contrast"));
  window = GTK_WIDGET (hp_ui_window (&f->kiosk));
  assert_true (gtk_widget_has_css_class (window, "large-text"));
  assert_true (gtk_widget_has_css_class (window, "high-contrast"));
  {
    g_autofree char *differs = NULL;

    differs = gtk_test_accessible_check_state (GTK_ACCESSIBLE (find_widget (window, is_display_button, "Larger text")),
                                               GTK_ACCESSIBLE_STATE_PRESSED, GTK_ACCESSIBLE_TRISTATE_TRUE);
    assert_null (differs);
  }

  hp_ui_begin_visit (&f->kiosk, NULL);
  assert_true (hp_window_get_large_text (hp_ui_window (&f->kiosk)));

  /* A new language builds a new window; the patient's choices come along. */
  hp_ui_press (&f->kiosk, "visit.next-language");
  assert_string_equal (hp_visit_flow_get_language (hp_application_get_flow (f->kiosk.app)), "es");
  assert_true (window != GTK_WIDGET (hp_ui_window (&f->kiosk)));
  assert_true (hp_ui_page_is (&f->kiosk, GINT_TO_POINTER (HP_PAGE_CHOOSE)));
  assert_true (hp_window_get_large_text (hp_ui_window (&f->kiosk)));
  assert_true (hp_window_get_high_contrast (hp_ui_window (&f->kiosk)));
  assert_true (gtk_widget_has_css_class (GTK_WIDGET (hp_ui_window (&f->kiosk)), "high-contrast"));

  /* Every language's words fit the same screen. */
  for (guint i = 0; i < 3; i++)
    {
      const char *language = hp_visit_flow_get_language (hp_application_get_flow (f->kiosk.app));
      g_autofree char *name = g_strdup_printf ("choose-%s", language);

      check_screen (f, name);
      hp_ui_press (&f->kiosk, "visit.next-language");
    }
  assert_string_equal (hp_visit_flow_get_language (hp_application_get_flow (f->kiosk.app)), "en");
  hp_ui_press (&f->kiosk, "visit.next-language");
  assert_string_equal (hp_visit_flow_get_language (hp_application_get_flow (f->kiosk.app)), "es");
  hp_window_set_large_text (hp_ui_window (&f->kiosk), TRUE);
  hp_window_set_high_contrast (hp_ui_window (&f->kiosk), TRUE);
  window = GTK_WIDGET (hp_ui_window (&f->kiosk));

  /* Left alone, the visit ends (and the language returns): the next
   * patient finds the standard display. */
  hp_ui_wait_until (&f->kiosk, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_ATTRACT), "the attract page after inactivity");
  assert_string_equal (hp_visit_flow_get_language (hp_application_get_flow (f->kiosk.app)), "en");
  assert_true (window != GTK_WIDGET (hp_ui_window (&f->kiosk)));
  assert_false (hp_window_get_large_text (hp_ui_window (&f->kiosk)));
  assert_false (hp_window_get_high_contrast (hp_ui_window (&f->kiosk)));
  assert_false (gtk_widget_has_css_class (GTK_WIDGET (hp_ui_window (&f->kiosk)), "large-text"));
  assert_false (gtk_widget_has_css_class (GTK_WIDGET (hp_ui_window (&f->kiosk)), "high-contrast"));

  /* And a visit that ends at goodbye in the same language. */
  hp_window_set_large_text (hp_ui_window (&f->kiosk), TRUE);
  hp_ui_begin_visit (&f->kiosk, NULL);
  assert_true (hp_window_get_large_text (hp_ui_window (&f->kiosk)));
  hp_ui_press (&f->kiosk, "visit.start-over");
  hp_ui_wait_until (&f->kiosk, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_ATTRACT), "the attract page after start over");
  assert_false (hp_window_get_large_text (hp_ui_window (&f->kiosk)));
  stop_kiosk (f);
}

/* The production window: no decorations, no pointer, and Ctrl+Shift+I or
 * Ctrl+Shift+D open no inspector. */
static void
test_production_window (void **state G_GNUC_UNUSED)
{
  Fixture *f = start_kiosk ("[kiosk]\nfullscreen=true\n");
  GtkWindow *window = GTK_WINDOW (hp_ui_window (&f->kiosk));
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
  hp_ui_wait_for_layout (&f->kiosk);
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
    cmocka_unit_test (test_screens_full_hd_landscape),
    cmocka_unit_test (test_screens_portrait_english),
    cmocka_unit_test (test_screens_portrait_spanish),
    cmocka_unit_test (test_screens_portrait_arabic),
    cmocka_unit_test (test_screens_small_spanish),
    cmocka_unit_test (test_screens_small_french),
    cmocka_unit_test (test_screens_small_arabic),
  };

  /* One kiosk per process: each test names the one it runs. */
  if (argc > 1)
    cmocka_set_test_filter (argv[1]);
  hp_i18n_init ();
  return cmocka_run_group_tests_name ("accessibility", tests, NULL, NULL);
}
