/* healthpost-ctl print-test: a test page on the kiosk's printer, or one named, with the job's outcome for staff. */
#include <string.h>

#include "hp-audit.h"
#include "hp-ctl.h"
#include "hp-keyring.h"
#include "hp-print-service.h"
#include "hp-secret.h"
#include "hp-store.h"
#include "hp-summary-pdf.h"

#define AUDIT_KEY_SIZE 32

/* The audit trail of the kiosk's store, when there is one to open: a test
 * page is worth recording, but a printer is also tried before the kiosk
 * has ever started. */
static HpAuditLog *
open_audit (HpConfig  *config,
            HpStore  **store,
            GError   **error)
{
  g_autoptr(HpKeyring) keyring = NULL;
  HpAuditLog *audit;
  guint8 key[AUDIT_KEY_SIZE];

  *store = hp_ctl_open_store (config, HP_CTL_WRITE, &keyring, error);
  if (*store == NULL)
    return NULL;
  if (!hp_keyring_derive (keyring, HP_KEYRING_PURPOSE_AUDIT_HMAC, key, sizeof key, error))
    return NULL;
  audit = hp_audit_log_new (*store, key, sizeof key, error);
  hp_secret_wipe (key, sizeof key);
  return audit;
}

typedef struct {
  GMainLoop *loop;
  HpPrintOutcome *outcome;
  GError *error;
} Waiting;

static void
on_printed (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  Waiting *waiting = data;

  waiting->outcome = hp_print_service_print_finish (HP_PRINT_SERVICE (source), result, &waiting->error);
  g_main_loop_quit (waiting->loop);
}

static const char *
state_name (HpPrintState state)
{
  switch (state)
    {
    case HP_PRINT_STATE_IDLE:
      return "idle";
    case HP_PRINT_STATE_SENDING:
      return "sending";
    case HP_PRINT_STATE_PRINTING:
      return "printing";
    case HP_PRINT_STATE_DONE:
      return "done";
    case HP_PRINT_STATE_FAILED:
    default:
      return "failed";
    }
}

/* Staff watching the command see what the patient's screen would. */
static void
on_state (HpPrintService *service,
          GParamSpec     *pspec G_GNUC_UNUSED,
          gpointer        data G_GNUC_UNUSED)
{
  HpPrintState state = hp_print_service_get_state (service);
  HpPrintProblem problem = hp_print_service_get_problem (service);

  if (state == HP_PRINT_STATE_PRINTING && problem != HP_PRINT_PROBLEM_NONE)
    g_printerr ("waiting: %s: %s\n", hp_print_problem_to_string (problem),
                hp_print_service_get_detail (service));
}

int
hp_ctl_print_test (int    argc,
                   char **argv)
{
  static const HpCtlCommand self = { "print-test", "print-test [PRINTER]", NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(HpConfig) config = NULL;
  g_autoptr(HpStore) store = NULL;
  g_autoptr(HpAuditLog) audit = NULL;
  g_autoptr(HpPrintService) service = NULL;
  g_autoptr(GBytes) page = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) audit_error = NULL;
  Waiting waiting = { 0 };
  const char *printer;
  HpPaper paper;
  int status;

  if (!hp_ctl_parse_options (&self, NULL, &argc, &argv))
    return 2;
  if (argc > 2)
    {
      g_printerr ("usage: healthpost-ctl %s\n", self.usage);
      return 2;
    }
  config = hp_ctl_load_config ();
  if (config == NULL)
    return 1;
  printer = argc == 2 ? argv[1] : hp_config_get_printer (config);
  if (printer == NULL || *printer == '\0')
    return hp_ctl_fail ("print-test: no printer: name one, or set [printer] printer in the configuration");
  if (!hp_paper_from_string (hp_config_get_paper (config), &paper))
    paper = HP_PAPER_RECEIPT_80MM;

  page = hp_summary_render_test_page (paper, hp_config_get_location (config), &error);
  if (page == NULL)
    return hp_ctl_fail ("print-test: cannot draw the test page: %s", error->message);

  service = hp_print_service_new ();
  hp_print_service_set_printer (service, printer);
  hp_print_service_set_paper (service, paper);
  audit = open_audit (config, &store, &audit_error);
  if (audit != NULL)
    hp_print_service_set_audit (service, audit, HP_AUDIT_ACTOR_SYSTEM);
  else
    g_printerr ("healthpost-ctl: print-test: not recorded in the audit log: %s\n", audit_error->message);
  g_signal_connect (service, "notify::problem", G_CALLBACK (on_state), NULL);

  loop = g_main_loop_new (NULL, FALSE);
  waiting.loop = loop;
  hp_print_service_print_async (service, NULL, page, "Healthpost test page", NULL, on_printed, &waiting);
  g_main_loop_run (loop);

  if (waiting.outcome == NULL)
    {
      status = hp_ctl_fail ("print-test: %s", waiting.error->message);
      g_clear_error (&waiting.error);
      return status;
    }
  g_print ("job %d on %s: %s\n", waiting.outcome->job_id, printer, state_name (waiting.outcome->state));
  status = waiting.outcome->state == HP_PRINT_STATE_DONE ? 0 : 1;
  if (status != 0)
    hp_ctl_fail ("print-test: %s: %s", hp_print_problem_to_string (waiting.outcome->problem),
                 waiting.outcome->detail);
  hp_print_outcome_free (waiting.outcome);
  return status;
}
