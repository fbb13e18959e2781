/* Tests of the capture format staff save for healthpost-ctl decode, and of the physiological limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>

#include "hp-capture.h"
#include "hp-device.h"
#include "hp-plausibility.h"

static GPtrArray *
parse (const char  *text,
       GError     **error)
{
  return hp_capture_parse (text, strlen (text), error);
}

static void
assert_message (GPtrArray          *messages,
                guint               index,
                HpCaptureDirection  direction,
                guint               line,
                const guint8       *bytes,
                gsize               length)
{
  HpCaptureMessage *message = g_ptr_array_index (messages, index);
  gsize size;
  const guint8 *data = g_bytes_get_data (message->bytes, &size);

  assert_int_equal (message->direction, direction);
  assert_int_equal (message->line, line);
  assert_int_equal (size, length);
  assert_memory_equal (data, bytes, length);
}

static void
test_capture_lines (void **state G_GNUC_UNUSED)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages =
    parse ("# a cuff, captured at a kiosk\n"
           "e2 00 00 32\n"
           "\n"
           "> E3:00:00:2C  # the kiosk answers\n"
           "<0102\r\n"
           "   < ff", &error);
  static const guint8 first[] = { 0xe2, 0x00, 0x00, 0x32 };
  static const guint8 second[] = { 0xe3, 0x00, 0x00, 0x2c };
  static const guint8 third[] = { 0x01, 0x02 };
  static const guint8 fourth[] = { 0xff };

  assert_null (error);
  assert_non_null (messages);
  assert_int_equal (messages->len, 4);
  assert_message (messages, 0, HP_CAPTURE_FROM_DEVICE, 2, first, sizeof first);
  assert_message (messages, 1, HP_CAPTURE_TO_DEVICE, 4, second, sizeof second);
  assert_message (messages, 2, HP_CAPTURE_FROM_DEVICE, 5, third, sizeof third);
  assert_message (messages, 3, HP_CAPTURE_FROM_DEVICE, 6, fourth, sizeof fourth);
}

static void
assert_syntax_error (const char *text,
                     const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = parse (text, &error);

  assert_null (messages);
  assert_true (g_error_matches (error, HP_CAPTURE_ERROR, HP_CAPTURE_ERROR_SYNTAX));
  assert_string_equal (error->message, expected);
}

static void
test_capture_errors (void **state G_GNUC_UNUSED)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = NULL;

  assert_syntax_error ("e2 00\n00 3g\n", "line 2, column 5: expected a hex digit");
  assert_syntax_error ("e2 00\n00 g3\n", "line 2, column 4: expected a hex digit");
  assert_syntax_error ("e2 0\n", "line 1, column 4: a byte needs two hex digits");
  assert_syntax_error ("e2 0 0\n", "line 1, column 4: a byte needs two hex digits");
  assert_syntax_error ("01\n>\n", "line 2: a direction mark with no bytes");
  assert_syntax_error ("01 > 02\n", "line 1, column 4: expected a hex digit");
  assert_syntax_error ("<< 02\n", "line 1, column 2: expected a hex digit");

  messages = parse ("# nothing\n\n  \n", &error);
  assert_null (messages);
  assert_true (g_error_matches (error, HP_CAPTURE_ERROR, HP_CAPTURE_ERROR_EMPTY));
}

static HpMeasurement *
blood_pressure (double      systolic,
                double      diastolic,
                double      pulse,
                const char *pressure_unit)
{
  HpMeasurement *measurement = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_PRESSURE);

  hp_measurement_set_value (measurement, HP_QUANTITY_SYSTOLIC, systolic, pressure_unit);
  hp_measurement_set_value (measurement, HP_QUANTITY_DIASTOLIC, diastolic, pressure_unit);
  hp_measurement_set_value (measurement, HP_QUANTITY_PULSE_RATE, pulse, "/min");
  return measurement;
}

static void
assert_implausible (HpMeasurement *measurement,
                    const char    *words)
{
  g_autoptr(GError) error = NULL;

  assert_false (hp_plausibility_check (measurement, &error));
  assert_true (g_error_matches (error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_IMPLAUSIBLE));
  assert_non_null (strstr (error->message, words));
  g_object_unref (measurement);
}

static void
assert_plausible (HpMeasurement *measurement)
{
  g_autoptr(GError) error = NULL;

  assert_true (hp_plausibility_check (measurement, &error));
  assert_null (error);
  g_object_unref (measurement);
}

static HpMeasurement *
single (HpMeasurementKind  kind,
        HpQuantity         quantity,
        double             value,
        const char        *unit)
{
  HpMeasurement *measurement = hp_measurement_new (kind);

  hp_measurement_set_value (measurement, quantity, value, unit);
  return measurement;
}

static void
test_plausibility_limits (void **state G_GNUC_UNUSED)
{
  /* The extremes a patient can really show pass. */
  assert_plausible (blood_pressure (300, 200, 250, "mm[Hg]"));
  assert_plausible (blood_pressure (50, 20, 25, "mm[Hg]"));
  assert_plausible (blood_pressure (16.0, 10.7, 70, "kPa"));
  assert_plausible (single (HP_MEASUREMENT_KIND_BLOOD_GLUCOSE, HP_QUANTITY_BLOOD_GLUCOSE, 600, "mg/dL"));
  assert_plausible (single (HP_MEASUREMENT_KIND_BLOOD_GLUCOSE, HP_QUANTITY_BLOOD_GLUCOSE, 1.1, "mmol/L"));
  assert_plausible (single (HP_MEASUREMENT_KIND_BODY_WEIGHT, HP_QUANTITY_BODY_WEIGHT, 771.6, "[lb_av]"));

  /* One step past a limit does not. */
  assert_implausible (blood_pressure (300.5, 80, 60, "mm[Hg]"), "systolic pressure is outside 50–300 mm[Hg]");
  assert_implausible (blood_pressure (49, 30, 60, "mm[Hg]"), "systolic pressure");
  assert_implausible (blood_pressure (120, 19, 60, "mm[Hg]"), "diastolic pressure");
  assert_implausible (blood_pressure (120, 80, 251, "mm[Hg]"), "pulse rate");
  assert_implausible (blood_pressure (120, 80, 24, "mm[Hg]"), "pulse rate");
  assert_implausible (single (HP_MEASUREMENT_KIND_BLOOD_GLUCOSE, HP_QUANTITY_BLOOD_GLUCOSE, 45, "mmol/L"), "blood glucose");
  assert_implausible (single (HP_MEASUREMENT_KIND_BLOOD_GLUCOSE, HP_QUANTITY_BLOOD_GLUCOSE, 9, "mg/dL"), "blood glucose");
  assert_implausible (single (HP_MEASUREMENT_KIND_BODY_WEIGHT, HP_QUANTITY_BODY_WEIGHT, 772, "[lb_av]"), "body weight");
  assert_implausible (single (HP_MEASUREMENT_KIND_BODY_WEIGHT, HP_QUANTITY_BODY_WEIGHT, 1999, "g"), "body weight");
  assert_implausible (single (HP_MEASUREMENT_KIND_BODY_WEIGHT, HP_QUANTITY_BODY_WEIGHT, NAN, "kg"), "body weight");

  /* Values that disagree with each other, or units the kiosk does not know. */
  assert_implausible (blood_pressure (80, 80, 60, "mm[Hg]"), "not above the diastolic");
  {
    HpMeasurement *measurement = blood_pressure (120, 80, 60, "mm[Hg]");
    hp_measurement_set_value (measurement, HP_QUANTITY_MEAN_ARTERIAL, 121, "mm[Hg]");
    assert_implausible (measurement, "mean arterial pressure is not between");
  }
  assert_implausible (blood_pressure (120, 80, 60, "cm[H2O]"), "unit the kiosk does not know");
  assert_implausible (hp_measurement_new (HP_MEASUREMENT_KIND_BODY_WEIGHT), "holds no value");
}

static void
test_plausibility_message_holds_no_value (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpMeasurement) measurement = blood_pressure (123, 87, 311, "mm[Hg]");
  g_autoptr(GError) error = NULL;

  assert_false (hp_plausibility_check (measurement, &error));
  assert_null (strstr (error->message, "311"));
  assert_null (strstr (error->message, "123"));
  assert_null (strstr (error->message, "87"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_capture_lines),
    cmocka_unit_test (test_capture_errors),
    cmocka_unit_test (test_plausibility_limits),
    cmocka_unit_test (test_plausibility_message_holds_no_value),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
