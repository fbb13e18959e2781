/* Returning patients' personal codes and PINs: their form, their check digit and the rule a new PIN must meet, no store needed. */
#pragma once

#include <glib.h>

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

/* ---- personal codes ----------------------------------------------------- */

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

/* ---- PINs --------------------------------------------------------------- */

/* TRUE when @pin may be chosen as a new PIN: 4 to 6 digits, and neither
 * one digit over and over ("0000"), nor a run up or down ("1234", "8765",
 * "7890"), nor a short pattern repeated ("1212", "123123"). */
gboolean  hp_patient_pin_is_acceptable (const char  *pin);

G_END_DECLS
