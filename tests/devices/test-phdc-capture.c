/* Tests of the IEEE 11073 capture decoder: recorded simulator exchanges, the captures kept in the tree, broken variants. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>

#include "hp-capture.h"
#include "hp-phdc-device.h"
#include "hp-simulated-phdc.h"
#include "hp-simulator-transport.h"
#include "hp-test-replay.h"
#include "hp-test-util.h"

/* Both directions of one simulated exchange, as capture text. */
typedef struct {
  GString *text;
  guint n_ready;
  HpMeasurement *measurement;
} Recording;

static void
append_line (GString      *text,
             char          mark,
             GBytes       *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  g_string_append_c (text, mark);
  for (gsize i = 0; i < size; i++)
    g_string_append_printf (text, " %02x", data[i]);
  g_string_append_c (text, '\n');
}

static void
on_from_device (HpTransport *transport G_GNUC_UNUSED,
                GBytes      *bytes,
                gpointer     user_data)
{
  append_line (((Recording *) user_data)->text, '<', bytes);
}

static void
on_to_device (HpSimulatorTransport *transport G_GNUC_UNUSED,
              GBytes               *bytes,
              gpointer              user_data)
{
  append_line (((Recording *) user_data)->text, '>', bytes);
}

static void
on_ready (HpDevice      *device G_GNUC_UNUSED,
          HpMeasurement *measurement,
          gpointer       user_data)
{
  Recording *recording = user_data;

  recording->n_ready++;
  g_set_object (&recording->measurement, measurement);
}

static gboolean
recording_done (gconstpointer data)
{
  return ((const Recording *) data)->n_ready > 0;
}

/* Runs @simulation through the real driver and returns the exchange. */
static char *
record (const HpPhdcSimulation *simulation,
        HpMeasurement         **measurement)
{
  g_autoptr(HpDevice) device = hp_simulated_phdc_new (simulation);
  HpTransport *transport = hp_phdc_device_get_transport (HP_PHDC_DEVICE (device));
  Recording recording = { g_string_new (NULL), 0, NULL };
  g_autoptr(GError) error = NULL;

  g_signal_connect (transport, "received", G_CALLBACK (on_from_device), &recording);
  g_signal_connect (transport, "host-sent", G_CALLBACK (on_to_device), &recording);
  g_signal_connect (device, "measurement-ready", G_CALLBACK (on_ready), &recording);
  assert_true (hp_device_start_measurement (device, &error));
  assert_true (hp_test_iterate_until (recording_done, &recording, 20));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_signal_handlers_disconnect_by_data (transport, &recording);
  g_signal_handlers_disconnect_by_data (device, &recording);
  *measurement = recording.measurement;
  return g_string_free (recording.text, FALSE);
}

/* Replays @text through the driver, as healthpost-ctl decode does, for a
 * device whose descriptor says it measures @kind, with no configuration
 * learned before. */
static HpMeasurement *
decode_text (const char         *text,
             HpMeasurementKind   kind,
             GError            **error)
{
  guint16 specialization = hp_phdc_specialization_for_kind (kind);
  const HpUsbDeviceInfo info = {
    .model = "PHDC device", .specializations = &specialization, .n_specializations = 1,
  };

  hp_phdc_device_forget_learned_configurations ();
  return hp_test_replay_text (&hp_phdc_driver, &info, text, NULL, error);
}

static void
assert_same_values (HpMeasurement *expected,
                    HpMeasurement *actual)
{
  assert_int_equal (hp_measurement_get_kind (actual), hp_measurement_get_kind (expected));
  for (guint q = 0; q <= HP_QUANTITY_LAST; q++)
    {
      double a, b;
      const char *unit_a, *unit_b;

      assert_int_equal (hp_measurement_get_value (expected, q, &a, &unit_a),
                        hp_measurement_get_value (actual, q, &b, &unit_b));
      if (hp_measurement_has_value (expected, q))
        {
          assert_true (a == b);
          assert_string_equal (unit_a, unit_b);
          assert_int_equal (hp_measurement_get_mdc_code (expected, q), hp_measurement_get_mdc_code (actual, q));
        }
    }
  assert_string_equal (hp_measurement_get_device_id (expected), hp_measurement_get_device_id (actual));
}

static const HpPhdcSimulation simulations[] = {
  { .kind = HP_MEASUREMENT_KIND_BLOOD_PRESSURE, .value = 131, .diastolic = 86, .pulse = 74, .measure_ms = 5 },
  { .kind = HP_MEASUREMENT_KIND_BODY_WEIGHT, .value = 81.45, .dev_config_id = 0x4005,
    .report_form = HP_PHDC_REPORT_VAR, .measure_ms = 5 },
  { .kind = HP_MEASUREMENT_KIND_BLOOD_GLUCOSE, .value = 97, .n_stored = 2,
    .report_form = HP_PHDC_REPORT_MP_FIXED, .measure_ms = 5 },
};
static const char *capture_names[] = { "ieee11073-bp.hex", "ieee11073-scale-extended.hex", "ieee11073-glucose.hex" };

/* The live exchange decodes to what the driver measured. With
 * HP_WRITE_CAPTURES=DIR set it also writes the captures kept in the tree. */
static void
test_recorded_exchanges (void **state G_GNUC_UNUSED)
{
  const char *write_dir = g_getenv ("HP_WRITE_CAPTURES");

  hp_phdc_device_forget_learned_configurations ();
  for (gsize i = 0; i < G_N_ELEMENTS (simulations); i++)
    {
      g_autoptr(HpMeasurement) measured = NULL;
      g_autofree char *text = record (&simulations[i], &measured);
      g_autoptr(HpMeasurement) decoded = NULL;
      g_autoptr(GError) error = NULL;

      assert_non_null (measured);
      decoded = decode_text (text, simulations[i].kind, &error);
      assert_null (error);
      assert_non_null (decoded);
      assert_same_values (measured, decoded);

      if (write_dir != NULL)
        {
          g_autofree char *path = g_build_filename (write_dir, capture_names[i], NULL);
          g_autofree char *contents =
            g_strdup_printf ("# IEEE 11073-20601 exchange recorded from the kiosk's simulator\n"
                             "# (\"<\" agent to manager, \">\" manager to agent)\n%s", text);

          assert_true (g_file_set_contents (path, contents, -1, NULL));
        }
    }
  hp_phdc_device_forget_learned_configurations ();
}

static void
assert_value (HpMeasurement *measurement,
              HpQuantity     quantity,
              double         expected,
              const char    *expected_unit)
{
  double value;
  const char *unit;

  assert_true (hp_measurement_get_value (measurement, quantity, &value, &unit));
  assert_true (fabs (value - expected) < 1e-9);
  assert_string_equal (unit, expected_unit);
}

static void
test_kept_captures (void **state G_GNUC_UNUSED)
{
  g_autofree char *bp = hp_test_read_capture ("ieee11073-bp.hex");
  g_autofree char *scale = hp_test_read_capture ("ieee11073-scale-extended.hex");
  g_autofree char *glucose = hp_test_read_capture ("ieee11073-glucose.hex");
  g_autoptr(HpMeasurement) m = NULL;
  g_autoptr(GError) error = NULL;

  m = decode_text (bp, HP_MEASUREMENT_KIND_BLOOD_PRESSURE, &error);
  assert_null (error);
  assert_non_null (m);
  assert_value (m, HP_QUANTITY_SYSTOLIC, 131, "mm[Hg]");
  assert_value (m, HP_QUANTITY_DIASTOLIC, 86, "mm[Hg]");
  assert_value (m, HP_QUANTITY_MEAN_ARTERIAL, 101, "mm[Hg]");
  assert_value (m, HP_QUANTITY_PULSE_RATE, 74, "/min");
  assert_int_equal (hp_measurement_get_mdc_code (m, HP_QUANTITY_SYSTOLIC), 150021);
  assert_string_equal (hp_measurement_get_device_id (m), "485053494d435546");
  assert_non_null (hp_measurement_get_device_time (m));
  g_clear_object (&m);

  /* The extended configuration is learned from the capture itself. */
  m = decode_text (scale, HP_MEASUREMENT_KIND_BODY_WEIGHT, &error);
  assert_null (error);
  assert_non_null (m);
  assert_value (m, HP_QUANTITY_BODY_WEIGHT, 81.45, "kg");
  g_clear_object (&m);

  /* The newest of the three readings the report holds. */
  m = decode_text (glucose, HP_MEASUREMENT_KIND_BLOOD_GLUCOSE, &error);
  assert_null (error);
  assert_non_null (m);
  assert_value (m, HP_QUANTITY_BLOOD_GLUCOSE, 97, "mg/dL");
  assert_int_equal (hp_measurement_get_mdc_code (m, HP_QUANTITY_BLOOD_GLUCOSE), 160184);
}

/* The n-th line (1-based) of @text that holds bytes going @mark's way. */
static char *
line_start (char *text,
            char  mark,
            guint n)
{
  char *p = text;

  while (*p != '\0')
    {
      char *next = strchr (p, '\n');

      if (*p == mark && --n == 0)
        return p;
      if (next == NULL)
        break;
      p = next + 1;
    }
  return NULL;
}

static void
test_broken_captures (void **state G_GNUC_UNUSED)
{
  g_autofree char *bp = hp_test_read_capture ("ieee11073-bp.hex");
  g_autofree char *scale = hp_test_read_capture ("ieee11073-scale-extended.hex");
  g_autoptr(GError) error = NULL;
  g_autoptr(HpMeasurement) decoded = NULL;
  char *line, *end;

  /* The scan report (second line from the agent) with a corrupt event-info
   * length: line 5 (two comment lines, AARQ, AARE), byte 20. */
  line = line_start (bp, '<', 2);
  if (line == NULL)
    {
      fail ();
      return;
    }
  /* "< " then "xx " per byte: byte 20 starts at 2 + 3 * 20. */
  memcpy (line + 2 + 3 * 20, "ff f0", 5);
  decoded = decode_text (bp, HP_MEASUREMENT_KIND_BLOOD_PRESSURE, &error);
  assert_null (decoded);
  assert_true (g_error_matches (error, HP_CAPTURE_ERROR, HP_CAPTURE_ERROR_DECODE));
  g_printerr ("# %s\n", error->message);
  assert_non_null (strstr (error->message, "line 5"));
  g_clear_error (&error);

  /* Without the configuration report, the extended scale's data cannot be read. */
  line = line_start (scale, '<', 2);
  end = line != NULL ? strchr (line, '\n') : NULL;
  if (line == NULL || end == NULL)
    {
      fail ();
      return;
    }
  memset (line, ' ', (gsize) (end - line));
  line[0] = '#';
  decoded = decode_text (scale, HP_MEASUREMENT_KIND_BODY_WEIGHT, &error);
  assert_null (decoded);
  assert_true (g_error_matches (error, HP_CAPTURE_ERROR, HP_CAPTURE_ERROR_DECODE));
  g_printerr ("# %s\n", error->message);
  assert_non_null (strstr (error->message, "the driver waits for an answer the capture does not hold"));
  g_clear_error (&error);

  /* An APDU cut short inside a line. */
  decoded = decode_text ("< e2 00 00 32 80 00\n", HP_MEASUREMENT_KIND_BLOOD_PRESSURE, &error);
  assert_null (decoded);
  g_printerr ("# %s\n", error->message);
  assert_non_null (strstr (error->message, "the capture ends at line 1 before the driver has a reading"));
  g_clear_error (&error);

  /* A release request, then an APDU of no known type. */
  decoded = decode_text ("< e4 00 00 02 00 00 e8 00 00 00\n", HP_MEASUREMENT_KIND_BLOOD_PRESSURE, &error);
  assert_null (decoded);
  g_printerr ("# %s\n", error->message);
  assert_non_null (strstr (error->message, "line 1"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_recorded_exchanges),
    cmocka_unit_test (test_kept_captures),
    cmocka_unit_test (test_broken_captures),
  };

  return cmocka_run_group_tests_name ("phdc-capture", tests, NULL, NULL);
}
