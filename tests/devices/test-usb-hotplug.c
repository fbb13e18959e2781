/* Test of the device manager's USB hotplug record against a umockdev testbed (run under umockdev-wrapper). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <umockdev.h>

#include "hp-device-manager.h"

#define SAFETY_TIMEOUT_S 10

/* A device descriptor (USB 2.0, 1234:5678, one configuration) followed by a
 * configuration descriptor with no interfaces. */
static const guint8 descriptors[] = {
  0x12, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x40, 0x34, 0x12, 0x78, 0x56,
  0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
  0x09, 0x02, 0x09, 0x00, 0x00, 0x01, 0x00, 0x80, 0x32,
};

typedef struct {
  guint arrived;
  guint left;
  guint vendor_id;
  guint product_id;
  gboolean timed_out;
} Events;

static void
on_arrived (HpDeviceManager *manager G_GNUC_UNUSED,
            guint            vendor_id,
            guint            product_id,
            gpointer         user_data)
{
  Events *events = user_data;

  events->arrived++;
  events->vendor_id = vendor_id;
  events->product_id = product_id;
}

static void
on_left (HpDeviceManager *manager G_GNUC_UNUSED,
         guint            vendor_id,
         guint            product_id,
         gpointer         user_data)
{
  Events *events = user_data;

  events->left++;
  events->vendor_id = vendor_id;
  events->product_id = product_id;
}

static gboolean
safety_timeout (gpointer user_data)
{
  ((Events *) user_data)->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_until (Events   *events,
            guint    *counter,
            guint     value)
{
  guint safety = g_timeout_add_seconds (SAFETY_TIMEOUT_S, safety_timeout, events);

  while (*counter < value && !events->timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!events->timed_out)
    g_source_remove (safety);
  assert_false (events->timed_out);
}

static char *
add_usb_device (UMockdevTestbed *testbed,
                const char      *name,
                const char      *devnum)
{
  g_autoptr(GString) hex = g_string_new (NULL);
  g_autofree char *record = NULL;
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < sizeof descriptors; i++)
    g_string_append_printf (hex, "%02x", descriptors[i]);
  /* One record with the descriptors in it: adding the device sends the
   * "add" uevent at once, and libusb reads the descriptors when it hears it,
   * so they cannot be set afterwards. */
  record = g_strdup_printf ("P: /devices/%s\n"
                            "E: SUBSYSTEM=usb\n"
                            "E: DEVNAME=/dev/bus/usb/001/%s\n"
                            "E: DEVTYPE=usb_device\n"
                            "A: busnum=1\\n\n"
                            "A: devnum=%s\\n\n"
                            "A: speed=480\\n\n"
                            "A: bConfigurationValue=1\\n\n"
                            "H: descriptors=%s\n",
                            name, devnum, devnum, hex->str);
  assert_true (umockdev_testbed_add_from_string (testbed, record, &error));
  assert_null (error);
  return g_strdup_printf ("/sys/devices/%s", name);
}

static void
test_hotplug_record (void **state G_GNUC_UNUSED)
{
  g_autoptr(UMockdevTestbed) testbed = NULL;
  g_autoptr(HpDeviceManager) manager = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  Events events = { 0 };
  guint16 vendor_id, product_id;

  testbed = umockdev_testbed_new ();
  /* Without the preload library libusb would see the real (empty) system. */
  assert_true (umockdev_in_mock_environment ());
  first = add_usb_device (testbed, "usb-first", "002");

  manager = hp_device_manager_new ();
  g_signal_connect (manager, "usb-device-arrived", G_CALLBACK (on_arrived), &events);
  g_signal_connect (manager, "usb-device-left", G_CALLBACK (on_left), &events);
  assert_true (hp_device_manager_start_usb (manager, &error));
  assert_null (error);

  /* Present at start: reported through the same callback. */
  assert_int_equal (events.arrived, 1);
  assert_int_equal (hp_device_manager_get_n_usb_devices (manager), 1);
  assert_true (hp_device_manager_get_usb_device (manager, 0, &vendor_id, &product_id));
  assert_int_equal (vendor_id, 0x1234);
  assert_int_equal (product_id, 0x5678);

  /* Plugged in later (adding to the testbed sends the "add" uevent). */
  second = add_usb_device (testbed, "usb-second", "003");
  wait_until (&events, &events.arrived, 2);
  assert_int_equal (hp_device_manager_get_n_usb_devices (manager), 2);

  /* Unplugged. */
  umockdev_testbed_uevent (testbed, first, "remove");
  umockdev_testbed_remove_device (testbed, first);
  wait_until (&events, &events.left, 1);
  assert_int_equal (events.vendor_id, 0x1234);
  assert_int_equal (events.product_id, 0x5678);
  assert_int_equal (hp_device_manager_get_n_usb_devices (manager), 1);

  g_signal_handlers_disconnect_by_data (manager, &events);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_hotplug_record),
  };

  return cmocka_run_group_tests_name ("usb-hotplug", tests, NULL, NULL);
}
