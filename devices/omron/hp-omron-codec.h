/* Omron blood-pressure monitor USB HID codec: HEM-790IT and HEM-7322U framing, checksums and records. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HP_OMRON_ERROR (hp_omron_error_quark ())

typedef enum {
  HP_OMRON_ERROR_LENGTH,   /* a count or length field disagrees with the bytes there are */
  HP_OMRON_ERROR_CHECKSUM, /* the XOR check byte does not match */
  HP_OMRON_ERROR_FORMAT,   /* not the reply or command the protocol has here */
} HpOmronError;

GQuark hp_omron_error_quark (void);

/* One stored reading, as both families keep it. The date is the monitor's
 * own local time; time_valid is FALSE when the fields are not a real date
 * (the monitor's clock was never set or was lost). */
typedef struct {
  guint    year;
  guint    month;
  guint    day;
  guint    hour;
  guint    minute;
  guint    second;
  gboolean time_valid;
  guint    systolic;   /* mmHg */
  guint    diastolic;  /* mmHg */
  guint    pulse;      /* beats per minute */
  guint8   flags;      /* HEM-790IT status byte (TruRead position in the high nibble); 0 otherwise */
} HpOmronRecord;

/* XOR of @len bytes. */
guint8   hp_omron_xor (const guint8 *data,
                       gsize         len);

/* FALSE when the record's date fields are not a real date and time. */
gboolean hp_omron_record_time_is_valid (const HpOmronRecord *record);

/* ---- HEM-790IT family (0590:0028; libomron's notes) ----
 *
 * 8-byte HID reports in both directions, no report id; byte 0 counts the
 * valid bytes that follow (at most 7), the rest is padding. A command or a
 * reply may span several reports. */

#define HP_OMRON_HEM790_REPORT_SIZE    8
#define HP_OMRON_HEM790_REPORT_PAYLOAD 7

/* HID SET_REPORT(Feature, id 0) values, sent big-endian in two bytes, that
 * select what the monitor answers: its identity or its stored readings. */
#define HP_OMRON_HEM790_MODE_DEVICE_INFO 0x0101
#define HP_OMRON_HEM790_MODE_READINGS    0x74BC

/* After a mode switch the host clears the monitor's input: zero bytes, up
 * to and including a report that is not full; the monitor answers "OK"
 * once it listens. Omron's own software sends 30 (7, then 23: four full
 * reports and one of two bytes, in every clear of libomron's USB logs),
 * libomron 12; the kiosk sends what Omron's software does. The monitor may
 * answer something else first (a report counting 8 bytes, "NO"): the host
 * then clears again. */
#define HP_OMRON_HEM790_CLEAR_SIZE 30

/* Whole replies, "OK" included: "OK", a zero byte, the data, and an XOR
 * byte that makes everything after "OK" XOR to zero. */
#define HP_OMRON_HEM790_OK_SIZE          2
#define HP_OMRON_HEM790_COUNT_REPLY_SIZE 8   /* "OK" 00 + 4 data + check */
#define HP_OMRON_HEM790_RECORD_SIZE      14  /* 13 data + check */
#define HP_OMRON_HEM790_RECORD_REPLY_SIZE (3 + HP_OMRON_HEM790_RECORD_SIZE)
#define HP_OMRON_HEM790_OFF_REPLY        "OFF\r\n" /* the answer to END, no check byte */
#define HP_OMRON_HEM790_OFF_REPLY_SIZE   5

/* Commands: three letters, argument bytes, then the XOR of the arguments.
 * Returns the command's length, which fits in @out when @out_size is at
 * least HP_OMRON_HEM790_COMMAND_MAX. */
#define HP_OMRON_HEM790_COMMAND_MAX 16
gsize    hp_omron_hem790_encode_command (const char   *mnemonic,
                                         const guint8 *args,
                                         gsize         n_args,
                                         guint8       *out,
                                         gsize         out_size);
/* "GDC" 00 bank 00 00: how many readings a memory bank holds. */
gsize    hp_omron_hem790_encode_count   (guint8        bank,
                                         guint8       *out,
                                         gsize         out_size);
/* "GME" 00 bank 00 index: one reading, index 0 being the newest. */
gsize    hp_omron_hem790_encode_reading (guint8        bank,
                                         guint8        index,
                                         guint8       *out,
                                         gsize         out_size);
/* "END" FF: the monitor switches itself off. */
gsize    hp_omron_hem790_encode_end     (guint8       *out,
                                         gsize         out_size);

/* TRUE when a report's valid bytes @payload start or go on with a clearing
 * block: at least one byte, all zero. */
gboolean hp_omron_hem790_is_clearing    (const guint8 *payload,
                                         gsize         len);

/* How long the lettered command starting with @data is (the monitor knows
 * a command's length by its letters), or 0 when fewer than three bytes are
 * there or the letters are unknown (a clearing block among them: its
 * reports tell where it ends). */
gsize    hp_omron_hem790_command_length (const guint8 *data,
                                         gsize         len);

/* Splits @message into 8-byte reports (GBytes) appended to @reports. */
void     hp_omron_hem790_append_reports (GPtrArray    *reports,
                                         const guint8 *message,
                                         gsize         len);

/* The valid bytes of one report: checks the count byte against the report's
 * length. A count of 0 is a report with nothing in it. A count of 8 in an
 * 8-byte report, which the monitor sends when it is not yet listening
 * (libomron's USB logs), is taken as 7, as libomron takes it. */
gboolean hp_omron_hem790_report_payload (const guint8  *report,
                                         gsize          len,
                                         const guint8 **payload,
                                         gsize         *payload_len,
                                         gsize         *error_offset,
                                         GError       **error);

typedef enum {
  HP_OMRON_REPLY_INCOMPLETE, /* more reports to come */
  HP_OMRON_REPLY_OK,         /* "OK", checked, @expected_len bytes */
  HP_OMRON_REPLY_NO,         /* "NO": the monitor was not ready; ask again */
} HpOmronReplyStatus;

/* Looks at the reply bytes gathered so far for a command whose "OK" reply is
 * @expected_len bytes long (HP_OMRON_HEM790_OK_SIZE for a bare "OK"). FALSE
 * with HP_OMRON_ERROR and *@error_offset on a reply that is neither "OK" nor
 * "NO", is longer than expected, or fails its check byte. */
gboolean hp_omron_hem790_check_reply    (const guint8        *data,
                                         gsize                len,
                                         gsize                expected_len,
                                         HpOmronReplyStatus  *status,
                                         gsize               *error_offset,
                                         GError             **error);

/* The number of readings from a whole "GDC" reply. */
gboolean hp_omron_hem790_decode_count   (const guint8  *reply,
                                         gsize          len,
                                         guint         *count,
                                         gsize         *error_offset,
                                         GError       **error);
/* One reading from a whole "GME" reply ("OK" 00, then 14 bytes). */
gboolean hp_omron_hem790_decode_reading (const guint8   *reply,
                                         gsize           len,
                                         HpOmronRecord  *record,
                                         gsize          *error_offset,
                                         GError        **error);
/* The 14 record bytes (check byte included) the monitor keeps for @record. */
void     hp_omron_hem790_encode_record  (const HpOmronRecord *record,
                                         guint8               out[HP_OMRON_HEM790_RECORD_SIZE]);

/* ---- HEM-7322U / HEM-7131U family (0590:0090; obpm's usb.cpp) ----
 *
 * One 9-byte output report per command: 0x02, length 0x08, command, 0,
 * address (2 bytes, big-endian), size, 0, and the XOR of bytes 1–7. One
 * input report per reply, its data starting at byte 7. */

#define HP_OMRON_HEM7322_COMMAND_SIZE 9
#define HP_OMRON_HEM7322_REPORT_SIZE  64
#define HP_OMRON_HEM7322_DATA_OFFSET  7
#define HP_OMRON_HEM7322_DATA_MAX     (HP_OMRON_HEM7322_REPORT_SIZE - HP_OMRON_HEM7322_DATA_OFFSET - 1)

typedef enum {
  HP_OMRON_HEM7322_COMMAND_INIT = 0x00, /* read 16 bytes at 0: answered only once START/STOP was pressed */
  HP_OMRON_HEM7322_COMMAND_READ = 0x01, /* read memory */
  HP_OMRON_HEM7322_COMMAND_END  = 0x0F, /* end of the session */
} HpOmronHem7322Command;

#define HP_OMRON_HEM7322_INIT_SIZE      0x10
#define HP_OMRON_HEM7322_RECORDS_START  0x02AC
#define HP_OMRON_HEM7322_BLOCK_SIZE     40
#define HP_OMRON_HEM7322_RECORD_SIZE    14
/* Records each of the two users has room for: 100 on the HEM-7322U, 60 on
 * the HEM-7131U, which shares its USB id. */
#define HP_OMRON_HEM7322_RECORDS_PER_USER 100
#define HP_OMRON_HEM7131_RECORDS_PER_USER 60

void     hp_omron_hem7322_encode_command (HpOmronHem7322Command command,
                                          guint16               address,
                                          guint8                size,
                                          guint8                out[HP_OMRON_HEM7322_COMMAND_SIZE]);
/* What the monitor reads from a host command; checks framing and check byte. */
gboolean hp_omron_hem7322_decode_command (const guint8           *data,
                                          gsize                   len,
                                          HpOmronHem7322Command  *command,
                                          guint16                *address,
                                          guint8                 *size,
                                          gsize                  *error_offset,
                                          GError                **error);

/* A reply: 0x02, length L (bytes 1..L are the message, the last of them the
 * XOR check), the command echoed, status (0 = done), address (2 bytes),
 * size, the data, the check byte, then padding up to the report size. */
gsize    hp_omron_hem7322_encode_reply   (HpOmronHem7322Command  command,
                                          guint8                 status,
                                          guint16                address,
                                          const guint8          *data,
                                          guint8                 size,
                                          guint8                 out[HP_OMRON_HEM7322_REPORT_SIZE]);
gboolean hp_omron_hem7322_decode_reply   (const guint8           *report,
                                          gsize                   len,
                                          HpOmronHem7322Command  *command,
                                          guint8                 *status,
                                          guint16                *address,
                                          const guint8          **data,
                                          guint8                 *size,
                                          gsize                  *error_offset,
                                          GError                **error);

/* A never-written record slot is all 0xFF. */
gboolean hp_omron_hem7322_record_is_empty (const guint8 *record);
/* Decodes the 14 bytes of a written slot (the caller checks emptiness). */
void     hp_omron_hem7322_decode_record  (const guint8    record_bytes[HP_OMRON_HEM7322_RECORD_SIZE],
                                          HpOmronRecord  *record);
/* FALSE when @record's values or date cannot be stored in the layout. */
gboolean hp_omron_hem7322_encode_record  (const HpOmronRecord *record,
                                          guint8               out[HP_OMRON_HEM7322_RECORD_SIZE]);

G_END_DECLS
