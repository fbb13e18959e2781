/* A device driven over an HpTransport: the base of every protocol driver. */
#pragma once

#include "hp-device.h"
#include "hp-transport.h"

G_BEGIN_DECLS

#define HP_TYPE_TRANSPORT_DEVICE (hp_transport_device_get_type ())
G_DECLARE_DERIVABLE_TYPE (HpTransportDevice, hp_transport_device, HP, TRANSPORT_DEVICE, HpDevice)

struct _HpTransportDeviceClass
{
  HpDeviceClass parent_class;

  /* What the transport's "received" and "closed" signals bring, delivered
   * while the device holds a reference to itself. */
  void (*received) (HpTransportDevice *self,
                    GBytes            *bytes);
  void (*closed)   (HpTransportDevice *self,
                    const GError      *error);

  gpointer padding[4];
};

/* The link the device was created with; %NULL once the device is disposed. */
HpTransport *hp_transport_device_get_transport (HpTransportDevice *self);

G_END_DECLS
