/* The visits test-crash-safety's writer commits: each one rebuilt exactly from its run and number, so the test knows what every stored visit must hold. */
#include "crash-visit.h"

#include <stdio.h>

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
