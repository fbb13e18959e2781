/* A byte link between a protocol driver and its device (USB bulk pipes, or a simulator). */
#include "hp-transport.h"

G_DEFINE_INTERFACE (HpTransport, hp_transport, G_TYPE_OBJECT)

enum {
  SIGNAL_RECEIVED,
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

  return HP_TRANSPORT_GET_IFACE (self)->send (self, bytes, error);
}

void
hp_transport_emit_received (HpTransport *self,
                            GBytes      *bytes)
{
  g_return_if_fail (HP_IS_TRANSPORT (self));
  g_return_if_fail (bytes != NULL);

  g_signal_emit (self, signals[SIGNAL_RECEIVED], 0, bytes);
}

void
hp_transport_emit_closed (HpTransport  *self,
                          const GError *error)
{
  g_return_if_fail (HP_IS_TRANSPORT (self));

  g_signal_emit (self, signals[SIGNAL_CLOSED], 0, error);
}
