/* How to test a drop of blood with the meter before a blood-sugar measurement. */
#include "hp-glucose-instructions-page.h"

struct _HpGlucoseInstructionsPage
{
  HpKioskPage parent_instance;
};

G_DEFINE_FINAL_TYPE (HpGlucoseInstructionsPage, hp_glucose_instructions_page, HP_TYPE_KIOSK_PAGE)

static void
hp_glucose_instructions_page_class_init (HpGlucoseInstructionsPageClass *klass)
{
  hp_kiosk_page_class_set_template (GTK_WIDGET_CLASS (klass),
                                    "/org/healthpost/ui/pages/hp-glucose-instructions-page.ui");
}

static void
hp_glucose_instructions_page_init (HpGlucoseInstructionsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
