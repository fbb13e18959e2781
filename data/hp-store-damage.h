/* The store's damaged-file path: a damaged database is set aside whole, a fresh one takes its place, and staff see an alarm until they acknowledge it. */
#pragma once

#include <gio/gio.h>

#include "hp-store.h"

G_BEGIN_DECLS

typedef enum {
  HP_STORE_DAMAGE_NONE,
  HP_STORE_DAMAGE_NOT_A_DATABASE, /* the file does not start as an SQLite database */
  HP_STORE_DAMAGE_FAILED_CHECK,   /* SQLite reports the file corrupt */
  HP_STORE_DAMAGE_WAL_UNREADABLE, /* the write-ahead log's header is not valid */
  HP_STORE_DAMAGE_EMPTY,          /* an empty file stands where the database was */
} HpStoreDamage;

#define HP_STORE_DAMAGE_LAST HP_STORE_DAMAGE_EMPTY

/* One damaged database found and set aside. */
typedef struct {
  char          *id;              /* the set-aside file's name, unique in the record */
  GDateTime     *found_at;
  HpStoreDamage  damage;
  char          *moved_to;        /* where the file (and its -wal, -shm) now is */
  GDateTime     *acknowledged_at; /* %NULL until staff acknowledge it */
} HpStoreAlarm;

void          hp_store_alarm_free              (HpStoreAlarm *alarm);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HpStoreAlarm, hp_store_alarm_free)

const char   *hp_store_damage_to_string        (HpStoreDamage  damage);
/* One sentence for staff, e.g. "the database was found damaged (…) on … and
 * moved to …; nothing was deleted". */
char         *hp_store_alarm_describe          (const HpStoreAlarm *alarm);

/* The record of alarms kept beside the database: "@database_path.alarms". */
char         *hp_store_alarms_path             (const char    *database_path);
/* Parses the record's text into a GPtrArray of HpStoreAlarm, oldest first.
 * Anything malformed is HP_STORE_ERROR_CORRUPT. */
GPtrArray    *hp_store_alarms_parse            (const char    *data,
                                                gsize          length,
                                                GError       **error);
char         *hp_store_alarms_to_data          (GPtrArray     *alarms,
                                                gsize         *length);

/* What the first bytes of a database file say: NONE for an SQLite file,
 * EMPTY for no bytes at all, NOT_A_DATABASE otherwise. When it is an
 * SQLite file, @application_id and @user_version (may be %NULL) receive the
 * header's fields. */
HpStoreDamage hp_store_damage_check_header     (const guint8  *data,
                                                gsize          length,
                                                guint32       *application_id,
                                                guint32       *user_version);
/* What the first bytes of a write-ahead log say: NONE when the header is
 * whole and its checksum right, or when it is shorter than a header (SQLite
 * wrote no frame after it then); WAL_UNREADABLE otherwise. */
HpStoreDamage hp_store_damage_check_wal_header (const guint8  *data,
                                                gsize          length);

/* Opens the store at @path as hp_store_open_with_keyring() does (as
 * hp_store_open_demo() when @keyring is %NULL), first checking that it
 * is whole: when the file is not a database, fails SQLite's quick check or
 * its write-ahead log cannot be read, it is moved with its -wal and -shm to
 * "@path.damaged-YYYYMMDD-HHMMSS", an alarm is recorded, and a fresh store
 * is opened in its place; @alarm (may be %NULL) then receives a copy of the
 * alarm. Nothing is ever deleted. A database of another program or of a
 * newer Healthpost is not damage, nor is a wrong key: those stay errors,
 * left as found. */
HpStore      *hp_store_open_recovering         (const char    *path,
                                                HpKeyring     *keyring,
                                                HpStoreAlarm **alarm,
                                                GError       **error);

/* SQLite's quick check of the open @store: FALSE with
 * HP_STORE_ERROR_CORRUPT when the file is damaged (nothing is moved; the
 * kiosk sets it aside on its next start), with HP_STORE_ERROR_OPEN when
 * the check cannot run. For what must not write into a damaged file. */
gboolean      hp_store_check_whole             (HpStore       *store,
                                                GError       **error);

/* The alarms recorded for the database at @database_path, oldest first;
 * only those not yet acknowledged unless @include_acknowledged. An empty
 * array when there is no record. */
GPtrArray    *hp_store_list_alarms             (const char    *database_path,
                                                gboolean       include_acknowledged,
                                                GError       **error);
/* Marks every open alarm acknowledged now; they stay in the record.
 * @n_acknowledged (may be %NULL) receives how many were open. */
gboolean      hp_store_acknowledge_alarms      (const char    *database_path,
                                                guint         *n_acknowledged,
                                                GError       **error);

G_END_DECLS
