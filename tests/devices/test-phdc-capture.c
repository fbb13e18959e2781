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

static GPtrArray *
decode_text (const char  *text,
             GError     **error)
{
  g_autoptr(GPtrArray) messages = hp_capture_parse (text, strlen (text), error);
  g_autoptr(GPtrArray) measurements = g_ptr_array_new_with_free_func (g_object_unref);

  if (messages == NULL)
    return NULL;
  assert_non_null (hp_phdc_driver.decode);
  if (!hp_phdc_driver.decode (messages, measurements, error))
    return NULL;
  return g_steal_pointer (&measurements);
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
      g_autoptr(GPtrArray) decoded = NULL;
      g_autoptr(GError) error = NULL;

      assert_non_null (measured);
      decoded = decode_text (text, &error);
      assert_null (error);
      assert_non_null (decoded);
      /* Every reading of the report: the stored ones too, the newest last. */
      assert_int_equal (decoded->len, simulations[i].n_stored + 1);
      assert_same_values (measured, g_ptr_array_index (decoded, decoded->len - 1));

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

static char *
read_capture (const char *name)
{
  g_autofree char *path = g_build_filename (HP_CAPTURES_DIR, name, NULL);
  char *text = NULL;

  assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
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
  g_autofree char *bp = read_capture ("ieee11073-bp.hex");
  g_autofree char *scale = read_capture ("ieee11073-scale-extended.hex");
  g_autofree char *glucose = read_capture ("ieee11073-glucose.hex");
  g_autoptr(GPtrArray) decoded = NULL;
  g_autoptr(GError) error = NULL;
  HpMeasurement *m;

  decoded = decode_text (bp, &error);
  assert_null (error);
  assert_int_equal (decoded->len, 1);
  m = g_ptr_array_index (decoded, 0);
  assert_value (m, HP_QUANTITY_SYSTOLIC, 131, "mm[Hg]");
  assert_value (m, HP_QUANTITY_DIASTOLIC, 86, "mm[Hg]");
  assert_value (m, HP_QUANTITY_MEAN_ARTERIAL, 101, "mm[Hg]");
  assert_value (m, HP_QUANTITY_PULSE_RATE, 74, "/min");
  assert_int_equal (hp_measurement_get_mdc_code (m, HP_QUANTITY_SYSTOLIC), 150021);
  assert_string_equal (hp_measurement_get_device_id (m), "485053494d435546");
  assert_non_null (hp_measurement_get_device_time (m));
  g_clear_pointer (&decoded, g_ptr_array_unref);

  /* The extended configuration is learned from the capture itself. */
  decoded = decode_text (scale, &error);
  assert_null (error);
  assert_int_equal (decoded->len, 1);
  assert_value (g_ptr_array_index (decoded, 0), HP_QUANTITY_BODY_WEIGHT, 81.45, "kg");
  g_clear_pointer (&decoded, g_ptr_array_unref);

  decoded = decode_text (glucose, &error);
  assert_null (error);
  assert_int_equal (decoded->len, 3);
  assert_value (g_ptr_array_index (decoded, 0), HP_QUANTITY_BLOOD_GLUCOSE, 95, "mg/dL");
  assert_value (g_ptr_array_index (decoded, 2), HP_QUANTITY_BLOOD_GLUCOSE, 97, "mg/dL");
  assert_int_equal (hp_measurement_get_mdc_code (g_ptr_array_index (decoded, 2), HP_QUANTITY_BLOOD_GLUCOSE), 160184);
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
  g_autofree char *bp = read_capture ("ieee11073-bp.hex");
  g_autofree char *scale = read_capture ("ieee11073-scale-extended.hex");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) decoded = NULL;
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
  decoded = decode_text (bp, &error);
  assert_null (decoded);
  assert_true (g_error_matches (error, HP_CAPTURE_ERROR, HP_CAPTURE_ERROR_DECODE));
  assert_non_null (strstr (error->message, "line 5, byte 20:"));
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
  decoded = decode_text (scale, &error);
  assert_null (decoded);
  assert_true (g_error_matches (error, HP_CAPTURE_ERROR, HP_CAPTURE_ERROR_DECODE));
  assert_non_null (strstr (error->message, "configuration 0x4005, which the capture does not hold"));
  g_clear_error (&error);

  /* An APDU cut short inside a line. */
  decoded = decode_text ("< e2 00 00 32 80 00\n", &error);
  assert_null (decoded);
  assert_non_null (strstr (error->message, "line 1, byte 0: the APDU is cut short"));
  g_clear_error (&error);

  /* Two APDUs on one line: the second's error names its offset in the line. */
  decoded = decode_text ("< e4 00 00 02 00 00 e8 00 00 00\n", &error);
  assert_null (decoded);
  assert_non_null (strstr (error->message, "line 1, byte 6:"));
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
