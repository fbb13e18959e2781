/* The page that sums up a visit: every reading with its category, and what to do next. */
#pragma once

#include "hp-interpretation.h"
#include "hp-kiosk-page.h"
#include "hp-visit.h"

G_BEGIN_DECLS

#define HP_TYPE_SUMMARY_PAGE (hp_summary_page_get_type ())
G_DECLARE_FINAL_TYPE (HpSummaryPage, hp_summary_page, HP, SUMMARY_PAGE, HpKioskPage)

/* Lists the readings of @visit in the order they were taken, each read
 * with the visit's fasting answer and height; %NULL clears them all. */
void  hp_summary_page_set_visit   (HpSummaryPage *self,
                                   HpVisit       *visit);
/* How many readings the page lists, for tests. */
guint hp_summary_page_get_n_rows  (HpSummaryPage *self);

/* Whether the page offers to print (only where the kiosk has a printer). */
void hp_summary_page_set_can_print (HpSummaryPage *self,
                                   gboolean      can_print);

/* Whether a clinician call can be made now; until it can, none is offered. */
void hp_summary_page_set_can_call (HpSummaryPage *self,
                                gboolean      can_call);

G_END_DECLS
