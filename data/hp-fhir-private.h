/* For the FHIR export's files only: its concepts and codings, the resources beside the Observations, the Observations a measurement adds, and the JSON text of each. */
#pragma once

#include <json-glib/json-glib.h>

#include "hp-fhir.h"

G_BEGIN_DECLS

typedef enum {
  CONCEPT_BLOOD_PRESSURE_PANEL,
  CONCEPT_SYSTOLIC,
  CONCEPT_DIASTOLIC,
  CONCEPT_MEAN_ARTERIAL,
  CONCEPT_HEART_RATE,
  CONCEPT_BODY_WEIGHT,
  CONCEPT_BODY_HEIGHT,
  CONCEPT_BODY_MASS_INDEX,
  CONCEPT_GLUCOSE_MASS,
  CONCEPT_GLUCOSE_MOLES,
  N_CONCEPTS
} Concept;

typedef struct {
  const char *loinc;
  const char *display;    /* LOINC's long common name */
  const char *text;       /* what a clinician reads in code.text */
  gboolean    laboratory; /* category laboratory, else vital-signs */
  const char *ucum;       /* the unit the value is written in; NULL for a panel */
  const char *unit;       /* that unit for people */
  guint32     panel_mdc;  /* the MDC code of a panel, implied by its parts' codes */
  const char *profile;    /* the R4 vital-signs profile the Observation meets, or NULL */
} ConceptInfo;

/* hp-fhir-codes.c: the export's vocabulary. */

/* Each concept's codes and unit, by Concept. */
extern const ConceptInfo hp_fhir_concepts[N_CONCEPTS];

/* The id of the resource named @name: the same for the same name in every
 * export. */
char     *hp_fhir_name_based_uuid        (const char   *name);
char     *hp_fhir_format_time            (GDateTime    *time);
/* One Coding; @display may be %NULL. */
void      hp_fhir_add_coding             (JsonBuilder  *builder,
                                          const char   *system,
                                          const char   *code,
                                          const char   *display);
void      hp_fhir_add_code               (JsonBuilder  *builder,
                                          Concept       concept,
                                          guint32       mdc_code);
void      hp_fhir_add_value_quantity     (JsonBuilder  *builder,
                                          Concept       concept,
                                          double        value,
                                          const char   *comparator,
                                          const char   *ucum,
                                          const char   *unit);

/* hp-fhir-resources.c: what the Observations refer to. Each gives the
 * resource's fullUrl in @full_url. */

JsonNode *hp_fhir_build_patient          (const char         *patient_code,
                                          const char         *system,
                                          char              **full_url);
JsonNode *hp_fhir_build_device           (const char         *device_id,
                                          HpMeasurementKind   kind,
                                          char              **full_url);
JsonNode *hp_fhir_build_glucose_specimen (HpVisit            *visit,
                                          HpMeasurement      *measurement,
                                          guint               position,
                                          GDateTime          *taken_at,
                                          const char         *subject_url,
                                          char              **full_url);

/* hp-fhir-observations.c: the Observations. */

/* One value on its way into an Observation: already in the concept's unit. */
typedef struct {
  Concept     concept;
  double      value;
  guint32     mdc_code;
  const char *comparator;     /* "<", ">" or NULL: see hp_fhir_add_value_quantity() */
  const char *ucum;           /* a unit other than the concept's, as the device sent it */
  const char *unit;
} Reading;

typedef struct {
  HpVisit    *visit;
  const char *subject_url;    /* the Patient's fullUrl; NULL for an anonymous visit */
  const char *device_id;
  GDateTime  *taken_at;       /* effectiveDateTime: the device's clock when it was right */
  GDateTime  *issued;         /* when the kiosk received it, or NULL */
  const char *id_name;        /* what the resource id is derived from */
  const char *interpretation; /* a v3-ObservationInterpretation code, or NULL */
  const char *const *derived_from; /* fullUrls, NULL-terminated, or NULL */
  const char *specimen_url;   /* the Specimen the value was measured in, or NULL */
  const char *device_url;     /* the Device that measured it, or NULL */
  GHashTable *devices;        /* device id → Device fullUrl, this bundle's so far */
  GHashTable *new_devices;    /* the same, for the Devices this visit adds */
} ObservationContext;

/* The entries a visit adds, built before any is written. */
typedef struct {
  GPtrArray *resources; /* JsonNode */
  GPtrArray *urls;      /* char *, fullUrl of each */
} EntryList;

void      hp_fhir_entry_list_init        (EntryList                *list);
void      hp_fhir_entry_list_clear       (EntryList                *list);
/* Takes @resource and @full_url. */
void      hp_fhir_entry_list_add         (EntryList                *list,
                                          JsonNode                 *resource,
                                          char                     *full_url);
/* One Observation of @concept: a panel of @components, or one @value. */
JsonNode *hp_fhir_build_observation      (const ObservationContext *context,
                                          Concept                   concept,
                                          guint32                   mdc_code,
                                          const Reading            *components,
                                          guint                     n_components,
                                          const Reading            *value,
                                          char                    **full_url);
/* Adds to @list the Observations (and Specimen) of the measurement at
 * @position of @base's visit. */
gboolean  hp_fhir_add_measurement        (EntryList                *list,
                                          const ObservationContext *base,
                                          HpMeasurement            *measurement,
                                          guint                     position,
                                          GError                  **error);

/* hp-fhir-json.c: the text of a resource, as a FHIR reader takes it. */

void      hp_fhir_append_string          (GString      *out,
                                          const char   *text);
void      hp_fhir_append_node            (GString      *out,
                                          JsonNode     *node);

G_END_DECLS
