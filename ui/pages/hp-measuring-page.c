/* The page shown while a device measures: what is happening and how to help it. */
#include "hp-measuring-page.h"

#include <glib/gi18n.h>

struct _HpMeasuringPage
{
  HpKioskPage parent_instance;

  GtkLabel *phase_label;
  GtkSpinner *spinner;
};

G_DEFINE_FINAL_TYPE (HpMeasuringPage, hp_measuring_page, HP_TYPE_KIOSK_PAGE)

static void
hp_measuring_page_class_init (HpMeasuringPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  hp_kiosk_page_class_set_template (widget_class, "/org/healthpost/ui/pages/hp-measuring-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HpMeasuringPage, phase_label);
  gtk_widget_class_bind_template_child (widget_class, HpMeasuringPage, spinner);
}

static void
hp_measuring_page_init (HpMeasuringPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  hp_measuring_page_set_phase (self, HP_MEASUREMENT_PHASE_WAITING_FOR_DEVICE);
}

void
hp_measuring_page_set_phase (HpMeasuringPage    *self,
                             HpMeasurementPhase  phase)
{
  const char *text;

  g_return_if_fail (HP_IS_MEASURING_PAGE (self));

  switch (phase)
    {
    case HP_MEASUREMENT_PHASE_IDLE:
    case HP_MEASUREMENT_PHASE_WAITING_FOR_DEVICE:
      text = _("Connecting to the cuff…");
      break;
    case HP_MEASUREMENT_PHASE_MEASURING:
      text = _("The cuff is getting tight. This is normal. Stay still and relax.");
      break;
    case HP_MEASUREMENT_PHASE_RECEIVING:
      text = _("Reading your result…");
      break;
    case HP_MEASUREMENT_PHASE_STAND_STILL:
      text = _("Please stand still.");
      break;
    case HP_MEASUREMENT_PHASE_PRESS_START:
      text = _("Press the START button on the device.");
      break;
    case HP_MEASUREMENT_PHASE_DONE:
    default:
      text = _("Done.");
      break;
    }
  gtk_label_set_label (self->phase_label, text);
  gtk_spinner_set_spinning (self->spinner, phase != HP_MEASUREMENT_PHASE_DONE);
}
