/* Printed visit summaries: the service the kiosk asks for a printout. */
#include "hp-print-service.h"
#include "hp-print-outcome-private.h"

#include <string.h>

#include "hp-printing-enums.h"

/* Audit details are short: a long printer URI is cut to this. */
#define AUDIT_PRINTER_MAX 100

G_DEFINE_QUARK (hp-print-error-quark, hp_print_error)

/* One printout on its way. Its job waits on a cancellable of its own, so
 * that the service can stop it when its visit ends whoever asked for it;
 * the caller's cancellable, if any, is chained to that one. */
typedef struct {
  char *visit_id;               /* %NULL for a test page */
  guint copy;                   /* which copy of the visit's summary, from 1 */
  GCancellable *cancellable;    /* the job's */
  GCancellable *caller_cancellable;
  gulong caller_handler;
  gboolean visit_over;          /* its visit has ended: it may finish, not wait */
  HpPrintProblem held_by;       /* the problem it was cancelled on at its visit's end */
} Printout;

static void
printout_free (gpointer data)
{
  Printout *printout = data;

  if (printout->caller_handler != 0)
    g_cancellable_disconnect (printout->caller_cancellable, printout->caller_handler);
  g_clear_object (&printout->caller_cancellable);
  g_clear_object (&printout->cancellable);
  g_free (printout->visit_id);
  g_free (printout);
}

struct _HpPrintService
{
  GObject parent_instance;

  char *printer;
  HpPaper paper;
  guint copies_per_visit;
  guint problem_timeout_ms;
  HpAuditLog *audit;
  char *actor;

  HpPrintJob *job;          /* the printout on its way, if any */
  Printout *printout;       /* its task's data, while it is on its way */
  char *visit_id;           /* the visit whose copies are counted */
  guint visit_copies;       /* its copies printed or on their way */

  /* What the properties show: the last printout's, and whose it is (%NULL
   * for a test page), so that the next visit is not shown the news of the
   * one before. */
  HpPrintOutcome status;
  char *status_visit_id;
};

G_DEFINE_FINAL_TYPE (HpPrintService, hp_print_service, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PRINTER,
  PROP_PAPER,
  PROP_COPIES_PER_VISIT,
  PROP_STATE,
  PROP_PROBLEM,
  PROP_DETAIL,
  PROP_JOB_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_status (HpPrintService *self,
            HpPrintState    state,
            HpPrintProblem  problem,
            int             job_id,
            const char     *detail)
{
  GParamSpec *const pspecs[HP_PRINT_STATUS_N] = {
    [HP_PRINT_STATUS_STATE] = properties[PROP_STATE],
    [HP_PRINT_STATUS_PROBLEM] = properties[PROP_PROBLEM],
    [HP_PRINT_STATUS_JOB_ID] = properties[PROP_JOB_ID],
    [HP_PRINT_STATUS_DETAIL] = properties[PROP_DETAIL],
  };

  hp_print_outcome_update (&self->status, G_OBJECT (self), pspecs, state, problem, job_id, detail);
}

/* A summary whose visit is over may still finish coming out, but no
 * problem may hold it: once someone fills the paper or shuts the door, the
 * printer would hand it to whoever stands there then, the next patient. A
 * printout printing normally is left alone: cut mid-page it helps nobody,
 * and its patient may still be at the tray. */
static void
cancel_if_held (HpPrintService *self)
{
  HpPrintProblem problem;

  if (self->job == NULL || !self->printout->visit_over
      || self->printout->held_by != HP_PRINT_PROBLEM_NONE
      || hp_print_job_get_state (self->job) != HP_PRINT_STATE_PRINTING)
    return;
  problem = hp_print_job_get_problem (self->job);
  if (problem == HP_PRINT_PROBLEM_NONE)
    return;
  self->printout->held_by = problem;
  g_debug ("cancelling job %d: its visit ended while the printer held it (%s)",
           hp_print_job_get_job_id (self->job), hp_print_problem_to_string (problem));
  g_cancellable_cancel (self->printout->cancellable);
}

static void
on_job_changed (HpPrintJob     *job,
                GParamSpec     *pspec G_GNUC_UNUSED,
                HpPrintService *self)
{
  HpPrintState state = hp_print_job_get_state (job);

  /* How it ended is told once the job is let go and a failed copy given
   * back (on_job_done): told now, a finished printout would show for a
   * moment with the printer still busy and its copy still counted. */
  if (state == HP_PRINT_STATE_DONE || state == HP_PRINT_STATE_FAILED)
    return;
  set_status (self, state, hp_print_job_get_problem (job),
              hp_print_job_get_job_id (job), hp_print_job_get_detail (job));
  cancel_if_held (self);
}

/* PWG names (PWG 5101.1) of the sheets; the receipt roll is left to the
 * printer, whose only medium it is. */
static const char *
media_for_paper (HpPaper paper)
{
  switch (paper)
    {
    case HP_PAPER_LETTER:
      return "na_letter_8.5x11in";
    case HP_PAPER_A4:
      return "iso_a4_210x297mm";
    case HP_PAPER_RECEIPT_80MM:
    default:
      return NULL;
    }
}

static void
hp_print_service_dispose (GObject *object)
{
  HpPrintService *self = HP_PRINT_SERVICE (object);

  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);
  g_clear_object (&self->job);
  self->printout = NULL;
  g_clear_object (&self->audit);

  G_OBJECT_CLASS (hp_print_service_parent_class)->dispose (object);
}

static void
hp_print_service_finalize (GObject *object)
{
  HpPrintService *self = HP_PRINT_SERVICE (object);

  g_free (self->printer);
  g_free (self->actor);
  g_free (self->visit_id);
  g_free (self->status_visit_id);
  g_free (self->status.detail);

  G_OBJECT_CLASS (hp_print_service_parent_class)->finalize (object);
}

static void
hp_print_service_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  HpPrintService *self = HP_PRINT_SERVICE (object);

  switch (prop_id)
    {
    case PROP_PRINTER:
      g_value_set_string (value, self->printer);
      break;
    case PROP_PAPER:
      g_value_set_enum (value, self->paper);
      break;
    case PROP_COPIES_PER_VISIT:
      g_value_set_uint (value, self->copies_per_visit);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->status.state);
      break;
    case PROP_PROBLEM:
      g_value_set_enum (value, self->status.problem);
      break;
    case PROP_DETAIL:
      g_value_set_string (value, self->status.detail);
      break;
    case PROP_JOB_ID:
      g_value_set_int (value, self->status.job_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hp_print_service_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  HpPrintService *self = HP_PRINT_SERVICE (object);

  switch (prop_id)
    {
    case PROP_PRINTER:
      hp_print_service_set_printer (self, g_value_get_string (value));
      break;
    case PROP_PAPER:
      hp_print_service_set_paper (self, g_value_get_enum (value));
      break;
    case PROP_COPIES_PER_VISIT:
      hp_print_service_set_copies_per_visit (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hp_print_service_class_init (HpPrintServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hp_print_service_dispose;
  object_class->finalize = hp_print_service_finalize;
  object_class->get_property = hp_print_service_get_property;
  object_class->set_property = hp_print_service_set_property;

  properties[PROP_PRINTER] =
    g_param_spec_string ("printer", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAPER] =
    g_param_spec_enum ("paper", NULL, NULL, HP_TYPE_PAPER, HP_PAPER_RECEIPT_80MM,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COPIES_PER_VISIT] =
    g_param_spec_uint ("copies-per-visit", NULL, NULL, 1, G_MAXUINT, HP_PRINT_COPIES_PER_VISIT_DEFAULT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, HP_TYPE_PRINT_STATE, HP_PRINT_STATE_IDLE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROBLEM] =
    g_param_spec_enum ("problem", NULL, NULL, HP_TYPE_PRINT_PROBLEM, HP_PRINT_PROBLEM_NONE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DETAIL] =
    g_param_spec_string ("detail", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_JOB_ID] =
    g_param_spec_int ("job-id", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hp_print_service_init (HpPrintService *self)
{
  self->paper = HP_PAPER_RECEIPT_80MM;
  self->copies_per_visit = HP_PRINT_COPIES_PER_VISIT_DEFAULT;
  self->problem_timeout_ms = HP_PRINT_JOB_PROBLEM_TIMEOUT_MS_DEFAULT;
  self->actor = g_strdup (HP_AUDIT_ACTOR_KIOSK);
  self->status.detail = g_strdup ("");
}

HpPrintService *
hp_print_service_new (void)
{
  return g_object_new (HP_TYPE_PRINT_SERVICE, NULL);
}

void
hp_print_service_set_printer (HpPrintService *self,
                              const char     *printer)
{
  g_return_if_fail (HP_IS_PRINT_SERVICE (self));

  if (printer != NULL && *printer == '\0')
    printer = NULL;
  if (g_strcmp0 (self->printer, printer) == 0)
    return;
  g_free (self->printer);
  self->printer = g_strdup (printer);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRINTER]);
}

const char *
hp_print_service_get_printer (HpPrintService *self)
{
  g_return_val_if_fail (HP_IS_PRINT_SERVICE (self), NULL);
  return self->printer;
}

void
hp_print_service_set_paper (HpPrintService *self,
                            HpPaper         paper)
{
  g_return_if_fail (HP_IS_PRINT_SERVICE (self));
  g_return_if_fail (paper <= HP_PAPER_LAST);

  if (self->paper == paper)
    return;
  self->paper = paper;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAPER]);
}

HpPaper
hp_print_service_get_paper (HpPrintService *self)
{
  g_return_val_if_fail (HP_IS_PRINT_SERVICE (self), HP_PAPER_RECEIPT_80MM);
  return self->paper;
}

void
hp_print_service_set_copies_per_visit (HpPrintService *self,
                                       guint           copies)
{
  g_return_if_fail (HP_IS_PRINT_SERVICE (self));
  g_return_if_fail (copies >= 1);

  if (self->copies_per_visit == copies)
    return;
  self->copies_per_visit = copies;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COPIES_PER_VISIT]);
}

guint
hp_print_service_get_copies_per_visit (HpPrintService *self)
{
  g_return_val_if_fail (HP_IS_PRINT_SERVICE (self), HP_PRINT_COPIES_PER_VISIT_DEFAULT);
  return self->copies_per_visit;
}

void
hp_print_service_set_problem_timeout (HpPrintService *self,
                                      guint           timeout_ms)
{
  g_return_if_fail (HP_IS_PRINT_SERVICE (self));
  self->problem_timeout_ms = timeout_ms;
}

void
hp_print_service_set_audit (HpPrintService *self,
                            HpAuditLog     *audit,
                            const char     *actor)
{
  g_return_if_fail (HP_IS_PRINT_SERVICE (self));
  g_return_if_fail (audit == NULL || HP_IS_AUDIT_LOG (audit));
  g_return_if_fail (audit == NULL || actor != NULL);

  g_set_object (&self->audit, audit);
  g_free (self->actor);
  self->actor = g_strdup (actor != NULL ? actor : HP_AUDIT_ACTOR_KIOSK);
}

gboolean
hp_print_service_is_available (HpPrintService *self)
{
  g_return_val_if_fail (HP_IS_PRINT_SERVICE (self), FALSE);
  return self->printer != NULL;
}

guint
hp_print_service_get_copies_left (HpPrintService *self,
                                  const char     *visit_id)
{
  guint used;

  g_return_val_if_fail (HP_IS_PRINT_SERVICE (self), 0);
  g_return_val_if_fail (visit_id != NULL, 0);

  if (self->printer == NULL || self->job != NULL)
    return 0;
  used = g_strcmp0 (self->visit_id, visit_id) == 0 ? self->visit_copies : 0;
  return used < self->copies_per_visit ? self->copies_per_visit - used : 0;
}

gboolean
hp_print_service_get_busy (HpPrintService *self)
{
  g_return_val_if_fail (HP_IS_PRINT_SERVICE (self), FALSE);
  return self->job != NULL;
}

HpPrintState
hp_print_service_get_visit_state (HpPrintService *self,
                                  const char     *visit_id,
                                  HpPrintProblem *problem)
{
  gboolean own;

  g_return_val_if_fail (HP_IS_PRINT_SERVICE (self), HP_PRINT_STATE_IDLE);
  g_return_val_if_fail (visit_id != NULL, HP_PRINT_STATE_IDLE);

  own = g_strcmp0 (self->status_visit_id, visit_id) == 0;
  if (problem != NULL)
    *problem = own ? self->status.problem : HP_PRINT_PROBLEM_NONE;
  return own ? self->status.state : HP_PRINT_STATE_IDLE;
}

HpPrintState
hp_print_service_get_state (HpPrintService *self)
{
  g_return_val_if_fail (HP_IS_PRINT_SERVICE (self), HP_PRINT_STATE_IDLE);
  return self->status.state;
}

HpPrintProblem
hp_print_service_get_problem (HpPrintService *self)
{
  g_return_val_if_fail (HP_IS_PRINT_SERVICE (self), HP_PRINT_PROBLEM_NONE);
  return self->status.problem;
}

const char *
hp_print_service_get_detail (HpPrintService *self)
{
  g_return_val_if_fail (HP_IS_PRINT_SERVICE (self), NULL);
  return self->status.detail;
}

int
hp_print_service_get_job_id (HpPrintService *self)
{
  g_return_val_if_fail (HP_IS_PRINT_SERVICE (self), 0);
  return self->status.job_id;
}

void
hp_print_service_forget_visit (HpPrintService *self)
{
  g_return_if_fail (HP_IS_PRINT_SERVICE (self));

  g_clear_pointer (&self->visit_id, g_free);
  self->visit_copies = 0;
  if (self->job == NULL)
    {
      g_clear_pointer (&self->status_visit_id, g_free);
      set_status (self, HP_PRINT_STATE_IDLE, HP_PRINT_PROBLEM_NONE, 0, NULL);
      return;
    }
  /* A printout still on its way keeps its owner, so its news stays its
   * own until it ends; a staff test page is no visit's. */
  if (self->printout->visit_id != NULL)
    {
      self->printout->visit_over = TRUE;
      cancel_if_held (self);
    }
}

/* ---- one printout ------------------------------------------------------- */

/* The audit trail's line: which printer, how it went, the printer's job
 * id, and for one cancelled at its visit's end the problem that held it;
 * never whose summary or what it said. */
static void
record_printout (HpPrintService       *self,
                 const Printout       *printout,
                 const HpPrintOutcome *outcome,
                 int                   job_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *printer = hp_print_detail_sanitize (self->printer);
  g_autofree char *detail = NULL;
  const char *result;
  HpPrintProblem problem = outcome != NULL ? outcome->problem : printout->held_by;

  if (self->audit == NULL)
    return;
  if (strlen (printer) > AUDIT_PRINTER_MAX)
    printer[AUDIT_PRINTER_MAX] = '\0';
  for (char *p = printer; *p != '\0'; p++)
    if (*p == ' ')
      *p = '_';
  if (outcome == NULL)
    result = "cancelled";
  else
    result = outcome->state == HP_PRINT_STATE_DONE ? "done" : "failed";

  detail = g_strdup_printf ("printer=%s outcome=%s problem=%s job=%d",
                            printer, result,
                            hp_print_problem_to_string (problem),
                            outcome != NULL ? outcome->job_id : job_id);
  if (printout->visit_id != NULL)
    {
      g_autofree char *with_copy = g_strdup_printf ("%s copy=%u", detail, printout->copy);

      g_free (detail);
      detail = g_steal_pointer (&with_copy);
    }
  if (outcome == NULL && printout->held_by != HP_PRINT_PROBLEM_NONE)
    {
      g_autofree char *with_reason = g_strconcat (detail, " reason=visit-ended", NULL);

      g_free (detail);
      detail = g_steal_pointer (&with_reason);
    }
  if (!hp_audit_append (self->audit, self->actor,
                        printout->visit_id != NULL ? "print.summary" : "print.test",
                        detail, &error))
    g_message ("a printout could not be recorded in the audit log: %s", error->message);
}

static void
on_job_done (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  g_autoptr(GTask) task = data;
  HpPrintService *self = g_task_get_source_object (task);
  HpPrintJob *job = HP_PRINT_JOB (source);
  Printout *printout = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(HpPrintOutcome) outcome = hp_print_job_run_finish (job, result, &error);
  int job_id = hp_print_job_get_job_id (job);

  if (self->job == job)
    {
      g_signal_handlers_disconnect_by_data (job, self);
      g_clear_object (&self->job);
      self->printout = NULL;
    }

  /* A copy that did not come out does not count against the visit. */
  if ((outcome == NULL || outcome->state != HP_PRINT_STATE_DONE)
      && printout->visit_id != NULL && g_strcmp0 (printout->visit_id, self->visit_id) == 0
      && self->visit_copies > 0)
    self->visit_copies--;

  if (outcome != NULL)
    {
      set_status (self, outcome->state, outcome->problem, outcome->job_id, outcome->detail);
      if (outcome->state == HP_PRINT_STATE_DONE)
        g_debug ("printed job %d on %s", outcome->job_id, self->printer);
      else
        g_message ("printing failed on %s (%s): %s", self->printer,
                   hp_print_problem_to_string (outcome->problem), outcome->detail);
    }
  else
    set_status (self, HP_PRINT_STATE_IDLE, HP_PRINT_PROBLEM_NONE, job_id, NULL);
  record_printout (self, printout, outcome, job_id);

  if (outcome != NULL)
    g_task_return_pointer (task, g_steal_pointer (&outcome), (GDestroyNotify) hp_print_outcome_free);
  else if (printout->held_by != HP_PRINT_PROBLEM_NONE)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             "the visit ended while the printer held its printout (%s)",
                             hp_print_problem_to_string (printout->held_by));
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
on_caller_cancelled (GCancellable *caller G_GNUC_UNUSED,
                     gpointer      data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

static int print_source_tag;

void
hp_print_service_print_async (HpPrintService      *self,
                              const char          *visit_id,
                              GBytes              *pdf,
                              const char          *job_title,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Printout *printout;

  g_return_if_fail (HP_IS_PRINT_SERVICE (self));
  g_return_if_fail (pdf != NULL);
  g_return_if_fail (job_title != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, &print_source_tag);
  g_task_set_check_cancellable (task, FALSE);

  if (self->printer == NULL)
    {
      g_task_return_new_error (task, HP_PRINT_ERROR, HP_PRINT_ERROR_NOT_CONFIGURED,
                               "no printer is set up on this kiosk");
      return;
    }
  if (self->job != NULL)
    {
      g_task_return_new_error (task, HP_PRINT_ERROR, HP_PRINT_ERROR_BUSY,
                               "another printout is on its way");
      return;
    }

  printout = g_new0 (Printout, 1);
  g_task_set_task_data (task, printout, printout_free);
  if (visit_id != NULL)
    {
      if (g_strcmp0 (self->visit_id, visit_id) != 0)
        {
          g_free (self->visit_id);
          self->visit_id = g_strdup (visit_id);
          self->visit_copies = 0;
        }
      if (self->visit_copies >= self->copies_per_visit)
        {
          g_task_return_new_error (task, HP_PRINT_ERROR, HP_PRINT_ERROR_LIMIT_REACHED,
                                   "this visit has printed its %u copies", self->copies_per_visit);
          return;
        }
      printout->visit_id = g_strdup (visit_id);
      printout->copy = ++self->visit_copies;
    }
  printout->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      /* Called at once, and 0 returned, when the caller has cancelled
       * already: the job then ends before it sends anything. */
      printout->caller_cancellable = g_object_ref (cancellable);
      printout->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                                        g_object_ref (printout->cancellable),
                                                        g_object_unref);
    }

  /* From here on the properties tell this printout's news. */
  g_free (self->status_visit_id);
  self->status_visit_id = g_strdup (visit_id);
  self->job = hp_print_job_new (self->printer, pdf, job_title);
  self->printout = printout;
  hp_print_job_set_media (self->job, media_for_paper (self->paper));
  hp_print_job_set_problem_timeout (self->job, self->problem_timeout_ms);
  g_signal_connect_object (self->job, "notify::state", G_CALLBACK (on_job_changed), self, 0);
  g_signal_connect_object (self->job, "notify::problem", G_CALLBACK (on_job_changed), self, 0);
  g_signal_connect_object (self->job, "notify::detail", G_CALLBACK (on_job_changed), self, 0);
  g_signal_connect_object (self->job, "notify::job-id", G_CALLBACK (on_job_changed), self, 0);
  hp_print_job_run_async (self->job, printout->cancellable, on_job_done, g_steal_pointer (&task));
}

HpPrintOutcome *
hp_print_service_print_finish (HpPrintService  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (HP_IS_PRINT_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == &print_source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
