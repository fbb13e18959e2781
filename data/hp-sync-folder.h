/* For data/ only: making a new or renamed file in a folder last through a power cut. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* fsync()s the folder holding @path, so that a file created or renamed
 * there lasts; a G_FILE_ERROR naming the folder when it cannot. */
gboolean hp_sync_folder (const char  *path,
                         GError     **error);

G_END_DECLS
