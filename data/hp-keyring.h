/* The kiosk's root key and the keys derived from it: where the key comes from and what it may be used for. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* How old a temporary key file left by a killed start must be before a
 * later start removes it. */
#define HP_KEYRING_LEFTOVER_AGE_S 600

#define HP_KEYRING_ERROR (hp_keyring_error_quark ())

typedef enum {
  HP_KEYRING_ERROR_MISSING,     /* no root key where one must be */
  HP_KEYRING_ERROR_PERMISSIONS, /* the key file is open to other users, or not ours */
  HP_KEYRING_ERROR_INVALID,     /* the key file holds no usable key (wrong length, not a file) */
  HP_KEYRING_ERROR_FAILED,      /* reading, creating or deriving failed */
} HpKeyringError;

GQuark hp_keyring_error_quark (void);

/* A root key is 32 random bytes, stored raw. */
#define HP_KEYRING_ROOT_KEY_SIZE 32

/* The name of the systemd credential holding the production root key, as
 * LoadCredentialEncrypted=healthpost-root-key:… provides it. */
#define HP_KEYRING_CREDENTIAL_NAME "healthpost-root-key"

/* Purposes other modules derive keys for with hp_keyring_derive(). */
#define HP_KEYRING_PURPOSE_AUDIT_HMAC         "audit-hmac"
#define HP_KEYRING_PURPOSE_STAFF_PIN_PEPPER   "staff-pin-pepper"
#define HP_KEYRING_PURPOSE_PATIENT_PIN_PEPPER "patient-pin-pepper"
#define HP_KEYRING_PURPOSE_PATIENT_LOOKUP     "patient-lookup"
/* The store's key-encryption key, which wraps its data keys. */
#define HP_KEYRING_PURPOSE_STORE_KEK          "store-kek"

#define HP_TYPE_KEYRING (hp_keyring_get_type ())
G_DECLARE_FINAL_TYPE (HpKeyring, hp_keyring, HP, KEYRING, GObject)

/* Production: the credential @name (normally HP_KEYRING_CREDENTIAL_NAME) in
 * $CREDENTIALS_DIRECTORY. A missing directory or file is an error: a
 * production kiosk never makes up a key of its own. */
HpKeyring *hp_keyring_new_from_credential (const char    *name,
                                           GError       **error);

/* The root key in the file at @path, which must be a regular file of
 * exactly HP_KEYRING_ROOT_KEY_SIZE bytes, owned by the current user and
 * closed to group and others. With @create, a missing file is created
 * first (mode 0600, fresh random key): demo mode does this on first start. */
HpKeyring *hp_keyring_new_from_file       (const char    *path,
                                           gboolean       create,
                                           GError       **error);

/* A root key held in memory, for tests and for staging a new root key. */
HpKeyring *hp_keyring_new_from_bytes      (const guint8  *root_key,
                                           gsize          length,
                                           GError       **error);

/* Fills @out with @out_len bytes (at most 255 × 32) derived from the root
 * key with HKDF-SHA256 for @purpose, a name of lower-case letters, digits
 * and hyphens. Different purposes give independent keys; the same purpose
 * and root key always give the same one. */
gboolean   hp_keyring_derive              (HpKeyring     *self,
                                           const char    *purpose,
                                           guint8        *out,
                                           gsize          out_len,
                                           GError       **error);

G_END_DECLS
