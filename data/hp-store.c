/* The kiosk's local record of visits: creating, migrating and opening its SQLite file, whose private fields are sealed. */
#define _GNU_SOURCE
#include "hp-store.h"
#include "hp-secret.h"
#include "hp-store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "hp-audit-chain.h"
#include "hp-crypto.h"
#include "hp-data-resources.h"
#include "hp-sql-private.h"
#include "hp-sync-folder.h"

#define MIGRATIONS_PATH "/org/healthpost/data/migrations/"

/* Written by migration 0001-visits.sql: 'HPST'. */
#define HP_STORE_APPLICATION_ID 0x48505354

/* Long enough to wait out the admin CLI's short writes, short enough that a
 * stuck lock surfaces as an error instead of a frozen kiosk. */
#define HP_STORE_BUSY_TIMEOUT_MS 5000

/* From this schema version on, private fields are sealed and the store
 * needs a keyring (0003-sealed-fields.sql). */
#define FIRST_SEALED_VERSION 3

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
                   hp_sql_store_error_code (code_rc, code),
                   "Cannot read the database %s (%s): %s",
                   self->path, sql, sqlite3_errmsg (self->db));
    }
  sqlite3_finalize (stmt);
  return rc == SQLITE_OK;
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

static gboolean seal_plaintext_rows (HpStore  *self,
                                     GError  **error);

/* Schema steps that SQL alone cannot do run C code after their script, in
 * the same transaction. */
typedef gboolean (*MigrationCode) (HpStore  *self,
                                   GError  **error);

static gboolean
start_audit_chain (HpStore  *self,
                   GError  **error)
{
  return hp_audit_chain_start (self->db, self->path, self->keyring, hp_store_now (self), error);
}

static const struct {
  guint version;
  MigrationCode run;
} migration_code[] = {
  { FIRST_SEALED_VERSION, seal_plaintext_rows },
  { HP_AUDIT_ANCHORED_VERSION, start_audit_chain },
};

static MigrationCode
migration_code_for (guint version)
{
  for (guint i = 0; i < G_N_ELEMENTS (migration_code); i++)
    if (migration_code[i].version == version)
      return migration_code[i].run;
  return NULL;
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
  MigrationCode code = migration_code_for (step->version);
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

  if (!hp_store_exec_sql (self, "BEGIN IMMEDIATE", HP_STORE_ERROR_MIGRATION,
                          "Starting a schema step", &local_error))
    goto failed;
  if (!query_int (self, "PRAGMA user_version", HP_STORE_ERROR_MIGRATION,
                  &current, &local_error))
    goto failed;
  if (current >= step->version)
    {
      hp_store_rollback (self);
      self->schema_version = (guint) MIN (current, (gint64) G_MAXUINT);
      return TRUE;
    }
  if (current != step->version - 1)
    {
      g_set_error (&local_error, HP_STORE_ERROR, HP_STORE_ERROR_MIGRATION,
                   "the database is at version %" G_GINT64_FORMAT, current);
      goto failed;
    }
  if (!hp_store_exec_sql (self, sql, HP_STORE_ERROR_MIGRATION, "The schema script", &local_error)
      || (code != NULL && !code (self, &local_error))
      || !hp_store_exec_sql (self, bump, HP_STORE_ERROR_MIGRATION, "The version bump", &local_error)
      || !hp_store_exec_sql (self, "COMMIT", HP_STORE_ERROR_MIGRATION, "Committing", &local_error))
    goto failed;

  self->schema_version = step->version;
  return TRUE;

failed:
  hp_store_rollback (self);
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

/* A database no connection has open (it has no -wal) is read from a copy
 * in memory, so that reading makes not even SQLite's shared-memory files:
 * the file is read whole, and taken only if no -wal appeared and the file
 * did not change meanwhile (a kiosk starting). TRUE with *@db NULL when a
 * connection to the file itself is needed. */
static gboolean
open_snapshot (const char  *path,
               sqlite3    **db,
               GError     **error)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *contents = NULL;
  GStatBuf before;
  GStatBuf after;
  gsize length = 0;
  guint8 *image;
  int rc;

  *db = NULL;
  if (g_file_test (wal, G_FILE_TEST_EXISTS) || g_stat (path, &before) != 0)
    return TRUE;
  if (!g_file_get_contents (path, &contents, &length, error))
    return FALSE;
  if (g_file_test (wal, G_FILE_TEST_EXISTS) || g_stat (path, &after) != 0
      || before.st_size != after.st_size || before.st_mtim.tv_sec != after.st_mtim.tv_sec
      || before.st_mtim.tv_nsec != after.st_mtim.tv_nsec || (gsize) after.st_size != length
      || length < 100)
    return TRUE;

  image = sqlite3_malloc64 (length);
  if (image == NULL)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_OPEN,
                   "Not enough memory to read the database %s", path);
      return FALSE;
    }
  memcpy (image, contents, length);
  /* The header's WAL marks (bytes 18 and 19) made rollback ones: the copy
   * has no log to read, and an in-memory database cannot have one. */
  if (image[18] == 2 && image[19] == 2)
    image[18] = image[19] = 1;
  rc = sqlite3_open_v2 (":memory:", db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_EXRESCODE, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_deserialize (*db, "main", image, (sqlite3_int64) length, (sqlite3_int64) length,
                              SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY);
  else
    sqlite3_free (image);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_OPEN,
                   "Cannot read the database %s: %s", path, sqlite3_errstr (rc));
      g_clear_pointer (db, sqlite3_close);
      return FALSE;
    }
  return TRUE;
}

/* How open_store() treats the file: one found is brought up to the target
 * schema; one just made for creation is filled; a read-only one is only
 * read, never migrated or changed in any way. */
typedef enum {
  OPEN_MIGRATING,
  OPEN_CREATING,
  OPEN_READ_ONLY,
} OpenMode;

/* SQLite's own, and the audit log's anchor (hp-audit-chain.h). */
static const char * const companion_suffixes[] = { "-wal", "-shm", "-journal", ".audit-head" };

/* The database as found: a regular file only its owner can use, as its
 * -wal and -shm will copy its mode. An empty file is refused unless it was
 * just made here: the store never leaves one, so one found is damage. */
static gboolean
check_private_file (const char  *path,
                    OpenMode     mode,
                    GError     **error)
{
  struct stat info;
  int fd;

  fd = g_open (path, (mode == OPEN_READ_ONLY ? O_RDONLY : O_RDWR) | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_OPEN,
                   "Cannot open the database %s: %s",
                   path, g_strerror (saved_errno));
      return FALSE;
    }
  if (fstat (fd, &info) != 0 || !S_ISREG (info.st_mode))
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_OPEN,
                   "The database %s is not a regular file", path);
      g_close (fd, NULL);
      return FALSE;
    }
  /* Others able to read the file could read every new entry too: refused,
   * as a key file is. */
  if ((info.st_mode & 077) != 0)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_OPEN,
                   "The database %s can be read or written by others (mode %04o); "
                   "make it private with: chmod 600 %s",
                   path, (guint) (info.st_mode & 07777), path);
      g_close (fd, NULL);
      return FALSE;
    }
  if (info.st_size == 0 && mode != OPEN_CREATING)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_CORRUPT,
                   "The database %s is an empty file", path);
      g_close (fd, NULL);
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (companion_suffixes); i++)
    {
      g_autofree char *companion = g_strconcat (path, companion_suffixes[i], NULL);
      struct stat companion_info;

      if (g_lstat (companion, &companion_info) == 0
          && (companion_info.st_mode & 077) != 0)
        {
          g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_OPEN,
                       "The database file %s can be read or written by others "
                       "(mode %04o); make it private with: chmod 600 %s",
                       companion, (guint) (companion_info.st_mode & 07777), companion);
          g_close (fd, NULL);
          return FALSE;
        }
    }
  return g_close (fd, error);
}

gboolean
hp_store_sync_folder (const char  *path,
                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (hp_sync_folder (path, &local_error))
    return TRUE;
  g_set_error_literal (error, HP_STORE_ERROR, HP_STORE_ERROR_WRITE, local_error->message);
  return FALSE;
}

static void
remove_leftover_files (const char *path)
{
  g_unlink (path);
  for (guint i = 0; i < G_N_ELEMENTS (companion_suffixes); i++)
    {
      g_autofree char *companion = g_strconcat (path, companion_suffixes[i], NULL);

      g_unlink (companion);
    }
}

/* The new database's audit anchor to the name the database will have;
 * below HP_AUDIT_ANCHORED_VERSION there is none, and an older one there
 * belonged to a database that is gone. */
static gboolean
move_anchor (const char *creating,
             const char *path)
{
  g_autofree char *from = hp_audit_anchor_path (creating);
  g_autofree char *to = hp_audit_anchor_path (path);

  if (g_rename (from, to) == 0)
    return TRUE;
  return errno == ENOENT && (g_unlink (to) == 0 || errno == ENOENT);
}

static HpStore *open_store (const char  *path,
                            HpKeyring   *keyring,
                            guint        target,
                            OpenMode     mode,
                            GError     **error);

/* A new database is made whole under "@path.creating" and only then
 * renamed into place, so an interrupted first start leaves no half-made
 * database to be mistaken for a damaged one; the next start removes what
 * it left. */
static gboolean
create_database (const char  *path,
                 HpKeyring   *keyring,
                 guint        target,
                 GError     **error)
{
  g_autofree char *creating = g_strconcat (path, ".creating", NULL);
  g_autofree char *creating_wal = g_strconcat (creating, "-wal", NULL);
  g_autoptr(HpStore) store = NULL;
  int fd;
  int saved_errno = 0;

  remove_leftover_files (creating);
  fd = g_open (creating, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0600);
  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_OPEN,
                   "Cannot create the database %s: %s", creating, g_strerror (saved_errno));
      return FALSE;
    }
  g_close (fd, NULL);

  store = open_store (creating, keyring, target, OPEN_CREATING, error);
  if (store == NULL)
    {
      remove_leftover_files (creating);
      return FALSE;
    }
  /* The last connection closing folds the log into the file and removes it. */
  g_clear_object (&store);
  if (g_file_test (creating_wal, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_WRITE,
                   "The new database %s kept its write-ahead log open", creating);
      remove_leftover_files (creating);
      return FALSE;
    }

  fd = g_open (creating, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0 || fsync (fd) != 0)
    saved_errno = errno;
  if (fd >= 0)
    close (fd);
  /* The anchor goes first: one left without its database is replaced by
   * the next start's, while a database without its anchor would read as
   * a cut audit log. */
  if (saved_errno == 0 && !move_anchor (creating, path))
    saved_errno = errno;
  if (saved_errno == 0
      && renameat2 (AT_FDCWD, creating, AT_FDCWD, path, RENAME_NOREPLACE) != 0
      && errno != EEXIST)
    saved_errno = errno;
  if (saved_errno != 0)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_WRITE,
                   "Cannot put the new database in place as %s: %s",
                   path, g_strerror (saved_errno));
      remove_leftover_files (creating);
      return FALSE;
    }
  /* EEXIST: another start made it meanwhile, and that one is used. */
  remove_leftover_files (creating);
  return hp_store_sync_folder (path, error);
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
      g_set_error (error, HP_STORE_ERROR, hp_sql_store_error_code (rc, HP_STORE_ERROR_OPEN),
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

  if (!hp_store_exec_sql (self, "PRAGMA synchronous = FULL", HP_STORE_ERROR_OPEN,
                          "Setting synchronous writes", error)
      || !query_int (self, "PRAGMA synchronous", HP_STORE_ERROR_OPEN, &value, error))
    return FALSE;
  if (value != 2)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_OPEN,
                   "Cannot make writes to %s synchronous", self->path);
      return FALSE;
    }

  if (!hp_store_exec_sql (self, "PRAGMA foreign_keys = ON", HP_STORE_ERROR_OPEN,
                          "Enabling foreign keys", error)
      || !query_int (self, "PRAGMA foreign_keys", HP_STORE_ERROR_OPEN, &value, error))
    return FALSE;
  if (value != 1)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_OPEN,
                   "Cannot enable foreign keys on %s", self->path);
      return FALSE;
    }

  /* Deleted rows and freed pages are zeroed, not left behind: migrating to
   * sealed fields drops the plaintext tables, and their bytes must go too. */
  if (!hp_store_exec_sql (self, "PRAGMA secure_delete = ON", HP_STORE_ERROR_OPEN,
                          "Enabling secure delete", error)
      || !query_int (self, "PRAGMA secure_delete", HP_STORE_ERROR_OPEN, &value, error))
    return FALSE;
  if (value != 1)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_OPEN,
                   "Cannot enable secure delete on %s", self->path);
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

/* The C half of schema step 3: the first data keys, then every plaintext
 * measurement of schema 2 sealed under the same id, then the plaintext
 * tables dropped (secure_delete zeroes their pages). */
static gboolean
seal_plaintext_rows (HpStore  *self,
                     GError  **error)
{
  g_auto(HpOneOffStatement) rows = NULL;
  g_auto(HpOneOffStatement) values = NULL;
  int rc;

  if (self->keyring == NULL)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_INVALID,
                   "sealing fields needs a root key, and the store was opened without one");
      return FALSE;
    }
  hp_store_lock_keys (self);
  if (!hp_store_add_data_key (self, "field", NULL, error)
      || !hp_store_add_data_key (self, "dedupe", NULL, error))
    return FALSE;
  {
    guint8 kek[HP_CRYPTO_KEY_SIZE];
    gboolean derived = hp_store_derive_root_keys (self->keyring, kek, self->lookup_key, error);

    hp_secret_wipe (kek, sizeof kek);
    if (!derived)
      return FALSE;
  }
  self->unlocked = TRUE;

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT id, visit_id, position, kind, device_id, device_time, "
                          "kiosk_time, flags FROM v2_measurements ORDER BY id",
                          -1, &rows, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (self->db,
                             "SELECT quantity, value, unit FROM v2_measurement_values "
                             "WHERE measurement_id = ?1",
                             -1, &values, NULL) != SQLITE_OK)
    return hp_store_seal_failed (self, "reading the old tables", HP_STORE_ERROR_MIGRATION, error);

  while ((rc = sqlite3_step (rows)) == SQLITE_ROW)
    {
      g_autoptr(HpMeasurement) measurement = NULL;
      g_autoptr(GDateTime) kiosk_time = NULL;
      sqlite3_int64 id = sqlite3_column_int64 (rows, 0);
      const char *visit_id = (const char *) sqlite3_column_text (rows, 1);
      sqlite3_int64 position = sqlite3_column_int64 (rows, 2);
      const char *device_id = (const char *) sqlite3_column_text (rows, 4);
      gboolean inserted = FALSE;
      HpMeasurementKind kind;
      int value_rc;

      kiosk_time = hp_time_from_usec (sqlite3_column_int64 (rows, 6));
      if (visit_id == NULL || position < 0 || position > G_MAXUINT || kiosk_time == NULL
          || !hp_measurement_kind_from_string ((const char *) sqlite3_column_text (rows, 3), &kind))
        return hp_store_damaged_row (self, "a measurement", error);
      measurement = hp_measurement_new (kind);
      hp_measurement_set_kiosk_time (measurement, kiosk_time);
      hp_measurement_set_device_id (measurement, device_id);
      hp_measurement_set_flags (measurement, (HpMeasurementFlags) sqlite3_column_int64 (rows, 7));
      if (sqlite3_column_type (rows, 5) != SQLITE_NULL)
        {
          g_autoptr(GDateTime) device_time = hp_time_from_usec (sqlite3_column_int64 (rows, 5));

          if (device_time == NULL)
            return hp_store_damaged_row (self, "a device time", error);
          hp_measurement_set_device_time (measurement, device_time);
        }

      sqlite3_reset (values);
      sqlite3_bind_int64 (values, 1, id);
      while ((value_rc = sqlite3_step (values)) == SQLITE_ROW)
        {
          const char *unit = (const char *) sqlite3_column_text (values, 2);
          HpQuantity quantity;

          if (!hp_quantity_from_string ((const char *) sqlite3_column_text (values, 0), &quantity)
              || sqlite3_column_type (values, 1) == SQLITE_NULL || unit == NULL || *unit == '\0'
              || !isfinite (sqlite3_column_double (values, 1)))
            return hp_store_damaged_row (self, "a measured value", error);
          hp_measurement_set_value (measurement, quantity, sqlite3_column_double (values, 1), unit);
        }
      if (value_rc != SQLITE_DONE)
        return hp_store_seal_failed (self, "reading measured values", HP_STORE_ERROR_MIGRATION, error);

      if (!hp_store_insert_measurement_row (self, id, NULL, visit_id, (guint) position, measurement,
                                            TRUE, &inserted, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    return hp_store_seal_failed (self, "reading measurements", HP_STORE_ERROR_MIGRATION, error);
  g_clear_pointer (&rows, sqlite3_finalize);
  g_clear_pointer (&values, sqlite3_finalize);

  return hp_store_exec_sql (self, "DROP TABLE v2_measurement_values; DROP TABLE v2_measurements",
                            HP_STORE_ERROR_MIGRATION, "Dropping the plaintext tables", error);
}

static HpStore *
open_store (const char  *path,
            HpKeyring   *keyring,
            guint        target,
            OpenMode     mode,
            GError     **error)
{
  GStatBuf found;
  g_autoptr(HpStore) self = NULL;
  int flags = mode == OPEN_READ_ONLY ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  gint64 application_id = 0;
  gint64 version = 0;
  guint latest;
  guint found_version;
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
  if (target >= FIRST_SEALED_VERSION && keyring == NULL)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_INVALID,
                   "Schema version %u seals fields and needs a root key", target);
      return NULL;
    }

  if (mode == OPEN_MIGRATING && g_lstat (path, &found) != 0 && errno == ENOENT
      && !create_database (path, keyring, target, error))
    return NULL;
  if (!check_private_file (path, mode, error))
    return NULL;

  self = g_object_new (HP_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->keyring = keyring != NULL ? g_object_ref (keyring) : NULL;

  /* No SQLITE_OPEN_CREATE: the file exists with the right mode by now, and
   * should it vanish meanwhile, an error beats a world-readable copy. */
  if (mode == OPEN_READ_ONLY && !open_snapshot (path, &self->db, error))
    return NULL;
  rc = self->db != NULL ? SQLITE_OK
                        : sqlite3_open_v2 (path, &self->db, flags | SQLITE_OPEN_EXRESCODE, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, HP_STORE_ERROR, hp_sql_store_error_code (rc, HP_STORE_ERROR_OPEN),
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
  self->schema_version = found_version = (guint) version;

  if (mode == OPEN_READ_ONLY)
    {
      /* The file as found, whatever its version: nothing here writes, and
       * SQLite refuses any statement that would. */
      if (!hp_store_exec_sql (self, "PRAGMA query_only = ON", HP_STORE_ERROR_OPEN,
                              "Opening read-only", error)
          || (self->schema_version >= FIRST_SEALED_VERSION && keyring != NULL
              && !hp_store_unlock_keys (self, error)))
        return NULL;
      return g_steal_pointer (&self);
    }

  /* A wrong root key is told before any migration writes. */
  if (self->schema_version >= FIRST_SEALED_VERSION && keyring != NULL
      && !hp_store_unlock_keys (self, error))
    return NULL;

  if (!configure_connection (self, error))
    return NULL;
  if (!migrate (self, target, error))
    return NULL;

  if (self->schema_version >= FIRST_SEALED_VERSION && keyring != NULL
      && !hp_store_unlock_keys (self, error))
    return NULL;
  /* The plaintext pages just zeroed reach the main file now, not at some
   * later checkpoint; if a reader holds the log, the next checkpoint will. */
  if (found_version < FIRST_SEALED_VERSION && self->schema_version >= FIRST_SEALED_VERSION)
    sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);

  return g_steal_pointer (&self);
}

HpStore *
hp_store_open_with_keyring (const char  *path,
                            HpKeyring   *keyring,
                            GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (HP_IS_KEYRING (keyring), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return open_store (path, keyring, hp_store_get_latest_schema_version (), OPEN_MIGRATING, error);
}

/* The demo root key beside @path, created on first use. */
static HpKeyring *
demo_keyring_for (const char  *path,
                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *key_path = g_strconcat (path, ".key", NULL);
  HpKeyring *keyring = hp_keyring_new_from_file (key_path, TRUE, &local_error);

  if (keyring == NULL)
    g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_OPEN,
                 "Cannot open the database %s without its root key: %s",
                 path, local_error->message);
  return keyring;
}

HpStore *
hp_store_open_read_only (const char  *path,
                         HpKeyring   *keyring,
                         GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (keyring == NULL || HP_IS_KEYRING (keyring), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_OPEN,
                   "The database %s does not exist yet (the kiosk creates it on first start)",
                   path);
      return NULL;
    }
  return open_store (path, keyring, hp_store_get_latest_schema_version (), OPEN_READ_ONLY, error);
}

HpStore *
hp_store_open_demo (const char  *path,
               GError     **error)
{
  g_autoptr(HpKeyring) keyring = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  keyring = demo_keyring_for (path, error);
  if (keyring == NULL)
    return NULL;
  return open_store (path, keyring, hp_store_get_latest_schema_version (), OPEN_MIGRATING, error);
}

HpStore *
hp_store_open_at_version_with_keyring (const char  *path,
                                       HpKeyring   *keyring,
                                       guint        version,
                                       GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (keyring == NULL || HP_IS_KEYRING (keyring), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return open_store (path, keyring, version, OPEN_MIGRATING, error);
}

HpStore *
hp_store_open_at_version (const char  *path,
                          guint        version,
                          GError     **error)
{
  g_autoptr(HpKeyring) keyring = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (version >= FIRST_SEALED_VERSION && version <= hp_store_get_latest_schema_version ())
    {
      keyring = demo_keyring_for (path, error);
      if (keyring == NULL)
        return NULL;
    }
  return open_store (path, keyring, version, OPEN_MIGRATING, error);
}
