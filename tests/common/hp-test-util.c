/* Helpers shared by tests and benchmarks: temporary folders, waiting on the main loop. */
#include "hp-test-util.h"

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
