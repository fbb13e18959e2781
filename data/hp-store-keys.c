/* HpStore: its data keys, unwrapped with the root key, and the fields they seal; rotating and re-wrapping them. */
#include "hp-store.h"
#include "hp-secret.h"
#include "hp-store-private.h"

#include <string.h>

#include "hp-crypto.h"
#include "hp-sql-private.h"

/* Key id 0 in a wrapped data key names the key-encryption key. */
#define KEK_KEY_ID 0

/* The store's keys from the root key: the key-encryption key that wraps
 * the data keys, and the patient lookup key. */
gboolean
hp_store_derive_root_keys (HpKeyring  *keyring,
                           guint8     *kek,
                           guint8     *lookup_key,
                           GError    **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!hp_keyring_derive (keyring, HP_KEYRING_PURPOSE_STORE_KEK, kek,
                          HP_CRYPTO_KEY_SIZE, &local_error)
      || !hp_keyring_derive (keyring, HP_KEYRING_PURPOSE_PATIENT_LOOKUP, lookup_key,
                             HP_CRYPTO_KEY_SIZE, &local_error))
    return hp_store_crypto_failed (local_error, "Deriving the store's keys", error);
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
gboolean
hp_store_unlock_keys (HpStore  *self,
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

  field_keys = g_array_new (FALSE, TRUE, sizeof (HpStoreDataKey));
  g_array_set_clear_func (field_keys, hp_store_data_key_clear);
  if (!hp_store_derive_root_keys (self->keyring, kek, lookup_key, error))
    goto out;
  select = hp_store_get_statement (self, HP_STORE_STMT_SELECT_DATA_KEYS, HP_STORE_ERROR_OPEN, error);
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
          HpStoreDataKey data_key = { .id = (guint32) id };

          memcpy (data_key.key, g_bytes_get_data (key, NULL), HP_CRYPTO_KEY_SIZE);
          g_array_append_val (field_keys, data_key);
          hp_secret_wipe (&data_key, sizeof data_key);
        }
    }
  if (rc != SQLITE_DONE)
    {
      hp_sql_set_error (error, HP_STORE_ERROR, hp_sql_store_error_code (rc, HP_STORE_ERROR_OPEN),
                        rc, NULL, "Cannot read the data keys of %s", self->path);
      goto out;
    }
  if (field_keys->len == 0 || !have_dedupe)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_CORRUPT,
                   "The database %s has lost its data keys", self->path);
      goto out;
    }

  hp_store_lock_keys (self);
  g_array_append_vals (self->field_keys, field_keys->data, field_keys->len);
  memcpy (self->dedupe_key, dedupe_key, sizeof dedupe_key);
  memcpy (self->lookup_key, lookup_key, sizeof lookup_key);
  self->unlocked = TRUE;
  ok = TRUE;

out:
  hp_secret_wipe (kek, sizeof kek);
  hp_secret_wipe (lookup_key, sizeof lookup_key);
  hp_secret_wipe (dedupe_key, sizeof dedupe_key);
  return ok;
}

/* A fresh random data key, wrapped under the key-encryption key and
 * inserted; the caller holds the write transaction. */
gboolean
hp_store_add_data_key (HpStore     *self,
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
  HpStoreDataKey data_key = { 0 };
  HpFieldPlace place;
  sqlite3_int64 last;

  max_id = hp_store_get_statement (self, HP_STORE_STMT_MAX_DATA_KEY_ID, HP_STORE_ERROR_WRITE, error);
  if (max_id == NULL)
    return FALSE;
  if (sqlite3_step (max_id) != SQLITE_ROW)
    return hp_sql_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_WRITE,
                             sqlite3_extended_errcode (self->db), NULL,
                             "Cannot read the data keys of %s", self->path);
  last = sqlite3_column_int64 (max_id, 0);
  if (last < 0 || last >= G_MAXUINT32)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_CORRUPT,
                   "The database %s has no key id left for a new data key", self->path);
      return FALSE;
    }
  data_key.id = (guint32) last + 1;

  if (!hp_store_derive_root_keys (self->keyring, kek, lookup, error))
    return FALSE;
  hp_secret_wipe (lookup, sizeof lookup);
  place = wrapped_key_place (purpose, data_key.id);
  if (!hp_crypto_random (data_key.key, sizeof data_key.key, &local_error)
      || (wrapped = hp_crypto_seal (kek, KEK_KEY_ID, &place, data_key.key,
                                    sizeof data_key.key, &local_error)) == NULL)
    {
      hp_secret_wipe (kek, sizeof kek);
      hp_secret_wipe (&data_key, sizeof data_key);
      return hp_store_crypto_failed (local_error, "Making a data key", error);
    }
  hp_secret_wipe (kek, sizeof kek);

  insert = hp_store_get_statement (self, HP_STORE_STMT_INSERT_DATA_KEY, HP_STORE_ERROR_WRITE, error);
  if (insert == NULL)
    {
      hp_secret_wipe (&data_key, sizeof data_key);
      return FALSE;
    }
  sqlite3_bind_int64 (insert, 1, data_key.id);
  sqlite3_bind_text (insert, 2, purpose, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 3, g_get_real_time ());
  sqlite3_bind_blob (insert, 4, g_bytes_get_data (wrapped, NULL),
                     (int) g_bytes_get_size (wrapped), SQLITE_STATIC);
  if (sqlite3_step (insert) != SQLITE_DONE)
    {
      int rc = sqlite3_extended_errcode (self->db);

      hp_secret_wipe (&data_key, sizeof data_key);
      return hp_sql_set_error (error, HP_STORE_ERROR, hp_sql_store_error_code (rc, HP_STORE_ERROR_WRITE),
                               rc, NULL, "Cannot store a new data key in %s", self->path);
    }

  if (g_str_equal (purpose, "dedupe"))
    memcpy (self->dedupe_key, data_key.key, sizeof data_key.key);
  else
    g_array_append_val (self->field_keys, data_key);
  if (new_id != NULL)
    *new_id = data_key.id;
  hp_secret_wipe (&data_key, sizeof data_key);
  return TRUE;
}

gboolean
hp_store_check_unlocked (HpStore  *self,
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
  const HpStoreDataKey *newest;
  GBytes *sealed;

  if (!hp_store_check_unlocked (self, error))
    return NULL;
  newest = &g_array_index (self->field_keys, HpStoreDataKey, self->field_keys->len - 1);
  sealed = hp_crypto_seal (newest->key, newest->id, place, plain, plain_len, &local_error);
  if (sealed == NULL)
    hp_store_crypto_failed (local_error, "Sealing a field", error);
  return sealed;
}

static const HpStoreDataKey *
find_field_key (HpStore *self,
                guint32  id)
{
  for (guint i = 0; i < self->field_keys->len; i++)
    if (g_array_index (self->field_keys, HpStoreDataKey, i).id == id)
      return &g_array_index (self->field_keys, HpStoreDataKey, i);
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
  const HpStoreDataKey *key;
  GBytes *plain = NULL;
  guint32 key_id = 0;

  if (!hp_store_check_unlocked (self, error))
    return NULL;
  if (hp_crypto_peek_key_id (sealed, sealed_len, &key_id, &local_error))
    {
      key = find_field_key (self, key_id);
      /* Another connection may have added a data key since we unlocked. */
      if (key == NULL && hp_store_unlock_keys (self, NULL))
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

gboolean
hp_store_hmac (const guint8  *key,
               const void    *data,
               gsize          length,
               guint8        *mac,
               GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!hp_crypto_hmac_sha256 (key, HP_CRYPTO_KEY_SIZE, data, length, mac, &local_error))
    return hp_store_crypto_failed (local_error, "Computing a lookup key", error);
  return TRUE;
}

static gboolean
add_field_key (HpStore  *self,
               gpointer  data,
               GError  **error)
{
  return hp_store_add_data_key (self, "field", data, error);
}

guint32
hp_store_rotate_data_key (HpStore  *self,
                          GError  **error)
{
  guint32 new_id = 0;

  g_return_val_if_fail (HP_IS_STORE (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (!hp_store_check_unlocked (self, error))
    return 0;
  if (!hp_store_in_write_transaction (self, "Adding a data key", add_field_key, &new_id, error))
    {
      /* A key added to memory for a rolled-back row must not seal anything. */
      if (!hp_store_unlock_keys (self, NULL))
        hp_store_lock_keys (self);
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
    return hp_store_read_failed (self, "the key tables", error);
  sqlite3_bind_blob (update, 1, blob, (int) length, SQLITE_STATIC);
  sqlite3_bind_int64 (update, 2, id);
  if (sqlite3_step (update) != SQLITE_DONE)
    {
      int rc = sqlite3_extended_errcode (self->db);

      return hp_sql_set_error (error, HP_STORE_ERROR, hp_sql_store_error_code (rc, HP_STORE_ERROR_WRITE),
                               rc, NULL, "Cannot update the key tables of %s", self->path);
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
    return hp_store_read_failed (self, "the data keys", error);
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
          const HpStoreDataKey *data_key = find_field_key (self, id);

          if (data_key == NULL)
            return hp_store_damaged_row (self, "a data key that was not unlocked", error);
          key = data_key->key;
        }
      wrapped = hp_crypto_seal (root->kek, KEK_KEY_ID, &place, key, HP_CRYPTO_KEY_SIZE, &local_error);
      if (wrapped == NULL)
        return hp_store_crypto_failed (local_error, "Re-wrapping a data key", error);
      if (!update_blob (self, "UPDATE data_keys SET wrapped = ?1 WHERE id = ?2",
                        g_bytes_get_data (wrapped, NULL), g_bytes_get_size (wrapped), id, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    return hp_store_read_failed (self, "the data keys", error);
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
    return hp_store_read_failed (self, "the patients", error);
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      HpFieldPlace place = { "patients", "code", sqlite3_column_int64 (select, 0) };
      g_autoptr(GBytes) code = NULL;
      guint8 lookup[HP_CRYPTO_MAC_SIZE];

      code = open_field (self, &place, sqlite3_column_blob (select, 1),
                         (gsize) sqlite3_column_bytes (select, 1), error);
      if (code == NULL
          || !hp_store_hmac (root->lookup_key, g_bytes_get_data (code, NULL), g_bytes_get_size (code),
                             lookup, error)
          || !update_blob (self, "UPDATE patients SET lookup = ?1 WHERE id = ?2",
                           lookup, sizeof lookup, place.row_id, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    return hp_store_read_failed (self, "the patients", error);
  return TRUE;
}

static gboolean
rewrap_all (HpStore  *self,
            gpointer  data,
            GError  **error)
{
  RootKeys *root = data;

  /* Keys another connection added are re-wrapped too. */
  return hp_store_unlock_keys (self, error)
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

  if (!hp_store_check_unlocked (self, error))
    return FALSE;
  if (!hp_store_derive_root_keys (new_keyring, root.kek, root.lookup_key, error))
    return FALSE;
  done = hp_store_in_write_transaction (self, "Re-wrapping the data keys", rewrap_all, &root, error);
  hp_secret_wipe (&root, sizeof root);
  if (!done)
    return FALSE;

  g_set_object (&self->keyring, new_keyring);
  if (!hp_store_unlock_keys (self, error))
    {
      hp_store_lock_keys (self);
      return FALSE;
    }
  return TRUE;
}
