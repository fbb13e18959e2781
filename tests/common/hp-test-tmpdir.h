/* Private temporary folders for tests and benchmarks. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Removes the files in @path, then @path itself (tests make no subfolders).
 * Returns FALSE if anything could not be removed. */
gboolean hp_test_tmpdir_remove (const char *path);

G_END_DECLS
