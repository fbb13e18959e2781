/* A simulated Abbott FreeStyle Precision Neo: the 64-byte messages and text replies a real one sends, with faults. */
#pragma once

#include "hp-driver.h"
#include "hp-device.h"
#include "hp-simulator-transport.h"

G_BEGIN_DECLS

#define HP_FREESTYLE_SIMULATOR_SERIAL "HPSIM01-00042"
#define HP_FREESTYLE_SIMULATOR_DEVICE_ID "freestyle:" HP_FREESTYLE_SIMULATOR_SERIAL

typedef enum {
  HP_FREESTYLE_FAULT_NONE,
  HP_FREESTYLE_FAULT_UNPLUG,          /* disappears instead of answering command fault_step */
  HP_FREESTYLE_FAULT_CORRUPT_ONCE,    /* the first "$result?" reply carries a wrong CKSM */
  HP_FREESTYLE_FAULT_CORRUPT_ALWAYS,  /* every "$result?" reply does */
  HP_FREESTYLE_FAULT_TIMEOUT,         /* stops answering at command fault_step */
  HP_FREESTYLE_FAULT_BAD_LENGTH,      /* a reply report whose length byte exceeds 62 */
  HP_FREESTYLE_FAULT_LOST_CLOCK,      /* its clock lost power: 255 in every date field */
  HP_FREESTYLE_FAULT_NO_NEW_READING,  /* no test today, only older ones */
  HP_FREESTYLE_FAULT_CONTROL_ONLY,    /* today's only test is a control-solution test */
  HP_FREESTYLE_FAULT_HIGH,            /* today's test reads HI */
  HP_FREESTYLE_FAULT_LOW,             /* today's test reads LO */
  HP_FREESTYLE_FAULT_UNKNOWN_COMMAND, /* answers every text command with "30 01 85" */
} HpFreestyleFault;

typedef struct {
  guint            value;          /* today's test, mg/dL (what these meters send) */
  HpFreestyleFault fault;
  guint            fault_step;     /* for UNPLUG and TIMEOUT: 0 is INIT, 1 "$serlnum?", 2 "$date?", 3 "$time?", 4 "$result?" */
  gint             clock_offset_s; /* the meter's clock minus the kiosk's */
  guint            response_timeout_ms; /* the driver's wait for each reply; 0 = its default */
} HpFreestyleSimulation;

#define HP_TYPE_FREESTYLE_SIMULATOR (hp_freestyle_simulator_get_type ())
G_DECLARE_FINAL_TYPE (HpFreestyleSimulator, hp_freestyle_simulator, HP, FREESTYLE_SIMULATOR, GObject)

/* The meter side of @transport: answers INIT with 71 01 01 and the text
 * commands $serlnum?, $date?, $time? and $result? (newest record first),
 * with a keepalive 22 01 05 after every third report, as real meters do. */
HpFreestyleSimulator *hp_freestyle_simulator_new (HpSimulatorTransport        *transport,
                                                  const HpFreestyleSimulation *simulation);

/* How many text commands the meter was sent so far (for tests). */
guint                 hp_freestyle_simulator_get_n_commands (HpFreestyleSimulator *self);

/* A FreeStyle Precision Neo for the demo and tests: the simulator wired to
 * the real driver. @value_mg_dl is today's test. */
HpDevice *hp_simulated_freestyle_new      (guint                        value_mg_dl,
                                           HpFreestyleFault             fault);
HpDevice *hp_simulated_freestyle_new_full (const HpFreestyleSimulation *simulation);

/* For the driver registry: a healthy meter. */
extern const HpSimulatedDeviceEntry hp_freestyle_simulated_devices[];

G_END_DECLS
