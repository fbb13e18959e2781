/* Tests of the HID scale codec, the scale driver against its simulator, and the scale's capture decoding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>

#include "hp-device-watch.h"
#include "hp-capture.h"
#include "hp-device-private.h"
#include "hp-hid-scale-codec.h"
#include "hp-hid-scale-device.h"
#include "hp-hid-scale-simulator.h"
#include "hp-test-replay.h"

#define INTERVAL_MS 5

/* ---- codec ---- */

static void
test_decode (void **state G_GNUC_UNUSED)
{
  /* Stable, kilograms, exponent −1, 0x02d4 = 724: 72.4 kg. */
  static const guint8 stable[] = { 0x03, 0x04, 0x03, 0xff, 0xd4, 0x02 };
  /* Stable, pounds, exponent −1, 1596: 159.6 lb. */
  static const guint8 pounds[] = { 0x03, 0x04, 0x0c, 0xff, 0x3c, 0x06 };
  /* Stable, ounces, exponent 0, 2560 oz. */
  static const guint8 ounces[] = { 0x03, 0x04, 0x0b, 0x00, 0x00, 0x0a };
  /* Stable, grams, exponent +1, 7240: 72 400 g. */
  static const guint8 grams[] = { 0x03, 0x04, 0x02, 0x01, 0x48, 0x1c };
  HpHidScaleReport report;
  const char *unit;
  double value;

  assert_true (hp_hid_scale_decode_report (stable, sizeof stable, &report, NULL, NULL));
  assert_int_equal (report.status, HP_HID_SCALE_STATUS_STABLE);
  assert_int_equal (report.unit, HP_HID_SCALE_UNIT_KILOGRAM);
  assert_int_equal (report.exponent, -1);
  assert_int_equal (report.raw, 724);
  assert_true (hp_hid_scale_report_weight (&report, &value, &unit, NULL));
  assert_true (value == 72.4);
  assert_string_equal (unit, "kg");

  assert_true (hp_hid_scale_decode_report (pounds, sizeof pounds, &report, NULL, NULL));
  assert_true (hp_hid_scale_report_weight (&report, &value, &unit, NULL));
  assert_true (value == 159.6);
  assert_string_equal (unit, "[lb_av]");

  assert_true (hp_hid_scale_decode_report (ounces, sizeof ounces, &report, NULL, NULL));
  assert_true (hp_hid_scale_report_weight (&report, &value, &unit, NULL));
  assert_true (fabs (value - 2560 * 28.349523125) < 1e-6);
  assert_string_equal (unit, "g");

  assert_true (hp_hid_scale_decode_report (grams, sizeof grams, &report, NULL, NULL));
  assert_true (hp_hid_scale_report_weight (&report, &value, &unit, NULL));
  assert_true (value == 72400);
  assert_string_equal (unit, "g");
}

static void
test_encode_roundtrip (void **state G_GNUC_UNUSED)
{
  for (guint status = HP_HID_SCALE_STATUS_FAULT; status <= HP_HID_SCALE_STATUS_NEEDS_REZERO; status++)
    {
      HpHidScaleReport report = { .status = status, .unit = HP_HID_SCALE_UNIT_POUND, .exponent = -2, .raw = 0xBEEF };
      HpHidScaleReport back;
      guint8 bytes[HP_HID_SCALE_REPORT_SIZE];

      hp_hid_scale_encode_report (&report, bytes);
      assert_int_equal (bytes[0], HP_HID_SCALE_REPORT_ID);
      assert_int_equal (bytes[1], status);
      assert_int_equal (bytes[4], 0xEF);
      assert_int_equal (bytes[5], 0xBE);
      assert_true (hp_hid_scale_decode_report (bytes, sizeof bytes, &back, NULL, NULL));
      assert_memory_equal (&back, &report, sizeof report);
    }
}

static void
test_decode_errors (void **state G_GNUC_UNUSED)
{
  static const guint8 short_report[] = { 0x03, 0x04, 0x03, 0xff, 0xd4 };
  static const guint8 long_report[] = { 0x03, 0x04, 0x03, 0xff, 0xd4, 0x02, 0x00 };
  static const guint8 other_id[] = { 0x04, 0x04, 0x03, 0xff, 0xd4, 0x02 };
  static const guint8 bad_status[] = { 0x03, 0x09, 0x03, 0xff, 0xd4, 0x02 };
  static const guint8 bad_unit[] = { 0x03, 0x04, 0x0d, 0xff, 0xd4, 0x02 };
  static const guint8 carats[] = { 0x03, 0x04, 0x04, 0x00, 0x10, 0x00 };
  g_autoptr(GError) error = NULL;
  HpHidScaleReport report;
  const char *unit;
  double value;
  gsize offset = 99;

  assert_false (hp_hid_scale_decode_report (short_report, sizeof short_report, &report, &offset, &error));
  assert_true (g_error_matches (error, HP_HID_SCALE_ERROR, HP_HID_SCALE_ERROR_LENGTH));
  assert_int_equal (offset, 5);
  g_clear_error (&error);
  assert_false (hp_hid_scale_decode_report (long_report, sizeof long_report, &report, &offset, &error));
  assert_true (g_error_matches (error, HP_HID_SCALE_ERROR, HP_HID_SCALE_ERROR_LENGTH));
  g_clear_error (&error);
  assert_false (hp_hid_scale_decode_report (other_id, sizeof other_id, &report, &offset, &error));
  assert_int_equal (offset, 0);
  g_clear_error (&error);
  assert_false (hp_hid_scale_decode_report (bad_status, sizeof bad_status, &report, &offset, &error));
  assert_true (g_error_matches (error, HP_HID_SCALE_ERROR, HP_HID_SCALE_ERROR_FORMAT));
  assert_int_equal (offset, 1);
  g_clear_error (&error);
  assert_false (hp_hid_scale_decode_report (bad_unit, sizeof bad_unit, &report, &offset, &error));
  assert_int_equal (offset, 2);
  g_clear_error (&error);
  assert_false (hp_hid_scale_decode_report (NULL, 0, &report, &offset, &error));
  assert_non_null (error);
  g_clear_error (&error);

  /* Decodes, but no body scale weighs in carats. */
  assert_true (hp_hid_scale_decode_report (carats, sizeof carats, &report, NULL, NULL));
  assert_false (hp_hid_scale_report_weight (&report, &value, &unit, &error));
  assert_true (g_error_matches (error, HP_HID_SCALE_ERROR, HP_HID_SCALE_ERROR_UNIT));
}

/* ---- driver ---- */

static void
measure (HpDeviceWatch *watch)
{
  g_autoptr(GError) error = NULL;

  hp_device_watch_reset (watch);
  assert_true (hp_device_start_measurement (watch->device, &error));
  assert_true (hp_device_watch_wait_for_result (watch));
  hp_device_watch_drain (watch);
}

static HpDevice *
new_scale (double         weight,
           HpHidScaleUnit unit,
           gint8          exponent,
           HpScaleFault   fault)
{
  HpScaleSimulation simulation = {
    .weight = weight,
    .unit = unit,
    .exponent = exponent,
    .stale_weight = weight + 20,
    .interval_ms = INTERVAL_MS,
    .allowance_ms = 2000,
    .fault = fault,
  };

  return hp_simulated_scale_new_full (&simulation);
}

static void
assert_weight (HpDeviceWatch *watch,
               double      expected,
               const char *expected_unit)
{
  double value;
  const char *unit;

  assert_int_equal (watch->n_failed, 0);
  assert_int_equal (watch->n_ready, 1);
  assert_int_equal (hp_measurement_get_kind (watch->measurement), HP_MEASUREMENT_KIND_BODY_WEIGHT);
  assert_true (hp_measurement_get_value (watch->measurement, HP_QUANTITY_BODY_WEIGHT, &value, &unit));
  assert_true (fabs (value - expected) < 1e-9);
  assert_string_equal (unit, expected_unit);
  assert_null (hp_measurement_get_device_time (watch->measurement));
  assert_int_equal (hp_device_get_state (watch->device), HP_DEVICE_STATE_READY);
}

static void
assert_error (HpDeviceWatch *watch,
              HpDeviceError  code,
              const char    *words)
{
  assert_int_equal (watch->n_ready, 0);
  assert_int_equal (watch->n_failed, 1);
  assert_true (g_error_matches (watch->error, HP_DEVICE_ERROR, code));
  if (words != NULL)
    assert_non_null (strstr (watch->error->message, words));
}

static void
test_happy_path (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpDevice) scale = hp_simulated_scale_new (72.4, HP_SCALE_FAULT_NONE);
  g_autoptr(HpDeviceWatch) watch = hp_device_watch_new (scale);
  static const HpMeasurementPhase expected_phases[] = {
    HP_MEASUREMENT_PHASE_WAITING_FOR_DEVICE, /* opened; then stable at zero keeps it */
    HP_MEASUREMENT_PHASE_STAND_STILL,        /* in motion */
    HP_MEASUREMENT_PHASE_MEASURING,          /* stable once */
    HP_MEASUREMENT_PHASE_DONE,               /* stable twice */
  };

  measure (watch);
  /* Not the stale first report's 83.7 kg: the patient's weight. */
  assert_weight (watch, 72.4, "kg");
  assert_int_equal (watch->phases->len, G_N_ELEMENTS (expected_phases));
  assert_memory_equal (watch->phases->data, expected_phases, sizeof expected_phases);
  assert_true (g_str_has_prefix (hp_measurement_get_device_id (watch->measurement), "hid-scale:SIM"));

  /* A scale has no history: the next patient's weight is a new reading. */
  measure (watch);
  assert_weight (watch, 72.4, "kg");
}

static void
test_units (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpDevice) pounds = new_scale (159.6, HP_HID_SCALE_UNIT_POUND, -1, HP_SCALE_FAULT_NONE);
  g_autoptr(HpDevice) grams = new_scale (72400, HP_HID_SCALE_UNIT_GRAM, 1, HP_SCALE_FAULT_NONE);
  g_autoptr(HpDevice) ounces = new_scale (2560, HP_HID_SCALE_UNIT_OUNCE, 0, HP_SCALE_FAULT_NONE);
  g_autoptr(HpDeviceWatch) pounds_watch = hp_device_watch_new (pounds);
  g_autoptr(HpDeviceWatch) grams_watch = hp_device_watch_new (grams);
  g_autoptr(HpDeviceWatch) ounces_watch = hp_device_watch_new (ounces);

  measure (pounds_watch);
  assert_weight (pounds_watch, 159.6, "[lb_av]");
  measure (grams_watch);
  assert_weight (grams_watch, 72400, "g");
  measure (ounces_watch);
  assert_weight (ounces_watch, 2560 * 28.349523125, "g");
}

static void
test_status_faults (void **state G_GNUC_UNUSED)
{
  static const struct {
    HpScaleFault fault;
    HpDeviceError code;
    const char *words;
  } cases[] = {
    { HP_SCALE_FAULT_OVERWEIGHT, HP_DEVICE_ERROR_IMPLAUSIBLE, "above the scale's capacity" },
    { HP_SCALE_FAULT_UNDER_ZERO, HP_DEVICE_ERROR_IMPLAUSIBLE, "below zero" },
    { HP_SCALE_FAULT_NEEDS_CALIBRATION, HP_DEVICE_ERROR_PROTOCOL, "calibration" },
    { HP_SCALE_FAULT_NEEDS_REZERO, HP_DEVICE_ERROR_PROTOCOL, "re-zeroed" },
    { HP_SCALE_FAULT_FAULT, HP_DEVICE_ERROR_PROTOCOL, "fault" },
    { HP_SCALE_FAULT_BAD_LENGTH, HP_DEVICE_ERROR_PROTOCOL, "byte 5" },
    { HP_SCALE_FAULT_TIMEOUT, HP_DEVICE_ERROR_TIMEOUT, "Nobody stepped on" },
    { HP_SCALE_FAULT_NEVER_STILL, HP_DEVICE_ERROR_TIMEOUT, "did not settle" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      HpScaleSimulation simulation = {
        .weight = 72.4, .unit = HP_HID_SCALE_UNIT_KILOGRAM, .exponent = -1, .stale_weight = 60,
        .interval_ms = INTERVAL_MS, .allowance_ms = 300, .fault = cases[i].fault,
      };
      g_autoptr(HpDevice) scale = hp_simulated_scale_new_full (&simulation);
      g_autoptr(HpDeviceWatch) watch = hp_device_watch_new (scale);

      measure (watch);
      assert_error (watch, cases[i].code, cases[i].words);
      /* Staff messages carry no weight. */
      assert_null (strstr (watch->error->message, "72"));
      assert_int_equal (hp_device_get_state (scale), HP_DEVICE_STATE_READY);
    }
}

static void
test_stand_still_reported (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpDevice) scale = new_scale (72.4, HP_HID_SCALE_UNIT_KILOGRAM, -1, HP_SCALE_FAULT_NEVER_STILL);
  g_autoptr(HpDeviceWatch) watch = hp_device_watch_new (scale);
  gboolean stand_still = FALSE;

  measure (watch);
  for (guint i = 0; i < watch->phases->len; i++)
    stand_still |= g_array_index (watch->phases, HpMeasurementPhase, i) == HP_MEASUREMENT_PHASE_STAND_STILL;
  assert_true (stand_still);
  assert_error (watch, HP_DEVICE_ERROR_TIMEOUT, NULL);
}

static void
test_unplug (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpDevice) scale = new_scale (72.4, HP_HID_SCALE_UNIT_KILOGRAM, -1, HP_SCALE_FAULT_UNPLUG);
  g_autoptr(HpDeviceWatch) watch = hp_device_watch_new (scale);

  measure (watch);
  assert_error (watch, HP_DEVICE_ERROR_DISCONNECTED, NULL);
  assert_int_equal (hp_device_get_state (scale), HP_DEVICE_STATE_DISCONNECTED);
}

static void
test_implausible_weight (void **state G_GNUC_UNUSED)
{
  /* A bag left on the scale: stable, but no patient weighs 0.8 kg. */
  g_autoptr(HpDevice) scale = new_scale (0.8, HP_HID_SCALE_UNIT_KILOGRAM, -1, HP_SCALE_FAULT_NONE);
  g_autoptr(HpDeviceWatch) watch = hp_device_watch_new (scale);

  measure (watch);
  assert_error (watch, HP_DEVICE_ERROR_IMPLAUSIBLE, NULL);
}

/* ---- captures ---- */

static void
test_capture (void **state G_GNUC_UNUSED)
{
  g_autofree char *text = hp_test_read_capture ("hid-scale.hex");
  g_autoptr(GError) error = NULL;
  g_autoptr(HpMeasurement) m = hp_test_replay_text (&hp_hid_scale_driver, NULL, text, NULL, &error);
  const char *unit;
  double value;

  /* The stale 81.0 kg first report is not a weight; 72.4 kg is. */
  assert_null (error);
  assert_non_null (m);
  assert_true (hp_measurement_get_value (m, HP_QUANTITY_BODY_WEIGHT, &value, &unit));
  assert_true (value == 72.4);
  assert_string_equal (unit, "kg");
}

/* The line of @text on which @needle starts. */
static guint
line_of (const char *text,
         const char *needle)
{
  const char *at = strstr (text, needle);
  guint line = 1;

  assert_non_null (at);
  for (const char *c = text; c < at; c++)
    line += *c == '\n';
  return line;
}

static void
test_capture_broken (void **state G_GNUC_UNUSED)
{
  g_autofree char *text = hp_test_read_capture ("hid-scale.hex");
  g_autofree char *where = g_strdup_printf ("line %u: ", line_of (text, "< 03 03 03 ff b2 01"));
  g_autoptr(GError) error = NULL;
  char *status;

  /* The first report in motion says status 0x0e, which no scale sends. */
  status = strstr (text, "< 03 03 03 ff b2 01");
  status[6] = 'e';
  assert_null (hp_test_replay_text (&hp_hid_scale_driver, NULL, text, NULL, &error));
  assert_true (g_error_matches (error, HP_CAPTURE_ERROR, HP_CAPTURE_ERROR_DECODE));
  g_printerr ("# %s\n", error->message);
  assert_non_null (strstr (error->message, where));
  g_clear_error (&error);

  /* Cut before the weight is stable: the driver is still waiting. */
  *strstr (text, "< 03 0e 03 ff b2 01") = '\0';
  assert_null (hp_test_replay_text (&hp_hid_scale_driver, NULL, text, NULL, &error));
  assert_true (g_error_matches (error, HP_CAPTURE_ERROR, HP_CAPTURE_ERROR_DECODE));
  assert_non_null (strstr (error->message, "the capture ends at line "));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_decode),
    cmocka_unit_test (test_encode_roundtrip),
    cmocka_unit_test (test_decode_errors),
    cmocka_unit_test (test_happy_path),
    cmocka_unit_test (test_units),
    cmocka_unit_test (test_status_faults),
    cmocka_unit_test (test_stand_still_reported),
    cmocka_unit_test (test_unplug),
    cmocka_unit_test (test_implausible_weight),
    cmocka_unit_test (test_capture),
    cmocka_unit_test (test_capture_broken),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
