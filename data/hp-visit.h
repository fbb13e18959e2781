/* A patient's visit as it unfolds: when it began, its language and its measurements. */
#pragma once

#include <gio/gio.h>

#include "hp-interpretation.h"
#include "hp-measurement.h"

G_BEGIN_DECLS

#define HP_VISIT_HEIGHT_MIN_CM 50.0
#define HP_VISIT_HEIGHT_MAX_CM 250.0

#define HP_TYPE_VISIT (hp_visit_get_type ())
G_DECLARE_FINAL_TYPE (HpVisit, hp_visit, HP, VISIT, GObject)

HpVisit       *hp_visit_new                 (void);
HpVisit       *hp_visit_new_full            (const char    *id,
                                             GDateTime     *started_at);

const char    *hp_visit_get_id              (HpVisit       *self);
GDateTime     *hp_visit_get_started_at      (HpVisit       *self);

GDateTime     *hp_visit_get_finished_at     (HpVisit       *self);
void           hp_visit_set_finished_at     (HpVisit       *self,
                                             GDateTime     *finished_at);
gboolean       hp_visit_is_finished         (HpVisit       *self);

const char    *hp_visit_get_language        (HpVisit       *self);
void           hp_visit_set_language        (HpVisit       *self,
                                             const char    *language);

/* The returning patient's personal code (from an earlier printout), or
 * %NULL for an anonymous visit. Personal data: never log it. */
const char    *hp_visit_get_patient_code    (HpVisit       *self);
void           hp_visit_set_patient_code    (HpVisit       *self,
                                             const char    *patient_code);

/* What the patient said about eating before the glucose test the visit is
 * about to take; HP_FASTING_UNKNOWN until asked. A glucose measurement
 * added to the visit keeps the answer given before it
 * (hp_visit_get_measurement_fasting()), whatever is answered later. */
HpFasting      hp_visit_get_fasting         (HpVisit       *self);
void           hp_visit_set_fasting         (HpVisit       *self,
                                             HpFasting      fasting);

/* Whether the patient said they are 18 or older; asked once a visit before
 * any reading. A measurement added while the visit is a child's keeps
 * that (HP_MEASUREMENT_FLAG_UNDER_18). */
HpAgeGroup     hp_visit_get_age_group       (HpVisit       *self);
void           hp_visit_set_age_group       (HpVisit       *self,
                                             HpAgeGroup     age_group);

/* The height the patient entered, in cm, or 0 when they gave none. Needed
 * for a body-mass index; a value outside 50–250 cm is refused. */
double         hp_visit_get_height_cm       (HpVisit       *self);
gboolean       hp_visit_set_height_cm       (HpVisit       *self,
                                             double         height_cm);

void           hp_visit_add_measurement     (HpVisit       *self,
                                             HpMeasurement *measurement);
/* A GListModel of HpMeasurement, in the order they were taken. */
GListModel    *hp_visit_get_measurements    (HpVisit       *self);
guint          hp_visit_get_n_measurements  (HpVisit       *self);
/* The newest measurement of @kind, or %NULL. */
HpMeasurement *hp_visit_find_latest         (HpVisit       *self,
                                             HpMeasurementKind kind);

/* The answer about eating that came with glucose @measurement, from the
 * reading itself; HP_FASTING_UNKNOWN when none was given. */
HpFasting      hp_visit_get_measurement_fasting (HpVisit    *self,
                                                 HpMeasurement *measurement);

/* What @measurement of this visit means: blood pressure by its category,
 * glucose read against its own fasting answer, weight as a body-mass
 * index when the visit has a height (its value in @bmi, which may be
 * %NULL). FALSE when there is nothing to say (a weight without height). */
gboolean       hp_visit_interpret           (HpVisit          *self,
                                             HpMeasurement    *measurement,
                                             double           *bmi,
                                             HpInterpretation *out);

/* What the pulse of a blood-pressure @measurement means, read with the
 * pulse of the visit's blood-pressure measurement before it: an extreme
 * pulse seen twice is confirmed. FALSE when there is no pulse. */
gboolean       hp_visit_interpret_pulse     (HpVisit          *self,
                                             HpMeasurement    *measurement,
                                             HpInterpretation *out);
/* The more urgent of what @measurement means (hp_visit_interpret()) and
 * what its pulse means; @is_pulse, when given, says it was the pulse. The
 * visit goes where this sends it. */
gboolean       hp_visit_interpret_urgent    (HpVisit          *self,
                                             HpMeasurement    *measurement,
                                             HpInterpretation *out,
                                             gboolean         *is_pulse);

/* The number as the patient sees it, on every screen and on paper
 * ("128/82", "72.5", "105": whole mm[Hg] and mg/dL, a tenth of a kg, with
 * the current message language's decimal separator: "72,5" in French),
 * always agreeing with its category (hp_interpret_shown_value()), and in
 * @unit the English msgid (marked N_()) of its unit, for _(). %NULL, with
 * @unit %NULL, when the reading holds no value in a unit the kiosk can
 * show. */
char          *hp_visit_format_value        (HpVisit          *self,
                                             HpMeasurement    *measurement,
                                             const char      **unit);
/* The pulse of a blood-pressure @measurement as shown (a whole number that
 * agrees with its category); FALSE when it has none. */
gboolean       hp_visit_get_pulse           (HpVisit          *self,
                                             HpMeasurement    *measurement,
                                             double           *shown);

G_END_DECLS
