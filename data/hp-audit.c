/* The tamper-evident audit log: who did what at the kiosk, chained with HMAC-SHA256. */
#include "hp-audit.h"
#include "hp-audit-chain.h"
#include "hp-audit-private.h"
#include "hp-secret.h"
#include "hp-sql-private.h"
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
      hp_secret_wipe (self->key, self->key_len);
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

static gboolean
sql_failed (HpAuditLog   *self,
            HpAuditError  code,
            const char   *what,
            GError      **error)
{
  return hp_sql_set_error (error, HP_AUDIT_ERROR, code, sqlite3_extended_errcode (get_db (self)),
                           NULL, "Cannot %s the audit log in %s",
                           what, hp_store_get_path (self->store));
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

static gboolean
anchored (HpAuditLog *self)
{
  return hp_store_get_schema_version (self->store) >= HP_AUDIT_ANCHORED_VERSION;
}

static gboolean
read_head (HpAuditLog   *self,
           HpAuditHead  *head,
           GError      **error)
{
  return hp_audit_chain_read_head (get_db (self), hp_store_get_path (self->store),
                                   self->key, self->key_len, head, error);
}

/* The MAC stored for entry @seq into @mac: TRUE with @found FALSE when
 * there is no such row (or its MAC is malformed), FALSE when the log
 * cannot be read. */
static gboolean
read_entry_mac (HpAuditLog  *self,
                gint64       seq,
                gboolean    *found,
                guint8      *mac,
                GError     **error)
{
  g_autoptr(HpAuditStatement) stmt = NULL;
  int rc;

  *found = FALSE;
  stmt = prepare (self, "SELECT mac FROM audit_log WHERE seq = ?1", HP_AUDIT_ERROR_READ, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *found = sqlite3_column_type (stmt, 0) == SQLITE_BLOB
               && sqlite3_column_bytes (stmt, 0) == HP_AUDIT_MAC_SIZE;
      if (*found)
        memcpy (mac, sqlite3_column_blob (stmt, 0), HP_AUDIT_MAC_SIZE);
      return TRUE;
    }
  if (rc == SQLITE_DONE)
    return TRUE;
  return sql_failed (self, HP_AUDIT_ERROR_READ, "read", error);
}

/* Compares the database's head @head with the anchored one: the anchor may
 * lag (a crash between a commit and its anchoring), never lead, and the
 * entry it names must still be in the chain. Sets @first_bad to the first
 * entry that the comparison shows missing or replaced. */
static gboolean
check_anchor (HpAuditLog         *self,
              const HpAuditHead  *head,
              gint64             *first_bad,
              HpAuditHead        *anchor,
              GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  guint8 mac[HP_AUDIT_MAC_SIZE];
  gboolean found = FALSE;

  *first_bad = 0;
  if (!hp_audit_anchor_read (hp_store_get_path (self->store), self->key, self->key_len,
                             anchor, &local_error))
    {
      *first_bad = head->seq + 1;
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_TAMPERED,
                     "The audit log's anchor is missing: entries after %" G_GINT64_FORMAT
                     " may have been cut off (%s)", head->seq, local_error->message);
      else if (local_error->domain == HP_AUDIT_ERROR)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        {
          *first_bad = 0;
          g_set_error (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_READ, "%s", local_error->message);
        }
      return FALSE;
    }
  if (anchor->seq > head->seq)
    {
      *first_bad = head->seq + 1;
      g_set_error (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_TAMPERED,
                   "Audit entries %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT " are missing "
                   "from the end: the database's newest entry is %" G_GINT64_FORMAT
                   ", its anchor records %" G_GINT64_FORMAT,
                   head->seq + 1, anchor->seq, head->seq, anchor->seq);
      return FALSE;
    }
  if (!read_entry_mac (self, anchor->seq, &found, mac, error))
    return FALSE;
  if (!found || CRYPTO_memcmp (mac, anchor->mac, HP_AUDIT_MAC_SIZE) != 0)
    {
      *first_bad = MAX (anchor->seq, 1);
      g_set_error (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_TAMPERED,
                   "Audit entry %" G_GINT64_FORMAT " is not the one its anchor records",
                   anchor->seq);
      return FALSE;
    }
  return TRUE;
}

/* Cheap check before extending the chain: the head is genuine, the newest
 * row is the one it names, and (from HP_AUDIT_ANCHORED_VERSION on) the log
 * is not empty and its anchor is not ahead. */
static gboolean
check_tail (HpAuditLog         *self,
            const HpAuditHead  *head,
            GError            **error)
{
  g_autoptr(HpAuditStatement) stmt = NULL;
  HpAuditHead anchor;
  gint64 first_bad = 0;
  gboolean matches;
  int rc;

  stmt = prepare (self, "SELECT seq, mac FROM audit_log ORDER BY seq DESC LIMIT 1",
                  HP_AUDIT_ERROR_READ, error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    matches = head->seq == 0 && head->sealed && !anchored (self);
  else if (rc == SQLITE_ROW)
    matches = head->sealed
              && sqlite3_column_int64 (stmt, 0) == head->seq
              && sqlite3_column_type (stmt, 1) == SQLITE_BLOB
              && sqlite3_column_bytes (stmt, 1) == HP_AUDIT_MAC_SIZE
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
  if (anchored (self) && !check_anchor (self, head, &first_bad, &anchor, error))
    {
      g_prefix_error (error, "Nothing more is added to the audit log until it is examined "
                             "(healthpost-ctl audit verify): ");
      return FALSE;
    }
  return TRUE;
}

static gboolean
append_locked (HpAuditLog   *self,
               const char   *actor,
               const char   *action,
               const char   *detail,
               HpAuditHead  *new_head,
               GError      **error)
{
  HpAuditHead head;

  if (!read_head (self, &head, error) || !check_tail (self, &head, error))
    return FALSE;
  return hp_audit_chain_extend (get_db (self), hp_store_get_path (self->store),
                                self->key, self->key_len, &head,
                                self->clock (self->clock_data), actor, action, detail,
                                new_head, error);
}

/* After a commit: the anchor follows the head. A failure is told but not
 * returned, for the entry is in; the anchor lags until the next one. */
static void
anchor_committed (HpAuditLog        *self,
                  const HpAuditHead *head)
{
  g_autoptr(GError) error = NULL;

  if (anchored (self) && !hp_audit_anchor_write (hp_store_get_path (self->store), head, &error))
    g_warning ("%s", error->message);
}

gboolean
hp_audit_log_is_anchored (HpAuditLog *self)
{
  g_return_val_if_fail (HP_IS_AUDIT_LOG (self), FALSE);
  return anchored (self);
}

gboolean
hp_audit_log_anchor (HpAuditLog  *self,
                     GError     **error)
{
  HpAuditHead head;
  HpAuditHead anchor;
  gint64 first_bad = 0;

  g_return_val_if_fail (HP_IS_AUDIT_LOG (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Inside a transaction the head may not be committed yet. */
  if (!anchored (self) || !sqlite3_get_autocommit (get_db (self)))
    return TRUE;
  if (!read_head (self, &head, error))
    return FALSE;
  if (!head.sealed)
    {
      g_set_error_literal (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_TAMPERED,
                           "The audit log's head is not genuine; it is not anchored");
      return FALSE;
    }
  if (!check_anchor (self, &head, &first_bad, &anchor, error))
    return FALSE;
  if (anchor.seq == head.seq)
    return TRUE;
  return hp_audit_anchor_write (hp_store_get_path (self->store), &head, error);
}

gboolean
hp_audit_append (HpAuditLog  *self,
                 const char  *actor,
                 const char  *action,
                 const char  *detail,
                 GError     **error)
{
  HpAuditHead new_head;
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

  if (append_locked (self, actor, action, detail, &new_head, error))
    {
      if (sqlite3_exec (db, own_transaction ? "COMMIT" : "RELEASE hp_audit_append",
                        NULL, NULL, NULL) == SQLITE_OK)
        {
          if (own_transaction)
            anchor_committed (self, &new_head);
          return TRUE;
        }
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
  HpAuditHead head;
  HpAuditHead anchor;
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
  if (!head.sealed || CRYPTO_memcmp (head.mac, chain, HP_AUDIT_MAC_SIZE) != 0)
    return chain_broken (first_bad_seq, MAX (last, 1), error,
                         "The audit log's head does not seal entry %" G_GINT64_FORMAT,
                         MAX (last, 1));
  if (!anchored (self))
    return TRUE;
  /* From schema step 8 on the log starts with a keyed entry. */
  if (last == 0)
    return chain_broken (first_bad_seq, 1, error,
                         "The audit log is empty, though it keeps the entry that started it: "
                         "it was erased");
  return check_anchor (self, &head, first_bad_seq, &anchor, error);
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
