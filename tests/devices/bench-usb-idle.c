/* Benchmark: how often the device manager's main loop wakes up with no device attached (the aim is never). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <umockdev.h>

#include "hp-device-manager.h"

static GPollFunc real_poll;
static guint n_wakeups;

/* Every return from poll() is one wakeup of the loop. */
static gint
counting_poll (GPollFD *fds,
               guint    nfds,
               gint     timeout)
{
  gint rc = real_poll (fds, nfds, timeout);

  n_wakeups++;
  return rc;
}

static gboolean
stop_loop (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static long
voluntary_switches (void)
{
  g_autofree char *status = NULL;
  const char *at;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  at = strstr (status, "voluntary_ctxt_switches:");
  return at != NULL ? strtol (at + strlen ("voluntary_ctxt_switches:"), NULL, 10) : -1;
}

int
main (int   argc,
      char *argv[])
{
  guint seconds = argc > 1 ? (guint) atoi (argv[1]) : 5;
  g_autoptr(UMockdevTestbed) testbed = NULL;
  g_autoptr(HpDeviceManager) manager = hp_device_manager_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  long switches_before, switches_after;

  /* Under umockdev-wrapper libusb sees an empty bus; elsewhere the real one. */
  if (umockdev_in_mock_environment ())
    testbed = umockdev_testbed_new ();
  if (!hp_device_manager_start_usb (manager, &error))
    {
      printf ("usb-idle: USB unavailable here (%s): nothing measured\n", error->message);
      return 0;
    }
  /* Let start-up settle before counting. */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  real_poll = g_main_context_get_poll_func (NULL);
  g_main_context_set_poll_func (NULL, counting_poll);
  switches_before = voluntary_switches ();
  /* The timeout that ends the run wakes the loop once itself. */
  g_timeout_add_seconds (seconds, stop_loop, loop);
  g_main_loop_run (loop);
  switches_after = voluntary_switches ();
  g_main_context_set_poll_func (NULL, real_poll);

  printf ("usb-idle: %u USB devices present, %u s idle\n", hp_device_manager_get_n_usb_devices (manager), seconds);
  printf ("usb-idle: main-loop wakeups: %u (1 is the timer ending the run), %.2f per minute beyond it\n",
          n_wakeups, (n_wakeups > 0 ? n_wakeups - 1 : 0) * 60.0 / seconds);
  printf ("usb-idle: voluntary context switches of the process: %ld\n", switches_after - switches_before);
  return 0;
}
