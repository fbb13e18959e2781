/* The first screen: invites a passer-by to start a visit. */
#include "hp-attract-page.h"

struct _HpAttractPage
{
  HpKioskPage parent_instance;
};

G_DEFINE_FINAL_TYPE (HpAttractPage, hp_attract_page, HP_TYPE_KIOSK_PAGE)

static void
hp_attract_page_class_init (HpAttractPageClass *klass)
{
  hp_kiosk_page_class_set_template (GTK_WIDGET_CLASS (klass),
                                    "/org/healthpost/ui/pages/hp-attract-page.ui");
}

static void
hp_attract_page_init (HpAttractPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
