/* A transport over a real USB interface: libusb asynchronous transfers on the GLib main loop. */
#include "hp-usb-transport-private.h"

#include <string.h>

#include "hp-device.h"

#define DEFAULT_TIMEOUT_MS 5000
/* Two reads queued per IN pipe, so that a device never waits for the host
 * to resubmit between two packets. */
#define N_IN_TRANSFERS 2
/* A stream read takes several packets at once: an 11073 APDU is usually a
 * few hundred bytes and arrives in one transfer. */
#define STREAM_IN_PACKETS 8

#define USB_REQUEST_CLEAR_FEATURE  0x01
#define USB_FEATURE_ENDPOINT_HALT  0x00
#define USB_RECIPIENT_MASK         0x1F
#define USB_RECIPIENT_INTERFACE    0x01
#define USB_RECIPIENT_ENDPOINT     0x02

/* The libusb side of a transport. Transfers in flight hold it, so it can
 * outlive the GObject: the interface is released and the handle closed only
 * once the last transfer has come back. */
typedef struct {
  HpUsbContext *usb;
  libusb_device_handle *handle;
  guint8 interface_number;
  gboolean claimed;
  GPtrArray *transfers;   /* struct libusb_transfer * in flight */
  HpUsbTransport *owner;  /* %NULL once the transport is disposed */
} Link;

typedef enum {
  ROLE_STREAM,     /* a read of the IN (or notification) pipe, resubmitted while open */
  ROLE_OUT,        /* a write, or SET_REPORT(Output) standing in for one */
  ROLE_CONTROL,    /* a control transfer a caller waits for */
  ROLE_CLEAR_HALT, /* CLEAR_FEATURE(ENDPOINT_HALT) after a stall */
} Role;

typedef struct {
  Link *link;
  Role role;
  guint generation;
  guint8 *buffer;
  GTask *task;
  GCancellable *cancellable;
  gulong cancelled_id;
} Pending;

struct _HpUsbTransport
{
  GObject parent_instance;

  Link *link;
  HpTransportKind kind;
  HpUsbEndpoints endpoints;
  guint timeout_ms;
  gboolean open;
  gboolean gone;
  /* Bumped on every open and close, so that reads completing after a close
   * are told from those of the link opened since. */
  guint generation;
};

static void hp_usb_transport_iface_init (HpTransportInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HpUsbTransport, hp_usb_transport, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HP_TYPE_TRANSPORT, hp_usb_transport_iface_init))

/* A static variable's address serves as the GTask source tag. */
static int control_source_tag;

int
hp_usb_error_to_device_error (int libusb_error)
{
  switch (libusb_error)
    {
    case LIBUSB_ERROR_ACCESS:
      return HP_DEVICE_ERROR_PERMISSION;
    case LIBUSB_ERROR_NO_DEVICE:
    case LIBUSB_ERROR_NOT_FOUND:
      return HP_DEVICE_ERROR_DISCONNECTED;
    case LIBUSB_ERROR_TIMEOUT:
      return HP_DEVICE_ERROR_TIMEOUT;
    case LIBUSB_ERROR_BUSY:
      return HP_DEVICE_ERROR_BUSY;
    case LIBUSB_ERROR_NOT_SUPPORTED:
      return HP_DEVICE_ERROR_UNSUPPORTED;
    case LIBUSB_ERROR_INTERRUPTED:
      return HP_DEVICE_ERROR_CANCELLED;
    default:
      return HP_DEVICE_ERROR_PROTOCOL;
    }
}

static int
status_to_device_error (enum libusb_transfer_status status)
{
  switch (status)
    {
    case LIBUSB_TRANSFER_TIMED_OUT:
      return HP_DEVICE_ERROR_TIMEOUT;
    case LIBUSB_TRANSFER_CANCELLED:
      return HP_DEVICE_ERROR_CANCELLED;
    case LIBUSB_TRANSFER_NO_DEVICE:
      return HP_DEVICE_ERROR_DISCONNECTED;
    case LIBUSB_TRANSFER_COMPLETED:
    case LIBUSB_TRANSFER_ERROR:
    case LIBUSB_TRANSFER_STALL:
    case LIBUSB_TRANSFER_OVERFLOW:
    default:
      return HP_DEVICE_ERROR_PROTOCOL;
    }
}

static const char *
status_to_string (enum libusb_transfer_status status)
{
  switch (status)
    {
    case LIBUSB_TRANSFER_COMPLETED:
      return "completed";
    case LIBUSB_TRANSFER_ERROR:
      return "transfer error";
    case LIBUSB_TRANSFER_TIMED_OUT:
      return "timed out";
    case LIBUSB_TRANSFER_CANCELLED:
      return "cancelled";
    case LIBUSB_TRANSFER_STALL:
      return "endpoint stalled";
    case LIBUSB_TRANSFER_NO_DEVICE:
      return "device gone";
    case LIBUSB_TRANSFER_OVERFLOW:
      return "device sent more than asked for";
    default:
      return "unknown status";
    }
}

/* Link */

static void
link_clear (gpointer data)
{
  Link *link = data;
  int rc;

  g_assert (link->transfers->len == 0);
  if (link->claimed)
    {
      rc = libusb_release_interface (link->handle, link->interface_number);
      if (rc < 0 && rc != LIBUSB_ERROR_NO_DEVICE)
        g_debug ("Releasing USB interface %u: %s", link->interface_number, libusb_strerror (rc));
    }
  libusb_close (link->handle);
  g_ptr_array_unref (link->transfers);
  hp_usb_context_unref (link->usb);
}

static Link *
link_ref (Link *link)
{
  return g_rc_box_acquire (link);
}

static void
link_unref (Link *link)
{
  g_rc_box_release_full (link, link_clear);
}

static gboolean
link_unref_idle (gpointer data)
{
  link_unref (data);
  return G_SOURCE_REMOVE;
}

/* libusb goes on using the handle after a transfer's callback returns, so a
 * reference dropped there must not close it: the last one is let go from an
 * idle callback instead. */
static void
link_unref_later (Link *link)
{
  GSource *source = g_idle_source_new ();

  g_source_set_callback (source, link_unref_idle, link, NULL);
  g_source_set_static_name (source, "[healthpost] USB link release");
  g_source_attach (source, hp_usb_context_get_main_context (link->usb));
  g_source_unref (source);
}

static gboolean
link_claim (Link    *link,
            GError **error)
{
  int rc;

  if (link->claimed)
    return TRUE;
  rc = libusb_claim_interface (link->handle, link->interface_number);
  if (rc < 0)
    {
      if (rc == LIBUSB_ERROR_ACCESS)
        g_set_error (error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_PERMISSION,
                     "The kiosk may not use USB interface %u: %s", link->interface_number,
                     HP_USB_PERMISSION_HINT);
      else
        g_set_error (error, HP_DEVICE_ERROR, hp_usb_error_to_device_error (rc),
                     "Cannot claim USB interface %u: %s", link->interface_number, libusb_strerror (rc));
      return FALSE;
    }
  link->claimed = TRUE;
  return TRUE;
}

static gboolean
link_owner_is_open (Link *link)
{
  return link->owner != NULL && link->owner->open;
}

/* Gives the interface back (and its kernel driver, for HID) once nothing
 * uses it. */
static void
link_release_if_idle (Link *link)
{
  int rc;

  if (!link->claimed || link->transfers->len > 0 || link_owner_is_open (link))
    return;
  rc = libusb_release_interface (link->handle, link->interface_number);
  if (rc < 0 && rc != LIBUSB_ERROR_NO_DEVICE && rc != LIBUSB_ERROR_NOT_FOUND)
    g_debug ("Releasing USB interface %u: %s", link->interface_number, libusb_strerror (rc));
  link->claimed = FALSE;
}

/* Cancels the transfers in flight: all of them, or only the reads. */
static void
link_cancel (Link     *link,
             gboolean  streams_only)
{
  for (guint i = 0; i < link->transfers->len; i++)
    {
      struct libusb_transfer *transfer = g_ptr_array_index (link->transfers, i);
      Pending *pending = transfer->user_data;
      int rc;

      if (streams_only && pending->role != ROLE_STREAM)
        continue;
      rc = libusb_cancel_transfer (transfer);
      if (rc < 0 && rc != LIBUSB_ERROR_NOT_FOUND)
        g_debug ("Cancelling a USB transfer: %s", libusb_strerror (rc));
    }
}

/* Transfers */

static struct libusb_transfer *
transfer_new (HpUsbTransport *self,
              Role            role,
              gsize           buffer_len)
{
  struct libusb_transfer *transfer = libusb_alloc_transfer (0);
  Pending *pending = g_new0 (Pending, 1);

  g_assert (transfer != NULL);
  pending->link = link_ref (self->link);
  pending->role = role;
  pending->generation = self->generation;
  pending->buffer = g_malloc0 (MAX (buffer_len, 1));
  transfer->user_data = pending;
  return transfer;
}

/* Called from a transfer's callback, or for one never submitted. */
static void
transfer_free (struct libusb_transfer *transfer,
               gboolean                from_callback)
{
  Pending *pending = transfer->user_data;
  Link *link = pending->link;

  if (pending->cancelled_id != 0)
    g_cancellable_disconnect (pending->cancellable, pending->cancelled_id);
  g_clear_object (&pending->cancellable);
  g_clear_object (&pending->task);
  g_free (pending->buffer);
  g_free (pending);
  libusb_free_transfer (transfer);

  link_release_if_idle (link);
  if (from_callback)
    link_unref_later (link);
  else
    link_unref (link);
}

static int
transfer_submit (struct libusb_transfer *transfer)
{
  Pending *pending = transfer->user_data;
  int rc = libusb_submit_transfer (transfer);

  if (rc == LIBUSB_SUCCESS)
    g_ptr_array_add (pending->link->transfers, transfer);
  return rc;
}

/* Every callback starts here: the transfer is no longer in flight. */
static Pending *
transfer_landed (struct libusb_transfer *transfer)
{
  Pending *pending = transfer->user_data;

  g_ptr_array_remove_fast (pending->link->transfers, transfer);
  return pending;
}

/* Closing */

static void
stop_streams (HpUsbTransport *self)
{
  self->open = FALSE;
  self->generation++;
  link_cancel (self->link, TRUE);
  link_release_if_idle (self->link);
}

G_GNUC_PRINTF (3, 4)
static void
link_failed (HpUsbTransport *self,
             int             code,
             const char     *format,
             ...)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpUsbTransport) hold G_GNUC_UNUSED = g_object_ref (self);
  va_list args;

  if (!self->open)
    return;

  va_start (args, format);
  error = g_error_new_valist (HP_DEVICE_ERROR, code, format, args);
  va_end (args);

  g_debug ("USB interface %u: %s", self->endpoints.interface_number, error->message);
  stop_streams (self);
  hp_transport_emit_closed (HP_TRANSPORT (self), error);
}

static void LIBUSB_CALL on_clear_halt_done (struct libusb_transfer *transfer);

/* A stalled pipe stays stalled until the host clears it; done without
 * waiting, the next open finds it clear. */
static void
clear_halt (HpUsbTransport *self,
            guint8          endpoint)
{
  struct libusb_transfer *transfer = transfer_new (self, ROLE_CLEAR_HALT, LIBUSB_CONTROL_SETUP_SIZE);
  Pending *pending = transfer->user_data;
  int rc;

  if (!link_claim (self->link, NULL))
    {
      transfer_free (transfer, FALSE);
      return;
    }
  libusb_fill_control_setup (pending->buffer, LIBUSB_ENDPOINT_OUT | USB_RECIPIENT_ENDPOINT,
                             USB_REQUEST_CLEAR_FEATURE, USB_FEATURE_ENDPOINT_HALT, endpoint, 0);
  libusb_fill_control_transfer (transfer, self->link->handle, pending->buffer,
                                on_clear_halt_done, pending, self->timeout_ms);
  rc = transfer_submit (transfer);
  if (rc < 0)
    {
      g_debug ("Cannot clear the halt of endpoint 0x%02x: %s", endpoint, libusb_strerror (rc));
      transfer_free (transfer, FALSE);
    }
}

static void LIBUSB_CALL
on_clear_halt_done (struct libusb_transfer *transfer)
{
  transfer_landed (transfer);
  if (transfer->status != LIBUSB_TRANSFER_COMPLETED)
    g_debug ("Clearing a stalled USB endpoint: %s", status_to_string (transfer->status));
  transfer_free (transfer, TRUE);
}

/* Ends the open link for a transfer that came back with an error. */
static void
transfer_failed (HpUsbTransport         *self,
                 struct libusb_transfer *transfer,
                 const char             *what)
{
  if (transfer->status == LIBUSB_TRANSFER_STALL && transfer->endpoint != 0)
    clear_halt (self, transfer->endpoint);
  if (transfer->status == LIBUSB_TRANSFER_NO_DEVICE)
    self->gone = TRUE;
  link_failed (self, status_to_device_error (transfer->status),
               "%s on endpoint 0x%02x failed: %s", what, transfer->endpoint,
               status_to_string (transfer->status));
}

/* Reads */

static void LIBUSB_CALL
on_stream_done (struct libusb_transfer *transfer)
{
  Pending *pending = transfer_landed (transfer);
  HpUsbTransport *self = pending->link->owner;
  g_autoptr(HpUsbTransport) hold = NULL;
  int rc;

  if (self == NULL || !self->open || pending->generation != self->generation ||
      transfer->status == LIBUSB_TRANSFER_CANCELLED)
    {
      transfer_free (transfer, TRUE);
      return;
    }

  hold = g_object_ref (self);
  if (transfer->status != LIBUSB_TRANSFER_COMPLETED)
    {
      transfer_failed (self, transfer, "Reading");
      transfer_free (transfer, TRUE);
      return;
    }

  if (transfer->actual_length > 0)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (transfer->buffer, (gsize) transfer->actual_length);

      hp_transport_emit_received (HP_TRANSPORT (self), bytes);
    }

  /* A handler may have closed (or closed and reopened) the link. */
  if (!self->open || pending->generation != self->generation)
    {
      transfer_free (transfer, TRUE);
      return;
    }
  rc = transfer_submit (transfer);
  if (rc < 0)
    {
      if (rc == LIBUSB_ERROR_NO_DEVICE)
        self->gone = TRUE;
      link_failed (self, hp_usb_error_to_device_error (rc), "Cannot read from endpoint 0x%02x: %s",
                   transfer->endpoint, libusb_strerror (rc));
      transfer_free (transfer, TRUE);
    }
}

static gboolean
submit_reads (HpUsbTransport  *self,
              guint8           endpoint,
              guint16          max_packet,
              guint            n_transfers,
              GError         **error)
{
  gboolean bulk = self->kind == HP_TRANSPORT_KIND_BULK_STREAM && endpoint == self->endpoints.in_endpoint;
  /* A bulk read is a whole number of packets, or the device could overflow it. */
  gsize length = bulk ? (gsize) max_packet * STREAM_IN_PACKETS : max_packet;

  for (guint i = 0; i < n_transfers; i++)
    {
      struct libusb_transfer *transfer = transfer_new (self, ROLE_STREAM, length);
      Pending *pending = transfer->user_data;
      int rc;

      if (bulk)
        libusb_fill_bulk_transfer (transfer, self->link->handle, endpoint, pending->buffer,
                                   (int) length, on_stream_done, pending, 0);
      else
        libusb_fill_interrupt_transfer (transfer, self->link->handle, endpoint, pending->buffer,
                                        (int) length, on_stream_done, pending, 0);
      rc = transfer_submit (transfer);
      if (rc < 0)
        {
          transfer_free (transfer, FALSE);
          g_set_error (error, HP_DEVICE_ERROR, hp_usb_error_to_device_error (rc),
                       "Cannot read from endpoint 0x%02x: %s", endpoint, libusb_strerror (rc));
          return FALSE;
        }
    }
  return TRUE;
}

/* HpTransport */

static gboolean
hp_usb_transport_open (HpTransport  *transport,
                       GError      **error)
{
  HpUsbTransport *self = HP_USB_TRANSPORT (transport);

  if (self->gone)
    {
      g_set_error_literal (error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_DISCONNECTED,
                           "The USB device was unplugged");
      return FALSE;
    }
  if (self->open)
    return TRUE;
  if (!link_claim (self->link, error))
    return FALSE;

  self->open = TRUE;
  self->generation++;
  if (!submit_reads (self, self->endpoints.in_endpoint, self->endpoints.in_max_packet, N_IN_TRANSFERS, error) ||
      (self->endpoints.notify_endpoint != 0 &&
       !submit_reads (self, self->endpoints.notify_endpoint, self->endpoints.notify_max_packet, 1, error)))
    {
      stop_streams (self);
      return FALSE;
    }
  return TRUE;
}

static void
hp_usb_transport_close (HpTransport *transport)
{
  HpUsbTransport *self = HP_USB_TRANSPORT (transport);

  if (self->open)
    stop_streams (self);
}

static void LIBUSB_CALL
on_out_done (struct libusb_transfer *transfer)
{
  Pending *pending = transfer_landed (transfer);
  HpUsbTransport *self = pending->link->owner;
  gboolean control = transfer->type == LIBUSB_TRANSFER_TYPE_CONTROL;
  int expected = control ? transfer->length - (int) LIBUSB_CONTROL_SETUP_SIZE : transfer->length;

  if (self != NULL && self->open && pending->generation == self->generation &&
      transfer->status != LIBUSB_TRANSFER_CANCELLED)
    {
      g_autoptr(HpUsbTransport) hold G_GNUC_UNUSED = g_object_ref (self);

      if (transfer->status != LIBUSB_TRANSFER_COMPLETED)
        transfer_failed (self, transfer, control ? "Sending an output report" : "Writing");
      else if (transfer->actual_length != expected)
        link_failed (self, HP_DEVICE_ERROR_PROTOCOL, "The device took %d of %d bytes on endpoint 0x%02x",
                     transfer->actual_length, expected, transfer->endpoint);
    }
  transfer_free (transfer, TRUE);
}

static gboolean
hp_usb_transport_send (HpTransport  *transport,
                       GBytes       *bytes,
                       GError      **error)
{
  HpUsbTransport *self = HP_USB_TRANSPORT (transport);
  struct libusb_transfer *transfer;
  Pending *pending;
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  int rc;

  if (self->gone)
    {
      g_set_error_literal (error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_DISCONNECTED, "The USB device was unplugged");
      return FALSE;
    }
  if (!self->open)
    {
      g_set_error_literal (error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_NOT_CONNECTED, "The USB link is not open");
      return FALSE;
    }
  if (size == 0 || size > G_MAXUINT16)
    {
      g_set_error (error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_PROTOCOL,
                   "A USB write of %" G_GSIZE_FORMAT " bytes is not possible", size);
      return FALSE;
    }

  if (self->kind == HP_TRANSPORT_KIND_HID_REPORTS && self->endpoints.out_endpoint == 0)
    {
      /* No interrupt OUT pipe: the report goes as SET_REPORT(Output). */
      guint8 report_id = self->endpoints.uses_report_ids ? data[0] : 0;

      transfer = transfer_new (self, ROLE_OUT, LIBUSB_CONTROL_SETUP_SIZE + size);
      pending = transfer->user_data;
      libusb_fill_control_setup (pending->buffer, HP_CONTROL_CLASS_INTERFACE_OUT, HP_HID_REQUEST_SET_REPORT,
                                 (guint16) (HP_HID_REPORT_TYPE_OUTPUT << 8 | report_id),
                                 self->endpoints.interface_number, (guint16) size);
      memcpy (pending->buffer + LIBUSB_CONTROL_SETUP_SIZE, data, size);
      libusb_fill_control_transfer (transfer, self->link->handle, pending->buffer,
                                    on_out_done, pending, self->timeout_ms);
    }
  else
    {
      transfer = transfer_new (self, ROLE_OUT, size);
      pending = transfer->user_data;
      memcpy (pending->buffer, data, size);
      if (self->kind == HP_TRANSPORT_KIND_BULK_STREAM)
        {
          libusb_fill_bulk_transfer (transfer, self->link->handle, self->endpoints.out_endpoint,
                                     pending->buffer, (int) size, on_out_done, pending, self->timeout_ms);
          /* PHDC ends a transfer with a short packet: one that fills its last
           * packet exactly is followed by a zero-length one. */
          if (self->endpoints.out_max_packet > 0 && size % self->endpoints.out_max_packet == 0)
            transfer->flags |= LIBUSB_TRANSFER_ADD_ZERO_PACKET;
        }
      else
        libusb_fill_interrupt_transfer (transfer, self->link->handle, self->endpoints.out_endpoint,
                                        pending->buffer, (int) size, on_out_done, pending, self->timeout_ms);
    }

  rc = transfer_submit (transfer);
  if (rc < 0)
    {
      transfer_free (transfer, FALSE);
      if (rc == LIBUSB_ERROR_NO_DEVICE)
        self->gone = TRUE;
      g_set_error (error, HP_DEVICE_ERROR, hp_usb_error_to_device_error (rc),
                   "Cannot write to the USB device: %s", libusb_strerror (rc));
      return FALSE;
    }
  return TRUE;
}

static void LIBUSB_CALL
on_control_done (struct libusb_transfer *transfer)
{
  Pending *pending = transfer_landed (transfer);
  GTask *task = pending->task;

  if (pending->cancelled_id != 0)
    {
      g_cancellable_disconnect (pending->cancellable, pending->cancelled_id);
      pending->cancelled_id = 0;
    }

  if (transfer->status == LIBUSB_TRANSFER_COMPLETED)
    {
      const guint8 *data = libusb_control_transfer_get_data (transfer);
      gboolean device_to_host = (pending->buffer[0] & LIBUSB_ENDPOINT_IN) != 0;

      g_task_return_pointer (task,
                             g_bytes_new (data, device_to_host ? (gsize) transfer->actual_length : 0),
                             (GDestroyNotify) g_bytes_unref);
    }
  else
    {
      HpUsbTransport *self = g_task_get_source_object (task);
      int code = status_to_device_error (transfer->status);

      if (transfer->status == LIBUSB_TRANSFER_NO_DEVICE)
        self->gone = TRUE;
      /* Cancelled by the caller, or by the device leaving. */
      if (transfer->status == LIBUSB_TRANSFER_CANCELLED && self->gone &&
          !g_cancellable_is_cancelled (pending->cancellable))
        code = HP_DEVICE_ERROR_DISCONNECTED;
      g_task_return_new_error (task, HP_DEVICE_ERROR, code,
                               "Control request 0x%02x failed: %s", pending->buffer[1],
                               status_to_string (transfer->status));
    }
  transfer_free (transfer, TRUE);
}

static void
on_control_cancelled (GCancellable *cancellable G_GNUC_UNUSED,
                      gpointer      user_data)
{
  /* The transfer comes back CANCELLED through libusb's event handling. */
  libusb_cancel_transfer (user_data);
}

static void
hp_usb_transport_control_async (HpTransport          *transport,
                                const HpControlSetup *setup,
                                GBytes               *data_out,
                                guint16               length_in,
                                GCancellable         *cancellable,
                                GAsyncReadyCallback   callback,
                                gpointer              user_data)
{
  HpUsbTransport *self = HP_USB_TRANSPORT (transport);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  struct libusb_transfer *transfer;
  Pending *pending;
  gsize out_size = data_out != NULL ? g_bytes_get_size (data_out) : 0;
  gboolean device_to_host = (setup->request_type & LIBUSB_ENDPOINT_IN) != 0;
  guint16 length = device_to_host ? length_in : (guint16) out_size;
  guint16 index = setup->index;
  guint recipient = setup->request_type & USB_RECIPIENT_MASK;
  int rc;

  g_task_set_source_tag (task, &control_source_tag);

  if (g_task_return_error_if_cancelled (task))
    return;
  if (self->gone)
    {
      g_task_return_new_error (task, HP_DEVICE_ERROR, HP_DEVICE_ERROR_DISCONNECTED, "The USB device was unplugged");
      return;
    }
  if (out_size > G_MAXUINT16 || (device_to_host && out_size > 0))
    {
      g_task_return_new_error (task, HP_DEVICE_ERROR, HP_DEVICE_ERROR_PROTOCOL,
                               "Control request 0x%02x has an impossible data stage", setup->request);
      return;
    }

  /* Requests to an interface or endpoint need the interface claimed (the
   * kernel refuses them otherwise), and go to this transport's interface. */
  if (recipient == USB_RECIPIENT_INTERFACE || recipient == USB_RECIPIENT_ENDPOINT)
    {
      if (!link_claim (self->link, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }
  if (recipient == USB_RECIPIENT_INTERFACE)
    index = (guint16) ((index & 0xFF00) | self->endpoints.interface_number);

  transfer = transfer_new (self, ROLE_CONTROL, LIBUSB_CONTROL_SETUP_SIZE + length);
  pending = transfer->user_data;
  libusb_fill_control_setup (pending->buffer, setup->request_type, setup->request, setup->value, index, length);
  if (out_size > 0)
    memcpy (pending->buffer + LIBUSB_CONTROL_SETUP_SIZE, g_bytes_get_data (data_out, NULL), out_size);
  libusb_fill_control_transfer (transfer, self->link->handle, pending->buffer,
                                on_control_done, pending, self->timeout_ms);
  pending->task = g_object_ref (task);

  rc = transfer_submit (transfer);
  if (rc < 0)
    {
      if (rc == LIBUSB_ERROR_NO_DEVICE)
        self->gone = TRUE;
      transfer_free (transfer, FALSE);
      g_task_return_new_error (task, HP_DEVICE_ERROR, hp_usb_error_to_device_error (rc),
                               "Cannot send control request 0x%02x: %s", setup->request, libusb_strerror (rc));
      return;
    }
  if (cancellable != NULL)
    {
      pending->cancellable = g_object_ref (cancellable);
      pending->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_control_cancelled), transfer, NULL);
    }
}

static GBytes *
hp_usb_transport_control_finish (HpTransport   *transport,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, transport), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == &control_source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
hp_usb_transport_iface_init (HpTransportInterface *iface)
{
  iface->open = hp_usb_transport_open;
  iface->close = hp_usb_transport_close;
  iface->send = hp_usb_transport_send;
  iface->control_async = hp_usb_transport_control_async;
  iface->control_finish = hp_usb_transport_control_finish;
}

/* GObject */

static void
hp_usb_transport_dispose (GObject *object)
{
  HpUsbTransport *self = HP_USB_TRANSPORT (object);

  if (self->link != NULL)
    {
      Link *link = g_steal_pointer (&self->link);

      self->open = FALSE;
      link->owner = NULL;
      link_cancel (link, FALSE);
      link_release_if_idle (link);
      link_unref (link);
    }

  G_OBJECT_CLASS (hp_usb_transport_parent_class)->dispose (object);
}

static void
hp_usb_transport_class_init (HpUsbTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hp_usb_transport_dispose;
}

static void
hp_usb_transport_init (HpUsbTransport *self)
{
  self->timeout_ms = DEFAULT_TIMEOUT_MS;
}

HpUsbTransport *
hp_usb_transport_new (HpUsbContext         *usb,
                      libusb_device_handle *handle,
                      HpTransportKind       kind,
                      const HpUsbEndpoints *endpoints)
{
  HpUsbTransport *self;
  Link *link;
  int rc;

  g_return_val_if_fail (usb != NULL, NULL);
  g_return_val_if_fail (handle != NULL, NULL);
  g_return_val_if_fail (endpoints != NULL && endpoints->in_endpoint != 0, NULL);

  self = g_object_new (HP_TYPE_USB_TRANSPORT, NULL);
  self->kind = kind;
  self->endpoints = *endpoints;

  link = g_rc_box_new0 (Link);
  link->usb = hp_usb_context_ref (usb);
  link->handle = handle;
  link->interface_number = endpoints->interface_number;
  link->transfers = g_ptr_array_new ();
  link->owner = self;
  self->link = link;

  /* usbhid holds HID interfaces: libusb detaches it on claim and gives the
   * interface back to it on release. */
  rc = libusb_set_auto_detach_kernel_driver (handle, 1);
  if (rc < 0)
    g_debug ("No kernel driver detaching here: %s", libusb_strerror (rc));
  return self;
}

void
hp_usb_transport_set_uses_report_ids (HpUsbTransport *self,
                                      gboolean        uses_report_ids)
{
  g_return_if_fail (HP_IS_USB_TRANSPORT (self));
  self->endpoints.uses_report_ids = uses_report_ids;
}

void
hp_usb_transport_set_timeout (HpUsbTransport *self,
                              guint           timeout_ms)
{
  g_return_if_fail (HP_IS_USB_TRANSPORT (self));
  g_return_if_fail (timeout_ms > 0);
  self->timeout_ms = timeout_ms;
}

guint8
hp_usb_transport_get_interface_number (HpUsbTransport *self)
{
  g_return_val_if_fail (HP_IS_USB_TRANSPORT (self), 0);
  return self->endpoints.interface_number;
}

void
hp_usb_transport_disconnect (HpUsbTransport *self)
{
  g_return_if_fail (HP_IS_USB_TRANSPORT (self));

  if (self->gone && !self->open)
    return;
  self->gone = TRUE;
  if (self->link != NULL)
    link_cancel (self->link, FALSE);
  link_failed (self, HP_DEVICE_ERROR_DISCONNECTED, "The USB device was unplugged");
}

gboolean
hp_usb_endpoints_from_interface (const struct libusb_interface_descriptor  *altsetting,
                                 HpTransportKind                            kind,
                                 HpUsbEndpoints                            *endpoints,
                                 GError                                   **error)
{
  enum libusb_endpoint_transfer_type data_type =
    kind == HP_TRANSPORT_KIND_BULK_STREAM ? LIBUSB_ENDPOINT_TRANSFER_TYPE_BULK : LIBUSB_ENDPOINT_TRANSFER_TYPE_INTERRUPT;

  g_return_val_if_fail (altsetting != NULL, FALSE);
  g_return_val_if_fail (endpoints != NULL, FALSE);

  memset (endpoints, 0, sizeof *endpoints);
  endpoints->interface_number = altsetting->bInterfaceNumber;

  for (guint i = 0; i < altsetting->bNumEndpoints; i++)
    {
      const struct libusb_endpoint_descriptor *ep = &altsetting->endpoint[i];
      guint type = ep->bmAttributes & LIBUSB_TRANSFER_TYPE_MASK;
      gboolean in = (ep->bEndpointAddress & LIBUSB_ENDPOINT_DIR_MASK) == LIBUSB_ENDPOINT_IN;
      guint16 max_packet = ep->wMaxPacketSize & 0x07FF;

      if (max_packet == 0)
        continue;
      if (type == data_type && in && endpoints->in_endpoint == 0)
        {
          endpoints->in_endpoint = ep->bEndpointAddress;
          endpoints->in_max_packet = max_packet;
        }
      else if (type == data_type && !in && endpoints->out_endpoint == 0)
        {
          endpoints->out_endpoint = ep->bEndpointAddress;
          endpoints->out_max_packet = max_packet;
        }
      else if (kind == HP_TRANSPORT_KIND_BULK_STREAM && type == LIBUSB_ENDPOINT_TRANSFER_TYPE_INTERRUPT &&
               in && endpoints->notify_endpoint == 0)
        {
          endpoints->notify_endpoint = ep->bEndpointAddress;
          endpoints->notify_max_packet = max_packet;
        }
    }

  if (endpoints->in_endpoint == 0 ||
      (kind == HP_TRANSPORT_KIND_BULK_STREAM && endpoints->out_endpoint == 0))
    {
      g_set_error (error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_UNSUPPORTED,
                   "USB interface %u has no %s", altsetting->bInterfaceNumber,
                   kind == HP_TRANSPORT_KIND_BULK_STREAM ? "bulk IN and OUT pipes" : "interrupt IN pipe");
      return FALSE;
    }
  return TRUE;
}
