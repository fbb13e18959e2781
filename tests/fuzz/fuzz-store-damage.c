/* libFuzzer target: what the store's damaged-file path reads without SQLite: the alarm record and the headers of a database and its write-ahead log. */
#include <stdint.h>
#include <string.h>

#include "hp-store-damage.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* hp-store-base.c, which owns the error domain, is not built into this target. */
GQuark
hp_store_error_quark (void)
{
  return g_quark_from_static_string ("hp-store-error-quark");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  GError *error = NULL;
  GPtrArray *alarms;
  guint32 application_id = 0, user_version = 0;
  HpStoreDamage damage;

  damage = hp_store_damage_check_header (data, size, &application_id, &user_version);
  if ((damage == HP_STORE_DAMAGE_EMPTY) != (size == 0)
      || (size > 0 && damage != HP_STORE_DAMAGE_NONE && damage != HP_STORE_DAMAGE_NOT_A_DATABASE))
    __builtin_trap ();
  damage = hp_store_damage_check_wal_header (data, size);
  if (damage != HP_STORE_DAMAGE_NONE && damage != HP_STORE_DAMAGE_WAL_UNREADABLE)
    __builtin_trap ();

  alarms = hp_store_alarms_parse ((const char *) data, size, &error);
  if (alarms == NULL)
    {
      if (error == NULL)
        __builtin_trap ();
      g_error_free (error);
      return 0;
    }
  /* What was read is written back and reads the same (to the microsecond
   * the written time keeps). */
  {
    gsize length = 0;
    char *again = hp_store_alarms_to_data (alarms, &length);
    GPtrArray *reread = hp_store_alarms_parse (again, length, NULL);

    if (reread == NULL || reread->len != alarms->len)
      __builtin_trap ();
    for (guint i = 0; i < alarms->len; i++)
      {
        HpStoreAlarm *a = g_ptr_array_index (alarms, i);
        HpStoreAlarm *b = g_ptr_array_index (reread, i);
        char *text = hp_store_alarm_describe (a);

        if (strcmp (a->moved_to, b->moved_to) != 0 || a->damage != b->damage
            || ABS (g_date_time_difference (a->found_at, b->found_at)) > 1
            || text == NULL)
          __builtin_trap ();
        g_free (text);
      }
    g_ptr_array_unref (reread);
    g_free (again);
  }
  g_ptr_array_unref (alarms);
  return 0;
}
