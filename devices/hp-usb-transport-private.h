/* How the device manager makes USB transports; libusb stays inside devices/. */
#pragma once

#include <libusb.h>

#include "hp-driver.h"
#include "hp-usb-source-private.h"
#include "hp-usb-transport.h"

G_BEGIN_DECLS

/* The pipes of one interface (endpoint addresses; 0 where there is none). */
typedef struct {
  guint8   interface_number;
  guint8   in_endpoint;       /* bulk IN (stream) or interrupt IN (reports) */
  guint16  in_max_packet;
  guint8   out_endpoint;      /* bulk OUT (stream) or interrupt OUT (reports, optional) */
  guint16  out_max_packet;
  guint8   notify_endpoint;   /* stream links: an optional interrupt IN */
  guint16  notify_max_packet;
  gboolean uses_report_ids;   /* report links: reports start with their id */
} HpUsbEndpoints;

/* Picks the pipes @kind needs from @altsetting; FALSE with an
 * HP_DEVICE_ERROR_UNSUPPORTED error naming what is missing. */
gboolean        hp_usb_endpoints_from_interface (const struct libusb_interface_descriptor *altsetting,
                                                 HpTransportKind                           kind,
                                                 HpUsbEndpoints                           *endpoints,
                                                 GError                                  **error);

/* Takes @handle (closed once the transport and its transfers are gone). The
 * interface is claimed (a kernel driver detached) on open and for control
 * transfers to it, and released when the link is closed and idle. */
HpUsbTransport *hp_usb_transport_new            (HpUsbContext          *usb,
                                                 libusb_device_handle  *handle,
                                                 HpTransportKind        kind,
                                                 const HpUsbEndpoints  *endpoints);

/* Report links: learnt from the report descriptor after the transport was made. */
void            hp_usb_transport_set_uses_report_ids (HpUsbTransport *self,
                                                      gboolean        uses_report_ids);

/* Milliseconds a control or OUT transfer may take (default 5000). */
void            hp_usb_transport_set_timeout    (HpUsbTransport        *self,
                                                 guint                  timeout_ms);

/* The device left the bus: transfers are cancelled, an open link hears
 * "closed" with HP_DEVICE_ERROR_DISCONNECTED, and it cannot open again. */
void            hp_usb_transport_disconnect     (HpUsbTransport        *self);

/* The libusb error as an HP_DEVICE_ERROR code. */
int             hp_usb_error_to_device_error    (int                    libusb_error);

G_END_DECLS
