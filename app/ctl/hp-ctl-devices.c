/* healthpost-ctl devices, read and decode: what staff use to see and diagnose the measuring devices. */
#include <glib/gi18n.h>
#include <stdio.h>

#include "hp-capture-recorder.h"
#include "hp-ctl.h"
#include "hp-device-manager.h"
#include "hp-driver.h"
#include "hp-phdc-device.h"
#include "hp-replay.h"
#include "hp-transport-device.h"

/* How long enumeration and opening may take before the list is printed. */
#define SETTLE_MS 1500

static const char *
state_to_string (HpDeviceState state)
{
  switch (state)
    {
    case HP_DEVICE_STATE_DISCONNECTED:
      return "disconnected";
    case HP_DEVICE_STATE_READY:
      return "ready";
    case HP_DEVICE_STATE_MEASURING:
      return "measuring";
    case HP_DEVICE_STATE_ERROR:
      return "error";
    default:
      return "unknown";
    }
}

static gboolean
settle_done (gpointer user_data)
{
  gboolean *done = user_data;

  *done = TRUE;
  return G_SOURCE_REMOVE;
}

static void
settle (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, settle_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static HpDeviceManager *
start_manager (void)
{
  HpDeviceManager *manager = hp_device_manager_new ();
  g_autoptr(GError) error = NULL;

  if (!hp_device_manager_start_usb (manager, &error))
    g_printerr ("healthpost-ctl: USB is not available: %s\n", error->message);
  else
    settle (SETTLE_MS);
  return manager;
}

int
hp_ctl_devices (int    argc,
                char **argv)
{
  static const HpCtlCommand self = { "devices", "devices", NULL, NULL };
  g_autoptr(HpDeviceManager) manager = NULL;
  g_autoptr(GPtrArray) usb = NULL;
  GListModel *devices;

  if (!hp_ctl_parse_options (&self, NULL, &argc, &argv))
    return 2;
  if (argc != 1)
    {
      g_printerr ("usage: healthpost-ctl %s\n", self.usage);
      return 2;
    }

  manager = start_manager ();
  devices = hp_device_manager_get_devices (manager);

  usb = hp_device_manager_describe_usb_devices (manager);
  g_print ("USB devices present: %u\n", usb->len);
  for (guint i = 0; i < usb->len; i++)
    {
      HpUsbDeviceDescription *d = g_ptr_array_index (usb, i);

      g_print ("  %04x:%04x  bus %03u address %03u  %-18s %-14s %s\n",
               d->vendor_id, d->product_id, d->bus_number, d->address,
               hp_usb_device_status_to_string (d->status),
               d->protocol != NULL ? d->protocol : "-",
               d->model != NULL ? d->model : "");
      if (d->device_id != NULL)
        g_print ("      device: %s\n", d->device_id);
      if (d->detail != NULL)
        g_print ("      %s\n", d->detail);
    }

  g_print ("Measuring devices: %u\n", g_list_model_get_n_items (devices));
  for (guint i = 0; i < g_list_model_get_n_items (devices); i++)
    {
      g_autoptr(HpDevice) device = g_list_model_get_item (devices, i);

      g_print ("  %-32s %-16s %-12s %s\n", hp_device_get_id (device),
               hp_measurement_kind_to_string (hp_device_get_kind (device)),
               state_to_string (hp_device_get_state (device)),
               hp_device_get_name (device) != NULL ? hp_device_get_name (device) : "");
    }
  return 0;
}

/* Prints one measurement for staff: kind, each value with its unit as
 * sent, device time and flags. */
static void
print_measurement (HpMeasurement *measurement)
{
  GDateTime *device_time = hp_measurement_get_device_time (measurement);

  g_print ("%s", hp_measurement_kind_to_string (hp_measurement_get_kind (measurement)));
  for (guint q = 0; q <= HP_QUANTITY_LAST; q++)
    {
      double value;
      const char *unit;

      if (hp_measurement_get_value (measurement, q, &value, &unit))
        g_print (" %s=%g %s", hp_quantity_to_string (q), value, unit);
    }
  if (device_time != NULL)
    {
      g_autofree char *text = g_date_time_format_iso8601 (device_time);
      g_print (" device-time=%s", text);
    }
  if (hp_measurement_get_flags (measurement) & HP_MEASUREMENT_FLAG_DEVICE_CLOCK_INVALID)
    g_print (" device-clock-invalid");
  /* A meter's HI or LO: the value printed is only its limit. */
  if (hp_measurement_get_flags (measurement) & HP_MEASUREMENT_FLAG_ABOVE_RANGE)
    g_print (" above-range");
  if (hp_measurement_get_flags (measurement) & HP_MEASUREMENT_FLAG_BELOW_RANGE)
    g_print (" below-range");
  if (hp_measurement_get_device_id (measurement) != NULL)
    g_print (" device=%s", hp_measurement_get_device_id (measurement));
  g_print ("\n");
}

typedef struct {
  HpMeasurement *measurement;
  GError *error;
  gboolean done;
} Reading;

static void
on_ready (HpDevice      *device G_GNUC_UNUSED,
          HpMeasurement *measurement,
          gpointer       user_data)
{
  Reading *reading = user_data;

  reading->measurement = g_object_ref (measurement);
  reading->done = TRUE;
}

static void
on_failed (HpDevice     *device G_GNUC_UNUSED,
           const GError *error,
           gpointer      user_data)
{
  Reading *reading = user_data;

  reading->error = g_error_copy (error);
  reading->done = TRUE;
}

static HpDevice *
find_device (GListModel *devices,
             const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (devices); i++)
    {
      g_autoptr(HpDevice) device = g_list_model_get_item (devices, i);

      if (g_strcmp0 (hp_device_get_id (device), name) == 0)
        return g_steal_pointer (&device);
    }
  return NULL;
}

int
hp_ctl_read (int    argc,
             char **argv)
{
  static const HpCtlCommand self = {
    "read", "read [--record FILE] DEVICE | read [--record FILE] --simulated NAME", NULL, NULL
  };
  g_autofree char *simulated = NULL;
  g_autofree char *record_path = NULL;
  g_autoptr(HpCaptureRecorder) recorder = NULL;
  const GOptionEntry entries[] = {
    { "simulated", 0, 0, G_OPTION_ARG_STRING, &simulated, "Read the simulated device NAME (an unknown name lists them)", "NAME" },
    { "record", 0, 0, G_OPTION_ARG_FILENAME, &record_path,
      "Record the exchange in FILE, a new file, for healthpost-ctl decode", "FILE" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(HpDeviceManager) manager = NULL;
  g_autoptr(HpDevice) device = NULL;
  g_autoptr(GError) error = NULL;
  Reading reading = { 0 };

  if (!hp_ctl_parse_options (&self, entries, &argc, &argv))
    return 2;
  if ((simulated == NULL) != (argc == 2) || argc > 2)
    {
      g_printerr ("usage: healthpost-ctl %s\n", self.usage);
      return 2;
    }

  if (simulated != NULL)
    {
      /* Each a simulator wired to its real driver: staff and tests see
       * what a healthy device of that kind gives. */
      device = hp_driver_registry_new_simulated (simulated);
      if (device == NULL)
        {
          g_autofree const char **names = hp_driver_registry_list_simulated ();
          g_autofree char *known = g_strjoinv (", ", (char **) names);
          return hp_ctl_fail ("no simulated device “%s” (known: %s)", simulated, known);
        }
    }
  else
    {
      manager = start_manager ();
      device = find_device (hp_device_manager_get_devices (manager), argv[1]);
      if (device == NULL)
        return hp_ctl_fail ("no measuring device “%s” (see healthpost-ctl devices)", argv[1]);
    }

  if (record_path != NULL)
    {
      g_autofree char *what = g_strdup_printf ("%s, %s", hp_device_get_name (device), hp_device_get_id (device));

      if (!HP_IS_TRANSPORT_DEVICE (device))
        return hp_ctl_fail ("%s cannot be recorded", hp_device_get_id (device));
      recorder = hp_capture_recorder_new (hp_transport_device_get_transport (HP_TRANSPORT_DEVICE (device)),
                                          record_path, what, simulated != NULL, &error);
      if (recorder == NULL)
        return hp_ctl_fail ("%s", error->message);
    }

  g_signal_connect (device, "measurement-ready", G_CALLBACK (on_ready), &reading);
  g_signal_connect (device, "measurement-failed", G_CALLBACK (on_failed), &reading);
  g_print ("Reading %s: take the measurement on the device now.\n", hp_device_get_id (device));
  if (!hp_device_start_measurement (device, &error))
    return hp_ctl_fail ("%s", error->message);
  while (!reading.done)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handlers_disconnect_by_data (device, &reading);

  if (recorder != NULL)
    {
      if (!hp_capture_recorder_check (recorder, &error))
        g_printerr ("healthpost-ctl: %s\n", error->message);
      else
        g_printerr ("Recorded %u messages in %s\n", hp_capture_recorder_get_count (recorder), record_path);
    }
  if (reading.error != NULL)
    {
      int status = hp_ctl_fail ("%s", reading.error->message);
      g_error_free (reading.error);
      return status;
    }
  print_measurement (reading.measurement);
  g_object_unref (reading.measurement);
  return error == NULL ? 0 : 1;
}

int
hp_ctl_decode (int    argc,
               char **argv)
{
  static const HpCtlCommand self = { "decode", "decode --protocol NAME [--usb VID:PID] [--kind KIND] FILE", NULL, NULL };
  g_autofree char *protocol = NULL;
  g_autofree char *kind_name = NULL;
  g_autofree char *usb_id = NULL;
  const GOptionEntry entries[] = {
    { "protocol", 'p', 0, G_OPTION_ARG_STRING, &protocol, "The device protocol", "NAME" },
    { "usb", 0, 0, G_OPTION_ARG_STRING, &usb_id,
      "The device's USB vendor and product id, as healthpost-ctl devices lists it (the driver's first model "
      "if not given)", "VID:PID" },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind_name,
      "ieee11073: what the device measures (blood-pressure, body-weight, blood-glucose), "
      "as its USB descriptor says; blood-pressure if not given", "KIND" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gsize length;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) differences = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(HpMeasurement) measurement = NULL;
  const HpDriver *driver;
  HpMeasurementKind kind = HP_MEASUREMENT_KIND_BLOOD_PRESSURE;
  guint16 specialization;
  HpUsbDeviceInfo info = { 0 };

  if (!hp_ctl_parse_options (&self, entries, &argc, &argv))
    return 2;
  if (protocol == NULL || argc != 2)
    {
      g_printerr ("usage: healthpost-ctl %s\n", self.usage);
      return 2;
    }

  driver = hp_driver_registry_find_protocol (protocol);
  if (driver == NULL)
    {
      gsize n;
      const HpDriver * const *drivers = hp_driver_registry_list (&n);
      g_autoptr(GString) known = g_string_new (NULL);

      for (gsize i = 0; i < n; i++)
        g_string_append_printf (known, "%s%s", i > 0 ? ", " : "", drivers[i]->protocol);
      return hp_ctl_fail ("no driver for protocol “%s” (known: %s)", protocol, known->str);
    }

  if (kind_name != NULL && (driver != &hp_phdc_driver || !hp_measurement_kind_from_string (kind_name, &kind)))
    return hp_ctl_fail (driver != &hp_phdc_driver ? "--kind is for ieee11073 captures only"
                                                  : "unknown kind “%s” (blood-pressure, body-weight, blood-glucose)",
                        kind_name);

  if (usb_id != NULL)
    {
      const HpUsbMatch *match = NULL;
      unsigned int vendor_id, product_id;
      char end;

      if (sscanf (usb_id, "%4x:%4x%c", &vendor_id, &product_id, &end) == 2)
        for (gsize i = 0; i < driver->n_matches && match == NULL; i++)
          if (driver->matches[i].kind == HP_USB_MATCH_VID_PID && driver->matches[i].vendor_id == vendor_id &&
              driver->matches[i].product_id == product_id)
            match = &driver->matches[i];
      if (match == NULL)
        return hp_ctl_fail ("“%s” is not the VID:PID of a model the %s driver takes", usb_id, driver->protocol);
      info.vendor_id = match->vendor_id;
      info.product_id = match->product_id;
      info.model = match->model;
    }

  if (!g_file_get_contents (argv[1], &text, &length, &error))
    return hp_ctl_fail ("%s", error->message);
  messages = hp_capture_parse (text, length, &error);
  if (messages == NULL)
    return hp_ctl_fail ("%s: %s", argv[1], error->message);

  /* The driver a plugged-in device gets, answered from the capture. */
  if (driver == &hp_phdc_driver)
    {
      /* A PHDC device names what it measures in its USB descriptor, which
       * a capture does not hold. */
      specialization = hp_phdc_specialization_for_kind (kind);
      info.model = driver->description;
      info.specializations = &specialization;
      info.n_specializations = 1;
    }
  measurement = hp_replay_capture (driver, info.model != NULL ? &info : NULL, messages, differences, &error);
  for (guint i = 0; i < differences->len; i++)
    g_printerr ("%s: %s\n", argv[1], (const char *) g_ptr_array_index (differences, i));
  if (measurement == NULL)
    return hp_ctl_fail ("%s: %s", argv[1], error->message);
  print_measurement (measurement);
  return 0;
}
