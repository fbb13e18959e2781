/* The printout before it is printed: its preview, the Print button, and how printing goes. */
#include "hp-print-page.h"
#include "hp-visit-actions.h"

#include <glib/gi18n.h>

struct _HpPrintPage
{
  HpKioskPage parent_instance;

  GtkPicture *preview;
  GtkLabel *status_label;
  GtkLabel *problem_label;
  GtkLabel *copies_label;
  GtkButton *print_button;

  HpPrintoutState state;
};

G_DEFINE_FINAL_TYPE (HpPrintPage, hp_print_page, HP_TYPE_KIOSK_PAGE)

static void
hp_print_page_class_init (HpPrintPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  hp_kiosk_page_class_set_template (widget_class, "/org/healthpost/ui/pages/hp-print-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HpPrintPage, preview);
  gtk_widget_class_bind_template_child (widget_class, HpPrintPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, HpPrintPage, problem_label);
  gtk_widget_class_bind_template_child (widget_class, HpPrintPage, copies_label);
  gtk_widget_class_bind_template_child (widget_class, HpPrintPage, print_button);
}

static void
hp_print_page_init (HpPrintPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  hp_print_page_set_status (self, HP_PRINTOUT_READY, NULL, 0, FALSE);
}

void
hp_print_page_set_preview (HpPrintPage *self,
                           GdkTexture  *preview)
{
  g_return_if_fail (HP_IS_PRINT_PAGE (self));
  g_return_if_fail (preview == NULL || GDK_IS_TEXTURE (preview));

  gtk_picture_set_paintable (self->preview, GDK_PAINTABLE (preview));
}

GdkTexture *
hp_print_page_get_preview (HpPrintPage *self)
{
  GdkPaintable *paintable;

  g_return_val_if_fail (HP_IS_PRINT_PAGE (self), NULL);

  paintable = gtk_picture_get_paintable (self->preview);
  return GDK_IS_TEXTURE (paintable) ? GDK_TEXTURE (paintable) : NULL;
}

static const char *
status_text (HpPrintoutState state)
{
  switch (state)
    {
    case HP_PRINTOUT_PRINTING:
      return _("Printing… Please wait by the printer.");
    case HP_PRINTOUT_PRINTED:
      return _("Your printout is ready. Please take it from the printer.");
    case HP_PRINTOUT_FAILED:
      return _("Your printout could not be printed.");
    case HP_PRINTOUT_READY:
    default:
      return _("This is your printout: your results, what they mean, and today's date. Show it to your doctor or pharmacist.");
    }
}

static char *
copies_text (HpPrintoutState state,
             guint           copies_left,
             gboolean        printer_busy)
{
  if (state == HP_PRINTOUT_PRINTING)
    return g_strdup ("");
  /* Someone else's printout: nothing is wrong with this one, which can
   * follow once the printer is free. */
  if (printer_busy)
    return g_strdup (_("The printer is busy with another printout. You can print yours as soon as it is free."));
  if (copies_left == 0)
    return g_strdup (_("No more copies can be printed for this visit."));
  if (state == HP_PRINTOUT_PRINTED)
    return g_strdup_printf (ngettext ("You can print %u more copy.",
                                      "You can print %u more copies.", copies_left),
                            copies_left);
  return g_strdup ("");
}

void
hp_print_page_set_status (HpPrintPage     *self,
                          HpPrintoutState  state,
                          const char      *problem_message,
                          guint            copies_left,
                          gboolean         printer_busy)
{
  g_autofree char *copies = NULL;
  gboolean has_problem, can_print;

  g_return_if_fail (HP_IS_PRINT_PAGE (self));
  g_return_if_fail (state <= HP_PRINTOUT_STATE_LAST);

  self->state = state;
  has_problem = problem_message != NULL && *problem_message != '\0';
  gtk_label_set_label (self->status_label, status_text (state));
  gtk_label_set_label (self->problem_label, has_problem ? _(problem_message) : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), has_problem);
  copies = copies_text (state, copies_left, printer_busy);
  gtk_label_set_label (self->copies_label, copies);
  gtk_widget_set_visible (GTK_WIDGET (self->copies_label), *copies != '\0');

  /* Once a copy came out, or one failed, the same button prints again. */
  gtk_button_set_label (self->print_button,
                        state == HP_PRINTOUT_READY ? _("Print") :
                        state == HP_PRINTOUT_FAILED ? _("Try again") : _("Print again"));
  /* While a printout is on its way (this one or another), or when the
   * visit has printed all it may, there is nothing to press: the button
   * goes, with its action (whose own state would otherwise make it
   * sensitive again). */
  can_print = state != HP_PRINTOUT_PRINTING && !printer_busy && copies_left > 0;
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->print_button),
                                  can_print ? HP_VISIT_DETAILED (HP_VISIT_ACTION_SEND_TO_PRINTER) : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->print_button), can_print);
}

HpPrintoutState
hp_print_page_get_state (HpPrintPage *self)
{
  g_return_val_if_fail (HP_IS_PRINT_PAGE (self), HP_PRINTOUT_READY);
  return self->state;
}
