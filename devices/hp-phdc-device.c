/* A Personal Health Device (IEEE 11073-20601) driver: the kiosk as manager, over any transport. */
#include "hp-phdc-device.h"

#include <math.h>
#include <string.h>

#include "hp-device-private.h"
#include "hp-ieee11073.h"

#define UNIT_MMHG "mm[Hg]"
#define UNIT_PER_MINUTE "/min"

typedef enum {
  OPERATION_IDLE,
  OPERATION_WAITING_FOR_ASSOCIATION,
  OPERATION_OPERATING,
  OPERATION_RELEASING,
} Operation;

/* One standard configuration the driver understands without asking the agent
 * for its configuration report. */
typedef struct {
  guint16 dev_config_id;
  HpMeasurementKind kind;
  HpMeasurement *(*decode) (HpPhdcDevice               *self,
                            const HpIeee11073DataApdu  *prst,
                            GError                    **error);
} Specialization;

struct _HpPhdcDevice
{
  HpDevice parent_instance;

  HpTransport *transport;
  gulong received_id;
  gulong closed_id;
  GMainContext *context;

  guint measurement_allowance_ms;
  guint response_timeout_ms;

  Operation operation;
  const Specialization *specialization;
  GByteArray *rx;
  GSource *deadline;
  guint8 system_id[HP_IEEE11073_SYSTEM_ID_MAX];
  gsize system_id_len;
  HpMeasurement *pending;
};

G_DEFINE_FINAL_TYPE (HpPhdcDevice, hp_phdc_device, HP_TYPE_DEVICE)

enum {
  PROP_0,
  PROP_TRANSPORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The manager's own EUI-64 in AARE. A fixed value is enough while the kiosk
 * is the only manager the agent meets. */
static const guint8 manager_system_id[8] = { 'H', 'P', 'K', 'I', 'O', 'S', 'K', 0x01 };

static HpMeasurement *decode_blood_pressure (HpPhdcDevice               *self,
                                             const HpIeee11073DataApdu  *prst,
                                             GError                    **error);

static const Specialization specializations[] = {
  { HP_IEEE11073_CONFIG_BLOOD_PRESSURE, HP_MEASUREMENT_KIND_BLOOD_PRESSURE, decode_blood_pressure },
};

static const Specialization *
find_specialization (guint16           dev_config_id,
                     HpMeasurementKind kind)
{
  for (gsize i = 0; i < G_N_ELEMENTS (specializations); i++)
    {
      if (specializations[i].dev_config_id == dev_config_id && specializations[i].kind == kind)
        return &specializations[i];
    }
  return NULL;
}

static gboolean
is_associated (HpPhdcDevice *self)
{
  return self->operation == OPERATION_OPERATING || self->operation == OPERATION_RELEASING;
}

static void
clear_deadline (HpPhdcDevice *self)
{
  if (self->deadline != NULL)
    {
      g_source_destroy (self->deadline);
      g_clear_pointer (&self->deadline, g_source_unref);
    }
}

/* Stops everything the running measurement started, without reporting. */
static void
finish (HpPhdcDevice *self)
{
  clear_deadline (self);
  self->operation = OPERATION_IDLE;
  self->specialization = NULL;
  g_byte_array_set_size (self->rx, 0);
  hp_transport_close (self->transport);
}

G_GNUC_PRINTF (3, 4)
static void
fail (HpPhdcDevice *self,
      HpDeviceError code,
      const char   *format,
      ...)
{
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (HP_DEVICE_ERROR, code, format, args);
  va_end (args);

  g_debug ("PHDC %s: measurement failed: %s", hp_device_get_id (HP_DEVICE (self)), error->message);
  finish (self);
  g_clear_object (&self->pending);
  hp_device_emit_measurement_failed (HP_DEVICE (self), error);
}

static void
succeed (HpPhdcDevice *self)
{
  g_autoptr(HpMeasurement) measurement = g_steal_pointer (&self->pending);

  finish (self);
  hp_device_emit_measurement_ready (HP_DEVICE (self), measurement);
}

static gboolean
send_apdu (HpPhdcDevice *self,
           GByteArray   *apdu)
{
  g_autoptr(GBytes) bytes = g_byte_array_free_to_bytes (apdu);
  g_autoptr(GError) error = NULL;

  if (!hp_transport_send (self->transport, bytes, &error))
    {
      fail (self, HP_DEVICE_ERROR_DISCONNECTED, "Lost the link to the device: %s", error->message);
      return FALSE;
    }
  return TRUE;
}

static void
send_abort (HpPhdcDevice *self,
            guint16       reason)
{
  GByteArray *apdu = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;

  hp_ieee11073_encode_abrt (apdu, reason);
  bytes = g_byte_array_free_to_bytes (apdu);
  /* The session ends either way, so a failed send changes nothing. */
  hp_transport_send (self->transport, bytes, NULL);
}

static gboolean
deadline_passed (gpointer user_data)
{
  HpPhdcDevice *self = user_data;
  g_autoptr(HpPhdcDevice) hold G_GNUC_UNUSED = g_object_ref (self);

  g_clear_pointer (&self->deadline, g_source_unref);

  switch (self->operation)
    {
    case OPERATION_WAITING_FOR_ASSOCIATION:
      fail (self, HP_DEVICE_ERROR_TIMEOUT, "The device did not connect in time");
      break;
    case OPERATION_OPERATING:
      send_abort (self, HP_IEEE11073_ABORT_RESPONSE_TIMEOUT);
      fail (self, HP_DEVICE_ERROR_TIMEOUT, "The device did not send a reading in time");
      break;
    case OPERATION_RELEASING:
      /* The reading is confirmed; a missing RLRE does not make it wrong. */
      g_debug ("PHDC %s: no release response, ending the session", hp_device_get_id (HP_DEVICE (self)));
      succeed (self);
      break;
    case OPERATION_IDLE:
      break;
    }
  return G_SOURCE_REMOVE;
}

static void
arm_deadline (HpPhdcDevice *self,
              guint         timeout_ms)
{
  clear_deadline (self);
  self->deadline = g_timeout_source_new (timeout_ms);
  g_source_set_callback (self->deadline, deadline_passed, self, NULL);
  g_source_set_static_name (self->deadline, "[healthpost] PHDC deadline");
  g_source_attach (self->deadline, self->context);
}

static guint
report_timeout_ms (HpPhdcDevice *self)
{
  return self->measurement_allowance_ms + self->response_timeout_ms;
}

static HpMeasurement *
decode_blood_pressure (HpPhdcDevice               *self,
                       const HpIeee11073DataApdu  *prst,
                       GError                    **error)
{
  HpIeee11073BloodPressure reading;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(HpMeasurement) measurement = NULL;
  g_autofree char *device_id = NULL;

  if (!hp_ieee11073_decode_blood_pressure (prst, &reading, NULL, &local_error))
    {
      g_set_error (error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_PROTOCOL,
                   "The device sent a report the kiosk cannot decode: %s", local_error->message);
      return NULL;
    }
  if (!isfinite (reading.systolic) || !isfinite (reading.diastolic))
    {
      g_set_error_literal (error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_IMPLAUSIBLE,
                           "The device reported no valid blood pressure");
      return NULL;
    }

  measurement = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_PRESSURE);
  hp_measurement_set_value (measurement, HP_QUANTITY_SYSTOLIC, reading.systolic, UNIT_MMHG);
  hp_measurement_set_value (measurement, HP_QUANTITY_DIASTOLIC, reading.diastolic, UNIT_MMHG);
  if (isfinite (reading.mean_arterial))
    hp_measurement_set_value (measurement, HP_QUANTITY_MEAN_ARTERIAL, reading.mean_arterial, UNIT_MMHG);
  if (reading.has_pulse && isfinite (reading.pulse))
    hp_measurement_set_value (measurement, HP_QUANTITY_PULSE_RATE, reading.pulse, UNIT_PER_MINUTE);

  device_id = hp_ieee11073_system_id_to_string (self->system_id, self->system_id_len);
  hp_measurement_set_device_id (measurement, device_id);

  if (reading.time_valid)
    {
      /* The standard's absolute time has no zone: the cuff shows local time. */
      g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
      g_autoptr(GDateTime) device_time = hp_ieee11073_absolute_time_to_date_time (&reading.time, tz);

      hp_measurement_set_device_time (measurement, device_time);
    }
  if (!reading.time_valid || hp_measurement_get_device_time (measurement) == NULL)
    hp_measurement_set_flags (measurement, HP_MEASUREMENT_FLAG_DEVICE_CLOCK_INVALID);

  return g_steal_pointer (&measurement);
}

static void
handle_association_request (HpPhdcDevice          *self,
                            const HpIeee11073Aarq *aarq)
{
  GByteArray *aare = g_byte_array_new ();

  if (!aarq->has_20601 || (aarq->info.encoding_rules & HP_IEEE11073_ENCODING_MDER) == 0)
    {
      hp_ieee11073_encode_aare (aare, HP_IEEE11073_ASSOC_REJECTED_NO_COMMON_PROTOCOL,
                                manager_system_id, sizeof manager_system_id);
      if (send_apdu (self, aare))
        fail (self, HP_DEVICE_ERROR_PROTOCOL, "The device does not speak IEEE 11073-20601 with MDER");
      return;
    }

  self->specialization = find_specialization (aarq->info.dev_config_id, hp_device_get_kind (HP_DEVICE (self)));
  if (self->specialization == NULL)
    {
      hp_ieee11073_encode_aare (aare, HP_IEEE11073_ASSOC_REJECTED_PERMANENT,
                                manager_system_id, sizeof manager_system_id);
      if (send_apdu (self, aare))
        fail (self, HP_DEVICE_ERROR_PROTOCOL, "The device's configuration 0x%04x is not supported",
              aarq->info.dev_config_id);
      return;
    }

  memcpy (self->system_id, aarq->info.system_id, aarq->info.system_id_len);
  self->system_id_len = aarq->info.system_id_len;

  hp_ieee11073_encode_aare (aare, HP_IEEE11073_ASSOC_ACCEPTED,
                            manager_system_id, sizeof manager_system_id);
  if (!send_apdu (self, aare))
    return;

  g_debug ("PHDC %s: associated, configuration 0x%04x", hp_device_get_id (HP_DEVICE (self)),
           aarq->info.dev_config_id);
  self->operation = OPERATION_OPERATING;
  hp_device_set_phase (HP_DEVICE (self), HP_MEASUREMENT_PHASE_MEASURING);
  arm_deadline (self, report_timeout_ms (self));
}

static void
handle_data (HpPhdcDevice              *self,
             const HpIeee11073DataApdu *prst)
{
  g_autoptr(GError) error = NULL;
  GByteArray *apdu;

  if (prst->choice != HP_IEEE11073_ROIV_EVENT_REPORT &&
      prst->choice != HP_IEEE11073_ROIV_CONFIRMED_EVENT_REPORT)
    {
      g_debug ("PHDC %s: ignoring data APDU choice 0x%04x", hp_device_get_id (HP_DEVICE (self)),
               prst->choice);
      return;
    }
  if (prst->event_type != HP_IEEE11073_NOTI_SCAN_REPORT_FIXED)
    {
      send_abort (self, HP_IEEE11073_ABORT_UNDEFINED);
      fail (self, HP_DEVICE_ERROR_PROTOCOL, "The device sent an unsupported event report 0x%04x",
            prst->event_type);
      return;
    }

  self->pending = self->specialization->decode (self, prst, &error);
  if (self->pending == NULL)
    {
      send_abort (self, HP_IEEE11073_ABORT_UNDEFINED);
      fail (self, (HpDeviceError) error->code, "%s", error->message);
      return;
    }

  if (prst->choice == HP_IEEE11073_ROIV_CONFIRMED_EVENT_REPORT)
    {
      apdu = g_byte_array_new ();
      hp_ieee11073_encode_event_report_response (apdu, prst->invoke_id, prst->obj_handle,
                                                 0, prst->event_type);
      if (!send_apdu (self, apdu))
        return;
    }

  apdu = g_byte_array_new ();
  hp_ieee11073_encode_rlrq (apdu, HP_IEEE11073_RELEASE_NORMAL);
  if (!send_apdu (self, apdu))
    return;
  self->operation = OPERATION_RELEASING;
  arm_deadline (self, self->response_timeout_ms);
}

static void
handle_apdu (HpPhdcDevice *self,
             const guint8 *data,
             gsize         len)
{
  g_autoptr(GError) error = NULL;
  HpIeee11073Apdu apdu;
  GByteArray *reply;

  if (!hp_ieee11073_decode_apdu (data, len, &apdu, NULL, &error))
    {
      if (is_associated (self))
        send_abort (self, HP_IEEE11073_ABORT_UNDEFINED);
      fail (self, HP_DEVICE_ERROR_PROTOCOL, "The device sent a message the kiosk cannot decode: %s",
            error->message);
      return;
    }

  switch (self->operation)
    {
    case OPERATION_WAITING_FOR_ASSOCIATION:
      switch (apdu.type)
        {
        case HP_IEEE11073_APDU_AARQ:
          handle_association_request (self, &apdu.u.aarq);
          break;
        case HP_IEEE11073_APDU_PRST:
          /* Data from a session the kiosk does not know: the agent must
           * associate again. */
          send_abort (self, HP_IEEE11073_ABORT_UNDEFINED);
          break;
        case HP_IEEE11073_APDU_RLRQ:
          reply = g_byte_array_new ();
          hp_ieee11073_encode_rlre (reply, HP_IEEE11073_RELEASE_NORMAL);
          send_apdu (self, reply);
          break;
        case HP_IEEE11073_APDU_AARE:
        case HP_IEEE11073_APDU_RLRE:
        case HP_IEEE11073_APDU_ABRT:
          break;
        }
      break;

    case OPERATION_OPERATING:
      switch (apdu.type)
        {
        case HP_IEEE11073_APDU_PRST:
          handle_data (self, &apdu.u.prst);
          break;
        case HP_IEEE11073_APDU_RLRQ:
          reply = g_byte_array_new ();
          hp_ieee11073_encode_rlre (reply, HP_IEEE11073_RELEASE_NORMAL);
          if (send_apdu (self, reply))
            fail (self, HP_DEVICE_ERROR_PROTOCOL, "The device ended the session before sending a reading");
          break;
        case HP_IEEE11073_APDU_ABRT:
          fail (self, HP_DEVICE_ERROR_PROTOCOL, "The device aborted the session (reason %u)",
                apdu.u.abort_reason);
          break;
        case HP_IEEE11073_APDU_AARQ:
          send_abort (self, HP_IEEE11073_ABORT_UNDEFINED);
          fail (self, HP_DEVICE_ERROR_PROTOCOL, "The device asked to associate while associated");
          break;
        case HP_IEEE11073_APDU_AARE:
        case HP_IEEE11073_APDU_RLRE:
          g_debug ("PHDC %s: ignoring APDU 0x%04x", hp_device_get_id (HP_DEVICE (self)), apdu.type);
          break;
        }
      break;

    case OPERATION_RELEASING:
      switch (apdu.type)
        {
        case HP_IEEE11073_APDU_RLRQ:
          /* Both sides released at once. */
          reply = g_byte_array_new ();
          hp_ieee11073_encode_rlre (reply, HP_IEEE11073_RELEASE_NORMAL);
          send_apdu (self, reply);
          if (self->operation == OPERATION_RELEASING)
            succeed (self);
          break;
        case HP_IEEE11073_APDU_RLRE:
        case HP_IEEE11073_APDU_ABRT:
          succeed (self);
          break;
        case HP_IEEE11073_APDU_AARQ:
        case HP_IEEE11073_APDU_AARE:
        case HP_IEEE11073_APDU_PRST:
          g_debug ("PHDC %s: ignoring APDU 0x%04x while releasing", hp_device_get_id (HP_DEVICE (self)),
                   apdu.type);
          break;
        }
      break;

    case OPERATION_IDLE:
      break;
    }
}

static void
on_received (HpTransport *transport G_GNUC_UNUSED,
             GBytes      *bytes,
             gpointer     user_data)
{
  HpPhdcDevice *self = user_data;
  g_autoptr(HpPhdcDevice) hold G_GNUC_UNUSED = g_object_ref (self);
  gsize size, frame_len;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  if (self->operation == OPERATION_IDLE)
    {
      g_debug ("PHDC %s: %" G_GSIZE_FORMAT " bytes while idle, dropped",
               hp_device_get_id (HP_DEVICE (self)), size);
      return;
    }

  if (self->operation == OPERATION_OPERATING && size > 0)
    hp_device_set_phase (HP_DEVICE (self), HP_MEASUREMENT_PHASE_RECEIVING);

  g_byte_array_append (self->rx, data, (guint) size);
  /* A transfer may hold part of an APDU or several; the header's length says
   * where each one ends (and it is at most 64 KiB, so the buffer is bounded). */
  while (self->operation != OPERATION_IDLE &&
         hp_ieee11073_apdu_complete (self->rx->data, self->rx->len, &frame_len))
    {
      g_autoptr(GBytes) frame = g_bytes_new (self->rx->data, frame_len);

      g_byte_array_remove_range (self->rx, 0, (guint) frame_len);
      handle_apdu (self, g_bytes_get_data (frame, NULL), frame_len);
    }
}

static void
on_closed (HpTransport  *transport G_GNUC_UNUSED,
           const GError *error,
           gpointer      user_data)
{
  HpPhdcDevice *self = user_data;
  g_autoptr(HpPhdcDevice) hold G_GNUC_UNUSED = g_object_ref (self);

  g_debug ("PHDC %s: link closed: %s", hp_device_get_id (HP_DEVICE (self)),
           error != NULL ? error->message : "no reason given");

  hp_device_set_state (HP_DEVICE (self), HP_DEVICE_STATE_DISCONNECTED);
  switch (self->operation)
    {
    case OPERATION_RELEASING:
      succeed (self);
      break;
    case OPERATION_WAITING_FOR_ASSOCIATION:
    case OPERATION_OPERATING:
      fail (self, HP_DEVICE_ERROR_DISCONNECTED, "The device was disconnected during the measurement");
      break;
    case OPERATION_IDLE:
      break;
    }
}

static gboolean
hp_phdc_device_start_measurement (HpDevice  *device,
                                  GError   **error)
{
  HpPhdcDevice *self = HP_PHDC_DEVICE (device);

  g_byte_array_set_size (self->rx, 0);
  g_clear_object (&self->pending);
  self->system_id_len = 0;

  if (!hp_transport_open (self->transport, error))
    return FALSE;

  self->operation = OPERATION_WAITING_FOR_ASSOCIATION;
  hp_device_set_phase (device, HP_MEASUREMENT_PHASE_WAITING_FOR_DEVICE);
  /* Many cuffs associate only once they have measured, so the wait for the
   * association gets the whole measurement allowance too. */
  arm_deadline (self, report_timeout_ms (self));
  return TRUE;
}

static void
hp_phdc_device_cancel_measurement (HpDevice *device)
{
  HpPhdcDevice *self = HP_PHDC_DEVICE (device);

  if (is_associated (self))
    send_abort (self, HP_IEEE11073_ABORT_UNDEFINED);
  finish (self);
  g_clear_object (&self->pending);
}

static void
hp_phdc_device_constructed (GObject *object)
{
  HpPhdcDevice *self = HP_PHDC_DEVICE (object);

  G_OBJECT_CLASS (hp_phdc_device_parent_class)->constructed (object);

  g_assert (self->transport != NULL);
  self->received_id = g_signal_connect (self->transport, "received", G_CALLBACK (on_received), self);
  self->closed_id = g_signal_connect (self->transport, "closed", G_CALLBACK (on_closed), self);
  hp_device_set_state (HP_DEVICE (self), HP_DEVICE_STATE_READY);
}

static void
hp_phdc_device_dispose (GObject *object)
{
  HpPhdcDevice *self = HP_PHDC_DEVICE (object);

  if (self->transport != NULL)
    {
      if (self->operation != OPERATION_IDLE)
        {
          if (is_associated (self))
            send_abort (self, HP_IEEE11073_ABORT_UNDEFINED);
          finish (self);
        }
      g_clear_signal_handler (&self->received_id, self->transport);
      g_clear_signal_handler (&self->closed_id, self->transport);
      g_clear_object (&self->transport);
    }
  clear_deadline (self);
  g_clear_object (&self->pending);

  G_OBJECT_CLASS (hp_phdc_device_parent_class)->dispose (object);
}

static void
hp_phdc_device_finalize (GObject *object)
{
  HpPhdcDevice *self = HP_PHDC_DEVICE (object);

  g_byte_array_unref (self->rx);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (hp_phdc_device_parent_class)->finalize (object);
}

static void
hp_phdc_device_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  HpPhdcDevice *self = HP_PHDC_DEVICE (object);

  switch (prop_id)
    {
    case PROP_TRANSPORT:
      g_value_set_object (value, self->transport);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hp_phdc_device_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  HpPhdcDevice *self = HP_PHDC_DEVICE (object);

  switch (prop_id)
    {
    case PROP_TRANSPORT:
      self->transport = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hp_phdc_device_class_init (HpPhdcDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  HpDeviceClass *device_class = HP_DEVICE_CLASS (klass);

  object_class->constructed = hp_phdc_device_constructed;
  object_class->dispose = hp_phdc_device_dispose;
  object_class->finalize = hp_phdc_device_finalize;
  object_class->get_property = hp_phdc_device_get_property;
  object_class->set_property = hp_phdc_device_set_property;

  device_class->start_measurement = hp_phdc_device_start_measurement;
  device_class->cancel_measurement = hp_phdc_device_cancel_measurement;

  properties[PROP_TRANSPORT] =
    g_param_spec_object ("transport", NULL, NULL, HP_TYPE_TRANSPORT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hp_phdc_device_init (HpPhdcDevice *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->rx = g_byte_array_new ();
  self->measurement_allowance_ms = HP_PHDC_DEFAULT_MEASUREMENT_ALLOWANCE_MS;
  self->response_timeout_ms = HP_PHDC_RESPONSE_TIMEOUT_MS;
}

HpDevice *
hp_phdc_device_new (const char        *id,
                    const char        *name,
                    HpMeasurementKind  kind,
                    HpTransport       *transport)
{
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (kind <= HP_MEASUREMENT_KIND_LAST, NULL);
  g_return_val_if_fail (HP_IS_TRANSPORT (transport), NULL);

  return g_object_new (HP_TYPE_PHDC_DEVICE,
                       "id", id,
                       "name", name,
                       "kind", (guint) kind,
                       "transport", transport,
                       NULL);
}

void
hp_phdc_device_set_timeouts (HpPhdcDevice *self,
                             guint         measurement_allowance_ms,
                             guint         response_timeout_ms)
{
  g_return_if_fail (HP_IS_PHDC_DEVICE (self));
  g_return_if_fail (response_timeout_ms > 0);

  self->measurement_allowance_ms = measurement_allowance_ms;
  self->response_timeout_ms = response_timeout_ms;
}

HpTransport *
hp_phdc_device_get_transport (HpPhdcDevice *self)
{
  g_return_val_if_fail (HP_IS_PHDC_DEVICE (self), NULL);
  return self->transport;
}

/* IEEE 11073-20601 specializations (MDC_DEV_SPEC_PROFILE_*) as listed in the
 * PHDC 11073 function descriptor. */
#define SPECIALIZATION_BLOOD_PRESSURE 0x1007
#define SPECIALIZATION_WEIGHING_SCALE 0x100F
#define SPECIALIZATION_GLUCOSE        0x1011

static HpDevice *
create_from_usb (const char            *id,
                 const HpUsbDeviceInfo *info,
                 HpTransport           *transport)
{
  HpMeasurementKind kind = HP_MEASUREMENT_KIND_BLOOD_PRESSURE;

  for (gsize i = 0; i < info->n_specializations; i++)
    {
      switch (info->specializations[i])
        {
        case SPECIALIZATION_BLOOD_PRESSURE:
          kind = HP_MEASUREMENT_KIND_BLOOD_PRESSURE;
          break;
        case SPECIALIZATION_WEIGHING_SCALE:
          kind = HP_MEASUREMENT_KIND_BODY_WEIGHT;
          break;
        case SPECIALIZATION_GLUCOSE:
          kind = HP_MEASUREMENT_KIND_BLOOD_GLUCOSE;
          break;
        default:
          continue;
        }
      break;
    }
  return hp_phdc_device_new (id, info->model, kind, transport);
}

static const HpUsbMatch phdc_matches[] = {
  { .kind = HP_USB_MATCH_INTERFACE_CLASS, .interface_class = 0x0F },
};

const HpDriver hp_phdc_driver = {
  .protocol = "ieee11073",
  .description = "IEEE 11073-20601 Personal Health Device over USB PHDC",
  .transport_kind = HP_TRANSPORT_KIND_BULK_STREAM,
  .matches = phdc_matches,
  .n_matches = G_N_ELEMENTS (phdc_matches),
  .create = create_from_usb,
  .decode = NULL,
};
