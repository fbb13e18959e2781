/* Benchmark: a FHIR export of 10,000 stored visits to a file: time, visits/s and the memory it takes. */
#include <stdio.h>
#include <stdlib.h>

#include <glib/gstdio.h>

#include "bench-populate.h"
#include "hp-fhir.h"
#include "hp-test-util.h"

#define DEFAULT_VISITS 10000

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStore) store = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  guint n_visits = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : DEFAULT_VISITS;
  guint exported = 0;
  gint64 rss_before, rss_peak, started, elapsed;
  GStatBuf info;
  int status = EXIT_FAILURE;

  if (n_visits == 0)
    {
      g_printerr ("usage: %s [number of visits]\n", argv[0]);
      return EXIT_FAILURE;
    }
  dir = g_dir_make_tmp ("hp-bench-fhir-XXXXXX", &error);
  if (dir == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  path = g_build_filename (dir, "healthpost.db", NULL);
  out = g_build_filename (dir, "export.json", NULL);
  store = hp_store_open_demo (path, &error);
  if (store == NULL || !hp_bench_populate (store, n_visits))
    {
      if (error != NULL)
        g_printerr ("%s\n", error->message);
      goto out;
    }

  hp_bench_reset_peak_rss ();
  rss_before = hp_bench_peak_rss_kib ();
  started = g_get_monotonic_time ();
  if (!hp_fhir_export_store_to_file (store, NULL, out, HP_FHIR_EXPORT_REPLACE, &exported, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      goto out;
    }
  elapsed = g_get_monotonic_time () - started;
  rss_peak = hp_bench_peak_rss_kib ();

  printf ("fhir-export: %u visits of 2-4 measurements from the store to a file\n", exported);
  printf ("  seconds         %.3f\n", elapsed / (double) G_USEC_PER_SEC);
  printf ("  visits/s        %.0f\n", exported / (elapsed / (double) G_USEC_PER_SEC));
  printf ("  file bytes      %" G_GINT64_FORMAT "\n", g_stat (out, &info) == 0 ? (gint64) info.st_size : -1);
  printf ("  peak RSS KiB    %" G_GINT64_FORMAT " (%" G_GINT64_FORMAT " before the export)\n",
          rss_peak, rss_before);
  status = EXIT_SUCCESS;

out:
  g_clear_object (&store);
  hp_test_tmpdir_remove (dir);
  return status;
}
