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
}

static void
hp_problem_page_init (HpProblemPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  hp_problem_page_set_problem (self, HP_PROBLEM_READING_FAILED);
}

void
hp_problem_page_set_problem (HpProblemPage *self,
                             HpProblem      problem)
{
  const char *title;
  const char *advice;
  gboolean can_retry = TRUE;

  g_return_if_fail (HP_IS_PROBLEM_PAGE (self));

  switch (problem)
    {
    case HP_PROBLEM_DEVICE_MISSING:
      title = _("The blood pressure cuff is not connected.");
      advice = _("Please ask a staff member for help.");
      break;
    case HP_PROBLEM_DEVICE_UNPLUGGED:
      title = _("The cuff was disconnected.");
      advice = _("Please ask a staff member to check the cable. Then try again.");
      break;
    case HP_PROBLEM_DEVICE_NOT_RESPONDING:
      title = _("The cuff did not answer.");
      advice = _("Check that the cuff is switched on and try again. If it happens again, please ask a staff member.");
      break;
    case HP_PROBLEM_NOT_SAVED:
      title = _("We could not save your visit.");
      advice = _("Please tell a staff member. Nothing is wrong with you: this is a problem with the kiosk.");
      can_retry = FALSE;
      break;
    case HP_PROBLEM_OUT_OF_SERVICE:
      title = _("This kiosk is not working right now.");
      advice = _("Please ask a staff member for help. We are sorry.");
      can_retry = FALSE;
      break;
    case HP_PROBLEM_READING_FAILED:
    default:
      title = _("We could not read your result.");
      advice = _("Please sit still and try again.");
      break;
    }

  gtk_label_set_label (self->title_label, title);
  gtk_label_set_label (self->advice_label, advice);
  gtk_widget_set_visible (self->retry_button, can_retry);
}
