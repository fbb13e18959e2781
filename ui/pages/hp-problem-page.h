/* The page that tells the patient what went wrong and what to do. */
#pragma once

#include "hp-kiosk-page.h"

#include "hp-measurement.h"

G_BEGIN_DECLS

typedef enum {
  HP_PROBLEM_DEVICE_MISSING,
  HP_PROBLEM_DEVICE_UNPLUGGED,
  HP_PROBLEM_DEVICE_NOT_RESPONDING,
  HP_PROBLEM_READING_FAILED,
  HP_PROBLEM_NOT_SAVED,
  HP_PROBLEM_OUT_OF_SERVICE,
  HP_PROBLEM_NO_NEW_READING,    /* the device holds no reading from this visit */
  HP_PROBLEM_IMPLAUSIBLE,       /* a value no person can have, or past the device's range */
} HpProblem;

#define HP_TYPE_PROBLEM_PAGE (hp_problem_page_get_type ())
G_DECLARE_FINAL_TYPE (HpProblemPage, hp_problem_page, HP, PROBLEM_PAGE, HpKioskPage)

/* @kind names the device in the words: cuff, scale or meter. */
void hp_problem_page_set_problem (HpProblemPage     *self,
                                  HpProblem          problem,
                                  HpMeasurementKind  kind);

G_END_DECLS
