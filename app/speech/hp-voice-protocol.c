/* The messages between the kiosk and its voice program. */
#include "hp-secret.h"
#include "hp-voice-protocol.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

G_DEFINE_QUARK (hp-voice-error-quark, hp_voice_error)

static guint32
read_u32 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
}

static void
append_u32 (GByteArray *frame,
            guint32     value)
{
  guint8 bytes[4] = { value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, (value >> 24) & 0xff };

  g_byte_array_append (frame, bytes, sizeof bytes);
}

gboolean
hp_voice_header_parse (const guint8  header[HP_VOICE_HEADER_SIZE],
                       HpVoiceKind  *kind,
                       gsize        *length,
                       GError      **error)
{
  guint32 n = read_u32 (header + 4);
  gboolean fits;

  if (header[1] != 0 || header[2] != 0 || header[3] != 0)
    {
      g_set_error (error, HP_VOICE_ERROR, HP_VOICE_ERROR_FRAME, "a frame header is not padded with zeros");
      return FALSE;
    }
  switch (header[0])
    {
    case HP_VOICE_HELLO:
      fits = n == 8;
      break;
    case HP_VOICE_FAILURE:
      fits = n <= HP_VOICE_MAX_FAILURE;
      break;
    case HP_VOICE_AUDIO:
      fits = n % 2 == 0 && n <= HP_VOICE_MAX_AUDIO;
      break;
    case HP_VOICE_END:
      fits = n == 4;
      break;
    case HP_VOICE_SAY:
      fits = n >= 8 && n - 8 <= HP_VOICE_MAX_TEXT;
      break;
    case HP_VOICE_CANCEL:
      fits = n == 0;
      break;
    default:
      g_set_error (error, HP_VOICE_ERROR, HP_VOICE_ERROR_FRAME, "a frame of unknown kind 0x%02x", header[0]);
      return FALSE;
    }
  if (!fits)
    {
      g_set_error (error, HP_VOICE_ERROR, HP_VOICE_ERROR_FRAME,
                   "a frame of kind “%c” cannot be %" G_GUINT32_FORMAT " bytes long", header[0], n);
      return FALSE;
    }
  *kind = (HpVoiceKind) header[0];
  *length = n;
  return TRUE;
}

gboolean
hp_voice_hello_parse (const guint8  *payload,
                      gsize          length,
                      guint         *sample_rate,
                      guint32       *missing_voices,
                      GError       **error)
{
  guint32 rate;

  if (length != 8)
    {
      g_set_error (error, HP_VOICE_ERROR, HP_VOICE_ERROR_FRAME, "a greeting of %" G_GSIZE_FORMAT " bytes", length);
      return FALSE;
    }
  rate = read_u32 (payload);
  if (rate < HP_VOICE_MIN_RATE_HZ || rate > HP_VOICE_MAX_RATE_HZ)
    {
      g_set_error (error, HP_VOICE_ERROR, HP_VOICE_ERROR_FRAME, "a sample rate of %" G_GUINT32_FORMAT " Hz", rate);
      return FALSE;
    }
  *sample_rate = rate;
  *missing_voices = read_u32 (payload + 4);
  return TRUE;
}

gboolean
hp_voice_end_parse (const guint8  *payload,
                    gsize          length,
                    gint          *status,
                    GError       **error)
{
  if (length != 4)
    {
      g_set_error (error, HP_VOICE_ERROR, HP_VOICE_ERROR_FRAME, "an end of %" G_GSIZE_FORMAT " bytes", length);
      return FALSE;
    }
  *status = (gint) read_u32 (payload);
  return TRUE;
}

gboolean
hp_voice_say_parse (const guint8  *payload,
                    gsize          length,
                    guint          n_voices,
                    guint         *voice,
                    guint         *words_per_minute,
                    const char   **text,
                    gsize         *text_length,
                    GError       **error)
{
  guint32 number, wpm;
  const char *words;
  gsize n;

  if (length < 8 || length - 8 > HP_VOICE_MAX_TEXT)
    {
      g_set_error (error, HP_VOICE_ERROR, HP_VOICE_ERROR_FRAME, "a text to read of %" G_GSIZE_FORMAT " bytes", length);
      return FALSE;
    }
  number = read_u32 (payload);
  wpm = read_u32 (payload + 4);
  words = (const char *) payload + 8;
  n = length - 8;
  if (number >= n_voices)
    {
      g_set_error (error, HP_VOICE_ERROR, HP_VOICE_ERROR_FRAME, "voice %" G_GUINT32_FORMAT " of %u", number, n_voices);
      return FALSE;
    }
  if (wpm < HP_VOICE_MIN_WPM || wpm > HP_VOICE_MAX_WPM)
    {
      g_set_error (error, HP_VOICE_ERROR, HP_VOICE_ERROR_FRAME, "a pace of %" G_GUINT32_FORMAT " words a minute", wpm);
      return FALSE;
    }
  /* g_utf8_validate_len() stops at a NUL and then fails. */
  if (!g_utf8_validate_len (words, n, NULL))
    {
      g_set_error (error, HP_VOICE_ERROR, HP_VOICE_ERROR_FRAME, "a text to read that is not UTF-8");
      return FALSE;
    }
  *voice = number;
  *words_per_minute = wpm;
  *text = words;
  *text_length = n;
  return TRUE;
}

char *
hp_voice_failure_parse (const guint8 *payload,
                        gsize         length)
{
  /* An empty payload may have no bytes behind it at all. */
  if (length == 0)
    return g_strdup ("");
  return g_utf8_make_valid ((const char *) payload, (gssize) MIN (length, HP_VOICE_MAX_FAILURE));
}

static GByteArray *
frame_new (HpVoiceKind kind,
           gsize       length)
{
  GByteArray *frame = g_byte_array_sized_new ((guint) (HP_VOICE_HEADER_SIZE + length));
  guint8 head[4] = { (guint8) kind, 0, 0, 0 };

  g_byte_array_append (frame, head, sizeof head);
  append_u32 (frame, (guint32) length);
  return frame;
}

GByteArray *
hp_voice_hello_new (guint   sample_rate,
                    guint32 missing_voices)
{
  GByteArray *frame = frame_new (HP_VOICE_HELLO, 8);

  append_u32 (frame, sample_rate);
  append_u32 (frame, missing_voices);
  return frame;
}

GByteArray *
hp_voice_failure_new (const char *message)
{
  g_autofree char *valid = g_utf8_make_valid (message, -1);
  gsize n = strlen (valid);
  GByteArray *frame;

  /* Cut at a character's start. */
  if (n > HP_VOICE_MAX_FAILURE)
    n = (gsize) (g_utf8_find_prev_char (valid, valid + HP_VOICE_MAX_FAILURE + 1) - valid);
  frame = frame_new (HP_VOICE_FAILURE, n);
  g_byte_array_append (frame, (const guint8 *) valid, (guint) n);
  return frame;
}

GByteArray *
hp_voice_audio_new (const gint16 *samples,
                    gsize         n_samples)
{
  GByteArray *frame;

  g_return_val_if_fail (n_samples * 2 <= HP_VOICE_MAX_AUDIO, NULL);
  frame = frame_new (HP_VOICE_AUDIO, n_samples * 2);
  for (gsize i = 0; i < n_samples; i++)
    {
      guint16 sample = (guint16) samples[i];
      guint8 bytes[2] = { sample & 0xff, sample >> 8 };

      g_byte_array_append (frame, bytes, 2);
    }
  return frame;
}

GByteArray *
hp_voice_end_new (gint status)
{
  GByteArray *frame = frame_new (HP_VOICE_END, 4);

  append_u32 (frame, (guint32) status);
  return frame;
}

GByteArray *
hp_voice_say_new (guint       voice,
                  guint       words_per_minute,
                  const char *text)
{
  gsize n = strlen (text);
  GByteArray *frame;

  g_return_val_if_fail (n <= HP_VOICE_MAX_TEXT, NULL);
  frame = frame_new (HP_VOICE_SAY, 8 + n);
  append_u32 (frame, voice);
  append_u32 (frame, words_per_minute);
  g_byte_array_append (frame, (const guint8 *) text, (guint) n);
  return frame;
}

GByteArray *
hp_voice_cancel_new (void)
{
  return frame_new (HP_VOICE_CANCEL, 0);
}

void
hp_voice_frame_free (GByteArray *frame)
{
  if (frame == NULL)
    return;
  hp_secret_wipe (frame->data, frame->len);
  g_byte_array_unref (frame);
}

gboolean
hp_voice_write_frame (int                fd,
                      const GByteArray  *frame,
                      GError           **error)
{
  gsize done = 0;

  while (done < frame->len)
    {
      ssize_t n = send (fd, frame->data + done, frame->len - done, MSG_NOSIGNAL);

      /* A pipe (someone running the voice program by hand) is no socket;
       * the voice program ignores SIGPIPE for that case. */
      if (n < 0 && errno == ENOTSOCK)
        n = write (fd, frame->data + done, frame->len - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, HP_VOICE_ERROR, saved == EPIPE ? HP_VOICE_ERROR_CLOSED : HP_VOICE_ERROR_IO,
                       "cannot write to the voice program: %s", g_strerror (saved));
          return FALSE;
        }
      done += (gsize) n;
    }
  return TRUE;
}

static gboolean
read_exactly (int      fd,
              int      timeout_ms,
              guint8  *buffer,
              gsize    length,
              GError **error)
{
  gsize done = 0;

  while (done < length)
    {
      struct pollfd pfd = { .fd = fd, .events = POLLIN };
      int ready = poll (&pfd, 1, timeout_ms);
      ssize_t n;

      if (ready < 0 && errno == EINTR)
        continue;
      if (ready < 0)
        {
          int saved = errno;

          g_set_error (error, HP_VOICE_ERROR, HP_VOICE_ERROR_IO, "cannot wait for the voice program: %s",
                       g_strerror (saved));
          return FALSE;
        }
      if (ready == 0)
        {
          g_set_error (error, HP_VOICE_ERROR, HP_VOICE_ERROR_TIMEOUT,
                       "the voice program sent nothing for %d ms", timeout_ms);
          return FALSE;
        }
      n = read (fd, buffer + done, length - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, HP_VOICE_ERROR, HP_VOICE_ERROR_IO, "cannot read from the voice program: %s",
                       g_strerror (saved));
          return FALSE;
        }
      if (n == 0)
        {
          g_set_error (error, HP_VOICE_ERROR, HP_VOICE_ERROR_CLOSED,
                       done == 0 ? "the other side closed the connection"
                                 : "the other side closed the connection within a frame");
          return FALSE;
        }
      done += (gsize) n;
    }
  return TRUE;
}

gboolean
hp_voice_read_frame (int           fd,
                     int           timeout_ms,
                     HpVoiceKind  *kind,
                     GByteArray   *payload,
                     GError      **error)
{
  guint8 header[HP_VOICE_HEADER_SIZE];
  gsize length;

  if (payload->len > 0)
    hp_secret_wipe (payload->data, payload->len);
  g_byte_array_set_size (payload, 0);
  if (!read_exactly (fd, timeout_ms, header, sizeof header, error) ||
      !hp_voice_header_parse (header, kind, &length, error))
    return FALSE;
  g_byte_array_set_size (payload, (guint) length);
  return read_exactly (fd, timeout_ms, payload->data, length, error);
}
