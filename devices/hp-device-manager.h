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
 * driver speaks to them; "usb-device-arrived" and "usb-device-left" (vendor
 * and product id as guint) follow them from within libusb's event handling,
 * so handlers must not block. */
guint            hp_device_manager_get_n_usb_devices (HpDeviceManager *self);
gboolean         hp_device_manager_get_usb_device    (HpDeviceManager *self,
                                                      guint            index,
                                                      guint16         *vendor_id,
                                                      guint16         *product_id);

G_END_DECLS
