/* The kiosk's local record of visits: an SQLite file kept with versioned migrations, its private fields sealed. */
#define _GNU_SOURCE
#include "hp-store.h"
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
#include "hp-patient.h"
#include "hp-reading-record-private.h"
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

/* Key id 0 in a wrapped data key names the key-encryption key. */
#define KEK_KEY_ID 0

typedef enum {
  STMT_INSERT_VISIT,
  STMT_INSERT_MEASUREMENT,
  STMT_MAX_MEASUREMENT_ID,
  STMT_SELECT_VISIT,
  STMT_SELECT_MEASUREMENTS,
  STMT_COUNT_VISITS,
  STMT_LIST_VISIT_IDS,
  STMT_FIND_PATIENT,
  STMT_INSERT_PATIENT,
  STMT_MAX_PATIENT_ID,
  STMT_MAX_PATIENT_ID_EVER,
  STMT_LIST_PATIENT_VISITS,
  STMT_SELECT_DATA_KEYS,
  STMT_INSERT_DATA_KEY,
  STMT_MAX_DATA_KEY_ID,
  STMT_FIND_DEVICE,
  STMT_INSERT_DEVICE,
  STMT_UPDATE_DEVICE,
  STMT_MAX_DEVICE_ID,
  STMT_GET_SETTING,
  STMT_SET_SETTING,
  STMT_SET_VISIT_HEIGHT,
  STMT_SELECT_VISIT_HEIGHT,
  N_STMTS
} StatementId;

static const char * const statement_sql[N_STMTS] = {
  /* From HP_STORE_VISIT_HEIGHT_VERSION on. */
  [STMT_SET_VISIT_HEIGHT] =
    "UPDATE visits SET height = ?1 WHERE id = ?2",
  [STMT_SELECT_VISIT_HEIGHT] =
    "SELECT height FROM visits WHERE id = ?1",
  [STMT_INSERT_VISIT] =
    "INSERT INTO visits (id, started_at, finished_at, language, patient_id) "
    "VALUES (?1, ?2, ?3, ?4, ?5)",
  /* A reading already stored under the same dedupe key is skipped. */
  [STMT_INSERT_MEASUREMENT] =
    "INSERT INTO measurements "
    "(id, visit_id, position, kind, kiosk_time, reading, dedupe_key) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
    "ON CONFLICT (dedupe_key) DO NOTHING",
  [STMT_MAX_MEASUREMENT_ID] =
    "SELECT coalesce (max (id), 0) FROM measurements",
  [STMT_SELECT_VISIT] =
    "SELECT v.started_at, v.finished_at, v.language, v.patient_id, p.code "
    "FROM visits v LEFT JOIN patients p ON p.id = v.patient_id WHERE v.id = ?1",
  [STMT_SELECT_MEASUREMENTS] =
    "SELECT id, kind, kiosk_time, reading "
    "FROM measurements WHERE visit_id = ?1 ORDER BY position",
  [STMT_COUNT_VISITS] =
    "SELECT count(*) FROM visits",
  [STMT_LIST_VISIT_IDS] =
    "SELECT id FROM visits ORDER BY finished_at DESC, id DESC LIMIT ?1",
  [STMT_FIND_PATIENT] =
    "SELECT id FROM patients WHERE lookup = ?1",
  [STMT_INSERT_PATIENT] =
    "INSERT INTO patients (id, lookup, code, created_at) VALUES (?1, ?2, ?3, ?4)",
  [STMT_MAX_PATIENT_ID] =
    "SELECT coalesce (max (id), 0) FROM patients",
  /* From HP_STORE_PATIENT_PIN_VERSION on: deleted patients' ids count too. */
  [STMT_MAX_PATIENT_ID_EVER] =
    "SELECT max (coalesce ((SELECT max (id) FROM patients), 0), "
    "            (SELECT highest FROM patient_id_watermark WHERE id = 1))",
  [STMT_LIST_PATIENT_VISITS] =
    "SELECT id FROM visits WHERE patient_id = ?1 "
    "ORDER BY started_at DESC, id DESC LIMIT ?2",
  [STMT_SELECT_DATA_KEYS] =
    "SELECT id, purpose, wrapped FROM data_keys ORDER BY id",
  [STMT_INSERT_DATA_KEY] =
    "INSERT INTO data_keys (id, purpose, created_at, wrapped) VALUES (?1, ?2, ?3, ?4)",
  [STMT_MAX_DATA_KEY_ID] =
    "SELECT coalesce (max (id), 0) FROM data_keys",
  [STMT_FIND_DEVICE] =
    "SELECT id, device, protocol, first_seen, last_seen FROM devices_seen "
    "WHERE device_hash = ?1",
  [STMT_INSERT_DEVICE] =
    "INSERT INTO devices_seen (id, device_hash, device, protocol, first_seen, last_seen) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
  [STMT_UPDATE_DEVICE] =
    "UPDATE devices_seen SET protocol = ?2, first_seen = min (first_seen, ?3), "
    "last_seen = max (last_seen, ?3) WHERE id = ?1",
  [STMT_MAX_DEVICE_ID] =
    "SELECT coalesce (max (id), 0) FROM devices_seen",
  [STMT_GET_SETTING] =
    "SELECT value FROM settings WHERE key = ?1",
  [STMT_SET_SETTING] =
    "INSERT INTO settings (key, value) VALUES (?1, ?2) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
};

/* A data key as unwrapped into memory; wiped when dropped. */
typedef struct {
  guint32 id;
  guint8 key[HP_CRYPTO_KEY_SIZE];
} DataKey;

struct _HpStore
{
  GObject parent_instance;

  char *path;
  sqlite3 *db;
  guint schema_version;
  sqlite3_stmt *statements[N_STMTS];

  HpKeyring *keyring;
  /* Set once the data keys are unwrapped; until then nothing is sealed or
   * opened (a store opened below FIRST_SEALED_VERSION stays locked). */
  gboolean unlocked;
  /* 'field' keys by ascending id: the last seals new fields. */
  GArray *field_keys;
  guint8 dedupe_key[HP_CRYPTO_KEY_SIZE];
  guint8 lookup_key[HP_CRYPTO_KEY_SIZE];

  HpClockFunc clock;
  gpointer clock_data;
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

/* A statement prepared for one rare use (migration, key changes). */
typedef sqlite3_stmt *HpOneOffStatement;

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (HpOneOffStatement, sqlite3_finalize, NULL)

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
data_key_clear (gpointer data)
{
  hp_crypto_wipe (data, sizeof (DataKey));
}

static void
lock_keys (HpStore *self)
{
  self->unlocked = FALSE;
  g_array_set_size (self->field_keys, 0);
  hp_crypto_wipe (self->dedupe_key, sizeof self->dedupe_key);
  hp_crypto_wipe (self->lookup_key, sizeof self->lookup_key);
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
  lock_keys (self);
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
  self->field_keys = g_array_new (FALSE, TRUE, sizeof (DataKey));
  g_array_set_clear_func (self->field_keys, data_key_clear);
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
      || (code != NULL && !code (self, &local_error))
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

  /* Deleted rows and freed pages are zeroed, not left behind: migrating to
   * sealed fields drops the plaintext tables, and their bytes must go too. */
  if (!exec_sql (self, "PRAGMA secure_delete = ON", HP_STORE_ERROR_OPEN,
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
crypto_failed (GError      *cause,
               const char  *what,
               GError     **error)
{
  g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_CRYPTO,
               "%s failed: %s", what, cause->message);
  return FALSE;
}

/* The store's keys from the root key: the key-encryption key that wraps
 * the data keys, and the patient lookup key. */
static gboolean
derive_root_keys (HpKeyring  *keyring,
                  guint8     *kek,
                  guint8     *lookup_key,
                  GError    **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!hp_keyring_derive (keyring, HP_KEYRING_PURPOSE_STORE_KEK, kek,
                          HP_CRYPTO_KEY_SIZE, &local_error)
      || !hp_keyring_derive (keyring, HP_KEYRING_PURPOSE_PATIENT_LOOKUP, lookup_key,
                             HP_CRYPTO_KEY_SIZE, &local_error))
    return crypto_failed (local_error, "Deriving the store's keys", error);
  return TRUE;
}

static HpFieldPlace
wrapped_key_place (const char *purpose,
                   guint32     id)
{
  HpFieldPlace place = {
    .table = "data_keys",
    .column = g_str_equal (purpose, "field") ? "wrapped-field" : "wrapped-dedupe",
    .row_id = id,
  };

  return place;
}

/* Unwraps every data key with the keyring's key-encryption key. The first
 * key that fails authentication shows the root key is the wrong one. On
 * failure the keys held before stay as they were. */
static gboolean
unlock_keys (HpStore  *self,
             GError  **error)
{
  g_auto(HpBorrowedStatement) select = NULL;
  g_autoptr(GArray) field_keys = NULL;
  guint8 kek[HP_CRYPTO_KEY_SIZE];
  guint8 lookup_key[HP_CRYPTO_KEY_SIZE];
  guint8 dedupe_key[HP_CRYPTO_KEY_SIZE];
  gboolean have_dedupe = FALSE;
  gboolean ok = FALSE;
  int rc;

  field_keys = g_array_new (FALSE, TRUE, sizeof (DataKey));
  g_array_set_clear_func (field_keys, data_key_clear);
  if (!derive_root_keys (self->keyring, kek, lookup_key, error))
    goto out;
  select = get_statement (self, STMT_SELECT_DATA_KEYS, HP_STORE_ERROR_OPEN, error);
  if (select == NULL)
    goto out;
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GBytes) key = NULL;
      sqlite3_int64 id = sqlite3_column_int64 (select, 0);
      const char *purpose = (const char *) sqlite3_column_text (select, 1);
      const guint8 *wrapped = sqlite3_column_blob (select, 2);
      gsize wrapped_len = (gsize) sqlite3_column_bytes (select, 2);
      HpFieldPlace place;

      if (id < 1 || id > G_MAXUINT32
          || (g_strcmp0 (purpose, "field") != 0 && g_strcmp0 (purpose, "dedupe") != 0)
          || (have_dedupe && g_str_equal (purpose, "dedupe")))
        {
          g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_CORRUPT,
                       "The database %s holds a data key this build cannot use", self->path);
          goto out;
        }
      place = wrapped_key_place (purpose, (guint32) id);
      key = hp_crypto_open (kek, &place, wrapped, wrapped_len, &local_error);
      if (key == NULL && g_error_matches (local_error, HP_CRYPTO_ERROR,
                                          HP_CRYPTO_ERROR_AUTHENTICATION))
        {
          g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_WRONG_KEY,
                       "The root key does not unlock the database %s (data key %u "
                       "fails to unwrap): this is the wrong root key, or the key table "
                       "was changed", self->path, (guint) id);
          goto out;
        }
      if (key == NULL || g_bytes_get_size (key) != HP_CRYPTO_KEY_SIZE)
        {
          g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_CORRUPT,
                       "The database %s holds a damaged data key %u%s%s", self->path,
                       (guint) id, local_error != NULL ? ": " : "",
                       local_error != NULL ? local_error->message : "");
          goto out;
        }
      if (g_str_equal (purpose, "dedupe"))
        {
          memcpy (dedupe_key, g_bytes_get_data (key, NULL), HP_CRYPTO_KEY_SIZE);
          have_dedupe = TRUE;
        }
      else
        {
          DataKey data_key = { .id = (guint32) id };

          memcpy (data_key.key, g_bytes_get_data (key, NULL), HP_CRYPTO_KEY_SIZE);
          g_array_append_val (field_keys, data_key);
          hp_crypto_wipe (&data_key, sizeof data_key);
        }
    }
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, HP_STORE_ERROR, error_code_for (rc, HP_STORE_ERROR_OPEN),
                   "Cannot read the data keys of %s (%s)", self->path, sqlite3_errstr (rc));
      goto out;
    }
  if (field_keys->len == 0 || !have_dedupe)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_CORRUPT,
                   "The database %s has lost its data keys", self->path);
      goto out;
    }

  lock_keys (self);
  g_array_append_vals (self->field_keys, field_keys->data, field_keys->len);
  memcpy (self->dedupe_key, dedupe_key, sizeof dedupe_key);
  memcpy (self->lookup_key, lookup_key, sizeof lookup_key);
  self->unlocked = TRUE;
  ok = TRUE;

out:
  hp_crypto_wipe (kek, sizeof kek);
  hp_crypto_wipe (lookup_key, sizeof lookup_key);
  hp_crypto_wipe (dedupe_key, sizeof dedupe_key);
  return ok;
}

/* A fresh random data key, wrapped under the key-encryption key and
 * inserted; the caller holds the write transaction. */
static gboolean
add_data_key (HpStore     *self,
              const char  *purpose,
              guint32     *new_id,
              GError     **error)
{
  g_auto(HpBorrowedStatement) max_id = NULL;
  g_auto(HpBorrowedStatement) insert = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) wrapped = NULL;
  guint8 kek[HP_CRYPTO_KEY_SIZE];
  guint8 lookup[HP_CRYPTO_KEY_SIZE];
  DataKey data_key = { 0 };
  HpFieldPlace place;
  sqlite3_int64 last;

  max_id = get_statement (self, STMT_MAX_DATA_KEY_ID, HP_STORE_ERROR_WRITE, error);
  if (max_id == NULL)
    return FALSE;
  if (sqlite3_step (max_id) != SQLITE_ROW)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_WRITE,
                   "Cannot read the data keys of %s (%s)", self->path,
                   sqlite3_errstr (sqlite3_extended_errcode (self->db)));
      return FALSE;
    }
  last = sqlite3_column_int64 (max_id, 0);
  if (last < 0 || last >= G_MAXUINT32)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_CORRUPT,
                   "The database %s has no key id left for a new data key", self->path);
      return FALSE;
    }
  data_key.id = (guint32) last + 1;

  if (!derive_root_keys (self->keyring, kek, lookup, error))
    return FALSE;
  hp_crypto_wipe (lookup, sizeof lookup);
  place = wrapped_key_place (purpose, data_key.id);
  if (!hp_crypto_random (data_key.key, sizeof data_key.key, &local_error)
      || (wrapped = hp_crypto_seal (kek, KEK_KEY_ID, &place, data_key.key,
                                    sizeof data_key.key, &local_error)) == NULL)
    {
      hp_crypto_wipe (kek, sizeof kek);
      hp_crypto_wipe (&data_key, sizeof data_key);
      return crypto_failed (local_error, "Making a data key", error);
    }
  hp_crypto_wipe (kek, sizeof kek);

  insert = get_statement (self, STMT_INSERT_DATA_KEY, HP_STORE_ERROR_WRITE, error);
  if (insert == NULL)
    {
      hp_crypto_wipe (&data_key, sizeof data_key);
      return FALSE;
    }
  sqlite3_bind_int64 (insert, 1, data_key.id);
  sqlite3_bind_text (insert, 2, purpose, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 3, g_get_real_time ());
  sqlite3_bind_blob (insert, 4, g_bytes_get_data (wrapped, NULL),
                     (int) g_bytes_get_size (wrapped), SQLITE_STATIC);
  if (sqlite3_step (insert) != SQLITE_DONE)
    {
      hp_crypto_wipe (&data_key, sizeof data_key);
      g_set_error (error, HP_STORE_ERROR,
                   error_code_for (sqlite3_extended_errcode (self->db), HP_STORE_ERROR_WRITE),
                   "Cannot store a new data key in %s (%s)", self->path,
                   sqlite3_errstr (sqlite3_extended_errcode (self->db)));
      return FALSE;
    }

  if (g_str_equal (purpose, "dedupe"))
    memcpy (self->dedupe_key, data_key.key, sizeof data_key.key);
  else
    g_array_append_val (self->field_keys, data_key);
  if (new_id != NULL)
    *new_id = data_key.id;
  hp_crypto_wipe (&data_key, sizeof data_key);
  return TRUE;
}

static gboolean
check_unlocked (HpStore  *self,
                GError  **error)
{
  if (self->unlocked)
    return TRUE;
  g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_INVALID,
               "The database %s was opened at schema version %u, without sealed "
               "fields; it can only be migrated", self->path, self->schema_version);
  return FALSE;
}

static GBytes *
seal_field (HpStore             *self,
            const HpFieldPlace  *place,
            const void          *plain,
            gsize                plain_len,
            GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  const DataKey *newest;
  GBytes *sealed;

  if (!check_unlocked (self, error))
    return NULL;
  newest = &g_array_index (self->field_keys, DataKey, self->field_keys->len - 1);
  sealed = hp_crypto_seal (newest->key, newest->id, place, plain, plain_len, &local_error);
  if (sealed == NULL)
    crypto_failed (local_error, "Sealing a field", error);
  return sealed;
}

static const DataKey *
find_field_key (HpStore *self,
                guint32  id)
{
  for (guint i = 0; i < self->field_keys->len; i++)
    if (g_array_index (self->field_keys, DataKey, i).id == id)
      return &g_array_index (self->field_keys, DataKey, i);
  return NULL;
}

/* Every failure here means the file was changed behind the store's back,
 * so it is reported as damage, naming the place but nothing of the data. */
static GBytes *
open_field (HpStore             *self,
            const HpFieldPlace  *place,
            const guint8        *sealed,
            gsize                sealed_len,
            GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  const DataKey *key;
  GBytes *plain = NULL;
  guint32 key_id = 0;

  if (!check_unlocked (self, error))
    return NULL;
  if (hp_crypto_peek_key_id (sealed, sealed_len, &key_id, &local_error))
    {
      key = find_field_key (self, key_id);
      /* Another connection may have added a data key since we unlocked. */
      if (key == NULL && unlock_keys (self, NULL))
        key = find_field_key (self, key_id);
      if (key != NULL)
        plain = hp_crypto_open (key->key, place, sealed, sealed_len, &local_error);
      else
        g_set_error (&local_error, HP_CRYPTO_ERROR, HP_CRYPTO_ERROR_MALFORMED,
                     "it names data key %u, which the database does not hold", key_id);
    }
  if (plain == NULL)
    g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_CORRUPT,
                 "The database %s holds a damaged sealed field in %s.%s, row %" G_GINT64_FORMAT
                 ": %s", self->path, place->table, place->column, place->row_id,
                 local_error->message);
  return plain;
}

GBytes *
hp_store_seal_field (HpStore             *self,
                     const HpFieldPlace  *place,
                     const void          *plain,
                     gsize                plain_len,
                     GError             **error)
{
  g_return_val_if_fail (HP_IS_STORE (self), NULL);
  g_return_val_if_fail (place != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return seal_field (self, place, plain, plain_len, error);
}

GBytes *
hp_store_open_field (HpStore             *self,
                     const HpFieldPlace  *place,
                     const guint8        *sealed,
                     gsize                sealed_len,
                     GError             **error)
{
  g_return_val_if_fail (HP_IS_STORE (self), NULL);
  g_return_val_if_fail (place != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return open_field (self, place, sealed, sealed_len, error);
}

static gboolean
hmac (const guint8  *key,
      const void    *data,
      gsize          length,
      guint8        *mac,
      GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!hp_crypto_hmac_sha256 (key, HP_CRYPTO_KEY_SIZE, data, length, mac, &local_error))
    return crypto_failed (local_error, "Computing a lookup key", error);
  return TRUE;
}

/* The form a personal code is compared in: NFKC, no white space anywhere,
 * upper case, so "priv-acy1 " finds "PRIV-ACY1". A code the kiosk gave out
 * (hp-patient.h) loses its dashes too, so the printed "481-2297-5532" and
 * the typed "48122975532" find the same patient. %NULL if nothing is left
 * or it is not UTF-8. The result is personal data: wipe it. */
static char *normalize_any_code (const char *code);

static char *
normalize_patient_code (const char *code)
{
  char *normal = normalize_any_code (code);

  if (normal != NULL && hp_patient_code_is_valid (normal))
    {
      char *digits = hp_patient_code_normalize (normal);

      hp_crypto_wipe (normal, strlen (normal));
      g_free (normal);
      return digits;
    }
  return normal;
}

static char *
normalize_any_code (const char *code)
{
  g_autofree char *composed = NULL;
  GString *normal;

  if (!g_utf8_validate (code, -1, NULL))
    return NULL;
  composed = g_utf8_normalize (code, -1, G_NORMALIZE_NFKC);
  if (composed == NULL)
    return NULL;
  normal = g_string_sized_new (strlen (composed));
  for (const char *c = composed; *c != '\0'; c = g_utf8_next_char (c))
    {
      gunichar ch = g_utf8_get_char (c);

      if (!g_unichar_isspace (ch))
        g_string_append_unichar (normal, g_unichar_toupper (ch));
    }
  hp_crypto_wipe (composed, strlen (composed));
  if (normal->len == 0)
    {
      g_string_free (normal, TRUE);
      return NULL;
    }
  return g_string_free (normal, FALSE);
}

static void
wipe_string (char *text)
{
  if (text != NULL)
    hp_crypto_wipe (text, strlen (text));
  g_free (text);
}

typedef char HpSecretString;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HpSecretString, wipe_string)

/* The patient lookup column's value for @normal_code. */
static gboolean
patient_lookup (HpStore     *self,
                const char  *normal_code,
                guint8      *lookup,
                GError     **error)
{
  return hmac (self->lookup_key, normal_code, strlen (normal_code), lookup, error);
}

/* The patient id for @lookup, or 0 when there is none. */
static gboolean
find_patient (HpStore        *self,
              const guint8   *lookup,
              sqlite3_int64  *patient_id,
              GError        **error)
{
  g_auto(HpBorrowedStatement) select = NULL;
  int rc;

  select = get_statement (self, STMT_FIND_PATIENT, HP_STORE_ERROR_OPEN, error);
  if (select == NULL)
    return FALSE;
  sqlite3_bind_blob (select, 1, lookup, HP_CRYPTO_MAC_SIZE, SQLITE_STATIC);
  rc = sqlite3_step (select);
  if (rc == SQLITE_ROW)
    {
      *patient_id = sqlite3_column_int64 (select, 0);
      return TRUE;
    }
  if (rc == SQLITE_DONE)
    {
      *patient_id = 0;
      return TRUE;
    }
  g_set_error (error, HP_STORE_ERROR, error_code_for (rc, HP_STORE_ERROR_OPEN),
               "Cannot look up a patient in %s (%s)", self->path, sqlite3_errstr (rc));
  return FALSE;
}

/* Reads a "SELECT coalesce (max (id), 0)" statement: the next free id. */
static gboolean
next_id (HpStore        *self,
         StatementId     id,
         sqlite3_int64  *next,
         GError        **error)
{
  g_auto(HpBorrowedStatement) select = NULL;
  sqlite3_int64 last;
  int rc;

  select = get_statement (self, id, HP_STORE_ERROR_WRITE, error);
  if (select == NULL)
    return FALSE;
  rc = sqlite3_step (select);
  if (rc != SQLITE_ROW)
    {
      g_set_error (error, HP_STORE_ERROR, error_code_for (rc, HP_STORE_ERROR_WRITE),
                   "Cannot number a new row in %s (%s)", self->path, sqlite3_errstr (rc));
      return FALSE;
    }
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
seal_failed (HpStore      *self,
             const char   *what,
             HpStoreError  code,
             GError      **error)
{
  int rc = sqlite3_extended_errcode (self->db);

  g_set_error (error, HP_STORE_ERROR, error_code_for (rc, code),
               "Sealing the plaintext rows of %s failed at %s (%s)",
               self->path, what, sqlite3_errstr (rc));
  return FALSE;
}

/* Seals @measurement as row @id of measurements and inserts it, unless a
 * reading with the same dedupe key is stored: then *inserted is FALSE.
 * With @keep_repeats (migration), a repeat is kept, without a dedupe key,
 * for a migration never drops a row. */
static gboolean
insert_measurement_row (HpStore        *self,
                        sqlite3_int64   id,
                        HpVisit        *visit,
                        const char     *visit_id,
                        guint           position,
                        HpMeasurement  *measurement,
                        gboolean        keep_repeats,
                        gboolean       *inserted,
                        GError        **error)
{
  g_autoptr(HpReadingRecord) record = hp_reading_record_encode (measurement);
  g_autoptr(HpReadingRecord) identity = hp_reading_record_identity (measurement);
  g_autoptr(GBytes) sealed = NULL;
  HpFieldPlace place = { "measurements", "reading", id };
  guint8 dedupe_key[HP_CRYPTO_MAC_SIZE];

  sealed = seal_field (self, &place, record->data, record->len, error);
  if (sealed == NULL)
    return FALSE;
  if (identity != NULL && !hmac (self->dedupe_key, identity->data, identity->len, dedupe_key, error))
    return FALSE;

  for (guint attempt = 0; attempt < 2; attempt++)
    {
      g_auto(HpBorrowedStatement) insert = NULL;

      insert = get_statement (self, STMT_INSERT_MEASUREMENT, HP_STORE_ERROR_WRITE, error);
      if (insert == NULL)
        return FALSE;
      sqlite3_bind_int64 (insert, 1, id);
      sqlite3_bind_text (insert, 2, visit_id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (insert, 3, position);
      sqlite3_bind_text (insert, 4,
                         hp_measurement_kind_to_string (hp_measurement_get_kind (measurement)),
                         -1, SQLITE_STATIC);
      sqlite3_bind_int64 (insert, 5, datetime_to_usec (hp_measurement_get_kiosk_time (measurement)));
      sqlite3_bind_blob (insert, 6, g_bytes_get_data (sealed, NULL),
                         (int) g_bytes_get_size (sealed), SQLITE_STATIC);
      if (identity != NULL && attempt == 0)
        sqlite3_bind_blob (insert, 7, dedupe_key, sizeof dedupe_key, SQLITE_STATIC);
      else
        sqlite3_bind_null (insert, 7);
      if (sqlite3_step (insert) != SQLITE_DONE)
        {
          g_autofree char *part = g_strdup_printf ("measurement %u", position + 1);

          if (visit != NULL)
            return write_failed (self, visit, part, error);
          return seal_failed (self, part, HP_STORE_ERROR_MIGRATION, error);
        }
      *inserted = sqlite3_changes (self->db) == 1;
      if (*inserted || !keep_repeats)
        return TRUE;
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
  lock_keys (self);
  if (!add_data_key (self, "field", NULL, error)
      || !add_data_key (self, "dedupe", NULL, error))
    return FALSE;
  {
    guint8 kek[HP_CRYPTO_KEY_SIZE];
    gboolean derived = derive_root_keys (self->keyring, kek, self->lookup_key, error);

    hp_crypto_wipe (kek, sizeof kek);
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
    return seal_failed (self, "reading the old tables", HP_STORE_ERROR_MIGRATION, error);

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

      kiosk_time = datetime_from_usec (sqlite3_column_int64 (rows, 6));
      if (visit_id == NULL || position < 0 || position > G_MAXUINT || kiosk_time == NULL
          || !hp_measurement_kind_from_string ((const char *) sqlite3_column_text (rows, 3), &kind))
        return damaged_row (self, "a measurement", error);
      measurement = hp_measurement_new (kind);
      hp_measurement_set_kiosk_time (measurement, kiosk_time);
      hp_measurement_set_device_id (measurement, device_id);
      hp_measurement_set_flags (measurement, (HpMeasurementFlags) sqlite3_column_int64 (rows, 7));
      if (sqlite3_column_type (rows, 5) != SQLITE_NULL)
        {
          g_autoptr(GDateTime) device_time = datetime_from_usec (sqlite3_column_int64 (rows, 5));

          if (device_time == NULL)
            return damaged_row (self, "a device time", error);
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
            return damaged_row (self, "a measured value", error);
          hp_measurement_set_value (measurement, quantity, sqlite3_column_double (values, 1), unit);
        }
      if (value_rc != SQLITE_DONE)
        return seal_failed (self, "reading measured values", HP_STORE_ERROR_MIGRATION, error);

      if (!insert_measurement_row (self, id, NULL, visit_id, (guint) position, measurement,
                                   TRUE, &inserted, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    return seal_failed (self, "reading measurements", HP_STORE_ERROR_MIGRATION, error);
  g_clear_pointer (&rows, sqlite3_finalize);
  g_clear_pointer (&values, sqlite3_finalize);

  return exec_sql (self, "DROP TABLE v2_measurement_values; DROP TABLE v2_measurements",
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
  self->schema_version = found_version = (guint) version;

  if (mode == OPEN_READ_ONLY)
    {
      /* The file as found, whatever its version: nothing here writes, and
       * SQLite refuses any statement that would. */
      if (!exec_sql (self, "PRAGMA query_only = ON", HP_STORE_ERROR_OPEN,
                     "Opening read-only", error)
          || (self->schema_version >= FIRST_SEALED_VERSION && keyring != NULL
              && !unlock_keys (self, error)))
        return NULL;
      return g_steal_pointer (&self);
    }

  /* A wrong root key is told before any migration writes. */
  if (self->schema_version >= FIRST_SEALED_VERSION && keyring != NULL
      && !unlock_keys (self, error))
    return NULL;

  if (!configure_connection (self, error))
    return NULL;
  if (!migrate (self, target, error))
    return NULL;

  if (self->schema_version >= FIRST_SEALED_VERSION && keyring != NULL
      && !unlock_keys (self, error))
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

/* Row ids handed out within one write transaction, read once at its start. */
typedef struct {
  sqlite3_int64 next_measurement_id;
  sqlite3_int64 next_patient_id;
} CommitIds;

/* Seals @normal as row @id of patients and inserts it with @lookup; the
 * caller holds the write transaction. */
static gboolean
insert_patient (HpStore        *self,
                sqlite3_int64   id,
                const char     *normal,
                const guint8   *lookup,
                gint64          created_at,
                GError        **error)
{
  g_auto(HpBorrowedStatement) insert = NULL;
  g_autoptr(GBytes) sealed = NULL;
  HpFieldPlace place = { "patients", "code", id };

  sealed = seal_field (self, &place, normal, strlen (normal), error);
  if (sealed == NULL)
    return FALSE;
  insert = get_statement (self, STMT_INSERT_PATIENT, HP_STORE_ERROR_WRITE, error);
  if (insert == NULL)
    return FALSE;
  sqlite3_bind_int64 (insert, 1, id);
  sqlite3_bind_blob (insert, 2, lookup, HP_CRYPTO_MAC_SIZE, SQLITE_STATIC);
  sqlite3_bind_blob (insert, 3, g_bytes_get_data (sealed, NULL),
                     (int) g_bytes_get_size (sealed), SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 4, created_at);
  if (sqlite3_step (insert) != SQLITE_DONE)
    {
      int rc = sqlite3_extended_errcode (self->db);

      g_set_error (error, HP_STORE_ERROR, error_code_for (rc, HP_STORE_ERROR_WRITE),
                   "Cannot store a patient in %s (%s)", self->path, sqlite3_errstr (rc));
      return FALSE;
    }
  return TRUE;
}

/* The next patient id: once ids are never reused, above every id given. */
static StatementId
max_patient_id_statement (HpStore *self)
{
  return self->schema_version >= HP_STORE_PATIENT_PIN_VERSION ? STMT_MAX_PATIENT_ID_EVER
                                                              : STMT_MAX_PATIENT_ID;
}

/* The id of the patient with @code, creating the patient on first sight. */
static gboolean
file_patient (HpStore        *self,
              HpVisit        *visit,
              CommitIds      *ids,
              sqlite3_int64  *patient_id,
              GError        **error)
{
  g_autoptr(HpSecretString) normal = NULL;
  guint8 lookup[HP_CRYPTO_MAC_SIZE];

  normal = normalize_patient_code (hp_visit_get_patient_code (visit));
  if (normal == NULL)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_INVALID,
                   "Visit %s has a patient code that is blank or not text",
                   hp_visit_get_id (visit));
      return FALSE;
    }
  if (!patient_lookup (self, normal, lookup, error)
      || !find_patient (self, lookup, patient_id, error))
    return FALSE;
  if (*patient_id != 0)
    return TRUE;

  if (!insert_patient (self, ids->next_patient_id, normal, lookup,
                       datetime_to_usec (hp_visit_get_finished_at (visit)), error))
    return FALSE;
  *patient_id = ids->next_patient_id++;
  return TRUE;
}

/* Where a visit's height is sealed: bound to the visit's id, which never
 * changes, through the first 8 bytes of its SHA-256. */
static HpFieldPlace
visit_height_place (HpVisit *visit)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;
  guint64 row = 0;

  g_checksum_update (checksum, (const guchar *) hp_visit_get_id (visit), -1);
  g_checksum_get_digest (checksum, digest, &length);
  for (guint i = 0; i < 8; i++)
    row = (row << 8) | digest[i];
  return (HpFieldPlace) { "visits", "height", (gint64) (row >> 1) };
}

/* The visit's height, sealed, written into its row (from
 * HP_STORE_VISIT_HEIGHT_VERSION on; a visit without one keeps NULL). */
static gboolean
store_visit_height (HpStore  *self,
                    HpVisit  *visit,
                    GError  **error)
{
  g_auto(HpBorrowedStatement) update = NULL;
  g_autoptr(GBytes) sealed = NULL;
  HpFieldPlace place;
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  if (hp_visit_get_height_cm (visit) <= 0 || self->schema_version < HP_STORE_VISIT_HEIGHT_VERSION)
    return TRUE;
  place = visit_height_place (visit);
  g_ascii_formatd (text, sizeof text, "%.1f", hp_visit_get_height_cm (visit));
  sealed = seal_field (self, &place, text, strlen (text), error);
  if (sealed == NULL)
    return FALSE;
  update = get_statement (self, STMT_SET_VISIT_HEIGHT, HP_STORE_ERROR_WRITE, error);
  if (update == NULL)
    return FALSE;
  sqlite3_bind_blob (update, 1, g_bytes_get_data (sealed, NULL), (int) g_bytes_get_size (sealed), SQLITE_STATIC);
  sqlite3_bind_text (update, 2, hp_visit_get_id (visit), -1, SQLITE_STATIC);
  if (sqlite3_step (update) != SQLITE_DONE)
    return write_failed (self, visit, "the visit's height", error);
  return TRUE;
}

/* The stored height of @visit, when it has one. */
static gboolean
load_visit_height (HpStore  *self,
                   HpVisit  *visit,
                   GError  **error)
{
  g_auto(HpBorrowedStatement) select = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autofree char *text = NULL;
  HpFieldPlace place;
  char *end = NULL;
  double height;

  if (self->schema_version < HP_STORE_VISIT_HEIGHT_VERSION)
    return TRUE;
  select = get_statement (self, STMT_SELECT_VISIT_HEIGHT, HP_STORE_ERROR_OPEN, error);
  if (select == NULL)
    return FALSE;
  sqlite3_bind_text (select, 1, hp_visit_get_id (visit), -1, SQLITE_STATIC);
  if (sqlite3_step (select) != SQLITE_ROW)
    {
      read_failed (self, "a visit's height", error);
      return FALSE;
    }
  if (sqlite3_column_type (select, 0) == SQLITE_NULL)
    return TRUE;
  place = visit_height_place (visit);
  plain = open_field (self, &place, sqlite3_column_blob (select, 0), (gsize) sqlite3_column_bytes (select, 0), error);
  if (plain == NULL)
    return FALSE;
  text = g_strndup (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain));
  height = g_ascii_strtod (text, &end);
  if (strlen (text) != g_bytes_get_size (plain) || end == text || *end != '\0' ||
      !hp_visit_set_height_cm (visit, height) || height == 0)
    {
      damaged_row (self, "a visit's height", error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
insert_visit (HpStore    *self,
              HpVisit    *visit,
              CommitIds  *ids,
              GError    **error)
{
  GListModel *measurements = hp_visit_get_measurements (visit);
  guint n = g_list_model_get_n_items (measurements);
  sqlite3_int64 patient_id = 0;

  if (hp_visit_get_patient_code (visit) != NULL
      && !file_patient (self, visit, ids, &patient_id, error))
    return FALSE;

  {
    g_auto(HpBorrowedStatement) insert = NULL;

    insert = get_statement (self, STMT_INSERT_VISIT, HP_STORE_ERROR_WRITE, error);
    if (insert == NULL)
      return FALSE;
    sqlite3_bind_text (insert, 1, hp_visit_get_id (visit), -1, SQLITE_STATIC);
    sqlite3_bind_int64 (insert, 2, datetime_to_usec (hp_visit_get_started_at (visit)));
    sqlite3_bind_int64 (insert, 3, datetime_to_usec (hp_visit_get_finished_at (visit)));
    sqlite3_bind_text (insert, 4, hp_visit_get_language (visit), -1, SQLITE_STATIC);
    if (patient_id != 0)
      sqlite3_bind_int64 (insert, 5, patient_id);
    else
      sqlite3_bind_null (insert, 5);
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
  if (!store_visit_height (self, visit, error))
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HpMeasurement) measurement = g_list_model_get_item (measurements, i);
      gboolean inserted = FALSE;

      if (!insert_measurement_row (self, ids->next_measurement_id, visit, hp_visit_get_id (visit),
                                   i, measurement, FALSE, &inserted, error))
        return FALSE;
      if (inserted)
        ids->next_measurement_id++;
    }
  return TRUE;
}

gboolean
hp_store_commit_visits (HpStore  *self,
                        HpVisit **visits,
                        guint     n_visits,
                        GError  **error)
{
  CommitIds ids = { 0, 0 };

  g_return_val_if_fail (HP_IS_STORE (self), FALSE);
  g_return_val_if_fail (visits != NULL || n_visits == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_unlocked (self, error))
    return FALSE;
  for (guint i = 0; i < n_visits; i++)
    {
      g_return_val_if_fail (HP_IS_VISIT (visits[i]), FALSE);
      if (!check_visit (visits[i], error))
        return FALSE;
    }
  if (n_visits == 0)
    return TRUE;

  /* IMMEDIATE takes the write lock now, so a busy database fails here,
   * before anything is written, instead of halfway. */
  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return write_failed (self, visits[0], "the transaction start", error);

  /* Ids are read under the write lock, so no other writer can take them. */
  if (!next_id (self, STMT_MAX_MEASUREMENT_ID, &ids.next_measurement_id, error)
      || !next_id (self, max_patient_id_statement (self), &ids.next_patient_id, error))
    {
      rollback (self);
      return FALSE;
    }
  for (guint i = 0; i < n_visits; i++)
    if (!insert_visit (self, visits[i], &ids, error))
      {
        rollback (self);
        return FALSE;
      }
  if (sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    {
      write_failed (self, visits[0], "the commit", error);
      rollback (self);
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

  return hp_store_commit_visits (self, &visit, 1, error);
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
      g_autoptr(GBytes) record = NULL;
      g_autoptr(GError) local_error = NULL;
      HpFieldPlace place = { "measurements", "reading", sqlite3_column_int64 (select, 0) };
      HpMeasurementKind kind;

      if (!hp_measurement_kind_from_string ((const char *) sqlite3_column_text (select, 1), &kind))
        return damaged_row (self, "a measurement of an unknown kind", error);
      kiosk_time = datetime_from_usec (sqlite3_column_int64 (select, 2));
      if (kiosk_time == NULL)
        return damaged_row (self, "a measurement time", error);

      record = open_field (self, &place, sqlite3_column_blob (select, 3),
                           (gsize) sqlite3_column_bytes (select, 3), error);
      if (record == NULL)
        return FALSE;
      measurement = hp_reading_record_decode (kind, g_bytes_get_data (record, NULL),
                                              g_bytes_get_size (record), &local_error);
      if (measurement == NULL)
        {
          g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_CORRUPT,
                       "The database %s holds measurement %" G_GINT64_FORMAT
                       " this build cannot read: %s",
                       self->path, place.row_id, local_error->message);
          return FALSE;
        }
      hp_measurement_set_kiosk_time (measurement, kiosk_time);
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

  if (sqlite3_column_type (select, 3) != SQLITE_NULL)
    {
      HpFieldPlace place = { "patients", "code", sqlite3_column_int64 (select, 3) };
      g_autoptr(GBytes) code = NULL;
      g_autoptr(HpSecretString) text = NULL;

      if (sqlite3_column_type (select, 4) == SQLITE_NULL)
        {
          damaged_row (self, "a visit of a patient it does not hold", error);
          return NULL;
        }
      code = open_field (self, &place, sqlite3_column_blob (select, 4),
                         (gsize) sqlite3_column_bytes (select, 4), error);
      if (code == NULL)
        return NULL;
      text = g_strndup (g_bytes_get_data (code, NULL), g_bytes_get_size (code));
      if (strlen (text) != g_bytes_get_size (code) || !g_utf8_validate (text, -1, NULL))
        {
          damaged_row (self, "a patient code", error);
          return NULL;
        }
      hp_visit_set_patient_code (visit, text);
    }

  if (!load_visit_height (self, visit, error) || !load_measurements (self, visit, error))
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

  if (!check_unlocked (self, error))
    return NULL;
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

static gboolean
list_patient_visit_ids (HpStore        *self,
                        sqlite3_int64   patient_id,
                        guint           limit,
                        GPtrArray      *ids,
                        GError        **error)
{
  g_auto(HpBorrowedStatement) select = NULL;
  int rc;

  select = get_statement (self, STMT_LIST_PATIENT_VISITS, HP_STORE_ERROR_OPEN, error);
  if (select == NULL)
    return FALSE;
  sqlite3_bind_int64 (select, 1, patient_id);
  sqlite3_bind_int64 (select, 2, limit == 0 ? -1 : (sqlite3_int64) limit);
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (select, 0);

      if (id == NULL)
        return damaged_row (self, "a visit without an id", error);
      g_ptr_array_add (ids, g_strdup (id));
    }
  if (rc != SQLITE_DONE)
    return read_failed (self, "a patient's visits", error);
  return TRUE;
}

static GPtrArray *
load_patient_visits (HpStore     *self,
                     const char  *normal_code,
                     guint        limit,
                     GError     **error)
{
  g_autoptr(GPtrArray) visits = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  guint8 lookup[HP_CRYPTO_MAC_SIZE];
  sqlite3_int64 patient_id = 0;

  if (!patient_lookup (self, normal_code, lookup, error)
      || !find_patient (self, lookup, &patient_id, error))
    return NULL;
  if (patient_id == 0)
    return g_steal_pointer (&visits);
  if (!list_patient_visit_ids (self, patient_id, limit, ids, error))
    return NULL;
  for (guint i = 0; i < ids->len; i++)
    {
      HpVisit *visit = load_visit (self, g_ptr_array_index (ids, i), error);

      if (visit == NULL)
        return NULL;
      g_ptr_array_add (visits, visit);
    }
  return g_steal_pointer (&visits);
}

GPtrArray *
hp_store_list_patient_visits (HpStore     *self,
                              const char  *patient_code,
                              guint        limit,
                              GError     **error)
{
  g_autoptr(HpSecretString) normal = NULL;
  GPtrArray *visits;

  g_return_val_if_fail (HP_IS_STORE (self), NULL);
  g_return_val_if_fail (patient_code != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_unlocked (self, error))
    return NULL;
  normal = normalize_patient_code (patient_code);
  if (normal == NULL)
    {
      g_set_error_literal (error, HP_STORE_ERROR, HP_STORE_ERROR_INVALID,
                           "A patient code must be text and not blank");
      return NULL;
    }
  if (!exec_sql (self, "BEGIN", HP_STORE_ERROR_OPEN, "Starting a read", error))
    return NULL;
  visits = load_patient_visits (self, normal, limit, error);
  rollback (self);
  return visits;
}

/* Runs @change in a write transaction of its own, all or nothing. */
static gboolean
in_write_transaction (HpStore     *self,
                      const char  *what,
                      gboolean   (*change) (HpStore *self, gpointer data, GError **error),
                      gpointer     data,
                      GError     **error)
{
  if (!exec_sql (self, "BEGIN IMMEDIATE", HP_STORE_ERROR_WRITE, what, error))
    return FALSE;
  if (!change (self, data, error))
    {
      rollback (self);
      return FALSE;
    }
  if (!exec_sql (self, "COMMIT", HP_STORE_ERROR_WRITE, what, error))
    {
      rollback (self);
      return FALSE;
    }
  return TRUE;
}

static gboolean
add_field_key (HpStore  *self,
               gpointer  data,
               GError  **error)
{
  return add_data_key (self, "field", data, error);
}

guint32
hp_store_rotate_data_key (HpStore  *self,
                          GError  **error)
{
  guint32 new_id = 0;

  g_return_val_if_fail (HP_IS_STORE (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (!check_unlocked (self, error))
    return 0;
  if (!in_write_transaction (self, "Adding a data key", add_field_key, &new_id, error))
    {
      /* A key added to memory for a rolled-back row must not seal anything. */
      if (!unlock_keys (self, NULL))
        lock_keys (self);
      return 0;
    }
  return new_id;
}

/* Keys of the new root key while re-wrapping. */
typedef struct {
  guint8 kek[HP_CRYPTO_KEY_SIZE];
  guint8 lookup_key[HP_CRYPTO_KEY_SIZE];
} RootKeys;

static gboolean
update_blob (HpStore        *self,
             const char     *sql,
             const void     *blob,
             gsize           length,
             sqlite3_int64   id,
             GError        **error)
{
  g_auto(HpOneOffStatement) update = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &update, NULL) != SQLITE_OK)
    return read_failed (self, "the key tables", error);
  sqlite3_bind_blob (update, 1, blob, (int) length, SQLITE_STATIC);
  sqlite3_bind_int64 (update, 2, id);
  if (sqlite3_step (update) != SQLITE_DONE)
    {
      int rc = sqlite3_extended_errcode (self->db);

      g_set_error (error, HP_STORE_ERROR, error_code_for (rc, HP_STORE_ERROR_WRITE),
                   "Cannot update the key tables of %s (%s)", self->path, sqlite3_errstr (rc));
      return FALSE;
    }
  return TRUE;
}

static gboolean
rewrap_data_keys (HpStore   *self,
                  RootKeys  *root,
                  GError   **error)
{
  g_auto(HpOneOffStatement) select = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, "SELECT id, purpose FROM data_keys", -1, &select, NULL) != SQLITE_OK)
    return read_failed (self, "the data keys", error);
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GBytes) wrapped = NULL;
      guint32 id = (guint32) sqlite3_column_int64 (select, 0);
      const char *purpose = (const char *) sqlite3_column_text (select, 1);
      HpFieldPlace place = wrapped_key_place (purpose, id);
      const guint8 *key;

      if (g_strcmp0 (purpose, "dedupe") == 0)
        {
          key = self->dedupe_key;
        }
      else
        {
          const DataKey *data_key = find_field_key (self, id);

          if (data_key == NULL)
            return damaged_row (self, "a data key that was not unlocked", error);
          key = data_key->key;
        }
      wrapped = hp_crypto_seal (root->kek, KEK_KEY_ID, &place, key, HP_CRYPTO_KEY_SIZE, &local_error);
      if (wrapped == NULL)
        return crypto_failed (local_error, "Re-wrapping a data key", error);
      if (!update_blob (self, "UPDATE data_keys SET wrapped = ?1 WHERE id = ?2",
                        g_bytes_get_data (wrapped, NULL), g_bytes_get_size (wrapped), id, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    return read_failed (self, "the data keys", error);
  return TRUE;
}

/* The lookup column is an HMAC under the root key's lookup key, so each
 * code is opened and hashed again under the new one. */
static gboolean
recompute_patient_lookups (HpStore   *self,
                           RootKeys  *root,
                           GError   **error)
{
  g_auto(HpOneOffStatement) select = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, "SELECT id, code FROM patients", -1, &select, NULL) != SQLITE_OK)
    return read_failed (self, "the patients", error);
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      HpFieldPlace place = { "patients", "code", sqlite3_column_int64 (select, 0) };
      g_autoptr(GBytes) code = NULL;
      guint8 lookup[HP_CRYPTO_MAC_SIZE];

      code = open_field (self, &place, sqlite3_column_blob (select, 1),
                         (gsize) sqlite3_column_bytes (select, 1), error);
      if (code == NULL
          || !hmac (root->lookup_key, g_bytes_get_data (code, NULL), g_bytes_get_size (code),
                    lookup, error)
          || !update_blob (self, "UPDATE patients SET lookup = ?1 WHERE id = ?2",
                           lookup, sizeof lookup, place.row_id, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    return read_failed (self, "the patients", error);
  return TRUE;
}

static gboolean
rewrap_all (HpStore  *self,
            gpointer  data,
            GError  **error)
{
  RootKeys *root = data;

  /* Keys another connection added are re-wrapped too. */
  return unlock_keys (self, error)
         && rewrap_data_keys (self, root, error)
         && recompute_patient_lookups (self, root, error);
}

gboolean
hp_store_rewrap_keys (HpStore    *self,
                      HpKeyring  *new_keyring,
                      GError    **error)
{
  RootKeys root;
  gboolean done;

  g_return_val_if_fail (HP_IS_STORE (self), FALSE);
  g_return_val_if_fail (HP_IS_KEYRING (new_keyring), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_unlocked (self, error))
    return FALSE;
  if (!derive_root_keys (new_keyring, root.kek, root.lookup_key, error))
    return FALSE;
  done = in_write_transaction (self, "Re-wrapping the data keys", rewrap_all, &root, error);
  hp_crypto_wipe (&root, sizeof root);
  if (!done)
    return FALSE;

  g_set_object (&self->keyring, new_keyring);
  if (!unlock_keys (self, error))
    {
      lock_keys (self);
      return FALSE;
    }
  return TRUE;
}

static gboolean
device_hash (HpStore     *self,
             const char  *device_id,
             guint8      *hash,
             GError     **error)
{
  g_autofree char *labelled = g_strconcat ("device:", device_id, NULL);

  return hmac (self->dedupe_key, labelled, strlen (labelled), hash, error);
}

typedef struct {
  const char *device_id;
  const char *protocol;
  gint64 when;
} DeviceSighting;

static gboolean
note_device (HpStore  *self,
             gpointer  data,
             GError  **error)
{
  DeviceSighting *sighting = data;
  g_auto(HpBorrowedStatement) find = NULL;
  guint8 hash[HP_CRYPTO_MAC_SIZE];
  sqlite3_int64 id = 0;
  int rc;

  if (!device_hash (self, sighting->device_id, hash, error))
    return FALSE;
  find = get_statement (self, STMT_FIND_DEVICE, HP_STORE_ERROR_WRITE, error);
  if (find == NULL)
    return FALSE;
  sqlite3_bind_blob (find, 1, hash, sizeof hash, SQLITE_STATIC);
  rc = sqlite3_step (find);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (find, 0);
  else if (rc != SQLITE_DONE)
    return read_failed (self, "the devices seen", error);

  if (id != 0)
    {
      g_auto(HpBorrowedStatement) update = get_statement (self, STMT_UPDATE_DEVICE,
                                                          HP_STORE_ERROR_WRITE, error);

      if (update == NULL)
        return FALSE;
      sqlite3_bind_int64 (update, 1, id);
      sqlite3_bind_text (update, 2, sighting->protocol, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (update, 3, sighting->when);
      rc = sqlite3_step (update);
    }
  else
    {
      g_auto(HpBorrowedStatement) insert = NULL;
      g_autoptr(GBytes) sealed = NULL;
      HpFieldPlace place = { "devices_seen", "device", 0 };
      sqlite3_int64 new_id = 0;

      if (!next_id (self, STMT_MAX_DEVICE_ID, &new_id, error))
        return FALSE;
      place.row_id = new_id;
      sealed = seal_field (self, &place, sighting->device_id, strlen (sighting->device_id), error);
      if (sealed == NULL)
        return FALSE;
      insert = get_statement (self, STMT_INSERT_DEVICE, HP_STORE_ERROR_WRITE, error);
      if (insert == NULL)
        return FALSE;
      sqlite3_bind_int64 (insert, 1, place.row_id);
      sqlite3_bind_blob (insert, 2, hash, sizeof hash, SQLITE_STATIC);
      sqlite3_bind_blob (insert, 3, g_bytes_get_data (sealed, NULL),
                         (int) g_bytes_get_size (sealed), SQLITE_STATIC);
      sqlite3_bind_text (insert, 4, sighting->protocol, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (insert, 5, sighting->when);
      rc = sqlite3_step (insert);
    }
  if (rc != SQLITE_DONE)
    {
      rc = sqlite3_extended_errcode (self->db);
      g_set_error (error, HP_STORE_ERROR, error_code_for (rc, HP_STORE_ERROR_WRITE),
                   "Cannot note a device in %s (%s)", self->path, sqlite3_errstr (rc));
      return FALSE;
    }
  return TRUE;
}

gboolean
hp_store_note_device_seen (HpStore     *self,
                           const char  *device_id,
                           const char  *protocol,
                           GDateTime   *when,
                           GError     **error)
{
  DeviceSighting sighting;

  g_return_val_if_fail (HP_IS_STORE (self), FALSE);
  g_return_val_if_fail (device_id != NULL && protocol != NULL && when != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_unlocked (self, error))
    return FALSE;
  if (*device_id == '\0' || *protocol == '\0'
      || !g_utf8_validate (device_id, -1, NULL) || !g_utf8_validate (protocol, -1, NULL))
    {
      g_set_error_literal (error, HP_STORE_ERROR, HP_STORE_ERROR_INVALID,
                           "A device id and protocol must be non-empty text");
      return FALSE;
    }
  sighting.device_id = device_id;
  sighting.protocol = protocol;
  sighting.when = datetime_to_usec (when);
  return in_write_transaction (self, "Noting a device", note_device, &sighting, error);
}

gboolean
hp_store_lookup_device_seen (HpStore     *self,
                             const char  *device_id,
                             char       **protocol,
                             GDateTime  **first_seen,
                             GDateTime  **last_seen,
                             GError     **error)
{
  g_auto(HpBorrowedStatement) find = NULL;
  g_autoptr(GBytes) sealed_id = NULL;
  g_autoptr(GDateTime) first = NULL;
  g_autoptr(GDateTime) last = NULL;
  guint8 hash[HP_CRYPTO_MAC_SIZE];
  HpFieldPlace place = { "devices_seen", "device", 0 };
  int rc;

  g_return_val_if_fail (HP_IS_STORE (self), FALSE);
  g_return_val_if_fail (device_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_unlocked (self, error) || !device_hash (self, device_id, hash, error))
    return FALSE;
  find = get_statement (self, STMT_FIND_DEVICE, HP_STORE_ERROR_OPEN, error);
  if (find == NULL)
    return FALSE;
  sqlite3_bind_blob (find, 1, hash, sizeof hash, SQLITE_STATIC);
  rc = sqlite3_step (find);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, HP_STORE_ERROR, HP_STORE_ERROR_NOT_FOUND,
                           "That device was never seen");
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return read_failed (self, "the devices seen", error);

  /* The sealed id must match: a row moved under another hash is damage. */
  place.row_id = sqlite3_column_int64 (find, 0);
  sealed_id = open_field (self, &place, sqlite3_column_blob (find, 1),
                          (gsize) sqlite3_column_bytes (find, 1), error);
  if (sealed_id == NULL)
    return FALSE;
  if (g_bytes_get_size (sealed_id) != strlen (device_id)
      || memcmp (g_bytes_get_data (sealed_id, NULL), device_id, strlen (device_id)) != 0)
    return damaged_row (self, "a device under another device's hash", error);
  first = datetime_from_usec (sqlite3_column_int64 (find, 3));
  last = datetime_from_usec (sqlite3_column_int64 (find, 4));
  if (first == NULL || last == NULL || sqlite3_column_text (find, 2) == NULL)
    return damaged_row (self, "a device seen", error);

  if (protocol != NULL)
    *protocol = g_strdup ((const char *) sqlite3_column_text (find, 2));
  if (first_seen != NULL)
    *first_seen = g_steal_pointer (&first);
  if (last_seen != NULL)
    *last_seen = g_steal_pointer (&last);
  return TRUE;
}

char *
hp_store_get_setting (HpStore     *self,
                      const char  *key,
                      GError     **error)
{
  g_auto(HpBorrowedStatement) select = NULL;
  int rc;

  g_return_val_if_fail (HP_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  select = get_statement (self, STMT_GET_SETTING, HP_STORE_ERROR_OPEN, error);
  if (select == NULL)
    return NULL;
  sqlite3_bind_text (select, 1, key, -1, SQLITE_STATIC);
  rc = sqlite3_step (select);
  if (rc == SQLITE_ROW && sqlite3_column_text (select, 0) != NULL)
    return g_strdup ((const char *) sqlite3_column_text (select, 0));
  if (rc == SQLITE_DONE)
    g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_NOT_FOUND,
                 "The setting %s is not set", key);
  else
    read_failed (self, "a setting", error);
  return NULL;
}

gboolean
hp_store_set_setting (HpStore     *self,
                      const char  *key,
                      const char  *value,
                      GError     **error)
{
  g_auto(HpBorrowedStatement) upsert = NULL;

  g_return_val_if_fail (HP_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL && value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  upsert = get_statement (self, STMT_SET_SETTING, HP_STORE_ERROR_WRITE, error);
  if (upsert == NULL)
    return FALSE;
  sqlite3_bind_text (upsert, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (upsert, 2, value, -1, SQLITE_STATIC);
  if (sqlite3_step (upsert) != SQLITE_DONE)
    {
      int rc = sqlite3_extended_errcode (self->db);

      g_set_error (error, HP_STORE_ERROR, error_code_for (rc, HP_STORE_ERROR_WRITE),
                   "Cannot store the setting %s in %s (%s)", key, self->path, sqlite3_errstr (rc));
      return FALSE;
    }
  return TRUE;
}

gboolean
hp_store_check_patient_pins (HpStore  *self,
                             GError  **error)
{
  if (!check_unlocked (self, error))
    return FALSE;
  if (self->schema_version < HP_STORE_PATIENT_PIN_VERSION)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_INVALID,
                   "The database %s was opened at schema version %u, without patient PINs",
                   self->path, self->schema_version);
      return FALSE;
    }
  return TRUE;
}

gboolean
hp_store_find_patient (HpStore   *self,
                       const char *code,
                       gint64    *patient_id,
                       GError   **error)
{
  g_autoptr(HpSecretString) normal = NULL;
  guint8 lookup[HP_CRYPTO_MAC_SIZE];
  sqlite3_int64 id = 0;

  g_return_val_if_fail (HP_IS_STORE (self), FALSE);
  g_return_val_if_fail (code != NULL && patient_id != NULL, FALSE);

  if (!hp_store_check_patient_pins (self, error))
    return FALSE;
  normal = normalize_patient_code (code);
  if (normal == NULL)
    {
      *patient_id = 0;
      return TRUE;
    }
  if (!patient_lookup (self, normal, lookup, error) || !find_patient (self, lookup, &id, error))
    return FALSE;
  *patient_id = id;
  return TRUE;
}

gboolean
hp_store_patient_code_lookup (HpStore      *self,
                              const char   *code,
                              guint8       *lookup,
                              GError      **error)
{
  g_autoptr(HpSecretString) normal = NULL;

  g_return_val_if_fail (HP_IS_STORE (self), FALSE);
  g_return_val_if_fail (code != NULL && lookup != NULL, FALSE);

  if (!hp_store_check_patient_pins (self, error))
    return FALSE;
  normal = normalize_patient_code (code);
  if (normal == NULL)
    {
      g_set_error_literal (error, HP_STORE_ERROR, HP_STORE_ERROR_INVALID,
                           "Not a personal code");
      return FALSE;
    }
  return patient_lookup (self, normal, lookup, error);
}

gboolean
hp_store_add_patient (HpStore     *self,
                      const char  *code,
                      gint64       created_at,
                      gint64      *patient_id,
                      GError     **error)
{
  g_autoptr(HpSecretString) normal = NULL;
  guint8 lookup[HP_CRYPTO_MAC_SIZE];
  sqlite3_int64 id = 0;

  g_return_val_if_fail (HP_IS_STORE (self), FALSE);
  g_return_val_if_fail (code != NULL && patient_id != NULL, FALSE);

  if (!hp_store_check_patient_pins (self, error))
    return FALSE;
  normal = normalize_patient_code (code);
  if (normal == NULL)
    {
      g_set_error_literal (error, HP_STORE_ERROR, HP_STORE_ERROR_INVALID,
                           "A patient code must be text and not blank");
      return FALSE;
    }
  if (!patient_lookup (self, normal, lookup, error)
      || !next_id (self, STMT_MAX_PATIENT_ID_EVER, &id, error)
      || !insert_patient (self, id, normal, lookup, created_at, error))
    return FALSE;
  *patient_id = id;
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
