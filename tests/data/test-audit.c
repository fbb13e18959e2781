/* Tests of the audit log: the chain verifies, and every kind of tampering names the first broken entry. */
#include "hp-store-fixture.h"

#include <string.h>

#include <glib/gstdio.h>

#include "hp-audit.h"
#include "hp-audit-chain.h"
#include "hp-store-private.h"

/* The audit key of the store opened last, as the kiosk derives it. */
static guint8 key[32];

/* The entry that starts every log, then the five samples (2 to 6). */
#define N_ENTRIES 6

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
  hp_store_fixture_audit_key (store, key);
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

/* A new log is never empty: it starts with a keyed entry, and its head is
 * anchored outside the database. */
static void
test_new_log_starts_keyed (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(HpStore) store = open_store (fixture->path);
  g_autoptr(HpAuditLog) log = open_log (store, key);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *anchor_path = g_strconcat (fixture->path, ".audit-head", NULL);
  g_autofree char *anchor = NULL;
  GStatBuf info;
  HpAuditEntry *entry;

  assert_verifies (log);
  entries = hp_audit_list (log, 0, &error);
  assert_non_null (entries);
  assert_int_equal (entries->len, 1);
  entry = g_ptr_array_index (entries, 0);
  assert_int_equal (entry->seq, 1);
  assert_string_equal (entry->actor, "system");
  assert_string_equal (entry->action, "audit.start");

  assert_true (g_file_get_contents (anchor_path, &anchor, NULL, NULL));
  assert_true (g_str_has_prefix (anchor, "Healthpost audit head 1\nseq=1\nmac="));
  assert_int_equal (g_stat (anchor_path, &info), 0);
  assert_int_equal (info.st_mode & 0777, 0600);
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
                                  "DROP TRIGGER audit_head_no_delete;"
                                  "DROP TRIGGER audit_head_forward;");
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
                          "UPDATE audit_log SET detail = 'visits=13' WHERE seq = 4", 4);
  assert_tampering_found (fixture, "actor.db",
                          "UPDATE audit_log SET actor = 'staff:7' WHERE seq = 3", 3);
  assert_tampering_found (fixture, "action.db",
                          "UPDATE audit_log SET action = 'staff.logout' WHERE seq = 2", 2);
  assert_tampering_found (fixture, "time.db",
                          "UPDATE audit_log SET at = at + 1 WHERE seq = 5", 5);
  /* The same whole number with a fraction added: read as an integer it
   * would still match, so the type is checked too. */
  assert_tampering_found (fixture, "type.db",
                          "UPDATE audit_log SET at = at + 0.5 WHERE seq = 6", 6);
}

static void
test_deleted_rows (void **state)
{
  HpStoreFixture *fixture = *state;

  assert_tampering_found (fixture, "middle.db", "DELETE FROM audit_log WHERE seq = 4", 4);
  assert_tampering_found (fixture, "first.db", "DELETE FROM audit_log WHERE seq = 2", 2);
  assert_tampering_found (fixture, "last.db", "DELETE FROM audit_log WHERE seq = 6", 6);
  assert_tampering_found (fixture, "last-two.db", "DELETE FROM audit_log WHERE seq >= 5", 5);
  assert_tampering_found (fixture, "start.db", "DELETE FROM audit_log WHERE seq = 1", 1);
  assert_tampering_found (fixture, "all.db", "DELETE FROM audit_log", 1);
}

static void
test_reordered_rows (void **state)
{
  HpStoreFixture *fixture = *state;

  assert_tampering_found (fixture, "swap.db",
                          "UPDATE audit_log SET seq = 1000 WHERE seq = 3;"
                          "UPDATE audit_log SET seq = 3 WHERE seq = 4;"
                          "UPDATE audit_log SET seq = 4 WHERE seq = 1000;", 3);
  /* Renumbered to close the gap a deletion left. */
  assert_tampering_found (fixture, "renumber.db",
                          "DELETE FROM audit_log WHERE seq = 3;"
                          "UPDATE audit_log SET seq = seq - 1 WHERE seq > 3;"
                          "UPDATE audit_head SET seq = 5, "
                          "  mac = (SELECT mac FROM audit_log WHERE seq = 5);", 3);
}

static void
test_changed_macs (void **state)
{
  HpStoreFixture *fixture = *state;

  assert_tampering_found (fixture, "mac.db",
                          "UPDATE audit_log SET mac = zeroblob(32) WHERE seq = 5", 5);
  /* The next row's link rewritten to match: the row itself still fails. */
  assert_tampering_found (fixture, "relinked.db",
                          "UPDATE audit_log SET mac = randomblob(32) WHERE seq = 3;"
                          "UPDATE audit_log SET prev_mac = (SELECT mac FROM audit_log WHERE seq = 3) "
                          "  WHERE seq = 4;", 3);
  assert_tampering_found (fixture, "short-mac.db",
                          "UPDATE audit_log SET mac = substr(mac, 1, 31) WHERE seq = 4", 4);
  assert_tampering_found (fixture, "prev.db",
                          "UPDATE audit_log SET prev_mac = zeroblob(32) WHERE seq = 3", 3);
}

static void
test_head_tampering (void **state)
{
  HpStoreFixture *fixture = *state;

  /* The tail cut off and the head wound back to the new last entry: the
   * head's own MAC does not fit. */
  assert_tampering_found (fixture, "head-rewound.db",
                          "DELETE FROM audit_log WHERE seq = 6;"
                          "UPDATE audit_head SET seq = 5, "
                          "  mac = (SELECT mac FROM audit_log WHERE seq = 5);", 5);
  assert_tampering_found (fixture, "head-gone.db", "DELETE FROM audit_head", 6);
  assert_tampering_found (fixture, "head-empty.db",
                          "UPDATE audit_head SET seq = 0, mac = zeroblob(32), head_mac = NULL", 1);
  /* A copy of the last row added as a seventh. */
  assert_tampering_found (fixture, "extra.db",
                          "INSERT INTO audit_log SELECT 7, at, actor, action, detail, prev_mac, mac "
                          "  FROM audit_log WHERE seq = 6", 7);
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
  /* The head moves one entry forward at a time, never back or further. */
  assert_int_not_equal (sqlite3_exec (raw, "UPDATE audit_head SET seq = seq - 1", NULL, NULL, NULL),
                        SQLITE_OK);
  assert_int_not_equal (sqlite3_exec (raw, "UPDATE audit_head SET seq = seq + 2", NULL, NULL, NULL),
                        SQLITE_OK);
  assert_int_not_equal (sqlite3_exec (raw, "UPDATE audit_head SET seq = NULL", NULL, NULL, NULL),
                        SQLITE_OK);
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
                                  "DELETE FROM audit_log WHERE seq = 6;");
  sqlite3_close (raw);

  assert_false (hp_audit_append (log, "kiosk", "print", "", &error));
  assert_true (g_error_matches (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_TAMPERED));
  g_clear_error (&error);
  assert_int_equal (hp_audit_count (log, &error), N_ENTRIES - 1);
  assert_broken_at (log, 6);
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
  assert_int_equal (hp_audit_count (log, &error), 1);
  assert_verifies (log);

  assert_int_equal (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
  assert_appends (log, "kiosk", "print", "pages=2");
  /* A refused entry inside the caller's transaction leaves it open and whole. */
  assert_false (hp_audit_append (log, "kiosk", "Print!", "", &error));
  g_clear_error (&error);
  assert_false (sqlite3_get_autocommit (db));
  assert_int_equal (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
  assert_int_equal (hp_audit_count (log, &error), 2);
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

  assert_int_equal (hp_audit_count (log, &error), 1);
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
  /* After the entry that started the log, stamped with today's time. */
  gint64 base = g_get_real_time () + (gint64) G_USEC_PER_SEC * 86400;
  HpAuditEntry *entry;

  fake_now = base;
  append_sample_entries (log);

  all = hp_audit_list (log, 0, &error);
  assert_non_null (all);
  assert_int_equal (all->len, N_ENTRIES);
  entry = g_ptr_array_index (all, 2);
  assert_int_equal (entry->seq, 3);
  assert_int_equal (entry->time, base + 1500000);
  assert_string_equal (entry->actor, "staff:1");
  assert_string_equal (entry->action, "staff.login");
  assert_string_equal (entry->detail, "");

  later = hp_audit_list (log, base + 2 * 1500000, &error);
  assert_non_null (later);
  assert_int_equal (later->len, 3);
  entry = g_ptr_array_index (later, 0);
  assert_int_equal (entry->seq, 4);
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

static void
assert_broken_saying (HpAuditLog *log,
                      gint64      expected_bad,
                      const char *words)
{
  g_autoptr(GError) error = NULL;
  gint64 bad = -1;

  assert_false (hp_audit_verify (log, &bad, &error));
  if (!g_error_matches (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_TAMPERED))
    fail_msg ("expected a tampering error, got: %s", error != NULL ? error->message : "none");
  if (bad != expected_bad || strstr (error->message, words) == NULL)
    fail_msg ("expected entry %" G_GINT64_FORMAT " and \"%s\", got %" G_GINT64_FORMAT ": %s",
              expected_bad, words, bad, error->message);
}

static void
assert_append_refused (HpAuditLog *log)
{
  g_autoptr(GError) error = NULL;

  assert_false (hp_audit_append (log, "kiosk", "print", "", &error));
  if (!g_error_matches (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_TAMPERED))
    fail_msg ("expected the append to be refused as tampering, got: %s",
              error != NULL ? error->message : "none");
}

static char *
query_text (const char *path,
            const char *sql)
{
  sqlite3 *raw = hp_store_fixture_open_raw (path);
  sqlite3_stmt *stmt = NULL;
  char *text;

  assert_int_equal (sqlite3_prepare_v2 (raw, sql, -1, &stmt, NULL), SQLITE_OK);
  assert_int_equal (sqlite3_step (stmt), SQLITE_ROW);
  text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (raw);
  return text;
}

/* Everything gone and the head put back as a brand-new log of schema
 * steps 4 to 7 had it: without the key, that is all an eraser can write. */
static void
test_erased_log (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(HpStore) store = open_store (fixture->path);
  g_autoptr(HpAuditLog) log = open_log (store, key);
  sqlite3 *raw;

  append_sample_entries (log);
  raw = hp_store_fixture_open_raw (fixture->path);
  hp_store_fixture_exec_raw (raw, "DROP TRIGGER audit_log_no_delete;"
                                  "DROP TRIGGER audit_head_forward;"
                                  "DELETE FROM audit_log;"
                                  "UPDATE audit_head SET seq = 0, mac = zeroblob(32), head_mac = NULL;");
  sqlite3_close (raw);

  assert_broken_saying (log, 1, "erased");
  assert_append_refused (log);
  assert_int_equal (hp_audit_count (log, NULL), 0);
}

/* The tail cut off and a head that was genuine once put back: entry 4's,
 * as older copies of the head page in a -wal hold it. The chain and the
 * head agree; the anchor outside the database knows better. */
static void
test_cut_with_older_head (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(HpStore) store = open_store (fixture->path);
  g_autoptr(HpAuditLog) log = open_log (store, key);
  g_autofree char *old_head = NULL;
  g_autofree char *put_back = NULL;
  sqlite3 *raw;

  assert_appends (log, "kiosk", "staff.login-failed", "staff:1 attempt=1");
  assert_appends (log, "staff:1", "staff.login", "");
  assert_appends (log, "staff:1", "export.fhir", "visits=12");
  old_head = query_text (fixture->path, "SELECT 'seq = ' || seq || ', mac = X''' || hex (mac) "
                                        "|| ''', head_mac = X''' || hex (head_mac) || '''' "
                                        "FROM audit_head");
  assert_appends (log, "kiosk", "print", "pages=1");
  assert_appends (log, "system", "retention.run", "deleted=3 days=365");
  assert_verifies (log);

  put_back = g_strdup_printf ("DROP TRIGGER audit_log_no_delete;"
                              "DROP TRIGGER audit_head_forward;"
                              "DELETE FROM audit_log WHERE seq > 4;"
                              "UPDATE audit_head SET %s;", old_head);
  raw = hp_store_fixture_open_raw (fixture->path);
  hp_store_fixture_exec_raw (raw, put_back);
  sqlite3_close (raw);

  assert_broken_saying (log, 5, "Audit entries 5 to 6 are missing from the end");
  assert_append_refused (log);
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  if (!g_file_get_contents (from, &data, &length, NULL))
    {
      g_unlink (to);
      return;
    }
  hp_store_fixture_write_private (to, data, length);
}

/* The database's own files put back as a copy taken at entry 3 holds
 * them: every row and the head are genuine, only older. */
static void
test_database_rolled_back (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(HpStore) store = open_store (fixture->path);
  g_autoptr(HpAuditLog) log = open_log (store, key);
  g_autofree char *copy = g_build_filename (fixture->dir, "copy.db", NULL);
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  g_autofree char *copy_wal = g_strconcat (copy, "-wal", NULL);

  assert_appends (log, "kiosk", "staff.login-failed", "staff:1 attempt=1");
  assert_appends (log, "staff:1", "staff.login", "");
  copy_file (fixture->path, copy);
  copy_file (wal, copy_wal);
  assert_appends (log, "staff:1", "export.fhir", "visits=12");
  assert_verifies (log);
  g_clear_object (&log);
  g_clear_object (&store);

  copy_file (copy, fixture->path);
  copy_file (copy_wal, wal);
  store = open_store (fixture->path);
  log = open_log (store, key);
  assert_int_equal (hp_audit_count (log, NULL), 3);
  assert_broken_saying (log, 4, "missing from the end");
}

/* The anchor removed, edited, or taken from another kiosk's database. */
static void
test_anchor_tampering (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(HpStore) store = open_store (fixture->path);
  g_autoptr(HpAuditLog) log = open_log (store, key);
  g_autofree char *anchor_path = g_strconcat (fixture->path, ".audit-head", NULL);
  g_autofree char *other_path = g_build_filename (fixture->dir, "other.db", NULL);
  g_autofree char *other_anchor = g_strconcat (other_path, ".audit-head", NULL);
  g_autofree char *genuine = NULL;
  g_autofree char *edited = NULL;
  g_autoptr(HpStore) other = NULL;
  gsize length = 0;

  append_sample_entries (log);
  assert_true (g_file_get_contents (anchor_path, &genuine, &length, NULL));

  assert_int_equal (g_unlink (anchor_path), 0);
  assert_broken_saying (log, 7, "anchor is missing");
  assert_append_refused (log);

  edited = g_strdup (genuine);
  *strstr (edited, "seq=6") = 'S';
  hp_store_fixture_write_private (anchor_path, edited, length);
  assert_broken_saying (log, 7, "malformed");
  strstr (edited, "Seq=6")[0] = 's';
  strstr (edited, "seq=6")[4] = '5';
  hp_store_fixture_write_private (anchor_path, edited, length);
  assert_broken_saying (log, 7, "not written with this kiosk's key");

  /* Another kiosk's log, its start entry only, under another key. */
  other = open_store (other_path);
  hp_store_fixture_audit_key (store, key);
  copy_file (other_anchor, anchor_path);
  assert_broken_saying (log, 7, "not written with this kiosk's key");

  hp_store_fixture_write_private (anchor_path, genuine, length);
  assert_verifies (log);
}

/* A power cut between a commit and its anchoring leaves the anchor one
 * entry behind: that is no tampering, and the next entry catches up. */
static void
test_lagging_anchor (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(HpStore) store = open_store (fixture->path);
  g_autoptr(HpAuditLog) log = open_log (store, key);
  g_autofree char *anchor_path = g_strconcat (fixture->path, ".audit-head", NULL);
  g_autofree char *behind = NULL;
  g_autofree char *now = NULL;
  gsize length = 0;

  append_sample_entries (log);
  assert_true (g_file_get_contents (anchor_path, &behind, &length, NULL));
  assert_appends (log, "kiosk", "print", "pages=2");
  hp_store_fixture_write_private (anchor_path, behind, length);
  assert_verifies (log);

  assert_appends (log, "kiosk", "print", "pages=3");
  assert_true (g_file_get_contents (anchor_path, &now, NULL, NULL));
  assert_non_null (strstr (now, "seq=8\n"));
  assert_verifies (log);
}

typedef struct {
  gint64 seq;
  guint count;
  guint8 mac[32];
} JournalSeen;

static void
record_journal (gint64        seq,
                const guint8 *mac,
                gpointer      user_data)
{
  JournalSeen *seen = user_data;

  seen->seq = seq;
  seen->count++;
  memcpy (seen->mac, mac, sizeof seen->mac);
}

/* Every advance of the head goes to the journal too, with the entry's MAC. */
static void
test_head_sent_to_journal (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(HpStore) store = open_store (fixture->path);
  g_autoptr(HpAuditLog) log = open_log (store, key);
  g_autofree char *mac_hex = NULL;
  char seen_hex[65] = { 0 };
  JournalSeen seen = { 0 };

  hp_audit_anchor_set_journal_func (record_journal, &seen);
  append_sample_entries (log);
  hp_audit_anchor_set_journal_func (NULL, NULL);

  assert_int_equal (seen.count, 5);
  assert_int_equal (seen.seq, 6);
  mac_hex = query_text (fixture->path, "SELECT lower (hex (mac)) FROM audit_log WHERE seq = 6");
  for (guint i = 0; i < 32; i++)
    g_snprintf (seen_hex + 2 * i, 3, "%02x", seen.mac[i]);
  assert_string_equal (seen_hex, mac_hex);
}

/* A log from before anchoring gets its "audit.start" entry after the
 * ones it had, and an anchor; one that is already broken gets neither. */
static void
test_older_log_anchored (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autofree char *broken_path = g_build_filename (fixture->dir, "broken.db", NULL);
  g_autofree char *broken_anchor = g_strconcat (broken_path, ".audit-head", NULL);
  const char *paths[] = { fixture->path, broken_path };
  sqlite3 *raw;

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HpStore) old = hp_store_open_at_version (paths[i], 7, &error);
      g_autoptr(HpAuditLog) log = NULL;

      assert_non_null (old);
      hp_store_fixture_audit_key (old, key);
      log = open_log (old, key);
      assert_appends (log, "staff:1", "staff.login", "");
      assert_appends (log, "kiosk", "print", "pages=1");
      assert_verifies (log);
    }
  raw = hp_store_fixture_open_raw (broken_path);
  /* The last entry cut off and the head wound back without the key. */
  hp_store_fixture_exec_raw (raw, "DROP TRIGGER audit_log_no_delete;"
                                  "DELETE FROM audit_log WHERE seq = 2;"
                                  "UPDATE audit_head SET seq = 1, "
                                  "  mac = (SELECT mac FROM audit_log WHERE seq = 1);");
  sqlite3_close (raw);

  {
    g_autoptr(HpStore) store = open_store (fixture->path);
    g_autoptr(HpAuditLog) log = open_log (store, key);
    g_autoptr(GPtrArray) entries = hp_audit_list (log, 0, NULL);
    HpAuditEntry *entry = g_ptr_array_index (entries, entries->len - 1);

    assert_int_equal (entries->len, 3);
    assert_int_equal (entry->seq, 3);
    assert_string_equal (entry->action, "audit.start");
    assert_verifies (log);
  }
  {
    g_autoptr(HpStore) store = open_store (broken_path);
    g_autoptr(HpAuditLog) log = open_log (store, key);

    assert_int_equal (hp_audit_count (log, NULL), 1);
    assert_false (g_file_test (broken_anchor, G_FILE_TEST_EXISTS));
    assert_broken_at (log, 1);
  }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_new_log_starts_keyed, hp_store_fixture_setup, hp_store_fixture_teardown),
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
    cmocka_unit_test_setup_teardown (test_erased_log, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_cut_with_older_head, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_database_rolled_back, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_anchor_tampering, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_lagging_anchor, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_head_sent_to_journal, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_older_log_anchored, hp_store_fixture_setup, hp_store_fixture_teardown),
  };

  return cmocka_run_group_tests_name ("audit", tests, NULL, NULL);
}
