/* The kiosk's local record of visits: an SQLite file kept with versioned migrations. */
#pragma once

#include <gio/gio.h>

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
} HpStoreError;

GQuark hp_store_error_quark (void);

#define HP_TYPE_STORE (hp_store_get_type ())
G_DECLARE_FINAL_TYPE (HpStore, hp_store, HP, STORE, GObject)

/* Opens (creating if needed) the database at @path and brings its schema up
 * to date. The folder holding @path must exist. */
HpStore    *hp_store_open               (const char  *path,
                                         GError     **error);
/* Opens and migrates only up to @version; for tests of migrations. */
HpStore    *hp_store_open_at_version    (const char  *path,
                                         guint        version,
                                         GError     **error);

const char *hp_store_get_path           (HpStore     *self);
guint       hp_store_get_schema_version (HpStore     *self);
/* The newest schema version this build knows. */
guint       hp_store_get_latest_schema_version (void);

/* Writes @visit and all its measurements in one transaction: all or nothing.
 * The visit must be finished (hp_visit_set_finished_at()). Committing the
 * same visit id twice is an error. */
gboolean    hp_store_commit_visit       (HpStore     *self,
                                         HpVisit     *visit,
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

G_END_DECLS
