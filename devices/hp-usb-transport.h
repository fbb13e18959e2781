/* A transport over a real USB interface: libusb asynchronous transfers on the GLib main loop. */
#pragma once

#include "hp-transport.h"

G_BEGIN_DECLS

#define HP_TYPE_USB_TRANSPORT (hp_usb_transport_get_type ())
G_DECLARE_FINAL_TYPE (HpUsbTransport, hp_usb_transport, HP, USB_TRANSPORT, GObject)

/* What staff are told when the kiosk may not open a USB device node. */
#define HP_USB_PERMISSION_HINT \
  "install /lib/udev/rules.d/70-healthpost.rules and replug the device"

/* The interface the transport speaks on. */
guint8 hp_usb_transport_get_interface_number (HpUsbTransport *self);

G_END_DECLS
