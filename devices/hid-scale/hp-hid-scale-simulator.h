/* A simulated HID point-of-sale scale: the reports a Dymo scale sends as a patient steps on it. */
#pragma once

#include "hp-driver.h"
#include "hp-device.h"
#include "hp-hid-scale-codec.h"
#include "hp-simulator-transport.h"

G_BEGIN_DECLS

typedef enum {
  HP_SCALE_FAULT_NONE,
  HP_SCALE_FAULT_UNPLUG,            /* unplugged while the patient steps on */
  HP_SCALE_FAULT_TIMEOUT,           /* stops reporting before anyone steps on */
  HP_SCALE_FAULT_NEVER_STILL,       /* the weight never settles */
  HP_SCALE_FAULT_FAULT,             /* status 1 */
  HP_SCALE_FAULT_UNDER_ZERO,        /* status 5 */
  HP_SCALE_FAULT_OVERWEIGHT,        /* status 6 */
  HP_SCALE_FAULT_NEEDS_CALIBRATION, /* status 7 */
  HP_SCALE_FAULT_NEEDS_REZERO,      /* status 8 */
  HP_SCALE_FAULT_BAD_LENGTH,        /* a weight report one byte short */
} HpScaleFault;

/* The step (0-based report after the host opens) at which a status fault,
 * the bad length or the unplug strikes: when the patient steps on. */
#define HP_HID_SCALE_SIMULATOR_FAULT_STEP 3

typedef struct {
  double         weight;       /* the patient's weight, in @unit */
  HpHidScaleUnit unit;         /* 0: kilograms */
  gint8          exponent;     /* the scale's resolution, 10^exponent units */
  double         stale_weight; /* what the first (stale) report says, in @unit */
  guint          interval_ms;  /* between reports; 0: 200 ms, a Dymo's pace */
  guint          allowance_ms; /* the driver's allowance; 0: its default */
  HpScaleFault   fault;
} HpScaleSimulation;

#define HP_TYPE_HID_SCALE_SIMULATOR (hp_hid_scale_simulator_get_type ())
G_DECLARE_FINAL_TYPE (HpHidScaleSimulator, hp_hid_scale_simulator, HP, HID_SCALE_SIMULATOR, GObject)

/* While the host has @transport open the scale sends a report every
 * interval: first a stale one (stale_weight, stable), two at zero, three in
 * motion as the patient steps on, then the weight, stable, until closed. */
HpHidScaleSimulator *hp_hid_scale_simulator_new (HpSimulatorTransport    *transport,
                                                 const HpScaleSimulation *simulation);

/* A scale weighing @kg kilograms (0.1 kg resolution) wired to the real driver. */
HpDevice *hp_simulated_scale_new      (double                   kg,
                                       HpScaleFault             fault);
HpDevice *hp_simulated_scale_new_full (const HpScaleSimulation *simulation);

/* For the driver registry: a healthy scale. */
extern const HpSimulatedDeviceEntry hp_hid_scale_simulated_devices[];

G_END_DECLS
