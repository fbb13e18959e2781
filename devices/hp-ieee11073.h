/* IEEE 11073-20601 (PHD exchange protocol, MDER encoding) codec: APDUs, numbers, time, scan reports. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HP_IEEE11073_ERROR (hp_ieee11073_error_quark ())

typedef enum {
  HP_IEEE11073_ERROR_TRUNCATED,   /* a field or a length runs past the end */
  HP_IEEE11073_ERROR_MALFORMED,   /* lengths disagree or a value is invalid */
  HP_IEEE11073_ERROR_UNSUPPORTED, /* well formed, but not something we speak */
} HpIeee11073Error;

GQuark hp_ieee11073_error_quark (void);

/* APDU tags (the first two bytes). */
typedef enum {
  HP_IEEE11073_APDU_AARQ = 0xE200,
  HP_IEEE11073_APDU_AARE = 0xE300,
  HP_IEEE11073_APDU_RLRQ = 0xE400,
  HP_IEEE11073_APDU_RLRE = 0xE500,
  HP_IEEE11073_APDU_ABRT = 0xE600,
  HP_IEEE11073_APDU_PRST = 0xE700,
} HpIeee11073ApduType;

#define HP_IEEE11073_APDU_HEADER_SIZE 4

#define HP_IEEE11073_DATA_PROTO_ID_20601 0x5079
#define HP_IEEE11073_ENCODING_MDER       0x8000
#define HP_IEEE11073_ASSOC_VERSION1      0x80000000u
#define HP_IEEE11073_PROTOCOL_VERSION1   0x80000000u
#define HP_IEEE11073_NOM_VERSION1        0x80000000u
#define HP_IEEE11073_SYS_TYPE_MANAGER    0x80000000u
#define HP_IEEE11073_SYS_TYPE_AGENT      0x00800000u

/* AARE results. */
typedef enum {
  HP_IEEE11073_ASSOC_ACCEPTED = 0,
  HP_IEEE11073_ASSOC_REJECTED_PERMANENT = 1,
  HP_IEEE11073_ASSOC_REJECTED_TRANSIENT = 2,
  HP_IEEE11073_ASSOC_ACCEPTED_UNKNOWN_CONFIG = 3,
  HP_IEEE11073_ASSOC_REJECTED_NO_COMMON_PROTOCOL = 4,
} HpIeee11073AssocResult;

/* ABRT reasons. */
typedef enum {
  HP_IEEE11073_ABORT_UNDEFINED = 0,
  HP_IEEE11073_ABORT_BUFFER_OVERFLOW = 1,
  HP_IEEE11073_ABORT_RESPONSE_TIMEOUT = 2,
  HP_IEEE11073_ABORT_CONFIGURATION_TIMEOUT = 3,
} HpIeee11073AbortReason;

#define HP_IEEE11073_RELEASE_NORMAL 0

/* Data APDU choices (ROIV = invoke, RORS = result). */
#define HP_IEEE11073_ROIV_EVENT_REPORT           0x0100
#define HP_IEEE11073_ROIV_CONFIRMED_EVENT_REPORT 0x0101
#define HP_IEEE11073_RORS_CONFIRMED_EVENT_REPORT 0x0201

/* Event types. */
#define HP_IEEE11073_NOTI_CONFIG            0x0D1C
#define HP_IEEE11073_NOTI_SCAN_REPORT_FIXED 0x0D1D
#define HP_IEEE11073_NOTI_SCAN_REPORT_VAR   0x0D1E

/* Standard configurations (dev-config-id). */
#define HP_IEEE11073_CONFIG_BLOOD_PRESSURE 0x02BC

/* Nomenclature codes of the blood-pressure specialization. */
#define HP_IEEE11073_MDC_DIM_MMHG          3872
#define HP_IEEE11073_MDC_DIM_BEAT_PER_MIN  2720
#define HP_IEEE11073_MDC_PULS_RATE_NON_INV 18474

/* Object handles of the standard blood-pressure configuration 0x02BC. */
#define HP_IEEE11073_BP_HANDLE_PRESSURE 1 /* compound: systolic, diastolic, mean */
#define HP_IEEE11073_BP_HANDLE_PULSE    2

#define HP_IEEE11073_SYSTEM_ID_MAX 16

/* PhdAssociationInformation, as carried in AARQ and AARE. */
typedef struct {
  guint32 protocol_version;
  guint16 encoding_rules;
  guint32 nomenclature_version;
  guint32 functional_units;
  guint32 system_type;
  guint8  system_id[HP_IEEE11073_SYSTEM_ID_MAX];
  gsize   system_id_len;
  guint16 dev_config_id;
  guint16 data_req_mode_flags;
  guint8  data_req_init_agent_count;
  guint8  data_req_init_manager_count;
} HpIeee11073AssocInfo;

typedef struct {
  guint32 assoc_version;
  /* Whether the data-proto-list offered 20601; only then is @info filled. */
  gboolean has_20601;
  HpIeee11073AssocInfo info;
} HpIeee11073Aarq;

typedef struct {
  guint16 result;
  guint16 data_proto_id;
  HpIeee11073AssocInfo info; /* filled when data_proto_id is 20601 */
} HpIeee11073Aare;

/* The data APDU inside a PRST. For event reports and their results the
 * event fields are filled; @args points into the decoded buffer. */
typedef struct {
  guint16 invoke_id;
  guint16 choice;
  const guint8 *args;          /* the choice's body */
  gsize   args_len;
  gsize   args_offset;         /* of @args in the decoded buffer */
  gboolean is_event_report;    /* ROIV event report (either kind) or its RORS */
  guint16 obj_handle;
  guint32 event_time;
  guint16 event_type;
  const guint8 *event_info;    /* event-info, or event-reply-info for RORS */
  gsize   event_info_len;
  gsize   event_info_offset;
} HpIeee11073DataApdu;

/* One decoded APDU. Pointers in it point into the buffer it was decoded
 * from and live as long as that buffer. */
typedef struct {
  HpIeee11073ApduType type;
  gsize total_len;             /* header included */
  union {
    HpIeee11073Aarq aarq;
    HpIeee11073Aare aare;
    guint16 release_reason;    /* RLRQ, RLRE */
    guint16 abort_reason;      /* ABRT */
    HpIeee11073DataApdu prst;
  } u;
} HpIeee11073Apdu;

typedef struct {
  guint16 year;                /* century * 100 + year */
  guint8  month;
  guint8  day;
  guint8  hour;
  guint8  minute;
  guint8  second;
  guint8  hundredths;
} HpIeee11073AbsoluteTime;

#define HP_IEEE11073_ABSOLUTE_TIME_SIZE 8

/* A blood-pressure reading as laid out by the standard configuration 0x02BC. */
typedef struct {
  guint16 data_req_id;
  guint16 scan_report_no;
  double  systolic;            /* mmHg; NaN when the device sent NaN/NRes */
  double  diastolic;
  double  mean_arterial;
  gboolean has_pulse;
  double  pulse;               /* beats per minute */
  HpIeee11073AbsoluteTime time;
  gboolean time_valid;         /* FALSE when the device's clock bytes are not a date */
} HpIeee11073BloodPressure;

/* Called once per (obj-handle, observed value) of a fixed scan report.
 * @value_offset is the offset of @value in the decoded buffer. */
typedef gboolean (*HpIeee11073ObservationFunc) (guint16        obj_handle,
                                                const guint8  *value,
                                                gsize          value_len,
                                                gsize          value_offset,
                                                gpointer       user_data,
                                                gsize         *error_offset,
                                                GError       **error);

/* Numbers. The special SFLOAT/FLOAT values (NaN, NRes, reserved) decode to NaN
 * and +INF/-INF to infinities. */
double   hp_ieee11073_sfloat_to_double  (guint16    raw);
gboolean hp_ieee11073_sfloat_is_special (guint16    raw);
gboolean hp_ieee11073_sfloat_from_double (double    value,
                                          guint16  *raw);
double   hp_ieee11073_float_to_double   (guint32    raw);

#define HP_IEEE11073_SFLOAT_NAN     0x07FF
#define HP_IEEE11073_SFLOAT_NRES    0x0800
#define HP_IEEE11073_SFLOAT_PINF    0x07FE
#define HP_IEEE11073_SFLOAT_NINF    0x0802
#define HP_IEEE11073_FLOAT_NAN      0x007FFFFF

gboolean hp_ieee11073_decode_absolute_time (const guint8            *bytes,
                                            gsize                    len,
                                            HpIeee11073AbsoluteTime *time,
                                            GError                 **error);
gboolean hp_ieee11073_encode_absolute_time (const HpIeee11073AbsoluteTime *time,
                                            guint8                         bytes[HP_IEEE11073_ABSOLUTE_TIME_SIZE]);
void     hp_ieee11073_absolute_time_from_date_time (GDateTime               *date_time,
                                                    HpIeee11073AbsoluteTime *time);
/* The device's wall-clock time read in @tz (the standard gives no zone). */
GDateTime *hp_ieee11073_absolute_time_to_date_time (const HpIeee11073AbsoluteTime *time,
                                                    GTimeZone                     *tz);

/* Framing: whether @data starts with a complete APDU; its size goes to @frame_len.
 * FALSE means more bytes are needed. */
gboolean hp_ieee11073_apdu_complete (const guint8 *data,
                                     gsize         len,
                                     gsize        *frame_len);

/* Decoding. On failure @error_offset (nullable) receives the offset in
 * @data of the field that could not be decoded; the message names it too. */
gboolean hp_ieee11073_decode_apdu (const guint8     *data,
                                   gsize             len,
                                   HpIeee11073Apdu  *apdu,
                                   gsize            *error_offset,
                                   GError          **error);

gboolean hp_ieee11073_decode_fixed_scan_report (const HpIeee11073DataApdu   *prst,
                                                guint16                     *data_req_id,
                                                guint16                     *scan_report_no,
                                                HpIeee11073ObservationFunc   func,
                                                gpointer                     user_data,
                                                gsize                       *error_offset,
                                                GError                     **error);

/* Decodes a fixed scan report against the standard configuration 0x02BC. When
 * one report holds several readings (stored data) the last one wins. */
gboolean hp_ieee11073_decode_blood_pressure (const HpIeee11073DataApdu  *prst,
                                             HpIeee11073BloodPressure   *reading,
                                             gsize                      *error_offset,
                                             GError                    **error);

/* Encoding: each appends one complete APDU to @out. */
void hp_ieee11073_encode_aarq    (GByteArray   *out,
                                  const guint8 *system_id,
                                  gsize         system_id_len,
                                  guint16       dev_config_id);
void hp_ieee11073_encode_aare    (GByteArray   *out,
                                  guint16       result,
                                  const guint8 *system_id,
                                  gsize         system_id_len);
void hp_ieee11073_encode_rlrq    (GByteArray   *out,
                                  guint16       reason);
void hp_ieee11073_encode_rlre    (GByteArray   *out,
                                  guint16       reason);
void hp_ieee11073_encode_abrt    (GByteArray   *out,
                                  guint16       reason);
/* RORS answering a confirmed event report. */
void hp_ieee11073_encode_event_report_response (GByteArray *out,
                                                guint16     invoke_id,
                                                guint16     obj_handle,
                                                guint32     current_time,
                                                guint16     event_type);

typedef struct {
  guint16       obj_handle;
  const guint8 *value;
  gsize         value_len;
} HpIeee11073Observation;

/* PRST with a ROIV confirmed event report holding a fixed scan report. */
void hp_ieee11073_encode_fixed_scan_report (GByteArray                   *out,
                                            guint16                       invoke_id,
                                            guint32                       event_time,
                                            guint16                       data_req_id,
                                            guint16                       scan_report_no,
                                            const HpIeee11073Observation *observations,
                                            gsize                         n_observations);
/* The same, with the two observations of configuration 0x02BC. FALSE when a
 * value cannot be written as an SFLOAT or the time is invalid. */
gboolean hp_ieee11073_encode_blood_pressure (GByteArray                     *out,
                                             guint16                         invoke_id,
                                             guint32                         event_time,
                                             const HpIeee11073BloodPressure *reading);

/* The system id as lowercase hex, for device ids. */
char *hp_ieee11073_system_id_to_string (const guint8 *system_id,
                                        gsize         system_id_len);

G_END_DECLS
