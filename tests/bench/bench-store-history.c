/* Benchmark: a returning patient's history looked up among a million sealed visits. */
#include <stdio.h>
#include <stdlib.h>

#include <glib/gstdio.h>

#include "hp-test-util.h"

#include "hp-store.h"

#define DEFAULT_VISITS   1000000
#define PATIENTS         50000
#define BATCH            10000
#define LOOKUPS          400
#define HISTORY_LIMIT    10

static int
compare_gint64 (const void *a,
                const void *b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* Visit @index: one weighing, by patient index % PATIENTS, a minute after
 * the one before, so every patient's visits spread over the whole span. */
static HpVisit *
make_visit (guint      index,
            GDateTime *epoch)
{
  g_autoptr(GDateTime) started = g_date_time_add_seconds (epoch, index * 60.0);
  g_autoptr(GDateTime) finished = g_date_time_add_seconds (started, 120);
  g_autoptr(HpMeasurement) weight = hp_measurement_new (HP_MEASUREMENT_KIND_BODY_WEIGHT);
  g_autofree char *id = g_strdup_printf ("bench-%07u", index);
  g_autofree char *code = g_strdup_printf ("HIST-%05u", index % PATIENTS);
  HpVisit *visit = hp_visit_new_full (id, started);

  hp_visit_set_patient_code (visit, code);
  hp_measurement_set_value (weight, HP_QUANTITY_BODY_WEIGHT, 50 + (index % 600) / 10.0, "kg");
  hp_measurement_set_device_id (weight, "usb:0bda:0001:bench");
  hp_measurement_set_device_time (weight, started);
  hp_measurement_set_kiosk_time (weight, started);
  hp_visit_add_measurement (visit, weight);
  hp_visit_set_finished_at (visit, finished);
  return visit;
}

static gboolean
fill (HpStore  *store,
      guint     n_visits,
      GError  **error)
{
  g_autoptr(GDateTime) epoch = g_date_time_new_from_unix_utc (1600000000);

  for (guint first = 0; first < n_visits; first += BATCH)
    {
      guint n = MIN (BATCH, n_visits - first);
      g_autoptr(GPtrArray) visits = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (visits, make_visit (first + i, epoch));
      if (!hp_store_commit_visits (store, (HpVisit **) visits->pdata, n, error))
        return FALSE;
    }
  return TRUE;
}

static void
print_figures (const char *what,
               gint64     *durations,
               guint       n)
{
  qsort (durations, n, sizeof (gint64), compare_gint64);
  printf ("  %-28s p50 %.3f ms  p99 %.3f ms  max %.3f ms\n", what,
          durations[n / 2] / 1000.0, durations[(guint) (n * 0.99)] / 1000.0,
          durations[n - 1] / 1000.0);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStore) store = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (1000000);
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  gint64 latest[LOOKUPS];
  gint64 all[LOOKUPS];
  guint n_visits = DEFAULT_VISITS;
  gint64 started;
  int status = EXIT_FAILURE;

  if (argc > 1)
    n_visits = (guint) g_ascii_strtoull (argv[1], NULL, 10);
  if (n_visits < PATIENTS)
    {
      g_printerr ("usage: %s [number of visits, at least %u]\n", argv[0], PATIENTS);
      return EXIT_FAILURE;
    }

  dir = g_dir_make_tmp ("hp-bench-history-XXXXXX", &error);
  if (dir == NULL)
    {
      g_printerr ("Cannot make a temporary folder: %s\n", error->message);
      return EXIT_FAILURE;
    }
  path = g_build_filename (dir, "healthpost.db", NULL);
  store = hp_store_open_demo (path, &error);
  if (store == NULL)
    goto out;

  started = g_get_monotonic_time ();
  if (!fill (store, n_visits, &error))
    goto out;
  printf ("store-history: %u visits of %u patients, built in %.1f s\n", n_visits, PATIENTS,
          (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);

  for (guint i = 0; i < LOOKUPS; i++)
    {
      g_autofree char *code = g_strdup_printf ("HIST-%05u", g_rand_int_range (rand, 0, PATIENTS));
      g_autoptr(GPtrArray) history = NULL;
      gint64 before = g_get_monotonic_time ();

      history = hp_store_list_patient_visits (store, code, HISTORY_LIMIT, &error);
      latest[i] = g_get_monotonic_time () - before;
      if (history == NULL)
        goto out;
      if (history->len != HISTORY_LIMIT)
        {
          g_printerr ("patient %s has %u visits, not %u\n", code, history->len, HISTORY_LIMIT);
          goto out;
        }
      g_clear_pointer (&history, g_ptr_array_unref);

      before = g_get_monotonic_time ();
      history = hp_store_list_patient_visits (store, code, 0, &error);
      all[i] = g_get_monotonic_time () - before;
      if (history == NULL)
        goto out;
    }
  printf ("  %u lookups of a patient's history (%u visits each)\n", LOOKUPS, n_visits / PATIENTS);
  print_figures ("newest 10 visits", latest, LOOKUPS);
  print_figures ("all visits", all, LOOKUPS);
  status = EXIT_SUCCESS;

out:
  if (error != NULL)
    g_printerr ("%s\n", error->message);
  g_clear_object (&store);
  hp_test_tmpdir_remove (dir);
  return status;
}
