/* Physiological limits: a decoded reading outside them is a device or protocol fault, never a result. */
#include "hp-plausibility.h"

#include "hp-device.h"

/* The devices' error domain lives here, below HpDevice, which checks each
 * reading through this file before it gives it out. */
G_DEFINE_QUARK (hp-device-error-quark, hp_device_error)

/* Wide on purpose: they reject what no living patient can show and what the
 * devices cannot measure, and keep every real extreme (a hypertensive
 * crisis, a glucose of 600) so that it reaches the patient as a result.
 * Cuffs measure 0–299 mmHg and pulse 40–180; meters 10/20–600 mg/dL ("LO",
 * "HI" beyond); scales up to 150–300 kg. */
typedef struct {
  double minimum;
  double maximum;
  const char *what;
} Limits;

static const Limits limits[] = {
  [HP_QUANTITY_SYSTOLIC] = { 50, 300, "systolic pressure" },
  [HP_QUANTITY_DIASTOLIC] = { 20, 200, "diastolic pressure" },
  [HP_QUANTITY_MEAN_ARTERIAL] = { 30, 250, "mean arterial pressure" },
  [HP_QUANTITY_PULSE_RATE] = { 25, 250, "pulse rate" },
  [HP_QUANTITY_BODY_WEIGHT] = { 2, 350, "body weight" },
  [HP_QUANTITY_BLOOD_GLUCOSE] = { 10, 800, "blood glucose" },
};

G_STATIC_ASSERT (G_N_ELEMENTS (limits) == HP_QUANTITY_LAST + 1);

void
hp_plausibility_get_limits (HpQuantity  quantity,
                            double     *minimum,
                            double     *maximum)
{
  g_return_if_fail (quantity <= HP_QUANTITY_LAST);

  if (minimum != NULL)
    *minimum = limits[quantity].minimum;
  if (maximum != NULL)
    *maximum = limits[quantity].maximum;
}

gboolean
hp_plausibility_check (HpMeasurement  *measurement,
                       GError        **error)
{
  double value[HP_QUANTITY_LAST + 1];
  gboolean present[HP_QUANTITY_LAST + 1];
  gboolean any = FALSE;

  g_return_val_if_fail (HP_IS_MEASUREMENT (measurement), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint q = 0; q <= HP_QUANTITY_LAST; q++)
    {
      present[q] = hp_measurement_has_value (measurement, q);
      if (!present[q])
        continue;
      any = TRUE;
      if (!hp_measurement_get_normalized_value (measurement, q, &value[q]))
        {
          g_set_error (error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_IMPLAUSIBLE,
                       "The %s came in a unit the kiosk does not know", limits[q].what);
          return FALSE;
        }
      if (!(value[q] >= limits[q].minimum && value[q] <= limits[q].maximum))
        {
          g_set_error (error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_IMPLAUSIBLE,
                       "The %s is outside %g–%g %s, which no device reading can be",
                       limits[q].what, limits[q].minimum, limits[q].maximum,
                       hp_quantity_get_canonical_unit (q));
          return FALSE;
        }
    }

  if (!any)
    {
      g_set_error_literal (error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_IMPLAUSIBLE,
                           "The reading holds no value");
      return FALSE;
    }
  if (present[HP_QUANTITY_SYSTOLIC] && present[HP_QUANTITY_DIASTOLIC] &&
      value[HP_QUANTITY_SYSTOLIC] <= value[HP_QUANTITY_DIASTOLIC])
    {
      g_set_error_literal (error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_IMPLAUSIBLE,
                           "The systolic pressure is not above the diastolic pressure");
      return FALSE;
    }
  if (present[HP_QUANTITY_SYSTOLIC] && present[HP_QUANTITY_DIASTOLIC] &&
      present[HP_QUANTITY_MEAN_ARTERIAL] &&
      (value[HP_QUANTITY_MEAN_ARTERIAL] > value[HP_QUANTITY_SYSTOLIC] ||
       value[HP_QUANTITY_MEAN_ARTERIAL] < value[HP_QUANTITY_DIASTOLIC]))
    {
      g_set_error_literal (error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_IMPLAUSIBLE,
                           "The mean arterial pressure is not between the systolic and diastolic pressures");
      return FALSE;
    }
  return TRUE;
}
