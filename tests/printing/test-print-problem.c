/* Tests of how a printer's IPP state becomes a problem, a patient's sentence and a staff detail. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "hp-print-problem.h"
#include "hp-print-service.h"
#include "hp-printing-enums.h"

static HpPrintProblem
problem_of (HpPrinterState  state,
            const char     *reasons)
{
  g_auto(GStrv) list = g_strsplit (reasons, ",", -1);

  return hp_print_problem_from_printer (state, (const char * const *) list);
}

static void
test_reasons (void **state G_GNUC_UNUSED)
{
  assert_int_equal (hp_print_problem_from_printer (HP_PRINTER_STATE_IDLE, NULL), HP_PRINT_PROBLEM_NONE);
  assert_int_equal (problem_of (HP_PRINTER_STATE_IDLE, ""), HP_PRINT_PROBLEM_NONE);
  assert_int_equal (problem_of (HP_PRINTER_STATE_PROCESSING, "media-empty-error"), HP_PRINT_PROBLEM_OUT_OF_PAPER);
  assert_int_equal (problem_of (HP_PRINTER_STATE_PROCESSING, "media-empty"), HP_PRINT_PROBLEM_OUT_OF_PAPER);
  assert_int_equal (problem_of (HP_PRINTER_STATE_STOPPED, "media-needed-error"), HP_PRINT_PROBLEM_OUT_OF_PAPER);
  assert_int_equal (problem_of (HP_PRINTER_STATE_PROCESSING, "door-open-error"), HP_PRINT_PROBLEM_DOOR_OPEN);
  assert_int_equal (problem_of (HP_PRINTER_STATE_PROCESSING, "cover-open"), HP_PRINT_PROBLEM_DOOR_OPEN);
  assert_int_equal (problem_of (HP_PRINTER_STATE_PROCESSING, "media-jam-error"), HP_PRINT_PROBLEM_JAMMED);
  assert_int_equal (problem_of (HP_PRINTER_STATE_PROCESSING, "offline-report"), HP_PRINT_PROBLEM_NONE);
  assert_int_equal (problem_of (HP_PRINTER_STATE_STOPPED, "offline"), HP_PRINT_PROBLEM_OFFLINE);
  assert_int_equal (problem_of (HP_PRINTER_STATE_STOPPED, "paused"), HP_PRINT_PROBLEM_OFFLINE);
  assert_int_equal (problem_of (HP_PRINTER_STATE_IDLE, "toner-empty-error"), HP_PRINT_PROBLEM_OTHER);

  /* Warnings and reports leave the printer printing. */
  assert_int_equal (problem_of (HP_PRINTER_STATE_PROCESSING, "media-low-warning,toner-low-report"), HP_PRINT_PROBLEM_NONE);
  assert_int_equal (problem_of (HP_PRINTER_STATE_PROCESSING, "media-empty-warning"), HP_PRINT_PROBLEM_NONE);
  /* A stopped printer with nothing more telling is offline. */
  assert_int_equal (problem_of (HP_PRINTER_STATE_STOPPED, ""), HP_PRINT_PROBLEM_OFFLINE);
  assert_int_equal (problem_of (HP_PRINTER_STATE_STOPPED, "com.example-vendor-thing-error"), HP_PRINT_PROBLEM_OFFLINE);
  /* What a person at the printer can fix wins, whatever the order. */
  assert_int_equal (problem_of (HP_PRINTER_STATE_STOPPED, "paused,media-jam-error,door-open-error"), HP_PRINT_PROBLEM_DOOR_OPEN);
  assert_int_equal (problem_of (HP_PRINTER_STATE_STOPPED, "door-open-error,media-empty-error"), HP_PRINT_PROBLEM_OUT_OF_PAPER);
  /* Near misses are not the keyword. */
  assert_int_equal (problem_of (HP_PRINTER_STATE_IDLE, "media-empty-errors,xmedia-empty,-error,media"), HP_PRINT_PROBLEM_NONE);
}

static void
test_patient_messages (void **state G_GNUC_UNUSED)
{
  assert_string_equal (hp_print_problem_to_patient_message (HP_PRINT_PROBLEM_NONE), "");
  assert_string_equal (hp_print_problem_to_patient_message (HP_PRINT_PROBLEM_OUT_OF_PAPER),
                       "The printer is out of paper. Please ask a staff member.");
  for (int a = HP_PRINT_PROBLEM_OUT_OF_PAPER; a <= HP_PRINT_PROBLEM_LAST; a++)
    {
      const char *message = hp_print_problem_to_patient_message (a);

      /* Plain, short, and each tells whom to ask. */
      assert_true (strlen (message) > 0 && strlen (message) < 100);
      assert_non_null (strstr (message, "staff member"));
      for (int b = a + 1; b <= HP_PRINT_PROBLEM_LAST; b++)
        assert_string_not_equal (message, hp_print_problem_to_patient_message (b));
      assert_string_not_equal (hp_print_problem_to_string (a), "none");
    }
}

static void
test_detail_sanitize (void **state G_GNUC_UNUSED)
{
  g_autofree char *plain = hp_print_detail_sanitize ("printer-state=stopped reasons=paused");
  g_autofree char *control = hp_print_detail_sanitize ("a\nb\033[2Jc\xc3\xa9");
  g_autofree char *empty = hp_print_detail_sanitize (NULL);
  g_autofree char *long_text = g_strnfill (1000, 'x');
  g_autofree char *cut = hp_print_detail_sanitize (long_text);

  assert_string_equal (plain, "printer-state=stopped reasons=paused");
  assert_string_equal (control, "a?b?[2Jc??");
  assert_string_equal (empty, "");
  assert_int_equal (strlen (cut), HP_PRINT_DETAIL_MAX_LENGTH);
}

/* Without a printer nothing is sent, and the caller is told why. */
static void
on_printed (GObject      *source G_GNUC_UNUSED,
            GAsyncResult *result,
            gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static gboolean
have_result (gconstpointer data)
{
  return *(GAsyncResult * const *) data != NULL;
}

static void
test_not_configured (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpPrintService) service = hp_print_service_new ();
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.4\n%%EOF\n", 15);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpPrintOutcome) outcome = NULL;

  assert_false (hp_print_service_is_available (service));
  assert_int_equal (hp_print_service_get_copies_left (service, "visit"), 0);
  hp_print_service_print_async (service, "visit", pdf, "Healthpost summary", NULL, on_printed, &result);
  while (!have_result (&result))
    g_main_context_iteration (NULL, TRUE);
  outcome = hp_print_service_print_finish (service, result, &error);
  assert_null (outcome);
  assert_true (g_error_matches (error, HP_PRINT_ERROR, HP_PRINT_ERROR_NOT_CONFIGURED));
  assert_int_equal (hp_print_service_get_state (service), HP_PRINT_STATE_IDLE);

  hp_print_service_set_printer (service, "lobby");
  assert_true (hp_print_service_is_available (service));
  assert_int_equal (hp_print_service_get_copies_left (service, "visit"), HP_PRINT_COPIES_PER_VISIT_DEFAULT);
  hp_print_service_set_printer (service, "");
  assert_false (hp_print_service_is_available (service));
}

/* The service's and the job's paper, state and problem are their enum types. */
static void
test_enum_properties (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpPrintService) service = hp_print_service_new ();
  g_autoptr(GTypeClass) job_class = g_type_class_ref (HP_TYPE_PRINT_JOB);
  HpPaper paper;
  HpPrintState print_state;
  HpPrintProblem problem;

  assert_int_equal (g_object_class_find_property (G_OBJECT_CLASS (job_class), "state")->value_type,
                    HP_TYPE_PRINT_STATE);
  assert_int_equal (g_object_class_find_property (G_OBJECT_CLASS (job_class), "problem")->value_type,
                    HP_TYPE_PRINT_PROBLEM);

  g_object_set (service, "paper", HP_PAPER_A4, NULL);
  assert_int_equal (hp_print_service_get_paper (service), HP_PAPER_A4);
  g_object_get (service, "paper", &paper, "state", &print_state, "problem", &problem, NULL);
  assert_int_equal (paper, HP_PAPER_A4);
  assert_int_equal (print_state, HP_PRINT_STATE_IDLE);
  assert_int_equal (problem, HP_PRINT_PROBLEM_NONE);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_reasons),
    cmocka_unit_test (test_patient_messages),
    cmocka_unit_test (test_detail_sanitize),
    cmocka_unit_test (test_not_configured),
    cmocka_unit_test (test_enum_properties),
  };

  return cmocka_run_group_tests_name ("print-problem", tests, NULL, NULL);
}
