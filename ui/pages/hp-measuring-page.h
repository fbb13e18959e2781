/* The page shown while a device measures: what is happening and how to help it. */
#pragma once

#include "hp-kiosk-page.h"
#include "hp-measurement.h"

G_BEGIN_DECLS

#define HP_TYPE_MEASURING_PAGE (hp_measuring_page_get_type ())
G_DECLARE_FINAL_TYPE (HpMeasuringPage, hp_measuring_page, HP, MEASURING_PAGE, HpKioskPage)

/* What is measured: the title and the words for each phase follow it. */
void hp_measuring_page_set_kind  (HpMeasuringPage    *self,
                                  HpMeasurementKind   kind);
void hp_measuring_page_set_phase (HpMeasuringPage    *self,
                                  HpMeasurementPhase  phase);

G_END_DECLS
