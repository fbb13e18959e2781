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
/* The device disappears: the host hears "closed" and cannot open again. */
void                  hp_simulator_transport_unplug     (HpSimulatorTransport *self);

G_END_DECLS
