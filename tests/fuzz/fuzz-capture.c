/* libFuzzer target: the hex capture format read by healthpost-ctl decode. */
#include <stdint.h>

#include "hp-capture.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = hp_capture_parse ((const char *) data, size, &error);

  /* Exactly one of a result and an error, and every message holds bytes
   * from a line that exists. */
  if ((messages == NULL) == (error == NULL))
    __builtin_trap ();
  if (messages != NULL)
    {
      guint previous_line = 0;

      for (guint i = 0; i < messages->len; i++)
        {
          HpCaptureMessage *message = g_ptr_array_index (messages, i);

          if (g_bytes_get_size (message->bytes) == 0 || message->line <= previous_line ||
              message->line > size)
            __builtin_trap ();
          previous_line = message->line;
        }
    }
  return 0;
}
