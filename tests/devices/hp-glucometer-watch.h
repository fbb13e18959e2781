/* What the glucometer driver tests watch of a device: phases, the one result signal, and the main loop until it comes. */
#pragma once

#include <glib-object.h>
#include <math.h>

#include "hp-device.h"

/* Long enough never to fire on a loaded machine; the tests end on signals. */
#define HP_GLUCOMETER_WATCH_SAFETY_S 20

typedef struct {
  HpDevice *device;
  GArray *phases;            /* HpMeasurementPhase, in the order notified */
  guint n_ready;
  guint n_failed;
  HpMeasurement *measurement;
  GError *error;
  gboolean timed_out;
} HpGlucometerWatch;

static inline void
hp_glucometer_watch_on_phase (GObject    *object,
                              GParamSpec *pspec G_GNUC_UNUSED,
                              gpointer    user_data)
{
  HpGlucometerWatch *watch = user_data;
  HpMeasurementPhase phase = hp_device_get_phase (HP_DEVICE (object));

  g_array_append_val (watch->phases, phase);
}

static inline void
hp_glucometer_watch_on_ready (HpDevice      *device G_GNUC_UNUSED,
                              HpMeasurement *measurement,
                              gpointer       user_data)
{
  HpGlucometerWatch *watch = user_data;

  watch->n_ready++;
  g_set_object (&watch->measurement, measurement);
}

static inline void
hp_glucometer_watch_on_failed (HpDevice     *device G_GNUC_UNUSED,
                               const GError *error,
                               gpointer      user_data)
{
  HpGlucometerWatch *watch = user_data;

  watch->n_failed++;
  g_clear_error (&watch->error);
  watch->error = g_error_copy (error);
}

static inline HpGlucometerWatch *
hp_glucometer_watch_new (HpDevice *device)
{
  HpGlucometerWatch *watch = g_new0 (HpGlucometerWatch, 1);

  watch->device = g_object_ref (device);
  watch->phases = g_array_new (FALSE, FALSE, sizeof (HpMeasurementPhase));
  g_signal_connect (device, "notify::phase", G_CALLBACK (hp_glucometer_watch_on_phase), watch);
  g_signal_connect (device, "measurement-ready", G_CALLBACK (hp_glucometer_watch_on_ready), watch);
  g_signal_connect (device, "measurement-failed", G_CALLBACK (hp_glucometer_watch_on_failed), watch);
  return watch;
}

static inline void
hp_glucometer_watch_reset (HpGlucometerWatch *watch)
{
  g_array_set_size (watch->phases, 0);
  watch->n_ready = watch->n_failed = 0;
  g_clear_object (&watch->measurement);
  g_clear_error (&watch->error);
}

static inline void
hp_glucometer_watch_free (HpGlucometerWatch *watch)
{
  g_signal_handlers_disconnect_by_data (watch->device, watch);
  g_object_unref (watch->device);
  g_array_unref (watch->phases);
  g_clear_object (&watch->measurement);
  g_clear_error (&watch->error);
  g_free (watch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HpGlucometerWatch, hp_glucometer_watch_free)

static inline gboolean
hp_glucometer_watch_safety (gpointer user_data)
{
  ((HpGlucometerWatch *) user_data)->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Starts a measurement and runs the main loop until it ends. FALSE if the
 * start failed or the safety timeout fired. */
static inline gboolean
hp_glucometer_watch_measure (HpGlucometerWatch *watch)
{
  g_autoptr(GError) error = NULL;
  guint safety;

  hp_glucometer_watch_reset (watch);
  if (!hp_device_start_measurement (watch->device, &error))
    return FALSE;
  safety = g_timeout_add_seconds (HP_GLUCOMETER_WATCH_SAFETY_S, hp_glucometer_watch_safety, watch);
  while (watch->n_ready + watch->n_failed == 0 && !watch->timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!watch->timed_out)
    g_source_remove (safety);
  /* Anything late (a second signal) would show in the counts. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return !watch->timed_out;
}

/* TRUE when the one result was a reading of @expected (within 1e-9) in @unit. */
static inline gboolean
hp_glucometer_watch_got (HpGlucometerWatch *watch,
                         double             expected,
                         const char        *unit)
{
  double value;
  const char *got_unit;

  if (watch->n_ready != 1 || watch->n_failed != 0 || watch->measurement == NULL)
    return FALSE;
  if (!hp_measurement_get_value (watch->measurement, HP_QUANTITY_BLOOD_GLUCOSE, &value, &got_unit))
    return FALSE;
  return fabs (value - expected) < 1e-9 && g_strcmp0 (unit, got_unit) == 0;
}

/* TRUE when the one result was a failure with @code. */
static inline gboolean
hp_glucometer_watch_failed_with (HpGlucometerWatch *watch,
                                 int                code)
{
  return watch->n_ready == 0 && watch->n_failed == 1 && watch->error != NULL &&
         watch->error->domain == HP_DEVICE_ERROR && watch->error->code == code;
}

/* TRUE when @phase was notified at some point of the measurement. */
static inline gboolean
hp_glucometer_watch_saw_phase (HpGlucometerWatch  *watch,
                               HpMeasurementPhase  phase)
{
  for (guint i = 0; i < watch->phases->len; i++)
    if (g_array_index (watch->phases, HpMeasurementPhase, i) == phase)
      return TRUE;
  return FALSE;
}
