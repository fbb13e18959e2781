/* Fills a store quickly for the benchmarks: visits of 2 to 4 measurements, written without waiting for the disk. */
#include "bench-populate.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "hp-store-private.h"

static HpVisit *
make_visit (guint index)
{
  g_autofree char *id = g_strdup_printf ("bench-%08u", index);
  g_autoptr(GDateTime) started = g_date_time_new_from_unix_utc (1700000000 + (gint64) index * 600);
  g_autoptr(GDateTime) finished = g_date_time_add_seconds (started, 300);
  HpVisit *visit = hp_visit_new_full (id, started);
  guint n = 2 + index % 3;

  if (index % 4 == 0)
    {
      g_autofree char *code = g_strdup_printf ("P%05u", index % 5000);

      hp_visit_set_patient_code (visit, code);
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HpMeasurement) m = hp_measurement_new ((HpMeasurementKind) (i % 3));
      g_autoptr(GDateTime) taken = g_date_time_add_seconds (started, 60.0 * (i + 1));

      switch (hp_measurement_get_kind (m))
        {
        case HP_MEASUREMENT_KIND_BLOOD_PRESSURE:
          hp_measurement_set_value (m, HP_QUANTITY_SYSTOLIC, 110 + index % 50, "mm[Hg]");
          hp_measurement_set_value (m, HP_QUANTITY_DIASTOLIC, 70 + index % 30, "mm[Hg]");
          hp_measurement_set_value (m, HP_QUANTITY_PULSE_RATE, 60 + index % 40, "/min");
          break;
        case HP_MEASUREMENT_KIND_BODY_WEIGHT:
          hp_measurement_set_value (m, HP_QUANTITY_BODY_WEIGHT, 50 + index % 60 + 0.5, "kg");
          break;
        case HP_MEASUREMENT_KIND_BLOOD_GLUCOSE:
        default:
          hp_measurement_set_value (m, HP_QUANTITY_BLOOD_GLUCOSE, 80 + index % 90, "mg/dL");
          break;
        }
      hp_measurement_set_device_id (m, "usb:0590:0028:bench");
      hp_measurement_set_kiosk_time (m, taken);
      hp_visit_add_measurement (visit, m);
    }
  hp_visit_set_finished_at (visit, finished);
  return visit;
}

gboolean
hp_bench_populate (HpStore *store,
                   guint    n_visits)
{
  sqlite3 *db = hp_store_get_db (store);

  /* The figures measured are reading ones; filling need not wait for fsync. */
  sqlite3_exec (db, "PRAGMA synchronous = OFF", NULL, NULL, NULL);
  for (guint i = 0; i < n_visits; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HpVisit) visit = make_visit (i);

      if (!hp_store_commit_visit (store, visit, &error))
        {
          g_printerr ("commit %u failed: %s\n", i, error->message);
          return FALSE;
        }
    }
  sqlite3_exec (db, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
  sqlite3_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
  return TRUE;
}

gint64
hp_bench_peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmHWM:");
  return line != NULL ? g_ascii_strtoll (line + 6, NULL, 10) : -1;
}

void
hp_bench_reset_peak_rss (void)
{
  /* "5" resets the peak (Linux 4.0 and later); ignored where refused. */
  g_file_set_contents ("/proc/self/clear_refs", "5", 1, NULL);
}
