/* FHIR R4 export of committed visits: a collection Bundle of Patients and Observations, written entry by entry. */
#pragma once

#include <gio/gio.h>

#include "hp-store.h"
#include "hp-visit.h"

G_BEGIN_DECLS

#define HP_FHIR_ERROR (hp_fhir_error_quark ())

typedef enum {
  HP_FHIR_ERROR_UNIT,    /* a value's unit has no code the export can name */
  HP_FHIR_ERROR_INVALID, /* a value JSON cannot carry, or a call out of order */
  HP_FHIR_ERROR_WRITE,   /* the output could not be written or replaced */
  HP_FHIR_ERROR_EXISTS,  /* the output path exists, and replacing it was not asked for */
} HpFhirError;

GQuark hp_fhir_error_quark (void);

/* Identifier.system of the personal code printed on a patient's summary. */
#define HP_FHIR_PERSONAL_CODE_SYSTEM "urn:healthpost:personal-code"
/* Observation.subject.display of a visit made without a personal code. */
#define HP_FHIR_ANONYMOUS_SUBJECT "anonymous kiosk visitor"

#define HP_FHIR_LOINC_SYSTEM "http://loinc.org"
#define HP_FHIR_UCUM_SYSTEM "http://unitsofmeasure.org"
#define HP_FHIR_MDC_SYSTEM "urn:iso:std:iso:11073:10101"
#define HP_FHIR_CATEGORY_SYSTEM "http://terminology.hl7.org/CodeSystem/observation-category"
#define HP_FHIR_SNOMED_SYSTEM "http://snomed.info/sct"
#define HP_FHIR_IDENTIFIER_TYPE_SYSTEM "http://terminology.hl7.org/CodeSystem/v2-0203"
/* The IEEE EUI-64 system id of a personal health device (HL7 PHD IG). */
#define HP_FHIR_EUI64_SYSTEM "urn:oid:1.2.840.10004.1.1.1.0.0.1.0.0.1.2680"
#define HP_FHIR_FASTING_SYSTEM "http://terminology.hl7.org/CodeSystem/v2-0916"
#define HP_FHIR_INTERPRETATION_SYSTEM "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"

/* Body measures no device of the kiosk takes yet; staff may enter them, and
 * the export already knows how to say them. */
typedef enum {
  HP_FHIR_BODY_HEIGHT,     /* in cm, m or [in_i]; exported in cm */
  HP_FHIR_BODY_MASS_INDEX, /* in kg/m2 */
} HpFhirBodyMeasure;

typedef struct _HpFhirWriter HpFhirWriter;

/* A Bundle of type "collection" written to @stream as entries are added;
 * only the entry being written is held in memory. @timestamp becomes
 * Bundle.timestamp (now when %NULL). */
HpFhirWriter *hp_fhir_writer_new              (GOutputStream     *stream,
                                               GDateTime         *timestamp);
/* The system personal codes are written under in Patient.identifier
 * (HP_FHIR_PERSONAL_CODE_SYSTEM until set). */
void          hp_fhir_writer_set_identifier_system (HpFhirWriter *self,
                                                    const char   *system);
/* Writes the visit's Observations, preceded by its Patient the first time
 * its personal code appears in this bundle. On an error nothing of the
 * visit has been written unless the error is HP_FHIR_ERROR_WRITE. */
gboolean      hp_fhir_writer_add_visit        (HpFhirWriter      *self,
                                               HpVisit           *visit,
                                               GCancellable      *cancellable,
                                               GError           **error);
/* An Observation of @measure taken during @visit at @taken_at. */
gboolean      hp_fhir_writer_add_body_measure (HpFhirWriter      *self,
                                               HpVisit           *visit,
                                               HpFhirBodyMeasure  measure,
                                               double             value,
                                               const char        *unit,
                                               GDateTime         *taken_at,
                                               GCancellable      *cancellable,
                                               GError           **error);
/* Closes the Bundle; the stream itself stays open. */
gboolean      hp_fhir_writer_finish           (HpFhirWriter      *self,
                                               GCancellable      *cancellable,
                                               GError           **error);
/* Entries written so far. */
guint         hp_fhir_writer_get_n_entries    (HpFhirWriter      *self);
void          hp_fhir_writer_free             (HpFhirWriter      *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HpFhirWriter, hp_fhir_writer_free)

/* Which committed visits an export holds. */
/* Which visits an export holds. Readings leave the kiosk for a patient's
 * care: a visit without a personal code is anyone's, and is left out
 * unless staff ask for it. */
typedef struct {
  GDateTime  *since;             /* visits started at or after it; %NULL for all */
  const char *patient_code;      /* only this patient's visits; %NULL for all */
  gboolean    include_anonymous; /* also visits without a personal code */
  /* Patient.identifier.system for personal codes: the receiving clinic's
   * https URI; %NULL for HP_FHIR_PERSONAL_CODE_SYSTEM. */
  const char *identifier_system;
} HpFhirSelection;

/* Writes the selected visits of @store as one Bundle to @stream, oldest
 * first. @n_visits (may be %NULL) receives how many were written. */
gboolean      hp_fhir_export_store            (HpStore               *store,
                                               const HpFhirSelection *selection,
                                               GOutputStream         *stream,
                                               guint                 *n_visits,
                                               GCancellable          *cancellable,
                                               GError               **error);
typedef enum {
  HP_FHIR_EXPORT_NONE = 0,
  /* An existing file at the path is replaced; without it, refused. */
  HP_FHIR_EXPORT_REPLACE = 1 << 0,
} HpFhirExportFlags;

/* The same into the file @path, created with mode 0600: written to a new
 * file beside it (O_EXCL, never following a link), synced, then renamed to
 * @path, so @path is either the whole export or what it was before. An
 * existing @path is refused with HP_FHIR_ERROR_EXISTS unless @flags has
 * HP_FHIR_EXPORT_REPLACE. */
gboolean      hp_fhir_export_store_to_file    (HpStore               *store,
                                               const HpFhirSelection *selection,
                                               const char            *path,
                                               HpFhirExportFlags      flags,
                                               guint                 *n_visits,
                                               GCancellable          *cancellable,
                                               GError               **error);

G_END_DECLS
