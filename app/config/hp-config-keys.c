/* Every configuration key: its group, name, type, range or choices, default and documentation, and the rules no type covers. */
#include "hp-config-private.h"

#include <string.h>

#include "hp-retention.h"

/* The configuration's error domain lives with the keys, which raise most of its errors. */
G_DEFINE_QUARK (hp-config-error-quark, hp_config_error)

static void
refuse (const HpConfigKey  *key,
        GError            **error)
{
  g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
               "[%s] %s must be %s", key->group, key->name, key->form);
}

/* The number shown to a patient in a crisis is dialled from memory under
 * stress: it must be short and hold nothing a phone keypad lacks. */
static gboolean
check_emergency_number (const HpConfigKey  *key,
                        const char         *value,
                        GError            **error)
{
  gboolean has_digit = FALSE;
  gboolean valid = TRUE;

  for (const char *c = value; *c != '\0' && valid; c++)
    {
      if (g_ascii_isdigit (*c))
        has_digit = TRUE;
      else if (*c != ' ' && *c != '-' && *c != '+')
        valid = FALSE;
    }
  if (!valid || !has_digit || strlen (value) > 20)
    {
      refuse (key, error);
      return FALSE;
    }
  return TRUE;
}

/* A printer is a CUPS destination name or an ipp:// or ipps:// URI. A
 * URI with a user or password is refused: the printer's name goes to logs
 * and the audit trail. */
static gboolean
check_printer (const HpConfigKey  *key,
               const char         *value,
               GError            **error)
{
  gboolean valid = TRUE;

  /* Printable ASCII without spaces in either form: GUri lets a space in a
   * host name through. */
  for (const char *c = value; *c != '\0' && valid; c++)
    valid = *c > ' ' && *c < 0x7f;
  if (!valid)
    {
      g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                   "[%s] %s must be a printer name or URI without spaces or "
                   "characters outside ASCII", key->group, key->name);
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
          refuse (key, error);
          return FALSE;
        }
      return TRUE;
    }
  /* What lpadmin takes as a queue name. */
  for (const char *c = value; *c != '\0' && valid; c++)
    valid = strchr ("/\\#?'\",", *c) == NULL;
  if (!valid || strlen (value) > 127)
    {
      g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                   "[%s] %s must be a printer name of at most 127 characters "
                   "without spaces, “/”, “#”, “?”, quotes or backslashes, or a URI",
                   key->group, key->name);
      return FALSE;
    }
  return TRUE;
}

/* The sink is a GStreamer description, checked for its form here (GStreamer
 * is not loaded to read the configuration) and built when the kiosk first
 * speaks. What it plays holds results, so a description naming a file or a
 * network destination is refused: the words go to a loudspeaker only. */
static gboolean
check_audio_sink (const HpConfigKey  *key,
                  const char         *value,
                  GError            **error)
{
  static const char * const refused[] = { "location=", "host=", "filesink", "udpsink", "tcpserversink",
                                          "tcpclientsink", "rtmpsink", "srtsink", "shout2send", NULL };
  g_autoptr(GString) compact = NULL;
  gboolean valid = TRUE;

  for (const char *c = value; *c != '\0' && valid; c++)
    valid = *c >= ' ' && *c < 0x7f;
  if (!valid || *value == '\0' || strlen (value) > 255)
    {
      refuse (key, error);
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
                     "[%s] %s may only play to a sound device: “%s” is refused",
                     key->group, key->name, refused[i]);
        return FALSE;
      }
  return TRUE;
}

static gboolean
relate_language (const HpConfigKey    *key,
                 const HpConfigValue  *values,
                 GError              **error)
{
  const HpConfigKey *languages = &hp_config_keys[HP_CONFIG_KEY_KIOSK_LANGUAGES];
  const char *language = values[HP_CONFIG_KEY_KIOSK_LANGUAGE].text;

  if (!g_strv_contains ((const char * const *) values[HP_CONFIG_KEY_KIOSK_LANGUAGES].list, language))
    {
      g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                   "[%s] %s “%s” is not in [%s] %s",
                   key->group, key->name, language, languages->group, languages->name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
relate_diastolic (const HpConfigKey    *key,
                  const HpConfigValue  *values,
                  GError              **error)
{
  if (values[HP_CONFIG_KEY_DEMO_DIASTOLIC].number >= values[HP_CONFIG_KEY_DEMO_SYSTOLIC].number)
    {
      g_set_error (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE,
                   "[%s] %s must be lower than %s", key->group, key->name,
                   hp_config_keys[HP_CONFIG_KEY_DEMO_SYSTOLIC].name);
      return FALSE;
    }
  return TRUE;
}

static const char * const gsk_renderers[] = { "", "cairo", "gl", "ngl", "vulkan", NULL };
static const char * const demo_faults[] = { "none", "unplug", "timeout", "garbled", NULL };
static const char * const papers[] = { "receipt-80mm", "letter", "a4", NULL };
static const char * const https_only[] = { "https", NULL };

/* A misspelt key is an error, not a setting silently left at its default:
 * a key or group missing here is refused in a file. */
const HpConfigKey hp_config_keys[HP_CONFIG_N_KEYS] = {
  [HP_CONFIG_KEY_KIOSK_FULLSCREEN] = {
    "kiosk", "fullscreen", HP_CONFIG_BOOLEAN, .fallback = "true",
    .doc = "Whether the kiosk fills the screen (or is a window of the size below)." },
  [HP_CONFIG_KEY_KIOSK_LANGUAGE] = {
    "kiosk", "language", HP_CONFIG_TEXT, .fallback = "en", .relate = relate_language,
    .doc = "The language a visit starts in, one of the languages below." },
  [HP_CONFIG_KEY_KIOSK_LANGUAGES] = {
    "kiosk", "languages", HP_CONFIG_LANGUAGES,
    .doc = "Languages the language button cycles through, in this order." },
  [HP_CONFIG_KEY_KIOSK_LOCATION] = {
    "kiosk", "location", HP_CONFIG_TEXT, .fallback = "",
    .doc = "The kiosk's place, printed on summaries." },
  [HP_CONFIG_KEY_KIOSK_EMERGENCY_NUMBER] = {
    "kiosk", "emergency-number", HP_CONFIG_TEXT, .fallback = "911", .check = check_emergency_number,
    .form = "a phone number of at most 20 characters (digits, spaces, “+” and “-”)",
    .doc = "What a patient with a crisis reading is told to call." },
  [HP_CONFIG_KEY_KIOSK_GSK_RENDERER] = {
    "kiosk", "gsk-renderer", HP_CONFIG_CHOICE, .choices = gsk_renderers, .fallback = "",
    .doc = "The GTK renderer; empty leaves the choice to GTK." },
  [HP_CONFIG_KEY_KIOSK_WINDOW_WIDTH] = {
    "kiosk", "window-width", HP_CONFIG_UINT, 640, 7680, .fallback = "1280",
    .doc = "The window's width in pixels when not fullscreen (a demo on a desktop)." },
  [HP_CONFIG_KEY_KIOSK_WINDOW_HEIGHT] = {
    "kiosk", "window-height", HP_CONFIG_UINT, 480, 7680, .fallback = "800",
    .doc = "The window's height in pixels when not fullscreen." },

  [HP_CONFIG_KEY_STORAGE_DATABASE] = {
    "storage", "database", HP_CONFIG_PATH, .fallback = "",
    .doc = "The database file. Empty: /var/lib/healthpost/healthpost.db, or in demo mode "
           "healthpost/demo.db in the user's data folder." },
  [HP_CONFIG_KEY_STORAGE_RETENTION_DAYS] = {
    "storage", "retention-days", HP_CONFIG_UINT, HP_RETENTION_DAYS_MIN, HP_RETENTION_DAYS_MAX,
    .fallback = G_STRINGIFY (HP_RETENTION_DAYS_DEFAULT),
    .doc = "Days a finished visit is kept before it is deleted." },

  [HP_CONFIG_KEY_VISIT_IDLE_SECONDS] = {
    "visit", "idle-seconds", HP_CONFIG_UINT, 5, 3600, .fallback = "60",
    .doc = "Seconds without a touch before the kiosk asks \"Are you still there?\"" },
  [HP_CONFIG_KEY_VISIT_WARNING_SECONDS] = {
    "visit", "warning-seconds", HP_CONFIG_UINT, 5, 600, .fallback = "20",
    .doc = "Seconds that question counts down before the visit is wiped." },
  [HP_CONFIG_KEY_VISIT_GOODBYE_SECONDS] = {
    "visit", "goodbye-seconds", HP_CONFIG_UINT, 1, 600, .fallback = "10",
    .doc = "Seconds the goodbye screen stays before the next patient's welcome." },

  [HP_CONFIG_KEY_AUDIO_SINK] = {
    "audio", "sink", HP_CONFIG_TEXT, .fallback = "autoaudiosink", .check = check_audio_sink,
    .form = "a GStreamer sink description of at most 255 plain ASCII characters, "
            "like autoaudiosink or alsasink device=hw:1",
    .doc = "Where spoken guidance plays: a sound device, never a file or the network." },
  [HP_CONFIG_KEY_AUDIO_VOLUME] = {
    "audio", "volume", HP_CONFIG_UINT, 1, 100, .fallback = "40",
    .doc = "The normal loudness in percent of full scale. Patients can go two steps louder "
           "(about 1.6 and 2.5 times); above 40 the loudest step may distort." },

  [HP_CONFIG_KEY_DEMO_ENABLED] = {
    "demo", "enabled", HP_CONFIG_BOOLEAN, .fallback = "false",
    .doc = "Demo mode uses simulated devices and a database in the user's data folder." },
  [HP_CONFIG_KEY_DEMO_SYSTOLIC] = {
    "demo", "systolic", HP_CONFIG_UINT, 40, 300, .fallback = "118",
    .doc = "The systolic pressure the demo cuff reads, in mmHg." },
  [HP_CONFIG_KEY_DEMO_DIASTOLIC] = {
    "demo", "diastolic", HP_CONFIG_UINT, 20, 200, .fallback = "76", .relate = relate_diastolic,
    .doc = "The diastolic pressure the demo cuff reads, in mmHg, lower than the systolic." },
  [HP_CONFIG_KEY_DEMO_PULSE] = {
    "demo", "pulse", HP_CONFIG_UINT, 20, 250, .fallback = "72",
    .doc = "The pulse the demo cuff reads, in beats a minute." },
  [HP_CONFIG_KEY_DEMO_MEASURE_MS] = {
    "demo", "measure-ms", HP_CONFIG_UINT, 0, 120000, .fallback = "4000",
    .doc = "How long the demo cuff takes to measure, in milliseconds." },
  [HP_CONFIG_KEY_DEMO_WEIGHT_KG] = {
    "demo", "weight-kg", HP_CONFIG_UINT, 10, 300, .fallback = "72",
    .doc = "What the demo scale (a HID scale) reads, in kg." },
  [HP_CONFIG_KEY_DEMO_GLUCOSE_MG_DL] = {
    "demo", "glucose-mg-dl", HP_CONFIG_UINT, 1, 999, .fallback = "104",
    .doc = "What the demo glucose meter (a Contour) reads, in mg/dL: above 600 the meter "
           "shows HI, below 20 LO." },
  [HP_CONFIG_KEY_DEMO_FAULT] = {
    "demo", "fault", HP_CONFIG_CHOICE, .choices = demo_faults, .fallback = "none",
    .doc = "A simulated failure of the demo cuff." },

  [HP_CONFIG_KEY_PRINTER_PRINTER] = {
    "printer", "printer", HP_CONFIG_TEXT, .fallback = "", .check = check_printer,
    .form = "a printer name or a URI like ipp://host:631/ipp/print (ipp or ipps, "
            "with a host and a path, no user or password)",
    .doc = "The printer for visit summaries: its CUPS name, or its URI such as "
           "ipp://192.168.1.20:631/ipp/print. Empty: no printer, no print button." },
  [HP_CONFIG_KEY_PRINTER_PAPER] = {
    "printer", "paper", HP_CONFIG_CHOICE, .choices = papers, .fallback = "receipt-80mm",
    .doc = "The paper in the printer." },
  [HP_CONFIG_KEY_PRINTER_COPIES_PER_VISIT] = {
    "printer", "copies-per-visit", HP_CONFIG_UINT, 1, 10, .fallback = "2",
    .doc = "How many copies of their summary one visit may print." },

  [HP_CONFIG_KEY_EXPORT_PATIENT_IDENTIFIER_SYSTEM] = {
    "export", "patient-identifier-system", HP_CONFIG_URI, .max = 200, .choices = https_only,
    .fallback = "", .example = "https://clinic.example/patient-code",
    .doc = "The system the clinic receiving exports knows patients' personal codes under "
           "(Patient.identifier.system in FHIR), which it chooses. Empty: codes are written "
           "under urn:healthpost:personal-code, which only this kiosk knows." },
};
