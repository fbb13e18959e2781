/* libFuzzer target: the --since DATE parser of healthpost-ctl export. */
#include <stdint.h>
#include <string.h>

#include "hp-ctl-date.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static GTimeZone *zone;
  char *text;
  GDateTime *parsed;
  GError *error = NULL;

  if (zone == NULL)
    zone = g_time_zone_new_offset (-5 * 3600);
  text = g_strndup ((const char *) data, size);
  parsed = hp_ctl_parse_date (text, zone, &error);
  if (parsed == NULL)
    {
      /* Every refusal says why. */
      if (error == NULL || error->message == NULL)
        __builtin_trap ();
      g_error_free (error);
    }
  else
    {
      /* What was accepted is a real date whose day reads back as typed. */
      char day[11];

      if (error != NULL || strlen (text) < 10)
        __builtin_trap ();
      g_snprintf (day, sizeof day, "%04d-%02d-%02d", g_date_time_get_year (parsed),
                  g_date_time_get_month (parsed), g_date_time_get_day_of_month (parsed));
      if (text[10] == '\0' && memcmp (day, text, 10) != 0)
        __builtin_trap ();
      g_date_time_unref (parsed);
    }
  g_free (text);
  return 0;
}
