/* What the kiosk costs while nobody touches it: the main thread's wakeups and CPU time on each page that waits for a patient, beside an empty window's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "hp-test-util.h"
#include "hp-ui-fixture.h"

/* The kiosk may cost this many wakeups a second more than the empty
 * window on a page that waits, and no more (DESIGN.md: nothing polls when
 * idle). */
#define ALLOWED_EXTRA_WAKEUPS_PER_S 3.0

static guint idle_seconds = 30;

typedef struct {
  guint64 switches;
  guint64 ticks;
} ThreadCost;

/* The calling thread's context switches and CPU ticks so far. */
static ThreadCost
thread_cost (void)
{
  ThreadCost cost = { 0, 0 };
  g_autofree char *status = NULL;
  g_autofree char *stat = NULL;
  g_auto(GStrv) lines = NULL;
  const char *fields;
  unsigned long long utime = 0, stime = 0;

  if (!g_file_get_contents ("/proc/thread-self/status", &status, NULL, NULL) ||
      !g_file_get_contents ("/proc/thread-self/stat", &stat, NULL, NULL))
    fail_msg ("cannot read /proc/thread-self");
  lines = g_strsplit (status, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (g_str_has_prefix (line, "voluntary_ctxt_switches:"))
        cost.switches += g_ascii_strtoull (line + strlen ("voluntary_ctxt_switches:"), NULL, 10);
      else if (g_str_has_prefix (line, "nonvoluntary_ctxt_switches:"))
        cost.switches += g_ascii_strtoull (line + strlen ("nonvoluntary_ctxt_switches:"), NULL, 10);
    }
  /* Fields after the command's closing parenthesis: state is the 3rd
   * field, utime the 14th and stime the 15th. */
  fields = strrchr (stat, ')');
  if (fields == NULL || sscanf (fields + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
                                &utime, &stime) != 2)
    fail_msg ("cannot read the thread's CPU time");
  cost.ticks = utime + stime;
  return cost;
}

static gboolean
on_elapsed (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for idle_seconds with nothing happening, and prints
 * and returns the wakeups a second it cost. */
static double
measure (const char *what)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  gint64 start_us, end_us;
  ThreadCost before, after;
  double seconds, wakeups, cpu_ms;

  before = thread_cost ();
  start_us = g_get_monotonic_time ();
  g_timeout_add_seconds (idle_seconds, on_elapsed, loop);
  g_main_loop_run (loop);
  end_us = g_get_monotonic_time ();
  after = thread_cost ();

  seconds = (double) (end_us - start_us) / G_USEC_PER_SEC;
  wakeups = (double) (after.switches - before.switches) / seconds;
  cpu_ms = (double) (after.ticks - before.ticks) * 1000.0 / (double) sysconf (_SC_CLK_TCK);
  printf ("%-44s %8.1f wakeups/s %8.0f ms CPU in %.0f s (%.2f %% of a core)\n",
          what, wakeups, cpu_ms, seconds, cpu_ms / (seconds * 10.0));
  fflush (stdout);
  return wakeups;
}

/* Lets what a page change started (a transition, the first frames) end
 * before the page is measured. */
static void
settle (void)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  g_timeout_add (1500, on_elapsed, loop);
  g_main_loop_run (loop);
}

static gboolean
window_mapped (gconstpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static double
measure_empty_window (void)
{
  GtkWidget *window = gtk_window_new ();
  double wakeups;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_set_child (GTK_WINDOW (window), gtk_button_new_with_label ("Start"));
  gtk_window_present (GTK_WINDOW (window));
  assert_true (hp_test_iterate_until (window_mapped, window, HP_UI_HANG_GUARD_SECONDS));
  settle ();
  wakeups = measure ("an empty window with one button");
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return wakeups;
}

static void
show_page (HpUiFixture *f,
           HpPage       page,
           const char  *what)
{
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (page), what);
  hp_ui_wait_for_paint (f);
  settle ();
}

static void
test_idle_pages (void **state G_GNUC_UNUSED)
{
  double empty;
  g_autoptr(GArray) costs = g_array_new (FALSE, FALSE, sizeof (double));
  /* Long enough quiet times that no warning interrupts a measured page;
   * the cuff takes longer than one measurement to answer. */
  g_autofree char *config = g_strdup_printf ("[visit]\nidle-seconds=%u\nwarning-seconds=20\n"
                                             "[demo]\nmeasure-ms=%u\n",
                                             idle_seconds * 3, (idle_seconds + 10) * 1000);
  HpUiFixture *f = NULL;
  g_autoptr(GString) over = g_string_new (NULL);
  struct {
    HpPage page;
    const char *action;
    const char *target;
    const char *what;
    gboolean waits_for_patient;
  } const steps[] = {
    { HP_PAGE_ATTRACT, NULL, NULL, "kiosk: attract screen", TRUE },
    { HP_PAGE_LANGUAGE, "visit.begin", NULL, "kiosk: language", TRUE },
    { HP_PAGE_CONSENT, "visit.choose-language", "en", "kiosk: consent", TRUE },
    { HP_PAGE_IDENTIFY, "visit.consent", "true", "kiosk: identify", TRUE },
    { HP_PAGE_AGE, "visit.identify", "false", "kiosk: 18 or older?", TRUE },
    { HP_PAGE_CHOOSE, "visit.age", "true", "kiosk: choose a measurement", TRUE },
    { HP_PAGE_BP_INSTRUCTIONS, "visit.choose", "blood-pressure", "kiosk: blood-pressure instructions", TRUE },
    /* The spinner turns while the cuff works: an animation on screen, so
     * its cost is shown, not held to the idle budget. */
    { HP_PAGE_MEASURING, "visit.start-measurement", NULL, "kiosk: measuring (spinner on screen)", FALSE },
    { HP_PAGE_RESULT, NULL, NULL, "kiosk: result", TRUE },
    { HP_PAGE_SUMMARY, "visit.finish", NULL, "kiosk: summary", TRUE },
  };

  f = hp_ui_fixture_start (config);
  for (gsize i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      double wakeups;

      if (steps[i].action != NULL)
        hp_ui_press_target (f, steps[i].action, steps[i].target);
      show_page (f, steps[i].page, steps[i].what);
      wakeups = measure (steps[i].what);
      g_array_append_val (costs, wakeups);
    }
  hp_ui_fixture_stop (f);

  /* The kiosk's application has set GTK up; the empty window comes after
   * it, in the same process and on the same display. */
  empty = measure_empty_window ();
  for (gsize i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      double wakeups = g_array_index (costs, double, i);

      if (steps[i].waits_for_patient && wakeups > empty + ALLOWED_EXTRA_WAKEUPS_PER_S)
        g_string_append_printf (over, "%s: %.1f wakeups/s, the empty window %.1f\n", steps[i].what, wakeups, empty);
    }
  if (over->len > 0)
    fail_msg ("pages that wait cost more than %.0f wakeups/s over an empty window:\n%s",
              ALLOWED_EXTRA_WAKEUPS_PER_S, over->str);
}

int
main (int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_idle_pages),
  };

  if (argc > 1)
    idle_seconds = (guint) CLAMP (g_ascii_strtoull (argv[1], NULL, 10), 2, 600);
  return cmocka_run_group_tests (tests, NULL, NULL);
}
