/* The page that tells the patient what went wrong and what to do. */
#include "hp-problem-page.h"

#include <glib/gi18n.h>

#include "hp-kiosk-page.h"

struct _HpProblemPage
{
  HpKioskPage parent_instance;

  GtkLabel *title_label;
  GtkLabel *advice_label;
  GtkWidget *retry_button;
  GtkWidget *another_button;
};

G_DEFINE_FINAL_TYPE (HpProblemPage, hp_problem_page, HP_TYPE_KIOSK_PAGE)

static void
hp_problem_page_class_init (HpProblemPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  hp_kiosk_page_class_set_template (widget_class, "/org/healthpost/ui/pages/hp-problem-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HpProblemPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, HpProblemPage, advice_label);
  gtk_widget_class_bind_template_child (widget_class, HpProblemPage, retry_button);
  gtk_widget_class_bind_template_child (widget_class, HpProblemPage, another_button);
}

static void
hp_problem_page_init (HpProblemPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  hp_problem_page_set_problem (self, HP_VISIT_PROBLEM_NONE, HP_MEASUREMENT_KIND_BLOOD_PRESSURE);
}

/* Words for problems with a device, one per kind of device; the patient
 * hears which device it is, in the words the instructions used. */
typedef struct {
  const char *title;
  const char *advice;
} ProblemWords;

static ProblemWords
device_words (HpVisitProblem    problem,
              HpMeasurementKind kind)
{
  /* Rows follow HpMeasurementKind: cuff, scale, meter. */
  static const ProblemWords missing[] = {
    { N_("The blood pressure cuff is not connected."), N_("Please ask a staff member for help.") },
    { N_("The scale is not connected."), N_("Please ask a staff member for help.") },
    { N_("The blood sugar meter is not connected."), N_("Please ask a staff member for help.") },
  };
  static const ProblemWords unplugged[] = {
    { N_("The cuff was disconnected."), N_("Please ask a staff member to check the cable. Then try again.") },
    { N_("The scale was disconnected."), N_("Please ask a staff member to check the cable. Then try again.") },
    { N_("The meter was disconnected."), N_("Please ask a staff member to check the cable. Then try again.") },
  };
  static const ProblemWords not_responding[] = {
    { N_("The cuff did not answer."), N_("Check that the cuff is switched on and try again. If it happens again, please ask a staff member.") },
    { N_("The scale did not answer."), N_("Step off the scale and try again. If it happens again, please ask a staff member.") },
    { N_("The meter did not answer."), N_("Check that the meter is switched on and try again. If it happens again, please ask a staff member.") },
  };
  static const ProblemWords no_new_reading[] = {
    { N_("The cuff has no new reading."), N_("Please try again. Stay still until the cuff is loose again.") },
    { N_("The scale has no new weight."), N_("Please step onto the scale again and stand still.") },
    { N_("The meter has no new test."), N_("Please test again.") },
  };
  static const ProblemWords implausible[] = {
    { N_("The reading does not look right."), N_("Please sit still, relax your arm and try again.") },
    { N_("The scale could not weigh you."), N_("Step off, wait a moment, then step on again and stand still. If it happens again, please ask a staff member.") },
    { N_("The meter’s result does not look right."), N_("Please test again with a new strip. If it happens again, please ask a staff member.") },
  };
  static const ProblemWords reading_failed[] = {
    { N_("We could not read your result."), N_("Please sit still and try again.") },
    { N_("We could not read your weight."), N_("Please stand still on the scale and try again.") },
    { N_("We could not read your result."), N_("Please test again with a new strip.") },
  };
  const ProblemWords *table;

  G_STATIC_ASSERT (G_N_ELEMENTS (missing) == HP_MEASUREMENT_KIND_LAST + 1);

  switch (problem)
    {
    case HP_VISIT_PROBLEM_DEVICE_MISSING:
      table = missing;
      break;
    case HP_VISIT_PROBLEM_DEVICE_UNPLUGGED:
      table = unplugged;
      break;
    case HP_VISIT_PROBLEM_DEVICE_NOT_RESPONDING:
      table = not_responding;
      break;
    case HP_VISIT_PROBLEM_NO_NEW_READING:
      table = no_new_reading;
      break;
    case HP_VISIT_PROBLEM_IMPLAUSIBLE:
      table = implausible;
      break;
    case HP_VISIT_PROBLEM_NONE:
    case HP_VISIT_PROBLEM_READING_FAILED:
    case HP_VISIT_PROBLEM_NOT_SAVED:
    case HP_VISIT_PROBLEM_OUT_OF_SERVICE:
    default:
      table = reading_failed;
      break;
    }
  return table[kind <= HP_MEASUREMENT_KIND_LAST ? kind : HP_MEASUREMENT_KIND_BLOOD_PRESSURE];
}

void
hp_problem_page_set_problem (HpProblemPage     *self,
                             HpVisitProblem     problem,
                             HpMeasurementKind  kind)
{
  const char *title;
  const char *advice;
  gboolean can_retry = TRUE;

  g_return_if_fail (HP_IS_PROBLEM_PAGE (self));

  switch (problem)
    {
    case HP_VISIT_PROBLEM_NOT_SAVED:
      title = _("We could not save your visit.");
      advice = _("Please tell a staff member. Nothing is wrong with you: this is a problem with the kiosk.");
      can_retry = FALSE;
      break;
    case HP_VISIT_PROBLEM_OUT_OF_SERVICE:
      title = _("This kiosk is not working right now.");
      advice = _("Please ask a staff member for help. We are sorry.");
      can_retry = FALSE;
      break;
    case HP_VISIT_PROBLEM_NONE:
    case HP_VISIT_PROBLEM_DEVICE_MISSING:
    case HP_VISIT_PROBLEM_DEVICE_UNPLUGGED:
    case HP_VISIT_PROBLEM_DEVICE_NOT_RESPONDING:
    case HP_VISIT_PROBLEM_NO_NEW_READING:
    case HP_VISIT_PROBLEM_IMPLAUSIBLE:
    case HP_VISIT_PROBLEM_READING_FAILED:
    default:
      {
        ProblemWords words = device_words (problem, kind);

        title = _(words.title);
        advice = _(words.advice);
      }
      break;
    }

  gtk_label_set_label (self->title_label, title);
  gtk_label_set_label (self->advice_label, advice);
  gtk_widget_set_visible (self->retry_button, can_retry);
  gtk_widget_set_visible (self->another_button, can_retry);
}
