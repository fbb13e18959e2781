/* Tests of spoken guidance: real eSpeak NG voices into a fake audio sink. */
#include <gst/gst.h>
#include <math.h>
#include <string.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "hp-speech-private.h"
#include "hp-test-util.h"

/* A guard against a hung test, not a timing assertion. */
#define HANG_GUARD_SECONDS 60
/* eSpeak NG's own rate; the caps keep it, so what the sink counts is what
 * eSpeak NG made. */
#define SAMPLE_RATE 22050
#define CAPS "audio/x-raw,format=S16LE,channels=1,rate=22050"
#define FAST_SINK "capsfilter caps=" CAPS " ! fakesink name=out signal-handoffs=true sync=false"
/* Plays at the pace of the clock, as a loudspeaker would. */
#define REAL_TIME_SINK "capsfilter caps=" CAPS " ! fakesink name=out signal-handoffs=true sync=true"
#define NORMAL_GAIN 0.4

/* What reached the sink, utterance by utterance: each starts again at
 * time 0, after the pipeline was stopped for it. */
#define MAX_STREAMS 4

typedef struct {
  GMutex lock;
  guint n_streams;
  guint64 samples[MAX_STREAMS];
  double squares[MAX_STREAMS];
  gint peak[MAX_STREAMS];
} Capture;

static void
on_handoff (GstElement *sink G_GNUC_UNUSED,
            GstBuffer  *buffer,
            GstPad     *pad G_GNUC_UNUSED,
            Capture    *capture)
{
  GstMapInfo map;
  guint stream;

  if (!gst_buffer_map (buffer, &map, GST_MAP_READ))
    return;
  g_mutex_lock (&capture->lock);
  if (capture->n_streams == 0 || GST_BUFFER_PTS (buffer) == 0)
    capture->n_streams++;
  stream = MIN (capture->n_streams, MAX_STREAMS) - 1;
  for (gsize i = 0; i + 1 < map.size; i += 2)
    {
      gint16 sample = (gint16) (guint16) (map.data[i] | (map.data[i + 1] << 8));

      capture->squares[stream] += (double) sample * sample;
      capture->peak[stream] = MAX (capture->peak[stream], ABS ((gint) sample));
    }
  capture->samples[stream] += map.size / 2;
  g_mutex_unlock (&capture->lock);
  gst_buffer_unmap (buffer, &map);
}

static double
capture_seconds (Capture *capture,
                 guint    stream)
{
  double seconds;

  g_mutex_lock (&capture->lock);
  seconds = (double) capture->samples[stream] / SAMPLE_RATE;
  g_mutex_unlock (&capture->lock);
  return seconds;
}

static double
capture_rms (Capture *capture,
             guint    stream)
{
  double rms;

  g_mutex_lock (&capture->lock);
  rms = capture->samples[stream] > 0 ? sqrt (capture->squares[stream] / capture->samples[stream]) : 0.0;
  g_mutex_unlock (&capture->lock);
  return rms;
}

static guint
capture_streams (Capture *capture)
{
  guint n;

  g_mutex_lock (&capture->lock);
  n = capture->n_streams;
  g_mutex_unlock (&capture->lock);
  return n;
}

static void
capture_reset (Capture *capture)
{
  g_mutex_lock (&capture->lock);
  capture->n_streams = 0;
  memset (capture->samples, 0, sizeof capture->samples);
  memset (capture->squares, 0, sizeof capture->squares);
  memset (capture->peak, 0, sizeof capture->peak);
  g_mutex_unlock (&capture->lock);
}

/* ---- Waiting ---- */

static gboolean
is_built (gconstpointer data)
{
  return hp_speech_get_sink ((HpSpeech *) data) != NULL;
}

static gboolean
is_silent (gconstpointer data)
{
  return !hp_speech_get_speaking ((HpSpeech *) data);
}

static gboolean
has_audio (gconstpointer data)
{
  return capture_seconds ((Capture *) data, 0) > 0.0;
}

static void
wait_until_silent (HpSpeech *speech)
{
  if (!hp_test_iterate_until (is_silent, speech, HANG_GUARD_SECONDS))
    fail_msg ("the speech never ended");
}

/* A speech object whose sink counts what it gets, ready to speak. */
static HpSpeech *
speech_new (const char *sink,
            Capture    *capture)
{
  HpSpeech *speech = hp_speech_new (sink, NORMAL_GAIN);
  GstElement *element;
  g_autoptr(GstElement) out = NULL;

  hp_speech_prepare (speech);
  if (!hp_test_iterate_until (is_built, speech, HANG_GUARD_SECONDS))
    fail_msg ("the speech pipeline was never built");
  element = hp_speech_get_sink (speech);
  out = GST_IS_BIN (element) ? gst_bin_get_by_name (GST_BIN (element), "out") : gst_object_ref (element);
  assert_non_null (out);
  g_signal_connect (out, "handoff", G_CALLBACK (on_handoff), capture);
  hp_speech_set_enabled (speech, TRUE);
  return speech;
}

/* eSpeak NG varies its voice a little from one reading to the next (its
 * sample counts differ by a few in a thousand), so lengths are compared
 * within this share. */
#define SAME_LENGTH_SHARE 0.05

static void
assert_same_length (guint64 samples,
                    guint64 reference)
{
  if (fabs ((double) samples - (double) reference) > SAME_LENGTH_SHARE * (double) reference)
    fail_msg ("%" G_GUINT64_FORMAT " samples where the text alone makes %" G_GUINT64_FORMAT,
              samples, reference);
}

/* How many samples @text makes alone with @language's voice. */
static guint64
samples_of (const char *text,
            const char *language)
{
  Capture capture = { 0 };
  g_autoptr(HpSpeech) speech = speech_new (FAST_SINK, &capture);

  hp_speech_say (speech, text, language);
  wait_until_silent (speech);
  assert_int_equal (capture_streams (&capture), 1);
  return capture.samples[0];
}

/* ---- Staff's log ---- */

static GMutex log_lock;
static GPtrArray *logged;

static GLogWriterOutput
record_log (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
      {
        g_mutex_lock (&log_lock);
        g_ptr_array_add (logged, g_strdup (fields[i].value));
        g_mutex_unlock (&log_lock);
      }
  return g_log_writer_default (level, fields, n_fields, user_data);
}

static guint
count_logged (const char *part)
{
  guint n = 0;

  g_mutex_lock (&log_lock);
  for (guint i = 0; i < logged->len; i++)
    if (strstr (logged->pdata[i], part) != NULL)
      n++;
  g_mutex_unlock (&log_lock);
  return n;
}

static void
forget_logged (void)
{
  g_mutex_lock (&log_lock);
  g_ptr_array_set_size (logged, 0);
  g_mutex_unlock (&log_lock);
}

/* ---- The tests ---- */

static const struct {
  const char *language;
  const char *text;
} sentences[] = {
  { "en", "Sit down, and rest your left arm on the table. Press Start when you are ready." },
  { "es", "Siéntese y apoye el brazo izquierdo en la mesa. Toque Empezar cuando esté listo." },
  { "fr", "Asseyez-vous et posez le bras gauche sur la table. Touchez Commencer quand vous êtes prêt." },
  { "ar", "اجلس وضع ذراعك اليسرى على الطاولة. اضغط ابدأ عندما تكون جاهزا." },
};

/* Each language's voice reads a whole sentence aloud: sound, not silence,
 * for about as long as the sentence takes to say. */
static void
test_languages (void **state G_GNUC_UNUSED)
{
  for (guint i = 0; i < G_N_ELEMENTS (sentences); i++)
    {
      Capture capture = { 0 };
      g_autoptr(HpSpeech) speech = speech_new (FAST_SINK, &capture);
      double seconds, rms;

      assert_non_null (hp_speech_voice_for_language (sentences[i].language));
      hp_speech_say (speech, sentences[i].text, sentences[i].language);
      assert_true (hp_speech_get_speaking (speech));
      wait_until_silent (speech);

      seconds = capture_seconds (&capture, 0);
      rms = capture_rms (&capture, 0);
      g_print ("# %s: %.2f s, RMS %.0f, peak %d\n", sentences[i].language, seconds, rms, capture.peak[0]);
      assert_int_equal (capture_streams (&capture), 1);
      /* About a dozen words at 150 a minute, with the pauses between. */
      if (seconds < 2.5 || seconds > 15.0)
        fail_msg ("%s: %.2f s of speech for a sentence", sentences[i].language, seconds);
      /* Speech at 0.4 of full scale: loud enough to hear, far from silence. */
      if (rms < 500.0 || capture.peak[0] < 4000)
        fail_msg ("%s: nearly silent (RMS %.0f, peak %d)", sentences[i].language, rms, capture.peak[0]);
      /* Nothing clips at the normal step. */
      assert_true (capture.peak[0] < 32767);
    }
}

/* A voice reads what it knows: the Arabic voice speaks an Arabic sentence
 * longer than the English voice would spell out nothing. */
static void
test_voice_per_language (void **state G_GNUC_UNUSED)
{
  assert_string_equal (hp_speech_voice_for_language ("en"), "en-us");
  assert_string_equal (hp_speech_voice_for_language ("es"), "es-419");
  assert_string_equal (hp_speech_voice_for_language ("fr"), "fr");
  assert_string_equal (hp_speech_voice_for_language ("ar"), "ar");
  assert_null (hp_speech_voice_for_language ("de"));
  assert_null (hp_speech_voice_for_language (NULL));

  /* The same words in two voices take clearly different times. */
  {
    double french = (double) samples_of ("Bonjour, madame. Asseyez-vous, s'il vous plaît.", "fr");
    double english = (double) samples_of ("Bonjour, madame. Asseyez-vous, s'il vous plaît.", "en");

    g_print ("# French voice %.0f samples, English voice %.0f\n", french, english);
    assert_true (fabs (french - english) > 2 * SAME_LENGTH_SHARE * english);
  }
}

/* A new screen's words cut off the old screen's: the first stops early,
 * the second plays whole. */
static void
test_second_say_interrupts (void **state G_GNUC_UNUSED)
{
  static const char first[] =
    "This sentence is long on purpose. It goes on and on, with many words, so that "
    "it is still playing when the next screen comes, and the next screen's words "
    "must then be heard at once instead of after all of this.";
  static const char second[] = "Step onto the scale.";
  guint64 first_whole = samples_of (first, "en");
  guint64 second_whole = samples_of (second, "en");
  Capture capture = { 0 };
  g_autoptr(HpSpeech) speech = speech_new (REAL_TIME_SINK, &capture);

  hp_speech_say (speech, first, "en");
  if (!hp_test_iterate_until (has_audio, &capture, HANG_GUARD_SECONDS))
    fail_msg ("the first sentence never played");
  hp_speech_say (speech, second, "en");
  wait_until_silent (speech);

  g_print ("# first: %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " samples; second: %" G_GUINT64_FORMAT
           " of %" G_GUINT64_FORMAT "\n", capture.samples[0], first_whole, capture.samples[1], second_whole);
  assert_int_equal (capture_streams (&capture), 2);
  assert_true (capture.samples[0] < first_whole / 2);
  assert_same_length (capture.samples[1], second_whole);
}

/* Each volume step is about 4 dB louder than the one before. */
static void
test_volume_steps (void **state G_GNUC_UNUSED)
{
  static const char text[] = "Please stand still.";
  Capture capture = { 0 };
  g_autoptr(HpSpeech) speech = speech_new (FAST_SINK, &capture);
  double rms[HP_SPEECH_VOLUME_LAST + 1];

  for (HpSpeechVolume volume = HP_SPEECH_VOLUME_NORMAL; volume <= HP_SPEECH_VOLUME_LAST; volume++)
    {
      capture_reset (&capture);
      hp_speech_set_volume (speech, volume);
      assert_int_equal (hp_speech_get_volume (speech), volume);
      hp_speech_say (speech, text, "en");
      wait_until_silent (speech);
      assert_int_equal (capture_streams (&capture), 1);
      rms[volume] = capture_rms (&capture, 0);
    }
  g_print ("# RMS: normal %.0f, louder %.0f, loudest %.0f\n", rms[0], rms[1], rms[2]);
  /* 4 dB is a factor of 1.585 in amplitude, 8 dB one of 2.512. */
  assert_true (fabs (rms[1] / rms[0] - 1.585) < 0.05);
  assert_true (fabs (rms[2] / rms[0] - 2.512) < 0.08);
}

/* The end of a visit silences the kiosk, turns audio off and the volume
 * back to normal; the next visit starts from there. */
static void
test_reset (void **state G_GNUC_UNUSED)
{
  static const char next[] = "Touch the screen to start.";
  guint64 next_whole = samples_of (next, "en");
  Capture capture = { 0 };
  g_autoptr(HpSpeech) speech = speech_new (REAL_TIME_SINK, &capture);

  hp_speech_set_volume (speech, HP_SPEECH_VOLUME_LOUDEST);
  hp_speech_say (speech, sentences[0].text, "en");
  if (!hp_test_iterate_until (has_audio, &capture, HANG_GUARD_SECONDS))
    fail_msg ("nothing played");

  hp_speech_reset (speech);
  assert_false (hp_speech_get_speaking (speech));
  assert_false (hp_speech_get_enabled (speech));
  assert_int_equal (hp_speech_get_volume (speech), HP_SPEECH_VOLUME_NORMAL);

  /* Off, nothing is said. */
  hp_speech_say (speech, "Nobody hears this.", "en");
  assert_false (hp_speech_get_speaking (speech));

  /* On again, it speaks at once, and only what it is asked now. */
  hp_speech_set_enabled (speech, TRUE);
  hp_speech_say (speech, next, "en");
  wait_until_silent (speech);
  assert_int_equal (capture_streams (&capture), 2);
  assert_same_length (capture.samples[1], next_whole);
}

/* Turning audio off stops the voice at once. */
static void
test_disable_stops (void **state G_GNUC_UNUSED)
{
  Capture capture = { 0 };
  g_autoptr(HpSpeech) speech = speech_new (REAL_TIME_SINK, &capture);
  guint64 heard;

  hp_speech_say (speech, sentences[1].text, "es");
  if (!hp_test_iterate_until (has_audio, &capture, HANG_GUARD_SECONDS))
    fail_msg ("nothing played");
  hp_speech_set_enabled (speech, FALSE);
  assert_false (hp_speech_get_speaking (speech));
  heard = capture.samples[0];
  /* The pipeline is stopped: its streaming thread has ended. */
  assert_true (heard < samples_of (sentences[1].text, "es") / 2);
  g_mutex_lock (&capture.lock);
  assert_int_equal (capture.samples[0], heard);
  g_mutex_unlock (&capture.lock);
}

/* A sink that does not exist, or a device that refuses to open, leaves
 * the kiosk silent with one line in the log for staff, which never holds
 * the words; a working sink then speaks again. */
static void
test_bad_sink (void **state G_GNUC_UNUSED)
{
  static const char secret[] = "Your blood pressure is 187 over 121.";
  Capture capture = { 0 };
  g_autoptr(HpSpeech) speech = hp_speech_new ("hp-no-such-sink", NORMAL_GAIN);
  GstElement *element;
  g_autoptr(GstElement) out = NULL;

  forget_logged ();
  hp_speech_set_enabled (speech, TRUE);
  hp_speech_say (speech, secret, "en");
  wait_until_silent (speech);
  assert_null (hp_speech_get_sink (speech));
  assert_int_equal (count_logged ("spoken guidance is silent"), 1);
  assert_int_equal (count_logged ("hp-no-such-sink"), 1);

  /* The same failure again is not logged again. */
  hp_speech_say (speech, secret, "en");
  wait_until_silent (speech);
  assert_int_equal (count_logged ("spoken guidance is silent"), 1);

  /* An audio device that fails to open. */
  hp_speech_set_sink (speech, "fakesink state-error=null-to-ready");
  hp_speech_say (speech, secret, "en");
  wait_until_silent (speech);
  assert_int_equal (count_logged ("spoken guidance is silent"), 2);
  hp_speech_say (speech, secret, "en");
  wait_until_silent (speech);
  assert_int_equal (count_logged ("spoken guidance is silent"), 2);

  /* Fixed, it speaks. */
  hp_speech_set_sink (speech, FAST_SINK);
  hp_speech_prepare (speech);
  if (!hp_test_iterate_until (is_built, speech, HANG_GUARD_SECONDS))
    fail_msg ("the pipeline was not rebuilt");
  element = hp_speech_get_sink (speech);
  out = gst_bin_get_by_name (GST_BIN (element), "out");
  g_signal_connect (out, "handoff", G_CALLBACK (on_handoff), &capture);
  hp_speech_say (speech, secret, "en");
  wait_until_silent (speech);
  assert_true (capture_seconds (&capture, 0) > 1.0);

  /* No line of the log holds the spoken words. */
  assert_int_equal (count_logged ("187"), 0);
  assert_int_equal (count_logged ("blood pressure"), 0);
}

/* A language without a voice is logged, not spoken with a wrong voice. */
static void
test_language_without_voice (void **state G_GNUC_UNUSED)
{
  Capture capture = { 0 };
  g_autoptr(HpSpeech) speech = speech_new (FAST_SINK, &capture);

  forget_logged ();
  hp_speech_say (speech, "Guten Tag.", "de");
  assert_false (hp_speech_get_speaking (speech));
  assert_int_equal (count_logged ("no voice for the language “de”"), 1);
  assert_int_equal (count_logged ("Guten"), 0);

  /* An empty screen says nothing, and ends what was being said. */
  hp_speech_say (speech, "", "en");
  assert_false (hp_speech_get_speaking (speech));
  hp_speech_say (speech, "Hello.", "en");
  wait_until_silent (speech);
  assert_int_equal (capture_streams (&capture), 1);
}

/* ---- A voice program that fails ----
 *
 * fake-voice (tests/app/fake-voice.c) stands in for healthpost-voice and
 * fails on cue. Each test puts the real program back when it ends. */

static const char *fake_voice_program;
/* fake-voice's tone: this many samples for each byte of the text. */
#define FAKE_SAMPLES_PER_BYTE 200

static HpSpeech *
fake_speech_new (const char *start,
                 Capture    *capture)
{
  g_autofree char *real = g_strdup (g_getenv ("HEALTHPOST_VOICE_PROGRAM"));
  HpSpeech *speech;

  /* The speech object takes the program and its environment when made. */
  g_setenv ("HEALTHPOST_VOICE_PROGRAM", fake_voice_program, TRUE);
  if (start != NULL)
    g_setenv ("HP_FAKE_VOICE_START", start, TRUE);
  if (capture != NULL)
    speech = speech_new (FAST_SINK, capture);
  else
    {
      speech = hp_speech_new (FAST_SINK, NORMAL_GAIN);
      hp_speech_set_enabled (speech, TRUE);
    }
  g_unsetenv ("HP_FAKE_VOICE_START");
  g_setenv ("HEALTHPOST_VOICE_PROGRAM", real, TRUE);
  return speech;
}

/* After the voice program failed while reading, the words after are read
 * by a new one, whole. */
static void
assert_reads_next (HpSpeech *speech,
                   Capture  *capture)
{
  static const char next[] = "Step onto the scale.";
  guint streams = capture_streams (capture);

  hp_speech_say (speech, next, "en");
  assert_true (hp_speech_get_speaking (speech));
  wait_until_silent (speech);
  assert_int_equal (capture_streams (capture), streams + 1);
  assert_int_equal (capture->samples[streams], strlen (next) * FAKE_SAMPLES_PER_BYTE);
}

/* A fault in the speech engine ends the voice program, not the kiosk: the
 * utterance ends, staff read why (never the words), and the next words are
 * read by a new program. */
static void
test_program_crash (void **state G_GNUC_UNUSED)
{
  static const char secret[] = "CRASH. Your blood pressure is 187 over 121.";
  Capture capture = { 0 };
  g_autoptr(HpSpeech) speech = fake_speech_new (NULL, &capture);

  forget_logged ();
  hp_speech_say (speech, secret, "en");
  wait_until_silent (speech);
  assert_int_equal (count_logged ("the voice program failed while reading"), 1);
  assert_int_equal (count_logged ("signal 6"), 1);
  assert_int_equal (count_logged ("starts again for the next words"), 1);
  assert_int_equal (count_logged ("187"), 0);
  assert_int_equal (count_logged ("CRASH"), 0);
  /* What it read before the fault was played; the stream ended. */
  assert_int_equal (capture_streams (&capture), 1);
  assert_int_equal (capture.samples[0], 1000);

  assert_reads_next (speech, &capture);
  assert_int_equal (count_logged ("the voice program failed"), 1);
}

/* A voice program that stops answering is ended after the timeout. */
static void
test_program_stuck (void **state G_GNUC_UNUSED)
{
  Capture capture = { 0 };
  g_autoptr(HpSpeech) speech = fake_speech_new (NULL, &capture);

  forget_logged ();
  hp_speech_set_voice_timeout (speech, 300);
  hp_speech_say (speech, "HANG on a moment.", "en");
  wait_until_silent (speech);
  assert_int_equal (count_logged ("sent nothing for 300 ms"), 1);
  assert_int_equal (count_logged ("signal 9"), 1);
  assert_reads_next (speech, &capture);
}

/* A broken message from the voice program ends it as well. */
static void
test_program_garbage (void **state G_GNUC_UNUSED)
{
  Capture capture = { 0 };
  g_autoptr(HpSpeech) speech = fake_speech_new (NULL, &capture);

  forget_logged ();
  hp_speech_say (speech, "GARBAGE in.", "en");
  wait_until_silent (speech);
  assert_int_equal (count_logged ("a frame of unknown kind 0x5a"), 1);
  assert_int_equal (capture_streams (&capture), 0);
  assert_reads_next (speech, &capture);
}

/* A voice program that cannot start leaves the kiosk silent, with the
 * reason logged once for staff. */
static void
test_program_cannot_start (void **state G_GNUC_UNUSED)
{
  static const struct {
    const char *start;
    const char *logged;
  } cases[] = {
    { "fail", "eSpeak NG cannot start (package espeak-ng-data): the fake engine is missing" },
    { "exit", "did not start (the other side closed the connection; it exited with status 1)" },
    { "bad-hello", "did not start (a sample rate of 5 Hz" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HpSpeech) speech = fake_speech_new (cases[i].start, NULL);

      forget_logged ();
      hp_speech_say (speech, "Hello.", "en");
      wait_until_silent (speech);
      assert_null (hp_speech_get_sink (speech));
      if (count_logged (cases[i].logged) != 1)
        fail_msg ("%s: nothing logged says “%s”", cases[i].start, cases[i].logged);
      assert_int_equal (count_logged ("spoken guidance is silent"), 1);
    }

  /* No program where the configuration says. */
  {
    g_autofree char *real = g_strdup (g_getenv ("HEALTHPOST_VOICE_PROGRAM"));
    g_autoptr(HpSpeech) speech = NULL;

    g_setenv ("HEALTHPOST_VOICE_PROGRAM", "/nonexistent/healthpost-voice", TRUE);
    speech = hp_speech_new (FAST_SINK, NORMAL_GAIN);
    g_setenv ("HEALTHPOST_VOICE_PROGRAM", real, TRUE);
    hp_speech_set_enabled (speech, TRUE);
    forget_logged ();
    hp_speech_say (speech, "Hello.", "en");
    wait_until_silent (speech);
    assert_int_equal (count_logged ("the voice program “/nonexistent/healthpost-voice” cannot start"), 1);
  }
}

int
main (int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_languages),
    cmocka_unit_test (test_voice_per_language),
    cmocka_unit_test (test_second_say_interrupts),
    cmocka_unit_test (test_volume_steps),
    cmocka_unit_test (test_reset),
    cmocka_unit_test (test_disable_stops),
    cmocka_unit_test (test_bad_sink),
    cmocka_unit_test (test_language_without_voice),
    cmocka_unit_test (test_program_crash),
    cmocka_unit_test (test_program_stuck),
    cmocka_unit_test (test_program_garbage),
    cmocka_unit_test (test_program_cannot_start),
  };
  int failed;

  if (argc != 2)
    {
      g_printerr ("usage: %s FAKE-VOICE-PROGRAM\n", argv[0]);
      return 2;
    }
  fake_voice_program = argv[1];
  logged = g_ptr_array_new_with_free_func (g_free);
  g_log_set_writer_func (record_log, NULL, NULL);
  failed = cmocka_run_group_tests (tests, NULL, NULL);
  g_clear_pointer (&logged, g_ptr_array_unref);
  return failed;
}
