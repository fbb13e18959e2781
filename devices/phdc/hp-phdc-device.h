/* A Personal Health Device (IEEE 11073-20601) driver: the kiosk as manager, over any transport. */
#pragma once

#include "hp-device.h"
#include "hp-driver.h"
#include "hp-transport-device.h"

G_BEGIN_DECLS

/* How long a cuff may take to inflate, measure and deflate (a retry
 * included) before its report is due. */
#define HP_PHDC_DEFAULT_MEASUREMENT_ALLOWANCE_MS (120 * 1000)
/* IEEE 11073-20601's timeouts: a confirmed response, and the configuration
 * report after "accepted-unknown-config". */
#define HP_PHDC_RESPONSE_TIMEOUT_MS 3000
#define HP_PHDC_CONFIGURATION_TIMEOUT_MS 10000

#define HP_TYPE_PHDC_DEVICE (hp_phdc_device_get_type ())
G_DECLARE_FINAL_TYPE (HpPhdcDevice, hp_phdc_device, HP, PHDC_DEVICE, HpTransportDevice)

/* On start_measurement the device waits for the agent's association
 * request. A standard configuration (blood pressure 0x02BC, weighing scale
 * 0x05DC, glucose 0x06A4) or one learned earlier from the same agent is
 * accepted at once; any other is accepted as unknown, and the agent's
 * configuration report is read and accepted when it holds a measurement of
 * the three specializations (remembered per system id and configuration),
 * or refused as unsupported. The configuration decides the specialization;
 * one that is not @kind fails the measurement with
 * HP_DEVICE_ERROR_UNSUPPORTED. Scan reports (fixed, var and their
 * multi-person forms, where the first person in a report is taken) are
 * confirmed; of the readings in them the newest one taken since the visit
 * start that the device has not given yet is kept, the association is
 * released, and then the measurement is emitted. Stored data read through a
 * PM-store is not supported: meters must send their readings in scan
 * reports. */
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
/* How long the agent may take to send its configuration report. */
void         hp_phdc_device_set_configuration_timeout (HpPhdcDevice *self,
                                                       guint         configuration_timeout_ms);

HpTransport *hp_phdc_device_get_transport (HpPhdcDevice      *self);

/* Configurations learned from agents, shared by every PHDC device of the
 * process. save() returns them as one blob; load() adds the ones in a blob
 * (replacing those of the same agent and id) and changes nothing when the
 * blob is damaged; forget() drops them all. */
GBytes      *hp_phdc_device_save_learned_configurations   (void);
gboolean     hp_phdc_device_load_learned_configurations   (GBytes            *blob,
                                                           GError           **error);
void         hp_phdc_device_forget_learned_configurations (void);
guint        hp_phdc_device_count_learned_configurations  (void);

/* The registry entry: any interface of class 0x0F. */
/* The IEEE 11073 specialization (MDC_DEV_SPEC_PROFILE_*, as a PHDC
 * function descriptor lists it) of a device measuring @kind. */
guint16 hp_phdc_specialization_for_kind (HpMeasurementKind kind);

extern const HpDriver hp_phdc_driver;

G_END_DECLS
