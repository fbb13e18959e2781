/* Walks demo visits through the real kiosk widgets under Xvfb, in English, Spanish, French and Arabic. */
#include <glib/gstdio.h>
#include <string.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "hp-application.h"
#include "hp-i18n.h"
#include "hp-patient-code.h"
#include "hp-result-page.h"
#include "hp-summary-page.h"
#include "hp-trend-chart.h"
#include "hp-test-util.h"
#include "hp-ui-fixture.h"

/* The words the patient can see now, over every page and overlay. */
static void
collect_shown_text (GtkWidget *root,
                    GString   *text)
{
  if (!gtk_widget_get_mapped (root))
    return;
  if (GTK_IS_LABEL (root))
    {
      g_string_append (text, gtk_label_get_text (GTK_LABEL (root)));
      g_string_append_c (text, '\n');
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_shown_text (child, text);
}

static char *
shown_text (HpUiFixture *f)
{
  GString *text = g_string_new (NULL);

  collect_shown_text (GTK_WIDGET (hp_ui_window (f)), text);
  return g_string_free (text, FALSE);
}

/* The label under @root whose words hold @words; fails when there is none. */
static GtkWidget *
find_label (GtkWidget  *root,
            const char *words)
{
  GtkWidget *found = NULL;

  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_text (GTK_LABEL (root)), words) != NULL)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL && found == NULL;
       child = gtk_widget_get_next_sibling (child))
    found = find_label (child, words);
  if (found == NULL && gtk_widget_get_parent (root) == NULL)
    fail_msg ("no label says “%s”", words);
  return found;
}

/* Whether the page on screen fits the 1280×800 screen, in the display it
 * is in: what the window needs at that width, asked rather than read from
 * its size (a window that grew stays grown). %NULL when it does, else what
 * it needs. */
static char *
page_misfit (HpUiFixture *f,
             HpPage       page)
{
  GtkWidget *window = GTK_WIDGET (hp_ui_window (f));
  int min_width = 0, min_height = 0;

  assert_true (hp_ui_page_is (f, GINT_TO_POINTER (page)));
  gtk_widget_measure (window, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  gtk_widget_measure (window, GTK_ORIENTATION_VERTICAL, 1280, &min_height, NULL, NULL, NULL);
  if (min_width > 1280 || min_height > 800)
    return g_strdup_printf ("the screen needs %d×%d px, more than 1280×800", min_width, min_height);
  return NULL;
}

static void
assert_page_fits (HpUiFixture *f,
                  HpPage       page)
{
  g_autofree char *misfit = page_misfit (f, page);

  if (misfit != NULL)
    fail_msg ("%s", misfit);
}

typedef struct {
  const char *code;
  GtkTextDirection direction;
  const char *start_words;
  const char *saved_words;
  const char *bp_ready;
  const char *bp_measuring;
  const char *bp_title;
  const char *bp_unit;
  const char *pulse_words;
  const char *pulse_row_words;
  const char *screening;
  const char *weight_ready;
  const char *weight_step;
  const char *weight_measuring;
  const char *weight_title;
  const char *weight_unit;
  const char *weight_value;  /* 81.0 kg with the language's decimal separator */
  const char *fasting_question;
  const char *fasting_no_words;
  const char *glucose_ready;
  const char *glucose_step;
  const char *glucose_measuring;
  const char *glucose_title;
  const char *glucose_unit;
  const char *eaten_words;
  const char *done_words;
  const char *summary_title;
  const char *bp_name;
  const char *weight_name;
  const char *glucose_name;
  const char *language_question;
  const char *consent_words;
  const char *consent_sharing;
  const char *age_question;
  const char *identify_question;
  const char *height_question;
  const char *bmi_words;
  const char *pregnancy_note;
  const char *offer_question;
} LanguageCase;

static const LanguageCase english = {
  .code = "en",
  .direction = GTK_TEXT_DIR_LTR,
  .start_words = "Touch here to start",
  .saved_words = "Your visit is saved",
  .bp_ready = "Get ready for your blood pressure",
  .bp_measuring = "Measuring your blood pressure",
  .bp_title = "Your blood pressure",
  .bp_unit = "mmHg",
  .pulse_words = "Pulse: 66 beats per minute",
  .pulse_row_words = "beats per minute",
  .screening = "This is a screening, not a diagnosis.",
  .weight_ready = "Get ready for your weight",
  .weight_step = "Take off heavy shoes and coats if you can.",
  .weight_measuring = "Measuring your weight",
  .weight_title = "Your weight",
  .weight_unit = "kg",
  .weight_value = "81.0",
  .fasting_question = "Have you eaten in the last 8 hours?",
  .fasting_no_words = "No, nothing in 8 hours",
  .glucose_ready = "Get ready for your blood sugar test",
  .glucose_step = "Put a new test strip into the meter.",
  .glucose_measuring = "Reading your blood sugar",
  .glucose_title = "Your blood sugar",
  .glucose_unit = "mg/dL",
  .eaten_words = "After eating in the last 8 hours.",
  .done_words = "I am done",
  .summary_title = "Your results today",
  .bp_name = "Blood pressure",
  .weight_name = "Weight",
  .glucose_name = "Blood sugar",
  .language_question = "Which language do you want?",
  .consent_words = "for 1 year. Then they are deleted.",
  .consent_sharing = "leave this kiosk only when staff send them to a clinic for your care",
  .age_question = "Are you 18 or older?",
  .identify_question = "Have you used this kiosk before?",
  .height_question = "How tall are you?",
  .bmi_words = "Body-mass index (BMI): 25.0, for a height of 180 cm.",
  .pregnancy_note = "If you are pregnant, these ranges do not apply.",
  .offer_question = "Would you like to see your numbers next time?",
};

static const LanguageCase spanish = {
  .code = "es",
  .direction = GTK_TEXT_DIR_LTR,
  .start_words = "Toque aquí para empezar",
  .saved_words = "Su visita está guardada",
  .bp_ready = "Prepárese para medir su presión arterial",
  .bp_measuring = "Midiendo su presión arterial",
  .bp_title = "Su presión arterial",
  .bp_unit = "mmHg",
  .pulse_words = "Pulso: 66 latidos por minuto",
  .pulse_row_words = "latidos por minuto",
  .screening = "no un diagnóstico.",
  .weight_ready = "Prepárese para medir su peso",
  .weight_step = "Quítese los zapatos y abrigos pesados si puede.",
  .weight_measuring = "Midiendo su peso",
  .weight_title = "Su peso",
  .weight_unit = "kg",
  .weight_value = "81.0",
  .fasting_question = "¿Ha comido algo en las últimas 8 horas?",
  .fasting_no_words = "No, nada en 8 horas",
  .glucose_ready = "Prepárese para la prueba de azúcar en la sangre",
  .glucose_step = "Ponga una tira reactiva nueva en el medidor.",
  .glucose_measuring = "Leyendo su azúcar en la sangre",
  .glucose_title = "Su azúcar en la sangre",
  .glucose_unit = "mg/dL",
  .eaten_words = "Después de comer en las últimas 8 horas.",
  .done_words = "Ya terminé",
  .summary_title = "Sus resultados de hoy",
  .bp_name = "Presión arterial",
  .weight_name = "Peso",
  .glucose_name = "Azúcar en la sangre",
  .language_question = "¿En qué idioma lo quiere?",
  .consent_words = "durante 1 año. Después se borran.",
  .consent_sharing = "solo salen de este quiosco cuando el personal las envía a una clínica",
  .age_question = "¿Tiene 18 años o más?",
  .identify_question = "¿Ha usado este quiosco antes?",
  .height_question = "¿Cuánto mide?",
  .bmi_words = "Índice de masa corporal (IMC): 25.0, para una estatura de 180 cm.",
  .pregnancy_note = "Si está embarazada, estos rangos no se aplican.",
  .offer_question = "¿Quiere ver sus números la próxima vez?",
};

/* The French and Arabic words are the catalogues' (po/fr.po, po/ar.po)
 * for the English ones above. Decimals take the catalogue's separator:
 * a comma in French, a point in the others. */
static const LanguageCase french = {
  .code = "fr",
  .direction = GTK_TEXT_DIR_LTR,
  .start_words = "Touchez ici pour commencer",
  .saved_words = "Votre visite est enregistrée. Prenez soin de vous.",
  .bp_ready = "Préparez-vous pour votre tension",
  .bp_measuring = "Mesure de votre tension",
  .bp_title = "Votre tension",
  .bp_unit = "mmHg",
  .pulse_words = "Pouls : 66 battements par minute",
  .pulse_row_words = "battements par minute",
  .screening = "Ceci est un dépistage, pas un diagnostic.",
  .weight_ready = "Préparez-vous pour votre poids",
  .weight_step = "Enlevez les chaussures et les manteaux lourds si vous le pouvez.",
  .weight_measuring = "Mesure de votre poids",
  .weight_title = "Votre poids",
  .weight_unit = "kg",
  .weight_value = "81,0",
  .fasting_question = "Avez-vous mangé dans les 8 dernières heures ?",
  .fasting_no_words = "Non, rien depuis 8 heures",
  .glucose_ready = "Préparez-vous pour le test du taux de sucre dans le sang",
  .glucose_step = "Mettez une bandelette neuve dans le lecteur.",
  .glucose_measuring = "Lecture de votre taux de sucre dans le sang",
  .glucose_title = "Votre taux de sucre dans le sang",
  .glucose_unit = "mg/dL",
  .eaten_words = "Après avoir mangé dans les 8 dernières heures.",
  .done_words = "J’ai fini",
  .summary_title = "Vos résultats d’aujourd’hui",
  .bp_name = "Tension",
  .weight_name = "Poids",
  .glucose_name = "Taux de sucre dans le sang",
  .language_question = "Dans quelle langue voulez-vous continuer ?",
  .consent_words = "pendant 1 an. Ensuite, elles sont effacées.",
  .consent_sharing = "Seul le personnel peut envoyer vos mesures à une clinique",
  .age_question = "Avez-vous 18 ans ou plus ?",
  .identify_question = "Avez-vous déjà utilisé cette borne ?",
  .height_question = "Quelle est votre taille ?",
  .bmi_words = "Indice de masse corporelle (IMC) : 25,0, pour une taille de 180 cm.",
  .pregnancy_note = "Si vous êtes enceinte, ces repères ne s’appliquent pas.",
  .offer_question = "Voulez-vous voir vos chiffres la prochaine fois ?",
};

/* Arabic has six plural forms: one year is "عام واحد", not "1 عام". */
static const LanguageCase arabic = {
  .code = "ar",
  .direction = GTK_TEXT_DIR_RTL,
  .start_words = "للبدء، يرجى اللمس هنا",
  .saved_words = "تم حفظ زيارتك. نتمنى لك الصحة والعافية.",
  .bp_ready = "الاستعداد لقياس ضغط الدم",
  .bp_measuring = "جارٍ قياس ضغط الدم",
  .bp_title = "ضغط دمك",
  .bp_unit = "ملم زئبق",
  .pulse_words = "النبض: 66 نبضة في الدقيقة",
  .pulse_row_words = "نبضة في الدقيقة",
  .screening = "هذا فحص أولي، وليس تشخيصًا.",
  .weight_ready = "الاستعداد لقياس الوزن",
  .weight_step = "يرجى خلع الأحذية والمعاطف الثقيلة إن أمكن.",
  .weight_measuring = "جارٍ قياس وزنك",
  .weight_title = "وزنك",
  .weight_unit = "كغ",
  .weight_value = "81.0",
  .fasting_question = "هل تم تناول أي طعام في آخر 8 ساعات؟",
  .fasting_no_words = "لا، لا شيء منذ 8 ساعات",
  .glucose_ready = "الاستعداد لفحص سكر الدم",
  .glucose_step = "يرجى وضع شريط فحص جديد في جهاز السكر.",
  .glucose_measuring = "جارٍ قراءة سكر الدم",
  .glucose_title = "سكر الدم عندك",
  .glucose_unit = "ملغ/دسل",
  .eaten_words = "بعد الأكل في آخر 8 ساعات.",
  .done_words = "انتهيت",
  .summary_title = "نتائجك اليوم",
  .bp_name = "ضغط الدم",
  .weight_name = "الوزن",
  .glucose_name = "سكر الدم",
  .language_question = "ما اللغة التي تريدها؟",
  .consent_words = "لمدة عام واحد. ثم تُحذف.",
  .consent_sharing = "إلا عندما يرسلها الموظفون إلى عيادة",
  .age_question = "هل العمر 18 سنة أو أكثر؟",
  .identify_question = "هل سبق استخدام هذا الكشك؟",
  .height_question = "كم طولك؟",
  .bmi_words = "مؤشر كتلة الجسم: 25.0، لطول 180 سم.",
  .pregnancy_note = "في حالة الحمل، لا تنطبق هذه النطاقات.",
  .offer_question = "هل تريد أن ترى أرقامك في المرة القادمة؟",
};

/* The demo meter stamps its new test with the minute before it is read,
 * and gives one test only once: a second visit's test must come from a
 * later minute than the first's. */
static gint64 last_glucose_minute = -1;

static gint64
current_minute (void)
{
  return g_get_real_time () / G_USEC_PER_SEC / 60;
}

static gboolean
minute_changed (gconstpointer data G_GNUC_UNUSED)
{
  return current_minute () != last_glucose_minute;
}

static void
wait_for_new_meter_minute (void)
{
  if (last_glucose_minute >= 0 && !hp_test_iterate_until (minute_changed, NULL, 61 + HP_UI_HANG_GUARD_SECONDS))
    fail_msg ("the clock did not move on");
}

/* How many screenshots one walk through the visit takes: the other tests
 * number theirs after these, beside them in the same folders. */
#define VISIT_SHOTS 21

static void
assert_page_shows (HpUiFixture *f,
                   HpPage       page,
                   const char  *words)
{
  g_autofree char *text = hp_ui_page_text (f, page);

  hp_ui_assert_contains (text, words);
}

/* The summary's buttons follow the reading direction: the primary Finish
 * comes last, to the right in left-to-right languages and to the left in
 * right-to-left ones. No call is offered while calls cannot be made. */
static void
assert_finish_after_call (HpUiFixture        *f,
                          const LanguageCase *lang)
{
  GtkWidget *window = GTK_WIDGET (hp_ui_window (f));
  GtkWidget *finish = hp_ui_find_button (window, "visit.finish", NULL);
  GtkWidget *call = hp_ui_find_button (window, "visit.call-clinician", NULL);
  graphene_rect_t finish_at, window_at;

  assert_non_null (finish);
  assert_null (call);
  assert_true (gtk_widget_has_css_class (finish, "primary"));
  assert_true (gtk_widget_compute_bounds (finish, window, &finish_at));
  assert_true (gtk_widget_compute_bounds (window, window, &window_at));
  if (lang->direction == GTK_TEXT_DIR_RTL)
    {
      if (finish_at.origin.x > window_at.size.width / 2)
        fail_msg ("%s: Finish (x=%.0f) is not on the left", lang->code, finish_at.origin.x);
    }
  else if (finish_at.origin.x + finish_at.size.width < window_at.size.width / 2)
    fail_msg ("%s: Finish (x=%.0f) is not on the right", lang->code, finish_at.origin.x);
}

/* A summary too big for the screen is added to @misfits: the test fails on
 * it once every walk is over, so that the rest of each is still checked. */
static void
walk_visit (HpUiFixture        *f,
            const LanguageCase *lang,
            GString            *misfits)
{
  g_autofree char *misfit = NULL;
  g_autofree char *attract = NULL;
  g_autofree char *choose = NULL;
  g_autofree char *result = NULL;
  g_autofree char *goodbye = NULL;
  g_autofree char *measuring = NULL;
  g_autofree char *summary = NULL;

  assert_true (hp_ui_page_is (f, GINT_TO_POINTER (HP_PAGE_ATTRACT)));
  assert_int_equal (gtk_widget_get_direction (GTK_WIDGET (hp_ui_window (f))), lang->direction);
  attract = hp_ui_page_text (f, HP_PAGE_ATTRACT);
  hp_ui_assert_contains (attract, lang->start_words);
  hp_ui_assert_no_hidden_animation (GTK_WIDGET (hp_ui_window (f)));
  hp_ui_screenshot (f, lang->code, "attract");

  hp_ui_press (f, "visit.begin");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_LANGUAGE), "the language page");
  assert_page_shows (f, HP_PAGE_LANGUAGE, lang->language_question);
  /* Every language of the kiosk, each by its own name. */
  assert_page_shows (f, HP_PAGE_LANGUAGE, "Español");
  assert_page_shows (f, HP_PAGE_LANGUAGE, "العربية");
  for (guint i = 0; i < 4; i++)
    assert_non_null (hp_ui_find_button (GTK_WIDGET (hp_ui_window (f)), "visit.choose-language",
                                        (const char *[]) { "en", "es", "fr", "ar" }[i]));
  hp_ui_screenshot (f, lang->code, "language");

  hp_ui_press_target (f, "visit.choose-language", lang->code);
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_CONSENT), "the consent page");
  assert_page_shows (f, HP_PAGE_CONSENT, lang->consent_words);
  /* What is true: readings leave only for the patient's care, through
   * staff; never "sent nowhere", since staff can export for a clinic. */
  assert_page_shows (f, HP_PAGE_CONSENT, lang->consent_sharing);
  assert_non_null (hp_ui_find_button (GTK_WIDGET (hp_ui_window (f)), "visit.consent", "false"));
  hp_ui_screenshot (f, lang->code, "consent");

  hp_ui_press_target (f, "visit.consent", "true");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_IDENTIFY), "the identify page");
  assert_page_shows (f, HP_PAGE_IDENTIFY, lang->identify_question);
  assert_non_null (hp_ui_find_button (GTK_WIDGET (hp_ui_window (f)), "visit.identify", "true"));
  hp_ui_screenshot (f, lang->code, "identify");

  hp_ui_press_target (f, "visit.identify", "false");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_AGE), "the question about age");
  assert_page_shows (f, HP_PAGE_AGE, lang->age_question);
  hp_ui_screenshot (f, lang->code, "age");
  hp_ui_press_target (f, "visit.age", "true");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_CHOOSE), "the choose page");
  /* All three devices of the demo are offered; nothing is measured yet, so
   * there is nothing to finish. */
  assert_non_null (hp_ui_find_button (GTK_WIDGET (hp_ui_window (f)), "visit.choose", "blood-pressure"));
  assert_non_null (hp_ui_find_button (GTK_WIDGET (hp_ui_window (f)), "visit.choose", "body-weight"));
  assert_non_null (hp_ui_find_button (GTK_WIDGET (hp_ui_window (f)), "visit.choose", "blood-glucose"));
  assert_null (hp_ui_find_button (GTK_WIDGET (hp_ui_window (f)), "visit.finish", NULL));
  hp_ui_screenshot (f, lang->code, "choose");

  /* Blood pressure. */
  hp_ui_press_target (f, "visit.choose", "blood-pressure");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_BP_INSTRUCTIONS), "the instructions");
  assert_page_shows (f, HP_PAGE_BP_INSTRUCTIONS, lang->bp_ready);
  hp_ui_screenshot (f, lang->code, "bp-instructions");

  hp_ui_press (f, "visit.start-measurement");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_MEASURING), "the measuring page");
  assert_page_shows (f, HP_PAGE_MEASURING, lang->bp_measuring);
  hp_ui_screenshot (f, lang->code, "measuring");

  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_RESULT), "the result");
  result = hp_ui_page_text (f, HP_PAGE_RESULT);
  hp_ui_assert_contains (result, lang->bp_title);
  hp_ui_assert_contains (result, "131/84");
  hp_ui_assert_contains (result, lang->bp_unit);
  hp_ui_assert_contains (result, lang->pulse_words);
  hp_ui_assert_contains (result, lang->screening);
  hp_ui_assert_no_hidden_animation (GTK_WIDGET (hp_ui_window (f)));
  hp_ui_screenshot (f, lang->code, "result");

  /* Weight, in the same visit. */
  hp_ui_press (f, "visit.measure-another");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_CHOOSE), "the choose page again");
  choose = hp_ui_page_text (f, HP_PAGE_CHOOSE);
  hp_ui_assert_contains (choose, lang->done_words);
  assert_non_null (hp_ui_find_button (GTK_WIDGET (hp_ui_window (f)), "visit.finish", NULL));
  hp_ui_screenshot (f, lang->code, "choose-again");

  hp_ui_press_target (f, "visit.choose", "body-weight");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_ENTRY), "the height question");
  assert_page_shows (f, HP_PAGE_ENTRY, lang->height_question);
  hp_ui_screenshot (f, lang->code, "height");
  hp_ui_type_on_keypad (f, "180");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_WEIGHT_INSTRUCTIONS), "the weight instructions");
  assert_page_shows (f, HP_PAGE_WEIGHT_INSTRUCTIONS, lang->weight_ready);
  assert_page_shows (f, HP_PAGE_WEIGHT_INSTRUCTIONS, lang->weight_step);
  hp_ui_screenshot (f, lang->code, "weight-instructions");

  hp_ui_press (f, "visit.start-measurement");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_MEASURING), "the scale to weigh");
  measuring = hp_ui_page_text (f, HP_PAGE_MEASURING);
  hp_ui_assert_contains (measuring, lang->weight_measuring);
  hp_ui_screenshot (f, lang->code, "weight-measuring");

  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_RESULT), "the weight");
  g_free (result);
  result = hp_ui_page_text (f, HP_PAGE_RESULT);
  hp_ui_assert_contains (result, lang->weight_title);
  hp_ui_assert_contains (result, lang->weight_value);
  hp_ui_assert_contains (result, lang->weight_unit);
  hp_ui_assert_contains (result, lang->bmi_words);
  hp_ui_assert_contains (result, lang->pregnancy_note);
  hp_ui_assert_contains (result, lang->screening);
  assert_null (strstr (result, "131/84"));
  hp_ui_screenshot (f, lang->code, "weight-result");

  /* Blood sugar: first the question about eating. */
  hp_ui_press (f, "visit.measure-another");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_CHOOSE), "the choose page a third time");
  hp_ui_press_target (f, "visit.choose", "blood-glucose");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_FASTING), "the question about eating");
  assert_page_shows (f, HP_PAGE_FASTING, lang->fasting_question);
  assert_page_shows (f, HP_PAGE_FASTING, lang->fasting_no_words);
  hp_ui_screenshot (f, lang->code, "fasting");

  hp_ui_press_target (f, "visit.fasting", "eaten");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_GLUCOSE_INSTRUCTIONS), "the glucose instructions");
  assert_int_equal (hp_visit_flow_get_fasting (hp_application_get_flow (f->app)), HP_FASTING_NO);
  assert_page_shows (f, HP_PAGE_GLUCOSE_INSTRUCTIONS, lang->glucose_ready);
  assert_page_shows (f, HP_PAGE_GLUCOSE_INSTRUCTIONS, lang->glucose_step);
  hp_ui_screenshot (f, lang->code, "glucose-instructions");

  wait_for_new_meter_minute ();
  last_glucose_minute = current_minute ();
  hp_ui_press (f, "visit.start-measurement");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_MEASURING), "the meter to be read");
  g_free (measuring);
  measuring = hp_ui_page_text (f, HP_PAGE_MEASURING);
  hp_ui_assert_contains (measuring, lang->glucose_measuring);
  hp_ui_screenshot (f, lang->code, "glucose-measuring");

  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_RESULT), "the blood sugar");
  g_free (result);
  result = hp_ui_page_text (f, HP_PAGE_RESULT);
  hp_ui_assert_contains (result, lang->glucose_title);
  hp_ui_assert_contains (result, "97");
  hp_ui_assert_contains (result, lang->glucose_unit);
  hp_ui_assert_contains (result, lang->eaten_words);
  hp_ui_assert_contains (result, lang->screening);
  hp_ui_screenshot (f, lang->code, "glucose-result");

  /* The visit keeps all three. */
  assert_int_equal (hp_visit_get_n_measurements (hp_visit_flow_get_visit (hp_application_get_flow (f->app))), 3);

  /* Finish first sums up the visit, with what to do next. */
  hp_ui_press (f, "visit.finish");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_SUMMARY), "the summary page");
  summary = hp_ui_page_text (f, HP_PAGE_SUMMARY);
  hp_ui_assert_contains (summary, lang->summary_title);
  hp_ui_assert_contains (summary, lang->bp_name);
  hp_ui_assert_contains (summary, "131/84");
  hp_ui_assert_contains (summary, lang->weight_name);
  hp_ui_assert_contains (summary, lang->weight_value);
  hp_ui_assert_contains (summary, lang->glucose_name);
  hp_ui_assert_contains (summary, "97");
  hp_ui_assert_contains (summary, lang->screening);
  /* Three readings and the cuff's pulse in a row of its own. */
  assert_int_equal (hp_summary_page_get_n_rows (HP_SUMMARY_PAGE (hp_window_get_page_widget (hp_ui_window (f),
                                                                                              HP_PAGE_SUMMARY))), 4);
  hp_ui_assert_contains (summary, "66");
  hp_ui_assert_contains (summary, lang->pulse_row_words);
  /* This kiosk cannot make clinician calls: nothing offers one. */
  assert_null (hp_ui_find_button (GTK_WIDGET (hp_ui_window (f)), "visit.call-clinician", NULL));
  assert_non_null (hp_ui_find_button (GTK_WIDGET (hp_ui_window (f)), "visit.finish", NULL));
  assert_null (hp_ui_find_button (GTK_WIDGET (hp_ui_window (f)), "visit.measure-another", NULL));
  misfit = page_misfit (f, HP_PAGE_SUMMARY);
  if (misfit != NULL)
    g_string_append_printf (misfits, "%s summary: %s\n", lang->code, misfit);
  hp_ui_screenshot (f, lang->code, "summary");
  /* The screenshot drew a frame: the buttons have their places now. */
  assert_int_equal (gtk_widget_get_direction (GTK_WIDGET (hp_ui_window (f))), lang->direction);
  assert_finish_after_call (f, lang);

  /* This demo kiosk has no printer: no page offers to print (the print
   * path has its own test, with a printer). */
  assert_null (hp_ui_find_button (GTK_WIDGET (hp_ui_window (f)), "visit.print-results", NULL));

  /* An anonymous patient is offered a personal code; "No, thank you" saves. */
  hp_ui_press (f, "visit.finish");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_OFFER_CODE), "the offer of a code");
  assert_page_shows (f, HP_PAGE_OFFER_CODE, lang->offer_question);
  assert_non_null (hp_ui_find_button (GTK_WIDGET (hp_ui_window (f)), "visit.remember-me", NULL));
  hp_ui_screenshot (f, lang->code, "offer-code");
  hp_ui_press (f, "visit.finish");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_GOODBYE), "the goodbye page");
  goodbye = hp_ui_page_text (f, HP_PAGE_GOODBYE);
  hp_ui_assert_contains (goodbye, lang->saved_words);
  hp_ui_screenshot (f, lang->code, "goodbye");
  assert_int_equal (f->shots, VISIT_SHOTS);

  hp_ui_press (f, "visit.start-over");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_ATTRACT), "the attract page");

  /* Nothing of the visit is left on the result or measuring pages. */
  g_free (result);
  result = hp_ui_page_text (f, HP_PAGE_RESULT);
  assert_null (strstr (result, "131"));
  assert_null (strstr (result, lang->weight_value));
  assert_null (strstr (result, "97"));
  assert_null (strstr (result, lang->eaten_words));
  g_free (summary);
  summary = hp_ui_page_text (f, HP_PAGE_SUMMARY);
  assert_null (strstr (summary, "131"));
  assert_null (strstr (summary, "97"));
  assert_null (strstr (summary, lang->bp_name));
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

/* The demo devices' values must not lie in the clear in the database, its
 * write-ahead log or its shared memory, as the doubles SQLite would store in
 * either byte order. (Shorter patterns, such as the float of a whole number
 * with its two zero bytes, turn up by chance in ciphertext.) */
static void
assert_values_sealed (HpUiFixture *f)
{
  static const double values[] = { 131, 84, 66, 81, 97 };
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  for (gsize s = 0; s < G_N_ELEMENTS (suffixes); s++)
    {
      g_autofree char *path = g_strconcat (f->db_path, suffixes[s], NULL);

      for (gsize v = 0; v < G_N_ELEMENTS (values); v++)
        {
          guint64 bits;
          guint64 swapped;

          memcpy (&bits, &values[v], sizeof bits);
          swapped = GUINT64_SWAP_LE_BE (bits);
          if (file_holds (path, &bits, sizeof bits) || file_holds (path, &swapped, sizeof swapped))
            fail_msg ("a value of the visit lies in the clear in %s", path);
        }
    }
}

static void
test_visit_in_english_and_spanish (void **state G_GNUC_UNUSED)
{
  /* The quiet-time clock must not end the visit while the meter's minute
   * turns (see wait_for_new_meter_minute). */
  HpUiFixture *f = hp_ui_fixture_start ("[visit]\nidle-seconds=600\n");
  g_autoptr(HpStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) misfits = g_string_new (NULL);

  walk_visit (f, &english, misfits);

  /* The language button is on the attract screen; it switches everything. */
  hp_ui_press (f, "visit.next-language");
  assert_string_equal (hp_visit_flow_get_language (hp_application_get_flow (f->app)), "es");
  f->shots = 0;
  walk_visit (f, &spanish, misfits);
  if (misfits->len > 0)
    fail_msg ("%s", misfits->str);

  assert_values_sealed (f);
  store = hp_store_open_demo (f->db_path, &error);
  assert_non_null (store);
  assert_int_equal (hp_store_count_visits (store, &error), 2);
  hp_ui_fixture_stop (f);
}

/* Presses the attract screen's language button until the kiosk speaks
 * @code. */
static void
show_language (HpUiFixture *f,
               const char  *code)
{
  HpVisitFlow *flow = hp_application_get_flow (f->app);

  for (guint i = 0; i < 4 && !g_str_equal (hp_visit_flow_get_language (flow), code); i++)
    hp_ui_press (f, "visit.next-language");
  assert_string_equal (hp_visit_flow_get_language (flow), code);
}

static void
test_visit_in_french_and_arabic (void **state G_GNUC_UNUSED)
{
  HpUiFixture *f = hp_ui_fixture_start ("[visit]\nidle-seconds=600\n");
  g_autoptr(HpStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) misfits = g_string_new (NULL);

  show_language (f, "fr");
  walk_visit (f, &french, misfits);

  show_language (f, "ar");
  f->shots = 0;
  walk_visit (f, &arabic, misfits);
  if (misfits->len > 0)
    fail_msg ("%s", misfits->str);

  /* Back in a left-to-right language, the window is too. */
  show_language (f, "en");
  assert_int_equal (gtk_widget_get_direction (GTK_WIDGET (hp_ui_window (f))), GTK_TEXT_DIR_LTR);

  assert_values_sealed (f);
  store = hp_store_open_demo (f->db_path, &error);
  assert_non_null (store);
  assert_int_equal (hp_store_count_visits (store, &error), 2);
  hp_ui_fixture_stop (f);
}

/* The new-code case numbers its screenshots after the problem (2),
 * out-of-service (1) and crisis (2) ones. */
#define NEW_CODE_FIRST_SHOT (VISIT_SHOTS + 5)
#define NEW_CODE_SHOTS 5

typedef struct {
  const char *code;
  const char *new_pin_title;
  const char *confirm_pin_title;
  const char *code_title;
  const char *enter_code_title;
  const char *enter_pin_title;
  const char *trend_button;
  const char *back_button;
  const char *category;
  /* The count of readings: the words after it depend on whether the two
   * visits straddle midnight ("on 21 November", "from … to …"). */
  const char *trend_words;
  const char *trend_spoken;
} NewCodeCase;

/* An anonymous patient takes a personal code with a PIN, then comes back
 * with both and sees the trend of their blood pressure. */
static void
walk_new_code_and_return (HpUiFixture       *f,
                          const NewCodeCase *lang,
                          GString           *misfits)
{
  /* Not a weak PIN: no repeat, no run, no pattern. */
  static const char pin[] = "4071";
  HpVisitFlow *flow = hp_application_get_flow (f->app);
  g_autofree char *code = NULL;
  g_autofree char *grouped = NULL;
  g_autofree char *text = NULL;
  g_autofree char *misfit = NULL;
  HpResultPage *result;
  GtkWidget *trend;

  f->shots = NEW_CODE_FIRST_SHOT;
  hp_ui_begin_visit (f, lang->code);
  hp_ui_press_target (f, "visit.choose", "blood-pressure");
  hp_ui_press (f, "visit.start-measurement");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_RESULT), "the result");
  /* A first visit has nothing to compare with. */
  result = HP_RESULT_PAGE (hp_window_get_page_widget (hp_ui_window (f), HP_PAGE_RESULT));
  trend = hp_result_page_get_trend (result);
  assert_false (gtk_widget_get_mapped (trend));
  assert_null (hp_ui_find_button (GTK_WIDGET (hp_ui_window (f)), "result.toggle-trend", NULL));
  hp_ui_press (f, "visit.finish");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_SUMMARY), "the summary");
  hp_ui_press (f, "visit.finish");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_OFFER_CODE), "the offer of a code");

  hp_ui_press (f, "visit.remember-me");
  hp_ui_wait_until (f, hp_ui_step_is, GINT_TO_POINTER (HP_VISIT_STEP_NEW_PIN), "the new PIN");
  assert_true (hp_ui_page_is (f, GINT_TO_POINTER (HP_PAGE_ENTRY)));
  assert_page_shows (f, HP_PAGE_ENTRY, lang->new_pin_title);
  hp_ui_screenshot (f, lang->code, "new-pin");
  hp_ui_type_on_keypad (f, pin);
  hp_ui_wait_until (f, hp_ui_step_is, GINT_TO_POINTER (HP_VISIT_STEP_CONFIRM_PIN), "the PIN again");
  assert_page_shows (f, HP_PAGE_ENTRY, lang->confirm_pin_title);
  hp_ui_type_on_keypad (f, pin);

  /* The code is made on a worker thread. */
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_CODE), "the new code");
  assert_non_null (hp_visit_flow_get_new_code (flow));
  code = g_strdup (hp_visit_flow_get_new_code (flow));
  assert_true (hp_patient_code_is_valid (code));
  grouped = hp_patient_code_format (code);
  assert_non_null (grouped);
  text = hp_ui_page_text (f, HP_PAGE_CODE);
  hp_ui_assert_contains (text, lang->code_title);
  hp_ui_assert_contains (text, grouped);
  hp_ui_screenshot (f, lang->code, "code-created");

  hp_ui_press (f, "visit.finish");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_GOODBYE), "the goodbye page");
  hp_ui_press (f, "visit.start-over");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_ATTRACT), "the attract page");
  assert_null (hp_visit_flow_get_new_code (flow));
  g_clear_pointer (&text, g_free);
  text = hp_ui_page_text (f, HP_PAGE_CODE);
  assert_null (strstr (text, grouped));

  /* Back with the code and the PIN. */
  hp_ui_reach_identify (f, lang->code);
  hp_ui_press_target (f, "visit.identify", "true");
  hp_ui_wait_until (f, hp_ui_step_is, GINT_TO_POINTER (HP_VISIT_STEP_ENTER_CODE), "the code to type");
  assert_page_shows (f, HP_PAGE_ENTRY, lang->enter_code_title);
  hp_ui_type_on_keypad (f, code);
  hp_ui_wait_until (f, hp_ui_step_is, GINT_TO_POINTER (HP_VISIT_STEP_ENTER_PIN), "the PIN to type");
  assert_page_shows (f, HP_PAGE_ENTRY, lang->enter_pin_title);
  hp_ui_type_on_keypad (f, pin);
  /* The PIN is checked on a worker thread. */
  hp_ui_answer_age (f, TRUE);
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_CHOOSE), "the choice after the PIN");
  assert_non_null (hp_visit_flow_get_history (flow));
  assert_int_equal (hp_visit_flow_get_history (flow)->len, 1);

  hp_ui_press_target (f, "visit.choose", "blood-pressure");
  hp_ui_press (f, "visit.start-measurement");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_RESULT), "the result with its trend");
  hp_ui_wait_for_paint (f);
  result = HP_RESULT_PAGE (hp_window_get_page_widget (hp_ui_window (f), HP_PAGE_RESULT));
  trend = hp_result_page_get_trend (result);
  /* The reading comes first, with the way to the last visits beside its
   * title. */
  assert_false (gtk_widget_get_mapped (trend));
  assert_page_shows (f, HP_PAGE_RESULT, lang->trend_button);
  misfit = page_misfit (f, HP_PAGE_RESULT);
  if (misfit != NULL)
    g_string_append_printf (misfits, "%s result: %s\n", lang->code, misfit);
  g_clear_pointer (&misfit, g_free);
  hp_ui_screenshot (f, lang->code, "result-returning");

  hp_ui_press (f, "result.toggle-trend");
  hp_ui_wait_for_paint (f);
  assert_true (hp_result_page_get_showing_trend (result));
  assert_true (gtk_widget_get_mapped (trend));
  assert_true (gtk_widget_get_height (trend) > 0);
  /* The earlier visit's reading and today's, in a sentence too. */
  assert_int_equal (hp_trend_chart_get_n_points (HP_TREND_CHART (trend)), 2);
  assert_false (gtk_widget_get_mapped (find_label (GTK_WIDGET (result), lang->category)));
  assert_true (gtk_widget_get_mapped (find_label (GTK_WIDGET (result), lang->trend_words)));
  assert_page_shows (f, HP_PAGE_RESULT, lang->back_button);
  /* Audio guidance reads the trend, not the reading it hides, and says
   * the pressure as people do. */
  {
    g_auto(GStrv) lines = hp_kiosk_page_dup_spoken_lines (HP_KIOSK_PAGE (result));
    g_autofree char *spoken = g_strjoinv ("\n", lines);

    hp_ui_assert_contains (spoken, lang->trend_spoken);
    assert_null (strstr (spoken, lang->category));
  }
  for (int large = 0; large <= 1; large++)
    {
      hp_window_set_large_text (hp_ui_window (f), large);
      hp_ui_wait_for_paint (f);
      misfit = page_misfit (f, HP_PAGE_RESULT);
      if (misfit != NULL)
        g_string_append_printf (misfits, "%s trend%s: %s\n", lang->code,
                                large ? " in large text" : "", misfit);
      g_clear_pointer (&misfit, g_free);
      hp_ui_screenshot (f, lang->code, large ? "trend-large-text" : "trend");
    }
  hp_window_set_large_text (hp_ui_window (f), FALSE);

  /* A tick of the visit (the language switched, the clock) keeps the view;
   * one more tap goes back to today's reading. */
  hp_ui_press (f, "visit.next-language");
  hp_ui_wait_for_paint (f);
  result = HP_RESULT_PAGE (hp_window_get_page_widget (hp_ui_window (f), HP_PAGE_RESULT));
  assert_true (hp_result_page_get_showing_trend (result));
  show_language (f, lang->code);
  hp_ui_wait_for_paint (f);
  result = HP_RESULT_PAGE (hp_window_get_page_widget (hp_ui_window (f), HP_PAGE_RESULT));
  trend = hp_result_page_get_trend (result);
  assert_true (hp_result_page_get_showing_trend (result));
  hp_ui_press (f, "result.toggle-trend");
  hp_ui_wait_for_paint (f);
  assert_false (hp_result_page_get_showing_trend (result));
  assert_false (gtk_widget_get_mapped (trend));
  assert_page_shows (f, HP_PAGE_RESULT, lang->trend_button);

  /* A returning patient is not offered a second code. */
  hp_ui_press (f, "visit.finish");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_SUMMARY), "the summary");
  hp_ui_press (f, "visit.finish");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_GOODBYE), "the goodbye page");
  hp_ui_press (f, "visit.start-over");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_ATTRACT), "the attract page");
  assert_null (hp_visit_flow_get_history (flow));
  assert_int_equal (f->shots, NEW_CODE_FIRST_SHOT + NEW_CODE_SHOTS);
}

static void
test_new_code_and_trend (void **state G_GNUC_UNUSED)
{
  static const NewCodeCase langs[] = {
    { "en", "Choose a PIN", "Type your PIN again", "Your personal code", "Type your personal code",
      "Type your PIN", "Your last visits", "Back to today’s result", "High blood pressure (stage 1)",
      "2 readings ", "Latest 131 over 84 mmHg" },
    { "es", "Elija un PIN", "Escriba su PIN otra vez", "Su código personal", "Escriba su código personal",
      "Escriba su PIN", "Sus últimas visitas", "Volver al resultado de hoy", "Presión arterial alta (etapa 1)",
      "2 lecturas, ", "131 sobre 84 mmHg" },
  };
  HpUiFixture *f = hp_ui_fixture_start ("[visit]\nidle-seconds=600\n");
  g_autoptr(HpStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) misfits = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (langs); i++)
    walk_new_code_and_return (f, &langs[i], misfits);
  if (misfits->len > 0)
    fail_msg ("%s", misfits->str);

  /* Each language's patient: a first visit and a return. */
  store = hp_store_open_demo (f->db_path, &error);
  assert_non_null (store);
  assert_int_equal (hp_store_count_visits (store, &error), 2 * G_N_ELEMENTS (langs));
  hp_ui_fixture_stop (f);
}

static void
test_problem_and_inactivity (void **state G_GNUC_UNUSED)
{
  HpUiFixture *f = hp_ui_fixture_start ("[demo]\nfault=unplug\n[visit]\nidle-seconds=5\nwarning-seconds=5\n");
  g_autofree char *problem = NULL;
  g_autofree char *problem_es = NULL;

  f->shots = VISIT_SHOTS;
  hp_ui_begin_visit (f, NULL);
  hp_ui_press (f, "visit.choose");
  hp_ui_press (f, "visit.start-measurement");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_PROBLEM), "the problem page");
  problem = hp_ui_page_text (f, HP_PAGE_PROBLEM);
  hp_ui_assert_contains (problem, "The cuff was disconnected.");
  hp_ui_assert_contains (problem, "ask a staff member");
  hp_ui_screenshot (f, "en", "problem-unplugged");

  /* Quiet time brings the warning; "I'm here" keeps the visit. */
  hp_ui_wait_until (f, hp_ui_warning_shown, GINT_TO_POINTER (TRUE), "the inactivity warning");
  hp_ui_screenshot (f, "en", "still-there");
  hp_ui_press (f, "visit.still-here");
  assert_false (hp_window_get_inactivity_warning_visible (hp_ui_window (f)));
  assert_true (hp_ui_page_is (f, GINT_TO_POINTER (HP_PAGE_PROBLEM)));
  assert_non_null (hp_visit_flow_get_visit (hp_application_get_flow (f->app)));

  /* Switching language mid-visit keeps the visit and its problem. */
  f->shots = VISIT_SHOTS;
  hp_ui_press (f, "visit.next-language");
  assert_true (hp_ui_page_is (f, GINT_TO_POINTER (HP_PAGE_PROBLEM)));
  problem_es = hp_ui_page_text (f, HP_PAGE_PROBLEM);
  hp_ui_assert_contains (problem_es, "El brazalete se desconectó.");
  hp_ui_screenshot (f, "es", "problem-unplugged");
  hp_ui_wait_until (f, hp_ui_warning_shown, GINT_TO_POINTER (TRUE), "the inactivity warning");
  hp_ui_screenshot (f, "es", "still-there");

  /* Left alone, the kiosk wipes the visit and returns to the start, in the
   * kiosk's own language again. */
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_ATTRACT), "the attract page after inactivity");
  assert_null (hp_visit_flow_get_visit (hp_application_get_flow (f->app)));
  assert_false (hp_window_get_inactivity_warning_visible (hp_ui_window (f)));
  assert_string_equal (hp_visit_flow_get_language (hp_application_get_flow (f->app)), "en");
  {
    g_autofree char *attract = hp_ui_page_text (f, HP_PAGE_ATTRACT);
    hp_ui_assert_contains (attract, english.start_words);
  }
  hp_ui_fixture_stop (f);
}

/* The text of every label under @root, shown or hidden. */
static void
collect_every_label (GtkWidget *root,
                     GString   *text)
{
  if (GTK_IS_LABEL (root))
    g_string_append_printf (text, "%s\n", gtk_label_get_label (GTK_LABEL (root)));
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_every_label (child, text);
}

/* Left alone on the summary, the visit is saved and then wiped: the flow
 * holds no visit, and no label of any page, shown or hidden, still holds a
 * value of it. */
static void
test_inactivity_wipes_everything (void **state G_GNUC_UNUSED)
{
  HpUiFixture *f = hp_ui_fixture_start ("[visit]\nidle-seconds=5\nwarning-seconds=5\n");
  HpVisitFlow *flow = hp_application_get_flow (f->app);
  g_autoptr(GString) before = g_string_new (NULL);
  g_autoptr(GString) after = g_string_new (NULL);
  HpResultPage *result;

  hp_ui_begin_visit (f, "en");
  hp_ui_press_target (f, "visit.choose", "blood-pressure");
  hp_ui_press (f, "visit.start-measurement");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_RESULT), "the result");
  hp_ui_press (f, "visit.finish");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_SUMMARY), "the summary");
  for (HpPage page = 0; page <= HP_PAGE_LAST; page++)
    collect_every_label (hp_window_get_page_widget (hp_ui_window (f), page), before);
  /* The test can see a reading when one is there. */
  hp_ui_assert_contains (before->str, "131/84");

  hp_ui_wait_until (f, hp_ui_warning_shown, GINT_TO_POINTER (TRUE), "the inactivity warning");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_ATTRACT), "the attract page after inactivity");
  assert_null (hp_visit_flow_get_visit (flow));
  assert_null (hp_visit_flow_get_history (flow));
  assert_null (hp_visit_flow_get_new_code (flow));
  assert_false (hp_window_get_inactivity_warning_visible (hp_ui_window (f)));

  for (HpPage page = 0; page <= HP_PAGE_LAST; page++)
    collect_every_label (hp_window_get_page_widget (hp_ui_window (f), page), after);
  assert_null (strstr (after->str, "131"));
  assert_null (strstr (after->str, "/84"));
  assert_null (strstr (after->str, "66 "));
  result = HP_RESULT_PAGE (hp_window_get_page_widget (hp_ui_window (f), HP_PAGE_RESULT));
  assert_int_equal (hp_trend_chart_get_n_points (HP_TREND_CHART (hp_result_page_get_trend (result))), 0);
  assert_int_equal (hp_summary_page_get_n_rows (HP_SUMMARY_PAGE (hp_window_get_page_widget (hp_ui_window (f),
                                                                                              HP_PAGE_SUMMARY))), 0);
  /* What was measured was kept before the screen was wiped. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(HpStore) store = hp_store_open_demo (f->db_path, &error);

    assert_non_null (store);
    assert_int_equal (hp_store_count_visits (store, &error), 1);
  }
  hp_ui_fixture_stop (f);
}

static void
test_out_of_service (void **state G_GNUC_UNUSED)
{
  /* A root key file others may read: the kiosk must not keep anyone's data
   * under a key that is no longer secret, nor measure anyone it cannot keep,
   * and must leave the file as it is for staff to see. */
  static const char key[] = "0123456789abcdef0123456789abcdef";
  HpUiFixture *f = hp_ui_fixture_start_with_key ("", key, 0644);
  g_autofree char *key_path = g_strconcat (f->db_path, ".key", NULL);
  g_autofree char *text = NULL;
  g_autofree char *kept = NULL;
  GStatBuf info;

  assert_int_equal (hp_visit_flow_get_step (hp_application_get_flow (f->app)),
                    HP_VISIT_STEP_OUT_OF_SERVICE);
  assert_true (hp_ui_page_is (f, GINT_TO_POINTER (HP_PAGE_PROBLEM)));
  text = hp_ui_page_text (f, HP_PAGE_PROBLEM);
  hp_ui_assert_contains (text, "This kiosk is not working right now.");
  assert_null (hp_ui_find_button (GTK_WIDGET (hp_ui_window (f)), "visit.start-measurement", NULL));
  assert_null (hp_ui_find_button (GTK_WIDGET (hp_ui_window (f)), "visit.start-over", NULL));
  f->shots = VISIT_SHOTS + 2;
  hp_ui_screenshot (f, "en", "out-of-service");

  assert_true (g_file_get_contents (key_path, &kept, NULL, NULL));
  assert_string_equal (kept, key);
  assert_int_equal (g_stat (key_path, &info), 0);
  assert_int_equal (info.st_mode & 0777, 0644);
  assert_false (g_file_test (f->db_path, G_FILE_TEST_EXISTS));
  hp_ui_fixture_stop (f);
}

/* A crisis reading: the call to act comes first, with the emergency number
 * and the clinician call on offer; the result is one tap further. */
/* Fails when @text speaks of a clinician call, in @lang's words. */
static void
assert_no_call_words (const char *text,
                      const char *const *call_words)
{
  for (guint i = 0; call_words[i] != NULL; i++)
    if (strstr (text, call_words[i]) != NULL)
      fail_msg ("calls are off, yet the page says \"%s\":\n%s", call_words[i], text);
}

/* A crisis stops at what to do now, in bold, above when to call the
 * emergency number for this danger. This kiosk cannot make clinician
 * calls: no page offers one or speaks of one, and staff come first. */
static void
test_crisis (void **state G_GNUC_UNUSED)
{
  HpUiFixture *f = hp_ui_fixture_start ("[demo]\nsystolic=192\ndiastolic=124\n");
  static const struct {
    const char *code;
    const char *title;
    const char *next_step;
    const char *advice;
    const char *signs;
    const char *screening;
    const char *call_words[4];
  } langs[] = {
    { "en", "Please get medical help now", "Get medical care now. Tell a staff member", "call 911 now",
      "back pain", "This is a screening, not a diagnosis.",
      { "clinician", "from this kiosk", "Talk to", NULL } },
    { "es", "Por favor, busque ayuda médica ahora", "Busque atención médica ahora. Avise al personal",
      "llame ahora al 911", "la espalda", "no un diagnóstico",
      { "profesional de salud", "desde este quiosco", "Hablar", NULL } },
  };

  f->shots = VISIT_SHOTS + 3;
  for (guint i = 0; i < G_N_ELEMENTS (langs); i++)
    {
      g_autofree char *crisis = NULL;
      g_autofree char *result = NULL;
      g_autofree char *shown = NULL;
      GtkWidget *next_step;

      if (i > 0)
        {
          hp_ui_press (f, "visit.next-language");
          f->shots = VISIT_SHOTS + 3;
        }
      hp_ui_begin_visit (f, NULL);
      hp_ui_press_target (f, "visit.choose", "blood-pressure");
      hp_ui_press (f, "visit.start-measurement");
      hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_CRISIS), "the crisis page");
      crisis = hp_ui_page_text (f, HP_PAGE_CRISIS);
      hp_ui_assert_contains (crisis, langs[i].title);
      hp_ui_assert_contains (crisis, "192/124");
      hp_ui_assert_contains (crisis, langs[i].next_step);
      hp_ui_assert_contains (crisis, langs[i].advice);
      hp_ui_assert_contains (crisis, langs[i].signs);
      hp_ui_assert_contains (crisis, langs[i].screening);
      shown = shown_text (f);
      assert_no_call_words (shown, langs[i].call_words);

      /* What to do now stands out, in bold. */
      next_step = find_label (hp_window_get_page_widget (hp_ui_window (f), HP_PAGE_CRISIS), langs[i].next_step);
      assert_true (gtk_widget_has_css_class (next_step, "crisis-next-step"));

      /* No call on offer; the result is one tap further, nothing else. */
      assert_null (hp_ui_find_button (GTK_WIDGET (hp_ui_window (f)), "visit.call-clinician", NULL));
      assert_non_null (hp_ui_find_button (GTK_WIDGET (hp_ui_window (f)), "visit.see-result", NULL));
      assert_null (hp_ui_find_button (GTK_WIDGET (hp_ui_window (f)), "visit.finish", NULL));
      assert_page_fits (f, HP_PAGE_CRISIS);
      hp_ui_screenshot (f, langs[i].code, "crisis");

      hp_ui_press (f, "visit.see-result");
      hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_RESULT), "the crisis reading's result");
      result = hp_ui_page_text (f, HP_PAGE_RESULT);
      hp_ui_assert_contains (result, "192/124");
      g_free (shown);
      shown = shown_text (f);
      assert_no_call_words (shown, langs[i].call_words);
      assert_null (hp_ui_find_button (GTK_WIDGET (hp_ui_window (f)), "visit.call-clinician", NULL));
      hp_ui_press (f, "visit.start-over");
      hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_ATTRACT), "the attract page");
      g_free (crisis);
      crisis = hp_ui_page_text (f, HP_PAGE_CRISIS);
      assert_null (strstr (crisis, "192"));
    }
  hp_ui_fixture_stop (f);
}

/* A normal pressure with a pulse of 190 is no green tick: the pulse asks
 * for staff now, and the same pulse at the next measurement sends the
 * patient to care now. In English and in Arabic, right to left. */
static void
test_crisis_pulse (void **state G_GNUC_UNUSED)
{
  HpUiFixture *f = hp_ui_fixture_start ("[demo]\nsystolic=118\ndiastolic=76\npulse=190\n");
  static const struct {
    const char *code;
    const char *title;
    const char *unit;
    const char *next_step;
    const char *signs;
    const char *pulse_title;
    const char *confirmed_title;
  } langs[] = {
    { "en", "Please tell a staff member now", "beats per minute",
      "Tell a staff member now. Then sit quietly for 5 minutes and measure again.",
      "feel faint or dizzy", "Extremely fast pulse", "Please get medical help now" },
    { "ar", "يُرجى إخبار أحد الموظفين الآن", "نبضة في الدقيقة",
      "يُرجى إخبار أحد الموظفين الآن، ثم الجلوس بهدوء 5 دقائق وإعادة القياس.",
      "قرب الإغماء", "نبض سريع للغاية", "يرجى طلب المساعدة الطبية الآن" },
  };

  f->shots = VISIT_SHOTS + 5;
  for (guint i = 0; i < G_N_ELEMENTS (langs); i++)
    {
      g_autofree char *crisis = NULL;
      g_autofree char *result = NULL;
      g_autofree char *summary = NULL;

      if (i > 0)
        {
          hp_ui_press (f, "visit.next-language");
          f->shots = VISIT_SHOTS + 5;
        }
      hp_ui_begin_visit (f, i == 0 ? NULL : langs[i].code);
      hp_ui_press_target (f, "visit.choose", "blood-pressure");
      hp_ui_press (f, "visit.start-measurement");
      hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_CRISIS), "the page for the pulse");
      crisis = hp_ui_page_text (f, HP_PAGE_CRISIS);
      hp_ui_assert_contains (crisis, langs[i].title);
      hp_ui_assert_contains (crisis, "190");
      hp_ui_assert_contains (crisis, langs[i].unit);
      hp_ui_assert_contains (crisis, langs[i].next_step);
      hp_ui_assert_contains (crisis, langs[i].signs);
      assert_page_fits (f, HP_PAGE_CRISIS);
      hp_ui_screenshot (f, langs[i].code, "crisis-pulse");

      /* The result has the pulse's own card; no "all is well" beside it. */
      hp_ui_press (f, "visit.see-result");
      hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_RESULT), "the result");
      result = hp_ui_page_text (f, HP_PAGE_RESULT);
      hp_ui_assert_contains (result, "118/76");
      hp_ui_assert_contains (result, langs[i].pulse_title);
      if (i == 0)
        assert_null (strstr (result, "Keep up healthy habits"));
      hp_ui_screenshot (f, langs[i].code, "result-pulse");

      /* Measured again, the same pulse sends the patient to care now. */
      hp_ui_press (f, "visit.measure-another");
      hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_CHOOSE), "the choose page");
      hp_ui_press_target (f, "visit.choose", "blood-pressure");
      hp_ui_press (f, "visit.start-measurement");
      hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_CRISIS), "the page for the second pulse");
      g_free (crisis);
      crisis = hp_ui_page_text (f, HP_PAGE_CRISIS);
      hp_ui_assert_contains (crisis, langs[i].confirmed_title);
      hp_ui_screenshot (f, langs[i].code, "crisis-pulse-confirmed");

      /* The summary has a row for each pulse. */
      hp_ui_press (f, "visit.see-result");
      hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_RESULT), "the second result");
      hp_ui_press (f, "visit.finish");
      hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_SUMMARY), "the summary");
      summary = hp_ui_page_text (f, HP_PAGE_SUMMARY);
      hp_ui_assert_contains (summary, "190");
      hp_ui_assert_contains (summary, langs[i].unit);
      assert_int_equal (hp_summary_page_get_n_rows (HP_SUMMARY_PAGE (hp_window_get_page_widget (hp_ui_window (f),
                                                                                                  HP_PAGE_SUMMARY))), 4);
      hp_ui_screenshot (f, langs[i].code, "summary-pulse");
      hp_ui_press (f, "visit.start-over");
      hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_ATTRACT), "the attract page");
    }
  hp_ui_fixture_stop (f);
}

/* A child's readings are shown with their numbers and a note that
 * children's values are judged with charts for their age, never with an
 * adult's category; in English and in Arabic. */
static void
test_child_visit (void **state G_GNUC_UNUSED)
{
  HpUiFixture *f = hp_ui_fixture_start ("[demo]\nsystolic=131\ndiastolic=84\n");
  static const struct {
    const char *code;
    const char *title;
    const char *adult_title;
  } langs[] = {
    { "en", "Numbers for a child", "High blood pressure (stage 1)" },
    { "ar", "قيم طفل", "ضغط دم مرتفع (المرحلة 1)" },
  };

  f->shots = VISIT_SHOTS + 12;
  for (guint i = 0; i < G_N_ELEMENTS (langs); i++)
    {
      g_autofree char *result = NULL;

      if (i > 0)
        {
          hp_ui_press (f, "visit.next-language");
          f->shots = VISIT_SHOTS + 12;
        }
      hp_ui_reach_identify (f, langs[i].code);
      hp_ui_press_target (f, "visit.identify", "false");
      hp_ui_answer_age (f, FALSE);
      hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_CHOOSE), "the choose page");
      hp_ui_press_target (f, "visit.choose", "blood-pressure");
      hp_ui_press (f, "visit.start-measurement");
      hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_RESULT), "the child's result");
      result = hp_ui_page_text (f, HP_PAGE_RESULT);
      hp_ui_assert_contains (result, "131/84");
      hp_ui_assert_contains (result, langs[i].title);
      assert_null (strstr (result, langs[i].adult_title));
      hp_ui_screenshot (f, langs[i].code, "result-child");
      assert_page_fits (f, HP_PAGE_RESULT);
      hp_ui_press (f, "visit.start-over");
      hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_ATTRACT), "the attract page");
    }
  hp_ui_fixture_stop (f);
}

/* The answer about eating belongs to each blood-sugar test: a second test
 * of the visit, after a meal, does not turn the first one, taken fasting,
 * from "prediabetes range" into "normal" on the summary. */
typedef struct {
  const char *code;
  const char *fasting_title;
  const char *normal_title;
} FastingCase;

static void
walk_fasting_kept (const FastingCase *lang)
{
  HpUiFixture *f = hp_ui_fixture_start ("[demo]\nglucose-mg-dl=110\n");
  g_autofree char *summary = NULL;

  f->shots = VISIT_SHOTS + 14;
  hp_ui_begin_visit (f, lang->code);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *result = NULL;

      if (i > 0)
        {
          hp_ui_press (f, "visit.measure-another");
          hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_CHOOSE), "the choose page");
        }
      hp_ui_press_target (f, "visit.choose", "blood-glucose");
      hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_FASTING), "the question about eating");
      hp_ui_press_target (f, "visit.fasting", i == 0 ? "fasting" : "eaten");
      hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_GLUCOSE_INSTRUCTIONS), "the instructions");
      /* The meter stamps tests by the minute: the second is a new one. */
      wait_for_new_meter_minute ();
      last_glucose_minute = current_minute ();
      hp_ui_press (f, "visit.start-measurement");
      hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_RESULT), "the blood sugar");
      result = hp_ui_page_text (f, HP_PAGE_RESULT);
      hp_ui_assert_contains (result, i == 0 ? lang->fasting_title : lang->normal_title);
    }
  hp_ui_press (f, "visit.finish");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_SUMMARY), "the summary");
  summary = hp_ui_page_text (f, HP_PAGE_SUMMARY);
  hp_ui_assert_contains (summary, lang->fasting_title);
  hp_ui_assert_contains (summary, lang->normal_title);
  hp_ui_screenshot (f, lang->code, "summary-fasting-kept");
  hp_ui_fixture_stop (f);
}

static void
test_fasting_kept_english (void **state G_GNUC_UNUSED)
{
  static const FastingCase in_english = {
    "en", "Blood sugar a little high (prediabetes range)", "Normal blood sugar",
  };

  walk_fasting_kept (&in_english);
}

static void
test_fasting_kept_spanish (void **state G_GNUC_UNUSED)
{
  static const FastingCase in_spanish = {
    "es", "Azúcar en la sangre un poco alto (rango de prediabetes)", "Azúcar en la sangre normal",
  };

  walk_fasting_kept (&in_spanish);
}

/* A meter's HI is the most dangerous reading there is: the crisis page
 * shows it as the meter did, says what to do now and when to call for
 * help, and the summary keeps it. */
typedef struct {
  const char *code;
  const char *title;
  const char *unit;
  const char *category;
  const char *signs;
} MeterHighCase;

static void
walk_meter_high (const MeterHighCase *lang)
{
  /* Above 600 mg/dL the demo meter shows HI. */
  HpUiFixture *f = hp_ui_fixture_start ("[demo]\nglucose-mg-dl=700\n");
  g_autofree char *crisis = NULL;
  g_autofree char *summary = NULL;

  f->shots = VISIT_SHOTS + 9;
  hp_ui_begin_visit (f, lang->code);
  hp_ui_press_target (f, "visit.choose", "blood-glucose");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_FASTING), "the question about eating");
  hp_ui_press_target (f, "visit.fasting", "eaten");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_GLUCOSE_INSTRUCTIONS), "the instructions");
  hp_ui_press (f, "visit.start-measurement");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_CRISIS), "the page for HI");
  crisis = hp_ui_page_text (f, HP_PAGE_CRISIS);
  hp_ui_assert_contains (crisis, lang->title);
  hp_ui_assert_contains (crisis, "HI");
  hp_ui_assert_contains (crisis, lang->unit);
  hp_ui_assert_contains (crisis, lang->category);
  hp_ui_assert_contains (crisis, lang->signs);
  assert_null (strstr (crisis, "600"));
  hp_ui_screenshot (f, lang->code, "crisis-meter-high");
  assert_page_fits (f, HP_PAGE_CRISIS);

  hp_ui_press (f, "visit.see-result");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_RESULT), "the result");
  hp_ui_press (f, "visit.finish");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_SUMMARY), "the summary");
  summary = hp_ui_page_text (f, HP_PAGE_SUMMARY);
  hp_ui_assert_contains (summary, "HI");
  hp_ui_assert_contains (summary, lang->category);
  hp_ui_screenshot (f, lang->code, "summary-meter-high");
  hp_ui_fixture_stop (f);
}

static void
test_crisis_meter_high_english (void **state G_GNUC_UNUSED)
{
  static const MeterHighCase in_english = {
    "en", "Please get medical help now", "above the meter's range",
    "Blood sugar too high for the meter to measure (HI)", "vomiting, breathing fast",
  };

  walk_meter_high (&in_english);
}

static void
test_crisis_meter_high_french (void **state G_GNUC_UNUSED)
{
  static const MeterHighCase in_french = {
    "fr", "Demandez une aide médicale maintenant", "au-dessus de la plage",
    "Taux de sucre dans le sang hors plage (HI)", "vomissez, respirez vite",
  };

  walk_meter_high (&in_french);
}

int
main (int   argc,
      char *argv[])
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_visit_in_english_and_spanish),
    cmocka_unit_test (test_visit_in_french_and_arabic),
    cmocka_unit_test (test_new_code_and_trend),
    cmocka_unit_test (test_problem_and_inactivity),
    cmocka_unit_test (test_out_of_service),
    cmocka_unit_test (test_crisis),
    cmocka_unit_test (test_crisis_pulse),
    cmocka_unit_test (test_child_visit),
    cmocka_unit_test (test_fasting_kept_english),
    cmocka_unit_test (test_fasting_kept_spanish),
    cmocka_unit_test (test_crisis_meter_high_english),
    cmocka_unit_test (test_crisis_meter_high_french),
    cmocka_unit_test (test_inactivity_wipes_everything),
  };

  /* One kiosk per process: each test names the one it runs. */
  if (argc > 1)
    cmocka_set_test_filter (argv[1]);
  hp_i18n_init ();
  return cmocka_run_group_tests_name ("ui-visit", tests, NULL, NULL);
}
