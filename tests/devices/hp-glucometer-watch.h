/* What the glucometer driver tests check of a watched device: one glucose reading, or one failure. */
#pragma once

#include <math.h>

#include "hp-device-watch.h"

typedef HpDeviceWatch HpGlucometerWatch;

#define hp_glucometer_watch_new       hp_device_watch_new
#define hp_glucometer_watch_saw_phase hp_device_watch_saw_phase

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HpGlucometerWatch, hp_device_watch_free)

/* Starts a measurement and runs the main loop until it ends. FALSE if the
 * start failed or the safety timeout fired. */
static inline gboolean
hp_glucometer_watch_measure (HpGlucometerWatch *watch)
{
  return hp_device_watch_measure (watch, NULL);
}

/* TRUE when the one result was a reading of @expected (within 1e-9) in @unit. */
static inline gboolean
hp_glucometer_watch_got (HpGlucometerWatch *watch,
                         double             expected,
                         const char        *unit)
{
  double value;
  const char *got_unit;

  if (watch->n_ready != 1 || watch->n_failed != 0 || watch->measurement == NULL)
    return FALSE;
  if (!hp_measurement_get_value (watch->measurement, HP_QUANTITY_BLOOD_GLUCOSE, &value, &got_unit))
    return FALSE;
  return fabs (value - expected) < 1e-9 && g_strcmp0 (unit, got_unit) == 0;
}

/* TRUE when the one result was a failure with @code. */
static inline gboolean
hp_glucometer_watch_failed_with (HpGlucometerWatch *watch,
                                 int                code)
{
  return watch->n_ready == 0 && watch->n_failed == 1 && watch->error != NULL &&
         watch->error->domain == HP_DEVICE_ERROR && watch->error->code == code;
}
