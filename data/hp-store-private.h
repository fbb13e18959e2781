/* For the rest of data/ only: the store's SQLite connection, for modules that keep their own tables in the same file. */
#pragma once

#include <sqlite3.h>

#include "hp-audit.h"
#include "hp-crypto.h"
#include "hp-store.h"
#include "hp-time.h"

G_BEGIN_DECLS

/* The connection stays owned by @self; use it from the thread that opened
 * the store, and never leave a transaction open across calls. */
sqlite3   *hp_store_get_db      (HpStore            *self);
/* fsync()s the folder holding @path, so a rename or new file in it lasts. */
gboolean    hp_store_sync_folder (const char         *path,
                                  GError            **error);

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

/* The first schema version with patient PINs (0005-patient-pin.sql). */
#define HP_STORE_PATIENT_PIN_VERSION 5
/* From this schema version on, codes with no PIN count wrong PINs too. */
#define HP_STORE_CODE_ATTEMPTS_VERSION 7
/* From this schema version on, such counts record when they were last
 * tried, and retention forgets them (0009-code-attempts-seen.sql). */
#define HP_STORE_CODE_ATTEMPTS_SEEN_VERSION 9
/* The first schema version that keeps a visit's height (0006-visit-height.sql). */
#define HP_STORE_VISIT_HEIGHT_VERSION 6

/* FALSE with HP_STORE_ERROR_INVALID for a store opened below
 * HP_STORE_PATIENT_PIN_VERSION or without its keys. */
gboolean    hp_store_check_patient_pins (HpStore      *self,
                                         GError      **error);
/* The keyed lookup value personal code @code is filed under (normalized
 * first); FALSE for a code that does not normalize or a failing key. */
gboolean    hp_store_patient_code_lookup (HpStore      *self,
                                          const char   *code,
                                          guint8       *lookup,
                                          GError      **error);
/* The patient id for personal code @code, compared in the same normal form
 * hp_store_commit_visit() files visits under; 0 when there is none. */
gboolean    hp_store_find_patient (HpStore            *self,
                                   const char         *code,
                                   gint64             *patient_id,
                                   GError            **error);
/* Adds a patient with @code (sealed, and its lookup HMAC) under a new id
 * never given before, inside the caller's write transaction. Does not look
 * for the code first: a code in use fails on the lookup's UNIQUE. */
gboolean    hp_store_add_patient  (HpStore            *self,
                                   const char         *code,
                                   gint64              created_at,
                                   gint64             *patient_id,
                                   GError            **error);

/* The clock for times the store stamps itself: patients' lockouts and when
 * they were created and last recognised. */
void        hp_store_set_clock    (HpStore            *self,
                                   HpClockFunc         clock,
                                   gpointer            user_data);
gint64      hp_store_now          (HpStore            *self);

/* Sets the seconds hp_store_error_get_locked_seconds() reads from an
 * HP_STORE_ERROR_PATIENT_LOCKED error. */
void        hp_store_error_set_locked_seconds (GError *error,
                                               guint   seconds);

/* ---- shared by the store's own files (hp-store*.c) only ---- */

/* The statements each store prepares once, on first use (hp-store-base.c). */
typedef enum {
  HP_STORE_STMT_INSERT_VISIT,
  HP_STORE_STMT_INSERT_MEASUREMENT,
  HP_STORE_STMT_MAX_MEASUREMENT_ID,
  HP_STORE_STMT_SELECT_VISIT,
  HP_STORE_STMT_SELECT_MEASUREMENTS,
  HP_STORE_STMT_COUNT_VISITS,
  HP_STORE_STMT_LIST_VISIT_IDS,
  HP_STORE_STMT_FIND_PATIENT,
  HP_STORE_STMT_INSERT_PATIENT,
  HP_STORE_STMT_MAX_PATIENT_ID,
  HP_STORE_STMT_MAX_PATIENT_ID_EVER,
  HP_STORE_STMT_LIST_PATIENT_VISITS,
  HP_STORE_STMT_SELECT_DATA_KEYS,
  HP_STORE_STMT_INSERT_DATA_KEY,
  HP_STORE_STMT_MAX_DATA_KEY_ID,
  HP_STORE_STMT_GET_SETTING,
  HP_STORE_STMT_SET_SETTING,
  HP_STORE_STMT_SET_VISIT_HEIGHT,
  HP_STORE_STMT_SELECT_VISIT_HEIGHT,
  HP_STORE_N_STMTS
} HpStoreStatementId;

/* A data key as unwrapped into memory; wiped when dropped. */
typedef struct {
  guint32 id;
  guint8 key[HP_CRYPTO_KEY_SIZE];
} HpStoreDataKey;

struct _HpStore
{
  GObject parent_instance;

  char *path;
  sqlite3 *db;
  guint schema_version;
  sqlite3_stmt *statements[HP_STORE_N_STMTS];

  HpKeyring *keyring;
  /* Set once the data keys are unwrapped; until then nothing is sealed or
   * opened (a store opened below FIRST_SEALED_VERSION stays locked). */
  gboolean unlocked;
  /* 'field' keys by ascending id: the last seals new fields. */
  GArray *field_keys;
  guint8 dedupe_key[HP_CRYPTO_KEY_SIZE];
  guint8 lookup_key[HP_CRYPTO_KEY_SIZE];

  HpClockFunc clock;
  gpointer clock_data;
};

/* A cached statement borrowed for one use: leaving the scope resets it and
 * drops its bindings, so no bound value outlives the call that bound it. */
typedef sqlite3_stmt *HpBorrowedStatement;

void        hp_store_return_statement (sqlite3_stmt *stmt);

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (HpBorrowedStatement, hp_store_return_statement, NULL)

/* A statement prepared for one rare use (migration, key changes). */
typedef sqlite3_stmt *HpOneOffStatement;

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (HpOneOffStatement, sqlite3_finalize, NULL)

/* hp-store-base.c: the connection, its errors, and the keys held in memory. */

/* Wipes one HpStoreDataKey: the clear function of the field key array. */
void          hp_store_data_key_clear      (gpointer             data);
/* Forgets every unwrapped key: nothing is sealed or opened until the keys
 * are unlocked again. */
void          hp_store_lock_keys           (HpStore             *self);
gboolean      hp_store_exec_sql            (HpStore             *self,
                                            const char          *sql,
                                            HpStoreError         code,
                                            const char          *what,
                                            GError             **error);
void          hp_store_rollback            (HpStore             *self);
sqlite3_stmt *hp_store_get_statement       (HpStore             *self,
                                            HpStoreStatementId   id,
                                            HpStoreError         code,
                                            GError             **error);
gboolean      hp_store_read_failed         (HpStore             *self,
                                            const char          *what,
                                            GError             **error);
gboolean      hp_store_damaged_row         (HpStore             *self,
                                            const char          *what,
                                            GError             **error);
gboolean      hp_store_crypto_failed       (GError              *cause,
                                            const char          *what,
                                            GError             **error);
/* Reads a "SELECT coalesce (max (id), 0)" statement: the next free id. */
gboolean      hp_store_next_id             (HpStore             *self,
                                            HpStoreStatementId   id,
                                            sqlite3_int64       *next,
                                            GError             **error);
gboolean      hp_store_seal_failed         (HpStore             *self,
                                            const char          *what,
                                            HpStoreError         code,
                                            GError             **error);
/* Runs @change in a write transaction of its own, all or nothing. */
gboolean      hp_store_in_write_transaction (HpStore            *self,
                                             const char         *what,
                                             gboolean          (*change) (HpStore *self, gpointer data, GError **error),
                                             gpointer            data,
                                             GError            **error);

/* hp-store-keys.c: the data keys. */

/* The store's keys from the root key: the key-encryption key that wraps
 * the data keys, and the patient lookup key. */
gboolean      hp_store_derive_root_keys    (HpKeyring           *keyring,
                                            guint8              *kek,
                                            guint8              *lookup_key,
                                            GError             **error);
/* Unwraps every data key with the keyring's key-encryption key; on
 * failure the keys held before stay as they were. */
gboolean      hp_store_unlock_keys         (HpStore             *self,
                                            GError             **error);
/* A fresh random data key, wrapped under the key-encryption key and
 * inserted; the caller holds the write transaction. */
gboolean      hp_store_add_data_key        (HpStore             *self,
                                            const char          *purpose,
                                            guint32             *new_id,
                                            GError             **error);
gboolean      hp_store_check_unlocked      (HpStore             *self,
                                            GError             **error);
gboolean      hp_store_hmac                (const guint8        *key,
                                            const void          *data,
                                            gsize                length,
                                            guint8              *mac,
                                            GError             **error);

/* hp-store-visits.c: readings. */

/* Seals @measurement as row @id of measurements and inserts it, unless a
 * reading with the same dedupe key is stored: then *inserted is FALSE.
 * With @keep_repeats (migration), a repeat is kept, without a dedupe key. */
gboolean      hp_store_insert_measurement_row (HpStore          *self,
                                               sqlite3_int64     id,
                                               HpVisit          *visit,
                                               const char       *visit_id,
                                               guint             position,
                                               HpMeasurement    *measurement,
                                               gboolean          keep_repeats,
                                               gboolean         *inserted,
                                               GError          **error);

G_END_DECLS
