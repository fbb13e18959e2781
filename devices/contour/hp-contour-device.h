/* The Ascensia (Bayer) Contour glucometer driver: ASTM E1381/E1394 records over 64-byte HID reports. */
#pragma once

#include "hp-capture.h"
#include "hp-device.h"
#include "hp-driver.h"
#include "hp-transport-device.h"

G_BEGIN_DECLS

/* E1381 gives a sender 15 s to hear back and a receiver 30 s for a frame;
 * a meter on USB answers at once, so the kiosk waits the shorter one for
 * every message. */
#define HP_CONTOUR_RESPONSE_TIMEOUT_MS 15000

/* Reports are 64 bytes both ways; byte 3 holds the payload length. */
/* The meters' measuring range (Ascensia's user guides for the Contour USB
 * and Contour Next meters: 20 to 600 mg/dL, 1.1 to 33.3 mmol/L); a result
 * outside it shows HI or LO and is kept as this limit. */
#define HP_CONTOUR_RANGE_LOW_MG_DL 20.0
#define HP_CONTOUR_RANGE_HIGH_MG_DL 600.0

#define HP_CONTOUR_REPORT_SIZE 64
#define HP_CONTOUR_PAYLOAD_MAX 60

#define HP_TYPE_CONTOUR_DEVICE (hp_contour_device_get_type ())
G_DECLARE_FINAL_TYPE (HpContourDevice, hp_contour_device, HP, CONTOUR_DEVICE, HpTransportDevice)

/* On start_measurement the driver sends EOT, answers the meter's ENQ, takes
 * its records frame by frame (NAK and resend on a bad frame, up to
 * HP_ASTM_MAX_RETRANSMISSIONS times), and after the meter's EOT gives the
 * newest reading of this visit (see hp-glucometer-history.h). */
HpDevice *hp_contour_device_new          (const char      *id,
                                          const char      *name,
                                          HpTransport     *transport);

void      hp_contour_device_set_timeouts (HpContourDevice *self,
                                          guint            response_timeout_ms);

/* Appends the 64-byte output report carrying @payload ("ABC", length,
 * payload, zero padding); @len at most HP_CONTOUR_PAYLOAD_MAX. */
void      hp_contour_encode_report       (GByteArray      *out,
                                          const guint8    *payload,
                                          gsize            len);

/* The registry entry: Ascensia's VID 0x1a79 with the Contour product ids. */
extern const HpDriver hp_contour_driver;

G_END_DECLS
