/* PIN hashing and lockout back-off shared by staff accounts and returning patients. */
#include "hp-pin-hash-private.h"
#include "hp-secret.h"

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

/* Every setting a stored hash may name; older ones stay so their hashes
 * still verify after the cost is raised. */
static const HpPinKdf kdfs[] = {
  { "scrypt-n131072-r8-p1", 131072, 8, 1 },
  { "scrypt-n32768-r8-p1", 32768, 8, 1 },
};

/* N = 2^17, r = 8: OWASP's minimum for scrypt. 128 MiB and about 0.4 s a
 * try on a two-core kiosk (bench-staff-audit prints it): nothing for a
 * sign-in that opens the maintenance menu, ruinous for a guessing rig. */
const HpPinKdf *
hp_pin_kdf_for_staff (void)
{
  return &kdfs[0];
}

/* N = 2^15, r = 8: 32 MiB and about 0.1 s while the patient waits at the
 * screen. A patient's PIN guards far less than a staff PIN does, five
 * wrong ones lock the code, and a stolen file lacks the pepper. */
const HpPinKdf *
hp_pin_kdf_for_patients (void)
{
  return &kdfs[1];
}

const HpPinKdf *
hp_pin_kdf_find (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (kdfs); i++)
    if (g_strcmp0 (name, kdfs[i].name) == 0)
      return &kdfs[i];
  return NULL;
}

gboolean
hp_pin_read_stored (sqlite3_stmt *stmt,
                    int           first,
                    HpStoredPin  *stored)
{
  stored->failed_attempts = (guint) CLAMP (sqlite3_column_int64 (stmt, first + 3), 0, G_MAXINT);
  stored->locked_until = sqlite3_column_int64 (stmt, first + 4);
  stored->kdf = hp_pin_kdf_find ((const char *) sqlite3_column_text (stmt, first));
  if (stored->kdf == NULL
      || sqlite3_column_type (stmt, first + 1) != SQLITE_BLOB
      || sqlite3_column_bytes (stmt, first + 1) != HP_PIN_SALT_SIZE
      || sqlite3_column_type (stmt, first + 2) != SQLITE_BLOB
      || sqlite3_column_bytes (stmt, first + 2) != HP_PIN_HASH_SIZE)
    return FALSE;
  memcpy (stored->salt, sqlite3_column_blob (stmt, first + 1), HP_PIN_SALT_SIZE);
  memcpy (stored->hash, sqlite3_column_blob (stmt, first + 2), HP_PIN_HASH_SIZE);
  return TRUE;
}

gboolean
hp_pin_is_digits (const char *pin,
                  guint       min_digits,
                  guint       max_digits)
{
  gsize len;

  if (pin == NULL)
    return FALSE;
  /* strnlen: a long string is refused without reading all of it. */
  len = strnlen (pin, (gsize) max_digits + 1);
  if (len < min_digits || len > max_digits)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (pin[i]))
      return FALSE;
  return TRUE;
}

/* Without the pepper, which never enters the database, a copied file gives
 * nothing to guess against. */
gboolean
hp_pin_hash (const guint8    *pepper,
             gsize            pepper_len,
             const HpPinKdf  *kdf,
             const char      *pin,
             const guint8     salt[HP_PIN_SALT_SIZE],
             guint8           hash[HP_PIN_HASH_SIZE])
{
  guint8 peppered[HP_PIN_HASH_SIZE];
  size_t peppered_len = 0;
  EVP_KDF *scrypt = NULL;
  EVP_KDF_CTX *ctx = NULL;
  guint64 n = kdf->n;
  guint32 r = kdf->r;
  guint32 p = kdf->p;
  OSSL_PARAM args[6];
  gboolean done = FALSE;

  if (EVP_Q_mac (NULL, "HMAC", NULL, "SHA256", NULL, pepper, pepper_len,
                 (const unsigned char *) pin, strlen (pin),
                 peppered, sizeof peppered, &peppered_len) != NULL
      && peppered_len == sizeof peppered
      && (scrypt = EVP_KDF_fetch (NULL, "SCRYPT", NULL)) != NULL
      && (ctx = EVP_KDF_CTX_new (scrypt)) != NULL)
    {
      args[0] = OSSL_PARAM_construct_octet_string (OSSL_KDF_PARAM_PASSWORD,
                                                   peppered, sizeof peppered);
      args[1] = OSSL_PARAM_construct_octet_string (OSSL_KDF_PARAM_SALT,
                                                   (void *) salt, HP_PIN_SALT_SIZE);
      args[2] = OSSL_PARAM_construct_uint64 (OSSL_KDF_PARAM_SCRYPT_N, &n);
      args[3] = OSSL_PARAM_construct_uint32 (OSSL_KDF_PARAM_SCRYPT_R, &r);
      args[4] = OSSL_PARAM_construct_uint32 (OSSL_KDF_PARAM_SCRYPT_P, &p);
      args[5] = OSSL_PARAM_construct_end ();
      done = EVP_KDF_derive (ctx, hash, HP_PIN_HASH_SIZE, args) == 1;
    }
  EVP_KDF_CTX_free (ctx);
  EVP_KDF_free (scrypt);
  hp_secret_wipe (peppered, sizeof peppered);
  return done;
}

gboolean
hp_pin_hash_equal (const guint8 a[HP_PIN_HASH_SIZE],
                   const guint8 b[HP_PIN_HASH_SIZE])
{
  return CRYPTO_memcmp (a, b, HP_PIN_HASH_SIZE) == 0;
}

gboolean
hp_pin_new_salt (guint8 salt[HP_PIN_SALT_SIZE])
{
  return RAND_bytes (salt, HP_PIN_SALT_SIZE) == 1;
}

guint
hp_pin_lockout_seconds (guint failed_attempts,
                        guint threshold,
                        guint first_seconds,
                        guint max_seconds)
{
  guint doublings;

  if (failed_attempts < threshold)
    return 0;
  doublings = failed_attempts - threshold;
  /* Checked before shifting, so no count can overflow the shift. */
  if (doublings >= 16 || first_seconds >= (G_MAXUINT >> 16)
      || (first_seconds << doublings) >= max_seconds)
    return max_seconds;
  return first_seconds << doublings;
}
