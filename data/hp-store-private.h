/* For the rest of data/ only: the store's SQLite connection, for modules that keep their own tables in the same file. */
#pragma once

#include <sqlite3.h>

#include "hp-audit.h"
#include "hp-crypto.h"
#include "hp-store.h"

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

G_END_DECLS
