/* The agent side of a simulated blood-pressure cuff: the IEEE 11073-20601 bytes a real cuff sends. */
#pragma once

#include "hp-simulated-cuff.h"
#include "hp-simulator-transport.h"

G_BEGIN_DECLS

/* The simulated cuff's EUI-64, as the driver reports it in device ids. */
#define HP_CUFF_SIMULATOR_SYSTEM_ID "485053494d435546"

/* Where a GARBLED report's corrupt length field sits (its event-info length). */
#define HP_CUFF_SIMULATOR_GARBLED_OFFSET 20

#define HP_TYPE_CUFF_SIMULATOR (hp_cuff_simulator_get_type ())
G_DECLARE_FINAL_TYPE (HpCuffSimulator, hp_cuff_simulator, HP, CUFF_SIMULATOR, GObject)

/* When the host opens @transport the cuff associates with the standard
 * configuration 0x02BC, measures for measure_ms on a GLib timeout, sends a
 * fixed scan report stamped with its own clock, and answers the release.
 * @simulation's fault makes it misbehave instead. */
HpCuffSimulator *hp_cuff_simulator_new (HpSimulatorTransport   *transport,
                                        const HpCuffSimulation *simulation);

G_END_DECLS
