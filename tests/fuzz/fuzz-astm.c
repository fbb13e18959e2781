/* libFuzzer target: ASTM E1381 frames, record reassembly and E1394 header and result records. */
#include <stdint.h>
#include <string.h>

#include "hp-astm.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* Parses every record of @records with the header's delimiters (or the
 * standard ones before a header). */
static void
parse_records (GPtrArray *records)
{
  HpAstmDelimiters delimiters = { '|', '\\', '^', '&' };

  for (guint i = 0; i < records->len; i++)
    {
      const char *record = g_ptr_array_index (records, i);
      gsize offset = G_MAXSIZE;
      GError *error = NULL;
      HpAstmHeader header;
      HpAstmResult result;

      if (hp_astm_record_type (record) == 'H')
        {
          if (hp_astm_parse_header (record, &header, &offset, &error))
            delimiters = header.delimiters;
          else if (error == NULL || offset > strlen (record))
            __builtin_trap ();
        }
      else if (hp_astm_record_type (record) == 'R')
        {
          if (!hp_astm_parse_result (record, &delimiters, &result, &offset, &error))
            {
              if (error == NULL || offset > strlen (record))
                __builtin_trap ();
            }
          else if (strlen (result.unit) >= sizeof result.unit || (result.has_value && result.value < 0))
            __builtin_trap ();
        }
      g_clear_error (&error);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  HpAstmRecordReader *reader = hp_astm_record_reader_new ();
  GPtrArray *records = g_ptr_array_new_with_free_func (g_free);
  gsize pos = 0;

  /* The input as a stream of frames, as a meter sends them. */
  while (pos < size)
    {
      GError *error = NULL;
      gsize offset = G_MAXSIZE;
      HpAstmFrame frame;

      if (data[pos] != HP_ASTM_STX)
        {
          pos++;
          continue;
        }
      if (!hp_astm_decode_frame (data + pos, size - pos, &frame, &offset, &error))
        {
          /* Every failure says why and where, and the where is inside the input. */
          if (error == NULL || offset > size - pos)
            __builtin_trap ();
          g_clear_error (&error);
          pos++;
          continue;
        }
      if (frame.frame_len > size - pos || frame.text_len + HP_ASTM_FRAME_OVERHEAD != frame.frame_len ||
          frame.number > 7)
        __builtin_trap ();

      /* What decodes, encodes back to the very same bytes. */
      {
        GByteArray *again = g_byte_array_new ();

        hp_astm_encode_frame (again, frame.number, (const char *) frame.text, frame.text_len, frame.final);
        if (again->len != frame.frame_len || memcmp (again->data, data + pos, again->len) != 0)
          __builtin_trap ();
        g_byte_array_unref (again);
      }

      if (!hp_astm_record_reader_add (reader, &frame, records, &error))
        g_clear_error (&error);
      pos += frame.frame_len;
    }

  parse_records (records);

  /* The whole input as one record too. */
  {
    char *text = g_strndup ((const char *) data, size);

    g_ptr_array_set_size (records, 0);
    g_ptr_array_add (records, text);
    parse_records (records);
  }

  g_ptr_array_unref (records);
  hp_astm_record_reader_free (reader);
  return 0;
}
