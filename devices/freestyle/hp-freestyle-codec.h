/* Abbott FreeStyle shared HID protocol codec: 64-byte messages, text commands and replies, memory records. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HP_FREESTYLE_ERROR (hp_freestyle_error_quark ())

typedef enum {
  HP_FREESTYLE_ERROR_TRUNCATED,  /* the input ends before what its lengths promise */
  HP_FREESTYLE_ERROR_MALFORMED,  /* a length, field or line is not what the protocol says */
  HP_FREESTYLE_ERROR_CHECKSUM,   /* a CKSM or record-set checksum does not match */
  HP_FREESTYLE_ERROR_FAILED,     /* the meter answered "CMD Fail!" */
  HP_FREESTYLE_ERROR_TOO_LONG,   /* more than the kiosk accepts */
} HpFreestyleError;

GQuark hp_freestyle_error_quark (void);

/* Every message travels in one 64-byte report: type, length, data. */
#define HP_FREESTYLE_REPORT_SIZE 64
#define HP_FREESTYLE_DATA_MAX    62

/* Message types (glucometer-protocols, abbott/shared-hid-protocol). */
#define HP_FREESTYLE_TYPE_INIT            0x01
#define HP_FREESTYLE_TYPE_INIT_REPLY      0x71
#define HP_FREESTYLE_TYPE_KEEPALIVE       0x22 /* "22 01 xx", sent at random; skipped */
#define HP_FREESTYLE_TYPE_UNKNOWN_COMMAND 0x30 /* "30 01 85": the meter does not know a message type */
#define HP_FREESTYLE_TYPE_TEXT            0x60

/* A text reply, and with it a memory dump, may not grow beyond this. */
#define HP_FREESTYLE_REPLY_MAX (512 * 1024)

/* Writes one report into @report: @type, @len, @data, zero padding. FALSE
 * if @len exceeds HP_FREESTYLE_DATA_MAX. */
gboolean hp_freestyle_encode_message (guint8        report[HP_FREESTYLE_REPORT_SIZE],
                                      guint8        type,
                                      const guint8 *data,
                                      gsize         len);

/* Reads the message in one input report. @data points into @report. */
gboolean hp_freestyle_decode_message (const guint8  *report,
                                      gsize          size,
                                      guint8        *type,
                                      const guint8 **data,
                                      gsize         *len,
                                      gsize         *error_offset,
                                      GError       **error);

/* The checksum of text replies and record sets: the plain sum of the bytes. */
guint32  hp_freestyle_checksum       (const guint8  *data,
                                      gsize          len);

/* TRUE when @len bytes of text reply end with the status line. */
gboolean hp_freestyle_text_complete  (const guint8  *text,
                                      gsize          len);

/* Checks "message CKSM:XXXXXXXX\r\nCMD OK\r\n" and gives the message
 * (@body points into @text). HP_FREESTYLE_ERROR_FAILED for "CMD Fail!". */
gboolean hp_freestyle_parse_text_reply (const guint8  *text,
                                        gsize          len,
                                        const guint8 **body,
                                        gsize         *body_len,
                                        gsize         *error_offset,
                                        GError       **error);

/* Splits a multi-record message ("Log Empty\r\n", or lines of
 * comma-separated values followed by "count,XXXXXXXX\r\n") into records:
 * a GPtrArray of NULL-terminated string vectors, the meter's order kept.
 * The count and the record-set checksum must match. */
GPtrArray *hp_freestyle_parse_records (const guint8  *body,
                                       gsize          len,
                                       gsize         *error_offset,
                                       GError       **error);

/* The meter's clock as "$date?" ("M,D,YY") and "$time?" ("H,M") give it.
 * *lost is TRUE when the meter reports 255 in its fields, its way of saying
 * the clock lost power. */
typedef struct {
  guint16 year;    /* full year (the meter sends years since 2000) */
  guint8  month;
  guint8  day;
  guint8  hour;
  guint8  minute;
  guint8  second;
} HpFreestyleTime;

gboolean hp_freestyle_parse_date     (const guint8    *body,
                                      gsize            len,
                                      HpFreestyleTime *time,
                                      gboolean        *lost,
                                      GError         **error);
gboolean hp_freestyle_parse_time     (const guint8    *body,
                                      gsize            len,
                                      HpFreestyleTime *time,
                                      gboolean        *lost,
                                      GError         **error);

/* How a model lays out its glucose records; see glucometer-protocols'
 * abbott/ pages and the uploaders that read them. */
typedef enum {
  HP_FREESTYLE_LAYOUT_NEO,       /* Precision / Optium Neo: "$result?", type 7 */
  HP_FREESTYLE_LAYOUT_INSULINX,  /* InsuLinx: "$result?", type 0 */
  HP_FREESTYLE_LAYOUT_LIBRE,     /* Libre reader: "$arresult?", type 2, blood strips */
} HpFreestyleLayout;

typedef enum {
  HP_FREESTYLE_RECORD_OTHER,     /* not a blood-glucose test (insulin, ketones, events, sensor scans) */
  HP_FREESTYLE_RECORD_GLUCOSE,   /* a patient's blood test with a value */
  HP_FREESTYLE_RECORD_CONTROL,   /* a control-solution test */
  HP_FREESTYLE_RECORD_HIGH,      /* "HI" */
  HP_FREESTYLE_RECORD_LOW,       /* "LO" */
} HpFreestyleRecordKind;

typedef struct {
  HpFreestyleRecordKind kind;
  guint           id;            /* the record's number in the meter's memory */
  double          value;         /* mg/dL: these meters send glucose in mg/dL whatever they display */
  char            value_text[16];
  gboolean        time_lost;     /* date fields of 255 */
  HpFreestyleTime time;          /* when not lost */
} HpFreestyleRecord;

/* The text command that dumps @layout's memory, and the one that gives the
 * serial number. */
const char *hp_freestyle_layout_result_command (HpFreestyleLayout layout);
const char *hp_freestyle_layout_serial_command (HpFreestyleLayout layout);

/* Reads one record (from hp_freestyle_parse_records) of @layout. A record
 * of another type is HP_FREESTYLE_RECORD_OTHER, not an error. */
gboolean hp_freestyle_parse_glucose_record (HpFreestyleLayout   layout,
                                            const char * const *fields,
                                            HpFreestyleRecord  *record,
                                            GError            **error);

G_END_DECLS
