/* The store's returning patients: a new personal code with a PIN, a code and PIN checked with lockout. */
#pragma once

#include <gio/gio.h>

#include "hp-audit.h"
#include "hp-patient-code.h"
#include "hp-store.h"

G_BEGIN_DECLS

/* Lockout policy: after HP_PATIENT_LOCKOUT_THRESHOLD wrong PINs in a row
 * for one code, that code is locked for HP_PATIENT_LOCKOUT_FIRST_SECONDS;
 * each further wrong PIN (tried once the lock has ended) doubles the lock,
 * up to HP_PATIENT_LOCKOUT_MAX_SECONDS. While locked every PIN, the right
 * one too, is refused unchecked. The right PIN outside a lock resets the
 * count. Guessing through every 4-digit PIN for one code then takes years. */
#define HP_PATIENT_LOCKOUT_THRESHOLD     5
#define HP_PATIENT_LOCKOUT_FIRST_SECONDS 30
#define HP_PATIENT_LOCKOUT_MAX_SECONDS   3600

/* Seconds a code is locked for after its @failed_attempts-th wrong PIN in
 * a row; 0 below the threshold. */
guint     hp_patient_lockout_seconds   (guint        failed_attempts);

/* A fresh random code in normal form (digits only); %NULL with
 * HP_STORE_ERROR_CRYPTO when the system has no randomness to give.
 * hp_store_create_patient() makes sure a code is not in use. */
char     *hp_patient_code_generate     (GError     **error);

/* ---- the store's returning patients ------------------------------------ */

/* All of these need a store at the latest schema version. The PIN is
 * hashed with scrypt over an HMAC under the root key's "patient-pin-pepper"
 * key; the code is kept sealed and found through its HMAC, as visits'
 * patient codes are, so hp_store_commit_visit() files a visit with the new
 * code under the same patient. Codes and PINs never appear in errors or
 * logs. Patient creation and lockouts are audited, naming the patient by
 * row id only. */

/* Creates a patient with a fresh personal code and @pin, and gives the code
 * (normal form, digits only; show it with hp_patient_code_format()) in
 * @out_code. HP_STORE_ERROR_WEAK_PIN when @pin is not acceptable. Takes as
 * long as one scrypt hash (about 0.1 s): use the _async variant from the
 * kiosk's screen. */
gboolean  hp_store_create_patient        (HpStore              *self,
                                          const char           *pin,
                                          char                **out_code,
                                          GError              **error);
/* The same with the hash on a worker thread; the database is used only on
 * the thread that calls this, before and after the hash. Cancelled before
 * the result is written, nothing is created. */
void      hp_store_create_patient_async  (HpStore              *self,
                                          const char           *pin,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
/* The new code (free it wiped), or %NULL with an error. */
char     *hp_store_create_patient_finish (HpStore              *self,
                                          GAsyncResult         *result,
                                          GError              **error);

/* TRUE when @pin is the PIN of the patient with personal code @code.
 * Otherwise FALSE with:
 * - HP_STORE_ERROR_PATIENT_UNKNOWN (the same as HP_STORE_ERROR_WRONG_PIN)
 *   for an unknown code, a wrong PIN, a mistyped code or a PIN that is not
 *   4 to 6 digits, all with one message: no one at the screen can tell
 *   whether a code exists. An unknown code costs one scrypt hash, as a
 *   known one does. A wrong PIN counts towards the code's lockout whether
 *   or not a patient holds it (a code no one holds locks on the same
 *   attempt, for as long); mistyped codes and malformed PINs count for
 *   nothing.
 * - HP_STORE_ERROR_PATIENT_LOCKED when this code is locked, this attempt
 *   having locked it or not; hp_store_error_get_locked_seconds() gives the
 *   seconds left.
 * - any other store error for a failing database. */
gboolean  hp_store_verify_patient        (HpStore              *self,
                                          const char           *code,
                                          const char           *pin,
                                          GError              **error);
/* The same with the hash on a worker thread, as for creation. Cancelled
 * before the result is written, the attempt counts for nothing and its
 * outcome is not told. */
void      hp_store_verify_patient_async  (HpStore              *self,
                                          const char           *code,
                                          const char           *pin,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean  hp_store_verify_patient_finish (HpStore              *self,
                                          GAsyncResult         *result,
                                          GError              **error);

/* Replaces the clock used for lockouts and for when patients were created
 * and last recognised (g_get_real_time() by default); the audit entries
 * these write are stamped by it too. */
void      hp_store_set_patient_clock     (HpStore              *self,
                                          HpClockFunc           clock,
                                          gpointer              user_data);

G_END_DECLS
