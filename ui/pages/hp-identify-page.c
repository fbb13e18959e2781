/* Anonymous by default; a returning patient may give their personal code. */
#include "hp-identify-page.h"

struct _HpIdentifyPage
{
  HpKioskPage parent_instance;
};

G_DEFINE_FINAL_TYPE (HpIdentifyPage, hp_identify_page, HP_TYPE_KIOSK_PAGE)

static void
hp_identify_page_class_init (HpIdentifyPageClass *klass)
{
  hp_kiosk_page_class_set_template (GTK_WIDGET_CLASS (klass),
                                    "/org/healthpost/ui/pages/hp-identify-page.ui");
}

static void
hp_identify_page_init (HpIdentifyPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
