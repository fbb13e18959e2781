/* A far end for the simulator transport that answers a driver with a real device's answers from a capture. */
#include "hp-replay-agent.h"

#include <string.h>

struct _HpReplayAgent
{
  GObject parent_instance;

  HpSimulatorTransport *transport; /* not owned: it owns this agent */
  GPtrArray *messages;
  HpReplaySignificantFunc significant;
  guint cursor;                    /* the next capture message to search from */
  guint matched;
  guint unmatched;
};

G_DEFINE_FINAL_TYPE (HpReplayAgent, hp_replay_agent, G_TYPE_OBJECT)

static void
hp_replay_agent_finalize (GObject *object)
{
  HpReplayAgent *self = HP_REPLAY_AGENT (object);

  g_clear_pointer (&self->messages, g_ptr_array_unref);
  G_OBJECT_CLASS (hp_replay_agent_parent_class)->finalize (object);
}

static void
hp_replay_agent_class_init (HpReplayAgentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hp_replay_agent_finalize;
}

static void
hp_replay_agent_init (HpReplayAgent *self G_GNUC_UNUSED)
{
}

static gboolean
same_request (HpReplayAgent      *self,
              const guint8       *sent,
              gsize               sent_len,
              const HpCaptureMessage *message)
{
  gsize len;
  const guint8 *recorded = g_bytes_get_data (message->bytes, &len);
  gsize n = self->significant (sent, sent_len);

  return message->direction == HP_CAPTURE_TO_DEVICE && n <= sent_len && n <= len
         && memcmp (sent, recorded, n) == 0;
}

static void
on_host_sent (HpSimulatorTransport *transport,
              GBytes               *bytes,
              gpointer              user_data)
{
  HpReplayAgent *self = user_data;
  gsize sent_len;
  const guint8 *sent = g_bytes_get_data (bytes, &sent_len);
  guint at;

  for (at = self->cursor; at < self->messages->len; at++)
    if (same_request (self, sent, sent_len, g_ptr_array_index (self->messages, at)))
      break;
  if (at == self->messages->len)
    {
      self->unmatched++;
      return;
    }
  self->matched++;
  for (at++; at < self->messages->len; at++)
    {
      const HpCaptureMessage *message = g_ptr_array_index (self->messages, at);
      gsize len;
      const guint8 *data;

      if (message->direction == HP_CAPTURE_TO_DEVICE)
        break;
      data = g_bytes_get_data (message->bytes, &len);
      hp_simulator_transport_agent_send (transport, data, len);
    }
  self->cursor = at;
}

static GBytes *
acknowledge (HpSimulatorTransport  *transport G_GNUC_UNUSED,
             const HpControlSetup  *setup G_GNUC_UNUSED,
             GBytes                *data_out G_GNUC_UNUSED,
             guint16                length_in G_GNUC_UNUSED,
             gpointer               user_data G_GNUC_UNUSED,
             GError               **error G_GNUC_UNUSED)
{
  return g_bytes_new (NULL, 0);
}

HpReplayAgent *
hp_replay_agent_new (HpSimulatorTransport   *transport,
                     GPtrArray              *messages,
                     HpReplaySignificantFunc significant)
{
  HpReplayAgent *self = g_object_new (HP_TYPE_REPLAY_AGENT, NULL);

  self->transport = transport;
  self->messages = g_ptr_array_ref (messages);
  self->significant = significant;
  g_signal_connect_object (transport, "host-sent", G_CALLBACK (on_host_sent), self, 0);
  hp_simulator_transport_set_control_handler (transport, acknowledge, NULL, NULL);
  hp_simulator_transport_set_agent (transport, G_OBJECT (self));
  return self;
}

guint
hp_replay_agent_get_unmatched (HpReplayAgent *self)
{
  g_return_val_if_fail (HP_IS_REPLAY_AGENT (self), 0);
  return self->unmatched;
}

guint
hp_replay_agent_get_matched (HpReplayAgent *self)
{
  g_return_val_if_fail (HP_IS_REPLAY_AGENT (self), 0);
  return self->matched;
}
