/* libFuzzer target: a personal code or PIN as typed at the kiosk: normalising, checking and grouping it. */
#include <stdint.h>
#include <string.h>

#include "hp-patient-code.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  char *text = g_strndup ((const char *) data, size);
  char *normal = hp_patient_code_normalize (text);
  char *grouped = hp_patient_code_format (text);
  gboolean valid = hp_patient_code_is_valid (text);

  if (normal != NULL)
    {
      char *again = hp_patient_code_normalize (normal);

      /* Only upper-case letters and digits, and normalising twice changes nothing. */
      if (*normal == '\0' || again == NULL || strcmp (again, normal) != 0)
        __builtin_trap ();
      for (const char *c = normal; *c != '\0'; c++)
        if (!g_ascii_isdigit (*c) && !g_ascii_isupper (*c))
          __builtin_trap ();
      g_free (again);
    }
  if (valid)
    {
      char *from_grouped;

      /* A valid code groups 3-4-4 and reads back as the same code. */
      if (normal == NULL || strlen (normal) != HP_PATIENT_CODE_LENGTH || grouped == NULL
          || strlen (grouped) != HP_PATIENT_CODE_FORMATTED_LENGTH
          || grouped[3] != '-' || grouped[8] != '-'
          || hp_patient_code_check_digit (normal, HP_PATIENT_CODE_RANDOM_DIGITS)
             != normal[HP_PATIENT_CODE_RANDOM_DIGITS])
        __builtin_trap ();
      from_grouped = hp_patient_code_normalize (grouped);
      if (from_grouped == NULL || strcmp (from_grouped, normal) != 0
          || !hp_patient_code_is_valid (grouped))
        __builtin_trap ();
      g_free (from_grouped);
    }
  else if (grouped != NULL)
    __builtin_trap ();

  if (hp_patient_pin_is_acceptable (text))
    {
      size_t len = strlen (text);

      if (len < HP_PATIENT_PIN_MIN_LENGTH || len > HP_PATIENT_PIN_MAX_LENGTH)
        __builtin_trap ();
      for (size_t i = 0; i < len; i++)
        if (!g_ascii_isdigit (text[i]))
          __builtin_trap ();
    }
  /* The check digit of any bytes: a digit, or 0 for a non-digit among them. */
  {
    char check = hp_patient_code_check_digit (text, strlen (text));

    if (check != 0 && !g_ascii_isdigit (check))
      __builtin_trap ();
  }

  g_free (grouped);
  g_free (normal);
  g_free (text);
  return 0;
}
