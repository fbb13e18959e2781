/* Benchmark: ASTM frame and record decoding, and Contour reading latency from the meter's last report to "measurement-ready". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hp-astm.h"
#include "hp-contour-device.h"
#include "hp-contour-simulator.h"

#define DEFAULT_ITERATIONS 200000
#define LATENCY_RUNS 200

static const char *const transfer[] = {
  ("H|\\^&||7w3LBL|Bayer7390^01.24\\01.04\\09.02.20^7390-2336773^7403-|A=1^C=63^G=1^I=0200^R=0^S=1^"
   "U=0^V=10600^X=070070070070180130150250^Y=360126090050099050300089^Z=1|4||||||1|201909221304"),
  "P|1",
  "R|1|^^^Glucose|104|mg/dL^P||B/M0/T1||201909190805",
  "R|2|^^^Glucose|120|mg/dL^P||C||201909210750",
  "R|3|^^^Glucose|131|mg/dL^P||A/M0/T1||201909211940",
  "R|4|^^^Glucose|93|mg/dL^P||A/M0/T1||201909221303",
  "L|1||N",
};

static gint64 last_report_us;
static gint64 ready_us;

static void
on_received (HpTransport *transport G_GNUC_UNUSED,
             GBytes      *bytes G_GNUC_UNUSED,
             gpointer     user_data G_GNUC_UNUSED)
{
  last_report_us = g_get_monotonic_time ();
}

static void
on_ready (HpDevice      *device G_GNUC_UNUSED,
          HpMeasurement *measurement G_GNUC_UNUSED,
          gpointer       user_data G_GNUC_UNUSED)
{
  ready_us = g_get_monotonic_time ();
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static gboolean
latency (void)
{
  HpContourSimulation simulation = { .unit = "mg/dL", .value = 93 };
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint run = 0; run < LATENCY_RUNS; run++)
    {
      g_autoptr(HpSimulatorTransport) transport = hp_simulator_transport_new ();
      g_autoptr(HpContourSimulator) agent = hp_contour_simulator_new (transport, &simulation);
      g_autoptr(HpDevice) device = NULL;
      gint64 sample;

      hp_simulator_transport_set_agent (transport, G_OBJECT (agent));
      /* Connected before the driver's own handler, so it sees each report first. */
      g_signal_connect (transport, "received", G_CALLBACK (on_received), NULL);
      device = hp_contour_device_new ("bench", "bench", HP_TRANSPORT (transport));
      g_signal_connect (device, "measurement-ready", G_CALLBACK (on_ready), NULL);
      ready_us = 0;
      if (!hp_device_start_measurement (device, NULL))
        return FALSE;
      while (ready_us == 0 && hp_device_get_state (device) == HP_DEVICE_STATE_MEASURING)
        g_main_context_iteration (NULL, TRUE);
      if (ready_us == 0)
        return FALSE;
      sample = ready_us - last_report_us;
      g_array_append_val (samples, sample);
    }
  g_array_sort (samples, compare_gint64);
  printf ("Contour: last report to measurement-ready over %u runs: p50 %" G_GINT64_FORMAT " us, p99 %" G_GINT64_FORMAT " us\n",
          samples->len, g_array_index (samples, gint64, samples->len / 2),
          g_array_index (samples, gint64, samples->len * 99 / 100));
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GByteArray) wire = g_byte_array_new ();
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (guint));
  guint iterations = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : DEFAULT_ITERATIONS;
  g_autoptr(HpAstmRecordReader) reader = hp_astm_record_reader_new ();
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_free);
  HpAstmHeader header;
  double checksum = 0;
  gint64 start, elapsed_us;
  guint n_frames = G_N_ELEMENTS (transfer);

  for (guint i = 0; i < n_frames; i++)
    {
      g_autofree char *text = g_strconcat (transfer[i], "\r", NULL);
      guint at = wire->len;

      g_array_append_val (starts, at);
      hp_astm_encode_frame (wire, (guint8) ((i + 1) % 8), text, strlen (text), i + 1 == n_frames);
    }

  start = g_get_monotonic_time ();
  for (guint it = 0; it < iterations; it++)
    {
      for (guint i = 0; i < n_frames; i++)
        {
          guint at = g_array_index (starts, guint, i);
          HpAstmFrame frame;

          if (!hp_astm_decode_frame (wire->data + at, wire->len - at, &frame, NULL, NULL) ||
              !hp_astm_record_reader_add (reader, &frame, records, NULL))
            return 1;
        }
      for (guint r = 0; r < records->len; r++)
        {
          const char *record = g_ptr_array_index (records, r);
          HpAstmResult result;

          if (record[0] == 'H' && !hp_astm_parse_header (record, &header, NULL, NULL))
            return 1;
          if (record[0] == 'R')
            {
              if (!hp_astm_parse_result (record, &header.delimiters, &result, NULL, NULL))
                return 1;
              /* Keeps the compiler from dropping the work. */
              checksum += result.value;
            }
        }
      g_ptr_array_set_size (records, 0);
    }
  elapsed_us = MAX (g_get_monotonic_time () - start, 1);

  printf ("decoded %u Contour transfers (%u frames, %u bytes each) in %.3f s\n",
          iterations, n_frames, wire->len, elapsed_us / 1e6);
  printf ("%.0f frames/s (decoded, reassembled and parsed), %.1f ns per frame (checksum %.0f)\n",
          (double) iterations * n_frames / (elapsed_us / 1e6), elapsed_us * 1000.0 / ((double) iterations * n_frames),
          checksum);
  return latency () ? 0 : 1;
}
