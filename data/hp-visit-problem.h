/* Why a visit cannot go on as planned: the flow decides it, the pages tell the patient. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Why the visit is on the problem step, or why the kiosk takes no visit. */
typedef enum {
  HP_VISIT_PROBLEM_NONE,
  HP_VISIT_PROBLEM_DEVICE_MISSING,      /* no device for the chosen measurement */
  HP_VISIT_PROBLEM_DEVICE_UNPLUGGED,    /* it went away while measuring */
  HP_VISIT_PROBLEM_DEVICE_NOT_RESPONDING,
  HP_VISIT_PROBLEM_READING_FAILED,      /* garbled reading */
  HP_VISIT_PROBLEM_NOT_SAVED,           /* the store refused the finished visit */
  HP_VISIT_PROBLEM_NO_NEW_READING,      /* the device holds nothing from this visit */
  HP_VISIT_PROBLEM_IMPLAUSIBLE,         /* a value no person can have, or past the device's range */
  HP_VISIT_PROBLEM_OUT_OF_SERVICE,      /* there is no store to keep visits in: none begins */
} HpVisitProblem;

/* Why a code or PIN the patient typed was not taken. */
typedef enum {
  HP_ENTRY_ERROR_NONE,
  HP_ENTRY_ERROR_CODE_INVALID,   /* not a personal code: a typo, caught by its check digit */
  HP_ENTRY_ERROR_NOT_RECOGNISED, /* the code or the PIN is not right (never saying which) */
  HP_ENTRY_ERROR_LOCKED,         /* too many wrong PINs for this code: wait */
  HP_ENTRY_ERROR_PIN_WEAK,       /* 0000, 1234 and the like */
  HP_ENTRY_ERROR_PIN_MISMATCH,   /* the two PINs differ */
  HP_ENTRY_ERROR_UNAVAILABLE,    /* the kiosk could not check or keep it */
} HpEntryError;

G_END_DECLS
