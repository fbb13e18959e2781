/* A scripted demo visit that saves a screenshot of every screen it passes. */
#pragma once

#include "hp-print-service.h"
#include "hp-visit-flow.h"
#include "hp-window.h"

G_BEGIN_DECLS

#define HP_TYPE_DEMO_TOUR (hp_demo_tour_get_type ())
G_DECLARE_FINAL_TYPE (HpDemoTour, hp_demo_tour, HP, DEMO_TOUR, GObject)

/* Emits "finished" (gboolean succeeded) when the visit ends or fails. */
HpDemoTour *hp_demo_tour_new   (HpWindow    *window,
                                HpVisitFlow *flow,
                                const char  *folder);
/* With a printer, the demo patient prints their summary once and waits
 * until it has come out. */
void        hp_demo_tour_set_printer (HpDemoTour     *self,
                                      HpPrintService *printer);
void        hp_demo_tour_start (HpDemoTour  *self);

G_END_DECLS
