/* Tests of the audit log: the chain verifies, and every kind of tampering names the first broken entry. */
#include "hp-store-fixture.h"

#include <string.h>

#include "hp-audit.h"
#include "hp-store-private.h"

static const guint8 key[32] = {
  0x3a, 0x91, 0x0c, 0x5e, 0x77, 0x12, 0xd4, 0x68, 0x2b, 0xe0, 0x4f, 0x93, 0x15, 0xc8, 0x7d, 0x01,
  0x9e, 0x46, 0xb2, 0x3c, 0x58, 0xaf, 0x60, 0x1d, 0xf7, 0x84, 0x29, 0xcb, 0x0e, 0x53, 0x6a, 0xbd,
};

#define N_ENTRIES 5

static gint64 fake_now = 1763700000000000;

static gint64
fake_clock (gpointer user_data G_GNUC_UNUSED)
{
  return fake_now;
}

static HpStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  HpStore *store = hp_store_open_demo (path, &error);

  if (store == NULL)
    fail_msg ("cannot open %s: %s", path, error->message);
  return store;
}

static HpAuditLog *
open_log (HpStore      *store,
          const guint8 *with_key)
{
  g_autoptr(GError) error = NULL;
  HpAuditLog *log = hp_audit_log_new (store, with_key, sizeof key, &error);

  if (log == NULL)
    fail_msg ("cannot open the audit log: %s", error->message);
  hp_audit_log_set_clock (log, fake_clock, NULL);
  return log;
}

static void
assert_appends (HpAuditLog *log,
                const char *actor,
                const char *action,
                const char *detail)
{
  g_autoptr(GError) error = NULL;

  if (!hp_audit_append (log, actor, action, detail, &error))
    fail_msg ("append failed: %s", error->message);
  fake_now += 1500000;
}

static void
append_sample_entries (HpAuditLog *log)
{
  assert_appends (log, "kiosk", "staff.login-failed", "staff:1 attempt=1");
  assert_appends (log, "staff:1", "staff.login", "");
  assert_appends (log, "staff:1", "export.fhir", "visits=12");
  assert_appends (log, "kiosk", "print", "pages=1");
  assert_appends (log, "system", "retention.run", "deleted=3 days=365");
}

static void
assert_verifies (HpAuditLog *log)
{
  g_autoptr(GError) error = NULL;
  gint64 bad = -1;

  if (!hp_audit_verify (log, &bad, &error))
    fail_msg ("verify failed at %" G_GINT64_FORMAT ": %s", bad, error->message);
  assert_int_equal (bad, 0);
}

static void
assert_broken_at (HpAuditLog *log,
                  gint64      expected_bad)
{
  g_autoptr(GError) error = NULL;
  gint64 bad = -1;

  assert_false (hp_audit_verify (log, &bad, &error));
  assert_non_null (error);
  if (!g_error_matches (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_TAMPERED))
    fail_msg ("expected a tampering error, got: %s", error->message);
  if (bad != expected_bad)
    fail_msg ("expected entry %" G_GINT64_FORMAT " to be named, got %" G_GINT64_FORMAT ": %s",
              expected_bad, bad, error->message);
}

static void
test_empty_log_verifies (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(HpStore) store = open_store (fixture->path);
  g_autoptr(HpAuditLog) log = open_log (store, key);
  g_autoptr(GError) error = NULL;

  assert_verifies (log);
  assert_int_equal (hp_audit_count (log, &error), 0);
  assert_null (error);
}

static void
test_chain_verifies (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(HpStore) store = open_store (fixture->path);
  g_autoptr(HpAuditLog) log = open_log (store, key);
  g_autoptr(GError) error = NULL;

  append_sample_entries (log);
  assert_verifies (log);
  assert_int_equal (hp_audit_count (log, &error), N_ENTRIES);

  /* From a fresh connection too: the chain lives in the file. */
  g_clear_object (&log);
  g_clear_object (&store);
  store = open_store (fixture->path);
  log = open_log (store, key);
  assert_verifies (log);
  assert_appends (log, "staff:2", "call.start", "");
  assert_verifies (log);
}

static void
test_other_key_fails (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(HpStore) store = open_store (fixture->path);
  g_autoptr(HpAuditLog) log = open_log (store, key);
  g_autoptr(HpAuditLog) other = NULL;
  guint8 other_key[sizeof key];

  append_sample_entries (log);
  memcpy (other_key, key, sizeof key);
  other_key[31] ^= 0x01;
  other = open_log (store, other_key);
  assert_broken_at (other, 1);
}

/* Writes the sample log into a file of its own, changes it as someone with
 * the file but without the key would, then verifies it afresh. */
static void
assert_tampering_found (HpStoreFixture *fixture,
                        const char     *name,
                        const char     *sql,
                        gint64          expected_bad)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(HpStore) store = open_store (path);
  g_autoptr(HpAuditLog) log = open_log (store, key);
  sqlite3 *raw;

  append_sample_entries (log);
  assert_verifies (log);
  g_clear_object (&log);
  g_clear_object (&store);

  raw = hp_store_fixture_open_raw (path);
  hp_store_fixture_exec_raw (raw, "DROP TRIGGER audit_log_no_update;"
                                  "DROP TRIGGER audit_log_no_delete;"
                                  "DROP TRIGGER audit_head_no_delete;");
  hp_store_fixture_exec_raw (raw, sql);
  sqlite3_close (raw);

  store = open_store (path);
  log = open_log (store, key);
  assert_broken_at (log, expected_bad);
}

static void
test_edited_fields (void **state)
{
  HpStoreFixture *fixture = *state;

  assert_tampering_found (fixture, "detail.db",
                          "UPDATE audit_log SET detail = 'visits=13' WHERE seq = 3", 3);
  assert_tampering_found (fixture, "actor.db",
                          "UPDATE audit_log SET actor = 'staff:7' WHERE seq = 2", 2);
  assert_tampering_found (fixture, "action.db",
                          "UPDATE audit_log SET action = 'staff.logout' WHERE seq = 1", 1);
  assert_tampering_found (fixture, "time.db",
                          "UPDATE audit_log SET at = at + 1 WHERE seq = 4", 4);
  /* The same whole number with a fraction added: read as an integer it
   * would still match, so the type is checked too. */
  assert_tampering_found (fixture, "type.db",
                          "UPDATE audit_log SET at = at + 0.5 WHERE seq = 5", 5);
}

static void
test_deleted_rows (void **state)
{
  HpStoreFixture *fixture = *state;

  assert_tampering_found (fixture, "middle.db", "DELETE FROM audit_log WHERE seq = 3", 3);
  assert_tampering_found (fixture, "first.db", "DELETE FROM audit_log WHERE seq = 1", 1);
  assert_tampering_found (fixture, "last.db", "DELETE FROM audit_log WHERE seq = 5", 5);
  assert_tampering_found (fixture, "last-two.db", "DELETE FROM audit_log WHERE seq >= 4", 4);
  assert_tampering_found (fixture, "all.db", "DELETE FROM audit_log", 1);
}

static void
test_reordered_rows (void **state)
{
  HpStoreFixture *fixture = *state;

  assert_tampering_found (fixture, "swap.db",
                          "UPDATE audit_log SET seq = 1000 WHERE seq = 2;"
                          "UPDATE audit_log SET seq = 2 WHERE seq = 3;"
                          "UPDATE audit_log SET seq = 3 WHERE seq = 1000;", 2);
  /* Renumbered to close the gap a deletion left. */
  assert_tampering_found (fixture, "renumber.db",
                          "DELETE FROM audit_log WHERE seq = 2;"
                          "UPDATE audit_log SET seq = seq - 1 WHERE seq > 2;"
                          "UPDATE audit_head SET seq = 4, "
                          "  mac = (SELECT mac FROM audit_log WHERE seq = 4);", 2);
}

static void
test_changed_macs (void **state)
{
  HpStoreFixture *fixture = *state;

  assert_tampering_found (fixture, "mac.db",
                          "UPDATE audit_log SET mac = zeroblob(32) WHERE seq = 4", 4);
  /* The next row's link rewritten to match: the row itself still fails. */
  assert_tampering_found (fixture, "relinked.db",
                          "UPDATE audit_log SET mac = randomblob(32) WHERE seq = 2;"
                          "UPDATE audit_log SET prev_mac = (SELECT mac FROM audit_log WHERE seq = 2) "
                          "  WHERE seq = 3;", 2);
  assert_tampering_found (fixture, "short-mac.db",
                          "UPDATE audit_log SET mac = substr(mac, 1, 31) WHERE seq = 3", 3);
  assert_tampering_found (fixture, "prev.db",
                          "UPDATE audit_log SET prev_mac = zeroblob(32) WHERE seq = 2", 2);
}

static void
test_head_tampering (void **state)
{
  HpStoreFixture *fixture = *state;

  /* The tail cut off and the head wound back to the new last entry: the
   * head's own MAC does not fit. */
  assert_tampering_found (fixture, "head-rewound.db",
                          "DELETE FROM audit_log WHERE seq = 5;"
                          "UPDATE audit_head SET seq = 4, "
                          "  mac = (SELECT mac FROM audit_log WHERE seq = 4);", 4);
  assert_tampering_found (fixture, "head-gone.db", "DELETE FROM audit_head", 5);
  assert_tampering_found (fixture, "head-empty.db",
                          "UPDATE audit_head SET seq = 0, mac = zeroblob(32), head_mac = NULL", 1);
  /* A copy of the last row added as a sixth. */
  assert_tampering_found (fixture, "extra.db",
                          "INSERT INTO audit_log SELECT 6, at, actor, action, detail, prev_mac, mac "
                          "  FROM audit_log WHERE seq = 5", 6);
}

static void
test_triggers_refuse_changes (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(HpStore) store = open_store (fixture->path);
  g_autoptr(HpAuditLog) log = open_log (store, key);
  sqlite3 *raw;

  append_sample_entries (log);
  raw = hp_store_fixture_open_raw (fixture->path);
  assert_int_not_equal (sqlite3_exec (raw, "UPDATE audit_log SET detail = '' WHERE seq = 1",
                                      NULL, NULL, NULL), SQLITE_OK);
  assert_int_not_equal (sqlite3_exec (raw, "DELETE FROM audit_log WHERE seq = 5",
                                      NULL, NULL, NULL), SQLITE_OK);
  assert_int_not_equal (sqlite3_exec (raw, "DELETE FROM audit_head", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close (raw);
  assert_verifies (log);
}

/* Appending to a log whose tail was cut would seal the cut; it is refused. */
static void
test_append_refused_after_truncation (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(HpStore) store = open_store (fixture->path);
  g_autoptr(HpAuditLog) log = open_log (store, key);
  g_autoptr(GError) error = NULL;
  sqlite3 *raw;

  append_sample_entries (log);
  raw = hp_store_fixture_open_raw (fixture->path);
  hp_store_fixture_exec_raw (raw, "DROP TRIGGER audit_log_no_delete;"
                                  "DELETE FROM audit_log WHERE seq = 5;");
  sqlite3_close (raw);

  assert_false (hp_audit_append (log, "kiosk", "print", "", &error));
  assert_true (g_error_matches (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_TAMPERED));
  g_clear_error (&error);
  assert_int_equal (hp_audit_count (log, &error), N_ENTRIES - 1);
  assert_broken_at (log, 5);
}

static void
test_append_in_callers_transaction (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(HpStore) store = open_store (fixture->path);
  g_autoptr(HpAuditLog) log = open_log (store, key);
  g_autoptr(GError) error = NULL;
  sqlite3 *db = hp_store_get_db (store);

  assert_int_equal (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
  assert_appends (log, "kiosk", "print", "pages=2");
  assert_appends (log, "kiosk", "call.start", "");
  assert_false (sqlite3_get_autocommit (db));
  assert_int_equal (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
  assert_int_equal (hp_audit_count (log, &error), 0);
  assert_verifies (log);

  assert_int_equal (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
  assert_appends (log, "kiosk", "print", "pages=2");
  /* A refused entry inside the caller's transaction leaves it open and whole. */
  assert_false (hp_audit_append (log, "kiosk", "Print!", "", &error));
  g_clear_error (&error);
  assert_false (sqlite3_get_autocommit (db));
  assert_int_equal (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
  assert_int_equal (hp_audit_count (log, &error), 1);
  assert_verifies (log);
}

static void
test_invalid_entries_refused (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(HpStore) store = open_store (fixture->path);
  g_autoptr(HpAuditLog) log = open_log (store, key);
  g_autoptr(GError) error = NULL;
  g_autofree char *long_detail = g_strnfill (HP_AUDIT_DETAIL_MAX_LENGTH + 1, 'x');
  static const struct { const char *actor, *action, *detail; } bad[] = {
    { NULL, "print", "" },
    { "Ada Lovelace", "print.job", "" },
    { "staff:", "print.job", "" },
    { "staff:0", "print.job", "" },
    { "staff:12a", "print.job", "" },
    { "kiosk", NULL, "" },
    { "kiosk", "print..job", "" },
    { "kiosk", "Print.job", "" },
    { "kiosk", "print.job.", "" },
    { "kiosk", "print job.x", "" },
    { "kiosk", "print.job", "line\nbreak Ada" },
    { "kiosk", "print.job", "caf\xc3\xa9 Ada" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      assert_false (hp_audit_append (log, bad[i].actor, bad[i].action, bad[i].detail, &error));
      assert_true (g_error_matches (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_INVALID));
      /* The refused text is not repeated back. */
      assert_null (strstr (error->message, "Ada"));
      g_clear_error (&error);
    }
  assert_false (hp_audit_append (log, "kiosk", "print.job", long_detail, &error));
  assert_true (g_error_matches (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_INVALID));
  g_clear_error (&error);

  assert_int_equal (hp_audit_count (log, &error), 0);
  assert_appends (log, "staff:123", "settings.change", "kiosk.language");
  assert_appends (log, "kiosk", "print", NULL);
  assert_verifies (log);
}

static void
test_list_since (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(HpStore) store = open_store (fixture->path);
  g_autoptr(HpAuditLog) log = open_log (store, key);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) later = NULL;
  g_autoptr(GError) error = NULL;
  gint64 third_time;
  HpAuditEntry *entry;

  fake_now = 1763700000000000;
  append_sample_entries (log);
  third_time = 1763700000000000 + 2 * 1500000;

  all = hp_audit_list (log, 0, &error);
  assert_non_null (all);
  assert_int_equal (all->len, N_ENTRIES);
  entry = g_ptr_array_index (all, 1);
  assert_int_equal (entry->seq, 2);
  assert_int_equal (entry->time, 1763700000000000 + 1500000);
  assert_string_equal (entry->actor, "staff:1");
  assert_string_equal (entry->action, "staff.login");
  assert_string_equal (entry->detail, "");

  later = hp_audit_list (log, third_time, &error);
  assert_non_null (later);
  assert_int_equal (later->len, 3);
  entry = g_ptr_array_index (later, 0);
  assert_int_equal (entry->seq, 3);
  assert_string_equal (entry->detail, "visits=12");
}

static void
test_short_key_refused (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(HpStore) store = open_store (fixture->path);
  g_autoptr(GError) error = NULL;

  assert_null (hp_audit_log_new (store, key, HP_AUDIT_KEY_MIN_SIZE - 1, &error));
  assert_true (g_error_matches (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_INVALID));
}

static void
test_old_schema_has_no_log (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStore) store = hp_store_open_at_version (fixture->path, 2, &error);

  assert_non_null (store);
  assert_null (hp_audit_log_new (store, key, sizeof key, &error));
  assert_true (g_error_matches (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_READ));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_empty_log_verifies, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_chain_verifies, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_other_key_fails, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_edited_fields, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_deleted_rows, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_reordered_rows, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_changed_macs, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_head_tampering, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_triggers_refuse_changes, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_append_refused_after_truncation, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_append_in_callers_transaction, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_invalid_entries_refused, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_list_since, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_short_key_refused, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_old_schema_has_no_log, hp_store_fixture_setup, hp_store_fixture_teardown),
  };

  return cmocka_run_group_tests_name ("audit", tests, NULL, NULL);
}
