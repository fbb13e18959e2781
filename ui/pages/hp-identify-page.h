/* Anonymous by default; a returning patient may give their personal code. */
#pragma once

#include "hp-kiosk-page.h"

G_BEGIN_DECLS

#define HP_TYPE_IDENTIFY_PAGE (hp_identify_page_get_type ())
G_DECLARE_FINAL_TYPE (HpIdentifyPage, hp_identify_page, HP, IDENTIFY_PAGE, HpKioskPage)

G_END_DECLS
