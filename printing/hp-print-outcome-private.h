/* The status a print job and the print service both show as properties. */
#pragma once

#include "hp-print-job.h"

G_BEGIN_DECLS

/* The order of the property specs handed to hp_print_outcome_update(). */
typedef enum {
  HP_PRINT_STATUS_STATE,
  HP_PRINT_STATUS_PROBLEM,
  HP_PRINT_STATUS_JOB_ID,
  HP_PRINT_STATUS_DETAIL,
  HP_PRINT_STATUS_N
} HpPrintStatusField;

/* Sets @status to the new values, notifying on @owner the spec of each
 * one that changed, all at once. A %NULL @detail is kept as "". */
void hp_print_outcome_update (HpPrintOutcome    *status,
                              GObject           *owner,
                              GParamSpec *const  pspecs[HP_PRINT_STATUS_N],
                              HpPrintState       state,
                              HpPrintProblem     problem,
                              int                job_id,
                              const char        *detail);

G_END_DECLS
