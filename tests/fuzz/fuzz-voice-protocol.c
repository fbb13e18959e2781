/* libFuzzer target: frames as the kiosk reads them from its voice program,
 * and as the voice program reads them from the kiosk, through a socket. */
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hp-voice-protocol.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_payload (HpVoiceKind   kind,
               const guint8 *payload,
               gsize         length)
{
  guint rate, voice, wpm;
  guint32 missing;
  gint status;
  const char *text;
  gsize text_length;

  switch (kind)
    {
    case HP_VOICE_HELLO:
      if (hp_voice_hello_parse (payload, length, &rate, &missing, NULL) &&
          (rate < HP_VOICE_MIN_RATE_HZ || rate > HP_VOICE_MAX_RATE_HZ))
        __builtin_trap ();
      break;
    case HP_VOICE_FAILURE:
      {
        g_autofree char *why = hp_voice_failure_parse (payload, length);

        if (!g_utf8_validate (why, -1, NULL) || strlen (why) > 3 * HP_VOICE_MAX_FAILURE)
          __builtin_trap ();
      }
      break;
    case HP_VOICE_END:
      (void) hp_voice_end_parse (payload, length, &status, NULL);
      break;
    case HP_VOICE_SAY:
      if (hp_voice_say_parse (payload, length, 4, &voice, &wpm, &text, &text_length, NULL))
        {
          /* What was taken is rebuilt byte for byte. */
          g_autofree char *copy = g_strndup (text, text_length);
          GByteArray *again;

          if (voice >= 4 || strlen (copy) != text_length || !g_utf8_validate (copy, -1, NULL))
            __builtin_trap ();
          again = hp_voice_say_new (voice, wpm, copy);
          if (again->len != HP_VOICE_HEADER_SIZE + length ||
              memcmp (again->data + HP_VOICE_HEADER_SIZE, payload, length) != 0)
            __builtin_trap ();
          hp_voice_frame_free (again);
        }
      break;
    case HP_VOICE_AUDIO:
    case HP_VOICE_CANCEL:
    default:
      break;
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GByteArray) payload = NULL;
  HpVoiceKind kind;
  int ends[2];
  gsize sent = 0;

  /* Frames small enough to sit in a socket's buffer whole. */
  if (size > 64 * 1024 || socketpair (AF_UNIX, SOCK_STREAM, 0, ends) != 0)
    return 0;
  while (sent < size)
    {
      ssize_t n = write (ends[0], data + sent, size - sent);

      if (n <= 0)
        break;
      sent += (gsize) n;
    }
  close (ends[0]);

  payload = g_byte_array_new ();
  while (hp_voice_read_frame (ends[1], 0, &kind, payload, NULL))
    check_payload (kind, payload->data, payload->len);
  close (ends[1]);
  return 0;
}
