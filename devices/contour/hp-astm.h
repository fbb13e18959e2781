/* ASTM E1381 (low-level frames) and E1394 (records) codec, as glucometers such as Ascensia's Contour speak it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HP_ASTM_ERROR (hp_astm_error_quark ())

typedef enum {
  HP_ASTM_ERROR_TRUNCATED,   /* the input ends inside a frame */
  HP_ASTM_ERROR_MALFORMED,   /* a byte or a field is not where the standard puts it */
  HP_ASTM_ERROR_CHECKSUM,    /* the frame's checksum does not match its bytes */
  HP_ASTM_ERROR_TOO_LONG,    /* a frame or a record is longer than the kiosk accepts */
} HpAstmError;

GQuark hp_astm_error_quark (void);

/* Link-layer control characters (E1381 §6). */
#define HP_ASTM_STX 0x02
#define HP_ASTM_ETX 0x03
#define HP_ASTM_EOT 0x04
#define HP_ASTM_ENQ 0x05
#define HP_ASTM_ACK 0x06
#define HP_ASTM_LF  0x0A
#define HP_ASTM_CR  0x0D
#define HP_ASTM_NAK 0x15
#define HP_ASTM_ETB 0x17

/* E1381 limits a frame's text to 240 characters; meters stay well below.
 * The decoder accepts up to this many so that a chatty model still works,
 * and refuses anything longer. */
#define HP_ASTM_TEXT_MAX 1024
/* STX, FN, ETX/ETB, two checksum digits, CR, LF. */
#define HP_ASTM_FRAME_OVERHEAD 7
/* A record reassembled from several frames may not grow beyond this. */
#define HP_ASTM_RECORD_MAX 8192
/* E1381 §6.5.1.2: a sender gives up on a frame after six retransmissions. */
#define HP_ASTM_MAX_RETRANSMISSIONS 6

typedef struct {
  guint8        number;    /* FN, 0–7 */
  gboolean      final;     /* ETX: the last frame of the message; ETB: more follow */
  const guint8 *text;      /* between FN and ETX/ETB, record-ending CRs included; points into the input */
  gsize         text_len;
  gsize         frame_len; /* bytes from STX through LF */
} HpAstmFrame;

/* The checksum of E1381 §6.3.3: the byte sum, modulo 256, of FN, the text
 * and ETX/ETB. */
guint8   hp_astm_checksum              (const guint8 *data,
                                        gsize         len);

/* The frame number that follows @number (1, 2, …, 7, 0, 1, …). */
guint8   hp_astm_next_frame_number     (guint8        number);

/* Decodes the frame at the start of @data (which must begin with STX). On
 * failure @error_offset (if not %NULL) is the offset of the offending byte. */
gboolean hp_astm_decode_frame          (const guint8 *data,
                                        gsize         len,
                                        HpAstmFrame  *frame,
                                        gsize        *error_offset,
                                        GError      **error);

/* Appends STX FN @text ETX|ETB C1 C2 CR LF; @text carries its own CRs. */
void     hp_astm_encode_frame          (GByteArray   *out,
                                        guint8        number,
                                        const char   *text,
                                        gsize         text_len,
                                        gboolean      final);

/* Joins the texts of consecutive frames and splits them into records at CR.
 * A record may span frames (ETB without a CR); an ETX frame ends the message
 * and with it any record still open. */
typedef struct _HpAstmRecordReader HpAstmRecordReader;

HpAstmRecordReader *hp_astm_record_reader_new   (void);
void                hp_astm_record_reader_free  (HpAstmRecordReader *self);
void                hp_astm_record_reader_reset (HpAstmRecordReader *self);
/* Adds the text of an accepted frame; each record completed by it is
 * appended to @records (strings, freed by the array's free function). */
gboolean            hp_astm_record_reader_add   (HpAstmRecordReader *self,
                                                 const HpAstmFrame  *frame,
                                                 GPtrArray          *records,
                                                 GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HpAstmRecordReader, hp_astm_record_reader_free)

/* E1394 delimiters, declared by the header record's second to fifth bytes
 * ("H|\^&": field |, repeat \, component ^, escape &). */
typedef struct {
  char field;
  char repeat;
  char component;
  char escape;
} HpAstmDelimiters;

/* A wall-clock time as the meter's clock gives it: no zone, whole fields as
 * sent (the decoder checks they form a real date and time). */
typedef struct {
  guint16 year;
  guint8  month;
  guint8  day;
  guint8  hour;
  guint8  minute;
  guint8  second;
} HpAstmTime;

typedef enum {
  HP_ASTM_UNIT_UNKNOWN,
  HP_ASTM_UNIT_MG_DL,
  HP_ASTM_UNIT_MMOL_L,
} HpAstmUnit;

#define HP_ASTM_FIELD_MAX 64

typedef struct {
  HpAstmDelimiters delimiters;
  char       product[HP_ASTM_FIELD_MAX]; /* "Bayer7390" */
  char       serial[HP_ASTM_FIELD_MAX];  /* "7390-2336773" */
  HpAstmUnit unit;                       /* the configuration's U= (0 mg/dL, 1 mmol/L) */
  gboolean   has_record_count;
  guint      record_count;
  gboolean   has_time;                   /* the meter's clock when it sent the header */
  HpAstmTime time;
} HpAstmHeader;

/* Result flags from the abnormal-flags field, '/'-separated markers. */
typedef enum {
  HP_ASTM_RESULT_FLAG_NONE    = 0,
  HP_ASTM_RESULT_FLAG_CONTROL = 1 << 0, /* "C": a control-solution test */
  HP_ASTM_RESULT_FLAG_HIGH    = 1 << 1, /* ">": above the meter's range ("HI") */
  HP_ASTM_RESULT_FLAG_LOW     = 1 << 2, /* "<": below the meter's range ("LO") */
} HpAstmResultFlags;

typedef struct {
  guint             sequence;
  char              test[HP_ASTM_FIELD_MAX];     /* last component of the test id: "Glucose" */
  gboolean          has_value;                   /* FALSE when the value field is not a number */
  double            value;
  char              value_text[HP_ASTM_FIELD_MAX];
  char              unit[HP_ASTM_FIELD_MAX];     /* as sent: "mg/dL", "mmol/L" */
  HpAstmResultFlags flags;
  gboolean          has_time;
  HpAstmTime        time;
} HpAstmResult;

/* Which record a text is: 'H', 'P', 'O', 'R', 'C', 'L', ... or 0 when empty. */
char     hp_astm_record_type           (const char         *record);

gboolean hp_astm_parse_header          (const char         *record,
                                        HpAstmHeader       *header,
                                        gsize              *error_offset,
                                        GError            **error);

/* @delimiters come from the message's header record. */
gboolean hp_astm_parse_result          (const char             *record,
                                        const HpAstmDelimiters *delimiters,
                                        HpAstmResult           *result,
                                        gsize                  *error_offset,
                                        GError                **error);

/* Whether an order record ('O') marks its results as a quality-control
 * (control-solution) test: E1394 §9.4.12, action code "Q". */
gboolean hp_astm_order_is_control      (const char             *record,
                                        const HpAstmDelimiters *delimiters);

/* Parses "YYYYMMDDHHMM" or "YYYYMMDDHHMMSS"; FALSE if it is neither or not a
 * real date. */
gboolean hp_astm_parse_time            (const char         *text,
                                        gsize               len,
                                        HpAstmTime         *time);

G_END_DECLS
