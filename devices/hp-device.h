/* A measuring device the kiosk can use: its identity, its state, and the readings it gives. */
#pragma once

#include <gio/gio.h>

#include "hp-measurement.h"

G_BEGIN_DECLS

#define HP_DEVICE_ERROR (hp_device_error_quark ())

typedef enum {
  HP_DEVICE_ERROR_NOT_CONNECTED, /* asked to measure while not connected */
  HP_DEVICE_ERROR_DISCONNECTED,  /* unplugged while measuring */
  HP_DEVICE_ERROR_TIMEOUT,       /* the device stopped answering */
  HP_DEVICE_ERROR_PROTOCOL,      /* the device sent something we cannot decode */
  HP_DEVICE_ERROR_IMPLAUSIBLE,   /* decoded, but outside physiological ranges */
  HP_DEVICE_ERROR_PERMISSION,    /* present but the kiosk may not open it */
  HP_DEVICE_ERROR_BUSY,          /* a measurement is already running */
  HP_DEVICE_ERROR_CANCELLED,
  HP_DEVICE_ERROR_NO_NEW_READING, /* the device holds no reading taken during this visit */
  HP_DEVICE_ERROR_UNSUPPORTED,   /* a model or configuration the driver does not know */
} HpDeviceError;

GQuark hp_device_error_quark (void);

typedef enum {
  HP_DEVICE_STATE_DISCONNECTED,
  HP_DEVICE_STATE_READY,
  HP_DEVICE_STATE_MEASURING,
  HP_DEVICE_STATE_ERROR,
} HpDeviceState;

#define HP_TYPE_DEVICE (hp_device_get_type ())
G_DECLARE_DERIVABLE_TYPE (HpDevice, hp_device, HP, DEVICE, GObject)

struct _HpDeviceClass
{
  GObjectClass parent_class;

  /* Begin one measurement; the result arrives later through the
   * "measurement-ready" or "measurement-failed" signal. */
  gboolean (*start_measurement)  (HpDevice  *self,
                                  GError   **error);
  void     (*cancel_measurement) (HpDevice  *self);

  gpointer padding[8];
};

const char        *hp_device_get_id            (HpDevice  *self);
const char        *hp_device_get_name          (HpDevice  *self);
HpMeasurementKind  hp_device_get_kind          (HpDevice  *self);
HpDeviceState      hp_device_get_state         (HpDevice  *self);
HpMeasurementPhase hp_device_get_phase         (HpDevice  *self);

/* When the patient's visit began: devices that keep a history (meters,
 * some cuffs) give only readings taken since then, and never one reading
 * twice. %NULL (the default) accepts the newest reading of any age. */
void               hp_device_set_visit_start   (HpDevice  *self,
                                                GDateTime *visit_start);
GDateTime         *hp_device_get_visit_start   (HpDevice  *self);

gboolean           hp_device_start_measurement (HpDevice  *self,
                                                GError   **error);
void               hp_device_cancel_measurement (HpDevice *self);

G_END_DECLS
