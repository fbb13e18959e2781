/* A Personal Health Device (IEEE 11073-20601) driver: the kiosk as manager, over any transport. */
#pragma once

#include "hp-device.h"
#include "hp-driver.h"
#include "hp-transport.h"

G_BEGIN_DECLS

/* How long a cuff may take to inflate, measure and deflate (a retry
 * included) before its report is due. */
#define HP_PHDC_DEFAULT_MEASUREMENT_ALLOWANCE_MS (120 * 1000)
/* IEEE 11073-20601's timeout for a confirmed response. */
#define HP_PHDC_RESPONSE_TIMEOUT_MS 3000

#define HP_TYPE_PHDC_DEVICE (hp_phdc_device_get_type ())
G_DECLARE_FINAL_TYPE (HpPhdcDevice, hp_phdc_device, HP, PHDC_DEVICE, HpDevice)

/* On start_measurement the device waits for the agent's association request,
 * accepts a standard configuration it knows for @kind, waits for the fixed
 * scan report, confirms it, releases the association and then emits the
 * measurement. Today the known configuration is blood pressure 0x02BC. */
HpDevice    *hp_phdc_device_new           (const char        *id,
                                           const char        *name,
                                           HpMeasurementKind  kind,
                                           HpTransport       *transport);

/* The association and the report may each take @measurement_allowance_ms
 * plus @response_timeout_ms; the release @response_timeout_ms. Without a
 * call the defaults above apply. */
void         hp_phdc_device_set_timeouts  (HpPhdcDevice      *self,
                                           guint              measurement_allowance_ms,
                                           guint              response_timeout_ms);

HpTransport *hp_phdc_device_get_transport (HpPhdcDevice      *self);

/* The registry entry: any interface of class 0x0F. */
extern const HpDriver hp_phdc_driver;

G_END_DECLS
