/* A captured exchange with a device, as staff save it for diagnosis: hex, one message per line. */
#include "hp-capture.h"

#include <stdarg.h>
#include <string.h>

G_DEFINE_QUARK (hp-capture-error-quark, hp_capture_error)

static void
message_free (gpointer data)
{
  HpCaptureMessage *message = data;

  g_bytes_unref (message->bytes);
  g_free (message);
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* One line, without its end; FALSE with @error on bad syntax, TRUE with
 * *message NULL for a line holding no message. */
static gboolean
parse_line (const char        *line,
            gsize              length,
            guint              line_number,
            HpCaptureMessage **message,
            GError           **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  HpCaptureDirection direction = HP_CAPTURE_FROM_DEVICE;
  gboolean marked = FALSE;
  gsize i = 0;

  *message = NULL;
  while (i < length)
    {
      char c = line[i];
      int high, low;

      if (c == '#')
        break;
      if (c == ' ' || c == '\t' || c == '\r' || c == ':')
        {
          i++;
          continue;
        }
      if ((c == '<' || c == '>') && !marked && bytes->len == 0)
        {
          direction = c == '>' ? HP_CAPTURE_TO_DEVICE : HP_CAPTURE_FROM_DEVICE;
          marked = TRUE;
          i++;
          continue;
        }
      high = hex_value (c);
      if (high < 0)
        {
          g_set_error (error, HP_CAPTURE_ERROR, HP_CAPTURE_ERROR_SYNTAX,
                       "line %u, column %" G_GSIZE_FORMAT ": expected a hex digit",
                       line_number, i + 1);
          return FALSE;
        }
      if (i + 1 >= length || strchr (" \t\r:#", line[i + 1]) != NULL)
        {
          g_set_error (error, HP_CAPTURE_ERROR, HP_CAPTURE_ERROR_SYNTAX,
                       "line %u, column %" G_GSIZE_FORMAT ": a byte needs two hex digits",
                       line_number, i + 1);
          return FALSE;
        }
      low = hex_value (line[i + 1]);
      if (low < 0)
        {
          g_set_error (error, HP_CAPTURE_ERROR, HP_CAPTURE_ERROR_SYNTAX,
                       "line %u, column %" G_GSIZE_FORMAT ": expected a hex digit",
                       line_number, i + 2);
          return FALSE;
        }
      g_byte_array_append (bytes, (const guint8[]) { (guint8) (high << 4 | low) }, 1);
      i += 2;
    }

  if (bytes->len == 0)
    {
      if (marked)
        {
          g_set_error (error, HP_CAPTURE_ERROR, HP_CAPTURE_ERROR_SYNTAX,
                       "line %u: a direction mark with no bytes", line_number);
          return FALSE;
        }
      return TRUE;
    }

  *message = g_new0 (HpCaptureMessage, 1);
  (*message)->direction = direction;
  (*message)->line = line_number;
  (*message)->bytes = g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
  return TRUE;
}

GPtrArray *
hp_capture_parse (const char  *text,
                  gsize        length,
                  GError     **error)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (message_free);
  gsize start = 0;
  guint line_number = 1;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  while (start < length)
    {
      const char *end = memchr (text + start, '\n', length - start);
      gsize line_length = end != NULL ? (gsize) (end - (text + start)) : length - start;
      HpCaptureMessage *message = NULL;

      if (!parse_line (text + start, line_length, line_number, &message, error))
        return NULL;
      if (message != NULL)
        g_ptr_array_add (messages, message);
      start += line_length + 1;
      line_number++;
    }

  if (messages->len == 0)
    {
      g_set_error_literal (error, HP_CAPTURE_ERROR, HP_CAPTURE_ERROR_EMPTY,
                           "the capture holds no message");
      return NULL;
    }
  return g_steal_pointer (&messages);
}
