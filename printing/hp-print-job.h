/* One printout sent through CUPS and followed until it is printed, failed or cancelled. */
#pragma once

#include <gio/gio.h>

#include "hp-print-problem.h"

G_BEGIN_DECLS

typedef enum {
  HP_PRINT_STATE_IDLE,      /* nothing sent yet */
  HP_PRINT_STATE_SENDING,   /* reaching the printer and handing it the document */
  HP_PRINT_STATE_PRINTING,  /* the printer took the job; it may still be waiting on a problem */
  HP_PRINT_STATE_DONE,      /* the printer says the job is completed */
  HP_PRINT_STATE_FAILED,    /* it will not come out: the problem says why */
} HpPrintState;

/* How a job ended. */
typedef struct {
  HpPrintState   state;    /* HP_PRINT_STATE_DONE or HP_PRINT_STATE_FAILED */
  HpPrintProblem problem;  /* HP_PRINT_PROBLEM_NONE when done */
  int            job_id;   /* the printer's job id; 0 when no job was made */
  char          *detail;   /* for staff and logs: the printer's reasons or the IPP error; never patient data */
} HpPrintOutcome;

HpPrintOutcome *hp_print_outcome_copy (const HpPrintOutcome *outcome);
void            hp_print_outcome_free (HpPrintOutcome       *outcome);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HpPrintOutcome, hp_print_outcome_free)

/* Defaults of the job's limits. */
#define HP_PRINT_JOB_PROBLEM_TIMEOUT_MS_DEFAULT 60000
#define HP_PRINT_JOB_DEADLINE_MS_DEFAULT        300000

#define HP_TYPE_PRINT_JOB (hp_print_job_get_type ())
G_DECLARE_FINAL_TYPE (HpPrintJob, hp_print_job, HP, PRINT_JOB, GObject)

/* A job for @printer: a CUPS destination name, or a printer URI such as
 * ipp://host:631/ipp/print. @document is a PDF; @title names the job on the
 * printer's queue and must hold no patient data ("Healthpost summary"). */
HpPrintJob     *hp_print_job_new                 (const char           *printer,
                                                  GBytes               *document,
                                                  const char           *title);

/* The PWG media name to ask for ("iso_a4_210x297mm"), or %NULL for the
 * printer's default. A name the printer does not list is not sent. */
void            hp_print_job_set_media           (HpPrintJob           *self,
                                                  const char           *media);
/* How long a problem (no paper, door open, stopped...) may hold the job
 * before it is cancelled and fails: a summary must not come out later for
 * the next person to pick up. */
void            hp_print_job_set_problem_timeout (HpPrintJob           *self,
                                                  guint                 timeout_ms);
/* How long the whole job may take before it is cancelled and fails. */
void            hp_print_job_set_deadline        (HpPrintJob           *self,
                                                  guint                 deadline_ms);

/* Sends the job on a worker thread with its own connection and follows it
 * there, asking the printer at most once a second; the state, problem and
 * job id properties change on the thread-default main context of the
 * caller. Runs once per job. Cancelling @cancellable cancels the job on
 * the printer too, and the task then fails with G_IO_ERROR_CANCELLED. */
void            hp_print_job_run_async           (HpPrintJob           *self,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
/* How the job ended; %NULL only with G_IO_ERROR_CANCELLED. */
HpPrintOutcome *hp_print_job_run_finish          (HpPrintJob           *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

const char     *hp_print_job_get_printer         (HpPrintJob           *self);
HpPrintState    hp_print_job_get_state           (HpPrintJob           *self);
/* The problem seen now (while printing) or the one it failed on. */
HpPrintProblem  hp_print_job_get_problem         (HpPrintJob           *self);
int             hp_print_job_get_job_id          (HpPrintJob           *self);
/* What staff see about the current problem; "" when there is none. */
const char     *hp_print_job_get_detail          (HpPrintJob           *self);

G_END_DECLS
