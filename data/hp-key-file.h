/* Reading GLib key files written by hand or found on disk, where a value may hold anything. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether every backslash in the raw value @value (as g_key_file_get_value()
 * returns it) starts an escape the key file format knows: \s \n \t \r \\
 * and, in lists, \;. Check before g_key_file_get_string() and friends:
 * GLib 2.74 reports a bad escape followed by a lone backslash by setting
 * its error twice, which warns. */
gboolean hp_key_file_escapes_valid (const char *value);

G_END_DECLS
