/* How to step onto the scale before a weight measurement. */
#pragma once

#include "hp-kiosk-page.h"

G_BEGIN_DECLS

#define HP_TYPE_WEIGHT_INSTRUCTIONS_PAGE (hp_weight_instructions_page_get_type ())
G_DECLARE_FINAL_TYPE (HpWeightInstructionsPage, hp_weight_instructions_page, HP, WEIGHT_INSTRUCTIONS_PAGE, HpKioskPage)

G_END_DECLS
