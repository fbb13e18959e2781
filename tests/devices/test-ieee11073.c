/* Tests of the IEEE 11073-20601 codec: captured and hand-built APDUs, numbers, time, hostile input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>

#include "hp-ieee11073.h"

/* Byte layouts below were checked against signove/antidote's captures in
 * tests/resources/apdu/ (H241_ID_02BC, H242, H211_ID_02BC, blood_pressure/aarq,
 * blood_pressure/aare_accept_known_conf, blood_pressure/rlre). */

/* Blood-pressure fixed scan report, standard configuration 0x02BC:
 * 120/80 mmHg, mean 100, pulse 60.0 /min (sent as 600e-1), 2007-12-06 12:10. */
static const guint8 bp_report[] = {
  0xe7, 0x00, 0x00, 0x3e,             /* PRST, length 62 */
  0x00, 0x3c,                         /* octet string, 60 */
  0x00, 0x54,                         /* invoke id */
  0x01, 0x01, 0x00, 0x36,             /* ROIV confirmed event report, 54 */
  0x00, 0x00,                         /* obj-handle 0 (MDS) */
  0x00, 0x49, 0x00, 0x50,             /* event-time */
  0x0d, 0x1d, 0x00, 0x2c,             /* fixed scan report, 44 */
  0xf0, 0x00, 0x00, 0x00,             /* data-req-id, scan-report-no */
  0x00, 0x02, 0x00, 0x24,             /* 2 observations, 36 bytes */
  0x00, 0x01, 0x00, 0x12,             /* handle 1, 18 bytes */
  0x00, 0x03, 0x00, 0x06, 0x00, 0x78, 0x00, 0x50, 0x00, 0x64,
  0x20, 0x07, 0x12, 0x06, 0x12, 0x10, 0x00, 0x00,
  0x00, 0x02, 0x00, 0x0a,             /* handle 2, 10 bytes */
  0xf2, 0x58,
  0x20, 0x07, 0x12, 0x06, 0x12, 0x10, 0x00, 0x00,
};

/* Offsets of length fields in bp_report. */
#define BP_APDU_LENGTH_AT      2
#define BP_EVENT_INFO_LENGTH_AT 20
#define BP_OBS_LIST_LENGTH_AT   28
#define BP_OBS1_LENGTH_AT       32

/* The manager's RORS to it (invoke id 0x4321 in the capture). */
static const guint8 bp_report_response[] = {
  0xe7, 0x00, 0x00, 0x12, 0x00, 0x10, 0x43, 0x21, 0x02, 0x01, 0x00, 0x0a,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0d, 0x1d, 0x00, 0x00,
};

/* Association request of a blood-pressure agent with configuration 0x02BC. */
static const guint8 bp_aarq_02bc[] = {
  0xe2, 0x00, 0x00, 0x32, 0x80, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x2a,
  0x50, 0x79, 0x00, 0x26, 0x80, 0x00, 0x00, 0x00, 0xa0, 0x00, 0x80, 0x00,
  0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00, 0x08,
  0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x07, 0x02, 0xbc, 0x84, 0x80,
  0x01, 0x01, 0x00, 0x00, 0x00, 0x00,
};

/* Association request of a blood-pressure agent with an extended configuration. */
static const guint8 bp_aarq_4000[] = {
  0xe2, 0x00, 0x00, 0x32, 0x80, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x2a,
  0x50, 0x79, 0x00, 0x26, 0x80, 0x00, 0x00, 0x00, 0x80, 0x00, 0x80, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00, 0x08,
  0x00, 0x22, 0x09, 0x22, 0x58, 0x08, 0x03, 0xcc, 0x40, 0x00, 0x00, 0x01,
  0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
};
static const guint8 bp_aarq_4000_system_id[] = { 0x00, 0x22, 0x09, 0x22, 0x58, 0x08, 0x03, 0xcc };

/* AARE, result 3 (accepted, unknown configuration). */
static const guint8 aare_unknown_config[] = {
  0xe3, 0x00, 0x00, 0x2c, 0x00, 0x03, 0x50, 0x79, 0x00, 0x26, 0x80, 0x00,
  0x00, 0x00, 0x80, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x80, 0x00, 0x00, 0x00, 0x00, 0x08, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66,
  0x77, 0x88, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};
static const guint8 manager_id_1122[] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };

/* antidote files this as an RLRE; it is an ABRT with reason 2. */
static const guint8 mislabelled_rlre[] = { 0xe6, 0x00, 0x00, 0x02, 0x00, 0x02 };

static guint8 *
copy_of (const guint8 *data,
         gsize         len)
{
  /* An exact-size heap copy lets AddressSanitizer see any overread. */
  return g_memdup2 (data, len);
}

static void
assert_bytes_equal (const guint8 *expected,
                    gsize         expected_len,
                    GByteArray   *actual)
{
  assert_int_equal (actual->len, expected_len);
  assert_memory_equal (actual->data, expected, expected_len);
}

static void
decode_report (const guint8            *data,
               gsize                    len,
               const HpIeee11073Config *config,
               HpIeee11073ScanReport   *report)
{
  g_autoptr(GError) error = NULL;
  HpIeee11073Apdu apdu;

  assert_true (hp_ieee11073_decode_apdu (data, len, &apdu, NULL, &error));
  assert_true (hp_ieee11073_decode_scan_report (&apdu.u.prst, config, report, NULL, &error));
  assert_null (error);
}

static const HpIeee11073NumericObservation *
observation (const HpIeee11073ScanReport *report,
             guint                        index)
{
  assert_true (index < report->observations->len);
  return &g_array_index (report->observations, HpIeee11073NumericObservation, index);
}

/* Decodes the scan report in @data against configuration 0x02BC, which
 * must fail; the error goes to @error and its offset is returned. */
static gsize
bp_report_failure (const guint8  *data,
                   gsize          len,
                   GError       **error)
{
  g_autoptr(HpIeee11073Config) bp = hp_ieee11073_config_new_standard (HP_IEEE11073_CONFIG_BLOOD_PRESSURE);
  HpIeee11073ScanReport report;
  HpIeee11073Apdu apdu;
  gsize offset = G_MAXSIZE;

  assert_true (hp_ieee11073_decode_apdu (data, len, &apdu, NULL, NULL));
  assert_false (hp_ieee11073_decode_scan_report (&apdu.u.prst, bp, &report, &offset, error));
  hp_ieee11073_scan_report_clear (&report);
  assert_non_null (*error);
  return offset;
}

static void
test_decode_captured_bp_report (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpIeee11073Config) bp = hp_ieee11073_config_new_standard (HP_IEEE11073_CONFIG_BLOOD_PRESSURE);
  g_autoptr(GError) error = NULL;
  HpIeee11073Apdu apdu;
  HpIeee11073ScanReport report;
  const HpIeee11073NumericObservation *pressure, *pulse;

  assert_true (hp_ieee11073_decode_apdu (bp_report, sizeof bp_report, &apdu, NULL, &error));
  assert_null (error);
  assert_int_equal (apdu.type, HP_IEEE11073_APDU_PRST);
  assert_int_equal (apdu.total_len, sizeof bp_report);
  assert_int_equal (apdu.u.prst.invoke_id, 0x0054);
  assert_int_equal (apdu.u.prst.choice, HP_IEEE11073_ROIV_CONFIRMED_EVENT_REPORT);
  assert_true (apdu.u.prst.is_event_report);
  assert_int_equal (apdu.u.prst.obj_handle, 0);
  assert_int_equal (apdu.u.prst.event_time, 0x00490050);
  assert_int_equal (apdu.u.prst.event_type, HP_IEEE11073_NOTI_SCAN_REPORT_FIXED);
  assert_int_equal (apdu.u.prst.event_info_len, 0x2c);
  assert_int_equal (apdu.u.prst.event_info_offset, 22);

  assert_true (hp_ieee11073_decode_scan_report (&apdu.u.prst, bp, &report, NULL, &error));
  assert_null (error);
  assert_int_equal (report.event_type, HP_IEEE11073_NOTI_SCAN_REPORT_FIXED);
  assert_int_equal (report.data_req_id, 0xF000);
  assert_int_equal (report.scan_report_no, 0);
  assert_int_equal (report.observations->len, 2);

  pressure = observation (&report, 0);
  assert_int_equal (pressure->obj_handle, HP_IEEE11073_BP_HANDLE_PRESSURE);
  assert_int_equal (pressure->offset, 30);
  assert_int_equal (pressure->type, HP_IEEE11073_SCADA (HP_IEEE11073_MDC_PRESS_BLD_NONINV));
  assert_int_equal (pressure->unit_code, HP_IEEE11073_MDC_DIM_MMHG);
  assert_int_equal (pressure->n_values, 3);
  assert_true (pressure->values[0] == 120.0);
  assert_true (pressure->values[1] == 80.0);
  assert_true (pressure->values[2] == 100.0);
  assert_int_equal (pressure->value_types[0], HP_IEEE11073_SCADA (HP_IEEE11073_MDC_PRESS_BLD_NONINV_SYS));
  assert_int_equal (pressure->value_types[1], HP_IEEE11073_SCADA (HP_IEEE11073_MDC_PRESS_BLD_NONINV_DIA));
  assert_int_equal (pressure->value_types[2], HP_IEEE11073_SCADA (HP_IEEE11073_MDC_PRESS_BLD_NONINV_MEAN));
  assert_int_equal (pressure->special_mask, 0);
  assert_true (pressure->has_time);
  assert_true (pressure->time_valid);
  assert_int_equal (pressure->time.year, 2007);
  assert_int_equal (pressure->time.month, 12);
  assert_int_equal (pressure->time.day, 6);
  assert_int_equal (pressure->time.hour, 12);
  assert_int_equal (pressure->time.minute, 10);
  assert_int_equal (pressure->time.second, 0);
  assert_int_equal (pressure->time.hundredths, 0);

  pulse = observation (&report, 1);
  assert_int_equal (pulse->obj_handle, HP_IEEE11073_BP_HANDLE_PULSE);
  assert_int_equal (pulse->offset, 52);
  assert_int_equal (pulse->type, HP_IEEE11073_SCADA (HP_IEEE11073_MDC_PULS_RATE_NON_INV));
  assert_int_equal (pulse->unit_code, HP_IEEE11073_MDC_DIM_BEAT_PER_MIN);
  assert_int_equal (pulse->n_values, 1);
  assert_true (pulse->values[0] == 60.0);
  assert_int_equal (pulse->value_types[0], HP_IEEE11073_SCADA (HP_IEEE11073_MDC_PULS_RATE_NON_INV));
  assert_int_equal (pulse->special_mask, 0);
  assert_true (pulse->has_time && pulse->time_valid);
  assert_memory_equal (&pulse->time, &pressure->time, sizeof pulse->time);
  hp_ieee11073_scan_report_clear (&report);
}

static void
test_encode_fixed_scan_report_matches_capture (void **state G_GNUC_UNUSED)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  const HpIeee11073Observation observations[] = {
    { 1, bp_report + 34, 18 },
    { 2, bp_report + 56, 10 },
  };

  hp_ieee11073_encode_fixed_scan_report (out, 0x0054, 0x00490050, 0xF000, 0,
                                         observations, G_N_ELEMENTS (observations));
  assert_bytes_equal (bp_report, sizeof bp_report, out);
}

static void
test_encode_blood_pressure_round_trip (void **state G_GNUC_UNUSED)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  HpIeee11073BloodPressure in = {
    .data_req_id = 0xF000, .scan_report_no = 7,
    .systolic = 141, .diastolic = 92.5, .mean_arterial = 108,
    .has_pulse = TRUE, .pulse = 66,
    .time = { 2024, 2, 29, 23, 59, 58, 99 },
  };
  g_autoptr(HpIeee11073Config) bp = hp_ieee11073_config_new_standard (HP_IEEE11073_CONFIG_BLOOD_PRESSURE);
  HpIeee11073ScanReport back;
  const HpIeee11073NumericObservation *obs;
  HpIeee11073Apdu apdu;
  g_autoptr(GError) error = NULL;

  assert_true (hp_ieee11073_encode_blood_pressure (out, 9, 1234, &in));
  assert_true (hp_ieee11073_decode_apdu (out->data, out->len, &apdu, NULL, &error));
  assert_int_equal (apdu.u.prst.invoke_id, 9);
  assert_int_equal (apdu.u.prst.event_time, 1234);
  decode_report (out->data, out->len, bp, &back);
  assert_int_equal (back.data_req_id, 0xF000);
  assert_int_equal (back.scan_report_no, 7);
  assert_int_equal (back.observations->len, 2);
  obs = observation (&back, 0);
  assert_int_equal (obs->obj_handle, HP_IEEE11073_BP_HANDLE_PRESSURE);
  assert_true (obs->values[0] == 141);
  assert_true (obs->values[1] == 92.5);
  assert_true (obs->values[2] == 108);
  assert_int_equal (obs->special_mask, 0);
  assert_true (obs->time_valid);
  assert_memory_equal (&obs->time, &in.time, sizeof in.time);
  obs = observation (&back, 1);
  assert_int_equal (obs->type, HP_IEEE11073_SCADA (HP_IEEE11073_MDC_PULS_RATE_NON_INV));
  assert_true (obs->values[0] == 66);
  assert_true (obs->time_valid);
  assert_memory_equal (&obs->time, &in.time, sizeof in.time);
  hp_ieee11073_scan_report_clear (&back);

  /* Without pulse only the pressure observation is sent. */
  g_byte_array_set_size (out, 0);
  in.has_pulse = FALSE;
  assert_true (hp_ieee11073_encode_blood_pressure (out, 9, 1234, &in));
  decode_report (out->data, out->len, bp, &back);
  assert_int_equal (back.observations->len, 1);
  assert_int_equal (observation (&back, 0)->obj_handle, HP_IEEE11073_BP_HANDLE_PRESSURE);
  hp_ieee11073_scan_report_clear (&back);

  /* A value no SFLOAT can hold, and an impossible date, are refused. */
  in.systolic = 1e12;
  assert_false (hp_ieee11073_encode_blood_pressure (out, 9, 1234, &in));
  in.systolic = 141;
  in.time.month = 13;
  assert_false (hp_ieee11073_encode_blood_pressure (out, 9, 1234, &in));
}

static void
test_association_request (void **state G_GNUC_UNUSED)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  static const guint8 system_id_02bc[] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x07 };
  HpIeee11073Apdu apdu;

  assert_true (hp_ieee11073_decode_apdu (bp_aarq_02bc, sizeof bp_aarq_02bc, &apdu, NULL, &error));
  assert_int_equal (apdu.type, HP_IEEE11073_APDU_AARQ);
  assert_int_equal (apdu.u.aarq.assoc_version, HP_IEEE11073_ASSOC_VERSION1);
  assert_true (apdu.u.aarq.has_20601);
  assert_int_equal (apdu.u.aarq.info.protocol_version, HP_IEEE11073_PROTOCOL_VERSION1);
  assert_true (apdu.u.aarq.info.encoding_rules & HP_IEEE11073_ENCODING_MDER);
  assert_int_equal (apdu.u.aarq.info.system_type, HP_IEEE11073_SYS_TYPE_AGENT);
  assert_int_equal (apdu.u.aarq.info.system_id_len, 8);
  assert_memory_equal (apdu.u.aarq.info.system_id, system_id_02bc, 8);
  assert_int_equal (apdu.u.aarq.info.dev_config_id, HP_IEEE11073_CONFIG_BLOOD_PRESSURE);
  assert_int_equal (apdu.u.aarq.info.data_req_mode_flags, 0x8480);
  assert_int_equal (apdu.u.aarq.info.data_req_init_agent_count, 1);

  /* Our agent encoder writes the same bytes a real agent sent. */
  hp_ieee11073_encode_aarq (out, bp_aarq_4000_system_id, sizeof bp_aarq_4000_system_id, 0x4000);
  assert_bytes_equal (bp_aarq_4000, sizeof bp_aarq_4000, out);

  g_byte_array_set_size (out, 0);
  hp_ieee11073_encode_aarq (out, system_id_02bc, sizeof system_id_02bc, HP_IEEE11073_CONFIG_BLOOD_PRESSURE);
  assert_true (hp_ieee11073_decode_apdu (out->data, out->len, &apdu, NULL, &error));
  assert_int_equal (apdu.u.aarq.info.dev_config_id, HP_IEEE11073_CONFIG_BLOOD_PRESSURE);
  assert_memory_equal (apdu.u.aarq.info.system_id, system_id_02bc, 8);
}

static void
test_association_response (void **state G_GNUC_UNUSED)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  HpIeee11073Apdu apdu;

  hp_ieee11073_encode_aare (out, HP_IEEE11073_ASSOC_ACCEPTED_UNKNOWN_CONFIG,
                            manager_id_1122, sizeof manager_id_1122);
  assert_bytes_equal (aare_unknown_config, sizeof aare_unknown_config, out);

  assert_true (hp_ieee11073_decode_apdu (aare_unknown_config, sizeof aare_unknown_config, &apdu, NULL, NULL));
  assert_int_equal (apdu.type, HP_IEEE11073_APDU_AARE);
  assert_int_equal (apdu.u.aare.result, HP_IEEE11073_ASSOC_ACCEPTED_UNKNOWN_CONFIG);
  assert_int_equal (apdu.u.aare.data_proto_id, HP_IEEE11073_DATA_PROTO_ID_20601);
  assert_int_equal (apdu.u.aare.info.system_type, HP_IEEE11073_SYS_TYPE_MANAGER);
  assert_memory_equal (apdu.u.aare.info.system_id, manager_id_1122, 8);

  /* A rejection selects no protocol. */
  g_byte_array_set_size (out, 0);
  hp_ieee11073_encode_aare (out, HP_IEEE11073_ASSOC_REJECTED_PERMANENT, manager_id_1122, 8);
  assert_true (hp_ieee11073_decode_apdu (out->data, out->len, &apdu, NULL, NULL));
  assert_int_equal (apdu.u.aare.result, HP_IEEE11073_ASSOC_REJECTED_PERMANENT);
  assert_int_equal (apdu.u.aare.data_proto_id, 0);
}

static void
test_event_report_response (void **state G_GNUC_UNUSED)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  HpIeee11073Apdu apdu;

  hp_ieee11073_encode_event_report_response (out, 0x4321, 0, 0, HP_IEEE11073_NOTI_SCAN_REPORT_FIXED);
  assert_bytes_equal (bp_report_response, sizeof bp_report_response, out);

  assert_true (hp_ieee11073_decode_apdu (out->data, out->len, &apdu, NULL, NULL));
  assert_int_equal (apdu.u.prst.choice, HP_IEEE11073_RORS_CONFIRMED_EVENT_REPORT);
  assert_int_equal (apdu.u.prst.invoke_id, 0x4321);
  assert_int_equal (apdu.u.prst.event_type, HP_IEEE11073_NOTI_SCAN_REPORT_FIXED);
  assert_int_equal (apdu.u.prst.event_info_len, 0);
}

static void
test_release_and_abort (void **state G_GNUC_UNUSED)
{
  static const guint8 rlrq[] = { 0xe4, 0x00, 0x00, 0x02, 0x00, 0x00 };
  static const guint8 rlre[] = { 0xe5, 0x00, 0x00, 0x02, 0x00, 0x00 };
  static const guint8 abrt[] = { 0xe6, 0x00, 0x00, 0x02, 0x00, 0x02 };
  g_autoptr(GByteArray) out = g_byte_array_new ();
  HpIeee11073Apdu apdu;

  hp_ieee11073_encode_rlrq (out, HP_IEEE11073_RELEASE_NORMAL);
  assert_bytes_equal (rlrq, sizeof rlrq, out);
  g_byte_array_set_size (out, 0);
  hp_ieee11073_encode_rlre (out, HP_IEEE11073_RELEASE_NORMAL);
  assert_bytes_equal (rlre, sizeof rlre, out);
  g_byte_array_set_size (out, 0);
  hp_ieee11073_encode_abrt (out, HP_IEEE11073_ABORT_RESPONSE_TIMEOUT);
  assert_bytes_equal (abrt, sizeof abrt, out);

  assert_true (hp_ieee11073_decode_apdu (rlre, sizeof rlre, &apdu, NULL, NULL));
  assert_int_equal (apdu.type, HP_IEEE11073_APDU_RLRE);
  assert_int_equal (apdu.u.release_reason, 0);

  /* Decode, don't trust file names. */
  assert_true (hp_ieee11073_decode_apdu (mislabelled_rlre, sizeof mislabelled_rlre, &apdu, NULL, NULL));
  assert_int_equal (apdu.type, HP_IEEE11073_APDU_ABRT);
  assert_int_equal (apdu.u.abort_reason, HP_IEEE11073_ABORT_RESPONSE_TIMEOUT);
}

static void
test_sfloat_decode (void **state G_GNUC_UNUSED)
{
  assert_true (hp_ieee11073_sfloat_to_double (0x0078) == 120.0);
  assert_true (hp_ieee11073_sfloat_to_double (0xF258) == 60.0);
  assert_true (hp_ieee11073_sfloat_to_double (0xF4D2) == 123.4);
  assert_true (hp_ieee11073_sfloat_to_double (0x0FFF) == -1.0);
  assert_true (hp_ieee11073_sfloat_to_double (0x0F9C) == -100.0);
  assert_true (hp_ieee11073_sfloat_to_double (0x7001) == 1e7);
  assert_true (hp_ieee11073_sfloat_to_double (0x8001) == 1e-8);
  assert_true (hp_ieee11073_sfloat_to_double (0x07FD) == 2045.0);
  assert_true (hp_ieee11073_sfloat_to_double (0x0803) == -2045.0);
  assert_true (hp_ieee11073_sfloat_to_double (0x0000) == 0.0);

  assert_true (isnan (hp_ieee11073_sfloat_to_double (HP_IEEE11073_SFLOAT_NAN)));
  assert_true (isnan (hp_ieee11073_sfloat_to_double (HP_IEEE11073_SFLOAT_NRES)));
  assert_true (isnan (hp_ieee11073_sfloat_to_double (0x0801)));
  assert_true (isinf (hp_ieee11073_sfloat_to_double (HP_IEEE11073_SFLOAT_PINF)));
  assert_true (hp_ieee11073_sfloat_to_double (HP_IEEE11073_SFLOAT_PINF) > 0);
  assert_true (isinf (hp_ieee11073_sfloat_to_double (HP_IEEE11073_SFLOAT_NINF)));
  assert_true (hp_ieee11073_sfloat_to_double (HP_IEEE11073_SFLOAT_NINF) < 0);

  assert_true (hp_ieee11073_sfloat_is_special (HP_IEEE11073_SFLOAT_NAN));
  assert_true (hp_ieee11073_sfloat_is_special (HP_IEEE11073_SFLOAT_NRES));
  assert_false (hp_ieee11073_sfloat_is_special (0x07FD));
  assert_false (hp_ieee11073_sfloat_is_special (0x0803));
}

static void
test_sfloat_encode (void **state G_GNUC_UNUSED)
{
  guint16 raw;

  assert_true (hp_ieee11073_sfloat_from_double (120, &raw));
  assert_int_equal (raw, 0x0078);
  assert_true (hp_ieee11073_sfloat_from_double (60.5, &raw));
  assert_int_equal (raw, 0xF25D);
  assert_true (hp_ieee11073_sfloat_from_double (-100, &raw));
  assert_int_equal (raw, 0x0F9C);
  assert_true (hp_ieee11073_sfloat_from_double (0.001, &raw));
  assert_int_equal (raw, 0xD001);
  assert_true (hp_ieee11073_sfloat_from_double (20000, &raw));
  assert_int_equal (raw, 0x17D0);
  assert_true (hp_ieee11073_sfloat_from_double (NAN, &raw));
  assert_int_equal (raw, HP_IEEE11073_SFLOAT_NAN);
  assert_true (hp_ieee11073_sfloat_from_double (INFINITY, &raw));
  assert_int_equal (raw, HP_IEEE11073_SFLOAT_PINF);
  assert_true (hp_ieee11073_sfloat_from_double (-INFINITY, &raw));
  assert_int_equal (raw, HP_IEEE11073_SFLOAT_NINF);
  assert_false (hp_ieee11073_sfloat_from_double (1e12, &raw));
  assert_false (hp_ieee11073_sfloat_from_double (-1e12, &raw));

  /* Inexact values get the closest representation. */
  assert_true (hp_ieee11073_sfloat_from_double (1.0 / 3.0, &raw));
  assert_true (fabs (hp_ieee11073_sfloat_to_double (raw) - 1.0 / 3.0) < 1e-3);

  /* Every finite SFLOAT survives decode → encode → decode, and never
   * encodes to a special value. */
  for (guint value = 0; value <= 0xFFFF; value++)
    {
      double decoded = hp_ieee11073_sfloat_to_double ((guint16) value);
      guint16 again;

      if (!isfinite (decoded))
        continue;
      assert_true (hp_ieee11073_sfloat_from_double (decoded, &again));
      assert_false (hp_ieee11073_sfloat_is_special (again));
      assert_true (fabs (hp_ieee11073_sfloat_to_double (again) - decoded) <= fabs (decoded) * 1e-12);
    }
}

static void
test_float_decode (void **state G_GNUC_UNUSED)
{
  assert_true (hp_ieee11073_float_to_double (0xFF000FA0) == 400.0);
  assert_true (hp_ieee11073_float_to_double (0x00000001) == 1.0);
  assert_true (hp_ieee11073_float_to_double (0x00FFFFFF) == -1.0);
  assert_true (hp_ieee11073_float_to_double (0xFE001C5F) == 72.63);
  assert_true (isnan (hp_ieee11073_float_to_double (HP_IEEE11073_FLOAT_NAN)));
  assert_true (isnan (hp_ieee11073_float_to_double (0x00800000)));
  assert_true (isnan (hp_ieee11073_float_to_double (0x00800001)));
  assert_true (hp_ieee11073_float_to_double (0x007FFFFE) > 0 && isinf (hp_ieee11073_float_to_double (0x007FFFFE)));
  assert_true (hp_ieee11073_float_to_double (0x00800002) < 0 && isinf (hp_ieee11073_float_to_double (0x00800002)));
  /* The extreme exponents stay finite or zero, never undefined. */
  assert_true (isfinite (hp_ieee11073_float_to_double (0x7F000001)));
  assert_true (hp_ieee11073_float_to_double (0x80000001) >= 0);
}

static void
test_absolute_time (void **state G_GNUC_UNUSED)
{
  static const guint8 valid[] = { 0x20, 0x24, 0x02, 0x29, 0x23, 0x59, 0x58, 0x99 };
  static const guint8 not_bcd[] = { 0x20, 0x24, 0x1A, 0x01, 0x00, 0x00, 0x00, 0x00 };
  static const guint8 month_13[] = { 0x20, 0x24, 0x13, 0x01, 0x00, 0x00, 0x00, 0x00 };
  static const guint8 february_30[] = { 0x20, 0x24, 0x02, 0x30, 0x00, 0x00, 0x00, 0x00 };
  static const guint8 not_leap[] = { 0x20, 0x23, 0x02, 0x29, 0x00, 0x00, 0x00, 0x00 };
  static const guint8 hour_24[] = { 0x20, 0x24, 0x01, 0x01, 0x24, 0x00, 0x00, 0x00 };
  static const guint8 zeroes[8] = { 0 };
  static const guint8 lost_clock[8] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
  HpIeee11073AbsoluteTime time;
  guint8 encoded[8];
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) date_time = NULL;
  HpIeee11073AbsoluteTime from_date_time;

  assert_true (hp_ieee11073_decode_absolute_time (valid, sizeof valid, &time, &error));
  assert_int_equal (time.year, 2024);
  assert_int_equal (time.month, 2);
  assert_int_equal (time.day, 29);
  assert_int_equal (time.hour, 23);
  assert_int_equal (time.minute, 59);
  assert_int_equal (time.second, 58);
  assert_int_equal (time.hundredths, 99);
  assert_true (hp_ieee11073_encode_absolute_time (&time, encoded));
  assert_memory_equal (encoded, valid, 8);

  date_time = hp_ieee11073_absolute_time_to_date_time (&time, utc);
  assert_non_null (date_time);
  assert_int_equal (g_date_time_get_day_of_month (date_time), 29);
  assert_int_equal (g_date_time_get_microsecond (date_time) / 10000, 99);
  hp_ieee11073_absolute_time_from_date_time (date_time, &from_date_time);
  assert_memory_equal (&from_date_time, &time, sizeof time);

  assert_false (hp_ieee11073_decode_absolute_time (not_bcd, 8, &time, &error));
  assert_true (g_error_matches (error, HP_IEEE11073_ERROR, HP_IEEE11073_ERROR_MALFORMED));
  g_clear_error (&error);
  assert_false (hp_ieee11073_decode_absolute_time (lost_clock, 8, &time, &error));
  assert_true (g_error_matches (error, HP_IEEE11073_ERROR, HP_IEEE11073_ERROR_MALFORMED));
  g_clear_error (&error);
  assert_false (hp_ieee11073_decode_absolute_time (month_13, 8, &time, NULL));
  assert_false (hp_ieee11073_decode_absolute_time (february_30, 8, &time, NULL));
  assert_false (hp_ieee11073_decode_absolute_time (not_leap, 8, &time, NULL));
  assert_false (hp_ieee11073_decode_absolute_time (hour_24, 8, &time, NULL));
  assert_false (hp_ieee11073_decode_absolute_time (zeroes, 8, &time, NULL));
  assert_false (hp_ieee11073_decode_absolute_time (valid, 7, &time, &error));
  assert_true (g_error_matches (error, HP_IEEE11073_ERROR, HP_IEEE11073_ERROR_TRUNCATED));

  time.minute = 60;
  assert_false (hp_ieee11073_encode_absolute_time (&time, encoded));
  assert_null (hp_ieee11073_absolute_time_to_date_time (&time, utc));
}

/* Decodes @data fully, as the driver would: the APDU and, for an agent's
 * event report, its scan report against configuration 0x02BC. */
static gboolean
decode_all (const guint8  *data,
            gsize          len,
            gsize         *error_offset,
            GError       **error)
{
  g_autoptr(HpIeee11073Config) bp = hp_ieee11073_config_new_standard (HP_IEEE11073_CONFIG_BLOOD_PRESSURE);
  HpIeee11073ScanReport report;
  HpIeee11073Apdu apdu;
  gboolean ok;

  if (!hp_ieee11073_decode_apdu (data, len, &apdu, error_offset, error))
    return FALSE;
  if (apdu.type != HP_IEEE11073_APDU_PRST || !apdu.u.prst.is_event_report ||
      apdu.u.prst.choice == HP_IEEE11073_RORS_CONFIRMED_EVENT_REPORT)
    return TRUE;
  ok = hp_ieee11073_decode_scan_report (&apdu.u.prst, bp, &report, error_offset, error);
  hp_ieee11073_scan_report_clear (&report);
  return ok;
}

static void
check_every_truncation (const guint8 *full,
                        gsize         full_len)
{
  assert_true (decode_all (full, full_len, NULL, NULL));

  for (gsize n = 0; n < full_len; n++)
    {
      g_autofree guint8 *cut = copy_of (full, n);
      g_autoptr(GError) error = NULL;
      gsize offset = G_MAXSIZE;

      /* As received: the header promises more than there is. */
      assert_false (decode_all (cut, n, &offset, &error));
      assert_non_null (error);
      assert_true (error->domain == HP_IEEE11073_ERROR);
      assert_true (offset <= n);
      g_clear_error (&error);

      /* With a consistent outer length, the inner fields must catch it. */
      if (n >= HP_IEEE11073_APDU_HEADER_SIZE)
        {
          cut[2] = (guint8) ((n - 4) >> 8);
          cut[3] = (guint8) (n - 4);
          offset = G_MAXSIZE;
          assert_false (decode_all (cut, n, &offset, &error));
          assert_non_null (error);
          assert_true (offset <= n);
        }
    }
}

static void
test_every_truncation_fails_cleanly (void **state G_GNUC_UNUSED)
{
  check_every_truncation (bp_report, sizeof bp_report);
  check_every_truncation (bp_aarq_02bc, sizeof bp_aarq_02bc);
  check_every_truncation (aare_unknown_config, sizeof aare_unknown_config);
  check_every_truncation (bp_report_response, sizeof bp_report_response);
  check_every_truncation (mislabelled_rlre, sizeof mislabelled_rlre);
}

static void
check_overrun_at (gsize length_at)
{
  g_autofree guint8 *data = copy_of (bp_report, sizeof bp_report);
  g_autoptr(GError) error = NULL;
  g_autofree char *where = g_strdup_printf ("at byte %" G_GSIZE_FORMAT, length_at);
  gsize offset = 0;

  data[length_at] = 0x01;
  data[length_at + 1] = 0x00;
  assert_false (decode_all (data, sizeof bp_report, &offset, &error));
  assert_true (g_error_matches (error, HP_IEEE11073_ERROR, HP_IEEE11073_ERROR_TRUNCATED));
  assert_int_equal (offset, length_at);
  assert_non_null (strstr (error->message, where));
}

static void
test_length_overrun_reports_its_offset (void **state G_GNUC_UNUSED)
{
  check_overrun_at (BP_APDU_LENGTH_AT);
  check_overrun_at (BP_EVENT_INFO_LENGTH_AT);
  check_overrun_at (BP_OBS_LIST_LENGTH_AT);
  check_overrun_at (BP_OBS1_LENGTH_AT);
}

static void
test_inconsistent_structures (void **state G_GNUC_UNUSED)
{
  static const guint8 unknown_tag[] = { 0xe8, 0x00, 0x00, 0x02, 0x00, 0x00 };
  static const guint8 long_release[] = { 0xe4, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00 };
  g_autofree guint8 *data = NULL;
  g_autoptr(GError) error = NULL;
  HpIeee11073Apdu apdu;
  gsize offset = G_MAXSIZE;

  assert_false (hp_ieee11073_decode_apdu (unknown_tag, sizeof unknown_tag, &apdu, &offset, &error));
  assert_true (g_error_matches (error, HP_IEEE11073_ERROR, HP_IEEE11073_ERROR_UNSUPPORTED));
  assert_int_equal (offset, 0);
  g_clear_error (&error);

  assert_false (hp_ieee11073_decode_apdu (long_release, sizeof long_release, &apdu, &offset, &error));
  assert_true (g_error_matches (error, HP_IEEE11073_ERROR, HP_IEEE11073_ERROR_MALFORMED));
  assert_int_equal (offset, 6);
  g_clear_error (&error);

  /* The list claims three observations but holds two: the third one's
   * handle would start at the end of the report. */
  data = copy_of (bp_report, sizeof bp_report);
  data[27] = 3;
  offset = bp_report_failure (data, sizeof bp_report, &error);
  assert_true (g_error_matches (error, HP_IEEE11073_ERROR, HP_IEEE11073_ERROR_TRUNCATED));
  assert_int_equal (offset, sizeof bp_report);
  g_clear_error (&error);
  g_clear_pointer (&data, g_free);

  /* ... or one, leaving bytes the list does not account for: the pulse
   * observation's handle, at 52. */
  data = copy_of (bp_report, sizeof bp_report);
  data[27] = 1;
  offset = bp_report_failure (data, sizeof bp_report, &error);
  assert_true (g_error_matches (error, HP_IEEE11073_ERROR, HP_IEEE11073_ERROR_MALFORMED));
  assert_int_equal (offset, 52);
  g_clear_error (&error);
  g_clear_pointer (&data, g_free);

  /* A handle configuration 0x02BC does not have: the handle field, at 52. */
  data = copy_of (bp_report, sizeof bp_report);
  data[53] = 7;
  offset = bp_report_failure (data, sizeof bp_report, &error);
  assert_true (g_error_matches (error, HP_IEEE11073_ERROR, HP_IEEE11073_ERROR_UNSUPPORTED));
  assert_int_equal (offset, 52);
  g_clear_error (&error);
  g_clear_pointer (&data, g_free);

  /* A compound of two values instead of three in its six bytes: the
   * compound's count, at 34. */
  data = copy_of (bp_report, sizeof bp_report);
  data[35] = 2;
  offset = bp_report_failure (data, sizeof bp_report, &error);
  assert_true (g_error_matches (error, HP_IEEE11073_ERROR, HP_IEEE11073_ERROR_MALFORMED));
  assert_int_equal (offset, 34);
  g_clear_error (&error);
  g_clear_pointer (&data, g_free);

  /* Not a scan report (a configuration report's type): the event info, at 22. */
  data = copy_of (bp_report, sizeof bp_report);
  data[19] = 0x1c;
  offset = bp_report_failure (data, sizeof bp_report, &error);
  assert_true (g_error_matches (error, HP_IEEE11073_ERROR, HP_IEEE11073_ERROR_UNSUPPORTED));
  assert_int_equal (offset, 22);
  g_clear_error (&error);

  /* The fixed layout labelled a var report is refused, not misread: the
   * pressure's count and length (3, 6) read as an attribute list of 18
   * attributes in 3 bytes, whose first attribute (id 0x0078, the systolic)
   * has no room left for its length, at 38. */
  data[19] = 0x1e;
  offset = bp_report_failure (data, sizeof bp_report, &error);
  assert_true (g_error_matches (error, HP_IEEE11073_ERROR, HP_IEEE11073_ERROR_TRUNCATED));
  assert_int_equal (offset, 38);
  g_clear_error (&error);

  /* A RORS carries no observations: its arguments, at 12. */
  offset = bp_report_failure (bp_report_response, sizeof bp_report_response, &error);
  assert_true (g_error_matches (error, HP_IEEE11073_ERROR, HP_IEEE11073_ERROR_UNSUPPORTED));
  assert_int_equal (offset, 12);
}

static void
test_blood_pressure_variants (void **state G_GNUC_UNUSED)
{
  static const guint8 later_time[8] = { 0x20, 0x25, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06 };
  guint8 pressure1[18], pressure2[18], pulse[10];
  HpIeee11073Observation observations[3];
  g_autoptr(HpIeee11073Config) bp = hp_ieee11073_config_new_standard (HP_IEEE11073_CONFIG_BLOOD_PRESSURE);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  HpIeee11073ScanReport report;
  const HpIeee11073NumericObservation *obs;

  memcpy (pressure1, bp_report + 34, 18);
  memcpy (pressure2, bp_report + 34, 18);
  memcpy (pulse, bp_report + 56, 10);
  pressure2[5] = 130;            /* systolic 130 */
  pressure2[9] = 0xFF;           /* mean NaN */
  pressure2[8] = 0x07;
  memcpy (pressure2 + 10, later_time, 8);

  /* Stored data: two readings in one report come back in report order, each
   * with its values and time. Which one the kiosk keeps is the driver's
   * choice (test_stored_readings in test-phdc-device.c). */
  observations[0] = (HpIeee11073Observation) { 1, pressure1, 18 };
  observations[1] = (HpIeee11073Observation) { 2, pulse, 10 };
  observations[2] = (HpIeee11073Observation) { 1, pressure2, 18 };
  hp_ieee11073_encode_fixed_scan_report (out, 1, 0, 0xF000, 0, observations, 3);
  decode_report (out->data, out->len, bp, &report);
  assert_int_equal (report.observations->len, 3);
  obs = observation (&report, 0);
  assert_int_equal (obs->obj_handle, HP_IEEE11073_BP_HANDLE_PRESSURE);
  assert_true (obs->values[0] == 120);
  assert_true (obs->values[2] == 100);
  assert_int_equal (obs->special_mask, 0);
  assert_int_equal (obs->time.year, 2007);
  obs = observation (&report, 1);
  assert_int_equal (obs->obj_handle, HP_IEEE11073_BP_HANDLE_PULSE);
  assert_true (obs->values[0] == 60);
  obs = observation (&report, 2);
  assert_int_equal (obs->obj_handle, HP_IEEE11073_BP_HANDLE_PRESSURE);
  assert_true (obs->values[0] == 130);
  assert_true (obs->values[1] == 80);
  assert_true (isnan (obs->values[2]));
  assert_int_equal (obs->special_mask, 1u << 2);
  assert_true (obs->time_valid);
  assert_int_equal (obs->time.year, 2025);
  assert_int_equal (obs->time.hundredths, 6);
  hp_ieee11073_scan_report_clear (&report);

  /* A lost clock keeps the reading but says so. */
  memset (pressure1 + 10, 0, 8);
  observations[0] = (HpIeee11073Observation) { 1, pressure1, 18 };
  g_byte_array_set_size (out, 0);
  hp_ieee11073_encode_fixed_scan_report (out, 1, 0, 0xF000, 0, observations, 1);
  decode_report (out->data, out->len, bp, &report);
  assert_int_equal (report.observations->len, 1);
  obs = observation (&report, 0);
  assert_true (obs->has_time);
  assert_false (obs->time_valid);
  assert_true (obs->values[0] == 120);
  hp_ieee11073_scan_report_clear (&report);

  /* Pulse alone decodes to a pulse rate and no pressure; that it makes no
   * blood-pressure reading is the driver's part. */
  g_byte_array_set_size (out, 0);
  hp_ieee11073_encode_fixed_scan_report (out, 1, 0, 0xF000, 0, observations + 1, 1);
  decode_report (out->data, out->len, bp, &report);
  assert_int_equal (report.observations->len, 1);
  obs = observation (&report, 0);
  assert_int_equal (obs->obj_handle, HP_IEEE11073_BP_HANDLE_PULSE);
  assert_int_equal (obs->type, HP_IEEE11073_SCADA (HP_IEEE11073_MDC_PULS_RATE_NON_INV));
  hp_ieee11073_scan_report_clear (&report);
}

static void
test_framing (void **state G_GNUC_UNUSED)
{
  gsize frame_len = 0;
  guint8 two[sizeof mislabelled_rlre * 2];

  assert_false (hp_ieee11073_apdu_complete (bp_report, 0, &frame_len));
  assert_false (hp_ieee11073_apdu_complete (bp_report, 3, &frame_len));
  assert_false (hp_ieee11073_apdu_complete (bp_report, sizeof bp_report - 1, &frame_len));
  assert_true (hp_ieee11073_apdu_complete (bp_report, sizeof bp_report, &frame_len));
  assert_int_equal (frame_len, sizeof bp_report);

  memcpy (two, mislabelled_rlre, sizeof mislabelled_rlre);
  memcpy (two + sizeof mislabelled_rlre, mislabelled_rlre, sizeof mislabelled_rlre);
  assert_true (hp_ieee11073_apdu_complete (two, sizeof two, &frame_len));
  assert_int_equal (frame_len, sizeof mislabelled_rlre);
}

/* ---- configurations and the other scan report forms ------------------- */

/* signove/antidote tests/resources/apdu/blood_pressure/roiv_mdc_noti_config:
 * an extended configuration 0x4000 of a blood-pressure agent, three numeric
 * objects (pressure compound, pulse, a dimensionless manufacturer metric). */
static const guint8 antidote_bp_config_4000[] = {
  0xe7, 0x00, 0x00, 0xb0, 0x00, 0xae, 0x00, 0x01, 0x01, 0x01, 0x00, 0xa8, 0x00, 0x00, 0xff, 0xff,
  0xff, 0xff, 0x0d, 0x1c, 0x00, 0x9e, 0x40, 0x00, 0x00, 0x03, 0x00, 0x98, 0x00, 0x06, 0x00, 0x01,
  0x00, 0x06, 0x00, 0x38, 0x09, 0x2f, 0x00, 0x04, 0x00, 0x02, 0x4a, 0x04, 0x0a, 0x46, 0x00, 0x02,
  0xf0, 0x40, 0x0a, 0x73, 0x00, 0x02, 0x03, 0x03, 0x09, 0x96, 0x00, 0x02, 0x0f, 0x20, 0x0a, 0x76,
  0x00, 0x0a, 0x00, 0x03, 0x00, 0x06, 0x4a, 0x05, 0x4a, 0x06, 0x4a, 0x07, 0x0a, 0x55, 0x00, 0x0c,
  0x00, 0x02, 0x00, 0x08, 0x0a, 0x75, 0x00, 0x0a, 0x09, 0x90, 0x00, 0x08, 0x00, 0x06, 0x00, 0x02,
  0x00, 0x04, 0x00, 0x24, 0x09, 0x2f, 0x00, 0x04, 0x00, 0x02, 0x48, 0x2a, 0x0a, 0x46, 0x00, 0x02,
  0xf0, 0x40, 0x09, 0x96, 0x00, 0x02, 0x0a, 0xa0, 0x0a, 0x55, 0x00, 0x0c, 0x00, 0x02, 0x00, 0x08,
  0x0a, 0x4c, 0x00, 0x02, 0x09, 0x90, 0x00, 0x08, 0x00, 0x06, 0x00, 0x03, 0x00, 0x04, 0x00, 0x24,
  0x09, 0x2f, 0x00, 0x04, 0x00, 0x02, 0xf0, 0x12, 0x0a, 0x46, 0x00, 0x02, 0xf0, 0x40, 0x09, 0x96,
  0x00, 0x02, 0x02, 0x00, 0x0a, 0x55, 0x00, 0x0c, 0x00, 0x02, 0x00, 0x08, 0x0a, 0x4c, 0x00, 0x02,
  0x09, 0x90, 0x00, 0x08,
};

/* .../blood_pressure/roiv_mds_note_scan_report_mp_fixed: under that
 * configuration, person 0x42: 113/71 mean 85, pulse 71, 2010-07-21 15:35:53. */
static const guint8 antidote_bp_mp_fixed[] = {
  0xe7, 0x00, 0x00, 0x52, 0x00, 0x50, 0x00, 0x01, 0x01, 0x01, 0x00, 0x4a, 0x00, 0x00, 0xff, 0xff,
  0xff, 0xff, 0x0d, 0x1f, 0x00, 0x40, 0xf0, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x38, 0x00, 0x42,
  0x00, 0x03, 0x00, 0x32, 0x00, 0x01, 0x00, 0x12, 0x00, 0x03, 0x00, 0x06, 0x00, 0x71, 0x00, 0x47,
  0x00, 0x55, 0x20, 0x10, 0x07, 0x21, 0x15, 0x35, 0x53, 0x00, 0x00, 0x02, 0x00, 0x0a, 0x00, 0x47,
  0x20, 0x10, 0x07, 0x21, 0x15, 0x35, 0x53, 0x00, 0x00, 0x03, 0x00, 0x0a, 0x00, 0x00, 0x20, 0x10,
  0x07, 0x21, 0x15, 0x35, 0x53, 0x00,
};

/* .../blood_pressure/rors_accepted_config: the manager accepts 0x4000. */
static const guint8 antidote_rors_accepted_config[] = {
  0xe7, 0x00, 0x00, 0x16, 0x00, 0x14, 0x00, 0x01, 0x02, 0x01, 0x00, 0x0e, 0x00, 0x00, 0xff, 0xff,
  0xff, 0xff, 0x0d, 0x1c, 0x00, 0x04, 0x40, 0x00, 0x00, 0x00,
};

/* .../weighing_scale/std_config_05DC: the standard scale configuration as
 * an agent would send it: body weight, FLOAT, kg. */
static const guint8 antidote_scale_config_05dc[] = {
  0xe7, 0x00, 0x00, 0x44, 0x00, 0x42, 0x12, 0x45, 0x01, 0x01, 0x00, 0x3c, 0x00, 0x00, 0xff, 0xff,
  0xff, 0xff, 0x0d, 0x1c, 0x00, 0x32, 0x05, 0xdc, 0x00, 0x01, 0x00, 0x2c, 0x00, 0x06, 0x00, 0x01,
  0x00, 0x04, 0x00, 0x24, 0x09, 0x2f, 0x00, 0x04, 0x00, 0x02, 0xe1, 0x40, 0x0a, 0x46, 0x00, 0x02,
  0xf0, 0x40, 0x09, 0x96, 0x00, 0x02, 0x06, 0xc3, 0x0a, 0x55, 0x00, 0x0c, 0x00, 0x02, 0x00, 0x08,
  0x0a, 0x56, 0x00, 0x04, 0x09, 0x90, 0x00, 0x08,
};

/* .../H241_ID_05DC: a fixed report under 0x05DC with two stored readings:
 * weight 76.2 kg and BMI 24.3 at 12:10, then 76.0 kg and 24.2 at 20:05. */
static const guint8 antidote_scale_fixed_05dc[] = {
  0xe7, 0x00, 0x00, 0x5a, 0x00, 0x58, 0x12, 0x36, 0x01, 0x01, 0x00, 0x52, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x0d, 0x1d, 0x00, 0x48, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x40, 0x00, 0x01,
  0x00, 0x0c, 0xff, 0x00, 0x02, 0xfa, 0x20, 0x07, 0x12, 0x06, 0x12, 0x10, 0x00, 0x00, 0x00, 0x03,
  0x00, 0x0c, 0xff, 0x00, 0x00, 0xf3, 0x20, 0x07, 0x12, 0x06, 0x12, 0x10, 0x00, 0x00, 0x00, 0x01,
  0x00, 0x0c, 0xff, 0x00, 0x02, 0xf8, 0x20, 0x07, 0x12, 0x06, 0x20, 0x05, 0x00, 0x00, 0x00, 0x03,
  0x00, 0x0c, 0xff, 0x00, 0x00, 0xf2, 0x20, 0x07, 0x12, 0x06, 0x20, 0x05, 0x00, 0x00,
};

/* .../scan_report_info_var: a var report of 120/80/100 and pulse 60. The
 * file's lengths are partly those of the fixed report it was made from:
 * the event report says 54 bytes (offset 10) where it holds 74, and the two
 * attribute lists say 8 bytes where they hold 26 and 18 (offsets 34 and
 * 66); the list around them has the right length. */
static const guint8 antidote_bp_var[] = {
  0xe7, 0x00, 0x00, 0x52, 0x00, 0x50, 0x00, 0x54, 0x01, 0x01, 0x00, 0x36, 0x00, 0x00, 0x00, 0x49,
  0x00, 0x50, 0x0d, 0x1e, 0x00, 0x40, 0x0f, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x38, 0x00, 0x01,
  0x00, 0x02, 0x00, 0x08, 0x0a, 0x75, 0x00, 0x0a, 0x00, 0x03, 0x00, 0x06, 0x00, 0x78, 0x00, 0x50,
  0x00, 0x64, 0x09, 0x90, 0x00, 0x08, 0x20, 0x07, 0x12, 0x06, 0x12, 0x10, 0x00, 0x00, 0x00, 0x02,
  0x00, 0x02, 0x00, 0x08, 0x0a, 0x4c, 0x00, 0x02, 0xf2, 0x58, 0x09, 0x90, 0x00, 0x08, 0x20, 0x07,
  0x12, 0x06, 0x12, 0x10, 0x00, 0x00,
};
#define ANTIDOTE_VAR_ARGS_LENGTH_AT  10
#define ANTIDOTE_VAR_LIST1_LENGTH_AT 34
#define ANTIDOTE_VAR_LIST2_LENGTH_AT 66

/* Hand-built from IEEE 11073-10417's standard configuration 0x06A4: one
 * glucose value, 104 mg/dL (SFLOAT 0x0068), 2024-03-05 07:45:30. */
static const guint8 glucose_fixed_06a4[] = {
  0xe7, 0x00, 0x00, 0x28, 0x00, 0x26, 0x00, 0x07, 0x01, 0x01, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x10, 0x0d, 0x1d, 0x00, 0x16, 0xf0, 0x00, 0x00, 0x02, 0x00, 0x01, 0x00, 0x0e, 0x00, 0x01,
  0x00, 0x0a, 0x00, 0x68, 0x20, 0x24, 0x03, 0x05, 0x07, 0x45, 0x30, 0x00,
};

static HpIeee11073Config *
decode_config_apdu (const guint8 *data,
                    gsize         len)
{
  g_autoptr(GError) error = NULL;
  HpIeee11073Apdu apdu;
  HpIeee11073Config *config;

  assert_true (hp_ieee11073_decode_apdu (data, len, &apdu, NULL, &error));
  config = hp_ieee11073_decode_config_report (&apdu.u.prst, NULL, &error);
  assert_null (error);
  assert_non_null (config);
  return config;
}

static void
test_config_report_extended (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpIeee11073Config) config = decode_config_apdu (antidote_bp_config_4000, sizeof antidote_bp_config_4000);
  g_autoptr(HpIeee11073Config) again = NULL;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  const HpIeee11073ConfigObject *pressure, *pulse, *extra;
  HpIeee11073ScanReport report;
  const HpIeee11073NumericObservation *obs;

  assert_int_equal (config->dev_config_id, 0x4000);
  assert_int_equal (config->n_objects, 3);
  pressure = hp_ieee11073_config_find (config, 1);
  assert_non_null (pressure);
  assert_int_equal (pressure->obj_class, HP_IEEE11073_CLASS_METRIC_NUMERIC);
  assert_int_equal (pressure->type, HP_IEEE11073_SCADA (HP_IEEE11073_MDC_PRESS_BLD_NONINV));
  assert_int_equal (pressure->type, 150020);
  assert_int_equal (pressure->unit_code, HP_IEEE11073_MDC_DIM_MMHG);
  assert_int_equal (pressure->metric_spec_small, 0xF040);
  assert_int_equal (pressure->metric_struct_small, 0x0303);
  assert_int_equal (pressure->n_physio_ids, 3);
  assert_int_equal (pressure->physio_ids[0], HP_IEEE11073_MDC_PRESS_BLD_NONINV_SYS);
  assert_int_equal (pressure->physio_ids[2], HP_IEEE11073_MDC_PRESS_BLD_NONINV_MEAN);
  assert_int_equal (pressure->n_value_map, 2);
  assert_int_equal (pressure->value_map[0].attribute_id, HP_IEEE11073_ATTR_NU_CMPD_VAL_OBS_BASIC);
  assert_int_equal (pressure->value_map[0].length, 10);
  assert_int_equal (pressure->value_map[1].attribute_id, HP_IEEE11073_ATTR_TIME_STAMP_ABS);
  pulse = hp_ieee11073_config_find (config, 2);
  assert_int_equal (pulse->type, 149546);
  assert_int_equal (pulse->unit_code, HP_IEEE11073_MDC_DIM_BEAT_PER_MIN);
  extra = hp_ieee11073_config_find (config, 3);
  assert_int_equal (extra->unit_code, HP_IEEE11073_MDC_DIM_DIMLESS);
  assert_null (hp_ieee11073_config_find (config, 4));

  /* Our encoder writes the very event info the agent sent. */
  hp_ieee11073_encode_config (out, config);
  assert_int_equal (out->len, sizeof antidote_bp_config_4000 - 22);
  assert_memory_equal (out->data, antidote_bp_config_4000 + 22, out->len);
  again = hp_ieee11073_decode_config (out->data, out->len, 0, NULL, NULL);
  assert_non_null (again);
  assert_int_equal (again->n_objects, 3);
  assert_memory_equal (again->objects, config->objects, sizeof *config->objects * 3);

  /* The multi-person fixed report of the same agent decodes against it. */
  decode_report (antidote_bp_mp_fixed, sizeof antidote_bp_mp_fixed, config, &report);
  assert_int_equal (report.event_type, HP_IEEE11073_NOTI_SCAN_REPORT_MP_FIXED);
  assert_int_equal (report.data_req_id, 0xF000);
  assert_int_equal (report.scan_report_no, 1);
  assert_int_equal (report.observations->len, 3);
  obs = observation (&report, 0);
  assert_int_equal (obs->person_id, 0x42);
  assert_int_equal (obs->n_values, 3);
  assert_true (obs->values[0] == 113 && obs->values[1] == 71 && obs->values[2] == 85);
  assert_int_equal (obs->value_types[0], 150021);
  assert_int_equal (obs->value_types[1], 150022);
  assert_int_equal (obs->value_types[2], 150023);
  assert_int_equal (obs->special_mask, 0);
  assert_true (obs->has_time && obs->time_valid);
  assert_int_equal (obs->time.year, 2010);
  assert_int_equal (obs->time.second, 53);
  obs = observation (&report, 1);
  assert_int_equal (obs->type, 149546);
  assert_true (obs->values[0] == 71);
  hp_ieee11073_scan_report_clear (&report);

  /* ... but not against the standard configuration, which lacks handle 3. */
  {
    g_autoptr(HpIeee11073Config) standard = hp_ieee11073_config_new_standard (HP_IEEE11073_CONFIG_BLOOD_PRESSURE);
    g_autoptr(GError) error = NULL;
    HpIeee11073Apdu apdu;
    gsize offset = 0;

    assert_true (hp_ieee11073_decode_apdu (antidote_bp_mp_fixed, sizeof antidote_bp_mp_fixed, &apdu, NULL, NULL));
    assert_false (hp_ieee11073_decode_scan_report (&apdu.u.prst, standard, &report, &offset, &error));
    hp_ieee11073_scan_report_clear (&report);
    assert_true (g_error_matches (error, HP_IEEE11073_ERROR, HP_IEEE11073_ERROR_UNSUPPORTED));
    assert_int_equal (offset, 72);
  }
}

static void
test_config_report_response (void **state G_GNUC_UNUSED)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  HpIeee11073Apdu apdu;
  guint16 config_id = 0, result = 99;

  hp_ieee11073_encode_config_report_response (out, 0x0001, 0x4000, HP_IEEE11073_CONFIG_ACCEPTED);
  /* Antidote's manager stamps 0xFFFFFFFF where we send 0; all else is equal. */
  assert_int_equal (out->len, sizeof antidote_rors_accepted_config);
  assert_memory_equal (out->data, antidote_rors_accepted_config, 14);
  assert_memory_equal (out->data + 18, antidote_rors_accepted_config + 18, out->len - 18);

  assert_true (hp_ieee11073_decode_apdu (antidote_rors_accepted_config, sizeof antidote_rors_accepted_config,
                                         &apdu, NULL, NULL));
  assert_true (hp_ieee11073_decode_config_report_response (&apdu.u.prst, &config_id, &result, NULL));
  assert_int_equal (config_id, 0x4000);
  assert_int_equal (result, HP_IEEE11073_CONFIG_ACCEPTED);
  /* The agent's report is not a response. */
  assert_true (hp_ieee11073_decode_apdu (antidote_bp_config_4000, sizeof antidote_bp_config_4000, &apdu, NULL, NULL));
  assert_false (hp_ieee11073_decode_config_report_response (&apdu.u.prst, NULL, NULL, NULL));
}

static void
test_standard_configurations (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpIeee11073Config) sent = decode_config_apdu (antidote_scale_config_05dc, sizeof antidote_scale_config_05dc);
  g_autoptr(HpIeee11073Config) scale = hp_ieee11073_config_new_standard (HP_IEEE11073_CONFIG_WEIGHING_SCALE);
  g_autoptr(HpIeee11073Config) bp = hp_ieee11073_config_new_standard (HP_IEEE11073_CONFIG_BLOOD_PRESSURE);
  g_autoptr(HpIeee11073Config) glucose = hp_ieee11073_config_new_standard (HP_IEEE11073_CONFIG_GLUCOSE);
  g_autoptr(HpIeee11073Config) antidote_bp = decode_config_apdu (antidote_bp_config_4000, sizeof antidote_bp_config_4000);
  HpIeee11073ScanReport report;
  const HpIeee11073NumericObservation *obs;

  assert_null (hp_ieee11073_config_new_standard (0x4000));
  assert_null (hp_ieee11073_config_new_standard (0x0190)); /* pulse oximeter: not ours */

  /* What the agent says 0x05DC is, we know it to be. */
  assert_int_equal (sent->dev_config_id, 0x05DC);
  assert_int_equal (sent->n_objects, 1);
  assert_memory_equal (&sent->objects[0], &scale->objects[0], sizeof sent->objects[0]);
  assert_int_equal (scale->objects[0].type, 188736);
  /* The pressure and pulse objects of 0x02BC have the layout antidote's 0x4000 has. */
  assert_memory_equal (&bp->objects[0], &antidote_bp->objects[0], sizeof bp->objects[0]);
  assert_memory_equal (&bp->objects[1], &antidote_bp->objects[1], sizeof bp->objects[1]);
  assert_int_equal (glucose->objects[0].type, 160184);
  assert_int_equal (glucose->objects[0].unit_code, HP_IEEE11073_MDC_DIM_MILLI_G_PER_DL);

  /* A scale's fixed report with two stored readings (FLOATs). */
  decode_report (antidote_scale_fixed_05dc, sizeof antidote_scale_fixed_05dc, scale, &report);
  assert_int_equal (report.observations->len, 4);
  obs = observation (&report, 0);
  assert_int_equal (obs->type, 188736);
  assert_int_equal (obs->unit_code, HP_IEEE11073_MDC_DIM_KILO_G);
  assert_true (fabs (obs->values[0] - 76.2) < 1e-9);
  assert_int_equal (obs->time.hour, 12);
  assert_true (fabs (observation (&report, 1)->values[0] - 24.3) < 1e-9);
  obs = observation (&report, 2);
  assert_true (fabs (obs->values[0] - 76.0) < 1e-9);
  assert_int_equal (obs->time.hour, 20);
  assert_int_equal (obs->time.minute, 5);
  hp_ieee11073_scan_report_clear (&report);

  /* A glucose meter's. */
  decode_report (glucose_fixed_06a4, sizeof glucose_fixed_06a4, glucose, &report);
  assert_int_equal (report.observations->len, 1);
  obs = observation (&report, 0);
  assert_true (obs->values[0] == 104);
  assert_int_equal (obs->value_types[0], 160184);
  assert_int_equal (obs->time.year, 2024);
  assert_int_equal (obs->time.minute, 45);
  hp_ieee11073_scan_report_clear (&report);

  /* And the 0x02BC capture through the generic decoder. */
  decode_report (bp_report, sizeof bp_report, bp, &report);
  assert_int_equal (report.observations->len, 2);
  assert_true (observation (&report, 0)->values[1] == 80);
  assert_true (observation (&report, 1)->values[0] == 60);
  hp_ieee11073_scan_report_clear (&report);
}

static void
test_var_report (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpIeee11073Config) bp = hp_ieee11073_config_new_standard (HP_IEEE11073_CONFIG_BLOOD_PRESSURE);
  g_autofree guint8 *fixed = copy_of (antidote_bp_var, sizeof antidote_bp_var);
  g_autoptr(GError) error = NULL;
  HpIeee11073ScanReport report;
  HpIeee11073Apdu apdu;
  gsize offset = 0;

  /* As the file has it: the event report ends 20 bytes before the data APDU. */
  assert_false (hp_ieee11073_decode_apdu (antidote_bp_var, sizeof antidote_bp_var, &apdu, &offset, &error));
  assert_true (g_error_matches (error, HP_IEEE11073_ERROR, HP_IEEE11073_ERROR_MALFORMED));
  assert_int_equal (offset, 66);
  g_clear_error (&error);

  /* With that fixed, the first attribute list is too short for its items. */
  fixed[ANTIDOTE_VAR_ARGS_LENGTH_AT + 1] = 0x4a;
  assert_true (hp_ieee11073_decode_apdu (fixed, sizeof antidote_bp_var, &apdu, NULL, NULL));
  assert_false (hp_ieee11073_decode_scan_report (&apdu.u.prst, bp, &report, &offset, &error));
  hp_ieee11073_scan_report_clear (&report);
  assert_non_null (error);
  assert_true (offset >= 36 && offset < 36 + 8 + 4);
  g_clear_error (&error);

  /* With the lengths the lists really have. */
  fixed[ANTIDOTE_VAR_LIST1_LENGTH_AT + 1] = 26;
  fixed[ANTIDOTE_VAR_LIST2_LENGTH_AT + 1] = 18;
  decode_report (fixed, sizeof antidote_bp_var, bp, &report);
  assert_int_equal (report.event_type, HP_IEEE11073_NOTI_SCAN_REPORT_VAR);
  assert_int_equal (report.data_req_id, 0x0F00);
  assert_int_equal (report.observations->len, 2);
  assert_true (observation (&report, 0)->values[0] == 120);
  assert_true (observation (&report, 0)->values[2] == 100);
  assert_int_equal (observation (&report, 0)->value_types[1], 150022);
  assert_true (observation (&report, 1)->values[0] == 60);
  assert_int_equal (observation (&report, 1)->time.day, 6);
  hp_ieee11073_scan_report_clear (&report);
}

static void
test_scan_report_round_trip_and_specials (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpIeee11073Config) glucose = hp_ieee11073_config_new_standard (HP_IEEE11073_CONFIG_GLUCOSE);
  static const guint8 time[8] = { 0x20, 0x24, 0x03, 0x05, 0x07, 0x45, 0x30, 0x00 };
  static const guint16 event_types[] = {
    HP_IEEE11073_NOTI_SCAN_REPORT_FIXED, HP_IEEE11073_NOTI_SCAN_REPORT_VAR,
    HP_IEEE11073_NOTI_SCAN_REPORT_MP_FIXED, HP_IEEE11073_NOTI_SCAN_REPORT_MP_VAR,
  };
  static const guint16 raws[] = { 0x0068, HP_IEEE11073_SFLOAT_NAN, HP_IEEE11073_SFLOAT_NRES,
                                  HP_IEEE11073_SFLOAT_PINF, HP_IEEE11073_SFLOAT_NINF };

  for (gsize t = 0; t < G_N_ELEMENTS (event_types); t++)
    for (gsize r = 0; r < G_N_ELEMENTS (raws); r++)
      {
        gboolean var = event_types[t] == HP_IEEE11073_NOTI_SCAN_REPORT_VAR ||
                       event_types[t] == HP_IEEE11073_NOTI_SCAN_REPORT_MP_VAR;
        gboolean mp = event_types[t] >= HP_IEEE11073_NOTI_SCAN_REPORT_MP_FIXED;
        g_autoptr(GByteArray) payload = g_byte_array_new ();
        g_autoptr(GByteArray) out = g_byte_array_new ();
        guint8 value[2] = { (guint8) (raws[r] >> 8), (guint8) raws[r] };
        HpIeee11073ScanEntry entries[2];
        HpIeee11073ScanReport report;

        if (var)
          g_byte_array_append (payload, (const guint8[]) { 0, 2, 0, 18, 0x0a, 0x4c, 0, 2 }, 8);
        g_byte_array_append (payload, value, 2);
        if (var)
          g_byte_array_append (payload, (const guint8[]) { 0x09, 0x90, 0, 8 }, 4);
        g_byte_array_append (payload, time, 8);
        /* Two people on a multi-person meter: the first comes first. */
        entries[0] = (HpIeee11073ScanEntry) { 7, 1, payload->data, payload->len };
        entries[1] = (HpIeee11073ScanEntry) { 9, 1, payload->data, payload->len };
        hp_ieee11073_encode_scan_report (out, 3, 0, event_types[t], 0xF000, 5, entries, mp ? 2 : 1);
        decode_report (out->data, out->len, glucose, &report);
        assert_int_equal (report.event_type, event_types[t]);
        assert_int_equal (report.scan_report_no, 5);
        assert_int_equal (report.observations->len, mp ? 2 : 1);
        assert_int_equal (observation (&report, 0)->person_id, mp ? 7 : 0);
        if (mp)
          assert_int_equal (observation (&report, 1)->person_id, 9);
        if (r == 0)
          {
            assert_int_equal (observation (&report, 0)->special_mask, 0);
            assert_true (observation (&report, 0)->values[0] == 104);
          }
        else
          assert_int_equal (observation (&report, 0)->special_mask, 1);
        hp_ieee11073_scan_report_clear (&report);
      }
}

static void
test_time_stamps_in_reports (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpIeee11073Config) glucose = hp_ieee11073_config_new_standard (HP_IEEE11073_CONFIG_GLUCOSE);
  g_autofree guint8 *data = copy_of (glucose_fixed_06a4, sizeof glucose_fixed_06a4);
  g_autoptr(GError) error = NULL;
  HpIeee11073ScanReport report;
  HpIeee11073Apdu apdu;
  gsize offset = 0;

  /* An unset clock: all zeros, or all ones. The value stands. */
  memset (data + 36, 0x00, 8);
  decode_report (data, sizeof glucose_fixed_06a4, glucose, &report);
  assert_true (observation (&report, 0)->has_time);
  assert_false (observation (&report, 0)->time_valid);
  hp_ieee11073_scan_report_clear (&report);
  memset (data + 36, 0xFF, 8);
  decode_report (data, sizeof glucose_fixed_06a4, glucose, &report);
  assert_false (observation (&report, 0)->time_valid);
  hp_ieee11073_scan_report_clear (&report);

  /* BCD that is no date (month 13) is a lost clock too... */
  memcpy (data + 36, glucose_fixed_06a4 + 36, 8);
  data[38] = 0x13;
  decode_report (data, sizeof glucose_fixed_06a4, glucose, &report);
  assert_false (observation (&report, 0)->time_valid);
  hp_ieee11073_scan_report_clear (&report);

  /* ... but bytes that are not BCD are malformed, and say where. */
  data[40] = 0x3A;
  assert_true (hp_ieee11073_decode_apdu (data, sizeof glucose_fixed_06a4, &apdu, NULL, NULL));
  assert_false (hp_ieee11073_decode_scan_report (&apdu.u.prst, glucose, &report, &offset, &error));
  hp_ieee11073_scan_report_clear (&report);
  assert_true (g_error_matches (error, HP_IEEE11073_ERROR, HP_IEEE11073_ERROR_MALFORMED));
  assert_int_equal (offset, 40);

  /* A value that does not fill its map entry. */
  g_clear_error (&error);
  memcpy (data, glucose_fixed_06a4, sizeof glucose_fixed_06a4);
  data[33] = 0x09;
  assert_true (hp_ieee11073_decode_apdu (data, sizeof glucose_fixed_06a4, &apdu, NULL, NULL));
  assert_false (hp_ieee11073_decode_scan_report (&apdu.u.prst, glucose, &report, &offset, &error));
  hp_ieee11073_scan_report_clear (&report);
  assert_non_null (error);
}

static void
test_learned_configurations_blob (void **state G_GNUC_UNUSED)
{
  g_autoptr(GPtrArray) learned = g_ptr_array_new_with_free_func ((GDestroyNotify) hp_ieee11073_learned_config_free);
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GByteArray) blob = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  HpIeee11073LearnedConfig *entry = g_new0 (HpIeee11073LearnedConfig, 1);

  memcpy (entry->system_id, bp_aarq_4000_system_id, 8);
  entry->system_id_len = 8;
  entry->config = decode_config_apdu (antidote_bp_config_4000, sizeof antidote_bp_config_4000);
  g_ptr_array_add (learned, entry);
  entry = g_new0 (HpIeee11073LearnedConfig, 1);
  entry->config = hp_ieee11073_config_new_standard (HP_IEEE11073_CONFIG_GLUCOSE);
  entry->config->dev_config_id = 0x7FFF;
  g_ptr_array_add (learned, entry);

  hp_ieee11073_encode_learned_configs (blob, learned);
  back = hp_ieee11073_decode_learned_configs (blob->data, blob->len, &error);
  assert_null (error);
  assert_non_null (back);
  assert_int_equal (back->len, 2);
  entry = g_ptr_array_index (back, 0);
  assert_int_equal (entry->system_id_len, 8);
  assert_memory_equal (entry->system_id, bp_aarq_4000_system_id, 8);
  assert_int_equal (entry->config->dev_config_id, 0x4000);
  assert_int_equal (entry->config->n_objects, 3);
  entry = g_ptr_array_index (back, 1);
  assert_int_equal (entry->system_id_len, 0);
  assert_int_equal (entry->config->dev_config_id, 0x7FFF);

  /* Every cut and a wrong version fail with an error, never a crash. */
  for (gsize n = 0; n < blob->len; n++)
    {
      g_autofree guint8 *cut = copy_of (blob->data, n);
      g_autoptr(GPtrArray) none = hp_ieee11073_decode_learned_configs (cut, n, &error);

      assert_null (none);
      assert_non_null (error);
      g_clear_error (&error);
    }
  blob->data[8] = 2;
  assert_null (hp_ieee11073_decode_learned_configs (blob->data, blob->len, &error));
  assert_true (g_error_matches (error, HP_IEEE11073_ERROR, HP_IEEE11073_ERROR_UNSUPPORTED));
}

static void
test_units_and_float_encoding (void **state G_GNUC_UNUSED)
{
  guint32 raw;

  assert_string_equal (hp_ieee11073_unit_to_ucum (3872), "mm[Hg]");
  assert_string_equal (hp_ieee11073_unit_to_ucum (3843), "kPa");
  assert_string_equal (hp_ieee11073_unit_to_ucum (2720), "/min");
  assert_string_equal (hp_ieee11073_unit_to_ucum (1731), "kg");
  /* MDC_DIM_LB is 1760 (antidote's nomenclature.h; HL7 code 263904 = 4 << 16 | 1760). */
  assert_string_equal (hp_ieee11073_unit_to_ucum (1760), "[lb_av]");
  assert_string_equal (hp_ieee11073_unit_to_ucum (2130), "mg/dL");
  assert_string_equal (hp_ieee11073_unit_to_ucum (4722), "mmol/L");
  assert_null (hp_ieee11073_unit_to_ucum (0));
  assert_null (hp_ieee11073_unit_to_ucum (1890));

  assert_true (hp_ieee11073_float_from_double (76.2, &raw));
  assert_int_equal (raw, 0xFF0002FA);
  assert_true (hp_ieee11073_float_from_double (72.63, &raw));
  assert_int_equal (raw, 0xFE001C5F);
  assert_true (hp_ieee11073_float_from_double (-1, &raw));
  assert_int_equal (raw, 0x00FFFFFF);
  assert_true (hp_ieee11073_float_from_double (NAN, &raw));
  assert_int_equal (raw, HP_IEEE11073_FLOAT_NAN);
  assert_false (hp_ieee11073_float_from_double (1e300, &raw));
}

static void
test_new_fixtures_truncated (void **state G_GNUC_UNUSED)
{
  const struct { const guint8 *data; gsize len; guint16 config; } fixtures[] = {
    { antidote_bp_config_4000, sizeof antidote_bp_config_4000, 0 },
    { antidote_scale_config_05dc, sizeof antidote_scale_config_05dc, 0 },
    { antidote_scale_fixed_05dc, sizeof antidote_scale_fixed_05dc, HP_IEEE11073_CONFIG_WEIGHING_SCALE },
    { glucose_fixed_06a4, sizeof glucose_fixed_06a4, HP_IEEE11073_CONFIG_GLUCOSE },
    { antidote_bp_mp_fixed, sizeof antidote_bp_mp_fixed, 0x4000 },
  };
  g_autoptr(HpIeee11073Config) extended = decode_config_apdu (antidote_bp_config_4000, sizeof antidote_bp_config_4000);

  for (gsize f = 0; f < G_N_ELEMENTS (fixtures); f++)
    {
      g_autoptr(HpIeee11073Config) standard = hp_ieee11073_config_new_standard (fixtures[f].config);
      const HpIeee11073Config *config = fixtures[f].config == 0x4000 ? extended : standard;

      /* Keep the outer lengths consistent so the inner ones must catch it. */
      for (gsize n = HP_IEEE11073_APDU_HEADER_SIZE; n < fixtures[f].len; n++)
        {
          g_autofree guint8 *cut = copy_of (fixtures[f].data, n);
          g_autoptr(GError) error = NULL;
          HpIeee11073Apdu apdu;
          gsize offset = G_MAXSIZE;
          gboolean ok;

          cut[2] = (guint8) ((n - 4) >> 8);
          cut[3] = (guint8) (n - 4);
          ok = hp_ieee11073_decode_apdu (cut, n, &apdu, &offset, &error);
          if (ok && config == NULL)
            {
              g_autoptr(HpIeee11073Config) none = hp_ieee11073_decode_config_report (&apdu.u.prst, &offset, &error);

              ok = none != NULL;
            }
          else if (ok)
            {
              HpIeee11073ScanReport report;

              ok = hp_ieee11073_decode_scan_report (&apdu.u.prst, config, &report, &offset, &error);
              hp_ieee11073_scan_report_clear (&report);
            }
          assert_false (ok);
          assert_non_null (error);
          assert_true (offset <= n);
        }
    }
}

static void
test_system_id_string (void **state G_GNUC_UNUSED)
{
  g_autofree char *id = hp_ieee11073_system_id_to_string (bp_aarq_4000_system_id, 8);
  g_autofree char *empty = hp_ieee11073_system_id_to_string (NULL, 0);

  assert_string_equal (id, "00220922580803cc");
  assert_string_equal (empty, "");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_decode_captured_bp_report),
    cmocka_unit_test (test_encode_fixed_scan_report_matches_capture),
    cmocka_unit_test (test_encode_blood_pressure_round_trip),
    cmocka_unit_test (test_association_request),
    cmocka_unit_test (test_association_response),
    cmocka_unit_test (test_event_report_response),
    cmocka_unit_test (test_release_and_abort),
    cmocka_unit_test (test_sfloat_decode),
    cmocka_unit_test (test_sfloat_encode),
    cmocka_unit_test (test_float_decode),
    cmocka_unit_test (test_absolute_time),
    cmocka_unit_test (test_every_truncation_fails_cleanly),
    cmocka_unit_test (test_length_overrun_reports_its_offset),
    cmocka_unit_test (test_inconsistent_structures),
    cmocka_unit_test (test_blood_pressure_variants),
    cmocka_unit_test (test_framing),
    cmocka_unit_test (test_system_id_string),
    cmocka_unit_test (test_config_report_extended),
    cmocka_unit_test (test_config_report_response),
    cmocka_unit_test (test_standard_configurations),
    cmocka_unit_test (test_var_report),
    cmocka_unit_test (test_scan_report_round_trip_and_specials),
    cmocka_unit_test (test_time_stamps_in_reports),
    cmocka_unit_test (test_learned_configurations_blob),
    cmocka_unit_test (test_units_and_float_encoding),
    cmocka_unit_test (test_new_fixtures_truncated),
  };

  return cmocka_run_group_tests_name ("ieee11073", tests, NULL, NULL);
}
