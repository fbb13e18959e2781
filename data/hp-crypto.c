/* Sealed fields (AES-256-GCM bound to their place in the store), HMAC and HKDF for the store and its keyring. */
#include "hp-crypto.h"
#include "hp-secret.h"

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

G_DEFINE_QUARK (hp-crypto-error-quark, hp_crypto_error)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_CIPHER_CTX, EVP_CIPHER_CTX_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_KDF, EVP_KDF_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_KDF_CTX, EVP_KDF_CTX_free)

/* Table and column names are ours and short; the limit keeps the
 * additional data's length prefixes honest. */
#define MAX_NAME_LENGTH 255

typedef struct {
  guint8 *data;
  gsize length;
} SecretBuffer;

static void
secret_buffer_free (gpointer user_data)
{
  SecretBuffer *secret = user_data;

  hp_secret_wipe (secret->data, secret->length);
  g_free (secret->data);
  g_free (secret);
}

GBytes *
hp_crypto_secret_bytes_new_take (guint8 *data,
                                 gsize   length)
{
  SecretBuffer *secret = g_new (SecretBuffer, 1);

  secret->data = data;
  secret->length = length;
  return g_bytes_new_with_free_func (data, length, secret_buffer_free, secret);
}

/* OpenSSL's own reason is about the library, never about the data, so it is
 * safe to pass on; it helps tell a missing provider from a bad input. */
static gboolean
library_failed (const char  *what,
                GError     **error)
{
  unsigned long code = ERR_get_error ();
  char reason[256] = "no reason given";

  if (code != 0)
    ERR_error_string_n (code, reason, sizeof reason);
  ERR_clear_error ();
  g_set_error (error, HP_CRYPTO_ERROR, HP_CRYPTO_ERROR_FAILED,
               "%s failed in the crypto library: %s", what, reason);
  return FALSE;
}

gboolean
hp_crypto_random (void    *buffer,
                  gsize    length,
                  GError **error)
{
  g_return_val_if_fail (length <= G_MAXINT, FALSE);

  if (RAND_bytes (buffer, (int) length) != 1)
    return library_failed ("Drawing random bytes", error);
  return TRUE;
}

static void
put_u16 (guint8  *out,
         guint16  value)
{
  out[0] = (guint8) (value >> 8);
  out[1] = (guint8) value;
}

static void
put_u32 (guint8  *out,
         guint32  value)
{
  out[0] = (guint8) (value >> 24);
  out[1] = (guint8) (value >> 16);
  out[2] = (guint8) (value >> 8);
  out[3] = (guint8) value;
}

static guint32
get_u32 (const guint8 *in)
{
  return (guint32) in[0] << 24 | (guint32) in[1] << 16 | (guint32) in[2] << 8 | in[3];
}

/* The additional data: "HPSF", table, column, row id, header. */
static GByteArray *
build_aad (const HpFieldPlace *place,
           const guint8       *header)
{
  gsize table_length = strlen (place->table);
  gsize column_length = strlen (place->column);
  GByteArray *aad = g_byte_array_sized_new ((guint) (4 + 2 + table_length + 2 + column_length + 8 + 5));
  guint8 number[8];

  g_byte_array_append (aad, (const guint8 *) "HPSF", 4);
  put_u16 (number, (guint16) table_length);
  g_byte_array_append (aad, number, 2);
  g_byte_array_append (aad, (const guint8 *) place->table, (guint) table_length);
  put_u16 (number, (guint16) column_length);
  g_byte_array_append (aad, number, 2);
  g_byte_array_append (aad, (const guint8 *) place->column, (guint) column_length);
  put_u32 (number, (guint32) ((guint64) place->row_id >> 32));
  put_u32 (number + 4, (guint32) place->row_id);
  g_byte_array_append (aad, number, 8);
  g_byte_array_append (aad, header, 5);
  return aad;
}

static gboolean
place_is_valid (const HpFieldPlace *place)
{
  return place != NULL
         && place->table != NULL && strlen (place->table) <= MAX_NAME_LENGTH
         && place->column != NULL && strlen (place->column) <= MAX_NAME_LENGTH;
}

GBytes *
hp_crypto_seal (const guint8        *key,
                guint32              key_id,
                const HpFieldPlace  *place,
                const void          *plain,
                gsize                plain_len,
                GError             **error)
{
  g_autoptr(EVP_CIPHER_CTX) ctx = NULL;
  g_autoptr(GByteArray) aad = NULL;
  g_autofree guint8 *sealed = NULL;
  gsize sealed_len;
  int out_len = 0;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (place_is_valid (place), NULL);
  g_return_val_if_fail (plain != NULL || plain_len == 0, NULL);
  g_return_val_if_fail (plain_len <= G_MAXINT - HP_SEALED_OVERHEAD, NULL);

  sealed_len = HP_SEALED_OVERHEAD + plain_len;
  sealed = g_malloc (sealed_len);
  sealed[0] = HP_SEALED_VERSION;
  put_u32 (sealed + 1, key_id);
  if (!hp_crypto_random (sealed + 5, HP_SEALED_NONCE_SIZE, error))
    return NULL;
  aad = build_aad (place, sealed);

  ctx = EVP_CIPHER_CTX_new ();
  if (ctx == NULL
      || EVP_EncryptInit_ex2 (ctx, EVP_aes_256_gcm (), key, sealed + 5, NULL) != 1
      || EVP_EncryptUpdate (ctx, NULL, &out_len, aad->data, (int) aad->len) != 1
      || (plain_len > 0
          && EVP_EncryptUpdate (ctx, sealed + HP_SEALED_HEADER_SIZE, &out_len,
                                plain, (int) plain_len) != 1)
      || EVP_EncryptFinal_ex (ctx, sealed + HP_SEALED_HEADER_SIZE + plain_len, &out_len) != 1
      || EVP_CIPHER_CTX_ctrl (ctx, EVP_CTRL_GCM_GET_TAG, HP_SEALED_TAG_SIZE,
                              sealed + HP_SEALED_HEADER_SIZE + plain_len) != 1)
    {
      library_failed ("Sealing a field", error);
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&sealed), sealed_len);
}

gboolean
hp_crypto_peek_key_id (const guint8  *sealed,
                       gsize          sealed_len,
                       guint32       *key_id,
                       GError       **error)
{
  if (sealed == NULL || sealed_len < HP_SEALED_OVERHEAD)
    {
      g_set_error (error, HP_CRYPTO_ERROR, HP_CRYPTO_ERROR_MALFORMED,
                   "A sealed field of %" G_GSIZE_FORMAT " bytes is shorter than its "
                   "%d bytes of header and tag", sealed_len, HP_SEALED_OVERHEAD);
      return FALSE;
    }
  if (sealed[0] != HP_SEALED_VERSION)
    {
      g_set_error (error, HP_CRYPTO_ERROR, HP_CRYPTO_ERROR_MALFORMED,
                   "A sealed field has format version %u; this build reads %u",
                   sealed[0], HP_SEALED_VERSION);
      return FALSE;
    }
  if (sealed_len - HP_SEALED_OVERHEAD > G_MAXINT)
    {
      g_set_error_literal (error, HP_CRYPTO_ERROR, HP_CRYPTO_ERROR_MALFORMED,
                           "A sealed field is too long to be one of ours");
      return FALSE;
    }
  if (key_id != NULL)
    *key_id = get_u32 (sealed + 1);
  return TRUE;
}

GBytes *
hp_crypto_open (const guint8        *key,
                const HpFieldPlace  *place,
                const guint8        *sealed,
                gsize                sealed_len,
                GError             **error)
{
  g_autoptr(EVP_CIPHER_CTX) ctx = NULL;
  g_autoptr(GByteArray) aad = NULL;
  g_autoptr(GBytes) plain_bytes = NULL;
  guint8 *plain;
  guint8 tag[HP_SEALED_TAG_SIZE];
  gsize plain_len;
  int out_len = 0;
  int rc;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (place_is_valid (place), NULL);

  if (!hp_crypto_peek_key_id (sealed, sealed_len, NULL, error))
    return NULL;
  plain_len = sealed_len - HP_SEALED_OVERHEAD;
  /* One spare byte: a zero-length plaintext still gets a buffer. */
  plain = g_malloc (plain_len + 1);
  plain_bytes = hp_crypto_secret_bytes_new_take (plain, plain_len);
  memcpy (tag, sealed + HP_SEALED_HEADER_SIZE + plain_len, HP_SEALED_TAG_SIZE);
  aad = build_aad (place, sealed);

  ctx = EVP_CIPHER_CTX_new ();
  if (ctx == NULL
      || EVP_DecryptInit_ex2 (ctx, EVP_aes_256_gcm (), key, sealed + 5, NULL) != 1
      || EVP_DecryptUpdate (ctx, NULL, &out_len, aad->data, (int) aad->len) != 1
      || (plain_len > 0
          && EVP_DecryptUpdate (ctx, plain, &out_len, sealed + HP_SEALED_HEADER_SIZE,
                                (int) plain_len) != 1)
      || EVP_CIPHER_CTX_ctrl (ctx, EVP_CTRL_GCM_SET_TAG, HP_SEALED_TAG_SIZE, tag) != 1)
    {
      library_failed ("Opening a sealed field", error);
      return NULL;
    }
  rc = EVP_DecryptFinal_ex (ctx, plain + plain_len, &out_len);
  if (rc != 1)
    {
      /* A failed tag check leaves no reason in the error queue worth telling. */
      ERR_clear_error ();
      g_set_error (error, HP_CRYPTO_ERROR, HP_CRYPTO_ERROR_AUTHENTICATION,
                   "A sealed field in %s.%s fails authentication: it was changed, "
                   "moved from another place, or sealed under another key",
                   place->table, place->column);
      return NULL;
    }
  return g_steal_pointer (&plain_bytes);
}

gboolean
hp_crypto_hmac_sha256 (const guint8  *key,
                       gsize          key_len,
                       const void    *data,
                       gsize          data_len,
                       guint8        *mac,
                       GError       **error)
{
  size_t mac_len = 0;

  g_return_val_if_fail (key != NULL && mac != NULL, FALSE);
  g_return_val_if_fail (data != NULL || data_len == 0, FALSE);

  if (EVP_Q_mac (NULL, "HMAC", NULL, "SHA256", NULL, key, key_len,
                 data, data_len, mac, HP_CRYPTO_MAC_SIZE, &mac_len) == NULL
      || mac_len != HP_CRYPTO_MAC_SIZE)
    return library_failed ("HMAC-SHA256", error);
  return TRUE;
}

gboolean
hp_crypto_hkdf_sha256 (const guint8  *ikm,
                       gsize          ikm_len,
                       const char    *salt,
                       const char    *info,
                       guint8        *out,
                       gsize          out_len,
                       GError       **error)
{
  g_autoptr(EVP_KDF) kdf = NULL;
  g_autoptr(EVP_KDF_CTX) ctx = NULL;
  OSSL_PARAM params[5];
  char digest[] = "SHA256";

  g_return_val_if_fail (ikm != NULL && salt != NULL && info != NULL && out != NULL, FALSE);

  params[0] = OSSL_PARAM_construct_utf8_string (OSSL_KDF_PARAM_DIGEST, digest, 0);
  params[1] = OSSL_PARAM_construct_octet_string (OSSL_KDF_PARAM_KEY, (void *) ikm, ikm_len);
  params[2] = OSSL_PARAM_construct_octet_string (OSSL_KDF_PARAM_SALT, (void *) salt, strlen (salt));
  params[3] = OSSL_PARAM_construct_octet_string (OSSL_KDF_PARAM_INFO, (void *) info, strlen (info));
  params[4] = OSSL_PARAM_construct_end ();

  kdf = EVP_KDF_fetch (NULL, "HKDF", NULL);
  if (kdf == NULL)
    return library_failed ("Finding HKDF", error);
  ctx = EVP_KDF_CTX_new (kdf);
  if (ctx == NULL || EVP_KDF_derive (ctx, out, out_len, params) != 1)
    return library_failed ("Deriving a key with HKDF", error);
  return TRUE;
}
