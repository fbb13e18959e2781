/* Simulated IEEE 11073 agents (cuff, scale, glucose meter): a protocol simulator wired to the real PHDC driver. */
#pragma once

#include "hp-driver.h"
#include "hp-device.h"

G_BEGIN_DECLS

/* Where in the exchange the agent misbehaves. */
typedef enum {
  HP_PHDC_STEP_ASSOCIATE,  /* instead of its association request */
  HP_PHDC_STEP_CONFIGURE,  /* instead of its configuration report (extended configurations) */
  HP_PHDC_STEP_MEASURE,    /* instead of its scan report */
  HP_PHDC_STEP_RELEASE,    /* instead of answering the manager's release request */
} HpPhdcStep;

typedef enum {
  HP_PHDC_FAULT_NONE,
  HP_PHDC_FAULT_UNPLUG,             /* disappears at the fault step */
  HP_PHDC_FAULT_SILENT,             /* stops answering at the fault step */
  HP_PHDC_FAULT_GARBLED_LENGTH,     /* its scan report has a corrupt length */
  HP_PHDC_FAULT_NAN_VALUE,          /* its main value is NaN */
  HP_PHDC_FAULT_ABORT,              /* aborts instead of reporting */
  HP_PHDC_FAULT_RELEASE,            /* releases instead of reporting */
  HP_PHDC_FAULT_UNSUPPORTED_CONFIG, /* its extended configuration holds only an SpO2 metric */
  HP_PHDC_FAULT_CLOCK_LOST,         /* its time stamps are all zeros */
  HP_PHDC_FAULT_NO_COMMON_ENCODING, /* offers 20601 without MDER */
} HpPhdcFault;

typedef enum {
  HP_PHDC_REPORT_FIXED,
  HP_PHDC_REPORT_VAR,
  HP_PHDC_REPORT_MP_FIXED,
  HP_PHDC_REPORT_MP_VAR,
} HpPhdcReportForm;

typedef struct {
  HpMeasurementKind kind;       /* which specialization the agent is */
  /* 0: the kind's standard configuration; 0x4000–0x7FFF: an extended one
   * with the same objects (plus, for blood pressure, an extra status
   * metric), which the manager must learn. */
  guint16          dev_config_id;
  guint8           system_id[8]; /* all zeros: the kind's default */
  HpPhdcReportForm report_form;
  double           value;       /* systolic, weight or glucose */
  double           diastolic;   /* blood pressure only */
  double           pulse;       /* blood pressure only; 0 = not sent */
  guint16          unit_code;   /* 0: the standard unit (mmHg, kg, mg/dL) */
  /* Older readings sent before the current one in the same report, one day
   * apart, as a meter with a memory does. */
  guint            n_stored;
  /* The patient took no new reading: only the stored ones are sent, and
   * they are the same at every association. */
  gboolean         no_new_reading;
  guint            measure_ms;  /* how long the agent takes to measure */
  guint            timeout_ms;  /* the driver's wait beyond measure_ms for each
                                 * step; 0 = the driver's defaults */
  HpPhdcFault      fault;
  HpPhdcStep       fault_step;  /* for UNPLUG and SILENT */
} HpPhdcSimulation;

/* A device of @simulation->kind whose far end speaks the bytes a real agent
 * sends. */
HpDevice *hp_simulated_phdc_new (const HpPhdcSimulation *simulation);

/* For the driver registry: a healthy cuff, scale and glucometer. */
extern const HpSimulatedDeviceEntry hp_phdc_simulated_devices[];

G_END_DECLS
