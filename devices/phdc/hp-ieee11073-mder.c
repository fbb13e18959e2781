/* IEEE 11073-20601 MDER primitives: the decoding cursor, big-endian reads and writes, lengths. */
#include "hp-ieee11073.h"
#include "hp-ieee11073-private.h"

#include <stdarg.h>

G_DEFINE_QUARK (hp-ieee11073-error-quark, hp_ieee11073_error)

gboolean
hp_ieee11073_cursor_fail (Cursor     *c,
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

gsize
hp_ieee11073_cursor_left (const Cursor *c)
{
  return c->end - c->pos;
}

gboolean
hp_ieee11073_cursor_need (Cursor     *c,
                          gsize       n,
                          const char *what)
{
  if (hp_ieee11073_cursor_left (c) < n)
    return hp_ieee11073_cursor_fail (c, HP_IEEE11073_ERROR_TRUNCATED, c->pos,
                                     "%s needs %" G_GSIZE_FORMAT " bytes, %" G_GSIZE_FORMAT " left",
                                     what, n, hp_ieee11073_cursor_left (c));
  return TRUE;
}

gboolean
hp_ieee11073_read_u8 (Cursor     *c,
                      guint8     *value,
                      const char *what)
{
  if (!hp_ieee11073_cursor_need (c, 1, what))
    return FALSE;
  *value = c->data[c->pos];
  c->pos += 1;
  return TRUE;
}

gboolean
hp_ieee11073_read_u16 (Cursor     *c,
                       guint16    *value,
                       const char *what)
{
  if (!hp_ieee11073_cursor_need (c, 2, what))
    return FALSE;
  *value = (guint16) ((c->data[c->pos] << 8) | c->data[c->pos + 1]);
  c->pos += 2;
  return TRUE;
}

gboolean
hp_ieee11073_read_u32 (Cursor     *c,
                       guint32    *value,
                       const char *what)
{
  if (!hp_ieee11073_cursor_need (c, 4, what))
    return FALSE;
  *value = ((guint32) c->data[c->pos] << 24) | ((guint32) c->data[c->pos + 1] << 16) |
           ((guint32) c->data[c->pos + 2] << 8) | (guint32) c->data[c->pos + 3];
  c->pos += 4;
  return TRUE;
}

/* Reads a 16-bit length and opens a window of that many bytes after it; the
 * outer cursor moves past the window. A length that overruns what is left is
 * reported at the offset of the length field itself. */
gboolean
hp_ieee11073_read_window (Cursor     *c,
                          Cursor     *inner,
                          const char *what)
{
  gsize length_offset = c->pos;
  guint16 length;

  if (!hp_ieee11073_read_u16 (c, &length, what))
    return FALSE;
  if (length > hp_ieee11073_cursor_left (c))
    return hp_ieee11073_cursor_fail (c, HP_IEEE11073_ERROR_TRUNCATED, length_offset,
                                     "%s of %u bytes overruns the %" G_GSIZE_FORMAT " bytes left",
                                     what, length, hp_ieee11073_cursor_left (c));
  *inner = *c;
  inner->end = c->pos + length;
  c->pos += length;
  return TRUE;
}

gboolean
hp_ieee11073_expect_consumed (Cursor     *c,
                              const char *what)
{
  if (c->pos != c->end)
    return hp_ieee11073_cursor_fail (c, HP_IEEE11073_ERROR_MALFORMED, c->pos,
                                     "%" G_GSIZE_FORMAT " unexpected bytes after %s",
                                     hp_ieee11073_cursor_left (c), what);
  return TRUE;
}

/* count + length + items: the window must hold exactly @count items. */
gboolean
hp_ieee11073_read_list_header (Cursor     *c,
                               guint16    *count,
                               Cursor     *items,
                               const char *what)
{
  return hp_ieee11073_read_u16 (c, count, what) && hp_ieee11073_read_window (c, items, what);
}

/* ---- writing ---------------------------------------------------------- */

void
hp_ieee11073_put_u8 (GByteArray *out,
                     guint8      value)
{
  g_byte_array_append (out, &value, 1);
}

void
hp_ieee11073_put_u16 (GByteArray *out,
                      guint16     value)
{
  guint8 bytes[2] = { (guint8) (value >> 8), (guint8) value };

  g_byte_array_append (out, bytes, sizeof bytes);
}

void
hp_ieee11073_put_u32 (GByteArray *out,
                      guint32     value)
{
  guint8 bytes[4] = { (guint8) (value >> 24), (guint8) (value >> 16), (guint8) (value >> 8), (guint8) value };

  g_byte_array_append (out, bytes, sizeof bytes);
}

/* Writes a 16-bit length placeholder and returns where it is. */
guint
hp_ieee11073_begin_length (GByteArray *out)
{
  guint at = out->len;

  hp_ieee11073_put_u16 (out, 0);
  return at;
}

void
hp_ieee11073_end_length (GByteArray *out,
                         guint       at)
{
  gsize length = out->len - at - 2;

  g_return_if_fail (length <= G_MAXUINT16);
  out->data[at] = (guint8) (length >> 8);
  out->data[at + 1] = (guint8) length;
}
