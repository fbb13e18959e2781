/* Benchmark: how fast the store seals and commits visits of four measurements, and how large the file grows. */
#include <stdio.h>
#include <stdlib.h>

#include <glib/gstdio.h>

#include "hp-test-util.h"

#include "hp-store.h"

#define DEFAULT_VISITS 2000

static int
compare_gint64 (const void *a,
                const void *b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* A full visit: blood pressure twice, weight and glucose, every second one
 * by a returning patient, each reading with its device id and time. */
static HpVisit *
make_visit (guint index)
{
  g_autoptr(HpMeasurement) pressure = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_PRESSURE);
  g_autoptr(HpMeasurement) weight = hp_measurement_new (HP_MEASUREMENT_KIND_BODY_WEIGHT);
  g_autoptr(HpMeasurement) glucose = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_GLUCOSE);
  g_autoptr(HpMeasurement) pressure_again = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_PRESSURE);
  g_autoptr(GDateTime) finished = NULL;
  g_autoptr(GDateTime) later = NULL;
  HpVisit *visit = hp_visit_new ();
  GDateTime *started = hp_visit_get_started_at (visit);

  finished = g_date_time_add_seconds (started, 180);
  later = g_date_time_add_seconds (started, 120);
  if (index % 2 == 0)
    {
      g_autofree char *code = g_strdup_printf ("BENCH-%04u", index % 500);

      hp_visit_set_patient_code (visit, code);
    }
  hp_measurement_set_value (pressure, HP_QUANTITY_SYSTOLIC, 110 + index % 50, "mm[Hg]");
  hp_measurement_set_value (pressure, HP_QUANTITY_DIASTOLIC, 70 + index % 30, "mm[Hg]");
  hp_measurement_set_value (pressure, HP_QUANTITY_MEAN_ARTERIAL, 90 + index % 20, "mm[Hg]");
  hp_measurement_set_value (pressure, HP_QUANTITY_PULSE_RATE, 60 + index % 40, "/min");
  hp_measurement_set_device_id (pressure, "usb:0590:0028:bench");
  hp_measurement_set_device_time (pressure, started);
  hp_visit_add_measurement (visit, pressure);
  hp_measurement_set_value (weight, HP_QUANTITY_BODY_WEIGHT, 60 + index % 40 + 0.1, "kg");
  hp_measurement_set_device_id (weight, "usb:0bda:0001:bench");
  hp_measurement_set_device_time (weight, started);
  hp_visit_add_measurement (visit, weight);
  hp_measurement_set_value (glucose, HP_QUANTITY_BLOOD_GLUCOSE, 4.5 + (index % 30) / 10.0, "mmol/L");
  hp_visit_add_measurement (visit, glucose);
  hp_measurement_set_value (pressure_again, HP_QUANTITY_SYSTOLIC, 108 + index % 50, "mm[Hg]");
  hp_measurement_set_value (pressure_again, HP_QUANTITY_DIASTOLIC, 69 + index % 30, "mm[Hg]");
  hp_measurement_set_device_id (pressure_again, "usb:0590:0028:bench");
  hp_measurement_set_device_time (pressure_again, later);
  hp_visit_add_measurement (visit, pressure_again);
  hp_visit_set_finished_at (visit, finished);
  return visit;
}

static gint64
file_size (const char *path)
{
  GStatBuf info;

  return g_stat (path, &info) == 0 ? (gint64) info.st_size : 0;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStore) store = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *wal_path = NULL;
  g_autofree gint64 *durations = NULL;
  guint n_visits = DEFAULT_VISITS;
  gint64 total = 0;
  gint64 started;
  gint64 elapsed;

  if (argc > 1)
    n_visits = (guint) g_ascii_strtoull (argv[1], NULL, 10);
  if (n_visits == 0)
    {
      g_printerr ("usage: %s [number of visits]\n", argv[0]);
      return EXIT_FAILURE;
    }

  /* TMPDIR chooses the file system measured: tmpfs makes fsync free. */
  dir = g_dir_make_tmp ("hp-bench-store-XXXXXX", &error);
  if (dir == NULL)
    {
      g_printerr ("Cannot make a temporary folder: %s\n", error->message);
      return EXIT_FAILURE;
    }
  path = g_build_filename (dir, "healthpost.db", NULL);
  wal_path = g_strconcat (path, "-wal", NULL);

  store = hp_store_open_demo (path, &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      hp_test_tmpdir_remove (dir);
      return EXIT_FAILURE;
    }

  durations = g_new (gint64, n_visits);
  started = g_get_monotonic_time ();
  for (guint i = 0; i < n_visits; i++)
    {
      g_autoptr(HpVisit) visit = make_visit (i);
      gint64 before = g_get_monotonic_time ();

      if (!hp_store_commit_visit (store, visit, &error))
        {
          g_printerr ("commit %u failed: %s\n", i, error->message);
          g_clear_object (&store);
          hp_test_tmpdir_remove (dir);
          return EXIT_FAILURE;
        }
      durations[i] = g_get_monotonic_time () - before;
      total += durations[i];
    }
  elapsed = g_get_monotonic_time () - started;

  qsort (durations, n_visits, sizeof (gint64), compare_gint64);
  printf ("store-commit: %u visits of four sealed measurements in %s\n", n_visits, dir);
  printf ("  visits/s        %.0f\n", n_visits / (elapsed / (double) G_USEC_PER_SEC));
  printf ("  mean ms/commit  %.3f\n", total / (double) n_visits / 1000.0);
  printf ("  p50 ms/commit   %.3f\n", durations[n_visits / 2] / 1000.0);
  printf ("  p95 ms/commit   %.3f\n", durations[(guint) (n_visits * 0.95)] / 1000.0);
  printf ("  p99 ms/commit   %.3f\n", durations[(guint) (n_visits * 0.99)] / 1000.0);
  printf ("  max ms/commit   %.3f\n", durations[n_visits - 1] / 1000.0);
  printf ("  file bytes      %" G_GINT64_FORMAT " (+ %" G_GINT64_FORMAT " in -wal)\n",
          file_size (path), file_size (wal_path));

  g_clear_object (&store);
  printf ("  after close     %" G_GINT64_FORMAT " bytes, %.0f bytes/visit\n",
          file_size (path), file_size (path) / (double) n_visits);
  hp_test_tmpdir_remove (dir);
  return EXIT_SUCCESS;
}
