/* Personal codes and the PIN rule for returning patients: reading, checking and grouping them, no store involved. */
#include "hp-patient-code.h"
#include "hp-pin-rules.h"
#include "hp-secret.h"

#include <string.h>

/* Damm's quasigroup of order 10: any one wrong digit, and any two
 * neighbouring digits swapped, change the result, so a code whose digits
 * all run through it to 0 is either right or off by more than one slip. */
static const guint8 damm[10][10] = {
  { 0, 3, 1, 7, 5, 9, 8, 6, 4, 2 },
  { 7, 0, 9, 2, 1, 5, 4, 8, 6, 3 },
  { 4, 2, 0, 6, 8, 7, 1, 3, 5, 9 },
  { 1, 7, 5, 0, 9, 8, 3, 4, 2, 6 },
  { 6, 1, 2, 3, 0, 4, 5, 9, 7, 8 },
  { 3, 6, 7, 4, 2, 0, 9, 5, 8, 1 },
  { 5, 8, 6, 9, 7, 2, 0, 1, 3, 4 },
  { 8, 9, 4, 5, 3, 6, 2, 0, 1, 7 },
  { 9, 4, 3, 8, 6, 1, 7, 2, 0, 5 },
  { 2, 5, 8, 1, 4, 3, 6, 7, 9, 0 },
};

/* Group sizes of the printed form: 3-4-4. */
static const guint groups[] = { 3, 4, 4 };

G_STATIC_ASSERT (HP_PATIENT_CODE_LENGTH == HP_PATIENT_CODE_RANDOM_DIGITS + 1);
G_STATIC_ASSERT (HP_PATIENT_CODE_FORMATTED_LENGTH
                 == HP_PATIENT_CODE_LENGTH + G_N_ELEMENTS (groups) - 1);

static void
free_wiped (GString *text)
{
  hp_secret_wipe (text->str, text->allocated_len);
  g_string_free (text, TRUE);
}

char *
hp_patient_code_normalize (const char *code)
{
  GString *normal;

  if (code == NULL)
    return NULL;
  /* Sized once, so no reallocation leaves a partial copy behind. */
  normal = g_string_sized_new (strlen (code) + 1);
  for (const char *c = code; *c != '\0'; c++)
    {
      if (*c == ' ' || *c == '-')
        continue;
      if (!g_ascii_isalnum (*c))
        {
          free_wiped (normal);
          return NULL;
        }
      g_string_append_c (normal, g_ascii_toupper (*c));
    }
  if (normal->len == 0)
    {
      free_wiped (normal);
      return NULL;
    }
  return g_string_free (normal, FALSE);
}

char
hp_patient_code_check_digit (const char *digits,
                             gsize       n_digits)
{
  guint interim = 0;

  g_return_val_if_fail (digits != NULL || n_digits == 0, 0);

  for (gsize i = 0; i < n_digits; i++)
    {
      if (!g_ascii_isdigit (digits[i]))
        return 0;
      interim = damm[interim][digits[i] - '0'];
    }
  return (char) ('0' + interim);
}

/* @normal is in normal form: exactly the digits and the check digit. */
static gboolean
normal_code_is_valid (const char *normal)
{
  return strlen (normal) == HP_PATIENT_CODE_LENGTH
         /* Every digit, the check digit too, runs the quasigroup to 0. */
         && hp_patient_code_check_digit (normal, HP_PATIENT_CODE_LENGTH) == '0';
}

gboolean
hp_patient_code_is_valid (const char *code)
{
  char *normal = hp_patient_code_normalize (code);
  gboolean valid;

  if (normal == NULL)
    return FALSE;
  valid = normal_code_is_valid (normal);
  hp_secret_free (normal);
  return valid;
}

char *
hp_patient_code_format (const char *code)
{
  char *normal = hp_patient_code_normalize (code);
  char *grouped = NULL;

  if (normal != NULL && normal_code_is_valid (normal))
    {
      gsize from = 0, to = 0;

      grouped = g_malloc0 (HP_PATIENT_CODE_FORMATTED_LENGTH + 1);
      for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
        {
          if (g > 0)
            grouped[to++] = '-';
          memcpy (grouped + to, normal + from, groups[g]);
          from += groups[g];
          to += groups[g];
        }
    }
  hp_secret_free (normal);
  return grouped;
}

gboolean
hp_patient_pin_is_acceptable (const char *pin)
{
  gsize len;

  if (pin == NULL)
    return FALSE;
  len = strnlen (pin, HP_PATIENT_PIN_MAX_LENGTH + 1);
  if (len < HP_PATIENT_PIN_MIN_LENGTH || len > HP_PATIENT_PIN_MAX_LENGTH)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (pin[i]))
      return FALSE;
  return !hp_pin_steps_evenly (pin, len, 1, FALSE)
         && !hp_pin_repeats (pin, len, 1) && !hp_pin_repeats (pin, len, 2)
         && !hp_pin_repeats (pin, len, 3);
}
