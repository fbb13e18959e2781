/* Tests of the sealed reading record: round trips, values in canonical units, and every damaged record refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "hp-reading-record-private.h"
#include "hp-time.h"

static HpMeasurement *
full_reading (void)
{
  g_autoptr(GDateTime) device_time = g_date_time_new_from_unix_utc (1763600061);
  g_autoptr(GDateTime) precise = g_date_time_add (device_time, 123457);
  HpMeasurement *pressure = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_PRESSURE);

  hp_measurement_set_value (pressure, HP_QUANTITY_SYSTOLIC, 18.0, "kPa");
  hp_measurement_set_mdc_code (pressure, HP_QUANTITY_SYSTOLIC, 0x00024a05);
  hp_measurement_set_value (pressure, HP_QUANTITY_DIASTOLIC, 11.5, "kPa");
  hp_measurement_set_value (pressure, HP_QUANTITY_PULSE_RATE, 71, "{beats}/min");
  hp_measurement_set_value (pressure, HP_QUANTITY_MEAN_ARTERIAL, 104.25, "unknown-unit");
  hp_measurement_set_device_id (pressure, "usb:0590:0028:SN12345");
  hp_measurement_set_device_time (pressure, precise);
  hp_measurement_set_flags (pressure, HP_MEASUREMENT_FLAG_DEVICE_CLOCK_INVALID);
  return pressure;
}

static void
test_round_trip (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpMeasurement) original = full_reading ();
  g_autoptr(HpReadingRecord) record = hp_reading_record_encode (original);
  g_autoptr(HpMeasurement) decoded = NULL;
  g_autoptr(GError) error = NULL;

  decoded = hp_reading_record_decode (HP_MEASUREMENT_KIND_BLOOD_PRESSURE, record->data, record->len, &error);
  assert_null (error);
  assert_non_null (decoded);
  for (guint q = 0; q <= HP_QUANTITY_LAST; q++)
    {
      double a = 0, b = 0;
      const char *unit_a = NULL, *unit_b = NULL;

      assert_int_equal (hp_measurement_get_value (original, q, &a, &unit_a),
                        hp_measurement_get_value (decoded, q, &b, &unit_b));
      if (unit_a == NULL)
        continue;
      assert_memory_equal (&a, &b, sizeof a);
      assert_string_equal (unit_a, unit_b);
      assert_int_equal (hp_measurement_get_mdc_code (original, q), hp_measurement_get_mdc_code (decoded, q));
    }
  assert_string_equal (hp_measurement_get_device_id (decoded), "usb:0590:0028:SN12345");
  assert_true (g_date_time_equal (hp_measurement_get_device_time (original),
                                  hp_measurement_get_device_time (decoded)));
  assert_int_equal (hp_measurement_get_flags (decoded), HP_MEASUREMENT_FLAG_DEVICE_CLOCK_INVALID);
}

/* A meter's HI or LO is stored with its flag, and a record claiming both
 * is damage. */
static void
test_out_of_range_flags (void **state G_GNUC_UNUSED)
{
  static const HpMeasurementFlags flags[] = {
    HP_MEASUREMENT_FLAG_ABOVE_RANGE,
    HP_MEASUREMENT_FLAG_BELOW_RANGE | HP_MEASUREMENT_FLAG_DEVICE_CLOCK_INVALID,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (flags); i++)
    {
      g_autoptr(HpMeasurement) meter = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_GLUCOSE);
      g_autoptr(HpReadingRecord) record = NULL;
      g_autoptr(HpMeasurement) decoded = NULL;
      g_autoptr(GError) error = NULL;

      hp_measurement_set_value (meter, HP_QUANTITY_BLOOD_GLUCOSE, 600, "mg/dL");
      hp_measurement_set_flags (meter, flags[i]);
      record = hp_reading_record_encode (meter);
      decoded = hp_reading_record_decode (HP_MEASUREMENT_KIND_BLOOD_GLUCOSE, record->data, record->len, &error);
      assert_null (error);
      assert_int_equal (hp_measurement_get_flags (decoded), flags[i]);
    }
  {
    g_autoptr(HpMeasurement) both = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_GLUCOSE);
    g_autoptr(HpReadingRecord) record = NULL;
    g_autoptr(GError) error = NULL;

    hp_measurement_set_flags (both, HP_MEASUREMENT_FLAG_ABOVE_RANGE | HP_MEASUREMENT_FLAG_BELOW_RANGE);
    record = hp_reading_record_encode (both);
    assert_null (hp_reading_record_decode (HP_MEASUREMENT_KIND_BLOOD_GLUCOSE, record->data, record->len, &error));
    assert_non_null (error);
    assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA));
  }
}

static void
test_minimal_round_trip (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpMeasurement) empty = hp_measurement_new (HP_MEASUREMENT_KIND_BODY_WEIGHT);
  g_autoptr(HpReadingRecord) record = hp_reading_record_encode (empty);
  g_autoptr(HpMeasurement) decoded = NULL;
  g_autoptr(GError) error = NULL;

  decoded = hp_reading_record_decode (HP_MEASUREMENT_KIND_BODY_WEIGHT, record->data, record->len, &error);
  assert_null (error);
  assert_null (hp_measurement_get_device_id (decoded));
  assert_null (hp_measurement_get_device_time (decoded));
  assert_false (hp_measurement_has_value (decoded, HP_QUANTITY_BODY_WEIGHT));
}

static void
assert_normalized (HpQuantity  quantity,
                   double      value,
                   const char *unit,
                   double      expected)
{
  g_autoptr(HpMeasurement) measurement = hp_measurement_new (HP_MEASUREMENT_KIND_BODY_WEIGHT);
  double normalized = 0;

  hp_measurement_set_value (measurement, quantity, value, unit);
  assert_true (hp_measurement_get_normalized_value (measurement, quantity, &normalized));
  if (fabs (normalized - expected) > 1e-9 * fabs (expected))
    fail_msg ("%g %s gave %.12g, expected %.12g", value, unit, normalized, expected);
}

static void
test_normalized_values (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpMeasurement) odd = hp_measurement_new (HP_MEASUREMENT_KIND_BODY_WEIGHT);

  assert_normalized (HP_QUANTITY_SYSTOLIC, 16.0, "kPa", 16.0 * 7.50062);
  assert_normalized (HP_QUANTITY_SYSTOLIC, 120.0, "mm[Hg]", 120.0);
  assert_normalized (HP_QUANTITY_PULSE_RATE, 64.0, "/min", 64.0);
  assert_normalized (HP_QUANTITY_BODY_WEIGHT, 200.0, "[lb_av]", 90.718474);
  assert_normalized (HP_QUANTITY_BODY_WEIGHT, 93700.0, "g", 93.7);
  assert_normalized (HP_QUANTITY_BLOOD_GLUCOSE, 5.4, "mmol/L", 5.4 * 18.016);
  assert_normalized (HP_QUANTITY_BLOOD_GLUCOSE, 143.0, "mg/dL", 143.0);
  assert_string_equal (hp_quantity_get_canonical_unit (HP_QUANTITY_BLOOD_GLUCOSE), "mg/dL");

  hp_measurement_set_value (odd, HP_QUANTITY_BODY_WEIGHT, 12.0, "stone");
  assert_false (hp_measurement_get_normalized_value (odd, HP_QUANTITY_BODY_WEIGHT, NULL));
  assert_false (hp_measurement_get_normalized_value (odd, HP_QUANTITY_SYSTOLIC, NULL));
}

static void
assert_refused (const guint8 *data,
                gsize         length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpMeasurement) decoded = NULL;

  decoded = hp_reading_record_decode (HP_MEASUREMENT_KIND_BLOOD_PRESSURE, data, length, &error);
  assert_null (decoded);
  assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA));
  /* The reason never quotes the device id or a value. */
  assert_null (strstr (error->message, "SN12345"));
  assert_null (strstr (error->message, "18"));
}

static void
test_damaged_records_refused (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpMeasurement) original = full_reading ();
  g_autoptr(HpReadingRecord) record = hp_reading_record_encode (original);
  g_autofree guint8 *copy = g_memdup2 (record->data, record->len + 1);

  /* Every record cut short. */
  for (gsize length = 0; length < record->len; length++)
    assert_refused (record->data, length);
  /* A byte too many. */
  copy[record->len] = 0;
  assert_refused (copy, record->len + 1);

  /* Unknown version; unknown flag; a marker that is neither 0 nor 1. */
  copy[0] = 2;
  assert_refused (copy, record->len);
  copy[0] = record->data[0];
  copy[4] |= 0x80;
  assert_refused (copy, record->len);
  copy[4] = record->data[4];
  copy[5] = 2;
  assert_refused (copy, record->len);
  copy[5] = record->data[5];

  /* The number of values: one more than there are quantities. */
  {
    gsize at = 1 + 4 + 1 + 8 + 1 + 2 + strlen ("usb:0590:0028:SN12345");

    assert_int_equal (copy[at], 4);
    copy[at] = HP_QUANTITY_LAST + 2;
    assert_refused (copy, record->len);
    copy[at] = 4;
    /* The first value's quantity repeated by the second. */
    copy[at + 1 + 1 + 8 + 4 + 1 + 3 + 1 + 8] = copy[at + 1];
    assert_refused (copy, record->len);
  }
}

/* Stored times keep their microseconds on both sides of 1970, where
 * division rounds the other way, and at GDateTime's limits. */
static void
test_times_in_microseconds (void **state G_GNUC_UNUSED)
{
  static const gint64 cases[] = { 0, 1, -1, 1765000000123456, -1000001, -62135596800000000 };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) time = hp_time_from_usec (cases[i]);

      assert_non_null (time);
      assert_int_equal (hp_time_to_usec (time), cases[i]);
    }
  {
    g_autoptr(GDateTime) before = hp_time_from_usec (-1);

    assert_int_equal (g_date_time_get_year (before), 1969);
    assert_int_equal (g_date_time_get_microsecond (before), 999999);
  }
  /* Before year 1 GDateTime has no date. */
  assert_null (hp_time_from_usec (-62135596800000001));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_round_trip),
    cmocka_unit_test (test_minimal_round_trip),
    cmocka_unit_test (test_out_of_range_flags),
    cmocka_unit_test (test_normalized_values),
    cmocka_unit_test (test_damaged_records_refused),
    cmocka_unit_test (test_times_in_microseconds),
  };

  return cmocka_run_group_tests_name ("reading-record", tests, NULL, NULL);
}
