/* HpApplication's "visit" actions: what the buttons on the pages ask for, passed to the flow, the call service and the printer. */
#include <glib/gi18n.h>

#include "hp-application-private.h"
#include "hp-i18n.h"
#include "hp-visit-actions.h"

static void
action_begin (GSimpleAction *action G_GNUC_UNUSED, GVariant *param G_GNUC_UNUSED, gpointer data)
{
  HpApplication *self = data;
  if (self->flow != NULL)
    hp_visit_flow_begin (self->flow);
}

static void
action_choose_language (GSimpleAction *action G_GNUC_UNUSED, GVariant *param, gpointer data)
{
  HpApplication *self = data;
  if (self->flow != NULL)
    hp_visit_flow_choose_language (self->flow, g_variant_get_string (param, NULL));
}

static void
action_consent (GSimpleAction *action G_GNUC_UNUSED, GVariant *param, gpointer data)
{
  HpApplication *self = data;
  if (self->flow != NULL)
    hp_visit_flow_consent (self->flow, g_variant_get_boolean (param));
}

static void
action_identify (GSimpleAction *action G_GNUC_UNUSED, GVariant *param, gpointer data)
{
  HpApplication *self = data;
  if (self->flow != NULL)
    hp_visit_flow_identify (self->flow, g_variant_get_boolean (param));
}

static void
action_enter (GSimpleAction *action G_GNUC_UNUSED, GVariant *param, gpointer data)
{
  HpApplication *self = data;
  if (self->flow != NULL)
    hp_visit_flow_enter (self->flow, g_variant_get_string (param, NULL));
}

static void
action_height (GSimpleAction *action G_GNUC_UNUSED, GVariant *param, gpointer data)
{
  HpApplication *self = data;
  if (self->flow != NULL)
    hp_visit_flow_enter_height (self->flow, g_variant_get_double (param));
}

static void
action_back (GSimpleAction *action G_GNUC_UNUSED, GVariant *param G_GNUC_UNUSED, gpointer data)
{
  HpApplication *self = data;
  if (self->flow != NULL)
    hp_visit_flow_back (self->flow);
}

static void
action_remember_me (GSimpleAction *action G_GNUC_UNUSED, GVariant *param G_GNUC_UNUSED, gpointer data)
{
  HpApplication *self = data;
  if (self->flow != NULL)
    hp_visit_flow_remember_me (self->flow);
}

static void
action_choose (GSimpleAction *action G_GNUC_UNUSED, GVariant *param, gpointer data)
{
  HpApplication *self = data;
  HpMeasurementKind kind;

  if (self->flow != NULL && hp_measurement_kind_from_string (g_variant_get_string (param, NULL), &kind))
    hp_visit_flow_choose (self->flow, kind);
}

static void
action_start_measurement (GSimpleAction *action G_GNUC_UNUSED, GVariant *param G_GNUC_UNUSED, gpointer data)
{
  HpApplication *self = data;
  if (self->flow != NULL)
    hp_visit_flow_start_measurement (self->flow);
}

static void
action_cancel_measurement (GSimpleAction *action G_GNUC_UNUSED, GVariant *param G_GNUC_UNUSED, gpointer data)
{
  HpApplication *self = data;
  if (self->flow != NULL)
    hp_visit_flow_cancel_measurement (self->flow);
}

static void
action_fasting (GSimpleAction *action G_GNUC_UNUSED, GVariant *param, gpointer data)
{
  HpApplication *self = data;
  const char *answer = g_variant_get_string (param, NULL);

  if (self->flow == NULL)
    return;
  if (g_str_equal (answer, "fasting"))
    hp_visit_flow_answer_fasting (self->flow, HP_FASTING_YES);
  else if (g_str_equal (answer, "eaten"))
    hp_visit_flow_answer_fasting (self->flow, HP_FASTING_NO);
}

static void
action_age (GSimpleAction *action G_GNUC_UNUSED, GVariant *param, gpointer data)
{
  HpApplication *self = data;

  if (self->flow != NULL)
    hp_visit_flow_answer_age (self->flow, g_variant_get_boolean (param));
}

static void
action_measure_another (GSimpleAction *action G_GNUC_UNUSED, GVariant *param G_GNUC_UNUSED, gpointer data)
{
  HpApplication *self = data;
  if (self->flow != NULL)
    hp_visit_flow_measure_another (self->flow);
}

static void
action_finish (GSimpleAction *action G_GNUC_UNUSED, GVariant *param G_GNUC_UNUSED, gpointer data)
{
  HpApplication *self = data;
  if (self->flow != NULL)
    hp_visit_flow_finish (self->flow);
}

static void
action_start_over (GSimpleAction *action G_GNUC_UNUSED, GVariant *param G_GNUC_UNUSED, gpointer data)
{
  HpApplication *self = data;
  if (self->flow != NULL)
    hp_visit_flow_start_over (self->flow);
}

static void
action_still_here (GSimpleAction *action G_GNUC_UNUSED, GVariant *param G_GNUC_UNUSED, gpointer data)
{
  HpApplication *self = data;
  if (self->flow != NULL)
    hp_visit_flow_user_activity (self->flow);
}

static void
action_call_clinician (GSimpleAction *action G_GNUC_UNUSED, GVariant *param G_GNUC_UNUSED, gpointer data)
{
  HpApplication *self = data;
  g_autoptr(GError) error = NULL;
  HpVisit *visit;

  if (self->flow == NULL || self->window == NULL)
    return;
  visit = hp_visit_flow_get_visit (self->flow);
  if (visit == NULL || !hp_call_service_request_call (self->calls, visit, &error))
    hp_window_show_notice (self->window,
                           _("Video calls with a clinician are not available on this kiosk yet. Please ask a staff member."));
}

static void
action_see_result (GSimpleAction *action G_GNUC_UNUSED, GVariant *param G_GNUC_UNUSED, gpointer data)
{
  HpApplication *self = data;
  if (self->flow != NULL)
    hp_visit_flow_see_result (self->flow);
}

/* "Print my results": the printout is made and shown before anything is
 * sent to the printer. */
static void
action_print_results (GSimpleAction *action G_GNUC_UNUSED, GVariant *param G_GNUC_UNUSED, gpointer data)
{
  HpApplication *self = data;
  g_autoptr(GError) error = NULL;
  HpVisitStep step;

  if (self->flow == NULL || self->window == NULL)
    return;
  step = hp_visit_flow_get_step (self->flow);
  if (step != HP_VISIT_STEP_SUMMARY && step != HP_VISIT_STEP_CODE_CREATED)
    return;
  if (self->printer == NULL || !hp_print_service_is_available (self->printer))
    {
      hp_window_show_notice (self->window,
                             _("This kiosk has no printer. Please write your numbers down or ask a staff member."));
      return;
    }
  if (!hp_application_prepare_printout (self, &error))
    {
      /* The renderer's errors name what failed, never a value. */
      g_message ("the summary could not be made for printing: %s", error->message);
      hp_window_show_notice (self->window,
                             _("Your printout could not be made. Please write your numbers down or ask a staff member."));
      return;
    }
  hp_visit_flow_print (self->flow);
}

static void
on_printed (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  g_autoptr(HpApplication) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpPrintOutcome) outcome = hp_print_service_print_finish (HP_PRINT_SERVICE (source), result, &error);

  /* The service has logged and audited how it went; the page follows its
   * state. A printout that was not even sent is told here. One cancelled
   * is one whose visit ended while a problem held it: its patient has
   * gone, and the page may be the next one's. */
  if (outcome == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("a printout was cancelled: %s", error->message);
  else if (outcome == NULL)
    {
      g_message ("the summary was not sent to the printer: %s", error->message);
      if (self->window != NULL && self->flow != NULL &&
          hp_visit_flow_get_step (self->flow) == HP_VISIT_STEP_PRINT)
        hp_window_show_notice (self->window,
                               g_error_matches (error, HP_PRINT_ERROR, HP_PRINT_ERROR_BUSY)
                               ? _("The printer is busy. Please try again in a moment.")
                               : _("Your printout could not be sent. Please ask a staff member."));
    }
  hp_application_sync_printout (self);
}

/* The print page's Print: the printout shown goes to the printer. */
static void
action_send_to_printer (GSimpleAction *action G_GNUC_UNUSED, GVariant *param G_GNUC_UNUSED, gpointer data)
{
  HpApplication *self = data;

  if (self->flow == NULL || self->printout == NULL ||
      hp_visit_flow_get_step (self->flow) != HP_VISIT_STEP_PRINT)
    return;
  /* The job's title is what the printer's queue shows: nothing personal. */
  hp_print_service_print_async (self->printer, self->printout->visit_id, self->printout->pdf,
                                "Healthpost summary", NULL, on_printed, g_object_ref (self));
  hp_application_sync_printout (self);
}

static void
action_next_language (GSimpleAction *action G_GNUC_UNUSED, GVariant *param G_GNUC_UNUSED, gpointer data)
{
  HpApplication *self = data;
  if (self->flow != NULL)
    hp_visit_flow_set_language (self->flow, hp_i18n_next_language (hp_config_get_languages (self->config),
                                                                hp_visit_flow_get_language (self->flow)));
}

static const GActionEntry visit_entries[] = {
  { .name = HP_VISIT_ACTION_BEGIN, .activate = action_begin },
  { .name = HP_VISIT_ACTION_CHOOSE, .activate = action_choose, .parameter_type = "s" },
  { .name = HP_VISIT_ACTION_CHOOSE_LANGUAGE, .activate = action_choose_language, .parameter_type = "s" },
  { .name = HP_VISIT_ACTION_CONSENT, .activate = action_consent, .parameter_type = "b" },
  { .name = HP_VISIT_ACTION_IDENTIFY, .activate = action_identify, .parameter_type = "b" },
  { .name = HP_VISIT_ACTION_ENTER, .activate = action_enter, .parameter_type = "s" },
  { .name = HP_VISIT_ACTION_HEIGHT, .activate = action_height, .parameter_type = "d" },
  { .name = HP_VISIT_ACTION_BACK, .activate = action_back },
  { .name = HP_VISIT_ACTION_REMEMBER_ME, .activate = action_remember_me },
  { .name = HP_VISIT_ACTION_START_MEASUREMENT, .activate = action_start_measurement },
  { .name = HP_VISIT_ACTION_CANCEL_MEASUREMENT, .activate = action_cancel_measurement },
  { .name = HP_VISIT_ACTION_FASTING, .activate = action_fasting, .parameter_type = "s" },
  { .name = HP_VISIT_ACTION_AGE, .activate = action_age, .parameter_type = "b" },
  { .name = HP_VISIT_ACTION_MEASURE_ANOTHER, .activate = action_measure_another },
  { .name = HP_VISIT_ACTION_FINISH, .activate = action_finish },
  { .name = HP_VISIT_ACTION_START_OVER, .activate = action_start_over },
  { .name = HP_VISIT_ACTION_STILL_HERE, .activate = action_still_here },
  { .name = HP_VISIT_ACTION_CALL_CLINICIAN, .activate = action_call_clinician },
  { .name = HP_VISIT_ACTION_SEE_RESULT, .activate = action_see_result },
  { .name = HP_VISIT_ACTION_PRINT_RESULTS, .activate = action_print_results },
  { .name = HP_VISIT_ACTION_SEND_TO_PRINTER, .activate = action_send_to_printer },
  { .name = HP_VISIT_ACTION_NEXT_LANGUAGE, .activate = action_next_language },
};

void
hp_application_add_visit_actions (HpApplication *self,
                                  GActionMap    *map)
{
  g_action_map_add_action_entries (map, visit_entries, G_N_ELEMENTS (visit_entries), self);
}
