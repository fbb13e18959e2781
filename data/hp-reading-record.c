/* The byte form of one measurement's private part, the plaintext the store seals. */
#include "hp-reading-record-private.h"

#include <math.h>
#include <string.h>

#include "hp-crypto.h"
#include "hp-secret.h"
#include "hp-time.h"

void
hp_reading_record_free (GByteArray *record)
{
  if (record == NULL)
    return;
  hp_secret_wipe (record->data, record->len);
  g_byte_array_unref (record);
}

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
  guint8 bytes[4] = { (guint8) (value >> 24), (guint8) (value >> 16),
                      (guint8) (value >> 8), (guint8) value };

  g_byte_array_append (out, bytes, sizeof bytes);
}

static void
put_u64 (GByteArray *out,
         guint64     value)
{
  put_u32 (out, (guint32) (value >> 32));
  put_u32 (out, (guint32) value);
}

static void
put_double (GByteArray *out,
            double      value)
{
  guint64 bits;

  memcpy (&bits, &value, sizeof bits);
  put_u64 (out, bits);
}

GByteArray *
hp_reading_record_encode (HpMeasurement *measurement)
{
  GByteArray *out = g_byte_array_sized_new (128);
  GDateTime *device_time = hp_measurement_get_device_time (measurement);
  const char *device_id = hp_measurement_get_device_id (measurement);
  guint8 n_values = 0;

  g_return_val_if_fail (HP_IS_MEASUREMENT (measurement), NULL);

  put_u8 (out, HP_READING_RECORD_VERSION);
  put_u32 (out, (guint32) hp_measurement_get_flags (measurement));
  put_u8 (out, device_time != NULL);
  if (device_time != NULL)
    put_u64 (out, (guint64) hp_time_to_usec (device_time));
  /* Device ids come from USB descriptors, far shorter than this; a longer
   * one is cut rather than refused, so the reading itself is kept. */
  put_u8 (out, device_id != NULL);
  if (device_id != NULL)
    {
      gsize length = strlen (device_id);
      const char *end = device_id + MIN (length, (gsize) G_MAXUINT16);

      if (length > G_MAXUINT16)
        g_utf8_validate (device_id, (gssize) (end - device_id), &end);
      put_u16 (out, (guint16) (end - device_id));
      g_byte_array_append (out, (const guint8 *) device_id, (guint) (end - device_id));
    }

  for (guint q = 0; q <= HP_QUANTITY_LAST; q++)
    n_values += hp_measurement_has_value (measurement, q) ? 1 : 0;
  put_u8 (out, n_values);
  for (guint q = 0; q <= HP_QUANTITY_LAST; q++)
    {
      const char *unit = NULL;
      double value = 0.0;
      double normalized = 0.0;
      gsize unit_length;

      if (!hp_measurement_get_value (measurement, q, &value, &unit))
        continue;
      unit_length = MIN (strlen (unit), (gsize) G_MAXUINT8);
      put_u8 (out, (guint8) q);
      put_double (out, value);
      put_u32 (out, hp_measurement_get_mdc_code (measurement, q));
      put_u8 (out, (guint8) unit_length);
      g_byte_array_append (out, (const guint8 *) unit, (guint) unit_length);
      if (hp_measurement_get_normalized_value (measurement, q, &normalized) && isfinite (normalized))
        {
          put_u8 (out, 1);
          put_double (out, normalized);
        }
      else
        {
          put_u8 (out, 0);
        }
    }
  return out;
}

GByteArray *
hp_reading_record_identity (HpMeasurement *measurement)
{
  GByteArray *out;
  GDateTime *device_time;
  const char *device_id;

  g_return_val_if_fail (HP_IS_MEASUREMENT (measurement), NULL);

  device_time = hp_measurement_get_device_time (measurement);
  device_id = hp_measurement_get_device_id (measurement);
  if (device_time == NULL || device_id == NULL || *device_id == '\0'
      || (hp_measurement_get_flags (measurement) & HP_MEASUREMENT_FLAG_DEVICE_CLOCK_INVALID))
    return NULL;

  /* Every variable-length part is length-prefixed, so no two different
   * readings give the same bytes. */
  out = g_byte_array_sized_new (96);
  g_byte_array_append (out, (const guint8 *) "HPRI", 4);
  put_u8 (out, (guint8) hp_measurement_get_kind (measurement));
  put_u32 (out, (guint32) strlen (device_id));
  g_byte_array_append (out, (const guint8 *) device_id, (guint) strlen (device_id));
  put_u64 (out, (guint64) hp_time_to_usec (device_time));
  for (guint q = 0; q <= HP_QUANTITY_LAST; q++)
    {
      const char *unit = NULL;
      double value = 0.0;

      if (!hp_measurement_get_value (measurement, q, &value, &unit))
        continue;
      put_u8 (out, (guint8) q);
      put_double (out, value);
      put_u32 (out, (guint32) strlen (unit));
      g_byte_array_append (out, (const guint8 *) unit, (guint) strlen (unit));
    }
  return out;
}

/* A cursor over the record; every read checks what is left first. */
typedef struct {
  const guint8 *data;
  gsize left;
} Reader;

static gboolean
take (Reader        *reader,
      gsize          length,
      const guint8 **bytes)
{
  if (reader->left < length)
    return FALSE;
  *bytes = reader->data;
  reader->data += length;
  reader->left -= length;
  return TRUE;
}

static gboolean
take_u8 (Reader *reader,
         guint8 *value)
{
  const guint8 *bytes;

  if (!take (reader, 1, &bytes))
    return FALSE;
  *value = bytes[0];
  return TRUE;
}

static gboolean
take_u16 (Reader  *reader,
          guint16 *value)
{
  const guint8 *bytes;

  if (!take (reader, 2, &bytes))
    return FALSE;
  *value = (guint16) (bytes[0] << 8 | bytes[1]);
  return TRUE;
}

static gboolean
take_u32 (Reader  *reader,
          guint32 *value)
{
  const guint8 *bytes;

  if (!take (reader, 4, &bytes))
    return FALSE;
  *value = (guint32) bytes[0] << 24 | (guint32) bytes[1] << 16 | (guint32) bytes[2] << 8 | bytes[3];
  return TRUE;
}

static gboolean
take_u64 (Reader  *reader,
          guint64 *value)
{
  guint32 high, low;

  if (!take_u32 (reader, &high) || !take_u32 (reader, &low))
    return FALSE;
  *value = (guint64) high << 32 | low;
  return TRUE;
}

static gboolean
take_double (Reader *reader,
             double *value)
{
  guint64 bits;

  if (!take_u64 (reader, &bits))
    return FALSE;
  memcpy (value, &bits, sizeof bits);
  return TRUE;
}

static gboolean
take_flag (Reader   *reader,
           gboolean *flag)
{
  guint8 byte;

  if (!take_u8 (reader, &byte) || byte > 1)
    return FALSE;
  *flag = byte == 1;
  return TRUE;
}

static HpMeasurement *
invalid (const char  *what,
         GError     **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               "A stored reading is damaged: %s", what);
  return NULL;
}

HpMeasurement *
hp_reading_record_decode (HpMeasurementKind   kind,
                          const guint8       *data,
                          gsize               length,
                          GError            **error)
{
  g_autoptr(HpMeasurement) measurement = NULL;
  Reader reader = { data, length };
  gboolean has_device_time = FALSE;
  gboolean has_device_id = FALSE;
  guint8 version = 0;
  guint8 n_values = 0;
  guint32 flags = 0;
  int previous = -1;

  g_return_val_if_fail (kind <= HP_MEASUREMENT_KIND_LAST, NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (!take_u8 (&reader, &version))
    return invalid ("it is empty", error);
  if (version != HP_READING_RECORD_VERSION)
    return invalid ("its record version is unknown", error);
  if (!take_u32 (&reader, &flags))
    return invalid ("its flags are cut short", error);
  if ((flags & ~(guint32) HP_MEASUREMENT_FLAGS_ALL) != 0)
    return invalid ("it has unknown flags", error);
  if ((flags & HP_MEASUREMENT_FLAG_ABOVE_RANGE) && (flags & HP_MEASUREMENT_FLAG_BELOW_RANGE))
    return invalid ("it is both above and below its range", error);
  if ((flags & HP_MEASUREMENT_FLAG_FASTING) && (flags & HP_MEASUREMENT_FLAG_NOT_FASTING))
    return invalid ("it is both fasting and not", error);

  measurement = hp_measurement_new (kind);
  hp_measurement_set_flags (measurement, (HpMeasurementFlags) flags);

  if (!take_flag (&reader, &has_device_time))
    return invalid ("its device time marker is wrong", error);
  if (has_device_time)
    {
      g_autoptr(GDateTime) device_time = NULL;
      guint64 usec = 0;

      if (!take_u64 (&reader, &usec))
        return invalid ("its device time is cut short", error);
      device_time = hp_time_from_usec ((gint64) usec);
      if (device_time == NULL)
        return invalid ("its device time is out of range", error);
      hp_measurement_set_device_time (measurement, device_time);
    }

  if (!take_flag (&reader, &has_device_id))
    return invalid ("its device id marker is wrong", error);
  if (has_device_id)
    {
      g_autofree char *device_id = NULL;
      const guint8 *bytes = NULL;
      guint16 id_length = 0;

      if (!take_u16 (&reader, &id_length) || !take (&reader, id_length, &bytes))
        return invalid ("its device id is cut short", error);
      if (!g_utf8_validate_len ((const char *) bytes, id_length, NULL))
        return invalid ("its device id is not UTF-8", error);
      device_id = g_strndup ((const char *) bytes, id_length);
      hp_measurement_set_device_id (measurement, device_id);
    }

  if (!take_u8 (&reader, &n_values))
    return invalid ("its number of values is missing", error);
  if (n_values > HP_QUANTITY_LAST + 1)
    return invalid ("it has more values than there are quantities", error);
  for (guint i = 0; i < n_values; i++)
    {
      g_autofree char *unit = NULL;
      const guint8 *unit_bytes = NULL;
      gboolean has_normalized = FALSE;
      double value = 0.0;
      double normalized = 0.0;
      guint32 mdc_code = 0;
      guint8 unit_length = 0;
      guint8 quantity = 0;

      if (!take_u8 (&reader, &quantity) || !take_double (&reader, &value)
          || !take_u32 (&reader, &mdc_code) || !take_u8 (&reader, &unit_length)
          || !take (&reader, unit_length, &unit_bytes))
        return invalid ("a value is cut short", error);
      if (quantity > HP_QUANTITY_LAST || (int) quantity <= previous)
        return invalid ("its quantities are unknown, repeated or out of order", error);
      previous = quantity;
      if (!isfinite (value))
        return invalid ("a value is not a number", error);
      if (unit_length == 0 || !g_utf8_validate_len ((const char *) unit_bytes, unit_length, NULL)
          || memchr (unit_bytes, '\0', unit_length) != NULL)
        return invalid ("a unit is empty or not UTF-8", error);
      if (!take_flag (&reader, &has_normalized)
          || (has_normalized && !take_double (&reader, &normalized)))
        return invalid ("a normalised value is cut short", error);
      if (has_normalized && !isfinite (normalized))
        return invalid ("a normalised value is not a number", error);

      unit = g_strndup ((const char *) unit_bytes, unit_length);
      hp_measurement_set_value (measurement, (HpQuantity) quantity, value, unit);
      hp_measurement_set_mdc_code (measurement, (HpQuantity) quantity, mdc_code);
    }
  if (reader.left != 0)
    return invalid ("bytes follow its last value", error);
  return g_steal_pointer (&measurement);
}
