/* Benchmark: ASTM frame and record decoding, and Contour reading latency from the meter's last report to "measurement-ready". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hp-astm.h"
#include "hp-bench-latency.h"
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

static HpDevice *
make_meter (void)
{
  HpContourSimulation simulation = { .unit = "mg/dL", .value = 93 };

  return hp_simulated_contour_new_full (&simulation);
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
  return hp_bench_reading_latency ("Contour: last report to ready", make_meter, LATENCY_RUNS) ? 0 : 1;
}
