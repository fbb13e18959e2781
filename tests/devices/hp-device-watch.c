/* What the driver tests watch of a device: phases, the one result signal, and the main loop until it comes. */
#include "hp-device-watch.h"

static void
on_phase (GObject    *object,
          GParamSpec *pspec G_GNUC_UNUSED,
          gpointer    user_data)
{
  HpDeviceWatch *watch = user_data;
  HpMeasurementPhase phase = hp_device_get_phase (HP_DEVICE (object));

  g_array_append_val (watch->phases, phase);
}

static void
on_ready (HpDevice      *device G_GNUC_UNUSED,
          HpMeasurement *measurement,
          gpointer       user_data)
{
  HpDeviceWatch *watch = user_data;

  watch->n_ready++;
  g_set_object (&watch->measurement, measurement);
}

static void
on_failed (HpDevice     *device G_GNUC_UNUSED,
           const GError *error,
           gpointer      user_data)
{
  HpDeviceWatch *watch = user_data;

  watch->n_failed++;
  g_clear_error (&watch->error);
  watch->error = g_error_copy (error);
}

HpDeviceWatch *
hp_device_watch_new (HpDevice *device)
{
  HpDeviceWatch *watch = g_new0 (HpDeviceWatch, 1);

  watch->device = g_object_ref (device);
  watch->phases = g_array_new (FALSE, FALSE, sizeof (HpMeasurementPhase));
  g_signal_connect (device, "notify::phase", G_CALLBACK (on_phase), watch);
  g_signal_connect (device, "measurement-ready", G_CALLBACK (on_ready), watch);
  g_signal_connect (device, "measurement-failed", G_CALLBACK (on_failed), watch);
  return watch;
}

void
hp_device_watch_reset (HpDeviceWatch *watch)
{
  g_array_set_size (watch->phases, 0);
  watch->n_ready = watch->n_failed = 0;
  g_clear_object (&watch->measurement);
  g_clear_error (&watch->error);
}

void
hp_device_watch_free (HpDeviceWatch *watch)
{
  g_signal_handlers_disconnect_by_data (watch->device, watch);
  g_object_unref (watch->device);
  g_array_unref (watch->phases);
  g_clear_object (&watch->measurement);
  g_clear_error (&watch->error);
  g_free (watch);
}

static gboolean
safety_timeout (gpointer user_data)
{
  ((HpDeviceWatch *) user_data)->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
waiting (HpDeviceWatch      *watch,
         gboolean            for_phase,
         HpMeasurementPhase  phase)
{
  if (watch->timed_out || watch->n_ready + watch->n_failed > 0)
    return FALSE;
  return !for_phase || hp_device_get_phase (watch->device) != phase;
}

static gboolean
wait_until (HpDeviceWatch      *watch,
            gboolean            for_phase,
            HpMeasurementPhase  phase)
{
  guint safety = g_timeout_add_seconds (HP_DEVICE_WATCH_SAFETY_S, safety_timeout, watch);

  while (waiting (watch, for_phase, phase))
    g_main_context_iteration (NULL, TRUE);
  if (!watch->timed_out)
    g_source_remove (safety);
  return !watch->timed_out;
}

gboolean
hp_device_watch_wait_for_result (HpDeviceWatch *watch)
{
  return wait_until (watch, FALSE, HP_MEASUREMENT_PHASE_IDLE);
}

gboolean
hp_device_watch_wait_for_phase (HpDeviceWatch      *watch,
                                HpMeasurementPhase  phase)
{
  return wait_until (watch, TRUE, phase);
}

void
hp_device_watch_drain (HpDeviceWatch *watch G_GNUC_UNUSED)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

gboolean
hp_device_watch_measure (HpDeviceWatch  *watch,
                         GError        **error)
{
  hp_device_watch_reset (watch);
  if (!hp_device_start_measurement (watch->device, error))
    return FALSE;
  if (!hp_device_watch_wait_for_result (watch))
    return FALSE;
  hp_device_watch_drain (watch);
  return TRUE;
}

gboolean
hp_device_watch_saw_phase (HpDeviceWatch      *watch,
                           HpMeasurementPhase  phase)
{
  for (guint i = 0; i < watch->phases->len; i++)
    if (g_array_index (watch->phases, HpMeasurementPhase, i) == phase)
      return TRUE;
  return FALSE;
}
