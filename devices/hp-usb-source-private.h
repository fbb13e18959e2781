/* libusb's file descriptors and timeouts as one GSource on a GLib main context. */
#pragma once

#include <glib.h>
#include <libusb.h>

G_BEGIN_DECLS

/* The source follows libusb's pollfd notifiers, so fds libusb opens later are
 * watched too, and wakes for libusb's next timeout only when it has one: an
 * idle libusb costs no wakeups. @ctx must outlive the source. */
GSource *hp_usb_source_new  (libusb_context *ctx);

/* Detaches from libusb's notifiers and destroys the source; call before
 * libusb_exit(). */
void     hp_usb_source_stop (GSource        *source);

/* A libusb context on a GLib main context, shared by the device manager and
 * the transports it made: a transport can outlive the manager (a page may
 * still hold its device), and libusb_exit() must wait for the last one. */
typedef struct _HpUsbContext HpUsbContext;

/* Takes @ctx, whose events are then handled on @main_context. */
HpUsbContext   *hp_usb_context_new         (libusb_context *ctx,
                                            GMainContext   *main_context);
HpUsbContext   *hp_usb_context_ref         (HpUsbContext   *self);
void            hp_usb_context_unref       (HpUsbContext   *self);
libusb_context *hp_usb_context_get_libusb  (HpUsbContext   *self);
GMainContext   *hp_usb_context_get_main_context (HpUsbContext *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HpUsbContext, hp_usb_context_unref)

G_END_DECLS
