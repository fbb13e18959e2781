/* HpStore: saving and loading visits and their readings, and the patients they are filed under. */
#include "hp-store.h"
#include "hp-secret.h"
#include "hp-store-private.h"

#include <math.h>
#include <string.h>

#include "hp-crypto.h"
#include "hp-patient-code.h"
#include "hp-reading-record-private.h"
#include "hp-sql-private.h"

/* The form a personal code is compared in: NFKC, no white space anywhere,
 * upper case, so "priv-acy1 " finds "PRIV-ACY1". A code the kiosk gave out
 * (hp-patient-code.h) loses its dashes too, so the printed "481-2297-5532"
 * and the typed "48122975532" find the same patient. %NULL if nothing is left
 * or it is not UTF-8. The result is personal data: wipe it. */
static char *normalize_any_code (const char *code);

static char *
normalize_patient_code (const char *code)
{
  char *normal = normalize_any_code (code);

  if (normal != NULL && hp_patient_code_is_valid (normal))
    {
      char *digits = hp_patient_code_normalize (normal);

      hp_secret_wipe (normal, strlen (normal));
      g_free (normal);
      return digits;
    }
  return normal;
}

static char *
normalize_any_code (const char *code)
{
  g_autofree char *composed = NULL;
  GString *normal;

  if (!g_utf8_validate (code, -1, NULL))
    return NULL;
  composed = g_utf8_normalize (code, -1, G_NORMALIZE_NFKC);
  if (composed == NULL)
    return NULL;
  normal = g_string_sized_new (strlen (composed));
  for (const char *c = composed; *c != '\0'; c = g_utf8_next_char (c))
    {
      gunichar ch = g_utf8_get_char (c);

      if (!g_unichar_isspace (ch))
        g_string_append_unichar (normal, g_unichar_toupper (ch));
    }
  hp_secret_wipe (composed, strlen (composed));
  if (normal->len == 0)
    {
      g_string_free (normal, TRUE);
      return NULL;
    }
  return g_string_free (normal, FALSE);
}

/* The patient lookup column's value for @normal_code. */
static gboolean
patient_lookup (HpStore     *self,
                const char  *normal_code,
                guint8      *lookup,
                GError     **error)
{
  return hp_store_hmac (self->lookup_key, normal_code, strlen (normal_code), lookup, error);
}

/* The patient id for @lookup, or 0 when there is none. */
static gboolean
find_patient (HpStore        *self,
              const guint8   *lookup,
              sqlite3_int64  *patient_id,
              GError        **error)
{
  g_auto(HpBorrowedStatement) select = NULL;
  int rc;

  select = hp_store_get_statement (self, HP_STORE_STMT_FIND_PATIENT, HP_STORE_ERROR_OPEN, error);
  if (select == NULL)
    return FALSE;
  sqlite3_bind_blob (select, 1, lookup, HP_CRYPTO_MAC_SIZE, SQLITE_STATIC);
  rc = sqlite3_step (select);
  if (rc == SQLITE_ROW)
    {
      *patient_id = sqlite3_column_int64 (select, 0);
      return TRUE;
    }
  if (rc == SQLITE_DONE)
    {
      *patient_id = 0;
      return TRUE;
    }
  return hp_sql_set_error (error, HP_STORE_ERROR, hp_sql_store_error_code (rc, HP_STORE_ERROR_OPEN),
                           rc, NULL, "Cannot look up a patient in %s", self->path);
}

/* Error messages from here name the failing part and sqlite3's generic
 * reason, never sqlite3_errmsg(): that can quote values. */
static gboolean
write_failed (HpStore     *self,
              HpVisit     *visit,
              const char  *part,
              GError     **error)
{
  int rc = sqlite3_extended_errcode (self->db);

  return hp_sql_set_error (error, HP_STORE_ERROR, hp_sql_store_error_code (rc, HP_STORE_ERROR_WRITE),
                           rc, "; nothing of it was kept",
                           "Cannot store visit %s: writing %s failed", hp_visit_get_id (visit), part);
}

/* Seals @measurement as row @id of measurements and inserts it, unless a
 * reading with the same dedupe key is stored: then *inserted is FALSE.
 * With @keep_repeats (migration), a repeat is kept, without a dedupe key,
 * for a migration never drops a row. */
gboolean
hp_store_insert_measurement_row (HpStore        *self,
                                 sqlite3_int64   id,
                                 HpVisit        *visit,
                                 const char     *visit_id,
                                 guint           position,
                                 HpMeasurement  *measurement,
                                 gboolean        keep_repeats,
                                 gboolean       *inserted,
                                 GError        **error)
{
  g_autoptr(HpReadingRecord) record = hp_reading_record_encode (measurement);
  g_autoptr(HpReadingRecord) identity = hp_reading_record_identity (measurement);
  g_autoptr(GBytes) sealed = NULL;
  HpFieldPlace place = { "measurements", "reading", id };
  guint8 dedupe_key[HP_CRYPTO_MAC_SIZE];

  sealed = hp_store_seal_field (self, &place, record->data, record->len, error);
  if (sealed == NULL)
    return FALSE;
  if (identity != NULL && !hp_store_hmac (self->dedupe_key, identity->data, identity->len, dedupe_key, error))
    return FALSE;

  for (guint attempt = 0; attempt < 2; attempt++)
    {
      g_auto(HpBorrowedStatement) insert = NULL;

      insert = hp_store_get_statement (self, HP_STORE_STMT_INSERT_MEASUREMENT, HP_STORE_ERROR_WRITE, error);
      if (insert == NULL)
        return FALSE;
      sqlite3_bind_int64 (insert, 1, id);
      sqlite3_bind_text (insert, 2, visit_id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (insert, 3, position);
      sqlite3_bind_text (insert, 4,
                         hp_measurement_kind_to_string (hp_measurement_get_kind (measurement)),
                         -1, SQLITE_STATIC);
      sqlite3_bind_int64 (insert, 5, hp_time_to_usec (hp_measurement_get_kiosk_time (measurement)));
      sqlite3_bind_blob (insert, 6, g_bytes_get_data (sealed, NULL),
                         (int) g_bytes_get_size (sealed), SQLITE_STATIC);
      if (identity != NULL && attempt == 0)
        sqlite3_bind_blob (insert, 7, dedupe_key, sizeof dedupe_key, SQLITE_STATIC);
      else
        sqlite3_bind_null (insert, 7);
      if (sqlite3_step (insert) != SQLITE_DONE)
        {
          g_autofree char *part = g_strdup_printf ("measurement %u", position + 1);

          if (visit != NULL)
            return write_failed (self, visit, part, error);
          return hp_store_seal_failed (self, part, HP_STORE_ERROR_MIGRATION, error);
        }
      *inserted = sqlite3_changes (self->db) == 1;
      if (*inserted || !keep_repeats)
        return TRUE;
    }
  return TRUE;
}

/* Refuses what the schema would refuse less clearly, before any write. */
static gboolean
check_visit (HpVisit  *visit,
             GError  **error)
{
  GListModel *measurements = hp_visit_get_measurements (visit);
  guint n = g_list_model_get_n_items (measurements);

  if (!hp_visit_is_finished (visit))
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_INVALID,
                   "Visit %s is not finished", hp_visit_get_id (visit));
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HpMeasurement) measurement = g_list_model_get_item (measurements, i);

      for (guint q = 0; q <= HP_QUANTITY_LAST; q++)
        {
          double value = 0.0;

          /* sqlite3 would store NaN as NULL. The value stays out of the message. */
          if (hp_measurement_get_value (measurement, q, &value, NULL) && !isfinite (value))
            {
              g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_INVALID,
                           "Measurement %u of visit %s has a %s value that is not a number",
                           i + 1, hp_visit_get_id (visit),
                           hp_quantity_to_string ((HpQuantity) q));
              return FALSE;
            }
        }
    }
  return TRUE;
}

/* Row ids handed out within one write transaction, read once at its start. */
typedef struct {
  sqlite3_int64 next_measurement_id;
  sqlite3_int64 next_patient_id;
} CommitIds;

/* Seals @normal as row @id of patients and inserts it with @lookup; the
 * caller holds the write transaction. */
static gboolean
insert_patient (HpStore        *self,
                sqlite3_int64   id,
                const char     *normal,
                const guint8   *lookup,
                gint64          created_at,
                GError        **error)
{
  g_auto(HpBorrowedStatement) insert = NULL;
  g_autoptr(GBytes) sealed = NULL;
  HpFieldPlace place = { "patients", "code", id };

  sealed = hp_store_seal_field (self, &place, normal, strlen (normal), error);
  if (sealed == NULL)
    return FALSE;
  insert = hp_store_get_statement (self, HP_STORE_STMT_INSERT_PATIENT, HP_STORE_ERROR_WRITE, error);
  if (insert == NULL)
    return FALSE;
  sqlite3_bind_int64 (insert, 1, id);
  sqlite3_bind_blob (insert, 2, lookup, HP_CRYPTO_MAC_SIZE, SQLITE_STATIC);
  sqlite3_bind_blob (insert, 3, g_bytes_get_data (sealed, NULL),
                     (int) g_bytes_get_size (sealed), SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 4, created_at);
  if (sqlite3_step (insert) != SQLITE_DONE)
    {
      int rc = sqlite3_extended_errcode (self->db);

      return hp_sql_set_error (error, HP_STORE_ERROR, hp_sql_store_error_code (rc, HP_STORE_ERROR_WRITE),
                               rc, NULL, "Cannot store a patient in %s", self->path);
    }
  return TRUE;
}

/* The next patient id: once ids are never reused, above every id given. */
static HpStoreStatementId
max_patient_id_statement (HpStore *self)
{
  return self->schema_version >= HP_STORE_PATIENT_PIN_VERSION ? HP_STORE_STMT_MAX_PATIENT_ID_EVER
                                                              : HP_STORE_STMT_MAX_PATIENT_ID;
}

/* The id of the patient with @code, creating the patient on first sight. */
static gboolean
file_patient (HpStore        *self,
              HpVisit        *visit,
              CommitIds      *ids,
              sqlite3_int64  *patient_id,
              GError        **error)
{
  g_autoptr(HpSecretString) normal = NULL;
  guint8 lookup[HP_CRYPTO_MAC_SIZE];

  normal = normalize_patient_code (hp_visit_get_patient_code (visit));
  if (normal == NULL)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_INVALID,
                   "Visit %s has a patient code that is blank or not text",
                   hp_visit_get_id (visit));
      return FALSE;
    }
  if (!patient_lookup (self, normal, lookup, error)
      || !find_patient (self, lookup, patient_id, error))
    return FALSE;
  if (*patient_id != 0)
    return TRUE;

  if (!insert_patient (self, ids->next_patient_id, normal, lookup,
                       hp_time_to_usec (hp_visit_get_finished_at (visit)), error))
    return FALSE;
  *patient_id = ids->next_patient_id++;
  return TRUE;
}

/* Where a visit's height is sealed: bound to the visit's id, which never
 * changes, through the first 8 bytes of its SHA-256. */
static HpFieldPlace
visit_height_place (HpVisit *visit)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;
  guint64 row = 0;

  g_checksum_update (checksum, (const guchar *) hp_visit_get_id (visit), -1);
  g_checksum_get_digest (checksum, digest, &length);
  for (guint i = 0; i < 8; i++)
    row = (row << 8) | digest[i];
  return (HpFieldPlace) { "visits", "height", (gint64) (row >> 1) };
}

/* The visit's height, sealed, written into its row (from
 * HP_STORE_VISIT_HEIGHT_VERSION on; a visit without one keeps NULL). */
static gboolean
store_visit_height (HpStore  *self,
                    HpVisit  *visit,
                    GError  **error)
{
  g_auto(HpBorrowedStatement) update = NULL;
  g_autoptr(GBytes) sealed = NULL;
  HpFieldPlace place;
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  if (hp_visit_get_height_cm (visit) <= 0 || self->schema_version < HP_STORE_VISIT_HEIGHT_VERSION)
    return TRUE;
  place = visit_height_place (visit);
  g_ascii_formatd (text, sizeof text, "%.1f", hp_visit_get_height_cm (visit));
  sealed = hp_store_seal_field (self, &place, text, strlen (text), error);
  if (sealed == NULL)
    return FALSE;
  update = hp_store_get_statement (self, HP_STORE_STMT_SET_VISIT_HEIGHT, HP_STORE_ERROR_WRITE, error);
  if (update == NULL)
    return FALSE;
  sqlite3_bind_blob (update, 1, g_bytes_get_data (sealed, NULL), (int) g_bytes_get_size (sealed), SQLITE_STATIC);
  sqlite3_bind_text (update, 2, hp_visit_get_id (visit), -1, SQLITE_STATIC);
  if (sqlite3_step (update) != SQLITE_DONE)
    return write_failed (self, visit, "the visit's height", error);
  return TRUE;
}

/* The stored height of @visit, when it has one. */
static gboolean
load_visit_height (HpStore  *self,
                   HpVisit  *visit,
                   GError  **error)
{
  g_auto(HpBorrowedStatement) select = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autofree char *text = NULL;
  HpFieldPlace place;
  char *end = NULL;
  double height;

  if (self->schema_version < HP_STORE_VISIT_HEIGHT_VERSION)
    return TRUE;
  select = hp_store_get_statement (self, HP_STORE_STMT_SELECT_VISIT_HEIGHT, HP_STORE_ERROR_OPEN, error);
  if (select == NULL)
    return FALSE;
  sqlite3_bind_text (select, 1, hp_visit_get_id (visit), -1, SQLITE_STATIC);
  if (sqlite3_step (select) != SQLITE_ROW)
    {
      hp_store_read_failed (self, "a visit's height", error);
      return FALSE;
    }
  if (sqlite3_column_type (select, 0) == SQLITE_NULL)
    return TRUE;
  place = visit_height_place (visit);
  plain = hp_store_open_field (self, &place, sqlite3_column_blob (select, 0), (gsize) sqlite3_column_bytes (select, 0), error);
  if (plain == NULL)
    return FALSE;
  text = g_strndup (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain));
  height = g_ascii_strtod (text, &end);
  if (strlen (text) != g_bytes_get_size (plain) || end == text || *end != '\0' ||
      !hp_visit_set_height_cm (visit, height) || height == 0)
    {
      hp_store_damaged_row (self, "a visit's height", error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
insert_visit (HpStore    *self,
              HpVisit    *visit,
              CommitIds  *ids,
              GError    **error)
{
  GListModel *measurements = hp_visit_get_measurements (visit);
  guint n = g_list_model_get_n_items (measurements);
  sqlite3_int64 patient_id = 0;

  if (hp_visit_get_patient_code (visit) != NULL
      && !file_patient (self, visit, ids, &patient_id, error))
    return FALSE;

  {
    g_auto(HpBorrowedStatement) insert = NULL;

    insert = hp_store_get_statement (self, HP_STORE_STMT_INSERT_VISIT, HP_STORE_ERROR_WRITE, error);
    if (insert == NULL)
      return FALSE;
    sqlite3_bind_text (insert, 1, hp_visit_get_id (visit), -1, SQLITE_STATIC);
    sqlite3_bind_int64 (insert, 2, hp_time_to_usec (hp_visit_get_started_at (visit)));
    sqlite3_bind_int64 (insert, 3, hp_time_to_usec (hp_visit_get_finished_at (visit)));
    sqlite3_bind_text (insert, 4, hp_visit_get_language (visit), -1, SQLITE_STATIC);
    if (patient_id != 0)
      sqlite3_bind_int64 (insert, 5, patient_id);
    else
      sqlite3_bind_null (insert, 5);
    if (sqlite3_step (insert) != SQLITE_DONE)
      {
        /* The first copy stays as it was; telling this apart lets the
         * caller treat a repeated commit as done. */
        if (sqlite3_extended_errcode (self->db) == SQLITE_CONSTRAINT_PRIMARYKEY)
          {
            g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_INVALID,
                         "Visit %s is already stored; the stored copy is kept",
                         hp_visit_get_id (visit));
            return FALSE;
          }
        return write_failed (self, visit, "the visit", error);
      }
  }
  if (!store_visit_height (self, visit, error))
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HpMeasurement) measurement = g_list_model_get_item (measurements, i);
      gboolean inserted = FALSE;

      if (!hp_store_insert_measurement_row (self, ids->next_measurement_id, visit, hp_visit_get_id (visit),
                                            i, measurement, FALSE, &inserted, error))
        return FALSE;
      if (inserted)
        ids->next_measurement_id++;
    }
  return TRUE;
}

gboolean
hp_store_commit_visits (HpStore  *self,
                        HpVisit **visits,
                        guint     n_visits,
                        GError  **error)
{
  CommitIds ids = { 0, 0 };

  g_return_val_if_fail (HP_IS_STORE (self), FALSE);
  g_return_val_if_fail (visits != NULL || n_visits == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!hp_store_check_unlocked (self, error))
    return FALSE;
  for (guint i = 0; i < n_visits; i++)
    {
      g_return_val_if_fail (HP_IS_VISIT (visits[i]), FALSE);
      if (!check_visit (visits[i], error))
        return FALSE;
    }
  if (n_visits == 0)
    return TRUE;

  /* IMMEDIATE takes the write lock now, so a busy database fails here,
   * before anything is written, instead of halfway. */
  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return write_failed (self, visits[0], "the transaction start", error);

  /* Ids are read under the write lock, so no other writer can take them. */
  if (!hp_store_next_id (self, HP_STORE_STMT_MAX_MEASUREMENT_ID, &ids.next_measurement_id, error)
      || !hp_store_next_id (self, max_patient_id_statement (self), &ids.next_patient_id, error))
    {
      hp_store_rollback (self);
      return FALSE;
    }
  for (guint i = 0; i < n_visits; i++)
    if (!insert_visit (self, visits[i], &ids, error))
      {
        hp_store_rollback (self);
        return FALSE;
      }
  if (sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    {
      write_failed (self, visits[0], "the commit", error);
      hp_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

gboolean
hp_store_commit_visit (HpStore  *self,
                       HpVisit  *visit,
                       GError  **error)
{
  g_return_val_if_fail (HP_IS_STORE (self), FALSE);
  g_return_val_if_fail (HP_IS_VISIT (visit), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return hp_store_commit_visits (self, &visit, 1, error);
}

static gboolean
load_measurements (HpStore  *self,
                   HpVisit  *visit,
                   GError  **error)
{
  g_auto(HpBorrowedStatement) select = NULL;
  int rc;

  select = hp_store_get_statement (self, HP_STORE_STMT_SELECT_MEASUREMENTS, HP_STORE_ERROR_OPEN, error);
  if (select == NULL)
    return FALSE;
  sqlite3_bind_text (select, 1, hp_visit_get_id (visit), -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      g_autoptr(HpMeasurement) measurement = NULL;
      g_autoptr(GDateTime) kiosk_time = NULL;
      g_autoptr(GBytes) record = NULL;
      g_autoptr(GError) local_error = NULL;
      HpFieldPlace place = { "measurements", "reading", sqlite3_column_int64 (select, 0) };
      HpMeasurementKind kind;

      if (!hp_measurement_kind_from_string ((const char *) sqlite3_column_text (select, 1), &kind))
        return hp_store_damaged_row (self, "a measurement of an unknown kind", error);
      kiosk_time = hp_time_from_usec (sqlite3_column_int64 (select, 2));
      if (kiosk_time == NULL)
        return hp_store_damaged_row (self, "a measurement time", error);

      record = hp_store_open_field (self, &place, sqlite3_column_blob (select, 3),
                                    (gsize) sqlite3_column_bytes (select, 3), error);
      if (record == NULL)
        return FALSE;
      measurement = hp_reading_record_decode (kind, g_bytes_get_data (record, NULL),
                                              g_bytes_get_size (record), &local_error);
      if (measurement == NULL)
        {
          g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_CORRUPT,
                       "The database %s holds measurement %" G_GINT64_FORMAT
                       " this build cannot read: %s",
                       self->path, place.row_id, local_error->message);
          return FALSE;
        }
      hp_measurement_set_kiosk_time (measurement, kiosk_time);
      hp_visit_add_measurement (visit, measurement);
    }
  if (rc != SQLITE_DONE)
    return hp_store_read_failed (self, "measurements", error);
  return TRUE;
}

static HpVisit *
load_visit (HpStore     *self,
            const char  *visit_id,
            GError     **error)
{
  g_auto(HpBorrowedStatement) select = NULL;
  g_autoptr(HpVisit) visit = NULL;
  g_autoptr(GDateTime) started_at = NULL;
  g_autoptr(GDateTime) finished_at = NULL;
  const char *language;
  int rc;

  select = hp_store_get_statement (self, HP_STORE_STMT_SELECT_VISIT, HP_STORE_ERROR_OPEN, error);
  if (select == NULL)
    return NULL;
  sqlite3_bind_text (select, 1, visit_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (select);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_NOT_FOUND,
                   "No visit %s is stored", visit_id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      hp_store_read_failed (self, "a visit", error);
      return NULL;
    }

  started_at = hp_time_from_usec (sqlite3_column_int64 (select, 0));
  finished_at = hp_time_from_usec (sqlite3_column_int64 (select, 1));
  language = (const char *) sqlite3_column_text (select, 2);
  if (started_at == NULL || finished_at == NULL || language == NULL || *language == '\0')
    {
      hp_store_damaged_row (self, "a visit", error);
      return NULL;
    }
  visit = hp_visit_new_full (visit_id, started_at);
  hp_visit_set_finished_at (visit, finished_at);
  hp_visit_set_language (visit, language);

  if (sqlite3_column_type (select, 3) != SQLITE_NULL)
    {
      HpFieldPlace place = { "patients", "code", sqlite3_column_int64 (select, 3) };
      g_autoptr(GBytes) code = NULL;
      g_autoptr(HpSecretString) text = NULL;

      if (sqlite3_column_type (select, 4) == SQLITE_NULL)
        {
          hp_store_damaged_row (self, "a visit of a patient it does not hold", error);
          return NULL;
        }
      code = hp_store_open_field (self, &place, sqlite3_column_blob (select, 4),
                                  (gsize) sqlite3_column_bytes (select, 4), error);
      if (code == NULL)
        return NULL;
      text = g_strndup (g_bytes_get_data (code, NULL), g_bytes_get_size (code));
      if (strlen (text) != g_bytes_get_size (code) || !g_utf8_validate (text, -1, NULL))
        {
          hp_store_damaged_row (self, "a patient code", error);
          return NULL;
        }
      hp_visit_set_patient_code (visit, text);
    }

  if (!load_visit_height (self, visit, error) || !load_measurements (self, visit, error))
    return NULL;
  return g_steal_pointer (&visit);
}

HpVisit *
hp_store_load_visit (HpStore     *self,
                     const char  *visit_id,
                     GError     **error)
{
  HpVisit *visit;

  g_return_val_if_fail (HP_IS_STORE (self), NULL);
  g_return_val_if_fail (visit_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!hp_store_check_unlocked (self, error))
    return NULL;
  /* One read transaction, so the visit and its measurements come from the
   * same snapshot even while another connection writes. */
  if (!hp_store_exec_sql (self, "BEGIN", HP_STORE_ERROR_OPEN, "Starting a read", error))
    return NULL;
  visit = load_visit (self, visit_id, error);
  hp_store_rollback (self);
  return visit;
}
gint64
hp_store_count_visits (HpStore  *self,
                       GError  **error)
{
  g_auto(HpBorrowedStatement) select = NULL;

  g_return_val_if_fail (HP_IS_STORE (self), -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  select = hp_store_get_statement (self, HP_STORE_STMT_COUNT_VISITS, HP_STORE_ERROR_OPEN, error);
  if (select == NULL)
    return -1;
  if (sqlite3_step (select) != SQLITE_ROW)
    {
      hp_store_read_failed (self, "the number of visits", error);
      return -1;
    }
  return sqlite3_column_int64 (select, 0);
}

GStrv
hp_store_list_visit_ids (HpStore  *self,
                         guint     limit,
                         GError  **error)
{
  g_auto(HpBorrowedStatement) select = NULL;
  g_autoptr(GStrvBuilder) ids = NULL;
  int rc;

  g_return_val_if_fail (HP_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  select = hp_store_get_statement (self, HP_STORE_STMT_LIST_VISIT_IDS, HP_STORE_ERROR_OPEN, error);
  if (select == NULL)
    return NULL;
  /* A negative LIMIT means no limit to sqlite3. */
  sqlite3_bind_int64 (select, 1, limit == 0 ? -1 : (sqlite3_int64) limit);

  ids = g_strv_builder_new ();
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (select, 0);

      if (id == NULL)
        {
          hp_store_damaged_row (self, "a visit without an id", error);
          return NULL;
        }
      g_strv_builder_add (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      hp_store_read_failed (self, "the list of visits", error);
      return NULL;
    }
  return g_strv_builder_end (ids);
}

static gboolean
list_patient_visit_ids (HpStore        *self,
                        sqlite3_int64   patient_id,
                        guint           limit,
                        GPtrArray      *ids,
                        GError        **error)
{
  g_auto(HpBorrowedStatement) select = NULL;
  int rc;

  select = hp_store_get_statement (self, HP_STORE_STMT_LIST_PATIENT_VISITS, HP_STORE_ERROR_OPEN, error);
  if (select == NULL)
    return FALSE;
  sqlite3_bind_int64 (select, 1, patient_id);
  sqlite3_bind_int64 (select, 2, limit == 0 ? -1 : (sqlite3_int64) limit);
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (select, 0);

      if (id == NULL)
        return hp_store_damaged_row (self, "a visit without an id", error);
      g_ptr_array_add (ids, g_strdup (id));
    }
  if (rc != SQLITE_DONE)
    return hp_store_read_failed (self, "a patient's visits", error);
  return TRUE;
}

static GPtrArray *
load_patient_visits (HpStore     *self,
                     const char  *normal_code,
                     guint        limit,
                     GError     **error)
{
  g_autoptr(GPtrArray) visits = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  guint8 lookup[HP_CRYPTO_MAC_SIZE];
  sqlite3_int64 patient_id = 0;

  if (!patient_lookup (self, normal_code, lookup, error)
      || !find_patient (self, lookup, &patient_id, error))
    return NULL;
  if (patient_id == 0)
    return g_steal_pointer (&visits);
  if (!list_patient_visit_ids (self, patient_id, limit, ids, error))
    return NULL;
  for (guint i = 0; i < ids->len; i++)
    {
      HpVisit *visit = load_visit (self, g_ptr_array_index (ids, i), error);

      if (visit == NULL)
        return NULL;
      g_ptr_array_add (visits, visit);
    }
  return g_steal_pointer (&visits);
}

GPtrArray *
hp_store_list_patient_visits (HpStore     *self,
                              const char  *patient_code,
                              guint        limit,
                              GError     **error)
{
  g_autoptr(HpSecretString) normal = NULL;
  GPtrArray *visits;

  g_return_val_if_fail (HP_IS_STORE (self), NULL);
  g_return_val_if_fail (patient_code != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!hp_store_check_unlocked (self, error))
    return NULL;
  normal = normalize_patient_code (patient_code);
  if (normal == NULL)
    {
      g_set_error_literal (error, HP_STORE_ERROR, HP_STORE_ERROR_INVALID,
                           "A patient code must be text and not blank");
      return NULL;
    }
  if (!hp_store_exec_sql (self, "BEGIN", HP_STORE_ERROR_OPEN, "Starting a read", error))
    return NULL;
  visits = load_patient_visits (self, normal, limit, error);
  hp_store_rollback (self);
  return visits;
}

gboolean
hp_store_check_patient_pins (HpStore  *self,
                             GError  **error)
{
  if (!hp_store_check_unlocked (self, error))
    return FALSE;
  if (self->schema_version < HP_STORE_PATIENT_PIN_VERSION)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_INVALID,
                   "The database %s was opened at schema version %u, without patient PINs",
                   self->path, self->schema_version);
      return FALSE;
    }
  return TRUE;
}

gboolean
hp_store_find_patient (HpStore   *self,
                       const char *code,
                       gint64    *patient_id,
                       GError   **error)
{
  g_autoptr(HpSecretString) normal = NULL;
  guint8 lookup[HP_CRYPTO_MAC_SIZE];
  sqlite3_int64 id = 0;

  g_return_val_if_fail (HP_IS_STORE (self), FALSE);
  g_return_val_if_fail (code != NULL && patient_id != NULL, FALSE);

  if (!hp_store_check_patient_pins (self, error))
    return FALSE;
  normal = normalize_patient_code (code);
  if (normal == NULL)
    {
      *patient_id = 0;
      return TRUE;
    }
  if (!patient_lookup (self, normal, lookup, error) || !find_patient (self, lookup, &id, error))
    return FALSE;
  *patient_id = id;
  return TRUE;
}

gboolean
hp_store_patient_code_lookup (HpStore      *self,
                              const char   *code,
                              guint8       *lookup,
                              GError      **error)
{
  g_autoptr(HpSecretString) normal = NULL;

  g_return_val_if_fail (HP_IS_STORE (self), FALSE);
  g_return_val_if_fail (code != NULL && lookup != NULL, FALSE);

  if (!hp_store_check_patient_pins (self, error))
    return FALSE;
  normal = normalize_patient_code (code);
  if (normal == NULL)
    {
      g_set_error_literal (error, HP_STORE_ERROR, HP_STORE_ERROR_INVALID,
                           "Not a personal code");
      return FALSE;
    }
  return patient_lookup (self, normal, lookup, error);
}

gboolean
hp_store_add_patient (HpStore     *self,
                      const char  *code,
                      gint64       created_at,
                      gint64      *patient_id,
                      GError     **error)
{
  g_autoptr(HpSecretString) normal = NULL;
  guint8 lookup[HP_CRYPTO_MAC_SIZE];
  sqlite3_int64 id = 0;

  g_return_val_if_fail (HP_IS_STORE (self), FALSE);
  g_return_val_if_fail (code != NULL && patient_id != NULL, FALSE);

  if (!hp_store_check_patient_pins (self, error))
    return FALSE;
  normal = normalize_patient_code (code);
  if (normal == NULL)
    {
      g_set_error_literal (error, HP_STORE_ERROR, HP_STORE_ERROR_INVALID,
                           "A patient code must be text and not blank");
      return FALSE;
    }
  if (!patient_lookup (self, normal, lookup, error)
      || !hp_store_next_id (self, HP_STORE_STMT_MAX_PATIENT_ID_EVER, &id, error)
      || !insert_patient (self, id, normal, lookup, created_at, error))
    return FALSE;
  *patient_id = id;
  return TRUE;
}
