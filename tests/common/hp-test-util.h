/* Helpers shared by tests and benchmarks: temporary folders, waiting on the main loop. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Removes the files in @path, then @path itself (tests make no subfolders).
 * Returns FALSE if anything could not be removed. */
gboolean hp_test_tmpdir_remove (const char *path);

/* A TCP port on 127.0.0.1 that nothing listened on a moment ago, for a
 * server a test starts; 0 with an error when none can be found. */
guint16  hp_test_free_loopback_port (GError **error);

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
