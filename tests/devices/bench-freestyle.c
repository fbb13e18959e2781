/* Benchmark: FreeStyle reply and record decoding, and reading latency from the meter's last report to "measurement-ready". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hp-freestyle-codec.h"
#include "hp-bench-latency.h"
#include "hp-freestyle-device.h"
#include "hp-freestyle-simulator.h"

#define DEFAULT_ITERATIONS 2000
#define N_RECORDS 500
#define LATENCY_RUNS 200

static HpDevice *
make_meter (void)
{
  HpFreestyleSimulation simulation = { .value = 112 };

  return hp_simulated_freestyle_new_full (&simulation);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GString) records = g_string_new (NULL);
  g_autoptr(GString) reply = g_string_new (NULL);
  g_autoptr(GArray) reports = g_array_new (FALSE, FALSE, HP_FREESTYLE_REPORT_SIZE);
  guint iterations = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : DEFAULT_ITERATIONS;
  g_autoptr(GByteArray) joined = g_byte_array_new ();
  double checksum = 0;
  gint64 start, elapsed_us;

  for (guint i = N_RECORDS; i > 0; i--)
    g_string_append_printf (records, "7,%u,%u,%u,24,%u,%u,0,%u,0,1,0,0,0,0,0,0,0,0\r\n",
                            i, 1 + i % 12, 1 + i % 28, i % 24, i % 60, 70 + i % 200);
  g_string_append_printf (records, "%u,%08X\r\n", N_RECORDS,
                          hp_freestyle_checksum ((const guint8 *) records->str, records->len));
  g_string_append_printf (reply, "%sCKSM:%08X\r\nCMD OK\r\n", records->str,
                          hp_freestyle_checksum ((const guint8 *) records->str, records->len));
  for (gsize offset = 0; offset < reply->len; offset += HP_FREESTYLE_DATA_MAX)
    {
      guint8 report[HP_FREESTYLE_REPORT_SIZE];

      if (!hp_freestyle_encode_message (report, HP_FREESTYLE_TYPE_TEXT, (const guint8 *) reply->str + offset,
                                        MIN (reply->len - offset, (gsize) HP_FREESTYLE_DATA_MAX)))
        return 1;
      g_array_append_val (reports, report);
    }

  start = g_get_monotonic_time ();
  for (guint it = 0; it < iterations; it++)
    {
      g_autoptr(GPtrArray) parsed = NULL;
      const guint8 *body;
      gsize body_len;

      g_byte_array_set_size (joined, 0);
      for (guint r = 0; r < reports->len; r++)
        {
          const guint8 *data;
          gsize len;
          guint8 type;

          if (!hp_freestyle_decode_message (&g_array_index (reports, guint8, r * HP_FREESTYLE_REPORT_SIZE),
                                            HP_FREESTYLE_REPORT_SIZE, &type, &data, &len, NULL, NULL))
            return 1;
          g_byte_array_append (joined, data, (guint) len);
        }
      if (!hp_freestyle_text_complete (joined->data, joined->len) ||
          !hp_freestyle_parse_text_reply (joined->data, joined->len, &body, &body_len, NULL, NULL))
        return 1;
      parsed = hp_freestyle_parse_records (body, body_len, NULL, NULL);
      if (parsed == NULL)
        return 1;
      for (guint r = 0; r < parsed->len; r++)
        {
          HpFreestyleRecord record;

          if (!hp_freestyle_parse_glucose_record (HP_FREESTYLE_LAYOUT_NEO, g_ptr_array_index (parsed, r), &record, NULL))
            return 1;
          checksum += record.value;
        }
    }
  elapsed_us = MAX (g_get_monotonic_time () - start, 1);

  printf ("decoded %u $result? replies (%u records, %u reports each) in %.3f s\n",
          iterations, N_RECORDS, reports->len, elapsed_us / 1e6);
  printf ("%.0f reports/s, %.0f records/s (checksum %.0f)\n",
          (double) iterations * reports->len / (elapsed_us / 1e6),
          (double) iterations * N_RECORDS / (elapsed_us / 1e6), checksum);
  return hp_bench_reading_latency ("FreeStyle: last report to ready", make_meter, LATENCY_RUNS) ? 0 : 1;
}
