/* Spoken guidance: the kiosk reads its screens aloud through eSpeak NG and GStreamer. */
#include "hp-speech-private.h"

#include <errno.h>
#include <gio/gio.h>
#include <gst/app/gstappsrc.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hp-build-config.h"
#include "hp-secret.h"
#include "hp-speech-enums.h"
#include "hp-voice-protocol.h"

/* eSpeak NG's own rate is 175 words a minute; listeners who are older or
 * hear the language as their second one follow a slower voice better. */
#define SPEECH_RATE_WPM 150
/* The voice program sends a piece of audio every 50 ms of speech, made
 * faster than it plays: this long without one, it is stuck. */
#define VOICE_TIMEOUT_MS 10000

/* Each step is about 4 dB above the one before (10^(4/20) = 1.585). */
static const double volume_factors[] = { 1.0, 1.585, 2.512 };

G_STATIC_ASSERT (G_N_ELEMENTS (volume_factors) == HP_SPEECH_VOLUME_LAST + 1);

#define HP_SPEECH_ERROR (hp_speech_error_quark ())

typedef enum {
  HP_SPEECH_ERROR_MISSING,  /* a GStreamer element or eSpeak NG's data is not installed */
  HP_SPEECH_ERROR_SINK,     /* the configured sink cannot be built or linked */
  HP_SPEECH_ERROR_VOICE,    /* no voice for the language */
  HP_SPEECH_ERROR_PROGRAM,  /* the voice program cannot start */
} HpSpeechError;

static G_DEFINE_QUARK (hp-speech-error-quark, hp_speech_error)

/* The language codes the kiosk offers, and eSpeak NG's voice for each:
 * American English and Latin American Spanish, as spoken where the
 * emergency number is 911. */
static const struct {
  const char *language;
  const char *voice;
} voices[] = {
  { "en", "en-us" },
  { "es", "es-419" },
  { "fr", "fr" },
  { "ar", "ar" },
};

/* What the main thread and the voice thread share about one HpSpeech: each
 * utterance has a number, and audio of any other number is dropped. The
 * lock makes "is this still the utterance?" and "push its audio" one step. */
typedef struct {
  GMutex lock;
  guint utterance;
} Line;

static Line *
line_new (void)
{
  Line *line = g_atomic_rc_box_new0 (Line);

  g_mutex_init (&line->lock);
  return line;
}

static void
line_clear (gpointer data)
{
  g_mutex_clear (&((Line *) data)->lock);
}

static void
line_unref (Line *line)
{
  g_atomic_rc_box_release_full (line, line_clear);
}

/* Ends whatever utterance is running; returns the next one's number. */
static guint
line_advance (Line *line)
{
  guint next;

  g_mutex_lock (&line->lock);
  next = ++line->utterance;
  g_mutex_unlock (&line->lock);
  return next;
}

/* What the voice thread builds for the main thread. */
typedef struct {
  GstElement *pipeline;
  GstElement *source;
  GstElement *gain;
  GstElement *sink;
  int sample_rate;
  /* Bit i set: voices[i] did not load. */
  guint missing_voices;
} Built;

static void
built_free (gpointer data)
{
  Built *built = data;

  if (built->pipeline != NULL)
    gst_object_unref (built->pipeline);
  g_free (built);
}

/* How to start the voice program; taken on the main thread, because
 * reading the environment while the main thread sets $LANGUAGE is not
 * safe. */
typedef struct {
  char *program;
  char **environment;
  guint timeout_ms;
} Launch;

static Launch *
launch_copy (const Launch *launch)
{
  Launch *copy = g_new0 (Launch, 1);

  copy->program = g_strdup (launch->program);
  copy->environment = g_strdupv (launch->environment);
  copy->timeout_ms = launch->timeout_ms;
  return copy;
}

static void
launch_free (Launch *launch)
{
  if (launch == NULL)
    return;
  g_free (launch->program);
  g_strfreev (launch->environment);
  g_free (launch);
}

struct _HpSpeech
{
  GObject parent_instance;

  char *sink_description;
  Launch launch;
  double normal_gain;
  gboolean enabled;
  HpSpeechVolume volume;
  gboolean speaking;

  Built *built;
  guint bus_watch;
  gboolean building;
  /* Bumped when the sink changes, so a pipeline built for the old one is
   * thrown away. */
  guint sink_serial;

  Line *line;
  char *pending_text;
  guint pending_voice;
  gboolean has_pending;

  /* A failure was logged and nothing has played since: the next failure,
   * likely the same, is not logged again. */
  gboolean reported;
};

G_DEFINE_FINAL_TYPE (HpSpeech, hp_speech, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ENABLED,
  PROP_VOLUME,
  PROP_SPEAKING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- The voice thread ----
 *
 * eSpeak NG runs in the voice program, healthpost-voice, so that a fault
 * in it cannot end the kiosk. One thread for the whole process talks to
 * that program, one job at a time, and pushes its audio into the
 * pipeline. It also loads GStreamer and builds pipelines, which reads the
 * plugin registry: none of that may hold up the screen. */

typedef enum {
  JOB_BUILD,
  JOB_SPEAK,
} JobKind;

typedef struct {
  JobKind kind;
  Launch *launch;
  /* JOB_BUILD: returns a Built or an error to the main thread. */
  GTask *task;
  char *sink_description;
  /* JOB_SPEAK */
  Line *line;
  guint utterance;
  GstAppSrc *source;
  char *text;
  guint voice;
  int sample_rate;
  guint64 samples;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->task);
  g_clear_pointer (&job->launch, launch_free);
  g_free (job->sink_description);
  g_clear_pointer (&job->line, line_unref);
  if (job->source != NULL)
    gst_object_unref (job->source);
  if (job->text != NULL)
    {
      /* The text may be a result: leave no copy of it in freed memory. */
      hp_secret_wipe (job->text, strlen (job->text));
      g_free (job->text);
    }
  g_free (job);
}

static GAsyncQueue *voice_jobs;

/* The voice program as the voice thread knows it; only that thread
 * touches it. */
static struct {
  GSubprocess *process;
  /* What it was started with: other settings start another. */
  Launch *launch;
  int fd;
  int sample_rate;
  guint32 missing_voices;
  /* A failed start was logged: the next, likely the same, is not. */
  gboolean start_failure_logged;
} voice_program = { .fd = -1 };

static char *
describe_end (GSubprocess *process)
{
  if (g_subprocess_get_if_signaled (process))
    return g_strdup_printf ("ended by signal %d (%s)", g_subprocess_get_term_sig (process),
                            g_strsignal (g_subprocess_get_term_sig (process)));
  return g_strdup_printf ("exited with status %d", g_subprocess_get_exit_status (process));
}

/* Ends the voice program and says how it ended. When it is already going
 * (it closed its side), it is let finish; otherwise it is killed. */
static char *
voice_program_stop (gboolean kill)
{
  char *end;

  if (voice_program.process == NULL)
    return NULL;
  if (kill)
    g_subprocess_force_exit (voice_program.process);
  /* Closing our end first lets a program that waits on it leave. */
  if (voice_program.fd >= 0)
    close (voice_program.fd);
  voice_program.fd = -1;
  g_subprocess_wait (voice_program.process, NULL, NULL);
  end = describe_end (voice_program.process);
  g_clear_object (&voice_program.process);
  g_clear_pointer (&voice_program.launch, launch_free);
  return end;
}

static gboolean
voice_program_start (const Launch  *launch,
                     GError       **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GByteArray) payload = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *end = NULL;
  const char *argv[G_N_ELEMENTS (voices) + 2];
  HpVoiceKind kind;
  guint rate;
  int ends[2];

  if (voice_program.process != NULL &&
      g_str_equal (voice_program.launch->program, launch->program) &&
      g_strv_equal ((const char * const *) voice_program.launch->environment,
                    (const char * const *) launch->environment))
    return TRUE;
  g_free (voice_program_stop (TRUE));

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0)
    {
      int saved = errno;

      g_set_error (error, HP_SPEECH_ERROR, HP_SPEECH_ERROR_PROGRAM,
                   "no connection for the voice program: %s", g_strerror (saved));
      return FALSE;
    }
  argv[0] = launch->program;
  for (guint i = 0; i < G_N_ELEMENTS (voices); i++)
    argv[i + 1] = voices[i].voice;
  argv[G_N_ELEMENTS (voices) + 1] = NULL;
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_environ (launcher, launch->environment);
  g_subprocess_launcher_take_stdin_fd (launcher, dup (ends[1]));
  g_subprocess_launcher_take_stdout_fd (launcher, ends[1]);
  voice_program.process = g_subprocess_launcher_spawnv (launcher, argv, &local_error);
  /* The launcher holds the program's end until it goes. */
  g_clear_object (&launcher);
  if (voice_program.process == NULL)
    {
      close (ends[0]);
      g_set_error (error, HP_SPEECH_ERROR, HP_SPEECH_ERROR_PROGRAM,
                   "the voice program “%s” cannot start: %s", launch->program, local_error->message);
      return FALSE;
    }
  voice_program.fd = ends[0];
  voice_program.launch = launch_copy (launch);

  payload = g_byte_array_new ();
  if (hp_voice_read_frame (voice_program.fd, (int) launch->timeout_ms, &kind, payload, &local_error))
    {
      if (kind == HP_VOICE_HELLO &&
          hp_voice_hello_parse (payload->data, payload->len, &rate, &voice_program.missing_voices, &local_error))
        {
          voice_program.sample_rate = (int) rate;
          voice_program.start_failure_logged = FALSE;
          return TRUE;
        }
      if (kind == HP_VOICE_FAILURE)
        {
          g_autofree char *why = hp_voice_failure_parse (payload->data, payload->len);

          g_free (voice_program_stop (FALSE));
          g_set_error_literal (error, HP_SPEECH_ERROR, HP_SPEECH_ERROR_MISSING, why);
          return FALSE;
        }
      if (local_error == NULL)
        g_set_error (&local_error, HP_VOICE_ERROR, HP_VOICE_ERROR_FRAME,
                     "it began with a message of kind “%c”", kind);
    }
  end = voice_program_stop (!g_error_matches (local_error, HP_VOICE_ERROR, HP_VOICE_ERROR_CLOSED));
  g_set_error (error, HP_SPEECH_ERROR, HP_SPEECH_ERROR_PROGRAM,
               "the voice program “%s” did not start (%s; it %s)", launch->program, local_error->message, end);
  return FALSE;
}

static GstElement *
make_element (const char  *factory,
              const char  *package,
              GError     **error)
{
  GstElement *element = gst_element_factory_make (factory, NULL);

  if (element == NULL)
    g_set_error (error, HP_SPEECH_ERROR, HP_SPEECH_ERROR_MISSING,
                 "the GStreamer element “%s” is missing (package %s)", factory, package);
  return element;
}

static Built *
voice_thread_build (const char    *sink_description,
                    const Launch  *launch,
                    GError       **error)
{
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstCaps) caps = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree Built *built = g_new0 (Built, 1);
  GstElement *convert, *resample;

  if (!gst_init_check (NULL, NULL, error) ||
      !voice_program_start (launch, error))
    return NULL;
  built->sample_rate = voice_program.sample_rate;
  built->missing_voices = voice_program.missing_voices;

  pipeline = gst_object_ref_sink (gst_pipeline_new ("hp-speech"));
  if ((built->source = make_element ("appsrc", "gstreamer1.0-plugins-base", error)) == NULL)
    return NULL;
  gst_bin_add (GST_BIN (pipeline), built->source);
  if ((built->gain = make_element ("volume", "gstreamer1.0-plugins-base", error)) == NULL)
    return NULL;
  gst_bin_add (GST_BIN (pipeline), built->gain);
  if ((convert = make_element ("audioconvert", "gstreamer1.0-plugins-base", error)) == NULL)
    return NULL;
  gst_bin_add (GST_BIN (pipeline), convert);
  if ((resample = make_element ("audioresample", "gstreamer1.0-plugins-base", error)) == NULL)
    return NULL;
  gst_bin_add (GST_BIN (pipeline), resample);

  built->sink = gst_parse_bin_from_description_full (sink_description, TRUE, NULL,
                                                     GST_PARSE_FLAG_FATAL_ERRORS |
                                                     GST_PARSE_FLAG_NO_SINGLE_ELEMENT_BINS,
                                                     &local_error);
  if (built->sink == NULL)
    {
      g_set_error (error, HP_SPEECH_ERROR, HP_SPEECH_ERROR_SINK,
                   "the audio sink “%s” cannot be made: %s", sink_description, local_error->message);
      return NULL;
    }
  gst_bin_add (GST_BIN (pipeline), built->sink);

  /* The voice program sends little-endian samples, whatever the machine. */
  caps = gst_caps_new_simple ("audio/x-raw",
                              "format", G_TYPE_STRING, "S16LE",
                              "layout", G_TYPE_STRING, "interleaved",
                              "rate", G_TYPE_INT, built->sample_rate,
                              "channels", G_TYPE_INT, 1,
                              NULL);
  g_object_set (built->source, "caps", caps, "format", GST_FORMAT_TIME, NULL);
  if (!gst_element_link_many (built->source, built->gain, convert, resample, built->sink, NULL))
    {
      g_set_error (error, HP_SPEECH_ERROR, HP_SPEECH_ERROR_SINK,
                   "the audio sink “%s” does not take audio", sink_description);
      return NULL;
    }
  built->pipeline = g_steal_pointer (&pipeline);
  return g_steal_pointer (&built);
}

/* Pushes a piece of the utterance's audio; FALSE when the utterance no
 * longer wants it (a newer one has the line, or the pipeline stopped). */
static gboolean
voice_thread_push (Job          *job,
                   const guint8 *data,
                   gsize         length)
{
  GstBuffer *buffer;
  GstFlowReturn flow;
  guint64 n_samples = length / 2;

  g_mutex_lock (&job->line->lock);
  if (job->line->utterance != job->utterance)
    {
      g_mutex_unlock (&job->line->lock);
      return FALSE;
    }
  if (n_samples == 0)
    {
      g_mutex_unlock (&job->line->lock);
      return TRUE;
    }
  buffer = gst_buffer_new_memdup (data, length);
  GST_BUFFER_PTS (buffer) = gst_util_uint64_scale_int (job->samples, GST_SECOND, job->sample_rate);
  job->samples += n_samples;
  GST_BUFFER_DURATION (buffer) = gst_util_uint64_scale_int (job->samples, GST_SECOND, job->sample_rate)
                                 - GST_BUFFER_PTS (buffer);
  flow = gst_app_src_push_buffer (job->source, buffer);
  g_mutex_unlock (&job->line->lock);
  /* Flushing: the pipeline was stopped; nothing more to play. */
  return flow == GST_FLOW_OK;
}

/* The voice program failed while reading: it is ended and started again
 * for the next words. Staff read why; never the words. */
static void
voice_thread_lose_program (const GError *error)
{
  g_autofree char *end = voice_program_stop (!g_error_matches (error, HP_VOICE_ERROR, HP_VOICE_ERROR_CLOSED));

  g_message ("the voice program failed while reading (%s; it %s); "
             "it starts again for the next words", error->message, end);
}

/* Reads the job's text through the voice program, pushing its audio, until
 * the program says the text has ended. */
static void
voice_thread_read_aloud (Job *job)
{
  g_autoptr(GByteArray) payload = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  GByteArray *say;
  gboolean sent, cancelled = FALSE;

  if (!voice_program_start (job->launch, &error))
    {
      if (!voice_program.start_failure_logged)
        g_message ("spoken guidance is silent: %s", error->message);
      voice_program.start_failure_logged = TRUE;
      return;
    }
  say = hp_voice_say_new (job->voice, SPEECH_RATE_WPM, job->text);
  sent = hp_voice_write_frame (voice_program.fd, say, &error);
  hp_voice_frame_free (say);
  if (!sent)
    {
      voice_thread_lose_program (error);
      return;
    }
  for (;;)
    {
      HpVoiceKind kind;
      gint status;

      if (!hp_voice_read_frame (voice_program.fd, (int) job->launch->timeout_ms, &kind, payload, &error))
        break;
      if (kind == HP_VOICE_END)
        {
          if (!hp_voice_end_parse (payload->data, payload->len, &status, &error))
            break;
          if (status != 0 && !cancelled)
            g_message ("eSpeak NG could not read a text (error %d)", status);
          return;
        }
      if (kind != HP_VOICE_AUDIO)
        {
          g_set_error (&error, HP_VOICE_ERROR, HP_VOICE_ERROR_FRAME,
                       "a message of kind “%c” while reading", kind);
          break;
        }
      /* Once cut off, the rest of the text's audio is dropped. */
      if (!cancelled && !voice_thread_push (job, payload->data, payload->len))
        {
          g_autoptr(GByteArray) cancel = hp_voice_cancel_new ();

          cancelled = TRUE;
          if (!hp_voice_write_frame (voice_program.fd, cancel, &error))
            break;
        }
    }
  voice_thread_lose_program (error);
}

static void
voice_thread_speak (Job *job)
{
  gboolean current;

  g_mutex_lock (&job->line->lock);
  current = job->line->utterance == job->utterance;
  g_mutex_unlock (&job->line->lock);
  if (!current)
    return;

  voice_thread_read_aloud (job);

  /* End the stream even after a failure, so the utterance ends. */
  g_mutex_lock (&job->line->lock);
  if (job->line->utterance == job->utterance)
    gst_app_src_end_of_stream (job->source);
  g_mutex_unlock (&job->line->lock);
}

static gpointer
voice_thread (gpointer data)
{
  GAsyncQueue *jobs = data;

  for (;;)
    {
      Job *job = g_async_queue_pop (jobs);
      g_autoptr(GError) error = NULL;
      Built *built;

      switch (job->kind)
        {
        case JOB_BUILD:
          built = voice_thread_build (job->sink_description, job->launch, &error);
          if (built != NULL)
            g_task_return_pointer (job->task, built, built_free);
          else
            g_task_return_error (job->task, g_steal_pointer (&error));
          break;
        case JOB_SPEAK:
          voice_thread_speak (job);
          break;
        default:
          g_assert_not_reached ();
        }
      job_free (job);
    }
  return NULL;
}

static void
queue_job (Job *job)
{
  static gsize started;

  if (g_once_init_enter (&started))
    {
      voice_jobs = g_async_queue_new ();
      /* It lives as long as the process, as does the voice program. */
      g_thread_unref (g_thread_new ("hp-voice", voice_thread, g_async_queue_ref (voice_jobs)));
      g_once_init_leave (&started, 1);
    }
  g_async_queue_push (voice_jobs, job);
}

/* ---- The main thread ---- */

const char *
hp_speech_voice_for_language (const char *language)
{
  for (guint i = 0; i < G_N_ELEMENTS (voices); i++)
    if (g_strcmp0 (voices[i].language, language) == 0)
      return voices[i].voice;
  return NULL;
}

static void
report (HpSpeech     *self,
        const GError *error)
{
  if (self->reported)
    return;
  self->reported = TRUE;
  /* For staff, who can fix the audio; never the words being spoken. */
  g_message ("spoken guidance is silent: %s", error->message);
}

static void
set_speaking (HpSpeech *self,
              gboolean  speaking)
{
  if (self->speaking == speaking)
    return;
  self->speaking = speaking;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEAKING]);
}

static void
clear_pending (HpSpeech *self)
{
  if (self->pending_text != NULL)
    hp_secret_wipe (self->pending_text, strlen (self->pending_text));
  g_clear_pointer (&self->pending_text, g_free);
  self->has_pending = FALSE;
}

static double
gain_of (HpSpeech *self)
{
  return self->normal_gain * volume_factors[self->volume];
}

/* Stops the pipeline and the voice thread's work for it. */
static void
halt (HpSpeech *self)
{
  line_advance (self->line);
  if (self->built != NULL)
    gst_element_set_state (self->built->pipeline, GST_STATE_NULL);
}

static void
fail (HpSpeech     *self,
      const GError *error)
{
  halt (self);
  clear_pending (self);
  report (self, error);
  set_speaking (self, FALSE);
}

/* The error a sink that refused to start put on the bus, if any. */
static GError *
take_bus_error (HpSpeech *self)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (self->built->pipeline);
  g_autoptr(GstMessage) message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  GError *error = NULL;

  if (message != NULL)
    gst_message_parse_error (message, &error, NULL);
  else
    error = g_error_new (HP_SPEECH_ERROR, HP_SPEECH_ERROR_SINK,
                         "the audio sink “%s” does not start", self->sink_description);
  return error;
}

static void
start_utterance (HpSpeech *self)
{
  g_autoptr(GError) error = NULL;
  Job *job;
  guint voice = self->pending_voice;

  if (self->built->missing_voices & (1u << voice))
    {
      error = g_error_new (HP_SPEECH_ERROR, HP_SPEECH_ERROR_VOICE,
                           "eSpeak NG has no voice “%s” (package espeak-ng-data)", voices[voice].voice);
      fail (self, error);
      return;
    }

  job = g_new0 (Job, 1);
  job->kind = JOB_SPEAK;
  job->line = g_atomic_rc_box_acquire (self->line);
  job->source = GST_APP_SRC (gst_object_ref (self->built->source));
  job->launch = launch_copy (&self->launch);
  job->text = g_steal_pointer (&self->pending_text);
  job->voice = voice;
  job->sample_rate = self->built->sample_rate;
  self->has_pending = FALSE;

  /* Stopping flushes the old utterance's audio and its bus messages. */
  job->utterance = line_advance (self->line);
  gst_element_set_state (self->built->pipeline, GST_STATE_NULL);
  g_object_set (self->built->gain, "volume", gain_of (self), NULL);
  if (gst_element_set_state (self->built->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      error = take_bus_error (self);
      job_free (job);
      fail (self, error);
      return;
    }
  queue_job (job);
}

static gboolean
on_bus_message (GstBus     *bus G_GNUC_UNUSED,
                GstMessage *message,
                gpointer    user_data)
{
  HpSpeech *self = user_data;

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) error = NULL;

      gst_message_parse_error (message, &error, NULL);
      fail (self, error);
    }
  else if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS)
    {
      /* Played to its end: the audio works, and the device is let go. */
      self->reported = FALSE;
      halt (self);
      set_speaking (self, FALSE);
    }
  return G_SOURCE_CONTINUE;
}

static void
drop_pipeline (HpSpeech *self)
{
  if (self->built == NULL)
    return;
  halt (self);
  g_clear_handle_id (&self->bus_watch, g_source_remove);
  g_clear_pointer (&self->built, built_free);
}

static void start_build (HpSpeech *self);

static void
on_built (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data G_GNUC_UNUSED)
{
  HpSpeech *self = HP_SPEECH (source);
  g_autoptr(GError) error = NULL;
  Built *built;

  self->building = FALSE;
  built = g_task_propagate_pointer (G_TASK (result), &error);
  if (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (result), "hp-sink-serial")) != self->sink_serial)
    {
      /* Built for a sink that has been replaced since. */
      g_clear_pointer (&built, built_free);
      if (self->has_pending)
        start_build (self);
      return;
    }
  if (built == NULL)
    {
      if (self->has_pending)
        fail (self, error);
      else
        report (self, error);
      return;
    }

  self->built = built;
  {
    g_autoptr(GstBus) bus = gst_element_get_bus (built->pipeline);

    self->bus_watch = gst_bus_add_watch (bus, on_bus_message, self);
  }
  if (self->has_pending)
    start_utterance (self);
}

static void
start_build (HpSpeech *self)
{
  Job *job;

  if (self->built != NULL || self->building)
    return;
  self->building = TRUE;
  job = g_new0 (Job, 1);
  job->kind = JOB_BUILD;
  /* The task keeps self alive until the pipeline is handed over. */
  job->task = g_task_new (self, NULL, on_built, NULL);
  job->sink_description = g_strdup (self->sink_description);
  job->launch = launch_copy (&self->launch);
  g_object_set_data (G_OBJECT (job->task), "hp-sink-serial", GUINT_TO_POINTER (self->sink_serial));
  queue_job (job);
}

static void
hp_speech_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  HpSpeech *self = HP_SPEECH (object);

  switch (prop_id)
    {
    case PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;
    case PROP_VOLUME:
      g_value_set_enum (value, self->volume);
      break;
    case PROP_SPEAKING:
      g_value_set_boolean (value, self->speaking);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hp_speech_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  HpSpeech *self = HP_SPEECH (object);

  switch (prop_id)
    {
    case PROP_ENABLED:
      hp_speech_set_enabled (self, g_value_get_boolean (value));
      break;
    case PROP_VOLUME:
      hp_speech_set_volume (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hp_speech_dispose (GObject *object)
{
  HpSpeech *self = HP_SPEECH (object);

  clear_pending (self);
  drop_pipeline (self);

  G_OBJECT_CLASS (hp_speech_parent_class)->dispose (object);
}

static void
hp_speech_finalize (GObject *object)
{
  HpSpeech *self = HP_SPEECH (object);

  g_clear_pointer (&self->line, line_unref);
  g_free (self->sink_description);
  g_free (self->launch.program);
  g_strfreev (self->launch.environment);

  G_OBJECT_CLASS (hp_speech_parent_class)->finalize (object);
}

static void
hp_speech_class_init (HpSpeechClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = hp_speech_get_property;
  object_class->set_property = hp_speech_set_property;
  object_class->dispose = hp_speech_dispose;
  object_class->finalize = hp_speech_finalize;

  properties[PROP_ENABLED] =
    g_param_spec_boolean ("enabled", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VOLUME] =
    g_param_spec_enum ("volume", NULL, NULL, HP_TYPE_SPEECH_VOLUME, HP_SPEECH_VOLUME_NORMAL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SPEAKING] =
    g_param_spec_boolean ("speaking", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hp_speech_init (HpSpeech *self)
{
  self->line = line_new ();
  self->volume = HP_SPEECH_VOLUME_NORMAL;
}

HpSpeech *
hp_speech_new (const char *sink,
               double      normal_gain)
{
  HpSpeech *self;

  g_return_val_if_fail (sink != NULL, NULL);
  g_return_val_if_fail (normal_gain > 0.0 && normal_gain <= 1.0, NULL);

  self = g_object_new (HP_TYPE_SPEECH, NULL);
  self->sink_description = g_strdup (sink);
  self->normal_gain = normal_gain;
  /* Tests and a kiosk run from its build folder name the program built
   * there. */
  self->launch.program = g_strdup (g_getenv ("HEALTHPOST_VOICE_PROGRAM"));
  if (self->launch.program == NULL)
    self->launch.program = g_strdup (HP_VOICE_PROGRAM);
  self->launch.environment = g_get_environ ();
  self->launch.timeout_ms = VOICE_TIMEOUT_MS;
  return self;
}

void
hp_speech_set_voice_timeout (HpSpeech *self,
                             guint     timeout_ms)
{
  g_return_if_fail (HP_IS_SPEECH (self));
  g_return_if_fail (timeout_ms > 0 && timeout_ms <= G_MAXINT);
  self->launch.timeout_ms = timeout_ms;
}

void
hp_speech_set_enabled (HpSpeech *self,
                       gboolean  enabled)
{
  g_return_if_fail (HP_IS_SPEECH (self));

  enabled = !!enabled;
  if (self->enabled == enabled)
    return;
  self->enabled = enabled;
  if (enabled)
    hp_speech_prepare (self);
  else
    hp_speech_stop (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
}

gboolean
hp_speech_get_enabled (HpSpeech *self)
{
  g_return_val_if_fail (HP_IS_SPEECH (self), FALSE);
  return self->enabled;
}

void
hp_speech_set_volume (HpSpeech       *self,
                      HpSpeechVolume  volume)
{
  g_return_if_fail (HP_IS_SPEECH (self));
  g_return_if_fail (volume <= HP_SPEECH_VOLUME_LAST);

  if (self->volume == volume)
    return;
  self->volume = volume;
  /* The volume element takes a new level while it plays. */
  if (self->built != NULL)
    g_object_set (self->built->gain, "volume", gain_of (self), NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VOLUME]);
}

HpSpeechVolume
hp_speech_get_volume (HpSpeech *self)
{
  g_return_val_if_fail (HP_IS_SPEECH (self), HP_SPEECH_VOLUME_NORMAL);
  return self->volume;
}

void
hp_speech_set_sink (HpSpeech   *self,
                    const char *sink)
{
  g_return_if_fail (HP_IS_SPEECH (self));
  g_return_if_fail (sink != NULL);

  if (g_strcmp0 (self->sink_description, sink) == 0)
    return;
  g_free (self->sink_description);
  self->sink_description = g_strdup (sink);
  self->sink_serial++;
  /* A new sink may fail anew, and staff should hear of it. */
  self->reported = FALSE;
  drop_pipeline (self);
  set_speaking (self, self->has_pending);
}

void
hp_speech_prepare (HpSpeech *self)
{
  g_return_if_fail (HP_IS_SPEECH (self));
  start_build (self);
}

void
hp_speech_say (HpSpeech   *self,
               const char *text,
               const char *language)
{
  g_return_if_fail (HP_IS_SPEECH (self));
  g_return_if_fail (text != NULL);

  if (!self->enabled)
    return;

  clear_pending (self);
  for (guint i = 0; i < G_N_ELEMENTS (voices); i++)
    if (g_strcmp0 (voices[i].language, language) == 0)
      {
        self->pending_voice = i;
        self->has_pending = TRUE;
      }
  if (!self->has_pending)
    {
      g_autoptr(GError) error = g_error_new (HP_SPEECH_ERROR, HP_SPEECH_ERROR_VOICE,
                                             "no voice for the language “%s”",
                                             language != NULL ? language : "(none)");
      fail (self, error);
      return;
    }
  if (*text == '\0')
    {
      /* Nothing to say: still, whatever was being said is over. */
      clear_pending (self);
      halt (self);
      set_speaking (self, FALSE);
      return;
    }

  self->pending_text = g_strdup (text);
  set_speaking (self, TRUE);
  if (self->built != NULL)
    start_utterance (self);
  else
    start_build (self);
}

void
hp_speech_stop (HpSpeech *self)
{
  g_return_if_fail (HP_IS_SPEECH (self));

  clear_pending (self);
  halt (self);
  set_speaking (self, FALSE);
}

gboolean
hp_speech_get_speaking (HpSpeech *self)
{
  g_return_val_if_fail (HP_IS_SPEECH (self), FALSE);
  return self->speaking;
}

void
hp_speech_reset (HpSpeech *self)
{
  g_return_if_fail (HP_IS_SPEECH (self));

  hp_speech_stop (self);
  hp_speech_set_enabled (self, FALSE);
  hp_speech_set_volume (self, HP_SPEECH_VOLUME_NORMAL);
}

GstElement *
hp_speech_get_sink (HpSpeech *self)
{
  g_return_val_if_fail (HP_IS_SPEECH (self), NULL);
  return self->built != NULL ? self->built->sink : NULL;
}
