/* An in-process transport whose far end is a device simulator instead of a USB device. */
#include "hp-simulator-transport.h"

#include "hp-device.h"

typedef enum {
  EVENT_HOST_RECEIVED,
  EVENT_HOST_CLOSED,
  EVENT_AGENT_OPENED,
  EVENT_AGENT_CLOSED,
  EVENT_AGENT_RECEIVED,
} EventKind;

typedef struct {
  EventKind kind;
  GBytes *bytes;
} Event;

struct _HpSimulatorTransport
{
  GObject parent_instance;

  GMainContext *context;
  GSource *delivery;
  GQueue events;
  GObject *agent;
  gboolean open;
  gboolean unplugged;

  HpSimulatorControlFunc control_func;
  gpointer control_data;
  GDestroyNotify control_destroy;
};

static void hp_simulator_transport_iface_init (HpTransportInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HpSimulatorTransport, hp_simulator_transport, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HP_TYPE_TRANSPORT, hp_simulator_transport_iface_init))

enum {
  SIGNAL_HOST_OPENED,
  SIGNAL_HOST_CLOSED,
  SIGNAL_HOST_SENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
event_free (gpointer data)
{
  Event *event = data;

  g_clear_pointer (&event->bytes, g_bytes_unref);
  g_free (event);
}

static gboolean
deliver_one (gpointer user_data)
{
  HpSimulatorTransport *self = user_data;
  g_autoptr(HpSimulatorTransport) hold G_GNUC_UNUSED = g_object_ref (self);
  Event *event = g_queue_pop_head (&self->events);
  g_autoptr(GError) error = NULL;

  if (event == NULL)
    {
      g_clear_pointer (&self->delivery, g_source_unref);
      return G_SOURCE_REMOVE;
    }

  switch (event->kind)
    {
    case EVENT_HOST_RECEIVED:
      hp_transport_emit_received (HP_TRANSPORT (self), event->bytes);
      break;
    case EVENT_HOST_CLOSED:
      error = g_error_new_literal (HP_DEVICE_ERROR, HP_DEVICE_ERROR_DISCONNECTED,
                                   "The simulated device was unplugged");
      hp_transport_emit_closed (HP_TRANSPORT (self), error);
      break;
    case EVENT_AGENT_OPENED:
      g_signal_emit (self, signals[SIGNAL_HOST_OPENED], 0);
      break;
    case EVENT_AGENT_CLOSED:
      g_signal_emit (self, signals[SIGNAL_HOST_CLOSED], 0);
      break;
    case EVENT_AGENT_RECEIVED:
      g_signal_emit (self, signals[SIGNAL_HOST_SENT], 0, event->bytes);
      break;
    }
  event_free (event);

  if (g_queue_is_empty (&self->events) && self->delivery != NULL)
    {
      g_source_destroy (self->delivery);
      g_clear_pointer (&self->delivery, g_source_unref);
    }
  return G_SOURCE_CONTINUE;
}

static void
queue_event (HpSimulatorTransport *self,
             EventKind             kind,
             GBytes               *bytes)
{
  Event *event = g_new0 (Event, 1);

  event->kind = kind;
  event->bytes = bytes != NULL ? g_bytes_ref (bytes) : NULL;
  g_queue_push_tail (&self->events, event);

  if (self->delivery == NULL)
    {
      self->delivery = g_idle_source_new ();
      g_source_set_callback (self->delivery, deliver_one, self, NULL);
      g_source_set_static_name (self->delivery, "[healthpost] simulator transport");
      g_source_attach (self->delivery, self->context);
    }
}

/* Once the host closes, nothing still queued for it may arrive. */
static void
drop_host_events (HpSimulatorTransport *self)
{
  for (GList *l = self->events.head; l != NULL;)
    {
      GList *next = l->next;
      Event *event = l->data;

      if (event->kind == EVENT_HOST_RECEIVED)
        {
          event_free (event);
          g_queue_delete_link (&self->events, l);
        }
      l = next;
    }
}

static gboolean
hp_simulator_transport_open (HpTransport  *transport,
                             GError      **error)
{
  HpSimulatorTransport *self = HP_SIMULATOR_TRANSPORT (transport);

  if (self->unplugged)
    {
      g_set_error_literal (error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_DISCONNECTED,
                           "The simulated device was unplugged");
      return FALSE;
    }
  if (self->open)
    return TRUE;
  self->open = TRUE;
  queue_event (self, EVENT_AGENT_OPENED, NULL);
  return TRUE;
}

static void
hp_simulator_transport_close (HpTransport *transport)
{
  HpSimulatorTransport *self = HP_SIMULATOR_TRANSPORT (transport);

  if (!self->open)
    return;
  self->open = FALSE;
  drop_host_events (self);
  queue_event (self, EVENT_AGENT_CLOSED, NULL);
}

static gboolean
hp_simulator_transport_send (HpTransport  *transport,
                             GBytes       *bytes,
                             GError      **error)
{
  HpSimulatorTransport *self = HP_SIMULATOR_TRANSPORT (transport);

  if (self->unplugged || !self->open)
    {
      g_set_error_literal (error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_DISCONNECTED,
                           self->unplugged ? "The simulated device was unplugged"
                                           : "The simulator transport is not open");
      return FALSE;
    }
  queue_event (self, EVENT_AGENT_RECEIVED, bytes);
  return TRUE;
}

static void
hp_simulator_transport_control_async (HpTransport          *transport,
                                      const HpControlSetup *setup,
                                      GBytes               *data_out,
                                      guint16               length_in,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data)
{
  HpSimulatorTransport *self = HP_SIMULATOR_TRANSPORT (transport);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  GBytes *answer;

  if (self->unplugged || !self->open)
    {
      g_task_return_new_error (task, HP_DEVICE_ERROR, HP_DEVICE_ERROR_DISCONNECTED,
                               self->unplugged ? "The simulated device was unplugged"
                                               : "The simulator transport is not open");
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  if (self->control_func == NULL)
    {
      g_task_return_new_error (task, HP_DEVICE_ERROR, HP_DEVICE_ERROR_PROTOCOL,
                               "The simulated device stalled the control request");
      return;
    }

  answer = self->control_func (self, setup, data_out, length_in, self->control_data, &error);
  if (answer == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (HP_DEVICE_ERROR, HP_DEVICE_ERROR_PROTOCOL,
                                     "The simulated device stalled the control request");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if ((setup->request_type & 0x80) != 0 && g_bytes_get_size (answer) > length_in)
    {
      GBytes *whole = answer;

      answer = g_bytes_new_from_bytes (whole, 0, length_in);
      g_bytes_unref (whole);
    }
  g_task_return_pointer (task, answer, (GDestroyNotify) g_bytes_unref);
}

static GBytes *
hp_simulator_transport_control_finish (HpTransport   *transport,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, transport), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
hp_simulator_transport_iface_init (HpTransportInterface *iface)
{
  iface->open = hp_simulator_transport_open;
  iface->close = hp_simulator_transport_close;
  iface->send = hp_simulator_transport_send;
  iface->control_async = hp_simulator_transport_control_async;
  iface->control_finish = hp_simulator_transport_control_finish;
}

static void
hp_simulator_transport_dispose (GObject *object)
{
  HpSimulatorTransport *self = HP_SIMULATOR_TRANSPORT (object);

  if (self->delivery != NULL)
    {
      g_source_destroy (self->delivery);
      g_clear_pointer (&self->delivery, g_source_unref);
    }
  g_queue_clear_full (&self->events, event_free);
  g_clear_object (&self->agent);
  hp_simulator_transport_set_control_handler (self, NULL, NULL, NULL);

  G_OBJECT_CLASS (hp_simulator_transport_parent_class)->dispose (object);
}

static void
hp_simulator_transport_finalize (GObject *object)
{
  HpSimulatorTransport *self = HP_SIMULATOR_TRANSPORT (object);

  g_main_context_unref (self->context);

  G_OBJECT_CLASS (hp_simulator_transport_parent_class)->finalize (object);
}

static void
hp_simulator_transport_class_init (HpSimulatorTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hp_simulator_transport_dispose;
  object_class->finalize = hp_simulator_transport_finalize;

  signals[SIGNAL_HOST_OPENED] =
    g_signal_new ("host-opened", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_HOST_CLOSED] =
    g_signal_new ("host-closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_HOST_SENT] =
    g_signal_new ("host-sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BYTES);
}

static void
hp_simulator_transport_init (HpSimulatorTransport *self)
{
  self->context = g_main_context_ref_thread_default ();
  g_queue_init (&self->events);
}

HpSimulatorTransport *
hp_simulator_transport_new (void)
{
  return g_object_new (HP_TYPE_SIMULATOR_TRANSPORT, NULL);
}

void
hp_simulator_transport_set_agent (HpSimulatorTransport *self,
                                  GObject              *agent)
{
  g_return_if_fail (HP_IS_SIMULATOR_TRANSPORT (self));
  g_return_if_fail (agent == NULL || G_IS_OBJECT (agent));

  g_set_object (&self->agent, agent);
}

void
hp_simulator_transport_set_control_handler (HpSimulatorTransport  *self,
                                            HpSimulatorControlFunc func,
                                            gpointer               user_data,
                                            GDestroyNotify         destroy)
{
  GDestroyNotify old_destroy;
  gpointer old_data;

  g_return_if_fail (HP_IS_SIMULATOR_TRANSPORT (self));

  old_destroy = self->control_destroy;
  old_data = self->control_data;
  self->control_func = func;
  self->control_data = user_data;
  self->control_destroy = destroy;
  if (old_destroy != NULL)
    old_destroy (old_data);
}

gboolean
hp_simulator_transport_is_open (HpSimulatorTransport *self)
{
  g_return_val_if_fail (HP_IS_SIMULATOR_TRANSPORT (self), FALSE);
  return self->open;
}

void
hp_simulator_transport_agent_send (HpSimulatorTransport *self,
                                   const guint8         *data,
                                   gsize                 len)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_if_fail (HP_IS_SIMULATOR_TRANSPORT (self));
  g_return_if_fail (data != NULL || len == 0);

  if (!self->open || self->unplugged)
    {
      g_debug ("the simulator's host is not listening, %" G_GSIZE_FORMAT " bytes dropped", len);
      return;
    }
  bytes = g_bytes_new (data, len);
  queue_event (self, EVENT_HOST_RECEIVED, bytes);
}

void
hp_simulator_transport_unplug (HpSimulatorTransport *self)
{
  g_return_if_fail (HP_IS_SIMULATOR_TRANSPORT (self));

  if (self->unplugged)
    return;
  self->unplugged = TRUE;
  self->open = FALSE;
  drop_host_events (self);
  queue_event (self, EVENT_HOST_CLOSED, NULL);
  queue_event (self, EVENT_AGENT_CLOSED, NULL);
}
