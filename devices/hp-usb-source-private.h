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

G_END_DECLS
