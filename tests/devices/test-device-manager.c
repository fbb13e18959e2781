/* Tests of the device manager: its list of devices, lookup by kind, and starting USB. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hp-data-enums.h"
#include "hp-device-enums.h"
#include "hp-device-manager.h"
#include "hp-simulated-cuff.h"

typedef struct {
  guint n_calls;
  guint last_position;
  guint last_removed;
  guint last_added;
} ItemsChanged;

static void
on_items_changed (GListModel *model G_GNUC_UNUSED,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  ItemsChanged *changes = user_data;

  changes->n_calls++;
  changes->last_position = position;
  changes->last_removed = removed;
  changes->last_added = added;
}

static HpDevice *
new_cuff (void)
{
  HpCuffSimulation simulation = {
    .systolic = 120, .diastolic = 80, .pulse = 60, .measure_ms = 10,
  };

  return hp_simulated_cuff_new (&simulation);
}

static void
test_add_remove (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpDeviceManager) manager = hp_device_manager_new ();
  g_autoptr(HpDevice) first = new_cuff ();
  g_autoptr(HpDevice) second = new_cuff ();
  GListModel *devices = hp_device_manager_get_devices (manager);
  ItemsChanged changes = { 0 };
  g_autoptr(HpDevice) item = NULL;

  assert_true (g_list_model_get_item_type (devices) == HP_TYPE_DEVICE);
  assert_int_equal (g_list_model_get_n_items (devices), 0);
  g_signal_connect (devices, "items-changed", G_CALLBACK (on_items_changed), &changes);

  hp_device_manager_add_device (manager, first);
  assert_int_equal (changes.n_calls, 1);
  assert_int_equal (changes.last_position, 0);
  assert_int_equal (changes.last_added, 1);
  hp_device_manager_add_device (manager, second);
  assert_int_equal (changes.n_calls, 2);
  assert_int_equal (changes.last_position, 1);
  assert_int_equal (g_list_model_get_n_items (devices), 2);

  /* Adding a device twice changes nothing. */
  hp_device_manager_add_device (manager, first);
  assert_int_equal (changes.n_calls, 2);
  assert_int_equal (g_list_model_get_n_items (devices), 2);

  hp_device_manager_remove_device (manager, first);
  assert_int_equal (changes.n_calls, 3);
  assert_int_equal (changes.last_position, 0);
  assert_int_equal (changes.last_removed, 1);
  assert_int_equal (changes.last_added, 0);
  item = g_list_model_get_item (devices, 0);
  assert_ptr_equal (item, second);

  /* Removing a device the manager does not hold changes nothing. */
  hp_device_manager_remove_device (manager, first);
  assert_int_equal (changes.n_calls, 3);
  assert_int_equal (g_list_model_get_n_items (devices), 1);

  g_signal_handlers_disconnect_by_data (devices, &changes);
}

static void
test_find_by_kind (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpDeviceManager) manager = hp_device_manager_new ();
  g_autoptr(HpDevice) first = new_cuff ();
  g_autoptr(HpDevice) second = new_cuff ();
  g_autoptr(GError) error = NULL;

  assert_null (hp_device_manager_find_by_kind (manager, HP_MEASUREMENT_KIND_BLOOD_PRESSURE));

  hp_device_manager_add_device (manager, first);
  hp_device_manager_add_device (manager, second);
  assert_ptr_equal (hp_device_manager_find_by_kind (manager, HP_MEASUREMENT_KIND_BLOOD_PRESSURE), first);
  assert_null (hp_device_manager_find_by_kind (manager, HP_MEASUREMENT_KIND_BODY_WEIGHT));
  assert_null (hp_device_manager_find_by_kind (manager, HP_MEASUREMENT_KIND_BLOOD_GLUCOSE));

  /* A busy device is passed over for the next ready one. */
  assert_true (hp_device_start_measurement (first, &error));
  assert_ptr_equal (hp_device_manager_find_by_kind (manager, HP_MEASUREMENT_KIND_BLOOD_PRESSURE), second);
  assert_true (hp_device_start_measurement (second, &error));
  assert_null (hp_device_manager_find_by_kind (manager, HP_MEASUREMENT_KIND_BLOOD_PRESSURE));
  hp_device_cancel_measurement (first);
  hp_device_cancel_measurement (second);
  assert_ptr_equal (hp_device_manager_find_by_kind (manager, HP_MEASUREMENT_KIND_BLOOD_PRESSURE), first);

  hp_device_manager_remove_device (manager, first);
  assert_ptr_equal (hp_device_manager_find_by_kind (manager, HP_MEASUREMENT_KIND_BLOOD_PRESSURE), second);
}

static gboolean
idle_is_idle (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_start_usb (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpDeviceManager) manager = hp_device_manager_new ();
  g_autoptr(HpDevice) cuff = new_cuff ();
  g_autoptr(GError) error = NULL;
  gboolean started = hp_device_manager_start_usb (manager, &error);

  if (started)
    {
      guint n = hp_device_manager_get_n_usb_devices (manager);
      gboolean idle_ran = FALSE;

      assert_null (error);
      /* A second start is a no-op and the record is unchanged. */
      assert_true (hp_device_manager_start_usb (manager, &error));
      assert_int_equal (hp_device_manager_get_n_usb_devices (manager), n);
      for (guint i = 0; i < n; i++)
        assert_true (hp_device_manager_get_usb_device (manager, i, NULL, NULL));
      assert_false (hp_device_manager_get_usb_device (manager, n, NULL, NULL));

      /* libusb's source lets the loop reach idle: nothing spins. */
      g_idle_add (idle_is_idle, &idle_ran);
      for (guint i = 0; i < 100 && !idle_ran; i++)
        g_main_context_iteration (NULL, FALSE);
      assert_true (idle_ran);
    }
  else
    {
      /* No usbfs (a container, a CI runner): a clean error, no record. */
      assert_non_null (error);
      assert_true (error->domain == HP_DEVICE_ERROR);
      assert_true (error->code == HP_DEVICE_ERROR_NOT_CONNECTED || error->code == HP_DEVICE_ERROR_PERMISSION);
      assert_true (g_str_has_prefix (error->message, "USB is not available"));
      assert_int_equal (hp_device_manager_get_n_usb_devices (manager), 0);
      assert_false (hp_device_manager_get_usb_device (manager, 0, NULL, NULL));
    }

  /* Either way the manager goes on with simulated devices. */
  hp_device_manager_add_device (manager, cuff);
  assert_ptr_equal (hp_device_manager_find_by_kind (manager, HP_MEASUREMENT_KIND_BLOOD_PRESSURE), cuff);
}

static void
test_enum_properties (void **state G_GNUC_UNUSED)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (HP_TYPE_DEVICE_STATE);
  GEnumValue *value = g_enum_get_value (klass, HP_DEVICE_STATE_MEASURING);
  g_autoptr(HpDevice) cuff = new_cuff ();
  HpDeviceState device_state;
  HpMeasurementKind kind;
  HpMeasurementPhase phase;

  assert_non_null (value);
  assert_string_equal (value->value_nick, "measuring");
  assert_int_equal (g_object_class_find_property (G_OBJECT_GET_CLASS (cuff), "kind")->value_type,
                    HP_TYPE_MEASUREMENT_KIND);
  assert_int_equal (g_object_class_find_property (G_OBJECT_GET_CLASS (cuff), "phase")->value_type,
                    HP_TYPE_MEASUREMENT_PHASE);
  g_object_get (cuff, "state", &device_state, "kind", &kind, "phase", &phase, NULL);
  assert_int_equal (device_state, HP_DEVICE_STATE_READY);
  assert_int_equal (kind, HP_MEASUREMENT_KIND_BLOOD_PRESSURE);
  assert_int_equal (phase, HP_MEASUREMENT_PHASE_IDLE);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_add_remove),
    cmocka_unit_test (test_find_by_kind),
    cmocka_unit_test (test_start_usb),
    cmocka_unit_test (test_enum_properties),
  };

  return cmocka_run_group_tests_name ("device-manager", tests, NULL, NULL);
}
