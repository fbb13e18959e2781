/* A simulated blood-pressure cuff: a protocol simulator wired to the real driver. */
#include "hp-simulated-cuff.h"

#include "hp-simulated-phdc.h"

HpDevice *
hp_simulated_cuff_new (const HpCuffSimulation *simulation)
{
  HpPhdcSimulation phdc = {
    .kind = HP_MEASUREMENT_KIND_BLOOD_PRESSURE,
    .report_form = HP_PHDC_REPORT_FIXED,
    .fault_step = HP_PHDC_STEP_MEASURE,
  };

  g_return_val_if_fail (simulation != NULL, NULL);

  phdc.value = simulation->systolic;
  phdc.diastolic = simulation->diastolic;
  phdc.pulse = simulation->pulse;
  phdc.measure_ms = simulation->measure_ms;
  phdc.timeout_ms = simulation->timeout_ms;
  switch (simulation->fault)
    {
    case HP_CUFF_FAULT_UNPLUG:
      phdc.fault = HP_PHDC_FAULT_UNPLUG;
      break;
    case HP_CUFF_FAULT_TIMEOUT:
      phdc.fault = HP_PHDC_FAULT_SILENT;
      break;
    case HP_CUFF_FAULT_GARBLED:
      phdc.fault = HP_PHDC_FAULT_GARBLED_LENGTH;
      break;
    case HP_CUFF_FAULT_NONE:
    default:
      phdc.fault = HP_PHDC_FAULT_NONE;
      break;
    }
  return hp_simulated_phdc_new (&phdc);
}
