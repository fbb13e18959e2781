/* The page that shows a reading: the numbers big, the units small, and what to do. */
#pragma once

#include "hp-interpretation.h"
#include "hp-kiosk-page.h"
#include "hp-measurement.h"
#include "hp-visit.h"

G_BEGIN_DECLS

#define HP_TYPE_RESULT_PAGE (hp_result_page_get_type ())
G_DECLARE_FINAL_TYPE (HpResultPage, hp_result_page, HP, RESULT_PAGE, HpKioskPage)

/* %NULL clears every value from the page. @measurement is read as a part
 * of @visit: glucose with its fasting answer, weight with its height. */
void hp_result_page_set_measurement (HpResultPage  *self,
                                     HpVisit       *visit,
                                     HpMeasurement *measurement);
/* A returning patient's earlier visits (HpVisit, newest first): the page
 * draws the trend of the kind it shows; %NULL forgets them. */
void hp_result_page_set_history     (HpResultPage  *self,
                                     GPtrArray     *history);
/* Whether the patient's last visits are shown in place of the reading;
 * they can be only where there are earlier readings of its kind. */
gboolean   hp_result_page_get_showing_trend (HpResultPage *self);
void       hp_result_page_set_showing_trend (HpResultPage *self,
                                             gboolean      showing);
/* The trend chart, for tests. */
GtkWidget *hp_result_page_get_trend (HpResultPage  *self);

/* Whether a clinician call can be made now; until it can, none is offered. */
void hp_result_page_set_can_call (HpResultPage *self,
                                gboolean      can_call);

G_END_DECLS
