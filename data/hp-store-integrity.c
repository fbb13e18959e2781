/* Opening the store with a check that it is whole, and setting a damaged file aside with an alarm for staff. */
#include "hp-audit-chain.h"
#include "hp-store-damage.h"
#include "hp-store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

/* Written by migration 0001-visits.sql: 'HPST'. */
#define HEALTHPOST_APPLICATION_ID 0x48505354u

/* Enough for either header. */
#define HEADER_READ_SIZE 100

/* Reads up to @size bytes from the start of @path. FALSE with errno kept
 * when it cannot be read; ENOENT when it does not exist. */
static gboolean
read_head (const char *path,
           guint8     *buffer,
           gsize       size,
           gsize      *length)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);
  gsize got = 0;

  if (fd < 0)
    return FALSE;
  while (got < size)
    {
      gssize n = read (fd, buffer + got, size - got);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          close (fd);
          errno = saved_errno;
          return FALSE;
        }
      if (n == 0)
        break;
      got += (gsize) n;
    }
  close (fd);
  *length = got;
  return TRUE;
}

/* Damage visible in the raw files, found before SQLite opens them: SQLite
 * itself reads a write-ahead log with a bad header as empty, and would then
 * overwrite what it holds. */
static gboolean
check_files (const char     *path,
             HpStoreDamage  *damage,
             GError        **error)
{
  g_autofree char *wal_path = g_strconcat (path, "-wal", NULL);
  guint8 head[HEADER_READ_SIZE];
  gsize length = 0;

  *damage = HP_STORE_DAMAGE_NONE;
  if (!read_head (path, head, sizeof head, &length))
    {
      int saved_errno = errno;

      if (saved_errno == ENOENT)
        return TRUE;
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_OPEN,
                   "Cannot read the database %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  *damage = hp_store_damage_check_header (head, length, NULL, NULL);
  if (*damage != HP_STORE_DAMAGE_NONE)
    return TRUE;

  if (!read_head (wal_path, head, sizeof head, &length))
    {
      int saved_errno = errno;

      if (saved_errno == ENOENT)
        return TRUE;
      *damage = HP_STORE_DAMAGE_WAL_UNREADABLE;
      return TRUE;
    }
  *damage = hp_store_damage_check_wal_header (head, length);
  return TRUE;
}

/* Another program's database (or ours, newer) reports itself as such in a
 * well-formed header: that is a wrong path, not damage, and stays put. */
static gboolean
is_foreign (const char *path)
{
  guint8 head[HEADER_READ_SIZE];
  gsize length = 0;
  guint32 application_id = 0;
  guint32 user_version = 0;

  if (!read_head (path, head, sizeof head, &length)
      || hp_store_damage_check_header (head, length, &application_id, &user_version)
         != HP_STORE_DAMAGE_NONE
      || length == 0)
    return FALSE;
  return application_id != HEALTHPOST_APPLICATION_ID
         && (application_id != 0 || user_version != 0);
}

/* quick_check rather than integrity_check: it finds damaged pages and
 * records but skips matching every index against its table, which costs
 * the most on a large file (bench-store-integrity prints both). */
static gboolean
quick_check (HpStore        *store,
             HpStoreDamage  *damage,
             GError        **error)
{
  sqlite3 *db = hp_store_get_db (store);
  sqlite3_stmt *stmt = NULL;
  gboolean whole = FALSE;
  int rc;

  *damage = HP_STORE_DAMAGE_NONE;
  rc = sqlite3_prepare_v2 (db, "PRAGMA quick_check(1)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          whole = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") == 0;
          rc = SQLITE_OK;
        }
    }
  sqlite3_finalize (stmt);
  if (rc == SQLITE_OK)
    {
      if (!whole)
        *damage = HP_STORE_DAMAGE_FAILED_CHECK;
      return TRUE;
    }
  rc = sqlite3_extended_errcode (db) & 0xff;
  if (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB)
    {
      *damage = HP_STORE_DAMAGE_FAILED_CHECK;
      return TRUE;
    }
  g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_OPEN,
               "Cannot check the database %s: %s", hp_store_get_path (store),
               sqlite3_errstr (rc));
  return FALSE;
}

gboolean
hp_store_check_whole (HpStore  *store,
                      GError  **error)
{
  HpStoreDamage damage = HP_STORE_DAMAGE_NONE;

  g_return_val_if_fail (HP_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!quick_check (store, &damage, error))
    return FALSE;
  if (damage == HP_STORE_DAMAGE_NONE)
    return TRUE;
  g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_CORRUPT,
               "The database %s is damaged (SQLite's quick check fails)",
               hp_store_get_path (store));
  return FALSE;
}

static gboolean
load_alarms (const char  *alarms_path,
             GPtrArray  **alarms,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (alarms_path, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          *alarms = g_ptr_array_new_with_free_func ((GDestroyNotify) hp_store_alarm_free);
          return TRUE;
        }
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_OPEN,
                   "Cannot read the alarm record %s: %s", alarms_path, local_error->message);
      return FALSE;
    }
  *alarms = hp_store_alarms_parse (contents, length, &local_error);
  if (*alarms == NULL)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_CORRUPT,
                   "%s (%s)", local_error->message, alarms_path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
save_alarms (const char  *alarms_path,
             GPtrArray   *alarms,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;

  data = hp_store_alarms_to_data (alarms, &length);
  if (!g_file_set_contents_full (alarms_path, data, (gssize) length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_WRITE,
                   "Cannot write the alarm record %s: %s", alarms_path, local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* A name beside @path that no file has yet, with or without -wal/-shm. */
static char *
free_aside_name (const char *path,
                 const char *stamp)
{
  for (guint n = 1; ; n++)
    {
      g_autofree char *candidate = n == 1
        ? g_strdup_printf ("%s.damaged-%s", path, stamp)
        : g_strdup_printf ("%s.damaged-%s-%u", path, stamp, n);
      g_autofree char *candidate_wal = g_strconcat (candidate, "-wal", NULL);
      g_autofree char *candidate_shm = g_strconcat (candidate, "-shm", NULL);

      if (!g_file_test (candidate, G_FILE_TEST_EXISTS)
          && !g_file_test (candidate_wal, G_FILE_TEST_EXISTS)
          && !g_file_test (candidate_shm, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&candidate);
    }
}

static gboolean
move_if_present (const char  *from,
                 const char  *to,
                 GError     **error)
{
  if (g_rename (from, to) == 0 || errno == ENOENT)
    return TRUE;
  g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_WRITE,
               "Cannot move the damaged %s aside to %s: %s", from, to, g_strerror (errno));
  return FALSE;
}

/* Records the alarm first, so that staff hear of the damage even if the
 * power fails while the files are moved; then moves the log and shared
 * memory before the database, so that no log is ever left beside a file it
 * does not belong to, and the audit log's anchor after it, as evidence of
 * the head that database had. The moved files keep SQLite's names for
 * each other and open together. */
static HpStoreAlarm *
set_aside (const char     *path,
           HpStoreDamage   damage,
           GError        **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GPtrArray) alarms = NULL;
  g_autoptr(HpStoreAlarm) alarm = g_new0 (HpStoreAlarm, 1);
  g_autofree char *alarms_path = hp_store_alarms_path (path);
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *aside = free_aside_name (path, stamp);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *aside_wal = g_strconcat (aside, "-wal", NULL);
  g_autofree char *aside_shm = g_strconcat (aside, "-shm", NULL);
  g_autofree char *anchor = hp_audit_anchor_path (path);
  g_autofree char *aside_anchor = hp_audit_anchor_path (aside);
  HpStoreAlarm *copy;

  if (!load_alarms (alarms_path, &alarms, error))
    return NULL;
  alarm->id = g_path_get_basename (aside);
  alarm->found_at = g_date_time_ref (now);
  alarm->damage = damage;
  alarm->moved_to = g_filename_display_name (aside);

  copy = g_new0 (HpStoreAlarm, 1);
  copy->id = g_strdup (alarm->id);
  copy->found_at = g_date_time_ref (alarm->found_at);
  copy->damage = alarm->damage;
  copy->moved_to = g_strdup (alarm->moved_to);
  g_ptr_array_add (alarms, copy);
  if (!save_alarms (alarms_path, alarms, error))
    return NULL;

  if (!move_if_present (wal, aside_wal, error)
      || !move_if_present (shm, aside_shm, error)
      || !move_if_present (path, aside, error)
      || !move_if_present (anchor, aside_anchor, error)
      || !hp_store_sync_folder (path, error))
    return NULL;

  g_message ("%s is damaged (%s); moved aside to %s, a fresh database takes its place",
             path, hp_store_damage_to_string (damage), aside);
  return g_steal_pointer (&alarm);
}

static HpStore *
open_store (const char  *path,
            HpKeyring   *keyring,
            GError     **error)
{
  if (keyring != NULL)
    return hp_store_open_with_keyring (path, keyring, error);
  return hp_store_open_demo (path, error);
}

HpStore *
hp_store_open_recovering (const char     *path,
                          HpKeyring      *keyring,
                          HpStoreAlarm  **alarm,
                          GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(HpStore) store = NULL;
  g_autoptr(HpStoreAlarm) new_alarm = NULL;
  HpStoreDamage damage = HP_STORE_DAMAGE_NONE;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (keyring == NULL || HP_IS_KEYRING (keyring), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (alarm != NULL)
    *alarm = NULL;
  if (!check_files (path, &damage, error))
    return NULL;

  if (damage == HP_STORE_DAMAGE_NONE)
    {
      store = open_store (path, keyring, &local_error);
      if (store == NULL)
        {
          if (!g_error_matches (local_error, HP_STORE_ERROR, HP_STORE_ERROR_CORRUPT)
              || is_foreign (path))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          g_clear_error (&local_error);
          damage = HP_STORE_DAMAGE_FAILED_CHECK;
        }
      else
        {
          if (!quick_check (store, &damage, error))
            return NULL;
          if (damage == HP_STORE_DAMAGE_NONE)
            return g_steal_pointer (&store);
          /* Closing must not checkpoint the log into a damaged file:
           * what is set aside stays as it was found. */
          sqlite3_db_config (hp_store_get_db (store), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
          g_clear_object (&store);
        }
    }

  new_alarm = set_aside (path, damage, error);
  if (new_alarm == NULL)
    return NULL;
  store = open_store (path, keyring, &local_error);
  if (store == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  "The damaged database was moved to %s, but a fresh one "
                                  "cannot be opened: ", new_alarm->moved_to);
      return NULL;
    }
  if (alarm != NULL)
    *alarm = g_steal_pointer (&new_alarm);
  return g_steal_pointer (&store);
}

GPtrArray *
hp_store_list_alarms (const char  *database_path,
                      gboolean     include_acknowledged,
                      GError     **error)
{
  g_autofree char *alarms_path = NULL;
  g_autoptr(GPtrArray) alarms = NULL;

  g_return_val_if_fail (database_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  alarms_path = hp_store_alarms_path (database_path);
  if (!load_alarms (alarms_path, &alarms, error))
    return NULL;
  if (!include_acknowledged)
    for (guint i = alarms->len; i > 0; i--)
      {
        HpStoreAlarm *alarm = g_ptr_array_index (alarms, i - 1);

        if (alarm->acknowledged_at != NULL)
          g_ptr_array_remove_index (alarms, i - 1);
      }
  return g_steal_pointer (&alarms);
}

gboolean
hp_store_acknowledge_alarms (const char  *database_path,
                             guint       *n_acknowledged,
                             GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *alarms_path = NULL;
  g_autoptr(GPtrArray) alarms = NULL;
  guint n = 0;

  g_return_val_if_fail (database_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  alarms_path = hp_store_alarms_path (database_path);
  if (!load_alarms (alarms_path, &alarms, error))
    return FALSE;
  for (guint i = 0; i < alarms->len; i++)
    {
      HpStoreAlarm *alarm = g_ptr_array_index (alarms, i);

      if (alarm->acknowledged_at == NULL)
        {
          alarm->acknowledged_at = g_date_time_ref (now);
          n++;
        }
    }
  if (n > 0 && !save_alarms (alarms_path, alarms, error))
    return FALSE;
  if (n_acknowledged != NULL)
    *n_acknowledged = n;
  return TRUE;
}
