/* An in-process transport whose far end is a device simulator instead of a USB device. */
#pragma once

#include "hp-transport.h"

G_BEGIN_DECLS

#define HP_TYPE_SIMULATOR_TRANSPORT (hp_simulator_transport_get_type ())
G_DECLARE_FINAL_TYPE (HpSimulatorTransport, hp_simulator_transport, HP, SIMULATOR_TRANSPORT, GObject)

/* Bytes and events travel in both directions from idle callbacks on the
 * thread-default main context of the caller of _new(), never from inside the
 * call that caused them, as with a real device. The agent (simulator) side
 * listens to "host-opened", "host-closed" and "host-sent" (GBytes). */
HpSimulatorTransport *hp_simulator_transport_new        (void);

/* The transport keeps @agent alive for as long as it lives. */
void                  hp_simulator_transport_set_agent  (HpSimulatorTransport *self,
                                                         GObject              *agent);

gboolean              hp_simulator_transport_is_open    (HpSimulatorTransport *self);
/* Queues bytes for the host; dropped when the host has not opened the link. */
void                  hp_simulator_transport_agent_send (HpSimulatorTransport *self,
                                                         const guint8         *data,
                                                         gsize                 len);
/* Answers the host's control transfers for the simulated device: returns the
 * data stage of a device-to-host request (at most @length_in bytes), an empty
 * GBytes to acknowledge a host-to-device one, or %NULL with @error set (an
 * HP_DEVICE_ERROR) to fail it, as a stall or timeout would. Called
 * synchronously; the host hears the answer from an idle callback. Without a
 * handler every control transfer stalls. */
typedef GBytes *(*HpSimulatorControlFunc) (HpSimulatorTransport  *transport,
                                           const HpControlSetup  *setup,
                                           GBytes                *data_out,
                                           guint16                length_in,
                                           gpointer               user_data,
                                           GError               **error);

void                  hp_simulator_transport_set_control_handler (HpSimulatorTransport  *self,
                                                                  HpSimulatorControlFunc func,
                                                                  gpointer               user_data,
                                                                  GDestroyNotify         destroy);

/* The device disappears: the host hears "closed" and cannot open again. */
void                  hp_simulator_transport_unplug     (HpSimulatorTransport *self);

G_END_DECLS
