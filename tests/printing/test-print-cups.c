/* Printing end to end against a private cupsd on loopback: the document arrives as sent, and a stopped, refusing, empty or vanished printer is told plainly while the kiosk stays usable. */
#include <glib/gstdio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>
#include <cups/cups.h>

#include "hp-audit.h"
#include "hp-cups-server.h"
#include "hp-keyring.h"
#include "hp-print-service.h"
#include "hp-store.h"
#include "hp-test-util.h"

/* Guards against a hung test only; nothing here asserts a speed. */
#define WAIT_S 30
/* Short, so a test that waits on a problem ends soon. */
#define PROBLEM_TIMEOUT_MS 800
/* How long a printout left to finish is watched for a cancellation that
 * must not come: longer than the job's slowest look at the printer. */
#define STILL_ON_ITS_WAY_S 2

static const char *ctl_path;

typedef struct {
  HpCupsServer *server;
  char *dir;
  char *database;
  HpStore *store;
  HpAuditLog *audit;
  GBytes *pdf;
} Fixture;

static Fixture fixture;

/* ---- helpers ------------------------------------------------------------- */

/* Where a printout's result lands. On the heap: a test that fails while
 * a printout is on its way leaves, and the result still has a place to go. */
typedef struct {
  GAsyncResult *result;
} Pending;

static void
on_printed (GObject      *source G_GNUC_UNUSED,
            GAsyncResult *result,
            gpointer      data)
{
  Pending *pending = data;

  pending->result = g_object_ref (result);
}

static gboolean
have_result (gconstpointer data)
{
  const Pending *pending = data;

  return pending->result != NULL;
}

static Pending *
print_start (HpPrintService *service,
             const char     *visit_id,
             GCancellable   *cancellable)
{
  Pending *pending = g_new0 (Pending, 1);

  hp_print_service_print_async (service, visit_id, fixture.pdf, "Healthpost summary",
                                cancellable, on_printed, pending);
  return pending;
}

static HpPrintOutcome *
print_finish (HpPrintService  *service,
              Pending         *pending,
              GError         **error)
{
  HpPrintOutcome *outcome;

  if (!hp_test_iterate_until (have_result, pending, WAIT_S))
    fail_msg ("the printout did not end within %d s", WAIT_S);
  outcome = hp_print_service_print_finish (service, pending->result, error);
  g_object_unref (pending->result);
  g_free (pending);
  return outcome;
}

static HpPrintOutcome *
print_and_wait (HpPrintService  *service,
                const char      *visit_id,
                GCancellable    *cancellable,
                GError         **error)
{
  return print_finish (service, print_start (service, visit_id, cancellable), error);
}

static HpPrintService *
service_new (const char *printer)
{
  HpPrintService *service = hp_print_service_new ();

  hp_print_service_set_printer (service, printer);
  hp_print_service_set_problem_timeout (service, PROBLEM_TIMEOUT_MS);
  hp_print_service_set_audit (service, fixture.audit, HP_AUDIT_ACTOR_KIOSK);
  return service;
}

/* Prints and asserts it came out, byte for byte. */
static void
assert_prints (HpPrintService *service,
               const char     *visit_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpPrintOutcome) outcome = print_and_wait (service, visit_id, NULL, &error);
  g_autoptr(GBytes) arrived = NULL;

  if (outcome == NULL)
    fail_msg ("no outcome: %s", error->message);
  if (outcome->state != HP_PRINT_STATE_DONE)
    fail_msg ("not printed: %s: %s", hp_print_problem_to_string (outcome->problem), outcome->detail);
  assert_int_equal (outcome->problem, HP_PRINT_PROBLEM_NONE);
  assert_true (outcome->job_id > 0);
  arrived = hp_cups_server_take_document (fixture.server, outcome->job_id);
  assert_non_null (arrived);
  assert_true (g_bytes_equal (arrived, fixture.pdf));
  assert_int_equal (hp_print_service_get_state (service), HP_PRINT_STATE_DONE);
  assert_int_equal (hp_print_service_get_problem (service), HP_PRINT_PROBLEM_NONE);
}

/* Prints and asserts it failed on @problem, with nothing printed. */
static HpPrintOutcome *
assert_fails (HpPrintService *service,
              const char     *visit_id,
              HpPrintProblem  problem)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpPrintOutcome) outcome = print_and_wait (service, visit_id, NULL, &error);

  if (outcome == NULL)
    fail_msg ("no outcome: %s", error->message);
  if (outcome->state != HP_PRINT_STATE_FAILED || outcome->problem != problem)
    fail_msg ("expected failure %s, got state %d problem %s: %s", hp_print_problem_to_string (problem),
              outcome->state, hp_print_problem_to_string (outcome->problem), outcome->detail);
  assert_int_equal (hp_print_service_get_state (service), HP_PRINT_STATE_FAILED);
  assert_int_equal (hp_print_service_get_problem (service), problem);
  /* Staff get the reason in words; the patient gets the plain sentence. */
  assert_true (strlen (outcome->detail) > 0);
  assert_string_equal (hp_print_service_get_detail (service), outcome->detail);
  assert_int_equal (hp_cups_server_count_documents (fixture.server), 0);
  return g_steal_pointer (&outcome);
}

/* The newest audit entry. */
static HpAuditEntry *
last_audit_entry (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = hp_audit_list (fixture.audit, 0, &error);
  HpAuditEntry *last;
  HpAuditEntry *copy;

  assert_non_null (entries);
  assert_true (entries->len > 0);
  last = g_ptr_array_index (entries, entries->len - 1);
  copy = g_new0 (HpAuditEntry, 1);
  copy->seq = last->seq;
  copy->action = g_strdup (last->action);
  copy->actor = g_strdup (last->actor);
  copy->detail = g_strdup (last->detail);
  return copy;
}

static void
record_state (HpPrintService *service,
              GParamSpec     *pspec G_GNUC_UNUSED,
              GArray         *states)
{
  int state = hp_print_service_get_state (service);

  g_array_append_val (states, state);
}

static void
record_problem (HpPrintService *service,
                GParamSpec     *pspec G_GNUC_UNUSED,
                GArray         *problems)
{
  int problem = hp_print_service_get_problem (service);

  g_array_append_val (problems, problem);
}

typedef struct {
  HpPrintService *service;
  HpPrintProblem problem;
} ProblemWait;

static gboolean
problem_is (gconstpointer data)
{
  const ProblemWait *wait = data;

  return hp_print_service_get_problem (wait->service) == wait->problem;
}

/* The service's printout is at the printer's backend, coming out, with no
 * problem believed. */
static gboolean
printing_normally (gconstpointer data)
{
  const ProblemWait *wait = data;
  int job_id = hp_print_service_get_job_id (wait->service);

  return hp_print_service_get_state (wait->service) == HP_PRINT_STATE_PRINTING
         && hp_print_service_get_problem (wait->service) == HP_PRINT_PROBLEM_NONE
         && job_id > 0
         && hp_cups_server_get_job_state (fixture.server, job_id) == IPP_JSTATE_PROCESSING;
}

/* Starts visit @visit_id's printout on a printer that prints it slowly
 * but with nothing wrong (it only reports that paper runs low, and takes
 * its time until the report is cleared), and waits until it is coming out. */
static Pending *
start_slow_printout (HpPrintService *service,
                     const char     *visit_id,
                     int            *job_id)
{
  ProblemWait wait = { service, HP_PRINT_PROBLEM_NONE };
  Pending *pending;

  hp_print_service_set_problem_timeout (service, WAIT_S * 2000);
  hp_cups_server_set_fault (fixture.server, "media-low-warning");
  pending = print_start (service, visit_id, NULL);
  if (!hp_test_iterate_until (printing_normally, &wait, WAIT_S))
    fail_msg ("the printout never came to the printer: %s", hp_print_service_get_detail (service));
  *job_id = hp_print_service_get_job_id (service);
  return pending;
}

static gboolean
count_tick (gpointer data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

/* ---- group setup ----------------------------------------------------------- */

static int
group_setup (void **state G_GNUC_UNUSED)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *server_address = NULL;
  static const guint8 root_key[32] = { 7, 1, 8, 2, 8, 1, 8, 2, 8, 4, 5, 9, 0, 4, 5, 2,
                                       3, 5, 3, 6, 0, 2, 8, 7, 4, 7, 1, 3, 5, 2, 6, 6 };
  g_autoptr(HpKeyring) keyring = NULL;
  guint8 audit_key[32];

  fixture.server = hp_cups_server_start (&error);
  if (fixture.server == NULL)
    {
      g_printerr ("# cannot start cupsd: %s\n", error->message);
      return -1;
    }
  /* Destination names are looked up on the default server: ours, by the
   * name its queues' URIs give it. */
  server_address = g_strdup_printf ("localhost:%u", hp_cups_server_get_port (fixture.server));
  g_setenv ("CUPS_SERVER", server_address, TRUE);

  fixture.dir = g_dir_make_tmp ("hp-print-XXXXXX", &error);
  if (fixture.dir == NULL)
    return -1;
  fixture.database = g_build_filename (fixture.dir, "healthpost.db", NULL);
  /* The audit key derived as the kiosk derives it: the log's first entry
   * is keyed with it. */
  keyring = hp_keyring_new_from_bytes (root_key, sizeof root_key, &error);
  if (keyring != NULL)
    fixture.store = hp_store_open_with_keyring (fixture.database, keyring, &error);
  if (fixture.store == NULL
      || !hp_keyring_derive (keyring, HP_KEYRING_PURPOSE_AUDIT_HMAC, audit_key, sizeof audit_key, &error))
    {
      g_printerr ("# cannot open the store: %s\n", error->message);
      return -1;
    }
  fixture.audit = hp_audit_log_new (fixture.store, audit_key, sizeof audit_key, &error);
  if (fixture.audit == NULL)
    return -1;
  fixture.pdf = hp_cups_test_pdf ("Healthpost test");
  return 0;
}

static int
group_teardown (void **state G_GNUC_UNUSED)
{
  int result = 0;

  g_clear_pointer (&fixture.server, hp_cups_server_free);
  g_clear_object (&fixture.audit);
  g_clear_object (&fixture.store);
  g_clear_pointer (&fixture.pdf, g_bytes_unref);
  if (fixture.dir != NULL && !hp_test_tmpdir_remove (fixture.dir))
    result = -1;
  g_clear_pointer (&fixture.dir, g_free);
  g_clear_pointer (&fixture.database, g_free);
  return result;
}

/* Each test leaves the printer as it found it: on, taking jobs, with paper. */
static int
printer_ready (void **state G_GNUC_UNUSED)
{
  g_autoptr(GError) error = NULL;

  hp_cups_server_set_fault (fixture.server, NULL);
  if (!hp_cups_server_set_paused (fixture.server, FALSE, &error)
      || !hp_cups_server_set_accepting (fixture.server, TRUE, &error))
    {
      g_printerr ("# %s\n", error->message);
      return -1;
    }
  return 0;
}

/* ---- tests ----------------------------------------------------------------- */

/* The PDF reaches the printer unchanged; the UI sees sending, printing,
 * done; the audit trail says which printer and job, and nothing of whom. */
static void
test_prints_document (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpPrintService) service = service_new (hp_cups_server_get_queue_uri (fixture.server));
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(HpAuditEntry) entry = NULL;

  g_signal_connect (service, "notify::state", G_CALLBACK (record_state), states);
  assert_true (hp_print_service_is_available (service));
  assert_int_equal (hp_print_service_get_state (service), HP_PRINT_STATE_IDLE);
  assert_prints (service, "3f1e2d4c-visit-a");
  g_signal_handlers_disconnect_by_data (service, states);

  assert_true (states->len >= 3);
  assert_int_equal (g_array_index (states, int, 0), HP_PRINT_STATE_SENDING);
  assert_int_equal (g_array_index (states, int, states->len - 2), HP_PRINT_STATE_PRINTING);
  assert_int_equal (g_array_index (states, int, states->len - 1), HP_PRINT_STATE_DONE);

  entry = last_audit_entry ();
  assert_string_equal (entry->action, "print.summary");
  assert_string_equal (entry->actor, HP_AUDIT_ACTOR_KIOSK);
  assert_true (g_str_has_prefix (entry->detail, "printer=ipp://127.0.0.1:"));
  assert_non_null (strstr (entry->detail, " outcome=done problem=none job="));
  assert_non_null (strstr (entry->detail, " copy=1"));
  assert_null (strstr (entry->detail, "visit-a"));

  hp_print_service_forget_visit (service);
  assert_int_equal (hp_print_service_get_state (service), HP_PRINT_STATE_IDLE);
}

/* A destination name is looked up on the CUPS server. */
static void
test_prints_by_destination_name (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpPrintService) service = service_new (HP_CUPS_SERVER_QUEUE);

  assert_prints (service, NULL);
}

/* Two copies a visit by default; one that fails is given back; the next
 * visit starts afresh. */
static void
test_copies_per_visit (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpPrintService) service = service_new (hp_cups_server_get_queue_uri (fixture.server));
  g_autoptr(HpPrintOutcome) failed = NULL;
  g_autoptr(HpPrintOutcome) refused = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) pause_error = NULL;

  assert_int_equal (hp_print_service_get_copies_left (service, "visit-1"), 2);
  assert_prints (service, "visit-1");
  assert_int_equal (hp_print_service_get_copies_left (service, "visit-1"), 1);

  assert_true (hp_cups_server_set_paused (fixture.server, TRUE, &pause_error));
  failed = assert_fails (service, "visit-1", HP_PRINT_PROBLEM_OFFLINE);
  assert_int_equal (hp_print_service_get_copies_left (service, "visit-1"), 1);
  assert_true (hp_cups_server_set_paused (fixture.server, FALSE, &pause_error));

  assert_prints (service, "visit-1");
  assert_int_equal (hp_print_service_get_copies_left (service, "visit-1"), 0);
  refused = print_and_wait (service, "visit-1", NULL, &error);
  assert_null (refused);
  assert_true (g_error_matches (error, HP_PRINT_ERROR, HP_PRINT_ERROR_LIMIT_REACHED));
  assert_int_equal (hp_cups_server_count_documents (fixture.server), 0);

  /* Test pages count against no visit. */
  assert_prints (service, NULL);
  assert_int_equal (hp_print_service_get_copies_left (service, "visit-2"), 2);
  hp_print_service_set_copies_per_visit (service, 1);
  assert_prints (service, "visit-2");
  assert_int_equal (hp_print_service_get_copies_left (service, "visit-2"), 0);
  hp_print_service_forget_visit (service);
  assert_int_equal (hp_print_service_get_copies_left (service, "visit-2"), 1);
}

/* A paused (stopped) printer: the patient is told it is not working, the
 * summary is not left in its queue, and it prints once resumed. */
static void
test_paused_printer (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpPrintService) service = service_new (hp_cups_server_get_queue_uri (fixture.server));
  g_autoptr(HpPrintOutcome) outcome = NULL;
  g_autoptr(HpAuditEntry) entry = NULL;
  g_autoptr(GError) error = NULL;

  assert_true (hp_cups_server_set_paused (fixture.server, TRUE, &error));
  outcome = assert_fails (service, "visit-p", HP_PRINT_PROBLEM_OFFLINE);
  assert_int_equal (outcome->job_id, 0);
  assert_non_null (strstr (outcome->detail, "printer-state=stopped"));
  assert_non_null (strstr (outcome->detail, "paused"));
  assert_string_equal (hp_print_problem_to_patient_message (hp_print_service_get_problem (service)),
                       "The printer is not working right now. Please ask a staff member.");
  entry = last_audit_entry ();
  assert_string_equal (entry->action, "print.summary");
  assert_non_null (strstr (entry->detail, "outcome=failed problem=offline job=0"));

  assert_true (hp_cups_server_set_paused (fixture.server, FALSE, &error));
  assert_prints (service, "visit-p");
}

/* A printer that refuses jobs. */
static void
test_rejecting_printer (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpPrintService) service = service_new (hp_cups_server_get_queue_uri (fixture.server));
  g_autoptr(HpPrintOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;

  assert_true (hp_cups_server_set_accepting (fixture.server, FALSE, &error));
  outcome = assert_fails (service, "visit-r", HP_PRINT_PROBLEM_REJECTING);
  assert_non_null (strstr (outcome->detail, "not-accepting-jobs"));
  assert_string_equal (hp_print_problem_to_patient_message (outcome->problem),
                       "The printer is not taking printouts right now. Please ask a staff member.");

  assert_true (hp_cups_server_set_accepting (fixture.server, TRUE, &error));
  assert_prints (service, "visit-r");
}

/* Out of paper mid-job: the patient is told while the job waits, the main
 * loop keeps running, and once paper is in the summary comes out. */
static void
test_out_of_paper_then_refilled (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpPrintService) service = service_new (hp_cups_server_get_queue_uri (fixture.server));
  g_autoptr(GError) error = NULL;
  g_autoptr(HpPrintOutcome) outcome = NULL;
  g_autoptr(GBytes) arrived = NULL;
  ProblemWait wait = { service, HP_PRINT_PROBLEM_OUT_OF_PAPER };
  Pending *pending;
  static guint ticks;
  guint ticker;

  hp_print_service_set_problem_timeout (service, WAIT_S * 1000);
  hp_cups_server_set_fault (fixture.server, "media-empty-error");
  /* Static: a failed test leaves, its ticker does not. */
  ticks = 0;
  ticker = g_timeout_add (10, count_tick, &ticks);
  pending = print_start (service, "visit-o", NULL);
  if (!hp_test_iterate_until (problem_is, &wait, WAIT_S))
    fail_msg ("the problem never showed: %s", hp_print_service_get_detail (service));
  assert_int_equal (hp_print_service_get_state (service), HP_PRINT_STATE_PRINTING);
  assert_non_null (strstr (hp_print_service_get_detail (service), "media-empty-error"));
  assert_string_equal (hp_print_problem_to_patient_message (hp_print_service_get_problem (service)),
                       "The printer is out of paper. Please ask a staff member.");
  /* The loop ran while the worker waited on the printer. */
  assert_true (ticks > 0);
  assert_int_equal (hp_print_service_get_copies_left (service, "visit-o"), 0);

  hp_cups_server_set_fault (fixture.server, NULL);
  outcome = print_finish (service, pending, &error);
  g_source_remove (ticker);
  assert_non_null (outcome);
  assert_int_equal (outcome->state, HP_PRINT_STATE_DONE);
  assert_int_equal (hp_print_service_get_problem (service), HP_PRINT_PROBLEM_NONE);
  arrived = hp_cups_server_take_document (fixture.server, outcome->job_id);
  assert_non_null (arrived);
  assert_true (g_bytes_equal (arrived, fixture.pdf));
}

/* A problem that lasts: the job is cancelled at the printer, so the
 * summary cannot come out later for someone else; the copy is given back
 * and the next printout works. */
static void
test_lasting_problem_cancels_job (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpPrintService) service = service_new (hp_cups_server_get_queue_uri (fixture.server));
  g_autoptr(GArray) problems = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(HpPrintOutcome) outcome = NULL;

  hp_cups_server_set_fault (fixture.server, "door-open-error");
  g_signal_connect (service, "notify::problem", G_CALLBACK (record_problem), problems);
  outcome = assert_fails (service, "visit-d", HP_PRINT_PROBLEM_DOOR_OPEN);
  g_signal_handlers_disconnect_by_data (service, problems);
  assert_true (outcome->job_id > 0);
  assert_non_null (strstr (outcome->detail, "given up and cancelled"));
  assert_non_null (strstr (outcome->detail, "door-open-error"));
  /* Shown while it waited, not only at the end. */
  assert_true (problems->len >= 1);
  assert_int_equal (g_array_index (problems, int, 0), HP_PRINT_PROBLEM_DOOR_OPEN);
  assert_int_equal (hp_cups_server_get_job_state (fixture.server, outcome->job_id), IPP_JSTATE_CANCELED);
  assert_string_equal (hp_print_problem_to_patient_message (outcome->problem),
                       "The printer’s cover is open. Please ask a staff member.");
  assert_int_equal (hp_print_service_get_copies_left (service, "visit-d"), 2);

  hp_cups_server_set_fault (fixture.server, NULL);
  assert_prints (service, "visit-d");
}

/* The print server gone (killed, or nothing on the port): offline, no
 * hang; back up, printing works again with the same service. */
static void
test_printer_gone (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpPrintService) service = service_new (hp_cups_server_get_queue_uri (fixture.server));
  g_autoptr(HpPrintService) nowhere = NULL;
  g_autoptr(HpPrintOutcome) outcome = NULL;
  g_autoptr(HpPrintOutcome) nowhere_outcome = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wrong_uri = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  hp_cups_server_kill (fixture.server);
  outcome = assert_fails (service, "visit-g", HP_PRINT_PROBLEM_OFFLINE);
  assert_int_equal (outcome->job_id, 0);
  assert_string_equal (hp_print_problem_to_patient_message (outcome->problem),
                       "The printer is not working right now. Please ask a staff member.");

  /* A port bound but not listening: refused at once. */
  assert_true (g_socket_bind (socket, any_port, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  wrong_uri = g_strdup_printf ("ipp://127.0.0.1:%u/ipp/print",
                               g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  nowhere = service_new (wrong_uri);
  nowhere_outcome = assert_fails (nowhere, NULL, HP_PRINT_PROBLEM_OFFLINE);

  if (!hp_cups_server_restart (fixture.server, &error))
    fail_msg ("cupsd did not come back: %s", error->message);
  assert_prints (service, "visit-g");
}

/* Cancelling (the patient walked away) cancels the job at the printer. */
static void
test_cancel (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpPrintService) service = service_new (hp_cups_server_get_queue_uri (fixture.server));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Pending *pending;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpPrintOutcome) outcome = NULL;
  g_autoptr(HpAuditEntry) entry = NULL;
  g_autofree char *expected = NULL;
  ProblemWait wait = { service, HP_PRINT_PROBLEM_OUT_OF_PAPER };
  int job_id;

  hp_print_service_set_problem_timeout (service, WAIT_S * 1000);
  hp_cups_server_set_fault (fixture.server, "media-empty-error");
  pending = print_start (service, "visit-c", cancellable);
  if (!hp_test_iterate_until (problem_is, &wait, WAIT_S))
    fail_msg ("the job never waited on paper");
  job_id = hp_print_service_get_job_id (service);
  assert_true (job_id > 0);

  /* One printout at a time. */
  {
    g_autoptr(GError) busy_error = NULL;
    g_autoptr(HpPrintOutcome) busy = print_and_wait (service, NULL, NULL, &busy_error);

    assert_null (busy);
    assert_true (g_error_matches (busy_error, HP_PRINT_ERROR, HP_PRINT_ERROR_BUSY));
  }

  g_cancellable_cancel (cancellable);
  outcome = print_finish (service, pending, &error);
  assert_null (outcome);
  assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  assert_int_equal (hp_print_service_get_state (service), HP_PRINT_STATE_IDLE);
  assert_int_equal (hp_print_service_get_copies_left (service, "visit-c"), 2);

  /* The job the printer had is cancelled there too, and recorded so. */
  assert_int_equal (hp_cups_server_get_job_state (fixture.server, job_id), IPP_JSTATE_CANCELED);
  entry = last_audit_entry ();
  assert_string_equal (entry->action, "print.summary");
  expected = g_strdup_printf (" outcome=cancelled problem=none job=%d copy=1", job_id);
  assert_non_null (strstr (entry->detail, expected));
  hp_cups_server_set_fault (fixture.server, NULL);
  assert_int_equal (hp_cups_server_count_documents (fixture.server), 0);
  assert_prints (service, "visit-c");
}

/* Each visit sees its own printout: while one visit's printout waits on
 * paper the next visit's state is idle and its printout is refused, not
 * queued behind (its copies untouched); once the first is out the next
 * visit prints and the news becomes its own. */
static void
test_visit_sees_its_own_printout (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpPrintService) service = service_new (hp_cups_server_get_queue_uri (fixture.server));
  g_autoptr(HpPrintOutcome) refused = NULL;
  g_autoptr(HpPrintOutcome) first = NULL;
  g_autoptr(GBytes) first_document = NULL;
  g_autoptr(GError) error = NULL;
  ProblemWait wait = { service, HP_PRINT_PROBLEM_OUT_OF_PAPER };
  HpPrintProblem problem = HP_PRINT_PROBLEM_LAST;
  Pending *pending;

  assert_false (hp_print_service_get_busy (service));
  assert_int_equal (hp_print_service_get_visit_state (service, "visit-1", &problem), HP_PRINT_STATE_IDLE);
  assert_int_equal (problem, HP_PRINT_PROBLEM_NONE);

  hp_print_service_set_problem_timeout (service, WAIT_S * 1000);
  hp_cups_server_set_fault (fixture.server, "media-empty-error");
  pending = print_start (service, "visit-1", NULL);
  if (!hp_test_iterate_until (problem_is, &wait, WAIT_S))
    fail_msg ("the job never waited on paper: %s", hp_print_service_get_detail (service));
  assert_true (hp_print_service_get_busy (service));
  assert_int_equal (hp_print_service_get_visit_state (service, "visit-1", &problem), HP_PRINT_STATE_PRINTING);
  assert_int_equal (problem, HP_PRINT_PROBLEM_OUT_OF_PAPER);

  /* Another visit: nothing of the first is its news. */
  assert_int_equal (hp_print_service_get_visit_state (service, "visit-2", &problem), HP_PRINT_STATE_IDLE);
  assert_int_equal (problem, HP_PRINT_PROBLEM_NONE);
  assert_int_equal (hp_print_service_get_visit_state (service, "visit-2", NULL), HP_PRINT_STATE_IDLE);
  assert_int_equal (hp_print_service_get_state (service), HP_PRINT_STATE_PRINTING);
  assert_int_equal (hp_print_service_get_copies_left (service, "visit-2"), 0);
  refused = print_and_wait (service, "visit-2", NULL, &error);
  assert_null (refused);
  assert_true (g_error_matches (error, HP_PRINT_ERROR, HP_PRINT_ERROR_BUSY));
  assert_int_equal (hp_print_service_get_visit_state (service, "visit-2", NULL), HP_PRINT_STATE_IDLE);
  assert_int_equal (hp_print_service_get_visit_state (service, "visit-1", NULL), HP_PRINT_STATE_PRINTING);

  hp_cups_server_set_fault (fixture.server, NULL);
  first = print_finish (service, pending, &error);
  assert_non_null (first);
  assert_int_equal (first->state, HP_PRINT_STATE_DONE);
  first_document = hp_cups_server_take_document (fixture.server, first->job_id);
  assert_non_null (first_document);
  assert_false (hp_print_service_get_busy (service));
  assert_int_equal (hp_print_service_get_visit_state (service, "visit-1", NULL), HP_PRINT_STATE_DONE);
  assert_int_equal (hp_print_service_get_visit_state (service, "visit-2", NULL), HP_PRINT_STATE_IDLE);
  /* The refusal cost the next visit nothing. */
  assert_int_equal (hp_print_service_get_copies_left (service, "visit-2"), HP_PRINT_COPIES_PER_VISIT_DEFAULT);

  assert_prints (service, "visit-2");
  assert_int_equal (hp_print_service_get_visit_state (service, "visit-2", &problem), HP_PRINT_STATE_DONE);
  assert_int_equal (problem, HP_PRINT_PROBLEM_NONE);
  assert_int_equal (hp_print_service_get_visit_state (service, "visit-1", NULL), HP_PRINT_STATE_IDLE);
  /* A test page is no visit's news. */
  assert_prints (service, NULL);
  assert_int_equal (hp_print_service_get_visit_state (service, "visit-2", NULL), HP_PRINT_STATE_IDLE);
  hp_print_service_forget_visit (service);
  assert_int_equal (hp_print_service_get_state (service), HP_PRINT_STATE_IDLE);
}

/* The visit ends while a problem holds its printout: the job is cancelled
 * at the printer at once, not after the problem's timeout, and the audit
 * trail says how it ended; the service is idle and free for the next
 * visit, and once the paper is in, what comes out is the next visit's
 * summary, never the one before's. */
static void
test_visit_end_cancels_held_printout (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpPrintService) service = service_new (hp_cups_server_get_queue_uri (fixture.server));
  g_autoptr(GError) error = NULL;
  g_autoptr(HpPrintOutcome) outcome = NULL;
  g_autoptr(HpAuditEntry) entry = NULL;
  g_autoptr(GBytes) held = NULL;
  g_autofree char *expected = NULL;
  ProblemWait wait = { service, HP_PRINT_PROBLEM_OUT_OF_PAPER };
  HpPrintProblem problem = HP_PRINT_PROBLEM_LAST;
  Pending *pending;
  int job_id;

  /* Beyond the wait for the result: only the visit's end can cancel it. */
  hp_print_service_set_problem_timeout (service, WAIT_S * 2000);
  hp_cups_server_set_fault (fixture.server, "media-empty-error");
  pending = print_start (service, "visit-h", NULL);
  if (!hp_test_iterate_until (problem_is, &wait, WAIT_S))
    fail_msg ("the job never waited on paper: %s", hp_print_service_get_detail (service));
  job_id = hp_print_service_get_job_id (service);
  assert_true (job_id > 0);
  assert_int_equal (hp_cups_server_get_job_state (fixture.server, job_id), IPP_JSTATE_PROCESSING);

  hp_print_service_forget_visit (service);
  outcome = print_finish (service, pending, &error);
  assert_null (outcome);
  assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  assert_null (strstr (error->message, "visit-h"));

  /* Free for the next visit, with nothing of the one before to tell. */
  assert_false (hp_print_service_get_busy (service));
  assert_int_equal (hp_print_service_get_state (service), HP_PRINT_STATE_IDLE);
  assert_int_equal (hp_print_service_get_problem (service), HP_PRINT_PROBLEM_NONE);
  assert_int_equal (hp_print_service_get_visit_state (service, "visit-h", &problem), HP_PRINT_STATE_IDLE);
  assert_int_equal (problem, HP_PRINT_PROBLEM_NONE);
  assert_int_equal (hp_print_service_get_copies_left (service, "visit-next"), HP_PRINT_COPIES_PER_VISIT_DEFAULT);

  /* Out of the printer's queue, and recorded so, with nothing of whose. */
  assert_int_equal (hp_cups_server_get_job_state (fixture.server, job_id), IPP_JSTATE_CANCELED);
  entry = last_audit_entry ();
  assert_string_equal (entry->action, "print.summary");
  expected = g_strdup_printf (" outcome=cancelled problem=out-of-paper job=%d copy=1 reason=visit-ended", job_id);
  if (strstr (entry->detail, expected) == NULL)
    fail_msg ("audit detail \"%s\" lacks \"%s\"", entry->detail, expected);
  assert_null (strstr (entry->detail, "visit-h"));

  /* Paper in: the next visit prints at once, and only its summary comes
   * out. The queue keeps its order: the one before would be out first. */
  hp_cups_server_set_fault (fixture.server, NULL);
  assert_prints (service, "visit-next");
  held = hp_cups_server_take_document (fixture.server, job_id);
  assert_null (held);
  assert_int_equal (hp_cups_server_count_documents (fixture.server), 0);
  assert_int_equal (hp_cups_server_get_job_state (fixture.server, job_id), IPP_JSTATE_CANCELED);
}

/* The visit ends while its printout comes out with nothing wrong: it is
 * left to finish, still its visit's news, and comes out whole. */
static void
test_visit_end_lets_printout_finish (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpPrintService) service = service_new (hp_cups_server_get_queue_uri (fixture.server));
  g_autoptr(GError) error = NULL;
  g_autoptr(HpPrintOutcome) outcome = NULL;
  g_autoptr(HpAuditEntry) entry = NULL;
  g_autoptr(GBytes) arrived = NULL;
  g_autofree char *expected = NULL;
  Pending *pending;
  int job_id;

  pending = start_slow_printout (service, "visit-n", &job_id);
  hp_print_service_forget_visit (service);
  if (hp_test_iterate_until (have_result, pending, STILL_ON_ITS_WAY_S))
    fail_msg ("the printout ended when its visit did");
  assert_true (hp_print_service_get_busy (service));
  assert_int_equal (hp_print_service_get_visit_state (service, "visit-n", NULL), HP_PRINT_STATE_PRINTING);
  assert_int_equal (hp_cups_server_get_job_state (fixture.server, job_id), IPP_JSTATE_PROCESSING);

  hp_cups_server_set_fault (fixture.server, NULL);
  outcome = print_finish (service, pending, &error);
  if (outcome == NULL)
    fail_msg ("no outcome: %s", error->message);
  assert_int_equal (outcome->state, HP_PRINT_STATE_DONE);
  assert_int_equal (outcome->job_id, job_id);
  arrived = hp_cups_server_take_document (fixture.server, job_id);
  assert_non_null (arrived);
  assert_true (g_bytes_equal (arrived, fixture.pdf));
  assert_false (hp_print_service_get_busy (service));

  entry = last_audit_entry ();
  expected = g_strdup_printf (" outcome=done problem=none job=%d copy=1", job_id);
  assert_non_null (strstr (entry->detail, expected));
  assert_null (strstr (entry->detail, "reason="));
}

/* A printout left to finish at its visit's end that a problem holds
 * afterwards is cancelled at once as well: its patient has gone. */
static void
test_problem_after_visit_end_cancels (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpPrintService) service = service_new (hp_cups_server_get_queue_uri (fixture.server));
  g_autoptr(GError) error = NULL;
  g_autoptr(HpPrintOutcome) outcome = NULL;
  g_autoptr(HpAuditEntry) entry = NULL;
  g_autofree char *expected = NULL;
  Pending *pending;
  int job_id;

  pending = start_slow_printout (service, "visit-p", &job_id);
  hp_print_service_forget_visit (service);
  hp_cups_server_set_fault (fixture.server, "door-open-error");
  outcome = print_finish (service, pending, &error);
  assert_null (outcome);
  assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  assert_false (hp_print_service_get_busy (service));
  assert_int_equal (hp_print_service_get_state (service), HP_PRINT_STATE_IDLE);
  assert_int_equal (hp_cups_server_get_job_state (fixture.server, job_id), IPP_JSTATE_CANCELED);
  entry = last_audit_entry ();
  expected = g_strdup_printf (" outcome=cancelled problem=door-open job=%d copy=1 reason=visit-ended", job_id);
  if (strstr (entry->detail, expected) == NULL)
    fail_msg ("audit detail \"%s\" lacks \"%s\"", entry->detail, expected);

  /* The door shut, a staff test page is all that comes out. */
  hp_cups_server_set_fault (fixture.server, NULL);
  assert_prints (service, NULL);
  assert_int_equal (hp_cups_server_count_documents (fixture.server), 0);
  assert_int_equal (hp_cups_server_get_job_state (fixture.server, job_id), IPP_JSTATE_CANCELED);
}

/* ---- healthpost-ctl print-test -------------------------------------------- */

typedef struct {
  int status;
  char *out;
  char *err;
} CtlRun;

static void
ctl_run_clear (CtlRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CtlRun, ctl_run_clear)

static CtlRun
ctl (const char *config,
     ...)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  CtlRun run = { 0 };
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) ctl_path);
  g_ptr_array_add (argv, (gpointer) "--config");
  g_ptr_array_add (argv, (gpointer) config);
  va_start (args, config);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "CREDENTIALS_DIRECTORY");
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  if (process == NULL)
    fail_msg ("cannot start %s: %s", ctl_path, error->message);
  if (!g_subprocess_communicate_utf8 (process, NULL, NULL, &run.out, &run.err, &error))
    fail_msg ("talking to healthpost-ctl failed: %s", error->message);
  assert_true (g_subprocess_get_if_exited (process));
  run.status = g_subprocess_get_exit_status (process);
  return run;
}

static void
assert_ctl_status (const CtlRun *run,
                   int           status)
{
  if (run->status != status)
    fail_msg ("healthpost-ctl exited with %d, not %d\nstdout: %s\nstderr: %s",
              run->status, status, run->out, run->err);
}

static int
job_id_in (const char *text)
{
  const char *at = strstr (text, "job ");

  return at != NULL ? atoi (at + 4) : 0;
}

/* Staff try the printer: the configured one or one named on the command
 * line; the test page arrives, the tool says the job and how it went, and
 * the kiosk's audit trail has it. */
static void
test_ctl_print_test (void **state G_GNUC_UNUSED)
{
  g_autofree char *config = g_build_filename (fixture.dir, "healthpost.conf", NULL);
  g_autofree char *ctl_db = g_build_filename (fixture.dir, "ctl.db", NULL);
  g_autofree char *text = g_strdup_printf ("[demo]\nenabled=true\n[storage]\ndatabase=%s\n"
                                           "[printer]\nprinter=%s\npaper=a4\n",
                                           ctl_db, hp_cups_server_get_queue_uri (fixture.server));
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStore) ctl_store = NULL;
  g_autoptr(GBytes) arrived = NULL;
  g_auto(CtlRun) configured = { 0 };
  g_auto(CtlRun) named = { 0 };
  g_auto(CtlRun) paused = { 0 };
  g_auto(CtlRun) audit = { 0 };
  g_auto(CtlRun) usage = { 0 };
  g_autofree char *key_path = g_strconcat (ctl_db, ".key", NULL);
  g_autofree char *ctl_db_wal = g_strconcat (ctl_db, "-wal", NULL);
  g_autofree char *ctl_db_shm = g_strconcat (ctl_db, "-shm", NULL);
  gsize size = 0;
  const char *data;

  assert_true (g_file_set_contents (config, text, -1, &error));
  /* The kiosk made its database on first start. */
  ctl_store = hp_store_open_demo (ctl_db, &error);
  assert_non_null (ctl_store);
  g_clear_object (&ctl_store);

  configured = ctl (config, "print-test", NULL);
  assert_ctl_status (&configured, 0);
  assert_non_null (strstr (configured.out, ": done"));
  arrived = hp_cups_server_take_document (fixture.server, job_id_in (configured.out));
  assert_non_null (arrived);
  data = g_bytes_get_data (arrived, &size);
  assert_true (size > 5 && memcmp (data, "%PDF-", 5) == 0);
  g_clear_pointer (&arrived, g_bytes_unref);

  named = ctl (config, "print-test", HP_CUPS_SERVER_QUEUE, NULL);
  assert_ctl_status (&named, 0);
  arrived = hp_cups_server_take_document (fixture.server, job_id_in (named.out));
  assert_non_null (arrived);

  assert_true (hp_cups_server_set_paused (fixture.server, TRUE, &error));
  paused = ctl (config, "print-test", NULL);
  assert_ctl_status (&paused, 1);
  assert_non_null (strstr (paused.err, "offline"));
  assert_non_null (strstr (paused.err, "paused"));
  assert_true (hp_cups_server_set_paused (fixture.server, FALSE, &error));

  audit = ctl (config, "audit", "list", NULL);
  assert_ctl_status (&audit, 0);
  assert_non_null (strstr (audit.out, "system\tprint.test\tprinter=ipp://127.0.0.1:"));
  assert_non_null (strstr (audit.out, "print.test\tprinter=" HP_CUPS_SERVER_QUEUE " outcome=done"));
  assert_non_null (strstr (audit.out, "outcome=failed problem=offline job=0"));

  usage = ctl (config, "print-test", "one", "two", NULL);
  assert_ctl_status (&usage, 2);

  g_remove (ctl_db);
  g_remove (key_path);
  g_remove (ctl_db_wal);
  g_remove (ctl_db_shm);
  g_remove (config);
}

int
main (int   argc,
      char *argv[])
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup (test_prints_document, printer_ready),
    cmocka_unit_test_setup (test_prints_by_destination_name, printer_ready),
    cmocka_unit_test_setup (test_copies_per_visit, printer_ready),
    cmocka_unit_test_setup (test_paused_printer, printer_ready),
    cmocka_unit_test_setup (test_rejecting_printer, printer_ready),
    cmocka_unit_test_setup (test_out_of_paper_then_refilled, printer_ready),
    cmocka_unit_test_setup (test_lasting_problem_cancels_job, printer_ready),
    cmocka_unit_test_setup (test_cancel, printer_ready),
    cmocka_unit_test_setup (test_visit_sees_its_own_printout, printer_ready),
    cmocka_unit_test_setup (test_visit_end_cancels_held_printout, printer_ready),
    cmocka_unit_test_setup (test_visit_end_lets_printout_finish, printer_ready),
    cmocka_unit_test_setup (test_problem_after_visit_end_cancels, printer_ready),
    cmocka_unit_test_setup (test_ctl_print_test, printer_ready),
    cmocka_unit_test_setup (test_printer_gone, printer_ready),
  };

  if (argc != 2 && argc != 3)
    {
      g_printerr ("usage: %s HEALTHPOST-CTL [SCRATCH-DIR]\n", argv[0]);
      return 2;
    }
  ctl_path = argv[1];
  /* cupsd's folder and the store go there: what a run killed by its
   * timeout leaves behind stays in the build tree. */
  if (argc == 3)
    g_setenv ("TMPDIR", argv[2], TRUE);
  if (hp_cups_server_cupsd_path () == NULL)
    {
      g_printerr ("# cupsd is not installed: skipped\n");
      return 77;
    }
  return cmocka_run_group_tests_name ("print-cups", tests, group_setup, group_teardown);
}
