/* Audio guidance in the real kiosk under Xvfb: what is spoken on each screen, and that it ends with the visit. */
#include <string.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <glib/gi18n.h>

#include "hp-application.h"
#include "hp-cups-server.h"
#include "hp-i18n.h"
#include "hp-print-page.h"
#include "hp-test-util.h"
#include "hp-ui-fixture.h"

/* The voice plays into a fake sink, as fast as it is made. */
#define AUDIO_CONFIG "[audio]\nsink=fakesink sync=false\n"

/* Every "speak" of every window the kiosk builds (a new language builds a
 * new window). */
typedef struct {
  GPtrArray *spoken;
} Recorder;

static Recorder recorder;

static void
on_speak (HpWindow   *window G_GNUC_UNUSED,
          const char *text,
          Recorder   *r)
{
  g_ptr_array_add (r->spoken, g_strdup (text));
  if (g_getenv ("HP_SPOKEN_DEBUG") != NULL)
    g_print ("# SPOKEN: %s\n", text);
}

static void
on_window_added (GtkApplication *app G_GNUC_UNUSED,
                 GtkWindow      *window,
                 Recorder       *r)
{
  if (HP_IS_WINDOW (window))
    g_signal_connect (window, "speak", G_CALLBACK (on_speak), r);
}

static HpUiFixture *
start_kiosk (const char *extra_config)
{
  g_autofree char *config = g_strconcat (AUDIO_CONFIG, extra_config, NULL);
  HpUiFixture *f;

  g_clear_pointer (&recorder.spoken, g_ptr_array_unref);
  recorder.spoken = g_ptr_array_new_with_free_func (g_free);
  f = hp_ui_fixture_start (config);
  /* The first window is there already; later ones are followed. */
  g_signal_connect (hp_ui_window (f), "speak", G_CALLBACK (on_speak), &recorder);
  g_signal_connect (f->app, "window-added", G_CALLBACK (on_window_added), &recorder);
  return f;
}

static void
stop_kiosk (HpUiFixture *f)
{
  hp_ui_fixture_stop (f);
  g_clear_pointer (&recorder.spoken, g_ptr_array_unref);
}

/* All spoken since @from, one text. */
static char *
spoken_since (guint from)
{
  GString *all = g_string_new (NULL);

  for (guint i = from; i < recorder.spoken->len; i++)
    {
      g_string_append (all, recorder.spoken->pdata[i]);
      g_string_append (all, "\n---\n");
    }
  return g_string_free (all, FALSE);
}

static guint
n_spoken (void)
{
  return recorder.spoken->len;
}

/* The page's heading as it reads on screen. */
static GtkWidget *
find_heading (GtkWidget *root)
{
  if (!gtk_widget_get_visible (root))
    return NULL;
  if (GTK_IS_LABEL (root) &&
      (gtk_widget_has_css_class (root, "title-1") || gtk_widget_has_css_class (root, "title-2")) &&
      *gtk_label_get_text (GTK_LABEL (root)) != '\0')
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_heading (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The page now on screen was read aloud since @from, its heading first. */
static void
assert_page_spoken (HpUiFixture *f,
                    guint        from)
{
  HpPage page = hp_window_get_page (hp_ui_window (f));
  GtkWidget *heading = find_heading (hp_window_get_page_widget (hp_ui_window (f), page));
  g_autofree char *all = spoken_since (from);
  const char *title;

  if (heading == NULL)
    fail_msg ("page %d has no heading", (int) page);
  title = gtk_label_get_text (GTK_LABEL (heading));
  hp_ui_assert_contains (all, title);
  /* Read from its heading on, not from the middle. */
  for (guint i = from; i < recorder.spoken->len; i++)
    if (strstr (recorder.spoken->pdata[i], title) != NULL)
      {
        assert_true (g_str_has_prefix (recorder.spoken->pdata[i], title));
        return;
      }
}

static gboolean
has_accessible_label (GtkWidget  *widget,
                      const char *label)
{
  g_autofree char *differs = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                                                 GTK_ACCESSIBLE_PROPERTY_LABEL, label);
  return differs == NULL;
}

static GtkWidget *
find_labelled_button (GtkWidget  *root,
                      const char *label)
{
  if (GTK_IS_BUTTON (root) && has_accessible_label (root, label))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_labelled_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
audio_button (HpUiFixture *f,
              const char  *name)
{
  GtkWidget *button = find_labelled_button (GTK_WIDGET (hp_ui_window (f)), name);

  if (button == NULL)
    fail_msg ("no button named “%s”", name);
  return button;
}

static GtkWidget *
find_button_with_label (GtkWidget  *root,
                        const char *label)
{
  if (GTK_IS_BUTTON (root) && gtk_widget_is_drawable (root) &&
      g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_with_label (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
tap (GtkWidget *button)
{
  assert_non_null (button);
  assert_true (gtk_widget_is_drawable (button));
  assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
assert_pressed (GtkWidget *button,
                gboolean   pressed)
{
  g_autofree char *differs = gtk_test_accessible_check_state (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_STATE_PRESSED,
                                                              pressed ? GTK_ACCESSIBLE_TRISTATE_TRUE
                                                                      : GTK_ACCESSIBLE_TRISTATE_FALSE);
  assert_null (differs);
}

/* Audio off, as every visit starts and ends: the window, its button and
 * the voice agree. */
static void
assert_audio_off (HpUiFixture *f,
                  const char  *button_name)
{
  HpSpeech *speech = hp_application_get_speech (f->app);

  assert_false (hp_window_get_audio_guidance (hp_ui_window (f)));
  assert_int_equal (hp_window_get_audio_volume (hp_ui_window (f)), 0);
  assert_pressed (audio_button (f, button_name), FALSE);
  assert_false (hp_speech_get_enabled (speech));
  assert_int_equal (hp_speech_get_volume (speech), HP_SPEECH_VOLUME_NORMAL);
  assert_false (hp_speech_get_speaking (speech));
}

static void
go_to (HpUiFixture *f,
       HpPage       page,
       const char  *what)
{
  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (page), what);
}

/* One measurement with audio on: each screen heard as it comes, the result
 * with its numbers, the blood pressure in words (@spoken_value) rather than
 * as the screen writes it. */
static void
measure_blood_pressure (HpUiFixture *f,
                        const char  *spoken_value)
{
  guint mark = n_spoken ();

  hp_ui_press_target (f, "visit.choose", "blood-pressure");
  go_to (f, HP_PAGE_BP_INSTRUCTIONS, "the instructions");
  assert_page_spoken (f, mark);

  mark = n_spoken ();
  hp_ui_press (f, "visit.start-measurement");
  go_to (f, HP_PAGE_MEASURING, "the measuring page");
  assert_page_spoken (f, mark);

  /* While it measures, each new state is read alone as it comes. */
  {
    guint measuring = mark;
    gboolean state_alone = FALSE;

    mark = n_spoken ();
    go_to (f, HP_PAGE_RESULT, "the result");
    assert_page_spoken (f, mark);
    for (guint i = measuring + 1; i < n_spoken (); i++)
      if (strchr (recorder.spoken->pdata[i], '\n') == NULL)
        state_alone = TRUE;
    assert_true (state_alone);
  }
  {
    g_autofree char *all = spoken_since (mark);

    hp_ui_assert_contains (all, spoken_value);
    assert_null (strstr (all, "131/84"));
  }
  /* The screen still shows the number as written. */
  {
    g_autofree char *shown = hp_ui_page_text (f, HP_PAGE_RESULT);

    hp_ui_assert_contains (shown, "131/84");
  }
}

/* A visit with audio guidance on, in English and then in Spanish: every
 * screen is read as it appears, the notice too, louder on request; the
 * end of the visit turns it all off. */
static void
test_visit_spoken (void **state G_GNUC_UNUSED)
{
  HpUiFixture *f = start_kiosk ("[visit]\nidle-seconds=600\ngoodbye-seconds=1\n");
  static const char * const languages[] = { "en", "es" };
  /* From po/es.po: how each language says a blood pressure. */
  static const char * const spoken_values[] = { "131 over 84", "131 sobre 84" };

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      GtkWidget *toggle;
      guint mark;

      /* Off: the kiosk is silent. */
      assert_true (hp_ui_page_is (f, GINT_TO_POINTER (HP_PAGE_ATTRACT)));
      assert_audio_off (f, "Audio guidance");
      assert_int_equal (n_spoken (), 0);

      /* One tap, and the screen is read. */
      toggle = audio_button (f, "Audio guidance");
      assert_true (gtk_widget_get_height (toggle) >= 72);
      mark = n_spoken ();
      tap (toggle);
      assert_pressed (toggle, TRUE);
      assert_true (hp_window_get_audio_guidance (hp_ui_window (f)));
      assert_true (hp_speech_get_enabled (hp_application_get_speech (f->app)));
      assert_page_spoken (f, mark);

      mark = n_spoken ();
      hp_ui_press (f, "visit.begin");
      go_to (f, HP_PAGE_LANGUAGE, "the language page");
      assert_page_spoken (f, mark);

      /* The language chosen builds the screens anew, and they speak it. */
      mark = n_spoken ();
      hp_ui_press_target (f, "visit.choose-language", languages[l]);
      go_to (f, HP_PAGE_CONSENT, "the consent page");
      assert_string_equal (hp_visit_flow_get_language (hp_application_get_flow (f->app)), languages[l]);
      assert_true (hp_window_get_audio_guidance (hp_ui_window (f)));
      assert_page_spoken (f, mark);
      /* The button's name is in the visit's language too. */
      assert_pressed (audio_button (f, _("Audio guidance")), TRUE);

      mark = n_spoken ();
      hp_ui_press_target (f, "visit.consent", "true");
      go_to (f, HP_PAGE_IDENTIFY, "the identify page");
      assert_page_spoken (f, mark);

      mark = n_spoken ();
      hp_ui_press_target (f, "visit.identify", "false");
      go_to (f, HP_PAGE_AGE, "the question about age");
      assert_page_spoken (f, mark);

      mark = n_spoken ();
      hp_ui_press_target (f, "visit.age", "true");
      go_to (f, HP_PAGE_CHOOSE, "the choose page");
      assert_page_spoken (f, mark);

      measure_blood_pressure (f, spoken_values[l]);

      /* A second tap is louder: the window, the voice, and the screen is
       * read again; a third is loudest. */
      mark = n_spoken ();
      tap (audio_button (f, _("Audio guidance")));
      assert_true (hp_window_get_audio_guidance (hp_ui_window (f)));
      assert_int_equal (hp_window_get_audio_volume (hp_ui_window (f)), 1);
      assert_int_equal (hp_speech_get_volume (hp_application_get_speech (f->app)), HP_SPEECH_VOLUME_LOUDER);
      assert_page_spoken (f, mark);
      tap (audio_button (f, _("Audio guidance")));
      assert_int_equal (hp_speech_get_volume (hp_application_get_speech (f->app)), HP_SPEECH_VOLUME_LOUDEST);
      assert_pressed (audio_button (f, _("Audio guidance")), TRUE);

      /* A notice is read as it opens, and only the notice. */
      mark = n_spoken ();
      tap (find_button_with_label (GTK_WIDGET (hp_ui_window (f)), _("Get help")));
      assert_int_equal (n_spoken (), mark + 1);
      hp_ui_assert_contains (recorder.spoken->pdata[mark],
                             _("Please ask a staff member at the counter. They are happy to help."));
      tap (find_button_with_label (GTK_WIDGET (hp_ui_window (f)), _("OK")));

      mark = n_spoken ();
      hp_ui_press (f, "visit.finish");
      go_to (f, HP_PAGE_SUMMARY, "the summary");
      assert_page_spoken (f, mark);
      {
        g_autofree char *all = spoken_since (mark);

        hp_ui_assert_contains (all, spoken_values[l]);
        assert_null (strstr (all, "131/84"));
      }

      mark = n_spoken ();
      hp_ui_press (f, "visit.finish");
      go_to (f, HP_PAGE_OFFER_CODE, "the offer of a code");
      assert_page_spoken (f, mark);

      mark = n_spoken ();
      hp_ui_press (f, "visit.finish");
      go_to (f, HP_PAGE_GOODBYE, "the goodbye page");
      assert_page_spoken (f, mark);

      /* The visit ends: audio off, volume normal, for the next patient. */
      go_to (f, HP_PAGE_ATTRACT, "the attract page");
      assert_string_equal (hp_visit_flow_get_language (hp_application_get_flow (f->app)), "en");
      assert_audio_off (f, "Audio guidance");

      /* Nothing is read while audio is off, in a visit either. */
      mark = n_spoken ();
      hp_ui_begin_visit (f, "en");
      assert_int_equal (n_spoken (), mark);
      hp_ui_press (f, "visit.start-over");
      go_to (f, HP_PAGE_ATTRACT, "the attract page after starting over");
      g_ptr_array_set_size (recorder.spoken, 0);
    }
  stop_kiosk (f);
}

/* The warning before the screen is wiped is read as it appears; the wipe
 * ends audio guidance. A change of language mid-visit reads the screen
 * again in the new language. */
static void
test_warning_and_language (void **state G_GNUC_UNUSED)
{
  HpUiFixture *f = start_kiosk ("[visit]\nidle-seconds=5\nwarning-seconds=5\n");
  g_autofree char *all = NULL;
  guint mark;

  hp_ui_begin_visit (f, "en");
  tap (audio_button (f, "Audio guidance"));
  tap (audio_button (f, "Audio guidance"));

  mark = n_spoken ();
  hp_ui_press (f, "visit.next-language");
  assert_string_equal (hp_visit_flow_get_language (hp_application_get_flow (f->app)), "es");
  assert_true (hp_ui_page_is (f, GINT_TO_POINTER (HP_PAGE_CHOOSE)));
  assert_true (hp_window_get_audio_guidance (hp_ui_window (f)));
  assert_int_equal (hp_window_get_audio_volume (hp_ui_window (f)), 1);
  assert_page_spoken (f, mark);

  mark = n_spoken ();
  hp_ui_wait_until (f, hp_ui_warning_shown, GINT_TO_POINTER (TRUE), "the inactivity warning");
  all = spoken_since (mark);
  /* Translated while the visit is in Spanish. */
  assert_string_equal (_("Are you still there?"), "¿Sigue ahí?");
  hp_ui_assert_contains (all, "¿Sigue ahí?");

  hp_ui_wait_until (f, hp_ui_page_is, GINT_TO_POINTER (HP_PAGE_ATTRACT), "the attract page after inactivity");
  assert_audio_off (f, "Audio guidance");
  stop_kiosk (f);
}

/* The audio button goes off, on, louder, loudest and off again; the bar
 * fits the screen with it in every language with larger text, every
 * target 72 px high and 16 px from the next. */
static void
test_bar_fits (void **state G_GNUC_UNUSED)
{
  HpUiFixture *f = start_kiosk ("[visit]\nidle-seconds=600\n");
  static const char * const languages[] = { "en", "es", "fr", "ar" };
  GtkWidget *window;

  hp_ui_begin_visit (f, "en");
  tap (audio_button (f, "Audio guidance"));
  for (guint volume = 1; volume <= HP_WINDOW_AUDIO_VOLUME_MAX; volume++)
    {
      tap (audio_button (f, "Audio guidance"));
      assert_int_equal (hp_window_get_audio_volume (hp_ui_window (f)), volume);
    }
  tap (audio_button (f, "Audio guidance"));
  assert_false (hp_window_get_audio_guidance (hp_ui_window (f)));
  assert_false (hp_speech_get_enabled (hp_application_get_speech (f->app)));
  assert_pressed (audio_button (f, "Audio guidance"), FALSE);
  tap (audio_button (f, "Audio guidance"));
  assert_int_equal (hp_window_get_audio_volume (hp_ui_window (f)), 0);
  hp_window_set_large_text (hp_ui_window (f), TRUE);

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
      g_autofree char *shot = g_strdup_printf ("bar-large-text-%s", languages[l]);
      GtkWidget *bar;

      while (!g_str_equal (hp_visit_flow_get_language (hp_application_get_flow (f->app)), languages[l]))
        hp_ui_press (f, "visit.next-language");
      assert_true (hp_window_get_audio_guidance (hp_ui_window (f)));
      assert_true (hp_window_get_large_text (hp_ui_window (f)));
      hp_ui_wait_for_layout (f);

      window = GTK_WIDGET (hp_ui_window (f));
      if (gtk_widget_get_width (window) > 1280 || gtk_widget_get_height (window) > 800)
        fail_msg ("%s: the screen needs %d×%d px", languages[l],
                  gtk_widget_get_width (window), gtk_widget_get_height (window));
      bar = gtk_widget_get_parent (audio_button (f, _("Audio guidance")));
      for (GtkWidget *child = gtk_widget_get_first_child (bar); child != NULL; child = gtk_widget_get_next_sibling (child))
        if (GTK_IS_BUTTON (child) && gtk_widget_is_drawable (child))
          g_ptr_array_add (buttons, child);
      assert_true (buttons->len >= 5);
      for (guint i = 0; i < buttons->len; i++)
        {
          graphene_rect_t a;

          assert_true (gtk_widget_get_height (buttons->pdata[i]) >= 72);
          if (gtk_widget_get_width (buttons->pdata[i]) < 72 || gtk_widget_get_height (buttons->pdata[i]) < 72)
            fail_msg ("%s: a bar button is %d×%d px", languages[l], gtk_widget_get_width (buttons->pdata[i]), gtk_widget_get_height (buttons->pdata[i]));
          assert_true (gtk_widget_compute_bounds (buttons->pdata[i], window, &a));
          assert_true (a.origin.x >= 0 && a.origin.x + a.size.width <= 1280);
          if (i + 1 < buttons->len)
            {
              graphene_rect_t b;

              assert_true (gtk_widget_compute_bounds (buttons->pdata[i + 1], window, &b));
              /* Left to right, or right to left: the space between is the same. */
              assert_true (MAX (b.origin.x - (a.origin.x + a.size.width),
                                a.origin.x - (b.origin.x + b.size.width)) >= 16);
            }
        }
      hp_ui_screenshot (f, "audio", shot);
    }
  stop_kiosk (f);
}

/* How many of the texts spoken since @from hold @sentence. */
static guint
times_spoken (guint       from,
              const char *sentence)
{
  guint times = 0;

  for (guint i = from; i < recorder.spoken->len; i++)
    for (const char *at = strstr (recorder.spoken->pdata[i], sentence);
         at != NULL;
         at = strstr (at + strlen (sentence), sentence))
      times++;
  return times;
}

/* Where @sentence was first spoken since @from; fails when it was not. */
static guint
first_spoken (guint       from,
              const char *sentence)
{
  for (guint i = from; i < recorder.spoken->len; i++)
    if (strstr (recorder.spoken->pdata[i], sentence) != NULL)
      return i;
  {
    g_autofree char *all = spoken_since (from);

    fail_msg ("“%s” was never spoken; spoken:\n%s", sentence, all);
  }
  return 0;
}

static gboolean
print_page_shows (HpUiFixture   *f,
                  gconstpointer  data)
{
  HpPrintPage *page = HP_PRINT_PAGE (hp_window_get_page_widget (hp_ui_window (f), HP_PAGE_PRINT));

  return hp_ui_page_is (f, GINT_TO_POINTER (HP_PAGE_PRINT))
         && hp_print_page_get_state (page) == (HpPrintoutState) GPOINTER_TO_INT (data);
}

static gboolean
printer_problem_is (HpUiFixture   *f,
                    gconstpointer  data)
{
  return hp_print_service_get_problem (hp_application_get_print_service (f->app))
         == (HpPrintProblem) GPOINTER_TO_INT (data);
}

/* With audio on, the printer's news is read as it comes, with no tap: the
 * printout on its way, what holds it, and that it is ready to take; each
 * once, however often the printer reports the same state. */
static void
test_printer_news_spoken (void **state G_GNUC_UNUSED)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpCupsServer) server = hp_cups_server_start (&error);
  g_autofree char *config = NULL;
  HpUiFixture *f;
  /* The page's own words, as it writes them in the visit's language. */
  const char *printing = _("Printing… Please wait by the printer.");
  const char *printed = _("Your printout is ready. Please take it from the printer.");
  const char *ready = _("This is your printout: your results, what they mean, and today's date. "
                        "Show it to your doctor or pharmacist.");
  const char *out_of_paper;
  guint mark, printing_at, printed_at;

  assert_non_null (server);
  config = g_strdup_printf ("[visit]\nidle-seconds=600\n[printer]\nprinter=%s\n",
                            hp_cups_server_get_queue_uri (server));
  f = start_kiosk (config);
  out_of_paper = _(hp_print_problem_to_patient_message (HP_PRINT_PROBLEM_OUT_OF_PAPER));

  hp_ui_begin_visit (f, "en");
  tap (audio_button (f, "Audio guidance"));
  hp_ui_press_target (f, "visit.choose", "blood-pressure");
  hp_ui_press (f, "visit.start-measurement");
  go_to (f, HP_PAGE_RESULT, "the result");
  hp_ui_press (f, "visit.finish");
  go_to (f, HP_PAGE_SUMMARY, "the summary");

  mark = n_spoken ();
  hp_ui_press (f, "visit.print-results");
  hp_ui_wait_until (f, print_page_shows, GINT_TO_POINTER (HP_PRINTOUT_READY), "the print preview");
  assert_page_spoken (f, mark);
  assert_int_equal (times_spoken (mark, printing), 0);

  /* An empty tray holds the printout: it is on its way, and why it waits
   * is told. */
  mark = n_spoken ();
  hp_cups_server_set_fault (server, "media-empty-error");
  hp_ui_press (f, "visit.send-to-printer");
  hp_ui_wait_until (f, printer_problem_is, GINT_TO_POINTER (HP_PRINT_PROBLEM_OUT_OF_PAPER), "the empty paper tray");
  printing_at = first_spoken (mark, printing);
  assert_true (first_spoken (mark, out_of_paper) >= printing_at);
  assert_int_equal (times_spoken (mark, out_of_paper), 1);

  /* Paper in: out it comes, and the patient is told to take it. */
  hp_cups_server_set_fault (server, NULL);
  hp_ui_wait_until (f, print_page_shows, GINT_TO_POINTER (HP_PRINTOUT_PRINTED), "the printout to come out");
  printed_at = first_spoken (mark, printed);
  assert_true (printed_at > printing_at);
  /* The printer asked again and again while it waited: each state was
   * still read once. */
  assert_int_equal (times_spoken (mark, printing), 1);
  assert_int_equal (times_spoken (mark, printed), 1);
  assert_int_equal (times_spoken (mark, out_of_paper), 1);
  /* Only the news, and only what is true: not the whole page again, not a
   * printer busy with this very printout, not a copy still counted that
   * came out. */
  assert_int_equal (times_spoken (mark, ready), 0);
  assert_int_equal (times_spoken (mark, _("The printer is busy with another printout. You can print yours as soon as it is free.")), 0);
  assert_int_equal (times_spoken (mark, _("No more copies can be printed for this visit.")), 0);
  assert_int_equal (times_spoken (mark, _("You can print 1 more copy.")), 1);

  /* Back: the summary is read, and nothing of the page left behind. */
  mark = n_spoken ();
  hp_ui_press (f, "visit.back");
  go_to (f, HP_PAGE_SUMMARY, "the summary again");
  assert_page_spoken (f, mark);
  assert_int_equal (times_spoken (mark, ready), 0);
  assert_int_equal (times_spoken (mark, _("No more copies can be printed for this visit.")), 0);
  stop_kiosk (f);
}

int
main (int argc, char **argv)
{
  const struct CMUnitTest all[] = {
    cmocka_unit_test (test_visit_spoken),
    cmocka_unit_test (test_warning_and_language),
    cmocka_unit_test (test_bar_fits),
    cmocka_unit_test (test_printer_news_spoken),
  };

  /* One kiosk per process: each test names the one it runs. */
  if (argc > 1)
    cmocka_set_test_filter (argv[1]);
  hp_i18n_init ();
  return cmocka_run_group_tests_name ("ui-audio", all, NULL, NULL);
}
