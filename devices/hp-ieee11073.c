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
