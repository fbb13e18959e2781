/* What the damaged-file path reads and writes without SQLite: the alarm record beside the database, and the raw headers of a database and its write-ahead log. */
#include "hp-store-damage.h"

#include "hp-key-file.h"

#include <string.h>

#define ALARM_GROUP_PREFIX "damage "
#define KEY_FOUND_AT "found-at"
#define KEY_DAMAGE "damage"
#define KEY_MOVED_TO "moved-to"
#define KEY_ACKNOWLEDGED_AT "acknowledged-at"

/* Longer text in the record is not ours. */
#define MAX_FIELD_LENGTH 4096

/* SQLite's file format: a 100-byte header starting with this string. */
static const char sqlite_magic[16] = "SQLite format 3";
#define SQLITE_HEADER_SIZE 100
#define SQLITE_USER_VERSION_OFFSET 60
#define SQLITE_APPLICATION_ID_OFFSET 68

/* The write-ahead log: a 32-byte header whose magic's last bit says in
 * which byte order its checksums are summed. */
#define WAL_HEADER_SIZE 32
#define WAL_MAGIC_LITTLE 0x377f0682u
#define WAL_MAGIC_BIG 0x377f0683u
#define WAL_FORMAT_VERSION 3007000u

static const char * const damage_names[] = {
  [HP_STORE_DAMAGE_NONE] = "none",
  [HP_STORE_DAMAGE_NOT_A_DATABASE] = "not-a-database",
  [HP_STORE_DAMAGE_FAILED_CHECK] = "failed-check",
  [HP_STORE_DAMAGE_WAL_UNREADABLE] = "wal-unreadable",
  [HP_STORE_DAMAGE_EMPTY] = "empty",
};

G_STATIC_ASSERT (G_N_ELEMENTS (damage_names) == HP_STORE_DAMAGE_LAST + 1);

void
hp_store_alarm_free (HpStoreAlarm *alarm)
{
  if (alarm == NULL)
    return;
  g_free (alarm->id);
  g_clear_pointer (&alarm->found_at, g_date_time_unref);
  g_free (alarm->moved_to);
  g_clear_pointer (&alarm->acknowledged_at, g_date_time_unref);
  g_free (alarm);
}

const char *
hp_store_damage_to_string (HpStoreDamage damage)
{
  g_return_val_if_fail (damage <= HP_STORE_DAMAGE_LAST, NULL);
  return damage_names[damage];
}

static const char *
damage_explanation (HpStoreDamage damage)
{
  switch (damage)
    {
    case HP_STORE_DAMAGE_NOT_A_DATABASE:
      return "the file is not a database";
    case HP_STORE_DAMAGE_FAILED_CHECK:
      return "it failed SQLite's integrity check";
    case HP_STORE_DAMAGE_WAL_UNREADABLE:
      return "its write-ahead log cannot be read";
    case HP_STORE_DAMAGE_EMPTY:
      return "the file was empty, which a database made by Healthpost never is";
    case HP_STORE_DAMAGE_NONE:
    default:
      return "no damage";
    }
}

char *
hp_store_alarm_describe (const HpStoreAlarm *alarm)
{
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *when = NULL;

  g_return_val_if_fail (alarm != NULL, NULL);

  /* At the edges of the calendar there may be no local time to show. */
  local = g_date_time_to_local (alarm->found_at);
  when = g_date_time_format (local != NULL ? local : alarm->found_at, "%Y-%m-%d %H:%M:%S %Z");
  return g_strdup_printf ("the database was found damaged (%s) on %s and moved to %s; "
                          "nothing was deleted",
                          damage_explanation (alarm->damage), when, alarm->moved_to);
}

char *
hp_store_alarms_path (const char *database_path)
{
  g_return_val_if_fail (database_path != NULL, NULL);
  return g_strconcat (database_path, ".alarms", NULL);
}

static gboolean
malformed (GError    **error,
           const char *group,
           const char *what)
{
  g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_CORRUPT,
               "The alarm record is malformed: %s%s%s", what,
               group != NULL ? " in " : "", group != NULL ? group : "");
  return FALSE;
}

static gboolean
read_time (GKeyFile    *keys,
           const char  *group,
           const char  *key,
           gboolean     required,
           GDateTime  **time,
           GError     **error)
{
  g_autofree char *text = g_key_file_get_value (keys, group, key, NULL);

  *time = NULL;
  if (text == NULL)
    return required ? malformed (error, group, "a time is missing") : TRUE;
  if (strlen (text) > 64)
    return malformed (error, group, "a time is too long");
  /* A zone is required: a record read in another zone means the same instant. */
  *time = g_date_time_new_from_iso8601 (text, NULL);
  if (*time == NULL)
    return malformed (error, group, "a time is not ISO 8601 with a zone");
  return TRUE;
}

static gboolean
parse_alarm (GKeyFile      *keys,
             const char    *group,
             HpStoreAlarm **out,
             GError       **error)
{
  g_autoptr(HpStoreAlarm) alarm = g_new0 (HpStoreAlarm, 1);
  g_autofree char *damage = NULL;
  g_autofree char *raw = NULL;
  const char *id = group + strlen (ALARM_GROUP_PREFIX);
  gboolean known = FALSE;

  if (*id == '\0' || strlen (id) > 64)
    return malformed (error, NULL, "an alarm has no usable id");
  alarm->id = g_strdup (id);

  if (!read_time (keys, group, KEY_FOUND_AT, TRUE, &alarm->found_at, error)
      || !read_time (keys, group, KEY_ACKNOWLEDGED_AT, FALSE, &alarm->acknowledged_at, error))
    return FALSE;

  damage = g_key_file_get_value (keys, group, KEY_DAMAGE, NULL);
  for (guint d = HP_STORE_DAMAGE_NOT_A_DATABASE; damage != NULL && d <= HP_STORE_DAMAGE_LAST; d++)
    if (g_str_equal (damage, damage_names[d]))
      {
        alarm->damage = (HpStoreDamage) d;
        known = TRUE;
      }
  if (!known)
    return malformed (error, group, "the kind of damage is unknown");

  /* get_string undoes the key file's escapes; the path may hold any byte. */
  raw = g_key_file_get_value (keys, group, KEY_MOVED_TO, NULL);
  if (raw == NULL || !hp_key_file_escapes_valid (raw))
    return malformed (error, group, "where the file was moved is not a full path");
  alarm->moved_to = g_key_file_get_string (keys, group, KEY_MOVED_TO, NULL);
  if (alarm->moved_to == NULL || !g_path_is_absolute (alarm->moved_to)
      || strlen (alarm->moved_to) > MAX_FIELD_LENGTH
      || !g_utf8_validate (alarm->moved_to, -1, NULL))
    return malformed (error, group, "where the file was moved is not a full path");

  *out = g_steal_pointer (&alarm);
  return TRUE;
}

GPtrArray *
hp_store_alarms_parse (const char  *data,
                       gsize        length,
                       GError     **error)
{
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autoptr(GPtrArray) alarms = g_ptr_array_new_with_free_func ((GDestroyNotify) hp_store_alarm_free);
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) groups = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length == 0)
    return g_steal_pointer (&alarms);
  if (!g_key_file_load_from_data (keys, data, length, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_CORRUPT,
                   "The alarm record is malformed: %s", local_error->message);
      return NULL;
    }
  groups = g_key_file_get_groups (keys, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      HpStoreAlarm *alarm = NULL;

      if (!g_str_has_prefix (groups[i], ALARM_GROUP_PREFIX))
        {
          malformed (error, NULL, "a section is not an alarm");
          return NULL;
        }
      if (!parse_alarm (keys, groups[i], &alarm, error))
        return NULL;
      g_ptr_array_add (alarms, alarm);
    }
  return g_steal_pointer (&alarms);
}

char *
hp_store_alarms_to_data (GPtrArray *alarms,
                         gsize     *length)
{
  g_autoptr(GKeyFile) keys = g_key_file_new ();

  g_return_val_if_fail (alarms != NULL, NULL);

  g_key_file_set_comment (keys, NULL, NULL,
                          " Damaged databases found and set aside; healthpost-ctl alarms lists them.",
                          NULL);
  for (guint i = 0; i < alarms->len; i++)
    {
      HpStoreAlarm *alarm = g_ptr_array_index (alarms, i);
      g_autofree char *group = g_strconcat (ALARM_GROUP_PREFIX, alarm->id, NULL);
      g_autofree char *found_at = g_date_time_format_iso8601 (alarm->found_at);

      g_key_file_set_value (keys, group, KEY_FOUND_AT, found_at);
      g_key_file_set_value (keys, group, KEY_DAMAGE, damage_names[alarm->damage]);
      g_key_file_set_string (keys, group, KEY_MOVED_TO, alarm->moved_to);
      if (alarm->acknowledged_at != NULL)
        {
          g_autofree char *acknowledged_at = g_date_time_format_iso8601 (alarm->acknowledged_at);

          g_key_file_set_value (keys, group, KEY_ACKNOWLEDGED_AT, acknowledged_at);
        }
    }
  return g_key_file_to_data (keys, length, NULL);
}

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

HpStoreDamage
hp_store_damage_check_header (const guint8 *data,
                              gsize         length,
                              guint32      *application_id,
                              guint32      *user_version)
{
  g_return_val_if_fail (data != NULL || length == 0, HP_STORE_DAMAGE_NOT_A_DATABASE);

  if (length == 0)
    return HP_STORE_DAMAGE_EMPTY;
  if (length < SQLITE_HEADER_SIZE || memcmp (data, sqlite_magic, sizeof sqlite_magic) != 0)
    return HP_STORE_DAMAGE_NOT_A_DATABASE;
  if (application_id != NULL)
    *application_id = read_be32 (data + SQLITE_APPLICATION_ID_OFFSET);
  if (user_version != NULL)
    *user_version = read_be32 (data + SQLITE_USER_VERSION_OFFSET);
  return HP_STORE_DAMAGE_NONE;
}

static guint32
read_word (const guint8 *p,
           gboolean      big_endian)
{
  if (big_endian)
    return read_be32 (p);
  return ((guint32) p[3] << 24) | ((guint32) p[2] << 16) | ((guint32) p[1] << 8) | p[0];
}

HpStoreDamage
hp_store_damage_check_wal_header (const guint8 *data,
                                  gsize         length)
{
  guint32 magic, page_size, s0 = 0, s1 = 0;
  gboolean big_endian;

  g_return_val_if_fail (data != NULL || length == 0, HP_STORE_DAMAGE_WAL_UNREADABLE);

  if (length < WAL_HEADER_SIZE)
    return HP_STORE_DAMAGE_NONE;

  magic = read_be32 (data);
  if (magic != WAL_MAGIC_LITTLE && magic != WAL_MAGIC_BIG)
    return HP_STORE_DAMAGE_WAL_UNREADABLE;
  big_endian = magic == WAL_MAGIC_BIG;
  page_size = read_be32 (data + 8);
  if (read_be32 (data + 4) != WAL_FORMAT_VERSION
      || page_size < 512 || page_size > 65536 || (page_size & (page_size - 1)) != 0)
    return HP_STORE_DAMAGE_WAL_UNREADABLE;

  /* SQLite's checksum over the first 24 bytes, as pairs of 32-bit words. */
  for (gsize i = 0; i < 24; i += 8)
    {
      s0 += read_word (data + i, big_endian) + s1;
      s1 += read_word (data + i + 4, big_endian) + s0;
    }
  if (s0 != read_be32 (data + 24) || s1 != read_be32 (data + 28))
    return HP_STORE_DAMAGE_WAL_UNREADABLE;
  return HP_STORE_DAMAGE_NONE;
}
