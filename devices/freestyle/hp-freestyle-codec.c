/* Abbott FreeStyle shared HID protocol codec: 64-byte messages, text commands and replies, memory records. */
#include "hp-freestyle-codec.h"

#include <string.h>

G_DEFINE_QUARK (hp-freestyle-error-quark, hp_freestyle_error)

/* Limits of a record set, far above what any meter keeps. */
#define RECORD_LINE_MAX 512
#define RECORD_FIELDS_MAX 64
#define RECORDS_MAX 20000

#define STATUS_OK   "CMD OK\r\n"
#define STATUS_FAIL "CMD Fail!\r\n"
#define CKSM_TAG    "CKSM:"
/* "CKSM:" 8 hex digits CR LF */
#define CKSM_LINE_LEN (5 + 8 + 2)

static gboolean
fail_at (GError           **error,
         gsize             *error_offset,
         gsize              offset,
         HpFreestyleError   code,
         const char        *message)
{
  if (error_offset != NULL)
    *error_offset = offset;
  g_set_error_literal (error, HP_FREESTYLE_ERROR, code, message);
  return FALSE;
}

gboolean
hp_freestyle_encode_message (guint8        report[HP_FREESTYLE_REPORT_SIZE],
                             guint8        type,
                             const guint8 *data,
                             gsize         len)
{
  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  if (len > HP_FREESTYLE_DATA_MAX)
    return FALSE;
  memset (report, 0, HP_FREESTYLE_REPORT_SIZE);
  report[0] = type;
  report[1] = (guint8) len;
  if (len > 0)
    memcpy (report + 2, data, len);
  return TRUE;
}

gboolean
hp_freestyle_decode_message (const guint8  *report,
                             gsize          size,
                             guint8        *type,
                             const guint8 **data,
                             gsize         *len,
                             gsize         *error_offset,
                             GError       **error)
{
  g_return_val_if_fail (report != NULL || size == 0, FALSE);
  g_return_val_if_fail (type != NULL && data != NULL && len != NULL, FALSE);

  if (size < 2)
    return fail_at (error, error_offset, size, HP_FREESTYLE_ERROR_TRUNCATED,
                    "The report ends before its type and length");
  if (report[1] > HP_FREESTYLE_DATA_MAX)
    return fail_at (error, error_offset, 1, HP_FREESTYLE_ERROR_MALFORMED,
                    "The message length is larger than 62");
  if (2u + report[1] > size)
    return fail_at (error, error_offset, 1, HP_FREESTYLE_ERROR_TRUNCATED,
                    "The message length runs past the end of the report");
  *type = report[0];
  *data = report + 2;
  *len = report[1];
  return TRUE;
}

guint32
hp_freestyle_checksum (const guint8 *data,
                       gsize         len)
{
  guint32 sum = 0;

  for (gsize i = 0; i < len; i++)
    sum += data[i];
  return sum;
}

static gboolean
ends_with (const guint8 *text,
           gsize         len,
           const char   *suffix)
{
  gsize suffix_len = strlen (suffix);

  return len >= suffix_len && memcmp (text + len - suffix_len, suffix, suffix_len) == 0;
}

gboolean
hp_freestyle_text_complete (const guint8 *text,
                            gsize         len)
{
  g_return_val_if_fail (text != NULL || len == 0, FALSE);
  return ends_with (text, len, STATUS_OK) || ends_with (text, len, STATUS_FAIL);
}

static gboolean
parse_hex32 (const guint8 *text,
             guint32      *value,
             gsize        *bad)
{
  guint32 v = 0;

  for (gsize i = 0; i < 8; i++)
    {
      guint8 c = text[i];
      int digit;

      if (c >= '0' && c <= '9')
        digit = c - '0';
      else if (c >= 'A' && c <= 'F')
        digit = c - 'A' + 10;
      else
        {
          *bad = i;
          return FALSE;
        }
      v = (v << 4) | (guint32) digit;
    }
  *value = v;
  return TRUE;
}

gboolean
hp_freestyle_parse_text_reply (const guint8  *text,
                               gsize          len,
                               const guint8 **body,
                               gsize         *body_len,
                               gsize         *error_offset,
                               GError       **error)
{
  gsize status_len, cksm_start, bad = 0;
  gboolean ok;
  guint32 expected;

  g_return_val_if_fail (text != NULL || len == 0, FALSE);
  g_return_val_if_fail (body != NULL && body_len != NULL, FALSE);

  if (ends_with (text, len, STATUS_OK))
    {
      ok = TRUE;
      status_len = strlen (STATUS_OK);
    }
  else if (ends_with (text, len, STATUS_FAIL))
    {
      ok = FALSE;
      status_len = strlen (STATUS_FAIL);
    }
  else
    return fail_at (error, error_offset, len, HP_FREESTYLE_ERROR_TRUNCATED,
                    "The reply does not end with a CMD status line");

  if (len - status_len < CKSM_LINE_LEN)
    return fail_at (error, error_offset, 0, HP_FREESTYLE_ERROR_MALFORMED,
                    "The reply has no CKSM line before its status");
  cksm_start = len - status_len - CKSM_LINE_LEN;
  if (memcmp (text + cksm_start, CKSM_TAG, 5) != 0)
    return fail_at (error, error_offset, cksm_start, HP_FREESTYLE_ERROR_MALFORMED,
                    "The line before the status is not a CKSM line");
  if (!parse_hex32 (text + cksm_start + 5, &expected, &bad))
    return fail_at (error, error_offset, cksm_start + 5 + bad, HP_FREESTYLE_ERROR_MALFORMED,
                    "The CKSM value is not eight upper-case hexadecimal digits");
  if (text[cksm_start + 13] != '\r' || text[cksm_start + 14] != '\n')
    return fail_at (error, error_offset, cksm_start + 13, HP_FREESTYLE_ERROR_MALFORMED,
                    "The CKSM line does not end with CR LF");

  if (!ok)
    return fail_at (error, error_offset, len - status_len, HP_FREESTYLE_ERROR_FAILED,
                    "The meter answered CMD Fail!");
  if (hp_freestyle_checksum (text, cksm_start) != expected)
    return fail_at (error, error_offset, cksm_start + 5, HP_FREESTYLE_ERROR_CHECKSUM,
                    "The reply's CKSM does not match its bytes");

  *body = text;
  *body_len = cksm_start;
  return TRUE;
}

static void
strv_free (gpointer data)
{
  g_strfreev (data);
}

GPtrArray *
hp_freestyle_parse_records (const guint8  *body,
                            gsize          len,
                            gsize         *error_offset,
                            GError       **error)
{
  static const char empty[] = "Log Empty\r\n";
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (strv_free);
  gsize pos = 0, last_start = 0, bad = 0, comma;
  guint count = 0;
  guint32 expected;

  g_return_val_if_fail (body != NULL || len == 0, NULL);

  if (len == strlen (empty) && memcmp (body, empty, len) == 0)
    return g_steal_pointer (&records);
  if (!ends_with (body, len, "\r\n"))
    {
      fail_at (error, error_offset, len, HP_FREESTYLE_ERROR_TRUNCATED, "The record set does not end with CR LF");
      return NULL;
    }

  /* The last line is "count,checksum"; find where it starts. */
  for (last_start = len - 2; last_start > 0 && body[last_start - 1] != '\n'; last_start--)
    ;
  if (last_start > 0 && (last_start < 2 || body[last_start - 2] != '\r'))
    {
      fail_at (error, error_offset, last_start - 1, HP_FREESTYLE_ERROR_MALFORMED, "A line ends with LF alone");
      return NULL;
    }

  while (pos < last_start)
    {
      gsize end = pos;
      g_autofree char *line = NULL;
      guint n_fields;

      while (end < last_start && body[end] != '\r')
        {
          if (body[end] == '\n' || body[end] == 0)
            {
              fail_at (error, error_offset, end, HP_FREESTYLE_ERROR_MALFORMED,
                       "A record holds a stray LF or NUL byte");
              return NULL;
            }
          end++;
        }
      if (end + 1 >= last_start || body[end + 1] != '\n')
        {
          fail_at (error, error_offset, end, HP_FREESTYLE_ERROR_MALFORMED, "A record does not end with CR LF");
          return NULL;
        }
      if (end - pos > RECORD_LINE_MAX)
        {
          fail_at (error, error_offset, pos, HP_FREESTYLE_ERROR_TOO_LONG, "A record is longer than the kiosk accepts");
          return NULL;
        }
      if (records->len >= RECORDS_MAX)
        {
          fail_at (error, error_offset, pos, HP_FREESTYLE_ERROR_TOO_LONG, "The meter sent more records than the kiosk accepts");
          return NULL;
        }
      line = g_strndup ((const char *) body + pos, end - pos);
      n_fields = 1;
      for (const char *c = line; *c != '\0'; c++)
        n_fields += *c == ',';
      if (n_fields > RECORD_FIELDS_MAX)
        {
          fail_at (error, error_offset, pos, HP_FREESTYLE_ERROR_TOO_LONG,
                   "A record has more fields than the kiosk accepts");
          return NULL;
        }
      g_ptr_array_add (records, g_strsplit (line, ",", -1));
      pos = end + 2;
    }

  /* count "," 8 hex digits CR LF */
  for (comma = last_start; comma < len - 2 && body[comma] != ','; comma++)
    {
      if (!g_ascii_isdigit (body[comma]) || comma - last_start >= 6)
        {
          fail_at (error, error_offset, comma, HP_FREESTYLE_ERROR_MALFORMED, "The record count is not a number");
          return NULL;
        }
      count = count * 10 + (guint) (body[comma] - '0');
    }
  if (comma == last_start || comma >= len - 2)
    {
      fail_at (error, error_offset, last_start, HP_FREESTYLE_ERROR_MALFORMED,
               "The record set does not end with a count and a checksum");
      return NULL;
    }
  if (len - 2 - (comma + 1) != 8 || !parse_hex32 (body + comma + 1, &expected, &bad))
    {
      fail_at (error, error_offset, comma + 1 + bad, HP_FREESTYLE_ERROR_MALFORMED,
               "The record-set checksum is not eight upper-case hexadecimal digits");
      return NULL;
    }
  if (count != records->len)
    {
      fail_at (error, error_offset, last_start, HP_FREESTYLE_ERROR_MALFORMED,
               "The record count does not match the records sent");
      return NULL;
    }
  if (hp_freestyle_checksum (body, last_start) != expected)
    {
      fail_at (error, error_offset, comma + 1, HP_FREESTYLE_ERROR_CHECKSUM,
               "The record-set checksum does not match the records");
      return NULL;
    }
  return g_steal_pointer (&records);
}

static gboolean
parse_number (const char *text,
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

/* "a,b[,c]\r\n" with numbers of one to three digits. */
static gboolean
parse_clock_line (const guint8  *body,
                  gsize          len,
                  guint          n_values,
                  guint         *values,
                  GError       **error)
{
  gsize pos = 0;

  if (len < 2 || body[len - 2] != '\r' || body[len - 1] != '\n')
    {
      g_set_error_literal (error, HP_FREESTYLE_ERROR, HP_FREESTYLE_ERROR_MALFORMED,
                           "The clock reply does not end with CR LF");
      return FALSE;
    }
  len -= 2;
  for (guint i = 0; i < n_values; i++)
    {
      gsize end = pos;

      while (end < len && body[end] != ',')
        end++;
      if ((i + 1 < n_values) != (end < len) ||
          !parse_number ((const char *) body + pos, end - pos, 3, &values[i]))
        {
          g_set_error (error, HP_FREESTYLE_ERROR, HP_FREESTYLE_ERROR_MALFORMED,
                       "The clock reply is not %u comma-separated numbers", n_values);
          return FALSE;
        }
      pos = end + 1;
    }
  return TRUE;
}

gboolean
hp_freestyle_parse_date (const guint8    *body,
                         gsize            len,
                         HpFreestyleTime *time,
                         gboolean        *lost,
                         GError         **error)
{
  guint v[3];

  g_return_val_if_fail (time != NULL && lost != NULL, FALSE);

  if (!parse_clock_line (body, len, 3, v, error))
    return FALSE;
  *lost = v[0] == 255 || v[1] == 255 || v[2] == 255;
  if (*lost)
    return TRUE;
  if (v[0] < 1 || v[0] > 12 || v[1] < 1 || v[2] > 99 ||
      !g_date_valid_dmy ((GDateDay) v[1], (GDateMonth) v[0], (GDateYear) (2000 + v[2])))
    {
      g_set_error_literal (error, HP_FREESTYLE_ERROR, HP_FREESTYLE_ERROR_MALFORMED,
                           "The meter's date is not a real date");
      return FALSE;
    }
  time->month = (guint8) v[0];
  time->day = (guint8) v[1];
  time->year = (guint16) (2000 + v[2]);
  return TRUE;
}

gboolean
hp_freestyle_parse_time (const guint8    *body,
                         gsize            len,
                         HpFreestyleTime *time,
                         gboolean        *lost,
                         GError         **error)
{
  guint v[2];

  g_return_val_if_fail (time != NULL && lost != NULL, FALSE);

  if (!parse_clock_line (body, len, 2, v, error))
    return FALSE;
  *lost = v[0] == 255 || v[1] == 255;
  if (*lost)
    return TRUE;
  if (v[0] > 23 || v[1] > 59)
    {
      g_set_error_literal (error, HP_FREESTYLE_ERROR, HP_FREESTYLE_ERROR_MALFORMED,
                           "The meter's time is not a real time of day");
      return FALSE;
    }
  time->hour = (guint8) v[0];
  time->minute = (guint8) v[1];
  time->second = 0;
  return TRUE;
}

typedef struct {
  int type_field;          /* the field naming the record type */
  const char *glucose_type;
  int id_field;
  int date_field;          /* month, day, year, hour, minute follow in order */
  int second_field;        /* -1: none */
  int value_field;
  int control_field;       /* -1: none; "0" there marks a control test */
  int reading_type_field;  /* -1: none; must be "0" (blood glucose) */
  guint min_fields;
  const char *result_command;
  const char *serial_command;
} Layout;

static const Layout layouts[] = {
  [HP_FREESTYLE_LAYOUT_NEO] = { 0, "7", 1, 2, -1, 8, 10, -1, 11, "$result?", "$serlnum?" },
  [HP_FREESTYLE_LAYOUT_INSULINX] = { 0, "0", 1, 2, -1, 13, -1, -1, 14, "$result?", "$serlnum?" },
  [HP_FREESTYLE_LAYOUT_LIBRE] = { 1, "2", 0, 2, 7, 12, -1, 9, 13, "$arresult?", "$sn?" },
};

const char *
hp_freestyle_layout_result_command (HpFreestyleLayout layout)
{
  g_return_val_if_fail ((gsize) layout < G_N_ELEMENTS (layouts), NULL);
  return layouts[layout].result_command;
}

const char *
hp_freestyle_layout_serial_command (HpFreestyleLayout layout)
{
  g_return_val_if_fail ((gsize) layout < G_N_ELEMENTS (layouts), NULL);
  return layouts[layout].serial_command;
}

static gboolean
field_number (const char * const *fields,
              int                 index,
              guint               max_digits,
              guint              *value,
              GError            **error)
{
  if (!parse_number (fields[index], strlen (fields[index]), max_digits, value))
    {
      g_set_error (error, HP_FREESTYLE_ERROR, HP_FREESTYLE_ERROR_MALFORMED,
                   "Field %d of a record is not a number", index + 1);
      return FALSE;
    }
  return TRUE;
}

gboolean
hp_freestyle_parse_glucose_record (HpFreestyleLayout   layout,
                                   const char * const *fields,
                                   HpFreestyleRecord  *record,
                                   GError            **error)
{
  const Layout *l;
  guint n_fields, v[5], second = 0;
  const char *value;

  g_return_val_if_fail ((gsize) layout < G_N_ELEMENTS (layouts), FALSE);
  g_return_val_if_fail (fields != NULL && record != NULL, FALSE);

  l = &layouts[layout];
  memset (record, 0, sizeof *record);
  n_fields = g_strv_length ((char **) fields);
  if (n_fields <= (guint) l->type_field || strcmp (fields[l->type_field], l->glucose_type) != 0)
    {
      record->kind = HP_FREESTYLE_RECORD_OTHER;
      return TRUE;
    }
  if (n_fields < l->min_fields)
    {
      g_set_error (error, HP_FREESTYLE_ERROR, HP_FREESTYLE_ERROR_MALFORMED,
                   "A glucose record has %u fields where at least %u are due", n_fields, l->min_fields);
      return FALSE;
    }
  if (l->reading_type_field >= 0 && strcmp (fields[l->reading_type_field], "0") != 0)
    {
      /* Ketone strips and sensor scans are not a blood-glucose test. */
      record->kind = HP_FREESTYLE_RECORD_OTHER;
      return TRUE;
    }

  if (!field_number (fields, l->id_field, 9, &record->id, error))
    return FALSE;
  for (int i = 0; i < 5; i++)
    if (!field_number (fields, l->date_field + i, 3, &v[i], error))
      return FALSE;
  if (l->second_field >= 0 && !field_number (fields, l->second_field, 3, &second, error))
    return FALSE;

  record->time_lost = v[0] == 255 || v[1] == 255 || v[2] == 255 || v[3] == 255 || v[4] == 255;
  if (!record->time_lost)
    {
      if (v[0] < 1 || v[0] > 12 || v[1] < 1 || v[2] > 99 || v[3] > 23 || v[4] > 59 || second > 59 ||
          !g_date_valid_dmy ((GDateDay) v[1], (GDateMonth) v[0], (GDateYear) (2000 + v[2])))
        {
          g_set_error_literal (error, HP_FREESTYLE_ERROR, HP_FREESTYLE_ERROR_MALFORMED,
                               "A glucose record's date is not a real date");
          return FALSE;
        }
      record->time.month = (guint8) v[0];
      record->time.day = (guint8) v[1];
      record->time.year = (guint16) (2000 + v[2]);
      record->time.hour = (guint8) v[3];
      record->time.minute = (guint8) v[4];
      record->time.second = (guint8) second;
    }

  value = fields[l->value_field];
  if (strlen (value) >= sizeof record->value_text)
    {
      g_set_error_literal (error, HP_FREESTYLE_ERROR, HP_FREESTYLE_ERROR_MALFORMED,
                           "A glucose record's value field is too long");
      return FALSE;
    }
  g_strlcpy (record->value_text, value, sizeof record->value_text);

  if (l->control_field >= 0 && strcmp (fields[l->control_field], "0") == 0)
    record->kind = HP_FREESTYLE_RECORD_CONTROL;
  else if (strcmp (value, "HI") == 0)
    record->kind = HP_FREESTYLE_RECORD_HIGH;
  else if (strcmp (value, "LO") == 0)
    record->kind = HP_FREESTYLE_RECORD_LOW;
  else
    {
      guint number;

      if (!parse_number (value, strlen (value), 4, &number))
        {
          g_set_error_literal (error, HP_FREESTYLE_ERROR, HP_FREESTYLE_ERROR_MALFORMED,
                               "A glucose record's value is neither a number nor HI or LO");
          return FALSE;
        }
      record->kind = HP_FREESTYLE_RECORD_GLUCOSE;
      record->value = number;
    }
  return TRUE;
}
