/* A simulated blood-pressure cuff: a protocol simulator wired to the real driver. */
#pragma once

#include "hp-device.h"

G_BEGIN_DECLS

typedef enum {
  HP_CUFF_FAULT_NONE,
  HP_CUFF_FAULT_UNPLUG,       /* the cuff disappears while measuring */
  HP_CUFF_FAULT_TIMEOUT,      /* the cuff never sends its report */
  HP_CUFF_FAULT_GARBLED,      /* the report arrives with a corrupt length */
} HpCuffFault;

typedef struct {
  guint16     systolic;       /* mmHg */
  guint16     diastolic;      /* mmHg */
  guint16     pulse;          /* beats per minute */
  guint       measure_ms;     /* how long the cuff takes to measure */
  guint       timeout_ms;     /* how long the driver waits for the report
                               * beyond measure_ms; 0 = the driver's default */
  HpCuffFault fault;
} HpCuffSimulation;

/* A cuff that, when asked to measure, produces the bytes a real cuff would
 * send, which the real driver decodes into an HpMeasurement. */
HpDevice *hp_simulated_cuff_new (const HpCuffSimulation *simulation);

G_END_DECLS
