/* Sealed fields (AES-256-GCM bound to their place in the store), HMAC and HKDF for the store and its keyring. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HP_CRYPTO_ERROR (hp_crypto_error_quark ())

typedef enum {
  HP_CRYPTO_ERROR_MALFORMED,      /* a sealed field does not have the layout below */
  HP_CRYPTO_ERROR_AUTHENTICATION, /* a sealed field was changed, moved, or sealed under another key */
  HP_CRYPTO_ERROR_FAILED,         /* the crypto library failed: no randomness, no memory */
} HpCryptoError;

GQuark hp_crypto_error_quark (void);

#define HP_CRYPTO_KEY_SIZE 32
#define HP_CRYPTO_MAC_SIZE 32

/* A sealed field, as stored in a BLOB column:
 *
 *   offset     size  content
 *   0          1     format version, HP_SEALED_VERSION
 *   1          4     key id, big-endian: which data key sealed it
 *   5          12    nonce, random for every seal
 *   17         n     ciphertext, as long as the plaintext
 *   17 + n     16    GCM tag
 *
 * The additional authenticated data is, in this order: the bytes "HPSF",
 * the table name and the column name each as a 2-byte big-endian length and
 * the bytes, the row id as 8 bytes big-endian, then the 5 header bytes
 * (version and key id). A field copied to another row, column or table, or
 * relabelled with another key id, fails authentication like a flipped bit. */
#define HP_SEALED_VERSION     1
#define HP_SEALED_NONCE_SIZE  12
#define HP_SEALED_TAG_SIZE    16
#define HP_SEALED_HEADER_SIZE (1 + 4 + HP_SEALED_NONCE_SIZE)
#define HP_SEALED_OVERHEAD    (HP_SEALED_HEADER_SIZE + HP_SEALED_TAG_SIZE)

/* Where a sealed field lives. */
typedef struct {
  const char *table;
  const char *column;
  gint64      row_id;
} HpFieldPlace;

/* Seals @plain_len bytes under @key, labelled with @key_id. */
GBytes   *hp_crypto_seal          (const guint8        *key,
                                   guint32              key_id,
                                   const HpFieldPlace  *place,
                                   const void          *plain,
                                   gsize                plain_len,
                                   GError             **error);

/* Checks the layout of @sealed and reads its key id, without any key. */
gboolean  hp_crypto_peek_key_id   (const guint8        *sealed,
                                   gsize                sealed_len,
                                   guint32             *key_id,
                                   GError             **error);

/* The plaintext of @sealed, in bytes wiped when freed; %NULL with
 * HP_CRYPTO_ERROR_AUTHENTICATION unless @sealed was made by
 * hp_crypto_seal() with this @key for this @place, unchanged. */
GBytes   *hp_crypto_open          (const guint8        *key,
                                   const HpFieldPlace  *place,
                                   const guint8        *sealed,
                                   gsize                sealed_len,
                                   GError             **error);

gboolean  hp_crypto_random        (void                *buffer,
                                   gsize                length,
                                   GError             **error);

gboolean  hp_crypto_hmac_sha256   (const guint8        *key,
                                   gsize                key_len,
                                   const void          *data,
                                   gsize                data_len,
                                   guint8              *mac,
                                   GError             **error);

/* HKDF-SHA256 (RFC 5869) of @ikm with a fixed @salt and @info. */
gboolean  hp_crypto_hkdf_sha256   (const guint8        *ikm,
                                   gsize                ikm_len,
                                   const char          *salt,
                                   const char          *info,
                                   guint8              *out,
                                   gsize                out_len,
                                   GError             **error);

/* Takes @data (g_malloc'd) into bytes that are wiped before they are freed. */
GBytes   *hp_crypto_secret_bytes_new_take (guint8      *data,
                                           gsize        length);

G_END_DECLS
