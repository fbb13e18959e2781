/* Start-up cost of the kiosk's attract screen beside an empty GTK window:
 * time from main() to the first painted frame, and the process's PSS. */
#include <gtk/gtk.h>
#include <string.h>

#include "hp-application.h"
#include "hp-i18n.h"
#include "hp-test-util.h"

static gint64 start_us;
static gint64 first_frame_us;
static gulong after_paint_id;

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       user_data G_GNUC_UNUSED)
{
  first_frame_us = g_get_monotonic_time ();
  g_clear_signal_handler (&after_paint_id, clock);
}

static void
watch_first_frame (GtkWidget *window)
{
  gtk_widget_realize (window);
  after_paint_id = g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                                     G_CALLBACK (on_after_paint), NULL);
}

/* Proportional set size from the kernel, in KiB; -1 if unknown. */
static gint64
pss_kib (void)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/smaps_rollup", &text, NULL, NULL))
    return -1;
  line = strstr (text, "\nPss:");
  return line != NULL ? g_ascii_strtoll (line + 5, NULL, 10) : -1;
}

static gboolean
frame_painted (gconstpointer data G_GNUC_UNUSED)
{
  return first_frame_us != 0;
}

static gboolean
kiosk_ready (gconstpointer data)
{
  return first_frame_us != 0 && hp_application_get_flow ((HpApplication *) data) != NULL;
}

static int
run_empty_window (void)
{
  GtkWidget *window;

  gtk_init ();
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_set_child (GTK_WINDOW (window), gtk_button_new_with_label ("Start"));
  watch_first_frame (window);
  gtk_window_present (GTK_WINDOW (window));
  if (!hp_test_iterate_until (frame_painted, NULL, 60))
    return 1;
  g_print ("empty GTK window: first frame %.1f ms, PSS %.1f MiB\n",
           (first_frame_us - start_us) / 1000.0, pss_kib () / 1024.0);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

static int
run_kiosk (void)
{
  g_autoptr(HpConfig) config = hp_config_new ();
  g_autoptr(HpApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hp-bench-startup-XXXXXX", NULL);
  g_autofree char *text = g_strdup_printf ("[storage]\ndatabase=%s/visits.db\n"
                                           "[demo]\nenabled=true\n[kiosk]\nfullscreen=false\n", dir);
  gint64 services_us;

  if (!hp_config_merge_data (config, text, strlen (text), &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  app = hp_application_new_with_config (config, G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_application_activate (G_APPLICATION (app));
  watch_first_frame (GTK_WIDGET (hp_application_get_window (app)));
  if (!hp_test_iterate_until (kiosk_ready, app, 60))
    return 1;
  services_us = g_get_monotonic_time ();

  g_print ("kiosk attract screen: first frame %.1f ms, services ready %.1f ms, PSS %.1f MiB\n",
           (first_frame_us - start_us) / 1000.0, (services_us - start_us) / 1000.0,
           pss_kib () / 1024.0);
  gtk_window_destroy (GTK_WINDOW (hp_application_get_window (app)));
  hp_test_tmpdir_remove (dir);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  start_us = g_get_monotonic_time ();
  hp_i18n_init ();

  if (argc > 1 && g_str_equal (argv[1], "--empty-window"))
    return run_empty_window ();
  return run_kiosk ();
}
