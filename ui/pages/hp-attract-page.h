/* The first screen: invites a passer-by to start a visit. */
#pragma once

#include "hp-kiosk-page.h"

G_BEGIN_DECLS

#define HP_TYPE_ATTRACT_PAGE (hp_attract_page_get_type ())
G_DECLARE_FINAL_TYPE (HpAttractPage, hp_attract_page, HP, ATTRACT_PAGE, HpKioskPage)

G_END_DECLS
