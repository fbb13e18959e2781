/* The printed visit summary: what goes on the page, in what order, for each paper. */
#include "hp-summary-pdf.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hp-local-format.h"
#include "hp-reading-text.h"
#include "hp-secret.h"
#include "hp-summary-sheet-private.h"


/* A personal code is printed, never kept: at most this long. */
#define PATIENT_CODE_MAX 128

#define MM_TO_POINTS(mm) ((mm) * 72.0 / 25.4)

/* Type on a receipt is read at arm's length, on an office page across a
 * desk; both well above the usual 8-10 points. A receipt printer prints
 * 72 of its 80 mm. */
static const HpSheetGeometry geometries[] = {
  [HP_PAPER_RECEIPT_80MM] = {
    .width = MM_TO_POINTS (80), .height = 0,
    .margin_side = MM_TO_POINTS (4), .margin_top = MM_TO_POINTS (4), .margin_bottom = MM_TO_POINTS (12),
    .title_size = 16, .heading_size = 13, .value_size = 26, .body_size = 11, .small_size = 9,
    .icon_size = 22, .qr_size = MM_TO_POINTS (32), .gap = 8,
  },
  [HP_PAPER_LETTER] = {
    .width = 612, .height = 792,
    .margin_side = 54, .margin_top = 48, .margin_bottom = 48,
    .title_size = 24, .heading_size = 16, .value_size = 30, .body_size = 12.5, .small_size = 10,
    .icon_size = 28, .qr_size = 96, .gap = 12,
  },
  [HP_PAPER_A4] = {
    .width = MM_TO_POINTS (210), .height = MM_TO_POINTS (297),
    .margin_side = MM_TO_POINTS (18), .margin_top = MM_TO_POINTS (17), .margin_bottom = MM_TO_POINTS (17),
    .title_size = 24, .heading_size = 16, .value_size = 30, .body_size = 12.5, .small_size = 10,
    .icon_size = 28, .qr_size = 96, .gap = 12,
  },
};

static const char * const paper_names[] = {
  [HP_PAPER_RECEIPT_80MM] = "receipt-80mm",
  [HP_PAPER_LETTER] = "letter",
  [HP_PAPER_A4] = "a4",
};

G_STATIC_ASSERT (G_N_ELEMENTS (geometries) == HP_PAPER_LAST + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (paper_names) == HP_PAPER_LAST + 1);

const char *
hp_paper_to_string (HpPaper paper)
{
  if ((guint) paper < G_N_ELEMENTS (paper_names))
    return paper_names[paper];
  return NULL;
}

gboolean
hp_paper_from_string (const char *str,
                      HpPaper    *paper)
{
  g_return_val_if_fail (paper != NULL, FALSE);

  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (paper_names); i++)
    if (g_str_equal (str, paper_names[i]))
      {
        *paper = (HpPaper) i;
        return TRUE;
      }
  return FALSE;
}

/* One reading as it is printed. */
typedef struct {
  const char *name;
  char *value;              /* %NULL: a unit the kiosk cannot show */
  const char *unit;
  GPtrArray *details;       /* of char*: pulse, fasting, height, BMI */
  gboolean interpreted;
  HpInterpretation interpretation;
  gboolean title_only;      /* the category alone: a normal pulse needs no advice */
  const char *note;         /* a last word on the meaning, or NULL */
} Reading;

typedef struct {
  char *place;
  char *date;
  GPtrArray *readings;      /* of Reading* */
  char *code;               /* "Your personal code: …", or %NULL */
  const char *qr_token;     /* or %NULL */
  const char *next_time;    /* how to use the code, or %NULL */
} Summary;

static void
reading_free (Reading *reading)
{
  g_free (reading->value);
  g_ptr_array_unref (reading->details);
  g_free (reading);
}

static void
summary_clear (Summary *summary)
{
  g_free (summary->place);
  g_free (summary->date);
  g_clear_pointer (&summary->readings, g_ptr_array_unref);
  /* The personal code is wiped from memory as the visit wipes it. */
  hp_secret_free (summary->code);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Summary, summary_clear)

static void
add_detail (Reading *reading,
            char    *text)
{
  g_ptr_array_add (reading->details, text);
}

/* The same numbers, units and precision as the result and summary screens,
 * so that paper and screen never disagree. */
static gboolean
format_value (Reading       *reading,
              HpVisit       *visit,
              HpMeasurement *measurement)
{
  reading->value = hp_reading_text_value (visit, measurement, &reading->unit);
  return reading->value != NULL;
}

static void
describe_blood_pressure (Reading       *reading,
                         HpVisit       *visit,
                         HpMeasurement *measurement)
{
  format_value (reading, visit, measurement);
}

/* The pulse a blood-pressure cuff gave, as a row of its own with its own
 * category; %NULL when it gave none. */
static Reading *
describe_pulse (HpVisit       *visit,
                HpMeasurement *measurement)
{
  Reading *reading;
  const char *unit = NULL;
  char *value = hp_reading_text_pulse_value (visit, measurement, &unit);

  if (value == NULL)
    return NULL;
  reading = g_new0 (Reading, 1);
  reading->details = g_ptr_array_new_with_free_func (g_free);
  reading->name = hp_reading_text_pulse_name ();
  reading->value = value;
  reading->unit = unit;
  reading->interpreted = hp_visit_interpret_pulse (visit, measurement, &reading->interpretation);
  reading->title_only = reading->interpreted && reading->interpretation.urgency == HP_URGENCY_NONE;
  return reading;
}

static void
describe_body_weight (Reading       *reading,
                      HpVisit       *visit,
                      HpMeasurement *measurement)
{
  HpInterpretation unused = { 0 };
  double bmi = 0, height_cm = hp_visit_get_height_cm (visit);

  if (!format_value (reading, visit, measurement))
    return;
  add_detail (reading, g_strdup (hp_reading_text_weight_note ()));
  if (height_cm <= 0)
    return;
  /* TRANSLATORS: the height the patient entered, in centimetres */
  add_detail (reading, g_strdup_printf (_("Height: %.0f cm"), height_cm));
  if (hp_visit_interpret (visit, measurement, &bmi, &unused))
    {
      g_autofree char *bmi_text = hp_local_format_decimal (hp_interpret_shown_value (HP_SCALE_BMI, bmi), 1);

      /* TRANSLATORS: the body-mass index, with one decimal and the
       * language's decimal separator, e.g. 23.7 */
      add_detail (reading, g_strdup_printf (_("Body mass index (BMI): %s"), bmi_text));
      /* Beside what the index means, where the column has room. */
      reading->note = hp_reading_text_bmi_note (measurement);
    }
}

static void
describe_blood_glucose (Reading       *reading,
                        HpVisit       *visit,
                        HpMeasurement *measurement)
{
  const char *note;

  if (!format_value (reading, visit, measurement))
    return;
  /* The number means something else after a meal: the doctor sees which
   * answer it was read against. */
  note = hp_reading_text_fasting_note (hp_visit_get_measurement_fasting (visit, measurement));
  if (note != NULL)
    add_detail (reading, g_strdup (note));
}

static Reading *
describe_reading (HpVisit       *visit,
                  HpMeasurement *measurement)
{
  Reading *reading = g_new0 (Reading, 1);
  HpMeasurementKind kind = hp_measurement_get_kind (measurement);

  reading->details = g_ptr_array_new_with_free_func (g_free);
  reading->name = hp_reading_text_kind_name (kind);
  switch (kind)
    {
    case HP_MEASUREMENT_KIND_BLOOD_PRESSURE:
      describe_blood_pressure (reading, visit, measurement);
      break;
    case HP_MEASUREMENT_KIND_BODY_WEIGHT:
      describe_body_weight (reading, visit, measurement);
      break;
    case HP_MEASUREMENT_KIND_BLOOD_GLUCOSE:
      describe_blood_glucose (reading, visit, measurement);
      break;
    default:
      break;
    }
  if (reading->value != NULL)
    reading->interpreted = hp_visit_interpret (visit, measurement, NULL, &reading->interpretation);
  return reading;
}

/* ISO 8601 reads the same in every language and country: 03/04 would be
 * March in one and April in another. */
static char *
format_date (GDateTime *when)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (when);

  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static char *
format_place (const char *location)
{
  if (location == NULL || *location == '\0')
    return NULL;
  /* TRANSLATORS: %s is where the kiosk stands, e.g. "Main Street Pharmacy" */
  return g_strdup_printf (_("Place: %s"), location);
}

static char *
format_date_line (GDateTime *when)
{
  g_autofree char *date = format_date (when);
  g_autofree char *isolated = NULL;

  /* Left to right even on an Arabic page: without the isolating marks, the
   * bidirectional algorithm would put the time before the date. */
  isolated = g_strconcat ("\u2066", date, "\u2069", NULL);
  /* TRANSLATORS: %s is a date and time, e.g. 2026-03-14 09:30 */
  return g_strdup_printf (_("Date: %s"), isolated);
}

/* Text from staff's configuration or a device must be valid UTF-8 for the
 * page, and short enough for it. The value itself stays out of the message:
 * it may be personal. */
static gboolean
check_text (const char  *text,
            gsize        max_bytes,
            const char  *what,
            GError     **error)
{
  if (text == NULL)
    return TRUE;
  if (strnlen (text, max_bytes + 1) > max_bytes)
    {
      g_set_error (error, HP_SUMMARY_ERROR, HP_SUMMARY_ERROR_INVALID,
                   "the %s is longer than %" G_GSIZE_FORMAT " bytes", what, max_bytes);
      return FALSE;
    }
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, HP_SUMMARY_ERROR, HP_SUMMARY_ERROR_INVALID,
                   "the %s is not valid UTF-8 text", what);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_qr_token (const char  *token,
                GError     **error)
{
  if (token == NULL || *token == '\0')
    return TRUE;
  if (!check_text (token, HP_SUMMARY_QR_TOKEN_MAX, "QR token", error))
    return FALSE;
  for (const char *p = token; *p != '\0'; p++)
    if (!g_ascii_isprint (*p))
      {
        g_set_error_literal (error, HP_SUMMARY_ERROR, HP_SUMMARY_ERROR_INVALID,
                             "the QR token holds a character other than printable ASCII");
        return FALSE;
      }
  return TRUE;
}

static gboolean
check_paper (HpPaper   paper,
             GError  **error)
{
  if ((guint) paper < G_N_ELEMENTS (geometries))
    return TRUE;
  g_set_error (error, HP_SUMMARY_ERROR, HP_SUMMARY_ERROR_INVALID,
               "there is no paper number %d", (int) paper);
  return FALSE;
}

static gboolean
summary_init (Summary               *summary,
              const HpSummaryInput  *input,
              GError               **error)
{
  GListModel *measurements = hp_visit_get_measurements (input->visit);
  const char *patient_code = hp_visit_get_patient_code (input->visit);
  gboolean has_code, has_qr;
  guint n_shown = 0;

  if (!check_text (input->location, HP_SUMMARY_LOCATION_MAX, "kiosk location", error) ||
      !check_qr_token (input->qr_token, error) ||
      !check_text (patient_code, PATIENT_CODE_MAX, "personal code", error))
    return FALSE;

  summary->readings = g_ptr_array_new_with_free_func ((GDestroyNotify) reading_free);
  for (guint i = 0; i < g_list_model_get_n_items (measurements); i++)
    {
      g_autoptr(HpMeasurement) measurement = g_list_model_get_item (measurements, i);
      Reading *reading = describe_reading (input->visit, measurement);
      Reading *pulse = describe_pulse (input->visit, measurement);

      if (reading->value != NULL)
        n_shown++;
      g_ptr_array_add (summary->readings, reading);
      if (pulse != NULL)
        g_ptr_array_add (summary->readings, pulse);
    }
  if (n_shown == 0)
    {
      g_set_error_literal (error, HP_SUMMARY_ERROR, HP_SUMMARY_ERROR_NO_RESULTS,
                           "the visit has no reading to print");
      return FALSE;
    }

  summary->place = format_place (input->location);
  summary->date = format_date_line (hp_visit_get_started_at (input->visit));

  has_code = patient_code != NULL && *patient_code != '\0';
  has_qr = input->qr_token != NULL && *input->qr_token != '\0';
  if (has_code)
    /* TRANSLATORS: %s is the code a returning patient types at the kiosk */
    summary->code = g_strdup_printf (_("Your personal code: %s"), patient_code);
  summary->qr_token = has_qr ? input->qr_token : NULL;
  if (has_code && has_qr)
    summary->next_time = _("Next time, scan this square code or type your personal code and PIN at the kiosk to see your earlier results.");
  else if (has_qr)
    summary->next_time = _("Next time, scan this square code at the kiosk to see your earlier results.");
  else if (has_code)
    summary->next_time = _("Next time, type your personal code and PIN at the kiosk to see your earlier results.");
  return TRUE;
}

/* ---- the page ---- */

static void
put_header (HpSheet    *sheet,
            const char *title,
            const char *place,
            const char *date)
{
  hp_sheet_text (sheet, HP_SHEET_STYLE_TITLE, HP_SHEET_ALIGN_START, title);
  hp_sheet_space (sheet, hp_sheet_gap (sheet) / 2);
  hp_sheet_text (sheet, HP_SHEET_STYLE_BODY, HP_SHEET_ALIGN_START, place);
  hp_sheet_text (sheet, HP_SHEET_STYLE_BODY, HP_SHEET_ALIGN_START, date);
}

static void
put_reading_numbers (HpSheet       *sheet,
                     gconstpointer  data)
{
  const Reading *reading = data;

  hp_sheet_text (sheet, HP_SHEET_STYLE_HEADING, HP_SHEET_ALIGN_START, reading->name);
  if (reading->value == NULL)
    {
      hp_sheet_text (sheet, HP_SHEET_STYLE_BODY, HP_SHEET_ALIGN_START,
                     _("The kiosk cannot show this result."));
      return;
    }
  hp_sheet_value (sheet, reading->value, reading->unit);
  for (guint i = 0; i < reading->details->len; i++)
    hp_sheet_text (sheet, HP_SHEET_STYLE_BODY, HP_SHEET_ALIGN_START,
                   g_ptr_array_index (reading->details, i));
}

static void
put_reading_meaning (HpSheet       *sheet,
                     gconstpointer  data)
{
  const Reading *reading = data;
  const HpInterpretation *meaning = &reading->interpretation;
  double gap = hp_sheet_gap (sheet) / 3;

  if (!reading->interpreted)
    return;
  /* The category in words beside the screen's icon, never by colour
   * alone: a receipt printer prints in black. */
  hp_sheet_icon_text (sheet, meaning->icon_name, _(meaning->title));
  if (reading->title_only)
    return;
  hp_sheet_space (sheet, gap);
  /* TRANSLATORS: printed before a sentence that explains a result */
  hp_sheet_labelled_text (sheet, _("What it means:"), _(meaning->meaning));
  hp_sheet_space (sheet, gap);
  /* TRANSLATORS: printed before a sentence that says what to do next */
  hp_sheet_labelled_text (sheet, _("What to do:"), _(meaning->next_step));
  if (reading->note != NULL)
    {
      hp_sheet_space (sheet, gap);
      hp_sheet_text (sheet, HP_SHEET_STYLE_BODY, HP_SHEET_ALIGN_START, reading->note);
    }
}

static void
put_reading (HpSheet       *sheet,
             gconstpointer  data)
{
  hp_sheet_columns (sheet, 0.36, put_reading_numbers, put_reading_meaning, data);
  hp_sheet_rule (sheet);
}

static void
put_codes (HpSheet       *sheet,
           gconstpointer  data)
{
  const Summary *summary = data;
  const char *lines[2];
  gsize n_lines = 0;

  if (summary->code != NULL)
    lines[n_lines++] = summary->code;
  if (summary->next_time != NULL)
    lines[n_lines++] = summary->next_time;

  if (summary->qr_token != NULL)
    hp_sheet_qr_code (sheet, summary->qr_token, lines, n_lines);
  else
    for (gsize i = 0; i < n_lines; i++)
      hp_sheet_text (sheet, i == 0 ? HP_SHEET_STYLE_BODY_BOLD : HP_SHEET_STYLE_BODY,
                     HP_SHEET_ALIGN_START, lines[i]);
}

static void
put_note (HpSheet       *sheet,
          gconstpointer  data G_GNUC_UNUSED)
{
  hp_sheet_framed_text (sheet, _(HP_INTERPRETATION_SCREENING_NOTE));
}

static void
compose_summary (HpSheet       *sheet,
                 gconstpointer  data)
{
  const Summary *summary = data;

  put_header (sheet, _("Your visit summary"), summary->place, summary->date);
  hp_sheet_text (sheet, HP_SHEET_STYLE_BODY, HP_SHEET_ALIGN_START,
                 _("Keep this paper and show it to your doctor or nurse."));
  hp_sheet_rule (sheet);

  for (guint i = 0; i < summary->readings->len; i++)
    hp_sheet_keep_together (sheet, put_reading, g_ptr_array_index (summary->readings, i));

  hp_sheet_space (sheet, hp_sheet_gap (sheet) / 2);
  hp_sheet_keep_together (sheet, put_note, NULL);
  if (summary->code != NULL || summary->qr_token != NULL)
    {
      hp_sheet_space (sheet, hp_sheet_gap (sheet));
      hp_sheet_keep_together (sheet, put_codes, summary);
    }
}

GBytes *
hp_summary_render_pdf (const HpSummaryInput  *input,
                       HpPaper                paper,
                       GError               **error)
{
  g_auto(Summary) summary = { 0 };
  g_autoptr(GDateTime) now = NULL;
  GDateTime *printed_at;

  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (HP_IS_VISIT (input->visit), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_paper (paper, error) || !summary_init (&summary, input, error))
    return NULL;

  printed_at = input->printed_at;
  if (printed_at == NULL)
    printed_at = now = g_date_time_new_now_local ();

  return hp_sheet_render_pdf (&geometries[paper], input->right_to_left,
                              _("Healthpost visit summary"), printed_at,
                              compose_summary, &summary, error);
}

/* ---- the printer test page ---- */

typedef struct {
  char *place;
  char *date;
} TestPage;

static void
compose_test_page (HpSheet       *sheet,
                   gconstpointer  data)
{
  const TestPage *page = data;
  static const char * const icons[] = {
    "hp-category-normal", "hp-category-attention", "hp-category-urgent", NULL,
  };
  /* Language names as their speakers write them: every script the kiosk
   * prints must come out of this printer. */
  static const char scripts[] = "English · Español · Français · العربية";
  static const char sample[] = "Aa Bb Cc Xx 0123456789";
  g_autofree char *qr_line = NULL;
  const char *lines[1];

  put_header (sheet, _("Printer test page"), page->place, page->date);
  hp_sheet_text (sheet, HP_SHEET_STYLE_BODY, HP_SHEET_ALIGN_START,
                 _("This page shows that the printer works. It holds nothing about any patient."));
  hp_sheet_rule (sheet);

  hp_sheet_text (sheet, HP_SHEET_STYLE_TITLE, HP_SHEET_ALIGN_START, sample);
  hp_sheet_text (sheet, HP_SHEET_STYLE_HEADING, HP_SHEET_ALIGN_START, sample);
  hp_sheet_value (sheet, "0123456789", _("mmHg"));
  hp_sheet_text (sheet, HP_SHEET_STYLE_BODY, HP_SHEET_ALIGN_START, sample);
  hp_sheet_text (sheet, HP_SHEET_STYLE_BODY_BOLD, HP_SHEET_ALIGN_START, sample);
  hp_sheet_text (sheet, HP_SHEET_STYLE_SMALL, HP_SHEET_ALIGN_START, sample);
  hp_sheet_text (sheet, HP_SHEET_STYLE_BODY, HP_SHEET_ALIGN_START, scripts);
  hp_sheet_space (sheet, hp_sheet_gap (sheet) / 2);
  hp_sheet_icon_row (sheet, icons);
  hp_sheet_rule (sheet);

  /* TRANSLATORS: %s is the fixed text of the test page's QR code */
  qr_line = g_strdup_printf (_("A phone camera should read this square code as “%s”."),
                             HP_SUMMARY_TEST_PAGE_QR_TEXT);
  lines[0] = qr_line;
  hp_sheet_qr_code (sheet, HP_SUMMARY_TEST_PAGE_QR_TEXT, lines, G_N_ELEMENTS (lines));
}

GBytes *
hp_summary_render_test_page (HpPaper      paper,
                             const char  *location,
                             GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *place = NULL;
  g_autofree char *date = NULL;
  TestPage page;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_paper (paper, error) ||
      !check_text (location, HP_SUMMARY_LOCATION_MAX, "kiosk location", error))
    return NULL;

  place = format_place (location);
  date = format_date_line (now);
  page.place = place;
  page.date = date;
  return hp_sheet_render_pdf (&geometries[paper], FALSE, _("Healthpost printer test page"),
                              now, compose_test_page, &page, error);
}
