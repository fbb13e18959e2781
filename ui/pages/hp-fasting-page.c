/* Before a glucose test: has the patient eaten in the last 8 hours? */
#include "hp-fasting-page.h"

struct _HpFastingPage
{
  HpKioskPage parent_instance;
};

G_DEFINE_FINAL_TYPE (HpFastingPage, hp_fasting_page, HP_TYPE_KIOSK_PAGE)

static void
hp_fasting_page_class_init (HpFastingPageClass *klass)
{
  hp_kiosk_page_class_set_template (GTK_WIDGET_CLASS (klass),
                                    "/org/healthpost/ui/pages/hp-fasting-page.ui");
}

static void
hp_fasting_page_init (HpFastingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
