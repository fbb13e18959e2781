/* A far end for the simulator transport that answers a driver with a real device's answers from a capture. */
#pragma once

#include "hp-capture.h"
#include "hp-simulator-transport.h"

G_BEGIN_DECLS

/* How many leading bytes of a host report carry meaning; the rest is
 * padding, which another host may fill with anything. */
typedef gsize (*HpReplaySignificantFunc) (const guint8 *report,
                                          gsize         len);

#define HP_TYPE_REPLAY_AGENT (hp_replay_agent_get_type ())
G_DECLARE_FINAL_TYPE (HpReplayAgent, hp_replay_agent, HP, REPLAY_AGENT, GObject)

/* Listens on @transport (and becomes its agent). Each report the driver
 * sends is looked for ahead in @messages, a capture of another host talking
 * to the real device, by its significant bytes; the device's messages that
 * followed it there are sent back, and the search goes on from there. A
 * report with no counterpart gets no answer, as a device that did not
 * understand would give none. Control transfers are acknowledged. */
HpReplayAgent *hp_replay_agent_new       (HpSimulatorTransport   *transport,
                                          GPtrArray              *messages,
                                          HpReplaySignificantFunc significant);

/* Host reports that had no counterpart ahead in the capture. */
guint          hp_replay_agent_get_unmatched (HpReplayAgent *self);
/* Host reports answered from the capture. */
guint          hp_replay_agent_get_matched   (HpReplayAgent *self);

G_END_DECLS
