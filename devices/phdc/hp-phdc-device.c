/* A Personal Health Device (IEEE 11073-20601) driver: the kiosk as manager, over any transport. */
#include "hp-phdc-device.h"

#include <math.h>
#include <string.h>

#include "hp-device-private.h"
#include "hp-transport-device-private.h"
#include "hp-ieee11073.h"

typedef enum {
  OPERATION_IDLE,
  OPERATION_WAITING_FOR_ASSOCIATION,
  OPERATION_WAITING_FOR_CONFIGURATION,
  OPERATION_OPERATING,
  OPERATION_RELEASING,
} Operation;

struct _HpPhdcDevice
{
  HpTransportDevice parent_instance;


  guint measurement_allowance_ms;
  guint response_timeout_ms;
  guint configuration_timeout_ms;

  Operation operation;
  HpIeee11073Config *config;   /* of the running association */
  gboolean config_refused;     /* we answered its configuration "unsupported" */
  gboolean saw_old_readings;   /* reports held readings, none new */
  GByteArray *rx;
  guint8 system_id[HP_IEEE11073_SYSTEM_ID_MAX];
  gsize system_id_len;
  HpMeasurement *pending;
};

G_DEFINE_FINAL_TYPE (HpPhdcDevice, hp_phdc_device, HP_TYPE_TRANSPORT_DEVICE)

/* The manager's own EUI-64 in AARE. A fixed value is enough while the kiosk
 * is the only manager the agent meets. */
static const guint8 manager_system_id[8] = { 'H', 'P', 'K', 'I', 'O', 'S', 'K', 0x01 };

/* ---- learned configurations ---------------------------------------------- */

/* Keyed "system-id-hex/config-id"; values are HpIeee11073LearnedConfig. */
static GHashTable *learned_configs;
G_LOCK_DEFINE_STATIC (learned_configs);

static char *
learned_key (const guint8 *system_id,
             gsize         system_id_len,
             guint16       dev_config_id)
{
  g_autofree char *hex = hp_ieee11073_system_id_to_string (system_id, system_id_len);

  return g_strdup_printf ("%s/%04x", hex, dev_config_id);
}

static GHashTable *
learned_table (void)
{
  if (learned_configs == NULL)
    learned_configs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) hp_ieee11073_learned_config_free);
  return learned_configs;
}

static void
remember_config (const guint8            *system_id,
                 gsize                    system_id_len,
                 const HpIeee11073Config *config)
{
  HpIeee11073LearnedConfig *entry = g_new0 (HpIeee11073LearnedConfig, 1);

  memcpy (entry->system_id, system_id, system_id_len);
  entry->system_id_len = system_id_len;
  entry->config = hp_ieee11073_config_copy (config);

  G_LOCK (learned_configs);
  g_hash_table_replace (learned_table (), learned_key (system_id, system_id_len, config->dev_config_id), entry);
  G_UNLOCK (learned_configs);
}

static HpIeee11073Config *
recall_config (const guint8 *system_id,
               gsize         system_id_len,
               guint16       dev_config_id)
{
  g_autofree char *key = learned_key (system_id, system_id_len, dev_config_id);
  HpIeee11073LearnedConfig *entry;
  HpIeee11073Config *config = NULL;

  G_LOCK (learned_configs);
  entry = g_hash_table_lookup (learned_table (), key);
  if (entry != NULL)
    config = hp_ieee11073_config_copy (entry->config);
  G_UNLOCK (learned_configs);
  return config;
}

GBytes *
hp_phdc_device_save_learned_configurations (void)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GList) keys = NULL;

  G_LOCK (learned_configs);
  /* Sorted keys make the blob the same for the same configurations. */
  keys = g_list_sort (g_hash_table_get_keys (learned_table ()), (GCompareFunc) g_strcmp0);
  for (GList *l = keys; l != NULL; l = l->next)
    g_ptr_array_add (entries, g_hash_table_lookup (learned_configs, l->data));
  hp_ieee11073_encode_learned_configs (out, entries);
  G_UNLOCK (learned_configs);

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

gboolean
hp_phdc_device_load_learned_configurations (GBytes  *blob,
                                            GError **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  gsize size;
  const guint8 *data;

  g_return_val_if_fail (blob != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = g_bytes_get_data (blob, &size);
  entries = hp_ieee11073_decode_learned_configs (data, size, error);
  if (entries == NULL)
    return FALSE;
  for (guint i = 0; i < entries->len; i++)
    {
      const HpIeee11073LearnedConfig *entry = g_ptr_array_index (entries, i);

      remember_config (entry->system_id, entry->system_id_len, entry->config);
    }
  return TRUE;
}

void
hp_phdc_device_forget_learned_configurations (void)
{
  G_LOCK (learned_configs);
  if (learned_configs != NULL)
    g_hash_table_remove_all (learned_configs);
  G_UNLOCK (learned_configs);
}

guint
hp_phdc_device_count_learned_configurations (void)
{
  guint n;

  G_LOCK (learned_configs);
  n = g_hash_table_size (learned_table ());
  G_UNLOCK (learned_configs);
  return n;
}

/* ---- from observations to measurements -------------------------------------- */

/* The specialization a configuration belongs to: the kind of the first
 * numeric object the kiosk can record, whose unit it knows. */
static gboolean
config_kind (const HpIeee11073Config *config,
             HpMeasurementKind       *kind)
{
  for (guint i = 0; i < config->n_objects; i++)
    {
      const HpIeee11073ConfigObject *object = &config->objects[i];

      if (object->obj_class != HP_IEEE11073_CLASS_METRIC_NUMERIC)
        continue;
      switch (object->type)
        {
        case HP_IEEE11073_SCADA (HP_IEEE11073_MDC_PRESS_BLD_NONINV):
          if (object->unit_code == HP_IEEE11073_MDC_DIM_MMHG || object->unit_code == HP_IEEE11073_MDC_DIM_KILO_PASCAL)
            {
              *kind = HP_MEASUREMENT_KIND_BLOOD_PRESSURE;
              return TRUE;
            }
          break;
        case HP_IEEE11073_SCADA (HP_IEEE11073_MDC_MASS_BODY_ACTUAL):
          if (object->unit_code == HP_IEEE11073_MDC_DIM_KILO_G || object->unit_code == HP_IEEE11073_MDC_DIM_LB)
            {
              *kind = HP_MEASUREMENT_KIND_BODY_WEIGHT;
              return TRUE;
            }
          break;
        case HP_IEEE11073_SCADA (HP_IEEE11073_MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD):
          if (object->unit_code == HP_IEEE11073_MDC_DIM_MILLI_G_PER_DL ||
              object->unit_code == HP_IEEE11073_MDC_DIM_MILLI_MOLE_PER_L)
            {
              *kind = HP_MEASUREMENT_KIND_BLOOD_GLUCOSE;
              return TRUE;
            }
          break;
        default:
          break;
        }
    }
  return FALSE;
}

static const char *
kind_description (HpMeasurementKind kind)
{
  switch (kind)
    {
    case HP_MEASUREMENT_KIND_BLOOD_PRESSURE:
      return "blood-pressure monitor";
    case HP_MEASUREMENT_KIND_BODY_WEIGHT:
      return "weighing scale";
    case HP_MEASUREMENT_KIND_BLOOD_GLUCOSE:
      return "glucose meter";
    default:
      return "device";
    }
}

typedef struct {
  HpMeasurement *measurement;
  const HpIeee11073NumericObservation *obs;
} Candidate;

static void
candidate_clear (gpointer data)
{
  g_clear_object (&((Candidate *) data)->measurement);
}

static gboolean
same_time (const HpIeee11073NumericObservation *a,
           const HpIeee11073NumericObservation *b)
{
  if (a->time_valid != b->time_valid)
    return FALSE;
  return !a->time_valid || memcmp (&a->time, &b->time, sizeof a->time) == 0;
}

/* The unit of @obs if it is one the kiosk records for @quantity. */
static const char *
unit_for (const HpIeee11073NumericObservation *obs,
          HpQuantity                           quantity)
{
  const char *ucum = hp_ieee11073_unit_to_ucum (obs->unit_code);

  if (ucum == NULL)
    return NULL;
  switch (quantity)
    {
    case HP_QUANTITY_SYSTOLIC:
    case HP_QUANTITY_DIASTOLIC:
    case HP_QUANTITY_MEAN_ARTERIAL:
      return g_str_equal (ucum, "mm[Hg]") || g_str_equal (ucum, "kPa") ? ucum : NULL;
    case HP_QUANTITY_PULSE_RATE:
      return g_str_equal (ucum, "/min") ? ucum : NULL;
    case HP_QUANTITY_BODY_WEIGHT:
      return g_str_equal (ucum, "kg") || g_str_equal (ucum, "[lb_av]") ? ucum : NULL;
    case HP_QUANTITY_BLOOD_GLUCOSE:
      return g_str_equal (ucum, "mg/dL") || g_str_equal (ucum, "mmol/L") ? ucum : NULL;
    default:
      return NULL;
    }
}

/* Index of the value coded @code in @obs, or -1. Compounds without a
 * physio list are taken in the standard's order. */
static int
value_index (const HpIeee11073NumericObservation *obs,
             guint32                              code,
             int                                  standard_index)
{
  for (guint i = 0; i < obs->n_values; i++)
    if (obs->value_types[i] == code)
      return (int) i;
  if (standard_index < obs->n_values && obs->value_types[standard_index] == 0)
    return standard_index;
  return -1;
}

static gboolean
protocol_error (GError                             **error,
                const HpIeee11073NumericObservation *obs,
                gsize                               *error_offset,
                const char                          *what)
{
  if (error_offset != NULL)
    *error_offset = obs->offset;
  g_set_error (error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_PROTOCOL,
               "Object %u at byte %" G_GSIZE_FORMAT ": %s", obs->obj_handle, obs->offset, what);
  return FALSE;
}

/* Sets @quantity from value @index of @obs; a required value must be a
 * number, an optional one that is not is left out. */
static gboolean
take_value (HpMeasurement                       *measurement,
            const HpIeee11073NumericObservation *obs,
            int                                  index,
            HpQuantity                           quantity,
            gboolean                             required,
            gsize                               *error_offset,
            GError                             **error)
{
  const char *unit;

  if (index < 0)
    return required ? protocol_error (error, obs, error_offset, "a required value is missing") : TRUE;
  if ((obs->special_mask & (1u << index)) != 0 || !isfinite (obs->values[index]))
    {
      if (!required)
        return TRUE;
      return protocol_error (error, obs, error_offset,
                             "the device sent no number (NaN, NRes or infinity) for a required value");
    }
  unit = unit_for (obs, quantity);
  if (unit == NULL)
    {
      g_autofree char *what = g_strdup_printf ("unit code %u is not one the kiosk records for %s",
                                               obs->unit_code, hp_quantity_to_string (quantity));

      if (!required)
        return TRUE;
      return protocol_error (error, obs, error_offset, what);
    }
  hp_measurement_set_value (measurement, quantity, obs->values[index], unit);
  hp_measurement_set_mdc_code (measurement, quantity, obs->value_types[index]);
  return TRUE;
}

static void
set_time (HpMeasurement                       *measurement,
          const HpIeee11073NumericObservation *obs)
{
  if (obs->time_valid)
    {
      /* The standard's absolute time has no zone: devices show local time. */
      g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
      g_autoptr(GDateTime) device_time = hp_ieee11073_absolute_time_to_date_time (&obs->time, tz);

      hp_measurement_set_device_time (measurement, device_time);
    }
  if (obs->has_time && hp_measurement_get_device_time (measurement) == NULL)
    hp_measurement_set_flags (measurement, HP_MEASUREMENT_FLAG_DEVICE_CLOCK_INVALID);
}

/* Turns the observations of one scan report into readings of @kind, oldest
 * first as the report lists them. Of a multi-person report only the first
 * person's observations count: the kiosk serves one patient at a time. */
static GArray *
readings_from_report (HpMeasurementKind            kind,
                      const char                  *device_id,
                      const HpIeee11073ScanReport *report,
                      gsize                       *error_offset,
                      GError                     **error)
{
  g_autoptr(GArray) candidates = g_array_new (FALSE, TRUE, sizeof (Candidate));
  const HpIeee11073NumericObservation *all = (const HpIeee11073NumericObservation *) (const void *) report->observations->data;
  guint n = report->observations->len;
  guint16 person = n > 0 ? all[0].person_id : 0;

  g_array_set_clear_func (candidates, candidate_clear);

  for (guint i = 0; i < n; i++)
    {
      const HpIeee11073NumericObservation *obs = &all[i];
      g_autoptr(HpMeasurement) measurement = NULL;
      Candidate candidate;

      if (obs->person_id != person)
        continue;
      measurement = hp_measurement_new (kind);
      switch (kind)
        {
        case HP_MEASUREMENT_KIND_BLOOD_PRESSURE:
          if (obs->type != HP_IEEE11073_SCADA (HP_IEEE11073_MDC_PRESS_BLD_NONINV))
            continue;
          if (!take_value (measurement, obs, value_index (obs, HP_IEEE11073_SCADA (HP_IEEE11073_MDC_PRESS_BLD_NONINV_SYS), 0),
                           HP_QUANTITY_SYSTOLIC, TRUE, error_offset, error) ||
              !take_value (measurement, obs, value_index (obs, HP_IEEE11073_SCADA (HP_IEEE11073_MDC_PRESS_BLD_NONINV_DIA), 1),
                           HP_QUANTITY_DIASTOLIC, TRUE, error_offset, error) ||
              !take_value (measurement, obs, value_index (obs, HP_IEEE11073_SCADA (HP_IEEE11073_MDC_PRESS_BLD_NONINV_MEAN), 2),
                           HP_QUANTITY_MEAN_ARTERIAL, FALSE, error_offset, error))
            return NULL;
          break;
        case HP_MEASUREMENT_KIND_BODY_WEIGHT:
          if (obs->type != HP_IEEE11073_SCADA (HP_IEEE11073_MDC_MASS_BODY_ACTUAL))
            continue;
          if (!take_value (measurement, obs, 0, HP_QUANTITY_BODY_WEIGHT, TRUE, error_offset, error))
            return NULL;
          break;
        case HP_MEASUREMENT_KIND_BLOOD_GLUCOSE:
          if (obs->type != HP_IEEE11073_SCADA (HP_IEEE11073_MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD))
            continue;
          if (!take_value (measurement, obs, 0, HP_QUANTITY_BLOOD_GLUCOSE, TRUE, error_offset, error))
            return NULL;
          break;
        default:
          continue;
        }
      hp_measurement_set_device_id (measurement, device_id);
      set_time (measurement, obs);
      candidate.measurement = g_steal_pointer (&measurement);
      candidate.obs = obs;
      g_array_append_val (candidates, candidate);
    }

  /* A pulse rate belongs to the pressure reading stamped with the same time
   * (the last one when several are). */
  if (kind == HP_MEASUREMENT_KIND_BLOOD_PRESSURE)
    for (guint i = 0; i < n; i++)
      {
        const HpIeee11073NumericObservation *obs = &all[i];

        if (obs->person_id != person || obs->type != HP_IEEE11073_SCADA (HP_IEEE11073_MDC_PULS_RATE_NON_INV))
          continue;
        for (guint j = candidates->len; j > 0; j--)
          {
            Candidate *candidate = &g_array_index (candidates, Candidate, j - 1);

            if (same_time (candidate->obs, obs))
              {
                if (!take_value (candidate->measurement, obs, 0, HP_QUANTITY_PULSE_RATE, FALSE, error_offset, error))
                  return NULL;
                break;
              }
          }
      }
  return g_steal_pointer (&candidates);
}

/* The reading to give from @candidates: never one already given nor one
 * taken before @visit_start; of the rest the newest, where one without a
 * usable time counts as taken now (later ones in the report win ties). */
static HpMeasurement *
choose_reading (HpDevice *device,
                GArray   *candidates,
                gboolean *saw_old)
{
  GDateTime *visit_start = hp_device_get_visit_start (device);
  HpMeasurement *best = NULL;

  for (guint i = 0; i < candidates->len; i++)
    {
      HpMeasurement *measurement = g_array_index (candidates, Candidate, i).measurement;
      GDateTime *taken = hp_measurement_get_device_time (measurement);
      GDateTime *best_taken;

      if (hp_device_has_given (device, measurement) ||
          (visit_start != NULL && taken != NULL && g_date_time_compare (taken, visit_start) < 0))
        {
          *saw_old = TRUE;
          continue;
        }
      best_taken = best != NULL ? hp_measurement_get_device_time (best) : NULL;
      if (best == NULL || taken == NULL ||
          (best_taken != NULL && g_date_time_compare (taken, best_taken) >= 0))
        best = measurement;
    }
  return best != NULL ? g_object_ref (best) : NULL;
}

/* ---- the manager's state machine -------------------------------------------- */

static gboolean
is_associated (HpPhdcDevice *self)
{
  return self->operation == OPERATION_WAITING_FOR_CONFIGURATION ||
         self->operation == OPERATION_OPERATING ||
         self->operation == OPERATION_RELEASING;
}

/* Stops everything the running measurement started, without reporting. */
static void
finish (HpPhdcDevice *self)
{
  hp_transport_device_clear_deadline (HP_TRANSPORT_DEVICE (self));
  self->operation = OPERATION_IDLE;
  g_clear_pointer (&self->config, hp_ieee11073_config_free);
  g_byte_array_set_size (self->rx, 0);
  hp_transport_close (hp_transport_device_get_transport (HP_TRANSPORT_DEVICE (self)));
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

/* What the agent sent while no reading was new: the patient's reading was
 * not taken during this visit. */
static void
fail_no_reading (HpPhdcDevice  *self,
                 HpDeviceError  code,
                 const char    *message)
{
  if (self->saw_old_readings)
    fail (self, HP_DEVICE_ERROR_NO_NEW_READING,
          "The device holds no reading taken during this visit");
  else
    fail (self, code, "%s", message);
}

static gboolean
send_apdu (HpPhdcDevice *self,
           GByteArray   *apdu)
{
  g_autoptr(GBytes) bytes = g_byte_array_free_to_bytes (apdu);
  g_autoptr(GError) error = NULL;

  if (!hp_transport_send (hp_transport_device_get_transport (HP_TRANSPORT_DEVICE (self)), bytes, &error))
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
  hp_transport_send (hp_transport_device_get_transport (HP_TRANSPORT_DEVICE (self)), bytes, NULL);
}

static const char *
abort_reason_to_string (guint16 reason)
{
  switch (reason)
    {
    case HP_IEEE11073_ABORT_UNDEFINED:
      return "undefined";
    case HP_IEEE11073_ABORT_BUFFER_OVERFLOW:
      return "buffer overflow";
    case HP_IEEE11073_ABORT_RESPONSE_TIMEOUT:
      return "response timeout";
    case HP_IEEE11073_ABORT_CONFIGURATION_TIMEOUT:
      return "configuration timeout";
    default:
      return "unknown reason";
    }
}

static void
deadline_passed (HpTransportDevice *device)
{
  HpPhdcDevice *self = HP_PHDC_DEVICE (device);

  switch (self->operation)
    {
    case OPERATION_WAITING_FOR_ASSOCIATION:
      fail (self, HP_DEVICE_ERROR_TIMEOUT, "The device did not connect in time");
      break;
    case OPERATION_WAITING_FOR_CONFIGURATION:
      send_abort (self, HP_IEEE11073_ABORT_CONFIGURATION_TIMEOUT);
      if (self->config_refused)
        fail (self, HP_DEVICE_ERROR_UNSUPPORTED,
              "The device's configuration holds no measurement the kiosk can record");
      else
        fail (self, HP_DEVICE_ERROR_TIMEOUT, "The device did not send its configuration in time");
      break;
    case OPERATION_OPERATING:
      send_abort (self, HP_IEEE11073_ABORT_RESPONSE_TIMEOUT);
      fail_no_reading (self, HP_DEVICE_ERROR_TIMEOUT, "The device did not send a reading in time");
      break;
    case OPERATION_RELEASING:
      /* The reading is confirmed; a missing RLRE does not make it wrong. */
      g_debug ("PHDC %s: no release response, aborting the association", hp_device_get_id (HP_DEVICE (self)));
      send_abort (self, HP_IEEE11073_ABORT_RESPONSE_TIMEOUT);
      succeed (self);
      break;
    case OPERATION_IDLE:
      break;
    }
}

static void
arm_deadline (HpPhdcDevice *self,
              guint         timeout_ms)
{
  hp_transport_device_set_deadline (HP_TRANSPORT_DEVICE (self), timeout_ms, deadline_passed);
}

static guint
report_timeout_ms (HpPhdcDevice *self)
{
  return self->measurement_allowance_ms + self->response_timeout_ms;
}

static void
start_operating (HpPhdcDevice *self)
{
  self->operation = OPERATION_OPERATING;
  hp_device_set_phase (HP_DEVICE (self), HP_MEASUREMENT_PHASE_MEASURING);
  arm_deadline (self, report_timeout_ms (self));
}

static void
reject_association (HpPhdcDevice  *self,
                    guint16        result,
                    HpDeviceError  code,
                    const char    *message)
{
  GByteArray *aare = g_byte_array_new ();

  hp_ieee11073_encode_aare (aare, result, manager_system_id, sizeof manager_system_id);
  if (send_apdu (self, aare))
    fail (self, code, "%s (association result %u)", message, result);
}

static void
handle_association_request (HpPhdcDevice          *self,
                            const HpIeee11073Aarq *aarq)
{
  HpMeasurementKind expected = hp_device_get_kind (HP_DEVICE (self)), kind;
  guint16 config_id = aarq->info.dev_config_id;
  GByteArray *aare;

  if ((aarq->assoc_version & HP_IEEE11073_ASSOC_VERSION1) == 0)
    {
      reject_association (self, HP_IEEE11073_ASSOC_REJECTED_UNSUPPORTED_ASSOC_VERSION, HP_DEVICE_ERROR_UNSUPPORTED,
                          "The device asked for an association version the kiosk does not speak");
      return;
    }
  if (!aarq->has_20601)
    {
      reject_association (self, HP_IEEE11073_ASSOC_REJECTED_NO_COMMON_PROTOCOL, HP_DEVICE_ERROR_UNSUPPORTED,
                          "The device does not offer IEEE 11073-20601");
      return;
    }
  if ((aarq->info.encoding_rules & HP_IEEE11073_ENCODING_MDER) == 0 ||
      (aarq->info.protocol_version & HP_IEEE11073_PROTOCOL_VERSION1) == 0)
    {
      reject_association (self, HP_IEEE11073_ASSOC_REJECTED_NO_COMMON_PARAMETER, HP_DEVICE_ERROR_UNSUPPORTED,
                          "The device does not offer protocol version 1 with MDER encoding");
      return;
    }

  memcpy (self->system_id, aarq->info.system_id, aarq->info.system_id_len);
  self->system_id_len = aarq->info.system_id_len;

  g_clear_pointer (&self->config, hp_ieee11073_config_free);
  self->config = hp_ieee11073_config_new_standard (config_id);
  if (self->config == NULL)
    self->config = recall_config (self->system_id, self->system_id_len, config_id);

  if (self->config == NULL)
    {
      /* Unknown (extended, or a standard one the kiosk lacks): ask for it. */
      aare = g_byte_array_new ();
      hp_ieee11073_encode_aare (aare, HP_IEEE11073_ASSOC_ACCEPTED_UNKNOWN_CONFIG,
                                manager_system_id, sizeof manager_system_id);
      if (!send_apdu (self, aare))
        return;
      g_debug ("PHDC %s: associated, configuration 0x%04x to be learned", hp_device_get_id (HP_DEVICE (self)),
               config_id);
      self->operation = OPERATION_WAITING_FOR_CONFIGURATION;
      self->config_refused = FALSE;
      arm_deadline (self, self->configuration_timeout_ms);
      return;
    }

  if (!config_kind (self->config, &kind) || kind != expected)
    {
      g_autofree char *message =
        g_strdup_printf ("The device's configuration 0x%04x is not one of a %s", config_id, kind_description (expected));

      reject_association (self, HP_IEEE11073_ASSOC_REJECTED_PERMANENT, HP_DEVICE_ERROR_UNSUPPORTED, message);
      return;
    }

  aare = g_byte_array_new ();
  hp_ieee11073_encode_aare (aare, HP_IEEE11073_ASSOC_ACCEPTED, manager_system_id, sizeof manager_system_id);
  if (!send_apdu (self, aare))
    return;
  g_debug ("PHDC %s: associated, configuration 0x%04x", hp_device_get_id (HP_DEVICE (self)), config_id);
  start_operating (self);
}

static gboolean
answer_config (HpPhdcDevice              *self,
               const HpIeee11073DataApdu *prst,
               guint16                    config_id,
               guint16                    result)
{
  GByteArray *apdu = g_byte_array_new ();

  hp_ieee11073_encode_config_report_response (apdu, prst->invoke_id, config_id, result);
  return send_apdu (self, apdu);
}

static void
handle_config_report (HpPhdcDevice              *self,
                      const HpIeee11073DataApdu *prst)
{
  HpMeasurementKind expected = hp_device_get_kind (HP_DEVICE (self)), kind;
  g_autoptr(HpIeee11073Config) config = NULL;
  g_autoptr(GError) error = NULL;

  config = hp_ieee11073_decode_config_report (prst, NULL, &error);
  if (config == NULL)
    {
      send_abort (self, HP_IEEE11073_ABORT_UNDEFINED);
      fail (self, HP_DEVICE_ERROR_PROTOCOL, "The device sent a configuration the kiosk cannot decode: %s",
            error->message);
      return;
    }

  if (!config_kind (config, &kind))
    {
      /* The agent may offer another configuration or give up. */
      g_debug ("PHDC %s: configuration 0x%04x holds nothing the kiosk records", hp_device_get_id (HP_DEVICE (self)),
               config->dev_config_id);
      self->config_refused = TRUE;
      if (answer_config (self, prst, config->dev_config_id, HP_IEEE11073_CONFIG_UNSUPPORTED))
        arm_deadline (self, self->configuration_timeout_ms);
      return;
    }

  /* A valid configuration of this agent, whichever kind it is. */
  remember_config (self->system_id, self->system_id_len, config);

  if (kind != expected)
    {
      if (answer_config (self, prst, config->dev_config_id, HP_IEEE11073_CONFIG_UNSUPPORTED))
        {
          send_abort (self, HP_IEEE11073_ABORT_UNDEFINED);
          fail (self, HP_DEVICE_ERROR_UNSUPPORTED, "The device is a %s, not a %s",
                kind_description (kind), kind_description (expected));
        }
      return;
    }

  if (!answer_config (self, prst, config->dev_config_id, HP_IEEE11073_CONFIG_ACCEPTED))
    return;
  g_debug ("PHDC %s: learned configuration 0x%04x", hp_device_get_id (HP_DEVICE (self)), config->dev_config_id);
  g_clear_pointer (&self->config, hp_ieee11073_config_free);
  self->config = g_steal_pointer (&config);
  start_operating (self);
}

static gboolean
is_scan_report (guint16 event_type)
{
  return event_type == HP_IEEE11073_NOTI_SCAN_REPORT_FIXED || event_type == HP_IEEE11073_NOTI_SCAN_REPORT_VAR ||
         event_type == HP_IEEE11073_NOTI_SCAN_REPORT_MP_FIXED || event_type == HP_IEEE11073_NOTI_SCAN_REPORT_MP_VAR;
}

static void
handle_scan_report (HpPhdcDevice              *self,
                    const HpIeee11073DataApdu *prst)
{
  HpMeasurementKind kind = hp_device_get_kind (HP_DEVICE (self));
  HpIeee11073ScanReport report;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) candidates = NULL;
  g_autofree char *device_id = NULL;
  GByteArray *apdu;

  if (!hp_ieee11073_decode_scan_report (prst, self->config, &report, NULL, &error))
    {
      hp_ieee11073_scan_report_clear (&report);
      send_abort (self, HP_IEEE11073_ABORT_UNDEFINED);
      fail (self, HP_DEVICE_ERROR_PROTOCOL, "The device sent a report the kiosk cannot decode: %s", error->message);
      return;
    }
  device_id = hp_ieee11073_system_id_to_string (self->system_id, self->system_id_len);
  candidates = readings_from_report (kind, device_id, &report, NULL, &error);
  hp_ieee11073_scan_report_clear (&report);
  if (candidates == NULL)
    {
      send_abort (self, HP_IEEE11073_ABORT_UNDEFINED);
      fail (self, (HpDeviceError) error->code, "The device sent a report the kiosk cannot use: %s", error->message);
      return;
    }

  g_clear_object (&self->pending);
  self->pending = choose_reading (HP_DEVICE (self), candidates, &self->saw_old_readings);

  if (prst->choice == HP_IEEE11073_ROIV_CONFIRMED_EVENT_REPORT)
    {
      apdu = g_byte_array_new ();
      hp_ieee11073_encode_event_report_response (apdu, prst->invoke_id, prst->obj_handle, 0, prst->event_type);
      if (!send_apdu (self, apdu))
        return;
    }
  if (self->pending == NULL)
    {
      /* Nothing new yet: a meter may send its history in several reports. */
      g_debug ("PHDC %s: report without a new reading", hp_device_get_id (HP_DEVICE (self)));
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
handle_data (HpPhdcDevice              *self,
             const HpIeee11073DataApdu *prst)
{
  gboolean invoke = prst->choice == HP_IEEE11073_ROIV_EVENT_REPORT ||
                    prst->choice == HP_IEEE11073_ROIV_CONFIRMED_EVENT_REPORT;

  if (!invoke)
    {
      /* Results, errors and rejections of invocations the kiosk never made. */
      g_debug ("PHDC %s: ignoring data APDU choice 0x%04x", hp_device_get_id (HP_DEVICE (self)), prst->choice);
      return;
    }

  if (self->operation == OPERATION_WAITING_FOR_CONFIGURATION)
    {
      if (prst->event_type == HP_IEEE11073_NOTI_CONFIG)
        handle_config_report (self, prst);
      else
        {
          send_abort (self, HP_IEEE11073_ABORT_UNDEFINED);
          fail (self, HP_DEVICE_ERROR_PROTOCOL, "The device sent event report 0x%04x before its configuration",
                prst->event_type);
        }
      return;
    }

  if (!is_scan_report (prst->event_type))
    {
      send_abort (self, HP_IEEE11073_ABORT_UNDEFINED);
      fail (self, HP_DEVICE_ERROR_PROTOCOL, "The device sent an unsupported event report 0x%04x", prst->event_type);
      return;
    }
  handle_scan_report (self, prst);
}

static void
send_release_response (HpPhdcDevice *self)
{
  GByteArray *reply = g_byte_array_new ();

  hp_ieee11073_encode_rlre (reply, HP_IEEE11073_RELEASE_NORMAL);
  send_apdu (self, reply);
}

static void
handle_apdu (HpPhdcDevice *self,
             const guint8 *data,
             gsize         len)
{
  g_autoptr(GError) error = NULL;
  HpIeee11073Apdu apdu;

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
          send_release_response (self);
          break;
        case HP_IEEE11073_APDU_AARE:
        case HP_IEEE11073_APDU_RLRE:
        case HP_IEEE11073_APDU_ABRT:
          break;
        }
      break;

    case OPERATION_WAITING_FOR_CONFIGURATION:
    case OPERATION_OPERATING:
      switch (apdu.type)
        {
        case HP_IEEE11073_APDU_PRST:
          handle_data (self, &apdu.u.prst);
          break;
        case HP_IEEE11073_APDU_RLRQ:
          send_release_response (self);
          if (self->operation == OPERATION_IDLE)
            break;
          if (self->config_refused)
            fail (self, HP_DEVICE_ERROR_UNSUPPORTED,
                  "The device's configuration holds no measurement the kiosk can record");
          else
            fail_no_reading (self, HP_DEVICE_ERROR_PROTOCOL,
                             "The device ended the session before sending a reading");
          break;
        case HP_IEEE11073_APDU_ABRT:
          fail (self, HP_DEVICE_ERROR_PROTOCOL, "The device aborted the session (%s)",
                abort_reason_to_string (apdu.u.abort_reason));
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
          send_release_response (self);
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
hp_phdc_device_received (HpTransportDevice *device,
                         GBytes            *bytes)
{
  HpPhdcDevice *self = HP_PHDC_DEVICE (device);
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
hp_phdc_device_closed (HpTransportDevice *device,
                       const GError      *error)
{
  HpPhdcDevice *self = HP_PHDC_DEVICE (device);

  g_debug ("PHDC %s: link closed: %s", hp_device_get_id (HP_DEVICE (self)),
           error != NULL ? error->message : "no reason given");

  hp_device_set_state (HP_DEVICE (self), HP_DEVICE_STATE_DISCONNECTED);
  switch (self->operation)
    {
    case OPERATION_RELEASING:
      succeed (self);
      break;
    case OPERATION_WAITING_FOR_ASSOCIATION:
    case OPERATION_WAITING_FOR_CONFIGURATION:
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
  self->saw_old_readings = FALSE;
  self->config_refused = FALSE;

  if (!hp_transport_open (hp_transport_device_get_transport (HP_TRANSPORT_DEVICE (self)), error))
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
hp_phdc_device_dispose (GObject *object)
{
  HpPhdcDevice *self = HP_PHDC_DEVICE (object);

  /* finish() closes the transport, which the parent drops on a first dispose. */
  if (self->operation != OPERATION_IDLE && hp_transport_device_get_transport (HP_TRANSPORT_DEVICE (self)) != NULL)
    {
      if (is_associated (self))
        send_abort (self, HP_IEEE11073_ABORT_UNDEFINED);
      finish (self);
    }
  g_clear_object (&self->pending);
  g_clear_pointer (&self->config, hp_ieee11073_config_free);

  G_OBJECT_CLASS (hp_phdc_device_parent_class)->dispose (object);
}

static void
hp_phdc_device_finalize (GObject *object)
{
  HpPhdcDevice *self = HP_PHDC_DEVICE (object);

  g_byte_array_unref (self->rx);

  G_OBJECT_CLASS (hp_phdc_device_parent_class)->finalize (object);
}

static void
hp_phdc_device_class_init (HpPhdcDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  HpDeviceClass *device_class = HP_DEVICE_CLASS (klass);
  HpTransportDeviceClass *transport_device_class = HP_TRANSPORT_DEVICE_CLASS (klass);

  object_class->dispose = hp_phdc_device_dispose;
  object_class->finalize = hp_phdc_device_finalize;

  device_class->start_measurement = hp_phdc_device_start_measurement;
  device_class->cancel_measurement = hp_phdc_device_cancel_measurement;

  transport_device_class->received = hp_phdc_device_received;
  transport_device_class->closed = hp_phdc_device_closed;
}

static void
hp_phdc_device_init (HpPhdcDevice *self)
{
  self->rx = g_byte_array_new ();
  self->measurement_allowance_ms = HP_PHDC_DEFAULT_MEASUREMENT_ALLOWANCE_MS;
  self->response_timeout_ms = HP_PHDC_RESPONSE_TIMEOUT_MS;
  self->configuration_timeout_ms = HP_PHDC_CONFIGURATION_TIMEOUT_MS;
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
                       "kind", kind,
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

void
hp_phdc_device_set_configuration_timeout (HpPhdcDevice *self,
                                          guint         configuration_timeout_ms)
{
  g_return_if_fail (HP_IS_PHDC_DEVICE (self));
  g_return_if_fail (configuration_timeout_ms > 0);

  self->configuration_timeout_ms = configuration_timeout_ms;
}

HpTransport *
hp_phdc_device_get_transport (HpPhdcDevice *self)
{
  g_return_val_if_fail (HP_IS_PHDC_DEVICE (self), NULL);
  return hp_transport_device_get_transport (HP_TRANSPORT_DEVICE (self));
}

/* What of a manager's APDU another manager would send alike: an
 * association response's result (its system id and options are the
 * manager's own); a data APDU's invoke id and kind (a response's time
 * stamp is the manager's own: antidote's says FF FF FF FF, ours 0); every
 * other APDU whole. */
static gsize
replay_significant (const guint8 *apdu,
                    gsize         len)
{
  if (len >= 6 && apdu[0] == 0xE3)
    return 6;
  if (len >= 10 && apdu[0] == 0xE7)
    return 10;
  return len;
}

/* IEEE 11073-20601 specializations (MDC_DEV_SPEC_PROFILE_*) as listed in the
 * PHDC 11073 function descriptor. */
#define SPECIALIZATION_BLOOD_PRESSURE 0x1007
#define SPECIALIZATION_WEIGHING_SCALE 0x100F
#define SPECIALIZATION_GLUCOSE        0x1011

guint16
hp_phdc_specialization_for_kind (HpMeasurementKind kind)
{
  switch (kind)
    {
    case HP_MEASUREMENT_KIND_BLOOD_PRESSURE:
      return SPECIALIZATION_BLOOD_PRESSURE;
    case HP_MEASUREMENT_KIND_BODY_WEIGHT:
      return SPECIALIZATION_WEIGHING_SCALE;
    case HP_MEASUREMENT_KIND_BLOOD_GLUCOSE:
      return SPECIALIZATION_GLUCOSE;
    default:
      g_return_val_if_reached (0);
    }
}

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
  .replay_significant = replay_significant,
};
