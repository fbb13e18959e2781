/* Tests of the printed summary: each paper in several languages read back with poppler's tools, its QR code with zbarimg, its preview. */
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "hp-summary-pdf.h"
#include "hp-summary-sheet-private.h"

#define PATIENT_CODE "K7Q4-M2PX"
#define QR_TOKEN "hp1.Zq3xT9wLbR2mV8kD"
#define LOCATION "Farmacia Peñalara, Calle Mayor 5"
#define RECEIPT_WIDTH 226.77

/* Where the renders are kept, and the tools that read them. */
static const char *renders_dir;
static const char *pdftotext;
static const char *pdfinfo;
static const char *pdffonts;
static const char *pdftoppm;
static const char *zbarimg;

static void
use_language (const char *code)
{
  g_setenv ("LANGUAGE", code, TRUE);
  setlocale (LC_MESSAGES, "");
}

/* ---- the fixture visit ---- */

static void
add_reading (HpVisit           *visit,
             HpMeasurementKind  kind,
             HpQuantity         quantity,
             double             value,
             ...)
{
  g_autoptr(HpMeasurement) measurement = hp_measurement_new (kind);
  va_list more;

  va_start (more, value);
  while (TRUE)
    {
      hp_measurement_set_value (measurement, quantity, value, hp_quantity_get_canonical_unit (quantity));
      int next = va_arg (more, int);

      if (next < 0)
        break;
      quantity = (HpQuantity) next;
      value = va_arg (more, double);
    }
  va_end (more);
  hp_visit_add_measurement (visit, measurement);
}

/* Blood pressure in stage 1 with a normal pulse, a healthy weight with a
 * height, and a fasting glucose in the prediabetes range. */
static HpVisit *
fixture_visit (const char *language,
               const char *patient_code)
{
  g_autoptr(GDateTime) started = g_date_time_new_utc (2026, 3, 14, 9, 30, 0);
  HpVisit *visit = hp_visit_new_full ("visit-fixture", started);

  hp_visit_set_language (visit, language);
  hp_visit_set_patient_code (visit, patient_code);
  hp_visit_set_fasting (visit, HP_FASTING_YES);
  assert_true (hp_visit_set_height_cm (visit, 175));
  add_reading (visit, HP_MEASUREMENT_KIND_BLOOD_PRESSURE,
               HP_QUANTITY_SYSTOLIC, 134.0, HP_QUANTITY_DIASTOLIC, 86.0, HP_QUANTITY_PULSE_RATE, 72.0, -1);
  add_reading (visit, HP_MEASUREMENT_KIND_BODY_WEIGHT, HP_QUANTITY_BODY_WEIGHT, 72.5, -1);
  add_reading (visit, HP_MEASUREMENT_KIND_BLOOD_GLUCOSE, HP_QUANTITY_BLOOD_GLUCOSE, 105.0, -1);
  return visit;
}

static GDateTime *
printed_at (void)
{
  return g_date_time_new_utc (2026, 3, 14, 9, 52, 0);
}

/* ---- reading the PDF back ---- */

static char *
run_tool (const char * const *argv,
          int                *exit_code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *errors = NULL;
  char *output = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     &output, &errors, &status, &error))
    fail_msg ("%s could not run: %s", argv[0], error->message);
  if (exit_code != NULL)
    *exit_code = WIFEXITED (status) ? WEXITSTATUS (status) : -1;
  else if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    fail_msg ("%s failed: %s", argv[0], errors);
  return output;
}

/* Line breaks fall wherever the paper's width puts them: words are
 * compared with every run of white space made one space. */
static char *
collapse_spaces (const char *text)
{
  GString *collapsed = g_string_new (NULL);
  gboolean in_space = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        in_space = TRUE;
      else
        {
          if (in_space && collapsed->len > 0)
            g_string_append_c (collapsed, ' ');
          in_space = FALSE;
          g_string_append_c (collapsed, *p);
        }
    }
  return g_string_free (collapsed, FALSE);
}

/* pdftotext cuts Arabic words where the shaped letters leave a gap and
 * wraps right-to-left runs in direction marks: Arabic is compared without
 * spaces and marks. */
static char *
strip_spaces_and_marks (const char *text)
{
  GString *stripped = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e))
        continue;
      g_string_append_unichar (stripped, c);
    }
  return g_string_free (stripped, FALSE);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    fail_msg ("expected “%s” in “%s”", needle, haystack);
}

static void
assert_lacks (const char *haystack,
              const char *needle)
{
  if (strstr (haystack, needle) != NULL)
    fail_msg ("did not expect “%s” in “%s”", needle, haystack);
}

static char *
write_render (const char *name,
              GBytes     *pdf)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_strconcat (name, ".pdf", NULL);
  char *path = g_build_filename (renders_dir, file, NULL);

  assert_int_equal (g_mkdir_with_parents (renders_dir, 0755), 0);
  if (!g_file_set_contents (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error))
    fail_msg ("%s: %s", path, error->message);
  return path;
}

static char *
pdf_text (const char *path)
{
  const char *argv[] = { pdftotext, "-enc", "UTF-8", path, "-", NULL };
  g_autofree char *text = run_tool (argv, NULL);

  return collapse_spaces (text);
}

typedef struct {
  double width;
  double height;
  int pages;
  char *info;
} PdfInfo;

static void
pdf_info_clear (PdfInfo *info)
{
  g_free (info->info);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PdfInfo, pdf_info_clear)

static void
read_pdf_info (const char *path,
               PdfInfo    *info)
{
  const char *argv[] = { pdfinfo, path, NULL };
  g_auto(GStrv) lines = NULL;

  info->info = run_tool (argv, NULL);
  info->width = info->height = 0;
  info->pages = 0;
  lines = g_strsplit (info->info, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "Page size:"))
        assert_int_equal (sscanf (lines[i] + strlen ("Page size:"), " %lf x %lf", &info->width, &info->height), 2);
      else if (g_str_has_prefix (lines[i], "Pages:"))
        assert_int_equal (sscanf (lines[i] + strlen ("Pages:"), " %d", &info->pages), 1);
    }
  if (info->width <= 0 || info->height <= 0 || info->pages <= 0)
    fail_msg ("no page size or count in pdfinfo's answer: %s", info->info);
}

/* The value of @key in pdfinfo's answer, e.g. "Title". */
static char *
info_field (const PdfInfo *info,
            const char    *key)
{
  g_auto(GStrv) lines = g_strsplit (info->info, "\n", -1);
  g_autofree char *prefix = g_strconcat (key, ":", NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return g_strstrip (g_strdup (lines[i] + strlen (prefix)));
  return NULL;
}

/* Every font is embedded; returns the names, one a line. */
static char *
assert_fonts_embedded (const char *path)
{
  const char *argv[] = { pdffonts, path, NULL };
  g_autofree char *output = run_tool (argv, NULL);
  g_auto(GStrv) lines = g_strsplit (output, "\n", -1);
  GString *names = g_string_new (NULL);
  guint n_fonts = 0;

  /* Two header lines, then: name type… encoding emb sub uni object-id gen. */
  for (guint i = 2; lines[0] != NULL && lines[1] != NULL && lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit_set (lines[i], " ", -1);
      g_autoptr(GPtrArray) words = g_ptr_array_new ();

      for (guint j = 0; fields[j] != NULL; j++)
        if (*fields[j] != '\0')
          g_ptr_array_add (words, fields[j]);
      if (words->len == 0)
        continue;
      if (words->len < 7)
        fail_msg ("unexpected pdffonts line: %s", lines[i]);
      if (!g_str_equal (g_ptr_array_index (words, words->len - 5), "yes"))
        fail_msg ("font not embedded: %s", lines[i]);
      g_string_append_printf (names, "%s\n", (char *) g_ptr_array_index (words, 0));
      n_fonts++;
    }
  assert_true (n_fonts > 0);
  return g_string_free (names, FALSE);
}

/* The first page as a PNG beside the PDF, as a printer driver would
 * rasterise it; returns its path. */
static char *
render_png (const char *pdf_path,
            const char *name)
{
  g_autofree char *stem = g_build_filename (renders_dir, name, NULL);
  const char *argv[] = { pdftoppm, "-r", "150", "-png", "-singlefile", pdf_path, stem, NULL };
  g_autofree char *output G_GNUC_UNUSED = run_tool (argv, NULL);

  return g_strconcat (stem, ".png", NULL);
}

/* What zbarimg reads from @png; %NULL when it finds no code. */
static char *
read_qr (const char *png)
{
  const char *argv[] = { zbarimg, "--raw", "-q", png, NULL };
  g_autofree char *output = NULL;
  int exit_code = 0;

  output = run_tool (argv, &exit_code);
  /* zbarimg says 4 when it found no code in a good image. */
  if (exit_code == 4)
    {
      assert_string_equal (output, "");
      return NULL;
    }
  assert_int_equal (exit_code, 0);
  return g_strdup (g_strchomp (output));
}

/* The left and right edges of the first word @text that pdftotext finds. */
static void
word_edges (const char *path,
            const char *text,
            double     *x_min,
            double     *x_max)
{
  const char *argv[] = { pdftotext, "-enc", "UTF-8", "-bbox", path, "-", NULL };
  g_autofree char *html = run_tool (argv, NULL);
  g_autofree char *needle = g_strdup_printf (">%s</word>", text);
  const char *end = strstr (html, needle), *start;

  if (end == NULL)
    fail_msg ("no word “%s” in %s", text, path);
  start = g_strrstr_len (html, end - html, "<word ");
  assert_non_null (start);
  assert_int_equal (sscanf (start, "<word xMin=\"%lf\" yMin=\"%*f\" xMax=\"%lf\"", x_min, x_max), 2);
}

/* ---- one layout ---- */

typedef struct {
  const char *name;
  HpPaper paper;
  const char *language;
  gboolean right_to_left;
  const char * const *words;  /* what the page must say, besides the numbers */
  const char * const *decimals;  /* the weight and BMI as written there; NULL: with a point */
} Layout;

static const char * const english_words[] = {
  "Blood pressure", "High blood pressure (stage 1)", "Normal pulse",
  "Weight", "Healthy weight",
  "Blood sugar", "Blood sugar a little high (prediabetes range)", "Before eating: nothing in 8 hours.",
  "This is a screening, not a diagnosis.", "Your visit summary", "What it means:",
  "Pulse", "beats per minute", "If you are pregnant, these ranges do not apply.",
  NULL,
};

static const char * const spanish_words[] = {
  "Presión arterial", "Presión arterial alta (etapa 1)", "Pulso normal",
  "Peso saludable",
  "Azúcar en la sangre", "Azúcar en la sangre un poco alto (rango de prediabetes)",
  "En ayunas: nada en 8 horas.",
  "Esto es una prueba de detección, no un diagnóstico.",
  "Pulso", "latidos por minuto", "Si está embarazada, estos rangos no se aplican.",
  NULL,
};

static const char * const arabic_words[] = {
  "ضغط الدم", "وزن صحي", "سكر الدم", "هذا فحص أولي", NULL,
};

static const char * const french_words[] = {
  "Tension haute (stade 1)", "Pouls normal", "Poids sain",
  "Taux de sucre dans le sang un peu haut (zone de prédiabète)", "Avant de manger : rien depuis 8 heures.",
  "Ceci est un dépistage, pas un diagnostic.", "Indice de masse corporelle",
  NULL,
};

/* The weight and body-mass index, with a decimal point in most languages
 * and a comma in French. */
static const char * const point_decimals[] = { "72.5", "23.7", NULL };
static const char * const comma_decimals[] = { "72,5", "23,7", NULL };

/* The numbers as the screens show them, the place, the date and the code. */
static const char * const every_layout_words[] = {
  "134/86", "105", "175", LOCATION, "2026-03-14 09:30", PATIENT_CODE, NULL,
};

static void
check_page_size (const Layout  *layout,
                 const PdfInfo *info)
{
  switch (layout->paper)
    {
    case HP_PAPER_RECEIPT_80MM:
      /* 80 mm wide, as long as the summary, on one strip. */
      assert_float_equal (info->width, RECEIPT_WIDTH, 0.01);
      assert_true (info->height > info->width && info->height < 14400);
      assert_int_equal (info->pages, 1);
      break;
    case HP_PAPER_LETTER:
      assert_float_equal (info->width, 612, 0.01);
      assert_float_equal (info->height, 792, 0.01);
      break;
    case HP_PAPER_A4:
      assert_float_equal (info->width, 595.28, 0.01);
      assert_float_equal (info->height, 841.89, 0.01);
      break;
    default:
      fail_msg ("no such paper");
    }
}

/* The numbers start at the left edge of the text in a left-to-right
 * language and end at the right one in a right-to-left language. */
static void
check_direction (const Layout  *layout,
                 const char    *path,
                 const PdfInfo *info)
{
  double x_min = 0, x_max = 0;

  word_edges (path, "134/86", &x_min, &x_max);
  if (layout->right_to_left)
    {
      if (x_max < info->width * 0.75)
        fail_msg ("the reading should end near the right edge, ends at %.1f of %.1f", x_max, info->width);
    }
  else if (x_min > info->width * 0.25)
    fail_msg ("the reading should start near the left edge, starts at %.1f of %.1f", x_min, info->width);
}

static void
check_layout (const Layout *layout)
{
  g_autoptr(HpVisit) visit = NULL;
  g_autoptr(GDateTime) when = printed_at ();
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *fonts = NULL;
  g_autofree char *png = NULL;
  g_autofree char *qr = NULL;
  g_autofree char *title = NULL;
  g_autofree char *creator = NULL;
  g_auto(PdfInfo) info = { 0 };
  HpSummaryInput input = { 0 };
  const char * const *decimals = layout->decimals != NULL ? layout->decimals : point_decimals;

  use_language (layout->language);
  visit = fixture_visit (layout->language, PATIENT_CODE);
  input.visit = visit;
  input.location = LOCATION;
  input.qr_token = QR_TOKEN;
  input.right_to_left = layout->right_to_left;
  input.printed_at = when;

  pdf = hp_summary_render_pdf (&input, layout->paper, &error);
  assert_null (error);
  assert_non_null (pdf);
  path = write_render (layout->name, pdf);

  text = pdf_text (path);
  for (guint i = 0; every_layout_words[i] != NULL; i++)
    assert_contains (text, every_layout_words[i]);
  for (guint i = 0; decimals[i] != NULL; i++)
    assert_contains (text, decimals[i]);
  for (guint i = 0; layout->words[i] != NULL; i++)
    {
      if (layout->right_to_left)
        {
          g_autofree char *bare_text = strip_spaces_and_marks (text);
          g_autofree char *bare_word = strip_spaces_and_marks (layout->words[i]);

          assert_contains (bare_text, bare_word);
        }
      else
        assert_contains (text, layout->words[i]);
    }

  read_pdf_info (path, &info);
  check_page_size (layout, &info);
  check_direction (layout, path, &info);

  /* The metadata says what the document is, and nothing of whose. */
  title = info_field (&info, "Title");
  creator = info_field (&info, "Creator");
  assert_non_null (title);
  assert_true (*title != '\0');
  assert_string_equal (creator, "Healthpost");
  assert_lacks (info.info, PATIENT_CODE);
  assert_lacks (info.info, QR_TOKEN);
  assert_lacks (info.info, "134");
  assert_lacks (info.info, decimals[0]);
  assert_lacks (info.info, "105");
  assert_lacks (info.info, "visit-fixture");
  {
    g_autofree char *created = info_field (&info, "CreationDate");

    /* The printing date, as pdfinfo writes it. */
    assert_non_null (created);
    assert_contains (created, "Mar 14 09:52:00 2026");
  }

  fonts = assert_fonts_embedded (path);
  if (layout->right_to_left)
    /* Arabic letters come from the font that has them. */
    assert_contains (fonts, "DejaVuSans");

  png = render_png (path, layout->name);
  qr = read_qr (png);
  assert_non_null (qr);
  assert_string_equal (qr, QR_TOKEN);
}

static const Layout layouts[] = {
  { "summary-receipt-80mm-en", HP_PAPER_RECEIPT_80MM, "en", FALSE, english_words },
  { "summary-receipt-80mm-es", HP_PAPER_RECEIPT_80MM, "es", FALSE, spanish_words },
  { "summary-receipt-80mm-ar", HP_PAPER_RECEIPT_80MM, "ar", TRUE, arabic_words },
  { "summary-letter-en", HP_PAPER_LETTER, "en", FALSE, english_words },
  { "summary-letter-es", HP_PAPER_LETTER, "es", FALSE, spanish_words },
  { "summary-a4-en", HP_PAPER_A4, "en", FALSE, english_words },
  { "summary-a4-es", HP_PAPER_A4, "es", FALSE, spanish_words },
  { "summary-a4-ar", HP_PAPER_A4, "ar", TRUE, arabic_words },
  { "summary-a4-fr", HP_PAPER_A4, "fr", FALSE, french_words, comma_decimals },
};

static void
test_layout (void **state)
{
  check_layout (*state);
}

static int
teardown_language (void **state G_GNUC_UNUSED)
{
  use_language ("en");
  return 0;
}

/* ---- the rest ---- */

static void
test_english_metadata_title (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpVisit) visit = fixture_visit ("en", NULL);
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *path = NULL;
  g_autofree char *title = NULL;
  g_auto(PdfInfo) info = { 0 };
  HpSummaryInput input = { .visit = visit };

  use_language ("en");
  pdf = hp_summary_render_pdf (&input, HP_PAPER_LETTER, NULL);
  assert_non_null (pdf);
  path = write_render ("summary-letter-en-anonymous", pdf);
  read_pdf_info (path, &info);
  title = info_field (&info, "Title");
  assert_string_equal (title, "Healthpost visit summary");
}

/* Without a token there is no QR code, and without a personal code no
 * code line: only the readings. */
static void
test_no_token_no_qr_code (void **state G_GNUC_UNUSED)
{
  const struct { const char *name; const char *code; const char *token; } cases[] = {
    { "summary-receipt-80mm-code-only", PATIENT_CODE, NULL },
    { "summary-receipt-80mm-anonymous", NULL, "" },
  };

  use_language ("en");
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HpVisit) visit = fixture_visit ("en", cases[i].code);
      g_autoptr(GBytes) pdf = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *path = NULL;
      g_autofree char *text = NULL;
      g_autofree char *png = NULL;
      g_autofree char *qr = NULL;
      HpSummaryInput input = { .visit = visit, .location = LOCATION, .qr_token = cases[i].token };

      pdf = hp_summary_render_pdf (&input, HP_PAPER_RECEIPT_80MM, &error);
      assert_null (error);
      path = write_render (cases[i].name, pdf);
      text = pdf_text (path);
      assert_contains (text, "134/86");
      if (cases[i].code != NULL)
        assert_contains (text, "Your personal code: " PATIENT_CODE);
      else
        assert_lacks (text, "personal code");
      png = render_png (path, cases[i].name);
      qr = read_qr (png);
      assert_null (qr);
    }
}

/* A long visit: the receipt grows, an office page breaks between readings
 * and numbers its pages. */
static void
test_long_visit (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpVisit) visit = fixture_visit ("en", PATIENT_CODE);
  g_autoptr(HpVisit) short_visit = fixture_visit ("en", PATIENT_CODE);
  g_autoptr(GBytes) receipt = NULL;
  g_autoptr(GBytes) short_receipt = NULL;
  g_autoptr(GBytes) letter = NULL;
  g_autofree char *receipt_path = NULL;
  g_autofree char *short_path = NULL;
  g_autofree char *letter_path = NULL;
  g_autofree char *text = NULL;
  g_auto(PdfInfo) receipt_info = { 0 };
  g_auto(PdfInfo) short_info = { 0 };
  g_auto(PdfInfo) letter_info = { 0 };
  HpSummaryInput input = { .visit = visit, .qr_token = QR_TOKEN };
  HpSummaryInput short_input = { .visit = short_visit, .qr_token = QR_TOKEN };

  use_language ("en");
  /* Nine more blood pressures, each a little higher than the last. */
  for (int i = 0; i < 9; i++)
    add_reading (visit, HP_MEASUREMENT_KIND_BLOOD_PRESSURE,
                 HP_QUANTITY_SYSTOLIC, 141.0 + i, HP_QUANTITY_DIASTOLIC, 91.0, -1);

  receipt = hp_summary_render_pdf (&input, HP_PAPER_RECEIPT_80MM, NULL);
  short_receipt = hp_summary_render_pdf (&short_input, HP_PAPER_RECEIPT_80MM, NULL);
  letter = hp_summary_render_pdf (&input, HP_PAPER_LETTER, NULL);
  assert_non_null (receipt);
  assert_non_null (short_receipt);
  assert_non_null (letter);
  receipt_path = write_render ("summary-receipt-80mm-long", receipt);
  short_path = write_render ("summary-receipt-80mm-short", short_receipt);
  letter_path = write_render ("summary-letter-long", letter);

  read_pdf_info (receipt_path, &receipt_info);
  read_pdf_info (short_path, &short_info);
  read_pdf_info (letter_path, &letter_info);
  assert_int_equal (receipt_info.pages, 1);
  assert_true (receipt_info.height > short_info.height + 9 * 40);
  assert_true (letter_info.pages >= 2);

  text = pdf_text (letter_path);
  for (int i = 0; i < 9; i++)
    {
      g_autofree char *value = g_strdup_printf ("%d/91", 141 + i);

      assert_contains (text, value);
    }
  assert_contains (text, "Page 1 of ");
  assert_contains (text, "This is a screening, not a diagnosis.");
}

static void
assert_refused (HpSummaryInput *input,
                HpPaper         paper,
                int             code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = hp_summary_render_pdf (input, paper, &error);

  assert_null (pdf);
  assert_non_null (error);
  if (!g_error_matches (error, HP_SUMMARY_ERROR, code))
    fail_msg ("expected error %d, got %s", code, error->message);
  /* Nothing personal in the message. */
  assert_lacks (error->message, PATIENT_CODE);
  assert_lacks (error->message, QR_TOKEN);
}

static void
test_errors (void **state G_GNUC_UNUSED)
{
  g_autoptr(GDateTime) started = g_date_time_new_utc (2026, 3, 14, 9, 30, 0);
  g_autoptr(HpVisit) empty = hp_visit_new_full ("visit-empty", started);
  g_autoptr(HpVisit) unknown_unit = hp_visit_new_full ("visit-unit", started);
  g_autoptr(HpVisit) visit = fixture_visit ("en", PATIENT_CODE);
  g_autoptr(HpVisit) bad_code = fixture_visit ("en", "K7Q4\xff");
  g_autoptr(HpMeasurement) grams = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_GLUCOSE);
  g_autofree char *long_location = g_strnfill (HP_SUMMARY_LOCATION_MAX + 1, 'a');
  g_autofree char *long_token = g_strnfill (HP_SUMMARY_QR_TOKEN_MAX + 1, 'a');
  HpSummaryInput input = { .visit = empty };

  use_language ("en");
  assert_refused (&input, HP_PAPER_A4, HP_SUMMARY_ERROR_NO_RESULTS);

  /* A reading in a unit the kiosk cannot show is no reading to print. */
  hp_measurement_set_value (grams, HP_QUANTITY_BLOOD_GLUCOSE, 1.05, "g/L");
  hp_visit_add_measurement (unknown_unit, grams);
  input.visit = unknown_unit;
  assert_refused (&input, HP_PAPER_RECEIPT_80MM, HP_SUMMARY_ERROR_NO_RESULTS);

  input.visit = visit;
  input.location = "Farmacia \xc3\x28";
  assert_refused (&input, HP_PAPER_LETTER, HP_SUMMARY_ERROR_INVALID);
  input.location = long_location;
  assert_refused (&input, HP_PAPER_LETTER, HP_SUMMARY_ERROR_INVALID);
  input.location = LOCATION;

  input.qr_token = "hp1.abc\ndef";
  assert_refused (&input, HP_PAPER_LETTER, HP_SUMMARY_ERROR_INVALID);
  input.qr_token = "hp1.é";
  assert_refused (&input, HP_PAPER_LETTER, HP_SUMMARY_ERROR_INVALID);
  input.qr_token = long_token;
  assert_refused (&input, HP_PAPER_LETTER, HP_SUMMARY_ERROR_INVALID);
  input.qr_token = QR_TOKEN;

  assert_refused (&input, (HpPaper) (HP_PAPER_LAST + 1), HP_SUMMARY_ERROR_INVALID);
  assert_refused (&input, (HpPaper) -1, HP_SUMMARY_ERROR_INVALID);

  input.visit = bad_code;
  assert_refused (&input, HP_PAPER_A4, HP_SUMMARY_ERROR_INVALID);

  /* A glucose the kiosk cannot show beside ones it can: printed, with the
   * screen's words for it. */
  {
    g_autoptr(GBytes) pdf = NULL;
    g_autofree char *path = NULL;
    g_autofree char *text = NULL;

    hp_visit_add_measurement (visit, grams);
    input.visit = visit;
    pdf = hp_summary_render_pdf (&input, HP_PAPER_RECEIPT_80MM, NULL);
    assert_non_null (pdf);
    path = write_render ("summary-receipt-80mm-unknown-unit", pdf);
    text = pdf_text (path);
    assert_contains (text, "The kiosk cannot show this result.");
    assert_contains (text, "134/86");
  }
}

static void
test_paper_names (void **state G_GNUC_UNUSED)
{
  const struct { HpPaper paper; const char *name; } papers[] = {
    { HP_PAPER_RECEIPT_80MM, "receipt-80mm" },
    { HP_PAPER_LETTER, "letter" },
    { HP_PAPER_A4, "a4" },
  };
  HpPaper paper = HP_PAPER_LETTER;

  for (gsize i = 0; i < G_N_ELEMENTS (papers); i++)
    {
      assert_string_equal (hp_paper_to_string (papers[i].paper), papers[i].name);
      assert_true (hp_paper_from_string (papers[i].name, &paper));
      assert_int_equal (paper, papers[i].paper);
    }
  paper = HP_PAPER_LETTER;
  assert_false (hp_paper_from_string ("A4", &paper));
  assert_false (hp_paper_from_string ("receipt", &paper));
  assert_false (hp_paper_from_string ("", &paper));
  assert_false (hp_paper_from_string (NULL, &paper));
  assert_int_equal (paper, HP_PAPER_LETTER);
  assert_null (hp_paper_to_string ((HpPaper) (HP_PAPER_LAST + 1)));
}

static void
test_test_page (void **state G_GNUC_UNUSED)
{
  const HpPaper papers[] = { HP_PAPER_RECEIPT_80MM, HP_PAPER_LETTER, HP_PAPER_A4 };
  const double widths[] = { RECEIPT_WIDTH, 612, 595.28 };

  use_language ("en");
  for (gsize i = 0; i < G_N_ELEMENTS (papers); i++)
    {
      /* The day is read before and after: a page printed at midnight
       * carries one of the two. */
      g_autoptr(GDateTime) before = g_date_time_new_now_local ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) pdf = hp_summary_render_test_page (papers[i], LOCATION, &error);
      g_autoptr(GDateTime) after = g_date_time_new_now_local ();
      g_autofree char *day_before = g_date_time_format (before, "%Y-%m-%d");
      g_autofree char *day_after = g_date_time_format (after, "%Y-%m-%d");
      g_autofree char *name = g_strconcat ("test-page-", hp_paper_to_string (papers[i]), NULL);
      g_autofree char *path = NULL;
      g_autofree char *text = NULL;
      g_autofree char *fonts = NULL;
      g_autofree char *png = NULL;
      g_autofree char *qr = NULL;
      g_auto(PdfInfo) info = { 0 };

      assert_null (error);
      assert_non_null (pdf);
      path = write_render (name, pdf);
      text = pdf_text (path);
      assert_contains (text, "Printer test page");
      assert_contains (text, LOCATION);
      if (strstr (text, day_before) == NULL)
        assert_contains (text, day_after);
      assert_contains (text, "0123456789");
      assert_contains (text, "Español");
      read_pdf_info (path, &info);
      assert_float_equal (info.width, widths[i], 0.01);
      fonts = assert_fonts_embedded (path);
      png = render_png (path, name);
      qr = read_qr (png);
      assert_non_null (qr);
      assert_string_equal (qr, HP_SUMMARY_TEST_PAGE_QR_TEXT);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) pdf = hp_summary_render_test_page (HP_PAPER_A4, "\xff", &error);

    assert_null (pdf);
    assert_true (g_error_matches (error, HP_SUMMARY_ERROR, HP_SUMMARY_ERROR_INVALID));
  }
}

/* The preview is the PDF's own page: its size follows the paper and the
 * scale, and it shows something dark on white. */
static void
test_preview (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpVisit) visit = fixture_visit ("en", PATIENT_CODE);
  g_autoptr(GBytes) receipt = NULL;
  g_autoptr(GBytes) letter = NULL;
  g_autoptr(GBytes) garbage = g_bytes_new_static ("%PDF-1.5 not really", 19);
  g_autoptr(GError) error = NULL;
  g_auto(PdfInfo) info = { 0 };
  g_autofree char *path = NULL;
  HpSummaryInput input = { .visit = visit, .qr_token = QR_TOKEN };
  cairo_surface_t *surface;
  const double bad_scales[] = { 0, -1, NAN, INFINITY, 1000 };

  use_language ("en");
  receipt = hp_summary_render_pdf (&input, HP_PAPER_RECEIPT_80MM, NULL);
  letter = hp_summary_render_pdf (&input, HP_PAPER_LETTER, NULL);
  assert_non_null (receipt);
  assert_non_null (letter);
  path = write_render ("summary-receipt-80mm-preview", receipt);
  read_pdf_info (path, &info);

  surface = hp_summary_render_preview (receipt, 0, 2.0, &error);
  assert_null (error);
  assert_non_null (surface);
  assert_int_equal (cairo_image_surface_get_width (surface), (int) ceil (info.width * 2.0));
  assert_int_equal (cairo_image_surface_get_height (surface), (int) ceil (info.height * 2.0));
  {
    const guint8 *pixels = cairo_image_surface_get_data (surface);
    int stride = cairo_image_surface_get_stride (surface);
    int width = cairo_image_surface_get_width (surface);
    int height = cairo_image_surface_get_height (surface);
    guint64 dark = 0, total = (guint64) width * height;

    for (int y = 0; y < height; y++)
      for (int x = 0; x < width; x++)
        {
          guint32 pixel;
          guint red, green, blue;

          /* Cairo's rows are 4-byte aligned, but the compiler cannot know. */
          memcpy (&pixel, pixels + y * stride + x * 4, sizeof pixel);
          red = (pixel >> 16) & 0xff;
          green = (pixel >> 8) & 0xff;
          blue = pixel & 0xff;
          if (red + green + blue < 3 * 128)
            dark++;
        }
    /* Text and a QR code: some ink, far from all of it. */
    if (dark < total / 50 || dark > total / 2)
      fail_msg ("%" G_GUINT64_FORMAT " dark pixels of %" G_GUINT64_FORMAT, dark, total);
    /* The corner is the paper's white margin. */
    {
      guint32 corner;

      memcpy (&corner, pixels, sizeof corner);
      assert_int_equal (corner, 0xffffffff);
    }
  }
  cairo_surface_destroy (surface);

  surface = hp_summary_render_preview (letter, 0, 1.0, &error);
  assert_null (error);
  assert_int_equal (cairo_image_surface_get_width (surface), 612);
  assert_int_equal (cairo_image_surface_get_height (surface), 792);
  cairo_surface_destroy (surface);

  surface = hp_summary_render_preview (letter, 5, 1.0, &error);
  assert_null (surface);
  assert_true (g_error_matches (error, HP_SUMMARY_ERROR, HP_SUMMARY_ERROR_INVALID));
  g_clear_error (&error);

  for (gsize i = 0; i < G_N_ELEMENTS (bad_scales); i++)
    {
      surface = hp_summary_render_preview (letter, 0, bad_scales[i], &error);
      assert_null (surface);
      assert_true (g_error_matches (error, HP_SUMMARY_ERROR, HP_SUMMARY_ERROR_INVALID));
      g_clear_error (&error);
    }

  surface = hp_summary_render_preview (garbage, 0, 1.0, &error);
  assert_null (surface);
  assert_true (g_error_matches (error, HP_SUMMARY_ERROR, HP_SUMMARY_ERROR_PDF));
}

/* Every category the interpretation can give has its screen icon on paper
 * too: values across each scale, from far below to far above. */
static void
test_every_category_icon_printable (void **state G_GNUC_UNUSED)
{
  HpInterpretation meaning;
  guint n_checked = 0;

  for (double v = 40; v <= 260; v += 1)
    {
      if (hp_interpret_blood_pressure_values (v, v * 0.6, &meaning))
        {
          assert_true (hp_sheet_has_icon (meaning.icon_name));
          n_checked++;
        }
      if (hp_interpret_pulse_value (v * 0.8, &meaning))
        assert_true (hp_sheet_has_icon (meaning.icon_name));
    }
  for (double v = 20; v <= 600; v += 2)
    for (int fasting = HP_FASTING_UNKNOWN; fasting <= HP_FASTING_NO; fasting++)
      if (hp_interpret_glucose_value (v, (HpFasting) fasting, &meaning))
        {
          assert_true (hp_sheet_has_icon (meaning.icon_name));
          n_checked++;
        }
  for (double kg = 30; kg <= 200; kg += 1)
    {
      double bmi = 0;

      if (hp_interpret_bmi (kg, 170, &bmi, &meaning))
        {
          assert_true (hp_sheet_has_icon (meaning.icon_name));
          n_checked++;
        }
    }
  assert_true (n_checked > 300);
  assert_false (hp_sheet_has_icon ("no-such-icon"));
}

#define LAYOUT_TEST(i) { layouts[i].name, test_layout, NULL, teardown_language, (void *) &layouts[i] }

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("HEALTHPOST_LOCALEDIR");
  const struct CMUnitTest tests[] = {
    LAYOUT_TEST (0), LAYOUT_TEST (1), LAYOUT_TEST (2), LAYOUT_TEST (3),
    LAYOUT_TEST (4), LAYOUT_TEST (5), LAYOUT_TEST (6), LAYOUT_TEST (7),
    LAYOUT_TEST (8),
    cmocka_unit_test (test_english_metadata_title),
    cmocka_unit_test (test_no_token_no_qr_code),
    cmocka_unit_test (test_long_visit),
    cmocka_unit_test (test_errors),
    cmocka_unit_test (test_paper_names),
    cmocka_unit_test (test_test_page),
    cmocka_unit_test (test_preview),
    cmocka_unit_test (test_every_category_icon_printable),
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (layouts) == 9);

  if (argc != 7)
    {
      g_printerr ("usage: %s RENDERS-DIR PDFTOTEXT PDFINFO PDFFONTS PDFTOPPM ZBARIMG\n", argv[0]);
      return 2;
    }
  renders_dir = argv[1];
  pdftotext = argv[2];
  pdfinfo = argv[3];
  pdffonts = argv[4];
  pdftoppm = argv[5];
  zbarimg = argv[6];

  /* The visit's time is printed in the kiosk's zone: UTC here. */
  g_setenv ("TZ", "UTC", TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : ".");
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  return cmocka_run_group_tests_name ("summary-pdf", tests, NULL, NULL);
}
