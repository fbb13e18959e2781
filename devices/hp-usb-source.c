/* libusb's file descriptors and timeouts as one GSource on a GLib main context. */
#include "hp-usb-source-private.h"

#include <limits.h>

typedef struct {
  GSource source;
  libusb_context *ctx;
  GHashTable *tags; /* fd → g_source_add_unix_fd() tag */
} HpUsbSource;

static void
pollfd_added (int    fd,
              short  events,
              void  *user_data)
{
  HpUsbSource *self = user_data;
  gpointer tag;

  if (g_source_is_destroyed (&self->source) || g_hash_table_contains (self->tags, GINT_TO_POINTER (fd)))
    return;
  /* poll() flags and GIOCondition share their values on every Unix GLib runs on. */
  tag = g_source_add_unix_fd (&self->source, fd, (GIOCondition) events);
  g_hash_table_insert (self->tags, GINT_TO_POINTER (fd), tag);
}

static void
pollfd_removed (int   fd,
                void *user_data)
{
  HpUsbSource *self = user_data;
  gpointer tag = g_hash_table_lookup (self->tags, GINT_TO_POINTER (fd));

  if (tag == NULL)
    return;
  g_hash_table_remove (self->tags, GINT_TO_POINTER (fd));
  if (!g_source_is_destroyed (&self->source))
    g_source_remove_unix_fd (&self->source, tag);
}

/* -1: libusb has no timeout pending; 0: one is due now. */
static gint
next_timeout_ms (HpUsbSource *self)
{
  struct timeval tv;
  gint64 ms;

  if (libusb_get_next_timeout (self->ctx, &tv) != 1)
    return -1;
  ms = (gint64) tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000;
  return (gint) MIN (ms, (gint64) INT_MAX);
}

static gboolean
hp_usb_source_prepare (GSource *source,
                       gint    *timeout)
{
  *timeout = next_timeout_ms ((HpUsbSource *) source);
  return *timeout == 0;
}

static gboolean
hp_usb_source_check (GSource *source)
{
  HpUsbSource *self = (HpUsbSource *) source;
  GHashTableIter iter;
  gpointer tag;

  g_hash_table_iter_init (&iter, self->tags);
  while (g_hash_table_iter_next (&iter, NULL, &tag))
    {
      if (g_source_query_unix_fd (source, tag) != 0)
        return TRUE;
    }
  return next_timeout_ms (self) == 0;
}

static gboolean
hp_usb_source_dispatch (GSource     *source,
                        GSourceFunc  callback G_GNUC_UNUSED,
                        gpointer     user_data G_GNUC_UNUSED)
{
  HpUsbSource *self = (HpUsbSource *) source;
  struct timeval zero = { 0, 0 };
  int rc;

  rc = libusb_handle_events_timeout_completed (self->ctx, &zero, NULL);
  if (rc < 0)
    g_debug ("libusb event handling: %s", libusb_strerror (rc));
  return G_SOURCE_CONTINUE;
}

static void
hp_usb_source_finalize (GSource *source)
{
  HpUsbSource *self = (HpUsbSource *) source;

  g_clear_pointer (&self->tags, g_hash_table_unref);
}

static GSourceFuncs hp_usb_source_funcs = {
  .prepare = hp_usb_source_prepare,
  .check = hp_usb_source_check,
  .dispatch = hp_usb_source_dispatch,
  .finalize = hp_usb_source_finalize,
};

GSource *
hp_usb_source_new (libusb_context *ctx)
{
  GSource *source;
  HpUsbSource *self;
  const struct libusb_pollfd **pollfds;

  g_return_val_if_fail (ctx != NULL, NULL);

  source = g_source_new (&hp_usb_source_funcs, sizeof (HpUsbSource));
  self = (HpUsbSource *) source;
  self->ctx = ctx;
  self->tags = g_hash_table_new (NULL, NULL);
  g_source_set_static_name (source, "[healthpost] libusb");

  libusb_set_pollfd_notifiers (ctx, pollfd_added, pollfd_removed, self);
  pollfds = libusb_get_pollfds (ctx);
  for (gsize i = 0; pollfds != NULL && pollfds[i] != NULL; i++)
    pollfd_added (pollfds[i]->fd, pollfds[i]->events, self);
  libusb_free_pollfds (pollfds);

  return source;
}

void
hp_usb_source_stop (GSource *source)
{
  HpUsbSource *self = (HpUsbSource *) source;

  g_return_if_fail (source != NULL);

  libusb_set_pollfd_notifiers (self->ctx, NULL, NULL, NULL);
  g_source_destroy (source);
}

struct _HpUsbContext
{
  libusb_context *ctx;
  GMainContext *main_context;
  GSource *source;
};

HpUsbContext *
hp_usb_context_new (libusb_context *ctx,
                    GMainContext   *main_context)
{
  HpUsbContext *self;

  g_return_val_if_fail (ctx != NULL, NULL);

  self = g_rc_box_new0 (HpUsbContext);
  self->ctx = ctx;
  self->main_context = main_context != NULL ? g_main_context_ref (main_context) : g_main_context_ref_thread_default ();
  self->source = hp_usb_source_new (ctx);
  /* At idle priority, like the simulator transports' deliveries: a device
   * that keeps libusb busy (or a usbfs node that always polls ready, as
   * umockdev's do) cannot starve GTK's drawing or the idle callbacks the
   * manager and transports schedule. */
  g_source_set_priority (self->source, G_PRIORITY_DEFAULT_IDLE);
  g_source_attach (self->source, self->main_context);
  return self;
}

HpUsbContext *
hp_usb_context_ref (HpUsbContext *self)
{
  return g_rc_box_acquire (self);
}

static void
usb_context_clear (gpointer data)
{
  HpUsbContext *self = data;

  hp_usb_source_stop (self->source);
  g_source_unref (self->source);
  libusb_exit (self->ctx);
  g_main_context_unref (self->main_context);
}

void
hp_usb_context_unref (HpUsbContext *self)
{
  g_rc_box_release_full (self, usb_context_clear);
}

libusb_context *
hp_usb_context_get_libusb (HpUsbContext *self)
{
  return self->ctx;
}

GMainContext *
hp_usb_context_get_main_context (HpUsbContext *self)
{
  return self->main_context;
}
