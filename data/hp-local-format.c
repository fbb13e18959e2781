/* Numbers and dates as the patient reads them, in the visit's language whatever the process's locale. */
#include "hp-local-format-private.h"

#include <float.h>
#include <math.h>
#include <glib/gi18n.h>
#include <string.h>

/* The kiosk switches only its message catalogue from visit to visit; the
 * C library's LC_NUMERIC and LC_TIME stay as the process started, and a
 * kiosk cannot count on every language's locale being installed. So the
 * decimal separator, the month names and the order of a date's parts are
 * all messages, translated with the rest. */

/* A sign, DBL_MAX_10_EXP + 1 whole digits, the separator, the decimals and
 * the terminating NUL: %f of any finite double fits. */
#define DECIMAL_BUFFER_SIZE (1 + DBL_MAX_10_EXP + 1 + 1 + HP_LOCAL_FORMAT_MAX_DIGITS + 1)

static gboolean
only_zeros (const char *digits)
{
  for (const char *p = digits; *p != '\0'; p++)
    if (*p != '0' && *p != '.')
      return FALSE;
  return TRUE;
}

char *
hp_local_format_decimal (double value,
                         guint  digits)
{
  char format[16];
  char buffer[DECIMAL_BUFFER_SIZE];
  const char *number = buffer;
  const char *separator;
  const char *point;
  GString *text;

  g_return_val_if_fail (digits <= HP_LOCAL_FORMAT_MAX_DIGITS, NULL);

  if (!isfinite (value))
    return NULL;

  /* g_ascii_formatd rounds exactly as printf does, in the C locale,
   * which is also how the interpretation rounds a value before it picks
   * a category: what the patient reads and what it is judged by agree. */
  g_snprintf (format, sizeof format, "%%.%uf", digits);
  g_ascii_formatd (buffer, sizeof buffer, format, value);

  /* -0.04 shown with one decimal is nought, not "-0.0". */
  if (number[0] == '-' && only_zeros (number + 1))
    number++;

  point = strchr (number, '.');
  if (point == NULL)
    return g_strdup (number);

  /* TRANSLATORS: the mark between the whole part of a number and its
   * decimals, as in "81.5 kg": "," in French; keep "." where the kiosk's
   * users write 81.5 */
  separator = C_("decimal separator", ".");
  if (separator[0] == '\0')
    separator = ".";

  text = g_string_sized_new (strlen (number) + strlen (separator));
  g_string_append_len (text, number, point - number);
  g_string_append (text, separator);
  g_string_append (text, point + 1);
  return g_string_free (text, FALSE);
}

const char *
hp_local_format_month_name (guint month)
{
  g_return_val_if_fail (month >= 1 && month <= 12, NULL);

  /* Each a message of its own: no two languages inflect them alike. */
  switch (month)
    {
    case 1:
      return C_("month name", "January");
    case 2:
      return C_("month name", "February");
    case 3:
      return C_("month name", "March");
    case 4:
      return C_("month name", "April");
    case 5:
      return C_("month name", "May");
    case 6:
      return C_("month name", "June");
    case 7:
      return C_("month name", "July");
    case 8:
      return C_("month name", "August");
    case 9:
      return C_("month name", "September");
    case 10:
      return C_("month name", "October");
    case 11:
      return C_("month name", "November");
    case 12:
    default:
      return C_("month name", "December");
    }
}

const char *
hp_local_format_month_abbreviation (guint month)
{
  g_return_val_if_fail (month >= 1 && month <= 12, NULL);

  /* TRANSLATORS: the months shortened under the dots of a chart; the
   * whole name where the language does not shorten them */
  switch (month)
    {
    case 1:
      return C_("month abbreviation", "Jan");
    case 2:
      return C_("month abbreviation", "Feb");
    case 3:
      return C_("month abbreviation", "Mar");
    case 4:
      return C_("month abbreviation", "Apr");
    case 5:
      return C_("month abbreviation", "May");
    case 6:
      return C_("month abbreviation", "Jun");
    case 7:
      return C_("month abbreviation", "Jul");
    case 8:
      return C_("month abbreviation", "Aug");
    case 9:
      return C_("month abbreviation", "Sep");
    case 10:
      return C_("month abbreviation", "Oct");
    case 11:
      return C_("month abbreviation", "Nov");
    case 12:
    default:
      return C_("month abbreviation", "Dec");
    }
}

char *
hp_local_format_expand_date_pattern (const char *pattern,
                                     const char *day,
                                     const char *month,
                                     int         year,
                                     gboolean    with_year)
{
  g_autoptr(GString) text = NULL;
  guint seen_day = 0, seen_month = 0, seen_year = 0;

  g_return_val_if_fail (pattern != NULL, NULL);
  g_return_val_if_fail (day != NULL, NULL);
  g_return_val_if_fail (month != NULL, NULL);

  text = g_string_new (NULL);

  for (const char *p = pattern; *p != '\0'; p++)
    {
      if (*p != '%')
        g_string_append_c (text, *p);
      else if (p[1] == '%')
        {
          g_string_append_c (text, '%');
          p++;
        }
      else if (g_str_has_prefix (p, "%1$d"))
        {
          g_string_append (text, day);
          seen_day++;
          p += 3;
        }
      else if (g_str_has_prefix (p, "%2$s"))
        {
          g_string_append (text, month);
          seen_month++;
          p += 3;
        }
      else if (with_year && g_str_has_prefix (p, "%3$d"))
        {
          g_string_append_printf (text, "%d", year);
          seen_year++;
          p += 3;
        }
      else
        return NULL;
    }

  if (seen_day != 1 || seen_month != 1 || seen_year != (with_year ? 1u : 0u))
    return NULL;
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The day of the month as a date writes it. Some languages write the
 * first of the month as an ordinal (French "1er novembre"). */
static char *
day_of_month (int day)
{
  if (day == 1)
    {
      /* TRANSLATORS: the first day of a month in a date ("1 November"),
       * written as your language writes it: French "1er" */
      const char *first = C_("date: the first day of a month", "1");

      /* A catalogue that drops the digit is not used. */
      if (strchr (first, '1') != NULL && strchr (first, '%') == NULL)
        return g_strdup (first);
    }
  return g_strdup_printf ("%d", day);
}

char *
hp_local_format_date (GDateTime  *time,
                      HpDateForm  form)
{
  g_autoptr(GDateTime) local = NULL;
  const char *pattern = NULL;
  const char *original = NULL;
  const char *month;
  gboolean with_year = FALSE;
  g_autofree char *day = NULL;
  int year;
  char *text;

  g_return_val_if_fail (time != NULL, NULL);
  g_return_val_if_fail (form <= HP_DATE_FORM_LAST, NULL);

  /* The patient's day is the kiosk's: a reading at 23:30 belongs to that
   * evening, whatever zone it was stored in. */
  local = g_date_time_to_local (time);
  if (local == NULL)
    return NULL;
  day = day_of_month (g_date_time_get_day_of_month (local));
  year = g_date_time_get_year (local);

  switch (form)
    {
    case HP_DATE_FORM_SHORT:
      month = hp_local_format_month_abbreviation ((guint) g_date_time_get_month (local));
      /* TRANSLATORS: a short date under a chart's dot, "21 Nov": %1$d
       * is the day of the month, %2$s the month's abbreviation */
      pattern = C_("date: day and abbreviated month", "%1$d %2$s");
      original = "%1$d %2$s";
      break;
    case HP_DATE_FORM_DAY_MONTH:
      month = hp_local_format_month_name ((guint) g_date_time_get_month (local));
      /* TRANSLATORS: a date in a sentence, "21 November": %1$d is the
       * day of the month, %2$s the month's name */
      pattern = C_("date: day and month", "%1$d %2$s");
      original = "%1$d %2$s";
      break;
    case HP_DATE_FORM_DAY_MONTH_YEAR:
    default:
      month = hp_local_format_month_name ((guint) g_date_time_get_month (local));
      /* TRANSLATORS: a date in a sentence, "21 November 2026": %1$d is
       * the day of the month, %2$s the month's name, %3$d the year */
      pattern = C_("date: day, month and year", "%1$d %2$s %3$d");
      original = "%1$d %2$s %3$d";
      with_year = TRUE;
      break;
    }

  /* A catalogue is a file on disk: a date pattern it spoils is not used,
   * and the order of the original is. */
  text = hp_local_format_expand_date_pattern (pattern, day, month, year, with_year);
  if (text == NULL)
    text = hp_local_format_expand_date_pattern (original, day, month, year, with_year);
  return text;
}
