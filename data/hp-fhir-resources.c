/* FHIR resources beside the Observations: the Patient a personal code names, the Device a reading came from, and the capillary blood Specimen of a glucose reading. */
#include "hp-fhir.h"
#include "hp-fhir-private.h"

#include <string.h>

JsonNode *
hp_fhir_build_patient (const char  *patient_code,
                       const char  *system,
                       char       **full_url)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *id_name = g_strconcat ("patient/", patient_code, NULL);
  g_autofree char *uuid = hp_fhir_name_based_uuid (id_name);

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

JsonNode *
hp_fhir_build_device (const char         *device_id,
                      HpMeasurementKind   kind,
                      char              **full_url)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *id_name = g_strconcat ("device/", device_id, NULL);
  g_autofree char *uuid = hp_fhir_name_based_uuid (id_name);
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
      hp_fhir_add_coding (builder, HP_FHIR_IDENTIFIER_TYPE_SYSTEM, "SNO", "Serial Number");
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
      hp_fhir_add_coding (builder, HP_FHIR_MDC_SYSTEM, code, device_types[kind].reference_id);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  *full_url = g_strconcat ("urn:uuid:", uuid, NULL);
  return json_builder_get_root (builder);
}

/* The capillary blood a glucose reading was measured in, with what the
 * patient said about eating before it (HL7 v2 table 0916: F, NF, or NG
 * when the kiosk did not ask). Its fullUrl is returned in @full_url. */
JsonNode *
hp_fhir_build_glucose_specimen (HpVisit        *visit,
                                HpMeasurement  *measurement,
                                guint           position,
                                GDateTime      *taken_at,
                                const char     *subject_url,
                                char          **full_url)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *id_name = g_strdup_printf ("specimen/%s/%u", hp_visit_get_id (visit), position);
  g_autofree char *uuid = hp_fhir_name_based_uuid (id_name);
  g_autofree char *collected = hp_fhir_format_time (taken_at);
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
  hp_fhir_add_coding (builder, HP_FHIR_SNOMED_SYSTEM, "122554006", "Capillary blood specimen");
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
  hp_fhir_add_coding (builder, HP_FHIR_FASTING_SYSTEM, code, display);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  *full_url = g_strconcat ("urn:uuid:", uuid, NULL);
  return json_builder_get_root (builder);
}
