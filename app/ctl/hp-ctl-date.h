/* The dates staff type on healthpost-ctl's command line. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HP_CTL_DATE_ERROR (hp_ctl_date_error_quark ())

typedef enum {
  HP_CTL_DATE_ERROR_INVALID,
} HpCtlDateError;

GQuark     hp_ctl_date_error_quark (void);

/* Parses "YYYY-MM-DD" (midnight in @zone) or "YYYY-MM-DDTHH:MM[:SS[.fraction]]"
 * with an optional "Z" or "±HH:MM" (in @zone when absent). Nothing else is
 * taken: no week or ordinal dates, no spaces, no missing fields. */
GDateTime *hp_ctl_parse_date       (const char  *text,
                                    GTimeZone   *zone,
                                    GError     **error);

G_END_DECLS
