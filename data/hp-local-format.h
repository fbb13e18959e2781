/* Numbers and dates as the patient reads them, in the visit's language whatever the process's locale. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* More decimals than this would be false precision for any reading. */
#define HP_LOCAL_FORMAT_MAX_DIGITS 6

/* The ways the kiosk writes a date for a patient. */
typedef enum {
  HP_DATE_FORM_SHORT,          /* "21 Nov", under a chart's dot */
  HP_DATE_FORM_DAY_MONTH,      /* "21 November", in a sentence within one year */
  HP_DATE_FORM_DAY_MONTH_YEAR, /* "21 November 2026" */
} HpDateForm;

#define HP_DATE_FORM_LAST HP_DATE_FORM_DAY_MONTH_YEAR

/* @value with @digits decimals (at most HP_LOCAL_FORMAT_MAX_DIGITS),
 * rounded as printf rounds, with the current message language's decimal
 * separator ("81.5" in English, "81,5" in French) and no grouping of
 * thousands. A value that rounds to zero has no minus sign. %NULL for a
 * value that is not a finite number. */
char       *hp_local_format_decimal            (double      value,
                                                guint       digits);

/* @time in the kiosk's local time zone, written in @form in the current
 * message language ("21 de noviembre de 2026" in Spanish). %NULL only when
 * @time cannot be expressed in local time. */
char       *hp_local_format_date               (GDateTime  *time,
                                                HpDateForm  form);

/* The name of @month (1 to 12) and its abbreviation, in the current
 * message language. */
const char *hp_local_format_month_name         (guint       month);
const char *hp_local_format_month_abbreviation (guint       month);

G_END_DECLS
