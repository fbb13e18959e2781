/* The tamper-evident audit log: who did what at the kiosk, chained with HMAC-SHA256. */
#include "hp-audit.h"
#include "hp-audit-private.h"
#include "hp-store-private.h"

#include <stdarg.h>
#include <string.h>

#include <openssl/crypto.h>

static const guint8 zero_mac[HP_AUDIT_MAC_SIZE] = { 0 };

#define ACTOR_STAFF_PREFIX "staff:"

struct _HpAuditLog
{
  GObject parent_instance;

  HpStore *store;
  guint8 *key;
  gsize key_len;
  HpClockFunc clock;
  gpointer clock_data;
};

G_DEFINE_FINAL_TYPE (HpAuditLog, hp_audit_log, G_TYPE_OBJECT)

G_DEFINE_QUARK (hp-audit-error-quark, hp_audit_error)

/* A statement prepared for one call and finalized when it leaves scope. */
typedef sqlite3_stmt HpAuditStatement;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HpAuditStatement, sqlite3_finalize)

void
hp_audit_entry_free (HpAuditEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->actor);
  g_free (entry->action);
  g_free (entry->detail);
  g_free (entry);
}

static void
hp_audit_log_finalize (GObject *object)
{
  HpAuditLog *self = HP_AUDIT_LOG (object);

  if (self->key != NULL)
    {
      OPENSSL_cleanse (self->key, self->key_len);
      g_free (self->key);
    }
  g_clear_object (&self->store);

  G_OBJECT_CLASS (hp_audit_log_parent_class)->finalize (object);
}

static void
hp_audit_log_class_init (HpAuditLogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hp_audit_log_finalize;
}

static gint64
real_clock (gpointer user_data G_GNUC_UNUSED)
{
  return g_get_real_time ();
}

static void
hp_audit_log_init (HpAuditLog *self)
{
  self->clock = real_clock;
}

/* ---- the log ----------------------------------------------------------- */

static sqlite3 *
get_db (HpAuditLog *self)
{
  return hp_store_get_db (self->store);
}

/* sqlite3_errstr(), never sqlite3_errmsg(): the latter can quote values. */
static gboolean
sql_failed (HpAuditLog   *self,
            HpAuditError  code,
            const char   *what,
            GError      **error)
{
  int rc = sqlite3_extended_errcode (get_db (self));

  g_set_error (error, HP_AUDIT_ERROR, code, "Cannot %s the audit log in %s (%s)",
               what, hp_store_get_path (self->store), sqlite3_errstr (rc));
  return FALSE;
}

static HpAuditStatement *
prepare (HpAuditLog    *self,
         const char    *sql,
         HpAuditError   code,
         GError       **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (get_db (self), sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      sql_failed (self, code, code == HP_AUDIT_ERROR_WRITE ? "write" : "read", error);
      return NULL;
    }
  return stmt;
}

HpAuditLog *
hp_audit_log_new (HpStore       *store,
                  const guint8  *hmac_key,
                  gsize          key_len,
                  GError       **error)
{
  g_autoptr(HpAuditLog) self = NULL;
  g_autoptr(HpAuditStatement) stmt = NULL;

  g_return_val_if_fail (HP_IS_STORE (store), NULL);
  g_return_val_if_fail (hmac_key != NULL || key_len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (key_len < HP_AUDIT_KEY_MIN_SIZE)
    {
      g_set_error (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_INVALID,
                   "The audit key is %" G_GSIZE_FORMAT " bytes long; at least %d are needed",
                   key_len, HP_AUDIT_KEY_MIN_SIZE);
      return NULL;
    }

  self = g_object_new (HP_TYPE_AUDIT_LOG, NULL);
  self->store = g_object_ref (store);
  self->key = g_memdup2 (hmac_key, key_len);
  self->key_len = key_len;

  stmt = prepare (self, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' "
                        "AND name IN ('audit_log', 'audit_head')",
                  HP_AUDIT_ERROR_READ, error);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sql_failed (self, HP_AUDIT_ERROR_READ, "read", error);
      return NULL;
    }
  if (sqlite3_column_int64 (stmt, 0) != 2)
    {
      g_set_error (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_READ,
                   "The database %s has no audit log (schema version %u)",
                   hp_store_get_path (store), hp_store_get_schema_version (store));
      return NULL;
    }
  return g_steal_pointer (&self);
}

void
hp_audit_log_set_clock (HpAuditLog  *self,
                        HpClockFunc  clock,
                        gpointer     user_data)
{
  g_return_if_fail (HP_IS_AUDIT_LOG (self));

  self->clock = clock != NULL ? clock : real_clock;
  self->clock_data = clock != NULL ? user_data : NULL;
}

char *
hp_audit_actor_for_staff (gint64 staff_id)
{
  g_return_val_if_fail (staff_id > 0, NULL);
  return g_strdup_printf (ACTOR_STAFF_PREFIX "%" G_GINT64_FORMAT, staff_id);
}

typedef struct {
  gint64 seq;
  guint8 mac[HP_AUDIT_MAC_SIZE];
  gboolean head_mac_good;
} Head;

static gboolean
blob_is_mac (sqlite3_stmt *stmt,
             int           column)
{
  return sqlite3_column_type (stmt, column) == SQLITE_BLOB
         && sqlite3_column_bytes (stmt, column) == HP_AUDIT_MAC_SIZE;
}

/* Reads the head and checks its own MAC. FALSE only when it cannot be
 * read or is missing or malformed. */
static gboolean
read_head (HpAuditLog  *self,
           Head        *head,
           GError     **error)
{
  g_autoptr(HpAuditStatement) stmt = NULL;
  int rc;

  stmt = prepare (self, "SELECT seq, mac, head_mac FROM audit_head WHERE id = 1",
                  HP_AUDIT_ERROR_READ, error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return sql_failed (self, HP_AUDIT_ERROR_READ, "read", error);
  if (rc == SQLITE_DONE || sqlite3_column_type (stmt, 0) != SQLITE_INTEGER
      || sqlite3_column_int64 (stmt, 0) < 0 || !blob_is_mac (stmt, 1))
    {
      g_set_error (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_TAMPERED,
                   "The record of the audit log's newest entry is missing or damaged");
      return FALSE;
    }

  head->seq = sqlite3_column_int64 (stmt, 0);
  memcpy (head->mac, sqlite3_column_blob (stmt, 1), HP_AUDIT_MAC_SIZE);
  if (head->seq == 0)
    {
      /* The empty log, as schema step 4 made it. */
      head->head_mac_good = sqlite3_column_type (stmt, 2) == SQLITE_NULL
                            && CRYPTO_memcmp (head->mac, zero_mac, HP_AUDIT_MAC_SIZE) == 0;
    }
  else
    {
      guint8 expected[HP_AUDIT_MAC_SIZE];

      if (!hp_audit_head_compute_mac (self->key, self->key_len, head->seq, head->mac, expected))
        {
          g_set_error (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_READ,
                       "Cannot compute an HMAC for the audit log");
          return FALSE;
        }
      head->head_mac_good = blob_is_mac (stmt, 2)
                            && CRYPTO_memcmp (expected, sqlite3_column_blob (stmt, 2),
                                              HP_AUDIT_MAC_SIZE) == 0;
    }
  return TRUE;
}

/* Cheap check before extending the chain: the head is genuine and the
 * newest row is the one it names. */
static gboolean
check_tail (HpAuditLog  *self,
            const Head  *head,
            GError     **error)
{
  g_autoptr(HpAuditStatement) stmt = NULL;
  gboolean matches;
  int rc;

  stmt = prepare (self, "SELECT seq, mac FROM audit_log ORDER BY seq DESC LIMIT 1",
                  HP_AUDIT_ERROR_READ, error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    matches = head->seq == 0 && head->head_mac_good;
  else if (rc == SQLITE_ROW)
    matches = head->head_mac_good
              && sqlite3_column_int64 (stmt, 0) == head->seq
              && blob_is_mac (stmt, 1)
              && CRYPTO_memcmp (sqlite3_column_blob (stmt, 1), head->mac, HP_AUDIT_MAC_SIZE) == 0;
  else
    return sql_failed (self, HP_AUDIT_ERROR_READ, "read", error);

  if (!matches)
    {
      g_set_error (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_TAMPERED,
                   "The audit log's newest entry does not match its head; "
                   "nothing more is added until it is examined (healthpost-ctl audit verify)");
      return FALSE;
    }
  return TRUE;
}

static gboolean
append_locked (HpAuditLog  *self,
               const char  *actor,
               const char  *action,
               const char  *detail,
               GError     **error)
{
  g_autoptr(HpAuditStatement) insert = NULL;
  g_autoptr(HpAuditStatement) update = NULL;
  guint8 mac[HP_AUDIT_MAC_SIZE];
  guint8 head_mac[HP_AUDIT_MAC_SIZE];
  HpAuditRow row = { 0 };
  Head head = { 0 };

  if (!read_head (self, &head, error) || !check_tail (self, &head, error))
    return FALSE;
  if (head.seq == G_MAXINT64)
    {
      g_set_error (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_WRITE, "The audit log is full");
      return FALSE;
    }

  row.seq = head.seq + 1;
  row.time = self->clock (self->clock_data);
  row.actor = (const guint8 *) actor;
  row.actor_len = strlen (actor);
  row.action = (const guint8 *) action;
  row.action_len = strlen (action);
  row.detail = (const guint8 *) detail;
  row.detail_len = strlen (detail);
  if (!hp_audit_row_compute_mac (self->key, self->key_len, head.mac, &row, mac)
      || !hp_audit_head_compute_mac (self->key, self->key_len, row.seq, mac, head_mac))
    {
      g_set_error (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_WRITE,
                   "Cannot compute an HMAC for the audit log");
      return FALSE;
    }

  insert = prepare (self, "INSERT INTO audit_log (seq, at, actor, action, detail, prev_mac, mac) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    HP_AUDIT_ERROR_WRITE, error);
  if (insert == NULL)
    return FALSE;
  sqlite3_bind_int64 (insert, 1, row.seq);
  sqlite3_bind_int64 (insert, 2, row.time);
  sqlite3_bind_text (insert, 3, actor, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 4, action, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 5, detail, -1, SQLITE_STATIC);
  sqlite3_bind_blob (insert, 6, head.mac, HP_AUDIT_MAC_SIZE, SQLITE_STATIC);
  sqlite3_bind_blob (insert, 7, mac, HP_AUDIT_MAC_SIZE, SQLITE_STATIC);
  if (sqlite3_step (insert) != SQLITE_DONE)
    return sql_failed (self, HP_AUDIT_ERROR_WRITE, "write", error);

  update = prepare (self, "UPDATE audit_head SET seq = ?1, mac = ?2, head_mac = ?3 WHERE id = 1",
                    HP_AUDIT_ERROR_WRITE, error);
  if (update == NULL)
    return FALSE;
  sqlite3_bind_int64 (update, 1, row.seq);
  sqlite3_bind_blob (update, 2, mac, HP_AUDIT_MAC_SIZE, SQLITE_STATIC);
  sqlite3_bind_blob (update, 3, head_mac, HP_AUDIT_MAC_SIZE, SQLITE_STATIC);
  if (sqlite3_step (update) != SQLITE_DONE || sqlite3_changes (get_db (self)) != 1)
    return sql_failed (self, HP_AUDIT_ERROR_WRITE, "write", error);
  return TRUE;
}

gboolean
hp_audit_append (HpAuditLog  *self,
                 const char  *actor,
                 const char  *action,
                 const char  *detail,
                 GError     **error)
{
  sqlite3 *db;
  gboolean own_transaction;

  g_return_val_if_fail (HP_IS_AUDIT_LOG (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (detail == NULL)
    detail = "";
  /* The refused text stays out of the message: it may be what should not
   * have been written. */
  if (actor == NULL || !hp_audit_actor_is_valid (actor, strlen (actor)))
    {
      g_set_error_literal (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_INVALID,
                           "An audit entry needs an actor: kiosk, system or staff:ID");
      return FALSE;
    }
  if (action == NULL || !hp_audit_action_is_valid (action, strlen (action)))
    {
      g_set_error_literal (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_INVALID,
                           "An audit action is a short code such as staff.login");
      return FALSE;
    }
  if (!hp_audit_detail_is_valid (detail, strlen (detail)))
    {
      g_set_error (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_INVALID,
                   "An audit detail is at most %d printable ASCII characters",
                   HP_AUDIT_DETAIL_MAX_LENGTH);
      return FALSE;
    }

  db = get_db (self);
  own_transaction = sqlite3_get_autocommit (db);
  /* Our own transaction takes the write lock at once; inside the caller's,
   * a savepoint lets a failure here undo only what this call wrote. */
  if (sqlite3_exec (db, own_transaction ? "BEGIN IMMEDIATE" : "SAVEPOINT hp_audit_append",
                    NULL, NULL, NULL) != SQLITE_OK)
    return sql_failed (self, HP_AUDIT_ERROR_WRITE, "write", error);

  if (append_locked (self, actor, action, detail, error))
    {
      if (sqlite3_exec (db, own_transaction ? "COMMIT" : "RELEASE hp_audit_append",
                        NULL, NULL, NULL) == SQLITE_OK)
        return TRUE;
      sql_failed (self, HP_AUDIT_ERROR_WRITE, "write", error);
    }

  if (own_transaction)
    {
      if (!sqlite3_get_autocommit (db))
        sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
    }
  else
    {
      sqlite3_exec (db, "ROLLBACK TO hp_audit_append", NULL, NULL, NULL);
      sqlite3_exec (db, "RELEASE hp_audit_append", NULL, NULL, NULL);
    }
  return FALSE;
}

static gboolean
chain_broken (gint64      *first_bad_seq,
              gint64       seq,
              GError     **error,
              const char  *format,
              ...) G_GNUC_PRINTF (4, 5);

static gboolean
chain_broken (gint64      *first_bad_seq,
              gint64       seq,
              GError     **error,
              const char  *format,
              ...)
{
  va_list args;

  *first_bad_seq = seq;
  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (HP_AUDIT_ERROR, HP_AUDIT_ERROR_TAMPERED,
                                                format, args));
  va_end (args);
  return FALSE;
}

static gboolean
verify_locked (HpAuditLog  *self,
               gint64      *first_bad_seq,
               GError     **error)
{
  g_autoptr(HpAuditStatement) select = NULL;
  guint8 chain[HP_AUDIT_MAC_SIZE];
  gint64 expected = 1;
  gint64 last;
  Head head = { 0 };
  int rc;

  memcpy (chain, zero_mac, sizeof chain);
  select = prepare (self, "SELECT seq, at, actor, action, detail, prev_mac, mac "
                          "FROM audit_log ORDER BY seq",
                    HP_AUDIT_ERROR_READ, error);
  if (select == NULL)
    return FALSE;

  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      HpAuditRow row = { 0 };

      row.seq = sqlite3_column_int64 (select, 0);
      if (row.seq > expected)
        return chain_broken (first_bad_seq, expected, error,
                             "Audit entry %" G_GINT64_FORMAT " is missing", expected);
      if (row.seq != expected || sqlite3_column_type (select, 1) != SQLITE_INTEGER)
        return chain_broken (first_bad_seq, row.seq, error,
                             "Audit entry %" G_GINT64_FORMAT " is out of place", row.seq);

      row.time = sqlite3_column_int64 (select, 1);
      /* _blob() before _bytes(), as sqlite3 asks: reads any type as bytes. */
      row.actor = sqlite3_column_blob (select, 2);
      row.actor_len = (gsize) sqlite3_column_bytes (select, 2);
      row.action = sqlite3_column_blob (select, 3);
      row.action_len = (gsize) sqlite3_column_bytes (select, 3);
      row.detail = sqlite3_column_blob (select, 4);
      row.detail_len = (gsize) sqlite3_column_bytes (select, 4);
      row.prev_mac = sqlite3_column_blob (select, 5);
      row.prev_mac_len = (gsize) sqlite3_column_bytes (select, 5);
      row.mac = sqlite3_column_blob (select, 6);
      row.mac_len = (gsize) sqlite3_column_bytes (select, 6);
      /* An empty detail reads back as NULL. */
      if (row.detail == NULL && row.detail_len == 0)
        row.detail = (const guint8 *) "";

      if (!hp_audit_row_check (self->key, self->key_len, chain, &row))
        return chain_broken (first_bad_seq, row.seq, error,
                             "Audit entry %" G_GINT64_FORMAT " was altered or moved, "
                             "or the log was written with another key", row.seq);
      memcpy (chain, row.mac, sizeof chain);
      expected++;
    }
  if (rc != SQLITE_DONE)
    return sql_failed (self, HP_AUDIT_ERROR_READ, "read", error);

  last = expected - 1;
  if (!read_head (self, &head, error))
    {
      if (g_error_matches (*error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_TAMPERED))
        *first_bad_seq = MAX (last, 1);
      return FALSE;
    }
  if (head.seq > last)
    return chain_broken (first_bad_seq, last + 1, error,
                         "Audit entries %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT
                         " are missing from the end", last + 1, head.seq);
  if (head.seq < last)
    return chain_broken (first_bad_seq, head.seq + 1, error,
                         "Audit entries from %" G_GINT64_FORMAT " on were added past the "
                         "log's head", head.seq + 1);
  if (!head.head_mac_good || CRYPTO_memcmp (head.mac, chain, HP_AUDIT_MAC_SIZE) != 0)
    return chain_broken (first_bad_seq, MAX (last, 1), error,
                         "The audit log's head does not seal entry %" G_GINT64_FORMAT,
                         MAX (last, 1));
  return TRUE;
}

gboolean
hp_audit_verify (HpAuditLog  *self,
                 gint64      *first_bad_seq,
                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 bad = 0;
  sqlite3 *db;
  gboolean good;

  g_return_val_if_fail (HP_IS_AUDIT_LOG (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  db = get_db (self);
  /* One snapshot for the rows and the head, even while the kiosk writes. */
  if (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    return sql_failed (self, HP_AUDIT_ERROR_READ, "read", error);
  good = verify_locked (self, &bad, &local_error);
  if (!sqlite3_get_autocommit (db))
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);

  if (first_bad_seq != NULL)
    *first_bad_seq = good ? 0 : bad;
  if (!good)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return good;
}

gint64
hp_audit_count (HpAuditLog  *self,
                GError     **error)
{
  g_autoptr(HpAuditStatement) stmt = NULL;

  g_return_val_if_fail (HP_IS_AUDIT_LOG (self), -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  stmt = prepare (self, "SELECT count(*) FROM audit_log", HP_AUDIT_ERROR_READ, error);
  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sql_failed (self, HP_AUDIT_ERROR_READ, "read", error);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  const guint8 *bytes = sqlite3_column_blob (stmt, column);
  int len = sqlite3_column_bytes (stmt, column);

  return bytes != NULL ? g_strndup ((const char *) bytes, (gsize) len) : g_strdup ("");
}

GPtrArray *
hp_audit_list (HpAuditLog  *self,
               gint64       since,
               GError     **error)
{
  g_autoptr(HpAuditStatement) select = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  int rc;

  g_return_val_if_fail (HP_IS_AUDIT_LOG (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  select = prepare (self, "SELECT seq, at, actor, action, detail FROM audit_log "
                          "WHERE at >= ?1 ORDER BY seq",
                    HP_AUDIT_ERROR_READ, error);
  if (select == NULL)
    return NULL;
  sqlite3_bind_int64 (select, 1, since);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) hp_audit_entry_free);
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      HpAuditEntry *entry = g_new0 (HpAuditEntry, 1);

      entry->seq = sqlite3_column_int64 (select, 0);
      entry->time = sqlite3_column_int64 (select, 1);
      entry->actor = column_text (select, 2);
      entry->action = column_text (select, 3);
      entry->detail = column_text (select, 4);
      g_ptr_array_add (entries, entry);
    }
  if (rc != SQLITE_DONE)
    {
      sql_failed (self, HP_AUDIT_ERROR_READ, "read", error);
      return NULL;
    }
  return g_steal_pointer (&entries);
}
