/* healthpost-voice: reads texts aloud with eSpeak NG for the kiosk.
 *
 * The kiosk starts it with the voices it offers as arguments and talks to
 * it over standard input and output (hp-voice-protocol.h). It is a process
 * of its own so that a fault in the speech engine, which has had bugs that
 * read past its buffers on some words, ends this program and not the
 * kiosk; the kiosk starts it again for the next words. It writes nothing of
 * what it reads to its error output. */
#include <espeak-ng/espeak_ng.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "hp-secret.h"
#include "hp-voice-protocol.h"

/* How much audio eSpeak NG hands over at a time: small, so the first sound
 * comes soon, and a cancel is noticed soon. */
#define SYNTH_CHUNK_MS 50
/* A frame that has begun to arrive is whole well within this. */
#define FRAME_TIMEOUT_MS 5000

enum {
  EXIT_DONE = 0,          /* the kiosk closed the connection */
  EXIT_USAGE = 2,
  EXIT_NO_ENGINE = 3,     /* eSpeak NG could not start */
  EXIT_PROTOCOL = 4,      /* a message broke the protocol, or writing failed */
};

static gboolean cancelled;

static G_NORETURN void
give_up (const char   *what,
         const GError *error)
{
  fprintf (stderr, "healthpost-voice: %s: %s\n", what, error->message);
  exit (error->domain == HP_VOICE_ERROR && error->code == HP_VOICE_ERROR_CLOSED ? EXIT_DONE : EXIT_PROTOCOL);
}

static void
send_frame (GByteArray *frame)
{
  g_autoptr(GError) error = NULL;
  gboolean sent = hp_voice_write_frame (STDOUT_FILENO, frame, &error);

  hp_voice_frame_free (frame);
  if (!sent)
    give_up ("writing", error);
}

/* A cancel may wait on standard input while eSpeak NG reads: look without
 * waiting. */
static void
check_for_cancel (void)
{
  struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
  g_autoptr(GByteArray) payload = NULL;
  g_autoptr(GError) error = NULL;
  HpVoiceKind kind;

  if (cancelled || poll (&pfd, 1, 0) <= 0)
    return;
  payload = g_byte_array_new ();
  if (!hp_voice_read_frame (STDIN_FILENO, FRAME_TIMEOUT_MS, &kind, payload, &error))
    give_up ("reading while speaking", error);
  if (kind != HP_VOICE_CANCEL)
    {
      fprintf (stderr, "healthpost-voice: a message of kind “%c” while speaking\n", kind);
      exit (EXIT_PROTOCOL);
    }
  cancelled = TRUE;
}

static int
on_synthesized (short        *samples,
                int           n_samples,
                espeak_EVENT *events G_GNUC_UNUSED)
{
  int offset = 0;

  check_for_cancel ();
  if (cancelled)
    return 1;
  while (samples != NULL && offset < n_samples)
    {
      gsize n = MIN ((gsize) (n_samples - offset), HP_VOICE_MAX_AUDIO / 2);

      send_frame (hp_voice_audio_new (samples + offset, n));
      offset += (int) n;
    }
  return 0;
}

static void
speak (const guint8 *payload,
       gsize         length,
       char        **voices,
       guint         n_voices)
{
  g_autoptr(GError) error = NULL;
  const char *text;
  gsize text_length;
  guint voice, wpm;
  char *copy;
  espeak_ERROR status;

  if (!hp_voice_say_parse (payload, length, n_voices, &voice, &wpm, &text, &text_length, &error))
    give_up ("a text to read", error);
  copy = g_strndup (text, text_length);
  cancelled = FALSE;
  espeak_ng_SetVoiceByName (voices[voice]);
  espeak_ng_SetParameter (espeakRATE, (int) wpm, 0);
  status = espeak_Synth (copy, text_length + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8 | espeakENDPAUSE, NULL, NULL);
  /* Stopped part-way, eSpeak NG would carry the rest of its sentence state
   * into the next text. */
  if (cancelled || status != EE_OK)
    espeak_ng_Cancel ();
  hp_secret_wipe (copy, text_length);
  g_free (copy);
  send_frame (hp_voice_end_new (status));
}

int
main (int    argc,
      char **argv)
{
  espeak_ng_ERROR_CONTEXT context = NULL;
  espeak_ng_STATUS status;
  g_autoptr(GByteArray) payload = NULL;
  guint32 missing = 0;
  guint n_voices;

  if (argc < 2 || argc - 1 > HP_VOICE_MAX_VOICES)
    {
      fprintf (stderr, "usage: healthpost-voice VOICE… (1 to %d eSpeak NG voices)\n"
                       "Started by the kiosk, which talks to it over standard input and output.\n",
               HP_VOICE_MAX_VOICES);
      return EXIT_USAGE;
    }
  n_voices = (guint) argc - 1;
  /* Ends with the kiosk, even while eSpeak NG is busy. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  signal (SIGPIPE, SIG_IGN);

  espeak_ng_InitializePath (NULL);
  status = espeak_ng_Initialize (&context);
  espeak_ng_ClearErrorContext (&context);
  if (status == ENS_OK)
    status = espeak_ng_InitializeOutput (ENOUTPUT_MODE_SYNCHRONOUS, SYNTH_CHUNK_MS, NULL);
  if (status != ENS_OK)
    {
      char message[256];
      g_autofree char *why = NULL;

      espeak_ng_GetStatusCodeMessage (status, message, sizeof message);
      why = g_strdup_printf ("eSpeak NG cannot start (package espeak-ng-data): %s", message);
      send_frame (hp_voice_failure_new (why));
      return EXIT_NO_ENGINE;
    }
  espeak_SetSynthCallback (on_synthesized);
  for (guint i = 0; i < n_voices; i++)
    if (espeak_ng_SetVoiceByName (argv[i + 1]) != ENS_OK)
      missing |= 1u << i;
  send_frame (hp_voice_hello_new ((guint) espeak_ng_GetSampleRate (), missing));

  payload = g_byte_array_new ();
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      HpVoiceKind kind;

      if (!hp_voice_read_frame (STDIN_FILENO, -1, &kind, payload, &error))
        {
          if (g_error_matches (error, HP_VOICE_ERROR, HP_VOICE_ERROR_CLOSED))
            break;
          give_up ("reading", error);
        }
      switch (kind)
        {
        case HP_VOICE_SAY:
          speak (payload->data, payload->len, argv + 1, n_voices);
          break;
        case HP_VOICE_CANCEL:
          /* It came after the text had ended: nothing to stop. */
          break;
        case HP_VOICE_HELLO:
        case HP_VOICE_FAILURE:
        case HP_VOICE_AUDIO:
        case HP_VOICE_END:
        default:
          fprintf (stderr, "healthpost-voice: a message of kind “%c” from the kiosk\n", kind);
          return EXIT_PROTOCOL;
        }
    }
  hp_secret_wipe (payload->data, payload->len);
  espeak_ng_Terminate ();
  return EXIT_DONE;
}
