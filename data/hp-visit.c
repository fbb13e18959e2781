/* A patient's visit as it unfolds: when it began, its language and its measurements. */
#include "hp-visit.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "hp-local-format.h"
#include "hp-secret.h"

struct _HpVisit
{
  GObject parent_instance;

  char *id;
  GDateTime *started_at;
  GDateTime *finished_at;
  char *language;
  char *patient_code;
  HpFasting fasting;
  HpAgeGroup age_group;
  double height_cm;
  GListStore *measurements;
};

G_DEFINE_FINAL_TYPE (HpVisit, hp_visit, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_LANGUAGE,
  PROP_N_MEASUREMENTS,
  PROP_FINISHED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
hp_visit_finalize (GObject *object)
{
  HpVisit *self = HP_VISIT (object);

  g_free (self->id);
  g_free (self->language);
  hp_secret_free (self->patient_code);
  g_clear_pointer (&self->started_at, g_date_time_unref);
  g_clear_pointer (&self->finished_at, g_date_time_unref);
  g_clear_object (&self->measurements);

  G_OBJECT_CLASS (hp_visit_parent_class)->finalize (object);
}

static void
hp_visit_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  HpVisit *self = HP_VISIT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    case PROP_N_MEASUREMENTS:
      g_value_set_uint (value, hp_visit_get_n_measurements (self));
      break;
    case PROP_FINISHED:
      g_value_set_boolean (value, hp_visit_is_finished (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hp_visit_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  HpVisit *self = HP_VISIT (object);

  switch (prop_id)
    {
    case PROP_LANGUAGE:
      hp_visit_set_language (self, g_value_get_string (value));
      break;
    case PROP_ID:
    case PROP_N_MEASUREMENTS:
    case PROP_FINISHED:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hp_visit_class_init (HpVisitClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hp_visit_finalize;
  object_class->get_property = hp_visit_get_property;
  object_class->set_property = hp_visit_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, "en",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_MEASUREMENTS] =
    g_param_spec_uint ("n-measurements", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FINISHED] =
    g_param_spec_boolean ("finished", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hp_visit_init (HpVisit *self)
{
  self->language = g_strdup ("en");
  self->measurements = g_list_store_new (HP_TYPE_MEASUREMENT);
}

HpVisit *
hp_visit_new (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *id = g_uuid_string_random ();

  return hp_visit_new_full (id, now);
}

HpVisit *
hp_visit_new_full (const char *id,
                   GDateTime  *started_at)
{
  HpVisit *self;

  g_return_val_if_fail (id != NULL && *id != '\0', NULL);
  g_return_val_if_fail (started_at != NULL, NULL);

  self = g_object_new (HP_TYPE_VISIT, NULL);
  self->id = g_strdup (id);
  self->started_at = g_date_time_ref (started_at);
  return self;
}

const char *
hp_visit_get_id (HpVisit *self)
{
  g_return_val_if_fail (HP_IS_VISIT (self), NULL);
  return self->id;
}

GDateTime *
hp_visit_get_started_at (HpVisit *self)
{
  g_return_val_if_fail (HP_IS_VISIT (self), NULL);
  return self->started_at;
}

GDateTime *
hp_visit_get_finished_at (HpVisit *self)
{
  g_return_val_if_fail (HP_IS_VISIT (self), NULL);
  return self->finished_at;
}

void
hp_visit_set_finished_at (HpVisit   *self,
                          GDateTime *finished_at)
{
  gboolean was_finished;

  g_return_if_fail (HP_IS_VISIT (self));

  was_finished = self->finished_at != NULL;
  if (finished_at != NULL)
    g_date_time_ref (finished_at);
  g_clear_pointer (&self->finished_at, g_date_time_unref);
  self->finished_at = finished_at;
  if (was_finished != (finished_at != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISHED]);
}

gboolean
hp_visit_is_finished (HpVisit *self)
{
  g_return_val_if_fail (HP_IS_VISIT (self), FALSE);
  return self->finished_at != NULL;
}

const char *
hp_visit_get_language (HpVisit *self)
{
  g_return_val_if_fail (HP_IS_VISIT (self), NULL);
  return self->language;
}

void
hp_visit_set_language (HpVisit    *self,
                       const char *language)
{
  g_return_if_fail (HP_IS_VISIT (self));
  g_return_if_fail (language != NULL && *language != '\0');

  if (g_strcmp0 (self->language, language) == 0)
    return;
  g_free (self->language);
  self->language = g_strdup (language);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

void
hp_visit_add_measurement (HpVisit       *self,
                          HpMeasurement *measurement)
{
  HpMeasurementFlags flags;

  g_return_if_fail (HP_IS_VISIT (self));
  g_return_if_fail (HP_IS_MEASUREMENT (measurement));

  /* A blood-sugar test keeps the answer about eating given before it: a
   * later test of the visit asks again, and must not change this one. */
  flags = hp_measurement_get_flags (measurement);
  if (hp_measurement_get_kind (measurement) == HP_MEASUREMENT_KIND_BLOOD_GLUCOSE &&
      !(flags & (HP_MEASUREMENT_FLAG_FASTING | HP_MEASUREMENT_FLAG_NOT_FASTING)))
    {
      if (self->fasting == HP_FASTING_YES)
        hp_measurement_set_flags (measurement, flags | HP_MEASUREMENT_FLAG_FASTING);
      else if (self->fasting == HP_FASTING_NO)
        hp_measurement_set_flags (measurement, flags | HP_MEASUREMENT_FLAG_NOT_FASTING);
    }
  if (self->age_group == HP_AGE_GROUP_CHILD)
    hp_measurement_set_flags (measurement, hp_measurement_get_flags (measurement) | HP_MEASUREMENT_FLAG_UNDER_18);
  g_list_store_append (self->measurements, measurement);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MEASUREMENTS]);
}

GListModel *
hp_visit_get_measurements (HpVisit *self)
{
  g_return_val_if_fail (HP_IS_VISIT (self), NULL);
  return G_LIST_MODEL (self->measurements);
}

guint
hp_visit_get_n_measurements (HpVisit *self)
{
  g_return_val_if_fail (HP_IS_VISIT (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->measurements));
}

HpMeasurement *
hp_visit_find_latest (HpVisit           *self,
                      HpMeasurementKind  kind)
{
  guint n;

  g_return_val_if_fail (HP_IS_VISIT (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->measurements));
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(HpMeasurement) m = g_list_model_get_item (G_LIST_MODEL (self->measurements), i - 1);

      if (hp_measurement_get_kind (m) == kind)
        return m;
    }
  return NULL;
}

const char *
hp_visit_get_patient_code (HpVisit *self)
{
  g_return_val_if_fail (HP_IS_VISIT (self), NULL);
  return self->patient_code;
}

void
hp_visit_set_patient_code (HpVisit    *self,
                           const char *patient_code)
{
  g_return_if_fail (HP_IS_VISIT (self));

  hp_secret_free (self->patient_code);
  self->patient_code = g_strdup (patient_code);
}

HpFasting
hp_visit_get_fasting (HpVisit *self)
{
  g_return_val_if_fail (HP_IS_VISIT (self), HP_FASTING_UNKNOWN);
  return self->fasting;
}

void
hp_visit_set_fasting (HpVisit   *self,
                      HpFasting  fasting)
{
  g_return_if_fail (HP_IS_VISIT (self));
  g_return_if_fail (fasting == HP_FASTING_UNKNOWN || fasting == HP_FASTING_YES ||
                    fasting == HP_FASTING_NO);
  self->fasting = fasting;
}

HpAgeGroup
hp_visit_get_age_group (HpVisit *self)
{
  g_return_val_if_fail (HP_IS_VISIT (self), HP_AGE_GROUP_UNKNOWN);
  return self->age_group;
}

void
hp_visit_set_age_group (HpVisit    *self,
                        HpAgeGroup  age_group)
{
  g_return_if_fail (HP_IS_VISIT (self));
  g_return_if_fail (age_group <= HP_AGE_GROUP_CHILD);
  self->age_group = age_group;
}

double
hp_visit_get_height_cm (HpVisit *self)
{
  g_return_val_if_fail (HP_IS_VISIT (self), 0);
  return self->height_cm;
}

gboolean
hp_visit_set_height_cm (HpVisit *self,
                        double   height_cm)
{
  g_return_val_if_fail (HP_IS_VISIT (self), FALSE);

  /* 0 takes the height back; anything else must be a height a person has. */
  if (height_cm != 0 && !(height_cm >= HP_VISIT_HEIGHT_MIN_CM && height_cm <= HP_VISIT_HEIGHT_MAX_CM))
    return FALSE;
  self->height_cm = height_cm;
  return TRUE;
}

HpFasting
hp_visit_get_measurement_fasting (HpVisit       *self,
                                  HpMeasurement *measurement)
{
  HpMeasurementFlags flags;

  g_return_val_if_fail (HP_IS_VISIT (self), HP_FASTING_UNKNOWN);
  g_return_val_if_fail (HP_IS_MEASUREMENT (measurement), HP_FASTING_UNKNOWN);

  flags = hp_measurement_get_flags (measurement);
  if (flags & HP_MEASUREMENT_FLAG_FASTING)
    return HP_FASTING_YES;
  if (flags & HP_MEASUREMENT_FLAG_NOT_FASTING)
    return HP_FASTING_NO;
  return HP_FASTING_UNKNOWN;
}

static gboolean
interpret_as_adult (HpVisit          *self,
                    HpMeasurement    *measurement,
                    double           *bmi,
                    HpInterpretation *out)
{
  double weight_kg;
  double unused_bmi;

  g_return_val_if_fail (HP_IS_VISIT (self), FALSE);
  g_return_val_if_fail (HP_IS_MEASUREMENT (measurement), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  switch (hp_measurement_get_kind (measurement))
    {
    case HP_MEASUREMENT_KIND_BLOOD_PRESSURE:
      return hp_interpret_blood_pressure (measurement, out);
    case HP_MEASUREMENT_KIND_BLOOD_GLUCOSE:
      return hp_interpret_glucose (measurement, hp_visit_get_measurement_fasting (self, measurement), out);
    case HP_MEASUREMENT_KIND_BODY_WEIGHT:
      if (self->height_cm == 0 ||
          !hp_measurement_get_normalized_value (measurement, HP_QUANTITY_BODY_WEIGHT, &weight_kg))
        return FALSE;
      return hp_interpret_bmi (weight_kg, self->height_cm, bmi != NULL ? bmi : &unused_bmi, out);
    default:
      return FALSE;
    }
}

gboolean
hp_visit_interpret (HpVisit          *self,
                    HpMeasurement    *measurement,
                    double           *bmi,
                    HpInterpretation *out)
{
  HpInterpretation adult = { 0 };

  g_return_val_if_fail (HP_IS_VISIT (self), FALSE);
  g_return_val_if_fail (HP_IS_MEASUREMENT (measurement), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!interpret_as_adult (self, measurement, bmi, &adult))
    return FALSE;
  /* Blood sugar reads the same at any age; pressure and weight do not. */
  if ((hp_measurement_get_flags (measurement) & HP_MEASUREMENT_FLAG_UNDER_18) &&
      hp_measurement_get_kind (measurement) != HP_MEASUREMENT_KIND_BLOOD_GLUCOSE)
    hp_interpret_for_child (&adult, out);
  else
    *out = adult;
  return TRUE;
}

/* The pulse a blood-pressure cuff gave with @measurement, in /min. */
static gboolean
cuff_pulse (HpMeasurement *measurement,
            double        *pulse)
{
  return hp_measurement_get_kind (measurement) == HP_MEASUREMENT_KIND_BLOOD_PRESSURE &&
         hp_measurement_get_normalized_value (measurement, HP_QUANTITY_PULSE_RATE, pulse) &&
         isfinite (*pulse) && *pulse > 0;
}

/* The pulse of the blood-pressure measurement taken just before
 * @measurement in this visit, or NAN. */
static double
earlier_pulse (HpVisit       *self,
               HpMeasurement *measurement)
{
  GListModel *all = G_LIST_MODEL (self->measurements);
  double pulse = NAN;

  for (guint i = 0; i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr(HpMeasurement) m = g_list_model_get_item (all, i);
      double value;

      if (m == measurement)
        break;
      if (cuff_pulse (m, &value))
        pulse = value;
    }
  return pulse;
}

gboolean
hp_visit_interpret_pulse (HpVisit          *self,
                          HpMeasurement    *measurement,
                          HpInterpretation *out)
{
  double pulse;

  g_return_val_if_fail (HP_IS_VISIT (self), FALSE);
  g_return_val_if_fail (HP_IS_MEASUREMENT (measurement), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!cuff_pulse (measurement, &pulse) ||
      !hp_interpret_pulse_repeated (pulse, earlier_pulse (self, measurement), out))
    return FALSE;
  if (hp_measurement_get_flags (measurement) & HP_MEASUREMENT_FLAG_UNDER_18)
    {
      HpInterpretation adult = *out;

      hp_interpret_for_child (&adult, out);
    }
  return TRUE;
}

gboolean
hp_visit_interpret_urgent (HpVisit          *self,
                           HpMeasurement    *measurement,
                           HpInterpretation *out,
                           gboolean         *is_pulse)
{
  HpInterpretation main_result = { 0 }, pulse = { 0 };
  gboolean has_main, has_pulse;

  g_return_val_if_fail (HP_IS_VISIT (self), FALSE);
  g_return_val_if_fail (HP_IS_MEASUREMENT (measurement), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  has_main = hp_visit_interpret (self, measurement, NULL, &main_result);
  has_pulse = hp_visit_interpret_pulse (self, measurement, &pulse);
  if (is_pulse != NULL)
    *is_pulse = FALSE;
  if (has_pulse && (!has_main || pulse.urgency > main_result.urgency))
    {
      *out = pulse;
      if (is_pulse != NULL)
        *is_pulse = TRUE;
      return TRUE;
    }
  if (has_main)
    *out = main_result;
  return has_main;
}

char *
hp_visit_format_value (HpVisit        *self,
                       HpMeasurement  *measurement,
                       const char    **unit)
{
  double first = 0, second = 0;

  g_return_val_if_fail (HP_IS_VISIT (self), NULL);
  g_return_val_if_fail (HP_IS_MEASUREMENT (measurement), NULL);
  g_return_val_if_fail (unit != NULL, NULL);

  *unit = NULL;
  switch (hp_measurement_get_kind (measurement))
    {
    case HP_MEASUREMENT_KIND_BLOOD_PRESSURE:
      if (!hp_measurement_get_normalized_value (measurement, HP_QUANTITY_SYSTOLIC, &first) ||
          !hp_measurement_get_normalized_value (measurement, HP_QUANTITY_DIASTOLIC, &second))
        return NULL;
      /* TRANSLATORS: the unit of blood pressure, millimetres of mercury */
      *unit = N_("mmHg");
      /* Systolic over diastolic is how patients see it on every cuff. */
      return g_strdup_printf ("%.0f/%.0f", hp_interpret_shown_value (HP_SCALE_SYSTOLIC, first),
                              hp_interpret_shown_value (HP_SCALE_DIASTOLIC, second));
    case HP_MEASUREMENT_KIND_BODY_WEIGHT:
      if (!hp_measurement_get_normalized_value (measurement, HP_QUANTITY_BODY_WEIGHT, &first))
        return NULL;
      /* TRANSLATORS: the unit of weight, kilograms */
      *unit = N_("kg");
      /* Scales show a tenth of a kilogram; more would be false precision.
       * The patient reads it with their language's decimal separator. */
      return hp_local_format_decimal (first, 1);
    case HP_MEASUREMENT_KIND_BLOOD_GLUCOSE:
      if (!hp_measurement_get_normalized_value (measurement, HP_QUANTITY_BLOOD_GLUCOSE, &first))
        return NULL;
      /* The meter's own word, as the patient saw it on the meter. */
      if (hp_measurement_get_flags (measurement) & HP_MEASUREMENT_FLAG_ABOVE_RANGE)
        {
          /* TRANSLATORS: under "HI", what a glucometer shows when the blood
           * sugar is above what it can measure */
          *unit = N_("above the meter's range");
          return g_strdup ("HI");
        }
      if (hp_measurement_get_flags (measurement) & HP_MEASUREMENT_FLAG_BELOW_RANGE)
        {
          /* TRANSLATORS: under "LO", what a glucometer shows when the blood
           * sugar is below what it can measure */
          *unit = N_("below the meter's range");
          return g_strdup ("LO");
        }
      /* TRANSLATORS: the unit of blood sugar, milligrams per decilitre */
      *unit = N_("mg/dL");
      return g_strdup_printf ("%.0f", hp_interpret_shown_value (hp_visit_get_measurement_fasting (self, measurement)
                                                                == HP_FASTING_YES
                                                                ? HP_SCALE_GLUCOSE_FASTING
                                                                : HP_SCALE_GLUCOSE_NOT_FASTING,
                                                                first));
    default:
      return NULL;
    }
}

gboolean
hp_visit_get_pulse (HpVisit       *self,
                    HpMeasurement *measurement,
                    double        *shown)
{
  double pulse;

  g_return_val_if_fail (HP_IS_VISIT (self), FALSE);
  g_return_val_if_fail (HP_IS_MEASUREMENT (measurement), FALSE);
  g_return_val_if_fail (shown != NULL, FALSE);

  if (!cuff_pulse (measurement, &pulse))
    return FALSE;
  *shown = hp_interpret_shown_value (HP_SCALE_PULSE, pulse);
  return TRUE;
}
