/* Walks a demo blood pressure visit in French and in Arabic under Xvfb, and
 * checks that Arabic screens are laid out right to left. */
#include <string.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "hp-application.h"
#include "hp-i18n.h"
#include "hp-test-util.h"
#include "hp-ui-fixture.h"

static void
assert_page_shows (HpUiFixture *f,
                   HpPage       page,
                   const char  *words)
{
  g_autofree char *text = hp_ui_page_text (f, page);

  hp_ui_assert_contains (text, words);
}

/* The label on the language button: the name of the language it switches
 * to, written in that language. */
static char *
language_button_text (HpUiFixture *f)
{
  GtkWidget *button = hp_ui_find_button (GTK_WIDGET (hp_ui_window (f)), "visit.next-language", NULL);
  GString *text = g_string_new (NULL);

  if (button == NULL)
    fail_msg ("no visible language button");
  hp_ui_collect_text (button, text);
  return g_string_free (text, FALSE);
}

static void
switch_language (HpUiFixture *f,
                 const char  *code,
                 const char  *next_name)
{
  g_autofree char *label = NULL;

  hp_ui_press (f, "visit.next-language");
  assert_string_equal (hp_visit_flow_get_language (hp_application_get_flow (f->app)), code);
  label = language_button_text (f);
  hp_ui_assert_contains (label, next_name);
}

typedef struct {
  const char *code;
  /* Beside ui-visit's full walks in fr/ and ar/, in a folder of its own. */
  const char *shots_folder;
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
  .shots_folder = "fr-languages",
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
  .shots_folder = "ar-languages",
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
assert_primary_button_side (HpUiFixture        *f,
                            const char         *action,
                            const LanguageCase *lang)
{
  GtkWidget *window = GTK_WIDGET (hp_ui_window (f));
  GtkWidget *button = hp_ui_find_button (window, action, NULL);
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
assert_value_reads (HpUiFixture *f,
                    const char  *value)
{
  GtkWidget *page = hp_window_get_page_widget (hp_ui_window (f), HP_PAGE_RESULT);
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
walk_blood_pressure (HpUiFixture        *f,
                     const LanguageCase *lang)
{
  g_autofree char *attract = NULL;
  g_autofree char *choose = NULL;
  g_autofree char *instructions = NULL;
  g_autofree char *result = NULL;

  f->shots = 0;
  assert_true (hp_ui_page_is (f, GINT_TO_POINTER (HP_PAGE_ATTRACT)));
  assert_int_equal (gtk_widget_get_default_direction (), lang->direction);
  assert_int_equal (gtk_widget_get_direction (GTK_WIDGET (hp_ui_window (f))), lang->direction);
  attract = hp_ui_page_text (f, HP_PAGE_ATTRACT);
  hp_ui_assert_contains (attract, lang->start_words);
  hp_ui_screenshot (f, lang->shots_folder, "attract");

  hp_ui_begin_visit (f, NULL);
  choose = hp_ui_page_text (f, HP_PAGE_CHOOSE);
  hp_ui_assert_contains (choose, lang->choose_question);
  hp_ui_assert_contains (choose, lang->bp_choice);
  hp_ui_screenshot (f, lang->shots_folder, "choose");

  hp_ui_press_target (f, "visit.choose", "blood-pressure");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_BP_INSTRUCTIONS), "the instructions");
  instructions = hp_ui_page_text (f, HP_PAGE_BP_INSTRUCTIONS);
  hp_ui_assert_contains (instructions, lang->bp_ready);
  hp_ui_assert_contains (instructions, lang->bp_step);
  hp_ui_assert_contains (instructions, lang->start_button);
  hp_ui_screenshot (f, lang->shots_folder, "bp-instructions");
  assert_primary_button_side (f, "visit.start-measurement", lang);

  hp_ui_press (f, "visit.start-measurement");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_MEASURING), "the measuring page");
  assert_page_shows (f, HP_PAGE_MEASURING, lang->bp_measuring);
  hp_ui_screenshot (f, lang->shots_folder, "measuring");

  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_RESULT), "the result");
  result = hp_ui_page_text (f, HP_PAGE_RESULT);
  hp_ui_assert_contains (result, lang->bp_title);
  hp_ui_assert_contains (result, lang->unit);
  hp_ui_assert_contains (result, lang->pulse_words);
  hp_ui_assert_contains (result, lang->screening);
  hp_ui_screenshot (f, lang->shots_folder, "result");
  assert_value_reads (f, "131/84");
  assert_primary_button_side (f, "visit.finish", lang);

  hp_ui_press (f, "visit.start-over");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_ATTRACT), "the attract page");
}

static void
test_visit_in_french_and_arabic (void **state G_GNUC_UNUSED)
{
  HpUiFixture *f = hp_ui_fixture_start ("[visit]\nidle-seconds=600\n");
  g_autofree char *label = NULL;

  /* The button cycles through the four languages in the configured
   * order, each time naming the next one in its own words. */
  assert_string_equal (hp_visit_flow_get_language (hp_application_get_flow (f->app)), "en");
  label = language_button_text (f);
  hp_ui_assert_contains (label, "Español");
  assert_int_equal (gtk_widget_get_default_direction (), GTK_TEXT_DIR_LTR);

  switch_language (f, "es", "Français");
  switch_language (f, "fr", "العربية");
  walk_blood_pressure (f, &french);

  switch_language (f, "ar", "English");
  walk_blood_pressure (f, &arabic);

  /* Back to English: left to right again. */
  switch_language (f, "en", "Español");
  assert_int_equal (gtk_widget_get_default_direction (), GTK_TEXT_DIR_LTR);
  assert_int_equal (gtk_widget_get_direction (GTK_WIDGET (hp_ui_window (f))), GTK_TEXT_DIR_LTR);
  hp_ui_fixture_stop (f);
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
