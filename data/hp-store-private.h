/* For the rest of data/ only: the store's SQLite connection, for modules that keep their own tables in the same file. */
#pragma once

#include <sqlite3.h>

#include "hp-store.h"

G_BEGIN_DECLS

/* The connection stays owned by @self; use it from the thread that opened
 * the store, and never leave a transaction open across calls. */
sqlite3 *hp_store_get_db (HpStore *self);

G_END_DECLS
