/* A simulated HID point-of-sale scale: the reports a Dymo scale sends as a patient steps on it. */
#include "hp-hid-scale-simulator.h"

#include <math.h>

#include "hp-hid-scale-device.h"

#define DEFAULT_INTERVAL_MS 200

/* Steps of the script after the stale report. */
#define FIRST_MOTION_STEP HP_HID_SCALE_SIMULATOR_FAULT_STEP
#define FIRST_STABLE_STEP (FIRST_MOTION_STEP + 3)

struct _HpHidScaleSimulator
{
  GObject parent_instance;

  /* Not a reference: the transport owns the simulator. */
  HpSimulatorTransport *transport;
  gulong opened_id;
  gulong closed_id;

  HpScaleSimulation simulation;
  GMainContext *context;
  GSource *ticker;
  guint step;
};

G_DEFINE_FINAL_TYPE (HpHidScaleSimulator, hp_hid_scale_simulator, G_TYPE_OBJECT)

static void
stop (HpHidScaleSimulator *self)
{
  if (self->ticker != NULL)
    {
      g_source_destroy (self->ticker);
      g_clear_pointer (&self->ticker, g_source_unref);
    }
}

static guint16
raw_for (HpHidScaleSimulator *self,
         double               weight)
{
  double raw = weight / pow (10, self->simulation.exponent);

  return (guint16) CLAMP (lround (raw), 0, G_MAXUINT16);
}

static void
send_report (HpHidScaleSimulator *self,
             HpHidScaleStatus     status,
             double               weight)
{
  HpHidScaleReport report = {
    .status = status,
    .unit = (guint8) self->simulation.unit,
    .exponent = self->simulation.exponent,
    .raw = raw_for (self, weight),
  };
  guint8 bytes[HP_HID_SCALE_REPORT_SIZE];

  hp_hid_scale_encode_report (&report, bytes);
  hp_simulator_transport_agent_send (self->transport, bytes, sizeof bytes);
}

static HpHidScaleStatus
fault_status (HpScaleFault fault)
{
  switch (fault)
    {
    case HP_SCALE_FAULT_FAULT:
      return HP_HID_SCALE_STATUS_FAULT;
    case HP_SCALE_FAULT_UNDER_ZERO:
      return HP_HID_SCALE_STATUS_UNDER_ZERO;
    case HP_SCALE_FAULT_OVERWEIGHT:
      return HP_HID_SCALE_STATUS_OVERWEIGHT;
    case HP_SCALE_FAULT_NEEDS_CALIBRATION:
      return HP_HID_SCALE_STATUS_NEEDS_CALIBRATION;
    case HP_SCALE_FAULT_NEEDS_REZERO:
      return HP_HID_SCALE_STATUS_NEEDS_REZERO;
    case HP_SCALE_FAULT_NONE:
    case HP_SCALE_FAULT_UNPLUG:
    case HP_SCALE_FAULT_TIMEOUT:
    case HP_SCALE_FAULT_NEVER_STILL:
    case HP_SCALE_FAULT_BAD_LENGTH:
    default:
      return 0;
    }
}

static gboolean
tick (gpointer user_data)
{
  HpHidScaleSimulator *self = user_data;
  const HpScaleSimulation *sim = &self->simulation;
  guint step = self->step++;
  HpHidScaleStatus status;

  if (self->transport == NULL)
    return G_SOURCE_CONTINUE;

  if (step == 0)
    {
      send_report (self, HP_HID_SCALE_STATUS_STABLE, sim->stale_weight);
      return G_SOURCE_CONTINUE;
    }
  if (step == FIRST_MOTION_STEP)
    {
      guint8 bytes[HP_HID_SCALE_REPORT_SIZE];
      HpHidScaleReport report = { .status = HP_HID_SCALE_STATUS_IN_MOTION, .unit = (guint8) sim->unit };

      status = fault_status (sim->fault);
      if (status != 0)
        {
          send_report (self, status, 0);
          return G_SOURCE_CONTINUE;
        }
      switch (sim->fault)
        {
        case HP_SCALE_FAULT_UNPLUG:
          g_clear_pointer (&self->ticker, g_source_unref);
          hp_simulator_transport_unplug (self->transport);
          return G_SOURCE_REMOVE;
        case HP_SCALE_FAULT_TIMEOUT:
          g_debug ("the simulated scale has no more reports");
          g_clear_pointer (&self->ticker, g_source_unref);
          return G_SOURCE_REMOVE;
        case HP_SCALE_FAULT_BAD_LENGTH:
          hp_hid_scale_encode_report (&report, bytes);
          hp_simulator_transport_agent_send (self->transport, bytes, sizeof bytes - 1);
          return G_SOURCE_CONTINUE;
        case HP_SCALE_FAULT_NONE:
        case HP_SCALE_FAULT_NEVER_STILL:
        case HP_SCALE_FAULT_FAULT:
        case HP_SCALE_FAULT_UNDER_ZERO:
        case HP_SCALE_FAULT_OVERWEIGHT:
        case HP_SCALE_FAULT_NEEDS_CALIBRATION:
        case HP_SCALE_FAULT_NEEDS_REZERO:
        default:
          break;
        }
    }

  if (step < FIRST_MOTION_STEP)
    send_report (self, HP_HID_SCALE_STATUS_STABLE_ZERO, 0);
  else if (step < FIRST_STABLE_STEP || sim->fault == HP_SCALE_FAULT_NEVER_STILL)
    /* Stepping on: the reading swings around the weight before it settles. */
    send_report (self, HP_HID_SCALE_STATUS_IN_MOTION,
                 sim->weight * (0.6 + 0.25 * ((step - FIRST_MOTION_STEP) % 3)));
  else
    send_report (self, HP_HID_SCALE_STATUS_STABLE, sim->weight);
  return G_SOURCE_CONTINUE;
}

static void
on_host_opened (HpSimulatorTransport *transport G_GNUC_UNUSED,
                gpointer              user_data)
{
  HpHidScaleSimulator *self = user_data;

  stop (self);
  self->step = 0;
  self->ticker = g_timeout_source_new (self->simulation.interval_ms);
  g_source_set_callback (self->ticker, tick, self, NULL);
  g_source_set_static_name (self->ticker, "[healthpost] simulated scale");
  g_source_attach (self->ticker, self->context);
}

static void
on_host_closed (HpSimulatorTransport *transport G_GNUC_UNUSED,
                gpointer              user_data)
{
  stop (HP_HID_SCALE_SIMULATOR (user_data));
}

static void
hp_hid_scale_simulator_dispose (GObject *object)
{
  HpHidScaleSimulator *self = HP_HID_SCALE_SIMULATOR (object);

  stop (self);
  if (self->transport != NULL)
    {
      g_clear_signal_handler (&self->opened_id, self->transport);
      g_clear_signal_handler (&self->closed_id, self->transport);
      g_object_remove_weak_pointer (G_OBJECT (self->transport), (gpointer *) &self->transport);
      self->transport = NULL;
    }

  G_OBJECT_CLASS (hp_hid_scale_simulator_parent_class)->dispose (object);
}

static void
hp_hid_scale_simulator_finalize (GObject *object)
{
  HpHidScaleSimulator *self = HP_HID_SCALE_SIMULATOR (object);

  g_main_context_unref (self->context);

  G_OBJECT_CLASS (hp_hid_scale_simulator_parent_class)->finalize (object);
}

static void
hp_hid_scale_simulator_class_init (HpHidScaleSimulatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hp_hid_scale_simulator_dispose;
  object_class->finalize = hp_hid_scale_simulator_finalize;
}

static void
hp_hid_scale_simulator_init (HpHidScaleSimulator *self)
{
  self->context = g_main_context_ref_thread_default ();
}

HpHidScaleSimulator *
hp_hid_scale_simulator_new (HpSimulatorTransport    *transport,
                            const HpScaleSimulation *simulation)
{
  HpHidScaleSimulator *self;

  g_return_val_if_fail (HP_IS_SIMULATOR_TRANSPORT (transport), NULL);
  g_return_val_if_fail (simulation != NULL, NULL);

  self = g_object_new (HP_TYPE_HID_SCALE_SIMULATOR, NULL);
  self->simulation = *simulation;
  if (self->simulation.unit == 0)
    self->simulation.unit = HP_HID_SCALE_UNIT_KILOGRAM;
  if (self->simulation.interval_ms == 0)
    self->simulation.interval_ms = DEFAULT_INTERVAL_MS;
  self->transport = transport;
  g_object_add_weak_pointer (G_OBJECT (transport), (gpointer *) &self->transport);
  self->opened_id = g_signal_connect (transport, "host-opened", G_CALLBACK (on_host_opened), self);
  self->closed_id = g_signal_connect (transport, "host-closed", G_CALLBACK (on_host_closed), self);
  return self;
}

HpDevice *
hp_simulated_scale_new_full (const HpScaleSimulation *simulation)
{
  static guint n_scales;
  g_autoptr(HpSimulatorTransport) transport = NULL;
  g_autoptr(HpHidScaleSimulator) agent = NULL;
  g_autofree char *id = NULL;
  g_autofree char *serial = NULL;
  guint n;
  HpDevice *device;

  g_return_val_if_fail (simulation != NULL, NULL);

  transport = hp_simulator_transport_new ();
  agent = hp_hid_scale_simulator_new (transport, simulation);
  hp_simulator_transport_set_agent (transport, G_OBJECT (agent));

  n = (guint) g_atomic_int_add (&n_scales, 1);
  id = g_strdup_printf ("simulated-scale-%u", n);
  serial = g_strdup_printf ("SIM%04u", n);
  device = hp_hid_scale_device_new (id, "Simulated scale", serial, HP_TRANSPORT (transport));
  if (simulation->allowance_ms != 0)
    hp_hid_scale_device_set_allowance (HP_HID_SCALE_DEVICE (device), simulation->allowance_ms);
  return device;
}

static HpDevice *
healthy_scale (void)
{
  return hp_simulated_scale_new (72.4, HP_SCALE_FAULT_NONE);
}

const HpSimulatedDeviceEntry hp_hid_scale_simulated_devices[] = {
  { "hid-scale", healthy_scale },
  { NULL, NULL },
};

HpDevice *
hp_simulated_scale_new (double       kg,
                        HpScaleFault fault)
{
  HpScaleSimulation simulation = {
    .weight = kg,
    .unit = HP_HID_SCALE_UNIT_KILOGRAM,
    .exponent = -1,
    /* Whoever stood on it before. */
    .stale_weight = kg + 11.3,
    .fault = fault,
  };

  return hp_simulated_scale_new_full (&simulation);
}
