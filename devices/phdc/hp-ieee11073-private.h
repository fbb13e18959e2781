/* For the IEEE 11073-20601 codec files only: the decoding cursor and the MDER helpers they share. */
#pragma once

#include "hp-ieee11073.h"

G_BEGIN_DECLS

/* A window [pos, end) over the buffer being decoded. Offsets stay relative to
 * the start of that buffer so that every error can name the byte it is about. */
typedef struct {
  const guint8 *data;
  gsize pos;
  gsize end;
  gsize *error_offset;
  GError **error;
} Cursor;

/* hp-ieee11073-mder.c: reading. Each sets an error naming @what and its
 * byte (and *error_offset) and returns FALSE when the bytes are not there. */
G_GNUC_PRINTF (4, 5)
gboolean hp_ieee11073_cursor_fail       (Cursor       *c,
                                         int           code,
                                         gsize         offset,
                                         const char   *format,
                                         ...);
gsize    hp_ieee11073_cursor_left       (const Cursor *c);
gboolean hp_ieee11073_cursor_need       (Cursor       *c,
                                         gsize         n,
                                         const char   *what);
gboolean hp_ieee11073_read_u8           (Cursor       *c,
                                         guint8       *value,
                                         const char   *what);
gboolean hp_ieee11073_read_u16          (Cursor       *c,
                                         guint16      *value,
                                         const char   *what);
gboolean hp_ieee11073_read_u32          (Cursor       *c,
                                         guint32      *value,
                                         const char   *what);
gboolean hp_ieee11073_read_window       (Cursor       *c,
                                         Cursor       *inner,
                                         const char   *what);
gboolean hp_ieee11073_expect_consumed   (Cursor       *c,
                                         const char   *what);
gboolean hp_ieee11073_read_list_header  (Cursor       *c,
                                         guint16      *count,
                                         Cursor       *items,
                                         const char   *what);

/* hp-ieee11073-mder.c: writing, big-endian. */
void     hp_ieee11073_put_u8            (GByteArray   *out,
                                         guint8        value);
void     hp_ieee11073_put_u16           (GByteArray   *out,
                                         guint16       value);
void     hp_ieee11073_put_u32           (GByteArray   *out,
                                         guint32       value);
guint    hp_ieee11073_begin_length      (GByteArray   *out);
void     hp_ieee11073_end_length        (GByteArray   *out,
                                         guint         at);

/* hp-ieee11073-numbers.c: one BCD byte; FALSE when a nibble is over 9. */
gboolean hp_ieee11073_bcd_to_int        (guint8        bcd,
                                         guint8       *value);

/* hp-ieee11073-apdu.c: event report framing. */
void     hp_ieee11073_put_event_report_header (GByteArray *out,
                                               guint16     invoke_id,
                                               guint16     choice,
                                               guint16     obj_handle,
                                               guint32     time,
                                               guint16     event_type,
                                               gsize       info_len);

/* A PRST holding a ROIV confirmed event report on the MDS whose event info
 * the caller writes after this; hp_ieee11073_finish_event_report() fills the
 * lengths. */
typedef struct {
  guint apdu_at, octets_at, args_at, info_at;
} EventReportLengths;

void     hp_ieee11073_begin_event_report  (GByteArray               *out,
                                           guint16                   invoke_id,
                                           guint16                   choice,
                                           guint32                   event_time,
                                           guint16                   event_type,
                                           EventReportLengths       *lengths);
void     hp_ieee11073_finish_event_report (GByteArray               *out,
                                           const EventReportLengths *lengths);

/* hp-ieee11073-config.c: attribute values and event info. */
gboolean hp_ieee11073_read_u16_value    (Cursor       *value,
                                         guint16      *out,
                                         const char   *what);
gboolean hp_ieee11073_read_counted_list (Cursor       *value,
                                         gsize         item_size,
                                         guint         max_items,
                                         guint16      *count,
                                         Cursor       *items,
                                         const char   *what);
gboolean hp_ieee11073_event_info_cursor (const HpIeee11073DataApdu *prst,
                                         gboolean                   want_response,
                                         Cursor                    *c,
                                         gsize                     *error_offset,
                                         GError                   **error);

G_END_DECLS
