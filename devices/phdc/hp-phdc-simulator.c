/* The agent side of a simulated IEEE 11073-20601 device: the bytes a real cuff, scale or glucose meter sends. */
#include "hp-phdc-simulator.h"

#include <math.h>
#include <string.h>

#include "hp-ieee11073.h"

typedef enum {
  AGENT_UNASSOCIATED,
  AGENT_ASSOCIATING,
  AGENT_CONFIGURING,
  AGENT_MEASURING,
  AGENT_REPORTED,
  AGENT_RELEASING,
} AgentState;

struct _HpPhdcSimulator
{
  GObject parent_instance;

  /* Not a reference: the transport owns the simulator. */
  HpSimulatorTransport *transport;
  gulong opened_id;
  gulong closed_id;
  gulong sent_id;

  HpPhdcSimulation simulation;
  HpIeee11073Config *config;
  GDateTime *epoch;            /* when the stored readings' clock starts */
  GMainContext *context;
  GSource *measuring;
  AgentState state;
  GByteArray *rx;
  guint16 invoke_id;
  guint16 scan_report_no;
  guint associations;
  guint config_reports;
};

G_DEFINE_FINAL_TYPE (HpPhdcSimulator, hp_phdc_simulator, G_TYPE_OBJECT)

/* Agent-initiated data requests use this id in scan reports. */
#define DATA_REQ_ID_AGENT_INITIATED 0xF000
/* Person id in the multi-person forms. */
#define SIMULATED_PERSON 1
/* The extra object of the extended blood-pressure configuration: a
 * dimensionless status metric in the manufacturer's part of SCADA, as
 * antidote's extended 0x4000 capture has. */
#define EXTRA_STATUS_HANDLE 3
#define EXTRA_STATUS_CODE   0xF012
/* MDC_PULS_OXIM_SAT_O2 in MDC_DIM_PERCENT: nothing the kiosk records. */
#define SPO2_CODE           19384
#define DIM_PERCENT         544

static void
send_apdu (HpPhdcSimulator *self,
           GByteArray      *apdu)
{
  if (self->transport != NULL)
    hp_simulator_transport_agent_send (self->transport, apdu->data, apdu->len);
  g_byte_array_unref (apdu);
}

static void
stop_measuring (HpPhdcSimulator *self)
{
  if (self->measuring != NULL)
    {
      g_source_destroy (self->measuring);
      g_clear_pointer (&self->measuring, g_source_unref);
    }
}

static void
reset (HpPhdcSimulator *self)
{
  stop_measuring (self);
  self->state = AGENT_UNASSOCIATED;
  g_byte_array_set_size (self->rx, 0);
}

static guint16
standard_config_id (HpMeasurementKind kind)
{
  switch (kind)
    {
    case HP_MEASUREMENT_KIND_BODY_WEIGHT:
      return HP_IEEE11073_CONFIG_WEIGHING_SCALE;
    case HP_MEASUREMENT_KIND_BLOOD_GLUCOSE:
      return HP_IEEE11073_CONFIG_GLUCOSE;
    case HP_MEASUREMENT_KIND_BLOOD_PRESSURE:
    default:
      return HP_IEEE11073_CONFIG_BLOOD_PRESSURE;
    }
}

/* The agent's configuration: its kind's standard one, renumbered and
 * extended when it is to be learned. */
static HpIeee11073Config *
build_config (const HpPhdcSimulation *simulation)
{
  guint16 standard_id = standard_config_id (simulation->kind);
  HpIeee11073Config *config = hp_ieee11073_config_new_standard (standard_id);
  gboolean extended = simulation->dev_config_id != 0 && simulation->dev_config_id != standard_id;

  if (simulation->kind == HP_MEASUREMENT_KIND_BODY_WEIGHT)
    config->n_objects = 1; /* weight alone */
  if (simulation->unit_code != 0)
    config->objects[0].unit_code = simulation->unit_code;
  if (!extended)
    return config;

  config->dev_config_id = simulation->dev_config_id;
  if (simulation->fault == HP_PHDC_FAULT_UNSUPPORTED_CONFIG)
    {
      HpIeee11073ConfigObject *object = &config->objects[0];

      memset (object, 0, sizeof *object);
      object->obj_class = HP_IEEE11073_CLASS_METRIC_NUMERIC;
      object->handle = 1;
      object->type = HP_IEEE11073_SCADA (SPO2_CODE);
      object->unit_code = DIM_PERCENT;
      object->n_value_map = 1;
      object->value_map[0] = (HpIeee11073ValueMapEntry) { HP_IEEE11073_ATTR_NU_VAL_OBS_BASIC, 2 };
      config->n_objects = 1;
    }
  else if (simulation->kind == HP_MEASUREMENT_KIND_BLOOD_PRESSURE)
    {
      HpIeee11073ConfigObject *extra;

      config->objects = g_renew (HpIeee11073ConfigObject, config->objects, config->n_objects + 1);
      extra = &config->objects[config->n_objects++];
      memset (extra, 0, sizeof *extra);
      extra->obj_class = HP_IEEE11073_CLASS_METRIC_NUMERIC;
      extra->handle = EXTRA_STATUS_HANDLE;
      extra->type = HP_IEEE11073_SCADA (EXTRA_STATUS_CODE);
      extra->unit_code = HP_IEEE11073_MDC_DIM_DIMLESS;
      extra->metric_spec_small = 0xF040;
      extra->n_value_map = 2;
      extra->value_map[0] = (HpIeee11073ValueMapEntry) { HP_IEEE11073_ATTR_NU_VAL_OBS_BASIC, 2 };
      extra->value_map[1] = (HpIeee11073ValueMapEntry) { HP_IEEE11073_ATTR_TIME_STAMP_ABS, 8 };
    }
  return config;
}

static void
put_be16 (GByteArray *out,
          guint16     value)
{
  guint8 bytes[2] = { (guint8) (value >> 8), (guint8) value };

  g_byte_array_append (out, bytes, 2);
}

static void
put_be32 (GByteArray *out,
          guint32     value)
{
  put_be16 (out, (guint16) (value >> 16));
  put_be16 (out, (guint16) value);
}

static void
put_sfloat (GByteArray *out,
            double      value)
{
  guint16 raw;

  if (!hp_ieee11073_sfloat_from_double (value, &raw))
    raw = HP_IEEE11073_SFLOAT_NRES;
  put_be16 (out, raw);
}

/* The bytes of one attribute of @object for one reading. */
static void
put_attribute_value (GByteArray                    *out,
                     guint16                        attribute_id,
                     const double                  *values,
                     const guint8                  *time)
{
  guint32 raw;

  switch (attribute_id)
    {
    case HP_IEEE11073_ATTR_NU_CMPD_VAL_OBS_BASIC:
      put_be16 (out, 3);
      put_be16 (out, 6);
      for (guint i = 0; i < 3; i++)
        put_sfloat (out, values[i]);
      break;
    case HP_IEEE11073_ATTR_NU_VAL_OBS_BASIC:
      put_sfloat (out, values[0]);
      break;
    case HP_IEEE11073_ATTR_NU_VAL_OBS_SIMP:
      if (!hp_ieee11073_float_from_double (values[0], &raw))
        raw = 0x00800000; /* NRes */
      put_be32 (out, raw);
      break;
    case HP_IEEE11073_ATTR_TIME_STAMP_ABS:
      g_byte_array_append (out, time, HP_IEEE11073_ABSOLUTE_TIME_SIZE);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* The values of @object for one reading; FALSE if the agent does not report it. */
static gboolean
object_values (HpPhdcSimulator               *self,
               const HpIeee11073ConfigObject *object,
               guint                          days_ago,
               double                         values[3])
{
  const HpPhdcSimulation *sim = &self->simulation;
  gboolean nan_fault = sim->fault == HP_PHDC_FAULT_NAN_VALUE;

  switch (object->handle)
    {
    case 1:
      values[0] = nan_fault ? NAN : sim->value - days_ago;
      values[1] = sim->diastolic - days_ago;
      /* Oscillometric cuffs report the mean they measured; a third of the
       * pulse pressure above diastolic is the textbook stand-in. */
      values[2] = round ((values[0] + 2 * values[1]) / 3);
      return TRUE;
    case 2:
      values[0] = sim->pulse;
      return sim->kind == HP_MEASUREMENT_KIND_BLOOD_PRESSURE && sim->pulse > 0;
    case EXTRA_STATUS_HANDLE:
      values[0] = 0;
      return TRUE;
    default:
      return FALSE;
    }
}

static GByteArray *
encode_report (HpPhdcSimulator *self)
{
  const HpPhdcSimulation *sim = &self->simulation;
  gboolean var = sim->report_form == HP_PHDC_REPORT_VAR || sim->report_form == HP_PHDC_REPORT_MP_VAR;
  g_autoptr(GPtrArray) payloads = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  g_autoptr(GArray) entries = g_array_new (FALSE, TRUE, sizeof (HpIeee11073ScanEntry));
  GByteArray *apdu = g_byte_array_new ();
  static const guint16 event_types[] = {
    [HP_PHDC_REPORT_FIXED] = HP_IEEE11073_NOTI_SCAN_REPORT_FIXED,
    [HP_PHDC_REPORT_VAR] = HP_IEEE11073_NOTI_SCAN_REPORT_VAR,
    [HP_PHDC_REPORT_MP_FIXED] = HP_IEEE11073_NOTI_SCAN_REPORT_MP_FIXED,
    [HP_PHDC_REPORT_MP_VAR] = HP_IEEE11073_NOTI_SCAN_REPORT_MP_VAR,
  };

  /* Stored readings first, oldest first, then the one just taken. */
  for (guint reading = 0; reading <= sim->n_stored; reading++)
    {
      guint days_ago = sim->n_stored - reading;
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autoptr(GDateTime) taken = NULL;
      HpIeee11073AbsoluteTime time;
      guint8 time_bytes[HP_IEEE11073_ABSOLUTE_TIME_SIZE] = { 0 };

      if (days_ago == 0 && sim->no_new_reading)
        break;
      /* Stored readings keep their time; the new one is taken now. Older
       * ones differ a little, as real ones do. */
      taken = days_ago == 0 ? g_date_time_ref (now) : g_date_time_add_days (self->epoch, -(gint) days_ago);

      hp_ieee11073_absolute_time_from_date_time (taken, &time);
      if (sim->fault != HP_PHDC_FAULT_CLOCK_LOST)
        hp_ieee11073_encode_absolute_time (&time, time_bytes);

      for (guint i = 0; i < self->config->n_objects; i++)
        {
          const HpIeee11073ConfigObject *object = &self->config->objects[i];
          GByteArray *payload;
          HpIeee11073ScanEntry entry = { SIMULATED_PERSON, object->handle, NULL, 0 };
          double values[3] = { 0 };

          if (!object_values (self, object, days_ago, values))
            continue;
          payload = g_byte_array_new ();
          if (var)
            {
              put_be16 (payload, object->n_value_map);
              put_be16 (payload, 0);
            }
          for (guint j = 0; j < object->n_value_map; j++)
            {
              if (var)
                {
                  put_be16 (payload, object->value_map[j].attribute_id);
                  put_be16 (payload, object->value_map[j].length);
                }
              put_attribute_value (payload, object->value_map[j].attribute_id, values, time_bytes);
            }
          if (var)
            {
              guint16 length = (guint16) (payload->len - 4);

              payload->data[2] = (guint8) (length >> 8);
              payload->data[3] = (guint8) length;
            }
          g_ptr_array_add (payloads, payload);
          entry.payload = payload->data;
          entry.payload_len = payload->len;
          g_array_append_val (entries, entry);
        }
    }

  /* RelativeTime ticks are 1/8 ms. */
  hp_ieee11073_encode_scan_report (apdu, self->invoke_id++, (guint32) (g_get_monotonic_time () / 125),
                                   event_types[sim->report_form], DATA_REQ_ID_AGENT_INITIATED,
                                   self->scan_report_no++, (const HpIeee11073ScanEntry *) (const void *) entries->data,
                                   entries->len);
  return apdu;
}

/* TRUE when the agent's fault happens at @step (and has happened). */
static gboolean
fault_at (HpPhdcSimulator *self,
          HpPhdcStep       step)
{
  if (self->simulation.fault_step != step)
    return FALSE;
  switch (self->simulation.fault)
    {
    case HP_PHDC_FAULT_UNPLUG:
      if (self->transport != NULL)
        hp_simulator_transport_unplug (self->transport);
      return TRUE;
    case HP_PHDC_FAULT_SILENT:
      g_debug ("the simulated agent falls silent");
      return TRUE;
    case HP_PHDC_FAULT_NONE:
    case HP_PHDC_FAULT_GARBLED_LENGTH:
    case HP_PHDC_FAULT_NAN_VALUE:
    case HP_PHDC_FAULT_ABORT:
    case HP_PHDC_FAULT_RELEASE:
    case HP_PHDC_FAULT_UNSUPPORTED_CONFIG:
    case HP_PHDC_FAULT_CLOCK_LOST:
    case HP_PHDC_FAULT_NO_COMMON_ENCODING:
    default:
      return FALSE;
    }
}

static void
send_reason (HpPhdcSimulator *self,
             void           (*encode) (GByteArray *, guint16),
             guint16          reason)
{
  GByteArray *apdu = g_byte_array_new ();

  encode (apdu, reason);
  send_apdu (self, apdu);
}

static gboolean
measurement_done (gpointer user_data)
{
  HpPhdcSimulator *self = user_data;
  GByteArray *apdu;

  g_clear_pointer (&self->measuring, g_source_unref);

  if (fault_at (self, HP_PHDC_STEP_MEASURE))
    return G_SOURCE_REMOVE;

  switch (self->simulation.fault)
    {
    case HP_PHDC_FAULT_ABORT:
      send_reason (self, hp_ieee11073_encode_abrt, HP_IEEE11073_ABORT_UNDEFINED);
      reset (self);
      break;
    case HP_PHDC_FAULT_RELEASE:
      send_reason (self, hp_ieee11073_encode_rlrq, HP_IEEE11073_RELEASE_NORMAL);
      self->state = AGENT_RELEASING;
      break;
    case HP_PHDC_FAULT_GARBLED_LENGTH:
      apdu = encode_report (self);
      apdu->data[HP_PHDC_SIMULATOR_GARBLED_OFFSET] = 0xFF;
      apdu->data[HP_PHDC_SIMULATOR_GARBLED_OFFSET + 1] = 0xF0;
      send_apdu (self, apdu);
      self->state = AGENT_REPORTED;
      break;
    case HP_PHDC_FAULT_NONE:
    case HP_PHDC_FAULT_UNPLUG:
    case HP_PHDC_FAULT_SILENT:
    case HP_PHDC_FAULT_NAN_VALUE:
    case HP_PHDC_FAULT_UNSUPPORTED_CONFIG:
    case HP_PHDC_FAULT_CLOCK_LOST:
    case HP_PHDC_FAULT_NO_COMMON_ENCODING:
    default:
      send_apdu (self, encode_report (self));
      self->state = AGENT_REPORTED;
      break;
    }
  return G_SOURCE_REMOVE;
}

static void
start_measuring (HpPhdcSimulator *self)
{
  self->state = AGENT_MEASURING;
  stop_measuring (self);
  self->measuring = g_timeout_source_new (self->simulation.measure_ms);
  g_source_set_callback (self->measuring, measurement_done, self, NULL);
  g_source_set_static_name (self->measuring, "[healthpost] simulated PHDC agent measuring");
  g_source_attach (self->measuring, self->context);
}

static void
on_host_opened (HpSimulatorTransport *transport G_GNUC_UNUSED,
                gpointer              user_data)
{
  HpPhdcSimulator *self = user_data;
  GByteArray *apdu;

  reset (self);
  self->associations++;
  if (fault_at (self, HP_PHDC_STEP_ASSOCIATE))
    return;

  apdu = g_byte_array_new ();
  hp_ieee11073_encode_aarq_full (apdu, HP_IEEE11073_ASSOC_VERSION1, HP_IEEE11073_DATA_PROTO_ID_20601,
                                 self->simulation.fault == HP_PHDC_FAULT_NO_COMMON_ENCODING ? 0x4000 /* PER */
                                                                                       : HP_IEEE11073_ENCODING_MDER,
                                 self->simulation.system_id, sizeof self->simulation.system_id,
                                 self->config->dev_config_id);
  send_apdu (self, apdu);
  self->state = AGENT_ASSOCIATING;
}

static void
on_host_closed (HpSimulatorTransport *transport G_GNUC_UNUSED,
                gpointer              user_data)
{
  reset (HP_PHDC_SIMULATOR (user_data));
}

static void
handle_aare (HpPhdcSimulator       *self,
             const HpIeee11073Aare *aare)
{
  GByteArray *apdu;

  if (self->state != AGENT_ASSOCIATING)
    return;
  switch (aare->result)
    {
    case HP_IEEE11073_ASSOC_ACCEPTED:
      start_measuring (self);
      break;
    case HP_IEEE11073_ASSOC_ACCEPTED_UNKNOWN_CONFIG:
      self->state = AGENT_CONFIGURING;
      if (fault_at (self, HP_PHDC_STEP_CONFIGURE))
        break;
      apdu = g_byte_array_new ();
      hp_ieee11073_encode_config_report (apdu, self->invoke_id++, self->config);
      self->config_reports++;
      send_apdu (self, apdu);
      break;
    default:
      reset (self);
      break;
    }
}

static void
handle_data (HpPhdcSimulator           *self,
             const HpIeee11073DataApdu *prst)
{
  guint16 result;

  if (self->state != AGENT_CONFIGURING ||
      !hp_ieee11073_decode_config_report_response (prst, NULL, &result, NULL))
    return; /* the confirmation of a scan report: the release follows */

  if (result == HP_IEEE11073_CONFIG_ACCEPTED)
    start_measuring (self);
  else
    {
      /* No other configuration to offer: give up. */
      send_reason (self, hp_ieee11073_encode_rlrq, HP_IEEE11073_RELEASE_NORMAL);
      self->state = AGENT_RELEASING;
    }
}

static void
handle_apdu (HpPhdcSimulator       *self,
             const HpIeee11073Apdu *apdu)
{
  switch (apdu->type)
    {
    case HP_IEEE11073_APDU_AARE:
      handle_aare (self, &apdu->u.aare);
      break;
    case HP_IEEE11073_APDU_PRST:
      handle_data (self, &apdu->u.prst);
      break;
    case HP_IEEE11073_APDU_RLRQ:
      if (fault_at (self, HP_PHDC_STEP_RELEASE))
        break;
      send_reason (self, hp_ieee11073_encode_rlre, HP_IEEE11073_RELEASE_NORMAL);
      reset (self);
      break;
    case HP_IEEE11073_APDU_RLRE:
    case HP_IEEE11073_APDU_ABRT:
      reset (self);
      break;
    case HP_IEEE11073_APDU_AARQ:
      break;
    }
}

static void
on_host_sent (HpSimulatorTransport *transport G_GNUC_UNUSED,
              GBytes               *bytes,
              gpointer              user_data)
{
  HpPhdcSimulator *self = user_data;
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
          g_debug ("the simulated agent cannot decode the manager's APDU: %s", error->message);
          send_reason (self, hp_ieee11073_encode_abrt, HP_IEEE11073_ABORT_UNDEFINED);
          reset (self);
          return;
        }
      handle_apdu (self, &apdu);
    }
}

static void
hp_phdc_simulator_dispose (GObject *object)
{
  HpPhdcSimulator *self = HP_PHDC_SIMULATOR (object);

  stop_measuring (self);
  if (self->transport != NULL)
    {
      g_clear_signal_handler (&self->opened_id, self->transport);
      g_clear_signal_handler (&self->closed_id, self->transport);
      g_clear_signal_handler (&self->sent_id, self->transport);
      g_object_remove_weak_pointer (G_OBJECT (self->transport), (gpointer *) &self->transport);
      self->transport = NULL;
    }

  G_OBJECT_CLASS (hp_phdc_simulator_parent_class)->dispose (object);
}

static void
hp_phdc_simulator_finalize (GObject *object)
{
  HpPhdcSimulator *self = HP_PHDC_SIMULATOR (object);

  g_byte_array_unref (self->rx);
  hp_ieee11073_config_free (self->config);
  g_date_time_unref (self->epoch);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (hp_phdc_simulator_parent_class)->finalize (object);
}

static void
hp_phdc_simulator_class_init (HpPhdcSimulatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hp_phdc_simulator_dispose;
  object_class->finalize = hp_phdc_simulator_finalize;
}

static void
hp_phdc_simulator_init (HpPhdcSimulator *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->rx = g_byte_array_new ();
  self->epoch = g_date_time_new_now_local ();
}

static const guint8 default_system_ids[][8] = {
  [HP_MEASUREMENT_KIND_BLOOD_PRESSURE] = { 'H', 'P', 'S', 'I', 'M', 'C', 'U', 'F' },
  [HP_MEASUREMENT_KIND_BODY_WEIGHT] = { 'H', 'P', 'S', 'I', 'M', 'S', 'C', 'L' },
  [HP_MEASUREMENT_KIND_BLOOD_GLUCOSE] = { 'H', 'P', 'S', 'I', 'M', 'G', 'L', 'U' },
};

HpPhdcSimulator *
hp_phdc_simulator_new (HpSimulatorTransport   *transport,
                       const HpPhdcSimulation *simulation)
{
  static const guint8 unset[8] = { 0 };
  HpPhdcSimulator *self;

  g_return_val_if_fail (HP_IS_SIMULATOR_TRANSPORT (transport), NULL);
  g_return_val_if_fail (simulation != NULL, NULL);
  g_return_val_if_fail (simulation->kind <= HP_MEASUREMENT_KIND_LAST, NULL);

  self = g_object_new (HP_TYPE_PHDC_SIMULATOR, NULL);
  self->simulation = *simulation;
  if (memcmp (simulation->system_id, unset, sizeof unset) == 0)
    memcpy (self->simulation.system_id, default_system_ids[simulation->kind], 8);
  self->config = build_config (&self->simulation);
  self->transport = transport;
  g_object_add_weak_pointer (G_OBJECT (transport), (gpointer *) &self->transport);
  self->opened_id = g_signal_connect (transport, "host-opened", G_CALLBACK (on_host_opened), self);
  self->closed_id = g_signal_connect (transport, "host-closed", G_CALLBACK (on_host_closed), self);
  self->sent_id = g_signal_connect (transport, "host-sent", G_CALLBACK (on_host_sent), self);
  return self;
}

guint
hp_phdc_simulator_get_associations (HpPhdcSimulator *self)
{
  g_return_val_if_fail (HP_IS_PHDC_SIMULATOR (self), 0);
  return self->associations;
}

guint
hp_phdc_simulator_get_config_reports (HpPhdcSimulator *self)
{
  g_return_val_if_fail (HP_IS_PHDC_SIMULATOR (self), 0);
  return self->config_reports;
}
