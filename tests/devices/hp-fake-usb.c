/* A USB device faked at the usbdevfs ioctl level in a umockdev testbed, for libusb end-to-end tests. */
#include "hp-fake-usb.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <linux/capability.h>
#include <sys/ioctl.h>
#include <linux/usbdevice_fs.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SETUP_SIZE 8
#define USB_DT_STRING 0x03
#define USB_DT_REPORT 0x22
#define USB_REQUEST_GET_DESCRIPTOR 0x06
#define HID_GET_REPORT 0x01
#define HID_SET_REPORT 0x09
#define HID_REPORT_OUTPUT 2
#define HID_REPORT_FEATURE 3

typedef struct {
  guint8 endpoint;
  GBytes *data;    /* %NULL: a stall */
} InChunk;

struct _HpFakeUsb
{
  UMockdevTestbed *testbed;
  UMockdevIoctlBase *handler;
  char *devnode;
  char *syspath;
  char *node_file;
  gboolean dropped_caps;
  struct __user_cap_data_struct saved_caps[2];

  /* Shared with umockdev's worker thread. */
  GMutex lock;
  GQueue pending_in;   /* UMockdevIoctlData of IN URBs waiting for data */
  GQueue done;         /* UMockdevIoctlData of URBs ready to reap */
  GQueue in_chunks;    /* InChunk */
  gboolean unplugged;
  char *product;
  char *serial;
  GBytes *report_descriptor;
  GHashTable *features; /* report id → GBytes */
  GBytes *output_report;
  HpFakeUsbOutFunc out_func;
  gpointer out_data;
  gint n_clients;      /* open file descriptors on the node (atomic) */
  guint n_claims;
  guint n_releases;
  guint n_clear_halts;
};

static void
in_chunk_free (gpointer data)
{
  InChunk *chunk = data;

  g_clear_pointer (&chunk->data, g_bytes_unref);
  g_free (chunk);
}

static struct usbdevfs_urb *
urb_of (UMockdevIoctlData *urb_data)
{
  return (struct usbdevfs_urb *) (void *) urb_data->data;
}

/* With the lock held: pairs waiting reads with queued bytes. */
static void
match_in (HpFakeUsb *self)
{
  GList *l = self->pending_in.head;

  while (l != NULL)
    {
      GList *next = l->next;
      UMockdevIoctlData *urb_data = l->data;
      struct usbdevfs_urb *urb = urb_of (urb_data);
      InChunk *chunk = NULL;

      for (GList *c = self->in_chunks.head; c != NULL; c = c->next)
        {
          if (((InChunk *) c->data)->endpoint == urb->endpoint)
            {
              chunk = c->data;
              g_queue_delete_link (&self->in_chunks, c);
              break;
            }
        }
      if (chunk != NULL)
        {
          if (chunk->data == NULL)
            {
              urb->status = -EPIPE;
              urb->actual_length = 0;
            }
          else
            {
              gsize size;
              const guint8 *data = g_bytes_get_data (chunk->data, &size);

              size = MIN (size, (gsize) urb->buffer_length);
              memcpy (urb->buffer, data, size);
              urb->actual_length = (int) size;
              urb->status = 0;
            }
          in_chunk_free (chunk);
          g_queue_delete_link (&self->pending_in, l);
          g_queue_push_tail (&self->done, urb_data);
        }
      l = next;
    }
}

static GBytes *
string_descriptor (const char *text)
{
  g_autofree gunichar2 *units = NULL;
  glong n_units = 0;
  GByteArray *array = g_byte_array_new ();
  guint8 header[2];

  units = g_utf8_to_utf16 (text, -1, NULL, &n_units, NULL);
  header[0] = (guint8) (2 + 2 * n_units);
  header[1] = USB_DT_STRING;
  g_byte_array_append (array, header, 2);
  for (glong i = 0; i < n_units; i++)
    {
      guint8 unit[2] = { units[i] & 0xFF, units[i] >> 8 };

      g_byte_array_append (array, unit, 2);
    }
  return g_byte_array_free_to_bytes (array);
}

/* With the lock held: answers a control request as the device would.
 * Returns FALSE for a stall. */
static gboolean
handle_control (HpFakeUsb    *self,
                const guint8 *setup,
                guint8       *data,
                gsize         data_len,
                gsize        *actual)
{
  guint8 request_type = setup[0];
  guint8 request = setup[1];
  guint16 value = (guint16) (setup[2] | setup[3] << 8);
  g_autoptr(GBytes) answer = NULL;

  *actual = 0;
  if (request == USB_REQUEST_GET_DESCRIPTOR && (request_type & 0x80) != 0)
    {
      guint8 type = value >> 8;
      guint8 index = value & 0xFF;

      if (type == USB_DT_STRING)
        {
          static const guint8 langids[] = { 4, USB_DT_STRING, 0x09, 0x04 };

          if (index == 0)
            answer = g_bytes_new_static (langids, sizeof langids);
          else if (index == 1)
            answer = string_descriptor ("Healthpost test devices");
          else if (index == 2 && self->product != NULL)
            answer = string_descriptor (self->product);
          else if (index == 3 && self->serial != NULL)
            answer = string_descriptor (self->serial);
        }
      else if (type == USB_DT_REPORT && self->report_descriptor != NULL)
        answer = g_bytes_ref (self->report_descriptor);
      if (answer == NULL)
        return FALSE;
    }
  else if (request_type == 0xA1 && request == HID_GET_REPORT && (value >> 8) == HID_REPORT_FEATURE)
    {
      answer = g_hash_table_lookup (self->features, GUINT_TO_POINTER (value & 0xFF));
      if (answer == NULL)
        return FALSE;
      g_bytes_ref (answer);
    }
  else if (request_type == 0x21 && request == HID_SET_REPORT)
    {
      GBytes *report = g_bytes_new (data, data_len);

      if ((value >> 8) == HID_REPORT_FEATURE)
        g_hash_table_replace (self->features, GUINT_TO_POINTER (value & 0xFF), report);
      else if ((value >> 8) == HID_REPORT_OUTPUT)
        {
          g_clear_pointer (&self->output_report, g_bytes_unref);
          self->output_report = report;
        }
      else
        {
          g_bytes_unref (report);
          return FALSE;
        }
      *actual = data_len;
      return TRUE;
    }
  else if ((request_type & 0x80) == 0)
    {
      /* Standard host-to-device requests (CLEAR_FEATURE...) succeed. */
      *actual = data_len;
      return TRUE;
    }
  else
    return FALSE;

  *actual = MIN (g_bytes_get_size (answer), data_len);
  memcpy (data, g_bytes_get_data (answer, NULL), *actual);
  return TRUE;
}

static gboolean
on_handle_ioctl (UMockdevIoctlBase   *handler G_GNUC_UNUSED,
                 UMockdevIoctlClient *client,
                 gpointer             user_data)
{
  HpFakeUsb *self = user_data;
  UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg (client);
  gulong request = umockdev_ioctl_client_get_request (client);
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&self->lock);

  switch (request)
    {
    case USBDEVFS_GET_CAPABILITIES:
      {
        g_autoptr(UMockdevIoctlData) caps = umockdev_ioctl_data_resolve (arg, 0, sizeof (guint32), NULL);

        *(guint32 *) (void *) caps->data = USBDEVFS_CAP_BULK_SCATTER_GATHER | USBDEVFS_CAP_BULK_CONTINUATION |
                                  USBDEVFS_CAP_NO_PACKET_SIZE_LIM | USBDEVFS_CAP_REAP_AFTER_DISCONNECT |
                                  USBDEVFS_CAP_ZERO_PACKET;
        umockdev_ioctl_client_complete (client, 0, 0);
        return TRUE;
      }

    case USBDEVFS_CLAIMINTERFACE:
    case USBDEVFS_DISCONNECT_CLAIM:
      self->n_claims++;
      umockdev_ioctl_client_complete (client, 0, 0);
      return TRUE;

    case USBDEVFS_RELEASEINTERFACE:
      self->n_releases++;
      umockdev_ioctl_client_complete (client, 0, 0);
      return TRUE;

    case USBDEVFS_CLEAR_HALT:
      self->n_clear_halts++;
      umockdev_ioctl_client_complete (client, 0, 0);
      return TRUE;

    case USBDEVFS_SETINTERFACE:
    case USBDEVFS_RESETEP:
      umockdev_ioctl_client_complete (client, 0, 0);
      return TRUE;

    case USBDEVFS_GETDRIVER:
    case USBDEVFS_IOCTL:
      /* No kernel driver is bound, none to give back. */
      umockdev_ioctl_client_complete (client, -1, ENODATA);
      return TRUE;

    case USBDEVFS_SUBMITURB:
      {
        UMockdevIoctlData *urb_data = umockdev_ioctl_data_resolve (arg, 0, sizeof (struct usbdevfs_urb), NULL);
        struct usbdevfs_urb *urb = urb_of (urb_data);
        g_autoptr(UMockdevIoctlData) buffer = NULL;

        if (self->unplugged)
          {
            g_object_unref (urb_data);
            umockdev_ioctl_client_complete (client, -1, ENODEV);
            return TRUE;
          }
        buffer = umockdev_ioctl_data_resolve (urb_data, G_STRUCT_OFFSET (struct usbdevfs_urb, buffer),
                                              (gsize) urb->buffer_length, NULL);
        if (urb->type == USBDEVFS_URB_TYPE_CONTROL)
          {
            gsize actual;
            guint8 *bytes = urb->buffer;
            gsize data_len = (gsize) urb->buffer_length - SETUP_SIZE;
            gsize w_length = (gsize) (bytes[6] | bytes[7] << 8);

            if (urb->buffer_length < SETUP_SIZE || w_length > data_len)
              {
                g_object_unref (urb_data);
                umockdev_ioctl_client_complete (client, -1, EINVAL);
                return TRUE;
              }
            if (handle_control (self, bytes, bytes + SETUP_SIZE, w_length, &actual))
              {
                urb->status = 0;
                urb->actual_length = (int) actual;
              }
            else
              {
                urb->status = -EPIPE;
                urb->actual_length = 0;
              }
            g_queue_push_tail (&self->done, urb_data);
          }
        else if ((urb->endpoint & 0x80) != 0)
          {
            g_queue_push_tail (&self->pending_in, urb_data);
            match_in (self);
          }
        else
          {
            if (self->out_func != NULL)
              self->out_func (self, urb->endpoint, urb->buffer, (gsize) urb->buffer_length, self->out_data);
            urb->status = 0;
            urb->actual_length = urb->buffer_length;
            g_queue_push_tail (&self->done, urb_data);
          }
        umockdev_ioctl_client_complete (client, 0, 0);
        return TRUE;
      }

    case USBDEVFS_REAPURB:
    case USBDEVFS_REAPURBNDELAY:
      {
        g_autoptr(UMockdevIoctlData) urb_data = NULL;
        g_autoptr(UMockdevIoctlData) pointer = NULL;

        match_in (self);
        urb_data = g_queue_pop_head (&self->done);
        if (urb_data == NULL)
          {
            umockdev_ioctl_client_complete (client, -1, self->unplugged ? ENODEV : EAGAIN);
            return TRUE;
          }
        pointer = umockdev_ioctl_data_resolve (arg, 0, sizeof (gpointer), NULL);
        umockdev_ioctl_data_set_ptr (pointer, 0, urb_data);
        umockdev_ioctl_client_complete (client, 0, 0);
        return TRUE;
      }

    case USBDEVFS_DISCARDURB:
      {
        gulong address = (gulong) *(void **) (void *) arg->data;

        for (GList *l = self->pending_in.head; l != NULL; l = l->next)
          {
            UMockdevIoctlData *urb_data = l->data;

            if (urb_data->client_addr == address)
              {
                urb_of (urb_data)->status = -ENOENT;
                urb_of (urb_data)->actual_length = 0;
                g_queue_delete_link (&self->pending_in, l);
                g_queue_push_tail (&self->done, urb_data);
                umockdev_ioctl_client_complete (client, 0, 0);
                return TRUE;
              }
          }
        umockdev_ioctl_client_complete (client, -1, EINVAL);
        return TRUE;
      }

    default:
      return FALSE;
    }
}

static void
on_client_connected (UMockdevIoctlBase   *handler G_GNUC_UNUSED,
                     UMockdevIoctlClient *client G_GNUC_UNUSED,
                     gpointer             user_data)
{
  g_atomic_int_inc (&((HpFakeUsb *) user_data)->n_clients);
}

static void
on_client_vanished (UMockdevIoctlBase   *handler G_GNUC_UNUSED,
                    UMockdevIoctlClient *client G_GNUC_UNUSED,
                    gpointer             user_data)
{
  g_atomic_int_add (&((HpFakeUsb *) user_data)->n_clients, -1);
}

static char *
hex (const guint8 *data,
     gsize         len)
{
  GString *text = g_string_sized_new (len * 2);

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (text, "%02x", data[i]);
  return g_string_free (text, FALSE);
}

static HpFakeUsb *
fake_new (UMockdevTestbed *testbed,
          guint            devnum,
          const guint8    *descriptors,
          gsize            descriptors_len,
          gboolean         openable)
{
  HpFakeUsb *self = g_new0 (HpFakeUsb, 1);
  g_autofree char *descriptor_hex = hex (descriptors, descriptors_len);
  g_autofree char *record = NULL;
  g_autofree char *root = umockdev_testbed_get_root_dir (testbed);
  g_autoptr(GError) error = NULL;

  g_mutex_init (&self->lock);
  self->testbed = g_object_ref (testbed);
  self->features = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_bytes_unref);
  self->devnode = g_strdup_printf ("/dev/bus/usb/001/%03u", devnum);
  self->syspath = g_strdup_printf ("/sys/devices/healthpost-usb%u", devnum);
  self->node_file = g_build_filename (root, self->devnode, NULL);

  if (openable)
    {
      self->handler = umockdev_ioctl_base_new ();
      g_signal_connect (self->handler, "handle-ioctl", G_CALLBACK (on_handle_ioctl), self);
      g_signal_connect (self->handler, "client-connected", G_CALLBACK (on_client_connected), self);
      g_signal_connect (self->handler, "client-vanished", G_CALLBACK (on_client_vanished), self);
      /* The handler must be in place before the "add" uevent reaches libusb. */
      if (!umockdev_testbed_attach_ioctl (testbed, self->devnode, self->handler, &error))
        g_error ("attaching the ioctl handler: %s", error->message);
    }

  record = g_strdup_printf ("P: /devices/healthpost-usb%u\n"
                            "N: bus/usb/001/%03u\n"
                            "E: SUBSYSTEM=usb\n"
                            "E: DEVNAME=/dev/bus/usb/001/%03u\n"
                            "E: DEVTYPE=usb_device\n"
                            "E: BUSNUM=001\n"
                            "E: DEVNUM=%03u\n"
                            "A: busnum=1\\n\n"
                            "A: devnum=%u\\n\n"
                            "A: speed=480\\n\n"
                            "A: bConfigurationValue=1\\n\n"
                            "H: descriptors=%s\n",
                            devnum, devnum, devnum, devnum, devnum, descriptor_hex);

  if (!openable)
    {
      struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
      struct __user_cap_data_struct caps[2];

      /* The node is created by the record; made unreadable before libusb
       * hears of it. Root ignores file modes unless it drops the capability
       * to, as the kiosk's own user never has it. */
      if (!umockdev_testbed_add_from_string (testbed, record, &error))
        g_error ("adding the device: %s", error->message);
      g_chmod (self->node_file, 0);
      if (syscall (SYS_capget, &header, self->saved_caps) == 0)
        {
          memcpy (caps, self->saved_caps, sizeof caps);
          caps[0].effective &= ~((1u << CAP_DAC_OVERRIDE) | (1u << CAP_DAC_READ_SEARCH));
          self->dropped_caps = syscall (SYS_capset, &header, caps) == 0;
        }
      return self;
    }

  if (!umockdev_testbed_add_from_string (testbed, record, &error))
    g_error ("adding the device: %s", error->message);
  return self;
}

HpFakeUsb *
hp_fake_usb_new (UMockdevTestbed *testbed,
                 guint            devnum,
                 const guint8    *descriptors,
                 gsize            descriptors_len,
                 const guint8    *report_descriptor,
                 gsize            report_descriptor_len)
{
  HpFakeUsb *self = fake_new (testbed, devnum, descriptors, descriptors_len, TRUE);

  if (report_descriptor != NULL)
    self->report_descriptor = g_bytes_new (report_descriptor, report_descriptor_len);
  return self;
}

HpFakeUsb *
hp_fake_usb_new_unopenable (UMockdevTestbed *testbed,
                            guint            devnum,
                            const guint8    *descriptors,
                            gsize            descriptors_len)
{
  return fake_new (testbed, devnum, descriptors, descriptors_len, FALSE);
}

void
hp_fake_usb_set_strings (HpFakeUsb  *self,
                         const char *product,
                         const char *serial)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&self->lock);

  g_free (self->product);
  self->product = g_strdup (product);
  g_free (self->serial);
  self->serial = g_strdup (serial);
}

void
hp_fake_usb_set_out_func (HpFakeUsb        *self,
                          HpFakeUsbOutFunc  func,
                          gpointer          user_data)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&self->lock);

  self->out_func = func;
  self->out_data = user_data;
}

void
hp_fake_usb_queue_in (HpFakeUsb    *self,
                      guint8        endpoint,
                      const guint8 *data,
                      gsize         len)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&self->lock);
  InChunk *chunk = g_new0 (InChunk, 1);

  chunk->endpoint = endpoint;
  chunk->data = g_bytes_new (data, len);
  g_queue_push_tail (&self->in_chunks, chunk);
}

void
hp_fake_usb_stall_in (HpFakeUsb *self,
                      guint8     endpoint)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&self->lock);
  InChunk *chunk = g_new0 (InChunk, 1);

  chunk->endpoint = endpoint;
  g_queue_push_tail (&self->in_chunks, chunk);
}

void
hp_fake_usb_unplug (HpFakeUsb *self)
{
  g_autofree char *syspath = NULL;

  {
    g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&self->lock);
    UMockdevIoctlData *urb_data;

    /* The kernel ends every URB of a vanished device with -ESHUTDOWN. */
    self->unplugged = TRUE;
    while ((urb_data = g_queue_pop_head (&self->pending_in)) != NULL)
      {
        urb_of (urb_data)->status = -ESHUTDOWN;
        urb_of (urb_data)->actual_length = 0;
        g_queue_push_tail (&self->done, urb_data);
      }
  }
  syspath = g_strdup (self->syspath);
  umockdev_testbed_uevent (self->testbed, syspath, "remove");
  umockdev_testbed_remove_device (self->testbed, syspath);
}

static guint
read_counter (HpFakeUsb *self,
              guint     *counter)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&self->lock);

  return *counter;
}

guint
hp_fake_usb_get_n_claims (HpFakeUsb *self)
{
  return read_counter (self, &self->n_claims);
}

guint
hp_fake_usb_get_n_releases (HpFakeUsb *self)
{
  return read_counter (self, &self->n_releases);
}

guint
hp_fake_usb_get_n_clear_halts (HpFakeUsb *self)
{
  return read_counter (self, &self->n_clear_halts);
}

guint
hp_fake_usb_get_n_pending_in (HpFakeUsb *self)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&self->lock);

  return self->pending_in.length;
}

GBytes *
hp_fake_usb_dup_output_report (HpFakeUsb *self)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&self->lock);

  return self->output_report != NULL ? g_bytes_ref (self->output_report) : NULL;
}

void
hp_fake_usb_free (HpFakeUsb *self)
{
  if (self == NULL)
    return;
  if (self->dropped_caps)
    {
      struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };

      syscall (SYS_capset, &header, self->saved_caps);
    }
  if (self->handler != NULL)
    {
      gint64 deadline = g_get_monotonic_time () + 200 * G_TIME_SPAN_MILLISECOND;

      /* libusb closes the node from idle callbacks once its transfers are
       * back; a handler gone before that would leave its ioctls unanswered.
       * (umockdev reports a vanished client late, if at all: the wait is
       * bounded.) */
      while (g_atomic_int_get (&self->n_clients) > 0 && g_get_monotonic_time () < deadline)
        {
          if (!g_main_context_iteration (NULL, FALSE))
            g_usleep (1000);
        }
      umockdev_testbed_detach_ioctl (self->testbed, self->devnode, NULL);
      g_signal_handlers_disconnect_by_data (self->handler, self);
      g_clear_object (&self->handler);
    }
  g_queue_clear_full (&self->pending_in, g_object_unref);
  g_queue_clear_full (&self->done, g_object_unref);
  g_queue_clear_full (&self->in_chunks, in_chunk_free);
  g_hash_table_unref (self->features);
  g_clear_pointer (&self->report_descriptor, g_bytes_unref);
  g_clear_pointer (&self->output_report, g_bytes_unref);
  g_free (self->product);
  g_free (self->serial);
  g_free (self->devnode);
  g_free (self->syspath);
  g_free (self->node_file);
  g_object_unref (self->testbed);
  g_mutex_clear (&self->lock);
  g_free (self);
}
