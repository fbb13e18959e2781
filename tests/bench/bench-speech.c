/* Spoken guidance latency: from say() to the first audio at the sink, per
 * language, the very first time (GStreamer and eSpeak NG loading) and warm. */
#include <gst/gst.h>
#include <string.h>

#include "hp-speech-private.h"
#include "hp-test-util.h"

#define ROUNDS 15

static const struct {
  const char *language;
  const char *text;
} prompts[] = {
  { "en", "Sit down, and rest your left arm on the table. Press Start when you are ready." },
  { "es", "Siéntese y apoye el brazo izquierdo en la mesa. Toque Empezar cuando esté listo." },
  { "fr", "Asseyez-vous et posez le bras gauche sur la table. Touchez Commencer quand vous êtes prêt." },
  { "ar", "اجلس وضع ذراعك اليسرى على الطاولة. اضغط ابدأ عندما تكون جاهزا." },
};

/* Set by the streaming thread at the first buffer of an utterance. */
static GMutex audio_lock;
static gint64 first_audio_us;

static void
on_handoff (GstElement *sink G_GNUC_UNUSED,
            GstBuffer  *buffer G_GNUC_UNUSED,
            GstPad     *pad G_GNUC_UNUSED,
            gpointer    user_data G_GNUC_UNUSED)
{
  g_mutex_lock (&audio_lock);
  if (first_audio_us == 0)
    first_audio_us = g_get_monotonic_time ();
  g_mutex_unlock (&audio_lock);
}

static gint64
first_audio (void)
{
  gint64 us;

  g_mutex_lock (&audio_lock);
  us = first_audio_us;
  g_mutex_unlock (&audio_lock);
  return us;
}

static gboolean
heard (gconstpointer data G_GNUC_UNUSED)
{
  return first_audio () != 0;
}

static gboolean
silent (gconstpointer data)
{
  return !hp_speech_get_speaking ((HpSpeech *) data);
}

static gboolean
built (gconstpointer data)
{
  return hp_speech_get_sink ((HpSpeech *) data) != NULL;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Milliseconds from say() to the first buffer; negative on failure. */
static double
time_one (HpSpeech   *speech,
          const char *text,
          const char *language)
{
  gint64 start;

  g_mutex_lock (&audio_lock);
  first_audio_us = 0;
  g_mutex_unlock (&audio_lock);
  start = g_get_monotonic_time ();
  hp_speech_say (speech, text, language);
  if (!hp_test_iterate_until (heard, NULL, 60))
    return -1.0;
  /* Let it end, so each round starts from a stopped pipeline as a new
   * screen usually does. */
  if (!hp_test_iterate_until (silent, speech, 60))
    return -1.0;
  return (double) (first_audio () - start) / 1000.0;
}

int
main (void)
{
  g_autoptr(HpSpeech) speech = hp_speech_new ("fakesink name=out signal-handoffs=true sync=false", 0.4);
  gint64 start;
  double cold;

  /* The very first utterance: GStreamer, its registry and eSpeak NG load
   * on the voice thread first. The handoff is wired once the sink exists. */
  hp_speech_set_enabled (speech, TRUE);
  start = g_get_monotonic_time ();
  if (!hp_test_iterate_until (built, speech, 60))
    {
      g_printerr ("the speech pipeline was not built\n");
      return 1;
    }
  cold = (double) (g_get_monotonic_time () - start) / 1000.0;
  g_signal_connect (hp_speech_get_sink (speech), "handoff", G_CALLBACK (on_handoff), NULL);
  g_print ("speech: loading GStreamer and eSpeak NG, building the pipeline: %.1f ms (off the main thread)\n", cold);

  for (guint p = 0; p < G_N_ELEMENTS (prompts); p++)
    {
      double ms[ROUNDS];

      for (guint r = 0; r < ROUNDS; r++)
        if ((ms[r] = time_one (speech, prompts[p].text, prompts[p].language)) < 0)
          {
            g_printerr ("%s: no audio\n", prompts[p].language);
            return 1;
          }
      qsort (ms, ROUNDS, sizeof ms[0], compare_doubles);
      g_print ("speech %s: say() to first audio at the sink: median %.1f ms, min %.1f, max %.1f (%u rounds)\n",
               prompts[p].language, ms[ROUNDS / 2], ms[0], ms[ROUNDS - 1], ROUNDS);
    }
  return 0;
}
