/* The table of configuration keys that HpConfig reads, checks, prints and documents. */
#pragma once

#include "hp-config.h"

G_BEGIN_DECLS

/* What a key holds, which decides how it is read, checked and written. */
typedef enum {
  HP_CONFIG_BOOLEAN,   /* true or false */
  HP_CONFIG_UINT,      /* a whole number from min to max */
  HP_CONFIG_TEXT,      /* text without control characters, kept as written;
                        * with a check, stripped and checked */
  HP_CONFIG_CHOICE,    /* one of choices */
  HP_CONFIG_LANGUAGES, /* a list of the kiosk's languages, all of them by default */
  HP_CONFIG_PATH,      /* an absolute path, or empty */
  HP_CONFIG_URI,       /* empty, or a URI of a scheme in choices with a host,
                        * of at most max characters */
} HpConfigType;

typedef union {
  gboolean boolean;
  guint number;
  char *text;          /* TEXT, CHOICE, PATH, URI */
  GStrv list;          /* LANGUAGES */
} HpConfigValue;

/* The keys, in the table's order: the order of the sample file and of
 * healthpost-ctl config. A group's keys follow each other. */
typedef enum {
  HP_CONFIG_KEY_KIOSK_FULLSCREEN,
  HP_CONFIG_KEY_KIOSK_LANGUAGE,
  HP_CONFIG_KEY_KIOSK_LANGUAGES,
  HP_CONFIG_KEY_KIOSK_LOCATION,
  HP_CONFIG_KEY_KIOSK_EMERGENCY_NUMBER,
  HP_CONFIG_KEY_KIOSK_GSK_RENDERER,
  HP_CONFIG_KEY_KIOSK_WINDOW_WIDTH,
  HP_CONFIG_KEY_KIOSK_WINDOW_HEIGHT,
  HP_CONFIG_KEY_STORAGE_DATABASE,
  HP_CONFIG_KEY_STORAGE_RETENTION_DAYS,
  HP_CONFIG_KEY_VISIT_IDLE_SECONDS,
  HP_CONFIG_KEY_VISIT_WARNING_SECONDS,
  HP_CONFIG_KEY_VISIT_GOODBYE_SECONDS,
  HP_CONFIG_KEY_AUDIO_SINK,
  HP_CONFIG_KEY_AUDIO_VOLUME,
  HP_CONFIG_KEY_DEMO_ENABLED,
  HP_CONFIG_KEY_DEMO_SYSTOLIC,
  HP_CONFIG_KEY_DEMO_DIASTOLIC,
  HP_CONFIG_KEY_DEMO_PULSE,
  HP_CONFIG_KEY_DEMO_MEASURE_MS,
  HP_CONFIG_KEY_DEMO_WEIGHT_KG,
  HP_CONFIG_KEY_DEMO_GLUCOSE_MG_DL,
  HP_CONFIG_KEY_DEMO_FAULT,
  HP_CONFIG_KEY_PRINTER_PRINTER,
  HP_CONFIG_KEY_PRINTER_PAPER,
  HP_CONFIG_KEY_PRINTER_COPIES_PER_VISIT,
  HP_CONFIG_KEY_EXPORT_PATIENT_IDENTIFIER_SYSTEM,
  HP_CONFIG_N_KEYS
} HpConfigKeyId;

typedef struct _HpConfigKey HpConfigKey;

struct _HpConfigKey {
  const char *group;
  const char *name;
  HpConfigType type;
  /* UINT: the range; URI: the longest value. */
  guint min;
  guint max;
  /* CHOICE: the values taken; URI: the schemes taken. */
  const char * const *choices;
  /* The default as the file writes it; %NULL for LANGUAGES (all of them). */
  const char *fallback;
  /* One sentence or a few for the sample file; the rule the type or the
   * check enforces is added after it. */
  const char *doc;
  /* TEXT with a check: what the value must be ("a phone number of…"),
   * for the check's main error and the sample. */
  const char *form;
  /* URI: a URI the key would take, for its error and the sample. */
  const char *example;
  /* TEXT: the key's own rule, given the stripped value; it sets an error
   * naming the key when the value breaks it. */
  gboolean (*check) (const HpConfigKey *key,
                     const char        *value,
                     GError           **error);
  /* A rule between this key and others, checked once every key of a file
   * is read, on the values the file would leave in force. */
  gboolean (*relate) (const HpConfigKey   *key,
                      const HpConfigValue *values,
                      GError             **error);
};

extern const HpConfigKey hp_config_keys[HP_CONFIG_N_KEYS];

G_END_DECLS
