/* The last screen of a visit: thanks the patient and says the visit is saved. */
#include "hp-goodbye-page.h"

struct _HpGoodbyePage
{
  HpKioskPage parent_instance;

  GtkWidget *printout_label;
};

G_DEFINE_FINAL_TYPE (HpGoodbyePage, hp_goodbye_page, HP_TYPE_KIOSK_PAGE)

static void
hp_goodbye_page_class_init (HpGoodbyePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  hp_kiosk_page_class_set_template (widget_class, "/org/healthpost/ui/pages/hp-goodbye-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HpGoodbyePage, printout_label);
}

static void
hp_goodbye_page_init (HpGoodbyePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
hp_goodbye_page_set_printout_on_its_way (HpGoodbyePage *self,
                                         gboolean       on_its_way)
{
  g_return_if_fail (HP_IS_GOODBYE_PAGE (self));
  gtk_widget_set_visible (self->printout_label, on_its_way);
}

gboolean
hp_goodbye_page_get_printout_on_its_way (HpGoodbyePage *self)
{
  g_return_val_if_fail (HP_IS_GOODBYE_PAGE (self), FALSE);
  return gtk_widget_get_visible (self->printout_label);
}
