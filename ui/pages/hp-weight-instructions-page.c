/* How to step onto the scale before a weight measurement. */
#include "hp-weight-instructions-page.h"

struct _HpWeightInstructionsPage
{
  HpKioskPage parent_instance;
};

G_DEFINE_FINAL_TYPE (HpWeightInstructionsPage, hp_weight_instructions_page, HP_TYPE_KIOSK_PAGE)

static void
hp_weight_instructions_page_class_init (HpWeightInstructionsPageClass *klass)
{
  hp_kiosk_page_class_set_template (GTK_WIDGET_CLASS (klass),
                                    "/org/healthpost/ui/pages/hp-weight-instructions-page.ui");
}

static void
hp_weight_instructions_page_init (HpWeightInstructionsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
