/* The page where the patient picks what to measure. */
#pragma once

#include "hp-kiosk-page.h"
#include "hp-measurement.h"

G_BEGIN_DECLS

#define HP_TYPE_CHOOSE_PAGE (hp_choose_page_get_type ())
G_DECLARE_FINAL_TYPE (HpChoosePage, hp_choose_page, HP, CHOOSE_PAGE, HpKioskPage)

/* Only measurements with a device present are offered. */
void hp_choose_page_set_available (HpChoosePage      *self,
                                   HpMeasurementKind  kind,
                                   gboolean           available);

/* Once something was measured, the patient may stop here and save it. */
void hp_choose_page_set_can_finish (HpChoosePage *self,
                                    gboolean      can_finish);

G_END_DECLS
