/* HID point-of-sale scale codec: the scale data report of the HID Point of Sale usage tables. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HP_HID_SCALE_ERROR (hp_hid_scale_error_quark ())

typedef enum {
  HP_HID_SCALE_ERROR_LENGTH, /* not the report's size */
  HP_HID_SCALE_ERROR_FORMAT, /* a field holds a value the tables do not define */
  HP_HID_SCALE_ERROR_UNIT,   /* a unit no body scale uses */
} HpHidScaleError;

GQuark hp_hid_scale_error_quark (void);

/* The HID usage page of scales (HID Point of Sale usage tables). */
#define HP_HID_SCALE_USAGE_PAGE 0x8D

/* Report id, status, unit, signed exponent, weight (2 bytes, little-endian). */
#define HP_HID_SCALE_REPORT_SIZE 6
#define HP_HID_SCALE_REPORT_ID   3

typedef enum {
  HP_HID_SCALE_STATUS_FAULT = 1,
  HP_HID_SCALE_STATUS_STABLE_ZERO = 2,
  HP_HID_SCALE_STATUS_IN_MOTION = 3,
  HP_HID_SCALE_STATUS_STABLE = 4,
  HP_HID_SCALE_STATUS_UNDER_ZERO = 5,
  HP_HID_SCALE_STATUS_OVERWEIGHT = 6,
  HP_HID_SCALE_STATUS_NEEDS_CALIBRATION = 7,
  HP_HID_SCALE_STATUS_NEEDS_REZERO = 8,
} HpHidScaleStatus;

/* Weight units of the tables (milligram 1 … pound 12); body scales send
 * grams, kilograms, ounces or pounds. */
typedef enum {
  HP_HID_SCALE_UNIT_MILLIGRAM = 1,
  HP_HID_SCALE_UNIT_GRAM = 2,
  HP_HID_SCALE_UNIT_KILOGRAM = 3,
  HP_HID_SCALE_UNIT_OUNCE = 11,
  HP_HID_SCALE_UNIT_POUND = 12,
} HpHidScaleUnit;

#define HP_HID_SCALE_UNIT_MAX 12

typedef struct {
  HpHidScaleStatus status;
  guint8  unit;      /* HpHidScaleUnit or another unit of the tables */
  gint8   exponent;  /* weight = raw × 10^exponent */
  guint16 raw;
} HpHidScaleReport;

/* One input report. Fails with LENGTH unless it is exactly 6 bytes, and with
 * FORMAT for another report id (offset 0), a status outside 1–8 (offset 1)
 * or a unit outside 1–12 (offset 2). */
gboolean hp_hid_scale_decode_report (const guint8      *data,
                                     gsize              len,
                                     HpHidScaleReport  *report,
                                     gsize             *error_offset,
                                     GError           **error);

void     hp_hid_scale_encode_report (const HpHidScaleReport *report,
                                     guint8                  out[HP_HID_SCALE_REPORT_SIZE]);

/* The weight a report carries, with its UCUM unit: "g", "kg" or "[lb_av]"
 * as sent. The kiosk's units have no ounce, so an ounce weight is given in
 * grams (1 oz = 28.349523125 g exactly, so nothing is lost but the label).
 * Other units fail with HP_HID_SCALE_ERROR_UNIT. */
gboolean hp_hid_scale_report_weight (const HpHidScaleReport  *report,
                                     double                  *value,
                                     const char             **unit,
                                     GError                 **error);

G_END_DECLS
