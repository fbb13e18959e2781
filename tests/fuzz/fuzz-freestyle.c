/* libFuzzer target: FreeStyle messages, text replies, record sets, clock replies and glucose records. */
#include <stdint.h>
#include <string.h>

#include "hp-freestyle-codec.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
parse_body (const guint8 *body,
            gsize         len)
{
  HpFreestyleTime time;
  gboolean lost;
  GPtrArray *records;
  gsize offset = G_MAXSIZE;
  GError *error = NULL;

  (void) hp_freestyle_parse_date (body, len, &time, &lost, NULL);
  (void) hp_freestyle_parse_time (body, len, &time, &lost, NULL);

  records = hp_freestyle_parse_records (body, len, &offset, &error);
  if (records == NULL)
    {
      if (error == NULL || offset > len)
        __builtin_trap ();
      g_clear_error (&error);
      return;
    }
  for (guint i = 0; i < records->len; i++)
    for (int layout = HP_FREESTYLE_LAYOUT_NEO; layout <= HP_FREESTYLE_LAYOUT_LIBRE; layout++)
      {
        HpFreestyleRecord record;

        if (hp_freestyle_parse_glucose_record ((HpFreestyleLayout) layout, g_ptr_array_index (records, i),
                                               &record, &error))
          {
            if (record.kind == HP_FREESTYLE_RECORD_GLUCOSE && (record.value < 0 || record.value > 9999))
              __builtin_trap ();
          }
        else if (error == NULL)
          __builtin_trap ();
        g_clear_error (&error);
      }
  g_ptr_array_unref (records);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  GByteArray *joined = g_byte_array_new ();
  const guint8 *body;
  gsize body_len, offset = G_MAXSIZE;
  GError *error = NULL;

  /* The input as 64-byte reports, joined as the driver joins a reply. */
  for (gsize pos = 0; pos < size; pos += HP_FREESTYLE_REPORT_SIZE)
    {
      gsize chunk = MIN (size - pos, (gsize) HP_FREESTYLE_REPORT_SIZE);
      const guint8 *message;
      gsize len;
      guint8 type;

      if (!hp_freestyle_decode_message (data + pos, chunk, &type, &message, &len, &offset, &error))
        {
          if (error == NULL || offset > chunk)
            __builtin_trap ();
          g_clear_error (&error);
          continue;
        }
      if (message + len > data + pos + chunk)
        __builtin_trap ();
      if (type == HP_FREESTYLE_TYPE_TEXT)
        g_byte_array_append (joined, message, (guint) len);
    }
  if (hp_freestyle_text_complete (joined->data, joined->len))
    {
      if (hp_freestyle_parse_text_reply (joined->data, joined->len, &body, &body_len, &offset, &error))
        {
          if (body != joined->data || body_len > joined->len)
            __builtin_trap ();
          parse_body (body, body_len);
        }
      else if (error == NULL || offset > joined->len)
        __builtin_trap ();
      g_clear_error (&error);
    }
  g_byte_array_unref (joined);

  /* The whole input as a reply body. */
  parse_body (data, size);
  return 0;
}
