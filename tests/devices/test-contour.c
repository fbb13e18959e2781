/* Tests of the Contour driver against its simulator (every fault), and of its capture decoder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hp-astm.h"
#include "hp-capture.h"
#include "hp-contour-device.h"
#include "hp-contour-simulator.h"
#include "hp-driver.h"
#include "hp-glucometer-watch.h"
#include "hp-test-replay.h"

typedef struct {
  HpDevice *device;
  HpContourSimulator *agent; /* owned by the device's transport */
} Meter;

static Meter
meter_new (HpContourFault fault,
           guint          fault_step,
           const char    *unit,
           double         value)
{
  HpContourSimulation simulation = {
    .unit = unit, .value = value, .fault = fault, .fault_step = fault_step,
  };
  g_autoptr(HpSimulatorTransport) transport = hp_simulator_transport_new ();
  g_autoptr(HpContourSimulator) agent = hp_contour_simulator_new (transport, &simulation);
  Meter meter;

  hp_simulator_transport_set_agent (transport, G_OBJECT (agent));
  meter.agent = agent;
  meter.device = hp_contour_device_new ("contour-test", "Contour under test", HP_TRANSPORT (transport));
  /* Short waits: the simulator answers at once or never. */
  hp_contour_device_set_timeouts (HP_CONTOUR_DEVICE (meter.device), 300);
  return meter;
}

static void
set_visit_start_minutes_ago (HpDevice *device,
                             int       minutes)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) start = g_date_time_add_minutes (now, -minutes);

  hp_device_set_visit_start (device, start);
}

static void
test_reads_todays_test (void **state G_GNUC_UNUSED)
{
  Meter meter = meter_new (HP_CONTOUR_FAULT_NONE, 0, "mg/dL", 93);
  g_autoptr(HpDevice) device = meter.device;
  g_autoptr(HpGlucometerWatch) watch = hp_glucometer_watch_new (device);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GDateTime *device_time;

  assert_int_equal (hp_device_get_kind (device), HP_MEASUREMENT_KIND_BLOOD_GLUCOSE);
  assert_int_equal (hp_device_get_state (device), HP_DEVICE_STATE_READY);
  set_visit_start_minutes_ago (device, 10);

  assert_true (hp_glucometer_watch_measure (watch));
  assert_true (hp_glucometer_watch_got (watch, 93, "mg/dL"));
  assert_string_equal (hp_measurement_get_device_id (watch->measurement), HP_CONTOUR_SIMULATOR_DEVICE_ID);
  assert_int_equal (hp_measurement_get_flags (watch->measurement), HP_MEASUREMENT_FLAG_NONE);
  device_time = hp_measurement_get_device_time (watch->measurement);
  assert_non_null (device_time);
  /* The meter stamped it a minute ago, to the minute. */
  assert_true (llabs (g_date_time_difference (now, device_time)) < 3 * G_TIME_SPAN_MINUTE);
  assert_int_equal (g_date_time_get_second (device_time), 0);

  assert_true (hp_glucometer_watch_saw_phase (watch, HP_MEASUREMENT_PHASE_WAITING_FOR_DEVICE));
  assert_true (hp_glucometer_watch_saw_phase (watch, HP_MEASUREMENT_PHASE_RECEIVING));
  assert_int_equal (hp_device_get_phase (device), HP_MEASUREMENT_PHASE_DONE);
  assert_int_equal (hp_device_get_state (device), HP_DEVICE_STATE_READY);
  assert_int_equal (hp_contour_simulator_get_n_naks (meter.agent), 0);

  /* The same reading is never given twice. */
  assert_true (hp_glucometer_watch_measure (watch));
  assert_true (hp_glucometer_watch_failed_with (watch, HP_DEVICE_ERROR_NO_NEW_READING));
  assert_null (strstr (watch->error->message, "93"));
  assert_int_equal (hp_device_get_state (device), HP_DEVICE_STATE_READY);
}

static void
test_unit_from_the_meter (void **state G_GNUC_UNUSED)
{
  Meter meter = meter_new (HP_CONTOUR_FAULT_NONE, 0, "mmol/L", 5.4);
  g_autoptr(HpDevice) device = meter.device;
  g_autoptr(HpGlucometerWatch) watch = hp_glucometer_watch_new (device);
  double normalized;

  set_visit_start_minutes_ago (device, 10);
  assert_true (hp_glucometer_watch_measure (watch));
  assert_true (hp_glucometer_watch_got (watch, 5.4, "mmol/L"));
  assert_true (hp_measurement_get_normalized_value (watch->measurement, HP_QUANTITY_BLOOD_GLUCOSE, &normalized));
  assert_true (normalized > 97 && normalized < 98);
}

static void
test_newest_without_visit_start (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpDevice) device = hp_simulated_contour_new ("mg/dL", 141, HP_CONTOUR_FAULT_NONE);
  g_autoptr(HpGlucometerWatch) watch = hp_glucometer_watch_new (device);

  hp_contour_device_set_timeouts (HP_CONTOUR_DEVICE (device), 300);
  assert_true (hp_glucometer_watch_measure (watch));
  assert_true (hp_glucometer_watch_got (watch, 141, "mg/dL"));

  /* Without a visit start the next newest is given next: never a repeat. */
  assert_true (hp_glucometer_watch_measure (watch));
  assert_true (hp_glucometer_watch_got (watch, 131, "mg/dL"));
}

static void
test_meter_clock_drift (void **state G_GNUC_UNUSED)
{
  const gint offsets[] = { -45 * 60, 3 * 60 * 60, -26 * 60 * 60 };

  for (gsize i = 0; i < G_N_ELEMENTS (offsets); i++)
    {
      HpContourSimulation simulation = { .unit = "mg/dL", .value = 88, .clock_offset_s = offsets[i],
                                         .response_timeout_ms = 300 };
      g_autoptr(HpDevice) device = hp_simulated_contour_new_full (&simulation);
      g_autoptr(HpGlucometerWatch) watch = hp_glucometer_watch_new (device);

      /* The meter's clock is off, but its own "now" in the header tells by
       * how much: today's test still falls within the visit. */
      set_visit_start_minutes_ago (device, 10);
      assert_true (hp_glucometer_watch_measure (watch));
      assert_true (hp_glucometer_watch_got (watch, 88, "mg/dL"));
      assert_int_equal (hp_measurement_get_flags (watch->measurement), HP_MEASUREMENT_FLAG_NONE);
    }
}

static void
test_unplug (void **state G_GNUC_UNUSED)
{
  for (guint step = 0; step < 8; step += 3)
    {
      Meter meter = meter_new (HP_CONTOUR_FAULT_UNPLUG, step, "mg/dL", 93);
      g_autoptr(HpDevice) device = meter.device;
      g_autoptr(HpGlucometerWatch) watch = hp_glucometer_watch_new (device);

      set_visit_start_minutes_ago (device, 10);
      assert_true (hp_glucometer_watch_measure (watch));
      assert_true (hp_glucometer_watch_failed_with (watch, HP_DEVICE_ERROR_DISCONNECTED));
      assert_int_equal (hp_device_get_state (device), HP_DEVICE_STATE_DISCONNECTED);
      assert_int_equal (hp_device_get_phase (device), HP_MEASUREMENT_PHASE_IDLE);
    }
}

static void
test_corrupt_checksum_once_is_resent (void **state G_GNUC_UNUSED)
{
  Meter meter = meter_new (HP_CONTOUR_FAULT_CORRUPT_ONCE, 0, "mg/dL", 93);
  g_autoptr(HpDevice) device = meter.device;
  g_autoptr(HpGlucometerWatch) watch = hp_glucometer_watch_new (device);

  set_visit_start_minutes_ago (device, 10);
  assert_true (hp_glucometer_watch_measure (watch));
  assert_true (hp_glucometer_watch_got (watch, 93, "mg/dL"));
  assert_int_equal (hp_contour_simulator_get_n_naks (meter.agent), 1);
}

static void
test_corrupt_checksum_always_fails (void **state G_GNUC_UNUSED)
{
  Meter meter = meter_new (HP_CONTOUR_FAULT_CORRUPT_ALWAYS, 0, "mg/dL", 93);
  g_autoptr(HpDevice) device = meter.device;
  g_autoptr(HpGlucometerWatch) watch = hp_glucometer_watch_new (device);

  set_visit_start_minutes_ago (device, 10);
  assert_true (hp_glucometer_watch_measure (watch));
  assert_true (hp_glucometer_watch_failed_with (watch, HP_DEVICE_ERROR_PROTOCOL));
  assert_non_null (strstr (watch->error->message, "checksum"));
  /* NAK and resend up to the bound, then give up. */
  assert_int_equal (hp_contour_simulator_get_n_naks (meter.agent), HP_ASTM_MAX_RETRANSMISSIONS);
  assert_int_equal (hp_device_get_state (device), HP_DEVICE_STATE_READY);
}

static void
test_timeout (void **state G_GNUC_UNUSED)
{
  for (guint step = 0; step < 4; step += 2)
    {
      Meter meter = meter_new (HP_CONTOUR_FAULT_TIMEOUT, step, "mg/dL", 93);
      g_autoptr(HpDevice) device = meter.device;
      g_autoptr(HpGlucometerWatch) watch = hp_glucometer_watch_new (device);

      set_visit_start_minutes_ago (device, 10);
      assert_true (hp_glucometer_watch_measure (watch));
      assert_true (hp_glucometer_watch_failed_with (watch, HP_DEVICE_ERROR_TIMEOUT));
      assert_int_equal (hp_device_get_state (device), HP_DEVICE_STATE_READY);
    }
}

static void
test_bad_length (void **state G_GNUC_UNUSED)
{
  Meter meter = meter_new (HP_CONTOUR_FAULT_BAD_LENGTH, 0, "mg/dL", 93);
  g_autoptr(HpDevice) device = meter.device;
  g_autoptr(HpGlucometerWatch) watch = hp_glucometer_watch_new (device);

  set_visit_start_minutes_ago (device, 10);
  assert_true (hp_glucometer_watch_measure (watch));
  assert_true (hp_glucometer_watch_failed_with (watch, HP_DEVICE_ERROR_PROTOCOL));
  assert_non_null (strstr (watch->error->message, "length byte"));
}

static void
test_lost_clock (void **state G_GNUC_UNUSED)
{
  Meter meter = meter_new (HP_CONTOUR_FAULT_LOST_CLOCK, 0, "mg/dL", 97);
  g_autoptr(HpDevice) device = meter.device;
  g_autoptr(HpGlucometerWatch) watch = hp_glucometer_watch_new (device);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  set_visit_start_minutes_ago (device, 10);
  assert_true (hp_glucometer_watch_measure (watch));
  /* The newest test, on the kiosk's clock, flagged. */
  assert_true (hp_glucometer_watch_got (watch, 97, "mg/dL"));
  assert_null (hp_measurement_get_device_time (watch->measurement));
  assert_int_equal (hp_measurement_get_flags (watch->measurement), HP_MEASUREMENT_FLAG_DEVICE_CLOCK_INVALID);
  assert_true (llabs (g_date_time_difference (now, hp_measurement_get_kiosk_time (watch->measurement))) <
               G_TIME_SPAN_MINUTE);

  /* Without a stamp the kiosk still knows it gave that entry. */
  assert_true (hp_glucometer_watch_measure (watch));
  assert_true (hp_glucometer_watch_failed_with (watch, HP_DEVICE_ERROR_NO_NEW_READING));
}

static void
test_no_new_reading (void **state G_GNUC_UNUSED)
{
  Meter meter = meter_new (HP_CONTOUR_FAULT_NO_NEW_READING, 0, "mg/dL", 93);
  g_autoptr(HpDevice) device = meter.device;
  g_autoptr(HpGlucometerWatch) watch = hp_glucometer_watch_new (device);

  set_visit_start_minutes_ago (device, 10);
  assert_true (hp_glucometer_watch_measure (watch));
  assert_true (hp_glucometer_watch_failed_with (watch, HP_DEVICE_ERROR_NO_NEW_READING));
  assert_non_null (strstr (watch->error->message, "test again"));
  assert_int_equal (hp_device_get_state (device), HP_DEVICE_STATE_READY);
}

static void
test_control_solution_only (void **state G_GNUC_UNUSED)
{
  Meter meter = meter_new (HP_CONTOUR_FAULT_CONTROL_ONLY, 0, "mg/dL", 93);
  g_autoptr(HpDevice) device = meter.device;
  g_autoptr(HpGlucometerWatch) watch = hp_glucometer_watch_new (device);

  set_visit_start_minutes_ago (device, 10);
  assert_true (hp_glucometer_watch_measure (watch));
  assert_true (hp_glucometer_watch_failed_with (watch, HP_DEVICE_ERROR_NO_NEW_READING));
  assert_non_null (strstr (watch->error->message, "control-solution"));
}

/* ASTM E1394 also marks a control specimen by its order record's action
 * code Q; such a result is never a patient's, flag or no flag. An order
 * with any other action code leaves the results patients'. */
static void
test_control_solution_by_order (void **state G_GNUC_UNUSED)
{
  Meter meter = meter_new (HP_CONTOUR_FAULT_CONTROL_ORDER, 0, "mg/dL", 93);
  g_autoptr(HpDevice) device = meter.device;
  g_autoptr(HpGlucometerWatch) watch = hp_glucometer_watch_new (device);
  const HpAstmDelimiters delimiters = { '|', '\\', '^', '&' };

  set_visit_start_minutes_ago (device, 10);
  assert_true (hp_glucometer_watch_measure (watch));
  assert_true (hp_glucometer_watch_failed_with (watch, HP_DEVICE_ERROR_NO_NEW_READING));
  assert_non_null (strstr (watch->error->message, "control-solution"));

  assert_true (hp_astm_order_is_control ("O|1|||^^^Glucose|||||||Q", &delimiters));
  assert_false (hp_astm_order_is_control ("O|1|||^^^Glucose|||||||N", &delimiters));
  assert_false (hp_astm_order_is_control ("O|1|||^^^Glucose||||||Q|", &delimiters));
  assert_false (hp_astm_order_is_control ("O|1|||^^^Glucose", &delimiters));
  assert_false (hp_astm_order_is_control ("R|1|||^^^Glucose|||||||Q", &delimiters));
}

/* HI and LO are the most dangerous readings there are, not faults: each
 * is a reading at the meter's limit (600 and 20 mg/dL), flagged, in either
 * unit the meter shows. */
static void
test_high_and_low_are_readings (void **state G_GNUC_UNUSED)
{
  static const struct {
    HpContourFault fault;
    const char *unit;
    double limit;
    HpMeasurementFlags flag;
  } cases[] = {
    { HP_CONTOUR_FAULT_HIGH, "mg/dL", 600, HP_MEASUREMENT_FLAG_ABOVE_RANGE },
    { HP_CONTOUR_FAULT_HIGH, "mmol/L", 600, HP_MEASUREMENT_FLAG_ABOVE_RANGE },
    { HP_CONTOUR_FAULT_LOW, "mg/dL", 20, HP_MEASUREMENT_FLAG_BELOW_RANGE },
    { HP_CONTOUR_FAULT_LOW, "mmol/L", 20, HP_MEASUREMENT_FLAG_BELOW_RANGE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Meter meter = meter_new (cases[i].fault, 0, cases[i].unit, 93);
      g_autoptr(HpDevice) device = meter.device;
      g_autoptr(HpGlucometerWatch) watch = hp_glucometer_watch_new (device);
      HpMeasurementFlags flags;

      set_visit_start_minutes_ago (device, 10);
      assert_true (hp_glucometer_watch_measure (watch));
      assert_true (hp_glucometer_watch_got (watch, cases[i].limit, "mg/dL"));
      flags = hp_measurement_get_flags (watch->measurement);
      assert_true (flags & cases[i].flag);
      assert_false (flags & (HP_MEASUREMENT_FLAG_ABOVE_RANGE | HP_MEASUREMENT_FLAG_BELOW_RANGE) & ~cases[i].flag);
      assert_non_null (hp_measurement_get_device_time (watch->measurement));
    }
}

static void
test_cancel (void **state G_GNUC_UNUSED)
{
  Meter meter = meter_new (HP_CONTOUR_FAULT_TIMEOUT, 4, "mg/dL", 93);
  g_autoptr(HpDevice) device = meter.device;
  g_autoptr(HpGlucometerWatch) watch = hp_glucometer_watch_new (device);
  g_autoptr(GError) error = NULL;

  hp_contour_device_set_timeouts (HP_CONTOUR_DEVICE (device), 5000);
  assert_true (hp_device_start_measurement (device, &error));
  for (guint i = 0; i < 50 && hp_device_get_phase (device) != HP_MEASUREMENT_PHASE_RECEIVING; i++)
    g_main_context_iteration (NULL, TRUE);
  assert_int_equal (hp_device_get_phase (device), HP_MEASUREMENT_PHASE_RECEIVING);
  hp_device_cancel_measurement (device);
  assert_true (hp_glucometer_watch_failed_with (watch, HP_DEVICE_ERROR_CANCELLED));
  assert_int_equal (hp_device_get_state (device), HP_DEVICE_STATE_READY);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  assert_int_equal (watch->n_ready + watch->n_failed, 1);
}

static void
test_decode_sample_capture (void **state G_GNUC_UNUSED)
{
  const HpDriver *driver = hp_driver_registry_find_protocol ("contour");
  g_autofree char *text = hp_test_read_capture ("contour.hex");
  g_autoptr(GError) error = NULL;
  g_autoptr(HpMeasurement) m = NULL;
  double value;
  const char *unit;

  /* The driver takes the newest patient result, the last R record. */
  assert_true (driver == &hp_contour_driver);
  m = hp_test_replay_text (driver, NULL, text, NULL, &error);
  assert_null (error);
  assert_non_null (m);
  assert_true (hp_measurement_get_value (m, HP_QUANTITY_BLOOD_GLUCOSE, &value, &unit));
  assert_true (value == 93);
  assert_string_equal (unit, "mg/dL");
  assert_string_equal (hp_measurement_get_device_id (m), HP_CONTOUR_SIMULATOR_DEVICE_ID);
  assert_non_null (hp_measurement_get_device_time (m));
}

/* The sample with the first "<" line that matches @needle changed by @edit. */
static void
assert_broken_sample_fails (const char *needle,
                            void      (*edit) (char *line),
                            const char *expected)
{
  g_autofree char *text = hp_test_read_capture ("contour.hex");
  g_autoptr(GError) error = NULL;
  char *line = strstr (text, needle);

  assert_non_null (line);
  edit (line);
  assert_null (hp_test_replay_text (&hp_contour_driver, NULL, text, NULL, &error));
  assert_true (g_error_matches (error, HP_CAPTURE_ERROR, HP_CAPTURE_ERROR_DECODE));
  g_printerr ("# %s\n", error->message);
  assert_non_null (strstr (error->message, expected));
}

static void
flip_checksum_digit (char *line)
{
  /* "... 0d 17 37 42 0d 0a": the first checksum digit, '7' (0x37) → '8'. */
  char *digit = strstr (line, " 0d 17 37 42 0d 0a");

  assert_non_null (digit);
  digit[8] = '8';
}

static void
claim_long_payload (char *line)
{
  /* "< 41 42 43 0e": length byte 0x0e → 0x7e. */
  line[11] = '7';
}

static void
test_decode_broken_captures (void **state G_GNUC_UNUSED)
{
  g_autofree char *text = hp_test_read_capture ("contour.hex");
  g_autofree char *checksum_line = NULL;
  g_autofree char *length_line = NULL;
  guint line_number = 1;

  /* Which lines are about to be broken, for the expected messages. */
  for (const char *c = text; c < strstr (text, " 0d 17 37 42 0d 0a"); c++)
    line_number += *c == '\n';
  checksum_line = g_strdup_printf ("line %u", line_number);
  assert_broken_sample_fails ("< 41 42 43 38 02 36", flip_checksum_digit, checksum_line);

  line_number = 1;
  for (const char *c = text; c < strstr (text, "< 41 42 43 0e"); c++)
    line_number += *c == '\n';
  length_line = g_strdup_printf ("line %u", line_number);
  assert_broken_sample_fails ("< 41 42 43 0e", claim_long_payload, length_line);
}

static void
test_registry (void **state G_GNUC_UNUSED)
{
  const guint16 products[] = { 0x6002, 0x7410, 0x7350, 0x7800, 0x6200, 0x6210, 0x6300 };
  const HpUsbMatch *match = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (products); i++)
    {
      assert_true (hp_driver_registry_match (0x1a79, products[i], 0x03, 0, &match) == &hp_contour_driver);
      assert_int_equal (match->product_id, products[i]);
      assert_non_null (match->model);
    }
  assert_null (hp_driver_registry_match (0x1a79, 0x1234, 0, 0, NULL));
  assert_int_equal (hp_contour_driver.transport_kind, HP_TRANSPORT_KIND_HID_REPORTS);
}

/* Every log line of a reading, debug ones included, while capturing. */
static GString *captured_log;

static GLogWriterOutput
capture_log (GLogLevelFlags   level,
             const GLogField *fields,
             gsize            n_fields,
             gpointer         user_data G_GNUC_UNUSED)
{
  const char *domain = "(none)";

  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "GLIB_DOMAIN") && fields[i].value != NULL)
      domain = fields[i].value;
  /* Each line: the domain, a space, the message. */
  if (captured_log != NULL)
    for (gsize i = 0; i < n_fields; i++)
      if (g_str_equal (fields[i].key, "MESSAGE"))
        {
          g_string_append_printf (captured_log, "%s ", domain);
          g_string_append_len (captured_log, fields[i].value, fields[i].length);
          g_string_append_c (captured_log, '\n');
        }
  if (level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO))
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

/* A meter's serial is an identifier: sealed in the database, it never
 * reaches the log, even at debug level. The driver logs under its folder's
 * domain. */
static void
test_no_serial_in_logs (void **state G_GNUC_UNUSED)
{
  Meter meter = meter_new (HP_CONTOUR_FAULT_NONE, 0, "mg/dL", 93);
  g_autoptr(HpDevice) device = meter.device;
  g_autoptr(HpGlucometerWatch) watch = hp_glucometer_watch_new (device);
  g_autoptr(GString) log = g_string_new (NULL);

  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  captured_log = log;
  set_visit_start_minutes_ago (device, 10);
  assert_true (hp_glucometer_watch_measure (watch));
  captured_log = NULL;
  g_unsetenv ("G_MESSAGES_DEBUG");
  assert_true (hp_glucometer_watch_got (watch, 93, "mg/dL"));
  /* The log did hear from the driver, under the devices' domain, and
   * nothing of ours logged without one. */
  assert_non_null (strstr (log->str, "Contour"));
  assert_true (g_str_has_prefix (log->str, "Healthpost-Devices ") || strstr (log->str, "\nHealthpost-Devices ") != NULL);
  if (g_str_has_prefix (log->str, "(none) ") || strstr (log->str, "\n(none) ") != NULL)
    fail_msg ("a message without a log domain:\n%s", log->str);
  if (strstr (log->str, HP_CONTOUR_SIMULATOR_SERIAL) != NULL)
    fail_msg ("the meter's serial is in the log:\n%s", log->str);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_reads_todays_test),
    cmocka_unit_test (test_unit_from_the_meter),
    cmocka_unit_test (test_newest_without_visit_start),
    cmocka_unit_test (test_meter_clock_drift),
    cmocka_unit_test (test_unplug),
    cmocka_unit_test (test_corrupt_checksum_once_is_resent),
    cmocka_unit_test (test_corrupt_checksum_always_fails),
    cmocka_unit_test (test_timeout),
    cmocka_unit_test (test_bad_length),
    cmocka_unit_test (test_lost_clock),
    cmocka_unit_test (test_no_new_reading),
    cmocka_unit_test (test_control_solution_only),
    cmocka_unit_test (test_control_solution_by_order),
    cmocka_unit_test (test_high_and_low_are_readings),
    cmocka_unit_test (test_cancel),
    cmocka_unit_test (test_decode_sample_capture),
    cmocka_unit_test (test_decode_broken_captures),
    cmocka_unit_test (test_registry),
    cmocka_unit_test (test_no_serial_in_logs),
  };

  g_log_set_writer_func (capture_log, NULL, NULL);
  return cmocka_run_group_tests (tests, NULL, NULL);
}
