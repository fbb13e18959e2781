/* HpStore: what the kiosk keeps beside the visits: the devices it has seen (their ids sealed) and staff settings. */
#include "hp-store.h"
#include "hp-store-private.h"

#include <string.h>

#include "hp-crypto.h"
#include "hp-sql-private.h"

static gboolean
device_hash (HpStore     *self,
             const char  *device_id,
             guint8      *hash,
             GError     **error)
{
  g_autofree char *labelled = g_strconcat ("device:", device_id, NULL);

  return hp_store_hmac (self->dedupe_key, labelled, strlen (labelled), hash, error);
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
  find = hp_store_get_statement (self, HP_STORE_STMT_FIND_DEVICE, HP_STORE_ERROR_WRITE, error);
  if (find == NULL)
    return FALSE;
  sqlite3_bind_blob (find, 1, hash, sizeof hash, SQLITE_STATIC);
  rc = sqlite3_step (find);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (find, 0);
  else if (rc != SQLITE_DONE)
    return hp_store_read_failed (self, "the devices seen", error);

  if (id != 0)
    {
      g_auto(HpBorrowedStatement) update = hp_store_get_statement (self, HP_STORE_STMT_UPDATE_DEVICE,
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

      if (!hp_store_next_id (self, HP_STORE_STMT_MAX_DEVICE_ID, &new_id, error))
        return FALSE;
      place.row_id = new_id;
      sealed = hp_store_seal_field (self, &place, sighting->device_id, strlen (sighting->device_id), error);
      if (sealed == NULL)
        return FALSE;
      insert = hp_store_get_statement (self, HP_STORE_STMT_INSERT_DEVICE, HP_STORE_ERROR_WRITE, error);
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
      return hp_sql_set_error (error, HP_STORE_ERROR, hp_sql_store_error_code (rc, HP_STORE_ERROR_WRITE),
                               rc, NULL, "Cannot note a device in %s", self->path);
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

  if (!hp_store_check_unlocked (self, error))
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
  sighting.when = hp_store_datetime_to_usec (when);
  return hp_store_in_write_transaction (self, "Noting a device", note_device, &sighting, error);
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

  if (!hp_store_check_unlocked (self, error) || !device_hash (self, device_id, hash, error))
    return FALSE;
  find = hp_store_get_statement (self, HP_STORE_STMT_FIND_DEVICE, HP_STORE_ERROR_OPEN, error);
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
    return hp_store_read_failed (self, "the devices seen", error);

  /* The sealed id must match: a row moved under another hash is damage. */
  place.row_id = sqlite3_column_int64 (find, 0);
  sealed_id = hp_store_open_field (self, &place, sqlite3_column_blob (find, 1),
                                   (gsize) sqlite3_column_bytes (find, 1), error);
  if (sealed_id == NULL)
    return FALSE;
  if (g_bytes_get_size (sealed_id) != strlen (device_id)
      || memcmp (g_bytes_get_data (sealed_id, NULL), device_id, strlen (device_id)) != 0)
    return hp_store_damaged_row (self, "a device under another device's hash", error);
  first = hp_store_datetime_from_usec (sqlite3_column_int64 (find, 3));
  last = hp_store_datetime_from_usec (sqlite3_column_int64 (find, 4));
  if (first == NULL || last == NULL || sqlite3_column_text (find, 2) == NULL)
    return hp_store_damaged_row (self, "a device seen", error);

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

  select = hp_store_get_statement (self, HP_STORE_STMT_GET_SETTING, HP_STORE_ERROR_OPEN, error);
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
    hp_store_read_failed (self, "a setting", error);
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

  upsert = hp_store_get_statement (self, HP_STORE_STMT_SET_SETTING, HP_STORE_ERROR_WRITE, error);
  if (upsert == NULL)
    return FALSE;
  sqlite3_bind_text (upsert, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (upsert, 2, value, -1, SQLITE_STATIC);
  if (sqlite3_step (upsert) != SQLITE_DONE)
    {
      int rc = sqlite3_extended_errcode (self->db);

      return hp_sql_set_error (error, HP_STORE_ERROR, hp_sql_store_error_code (rc, HP_STORE_ERROR_WRITE),
                               rc, NULL, "Cannot store the setting %s in %s", key, self->path);
    }
  return TRUE;
}
