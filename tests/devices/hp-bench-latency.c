/* For device benchmarks: the time from the last bytes any transport delivered to "measurement-ready". */
#include "hp-bench-latency.h"

#include <stdio.h>
#include <stdlib.h>

#include "hp-transport.h"

static gint64 last_received_us;
static gulong hook_id;

static gboolean
note_received (GSignalInvocationHint *hint G_GNUC_UNUSED,
               guint                  n_params G_GNUC_UNUSED,
               const GValue          *params G_GNUC_UNUSED,
               gpointer               data G_GNUC_UNUSED)
{
  /* Emission hooks run before any handler, so this is when the bytes
   * reached the transport's listeners. */
  last_received_us = g_get_monotonic_time ();
  return TRUE;
}

typedef struct {
  gboolean done;
  gboolean ok;
  gint64 latency_us;
} Run;

static void
on_ready (HpDevice      *device G_GNUC_UNUSED,
          HpMeasurement *measurement G_GNUC_UNUSED,
          Run           *run)
{
  run->latency_us = g_get_monotonic_time () - last_received_us;
  run->ok = run->done = TRUE;
}

static void
on_failed (HpDevice     *device G_GNUC_UNUSED,
           const GError *error,
           Run          *run)
{
  fprintf (stderr, "measurement failed: %s\n", error->message);
  run->done = TRUE;
}

static int
compare_gint64 (const void *a,
                const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

gboolean
hp_bench_reading_latency (const char        *what,
                          HpBenchMakeDevice  make,
                          guint              runs)
{
  g_autofree gint64 *latencies = NULL;

  g_return_val_if_fail (runs > 0, FALSE);

  if (hook_id == 0)
    {
      /* The interface's signals exist once its default vtable does. */
      g_type_default_interface_unref (g_type_default_interface_ref (HP_TYPE_TRANSPORT));
      hook_id = g_signal_add_emission_hook (g_signal_lookup ("received", HP_TYPE_TRANSPORT), 0,
                                            note_received, NULL, NULL);
    }

  latencies = g_new (gint64, runs);
  for (guint i = 0; i < runs; i++)
    {
      g_autoptr(HpDevice) device = make ();
      Run run = { 0 };

      g_signal_connect (device, "measurement-ready", G_CALLBACK (on_ready), &run);
      g_signal_connect (device, "measurement-failed", G_CALLBACK (on_failed), &run);
      if (!hp_device_start_measurement (device, NULL))
        return FALSE;
      while (!run.done)
        g_main_context_iteration (NULL, TRUE);
      if (!run.ok)
        return FALSE;
      latencies[i] = run.latency_us;
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  qsort (latencies, runs, sizeof *latencies, compare_gint64);
  printf ("%-44s p50 %6.1f µs  p99 %6.1f µs  max %6.1f µs (%u runs)\n", what,
          (double) latencies[runs / 2], (double) latencies[(runs * 99) / 100], (double) latencies[runs - 1], runs);
  return TRUE;
}
