/* FHIR R4 export of committed visits: a collection Bundle of Patients and Observations, written entry by entry. */
#define _GNU_SOURCE
#include "hp-fhir.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <gio/gunixoutputstream.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

G_DEFINE_QUARK (hp-fhir-error-quark, hp_fhir_error)

/* Resource ids are name-based UUIDs (RFC 4122 version 5) in a namespace of
 * our own: exporting the same visit twice gives the same ids, so a receiving
 * system can tell a repeated export from new data. */
static const guint8 id_namespace[16] = {
  0x5b, 0x0e, 0x7c, 0x41, 0x93, 0x2d, 0x4f, 0x6a,
  0xb8, 0x15, 0x0c, 0x9e, 0x37, 0xd2, 0x64, 0xa1,
};

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

#define PROFILE_BASE "http://hl7.org/fhir/StructureDefinition/"

static const ConceptInfo concepts[N_CONCEPTS] = {
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

struct _HpFhirWriter
{
  GOutputStream *stream;
  GDateTime *timestamp;
  /* Personal code → Patient fullUrl, for the patients already written. */
  GHashTable *patients;
  /* Device id → Device fullUrl, for the devices already written. */
  GHashTable *devices;
  char *identifier_system;
  GString *buffer;
  guint n_entries;
  gboolean started;
  gboolean finished;
  gboolean failed;
};

/* ---- JSON text ---------------------------------------------------------- */

/* json-glib prints every double with 17 digits (5.4 becomes
 * 5.4000000000000004), which a FHIR decimal would read as a claim of that
 * precision; and the shortest %g text writes 190 as 1.9e+02, 30 as 3e+01.
 * A FHIR decimal's text is its precision: the fewest decimals, in plain
 * notation, that read back as the same double are written ("190", "5.4"). */
static void
append_number (GString *out,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  for (int decimals = 0; decimals <= 17; decimals++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%df", decimals);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if (g_ascii_strtod (buffer, NULL) == value)
        {
          g_string_append (out, buffer);
          return;
        }
    }
  /* Beyond what plain decimals can say in this buffer: every digit. */
  g_ascii_formatd (buffer, sizeof buffer, "%.17g", value);
  g_string_append (out, buffer);
}

static void
append_string (GString    *out,
               const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);

  g_string_append_c (out, '"');
  for (const char *p = valid; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static void append_node (GString  *out,
                         JsonNode *node);

static void
append_object (GString    *out,
               JsonObject *object)
{
  g_autoptr(GList) members = json_object_get_members (object);
  gboolean first = TRUE;

  g_string_append_c (out, '{');
  for (GList *l = members; l != NULL; l = l->next)
    {
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      append_string (out, l->data);
      g_string_append_c (out, ':');
      append_node (out, json_object_get_member (object, l->data));
    }
  g_string_append_c (out, '}');
}

static void
append_node (GString  *out,
             JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      append_object (out, json_node_get_object (node));
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            append_node (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          append_string (out, json_node_get_string (node));
          break;
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          append_number (out, json_node_get_double (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        default:
          g_return_if_reached ();
        }
      break;
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;
    default:
      g_return_if_reached ();
    }
}

/* ---- identifiers and codes ---------------------------------------------- */

static char *
name_based_uuid (const char *name)
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

static char *
format_time (GDateTime *time)
{
  return g_date_time_format_iso8601 (time);
}

static void
add_coding (JsonBuilder *builder,
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
static void
add_code (JsonBuilder *builder,
          Concept      concept,
          guint32      mdc_code)
{
  const ConceptInfo *info = &concepts[concept];

  json_builder_set_member_name (builder, "code");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "coding");
  json_builder_begin_array (builder);
  add_coding (builder, HP_FHIR_LOINC_SYSTEM, info->loinc, info->display);
  if (mdc_code != 0)
    {
      char code_text[16];

      g_snprintf (code_text, sizeof code_text, "%" G_GUINT32_FORMAT, mdc_code);
      add_coding (builder, HP_FHIR_MDC_SYSTEM, code_text, mdc_reference_id (mdc_code));
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, info->text);
  json_builder_end_object (builder);
}

/* @comparator: "<" or ">" when the true value lies beyond @value (a
 * meter's LO or HI), else %NULL. */
static void
add_value_quantity (JsonBuilder *builder,
                    Concept      concept,
                    double       value,
                    const char  *comparator,
                    const char  *ucum,
                    const char  *unit)
{
  const ConceptInfo *info = &concepts[concept];

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

/* ---- observations ------------------------------------------------------- */

/* One value on its way into an Observation: already in the concept's unit. */
typedef struct {
  Concept     concept;
  double      value;
  guint32     mdc_code;
  const char *comparator;     /* "<", ">" or NULL: see add_value_quantity() */
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

/* The kiosk's own category as a v3-ObservationInterpretation code: low,
 * normal or high by the category, critical when the kiosk asked for help
 * now. */
static const char *
interpretation_code (const HpInterpretation *meaning)
{
  gboolean critical = meaning->urgency >= HP_URGENCY_TELL_STAFF_NOW;

  switch (meaning->category)
    {
    case HP_CATEGORY_BP_LOW:
    case HP_CATEGORY_PULSE_LOW:
    case HP_CATEGORY_BMI_UNDERWEIGHT:
    case HP_CATEGORY_GLUCOSE_LOW:
      return critical ? "LL" : "L";
    case HP_CATEGORY_BP_NORMAL:
    case HP_CATEGORY_PULSE_NORMAL:
    case HP_CATEGORY_BMI_HEALTHY:
    case HP_CATEGORY_GLUCOSE_NORMAL:
      return "N";
    case HP_CATEGORY_BP_ELEVATED:
    case HP_CATEGORY_BP_STAGE_1:
    case HP_CATEGORY_BP_STAGE_2:
    case HP_CATEGORY_BP_CRISIS:
    case HP_CATEGORY_PULSE_HIGH:
    case HP_CATEGORY_BMI_OVERWEIGHT:
    case HP_CATEGORY_BMI_OBESITY:
    case HP_CATEGORY_GLUCOSE_PREDIABETES:
    case HP_CATEGORY_GLUCOSE_DIABETES:
    case HP_CATEGORY_GLUCOSE_VERY_HIGH:
    default:
      return critical ? "HH" : "H";
    }
}

static const char *
interpretation_display (const char *code)
{
  static const struct { const char *code, *display; } names[] = {
    { "LL", "Critical low" }, { "L", "Low" }, { "N", "Normal" }, { "H", "High" }, { "HH", "Critical high" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (names[i].code, code))
      return names[i].display;
  return NULL;
}

static JsonNode *
build_observation (const ObservationContext *context,
                   Concept                   concept,
                   guint32                   mdc_code,
                   const Reading            *components,
                   guint                     n_components,
                   const Reading            *value,
                   char                    **full_url)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *uuid = name_based_uuid (context->id_name);
  g_autofree char *effective = format_time (context->taken_at);
  const ConceptInfo *info = &concepts[concept];

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "resourceType");
  json_builder_add_string_value (builder, "Observation");
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, uuid);
  if (info->profile != NULL)
    {
      json_builder_set_member_name (builder, "meta");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "profile");
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, info->profile);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "final");

  json_builder_set_member_name (builder, "category");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "coding");
  json_builder_begin_array (builder);
  if (info->laboratory)
    add_coding (builder, HP_FHIR_CATEGORY_SYSTEM, "laboratory", "Laboratory");
  else
    add_coding (builder, HP_FHIR_CATEGORY_SYSTEM, "vital-signs", "Vital Signs");
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);

  add_code (builder, concept, mdc_code);

  /* R4 lets subject be absent, but the vital-signs profile requires one.
   * A display-only Reference says who without inventing a Patient the
   * kiosk never knew. */
  json_builder_set_member_name (builder, "subject");
  json_builder_begin_object (builder);
  if (context->subject_url != NULL)
    {
      json_builder_set_member_name (builder, "reference");
      json_builder_add_string_value (builder, context->subject_url);
    }
  else
    {
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "Patient");
      json_builder_set_member_name (builder, "display");
      json_builder_add_string_value (builder, HP_FHIR_ANONYMOUS_SUBJECT);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "effectiveDateTime");
  json_builder_add_string_value (builder, effective);
  if (context->issued != NULL)
    {
      g_autofree char *issued = format_time (context->issued);

      json_builder_set_member_name (builder, "issued");
      json_builder_add_string_value (builder, issued);
    }

  if (context->device_url != NULL)
    {
      json_builder_set_member_name (builder, "device");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "reference");
      json_builder_add_string_value (builder, context->device_url);
      json_builder_end_object (builder);
    }

  if (context->specimen_url != NULL)
    {
      json_builder_set_member_name (builder, "specimen");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "reference");
      json_builder_add_string_value (builder, context->specimen_url);
      json_builder_end_object (builder);
    }
  if (value != NULL)
    add_value_quantity (builder, value->concept, value->value, value->comparator, value->ucum, value->unit);
  if (context->interpretation != NULL)
    {
      json_builder_set_member_name (builder, "interpretation");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "coding");
      json_builder_begin_array (builder);
      add_coding (builder, HP_FHIR_INTERPRETATION_SYSTEM, context->interpretation,
                  interpretation_display (context->interpretation));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      json_builder_end_array (builder);
    }
  if (context->derived_from != NULL)
    {
      json_builder_set_member_name (builder, "derivedFrom");
      json_builder_begin_array (builder);
      for (guint i = 0; context->derived_from[i] != NULL; i++)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "reference");
          json_builder_add_string_value (builder, context->derived_from[i]);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  if (n_components > 0)
    {
      json_builder_set_member_name (builder, "component");
      json_builder_begin_array (builder);
      for (guint i = 0; i < n_components; i++)
        {
          json_builder_begin_object (builder);
          add_code (builder, components[i].concept, components[i].mdc_code);
          add_value_quantity (builder, components[i].concept, components[i].value, components[i].comparator,
                              components[i].ucum, components[i].unit);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  *full_url = g_strconcat ("urn:uuid:", uuid, NULL);
  return json_builder_get_root (builder);
}

/* The entries a visit adds, built before any is written. */
typedef struct {
  GPtrArray *resources; /* JsonNode */
  GPtrArray *urls;      /* char *, fullUrl of each */
} EntryList;

static void
entry_list_init (EntryList *list)
{
  list->resources = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  list->urls = g_ptr_array_new_with_free_func (g_free);
}

static void
entry_list_clear (EntryList *list)
{
  g_clear_pointer (&list->resources, g_ptr_array_unref);
  g_clear_pointer (&list->urls, g_ptr_array_unref);
}

static void
entry_list_add (EntryList *list,
                JsonNode  *resource,
                char      *full_url)
{
  g_ptr_array_add (list->resources, resource);
  g_ptr_array_add (list->urls, full_url);
}

/* The fullUrl of the Observation of @concept for the measurement at
 * @position of @visit: the same every time, so others can refer to it. */
static char *
observation_url (HpVisit *visit,
                 guint    position,
                 Concept  concept)
{
  g_autofree char *id_name = g_strdup_printf ("observation/%s/%u/%s", hp_visit_get_id (visit),
                                              position, concepts[concept].loinc);
  g_autofree char *uuid = name_based_uuid (id_name);

  return g_strconcat ("urn:uuid:", uuid, NULL);
}

static void
add_observation (EntryList                *list,
                 const ObservationContext *base,
                 guint                     position,
                 Concept                   concept,
                 guint32                   mdc_code,
                 const Reading            *components,
                 guint                     n_components,
                 const Reading            *value,
                 const HpInterpretation   *meaning)
{
  ObservationContext context = *base;
  g_autofree char *id_name = NULL;
  char *full_url = NULL;
  JsonNode *resource;

  id_name = g_strdup_printf ("observation/%s/%u/%s", hp_visit_get_id (base->visit),
                             position, concepts[concept].loinc);
  context.id_name = id_name;
  context.interpretation = meaning != NULL ? interpretation_code (meaning) : NULL;
  resource = build_observation (&context, concept, mdc_code, components, n_components,
                                value, &full_url);
  entry_list_add (list, resource, full_url);
}

/* The capillary blood a glucose reading was measured in, with what the
 * patient said about eating before it (HL7 v2 table 0916: F, NF, or NG
 * when the kiosk did not ask). Its fullUrl is returned in @full_url. */
static JsonNode *
build_glucose_specimen (HpVisit        *visit,
                        HpMeasurement  *measurement,
                        guint           position,
                        GDateTime      *taken_at,
                        const char     *subject_url,
                        char          **full_url)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *id_name = g_strdup_printf ("specimen/%s/%u", hp_visit_get_id (visit), position);
  g_autofree char *uuid = name_based_uuid (id_name);
  g_autofree char *collected = format_time (taken_at);
  const char *code = "NG", *display = "Not Given";

  switch (hp_visit_get_measurement_fasting (visit, measurement))
    {
    case HP_FASTING_YES:
      code = "F";
      display = "Fasting";
      break;
    case HP_FASTING_NO:
      code = "NF";
      display = "Not Fasting";
      break;
    case HP_FASTING_UNKNOWN:
    default:
      break;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "resourceType");
  json_builder_add_string_value (builder, "Specimen");
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, uuid);
  json_builder_set_member_name (builder, "type");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "coding");
  json_builder_begin_array (builder);
  add_coding (builder, HP_FHIR_SNOMED_SYSTEM, "122554006", "Capillary blood specimen");
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  if (subject_url != NULL)
    {
      json_builder_set_member_name (builder, "subject");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "reference");
      json_builder_add_string_value (builder, subject_url);
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "collection");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "collectedDateTime");
  json_builder_add_string_value (builder, collected);
  json_builder_set_member_name (builder, "fastingStatusCodeableConcept");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "coding");
  json_builder_begin_array (builder);
  add_coding (builder, HP_FHIR_FASTING_SYSTEM, code, display);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  *full_url = g_strconcat ("urn:uuid:", uuid, NULL);
  return json_builder_get_root (builder);
}

static gboolean
check_finite (HpVisit     *visit,
              guint        position,
              const char  *what,
              double       value,
              GError     **error)
{
  if (isfinite (value))
    return TRUE;
  /* The value itself stays out of the message. */
  g_set_error (error, HP_FHIR_ERROR, HP_FHIR_ERROR_INVALID,
               "Visit %s, measurement %u: the %s value is not a number",
               hp_visit_get_id (visit), position + 1, what);
  return FALSE;
}

/* Reads @quantity in its canonical UCUM unit. FALSE without an error when
 * the measurement lacks it. A unit the kiosk cannot convert is written as
 * sent would lose its meaning in a UCUM-coded Quantity, so it is refused. */
static gboolean
read_canonical (HpVisit        *visit,
                HpMeasurement  *measurement,
                guint           position,
                HpQuantity      quantity,
                Concept         concept,
                Reading        *reading,
                GError        **error)
{
  const char *unit = NULL;
  double value = 0.0;

  if (!hp_measurement_get_value (measurement, quantity, &value, &unit))
    return FALSE;
  if (!hp_measurement_get_normalized_value (measurement, quantity, &value))
    {
      g_autofree char *valid_unit = g_utf8_make_valid (unit, -1);

      g_set_error (error, HP_FHIR_ERROR, HP_FHIR_ERROR_UNIT,
                   "Visit %s, measurement %u: the unit “%s” of its %s value has no UCUM code "
                   "the export knows", hp_visit_get_id (visit), position + 1, valid_unit,
                   hp_quantity_to_string (quantity));
      return FALSE;
    }
  if (!check_finite (visit, position, hp_quantity_to_string (quantity), value, error))
    return FALSE;
  *reading = (Reading) { concept, value, hp_measurement_get_mdc_code (measurement, quantity), NULL, NULL, NULL };
  /* Pounds stay pounds: converted, 160 lb would claim a precision of
   * 72.57477920000001 kg the scale never had. */
  if (quantity == HP_QUANTITY_BODY_WEIGHT && g_strcmp0 (unit, "[lb_av]") == 0)
    {
      hp_measurement_get_value (measurement, quantity, &reading->value, NULL);
      reading->ucum = "[lb_av]";
      reading->unit = "lb";
    }
  return TRUE;
}

/* Glucose keeps the unit the meter showed: the LOINC code differs between
 * mass and molar concentration, and converting would change the number the
 * patient saw. */
static gboolean
read_glucose (HpVisit        *visit,
              HpMeasurement  *measurement,
              guint           position,
              Reading        *reading,
              GError        **error)
{
  const char *unit = NULL;
  double value = 0.0;

  if (!hp_measurement_get_value (measurement, HP_QUANTITY_BLOOD_GLUCOSE, &value, &unit))
    return FALSE;
  if (g_strcmp0 (unit, "mg/dL") == 0)
    reading->concept = CONCEPT_GLUCOSE_MASS;
  else if (g_strcmp0 (unit, "mmol/L") == 0)
    reading->concept = CONCEPT_GLUCOSE_MOLES;
  else
    {
      g_autofree char *valid_unit = g_utf8_make_valid (unit, -1);

      g_set_error (error, HP_FHIR_ERROR, HP_FHIR_ERROR_UNIT,
                   "Visit %s, measurement %u: the blood-glucose unit “%s” is neither "
                   "mg/dL nor mmol/L", hp_visit_get_id (visit), position + 1, valid_unit);
      return FALSE;
    }
  if (!check_finite (visit, position, "blood-glucose", value, error))
    return FALSE;
  reading->value = value;
  reading->mdc_code = hp_measurement_get_mdc_code (measurement, HP_QUANTITY_BLOOD_GLUCOSE);
  reading->comparator = NULL;
  reading->ucum = NULL;
  reading->unit = NULL;
  /* A meter's HI or LO: the value is its limit, the true one beyond it
   * (the interpretation, care now, makes both critical). */
  if (hp_measurement_get_flags (measurement) & HP_MEASUREMENT_FLAG_ABOVE_RANGE)
    reading->comparator = ">";
  else if (hp_measurement_get_flags (measurement) & HP_MEASUREMENT_FLAG_BELOW_RANGE)
    reading->comparator = "<";
  return TRUE;
}

/* Every quantity a measurement carries becomes part of an Observation,
 * whatever the measurement's kind, so nothing stored is left out. */
static gboolean
add_measurement (EntryList                *list,
                 const ObservationContext *base,
                 HpMeasurement            *measurement,
                 guint                     position,
                 GError                  **error)
{
  static const struct {
    HpQuantity quantity;
    Concept    concept;
  } pressure_parts[] = {
    { HP_QUANTITY_SYSTOLIC, CONCEPT_SYSTOLIC },
    { HP_QUANTITY_DIASTOLIC, CONCEPT_DIASTOLIC },
    { HP_QUANTITY_MEAN_ARTERIAL, CONCEPT_MEAN_ARTERIAL },
  };
  ObservationContext context = *base;
  Reading components[G_N_ELEMENTS (pressure_parts)];
  guint n_components = 0;
  gboolean any_part_coded = FALSE;
  Reading reading;
  GError *local_error = NULL;
  HpInterpretation meaning = { 0 };
  gboolean interpreted;

  context.device_id = hp_measurement_get_device_id (measurement);
  context.device_url = NULL;
  if (context.device_id != NULL)
    {
      context.device_url = g_hash_table_lookup (context.new_devices, context.device_id);
      if (context.device_url == NULL)
        context.device_url = g_hash_table_lookup (context.devices, context.device_id);
    }
  /* When it was measured is the device's clock, when that clock was
   * right; when the kiosk got it is "issued". */
  context.issued = hp_measurement_get_kiosk_time (measurement);
  context.taken_at = context.issued;
  if (hp_measurement_get_device_time (measurement) != NULL &&
      !(hp_measurement_get_flags (measurement) & HP_MEASUREMENT_FLAG_DEVICE_CLOCK_INVALID))
    context.taken_at = hp_measurement_get_device_time (measurement);
  interpreted = hp_visit_interpret (base->visit, measurement, NULL, &meaning);

  for (gsize i = 0; i < G_N_ELEMENTS (pressure_parts); i++)
    {
      if (read_canonical (base->visit, measurement, position, pressure_parts[i].quantity,
                          pressure_parts[i].concept, &components[n_components], &local_error))
        {
          any_part_coded |= components[n_components].mdc_code != 0;
          n_components++;
        }
      else if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
    }
  if (n_components > 0)
    add_observation (list, &context, position, CONCEPT_BLOOD_PRESSURE_PANEL,
                     any_part_coded ? concepts[CONCEPT_BLOOD_PRESSURE_PANEL].panel_mdc : 0,
                     components, n_components, NULL,
                     interpreted && hp_measurement_get_kind (measurement) == HP_MEASUREMENT_KIND_BLOOD_PRESSURE
                     ? &meaning : NULL);

  if (read_canonical (base->visit, measurement, position, HP_QUANTITY_PULSE_RATE,
                      CONCEPT_HEART_RATE, &reading, &local_error))
    {
      HpInterpretation pulse = { 0 };

      add_observation (list, &context, position, reading.concept, reading.mdc_code,
                       NULL, 0, &reading,
                       hp_visit_interpret_pulse (base->visit, measurement, &pulse) ? &pulse : NULL);
    }
  else if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  if (read_canonical (base->visit, measurement, position, HP_QUANTITY_BODY_WEIGHT,
                      CONCEPT_BODY_WEIGHT, &reading, &local_error))
    {
      double bmi = 0;

      add_observation (list, &context, position, reading.concept, reading.mdc_code,
                       NULL, 0, &reading, NULL);
      /* The height typed for it and the body-mass index it gave, the
       * index derived from both. */
      if (interpreted && hp_measurement_get_kind (measurement) == HP_MEASUREMENT_KIND_BODY_WEIGHT &&
          hp_visit_interpret (base->visit, measurement, &bmi, &meaning))
        {
          g_autofree char *weight_url = observation_url (base->visit, position, CONCEPT_BODY_WEIGHT);
          g_autofree char *height_url = observation_url (base->visit, position, CONCEPT_BODY_HEIGHT);
          const char *sources[] = { weight_url, height_url, NULL };
          ObservationContext derived = context;
          Reading height = { CONCEPT_BODY_HEIGHT, hp_visit_get_height_cm (base->visit), 0, NULL, NULL, NULL };
          Reading index = { CONCEPT_BODY_MASS_INDEX, hp_interpret_shown_value (HP_SCALE_BMI, bmi), 0, NULL, NULL, NULL };

          derived.device_id = NULL;
          add_observation (list, &derived, position, CONCEPT_BODY_HEIGHT, 0, NULL, 0, &height, NULL);
          derived.derived_from = sources;
          add_observation (list, &derived, position, CONCEPT_BODY_MASS_INDEX, 0, NULL, 0, &index, &meaning);
        }
    }
  else if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  if (read_glucose (base->visit, measurement, position, &reading, &local_error))
    {
      ObservationContext sampled = context;
      char *specimen_url = NULL;
      JsonNode *specimen = build_glucose_specimen (base->visit, measurement, position, context.taken_at,
                                                   context.subject_url, &specimen_url);

      /* The specimen first, so the Observation refers back in the bundle. */
      entry_list_add (list, specimen, specimen_url);
      sampled.specimen_url = specimen_url;
      add_observation (list, &sampled, position, reading.concept, reading.mdc_code,
                       NULL, 0, &reading,
                       interpreted && hp_measurement_get_kind (measurement) == HP_MEASUREMENT_KIND_BLOOD_GLUCOSE
                       ? &meaning : NULL);
    }
  else if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

/* ---- the writer --------------------------------------------------------- */

void
hp_fhir_writer_set_identifier_system (HpFhirWriter *self,
                                      const char   *system)
{
  g_return_if_fail (self != NULL);
  g_free (self->identifier_system);
  self->identifier_system = g_strdup (system);
}

HpFhirWriter *
hp_fhir_writer_new (GOutputStream *stream,
                    GDateTime     *timestamp)
{
  HpFhirWriter *self;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), NULL);

  self = g_new0 (HpFhirWriter, 1);
  self->stream = g_object_ref (stream);
  self->timestamp = timestamp != NULL ? g_date_time_ref (timestamp) : g_date_time_new_now_utc ();
  self->patients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->devices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->buffer = g_string_sized_new (4096);
  return self;
}

void
hp_fhir_writer_free (HpFhirWriter *self)
{
  if (self == NULL)
    return;
  g_object_unref (self->stream);
  g_date_time_unref (self->timestamp);
  g_hash_table_unref (self->patients);
  g_hash_table_unref (self->devices);
  g_free (self->identifier_system);
  g_string_free (self->buffer, TRUE);
  g_free (self);
}

guint
hp_fhir_writer_get_n_entries (HpFhirWriter *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_entries;
}

static gboolean
check_writable (HpFhirWriter  *self,
                GError       **error)
{
  if (self->failed || self->finished)
    {
      g_set_error_literal (error, HP_FHIR_ERROR, HP_FHIR_ERROR_INVALID,
                           self->failed ? "The export already failed to write"
                                        : "The export is already finished");
      return FALSE;
    }
  return TRUE;
}

static void
begin_bundle (HpFhirWriter *self)
{
  g_autofree char *timestamp = format_time (self->timestamp);
  g_autofree char *id = g_uuid_string_random ();

  if (self->started)
    return;
  self->started = TRUE;
  g_string_append (self->buffer, "{\"resourceType\":\"Bundle\",\"id\":");
  append_string (self->buffer, id);
  g_string_append (self->buffer, ",\"type\":\"collection\",\"timestamp\":");
  append_string (self->buffer, timestamp);
  g_string_append (self->buffer, ",\"entry\":[");
}

static gboolean
flush_buffer (HpFhirWriter  *self,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!g_output_stream_write_all (self->stream, self->buffer->str, self->buffer->len,
                                  NULL, cancellable, &local_error))
    {
      self->failed = TRUE;
      g_string_truncate (self->buffer, 0);
      g_set_error (error, HP_FHIR_ERROR, HP_FHIR_ERROR_WRITE,
                   "Cannot write the export: %s", local_error->message);
      return FALSE;
    }
  g_string_truncate (self->buffer, 0);
  return TRUE;
}

static void
append_entry (HpFhirWriter *self,
              const char   *full_url,
              JsonNode     *resource)
{
  g_string_append (self->buffer, self->n_entries == 0 ? "\n" : ",\n");
  g_string_append (self->buffer, "{\"fullUrl\":");
  append_string (self->buffer, full_url);
  g_string_append (self->buffer, ",\"resource\":");
  append_node (self->buffer, resource);
  g_string_append_c (self->buffer, '}');
  self->n_entries++;
}

static JsonNode *
build_patient (const char  *patient_code,
               const char  *system,
               char       **full_url)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *id_name = g_strconcat ("patient/", patient_code, NULL);
  g_autofree char *uuid = name_based_uuid (id_name);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "resourceType");
  json_builder_add_string_value (builder, "Patient");
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, uuid);
  /* The kiosk knows no name; the personal code is all it has. */
  json_builder_set_member_name (builder, "identifier");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "system");
  json_builder_add_string_value (builder, system);
  json_builder_set_member_name (builder, "value");
  json_builder_add_string_value (builder, patient_code);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  *full_url = g_strconcat ("urn:uuid:", uuid, NULL);
  return json_builder_get_root (builder);
}

/* ---- devices ------------------------------------------------------------ */

/* What a device id says of its maker and model: ids are "PROTOCOL:SERIAL"
 * (devices/), or an IEEE 11073 agent's EUI-64 system id in hex. */
static const struct {
  const char *protocol;
  const char *manufacturer;
  const char *model;
} device_families[] = {
  { "omron-hem790", "Omron Healthcare", "HEM-790IT family" },
  { "omron-hem7322", "Omron Healthcare", "HEM-7322U family" },
  { "contour", "Ascensia Diabetes Care", "Contour USB / Contour Next family" },
  { "freestyle", "Abbott", "FreeStyle InsuLinx / Libre / Precision Neo family" },
  { "hid-scale", NULL, "USB HID scale" },
};

/* IEEE 11073-10101 device specializations, by what the device measured. */
static const struct {
  guint32     code;
  const char *reference_id;
} device_types[] = {
  [HP_MEASUREMENT_KIND_BLOOD_PRESSURE] = { 528391, "MDC_DEV_SPEC_PROFILE_BPM" },
  [HP_MEASUREMENT_KIND_BODY_WEIGHT] = { 528399, "MDC_DEV_SPEC_PROFILE_SCALE" },
  [HP_MEASUREMENT_KIND_BLOOD_GLUCOSE] = { 528401, "MDC_DEV_SPEC_PROFILE_GLUCOSE" },
};

static gboolean
is_system_id (const char *device_id)
{
  gsize length = strlen (device_id);

  if (length != 16)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isxdigit (device_id[i]))
      return FALSE;
  return TRUE;
}

static JsonNode *
build_device (const char         *device_id,
              HpMeasurementKind   kind,
              char              **full_url)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *id_name = g_strconcat ("device/", device_id, NULL);
  g_autofree char *uuid = name_based_uuid (id_name);
  const char *separator = strchr (device_id, ':');
  const char *manufacturer = NULL, *model = NULL, *serial = separator != NULL ? separator + 1 : NULL;
  char code[16];

  for (gsize i = 0; separator != NULL && i < G_N_ELEMENTS (device_families); i++)
    if (strlen (device_families[i].protocol) == (gsize) (separator - device_id) &&
        strncmp (device_id, device_families[i].protocol, (gsize) (separator - device_id)) == 0)
      {
        manufacturer = device_families[i].manufacturer;
        model = device_families[i].model;
      }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "resourceType");
  json_builder_add_string_value (builder, "Device");
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, uuid);
  json_builder_set_member_name (builder, "identifier");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  if (is_system_id (device_id))
    {
      /* The agent's EUI-64, written as the Personal Health Device IG does. */
      g_autoptr(GString) eui = g_string_new (NULL);

      for (guint i = 0; i < 16; i += 2)
        g_string_append_printf (eui, "%s%c%c", i > 0 ? "-" : "", g_ascii_toupper (device_id[i]),
                                g_ascii_toupper (device_id[i + 1]));
      json_builder_set_member_name (builder, "system");
      json_builder_add_string_value (builder, HP_FHIR_EUI64_SYSTEM);
      json_builder_set_member_name (builder, "value");
      json_builder_add_string_value (builder, eui->str);
    }
  else
    {
      json_builder_set_member_name (builder, "type");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "coding");
      json_builder_begin_array (builder);
      add_coding (builder, HP_FHIR_IDENTIFIER_TYPE_SYSTEM, "SNO", "Serial Number");
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "value");
      json_builder_add_string_value (builder, serial != NULL && *serial != '\0' ? serial : device_id);
    }
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  if (manufacturer != NULL)
    {
      json_builder_set_member_name (builder, "manufacturer");
      json_builder_add_string_value (builder, manufacturer);
    }
  if (model != NULL)
    {
      json_builder_set_member_name (builder, "deviceName");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, model);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "model-name");
      json_builder_end_object (builder);
      json_builder_end_array (builder);
    }
  if (kind <= HP_MEASUREMENT_KIND_LAST)
    {
      g_snprintf (code, sizeof code, "%" G_GUINT32_FORMAT, device_types[kind].code);
      json_builder_set_member_name (builder, "type");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "coding");
      json_builder_begin_array (builder);
      add_coding (builder, HP_FHIR_MDC_SYSTEM, code, device_types[kind].reference_id);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  *full_url = g_strconcat ("urn:uuid:", uuid, NULL);
  return json_builder_get_root (builder);
}

/* Writes @list after the visit's Patient, if this bundle lacks it yet. */
static gboolean
write_visit_entries (HpFhirWriter  *self,
                     HpVisit       *visit,
                     EntryList     *list,
                     const char    *patient_url,
                     JsonNode      *patient,
                     GCancellable  *cancellable,
                     GError       **error)
{
  const char *patient_code = hp_visit_get_patient_code (visit);

  if (list->resources->len == 0)
    return TRUE;
  begin_bundle (self);
  if (patient != NULL)
    {
      append_entry (self, patient_url, patient);
      g_hash_table_insert (self->patients, g_strdup (patient_code), g_strdup (patient_url));
    }
  for (guint i = 0; i < list->resources->len; i++)
    append_entry (self, g_ptr_array_index (list->urls, i),
                  g_ptr_array_index (list->resources, i));
  return flush_buffer (self, cancellable, error);
}

/* The visit's Patient fullUrl, and the Patient itself when this bundle has
 * not written it yet. */
static const char *
find_subject (HpFhirWriter  *self,
              HpVisit       *visit,
              JsonNode     **patient,
              char         **new_url)
{
  const char *patient_code = hp_visit_get_patient_code (visit);
  const char *known;

  *patient = NULL;
  *new_url = NULL;
  if (patient_code == NULL || *patient_code == '\0')
    return NULL;
  known = g_hash_table_lookup (self->patients, patient_code);
  if (known != NULL)
    return known;
  *patient = build_patient (patient_code,
                            self->identifier_system != NULL ? self->identifier_system : HP_FHIR_PERSONAL_CODE_SYSTEM,
                            new_url);
  return *new_url;
}

gboolean
hp_fhir_writer_add_visit (HpFhirWriter  *self,
                          HpVisit       *visit,
                          GCancellable  *cancellable,
                          GError       **error)
{
  GListModel *measurements;
  ObservationContext context = { 0 };
  EntryList list;
  g_autoptr(JsonNode) patient = NULL;
  g_autofree char *patient_url = NULL;
  g_autoptr(GHashTable) new_devices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gboolean ok = TRUE;
  guint n;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (HP_IS_VISIT (visit), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_writable (self, error))
    return FALSE;

  context.visit = visit;
  context.subject_url = find_subject (self, visit, &patient, &patient_url);
  context.devices = self->devices;
  context.new_devices = new_devices;
  measurements = hp_visit_get_measurements (visit);
  n = g_list_model_get_n_items (measurements);
  entry_list_init (&list);
  /* One Device for each device, before the Observations that refer to it. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HpMeasurement) measurement = g_list_model_get_item (measurements, i);
      const char *device_id = hp_measurement_get_device_id (measurement);
      char *device_url = NULL;
      JsonNode *device;

      if (device_id == NULL || *device_id == '\0' || !g_utf8_validate (device_id, -1, NULL) ||
          g_hash_table_contains (self->devices, device_id) || g_hash_table_contains (new_devices, device_id))
        continue;
      device = build_device (device_id, hp_measurement_get_kind (measurement), &device_url);
      entry_list_add (&list, device, device_url);
      g_hash_table_insert (new_devices, g_strdup (device_id), g_strdup (device_url));
    }
  for (guint i = 0; i < n && ok; i++)
    {
      g_autoptr(HpMeasurement) measurement = g_list_model_get_item (measurements, i);

      ok = add_measurement (&list, &context, measurement, i, error);
    }
  if (ok)
    ok = write_visit_entries (self, visit, &list, patient_url, patient, cancellable, error);
  if (ok)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, new_devices);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          g_hash_table_iter_steal (&iter);
          g_hash_table_insert (self->devices, key, value);
        }
    }
  entry_list_clear (&list);
  return ok;
}

gboolean
hp_fhir_writer_add_body_measure (HpFhirWriter      *self,
                                 HpVisit           *visit,
                                 HpFhirBodyMeasure  measure,
                                 double             value,
                                 const char        *unit,
                                 GDateTime         *taken_at,
                                 GCancellable      *cancellable,
                                 GError           **error)
{
  ObservationContext context = { 0 };
  EntryList list;
  Reading reading = { 0 };
  g_autoptr(JsonNode) patient = NULL;
  g_autofree char *patient_url = NULL;
  g_autofree char *id_name = NULL;
  g_autofree char *full_url = NULL;
  JsonNode *resource;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (HP_IS_VISIT (visit), FALSE);
  g_return_val_if_fail (unit != NULL, FALSE);
  g_return_val_if_fail (taken_at != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_writable (self, error))
    return FALSE;

  switch (measure)
    {
    case HP_FHIR_BODY_HEIGHT:
      reading.concept = CONCEPT_BODY_HEIGHT;
      if (g_str_equal (unit, "cm"))
        reading.value = value;
      else if (g_str_equal (unit, "m"))
        reading.value = value * 100.0;
      else if (g_str_equal (unit, "[in_i]"))
        reading.value = value * 2.54; /* the international inch is exactly 2.54 cm */
      else
        goto bad_unit;
      break;
    case HP_FHIR_BODY_MASS_INDEX:
      reading.concept = CONCEPT_BODY_MASS_INDEX;
      if (!g_str_equal (unit, "kg/m2"))
        goto bad_unit;
      reading.value = value;
      break;
    default:
      g_set_error (error, HP_FHIR_ERROR, HP_FHIR_ERROR_INVALID,
                   "Visit %s: unknown body measure %d", hp_visit_get_id (visit), (int) measure);
      return FALSE;
    }
  if (!isfinite (reading.value))
    {
      g_set_error (error, HP_FHIR_ERROR, HP_FHIR_ERROR_INVALID,
                   "Visit %s: the %s value is not a number", hp_visit_get_id (visit),
                   concepts[reading.concept].text);
      return FALSE;
    }

  context.visit = visit;
  context.subject_url = find_subject (self, visit, &patient, &patient_url);
  context.taken_at = taken_at;
  id_name = g_strdup_printf ("observation/%s/body/%s/%" G_GINT64_FORMAT,
                             hp_visit_get_id (visit), concepts[reading.concept].loinc,
                             g_date_time_to_unix (taken_at) * G_USEC_PER_SEC
                             + g_date_time_get_microsecond (taken_at));
  context.id_name = id_name;
  entry_list_init (&list);
  resource = build_observation (&context, reading.concept, 0, NULL, 0, &reading, &full_url);
  entry_list_add (&list, resource, g_steal_pointer (&full_url));
  ok = write_visit_entries (self, visit, &list, patient_url, patient, cancellable, error);
  entry_list_clear (&list);
  return ok;

bad_unit:
  {
    g_autofree char *valid_unit = g_utf8_make_valid (unit, -1);

    g_set_error (error, HP_FHIR_ERROR, HP_FHIR_ERROR_UNIT,
                 "Visit %s: “%s” is not a unit the export takes for %s",
                 hp_visit_get_id (visit), valid_unit,
                 concepts[reading.concept].text);
    return FALSE;
  }
}

gboolean
hp_fhir_writer_finish (HpFhirWriter  *self,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_writable (self, error))
    return FALSE;
  begin_bundle (self);
  g_string_append (self->buffer, self->n_entries > 0 ? "\n]}\n" : "]}\n");
  if (!flush_buffer (self, cancellable, error))
    return FALSE;
  self->finished = TRUE;
  return TRUE;
}

/* ---- exports ------------------------------------------------------------ */

static gboolean
is_selected (HpVisit               *visit,
             const HpFhirSelection *selection)
{
  if (selection == NULL)
    return TRUE;
  if (selection->since != NULL
      && g_date_time_compare (hp_visit_get_started_at (visit), selection->since) < 0)
    return FALSE;
  if (selection->patient_code != NULL
      && g_strcmp0 (hp_visit_get_patient_code (visit), selection->patient_code) != 0)
    return FALSE;
  if (!selection->include_anonymous && hp_visit_get_patient_code (visit) == NULL)
    return FALSE;
  return TRUE;
}

gboolean
hp_fhir_export_store (HpStore               *store,
                      const HpFhirSelection *selection,
                      GOutputStream         *stream,
                      guint                 *n_visits,
                      GCancellable          *cancellable,
                      GError               **error)
{
  g_autoptr(HpFhirWriter) writer = NULL;
  g_auto(GStrv) ids = NULL;
  guint n_selected = 0;
  guint n_ids;

  g_return_val_if_fail (HP_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Ids only: the visits themselves are loaded one at a time. */
  ids = hp_store_list_visit_ids (store, 0, error);
  if (ids == NULL)
    return FALSE;
  n_ids = g_strv_length (ids);

  writer = hp_fhir_writer_new (stream, NULL);
  if (selection != NULL && selection->identifier_system != NULL)
    hp_fhir_writer_set_identifier_system (writer, selection->identifier_system);
  /* The store lists newest first; a record reads best oldest first. */
  for (guint i = n_ids; i > 0; i--)
    {
      g_autoptr(HpVisit) visit = hp_store_load_visit (store, ids[i - 1], error);

      if (visit == NULL)
        return FALSE;
      if (!is_selected (visit, selection))
        continue;
      if (!hp_fhir_writer_add_visit (writer, visit, cancellable, error))
        return FALSE;
      n_selected++;
    }
  if (!hp_fhir_writer_finish (writer, cancellable, error))
    return FALSE;
  if (n_visits != NULL)
    *n_visits = n_selected;
  return TRUE;
}

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *what,
                 const char  *path)
{
  g_set_error (error, HP_FHIR_ERROR, HP_FHIR_ERROR_WRITE,
               "Cannot %s %s: %s", what, path, g_strerror (saved_errno));
  return FALSE;
}

/* Makes the rename itself survive a power cut. */
static gboolean
sync_folder_of (const char  *path,
                GError     **error)
{
  g_autofree char *folder = g_path_get_dirname (path);
  int fd = g_open (folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  int saved_errno;

  if (fd < 0)
    return set_errno_error (error, errno, "open the folder", folder);
  if (fsync (fd) != 0)
    {
      saved_errno = errno;
      close (fd);
      return set_errno_error (error, saved_errno, "sync the folder", folder);
    }
  close (fd);
  return TRUE;
}

gboolean
hp_fhir_export_store_to_file (HpStore               *store,
                              const HpFhirSelection *selection,
                              const char            *path,
                              HpFhirExportFlags      flags,
                              guint                 *n_visits,
                              GCancellable          *cancellable,
                              GError               **error)
{
  g_autofree char *tmp_path = NULL;
  g_autoptr(GOutputStream) stream = NULL;
  g_autoptr(GOutputStream) buffered = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean replace = (flags & HP_FHIR_EXPORT_REPLACE) != 0;
  int fd;

  g_return_val_if_fail (HP_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!replace && g_file_test (path, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK))
    {
      g_set_error (error, HP_FHIR_ERROR, HP_FHIR_ERROR_EXISTS,
                   "%s already exists; the export replaces a file only when asked to", path);
      return FALSE;
    }
  /* A new file of its own beside the export (O_EXCL, so no file of that
   * name, and no link planted there, is ever written through). */
  tmp_path = g_strconcat (path, ".XXXXXX", NULL);
  fd = g_mkstemp_full (tmp_path, O_WRONLY | O_CLOEXEC | O_NOCTTY, 0600);
  if (fd < 0)
    return set_errno_error (error, errno, "create a file beside", path);
  stream = g_unix_output_stream_new (fd, TRUE);
  buffered = g_buffered_output_stream_new_sized (stream, 64 * 1024);

  if (!hp_fhir_export_store (store, selection, buffered, n_visits, cancellable, &local_error)
      || !g_output_stream_flush (buffered, cancellable, &local_error))
    goto failed;
  if (fsync (fd) != 0)
    {
      int saved_errno = errno;

      set_errno_error (&local_error, saved_errno, "sync", tmp_path);
      goto failed;
    }
  if (!g_output_stream_close (buffered, cancellable, &local_error))
    goto failed;
  /* Without leave to replace, a file that appeared meanwhile still wins. */
  if (renameat2 (AT_FDCWD, tmp_path, AT_FDCWD, path, replace ? 0 : RENAME_NOREPLACE) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == EEXIST)
        g_set_error (&local_error, HP_FHIR_ERROR, HP_FHIR_ERROR_EXISTS,
                     "%s already exists; the export replaces a file only when asked to", path);
      else
        set_errno_error (&local_error, saved_errno, "rename the export to", path);
      goto failed;
    }
  return sync_folder_of (path, error);

failed:
  g_output_stream_close (buffered, NULL, NULL);
  g_unlink (tmp_path);
  if (local_error->domain == HP_FHIR_ERROR)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                "Cannot write the export %s: ", path);
  return FALSE;
}
