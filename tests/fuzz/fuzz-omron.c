/* libFuzzer target: the Omron codec (HEM-790IT reports, replies, records; HEM-7322U commands, replies, records). */
#include <stdint.h>
#include <string.h>

#include "hp-omron-codec.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_790 (const uint8_t *data,
           size_t         size)
{
  static const gsize expected[] = {
    HP_OMRON_HEM790_OK_SIZE, HP_OMRON_HEM790_COUNT_REPLY_SIZE, HP_OMRON_HEM790_RECORD_REPLY_SIZE,
  };
  const guint8 *payload;
  gsize payload_len, offset;
  GError *error = NULL;
  HpOmronReplyStatus status;
  HpOmronRecord record;
  guint count;

  /* A report's payload lies inside the report. */
  offset = G_MAXSIZE;
  if (hp_omron_hem790_report_payload (data, MIN (size, (size_t) HP_OMRON_HEM790_REPORT_SIZE),
                                      &payload, &payload_len, &offset, &error))
    {
      if (payload != data + 1 || payload_len + 1 > size)
        __builtin_trap ();
    }
  else if (error == NULL || offset > size)
    __builtin_trap ();
  g_clear_error (&error);

  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      offset = G_MAXSIZE;
      if (!hp_omron_hem790_check_reply (data, size, expected[i], &status, &offset, &error))
        {
          if (error == NULL || offset > size)
            __builtin_trap ();
          g_clear_error (&error);
        }
      else if (status == HP_OMRON_REPLY_OK && size != expected[i])
        __builtin_trap ();
    }

  offset = G_MAXSIZE;
  if (hp_omron_hem790_decode_reading (data, size, &record, &offset, &error))
    {
      /* What decodes, encodes back to the same record bytes. */
      guint8 again[HP_OMRON_HEM790_RECORD_SIZE];

      hp_omron_hem790_encode_record (&record, again);
      if (again[0] != data[3] || again[8] != data[11] || again[9] != data[12] || again[10] != data[13])
        __builtin_trap ();
    }
  else if (error == NULL || offset > size)
    __builtin_trap ();
  g_clear_error (&error);

  if (!hp_omron_hem790_decode_count (data, size, &count, NULL, &error))
    g_clear_error (&error);

  /* Any bytes split into reports and joined again are the same bytes. */
  if (size <= 64)
    {
      GPtrArray *reports = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      GByteArray *joined = g_byte_array_new ();

      hp_omron_hem790_append_reports (reports, data, size);
      for (guint i = 0; i < reports->len; i++)
        {
          gsize report_size;
          const guint8 *report = g_bytes_get_data (g_ptr_array_index (reports, i), &report_size);

          if (!hp_omron_hem790_report_payload (report, report_size, &payload, &payload_len, NULL, NULL))
            __builtin_trap ();
          g_byte_array_append (joined, payload, (guint) payload_len);
        }
      if (joined->len != size || (size > 0 && memcmp (joined->data, data, size) != 0))
        __builtin_trap ();
      g_byte_array_unref (joined);
      g_ptr_array_unref (reports);
    }
  (void) hp_omron_hem790_command_length (data, size);
}

static void
check_7322 (const uint8_t *data,
            size_t         size)
{
  HpOmronHem7322Command command;
  const guint8 *payload;
  guint16 address;
  guint8 status, payload_size;
  gsize offset = G_MAXSIZE;
  GError *error = NULL;

  if (hp_omron_hem7322_decode_reply (data, size, &command, &status, &address, &payload, &payload_size,
                                     &offset, &error))
    {
      if (payload < data || payload + payload_size > data + size)
        __builtin_trap ();
    }
  else if (error == NULL || offset > size)
    __builtin_trap ();
  g_clear_error (&error);

  offset = G_MAXSIZE;
  if (hp_omron_hem7322_decode_command (data, size, &command, &address, &payload_size, &offset, &error))
    {
      guint8 again[HP_OMRON_HEM7322_COMMAND_SIZE];

      hp_omron_hem7322_encode_command (command, address, payload_size, again);
      if (again[2] != data[2] || again[4] != data[4] || again[5] != data[5] || again[6] != data[6])
        __builtin_trap ();
    }
  else if (error == NULL || offset > size)
    __builtin_trap ();
  g_clear_error (&error);

  if (size >= HP_OMRON_HEM7322_RECORD_SIZE && !hp_omron_hem7322_record_is_empty (data))
    {
      HpOmronRecord record, back;
      guint8 again[HP_OMRON_HEM7322_RECORD_SIZE];

      hp_omron_hem7322_decode_record (data, &record);
      if (record.time_valid != hp_omron_record_time_is_valid (&record))
        __builtin_trap ();
      /* Every decoded record fits the layout again and decodes the same. */
      if (!hp_omron_hem7322_encode_record (&record, again))
        __builtin_trap ();
      hp_omron_hem7322_decode_record (again, &back);
      if (memcmp (&record, &back, sizeof record) != 0)
        __builtin_trap ();
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  check_790 (data, size);
  check_7322 (data, size);
  return 0;
}
