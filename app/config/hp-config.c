/* The kiosk's configuration: compiled-in defaults overridden by a key file. */
#include "hp-config.h"

#include "hp-build-config.h"
#include "hp-i18n.h"
#include "hp-key-file.h"
#include "hp-retention.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

G_DEFINE_QUARK (hp-config-error-quark, hp_config_error)

/* Every setting, kept apart so a file can be read into a copy and taken
 * whole only when all of it is valid. */
typedef struct {
  gboolean demo;
  gboolean fullscreen;
  char *language;
  GStrv languages;
  char *location;
  char *emergency_number;
  char *gsk_renderer;
  guint window_width;
  guint window_height;
  char *database;
  guint retention_days;
  guint idle_seconds;
  guint warning_seconds;
  guint goodbye_seconds;
  char *audio_sink;
  guint audio_volume;
  guint demo_systolic;
  guint demo_diastolic;
  guint demo_pulse;
  guint demo_measure_ms;
  char *demo_fault;
  guint demo_weight_kg;
  guint demo_glucose_mg_dl;
  char *printer;
  char *paper;
  guint copies_per_visit;
  char *patient_identifier_system;
} HpSettings;

struct _HpConfig
{
  GObject parent_instance;

  HpSettings s;
};

G_DEFINE_FINAL_TYPE (HpConfig, hp_config, G_TYPE_OBJECT)

static const char * const known_faults[] = { "none", "unplug", "timeout", "garbled", NULL };
static const char * const known_papers[] = { "receipt-80mm", "letter", "a4", NULL };

/* Every key the file may hold, by group: a misspelt key is an error, not a
 * setting silently left at its default. */
static const struct {
  const char *group;
  const char * const keys[9];
} known_keys[] = {
  { "kiosk", { "fullscreen", "language", "languages", "location", "emergency-number", "gsk-renderer",
                "window-width", "window-height", NULL } },
  { "storage", { "database", "retention-days", NULL } },
  { "visit", { "idle-seconds", "warning-seconds", "goodbye-seconds", NULL } },
  { "audio", { "sink", "volume", NULL } },
  { "demo", { "enabled", "systolic", "diastolic", "pulse", "measure-ms", "fault", "weight-kg", "glucose-mg-dl", NULL } },
  { "printer", { "printer", "paper", "copies-per-visit", NULL } },
  { "export", { "patient-identifier-system", NULL } },
};

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
      const char * const *allowed = NULL;

      for (guint k = 0; k < G_N_ELEMENTS (known_keys); k++)
        if (g_str_equal (known_keys[k].group, groups[g]))
          allowed = known_keys[k].keys;
      if (allowed == NULL)
        {
          g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                       "unknown group [%s]", groups[g]);
          return FALSE;
        }

      keys = g_key_file_get_keys (file, groups[g], NULL, NULL);
      for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
        {
          g_autofree char *raw = NULL;

          if (!g_strv_contains (allowed, keys[i]))
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
  g_clear_pointer (&settings->language, g_free);
  g_clear_pointer (&settings->languages, g_strfreev);
  g_clear_pointer (&settings->location, g_free);
  g_clear_pointer (&settings->emergency_number, g_free);
  g_clear_pointer (&settings->gsk_renderer, g_free);
  g_clear_pointer (&settings->audio_sink, g_free);
  g_clear_pointer (&settings->database, g_free);
  g_clear_pointer (&settings->demo_fault, g_free);
  g_clear_pointer (&settings->printer, g_free);
  g_clear_pointer (&settings->paper, g_free);
  g_clear_pointer (&settings->patient_identifier_system, g_free);
}

static void
settings_copy (HpSettings       *copy,
               const HpSettings *settings)
{
  *copy = *settings;
  copy->language = g_strdup (settings->language);
  copy->languages = g_strdupv (settings->languages);
  copy->location = g_strdup (settings->location);
  copy->emergency_number = g_strdup (settings->emergency_number);
  copy->gsk_renderer = g_strdup (settings->gsk_renderer);
  copy->audio_sink = g_strdup (settings->audio_sink);
  copy->database = g_strdup (settings->database);
  copy->demo_fault = g_strdup (settings->demo_fault);
  copy->printer = g_strdup (settings->printer);
  copy->paper = g_strdup (settings->paper);
  copy->patient_identifier_system = g_strdup (settings->patient_identifier_system);
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

static void
hp_config_init (HpConfig *self)
{
  self->s.fullscreen = TRUE;
  self->s.language = g_strdup ("en");
  self->s.languages = g_strdupv ((char **) hp_i18n_get_languages ());
  self->s.location = g_strdup ("");
  self->s.emergency_number = g_strdup ("911");
  self->s.gsk_renderer = g_strdup ("");
  self->s.window_width = 1280;
  self->s.window_height = 800;
  self->s.retention_days = HP_RETENTION_DAYS_DEFAULT;
  self->s.idle_seconds = 60;
  self->s.warning_seconds = 20;
  self->s.goodbye_seconds = 10;
  self->s.audio_sink = g_strdup ("autoaudiosink");
  self->s.audio_volume = 40;
  self->s.demo_systolic = 118;
  self->s.demo_diastolic = 76;
  self->s.demo_pulse = 72;
  self->s.demo_measure_ms = 4000;
  self->s.demo_fault = g_strdup ("none");
  self->s.demo_weight_kg = 72;
  self->s.demo_glucose_mg_dl = 104;
  self->s.printer = g_strdup ("");
  self->s.paper = g_strdup ("receipt-80mm");
  self->s.copies_per_visit = 2;
  self->s.patient_identifier_system = g_strdup ("");
}

HpConfig *
hp_config_new (void)
{
  return g_object_new (HP_TYPE_CONFIG, NULL);
}

static gboolean
read_bool (GKeyFile    *file,
           const char  *group,
           const char  *key,
           gboolean    *out,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean value;

  if (!g_key_file_has_key (file, group, key, NULL))
    return TRUE;
  value = g_key_file_get_boolean (file, group, key, &local_error);
  if (local_error != NULL)
    {
      g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                   "[%s] %s must be true or false", group, key);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

static gboolean
read_uint (GKeyFile    *file,
           const char  *group,
           const char  *key,
           guint        min,
           guint        max,
           guint       *out,
           GError     **error)
{
  g_autofree char *text = NULL;
  guint64 value;

  if (!g_key_file_has_key (file, group, key, NULL))
    return TRUE;
  text = g_key_file_get_value (file, group, key, NULL);
  g_strstrip (text);
  if (!g_ascii_string_to_unsigned (text, 10, min, max, &value, NULL))
    {
      g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                   "[%s] %s must be a whole number from %u to %u", group, key, min, max);
      return FALSE;
    }
  *out = (guint) value;
  return TRUE;
}

static gboolean
is_one_of (const char         *value,
           const char * const *allowed)
{
  return value != NULL && g_strv_contains (allowed, value);
}

static gboolean
read_choice (GKeyFile            *file,
             const char          *group,
             const char          *key,
             const char * const  *allowed,
             char               **out,
             GError             **error)
{
  g_autofree char *value = NULL;

  if (!g_key_file_has_key (file, group, key, NULL))
    return TRUE;
  value = g_key_file_get_string (file, group, key, NULL);
  if (value != NULL)
    g_strstrip (value);
  if (!is_one_of (value, allowed))
    {
      g_autofree char *list = g_strjoinv (", ", (char **) allowed);
      g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                   "[%s] %s must be one of: %s", group, key, list);
      return FALSE;
    }
  g_free (*out);
  *out = g_steal_pointer (&value);
  return TRUE;
}

static gboolean
read_string (GKeyFile    *file,
             const char  *group,
             const char  *key,
             char       **out,
             GError     **error)
{
  g_autofree char *value = NULL;

  if (!g_key_file_has_key (file, group, key, NULL))
    return TRUE;
  value = g_key_file_get_string (file, group, key, NULL);
  if (value == NULL)
    {
      g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                   "[%s] %s is not valid text", group, key);
      return FALSE;
    }
  /* A value is printed on summaries and shown to staff: a control
   * character (an escaped newline, an escape sequence) has no place in it. */
  for (const char *c = value; *c != '\0'; c++)
    if ((guchar) *c < 0x20 || (guchar) *c == 0x7f)
      {
        g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                     "[%s] %s holds a control character", group, key);
        return FALSE;
      }
  g_free (*out);
  *out = g_steal_pointer (&value);
  return TRUE;
}

/* The system a clinic knows its patients' personal codes under, in the
 * export: an https URI the operator chose, or empty for none. */
static gboolean
read_identifier_system (GKeyFile  *file,
                        char     **out,
                        GError   **error)
{
  g_autofree char *value = NULL;
  g_autoptr(GUri) uri = NULL;

  if (!read_string (file, "export", "patient-identifier-system", &value, error))
    return FALSE;
  if (value == NULL)
    return TRUE;
  g_strstrip (value);
  if (*value != '\0')
    {
      uri = g_uri_parse (value, G_URI_FLAGS_NONE, NULL);
      if (strlen (value) > 200 || uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 ||
          g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
        {
          g_set_error_literal (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                               "[export] patient-identifier-system must be an https URI of at most 200 "
                               "characters, such as https://clinic.example/patient-code");
          return FALSE;
        }
    }
  g_free (*out);
  *out = g_steal_pointer (&value);
  return TRUE;
}

/* The number shown to a patient in a crisis is dialled from memory under
 * stress: it must be short and hold nothing a phone keypad lacks. */
static gboolean
read_emergency_number (GKeyFile  *file,
                       char     **out,
                       GError   **error)
{
  g_autofree char *value = NULL;
  gboolean has_digit = FALSE;
  gboolean valid = TRUE;

  if (!read_string (file, "kiosk", "emergency-number", &value, error))
    return FALSE;
  if (value == NULL)
    return TRUE;
  g_strstrip (value);
  for (const char *c = value; *c != '\0' && valid; c++)
    {
      if (g_ascii_isdigit (*c))
        has_digit = TRUE;
      else if (*c != ' ' && *c != '-' && *c != '+')
        valid = FALSE;
    }
  if (!valid || !has_digit || strlen (value) > 20)
    {
      g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                   "[kiosk] emergency-number must be a phone number of at most 20 characters "
                   "(digits, spaces, “+” and “-”)");
      return FALSE;
    }
  g_free (*out);
  *out = g_steal_pointer (&value);
  return TRUE;
}

/* A printer is a CUPS destination name or an ipp:// or ipps:// URI. A
 * URI with a user or password is refused: the printer's name goes to logs
 * and the audit trail. */
static gboolean
read_printer (GKeyFile  *file,
              char     **out,
              GError   **error)
{
  g_autofree char *value = NULL;
  gboolean valid = TRUE;

  if (!read_string (file, "printer", "printer", &value, error))
    return FALSE;
  if (value == NULL)
    return TRUE;
  g_strstrip (value);
  /* Printable ASCII without spaces in either form: GUri lets a space in a
   * host name through. */
  for (const char *c = value; *c != '\0' && valid; c++)
    valid = *c > ' ' && *c < 0x7f;
  if (!valid)
    {
      g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                   "[printer] printer must be a printer name or URI without spaces or "
                   "characters outside ASCII");
      return FALSE;
    }
  if (strstr (value, "://") != NULL)
    {
      g_autoptr(GUri) uri = g_uri_parse (value, G_URI_FLAGS_NONE, NULL);
      const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
      const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

      if (uri == NULL || strlen (value) > 1023
          || (g_strcmp0 (scheme, "ipp") != 0 && g_strcmp0 (scheme, "ipps") != 0)
          || host == NULL || *host == '\0' || g_uri_get_userinfo (uri) != NULL
          || *g_uri_get_path (uri) != '/')
        {
          g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                       "[printer] printer must be a printer name or a URI like "
                       "ipp://host:631/ipp/print (ipp or ipps, with a host and a path, "
                       "no user or password)");
          return FALSE;
        }
    }
  else
    {
      /* What lpadmin takes as a queue name. */
      for (const char *c = value; *c != '\0' && valid; c++)
        valid = strchr ("/\\#?'\",", *c) == NULL;
      if (!valid || strlen (value) > 127)
        {
          g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                       "[printer] printer must be a printer name of at most 127 characters "
                       "without spaces, “/”, “#”, “?”, quotes or backslashes, or a URI");
          return FALSE;
        }
    }
  g_free (*out);
  *out = g_steal_pointer (&value);
  return TRUE;
}

/* The sink is a GStreamer description, checked for its form here (GStreamer
 * is not loaded to read the configuration) and built when the kiosk first
 * speaks. What it plays holds results, so a description naming a file or a
 * network destination is refused: the words go to a loudspeaker only. */
static gboolean
read_audio_sink (GKeyFile  *file,
                 char     **out,
                 GError   **error)
{
  static const char * const refused[] = { "location=", "host=", "filesink", "udpsink", "tcpserversink",
                                          "tcpclientsink", "rtmpsink", "srtsink", "shout2send", NULL };
  g_autofree char *value = NULL;
  g_autoptr(GString) compact = NULL;
  gboolean valid = TRUE;

  if (!read_string (file, "audio", "sink", &value, error))
    return FALSE;
  if (value == NULL)
    return TRUE;
  g_strstrip (value);
  for (const char *c = value; *c != '\0' && valid; c++)
    valid = *c >= ' ' && *c < 0x7f;
  if (!valid || *value == '\0' || strlen (value) > 255)
    {
      g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                   "[audio] sink must be a GStreamer sink description of at most 255 "
                   "plain ASCII characters, like autoaudiosink or alsasink device=hw:1");
      return FALSE;
    }
  /* Compared without spaces, which the description may hold around "=". */
  compact = g_string_new (NULL);
  for (const char *c = value; *c != '\0'; c++)
    if (*c != ' ')
      g_string_append_c (compact, g_ascii_tolower (*c));
  for (guint i = 0; refused[i] != NULL; i++)
    if (strstr (compact->str, refused[i]) != NULL)
      {
        g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                     "[audio] sink may only play to a sound device: “%s” is refused", refused[i]);
        return FALSE;
      }
  g_free (*out);
  *out = g_steal_pointer (&value);
  return TRUE;
}

static gboolean
read_languages (GKeyFile  *file,
                GStrv     *out,
                GError   **error)
{
  g_auto(GStrv) list = NULL;
  gsize n = 0;

  if (!g_key_file_has_key (file, "kiosk", "languages", NULL))
    return TRUE;
  list = g_key_file_get_string_list (file, "kiosk", "languages", &n, NULL);
  if (list == NULL || n == 0)
    {
      g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                   "[kiosk] languages must list at least one language");
      return FALSE;
    }
  for (gsize i = 0; i < n; i++)
    {
      g_strstrip (list[i]);
      if (!is_one_of (list[i], hp_i18n_get_languages ()))
        {
          g_autofree char *known = g_strjoinv (", ", (char **) hp_i18n_get_languages ());
          g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                       "[kiosk] languages: “%s” is not available (available: %s)",
                       list[i], known);
          return FALSE;
        }
    }
  g_strfreev (*out);
  *out = g_steal_pointer (&list);
  return TRUE;
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

  if (!read_bool (file, "kiosk", "fullscreen", &next.fullscreen, error) ||
      !read_languages (file, &next.languages, error) ||
      !read_string (file, "kiosk", "language", &next.language, error) ||
      !read_string (file, "kiosk", "location", &next.location, error) ||
      !read_emergency_number (file, &next.emergency_number, error) ||
      !read_choice (file, "kiosk", "gsk-renderer",
                    (const char * const []) { "", "cairo", "gl", "ngl", "vulkan", NULL },
                    &next.gsk_renderer, error) ||
      !read_uint (file, "kiosk", "window-width", 640, 7680, &next.window_width, error) ||
      !read_uint (file, "kiosk", "window-height", 480, 7680, &next.window_height, error) ||
      !read_string (file, "storage", "database", &next.database, error) ||
      !read_uint (file, "storage", "retention-days",
                  HP_RETENTION_DAYS_MIN, HP_RETENTION_DAYS_MAX, &next.retention_days, error) ||
      !read_uint (file, "visit", "idle-seconds", 5, 3600, &next.idle_seconds, error) ||
      !read_uint (file, "visit", "warning-seconds", 5, 600, &next.warning_seconds, error) ||
      !read_uint (file, "visit", "goodbye-seconds", 1, 600, &next.goodbye_seconds, error) ||
      !read_audio_sink (file, &next.audio_sink, error) ||
      !read_uint (file, "audio", "volume", 1, 100, &next.audio_volume, error) ||
      !read_bool (file, "demo", "enabled", &next.demo, error) ||
      !read_uint (file, "demo", "systolic", 40, 300, &next.demo_systolic, error) ||
      !read_uint (file, "demo", "diastolic", 20, 200, &next.demo_diastolic, error) ||
      !read_uint (file, "demo", "pulse", 20, 250, &next.demo_pulse, error) ||
      !read_uint (file, "demo", "measure-ms", 0, 120000, &next.demo_measure_ms, error) ||
      !read_choice (file, "demo", "fault", known_faults, &next.demo_fault, error) ||
      !read_uint (file, "demo", "weight-kg", 10, 300, &next.demo_weight_kg, error) ||
      !read_uint (file, "demo", "glucose-mg-dl", 1, 999, &next.demo_glucose_mg_dl, error) ||
      !read_printer (file, &next.printer, error) ||
      !read_choice (file, "printer", "paper", known_papers, &next.paper, error) ||
      !read_uint (file, "printer", "copies-per-visit", 1, 10, &next.copies_per_visit, error) ||
      !read_identifier_system (file, &next.patient_identifier_system, error))
    return FALSE;

  if (!g_strv_contains ((const char * const *) next.languages, next.language))
    {
      g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                   "[kiosk] language “%s” is not in [kiosk] languages", next.language);
      return FALSE;
    }
  if (next.database != NULL && *next.database == '\0')
    g_clear_pointer (&next.database, g_free);
  if (next.database != NULL && !g_path_is_absolute (next.database))
    {
      g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                   "[storage] database must be an absolute path");
      return FALSE;
    }
  if (next.demo_diastolic >= next.demo_systolic)
    {
      g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                   "[demo] diastolic must be lower than systolic");
      return FALSE;
    }

  /* Every value is valid: take them all. */
  settings_clear (&self->s);
  self->s = next;
  /* The fields now belong to self; leave nothing for the cleanup to free. */
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
  self->s.demo = !!demo;
}

gboolean
hp_config_get_demo (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), FALSE);
  return self->s.demo;
}

gboolean
hp_config_get_fullscreen (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), TRUE);
  return self->s.fullscreen;
}

const char *
hp_config_get_language (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), NULL);
  return self->s.language;
}

const char * const *
hp_config_get_languages (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), NULL);
  return (const char * const *) self->s.languages;
}

const char *
hp_config_get_location (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), NULL);
  return self->s.location;
}

const char *
hp_config_get_patient_identifier_system (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), NULL);
  return *self->s.patient_identifier_system != '\0' ? self->s.patient_identifier_system : NULL;
}

const char *
hp_config_get_emergency_number (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), NULL);
  return self->s.emergency_number;
}

guint
hp_config_get_window_width (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), 1280);
  return self->s.window_width;
}

guint
hp_config_get_window_height (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), 800);
  return self->s.window_height;
}

const char *
hp_config_get_gsk_renderer (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), NULL);
  return self->s.gsk_renderer;
}

char *
hp_config_dup_database_path (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), NULL);

  if (self->s.database != NULL)
    return g_strdup (self->s.database);
  if (self->s.demo)
    return g_build_filename (g_get_user_data_dir (), "healthpost", "demo.db", NULL);
  return g_strdup ("/var/lib/healthpost/healthpost.db");
}

guint
hp_config_get_retention_days (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), HP_RETENTION_DAYS_DEFAULT);
  return self->s.retention_days;
}

HpKeyring *
hp_config_load_keyring (HpConfig  *self,
                        gboolean   create,
                        GError   **error)
{
  g_autofree char *database = NULL;
  g_autofree char *key_path = NULL;

  g_return_val_if_fail (HP_IS_CONFIG (self), NULL);

  if (!self->s.demo)
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
  g_return_val_if_fail (HP_IS_CONFIG (self), 60);
  return self->s.idle_seconds;
}

guint
hp_config_get_warning_seconds (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), 20);
  return self->s.warning_seconds;
}

guint
hp_config_get_goodbye_seconds (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), 10);
  return self->s.goodbye_seconds;
}

const char *
hp_config_get_audio_sink (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), "autoaudiosink");
  return self->s.audio_sink;
}

guint
hp_config_get_audio_volume (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), 40);
  return self->s.audio_volume;
}

guint
hp_config_get_demo_systolic (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), 0);
  return self->s.demo_systolic;
}

guint
hp_config_get_demo_diastolic (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), 0);
  return self->s.demo_diastolic;
}

guint
hp_config_get_demo_pulse (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), 0);
  return self->s.demo_pulse;
}

guint
hp_config_get_demo_measure_ms (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), 0);
  return self->s.demo_measure_ms;
}

const char *
hp_config_get_demo_fault (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), NULL);
  return self->s.demo_fault;
}

char *
hp_config_to_data (HpConfig *self)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *database = NULL;

  g_return_val_if_fail (HP_IS_CONFIG (self), NULL);

  database = hp_config_dup_database_path (self);
  g_key_file_set_boolean (file, "kiosk", "fullscreen", self->s.fullscreen);
  g_key_file_set_string (file, "kiosk", "language", self->s.language);
  g_key_file_set_string_list (file, "kiosk", "languages",
                              (const char * const *) self->s.languages,
                              g_strv_length (self->s.languages));
  g_key_file_set_string (file, "kiosk", "location", self->s.location);
  g_key_file_set_string (file, "kiosk", "emergency-number", self->s.emergency_number);
  g_key_file_set_string (file, "export", "patient-identifier-system", self->s.patient_identifier_system);
  g_key_file_set_string (file, "kiosk", "gsk-renderer", self->s.gsk_renderer);
  g_key_file_set_uint64 (file, "kiosk", "window-width", self->s.window_width);
  g_key_file_set_uint64 (file, "kiosk", "window-height", self->s.window_height);
  g_key_file_set_string (file, "storage", "database", database);
  g_key_file_set_uint64 (file, "storage", "retention-days", self->s.retention_days);
  g_key_file_set_uint64 (file, "visit", "idle-seconds", self->s.idle_seconds);
  g_key_file_set_uint64 (file, "visit", "warning-seconds", self->s.warning_seconds);
  g_key_file_set_uint64 (file, "visit", "goodbye-seconds", self->s.goodbye_seconds);
  g_key_file_set_string (file, "audio", "sink", self->s.audio_sink);
  g_key_file_set_uint64 (file, "audio", "volume", self->s.audio_volume);
  g_key_file_set_boolean (file, "demo", "enabled", self->s.demo);
  g_key_file_set_uint64 (file, "demo", "systolic", self->s.demo_systolic);
  g_key_file_set_uint64 (file, "demo", "diastolic", self->s.demo_diastolic);
  g_key_file_set_uint64 (file, "demo", "pulse", self->s.demo_pulse);
  g_key_file_set_uint64 (file, "demo", "measure-ms", self->s.demo_measure_ms);
  g_key_file_set_uint64 (file, "demo", "weight-kg", self->s.demo_weight_kg);
  g_key_file_set_uint64 (file, "demo", "glucose-mg-dl", self->s.demo_glucose_mg_dl);
  g_key_file_set_string (file, "demo", "fault", self->s.demo_fault);
  g_key_file_set_string (file, "printer", "printer", self->s.printer);
  g_key_file_set_string (file, "printer", "paper", self->s.paper);
  g_key_file_set_uint64 (file, "printer", "copies-per-visit", self->s.copies_per_visit);
  return g_key_file_to_data (file, NULL, NULL);
}

guint
hp_config_get_demo_weight_kg (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), 72);
  return self->s.demo_weight_kg;
}

guint
hp_config_get_demo_glucose_mg_dl (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), 104);
  return self->s.demo_glucose_mg_dl;
}

const char *
hp_config_get_printer (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), "");
  return self->s.printer;
}

const char *
hp_config_get_paper (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), "receipt-80mm");
  return self->s.paper;
}

guint
hp_config_get_copies_per_visit (HpConfig *self)
{
  g_return_val_if_fail (HP_IS_CONFIG (self), 2);
  return self->s.copies_per_visit;
}
