/* The kiosk's local record of visits: an SQLite file kept with versioned migrations. */
#include "hp-store.h"
#include "hp-store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include <glib/gstdio.h>

#include "hp-data-resources.h"

#define MIGRATIONS_PATH "/org/healthpost/data/migrations/"

/* Written by migration 0001-visits.sql: 'HPST'. */
#define HP_STORE_APPLICATION_ID 0x48505354

/* Long enough to wait out the admin CLI's short writes, short enough that a
 * stuck lock surfaces as an error instead of a frozen kiosk. */
#define HP_STORE_BUSY_TIMEOUT_MS 5000

typedef enum {
  STMT_INSERT_VISIT,
  STMT_INSERT_MEASUREMENT,
  STMT_INSERT_VALUE,
  STMT_SELECT_VISIT,
  STMT_SELECT_MEASUREMENTS,
  STMT_SELECT_VALUES,
  STMT_COUNT_VISITS,
  STMT_LIST_VISIT_IDS,
  N_STMTS
} StatementId;

static const char * const statement_sql[N_STMTS] = {
  [STMT_INSERT_VISIT] =
    "INSERT INTO visits (id, started_at, finished_at, language) "
    "VALUES (?1, ?2, ?3, ?4)",
  [STMT_INSERT_MEASUREMENT] =
    "INSERT INTO measurements "
    "(visit_id, position, kind, device_id, device_time, kiosk_time, flags) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
  [STMT_INSERT_VALUE] =
    "INSERT INTO measurement_values (measurement_id, quantity, value, unit) "
    "VALUES (?1, ?2, ?3, ?4)",
  [STMT_SELECT_VISIT] =
    "SELECT started_at, finished_at, language FROM visits WHERE id = ?1",
  [STMT_SELECT_MEASUREMENTS] =
    "SELECT id, kind, device_id, device_time, kiosk_time, flags "
    "FROM measurements WHERE visit_id = ?1 ORDER BY position",
  [STMT_SELECT_VALUES] =
    "SELECT quantity, value, unit FROM measurement_values "
    "WHERE measurement_id = ?1",
  [STMT_COUNT_VISITS] =
    "SELECT count(*) FROM visits",
  [STMT_LIST_VISIT_IDS] =
    "SELECT id FROM visits ORDER BY finished_at DESC, id DESC LIMIT ?1",
};

struct _HpStore
{
  GObject parent_instance;

  char *path;
  sqlite3 *db;
  guint schema_version;
  sqlite3_stmt *statements[N_STMTS];
};

G_DEFINE_FINAL_TYPE (HpStore, hp_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (hp-store-error-quark, hp_store_error)

/* A cached statement borrowed for one use: leaving the scope resets it and
 * drops its bindings, so no bound value outlives the call that bound it. */
typedef sqlite3_stmt *HpBorrowedStatement;

static void
return_statement (sqlite3_stmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (HpBorrowedStatement, return_statement, NULL)

typedef struct {
  guint version;
  char *name;
} MigrationStep;

static void
migration_step_free (MigrationStep *step)
{
  if (step == NULL)
    return;
  g_free (step->name);
  g_free (step);
}

static void
hp_store_finalize (GObject *object)
{
  HpStore *self = HP_STORE (object);

  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&self->statements[i], sqlite3_finalize);
  /* close_v2 never fails for want of finalized statements; they all are. */
  g_clear_pointer (&self->db, sqlite3_close_v2);
  g_free (self->path);

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
  (void) self;
}

/* Damage to the file is reported as such wherever it is found, so callers
 * can tell a broken disk from a refused write. */
static HpStoreError
error_code_for (int          rc,
                HpStoreError otherwise)
{
  switch (rc & 0xff)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return HP_STORE_ERROR_CORRUPT;
    default:
      return otherwise;
    }
}

static gint64
datetime_to_usec (GDateTime *datetime)
{
  return g_date_time_to_unix (datetime) * G_USEC_PER_SEC
         + g_date_time_get_microsecond (datetime);
}

static GDateTime *
datetime_from_usec (gint64 usec)
{
  gint64 seconds = usec / G_USEC_PER_SEC;
  gint64 rest = usec % G_USEC_PER_SEC;
  g_autoptr(GDateTime) whole = NULL;

  if (rest < 0)
    {
      seconds -= 1;
      rest += G_USEC_PER_SEC;
    }
  whole = g_date_time_new_from_unix_utc (seconds);
  if (whole == NULL)
    return NULL;
  return g_date_time_add (whole, rest);
}

static gboolean
exec_sql (HpStore      *self,
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
      g_set_error (error, HP_STORE_ERROR, error_code_for (rc, code),
                   "%s failed in %s: %s", what, self->path,
                   message != NULL ? message : sqlite3_errstr (rc));
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

static void
rollback (HpStore *self)
{
  /* Some errors (I/O, full disk) have already rolled the transaction back. */
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Reads a pragma or query that yields one integer; the SQL is ours, never
 * built from data. */
static gboolean
query_int (HpStore      *self,
           const char   *sql,
           HpStoreError  code,
           gint64       *value,
           GError      **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *value = sqlite3_column_int64 (stmt, 0);
          rc = SQLITE_OK;
        }
      else if (rc == SQLITE_DONE)
        {
          rc = SQLITE_ERROR;
        }
    }
  if (rc != SQLITE_OK)
    {
      int code_rc = sqlite3_extended_errcode (self->db);

      g_set_error (error, HP_STORE_ERROR,
                   error_code_for (code_rc, code),
                   "Cannot read the database %s (%s): %s",
                   self->path, sql, sqlite3_errmsg (self->db));
    }
  sqlite3_finalize (stmt);
  return rc == SQLITE_OK;
}

static sqlite3_stmt *
get_statement (HpStore      *self,
               StatementId   id,
               HpStoreError  code,
               GError      **error)
{
  if (self->statements[id] == NULL)
    {
      int rc = sqlite3_prepare_v3 (self->db, statement_sql[id], -1,
                                   SQLITE_PREPARE_PERSISTENT,
                                   &self->statements[id], NULL);

      if (rc != SQLITE_OK)
        {
          g_set_error (error, HP_STORE_ERROR, error_code_for (rc, code),
                       "Cannot prepare a statement on %s: %s",
                       self->path, sqlite3_errmsg (self->db));
          return NULL;
        }
    }
  return self->statements[id];
}

/* The steps compiled into this build, sorted, numbered 1…n without gaps. */
static GPtrArray *
load_migration_steps (GError **error)
{
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func ((GDestroyNotify) migration_step_free);
  g_auto(GStrv) names = NULL;
  g_autoptr(GError) local_error = NULL;
  guint n_names;

  names = g_resource_enumerate_children (hp_data_get_resource (), MIGRATIONS_PATH,
                                         G_RESOURCE_LOOKUP_FLAGS_NONE, &local_error);
  if (names == NULL)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_MIGRATION,
                   "This build carries no schema steps: %s", local_error->message);
      return NULL;
    }

  n_names = g_strv_length (names);
  g_ptr_array_set_size (steps, n_names);
  for (guint i = 0; i < n_names; i++)
    {
      const char *name = names[i];
      guint64 number = 0;
      MigrationStep *step;

      if (strlen (name) < 10
          || !g_str_has_suffix (name, ".sql")
          || name[4] != '-'
          || !g_ascii_isdigit (name[0]) || !g_ascii_isdigit (name[1])
          || !g_ascii_isdigit (name[2]) || !g_ascii_isdigit (name[3]))
        {
          g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_MIGRATION,
                       "Schema step %s is not named NNNN-name.sql", name);
          return NULL;
        }
      number = g_ascii_strtoull (name, NULL, 10);
      if (number < 1 || number > n_names || g_ptr_array_index (steps, number - 1) != NULL)
        {
          g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_MIGRATION,
                       "Schema step %s is out of sequence (%u steps)", name, n_names);
          return NULL;
        }
      step = g_new0 (MigrationStep, 1);
      step->version = (guint) number;
      step->name = g_strdup (name);
      g_ptr_array_index (steps, number - 1) = step;
    }
  return g_steal_pointer (&steps);
}

guint
hp_store_get_latest_schema_version (void)
{
  g_autoptr(GPtrArray) steps = load_migration_steps (NULL);

  return steps != NULL ? steps->len : 0;
}

/* Runs one schema step and its version bump as one transaction. Re-reads the
 * version under the write lock: another process may have migrated since. */
static gboolean
apply_step (HpStore       *self,
            MigrationStep *step,
            GError       **error)
{
  g_autoptr(GBytes) script = NULL;
  g_autofree char *script_path = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *bump = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 current = 0;

  script_path = g_strconcat (MIGRATIONS_PATH, step->name, NULL);
  script = g_resource_lookup_data (hp_data_get_resource (), script_path,
                                   G_RESOURCE_LOOKUP_FLAGS_NONE, &local_error);
  if (script == NULL)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_MIGRATION,
                   "Schema step %u (%s) cannot be read: %s",
                   step->version, step->name, local_error->message);
      return FALSE;
    }
  /* Resource data is NUL-terminated, but a copy makes that not matter. */
  sql = g_strndup (g_bytes_get_data (script, NULL), g_bytes_get_size (script));
  bump = g_strdup_printf ("PRAGMA user_version = %u", step->version);

  if (!exec_sql (self, "BEGIN IMMEDIATE", HP_STORE_ERROR_MIGRATION,
                 "Starting a schema step", &local_error))
    goto failed;
  if (!query_int (self, "PRAGMA user_version", HP_STORE_ERROR_MIGRATION,
                  &current, &local_error))
    goto failed;
  if (current >= step->version)
    {
      rollback (self);
      self->schema_version = (guint) MIN (current, (gint64) G_MAXUINT);
      return TRUE;
    }
  if (current != step->version - 1)
    {
      g_set_error (&local_error, HP_STORE_ERROR, HP_STORE_ERROR_MIGRATION,
                   "the database is at version %" G_GINT64_FORMAT, current);
      goto failed;
    }
  if (!exec_sql (self, sql, HP_STORE_ERROR_MIGRATION, "The schema script", &local_error)
      || !exec_sql (self, bump, HP_STORE_ERROR_MIGRATION, "The version bump", &local_error)
      || !exec_sql (self, "COMMIT", HP_STORE_ERROR_MIGRATION, "Committing", &local_error))
    goto failed;

  self->schema_version = step->version;
  return TRUE;

failed:
  rollback (self);
  g_set_error (error, HP_STORE_ERROR,
               local_error->code == HP_STORE_ERROR_CORRUPT ? HP_STORE_ERROR_CORRUPT
                                                           : HP_STORE_ERROR_MIGRATION,
               "Schema step %u (%s) failed; the database stays at version %u: %s",
               step->version, step->name, step->version - 1, local_error->message);
  return FALSE;
}

static gboolean
migrate (HpStore  *self,
         guint     target,
         GError  **error)
{
  g_autoptr(GPtrArray) steps = NULL;

  steps = load_migration_steps (error);
  if (steps == NULL)
    return FALSE;

  while (self->schema_version < target)
    {
      MigrationStep *step = g_ptr_array_index (steps, self->schema_version);

      if (!apply_step (self, step, error))
        return FALSE;
      if (self->schema_version > steps->len)
        {
          g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_TOO_NEW,
                       "The database %s was migrated to schema version %u by a newer "
                       "build meanwhile (this one knows %u)",
                       self->path, self->schema_version, steps->len);
          return FALSE;
        }
    }
  return TRUE;
}

/* Creates the file ourselves so it is born private: sqlite3 would create it
 * with 0644, and its -wal and -shm files copy the main file's mode. */
static gboolean
create_private_file (const char  *path,
                     GError     **error)
{
  int fd;

  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_OPEN,
                   "Cannot open or create the database %s: %s",
                   path, g_strerror (saved_errno));
      return FALSE;
    }
  return g_close (fd, error);
}

/* Each setting is read back: sqlite3 answers a pragma it cannot honour by
 * quietly keeping the old value (WAL on a file system without shared
 * memory, for one). */
static gboolean
configure_connection (HpStore  *self,
                      GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *journal_mode = NULL;
  gint64 value = 0;
  int rc;

  rc = sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    journal_mode = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    {
      g_set_error (error, HP_STORE_ERROR, error_code_for (rc, HP_STORE_ERROR_OPEN),
                   "Cannot set the journal mode of %s: %s",
                   self->path, sqlite3_errmsg (self->db));
      return FALSE;
    }
  if (g_strcmp0 (journal_mode, "wal") != 0)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_OPEN,
                   "Cannot use write-ahead logging on %s (journal mode stays '%s'); "
                   "its file system may not support shared memory or locking",
                   self->path, journal_mode != NULL ? journal_mode : "unknown");
      return FALSE;
    }

  if (!exec_sql (self, "PRAGMA synchronous = FULL", HP_STORE_ERROR_OPEN,
                 "Setting synchronous writes", error)
      || !query_int (self, "PRAGMA synchronous", HP_STORE_ERROR_OPEN, &value, error))
    return FALSE;
  if (value != 2)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_OPEN,
                   "Cannot make writes to %s synchronous", self->path);
      return FALSE;
    }

  if (!exec_sql (self, "PRAGMA foreign_keys = ON", HP_STORE_ERROR_OPEN,
                 "Enabling foreign keys", error)
      || !query_int (self, "PRAGMA foreign_keys", HP_STORE_ERROR_OPEN, &value, error))
    return FALSE;
  if (value != 1)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_OPEN,
                   "Cannot enable foreign keys on %s", self->path);
      return FALSE;
    }

  if (!query_int (self, "PRAGMA busy_timeout", HP_STORE_ERROR_OPEN, &value, error))
    return FALSE;
  if (value != HP_STORE_BUSY_TIMEOUT_MS)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_OPEN,
                   "Cannot set a busy timeout on %s", self->path);
      return FALSE;
    }
  return TRUE;
}

static HpStore *
open_store (const char  *path,
            guint        target,
            GError     **error)
{
  g_autoptr(HpStore) self = NULL;
  gint64 application_id = 0;
  gint64 version = 0;
  guint latest;
  int rc;

  latest = hp_store_get_latest_schema_version ();
  if (latest == 0)
    {
      g_autoptr(GPtrArray) steps = load_migration_steps (error);

      if (steps != NULL)
        g_set_error_literal (error, HP_STORE_ERROR, HP_STORE_ERROR_MIGRATION,
                             "This build carries no schema steps");
      return NULL;
    }
  if (target > latest)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_INVALID,
                   "Schema version %u is unknown to this build (latest %u)",
                   target, latest);
      return NULL;
    }

  if (!create_private_file (path, error))
    return NULL;

  self = g_object_new (HP_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  /* No SQLITE_OPEN_CREATE: the file exists with the right mode by now, and
   * should it vanish meanwhile, an error beats a world-readable copy. */
  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_EXRESCODE, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, HP_STORE_ERROR, error_code_for (rc, HP_STORE_ERROR_OPEN),
                   "Cannot open the database %s: %s", path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, HP_STORE_BUSY_TIMEOUT_MS);
  /* Refuses the few statements that can corrupt a file even when well-formed. */
  sqlite3_db_config (self->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
  sqlite3_db_config (self->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);

  /* Everything up to here only reads, so a file that is not ours, or is
   * newer than this build, is left exactly as it was found. */
  if (!query_int (self, "PRAGMA application_id", HP_STORE_ERROR_OPEN,
                  &application_id, error)
      || !query_int (self, "PRAGMA user_version", HP_STORE_ERROR_OPEN,
                     &version, error))
    return NULL;
  if ((version != 0 || application_id != 0) && application_id != HP_STORE_APPLICATION_ID)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_CORRUPT,
                   "The database %s does not belong to Healthpost", path);
      return NULL;
    }
  if (version < 0 || version > latest)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_TOO_NEW,
                   "The database %s has schema version %" G_GINT64_FORMAT
                   ", newer than this build knows (%u)", path, version, latest);
      return NULL;
    }
  self->schema_version = (guint) version;

  if (!configure_connection (self, error))
    return NULL;
  if (!migrate (self, target, error))
    return NULL;

  return g_steal_pointer (&self);
}

HpStore *
hp_store_open (const char  *path,
               GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return open_store (path, hp_store_get_latest_schema_version (), error);
}

HpStore *
hp_store_open_at_version (const char  *path,
                          guint        version,
                          GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return open_store (path, version, error);
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

/* Refuses what the schema would refuse less clearly, before any write. */
static gboolean
check_visit (HpVisit  *visit,
             GError  **error)
{
  GListModel *measurements = hp_visit_get_measurements (visit);
  guint n = g_list_model_get_n_items (measurements);

  if (!hp_visit_is_finished (visit))
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_INVALID,
                   "Visit %s is not finished", hp_visit_get_id (visit));
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HpMeasurement) measurement = g_list_model_get_item (measurements, i);

      for (guint q = 0; q <= HP_QUANTITY_LAST; q++)
        {
          double value = 0.0;

          /* sqlite3 would store NaN as NULL. The value stays out of the message. */
          if (hp_measurement_get_value (measurement, q, &value, NULL) && !isfinite (value))
            {
              g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_INVALID,
                           "Measurement %u of visit %s has a %s value that is not a number",
                           i + 1, hp_visit_get_id (visit),
                           hp_quantity_to_string ((HpQuantity) q));
              return FALSE;
            }
        }
    }
  return TRUE;
}

/* Error messages from here name the failing part and sqlite3's generic
 * reason, never sqlite3_errmsg(): that can quote values. */
static gboolean
write_failed (HpStore     *self,
              HpVisit     *visit,
              const char  *part,
              GError     **error)
{
  int rc = sqlite3_extended_errcode (self->db);

  g_set_error (error, HP_STORE_ERROR, error_code_for (rc, HP_STORE_ERROR_WRITE),
               "Cannot store visit %s: writing %s failed (%s); nothing of it was kept",
               hp_visit_get_id (visit), part, sqlite3_errstr (rc));
  return FALSE;
}

static gboolean
insert_measurement (HpStore        *self,
                    HpVisit        *visit,
                    HpMeasurement  *measurement,
                    guint           position,
                    GError        **error)
{
  g_auto(HpBorrowedStatement) insert = NULL;
  g_autofree char *part = NULL;
  GDateTime *device_time;
  sqlite3_int64 measurement_id;

  part = g_strdup_printf ("measurement %u", position + 1);
  insert = get_statement (self, STMT_INSERT_MEASUREMENT, HP_STORE_ERROR_WRITE, error);
  if (insert == NULL)
    return FALSE;

  device_time = hp_measurement_get_device_time (measurement);
  sqlite3_bind_text (insert, 1, hp_visit_get_id (visit), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 2, position);
  sqlite3_bind_text (insert, 3,
                     hp_measurement_kind_to_string (hp_measurement_get_kind (measurement)),
                     -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 4, hp_measurement_get_device_id (measurement), -1, SQLITE_STATIC);
  if (device_time != NULL)
    sqlite3_bind_int64 (insert, 5, datetime_to_usec (device_time));
  else
    sqlite3_bind_null (insert, 5);
  sqlite3_bind_int64 (insert, 6, datetime_to_usec (hp_measurement_get_kiosk_time (measurement)));
  sqlite3_bind_int64 (insert, 7, (sqlite3_int64) hp_measurement_get_flags (measurement));
  if (sqlite3_step (insert) != SQLITE_DONE)
    return write_failed (self, visit, part, error);
  measurement_id = sqlite3_last_insert_rowid (self->db);

  for (guint q = 0; q <= HP_QUANTITY_LAST; q++)
    {
      g_auto(HpBorrowedStatement) insert_value = NULL;
      const char *unit = NULL;
      double value = 0.0;

      if (!hp_measurement_get_value (measurement, q, &value, &unit))
        continue;
      insert_value = get_statement (self, STMT_INSERT_VALUE, HP_STORE_ERROR_WRITE, error);
      if (insert_value == NULL)
        return FALSE;
      sqlite3_bind_int64 (insert_value, 1, measurement_id);
      sqlite3_bind_text (insert_value, 2, hp_quantity_to_string ((HpQuantity) q), -1, SQLITE_STATIC);
      sqlite3_bind_double (insert_value, 3, value);
      sqlite3_bind_text (insert_value, 4, unit, -1, SQLITE_STATIC);
      if (sqlite3_step (insert_value) != SQLITE_DONE)
        {
          g_autofree char *value_part = g_strdup_printf ("a value of measurement %u", position + 1);

          return write_failed (self, visit, value_part, error);
        }
    }
  return TRUE;
}

static gboolean
insert_visit (HpStore  *self,
              HpVisit  *visit,
              GError  **error)
{
  GListModel *measurements = hp_visit_get_measurements (visit);
  guint n = g_list_model_get_n_items (measurements);

  {
    g_auto(HpBorrowedStatement) insert = NULL;

    insert = get_statement (self, STMT_INSERT_VISIT, HP_STORE_ERROR_WRITE, error);
    if (insert == NULL)
      return FALSE;
    sqlite3_bind_text (insert, 1, hp_visit_get_id (visit), -1, SQLITE_STATIC);
    sqlite3_bind_int64 (insert, 2, datetime_to_usec (hp_visit_get_started_at (visit)));
    sqlite3_bind_int64 (insert, 3, datetime_to_usec (hp_visit_get_finished_at (visit)));
    sqlite3_bind_text (insert, 4, hp_visit_get_language (visit), -1, SQLITE_STATIC);
    if (sqlite3_step (insert) != SQLITE_DONE)
      {
        /* The first copy stays as it was; telling this apart lets the
         * caller treat a repeated commit as done. */
        if (sqlite3_extended_errcode (self->db) == SQLITE_CONSTRAINT_PRIMARYKEY)
          {
            g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_INVALID,
                         "Visit %s is already stored; the stored copy is kept",
                         hp_visit_get_id (visit));
            return FALSE;
          }
        return write_failed (self, visit, "the visit", error);
      }
  }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HpMeasurement) measurement = g_list_model_get_item (measurements, i);

      if (!insert_measurement (self, visit, measurement, i, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
hp_store_commit_visit (HpStore  *self,
                       HpVisit  *visit,
                       GError  **error)
{
  g_return_val_if_fail (HP_IS_STORE (self), FALSE);
  g_return_val_if_fail (HP_IS_VISIT (visit), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_visit (visit, error))
    return FALSE;

  /* IMMEDIATE takes the write lock now, so a busy database fails here,
   * before anything is written, instead of halfway. */
  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return write_failed (self, visit, "the transaction start", error);

  if (!insert_visit (self, visit, error))
    {
      rollback (self);
      return FALSE;
    }
  if (sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    {
      write_failed (self, visit, "the commit", error);
      rollback (self);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_failed (HpStore     *self,
             const char  *what,
             GError     **error)
{
  int rc = sqlite3_extended_errcode (self->db);

  g_set_error (error, HP_STORE_ERROR, error_code_for (rc, HP_STORE_ERROR_OPEN),
               "Cannot read %s from %s (%s)", what, self->path, sqlite3_errstr (rc));
  return FALSE;
}

static gboolean
damaged_row (HpStore     *self,
             const char  *what,
             GError     **error)
{
  g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_CORRUPT,
               "The database %s holds %s this build cannot read", self->path, what);
  return FALSE;
}

static gboolean
load_values (HpStore        *self,
             HpMeasurement  *measurement,
             sqlite3_int64   measurement_id,
             GError        **error)
{
  g_auto(HpBorrowedStatement) select = NULL;
  int rc;

  select = get_statement (self, STMT_SELECT_VALUES, HP_STORE_ERROR_OPEN, error);
  if (select == NULL)
    return FALSE;
  sqlite3_bind_int64 (select, 1, measurement_id);
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      const char *quantity_name = (const char *) sqlite3_column_text (select, 0);
      const char *unit = (const char *) sqlite3_column_text (select, 2);
      HpQuantity quantity;

      if (!hp_quantity_from_string (quantity_name, &quantity)
          || sqlite3_column_type (select, 1) == SQLITE_NULL
          || unit == NULL)
        return damaged_row (self, "a measured value", error);
      hp_measurement_set_value (measurement, quantity,
                                sqlite3_column_double (select, 1), unit);
    }
  if (rc != SQLITE_DONE)
    return read_failed (self, "measured values", error);
  return TRUE;
}

static gboolean
load_measurements (HpStore  *self,
                   HpVisit  *visit,
                   GError  **error)
{
  g_auto(HpBorrowedStatement) select = NULL;
  int rc;

  select = get_statement (self, STMT_SELECT_MEASUREMENTS, HP_STORE_ERROR_OPEN, error);
  if (select == NULL)
    return FALSE;
  sqlite3_bind_text (select, 1, hp_visit_get_id (visit), -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      g_autoptr(HpMeasurement) measurement = NULL;
      g_autoptr(GDateTime) kiosk_time = NULL;
      HpMeasurementKind kind;

      if (!hp_measurement_kind_from_string ((const char *) sqlite3_column_text (select, 1), &kind))
        return damaged_row (self, "a measurement of an unknown kind", error);
      kiosk_time = datetime_from_usec (sqlite3_column_int64 (select, 4));
      if (kiosk_time == NULL)
        return damaged_row (self, "a measurement time", error);

      measurement = hp_measurement_new (kind);
      hp_measurement_set_kiosk_time (measurement, kiosk_time);
      hp_measurement_set_device_id (measurement, (const char *) sqlite3_column_text (select, 2));
      if (sqlite3_column_type (select, 3) != SQLITE_NULL)
        {
          g_autoptr(GDateTime) device_time = datetime_from_usec (sqlite3_column_int64 (select, 3));

          if (device_time == NULL)
            return damaged_row (self, "a device time", error);
          hp_measurement_set_device_time (measurement, device_time);
        }
      hp_measurement_set_flags (measurement, (HpMeasurementFlags) sqlite3_column_int64 (select, 5));
      if (!load_values (self, measurement, sqlite3_column_int64 (select, 0), error))
        return FALSE;
      hp_visit_add_measurement (visit, measurement);
    }
  if (rc != SQLITE_DONE)
    return read_failed (self, "measurements", error);
  return TRUE;
}

static HpVisit *
load_visit (HpStore     *self,
            const char  *visit_id,
            GError     **error)
{
  g_auto(HpBorrowedStatement) select = NULL;
  g_autoptr(HpVisit) visit = NULL;
  g_autoptr(GDateTime) started_at = NULL;
  g_autoptr(GDateTime) finished_at = NULL;
  const char *language;
  int rc;

  select = get_statement (self, STMT_SELECT_VISIT, HP_STORE_ERROR_OPEN, error);
  if (select == NULL)
    return NULL;
  sqlite3_bind_text (select, 1, visit_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (select);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_NOT_FOUND,
                   "No visit %s is stored", visit_id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      read_failed (self, "a visit", error);
      return NULL;
    }

  started_at = datetime_from_usec (sqlite3_column_int64 (select, 0));
  finished_at = datetime_from_usec (sqlite3_column_int64 (select, 1));
  language = (const char *) sqlite3_column_text (select, 2);
  if (started_at == NULL || finished_at == NULL || language == NULL || *language == '\0')
    {
      damaged_row (self, "a visit", error);
      return NULL;
    }
  visit = hp_visit_new_full (visit_id, started_at);
  hp_visit_set_finished_at (visit, finished_at);
  hp_visit_set_language (visit, language);

  if (!load_measurements (self, visit, error))
    return NULL;
  return g_steal_pointer (&visit);
}

HpVisit *
hp_store_load_visit (HpStore     *self,
                     const char  *visit_id,
                     GError     **error)
{
  HpVisit *visit;

  g_return_val_if_fail (HP_IS_STORE (self), NULL);
  g_return_val_if_fail (visit_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* One read transaction, so the visit and its measurements come from the
   * same snapshot even while another connection writes. */
  if (!exec_sql (self, "BEGIN", HP_STORE_ERROR_OPEN, "Starting a read", error))
    return NULL;
  visit = load_visit (self, visit_id, error);
  rollback (self);
  return visit;
}

gint64
hp_store_count_visits (HpStore  *self,
                       GError  **error)
{
  g_auto(HpBorrowedStatement) select = NULL;

  g_return_val_if_fail (HP_IS_STORE (self), -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  select = get_statement (self, STMT_COUNT_VISITS, HP_STORE_ERROR_OPEN, error);
  if (select == NULL)
    return -1;
  if (sqlite3_step (select) != SQLITE_ROW)
    {
      read_failed (self, "the number of visits", error);
      return -1;
    }
  return sqlite3_column_int64 (select, 0);
}

GStrv
hp_store_list_visit_ids (HpStore  *self,
                         guint     limit,
                         GError  **error)
{
  g_auto(HpBorrowedStatement) select = NULL;
  g_autoptr(GStrvBuilder) ids = NULL;
  int rc;

  g_return_val_if_fail (HP_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  select = get_statement (self, STMT_LIST_VISIT_IDS, HP_STORE_ERROR_OPEN, error);
  if (select == NULL)
    return NULL;
  /* A negative LIMIT means no limit to sqlite3. */
  sqlite3_bind_int64 (select, 1, limit == 0 ? -1 : (sqlite3_int64) limit);

  ids = g_strv_builder_new ();
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (select, 0);

      if (id == NULL)
        {
          damaged_row (self, "a visit without an id", error);
          return NULL;
        }
      g_strv_builder_add (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      read_failed (self, "the list of visits", error);
      return NULL;
    }
  return g_strv_builder_end (ids);
}

sqlite3 *
hp_store_get_db (HpStore *self)
{
  g_return_val_if_fail (HP_IS_STORE (self), NULL);
  return self->db;
}
