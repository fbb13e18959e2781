/* The page that tells the patient what went wrong and what to do. */
#pragma once

#include "hp-kiosk-page.h"

#include "hp-measurement.h"
#include "hp-visit-problem.h"

G_BEGIN_DECLS

#define HP_TYPE_PROBLEM_PAGE (hp_problem_page_get_type ())
G_DECLARE_FINAL_TYPE (HpProblemPage, hp_problem_page, HP, PROBLEM_PAGE, HpKioskPage)

/* @kind names the device in the words: cuff, scale or meter. Without a
 * problem (HP_VISIT_PROBLEM_NONE) the page says the reading failed. */
void hp_problem_page_set_problem (HpProblemPage     *self,
                                  HpVisitProblem     problem,
                                  HpMeasurementKind  kind);

G_END_DECLS
