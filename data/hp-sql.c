/* SQLite failures as GErrors for every module of data/: one wording of the reason, never a value. */
#include "hp-sql-private.h"

#include <stdarg.h>
#include <sqlite3.h>

HpStoreError
hp_sql_store_error_code (int           rc,
                         HpStoreError  otherwise)
{
  switch (rc & 0xff)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return HP_STORE_ERROR_CORRUPT;
    default:
      return otherwise;
    }
}

gboolean
hp_sql_set_error (GError      **error,
                  GQuark        domain,
                  gint          code,
                  int           rc,
                  const char   *tail,
                  const char   *format,
                  ...)
{
  g_autofree char *what = NULL;
  va_list args;

  if (error == NULL)
    return FALSE;
  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, domain, code, "%s (%s)%s", what, sqlite3_errstr (rc),
               tail != NULL ? tail : "");
  return FALSE;
}
