/* The FHIR export's vocabulary: its error domain, name-based resource ids, times, codings, and the LOINC concepts with their IEEE 11073 codes and UCUM units. */
#include "hp-fhir.h"
#include "hp-fhir-private.h"

#include <string.h>

G_DEFINE_QUARK (hp-fhir-error-quark, hp_fhir_error)

/* Resource ids are name-based UUIDs (RFC 4122 version 5) in a namespace of
 * our own: exporting the same visit twice gives the same ids, so a receiving
 * system can tell a repeated export from new data. */
static const guint8 id_namespace[16] = {
  0x5b, 0x0e, 0x7c, 0x41, 0x93, 0x2d, 0x4f, 0x6a,
  0xb8, 0x15, 0x0c, 0x9e, 0x37, 0xd2, 0x64, 0xa1,
};

#define PROFILE_BASE "http://hl7.org/fhir/StructureDefinition/"

const ConceptInfo hp_fhir_concepts[N_CONCEPTS] = {
  [CONCEPT_BLOOD_PRESSURE_PANEL] = { "85354-9", "Blood pressure panel with all children optional",
                                     "Blood pressure", FALSE, NULL, NULL, 150020, PROFILE_BASE "bp" },
  [CONCEPT_SYSTOLIC] = { "8480-6", "Systolic blood pressure", "Systolic blood pressure",
                         FALSE, "mm[Hg]", "mmHg", 0 },
  [CONCEPT_DIASTOLIC] = { "8462-4", "Diastolic blood pressure", "Diastolic blood pressure",
                          FALSE, "mm[Hg]", "mmHg", 0 },
  [CONCEPT_MEAN_ARTERIAL] = { "8478-0", "Mean blood pressure", "Mean arterial pressure",
                              FALSE, "mm[Hg]", "mmHg", 0 },
  [CONCEPT_HEART_RATE] = { "8867-4", "Heart rate", "Pulse rate", FALSE, "/min", "beats/minute", 0,
                           PROFILE_BASE "heartrate" },
  [CONCEPT_BODY_WEIGHT] = { "29463-7", "Body weight", "Body weight", FALSE, "kg", "kg", 0,
                            PROFILE_BASE "bodyweight" },
  [CONCEPT_BODY_HEIGHT] = { "8302-2", "Body height", "Body height", FALSE, "cm", "cm", 0,
                            PROFILE_BASE "bodyheight" },
  [CONCEPT_BODY_MASS_INDEX] = { "39156-5", "Body mass index (BMI) [Ratio]", "Body mass index",
                                FALSE, "kg/m2", "kg/m2", 0, PROFILE_BASE "bmi" },
  [CONCEPT_GLUCOSE_MASS] = { "41653-7", "Glucose [Mass/volume] in Capillary blood by Glucometer",
                             "Blood glucose (capillary)", TRUE, "mg/dL", "mg/dL", 0 },
  [CONCEPT_GLUCOSE_MOLES] = { "14743-9", "Glucose [Moles/volume] in Capillary blood by Glucometer",
                              "Blood glucose (capillary)", TRUE, "mmol/L", "mmol/L", 0 },
};

/* Reference ids of the IEEE 11073-10101 codes the kiosk's devices send. */
static const struct {
  guint32     code;
  const char *reference_id;
} mdc_names[] = {
  { 150020, "MDC_PRESS_BLD_NONINV" },
  { 150021, "MDC_PRESS_BLD_NONINV_SYS" },
  { 150022, "MDC_PRESS_BLD_NONINV_DIA" },
  { 150023, "MDC_PRESS_BLD_NONINV_MEAN" },
  { 149546, "MDC_PULS_RATE_NON_INV" },
  { 188736, "MDC_MASS_BODY_ACTUAL" },
  { 188740, "MDC_LEN_BODY_ACTUAL" },
  { 188752, "MDC_RATIO_MASS_BODY_LEN_SQ" },
  { 160184, "MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD" },
};

char *
hp_fhir_name_based_uuid (const char *name)
{
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize digest_len = sizeof digest;

  g_checksum_update (sha1, id_namespace, sizeof id_namespace);
  g_checksum_update (sha1, (const guchar *) name, (gssize) strlen (name));
  g_checksum_get_digest (sha1, digest, &digest_len);
  digest[6] = (digest[6] & 0x0f) | 0x50;
  digest[8] = (digest[8] & 0x3f) | 0x80;
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          digest[0], digest[1], digest[2], digest[3], digest[4], digest[5],
                          digest[6], digest[7], digest[8], digest[9], digest[10], digest[11],
                          digest[12], digest[13], digest[14], digest[15]);
}

static const char *
mdc_reference_id (guint32 code)
{
  for (gsize i = 0; i < G_N_ELEMENTS (mdc_names); i++)
    if (mdc_names[i].code == code)
      return mdc_names[i].reference_id;
  return NULL;
}

char *
hp_fhir_format_time (GDateTime *time)
{
  return g_date_time_format_iso8601 (time);
}

void
hp_fhir_add_coding (JsonBuilder *builder,
                    const char  *system,
                    const char  *code,
                    const char  *display)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "system");
  json_builder_add_string_value (builder, system);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  if (display != NULL)
    {
      json_builder_set_member_name (builder, "display");
      json_builder_add_string_value (builder, display);
    }
  json_builder_end_object (builder);
}

/* "code": LOINC first, then the device's own IEEE 11073 code where it gave one. */
void
hp_fhir_add_code (JsonBuilder *builder,
                  Concept      concept,
                  guint32      mdc_code)
{
  const ConceptInfo *info = &hp_fhir_concepts[concept];

  json_builder_set_member_name (builder, "code");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "coding");
  json_builder_begin_array (builder);
  hp_fhir_add_coding (builder, HP_FHIR_LOINC_SYSTEM, info->loinc, info->display);
  if (mdc_code != 0)
    {
      char code_text[16];

      g_snprintf (code_text, sizeof code_text, "%" G_GUINT32_FORMAT, mdc_code);
      hp_fhir_add_coding (builder, HP_FHIR_MDC_SYSTEM, code_text, mdc_reference_id (mdc_code));
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, info->text);
  json_builder_end_object (builder);
}

/* @comparator: "<" or ">" when the true value lies beyond @value (a
 * meter's LO or HI), else %NULL. */
void
hp_fhir_add_value_quantity (JsonBuilder *builder,
                            Concept      concept,
                            double       value,
                            const char  *comparator,
                            const char  *ucum,
                            const char  *unit)
{
  const ConceptInfo *info = &hp_fhir_concepts[concept];

  json_builder_set_member_name (builder, "valueQuantity");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "value");
  json_builder_add_double_value (builder, value);
  if (comparator != NULL)
    {
      json_builder_set_member_name (builder, "comparator");
      json_builder_add_string_value (builder, comparator);
    }
  json_builder_set_member_name (builder, "unit");
  json_builder_add_string_value (builder, unit != NULL ? unit : info->unit);
  json_builder_set_member_name (builder, "system");
  json_builder_add_string_value (builder, HP_FHIR_UCUM_SYSTEM);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, ucum != NULL ? ucum : info->ucum);
  json_builder_end_object (builder);
}
