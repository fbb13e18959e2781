/* Prints a visit's summary from the real kiosk widgets to a private cupsd under Xvfb, and makes the printer fail. */
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <cups/cups.h>

#include "hp-application.h"
#include "hp-audit.h"
#include "hp-cups-server.h"
#include "hp-goodbye-page.h"
#include "hp-i18n.h"
#include "hp-keyring.h"
#include "hp-print-page.h"
#include "hp-store.h"
#include "hp-test-util.h"
#include "hp-ui-fixture.h"

#define LOCATION "Corner pharmacy, 12 Elm Street"

/* A kiosk whose printer is @server's queue. */
static HpUiFixture *
start_kiosk_with_printer (HpCupsServer *server,
                          guint         copies)
{
  g_autofree char *config = g_strdup_printf ("[visit]\nidle-seconds=600\n"
                                             "[kiosk]\nlocation=" LOCATION "\n"
                                             "[printer]\nprinter=%s\ncopies-per-visit=%u\n",
                                             hp_cups_server_get_queue_uri (server), copies);

  return hp_ui_fixture_start (config);
}

static HpPrintPage *
print_page (HpUiFixture *f)
{
  return HP_PRINT_PAGE (hp_window_get_page_widget (hp_ui_window (f), HP_PAGE_PRINT));
}

static gboolean
printout_is (HpUiFixture   *f,
             gconstpointer  data)
{
  return hp_ui_page_is (f, GINT_TO_POINTER (HP_PAGE_PRINT))
         && hp_print_page_get_state (print_page (f)) == (HpPrintoutState) GPOINTER_TO_INT (data);
}

static gboolean
print_problem_is (HpUiFixture   *f,
                  gconstpointer  data)
{
  HpPrintService *service = hp_application_get_print_service (f->app);

  return hp_print_service_get_problem (service) == (HpPrintProblem) GPOINTER_TO_INT (data);
}

/* One blood pressure, then the summary. */
static void
measure_and_sum_up (HpUiFixture *f,
                    const char  *language)
{
  hp_ui_begin_visit (f, language);
  hp_ui_press_target (f, "visit.choose", "blood-pressure");
  hp_ui_press (f, "visit.start-measurement");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_RESULT), "the result");
  hp_ui_press (f, "visit.finish");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_SUMMARY), "the summary");
}

/* The preview is the printout drawn: a receipt, taller than wide, with
 * dark type on white. */
static void
assert_preview_drawn (HpUiFixture *f)
{
  GdkTexture *preview = hp_print_page_get_preview (print_page (f));
  int width, height;
  g_autofree guchar *pixels = NULL;
  gsize dark = 0;

  assert_non_null (preview);
  width = gdk_texture_get_width (preview);
  height = gdk_texture_get_height (preview);
  assert_true (width > 200);
  assert_true (height > width);
  pixels = g_malloc ((gsize) width * (gsize) height * 4);
  gdk_texture_download (preview, pixels, (gsize) width * 4);
  for (gsize i = 0; i < (gsize) width * (gsize) height; i++)
    if (pixels[i * 4] < 96 && pixels[i * 4 + 1] < 96 && pixels[i * 4 + 2] < 96)
      dark++;
  /* Type covers a few per cent of a summary; a blank page has none. */
  assert_true (dark > (gsize) width * (gsize) height / 200);
}

/* The words of the document the printer received for job @job_id. */
static char *
printed_text (HpCupsServer *server,
              int           job_id)
{
  g_autoptr(GBytes) document = hp_cups_server_take_document (server, job_id);
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autofree char *dir = NULL;
  g_autofree char *pdf_path = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  assert_non_null (document);
  assert_true (g_bytes_get_size (document) > 1000);
  assert_memory_equal (g_bytes_get_data (document, NULL), "%PDF-", 5);
  if (pdftotext == NULL)
    fail_msg ("pdftotext (poppler-utils) is needed to read the printout");

  dir = g_dir_make_tmp ("hp-ui-print-XXXXXX", &error);
  assert_non_null (dir);
  pdf_path = g_build_filename (dir, "printed.pdf", NULL);
  assert_true (g_file_set_contents (pdf_path, g_bytes_get_data (document, NULL),
                                    (gssize) g_bytes_get_size (document), &error));
  {
    const char *argv[] = { pdftotext, "-layout", pdf_path, "-", NULL };

    assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &text, NULL, &status, &error));
  }
  assert_int_equal (status, 0);
  g_remove (pdf_path);
  g_rmdir (dir);
  return g_steal_pointer (&text);
}

/* The kiosk's audit entries with @action, as "detail" lines. */
static GString *
kiosk_audit (HpUiFixture *f,
             const char  *action)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpKeyring) keyring = hp_config_load_keyring (hp_application_get_config (f->app), FALSE, &error);
  g_autoptr(HpStore) store = NULL;
  g_autoptr(HpAuditLog) audit = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  GString *found = g_string_new (NULL);
  guint8 key[32];

  assert_non_null (keyring);
  store = hp_store_open_with_keyring (f->db_path, keyring, &error);
  assert_non_null (store);
  assert_true (hp_keyring_derive (keyring, HP_KEYRING_PURPOSE_AUDIT_HMAC, key, sizeof key, &error));
  audit = hp_audit_log_new (store, key, sizeof key, &error);
  assert_non_null (audit);
  assert_true (hp_audit_verify (audit, NULL, &error));
  entries = hp_audit_list (audit, 0, &error);
  assert_non_null (entries);
  for (guint i = 0; i < entries->len; i++)
    {
      HpAuditEntry *entry = g_ptr_array_index (entries, i);

      if (g_str_equal (entry->action, action))
        {
          assert_string_equal (entry->actor, HP_AUDIT_ACTOR_KIOSK);
          g_string_append_printf (found, "%s\n", entry->detail);
        }
    }
  return found;
}

/* From the print page back to the summary (the preview goes), and on to
 * goodbye as after any visit. */
static void
back_and_goodbye (HpUiFixture *f)
{
  hp_ui_press (f, "visit.back");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_SUMMARY), "the summary again");
  assert_null (hp_print_page_get_preview (print_page (f)));
  hp_ui_press (f, "visit.finish");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_OFFER_CODE), "the offer of a code");
  hp_ui_press (f, "visit.finish");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_GOODBYE), "the goodbye page");
}

static HpGoodbyePage *
goodbye_page (HpUiFixture *f)
{
  return HP_GOODBYE_PAGE (hp_window_get_page_widget (hp_ui_window (f), HP_PAGE_GOODBYE));
}

/* The goodbye page shows @words, asking the patient to wait for their
 * printout; its screenshot goes into @folder. */
static void
assert_goodbye_asks_to_wait (HpUiFixture *f,
                             const char  *words,
                             const char  *folder)
{
  g_autofree char *page = NULL;

  hp_ui_wait_for_paint (f);
  assert_true (hp_ui_page_is (f, GINT_TO_POINTER (HP_PAGE_GOODBYE)));
  assert_true (hp_goodbye_page_get_printout_on_its_way (goodbye_page (f)));
  page = hp_ui_page_text (f, HP_PAGE_GOODBYE);
  hp_ui_assert_contains (page, words);
  hp_ui_screenshot (f, folder, "goodbye-printout-on-its-way");
}

/* From the summary: the preview first, then Print, then Print again until
 * the visit's copies are used; the printer gets the summary each time, the
 * audit trail records each, and the visit ends as usual. */
static void
test_print_summary (void **state G_GNUC_UNUSED)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpCupsServer) server = hp_cups_server_start (&error);
  HpUiFixture *f;
  HpPrintService *service;
  g_autofree char *page = NULL;
  g_autofree char *printed = NULL;
  g_autoptr(GString) audit = NULL;
  int first_job;

  assert_non_null (server);
  f = start_kiosk_with_printer (server, 2);
  service = hp_application_get_print_service (f->app);
  assert_true (hp_print_service_is_available (service));
  measure_and_sum_up (f, "en");

  hp_ui_press (f, "visit.print-results");
  hp_ui_wait_until (f, printout_is, GINT_TO_POINTER (HP_PRINTOUT_READY), "the print preview");
  assert_preview_drawn (f);
  page = hp_ui_page_text (f, HP_PAGE_PRINT);
  hp_ui_assert_contains (page, "Your printout");
  hp_ui_assert_contains (page, "Show it to your doctor");
  /* Nothing goes to the printer before the patient says so. */
  assert_int_equal (hp_cups_server_count_documents (server), 0);
  hp_ui_screenshot (f, "en-print", "print-preview");

  hp_ui_press (f, "visit.send-to-printer");
  hp_ui_wait_until (f, printout_is, GINT_TO_POINTER (HP_PRINTOUT_PRINTED), "the printout to come out");
  g_free (page);
  page = hp_ui_page_text (f, HP_PAGE_PRINT);
  hp_ui_assert_contains (page, "Please take it from the printer");
  hp_ui_assert_contains (page, "You can print 1 more copy.");
  hp_ui_screenshot (f, "en-print", "print-printed");
  first_job = hp_print_service_get_job_id (service);
  assert_true (first_job > 0);
  printed = printed_text (server, first_job);
  hp_ui_assert_contains (printed, "131/84");
  hp_ui_assert_contains (printed, LOCATION);
  hp_ui_assert_contains (printed, "screening, not a diagnosis");

  /* The second and last copy: then the button prints no more. */
  hp_ui_press (f, "visit.send-to-printer");
  hp_ui_wait_until (f, printout_is, GINT_TO_POINTER (HP_PRINTOUT_PRINTED), "the second copy");
  hp_ui_wait_for_paint (f);
  assert_true (hp_print_service_get_job_id (service) > first_job);
  g_free (printed);
  printed = printed_text (server, hp_print_service_get_job_id (service));
  hp_ui_assert_contains (printed, "131/84");
  g_free (page);
  page = hp_ui_page_text (f, HP_PAGE_PRINT);
  hp_ui_assert_contains (page, "No more copies can be printed for this visit.");
  assert_null (hp_ui_find_button (GTK_WIDGET (hp_ui_window (f)), "visit.send-to-printer", NULL));
  hp_ui_screenshot (f, "en-print", "print-no-more-copies");

  /* Each printout is in the audit trail, by job and copy, with nothing of
   * the patient. */
  audit = kiosk_audit (f, "print.summary");
  hp_ui_assert_contains (audit->str, "copy=1");
  hp_ui_assert_contains (audit->str, "copy=2");
  hp_ui_assert_contains (audit->str, "outcome=done");
  assert_null (strstr (audit->str, "131"));

  /* Back to the summary, and the visit ends as any other. */
  back_and_goodbye (f);
  hp_ui_press (f, "visit.start-over");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_ATTRACT), "the attract page");
  /* The next patient has copies of their own. */
  measure_and_sum_up (f, "en");
  hp_ui_press (f, "visit.print-results");
  hp_ui_wait_until (f, printout_is, GINT_TO_POINTER (HP_PRINTOUT_READY), "the next patient's preview");
  assert_non_null (hp_ui_find_button (GTK_WIDGET (hp_ui_window (f)), "visit.send-to-printer", NULL));
  hp_ui_fixture_stop (f);
}

/* In Spanish: a printer out of paper holds the printout and the patient is
 * told so; filled again, it prints. A printer switched off fails the
 * printout with its own message, the kiosk stays usable, and once it is
 * back "Try again" prints. */
static void
test_printer_problems (void **state G_GNUC_UNUSED)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpCupsServer) server = hp_cups_server_start (&error);
  HpUiFixture *f;
  HpPrintService *service;
  g_autofree char *page = NULL;
  g_autofree char *printed = NULL;
  const char *out_of_paper, *offline;

  assert_non_null (server);
  f = start_kiosk_with_printer (server, 3);
  service = hp_application_get_print_service (f->app);
  measure_and_sum_up (f, "es");
  /* The messages as the page shows them, in the visit's language. */
  out_of_paper = _(hp_print_problem_to_patient_message (HP_PRINT_PROBLEM_OUT_OF_PAPER));
  offline = _(hp_print_problem_to_patient_message (HP_PRINT_PROBLEM_OFFLINE));
  assert_string_not_equal (out_of_paper, hp_print_problem_to_patient_message (HP_PRINT_PROBLEM_OUT_OF_PAPER));
  assert_string_not_equal (offline, hp_print_problem_to_patient_message (HP_PRINT_PROBLEM_OFFLINE));

  hp_ui_press (f, "visit.print-results");
  hp_ui_wait_until (f, printout_is, GINT_TO_POINTER (HP_PRINTOUT_READY), "the print preview");
  assert_preview_drawn (f);
  hp_ui_screenshot (f, "es-print", "print-preview");

  hp_cups_server_set_fault (server, "media-empty-error");
  hp_ui_press (f, "visit.send-to-printer");
  hp_ui_wait_until (f, print_problem_is, GINT_TO_POINTER (HP_PRINT_PROBLEM_OUT_OF_PAPER), "the empty paper tray");
  hp_ui_wait_for_paint (f);
  assert_int_equal (hp_print_page_get_state (print_page (f)), HP_PRINTOUT_PRINTING);
  page = hp_ui_page_text (f, HP_PAGE_PRINT);
  hp_ui_assert_contains (page, out_of_paper);
  /* While it waits, the patient cannot send another. */
  assert_null (hp_ui_find_button (GTK_WIDGET (hp_ui_window (f)), "visit.send-to-printer", NULL));
  hp_ui_screenshot (f, "es-print", "print-out-of-paper");
  hp_cups_server_set_fault (server, NULL);
  hp_ui_wait_until (f, printout_is, GINT_TO_POINTER (HP_PRINTOUT_PRINTED), "the printout once paper is in");
  g_free (page);
  page = hp_ui_page_text (f, HP_PAGE_PRINT);
  assert_null (strstr (page, out_of_paper));
  printed = printed_text (server, hp_print_service_get_job_id (service));
  hp_ui_assert_contains (printed, "131/84");
  hp_ui_assert_contains (printed, _("Your visit summary"));

  /* Switched off: the printout fails at once with words for the patient. */
  hp_cups_server_kill (server);
  hp_ui_press (f, "visit.send-to-printer");
  hp_ui_wait_until (f, printout_is, GINT_TO_POINTER (HP_PRINTOUT_FAILED), "the failed printout");
  hp_ui_wait_for_paint (f);
  assert_int_equal (hp_print_service_get_problem (service), HP_PRINT_PROBLEM_OFFLINE);
  g_free (page);
  page = hp_ui_page_text (f, HP_PAGE_PRINT);
  hp_ui_assert_contains (page, offline);
  hp_ui_screenshot (f, "es-print", "print-offline");
  /* A copy that failed is not counted: two of three are left. */
  assert_int_equal (hp_print_service_get_copies_left (service, hp_visit_get_id (hp_visit_flow_get_visit (hp_application_get_flow (f->app)))), 2);

  /* Back on: "Try again" prints. */
  assert_true (hp_cups_server_restart (server, &error));
  hp_ui_press (f, "visit.send-to-printer");
  hp_ui_wait_until (f, printout_is, GINT_TO_POINTER (HP_PRINTOUT_PRINTED), "the printout after the printer is back");

  /* The kiosk goes on. */
  back_and_goodbye (f);
  hp_ui_fixture_stop (f);
}

static gboolean
printer_free (HpUiFixture   *f,
              gconstpointer  data G_GNUC_UNUSED)
{
  return !hp_print_service_get_busy (hp_application_get_print_service (f->app));
}

/* The printer has taken the printout on its way, and given it a job id. */
static gboolean
printer_took_it (HpUiFixture   *f,
                 gconstpointer  data G_GNUC_UNUSED)
{
  return hp_print_service_get_state (hp_application_get_print_service (f->app)) == HP_PRINT_STATE_PRINTING;
}

static gboolean
print_button_offered (HpUiFixture   *f,
                      gconstpointer  data G_GNUC_UNUSED)
{
  return hp_ui_find_button (GTK_WIDGET (hp_ui_window (f)), "visit.send-to-printer", NULL) != NULL;
}

/* The next patient never meets the one before's printout. One that an
 * empty tray holds when its patient leaves is cancelled at the printer
 * there and then: once staff fill the tray, the next visit's print page is
 * ready, tells no problem, no "Printing…" of someone else's and no busy
 * printer, offers Print at once, and only this visit's summary comes out.
 * One still coming out (slowly, nothing wrong) when its patient leaves is
 * left to finish: the visit after is told calmly that the printer is busy,
 * and prints its own once it is free. */
static void
test_next_visit_sees_its_own_printout (void **state G_GNUC_UNUSED)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpCupsServer) server = hp_cups_server_start (&error);
  g_autoptr(GString) audit = NULL;
  g_autoptr(GBytes) first_document = NULL;
  g_autofree char *slow_printed = NULL;
  HpUiFixture *f;
  HpPrintService *service;
  g_autofree char *page = NULL;
  g_autofree char *printed = NULL;
  const char *out_of_paper, *printing, *busy, *on_its_way;
  int first_job, slow_job;

  assert_non_null (server);
  f = start_kiosk_with_printer (server, 2);
  service = hp_application_get_print_service (f->app);
  out_of_paper = _(hp_print_problem_to_patient_message (HP_PRINT_PROBLEM_OUT_OF_PAPER));
  printing = _("Printing… Please wait by the printer.");
  busy = _("The printer is busy with another printout. You can print yours as soon as it is free.");
  on_its_way = _("Your printout is still coming out of the printer. Please wait for it and take it with you.");

  /* The first patient's printout, held by an empty tray. */
  measure_and_sum_up (f, "en");
  hp_ui_press (f, "visit.print-results");
  hp_ui_wait_until (f, printout_is, GINT_TO_POINTER (HP_PRINTOUT_READY), "the first patient's preview");
  hp_cups_server_set_fault (server, "media-empty-error");
  hp_ui_press (f, "visit.send-to-printer");
  hp_ui_wait_until (f, print_problem_is, GINT_TO_POINTER (HP_PRINT_PROBLEM_OUT_OF_PAPER), "the empty paper tray");
  hp_ui_wait_for_paint (f);
  page = hp_ui_page_text (f, HP_PAGE_PRINT);
  hp_ui_assert_contains (page, out_of_paper);
  hp_ui_assert_contains (page, printing);
  first_job = hp_print_service_get_job_id (service);
  assert_true (first_job > 0);

  /* They leave: the printer gives their printout up, and says so in the
   * audit trail, with nothing of the patient; nobody is asked to wait
   * for it. */
  back_and_goodbye (f);
  hp_ui_wait_until (f, printer_free, NULL, "the held printout to be cancelled");
  hp_ui_wait_for_paint (f);
  assert_false (hp_goodbye_page_get_printout_on_its_way (goodbye_page (f)));
  g_free (page);
  page = hp_ui_page_text (f, HP_PAGE_GOODBYE);
  assert_null (strstr (page, on_its_way));
  assert_int_equal (hp_print_service_get_state (service), HP_PRINT_STATE_IDLE);
  assert_int_equal (hp_print_service_get_problem (service), HP_PRINT_PROBLEM_NONE);
  assert_int_equal (hp_cups_server_get_job_state (server, first_job), IPP_JSTATE_CANCELED);
  audit = kiosk_audit (f, "print.summary");
  hp_ui_assert_contains (audit->str, "outcome=cancelled problem=out-of-paper");
  hp_ui_assert_contains (audit->str, "reason=visit-ended");
  assert_null (strstr (audit->str, "131"));

  /* Staff fill the tray; the next patient comes to the print page. */
  hp_cups_server_set_fault (server, NULL);
  hp_ui_press (f, "visit.start-over");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_ATTRACT), "the attract page");
  measure_and_sum_up (f, "en");
  hp_ui_press (f, "visit.print-results");
  hp_ui_wait_until (f, printout_is, GINT_TO_POINTER (HP_PRINTOUT_READY), "the next patient's preview");
  hp_ui_wait_for_paint (f);
  assert_false (hp_print_service_get_busy (service));
  assert_preview_drawn (f);
  g_free (page);
  page = hp_ui_page_text (f, HP_PAGE_PRINT);
  if (strstr (page, out_of_paper) != NULL || strstr (page, printing) != NULL || strstr (page, busy) != NULL)
    fail_msg ("the next patient is shown the printout before theirs:\n%s", page);
  hp_ui_assert_contains (page, "Show it to your doctor");
  /* The first patient's "take it from the printer" is not this one's. */
  assert_null (strstr (page, _("Your printout is ready. Please take it from the printer.")));
  assert_true (print_button_offered (f, NULL));

  hp_ui_press (f, "visit.send-to-printer");
  hp_ui_wait_until (f, printout_is, GINT_TO_POINTER (HP_PRINTOUT_PRINTED), "the next patient's printout");
  assert_true (hp_print_service_get_job_id (service) > first_job);
  printed = printed_text (server, hp_print_service_get_job_id (service));
  hp_ui_assert_contains (printed, "131/84");
  /* The queue keeps its order: had the first printout been left there, it
   * would have come out before this one. */
  first_document = hp_cups_server_take_document (server, first_job);
  assert_null (first_document);
  assert_int_equal (hp_cups_server_count_documents (server), 0);
  g_free (page);
  page = hp_ui_page_text (f, HP_PAGE_PRINT);
  hp_ui_assert_contains (page, "You can print 1 more copy.");

  /* Their second copy comes out slowly, with nothing wrong, as they leave:
   * it is left to finish. */
  hp_cups_server_set_fault (server, "media-low-warning");
  hp_ui_press (f, "visit.send-to-printer");
  hp_ui_wait_until (f, printer_took_it, NULL, "the slow second copy");
  assert_int_equal (hp_print_page_get_state (print_page (f)), HP_PRINTOUT_PRINTING);
  slow_job = hp_print_service_get_job_id (service);
  assert_true (slow_job > first_job);
  back_and_goodbye (f);
  /* The goodbye asks them to wait for it, and take it with them; in the
   * next language too, the same note on the same page. */
  assert_goodbye_asks_to_wait (f, on_its_way, "en-print-next-visit");
  hp_ui_press (f, "visit.next-language");
  assert_goodbye_asks_to_wait (f, "Su hoja todavía está saliendo de la impresora.", "es-print-next-visit");
  hp_ui_press (f, "visit.start-over");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_ATTRACT), "the attract page");
  measure_and_sum_up (f, "en");
  hp_ui_press (f, "visit.print-results");
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_PRINT), "the third patient's preview");
  hp_ui_wait_for_paint (f);
  assert_true (hp_print_service_get_busy (service));
  assert_int_equal (hp_print_service_get_job_id (service), slow_job);
  assert_int_equal (hp_print_page_get_state (print_page (f)), HP_PRINTOUT_READY);
  g_free (page);
  page = hp_ui_page_text (f, HP_PAGE_PRINT);
  if (strstr (page, printing) != NULL)
    fail_msg ("the third patient is shown the printout before theirs:\n%s", page);
  hp_ui_assert_contains (page, busy);
  /* Nothing to press until the printer is free: no queue behind another
   * patient's printout. */
  assert_false (print_button_offered (f, NULL));
  hp_ui_screenshot (f, "en-print-next-visit", "print-printer-busy");

  /* It comes out whole, then this page offers Print. */
  hp_cups_server_set_fault (server, NULL);
  hp_ui_wait_until (f, printer_free, NULL, "the slow copy to come out");
  assert_int_equal (hp_print_service_get_state (service), HP_PRINT_STATE_DONE);
  slow_printed = printed_text (server, slow_job);
  hp_ui_assert_contains (slow_printed, "131/84");
  hp_ui_wait_until (f, print_button_offered, NULL, "the Print button once the printer is free");
  g_free (page);
  page = hp_ui_page_text (f, HP_PAGE_PRINT);
  assert_null (strstr (page, busy));
  hp_ui_press (f, "visit.send-to-printer");
  hp_ui_wait_until (f, printout_is, GINT_TO_POINTER (HP_PRINTOUT_PRINTED), "the third patient's printout");
  assert_true (hp_print_service_get_job_id (service) > slow_job);
  hp_ui_fixture_stop (f);
}

int
main (int   argc,
      char *argv[])
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_print_summary),
    cmocka_unit_test (test_printer_problems),
    cmocka_unit_test (test_next_visit_sees_its_own_printout),
  };

  /* One kiosk per process: each test names the one it runs. */
  if (argc > 1)
    cmocka_set_test_filter (argv[1]);
  hp_i18n_init ();
  return cmocka_run_group_tests_name ("ui-print", tests, NULL, NULL);
}
