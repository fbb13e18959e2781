/* Private temporary folders for tests and benchmarks. */
#include "hp-test-tmpdir.h"

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
