/* What HpDevice subclasses use to report state, phase and results. */
#pragma once

#include "hp-device.h"

G_BEGIN_DECLS

void hp_device_set_state (HpDevice           *self,
                          HpDeviceState       state);
void hp_device_set_phase (HpDevice           *self,
                          HpMeasurementPhase  phase);

/* End the running measurement: the state goes back to READY (unless the
 * subclass already moved it elsewhere, e.g. DISCONNECTED), the phase to DONE
 * or IDLE, and then the signal is emitted. */
void hp_device_emit_measurement_ready  (HpDevice      *self,
                                        HpMeasurement *measurement);
/* (emit_measurement_ready first checks the reading against physiological
 * limits and against the readings this device already gave: an implausible
 * reading ends the measurement with HP_DEVICE_ERROR_IMPLAUSIBLE, a reading
 * already given with HP_DEVICE_ERROR_NO_NEW_READING.) */

/* TRUE when this device already gave a reading with the same device time
 * and values; drivers reading a history use it to skip old entries. */
gboolean hp_device_has_given        (HpDevice      *self,
                                     HpMeasurement *measurement);
void hp_device_emit_measurement_failed (HpDevice      *self,
                                        const GError  *error);

G_END_DECLS
