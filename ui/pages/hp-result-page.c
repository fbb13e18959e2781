/* The page that shows a reading: the numbers big, the units small, and what to do. */
#include "hp-result-page.h"

#include <glib/gi18n.h>

struct _HpResultPage
{
  HpKioskPage parent_instance;

  GtkLabel *title_label;
  GtkLabel *value_label;
  GtkLabel *unit_label;
  GtkLabel *detail_label;
};

G_DEFINE_FINAL_TYPE (HpResultPage, hp_result_page, HP_TYPE_KIOSK_PAGE)

static void
hp_result_page_class_init (HpResultPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  hp_kiosk_page_class_set_template (widget_class, "/org/healthpost/ui/pages/hp-result-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HpResultPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, HpResultPage, value_label);
  gtk_widget_class_bind_template_child (widget_class, HpResultPage, unit_label);
  gtk_widget_class_bind_template_child (widget_class, HpResultPage, detail_label);
}

static void
hp_result_page_init (HpResultPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
show_blood_pressure (HpResultPage  *self,
                     HpMeasurement *measurement)
{
  double systolic = 0, diastolic = 0, pulse = 0;
  g_autofree char *value = NULL;

  gtk_label_set_label (self->title_label, _("Your blood pressure"));
  if (!hp_measurement_get_value (measurement, HP_QUANTITY_SYSTOLIC, &systolic, NULL) ||
      !hp_measurement_get_value (measurement, HP_QUANTITY_DIASTOLIC, &diastolic, NULL))
    {
      gtk_label_set_label (self->value_label, "");
      gtk_label_set_label (self->unit_label, "");
      return;
    }

  /* Systolic over diastolic is how patients see it on every cuff. */
  value = g_strdup_printf ("%.0f/%.0f", systolic, diastolic);
  gtk_label_set_label (self->value_label, value);
  /* TRANSLATORS: the unit of blood pressure, millimetres of mercury */
  gtk_label_set_label (self->unit_label, _("mmHg"));

  if (hp_measurement_get_value (measurement, HP_QUANTITY_PULSE_RATE, &pulse, NULL))
    {
      g_autofree char *text = NULL;

      /* TRANSLATORS: %.0f is the pulse, a whole number */
      text = g_strdup_printf (_("Pulse: %.0f beats per minute"), pulse);
      gtk_label_set_label (self->detail_label, text);
    }
}

void
hp_result_page_set_measurement (HpResultPage  *self,
                                HpMeasurement *measurement)
{
  g_return_if_fail (HP_IS_RESULT_PAGE (self));
  g_return_if_fail (measurement == NULL || HP_IS_MEASUREMENT (measurement));

  gtk_label_set_label (self->value_label, "");
  gtk_label_set_label (self->unit_label, "");
  gtk_label_set_label (self->detail_label, "");
  gtk_label_set_label (self->title_label, _("Your result"));
  if (measurement == NULL)
    return;

  switch (hp_measurement_get_kind (measurement))
    {
    case HP_MEASUREMENT_KIND_BLOOD_PRESSURE:
      show_blood_pressure (self, measurement);
      break;
    case HP_MEASUREMENT_KIND_BODY_WEIGHT:
    case HP_MEASUREMENT_KIND_BLOOD_GLUCOSE:
    default:
      /* Weight and glucose pages come with their devices. */
      break;
    }
}
