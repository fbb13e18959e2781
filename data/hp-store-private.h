/* For the rest of data/ only: the store's SQLite connection, for modules that keep their own tables in the same file. */
#pragma once

#include <sqlite3.h>

#include "hp-crypto.h"
#include "hp-store.h"

G_BEGIN_DECLS

/* The connection stays owned by @self; use it from the thread that opened
 * the store, and never leave a transaction open across calls. */
sqlite3   *hp_store_get_db      (HpStore            *self);

/* The keyring the store was opened with; %NULL when opened below the
 * first schema version with sealed fields. */
HpKeyring  *hp_store_get_keyring (HpStore            *self);

/* Seals a field of another module's table with the store's newest data
 * key (layout in hp-crypto.h), and opens one sealed by any of its keys;
 * a field that fails to open is HP_STORE_ERROR_CORRUPT. */
GBytes     *hp_store_seal_field  (HpStore            *self,
                                  const HpFieldPlace *place,
                                  const void         *plain,
                                  gsize               plain_len,
                                  GError            **error);
GBytes     *hp_store_open_field  (HpStore            *self,
                                  const HpFieldPlace *place,
                                  const guint8       *sealed,
                                  gsize               sealed_len,
                                  GError            **error);

G_END_DECLS
