/* What can stop a printout, read from a printer's IPP state, and how each is told to a patient and to staff. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The strings below are marked for translation but not translated here; a
 * page passes them through _() in the visit's language. */
#ifndef N_
#define N_(String) (String)
#endif

/* Why a printout did not come out, or is waiting. */
typedef enum {
  HP_PRINT_PROBLEM_NONE,
  HP_PRINT_PROBLEM_OUT_OF_PAPER,   /* media-empty, media-needed */
  HP_PRINT_PROBLEM_DOOR_OPEN,      /* door-open, cover-open */
  HP_PRINT_PROBLEM_JAMMED,         /* media-jam */
  HP_PRINT_PROBLEM_OFFLINE,        /* offline, stopped, gone, connection refused */
  HP_PRINT_PROBLEM_REJECTING,      /* the printer does not accept jobs */
  HP_PRINT_PROBLEM_OTHER,          /* anything else: the staff detail says what */
} HpPrintProblem;

#define HP_PRINT_PROBLEM_LAST HP_PRINT_PROBLEM_OTHER

/* IPP printer-state values (RFC 8011, 5.4.11). */
typedef enum {
  HP_PRINTER_STATE_UNKNOWN = 0,
  HP_PRINTER_STATE_IDLE = 3,
  HP_PRINTER_STATE_PROCESSING = 4,
  HP_PRINTER_STATE_STOPPED = 5,
} HpPrinterState;

/* The longest staff detail kept: it goes to logs and the audit trail. */
#define HP_PRINT_DETAIL_MAX_LENGTH 160

/* The problem a printer's printer-state-reasons keywords (%NULL-terminated,
 * may be %NULL) and printer-state describe. Reasons that only inform
 * ("-report") or warn ("-warning", e.g. media-low-warning) are no problem;
 * a stopped printer with no more telling reason is offline. When several
 * apply, the one a person can fix at the printer comes first: paper, door,
 * jam, then offline. */
HpPrintProblem hp_print_problem_from_printer       (HpPrinterState      state,
                                                    const char * const *reasons);

/* The sentence a patient sees (English, marked with N_()): plain words,
 * and whom to ask. Never %NULL; "" for HP_PRINT_PROBLEM_NONE. */
const char    *hp_print_problem_to_patient_message (HpPrintProblem      problem);

/* A short stable name for logs and the audit trail: "out-of-paper". */
const char    *hp_print_problem_to_string          (HpPrintProblem      problem);

/* @text made fit for a log line and the audit trail: printable ASCII only
 * (anything else becomes '?'), at most HP_PRINT_DETAIL_MAX_LENGTH bytes.
 * Takes the printer's own words, which may be anything. */
char          *hp_print_detail_sanitize            (const char         *text);

G_END_DECLS
