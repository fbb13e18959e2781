/* The last screen of a visit: thanks the patient and says the visit is saved. */
#pragma once

#include "hp-kiosk-page.h"

G_BEGIN_DECLS

#define HP_TYPE_GOODBYE_PAGE (hp_goodbye_page_get_type ())
G_DECLARE_FINAL_TYPE (HpGoodbyePage, hp_goodbye_page, HP, GOODBYE_PAGE, HpKioskPage)

/* Whether the visit's printout is still coming out of the printer: the
 * page then asks the patient to wait for it and take it with them. */
void     hp_goodbye_page_set_printout_on_its_way (HpGoodbyePage *self,
                                                  gboolean       on_its_way);
gboolean hp_goodbye_page_get_printout_on_its_way (HpGoodbyePage *self);

G_END_DECLS
