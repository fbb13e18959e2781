/* A stand-in for healthpost-voice that fails on cue, to test how the kiosk
 * lives through a voice program that crashes, hangs or talks nonsense.
 *
 * Started as the real one is. $HP_FAKE_VOICE_START picks how it starts:
 * "fail" (says eSpeak NG is missing), "exit" (leaves without a word),
 * "bad-hello" (greets with an impossible sample rate); anything else greets
 * properly. A text then picks what happens: with "CRASH" it aborts after a
 * little audio, with "HANG" it stops answering, with "GARBAGE" it sends a
 * broken frame; any other text is read as a tone, FAKE_SAMPLES_PER_BYTE
 * samples for each byte of it. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hp-voice-protocol.h"

#define FAKE_RATE 22050
#define FAKE_SAMPLES_PER_BYTE 200

static void
send_or_exit (GByteArray *frame)
{
  if (!hp_voice_write_frame (STDOUT_FILENO, frame, NULL))
    exit (0);
  hp_voice_frame_free (frame);
}

static void
send_tone (gsize n_samples)
{
  gint16 chunk[1000];

  for (guint i = 0; i < G_N_ELEMENTS (chunk); i++)
    chunk[i] = (gint16) ((i % 50) < 25 ? 8000 : -8000);
  while (n_samples > 0)
    {
      gsize n = MIN (n_samples, G_N_ELEMENTS (chunk));

      send_or_exit (hp_voice_audio_new (chunk, n));
      n_samples -= n;
    }
}

int
main (int    argc,
      char **argv G_GNUC_UNUSED)
{
  const char *start = g_getenv ("HP_FAKE_VOICE_START");
  g_autoptr(GByteArray) payload = g_byte_array_new ();

  signal (SIGPIPE, SIG_IGN);
  if (g_strcmp0 (start, "fail") == 0)
    {
      send_or_exit (hp_voice_failure_new ("eSpeak NG cannot start (package espeak-ng-data): the fake engine is missing"));
      return 3;
    }
  if (g_strcmp0 (start, "exit") == 0)
    return 1;
  send_or_exit (hp_voice_hello_new (g_strcmp0 (start, "bad-hello") == 0 ? 5 : FAKE_RATE, 0));

  for (;;)
    {
      HpVoiceKind kind;
      const char *text;
      gsize length;
      guint voice, wpm;

      if (!hp_voice_read_frame (STDIN_FILENO, -1, &kind, payload, NULL))
        return 0;
      if (kind == HP_VOICE_CANCEL)
        continue;
      if (kind != HP_VOICE_SAY ||
          !hp_voice_say_parse (payload->data, payload->len, (guint) argc - 1, &voice, &wpm, &text, &length, NULL))
        return 4;
      if (g_strstr_len (text, (gssize) length, "GARBAGE") != NULL)
        {
          static const guint8 broken[] = { 'Z', 0, 0, 0, 0, 0, 0, 0 };

          if (write (STDOUT_FILENO, broken, sizeof broken) != sizeof broken)
            return 0;
          continue;
        }
      if (g_strstr_len (text, (gssize) length, "CRASH") != NULL)
        {
          send_tone (1000);
          abort ();
        }
      if (g_strstr_len (text, (gssize) length, "HANG") != NULL)
        {
          send_tone (1000);
          for (;;)
            pause ();
        }
      send_tone (length * FAKE_SAMPLES_PER_BYTE);
      send_or_exit (hp_voice_end_new (0));
    }
}
