/* A reading put into words, the same on the patient's screens and the printed summary: its name, number, unit, category and the notes that go with it. */
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

/* The pulse a blood-pressure cuff gave with @measurement, as a whole number
 * ("72"), and its unit in the current language; %NULL (and no unit) when it
 * gave none. */
char       *hp_reading_text_pulse_value (HpVisit           *visit,
                                         HpMeasurement     *measurement,
                                         const char       **unit);
/* "Pulse", in the current language. */
const char *hp_reading_text_pulse_name  (void);

/* What a weight on the kiosk's scale includes: "Clothes and shoes add a little." */
const char *hp_reading_text_weight_note (void);

/* The caution that goes with a body-mass index's category: the adult
 * ranges are not a pregnant woman's. %NULL for a child's reading, whose
 * ranges are not the adult ones anyway. */
const char *hp_reading_text_bmi_note    (HpMeasurement     *measurement);

/* What a blood sugar was read against: the patient's answer about their
 * last meal, in the current language; %NULL when they were not asked. */
const char *hp_reading_text_fasting_note (HpFasting         fasting);

G_END_DECLS
