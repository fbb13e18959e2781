/* Benchmark: from Print to the job accepted by a private cupsd on loopback, and to the job completed; and the main loop's longest wait meanwhile. */
#include <stdio.h>
#include <stdlib.h>

#include "hp-cups-server.h"
#include "hp-print-service.h"

#define WARM_UP 2
#define JOBS    20
/* The main loop is woken this often while a job runs; the longest gap
 * between two wake-ups is how long the loop was kept from the screen. */
#define TICK_MS 5

typedef struct {
  gint64 start;
  gint64 accepted;
  gint64 finished;
  gint64 last_tick;
  gint64 longest_gap;
  HpPrintOutcome *outcome;
  GError *error;
} Sample;

static void
on_state (HpPrintService *service,
          GParamSpec     *pspec G_GNUC_UNUSED,
          Sample         *sample)
{
  if (hp_print_service_get_state (service) == HP_PRINT_STATE_PRINTING && sample->accepted == 0)
    sample->accepted = g_get_monotonic_time ();
}

static void
on_printed (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  Sample *sample = data;

  sample->finished = g_get_monotonic_time ();
  sample->outcome = hp_print_service_print_finish (HP_PRINT_SERVICE (source), result, &sample->error);
}

static gboolean
on_tick (gpointer data)
{
  Sample *sample = data;
  gint64 now = g_get_monotonic_time ();

  sample->longest_gap = MAX (sample->longest_gap, now - sample->last_tick);
  sample->last_tick = now;
  return G_SOURCE_CONTINUE;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Nearest-rank percentile of @n sorted values. */
static double
percentile (const double *sorted,
            guint         n,
            double        p)
{
  guint rank = (guint) (p / 100.0 * n + 0.999999);

  return sorted[CLAMP (rank, 1, n) - 1];
}

static gboolean
run_series (HpCupsServer *server,
            const char   *label,
            const char   *printer)
{
  g_autoptr(HpPrintService) service = hp_print_service_new ();
  g_autoptr(GBytes) pdf = hp_cups_test_pdf ("Healthpost benchmark");
  double accepted_ms[JOBS];
  double completed_ms[JOBS];
  double gaps_ms[JOBS];

  hp_print_service_set_printer (service, printer);
  for (guint i = 0; i < WARM_UP + JOBS; i++)
    {
      Sample sample = { 0 };
      g_autoptr(GBytes) arrived = NULL;
      gulong handler = g_signal_connect (service, "notify::state", G_CALLBACK (on_state), &sample);
      guint tick;

      sample.start = sample.last_tick = g_get_monotonic_time ();
      tick = g_timeout_add (TICK_MS, on_tick, &sample);
      hp_print_service_print_async (service, NULL, pdf, "Healthpost benchmark", NULL, on_printed, &sample);
      while (sample.finished == 0)
        g_main_context_iteration (NULL, TRUE);
      g_source_remove (tick);
      g_signal_handler_disconnect (service, handler);

      if (sample.outcome == NULL || sample.outcome->state != HP_PRINT_STATE_DONE)
        {
          g_printerr ("job %u did not print: %s\n", i,
                      sample.outcome != NULL ? sample.outcome->detail : sample.error->message);
          g_clear_error (&sample.error);
          hp_print_outcome_free (sample.outcome);
          return FALSE;
        }
      arrived = hp_cups_server_take_document (server, sample.outcome->job_id);
      hp_print_outcome_free (sample.outcome);
      if (arrived == NULL || !g_bytes_equal (arrived, pdf))
        {
          g_printerr ("job %u: the document did not arrive whole\n", i);
          return FALSE;
        }
      if (i < WARM_UP)
        continue;
      accepted_ms[i - WARM_UP] = (sample.accepted - sample.start) / 1000.0;
      completed_ms[i - WARM_UP] = (sample.finished - sample.start) / 1000.0;
      gaps_ms[i - WARM_UP] = sample.longest_gap / 1000.0;
    }

  qsort (accepted_ms, JOBS, sizeof (double), compare_doubles);
  qsort (completed_ms, JOBS, sizeof (double), compare_doubles);
  qsort (gaps_ms, JOBS, sizeof (double), compare_doubles);
  printf ("%s, %u jobs of %zu bytes:\n", label, JOBS, g_bytes_get_size (pdf));
  printf ("  Print to job accepted:  p50 %.1f ms  p99 %.1f ms\n",
          percentile (accepted_ms, JOBS, 50), percentile (accepted_ms, JOBS, 99));
  printf ("  Print to job completed: p50 %.1f ms  p99 %.1f ms\n",
          percentile (completed_ms, JOBS, 50), percentile (completed_ms, JOBS, 99));
  printf ("  longest main-loop gap (%d ms ticks): p50 %.1f ms  max %.1f ms\n",
          TICK_MS, percentile (gaps_ms, JOBS, 50), gaps_ms[JOBS - 1]);
  return TRUE;
}

int
main (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpCupsServer) server = NULL;
  g_autofree char *address = NULL;

  if (hp_cups_server_cupsd_path () == NULL)
    {
      g_printerr ("cupsd is not installed: skipped\n");
      return 77;
    }
  server = hp_cups_server_start (&error);
  if (server == NULL)
    {
      g_printerr ("cannot start cupsd: %s\n", error->message);
      return 1;
    }
  address = g_strdup_printf ("localhost:%u", hp_cups_server_get_port (server));
  g_setenv ("CUPS_SERVER", address, TRUE);

  if (!run_series (server, "printer URI (direct IPP to the queue)", hp_cups_server_get_queue_uri (server))
      || !run_series (server, "destination name (looked up on the CUPS server)", HP_CUPS_SERVER_QUEUE))
    return 1;
  return 0;
}
