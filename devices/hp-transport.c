/* A link between a protocol driver and its device (USB pipes and control requests, or a simulator). */
#include "hp-transport.h"

#include "hp-device.h"

G_DEFINE_INTERFACE (HpTransport, hp_transport, G_TYPE_OBJECT)

enum {
  SIGNAL_INCOMING,
  SIGNAL_RECEIVED,
  SIGNAL_SENT,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
hp_transport_default_init (HpTransportInterface *iface)
{
  signals[SIGNAL_RECEIVED] =
    g_signal_new ("received", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BYTES);
  signals[SIGNAL_INCOMING] =
    g_signal_new ("incoming", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BYTES);
  signals[SIGNAL_SENT] =
    g_signal_new ("sent", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BYTES);
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

gboolean
hp_transport_open (HpTransport  *self,
                   GError      **error)
{
  g_return_val_if_fail (HP_IS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return HP_TRANSPORT_GET_IFACE (self)->open (self, error);
}

void
hp_transport_close (HpTransport *self)
{
  g_return_if_fail (HP_IS_TRANSPORT (self));

  HP_TRANSPORT_GET_IFACE (self)->close (self);
}

gboolean
hp_transport_send (HpTransport  *self,
                   GBytes       *bytes,
                   GError      **error)
{
  g_return_val_if_fail (HP_IS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!HP_TRANSPORT_GET_IFACE (self)->send (self, bytes, error))
    return FALSE;
  g_signal_emit (self, signals[SIGNAL_SENT], 0, bytes);
  return TRUE;
}

/* Source tag of the errors reported for links without control requests. */
static const char no_control_tag;

void
hp_transport_control_async (HpTransport          *self,
                            const HpControlSetup *setup,
                            GBytes               *data_out,
                            guint16               length_in,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data)
{
  HpTransportInterface *iface;

  g_return_if_fail (HP_IS_TRANSPORT (self));
  g_return_if_fail (setup != NULL);
  g_return_if_fail ((setup->request_type & 0x80) != 0 ? data_out == NULL : length_in == 0);

  iface = HP_TRANSPORT_GET_IFACE (self);
  if (iface->control_async == NULL)
    {
      g_task_report_new_error (self, callback, user_data, (gpointer) &no_control_tag,
                               HP_DEVICE_ERROR, HP_DEVICE_ERROR_PROTOCOL,
                               "This link carries no control requests");
      return;
    }
  iface->control_async (self, setup, data_out, length_in, cancellable, callback, user_data);
}

GBytes *
hp_transport_control_finish (HpTransport   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (HP_IS_TRANSPORT (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_async_result_is_tagged (result, (gpointer) &no_control_tag))
    return g_task_propagate_pointer (G_TASK (result), error);
  return HP_TRANSPORT_GET_IFACE (self)->control_finish (self, result, error);
}

void
hp_transport_emit_received (HpTransport *self,
                            GBytes      *bytes)
{
  g_return_if_fail (HP_IS_TRANSPORT (self));
  g_return_if_fail (bytes != NULL);

  g_signal_emit (self, signals[SIGNAL_INCOMING], 0, bytes);
  g_signal_emit (self, signals[SIGNAL_RECEIVED], 0, bytes);
}

void
hp_transport_emit_closed (HpTransport  *self,
                          const GError *error)
{
  g_return_if_fail (HP_IS_TRANSPORT (self));

  g_signal_emit (self, signals[SIGNAL_CLOSED], 0, error);
}
