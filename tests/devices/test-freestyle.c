/* Tests of the FreeStyle driver against its simulator (every fault), and of its capture decoder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hp-capture.h"
#include "hp-driver.h"
#include "hp-freestyle-device.h"
#include "hp-freestyle-simulator.h"
#include "hp-glucometer-watch.h"
#include "hp-test-replay.h"

typedef struct {
  HpDevice *device;
  HpFreestyleSimulator *agent; /* owned by the device's transport */
} Meter;

static Meter
meter_new (HpFreestyleFault fault,
           guint            fault_step,
           guint            value)
{
  HpFreestyleSimulation simulation = { .value = value, .fault = fault, .fault_step = fault_step };
  g_autoptr(HpSimulatorTransport) transport = hp_simulator_transport_new ();
  g_autoptr(HpFreestyleSimulator) agent = hp_freestyle_simulator_new (transport, &simulation);
  Meter meter;

  hp_simulator_transport_set_agent (transport, G_OBJECT (agent));
  meter.agent = agent;
  meter.device = hp_freestyle_device_new ("freestyle-test", "FreeStyle under test", HP_FREESTYLE_LAYOUT_NEO,
                                          HP_TRANSPORT (transport));
  hp_freestyle_device_set_timeouts (HP_FREESTYLE_DEVICE (meter.device), 300);
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
  Meter meter = meter_new (HP_FREESTYLE_FAULT_NONE, 0, 112);
  g_autoptr(HpDevice) device = meter.device;
  g_autoptr(HpGlucometerWatch) watch = hp_glucometer_watch_new (device);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GDateTime *device_time;

  assert_int_equal (hp_device_get_kind (device), HP_MEASUREMENT_KIND_BLOOD_GLUCOSE);
  set_visit_start_minutes_ago (device, 10);
  assert_true (hp_glucometer_watch_measure (watch));
  assert_true (hp_glucometer_watch_got (watch, 112, "mg/dL"));
  assert_string_equal (hp_measurement_get_device_id (watch->measurement), HP_FREESTYLE_SIMULATOR_DEVICE_ID);
  assert_int_equal (hp_measurement_get_flags (watch->measurement), HP_MEASUREMENT_FLAG_NONE);
  device_time = hp_measurement_get_device_time (watch->measurement);
  assert_non_null (device_time);
  assert_true (llabs (g_date_time_difference (now, device_time)) < 3 * G_TIME_SPAN_MINUTE);
  assert_true (hp_glucometer_watch_saw_phase (watch, HP_MEASUREMENT_PHASE_WAITING_FOR_DEVICE));
  assert_true (hp_glucometer_watch_saw_phase (watch, HP_MEASUREMENT_PHASE_RECEIVING));
  assert_int_equal (hp_device_get_phase (device), HP_MEASUREMENT_PHASE_DONE);
  assert_int_equal (hp_device_get_state (device), HP_DEVICE_STATE_READY);
  /* $serlnum?, $date?, $time?, $result? */
  assert_int_equal (hp_freestyle_simulator_get_n_commands (meter.agent), 4);

  assert_true (hp_glucometer_watch_measure (watch));
  assert_true (hp_glucometer_watch_failed_with (watch, HP_DEVICE_ERROR_NO_NEW_READING));
  assert_null (strstr (watch->error->message, "112"));
}

static void
test_newest_without_visit_start_and_drift (void **state G_GNUC_UNUSED)
{
  HpFreestyleSimulation simulation = { .value = 150, .clock_offset_s = -2 * 60 * 60, .response_timeout_ms = 300 };
  g_autoptr(HpDevice) device = hp_simulated_freestyle_new_full (&simulation);
  g_autoptr(HpDevice) drifting = hp_simulated_freestyle_new_full (&simulation);
  g_autoptr(HpGlucometerWatch) watch = hp_glucometer_watch_new (device);
  g_autoptr(HpGlucometerWatch) drift_watch = hp_glucometer_watch_new (drifting);

  assert_true (hp_glucometer_watch_measure (watch));
  assert_true (hp_glucometer_watch_got (watch, 150, "mg/dL"));
  assert_true (hp_glucometer_watch_measure (watch));
  assert_true (hp_glucometer_watch_got (watch, 131, "mg/dL"));

  /* Two hours behind, yet the meter's "$date?"/"$time?" tell by how much. */
  set_visit_start_minutes_ago (drifting, 10);
  assert_true (hp_glucometer_watch_measure (drift_watch));
  assert_true (hp_glucometer_watch_got (drift_watch, 150, "mg/dL"));
}

static void
test_unplug (void **state G_GNUC_UNUSED)
{
  for (guint step = 0; step < 5; step += 2)
    {
      Meter meter = meter_new (HP_FREESTYLE_FAULT_UNPLUG, step, 112);
      g_autoptr(HpDevice) device = meter.device;
      g_autoptr(HpGlucometerWatch) watch = hp_glucometer_watch_new (device);

      assert_true (hp_glucometer_watch_measure (watch));
      assert_true (hp_glucometer_watch_failed_with (watch, HP_DEVICE_ERROR_DISCONNECTED));
      assert_int_equal (hp_device_get_state (device), HP_DEVICE_STATE_DISCONNECTED);
    }
}

static void
test_corrupt_checksum (void **state G_GNUC_UNUSED)
{
  Meter once = meter_new (HP_FREESTYLE_FAULT_CORRUPT_ONCE, 0, 112);
  Meter always = meter_new (HP_FREESTYLE_FAULT_CORRUPT_ALWAYS, 0, 112);
  g_autoptr(HpDevice) once_device = once.device;
  g_autoptr(HpDevice) always_device = always.device;
  g_autoptr(HpGlucometerWatch) once_watch = hp_glucometer_watch_new (once_device);
  g_autoptr(HpGlucometerWatch) always_watch = hp_glucometer_watch_new (always_device);

  /* Asked again once, the reply is right. */
  assert_true (hp_glucometer_watch_measure (once_watch));
  assert_true (hp_glucometer_watch_got (once_watch, 112, "mg/dL"));
  assert_int_equal (hp_freestyle_simulator_get_n_commands (once.agent), 5);

  /* Asked again up to the bound, then a failure. */
  assert_true (hp_glucometer_watch_measure (always_watch));
  assert_true (hp_glucometer_watch_failed_with (always_watch, HP_DEVICE_ERROR_PROTOCOL));
  assert_non_null (strstr (always_watch->error->message, "CKSM"));
  assert_int_equal (hp_freestyle_simulator_get_n_commands (always.agent), 4 + HP_FREESTYLE_MAX_RETRIES);
}

static void
test_timeout_and_bad_length (void **state G_GNUC_UNUSED)
{
  Meter silent = meter_new (HP_FREESTYLE_FAULT_TIMEOUT, 3, 112);
  Meter garbled = meter_new (HP_FREESTYLE_FAULT_BAD_LENGTH, 0, 112);
  Meter unknown = meter_new (HP_FREESTYLE_FAULT_UNKNOWN_COMMAND, 0, 112);
  g_autoptr(HpDevice) silent_device = silent.device;
  g_autoptr(HpDevice) garbled_device = garbled.device;
  g_autoptr(HpDevice) unknown_device = unknown.device;
  g_autoptr(HpGlucometerWatch) watch = hp_glucometer_watch_new (silent_device);
  g_autoptr(HpGlucometerWatch) garbled_watch = hp_glucometer_watch_new (garbled_device);
  g_autoptr(HpGlucometerWatch) unknown_watch = hp_glucometer_watch_new (unknown_device);

  assert_true (hp_glucometer_watch_measure (watch));
  assert_true (hp_glucometer_watch_failed_with (watch, HP_DEVICE_ERROR_TIMEOUT));
  assert_non_null (strstr (watch->error->message, "$time?"));
  assert_int_equal (hp_device_get_state (silent_device), HP_DEVICE_STATE_READY);

  assert_true (hp_glucometer_watch_measure (garbled_watch));
  assert_true (hp_glucometer_watch_failed_with (garbled_watch, HP_DEVICE_ERROR_PROTOCOL));
  assert_non_null (strstr (garbled_watch->error->message, "length"));

  assert_true (hp_glucometer_watch_measure (unknown_watch));
  assert_true (hp_glucometer_watch_failed_with (unknown_watch, HP_DEVICE_ERROR_UNSUPPORTED));
}

static void
test_lost_clock (void **state G_GNUC_UNUSED)
{
  Meter meter = meter_new (HP_FREESTYLE_FAULT_LOST_CLOCK, 0, 99);
  g_autoptr(HpDevice) device = meter.device;
  g_autoptr(HpGlucometerWatch) watch = hp_glucometer_watch_new (device);

  set_visit_start_minutes_ago (device, 10);
  assert_true (hp_glucometer_watch_measure (watch));
  assert_true (hp_glucometer_watch_got (watch, 99, "mg/dL"));
  assert_null (hp_measurement_get_device_time (watch->measurement));
  assert_int_equal (hp_measurement_get_flags (watch->measurement), HP_MEASUREMENT_FLAG_DEVICE_CLOCK_INVALID);

  assert_true (hp_glucometer_watch_measure (watch));
  assert_true (hp_glucometer_watch_failed_with (watch, HP_DEVICE_ERROR_NO_NEW_READING));
}

static void
test_no_new_control_high (void **state G_GNUC_UNUSED)
{
  const struct {
    HpFreestyleFault fault;
    HpDeviceError code;
    const char *words;
  } cases[] = {
    { HP_FREESTYLE_FAULT_NO_NEW_READING, HP_DEVICE_ERROR_NO_NEW_READING, "test again" },
    { HP_FREESTYLE_FAULT_CONTROL_ONLY, HP_DEVICE_ERROR_NO_NEW_READING, "control-solution" },
  };
  static const struct {
    HpFreestyleFault fault;
    double limit;
    HpMeasurementFlags flag;
  } out_of_range[] = {
    { HP_FREESTYLE_FAULT_HIGH, 500, HP_MEASUREMENT_FLAG_ABOVE_RANGE },
    { HP_FREESTYLE_FAULT_LOW, 20, HP_MEASUREMENT_FLAG_BELOW_RANGE },
  };

  /* HI and LO are readings at the meter's limits (500 and 20 mg/dL),
   * flagged: the most dangerous there are, never a fault. */
  for (gsize i = 0; i < G_N_ELEMENTS (out_of_range); i++)
    {
      Meter meter = meter_new (out_of_range[i].fault, 0, 112);
      g_autoptr(HpDevice) device = meter.device;
      g_autoptr(HpGlucometerWatch) watch = hp_glucometer_watch_new (device);

      set_visit_start_minutes_ago (device, 10);
      assert_true (hp_glucometer_watch_measure (watch));
      assert_true (hp_glucometer_watch_got (watch, out_of_range[i].limit, "mg/dL"));
      assert_int_equal (hp_measurement_get_flags (watch->measurement) &
                        (HP_MEASUREMENT_FLAG_ABOVE_RANGE | HP_MEASUREMENT_FLAG_BELOW_RANGE),
                        out_of_range[i].flag);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Meter meter = meter_new (cases[i].fault, 0, 112);
      g_autoptr(HpDevice) device = meter.device;
      g_autoptr(HpGlucometerWatch) watch = hp_glucometer_watch_new (device);

      set_visit_start_minutes_ago (device, 10);
      assert_true (hp_glucometer_watch_measure (watch));
      assert_true (hp_glucometer_watch_failed_with (watch, cases[i].code));
      assert_non_null (strstr (watch->error->message, cases[i].words));
      assert_int_equal (hp_device_get_state (device), HP_DEVICE_STATE_READY);
    }
}

static HpMeasurement *
decode (const char  *text,
        GError     **error)
{
  return hp_test_replay_text (&hp_freestyle_driver, NULL, text, NULL, error);
}

static void
test_decode_sample_capture (void **state G_GNUC_UNUSED)
{
  g_autofree char *text = hp_test_read_capture ("freestyle.hex");
  g_autoptr(GError) error = NULL;
  g_autoptr(HpMeasurement) m = NULL;
  const HpDriver *driver = hp_driver_registry_find_protocol ("freestyle");
  double value;
  const char *unit;

  /* The driver takes the newest record of $result?, as from a meter. */
  assert_true (driver == &hp_freestyle_driver);
  m = decode (text, &error);
  assert_null (error);
  assert_non_null (m);
  assert_true (hp_measurement_get_value (m, HP_QUANTITY_BLOOD_GLUCOSE, &value, &unit));
  assert_true (value == 112);
  assert_string_equal (unit, "mg/dL");
  assert_string_equal (hp_measurement_get_device_id (m), HP_FREESTYLE_SIMULATOR_DEVICE_ID);
  assert_non_null (hp_measurement_get_device_time (m));
}

static void
test_decode_broken_captures (void **state G_GNUC_UNUSED)
{
  g_autofree char *text = hp_test_read_capture ("freestyle.hex");
  g_autofree char *bad_length = g_strdup (text);
  g_autofree char *bad_sum = g_strdup (text);
  g_autoptr(GError) error = NULL;
  char *line;

  /* "< 71 01 01" claiming 0x71 bytes. */
  line = strstr (bad_length, "< 71 01 01");
  assert_non_null (line);
  line[5] = '7';
  assert_null (decode (bad_length, &error));
  assert_true (g_error_matches (error, HP_CAPTURE_ERROR, HP_CAPTURE_ERROR_DECODE));
  assert_non_null (strstr (error->message, "line 5: "));
  g_clear_error (&error);

  /* One digit of the serial-number reply changed: its CKSM no longer holds. */
  line = strstr (bad_sum, "< 60 26 48 50");
  assert_non_null (line);
  line[12] = '1';
  assert_null (decode (bad_sum, &error));
  assert_true (g_error_matches (error, HP_CAPTURE_ERROR, HP_CAPTURE_ERROR_DECODE));
  /* The driver asks again, as it would a meter; the capture holds no
   * second answer. */
  assert_non_null (strstr (error->message, "the driver sent 60 0b 24 73 65 72 6c 6e 75 6d 3f 0d 0a after line 7;"));
}

static void
test_registry (void **state G_GNUC_UNUSED)
{
  const guint16 products[] = { 0x3460, 0x3450, 0x3650, 0x3850 };
  const HpUsbMatch *match = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (products); i++)
    {
      assert_true (hp_driver_registry_match (0x1a61, products[i], 0x03, 0, &match) == &hp_freestyle_driver);
      assert_int_equal (match->product_id, products[i]);
    }
  assert_null (hp_driver_registry_match (0x1a61, 0x0001, 0, 0, NULL));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_reads_todays_test),
    cmocka_unit_test (test_newest_without_visit_start_and_drift),
    cmocka_unit_test (test_unplug),
    cmocka_unit_test (test_corrupt_checksum),
    cmocka_unit_test (test_timeout_and_bad_length),
    cmocka_unit_test (test_lost_clock),
    cmocka_unit_test (test_no_new_control_high),
    cmocka_unit_test (test_decode_sample_capture),
    cmocka_unit_test (test_decode_broken_captures),
    cmocka_unit_test (test_registry),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
