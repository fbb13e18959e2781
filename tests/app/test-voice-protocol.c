/* Tests of the messages between the kiosk and healthpost-voice, and of how
 * the voice program treats a kiosk that breaks them. */
#include <gio/gio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "hp-voice-protocol.h"

static const char *voice_program;

static void
header (guint8      out[HP_VOICE_HEADER_SIZE],
        guint8      kind,
        guint32     length)
{
  out[0] = kind;
  out[1] = out[2] = out[3] = 0;
  out[4] = length & 0xff;
  out[5] = (length >> 8) & 0xff;
  out[6] = (length >> 16) & 0xff;
  out[7] = (length >> 24) & 0xff;
}

static gboolean
header_ok (guint8  kind,
           guint32 length)
{
  guint8 bytes[HP_VOICE_HEADER_SIZE];
  g_autoptr(GError) error = NULL;
  HpVoiceKind parsed;
  gsize n;
  gboolean ok;

  header (bytes, kind, length);
  ok = hp_voice_header_parse (bytes, &parsed, &n, &error);
  if (ok)
    {
      assert_int_equal (parsed, kind);
      assert_int_equal (n, length);
      assert_null (error);
    }
  else
    assert_true (g_error_matches (error, HP_VOICE_ERROR, HP_VOICE_ERROR_FRAME));
  return ok;
}

/* Every kind's lengths, at their limits and one past them. */
static void
test_header_lengths (void **state G_GNUC_UNUSED)
{
  assert_true (header_ok ('H', 8));
  assert_false (header_ok ('H', 7));
  assert_false (header_ok ('H', 9));
  assert_true (header_ok ('E', 4));
  assert_false (header_ok ('E', 3));
  assert_false (header_ok ('E', 5));
  assert_true (header_ok ('C', 0));
  assert_false (header_ok ('C', 1));
  assert_true (header_ok ('A', 0));
  assert_true (header_ok ('A', HP_VOICE_MAX_AUDIO));
  assert_false (header_ok ('A', HP_VOICE_MAX_AUDIO + 2));
  assert_false (header_ok ('A', 3));
  assert_true (header_ok ('F', 0));
  assert_true (header_ok ('F', HP_VOICE_MAX_FAILURE));
  assert_false (header_ok ('F', HP_VOICE_MAX_FAILURE + 1));
  assert_true (header_ok ('S', 8));
  assert_false (header_ok ('S', 7));
  assert_true (header_ok ('S', 8 + HP_VOICE_MAX_TEXT));
  assert_false (header_ok ('S', 8 + HP_VOICE_MAX_TEXT + 1));
  assert_false (header_ok ('S', G_MAXUINT32));
  assert_false (header_ok ('Z', 0));
  assert_false (header_ok (0, 0));
}

static void
test_header_padding (void **state G_GNUC_UNUSED)
{
  guint8 bytes[HP_VOICE_HEADER_SIZE];
  g_autoptr(GError) error = NULL;
  HpVoiceKind kind;
  gsize n;

  for (guint i = 1; i <= 3; i++)
    {
      header (bytes, 'C', 0);
      bytes[i] = 1;
      assert_false (hp_voice_header_parse (bytes, &kind, &n, &error));
      assert_true (g_error_matches (error, HP_VOICE_ERROR, HP_VOICE_ERROR_FRAME));
      g_clear_error (&error);
    }
}

/* What a builder makes, the parser takes back. */
static void
test_round_trips (void **state G_GNUC_UNUSED)
{
  static const gint16 samples[] = { 0, 1, -1, 32767, -32768, 1234 };
  g_autoptr(GError) error = NULL;
  GByteArray *frame;
  HpVoiceKind kind;
  gsize n, text_length;
  guint rate, voice, wpm;
  guint32 missing;
  gint status;
  const char *text;
  char *failure;

  frame = hp_voice_hello_new (22050, 0x5);
  assert_true (hp_voice_header_parse (frame->data, &kind, &n, &error));
  assert_int_equal (kind, HP_VOICE_HELLO);
  assert_true (hp_voice_hello_parse (frame->data + 8, n, &rate, &missing, &error));
  assert_int_equal (rate, 22050);
  assert_int_equal (missing, 0x5);
  hp_voice_frame_free (frame);

  frame = hp_voice_end_new (-3);
  assert_true (hp_voice_header_parse (frame->data, &kind, &n, &error));
  assert_true (hp_voice_end_parse (frame->data + 8, n, &status, &error));
  assert_int_equal (status, -3);
  hp_voice_frame_free (frame);

  frame = hp_voice_say_new (3, 150, "Ça va ? ¿Qué tal?");
  assert_true (hp_voice_header_parse (frame->data, &kind, &n, &error));
  assert_int_equal (kind, HP_VOICE_SAY);
  assert_true (hp_voice_say_parse (frame->data + 8, n, 4, &voice, &wpm, &text, &text_length, &error));
  assert_int_equal (voice, 3);
  assert_int_equal (wpm, 150);
  assert_int_equal (text_length, strlen ("Ça va ? ¿Qué tal?"));
  assert_memory_equal (text, "Ça va ? ¿Qué tal?", text_length);
  /* Voice 3 of only 3 is past the end. */
  assert_false (hp_voice_say_parse (frame->data + 8, n, 3, &voice, &wpm, &text, &text_length, &error));
  assert_true (g_error_matches (error, HP_VOICE_ERROR, HP_VOICE_ERROR_FRAME));
  g_clear_error (&error);
  hp_voice_frame_free (frame);

  frame = hp_voice_audio_new (samples, G_N_ELEMENTS (samples));
  assert_true (hp_voice_header_parse (frame->data, &kind, &n, &error));
  assert_int_equal (n, sizeof samples);
  /* Little-endian whatever the machine. */
  assert_int_equal (frame->data[8 + 6], 0xff);
  assert_int_equal (frame->data[8 + 7], 0x7f);
  assert_int_equal (frame->data[8 + 8], 0x00);
  assert_int_equal (frame->data[8 + 9], 0x80);
  hp_voice_frame_free (frame);

  frame = hp_voice_failure_new ("eSpeak NG cannot start");
  assert_true (hp_voice_header_parse (frame->data, &kind, &n, &error));
  failure = hp_voice_failure_parse (frame->data + 8, n);
  assert_string_equal (failure, "eSpeak NG cannot start");
  g_free (failure);
  hp_voice_frame_free (frame);
}

static gboolean
say_ok (guint32     voice,
        guint32     wpm,
        const char *text,
        gsize       text_length)
{
  g_autoptr(GByteArray) payload = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  guint8 numbers[8] = { voice & 0xff, (voice >> 8) & 0xff, (voice >> 16) & 0xff, voice >> 24,
                        wpm & 0xff, (wpm >> 8) & 0xff, (wpm >> 16) & 0xff, wpm >> 24 };
  const char *parsed;
  gsize n;
  guint v, w;
  gboolean ok;

  g_byte_array_append (payload, numbers, 8);
  g_byte_array_append (payload, (const guint8 *) text, (guint) text_length);
  ok = hp_voice_say_parse (payload->data, payload->len, 4, &v, &w, &parsed, &n, &error);
  assert_true (ok == (error == NULL));
  return ok;
}

/* The voice program checks what it is asked to read. */
static void
test_say_checks (void **state G_GNUC_UNUSED)
{
  g_autofree char *longest = g_strnfill (HP_VOICE_MAX_TEXT + 1, 'a');

  assert_true (say_ok (0, 150, "Hello.", 6));
  assert_true (say_ok (3, HP_VOICE_MIN_WPM, "", 0));
  assert_true (say_ok (3, HP_VOICE_MAX_WPM, "x", 1));
  assert_false (say_ok (4, 150, "Hello.", 6));
  assert_false (say_ok (G_MAXUINT32, 150, "Hello.", 6));
  assert_false (say_ok (0, HP_VOICE_MIN_WPM - 1, "Hello.", 6));
  assert_false (say_ok (0, HP_VOICE_MAX_WPM + 1, "Hello.", 6));
  /* Not UTF-8, or with a NUL inside. */
  assert_false (say_ok (0, 150, "caf\xe9", 4));
  assert_false (say_ok (0, 150, "Hel\0lo", 6));
  assert_false (say_ok (0, 150, "\xc3", 1));
  assert_true (say_ok (0, 150, longest, HP_VOICE_MAX_TEXT));
  assert_false (say_ok (0, 150, longest, HP_VOICE_MAX_TEXT + 1));
}

/* Other payloads, at and past their limits. */
static void
test_payload_checks (void **state G_GNUC_UNUSED)
{
  static const guint8 hello_low[8] = { 0x3f, 0x1f, 0, 0, 0, 0, 0, 0 };  /* 7999 Hz */
  static const guint8 hello_least[8] = { 0x40, 0x1f, 0, 0, 0, 0, 0, 0 };  /* 8000 Hz */
  static const guint8 hello_most[8] = { 0x00, 0x77, 0x01, 0, 0xff, 0xff, 0xff, 0xff };  /* 96000 Hz */
  static const guint8 hello_high[8] = { 0x01, 0x77, 0x01, 0, 0, 0, 0, 0 };  /* 96001 Hz */
  g_autoptr(GError) error = NULL;
  guint rate;
  guint32 missing;
  gint status;
  char *text;

  assert_false (hp_voice_hello_parse (hello_low, 8, &rate, &missing, &error));
  g_clear_error (&error);
  assert_true (hp_voice_hello_parse (hello_least, 8, &rate, &missing, &error));
  assert_int_equal (rate, 8000);
  assert_true (hp_voice_hello_parse (hello_most, 8, &rate, &missing, &error));
  assert_int_equal (rate, 96000);
  assert_int_equal (missing, 0xffffffffu);
  assert_false (hp_voice_hello_parse (hello_high, 8, &rate, &missing, &error));
  g_clear_error (&error);
  assert_false (hp_voice_hello_parse (hello_least, 7, &rate, &missing, &error));
  g_clear_error (&error);
  assert_false (hp_voice_end_parse (hello_least, 5, &status, &error));
  g_clear_error (&error);

  /* An empty failure, whose payload may be no memory at all. */
  text = hp_voice_failure_parse (NULL, 0);
  assert_string_equal (text, "");
  g_free (text);
  /* A failure's text is made valid UTF-8 and cut at the limit. */
  text = hp_voice_failure_parse ((const guint8 *) "bad \xff byte", 10);
  assert_true (g_utf8_validate (text, -1, NULL));
  assert_non_null (strstr (text, "bad "));
  g_free (text);
  {
    g_autofree char *long_failure = g_strnfill (HP_VOICE_MAX_FAILURE + 100, 'e');
    GByteArray *frame = hp_voice_failure_new (long_failure);

    assert_int_equal (frame->len, 8 + HP_VOICE_MAX_FAILURE);
    hp_voice_frame_free (frame);
  }
  {
    /* Cut inside a two-byte character: the whole character goes. */
    g_autofree char *accents = g_strnfill (HP_VOICE_MAX_FAILURE + 1, 'a');
    GByteArray *frame;

    accents[HP_VOICE_MAX_FAILURE - 1] = '\xc3';
    accents[HP_VOICE_MAX_FAILURE] = '\xa9';
    frame = hp_voice_failure_new (accents);
    assert_int_equal (frame->len, 8 + HP_VOICE_MAX_FAILURE - 1);
    hp_voice_frame_free (frame);
  }
}

/* Frames over a socket: whole, cut short, too slow. */
static void
test_read_write (void **state G_GNUC_UNUSED)
{
  g_autoptr(GByteArray) payload = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  GByteArray *frame;
  HpVoiceKind kind;
  int ends[2];

  assert_int_equal (socketpair (AF_UNIX, SOCK_STREAM, 0, ends), 0);

  frame = hp_voice_say_new (1, 150, "Hola.");
  assert_true (hp_voice_write_frame (ends[0], frame, &error));
  hp_voice_frame_free (frame);
  assert_true (hp_voice_read_frame (ends[1], 1000, &kind, payload, &error));
  assert_int_equal (kind, HP_VOICE_SAY);
  assert_int_equal (payload->len, 8 + 5);

  /* Nothing comes: the wait ends. */
  assert_false (hp_voice_read_frame (ends[1], 50, &kind, payload, &error));
  assert_true (g_error_matches (error, HP_VOICE_ERROR, HP_VOICE_ERROR_TIMEOUT));
  assert_int_equal (payload->len, 0);
  g_clear_error (&error);

  /* A header, then half the payload, then the writer goes. */
  {
    guint8 part[HP_VOICE_HEADER_SIZE + 2];

    header (part, 'E', 4);
    part[8] = part[9] = 0;
    assert_int_equal (write (ends[0], part, sizeof part), sizeof part);
  }
  close (ends[0]);
  assert_false (hp_voice_read_frame (ends[1], 1000, &kind, payload, &error));
  assert_true (g_error_matches (error, HP_VOICE_ERROR, HP_VOICE_ERROR_CLOSED));
  g_clear_error (&error);

  /* Writing to a closed socket is an error, not a SIGPIPE. */
  frame = hp_voice_cancel_new ();
  assert_int_equal (socketpair (AF_UNIX, SOCK_STREAM, 0, ends + 0), 0);
  close (ends[1]);
  assert_false (hp_voice_write_frame (ends[0], frame, &error));
  assert_true (g_error_matches (error, HP_VOICE_ERROR, HP_VOICE_ERROR_CLOSED));
  hp_voice_frame_free (frame);
  close (ends[0]);
}

/* The real voice program: greets, reads, and leaves with an error status
 * on a message that breaks the protocol. */
static GSubprocess *
start_voice (int *fd)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GByteArray) payload = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;
  HpVoiceKind kind;
  guint rate;
  guint32 missing;
  int ends[2];

  assert_int_equal (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends), 0);
  g_subprocess_launcher_take_stdin_fd (launcher, dup (ends[1]));
  g_subprocess_launcher_take_stdout_fd (launcher, ends[1]);
  process = g_subprocess_launcher_spawn (launcher, &error, voice_program, "en-us", "xx-no-such-voice", NULL);
  assert_non_null (process);
  g_clear_object (&launcher);
  *fd = ends[0];
  assert_true (hp_voice_read_frame (*fd, 30000, &kind, payload, &error));
  assert_int_equal (kind, HP_VOICE_HELLO);
  assert_true (hp_voice_hello_parse (payload->data, payload->len, &rate, &missing, &error));
  assert_int_equal (rate, 22050);
  /* The second voice does not exist. */
  assert_int_equal (missing, 0x2);
  return process;
}

static int
exit_status (GSubprocess *process)
{
  assert_true (g_subprocess_wait (process, NULL, NULL));
  assert_false (g_subprocess_get_if_signaled (process));
  return g_subprocess_get_exit_status (process);
}

static void
test_voice_program (void **state G_GNUC_UNUSED)
{
  g_autoptr(GByteArray) payload = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;
  GByteArray *frame;
  HpVoiceKind kind;
  guint64 samples = 0;
  gint status = -1;
  int fd;

  /* Reads a text and ends it. */
  process = start_voice (&fd);
  frame = hp_voice_say_new (0, 150, "Unos 2 minutos. Hello.");
  assert_true (hp_voice_write_frame (fd, frame, &error));
  hp_voice_frame_free (frame);
  for (;;)
    {
      assert_true (hp_voice_read_frame (fd, 30000, &kind, payload, &error));
      if (kind != HP_VOICE_AUDIO)
        break;
      samples += payload->len / 2;
    }
  assert_int_equal (kind, HP_VOICE_END);
  assert_true (hp_voice_end_parse (payload->data, payload->len, &status, &error));
  assert_int_equal (status, 0);
  /* About two seconds of speech. */
  assert_true (samples > 22050 / 2 && samples < 22050 * 10);

  /* A cancel that comes after the end is let be. */
  frame = hp_voice_cancel_new ();
  assert_true (hp_voice_write_frame (fd, frame, &error));
  hp_voice_frame_free (frame);
  /* The kiosk going away ends it quietly. */
  close (fd);
  assert_int_equal (exit_status (process), 0);
  g_object_unref (process);

  /* A voice that is not on its list. */
  process = start_voice (&fd);
  frame = hp_voice_say_new (2, 150, "Hello.");
  assert_true (hp_voice_write_frame (fd, frame, &error));
  hp_voice_frame_free (frame);
  assert_false (hp_voice_read_frame (fd, 30000, &kind, payload, &error));
  assert_true (g_error_matches (error, HP_VOICE_ERROR, HP_VOICE_ERROR_CLOSED));
  g_clear_error (&error);
  close (fd);
  assert_int_equal (exit_status (process), 4);
  g_object_unref (process);

  /* A frame of no known kind. */
  process = start_voice (&fd);
  assert_int_equal (write (fd, "Q\0\0\0\0\0\0\0", 8), 8);
  assert_false (hp_voice_read_frame (fd, 30000, &kind, payload, &error));
  g_clear_error (&error);
  close (fd);
  assert_int_equal (exit_status (process), 4);
  g_object_unref (process);

  /* Its own kind of message, sent back to it. */
  process = start_voice (&fd);
  frame = hp_voice_end_new (0);
  assert_true (hp_voice_write_frame (fd, frame, &error));
  hp_voice_frame_free (frame);
  close (fd);
  assert_int_equal (exit_status (process), 4);
  g_object_unref (process);
}

/* Without voices to offer, it does not start. */
static void
test_voice_program_usage (void **state G_GNUC_UNUSED)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                                                     &error, voice_program, NULL);

  assert_non_null (process);
  assert_int_equal (exit_status (process), 2);
}

int
main (int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_header_lengths),
    cmocka_unit_test (test_header_padding),
    cmocka_unit_test (test_round_trips),
    cmocka_unit_test (test_say_checks),
    cmocka_unit_test (test_payload_checks),
    cmocka_unit_test (test_read_write),
    cmocka_unit_test (test_voice_program),
    cmocka_unit_test (test_voice_program_usage),
  };

  if (argc != 2)
    {
      g_printerr ("usage: %s VOICE-PROGRAM\n", argv[0]);
      return 2;
    }
  voice_program = argv[1];
  return cmocka_run_group_tests (tests, NULL, NULL);
}
