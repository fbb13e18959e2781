/* The last screen of a visit: thanks the patient and says the visit is saved. */
#pragma once

#include "hp-kiosk-page.h"

G_BEGIN_DECLS

#define HP_TYPE_GOODBYE_PAGE (hp_goodbye_page_get_type ())
G_DECLARE_FINAL_TYPE (HpGoodbyePage, hp_goodbye_page, HP, GOODBYE_PAGE, HpKioskPage)

G_END_DECLS
