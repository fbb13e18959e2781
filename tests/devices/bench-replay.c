/* Benchmark: replaying the real captures through their drivers, as healthpost-ctl decode does: time and peak memory per replay. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "hp-freestyle-device.h"
#include "hp-hid-scale-device.h"
#include "hp-omron-device.h"
#include "hp-phdc-device.h"
#include "hp-test-replay.h"

#define DEFAULT_RUNS 20

typedef struct {
  const char     *capture;
  const HpDriver *driver;
  guint16         product_id;      /* 0: the driver's first model */
  guint16         specialization;  /* PHDC only */
} Replay;

static gboolean
replay_once (const Replay *replay,
             GPtrArray    *messages)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpMeasurement) measurement = NULL;
  HpUsbDeviceInfo info = { .model = "replayed" };

  info.vendor_id = replay->driver->matches[0].vendor_id;
  info.product_id = replay->product_id;
  if (replay->specialization != 0)
    {
      info.specializations = &replay->specialization;
      info.n_specializations = 1;
    }
  hp_phdc_device_forget_learned_configurations ();
  measurement = hp_replay_capture (replay->driver, replay->product_id != 0 || replay->specialization != 0 ? &info : NULL,
                                   messages, NULL, &error);
  if (measurement == NULL)
    {
      fprintf (stderr, "%s: %s\n", replay->capture, error->message);
      return FALSE;
    }
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  const Replay replays[] = {
    { "real/omron-hem790-two-readings.hex", &hp_omron_hem790_driver, 0, 0 },
    { "real/freestyle-insulinx-auto-assist.hex", &hp_freestyle_driver, 0x3450, 0 },
    { "real/hid-scale-mettler-ps60.hex", &hp_hid_scale_driver, 0, 0 },
    { "real/ieee11073-bp-antidote.hex", &hp_phdc_driver, 0, 0x1007 },
    { "real/ieee11073-scale-antidote.hex", &hp_phdc_driver, 0, 0x100F },
  };
  guint runs = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : DEFAULT_RUNS;
  struct rusage usage;

  for (gsize r = 0; r < G_N_ELEMENTS (replays); r++)
    {
      g_autofree char *text = hp_test_read_capture (replays[r].capture);
      g_autoptr(GPtrArray) messages = hp_capture_parse (text, strlen (text), NULL);
      gint64 start, elapsed_us;

      if (messages == NULL)
        {
          fprintf (stderr, "%s does not parse\n", replays[r].capture);
          return 1;
        }

      start = g_get_monotonic_time ();
      for (guint i = 0; i < runs; i++)
        if (!replay_once (&replays[r], messages))
          return 1;
      elapsed_us = MAX (g_get_monotonic_time () - start, 1);
      printf ("%-40s %4u messages: %.2f ms per replay (%u runs)\n", replays[r].capture,
              messages->len, elapsed_us / 1000.0 / runs, runs);
    }
  if (getrusage (RUSAGE_SELF, &usage) == 0)
    printf ("peak resident memory: %ld KiB\n", usage.ru_maxrss);
  return 0;
}
