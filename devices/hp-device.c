/* A measuring device the kiosk can use: its identity, its state, and the readings it gives. */
#include "hp-device-private.h"

#include "hp-data-enums.h"
#include "hp-device-enums.h"
#include "hp-plausibility.h"

typedef struct
{
  char *id;
  char *name;
  HpMeasurementKind kind;
  HpDeviceState state;
  HpMeasurementPhase phase;
  GDateTime *visit_start;
  /* Dedupe keys of the readings given, so a history is never read twice. */
  GHashTable *given;
} HpDevicePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (HpDevice, hp_device, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_KIND,
  PROP_STATE,
  PROP_PHASE,
  N_PROPS
};

enum {
  SIGNAL_MEASUREMENT_READY,
  SIGNAL_MEASUREMENT_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
hp_device_finalize (GObject *object)
{
  HpDevicePrivate *priv = hp_device_get_instance_private (HP_DEVICE (object));

  g_free (priv->id);
  g_free (priv->name);
  g_clear_pointer (&priv->visit_start, g_date_time_unref);
  g_clear_pointer (&priv->given, g_hash_table_unref);

  G_OBJECT_CLASS (hp_device_parent_class)->finalize (object);
}

static void
hp_device_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  HpDevicePrivate *priv = hp_device_get_instance_private (HP_DEVICE (object));

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, priv->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, priv->name);
      break;
    case PROP_KIND:
      g_value_set_enum (value, priv->kind);
      break;
    case PROP_STATE:
      g_value_set_enum (value, priv->state);
      break;
    case PROP_PHASE:
      g_value_set_enum (value, priv->phase);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hp_device_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  HpDevicePrivate *priv = hp_device_get_instance_private (HP_DEVICE (object));

  switch (prop_id)
    {
    case PROP_ID:
      priv->id = g_value_dup_string (value);
      break;
    case PROP_NAME:
      priv->name = g_value_dup_string (value);
      break;
    case PROP_KIND:
      priv->kind = g_value_get_enum (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hp_device_class_init (HpDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hp_device_finalize;
  object_class->get_property = hp_device_get_property;
  object_class->set_property = hp_device_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       HP_TYPE_MEASUREMENT_KIND, HP_MEASUREMENT_KIND_BLOOD_PRESSURE,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       HP_TYPE_DEVICE_STATE, HP_DEVICE_STATE_DISCONNECTED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PHASE] =
    g_param_spec_enum ("phase", NULL, NULL,
                       HP_TYPE_MEASUREMENT_PHASE, HP_MEASUREMENT_PHASE_IDLE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_MEASUREMENT_READY] =
    g_signal_new ("measurement-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, HP_TYPE_MEASUREMENT);
  signals[SIGNAL_MEASUREMENT_FAILED] =
    g_signal_new ("measurement-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
hp_device_init (HpDevice *self)
{
  HpDevicePrivate *priv = hp_device_get_instance_private (self);

  /* A subclass says READY once its link to the device is up. */
  priv->state = HP_DEVICE_STATE_DISCONNECTED;
  priv->phase = HP_MEASUREMENT_PHASE_IDLE;
  priv->given = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

const char *
hp_device_get_id (HpDevice *self)
{
  HpDevicePrivate *priv = hp_device_get_instance_private (self);

  g_return_val_if_fail (HP_IS_DEVICE (self), NULL);
  return priv->id;
}

const char *
hp_device_get_name (HpDevice *self)
{
  HpDevicePrivate *priv = hp_device_get_instance_private (self);

  g_return_val_if_fail (HP_IS_DEVICE (self), NULL);
  return priv->name;
}

HpMeasurementKind
hp_device_get_kind (HpDevice *self)
{
  HpDevicePrivate *priv = hp_device_get_instance_private (self);

  g_return_val_if_fail (HP_IS_DEVICE (self), HP_MEASUREMENT_KIND_BLOOD_PRESSURE);
  return priv->kind;
}

HpDeviceState
hp_device_get_state (HpDevice *self)
{
  HpDevicePrivate *priv = hp_device_get_instance_private (self);

  g_return_val_if_fail (HP_IS_DEVICE (self), HP_DEVICE_STATE_DISCONNECTED);
  return priv->state;
}

HpMeasurementPhase
hp_device_get_phase (HpDevice *self)
{
  HpDevicePrivate *priv = hp_device_get_instance_private (self);

  g_return_val_if_fail (HP_IS_DEVICE (self), HP_MEASUREMENT_PHASE_IDLE);
  return priv->phase;
}

void
hp_device_set_state (HpDevice      *self,
                     HpDeviceState  state)
{
  HpDevicePrivate *priv = hp_device_get_instance_private (self);

  g_return_if_fail (HP_IS_DEVICE (self));

  if (priv->state == state)
    return;
  priv->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
hp_device_set_phase (HpDevice           *self,
                     HpMeasurementPhase  phase)
{
  HpDevicePrivate *priv = hp_device_get_instance_private (self);

  g_return_if_fail (HP_IS_DEVICE (self));

  if (priv->phase == phase)
    return;
  priv->phase = phase;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHASE]);
}

gboolean
hp_device_start_measurement (HpDevice  *self,
                             GError   **error)
{
  HpDevicePrivate *priv = hp_device_get_instance_private (self);
  g_autoptr(HpDevice) hold G_GNUC_UNUSED = NULL;

  g_return_val_if_fail (HP_IS_DEVICE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  g_return_val_if_fail (HP_DEVICE_GET_CLASS (self)->start_measurement != NULL, FALSE);

  switch (priv->state)
    {
    case HP_DEVICE_STATE_DISCONNECTED:
    case HP_DEVICE_STATE_ERROR:
      g_set_error (error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_NOT_CONNECTED,
                   "Device “%s” is not connected", priv->name != NULL ? priv->name : priv->id);
      return FALSE;
    case HP_DEVICE_STATE_MEASURING:
      g_set_error (error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_BUSY,
                   "Device “%s” is already measuring", priv->name != NULL ? priv->name : priv->id);
      return FALSE;
    case HP_DEVICE_STATE_READY:
      break;
    }

  /* Handlers of the notifications below may drop the last reference. */
  hold = g_object_ref (self);
  hp_device_set_state (self, HP_DEVICE_STATE_MEASURING);
  if (!HP_DEVICE_GET_CLASS (self)->start_measurement (self, error))
    {
      if (priv->state == HP_DEVICE_STATE_MEASURING)
        hp_device_set_state (self, HP_DEVICE_STATE_READY);
      hp_device_set_phase (self, HP_MEASUREMENT_PHASE_IDLE);
      return FALSE;
    }
  return TRUE;
}

void
hp_device_cancel_measurement (HpDevice *self)
{
  HpDevicePrivate *priv = hp_device_get_instance_private (self);
  g_autoptr(HpDevice) hold G_GNUC_UNUSED = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (HP_IS_DEVICE (self));

  if (priv->state != HP_DEVICE_STATE_MEASURING)
    return;

  hold = g_object_ref (self);
  if (HP_DEVICE_GET_CLASS (self)->cancel_measurement != NULL)
    HP_DEVICE_GET_CLASS (self)->cancel_measurement (self);

  /* Every started measurement ends with exactly one of the two signals, so
   * whoever waits for it learns of the cancellation too. */
  if (priv->state == HP_DEVICE_STATE_MEASURING)
    {
      error = g_error_new_literal (HP_DEVICE_ERROR, HP_DEVICE_ERROR_CANCELLED,
                                   "Measurement cancelled");
      hp_device_emit_measurement_failed (self, error);
    }
}

void
hp_device_set_visit_start (HpDevice  *self,
                           GDateTime *visit_start)
{
  HpDevicePrivate *priv = hp_device_get_instance_private (self);

  g_return_if_fail (HP_IS_DEVICE (self));

  if (visit_start != NULL)
    g_date_time_ref (visit_start);
  g_clear_pointer (&priv->visit_start, g_date_time_unref);
  priv->visit_start = visit_start;
}

GDateTime *
hp_device_get_visit_start (HpDevice *self)
{
  HpDevicePrivate *priv = hp_device_get_instance_private (self);

  g_return_val_if_fail (HP_IS_DEVICE (self), NULL);
  return priv->visit_start;
}

/* Device time and exact values: what makes one reading of one device. The
 * key stays in memory only; it holds health values. */
static char *
dedupe_key (HpMeasurement *measurement)
{
  GDateTime *device_time = hp_measurement_get_device_time (measurement);
  GString *key = g_string_new (hp_measurement_kind_to_string (hp_measurement_get_kind (measurement)));

  if (device_time != NULL)
    g_string_append_printf (key, "|%" G_GINT64_FORMAT ".%06d", g_date_time_to_unix (device_time),
                            g_date_time_get_microsecond (device_time));
  for (guint q = 0; q <= HP_QUANTITY_LAST; q++)
    {
      double value;
      const char *unit;

      if (hp_measurement_get_value (measurement, q, &value, &unit))
        g_string_append_printf (key, "|%u=%.17g %s", q, value, unit);
    }
  return g_string_free (key, FALSE);
}

gboolean
hp_device_has_given (HpDevice      *self,
                     HpMeasurement *measurement)
{
  HpDevicePrivate *priv = hp_device_get_instance_private (self);
  g_autofree char *key = NULL;

  g_return_val_if_fail (HP_IS_DEVICE (self), FALSE);
  g_return_val_if_fail (HP_IS_MEASUREMENT (measurement), FALSE);

  /* A reading without a device time cannot be told from the next identical
   * one (two equal weights in a row are common), so it is never a repeat. */
  if (hp_measurement_get_device_time (measurement) == NULL)
    return FALSE;
  key = dedupe_key (measurement);
  return g_hash_table_contains (priv->given, key);
}

void
hp_device_emit_measurement_ready (HpDevice      *self,
                                  HpMeasurement *measurement)
{
  HpDevicePrivate *priv = hp_device_get_instance_private (self);
  g_autoptr(HpDevice) hold G_GNUC_UNUSED = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (HP_IS_DEVICE (self));
  g_return_if_fail (HP_IS_MEASUREMENT (measurement));

  if (!hp_plausibility_check (measurement, &error))
    {
      hp_device_emit_measurement_failed (self, error);
      return;
    }
  if (hp_device_has_given (self, measurement))
    {
      error = g_error_new_literal (HP_DEVICE_ERROR, HP_DEVICE_ERROR_NO_NEW_READING,
                                   "The device has no reading newer than the one already taken");
      hp_device_emit_measurement_failed (self, error);
      return;
    }
  if (hp_measurement_get_device_time (measurement) != NULL)
    g_hash_table_add (priv->given, dedupe_key (measurement));

  hold = g_object_ref (self);
  if (priv->state == HP_DEVICE_STATE_MEASURING)
    hp_device_set_state (self, HP_DEVICE_STATE_READY);
  hp_device_set_phase (self, HP_MEASUREMENT_PHASE_DONE);
  g_signal_emit (self, signals[SIGNAL_MEASUREMENT_READY], 0, measurement);
}

void
hp_device_emit_measurement_failed (HpDevice     *self,
                                   const GError *error)
{
  HpDevicePrivate *priv = hp_device_get_instance_private (self);
  g_autoptr(HpDevice) hold G_GNUC_UNUSED = NULL;

  g_return_if_fail (HP_IS_DEVICE (self));
  g_return_if_fail (error != NULL);

  hold = g_object_ref (self);
  if (priv->state == HP_DEVICE_STATE_MEASURING)
    hp_device_set_state (self, HP_DEVICE_STATE_READY);
  hp_device_set_phase (self, HP_MEASUREMENT_PHASE_IDLE);
  g_signal_emit (self, signals[SIGNAL_MEASUREMENT_FAILED], 0, error);
}
