/* A reading put into words for the patient's screens: its name, number, unit and category. */
#pragma once

#include "hp-interpretation.h"
#include "hp-local-format.h"
#include "hp-measurement.h"
#include "hp-visit.h"

G_BEGIN_DECLS

/* What is measured, in the current language: "Blood pressure". */
const char *hp_reading_text_kind_name   (HpMeasurementKind  kind);

/* The number as the patient sees it ("128/82", "72.5", "105"; "72,5" in
 * French) and its unit in the current language; %NULL (and no unit) when
 * the reading holds no value in a unit the kiosk can show. */
char       *hp_reading_text_value       (HpVisit           *visit,
                                         HpMeasurement     *measurement,
                                         const char       **unit);

/* The number as audio guidance says it, in words where the written form
 * reads badly aloud ("131 over 84" for "131/84"); %NULL where it reads as
 * written. */
char       *hp_reading_text_spoken_value (HpVisit          *visit,
                                          HpMeasurement    *measurement);

/* The category of @measurement of @visit (read with the visit's fasting
 * answer and height); FALSE when it has none (a weight without a height, or
 * no value). */
gboolean    hp_reading_text_interpret   (HpVisit           *visit,
                                         HpMeasurement     *measurement,
                                         HpInterpretation  *out);

/* The resource path of the category's icon, or %NULL when the UI has none. */
char       *hp_reading_text_icon_path   (const HpInterpretation *interpretation);

G_END_DECLS
