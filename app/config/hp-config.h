/* The kiosk's configuration: compiled-in defaults overridden by a key file. */
#pragma once

#include <glib-object.h>

#include "hp-keyring.h"

G_BEGIN_DECLS

/* The largest configuration file read. */
#define HP_CONFIG_MAX_BYTES (64 * 1024)

#define HP_CONFIG_ERROR (hp_config_error_quark ())

typedef enum {
  HP_CONFIG_ERROR_READ,    /* the file cannot be read or is not a key file */
  HP_CONFIG_ERROR_VALUE,   /* a key holds a value out of range or of the wrong type */
} HpConfigError;

GQuark hp_config_error_quark (void);

#define HP_TYPE_CONFIG (hp_config_get_type ())
G_DECLARE_FINAL_TYPE (HpConfig, hp_config, HP, CONFIG, GObject)

/* The defaults of the key table (hp-config-keys.c), where each key says what it takes. */
HpConfig    *hp_config_new                 (void);
/* Defaults, then the file at @path. When @path is %NULL the production file
 * is read if present; an explicitly named file must exist. */
HpConfig    *hp_config_load                (const char  *path,
                                            GError     **error);
/* Applies the text of a key file on top of the current values. */
gboolean     hp_config_merge_data          (HpConfig    *self,
                                            const char  *data,
                                            gsize        length,
                                            GError     **error);

/* Turns demo mode on (simulated devices, database in the user's data dir). */
void         hp_config_set_demo            (HpConfig    *self,
                                            gboolean     demo);

gboolean     hp_config_get_demo            (HpConfig    *self);
gboolean     hp_config_get_fullscreen      (HpConfig    *self);
const char  *hp_config_get_language        (HpConfig    *self);
const char * const *hp_config_get_languages (HpConfig   *self);
const char  *hp_config_get_location        (HpConfig    *self);
/* What a patient with a crisis reading is told to call. */
const char  *hp_config_get_emergency_number (HpConfig   *self);
/* The https URI the clinic knows personal codes under, for the FHIR
 * export's Patient.identifier.system; %NULL when not configured. */
const char  *hp_config_get_patient_identifier_system (HpConfig *self);
const char  *hp_config_get_gsk_renderer    (HpConfig    *self);
/* The window's size when it is not fullscreen (a demo, a test). */
guint        hp_config_get_window_width    (HpConfig    *self);
guint        hp_config_get_window_height   (HpConfig    *self);
/* The database file: the configured one, or the default for the mode. */
char        *hp_config_dup_database_path   (HpConfig    *self);
/* The database's root key. Demo mode: the key file beside the database
 * ("DATABASE.key"), created mode 0600 with @create (the kiosk's first
 * start; never a command that only works on an existing database).
 * Production: the systemd credential HP_KEYRING_CREDENTIAL_NAME, which
 * must exist. */
HpKeyring   *hp_config_load_keyring        (HpConfig    *self,
                                            gboolean     create,
                                            GError     **error);
/* Days a finished visit is kept before retention deletes it. */
guint        hp_config_get_retention_days  (HpConfig    *self);
guint        hp_config_get_idle_seconds    (HpConfig    *self);
guint        hp_config_get_warning_seconds (HpConfig    *self);
guint        hp_config_get_goodbye_seconds (HpConfig    *self);
/* Spoken guidance: the GStreamer sink description, and the normal volume
 * step in percent of full scale (the louder steps are about 1.6 and 2.5
 * times it). */
const char  *hp_config_get_audio_sink      (HpConfig    *self);
guint        hp_config_get_audio_volume    (HpConfig    *self);

/* What the demo cuff reads. */
guint        hp_config_get_demo_systolic   (HpConfig    *self);
guint        hp_config_get_demo_diastolic  (HpConfig    *self);
guint        hp_config_get_demo_pulse      (HpConfig    *self);
guint        hp_config_get_demo_measure_ms (HpConfig    *self);
const char  *hp_config_get_demo_fault      (HpConfig    *self);
/* What the demo scale and glucose meter read. */
guint        hp_config_get_demo_weight_kg  (HpConfig    *self);
guint        hp_config_get_demo_glucose_mg_dl (HpConfig *self);

/* The printer: a CUPS destination name or an ipp:// or ipps:// URI; ""
 * when none is set up (then nothing is printed). */
const char  *hp_config_get_printer         (HpConfig    *self);
/* The paper's name, one the configuration table allows. */
const char  *hp_config_get_paper           (HpConfig    *self);
/* How many copies of its summary one visit may print. */
guint        hp_config_get_copies_per_visit (HpConfig   *self);

/* The effective configuration as key-file text, for staff diagnostics. */
char        *hp_config_to_data             (HpConfig    *self);
/* The documented sample file: every key commented out at its default,
 * with what it does and what it takes. app/config/healthpost.conf is
 * this text. */
char        *hp_config_dup_sample          (void);

G_END_DECLS
