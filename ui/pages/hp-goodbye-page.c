/* The last screen of a visit: thanks the patient and says the visit is saved. */
#include "hp-goodbye-page.h"

struct _HpGoodbyePage
{
  HpKioskPage parent_instance;
};

G_DEFINE_FINAL_TYPE (HpGoodbyePage, hp_goodbye_page, HP_TYPE_KIOSK_PAGE)

static void
hp_goodbye_page_class_init (HpGoodbyePageClass *klass)
{
  hp_kiosk_page_class_set_template (GTK_WIDGET_CLASS (klass),
                                    "/org/healthpost/ui/pages/hp-goodbye-page.ui");
}

static void
hp_goodbye_page_init (HpGoodbyePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
