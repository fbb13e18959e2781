/* Finds and tracks the kiosk's measuring devices, on the GLib main loop. */
#include "hp-device-manager.h"

#include <libusb.h>
#include <string.h>

#include "hp-device-private.h"
#include "hp-driver.h"
#include "hp-usb-descriptors.h"
#include "hp-usb-source-private.h"
#include "hp-usb-transport-private.h"

#define USB_CLASS_HID   0x03
#define USB_CLASS_PHDC  0x0F
#define USB_CLASS_HUB   0x09
#define HID_SUBCLASS_BOOT 0x01
#define USB_REQUEST_GET_DESCRIPTOR 0x06
#define USB_DT_STRING   0x03
#define USB_LANGID_EN_US 0x0409
/* Longer report descriptors exist, but not on measuring devices. */
#define MAX_REPORT_DESCRIPTOR 4096
#define MAX_STRING_DESCRIPTOR 255

/* One USB device on the bus, from arrival to departure. Idle callbacks and
 * control transfers of the probe hold references; "removed" tells them the
 * device left (or the manager went) meanwhile. */
typedef struct {
  HpDeviceManager *manager;   /* unowned; valid while !removed */
  HpUsbContext *usb;
  libusb_device *device;
  gboolean removed;

  guint16 vendor_id;
  guint16 product_id;
  guint8 bus_number;
  guint8 address;

  HpUsbDeviceStatus status;
  char *model;
  char *product;
  char *serial;
  char *detail;

  /* What the probe found. */
  const HpDriver *driver;
  const HpUsbMatch *match;
  guint8 interface_class;
  HpTransportKind transport_kind;
  HpUsbEndpoints endpoints;
  HpUsbPhdcFunction phdc;
  guint16 report_length;
  guint8 i_product;
  guint8 i_serial;
  guint16 langid;

  GSource *probe_idle;
  GCancellable *probe;
  HpUsbTransport *transport;
  HpDevice *hp_device;
  gulong failed_id;
  gulong state_id;
  char *last_failure;
} UsbRecord;

struct _HpDeviceManager
{
  GObject parent_instance;

  GListStore *devices;

  HpUsbContext *usb;
  gboolean hotplug_registered;
  libusb_hotplug_callback_handle hotplug;
  GPtrArray *usb_devices; /* UsbRecord, one reference each */
  guint n_made;
};

G_DEFINE_FINAL_TYPE (HpDeviceManager, hp_device_manager, G_TYPE_OBJECT)

enum {
  SIGNAL_USB_DEVICE_ARRIVED,
  SIGNAL_USB_DEVICE_LEFT,
  SIGNAL_USB_DEVICE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* UsbRecord */

static void
usb_record_clear (gpointer data)
{
  UsbRecord *record = data;

  g_assert (record->probe_idle == NULL);
  g_clear_object (&record->probe);
  g_clear_object (&record->transport);
  if (record->hp_device != NULL)
    {
      g_clear_signal_handler (&record->failed_id, record->hp_device);
      g_clear_signal_handler (&record->state_id, record->hp_device);
      g_clear_object (&record->hp_device);
    }
  g_clear_pointer (&record->device, libusb_unref_device);
  g_clear_pointer (&record->usb, hp_usb_context_unref);
  g_free (record->model);
  g_free (record->product);
  g_free (record->serial);
  g_free (record->detail);
  g_free (record->last_failure);
}

static UsbRecord *
usb_record_ref (UsbRecord *record)
{
  return g_rc_box_acquire (record);
}

static void
usb_record_unref (gpointer record)
{
  g_rc_box_release_full (record, usb_record_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UsbRecord, usb_record_unref)

static void
record_set_status (UsbRecord         *record,
                   HpUsbDeviceStatus  status,
                   const char        *detail)
{
  g_free (record->detail);
  record->detail = g_strdup (detail);
  record->status = status;
  g_debug ("USB device %04x:%04x: %s%s%s", record->vendor_id, record->product_id,
           hp_usb_device_status_to_string (status), detail != NULL ? ": " : "", detail != NULL ? detail : "");
  if (!record->removed)
    g_signal_emit (record->manager, signals[SIGNAL_USB_DEVICE_CHANGED], 0,
                   (guint) record->vendor_id, (guint) record->product_id);
}

/* The probe ends: no driver, no device (the transport and handle go). */
static void
record_give_up (UsbRecord         *record,
                HpUsbDeviceStatus  status,
                const char        *detail)
{
  g_clear_object (&record->transport);
  record_set_status (record, status, detail);
}

/* Making the device */

static void
on_device_failed (HpDevice     *device G_GNUC_UNUSED,
                  const GError *error,
                  gpointer      user_data)
{
  UsbRecord *record = user_data;

  g_free (record->last_failure);
  record->last_failure = g_strdup (error->message);
}

static void
on_device_state (GObject    *device G_GNUC_UNUSED,
                 GParamSpec *pspec G_GNUC_UNUSED,
                 gpointer    user_data)
{
  UsbRecord *record = user_data;

  if (!record->removed)
    g_signal_emit (record->manager, signals[SIGNAL_USB_DEVICE_CHANGED], 0,
                   (guint) record->vendor_id, (guint) record->product_id);
}

static void
record_make_device (UsbRecord *record)
{
  HpDeviceManager *self = record->manager;
  g_autofree char *id = NULL;
  HpUsbDeviceInfo info = { 0 };

  if (record->model == NULL)
    record->model = g_strdup (record->match != NULL && record->match->model != NULL
                              ? record->match->model : record->product);

  info.vendor_id = record->vendor_id;
  info.product_id = record->product_id;
  info.interface_number = record->endpoints.interface_number;
  info.serial = record->serial;
  info.model = record->model;
  info.specializations = record->phdc.specializations;
  info.n_specializations = record->phdc.n_specializations;

  /* Bus addresses come back after a replug: a counter keeps ids unique. */
  id = g_strdup_printf ("%s-usb%u", record->driver->protocol, ++self->n_made);
  record->hp_device = record->driver->create (id, &info, HP_TRANSPORT (record->transport));
  if (record->hp_device == NULL)
    {
      record_give_up (record, HP_USB_DEVICE_STATUS_ERROR, "The driver does not take this device");
      return;
    }
  record->failed_id = g_signal_connect (record->hp_device, "measurement-failed",
                                        G_CALLBACK (on_device_failed), record);
  record->state_id = g_signal_connect (record->hp_device, "notify::state",
                                       G_CALLBACK (on_device_state), record);
  record_set_status (record, HP_USB_DEVICE_STATUS_READY, NULL);
  hp_device_manager_add_device (self, record->hp_device);
}

/* Probe, step 3: the HID report descriptor, for the report id use and the
 * usage pages a driver may match on. */

static void
on_report_descriptor (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(UsbRecord) record = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = hp_transport_control_finish (HP_TRANSPORT (source), result, &error);
  HpUsbHidReportInfo report;
  gsize size = 0;
  const guint8 *data = bytes != NULL ? g_bytes_get_data (bytes, &size) : NULL;

  if (record->removed)
    return;

  if (bytes == NULL || !hp_usb_parse_hid_report_descriptor (data, size, &report, &error))
    {
      g_autofree char *detail = g_strdup_printf ("Cannot read the HID report descriptor of interface %u: %s",
                                                 record->endpoints.interface_number, error->message);

      if (record->driver == NULL)
        {
          record_give_up (record, HP_USB_DEVICE_STATUS_ERROR, detail);
          return;
        }
      /* A VID:PID driver knows its device without it. */
      g_debug ("%s", detail);
      record_make_device (record);
      return;
    }

  hp_usb_transport_set_uses_report_ids (record->transport, report.uses_report_ids);
  for (gsize i = 0; record->driver == NULL && i < report.n_usage_pages; i++)
    {
      const HpUsbMatch *match = NULL;
      const HpDriver *driver = hp_driver_registry_match (record->vendor_id, record->product_id, 0,
                                                         report.usage_pages[i], &match);

      if (driver != NULL && match->kind == HP_USB_MATCH_HID_USAGE_PAGE &&
          driver->transport_kind == HP_TRANSPORT_KIND_HID_REPORTS)
        {
          record->driver = driver;
          record->match = match;
        }
    }
  if (record->driver == NULL)
    {
      record_give_up (record, HP_USB_DEVICE_STATUS_NO_DRIVER, NULL);
      return;
    }
  record_make_device (record);
}

static void
record_read_report_descriptor (UsbRecord *record)
{
  HpControlSetup setup = {
    .request_type = HP_CONTROL_STANDARD_INTERFACE_IN,
    .request = USB_REQUEST_GET_DESCRIPTOR,
    .value = HP_USB_DT_HID_REPORT << 8,
    .index = record->endpoints.interface_number,
  };

  hp_transport_control_async (HP_TRANSPORT (record->transport), &setup, NULL,
                              MIN (record->report_length, MAX_REPORT_DESCRIPTOR),
                              record->probe, on_report_descriptor, usb_record_ref (record));
}

static void
record_probe_interface (UsbRecord *record)
{
  if (record->transport_kind == HP_TRANSPORT_KIND_HID_REPORTS)
    record_read_report_descriptor (record);
  else
    record_make_device (record);
}

/* Probe, step 2: the product and serial strings (for staff, and for the
 * device ids in measurements). A device that will not give them still works. */

static char *
decode_string_descriptor (GBytes *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  g_autofree gunichar2 *units = NULL;
  glong n_units;

  if (size < 2 || data[1] != USB_DT_STRING || data[0] > size || data[0] < 2)
    return NULL;
  n_units = (data[0] - 2) / 2;
  units = g_new0 (gunichar2, n_units + 1);
  for (glong i = 0; i < n_units; i++)
    units[i] = (gunichar2) (data[2 + 2 * i] | (data[3 + 2 * i] << 8));
  return g_utf16_to_utf8 (units, n_units, NULL, NULL, NULL);
}

static void read_next_string (UsbRecord *record);

static void
on_string (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(UsbRecord) record = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = hp_transport_control_finish (HP_TRANSPORT (source), result, &error);

  if (record->removed)
    return;

  if (bytes == NULL)
    {
      g_debug ("USB device %04x:%04x gives no string: %s", record->vendor_id, record->product_id,
               error->message);
      if (g_error_matches (error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_DISCONNECTED))
        return;
      /* Go on without strings. */
      record->i_product = record->i_serial = 0;
    }
  else if (record->langid == 0)
    {
      gsize size;
      const guint8 *data = g_bytes_get_data (bytes, &size);

      if (size >= 4 && data[1] == USB_DT_STRING)
        record->langid = (guint16) (data[2] | (data[3] << 8));
      else
        record->i_product = record->i_serial = 0;
    }
  else if (record->i_product != 0)
    {
      record->product = decode_string_descriptor (bytes);
      record->i_product = 0;
    }
  else
    {
      record->serial = decode_string_descriptor (bytes);
      record->i_serial = 0;
    }
  read_next_string (record);
}

static void
read_next_string (UsbRecord *record)
{
  HpControlSetup setup = {
    .request_type = LIBUSB_ENDPOINT_IN | LIBUSB_REQUEST_TYPE_STANDARD | LIBUSB_RECIPIENT_DEVICE,
    .request = USB_REQUEST_GET_DESCRIPTOR,
  };

  if (record->i_product == 0 && record->i_serial == 0)
    {
      record_probe_interface (record);
      return;
    }
  if (record->langid == 0)
    {
      /* String 0 lists the languages; the first one is used. */
      setup.value = USB_DT_STRING << 8;
      setup.index = 0;
    }
  else
    {
      setup.value = (guint16) (USB_DT_STRING << 8 | (record->i_product != 0 ? record->i_product : record->i_serial));
      setup.index = record->langid;
    }
  hp_transport_control_async (HP_TRANSPORT (record->transport), &setup, NULL, MAX_STRING_DESCRIPTOR,
                              record->probe, on_string, usb_record_ref (record));
}

/* Probe, step 1: which interface and driver, from the descriptors libusb
 * already holds (no transfer needed). */

static gboolean
is_boot_hid (const struct libusb_interface_descriptor *alt)
{
  /* Keyboards and mice: never detached from the kernel to look at them. */
  return alt->bInterfaceClass == USB_CLASS_HID && alt->bInterfaceSubClass == HID_SUBCLASS_BOOT;
}

static gboolean
interface_fits (UsbRecord                                *record,
                const struct libusb_interface_descriptor *alt,
                HpTransportKind                           kind)
{
  if (kind == HP_TRANSPORT_KIND_HID_REPORTS && alt->bInterfaceClass != USB_CLASS_HID)
    return FALSE;
  if (!hp_usb_endpoints_from_interface (alt, kind, &record->endpoints, NULL))
    return FALSE;
  record->transport_kind = kind;
  record->interface_class = alt->bInterfaceClass;
  if (kind == HP_TRANSPORT_KIND_HID_REPORTS)
    {
      g_autoptr(GError) error = NULL;

      if (!hp_usb_parse_hid_descriptor (alt->extra, (gsize) MAX (alt->extra_length, 0),
                                        &record->report_length, &error))
        {
          g_debug ("USB device %04x:%04x interface %u: %s", record->vendor_id, record->product_id,
                   alt->bInterfaceNumber, error->message);
          record->report_length = 0;
        }
    }
  return TRUE;
}

static gboolean
parse_phdc_interface (UsbRecord                                *record,
                      const struct libusb_interface_descriptor *alt,
                      GError                                  **error)
{
  memset (&record->phdc, 0, sizeof record->phdc);
  if (!hp_usb_parse_phdc_descriptors (alt->extra, (gsize) MAX (alt->extra_length, 0), &record->phdc, error))
    return FALSE;
  for (guint i = 0; i < alt->bNumEndpoints; i++)
    {
      const struct libusb_endpoint_descriptor *ep = &alt->endpoint[i];

      if (!hp_usb_parse_phdc_descriptors (ep->extra, (gsize) MAX (ep->extra_length, 0), &record->phdc, error))
        return FALSE;
    }
  if (record->phdc.has_function && record->phdc.data_code != HP_USB_PHDC_DATA_CODE_11073_20601)
    {
      g_set_error (error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_UNSUPPORTED,
                   "PHDC data code 0x%02x is not IEEE 11073-20601", record->phdc.data_code);
      return FALSE;
    }
  return TRUE;
}

/* Chooses the driver and interface; FALSE (status set) when there is none
 * or the descriptors are broken. Sets record->driver to %NULL with TRUE
 * for a HID interface whose report descriptor must decide. */
static gboolean
choose_driver (UsbRecord                        *record,
               const struct libusb_config_descriptor *config)
{
  const HpUsbMatch *match = NULL;
  const HpDriver *driver;
  gboolean hid_candidate = FALSE;

  /* A VID:PID table entry names the device outright. */
  driver = hp_driver_registry_match (record->vendor_id, record->product_id, 0, 0, &match);
  if (driver != NULL && match->kind == HP_USB_MATCH_VID_PID)
    {
      for (guint i = 0; i < config->bNumInterfaces; i++)
        {
          const struct libusb_interface *iface = &config->interface[i];

          if (iface->num_altsetting > 0 && interface_fits (record, &iface->altsetting[0], driver->transport_kind))
            {
              record->driver = driver;
              record->match = match;
              return TRUE;
            }
        }
      record_set_status (record, HP_USB_DEVICE_STATUS_ERROR, "The device lacks the USB pipes its driver needs");
      return FALSE;
    }

  /* Then class matches, interface by interface. */
  for (guint i = 0; i < config->bNumInterfaces; i++)
    {
      const struct libusb_interface *iface = &config->interface[i];
      const struct libusb_interface_descriptor *alt;

      if (iface->num_altsetting < 1)
        continue;
      alt = &iface->altsetting[0];
      if (alt->bInterfaceClass == USB_CLASS_HID)
        {
          hid_candidate = hid_candidate || !is_boot_hid (alt);
          continue;
        }
      driver = hp_driver_registry_match (record->vendor_id, record->product_id, alt->bInterfaceClass, 0, &match);
      if (driver == NULL || !interface_fits (record, alt, driver->transport_kind))
        continue;
      if (alt->bInterfaceClass == USB_CLASS_PHDC)
        {
          g_autoptr(GError) error = NULL;

          if (!parse_phdc_interface (record, alt, &error))
            {
              g_autofree char *detail = g_strdup_printf ("Bad PHDC descriptors on interface %u: %s",
                                                         alt->bInterfaceNumber, error->message);

              record_set_status (record, HP_USB_DEVICE_STATUS_ERROR, detail);
              return FALSE;
            }
        }
      record->driver = driver;
      record->match = match;
      return TRUE;
    }

  /* Last, a HID interface whose report descriptor may name a usage page a
   * driver knows (scales: 0x8D); only worth reading if some driver matches
   * on usage pages at all. */
  if (hid_candidate)
    {
      gsize n_drivers;
      const HpDriver * const *drivers = hp_driver_registry_list (&n_drivers);
      gboolean any_usage_page = FALSE;

      for (gsize d = 0; d < n_drivers; d++)
        for (gsize m = 0; m < drivers[d]->n_matches; m++)
          any_usage_page = any_usage_page || drivers[d]->matches[m].kind == HP_USB_MATCH_HID_USAGE_PAGE;

      for (guint i = 0; any_usage_page && i < config->bNumInterfaces; i++)
        {
          const struct libusb_interface *iface = &config->interface[i];

          if (iface->num_altsetting > 0 && !is_boot_hid (&iface->altsetting[0]) &&
              interface_fits (record, &iface->altsetting[0], HP_TRANSPORT_KIND_HID_REPORTS) &&
              record->report_length > 0)
            return TRUE;
        }
    }

  record_set_status (record, HP_USB_DEVICE_STATUS_NO_DRIVER, NULL);
  return FALSE;
}

static void
record_probe (UsbRecord *record)
{
  HpDeviceManager *self = record->manager;
  struct libusb_device_descriptor descriptor;
  struct libusb_config_descriptor *config = NULL;
  libusb_device_handle *handle = NULL;
  gboolean chosen;
  int rc;

  rc = libusb_get_device_descriptor (record->device, &descriptor);
  if (rc < 0)
    {
      record_set_status (record, HP_USB_DEVICE_STATUS_ERROR, libusb_strerror (rc));
      return;
    }
  if (descriptor.bDeviceClass == USB_CLASS_HUB)
    {
      record_set_status (record, HP_USB_DEVICE_STATUS_NO_DRIVER, "USB hub");
      return;
    }
  rc = libusb_get_active_config_descriptor (record->device, &config);
  if (rc < 0)
    {
      g_autofree char *detail = g_strdup_printf ("No readable configuration: %s", libusb_strerror (rc));

      record_set_status (record, HP_USB_DEVICE_STATUS_ERROR, detail);
      return;
    }
  chosen = choose_driver (record, config);
  libusb_free_config_descriptor (config);
  if (!chosen)
    return;

  rc = libusb_open (record->device, &handle);
  if (rc == LIBUSB_ERROR_ACCESS)
    {
      record_set_status (record, HP_USB_DEVICE_STATUS_PERMISSION_DENIED,
                         "The kiosk may not open this device: " HP_USB_PERMISSION_HINT);
      return;
    }
  if (rc < 0)
    {
      g_autofree char *detail = g_strdup_printf ("Cannot open the device: %s", libusb_strerror (rc));

      record_set_status (record, HP_USB_DEVICE_STATUS_ERROR, detail);
      return;
    }

  record->transport = hp_usb_transport_new (self->usb, handle, record->transport_kind, &record->endpoints);
  record->i_product = descriptor.iProduct;
  record->i_serial = descriptor.iSerialNumber;
  read_next_string (record);
}

static gboolean
probe_idle_cb (gpointer user_data)
{
  UsbRecord *record = user_data;

  g_clear_pointer (&record->probe_idle, g_source_unref);
  if (!record->removed)
    record_probe (record);
  return G_SOURCE_REMOVE;
}

/* Arrival and departure */

static UsbRecord *
find_record (HpDeviceManager *self,
             libusb_device   *device,
             guint           *index)
{
  for (guint i = 0; i < self->usb_devices->len; i++)
    {
      UsbRecord *record = g_ptr_array_index (self->usb_devices, i);

      if (record->device == device)
        {
          if (index != NULL)
            *index = i;
          return record;
        }
    }
  return NULL;
}

static void
usb_device_arrived (HpDeviceManager *self,
                    libusb_device   *device)
{
  struct libusb_device_descriptor descriptor;
  UsbRecord *record;
  int rc;

  if (find_record (self, device, NULL) != NULL)
    return;

  rc = libusb_get_device_descriptor (device, &descriptor);
  if (rc < 0)
    {
      g_debug ("USB device on bus %u address %u has no readable descriptor: %s",
               libusb_get_bus_number (device), libusb_get_device_address (device),
               libusb_strerror (rc));
      return;
    }

  record = g_rc_box_new0 (UsbRecord);
  record->manager = self;
  record->usb = hp_usb_context_ref (self->usb);
  record->device = libusb_ref_device (device);
  record->vendor_id = descriptor.idVendor;
  record->product_id = descriptor.idProduct;
  record->bus_number = libusb_get_bus_number (device);
  record->address = libusb_get_device_address (device);
  record->status = HP_USB_DEVICE_STATUS_PROBING;
  record->probe = g_cancellable_new ();
  g_ptr_array_add (self->usb_devices, record);

  /* Opening and reading the device waits for the main loop: libusb allows
   * little from inside a hotplug callback. */
  record->probe_idle = g_idle_source_new ();
  g_source_set_callback (record->probe_idle, probe_idle_cb, usb_record_ref (record), usb_record_unref);
  g_source_set_static_name (record->probe_idle, "[healthpost] USB probe");
  g_source_attach (record->probe_idle, hp_usb_context_get_main_context (self->usb));

  g_debug ("USB device %04x:%04x arrived (bus %u, address %u)",
           record->vendor_id, record->product_id, record->bus_number, record->address);
  g_signal_emit (self, signals[SIGNAL_USB_DEVICE_ARRIVED], 0,
                 (guint) record->vendor_id, (guint) record->product_id);
}

/* Ends everything the record started; the caller drops it from the list. */
static void
record_remove (UsbRecord *record)
{
  HpDeviceManager *self = record->manager;

  record->removed = TRUE;
  if (record->probe_idle != NULL)
    {
      g_source_destroy (record->probe_idle);
      g_clear_pointer (&record->probe_idle, g_source_unref);
    }
  g_cancellable_cancel (record->probe);

  /* An open link hears "closed" (DISCONNECTED), and so a measurement fails. */
  if (record->transport != NULL)
    hp_usb_transport_disconnect (record->transport);
  if (record->hp_device != NULL)
    {
      g_clear_signal_handler (&record->failed_id, record->hp_device);
      g_clear_signal_handler (&record->state_id, record->hp_device);
      hp_device_set_state (record->hp_device, HP_DEVICE_STATE_DISCONNECTED);
      hp_device_manager_remove_device (self, record->hp_device);
    }
}

typedef struct {
  HpDeviceManager *manager;
  libusb_device *device;
} Departure;

static void
departure_free (gpointer data)
{
  Departure *departure = data;

  g_object_unref (departure->manager);
  libusb_unref_device (departure->device);
  g_free (departure);
}

static gboolean
departure_idle_cb (gpointer user_data)
{
  Departure *departure = user_data;
  HpDeviceManager *self = departure->manager;
  guint index;
  UsbRecord *record = self->usb != NULL ? find_record (self, departure->device, &index) : NULL;
  guint16 vendor_id, product_id;

  if (record == NULL)
    return G_SOURCE_REMOVE;

  vendor_id = record->vendor_id;
  product_id = record->product_id;
  record_remove (record);
  g_ptr_array_remove_index (self->usb_devices, index);
  g_debug ("USB device %04x:%04x left", vendor_id, product_id);
  g_signal_emit (self, signals[SIGNAL_USB_DEVICE_LEFT], 0, (guint) vendor_id, (guint) product_id);
  return G_SOURCE_REMOVE;
}

static void
usb_device_left (HpDeviceManager *self,
                 libusb_device   *device)
{
  Departure *departure;
  GSource *source;

  if (find_record (self, device, NULL) == NULL)
    return;

  /* Within a departure callback libusb allows almost nothing (not even
   * cancelling transfers): the rest waits for the main loop. */
  departure = g_new0 (Departure, 1);
  departure->manager = g_object_ref (self);
  departure->device = libusb_ref_device (device);
  source = g_idle_source_new ();
  g_source_set_callback (source, departure_idle_cb, departure, departure_free);
  g_source_set_static_name (source, "[healthpost] USB departure");
  g_source_attach (source, hp_usb_context_get_main_context (self->usb));
  g_source_unref (source);
}

static int LIBUSB_CALL
on_hotplug (libusb_context       *ctx G_GNUC_UNUSED,
            libusb_device        *device,
            libusb_hotplug_event  event,
            void                 *user_data)
{
  HpDeviceManager *self = user_data;

  switch (event)
    {
    case LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED:
      usb_device_arrived (self, device);
      break;
    case LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT:
      usb_device_left (self, device);
      break;
    }
  /* 0 keeps the callback registered. */
  return 0;
}

static void
enumerate_usb_devices (HpDeviceManager *self)
{
  libusb_device **list = NULL;
  ssize_t n = libusb_get_device_list (hp_usb_context_get_libusb (self->usb), &list);

  if (n < 0)
    {
      g_debug ("Cannot list USB devices: %s", libusb_strerror ((int) n));
      return;
    }
  for (ssize_t i = 0; i < n; i++)
    usb_device_arrived (self, list[i]);
  libusb_free_device_list (list, TRUE);
}

static void
stop_usb (HpDeviceManager *self)
{
  if (self->usb == NULL)
    return;

  if (self->hotplug_registered)
    {
      libusb_hotplug_deregister_callback (hp_usb_context_get_libusb (self->usb), self->hotplug);
      self->hotplug_registered = FALSE;
    }
  for (guint i = 0; i < self->usb_devices->len; i++)
    record_remove (g_ptr_array_index (self->usb_devices, i));
  g_ptr_array_set_size (self->usb_devices, 0);
  /* libusb itself goes with the last transport still held elsewhere. */
  g_clear_pointer (&self->usb, hp_usb_context_unref);
}

static void
hp_device_manager_dispose (GObject *object)
{
  HpDeviceManager *self = HP_DEVICE_MANAGER (object);

  stop_usb (self);
  if (self->devices != NULL)
    g_list_store_remove_all (self->devices);

  G_OBJECT_CLASS (hp_device_manager_parent_class)->dispose (object);
}

static void
hp_device_manager_finalize (GObject *object)
{
  HpDeviceManager *self = HP_DEVICE_MANAGER (object);

  g_clear_object (&self->devices);
  g_ptr_array_unref (self->usb_devices);

  G_OBJECT_CLASS (hp_device_manager_parent_class)->finalize (object);
}

static void
hp_device_manager_class_init (HpDeviceManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hp_device_manager_dispose;
  object_class->finalize = hp_device_manager_finalize;

  signals[SIGNAL_USB_DEVICE_ARRIVED] =
    g_signal_new ("usb-device-arrived", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  signals[SIGNAL_USB_DEVICE_LEFT] =
    g_signal_new ("usb-device-left", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  signals[SIGNAL_USB_DEVICE_CHANGED] =
    g_signal_new ("usb-device-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
}

static void
hp_device_manager_init (HpDeviceManager *self)
{
  self->devices = g_list_store_new (HP_TYPE_DEVICE);
  self->usb_devices = g_ptr_array_new_with_free_func (usb_record_unref);
}

HpDeviceManager *
hp_device_manager_new (void)
{
  return g_object_new (HP_TYPE_DEVICE_MANAGER, NULL);
}

gboolean
hp_device_manager_start_usb (HpDeviceManager  *self,
                             GError          **error)
{
  libusb_context *ctx = NULL;
  int rc;

  g_return_val_if_fail (HP_IS_DEVICE_MANAGER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->usb != NULL)
    return TRUE;

  rc = libusb_init (&ctx);
  if (rc < 0)
    {
      /* Expected in containers and on machines without usbfs: the kiosk goes
       * on with simulated devices, so this is no warning. */
      g_debug ("libusb_init failed: %s", libusb_strerror (rc));
      g_set_error (error, HP_DEVICE_ERROR,
                   rc == LIBUSB_ERROR_ACCESS ? HP_DEVICE_ERROR_PERMISSION : HP_DEVICE_ERROR_NOT_CONNECTED,
                   "USB is not available: %s", libusb_strerror (rc));
      return FALSE;
    }

  self->usb = hp_usb_context_new (ctx, g_main_context_get_thread_default ());

  if (libusb_has_capability (LIBUSB_CAP_HAS_HOTPLUG))
    {
      /* ENUMERATE reports the devices already present through the same
       * callback, before the registration returns. */
      rc = libusb_hotplug_register_callback (ctx,
                                             LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED |
                                             LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT,
                                             LIBUSB_HOTPLUG_ENUMERATE,
                                             LIBUSB_HOTPLUG_MATCH_ANY,
                                             LIBUSB_HOTPLUG_MATCH_ANY,
                                             LIBUSB_HOTPLUG_MATCH_ANY,
                                             on_hotplug, self, &self->hotplug);
      if (rc != LIBUSB_SUCCESS)
        {
          g_set_error (error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_NOT_CONNECTED,
                       "Cannot watch for USB devices: %s", libusb_strerror (rc));
          stop_usb (self);
          return FALSE;
        }
      self->hotplug_registered = TRUE;
    }
  else
    {
      g_debug ("libusb has no hotplug support here: USB devices are listed once");
      enumerate_usb_devices (self);
    }

  g_debug ("USB started, %u devices present", self->usb_devices->len);
  return TRUE;
}

void
hp_device_manager_add_device (HpDeviceManager *self,
                              HpDevice        *device)
{
  g_return_if_fail (HP_IS_DEVICE_MANAGER (self));
  g_return_if_fail (HP_IS_DEVICE (device));

  if (g_list_store_find (self->devices, device, NULL))
    return;
  g_debug ("Device %s added", hp_device_get_id (device));
  g_list_store_append (self->devices, device);
}

void
hp_device_manager_remove_device (HpDeviceManager *self,
                                 HpDevice        *device)
{
  guint position;

  g_return_if_fail (HP_IS_DEVICE_MANAGER (self));
  g_return_if_fail (HP_IS_DEVICE (device));

  if (!g_list_store_find (self->devices, device, &position))
    return;
  g_debug ("Device %s removed", hp_device_get_id (device));
  g_list_store_remove (self->devices, position);
}

GListModel *
hp_device_manager_get_devices (HpDeviceManager *self)
{
  g_return_val_if_fail (HP_IS_DEVICE_MANAGER (self), NULL);
  return G_LIST_MODEL (self->devices);
}

HpDevice *
hp_device_manager_find_by_kind (HpDeviceManager   *self,
                                HpMeasurementKind  kind)
{
  guint n;

  g_return_val_if_fail (HP_IS_DEVICE_MANAGER (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->devices));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HpDevice) device = g_list_model_get_item (G_LIST_MODEL (self->devices), i);

      if (hp_device_get_kind (device) == kind && hp_device_get_state (device) == HP_DEVICE_STATE_READY)
        return device; /* the store keeps its reference */
    }
  return NULL;
}

guint
hp_device_manager_get_n_usb_devices (HpDeviceManager *self)
{
  g_return_val_if_fail (HP_IS_DEVICE_MANAGER (self), 0);
  return self->usb_devices->len;
}

gboolean
hp_device_manager_get_usb_device (HpDeviceManager *self,
                                  guint            index,
                                  guint16         *vendor_id,
                                  guint16         *product_id)
{
  const UsbRecord *record;

  g_return_val_if_fail (HP_IS_DEVICE_MANAGER (self), FALSE);

  if (index >= self->usb_devices->len)
    return FALSE;
  record = g_ptr_array_index (self->usb_devices, index);
  if (vendor_id != NULL)
    *vendor_id = record->vendor_id;
  if (product_id != NULL)
    *product_id = record->product_id;
  return TRUE;
}

void
hp_usb_device_description_free (HpUsbDeviceDescription *description)
{
  if (description == NULL)
    return;
  g_free (description->model);
  g_free (description->protocol);
  g_free (description->device_id);
  g_free (description->detail);
  g_free (description);
}

const char *
hp_usb_device_status_to_string (HpUsbDeviceStatus status)
{
  switch (status)
    {
    case HP_USB_DEVICE_STATUS_PROBING:
      return "probing";
    case HP_USB_DEVICE_STATUS_READY:
      return "ready";
    case HP_USB_DEVICE_STATUS_MEASURING:
      return "measuring";
    case HP_USB_DEVICE_STATUS_ERROR:
      return "error";
    case HP_USB_DEVICE_STATUS_NO_DRIVER:
      return "no-driver";
    case HP_USB_DEVICE_STATUS_PERMISSION_DENIED:
      return "permission-denied";
    default:
      return "unknown";
    }
}

static void
describe_device_state (const UsbRecord        *record,
                       HpUsbDeviceDescription *description)
{
  switch (hp_device_get_state (record->hp_device))
    {
    case HP_DEVICE_STATE_READY:
      description->status = HP_USB_DEVICE_STATUS_READY;
      break;
    case HP_DEVICE_STATE_MEASURING:
      description->status = HP_USB_DEVICE_STATUS_MEASURING;
      break;
    case HP_DEVICE_STATE_ERROR:
      description->status = HP_USB_DEVICE_STATUS_ERROR;
      description->detail = g_strdup (record->last_failure);
      break;
    case HP_DEVICE_STATE_DISCONNECTED:
      /* Still on the bus, but its driver lost the link. */
      description->status = HP_USB_DEVICE_STATUS_ERROR;
      description->detail = g_strdup_printf ("The link to the device closed%s%s",
                                             record->last_failure != NULL ? ": " : "",
                                             record->last_failure != NULL ? record->last_failure : "");
      break;
    default:
      description->status = HP_USB_DEVICE_STATUS_ERROR;
      break;
    }
}

GPtrArray *
hp_device_manager_describe_usb_devices (HpDeviceManager *self)
{
  GPtrArray *descriptions;

  g_return_val_if_fail (HP_IS_DEVICE_MANAGER (self), NULL);

  descriptions = g_ptr_array_new_with_free_func ((GDestroyNotify) hp_usb_device_description_free);
  for (guint i = 0; i < self->usb_devices->len; i++)
    {
      const UsbRecord *record = g_ptr_array_index (self->usb_devices, i);
      HpUsbDeviceDescription *description = g_new0 (HpUsbDeviceDescription, 1);

      description->vendor_id = record->vendor_id;
      description->product_id = record->product_id;
      description->bus_number = record->bus_number;
      description->address = record->address;
      description->model = g_strdup (record->model != NULL ? record->model :
                                     record->match != NULL && record->match->model != NULL ? record->match->model :
                                     record->product);
      description->protocol = g_strdup (record->driver != NULL ? record->driver->protocol : NULL);
      if (record->hp_device != NULL)
        {
          description->device_id = g_strdup (hp_device_get_id (record->hp_device));
          describe_device_state (record, description);
        }
      else
        {
          description->status = record->status;
          description->detail = g_strdup (record->detail);
        }
      g_ptr_array_add (descriptions, description);
    }
  return descriptions;
}
