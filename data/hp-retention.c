/* Retention: the kiosk forgets visits once their retention period has passed. */
#include "hp-retention.h"
#include "hp-sql-private.h"
#include "hp-store-private.h"

G_DEFINE_QUARK (hp-retention-error-quark, hp_retention_error)

#define USEC_PER_DAY ((gint64) 86400 * G_USEC_PER_SEC)

static void
set_sql_error (HpStore           *store,
               HpRetentionError   code,
               const char        *what,
               GError           **error)
{
  hp_sql_set_error (error, HP_RETENTION_ERROR, code, sqlite3_extended_errcode (hp_store_get_db (store)),
                    NULL, "Retention in %s: %s failed", hp_store_get_path (store), what);
}

static gboolean
exec (HpStore           *store,
      const char        *sql,
      HpRetentionError   code,
      const char        *what,
      GError           **error)
{
  if (sqlite3_exec (hp_store_get_db (store), sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      set_sql_error (store, code, what, error);
      return FALSE;
    }
  return TRUE;
}

/* Runs @sql, a DELETE with the cut-off as ?1; the number of rows deleted,
 * or -1 on error. */
static gint64
delete_before (HpStore     *store,
               const char  *sql,
               gint64       cutoff,
               const char  *what,
               GError     **error)
{
  sqlite3 *db = hp_store_get_db (store);
  sqlite3_stmt *delete = NULL;
  gint64 deleted = -1;

  if (sqlite3_prepare_v2 (db, sql, -1, &delete, NULL) == SQLITE_OK)
    {
      sqlite3_bind_int64 (delete, 1, cutoff);
      if (sqlite3_step (delete) == SQLITE_DONE)
        deleted = sqlite3_changes64 (db);
    }
  if (deleted < 0)
    set_sql_error (store, HP_RETENTION_ERROR_DELETE, what, error);
  sqlite3_finalize (delete);
  return deleted;
}

/* Measurements and their values go with their visit: ON DELETE CASCADE. */
static gint64
delete_expired (HpStore  *store,
                gint64    cutoff,
                GError  **error)
{
  return delete_before (store, "DELETE FROM visits WHERE finished_at < ?1", cutoff,
                        "deleting visits", error);
}

/* Patients none of whose visits are left, created and last recognised
 * before @cutoff too. Before PINs (schema 5) a patient is never recognised
 * without a visit, and is kept. */
static gint64
delete_forgotten_patients (HpStore  *store,
                           gint64    cutoff,
                           GError  **error)
{
  if (hp_store_get_schema_version (store) < HP_STORE_PATIENT_PIN_VERSION)
    return 0;
  return delete_before (store,
                        "DELETE FROM patients WHERE max (created_at, last_seen) < ?1 "
                        "AND NOT EXISTS (SELECT 1 FROM visits "
                        "                WHERE visits.patient_id = patients.id)",
                        cutoff, "deleting patients", error);
}

/* Counts of wrong PINs for codes no patient here holds, left alone for the
 * retention period: forgotten, as a patient not seen for as long is. */
static gint64
delete_forgotten_code_attempts (HpStore  *store,
                                gint64    cutoff,
                                GError  **error)
{
  if (hp_store_get_schema_version (store) < HP_STORE_CODE_ATTEMPTS_SEEN_VERSION)
    return 0;
  return delete_before (store,
                        "DELETE FROM code_attempts WHERE max (last_attempt, locked_until) < ?1",
                        cutoff, "forgetting wrong PINs of unknown codes", error);
}

/* Moves every page back into the main file and empties the write-ahead
 * log, whose frames would otherwise still hold the rows as they were. */
static gboolean
truncate_wal (HpStore  *store,
              gint64    deleted,
              GError  **error)
{
  sqlite3 *db = hp_store_get_db (store);
  int busy = 0, log_frames = 0, checkpointed = 0;
  int rc;

  rc = sqlite3_wal_checkpoint_v2 (db, NULL, SQLITE_CHECKPOINT_TRUNCATE, &log_frames, &checkpointed);
  if (rc == SQLITE_BUSY)
    busy = 1;
  else if (rc != SQLITE_OK)
    {
      return hp_sql_set_error (error, HP_RETENTION_ERROR, HP_RETENTION_ERROR_CHECKPOINT, rc, NULL,
                               "Retention in %s deleted %" G_GINT64_FORMAT " visits, but clearing "
                               "the write-ahead log failed", hp_store_get_path (store), deleted);
    }
  if (busy || (log_frames > 0 && checkpointed != log_frames))
    {
      g_set_error (error, HP_RETENTION_ERROR, HP_RETENTION_ERROR_CHECKPOINT,
                   "Retention in %s deleted %" G_GINT64_FORMAT " visits, but another "
                   "connection is reading, so the write-ahead log still holds old pages; "
                   "run retention again later",
                   hp_store_get_path (store), deleted);
      return FALSE;
    }
  return TRUE;
}

gint64
hp_retention_run (HpStore     *store,
                  HpAuditLog  *audit,
                  const char  *actor,
                  guint        retention_days,
                  gint64       now,
                  GError     **error)
{
  sqlite3 *db;
  sqlite3_stmt *query = NULL;
  g_autofree char *detail = NULL;
  g_autoptr(GError) anchor_error = NULL;
  gboolean was_secure = FALSE;
  gint64 deleted;
  gint64 patients;
  gint64 code_attempts;
  gint64 cutoff;

  g_return_val_if_fail (HP_IS_STORE (store), -1);
  g_return_val_if_fail (HP_IS_AUDIT_LOG (audit), -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  if (retention_days < HP_RETENTION_DAYS_MIN || retention_days > HP_RETENTION_DAYS_MAX)
    {
      g_set_error (error, HP_RETENTION_ERROR, HP_RETENTION_ERROR_INVALID,
                   "A retention period is %d to %d days, not %u",
                   HP_RETENTION_DAYS_MIN, HP_RETENTION_DAYS_MAX, retention_days);
      return -1;
    }

  db = hp_store_get_db (store);
  if (!sqlite3_get_autocommit (db))
    {
      g_set_error_literal (error, HP_RETENTION_ERROR, HP_RETENTION_ERROR_DELETE,
                           "Retention runs in a transaction of its own");
      return -1;
    }

  /* Freed space is zeroed as rows go, so the deleted values do not linger
   * in free pages of the main file. The connection's setting is put back
   * afterwards. */
  if (sqlite3_prepare_v2 (db, "PRAGMA secure_delete", -1, &query, NULL) == SQLITE_OK
      && sqlite3_step (query) == SQLITE_ROW)
    was_secure = sqlite3_column_int (query, 0) == 1;
  sqlite3_finalize (query);
  if (!exec (store, "PRAGMA secure_delete = ON", HP_RETENTION_ERROR_DELETE,
             "turning on secure deletion", error))
    return -1;

  if (!exec (store, "BEGIN IMMEDIATE", HP_RETENTION_ERROR_DELETE, "starting", error))
    goto failed;
  cutoff = now - (gint64) retention_days * USEC_PER_DAY;
  deleted = delete_expired (store, cutoff, error);
  if (deleted < 0)
    goto failed;
  patients = delete_forgotten_patients (store, cutoff, error);
  if (patients < 0)
    goto failed;
  code_attempts = delete_forgotten_code_attempts (store, cutoff, error);
  if (code_attempts < 0)
    goto failed;
  detail = g_strdup_printf ("deleted=%" G_GINT64_FORMAT " days=%u", deleted, retention_days);
  if (!hp_audit_append (audit, actor, "retention.run", detail, error))
    goto failed;
  if (patients > 0)
    {
      g_free (detail);
      detail = g_strdup_printf ("deleted=%" G_GINT64_FORMAT " days=%u", patients, retention_days);
      if (!hp_audit_append (audit, actor, "retention.patients", detail, error))
        goto failed;
    }
  if (code_attempts > 0)
    {
      g_free (detail);
      detail = g_strdup_printf ("deleted=%" G_GINT64_FORMAT " days=%u", code_attempts, retention_days);
      if (!hp_audit_append (audit, actor, "retention.code-attempts", detail, error))
        goto failed;
    }
  if (!exec (store, "COMMIT", HP_RETENTION_ERROR_DELETE, "committing", error))
    goto failed;
  if (!hp_audit_log_anchor (audit, &anchor_error))
    g_warning ("%s", anchor_error->message);

  if (!was_secure)
    sqlite3_exec (db, "PRAGMA secure_delete = OFF", NULL, NULL, NULL);
  if (!truncate_wal (store, deleted, error))
    return -1;
  return deleted;

failed:
  if (!sqlite3_get_autocommit (db))
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  if (!was_secure)
    sqlite3_exec (db, "PRAGMA secure_delete = OFF", NULL, NULL, NULL);
  return -1;
}
