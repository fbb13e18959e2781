/* For data/ only: an SQLite failure told as a GError, with sqlite3's generic reason and never its message. */
#pragma once

#include <glib.h>

#include "hp-store.h"

G_BEGIN_DECLS

/* @otherwise, or HP_STORE_ERROR_CORRUPT when @rc (a result code, plain or
 * extended) shows a damaged file: damage is reported as such wherever it
 * is found, so callers can tell a broken disk from a refused write. */
HpStoreError  hp_sql_store_error_code (int            rc,
                                       HpStoreError   otherwise);

/* Sets @error to @domain and @code, its message the text @format makes,
 * then sqlite3_errstr (@rc) in parentheses, then @tail unless %NULL.
 * sqlite3_errstr(), never sqlite3_errmsg(): the latter can quote values,
 * which here are personal health information; @format names the failing
 * part and the file, nothing of the data. Returns FALSE. */
gboolean      hp_sql_set_error        (GError       **error,
                                       GQuark         domain,
                                       gint           code,
                                       int            rc,
                                       const char    *tail,
                                       const char    *format,
                                       ...) G_GNUC_PRINTF (6, 7);

G_END_DECLS
