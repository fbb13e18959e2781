/* Crash safety: a writer process is killed with SIGKILL at random moments; every visit it reported committed must still be there, whole, and the file must pass SQLite's integrity check. */
#include "hp-store-fixture.h"

#include <signal.h>
#include <stdlib.h>

#include "crash-visit.h"
#include "hp-store-private.h"

#define DEFAULT_RUNS 200
#define MAX_DELAY_US 30000

static const char *writer_path;

static guint
n_runs (void)
{
  const char *text = g_getenv ("HP_CRASH_RUNS");
  guint64 runs;

  if (text == NULL)
    return DEFAULT_RUNS;
  runs = g_ascii_strtoull (text, NULL, 10);
  return runs > 0 && runs < 100000 ? (guint) runs : DEFAULT_RUNS;
}

static void
assert_integrity_ok (HpStore *store)
{
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = hp_store_get_db (store);

  assert_int_equal (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), SQLITE_OK);
  assert_int_equal (sqlite3_step (stmt), SQLITE_ROW);
  if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") != 0)
    fail_msg ("integrity_check: %s", sqlite3_column_text (stmt, 0));
  assert_int_equal (sqlite3_step (stmt), SQLITE_DONE);
  sqlite3_finalize (stmt);
}

static void
assert_stored_whole (HpStore    *store,
                     const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpVisit) loaded = hp_store_load_visit (store, id, &error);
  g_autoptr(HpVisit) expected = NULL;
  guint run = 0, n = 0;

  if (loaded == NULL)
    fail_msg ("visit %s was reported committed but cannot be loaded: %s", id, error->message);
  assert_true (hp_crash_visit_parse_id (id, &run, &n));
  expected = hp_crash_visit_new (run, n);
  hp_store_fixture_assert_visits_equal (expected, loaded);
}

/* Runs the writer once, kills it after @delay_us of committing, and
 * returns the ids it reported. */
static GPtrArray *
run_and_kill (const char *path,
              guint       run,
              gulong      delay_us)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) writer = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *run_text = g_strdup_printf ("%u", run);
  g_autofree char *ready = NULL;
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  char *line;

  writer = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                             writer_path, path, run_text, NULL);
  if (writer == NULL)
    fail_msg ("cannot start %s: %s", writer_path, error->message);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (writer));

  /* The delay counts from the first commit, not from process start-up. */
  ready = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  if (g_strcmp0 (ready, "ready") != 0)
    fail_msg ("the writer did not start (run %u)", run);
  g_usleep (delay_us);
  g_subprocess_send_signal (writer, SIGKILL);
  assert_true (g_subprocess_wait (writer, NULL, &error));
  if (!g_subprocess_get_if_signaled (writer))
    fail_msg ("the writer stopped by itself (run %u, status %d)", run,
              g_subprocess_get_status (writer));

  while ((line = g_data_input_stream_read_line (lines, NULL, NULL, &error)) != NULL)
    g_ptr_array_add (ids, line);
  assert_null (error);
  return ids;
}

static void
test_sigkill_loses_no_committed_visit (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20251121);
  g_autoptr(GPtrArray) all_reported = g_ptr_array_new_with_free_func (g_free);
  guint runs = n_runs ();
  guint killed_mid_run = 0;

  for (guint run = 0; run < runs; run++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HpStore) store = NULL;
      g_autoptr(GPtrArray) reported = NULL;
      g_auto(GStrv) stored = NULL;
      guint stored_this_run = 0;

      reported = run_and_kill (fixture->path, run, (gulong) g_rand_int_range (rand, 0, MAX_DELAY_US + 1));

      store = hp_store_open_demo (fixture->path, &error);
      if (store == NULL)
        fail_msg ("the database does not open after kill %u: %s", run, error->message);
      assert_integrity_ok (store);

      for (guint i = 0; i < reported->len; i++)
        assert_stored_whole (store, g_ptr_array_index (reported, i));

      /* Whatever else was stored (the visit committed just before the
       * kill, not yet reported) is whole too, and visits are stored in
       * order: the reported ones, then at most one more. */
      stored = hp_store_list_visit_ids (store, 0, &error);
      assert_non_null (stored);
      for (guint i = 0; stored[i] != NULL; i++)
        {
          guint r = 0, n = 0;

          assert_true (hp_crash_visit_parse_id (stored[i], &r, &n));
          if (r != run)
            continue;
          assert_stored_whole (store, stored[i]);
          assert_true (n <= reported->len);
          stored_this_run++;
        }
      assert_true (stored_this_run == reported->len || stored_this_run == reported->len + 1);
      killed_mid_run += stored_this_run > reported->len;

      for (guint i = 0; i < reported->len; i++)
        g_ptr_array_add (all_reported, g_strdup (g_ptr_array_index (reported, i)));
    }

  /* Later runs kept the earlier ones' visits. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(HpStore) store = hp_store_open_demo (fixture->path, &error);

    assert_non_null (store);
    for (guint i = 0; i < all_reported->len; i++)
      assert_stored_whole (store, g_ptr_array_index (all_reported, i));
    print_message ("%u kills, %u visits reported committed and found whole; "
                   "%u kills fell between a commit and its report\n",
                   runs, all_reported->len, killed_mid_run);
  }
  /* The kills had commits to interrupt. */
  assert_true (all_reported->len > 0);
}

int
main (int    argc,
      char **argv)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_sigkill_loses_no_committed_visit,
                                     hp_store_fixture_setup, hp_store_fixture_teardown),
  };

  if (argc != 2)
    {
      g_printerr ("usage: %s CRASH-WRITER\n", argv[0]);
      return 2;
    }
  writer_path = argv[1];
  return cmocka_run_group_tests (tests, NULL, NULL);
}
