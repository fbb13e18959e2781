/* Tests of retention: exactly the expired visits go, their bytes leave the files, and the run is audited. */
/* memmem() */
#define _GNU_SOURCE
#include "hp-store-fixture.h"

#include <string.h>

#include "hp-retention.h"


#define NOW_MS  ((gint64) 1763700000000)
#define NOW_US  (NOW_MS * 1000)
#define DAY_MS  ((gint64) 86400000)

typedef struct {
  HpStoreFixture *fixture;
  HpStore *store;
  HpAuditLog *audit;
} RetentionFixture;

static int
setup (void **state)
{
  g_autoptr(GError) error = NULL;
  RetentionFixture *f = g_new0 (RetentionFixture, 1);
  void *store_state = NULL;
  guint8 audit_key[32];

  if (hp_store_fixture_setup (&store_state) != 0)
    return -1;
  f->fixture = store_state;
  f->store = hp_store_open_demo (f->fixture->path, &error);
  if (f->store == NULL)
    return -1;
  hp_store_fixture_audit_key (f->store, audit_key);
  f->audit = hp_audit_log_new (f->store, audit_key, sizeof audit_key, &error);
  if (f->audit == NULL)
    return -1;
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  RetentionFixture *f = *state;
  void *store_state = f->fixture;

  g_clear_object (&f->audit);
  g_clear_object (&f->store);
  g_free (f);
  return hp_store_fixture_teardown (&store_state);
}

static void
commit (RetentionFixture *f,
        HpVisit          *visit)
{
  g_autoptr(GError) error = NULL;

  if (!hp_store_commit_visit (f->store, visit, &error))
    fail_msg ("commit failed: %s", error->message);
}

static void
commit_small (RetentionFixture *f,
              const char       *id,
              gint64            finished_ms)
{
  g_autoptr(HpVisit) visit = hp_store_fixture_small_visit (id, finished_ms);

  commit (f, visit);
}

static gint64
run (RetentionFixture *f,
     guint             days)
{
  g_autoptr(GError) error = NULL;
  gint64 deleted = hp_retention_run (f->store, f->audit, HP_AUDIT_ACTOR_SYSTEM, days, NOW_US, &error);

  if (deleted < 0)
    fail_msg ("retention failed: %s", error->message);
  return deleted;
}

static char *
stored_ids (RetentionFixture *f)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = hp_store_list_visit_ids (f->store, 0, &error);

  assert_non_null (ids);
  return g_strjoinv (" ", ids);
}

static void
test_deletes_exactly_the_expired (void **state)
{
  RetentionFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *ids = NULL;
  HpAuditEntry *entry;
  gint64 bad = -1;
  sqlite3 *raw;

  commit_small (f, "old-400d", NOW_MS - 400 * DAY_MS);
  commit_small (f, "old-365d-1ms", NOW_MS - 365 * DAY_MS - 1);
  commit_small (f, "kept-365d", NOW_MS - 365 * DAY_MS);
  commit_small (f, "kept-364d", NOW_MS - 364 * DAY_MS);
  commit_small (f, "kept-1d", NOW_MS - DAY_MS);
  commit_small (f, "kept-future", NOW_MS + DAY_MS);

  assert_int_equal (run (f, 365), 2);
  ids = stored_ids (f);
  assert_string_equal (ids, "kept-future kept-1d kept-364d kept-365d");

  /* Their measurements went with them. */
  raw = hp_store_fixture_open_raw (f->fixture->path);
  assert_int_equal (hp_store_fixture_query_int (raw, "SELECT count(*) FROM measurements"), 4);
  assert_int_equal (hp_store_fixture_query_int (raw,
                      "SELECT count(*) FROM measurements WHERE visit_id LIKE 'old-%'"), 0);
  sqlite3_close (raw);

  entries = hp_audit_list (f->audit, 0, &error);
  /* After the entry that started the log. */
  assert_int_equal (entries->len, 2);
  entry = g_ptr_array_index (entries, 1);
  assert_string_equal (entry->actor, "system");
  assert_string_equal (entry->action, "retention.run");
  assert_string_equal (entry->detail, "deleted=2 days=365");
  g_clear_pointer (&entries, g_ptr_array_unref);

  /* Nothing more is due; a shorter period takes more. */
  assert_int_equal (run (f, 365), 0);
  assert_int_equal (run (f, 2), 2);
  g_clear_pointer (&ids, g_free);
  ids = stored_ids (f);
  assert_string_equal (ids, "kept-future kept-1d");
  entries = hp_audit_list (f->audit, 0, &error);
  assert_int_equal (entries->len, 4);
  assert_string_equal (((HpAuditEntry *) g_ptr_array_index (entries, 2))->detail, "deleted=0 days=365");
  assert_true (hp_audit_verify (f->audit, &bad, &error));
}

static gboolean
file_contains (const char   *path,
               const void   *needle,
               gsize         needle_len)
{
  g_autoptr(GBytes) bytes = NULL;
  const guint8 *data;
  gsize size = 0;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return FALSE;
  bytes = hp_store_fixture_read_bytes (path);
  data = g_bytes_get_data (bytes, &size);
  return data != NULL && memmem (data, size, needle, needle_len) != NULL;
}

static gboolean
store_files_contain (RetentionFixture *f,
                     const void       *needle,
                     gsize             needle_len)
{
  g_autofree char *wal = g_strconcat (f->fixture->path, "-wal", NULL);

  return file_contains (f->fixture->path, needle, needle_len)
         || file_contains (wal, needle, needle_len);
}

/* Distinctive values, so that finding their bytes cannot be chance. */
#define FORGET_ID     "visit-to-forget-5e1d9a"
#define FORGET_DEVICE "cuff-forget-7f3a9c"
#define KEEP_ID       "visit-to-keep-0b27e4"
static const double forget_systolic = 187.123456789012;

static void
test_deleted_values_leave_the_files (void **state)
{
  RetentionFixture *f = *state;
  g_autofree char *wal = g_strconcat (f->fixture->path, "-wal", NULL);
  g_autoptr(HpVisit) forget = hp_store_fixture_small_visit (FORGET_ID, NOW_MS - 40 * DAY_MS);
  g_autoptr(HpVisit) keep = hp_store_fixture_small_visit (KEEP_ID, NOW_MS - 10 * DAY_MS);
  g_autoptr(HpMeasurement) pressure = NULL;

  pressure = g_list_model_get_item (hp_visit_get_measurements (forget), 0);
  hp_measurement_set_value (pressure, HP_QUANTITY_SYSTOLIC, forget_systolic, "mmHg");
  hp_measurement_set_device_id (pressure, FORGET_DEVICE);
  commit (f, forget);
  commit (f, keep);

  /* Before: the visit is in the files, so the scan below can see it. */
  assert_true (store_files_contain (f, FORGET_ID, strlen (FORGET_ID)));

  assert_int_equal (run (f, 30), 1);

  assert_false (file_contains (wal, FORGET_ID, strlen (FORGET_ID)));
  assert_false (file_contains (wal, FORGET_DEVICE, strlen (FORGET_DEVICE)));
  assert_false (file_contains (wal, &forget_systolic, sizeof forget_systolic));
  /* Nor in the main file: secure deletion zeroed the freed space. */
  assert_false (file_contains (f->fixture->path, FORGET_ID, strlen (FORGET_ID)));
  assert_false (file_contains (f->fixture->path, FORGET_DEVICE, strlen (FORGET_DEVICE)));
  assert_false (file_contains (f->fixture->path, &forget_systolic, sizeof forget_systolic));
  /* The visit that stays is still there to be found. */
  assert_true (store_files_contain (f, KEEP_ID, strlen (KEEP_ID)));
}

static void
test_invalid_period (void **state)
{
  RetentionFixture *f = *state;
  g_autoptr(GError) error = NULL;
  static const guint bad[] = { 0, HP_RETENTION_DAYS_MAX + 1, G_MAXUINT };

  commit_small (f, "ancient", NOW_MS - 5000 * DAY_MS);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      assert_int_equal (hp_retention_run (f->store, f->audit, "system", bad[i], NOW_US, &error), -1);
      assert_true (g_error_matches (error, HP_RETENTION_ERROR, HP_RETENTION_ERROR_INVALID));
      g_clear_error (&error);
    }
  assert_int_equal (hp_store_count_visits (f->store, NULL), 1);
  /* The log's first entry only. */
  assert_int_equal (hp_audit_count (f->audit, NULL), 1);
  assert_int_equal (run (f, HP_RETENTION_DAYS_MAX), 1);
}

/* A bad actor fails the audit entry, and with it the whole run. */
static void
test_unaudited_run_deletes_nothing (void **state)
{
  RetentionFixture *f = *state;
  g_autoptr(GError) error = NULL;

  commit_small (f, "ancient", NOW_MS - 500 * DAY_MS);
  assert_int_equal (hp_retention_run (f->store, f->audit, "somebody", 30, NOW_US, &error), -1);
  assert_true (g_error_matches (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_INVALID));
  assert_int_equal (hp_store_count_visits (f->store, NULL), 1);
}

/* A reader holding an old snapshot keeps the log from being emptied: the
 * caller is told, and a later run finishes the job. */
static void
test_reader_blocks_checkpoint (void **state)
{
  RetentionFixture *f = *state;
  g_autoptr(GError) error = NULL;
  sqlite3 *reader;

  commit_small (f, "ancient", NOW_MS - 500 * DAY_MS);
  reader = hp_store_fixture_open_raw (f->fixture->path);
  sqlite3_busy_timeout (reader, 0);
  hp_store_fixture_exec_raw (reader, "BEGIN");
  assert_int_equal (hp_store_fixture_query_int (reader, "SELECT count(*) FROM visits"), 1);

  /* Waits out the store's busy timeout, then reports. */
  assert_int_equal (hp_retention_run (f->store, f->audit, "system", 30, NOW_US, &error), -1);
  assert_true (g_error_matches (error, HP_RETENTION_ERROR, HP_RETENTION_ERROR_CHECKPOINT));
  assert_non_null (strstr (error->message, "deleted 1 visits"));
  g_clear_error (&error);
  assert_int_equal (hp_store_count_visits (f->store, NULL), 0);

  hp_store_fixture_exec_raw (reader, "COMMIT");
  sqlite3_close (reader);
  assert_int_equal (run (f, 30), 0);
}

/* Wrong-PIN counts of codes no patient here holds are forgotten once left
 * alone for the retention period, and the run says how many. */
static void
test_forgets_unknown_code_attempts (void **state)
{
  RetentionFixture *f = *state;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  HpAuditEntry *entry;
  sqlite3 *raw;

  /* Last tried 366 and 364 days ago; one tried long ago but locked until
   * yesterday. */
  sql = g_strdup_printf ("INSERT INTO code_attempts (code_lookup, failed_attempts, locked_until, last_attempt) "
                         "VALUES (x'0000000000000000000000000000000000000000000000000000000000000001', 2, 0, %" G_GINT64_FORMAT "), "
                         "(x'0000000000000000000000000000000000000000000000000000000000000002', 1, 0, %" G_GINT64_FORMAT "), "
                         "(x'0000000000000000000000000000000000000000000000000000000000000003', 9, %" G_GINT64_FORMAT ", 0)",
                         NOW_US - 366 * DAY_MS * 1000, NOW_US - 364 * DAY_MS * 1000,
                         NOW_US - DAY_MS * 1000);
  raw = hp_store_fixture_open_raw (f->fixture->path);
  hp_store_fixture_exec_raw (raw, sql);
  sqlite3_close (raw);

  assert_int_equal (run (f, 365), 0);
  raw = hp_store_fixture_open_raw (f->fixture->path);
  assert_int_equal (hp_store_fixture_query_int (raw, "SELECT count (*) FROM code_attempts"), 2);
  assert_int_equal (hp_store_fixture_query_int (raw, "SELECT count (*) FROM code_attempts "
                                                     "WHERE failed_attempts = 2"), 0);
  sqlite3_close (raw);
  entries = hp_audit_list (f->audit, 0, &error);
  assert_non_null (entries);
  entry = g_ptr_array_index (entries, entries->len - 1);
  assert_string_equal (entry->action, "retention.code-attempts");
  assert_string_equal (entry->detail, "deleted=1 days=365");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_deletes_exactly_the_expired, setup, teardown),
    cmocka_unit_test_setup_teardown (test_deleted_values_leave_the_files, setup, teardown),
    cmocka_unit_test_setup_teardown (test_invalid_period, setup, teardown),
    cmocka_unit_test_setup_teardown (test_unaudited_run_deletes_nothing, setup, teardown),
    cmocka_unit_test_setup_teardown (test_reader_blocks_checkpoint, setup, teardown),
    cmocka_unit_test_setup_teardown (test_forgets_unknown_code_attempts, setup, teardown),
  };

  return cmocka_run_group_tests_name ("retention", tests, NULL, NULL);
}
