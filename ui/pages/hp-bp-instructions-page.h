/* How to sit and put on the cuff before a blood-pressure measurement. */
#pragma once

#include "hp-kiosk-page.h"

G_BEGIN_DECLS

#define HP_TYPE_BP_INSTRUCTIONS_PAGE (hp_bp_instructions_page_get_type ())
G_DECLARE_FINAL_TYPE (HpBpInstructionsPage, hp_bp_instructions_page, HP, BP_INSTRUCTIONS_PAGE, HpKioskPage)

G_END_DECLS
