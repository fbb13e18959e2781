/* IEEE 11073-20601 (PHD exchange protocol, MDER encoding) codec: APDUs, numbers, time, scan reports. */
#include "hp-ieee11073.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

G_DEFINE_QUARK (hp-ieee11073-error-quark, hp_ieee11073_error)

/* A window [pos, end) over the buffer being decoded. Offsets stay relative to
 * the start of that buffer so that every error can name the byte it is about. */
typedef struct {
  const guint8 *data;
  gsize pos;
  gsize end;
  gsize *error_offset;
  GError **error;
} Cursor;

G_GNUC_PRINTF (4, 5)
static gboolean
cursor_fail (Cursor     *c,
             int         code,
             gsize       offset,
             const char *format,
             ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  if (c->error_offset != NULL)
    *c->error_offset = offset;
  g_set_error (c->error, HP_IEEE11073_ERROR, code, "%s at byte %" G_GSIZE_FORMAT, what, offset);
  return FALSE;
}

static gsize
cursor_left (const Cursor *c)
{
  return c->end - c->pos;
}

static gboolean
cursor_need (Cursor     *c,
             gsize       n,
             const char *what)
{
  if (cursor_left (c) < n)
    return cursor_fail (c, HP_IEEE11073_ERROR_TRUNCATED, c->pos,
                        "%s needs %" G_GSIZE_FORMAT " bytes, %" G_GSIZE_FORMAT " left",
                        what, n, cursor_left (c));
  return TRUE;
}

static gboolean
read_u8 (Cursor     *c,
         guint8     *value,
         const char *what)
{
  if (!cursor_need (c, 1, what))
    return FALSE;
  *value = c->data[c->pos];
  c->pos += 1;
  return TRUE;
}

static gboolean
read_u16 (Cursor     *c,
          guint16    *value,
          const char *what)
{
  if (!cursor_need (c, 2, what))
    return FALSE;
  *value = (guint16) ((c->data[c->pos] << 8) | c->data[c->pos + 1]);
  c->pos += 2;
  return TRUE;
}

static gboolean
read_u32 (Cursor     *c,
          guint32    *value,
          const char *what)
{
  if (!cursor_need (c, 4, what))
    return FALSE;
  *value = ((guint32) c->data[c->pos] << 24) | ((guint32) c->data[c->pos + 1] << 16) |
           ((guint32) c->data[c->pos + 2] << 8) | (guint32) c->data[c->pos + 3];
  c->pos += 4;
  return TRUE;
}

/* Reads a 16-bit length and opens a window of that many bytes after it; the
 * outer cursor moves past the window. A length that overruns what is left is
 * reported at the offset of the length field itself. */
static gboolean
read_window (Cursor     *c,
             Cursor     *inner,
             const char *what)
{
  gsize length_offset = c->pos;
  guint16 length;

  if (!read_u16 (c, &length, what))
    return FALSE;
  if (length > cursor_left (c))
    return cursor_fail (c, HP_IEEE11073_ERROR_TRUNCATED, length_offset,
                        "%s of %u bytes overruns the %" G_GSIZE_FORMAT " bytes left",
                        what, length, cursor_left (c));
  *inner = *c;
  inner->end = c->pos + length;
  c->pos += length;
  return TRUE;
}

static gboolean
expect_consumed (Cursor     *c,
                 const char *what)
{
  if (c->pos != c->end)
    return cursor_fail (c, HP_IEEE11073_ERROR_MALFORMED, c->pos,
                        "%" G_GSIZE_FORMAT " unexpected bytes after %s",
                        cursor_left (c), what);
  return TRUE;
}

/* count + length + items: the window must hold exactly @count items. */
static gboolean
read_list_header (Cursor     *c,
                  guint16    *count,
                  Cursor     *items,
                  const char *what)
{
  return read_u16 (c, count, what) && read_window (c, items, what);
}

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

static gboolean
bcd_to_int (guint8  bcd,
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
      if (!bcd_to_int (bytes[i], &fields[i]))
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

/* ---- APDU decoding ---------------------------------------------------- */

gboolean
hp_ieee11073_apdu_complete (const guint8 *data,
                            gsize         len,
                            gsize        *frame_len)
{
  gsize needed;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  if (len < HP_IEEE11073_APDU_HEADER_SIZE)
    return FALSE;
  needed = HP_IEEE11073_APDU_HEADER_SIZE + (((gsize) data[2] << 8) | data[3]);
  if (len < needed)
    return FALSE;
  if (frame_len != NULL)
    *frame_len = needed;
  return TRUE;
}

static gboolean
decode_attribute_list (Cursor     *c,
                       const char *what)
{
  Cursor items;
  guint16 count;

  if (!read_list_header (c, &count, &items, what))
    return FALSE;
  for (guint i = 0; i < count; i++)
    {
      guint16 attribute_id;
      Cursor value;

      if (!read_u16 (&items, &attribute_id, "attribute id") ||
          !read_window (&items, &value, "attribute value"))
        return FALSE;
    }
  return expect_consumed (&items, what);
}

static gboolean
decode_assoc_info (Cursor               *c,
                   HpIeee11073AssocInfo *info)
{
  Cursor system_id;
  gsize system_id_offset;

  if (!read_u32 (c, &info->protocol_version, "protocol version") ||
      !read_u16 (c, &info->encoding_rules, "encoding rules") ||
      !read_u32 (c, &info->nomenclature_version, "nomenclature version") ||
      !read_u32 (c, &info->functional_units, "functional units") ||
      !read_u32 (c, &info->system_type, "system type"))
    return FALSE;

  system_id_offset = c->pos;
  if (!read_window (c, &system_id, "system id"))
    return FALSE;
  if (cursor_left (&system_id) > HP_IEEE11073_SYSTEM_ID_MAX)
    return cursor_fail (c, HP_IEEE11073_ERROR_MALFORMED, system_id_offset,
                        "system id of %" G_GSIZE_FORMAT " bytes is too long",
                        cursor_left (&system_id));
  info->system_id_len = cursor_left (&system_id);
  if (info->system_id_len > 0)
    memcpy (info->system_id, system_id.data + system_id.pos, info->system_id_len);

  if (!read_u16 (c, &info->dev_config_id, "dev-config-id") ||
      !read_u16 (c, &info->data_req_mode_flags, "data-req-mode flags") ||
      !read_u8 (c, &info->data_req_init_agent_count, "data-req-init agent count") ||
      !read_u8 (c, &info->data_req_init_manager_count, "data-req-init manager count"))
    return FALSE;

  return decode_attribute_list (c, "option list") && expect_consumed (c, "association information");
}

static gboolean
decode_aarq (Cursor          *c,
             HpIeee11073Aarq *aarq)
{
  Cursor protos;
  guint16 count;

  if (!read_u32 (c, &aarq->assoc_version, "association version") ||
      !read_list_header (c, &count, &protos, "data-proto-list"))
    return FALSE;

  for (guint i = 0; i < count; i++)
    {
      guint16 proto_id;
      Cursor info;

      if (!read_u16 (&protos, &proto_id, "data-proto-id") ||
          !read_window (&protos, &info, "data-proto-info"))
        return FALSE;
      if (proto_id == HP_IEEE11073_DATA_PROTO_ID_20601 && !aarq->has_20601)
        {
          if (!decode_assoc_info (&info, &aarq->info))
            return FALSE;
          aarq->has_20601 = TRUE;
        }
    }
  return expect_consumed (&protos, "data-proto-list") && expect_consumed (c, "AARQ");
}

static gboolean
decode_aare (Cursor          *c,
             HpIeee11073Aare *aare)
{
  Cursor info;

  if (!read_u16 (c, &aare->result, "association result") ||
      !read_u16 (c, &aare->data_proto_id, "data-proto-id") ||
      !read_window (c, &info, "data-proto-info"))
    return FALSE;
  if (aare->data_proto_id == HP_IEEE11073_DATA_PROTO_ID_20601 &&
      !decode_assoc_info (&info, &aare->info))
    return FALSE;
  return expect_consumed (c, "AARE");
}

static gboolean
decode_data_apdu (Cursor              *c,
                  HpIeee11073DataApdu *prst)
{
  Cursor data, args;

  if (!read_window (c, &data, "PRST octet string") || !expect_consumed (c, "PRST"))
    return FALSE;
  if (!read_u16 (&data, &prst->invoke_id, "invoke id") ||
      !read_u16 (&data, &prst->choice, "data APDU choice") ||
      !read_window (&data, &args, "data APDU choice length") ||
      !expect_consumed (&data, "data APDU"))
    return FALSE;

  prst->args = args.data + args.pos;
  prst->args_len = cursor_left (&args);
  prst->args_offset = args.pos;

  switch (prst->choice)
    {
    case HP_IEEE11073_ROIV_EVENT_REPORT:
    case HP_IEEE11073_ROIV_CONFIRMED_EVENT_REPORT:
    case HP_IEEE11073_RORS_CONFIRMED_EVENT_REPORT:
      {
        Cursor info;

        if (!read_u16 (&args, &prst->obj_handle, "object handle") ||
            !read_u32 (&args, &prst->event_time, "event time") ||
            !read_u16 (&args, &prst->event_type, "event type") ||
            !read_window (&args, &info, "event info") ||
            !expect_consumed (&args, "event report"))
          return FALSE;
        prst->is_event_report = TRUE;
        prst->event_info = info.data + info.pos;
        prst->event_info_len = cursor_left (&info);
        prst->event_info_offset = info.pos;
      }
      break;
    default:
      /* Other invocations (GET, SET, ACTION, errors, rejects) keep their body
       * undecoded; the state machine decides whether it cares. */
      break;
    }
  return TRUE;
}

gboolean
hp_ieee11073_decode_apdu (const guint8     *data,
                          gsize             len,
                          HpIeee11073Apdu  *apdu,
                          gsize            *error_offset,
                          GError          **error)
{
  Cursor c = { data, 0, len, error_offset, error };
  Cursor body;
  guint16 tag;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (apdu != NULL, FALSE);

  memset (apdu, 0, sizeof *apdu);

  if (!read_u16 (&c, &tag, "APDU tag") || !read_window (&c, &body, "APDU length"))
    return FALSE;
  apdu->total_len = c.pos;

  switch (tag)
    {
    case HP_IEEE11073_APDU_AARQ:
      apdu->type = HP_IEEE11073_APDU_AARQ;
      return decode_aarq (&body, &apdu->u.aarq);
    case HP_IEEE11073_APDU_AARE:
      apdu->type = HP_IEEE11073_APDU_AARE;
      return decode_aare (&body, &apdu->u.aare);
    case HP_IEEE11073_APDU_RLRQ:
    case HP_IEEE11073_APDU_RLRE:
      apdu->type = (HpIeee11073ApduType) tag;
      return read_u16 (&body, &apdu->u.release_reason, "release reason") &&
             expect_consumed (&body, "release");
    case HP_IEEE11073_APDU_ABRT:
      apdu->type = HP_IEEE11073_APDU_ABRT;
      return read_u16 (&body, &apdu->u.abort_reason, "abort reason") &&
             expect_consumed (&body, "ABRT");
    case HP_IEEE11073_APDU_PRST:
      apdu->type = HP_IEEE11073_APDU_PRST;
      return decode_data_apdu (&body, &apdu->u.prst);
    default:
      return cursor_fail (&c, HP_IEEE11073_ERROR_UNSUPPORTED, 0, "unknown APDU tag 0x%04x", tag);
    }
}

/* ---- scan reports ----------------------------------------------------- */

gboolean
hp_ieee11073_decode_fixed_scan_report (const HpIeee11073DataApdu   *prst,
                                       guint16                     *data_req_id,
                                       guint16                     *scan_report_no,
                                       HpIeee11073ObservationFunc   func,
                                       gpointer                     user_data,
                                       gsize                       *error_offset,
                                       GError                     **error)
{
  Cursor c, observations;
  guint16 count, req_id, report_no;

  g_return_val_if_fail (prst != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  /* The cursor is based at the start of the original buffer so offsets in
   * errors match those of hp_ieee11073_decode_apdu(). */
  c.data = prst->args - prst->args_offset;
  c.error_offset = error_offset;
  c.error = error;

  if (!prst->is_event_report || prst->choice == HP_IEEE11073_RORS_CONFIRMED_EVENT_REPORT)
    {
      c.pos = c.end = prst->args_offset;
      return cursor_fail (&c, HP_IEEE11073_ERROR_UNSUPPORTED, prst->args_offset,
                          "data APDU choice 0x%04x is not an event report", prst->choice);
    }
  c.pos = prst->event_info_offset;
  c.end = prst->event_info_offset + prst->event_info_len;
  if (prst->event_type != HP_IEEE11073_NOTI_SCAN_REPORT_FIXED)
    return cursor_fail (&c, HP_IEEE11073_ERROR_UNSUPPORTED, prst->event_info_offset,
                        "event type 0x%04x is not a fixed scan report", prst->event_type);

  if (!read_u16 (&c, &req_id, "data-req-id") ||
      !read_u16 (&c, &report_no, "scan-report-no") ||
      !read_list_header (&c, &count, &observations, "obs-scan-fixed list"))
    return FALSE;

  for (guint i = 0; i < count; i++)
    {
      guint16 handle;
      Cursor value;

      if (!read_u16 (&observations, &handle, "obj-handle") ||
          !read_window (&observations, &value, "obs-val-data"))
        return FALSE;
      if (!func (handle, value.data + value.pos, cursor_left (&value), value.pos,
                 user_data, error_offset, error))
        return FALSE;
    }
  if (!expect_consumed (&observations, "obs-scan-fixed list") ||
      !expect_consumed (&c, "scan report"))
    return FALSE;

  if (data_req_id != NULL)
    *data_req_id = req_id;
  if (scan_report_no != NULL)
    *scan_report_no = report_no;
  return TRUE;
}

typedef struct {
  HpIeee11073BloodPressure *reading;
  gboolean has_pressure;
} BloodPressureDecoding;

#define BP_PRESSURE_VALUE_LEN (4 + 3 * 2 + HP_IEEE11073_ABSOLUTE_TIME_SIZE)
#define BP_PULSE_VALUE_LEN    (2 + HP_IEEE11073_ABSOLUTE_TIME_SIZE)

static guint16
be16 (const guint8 *p)
{
  return (guint16) ((p[0] << 8) | p[1]);
}

static gboolean
blood_pressure_observation (guint16        obj_handle,
                            const guint8  *value,
                            gsize          value_len,
                            gsize          value_offset,
                            gpointer       user_data,
                            gsize         *error_offset,
                            GError       **error)
{
  BloodPressureDecoding *decoding = user_data;
  HpIeee11073BloodPressure *reading = decoding->reading;
  Cursor c = { value - value_offset, value_offset, value_offset + value_len, error_offset, error };

  switch (obj_handle)
    {
    case HP_IEEE11073_BP_HANDLE_PRESSURE:
      {
        guint16 count, length;

        if (value_len != BP_PRESSURE_VALUE_LEN)
          return cursor_fail (&c, HP_IEEE11073_ERROR_MALFORMED, value_offset,
                              "pressure observation has %" G_GSIZE_FORMAT " bytes, configuration 0x02BC has %d",
                              value_len, BP_PRESSURE_VALUE_LEN);
        if (!read_u16 (&c, &count, "compound count") || !read_u16 (&c, &length, "compound length"))
          return FALSE;
        if (count != 3 || length != 6)
          return cursor_fail (&c, HP_IEEE11073_ERROR_MALFORMED, value_offset,
                              "pressure compound is not three SFLOATs");
        reading->systolic = hp_ieee11073_sfloat_to_double (be16 (value + 4));
        reading->diastolic = hp_ieee11073_sfloat_to_double (be16 (value + 6));
        reading->mean_arterial = hp_ieee11073_sfloat_to_double (be16 (value + 8));
        /* A lost clock is not a reason to lose the reading. */
        reading->time_valid = hp_ieee11073_decode_absolute_time (value + 10, HP_IEEE11073_ABSOLUTE_TIME_SIZE,
                                                                 &reading->time, NULL);
        decoding->has_pressure = TRUE;
      }
      return TRUE;

    case HP_IEEE11073_BP_HANDLE_PULSE:
      if (value_len != BP_PULSE_VALUE_LEN)
        return cursor_fail (&c, HP_IEEE11073_ERROR_MALFORMED, value_offset,
                            "pulse observation has %" G_GSIZE_FORMAT " bytes, configuration 0x02BC has %d",
                            value_len, BP_PULSE_VALUE_LEN);
      reading->pulse = hp_ieee11073_sfloat_to_double (be16 (value));
      reading->has_pulse = TRUE;
      return TRUE;

    default:
      return cursor_fail (&c, HP_IEEE11073_ERROR_UNSUPPORTED, value_offset >= 4 ? value_offset - 4 : 0,
                          "object handle %u is not part of configuration 0x02BC", obj_handle);
    }
}

gboolean
hp_ieee11073_decode_blood_pressure (const HpIeee11073DataApdu  *prst,
                                    HpIeee11073BloodPressure   *reading,
                                    gsize                      *error_offset,
                                    GError                    **error)
{
  BloodPressureDecoding decoding = { reading, FALSE };

  g_return_val_if_fail (prst != NULL, FALSE);
  g_return_val_if_fail (reading != NULL, FALSE);

  memset (reading, 0, sizeof *reading);
  reading->systolic = reading->diastolic = reading->mean_arterial = reading->pulse = NAN;

  if (!hp_ieee11073_decode_fixed_scan_report (prst, &reading->data_req_id, &reading->scan_report_no,
                                              blood_pressure_observation, &decoding,
                                              error_offset, error))
    return FALSE;

  if (!decoding.has_pressure)
    {
      if (error_offset != NULL)
        *error_offset = prst->event_info_offset;
      g_set_error (error, HP_IEEE11073_ERROR, HP_IEEE11073_ERROR_MALFORMED,
                   "scan report has no pressure observation at byte %" G_GSIZE_FORMAT,
                   prst->event_info_offset);
      return FALSE;
    }
  return TRUE;
}

/* ---- encoding --------------------------------------------------------- */

static void
put_u8 (GByteArray *out,
        guint8      value)
{
  g_byte_array_append (out, &value, 1);
}

static void
put_u16 (GByteArray *out,
         guint16     value)
{
  guint8 bytes[2] = { (guint8) (value >> 8), (guint8) value };

  g_byte_array_append (out, bytes, sizeof bytes);
}

static void
put_u32 (GByteArray *out,
         guint32     value)
{
  guint8 bytes[4] = { (guint8) (value >> 24), (guint8) (value >> 16), (guint8) (value >> 8), (guint8) value };

  g_byte_array_append (out, bytes, sizeof bytes);
}

/* Fixed part of PhdAssociationInformation without the system id bytes:
 * versions, encoding, units, type, id length, config, req-mode, option list. */
#define ASSOC_INFO_FIXED_LEN 30

static void
put_assoc_info (GByteArray   *out,
                guint32       system_type,
                const guint8 *system_id,
                gsize         system_id_len,
                guint16       dev_config_id,
                guint16       data_req_mode_flags,
                guint8        init_agent_count)
{
  put_u32 (out, HP_IEEE11073_PROTOCOL_VERSION1);
  put_u16 (out, HP_IEEE11073_ENCODING_MDER);
  put_u32 (out, HP_IEEE11073_NOM_VERSION1);
  put_u32 (out, 0); /* functional units */
  put_u32 (out, system_type);
  put_u16 (out, (guint16) system_id_len);
  g_byte_array_append (out, system_id, (guint) system_id_len);
  put_u16 (out, dev_config_id);
  put_u16 (out, data_req_mode_flags);
  put_u8 (out, init_agent_count);
  put_u8 (out, 0); /* data-req-init manager count */
  put_u16 (out, 0); /* option list: count */
  put_u16 (out, 0); /* option list: length */
}

void
hp_ieee11073_encode_aarq (GByteArray   *out,
                          const guint8 *system_id,
                          gsize         system_id_len,
                          guint16       dev_config_id)
{
  gsize info_len = ASSOC_INFO_FIXED_LEN + system_id_len;

  g_return_if_fail (out != NULL);
  g_return_if_fail (system_id != NULL && system_id_len <= HP_IEEE11073_SYSTEM_ID_MAX);

  put_u16 (out, HP_IEEE11073_APDU_AARQ);
  put_u16 (out, (guint16) (4 + 4 + 4 + info_len));
  put_u32 (out, HP_IEEE11073_ASSOC_VERSION1);
  put_u16 (out, 1); /* data-proto-list: count */
  put_u16 (out, (guint16) (4 + info_len));
  put_u16 (out, HP_IEEE11073_DATA_PROTO_ID_20601);
  put_u16 (out, (guint16) info_len);
  /* data-req-supp-init-agent: the agent starts sending on its own. */
  put_assoc_info (out, HP_IEEE11073_SYS_TYPE_AGENT, system_id, system_id_len,
                  dev_config_id, 0x0001, 1);
}

void
hp_ieee11073_encode_aare (GByteArray   *out,
                          guint16       result,
                          const guint8 *system_id,
                          gsize         system_id_len)
{
  gboolean accepted = result == HP_IEEE11073_ASSOC_ACCEPTED ||
                      result == HP_IEEE11073_ASSOC_ACCEPTED_UNKNOWN_CONFIG;
  gsize info_len = ASSOC_INFO_FIXED_LEN + system_id_len;

  g_return_if_fail (out != NULL);
  g_return_if_fail (system_id != NULL && system_id_len <= HP_IEEE11073_SYSTEM_ID_MAX);

  put_u16 (out, HP_IEEE11073_APDU_AARE);
  if (!accepted)
    {
      /* A rejection selects no protocol. */
      put_u16 (out, 6);
      put_u16 (out, result);
      put_u16 (out, 0);
      put_u16 (out, 0);
      return;
    }
  put_u16 (out, (guint16) (2 + 2 + 2 + info_len));
  put_u16 (out, result);
  put_u16 (out, HP_IEEE11073_DATA_PROTO_ID_20601);
  put_u16 (out, (guint16) info_len);
  put_assoc_info (out, HP_IEEE11073_SYS_TYPE_MANAGER, system_id, system_id_len, 0, 0, 0);
}

static void
encode_reason (GByteArray *out,
               guint16     tag,
               guint16     reason)
{
  g_return_if_fail (out != NULL);
  put_u16 (out, tag);
  put_u16 (out, 2);
  put_u16 (out, reason);
}

void
hp_ieee11073_encode_rlrq (GByteArray *out,
                          guint16     reason)
{
  encode_reason (out, HP_IEEE11073_APDU_RLRQ, reason);
}

void
hp_ieee11073_encode_rlre (GByteArray *out,
                          guint16     reason)
{
  encode_reason (out, HP_IEEE11073_APDU_RLRE, reason);
}

void
hp_ieee11073_encode_abrt (GByteArray *out,
                          guint16     reason)
{
  encode_reason (out, HP_IEEE11073_APDU_ABRT, reason);
}

/* PRST header, data APDU header and the simple event report fields; @info_len
 * bytes of event info must follow. */
static void
put_event_report_header (GByteArray *out,
                         guint16     invoke_id,
                         guint16     choice,
                         guint16     obj_handle,
                         guint32     time,
                         guint16     event_type,
                         gsize       info_len)
{
  gsize args_len = 2 + 4 + 2 + 2 + info_len;
  gsize data_len = 2 + 2 + 2 + args_len;

  put_u16 (out, HP_IEEE11073_APDU_PRST);
  put_u16 (out, (guint16) (2 + data_len));
  put_u16 (out, (guint16) data_len);
  put_u16 (out, invoke_id);
  put_u16 (out, choice);
  put_u16 (out, (guint16) args_len);
  put_u16 (out, obj_handle);
  put_u32 (out, time);
  put_u16 (out, event_type);
  put_u16 (out, (guint16) info_len);
}

void
hp_ieee11073_encode_event_report_response (GByteArray *out,
                                           guint16     invoke_id,
                                           guint16     obj_handle,
                                           guint32     current_time,
                                           guint16     event_type)
{
  g_return_if_fail (out != NULL);
  put_event_report_header (out, invoke_id, HP_IEEE11073_RORS_CONFIRMED_EVENT_REPORT,
                           obj_handle, current_time, event_type, 0);
}

/* Bytes a PRST adds around the event info: tag, length, octet string length,
 * invoke id, choice, choice length, handle, time, type, info length. */
#define EVENT_REPORT_OVERHEAD 22

void
hp_ieee11073_encode_fixed_scan_report (GByteArray                   *out,
                                       guint16                       invoke_id,
                                       guint32                       event_time,
                                       guint16                       data_req_id,
                                       guint16                       scan_report_no,
                                       const HpIeee11073Observation *observations,
                                       gsize                         n_observations)
{
  gsize list_len = 0;
  gsize info_len;

  g_return_if_fail (out != NULL);
  g_return_if_fail (observations != NULL || n_observations == 0);
  g_return_if_fail (n_observations <= G_MAXUINT16);

  for (gsize i = 0; i < n_observations; i++)
    list_len += 4 + observations[i].value_len;
  info_len = 2 + 2 + 2 + 2 + list_len;
  g_return_if_fail (info_len + EVENT_REPORT_OVERHEAD - HP_IEEE11073_APDU_HEADER_SIZE <= G_MAXUINT16);

  put_event_report_header (out, invoke_id, HP_IEEE11073_ROIV_CONFIRMED_EVENT_REPORT,
                           0 /* the MDS */, event_time, HP_IEEE11073_NOTI_SCAN_REPORT_FIXED,
                           info_len);
  put_u16 (out, data_req_id);
  put_u16 (out, scan_report_no);
  put_u16 (out, (guint16) n_observations);
  put_u16 (out, (guint16) list_len);
  for (gsize i = 0; i < n_observations; i++)
    {
      put_u16 (out, observations[i].obj_handle);
      put_u16 (out, (guint16) observations[i].value_len);
      g_byte_array_append (out, observations[i].value, (guint) observations[i].value_len);
    }
}

static void
write_be16 (guint8  *p,
            guint16  value)
{
  p[0] = (guint8) (value >> 8);
  p[1] = (guint8) value;
}

gboolean
hp_ieee11073_encode_blood_pressure (GByteArray                     *out,
                                    guint16                         invoke_id,
                                    guint32                         event_time,
                                    const HpIeee11073BloodPressure *reading)
{
  guint8 pressure[BP_PRESSURE_VALUE_LEN];
  guint8 pulse[BP_PULSE_VALUE_LEN];
  HpIeee11073Observation observations[2] = {
    { HP_IEEE11073_BP_HANDLE_PRESSURE, pressure, sizeof pressure },
    { HP_IEEE11073_BP_HANDLE_PULSE, pulse, sizeof pulse },
  };
  guint16 sys, dia, mean, rate = HP_IEEE11073_SFLOAT_NAN;

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (reading != NULL, FALSE);

  if (!hp_ieee11073_sfloat_from_double (reading->systolic, &sys) ||
      !hp_ieee11073_sfloat_from_double (reading->diastolic, &dia) ||
      !hp_ieee11073_sfloat_from_double (reading->mean_arterial, &mean) ||
      (reading->has_pulse && !hp_ieee11073_sfloat_from_double (reading->pulse, &rate)))
    return FALSE;

  write_be16 (pressure, 3);
  write_be16 (pressure + 2, 6);
  write_be16 (pressure + 4, sys);
  write_be16 (pressure + 6, dia);
  write_be16 (pressure + 8, mean);
  if (!hp_ieee11073_encode_absolute_time (&reading->time, pressure + 10))
    return FALSE;
  write_be16 (pulse, rate);
  memcpy (pulse + 2, pressure + 10, HP_IEEE11073_ABSOLUTE_TIME_SIZE);

  hp_ieee11073_encode_fixed_scan_report (out, invoke_id, event_time, reading->data_req_id,
                                         reading->scan_report_no, observations,
                                         reading->has_pulse ? 2 : 1);
  return TRUE;
}

char *
hp_ieee11073_system_id_to_string (const guint8 *system_id,
                                  gsize         system_id_len)
{
  GString *str = g_string_sized_new (system_id_len * 2);

  g_return_val_if_fail (system_id != NULL || system_id_len == 0, NULL);

  for (gsize i = 0; i < system_id_len; i++)
    g_string_append_printf (str, "%02x", system_id[i]);
  return g_string_free (str, FALSE);
}

/* ---- units ------------------------------------------------------------- */

const char *
hp_ieee11073_unit_to_ucum (guint16 unit_code)
{
  switch (unit_code)
    {
    case HP_IEEE11073_MDC_DIM_MMHG:
      return "mm[Hg]";
    case HP_IEEE11073_MDC_DIM_KILO_PASCAL:
      return "kPa";
    case HP_IEEE11073_MDC_DIM_BEAT_PER_MIN:
      return "/min";
    case HP_IEEE11073_MDC_DIM_KILO_G:
      return "kg";
    case HP_IEEE11073_MDC_DIM_LB:
      return "[lb_av]";
    case HP_IEEE11073_MDC_DIM_MILLI_G_PER_DL:
      return "mg/dL";
    case HP_IEEE11073_MDC_DIM_MILLI_MOLE_PER_L:
      return "mmol/L";
    case HP_IEEE11073_MDC_DIM_CENTI_M:
      return "cm";
    case HP_IEEE11073_MDC_DIM_KG_PER_M_SQ:
      return "kg/m2";
    default:
      return NULL;
    }
}

/* ---- configurations ---------------------------------------------------- */

void
hp_ieee11073_config_free (HpIeee11073Config *config)
{
  if (config == NULL)
    return;
  g_free (config->objects);
  g_free (config);
}

HpIeee11073Config *
hp_ieee11073_config_copy (const HpIeee11073Config *config)
{
  HpIeee11073Config *copy;

  g_return_val_if_fail (config != NULL, NULL);

  copy = g_new0 (HpIeee11073Config, 1);
  copy->dev_config_id = config->dev_config_id;
  copy->n_objects = config->n_objects;
  copy->objects = g_memdup2 (config->objects, sizeof *config->objects * config->n_objects);
  return copy;
}

const HpIeee11073ConfigObject *
hp_ieee11073_config_find (const HpIeee11073Config *config,
                          guint16                  handle)
{
  g_return_val_if_fail (config != NULL, NULL);

  for (guint i = 0; i < config->n_objects; i++)
    if (config->objects[i].handle == handle)
      return &config->objects[i];
  return NULL;
}

static void
standard_numeric (HpIeee11073ConfigObject *object,
                  guint16                  handle,
                  guint16                  code,
                  guint16                  unit_code,
                  guint16                  value_attribute,
                  guint16                  value_length)
{
  object->obj_class = HP_IEEE11073_CLASS_METRIC_NUMERIC;
  object->handle = handle;
  object->type = HP_IEEE11073_SCADA (code);
  object->unit_code = unit_code;
  /* Intermittent, stored data, aperiodic, agent-initiated, measured. */
  object->metric_spec_small = 0xF040;
  object->n_value_map = 2;
  object->value_map[0] = (HpIeee11073ValueMapEntry) { value_attribute, value_length };
  object->value_map[1] = (HpIeee11073ValueMapEntry) { HP_IEEE11073_ATTR_TIME_STAMP_ABS, HP_IEEE11073_ABSOLUTE_TIME_SIZE };
}

HpIeee11073Config *
hp_ieee11073_config_new_standard (guint16 dev_config_id)
{
  g_autoptr(HpIeee11073Config) config = g_new0 (HpIeee11073Config, 1);

  config->dev_config_id = dev_config_id;
  switch (dev_config_id)
    {
    case HP_IEEE11073_CONFIG_BLOOD_PRESSURE:
      /* IEEE 11073-10407: the pressure compound and the pulse rate. */
      config->n_objects = 2;
      config->objects = g_new0 (HpIeee11073ConfigObject, 2);
      standard_numeric (&config->objects[0], HP_IEEE11073_BP_HANDLE_PRESSURE, HP_IEEE11073_MDC_PRESS_BLD_NONINV,
                        HP_IEEE11073_MDC_DIM_MMHG, HP_IEEE11073_ATTR_NU_CMPD_VAL_OBS_BASIC, 10);
      config->objects[0].metric_struct_small = 0x0303;
      config->objects[0].n_physio_ids = 3;
      config->objects[0].physio_ids[0] = HP_IEEE11073_MDC_PRESS_BLD_NONINV_SYS;
      config->objects[0].physio_ids[1] = HP_IEEE11073_MDC_PRESS_BLD_NONINV_DIA;
      config->objects[0].physio_ids[2] = HP_IEEE11073_MDC_PRESS_BLD_NONINV_MEAN;
      standard_numeric (&config->objects[1], HP_IEEE11073_BP_HANDLE_PULSE, HP_IEEE11073_MDC_PULS_RATE_NON_INV,
                        HP_IEEE11073_MDC_DIM_BEAT_PER_MIN, HP_IEEE11073_ATTR_NU_VAL_OBS_BASIC, 2);
      break;
    case HP_IEEE11073_CONFIG_WEIGHING_SCALE:
      /* IEEE 11073-10415: body weight as a FLOAT. Scales that claim this
       * configuration also report height (2) and BMI (3) with the same
       * layout (antidote's H241_ID_05DC capture), so those are known too
       * and skipped when reading. */
      config->n_objects = 3;
      config->objects = g_new0 (HpIeee11073ConfigObject, 3);
      standard_numeric (&config->objects[0], 1, HP_IEEE11073_MDC_MASS_BODY_ACTUAL,
                        HP_IEEE11073_MDC_DIM_KILO_G, HP_IEEE11073_ATTR_NU_VAL_OBS_SIMP, 4);
      standard_numeric (&config->objects[1], 2, HP_IEEE11073_MDC_LEN_BODY_ACTUAL,
                        HP_IEEE11073_MDC_DIM_CENTI_M, HP_IEEE11073_ATTR_NU_VAL_OBS_SIMP, 4);
      standard_numeric (&config->objects[2], 3, HP_IEEE11073_MDC_RATIO_MASS_BODY_LEN_SQ,
                        HP_IEEE11073_MDC_DIM_KG_PER_M_SQ, HP_IEEE11073_ATTR_NU_VAL_OBS_SIMP, 4);
      break;
    case HP_IEEE11073_CONFIG_GLUCOSE:
      /* IEEE 11073-10417: capillary whole-blood glucose as an SFLOAT. */
      config->n_objects = 1;
      config->objects = g_new0 (HpIeee11073ConfigObject, 1);
      standard_numeric (&config->objects[0], 1, HP_IEEE11073_MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD,
                        HP_IEEE11073_MDC_DIM_MILLI_G_PER_DL, HP_IEEE11073_ATTR_NU_VAL_OBS_BASIC, 2);
      break;
    default:
      return NULL;
    }
  return g_steal_pointer (&config);
}

static gboolean
read_u16_value (Cursor     *value,
                guint16    *out,
                const char *what)
{
  return read_u16 (value, out, what) && expect_consumed (value, what);
}

/* A MetricIdList or AttrValMap: count, length, then @count items of
 * @item_size bytes. */
static gboolean
read_counted_list (Cursor     *value,
                   gsize       item_size,
                   guint       max_items,
                   guint16    *count,
                   Cursor     *items,
                   const char *what)
{
  gsize count_offset = value->pos;

  if (!read_list_header (value, count, items, what) || !expect_consumed (value, what))
    return FALSE;
  if (*count > max_items)
    return cursor_fail (value, HP_IEEE11073_ERROR_UNSUPPORTED, count_offset,
                        "%s of %u entries is more than the %u the kiosk reads", what, *count, max_items);
  if ((gsize) *count * item_size != cursor_left (items))
    return cursor_fail (value, HP_IEEE11073_ERROR_MALFORMED, count_offset,
                        "%s of %u entries does not fill its %" G_GSIZE_FORMAT " bytes",
                        what, *count, cursor_left (items));
  return TRUE;
}

static gboolean
decode_config_attribute (Cursor                  *value,
                         guint16                  attribute_id,
                         HpIeee11073ConfigObject *object)
{
  Cursor items;
  guint16 count, partition, code;

  switch (attribute_id)
    {
    case HP_IEEE11073_ATTR_ID_TYPE:
      if (!read_u16 (value, &partition, "type partition") || !read_u16 (value, &code, "type code") ||
          !expect_consumed (value, "type"))
        return FALSE;
      object->type = (guint32) partition << 16 | code;
      return TRUE;
    case HP_IEEE11073_ATTR_UNIT_CODE:
      return read_u16_value (value, &object->unit_code, "unit code");
    case HP_IEEE11073_ATTR_METRIC_SPEC_SMALL:
      return read_u16_value (value, &object->metric_spec_small, "metric-spec-small");
    case HP_IEEE11073_ATTR_METRIC_STRUCT_SMALL:
      return read_u16_value (value, &object->metric_struct_small, "metric-structure-small");
    case HP_IEEE11073_ATTR_ID_PHYSIO_LIST:
      if (!read_counted_list (value, 2, HP_IEEE11073_MAX_COMPOUND, &count, &items, "metric-id list"))
        return FALSE;
      for (guint i = 0; i < count; i++)
        read_u16 (&items, &object->physio_ids[i], "metric id");
      object->n_physio_ids = (guint8) count;
      return TRUE;
    case HP_IEEE11073_ATTR_ATTRIBUTE_VAL_MAP:
      if (!read_counted_list (value, 4, HP_IEEE11073_MAX_VALUE_MAP, &count, &items, "attribute-value-map"))
        return FALSE;
      for (guint i = 0; i < count; i++)
        {
          read_u16 (&items, &object->value_map[i].attribute_id, "attribute id");
          read_u16 (&items, &object->value_map[i].length, "attribute length");
        }
      object->n_value_map = (guint8) count;
      return TRUE;
    default:
      /* Labels, accuracy, thresholds...: nothing the kiosk reads. */
      return TRUE;
    }
}

/* Smallest ConfigObject: class, handle, empty attribute list. */
#define CONFIG_OBJECT_MIN_SIZE 8

static HpIeee11073Config *
decode_config_at (Cursor *c)
{
  g_autoptr(HpIeee11073Config) config = g_new0 (HpIeee11073Config, 1);
  Cursor objects;
  gsize list_offset;
  guint16 count;

  if (!read_u16 (c, &config->dev_config_id, "config-report-id"))
    return NULL;
  list_offset = c->pos;
  if (!read_list_header (c, &count, &objects, "config-obj-list") ||
      !expect_consumed (c, "configuration report"))
    return NULL;
  if ((gsize) count * CONFIG_OBJECT_MIN_SIZE > cursor_left (&objects))
    {
      cursor_fail (c, HP_IEEE11073_ERROR_TRUNCATED, list_offset,
                   "config-obj-list of %u objects cannot fit in %" G_GSIZE_FORMAT " bytes",
                   count, cursor_left (&objects));
      return NULL;
    }
  config->n_objects = count;
  config->objects = g_new0 (HpIeee11073ConfigObject, MAX (count, 1));

  for (guint i = 0; i < count; i++)
    {
      HpIeee11073ConfigObject *object = &config->objects[i];
      gsize handle_offset;
      Cursor attributes;
      guint16 n_attributes;

      if (!read_u16 (&objects, &object->obj_class, "obj-class"))
        return NULL;
      handle_offset = objects.pos;
      if (!read_u16 (&objects, &object->handle, "obj-handle") ||
          !read_list_header (&objects, &n_attributes, &attributes, "attribute list"))
        return NULL;
      for (guint j = 0; j < i; j++)
        if (config->objects[j].handle == object->handle)
          {
            cursor_fail (c, HP_IEEE11073_ERROR_MALFORMED, handle_offset,
                         "object handle %u appears twice", object->handle);
            return NULL;
          }
      for (guint j = 0; j < n_attributes; j++)
        {
          guint16 attribute_id;
          Cursor value;

          if (!read_u16 (&attributes, &attribute_id, "attribute id") ||
              !read_window (&attributes, &value, "attribute value") ||
              !decode_config_attribute (&value, attribute_id, object))
            return NULL;
        }
      if (!expect_consumed (&attributes, "attribute list"))
        return NULL;
    }
  if (!expect_consumed (&objects, "config-obj-list"))
    return NULL;
  return g_steal_pointer (&config);
}

HpIeee11073Config *
hp_ieee11073_decode_config (const guint8  *data,
                            gsize          len,
                            gsize          base_offset,
                            gsize         *error_offset,
                            GError       **error)
{
  Cursor c = { data - base_offset, base_offset, base_offset + len, error_offset, error };

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  return decode_config_at (&c);
}

/* A cursor over the event info of @prst, with offsets of the buffer it was
 * decoded from. */
static gboolean
event_info_cursor (const HpIeee11073DataApdu *prst,
                   gboolean                   want_response,
                   Cursor                    *c,
                   gsize                     *error_offset,
                   GError                   **error)
{
  gboolean is_response = prst->choice == HP_IEEE11073_RORS_CONFIRMED_EVENT_REPORT;

  c->data = prst->args - prst->args_offset;
  c->error_offset = error_offset;
  c->error = error;
  if (!prst->is_event_report || is_response != want_response)
    {
      c->pos = c->end = prst->args_offset;
      return cursor_fail (c, HP_IEEE11073_ERROR_UNSUPPORTED, prst->args_offset,
                          "data APDU choice 0x%04x is not an event %s", prst->choice,
                          want_response ? "report response" : "report");
    }
  c->pos = prst->event_info_offset;
  c->end = prst->event_info_offset + prst->event_info_len;
  return TRUE;
}

HpIeee11073Config *
hp_ieee11073_decode_config_report (const HpIeee11073DataApdu *prst,
                                   gsize                     *error_offset,
                                   GError                   **error)
{
  Cursor c;

  g_return_val_if_fail (prst != NULL, NULL);

  if (!event_info_cursor (prst, FALSE, &c, error_offset, error))
    return NULL;
  if (prst->event_type != HP_IEEE11073_NOTI_CONFIG)
    {
      cursor_fail (&c, HP_IEEE11073_ERROR_UNSUPPORTED, prst->event_info_offset,
                   "event type 0x%04x is not a configuration report", prst->event_type);
      return NULL;
    }
  return decode_config_at (&c);
}

gboolean
hp_ieee11073_decode_config_report_response (const HpIeee11073DataApdu *prst,
                                            guint16                   *dev_config_id,
                                            guint16                   *result,
                                            GError                   **error)
{
  Cursor c;
  guint16 id, res;

  g_return_val_if_fail (prst != NULL, FALSE);

  if (!event_info_cursor (prst, TRUE, &c, NULL, error))
    return FALSE;
  if (prst->event_type != HP_IEEE11073_NOTI_CONFIG)
    return cursor_fail (&c, HP_IEEE11073_ERROR_UNSUPPORTED, prst->event_info_offset,
                        "event type 0x%04x is not a configuration report", prst->event_type);
  if (!read_u16 (&c, &id, "config-report-id") || !read_u16 (&c, &res, "config-result") ||
      !expect_consumed (&c, "configuration report response"))
    return FALSE;
  if (dev_config_id != NULL)
    *dev_config_id = id;
  if (result != NULL)
    *result = res;
  return TRUE;
}

/* ---- learned configurations ---------------------------------------------- */

static const guint8 learned_magic[8] = { 'H', 'P', '1', '1', '0', '7', '3', 'L' };
#define LEARNED_FORMAT_VERSION 1

void
hp_ieee11073_learned_config_free (HpIeee11073LearnedConfig *learned)
{
  if (learned == NULL)
    return;
  hp_ieee11073_config_free (learned->config);
  g_free (learned);
}

GPtrArray *
hp_ieee11073_decode_learned_configs (const guint8  *data,
                                     gsize          len,
                                     GError       **error)
{
  g_autoptr(GPtrArray) learned = g_ptr_array_new_with_free_func ((GDestroyNotify) hp_ieee11073_learned_config_free);
  Cursor c = { data, 0, len, NULL, error };
  guint8 version;
  guint16 count;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (!cursor_need (&c, sizeof learned_magic, "learned-configuration header"))
    return NULL;
  if (memcmp (data, learned_magic, sizeof learned_magic) != 0)
    {
      cursor_fail (&c, HP_IEEE11073_ERROR_MALFORMED, 0, "not a learned-configuration blob");
      return NULL;
    }
  c.pos += sizeof learned_magic;
  if (!read_u8 (&c, &version, "format version"))
    return NULL;
  if (version != LEARNED_FORMAT_VERSION)
    {
      cursor_fail (&c, HP_IEEE11073_ERROR_UNSUPPORTED, c.pos - 1, "format version %u is unknown", version);
      return NULL;
    }
  if (!read_u16 (&c, &count, "entry count"))
    return NULL;

  for (guint i = 0; i < count; i++)
    {
      g_autoptr(HpIeee11073LearnedConfig) entry = g_new0 (HpIeee11073LearnedConfig, 1);
      Cursor body;
      guint8 id_len;

      if (!read_u8 (&c, &id_len, "system id length"))
        return NULL;
      if (id_len > HP_IEEE11073_SYSTEM_ID_MAX)
        {
          cursor_fail (&c, HP_IEEE11073_ERROR_MALFORMED, c.pos - 1, "system id of %u bytes is too long", id_len);
          return NULL;
        }
      if (!cursor_need (&c, id_len, "system id"))
        return NULL;
      memcpy (entry->system_id, data + c.pos, id_len);
      entry->system_id_len = id_len;
      c.pos += id_len;
      if (!read_window (&c, &body, "configuration"))
        return NULL;
      entry->config = decode_config_at (&body);
      if (entry->config == NULL)
        return NULL;
      g_ptr_array_add (learned, g_steal_pointer (&entry));
    }
  if (!expect_consumed (&c, "learned configurations"))
    return NULL;
  return g_steal_pointer (&learned);
}

/* ---- scan reports ------------------------------------------------------ */

void
hp_ieee11073_scan_report_clear (HpIeee11073ScanReport *report)
{
  g_return_if_fail (report != NULL);
  g_clear_pointer (&report->observations, g_array_unref);
}

static void
set_value (HpIeee11073NumericObservation *obs,
           guint                          index,
           double                         value,
           gboolean                       special,
           guint32                        type)
{
  obs->values[index] = value;
  obs->value_types[index] = type;
  if (special)
    obs->special_mask |= 1u << index;
  else
    obs->special_mask &= ~(1u << index);
}

static gboolean
float_is_special (guint32 raw)
{
  return raw >= 0x007FFFFE && raw <= 0x00800002;
}

static guint32
compound_type (const HpIeee11073ConfigObject *object,
               guint                          index)
{
  if (index < object->n_physio_ids)
    return (object->type & 0xFFFF0000u) | object->physio_ids[index];
  return 0;
}

/* NuObsValue: metric-id, measurement-status, unit-code, FLOAT. Its unit
 * replaces the configuration's; a status with "invalid" set (bit 0) makes
 * the value unusable. */
#define NU_OBS_VALUE_SIZE 10
#define MEASUREMENT_STATUS_INVALID 0x8000

static void
read_nu_obs_value (Cursor                        *items,
                   const HpIeee11073ConfigObject *object,
                   HpIeee11073NumericObservation *obs,
                   guint                          index)
{
  guint16 metric_id, status, unit;
  guint32 raw;

  read_u16 (items, &metric_id, "metric id");
  read_u16 (items, &status, "measurement status");
  read_u16 (items, &unit, "unit code");
  read_u32 (items, &raw, "FLOAT");
  set_value (obs, index, hp_ieee11073_float_to_double (raw),
             float_is_special (raw) || (status & MEASUREMENT_STATUS_INVALID) != 0,
             (object->type & 0xFFFF0000u) | metric_id);
  obs->unit_code = unit;
}

static gboolean
decode_time_stamp (Cursor                        *value,
                   HpIeee11073NumericObservation *obs)
{
  const guint8 *bytes = value->data + value->pos;
  gboolean all_zero = TRUE, all_ones = TRUE;
  guint8 fields[HP_IEEE11073_ABSOLUTE_TIME_SIZE];

  if (!cursor_need (value, HP_IEEE11073_ABSOLUTE_TIME_SIZE, "absolute time"))
    return FALSE;
  for (gsize i = 0; i < HP_IEEE11073_ABSOLUTE_TIME_SIZE; i++)
    {
      all_zero = all_zero && bytes[i] == 0x00;
      all_ones = all_ones && bytes[i] == 0xFF;
    }
  obs->has_time = TRUE;
  obs->time_valid = FALSE;
  /* An unset clock reads as all zeros (or all ones): the reading stands,
   * without a time. Other bytes must be BCD. */
  if (!all_zero && !all_ones)
    {
      for (gsize i = 0; i < HP_IEEE11073_ABSOLUTE_TIME_SIZE; i++)
        if (!bcd_to_int (bytes[i], &fields[i]))
          return cursor_fail (value, HP_IEEE11073_ERROR_MALFORMED, value->pos + i,
                              "absolute time byte %" G_GSIZE_FORMAT " is not BCD", i);
      obs->time_valid = hp_ieee11073_decode_absolute_time (bytes, HP_IEEE11073_ABSOLUTE_TIME_SIZE,
                                                           &obs->time, NULL);
    }
  value->pos += HP_IEEE11073_ABSOLUTE_TIME_SIZE;
  return expect_consumed (value, "absolute time");
}

/* One attribute of one observation, from a fixed report's value map or a
 * var report's attribute list. */
static gboolean
apply_attribute (Cursor                        *value,
                 guint16                        attribute_id,
                 const HpIeee11073ConfigObject *object,
                 HpIeee11073NumericObservation *obs)
{
  Cursor items;
  guint16 count, raw16;
  guint32 raw32;

  switch (attribute_id)
    {
    case HP_IEEE11073_ATTR_NU_VAL_OBS_SIMP:
      if (!read_u32 (value, &raw32, "FLOAT") || !expect_consumed (value, "simple value"))
        return FALSE;
      obs->n_values = 1;
      set_value (obs, 0, hp_ieee11073_float_to_double (raw32), float_is_special (raw32), object->type);
      return TRUE;
    case HP_IEEE11073_ATTR_NU_VAL_OBS_BASIC:
      if (!read_u16 (value, &raw16, "SFLOAT") || !expect_consumed (value, "basic value"))
        return FALSE;
      obs->n_values = 1;
      set_value (obs, 0, hp_ieee11073_sfloat_to_double (raw16), hp_ieee11073_sfloat_is_special (raw16),
                 object->type);
      return TRUE;
    case HP_IEEE11073_ATTR_NU_VAL_OBS:
      if (!cursor_need (value, NU_OBS_VALUE_SIZE, "NuObsValue"))
        return FALSE;
      read_nu_obs_value (value, object, obs, 0);
      obs->n_values = 1;
      return expect_consumed (value, "NuObsValue");
    case HP_IEEE11073_ATTR_NU_CMPD_VAL_OBS_SIMP:
      if (!read_counted_list (value, 4, HP_IEEE11073_MAX_COMPOUND, &count, &items, "compound value"))
        return FALSE;
      for (guint i = 0; i < count; i++)
        {
          read_u32 (&items, &raw32, "FLOAT");
          set_value (obs, i, hp_ieee11073_float_to_double (raw32), float_is_special (raw32),
                     compound_type (object, i));
        }
      obs->n_values = (guint8) count;
      return TRUE;
    case HP_IEEE11073_ATTR_NU_CMPD_VAL_OBS_BASIC:
      if (!read_counted_list (value, 2, HP_IEEE11073_MAX_COMPOUND, &count, &items, "compound value"))
        return FALSE;
      for (guint i = 0; i < count; i++)
        {
          read_u16 (&items, &raw16, "SFLOAT");
          set_value (obs, i, hp_ieee11073_sfloat_to_double (raw16), hp_ieee11073_sfloat_is_special (raw16),
                     compound_type (object, i));
        }
      obs->n_values = (guint8) count;
      return TRUE;
    case HP_IEEE11073_ATTR_NU_CMPD_VAL_OBS:
      if (!read_counted_list (value, NU_OBS_VALUE_SIZE, HP_IEEE11073_MAX_COMPOUND, &count, &items,
                              "compound value"))
        return FALSE;
      for (guint i = 0; i < count; i++)
        read_nu_obs_value (&items, object, obs, i);
      obs->n_values = (guint8) count;
      return TRUE;
    case HP_IEEE11073_ATTR_TIME_STAMP_ABS:
      return decode_time_stamp (value, obs);
    case HP_IEEE11073_ATTR_UNIT_CODE:
      return read_u16_value (value, &obs->unit_code, "unit code");
    default:
      /* Relative time, status, supplemental types: not needed. */
      value->pos = value->end;
      return TRUE;
    }
}

static void
observation_init (HpIeee11073NumericObservation *obs,
                  const HpIeee11073ConfigObject *object,
                  guint16                        person_id,
                  gsize                          offset)
{
  memset (obs, 0, sizeof *obs);
  obs->person_id = person_id;
  obs->obj_handle = object->handle;
  obs->type = object->type;
  obs->unit_code = object->unit_code;
  obs->offset = offset;
}

static const HpIeee11073ConfigObject *
find_reported_object (Cursor                  *c,
                      const HpIeee11073Config *config,
                      guint16                  handle,
                      gsize                    handle_offset)
{
  const HpIeee11073ConfigObject *object = hp_ieee11073_config_find (config, handle);

  if (object == NULL)
    cursor_fail (c, HP_IEEE11073_ERROR_UNSUPPORTED, handle_offset,
                 "object handle %u is not in configuration 0x%04x", handle, config->dev_config_id);
  return object;
}

static void
keep_observation (HpIeee11073ScanReport               *report,
                  const HpIeee11073ConfigObject       *object,
                  const HpIeee11073NumericObservation *obs)
{
  if (object->obj_class == HP_IEEE11073_CLASS_METRIC_NUMERIC && obs->n_values > 0)
    g_array_append_vals (report->observations, obs, 1);
}

static gboolean
decode_fixed_list (Cursor                  *c,
                   const HpIeee11073Config *config,
                   guint16                  person_id,
                   HpIeee11073ScanReport   *report)
{
  Cursor list;
  guint16 count;

  if (!read_list_header (c, &count, &list, "obs-scan-fixed list"))
    return FALSE;
  for (guint i = 0; i < count; i++)
    {
      const HpIeee11073ConfigObject *object;
      HpIeee11073NumericObservation obs;
      gsize handle_offset = list.pos, value_offset;
      guint16 handle;
      Cursor value;
      gsize expected = 0;

      if (!read_u16 (&list, &handle, "obj-handle"))
        return FALSE;
      value_offset = list.pos;
      if (!read_window (&list, &value, "obs-val-data"))
        return FALSE;
      if ((object = find_reported_object (c, config, handle, handle_offset)) == NULL)
        return FALSE;
      if (object->n_value_map == 0)
        return cursor_fail (c, HP_IEEE11073_ERROR_UNSUPPORTED, handle_offset,
                            "object handle %u has no attribute-value-map for fixed reports", handle);
      for (guint j = 0; j < object->n_value_map; j++)
        expected += object->value_map[j].length;
      if (expected != cursor_left (&value))
        return cursor_fail (c, HP_IEEE11073_ERROR_MALFORMED, value_offset,
                            "object handle %u has %" G_GSIZE_FORMAT " bytes, its attribute-value-map %" G_GSIZE_FORMAT,
                            handle, cursor_left (&value), expected);

      observation_init (&obs, object, person_id, handle_offset);
      for (guint j = 0; j < object->n_value_map; j++)
        {
          Cursor attribute = value;

          attribute.end = value.pos + object->value_map[j].length;
          if (!apply_attribute (&attribute, object->value_map[j].attribute_id, object, &obs))
            return FALSE;
          value.pos = attribute.end;
        }
      keep_observation (report, object, &obs);
    }
  return expect_consumed (&list, "obs-scan-fixed list");
}

static gboolean
decode_var_list (Cursor                  *c,
                 const HpIeee11073Config *config,
                 guint16                  person_id,
                 HpIeee11073ScanReport   *report)
{
  Cursor list;
  guint16 count;

  if (!read_list_header (c, &count, &list, "obs-scan-var list"))
    return FALSE;
  for (guint i = 0; i < count; i++)
    {
      const HpIeee11073ConfigObject *object;
      HpIeee11073NumericObservation obs;
      gsize handle_offset = list.pos;
      guint16 handle, n_attributes;
      Cursor attributes;

      if (!read_u16 (&list, &handle, "obj-handle") ||
          !read_list_header (&list, &n_attributes, &attributes, "attribute list"))
        return FALSE;
      if ((object = find_reported_object (c, config, handle, handle_offset)) == NULL)
        return FALSE;

      observation_init (&obs, object, person_id, handle_offset);
      for (guint j = 0; j < n_attributes; j++)
        {
          guint16 attribute_id;
          Cursor value;

          if (!read_u16 (&attributes, &attribute_id, "attribute id") ||
              !read_window (&attributes, &value, "attribute value") ||
              !apply_attribute (&value, attribute_id, object, &obs))
            return FALSE;
        }
      if (!expect_consumed (&attributes, "attribute list"))
        return FALSE;
      keep_observation (report, object, &obs);
    }
  return expect_consumed (&list, "obs-scan-var list");
}

gboolean
hp_ieee11073_decode_scan_report (const HpIeee11073DataApdu *prst,
                                 const HpIeee11073Config   *config,
                                 HpIeee11073ScanReport     *report,
                                 gsize                     *error_offset,
                                 GError                   **error)
{
  gboolean multi_person, fixed;
  Cursor c;

  g_return_val_if_fail (prst != NULL, FALSE);
  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  memset (report, 0, sizeof *report);
  report->observations = g_array_new (FALSE, FALSE, sizeof (HpIeee11073NumericObservation));

  if (!event_info_cursor (prst, FALSE, &c, error_offset, error))
    return FALSE;
  switch (prst->event_type)
    {
    case HP_IEEE11073_NOTI_SCAN_REPORT_FIXED:
      multi_person = FALSE, fixed = TRUE;
      break;
    case HP_IEEE11073_NOTI_SCAN_REPORT_VAR:
      multi_person = FALSE, fixed = FALSE;
      break;
    case HP_IEEE11073_NOTI_SCAN_REPORT_MP_FIXED:
      multi_person = TRUE, fixed = TRUE;
      break;
    case HP_IEEE11073_NOTI_SCAN_REPORT_MP_VAR:
      multi_person = TRUE, fixed = FALSE;
      break;
    default:
      return cursor_fail (&c, HP_IEEE11073_ERROR_UNSUPPORTED, prst->event_info_offset,
                          "event type 0x%04x is not a scan report", prst->event_type);
    }
  report->event_type = prst->event_type;

  if (!read_u16 (&c, &report->data_req_id, "data-req-id") ||
      !read_u16 (&c, &report->scan_report_no, "scan-report-no"))
    return FALSE;

  if (!multi_person)
    {
      if (!(fixed ? decode_fixed_list (&c, config, 0, report) : decode_var_list (&c, config, 0, report)))
        return FALSE;
    }
  else
    {
      Cursor persons;
      guint16 n_persons;

      if (!read_list_header (&c, &n_persons, &persons, "per-person list"))
        return FALSE;
      for (guint i = 0; i < n_persons; i++)
        {
          guint16 person_id;

          if (!read_u16 (&persons, &person_id, "person-id"))
            return FALSE;
          if (!(fixed ? decode_fixed_list (&persons, config, person_id, report)
                      : decode_var_list (&persons, config, person_id, report)))
            return FALSE;
        }
      if (!expect_consumed (&persons, "per-person list"))
        return FALSE;
    }
  return expect_consumed (&c, "scan report");
}

/* ---- encoding of configurations and reports ------------------------------ */

static void
put_attribute_u16 (GByteArray *out,
                   guint16     attribute_id,
                   guint16     value)
{
  put_u16 (out, attribute_id);
  put_u16 (out, 2);
  put_u16 (out, value);
}

/* Writes a 16-bit length placeholder and returns where it is. */
static guint
begin_length (GByteArray *out)
{
  guint at = out->len;

  put_u16 (out, 0);
  return at;
}

static void
end_length (GByteArray *out,
            guint       at)
{
  gsize length = out->len - at - 2;

  g_return_if_fail (length <= G_MAXUINT16);
  out->data[at] = (guint8) (length >> 8);
  out->data[at + 1] = (guint8) length;
}

void
hp_ieee11073_encode_config (GByteArray              *out,
                            const HpIeee11073Config *config)
{
  guint list_at;

  g_return_if_fail (out != NULL);
  g_return_if_fail (config != NULL);

  put_u16 (out, config->dev_config_id);
  put_u16 (out, config->n_objects);
  list_at = begin_length (out);
  for (guint i = 0; i < config->n_objects; i++)
    {
      const HpIeee11073ConfigObject *object = &config->objects[i];
      guint16 n_attributes = 0;
      guint count_at, attributes_at, at;

      put_u16 (out, object->obj_class);
      put_u16 (out, object->handle);
      count_at = out->len;
      put_u16 (out, 0);
      attributes_at = begin_length (out);
      if (object->type != 0)
        {
          put_u16 (out, HP_IEEE11073_ATTR_ID_TYPE);
          put_u16 (out, 4);
          put_u32 (out, object->type);
          n_attributes++;
        }
      if (object->metric_spec_small != 0)
        {
          put_attribute_u16 (out, HP_IEEE11073_ATTR_METRIC_SPEC_SMALL, object->metric_spec_small);
          n_attributes++;
        }
      if (object->metric_struct_small != 0)
        {
          put_attribute_u16 (out, HP_IEEE11073_ATTR_METRIC_STRUCT_SMALL, object->metric_struct_small);
          n_attributes++;
        }
      if (object->unit_code != 0)
        {
          put_attribute_u16 (out, HP_IEEE11073_ATTR_UNIT_CODE, object->unit_code);
          n_attributes++;
        }
      if (object->n_physio_ids > 0)
        {
          put_u16 (out, HP_IEEE11073_ATTR_ID_PHYSIO_LIST);
          at = begin_length (out);
          put_u16 (out, object->n_physio_ids);
          put_u16 (out, (guint16) (object->n_physio_ids * 2));
          for (guint j = 0; j < object->n_physio_ids; j++)
            put_u16 (out, object->physio_ids[j]);
          end_length (out, at);
          n_attributes++;
        }
      if (object->n_value_map > 0)
        {
          put_u16 (out, HP_IEEE11073_ATTR_ATTRIBUTE_VAL_MAP);
          at = begin_length (out);
          put_u16 (out, object->n_value_map);
          put_u16 (out, (guint16) (object->n_value_map * 4));
          for (guint j = 0; j < object->n_value_map; j++)
            {
              put_u16 (out, object->value_map[j].attribute_id);
              put_u16 (out, object->value_map[j].length);
            }
          end_length (out, at);
          n_attributes++;
        }
      out->data[count_at] = (guint8) (n_attributes >> 8);
      out->data[count_at + 1] = (guint8) n_attributes;
      end_length (out, attributes_at);
    }
  end_length (out, list_at);
}

void
hp_ieee11073_encode_learned_configs (GByteArray *out,
                                     GPtrArray  *learned)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (learned != NULL && learned->len <= G_MAXUINT16);

  g_byte_array_append (out, learned_magic, sizeof learned_magic);
  put_u8 (out, LEARNED_FORMAT_VERSION);
  put_u16 (out, (guint16) learned->len);
  for (guint i = 0; i < learned->len; i++)
    {
      const HpIeee11073LearnedConfig *entry = g_ptr_array_index (learned, i);
      guint at;

      put_u8 (out, (guint8) entry->system_id_len);
      g_byte_array_append (out, entry->system_id, (guint) entry->system_id_len);
      at = begin_length (out);
      hp_ieee11073_encode_config (out, entry->config);
      end_length (out, at);
    }
}

/* A PRST holding a ROIV confirmed event report on the MDS whose event info
 * the caller writes after this; finish_event_report() fills the lengths. */
typedef struct {
  guint apdu_at, octets_at, args_at, info_at;
} EventReportLengths;

static void
begin_event_report (GByteArray         *out,
                    guint16             invoke_id,
                    guint16             choice,
                    guint32             event_time,
                    guint16             event_type,
                    EventReportLengths *lengths)
{
  put_u16 (out, HP_IEEE11073_APDU_PRST);
  lengths->apdu_at = begin_length (out);
  lengths->octets_at = begin_length (out);
  put_u16 (out, invoke_id);
  put_u16 (out, choice);
  lengths->args_at = begin_length (out);
  put_u16 (out, 0); /* the MDS */
  put_u32 (out, event_time);
  put_u16 (out, event_type);
  lengths->info_at = begin_length (out);
}

static void
finish_event_report (GByteArray               *out,
                     const EventReportLengths *lengths)
{
  end_length (out, lengths->info_at);
  end_length (out, lengths->args_at);
  end_length (out, lengths->octets_at);
  end_length (out, lengths->apdu_at);
}

void
hp_ieee11073_encode_config_report (GByteArray              *out,
                                   guint16                  invoke_id,
                                   const HpIeee11073Config *config)
{
  EventReportLengths lengths;

  g_return_if_fail (out != NULL);
  g_return_if_fail (config != NULL);

  /* Agents send configurations with an unset event time. */
  begin_event_report (out, invoke_id, HP_IEEE11073_ROIV_CONFIRMED_EVENT_REPORT, 0xFFFFFFFF,
                      HP_IEEE11073_NOTI_CONFIG, &lengths);
  hp_ieee11073_encode_config (out, config);
  finish_event_report (out, &lengths);
}

void
hp_ieee11073_encode_config_report_response (GByteArray *out,
                                            guint16     invoke_id,
                                            guint16     dev_config_id,
                                            guint16     result)
{
  EventReportLengths lengths;

  g_return_if_fail (out != NULL);

  begin_event_report (out, invoke_id, HP_IEEE11073_RORS_CONFIRMED_EVENT_REPORT, 0,
                      HP_IEEE11073_NOTI_CONFIG, &lengths);
  put_u16 (out, dev_config_id);
  put_u16 (out, result);
  finish_event_report (out, &lengths);
}

void
hp_ieee11073_encode_scan_report (GByteArray                 *out,
                                 guint16                     invoke_id,
                                 guint32                     event_time,
                                 guint16                     event_type,
                                 guint16                     data_req_id,
                                 guint16                     scan_report_no,
                                 const HpIeee11073ScanEntry *entries,
                                 gsize                       n_entries)
{
  gboolean multi_person = event_type == HP_IEEE11073_NOTI_SCAN_REPORT_MP_FIXED ||
                          event_type == HP_IEEE11073_NOTI_SCAN_REPORT_MP_VAR;
  gboolean fixed = event_type == HP_IEEE11073_NOTI_SCAN_REPORT_FIXED ||
                   event_type == HP_IEEE11073_NOTI_SCAN_REPORT_MP_FIXED;
  EventReportLengths lengths;
  guint persons_count_at = 0, persons_at = 0;
  guint16 n_persons = 0;
  gsize i = 0;

  g_return_if_fail (out != NULL);
  g_return_if_fail (entries != NULL || n_entries == 0);
  g_return_if_fail (multi_person || fixed || event_type == HP_IEEE11073_NOTI_SCAN_REPORT_VAR);

  begin_event_report (out, invoke_id, HP_IEEE11073_ROIV_CONFIRMED_EVENT_REPORT, event_time,
                      event_type, &lengths);
  put_u16 (out, data_req_id);
  put_u16 (out, scan_report_no);
  if (multi_person)
    {
      persons_count_at = out->len;
      put_u16 (out, 0);
      persons_at = begin_length (out);
    }

  do
    {
      guint count_at, list_at;
      guint16 count = 0;

      if (multi_person)
        {
          put_u16 (out, n_entries > 0 ? entries[i].person_id : 0);
          n_persons++;
        }
      count_at = out->len;
      put_u16 (out, 0);
      list_at = begin_length (out);
      for (; i < n_entries; i++)
        {
          if (multi_person && count > 0 && entries[i].person_id != entries[i - 1].person_id)
            break;
          put_u16 (out, entries[i].obj_handle);
          /* Fixed: an octet string. Var: the AttributeList is written as
           * is, its count and length included. */
          if (fixed)
            put_u16 (out, (guint16) entries[i].payload_len);
          g_byte_array_append (out, entries[i].payload, (guint) entries[i].payload_len);
          count++;
        }
      out->data[count_at] = (guint8) (count >> 8);
      out->data[count_at + 1] = (guint8) count;
      end_length (out, list_at);
    }
  while (multi_person && i < n_entries);

  if (multi_person)
    {
      out->data[persons_count_at] = (guint8) (n_persons >> 8);
      out->data[persons_count_at + 1] = (guint8) n_persons;
      end_length (out, persons_at);
    }
  finish_event_report (out, &lengths);
}

void
hp_ieee11073_encode_aarq_full (GByteArray   *out,
                               guint32       assoc_version,
                               guint16       protocol_id,
                               guint16       encoding_rules,
                               const guint8 *system_id,
                               gsize         system_id_len,
                               guint16       dev_config_id)
{
  guint apdu_at, list_at, info_at;

  g_return_if_fail (out != NULL);
  g_return_if_fail (system_id != NULL && system_id_len <= HP_IEEE11073_SYSTEM_ID_MAX);

  put_u16 (out, HP_IEEE11073_APDU_AARQ);
  apdu_at = begin_length (out);
  put_u32 (out, assoc_version);
  put_u16 (out, 1); /* data-proto-list: count */
  list_at = begin_length (out);
  put_u16 (out, protocol_id);
  info_at = begin_length (out);
  put_u32 (out, HP_IEEE11073_PROTOCOL_VERSION1);
  put_u16 (out, encoding_rules);
  put_u32 (out, HP_IEEE11073_NOM_VERSION1);
  put_u32 (out, 0);
  put_u32 (out, HP_IEEE11073_SYS_TYPE_AGENT);
  put_u16 (out, (guint16) system_id_len);
  g_byte_array_append (out, system_id, (guint) system_id_len);
  put_u16 (out, dev_config_id);
  put_u16 (out, 0x0001);
  put_u8 (out, 1);
  put_u8 (out, 0);
  put_u16 (out, 0);
  put_u16 (out, 0);
  end_length (out, info_at);
  end_length (out, list_at);
  end_length (out, apdu_at);
}
