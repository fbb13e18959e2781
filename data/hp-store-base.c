/* HpStore itself: the type and its errors, the statements it prepares once, running SQL and write transactions, and the error and time helpers every part of the store shares. */
#include "hp-store.h"
#include "hp-secret.h"
#include "hp-store-private.h"

#include <sqlite3.h>

#include "hp-crypto.h"
#include "hp-sql-private.h"

static const char * const statement_sql[HP_STORE_N_STMTS] = {
  /* From HP_STORE_VISIT_HEIGHT_VERSION on. */
  [HP_STORE_STMT_SET_VISIT_HEIGHT] =
    "UPDATE visits SET height = ?1 WHERE id = ?2",
  [HP_STORE_STMT_SELECT_VISIT_HEIGHT] =
    "SELECT height FROM visits WHERE id = ?1",
  [HP_STORE_STMT_INSERT_VISIT] =
    "INSERT INTO visits (id, started_at, finished_at, language, patient_id) "
    "VALUES (?1, ?2, ?3, ?4, ?5)",
  /* A reading already stored under the same dedupe key is skipped. */
  [HP_STORE_STMT_INSERT_MEASUREMENT] =
    "INSERT INTO measurements "
    "(id, visit_id, position, kind, kiosk_time, reading, dedupe_key) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
    "ON CONFLICT (dedupe_key) DO NOTHING",
  [HP_STORE_STMT_MAX_MEASUREMENT_ID] =
    "SELECT coalesce (max (id), 0) FROM measurements",
  [HP_STORE_STMT_SELECT_VISIT] =
    "SELECT v.started_at, v.finished_at, v.language, v.patient_id, p.code "
    "FROM visits v LEFT JOIN patients p ON p.id = v.patient_id WHERE v.id = ?1",
  [HP_STORE_STMT_SELECT_MEASUREMENTS] =
    "SELECT id, kind, kiosk_time, reading "
    "FROM measurements WHERE visit_id = ?1 ORDER BY position",
  [HP_STORE_STMT_COUNT_VISITS] =
    "SELECT count(*) FROM visits",
  [HP_STORE_STMT_LIST_VISIT_IDS] =
    "SELECT id FROM visits ORDER BY finished_at DESC, id DESC LIMIT ?1",
  [HP_STORE_STMT_FIND_PATIENT] =
    "SELECT id FROM patients WHERE lookup = ?1",
  [HP_STORE_STMT_INSERT_PATIENT] =
    "INSERT INTO patients (id, lookup, code, created_at) VALUES (?1, ?2, ?3, ?4)",
  [HP_STORE_STMT_MAX_PATIENT_ID] =
    "SELECT coalesce (max (id), 0) FROM patients",
  /* From HP_STORE_PATIENT_PIN_VERSION on: deleted patients' ids count too. */
  [HP_STORE_STMT_MAX_PATIENT_ID_EVER] =
    "SELECT max (coalesce ((SELECT max (id) FROM patients), 0), "
    "            (SELECT highest FROM patient_id_watermark WHERE id = 1))",
  [HP_STORE_STMT_LIST_PATIENT_VISITS] =
    "SELECT id FROM visits WHERE patient_id = ?1 "
    "ORDER BY started_at DESC, id DESC LIMIT ?2",
  [HP_STORE_STMT_SELECT_DATA_KEYS] =
    "SELECT id, purpose, wrapped FROM data_keys ORDER BY id",
  [HP_STORE_STMT_INSERT_DATA_KEY] =
    "INSERT INTO data_keys (id, purpose, created_at, wrapped) VALUES (?1, ?2, ?3, ?4)",
  [HP_STORE_STMT_MAX_DATA_KEY_ID] =
    "SELECT coalesce (max (id), 0) FROM data_keys",
  [HP_STORE_STMT_GET_SETTING] =
    "SELECT value FROM settings WHERE key = ?1",
  [HP_STORE_STMT_SET_SETTING] =
    "INSERT INTO settings (key, value) VALUES (?1, ?2) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
};

G_DEFINE_FINAL_TYPE (HpStore, hp_store, G_TYPE_OBJECT)

/* What a store error carries besides its code and message: a lock's
 * remaining time, which a screen shows and should not read from text.
 * GLib hands these functions the private part of an error of this domain,
 * never NULL; the checks only satisfy the compiler's analysis. */
typedef struct {
  guint locked_seconds;
} HpStoreErrorPrivate;

static void
hp_store_error_private_init (HpStoreErrorPrivate *priv)
{
  if (priv != NULL)
    priv->locked_seconds = 0;
}

static void
hp_store_error_private_copy (const HpStoreErrorPrivate *src,
                             HpStoreErrorPrivate       *dest)
{
  if (src != NULL && dest != NULL)
    dest->locked_seconds = src->locked_seconds;
}

static void
hp_store_error_private_clear (HpStoreErrorPrivate *priv)
{
  if (priv != NULL)
    priv->locked_seconds = 0;
}

/* GLib places the private part before the error, aligned to twice a
 * pointer's size; the macro's cast from a byte pointer cannot show clang
 * that, so its alignment warning is silenced here alone. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcast-align"
G_DEFINE_EXTENDED_ERROR (HpStoreError, hp_store_error)
#pragma GCC diagnostic pop

guint
hp_store_error_get_locked_seconds (const GError *error)
{
  HpStoreErrorPrivate *priv;

  if (!g_error_matches (error, HP_STORE_ERROR, HP_STORE_ERROR_PATIENT_LOCKED))
    return 0;
  priv = hp_store_error_get_private (error);
  return priv != NULL ? MAX (priv->locked_seconds, 1) : 1;
}

void
hp_store_error_set_locked_seconds (GError *error,
                                   guint   seconds)
{
  HpStoreErrorPrivate *priv;

  g_return_if_fail (g_error_matches (error, HP_STORE_ERROR, HP_STORE_ERROR_PATIENT_LOCKED));
  priv = hp_store_error_get_private (error);
  if (priv != NULL)
    priv->locked_seconds = seconds;
}

static gint64
real_clock (gpointer user_data G_GNUC_UNUSED)
{
  return g_get_real_time ();
}

void
hp_store_return_statement (sqlite3_stmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

void
hp_store_data_key_clear (gpointer data)
{
  hp_secret_wipe (data, sizeof (HpStoreDataKey));
}

void
hp_store_lock_keys (HpStore *self)
{
  self->unlocked = FALSE;
  g_array_set_size (self->field_keys, 0);
  hp_secret_wipe (self->dedupe_key, sizeof self->dedupe_key);
  hp_secret_wipe (self->lookup_key, sizeof self->lookup_key);
}

static void
hp_store_finalize (GObject *object)
{
  HpStore *self = HP_STORE (object);

  for (guint i = 0; i < HP_STORE_N_STMTS; i++)
    g_clear_pointer (&self->statements[i], sqlite3_finalize);
  /* close_v2 never fails for want of finalized statements; they all are. */
  g_clear_pointer (&self->db, sqlite3_close_v2);
  g_free (self->path);
  hp_store_lock_keys (self);
  g_clear_pointer (&self->field_keys, g_array_unref);
  g_clear_object (&self->keyring);

  G_OBJECT_CLASS (hp_store_parent_class)->finalize (object);
}

static void
hp_store_class_init (HpStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hp_store_finalize;
}

static void
hp_store_init (HpStore *self)
{
  self->clock = real_clock;
  self->field_keys = g_array_new (FALSE, TRUE, sizeof (HpStoreDataKey));
  g_array_set_clear_func (self->field_keys, hp_store_data_key_clear);
}

gboolean
hp_store_exec_sql (HpStore      *self,
                   const char   *sql,
                   HpStoreError  code,
                   const char   *what,
                   GError      **error)
{
  char *message = NULL;
  int rc;

  rc = sqlite3_exec (self->db, sql, NULL, NULL, &message);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, HP_STORE_ERROR, hp_sql_store_error_code (rc, code),
                   "%s failed in %s: %s", what, self->path,
                   message != NULL ? message : sqlite3_errstr (rc));
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

void
hp_store_rollback (HpStore *self)
{
  /* Some errors (I/O, full disk) have already rolled the transaction back. */
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

sqlite3_stmt *
hp_store_get_statement (HpStore             *self,
                        HpStoreStatementId   id,
                        HpStoreError         code,
                        GError             **error)
{
  if (self->statements[id] == NULL)
    {
      int rc = sqlite3_prepare_v3 (self->db, statement_sql[id], -1,
                                   SQLITE_PREPARE_PERSISTENT,
                                   &self->statements[id], NULL);

      if (rc != SQLITE_OK)
        {
          g_set_error (error, HP_STORE_ERROR, hp_sql_store_error_code (rc, code),
                       "Cannot prepare a statement on %s: %s",
                       self->path, sqlite3_errmsg (self->db));
          return NULL;
        }
    }
  return self->statements[id];
}

gboolean
hp_store_read_failed (HpStore     *self,
                      const char  *what,
                      GError     **error)
{
  int rc = sqlite3_extended_errcode (self->db);

  return hp_sql_set_error (error, HP_STORE_ERROR, hp_sql_store_error_code (rc, HP_STORE_ERROR_OPEN),
                           rc, NULL, "Cannot read %s from %s", what, self->path);
}

gboolean
hp_store_damaged_row (HpStore     *self,
                      const char  *what,
                      GError     **error)
{
  g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_CORRUPT,
               "The database %s holds %s this build cannot read", self->path, what);
  return FALSE;
}

gboolean
hp_store_crypto_failed (GError      *cause,
                        const char  *what,
                        GError     **error)
{
  g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_CRYPTO,
               "%s failed: %s", what, cause->message);
  return FALSE;
}

/* Reads a "SELECT coalesce (max (id), 0)" statement: the next free id. */
gboolean
hp_store_next_id (HpStore             *self,
                  HpStoreStatementId   id,
                  sqlite3_int64       *next,
                  GError             **error)
{
  g_auto(HpBorrowedStatement) select = NULL;
  sqlite3_int64 last;
  int rc;

  select = hp_store_get_statement (self, id, HP_STORE_ERROR_WRITE, error);
  if (select == NULL)
    return FALSE;
  rc = sqlite3_step (select);
  if (rc != SQLITE_ROW)
    return hp_sql_set_error (error, HP_STORE_ERROR, hp_sql_store_error_code (rc, HP_STORE_ERROR_WRITE),
                             rc, NULL, "Cannot number a new row in %s", self->path);
  last = sqlite3_column_int64 (select, 0);
  if (last < 0 || last == G_MAXINT64)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_CORRUPT,
                   "The database %s has a row id out of range", self->path);
      return FALSE;
    }
  *next = last + 1;
  return TRUE;
}

gboolean
hp_store_seal_failed (HpStore      *self,
                      const char   *what,
                      HpStoreError  code,
                      GError      **error)
{
  int rc = sqlite3_extended_errcode (self->db);

  return hp_sql_set_error (error, HP_STORE_ERROR, hp_sql_store_error_code (rc, code), rc, NULL,
                           "Sealing the plaintext rows of %s failed at %s", self->path, what);
}

const char *
hp_store_get_path (HpStore *self)
{
  g_return_val_if_fail (HP_IS_STORE (self), NULL);
  return self->path;
}

guint
hp_store_get_schema_version (HpStore *self)
{
  g_return_val_if_fail (HP_IS_STORE (self), 0);
  return self->schema_version;
}

HpKeyring *
hp_store_get_keyring (HpStore *self)
{
  g_return_val_if_fail (HP_IS_STORE (self), NULL);
  return self->keyring;
}

/* Runs @change in a write transaction of its own, all or nothing. */
gboolean
hp_store_in_write_transaction (HpStore     *self,
                               const char  *what,
                               gboolean   (*change) (HpStore *self, gpointer data, GError **error),
                               gpointer     data,
                               GError     **error)
{
  if (!hp_store_exec_sql (self, "BEGIN IMMEDIATE", HP_STORE_ERROR_WRITE, what, error))
    return FALSE;
  if (!change (self, data, error))
    {
      hp_store_rollback (self);
      return FALSE;
    }
  if (!hp_store_exec_sql (self, "COMMIT", HP_STORE_ERROR_WRITE, what, error))
    {
      hp_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

void
hp_store_set_clock (HpStore     *self,
                    HpClockFunc  clock,
                    gpointer     user_data)
{
  g_return_if_fail (HP_IS_STORE (self));

  self->clock = clock != NULL ? clock : real_clock;
  self->clock_data = clock != NULL ? user_data : NULL;
}

gint64
hp_store_now (HpStore *self)
{
  g_return_val_if_fail (HP_IS_STORE (self), 0);
  return self->clock (self->clock_data);
}

sqlite3 *
hp_store_get_db (HpStore *self)
{
  g_return_val_if_fail (HP_IS_STORE (self), NULL);
  return self->db;
}
