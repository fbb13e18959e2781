/* A simulated Ascensia Contour meter: the HID reports and ASTM frames a real one sends, with faults. */
#pragma once

#include "hp-driver.h"
#include "hp-device.h"
#include "hp-simulator-transport.h"

G_BEGIN_DECLS

/* The simulated meter's serial number and model, as the driver reports them. */
#define HP_CONTOUR_SIMULATOR_SERIAL "7410-5550123"
#define HP_CONTOUR_SIMULATOR_DEVICE_ID "contour:" HP_CONTOUR_SIMULATOR_SERIAL
/* How many tests the meter's memory holds when nothing is left out: two
 * older patient tests, an older control test, and today's test. */
#define HP_CONTOUR_SIMULATOR_N_RESULTS 4

typedef enum {
  HP_CONTOUR_FAULT_NONE,
  HP_CONTOUR_FAULT_UNPLUG,          /* disappears instead of sending message fault_step */
  HP_CONTOUR_FAULT_CORRUPT_ONCE,    /* today's frame first goes out with a wrong checksum */
  HP_CONTOUR_FAULT_CORRUPT_ALWAYS,  /* every transmission of today's frame does */
  HP_CONTOUR_FAULT_TIMEOUT,         /* stops answering instead of sending message fault_step */
  HP_CONTOUR_FAULT_BAD_LENGTH,      /* the header's first report claims more than 60 bytes */
  HP_CONTOUR_FAULT_LOST_CLOCK,      /* its clock restarted at 2000-01-01 after losing power */
  HP_CONTOUR_FAULT_NO_NEW_READING,  /* no test today, only older ones */
  HP_CONTOUR_FAULT_CONTROL_ONLY,    /* today's only test is a control-solution test */
  HP_CONTOUR_FAULT_CONTROL_ORDER,   /* it is one by an order record (action code Q), not by a flag */
  HP_CONTOUR_FAULT_HIGH,            /* today's test reads HI */
  HP_CONTOUR_FAULT_LOW,             /* today's test reads LO */
} HpContourFault;

typedef struct {
  const char    *unit;            /* "mg/dL" (header U=0) or "mmol/L" (U=1) */
  double         value;           /* today's test, in @unit */
  HpContourFault fault;
  guint          fault_step;      /* for UNPLUG and TIMEOUT: 0 is the ENQ, 1 the header frame, ... */
  gint           clock_offset_s;  /* the meter's clock minus the kiosk's */
  guint          response_timeout_ms; /* the driver's wait for each message; 0 = its default */
} HpContourSimulation;

#define HP_TYPE_CONTOUR_SIMULATOR (hp_contour_simulator_get_type ())
G_DECLARE_FINAL_TYPE (HpContourSimulator, hp_contour_simulator, HP, CONTOUR_SIMULATOR, GObject)

/* The meter side of @transport: when the host sends EOT the meter asks to
 * send (ENQ) and, on ACK, sends its header, patient, result and terminator
 * records one frame at a time, resending a frame on NAK up to six times,
 * and ends with EOT. */
HpContourSimulator *hp_contour_simulator_new (HpSimulatorTransport      *transport,
                                              const HpContourSimulation *simulation);

/* How many times the meter was NAKed so far (for tests). */
guint               hp_contour_simulator_get_n_naks (HpContourSimulator *self);

/* A Contour meter for the demo and tests: the simulator wired to the real
 * driver. @unit is "mg/dL" or "mmol/L". */
HpDevice *hp_simulated_contour_new      (const char                *unit,
                                         double                     value,
                                         HpContourFault             fault);
HpDevice *hp_simulated_contour_new_full (const HpContourSimulation *simulation);

/* For the driver registry: a healthy meter. */
extern const HpSimulatedDeviceEntry hp_contour_simulated_devices[];

G_END_DECLS
