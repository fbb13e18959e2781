/* The page that tells the patient what went wrong and what to do. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum {
  HP_PROBLEM_DEVICE_MISSING,
  HP_PROBLEM_DEVICE_UNPLUGGED,
  HP_PROBLEM_DEVICE_NOT_RESPONDING,
  HP_PROBLEM_READING_FAILED,
  HP_PROBLEM_NOT_SAVED,
  HP_PROBLEM_OUT_OF_SERVICE,
} HpProblem;

#define HP_TYPE_PROBLEM_PAGE (hp_problem_page_get_type ())
G_DECLARE_FINAL_TYPE (HpProblemPage, hp_problem_page, HP, PROBLEM_PAGE, GtkWidget)

void hp_problem_page_set_problem (HpProblemPage *self,
                                  HpProblem      problem);

G_END_DECLS
