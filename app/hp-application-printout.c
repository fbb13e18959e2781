/* HpApplication's printout glue: the visit's summary made for the print page, and the page kept in step with the printer. */
#include "hp-application-private.h"

#include "hp-print-problem.h"

static HpPrintoutState
printout_state_for (HpPrintState state)
{
  switch (state)
    {
    case HP_PRINT_STATE_SENDING:
    case HP_PRINT_STATE_PRINTING:
      return HP_PRINTOUT_PRINTING;
    case HP_PRINT_STATE_DONE:
      return HP_PRINTOUT_PRINTED;
    case HP_PRINT_STATE_FAILED:
      return HP_PRINTOUT_FAILED;
    case HP_PRINT_STATE_IDLE:
    default:
      return HP_PRINTOUT_READY;
    }
}

/* The patient says goodbye while their printout still comes out (one that
 * a printer problem held was cancelled as the visit ended). */
static gboolean
printout_on_its_way (HpApplication *self)
{
  HpVisit *visit;
  HpPrintState state;

  if (self->flow == NULL || hp_visit_flow_get_step (self->flow) != HP_VISIT_STEP_GOODBYE)
    return FALSE;
  visit = hp_visit_flow_get_visit (self->flow);
  if (visit == NULL)
    return FALSE;
  state = hp_print_service_get_visit_state (self->printer, hp_visit_get_id (visit), NULL);
  return state == HP_PRINT_STATE_SENDING || state == HP_PRINT_STATE_PRINTING;
}

/* The print page follows this visit's own printout: what is on its way,
 * what holds it, how many copies are left. The printer's news about the
 * visit before (still printing, held, failed) is not this patient's: they
 * are only told, calmly, that the printer is busy until it is free. */
void
hp_application_sync_printout (HpApplication *self)
{
  HpPrintProblem problem = HP_PRINT_PROBLEM_NONE;
  HpPrintState state = HP_PRINT_STATE_IDLE;
  guint copies_left = 0;

  if (self->window == NULL || self->printer == NULL)
    return;
  if (self->printout != NULL)
    {
      state = hp_print_service_get_visit_state (self->printer, self->printout->visit_id, &problem);
      copies_left = hp_print_service_get_copies_left (self->printer, self->printout->visit_id);
    }
  hp_window_set_printout (self->window,
                          self->printout != NULL ? self->printout->preview : NULL,
                          printout_state_for (state),
                          problem != HP_PRINT_PROBLEM_NONE ? hp_print_problem_to_patient_message (problem) : NULL,
                          copies_left,
                          hp_print_service_get_busy (self->printer));
  hp_window_set_printout_on_its_way (self->window, printout_on_its_way (self));
}

HpPaper
hp_application_configured_paper (HpApplication *self)
{
  HpPaper paper = HP_PAPER_RECEIPT_80MM;

  /* The configuration has checked the name already. */
  hp_paper_from_string (hp_config_get_paper (self->config), &paper);
  return paper;
}

gboolean
hp_application_prepare_printout (HpApplication  *self,
                                 GError        **error)
{
  HpVisit *visit = hp_visit_flow_get_visit (self->flow);
  HpPrintout *printout;

  if (visit == NULL)
    {
      g_set_error_literal (error, HP_SUMMARY_ERROR, HP_SUMMARY_ERROR_NO_RESULTS, "there is no visit to print");
      return FALSE;
    }
  printout = hp_printout_new (visit, hp_visit_flow_get_language (self->flow),
                              hp_config_get_location (self->config), hp_application_configured_paper (self), error);
  if (printout == NULL)
    return FALSE;
  g_clear_pointer (&self->printout, hp_printout_free);
  self->printout = printout;
  return TRUE;
}
