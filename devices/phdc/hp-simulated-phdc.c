/* Simulated IEEE 11073 agents (cuff, scale, glucose meter): a protocol simulator wired to the real PHDC driver. */
#include "hp-simulated-phdc.h"

#include "hp-phdc-device.h"
#include "hp-phdc-simulator.h"

static const char *
device_name (HpMeasurementKind kind)
{
  switch (kind)
    {
    case HP_MEASUREMENT_KIND_BODY_WEIGHT:
      return "Simulated weighing scale";
    case HP_MEASUREMENT_KIND_BLOOD_GLUCOSE:
      return "Simulated glucose meter";
    case HP_MEASUREMENT_KIND_BLOOD_PRESSURE:
    default:
      return "Simulated blood-pressure cuff";
    }
}

static HpDevice *
healthy_cuff (void)
{
  const HpPhdcSimulation simulation = { .kind = HP_MEASUREMENT_KIND_BLOOD_PRESSURE,
                                        .value = 121, .diastolic = 79, .pulse = 68, .measure_ms = 300 };

  return hp_simulated_phdc_new (&simulation);
}

static HpDevice *
healthy_scale (void)
{
  const HpPhdcSimulation simulation = { .kind = HP_MEASUREMENT_KIND_BODY_WEIGHT, .value = 72.4, .measure_ms = 300 };

  return hp_simulated_phdc_new (&simulation);
}

static HpDevice *
healthy_glucometer (void)
{
  const HpPhdcSimulation simulation = { .kind = HP_MEASUREMENT_KIND_BLOOD_GLUCOSE, .value = 104, .measure_ms = 300 };

  return hp_simulated_phdc_new (&simulation);
}

const HpSimulatedDeviceEntry hp_phdc_simulated_devices[] = {
  { "ieee11073-bp", healthy_cuff },
  { "ieee11073-scale", healthy_scale },
  { "ieee11073-glucose", healthy_glucometer },
  { NULL, NULL },
};

HpDevice *
hp_simulated_phdc_new (const HpPhdcSimulation *simulation)
{
  static guint n_devices;
  g_autoptr(HpSimulatorTransport) transport = NULL;
  g_autoptr(HpPhdcSimulator) agent = NULL;
  g_autofree char *id = NULL;
  HpDevice *device;

  g_return_val_if_fail (simulation != NULL, NULL);
  g_return_val_if_fail (simulation->kind <= HP_MEASUREMENT_KIND_LAST, NULL);

  transport = hp_simulator_transport_new ();
  agent = hp_phdc_simulator_new (transport, simulation);
  hp_simulator_transport_set_agent (transport, G_OBJECT (agent));

  id = g_strdup_printf ("simulated-phdc-%u", g_atomic_int_add (&n_devices, 1));
  device = hp_phdc_device_new (id, device_name (simulation->kind), simulation->kind, HP_TRANSPORT (transport));
  /* timeout_ms 0 leaves the driver's own allowance for a real device (two
   * minutes) and the standard's timeouts; otherwise the driver waits as
   * long as the agent measures plus timeout_ms, and timeout_ms for each
   * response and for the configuration. */
  if (simulation->timeout_ms != 0)
    {
      hp_phdc_device_set_timeouts (HP_PHDC_DEVICE (device), simulation->measure_ms, simulation->timeout_ms);
      hp_phdc_device_set_configuration_timeout (HP_PHDC_DEVICE (device), simulation->timeout_ms);
    }
  return device;
}
