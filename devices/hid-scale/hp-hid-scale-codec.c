/* HID point-of-sale scale codec: the scale data report of the HID Point of Sale usage tables. */
#include "hp-hid-scale-codec.h"

G_DEFINE_QUARK (hp-hid-scale-error-quark, hp_hid_scale_error)

#define GRAMS_PER_OUNCE 28.349523125

G_GNUC_PRINTF (5, 6)
static gboolean
fail_at (GError          **error,
         gsize            *error_offset,
         HpHidScaleError   code,
         gsize             offset,
         const char       *format,
         ...)
{
  va_list args;

  if (error_offset != NULL)
    *error_offset = offset;
  if (error != NULL)
    {
      va_start (args, format);
      *error = g_error_new_valist (HP_HID_SCALE_ERROR, code, format, args);
      va_end (args);
    }
  return FALSE;
}

gboolean
hp_hid_scale_decode_report (const guint8      *data,
                            gsize              len,
                            HpHidScaleReport  *report,
                            gsize             *error_offset,
                            GError           **error)
{
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  if (len != HP_HID_SCALE_REPORT_SIZE)
    return fail_at (error, error_offset, HP_HID_SCALE_ERROR_LENGTH, MIN (len, (gsize) HP_HID_SCALE_REPORT_SIZE),
                    "report of %" G_GSIZE_FORMAT " bytes, %u expected", len, HP_HID_SCALE_REPORT_SIZE);
  if (data[0] != HP_HID_SCALE_REPORT_ID)
    return fail_at (error, error_offset, HP_HID_SCALE_ERROR_FORMAT, 0,
                    "report id %u is not the scale data report (%u)", data[0], HP_HID_SCALE_REPORT_ID);
  if (data[1] < HP_HID_SCALE_STATUS_FAULT || data[1] > HP_HID_SCALE_STATUS_NEEDS_REZERO)
    return fail_at (error, error_offset, HP_HID_SCALE_ERROR_FORMAT, 1, "unknown scale status %u", data[1]);
  if (data[2] < HP_HID_SCALE_UNIT_MILLIGRAM || data[2] > HP_HID_SCALE_UNIT_MAX)
    return fail_at (error, error_offset, HP_HID_SCALE_ERROR_FORMAT, 2, "unknown weight unit %u", data[2]);

  report->status = (HpHidScaleStatus) data[1];
  report->unit = data[2];
  report->exponent = (gint8) data[3];
  report->raw = (guint16) (data[4] | data[5] << 8);
  return TRUE;
}

void
hp_hid_scale_encode_report (const HpHidScaleReport *report,
                            guint8                  out[HP_HID_SCALE_REPORT_SIZE])
{
  g_return_if_fail (report != NULL);

  out[0] = HP_HID_SCALE_REPORT_ID;
  out[1] = (guint8) report->status;
  out[2] = report->unit;
  out[3] = (guint8) report->exponent;
  out[4] = (guint8) (report->raw & 0xFF);
  out[5] = (guint8) (report->raw >> 8);
}

/* raw × 10^exponent, dividing for negative exponents so that a weight such
 * as 700 × 10^-1 comes out as exactly 70. */
static double
scaled (guint16 raw,
        gint8   exponent)
{
  double power = 1;

  for (int i = 0; i < ABS ((int) exponent); i++)
    power *= 10;
  return exponent < 0 ? raw / power : raw * power;
}

gboolean
hp_hid_scale_report_weight (const HpHidScaleReport  *report,
                            double                  *value,
                            const char             **unit,
                            GError                 **error)
{
  double weight;

  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (value != NULL && unit != NULL, FALSE);

  weight = scaled (report->raw, report->exponent);
  switch (report->unit)
    {
    case HP_HID_SCALE_UNIT_GRAM:
      *unit = "g";
      break;
    case HP_HID_SCALE_UNIT_KILOGRAM:
      *unit = "kg";
      break;
    case HP_HID_SCALE_UNIT_POUND:
      *unit = "[lb_av]";
      break;
    case HP_HID_SCALE_UNIT_OUNCE:
      *unit = "g";
      weight *= GRAMS_PER_OUNCE;
      break;
    default:
      g_set_error (error, HP_HID_SCALE_ERROR, HP_HID_SCALE_ERROR_UNIT,
                   "weight unit %u is not one a body scale uses", report->unit);
      return FALSE;
    }
  *value = weight;
  return TRUE;
}
