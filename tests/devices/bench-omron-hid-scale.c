/* Benchmark: Omron and HID scale decoding (messages/s) and the delay from the last report to "measurement-ready". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hp-bench-latency.h"
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

  if (iterations == 0 || runs == 0 || !bench_decoders (iterations))
    return 1;

  /* The Omron drivers give the reading once END is answered, so their last
   * report is that answer. */
  if (!hp_bench_reading_latency ("HID scale: last report to ready", make_scale, runs) ||
      !hp_bench_reading_latency ("HEM-790IT: last report (OFF) to ready", make_hem790, runs) ||
      !hp_bench_reading_latency ("HEM-7322U: last report (END) to ready", make_hem7322, runs))
    return 1;
  return 0;
}
