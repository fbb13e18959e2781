/* For the rest of data/ only: PIN hashing and lockout back-off shared by staff accounts and returning patients. */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define HP_PIN_SALT_SIZE 16
#define HP_PIN_HASH_SIZE 32

/* Key-derivation settings, stored by name beside each hash so the cost can
 * be raised later while older hashes still verify. */
typedef struct {
  const char *name;
  guint64     n;
  guint32     r;
  guint32     p;
} HpPinKdf;

/* The settings new hashes are made with, for staff and for patients. */
const HpPinKdf *hp_pin_kdf_for_staff    (void);
const HpPinKdf *hp_pin_kdf_for_patients (void);
/* The settings stored under @name, or %NULL for a name this build does
 * not know. */
const HpPinKdf *hp_pin_kdf_find    (const char      *name);

/* A PIN as a table keeps it, with its lockout counters; the columns, in
 * the order hp_pin_read_stored() reads them. */
#define HP_PIN_COLUMNS "pin_kdf, pin_salt, pin_hash, failed_attempts, locked_until"

typedef struct {
  const HpPinKdf *kdf;
  guint8 salt[HP_PIN_SALT_SIZE];
  guint8 hash[HP_PIN_HASH_SIZE];
  guint failed_attempts;
  gint64 locked_until;   /* µs since the epoch; 0 when not locked */
} HpStoredPin;

/* Reads HP_PIN_COLUMNS from column @first on of @stmt's current row. The
 * counters are read in any case; FALSE when the rest is not a PIN this
 * build can check. */
gboolean hp_pin_read_stored    (sqlite3_stmt    *stmt,
                                int              first,
                                HpStoredPin     *stored);

/* TRUE when @pin is @min_digits to @max_digits ASCII digits. */
gboolean hp_pin_is_digits      (const char      *pin,
                                guint            min_digits,
                                guint            max_digits);

/* scrypt over HMAC-SHA256(@pepper, @pin) with @salt into @hash. FALSE only
 * when the crypto library fails (no memory); the caller reports it in its
 * own error domain. Touches no shared state: safe on a worker thread. */
gboolean hp_pin_hash           (const guint8    *pepper,
                                gsize            pepper_len,
                                const HpPinKdf  *kdf,
                                const char      *pin,
                                const guint8     salt[HP_PIN_SALT_SIZE],
                                guint8           hash[HP_PIN_HASH_SIZE]);

/* Compares two hashes in time that does not depend on where they differ. */
gboolean hp_pin_hash_equal     (const guint8     a[HP_PIN_HASH_SIZE],
                                const guint8     b[HP_PIN_HASH_SIZE]);

/* A fresh random salt; FALSE when the system has no randomness to give. */
gboolean hp_pin_new_salt       (guint8           salt[HP_PIN_SALT_SIZE]);

/* Seconds to lock for after the @failed_attempts-th wrong PIN in a row:
 * 0 below @threshold, then @first_seconds, doubling with every further
 * wrong PIN up to @max_seconds. */
guint    hp_pin_lockout_seconds (guint           failed_attempts,
                                 guint           threshold,
                                 guint           first_seconds,
                                 guint           max_seconds);

G_END_DECLS
