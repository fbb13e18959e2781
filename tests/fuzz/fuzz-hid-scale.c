/* libFuzzer target: the HID scale report decoder and its weight conversion. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "hp-hid-scale-codec.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  HpHidScaleReport report;
  GError *error = NULL;
  gsize offset = G_MAXSIZE;
  guint8 again[HP_HID_SCALE_REPORT_SIZE];
  const char *unit;
  double value;

  if (!hp_hid_scale_decode_report (data, size, &report, &offset, &error))
    {
      if (error == NULL || offset > size)
        __builtin_trap ();
      g_clear_error (&error);
      return 0;
    }

  /* A decoded report encodes back to the very same bytes. */
  hp_hid_scale_encode_report (&report, again);
  if (size != sizeof again || memcmp (again, data, sizeof again) != 0)
    __builtin_trap ();

  if (hp_hid_scale_report_weight (&report, &value, &unit, &error))
    {
      if (unit == NULL || isnan (value) || value < 0)
        __builtin_trap ();
    }
  else
    {
      if (error == NULL)
        __builtin_trap ();
      g_clear_error (&error);
    }
  return 0;
}
