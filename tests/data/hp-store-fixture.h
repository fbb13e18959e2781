/* Shared setup for the store tests: a private temporary folder, sample visits and deep comparisons. */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "hp-store.h"

typedef struct {
  char *dir;
  char *path;
} HpStoreFixture;

/* cmocka group setup/teardown: *state becomes an HpStoreFixture whose
 * folder is created empty and removed, with everything in it, afterwards. */
int            hp_store_fixture_setup        (void      **state);
int            hp_store_fixture_teardown     (void      **state);

/* A finished visit holding every kind of measurement, with device times
 * set and unset, flags and non-UTC offsets. */
HpVisit       *hp_store_fixture_sample_visit (const char *id,
                                              gint64      finished_at_unix_ms);
/* A finished visit with one blood-pressure measurement. */
HpVisit       *hp_store_fixture_small_visit  (const char *id,
                                              gint64      finished_at_unix_ms);

/* A keyring holding a fixed test root key; a different @seed gives a
 * different root key. */
HpKeyring     *hp_store_fixture_keyring      (guint8      seed);
/* Opens @path with @keyring, failing the test on any error. */
HpStore       *hp_store_fixture_open         (const char *path,
                                              HpKeyring  *keyring);

/* The audit key the kiosk derives from @store's keyring: the one its log's
 * first entry (schema step 8) is keyed with. */
void           hp_store_fixture_audit_key    (HpStore    *store,
                                              guint8      key[32]);

void           hp_store_fixture_assert_visits_equal (HpVisit *expected,
                                                     HpVisit *actual);
void           hp_store_fixture_assert_error (const GError *error,
                                              int           code);

GBytes        *hp_store_fixture_read_bytes   (const char *path);
/* Writes @length bytes to @path with mode 0600, as the kiosk keeps its files. */
void           hp_store_fixture_write_private (const char *path,
                                               const void *data,
                                               gsize       length);
/* A second connection to the same file, for tampering as another process would. */
sqlite3       *hp_store_fixture_open_raw     (const char *path);
void           hp_store_fixture_exec_raw     (sqlite3    *db,
                                              const char *sql);
gint64         hp_store_fixture_query_int    (sqlite3    *db,
                                              const char *sql);
/* Names of the files in @dir, sorted. */
GStrv          hp_store_fixture_list_dir     (const char *dir);
