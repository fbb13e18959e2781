/* Benchmark: what checking the store on open costs on a large file, PRAGMA quick_check beside integrity_check. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib/gstdio.h>

#include "bench-populate.h"
#include "hp-store-damage.h"
#include "hp-store-private.h"
#include "hp-test-util.h"

#define DEFAULT_VISITS 100000

static double
time_pragma (sqlite3    *db,
             const char *sql)
{
  gint64 started = g_get_monotonic_time ();
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK)
    while (sqlite3_step (stmt) == SQLITE_ROW)
      ;
  sqlite3_finalize (stmt);
  return (g_get_monotonic_time () - started) / 1000.0;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStore) store = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  guint n_visits = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : DEFAULT_VISITS;
  GStatBuf info;
  gint64 started;
  int status = EXIT_FAILURE;

  dir = g_dir_make_tmp ("hp-bench-check-XXXXXX", &error);
  if (dir == NULL || n_visits == 0)
    return EXIT_FAILURE;
  path = g_build_filename (dir, "healthpost.db", NULL);
  store = hp_store_open_demo (path, &error);
  if (store == NULL || !hp_bench_populate (store, n_visits))
    goto out;
  g_clear_object (&store);

  started = g_get_monotonic_time ();
  store = hp_store_open_demo (path, &error);
  printf ("store-integrity: %u visits, %" G_GINT64_FORMAT " bytes\n", n_visits,
          g_stat (path, &info) == 0 ? (gint64) info.st_size : -1);
  printf ("  open ms                      %.1f\n", (g_get_monotonic_time () - started) / 1000.0);
  g_clear_object (&store);
  started = g_get_monotonic_time ();
  store = hp_store_open_recovering (path, NULL, NULL, &error);
  if (store == NULL)
    goto out;
  printf ("  open with quick check ms     %.1f\n", (g_get_monotonic_time () - started) / 1000.0);
  printf ("  PRAGMA quick_check ms        %.1f\n", time_pragma (hp_store_get_db (store), "PRAGMA quick_check"));
  printf ("  PRAGMA integrity_check ms    %.1f\n", time_pragma (hp_store_get_db (store), "PRAGMA integrity_check"));
  status = EXIT_SUCCESS;

out:
  if (error != NULL)
    g_printerr ("%s\n", error->message);
  g_clear_object (&store);
  hp_test_tmpdir_remove (dir);
  return status;
}
