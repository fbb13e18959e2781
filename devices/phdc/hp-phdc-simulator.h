/* The agent side of a simulated IEEE 11073-20601 device: the bytes a real cuff, scale or glucose meter sends. */
#pragma once

#include "hp-simulated-phdc.h"
#include "hp-simulator-transport.h"

G_BEGIN_DECLS

/* The default EUI-64s, as the driver reports them in device ids. */
#define HP_PHDC_SIMULATOR_CUFF_ID    "485053494d435546"
#define HP_PHDC_SIMULATOR_SCALE_ID   "485053494d53434c"
#define HP_PHDC_SIMULATOR_GLUCOSE_ID "485053494d474c55"

/* Where a GARBLED_LENGTH report's corrupt length field sits (its event-info length). */
#define HP_PHDC_SIMULATOR_GARBLED_OFFSET 20

#define HP_TYPE_PHDC_SIMULATOR (hp_phdc_simulator_get_type ())
G_DECLARE_FINAL_TYPE (HpPhdcSimulator, hp_phdc_simulator, HP, PHDC_SIMULATOR, GObject)

/* When the host opens @transport the agent associates, sends its
 * configuration if the manager asks for it, measures for measure_ms on a
 * GLib timeout, sends a scan report stamped with its own clock, and answers
 * the release; @simulation's fault makes it misbehave instead. */
HpPhdcSimulator *hp_phdc_simulator_new (HpSimulatorTransport   *transport,
                                        const HpPhdcSimulation *simulation);

/* How many associations the agent has begun and how many configuration
 * reports it has sent, for tests of configuration learning. */
guint            hp_phdc_simulator_get_associations   (HpPhdcSimulator *self);
guint            hp_phdc_simulator_get_config_reports (HpPhdcSimulator *self);

G_END_DECLS
