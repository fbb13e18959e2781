/* The page for a reading that needs care now: what it means, whom to call, and a clinician on offer. */
#pragma once

#include "hp-interpretation.h"
#include "hp-kiosk-page.h"
#include "hp-measurement.h"
#include "hp-visit.h"

G_BEGIN_DECLS

#define HP_TYPE_CRISIS_PAGE (hp_crisis_page_get_type ())
G_DECLARE_FINAL_TYPE (HpCrisisPage, hp_crisis_page, HP, CRISIS_PAGE, HpKioskPage)

/* %NULL clears every value from the page. @measurement is read as a part
 * of @visit; @emergency_number is what they are told to call. */
void hp_crisis_page_set_reading (HpCrisisPage  *self,
                                 HpVisit       *visit,
                                 HpMeasurement *measurement,
                                 const char    *emergency_number);
/* Whether a clinician call can be made now: until one can, the page
 * neither offers nor mentions one, and sends the patient to staff. */
void hp_crisis_page_set_can_call (HpCrisisPage *self,
                                  gboolean      can_call);

G_END_DECLS
