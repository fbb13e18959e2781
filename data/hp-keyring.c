/* The kiosk's root key and the keys derived from it: where the key comes from and what it may be used for. */
#include "hp-keyring.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "hp-crypto.h"
#include "hp-secret.h"

/* Changing either changes every derived key: they are part of the format. */
#define HKDF_SALT        "healthpost-keyring-v1"
#define HKDF_INFO_PREFIX "healthpost/"

struct _HpKeyring
{
  GObject parent_instance;

  guint8 root_key[HP_KEYRING_ROOT_KEY_SIZE];
};

G_DEFINE_FINAL_TYPE (HpKeyring, hp_keyring, G_TYPE_OBJECT)

G_DEFINE_QUARK (hp-keyring-error-quark, hp_keyring_error)

static void
hp_keyring_finalize (GObject *object)
{
  HpKeyring *self = HP_KEYRING (object);

  hp_secret_wipe (self->root_key, sizeof self->root_key);

  G_OBJECT_CLASS (hp_keyring_parent_class)->finalize (object);
}

static void
hp_keyring_class_init (HpKeyringClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hp_keyring_finalize;
}

static void
hp_keyring_init (HpKeyring *self)
{
  (void) self;
}

HpKeyring *
hp_keyring_new_from_bytes (const guint8  *root_key,
                           gsize          length,
                           GError       **error)
{
  HpKeyring *self;

  g_return_val_if_fail (root_key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length != HP_KEYRING_ROOT_KEY_SIZE)
    {
      g_set_error (error, HP_KEYRING_ERROR, HP_KEYRING_ERROR_INVALID,
                   "A root key has %d bytes, not %" G_GSIZE_FORMAT,
                   HP_KEYRING_ROOT_KEY_SIZE, length);
      return NULL;
    }
  self = g_object_new (HP_TYPE_KEYRING, NULL);
  memcpy (self->root_key, root_key, HP_KEYRING_ROOT_KEY_SIZE);
  return self;
}

typedef enum {
  /* Our own key file: ours alone, mode 0600 or stricter. */
  KEY_FILE_OWN,
  /* A systemd credential: systemd makes it root's and grants the service
   * user read access with an ACL, whose mask shows in the group bits; it
   * lives in a private, unswappable directory. Only access for others is
   * refused. */
  KEY_FILE_CREDENTIAL,
} KeyFileKind;

static HpKeyring *
read_key_file (const char   *path,
               KeyFileKind   kind,
               GError      **error)
{
  guint8 key[HP_KEYRING_ROOT_KEY_SIZE + 1];
  HpKeyring *keyring;
  struct stat info;
  gssize n_read = 0;
  gsize total = 0;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, HP_KEYRING_ERROR,
                   saved_errno == ENOENT ? HP_KEYRING_ERROR_MISSING
                   : saved_errno == ELOOP ? HP_KEYRING_ERROR_INVALID
                                          : HP_KEYRING_ERROR_FAILED,
                   "Cannot read the root key file %s: %s", path,
                   saved_errno == ELOOP ? "it is a symbolic link" : g_strerror (saved_errno));
      return NULL;
    }
  if (fstat (fd, &info) != 0)
    {
      int saved_errno = errno;

      g_close (fd, NULL);
      g_set_error (error, HP_KEYRING_ERROR, HP_KEYRING_ERROR_FAILED,
                   "Cannot examine the root key file %s: %s", path, g_strerror (saved_errno));
      return NULL;
    }
  if (!S_ISREG (info.st_mode))
    {
      g_close (fd, NULL);
      g_set_error (error, HP_KEYRING_ERROR, HP_KEYRING_ERROR_INVALID,
                   "The root key file %s is not a regular file", path);
      return NULL;
    }
  if (kind == KEY_FILE_OWN && info.st_uid != geteuid ())
    {
      g_close (fd, NULL);
      g_set_error (error, HP_KEYRING_ERROR, HP_KEYRING_ERROR_PERMISSIONS,
                   "The root key file %s belongs to user %u, not to this user (%u); "
                   "refusing a key someone else could have placed",
                   path, (guint) info.st_uid, (guint) geteuid ());
      return NULL;
    }
  if (kind == KEY_FILE_CREDENTIAL && info.st_uid != geteuid () && info.st_uid != 0)
    {
      g_close (fd, NULL);
      g_set_error (error, HP_KEYRING_ERROR, HP_KEYRING_ERROR_PERMISSIONS,
                   "The credential %s belongs to user %u, neither root nor this user",
                   path, (guint) info.st_uid);
      return NULL;
    }
  if ((kind == KEY_FILE_OWN && (info.st_mode & 077) != 0)
      || (kind == KEY_FILE_CREDENTIAL && (info.st_mode & 007) != 0))
    {
      g_close (fd, NULL);
      g_set_error (error, HP_KEYRING_ERROR, HP_KEYRING_ERROR_PERMISSIONS,
                   "The root key file %s has mode %04o: other users could read it. "
                   "Make it private (chmod 600) and replace the key if it may have been copied",
                   path, (guint) (info.st_mode & 07777));
      return NULL;
    }

  /* One byte more than a key, so a longer file is told apart from a key. */
  while (total < sizeof key)
    {
      n_read = read (fd, key + total, sizeof key - total);
      if (n_read < 0 && errno == EINTR)
        continue;
      if (n_read <= 0)
        break;
      total += (gsize) n_read;
    }
  if (n_read < 0)
    {
      int saved_errno = errno;

      g_close (fd, NULL);
      hp_secret_wipe (key, sizeof key);
      g_set_error (error, HP_KEYRING_ERROR, HP_KEYRING_ERROR_FAILED,
                   "Cannot read the root key file %s: %s", path, g_strerror (saved_errno));
      return NULL;
    }
  g_close (fd, NULL);
  if (total != HP_KEYRING_ROOT_KEY_SIZE)
    {
      hp_secret_wipe (key, sizeof key);
      g_set_error (error, HP_KEYRING_ERROR, HP_KEYRING_ERROR_INVALID,
                   "The root key file %s holds %s%" G_GSIZE_FORMAT " bytes; a root key is "
                   "exactly %d random bytes",
                   path, total > HP_KEYRING_ROOT_KEY_SIZE ? "more than " : "",
                   total > HP_KEYRING_ROOT_KEY_SIZE ? (gsize) HP_KEYRING_ROOT_KEY_SIZE : total,
                   HP_KEYRING_ROOT_KEY_SIZE);
      return NULL;
    }
  keyring = hp_keyring_new_from_bytes (key, HP_KEYRING_ROOT_KEY_SIZE, error);
  hp_secret_wipe (key, sizeof key);
  return keyring;
}

HpKeyring *
hp_keyring_new_from_credential (const char  *name,
                                GError     **error)
{
  const char *directory;
  g_autofree char *path = NULL;

  g_return_val_if_fail (name != NULL && *name != '\0' && strchr (name, '/') == NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  directory = g_getenv ("CREDENTIALS_DIRECTORY");
  if (directory == NULL || *directory == '\0')
    {
      g_set_error (error, HP_KEYRING_ERROR, HP_KEYRING_ERROR_MISSING,
                   "No root key: CREDENTIALS_DIRECTORY is not set. The service must be "
                   "started with LoadCredentialEncrypted=%s:… (see README.md, Keys)", name);
      return NULL;
    }
  path = g_build_filename (directory, name, NULL);
  return read_key_file (path, KEY_FILE_CREDENTIAL, error);
}

#define KEY_TEMPORARY_PREFIX ".healthpost-key-"

/* A start killed while it made the key leaves its temporary file behind
 * (a key never used, or a second name of the one in use). Those older than
 * HP_KEYRING_LEFTOVER_AGE_S are removed; a younger one may be another
 * start's, still being written. */
static void
remove_leftover_key_files (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      GStatBuf info;

      if (!g_str_has_prefix (name, KEY_TEMPORARY_PREFIX) || strlen (name) != strlen (KEY_TEMPORARY_PREFIX) + 6)
        continue;
      path = g_build_filename (folder, name, NULL);
      if (g_lstat (path, &info) == 0 && S_ISREG (info.st_mode) &&
          now - (gint64) info.st_mtime > HP_KEYRING_LEFTOVER_AGE_S)
        g_unlink (path);
    }
}

/* Writes the key to a private temporary file and links it into place, so
 * no other process ever sees a half-written key, and of two first starts
 * racing each other one key wins and both use it. */
static gboolean
create_key_file (const char  *path,
                 GError     **error)
{
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *temporary = g_build_filename (folder, KEY_TEMPORARY_PREFIX "XXXXXX", NULL);
  guint8 key[HP_KEYRING_ROOT_KEY_SIZE];
  gsize written = 0;
  int saved_errno = 0;
  int fd;

  if (!hp_crypto_random (key, sizeof key, error))
    return FALSE;
  fd = g_mkstemp_full (temporary, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      saved_errno = errno;
      hp_secret_wipe (key, sizeof key);
      g_set_error (error, HP_KEYRING_ERROR, HP_KEYRING_ERROR_FAILED,
                   "Cannot create a root key file in %s: %s", folder, g_strerror (saved_errno));
      return FALSE;
    }
  while (written < sizeof key)
    {
      gssize n = write (fd, key + written, sizeof key - written);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          saved_errno = n < 0 ? errno : EIO;
          break;
        }
      written += (gsize) n;
    }
  hp_secret_wipe (key, sizeof key);
  if (saved_errno == 0 && fsync (fd) != 0)
    saved_errno = errno;
  if (!g_close (fd, NULL) && saved_errno == 0)
    saved_errno = EIO;
  if (saved_errno == 0 && link (temporary, path) != 0 && errno != EEXIST)
    saved_errno = errno;
  g_unlink (temporary);
  if (saved_errno != 0)
    {
      g_set_error (error, HP_KEYRING_ERROR, HP_KEYRING_ERROR_FAILED,
                   "Cannot create the root key file %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

HpKeyring *
hp_keyring_new_from_file (const char  *path,
                          gboolean     create,
                          GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  HpKeyring *keyring;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (create)
    {
      g_autofree char *folder = g_path_get_dirname (path);

      remove_leftover_key_files (folder);
    }
  keyring = read_key_file (path, KEY_FILE_OWN, &local_error);
  if (keyring != NULL || !create
      || !g_error_matches (local_error, HP_KEYRING_ERROR, HP_KEYRING_ERROR_MISSING))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return keyring;
    }
  if (!create_key_file (path, error))
    return NULL;
  return read_key_file (path, KEY_FILE_OWN, error);
}

static gboolean
purpose_is_valid (const char *purpose)
{
  if (purpose == NULL || *purpose == '\0' || strlen (purpose) > 64)
    return FALSE;
  for (const char *c = purpose; *c != '\0'; c++)
    if (!g_ascii_islower (*c) && !g_ascii_isdigit (*c) && *c != '-')
      return FALSE;
  return TRUE;
}

gboolean
hp_keyring_derive (HpKeyring   *self,
                   const char  *purpose,
                   guint8      *out,
                   gsize        out_len,
                   GError     **error)
{
  g_autofree char *info = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (HP_IS_KEYRING (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!purpose_is_valid (purpose))
    {
      g_set_error (error, HP_KEYRING_ERROR, HP_KEYRING_ERROR_FAILED,
                   "“%s” is not a key purpose: use lower-case letters, digits and hyphens",
                   purpose != NULL ? purpose : "(null)");
      return FALSE;
    }
  if (out_len == 0 || out_len > 255 * 32)
    {
      g_set_error (error, HP_KEYRING_ERROR, HP_KEYRING_ERROR_FAILED,
                   "Cannot derive a key of %" G_GSIZE_FORMAT " bytes", out_len);
      return FALSE;
    }
  info = g_strconcat (HKDF_INFO_PREFIX, purpose, NULL);
  if (!hp_crypto_hkdf_sha256 (self->root_key, sizeof self->root_key, HKDF_SALT, info,
                              out, out_len, &local_error))
    {
      g_set_error (error, HP_KEYRING_ERROR, HP_KEYRING_ERROR_FAILED,
                   "Cannot derive the %s key: %s", purpose, local_error->message);
      return FALSE;
    }
  return TRUE;
}
