/* At the end of an anonymous visit: a personal code for next time, or not. */
#pragma once

#include "hp-kiosk-page.h"

G_BEGIN_DECLS

#define HP_TYPE_OFFER_CODE_PAGE (hp_offer_code_page_get_type ())
G_DECLARE_FINAL_TYPE (HpOfferCodePage, hp_offer_code_page, HP, OFFER_CODE_PAGE, HpKioskPage)

G_END_DECLS
