/* Printed visit summaries: the service the kiosk asks for a printout. */
#pragma once

#include <gio/gio.h>

#include "hp-audit.h"
#include "hp-print-job.h"
#include "hp-summary-pdf.h"

G_BEGIN_DECLS

#define HP_PRINT_ERROR (hp_print_error_quark ())

/* Why a printout was not even tried. What happens at the printer is an
 * HpPrintOutcome, not an error. */
typedef enum {
  HP_PRINT_ERROR_NOT_CONFIGURED, /* no printer is set up */
  HP_PRINT_ERROR_BUSY,           /* another printout is on its way */
  HP_PRINT_ERROR_LIMIT_REACHED,  /* this visit has had all its copies */
} HpPrintError;

GQuark hp_print_error_quark (void);

/* Copies of one visit's summary unless configured otherwise. */
#define HP_PRINT_COPIES_PER_VISIT_DEFAULT 2

#define HP_TYPE_PRINT_SERVICE (hp_print_service_get_type ())
G_DECLARE_FINAL_TYPE (HpPrintService, hp_print_service, HP, PRINT_SERVICE, GObject)

/* A service with no printer: nothing can be printed until one is set. */
HpPrintService *hp_print_service_new                  (void);

/* @printer: a CUPS destination name, or a printer URI such as
 * ipp://host:631/ipp/print; %NULL or "" for none. */
void            hp_print_service_set_printer          (HpPrintService      *self,
                                                       const char          *printer);
const char     *hp_print_service_get_printer          (HpPrintService      *self);
void            hp_print_service_set_paper            (HpPrintService      *self,
                                                       HpPaper              paper);
HpPaper         hp_print_service_get_paper            (HpPrintService      *self);
/* How many copies of its summary one visit may print (at least 1). */
void            hp_print_service_set_copies_per_visit (HpPrintService      *self,
                                                       guint                copies);
guint           hp_print_service_get_copies_per_visit (HpPrintService      *self);
/* How long a problem at the printer may hold a printout before it is
 * cancelled (HP_PRINT_JOB_PROBLEM_TIMEOUT_MS_DEFAULT unless set). */
void            hp_print_service_set_problem_timeout  (HpPrintService      *self,
                                                       guint                timeout_ms);
/* Where every printout is recorded ("print.summary", "print.test"), and as
 * whom (HP_AUDIT_ACTOR_KIOSK, or HP_AUDIT_ACTOR_SYSTEM for staff's tools);
 * %NULL @audit for no record. */
void            hp_print_service_set_audit            (HpPrintService      *self,
                                                       HpAuditLog          *audit,
                                                       const char          *actor);

/* Whether a printer is set up; until it is, no print button is offered. */
gboolean        hp_print_service_is_available         (HpPrintService      *self);
/* How many more copies visit @visit_id may print now: 0 while another
 * printout is on its way or no printer is set up. */
guint           hp_print_service_get_copies_left      (HpPrintService      *self,
                                                       const char          *visit_id);

/* Prints @pdf. @visit_id names the visit whose summary it is, counted
 * against its copies (a copy that fails is given back); %NULL prints a
 * staff test page, which counts against nothing. @job_title is what the
 * printer's queue shows and must hold no patient data ("Healthpost
 * summary"). The state and problem properties follow the printout on the
 * caller's thread-default main context.
 * Fails with HP_PRINT_ERROR before anything is sent, and with
 * G_IO_ERROR_CANCELLED when cancelled, by @cancellable or by the end of its
 * visit (see hp_print_service_forget_visit(); the job is cancelled at the
 * printer too); otherwise the outcome says whether it came out. */
void            hp_print_service_print_async          (HpPrintService      *self,
                                                       const char          *visit_id,
                                                       GBytes              *pdf,
                                                       const char          *job_title,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
HpPrintOutcome *hp_print_service_print_finish         (HpPrintService      *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

/* Whether a printout is on its way: until it ends no other is taken (the
 * kiosk waits rather than queue a summary behind one a problem holds). */
gboolean        hp_print_service_get_busy             (HpPrintService      *self);

/* The printout now or the last one, whoever it was for: what staff see. */
HpPrintState    hp_print_service_get_state            (HpPrintService      *self);
/* The state of visit @visit_id's own printout, now or last, and in
 * @problem (may be %NULL) what holds or stopped it: what its patient sees.
 * Idle, with no problem, when the printer's news is about another visit's
 * printout or a test page, or when the visit has sent none. */
HpPrintState    hp_print_service_get_visit_state      (HpPrintService      *self,
                                                       const char          *visit_id,
                                                       HpPrintProblem      *problem);
HpPrintProblem  hp_print_service_get_problem          (HpPrintService      *self);
/* For staff: the printer's reasons or the IPP error behind the problem;
 * "" when there is none. Holds no patient data. */
const char     *hp_print_service_get_detail           (HpPrintService      *self);
/* The printer's id of the job now or last sent; 0 when none was made. */
int             hp_print_service_get_job_id           (HpPrintService      *self);

/* The visit is over: its copies are forgotten and, unless a printout is
 * still on its way, the state is idle again. A summary on its way that the
 * printer prints is left to finish. One that a problem holds (no paper,
 * door open, jammed...), now or later, is cancelled at the printer at
 * once, so that it cannot come out for the next patient once someone fixes
 * the problem: its print_async callback gets G_IO_ERROR_CANCELLED, the
 * audit trail has outcome=cancelled with the problem and
 * reason=visit-ended, and the service is idle and free again as soon as
 * the printer has been told. A staff test page is no visit's and is left
 * as it is. */
void            hp_print_service_forget_visit         (HpPrintService      *self);

G_END_DECLS
