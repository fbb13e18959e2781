/* Tests of opening the store: pragmas, file mode, migrations and files it must refuse untouched. */
#include "hp-store-fixture.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

/* Rows as schema version 1 holds them; a later step that reshapes these
 * tables adds its own seed for its version, so every version is seeded. */
static const char * const seed_sql_v1 =
  "INSERT INTO visits (id, started_at, finished_at, language) "
  "  VALUES ('seed-visit', 1700000000123000, 1700000600456000, 'fr');"
  "INSERT INTO measurements (id, visit_id, position, kind, device_id, device_time, kiosk_time, flags) "
  "  VALUES (7, 'seed-visit', 0, 'body-weight', 'scale-1', NULL, 1700000300789000, 1),"
  "         (8, 'seed-visit', 1, 'blood-pressure', NULL, 1700000400000001, 1700000400500000, 0);"
  "INSERT INTO measurement_values (measurement_id, quantity, value, unit) "
  "  VALUES (7, 'body-weight', 72.4, 'kg'),"
  "         (8, 'systolic', 118, 'mmHg'),"
  "         (8, 'diastolic', 76, 'mmHg');";

/* From version 3 on, rows are sealed and only the store can write them:
 * those versions are seeded through the API, opened at that version. */
static const char *
seed_sql_for_version (guint version)
{
  return version >= 1 && version < 3 ? seed_sql_v1 : NULL;
}

static HpVisit *
expected_seed_visit (void)
{
  g_autoptr(GDateTime) started = g_date_time_new_from_unix_utc (1700000000);
  g_autoptr(GDateTime) started_ms = g_date_time_add (started, 123000);
  g_autoptr(GDateTime) finished = g_date_time_new_from_unix_utc (1700000600);
  g_autoptr(GDateTime) finished_ms = g_date_time_add (finished, 456000);
  g_autoptr(GDateTime) weighed = g_date_time_new_from_unix_utc (1700000300);
  g_autoptr(GDateTime) weighed_ms = g_date_time_add (weighed, 789000);
  g_autoptr(GDateTime) cuff = g_date_time_new_from_unix_utc (1700000400);
  g_autoptr(GDateTime) cuff_us = g_date_time_add (cuff, 1);
  g_autoptr(GDateTime) kiosk = g_date_time_add (cuff, 500000);
  g_autoptr(HpMeasurement) weight = hp_measurement_new (HP_MEASUREMENT_KIND_BODY_WEIGHT);
  g_autoptr(HpMeasurement) pressure = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_PRESSURE);
  HpVisit *visit = hp_visit_new_full ("seed-visit", started_ms);

  hp_visit_set_language (visit, "fr");
  hp_measurement_set_value (weight, HP_QUANTITY_BODY_WEIGHT, 72.4, "kg");
  hp_measurement_set_device_id (weight, "scale-1");
  hp_measurement_set_kiosk_time (weight, weighed_ms);
  hp_measurement_set_flags (weight, HP_MEASUREMENT_FLAG_DEVICE_CLOCK_INVALID);
  hp_visit_add_measurement (visit, weight);
  hp_measurement_set_value (pressure, HP_QUANTITY_SYSTOLIC, 118, "mmHg");
  hp_measurement_set_value (pressure, HP_QUANTITY_DIASTOLIC, 76, "mmHg");
  hp_measurement_set_device_time (pressure, cuff_us);
  hp_measurement_set_kiosk_time (pressure, kiosk);
  hp_visit_add_measurement (visit, pressure);
  hp_visit_set_finished_at (visit, finished_ms);
  return visit;
}

static gboolean
has_schema_object (sqlite3    *db,
                   const char *type,
                   const char *name)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found;

  assert_int_equal (sqlite3_prepare_v2 (db, "SELECT count(*) FROM sqlite_schema "
                                        "WHERE type = ?1 AND name = ?2",
                                        -1, &stmt, NULL), SQLITE_OK);
  sqlite3_bind_text (stmt, 1, type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  assert_int_equal (sqlite3_step (stmt), SQLITE_ROW);
  found = sqlite3_column_int (stmt, 0) == 1;
  sqlite3_finalize (stmt);
  return found;
}

static char *
query_text (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *text;

  assert_int_equal (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), SQLITE_OK);
  assert_int_equal (sqlite3_step (stmt), SQLITE_ROW);
  text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return text;
}

/* The names, in sorted order, then NULL: all that is in @dir. */
static void
assert_only_files_in (const char *dir,
                      ...)
{
  g_auto(GStrv) names = hp_store_fixture_list_dir (dir);
  const char *name;
  guint i = 0;
  va_list args;

  va_start (args, dir);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      assert_non_null (names[i]);
      assert_string_equal (names[i], name);
      i++;
    }
  va_end (args);
  if (names[i] != NULL)
    fail_msg ("also in the folder: %s", names[i]);
}

static void
test_open_creates_latest_schema (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStore) store = NULL;
  g_autoptr(HpKeyring) keyring = hp_store_fixture_keyring (1);
  guint latest = hp_store_get_latest_schema_version ();
  sqlite3 *raw;

  /* Three steps at least: plaintext, indexes, sealed fields. */
  assert_true (latest >= 3);

  store = hp_store_open_with_keyring (fixture->path, keyring, &error);
  assert_null (error);
  assert_non_null (store);
  assert_int_equal (hp_store_get_schema_version (store), latest);
  assert_string_equal (hp_store_get_path (store), fixture->path);
  assert_int_equal (hp_store_count_visits (store, &error), 0);
  assert_null (error);

  raw = hp_store_fixture_open_raw (fixture->path);
  assert_int_equal (hp_store_fixture_query_int (raw, "PRAGMA user_version"), latest);
  assert_int_equal (hp_store_fixture_query_int (raw, "PRAGMA application_id"), 0x48505354);
  assert_true (has_schema_object (raw, "table", "visits"));
  assert_true (has_schema_object (raw, "table", "measurements"));
  assert_true (has_schema_object (raw, "table", "patients"));
  assert_true (has_schema_object (raw, "table", "data_keys"));
  assert_true (has_schema_object (raw, "table", "settings"));
  /* Step 10 drops the devices seen: nothing read them. */
  assert_false (has_schema_object (raw, "table", "devices_seen"));
  assert_false (has_schema_object (raw, "table", "measurement_values"));
  assert_false (has_schema_object (raw, "table", "v2_measurements"));
  assert_false (has_schema_object (raw, "table", "v2_measurement_values"));
  assert_true (has_schema_object (raw, "index", "visits_by_finished_at"));
  assert_true (has_schema_object (raw, "index", "visits_by_patient"));
  assert_true (has_schema_object (raw, "index", "measurements_by_visit"));
  assert_true (has_schema_object (raw, "index", "measurements_by_dedupe_key"));
  /* One field key and one dedupe key, made by step 3. */
  assert_int_equal (hp_store_fixture_query_int (raw, "SELECT count(*) FROM data_keys"), 2);
  sqlite3_close (raw);

  /* Opening again finds nothing to do. */
  g_clear_object (&store);
  store = hp_store_open_with_keyring (fixture->path, keyring, &error);
  assert_null (error);
  assert_int_equal (hp_store_get_schema_version (store), latest);
}

static void
test_pragmas_and_file_mode (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStore) store = NULL;
  g_autoptr(HpVisit) visit = hp_store_fixture_small_visit ("mode-visit", 1700000000000);
  g_autofree char *wal_path = g_strconcat (fixture->path, "-wal", NULL);
  g_autofree char *shm_path = g_strconcat (fixture->path, "-shm", NULL);
  g_autofree char *journal_mode = NULL;
  GStatBuf info;
  mode_t old_mask;
  sqlite3 *raw;

  /* With no umask to help, only the store's own choice keeps the file private. */
  old_mask = umask (0);
  store = hp_store_open_demo (fixture->path, &error);
  assert_null (error);
  assert_true (hp_store_commit_visit (store, visit, &error));
  assert_null (error);
  umask (old_mask);

  assert_int_equal (g_stat (fixture->path, &info), 0);
  assert_int_equal (info.st_mode & 07777, 0600);
  assert_int_equal (g_stat (wal_path, &info), 0);
  assert_int_equal (info.st_mode & 07777, 0600);
  assert_int_equal (g_stat (shm_path, &info), 0);
  assert_int_equal (info.st_mode & 07777, 0600);

  /* The journal mode is stored in the file, so a second connection sees it. */
  raw = hp_store_fixture_open_raw (fixture->path);
  journal_mode = query_text (raw, "PRAGMA journal_mode");
  assert_string_equal (journal_mode, "wal");
  sqlite3_close (raw);
}

/* A database, or one of its -wal/-shm files, that others may read is
 * refused with the file and the fix named, and left exactly as found. */
static void
test_shared_database_refused (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(HpKeyring) keyring = hp_store_fixture_keyring (1);
  const char *companions[] = { NULL, "-wal", "-shm", "-journal" };
  const guint modes[] = { 0640, 0604, 0620, 0644, 0700 };

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(HpStore) store = hp_store_open_with_keyring (fixture->path, keyring, &error);

    assert_non_null (store);
  }

  for (guint c = 0; c < G_N_ELEMENTS (companions); c++)
    for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
      {
        g_autofree char *target = g_strconcat (fixture->path, companions[c], NULL);
        g_autoptr(GError) error = NULL;
        g_autoptr(HpStore) store = NULL;
        g_autoptr(GBytes) before = NULL;
        g_autoptr(GBytes) after = NULL;
        GStatBuf info;

        if (companions[c] != NULL)
          hp_store_fixture_write_private (target, "", 0);
        assert_int_equal (g_chmod (target, (int) modes[m]), 0);
        before = hp_store_fixture_read_bytes (fixture->path);

        store = hp_store_open_with_keyring (fixture->path, keyring, &error);
        if (modes[m] == 0700)
          {
            /* Only the owner's bits set: no one else can read it. */
            assert_non_null (store);
            g_clear_object (&store);
          }
        else
          {
            assert_null (store);
            hp_store_fixture_assert_error (error, HP_STORE_ERROR_OPEN);
            assert_non_null (strstr (error->message, target));
            assert_non_null (strstr (error->message, "chmod 600"));
            after = hp_store_fixture_read_bytes (fixture->path);
            assert_true (g_bytes_equal (before, after));
            assert_int_equal (g_stat (target, &info), 0);
            assert_int_equal (info.st_mode & 07777, modes[m]);
          }
        if (companions[c] != NULL)
          g_remove (target);
        else
          assert_int_equal (g_chmod (target, 0600), 0);
      }
}

/* foreign_keys is per connection, so it shows only in how the store's own
 * connection treats a row pointing at no visit. */
static void
test_foreign_keys_enforced (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStore) store = NULL;
  g_autoptr(HpVisit) visit = hp_store_fixture_small_visit ("fk-visit", 1700000000000);
  sqlite3 *raw;

  store = hp_store_open_demo (fixture->path, &error);
  assert_null (error);

  raw = hp_store_fixture_open_raw (fixture->path);
  hp_store_fixture_exec_raw (raw,
    "CREATE TRIGGER orphan AFTER INSERT ON visits BEGIN "
    "  INSERT INTO measurements (visit_id, position, kind, kiosk_time) "
    "    VALUES ('no-such-visit', 0, 'body-weight', 0); "
    "END");

  assert_false (hp_store_commit_visit (store, visit, &error));
  hp_store_fixture_assert_error (error, HP_STORE_ERROR_WRITE);
  g_clear_error (&error);
  assert_int_equal (hp_store_fixture_query_int (raw, "SELECT count(*) FROM measurements"), 0);

  hp_store_fixture_exec_raw (raw, "DROP TRIGGER orphan");
  sqlite3_close (raw);
  assert_true (hp_store_commit_visit (store, visit, &error));
  assert_null (error);
}

static void
test_migrate_from_every_version (void **state)
{
  HpStoreFixture *fixture = *state;
  guint latest = hp_store_get_latest_schema_version ();

  for (guint version = 0; version < latest; version++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HpStore) store = NULL;
      g_autoptr(HpKeyring) keyring = hp_store_fixture_keyring (2);
      g_autofree char *name = g_strdup_printf ("from-%u.db", version);
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      const char *seed = seed_sql_for_version (version);
      gboolean seeded = seed != NULL || version >= 3;
      sqlite3 *raw;

      store = hp_store_open_at_version_with_keyring (path, keyring, version, &error);
      assert_null (error);
      assert_non_null (store);
      assert_int_equal (hp_store_get_schema_version (store), version);
      if (version >= 3)
        {
          g_autoptr(HpVisit) seed_visit = expected_seed_visit ();

          assert_true (hp_store_commit_visit (store, seed_visit, &error));
          assert_null (error);
        }
      g_clear_object (&store);

      raw = hp_store_fixture_open_raw (path);
      assert_int_equal (hp_store_fixture_query_int (raw, "PRAGMA user_version"), version);
      /* Step 2 adds the indexes: their absence shows the stop was real. */
      if (version < 2)
        assert_false (has_schema_object (raw, "index", "visits_by_finished_at"));
      if (seed != NULL)
        hp_store_fixture_exec_raw (raw, seed);
      /* Steps 3 to 9 kept the devices seen; step 10 drops them, rows too. */
      if (version >= 3)
        hp_store_fixture_exec_raw (raw, "INSERT INTO devices_seen VALUES "
                                        "(1, zeroblob (32), x'00', 'omron-hid', 1, 2)");
      sqlite3_close (raw);

      store = hp_store_open_with_keyring (path, keyring, &error);
      assert_null (error);
      assert_non_null (store);
      assert_int_equal (hp_store_get_schema_version (store), latest);

      raw = hp_store_fixture_open_raw (path);
      assert_false (has_schema_object (raw, "table", "v2_measurements"));
      assert_false (has_schema_object (raw, "table", "v2_measurement_values"));
      assert_false (has_schema_object (raw, "table", "devices_seen"));
      /* Every reading is sealed: version byte, key id, nonce, tag at least. */
      assert_int_equal (hp_store_fixture_query_int (raw,
        "SELECT count(*) FROM measurements WHERE typeof (reading) != 'blob' "
        "OR length (reading) < 33 OR substr (reading, 1, 1) != x'01'"), 0);
      assert_int_equal (hp_store_fixture_query_int (raw, "SELECT count(*) FROM measurements"),
                        seeded ? 2 : 0);
      sqlite3_close (raw);

      if (seeded)
        {
          g_autoptr(HpVisit) expected = expected_seed_visit ();
          g_autoptr(HpVisit) loaded = hp_store_load_visit (store, "seed-visit", &error);

          assert_null (error);
          hp_store_fixture_assert_visits_equal (expected, loaded);
          assert_int_equal (hp_store_count_visits (store, &error), 1);
        }
      else
        {
          assert_int_equal (hp_store_count_visits (store, &error), 0);
        }
      assert_null (error);
    }
}

static void
test_too_new_left_untouched (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStore) store = NULL;
  g_autoptr(HpVisit) visit = hp_store_fixture_small_visit ("old-visit", 1700000000000);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(HpKeyring) keyring = hp_store_fixture_keyring (1);
  g_autofree char *bump = NULL;
  sqlite3 *raw;

  store = hp_store_fixture_open (fixture->path, keyring);
  assert_true (hp_store_commit_visit (store, visit, &error));
  g_clear_object (&store);

  raw = hp_store_fixture_open_raw (fixture->path);
  bump = g_strdup_printf ("PRAGMA user_version = %u", hp_store_get_latest_schema_version () + 1);
  hp_store_fixture_exec_raw (raw, bump);
  sqlite3_close (raw);
  before = hp_store_fixture_read_bytes (fixture->path);

  store = hp_store_open_with_keyring (fixture->path, keyring, &error);
  assert_null (store);
  hp_store_fixture_assert_error (error, HP_STORE_ERROR_TOO_NEW);

  after = hp_store_fixture_read_bytes (fixture->path);
  assert_true (g_bytes_equal (before, after));
  /* No -wal or -shm left behind; the audit anchor was there before. */
  assert_only_files_in (fixture->dir, "healthpost.db", "healthpost.db.audit-head", NULL);
}

static void
assert_garbage_refused (const char *dir,
                        const char *name,
                        gsize       length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStore) store = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261121);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree guint8 *garbage = g_malloc (length);
  g_autoptr(HpKeyring) keyring = hp_store_fixture_keyring (1);

  for (gsize i = 0; i < length; i++)
    garbage[i] = (guint8) g_rand_int_range (rand, 0, 256);
  hp_store_fixture_write_private (path, garbage, length);

  store = hp_store_open_with_keyring (path, keyring, &error);
  assert_null (store);
  hp_store_fixture_assert_error (error, HP_STORE_ERROR_CORRUPT);

  after = hp_store_fixture_read_bytes (path);
  assert_int_equal (g_bytes_get_size (after), length);
  assert_memory_equal (g_bytes_get_data (after, NULL), garbage, length);
  assert_only_files_in (dir, name, NULL);
  assert_int_equal (g_remove (path), 0);
}

static void
test_garbage_left_untouched (void **state)
{
  HpStoreFixture *fixture = *state;

  assert_garbage_refused (fixture->dir, "page.db", 4096);
  assert_garbage_refused (fixture->dir, "shorter-than-a-header.db", 37);
  assert_garbage_refused (fixture->dir, "many-pages.db", 65536 + 123);
}

static void
test_foreign_database_left_untouched (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStore) store = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(HpKeyring) keyring = hp_store_fixture_keyring (1);
  sqlite3 *raw = NULL;

  assert_int_equal (sqlite3_open (fixture->path, &raw), SQLITE_OK);
  hp_store_fixture_exec_raw (raw,
    "PRAGMA application_id = 42;"
    "CREATE TABLE visits (something_else TEXT);"
    "INSERT INTO visits VALUES ('not ours');");
  sqlite3_close (raw);
  assert_int_equal (g_chmod (fixture->path, 0600), 0);
  before = hp_store_fixture_read_bytes (fixture->path);

  store = hp_store_open_with_keyring (fixture->path, keyring, &error);
  assert_null (store);
  hp_store_fixture_assert_error (error, HP_STORE_ERROR_CORRUPT);

  after = hp_store_fixture_read_bytes (fixture->path);
  assert_true (g_bytes_equal (before, after));
  assert_only_files_in (fixture->dir, "healthpost.db", NULL);
}

/* Step 2's second index collides with one made by hand: the step's first
 * index, already created when the collision stops it, must be rolled back. */
static void
test_failed_step_rolls_back (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStore) store = NULL;
  sqlite3 *raw;

  store = hp_store_open_at_version (fixture->path, 1, &error);
  assert_null (error);
  g_clear_object (&store);

  raw = hp_store_fixture_open_raw (fixture->path);
  hp_store_fixture_exec_raw (raw, "CREATE INDEX measurements_by_visit ON measurements (kind)");

  store = hp_store_open_demo (fixture->path, &error);
  assert_null (store);
  hp_store_fixture_assert_error (error, HP_STORE_ERROR_MIGRATION);
  assert_non_null (strstr (error->message, "0002"));
  g_clear_error (&error);

  assert_int_equal (hp_store_fixture_query_int (raw, "PRAGMA user_version"), 1);
  assert_false (has_schema_object (raw, "index", "visits_by_finished_at"));

  hp_store_fixture_exec_raw (raw, "DROP INDEX measurements_by_visit");
  sqlite3_close (raw);
  store = hp_store_open_demo (fixture->path, &error);
  assert_null (error);
  assert_int_equal (hp_store_get_schema_version (store), hp_store_get_latest_schema_version ());
}

static void
test_missing_folder (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStore) store = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "absent", "healthpost.db", NULL);

  store = hp_store_open_demo (path, &error);
  assert_null (store);
  hp_store_fixture_assert_error (error, HP_STORE_ERROR_OPEN);
}

static void
test_unknown_target_version (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStore) store = NULL;

  store = hp_store_open_at_version (fixture->path, hp_store_get_latest_schema_version () + 1, &error);
  assert_null (store);
  hp_store_fixture_assert_error (error, HP_STORE_ERROR_INVALID);
  /* Refused before anything was created. */
  assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
}

/* Read-only: an older database stays at its version, and nothing can be
 * written through it. */
static void
test_read_only_open (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStore) store = NULL;
  g_autoptr(HpKeyring) keyring = hp_store_fixture_keyring (1);
  g_autoptr(HpVisit) visit = hp_store_fixture_small_visit ("refused", 1700000000000);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autofree char *absent = g_build_filename (fixture->dir, "absent.db", NULL);

  store = hp_store_open_at_version_with_keyring (fixture->path, keyring, 5, &error);
  assert_non_null (store);
  g_clear_object (&store);
  before = hp_store_fixture_read_bytes (fixture->path);

  store = hp_store_open_read_only (fixture->path, keyring, &error);
  assert_non_null (store);
  assert_int_equal (hp_store_get_schema_version (store), 5);
  assert_int_equal (hp_store_count_visits (store, &error), 0);
  assert_false (hp_store_commit_visit (store, visit, &error));
  assert_non_null (error);
  g_clear_error (&error);
  g_clear_object (&store);

  after = hp_store_fixture_read_bytes (fixture->path);
  assert_true (g_bytes_equal (before, after));
  assert_only_files_in (fixture->dir, "healthpost.db", NULL);

  /* A missing file is not made. */
  assert_null (hp_store_open_read_only (absent, keyring, &error));
  assert_false (g_file_test (absent, G_FILE_TEST_EXISTS));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_open_creates_latest_schema, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_pragmas_and_file_mode, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_shared_database_refused, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_foreign_keys_enforced, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_migrate_from_every_version, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_too_new_left_untouched, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_garbage_left_untouched, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_foreign_database_left_untouched, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_failed_step_rolls_back, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_missing_folder, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_unknown_target_version, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_read_only_open, hp_store_fixture_setup, hp_store_fixture_teardown),
  };

  return cmocka_run_group_tests_name ("store-schema", tests, NULL, NULL);
}
