/* Before a glucose test: has the patient eaten in the last 8 hours? */
#pragma once

#include "hp-kiosk-page.h"

G_BEGIN_DECLS

#define HP_TYPE_FASTING_PAGE (hp_fasting_page_get_type ())
G_DECLARE_FINAL_TYPE (HpFastingPage, hp_fasting_page, HP, FASTING_PAGE, HpKioskPage)

G_END_DECLS
