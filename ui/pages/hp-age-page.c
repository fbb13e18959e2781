/* Before the first reading: is the patient 18 or older? Adult ranges are not a child's. */
#include "hp-age-page.h"

struct _HpAgePage
{
  HpKioskPage parent_instance;
};

G_DEFINE_FINAL_TYPE (HpAgePage, hp_age_page, HP_TYPE_KIOSK_PAGE)

static void
hp_age_page_class_init (HpAgePageClass *klass)
{
  hp_kiosk_page_class_set_template (GTK_WIDGET_CLASS (klass), "/org/healthpost/ui/pages/hp-age-page.ui");
}

static void
hp_age_page_init (HpAgePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
