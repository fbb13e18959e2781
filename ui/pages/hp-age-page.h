/* Before the first reading: is the patient 18 or older? Adult ranges are not a child's. */
#pragma once

#include "hp-kiosk-page.h"

G_BEGIN_DECLS

#define HP_TYPE_AGE_PAGE (hp_age_page_get_type ())
G_DECLARE_FINAL_TYPE (HpAgePage, hp_age_page, HP, AGE_PAGE, HpKioskPage)

G_END_DECLS
