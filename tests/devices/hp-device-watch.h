/* What the driver tests watch of a device: phases, the one result signal, and the main loop until it comes. */
#pragma once

#include <glib-object.h>

#include "hp-device.h"

/* Long enough never to fire on a loaded machine; the tests end on signals. */
#define HP_DEVICE_WATCH_SAFETY_S 20

typedef struct {
  HpDevice *device;
  GArray *phases;            /* HpMeasurementPhase, in the order notified */
  guint n_ready;
  guint n_failed;
  HpMeasurement *measurement;
  GError *error;
  gboolean timed_out;
} HpDeviceWatch;

HpDeviceWatch *hp_device_watch_new             (HpDevice           *device);
/* Forgets what was seen, before the next measurement. */
void           hp_device_watch_reset           (HpDeviceWatch      *watch);
void           hp_device_watch_free            (HpDeviceWatch      *watch);

/* Run the main loop until the running measurement ends (or, for the second,
 * the device is in @phase or the measurement ended). FALSE when the safety
 * timeout fired first. */
gboolean       hp_device_watch_wait_for_result (HpDeviceWatch      *watch);
gboolean       hp_device_watch_wait_for_phase  (HpDeviceWatch      *watch,
                                                HpMeasurementPhase  phase);
/* Lets every pending event run, so that a late second signal would show. */
void           hp_device_watch_drain           (HpDeviceWatch      *watch);

/* Starts a measurement and runs the main loop until it ends, then drains.
 * FALSE if the start failed (with @error set) or the safety timeout fired. */
gboolean       hp_device_watch_measure         (HpDeviceWatch      *watch,
                                                GError            **error);

/* TRUE when @phase was notified at some point of the measurement. */
gboolean       hp_device_watch_saw_phase       (HpDeviceWatch      *watch,
                                                HpMeasurementPhase  phase);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HpDeviceWatch, hp_device_watch_free)
