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
  HP_IEEE11073_ASSOC_REJECTED_NO_COMMON_PARAMETER = 5,
  HP_IEEE11073_ASSOC_REJECTED_UNKNOWN = 6,
  HP_IEEE11073_ASSOC_REJECTED_UNAUTHORIZED = 7,
  HP_IEEE11073_ASSOC_REJECTED_UNSUPPORTED_ASSOC_VERSION = 8,
} HpIeee11073AssocResult;

/* ConfigReportRsp results. */
typedef enum {
  HP_IEEE11073_CONFIG_ACCEPTED = 0,
  HP_IEEE11073_CONFIG_UNSUPPORTED = 1,
  HP_IEEE11073_CONFIG_STANDARD_UNKNOWN = 2,
} HpIeee11073ConfigResult;

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
#define HP_IEEE11073_NOTI_CONFIG               0x0D1C
#define HP_IEEE11073_NOTI_SCAN_REPORT_FIXED    0x0D1D
#define HP_IEEE11073_NOTI_SCAN_REPORT_VAR      0x0D1E
#define HP_IEEE11073_NOTI_SCAN_REPORT_MP_FIXED 0x0D1F
#define HP_IEEE11073_NOTI_SCAN_REPORT_MP_VAR   0x0D20

/* Standard configurations (dev-config-id). */
#define HP_IEEE11073_CONFIG_BLOOD_PRESSURE 0x02BC
#define HP_IEEE11073_CONFIG_WEIGHING_SCALE 0x05DC
#define HP_IEEE11073_CONFIG_GLUCOSE        0x06A4
/* Extended configurations: learned from the agent's configuration report. */
#define HP_IEEE11073_CONFIG_EXTENDED_FIRST 0x4000
#define HP_IEEE11073_CONFIG_EXTENDED_LAST  0x7FFF

/* Object classes (MDC_MOC_*). */
#define HP_IEEE11073_CLASS_METRIC_NUMERIC 6

/* Attribute ids (MDC_ATTR_*). */
#define HP_IEEE11073_ATTR_ID_TYPE               0x092F /* TYPE: partition, code */
#define HP_IEEE11073_ATTR_NU_CMPD_VAL_OBS       0x094B /* compound of NuObsValue */
#define HP_IEEE11073_ATTR_NU_VAL_OBS            0x0950 /* NuObsValue: id, state, unit, FLOAT */
#define HP_IEEE11073_ATTR_TIME_STAMP_ABS        0x0990
#define HP_IEEE11073_ATTR_UNIT_CODE             0x0996
#define HP_IEEE11073_ATTR_METRIC_SPEC_SMALL     0x0A46
#define HP_IEEE11073_ATTR_NU_VAL_OBS_BASIC      0x0A4C /* one SFLOAT */
#define HP_IEEE11073_ATTR_ATTRIBUTE_VAL_MAP     0x0A55
#define HP_IEEE11073_ATTR_NU_VAL_OBS_SIMP       0x0A56 /* one FLOAT */
#define HP_IEEE11073_ATTR_METRIC_STRUCT_SMALL   0x0A73
#define HP_IEEE11073_ATTR_NU_CMPD_VAL_OBS_SIMP  0x0A74 /* compound of FLOATs */
#define HP_IEEE11073_ATTR_NU_CMPD_VAL_OBS_BASIC 0x0A75 /* compound of SFLOATs */
#define HP_IEEE11073_ATTR_ID_PHYSIO_LIST        0x0A76

/* Nomenclature (ISO/IEEE 11073-10101): partition SCADA and its codes. A
 * code as HpMeasurement carries it is partition << 16 | code. */
#define HP_IEEE11073_PART_SCADA                 2
#define HP_IEEE11073_MDC_PRESS_BLD_NONINV       18948
#define HP_IEEE11073_MDC_PRESS_BLD_NONINV_SYS   18949
#define HP_IEEE11073_MDC_PRESS_BLD_NONINV_DIA   18950
#define HP_IEEE11073_MDC_PRESS_BLD_NONINV_MEAN  18951
#define HP_IEEE11073_MDC_PULS_RATE_NON_INV      18474
#define HP_IEEE11073_MDC_MASS_BODY_ACTUAL       57664
#define HP_IEEE11073_MDC_LEN_BODY_ACTUAL        57668
#define HP_IEEE11073_MDC_RATIO_MASS_BODY_LEN_SQ 57680
#define HP_IEEE11073_MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD 29112
#define HP_IEEE11073_SCADA(code) ((guint32) HP_IEEE11073_PART_SCADA << 16 | (guint32) (code))

/* Unit codes (MDC_DIM_*). */
#define HP_IEEE11073_MDC_DIM_DIMLESS          512
#define HP_IEEE11073_MDC_DIM_KILO_G           1731
#define HP_IEEE11073_MDC_DIM_LB               1760
#define HP_IEEE11073_MDC_DIM_CENTI_M          1297
#define HP_IEEE11073_MDC_DIM_KG_PER_M_SQ      1952
#define HP_IEEE11073_MDC_DIM_MILLI_G_PER_DL   2130
#define HP_IEEE11073_MDC_DIM_BEAT_PER_MIN     2720
#define HP_IEEE11073_MDC_DIM_KILO_PASCAL      3843
#define HP_IEEE11073_MDC_DIM_MMHG             3872
#define HP_IEEE11073_MDC_DIM_MILLI_MOLE_PER_L 4722

/* The UCUM unit (as HpMeasurement stores it) of a unit code, or %NULL for
 * one the kiosk does not know. */
const char *hp_ieee11073_unit_to_ucum (guint16 unit_code);

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

/* A blood-pressure reading for hp_ieee11073_encode_blood_pressure(), which
 * lays it out as the standard configuration 0x02BC does. */
typedef struct {
  guint16 data_req_id;
  guint16 scan_report_no;
  double  systolic;            /* mmHg; NaN is sent as the SFLOAT NaN */
  double  diastolic;
  double  mean_arterial;
  gboolean has_pulse;
  double  pulse;               /* beats per minute */
  HpIeee11073AbsoluteTime time;
} HpIeee11073BloodPressure;

/* Numbers. The special SFLOAT/FLOAT values (NaN, NRes, reserved) decode to NaN
 * and +INF/-INF to infinities. */
double   hp_ieee11073_sfloat_to_double  (guint16    raw);
gboolean hp_ieee11073_sfloat_is_special (guint16    raw);
gboolean hp_ieee11073_sfloat_from_double (double    value,
                                          guint16  *raw);
double   hp_ieee11073_float_to_double   (guint32    raw);
/* The exact FLOAT for @value with the fewest decimals (up to 8), NaN and
 * infinities included; FALSE when no FLOAT holds it. */
gboolean hp_ieee11073_float_from_double (double    value,
                                         guint32  *raw);

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

/* ---- configurations ---------------------------------------------------- */

#define HP_IEEE11073_MAX_VALUE_MAP 16
#define HP_IEEE11073_MAX_COMPOUND  8

typedef struct {
  guint16 attribute_id;
  guint16 length;
} HpIeee11073ValueMapEntry;

/* One object of a configuration: what the kiosk needs to read its values. */
typedef struct {
  guint16 obj_class;
  guint16 handle;
  guint32 type;                /* partition << 16 | code; 0 when not given */
  guint16 unit_code;           /* 0 when not given */
  guint16 metric_spec_small;
  guint16 metric_struct_small;
  guint8  n_physio_ids;        /* compound values: their codes, same partition as type */
  guint16 physio_ids[HP_IEEE11073_MAX_COMPOUND];
  guint8  n_value_map;         /* how fixed reports lay out this object's values */
  HpIeee11073ValueMapEntry value_map[HP_IEEE11073_MAX_VALUE_MAP];
} HpIeee11073ConfigObject;

typedef struct {
  guint16 dev_config_id;
  guint16 n_objects;
  HpIeee11073ConfigObject *objects;
} HpIeee11073Config;

void                     hp_ieee11073_config_free        (HpIeee11073Config *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HpIeee11073Config, hp_ieee11073_config_free)

HpIeee11073Config       *hp_ieee11073_config_copy        (const HpIeee11073Config *config);
const HpIeee11073ConfigObject *hp_ieee11073_config_find  (const HpIeee11073Config *config,
                                                          guint16                  handle);

/* The standard configurations 0x02BC, 0x05DC and 0x06A4 as the
 * specializations (IEEE 11073-10407, -10415, -10417) define them; %NULL for
 * any other id. */
HpIeee11073Config       *hp_ieee11073_config_new_standard (guint16 dev_config_id);

/* A ConfigReport (config-report-id and object list) on its own, as the
 * event info of an MDC_NOTI_CONFIG report carries it and as learned
 * configurations are kept. @base_offset is added to offsets in errors. */
HpIeee11073Config       *hp_ieee11073_decode_config      (const guint8  *data,
                                                          gsize          len,
                                                          gsize          base_offset,
                                                          gsize         *error_offset,
                                                          GError       **error);
void                     hp_ieee11073_encode_config      (GByteArray              *out,
                                                          const HpIeee11073Config *config);
/* The configuration in a ROIV (confirmed) event report of type 0x0D1C. */
HpIeee11073Config       *hp_ieee11073_decode_config_report (const HpIeee11073DataApdu *prst,
                                                            gsize                     *error_offset,
                                                            GError                   **error);
/* The ConfigReportRsp in a RORS to it: FALSE when @prst is not one. */
gboolean                 hp_ieee11073_decode_config_report_response (const HpIeee11073DataApdu *prst,
                                                                     guint16                   *dev_config_id,
                                                                     guint16                   *result,
                                                                     GError                   **error);

/* Learned configurations keyed by the agent's system id, as one blob the
 * app may keep in its store. */
typedef struct {
  guint8  system_id[HP_IEEE11073_SYSTEM_ID_MAX];
  gsize   system_id_len;
  HpIeee11073Config *config;
} HpIeee11073LearnedConfig;

void       hp_ieee11073_learned_config_free     (HpIeee11073LearnedConfig *learned);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HpIeee11073LearnedConfig, hp_ieee11073_learned_config_free)
/* GPtrArray of HpIeee11073LearnedConfig, or %NULL with an error. */
GPtrArray *hp_ieee11073_decode_learned_configs  (const guint8  *data,
                                                 gsize          len,
                                                 GError       **error);
void       hp_ieee11073_encode_learned_configs  (GByteArray    *out,
                                                 GPtrArray     *learned);

/* ---- scan reports ------------------------------------------------------ */

/* One observation of a numeric object, as read from a scan report. */
typedef struct {
  guint16 person_id;           /* 0 in single-person reports */
  guint16 obj_handle;
  guint32 type;                /* partition << 16 | code, from the configuration */
  guint16 unit_code;           /* from the report if it gave one, else the configuration */
  guint8  n_values;
  double  values[HP_IEEE11073_MAX_COMPOUND];
  guint32 value_types[HP_IEEE11073_MAX_COMPOUND]; /* each value's code (the physio list for compounds) */
  guint32 special_mask;        /* bit i: values[i] is NaN, NRes, ±INF or reserved */
  gboolean has_time;           /* an absolute time stamp came with it */
  gboolean time_valid;         /* ... and it holds a real date (FALSE: the clock was lost) */
  HpIeee11073AbsoluteTime time;
  gsize   offset;              /* of the observation in the decoded buffer */
} HpIeee11073NumericObservation;

typedef struct {
  guint16 event_type;
  guint16 data_req_id;
  guint16 scan_report_no;
  GArray *observations;        /* HpIeee11073NumericObservation, in report order */
} HpIeee11073ScanReport;

void     hp_ieee11073_scan_report_clear (HpIeee11073ScanReport *report);

/* Decodes a fixed, var, MP-fixed or MP-var scan report against @config:
 * fixed values are split by each object's attribute-value-map, var ones
 * read attribute by attribute. Observations of numeric objects land in
 * @report; other objects are checked and skipped. A handle the
 * configuration lacks, an attribute that does not fit its length, or time
 * bytes that are not BCD fail with an offset. */
gboolean hp_ieee11073_decode_scan_report (const HpIeee11073DataApdu *prst,
                                          const HpIeee11073Config   *config,
                                          HpIeee11073ScanReport     *report,
                                          gsize                     *error_offset,
                                          GError                   **error);

/* One object's part of a scan report to encode: @payload is the
 * obs-val-data (fixed reports) or the encoded AttributeList (var reports). */
typedef struct {
  guint16       person_id;     /* used by the MP forms only */
  guint16       obj_handle;
  const guint8 *payload;
  gsize         payload_len;
} HpIeee11073ScanEntry;

/* PRST with a ROIV confirmed event report of @event_type (any of the four
 * scan report forms); MP forms group consecutive entries of one person. */
void hp_ieee11073_encode_scan_report (GByteArray                 *out,
                                      guint16                     invoke_id,
                                      guint32                     event_time,
                                      guint16                     event_type,
                                      guint16                     data_req_id,
                                      guint16                     scan_report_no,
                                      const HpIeee11073ScanEntry *entries,
                                      gsize                       n_entries);

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

/* PRST with a ROIV confirmed event report 0x0D1C holding @config. */
void hp_ieee11073_encode_config_report (GByteArray              *out,
                                        guint16                  invoke_id,
                                        const HpIeee11073Config *config);
/* RORS answering it with a ConfigReportRsp. */
void hp_ieee11073_encode_config_report_response (GByteArray *out,
                                                 guint16     invoke_id,
                                                 guint16     dev_config_id,
                                                 guint16     result);
/* AARQ offering @assoc_version, @protocol_id and @encoding_rules: for
 * simulating agents the manager must turn away. */
void hp_ieee11073_encode_aarq_full (GByteArray   *out,
                                    guint32       assoc_version,
                                    guint16       protocol_id,
                                    guint16       encoding_rules,
                                    const guint8 *system_id,
                                    gsize         system_id_len,
                                    guint16       dev_config_id);

/* The system id as lowercase hex, for device ids. */
char *hp_ieee11073_system_id_to_string (const guint8 *system_id,
                                        gsize         system_id_len);

G_END_DECLS
