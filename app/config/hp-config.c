/* The kiosk's configuration: compiled-in defaults overridden by a key file, both following the table of keys in hp-config-keys.c. */
#include "hp-config.h"
#include "hp-config-private.h"

#include "hp-build-config.h"
#include "hp-i18n.h"
#include "hp-key-file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>


/* Every setting, indexed by HpConfigKeyId, kept apart so a file can be
 * read into a copy and taken whole only when all of it is valid. */
typedef struct {
  HpConfigValue values[HP_CONFIG_N_KEYS];
} HpSettings;

struct _HpConfig
{
  GObject parent_instance;

  HpSettings s;
};

G_DEFINE_FINAL_TYPE (HpConfig, hp_config, G_TYPE_OBJECT)

static gboolean
holds_text (const HpConfigKey *key)
{
  return key->type == HP_CONFIG_TEXT || key->type == HP_CONFIG_CHOICE ||
         key->type == HP_CONFIG_PATH || key->type == HP_CONFIG_URI;
}

static const HpConfigKey *
find_key (const char *group,
          const char *name)
{
  for (guint i = 0; i < HP_CONFIG_N_KEYS; i++)
    if (g_str_equal (hp_config_keys[i].group, group) &&
        (name == NULL || g_str_equal (hp_config_keys[i].name, name)))
      return &hp_config_keys[i];
  return NULL;
}

/* GLib merges a group or key written twice, the last one winning: a
 * second "printer=" further down would silently override the first. The
 * text is read once by hand, line by line as GLib reads it, to refuse that.
 * A NUL byte, which would end a value early, is refused too. */
static gboolean
check_written_once (const char  *data,
                    gsize        length,
                    GError     **error)
{
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *group = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (length > 0 && memchr (data, '\0', length) != NULL)
    {
      g_set_error_literal (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_READ,
                           "not a valid configuration file: it holds a NUL byte");
      return FALSE;
    }
  text = g_strndup (data, length);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strchug (lines[i]);
      char *equals;

      if (*line == '\0' || *line == '#')
        continue;
      if (*line == '[')
        {
          char *end = strrchr (line, ']');

          if (end == NULL)
            continue;
          g_free (group);
          group = g_strndup (line + 1, (gsize) (end - line - 1));
          if (!g_hash_table_add (groups, g_strdup (group)))
            {
              g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                           "group [%s] is written twice (line %u)", group, i + 1);
              return FALSE;
            }
          continue;
        }
      equals = strchr (line, '=');
      if (equals == NULL || group == NULL)
        continue;
      *equals = '\0';
      g_strchomp (line);
      if (!g_hash_table_add (keys, g_strconcat (group, "\n", line, NULL)))
        {
          g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                       "[%s] %s is written twice (line %u)", group, line, i + 1);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
check_known_keys (GKeyFile  *file,
                  GError   **error)
{
  g_auto(GStrv) groups = g_key_file_get_groups (file, NULL);

  for (guint g = 0; groups[g] != NULL; g++)
    {
      g_auto(GStrv) keys = NULL;

      if (find_key (groups[g], NULL) == NULL)
        {
          g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                       "unknown group [%s]", groups[g]);
          return FALSE;
        }

      keys = g_key_file_get_keys (file, groups[g], NULL, NULL);
      for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
        {
          g_autofree char *raw = NULL;

          if (find_key (groups[g], keys[i]) == NULL)
            {
              g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                           "unknown key %s in [%s]", keys[i], groups[g]);
              return FALSE;
            }
          raw = g_key_file_get_value (file, groups[g], keys[i], NULL);
          if (raw != NULL && !hp_key_file_escapes_valid (raw))
            {
              g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                           "[%s] %s holds a backslash that starts no escape (\\s \\n \\t \\r \\\\ \\;)",
                           groups[g], keys[i]);
              return FALSE;
            }
        }
    }
  return TRUE;
}

static void
settings_clear (HpSettings *settings)
{
  for (guint i = 0; i < HP_CONFIG_N_KEYS; i++)
    {
      if (holds_text (&hp_config_keys[i]))
        g_clear_pointer (&settings->values[i].text, g_free);
      else if (hp_config_keys[i].type == HP_CONFIG_LANGUAGES)
        g_clear_pointer (&settings->values[i].list, g_strfreev);
    }
}

static void
settings_copy (HpSettings       *copy,
               const HpSettings *settings)
{
  *copy = *settings;
  for (guint i = 0; i < HP_CONFIG_N_KEYS; i++)
    {
      if (holds_text (&hp_config_keys[i]))
        copy->values[i].text = g_strdup (settings->values[i].text);
      else if (hp_config_keys[i].type == HP_CONFIG_LANGUAGES)
        copy->values[i].list = g_strdupv (settings->values[i].list);
    }
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HpSettings, settings_clear)

static void
hp_config_finalize (GObject *object)
{
  settings_clear (&HP_CONFIG (object)->s);

  G_OBJECT_CLASS (hp_config_parent_class)->finalize (object);
}

static void
hp_config_class_init (HpConfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hp_config_finalize;
}

static gboolean
fallback_boolean (HpConfigKeyId id)
{
  return g_str_equal (hp_config_keys[id].fallback, "true");
}

static guint
fallback_number (HpConfigKeyId id)
{
  return (guint) g_ascii_strtoull (hp_config_keys[id].fallback, NULL, 10);
}

static void
hp_config_init (HpConfig *self)
{
  for (guint i = 0; i < HP_CONFIG_N_KEYS; i++)
    {
      const HpConfigKey *key = &hp_config_keys[i];
      HpConfigValue *value = &self->s.values[i];

      if (key->type == HP_CONFIG_BOOLEAN)
        value->boolean = fallback_boolean (i);
      else if (key->type == HP_CONFIG_UINT)
        value->number = fallback_number (i);
      else if (key->type == HP_CONFIG_LANGUAGES)
        value->list = g_strdupv ((char **) hp_i18n_get_languages ());
      else
        value->text = g_strdup (key->fallback);
    }
}

HpConfig *
hp_config_new (void)
{
  return g_object_new (HP_TYPE_CONFIG, NULL);
}

static gboolean
read_bool (GKeyFile           *file,
           const HpConfigKey  *key,
           HpConfigValue      *out,
           GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean value;

  value = g_key_file_get_boolean (file, key->group, key->name, &local_error);
  if (local_error != NULL)
    {
      g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                   "[%s] %s must be true or false", key->group, key->name);
      return FALSE;
    }
  out->boolean = value;
  return TRUE;
}

static gboolean
read_uint (GKeyFile           *file,
           const HpConfigKey  *key,
           HpConfigValue      *out,
           GError            **error)
{
  g_autofree char *text = NULL;
  guint64 value;

  text = g_key_file_get_value (file, key->group, key->name, NULL);
  g_strstrip (text);
  if (!g_ascii_string_to_unsigned (text, 10, key->min, key->max, &value, NULL))
    {
      g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                   "[%s] %s must be a whole number from %u to %u", key->group, key->name, key->min, key->max);
      return FALSE;
    }
  out->number = (guint) value;
  return TRUE;
}

static gboolean
is_one_of (const char         *value,
           const char * const *allowed)
{
  return value != NULL && g_strv_contains (allowed, value);
}

static gboolean
read_choice (GKeyFile           *file,
             const HpConfigKey  *key,
             HpConfigValue      *out,
             GError            **error)
{
  g_autofree char *value = NULL;

  value = g_key_file_get_string (file, key->group, key->name, NULL);
  if (value != NULL)
    g_strstrip (value);
  if (!is_one_of (value, key->choices))
    {
      g_autofree char *list = g_strjoinv (", ", (char **) key->choices);
      g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                   "[%s] %s must be one of: %s", key->group, key->name, list);
      return FALSE;
    }
  g_free (out->text);
  out->text = g_steal_pointer (&value);
  return TRUE;
}

static gboolean
read_languages (GKeyFile           *file,
                const HpConfigKey  *key,
                HpConfigValue      *out,
                GError            **error)
{
  g_auto(GStrv) list = NULL;
  gsize n = 0;

  list = g_key_file_get_string_list (file, key->group, key->name, &n, NULL);
  if (list == NULL || n == 0)
    {
      g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                   "[%s] %s must list at least one language", key->group, key->name);
      return FALSE;
    }
  for (gsize i = 0; i < n; i++)
    {
      g_strstrip (list[i]);
      if (!is_one_of (list[i], hp_i18n_get_languages ()))
        {
          g_autofree char *known = g_strjoinv (", ", (char **) hp_i18n_get_languages ());
          g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                       "[%s] %s: “%s” is not available (available: %s)",
                       key->group, key->name, list[i], known);
          return FALSE;
        }
    }
  g_strfreev (out->list);
  out->list = g_steal_pointer (&list);
  return TRUE;
}

/* "an https URI of at most 200 characters, such as https://…": what a
 * URI key takes, for its error and the sample. */
static char *
uri_form (const HpConfigKey *key)
{
  g_autofree char *schemes = g_strjoinv (" or ", (char **) key->choices);

  return g_strdup_printf ("an %s URI of at most %u characters, such as %s", schemes, key->max, key->example);
}

static gboolean
is_uri_taken (const HpConfigKey *key,
              const char        *value)
{
  g_autoptr(GUri) uri = g_uri_parse (value, G_URI_FLAGS_NONE, NULL);

  return strlen (value) <= key->max && uri != NULL && is_one_of (g_uri_get_scheme (uri), key->choices) &&
         g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0';
}

/* Text, a path or a URI. */
static gboolean
read_text (GKeyFile           *file,
           const HpConfigKey  *key,
           HpConfigValue      *out,
           GError            **error)
{
  g_autofree char *value = NULL;

  value = g_key_file_get_string (file, key->group, key->name, NULL);
  if (value == NULL)
    {
      g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                   "[%s] %s is not valid text", key->group, key->name);
      return FALSE;
    }
  /* A value is printed on summaries and shown to staff: a control
   * character (an escaped newline, an escape sequence) has no place in it. */
  for (const char *c = value; *c != '\0'; c++)
    if ((guchar) *c < 0x20 || (guchar) *c == 0x7f)
      {
        g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                     "[%s] %s holds a control character", key->group, key->name);
        return FALSE;
      }

  if (key->check != NULL || key->type == HP_CONFIG_URI)
    g_strstrip (value);
  if (key->check != NULL && !key->check (key, value, error))
    return FALSE;
  if (key->type == HP_CONFIG_PATH && *value != '\0' && !g_path_is_absolute (value))
    {
      g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                   "[%s] %s must be an absolute path", key->group, key->name);
      return FALSE;
    }
  if (key->type == HP_CONFIG_URI && *value != '\0' && !is_uri_taken (key, value))
    {
      g_autofree char *form = uri_form (key);

      g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                   "[%s] %s must be %s", key->group, key->name, form);
      return FALSE;
    }
  g_free (out->text);
  out->text = g_steal_pointer (&value);
  return TRUE;
}

/* Replaces @out with @key's value in @file when the file has the key. */
static gboolean
read_key (GKeyFile           *file,
          const HpConfigKey  *key,
          HpConfigValue      *out,
          GError            **error)
{
  if (!g_key_file_has_key (file, key->group, key->name, NULL))
    return TRUE;
  switch (key->type)
    {
    case HP_CONFIG_BOOLEAN:
      return read_bool (file, key, out, error);
    case HP_CONFIG_UINT:
      return read_uint (file, key, out, error);
    case HP_CONFIG_CHOICE:
      return read_choice (file, key, out, error);
    case HP_CONFIG_LANGUAGES:
      return read_languages (file, key, out, error);
    case HP_CONFIG_TEXT:
    case HP_CONFIG_PATH:
    case HP_CONFIG_URI:
      return read_text (file, key, out, error);
    default:
      g_assert_not_reached ();
    }
}

gboolean
hp_config_merge_data (HpConfig    *self,
                      const char  *data,
                      gsize        length,
                      GError     **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_auto(HpSettings) next = { 0 };

  g_return_val_if_fail (HP_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  if (!g_key_file_load_from_data (file, data != NULL ? data : "", length,
                                  G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_READ,
                   "not a valid configuration file: %s", local_error->message);
      return FALSE;
    }

  if (!check_known_keys (file, error) || !check_written_once (data != NULL ? data : "", length, error))
    return FALSE;

  /* Read into a copy so that a bad value leaves the current settings whole. */
  settings_copy (&next, &self->s);
  for (guint i = 0; i < HP_CONFIG_N_KEYS; i++)
    if (!read_key (file, &hp_config_keys[i], &next.values[i], error))
      return FALSE;
  for (guint i = 0; i < HP_CONFIG_N_KEYS; i++)
    if (hp_config_keys[i].relate != NULL && !hp_config_keys[i].relate (&hp_config_keys[i], next.values, error))
      return FALSE;

  /* Every value is valid: take them all. */
  settings_clear (&self->s);
  self->s = next;
  /* The values now belong to self; leave nothing for the cleanup to free. */
  memset (&next, 0, sizeof next);
  return TRUE;
}

/* The configuration is a small text file: a FIFO would block the kiosk's
 * start for ever, /dev/zero would be read until memory runs out. Only a
 * regular file of at most HP_CONFIG_MAX_BYTES is read. */
static gboolean
read_bounded_file (const char  *path,
                   char       **contents,
                   gsize       *length,
                   GError     **error)
{
  g_autofree char *buffer = NULL;
  GStatBuf info;
  gssize got = 0;
  int fd;

  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "%s", g_strerror (saved_errno));
      return FALSE;
    }
  if (fstat (fd, &info) != 0 || !S_ISREG (info.st_mode))
    {
      close (fd);
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "not a regular file");
      return FALSE;
    }
  if (info.st_size > HP_CONFIG_MAX_BYTES)
    {
      close (fd);
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "larger than %d bytes", HP_CONFIG_MAX_BYTES);
      return FALSE;
    }
  buffer = g_malloc (HP_CONFIG_MAX_BYTES + 1);
  *length = 0;
  while (*length <= HP_CONFIG_MAX_BYTES &&
         (got = read (fd, buffer + *length, HP_CONFIG_MAX_BYTES + 1 - *length)) != 0)
    {
      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0)
        {
          int saved_errno = errno;

          close (fd);
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "%s", g_strerror (saved_errno));
          return FALSE;
        }
      *length += (gsize) got;
    }
  close (fd);
  if (*length > HP_CONFIG_MAX_BYTES)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "larger than %d bytes", HP_CONFIG_MAX_BYTES);
      return FALSE;
    }
  buffer[*length] = '\0';
  *contents = g_steal_pointer (&buffer);
  return TRUE;
}

HpConfig *
hp_config_load (const char  *path,
                GError     **error)
{
  g_autoptr(HpConfig) self = hp_config_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  const char *file = path != NULL ? path : HP_DEFAULT_CONFIG;

  if (!read_bounded_file (file, &contents, &length, &local_error))
    {
      /* Without a configuration file the compiled-in defaults are the
       * configuration; a file asked for by name must be there. */
      if (path == NULL && g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&self);
      g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_READ,
                   "%s: %s", file, local_error->message);
      return NULL;
    }

  if (!hp_config_merge_data (self, contents, length, &local_error))
    {
      g_set_error (error, HP_CONFIG_ERROR, local_error->code,
                   "%s: %s", file, local_error->message);
      return NULL;
    }
  return g_steal_pointer (&self);
}

void
hp_config_set_demo (HpConfig *self,
                    gboolean  demo)
{
  g_return_if_fail (HP_IS_CONFIG (self));
  self->s.values[HP_CONFIG_KEY_DEMO_ENABLED].boolean = !!demo;
}

gboolean
hp_config_get_demo (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), fallback_boolean (HP_CONFIG_KEY_DEMO_ENABLED));
  return self->s.values[HP_CONFIG_KEY_DEMO_ENABLED].boolean;
}

gboolean
hp_config_get_fullscreen (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), fallback_boolean (HP_CONFIG_KEY_KIOSK_FULLSCREEN));
  return self->s.values[HP_CONFIG_KEY_KIOSK_FULLSCREEN].boolean;
}

const char *
hp_config_get_language (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), hp_config_keys[HP_CONFIG_KEY_KIOSK_LANGUAGE].fallback);
  return self->s.values[HP_CONFIG_KEY_KIOSK_LANGUAGE].text;
}

const char * const *
hp_config_get_languages (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), NULL);
  return (const char * const *) self->s.values[HP_CONFIG_KEY_KIOSK_LANGUAGES].list;
}

const char *
hp_config_get_location (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), hp_config_keys[HP_CONFIG_KEY_KIOSK_LOCATION].fallback);
  return self->s.values[HP_CONFIG_KEY_KIOSK_LOCATION].text;
}

const char *
hp_config_get_patient_identifier_system (HpConfig *self)
{
  const char *system;

  g_return_val_if_fail (HP_IS_CONFIG (self), NULL);
  system = self->s.values[HP_CONFIG_KEY_EXPORT_PATIENT_IDENTIFIER_SYSTEM].text;
  return *system != '\0' ? system : NULL;
}

const char *
hp_config_get_emergency_number (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), hp_config_keys[HP_CONFIG_KEY_KIOSK_EMERGENCY_NUMBER].fallback);
  return self->s.values[HP_CONFIG_KEY_KIOSK_EMERGENCY_NUMBER].text;
}

guint
hp_config_get_window_width (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), fallback_number (HP_CONFIG_KEY_KIOSK_WINDOW_WIDTH));
  return self->s.values[HP_CONFIG_KEY_KIOSK_WINDOW_WIDTH].number;
}

guint
hp_config_get_window_height (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), fallback_number (HP_CONFIG_KEY_KIOSK_WINDOW_HEIGHT));
  return self->s.values[HP_CONFIG_KEY_KIOSK_WINDOW_HEIGHT].number;
}

const char *
hp_config_get_gsk_renderer (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), hp_config_keys[HP_CONFIG_KEY_KIOSK_GSK_RENDERER].fallback);
  return self->s.values[HP_CONFIG_KEY_KIOSK_GSK_RENDERER].text;
}

char *
hp_config_dup_database_path (HpConfig *self)
{
  const char *database;

  g_return_val_if_fail (HP_IS_CONFIG (self), NULL);

  database = self->s.values[HP_CONFIG_KEY_STORAGE_DATABASE].text;
  if (*database != '\0')
    return g_strdup (database);
  if (hp_config_get_demo (self))
    return g_build_filename (g_get_user_data_dir (), "healthpost", "demo.db", NULL);
  return g_strdup ("/var/lib/healthpost/healthpost.db");
}

guint
hp_config_get_retention_days (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), fallback_number (HP_CONFIG_KEY_STORAGE_RETENTION_DAYS));
  return self->s.values[HP_CONFIG_KEY_STORAGE_RETENTION_DAYS].number;
}

HpKeyring *
hp_config_load_keyring (HpConfig  *self,
                        gboolean   create,
                        GError   **error)
{
  g_autofree char *database = NULL;
  g_autofree char *key_path = NULL;

  g_return_val_if_fail (HP_IS_CONFIG (self), NULL);

  if (!hp_config_get_demo (self))
    return hp_keyring_new_from_credential (HP_KEYRING_CREDENTIAL_NAME, error);
  /* Demo data is made up, and the key lies beside it on the same disk: it
   * keeps the code path of production, not its protection. */
  database = hp_config_dup_database_path (self);
  key_path = g_strconcat (database, ".key", NULL);
  return hp_keyring_new_from_file (key_path, create, error);
}

guint
hp_config_get_idle_seconds (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), fallback_number (HP_CONFIG_KEY_VISIT_IDLE_SECONDS));
  return self->s.values[HP_CONFIG_KEY_VISIT_IDLE_SECONDS].number;
}

guint
hp_config_get_warning_seconds (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), fallback_number (HP_CONFIG_KEY_VISIT_WARNING_SECONDS));
  return self->s.values[HP_CONFIG_KEY_VISIT_WARNING_SECONDS].number;
}

guint
hp_config_get_goodbye_seconds (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), fallback_number (HP_CONFIG_KEY_VISIT_GOODBYE_SECONDS));
  return self->s.values[HP_CONFIG_KEY_VISIT_GOODBYE_SECONDS].number;
}

const char *
hp_config_get_audio_sink (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), hp_config_keys[HP_CONFIG_KEY_AUDIO_SINK].fallback);
  return self->s.values[HP_CONFIG_KEY_AUDIO_SINK].text;
}

guint
hp_config_get_audio_volume (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), fallback_number (HP_CONFIG_KEY_AUDIO_VOLUME));
  return self->s.values[HP_CONFIG_KEY_AUDIO_VOLUME].number;
}

guint
hp_config_get_demo_systolic (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), fallback_number (HP_CONFIG_KEY_DEMO_SYSTOLIC));
  return self->s.values[HP_CONFIG_KEY_DEMO_SYSTOLIC].number;
}

guint
hp_config_get_demo_diastolic (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), fallback_number (HP_CONFIG_KEY_DEMO_DIASTOLIC));
  return self->s.values[HP_CONFIG_KEY_DEMO_DIASTOLIC].number;
}

guint
hp_config_get_demo_pulse (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), fallback_number (HP_CONFIG_KEY_DEMO_PULSE));
  return self->s.values[HP_CONFIG_KEY_DEMO_PULSE].number;
}

guint
hp_config_get_demo_measure_ms (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), fallback_number (HP_CONFIG_KEY_DEMO_MEASURE_MS));
  return self->s.values[HP_CONFIG_KEY_DEMO_MEASURE_MS].number;
}

const char *
hp_config_get_demo_fault (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), hp_config_keys[HP_CONFIG_KEY_DEMO_FAULT].fallback);
  return self->s.values[HP_CONFIG_KEY_DEMO_FAULT].text;
}

guint
hp_config_get_demo_weight_kg (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), fallback_number (HP_CONFIG_KEY_DEMO_WEIGHT_KG));
  return self->s.values[HP_CONFIG_KEY_DEMO_WEIGHT_KG].number;
}

guint
hp_config_get_demo_glucose_mg_dl (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), fallback_number (HP_CONFIG_KEY_DEMO_GLUCOSE_MG_DL));
  return self->s.values[HP_CONFIG_KEY_DEMO_GLUCOSE_MG_DL].number;
}

const char *
hp_config_get_printer (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), hp_config_keys[HP_CONFIG_KEY_PRINTER_PRINTER].fallback);
  return self->s.values[HP_CONFIG_KEY_PRINTER_PRINTER].text;
}

const char *
hp_config_get_paper (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), hp_config_keys[HP_CONFIG_KEY_PRINTER_PAPER].fallback);
  return self->s.values[HP_CONFIG_KEY_PRINTER_PAPER].text;
}

guint
hp_config_get_copies_per_visit (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), fallback_number (HP_CONFIG_KEY_PRINTER_COPIES_PER_VISIT));
  return self->s.values[HP_CONFIG_KEY_PRINTER_COPIES_PER_VISIT].number;
}

char *
hp_config_to_data (HpConfig *self)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();

  g_return_val_if_fail (HP_IS_CONFIG (self), NULL);

  for (guint i = 0; i < HP_CONFIG_N_KEYS; i++)
    {
      const HpConfigKey *key = &hp_config_keys[i];
      const HpConfigValue *value = &self->s.values[i];

      /* An empty database stands for the mode's default: the path in effect is shown. */
      if (i == HP_CONFIG_KEY_STORAGE_DATABASE)
        {
          g_autofree char *path = hp_config_dup_database_path (self);

          g_key_file_set_string (file, key->group, key->name, path);
        }
      else if (key->type == HP_CONFIG_BOOLEAN)
        g_key_file_set_boolean (file, key->group, key->name, value->boolean);
      else if (key->type == HP_CONFIG_UINT)
        g_key_file_set_uint64 (file, key->group, key->name, value->number);
      else if (key->type == HP_CONFIG_LANGUAGES)
        g_key_file_set_string_list (file, key->group, key->name,
                                    (const char * const *) value->list, g_strv_length (value->list));
      else
        g_key_file_set_string (file, key->group, key->name, value->text);
    }
  return g_key_file_to_data (file, NULL, NULL);
}

/* Writes @text as comment lines of at most 76 columns. */
static void
append_comment (GString    *out,
                const char *text)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  glong column = 0;

  for (guint i = 0; words[i] != NULL; i++)
    {
      glong width = g_utf8_strlen (words[i], -1);

      if (width == 0)
        continue;
      if (column > 0 && column + 1 + width > 76)
        {
          g_string_append_c (out, '\n');
          column = 0;
        }
      if (column == 0)
        {
          g_string_append_c (out, '#');
          column = 1;
        }
      g_string_append_printf (out, " %s", words[i]);
      column += 1 + width;
    }
  if (column > 0)
    g_string_append_c (out, '\n');
}

/* The rule a key's type or check holds its value to, as a sentence for
 * the sample; %NULL for free text. */
static char *
describe_rule (const HpConfigKey *key)
{
  g_autoptr(GString) rule = g_string_new (NULL);

  switch (key->type)
    {
    case HP_CONFIG_BOOLEAN:
      g_string_append (rule, "true or false");
      break;
    case HP_CONFIG_UINT:
      g_string_append_printf (rule, "a whole number from %u to %u", key->min, key->max);
      break;
    case HP_CONFIG_CHOICE:
      g_string_append (rule, "one of:");
      for (guint i = 0; key->choices[i] != NULL; i++)
        g_string_append_printf (rule, "%s %s", i > 0 ? "," : "",
                                *key->choices[i] != '\0' ? key->choices[i] : "empty");
      break;
    case HP_CONFIG_LANGUAGES:
      {
        g_autofree char *known = g_strjoinv (", ", (char **) hp_i18n_get_languages ());

        g_string_append_printf (rule, "one or more of %s, separated by \";\"", known);
        break;
      }
    case HP_CONFIG_PATH:
      g_string_append (rule, "an absolute path, or empty");
      break;
    case HP_CONFIG_URI:
      {
        g_autofree char *form = uri_form (key);

        g_string_append_printf (rule, "%s, or empty", form);
        break;
      }
    case HP_CONFIG_TEXT:
      if (key->form == NULL)
        return NULL;
      g_string_append (rule, key->form);
      break;
    default:
      g_assert_not_reached ();
    }
  rule->str[0] = g_ascii_toupper (rule->str[0]);
  g_string_append_c (rule, '.');
  return g_string_free (g_steal_pointer (&rule), FALSE);
}

char *
hp_config_dup_sample (void)
{
  GString *out = g_string_new (NULL);
  const char *group = NULL;

  append_comment (out, "Healthpost kiosk configuration. Every key is optional: a missing key keeps its "
                       "built-in default, shown here commented out. \"healthpost-ctl config\" prints the "
                       "configuration in effect, \"healthpost-ctl config --sample\" this file as shipped.");
  for (guint i = 0; i < HP_CONFIG_N_KEYS; i++)
    {
      const HpConfigKey *key = &hp_config_keys[i];
      g_autofree char *rule = describe_rule (key);

      if (group == NULL || !g_str_equal (group, key->group))
        g_string_append_printf (out, "\n[%s]\n", key->group);
      group = key->group;
      append_comment (out, key->doc);
      if (rule != NULL)
        append_comment (out, rule);
      if (key->type == HP_CONFIG_LANGUAGES)
        {
          g_autofree char *all = g_strjoinv (";", (char **) hp_i18n_get_languages ());

          g_string_append_printf (out, "# %s=%s\n", key->name, all);
        }
      else
        g_string_append_printf (out, "# %s=%s\n", key->name, key->fallback);
    }
  return g_string_free (out, FALSE);
}
