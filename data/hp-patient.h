/* Returning patients: the personal code printed for them, the PIN they choose, and the store's checks of both. */
#pragma once

#include <gio/gio.h>

#include "hp-audit.h"
#include "hp-store.h"

G_BEGIN_DECLS

/* A personal code is HP_PATIENT_CODE_LENGTH digits: ten random ones and a
 * check digit (Damm's algorithm), which catches every single wrong digit
 * and every swap of two neighbouring digits before any lookup. Digits only:
 * the kiosk's keypad is numeric, and digits are easy to read aloud. It is
 * printed and shown grouped 3-4-4, "481-2297-5532"; spaces and dashes are
 * ignored wherever a code is read. */
#define HP_PATIENT_CODE_LENGTH 11
#define HP_PATIENT_CODE_RANDOM_DIGITS 10
/* The grouped form's length, without the terminating NUL. */
#define HP_PATIENT_CODE_FORMATTED_LENGTH 13

/* A PIN is chosen by the patient: 4 to 6 digits, not one that is easy to
 * guess (see hp_patient_pin_is_acceptable()). */
#define HP_PATIENT_PIN_MIN_LENGTH 4
#define HP_PATIENT_PIN_MAX_LENGTH 6

/* Lockout policy: after HP_PATIENT_LOCKOUT_THRESHOLD wrong PINs in a row
 * for one code, that code is locked for HP_PATIENT_LOCKOUT_FIRST_SECONDS;
 * each further wrong PIN (tried once the lock has ended) doubles the lock,
 * up to HP_PATIENT_LOCKOUT_MAX_SECONDS. While locked every PIN, the right
 * one too, is refused unchecked. The right PIN outside a lock resets the
 * count. Guessing through every 4-digit PIN for one code then takes years. */
#define HP_PATIENT_LOCKOUT_THRESHOLD     5
#define HP_PATIENT_LOCKOUT_FIRST_SECONDS 30
#define HP_PATIENT_LOCKOUT_MAX_SECONDS   3600

/* ---- personal codes (no store needed) ---------------------------------- */

/* @code with spaces and dashes removed and letters in upper case, so the
 * printed, typed and stored forms compare equal; %NULL when @code holds
 * anything else, or nothing. It does not check the code: see
 * hp_patient_code_is_valid(). The result is personal data: wipe it. */
char     *hp_patient_code_normalize    (const char  *code);

/* TRUE when @code, in any form hp_patient_code_normalize() accepts, is
 * HP_PATIENT_CODE_LENGTH digits whose check digit is right. */
gboolean  hp_patient_code_is_valid     (const char  *code);

/* The grouped form of a valid @code, "481-2297-5532"; %NULL if @code is
 * not valid. */
char     *hp_patient_code_format       (const char  *code);

/* The Damm check digit ('0' to '9') of the @n_digits ASCII digits at
 * @digits; 0 if one of them is not a digit. */
char      hp_patient_code_check_digit  (const char  *digits,
                                        gsize        n_digits);

/* A fresh random code in normal form (digits only); %NULL with
 * HP_STORE_ERROR_CRYPTO when the system has no randomness to give.
 * hp_store_create_patient() makes sure a code is not in use. */
char     *hp_patient_code_generate     (GError     **error);

/* ---- PINs --------------------------------------------------------------- */

/* TRUE when @pin may be chosen as a new PIN: 4 to 6 digits, and neither
 * one digit over and over ("0000"), nor a run up or down ("1234", "8765",
 * "7890"), nor a short pattern repeated ("1212", "123123"). */
gboolean  hp_patient_pin_is_acceptable (const char  *pin);

/* Seconds a code is locked for after its @failed_attempts-th wrong PIN in
 * a row; 0 below the threshold. */
guint     hp_patient_lockout_seconds   (guint        failed_attempts);

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
