/* A HID point-of-sale scale driver (Dymo and any scale on the HID scale usage page): one stable body weight. */
#pragma once

#include "hp-device.h"
#include "hp-driver.h"
#include "hp-transport-device.h"

G_BEGIN_DECLS

/* How long a patient has to step on and stand still before the kiosk gives up. */
#define HP_HID_SCALE_DEFAULT_ALLOWANCE_MS (90 * 1000)

#define HP_TYPE_HID_SCALE_DEVICE (hp_hid_scale_device_get_type ())
G_DECLARE_FINAL_TYPE (HpHidScaleDevice, hp_hid_scale_device, HP, HID_SCALE_DEVICE, HpTransportDevice)

/* @transport is a report link (each "received" one input report). @serial
 * (may be %NULL) goes into the measurements' device ids. */
HpDevice *hp_hid_scale_device_new          (const char       *id,
                                            const char       *name,
                                            const char       *serial,
                                            HpTransport      *transport);

/* The whole measurement, from opening the link to a confirmed stable weight. */
void      hp_hid_scale_device_set_allowance (HpHidScaleDevice *self,
                                             guint             allowance_ms);

extern const HpDriver hp_hid_scale_driver;

G_END_DECLS
