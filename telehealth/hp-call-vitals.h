/* The visit's readings as the clinician's console receives them over a call's data channel: what health data a call sends, and nothing more. */
#pragma once

#include "hp-measurement.h"
#include "hp-visit.h"

G_BEGIN_DECLS

/* The messages are the contract with the clinician's console, which reads
 * them in JavaScript. Version 1:
 *
 * Every message is one JSON object in UTF-8, sent as one data-channel
 * message. Numbers are plain JSON numbers, never NaN or Infinity. A
 * member marked optional is left out when it does not apply, never null.
 * The console ignores members it does not know: a later kiosk may add
 * members within a version; removing a member or changing its meaning
 * takes a new "version", and a console shows nothing of a version it does
 * not know.
 *
 * Envelope, in both messages:
 *   "type"     string  HP_CALL_VITALS_TYPE_SUMMARY or HP_CALL_VITALS_TYPE_READING
 *   "version"  number  HP_CALL_VITALS_VERSION
 *   "seq"      number  the message's place among the call's messages, a
 *                      whole number from 0 to HP_CALL_VITALS_SEQ_MAX: the
 *                      summary first, each reading message after it with
 *                      a higher number
 *
 * The summary ("healthpost.vitals.summary"), sent once when the clinician
 * answers, before any reading message:
 *   "visit"    object:
 *     "started"           string  when the visit began, UTC, whole seconds:
 *                                 "2026-12-08T10:29:14Z"
 *     "patient_language"  string  the language the patient reads on the
 *                                 kiosk: "en", "es", "fr", "ar"…
 *     "age_group"         string, optional: "adult" (said 18 or older) or
 *                                 "child" (said under 18); left out when
 *                                 the patient was not asked
 *     "readings"          array of readings (below) taken so far, in the
 *                                 order they were taken
 *
 * A reading message ("healthpost.vitals.reading"), sent as each new
 * reading is added to the visit:
 *   "reading"  object: a reading (below)
 *
 * A reading:
 *   "index"     number  its place among the visit's measurements, from 0.
 *                       A reading with the index of one the console holds
 *                       replaces it. Indexes may skip a measurement that
 *                       held nothing to show.
 *   "kind"      string  "blood-pressure", "body-weight" or "blood-glucose"
 *   "loinc"     string  LOINC code of what was measured: "85354-9" (blood
 *                       pressure panel), "29463-7" (body weight), "41653-7"
 *                       (glucose, mass/volume, capillary blood, glucometer)
 *   "time"      string  when it was taken, UTC, whole seconds: the
 *                       device's clock when it was right, else when the
 *                       kiosk received the reading
 *   "values"    array of quantities (below), by kind:
 *                         blood-pressure: "systolic", "diastolic", then
 *                           "mean-arterial" when the cuff gave one
 *                         body-weight: "body-weight"
 *                         blood-glucose: "blood-glucose"
 *   "category"  category (below), optional: what the kiosk told the patient
 *                       the reading means; for a weight, what its body-mass
 *                       index means. Left out when the kiosk said nothing
 *                       about it (a weight without a height).
 *   "pulse"     quantity "pulse-rate" with a member "category" of its own,
 *                       optional: blood-pressure only, when the cuff gave
 *                       a pulse. An extreme pulse that the visit's
 *                       blood-pressure reading before it also had is
 *                       confirmed, and its category more urgent.
 *   "bmi"       quantity "body-mass-index", optional: body-weight only,
 *                       when the patient entered a height, with a member
 *                       "height", the quantity "body-height" it was worked
 *                       out from. Its category is the reading's "category".
 *   "fasting"   string  blood-glucose only: what the patient said about
 *                       eating in the 8 hours before: "yes" (nothing),
 *                       "no", or "unknown" (not asked; read as not fasting)
 *   "under_18"  boolean, optional: true, and only present, when the reading
 *                       was taken from someone who said they are under 18.
 *                       The categories' "code" is then what the numbers
 *                       would mean for an adult; their "title" and
 *                       "urgency" are what the patient was told ("Numbers
 *                       for a child", "check", unless help is needed now).
 *
 * A quantity:
 *   "name"          string  "systolic", "diastolic", "mean-arterial",
 *                           "pulse-rate", "body-weight", "body-height",
 *                           "body-mass-index" or "blood-glucose"
 *   "loinc"         string  its LOINC code: "8480-6", "8462-4", "8478-0",
 *                           "8867-4", "29463-7", "8302-2", "39156-5",
 *                           "41653-7", in the order of the names
 *   "value"         number  the number as the patient saw it on the kiosk,
 *                           in "unit": rounded to "decimals" decimals, and
 *                           moved one step where plain rounding would cross
 *                           into another category (a systolic of 180.4 is a
 *                           crisis, and shown as 181); a mean arterial
 *                           pressure, which the kiosk does not show, in
 *                           whole mm[Hg]
 *   "decimals"      number  how many decimals to show "value" with: 1 for
 *                           body weight and body-mass index, else 0
 *   "unit"          string  its UCUM code: "mm[Hg]" (pressures), "/min"
 *                           (pulse), "kg", "cm", "kg/m2", "mg/dL" (glucose,
 *                           whatever unit the meter used)
 *   "display_unit"  string  that unit as people write it, in English:
 *                           "mmHg", "beats per minute", "kg", "cm", "kg/m²",
 *                           "mg/dL"
 *   "out_of_range"  string, optional: "above" or "below" when the meter
 *                           showed HI or LO (blood glucose only): "value" is
 *                           the end of the meter's range, the true value
 *                           beyond it, and the patient saw "HI" or "LO"
 *   "measured"      object, optional: present when the device sent its
 *                           number in another unit (a meter in mmol/L, a
 *                           scale in pounds, a cuff in kPa):
 *                             "value"  number  as the device sent it, not
 *                                              rounded
 *                             "unit"   string  its UCUM code: "mmol/L",
 *                                              "[lb_av]", "g", "kPa"
 *                             "loinc"  string, optional: "14743-9" for
 *                                              glucose in mmol/L
 *
 * A category:
 *   "code"     string  the kiosk's category: "bp-low", "bp-normal",
 *                      "bp-elevated", "bp-stage-1", "bp-stage-2",
 *                      "bp-crisis" (2017 ACC/AHA; low below 90/60);
 *                      "pulse-low", "pulse-normal", "pulse-high";
 *                      "bmi-underweight", "bmi-healthy", "bmi-overweight",
 *                      "bmi-obesity"; "glucose-low", "glucose-normal",
 *                      "glucose-prediabetes" (when not fasting: higher than
 *                      expected), "glucose-diabetes", "glucose-very-high"
 *   "title"    string  the words the patient was shown, in English ("Very
 *                      high blood pressure"); the patient read them in
 *                      "patient_language"
 *   "urgency"  string  what the kiosk asked the patient to do: "none",
 *                      "check" (mention it at the next visit), "see-doctor"
 *                      (within days or weeks), "tell-staff-now" (a staff
 *                      member must know now), "seek-care-now" (get medical
 *                      help now)
 *
 * Nothing else of the visit or the kiosk is sent: no personal code, PIN,
 * name, visit or device identifier, device serial or model.
 *
 * A reading is left out (its message is %NULL, the summary skips it) when
 * it holds nothing the patient was shown: its main value (systolic and
 * diastolic, weight, glucose) missing, in a unit the kiosk cannot convert,
 * or not a finite number. A mean arterial pressure, pulse or "measured"
 * value that is not a finite number is left out of a reading that is
 * sent.
 */

#define HP_CALL_VITALS_VERSION 1
#define HP_CALL_VITALS_TYPE_SUMMARY "healthpost.vitals.summary"
#define HP_CALL_VITALS_TYPE_READING "healthpost.vitals.reading"
/* The largest whole number a JavaScript number holds exactly: 2^53 - 1. */
#define HP_CALL_VITALS_SEQ_MAX G_GINT64_CONSTANT (9007199254740991)

/* The message for @measurement, which has been added to @visit, numbered
 * @sequence; %NULL when the reading is left out (see above). */
char *hp_call_vitals_message (HpVisit       *visit,
                              HpMeasurement *measurement,
                              gint64         sequence);

/* The summary of @visit so far, numbered @sequence. */
char *hp_call_vitals_summary (HpVisit       *visit,
                              gint64         sequence);

G_END_DECLS
