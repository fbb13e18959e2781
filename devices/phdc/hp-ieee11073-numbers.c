/* IEEE 11073-20601 numbers and time: SFLOAT, FLOAT and BCD absolute time. */
#include "hp-ieee11073.h"
#include "hp-ieee11073-private.h"

#include <math.h>

/* ---- numbers ---------------------------------------------------------- */

static const double powers_of_ten[] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
  1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
  1e23, 1e24, 1e25, 1e26, 1e27, 1e28, 1e29, 1e30, 1e31, 1e32,
  1e33, 1e34, 1e35, 1e36, 1e37, 1e38, 1e39, 1e40, 1e41, 1e42,
  1e43, 1e44, 1e45, 1e46, 1e47, 1e48, 1e49, 1e50, 1e51, 1e52,
  1e53, 1e54, 1e55, 1e56, 1e57, 1e58, 1e59, 1e60, 1e61, 1e62,
  1e63, 1e64, 1e65, 1e66, 1e67, 1e68, 1e69, 1e70, 1e71, 1e72,
  1e73, 1e74, 1e75, 1e76, 1e77, 1e78, 1e79, 1e80, 1e81, 1e82,
  1e83, 1e84, 1e85, 1e86, 1e87, 1e88, 1e89, 1e90, 1e91, 1e92,
  1e93, 1e94, 1e95, 1e96, 1e97, 1e98, 1e99, 1e100, 1e101, 1e102,
  1e103, 1e104, 1e105, 1e106, 1e107, 1e108, 1e109, 1e110, 1e111, 1e112,
  1e113, 1e114, 1e115, 1e116, 1e117, 1e118, 1e119, 1e120, 1e121, 1e122,
  1e123, 1e124, 1e125, 1e126, 1e127, 1e128,
};

/* FLOAT exponents are signed bytes: -128..127. */
G_STATIC_ASSERT (G_N_ELEMENTS (powers_of_ten) == 129);

/* Dividing by an exact power of ten rounds once, so 1205e-1 gives the double
 * nearest to 120.5 rather than 1205 * 0.1. */
static double
scale_by_ten (double mantissa,
              int    exponent)
{
  if (exponent >= 0)
    return mantissa * powers_of_ten[exponent];
  return mantissa / powers_of_ten[-exponent];
}

gboolean
hp_ieee11073_sfloat_is_special (guint16 raw)
{
  return raw >= HP_IEEE11073_SFLOAT_PINF && raw <= HP_IEEE11073_SFLOAT_NINF;
}

double
hp_ieee11073_sfloat_to_double (guint16 raw)
{
  int exponent = raw >> 12;
  int mantissa = raw & 0x0FFF;

  switch (raw)
    {
    case HP_IEEE11073_SFLOAT_PINF:
      return INFINITY;
    case HP_IEEE11073_SFLOAT_NINF:
      return -INFINITY;
    case HP_IEEE11073_SFLOAT_NAN:
    case HP_IEEE11073_SFLOAT_NRES:
    case 0x0801: /* reserved for future use */
      return NAN;
    default:
      break;
    }

  if (exponent >= 8)
    exponent -= 16;
  if (mantissa >= 0x0800)
    mantissa -= 0x1000;
  return scale_by_ten (mantissa, exponent);
}

/* At exponent 0 the mantissas 2046, 2047 and -2048..-2046 are the special
 * values, so finite numbers stay within ±2045 there. */
static gboolean
sfloat_fits (double value,
             int    exponent,
             long  *mantissa)
{
  double scaled = scale_by_ten (value, -exponent);
  long max = exponent == 0 ? 2045 : 2047;
  long min = exponent == 0 ? -2045 : -2048;

  if (scaled > max + 0.5 || scaled < min - 0.5)
    return FALSE;
  *mantissa = lround (scaled);
  return *mantissa >= min && *mantissa <= max;
}

static gboolean
sfloat_exact (double value,
              int    exponent,
              long   mantissa)
{
  double back = scale_by_ten ((double) mantissa, exponent);

  return fabs (back - value) <= fabs (value) * 1e-9;
}

static guint16
sfloat_pack (int  exponent,
             long mantissa)
{
  return (guint16) ((((unsigned) exponent & 0xF) << 12) | ((unsigned long) mantissa & 0x0FFF));
}

gboolean
hp_ieee11073_sfloat_from_double (double   value,
                                 guint16 *raw)
{
  long mantissa;

  g_return_val_if_fail (raw != NULL, FALSE);

  if (isnan (value))
    {
      *raw = HP_IEEE11073_SFLOAT_NAN;
      return TRUE;
    }
  if (isinf (value))
    {
      *raw = value > 0 ? HP_IEEE11073_SFLOAT_PINF : HP_IEEE11073_SFLOAT_NINF;
      return TRUE;
    }

  /* Prefer exponent 0 and then the fewest decimals that are exact, which is
   * how devices write whole mmHg; large values need positive exponents. */
  for (int exponent = 0; exponent >= -8; exponent--)
    {
      if (sfloat_fits (value, exponent, &mantissa) && sfloat_exact (value, exponent, mantissa))
        {
          *raw = sfloat_pack (exponent, mantissa);
          return TRUE;
        }
    }
  for (int exponent = 1; exponent <= 7; exponent++)
    {
      if (sfloat_fits (value, exponent, &mantissa) && sfloat_exact (value, exponent, mantissa))
        {
          *raw = sfloat_pack (exponent, mantissa);
          return TRUE;
        }
    }
  /* Not exact anywhere: take the most precise exponent that fits. */
  for (int exponent = -8; exponent <= 7; exponent++)
    {
      if (sfloat_fits (value, exponent, &mantissa))
        {
          *raw = sfloat_pack (exponent, mantissa);
          return TRUE;
        }
    }
  return FALSE;
}

double
hp_ieee11073_float_to_double (guint32 raw)
{
  int exponent = (gint8) (raw >> 24);
  gint32 mantissa = (gint32) (raw & 0x00FFFFFF);

  switch (raw)
    {
    case 0x007FFFFE:
      return INFINITY;
    case 0x00800002:
      return -INFINITY;
    case HP_IEEE11073_FLOAT_NAN:
    case 0x00800000: /* NRes */
    case 0x00800001: /* reserved */
      return NAN;
    default:
      break;
    }

  if (mantissa >= 0x00800000)
    mantissa -= 0x01000000;
  return scale_by_ten (mantissa, exponent);
}

gboolean
hp_ieee11073_float_from_double (double   value,
                                guint32 *raw)
{
  g_return_val_if_fail (raw != NULL, FALSE);

  if (isnan (value))
    {
      *raw = HP_IEEE11073_FLOAT_NAN;
      return TRUE;
    }
  if (isinf (value))
    {
      *raw = value > 0 ? 0x007FFFFE : 0x00800002;
      return TRUE;
    }
  /* Mantissas within ±(2^23 - 3) keep clear of the special values. */
  for (int exponent = 0; exponent >= -8; exponent--)
    {
      double scaled = scale_by_ten (value, -exponent);
      long mantissa;

      if (fabs (scaled) > 8388605.0)
        break;
      mantissa = lround (scaled);
      if (fabs (scale_by_ten ((double) mantissa, exponent) - value) <= fabs (value) * 1e-12)
        {
          *raw = ((guint32) (guint8) exponent << 24) | ((guint32) mantissa & 0x00FFFFFF);
          return TRUE;
        }
    }
  return FALSE;
}

/* ---- absolute time ---------------------------------------------------- */

gboolean
hp_ieee11073_bcd_to_int (guint8  bcd,
                         guint8 *value)
{
  if ((bcd >> 4) > 9 || (bcd & 0x0F) > 9)
    return FALSE;
  *value = (guint8) ((bcd >> 4) * 10 + (bcd & 0x0F));
  return TRUE;
}

static guint8
int_to_bcd (guint value)
{
  return (guint8) (((value / 10) << 4) | (value % 10));
}

static gboolean
absolute_time_valid (const HpIeee11073AbsoluteTime *time)
{
  return time->year >= 1 && time->year <= 9999 &&
         g_date_valid_dmy (time->day, time->month, time->year) &&
         time->hour <= 23 && time->minute <= 59 && time->second <= 59 &&
         time->hundredths <= 99;
}

gboolean
hp_ieee11073_decode_absolute_time (const guint8            *bytes,
                                   gsize                    len,
                                   HpIeee11073AbsoluteTime *time,
                                   GError                 **error)
{
  guint8 fields[HP_IEEE11073_ABSOLUTE_TIME_SIZE];

  g_return_val_if_fail (bytes != NULL || len == 0, FALSE);
  g_return_val_if_fail (time != NULL, FALSE);

  if (len < HP_IEEE11073_ABSOLUTE_TIME_SIZE)
    {
      g_set_error (error, HP_IEEE11073_ERROR, HP_IEEE11073_ERROR_TRUNCATED,
                   "absolute time needs 8 bytes, %" G_GSIZE_FORMAT " given", len);
      return FALSE;
    }
  for (gsize i = 0; i < HP_IEEE11073_ABSOLUTE_TIME_SIZE; i++)
    {
      if (!hp_ieee11073_bcd_to_int (bytes[i], &fields[i]))
        {
          g_set_error (error, HP_IEEE11073_ERROR, HP_IEEE11073_ERROR_MALFORMED,
                       "absolute time byte %" G_GSIZE_FORMAT " is not BCD", i);
          return FALSE;
        }
    }

  time->year = (guint16) (fields[0] * 100 + fields[1]);
  time->month = fields[2];
  time->day = fields[3];
  time->hour = fields[4];
  time->minute = fields[5];
  time->second = fields[6];
  time->hundredths = fields[7];

  if (!absolute_time_valid (time))
    {
      g_set_error_literal (error, HP_IEEE11073_ERROR, HP_IEEE11073_ERROR_MALFORMED,
                           "absolute time is not a valid date and time");
      return FALSE;
    }
  return TRUE;
}

gboolean
hp_ieee11073_encode_absolute_time (const HpIeee11073AbsoluteTime *time,
                                   guint8                         bytes[HP_IEEE11073_ABSOLUTE_TIME_SIZE])
{
  g_return_val_if_fail (time != NULL, FALSE);

  if (!absolute_time_valid (time))
    return FALSE;
  bytes[0] = int_to_bcd (time->year / 100u);
  bytes[1] = int_to_bcd (time->year % 100u);
  bytes[2] = int_to_bcd (time->month);
  bytes[3] = int_to_bcd (time->day);
  bytes[4] = int_to_bcd (time->hour);
  bytes[5] = int_to_bcd (time->minute);
  bytes[6] = int_to_bcd (time->second);
  bytes[7] = int_to_bcd (time->hundredths);
  return TRUE;
}

void
hp_ieee11073_absolute_time_from_date_time (GDateTime               *date_time,
                                           HpIeee11073AbsoluteTime *time)
{
  g_return_if_fail (date_time != NULL);
  g_return_if_fail (time != NULL);

  time->year = (guint16) g_date_time_get_year (date_time);
  time->month = (guint8) g_date_time_get_month (date_time);
  time->day = (guint8) g_date_time_get_day_of_month (date_time);
  time->hour = (guint8) g_date_time_get_hour (date_time);
  time->minute = (guint8) g_date_time_get_minute (date_time);
  time->second = (guint8) g_date_time_get_second (date_time);
  time->hundredths = (guint8) (g_date_time_get_microsecond (date_time) / 10000);
}

GDateTime *
hp_ieee11073_absolute_time_to_date_time (const HpIeee11073AbsoluteTime *time,
                                         GTimeZone                     *tz)
{
  g_return_val_if_fail (time != NULL, NULL);
  g_return_val_if_fail (tz != NULL, NULL);

  if (!absolute_time_valid (time))
    return NULL;
  return g_date_time_new (tz, time->year, time->month, time->day, time->hour,
                          time->minute, time->second + time->hundredths / 100.0);
}
