/* A link between a protocol driver and its device (USB pipes and control requests, or a simulator). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The setup stage of a USB control transfer (USB 2.0 §9.3). Bit 7 of
 * request_type gives the direction: set for device-to-host. */
typedef struct {
  guint8  request_type;
  guint8  request;
  guint16 value;
  guint16 index;
} HpControlSetup;

/* bmRequestType values drivers use. */
#define HP_CONTROL_CLASS_INTERFACE_OUT 0x21
#define HP_CONTROL_CLASS_INTERFACE_IN  0xA1
#define HP_CONTROL_STANDARD_INTERFACE_IN 0x81

/* HID class requests (HID 1.11 §7.2); wValue = report type << 8 | report id. */
#define HP_HID_REQUEST_GET_REPORT 0x01
#define HP_HID_REQUEST_SET_REPORT 0x09
#define HP_HID_REQUEST_SET_IDLE   0x0A
#define HP_HID_REPORT_TYPE_INPUT   1
#define HP_HID_REPORT_TYPE_OUTPUT  2
#define HP_HID_REPORT_TYPE_FEATURE 3

#define HP_TYPE_TRANSPORT (hp_transport_get_type ())
G_DECLARE_INTERFACE (HpTransport, hp_transport, HP, TRANSPORT, GObject)

/* Drivers never touch libusb: they open a transport, send bytes, and hear
 * back through "received" and "closed" (the link is gone; a GError says why).
 * For observers (a recorder): "incoming" carries the same bytes as
 * "received", before any "received" handler runs (so before the driver
 * answers them), and "sent" tells of each send() that succeeded.
 *
 * On a stream link (PHDC bulk pipes) "received" holds whatever arrived, which
 * need not be a whole message, and send() may carry any length. On a report
 * link (HID) each "received" is one whole input report and each send() one
 * output report (interrupt OUT, or SET_REPORT(Output) where the interface has
 * no OUT endpoint); a report id, when the device uses them, is the first
 * byte. Control transfers go to the interface the transport was opened on. */
struct _HpTransportInterface
{
  GTypeInterface parent_iface;

  gboolean (*open)  (HpTransport   *self,
                     GError       **error);
  void     (*close) (HpTransport   *self);
  gboolean (*send)  (HpTransport   *self,
                     GBytes        *bytes,
                     GError       **error);

  void     (*control_async)  (HpTransport          *self,
                              const HpControlSetup *setup,
                              GBytes               *data_out,
                              guint16               length_in,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data);
  GBytes * (*control_finish) (HpTransport          *self,
                              GAsyncResult         *result,
                              GError              **error);
};

/* Starts receiving. */
gboolean hp_transport_open  (HpTransport  *self,
                             GError      **error);
/* Stops receiving; bytes still in flight are dropped. */
void     hp_transport_close (HpTransport  *self);
gboolean hp_transport_send  (HpTransport  *self,
                             GBytes       *bytes,
                             GError      **error);

/* A control transfer on the default pipe. For host-to-device requests
 * @data_out is the data stage (may be %NULL for none) and @length_in must be
 * 0; for device-to-host requests @data_out is %NULL and up to @length_in
 * bytes come back. The callback runs on the caller's thread-default main
 * context, never from within this call. finish() returns the bytes read (an
 * empty GBytes for host-to-device requests) or %NULL with an HP_DEVICE_ERROR
 * (TIMEOUT, DISCONNECTED, PROTOCOL for a stall, CANCELLED). */
void     hp_transport_control_async  (HpTransport          *self,
                                      const HpControlSetup *setup,
                                      GBytes               *data_out,
                                      guint16               length_in,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
GBytes  *hp_transport_control_finish (HpTransport          *self,
                                      GAsyncResult         *result,
                                      GError              **error);

/* For implementations. */
void     hp_transport_emit_received (HpTransport  *self,
                                     GBytes       *bytes);
void     hp_transport_emit_closed   (HpTransport  *self,
                                     const GError *error);

G_END_DECLS
