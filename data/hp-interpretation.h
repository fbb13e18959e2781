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
  HP_URGENCY_NONE,          /* nothing to do beyond healthy habits */
  HP_URGENCY_CHECK,         /* mention it to a doctor or nurse at the next visit */
  HP_URGENCY_SEE_DOCTOR,    /* see a doctor or nurse soon (days to weeks) */
  HP_URGENCY_SEEK_CARE_NOW, /* a crisis value: full-screen "seek care now" and a clinician call */
} HpUrgency;

#define HP_URGENCY_LAST HP_URGENCY_SEEK_CARE_NOW

/* Whether the patient has eaten in the last 8 hours, for glucose. */
typedef enum {
  HP_FASTING_UNKNOWN,
  HP_FASTING_YES,
  HP_FASTING_NO,
} HpFasting;

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
 * - Every threshold is the lowest value of its category (inclusive), in the
 *   canonical unit. A value is first rounded to the precision the guideline
 *   states it in (whole mm[Hg], beats per minute and mg/dL; BMI to one
 *   decimal), to the nearest, exactly as printf's "%.0f" or "%.1f" shows it,
 *   so the number on the screen and its category always agree: 129.6 mm[Hg]
 *   (17.28 kPa) is shown as 130 and is stage 1; 11.1 mmol/L (199.98 mg/dL)
 *   is shown as 200 and is in the diabetes range, as the ADA's own mmol/L
 *   equivalents say.
 * - Blood pressure takes the higher of the systolic and the diastolic
 *   category. Low blood pressure is given only when neither number is raised.
 * - The category ranks a result; the same category may come with different
 *   words and urgencies (a pulse below 40 is PULSE_LOW like one of 55, but
 *   needs a doctor sooner; a non-fasting glucose of 150 shares the rank of
 *   PREDIABETES but is called "higher than expected").
 * - Glucose with HP_FASTING_UNKNOWN is read as not fasting: the random-glucose
 *   thresholds hold whenever the last meal was.
 */

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
} HpInterpretation;

/* Every result also carries this note. */
#define HP_INTERPRETATION_SCREENING_NOTE N_("This is a screening, not a diagnosis.")

/* Interprets the blood pressure of @measurement (systolic and diastolic,
 * normalised to mm[Hg]); FALSE when it holds none. */
gboolean hp_interpret_blood_pressure (HpMeasurement    *measurement,
                                      HpInterpretation *out);
/* The pulse rate of @measurement; FALSE when it holds none. */
gboolean hp_interpret_pulse          (HpMeasurement    *measurement,
                                      HpInterpretation *out);
/* Body-mass index from a weight in kg and a height in cm, stored in @bmi
 * unrounded (show it with one decimal); FALSE when either is not a finite
 * number above zero. */
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
gboolean hp_interpret_glucose_value         (double            glucose_mg_dl,
                                             HpFasting         fasting,
                                             HpInterpretation *out);

/* The most pressing urgency among the @n_interpretations results of one
 * visit; HP_URGENCY_NONE when there are none. */
HpUrgency hp_interpretation_highest_urgency (const HpInterpretation *interpretations,
                                             gsize                   n_interpretations);

G_END_DECLS
