/* The page that shows a reading: the numbers big, the units small, and what to do. */
#pragma once

#include "hp-interpretation.h"
#include "hp-kiosk-page.h"
#include "hp-measurement.h"

G_BEGIN_DECLS

#define HP_TYPE_RESULT_PAGE (hp_result_page_get_type ())
G_DECLARE_FINAL_TYPE (HpResultPage, hp_result_page, HP, RESULT_PAGE, HpKioskPage)

/* %NULL clears every value from the page. @fasting is what the patient
 * said before a glucose test; other kinds ignore it. */
void hp_result_page_set_measurement (HpResultPage  *self,
                                     HpMeasurement *measurement,
                                     HpFasting      fasting);

G_END_DECLS
