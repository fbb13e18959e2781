/* Tests of what every device shares: readings checked against physiological limits and given once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hp-device-private.h"

/* A device whose next reading the test sets, given as soon as it is asked. */
#define TEST_TYPE_DEVICE (test_device_get_type ())
G_DECLARE_FINAL_TYPE (TestDevice, test_device, TEST, DEVICE, HpDevice)

struct _TestDevice
{
  HpDevice parent_instance;
  HpMeasurement *next;
};

G_DEFINE_FINAL_TYPE (TestDevice, test_device, HP_TYPE_DEVICE)

static gboolean
test_device_start_measurement (HpDevice  *device,
                               GError   **error G_GNUC_UNUSED)
{
  TestDevice *self = TEST_DEVICE (device);
  g_autoptr(HpMeasurement) measurement = g_steal_pointer (&self->next);

  hp_device_emit_measurement_ready (device, measurement);
  return TRUE;
}

static void
test_device_finalize (GObject *object)
{
  g_clear_object (&TEST_DEVICE (object)->next);
  G_OBJECT_CLASS (test_device_parent_class)->finalize (object);
}

static void
test_device_class_init (TestDeviceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_device_finalize;
  HP_DEVICE_CLASS (klass)->start_measurement = test_device_start_measurement;
}

static void
test_device_init (TestDevice *self G_GNUC_UNUSED)
{
}

typedef struct {
  guint ready;
  guint failed;
  GError *error;
} Outcome;

static void
on_ready (HpDevice      *device G_GNUC_UNUSED,
          HpMeasurement *measurement G_GNUC_UNUSED,
          Outcome       *outcome)
{
  outcome->ready++;
}

static void
on_failed (HpDevice     *device G_GNUC_UNUSED,
           const GError *error,
           Outcome      *outcome)
{
  outcome->failed++;
  g_clear_error (&outcome->error);
  outcome->error = g_error_copy (error);
}

static HpMeasurement *
weight (double     kg,
        GDateTime *device_time)
{
  HpMeasurement *measurement = hp_measurement_new (HP_MEASUREMENT_KIND_BODY_WEIGHT);

  hp_measurement_set_value (measurement, HP_QUANTITY_BODY_WEIGHT, kg, "kg");
  hp_measurement_set_device_time (measurement, device_time);
  return measurement;
}

static void
measure (TestDevice    *device,
         HpMeasurement *measurement)
{
  g_autoptr(GError) error = NULL;

  g_set_object (&device->next, measurement);
  g_object_unref (measurement);
  assert_true (hp_device_start_measurement (HP_DEVICE (device), &error));
  assert_null (error);
}

static TestDevice *
new_device (Outcome *outcome)
{
  TestDevice *device = g_object_new (TEST_TYPE_DEVICE, "id", "test-0", "name", "Test scale",
                                     "kind", HP_MEASUREMENT_KIND_BODY_WEIGHT, NULL);

  hp_device_set_state (HP_DEVICE (device), HP_DEVICE_STATE_READY);
  g_signal_connect (device, "measurement-ready", G_CALLBACK (on_ready), outcome);
  g_signal_connect (device, "measurement-failed", G_CALLBACK (on_failed), outcome);
  return device;
}

static void
test_reading_given_once (void **state G_GNUC_UNUSED)
{
  Outcome outcome = { 0 };
  g_autoptr(TestDevice) device = new_device (&outcome);
  g_autoptr(GDateTime) t1 = g_date_time_new_utc (2026, 3, 1, 9, 30, 0);
  g_autoptr(GDateTime) t2 = g_date_time_new_utc (2026, 3, 1, 9, 31, 0);
  g_autoptr(HpMeasurement) probe = weight (71.5, t1);

  assert_false (hp_device_has_given (HP_DEVICE (device), probe));
  measure (device, weight (71.5, t1));
  assert_int_equal (outcome.ready, 1);
  assert_true (hp_device_has_given (HP_DEVICE (device), probe));

  /* The same reading again is refused, and the device stays usable. */
  measure (device, weight (71.5, t1));
  assert_int_equal (outcome.ready, 1);
  assert_int_equal (outcome.failed, 1);
  assert_true (g_error_matches (outcome.error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_NO_NEW_READING));
  assert_int_equal (hp_device_get_state (HP_DEVICE (device)), HP_DEVICE_STATE_READY);

  /* Another time or another value is another reading. */
  measure (device, weight (71.5, t2));
  measure (device, weight (71.6, t1));
  assert_int_equal (outcome.ready, 3);

  /* Without a device time equal readings cannot be told apart: both count. */
  measure (device, weight (80.0, NULL));
  measure (device, weight (80.0, NULL));
  assert_int_equal (outcome.ready, 5);
  assert_int_equal (outcome.failed, 1);
  g_clear_error (&outcome.error);
}

static void
test_implausible_reading_refused (void **state G_GNUC_UNUSED)
{
  Outcome outcome = { 0 };
  g_autoptr(TestDevice) device = new_device (&outcome);

  measure (device, weight (351, NULL));
  assert_int_equal (outcome.ready, 0);
  assert_int_equal (outcome.failed, 1);
  assert_true (g_error_matches (outcome.error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_IMPLAUSIBLE));
  assert_int_equal (hp_device_get_state (HP_DEVICE (device)), HP_DEVICE_STATE_READY);
  assert_int_equal (hp_device_get_phase (HP_DEVICE (device)), HP_MEASUREMENT_PHASE_IDLE);
  g_clear_error (&outcome.error);
}

static void
test_visit_start (void **state G_GNUC_UNUSED)
{
  Outcome outcome = { 0 };
  g_autoptr(TestDevice) device = new_device (&outcome);
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 3, 1, 9, 0, 0);

  assert_null (hp_device_get_visit_start (HP_DEVICE (device)));
  hp_device_set_visit_start (HP_DEVICE (device), start);
  assert_true (g_date_time_equal (hp_device_get_visit_start (HP_DEVICE (device)), start));
  hp_device_set_visit_start (HP_DEVICE (device), NULL);
  assert_null (hp_device_get_visit_start (HP_DEVICE (device)));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_reading_given_once),
    cmocka_unit_test (test_implausible_reading_refused),
    cmocka_unit_test (test_visit_start),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
