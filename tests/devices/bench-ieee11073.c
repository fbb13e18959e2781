/* Benchmark: decoding blood-pressure fixed scan reports (APDU plus configuration 0x02BC). */
#include <stdio.h>
#include <stdlib.h>

#include "hp-ieee11073.h"

#define DEFAULT_ITERATIONS 1000000

int
main (int    argc,
      char **argv)
{
  HpIeee11073BloodPressure reading = {
    .data_req_id = 0xF000, .systolic = 120, .diastolic = 80, .mean_arterial = 93,
    .has_pulse = TRUE, .pulse = 72, .time = { 2024, 5, 17, 9, 41, 12, 0 },
  };
  g_autoptr(GByteArray) apdu = g_byte_array_new ();
  guint iterations = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : DEFAULT_ITERATIONS;
  double checksum = 0;
  gint64 start, elapsed_us;

  if (!hp_ieee11073_encode_blood_pressure (apdu, 1, 0, &reading))
    return 1;

  start = g_get_monotonic_time ();
  for (guint i = 0; i < iterations; i++)
    {
      HpIeee11073Apdu decoded;
      HpIeee11073BloodPressure bp;

      if (!hp_ieee11073_decode_apdu (apdu->data, apdu->len, &decoded, NULL, NULL) ||
          !hp_ieee11073_decode_blood_pressure (&decoded.u.prst, &bp, NULL, NULL))
        return 1;
      /* Keeps the compiler from dropping the work. */
      checksum += bp.systolic;
    }
  elapsed_us = MAX (g_get_monotonic_time () - start, 1);

  printf ("decoded %u blood-pressure scan reports (%u bytes each) in %.3f s\n",
          iterations, apdu->len, elapsed_us / 1e6);
  printf ("%.0f APDUs/s, %.1f ns per APDU (checksum %.0f)\n",
          iterations / (elapsed_us / 1e6), elapsed_us * 1000.0 / iterations, checksum);
  return 0;
}
