/* Tests of the FHIR R4 export: codes, units, categories, subjects and ids read back with json-glib; with --write-bundles DIR, writes the bundles the schema validation test checks. */
#include "hp-store-fixture.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "hp-fhir.h"

#define T0 1763700000 /* 2025-11-21 04:40:00 UTC */

/* ---- fixtures ----------------------------------------------------------- */

static GDateTime *
at (gint64 seconds_after_t0)
{
  return g_date_time_new_from_unix_utc (T0 + seconds_after_t0);
}

static HpVisit *
new_visit (const char *id,
           const char *patient_code)
{
  g_autoptr(GDateTime) started = at (0);
  g_autoptr(GDateTime) finished = at (600);
  HpVisit *visit = hp_visit_new_full (id, started);

  hp_visit_set_finished_at (visit, finished);
  if (patient_code != NULL)
    hp_visit_set_patient_code (visit, patient_code);
  return visit;
}

static HpMeasurement *
add (HpVisit           *visit,
     HpMeasurementKind  kind,
     gint64             taken_after_t0,
     const char        *device_id)
{
  g_autoptr(GDateTime) taken = at (taken_after_t0);
  g_autoptr(HpMeasurement) measurement = hp_measurement_new (kind);

  hp_measurement_set_kiosk_time (measurement, taken);
  hp_measurement_set_device_id (measurement, device_id);
  hp_visit_add_measurement (visit, measurement);
  return measurement; /* the visit holds it */
}

/* A cuff reading with the IEEE 11073 codes a 20601 cuff sends. */
static HpVisit *
bp_visit (const char *id,
          const char *patient_code)
{
  HpVisit *visit = new_visit (id, patient_code);
  HpMeasurement *bp = add (visit, HP_MEASUREMENT_KIND_BLOOD_PRESSURE, 60, "usb:0590:0028:SN1");

  hp_measurement_set_value (bp, HP_QUANTITY_SYSTOLIC, 128, "mm[Hg]");
  hp_measurement_set_mdc_code (bp, HP_QUANTITY_SYSTOLIC, 150021);
  hp_measurement_set_value (bp, HP_QUANTITY_DIASTOLIC, 83, "mm[Hg]");
  hp_measurement_set_mdc_code (bp, HP_QUANTITY_DIASTOLIC, 150022);
  hp_measurement_set_value (bp, HP_QUANTITY_PULSE_RATE, 67, "/min");
  hp_measurement_set_mdc_code (bp, HP_QUANTITY_PULSE_RATE, 149546);
  return visit;
}

static HpVisit *
weight_visit (const char *id)
{
  HpVisit *visit = new_visit (id, NULL);
  HpMeasurement *weight = add (visit, HP_MEASUREMENT_KIND_BODY_WEIGHT, 120, "usb:0bda:0001:scale");

  /* 160 lb is 72.5747792 kg. */
  hp_measurement_set_value (weight, HP_QUANTITY_BODY_WEIGHT, 160, "[lb_av]");
  hp_measurement_set_mdc_code (weight, HP_QUANTITY_BODY_WEIGHT, 188736);
  return visit;
}

static HpVisit *
glucose_visit (const char *id,
               double      value,
               const char *unit)
{
  HpVisit *visit = new_visit (id, NULL);
  HpMeasurement *glucose = add (visit, HP_MEASUREMENT_KIND_BLOOD_GLUCOSE, 300, "usb:1a79:7410:meter");

  hp_measurement_set_value (glucose, HP_QUANTITY_BLOOD_GLUCOSE, value, unit);
  hp_measurement_set_mdc_code (glucose, HP_QUANTITY_BLOOD_GLUCOSE, 160184);
  return visit;
}

/* ---- writing and reading back ------------------------------------------ */

static GOutputStream *
memory_stream (void)
{
  return g_memory_output_stream_new_resizable ();
}

static char *
stream_text (GOutputStream *stream)
{
  GMemoryOutputStream *memory = G_MEMORY_OUTPUT_STREAM (stream);

  return g_strndup (g_memory_output_stream_get_data (memory),
                    g_memory_output_stream_get_data_size (memory));
}

static void
assert_ok (gboolean  ok,
           GError   *error)
{
  if (!ok)
    fail_msg ("unexpected failure: %s", error != NULL ? error->message : "(no error)");
}

/* Writes one bundle of @visits and returns its text. */
static char *
export_visits (HpVisit **visits,
               guint     n)
{
  g_autoptr(GOutputStream) stream = memory_stream ();
  g_autoptr(GDateTime) now = at (3600);
  g_autoptr(HpFhirWriter) writer = hp_fhir_writer_new (stream, now);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    assert_ok (hp_fhir_writer_add_visit (writer, visits[i], NULL, &error), error);
  assert_ok (hp_fhir_writer_finish (writer, NULL, &error), error);
  assert_ok (g_output_stream_close (stream, NULL, &error), error);
  return stream_text (stream);
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_data (parser, text, -1, &error))
    fail_msg ("the export is not JSON: %s\n%s", error->message, text);
  return json_node_copy (json_parser_get_root (parser));
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    fail_msg ("no object \"%s\"", name);
  return json_node_get_object (node);
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    fail_msg ("no array \"%s\"", name);
  return json_node_get_array (node);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    fail_msg ("no string \"%s\"", name);
  return json_node_get_string (node);
}

/* The resources of the bundle's entries, checking each entry's fullUrl. */
static GPtrArray *
bundle_resources (JsonNode *root)
{
  JsonObject *bundle = json_node_get_object (root);
  JsonArray *entries;
  GPtrArray *resources = g_ptr_array_new ();
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  assert_string_equal (member_string (bundle, "resourceType"), "Bundle");
  assert_string_equal (member_string (bundle, "type"), "collection");
  assert_non_null (member_string (bundle, "timestamp"));
  entries = member_array (bundle, "entry");
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);
      JsonObject *resource = member_object (entry, "resource");
      g_autofree char *expected_url = g_strconcat ("urn:uuid:", member_string (resource, "id"), NULL);

      assert_string_equal (member_string (entry, "fullUrl"), expected_url);
      assert_true (g_uuid_string_is_valid (member_string (resource, "id")));
      /* Ids are unique within a bundle. */
      assert_true (g_hash_table_add (ids, (gpointer) member_string (resource, "id")));
      g_ptr_array_add (resources, resource);
    }
  return resources;
}

static JsonObject *
find_coding (JsonObject *concept,
             const char *system)
{
  JsonArray *codings = member_array (concept, "coding");

  for (guint i = 0; i < json_array_get_length (codings); i++)
    {
      JsonObject *coding = json_array_get_object_element (codings, i);

      if (g_str_equal (member_string (coding, "system"), system))
        return coding;
    }
  return NULL;
}

static const char *
loinc_of (JsonObject *with_code)
{
  JsonObject *coding = find_coding (member_object (with_code, "code"), HP_FHIR_LOINC_SYSTEM);

  assert_non_null (coding);
  return member_string (coding, "code");
}

/* The first coding must be LOINC, the MDC one (if @mdc) second. */
static void
assert_codes (JsonObject *with_code,
              const char *loinc,
              const char *mdc)
{
  JsonArray *codings = member_array (member_object (with_code, "code"), "coding");
  JsonObject *first = json_array_get_object_element (codings, 0);

  assert_string_equal (member_string (first, "system"), HP_FHIR_LOINC_SYSTEM);
  assert_string_equal (member_string (first, "code"), loinc);
  if (mdc == NULL)
    {
      assert_int_equal (json_array_get_length (codings), 1);
      return;
    }
  assert_int_equal (json_array_get_length (codings), 2);
  assert_string_equal (member_string (json_array_get_object_element (codings, 1), "system"),
                       HP_FHIR_MDC_SYSTEM);
  assert_string_equal (member_string (json_array_get_object_element (codings, 1), "code"), mdc);
}

static void
assert_quantity (JsonObject *with_value,
                 double      value,
                 const char *ucum)
{
  JsonObject *quantity = member_object (with_value, "valueQuantity");

  assert_float_equal (json_object_get_double_member (quantity, "value"), value, 1e-9);
  assert_string_equal (member_string (quantity, "system"), HP_FHIR_UCUM_SYSTEM);
  assert_string_equal (member_string (quantity, "code"), ucum);
  assert_non_null (member_string (quantity, "unit"));
}

static void
assert_category (JsonObject *observation,
                 const char *category)
{
  JsonArray *categories = member_array (observation, "category");
  JsonObject *coding;

  assert_int_equal (json_array_get_length (categories), 1);
  coding = find_coding (json_array_get_object_element (categories, 0), HP_FHIR_CATEGORY_SYSTEM);
  assert_non_null (coding);
  assert_string_equal (member_string (coding, "code"), category);
}

/* The resource of the bundle's entry with @full_url; fails when none. */
static JsonObject *
find_by_url (JsonNode   *root,
             const char *full_url)
{
  JsonArray *entries = member_array (json_node_get_object (root), "entry");

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);

      if (g_str_equal (member_string (entry, "fullUrl"), full_url))
        return member_object (entry, "resource");
    }
  fail_msg ("no entry %s", full_url);
  return NULL;
}

/* @object's CodeableConcept @member holds @code in @system. */
static void
assert_codes_of (JsonObject *object,
                 const char *member,
                 const char *system,
                 const char *code)
{
  JsonObject *coding = find_coding (member_object (object, member), system);

  assert_non_null (coding);
  assert_string_equal (member_string (coding, "code"), code);
}

static JsonObject *
find_observation (GPtrArray  *resources,
                  const char *loinc)
{
  JsonObject *found = NULL;

  for (guint i = 0; i < resources->len; i++)
    {
      JsonObject *resource = g_ptr_array_index (resources, i);

      if (g_str_equal (member_string (resource, "resourceType"), "Observation")
          && g_str_equal (loinc_of (resource), loinc))
        {
          if (found != NULL)
            fail_msg ("two Observations with LOINC %s", loinc);
          found = resource;
        }
    }
  if (found == NULL)
    fail_msg ("no Observation with LOINC %s", loinc);
  return found;
}

static guint
count_type (GPtrArray  *resources,
            const char *type)
{
  guint n = 0;

  for (guint i = 0; i < resources->len; i++)
    n += g_str_equal (member_string (g_ptr_array_index (resources, i), "resourceType"), type);
  return n;
}

static void
assert_anonymous (JsonObject *observation)
{
  JsonObject *subject = member_object (observation, "subject");

  assert_string_equal (member_string (subject, "display"), HP_FHIR_ANONYMOUS_SUBJECT);
  assert_false (json_object_has_member (subject, "reference"));
}

/* ---- tests -------------------------------------------------------------- */

static void
test_blood_pressure_and_pulse (void **state)
{
  g_autoptr(HpVisit) visit = bp_visit ("bp-visit", NULL);
  g_autofree char *text = export_visits (&visit, 1);
  g_autoptr(JsonNode) root = parse (text);
  g_autoptr(GPtrArray) resources = bundle_resources (root);
  g_autoptr(GDateTime) taken = at (60);
  g_autoptr(GDateTime) effective = NULL;
  JsonObject *panel, *rate;
  JsonArray *components;

  (void) state;
  /* The panel, the pulse, and the cuff they came from. */
  assert_int_equal (resources->len, 3);
  assert_int_equal (count_type (resources, "Patient"), 0);
  assert_int_equal (count_type (resources, "Device"), 1);

  panel = find_observation (resources, "85354-9");
  assert_string_equal (member_string (panel, "status"), "final");
  assert_category (panel, "vital-signs");
  assert_codes (panel, "85354-9", "150020");
  assert_false (json_object_has_member (panel, "valueQuantity"));
  assert_anonymous (panel);
  {
    /* The Observation refers to the Device, which names the cuff's serial
     * and what kind of device it is. */
    JsonObject *device = find_by_url (root, member_string (member_object (panel, "device"), "reference"));
    JsonObject *identifier = json_array_get_object_element (member_array (device, "identifier"), 0);

    assert_string_equal (member_string (device, "resourceType"), "Device");
    assert_string_equal (member_string (identifier, "value"), "0590:0028:SN1");
    assert_codes_of (device, "type", HP_FHIR_MDC_SYSTEM, "528391");
  }
  effective = g_date_time_new_from_iso8601 (member_string (panel, "effectiveDateTime"), NULL);
  assert_non_null (effective);
  assert_int_equal (g_date_time_compare (effective, taken), 0);

  components = member_array (panel, "component");
  assert_int_equal (json_array_get_length (components), 2);
  assert_codes (json_array_get_object_element (components, 0), "8480-6", "150021");
  assert_quantity (json_array_get_object_element (components, 0), 128, "mm[Hg]");
  assert_codes (json_array_get_object_element (components, 1), "8462-4", "150022");
  assert_quantity (json_array_get_object_element (components, 1), 83, "mm[Hg]");

  rate = find_observation (resources, "8867-4");
  assert_category (rate, "vital-signs");
  assert_string_equal (member_string (member_object (rate, "device"), "reference"),
                       member_string (member_object (panel, "device"), "reference"));
  assert_codes (rate, "8867-4", "149546");
  assert_quantity (rate, 67, "/min");
  assert_anonymous (rate);
}

/* Units are converted to the one each LOINC code is reported in, and a
 * value without an MDC code gets the LOINC coding alone. */
static void
test_units_converted (void **state)
{
  g_autoptr(HpVisit) visit = new_visit ("kpa-visit", NULL);
  HpMeasurement *bp = add (visit, HP_MEASUREMENT_KIND_BLOOD_PRESSURE, 60, NULL);
  HpMeasurement *weight = add (visit, HP_MEASUREMENT_KIND_BODY_WEIGHT, 90, NULL);
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) resources = NULL;
  JsonObject *panel;
  JsonArray *components;

  (void) state;
  hp_measurement_set_value (bp, HP_QUANTITY_SYSTOLIC, 16, "kPa");
  hp_measurement_set_value (bp, HP_QUANTITY_DIASTOLIC, 10.5, "kPa");
  hp_measurement_set_value (bp, HP_QUANTITY_MEAN_ARTERIAL, 12.3, "kPa");
  hp_measurement_set_value (bp, HP_QUANTITY_PULSE_RATE, 72, "{beats}/min");
  hp_measurement_set_value (weight, HP_QUANTITY_BODY_WEIGHT, 71500, "g");
  text = export_visits (&visit, 1);
  root = parse (text);
  resources = bundle_resources (root);

  panel = find_observation (resources, "85354-9");
  assert_codes (panel, "85354-9", NULL);
  assert_false (json_object_has_member (panel, "device"));
  components = member_array (panel, "component");
  assert_int_equal (json_array_get_length (components), 3);
  assert_codes (json_array_get_object_element (components, 0), "8480-6", NULL);
  assert_quantity (json_array_get_object_element (components, 0), 16 * 7.50062, "mm[Hg]");
  assert_quantity (json_array_get_object_element (components, 1), 10.5 * 7.50062, "mm[Hg]");
  assert_codes (json_array_get_object_element (components, 2), "8478-0", NULL);
  assert_quantity (json_array_get_object_element (components, 2), 12.3 * 7.50062, "mm[Hg]");
  assert_quantity (find_observation (resources, "8867-4"), 72, "/min");
  assert_quantity (find_observation (resources, "29463-7"), 71.5, "kg");
}

static void
test_weight (void **state)
{
  g_autoptr(HpVisit) visit = weight_visit ("weight-visit");
  g_autofree char *text = export_visits (&visit, 1);
  g_autoptr(JsonNode) root = parse (text);
  g_autoptr(GPtrArray) resources = bundle_resources (root);
  JsonObject *weight;

  (void) state;
  assert_int_equal (resources->len, 2);
  weight = find_observation (resources, "29463-7");
  assert_category (weight, "vital-signs");
  assert_codes (weight, "29463-7", "188736");
  /* In the scale's own unit: 160 lb, not 72.57477920000001 kg. */
  assert_quantity (weight, 160, "[lb_av]");
  assert_non_null (strstr (text, "\"value\":160,"));
  assert_null (strstr (text, "72.57"));
}

static JsonObject *
first_coding (JsonObject *holder,
              const char *member)
{
  JsonArray *list = member_array (holder, member);

  assert_int_equal (json_array_get_length (list), 1);
  return find_coding (json_array_get_object_element (list, 0), HP_FHIR_INTERPRETATION_SYSTEM);
}

/* Each Observation says which vital-signs profile it meets, what the kiosk
 * read it as (N, L, H, LL, HH), when the device measured it (its clock,
 * when right) and when the kiosk got it. */
static void
test_profiles_interpretation_and_times (void **state)
{
  g_autoptr(HpVisit) visit = new_visit ("context-visit", NULL);
  HpMeasurement *bp = add (visit, HP_MEASUREMENT_KIND_BLOOD_PRESSURE, 60, "usb:0590:0028:SN1");
  HpMeasurement *crisis = add (visit, HP_MEASUREMENT_KIND_BLOOD_PRESSURE, 120, "usb:0590:0028:SN1");
  HpMeasurement *weight = add (visit, HP_MEASUREMENT_KIND_BODY_WEIGHT, 180, "usb:0bda:0001:scale");
  g_autoptr(GDateTime) device_time = at (-30);
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) resources = NULL;
  g_autoptr(GDateTime) effective = NULL;
  g_autoptr(GDateTime) issued = NULL;
  g_autoptr(GDateTime) kiosk_time = at (60);
  JsonObject *panel = NULL, *rate = NULL, *bmi = NULL, *height = NULL;
  guint n_panels = 0;

  (void) state;
  hp_measurement_set_value (bp, HP_QUANTITY_SYSTOLIC, 118, "mm[Hg]");
  hp_measurement_set_value (bp, HP_QUANTITY_DIASTOLIC, 76, "mm[Hg]");
  hp_measurement_set_value (bp, HP_QUANTITY_PULSE_RATE, 190, "/min");
  hp_measurement_set_device_time (bp, device_time);
  hp_measurement_set_value (crisis, HP_QUANTITY_SYSTOLIC, 195, "mm[Hg]");
  hp_measurement_set_value (crisis, HP_QUANTITY_DIASTOLIC, 100, "mm[Hg]");
  hp_measurement_set_device_time (crisis, device_time);
  hp_measurement_set_flags (crisis, HP_MEASUREMENT_FLAG_DEVICE_CLOCK_INVALID);
  hp_measurement_set_value (weight, HP_QUANTITY_BODY_WEIGHT, 81, "kg");
  assert_true (hp_visit_set_height_cm (visit, 180));
  text = export_visits (&visit, 1);
  root = parse (text);
  resources = bundle_resources (root);

  for (guint i = 0; i < resources->len; i++)
    {
      JsonObject *resource = g_ptr_array_index (resources, i);
      const char *loinc;

      if (!g_str_equal (member_string (resource, "resourceType"), "Observation"))
        continue;
      loinc = loinc_of (resource);

      if (g_str_equal (loinc, "85354-9"))
        {
          /* The first panel is the normal one, the second the crisis. */
          if (n_panels++ == 0)
            panel = resource;
          else
            {
              assert_string_equal (member_string (first_coding (resource, "interpretation"), "code"), "HH");
              /* A clock the device got wrong is not a time. */
              effective = g_date_time_new_from_iso8601 (member_string (resource, "effectiveDateTime"), NULL);
              assert_int_equal (g_date_time_compare (effective, at (120)), 0);
              g_clear_pointer (&effective, g_date_time_unref);
            }
        }
      else if (g_str_equal (loinc, "8867-4"))
        rate = resource;
      else if (g_str_equal (loinc, "39156-5"))
        bmi = resource;
      else if (g_str_equal (loinc, "8302-2"))
        height = resource;
    }
  assert_int_equal (n_panels, 2);
  assert_non_null (panel);
  assert_non_null (rate);

  assert_string_equal (json_array_get_string_element (member_array (member_object (panel, "meta"), "profile"), 0),
                       "http://hl7.org/fhir/StructureDefinition/bp");
  assert_string_equal (json_array_get_string_element (member_array (member_object (rate, "meta"), "profile"), 0),
                       "http://hl7.org/fhir/StructureDefinition/heartrate");
  assert_string_equal (member_string (first_coding (panel, "interpretation"), "code"), "N");
  /* A pulse of 190 asks for staff now: critical high. */
  assert_string_equal (member_string (first_coding (rate, "interpretation"), "code"), "HH");

  effective = g_date_time_new_from_iso8601 (member_string (panel, "effectiveDateTime"), NULL);
  issued = g_date_time_new_from_iso8601 (member_string (panel, "issued"), NULL);
  assert_int_equal (g_date_time_compare (effective, device_time), 0);
  assert_int_equal (g_date_time_compare (issued, kiosk_time), 0);

  /* Height and BMI, the index derived from the weight and the height. */
  assert_non_null (height);
  assert_non_null (bmi);
  assert_quantity (height, 180, "cm");
  assert_quantity (bmi, 25.0, "kg/m2");
  assert_string_equal (member_string (first_coding (bmi, "interpretation"), "code"), "H");
  assert_string_equal (json_array_get_string_element (member_array (member_object (bmi, "meta"), "profile"), 0),
                       "http://hl7.org/fhir/StructureDefinition/bmi");
  {
    JsonArray *sources = member_array (bmi, "derivedFrom");
    g_autoptr(GHashTable) urls = g_hash_table_new (g_str_hash, g_str_equal);
    JsonArray *entries = member_array (json_node_get_object (root), "entry");

    for (guint i = 0; i < json_array_get_length (entries); i++)
      {
        JsonObject *entry = json_array_get_object_element (entries, i);
        JsonObject *resource = member_object (entry, "resource");

        if (g_str_equal (member_string (resource, "resourceType"), "Observation"))
          g_hash_table_insert (urls, (gpointer) member_string (entry, "fullUrl"), (gpointer) loinc_of (resource));
      }
    assert_int_equal (json_array_get_length (sources), 2);
    assert_string_equal (g_hash_table_lookup (urls, member_string (json_array_get_object_element (sources, 0),
                                                                   "reference")), "29463-7");
    assert_string_equal (g_hash_table_lookup (urls, member_string (json_array_get_object_element (sources, 1),
                                                                   "reference")), "8302-2");
  }
}

/* The LOINC code follows the unit; the value is the one the meter showed. */
static void
test_glucose_by_unit (void **state)
{
  g_autoptr(HpVisit) mass = glucose_visit ("glucose-mass", 104, "mg/dL");
  g_autoptr(HpVisit) moles = glucose_visit ("glucose-moles", 5.4, "mmol/L");
  HpVisit *both[] = { mass, moles };
  g_autofree char *text = export_visits (both, 2);
  g_autoptr(JsonNode) root = parse (text);
  g_autoptr(GPtrArray) resources = bundle_resources (root);
  JsonObject *observation;

  (void) state;
  /* Each reading with the Specimen it was measured in, and the one meter. */
  assert_int_equal (resources->len, 5);
  assert_int_equal (count_type (resources, "Device"), 1);
  assert_int_equal (count_type (resources, "Specimen"), 2);
  observation = find_observation (resources, "41653-7");
  assert_category (observation, "laboratory");
  assert_codes (observation, "41653-7", "160184");
  assert_quantity (observation, 104, "mg/dL");

  observation = find_observation (resources, "14743-9");
  assert_category (observation, "laboratory");
  assert_codes (observation, "14743-9", "160184");
  assert_quantity (observation, 5.4, "mmol/L");
  /* The shortest decimal that reads back as the same double. */
  assert_non_null (strstr (text, "\"value\":5.4,"));
  assert_null (strstr (text, "5.40000"));
}

static HpVisit *
out_of_range_visit (const char         *id,
                    double              limit,
                    HpMeasurementFlags  flag)
{
  HpVisit *visit = glucose_visit (id, limit, "mg/dL");
  g_autoptr(HpMeasurement) meter = g_list_model_get_item (hp_visit_get_measurements (visit), 0);

  hp_measurement_set_flags (meter, flag);
  return visit;
}

/* A meter's HI and LO leave the kiosk as what they are: beyond the
 * meter's limit, and critical. */
static void
test_glucose_out_of_range (void **state)
{
  g_autoptr(HpVisit) high = out_of_range_visit ("glucose-hi", 600, HP_MEASUREMENT_FLAG_ABOVE_RANGE);
  g_autoptr(HpVisit) low = out_of_range_visit ("glucose-lo", 20, HP_MEASUREMENT_FLAG_BELOW_RANGE);
  g_autoptr(HpVisit) plain = glucose_visit ("glucose-plain", 104, "mg/dL");
  struct {
    HpVisit *visit;
    const char *comparator;
    const char *code;
    double value;
  } cases[] = {
    { high, ">", "HH", 600 },
    { low, "<", "LL", 20 },
    { plain, NULL, "N", 104 },
  };

  (void) state;
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = export_visits (&cases[i].visit, 1);
      g_autoptr(JsonNode) root = parse (text);
      g_autoptr(GPtrArray) resources = bundle_resources (root);
      JsonObject *observation = find_observation (resources, "41653-7");
      JsonObject *quantity = member_object (observation, "valueQuantity");

      assert_quantity (observation, cases[i].value, "mg/dL");
      if (cases[i].comparator == NULL)
        assert_false (json_object_has_member (quantity, "comparator"));
      else
        assert_string_equal (member_string (quantity, "comparator"), cases[i].comparator);
      {
        JsonArray *interpretations = member_array (observation, "interpretation");
        JsonObject *coding;

        assert_int_equal (json_array_get_length (interpretations), 1);
        coding = find_coding (json_array_get_object_element (interpretations, 0), HP_FHIR_INTERPRETATION_SYSTEM);
        assert_non_null (coding);
        assert_string_equal (member_string (coding, "code"), cases[i].code);
      }
    }
}

/* A FHIR decimal's text is its precision: round values are written as
 * plain numbers ("190", never "1.9e+02"). */
static void
test_decimals_plain (void **state)
{
  g_autoptr(HpVisit) visit = new_visit ("round-values", NULL);
  HpMeasurement *bp = add (visit, HP_MEASUREMENT_KIND_BLOOD_PRESSURE, 60, "usb:0590:0028:SN1");
  HpMeasurement *high = add (visit, HP_MEASUREMENT_KIND_BLOOD_PRESSURE, 90, "usb:0590:0028:SN1");
  HpMeasurement *weight = add (visit, HP_MEASUREMENT_KIND_BODY_WEIGHT, 120, "usb:0bda:0001:scale");
  HpMeasurement *sugar = add (visit, HP_MEASUREMENT_KIND_BLOOD_GLUCOSE, 180, "usb:1a79:7410:meter");
  HpMeasurement *fine = add (visit, HP_MEASUREMENT_KIND_BLOOD_GLUCOSE, 240, "usb:1a79:7410:meter");
  g_autofree char *text = NULL;
  static const char * const expected[] = {
    "\"value\":120,", "\"value\":80,", "\"value\":60,", "\"value\":190,", "\"value\":30,",
    "\"value\":110,", "\"value\":200,", "\"value\":5.4,",
  };

  (void) state;
  hp_measurement_set_value (bp, HP_QUANTITY_SYSTOLIC, 120, "mm[Hg]");
  hp_measurement_set_value (bp, HP_QUANTITY_DIASTOLIC, 80, "mm[Hg]");
  hp_measurement_set_value (bp, HP_QUANTITY_PULSE_RATE, 60, "/min");
  hp_measurement_set_value (high, HP_QUANTITY_SYSTOLIC, 190, "mm[Hg]");
  hp_measurement_set_value (high, HP_QUANTITY_DIASTOLIC, 110, "mm[Hg]");
  hp_measurement_set_value (high, HP_QUANTITY_PULSE_RATE, 30, "/min");
  hp_measurement_set_value (weight, HP_QUANTITY_BODY_WEIGHT, 110, "kg");
  hp_measurement_set_value (sugar, HP_QUANTITY_BLOOD_GLUCOSE, 200, "mg/dL");
  hp_measurement_set_value (fine, HP_QUANTITY_BLOOD_GLUCOSE, 5.4, "mmol/L");
  text = export_visits (&visit, 1);
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    if (strstr (text, expected[i]) == NULL)
      fail_msg ("no %s in:\n%s", expected[i], text);
  /* No number in exponent notation ("1.9e+02"); ids may hold "e-". */
  assert_false (g_regex_match_simple (":-?[0-9.]+[eE][-+]?[0-9]", text, 0, 0));
}

/* The answer about eating travels with the reading: the Specimen's
 * collection.fastingStatus, F or NF as answered, NG when not asked. */
static void
test_glucose_fasting_specimen (void **state)
{
  static const struct {
    HpMeasurementFlags flag;
    const char *code;
  } cases[] = {
    { HP_MEASUREMENT_FLAG_FASTING, "F" },
    { HP_MEASUREMENT_FLAG_NOT_FASTING, "NF" },
    { HP_MEASUREMENT_FLAG_NONE, "NG" },
  };

  (void) state;
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HpVisit) visit = glucose_visit ("glucose-fasting", 110, "mg/dL");
      g_autoptr(HpMeasurement) meter = g_list_model_get_item (hp_visit_get_measurements (visit), 0);
      g_autofree char *text = NULL;
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(GPtrArray) resources = NULL;
      JsonObject *observation, *specimen = NULL, *coding;
      JsonArray *entries;
      const char *reference;

      hp_measurement_set_flags (meter, cases[i].flag);
      text = export_visits (&visit, 1);
      root = parse (text);
      resources = bundle_resources (root);
      observation = find_observation (resources, "41653-7");
      reference = member_string (member_object (observation, "specimen"), "reference");
      entries = member_array (json_node_get_object (root), "entry");
      for (guint e = 0; e < json_array_get_length (entries); e++)
        {
          JsonObject *entry = json_array_get_object_element (entries, e);

          if (g_str_equal (member_string (entry, "fullUrl"), reference))
            specimen = member_object (entry, "resource");
        }
      assert_non_null (specimen);
      assert_string_equal (member_string (specimen, "resourceType"), "Specimen");
      coding = find_coding (member_object (member_object (specimen, "collection"), "fastingStatusCodeableConcept"),
                            HP_FHIR_FASTING_SYSTEM);
      assert_non_null (coding);
      assert_string_equal (member_string (coding, "code"), cases[i].code);
      /* 110 fasting is prediabetes (H); after a meal, or not asked, normal. */
      assert_string_equal (member_string (find_coding (json_array_get_object_element (member_array (observation,
                                                                                                     "interpretation"), 0),
                                                       HP_FHIR_INTERPRETATION_SYSTEM), "code"),
                           cases[i].flag == HP_MEASUREMENT_FLAG_FASTING ? "H" : "N");
    }
}

static void
test_height_and_bmi (void **state)
{
  g_autoptr(HpVisit) visit = weight_visit ("height-visit");
  g_autoptr(GOutputStream) stream = memory_stream ();
  g_autoptr(HpFhirWriter) writer = hp_fhir_writer_new (stream, NULL);
  g_autoptr(GDateTime) taken = at (200);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) resources = NULL;
  JsonObject *height, *bmi;

  (void) state;
  assert_ok (hp_fhir_writer_add_visit (writer, visit, NULL, &error), error);
  assert_ok (hp_fhir_writer_add_body_measure (writer, visit, HP_FHIR_BODY_HEIGHT, 1.725, "m",
                                              taken, NULL, &error), error);
  assert_ok (hp_fhir_writer_add_body_measure (writer, visit, HP_FHIR_BODY_MASS_INDEX, 24.4, "kg/m2",
                                              taken, NULL, &error), error);
  assert_false (hp_fhir_writer_add_body_measure (writer, visit, HP_FHIR_BODY_HEIGHT, 68, "ft",
                                                 taken, NULL, &error));
  assert_true (g_error_matches (error, HP_FHIR_ERROR, HP_FHIR_ERROR_UNIT));
  g_clear_error (&error);
  assert_ok (hp_fhir_writer_finish (writer, NULL, &error), error);
  text = stream_text (stream);
  root = parse (text);
  resources = bundle_resources (root);

  assert_int_equal (resources->len, 4);
  height = find_observation (resources, "8302-2");
  assert_category (height, "vital-signs");
  assert_codes (height, "8302-2", NULL);
  assert_quantity (height, 172.5, "cm");
  bmi = find_observation (resources, "39156-5");
  assert_category (bmi, "vital-signs");
  assert_quantity (bmi, 24.4, "kg/m2");
}

/* One Patient per personal code, before its first Observation, referenced
 * by every Observation of its visits; no name, only the code. */
static void
test_patient (void **state)
{
  g_autoptr(HpVisit) first = bp_visit ("visit-a", "K7Q2-M4XP");
  g_autoptr(HpVisit) anonymous = weight_visit ("visit-b");
  g_autoptr(HpVisit) again = glucose_visit ("visit-c", 99, "mg/dL");
  HpVisit *visits[] = { first, anonymous, again };
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) resources = NULL;
  JsonObject *patient, *identifier;
  g_autofree char *patient_url = NULL;

  (void) state;
  hp_visit_set_patient_code (again, "K7Q2-M4XP");
  text = export_visits (visits, 3);
  root = parse (text);
  resources = bundle_resources (root);

  assert_int_equal (count_type (resources, "Patient"), 1);
  patient = g_ptr_array_index (resources, 0);
  assert_string_equal (member_string (patient, "resourceType"), "Patient");
  assert_false (json_object_has_member (patient, "name"));
  assert_int_equal (json_array_get_length (member_array (patient, "identifier")), 1);
  identifier = json_array_get_object_element (member_array (patient, "identifier"), 0);
  assert_string_equal (member_string (identifier, "system"), HP_FHIR_PERSONAL_CODE_SYSTEM);
  assert_string_equal (member_string (identifier, "value"), "K7Q2-M4XP");

  patient_url = g_strconcat ("urn:uuid:", member_string (patient, "id"), NULL);
  assert_string_equal (member_string (member_object (find_observation (resources, "85354-9"), "subject"),
                                      "reference"), patient_url);
  assert_string_equal (member_string (member_object (find_observation (resources, "41653-7"), "subject"),
                                      "reference"), patient_url);
  assert_anonymous (find_observation (resources, "29463-7"));
}

/* The same visit gives the same ids in every export; another visit others. */
static void
test_stable_ids (void **state)
{
  g_autoptr(HpVisit) visit = bp_visit ("stable-visit", "CODE-1");
  g_autoptr(HpVisit) same = bp_visit ("stable-visit", "CODE-1");
  g_autoptr(HpVisit) other = bp_visit ("other-visit", "CODE-1");
  g_autofree char *text_a = export_visits (&visit, 1);
  g_autofree char *text_b = export_visits (&same, 1);
  g_autofree char *text_c = export_visits (&other, 1);
  g_autoptr(JsonNode) root_a = parse (text_a);
  g_autoptr(JsonNode) root_b = parse (text_b);
  g_autoptr(JsonNode) root_c = parse (text_c);
  g_autoptr(GPtrArray) a = bundle_resources (root_a);
  g_autoptr(GPtrArray) b = bundle_resources (root_b);
  g_autoptr(GPtrArray) c = bundle_resources (root_c);

  (void) state;
  assert_int_equal (a->len, 4);
  assert_int_equal (b->len, a->len);
  for (guint i = 0; i < a->len; i++)
    assert_string_equal (member_string (g_ptr_array_index (a, i), "id"),
                         member_string (g_ptr_array_index (b, i), "id"));
  /* Same patient and cuff, same Patient and Device ids; other visit, other
   * Observation ids. */
  for (guint i = 0; i < a->len; i++)
    {
      JsonObject *resource = g_ptr_array_index (a, i);

      if (g_str_equal (member_string (resource, "resourceType"), "Observation"))
        assert_string_not_equal (member_string (resource, "id"),
                                 member_string (g_ptr_array_index (c, i), "id"));
      else
        assert_string_equal (member_string (resource, "id"), member_string (g_ptr_array_index (c, i), "id"));
    }
}

/* One Device for each device in the bundle: an IEEE 11073 agent by its
 * EUI-64, others by maker, model and serial; each Observation refers to
 * its own. */
static void
test_devices (void **state)
{
  g_autoptr(HpVisit) visit = new_visit ("device-visit", NULL);
  HpMeasurement *agent = add (visit, HP_MEASUREMENT_KIND_BODY_WEIGHT, 10, "0102030405060a0b");
  HpMeasurement *meter = add (visit, HP_MEASUREMENT_KIND_BLOOD_GLUCOSE, 20, "contour:7410-ABC");
  HpMeasurement *again = add (visit, HP_MEASUREMENT_KIND_BLOOD_GLUCOSE, 30, "contour:7410-ABC");
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) resources = NULL;
  JsonObject *device, *identifier;

  (void) state;
  hp_measurement_set_value (agent, HP_QUANTITY_BODY_WEIGHT, 70, "kg");
  hp_measurement_set_value (meter, HP_QUANTITY_BLOOD_GLUCOSE, 100, "mg/dL");
  hp_measurement_set_value (again, HP_QUANTITY_BLOOD_GLUCOSE, 101, "mg/dL");
  text = export_visits (&visit, 1);
  root = parse (text);
  resources = bundle_resources (root);
  assert_int_equal (count_type (resources, "Device"), 2);

  device = find_by_url (root, member_string (member_object (find_observation (resources, "29463-7"), "device"),
                                             "reference"));
  identifier = json_array_get_object_element (member_array (device, "identifier"), 0);
  assert_string_equal (member_string (identifier, "system"), HP_FHIR_EUI64_SYSTEM);
  assert_string_equal (member_string (identifier, "value"), "01-02-03-04-05-06-0A-0B");
  assert_codes_of (device, "type", HP_FHIR_MDC_SYSTEM, "528399");

  for (guint i = 0; i < resources->len; i++)
    {
      JsonObject *resource = g_ptr_array_index (resources, i);

      if (!g_str_equal (member_string (resource, "resourceType"), "Observation") ||
          !g_str_equal (loinc_of (resource), "41653-7"))
        continue;
      device = find_by_url (root, member_string (member_object (resource, "device"), "reference"));
      identifier = json_array_get_object_element (member_array (device, "identifier"), 0);
      assert_string_equal (member_string (identifier, "value"), "7410-ABC");
      assert_string_equal (member_string (device, "manufacturer"), "Ascensia Diabetes Care");
      assert_codes_of (identifier, "type", HP_FHIR_IDENTIFIER_TYPE_SYSTEM, "SNO");
      assert_codes_of (device, "type", HP_FHIR_MDC_SYSTEM, "528401");
    }
}

/* Text from a device reaches the JSON escaped, and reads back the same. */
static void
test_strings_escaped (void **state)
{
  static const char device_id[] = "cuff \"7\"\\\n\t\x01 \xc3\xa9";
  g_autoptr(HpVisit) visit = new_visit ("escape-visit", NULL);
  HpMeasurement *weight = add (visit, HP_MEASUREMENT_KIND_BODY_WEIGHT, 10, device_id);
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) resources = NULL;

  (void) state;
  hp_measurement_set_value (weight, HP_QUANTITY_BODY_WEIGHT, 70, "kg");
  text = export_visits (&visit, 1);
  root = parse (text);
  resources = bundle_resources (root);
  {
    JsonObject *device = find_by_url (root, member_string (member_object (find_observation (resources, "29463-7"),
                                                                          "device"), "reference"));

    assert_string_equal (member_string (json_array_get_object_element (member_array (device, "identifier"), 0),
                                        "value"), device_id);
  }
}

static void
assert_visit_refused (HpVisit    *visit,
                      int         code,
                      const char *value_text)
{
  g_autoptr(GOutputStream) stream = memory_stream ();
  g_autoptr(HpFhirWriter) writer = hp_fhir_writer_new (stream, NULL);
  g_autoptr(HpVisit) good = weight_visit ("good-visit");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gsize before;

  assert_ok (hp_fhir_writer_add_visit (writer, good, NULL, &error), error);
  before = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream));
  assert_false (hp_fhir_writer_add_visit (writer, visit, NULL, &error));
  if (!g_error_matches (error, HP_FHIR_ERROR, code))
    fail_msg ("expected FHIR error %d, got: %s", code, error->message);
  assert_non_null (strstr (error->message, hp_visit_get_id (visit)));
  if (value_text != NULL)
    assert_null (strstr (error->message, value_text));
  /* Nothing of the refused visit was written; the bundle still closes. */
  assert_int_equal (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream)), before);
  g_clear_error (&error);
  assert_ok (hp_fhir_writer_finish (writer, NULL, &error), error);
  text = stream_text (stream);
  {
    g_autoptr(JsonNode) root = parse (text);
    g_autoptr(GPtrArray) resources = bundle_resources (root);

    /* The good visit's weight and scale only. */
    assert_int_equal (resources->len, 2);
  }
}

static void
test_bad_values_refused (void **state)
{
  g_autoptr(HpVisit) glucose = glucose_visit ("odd-glucose", 1.04, "g/L");
  g_autoptr(HpVisit) pressure = new_visit ("odd-pressure", NULL);
  g_autoptr(HpVisit) not_a_number = new_visit ("nan-weight", NULL);
  HpMeasurement *bp = add (pressure, HP_MEASUREMENT_KIND_BLOOD_PRESSURE, 10, NULL);
  HpMeasurement *weight = add (not_a_number, HP_MEASUREMENT_KIND_BODY_WEIGHT, 10, NULL);

  (void) state;
  /* A good first reading, so that a half-built visit would show. */
  hp_measurement_set_value (bp, HP_QUANTITY_PULSE_RATE, 61, "/min");
  bp = add (pressure, HP_MEASUREMENT_KIND_BLOOD_PRESSURE, 20, NULL);
  hp_measurement_set_value (bp, HP_QUANTITY_SYSTOLIC, 19.3, "psi");
  hp_measurement_set_value (weight, HP_QUANTITY_BODY_WEIGHT, NAN, "kg");

  assert_visit_refused (glucose, HP_FHIR_ERROR_UNIT, "1.04");
  assert_visit_refused (pressure, HP_FHIR_ERROR_UNIT, "19.3");
  assert_visit_refused (not_a_number, HP_FHIR_ERROR_INVALID, NULL);
}

/* A stream that stops taking bytes fails the export, and the writer then
 * refuses to go on rather than write a bundle with a hole in it. */
static void
test_write_failure (void **state)
{
  static char small[64];
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new (small, sizeof small, NULL, NULL);
  g_autoptr(HpFhirWriter) writer = hp_fhir_writer_new (stream, NULL);
  g_autoptr(HpVisit) visit = bp_visit ("too-big", NULL);
  g_autoptr(GError) error = NULL;

  (void) state;
  assert_false (hp_fhir_writer_add_visit (writer, visit, NULL, &error));
  assert_true (g_error_matches (error, HP_FHIR_ERROR, HP_FHIR_ERROR_WRITE));
  g_clear_error (&error);
  assert_false (hp_fhir_writer_finish (writer, NULL, &error));
  assert_true (g_error_matches (error, HP_FHIR_ERROR, HP_FHIR_ERROR_INVALID));
}

static void
test_empty_bundle (void **state)
{
  g_autofree char *text = export_visits (NULL, 0);
  g_autoptr(JsonNode) root = parse (text);
  g_autoptr(GPtrArray) resources = bundle_resources (root);

  (void) state;
  assert_int_equal (resources->len, 0);
}

static HpVisit *
store_visit (const char *id,
             gint64      started_after_t0,
             const char *patient_code)
{
  g_autoptr(GDateTime) started = at (started_after_t0);
  g_autoptr(GDateTime) finished = at (started_after_t0 + 300);
  HpVisit *visit = hp_visit_new_full (id, started);
  g_autoptr(HpMeasurement) weight = hp_measurement_new (HP_MEASUREMENT_KIND_BODY_WEIGHT);

  hp_measurement_set_value (weight, HP_QUANTITY_BODY_WEIGHT, 60 + started_after_t0 / 86400, "kg");
  hp_measurement_set_kiosk_time (weight, started);
  hp_visit_add_measurement (visit, weight);
  hp_visit_set_finished_at (visit, finished);
  if (patient_code != NULL)
    hp_visit_set_patient_code (visit, patient_code);
  return visit;
}

static GPtrArray *
observation_times (const char *path)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) resources = NULL;
  GPtrArray *times = g_ptr_array_new_with_free_func (g_free);

  assert_true (g_file_get_contents (path, &text, NULL, &error));
  root = parse (text);
  resources = bundle_resources (root);
  for (guint i = 0; i < resources->len; i++)
    if (g_str_equal (member_string (g_ptr_array_index (resources, i), "resourceType"), "Observation"))
      g_ptr_array_add (times, g_strdup (member_string (g_ptr_array_index (resources, i),
                                                       "effectiveDateTime")));
  return times;
}

/* From the store to a file: selected by start time, oldest first, mode 0600,
 * no temporary file left; a failed export leaves the old file as it was. */
static void
test_export_store_to_file (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStore) store = hp_store_open_demo (fixture->path, &error);
  g_autofree char *out = g_build_filename (fixture->dir, "export.json", NULL);
  g_autofree char *tmp = g_strconcat (out, ".tmp", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "absent", "export.json", NULL);
  g_autoptr(GDateTime) since = at (2 * 86400);
  g_autoptr(GPtrArray) times = NULL;
  HpFhirSelection selection = { 0 };
  GStatBuf info;
  guint n = 0;

  assert_non_null (store);
  for (guint day = 0; day < 4; day++)
    {
      g_autofree char *id = g_strdup_printf ("day-%u", day);
      g_autoptr(HpVisit) visit = store_visit (id, day * 86400, day % 2 ? "K7Q2-M4XP" : NULL);

      assert_ok (hp_store_commit_visit (store, visit, &error), error);
    }

  assert_ok (hp_fhir_export_store_to_file (store, NULL, out, HP_FHIR_EXPORT_REPLACE, &n, NULL, &error), error);
  assert_int_equal (n, 4);
  assert_int_equal (g_stat (out, &info), 0);
  assert_int_equal (info.st_mode & 0777, 0600);
  assert_false (g_file_test (tmp, G_FILE_TEST_EXISTS));
  times = observation_times (out);
  assert_int_equal (times->len, 4);
  for (guint i = 1; i < times->len; i++)
    assert_true (strcmp (g_ptr_array_index (times, i - 1), g_ptr_array_index (times, i)) < 0);
  g_clear_pointer (&times, g_ptr_array_unref);

  /* The visits of days 2 and 3, anonymous ones too when asked for. */
  selection.since = since;
  selection.include_anonymous = TRUE;
  assert_ok (hp_fhir_export_store_to_file (store, &selection, out, HP_FHIR_EXPORT_REPLACE, &n, NULL, &error), error);
  assert_int_equal (n, 2);
  times = observation_times (out);
  assert_int_equal (times->len, 2);
  assert_non_null (strstr (g_ptr_array_index (times, 0), "2025-11-23T04:40:00"));
  g_clear_pointer (&times, g_ptr_array_unref);

  /* Unless asked for, a visit without a personal code stays: readings
   * leave for a patient's care, and an anonymous one is no one's. */
  selection.include_anonymous = FALSE;
  assert_ok (hp_fhir_export_store_to_file (store, &selection, out, HP_FHIR_EXPORT_REPLACE, &n, NULL, &error), error);
  assert_int_equal (n, 1);
  times = observation_times (out);
  assert_int_equal (times->len, 1);
  assert_non_null (strstr (g_ptr_array_index (times, 0), "2025-11-24T04:40:00"));
  g_clear_pointer (&times, g_ptr_array_unref);

  /* Personal codes under the system the receiving clinic chose. */
  selection.identifier_system = "https://clinic.example/healthpost-code";
  assert_ok (hp_fhir_export_store_to_file (store, &selection, out, HP_FHIR_EXPORT_REPLACE, &n, NULL, &error), error);
  {
    g_autofree char *text = NULL;

    assert_true (g_file_get_contents (out, &text, NULL, NULL));
    assert_non_null (strstr (text, "\"system\":\"https://clinic.example/healthpost-code\""));
    assert_null (strstr (text, HP_FHIR_PERSONAL_CODE_SYSTEM));
  }
  selection.identifier_system = NULL;

  /* A patient filter keeps exactly the visits the store files under that
   * code, whatever the store keeps of it. */
  selection.since = NULL;
  selection.patient_code = "K7Q2-M4XP";
  {
    g_auto(GStrv) ids = hp_store_list_visit_ids (store, 0, &error);
    guint expected = 0;

    for (guint i = 0; ids[i] != NULL; i++)
      {
        g_autoptr(HpVisit) loaded = hp_store_load_visit (store, ids[i], &error);

        assert_non_null (loaded);
        expected += g_strcmp0 (hp_visit_get_patient_code (loaded), "K7Q2-M4XP") == 0;
      }
    assert_ok (hp_fhir_export_store_to_file (store, &selection, out, HP_FHIR_EXPORT_REPLACE, &n, NULL, &error), error);
    assert_int_equal (n, expected);
  }

  /* An existing file is replaced only when asked to, and a link there is
   * no way around that. */
  {
    g_autofree char *kept = NULL;
    g_autofree char *link = g_build_filename (fixture->dir, "link.json", NULL);
    g_autofree char *target = g_build_filename (fixture->dir, "target.json", NULL);

    assert_true (g_file_set_contents (out, "keep me", -1, NULL));
    assert_false (hp_fhir_export_store_to_file (store, NULL, out, HP_FHIR_EXPORT_NONE, &n, NULL, &error));
    assert_true (g_error_matches (error, HP_FHIR_ERROR, HP_FHIR_ERROR_EXISTS));
    g_clear_error (&error);
    assert_true (g_file_get_contents (out, &kept, NULL, NULL));
    assert_string_equal (kept, "keep me");
    assert_int_equal (symlink (target, link), 0);
    assert_false (hp_fhir_export_store_to_file (store, NULL, link, HP_FHIR_EXPORT_NONE, &n, NULL, &error));
    assert_true (g_error_matches (error, HP_FHIR_ERROR, HP_FHIR_ERROR_EXISTS));
    g_clear_error (&error);
    assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
    g_unlink (link);
  }

  assert_false (hp_fhir_export_store_to_file (store, NULL, missing, HP_FHIR_EXPORT_REPLACE, &n, NULL, &error));
  assert_true (g_error_matches (error, HP_FHIR_ERROR, HP_FHIR_ERROR_WRITE));
  assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
}

/* ---- bundles for the schema validation ---------------------------------- */

static gboolean
write_bundle (const char  *dir,
              const char  *name,
              const char  *text,
              GError     **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return g_file_set_contents (path, text, -1, error);
}

/* Replaces the first @from in @text by @to; the result must differ. */
static char *
break_bundle (const char *text,
              const char *from,
              const char *to)
{
  const char *at_from = strstr (text, from);
  GString *broken = g_string_new (NULL);

  g_assert (at_from != NULL);
  g_string_append_len (broken, text, at_from - text);
  g_string_append (broken, to);
  g_string_append (broken, at_from + strlen (from));
  return g_string_free (broken, FALSE);
}

/* @text with the first resource that has @member lacking it: still valid
 * against the schema, which has no rule that says a value must be there. */
static char *
drop_first_member (const char *text,
                   const char *member)
{
  g_autoptr(JsonNode) root = json_from_string (text, NULL);
  JsonArray *entries;
  JsonObject *resource;

  g_assert (root != NULL);
  entries = json_object_get_array_member (json_node_get_object (root), "entry");
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      resource = json_object_get_object_member (json_array_get_object_element (entries, i), "resource");
      if (json_object_has_member (resource, member))
        {
          json_object_remove_member (resource, member);
          return json_to_string (root, FALSE);
        }
    }
  g_assert_not_reached ();
}

static int
write_bundles (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpVisit) bp = bp_visit ("bp-visit", NULL);
  g_autoptr(HpVisit) bp_patient = bp_visit ("bp-patient-visit", "K7Q2-M4XP");
  g_autoptr(HpVisit) weight = weight_visit ("weight-visit");
  g_autoptr(HpVisit) mass = glucose_visit ("glucose-mass", 104, "mg/dL");
  g_autoptr(HpVisit) moles = glucose_visit ("glucose-moles", 5.4, "mmol/L");
  g_autoptr(HpVisit) high = out_of_range_visit ("glucose-hi", 600, HP_MEASUREMENT_FLAG_ABOVE_RANGE);
  g_autoptr(HpVisit) low = out_of_range_visit ("glucose-lo", 20, HP_MEASUREMENT_FLAG_BELOW_RANGE);
  HpVisit *out_of_range[] = { high, low };
  g_autofree char *out_of_range_text = export_visits (out_of_range, 2);
  g_autoptr(HpVisit) everything = hp_store_fixture_sample_visit ("sample-visit", 1763700000123);
  g_autofree char *bp_text = export_visits (&bp, 1);
  g_autofree char *bp_patient_text = export_visits (&bp_patient, 1);
  g_autofree char *weight_text = export_visits (&weight, 1);
  g_autofree char *mass_text = export_visits (&mass, 1);
  g_autofree char *moles_text = export_visits (&moles, 1);
  g_autofree char *height_text = NULL;
  g_autofree char *everything_text = NULL;
  g_autofree char *broken_dir = g_build_filename (dir, "broken", NULL);

  /* The store's sample uses device spellings the export cannot code. */
  {
    g_autoptr(HpVisit) converted = hp_visit_new_full ("sample-visit", hp_visit_get_started_at (everything));
    GListModel *list = hp_visit_get_measurements (everything);

    hp_visit_set_patient_code (converted, "K7Q2-M4XP");
    for (guint i = 0; i < g_list_model_get_n_items (list); i++)
      {
        g_autoptr(HpMeasurement) m = g_list_model_get_item (list, i);
        HpMeasurement *copy = add (converted, hp_measurement_get_kind (m), 60 + i, hp_measurement_get_device_id (m));

        for (guint q = 0; q <= HP_QUANTITY_LAST; q++)
          {
            double value;
            const char *unit;

            if (!hp_measurement_get_value (m, q, &value, &unit))
              continue;
            if (g_str_equal (unit, "mmHg"))
              unit = "mm[Hg]";
            else if (g_str_equal (unit, "bpm"))
              unit = "/min";
            hp_measurement_set_value (copy, q, value, unit);
          }
      }
    everything_text = export_visits (&converted, 1);
  }
  {
    g_autoptr(GOutputStream) stream = memory_stream ();
    g_autoptr(HpFhirWriter) writer = hp_fhir_writer_new (stream, NULL);
    g_autoptr(HpVisit) visit = weight_visit ("height-visit");
    g_autoptr(GDateTime) taken = at (200);

    hp_visit_set_patient_code (visit, "H31G-HT00");
    if (!hp_fhir_writer_add_visit (writer, visit, NULL, &error)
        || !hp_fhir_writer_add_body_measure (writer, visit, HP_FHIR_BODY_HEIGHT, 172.5, "cm", taken, NULL, &error)
        || !hp_fhir_writer_add_body_measure (writer, visit, HP_FHIR_BODY_MASS_INDEX, 24.4, "kg/m2", taken, NULL, &error)
        || !hp_fhir_writer_finish (writer, NULL, &error))
      {
        g_printerr ("%s\n", error->message);
        return 1;
      }
    height_text = stream_text (stream);
  }

  if (g_mkdir_with_parents (broken_dir, 0700) != 0)
    {
      g_printerr ("cannot create %s\n", broken_dir);
      return 1;
    }
  {
    g_autofree char *bad_status = break_bundle (bp_text, "\"status\":\"final\"", "\"status\":\"done\"");
    g_autofree char *bad_type = break_bundle (weight_text, "\"type\":\"collection\"", "\"type\":\"pile\"");
    g_autofree char *bad_value = break_bundle (mass_text, "\"value\":104", "\"value\":\"104\"");
    g_autofree char *bad_member = break_bundle (moles_text, "\"effectiveDateTime\"", "\"effectiveTime\"");
    g_autofree char *bad_date = break_bundle (height_text, "\"effectiveDateTime\":\"2025-11-21T",
                                              "\"effectiveDateTime\":\"2025-11-21 ");
    /* Schema-valid, but a vital sign with no value breaks vs-2. */
    g_autofree char *no_value = drop_first_member (weight_text, "valueQuantity");

    if (!write_bundle (dir, "bp-pulse-anonymous.json", bp_text, &error)
        || !write_bundle (dir, "bp-pulse-patient.json", bp_patient_text, &error)
        || !write_bundle (dir, "weight.json", weight_text, &error)
        || !write_bundle (dir, "glucose-mg-dl.json", mass_text, &error)
        || !write_bundle (dir, "glucose-mmol-l.json", moles_text, &error)
        || !write_bundle (dir, "glucose-hi-lo.json", out_of_range_text, &error)
        || !write_bundle (dir, "height-bmi.json", height_text, &error)
        || !write_bundle (dir, "sample-visit.json", everything_text, &error)
        || !write_bundle (broken_dir, "status-not-in-value-set.json", bad_status, &error)
        || !write_bundle (broken_dir, "bundle-type-unknown.json", bad_type, &error)
        || !write_bundle (broken_dir, "value-as-string.json", bad_value, &error)
        || !write_bundle (broken_dir, "unknown-member.json", bad_member, &error)
        || !write_bundle (broken_dir, "date-time-with-space.json", bad_date, &error)
        || !write_bundle (broken_dir, "vital-sign-without-value.json", no_value, &error))
      {
        g_printerr ("%s\n", error->message);
        return 1;
      }
  }
  return 0;
}

/* A demo store at @path holding a visit of every kind, for
 * healthpost-ctl export to write as the validation's last bundle: what the
 * real command writes is checked, not only what the writer's tests build. */
static int
write_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStore) store = hp_store_open_demo (path, &error);
  g_autoptr(HpVisit) everything = NULL;
  g_autoptr(HpVisit) anonymous = NULL;

  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  everything = store_visit ("cli-visit", 0, "K7Q2-M4XP");
  {
    /* Pressure with its pulse, a fasting blood sugar, and a height for
     * the weight's BMI. */
    HpMeasurement *bp = add (everything, HP_MEASUREMENT_KIND_BLOOD_PRESSURE, 60, "usb:0590:0028:SN1");
    HpMeasurement *sugar = NULL;

    hp_measurement_set_value (bp, HP_QUANTITY_SYSTOLIC, 142, "mm[Hg]");
    hp_measurement_set_value (bp, HP_QUANTITY_DIASTOLIC, 91, "mm[Hg]");
    hp_measurement_set_value (bp, HP_QUANTITY_PULSE_RATE, 77, "/min");
    hp_visit_set_fasting (everything, HP_FASTING_YES);
    sugar = add (everything, HP_MEASUREMENT_KIND_BLOOD_GLUCOSE, 120, "usb:1a79:7410:meter");
    hp_measurement_set_value (sugar, HP_QUANTITY_BLOOD_GLUCOSE, 131, "mg/dL");
    g_assert (hp_visit_set_height_cm (everything, 172));
  }
  anonymous = store_visit ("cli-anonymous-visit", 86400, NULL);
  if (!hp_store_commit_visit (store, everything, &error) || !hp_store_commit_visit (store, anonymous, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  return 0;
}

int
main (int    argc,
      char **argv)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_blood_pressure_and_pulse),
    cmocka_unit_test (test_units_converted),
    cmocka_unit_test (test_weight),
    cmocka_unit_test (test_glucose_by_unit),
    cmocka_unit_test (test_glucose_out_of_range),
    cmocka_unit_test (test_glucose_fasting_specimen),
    cmocka_unit_test (test_decimals_plain),
    cmocka_unit_test (test_profiles_interpretation_and_times),
    cmocka_unit_test (test_height_and_bmi),
    cmocka_unit_test (test_patient),
    cmocka_unit_test (test_stable_ids),
    cmocka_unit_test (test_devices),
    cmocka_unit_test (test_strings_escaped),
    cmocka_unit_test (test_bad_values_refused),
    cmocka_unit_test (test_write_failure),
    cmocka_unit_test (test_empty_bundle),
    cmocka_unit_test_setup_teardown (test_export_store_to_file, hp_store_fixture_setup, hp_store_fixture_teardown),
  };

  if (argc == 3 && g_str_equal (argv[1], "--write-bundles"))
    return write_bundles (argv[2]);
  if (argc == 3 && g_str_equal (argv[1], "--write-store"))
    return write_store (argv[2]);
  return cmocka_run_group_tests (tests, NULL, NULL);
}
