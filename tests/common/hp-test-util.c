/* Helpers shared by tests and benchmarks: temporary folders, waiting on the main loop. */
#include "hp-test-util.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

gboolean
hp_test_tmpdir_remove (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  gboolean removed_all = dir != NULL;
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);

      if (g_remove (file) != 0)
        removed_all = FALSE;
    }
  if (g_rmdir (path) != 0)
    removed_all = FALSE;
  return removed_all;
}

static gboolean
hp_test_keep_awake (gpointer user_data G_GNUC_UNUSED)
{
  return G_SOURCE_CONTINUE;
}

gboolean
hp_test_iterate_until (HpTestCondition done,
                       gconstpointer   data,
                       guint           seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;
  /* Wakes the loop now and then, so a wait with nothing left to dispatch
   * still reaches its deadline instead of blocking in poll for ever. */
  guint tick = g_timeout_add (100, hp_test_keep_awake, NULL);
  gboolean met;

  while (!(met = done (data)))
    {
      if (g_get_monotonic_time () > deadline)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick);
  return met;
}

guint16
hp_test_free_loopback_port (GError **error)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  if (socket == NULL || !g_socket_bind (socket, any_port, FALSE, error))
    return 0;
  bound = g_socket_get_local_address (socket, error);
  if (bound == NULL)
    return 0;
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}
