/* The messages between the kiosk and its voice program (healthpost-voice),
 * which runs eSpeak NG in a process of its own: a fault in the speech
 * engine ends that process, never the kiosk and the visit on its screen.
 *
 * Every message is a frame: a header of 8 bytes (its kind, three zero
 * bytes, then the length of what follows as 32 bits little-endian) and
 * that many bytes. Integers inside are 32 bits little-endian too. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  /* Voice program to kiosk. */
  HP_VOICE_HELLO = 'H',    /* sample rate, then a bit for each voice that did not load */
  HP_VOICE_FAILURE = 'F',  /* why the voice program cannot start: UTF-8 text for staff */
  HP_VOICE_AUDIO = 'A',    /* mono signed 16-bit samples */
  HP_VOICE_END = 'E',      /* the text is read, or was cancelled: eSpeak NG's status */
  /* Kiosk to voice program. */
  HP_VOICE_SAY = 'S',      /* voice number, words a minute, then the UTF-8 text */
  HP_VOICE_CANCEL = 'C',   /* stop reading; an END still follows */
} HpVoiceKind;

#define HP_VOICE_HEADER_SIZE 8
/* Longer than any screen the kiosk reads. */
#define HP_VOICE_MAX_TEXT (64 * 1024)
/* A second of audio at the highest rate accepted. */
#define HP_VOICE_MAX_AUDIO (2 * 96000)
#define HP_VOICE_MAX_FAILURE 1024
/* One bit each in HELLO. */
#define HP_VOICE_MAX_VOICES 32
#define HP_VOICE_MIN_RATE_HZ 8000
#define HP_VOICE_MAX_RATE_HZ 96000
#define HP_VOICE_MIN_WPM 80
#define HP_VOICE_MAX_WPM 450

#define HP_VOICE_ERROR (hp_voice_error_quark ())
GQuark hp_voice_error_quark (void);

typedef enum {
  HP_VOICE_ERROR_FRAME,    /* a frame that breaks the rules above */
  HP_VOICE_ERROR_CLOSED,   /* the other side went away */
  HP_VOICE_ERROR_TIMEOUT,  /* nothing came in time */
  HP_VOICE_ERROR_IO,       /* reading or writing failed */
} HpVoiceError;

/* Checks a header: a known kind, zero padding and a length that kind may
 * have. */
gboolean hp_voice_header_parse (const guint8  header[HP_VOICE_HEADER_SIZE],
                                HpVoiceKind  *kind,
                                gsize        *length,
                                GError      **error);

gboolean hp_voice_hello_parse (const guint8  *payload,
                               gsize          length,
                               guint         *sample_rate,
                               guint32       *missing_voices,
                               GError       **error);
gboolean hp_voice_end_parse   (const guint8  *payload,
                               gsize          length,
                               gint          *status,
                               GError       **error);
/* @text points into @payload and is not NUL-terminated; it is checked to
 * be UTF-8 without NUL. */
gboolean hp_voice_say_parse   (const guint8  *payload,
                               gsize          length,
                               guint          n_voices,
                               guint         *voice,
                               guint         *words_per_minute,
                               const char   **text,
                               gsize         *text_length,
                               GError       **error);
/* Valid UTF-8, cut at HP_VOICE_MAX_FAILURE bytes; never %NULL. */
char    *hp_voice_failure_parse (const guint8 *payload,
                                 gsize         length);

/* Builders: the whole frame, header included. */
GByteArray *hp_voice_hello_new   (guint         sample_rate,
                                  guint32       missing_voices);
GByteArray *hp_voice_failure_new (const char   *message);
GByteArray *hp_voice_audio_new   (const gint16 *samples,
                                  gsize         n_samples);
GByteArray *hp_voice_end_new     (gint          status);
GByteArray *hp_voice_say_new     (guint         voice,
                                  guint         words_per_minute,
                                  const char   *text);
GByteArray *hp_voice_cancel_new  (void);
/* Overwrites the frame before freeing it: a SAY frame holds words that may
 * be a patient's results. */
void        hp_voice_frame_free  (GByteArray   *frame);

/* Writes all of @frame to @fd, a socket or a pipe, without SIGPIPE. */
gboolean hp_voice_write_frame (int                fd,
                               const GByteArray  *frame,
                               GError           **error);
/* Reads one whole frame from @fd into @payload (its old content dropped).
 * @timeout_ms bounds the wait for each part; -1 waits for ever. */
gboolean hp_voice_read_frame  (int           fd,
                               int           timeout_ms,
                               HpVoiceKind  *kind,
                               GByteArray   *payload,
                               GError      **error);

G_END_DECLS
