/* A simulated blood-pressure cuff: a protocol simulator wired to the real driver. */
#include "hp-simulated-cuff.h"

#include "hp-cuff-simulator.h"
#include "hp-phdc-device.h"

HpDevice *
hp_simulated_cuff_new (const HpCuffSimulation *simulation)
{
  static guint n_cuffs;
  g_autoptr(HpSimulatorTransport) transport = NULL;
  g_autoptr(HpCuffSimulator) agent = NULL;
  g_autofree char *id = NULL;
  HpDevice *device;

  g_return_val_if_fail (simulation != NULL, NULL);

  transport = hp_simulator_transport_new ();
  agent = hp_cuff_simulator_new (transport, simulation);
  hp_simulator_transport_set_agent (transport, G_OBJECT (agent));

  id = g_strdup_printf ("simulated-cuff-%u", g_atomic_int_add (&n_cuffs, 1));
  device = hp_phdc_device_new (id, "Simulated blood-pressure cuff",
                               HP_MEASUREMENT_KIND_BLOOD_PRESSURE, HP_TRANSPORT (transport));
  /* timeout_ms 0 leaves the driver's own allowance for a real cuff (two
   * minutes) plus the standard's 3 s response timeout; otherwise the driver
   * waits exactly as long as the cuff measures plus timeout_ms. */
  if (simulation->timeout_ms != 0)
    hp_phdc_device_set_timeouts (HP_PHDC_DEVICE (device), simulation->measure_ms, simulation->timeout_ms);
  return device;
}
