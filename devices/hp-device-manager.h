/* Finds and tracks the kiosk's measuring devices, on the GLib main loop. */
#pragma once

#include "hp-device.h"

G_BEGIN_DECLS

#define HP_TYPE_DEVICE_MANAGER (hp_device_manager_get_type ())
G_DECLARE_FINAL_TYPE (HpDeviceManager, hp_device_manager, HP, DEVICE_MANAGER, GObject)

HpDeviceManager *hp_device_manager_new            (void);

/* Opens libusb, attaches its file descriptors and timeouts to the thread-default
 * main context, and starts watching for hotplug events. Where USB cannot be
 * used (no usbfs, no permission) it returns FALSE with an HP_DEVICE_ERROR and
 * the manager goes on with the devices added by hand. Calling it again after
 * success does nothing. */
gboolean         hp_device_manager_start_usb      (HpDeviceManager  *self,
                                                   GError          **error);

void             hp_device_manager_add_device     (HpDeviceManager  *self,
                                                   HpDevice         *device);
void             hp_device_manager_remove_device  (HpDeviceManager  *self,
                                                   HpDevice         *device);

/* A GListModel of HpDevice. */
GListModel      *hp_device_manager_get_devices    (HpDeviceManager  *self);

/* The first connected device that measures @kind, or %NULL. */
HpDevice        *hp_device_manager_find_by_kind   (HpDeviceManager  *self,
                                                   HpMeasurementKind kind);

/* USB devices present since hp_device_manager_start_usb(), whether or not a
 * driver speaks to them. "usb-device-arrived" (vendor and product id as
 * guint) is emitted from within libusb's event handling, so handlers must
 * not block; the manager then identifies the device from an idle callback,
 * opens it and, when a driver knows it, adds its HpDevice to the devices
 * list. "usb-device-left" follows from an idle callback once the device is
 * gone from the record (its HpDevice, now DISCONNECTED, from the list);
 * "usb-device-changed" (the same arguments) when its status changed. */
guint            hp_device_manager_get_n_usb_devices (HpDeviceManager *self);
gboolean         hp_device_manager_get_usb_device    (HpDeviceManager *self,
                                                      guint            index,
                                                      guint16         *vendor_id,
                                                      guint16         *product_id);

/* What staff see of each USB device present (`healthpost-ctl devices`). */
typedef enum {
  HP_USB_DEVICE_STATUS_PROBING,           /* being identified */
  HP_USB_DEVICE_STATUS_READY,             /* a driver speaks to it */
  HP_USB_DEVICE_STATUS_MEASURING,         /* busy with a measurement */
  HP_USB_DEVICE_STATUS_ERROR,             /* see the detail */
  HP_USB_DEVICE_STATUS_NO_DRIVER,         /* no driver knows it */
  HP_USB_DEVICE_STATUS_PERMISSION_DENIED, /* present, but the kiosk may not open it */
} HpUsbDeviceStatus;

typedef struct {
  guint16           vendor_id;
  guint16           product_id;
  guint8            bus_number;
  guint8            address;
  HpUsbDeviceStatus status;
  char             *model;     /* the driver's model name or the product string; %NULL if unknown */
  char             *protocol;  /* the driver's protocol name; %NULL without a driver */
  char             *device_id; /* the HpDevice made for it; %NULL if none */
  char             *detail;    /* why it is in error, or the udev hint; %NULL */
} HpUsbDeviceDescription;

void        hp_usb_device_description_free (HpUsbDeviceDescription *description);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HpUsbDeviceDescription, hp_usb_device_description_free)

/* "probing", "ready", "measuring", "error", "no-driver", "permission-denied". */
const char *hp_usb_device_status_to_string (HpUsbDeviceStatus status);

/* Every USB device present, in order of arrival: a GPtrArray of
 * HpUsbDeviceDescription, owned by the caller. */
GPtrArray  *hp_device_manager_describe_usb_devices (HpDeviceManager *self);

G_END_DECLS
