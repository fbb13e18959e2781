/* Tests of the vitals messages a call sends to the clinician's console: every field read back with json-glib, numbers as the patient saw them, codes as the FHIR export's, and nothing that says who the patient is. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "hp-call-vitals.h"
#include "hp-fhir.h"

#define T0 1763700000 /* 2025-11-21 04:40:00 UTC */

#define PATIENT_CODE "481-2297-5532"
#define CUFF_ID "usb:0590:0028:SN12345"
#define CUFF_SERIAL "SN12345"
#define METER_ID "001C05FFFE004D2A"

/* ---- fixtures ----------------------------------------------------------- */

static GDateTime *
at (gint64 seconds_after_t0)
{
  return g_date_time_new_from_unix_utc (T0 + seconds_after_t0);
}

static HpVisit *
new_visit (void)
{
  g_autoptr(GDateTime) started = at (0);

  return hp_visit_new_full ("6f1c2f4e-96a5-4b53-9a43-0d7d5b1f2c11", started);
}

/* A measurement of @kind received at T0 + @received, added to @visit,
 * which holds it. */
static HpMeasurement *
add (HpVisit           *visit,
     HpMeasurementKind  kind,
     gint64             received,
     const char        *device_id)
{
  g_autoptr(GDateTime) kiosk_time = at (received);
  g_autoptr(HpMeasurement) measurement = hp_measurement_new (kind);

  hp_measurement_set_kiosk_time (measurement, kiosk_time);
  hp_measurement_set_device_id (measurement, device_id);
  hp_visit_add_measurement (visit, measurement);
  return measurement;
}

static HpMeasurement *
add_pressure (HpVisit *visit,
              gint64   received,
              double   systolic,
              double   diastolic,
              double   pulse)
{
  HpMeasurement *bp = add (visit, HP_MEASUREMENT_KIND_BLOOD_PRESSURE, received, CUFF_ID);

  hp_measurement_set_value (bp, HP_QUANTITY_SYSTOLIC, systolic, "mm[Hg]");
  hp_measurement_set_value (bp, HP_QUANTITY_DIASTOLIC, diastolic, "mm[Hg]");
  if (pulse != 0)
    hp_measurement_set_value (bp, HP_QUANTITY_PULSE_RATE, pulse, "/min");
  return bp;
}

static HpMeasurement *
add_glucose (HpVisit    *visit,
             gint64      received,
             double      value,
             const char *unit)
{
  HpMeasurement *meter = add (visit, HP_MEASUREMENT_KIND_BLOOD_GLUCOSE, received, METER_ID);

  hp_measurement_set_value (meter, HP_QUANTITY_BLOOD_GLUCOSE, value, unit);
  return meter;
}

static HpMeasurement *
add_weight (HpVisit    *visit,
            gint64      received,
            double      value,
            const char *unit)
{
  HpMeasurement *scale = add (visit, HP_MEASUREMENT_KIND_BODY_WEIGHT, received, "usb:0bda:0001:scale");

  hp_measurement_set_value (scale, HP_QUANTITY_BODY_WEIGHT, value, unit);
  return scale;
}

/* ---- reading messages back ---------------------------------------------- */

/* Fails unless @text is UTF-8 JSON whose only bare words are true, false
 * and null (and exponents): json-glib would write a NaN as "nan", which no
 * JSON reader takes. */
static void
assert_plain_json (const char *text)
{
  gboolean in_string = FALSE;

  assert_non_null (text);
  assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p++)
    {
      if (in_string)
        {
          if (*p == '\\')
            p++;
          else if (*p == '"')
            in_string = FALSE;
          continue;
        }
      if (*p == '"')
        in_string = TRUE;
      else if (g_ascii_isalpha (*p))
        {
          if ((*p == 'e' || *p == 'E') && p > text && g_ascii_isdigit (p[-1]))
            continue;
          if (g_str_has_prefix (p, "true"))
            p += 3;
          else if (g_str_has_prefix (p, "false"))
            p += 4;
          else if (g_str_has_prefix (p, "null"))
            p += 3;
          else
            fail_msg ("a bare word in the message: %.20s", p);
        }
    }
  assert_false (in_string);
}

/* Every number under @node is finite. */
static void
assert_numbers_finite (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        g_autoptr(GList) members = json_object_get_values (json_node_get_object (node));

        for (GList *l = members; l != NULL; l = l->next)
          assert_numbers_finite (l->data);
      }
      break;
    case JSON_NODE_ARRAY:
      {
        g_autoptr(GList) elements = json_array_get_elements (json_node_get_array (node));

        for (GList *l = elements; l != NULL; l = l->next)
          assert_numbers_finite (l->data);
      }
      break;
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        assert_true (isfinite (json_node_get_double (node)));
      break;
    case JSON_NODE_NULL:
      fail_msg ("null in a message");
      break;
    default:
      fail ();
    }
}

/* Fails unless @object has exactly the members named, NULL-terminated. */
static void
assert_members (JsonObject *object,
                ...)
{
  g_autoptr(GList) members = json_object_get_members (object);
  guint n_expected = 0;
  const char *name;
  va_list args;

  va_start (args, object);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      if (!json_object_has_member (object, name))
        fail_msg ("member \"%s\" missing", name);
      n_expected++;
    }
  va_end (args);
  if (g_list_length (members) != n_expected)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (GList *l = members; l != NULL; l = l->next)
        g_string_append_printf (names, " %s", (char *) l->data);
      fail_msg ("members%s, expected %u", names->str, n_expected);
    }
}

/* The root object of @text, a message of @type numbered @seq. */
static JsonNode *
parse_message (const char *text,
               const char *type,
               gint64      seq)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *message;
  JsonNode *root;

  assert_plain_json (text);
  if (!json_parser_load_from_data (parser, text, -1, &error))
    fail_msg ("not JSON: %s", error->message);
  root = json_node_copy (json_parser_get_root (parser));
  assert_int_equal (json_node_get_node_type (root), JSON_NODE_OBJECT);
  assert_numbers_finite (root);
  message = json_node_get_object (root);
  assert_string_equal (json_object_get_string_member (message, "type"), type);
  assert_int_equal (json_node_get_value_type (json_object_get_member (message, "version")), G_TYPE_INT64);
  assert_int_equal (json_object_get_int_member (message, "version"), 1);
  assert_int_equal (json_object_get_int_member (message, "seq"), seq);
  if (g_str_equal (type, HP_CALL_VITALS_TYPE_READING))
    assert_members (message, "type", "version", "seq", "reading", NULL);
  else
    assert_members (message, "type", "version", "seq", "visit", NULL);
  return root;
}

/* The reading of a reading message for @measurement of @visit. */
static JsonNode *
reading_of (HpVisit       *visit,
            HpMeasurement *measurement,
            gint64         seq)
{
  g_autofree char *text = hp_call_vitals_message (visit, measurement, seq);
  g_autoptr(JsonNode) root = NULL;

  if (text == NULL)
    fail_msg ("no message for a reading that has one");
  root = parse_message (text, HP_CALL_VITALS_TYPE_READING, seq);
  return json_node_copy (json_object_get_member (json_node_get_object (root), "reading"));
}

static void
assert_number (JsonObject *object,
               const char *member,
               double      expected)
{
  double value = json_object_get_double_member (object, member);

  if (value != expected)
    fail_msg ("%s is %.17g, expected %.17g", member, value, expected);
}

/* A quantity's members: the six every quantity has, and @extra (NULL or
 * one more member's name: "category", "height", "measured",
 * "out_of_range"). */
static void
assert_quantity (JsonObject *quantity,
                 const char *name,
                 const char *loinc,
                 double      value,
                 gint64      decimals,
                 const char *unit,
                 const char *display_unit,
                 const char *extra)
{
  assert_members (quantity, "name", "loinc", "value", "decimals", "unit", "display_unit", extra, NULL);
  assert_string_equal (json_object_get_string_member (quantity, "name"), name);
  assert_string_equal (json_object_get_string_member (quantity, "loinc"), loinc);
  assert_number (quantity, "value", value);
  assert_int_equal (json_node_get_value_type (json_object_get_member (quantity, "decimals")), G_TYPE_INT64);
  assert_int_equal (json_object_get_int_member (quantity, "decimals"), decimals);
  assert_string_equal (json_object_get_string_member (quantity, "unit"), unit);
  assert_string_equal (json_object_get_string_member (quantity, "display_unit"), display_unit);
}

static void
assert_category (JsonObject *owner,
                 const char *code,
                 const char *title,
                 const char *urgency)
{
  JsonObject *category = json_object_get_object_member (owner, "category");

  assert_non_null (category);
  assert_members (category, "code", "title", "urgency", NULL);
  assert_string_equal (json_object_get_string_member (category, "code"), code);
  assert_string_equal (json_object_get_string_member (category, "title"), title);
  assert_string_equal (json_object_get_string_member (category, "urgency"), urgency);
}

static JsonObject *
value_at (JsonObject *reading,
          guint       i)
{
  return json_array_get_object_element (json_object_get_array_member (reading, "values"), i);
}

/* The number as hp_visit_format_value() shows it to the patient, here in
 * the C locale's writing. */
static void
assert_shown_as (HpVisit       *visit,
                 HpMeasurement *measurement,
                 const char    *expected)
{
  const char *unit = NULL;
  g_autofree char *shown = hp_visit_format_value (visit, measurement, &unit);

  assert_non_null (shown);
  assert_string_equal (shown, expected);
}

/* ---- the cases ---------------------------------------------------------- */

/* A crisis reading with an extreme pulse, then a reading just below the
 * crisis boundary whose pulse confirms the first. */
static void
test_blood_pressure_crisis_with_pulse (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpVisit) visit = new_visit ();
  g_autoptr(GDateTime) device_time = at (55);
  HpMeasurement *crisis, *second;
  g_autoptr(JsonNode) first_node = NULL;
  g_autoptr(JsonNode) second_node = NULL;
  JsonObject *reading, *pulse;

  hp_visit_set_age_group (visit, HP_AGE_GROUP_ADULT);
  /* 180.4 is above 180, a crisis: shown as 181, not as 180. */
  crisis = add_pressure (visit, 60, 180.4, 119.6, 151);
  hp_measurement_set_value (crisis, HP_QUANTITY_MEAN_ARTERIAL, 139.8, "mm[Hg]");
  hp_measurement_set_device_time (crisis, device_time);
  /* 179.6 is stage 2, shown as 180; its clock is wrong, so the kiosk's
   * time stands. */
  second = add_pressure (visit, 300, 179.6, 95.2, 152);
  hp_measurement_set_device_time (second, device_time);
  hp_measurement_set_flags (second, HP_MEASUREMENT_FLAG_DEVICE_CLOCK_INVALID);

  first_node = reading_of (visit, crisis, 7);
  reading = json_node_get_object (first_node);
  assert_members (reading, "index", "kind", "loinc", "time", "values", "category", "pulse", NULL);
  assert_int_equal (json_object_get_int_member (reading, "index"), 0);
  assert_string_equal (json_object_get_string_member (reading, "kind"), "blood-pressure");
  assert_string_equal (json_object_get_string_member (reading, "loinc"), "85354-9");
  assert_string_equal (json_object_get_string_member (reading, "time"), "2025-11-21T04:40:55Z");
  assert_int_equal (json_array_get_length (json_object_get_array_member (reading, "values")), 3);
  assert_quantity (value_at (reading, 0), "systolic", "8480-6", 181, 0, "mm[Hg]", "mmHg", NULL);
  assert_quantity (value_at (reading, 1), "diastolic", "8462-4", 120, 0, "mm[Hg]", "mmHg", NULL);
  assert_quantity (value_at (reading, 2), "mean-arterial", "8478-0", 140, 0, "mm[Hg]", "mmHg", NULL);
  assert_shown_as (visit, crisis, "181/120");
  assert_category (reading, "bp-crisis", "Very high blood pressure", "seek-care-now");
  pulse = json_object_get_object_member (reading, "pulse");
  assert_quantity (pulse, "pulse-rate", "8867-4", 151, 0, "/min", "beats per minute", "category");
  assert_category (pulse, "pulse-high", "Extremely fast pulse", "tell-staff-now");

  second_node = reading_of (visit, second, 8);
  reading = json_node_get_object (second_node);
  assert_members (reading, "index", "kind", "loinc", "time", "values", "category", "pulse", NULL);
  assert_int_equal (json_object_get_int_member (reading, "index"), 1);
  assert_string_equal (json_object_get_string_member (reading, "time"), "2025-11-21T04:45:00Z");
  assert_int_equal (json_array_get_length (json_object_get_array_member (reading, "values")), 2);
  assert_quantity (value_at (reading, 0), "systolic", "8480-6", 180, 0, "mm[Hg]", "mmHg", NULL);
  assert_quantity (value_at (reading, 1), "diastolic", "8462-4", 95, 0, "mm[Hg]", "mmHg", NULL);
  assert_shown_as (visit, second, "180/95");
  assert_category (reading, "bp-stage-2", "High blood pressure (stage 2)", "see-doctor");
  pulse = json_object_get_object_member (reading, "pulse");
  assert_quantity (pulse, "pulse-rate", "8867-4", 152, 0, "/min", "beats per minute", "category");
  assert_category (pulse, "pulse-high", "Extremely fast pulse, measured twice", "seek-care-now");
}

/* A cuff in kPa: the numbers the patient saw in mm[Hg], and the cuff's. */
static void
test_pressure_in_kilopascals (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpVisit) visit = new_visit ();
  HpMeasurement *bp = add (visit, HP_MEASUREMENT_KIND_BLOOD_PRESSURE, 60, CUFF_ID);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *reading, *measured;

  /* 16.0 kPa is 120.01 mm[Hg], 10.6 kPa 79.507. */
  hp_measurement_set_value (bp, HP_QUANTITY_SYSTOLIC, 16.0, "kPa");
  hp_measurement_set_value (bp, HP_QUANTITY_DIASTOLIC, 10.6, "kPa");
  node = reading_of (visit, bp, 1);
  reading = json_node_get_object (node);
  assert_members (reading, "index", "kind", "loinc", "time", "values", "category", NULL);
  assert_quantity (value_at (reading, 0), "systolic", "8480-6", 120, 0, "mm[Hg]", "mmHg", "measured");
  measured = json_object_get_object_member (value_at (reading, 0), "measured");
  assert_members (measured, "value", "unit", NULL);
  assert_number (measured, "value", 16.0);
  assert_string_equal (json_object_get_string_member (measured, "unit"), "kPa");
  /* 79.507 rounds to 80, stage 1, but is normal: shown as 79. */
  assert_quantity (value_at (reading, 1), "diastolic", "8462-4", 79, 0, "mm[Hg]", "mmHg", "measured");
  assert_shown_as (visit, bp, "120/79");
  assert_category (reading, "bp-elevated", "Blood pressure a little high (elevated)", "check");
}

/* A weight with the height the patient entered, on both sides of the
 * BMI's boundary at 25. */
static void
test_weight_with_height (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpVisit) visit = new_visit ();
  HpMeasurement *below, *above;
  g_autoptr(JsonNode) below_node = NULL;
  g_autoptr(JsonNode) above_node = NULL;
  JsonObject *reading, *bmi;

  assert_true (hp_visit_set_height_cm (visit, 175));
  /* 76.55 kg at 175 cm is a BMI of 24.996, healthy: 25.0 would say
   * overweight, so it is shown as 24.9. */
  below = add_weight (visit, 60, 76.55, "kg");
  above = add_weight (visit, 120, 76.6, "kg");

  below_node = reading_of (visit, below, 2);
  reading = json_node_get_object (below_node);
  assert_members (reading, "index", "kind", "loinc", "time", "values", "category", "bmi", NULL);
  assert_string_equal (json_object_get_string_member (reading, "kind"), "body-weight");
  assert_string_equal (json_object_get_string_member (reading, "loinc"), "29463-7");
  assert_string_equal (json_object_get_string_member (reading, "time"), "2025-11-21T04:41:00Z");
  assert_int_equal (json_array_get_length (json_object_get_array_member (reading, "values")), 1);
  /* 76.55 is held as 76.5499…: 76.5 on the screen. */
  assert_quantity (value_at (reading, 0), "body-weight", "29463-7", 76.5, 1, "kg", "kg", NULL);
  assert_shown_as (visit, below, "76.5");
  assert_category (reading, "bmi-healthy", "Healthy weight", "none");
  bmi = json_object_get_object_member (reading, "bmi");
  assert_quantity (bmi, "body-mass-index", "39156-5", 24.9, 1, "kg/m2", "kg/m²", "height");
  assert_quantity (json_object_get_object_member (bmi, "height"), "body-height", "8302-2", 175, 0, "cm", "cm", NULL);

  above_node = reading_of (visit, above, 3);
  reading = json_node_get_object (above_node);
  assert_int_equal (json_object_get_int_member (reading, "index"), 1);
  assert_quantity (value_at (reading, 0), "body-weight", "29463-7", 76.6, 1, "kg", "kg", NULL);
  assert_shown_as (visit, above, "76.6");
  assert_category (reading, "bmi-overweight", "Overweight", "check");
  assert_quantity (json_object_get_object_member (reading, "bmi"), "body-mass-index", "39156-5", 25.0, 1,
                   "kg/m2", "kg/m²", "height");
}

/* A weight without a height means nothing the kiosk says: no category. A
 * scale in pounds: the kilograms the patient saw, and the pounds. */
static void
test_weight_without_category (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpVisit) visit = new_visit ();
  HpMeasurement *weight = add_weight (visit, 60, 160, "[lb_av]");
  g_autoptr(JsonNode) node = reading_of (visit, weight, 4);
  JsonObject *reading = json_node_get_object (node);
  JsonObject *measured;

  assert_members (reading, "index", "kind", "loinc", "time", "values", NULL);
  /* 160 lb is 72.5747792 kg. */
  assert_quantity (value_at (reading, 0), "body-weight", "29463-7", 72.6, 1, "kg", "kg", "measured");
  assert_shown_as (visit, weight, "72.6");
  measured = json_object_get_object_member (value_at (reading, 0), "measured");
  assert_members (measured, "value", "unit", NULL);
  assert_number (measured, "value", 160);
  assert_string_equal (json_object_get_string_member (measured, "unit"), "[lb_av]");
}

/* Fasting glucose in mg/dL on both sides of 100, where prediabetes
 * begins. */
static void
test_fasting_glucose_mass (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpVisit) visit = new_visit ();
  HpMeasurement *normal, *raised;
  g_autoptr(JsonNode) normal_node = NULL;
  g_autoptr(JsonNode) raised_node = NULL;
  JsonObject *reading;

  hp_visit_set_fasting (visit, HP_FASTING_YES);
  normal = add_glucose (visit, 60, 99.6, "mg/dL");
  raised = add_glucose (visit, 120, 100.2, "mg/dL");

  normal_node = reading_of (visit, normal, 5);
  reading = json_node_get_object (normal_node);
  assert_members (reading, "index", "kind", "loinc", "time", "values", "category", "fasting", NULL);
  assert_string_equal (json_object_get_string_member (reading, "kind"), "blood-glucose");
  assert_string_equal (json_object_get_string_member (reading, "loinc"), "41653-7");
  assert_int_equal (json_array_get_length (json_object_get_array_member (reading, "values")), 1);
  /* 99.6 is below 100, normal: 100 would say prediabetes. */
  assert_quantity (value_at (reading, 0), "blood-glucose", "41653-7", 99, 0, "mg/dL", "mg/dL", NULL);
  assert_shown_as (visit, normal, "99");
  assert_category (reading, "glucose-normal", "Normal blood sugar", "none");
  assert_string_equal (json_object_get_string_member (reading, "fasting"), "yes");

  raised_node = reading_of (visit, raised, 6);
  reading = json_node_get_object (raised_node);
  assert_quantity (value_at (reading, 0), "blood-glucose", "41653-7", 100, 0, "mg/dL", "mg/dL", NULL);
  assert_shown_as (visit, raised, "100");
  assert_category (reading, "glucose-prediabetes", "Blood sugar a little high (prediabetes range)", "check");
  assert_string_equal (json_object_get_string_member (reading, "fasting"), "yes");
}

/* A meter in mmol/L: the mg/dL the kiosk showed, and the meter's own
 * number with its LOINC code. */
static void
test_fasting_glucose_moles (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpVisit) visit = new_visit ();
  HpMeasurement *fasting, *unasked;
  g_autoptr(JsonNode) fasting_node = NULL;
  g_autoptr(JsonNode) unasked_node = NULL;
  JsonObject *reading, *measured;

  hp_visit_set_fasting (visit, HP_FASTING_YES);
  /* 5.55 mmol/L is 99.989 mg/dL: normal, and shown as 99. */
  fasting = add_glucose (visit, 60, 5.55, "mmol/L");
  hp_visit_set_fasting (visit, HP_FASTING_UNKNOWN);
  /* 7.8 mmol/L is 140.52 mg/dL: when not asked, higher than expected. */
  unasked = add_glucose (visit, 120, 7.8, "mmol/L");

  fasting_node = reading_of (visit, fasting, 9);
  reading = json_node_get_object (fasting_node);
  assert_members (reading, "index", "kind", "loinc", "time", "values", "category", "fasting", NULL);
  assert_string_equal (json_object_get_string_member (reading, "loinc"), "41653-7");
  assert_quantity (value_at (reading, 0), "blood-glucose", "41653-7", 99, 0, "mg/dL", "mg/dL", "measured");
  assert_shown_as (visit, fasting, "99");
  measured = json_object_get_object_member (value_at (reading, 0), "measured");
  assert_members (measured, "value", "unit", "loinc", NULL);
  assert_number (measured, "value", 5.55);
  assert_string_equal (json_object_get_string_member (measured, "unit"), "mmol/L");
  assert_string_equal (json_object_get_string_member (measured, "loinc"), "14743-9");
  assert_category (reading, "glucose-normal", "Normal blood sugar", "none");
  assert_string_equal (json_object_get_string_member (reading, "fasting"), "yes");

  unasked_node = reading_of (visit, unasked, 10);
  reading = json_node_get_object (unasked_node);
  assert_quantity (value_at (reading, 0), "blood-glucose", "41653-7", 141, 0, "mg/dL", "mg/dL", "measured");
  assert_shown_as (visit, unasked, "141");
  assert_category (reading, "glucose-prediabetes", "Blood sugar higher than expected", "check");
  assert_string_equal (json_object_get_string_member (reading, "fasting"), "unknown");
}

/* A meter's HI: its limit, and that the true value is above it. */
static void
test_glucose_above_range (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpVisit) visit = new_visit ();
  HpMeasurement *meter;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *reading;

  hp_visit_set_fasting (visit, HP_FASTING_NO);
  meter = add_glucose (visit, 60, 600, "mg/dL");
  hp_measurement_set_flags (meter, hp_measurement_get_flags (meter) | HP_MEASUREMENT_FLAG_ABOVE_RANGE);
  node = reading_of (visit, meter, 11);
  reading = json_node_get_object (node);
  assert_quantity (value_at (reading, 0), "blood-glucose", "41653-7", 600, 0, "mg/dL", "mg/dL", "out_of_range");
  assert_string_equal (json_object_get_string_member (value_at (reading, 0), "out_of_range"), "above");
  assert_shown_as (visit, meter, "HI");
  assert_category (reading, "glucose-very-high", "Blood sugar too high for the meter to measure (HI)",
                   "seek-care-now");
  assert_string_equal (json_object_get_string_member (reading, "fasting"), "no");
}

/* A child's reading says so, with the words the child was shown. */
static void
test_child_reading (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpVisit) visit = new_visit ();
  HpMeasurement *bp;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *summary = NULL;
  g_autoptr(JsonNode) summary_node = NULL;
  JsonObject *reading, *summary_visit;

  hp_visit_set_age_group (visit, HP_AGE_GROUP_CHILD);
  bp = add_pressure (visit, 60, 132, 84, 88);
  node = reading_of (visit, bp, 1);
  reading = json_node_get_object (node);
  assert_members (reading, "index", "kind", "loinc", "time", "values", "category", "pulse", "under_18", NULL);
  assert_true (json_object_get_boolean_member (reading, "under_18"));
  assert_category (reading, "bp-stage-1", "Numbers for a child", "check");
  assert_category (json_object_get_object_member (reading, "pulse"), "pulse-normal", "Numbers for a child", "check");

  summary = hp_call_vitals_summary (visit, 0);
  summary_node = parse_message (summary, HP_CALL_VITALS_TYPE_SUMMARY, 0);
  summary_visit = json_object_get_object_member (json_node_get_object (summary_node), "visit");
  assert_string_equal (json_object_get_string_member (summary_visit, "age_group"), "child");
}

/* The summary holds the visit so far in the order taken, each reading as
 * its own message says it; a reading with nothing to show is skipped,
 * and the others keep their index. */
static void
test_summary (void **state G_GNUC_UNUSED)
{
  static const char * const kinds[] = { "blood-pressure", "body-weight", "blood-glucose", "blood-pressure" };
  static const gint64 indexes[] = { 0, 1, 2, 4 };
  g_autoptr(HpVisit) visit = new_visit ();
  HpMeasurement *taken[5];
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *summary_visit;
  JsonArray *readings;

  hp_visit_set_language (visit, "fr");
  hp_visit_set_age_group (visit, HP_AGE_GROUP_ADULT);
  assert_true (hp_visit_set_height_cm (visit, 168));
  taken[0] = add_pressure (visit, 60, 128, 82, 72);
  taken[1] = add_weight (visit, 120, 64.3, "kg");
  hp_visit_set_fasting (visit, HP_FASTING_NO);
  taken[2] = add_glucose (visit, 180, 105, "mg/dL");
  taken[3] = add_pressure (visit, 240, NAN, 80, 70);
  taken[4] = add_pressure (visit, 300, 124, 79, 70);

  text = hp_call_vitals_summary (visit, 0);
  root = parse_message (text, HP_CALL_VITALS_TYPE_SUMMARY, 0);
  summary_visit = json_object_get_object_member (json_node_get_object (root), "visit");
  assert_members (summary_visit, "started", "patient_language", "age_group", "readings", NULL);
  assert_string_equal (json_object_get_string_member (summary_visit, "started"), "2025-11-21T04:40:00Z");
  assert_string_equal (json_object_get_string_member (summary_visit, "patient_language"), "fr");
  assert_string_equal (json_object_get_string_member (summary_visit, "age_group"), "adult");
  readings = json_object_get_array_member (summary_visit, "readings");
  assert_int_equal (json_array_get_length (readings), G_N_ELEMENTS (indexes));
  for (guint i = 0; i < G_N_ELEMENTS (indexes); i++)
    {
      JsonNode *in_summary = json_array_get_element (readings, i);
      JsonObject *reading = json_node_get_object (in_summary);
      g_autoptr(JsonNode) alone = reading_of (visit, taken[indexes[i]], 1 + i);

      assert_int_equal (json_object_get_int_member (reading, "index"), indexes[i]);
      assert_string_equal (json_object_get_string_member (reading, "kind"), kinds[i]);
      assert_true (json_node_equal (in_summary, alone));
    }
  assert_null (hp_call_vitals_message (visit, taken[3], 9));
}

/* A visit just begun: no readings yet, no age group asked. */
static void
test_summary_empty (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpVisit) visit = new_visit ();
  g_autofree char *text = hp_call_vitals_summary (visit, HP_CALL_VITALS_SEQ_MAX);
  g_autoptr(JsonNode) root = parse_message (text, HP_CALL_VITALS_TYPE_SUMMARY, HP_CALL_VITALS_SEQ_MAX);
  JsonObject *summary_visit = json_object_get_object_member (json_node_get_object (root), "visit");

  assert_members (summary_visit, "started", "patient_language", "readings", NULL);
  assert_string_equal (json_object_get_string_member (summary_visit, "patient_language"), "en");
  assert_int_equal (json_array_get_length (json_object_get_array_member (summary_visit, "readings")), 0);
}

/* Fails if @text holds @secret, or its digits without the grouping. */
static void
assert_not_in (const char *text,
               const char *secret)
{
  g_autoptr(GString) digits = g_string_new (NULL);

  if (strstr (text, secret) != NULL)
    fail_msg ("\"%s\" is in a message", secret);
  for (const char *p = secret; *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  if (digits->len >= 6 && strstr (text, digits->str) != NULL)
    fail_msg ("the digits of \"%s\" are in a message", secret);
}

/* Neither the personal code nor any device's id or serial leaves the
 * kiosk in a call, nor the visit's id, which names its stored record. */
static void
test_no_personal_data (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpVisit) visit = new_visit ();
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  GListModel *measurements;
  HpMeasurement *bp;

  hp_visit_set_patient_code (visit, PATIENT_CODE);
  hp_visit_set_age_group (visit, HP_AGE_GROUP_ADULT);
  assert_true (hp_visit_set_height_cm (visit, 181));
  bp = add_pressure (visit, 60, 141, 92, 66);
  hp_measurement_set_value (bp, HP_QUANTITY_MEAN_ARTERIAL, 108, "mm[Hg]");
  add_weight (visit, 120, 88.1, "kg");
  add_glucose (visit, 180, 6.1, "mmol/L");

  measurements = hp_visit_get_measurements (visit);
  for (guint i = 0; i < g_list_model_get_n_items (measurements); i++)
    {
      g_autoptr(HpMeasurement) measurement = g_list_model_get_item (measurements, i);

      g_ptr_array_add (texts, hp_call_vitals_message (visit, measurement, 1 + i));
    }
  g_ptr_array_add (texts, hp_call_vitals_summary (visit, 0));
  for (guint i = 0; i < texts->len; i++)
    {
      const char *text = g_ptr_array_index (texts, i);

      assert_non_null (text);
      assert_not_in (text, PATIENT_CODE);
      assert_not_in (text, CUFF_ID);
      assert_not_in (text, CUFF_SERIAL);
      assert_not_in (text, METER_ID);
      assert_not_in (text, "usb:0bda:0001:scale");
      assert_not_in (text, hp_visit_get_id (visit));
    }
}

/* A reading whose main value is not a number is left out; a pulse or mean
 * pressure that is not one is left out of its reading. */
static void
test_not_a_number (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpVisit) visit = new_visit ();
  HpMeasurement *no_systolic, *bad_parts, *no_weight, *no_glucose, *bad_lb, *odd_unit;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *summary = NULL;
  g_autoptr(JsonNode) summary_node = NULL;
  JsonObject *reading;
  JsonArray *readings;

  assert_true (hp_visit_set_height_cm (visit, 170));
  no_systolic = add_pressure (visit, 60, NAN, 80, 70);
  bad_parts = add_pressure (visit, 120, 118, 76, INFINITY);
  hp_measurement_set_value (bad_parts, HP_QUANTITY_MEAN_ARTERIAL, NAN, "mm[Hg]");
  no_weight = add_weight (visit, 180, INFINITY, "kg");
  no_glucose = add_glucose (visit, 240, NAN, "mmol/L");
  bad_lb = add_weight (visit, 300, -INFINITY, "[lb_av]");
  odd_unit = add_weight (visit, 360, 11.5, "stone");

  assert_null (hp_call_vitals_message (visit, no_systolic, 1));
  assert_null (hp_call_vitals_message (visit, no_weight, 2));
  assert_null (hp_call_vitals_message (visit, no_glucose, 3));
  assert_null (hp_call_vitals_message (visit, bad_lb, 4));
  assert_null (hp_call_vitals_message (visit, odd_unit, 5));

  node = reading_of (visit, bad_parts, 6);
  reading = json_node_get_object (node);
  assert_members (reading, "index", "kind", "loinc", "time", "values", "category", NULL);
  assert_int_equal (json_array_get_length (json_object_get_array_member (reading, "values")), 2);
  assert_category (reading, "bp-normal", "Normal blood pressure", "none");

  summary = hp_call_vitals_summary (visit, 0);
  summary_node = parse_message (summary, HP_CALL_VITALS_TYPE_SUMMARY, 0);
  readings = json_object_get_array_member (json_object_get_object_member (json_node_get_object (summary_node),
                                                                          "visit"), "readings");
  assert_int_equal (json_array_get_length (readings), 1);
  assert_int_equal (json_object_get_int_member (json_array_get_object_element (readings, 0), "index"), 1);
}

/* The text is UTF-8 whatever a language code holds, and says kg/m² as
 * such. */
static void
test_utf8 (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpVisit) visit = new_visit ();
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *language;

  hp_visit_set_language (visit, "fr\xff\xfe");
  assert_true (hp_visit_set_height_cm (visit, 160));
  add_weight (visit, 60, 55.2, "kg");
  text = hp_call_vitals_summary (visit, 3);
  root = parse_message (text, HP_CALL_VITALS_TYPE_SUMMARY, 3);
  language = json_object_get_string_member (json_object_get_object_member (json_node_get_object (root), "visit"),
                                            "patient_language");
  assert_true (g_str_has_prefix (language, "fr"));
  assert_true (g_utf8_validate (language, -1, NULL));
  assert_non_null (strstr (text, "\"kg/m²\""));
}

/* Collects, from a FHIR bundle's Observations, each LOINC code with the
 * UCUM code of its value ("" for a panel). */
static void
collect_fhir_codes (JsonObject *coded,
                    GHashTable *codes)
{
  JsonArray *coding = json_object_get_array_member (json_object_get_object_member (coded, "code"), "coding");
  const char *ucum = "";

  if (json_object_has_member (coded, "valueQuantity"))
    ucum = json_object_get_string_member (json_object_get_object_member (coded, "valueQuantity"), "code");
  for (guint i = 0; i < json_array_get_length (coding); i++)
    {
      JsonObject *one = json_array_get_object_element (coding, i);

      if (g_str_equal (json_object_get_string_member (one, "system"), HP_FHIR_LOINC_SYSTEM))
        g_hash_table_insert (codes, g_strdup (json_object_get_string_member (one, "code")), g_strdup (ucum));
    }
  if (json_object_has_member (coded, "component"))
    {
      JsonArray *components = json_object_get_array_member (coded, "component");

      for (guint i = 0; i < json_array_get_length (components); i++)
        collect_fhir_codes (json_array_get_object_element (components, i), codes);
    }
}

static void
assert_coded_as_fhir (JsonObject *quantity,
                      GHashTable *codes)
{
  const char *loinc = json_object_get_string_member (quantity, "loinc");
  const char *ucum = g_hash_table_lookup (codes, loinc);

  if (ucum == NULL)
    fail_msg ("LOINC %s is not in the FHIR export", loinc);
  assert_string_equal (json_object_get_string_member (quantity, "unit"), ucum);
  if (json_object_has_member (quantity, "measured"))
    {
      JsonObject *measured = json_object_get_object_member (quantity, "measured");

      if (json_object_has_member (measured, "loinc"))
        assert_coded_as_fhir (measured, codes);
    }
}

/* The console and the FHIR export name each reading with the same LOINC
 * codes and UCUM units. */
static void
test_codes_match_fhir_export (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpVisit) visit = new_visit ();
  g_autoptr(GDateTime) finished = at (900);
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(HpFhirWriter) writer = hp_fhir_writer_new (stream, finished);
  g_autoptr(GHashTable) codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *bundle = NULL;
  g_autofree char *summary = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *entries, *readings;
  HpMeasurement *bp;

  assert_true (hp_visit_set_height_cm (visit, 172));
  bp = add_pressure (visit, 60, 133, 85, 77);
  hp_measurement_set_value (bp, HP_QUANTITY_MEAN_ARTERIAL, 101, "mm[Hg]");
  add_weight (visit, 120, 70.4, "kg");
  add_glucose (visit, 180, 112, "mg/dL");
  add_glucose (visit, 240, 6.3, "mmol/L");
  hp_visit_set_finished_at (visit, finished);

  assert_true (hp_fhir_writer_add_visit (writer, visit, NULL, &error));
  assert_true (hp_fhir_writer_finish (writer, NULL, &error));
  bundle = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream)),
                      g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream)));
  assert_true (json_parser_load_from_data (parser, bundle, -1, &error));
  entries = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "entry");
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *resource = json_object_get_object_member (json_array_get_object_element (entries, i), "resource");

      if (g_str_equal (json_object_get_string_member (resource, "resourceType"), "Observation"))
        collect_fhir_codes (resource, codes);
    }

  summary = hp_call_vitals_summary (visit, 0);
  root = parse_message (summary, HP_CALL_VITALS_TYPE_SUMMARY, 0);
  readings = json_object_get_array_member (json_object_get_object_member (json_node_get_object (root), "visit"),
                                           "readings");
  assert_int_equal (json_array_get_length (readings), 4);
  for (guint i = 0; i < json_array_get_length (readings); i++)
    {
      JsonObject *reading = json_array_get_object_element (readings, i);
      JsonArray *values = json_object_get_array_member (reading, "values");

      assert_true (g_hash_table_contains (codes, json_object_get_string_member (reading, "loinc")));
      for (guint j = 0; j < json_array_get_length (values); j++)
        assert_coded_as_fhir (json_array_get_object_element (values, j), codes);
      if (json_object_has_member (reading, "pulse"))
        assert_coded_as_fhir (json_object_get_object_member (reading, "pulse"), codes);
      if (json_object_has_member (reading, "bmi"))
        {
          JsonObject *bmi = json_object_get_object_member (reading, "bmi");

          assert_coded_as_fhir (bmi, codes);
          assert_coded_as_fhir (json_object_get_object_member (bmi, "height"), codes);
        }
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_blood_pressure_crisis_with_pulse),
    cmocka_unit_test (test_pressure_in_kilopascals),
    cmocka_unit_test (test_weight_with_height),
    cmocka_unit_test (test_weight_without_category),
    cmocka_unit_test (test_fasting_glucose_mass),
    cmocka_unit_test (test_fasting_glucose_moles),
    cmocka_unit_test (test_glucose_above_range),
    cmocka_unit_test (test_child_reading),
    cmocka_unit_test (test_summary),
    cmocka_unit_test (test_summary_empty),
    cmocka_unit_test (test_no_personal_data),
    cmocka_unit_test (test_not_a_number),
    cmocka_unit_test (test_utf8),
    cmocka_unit_test (test_codes_match_fhir_export),
  };

  return cmocka_run_group_tests_name ("call-vitals", tests, NULL, NULL);
}
