/* Helpers shared by tests and benchmarks: temporary folders, waiting on the main loop. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Removes the files in @path, then @path itself (tests make no subfolders).
 * Returns FALSE if anything could not be removed. */
gboolean hp_test_tmpdir_remove (const char *path);

typedef gboolean (*HpTestCondition) (gconstpointer data);

/* Iterates the thread-default main context until @done returns TRUE.
 * Returns FALSE after @seconds: a guard against a hung test, never a timing
 * assertion. */
gboolean hp_test_iterate_until (HpTestCondition done,
                                gconstpointer   data,
                                guint           seconds);

/* Says, in the one line ./dev test looks for, why the case about to call
 * cmocka's skip() cannot run on this machine. A skip without it fails. */
#define hp_test_skip_reason(why) g_print ("# cannot run here: %s\n", (why))

G_END_DECLS
