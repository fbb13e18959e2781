/* A USB device faked at the usbdevfs ioctl level in a umockdev testbed, for libusb end-to-end tests. */
#pragma once

#include <glib.h>
#include <umockdev.h>

G_BEGIN_DECLS

typedef struct _HpFakeUsb HpFakeUsb;

/* Called on umockdev's worker thread for every write the host makes to an
 * OUT endpoint. */
typedef void (*HpFakeUsbOutFunc) (HpFakeUsb    *fake,
                                  guint8        endpoint,
                                  const guint8 *data,
                                  gsize         len,
                                  gpointer      user_data);

/* Plugs a device with @descriptors (device descriptor followed by its
 * configuration) in at bus 1, address @devnum; the testbed sends the "add"
 * uevent. Strings 1..3 (manufacturer, product, serial) answer GET_DESCRIPTOR;
 * @report_descriptor (may be %NULL) answers GET_DESCRIPTOR(0x22) on any
 * interface; feature reports are kept per report id and given back. */
HpFakeUsb *hp_fake_usb_new                (UMockdevTestbed *testbed,
                                           guint            devnum,
                                           const guint8    *descriptors,
                                           gsize            descriptors_len,
                                           const guint8    *report_descriptor,
                                           gsize            report_descriptor_len);
/* The device node exists but refuses the kiosk (a mode-0000 node and no
 * override of file permissions), as without the udev rules. */
HpFakeUsb *hp_fake_usb_new_unopenable     (UMockdevTestbed *testbed,
                                           guint            devnum,
                                           const guint8    *descriptors,
                                           gsize            descriptors_len);
void       hp_fake_usb_free               (HpFakeUsb       *fake);

void       hp_fake_usb_set_strings        (HpFakeUsb       *fake,
                                           const char      *product,
                                           const char      *serial);
void       hp_fake_usb_set_out_func       (HpFakeUsb       *fake,
                                           HpFakeUsbOutFunc func,
                                           gpointer         user_data);
/* Bytes for the host's next read of @endpoint (one chunk per read). */
void       hp_fake_usb_queue_in           (HpFakeUsb       *fake,
                                           guint8           endpoint,
                                           const guint8    *data,
                                           gsize            len);
/* The next read of @endpoint stalls. */
void       hp_fake_usb_stall_in           (HpFakeUsb       *fake,
                                           guint8           endpoint);
/* Reads and writes in flight die as on a real unplug, then the "remove"
 * uevent goes out and the device leaves the testbed. */
void       hp_fake_usb_unplug             (HpFakeUsb       *fake);

/* What the host did, for assertions. */
guint      hp_fake_usb_get_n_claims       (HpFakeUsb       *fake);
guint      hp_fake_usb_get_n_releases     (HpFakeUsb       *fake);
guint      hp_fake_usb_get_n_clear_halts  (HpFakeUsb       *fake);
guint      hp_fake_usb_get_n_pending_in   (HpFakeUsb       *fake);
/* The last SET_REPORT(Output) the host sent, or %NULL. */
GBytes    *hp_fake_usb_dup_output_report  (HpFakeUsb       *fake);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HpFakeUsb, hp_fake_usb_free)

G_END_DECLS
