/* Finds and tracks the kiosk's measuring devices, on the GLib main loop. */
#include "hp-device-manager.h"

#include <libusb.h>

#include "hp-usb-source-private.h"

typedef struct {
  libusb_device *device;
  guint16 vendor_id;
  guint16 product_id;
} UsbRecord;

struct _HpDeviceManager
{
  GObject parent_instance;

  GListStore *devices;

  libusb_context *usb;
  GSource *usb_source;
  gboolean hotplug_registered;
  libusb_hotplug_callback_handle hotplug;
  GArray *usb_devices; /* UsbRecord */
};

G_DEFINE_FINAL_TYPE (HpDeviceManager, hp_device_manager, G_TYPE_OBJECT)

enum {
  SIGNAL_USB_DEVICE_ARRIVED,
  SIGNAL_USB_DEVICE_LEFT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
usb_record_clear (gpointer data)
{
  UsbRecord *record = data;

  g_clear_pointer (&record->device, libusb_unref_device);
}

static void
usb_device_arrived (HpDeviceManager *self,
                    libusb_device   *device)
{
  struct libusb_device_descriptor descriptor;
  UsbRecord record;
  int rc;

  for (guint i = 0; i < self->usb_devices->len; i++)
    {
      if (g_array_index (self->usb_devices, UsbRecord, i).device == device)
        return;
    }

  rc = libusb_get_device_descriptor (device, &descriptor);
  if (rc < 0)
    {
      g_debug ("USB device on bus %u address %u has no readable descriptor: %s",
               libusb_get_bus_number (device), libusb_get_device_address (device),
               libusb_strerror (rc));
      return;
    }

  record.device = libusb_ref_device (device);
  record.vendor_id = descriptor.idVendor;
  record.product_id = descriptor.idProduct;
  g_array_append_val (self->usb_devices, record);

  /* No driver is registered yet: the device is only recorded. */
  g_debug ("USB device %04x:%04x arrived (bus %u, address %u)",
           record.vendor_id, record.product_id,
           libusb_get_bus_number (device), libusb_get_device_address (device));
  g_signal_emit (self, signals[SIGNAL_USB_DEVICE_ARRIVED], 0,
                 (guint) record.vendor_id, (guint) record.product_id);
}

static void
usb_device_left (HpDeviceManager *self,
                 libusb_device   *device)
{
  for (guint i = 0; i < self->usb_devices->len; i++)
    {
      UsbRecord *record = &g_array_index (self->usb_devices, UsbRecord, i);
      guint16 vendor_id = record->vendor_id;
      guint16 product_id = record->product_id;

      if (record->device != device)
        continue;

      g_array_remove_index (self->usb_devices, i);
      g_debug ("USB device %04x:%04x left", vendor_id, product_id);
      g_signal_emit (self, signals[SIGNAL_USB_DEVICE_LEFT], 0, (guint) vendor_id, (guint) product_id);
      return;
    }
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
  ssize_t n = libusb_get_device_list (self->usb, &list);

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
      libusb_hotplug_deregister_callback (self->usb, self->hotplug);
      self->hotplug_registered = FALSE;
    }
  if (self->usb_source != NULL)
    {
      hp_usb_source_stop (self->usb_source);
      g_clear_pointer (&self->usb_source, g_source_unref);
    }
  /* Device references must go before the context that owns them. */
  g_array_set_size (self->usb_devices, 0);
  g_clear_pointer (&self->usb, libusb_exit);
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
  g_array_unref (self->usb_devices);

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
}

static void
hp_device_manager_init (HpDeviceManager *self)
{
  self->devices = g_list_store_new (HP_TYPE_DEVICE);
  self->usb_devices = g_array_new (FALSE, FALSE, sizeof (UsbRecord));
  g_array_set_clear_func (self->usb_devices, usb_record_clear);
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
  int rc;

  g_return_val_if_fail (HP_IS_DEVICE_MANAGER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->usb != NULL)
    return TRUE;

  rc = libusb_init (&self->usb);
  if (rc < 0)
    {
      self->usb = NULL;
      /* Expected in containers and on machines without usbfs: the kiosk goes
       * on with simulated devices, so this is no warning. */
      g_debug ("libusb_init failed: %s", libusb_strerror (rc));
      g_set_error (error, HP_DEVICE_ERROR,
                   rc == LIBUSB_ERROR_ACCESS ? HP_DEVICE_ERROR_PERMISSION : HP_DEVICE_ERROR_NOT_CONNECTED,
                   "USB is not available: %s", libusb_strerror (rc));
      return FALSE;
    }

  self->usb_source = hp_usb_source_new (self->usb);
  g_source_attach (self->usb_source, g_main_context_get_thread_default ());

  if (libusb_has_capability (LIBUSB_CAP_HAS_HOTPLUG))
    {
      /* ENUMERATE reports the devices already present through the same
       * callback, before the registration returns. */
      rc = libusb_hotplug_register_callback (self->usb,
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
  record = &g_array_index (self->usb_devices, UsbRecord, index);
  if (vendor_id != NULL)
    *vendor_id = record->vendor_id;
  if (product_id != NULL)
    *product_id = record->product_id;
  return TRUE;
}
