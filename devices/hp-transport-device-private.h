/* What HpTransportDevice subclasses use to bound their wait for the device. */
#pragma once

#include "hp-transport-device.h"

G_BEGIN_DECLS

typedef void (*HpTransportDeviceDeadlineFunc) (HpTransportDevice *self);

/* One deadline at a time: setting one replaces the previous. The callback
 * runs on the thread-default main context the device was created on, after
 * the deadline has been cleared (so it may set the next one), while the
 * device holds a reference to itself. */
void     hp_transport_device_set_deadline   (HpTransportDevice             *self,
                                             guint                          timeout_ms,
                                             HpTransportDeviceDeadlineFunc  callback);
void     hp_transport_device_clear_deadline (HpTransportDevice             *self);
gboolean hp_transport_device_has_deadline   (HpTransportDevice             *self);

G_END_DECLS
