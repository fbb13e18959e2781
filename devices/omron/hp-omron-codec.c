/* Omron blood-pressure monitor USB HID codec: HEM-790IT and HEM-7322U framing, checksums and records. */
#include "hp-omron-codec.h"

#include <string.h>

G_DEFINE_QUARK (hp-omron-error-quark, hp_omron_error)

G_GNUC_PRINTF (5, 6)
static gboolean
fail_at (GError       **error,
         gsize         *error_offset,
         HpOmronError   code,
         gsize          offset,
         const char    *format,
         ...)
{
  va_list args;

  if (error_offset != NULL)
    *error_offset = offset;
  if (error != NULL)
    {
      va_start (args, format);
      *error = g_error_new_valist (HP_OMRON_ERROR, code, format, args);
      va_end (args);
    }
  return FALSE;
}

guint8
hp_omron_xor (const guint8 *data,
              gsize         len)
{
  guint8 check = 0;

  for (gsize i = 0; i < len; i++)
    check ^= data[i];
  return check;
}

gboolean
hp_omron_record_time_is_valid (const HpOmronRecord *record)
{
  g_return_val_if_fail (record != NULL, FALSE);

  return record->month >= 1 && record->month <= 12 &&
         record->day >= 1 && record->day <= g_date_get_days_in_month ((GDateMonth) record->month,
                                                                      (GDateYear) record->year) &&
         record->hour < 24 && record->minute < 60 && record->second < 60;
}

/* ---- HEM-790IT ---- */

gsize
hp_omron_hem790_encode_command (const char   *mnemonic,
                                const guint8 *args,
                                gsize         n_args,
                                guint8       *out,
                                gsize         out_size)
{
  g_return_val_if_fail (mnemonic != NULL && strlen (mnemonic) == 3, 0);
  g_return_val_if_fail (args != NULL || n_args == 0, 0);
  g_return_val_if_fail (out_size >= 3 + n_args + 1, 0);

  memcpy (out, mnemonic, 3);
  if (n_args > 0)
    memcpy (out + 3, args, n_args);
  out[3 + n_args] = hp_omron_xor (args, n_args);
  return 3 + n_args + 1;
}

gsize
hp_omron_hem790_encode_count (guint8  bank,
                              guint8 *out,
                              gsize   out_size)
{
  const guint8 args[] = { 0x00, bank, 0x00, 0x00 };

  return hp_omron_hem790_encode_command ("GDC", args, sizeof args, out, out_size);
}

gsize
hp_omron_hem790_encode_reading (guint8  bank,
                                guint8  index,
                                guint8 *out,
                                gsize   out_size)
{
  const guint8 args[] = { 0x00, bank, 0x00, index };

  return hp_omron_hem790_encode_command ("GME", args, sizeof args, out, out_size);
}

gsize
hp_omron_hem790_encode_end (guint8 *out,
                            gsize   out_size)
{
  const guint8 args[] = { 0xFF };

  return hp_omron_hem790_encode_command ("END", args, sizeof args, out, out_size);
}

gsize
hp_omron_hem790_command_length (const guint8 *data,
                                gsize         len)
{
  static const struct {
    const char *mnemonic;
    gsize length;
  } commands[] = {
    { "GDC", 8 }, { "GME", 8 }, { "GMA", 9 }, { "GEA", 9 },
    { "VER", 5 }, { "PRF", 5 }, { "SRL", 5 }, { "END", 5 },
  };

  if (data == NULL || len < 3)
    return 0;
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (memcmp (data, commands[i].mnemonic, 3) == 0)
      return commands[i].length;
  return 0;
}

gboolean
hp_omron_hem790_is_clearing (const guint8 *payload,
                             gsize         len)
{
  if (payload == NULL || len == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (payload[i] != 0)
      return FALSE;
  return TRUE;
}

void
hp_omron_hem790_append_reports (GPtrArray    *reports,
                                const guint8 *message,
                                gsize         len)
{
  g_return_if_fail (reports != NULL);
  g_return_if_fail (message != NULL || len == 0);

  for (gsize done = 0; done < len;)
    {
      guint8 report[HP_OMRON_HEM790_REPORT_SIZE] = { 0 };
      gsize chunk = MIN (len - done, (gsize) HP_OMRON_HEM790_REPORT_PAYLOAD);

      report[0] = (guint8) chunk;
      memcpy (report + 1, message + done, chunk);
      g_ptr_array_add (reports, g_bytes_new (report, sizeof report));
      done += chunk;
    }
}

gboolean
hp_omron_hem790_report_payload (const guint8  *report,
                                gsize          len,
                                const guint8 **payload,
                                gsize         *payload_len,
                                gsize         *error_offset,
                                GError       **error)
{
  g_return_val_if_fail (report != NULL || len == 0, FALSE);
  g_return_val_if_fail (payload != NULL && payload_len != NULL, FALSE);

  if (len == 0)
    return fail_at (error, error_offset, HP_OMRON_ERROR_LENGTH, 0, "empty report");
  if (len > HP_OMRON_HEM790_REPORT_SIZE)
    return fail_at (error, error_offset, HP_OMRON_ERROR_LENGTH, HP_OMRON_HEM790_REPORT_SIZE,
                    "report of %" G_GSIZE_FORMAT " bytes, longer than %u", len,
                    HP_OMRON_HEM790_REPORT_SIZE);
  if (report[0] == HP_OMRON_HEM790_REPORT_SIZE && len == HP_OMRON_HEM790_REPORT_SIZE)
    {
      *payload = report + 1;
      *payload_len = HP_OMRON_HEM790_REPORT_PAYLOAD;
      return TRUE;
    }
  if (report[0] > HP_OMRON_HEM790_REPORT_PAYLOAD || report[0] > len - 1)
    return fail_at (error, error_offset, HP_OMRON_ERROR_LENGTH, 0,
                    "count byte %u exceeds the %" G_GSIZE_FORMAT " bytes the report holds",
                    report[0], MIN (len - 1, (gsize) HP_OMRON_HEM790_REPORT_PAYLOAD));
  *payload = report + 1;
  *payload_len = report[0];
  return TRUE;
}

gboolean
hp_omron_hem790_check_reply (const guint8        *data,
                             gsize                len,
                             gsize                expected_len,
                             HpOmronReplyStatus  *status,
                             gsize               *error_offset,
                             GError             **error)
{
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (status != NULL, FALSE);
  g_return_val_if_fail (expected_len >= HP_OMRON_HEM790_OK_SIZE, FALSE);

  *status = HP_OMRON_REPLY_INCOMPLETE;
  if (len >= 1 && data[0] != 'O' && data[0] != 'N')
    return fail_at (error, error_offset, HP_OMRON_ERROR_FORMAT, 0,
                    "reply starts with 0x%02x, neither \"OK\" nor \"NO\"", data[0]);
  if (len < 2)
    return TRUE;
  if (data[0] == 'N' && data[1] == 'O')
    {
      /* "NO" is the whole reply; anything after it is a different fault. */
      if (len > 2)
        return fail_at (error, error_offset, HP_OMRON_ERROR_LENGTH, 2, "bytes after \"NO\"");
      *status = HP_OMRON_REPLY_NO;
      return TRUE;
    }
  if (data[0] != 'O' || data[1] != 'K')
    return fail_at (error, error_offset, HP_OMRON_ERROR_FORMAT, 1,
                    "reply starts with 0x%02x 0x%02x, neither \"OK\" nor \"NO\"", data[0], data[1]);
  if (len > expected_len)
    return fail_at (error, error_offset, HP_OMRON_ERROR_LENGTH, expected_len,
                    "reply longer than the %" G_GSIZE_FORMAT " bytes expected", expected_len);
  if (len < expected_len)
    return TRUE;
  if (expected_len > HP_OMRON_HEM790_OK_SIZE && hp_omron_xor (data + 2, len - 2) != 0)
    return fail_at (error, error_offset, HP_OMRON_ERROR_CHECKSUM, len - 1,
                    "check byte 0x%02x does not match the data (XOR 0x%02x)",
                    data[len - 1], hp_omron_xor (data + 2, len - 3));
  *status = HP_OMRON_REPLY_OK;
  return TRUE;
}

/* The "OK" framing of a whole reply of @expected bytes. */
static gboolean
check_whole_reply (const guint8  *reply,
                   gsize          len,
                   gsize          expected,
                   gsize         *error_offset,
                   GError       **error)
{
  HpOmronReplyStatus status;

  if (!hp_omron_hem790_check_reply (reply, len, expected, &status, error_offset, error))
    return FALSE;
  switch (status)
    {
    case HP_OMRON_REPLY_OK:
      return TRUE;
    case HP_OMRON_REPLY_NO:
      return fail_at (error, error_offset, HP_OMRON_ERROR_FORMAT, 0, "the monitor answered \"NO\"");
    case HP_OMRON_REPLY_INCOMPLETE:
      break;
    }
  return fail_at (error, error_offset, HP_OMRON_ERROR_LENGTH, len,
                  "reply of %" G_GSIZE_FORMAT " bytes, %" G_GSIZE_FORMAT " expected", len, expected);
}

gboolean
hp_omron_hem790_decode_count (const guint8  *reply,
                              gsize          len,
                              guint         *count,
                              gsize         *error_offset,
                              GError       **error)
{
  g_return_val_if_fail (count != NULL, FALSE);

  if (!check_whole_reply (reply, len, HP_OMRON_HEM790_COUNT_REPLY_SIZE, error_offset, error))
    return FALSE;
  /* Of the four data bytes only the last is known: the number of readings
   * (libomron's notes and its captures); the others are not documented. */
  *count = reply[6];
  return TRUE;
}

gboolean
hp_omron_hem790_decode_reading (const guint8   *reply,
                                gsize           len,
                                HpOmronRecord  *record,
                                gsize          *error_offset,
                                GError        **error)
{
  const guint8 *r;

  g_return_val_if_fail (record != NULL, FALSE);

  if (!check_whole_reply (reply, len, HP_OMRON_HEM790_RECORD_REPLY_SIZE, error_offset, error))
    return FALSE;

  /* Record layout (libomron's notes): year within the century, month, day,
   * hour, minute, second, two unknown bytes, SYS, DIA, pulse, one unknown
   * byte, a status byte, and the check byte. All plain binary: the capture
   * "1_2_07_TwoReadings" holds second 0x26 where Omron's own export of the
   * same reading says :38. The notes do not say which century the year is
   * in; these monitors were sold from 2007, so 20xx. */
  r = reply + 3;
  memset (record, 0, sizeof *record);
  record->year = 2000 + r[0];
  record->month = r[1];
  record->day = r[2];
  record->hour = r[3];
  record->minute = r[4];
  record->second = r[5];
  record->systolic = r[8];
  record->diastolic = r[9];
  record->pulse = r[10];
  record->flags = r[12];
  record->time_valid = hp_omron_record_time_is_valid (record);
  return TRUE;
}

void
hp_omron_hem790_encode_record (const HpOmronRecord *record,
                               guint8               out[HP_OMRON_HEM790_RECORD_SIZE])
{
  g_return_if_fail (record != NULL);

  memset (out, 0, HP_OMRON_HEM790_RECORD_SIZE);
  out[0] = (guint8) (record->year >= 2000 ? record->year - 2000 : record->year % 100);
  out[1] = (guint8) record->month;
  out[2] = (guint8) record->day;
  out[3] = (guint8) record->hour;
  out[4] = (guint8) record->minute;
  out[5] = (guint8) record->second;
  out[8] = (guint8) record->systolic;
  out[9] = (guint8) record->diastolic;
  out[10] = (guint8) record->pulse;
  out[12] = record->flags;
  out[13] = hp_omron_xor (out, HP_OMRON_HEM790_RECORD_SIZE - 1);
}

/* ---- HEM-7322U ---- */

#define HEM7322_LEADING_BYTE 0x02
#define HEM7322_COMMAND_LENGTH 0x08
#define HEM7322_REPLY_HEADER 7 /* leading byte, length, command, status, address (2), size */

void
hp_omron_hem7322_encode_command (HpOmronHem7322Command command,
                                 guint16               address,
                                 guint8                size,
                                 guint8                out[HP_OMRON_HEM7322_COMMAND_SIZE])
{
  out[0] = HEM7322_LEADING_BYTE;
  out[1] = HEM7322_COMMAND_LENGTH;
  out[2] = (guint8) command;
  out[3] = 0;
  out[4] = (guint8) (address >> 8);
  out[5] = (guint8) (address & 0xFF);
  out[6] = size;
  out[7] = 0;
  out[8] = hp_omron_xor (out + 1, 7);
}

static gboolean
known_command (guint8 command)
{
  return command == HP_OMRON_HEM7322_COMMAND_INIT || command == HP_OMRON_HEM7322_COMMAND_READ ||
         command == HP_OMRON_HEM7322_COMMAND_END;
}

gboolean
hp_omron_hem7322_decode_command (const guint8           *data,
                                 gsize                   len,
                                 HpOmronHem7322Command  *command,
                                 guint16                *address,
                                 guint8                 *size,
                                 gsize                  *error_offset,
                                 GError                **error)
{
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  if (len < HP_OMRON_HEM7322_COMMAND_SIZE)
    return fail_at (error, error_offset, HP_OMRON_ERROR_LENGTH, len,
                    "command of %" G_GSIZE_FORMAT " bytes, %u expected", len, HP_OMRON_HEM7322_COMMAND_SIZE);
  if (data[0] != HEM7322_LEADING_BYTE)
    return fail_at (error, error_offset, HP_OMRON_ERROR_FORMAT, 0, "leading byte 0x%02x, not 0x02", data[0]);
  if (data[1] != HEM7322_COMMAND_LENGTH)
    return fail_at (error, error_offset, HP_OMRON_ERROR_LENGTH, 1, "length byte 0x%02x, not 0x08", data[1]);
  if (hp_omron_xor (data + 1, 8) != 0)
    return fail_at (error, error_offset, HP_OMRON_ERROR_CHECKSUM, 8,
                    "check byte 0x%02x does not match (XOR 0x%02x)", data[8], hp_omron_xor (data + 1, 7));
  if (!known_command (data[2]))
    return fail_at (error, error_offset, HP_OMRON_ERROR_FORMAT, 2, "unknown command 0x%02x", data[2]);
  if (command != NULL)
    *command = (HpOmronHem7322Command) data[2];
  if (address != NULL)
    *address = (guint16) (data[4] << 8 | data[5]);
  if (size != NULL)
    *size = data[6];
  return TRUE;
}

gsize
hp_omron_hem7322_encode_reply (HpOmronHem7322Command  command,
                               guint8                 status,
                               guint16                address,
                               const guint8          *data,
                               guint8                 size,
                               guint8                 out[HP_OMRON_HEM7322_REPORT_SIZE])
{
  gsize message_len = HEM7322_REPLY_HEADER + (gsize) size; /* bytes 1..L */

  g_return_val_if_fail (size <= HP_OMRON_HEM7322_DATA_MAX, 0);
  g_return_val_if_fail (data != NULL || size == 0, 0);

  memset (out, 0, HP_OMRON_HEM7322_REPORT_SIZE);
  out[0] = HEM7322_LEADING_BYTE;
  out[1] = (guint8) message_len;
  out[2] = (guint8) command;
  out[3] = status;
  out[4] = (guint8) (address >> 8);
  out[5] = (guint8) (address & 0xFF);
  out[6] = size;
  if (size > 0)
    memcpy (out + HP_OMRON_HEM7322_DATA_OFFSET, data, size);
  out[message_len] = hp_omron_xor (out + 1, message_len - 1);
  return HP_OMRON_HEM7322_REPORT_SIZE;
}

gboolean
hp_omron_hem7322_decode_reply (const guint8           *report,
                               gsize                   len,
                               HpOmronHem7322Command  *command,
                               guint8                 *status,
                               guint16                *address,
                               const guint8          **data,
                               guint8                 *size,
                               gsize                  *error_offset,
                               GError                **error)
{
  gsize message_len;

  g_return_val_if_fail (report != NULL || len == 0, FALSE);

  /* obpm takes 40 data bytes from offset 7 of each reply and says nothing
   * of the header; the header checked here (length, command echo, status,
   * address and size, XOR check as in the commands) is the kiosk's reading
   * of that layout, and what its simulator sends. */
  if (len < HEM7322_REPLY_HEADER + 1)
    return fail_at (error, error_offset, HP_OMRON_ERROR_LENGTH, len,
                    "reply of %" G_GSIZE_FORMAT " bytes, shorter than its header", len);
  message_len = report[1];
  if (message_len < HEM7322_REPLY_HEADER || message_len >= len)
    return fail_at (error, error_offset, HP_OMRON_ERROR_LENGTH, 1,
                    "length byte %" G_GSIZE_FORMAT " does not fit a report of %" G_GSIZE_FORMAT " bytes",
                    message_len, len);
  if (report[6] != message_len - HEM7322_REPLY_HEADER)
    return fail_at (error, error_offset, HP_OMRON_ERROR_LENGTH, 6,
                    "size byte %u disagrees with length byte %" G_GSIZE_FORMAT, report[6], message_len);
  if (hp_omron_xor (report + 1, message_len) != 0)
    return fail_at (error, error_offset, HP_OMRON_ERROR_CHECKSUM, message_len,
                    "check byte 0x%02x does not match (XOR 0x%02x)", report[message_len],
                    hp_omron_xor (report + 1, message_len - 1));
  if (!known_command (report[2]))
    return fail_at (error, error_offset, HP_OMRON_ERROR_FORMAT, 2, "unknown command 0x%02x in reply", report[2]);

  if (command != NULL)
    *command = (HpOmronHem7322Command) report[2];
  if (status != NULL)
    *status = report[3];
  if (address != NULL)
    *address = (guint16) (report[4] << 8 | report[5]);
  if (data != NULL)
    *data = report + HP_OMRON_HEM7322_DATA_OFFSET;
  if (size != NULL)
    *size = report[6];
  return TRUE;
}

gboolean
hp_omron_hem7322_record_is_empty (const guint8 *record)
{
  g_return_val_if_fail (record != NULL, TRUE);

  /* obpm's test: the first three bytes unwritten. */
  return record[0] == 0xFF && record[1] == 0xFF && record[2] == 0xFF;
}

void
hp_omron_hem7322_decode_record (const guint8    r[HP_OMRON_HEM7322_RECORD_SIZE],
                                HpOmronRecord  *record)
{
  g_return_if_fail (record != NULL);

  /* obpm's layout: DIA, SYS − 25, year − 2000, pulse, then the date packed
   * into bytes 4–7: month in bits 5–2 of byte 4, day in the next five bits,
   * hour in the low five bits of byte 5, minute in the six bits after the
   * top four of bytes 6–7, and (omblepy and hass-omron, the same records
   * over Bluetooth) the seconds in the low six bits of byte 7, which may
   * read up to 63 and are taken as at most 59. Nothing is known of bytes
   * 8–13. */
  memset (record, 0, sizeof *record);
  record->diastolic = r[0];
  record->systolic = r[1] + 25u;
  record->year = 2000u + r[2];
  record->pulse = r[3];
  record->month = (r[4] >> 2) & 0x0F;
  record->day = ((guint) (r[4] << 8 | r[5]) >> 5) & 0x1F;
  record->hour = r[5] & 0x1F;
  record->minute = ((guint) (r[6] << 8 | r[7]) >> 6) & 0x3F;
  record->second = MIN (r[7] & 0x3Fu, 59u);
  record->time_valid = hp_omron_record_time_is_valid (record);
}

gboolean
hp_omron_hem7322_encode_record (const HpOmronRecord *record,
                                guint8               out[HP_OMRON_HEM7322_RECORD_SIZE])
{
  g_return_val_if_fail (record != NULL, FALSE);

  if (record->systolic < 25 || record->systolic > 255 + 25 || record->diastolic > 255 ||
      record->pulse > 255 || record->year < 2000 || record->year > 2000 + 255 ||
      record->month > 15 || record->day > 31 || record->hour > 31 || record->minute > 63 || record->second > 63)
    return FALSE;
  /* DIA 255, SYS 280 in 2255 would read back as a never-written slot. */
  if (record->diastolic == 0xFF && record->systolic == 0xFF + 25 && record->year == 2000 + 0xFF)
    return FALSE;

  memset (out, 0, HP_OMRON_HEM7322_RECORD_SIZE);
  out[0] = (guint8) record->diastolic;
  out[1] = (guint8) (record->systolic - 25);
  out[2] = (guint8) (record->year - 2000);
  out[3] = (guint8) record->pulse;
  out[4] = (guint8) ((record->month << 2) | (record->day >> 3));
  out[5] = (guint8) (((record->day & 0x07) << 5) | record->hour);
  out[6] = (guint8) (record->minute >> 2);
  out[7] = (guint8) (((record->minute & 0x03) << 6) | record->second);
  return TRUE;
}
