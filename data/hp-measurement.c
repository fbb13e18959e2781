/* One reading taken from a device: what was measured, its values, where and when. */
#include "hp-measurement.h"

typedef struct {
  gboolean set;
  double value;
  char *unit;
  guint32 mdc_code;
} HpQuantityValue;

struct _HpMeasurement
{
  GObject parent_instance;

  HpMeasurementKind kind;
  HpQuantityValue values[HP_QUANTITY_LAST + 1];
  char *device_id;
  GDateTime *device_time;
  GDateTime *kiosk_time;
  HpMeasurementFlags flags;
};

G_DEFINE_FINAL_TYPE (HpMeasurement, hp_measurement, G_TYPE_OBJECT)

static const char * const kind_names[] = {
  [HP_MEASUREMENT_KIND_BLOOD_PRESSURE] = "blood-pressure",
  [HP_MEASUREMENT_KIND_BODY_WEIGHT] = "body-weight",
  [HP_MEASUREMENT_KIND_BLOOD_GLUCOSE] = "blood-glucose",
};

static const char * const quantity_names[] = {
  [HP_QUANTITY_SYSTOLIC] = "systolic",
  [HP_QUANTITY_DIASTOLIC] = "diastolic",
  [HP_QUANTITY_MEAN_ARTERIAL] = "mean-arterial",
  [HP_QUANTITY_PULSE_RATE] = "pulse-rate",
  [HP_QUANTITY_BODY_WEIGHT] = "body-weight",
  [HP_QUANTITY_BLOOD_GLUCOSE] = "blood-glucose",
};

G_STATIC_ASSERT (G_N_ELEMENTS (kind_names) == HP_MEASUREMENT_KIND_LAST + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (quantity_names) == HP_QUANTITY_LAST + 1);

static void
hp_measurement_finalize (GObject *object)
{
  HpMeasurement *self = HP_MEASUREMENT (object);

  for (guint i = 0; i < G_N_ELEMENTS (self->values); i++)
    g_free (self->values[i].unit);
  g_free (self->device_id);
  g_clear_pointer (&self->device_time, g_date_time_unref);
  g_clear_pointer (&self->kiosk_time, g_date_time_unref);

  G_OBJECT_CLASS (hp_measurement_parent_class)->finalize (object);
}

static void
hp_measurement_class_init (HpMeasurementClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hp_measurement_finalize;
}

static void
hp_measurement_init (HpMeasurement *self)
{
  self->kiosk_time = g_date_time_new_now_utc ();
}

HpMeasurement *
hp_measurement_new (HpMeasurementKind kind)
{
  HpMeasurement *self;

  g_return_val_if_fail (kind <= HP_MEASUREMENT_KIND_LAST, NULL);

  self = g_object_new (HP_TYPE_MEASUREMENT, NULL);
  self->kind = kind;
  return self;
}

HpMeasurementKind
hp_measurement_get_kind (HpMeasurement *self)
{
  g_return_val_if_fail (HP_IS_MEASUREMENT (self), HP_MEASUREMENT_KIND_BLOOD_PRESSURE);
  return self->kind;
}

void
hp_measurement_set_value (HpMeasurement *self,
                          HpQuantity     quantity,
                          double         value,
                          const char    *unit)
{
  g_return_if_fail (HP_IS_MEASUREMENT (self));
  g_return_if_fail (quantity <= HP_QUANTITY_LAST);
  g_return_if_fail (unit != NULL);

  self->values[quantity].set = TRUE;
  self->values[quantity].value = value;
  g_free (self->values[quantity].unit);
  self->values[quantity].unit = g_strdup (unit);
}

/* Conversions into the canonical unit of each quantity: UCUM code, factor. */
typedef struct {
  const char *unit;
  double factor;
} UnitFactor;

/* 1 kPa = 7.50062 mmHg. */
static const UnitFactor pressure_units[] = { { "mm[Hg]", 1.0 }, { "kPa", 7.50062 }, { NULL, 0 } };
static const UnitFactor rate_units[] = { { "/min", 1.0 }, { "{beats}/min", 1.0 }, { NULL, 0 } };
/* The international avoirdupois pound is exactly 0.45359237 kg. */
static const UnitFactor mass_units[] = { { "kg", 1.0 }, { "g", 0.001 }, { "[lb_av]", 0.45359237 }, { NULL, 0 } };
/* Glucose, molar mass 180.16 g/mol: 1 mmol/L = 18.016 mg/dL. */
static const UnitFactor glucose_units[] = { { "mg/dL", 1.0 }, { "mmol/L", 18.016 }, { NULL, 0 } };

static const UnitFactor *
units_for (HpQuantity quantity)
{
  switch (quantity)
    {
    case HP_QUANTITY_SYSTOLIC:
    case HP_QUANTITY_DIASTOLIC:
    case HP_QUANTITY_MEAN_ARTERIAL:
      return pressure_units;
    case HP_QUANTITY_PULSE_RATE:
      return rate_units;
    case HP_QUANTITY_BODY_WEIGHT:
      return mass_units;
    case HP_QUANTITY_BLOOD_GLUCOSE:
      return glucose_units;
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
hp_quantity_get_canonical_unit (HpQuantity quantity)
{
  const UnitFactor *units;

  g_return_val_if_fail (quantity <= HP_QUANTITY_LAST, NULL);

  units = units_for (quantity);
  return units != NULL ? units[0].unit : NULL;
}

gboolean
hp_measurement_get_normalized_value (HpMeasurement *self,
                                     HpQuantity     quantity,
                                     double        *value)
{
  const UnitFactor *units;

  g_return_val_if_fail (HP_IS_MEASUREMENT (self), FALSE);
  g_return_val_if_fail (quantity <= HP_QUANTITY_LAST, FALSE);

  if (!self->values[quantity].set)
    return FALSE;
  units = units_for (quantity);
  for (; units != NULL && units->unit != NULL; units++)
    if (g_strcmp0 (units->unit, self->values[quantity].unit) == 0)
      {
        if (value != NULL)
          *value = self->values[quantity].value * units->factor;
        return TRUE;
      }
  return FALSE;
}

void
hp_measurement_set_mdc_code (HpMeasurement *self,
                             HpQuantity     quantity,
                             guint32        mdc_code)
{
  g_return_if_fail (HP_IS_MEASUREMENT (self));
  g_return_if_fail (quantity <= HP_QUANTITY_LAST);

  self->values[quantity].mdc_code = mdc_code;
}

guint32
hp_measurement_get_mdc_code (HpMeasurement *self,
                             HpQuantity     quantity)
{
  g_return_val_if_fail (HP_IS_MEASUREMENT (self), 0);
  g_return_val_if_fail (quantity <= HP_QUANTITY_LAST, 0);

  return self->values[quantity].set ? self->values[quantity].mdc_code : 0;
}

gboolean
hp_measurement_get_value (HpMeasurement  *self,
                          HpQuantity      quantity,
                          double         *value,
                          const char    **unit)
{
  g_return_val_if_fail (HP_IS_MEASUREMENT (self), FALSE);
  g_return_val_if_fail (quantity <= HP_QUANTITY_LAST, FALSE);

  if (!self->values[quantity].set)
    return FALSE;
  if (value != NULL)
    *value = self->values[quantity].value;
  if (unit != NULL)
    *unit = self->values[quantity].unit;
  return TRUE;
}

gboolean
hp_measurement_has_value (HpMeasurement *self,
                          HpQuantity     quantity)
{
  return hp_measurement_get_value (self, quantity, NULL, NULL);
}

const char *
hp_measurement_get_device_id (HpMeasurement *self)
{
  g_return_val_if_fail (HP_IS_MEASUREMENT (self), NULL);
  return self->device_id;
}

void
hp_measurement_set_device_id (HpMeasurement *self,
                              const char    *device_id)
{
  g_return_if_fail (HP_IS_MEASUREMENT (self));
  g_free (self->device_id);
  self->device_id = g_strdup (device_id);
}

GDateTime *
hp_measurement_get_device_time (HpMeasurement *self)
{
  g_return_val_if_fail (HP_IS_MEASUREMENT (self), NULL);
  return self->device_time;
}

void
hp_measurement_set_device_time (HpMeasurement *self,
                                GDateTime     *device_time)
{
  g_return_if_fail (HP_IS_MEASUREMENT (self));
  if (device_time != NULL)
    g_date_time_ref (device_time);
  g_clear_pointer (&self->device_time, g_date_time_unref);
  self->device_time = device_time;
}

GDateTime *
hp_measurement_get_kiosk_time (HpMeasurement *self)
{
  g_return_val_if_fail (HP_IS_MEASUREMENT (self), NULL);
  return self->kiosk_time;
}

void
hp_measurement_set_kiosk_time (HpMeasurement *self,
                               GDateTime     *kiosk_time)
{
  g_return_if_fail (HP_IS_MEASUREMENT (self));
  g_return_if_fail (kiosk_time != NULL);
  g_date_time_ref (kiosk_time);
  g_clear_pointer (&self->kiosk_time, g_date_time_unref);
  self->kiosk_time = kiosk_time;
}

HpMeasurementFlags
hp_measurement_get_flags (HpMeasurement *self)
{
  g_return_val_if_fail (HP_IS_MEASUREMENT (self), HP_MEASUREMENT_FLAG_NONE);
  return self->flags;
}

void
hp_measurement_set_flags (HpMeasurement      *self,
                          HpMeasurementFlags  flags)
{
  g_return_if_fail (HP_IS_MEASUREMENT (self));
  self->flags = flags;
}

const char *
hp_measurement_kind_to_string (HpMeasurementKind kind)
{
  g_return_val_if_fail (kind <= HP_MEASUREMENT_KIND_LAST, NULL);
  return kind_names[kind];
}

static gboolean
lookup_name (const char * const *names,
             guint               n_names,
             const char         *str,
             guint              *index)
{
  if (str == NULL)
    return FALSE;
  for (guint i = 0; i < n_names; i++)
    {
      if (g_str_equal (names[i], str))
        {
          *index = i;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
hp_measurement_kind_from_string (const char        *str,
                                 HpMeasurementKind *kind)
{
  guint index;

  if (!lookup_name (kind_names, G_N_ELEMENTS (kind_names), str, &index))
    return FALSE;
  *kind = (HpMeasurementKind) index;
  return TRUE;
}

const char *
hp_quantity_to_string (HpQuantity quantity)
{
  g_return_val_if_fail (quantity <= HP_QUANTITY_LAST, NULL);
  return quantity_names[quantity];
}

gboolean
hp_quantity_from_string (const char *str,
                         HpQuantity *quantity)
{
  guint index;

  if (!lookup_name (quantity_names, G_N_ELEMENTS (quantity_names), str, &index))
    return FALSE;
  *quantity = (HpQuantity) index;
  return TRUE;
}

