/* Before a visit: what is kept, for how long and who sees it; agree or leave. */
#pragma once

#include "hp-kiosk-page.h"

G_BEGIN_DECLS

#define HP_TYPE_CONSENT_PAGE (hp_consent_page_get_type ())
G_DECLARE_FINAL_TYPE (HpConsentPage, hp_consent_page, HP, CONSENT_PAGE, HpKioskPage)

/* How many days the kiosk keeps a visit before deleting it. */
void hp_consent_page_set_retention_days (HpConsentPage *self,
                                         guint          days);

G_END_DECLS
