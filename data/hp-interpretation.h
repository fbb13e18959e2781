/* What a reading means for the patient: categories from published screening thresholds, in plain words. */
#pragma once

#include "hp-measurement.h"

G_BEGIN_DECLS

/* How soon the patient should act on a result. */
typedef enum {
  HP_URGENCY_NONE,          /* nothing to do beyond healthy habits */
  HP_URGENCY_CHECK,         /* mention it to a doctor or nurse at the next visit */
  HP_URGENCY_SEE_DOCTOR,    /* see a doctor or nurse soon (days to weeks) */
  HP_URGENCY_SEEK_CARE_NOW, /* a crisis value: full-screen "seek care now" and a clinician call */
} HpUrgency;

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
/* Body-mass index from a weight in kg and a height in cm. */
gboolean hp_interpret_bmi            (double            weight_kg,
                                      double            height_cm,
                                      double           *bmi,
                                      HpInterpretation *out);
/* Capillary glucose of @measurement (normalised to mg/dL), fasting or not. */
gboolean hp_interpret_glucose        (HpMeasurement    *measurement,
                                      HpFasting         fasting,
                                      HpInterpretation *out);

G_END_DECLS
