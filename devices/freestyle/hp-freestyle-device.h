/* The Abbott FreeStyle glucometer driver: the shared HID protocol's text commands over 64-byte reports. */
#pragma once

#include "hp-capture.h"
#include "hp-device.h"
#include "hp-driver.h"
#include "hp-freestyle-codec.h"
#include "hp-transport-device.h"

G_BEGIN_DECLS

/* The meters answer within a second; a memory dump streams without pause. */
#define HP_FREESTYLE_RESPONSE_TIMEOUT_MS 5000
/* A reply whose checksum fails is asked for again this many times. */
#define HP_FREESTYLE_MAX_RETRIES 3

/* The meters' measuring range for a blood test (Abbott's user manuals for
 * the FreeStyle Libre reader, InsuLinx and Precision Neo: 20 to 500 mg/dL,
 * 1.1 to 27.8 mmol/L); a result outside it shows HI or LO and is kept as
 * this limit. */
#define HP_FREESTYLE_RANGE_LOW_MG_DL 20.0
#define HP_FREESTYLE_RANGE_HIGH_MG_DL 500.0

#define HP_TYPE_FREESTYLE_DEVICE (hp_freestyle_device_get_type ())
G_DECLARE_FINAL_TYPE (HpFreestyleDevice, hp_freestyle_device, HP, FREESTYLE_DEVICE, HpTransportDevice)

/* On start_measurement the driver sends INIT, asks for the serial number,
 * the meter's date and time and its memory, and gives the newest reading of
 * this visit (see hp-glucometer-history.h). */
HpDevice *hp_freestyle_device_new          (const char         *id,
                                            const char         *name,
                                            HpFreestyleLayout   layout,
                                            HpTransport        *transport);

void      hp_freestyle_device_set_timeouts (HpFreestyleDevice  *self,
                                            guint               response_timeout_ms);

extern const HpDriver hp_freestyle_driver;

G_END_DECLS
