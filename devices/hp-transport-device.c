/* A device driven over an HpTransport: the base of every protocol driver. */
#include "hp-transport-device-private.h"

#include "hp-device-private.h"

typedef struct
{
  HpTransport *transport;
  gulong received_id;
  gulong closed_id;
  /* Deadlines fire where the device was created, whichever thread arms them. */
  GMainContext *context;
  GSource *deadline;
  HpTransportDeviceDeadlineFunc deadline_callback;
} HpTransportDevicePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (HpTransportDevice, hp_transport_device, HP_TYPE_DEVICE)

enum {
  PROP_0,
  PROP_TRANSPORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
on_received (HpTransport *transport G_GNUC_UNUSED,
             GBytes      *bytes,
             gpointer     user_data)
{
  HpTransportDevice *self = user_data;
  HpTransportDeviceClass *klass = HP_TRANSPORT_DEVICE_GET_CLASS (self);
  /* A driver may end the measurement here, and the kiosk drop the device
   * from a signal handler while the driver still has work to do. */
  g_autoptr(HpTransportDevice) hold G_GNUC_UNUSED = g_object_ref (self);

  if (klass->received != NULL)
    klass->received (self, bytes);
}

static void
on_closed (HpTransport  *transport G_GNUC_UNUSED,
           const GError *error,
           gpointer      user_data)
{
  HpTransportDevice *self = user_data;
  HpTransportDeviceClass *klass = HP_TRANSPORT_DEVICE_GET_CLASS (self);
  g_autoptr(HpTransportDevice) hold G_GNUC_UNUSED = g_object_ref (self);

  if (klass->closed != NULL)
    klass->closed (self, error);
}

static gboolean
deadline_passed (gpointer user_data)
{
  HpTransportDevice *self = user_data;
  HpTransportDevicePrivate *priv = hp_transport_device_get_instance_private (self);
  HpTransportDeviceDeadlineFunc callback = priv->deadline_callback;
  g_autoptr(HpTransportDevice) hold G_GNUC_UNUSED = g_object_ref (self);

  g_clear_pointer (&priv->deadline, g_source_unref);
  priv->deadline_callback = NULL;
  callback (self);
  return G_SOURCE_REMOVE;
}

void
hp_transport_device_clear_deadline (HpTransportDevice *self)
{
  HpTransportDevicePrivate *priv;

  g_return_if_fail (HP_IS_TRANSPORT_DEVICE (self));

  priv = hp_transport_device_get_instance_private (self);
  if (priv->deadline != NULL)
    {
      g_source_destroy (priv->deadline);
      g_clear_pointer (&priv->deadline, g_source_unref);
    }
  priv->deadline_callback = NULL;
}

void
hp_transport_device_set_deadline (HpTransportDevice             *self,
                                  guint                          timeout_ms,
                                  HpTransportDeviceDeadlineFunc  callback)
{
  HpTransportDevicePrivate *priv;

  g_return_if_fail (HP_IS_TRANSPORT_DEVICE (self));
  g_return_if_fail (callback != NULL);

  priv = hp_transport_device_get_instance_private (self);
  hp_transport_device_clear_deadline (self);
  priv->deadline_callback = callback;
  priv->deadline = g_timeout_source_new (timeout_ms);
  g_source_set_callback (priv->deadline, deadline_passed, self, NULL);
  /* Type names live as long as the program, as a static name must. */
  g_source_set_static_name (priv->deadline, G_OBJECT_TYPE_NAME (self));
  g_source_attach (priv->deadline, priv->context);
}

gboolean
hp_transport_device_has_deadline (HpTransportDevice *self)
{
  HpTransportDevicePrivate *priv;

  g_return_val_if_fail (HP_IS_TRANSPORT_DEVICE (self), FALSE);

  priv = hp_transport_device_get_instance_private (self);
  return priv->deadline != NULL;
}

HpTransport *
hp_transport_device_get_transport (HpTransportDevice *self)
{
  HpTransportDevicePrivate *priv;

  g_return_val_if_fail (HP_IS_TRANSPORT_DEVICE (self), NULL);

  priv = hp_transport_device_get_instance_private (self);
  return priv->transport;
}

static void
hp_transport_device_constructed (GObject *object)
{
  HpTransportDevice *self = HP_TRANSPORT_DEVICE (object);
  HpTransportDevicePrivate *priv = hp_transport_device_get_instance_private (self);

  G_OBJECT_CLASS (hp_transport_device_parent_class)->constructed (object);

  g_assert (priv->transport != NULL);
  priv->received_id = g_signal_connect (priv->transport, "received", G_CALLBACK (on_received), self);
  priv->closed_id = g_signal_connect (priv->transport, "closed", G_CALLBACK (on_closed), self);
  hp_device_set_state (HP_DEVICE (self), HP_DEVICE_STATE_READY);
}

/* Subclasses end a running measurement in their own dispose, before
 * chaining up: the transport is still there for them to close. */
static void
hp_transport_device_dispose (GObject *object)
{
  HpTransportDevice *self = HP_TRANSPORT_DEVICE (object);
  HpTransportDevicePrivate *priv = hp_transport_device_get_instance_private (self);

  if (priv->transport != NULL)
    {
      g_clear_signal_handler (&priv->received_id, priv->transport);
      g_clear_signal_handler (&priv->closed_id, priv->transport);
      g_clear_object (&priv->transport);
    }
  hp_transport_device_clear_deadline (self);

  G_OBJECT_CLASS (hp_transport_device_parent_class)->dispose (object);
}

static void
hp_transport_device_finalize (GObject *object)
{
  HpTransportDevice *self = HP_TRANSPORT_DEVICE (object);
  HpTransportDevicePrivate *priv = hp_transport_device_get_instance_private (self);

  g_main_context_unref (priv->context);

  G_OBJECT_CLASS (hp_transport_device_parent_class)->finalize (object);
}

static void
hp_transport_device_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  HpTransportDevicePrivate *priv = hp_transport_device_get_instance_private (HP_TRANSPORT_DEVICE (object));

  switch (prop_id)
    {
    case PROP_TRANSPORT:
      g_value_set_object (value, priv->transport);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hp_transport_device_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  HpTransportDevicePrivate *priv = hp_transport_device_get_instance_private (HP_TRANSPORT_DEVICE (object));

  switch (prop_id)
    {
    case PROP_TRANSPORT:
      priv->transport = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hp_transport_device_class_init (HpTransportDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = hp_transport_device_constructed;
  object_class->dispose = hp_transport_device_dispose;
  object_class->finalize = hp_transport_device_finalize;
  object_class->get_property = hp_transport_device_get_property;
  object_class->set_property = hp_transport_device_set_property;

  properties[PROP_TRANSPORT] =
    g_param_spec_object ("transport", NULL, NULL, HP_TYPE_TRANSPORT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hp_transport_device_init (HpTransportDevice *self)
{
  HpTransportDevicePrivate *priv = hp_transport_device_get_instance_private (self);

  priv->context = g_main_context_ref_thread_default ();
}
