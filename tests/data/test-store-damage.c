/* Tests of the damaged-file path: truncated, garbage and corrupted files and logs are set aside whole with an alarm; a full disk refuses a visit and keeps the rest. */
#include "hp-store-fixture.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "crash-visit.h"
#include "hp-store-damage.h"
#include "hp-store-private.h"

#define N_VISITS 40

static void
commit_visits (HpStore *store,
               guint    run,
               guint    n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HpVisit) visit = hp_crash_visit_new (run, i);

      if (!hp_store_commit_visit (store, visit, &error))
        fail_msg ("commit failed: %s", error->message);
    }
}

/* A store of N_VISITS visits, closed (so checkpointed into the main file). */
static void
make_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStore) store = hp_store_open_demo (path, &error);

  assert_non_null (store);
  commit_visits (store, 0, N_VISITS);
}

static void
write_bytes (const char *path,
             GBytes     *bytes)
{
  hp_store_fixture_write_private (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* Opens with the damaged-file path and checks what must follow damage: the
 * alarm says where the file went, the file there is byte for byte what was
 * found, and a fresh, empty, working store took its place. */
static void
assert_set_aside (HpStoreFixture *fixture,
                  HpStoreDamage   expected,
                  GBytes         *found,
                  GBytes         *found_wal)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStoreAlarm) alarm = NULL;
  g_autofree char *anchor = g_strconcat (fixture->path, ".audit-head", NULL);
  g_autoptr(GBytes) found_anchor = g_file_test (anchor, G_FILE_TEST_EXISTS)
                                   ? hp_store_fixture_read_bytes (anchor) : NULL;
  g_autoptr(HpStore) store = hp_store_open_recovering (fixture->path, NULL, &alarm, &error);
  g_autoptr(HpAuditLog) audit = NULL;
  guint8 audit_key[32];
  g_autoptr(GPtrArray) alarms = NULL;
  g_autoptr(GBytes) moved = NULL;
  g_autofree char *moved_wal = NULL;
  g_autofree char *text = NULL;

  if (store == NULL)
    fail_msg ("the damaged store did not give way to a fresh one: %s", error->message);
  assert_non_null (alarm);
  if (alarm->damage != expected)
    fail_msg ("damage %s, expected %s", hp_store_damage_to_string (alarm->damage),
              hp_store_damage_to_string (expected));
  assert_true (g_str_has_prefix (alarm->moved_to, fixture->path));
  assert_non_null (strstr (alarm->moved_to, ".damaged-"));

  moved = hp_store_fixture_read_bytes (alarm->moved_to);
  assert_true (g_bytes_equal (moved, found));
  moved_wal = g_strconcat (alarm->moved_to, "-wal", NULL);
  if (found_wal != NULL)
    {
      g_autoptr(GBytes) wal = hp_store_fixture_read_bytes (moved_wal);

      assert_true (g_bytes_equal (wal, found_wal));
    }

  /* The damaged database's audit anchor went with it; the fresh log has
   * its own, and verifies. */
  if (found_anchor != NULL)
    {
      g_autofree char *moved_anchor = g_strconcat (alarm->moved_to, ".audit-head", NULL);
      g_autoptr(GBytes) anchor_there = hp_store_fixture_read_bytes (moved_anchor);

      assert_true (g_bytes_equal (anchor_there, found_anchor));
    }
  hp_store_fixture_audit_key (store, audit_key);
  audit = hp_audit_log_new (store, audit_key, sizeof audit_key, &error);
  assert_non_null (audit);
  if (!hp_audit_verify (audit, NULL, &error))
    fail_msg ("the fresh store's audit log: %s", error->message);

  assert_int_equal (hp_store_count_visits (store, &error), 0);
  commit_visits (store, 1, 1);
  assert_int_equal (hp_store_count_visits (store, &error), 1);

  /* The alarm stays for staff until acknowledged, and says nothing was lost. */
  alarms = hp_store_list_alarms (fixture->path, FALSE, &error);
  assert_non_null (alarms);
  assert_int_equal (alarms->len, 1);
  text = hp_store_alarm_describe (g_ptr_array_index (alarms, 0));
  assert_non_null (strstr (text, alarm->moved_to));
  assert_non_null (strstr (text, "nothing was deleted"));
}

static void
test_healthy_store_opens_untouched (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStoreAlarm) alarm = NULL;
  g_autoptr(HpStore) store = NULL;
  g_autoptr(GPtrArray) alarms = NULL;

  make_store (fixture->path);
  store = hp_store_open_recovering (fixture->path, NULL, &alarm, &error);
  assert_non_null (store);
  assert_null (alarm);
  assert_int_equal (hp_store_count_visits (store, &error), N_VISITS);
  alarms = hp_store_list_alarms (fixture->path, TRUE, &error);
  assert_int_equal (alarms->len, 0);
  for (guint i = 0; i < N_VISITS; i++)
    {
      g_autofree char *id = g_strdup_printf ("crash-0-%u", i);
      g_autoptr(HpVisit) loaded = hp_store_load_visit (store, id, &error);
      g_autoptr(HpVisit) expected = hp_crash_visit_new (0, i);

      hp_store_fixture_assert_visits_equal (expected, loaded);
    }
}

static void
test_truncated_file (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(GBytes) whole = NULL;
  g_autoptr(GBytes) truncated = NULL;

  make_store (fixture->path);
  whole = hp_store_fixture_read_bytes (fixture->path);
  assert_true (g_bytes_get_size (whole) > 4 * 4096);
  /* Cut in the middle of the pages: the header still counts them all. */
  truncated = g_bytes_new_from_bytes (whole, 0, g_bytes_get_size (whole) / 2 + 100);
  write_bytes (fixture->path, truncated);
  assert_set_aside (fixture, HP_STORE_DAMAGE_FAILED_CHECK, truncated, NULL);
}

static void
test_truncated_to_a_stub (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(GBytes) whole = NULL;
  g_autoptr(GBytes) stub = NULL;

  make_store (fixture->path);
  whole = hp_store_fixture_read_bytes (fixture->path);
  stub = g_bytes_new_from_bytes (whole, 0, 60);
  write_bytes (fixture->path, stub);
  assert_set_aside (fixture, HP_STORE_DAMAGE_NOT_A_DATABASE, stub, NULL);
}

static void
test_garbage_file (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(GRand) rand = g_rand_new_with_seed (4242);
  g_autofree guint8 *noise = g_malloc (3 * 4096);
  g_autoptr(GBytes) garbage = NULL;

  for (gsize i = 0; i < 3 * 4096; i++)
    noise[i] = (guint8) g_rand_int_range (rand, 0, 256);
  garbage = g_bytes_new (noise, 3 * 4096);
  write_bytes (fixture->path, garbage);
  assert_set_aside (fixture, HP_STORE_DAMAGE_NOT_A_DATABASE, garbage, NULL);
}

/* SQLite keeps no checksum of a page's content, so only a flip in the
 * b-tree's own structure can be found: the page-type byte of a table's
 * root page is one. */
/* The store never leaves an empty file where its database is (a new one is
 * made whole under another name first), so an empty one is damage. */
static void
test_emptied_file (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);

  make_store (fixture->path);
  write_bytes (fixture->path, empty);
  assert_set_aside (fixture, HP_STORE_DAMAGE_EMPTY, empty, NULL);
}

/* A first start cut short while making the database leaves only its
 * half-made "*.creating" files: the next start removes them, makes the
 * database whole and raises no alarm. */
static void
test_interrupted_creation (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autofree char *creating = g_strconcat (fixture->path, ".creating", NULL);
  g_autofree char *creating_journal = g_strconcat (creating, "-journal", NULL);
  g_autofree char *creating_wal = g_strconcat (creating, "-wal", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStoreAlarm) alarm = NULL;
  g_autoptr(HpStore) store = NULL;
  g_autoptr(GPtrArray) alarms = NULL;
  g_auto(GStrv) files = NULL;
  GStatBuf info;

  hp_store_fixture_write_private (creating, "SQLite format 3", 16);
  hp_store_fixture_write_private (creating_journal, "\xd9\xd5\x05\xf9", 4);
  hp_store_fixture_write_private (creating_wal, "", 0);

  store = hp_store_open_recovering (fixture->path, NULL, &alarm, &error);
  assert_non_null (store);
  assert_null (alarm);
  alarms = hp_store_list_alarms (fixture->path, TRUE, &error);
  assert_int_equal (alarms->len, 0);
  commit_visits (store, 1, 1);
  assert_int_equal (hp_store_count_visits (store, &error), 1);
  assert_int_equal (g_stat (fixture->path, &info), 0);
  assert_int_equal (info.st_mode & 07777, 0600);

  files = hp_store_fixture_list_dir (fixture->dir);
  for (guint i = 0; files[i] != NULL; i++)
    if (strstr (files[i], ".creating") != NULL)
      fail_msg ("%s was left behind", files[i]);
}

static void
test_flipped_byte_in_a_page (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(GBytes) whole = NULL;
  g_autoptr(GBytes) flipped = NULL;
  guint8 *data;
  gsize length;
  gint64 page_size, root;
  sqlite3 *raw;

  make_store (fixture->path);
  raw = hp_store_fixture_open_raw (fixture->path);
  page_size = hp_store_fixture_query_int (raw, "PRAGMA page_size");
  root = hp_store_fixture_query_int (raw, "SELECT rootpage FROM sqlite_schema WHERE name = 'measurements'");
  sqlite3_close (raw);

  whole = hp_store_fixture_read_bytes (fixture->path);
  data = g_bytes_unref_to_data (g_steal_pointer (&whole), &length);
  assert_true ((gsize) (root * page_size) <= length);
  data[(root - 1) * page_size] ^= 0x40;
  flipped = g_bytes_new_take (data, length);
  write_bytes (fixture->path, flipped);
  assert_set_aside (fixture, HP_STORE_DAMAGE_FAILED_CHECK, flipped, NULL);
}

static void
test_unreadable_wal (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autofree char *wal_path = g_strconcat (fixture->path, "-wal", NULL);
  g_autoptr(GBytes) db = NULL;
  g_autoptr(GBytes) wal = NULL;
  g_autoptr(GBytes) bad_wal = NULL;
  guint8 *data;
  gsize length;

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(HpStore) store = hp_store_open_demo (fixture->path, &error);

    assert_non_null (store);
    commit_visits (store, 0, 5);
    /* The files as a power cut would leave them, log not yet checkpointed. */
    db = hp_store_fixture_read_bytes (fixture->path);
    wal = hp_store_fixture_read_bytes (wal_path);
  }
  data = g_bytes_unref_to_data (g_steal_pointer (&wal), &length);
  assert_true (length > 32);
  memset (data + 8, 0xa5, 8);
  bad_wal = g_bytes_new_take (data, length);
  write_bytes (fixture->path, db);
  write_bytes (wal_path, bad_wal);
  assert_set_aside (fixture, HP_STORE_DAMAGE_WAL_UNREADABLE, db, bad_wal);
}

/* Commit frames in a write-ahead log: the end offset of each frame whose
 * "database size after commit" field is set. */
static GArray *
commit_frame_ends (GBytes *wal)
{
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (wal, &length);
  GArray *ends = g_array_new (FALSE, FALSE, sizeof (gsize));
  guint32 page_size;

  /* A log checkpointed and emptied holds no frame. */
  if (length < 32)
    return ends;
  page_size = ((guint32) data[8] << 24) | ((guint32) data[9] << 16) | ((guint32) data[10] << 8) | data[11];
  for (gsize offset = 32; offset + 24 + page_size <= length; offset += 24 + page_size)
    {
      const guint8 *frame = data + offset;

      if (frame[4] | frame[5] | frame[6] | frame[7])
        {
          gsize end = offset + 24 + page_size;

          g_array_append_val (ends, end);
        }
    }
  return ends;
}

/* A log cut short, as by a power cut in the middle of writing it: SQLite
 * keeps each transaction whose commit frame survives whole (the frames'
 * checksums chain) and drops the rest. So exactly the visits committed in
 * the surviving prefix must be there, each whole, and no other. */
static void
test_truncated_wal (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autofree char *wal_path = g_strconcat (fixture->path, "-wal", NULL);
  g_autoptr(GBytes) db = NULL;
  g_autoptr(GBytes) wal = NULL;
  g_autoptr(GArray) ends = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (77);
  guint n_schema_commits;
  gsize wal_length;

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(HpStore) store = hp_store_open_demo (fixture->path, &error);
    g_autoptr(GBytes) schema_wal = NULL;
    g_autoptr(GArray) schema_ends = NULL;

    assert_non_null (store);
    schema_wal = hp_store_fixture_read_bytes (wal_path);
    schema_ends = commit_frame_ends (schema_wal);
    n_schema_commits = schema_ends->len;
    commit_visits (store, 0, 12);
    db = hp_store_fixture_read_bytes (fixture->path);
    wal = hp_store_fixture_read_bytes (wal_path);
  }
  ends = commit_frame_ends (wal);
  assert_int_equal (ends->len, n_schema_commits + 12);
  wal_length = g_bytes_get_size (wal);

  for (guint attempt = 0; attempt < 12; attempt++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HpStoreAlarm) alarm = NULL;
      g_autoptr(HpStore) store = NULL;
      g_autoptr(GBytes) cut = NULL;
      gsize first_visit_end = g_array_index (ends, gsize, n_schema_commits);
      /* Anywhere from just before the first visit's commit to the end;
       * every third one exactly on a commit frame's end. */
      gsize at = (gsize) g_rand_int_range (rand, (gint32) first_visit_end - 1, (gint32) wal_length + 1);
      guint expected = 0;

      if (attempt % 3 == 0)
        at = g_array_index (ends, gsize, n_schema_commits + attempt);
      for (guint i = n_schema_commits; i < ends->len; i++)
        expected += g_array_index (ends, gsize, i) <= at;

      g_unlink (fixture->path);
      g_unlink (wal_path);
      write_bytes (fixture->path, db);
      cut = g_bytes_new_from_bytes (wal, 0, at);
      write_bytes (wal_path, cut);

      store = hp_store_open_recovering (fixture->path, NULL, &alarm, &error);
      assert_non_null (store);
      assert_null (alarm);
      assert_int_equal (hp_store_count_visits (store, &error), expected);
      for (guint i = 0; i < 12; i++)
        {
          g_autofree char *id = g_strdup_printf ("crash-0-%u", i);
          g_autoptr(HpVisit) loaded = hp_store_load_visit (store, id, &error);

          if (i < expected)
            {
              g_autoptr(HpVisit) visit = hp_crash_visit_new (0, i);

              hp_store_fixture_assert_visits_equal (visit, loaded);
            }
          else
            {
              assert_null (loaded);
              hp_store_fixture_assert_error (error, HP_STORE_ERROR_NOT_FOUND);
              g_clear_error (&error);
            }
        }
    }
}

/* Another program's database is a wrong path, not damage: left as found. */
static void
test_foreign_database_not_moved (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStoreAlarm) alarm = NULL;
  g_autoptr(HpStore) store = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GPtrArray) alarms = NULL;
  sqlite3 *raw = NULL;

  assert_int_equal (sqlite3_open (fixture->path, &raw), SQLITE_OK);
  hp_store_fixture_exec_raw (raw, "PRAGMA application_id = 42; CREATE TABLE t (x); INSERT INTO t VALUES (1);");
  sqlite3_close (raw);
  assert_int_equal (g_chmod (fixture->path, 0600), 0);
  before = hp_store_fixture_read_bytes (fixture->path);

  store = hp_store_open_recovering (fixture->path, NULL, &alarm, &error);
  assert_null (store);
  assert_null (alarm);
  hp_store_fixture_assert_error (error, HP_STORE_ERROR_CORRUPT);
  after = hp_store_fixture_read_bytes (fixture->path);
  assert_true (g_bytes_equal (before, after));
  g_clear_error (&error);
  alarms = hp_store_list_alarms (fixture->path, TRUE, &error);
  assert_int_equal (alarms->len, 0);
}

static void
test_alarms_acknowledged (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) open_alarms = NULL;
  g_autoptr(GPtrArray) every_alarm = NULL;
  guint n = 99;

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GBytes) garbage = g_bytes_new_static ("not a database, not at all, no", 30);
      g_autoptr(HpStoreAlarm) alarm = NULL;
      g_autoptr(HpStore) store = NULL;

      write_bytes (fixture->path, garbage);
      store = hp_store_open_recovering (fixture->path, NULL, &alarm, &error);
      assert_non_null (store);
      assert_non_null (alarm);
    }
  open_alarms = hp_store_list_alarms (fixture->path, FALSE, &error);
  assert_int_equal (open_alarms->len, 2);
  /* Two damages within one second get different names. */
  assert_string_not_equal (((HpStoreAlarm *) g_ptr_array_index (open_alarms, 0))->moved_to,
                           ((HpStoreAlarm *) g_ptr_array_index (open_alarms, 1))->moved_to);

  assert_true (hp_store_acknowledge_alarms (fixture->path, &n, &error));
  assert_int_equal (n, 2);
  g_clear_pointer (&open_alarms, g_ptr_array_unref);
  open_alarms = hp_store_list_alarms (fixture->path, FALSE, &error);
  assert_int_equal (open_alarms->len, 0);
  every_alarm = hp_store_list_alarms (fixture->path, TRUE, &error);
  assert_int_equal (every_alarm->len, 2);
  assert_non_null (((HpStoreAlarm *) g_ptr_array_index (every_alarm, 0))->acknowledged_at);
  assert_true (hp_store_acknowledge_alarms (fixture->path, &n, &error));
  assert_int_equal (n, 0);
}

static void
test_malformed_alarm_record (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *alarms_path = hp_store_alarms_path (fixture->path);
  g_autoptr(GPtrArray) alarms = NULL;

  assert_true (g_file_set_contents (alarms_path, "[damage x]\nfound-at=yesterday\n", -1, &error));
  alarms = hp_store_list_alarms (fixture->path, FALSE, &error);
  assert_null (alarms);
  hp_store_fixture_assert_error (error, HP_STORE_ERROR_CORRUPT);
  assert_non_null (strstr (error->message, alarms_path));
  g_clear_error (&error);

  /* A bad escape then a lone backslash in the path (found by the fuzzer):
   * refused as malformed, without GLib warning about its own error. */
  assert_true (g_file_set_contents (alarms_path,
                                    "[damage x]\nfound-at=2025-11-21T04:40:00Z\n"
                                    "damage=not-a-database\nmoved-to=/x\\q\\\n", -1, &error));
  alarms = hp_store_list_alarms (fixture->path, FALSE, &error);
  assert_null (alarms);
  hp_store_fixture_assert_error (error, HP_STORE_ERROR_CORRUPT);
}

/* A full disk, simulated by a page limit: the visit is refused with a write
 * error, nothing of it is kept, earlier visits stay, and once there is room
 * the same store takes it. */
static void
test_disk_full (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStore) store = hp_store_open_demo (fixture->path, &error);
  g_autoptr(GDateTime) started = g_date_time_new_from_unix_utc (1763800000);
  g_autoptr(GDateTime) finished = g_date_time_add_seconds (started, 60);
  g_autoptr(HpVisit) big = hp_visit_new_full ("big-visit", started);
  g_autofree char *limit = NULL;
  sqlite3 *db;

  assert_non_null (store);
  commit_visits (store, 0, 3);
  for (guint i = 0; i < 300; i++)
    {
      g_autoptr(HpMeasurement) weight = hp_measurement_new (HP_MEASUREMENT_KIND_BODY_WEIGHT);

      hp_measurement_set_value (weight, HP_QUANTITY_BODY_WEIGHT, 70 + i / 10.0, "kg");
      hp_measurement_set_device_id (weight, "scale-with-a-long-identifier-to-fill-pages");
      hp_visit_add_measurement (big, weight);
    }
  hp_visit_set_finished_at (big, finished);

  db = hp_store_get_db (store);
  limit = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT,
                           hp_store_fixture_query_int (db, "PRAGMA page_count"));
  hp_store_fixture_exec_raw (db, limit);

  assert_false (hp_store_commit_visit (store, big, &error));
  hp_store_fixture_assert_error (error, HP_STORE_ERROR_WRITE);
  assert_non_null (strstr (error->message, "full"));
  assert_non_null (strstr (error->message, "nothing of it was kept"));
  g_clear_error (&error);
  assert_int_equal (hp_store_count_visits (store, &error), 3);
  assert_null (hp_store_load_visit (store, "big-visit", &error));
  hp_store_fixture_assert_error (error, HP_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  hp_store_fixture_exec_raw (db, "PRAGMA max_page_count = 1073741823");
  if (!hp_store_commit_visit (store, big, &error))
    fail_msg ("the store did not recover from a full disk: %s", error->message);
  assert_int_equal (hp_store_count_visits (store, &error), 4);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("crash-0-%u", i);
      g_autoptr(HpVisit) loaded = hp_store_load_visit (store, id, &error);
      g_autoptr(HpVisit) expected = hp_crash_visit_new (0, i);

      hp_store_fixture_assert_visits_equal (expected, loaded);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_healthy_store_opens_untouched, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_truncated_file, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_truncated_to_a_stub, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_garbage_file, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_emptied_file, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_interrupted_creation, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_flipped_byte_in_a_page, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_unreadable_wal, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_truncated_wal, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_foreign_database_not_moved, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_alarms_acknowledged, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_malformed_alarm_record, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_disk_full, hp_store_fixture_setup, hp_store_fixture_teardown),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
