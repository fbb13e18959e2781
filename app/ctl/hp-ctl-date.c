/* The dates staff type on healthpost-ctl's command line. */
#include "hp-ctl-date.h"

#include <string.h>

G_DEFINE_QUARK (hp-ctl-date-error-quark, hp_ctl_date_error)

/* Longer input is not a date; this also bounds the fraction. */
#define MAX_DATE_LENGTH 40

static GDateTime *
refuse (GError    **error,
        const char *why)
{
  g_set_error (error, HP_CTL_DATE_ERROR, HP_CTL_DATE_ERROR_INVALID,
               "not a date: %s (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM])", why);
  return NULL;
}

/* Reads exactly @n digits at *@p. */
static gboolean
read_digits (const char **p,
             guint        n,
             gint        *value)
{
  gint result = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit ((*p)[i]))
        return FALSE;
      result = result * 10 + ((*p)[i] - '0');
    }
  *p += n;
  *value = result;
  return TRUE;
}

static gboolean
expect (const char **p,
        char         c)
{
  if (**p != c)
    return FALSE;
  (*p)++;
  return TRUE;
}

GDateTime *
hp_ctl_parse_date (const char  *text,
                   GTimeZone   *zone,
                   GError     **error)
{
  g_autoptr(GTimeZone) offset_zone = NULL;
  const char *p = text;
  gint year, month, day, hour = 0, minute = 0;
  double seconds = 0.0;
  GTimeZone *use_zone = zone;
  GDateTime *result;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (zone != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (strlen (text) > MAX_DATE_LENGTH)
    return refuse (error, "too long");
  if (!read_digits (&p, 4, &year) || !expect (&p, '-')
      || !read_digits (&p, 2, &month) || !expect (&p, '-')
      || !read_digits (&p, 2, &day))
    return refuse (error, "the date part is not YYYY-MM-DD");
  if (year < 1 || month < 1 || month > 12 || day < 1
      || !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return refuse (error, "no such day");

  if (*p == 'T')
    {
      gint whole_seconds = 0;

      p++;
      if (!read_digits (&p, 2, &hour) || !expect (&p, ':') || !read_digits (&p, 2, &minute))
        return refuse (error, "the time is not HH:MM");
      if (*p == ':')
        {
          p++;
          if (!read_digits (&p, 2, &whole_seconds))
            return refuse (error, "the seconds are not two digits");
          seconds = whole_seconds;
          if (*p == '.')
            {
              double scale = 0.1;

              p++;
              if (!g_ascii_isdigit (*p))
                return refuse (error, "a fraction of a second has no digits");
              for (; g_ascii_isdigit (*p); p++, scale /= 10)
                seconds += (*p - '0') * scale;
            }
        }
      if (hour > 23 || minute > 59 || whole_seconds > 59)
        return refuse (error, "no such time of day");
      /* A fraction rounding up to 60 s would be the next minute. */
      if (seconds >= 60.0)
        seconds = 59.999999;

      if (*p == 'Z')
        {
          p++;
          offset_zone = g_time_zone_new_utc ();
          use_zone = offset_zone;
        }
      else if (*p == '+' || *p == '-')
        {
          gint sign = *p == '-' ? -1 : 1;
          gint offset_hours, offset_minutes;

          p++;
          if (!read_digits (&p, 2, &offset_hours) || !expect (&p, ':')
              || !read_digits (&p, 2, &offset_minutes))
            return refuse (error, "the zone is not ±HH:MM");
          if (offset_hours > 14 || offset_minutes > 59 || (offset_hours == 14 && offset_minutes > 0))
            return refuse (error, "no such zone offset");
          offset_zone = g_time_zone_new_offset (sign * (offset_hours * 3600 + offset_minutes * 60));
          use_zone = offset_zone;
        }
    }
  if (*p != '\0')
    return refuse (error, "unexpected text after the date");

  result = g_date_time_new (use_zone, year, month, day, hour, minute, seconds);
  if (result == NULL)
    return refuse (error, "out of range");
  return result;
}
