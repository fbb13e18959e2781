/* At the end of an anonymous visit: a personal code for next time, or not. */
#include "hp-offer-code-page.h"

struct _HpOfferCodePage
{
  HpKioskPage parent_instance;
};

G_DEFINE_FINAL_TYPE (HpOfferCodePage, hp_offer_code_page, HP_TYPE_KIOSK_PAGE)

static void
hp_offer_code_page_class_init (HpOfferCodePageClass *klass)
{
  hp_kiosk_page_class_set_template (GTK_WIDGET_CLASS (klass),
                                    "/org/healthpost/ui/pages/hp-offer-code-page.ui");
}

static void
hp_offer_code_page_init (HpOfferCodePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
