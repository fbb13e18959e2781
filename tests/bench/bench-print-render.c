/* Benchmark: how long the kiosk waits for a visit summary's PDF on each paper, and for its preview. */
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "hp-summary-pdf.h"

#define RENDERS 100

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The value below which @fraction of the sorted @times lie. */
static double
percentile (const double *times,
            guint         n_times,
            double        fraction)
{
  guint index = (guint) (fraction * (n_times - 1) + 0.5);

  return times[MIN (index, n_times - 1)];
}

static void
add_reading (HpVisit           *visit,
             HpMeasurementKind  kind,
             HpQuantity         first,
             double             first_value,
             HpQuantity         second,
             double             second_value)
{
  g_autoptr(HpMeasurement) measurement = hp_measurement_new (kind);

  hp_measurement_set_value (measurement, first, first_value, hp_quantity_get_canonical_unit (first));
  if (second != first)
    hp_measurement_set_value (measurement, second, second_value, hp_quantity_get_canonical_unit (second));
  hp_visit_add_measurement (visit, measurement);
}

/* The usual visit: blood pressure, weight with a height, fasting glucose. */
static HpVisit *
bench_visit (void)
{
  g_autoptr(GDateTime) started = g_date_time_new_utc (2026, 3, 14, 9, 30, 0);
  HpVisit *visit = hp_visit_new_full ("bench-visit", started);

  hp_visit_set_patient_code (visit, "K7Q4-M2PX");
  hp_visit_set_fasting (visit, HP_FASTING_YES);
  hp_visit_set_height_cm (visit, 175);
  add_reading (visit, HP_MEASUREMENT_KIND_BLOOD_PRESSURE, HP_QUANTITY_SYSTOLIC, 134, HP_QUANTITY_DIASTOLIC, 86);
  add_reading (visit, HP_MEASUREMENT_KIND_BODY_WEIGHT, HP_QUANTITY_BODY_WEIGHT, 72.5, HP_QUANTITY_BODY_WEIGHT, 0);
  add_reading (visit, HP_MEASUREMENT_KIND_BLOOD_GLUCOSE, HP_QUANTITY_BLOOD_GLUCOSE, 105, HP_QUANTITY_BLOOD_GLUCOSE, 0);
  return visit;
}

static gboolean
bench_layout (HpVisit    *visit,
              HpPaper     paper,
              const char *language,
              gboolean    right_to_left)
{
  g_autoptr(GError) error = NULL;
  g_autofree double *times = g_new (double, RENDERS);
  HpSummaryInput input = {
    .visit = visit, .location = "Farmacia Peñalara, Calle Mayor 5",
    .qr_token = "hp1.Zq3xT9wLbR2mV8kD", .right_to_left = right_to_left,
  };
  gsize size = 0;

  g_setenv ("LANGUAGE", language, TRUE);
  setlocale (LC_MESSAGES, "");
  for (guint i = 0; i < RENDERS; i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GBytes) pdf = hp_summary_render_pdf (&input, paper, &error);

      times[i] = ms_since (start);
      if (pdf == NULL)
        {
          g_printerr ("%s\n", error->message);
          return FALSE;
        }
      size = g_bytes_get_size (pdf);
    }
  qsort (times, RENDERS, sizeof *times, compare_doubles);
  printf ("summary %-12s %s: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d renders), %" G_GSIZE_FORMAT " bytes\n",
          hp_paper_to_string (paper), language,
          percentile (times, RENDERS, 0.5), percentile (times, RENDERS, 0.99), times[RENDERS - 1],
          RENDERS, size);
  return TRUE;
}

static gboolean
bench_preview (HpVisit *visit,
               HpPaper  paper,
               double   pixels_per_point)
{
  g_autoptr(GError) error = NULL;
  g_autofree double *times = g_new (double, RENDERS);
  HpSummaryInput input = { .visit = visit, .qr_token = "hp1.Zq3xT9wLbR2mV8kD" };
  g_autoptr(GBytes) pdf = hp_summary_render_pdf (&input, paper, &error);
  int width = 0, height = 0;

  if (pdf == NULL)
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }
  for (guint i = 0; i < RENDERS; i++)
    {
      gint64 start = g_get_monotonic_time ();
      cairo_surface_t *surface = hp_summary_render_preview (pdf, 0, pixels_per_point, &error);

      times[i] = ms_since (start);
      if (surface == NULL)
        {
          g_printerr ("%s\n", error->message);
          return FALSE;
        }
      width = cairo_image_surface_get_width (surface);
      height = cairo_image_surface_get_height (surface);
      cairo_surface_destroy (surface);
    }
  qsort (times, RENDERS, sizeof *times, compare_doubles);
  printf ("preview %-12s %d×%d px: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d renders)\n",
          hp_paper_to_string (paper), width, height,
          percentile (times, RENDERS, 0.5), percentile (times, RENDERS, 0.99), times[RENDERS - 1],
          RENDERS);
  return TRUE;
}

int
main (void)
{
  const char *localedir = g_getenv ("HEALTHPOST_LOCALEDIR");
  const HpPaper papers[] = { HP_PAPER_RECEIPT_80MM, HP_PAPER_LETTER, HP_PAPER_A4 };
  g_autoptr(HpVisit) visit = bench_visit ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) first = NULL;
  gint64 start;
  HpSummaryInput input = { .visit = visit };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : ".");
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* The first summary of a process also loads the fonts' configuration. */
  start = g_get_monotonic_time ();
  first = hp_summary_render_pdf (&input, HP_PAPER_RECEIPT_80MM, &error);
  if (first == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  printf ("first summary of the process (fonts loaded): %.1f ms\n", ms_since (start));

  for (gsize i = 0; i < G_N_ELEMENTS (papers); i++)
    if (!bench_layout (visit, papers[i], "en", FALSE) ||
        !bench_layout (visit, papers[i], "ar", TRUE))
      return 1;

  if (!bench_preview (visit, HP_PAPER_RECEIPT_80MM, 1.5) ||
      !bench_preview (visit, HP_PAPER_LETTER, 1.0))
    return 1;
  return 0;
}
