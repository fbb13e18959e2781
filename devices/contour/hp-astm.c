/* ASTM E1381 (low-level frames) and E1394 (records) codec, as glucometers such as Ascensia's Contour speak it. */
#include "hp-astm.h"

#include <string.h>

G_DEFINE_QUARK (hp-astm-error-quark, hp_astm_error)

static gboolean
fail_at (GError     **error,
         gsize       *error_offset,
         gsize        offset,
         HpAstmError  code,
         const char  *message)
{
  if (error_offset != NULL)
    *error_offset = offset;
  g_set_error_literal (error, HP_ASTM_ERROR, code, message);
  return FALSE;
}

guint8
hp_astm_checksum (const guint8 *data,
                  gsize         len)
{
  guint sum = 0;

  for (gsize i = 0; i < len; i++)
    sum += data[i];
  return (guint8) (sum & 0xFF);
}

guint8
hp_astm_next_frame_number (guint8 number)
{
  return (guint8) ((number + 1) % 8);
}

static int
upper_hex_value (guint8 c)
{
  /* E1381 writes the checksum in upper-case hexadecimal; lower case is a
   * different byte sequence and so not what was summed. */
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Bytes a frame's text may not hold: they would end or restart the frame. */
static gboolean
is_frame_control (guint8 c)
{
  switch (c)
    {
    case HP_ASTM_STX:
    case HP_ASTM_EOT:
    case HP_ASTM_ENQ:
    case HP_ASTM_ACK:
    case HP_ASTM_LF:
    case HP_ASTM_NAK:
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
hp_astm_decode_frame (const guint8 *data,
                      gsize         len,
                      HpAstmFrame  *frame,
                      gsize        *error_offset,
                      GError      **error)
{
  gsize end;
  int high, low;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (frame != NULL, FALSE);

  memset (frame, 0, sizeof *frame);
  if (len == 0)
    return fail_at (error, error_offset, 0, HP_ASTM_ERROR_TRUNCATED, "The frame is empty");
  if (data[0] != HP_ASTM_STX)
    return fail_at (error, error_offset, 0, HP_ASTM_ERROR_MALFORMED, "The frame does not start with STX");
  if (len < 2)
    return fail_at (error, error_offset, 1, HP_ASTM_ERROR_TRUNCATED, "The frame ends before its frame number");
  if (data[1] < '0' || data[1] > '7')
    return fail_at (error, error_offset, 1, HP_ASTM_ERROR_MALFORMED, "The frame number is not a digit from 0 to 7");

  for (end = 2; end < len && data[end] != HP_ASTM_ETX && data[end] != HP_ASTM_ETB; end++)
    {
      if (is_frame_control (data[end]))
        return fail_at (error, error_offset, end, HP_ASTM_ERROR_MALFORMED,
                        "A control character interrupts the frame's text");
      if (end - 2 >= HP_ASTM_TEXT_MAX)
        return fail_at (error, error_offset, end, HP_ASTM_ERROR_TOO_LONG,
                        "The frame's text is longer than the kiosk accepts");
    }
  if (end >= len)
    return fail_at (error, error_offset, len, HP_ASTM_ERROR_TRUNCATED, "The frame ends before ETX or ETB");
  if (len - end < 5)
    return fail_at (error, error_offset, len, HP_ASTM_ERROR_TRUNCATED,
                    "The frame ends before its checksum and CR LF");

  high = upper_hex_value (data[end + 1]);
  low = upper_hex_value (data[end + 2]);
  if (high < 0 || low < 0)
    return fail_at (error, error_offset, high < 0 ? end + 1 : end + 2, HP_ASTM_ERROR_MALFORMED,
                    "The checksum is not two upper-case hexadecimal digits");
  if (data[end + 3] != HP_ASTM_CR || data[end + 4] != HP_ASTM_LF)
    return fail_at (error, error_offset, data[end + 3] != HP_ASTM_CR ? end + 3 : end + 4,
                    HP_ASTM_ERROR_MALFORMED, "The frame does not end with CR LF");
  if (hp_astm_checksum (data + 1, end) != (guint8) (high * 16 + low))
    return fail_at (error, error_offset, end + 1, HP_ASTM_ERROR_CHECKSUM,
                    "The frame's checksum does not match its bytes");

  frame->number = (guint8) (data[1] - '0');
  frame->final = data[end] == HP_ASTM_ETX;
  frame->text = data + 2;
  frame->text_len = end - 2;
  frame->frame_len = end + 5;
  return TRUE;
}

void
hp_astm_encode_frame (GByteArray *out,
                      guint8      number,
                      const char *text,
                      gsize       text_len,
                      gboolean    final)
{
  static const char hex[] = "0123456789ABCDEF";
  guint start, checksum_start;
  guint8 tail[4];
  guint8 head[2] = { HP_ASTM_STX, 0 };
  guint8 end = final ? HP_ASTM_ETX : HP_ASTM_ETB;
  guint8 checksum;

  g_return_if_fail (out != NULL);
  g_return_if_fail (number < 8);
  g_return_if_fail (text != NULL || text_len == 0);

  start = out->len;
  head[1] = (guint8) ('0' + number);
  g_byte_array_append (out, head, 2);
  g_byte_array_append (out, (const guint8 *) text, (guint) text_len);
  g_byte_array_append (out, &end, 1);
  checksum_start = start + 1;
  checksum = hp_astm_checksum (out->data + checksum_start, out->len - checksum_start);
  tail[0] = (guint8) hex[checksum >> 4];
  tail[1] = (guint8) hex[checksum & 0x0F];
  tail[2] = HP_ASTM_CR;
  tail[3] = HP_ASTM_LF;
  g_byte_array_append (out, tail, sizeof tail);
}

struct _HpAstmRecordReader
{
  GString *pending;
};

HpAstmRecordReader *
hp_astm_record_reader_new (void)
{
  HpAstmRecordReader *self = g_new0 (HpAstmRecordReader, 1);

  self->pending = g_string_new (NULL);
  return self;
}

void
hp_astm_record_reader_free (HpAstmRecordReader *self)
{
  if (self == NULL)
    return;
  g_string_free (self->pending, TRUE);
  g_free (self);
}

void
hp_astm_record_reader_reset (HpAstmRecordReader *self)
{
  g_return_if_fail (self != NULL);
  g_string_truncate (self->pending, 0);
}

gboolean
hp_astm_record_reader_add (HpAstmRecordReader *self,
                           const HpAstmFrame  *frame,
                           GPtrArray          *records,
                           GError            **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (frame != NULL, FALSE);
  g_return_val_if_fail (records != NULL, FALSE);

  for (gsize i = 0; i < frame->text_len; i++)
    {
      guint8 c = frame->text[i];

      if (c == HP_ASTM_CR)
        {
          g_ptr_array_add (records, g_strndup (self->pending->str, self->pending->len));
          g_string_truncate (self->pending, 0);
          continue;
        }
      if (c == 0)
        {
          g_set_error_literal (error, HP_ASTM_ERROR, HP_ASTM_ERROR_MALFORMED,
                               "A record holds a NUL byte");
          g_string_truncate (self->pending, 0);
          return FALSE;
        }
      if (self->pending->len >= HP_ASTM_RECORD_MAX)
        {
          g_set_error (error, HP_ASTM_ERROR, HP_ASTM_ERROR_TOO_LONG,
                       "A record is longer than %d bytes", HP_ASTM_RECORD_MAX);
          g_string_truncate (self->pending, 0);
          return FALSE;
        }
      g_string_append_c (self->pending, (char) c);
    }

  /* Some senders end the last record with ETX alone. */
  if (frame->final && self->pending->len > 0)
    {
      g_ptr_array_add (records, g_strndup (self->pending->str, self->pending->len));
      g_string_truncate (self->pending, 0);
    }
  return TRUE;
}

char
hp_astm_record_type (const char *record)
{
  g_return_val_if_fail (record != NULL, 0);
  return record[0];
}

/* The @index-th piece of [@text, @text + @len) split at @delimiter. */
static gboolean
nth_piece (const char  *text,
           gsize        len,
           char         delimiter,
           guint        index,
           const char **piece,
           gsize       *piece_len)
{
  gsize start = 0;
  guint n = 0;

  for (gsize i = 0; i <= len; i++)
    {
      if (i == len || text[i] == delimiter)
        {
          if (n == index)
            {
              *piece = text + start;
              *piece_len = i - start;
              return TRUE;
            }
          n++;
          start = i + 1;
        }
    }
  *piece = text + len;
  *piece_len = 0;
  return FALSE;
}

static gboolean
copy_piece (char       *dest,
            const char *piece,
            gsize       piece_len)
{
  if (piece_len >= HP_ASTM_FIELD_MAX)
    return FALSE;
  memcpy (dest, piece, piece_len);
  dest[piece_len] = '\0';
  return TRUE;
}

static gboolean
parse_digits (const char *text,
              gsize       len,
              guint       max_digits,
              guint      *value)
{
  guint v = 0;

  if (len == 0 || len > max_digits)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      v = v * 10 + (guint) (text[i] - '0');
    }
  *value = v;
  return TRUE;
}

gboolean
hp_astm_parse_time (const char *text,
                    gsize       len,
                    HpAstmTime *time)
{
  guint year, month, day, hour, minute, second = 0;

  g_return_val_if_fail (time != NULL, FALSE);

  if (len != 12 && len != 14)
    return FALSE;
  if (!parse_digits (text, 4, 4, &year) ||
      !parse_digits (text + 4, 2, 2, &month) ||
      !parse_digits (text + 6, 2, 2, &day) ||
      !parse_digits (text + 8, 2, 2, &hour) ||
      !parse_digits (text + 10, 2, 2, &minute) ||
      (len == 14 && !parse_digits (text + 12, 2, 2, &second)))
    return FALSE;
  if (year < 1 || month < 1 || month > 12 || day < 1 ||
      !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year) ||
      hour > 23 || minute > 59 || second > 59)
    return FALSE;

  time->year = (guint16) year;
  time->month = (guint8) month;
  time->day = (guint8) day;
  time->hour = (guint8) hour;
  time->minute = (guint8) minute;
  time->second = (guint8) second;
  return TRUE;
}

static gboolean
valid_delimiter (char c)
{
  return g_ascii_isprint (c) && !g_ascii_isalnum (c) && c != ' ';
}

gboolean
hp_astm_parse_header (const char    *record,
                      HpAstmHeader  *header,
                      gsize         *error_offset,
                      GError       **error)
{
  HpAstmDelimiters d;
  const char *field, *piece;
  gsize len, field_len, piece_len;

  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (header != NULL, FALSE);

  memset (header, 0, sizeof *header);
  len = strlen (record);
  if (len < 1 || record[0] != 'H')
    return fail_at (error, error_offset, 0, HP_ASTM_ERROR_MALFORMED, "The record is not a header (H) record");
  if (len < 6)
    return fail_at (error, error_offset, len, HP_ASTM_ERROR_TRUNCATED,
                    "The header ends before its delimiter definition");

  d.field = record[1];
  d.repeat = record[2];
  d.component = record[3];
  d.escape = record[4];
  for (guint i = 1; i <= 4; i++)
    if (!valid_delimiter (record[i]))
      return fail_at (error, error_offset, i, HP_ASTM_ERROR_MALFORMED,
                      "The header declares a letter, digit or control character as a delimiter");
  if (d.field == d.repeat || d.field == d.component || d.field == d.escape ||
      d.repeat == d.component || d.repeat == d.escape || d.component == d.escape)
    return fail_at (error, error_offset, 2, HP_ASTM_ERROR_MALFORMED, "The header declares the same delimiter twice");
  if (record[5] != d.field)
    return fail_at (error, error_offset, 5, HP_ASTM_ERROR_MALFORMED,
                    "The delimiter definition is not followed by the field delimiter");
  header->delimiters = d;

  /* Field 4, the sender: product code ^ versions ^ serial number ^ SKU. */
  if (nth_piece (record, len, d.field, 4, &field, &field_len))
    {
      if (nth_piece (field, field_len, d.component, 0, &piece, &piece_len) &&
          !copy_piece (header->product, piece, piece_len))
        return fail_at (error, error_offset, (gsize) (piece - record), HP_ASTM_ERROR_TOO_LONG,
                        "The header's product code is too long");
      if (nth_piece (field, field_len, d.component, 2, &piece, &piece_len) &&
          !copy_piece (header->serial, piece, piece_len))
        return fail_at (error, error_offset, (gsize) (piece - record), HP_ASTM_ERROR_TOO_LONG,
                        "The header's serial number is too long");
      for (gsize i = 0; header->serial[i] != '\0'; i++)
        if (!g_ascii_isalnum (header->serial[i]) && header->serial[i] != '-')
          return fail_at (error, error_offset, (gsize) (piece - record) + i, HP_ASTM_ERROR_MALFORMED,
                          "The header's serial number holds a character other than letters, digits and '-'");
    }

  /* Field 5, the meter's configuration: KEY=VALUE components. U=0 and U=1
   * are mg/dL and mmol/L on a Contour USB (glucometerutils' notes); a
   * Contour Next USB sends three digits there (U=303 in a header the healer
   * project recorded from one) that no source explains. Each result names
   * its own unit, so the header's is only a fallback, and an unknown one is
   * left unknown, never a fault. */
  if (nth_piece (record, len, d.field, 5, &field, &field_len))
    {
      for (guint i = 0; nth_piece (field, field_len, d.component, i, &piece, &piece_len); i++)
        {
          if (piece_len < 2 || piece[0] != 'U' || piece[1] != '=')
            continue;
          if (piece_len == 3 && piece[2] == '0')
            header->unit = HP_ASTM_UNIT_MG_DL;
          else if (piece_len == 3 && piece[2] == '1')
            header->unit = HP_ASTM_UNIT_MMOL_L;
          else
            header->unit = HP_ASTM_UNIT_UNKNOWN;
        }
    }

  /* Field 6, the number of result records the meter holds. */
  if (nth_piece (record, len, d.field, 6, &field, &field_len) && field_len > 0)
    {
      if (!parse_digits (field, field_len, 6, &header->record_count))
        return fail_at (error, error_offset, (gsize) (field - record), HP_ASTM_ERROR_MALFORMED,
                        "The header's record count is not a number");
      header->has_record_count = TRUE;
    }

  /* Field 13, the meter's clock at the time of sending. */
  if (nth_piece (record, len, d.field, 13, &field, &field_len) && field_len > 0)
    {
      if (!hp_astm_parse_time (field, field_len, &header->time))
        return fail_at (error, error_offset, (gsize) (field - record), HP_ASTM_ERROR_MALFORMED,
                        "The header's date and time are not YYYYMMDDHHMM[SS]");
      header->has_time = TRUE;
    }
  return TRUE;
}

/* A decimal number with at most one point and no sign, exponent or spaces. */
static gboolean
parse_decimal (const char *text,
               gsize       len,
               double     *value)
{
  double v = 0, scale = 1;
  gboolean point = FALSE;
  guint digits = 0;

  if (len == 0 || len > 8)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == '.' && !point)
        {
          point = TRUE;
          continue;
        }
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      digits++;
      if (point)
        {
          scale /= 10;
          v += (text[i] - '0') * scale;
        }
      else
        v = v * 10 + (text[i] - '0');
    }
  if (digits == 0)
    return FALSE;
  *value = v;
  return TRUE;
}

gboolean
hp_astm_parse_result (const char             *record,
                      const HpAstmDelimiters *delimiters,
                      HpAstmResult           *result,
                      gsize                  *error_offset,
                      GError                **error)
{
  const HpAstmDelimiters *d = delimiters;
  const char *field, *piece, *last_piece;
  gsize len, field_len, piece_len, last_len;
  guint n;

  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (delimiters != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  memset (result, 0, sizeof *result);
  len = strlen (record);
  if (len < 2 || record[0] != 'R' || record[1] != d->field)
    return fail_at (error, error_offset, 0, HP_ASTM_ERROR_MALFORMED, "The record is not a result (R) record");

  /* Field 1, the sequence number. */
  nth_piece (record, len, d->field, 1, &field, &field_len);
  if (!parse_digits (field, field_len, 6, &result->sequence))
    return fail_at (error, error_offset, (gsize) (field - record), HP_ASTM_ERROR_MALFORMED,
                    "The result's sequence number is not a number");

  /* Field 2, the universal test id "^^^Glucose": its last component names
   * the test. */
  if (!nth_piece (record, len, d->field, 2, &field, &field_len))
    return fail_at (error, error_offset, len, HP_ASTM_ERROR_TRUNCATED, "The result ends before its test id");
  last_piece = field;
  last_len = 0;
  for (n = 0; nth_piece (field, field_len, d->component, n, &piece, &piece_len); n++)
    {
      last_piece = piece;
      last_len = piece_len;
    }
  if (!copy_piece (result->test, last_piece, last_len))
    return fail_at (error, error_offset, (gsize) (last_piece - record), HP_ASTM_ERROR_TOO_LONG,
                    "The result's test id is too long");

  /* Field 3, the value: a number, or text such as "HI" on some meters. */
  if (!nth_piece (record, len, d->field, 3, &field, &field_len))
    return fail_at (error, error_offset, len, HP_ASTM_ERROR_TRUNCATED, "The result ends before its value");
  if (!copy_piece (result->value_text, field, field_len))
    return fail_at (error, error_offset, (gsize) (field - record), HP_ASTM_ERROR_TOO_LONG,
                    "The result's value is too long");
  result->has_value = parse_decimal (field, field_len, &result->value);

  /* Field 4, units ^ reference method. */
  if (!nth_piece (record, len, d->field, 4, &field, &field_len))
    return fail_at (error, error_offset, len, HP_ASTM_ERROR_TRUNCATED, "The result ends before its unit");
  nth_piece (field, field_len, d->component, 0, &piece, &piece_len);
  if (!copy_piece (result->unit, piece, piece_len))
    return fail_at (error, error_offset, (gsize) (piece - record), HP_ASTM_ERROR_TOO_LONG,
                    "The result's unit is too long");

  /* Field 6, the abnormal flags: markers separated by '/'. */
  if (nth_piece (record, len, d->field, 6, &field, &field_len))
    {
      for (n = 0; nth_piece (field, field_len, '/', n, &piece, &piece_len); n++)
        {
          if (piece_len == 1 && piece[0] == 'C')
            result->flags |= HP_ASTM_RESULT_FLAG_CONTROL;
          else if (piece_len == 1 && piece[0] == '>')
            result->flags |= HP_ASTM_RESULT_FLAG_HIGH;
          else if (piece_len == 1 && piece[0] == '<')
            result->flags |= HP_ASTM_RESULT_FLAG_LOW;
        }
    }

  /* Field 8, when the test was done. */
  if (nth_piece (record, len, d->field, 8, &field, &field_len) && field_len > 0)
    {
      if (!hp_astm_parse_time (field, field_len, &result->time))
        return fail_at (error, error_offset, (gsize) (field - record), HP_ASTM_ERROR_MALFORMED,
                        "The result's date and time are not YYYYMMDDHHMM[SS]");
      result->has_time = TRUE;
    }
  return TRUE;
}

gboolean
hp_astm_order_is_control (const char             *record,
                          const HpAstmDelimiters *delimiters)
{
  const char *field;
  gsize field_len;

  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (delimiters != NULL, FALSE);

  /* Field 12 of the order record (the type letter is field 1). */
  return hp_astm_record_type (record) == 'O'
         && nth_piece (record, strlen (record), delimiters->field, 11, &field, &field_len)
         && field_len == 1 && field[0] == 'Q';
}
