/* The agent side of a simulated blood-pressure cuff: the IEEE 11073-20601 bytes a real cuff sends. */
#include "hp-cuff-simulator.h"

#include "hp-ieee11073.h"

typedef enum {
  AGENT_UNASSOCIATED,
  AGENT_ASSOCIATING,
  AGENT_MEASURING,
  AGENT_REPORTED,
} AgentState;

struct _HpCuffSimulator
{
  GObject parent_instance;

  /* Not a reference: the transport owns the simulator. */
  HpSimulatorTransport *transport;
  gulong opened_id;
  gulong closed_id;
  gulong sent_id;

  HpCuffSimulation simulation;
  GMainContext *context;
  GSource *measuring;
  AgentState state;
  GByteArray *rx;
  guint16 invoke_id;
  guint16 scan_report_no;
};

G_DEFINE_FINAL_TYPE (HpCuffSimulator, hp_cuff_simulator, G_TYPE_OBJECT)

static const guint8 agent_system_id[8] = { 'H', 'P', 'S', 'I', 'M', 'C', 'U', 'F' };

/* Agent-initiated data requests use this id in scan reports. */
#define DATA_REQ_ID_AGENT_INITIATED 0xF000

static void
send_apdu (HpCuffSimulator *self,
           GByteArray      *apdu)
{
  if (self->transport != NULL)
    hp_simulator_transport_agent_send (self->transport, apdu->data, apdu->len);
  g_byte_array_unref (apdu);
}

static void
stop_measuring (HpCuffSimulator *self)
{
  if (self->measuring != NULL)
    {
      g_source_destroy (self->measuring);
      g_clear_pointer (&self->measuring, g_source_unref);
    }
}

static void
reset (HpCuffSimulator *self)
{
  stop_measuring (self);
  self->state = AGENT_UNASSOCIATED;
  g_byte_array_set_size (self->rx, 0);
}

static GByteArray *
encode_report (HpCuffSimulator *self)
{
  HpIeee11073BloodPressure reading = { 0 };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GByteArray *apdu = g_byte_array_new ();
  guint32 event_time;

  reading.data_req_id = DATA_REQ_ID_AGENT_INITIATED;
  reading.scan_report_no = self->scan_report_no++;
  reading.systolic = self->simulation.systolic;
  reading.diastolic = self->simulation.diastolic;
  /* Oscillometric cuffs report the mean they measured; a third of the pulse
   * pressure above diastolic is the textbook stand-in. */
  reading.mean_arterial = (guint) ((self->simulation.systolic + 2u * self->simulation.diastolic + 1u) / 3u);
  reading.has_pulse = TRUE;
  reading.pulse = self->simulation.pulse;
  hp_ieee11073_absolute_time_from_date_time (now, &reading.time);

  /* RelativeTime ticks are 1/8 ms. */
  event_time = (guint32) (g_get_monotonic_time () / 125);

  if (!hp_ieee11073_encode_blood_pressure (apdu, self->invoke_id++, event_time, &reading))
    g_assert_not_reached (); /* whole numbers below 2046 and a real clock always encode */
  return apdu;
}

static gboolean
measurement_done (gpointer user_data)
{
  HpCuffSimulator *self = user_data;
  GByteArray *apdu;

  g_clear_pointer (&self->measuring, g_source_unref);

  switch (self->simulation.fault)
    {
    case HP_CUFF_FAULT_NONE:
      send_apdu (self, encode_report (self));
      self->state = AGENT_REPORTED;
      break;
    case HP_CUFF_FAULT_UNPLUG:
      if (self->transport != NULL)
        hp_simulator_transport_unplug (self->transport);
      break;
    case HP_CUFF_FAULT_TIMEOUT:
      g_debug ("Simulated cuff: keeping its report to itself");
      break;
    case HP_CUFF_FAULT_GARBLED:
      apdu = encode_report (self);
      apdu->data[HP_CUFF_SIMULATOR_GARBLED_OFFSET] = 0xFF;
      apdu->data[HP_CUFF_SIMULATOR_GARBLED_OFFSET + 1] = 0xF0;
      send_apdu (self, apdu);
      self->state = AGENT_REPORTED;
      break;
    }
  return G_SOURCE_REMOVE;
}

static void
on_host_opened (HpSimulatorTransport *transport G_GNUC_UNUSED,
                gpointer              user_data)
{
  HpCuffSimulator *self = user_data;
  GByteArray *apdu = g_byte_array_new ();

  reset (self);
  hp_ieee11073_encode_aarq (apdu, agent_system_id, sizeof agent_system_id,
                            HP_IEEE11073_CONFIG_BLOOD_PRESSURE);
  send_apdu (self, apdu);
  self->state = AGENT_ASSOCIATING;
}

static void
on_host_closed (HpSimulatorTransport *transport G_GNUC_UNUSED,
                gpointer              user_data)
{
  reset (HP_CUFF_SIMULATOR (user_data));
}

static void
handle_apdu (HpCuffSimulator       *self,
             const HpIeee11073Apdu *apdu)
{
  GByteArray *reply;

  switch (apdu->type)
    {
    case HP_IEEE11073_APDU_AARE:
      if (self->state != AGENT_ASSOCIATING)
        break;
      if (apdu->u.aare.result != HP_IEEE11073_ASSOC_ACCEPTED)
        {
          reset (self);
          break;
        }
      self->state = AGENT_MEASURING;
      self->measuring = g_timeout_source_new (self->simulation.measure_ms);
      g_source_set_callback (self->measuring, measurement_done, self, NULL);
      g_source_set_static_name (self->measuring, "[healthpost] simulated cuff measuring");
      g_source_attach (self->measuring, self->context);
      break;
    case HP_IEEE11073_APDU_RLRQ:
      reply = g_byte_array_new ();
      hp_ieee11073_encode_rlre (reply, HP_IEEE11073_RELEASE_NORMAL);
      send_apdu (self, reply);
      reset (self);
      break;
    case HP_IEEE11073_APDU_ABRT:
      reset (self);
      break;
    case HP_IEEE11073_APDU_PRST:
      /* The manager's confirmation of the report; the release follows. */
      break;
    case HP_IEEE11073_APDU_AARQ:
    case HP_IEEE11073_APDU_RLRE:
      break;
    }
}

static void
on_host_sent (HpSimulatorTransport *transport G_GNUC_UNUSED,
              GBytes               *bytes,
              gpointer              user_data)
{
  HpCuffSimulator *self = user_data;
  gsize size, frame_len;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  g_byte_array_append (self->rx, data, (guint) size);
  while (hp_ieee11073_apdu_complete (self->rx->data, self->rx->len, &frame_len))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) frame = g_bytes_new (self->rx->data, frame_len);
      HpIeee11073Apdu apdu;

      g_byte_array_remove_range (self->rx, 0, (guint) frame_len);
      if (!hp_ieee11073_decode_apdu (g_bytes_get_data (frame, NULL), frame_len, &apdu, NULL, &error))
        {
          GByteArray *abort_apdu = g_byte_array_new ();

          g_debug ("Simulated cuff: cannot decode the manager's APDU: %s", error->message);
          hp_ieee11073_encode_abrt (abort_apdu, HP_IEEE11073_ABORT_UNDEFINED);
          send_apdu (self, abort_apdu);
          reset (self);
          return;
        }
      handle_apdu (self, &apdu);
    }
}

static void
hp_cuff_simulator_dispose (GObject *object)
{
  HpCuffSimulator *self = HP_CUFF_SIMULATOR (object);

  stop_measuring (self);
  if (self->transport != NULL)
    {
      g_clear_signal_handler (&self->opened_id, self->transport);
      g_clear_signal_handler (&self->closed_id, self->transport);
      g_clear_signal_handler (&self->sent_id, self->transport);
      g_object_remove_weak_pointer (G_OBJECT (self->transport), (gpointer *) &self->transport);
      self->transport = NULL;
    }

  G_OBJECT_CLASS (hp_cuff_simulator_parent_class)->dispose (object);
}

static void
hp_cuff_simulator_finalize (GObject *object)
{
  HpCuffSimulator *self = HP_CUFF_SIMULATOR (object);

  g_byte_array_unref (self->rx);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (hp_cuff_simulator_parent_class)->finalize (object);
}

static void
hp_cuff_simulator_class_init (HpCuffSimulatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hp_cuff_simulator_dispose;
  object_class->finalize = hp_cuff_simulator_finalize;
}

static void
hp_cuff_simulator_init (HpCuffSimulator *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->rx = g_byte_array_new ();
}

HpCuffSimulator *
hp_cuff_simulator_new (HpSimulatorTransport   *transport,
                       const HpCuffSimulation *simulation)
{
  HpCuffSimulator *self;

  g_return_val_if_fail (HP_IS_SIMULATOR_TRANSPORT (transport), NULL);
  g_return_val_if_fail (simulation != NULL, NULL);

  self = g_object_new (HP_TYPE_CUFF_SIMULATOR, NULL);
  self->simulation = *simulation;
  self->transport = transport;
  g_object_add_weak_pointer (G_OBJECT (transport), (gpointer *) &self->transport);
  self->opened_id = g_signal_connect (transport, "host-opened", G_CALLBACK (on_host_opened), self);
  self->closed_id = g_signal_connect (transport, "host-closed", G_CALLBACK (on_host_closed), self);
  self->sent_id = g_signal_connect (transport, "host-sent", G_CALLBACK (on_host_sent), self);
  return self;
}
