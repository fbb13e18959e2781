/* libFuzzer target: a printer's printer-state and printer-state-reasons, as they come over IPP, turned into a problem and a staff detail. */
#include <stdint.h>
#include <string.h>

#include "hp-print-problem.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  g_autofree char *detail = NULL;
  g_auto(GStrv) reasons = NULL;
  HpPrintProblem problem;
  HpPrinterState state;
  const char *message;

  if (size < 1)
    return 0;
  /* First byte: printer-state, any value a printer might send. */
  state = (HpPrinterState) data[0];
  text = g_strndup ((const char *) data + 1, size - 1);
  reasons = g_strsplit (text, ",", 64);

  problem = hp_print_problem_from_printer (state, (const char * const *) reasons);
  if (problem > HP_PRINT_PROBLEM_LAST)
    __builtin_trap ();
  /* A stopped printer is never without a problem. */
  if (state == HP_PRINTER_STATE_STOPPED && problem == HP_PRINT_PROBLEM_NONE)
    __builtin_trap ();
  message = hp_print_problem_to_patient_message (problem);
  if (message == NULL || (problem != HP_PRINT_PROBLEM_NONE && *message == '\0'))
    __builtin_trap ();
  if (hp_print_problem_to_string (problem) == NULL)
    __builtin_trap ();

  /* What goes to logs and the audit trail: short, printable ASCII. */
  detail = hp_print_detail_sanitize (text);
  if (strlen (detail) > HP_PRINT_DETAIL_MAX_LENGTH)
    __builtin_trap ();
  for (const char *c = detail; *c != '\0'; c++)
    if (*c < 0x20 || *c > 0x7e)
      __builtin_trap ();
  return 0;
}
