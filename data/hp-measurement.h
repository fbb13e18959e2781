/* One reading taken from a device: what was measured, its values, where and when. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  HP_MEASUREMENT_KIND_BLOOD_PRESSURE,
  HP_MEASUREMENT_KIND_BODY_WEIGHT,
  HP_MEASUREMENT_KIND_BLOOD_GLUCOSE,
} HpMeasurementKind;

#define HP_MEASUREMENT_KIND_LAST HP_MEASUREMENT_KIND_BLOOD_GLUCOSE

/* The quantities a measurement can carry; one kind may carry several
 * (a blood-pressure reading has systolic, diastolic, mean and pulse). */
typedef enum {
  HP_QUANTITY_SYSTOLIC,
  HP_QUANTITY_DIASTOLIC,
  HP_QUANTITY_MEAN_ARTERIAL,
  HP_QUANTITY_PULSE_RATE,
  HP_QUANTITY_BODY_WEIGHT,
  HP_QUANTITY_BLOOD_GLUCOSE,
} HpQuantity;

#define HP_QUANTITY_LAST HP_QUANTITY_BLOOD_GLUCOSE

/* What a device is doing while a measurement runs, for the patient's screen. */
typedef enum {
  HP_MEASUREMENT_PHASE_IDLE,
  HP_MEASUREMENT_PHASE_WAITING_FOR_DEVICE,
  HP_MEASUREMENT_PHASE_MEASURING,
  HP_MEASUREMENT_PHASE_RECEIVING,
  HP_MEASUREMENT_PHASE_DONE,
  /* The device needs the patient: a scale in motion, a monitor that waits
   * for its own START button to be pressed. */
  HP_MEASUREMENT_PHASE_STAND_STILL,
  HP_MEASUREMENT_PHASE_PRESS_START,
} HpMeasurementPhase;

typedef enum /*< flags >*/ {
  HP_MEASUREMENT_FLAG_NONE = 0,
  /* The device's clock was lost or is implausible; the kiosk time is used. */
  HP_MEASUREMENT_FLAG_DEVICE_CLOCK_INVALID = 1 << 0,
  /* The device showed HI or LO: the true value is above (or below) the
   * device's measuring range, and the value held is that range's limit. */
  HP_MEASUREMENT_FLAG_ABOVE_RANGE = 1 << 1,
  HP_MEASUREMENT_FLAG_BELOW_RANGE = 1 << 2,
  /* A blood-sugar test: what the patient said about eating in the 8 hours
   * before it (neither flag: not asked). The answer belongs to the
   * reading, so every later view reads it as it was taken. */
  HP_MEASUREMENT_FLAG_FASTING = 1 << 3,
  HP_MEASUREMENT_FLAG_NOT_FASTING = 1 << 4,
  /* Taken from someone who said they are under 18: adult categories of
   * blood pressure, pulse and weight do not apply. */
  HP_MEASUREMENT_FLAG_UNDER_18 = 1 << 5,
} HpMeasurementFlags;

#define HP_MEASUREMENT_FLAGS_ALL \
  (HP_MEASUREMENT_FLAG_DEVICE_CLOCK_INVALID | HP_MEASUREMENT_FLAG_ABOVE_RANGE | HP_MEASUREMENT_FLAG_BELOW_RANGE | \
   HP_MEASUREMENT_FLAG_FASTING | HP_MEASUREMENT_FLAG_NOT_FASTING | HP_MEASUREMENT_FLAG_UNDER_18)

#define HP_TYPE_MEASUREMENT (hp_measurement_get_type ())
G_DECLARE_FINAL_TYPE (HpMeasurement, hp_measurement, HP, MEASUREMENT, GObject)

HpMeasurement     *hp_measurement_new            (HpMeasurementKind  kind);

HpMeasurementKind  hp_measurement_get_kind       (HpMeasurement     *self);

void               hp_measurement_set_value      (HpMeasurement     *self,
                                                  HpQuantity         quantity,
                                                  double             value,
                                                  const char        *unit);
gboolean           hp_measurement_get_value      (HpMeasurement     *self,
                                                  HpQuantity         quantity,
                                                  double            *value,
                                                  const char       **unit);
/* The IEEE 11073-10101 code (partition << 16 | term code) the device gave
 * for @quantity, or 0 when it gave none (proprietary protocols). */
void               hp_measurement_set_mdc_code   (HpMeasurement     *self,
                                                  HpQuantity         quantity,
                                                  guint32            mdc_code);
guint32            hp_measurement_get_mdc_code   (HpMeasurement     *self,
                                                  HpQuantity         quantity);
/* The value of @quantity in the kiosk's canonical unit for it (mm[Hg],
 * /min, kg, mg/dL), converted from the unit the device sent. FALSE when the
 * quantity is absent or its unit is not one the kiosk knows. */
gboolean           hp_measurement_get_normalized_value (HpMeasurement *self,
                                                        HpQuantity     quantity,
                                                        double        *value);
const char        *hp_quantity_get_canonical_unit (HpQuantity        quantity);
gboolean           hp_measurement_has_value      (HpMeasurement     *self,
                                                  HpQuantity         quantity);

const char        *hp_measurement_get_device_id  (HpMeasurement     *self);
void               hp_measurement_set_device_id  (HpMeasurement     *self,
                                                  const char        *device_id);

GDateTime         *hp_measurement_get_device_time (HpMeasurement    *self);
void               hp_measurement_set_device_time (HpMeasurement    *self,
                                                   GDateTime        *device_time);

GDateTime         *hp_measurement_get_kiosk_time (HpMeasurement     *self);
void               hp_measurement_set_kiosk_time (HpMeasurement     *self,
                                                  GDateTime         *kiosk_time);

HpMeasurementFlags hp_measurement_get_flags      (HpMeasurement     *self);
void               hp_measurement_set_flags      (HpMeasurement     *self,
                                                  HpMeasurementFlags flags);

const char        *hp_measurement_kind_to_string (HpMeasurementKind  kind);
gboolean           hp_measurement_kind_from_string (const char      *str,
                                                    HpMeasurementKind *kind);
const char        *hp_quantity_to_string         (HpQuantity         quantity);
gboolean           hp_quantity_from_string       (const char        *str,
                                                  HpQuantity        *quantity);

G_END_DECLS
