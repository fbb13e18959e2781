/* The visit's readings as JSON for the clinician's console: each number as the patient saw it, its codes, units and category, and nothing that says who the patient is. */
#include "hp-call-vitals.h"

#include <json-glib/json-glib.h>
#include <math.h>

/* What the console is told about each quantity. The LOINC codes and UCUM
 * units are the FHIR export's (data/hp-fhir-codes.c), which keeps its
 * table to itself; test-call-vitals holds the two together by exporting
 * the same visit. */
typedef enum {
  PART_SYSTOLIC,
  PART_DIASTOLIC,
  PART_MEAN_ARTERIAL,
  PART_PULSE_RATE,
  PART_BODY_WEIGHT,
  PART_BODY_HEIGHT,
  PART_BODY_MASS_INDEX,
  PART_BLOOD_GLUCOSE,
} Part;

#define PART_LAST PART_BLOOD_GLUCOSE

typedef struct {
  const char *name;
  const char *loinc;
  const char *ucum;
  const char *display_unit;
  guint       decimals;
} PartInfo;

static const PartInfo parts[] = {
  [PART_SYSTOLIC] = { "systolic", "8480-6", "mm[Hg]", "mmHg", 0 },
  [PART_DIASTOLIC] = { "diastolic", "8462-4", "mm[Hg]", "mmHg", 0 },
  [PART_MEAN_ARTERIAL] = { "mean-arterial", "8478-0", "mm[Hg]", "mmHg", 0 },
  [PART_PULSE_RATE] = { "pulse-rate", "8867-4", "/min", "beats per minute", 0 },
  /* Scales show a tenth of a kilogram, the summary a whole centimetre. */
  [PART_BODY_WEIGHT] = { "body-weight", "29463-7", "kg", "kg", 1 },
  [PART_BODY_HEIGHT] = { "body-height", "8302-2", "cm", "cm", 0 },
  [PART_BODY_MASS_INDEX] = { "body-mass-index", "39156-5", "kg/m2", "kg/m²", 1 },
  /* The kiosk shows glucose in mg/dL, whatever the meter's unit. */
  [PART_BLOOD_GLUCOSE] = { "blood-glucose", "41653-7", "mg/dL", "mg/dL", 0 },
};

G_STATIC_ASSERT (G_N_ELEMENTS (parts) == PART_LAST + 1);

#define LOINC_BLOOD_PRESSURE_PANEL "85354-9"
#define LOINC_GLUCOSE_MOLES "14743-9"

/* One number of a reading, ready to be written. */
typedef struct {
  Part        part;
  double      shown;         /* as the patient saw it, in the part's unit */
  const char *device_unit;   /* "measured": the device's own unit, or NULL */
  double      device_value;
  const char *out_of_range;  /* "above", "below" or NULL */
} Shown;

/* Everything one reading sends, gathered before any of it is written. */
typedef struct {
  guint             index;
  HpMeasurementKind kind;
  char             *time;
  Shown             values[3];
  guint             n_values;
  gboolean          has_meaning;
  HpInterpretation  meaning;
  gboolean          has_pulse;
  Shown             pulse;
  HpInterpretation  pulse_meaning;
  gboolean          has_bmi;
  Shown             bmi;
  Shown             height;
  gboolean          has_fasting;
  HpFasting         fasting;
  gboolean          under_18;
} ShownReading;

static void
shown_reading_clear (ShownReading *reading)
{
  g_clear_pointer (&reading->time, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ShownReading, shown_reading_clear)

static const char *
kind_loinc (HpMeasurementKind kind)
{
  switch (kind)
    {
    case HP_MEASUREMENT_KIND_BLOOD_PRESSURE:
      return LOINC_BLOOD_PRESSURE_PANEL;
    case HP_MEASUREMENT_KIND_BODY_WEIGHT:
      return parts[PART_BODY_WEIGHT].loinc;
    case HP_MEASUREMENT_KIND_BLOOD_GLUCOSE:
      return parts[PART_BLOOD_GLUCOSE].loinc;
    }
  g_return_val_if_reached (NULL);
}

/* Category codes are the console's, spelled here rather than taken from
 * the enum's registered nicks, so that renaming a value in data/ cannot
 * change what the console reads. */
static const char *
category_code (HpCategory category)
{
  switch (category)
    {
    case HP_CATEGORY_BP_LOW:
      return "bp-low";
    case HP_CATEGORY_BP_NORMAL:
      return "bp-normal";
    case HP_CATEGORY_BP_ELEVATED:
      return "bp-elevated";
    case HP_CATEGORY_BP_STAGE_1:
      return "bp-stage-1";
    case HP_CATEGORY_BP_STAGE_2:
      return "bp-stage-2";
    case HP_CATEGORY_BP_CRISIS:
      return "bp-crisis";
    case HP_CATEGORY_PULSE_LOW:
      return "pulse-low";
    case HP_CATEGORY_PULSE_NORMAL:
      return "pulse-normal";
    case HP_CATEGORY_PULSE_HIGH:
      return "pulse-high";
    case HP_CATEGORY_BMI_UNDERWEIGHT:
      return "bmi-underweight";
    case HP_CATEGORY_BMI_HEALTHY:
      return "bmi-healthy";
    case HP_CATEGORY_BMI_OVERWEIGHT:
      return "bmi-overweight";
    case HP_CATEGORY_BMI_OBESITY:
      return "bmi-obesity";
    case HP_CATEGORY_GLUCOSE_LOW:
      return "glucose-low";
    case HP_CATEGORY_GLUCOSE_NORMAL:
      return "glucose-normal";
    case HP_CATEGORY_GLUCOSE_PREDIABETES:
      return "glucose-prediabetes";
    case HP_CATEGORY_GLUCOSE_DIABETES:
      return "glucose-diabetes";
    case HP_CATEGORY_GLUCOSE_VERY_HIGH:
      return "glucose-very-high";
    }
  g_return_val_if_reached (NULL);
}

static const char *
urgency_code (HpUrgency urgency)
{
  switch (urgency)
    {
    case HP_URGENCY_NONE:
      return "none";
    case HP_URGENCY_CHECK:
      return "check";
    case HP_URGENCY_SEE_DOCTOR:
      return "see-doctor";
    case HP_URGENCY_TELL_STAFF_NOW:
      return "tell-staff-now";
    case HP_URGENCY_SEEK_CARE_NOW:
      return "seek-care-now";
    }
  g_return_val_if_reached (NULL);
}

static const char *
fasting_code (HpFasting fasting)
{
  switch (fasting)
    {
    case HP_FASTING_YES:
      return "yes";
    case HP_FASTING_NO:
      return "no";
    case HP_FASTING_UNKNOWN:
      return "unknown";
    }
  g_return_val_if_reached (NULL);
}

/* @time in UTC to the second, as JavaScript's Date reads it; %NULL when
 * it has no UTC form. */
static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  return utc != NULL ? g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

/* @value rounded to @decimals decimals as printf rounds it, which is how
 * hp_local_format_decimal() writes it for the patient. */
static double
round_as_shown (double value,
                guint  decimals)
{
  /* Wide enough for any finite double in plain notation. */
  char buffer[512];

  g_ascii_formatd (buffer, sizeof buffer, decimals == 0 ? "%.0f" : "%.1f", value);
  return g_ascii_strtod (buffer, NULL);
}

/* The value of @quantity in its canonical unit; FALSE when it is absent,
 * in a unit the kiosk cannot convert, or not a finite number. */
static gboolean
read_value (HpMeasurement *measurement,
            HpQuantity     quantity,
            double        *value)
{
  return hp_measurement_get_normalized_value (measurement, quantity, value) && isfinite (*value);
}

/* The number the device sent for @quantity, when it differs from
 * @canonical because the device used another unit. */
static void
note_device_value (Shown         *shown,
                   HpMeasurement *measurement,
                   HpQuantity     quantity,
                   double         canonical)
{
  const char *unit = NULL;
  double value = 0;

  if (hp_measurement_get_value (measurement, quantity, &value, &unit) &&
      isfinite (value) && value != canonical)
    {
      shown->device_unit = unit;
      shown->device_value = value;
    }
}

static gboolean
gather_values (HpVisit       *visit,
               HpMeasurement *measurement,
               ShownReading  *reading)
{
  double first = 0, second = 0;
  HpScale scale;

  switch (reading->kind)
    {
    case HP_MEASUREMENT_KIND_BLOOD_PRESSURE:
      if (!read_value (measurement, HP_QUANTITY_SYSTOLIC, &first) ||
          !read_value (measurement, HP_QUANTITY_DIASTOLIC, &second))
        return FALSE;
      reading->values[0] = (Shown) { PART_SYSTOLIC, hp_interpret_shown_value (HP_SCALE_SYSTOLIC, first) };
      note_device_value (&reading->values[0], measurement, HP_QUANTITY_SYSTOLIC, first);
      reading->values[1] = (Shown) { PART_DIASTOLIC, hp_interpret_shown_value (HP_SCALE_DIASTOLIC, second) };
      note_device_value (&reading->values[1], measurement, HP_QUANTITY_DIASTOLIC, second);
      reading->n_values = 2;
      if (read_value (measurement, HP_QUANTITY_MEAN_ARTERIAL, &first))
        {
          reading->values[2] = (Shown) { PART_MEAN_ARTERIAL, round_as_shown (first, 0) };
          note_device_value (&reading->values[2], measurement, HP_QUANTITY_MEAN_ARTERIAL, first);
          reading->n_values = 3;
        }
      return TRUE;
    case HP_MEASUREMENT_KIND_BODY_WEIGHT:
      if (!read_value (measurement, HP_QUANTITY_BODY_WEIGHT, &first))
        return FALSE;
      reading->values[0] = (Shown) { PART_BODY_WEIGHT, round_as_shown (first, parts[PART_BODY_WEIGHT].decimals) };
      note_device_value (&reading->values[0], measurement, HP_QUANTITY_BODY_WEIGHT, first);
      reading->n_values = 1;
      return TRUE;
    case HP_MEASUREMENT_KIND_BLOOD_GLUCOSE:
      if (!read_value (measurement, HP_QUANTITY_BLOOD_GLUCOSE, &first))
        return FALSE;
      reading->has_fasting = TRUE;
      reading->fasting = hp_visit_get_measurement_fasting (visit, measurement);
      /* The scale hp_visit_format_value() rounds on: not knowing is not
       * fasting. */
      scale = reading->fasting == HP_FASTING_YES ? HP_SCALE_GLUCOSE_FASTING : HP_SCALE_GLUCOSE_NOT_FASTING;
      reading->values[0] = (Shown) { PART_BLOOD_GLUCOSE, hp_interpret_shown_value (scale, first) };
      note_device_value (&reading->values[0], measurement, HP_QUANTITY_BLOOD_GLUCOSE, first);
      if (hp_measurement_get_flags (measurement) & HP_MEASUREMENT_FLAG_ABOVE_RANGE)
        reading->values[0].out_of_range = "above";
      else if (hp_measurement_get_flags (measurement) & HP_MEASUREMENT_FLAG_BELOW_RANGE)
        reading->values[0].out_of_range = "below";
      reading->n_values = 1;
      return TRUE;
    }
  g_return_val_if_reached (FALSE);
}

/* Reads what the reading at @index of @visit sends; FALSE when it is left
 * out. */
static gboolean
gather_reading (HpVisit       *visit,
                HpMeasurement *measurement,
                guint          index,
                ShownReading  *reading)
{
  GDateTime *taken_at;
  double bmi = 0, pulse = 0;

  reading->index = index;
  reading->kind = hp_measurement_get_kind (measurement);
  if (!gather_values (visit, measurement, reading))
    return FALSE;

  /* The device's clock says when it was measured, when that clock was
   * right; the FHIR export's effectiveDateTime is the same. */
  taken_at = hp_measurement_get_kiosk_time (measurement);
  if (hp_measurement_get_device_time (measurement) != NULL &&
      !(hp_measurement_get_flags (measurement) & HP_MEASUREMENT_FLAG_DEVICE_CLOCK_INVALID))
    taken_at = hp_measurement_get_device_time (measurement);
  reading->time = format_time (taken_at);
  if (reading->time == NULL)
    return FALSE;

  reading->has_meaning = hp_visit_interpret (visit, measurement, &bmi, &reading->meaning);
  if (reading->has_meaning && reading->kind == HP_MEASUREMENT_KIND_BODY_WEIGHT && isfinite (bmi))
    {
      reading->has_bmi = TRUE;
      reading->bmi = (Shown) { PART_BODY_MASS_INDEX, hp_interpret_shown_value (HP_SCALE_BMI, bmi) };
      reading->height = (Shown) { PART_BODY_HEIGHT, round_as_shown (hp_visit_get_height_cm (visit),
                                                                    parts[PART_BODY_HEIGHT].decimals) };
    }
  if (hp_visit_get_pulse (visit, measurement, &pulse) &&
      hp_visit_interpret_pulse (visit, measurement, &reading->pulse_meaning))
    {
      reading->has_pulse = TRUE;
      reading->pulse = (Shown) { PART_PULSE_RATE, pulse };
    }
  reading->under_18 = (hp_measurement_get_flags (measurement) & HP_MEASUREMENT_FLAG_UNDER_18) != 0;
  return TRUE;
}

/* json-glib writes every double with 17 digits, and a whole one as
 * "128.0": a whole number goes as an integer, "128". @value is finite. */
static void
add_number (JsonBuilder *builder,
            const char  *member,
            double       value)
{
  g_return_if_fail (isfinite (value));

  json_builder_set_member_name (builder, member);
  if (value == floor (value) && fabs (value) <= (double) HP_CALL_VITALS_SEQ_MAX)
    json_builder_add_int_value (builder, (gint64) value);
  else
    json_builder_add_double_value (builder, value);
}

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

static void
add_category (JsonBuilder            *builder,
              const HpInterpretation *meaning)
{
  const char *code = category_code (meaning->category);
  const char *urgency = urgency_code (meaning->urgency);

  if (code == NULL || urgency == NULL)
    return;
  json_builder_set_member_name (builder, "category");
  json_builder_begin_object (builder);
  add_string (builder, "code", code);
  /* The English source text: the console's language, not the patient's. */
  add_string (builder, "title", meaning->title);
  add_string (builder, "urgency", urgency);
  json_builder_end_object (builder);
}

/* The members of a quantity, into the object being built. */
static void
add_quantity_members (JsonBuilder *builder,
                      const Shown *shown)
{
  const PartInfo *info = &parts[shown->part];

  add_string (builder, "name", info->name);
  add_string (builder, "loinc", info->loinc);
  add_number (builder, "value", shown->shown);
  add_number (builder, "decimals", info->decimals);
  add_string (builder, "unit", info->ucum);
  add_string (builder, "display_unit", info->display_unit);
  if (shown->out_of_range != NULL)
    add_string (builder, "out_of_range", shown->out_of_range);
  if (shown->device_unit != NULL)
    {
      g_autofree char *unit = g_utf8_make_valid (shown->device_unit, -1);

      json_builder_set_member_name (builder, "measured");
      json_builder_begin_object (builder);
      add_number (builder, "value", shown->device_value);
      add_string (builder, "unit", unit);
      if (shown->part == PART_BLOOD_GLUCOSE && g_str_equal (shown->device_unit, "mmol/L"))
        add_string (builder, "loinc", LOINC_GLUCOSE_MOLES);
      json_builder_end_object (builder);
    }
}

static void
add_reading (JsonBuilder        *builder,
             const ShownReading *reading)
{
  json_builder_begin_object (builder);
  add_number (builder, "index", reading->index);
  add_string (builder, "kind", hp_measurement_kind_to_string (reading->kind));
  add_string (builder, "loinc", kind_loinc (reading->kind));
  add_string (builder, "time", reading->time);

  json_builder_set_member_name (builder, "values");
  json_builder_begin_array (builder);
  for (guint i = 0; i < reading->n_values; i++)
    {
      json_builder_begin_object (builder);
      add_quantity_members (builder, &reading->values[i]);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (reading->has_meaning)
    add_category (builder, &reading->meaning);
  if (reading->has_pulse)
    {
      json_builder_set_member_name (builder, "pulse");
      json_builder_begin_object (builder);
      add_quantity_members (builder, &reading->pulse);
      add_category (builder, &reading->pulse_meaning);
      json_builder_end_object (builder);
    }
  if (reading->has_bmi)
    {
      json_builder_set_member_name (builder, "bmi");
      json_builder_begin_object (builder);
      add_quantity_members (builder, &reading->bmi);
      json_builder_set_member_name (builder, "height");
      json_builder_begin_object (builder);
      add_quantity_members (builder, &reading->height);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  if (reading->has_fasting)
    add_string (builder, "fasting", fasting_code (reading->fasting));
  if (reading->under_18)
    {
      json_builder_set_member_name (builder, "under_18");
      json_builder_add_boolean_value (builder, TRUE);
    }
  json_builder_end_object (builder);
}

/* Opens the message object and writes its envelope. */
static void
begin_message (JsonBuilder *builder,
               const char  *type,
               gint64       sequence)
{
  json_builder_begin_object (builder);
  add_string (builder, "type", type);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, HP_CALL_VITALS_VERSION);
  json_builder_set_member_name (builder, "seq");
  json_builder_add_int_value (builder, sequence);
}

static char *
finish_message (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

char *
hp_call_vitals_message (HpVisit       *visit,
                        HpMeasurement *measurement,
                        gint64         sequence)
{
  g_auto(ShownReading) reading = { 0 };
  g_autoptr(JsonBuilder) builder = NULL;
  GListModel *measurements;
  guint index, n;

  g_return_val_if_fail (HP_IS_VISIT (visit), NULL);
  g_return_val_if_fail (HP_IS_MEASUREMENT (measurement), NULL);
  g_return_val_if_fail (sequence >= 0 && sequence <= HP_CALL_VITALS_SEQ_MAX, NULL);

  /* Its place in the visit is its index, and what its pulse is read with. */
  measurements = hp_visit_get_measurements (visit);
  n = g_list_model_get_n_items (measurements);
  for (index = 0; index < n; index++)
    {
      g_autoptr(HpMeasurement) item = g_list_model_get_item (measurements, index);

      if (item == measurement)
        break;
    }
  g_return_val_if_fail (index < n, NULL);

  if (!gather_reading (visit, measurement, index, &reading))
    return NULL;
  builder = json_builder_new ();
  begin_message (builder, HP_CALL_VITALS_TYPE_READING, sequence);
  json_builder_set_member_name (builder, "reading");
  add_reading (builder, &reading);
  return finish_message (builder);
}

char *
hp_call_vitals_summary (HpVisit *visit,
                        gint64   sequence)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *started = NULL;
  g_autofree char *language = NULL;
  GListModel *measurements;

  g_return_val_if_fail (HP_IS_VISIT (visit), NULL);
  g_return_val_if_fail (sequence >= 0 && sequence <= HP_CALL_VITALS_SEQ_MAX, NULL);

  builder = json_builder_new ();
  begin_message (builder, HP_CALL_VITALS_TYPE_SUMMARY, sequence);
  json_builder_set_member_name (builder, "visit");
  json_builder_begin_object (builder);
  started = format_time (hp_visit_get_started_at (visit));
  if (started != NULL)
    add_string (builder, "started", started);
  language = g_utf8_make_valid (hp_visit_get_language (visit), -1);
  add_string (builder, "patient_language", language);
  switch (hp_visit_get_age_group (visit))
    {
    case HP_AGE_GROUP_ADULT:
      add_string (builder, "age_group", "adult");
      break;
    case HP_AGE_GROUP_CHILD:
      add_string (builder, "age_group", "child");
      break;
    case HP_AGE_GROUP_UNKNOWN:
    default:
      break;
    }

  json_builder_set_member_name (builder, "readings");
  json_builder_begin_array (builder);
  measurements = hp_visit_get_measurements (visit);
  for (guint i = 0; i < g_list_model_get_n_items (measurements); i++)
    {
      g_autoptr(HpMeasurement) measurement = g_list_model_get_item (measurements, i);
      g_auto(ShownReading) reading = { 0 };

      if (gather_reading (visit, measurement, i, &reading))
        add_reading (builder, &reading);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return finish_message (builder);
}
