/* Returning patients in the store: a new personal code with a PIN, and a code and PIN checked with lockout. */
#include "hp-store-patients.h"
#include "hp-pin-hash-private.h"
#include "hp-secret.h"
#include "hp-sql-private.h"
#include "hp-store-private.h"

#include <string.h>

#include "hp-crypto.h"
#include "hp-keyring.h"

#define PEPPER_SIZE 32
#define AUDIT_KEY_SIZE 32

/* New codes drawn before creation gives up. With 10^10 codes a second draw
 * is already rare; needing this many means the random source is broken. */
#define CODE_DRAWS 16

/* One message for an unknown code, a wrong PIN and everything else that
 * is not right, so none can be told from another. */
#define NOT_RECOGNIZED_MESSAGE "The personal code or the PIN is not right"

/* Source tags of the async tasks: only their addresses matter. */
static char create_tag;
static char verify_tag;

guint
hp_patient_lockout_seconds (guint failed_attempts)
{
  return hp_pin_lockout_seconds (failed_attempts, HP_PATIENT_LOCKOUT_THRESHOLD,
                                 HP_PATIENT_LOCKOUT_FIRST_SECONDS, HP_PATIENT_LOCKOUT_MAX_SECONDS);
}

char *
hp_patient_code_generate (GError **error)
{
  char *code = g_malloc0 (HP_PATIENT_CODE_LENGTH + 1);
  guint8 random[32];
  guint filled = 0;

  while (filled < HP_PATIENT_CODE_RANDOM_DIGITS)
    {
      g_autoptr(GError) local_error = NULL;

      if (!hp_crypto_random (random, sizeof random, &local_error))
        {
          hp_secret_wipe (code, HP_PATIENT_CODE_LENGTH);
          g_free (code);
          g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_CRYPTO,
                       "No randomness for a personal code: %s", local_error->message);
          return NULL;
        }
      /* Bytes from 250 up are dropped: 250 is the largest multiple of 10
       * a byte holds, so every digit stays equally likely. */
      for (guint i = 0; i < sizeof random && filled < HP_PATIENT_CODE_RANDOM_DIGITS; i++)
        if (random[i] < 250)
          code[filled++] = (char) ('0' + random[i] % 10);
    }
  hp_secret_wipe (random, sizeof random);
  code[HP_PATIENT_CODE_RANDOM_DIGITS] = hp_patient_code_check_digit (code, HP_PATIENT_CODE_RANDOM_DIGITS);
  return code;
}

void
hp_store_set_patient_clock (HpStore     *self,
                            HpClockFunc  clock,
                            gpointer     user_data)
{
  g_return_if_fail (HP_IS_STORE (self));

  hp_store_set_clock (self, clock, user_data);
}

/* ---- the work of one PIN: made on the caller's thread, hashed anywhere -- */

/* Everything the hash needs, copied, so a worker thread touches nothing
 * shared; wiped when freed. */
typedef struct {
  char *pin;
  guint8 pepper[PEPPER_SIZE];
  const HpPinKdf *kdf;
  guint8 salt[HP_PIN_SALT_SIZE];
  /* Checking: the patient the hash is compared for, 0 when there is none
   * (an unknown code, or a patient without a PIN). */
  gint64 patient_id;
  /* Checking a code with no PIN here: its wrong PINs count under its
   * lookup value all the same (schema step 7). */
  gboolean count_code;
  guint8 code_lookup[HP_CRYPTO_MAC_SIZE];
  guint8 hash[HP_PIN_HASH_SIZE];
  gboolean hashed;
} PinJob;

static void
pin_job_free (PinJob *job)
{
  if (job == NULL)
    return;
  if (job->pin != NULL)
    {
      hp_secret_wipe (job->pin, strlen (job->pin));
      g_free (job->pin);
    }
  hp_secret_wipe (job, sizeof *job);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PinJob, pin_job_free)

static void
pin_job_run (PinJob *job)
{
  job->hashed = hp_pin_hash (job->pepper, sizeof job->pepper, job->kdf, job->pin,
                             job->salt, job->hash);
  hp_secret_wipe (job->pin, strlen (job->pin));
}

static PinJob *
pin_job_new (HpStore     *store,
             const char  *pin,
             GError     **error)
{
  g_autoptr(PinJob) job = g_new0 (PinJob, 1);
  g_autoptr(GError) local_error = NULL;

  job->pin = g_strdup (pin);
  job->kdf = hp_pin_kdf_for_patients ();
  if (!hp_keyring_derive (hp_store_get_keyring (store), HP_KEYRING_PURPOSE_PATIENT_PIN_PEPPER,
                          job->pepper, sizeof job->pepper, &local_error))
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_CRYPTO,
                   "Cannot derive the patient PIN pepper: %s", local_error->message);
      return NULL;
    }
  if (!hp_pin_new_salt (job->salt))
    {
      g_set_error_literal (error, HP_STORE_ERROR, HP_STORE_ERROR_CRYPTO,
                           "No randomness for a PIN salt");
      return NULL;
    }
  return g_steal_pointer (&job);
}

static gboolean
hash_failed (PinJob  *job,
             GError **error)
{
  g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_CRYPTO,
               "Cannot hash the PIN (%s)", job->kdf->name);
  return FALSE;
}

/* ---- database ------------------------------------------------------------ */

typedef sqlite3_stmt HpPatientStatement;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HpPatientStatement, sqlite3_finalize)

/* A damaged file is told as HP_STORE_ERROR_CORRUPT, whatever @code. */
static gboolean
sql_failed (HpStore      *store,
            HpStoreError  code,
            GError      **error)
{
  int rc = sqlite3_extended_errcode (hp_store_get_db (store));

  return hp_sql_set_error (error, HP_STORE_ERROR, hp_sql_store_error_code (rc, code), rc, NULL,
                           "The patients in %s cannot be %s", hp_store_get_path (store),
                           code == HP_STORE_ERROR_WRITE ? "written" : "read");
}

static HpPatientStatement *
prepare (HpStore      *store,
         const char   *sql,
         HpStoreError  code,
         GError      **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (hp_store_get_db (store), sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      sql_failed (store, code, error);
      return NULL;
    }
  return stmt;
}

static gboolean
exec (HpStore     *store,
      const char  *sql,
      GError     **error)
{
  if (sqlite3_exec (hp_store_get_db (store), sql, NULL, NULL, NULL) != SQLITE_OK)
    return sql_failed (store, HP_STORE_ERROR_WRITE, error);
  return TRUE;
}

static void
rollback (HpStore *store)
{
  if (!sqlite3_get_autocommit (hp_store_get_db (store)))
    sqlite3_exec (hp_store_get_db (store), "ROLLBACK", NULL, NULL, NULL);
}

static gint64
store_clock (gpointer store)
{
  return hp_store_now (store);
}

/* The store's audit log, keyed as the kiosk keys it and stamped by the
 * store's clock. */
static HpAuditLog *
open_audit_log (HpStore  *store,
                GError  **error)
{
  HpAuditLog *audit_log = NULL;
  guint8 key[AUDIT_KEY_SIZE];

  if (hp_keyring_derive (hp_store_get_keyring (store), HP_KEYRING_PURPOSE_AUDIT_HMAC,
                         key, sizeof key, error))
    audit_log = hp_audit_log_new (store, key, sizeof key, error);
  hp_secret_wipe (key, sizeof key);
  if (audit_log != NULL)
    hp_audit_log_set_clock (audit_log, store_clock, store);
  return audit_log;
}

/* With @audited (the transaction appended to the audit log), the log's
 * anchor follows the new entries after the commit; a failure there is
 * told, not returned: what was committed stays. */
static gboolean
commit (HpStore   *store,
        gboolean   audited,
        GError   **error)
{
  g_autoptr(HpAuditLog) audit_log = NULL;
  g_autoptr(GError) anchor_error = NULL;

  if (!exec (store, "COMMIT", error))
    {
      rollback (store);
      return FALSE;
    }
  if (!audited)
    return TRUE;
  audit_log = open_audit_log (store, &anchor_error);
  if (audit_log == NULL || !hp_audit_log_anchor (audit_log, &anchor_error))
    g_warning ("%s", anchor_error->message);
  return TRUE;
}

/* Appends to the store's audit log, in the caller's transaction. */
static gboolean
audit (HpStore     *store,
       const char  *action,
       const char  *detail,
       GError     **error)
{
  g_autoptr(HpAuditLog) audit_log = NULL;
  g_autoptr(GError) local_error = NULL;

  audit_log = open_audit_log (store, &local_error);
  if (audit_log != NULL
      && hp_audit_append (audit_log, HP_AUDIT_ACTOR_KIOSK, action, detail, &local_error))
    return TRUE;
  g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_WRITE,
               "Cannot audit %s: %s", action, local_error->message);
  return FALSE;
}

static gboolean
not_recognized (GError **error)
{
  g_set_error_literal (error, HP_STORE_ERROR, HP_STORE_ERROR_PATIENT_UNKNOWN,
                       NOT_RECOGNIZED_MESSAGE);
  return FALSE;
}

static gboolean
locked (gint64    now,
        gint64    locked_until,
        GError  **error)
{
  gint64 left = (locked_until - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;
  GError *local_error;

  left = CLAMP (left, 1, G_MAXUINT);
  local_error = g_error_new (HP_STORE_ERROR, HP_STORE_ERROR_PATIENT_LOCKED,
                             "Too many wrong PINs: this personal code is locked for "
                             "another %" G_GINT64_FORMAT " s", left);
  hp_store_error_set_locked_seconds (local_error, (guint) left);
  g_propagate_error (error, local_error);
  return FALSE;
}

/* A patient's PIN as stored; none for a patient filed by code alone. */
typedef struct {
  gboolean has_pin;
  HpStoredPin pin;
} StoredPin;

static void
stored_pin_clear (StoredPin *stored)
{
  hp_secret_wipe (stored, sizeof *stored);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StoredPin, stored_pin_clear)

/* Reads patient @patient_id's PIN; FALSE with HP_STORE_ERROR_NOT_FOUND when
 * the row is gone. A PIN this build cannot check is damage. */
static gboolean
read_stored_pin (HpStore    *store,
                 gint64      patient_id,
                 StoredPin  *stored,
                 GError    **error)
{
  g_autoptr(HpPatientStatement) select = NULL;
  int rc;

  select = prepare (store, "SELECT " HP_PIN_COLUMNS " FROM patients WHERE id = ?1",
                    HP_STORE_ERROR_OPEN, error);
  if (select == NULL)
    return FALSE;
  sqlite3_bind_int64 (select, 1, patient_id);
  rc = sqlite3_step (select);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_NOT_FOUND,
                   "There is no patient %" G_GINT64_FORMAT, patient_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return sql_failed (store, HP_STORE_ERROR_OPEN, error);

  stored->has_pin = sqlite3_column_type (select, 0) != SQLITE_NULL
                    || sqlite3_column_type (select, 1) != SQLITE_NULL
                    || sqlite3_column_type (select, 2) != SQLITE_NULL;
  if (!hp_pin_read_stored (select, 0, &stored->pin) && stored->has_pin)
    {
      g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_CORRUPT,
                   "Patient %" G_GINT64_FORMAT " in %s holds a PIN hash this build cannot check",
                   patient_id, hp_store_get_path (store));
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_counters (HpStore  *store,
                gint64    patient_id,
                guint     failed_attempts,
                gint64    locked_until,
                gint64    seen,
                GError  **error)
{
  g_autoptr(HpPatientStatement) update = NULL;

  update = prepare (store, "UPDATE patients SET failed_attempts = ?2, locked_until = ?3, "
                           "last_seen = max (last_seen, ?4) WHERE id = ?1",
                    HP_STORE_ERROR_WRITE, error);
  if (update == NULL)
    return FALSE;
  sqlite3_bind_int64 (update, 1, patient_id);
  sqlite3_bind_int64 (update, 2, failed_attempts);
  sqlite3_bind_int64 (update, 3, locked_until);
  sqlite3_bind_int64 (update, 4, seen);
  if (sqlite3_step (update) != SQLITE_DONE)
    return sql_failed (store, HP_STORE_ERROR_WRITE, error);
  return TRUE;
}

/* The wrong-PIN count and lock of a code with no PIN here; both 0 for a
 * code never tried. Only from schema step 7 on. */
static gboolean
read_code_attempts (HpStore       *store,
                    const guint8  *lookup,
                    guint         *failed_attempts,
                    gint64        *locked_until,
                    GError       **error)
{
  g_autoptr(HpPatientStatement) select = NULL;
  int rc;

  *failed_attempts = 0;
  *locked_until = 0;
  select = prepare (store, "SELECT failed_attempts, locked_until FROM code_attempts "
                           "WHERE code_lookup = ?1",
                    HP_STORE_ERROR_OPEN, error);
  if (select == NULL)
    return FALSE;
  sqlite3_bind_blob (select, 1, lookup, HP_CRYPTO_MAC_SIZE, SQLITE_STATIC);
  rc = sqlite3_step (select);
  if (rc == SQLITE_ROW)
    {
      *failed_attempts = (guint) CLAMP (sqlite3_column_int64 (select, 0), 0, G_MAXINT);
      *locked_until = sqlite3_column_int64 (select, 1);
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    return sql_failed (store, HP_STORE_ERROR_OPEN, error);
  return TRUE;
}

static gboolean
write_code_attempts (HpStore       *store,
                     const guint8  *lookup,
                     guint          failed_attempts,
                     gint64         locked_until,
                     GError       **error)
{
  g_autoptr(HpPatientStatement) upsert = NULL;
  gboolean seen = hp_store_get_schema_version (store) >= HP_STORE_CODE_ATTEMPTS_SEEN_VERSION;

  upsert = prepare (store, seen ? "INSERT INTO code_attempts (code_lookup, failed_attempts, locked_until, "
                                  "last_attempt) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (code_lookup) "
                                  "DO UPDATE SET failed_attempts = excluded.failed_attempts, "
                                  "locked_until = excluded.locked_until, "
                                  "last_attempt = excluded.last_attempt"
                                : "INSERT INTO code_attempts (code_lookup, failed_attempts, locked_until) "
                                  "VALUES (?1, ?2, ?3) ON CONFLICT (code_lookup) DO UPDATE SET "
                                  "failed_attempts = excluded.failed_attempts, "
                                  "locked_until = excluded.locked_until",
                    HP_STORE_ERROR_WRITE, error);
  if (upsert == NULL)
    return FALSE;
  sqlite3_bind_blob (upsert, 1, lookup, HP_CRYPTO_MAC_SIZE, SQLITE_STATIC);
  sqlite3_bind_int64 (upsert, 2, failed_attempts);
  sqlite3_bind_int64 (upsert, 3, locked_until);
  if (seen)
    sqlite3_bind_int64 (upsert, 4, hp_store_now (store));
  if (sqlite3_step (upsert) != SQLITE_DONE)
    return sql_failed (store, HP_STORE_ERROR_WRITE, error);
  return TRUE;
}

/* A code handed to a new patient starts with no wrong PINs, whatever was
 * tried with it while no one held it. */
static gboolean
forget_code_attempts (HpStore     *store,
                      const char  *code,
                      GError     **error)
{
  g_autoptr(HpPatientStatement) delete = NULL;
  guint8 lookup[HP_CRYPTO_MAC_SIZE];

  if (hp_store_get_schema_version (store) < HP_STORE_CODE_ATTEMPTS_VERSION)
    return TRUE;
  if (!hp_store_patient_code_lookup (store, code, lookup, error))
    return FALSE;
  delete = prepare (store, "DELETE FROM code_attempts WHERE code_lookup = ?1",
                    HP_STORE_ERROR_WRITE, error);
  if (delete == NULL)
    return FALSE;
  sqlite3_bind_blob (delete, 1, lookup, HP_CRYPTO_MAC_SIZE, SQLITE_TRANSIENT);
  if (sqlite3_step (delete) != SQLITE_DONE)
    return sql_failed (store, HP_STORE_ERROR_WRITE, error);
  return TRUE;
}

static gboolean
write_pin (HpStore  *store,
           gint64    patient_id,
           PinJob   *job,
           gint64    now,
           GError  **error)
{
  g_autoptr(HpPatientStatement) update = NULL;

  update = prepare (store, "UPDATE patients SET pin_kdf = ?2, pin_salt = ?3, pin_hash = ?4, "
                           "failed_attempts = 0, locked_until = 0, last_seen = ?5 WHERE id = ?1",
                    HP_STORE_ERROR_WRITE, error);
  if (update == NULL)
    return FALSE;
  sqlite3_bind_int64 (update, 1, patient_id);
  sqlite3_bind_text (update, 2, job->kdf->name, -1, SQLITE_STATIC);
  sqlite3_bind_blob (update, 3, job->salt, HP_PIN_SALT_SIZE, SQLITE_STATIC);
  sqlite3_bind_blob (update, 4, job->hash, HP_PIN_HASH_SIZE, SQLITE_STATIC);
  sqlite3_bind_int64 (update, 5, now);
  if (sqlite3_step (update) != SQLITE_DONE || sqlite3_changes (hp_store_get_db (store)) != 1)
    return sql_failed (store, HP_STORE_ERROR_WRITE, error);
  return TRUE;
}

static void
free_code (gpointer code)
{
  if (code != NULL)
    hp_secret_wipe (code, strlen (code));
  g_free (code);
}

/* ---- creating ------------------------------------------------------------ */

static PinJob *
create_begin (HpStore     *self,
              const char  *pin,
              GError     **error)
{
  if (!hp_store_check_patient_pins (self, error))
    return NULL;
  if (!hp_patient_pin_is_acceptable (pin))
    {
      g_set_error_literal (error, HP_STORE_ERROR, HP_STORE_ERROR_WEAK_PIN,
                           "A new PIN is 4 to 6 digits and not easy to guess");
      return NULL;
    }
  return pin_job_new (self, pin, error);
}

/* Writes the patient with a code no one holds, in one transaction with its
 * audit entry. */
static char *
create_end (HpStore  *self,
            PinJob   *job,
            GError  **error)
{
  gint64 now = hp_store_now (self);

  if (!job->hashed)
    {
      hash_failed (job, error);
      return NULL;
    }
  if (!exec (self, "BEGIN IMMEDIATE", error))
    return NULL;
  for (guint draw = 0; draw < CODE_DRAWS; draw++)
    {
      g_autofree char *detail = NULL;
      char *code;
      gint64 patient_id = 0;

      code = hp_patient_code_generate (error);
      if (code == NULL || !hp_store_find_patient (self, code, &patient_id, error))
        {
          free_code (code);
          rollback (self);
          return NULL;
        }
      if (patient_id != 0)
        {
          free_code (code);
          continue;
        }
      if (!hp_store_add_patient (self, code, now, &patient_id, error)
          || !write_pin (self, patient_id, job, now, error)
          || !forget_code_attempts (self, code, error))
        {
          free_code (code);
          rollback (self);
          return NULL;
        }
      detail = g_strdup_printf ("patient:%" G_GINT64_FORMAT, patient_id);
      if (!audit (self, "patient.create", detail, error) || !commit (self, TRUE, error))
        {
          free_code (code);
          rollback (self);
          return NULL;
        }
      return code;
    }
  rollback (self);
  g_set_error (error, HP_STORE_ERROR, HP_STORE_ERROR_CRYPTO,
               "No unused personal code came out of %d draws", CODE_DRAWS);
  return NULL;
}

gboolean
hp_store_create_patient (HpStore     *self,
                         const char  *pin,
                         char       **out_code,
                         GError     **error)
{
  g_autoptr(PinJob) job = NULL;
  char *code;

  g_return_val_if_fail (HP_IS_STORE (self), FALSE);
  g_return_val_if_fail (out_code != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *out_code = NULL;
  job = create_begin (self, pin, error);
  if (job == NULL)
    return FALSE;
  pin_job_run (job);
  code = create_end (self, job, error);
  if (code == NULL)
    return FALSE;
  *out_code = code;
  return TRUE;
}

/* ---- checking ------------------------------------------------------------ */

/* Reads what the hash is checked against. Refuses at once, with no hash,
 * only what does not depend on the database holding the code (a mistyped
 * code, a malformed PIN) and a locked code, which has told already. */
static PinJob *
verify_begin (HpStore     *self,
              const char  *code,
              const char  *pin,
              GError     **error)
{
  g_auto(StoredPin) stored = { 0 };
  g_autoptr(PinJob) job = NULL;
  g_autoptr(GError) local_error = NULL;
  guint8 lookup[HP_CRYPTO_MAC_SIZE] = { 0 };
  gboolean count_code;
  gint64 patient_id = 0;
  gint64 now;

  if (!hp_store_check_patient_pins (self, error))
    return NULL;
  if (code == NULL || !hp_patient_code_is_valid (code)
      || !hp_pin_is_digits (pin, HP_PATIENT_PIN_MIN_LENGTH, HP_PATIENT_PIN_MAX_LENGTH))
    {
      not_recognized (error);
      return NULL;
    }
  if (!hp_store_find_patient (self, code, &patient_id, error))
    return NULL;
  if (patient_id != 0 && !read_stored_pin (self, patient_id, &stored, &local_error))
    {
      /* Deleted between the two reads: as if never there. */
      if (!g_error_matches (local_error, HP_STORE_ERROR, HP_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      patient_id = 0;
    }
  now = hp_store_now (self);
  if (patient_id != 0 && now < stored.pin.locked_until)
    {
      locked (now, stored.pin.locked_until, error);
      return NULL;
    }
  count_code = (patient_id == 0 || !stored.has_pin)
               && hp_store_get_schema_version (self) >= HP_STORE_CODE_ATTEMPTS_VERSION;
  if (count_code)
    {
      guint failed = 0;
      gint64 locked_until = 0;

      if (!hp_store_patient_code_lookup (self, code, lookup, error)
          || !read_code_attempts (self, lookup, &failed, &locked_until, error))
        return NULL;
      if (now < locked_until)
        {
          locked (now, locked_until, error);
          return NULL;
        }
    }

  job = pin_job_new (self, pin, error);
  if (job == NULL)
    return NULL;
  job->count_code = count_code;
  memcpy (job->code_lookup, lookup, sizeof job->code_lookup);
  /* Otherwise the job hashes with its fresh salt, for the same time. */
  if (patient_id != 0 && stored.has_pin)
    {
      job->patient_id = patient_id;
      job->kdf = stored.pin.kdf;
      memcpy (job->salt, stored.pin.salt, sizeof job->salt);
    }
  return g_steal_pointer (&job);
}

/* A wrong PIN for a code with no PIN here, counted and locked as for a
 * patient's code (verify_end()), in one transaction with its audit entry,
 * so that neither the answers nor their timing tell the two apart. */
static gboolean
count_code_attempt (HpStore  *self,
                    PinJob   *job,
                    GError  **error)
{
  gint64 now;
  gint64 locked_until = 0;
  guint failed = 0;
  guint lock_seconds;

  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  now = hp_store_now (self);
  if (!read_code_attempts (self, job->code_lookup, &failed, &locked_until, error))
    {
      rollback (self);
      return FALSE;
    }
  if (now < locked_until)
    {
      rollback (self);
      return locked (now, locked_until, error);
    }
  failed = MIN (failed + 1, (guint) G_MAXINT);
  lock_seconds = hp_patient_lockout_seconds (failed);
  locked_until = lock_seconds > 0 ? now + (gint64) lock_seconds * G_USEC_PER_SEC : 0;
  if (!write_code_attempts (self, job->code_lookup, failed, locked_until, error))
    {
      rollback (self);
      return FALSE;
    }
  if (lock_seconds > 0)
    {
      g_autofree char *detail = g_strdup_printf ("code-without-pin attempts=%u seconds=%u",
                                                 failed, lock_seconds);

      if (!audit (self, "patient.lockout", detail, error))
        {
          rollback (self);
          return FALSE;
        }
    }
  if (!commit (self, lock_seconds > 0, error))
    return FALSE;
  if (lock_seconds > 0)
    return locked (now, locked_until, error);
  return not_recognized (error);
}

/* Compares and records the attempt in one transaction, reading the row
 * again: another attempt may have counted, or locked it, meanwhile. */
static gboolean
verify_end (HpStore  *self,
            PinJob   *job,
            GError  **error)
{
  g_auto(StoredPin) stored = { 0 };
  g_autoptr(GError) local_error = NULL;
  g_autofree char *detail = NULL;
  gint64 now;
  guint failed;
  guint lock_seconds;

  if (!job->hashed)
    return hash_failed (job, error);
  if (job->patient_id == 0)
    return job->count_code ? count_code_attempt (self, job, error) : not_recognized (error);

  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  now = hp_store_now (self);
  if (!read_stored_pin (self, job->patient_id, &stored, &local_error))
    {
      rollback (self);
      if (g_error_matches (local_error, HP_STORE_ERROR, HP_STORE_ERROR_NOT_FOUND))
        return not_recognized (error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  /* A PIN changed since the hash was made cannot be checked with it. */
  if (!stored.has_pin || stored.pin.kdf != job->kdf
      || memcmp (stored.pin.salt, job->salt, sizeof job->salt) != 0)
    {
      rollback (self);
      return not_recognized (error);
    }
  if (now < stored.pin.locked_until)
    {
      rollback (self);
      return locked (now, stored.pin.locked_until, error);
    }

  if (hp_pin_hash_equal (job->hash, stored.pin.hash))
    {
      if (!write_counters (self, job->patient_id, 0, 0, now, error) || !commit (self, FALSE, error))
        {
          rollback (self);
          return FALSE;
        }
      return TRUE;
    }

  failed = MIN (stored.pin.failed_attempts + 1, (guint) G_MAXINT);
  lock_seconds = hp_patient_lockout_seconds (failed);
  if (!write_counters (self, job->patient_id, failed,
                       lock_seconds > 0 ? now + (gint64) lock_seconds * G_USEC_PER_SEC : 0,
                       0, error))
    {
      rollback (self);
      return FALSE;
    }
  if (lock_seconds > 0)
    {
      detail = g_strdup_printf ("patient:%" G_GINT64_FORMAT " attempts=%u seconds=%u",
                                job->patient_id, failed, lock_seconds);
      if (!audit (self, "patient.lockout", detail, error))
        {
          rollback (self);
          return FALSE;
        }
    }
  if (!commit (self, lock_seconds > 0, error))
    return FALSE;
  if (lock_seconds > 0)
    return locked (now, now + (gint64) lock_seconds * G_USEC_PER_SEC, error);
  return not_recognized (error);
}

gboolean
hp_store_verify_patient (HpStore     *self,
                         const char  *code,
                         const char  *pin,
                         GError     **error)
{
  g_autoptr(PinJob) job = NULL;

  g_return_val_if_fail (HP_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  job = verify_begin (self, code, pin, error);
  if (job == NULL)
    return FALSE;
  pin_job_run (job);
  return verify_end (self, job, error);
}

/* ---- the async variants ----------------------------------------------------
 * The outer task is the caller's and owns the job. An inner task hashes on
 * a worker thread and completes on the caller's main context, where the
 * database is used again. */

static void
hash_in_thread (GTask        *task,
                gpointer      source_object G_GNUC_UNUSED,
                gpointer      task_data,
                GCancellable *cancellable G_GNUC_UNUSED)
{
  pin_job_run (task_data);
  g_task_return_boolean (task, TRUE);
}

static void
on_hashed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  HpStore *self = HP_STORE (source);
  PinJob *job = g_task_get_task_data (outer);
  GError *error = NULL;

  g_task_propagate_boolean (G_TASK (result), NULL);
  /* Cancelled before anything is written: nothing happened, nothing is told. */
  if (g_task_return_error_if_cancelled (outer))
    return;

  if (g_task_get_source_tag (outer) == &create_tag)
    {
      char *code = create_end (self, job, &error);

      if (code == NULL)
        g_task_return_error (outer, error);
      else
        g_task_return_pointer (outer, code, free_code);
      return;
    }
  if (verify_end (self, job, &error))
    g_task_return_boolean (outer, TRUE);
  else
    g_task_return_error (outer, error);
}

/* Starts the hash of @job for @outer, or returns @error through it. */
static void
start_hash (HpStore  *self,
            GTask    *outer,
            PinJob   *job,
            GError   *error)
{
  g_autoptr(GTask) inner = NULL;

  if (job == NULL)
    {
      g_task_return_error (outer, error);
      return;
    }
  g_task_set_task_data (outer, job, (GDestroyNotify) pin_job_free);
  if (g_task_return_error_if_cancelled (outer))
    return;
  inner = g_task_new (self, NULL, on_hashed, g_object_ref (outer));
  g_task_set_name (inner, "hp-patient-pin-hash");
  g_task_set_task_data (inner, job, NULL);
  g_task_run_in_thread (inner, hash_in_thread);
}

static GTask *
new_outer_task (HpStore             *self,
                char                *tag,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, tag);
  g_task_set_name (task, tag == &create_tag ? "hp-store-create-patient" : "hp-store-verify-patient");
  /* Once written, the outcome is told, even if cancelled meanwhile: a
   * created patient's code must not be lost. */
  g_task_set_check_cancellable (task, FALSE);
  return task;
}

void
hp_store_create_patient_async (HpStore             *self,
                               const char          *pin,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  PinJob *job;

  g_return_if_fail (HP_IS_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = new_outer_task (self, &create_tag, cancellable, callback, user_data);
  job = create_begin (self, pin, &error);
  start_hash (self, task, job, error);
}

char *
hp_store_create_patient_finish (HpStore       *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (HP_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == &create_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
hp_store_verify_patient_async (HpStore             *self,
                               const char          *code,
                               const char          *pin,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  PinJob *job;

  g_return_if_fail (HP_IS_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = new_outer_task (self, &verify_tag, cancellable, callback, user_data);
  job = verify_begin (self, code, pin, &error);
  start_hash (self, task, job, error);
}

gboolean
hp_store_verify_patient_finish (HpStore       *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (HP_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == &verify_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
