/* How to test a drop of blood with the meter before a blood-sugar measurement. */
#pragma once

#include "hp-kiosk-page.h"

G_BEGIN_DECLS

#define HP_TYPE_GLUCOSE_INSTRUCTIONS_PAGE (hp_glucose_instructions_page_get_type ())
G_DECLARE_FINAL_TYPE (HpGlucoseInstructionsPage, hp_glucose_instructions_page, HP, GLUCOSE_INSTRUCTIONS_PAGE, HpKioskPage)

G_END_DECLS
