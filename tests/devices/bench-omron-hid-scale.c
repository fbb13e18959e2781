/* Benchmark: Omron and HID scale decoding (messages/s) and the delay from the last report to "measurement-ready". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hp-hid-scale-codec.h"
#include "hp-hid-scale-simulator.h"
#include "hp-omron-codec.h"
#include "hp-omron-simulator.h"
#include "hp-transport.h"

#define DEFAULT_ITERATIONS 1000000
#define DEFAULT_RUNS 300

static void
print_rate (const char *what,
            guint       iterations,
            gint64      elapsed_us,
            double      checksum)
{
  elapsed_us = MAX (elapsed_us, 1);
  printf ("%-44s %12.0f messages/s  %8.1f ns each (checksum %.0f)\n", what,
          iterations / (elapsed_us / 1e6), elapsed_us * 1000.0 / iterations, checksum);
}

static gboolean
bench_decoders (guint iterations)
{
  HpOmronRecord record = {
    .year = 2024, .month = 5, .day = 17, .hour = 9, .minute = 41, .second = 12, .time_valid = TRUE,
    .systolic = 128, .diastolic = 82, .pulse = 64,
  };
  g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  guint8 reply[HP_OMRON_HEM790_RECORD_REPLY_SIZE] = { 'O', 'K', 0 };
  guint8 block[HP_OMRON_HEM7322_BLOCK_SIZE];
  guint8 report7322[HP_OMRON_HEM7322_REPORT_SIZE];
  HpHidScaleReport scale = { .status = HP_HID_SCALE_STATUS_STABLE, .unit = HP_HID_SCALE_UNIT_KILOGRAM,
                             .exponent = -1, .raw = 724 };
  guint8 scale_report[HP_HID_SCALE_REPORT_SIZE];
  double checksum = 0;
  gint64 start;

  /* HEM-790IT: a "GME" reply in its three reports, gathered, checked, decoded. */
  hp_omron_hem790_encode_record (&record, reply + 3);
  hp_omron_hem790_append_reports (reports, reply, sizeof reply);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < iterations; i++)
    {
      guint8 gathered[HP_OMRON_HEM790_RECORD_REPLY_SIZE];
      gsize len = 0;
      HpOmronReplyStatus status = HP_OMRON_REPLY_INCOMPLETE;
      HpOmronRecord decoded;

      for (guint r = 0; r < reports->len; r++)
        {
          gsize size, payload_len;
          const guint8 *payload;
          const guint8 *data = g_bytes_get_data (g_ptr_array_index (reports, r), &size);

          if (!hp_omron_hem790_report_payload (data, size, &payload, &payload_len, NULL, NULL))
            return FALSE;
          memcpy (gathered + len, payload, payload_len);
          len += payload_len;
          if (!hp_omron_hem790_check_reply (gathered, len, sizeof gathered, &status, NULL, NULL))
            return FALSE;
        }
      if (status != HP_OMRON_REPLY_OK ||
          !hp_omron_hem790_decode_reading (gathered, len, &decoded, NULL, NULL))
        return FALSE;
      checksum += decoded.systolic;
    }
  print_rate ("HEM-790IT GME reply (3 reports)", iterations, g_get_monotonic_time () - start, checksum);

  /* HEM-7322U: a 40-byte block reply, then the records in it. */
  memset (block, 0xFF, sizeof block);
  hp_omron_hem7322_encode_record (&record, block);
  hp_omron_hem7322_encode_record (&record, block + HP_OMRON_HEM7322_RECORD_SIZE);
  hp_omron_hem7322_encode_reply (HP_OMRON_HEM7322_COMMAND_READ, 0, HP_OMRON_HEM7322_RECORDS_START,
                                 block, sizeof block, report7322);
  checksum = 0;
  start = g_get_monotonic_time ();
  for (guint i = 0; i < iterations; i++)
    {
      HpOmronHem7322Command command;
      const guint8 *data;
      guint16 address;
      guint8 status, size;

      if (!hp_omron_hem7322_decode_reply (report7322, sizeof report7322, &command, &status, &address,
                                          &data, &size, NULL, NULL))
        return FALSE;
      for (guint at = 0; at + HP_OMRON_HEM7322_RECORD_SIZE <= size; at += HP_OMRON_HEM7322_RECORD_SIZE)
        {
          HpOmronRecord decoded;

          if (hp_omron_hem7322_record_is_empty (data + at))
            break;
          hp_omron_hem7322_decode_record (data + at, &decoded);
          checksum += decoded.pulse;
        }
    }
  print_rate ("HEM-7322U block reply (2 records)", iterations, g_get_monotonic_time () - start, checksum);

  /* HID scale: one weight report and its weight. */
  hp_hid_scale_encode_report (&scale, scale_report);
  checksum = 0;
  start = g_get_monotonic_time ();
  for (guint i = 0; i < iterations; i++)
    {
      HpHidScaleReport decoded;
      const char *unit;
      double value;

      if (!hp_hid_scale_decode_report (scale_report, sizeof scale_report, &decoded, NULL, NULL) ||
          !hp_hid_scale_report_weight (&decoded, &value, &unit, NULL))
        return FALSE;
      checksum += value;
    }
  print_rate ("HID scale weight report", iterations, g_get_monotonic_time () - start, checksum);
  return TRUE;
}

/* ---- last report to "measurement-ready" ---- */

static gint64 last_received_us;

static gboolean
note_received (GSignalInvocationHint *hint G_GNUC_UNUSED,
               guint                  n_params G_GNUC_UNUSED,
               const GValue          *params G_GNUC_UNUSED,
               gpointer               data G_GNUC_UNUSED)
{
  /* Emission hooks run before any handler, so this is when the report
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

/* @make gives a fresh device per run (each gives one new reading). */
static gboolean
bench_latency (const char  *what,
               HpDevice  *(*make) (void),
               guint        runs)
{
  g_autofree gint64 *latencies = g_new (gint64, runs);

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

static HpDevice *
make_scale (void)
{
  HpScaleSimulation simulation = {
    .weight = 72.4, .unit = HP_HID_SCALE_UNIT_KILOGRAM, .exponent = -1, .stale_weight = 80, .interval_ms = 1,
  };

  return hp_simulated_scale_new_full (&simulation);
}

static HpDevice *
make_hem790 (void)
{
  return hp_simulated_omron_new (HP_OMRON_FAMILY_HEM790, NULL, HP_OMRON_FAULT_NONE);
}

static HpDevice *
make_hem7322 (void)
{
  return hp_simulated_omron_new (HP_OMRON_FAMILY_HEM7322, NULL, HP_OMRON_FAULT_NONE);
}

int
main (int    argc,
      char **argv)
{
  guint iterations = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : DEFAULT_ITERATIONS;
  guint runs = argc > 2 ? (guint) strtoul (argv[2], NULL, 10) : DEFAULT_RUNS;
  guint received;

  if (iterations == 0 || runs == 0 || !bench_decoders (iterations))
    return 1;

  /* The interface's signals exist once its default vtable does. */
  g_type_default_interface_unref (g_type_default_interface_ref (HP_TYPE_TRANSPORT));
  received = g_signal_lookup ("received", HP_TYPE_TRANSPORT);
  if (received == 0)
    return 1;
  g_signal_add_emission_hook (received, 0, note_received, NULL, NULL);
  /* The Omron drivers give the reading once END is answered, so their last
   * report is that answer. */
  if (!bench_latency ("HID scale: last report to ready", make_scale, runs) ||
      !bench_latency ("HEM-790IT: last report (OFF) to ready", make_hem790, runs) ||
      !bench_latency ("HEM-7322U: last report (END) to ready", make_hem7322, runs))
    return 1;
  return 0;
}
