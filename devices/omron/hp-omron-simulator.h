/* Simulated Omron blood-pressure monitors: the HID reports a HEM-790IT or a HEM-7322U sends, byte for byte. */
#pragma once

#include "hp-driver.h"
#include "hp-device.h"
#include "hp-omron-device.h"
#include "hp-simulator-transport.h"

G_BEGIN_DECLS

typedef enum {
  HP_OMRON_FAULT_NONE,
  HP_OMRON_FAULT_UNPLUG,             /* unplugged instead of answering exchange fault_step */
  HP_OMRON_FAULT_BAD_CHECKSUM,       /* the answer's check byte is wrong */
  HP_OMRON_FAULT_NO,                 /* "NO" (HEM-790IT) or a refusal status (HEM-7322U) */
  HP_OMRON_FAULT_TIMEOUT,            /* silent from exchange fault_step on */
  HP_OMRON_FAULT_BAD_LENGTH,         /* the answer's count or length byte runs past its report */
  HP_OMRON_FAULT_CLOCK_LOST,         /* the stored readings' dates are not real dates */
  HP_OMRON_FAULT_BUTTON_NOT_PRESSED, /* HEM-7322U: the first fault_repeats inits go unanswered */
} HpOmronFault;

typedef struct {
  guint16 systolic;   /* mmHg */
  guint16 diastolic;  /* mmHg */
  guint16 pulse;      /* beats per minute */
  guint   age_s;      /* how long before the host opens the link it was taken */
} HpOmronReading;

typedef struct {
  HpOmronFamily  family;
  HpOmronReading reading;
  gboolean       empty;          /* the monitor's memory holds nothing */
  HpOmronFault   fault;
  guint          fault_step;     /* the exchange (command) it strikes at, 0 = the first */
  guint          fault_repeats;  /* how many exchanges (or inits) in a row; 0 = one */
  guint          response_timeout_ms;  /* the driver's; 0 = its default */
  guint          press_start_limit_ms; /* the driver's; 0 = its default */
} HpOmronSimulation;

/* The simulated monitor's older reading, three days before the newest. */
#define HP_OMRON_SIMULATOR_OLDER_AGE_S (3 * 24 * 3600)

#define HP_TYPE_OMRON_SIMULATOR (hp_omron_simulator_get_type ())
G_DECLARE_FINAL_TYPE (HpOmronSimulator, hp_omron_simulator, HP, OMRON_SIMULATOR, GObject)

/* The monitor's memory holds two readings, @simulation's and an older one
 * (unless empty); their times are set when the host opens the link. */
HpOmronSimulator *hp_omron_simulator_new (HpSimulatorTransport    *transport,
                                          const HpOmronSimulation *simulation);

/* Exchanges (commands) the monitor has answered or refused so far. */
guint             hp_omron_simulator_get_exchanges (HpOmronSimulator *self);

/* A monitor of @family holding @reading (just taken when %NULL), wired to
 * the real driver. */
HpDevice *hp_simulated_omron_new      (HpOmronFamily            family,
                                       const HpOmronReading    *reading,
                                       HpOmronFault             fault);
HpDevice *hp_simulated_omron_new_full (const HpOmronSimulation *simulation);

/* For the driver registry: a healthy monitor of each family. */
extern const HpSimulatedDeviceEntry hp_omron_hem790_simulated_devices[];
extern const HpSimulatedDeviceEntry hp_omron_hem7322_simulated_devices[];

G_END_DECLS
