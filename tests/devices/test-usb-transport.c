/* End-to-end tests of the libusb transport and the device manager against devices faked in usbdevfs (run under umockdev-wrapper). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libusb.h>
#include <umockdev.h>

#include "hp-device-manager.h"
#include "hp-driver.h"
#include "hp-fake-usb.h"
#include "hp-phdc-device.h"
#include "hp-phdc-simulator.h"
#include "hp-test-util.h"
#include "hp-usb-descriptors.h"
#include "hp-usb-transport-private.h"

#define SAFETY_TIMEOUT_S 10
#define PHDC_BULK_IN  0x81
#define PHDC_BULK_OUT 0x01
#define HID_INTERRUPT_IN 0x82

/* A PHDC blood-pressure cuff: device descriptor (1234:0f0f, strings 1-3),
 * one configuration with one PHDC interface: class function descriptor
 * (11073-20601), 11073 function descriptor listing 0x1007, bulk IN/OUT and
 * interrupt IN with their QoS descriptors. */
static const guint8 phdc_descriptors[] = {
  0x12, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x40, 0x34, 0x12, 0x0f, 0x0f,
  0x00, 0x01, 0x01, 0x02, 0x03, 0x01,
  0x09, 0x02, 0x3e, 0x00, 0x01, 0x01, 0x00, 0x80, 0x32,
  0x09, 0x04, 0x00, 0x00, 0x03, 0x0f, 0x00, 0x00, 0x00,
  0x04, 0x20, 0x02, 0x00,
  0x06, 0x30, 0x00, 0x01, 0x07, 0x10,
  0x07, 0x05, PHDC_BULK_IN, 0x02, 0x40, 0x00, 0x00,
  0x04, 0x21, 0x01, 0x08,
  0x07, 0x05, PHDC_BULK_OUT, 0x02, 0x40, 0x00, 0x00,
  0x04, 0x21, 0x01, 0x08,
  0x07, 0x05, 0x83, 0x03, 0x40, 0x00, 0x08,
  0x04, 0x21, 0x01, 0x01,
};

/* A HID device (1234:8d01) with one interrupt IN pipe and no OUT pipe, its
 * HID descriptor announcing the report descriptor below. */
static const guint8 hid_report_descriptor[] = {
  0x05, 0x8d,       /* Usage Page (Scale) */
  0x09, 0x01,       /* Usage (Scale) */
  0xa1, 0x01,       /* Collection (Application) */
  0x85, 0x03,       /*   Report ID (3) */
  0x09, 0x30,       /*   Usage (Weight) */
  0x15, 0x00, 0x26, 0xff, 0x00, 0x75, 0x08, 0x95, 0x05,
  0x81, 0x02,       /*   Input (Data, Variable) */
  0x85, 0x05,       /*   Report ID (5) */
  0x09, 0x31, 0x95, 0x02,
  0xb1, 0x02,       /*   Feature (Data, Variable) */
  0xc0,             /* End Collection */
};

static const guint8 hid_descriptors[] = {
  0x12, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x08, 0x34, 0x12, 0x01, 0x8d,
  0x00, 0x01, 0x01, 0x02, 0x03, 0x01,
  0x09, 0x02, 0x22, 0x00, 0x01, 0x01, 0x00, 0x80, 0x32,
  0x09, 0x04, 0x00, 0x00, 0x01, 0x03, 0x00, 0x00, 0x00,
  0x09, 0x21, 0x11, 0x01, 0x00, 0x01, 0x22, sizeof hid_report_descriptor, 0x00,
  0x07, 0x05, HID_INTERRUPT_IN, 0x03, 0x08, 0x00, 0x0a,
};

/* A vendor-specific device no driver knows (1234:ffff). */
static const guint8 vendor_descriptors[] = {
  0x12, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x40, 0x34, 0x12, 0xff, 0xff,
  0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
  0x09, 0x02, 0x12, 0x00, 0x01, 0x01, 0x00, 0x80, 0x32,
  0x09, 0x04, 0x00, 0x00, 0x00, 0xff, 0x00, 0x00, 0x00,
};

/* Conditions for hp_test_iterate_until() */

typedef struct {
  GListModel *model;
  guint n;
} ModelSize;

static gboolean
model_has_n (gconstpointer data)
{
  const ModelSize *size = data;

  return g_list_model_get_n_items (size->model) == size->n;
}

static gboolean
flag_is_set (gconstpointer data)
{
  return *(const gboolean *) data;
}

static gboolean
pointer_is_set (gconstpointer data)
{
  return *(gconstpointer const *) data != NULL;
}

typedef struct {
  HpDeviceManager *manager;
  guint index;
  HpUsbDeviceStatus status;
} StatusWait;

static gboolean
usb_status_is (gconstpointer data)
{
  const StatusWait *wait = data;
  g_autoptr(GPtrArray) descriptions = hp_device_manager_describe_usb_devices (wait->manager);
  const HpUsbDeviceDescription *description;

  if (wait->index >= descriptions->len)
    return FALSE;
  description = g_ptr_array_index (descriptions, wait->index);
  return description->status == wait->status;
}

static HpUsbDeviceDescription *
describe (HpDeviceManager *manager,
          guint            index)
{
  g_autoptr(GPtrArray) descriptions = hp_device_manager_describe_usb_devices (manager);

  assert_true (index < descriptions->len);
  return g_ptr_array_steal_index (descriptions, index);
}

/* The far end of the PHDC fake: the byte-exact agent of the simulators,
 * reached through a simulator transport whose host side is this adapter. */

typedef struct {
  HpFakeUsb *fake;
  HpSimulatorTransport *link;
  HpPhdcSimulator *agent;
} PhdcAgent;

typedef struct {
  PhdcAgent *agent;
  GBytes *bytes;
} HostWrite;

static gboolean
deliver_host_write (gpointer user_data)
{
  HostWrite *write = user_data;

  hp_transport_send (HP_TRANSPORT (write->agent->link), write->bytes, NULL);
  g_bytes_unref (write->bytes);
  g_free (write);
  return G_SOURCE_REMOVE;
}

/* On umockdev's thread: hand the host's bulk OUT bytes to the main thread. */
static void
on_fake_out (HpFakeUsb    *fake G_GNUC_UNUSED,
             guint8        endpoint,
             const guint8 *data,
             gsize         len,
             gpointer      user_data)
{
  HostWrite *write;

  if (endpoint != PHDC_BULK_OUT)
    return;
  write = g_new0 (HostWrite, 1);
  write->agent = user_data;
  write->bytes = g_bytes_new (data, len);
  g_idle_add (deliver_host_write, write);
}

static void
on_agent_bytes (HpTransport *link G_GNUC_UNUSED,
                GBytes      *bytes,
                gpointer     user_data)
{
  PhdcAgent *agent = user_data;
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  hp_fake_usb_queue_in (agent->fake, PHDC_BULK_IN, data, size);
}

static void
phdc_agent_init (PhdcAgent *agent,
                 HpFakeUsb *fake)
{
  HpPhdcSimulation simulation = {
    .kind = HP_MEASUREMENT_KIND_BLOOD_PRESSURE,
    .value = 128, .diastolic = 84, .pulse = 66,
    .measure_ms = 10,
  };

  agent->fake = fake;
  agent->link = hp_simulator_transport_new ();
  agent->agent = hp_phdc_simulator_new (agent->link, &simulation);
  g_signal_connect (agent->link, "received", G_CALLBACK (on_agent_bytes), agent);
  hp_fake_usb_set_out_func (fake, on_fake_out, agent);
}

static void
phdc_agent_clear (PhdcAgent *agent)
{
  hp_fake_usb_set_out_func (agent->fake, NULL, NULL);
  g_signal_handlers_disconnect_by_data (agent->link, agent);
  g_clear_object (&agent->agent);
  g_clear_object (&agent->link);
}

typedef struct {
  HpMeasurement *measurement;
  GError *error;
  gboolean done;
} Outcome;

static void
on_ready (HpDevice      *device G_GNUC_UNUSED,
          HpMeasurement *measurement,
          gpointer       user_data)
{
  Outcome *outcome = user_data;

  outcome->measurement = g_object_ref (measurement);
  outcome->done = TRUE;
}

static void
on_failed (HpDevice     *device G_GNUC_UNUSED,
           const GError *error,
           gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->error = g_error_copy (error);
  outcome->done = TRUE;
}

typedef struct {
  guint left;
} Departures;

static void
on_left (HpDeviceManager *manager G_GNUC_UNUSED,
         guint            vendor_id G_GNUC_UNUSED,
         guint            product_id G_GNUC_UNUSED,
         gpointer         user_data)
{
  ((Departures *) user_data)->left++;
}

static gboolean
departed (gconstpointer data)
{
  return ((const Departures *) data)->left > 0;
}

/* Starts a manager, plugs the cuff in afterwards (a hotplug "add") and
 * waits for its driver's device. */
static HpDevice *
plug_cuff (UMockdevTestbed  *testbed,
           HpDeviceManager  *manager,
           HpFakeUsb       **fake)
{
  g_autoptr(GError) error = NULL;
  ModelSize size = { hp_device_manager_get_devices (manager), 1 };
  HpDevice *device;

  assert_true (hp_device_manager_start_usb (manager, &error));
  assert_int_equal (hp_device_manager_get_n_usb_devices (manager), 0);

  *fake = hp_fake_usb_new (testbed, 5, phdc_descriptors, sizeof phdc_descriptors, NULL, 0);
  hp_fake_usb_set_strings (*fake, "Test cuff", "CUFF-0042");
  assert_true (hp_test_iterate_until (model_has_n, &size, SAFETY_TIMEOUT_S));
  device = g_list_model_get_item (size.model, 0);
  hp_phdc_device_set_timeouts (HP_PHDC_DEVICE (device), 2000, 2000);
  return device;
}

static void
test_bulk_phdc_reading (void **state G_GNUC_UNUSED)
{
  g_autoptr(UMockdevTestbed) testbed = umockdev_testbed_new ();
  g_autoptr(HpFakeUsb) fake = NULL;
  g_autoptr(HpDeviceManager) manager = hp_device_manager_new ();
  g_autoptr(HpDevice) device = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpUsbDeviceDescription) description = NULL;
  PhdcAgent agent = { 0 };
  Outcome outcome = { 0 };
  double value;
  const char *unit;

  assert_true (umockdev_in_mock_environment ());
  device = plug_cuff (testbed, manager, &fake);
  assert_true (HP_IS_PHDC_DEVICE (device));
  assert_int_equal (hp_device_get_kind (device), HP_MEASUREMENT_KIND_BLOOD_PRESSURE);
  assert_string_equal (hp_device_get_name (device), "Test cuff");
  assert_true (g_str_has_prefix (hp_device_get_id (device), "ieee11073-usb"));

  description = describe (manager, 0);
  assert_int_equal (description->vendor_id, 0x1234);
  assert_int_equal (description->product_id, 0x0f0f);
  assert_int_equal (description->status, HP_USB_DEVICE_STATUS_READY);
  assert_string_equal (description->protocol, "ieee11073");
  assert_string_equal (description->model, "Test cuff");
  assert_string_equal (description->device_id, hp_device_get_id (device));
  /* Identifying the device claims nothing: PHDC needs no control transfer. */
  assert_int_equal (hp_fake_usb_get_n_claims (fake), 0);

  phdc_agent_init (&agent, fake);
  g_signal_connect (device, "measurement-ready", G_CALLBACK (on_ready), &outcome);
  g_signal_connect (device, "measurement-failed", G_CALLBACK (on_failed), &outcome);
  assert_true (hp_device_start_measurement (device, &error));
  g_clear_pointer (&description, hp_usb_device_description_free);
  description = describe (manager, 0);
  assert_int_equal (description->status, HP_USB_DEVICE_STATUS_MEASURING);
  assert_int_equal (hp_fake_usb_get_n_claims (fake), 1);

  /* The agent associates once the host side opens its link. */
  assert_true (hp_transport_open (HP_TRANSPORT (agent.link), NULL));
  assert_true (hp_test_iterate_until (flag_is_set, &outcome.done, SAFETY_TIMEOUT_S));
  assert_null (outcome.error);
  assert_non_null (outcome.measurement);
  assert_true (hp_measurement_get_value (outcome.measurement, HP_QUANTITY_SYSTOLIC, &value, &unit));
  assert_float_equal (value, 128, 1e-9);
  assert_string_equal (unit, "mm[Hg]");
  assert_true (hp_measurement_get_value (outcome.measurement, HP_QUANTITY_DIASTOLIC, &value, &unit));
  assert_float_equal (value, 84, 1e-9);
  assert_true (hp_measurement_get_value (outcome.measurement, HP_QUANTITY_PULSE_RATE, &value, &unit));
  assert_float_equal (value, 66, 1e-9);
  assert_int_equal (hp_device_get_state (device), HP_DEVICE_STATE_READY);

  /* The driver closed the link: the reads are cancelled, the interface given back. */
  assert_true (hp_test_iterate_until ((HpTestCondition) hp_fake_usb_get_n_releases, fake, SAFETY_TIMEOUT_S));
  assert_int_equal (hp_fake_usb_get_n_pending_in (fake), 0);

  g_signal_handlers_disconnect_by_data (device, &outcome);
  g_clear_object (&outcome.measurement);
  phdc_agent_clear (&agent);
}

static void
test_unplug_during_measurement (void **state G_GNUC_UNUSED)
{
  g_autoptr(UMockdevTestbed) testbed = umockdev_testbed_new ();
  g_autoptr(HpFakeUsb) fake = NULL;
  g_autoptr(HpDeviceManager) manager = hp_device_manager_new ();
  g_autoptr(HpDevice) device = NULL;
  g_autoptr(GError) error = NULL;
  Outcome outcome = { 0 };
  Departures departures = { 0 };

  device = plug_cuff (testbed, manager, &fake);
  g_signal_connect (device, "measurement-ready", G_CALLBACK (on_ready), &outcome);
  g_signal_connect (device, "measurement-failed", G_CALLBACK (on_failed), &outcome);
  g_signal_connect (manager, "usb-device-left", G_CALLBACK (on_left), &departures);
  assert_true (hp_device_start_measurement (device, &error));

  /* The cuff says nothing and is pulled out. */
  hp_fake_usb_unplug (fake);
  assert_true (hp_test_iterate_until (flag_is_set, &outcome.done, SAFETY_TIMEOUT_S));
  assert_null (outcome.measurement);
  assert_non_null (outcome.error);
  assert_true (g_error_matches (outcome.error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_DISCONNECTED));

  assert_true (hp_test_iterate_until (departed, &departures, SAFETY_TIMEOUT_S));
  assert_int_equal (hp_device_manager_get_n_usb_devices (manager), 0);
  assert_int_equal (g_list_model_get_n_items (hp_device_manager_get_devices (manager)), 0);
  assert_int_equal (hp_device_get_state (device), HP_DEVICE_STATE_DISCONNECTED);
  /* A device that left cannot measure. */
  assert_false (hp_device_start_measurement (device, &error));
  assert_non_null (error);

  g_signal_handlers_disconnect_by_data (device, &outcome);
  g_signal_handlers_disconnect_by_data (manager, &departures);
  g_clear_error (&outcome.error);
}

/* A transport on the HID fake made by hand, with a libusb context of its own. */
typedef struct {
  HpUsbContext *usb;
  HpUsbTransport *transport;
} HidLink;

static void
hid_link_open (HidLink *link)
{
  libusb_context *ctx = NULL;
  libusb_device **list = NULL;
  libusb_device_handle *handle = NULL;
  struct libusb_config_descriptor *config = NULL;
  HpUsbEndpoints endpoints;
  g_autoptr(GError) error = NULL;
  ssize_t n;

  assert_int_equal (libusb_init (&ctx), 0);
  link->usb = hp_usb_context_new (ctx, NULL);
  n = libusb_get_device_list (ctx, &list);
  for (ssize_t i = 0; i < n && handle == NULL; i++)
    {
      struct libusb_device_descriptor descriptor;

      libusb_get_device_descriptor (list[i], &descriptor);
      if (descriptor.idVendor == 0x1234 && descriptor.idProduct == 0x8d01)
        {
          assert_int_equal (libusb_open (list[i], &handle), 0);
          assert_int_equal (libusb_get_active_config_descriptor (list[i], &config), 0);
        }
    }
  libusb_free_device_list (list, TRUE);
  assert_non_null (handle);
  assert_true (hp_usb_endpoints_from_interface (&config->interface[0].altsetting[0],
                                                HP_TRANSPORT_KIND_HID_REPORTS, &endpoints, &error));
  libusb_free_config_descriptor (config);
  assert_int_equal (endpoints.in_endpoint, HID_INTERRUPT_IN);
  assert_int_equal (endpoints.out_endpoint, 0);
  link->transport = hp_usb_transport_new (link->usb, handle, HP_TRANSPORT_KIND_HID_REPORTS, &endpoints);
  hp_usb_transport_set_timeout (link->transport, 1000);
}

static void
hid_link_clear (HidLink *link)
{
  g_clear_object (&link->transport);
  /* The handle goes from an idle callback once its last transfer is back. */
  for (guint i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);
  g_clear_pointer (&link->usb, hp_usb_context_unref);
}

typedef struct {
  GBytes *bytes;
  GError *error;
  gboolean done;
} ControlResult;

static void
on_control (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ControlResult *control = user_data;

  control->bytes = hp_transport_control_finish (HP_TRANSPORT (source), result, &control->error);
  control->done = TRUE;
}

static void
control_sync (HpTransport          *transport,
              const HpControlSetup *setup,
              GBytes               *data_out,
              guint16               length_in,
              ControlResult        *control)
{
  memset (control, 0, sizeof *control);
  hp_transport_control_async (transport, setup, data_out, length_in, NULL, on_control, control);
  /* Never from within the call. */
  assert_false (control->done);
  assert_true (hp_test_iterate_until (flag_is_set, &control->done, SAFETY_TIMEOUT_S));
}

static void
control_result_clear (ControlResult *control)
{
  g_clear_pointer (&control->bytes, g_bytes_unref);
  g_clear_error (&control->error);
}

static void
test_control_requests (void **state G_GNUC_UNUSED)
{
  g_autoptr(UMockdevTestbed) testbed = umockdev_testbed_new ();
  g_autoptr(HpFakeUsb) fake = hp_fake_usb_new (testbed, 7, hid_descriptors, sizeof hid_descriptors,
                                               hid_report_descriptor, sizeof hid_report_descriptor);
  static const guint8 feature[] = { 0x05, 0xaa, 0xbb };
  g_autoptr(GBytes) feature_bytes = g_bytes_new_static (feature, sizeof feature);
  HpControlSetup get_report_descriptor = {
    HP_CONTROL_STANDARD_INTERFACE_IN, 0x06, 0x2200, 0,
  };
  HpControlSetup set_feature = {
    HP_CONTROL_CLASS_INTERFACE_OUT, HP_HID_REQUEST_SET_REPORT, HP_HID_REPORT_TYPE_FEATURE << 8 | 0x05, 0,
  };
  HpControlSetup get_feature = {
    HP_CONTROL_CLASS_INTERFACE_IN, HP_HID_REQUEST_GET_REPORT, HP_HID_REPORT_TYPE_FEATURE << 8 | 0x05, 0,
  };
  HpControlSetup get_unknown_feature = {
    HP_CONTROL_CLASS_INTERFACE_IN, HP_HID_REQUEST_GET_REPORT, HP_HID_REPORT_TYPE_FEATURE << 8 | 0x09, 0,
  };
  HidLink link = { 0 };
  ControlResult control;
  HpUsbHidReportInfo info;
  g_autoptr(GError) error = NULL;

  hid_link_open (&link);

  /* The report descriptor, as the manager reads it to match usage pages. */
  control_sync (HP_TRANSPORT (link.transport), &get_report_descriptor, NULL, 512, &control);
  assert_null (control.error);
  assert_int_equal (g_bytes_get_size (control.bytes), sizeof hid_report_descriptor);
  assert_memory_equal (g_bytes_get_data (control.bytes, NULL), hid_report_descriptor, sizeof hid_report_descriptor);
  assert_true (hp_usb_parse_hid_report_descriptor (g_bytes_get_data (control.bytes, NULL),
                                                   g_bytes_get_size (control.bytes), &info, &error));
  assert_int_equal (info.n_usage_pages, 1);
  assert_int_equal (info.usage_pages[0], HP_USB_HID_USAGE_PAGE_SCALE);
  assert_true (info.uses_report_ids);
  control_result_clear (&control);
  /* An interface request claims the interface, and gives it back after. */
  assert_int_equal (hp_fake_usb_get_n_claims (fake), 1);
  assert_int_equal (hp_fake_usb_get_n_releases (fake), 1);

  /* SET_REPORT(Feature) then GET_REPORT(Feature): the device's copy comes back. */
  control_sync (HP_TRANSPORT (link.transport), &set_feature, feature_bytes, 0, &control);
  assert_null (control.error);
  assert_int_equal (g_bytes_get_size (control.bytes), 0);
  control_result_clear (&control);
  control_sync (HP_TRANSPORT (link.transport), &get_feature, NULL, 8, &control);
  assert_null (control.error);
  assert_int_equal (g_bytes_get_size (control.bytes), sizeof feature);
  assert_memory_equal (g_bytes_get_data (control.bytes, NULL), feature, sizeof feature);
  control_result_clear (&control);

  /* A request the device stalls is a protocol error. */
  control_sync (HP_TRANSPORT (link.transport), &get_unknown_feature, NULL, 8, &control);
  assert_null (control.bytes);
  assert_true (g_error_matches (control.error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_PROTOCOL));
  control_result_clear (&control);

  hid_link_clear (&link);
}

typedef struct {
  GPtrArray *reports;
  GError *closed;
} ReportLog;

static void
on_report (HpTransport *transport G_GNUC_UNUSED,
           GBytes      *bytes,
           gpointer     user_data)
{
  g_ptr_array_add (((ReportLog *) user_data)->reports, g_bytes_ref (bytes));
}

static void
on_closed (HpTransport  *transport G_GNUC_UNUSED,
           const GError *error,
           gpointer      user_data)
{
  ReportLog *log = user_data;

  g_clear_error (&log->closed);
  log->closed = g_error_copy (error);
}

static gboolean
has_two_reports (gconstpointer data)
{
  return ((const ReportLog *) data)->reports->len >= 2;
}

static void
test_interrupt_reports (void **state G_GNUC_UNUSED)
{
  g_autoptr(UMockdevTestbed) testbed = umockdev_testbed_new ();
  g_autoptr(HpFakeUsb) fake = hp_fake_usb_new (testbed, 8, hid_descriptors, sizeof hid_descriptors,
                                               hid_report_descriptor, sizeof hid_report_descriptor);
  static const guint8 moving[] = { 0x03, 0x03, 0x03, 0xff, 0x10, 0x03 };
  static const guint8 stable[] = { 0x03, 0x04, 0x03, 0xff, 0x4c, 0x03 };
  static const guint8 output[] = { 0x04, 0x01 };
  g_autoptr(GBytes) output_bytes = g_bytes_new_static (output, sizeof output);
  g_autoptr(GBytes) sent = NULL;
  g_autoptr(GError) error = NULL;
  ReportLog log = { g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref), NULL };
  HidLink link = { 0 };

  hid_link_open (&link);
  hp_usb_transport_set_uses_report_ids (link.transport, TRUE);
  g_signal_connect (link.transport, "received", G_CALLBACK (on_report), &log);
  g_signal_connect (link.transport, "closed", G_CALLBACK (on_closed), &log);

  /* Writing before opening is refused. */
  assert_false (hp_transport_send (HP_TRANSPORT (link.transport), output_bytes, &error));
  assert_true (g_error_matches (error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_NOT_CONNECTED));
  g_clear_error (&error);

  assert_true (hp_transport_open (HP_TRANSPORT (link.transport), &error));
  hp_fake_usb_queue_in (fake, HID_INTERRUPT_IN, moving, sizeof moving);
  hp_fake_usb_queue_in (fake, HID_INTERRUPT_IN, stable, sizeof stable);
  assert_true (hp_test_iterate_until (has_two_reports, &log, SAFETY_TIMEOUT_S));
  /* One "received" per report, whole and in order. */
  assert_int_equal (g_bytes_get_size (g_ptr_array_index (log.reports, 0)), sizeof moving);
  assert_memory_equal (g_bytes_get_data (g_ptr_array_index (log.reports, 0), NULL), moving, sizeof moving);
  assert_memory_equal (g_bytes_get_data (g_ptr_array_index (log.reports, 1), NULL), stable, sizeof stable);

  /* No interrupt OUT pipe: an output report goes as SET_REPORT(Output). */
  assert_true (hp_transport_send (HP_TRANSPORT (link.transport), output_bytes, &error));
  while ((sent = hp_fake_usb_dup_output_report (fake)) == NULL)
    g_main_context_iteration (NULL, TRUE);
  assert_int_equal (g_bytes_get_size (sent), sizeof output);
  assert_memory_equal (g_bytes_get_data (sent, NULL), output, sizeof output);

  /* A stalled pipe ends the link with a protocol error. */
  hp_fake_usb_stall_in (fake, HID_INTERRUPT_IN);
  assert_true (hp_test_iterate_until (pointer_is_set, &log.closed, SAFETY_TIMEOUT_S));
  assert_true (g_error_matches (log.closed, HP_DEVICE_ERROR, HP_DEVICE_ERROR_PROTOCOL));

  /* Opened again, reports flow again. */
  g_ptr_array_set_size (log.reports, 0);
  assert_true (hp_transport_open (HP_TRANSPORT (link.transport), &error));
  hp_fake_usb_queue_in (fake, HID_INTERRUPT_IN, stable, sizeof stable);
  hp_fake_usb_queue_in (fake, HID_INTERRUPT_IN, stable, sizeof stable);
  assert_true (hp_test_iterate_until (has_two_reports, &log, SAFETY_TIMEOUT_S));
  hp_transport_close (HP_TRANSPORT (link.transport));

  g_signal_handlers_disconnect_by_data (link.transport, &log);
  hid_link_clear (&link);
  g_ptr_array_unref (log.reports);
  g_clear_error (&log.closed);
}

static void
test_usage_page_match (void **state G_GNUC_UNUSED)
{
  g_autoptr(UMockdevTestbed) testbed = umockdev_testbed_new ();
  g_autoptr(HpFakeUsb) fake = hp_fake_usb_new (testbed, 9, hid_descriptors, sizeof hid_descriptors,
                                               hid_report_descriptor, sizeof hid_report_descriptor);
  g_autoptr(HpDeviceManager) manager = hp_device_manager_new ();
  g_autoptr(HpUsbDeviceDescription) description = NULL;
  g_autoptr(GError) error = NULL;
  const HpUsbMatch *match = NULL;
  const HpDriver *driver = hp_driver_registry_match (0x1234, 0x8d01, 0, HP_USB_HID_USAGE_PAGE_SCALE, &match);
  StatusWait probed = { manager, 0, driver != NULL ? HP_USB_DEVICE_STATUS_READY : HP_USB_DEVICE_STATUS_NO_DRIVER };

  hp_fake_usb_set_strings (fake, "Floor scale", NULL);
  assert_true (hp_device_manager_start_usb (manager, &error));
  assert_int_equal (hp_device_manager_get_n_usb_devices (manager), 1);
  assert_true (hp_test_iterate_until (usb_status_is, &probed, SAFETY_TIMEOUT_S));

  /* The manager read the report descriptor to decide. */
  assert_true (hp_fake_usb_get_n_claims (fake) >= 1);
  description = describe (manager, 0);
  assert_string_equal (description->model, "Floor scale");
  if (driver != NULL)
    {
      g_autoptr(HpDevice) device = g_list_model_get_item (hp_device_manager_get_devices (manager), 0);

      assert_string_equal (description->protocol, driver->protocol);
      assert_non_null (device);
      assert_int_equal (hp_device_get_kind (device), HP_MEASUREMENT_KIND_BODY_WEIGHT);
    }
  else
    {
      assert_null (description->protocol);
      assert_int_equal (g_list_model_get_n_items (hp_device_manager_get_devices (manager)), 0);
    }
}

static void
test_permission_denied (void **state G_GNUC_UNUSED)
{
  g_autoptr(UMockdevTestbed) testbed = umockdev_testbed_new ();
  g_autoptr(HpFakeUsb) fake G_GNUC_UNUSED = hp_fake_usb_new_unopenable (testbed, 10, phdc_descriptors, sizeof phdc_descriptors);
  g_autoptr(HpDeviceManager) manager = hp_device_manager_new ();
  g_autoptr(HpUsbDeviceDescription) description = NULL;
  g_autoptr(GError) error = NULL;
  StatusWait probed = { manager, 0, HP_USB_DEVICE_STATUS_PERMISSION_DENIED };

  assert_true (hp_device_manager_start_usb (manager, &error));
  assert_true (hp_test_iterate_until (usb_status_is, &probed, SAFETY_TIMEOUT_S));
  description = describe (manager, 0);
  assert_int_equal (description->vendor_id, 0x1234);
  assert_string_equal (description->protocol, "ieee11073");
  assert_non_null (description->detail);
  assert_non_null (strstr (description->detail, "70-healthpost.rules"));
  assert_string_equal (hp_usb_device_status_to_string (description->status), "permission-denied");
  assert_int_equal (g_list_model_get_n_items (hp_device_manager_get_devices (manager)), 0);
}

static void
test_no_driver (void **state G_GNUC_UNUSED)
{
  g_autoptr(UMockdevTestbed) testbed = umockdev_testbed_new ();
  g_autoptr(HpFakeUsb) fake = hp_fake_usb_new (testbed, 11, vendor_descriptors, sizeof vendor_descriptors, NULL, 0);
  g_autoptr(HpDeviceManager) manager = hp_device_manager_new ();
  g_autoptr(HpUsbDeviceDescription) description = NULL;
  g_autoptr(GError) error = NULL;
  StatusWait probed = { manager, 0, HP_USB_DEVICE_STATUS_NO_DRIVER };

  assert_true (hp_device_manager_start_usb (manager, &error));
  assert_true (hp_test_iterate_until (usb_status_is, &probed, SAFETY_TIMEOUT_S));
  description = describe (manager, 0);
  assert_int_equal (description->product_id, 0xffff);
  assert_null (description->protocol);
  assert_null (description->device_id);
  assert_string_equal (hp_usb_device_status_to_string (description->status), "no-driver");
  /* Nothing was opened or claimed for it. */
  assert_int_equal (hp_fake_usb_get_n_claims (fake), 0);
  assert_int_equal (g_list_model_get_n_items (hp_device_manager_get_devices (manager)), 0);
}

/* What a test let go (transfers, handles, the libusb context) goes from
 * idle callbacks: run them before the next test opens a testbed of its own. */
static int
drain_main_loop (void **state G_GNUC_UNUSED)
{
  for (guint i = 0; i < 200; i++)
    g_main_context_iteration (NULL, FALSE);
  return 0;
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_teardown (test_bulk_phdc_reading, drain_main_loop),
    cmocka_unit_test_teardown (test_unplug_during_measurement, drain_main_loop),
    cmocka_unit_test_teardown (test_control_requests, drain_main_loop),
    cmocka_unit_test_teardown (test_interrupt_reports, drain_main_loop),
    cmocka_unit_test_teardown (test_usage_page_match, drain_main_loop),
    cmocka_unit_test_teardown (test_permission_denied, drain_main_loop),
    cmocka_unit_test_teardown (test_no_driver, drain_main_loop),
  };

  return cmocka_run_group_tests_name ("usb-transport", tests, NULL, NULL);
}
