/* How to sit and put on the cuff before a blood-pressure measurement. */
#include "hp-bp-instructions-page.h"

struct _HpBpInstructionsPage
{
  HpKioskPage parent_instance;
};

G_DEFINE_FINAL_TYPE (HpBpInstructionsPage, hp_bp_instructions_page, HP_TYPE_KIOSK_PAGE)

static void
hp_bp_instructions_page_class_init (HpBpInstructionsPageClass *klass)
{
  hp_kiosk_page_class_set_template (GTK_WIDGET_CLASS (klass),
                                    "/org/healthpost/ui/pages/hp-bp-instructions-page.ui");
}

static void
hp_bp_instructions_page_init (HpBpInstructionsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
