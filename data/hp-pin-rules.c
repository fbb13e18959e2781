/* The digit patterns that make a PIN easy to guess, shared by patients' and staff PINs. */
#include "hp-pin-rules.h"

gboolean
hp_pin_steps_evenly (const char *pin,
                     gsize       len,
                     gsize       stride,
                     gboolean    any_step)
{
  int step;

  if (stride == 0 || len <= stride)
    return FALSE;
  step = (pin[stride] - pin[0] + 10) % 10;
  if (!any_step && step != 1 && step != 9)
    return FALSE;
  for (gsize i = stride; i < len; i += stride)
    if ((pin[i] - pin[i - stride] + 10) % 10 != step)
      return FALSE;
  return TRUE;
}

gboolean
hp_pin_repeats (const char *pin,
                gsize       len,
                gsize       period)
{
  if (period == 0 || len < 2 * period)
    return FALSE;
  for (gsize i = period; i < len; i++)
    if (pin[i] != pin[i - period])
      return FALSE;
  return TRUE;
}
