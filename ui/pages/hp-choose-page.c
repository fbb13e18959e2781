/* The page where the patient picks what to measure. */
#include "hp-choose-page.h"

struct _HpChoosePage
{
  HpKioskPage parent_instance;

  GtkWidget *choices[HP_MEASUREMENT_KIND_LAST + 1];
  GtkWidget *none_label;
  GtkWidget *finish_button;
};

G_DEFINE_FINAL_TYPE (HpChoosePage, hp_choose_page, HP_TYPE_KIOSK_PAGE)

static void
hp_choose_page_class_init (HpChoosePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  hp_kiosk_page_class_set_template (widget_class, "/org/healthpost/ui/pages/hp-choose-page.ui");
  gtk_widget_class_bind_template_child_full (widget_class, "blood_pressure_button", FALSE,
                                             G_STRUCT_OFFSET (HpChoosePage, choices[HP_MEASUREMENT_KIND_BLOOD_PRESSURE]));
  gtk_widget_class_bind_template_child_full (widget_class, "body_weight_button", FALSE,
                                             G_STRUCT_OFFSET (HpChoosePage, choices[HP_MEASUREMENT_KIND_BODY_WEIGHT]));
  gtk_widget_class_bind_template_child_full (widget_class, "blood_glucose_button", FALSE,
                                             G_STRUCT_OFFSET (HpChoosePage, choices[HP_MEASUREMENT_KIND_BLOOD_GLUCOSE]));
  gtk_widget_class_bind_template_child (widget_class, HpChoosePage, none_label);
  gtk_widget_class_bind_template_child (widget_class, HpChoosePage, finish_button);
}

static void
hp_choose_page_init (HpChoosePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
hp_choose_page_set_available (HpChoosePage      *self,
                              HpMeasurementKind  kind,
                              gboolean           available)
{
  gboolean any = FALSE;

  g_return_if_fail (HP_IS_CHOOSE_PAGE (self));
  g_return_if_fail (kind <= HP_MEASUREMENT_KIND_LAST);

  gtk_widget_set_visible (self->choices[kind], available);
  for (guint i = 0; i < G_N_ELEMENTS (self->choices); i++)
    any |= gtk_widget_get_visible (self->choices[i]);
  gtk_widget_set_visible (self->none_label, !any);
}

void
hp_choose_page_set_can_finish (HpChoosePage *self,
                               gboolean      can_finish)
{
  g_return_if_fail (HP_IS_CHOOSE_PAGE (self));

  gtk_widget_set_visible (self->finish_button, can_finish);
}
