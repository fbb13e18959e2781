/* Benchmark: IEEE 11073 scan report decoding per specialization and form, and the time from a report's arrival to "measurement-ready". */
#include <stdio.h>
#include <stdlib.h>

#include "hp-ieee11073.h"
#include "hp-phdc-device.h"
#include "hp-phdc-simulator.h"
#include "hp-simulator-transport.h"

#define DEFAULT_ITERATIONS 300000
#define DEFAULT_RUNS       300

/* One report per specialization and form, as the simulator sends it. */
static GByteArray *
sample_report (HpMeasurementKind kind,
               guint16           event_type,
               HpIeee11073Config *config)
{
  static const guint8 time[8] = { 0x20, 0x24, 0x05, 0x17, 0x09, 0x41, 0x12, 0x00 };
  gboolean var = event_type == HP_IEEE11073_NOTI_SCAN_REPORT_VAR || event_type == HP_IEEE11073_NOTI_SCAN_REPORT_MP_VAR;
  g_autoptr(GPtrArray) payloads = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  HpIeee11073ScanEntry entries[2];
  GByteArray *out = g_byte_array_new ();
  guint n = kind == HP_MEASUREMENT_KIND_BLOOD_PRESSURE ? 2 : 1;

  for (guint i = 0; i < n; i++)
    {
      const HpIeee11073ConfigObject *object = &config->objects[i];
      GByteArray *payload = g_byte_array_new ();
      /* 120/80/93 mmHg, pulse 72; 72.4 kg; 104 mg/dL. */
      static const guint8 bp[] = { 0, 3, 0, 6, 0, 120, 0, 80, 0, 93 };
      static const guint8 pulse[] = { 0, 72 };
      static const guint8 weight[] = { 0xFF, 0x00, 0x02, 0xD4 };
      static const guint8 glucose[] = { 0, 104 };
      const guint8 *value = kind == HP_MEASUREMENT_KIND_BODY_WEIGHT ? weight
                            : kind == HP_MEASUREMENT_KIND_BLOOD_GLUCOSE ? glucose
                            : i == 0 ? bp : pulse;
      guint value_len = object->value_map[0].length;

      if (var)
        {
          guint16 len = (guint16) (4 + value_len + 4 + 8);
          guint8 head[4] = { 0, 2, (guint8) (len >> 8), (guint8) len };
          guint8 ava[4] = { (guint8) (object->value_map[0].attribute_id >> 8), (guint8) object->value_map[0].attribute_id,
                            0, (guint8) value_len };

          g_byte_array_append (payload, head, 4);
          g_byte_array_append (payload, ava, 4);
        }
      g_byte_array_append (payload, value, value_len);
      if (var)
        g_byte_array_append (payload, (const guint8[]) { 0x09, 0x90, 0, 8 }, 4);
      g_byte_array_append (payload, time, 8);
      g_ptr_array_add (payloads, payload);
      entries[i] = (HpIeee11073ScanEntry) { 1, object->handle, payload->data, payload->len };
    }
  hp_ieee11073_encode_scan_report (out, 1, 0, event_type, 0xF000, 0, entries, n);
  return out;
}

static void
bench_decode (guint iterations)
{
  static const struct { HpMeasurementKind kind; guint16 config_id; const char *name; } kinds[] = {
    { HP_MEASUREMENT_KIND_BLOOD_PRESSURE, HP_IEEE11073_CONFIG_BLOOD_PRESSURE, "blood pressure 0x02BC" },
    { HP_MEASUREMENT_KIND_BODY_WEIGHT, HP_IEEE11073_CONFIG_WEIGHING_SCALE, "weighing scale 0x05DC" },
    { HP_MEASUREMENT_KIND_BLOOD_GLUCOSE, HP_IEEE11073_CONFIG_GLUCOSE, "glucose 0x06A4" },
  };
  static const struct { guint16 type; const char *name; } forms[] = {
    { HP_IEEE11073_NOTI_SCAN_REPORT_FIXED, "fixed" },
    { HP_IEEE11073_NOTI_SCAN_REPORT_VAR, "var" },
    { HP_IEEE11073_NOTI_SCAN_REPORT_MP_FIXED, "mp-fixed" },
    { HP_IEEE11073_NOTI_SCAN_REPORT_MP_VAR, "mp-var" },
  };

  for (gsize k = 0; k < G_N_ELEMENTS (kinds); k++)
    for (gsize f = 0; f < G_N_ELEMENTS (forms); f++)
      {
        g_autoptr(HpIeee11073Config) config = hp_ieee11073_config_new_standard (kinds[k].config_id);
        g_autoptr(GByteArray) apdu = sample_report (kinds[k].kind, forms[f].type, config);
        double checksum = 0;
        gint64 start = g_get_monotonic_time (), elapsed_us;

        for (guint i = 0; i < iterations; i++)
          {
            HpIeee11073Apdu decoded;
            HpIeee11073ScanReport report;

            if (!hp_ieee11073_decode_apdu (apdu->data, apdu->len, &decoded, NULL, NULL) ||
                !hp_ieee11073_decode_scan_report (&decoded.u.prst, config, &report, NULL, NULL))
              exit (1);
            /* Keeps the compiler from dropping the work. */
            checksum += g_array_index (report.observations, HpIeee11073NumericObservation, 0).values[0];
            hp_ieee11073_scan_report_clear (&report);
          }
        elapsed_us = MAX (g_get_monotonic_time () - start, 1);
        printf ("decode %-22s %-8s %3u bytes: %9.0f APDUs/s, %6.1f ns per APDU (checksum %.0f)\n",
                kinds[k].name, forms[f].name, apdu->len, iterations / (elapsed_us / 1e6),
                elapsed_us * 1000.0 / iterations, checksum);
      }
}

typedef struct {
  gint64 report_arrived;
  gint64 latency;
  gboolean done;
} Timing;

static void
on_received (HpTransport *transport G_GNUC_UNUSED,
             GBytes      *bytes,
             gpointer     user_data)
{
  const guint8 *data = g_bytes_get_data (bytes, NULL);

  /* A PRST carrying an invocation from the agent is its scan report. */
  if (g_bytes_get_size (bytes) > 10 && data[0] == 0xE7 && data[8] == 0x01)
    ((Timing *) user_data)->report_arrived = g_get_monotonic_time ();
}

static void
on_ready (HpDevice      *device G_GNUC_UNUSED,
          HpMeasurement *measurement G_GNUC_UNUSED,
          gpointer       user_data)
{
  Timing *timing = user_data;

  timing->latency = g_get_monotonic_time () - timing->report_arrived;
  timing->done = TRUE;
}

static void
on_failed (HpDevice     *device G_GNUC_UNUSED,
           const GError *error,
           gpointer      user_data G_GNUC_UNUSED)
{
  fprintf (stderr, "measurement failed: %s\n", error->message);
  exit (1);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static void
bench_latency (HpMeasurementKind kind,
               const char       *name,
               guint             runs)
{
  HpPhdcSimulation simulation = { .kind = kind, .value = kind == HP_MEASUREMENT_KIND_BLOOD_PRESSURE ? 120 : 80,
                                  .diastolic = 80, .pulse = 70 };
  g_autoptr(HpSimulatorTransport) transport = hp_simulator_transport_new ();
  g_autoptr(HpPhdcSimulator) agent G_GNUC_UNUSED = hp_phdc_simulator_new (transport, &simulation);
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  Timing timing = { 0 };
  g_autoptr(HpDevice) device = NULL;

  /* Connected before the driver, so it sees each report first. */
  g_signal_connect (transport, "received", G_CALLBACK (on_received), &timing);
  device = hp_phdc_device_new ("bench", "Bench", kind, HP_TRANSPORT (transport));
  g_signal_connect (device, "measurement-ready", G_CALLBACK (on_ready), &timing);
  g_signal_connect (device, "measurement-failed", G_CALLBACK (on_failed), NULL);

  for (guint i = 0; i < runs; i++)
    {
      timing.done = FALSE;
      if (!hp_device_start_measurement (device, NULL))
        exit (1);
      while (!timing.done)
        g_main_context_iteration (NULL, TRUE);
      g_array_append_val (latencies, timing.latency);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      /* The agent stamps readings in hundredths of a second, and the same
       * reading twice is refused: let its clock move on. */
      g_usleep (11000);
    }
  g_array_sort (latencies, compare_gint64);
  printf ("report arrival -> measurement-ready, %s (confirm and release round trip included), %u runs: "
          "p50 %" G_GINT64_FORMAT " us, p99 %" G_GINT64_FORMAT " us\n", name, runs,
          g_array_index (latencies, gint64, runs / 2), g_array_index (latencies, gint64, (runs * 99) / 100));
}

int
main (int    argc,
      char **argv)
{
  guint iterations = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : DEFAULT_ITERATIONS;
  guint runs = argc > 2 ? (guint) strtoul (argv[2], NULL, 10) : DEFAULT_RUNS;

  setvbuf (stdout, NULL, _IOLBF, 0);
  bench_decode (iterations);
  bench_latency (HP_MEASUREMENT_KIND_BLOOD_PRESSURE, "blood pressure", MAX (runs, 1));
  bench_latency (HP_MEASUREMENT_KIND_BODY_WEIGHT, "weighing scale", MAX (runs, 1));
  bench_latency (HP_MEASUREMENT_KIND_BLOOD_GLUCOSE, "glucose", MAX (runs, 1));
  return 0;
}
