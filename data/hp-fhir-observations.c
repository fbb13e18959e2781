/* FHIR Observations of a visit's readings: each value read in its UCUM unit, the kiosk's interpretation of it, and every Observation a measurement adds. */
#include "hp-fhir.h"
#include "hp-fhir-private.h"

#include <math.h>

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

JsonNode *
hp_fhir_build_observation (const ObservationContext *context,
                           Concept                   concept,
                           guint32                   mdc_code,
                           const Reading            *components,
                           guint                     n_components,
                           const Reading            *value,
                           char                    **full_url)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *uuid = hp_fhir_name_based_uuid (context->id_name);
  g_autofree char *effective = hp_fhir_format_time (context->taken_at);
  const ConceptInfo *info = &hp_fhir_concepts[concept];

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
    hp_fhir_add_coding (builder, HP_FHIR_CATEGORY_SYSTEM, "laboratory", "Laboratory");
  else
    hp_fhir_add_coding (builder, HP_FHIR_CATEGORY_SYSTEM, "vital-signs", "Vital Signs");
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);

  hp_fhir_add_code (builder, concept, mdc_code);

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
      g_autofree char *issued = hp_fhir_format_time (context->issued);

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
    hp_fhir_add_value_quantity (builder, value->concept, value->value, value->comparator,
                                value->ucum, value->unit);
  if (context->interpretation != NULL)
    {
      json_builder_set_member_name (builder, "interpretation");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "coding");
      json_builder_begin_array (builder);
      hp_fhir_add_coding (builder, HP_FHIR_INTERPRETATION_SYSTEM, context->interpretation,
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
          hp_fhir_add_code (builder, components[i].concept, components[i].mdc_code);
          hp_fhir_add_value_quantity (builder, components[i].concept, components[i].value,
                                      components[i].comparator, components[i].ucum, components[i].unit);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  *full_url = g_strconcat ("urn:uuid:", uuid, NULL);
  return json_builder_get_root (builder);
}

void
hp_fhir_entry_list_init (EntryList *list)
{
  list->resources = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  list->urls = g_ptr_array_new_with_free_func (g_free);
}

void
hp_fhir_entry_list_clear (EntryList *list)
{
  g_clear_pointer (&list->resources, g_ptr_array_unref);
  g_clear_pointer (&list->urls, g_ptr_array_unref);
}

void
hp_fhir_entry_list_add (EntryList *list,
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
                                              position, hp_fhir_concepts[concept].loinc);
  g_autofree char *uuid = hp_fhir_name_based_uuid (id_name);

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
                             position, hp_fhir_concepts[concept].loinc);
  context.id_name = id_name;
  context.interpretation = meaning != NULL ? interpretation_code (meaning) : NULL;
  resource = hp_fhir_build_observation (&context, concept, mdc_code, components, n_components,
                                        value, &full_url);
  hp_fhir_entry_list_add (list, resource, full_url);
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
gboolean
hp_fhir_add_measurement (EntryList                *list,
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
                     any_part_coded ? hp_fhir_concepts[CONCEPT_BLOOD_PRESSURE_PANEL].panel_mdc : 0,
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
      JsonNode *specimen = hp_fhir_build_glucose_specimen (base->visit, measurement, position, context.taken_at,
                                                           context.subject_url, &specimen_url);

      /* The specimen first, so the Observation refers back in the bundle. */
      hp_fhir_entry_list_add (list, specimen, specimen_url);
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
