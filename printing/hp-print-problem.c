/* What can stop a printout, read from a printer's IPP state, and how each is told to a patient and to staff. */
#include "hp-print-problem.h"

#include <string.h>

/* printer-state-reasons keywords (RFC 8011 and PWG 5100.9) by the problem
 * they mean. The suffix ("-error", "-warning", "-report") is taken off
 * first. */
static const struct {
  const char *keyword;
  HpPrintProblem problem;
} reason_problems[] = {
  { "media-empty", HP_PRINT_PROBLEM_OUT_OF_PAPER },
  { "media-needed", HP_PRINT_PROBLEM_OUT_OF_PAPER },
  { "input-tray-missing", HP_PRINT_PROBLEM_OUT_OF_PAPER },
  { "door-open", HP_PRINT_PROBLEM_DOOR_OPEN },
  { "cover-open", HP_PRINT_PROBLEM_DOOR_OPEN },
  { "interlock-open", HP_PRINT_PROBLEM_DOOR_OPEN },
  { "media-jam", HP_PRINT_PROBLEM_JAMMED },
  { "offline", HP_PRINT_PROBLEM_OFFLINE },
  { "shutdown", HP_PRINT_PROBLEM_OFFLINE },
  { "paused", HP_PRINT_PROBLEM_OFFLINE },
  { "moving-to-paused", HP_PRINT_PROBLEM_OFFLINE },
  { "timed-out", HP_PRINT_PROBLEM_OFFLINE },
  { "printer-shutdown", HP_PRINT_PROBLEM_OFFLINE },
  { "cups-missing-filter", HP_PRINT_PROBLEM_OTHER },
  { "marker-supply-empty", HP_PRINT_PROBLEM_OTHER },
  { "toner-empty", HP_PRINT_PROBLEM_OTHER },
  { "marker-waste-full", HP_PRINT_PROBLEM_OTHER },
};

/* Lower is more telling: what a person at the printer can fix comes first. */
static int
problem_rank (HpPrintProblem problem)
{
  switch (problem)
    {
    case HP_PRINT_PROBLEM_OUT_OF_PAPER:
      return 0;
    case HP_PRINT_PROBLEM_DOOR_OPEN:
      return 1;
    case HP_PRINT_PROBLEM_JAMMED:
      return 2;
    case HP_PRINT_PROBLEM_OFFLINE:
      return 3;
    case HP_PRINT_PROBLEM_REJECTING:
      return 4;
    case HP_PRINT_PROBLEM_OTHER:
      return 5;
    case HP_PRINT_PROBLEM_NONE:
    default:
      return 6;
    }
}

static gboolean
has_suffix (const char *text,
            gsize       length,
            const char *suffix,
            gsize      *stem_length)
{
  gsize suffix_length = strlen (suffix);

  if (length <= suffix_length || memcmp (text + length - suffix_length, suffix, suffix_length) != 0)
    return FALSE;
  *stem_length = length - suffix_length;
  return TRUE;
}

static HpPrintProblem
problem_for_reason (const char *reason)
{
  gsize length = strlen (reason);
  gsize stem = length;

  /* A report or a warning leaves the printer printing: media-low-warning
   * is no reason to keep a patient waiting. */
  if (has_suffix (reason, length, "-report", &stem) || has_suffix (reason, length, "-warning", &stem))
    return HP_PRINT_PROBLEM_NONE;
  if (!has_suffix (reason, length, "-error", &stem))
    stem = length;

  for (gsize i = 0; i < G_N_ELEMENTS (reason_problems); i++)
    if (strlen (reason_problems[i].keyword) == stem
        && memcmp (reason_problems[i].keyword, reason, stem) == 0)
      return reason_problems[i].problem;
  return HP_PRINT_PROBLEM_NONE;
}

HpPrintProblem
hp_print_problem_from_printer (HpPrinterState      state,
                               const char * const *reasons)
{
  HpPrintProblem found = HP_PRINT_PROBLEM_NONE;

  for (gsize i = 0; reasons != NULL && reasons[i] != NULL; i++)
    {
      HpPrintProblem problem = problem_for_reason (reasons[i]);

      if (problem_rank (problem) < problem_rank (found))
        found = problem;
    }
  /* A stopped printer prints nothing, whatever it says about itself. */
  if (found == HP_PRINT_PROBLEM_NONE && state == HP_PRINTER_STATE_STOPPED)
    found = HP_PRINT_PROBLEM_OFFLINE;
  return found;
}

const char *
hp_print_problem_to_patient_message (HpPrintProblem problem)
{
  switch (problem)
    {
    case HP_PRINT_PROBLEM_NONE:
      return "";
    case HP_PRINT_PROBLEM_OUT_OF_PAPER:
      return N_("The printer is out of paper. Please ask a staff member.");
    case HP_PRINT_PROBLEM_DOOR_OPEN:
      return N_("The printer’s cover is open. Please ask a staff member.");
    case HP_PRINT_PROBLEM_JAMMED:
      return N_("Paper is stuck in the printer. Please ask a staff member.");
    case HP_PRINT_PROBLEM_OFFLINE:
      return N_("The printer is not working right now. Please ask a staff member.");
    case HP_PRINT_PROBLEM_REJECTING:
      return N_("The printer is not taking printouts right now. Please ask a staff member.");
    case HP_PRINT_PROBLEM_OTHER:
    default:
      return N_("We could not print your summary. Please ask a staff member.");
    }
}

const char *
hp_print_problem_to_string (HpPrintProblem problem)
{
  switch (problem)
    {
    case HP_PRINT_PROBLEM_NONE:
      return "none";
    case HP_PRINT_PROBLEM_OUT_OF_PAPER:
      return "out-of-paper";
    case HP_PRINT_PROBLEM_DOOR_OPEN:
      return "door-open";
    case HP_PRINT_PROBLEM_JAMMED:
      return "jammed";
    case HP_PRINT_PROBLEM_OFFLINE:
      return "offline";
    case HP_PRINT_PROBLEM_REJECTING:
      return "rejecting";
    case HP_PRINT_PROBLEM_OTHER:
    default:
      return "other";
    }
}

char *
hp_print_detail_sanitize (const char *text)
{
  gsize length;
  char *copy;

  if (text == NULL)
    return g_strdup ("");
  length = strnlen (text, HP_PRINT_DETAIL_MAX_LENGTH);
  copy = g_strndup (text, length);
  for (char *p = copy; *p != '\0'; p++)
    if (*p < 0x20 || *p > 0x7e)
      *p = '?';
  return copy;
}
