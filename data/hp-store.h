/* The kiosk's local record of visits: an SQLite file kept with versioned migrations, its private fields sealed. */
#pragma once

#include <gio/gio.h>

#include "hp-keyring.h"
#include "hp-visit.h"

G_BEGIN_DECLS

#define HP_STORE_ERROR (hp_store_error_quark ())

typedef enum {
  HP_STORE_ERROR_OPEN,      /* the file cannot be opened or created */
  HP_STORE_ERROR_CORRUPT,   /* the file is not a usable database */
  HP_STORE_ERROR_MIGRATION, /* a schema step failed; the file is left at the last good version */
  HP_STORE_ERROR_TOO_NEW,   /* the file was written by a newer Healthpost */
  HP_STORE_ERROR_WRITE,     /* a write failed; nothing of it was kept */
  HP_STORE_ERROR_NOT_FOUND,
  HP_STORE_ERROR_INVALID,   /* the caller passed something the store cannot keep */
  HP_STORE_ERROR_WRONG_KEY, /* the root key does not unlock this database's data keys */
  HP_STORE_ERROR_CRYPTO,    /* sealing or a random key failed; nothing was written */
  /* Returning patients (hp-store-patients.h). An unknown personal code and
   * a wrong PIN are one error, so no one can tell whether a code exists. */
  HP_STORE_ERROR_PATIENT_UNKNOWN,
  HP_STORE_ERROR_WRONG_PIN = HP_STORE_ERROR_PATIENT_UNKNOWN,
  HP_STORE_ERROR_PATIENT_LOCKED, /* too many wrong PINs for this code: refused until the lock ends */
  HP_STORE_ERROR_WEAK_PIN,       /* a new PIN that is not 4 to 6 digits, or too easy to guess */
} HpStoreError;

GQuark hp_store_error_quark (void);

/* The seconds an HP_STORE_ERROR_PATIENT_LOCKED error says the lock has
 * left to run, at least 1; 0 for any other error. */
guint  hp_store_error_get_locked_seconds (const GError *error);

#define HP_TYPE_STORE (hp_store_get_type ())
G_DECLARE_FINAL_TYPE (HpStore, hp_store, HP, STORE, GObject)

/* Opens (creating if needed) the database at @path, brings its schema up
 * to date and unlocks its data keys with @keyring's root key; a wrong root
 * key gives HP_STORE_ERROR_WRONG_KEY. The folder holding @path must exist. */
HpStore    *hp_store_open_with_keyring  (const char  *path,
                                         HpKeyring   *keyring,
                                         GError     **error);
/* Opens the existing database at @path only to read it: never creates,
 * migrates, checkpoints or changes a file (SQLite's query_only), whatever
 * its schema version (hp_store_get_schema_version() says which, and what
 * an older one lacks stays unavailable). @keyring (may be %NULL) opens
 * sealed fields and is checked against the database. */
HpStore    *hp_store_open_read_only     (const char  *path,
                                         HpKeyring   *keyring,
                                         GError     **error);

/* hp_store_open_with_keyring() with the demo root key kept in "@path.key",
 * created (mode 0600) on first use. For demo mode and tests only: a
 * production kiosk's key comes from its systemd credential, never from a
 * file beside the database. */
HpStore    *hp_store_open_demo          (const char  *path,
                                         GError     **error);
/* Opens and migrates only up to @version; for tests of migrations.
 * @keyring may be %NULL for versions before sealed fields (3). */
HpStore    *hp_store_open_at_version_with_keyring (const char  *path,
                                                   HpKeyring   *keyring,
                                                   guint        version,
                                                   GError     **error);
/* The same with hp_store_open_demo()'s demo key from version 3 on. */
HpStore    *hp_store_open_at_version    (const char  *path,
                                         guint        version,
                                         GError     **error);

const char *hp_store_get_path           (HpStore     *self);
guint       hp_store_get_schema_version (HpStore     *self);
/* The newest schema version this build knows. */
guint       hp_store_get_latest_schema_version (void);

/* Writes @visit and all its measurements in one transaction: all or nothing.
 * The visit must be finished (hp_visit_set_finished_at()). Committing the
 * same visit id twice is an error. A reading the store already holds (same
 * device, device time and values) is kept once: the visit is stored
 * without the repeat. A patient code files the visit under that patient,
 * who is created on first sight. */
gboolean    hp_store_commit_visit       (HpStore     *self,
                                         HpVisit     *visit,
                                         GError     **error);
/* Commits @n_visits visits in one transaction: all or nothing. */
gboolean    hp_store_commit_visits      (HpStore     *self,
                                         HpVisit    **visits,
                                         guint        n_visits,
                                         GError     **error);

/* Reads a committed visit back with its measurements. */
HpVisit    *hp_store_load_visit         (HpStore     *self,
                                         const char  *visit_id,
                                         GError     **error);

/* Number of committed visits, or -1 on error. */
gint64      hp_store_count_visits       (HpStore     *self,
                                         GError     **error);

/* Committed visit ids, newest first, at most @limit (0 = all). */
GStrv       hp_store_list_visit_ids     (HpStore     *self,
                                         guint        limit,
                                         GError     **error);

/* The visits of the patient with @patient_code, each with its
 * measurements, newest first, at most @limit (0 = all): an empty array for
 * a code never stored. The code is compared after normalisation
 * (surrounding and inner white space removed, letters in upper case). */
GPtrArray  *hp_store_list_patient_visits (HpStore    *self,
                                          const char *patient_code,
                                          guint       limit,
                                          GError    **error);

/* Adds a new data key; fields written from now on are sealed with it, and
 * fields sealed with older keys stay readable. Returns its key id, 0 on
 * error. */
guint32     hp_store_rotate_data_key    (HpStore     *self,
                                         GError     **error);
/* Re-wraps every data key under @new_keyring's root key and recomputes the
 * patient lookup column, in one transaction. Afterwards only the new root
 * key opens the database. Run it with no other process using the file. */
gboolean    hp_store_rewrap_keys        (HpStore     *self,
                                         HpKeyring   *new_keyring,
                                         GError     **error);

/* The kiosk's own settings, kept in the clear: never put personal data in
 * them. Getting an unset key gives %NULL and HP_STORE_ERROR_NOT_FOUND. */
char       *hp_store_get_setting        (HpStore     *self,
                                         const char  *key,
                                         GError     **error);
gboolean    hp_store_set_setting        (HpStore     *self,
                                         const char  *key,
                                         const char  *value,
                                         GError     **error);

G_END_DECLS
