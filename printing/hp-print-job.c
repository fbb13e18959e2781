/* One printout sent through CUPS and followed until it is printed, failed or cancelled. */
#include "hp-print-job.h"
#include "hp-print-outcome-private.h"

#include <cups/cups.h>
#include <string.h>

#include "hp-printing-enums.h"

/* Long enough for a printer waking from sleep, short enough that a patient
 * is not left looking at "Printing…" when it is switched off. */
#define CONNECT_TIMEOUT_MS 5000
/* A request that gets no byte back in this long is given up. */
#define IO_TIMEOUT_S 15.0
/* The printer is asked about the job at once, then ever less often: a
 * receipt is out in a second or two, a stuck job needs no fast polling. */
#define POLL_FIRST_MS 50
#define POLL_MAX_MS 1000
#define WRITE_CHUNK_SIZE (64 * 1024)
/* More reasons than any printer reports; the rest are not read. */
#define MAX_REASONS 32

struct _HpPrintJob
{
  GObject parent_instance;

  char *printer;
  GBytes *document;
  char *title;
  char *media;
  guint problem_timeout_ms;
  guint deadline_ms;
  gboolean started;

  /* What the properties show; detail is never NULL once set. */
  HpPrintOutcome status;
};

G_DEFINE_FINAL_TYPE (HpPrintJob, hp_print_job, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PRINTER,
  PROP_STATE,
  PROP_PROBLEM,
  PROP_JOB_ID,
  PROP_DETAIL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- outcome ------------------------------------------------------------ */

HpPrintOutcome *
hp_print_outcome_copy (const HpPrintOutcome *outcome)
{
  HpPrintOutcome *copy;

  g_return_val_if_fail (outcome != NULL, NULL);

  copy = g_new0 (HpPrintOutcome, 1);
  *copy = *outcome;
  copy->detail = g_strdup (outcome->detail);
  return copy;
}

void
hp_print_outcome_update (HpPrintOutcome    *status,
                         GObject           *owner,
                         GParamSpec *const  pspecs[HP_PRINT_STATUS_N],
                         HpPrintState       state,
                         HpPrintProblem     problem,
                         int                job_id,
                         const char        *detail)
{
  g_object_freeze_notify (owner);
  if (status->state != state)
    {
      status->state = state;
      g_object_notify_by_pspec (owner, pspecs[HP_PRINT_STATUS_STATE]);
    }
  if (status->problem != problem)
    {
      status->problem = problem;
      g_object_notify_by_pspec (owner, pspecs[HP_PRINT_STATUS_PROBLEM]);
    }
  if (status->job_id != job_id)
    {
      status->job_id = job_id;
      g_object_notify_by_pspec (owner, pspecs[HP_PRINT_STATUS_JOB_ID]);
    }
  if (g_strcmp0 (status->detail, detail) != 0)
    {
      g_free (status->detail);
      status->detail = g_strdup (detail != NULL ? detail : "");
      g_object_notify_by_pspec (owner, pspecs[HP_PRINT_STATUS_DETAIL]);
    }
  g_object_thaw_notify (owner);
}

void
hp_print_outcome_free (HpPrintOutcome *outcome)
{
  if (outcome == NULL)
    return;
  g_free (outcome->detail);
  g_free (outcome);
}

static HpPrintOutcome *
outcome_new (HpPrintState    state,
             HpPrintProblem  problem,
             int             job_id,
             const char     *detail)
{
  HpPrintOutcome *outcome = g_new0 (HpPrintOutcome, 1);

  outcome->state = state;
  outcome->problem = problem;
  outcome->job_id = job_id;
  outcome->detail = hp_print_detail_sanitize (detail);
  return outcome;
}

/* ---- what the worker tells the main context ------------------------------ */

static void
job_apply (HpPrintJob     *self,
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

typedef struct {
  HpPrintJob *job;
  HpPrintState state;
  HpPrintProblem problem;
  int job_id;
  char *detail;
} Update;

static void
update_free (gpointer data)
{
  Update *update = data;

  g_object_unref (update->job);
  g_free (update->detail);
  g_free (update);
}

static gboolean
update_apply (gpointer data)
{
  Update *update = data;

  /* The job's end is told by its outcome: a late update never undoes it. */
  if (update->job->status.state != HP_PRINT_STATE_DONE && update->job->status.state != HP_PRINT_STATE_FAILED)
    job_apply (update->job, update->state, update->problem, update->job_id, update->detail);
  return G_SOURCE_REMOVE;
}

/* ---- the worker's side ---------------------------------------------------- */

/* Everything the worker thread uses: copied from the job when it starts,
 * so the thread never touches the GObject. */
typedef struct {
  HpPrintJob *job;
  GMainContext *context;
  char *printer;
  GBytes *document;
  char *title;
  char *media;
  guint problem_timeout_ms;
  guint deadline_ms;

  GCancellable *cancellable;
  gulong cancelled_id;
  int cancel_flag;   /* read by libcups while it connects */

  HpPrintState posted_state;
  HpPrintProblem posted_problem;
  int posted_job_id;
  char *posted_detail;
} Run;

static void
run_free (gpointer data)
{
  Run *run = data;

  if (run->cancelled_id != 0)
    g_cancellable_disconnect (run->cancellable, run->cancelled_id);
  g_clear_object (&run->cancellable);
  g_clear_object (&run->job);
  g_main_context_unref (run->context);
  g_free (run->printer);
  g_bytes_unref (run->document);
  g_free (run->title);
  g_free (run->media);
  g_free (run->posted_detail);
  g_free (run);
}

static void
run_post (Run            *run,
          HpPrintState    state,
          HpPrintProblem  problem,
          int             job_id,
          const char     *detail)
{
  g_autofree char *clean = hp_print_detail_sanitize (detail);
  Update *update;

  if (run->posted_state == state && run->posted_problem == problem
      && run->posted_job_id == job_id && g_strcmp0 (run->posted_detail, clean) == 0)
    return;
  run->posted_state = state;
  run->posted_problem = problem;
  run->posted_job_id = job_id;
  g_free (run->posted_detail);
  run->posted_detail = g_strdup (clean);

  update = g_new0 (Update, 1);
  update->job = g_object_ref (run->job);
  update->state = state;
  update->problem = problem;
  update->job_id = job_id;
  update->detail = g_steal_pointer (&clean);
  g_main_context_invoke_full (run->context, G_PRIORITY_DEFAULT, update_apply, update, update_free);
}

static void
on_cancelled (GCancellable *cancellable G_GNUC_UNUSED,
              gpointer      data)
{
  Run *run = data;

  g_atomic_int_set (&run->cancel_flag, 1);
}

static gboolean
run_cancelled (Run *run)
{
  return g_cancellable_is_cancelled (run->cancellable);
}

/* Sleeps up to @ms, waking at once when the run is cancelled. */
static void
run_sleep (Run  *run,
           guint ms)
{
  GPollFD pollfd;

  if (g_cancellable_make_pollfd (run->cancellable, &pollfd))
    {
      g_poll (&pollfd, 1, (int) ms);
      g_cancellable_release_fd (run->cancellable);
    }
  else
    g_usleep ((gulong) ms * 1000);
}

static int
on_http_timeout (http_t *http G_GNUC_UNUSED,
                 void   *data G_GNUC_UNUSED)
{
  /* Give the request up: the caller reads it as the printer gone. */
  return 0;
}

/* The IPP status of a failed request, as a problem: what a refused or
 * unreachable printer says differs from what a printer with a fault says. */
static HpPrintProblem
problem_for_status (ipp_status_t status)
{
  if (status == IPP_STATUS_ERROR_NOT_ACCEPTING_JOBS)
    return HP_PRINT_PROBLEM_REJECTING;
  if (status == IPP_STATUS_ERROR_SERVICE_UNAVAILABLE
      || status == IPP_STATUS_ERROR_INTERNAL
      || status == IPP_STATUS_ERROR_NOT_FOUND
      || status == IPP_STATUS_ERROR_GONE
      || status == IPP_STATUS_ERROR_DEVICE
      || status == IPP_STATUS_ERROR_TEMPORARY
      || status == IPP_STATUS_ERROR_BUSY
      || status == IPP_STATUS_ERROR_PRINTER_IS_DEACTIVATED)
    return HP_PRINT_PROBLEM_OFFLINE;
  return HP_PRINT_PROBLEM_OTHER;
}

static char *
describe_ipp_error (const char *what)
{
  return g_strdup_printf ("%s: %s (%s)", what, ippErrorString (cupsLastError ()),
                          cupsLastErrorString () != NULL ? cupsLastErrorString () : "");
}

typedef struct {
  HpPrinterState state;
  gboolean accepting;
  GStrv reasons;
  char *message;
} PrinterStatus;

static void
printer_status_clear (PrinterStatus *status)
{
  g_clear_pointer (&status->reasons, g_strfreev);
  g_clear_pointer (&status->message, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PrinterStatus, printer_status_clear)

static GStrv
read_keywords (ipp_t      *response,
               const char *name)
{
  ipp_attribute_t *attr = ippFindAttribute (response, name, IPP_TAG_KEYWORD);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  int count = attr != NULL ? ippGetCount (attr) : 0;

  for (int i = 0; i < count && i < MAX_REASONS; i++)
    {
      const char *value = ippGetString (attr, i, NULL);

      if (value != NULL && !g_str_equal (value, "none"))
        g_strv_builder_add (builder, value);
    }
  return g_strv_builder_end (builder);
}

static ipp_t *
request_new (ipp_op_t    op,
             const char *printer_uri)
{
  ipp_t *request = ippNewRequest (op);

  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, printer_uri);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, cupsUser ());
  return request;
}

/* Get-Printer-Attributes: is it up, does it take jobs, what does it report. */
static gboolean
query_printer (http_t        *http,
               const char    *printer_uri,
               const char    *resource,
               PrinterStatus *out)
{
  static const char * const wanted[] = {
    "printer-state", "printer-state-reasons", "printer-is-accepting-jobs", "printer-state-message",
  };
  ipp_t *request = request_new (IPP_OP_GET_PRINTER_ATTRIBUTES, printer_uri);
  ipp_t *response;
  ipp_attribute_t *attr;
  int state;

  ippAddStrings (request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                 (int) G_N_ELEMENTS (wanted), NULL, wanted);
  response = cupsDoRequest (http, request, resource);
  if (response == NULL || cupsLastError () > IPP_STATUS_OK_CONFLICTING)
    {
      ippDelete (response);
      return FALSE;
    }

  attr = ippFindAttribute (response, "printer-state", IPP_TAG_ENUM);
  state = attr != NULL ? ippGetInteger (attr, 0) : 0;
  out->state = (state >= HP_PRINTER_STATE_IDLE && state <= HP_PRINTER_STATE_STOPPED)
               ? (HpPrinterState) state : HP_PRINTER_STATE_UNKNOWN;
  attr = ippFindAttribute (response, "printer-is-accepting-jobs", IPP_TAG_BOOLEAN);
  out->accepting = attr == NULL || ippGetBoolean (attr, 0);
  out->reasons = read_keywords (response, "printer-state-reasons");
  attr = ippFindAttribute (response, "printer-state-message", IPP_TAG_TEXT);
  out->message = g_strdup (attr != NULL ? ippGetString (attr, 0, NULL) : NULL);
  ippDelete (response);
  return TRUE;
}

/* Get-Job-Attributes: where the job is. */
static gboolean
query_job (http_t        *http,
           const char    *printer_uri,
           const char    *resource,
           int            job_id,
           ipp_jstate_t  *state,
           GStrv         *reasons)
{
  static const char * const wanted[] = { "job-state", "job-state-reasons" };
  ipp_t *request = request_new (IPP_OP_GET_JOB_ATTRIBUTES, printer_uri);
  ipp_t *response;
  ipp_attribute_t *attr;

  ippAddInteger (request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id);
  ippAddStrings (request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                 (int) G_N_ELEMENTS (wanted), NULL, wanted);
  response = cupsDoRequest (http, request, resource);
  if (response == NULL || cupsLastError () > IPP_STATUS_OK_CONFLICTING)
    {
      ippDelete (response);
      return FALSE;
    }
  attr = ippFindAttribute (response, "job-state", IPP_TAG_ENUM);
  *state = attr != NULL ? (ipp_jstate_t) ippGetInteger (attr, 0) : IPP_JSTATE_PENDING;
  *reasons = read_keywords (response, "job-state-reasons");
  ippDelete (response);
  return TRUE;
}

static const char *
printer_state_name (HpPrinterState state)
{
  switch (state)
    {
    case HP_PRINTER_STATE_IDLE:
      return "idle";
    case HP_PRINTER_STATE_PROCESSING:
      return "processing";
    case HP_PRINTER_STATE_STOPPED:
      return "stopped";
    case HP_PRINTER_STATE_UNKNOWN:
    default:
      return "unknown";
    }
}

static char *
describe_printer (const PrinterStatus *status)
{
  g_autofree char *reasons = g_strjoinv (",", status->reasons);
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "printer-state=%s reasons=%s", printer_state_name (status->state),
                          *reasons != '\0' ? reasons : "none");
  if (!status->accepting)
    g_string_append (text, " not-accepting-jobs");
  if (status->message != NULL && *status->message != '\0')
    g_string_append_printf (text, " message=\"%s\"", status->message);
  return g_string_free (text, FALSE);
}

/* Everything one connection to the printer needs. */
typedef struct {
  cups_dest_t *dest;
  http_t *http;
  cups_dinfo_t *info;
  char resource[1024];
  const char *printer_uri;
} Connection;

static void
connection_clear (Connection *connection)
{
  g_clear_pointer (&connection->info, cupsFreeDestInfo);
  g_clear_pointer (&connection->http, httpClose);
  if (connection->dest != NULL)
    cupsFreeDests (1, connection->dest);
  connection->dest = NULL;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Connection, connection_clear)

/* A destination name through the CUPS server, or a URI straight to the
 * printer (IPP Everywhere, or a queue on another host). */
static HpPrintOutcome *
run_connect (Run        *run,
             Connection *connection)
{
  g_autofree char *detail = NULL;
  unsigned flags = CUPS_DEST_FLAGS_NONE;

  if (strstr (run->printer, "://") != NULL)
    {
      connection->dest = cupsGetDestWithURI (NULL, run->printer);
      /* Named as the printer's own URI, the destination is reached there
       * directly; with only a device-uri, libcups would have the local
       * scheduler make a temporary queue for it when the URI's host is the
       * scheduler's. */
      if (connection->dest != NULL)
        connection->dest->num_options = cupsAddOption ("printer-uri-supported", run->printer,
                                                       connection->dest->num_options,
                                                       &connection->dest->options);
    }
  else
    connection->dest = cupsGetNamedDest (CUPS_HTTP_DEFAULT, run->printer, NULL);
  if (connection->dest == NULL)
    {
      detail = describe_ipp_error ("no such printer");
      return outcome_new (HP_PRINT_STATE_FAILED, HP_PRINT_PROBLEM_OFFLINE, 0, detail);
    }
  /* A queue of the CUPS server names its printer-uri-supported; a
   * destination made from a URI has only its device-uri, reached directly. */
  connection->printer_uri = cupsGetOption ("printer-uri-supported", connection->dest->num_options,
                                           connection->dest->options);
  if (connection->printer_uri == NULL)
    {
      connection->printer_uri = cupsGetOption ("device-uri", connection->dest->num_options,
                                               connection->dest->options);
      flags = CUPS_DEST_FLAGS_DEVICE;
    }
  if (connection->printer_uri == NULL)
    return outcome_new (HP_PRINT_STATE_FAILED, HP_PRINT_PROBLEM_OFFLINE, 0,
                        "the destination has no printer URI");

  connection->http = cupsConnectDest (connection->dest, flags, CONNECT_TIMEOUT_MS,
                                      &run->cancel_flag, connection->resource,
                                      sizeof connection->resource, NULL, NULL);
  if (run_cancelled (run))
    return NULL;
  if (connection->http == NULL)
    {
      detail = describe_ipp_error ("cannot connect");
      return outcome_new (HP_PRINT_STATE_FAILED, HP_PRINT_PROBLEM_OFFLINE, 0, detail);
    }
  httpSetTimeout (connection->http, IO_TIMEOUT_S, on_http_timeout, NULL);
  return NULL;
}

/* Asks the printer before sending: a stopped or refusing printer gets no
 * patient's summary to keep until someone fixes it. Reasons alone do not
 * stop a printout here: a CUPS queue keeps what its backend last reported
 * (a door open an hour ago) until its next job runs, so a problem is only
 * believed while that job waits. */
static HpPrintOutcome *
run_check_printer (Run        *run G_GNUC_UNUSED,
                   Connection *connection)
{
  g_auto(PrinterStatus) status = { 0 };
  g_autofree char *detail = NULL;
  HpPrintProblem problem;

  if (!query_printer (connection->http, connection->printer_uri, connection->resource, &status))
    {
      ipp_status_t error = cupsLastError ();

      detail = describe_ipp_error ("cannot read the printer's state");
      return outcome_new (HP_PRINT_STATE_FAILED,
                          error == IPP_STATUS_OK ? HP_PRINT_PROBLEM_OFFLINE : problem_for_status (error),
                          0, detail);
    }
  if (status.state == HP_PRINTER_STATE_STOPPED)
    problem = hp_print_problem_from_printer (status.state, (const char * const *) status.reasons);
  else if (!status.accepting)
    problem = HP_PRINT_PROBLEM_REJECTING;
  else
    return NULL;
  detail = describe_printer (&status);
  return outcome_new (HP_PRINT_STATE_FAILED, problem, 0, detail);
}

static void
run_cancel_job (Connection *connection,
                int         job_id)
{
  if (cupsCancelDestJob (connection->http, connection->dest, job_id) > IPP_STATUS_OK_CONFLICTING)
    g_debug ("job %d could not be cancelled: %s", job_id, ippErrorString (cupsLastError ()));
}

/* Create-Job, Send-Document with the PDF, and the printer's answer. */
static HpPrintOutcome *
run_submit (Run        *run,
            Connection *connection,
            int        *job_id)
{
  g_autofree char *detail = NULL;
  cups_option_t *options = NULL;
  int n_options = 0;
  ipp_status_t status;
  gsize size = 0;
  const char *data;
  gboolean written = TRUE;

  connection->info = cupsCopyDestInfo (connection->http, connection->dest);
  if (connection->info == NULL)
    {
      status = cupsLastError ();
      detail = describe_ipp_error ("cannot read the printer's capabilities");
      return outcome_new (HP_PRINT_STATE_FAILED, problem_for_status (status), 0, detail);
    }

  if (run->media != NULL
      && cupsCheckDestSupported (connection->http, connection->dest, connection->info,
                                 CUPS_MEDIA, run->media))
    n_options = cupsAddOption (CUPS_MEDIA, run->media, n_options, &options);

  status = cupsCreateDestJob (connection->http, connection->dest, connection->info, job_id,
                              run->title, n_options, options);
  cupsFreeOptions (n_options, options);
  if (status > IPP_STATUS_OK_CONFLICTING || *job_id <= 0)
    {
      detail = describe_ipp_error ("the printer refused the job");
      *job_id = 0;
      return outcome_new (HP_PRINT_STATE_FAILED, problem_for_status (status), 0, detail);
    }
  run_post (run, HP_PRINT_STATE_SENDING, HP_PRINT_PROBLEM_NONE, *job_id, NULL);

  if (cupsStartDestDocument (connection->http, connection->dest, connection->info, *job_id,
                             run->title, CUPS_FORMAT_PDF, 0, NULL, 1) != HTTP_STATUS_CONTINUE)
    {
      status = cupsLastError ();
      detail = describe_ipp_error ("the printer refused the document");
      run_cancel_job (connection, *job_id);
      return outcome_new (HP_PRINT_STATE_FAILED, problem_for_status (status), *job_id, detail);
    }
  data = g_bytes_get_data (run->document, &size);
  for (gsize sent = 0; sent < size && written && !run_cancelled (run); )
    {
      gsize chunk = MIN (size - sent, WRITE_CHUNK_SIZE);

      written = cupsWriteRequestData (connection->http, data + sent, chunk) == HTTP_STATUS_CONTINUE;
      sent += chunk;
    }
  /* Ends the request even when cut short, so the connection can still
   * carry the Cancel-Job. */
  status = cupsFinishDestDocument (connection->http, connection->dest, connection->info);
  if (run_cancelled (run))
    {
      run_cancel_job (connection, *job_id);
      return NULL;
    }
  if (!written || status > IPP_STATUS_OK_CONFLICTING)
    {
      detail = describe_ipp_error ("the document did not reach the printer");
      run_cancel_job (connection, *job_id);
      return outcome_new (HP_PRINT_STATE_FAILED,
                          written ? problem_for_status (status) : HP_PRINT_PROBLEM_OFFLINE,
                          *job_id, detail);
    }
  return NULL;
}

/* Follows the job until the printer says it is done or gone, a problem
 * lasts too long, or the deadline passes. */
static HpPrintOutcome *
run_follow (Run        *run,
            Connection *connection,
            int         job_id)
{
  gint64 start = g_get_monotonic_time ();
  gint64 problem_since = 0;
  guint interval = POLL_FIRST_MS;
  HpPrintProblem last_seen = HP_PRINT_PROBLEM_NONE;
  HpPrintProblem believed = HP_PRINT_PROBLEM_NONE;

  run_post (run, HP_PRINT_STATE_PRINTING, HP_PRINT_PROBLEM_NONE, job_id, NULL);
  for (;;)
    {
      g_auto(PrinterStatus) printer = { 0 };
      g_auto(GStrv) job_reasons = NULL;
      g_autofree char *detail = NULL;
      ipp_jstate_t job_state = IPP_JSTATE_PENDING;
      HpPrintProblem problem = HP_PRINT_PROBLEM_NONE;
      gint64 now;

      run_sleep (run, interval);
      interval = MIN (interval * 2, POLL_MAX_MS);
      if (run_cancelled (run))
        {
          run_cancel_job (connection, job_id);
          return NULL;
        }

      if (!query_job (connection->http, connection->printer_uri, connection->resource,
                      job_id, &job_state, &job_reasons))
        {
          /* The printer went away mid-job: it may come back in time. */
          problem = HP_PRINT_PROBLEM_OFFLINE;
          detail = describe_ipp_error ("lost the printer");
        }
      else if (job_state == IPP_JSTATE_COMPLETED)
        return outcome_new (HP_PRINT_STATE_DONE, HP_PRINT_PROBLEM_NONE, job_id, NULL);
      else
        {
          gboolean have_printer = query_printer (connection->http, connection->printer_uri,
                                                 connection->resource, &printer);
          g_autofree char *reasons = g_strjoinv (",", job_reasons);
          g_autofree char *about_printer = have_printer ? describe_printer (&printer) : NULL;

          if (have_printer)
            problem = hp_print_problem_from_printer (printer.state, (const char * const *) printer.reasons);
          if (problem == HP_PRINT_PROBLEM_NONE && job_state == IPP_JSTATE_STOPPED)
            problem = HP_PRINT_PROBLEM_OFFLINE;
          if (problem == HP_PRINT_PROBLEM_NONE && job_state == IPP_JSTATE_HELD)
            problem = HP_PRINT_PROBLEM_OTHER;
          detail = g_strdup_printf ("job-state=%s job-reasons=%s %s",
                                    ippEnumString ("job-state", (int) job_state),
                                    *reasons != '\0' ? reasons : "none",
                                    about_printer != NULL ? about_printer : "");

          if (job_state == IPP_JSTATE_CANCELED || job_state == IPP_JSTATE_ABORTED)
            return outcome_new (HP_PRINT_STATE_FAILED,
                                problem != HP_PRINT_PROBLEM_NONE ? problem : HP_PRINT_PROBLEM_OTHER,
                                job_id, detail);
        }

      /* A problem is believed when two readings in a row show it: what a
       * queue kept from an earlier job is gone by the second. */
      if (problem == HP_PRINT_PROBLEM_NONE)
        believed = HP_PRINT_PROBLEM_NONE;
      else if (problem == last_seen)
        believed = problem;
      last_seen = problem;

      now = g_get_monotonic_time ();
      if (believed == HP_PRINT_PROBLEM_NONE)
        problem_since = 0;
      else if (problem_since == 0)
        problem_since = now;
      run_post (run, HP_PRINT_STATE_PRINTING, believed, job_id,
                believed != HP_PRINT_PROBLEM_NONE ? detail : NULL);

      if ((problem_since != 0 && now - problem_since >= (gint64) run->problem_timeout_ms * 1000)
          || now - start >= (gint64) run->deadline_ms * 1000)
        {
          g_autofree char *why = g_strdup_printf ("given up and cancelled: %s", detail);

          run_cancel_job (connection, job_id);
          return outcome_new (HP_PRINT_STATE_FAILED,
                              believed != HP_PRINT_PROBLEM_NONE ? believed : HP_PRINT_PROBLEM_OTHER,
                              job_id, why);
        }
    }
}

static void
run_in_thread (GTask        *task,
               gpointer      source_object G_GNUC_UNUSED,
               gpointer      task_data,
               GCancellable *cancellable G_GNUC_UNUSED)
{
  Run *run = task_data;
  g_auto(Connection) connection = { 0 };
  HpPrintOutcome *outcome = NULL;
  int job_id = 0;

  run_post (run, HP_PRINT_STATE_SENDING, HP_PRINT_PROBLEM_NONE, 0, NULL);
  if (!run_cancelled (run))
    outcome = run_connect (run, &connection);
  if (outcome == NULL && !run_cancelled (run))
    outcome = run_check_printer (run, &connection);
  if (outcome == NULL && !run_cancelled (run))
    outcome = run_submit (run, &connection, &job_id);
  if (outcome == NULL && !run_cancelled (run))
    outcome = run_follow (run, &connection, job_id);

  if (outcome == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "the printout was cancelled");
      return;
    }
  g_task_return_pointer (task, outcome, (GDestroyNotify) hp_print_outcome_free);
}

/* ---- the GObject ---------------------------------------------------------- */

static void
hp_print_job_finalize (GObject *object)
{
  HpPrintJob *self = HP_PRINT_JOB (object);

  g_free (self->printer);
  g_bytes_unref (self->document);
  g_free (self->title);
  g_free (self->media);
  g_free (self->status.detail);

  G_OBJECT_CLASS (hp_print_job_parent_class)->finalize (object);
}

static void
hp_print_job_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  HpPrintJob *self = HP_PRINT_JOB (object);

  switch (prop_id)
    {
    case PROP_PRINTER:
      g_value_set_string (value, self->printer);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->status.state);
      break;
    case PROP_PROBLEM:
      g_value_set_enum (value, self->status.problem);
      break;
    case PROP_JOB_ID:
      g_value_set_int (value, self->status.job_id);
      break;
    case PROP_DETAIL:
      g_value_set_string (value, self->status.detail);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hp_print_job_class_init (HpPrintJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hp_print_job_finalize;
  object_class->get_property = hp_print_job_get_property;

  properties[PROP_PRINTER] =
    g_param_spec_string ("printer", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, HP_TYPE_PRINT_STATE, HP_PRINT_STATE_IDLE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROBLEM] =
    g_param_spec_enum ("problem", NULL, NULL, HP_TYPE_PRINT_PROBLEM, HP_PRINT_PROBLEM_NONE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_JOB_ID] =
    g_param_spec_int ("job-id", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DETAIL] =
    g_param_spec_string ("detail", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hp_print_job_init (HpPrintJob *self)
{
  self->problem_timeout_ms = HP_PRINT_JOB_PROBLEM_TIMEOUT_MS_DEFAULT;
  self->deadline_ms = HP_PRINT_JOB_DEADLINE_MS_DEFAULT;
  self->status.detail = g_strdup ("");
}

HpPrintJob *
hp_print_job_new (const char *printer,
                  GBytes     *document,
                  const char *title)
{
  HpPrintJob *self;

  g_return_val_if_fail (printer != NULL && *printer != '\0', NULL);
  g_return_val_if_fail (document != NULL, NULL);
  g_return_val_if_fail (title != NULL, NULL);

  self = g_object_new (HP_TYPE_PRINT_JOB, NULL);
  self->printer = g_strdup (printer);
  self->document = g_bytes_ref (document);
  self->title = g_strdup (title);
  return self;
}

void
hp_print_job_set_media (HpPrintJob *self,
                        const char *media)
{
  g_return_if_fail (HP_IS_PRINT_JOB (self));
  g_return_if_fail (!self->started);

  g_free (self->media);
  self->media = g_strdup (media);
}

void
hp_print_job_set_problem_timeout (HpPrintJob *self,
                                  guint       timeout_ms)
{
  g_return_if_fail (HP_IS_PRINT_JOB (self));
  g_return_if_fail (!self->started);

  self->problem_timeout_ms = timeout_ms;
}

void
hp_print_job_set_deadline (HpPrintJob *self,
                           guint       deadline_ms)
{
  g_return_if_fail (HP_IS_PRINT_JOB (self));
  g_return_if_fail (!self->started);

  self->deadline_ms = deadline_ms;
}

static void
on_run_done (GObject      *source G_GNUC_UNUSED,
             GAsyncResult *result,
             gpointer      data)
{
  g_autoptr(GTask) task = data;
  HpPrintJob *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(HpPrintOutcome) outcome = g_task_propagate_pointer (G_TASK (result), &error);

  if (outcome != NULL)
    job_apply (self, outcome->state, outcome->problem, outcome->job_id, outcome->detail);
  else
    job_apply (self, HP_PRINT_STATE_FAILED, HP_PRINT_PROBLEM_NONE, self->status.job_id, error->message);

  if (outcome != NULL)
    g_task_return_pointer (task, g_steal_pointer (&outcome), (GDestroyNotify) hp_print_outcome_free);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static int run_source_tag;

void
hp_print_job_run_async (HpPrintJob          *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  g_autoptr(GCancellable) own_cancellable = NULL;
  Run *run;

  g_return_if_fail (HP_IS_PRINT_JOB (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (!self->started);

  self->started = TRUE;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, &run_source_tag);
  /* A job that printed reports so even if cancelled a moment too late. */
  g_task_set_check_cancellable (task, FALSE);

  /* The worker always has a cancellable to wait on, the caller's or its own. */
  if (cancellable == NULL)
    cancellable = own_cancellable = g_cancellable_new ();

  run = g_new0 (Run, 1);
  run->job = g_object_ref (self);
  run->context = g_main_context_ref_thread_default ();
  run->printer = g_strdup (self->printer);
  run->document = g_bytes_ref (self->document);
  run->title = g_strdup (self->title);
  run->media = g_strdup (self->media);
  run->problem_timeout_ms = self->problem_timeout_ms;
  run->deadline_ms = self->deadline_ms;
  run->cancellable = g_object_ref (cancellable);
  run->posted_state = HP_PRINT_STATE_IDLE;
  run->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), run, NULL);

  /* The worker reports on its own task, whose callback hands the outcome to
   * the caller's task after the job's properties show it. Cancellation is
   * the worker's to notice: it cancels the job on the printer first. */
  worker = g_task_new (NULL, cancellable, on_run_done, g_steal_pointer (&task));
  g_task_set_source_tag (worker, &run_source_tag);
  g_task_set_return_on_cancel (worker, FALSE);
  g_task_set_check_cancellable (worker, FALSE);
  g_task_set_task_data (worker, run, run_free);
  job_apply (self, HP_PRINT_STATE_SENDING, HP_PRINT_PROBLEM_NONE, 0, NULL);
  g_task_run_in_thread (worker, run_in_thread);
}

HpPrintOutcome *
hp_print_job_run_finish (HpPrintJob    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (HP_IS_PRINT_JOB (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == &run_source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
hp_print_job_get_printer (HpPrintJob *self)
{
  g_return_val_if_fail (HP_IS_PRINT_JOB (self), NULL);
  return self->printer;
}

HpPrintState
hp_print_job_get_state (HpPrintJob *self)
{
  g_return_val_if_fail (HP_IS_PRINT_JOB (self), HP_PRINT_STATE_IDLE);
  return self->status.state;
}

HpPrintProblem
hp_print_job_get_problem (HpPrintJob *self)
{
  g_return_val_if_fail (HP_IS_PRINT_JOB (self), HP_PRINT_PROBLEM_NONE);
  return self->status.problem;
}

int
hp_print_job_get_job_id (HpPrintJob *self)
{
  g_return_val_if_fail (HP_IS_PRINT_JOB (self), 0);
  return self->status.job_id;
}

const char *
hp_print_job_get_detail (HpPrintJob *self)
{
  g_return_val_if_fail (HP_IS_PRINT_JOB (self), NULL);
  return self->status.detail;
}
