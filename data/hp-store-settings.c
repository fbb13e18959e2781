/* HpStore: the kiosk's own settings, kept in the clear beside the visits. */
#include "hp-store.h"
#include "hp-store-private.h"

#include "hp-sql-private.h"

char *
hp_store_get_setting (HpStore     *self,
                      const char  *key,
                      GError     **error)
{
  g_auto(HpBorrowedStatement) select = NULL;
  int rc;

  g_return_val_if_fail (HP_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  select = hp_store_get_statement (self, HP_STORE_STMT_GET_SETTING, HP_STORE_ERROR_OPEN, error);
  if (select == NULL)
    return NULL;
  sqlite3_bind_text (select, 1, key, -1, SQLITE_STATIC);
  rc = sqlite3_step (select);
  if (rc == SQLITE_ROW && sqlite3_column_text (select, 0) != NULL)
    return g_strdup ((const char *) sqlite3_column_text (select, 0));
  if (rc == SQLITE_DONE)
    g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_NOT_FOUND,
                 "The setting %s is not set", key);
  else
    hp_store_read_failed (self, "a setting", error);
  return NULL;
}

gboolean
hp_store_set_setting (HpStore     *self,
                      const char  *key,
                      const char  *value,
                      GError     **error)
{
  g_auto(HpBorrowedStatement) upsert = NULL;

  g_return_val_if_fail (HP_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL && value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  upsert = hp_store_get_statement (self, HP_STORE_STMT_SET_SETTING, HP_STORE_ERROR_WRITE, error);
  if (upsert == NULL)
    return FALSE;
  sqlite3_bind_text (upsert, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (upsert, 2, value, -1, SQLITE_STATIC);
  if (sqlite3_step (upsert) != SQLITE_DONE)
    {
      int rc = sqlite3_extended_errcode (self->db);

      return hp_sql_set_error (error, HP_STORE_ERROR, hp_sql_store_error_code (rc, HP_STORE_ERROR_WRITE),
                               rc, NULL, "Cannot store the setting %s in %s", key, self->path);
    }
  return TRUE;
}
