/* A byte link between a protocol driver and its device (USB bulk pipes, or a simulator). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HP_TYPE_TRANSPORT (hp_transport_get_type ())
G_DECLARE_INTERFACE (HpTransport, hp_transport, HP, TRANSPORT, GObject)

/* Drivers never touch libusb: they open a transport, send bytes, and hear
 * back through "received" (a GBytes holding whatever arrived, which need not
 * be a whole message) and "closed" (the link is gone; a GError says why). */
struct _HpTransportInterface
{
  GTypeInterface parent_iface;

  gboolean (*open)  (HpTransport   *self,
                     GError       **error);
  void     (*close) (HpTransport   *self);
  gboolean (*send)  (HpTransport   *self,
                     GBytes        *bytes,
                     GError       **error);
};

/* Starts receiving. */
gboolean hp_transport_open  (HpTransport  *self,
                             GError      **error);
/* Stops receiving; bytes still in flight are dropped. */
void     hp_transport_close (HpTransport  *self);
gboolean hp_transport_send  (HpTransport  *self,
                             GBytes       *bytes,
                             GError      **error);

/* For implementations. */
void     hp_transport_emit_received (HpTransport  *self,
                                     GBytes       *bytes);
void     hp_transport_emit_closed   (HpTransport  *self,
                                     const GError *error);

G_END_DECLS
