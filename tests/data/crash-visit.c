/* The visits test-crash-safety's writer commits: each one rebuilt exactly from its run and number, so the test knows what every stored visit must hold. */
#include "crash-visit.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

HpVisit *
hp_crash_visit_new (guint run,
                    guint n)
{
  g_autofree char *id = g_strdup_printf ("crash-%u-%u", run, n);
  gint64 base = 1763700000 + (gint64) run * 3600 + n;
  g_autoptr(GDateTime) started = g_date_time_new_from_unix_utc (base);
  g_autoptr(GDateTime) finished = g_date_time_add_seconds (started, 240);
  guint seed = run * 7919 + n;
  guint n_measurements = 1 + seed % 4;
  HpVisit *visit = hp_visit_new_full (id, started);

  for (guint i = 0; i < n_measurements; i++)
    {
      HpMeasurementKind kind = (HpMeasurementKind) ((seed + i) % (HP_MEASUREMENT_KIND_LAST + 1));
      g_autoptr(HpMeasurement) measurement = hp_measurement_new (kind);
      g_autoptr(GDateTime) taken = g_date_time_add_seconds (started, 30.0 * (i + 1));

      switch (kind)
        {
        case HP_MEASUREMENT_KIND_BLOOD_PRESSURE:
          hp_measurement_set_value (measurement, HP_QUANTITY_SYSTOLIC, 100 + (seed + i) % 60, "mm[Hg]");
          hp_measurement_set_value (measurement, HP_QUANTITY_DIASTOLIC, 60 + (seed + i) % 40, "mm[Hg]");
          hp_measurement_set_value (measurement, HP_QUANTITY_PULSE_RATE, 50 + (seed + i) % 50, "/min");
          break;
        case HP_MEASUREMENT_KIND_BODY_WEIGHT:
          hp_measurement_set_value (measurement, HP_QUANTITY_BODY_WEIGHT, 40 + (seed + i) % 80 + 0.25, "kg");
          break;
        case HP_MEASUREMENT_KIND_BLOOD_GLUCOSE:
        default:
          hp_measurement_set_value (measurement, HP_QUANTITY_BLOOD_GLUCOSE, 3.5 + (seed + i) % 60 / 10.0, "mmol/L");
          break;
        }
      hp_measurement_set_device_id (measurement, "crash-writer");
      hp_measurement_set_kiosk_time (measurement, taken);
      hp_visit_add_measurement (visit, measurement);
    }
  hp_visit_set_finished_at (visit, finished);
  return visit;
}

gboolean
hp_crash_visit_parse_id (const char *id,
                         guint      *run,
                         guint      *n)
{
  char tail = '\0';

  return sscanf (id, "crash-%u-%u%c", run, n, &tail) == 2;
}

gboolean
hp_crash_visit_matches (HpVisit *loaded)
{
  g_autoptr(HpVisit) expected = NULL;
  GListModel *have;
  GListModel *want;
  guint run = 0, n = 0;

  if (loaded == NULL || !hp_crash_visit_parse_id (hp_visit_get_id (loaded), &run, &n))
    return FALSE;
  expected = hp_crash_visit_new (run, n);
  have = hp_visit_get_measurements (loaded);
  want = hp_visit_get_measurements (expected);
  if (g_list_model_get_n_items (have) != g_list_model_get_n_items (want))
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (want); i++)
    {
      g_autoptr(HpMeasurement) a = g_list_model_get_item (have, i);
      g_autoptr(HpMeasurement) b = g_list_model_get_item (want, i);

      if (hp_measurement_get_kind (a) != hp_measurement_get_kind (b))
        return FALSE;
      for (int q = 0; q <= HP_QUANTITY_LAST; q++)
        {
          double x = 0, y = 0;
          gboolean has_x = hp_measurement_get_value (a, (HpQuantity) q, &x, NULL);
          gboolean has_y = hp_measurement_get_value (b, (HpQuantity) q, &y, NULL);

          if (has_x != has_y || x != y)
            return FALSE;
        }
    }
  return TRUE;
}

gboolean
hp_crash_report (const char *line)
{
  gsize length = strlen (line);
  gsize done = 0;

  while (done < length)
    {
      gssize n = write (STDOUT_FILENO, line + done, length - done);

      if (n <= 0)
        return FALSE;
      done += (gsize) n;
    }
  return TRUE;
}
