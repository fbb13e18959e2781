/* libFuzzer target: a date pattern as a message catalogue gives it, and any double written as a decimal. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "hp-local-format-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* The first byte chooses the year form and the number of decimals, the
 * next eight are a double; the rest is the pattern. */
#define HEADER_SIZE (1 + sizeof (double))

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char month[] = "Mmm";
  char *pattern;
  char *date;
  char *number;
  gboolean with_year;
  guint digits;
  double value;

  if (size < HEADER_SIZE)
    return 0;
  with_year = data[0] & 1;
  digits = (data[0] >> 1) % (HP_LOCAL_FORMAT_MAX_DIGITS + 1);
  memcpy (&value, data + 1, sizeof value);

  number = hp_local_format_decimal (value, digits);
  /* Every finite number is written, no other. */
  if ((number == NULL) != !isfinite (value))
    __builtin_trap ();
  g_free (number);

  pattern = g_strndup ((const char *) data + HEADER_SIZE, size - HEADER_SIZE);
  date = hp_local_format_expand_date_pattern (pattern, "31", month, 2026, with_year);
  if (date != NULL)
    {
      /* A pattern that is taken names the day and the month (and the year). */
      if (strstr (date, month) == NULL || strstr (date, "31") == NULL ||
          (with_year && strstr (date, "2026") == NULL))
        __builtin_trap ();
    }
  g_free (date);
  g_free (pattern);
  return 0;
}
