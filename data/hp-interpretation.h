/* What a reading means for the patient: categories from published screening thresholds, in plain words. */
#pragma once

#include "hp-measurement.h"

/* The strings below are marked for translation but not translated here; a
 * file that includes <glib/gi18n.h> gets the identical definition. */
#ifndef N_
#define N_(String) (String)
#endif

G_BEGIN_DECLS

/* How soon the patient should act on a result. */
typedef enum {
  HP_URGENCY_NONE,           /* nothing to do beyond healthy habits */
  HP_URGENCY_CHECK,          /* mention it to a doctor or nurse at the next visit */
  HP_URGENCY_SEE_DOCTOR,     /* see a doctor or nurse soon (days to weeks) */
  HP_URGENCY_TELL_STAFF_NOW, /* a staff member must know now: the full-screen page, staff first */
  HP_URGENCY_SEEK_CARE_NOW,  /* a crisis value: the full-screen "get medical help now" page */
} HpUrgency;

#define HP_URGENCY_LAST HP_URGENCY_SEEK_CARE_NOW

/* Whether the patient has eaten in the last 8 hours, for glucose. */
typedef enum {
  HP_FASTING_UNKNOWN,
  HP_FASTING_YES,
  HP_FASTING_NO,
} HpFasting;

/* Whether the patient is an adult: adult categories of blood pressure,
 * pulse and weight are not a child's. */
typedef enum {
  HP_AGE_GROUP_UNKNOWN,
  HP_AGE_GROUP_ADULT,  /* 18 or older */
  HP_AGE_GROUP_CHILD,  /* under 18 */
} HpAgeGroup;

/* One category per kind of result. Values of each enum are ordered from
 * lowest to highest. */
typedef enum {
  HP_CATEGORY_BP_LOW,          /* systolic < 90 or diastolic < 60 */
  HP_CATEGORY_BP_NORMAL,
  HP_CATEGORY_BP_ELEVATED,
  HP_CATEGORY_BP_STAGE_1,
  HP_CATEGORY_BP_STAGE_2,
  HP_CATEGORY_BP_CRISIS,
  HP_CATEGORY_PULSE_LOW,
  HP_CATEGORY_PULSE_NORMAL,
  HP_CATEGORY_PULSE_HIGH,
  HP_CATEGORY_BMI_UNDERWEIGHT,
  HP_CATEGORY_BMI_HEALTHY,
  HP_CATEGORY_BMI_OVERWEIGHT,
  HP_CATEGORY_BMI_OBESITY,
  HP_CATEGORY_GLUCOSE_LOW,
  HP_CATEGORY_GLUCOSE_NORMAL,
  HP_CATEGORY_GLUCOSE_PREDIABETES,
  HP_CATEGORY_GLUCOSE_DIABETES,
  HP_CATEGORY_GLUCOSE_VERY_HIGH,
} HpCategory;

#define HP_CATEGORY_LAST HP_CATEGORY_GLUCOSE_VERY_HIGH

/* How the categories are read:
 *
 * - Every threshold is the boundary its guideline states, in the canonical
 *   unit, compared with the value as measured, never rounded first: 180.4
 *   mm[Hg] is above 180 and a crisis, 53.7 mg/dL is below 54. The number
 *   shown is then the value rounded to the guideline's precision (whole
 *   mm[Hg], beats per minute and mg/dL; BMI to one decimal), moved by one
 *   step where plain rounding would cross a boundary, so that it always
 *   agrees with its category: 180.4 is shown as 181, 53.7 as 53
 *   (hp_interpret_shown_value()).
 * - Blood pressure takes the higher of the systolic and the diastolic
 *   category. Low blood pressure is given only when neither number is
 *   raised; a systolic below 80 or 70 is urgent whatever the diastolic.
 * - The category ranks a result; the same category may come with different
 *   words and urgencies (a pulse below 40 is PULSE_LOW like one of 55, but
 *   needs help at once; a non-fasting glucose of 150 shares the rank of
 *   PREDIABETES but is called "higher than expected").
 * - A pulse below 40 or from 150 asks for staff now; the same again at a
 *   second measurement of the same visit sends the patient to care now.
 * - Glucose with HP_FASTING_UNKNOWN is read as not fasting: the random-glucose
 *   thresholds hold whenever the last meal was.
 */

/* The signs that, beside a reading that needs help now, mean calling the
 * emergency number. */
typedef enum {
  HP_EMERGENCY_SIGNS_NONE,          /* a reading that does not need help now */
  HP_EMERGENCY_SIGNS_HIGH_BP,       /* chest or back pain, breathing, numbness, sight, speech */
  HP_EMERGENCY_SIGNS_LOW_BP,        /* fainting, confusion, cold and clammy, chest pain */
  HP_EMERGENCY_SIGNS_PULSE,         /* faint or dizzy, chest pain, breathing */
  HP_EMERGENCY_SIGNS_LOW_GLUCOSE,   /* shaky, sweaty, confused, cannot eat or drink */
  HP_EMERGENCY_SIGNS_HIGH_GLUCOSE,  /* vomiting, fast breathing, very sleepy or confused */
} HpEmergencySigns;

#define HP_EMERGENCY_SIGNS_LAST HP_EMERGENCY_SIGNS_HIGH_GLUCOSE

/* The scales values are read on, for hp_interpret_shown_value(). */
typedef enum {
  HP_SCALE_SYSTOLIC,
  HP_SCALE_DIASTOLIC,
  HP_SCALE_PULSE,
  HP_SCALE_BMI,
  HP_SCALE_GLUCOSE_FASTING,
  HP_SCALE_GLUCOSE_NOT_FASTING,
} HpScale;

#define HP_SCALE_LAST HP_SCALE_GLUCOSE_NOT_FASTING

typedef struct {
  HpCategory  category;
  HpUrgency   urgency;
  /* English source strings marked with N_(): the UI passes them through
   * _() in the visit's language. Plain words, about a 6th-grade level. */
  const char *title;      /* "High blood pressure, stage 1" */
  const char *meaning;    /* one or two short sentences */
  const char *next_step;  /* what to do now */
  const char *icon_name;  /* an icon in the UI's GResource */
  const char *source;     /* where the threshold comes from, for staff and printouts */
  /* For a result that needs help now (HP_URGENCY_TELL_STAFF_NOW and
   * above): which signs mean calling the emergency number; else
   * HP_EMERGENCY_SIGNS_NONE. No string here offers or promises a call with
   * a clinician: screens add that only while calls can be made. */
  HpEmergencySigns emergency;
} HpInterpretation;

/* Every result also carries this note. */
#define HP_INTERPRETATION_SCREENING_NOTE N_("This is a screening, not a diagnosis.")

/* Interprets the blood pressure of @measurement (systolic and diastolic,
 * normalised to mm[Hg]); FALSE when it holds none. */
gboolean hp_interpret_blood_pressure (HpMeasurement    *measurement,
                                      HpInterpretation *out);
/* The pulse rate of @measurement, taken alone (an extreme pulse not yet
 * confirmed); FALSE when it holds none. */
gboolean hp_interpret_pulse          (HpMeasurement    *measurement,
                                      HpInterpretation *out);
/* Body-mass index from a weight in kg and a height in cm, stored in @bmi
 * unrounded (show it with one decimal); FALSE when either is not a finite
 * number above zero, or when the index is outside HP_BMI_MIN–HP_BMI_MAX,
 * which no adult has: the height typed is then most likely wrong. */
#define HP_BMI_MIN 10.0
#define HP_BMI_MAX 90.0
gboolean hp_interpret_bmi            (double            weight_kg,
                                      double            height_cm,
                                      double           *bmi,
                                      HpInterpretation *out);
/* Capillary glucose of @measurement (normalised to mg/dL), fasting or not. */
gboolean hp_interpret_glucose        (HpMeasurement    *measurement,
                                      HpFasting         fasting,
                                      HpInterpretation *out);

/* The same from plain values in the canonical units (mm[Hg], /min, mg/dL),
 * for readings that are not in an HpMeasurement (a stored visit, a trend).
 * FALSE when a value is not a finite number above zero. */
gboolean hp_interpret_blood_pressure_values (double            systolic,
                                             double            diastolic,
                                             HpInterpretation *out);
gboolean hp_interpret_pulse_value           (double            pulse,
                                             HpInterpretation *out);
/* A pulse read with the pulse of the same visit's measurement before it
 * (%NAN when there was none): an extreme pulse seen twice is confirmed. */
gboolean hp_interpret_pulse_repeated        (double            pulse,
                                             double            earlier_pulse,
                                             HpInterpretation *out);
gboolean hp_interpret_glucose_value         (double            glucose_mg_dl,
                                             HpFasting         fasting,
                                             HpInterpretation *out);

/* What a reading of blood pressure, pulse or weight means for someone
 * under 18, from what it would mean for an adult (@adult): adult categories
 * do not apply, so the numbers stand with a note that children's values are
 * judged with charts for their age; a reading that would ask an adult for
 * help now still does. */
void      hp_interpret_for_child            (const HpInterpretation *adult,
                                             HpInterpretation       *out);

/* The number to show for @value on @scale: rounded to the scale's
 * precision, and moved one step where rounding would carry it across a
 * threshold, so that the number agrees with the category of the value. */
double    hp_interpret_shown_value          (HpScale           scale,
                                             double            value);

/* The most pressing urgency among the @n_interpretations results of one
 * visit; HP_URGENCY_NONE when there are none. */
HpUrgency hp_interpretation_highest_urgency (const HpInterpretation *interpretations,
                                             gsize                   n_interpretations);

G_END_DECLS
