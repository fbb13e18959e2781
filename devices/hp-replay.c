/* Decoding a capture: the unmodified driver talks to a far end that answers with the recorded device's messages. */
#include "hp-replay.h"

#include <string.h>

#include "hp-simulator-transport.h"

/* How long the driver may stay silent after the replay has sent all it
 * can before the next request: longer than any step a driver takes on a
 * timer of its own (the Omron drivers ask again after 1 s). */
#define REPLAY_SILENCE_MS 1500

static guint silence_ms = REPLAY_SILENCE_MS;

void
hp_replay_set_silence_ms (guint ms)
{
  g_return_if_fail (ms > 0);
  silence_ms = ms;
}

/* Bytes of a request quoted in a message. */
#define QUOTED_BYTES 24

#define HP_TYPE_REPLAY_AGENT (hp_replay_agent_get_type ())
G_DECLARE_FINAL_TYPE (HpReplayAgent, hp_replay_agent, HP, REPLAY_AGENT, GObject)

struct _HpReplayAgent
{
  GObject parent_instance;

  HpSimulatorTransport *transport; /* not owned: it owns this agent */
  GPtrArray *messages;
  HpReplaySignificantFunc significant;
  GPtrArray *differences;          /* may be %NULL */
  guint cursor;                    /* the next capture message */
  guint last_line;                 /* of the last device message sent; 0 before any */
  GQueue in_flight;                /* lines of messages sent, not yet heard by the driver */
  guint heard_line;                /* of the last device message the driver heard; 0 before any */
  char *stopped;                   /* why the replay unplugged the device */
  GSource *silence;
};

G_DEFINE_FINAL_TYPE (HpReplayAgent, hp_replay_agent, G_TYPE_OBJECT)

static void
stop_silence (HpReplayAgent *self)
{
  if (self->silence != NULL)
    {
      g_source_destroy (self->silence);
      g_clear_pointer (&self->silence, g_source_unref);
    }
}

static void
hp_replay_agent_dispose (GObject *object)
{
  HpReplayAgent *self = HP_REPLAY_AGENT (object);

  stop_silence (self);
  G_OBJECT_CLASS (hp_replay_agent_parent_class)->dispose (object);
}

static void
hp_replay_agent_finalize (GObject *object)
{
  HpReplayAgent *self = HP_REPLAY_AGENT (object);

  g_clear_pointer (&self->messages, g_ptr_array_unref);
  g_clear_pointer (&self->differences, g_ptr_array_unref);
  g_queue_clear (&self->in_flight);
  g_free (self->stopped);
  G_OBJECT_CLASS (hp_replay_agent_parent_class)->finalize (object);
}

static void
hp_replay_agent_class_init (HpReplayAgentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hp_replay_agent_dispose;
  object_class->finalize = hp_replay_agent_finalize;
}

static void
hp_replay_agent_init (HpReplayAgent *self G_GNUC_UNUSED)
{
}

gsize
hp_replay_significant_without_padding (const guint8 *request,
                                       gsize         len)
{
  while (len > 0 && request[len - 1] == 0)
    len--;
  return len;
}

static const HpCaptureMessage *
message_at (HpReplayAgent *self,
            guint          index)
{
  return g_ptr_array_index (self->messages, index);
}

static char *
quote (const guint8 *data,
       gsize         len)
{
  GString *text = g_string_new (NULL);

  for (gsize i = 0; i < MIN (len, (gsize) QUOTED_BYTES); i++)
    g_string_append_printf (text, "%s%02x", i > 0 ? " " : "", data[i]);
  if (len > QUOTED_BYTES)
    g_string_append (text, " …");
  return g_string_free (text, FALSE);
}

G_GNUC_PRINTF (2, 3)
static void
note_difference (HpReplayAgent *self,
                 const char    *format,
                 ...)
{
  va_list args;

  if (self->differences == NULL)
    return;
  va_start (args, format);
  g_ptr_array_add (self->differences, g_strdup_vprintf (format, args));
  va_end (args);
}

G_GNUC_PRINTF (2, 3)
static void
unplug (HpReplayAgent *self,
        const char    *format,
        ...)
{
  va_list args;

  stop_silence (self);
  if (self->stopped != NULL)
    return;
  va_start (args, format);
  self->stopped = g_strdup_vprintf (format, args);
  va_end (args);
  hp_simulator_transport_unplug (self->transport);
}

static gboolean
silence_passed (gpointer user_data)
{
  HpReplayAgent *self = user_data;

  g_clear_pointer (&self->silence, g_source_unref);
  if (self->cursor == self->messages->len)
    unplug (self, "the capture ends at line %u before the driver has a reading", self->last_line);
  else
    unplug (self, "after line %u the driver waits for an answer the capture does not hold "
            "(the recorded host sent line %u next)", self->last_line, message_at (self, self->cursor)->line);
  return G_SOURCE_REMOVE;
}

static void
arm_silence (HpReplayAgent *self)
{
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();

  stop_silence (self);
  self->silence = g_timeout_source_new (silence_ms);
  g_source_set_callback (self->silence, silence_passed, self, NULL);
  g_source_set_static_name (self->silence, "[healthpost] replay silence");
  g_source_attach (self->silence, context);
}

/* Sends the device's messages from the cursor up to the next request. */
static void
send_device_messages (HpReplayAgent *self)
{
  for (; self->cursor < self->messages->len; self->cursor++)
    {
      const HpCaptureMessage *message = message_at (self, self->cursor);
      gsize len;
      const guint8 *data;

      if (message->direction == HP_CAPTURE_TO_DEVICE)
        break;
      data = g_bytes_get_data (message->bytes, &len);
      hp_simulator_transport_agent_send (self->transport, data, len);
      self->last_line = message->line;
      g_queue_push_tail (&self->in_flight, GUINT_TO_POINTER (message->line));
    }

  /* The driver now either asks for more or has what it needs; if it stays
   * silent it waits for something the capture does not hold, and a device
   * with nothing more to say is gone. */
  arm_silence (self);
}

static gboolean
same_request (HpReplayAgent          *self,
              const guint8           *sent,
              gsize                   sent_len,
              const HpCaptureMessage *message)
{
  gsize len;
  const guint8 *recorded = g_bytes_get_data (message->bytes, &len);
  gsize n = self->significant (sent, sent_len);

  return message->direction == HP_CAPTURE_TO_DEVICE && n <= sent_len && n <= len
         && memcmp (sent, recorded, n) == 0;
}

static void
on_incoming (HpTransport *transport G_GNUC_UNUSED,
             GBytes      *bytes G_GNUC_UNUSED,
             gpointer     user_data)
{
  HpReplayAgent *self = user_data;

  if (!g_queue_is_empty (&self->in_flight))
    self->heard_line = GPOINTER_TO_UINT (g_queue_pop_head (&self->in_flight));
}

static void
on_host_opened (HpSimulatorTransport *transport G_GNUC_UNUSED,
                gpointer              user_data)
{
  send_device_messages (user_data);
}

static void
on_host_sent (HpSimulatorTransport *transport G_GNUC_UNUSED,
              GBytes               *bytes,
              gpointer              user_data)
{
  HpReplayAgent *self = user_data;
  gsize sent_len, recorded_len;
  const guint8 *sent = g_bytes_get_data (bytes, &sent_len);
  const guint8 *recorded;
  const HpCaptureMessage *found;
  guint at, skipped = 0;

  if (self->stopped != NULL)
    return;
  stop_silence (self);

  for (at = self->cursor; at < self->messages->len; at++)
    if (same_request (self, sent, sent_len, message_at (self, at)))
      break;
  if (at == self->messages->len)
    {
      g_autofree char *quoted = quote (sent, self->significant (sent, sent_len));

      if (self->cursor == self->messages->len)
        unplug (self, "the capture ends at line %u; the driver then sent %s and got no answer",
                self->last_line, quoted);
      else
        unplug (self, "the driver sent %s after line %u; the recorded host never sent it from there on",
                quoted, self->last_line);
      return;
    }

  for (guint i = self->cursor; i < at; i++)
    if (message_at (self, i)->direction == HP_CAPTURE_TO_DEVICE)
      skipped++;
  if (skipped > 0)
    note_difference (self, "lines %u to %u: %u request%s of the recorded host the driver did not make, "
                     "and what answered them, left out", message_at (self, self->cursor)->line,
                     message_at (self, at - 1)->line, skipped, skipped == 1 ? "" : "s");

  found = message_at (self, at);
  recorded = g_bytes_get_data (found->bytes, &recorded_len);
  if (hp_replay_significant_without_padding (sent, sent_len) != hp_replay_significant_without_padding (recorded, recorded_len) ||
      memcmp (sent, recorded, hp_replay_significant_without_padding (sent, sent_len)) != 0)
    {
      g_autofree char *quoted = quote (sent, hp_replay_significant_without_padding (sent, sent_len));

      note_difference (self, "line %u: the same request, apart from bytes the replay does not compare "
                       "(the driver sent %s)", found->line, quoted);
    }

  self->cursor = at + 1;
  send_device_messages (self);
}

static GBytes *
acknowledge (HpSimulatorTransport  *transport G_GNUC_UNUSED,
             const HpControlSetup  *setup G_GNUC_UNUSED,
             GBytes                *data_out G_GNUC_UNUSED,
             guint16                length_in G_GNUC_UNUSED,
             gpointer               user_data G_GNUC_UNUSED,
             GError               **error G_GNUC_UNUSED)
{
  /* Captures hold no control transfers; the ones drivers make (a mode
   * switch) carry no answer. */
  return g_bytes_new (NULL, 0);
}

typedef struct {
  gboolean done;
  HpMeasurement *measurement;
  GError *error;
} Outcome;

static void
on_ready (HpDevice      *device G_GNUC_UNUSED,
          HpMeasurement *measurement,
          gpointer       user_data)
{
  Outcome *outcome = user_data;

  if (outcome->done)
    return;
  outcome->done = TRUE;
  outcome->measurement = g_object_ref (measurement);
}

static void
on_failed (HpDevice     *device G_GNUC_UNUSED,
           const GError *error,
           gpointer      user_data)
{
  Outcome *outcome = user_data;

  if (outcome->done)
    return;
  outcome->done = TRUE;
  outcome->error = g_error_copy (error);
}

HpMeasurement *
hp_replay_capture (const HpDriver        *driver,
                   const HpUsbDeviceInfo *info,
                   GPtrArray             *messages,
                   GPtrArray             *differences,
                   GError               **error)
{
  g_autoptr(HpSimulatorTransport) transport = NULL;
  g_autoptr(HpReplayAgent) agent = NULL;
  g_autoptr(HpDevice) device = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
  HpUsbDeviceInfo first_match = { 0 };
  Outcome outcome = { FALSE, NULL, NULL };

  g_return_val_if_fail (driver != NULL, NULL);
  g_return_val_if_fail (messages != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (messages->len == 0)
    {
      g_set_error_literal (error, HP_CAPTURE_ERROR, HP_CAPTURE_ERROR_EMPTY, "the capture holds no message");
      return NULL;
    }

  transport = hp_simulator_transport_new ();
  agent = g_object_new (HP_TYPE_REPLAY_AGENT, NULL);
  agent->transport = transport;
  agent->messages = g_ptr_array_ref (messages);
  agent->significant = driver->replay_significant != NULL ? driver->replay_significant
                                                           : hp_replay_significant_without_padding;
  agent->differences = differences != NULL ? g_ptr_array_ref (differences) : NULL;
  g_signal_connect_object (transport, "host-opened", G_CALLBACK (on_host_opened), agent, 0);
  g_signal_connect_object (transport, "host-sent", G_CALLBACK (on_host_sent), agent, 0);
  g_signal_connect_object (transport, "incoming", G_CALLBACK (on_incoming), agent, 0);
  hp_simulator_transport_set_control_handler (transport, acknowledge, NULL, NULL);
  hp_simulator_transport_set_agent (transport, G_OBJECT (agent));

  /* Without @info, the device the driver's first USB match names, as the
   * manager would describe it. */
  if (info == NULL)
    {
      if (driver->n_matches > 0)
        {
          first_match.vendor_id = driver->matches[0].vendor_id;
          first_match.product_id = driver->matches[0].product_id;
          first_match.model = driver->matches[0].model;
        }
      if (first_match.model == NULL)
        first_match.model = driver->description;
      info = &first_match;
    }
  id = g_strdup_printf ("capture-%s", driver->protocol);
  device = driver->create (id, info, HP_TRANSPORT (transport));
  if (device == NULL)
    {
      g_set_error (error, HP_CAPTURE_ERROR, HP_CAPTURE_ERROR_DECODE,
                   "the %s driver does not take the device the capture is from", driver->protocol);
      return NULL;
    }

  g_signal_connect (device, "measurement-ready", G_CALLBACK (on_ready), &outcome);
  g_signal_connect (device, "measurement-failed", G_CALLBACK (on_failed), &outcome);
  /* A driver that never opens its link is as stuck as one left waiting. */
  arm_silence (agent);
  if (!hp_device_start_measurement (device, &outcome.error))
    outcome.done = TRUE;
  while (!outcome.done)
    g_main_context_iteration (context, TRUE);
  g_signal_handlers_disconnect_by_data (device, &outcome);
  hp_device_cancel_measurement (device);

  if (outcome.measurement != NULL)
    return outcome.measurement;
  if (agent->stopped != NULL)
    g_set_error (error, HP_CAPTURE_ERROR, HP_CAPTURE_ERROR_DECODE, "%s (the driver: %s)",
                 agent->stopped, outcome.error->message);
  else if (agent->heard_line == 0)
    g_set_error (error, HP_CAPTURE_ERROR, HP_CAPTURE_ERROR_DECODE, "before the device's first message: %s",
                 outcome.error->message);
  else
    g_set_error (error, HP_CAPTURE_ERROR, HP_CAPTURE_ERROR_DECODE, "line %u: %s",
                 agent->heard_line, outcome.error->message);
  g_error_free (outcome.error);
  return NULL;
}
