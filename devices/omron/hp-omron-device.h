/* Omron USB HID blood-pressure monitor drivers: the HEM-790IT and HEM-7322U families read their stored readings. */
#pragma once

#include "hp-device.h"
#include "hp-driver.h"
#include "hp-transport-device.h"

G_BEGIN_DECLS

typedef enum {
  HP_OMRON_FAMILY_HEM790,  /* HEM-790IT, 0590:0028: letter commands, "OK"/"NO" replies */
  HP_OMRON_FAMILY_HEM7322, /* HEM-7322U and HEM-7131U, 0590:0090: memory reads */
} HpOmronFamily;

/* libomron and obpm both wait a second for each reply. */
#define HP_OMRON_DEFAULT_RESPONSE_TIMEOUT_MS 1000
/* How long a HEM-7322U may wait for its START/STOP button. */
#define HP_OMRON_DEFAULT_PRESS_START_LIMIT_MS (60 * 1000)
/* Tries per command when the monitor answers "NO", garbles or keeps silent. */
#define HP_OMRON_MAX_ATTEMPTS 3

#define HP_TYPE_OMRON_DEVICE (hp_omron_device_get_type ())
G_DECLARE_FINAL_TYPE (HpOmronDevice, hp_omron_device, HP, OMRON_DEVICE, HpTransportDevice)

/* @transport is a report link. A measurement reads the monitor's memory and
 * gives its newest reading taken since hp_device_get_visit_start() (any age
 * when that is %NULL) that this device has not given yet; with none it fails
 * with HP_DEVICE_ERROR_NO_NEW_READING. @serial (may be %NULL) goes into the
 * measurements' device ids. */
HpDevice *hp_omron_device_new              (const char    *id,
                                            const char    *name,
                                            const char    *serial,
                                            HpOmronFamily  family,
                                            HpTransport   *transport);

void      hp_omron_device_set_timeouts     (HpOmronDevice *self,
                                            guint          response_timeout_ms,
                                            guint          press_start_limit_ms);
/* HEM-7322U family only: 100 (HEM-7322U, the default) or 60 (HEM-7131U). */
void      hp_omron_device_set_records_per_user (HpOmronDevice *self,
                                                guint          records_per_user);

extern const HpDriver hp_omron_hem790_driver;
extern const HpDriver hp_omron_hem7322_driver;

G_END_DECLS
