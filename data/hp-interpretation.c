/* What a reading means for the patient: one table of published thresholds and the plain words for each range. */
#include <glib/gi18n.h>

#include "hp-interpretation.h"

#include <math.h>

#define ICON_NORMAL    "hp-category-normal"
#define ICON_ATTENTION "hp-category-attention"
#define ICON_URGENT    "hp-category-urgent"

/* The words for each range. Several thresholds may lead to the same words
 * (stage 1 from the systolic or from the diastolic number). */
typedef enum {
  RESULT_BP_LOW_SEVERE,
  RESULT_BP_LOW_VERY,
  RESULT_BP_LOW,
  RESULT_BP_NORMAL,
  RESULT_BP_ELEVATED,
  RESULT_BP_STAGE_1,
  RESULT_BP_STAGE_2,
  RESULT_BP_CRISIS,
  RESULT_PULSE_EXTREME_LOW,
  RESULT_PULSE_EXTREME_LOW_CONFIRMED,
  RESULT_PULSE_LOW,
  RESULT_PULSE_NORMAL,
  RESULT_PULSE_HIGH,
  RESULT_PULSE_VERY_HIGH,
  RESULT_PULSE_EXTREME_HIGH,
  RESULT_PULSE_EXTREME_HIGH_CONFIRMED,
  RESULT_BMI_SEVERE_THINNESS,
  RESULT_BMI_UNDERWEIGHT,
  RESULT_BMI_HEALTHY,
  RESULT_BMI_OVERWEIGHT,
  RESULT_BMI_OBESITY,
  RESULT_BMI_OBESITY_SEVERE,
  RESULT_GLUCOSE_LOW_LEVEL_2,
  RESULT_GLUCOSE_LOW_LEVEL_1,
  RESULT_GLUCOSE_NORMAL,
  RESULT_GLUCOSE_NORMAL_RANDOM,
  RESULT_GLUCOSE_PREDIABETES,
  RESULT_GLUCOSE_HIGHER_THAN_EXPECTED,
  RESULT_GLUCOSE_DIABETES_RANGE,
  RESULT_GLUCOSE_VERY_HIGH,
  RESULT_GLUCOSE_CRISIS,
  RESULT_GLUCOSE_LO,
  RESULT_GLUCOSE_HI,
} Result;

#define RESULT_LAST RESULT_GLUCOSE_HI

typedef struct {
  HpCategory  category;
  HpUrgency   urgency;
  const char *title;
  const char *meaning;
  const char *next_step;
  const char *icon_name;
  HpEmergencySigns emergency;
} ResultWords;

/* No next step here offers a clinician call: the screens add the offer
 * only while calls can be made, so that nothing promises what the kiosk
 * cannot give. */
static const ResultWords results[] = {
  [RESULT_BP_LOW_SEVERE] = {
    HP_CATEGORY_BP_LOW, HP_URGENCY_SEEK_CARE_NOW,
    N_("Dangerously low blood pressure"),
    N_("Your blood pressure is dangerously low. You need medical care now."),
    N_("Sit or lie down now. Tell a staff member now, or ask someone near you to get help."),
    ICON_URGENT, HP_EMERGENCY_SIGNS_LOW_BP },
  [RESULT_BP_LOW_VERY] = {
    HP_CATEGORY_BP_LOW, HP_URGENCY_TELL_STAFF_NOW,
    N_("Very low blood pressure"),
    N_("Your blood pressure is very low."),
    N_("Sit down and tell a staff member now, even if you feel well."),
    ICON_URGENT, HP_EMERGENCY_SIGNS_LOW_BP },
  [RESULT_BP_LOW] = {
    HP_CATEGORY_BP_LOW, HP_URGENCY_CHECK,
    N_("Low blood pressure"),
    N_("Your blood pressure is lower than usual. This can be normal for some people."),
    N_("If you feel dizzy or weak, sit down and tell staff. If not, mention it to a doctor or nurse at your next visit."),
    ICON_ATTENTION, HP_EMERGENCY_SIGNS_NONE },
  [RESULT_BP_NORMAL] = {
    HP_CATEGORY_BP_NORMAL, HP_URGENCY_NONE,
    N_("Normal blood pressure"),
    N_("Your blood pressure is in the healthy range."),
    N_("Keep up healthy habits. Check it again at least once a year."),
    ICON_NORMAL, HP_EMERGENCY_SIGNS_NONE },
  [RESULT_BP_ELEVATED] = {
    HP_CATEGORY_BP_ELEVATED, HP_URGENCY_CHECK,
    N_("Blood pressure a little high (elevated)"),
    N_("The top number of your blood pressure is a little higher than it should be."),
    N_("Move more and eat less salt. Mention it to a doctor or nurse at your next visit."),
    ICON_ATTENTION, HP_EMERGENCY_SIGNS_NONE },
  [RESULT_BP_STAGE_1] = {
    HP_CATEGORY_BP_STAGE_1, HP_URGENCY_SEE_DOCTOR,
    N_("High blood pressure (stage 1)"),
    N_("Your blood pressure is higher than it should be."),
    N_("See a doctor or nurse in the next few weeks to check it again."),
    ICON_ATTENTION, HP_EMERGENCY_SIGNS_NONE },
  [RESULT_BP_STAGE_2] = {
    HP_CATEGORY_BP_STAGE_2, HP_URGENCY_SEE_DOCTOR,
    N_("High blood pressure (stage 2)"),
    N_("Your blood pressure is high. Over time, this can harm your heart, brain and kidneys."),
    N_("See a doctor or nurse soon, in the next 2 weeks, to check it again."),
    ICON_ATTENTION, HP_EMERGENCY_SIGNS_NONE },
  [RESULT_BP_CRISIS] = {
    HP_CATEGORY_BP_CRISIS, HP_URGENCY_SEEK_CARE_NOW,
    N_("Very high blood pressure"),
    N_("Your blood pressure is very high. This can be dangerous, even if you feel fine."),
    N_("Get medical care now. Tell a staff member, who can help you get it."),
    ICON_URGENT, HP_EMERGENCY_SIGNS_HIGH_BP },

  [RESULT_PULSE_EXTREME_LOW] = {
    HP_CATEGORY_PULSE_LOW, HP_URGENCY_TELL_STAFF_NOW,
    N_("Very slow pulse"),
    N_("Your heart is beating much slower than usual."),
    N_("Tell a staff member now. Then sit quietly for 5 minutes and measure again."),
    ICON_URGENT, HP_EMERGENCY_SIGNS_PULSE },
  [RESULT_PULSE_EXTREME_LOW_CONFIRMED] = {
    HP_CATEGORY_PULSE_LOW, HP_URGENCY_SEEK_CARE_NOW,
    N_("Very slow pulse, measured twice"),
    N_("Your heart is still beating much slower than usual. This can be dangerous."),
    N_("Get medical care now. Stay seated and tell a staff member, who can help you get it."),
    ICON_URGENT, HP_EMERGENCY_SIGNS_PULSE },
  [RESULT_PULSE_LOW] = {
    HP_CATEGORY_PULSE_LOW, HP_URGENCY_CHECK,
    N_("Slow pulse"),
    N_("Your heart is beating slower than usual. This can be normal for people who exercise a lot."),
    N_("Mention it to a doctor or nurse at your next visit."),
    ICON_ATTENTION, HP_EMERGENCY_SIGNS_NONE },
  [RESULT_PULSE_NORMAL] = {
    HP_CATEGORY_PULSE_NORMAL, HP_URGENCY_NONE,
    N_("Normal pulse"),
    N_("Your heart rate at rest is in the usual range."),
    N_("Nothing to do. Keep up healthy habits."),
    ICON_NORMAL, HP_EMERGENCY_SIGNS_NONE },
  [RESULT_PULSE_HIGH] = {
    HP_CATEGORY_PULSE_HIGH, HP_URGENCY_CHECK,
    N_("Fast pulse"),
    N_("Your heart is beating faster than usual. Walking, stress or coffee can do this."),
    N_("Rest for a few minutes and measure again. If it stays fast, mention it to a doctor or nurse."),
    ICON_ATTENTION, HP_EMERGENCY_SIGNS_NONE },
  [RESULT_PULSE_VERY_HIGH] = {
    HP_CATEGORY_PULSE_HIGH, HP_URGENCY_SEE_DOCTOR,
    N_("Very fast pulse"),
    N_("Your heart is beating much faster than usual for someone at rest."),
    N_("See a doctor or nurse in the next few days. If you have chest pain or trouble breathing, tell staff now."),
    ICON_ATTENTION, HP_EMERGENCY_SIGNS_NONE },
  [RESULT_PULSE_EXTREME_HIGH] = {
    HP_CATEGORY_PULSE_HIGH, HP_URGENCY_TELL_STAFF_NOW,
    N_("Extremely fast pulse"),
    N_("Your heart is beating much faster than it should at rest."),
    N_("Tell a staff member now. Then sit quietly for 5 minutes and measure again."),
    ICON_URGENT, HP_EMERGENCY_SIGNS_PULSE },
  [RESULT_PULSE_EXTREME_HIGH_CONFIRMED] = {
    HP_CATEGORY_PULSE_HIGH, HP_URGENCY_SEEK_CARE_NOW,
    N_("Extremely fast pulse, measured twice"),
    N_("Your heart is still beating much faster than it should at rest. This can be dangerous."),
    N_("Get medical care now. Stay seated and tell a staff member, who can help you get it."),
    ICON_URGENT, HP_EMERGENCY_SIGNS_PULSE },

  [RESULT_BMI_SEVERE_THINNESS] = {
    HP_CATEGORY_BMI_UNDERWEIGHT, HP_URGENCY_SEE_DOCTOR,
    N_("Very underweight"),
    N_("Your weight is very low for your height."),
    N_("See a doctor or nurse soon about your weight."),
    ICON_ATTENTION, HP_EMERGENCY_SIGNS_NONE },
  [RESULT_BMI_UNDERWEIGHT] = {
    HP_CATEGORY_BMI_UNDERWEIGHT, HP_URGENCY_CHECK,
    N_("Underweight"),
    N_("Your weight is low for your height."),
    N_("Mention it to a doctor or nurse at your next visit."),
    ICON_ATTENTION, HP_EMERGENCY_SIGNS_NONE },
  [RESULT_BMI_HEALTHY] = {
    HP_CATEGORY_BMI_HEALTHY, HP_URGENCY_NONE,
    N_("Healthy weight"),
    N_("Your weight is in the healthy range for your height."),
    N_("Keep up healthy eating and staying active."),
    ICON_NORMAL, HP_EMERGENCY_SIGNS_NONE },
  [RESULT_BMI_OVERWEIGHT] = {
    HP_CATEGORY_BMI_OVERWEIGHT, HP_URGENCY_CHECK,
    N_("Overweight"),
    N_("Your weight is above the healthy range for your height."),
    N_("Healthy food and more activity can help. Ask a doctor or nurse at your next visit."),
    ICON_ATTENTION, HP_EMERGENCY_SIGNS_NONE },
  [RESULT_BMI_OBESITY] = {
    HP_CATEGORY_BMI_OBESITY, HP_URGENCY_CHECK,
    N_("Obesity (weight well above healthy)"),
    N_("Your weight is well above the healthy range for your height. This raises the risk of diabetes and heart disease."),
    N_("Ask a doctor or nurse at your next visit about ways to reach a healthier weight."),
    ICON_ATTENTION, HP_EMERGENCY_SIGNS_NONE },
  [RESULT_BMI_OBESITY_SEVERE] = {
    HP_CATEGORY_BMI_OBESITY, HP_URGENCY_SEE_DOCTOR,
    N_("Severe obesity (weight far above healthy)"),
    N_("Your weight is far above the healthy range for your height. This raises the risk of diabetes, heart disease and other problems."),
    N_("See a doctor or nurse soon about ways to reach a healthier weight."),
    ICON_ATTENTION, HP_EMERGENCY_SIGNS_NONE },

  [RESULT_GLUCOSE_LOW_LEVEL_2] = {
    HP_CATEGORY_GLUCOSE_LOW, HP_URGENCY_SEEK_CARE_NOW,
    N_("Very low blood sugar"),
    N_("Your blood sugar is very low. This can be dangerous."),
    N_("Eat or drink something sweet now, like juice or regular soda (not diet). Then tell a staff member."),
    ICON_URGENT, HP_EMERGENCY_SIGNS_LOW_GLUCOSE },
  [RESULT_GLUCOSE_LOW_LEVEL_1] = {
    HP_CATEGORY_GLUCOSE_LOW, HP_URGENCY_SEE_DOCTOR,
    N_("Low blood sugar"),
    N_("Your blood sugar is lower than it should be."),
    N_("Eat or drink something sweet now, like juice. Measure again in 15 minutes. If you feel shaky, sweaty or confused, tell staff now."),
    ICON_ATTENTION, HP_EMERGENCY_SIGNS_NONE },
  [RESULT_GLUCOSE_NORMAL] = {
    HP_CATEGORY_GLUCOSE_NORMAL, HP_URGENCY_NONE,
    N_("Normal blood sugar"),
    N_("Your blood sugar is in the usual range."),
    N_("Nothing to do. Keep up healthy habits."),
    ICON_NORMAL, HP_EMERGENCY_SIGNS_NONE },
  [RESULT_GLUCOSE_NORMAL_RANDOM] = {
    HP_CATEGORY_GLUCOSE_NORMAL, HP_URGENCY_NONE,
    N_("Normal blood sugar"),
    N_("Your blood sugar is in the usual range for any time of day."),
    N_("A test after eating cannot rule out prediabetes. To check for it, test before eating another day, or ask for a lab test."),
    ICON_NORMAL, HP_EMERGENCY_SIGNS_NONE },
  [RESULT_GLUCOSE_PREDIABETES] = {
    HP_CATEGORY_GLUCOSE_PREDIABETES, HP_URGENCY_CHECK,
    N_("Blood sugar a little high (prediabetes range)"),
    N_("Your blood sugar before eating is higher than normal, but lower than in diabetes."),
    N_("Ask a doctor or nurse at your next visit about a lab test to check it."),
    ICON_ATTENTION, HP_EMERGENCY_SIGNS_NONE },
  [RESULT_GLUCOSE_HIGHER_THAN_EXPECTED] = {
    HP_CATEGORY_GLUCOSE_PREDIABETES, HP_URGENCY_CHECK,
    N_("Blood sugar higher than expected"),
    N_("Your blood sugar is higher than usual. A recent meal can do this."),
    N_("Measure again another day before eating, or ask a doctor or nurse at your next visit."),
    ICON_ATTENTION, HP_EMERGENCY_SIGNS_NONE },
  [RESULT_GLUCOSE_DIABETES_RANGE] = {
    HP_CATEGORY_GLUCOSE_DIABETES, HP_URGENCY_SEE_DOCTOR,
    N_("High blood sugar (diabetes range)"),
    N_("Your blood sugar is high. This can be a sign of diabetes. Only a lab test can tell for sure."),
    N_("See a doctor or nurse in the next few weeks for a lab test."),
    ICON_ATTENTION, HP_EMERGENCY_SIGNS_NONE },
  [RESULT_GLUCOSE_VERY_HIGH] = {
    HP_CATEGORY_GLUCOSE_VERY_HIGH, HP_URGENCY_SEE_DOCTOR,
    N_("Very high blood sugar"),
    N_("Your blood sugar is very high."),
    N_("See a doctor or nurse today. If you feel very thirsty, sick to your stomach or confused, seek care now."),
    ICON_ATTENTION, HP_EMERGENCY_SIGNS_NONE },
  [RESULT_GLUCOSE_CRISIS] = {
    HP_CATEGORY_GLUCOSE_VERY_HIGH, HP_URGENCY_SEEK_CARE_NOW,
    N_("Very high blood sugar"),
    N_("Your blood sugar is very high. This can be dangerous."),
    N_("Get medical care now. Tell a staff member, who can help you get it."),
    ICON_URGENT, HP_EMERGENCY_SIGNS_HIGH_GLUCOSE },
  [RESULT_GLUCOSE_LO] = {
    HP_CATEGORY_GLUCOSE_LOW, HP_URGENCY_SEEK_CARE_NOW,
    N_("Blood sugar too low for the meter to measure (LO)"),
    N_("Your blood sugar is lower than this meter can measure. This is dangerous."),
    N_("Eat or drink something sweet now, like juice or regular soda (not diet). Then tell a staff member."),
    ICON_URGENT, HP_EMERGENCY_SIGNS_LOW_GLUCOSE },
  [RESULT_GLUCOSE_HI] = {
    HP_CATEGORY_GLUCOSE_VERY_HIGH, HP_URGENCY_SEEK_CARE_NOW,
    N_("Blood sugar too high for the meter to measure (HI)"),
    N_("Your blood sugar is higher than this meter can measure. This is dangerous."),
    N_("Get medical care now. Tell a staff member, who can help you get it."),
    ICON_URGENT, HP_EMERGENCY_SIGNS_HIGH_GLUCOSE },
};

G_STATIC_ASSERT (G_N_ELEMENTS (results) == RESULT_LAST + 1);

/* Decimals each scale's guideline states its values in (0 or 1): the
 * number shown has that many. */
static const int scale_decimals[] = {
  [HP_SCALE_SYSTOLIC] = 0,
  [HP_SCALE_DIASTOLIC] = 0,
  [HP_SCALE_PULSE] = 0,
  [HP_SCALE_BMI] = 1,
  [HP_SCALE_GLUCOSE_FASTING] = 0,
  [HP_SCALE_GLUCOSE_NOT_FASTING] = 0,
};

G_STATIC_ASSERT (G_N_ELEMENTS (scale_decimals) == HP_SCALE_LAST + 1);

/* Where the thresholds come from, for staff and printouts. */
#define SOURCE_ACC_AHA \
  N_("2017 ACC/AHA blood pressure guideline (Whelton et al., Hypertension 2018)")
#define SOURCE_HYPOTENSION \
  N_("Low blood pressure below 90/60 mm Hg as described by the NHLBI (US National Heart, Lung, and Blood Institute); not an ACC/AHA category")
#define SOURCE_HYPOTENSION_URGENT \
  N_("NEWS2 (Royal College of Physicians, 2017) scores a systolic pressure of 90 mm Hg or less as needing urgent review; this kiosk asks for staff now below 80 and for care now below 70")
#define SOURCE_PULSE \
  N_("Adult resting pulse of 60 to 100 beats per minute (American Heart Association)")
#define SOURCE_PULSE_VERY_HIGH \
  N_("Adult resting pulse of 60 to 100 beats per minute (American Heart Association); above 130, which NEWS2 (Royal College of Physicians, 2017) scores as needing urgent review, this kiosk asks for a visit within days")
#define SOURCE_PULSE_EXTREME \
  N_("NEWS2 (Royal College of Physicians, 2017) scores a pulse of 40 or less, or 131 or more, as needing urgent review; below 40 or from 150 this kiosk asks for staff now, and for care now when a second measurement agrees")
#define SOURCE_BMI \
  N_("Adult body mass index (BMI: weight compared with height) categories of the WHO and the CDC")
#define SOURCE_BMI_EXTREME \
  N_("WHO adult BMI classes: below 16 is severe thinness, 40 or more is obesity class III; this kiosk asks for a doctor soon at both")
#define SOURCE_GLUCOSE_LOW \
  N_("Hypoglycemia level 1 (below 70 mg/dL) and level 2 (below 54 mg/dL), ADA Standards of Care in Diabetes 2024, section 6")
#define SOURCE_GLUCOSE_FASTING \
  N_("Fasting glucose: normal 70 to 99 mg/dL, prediabetes 100 to 125, diabetes 126 or more; ADA Standards of Care in Diabetes 2024, section 2")
#define SOURCE_GLUCOSE_NOT_FASTING \
  N_("Random glucose of 200 mg/dL or more suggests diabetes (ADA Standards of Care in Diabetes 2024, section 2); from 140 mg/dL, the ADA's 2-hour limit, a value is higher than expected")
#define SOURCE_GLUCOSE_OUT_OF_RANGE \
  N_("The meter showed HI or LO: the value is beyond its measuring range (for these meters below 20 mg/dL, or above 500 or 600 mg/dL), which is level-2 hypoglycemia (ADA Standards of Care in Diabetes 2024, section 6) or above this kiosk's 400 mg/dL for care now")
#define SOURCE_GLUCOSE_VERY_HIGH \
  N_("Kiosk rule: 300 mg/dL or more needs a doctor the same day, 400 or more care now, because a hyperglycemic crisis (ADA consensus report, Diabetes Care 2024) needs tests this kiosk cannot do")

/* A value below every threshold of its scale. */
#define LOWEST (-G_MAXDOUBLE)

typedef struct {
  HpScale     scale;
  double      from;   /* the boundary, canonical unit */
  gboolean    above;  /* TRUE: the range starts above "from" ("more than 180"); else at it */
  Result      result;
  const char *source;
} Threshold;

#define AT FALSE
#define ABOVE TRUE

/* The one table of thresholds. Rows of a scale go from low to high; a value
 * falls in the last row of its scale whose boundary it reaches. Values are
 * compared as measured, never rounded first. */
static const Threshold thresholds[] = {
  /* Systolic, mm[Hg]. Below 90: low (NHLBI). Normal below 120, elevated
   * 120-129, stage 1 130-139, stage 2 140 or more, crisis above 180
   * (2017 ACC/AHA, Whelton et al., Hypertension 2018). NEWS2 (RCP 2017)
   * scores 90 or less as needing urgent review: the kiosk asks for staff
   * now below 80 and sends the patient to care now below 70. */
  { HP_SCALE_SYSTOLIC, LOWEST, AT, RESULT_BP_LOW_SEVERE, SOURCE_HYPOTENSION_URGENT },
  { HP_SCALE_SYSTOLIC, 70, AT, RESULT_BP_LOW_VERY, SOURCE_HYPOTENSION_URGENT },
  { HP_SCALE_SYSTOLIC, 80, AT, RESULT_BP_LOW, SOURCE_HYPOTENSION },
  { HP_SCALE_SYSTOLIC, 90, AT, RESULT_BP_NORMAL, SOURCE_ACC_AHA },
  { HP_SCALE_SYSTOLIC, 120, AT, RESULT_BP_ELEVATED, SOURCE_ACC_AHA },
  { HP_SCALE_SYSTOLIC, 130, AT, RESULT_BP_STAGE_1, SOURCE_ACC_AHA },
  { HP_SCALE_SYSTOLIC, 140, AT, RESULT_BP_STAGE_2, SOURCE_ACC_AHA },
  { HP_SCALE_SYSTOLIC, 180, ABOVE, RESULT_BP_CRISIS, SOURCE_ACC_AHA },

  /* Diastolic, mm[Hg]. Below 60: low (NHLBI). Normal below 80 (ACC/AHA has
   * no "elevated" diastolic range), stage 1 80-89, stage 2 90 or more,
   * crisis above 120 (2017 ACC/AHA). */
  { HP_SCALE_DIASTOLIC, LOWEST, AT, RESULT_BP_LOW, SOURCE_HYPOTENSION },
  { HP_SCALE_DIASTOLIC, 60, AT, RESULT_BP_NORMAL, SOURCE_ACC_AHA },
  { HP_SCALE_DIASTOLIC, 80, AT, RESULT_BP_STAGE_1, SOURCE_ACC_AHA },
  { HP_SCALE_DIASTOLIC, 90, AT, RESULT_BP_STAGE_2, SOURCE_ACC_AHA },
  { HP_SCALE_DIASTOLIC, 120, ABOVE, RESULT_BP_CRISIS, SOURCE_ACC_AHA },

  /* Resting pulse, /min: 60-100 normal (American Heart Association). NEWS2
   * (RCP 2017) scores 40 or less and 131 or more as needing urgent review:
   * above 130 the kiosk asks for a visit within days; below 40 or from 150
   * it asks for staff now, and a second measurement that agrees sends the
   * patient to care now (hp_interpret_pulse_repeated()). */
  { HP_SCALE_PULSE, LOWEST, AT, RESULT_PULSE_EXTREME_LOW, SOURCE_PULSE_EXTREME },
  { HP_SCALE_PULSE, 40, AT, RESULT_PULSE_LOW, SOURCE_PULSE },
  { HP_SCALE_PULSE, 60, AT, RESULT_PULSE_NORMAL, SOURCE_PULSE },
  { HP_SCALE_PULSE, 100, ABOVE, RESULT_PULSE_HIGH, SOURCE_PULSE },
  { HP_SCALE_PULSE, 130, ABOVE, RESULT_PULSE_VERY_HIGH, SOURCE_PULSE_VERY_HIGH },
  { HP_SCALE_PULSE, 150, AT, RESULT_PULSE_EXTREME_HIGH, SOURCE_PULSE_EXTREME },

  /* Adult BMI, kg/m2 (WHO; CDC): below 18.5 underweight, 18.5-24.9 healthy,
   * 25.0-29.9 overweight, 30.0 or more obesity. WHO: below 16 severe
   * thinness, 40 or more obesity class III: a doctor soon at both. */
  { HP_SCALE_BMI, LOWEST, AT, RESULT_BMI_SEVERE_THINNESS, SOURCE_BMI_EXTREME },
  { HP_SCALE_BMI, 16.0, AT, RESULT_BMI_UNDERWEIGHT, SOURCE_BMI },
  { HP_SCALE_BMI, 18.5, AT, RESULT_BMI_HEALTHY, SOURCE_BMI },
  { HP_SCALE_BMI, 25.0, AT, RESULT_BMI_OVERWEIGHT, SOURCE_BMI },
  { HP_SCALE_BMI, 30.0, AT, RESULT_BMI_OBESITY, SOURCE_BMI },
  { HP_SCALE_BMI, 40.0, AT, RESULT_BMI_OBESITY_SEVERE, SOURCE_BMI_EXTREME },

  /* Fasting capillary glucose, mg/dL. Low: ADA Standards of Care 2024,
   * section 6: level 1 below 70, level 2 below 54, "clinically significant",
   * to be treated at once; the kiosk sends level 2 to care now. Fasting: ADA
   * 2024, section 2: 70-99 normal, 100-125 prediabetes, 126 or more diabetes.
   * From 300 and 400: the kiosk's own rule, as for the not-fasting scale. */
  { HP_SCALE_GLUCOSE_FASTING, LOWEST, AT, RESULT_GLUCOSE_LOW_LEVEL_2, SOURCE_GLUCOSE_LOW },
  { HP_SCALE_GLUCOSE_FASTING, 54, AT, RESULT_GLUCOSE_LOW_LEVEL_1, SOURCE_GLUCOSE_LOW },
  { HP_SCALE_GLUCOSE_FASTING, 70, AT, RESULT_GLUCOSE_NORMAL, SOURCE_GLUCOSE_FASTING },
  { HP_SCALE_GLUCOSE_FASTING, 100, AT, RESULT_GLUCOSE_PREDIABETES, SOURCE_GLUCOSE_FASTING },
  { HP_SCALE_GLUCOSE_FASTING, 126, AT, RESULT_GLUCOSE_DIABETES_RANGE, SOURCE_GLUCOSE_FASTING },
  { HP_SCALE_GLUCOSE_FASTING, 300, AT, RESULT_GLUCOSE_VERY_HIGH, SOURCE_GLUCOSE_VERY_HIGH },
  { HP_SCALE_GLUCOSE_FASTING, 400, AT, RESULT_GLUCOSE_CRISIS, SOURCE_GLUCOSE_VERY_HIGH },

  /* Not fasting (or not known), mg/dL. Low as above. ADA 2024, section 2: a
   * random glucose of 200 or more suggests diabetes; 140, the upper limit of
   * the 2-hour value after a glucose load, marks a value higher than
   * expected (not prediabetes: that needs a fasting or lab test, and a
   * normal random value cannot rule it out). From 300: no guideline gives
   * one crisis value for a finger-stick; a hyperglycemic crisis (ADA
   * consensus report, Umpierrez et al., Diabetes Care 2024) is told by
   * ketones and symptoms the kiosk cannot check, so it asks for a doctor the
   * same day from 300 and sends the patient to care now from 400, well
   * below a meter's "HI". */
  { HP_SCALE_GLUCOSE_NOT_FASTING, LOWEST, AT, RESULT_GLUCOSE_LOW_LEVEL_2, SOURCE_GLUCOSE_LOW },
  { HP_SCALE_GLUCOSE_NOT_FASTING, 54, AT, RESULT_GLUCOSE_LOW_LEVEL_1, SOURCE_GLUCOSE_LOW },
  { HP_SCALE_GLUCOSE_NOT_FASTING, 70, AT, RESULT_GLUCOSE_NORMAL_RANDOM, SOURCE_GLUCOSE_NOT_FASTING },
  { HP_SCALE_GLUCOSE_NOT_FASTING, 140, AT, RESULT_GLUCOSE_HIGHER_THAN_EXPECTED, SOURCE_GLUCOSE_NOT_FASTING },
  { HP_SCALE_GLUCOSE_NOT_FASTING, 200, AT, RESULT_GLUCOSE_DIABETES_RANGE, SOURCE_GLUCOSE_NOT_FASTING },
  { HP_SCALE_GLUCOSE_NOT_FASTING, 300, AT, RESULT_GLUCOSE_VERY_HIGH, SOURCE_GLUCOSE_VERY_HIGH },
  { HP_SCALE_GLUCOSE_NOT_FASTING, 400, AT, RESULT_GLUCOSE_CRISIS, SOURCE_GLUCOSE_VERY_HIGH },
};

static const Threshold *
lookup (HpScale scale,
        double  value)
{
  const Threshold *found = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (thresholds); i++)
    {
      const Threshold *row = &thresholds[i];

      if (row->scale != scale)
        continue;
      if (row->from == LOWEST || (row->above ? value > row->from : value >= row->from))
        found = row;
    }
  /* Every scale starts with a LOWEST row. */
  g_assert (found != NULL);
  return found;
}

double
hp_interpret_shown_value (HpScale scale,
                          double  value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  double step, shown;

  g_return_val_if_fail (scale <= HP_SCALE_LAST, value);

  if (!isfinite (value) || fabs (value) >= 1e9)
    return value;
  step = scale_decimals[scale] == 0 ? 1.0 : 0.1;
  /* Rounded as printf rounds it for the screen. */
  g_ascii_formatd (buffer, sizeof buffer, scale_decimals[scale] == 0 ? "%.0f" : "%.1f", value);
  shown = g_ascii_strtod (buffer, NULL);
  /* Thresholds are whole steps apart, so one step back towards the value
   * lands in its range. */
  if (lookup (scale, shown)->result != lookup (scale, value)->result)
    shown = shown > value ? shown - step : shown + step;
  return shown;
}

static void
fill (const Threshold  *row,
      Result            result,
      HpInterpretation *out)
{
  const ResultWords *words = &results[result];

  out->category = words->category;
  out->urgency = words->urgency;
  out->title = words->title;
  out->meaning = words->meaning;
  out->next_step = words->next_step;
  out->icon_name = words->icon_name;
  out->source = row->source;
  out->emergency = words->emergency;
}

/* Readings are positive numbers; anything else is no reading at all. Values
 * so large that rounding them would overflow are refused too. */
static gboolean
is_reading (double value)
{
  return isfinite (value) && value > 0 && value < 1e9;
}

gboolean
hp_interpret_blood_pressure_values (double            systolic,
                                    double            diastolic,
                                    HpInterpretation *out)
{
  const Threshold *by_systolic, *by_diastolic, *row;
  HpCategory systolic_category, diastolic_category;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!is_reading (systolic) || !is_reading (diastolic))
    return FALSE;

  by_systolic = lookup (HP_SCALE_SYSTOLIC, systolic);
  by_diastolic = lookup (HP_SCALE_DIASTOLIC, diastolic);
  systolic_category = results[by_systolic->result].category;
  diastolic_category = results[by_diastolic->result].category;

  /* The higher category of the two wins; BP_LOW sorts below BP_NORMAL, so a
   * raised number outranks a low one, and low is left only when neither
   * number is raised. */
  if (systolic_category >= diastolic_category)
    row = by_systolic;
  else
    row = by_diastolic;
  if (results[row->result].category == HP_CATEGORY_BP_NORMAL)
    {
      if (systolic_category == HP_CATEGORY_BP_LOW)
        row = by_systolic;
      else if (diastolic_category == HP_CATEGORY_BP_LOW)
        row = by_diastolic;
    }
  /* A systolic low enough to need help now outranks every category that
   * does not. */
  if (results[by_systolic->result].urgency > results[row->result].urgency)
    row = by_systolic;

  fill (row, row->result, out);
  return TRUE;
}

gboolean
hp_interpret_blood_pressure (HpMeasurement    *measurement,
                             HpInterpretation *out)
{
  double systolic, diastolic;

  g_return_val_if_fail (HP_IS_MEASUREMENT (measurement), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!hp_measurement_get_normalized_value (measurement, HP_QUANTITY_SYSTOLIC, &systolic)
      || !hp_measurement_get_normalized_value (measurement, HP_QUANTITY_DIASTOLIC, &diastolic))
    return FALSE;
  return hp_interpret_blood_pressure_values (systolic, diastolic, out);
}

gboolean
hp_interpret_pulse_value (double            pulse,
                          HpInterpretation *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  if (!is_reading (pulse))
    return FALSE;
  return hp_interpret_pulse_repeated (pulse, NAN, out);
}

#define SOURCE_CHILD \
  N_("Adult categories do not apply under 18: children's blood pressure is judged by age, sex and height (AAP clinical practice guideline, Flynn et al., Pediatrics 2017), and their BMI on growth charts (WHO; CDC)")

void
hp_interpret_for_child (const HpInterpretation *adult,
                        HpInterpretation       *out)
{
  g_return_if_fail (adult != NULL && out != NULL);

  *out = *adult;
  if (adult->urgency >= HP_URGENCY_TELL_STAFF_NOW)
    return;
  out->urgency = HP_URGENCY_CHECK;
  out->title = N_("Numbers for a child");
  out->meaning = N_("Children's values are judged with charts for their age, not with the ranges for adults.");
  out->next_step = N_("Show these numbers to a doctor or nurse, who can read them for the child's age.");
  out->icon_name = ICON_ATTENTION;
  out->source = SOURCE_CHILD;
  out->emergency = HP_EMERGENCY_SIGNS_NONE;
}

gboolean
hp_interpret_pulse_repeated (double            pulse,
                             double            earlier_pulse,
                             HpInterpretation *out)
{
  const Threshold *row;
  Result result;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!is_reading (pulse))
    return FALSE;
  row = lookup (HP_SCALE_PULSE, pulse);
  result = row->result;
  /* An extreme pulse may be a cuff's miscount; the same extreme at the
   * next measurement is not. */
  if (is_reading (earlier_pulse) && lookup (HP_SCALE_PULSE, earlier_pulse)->result == result)
    {
      if (result == RESULT_PULSE_EXTREME_LOW)
        result = RESULT_PULSE_EXTREME_LOW_CONFIRMED;
      else if (result == RESULT_PULSE_EXTREME_HIGH)
        result = RESULT_PULSE_EXTREME_HIGH_CONFIRMED;
    }
  fill (row, result, out);
  return TRUE;
}

gboolean
hp_interpret_pulse (HpMeasurement    *measurement,
                    HpInterpretation *out)
{
  double pulse;

  g_return_val_if_fail (HP_IS_MEASUREMENT (measurement), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!hp_measurement_get_normalized_value (measurement, HP_QUANTITY_PULSE_RATE, &pulse))
    return FALSE;
  return hp_interpret_pulse_value (pulse, out);
}

gboolean
hp_interpret_bmi (double            weight_kg,
                  double            height_cm,
                  double           *bmi,
                  HpInterpretation *out)
{
  double height_m, value;
  const Threshold *row;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!is_reading (weight_kg) || !is_reading (height_cm))
    return FALSE;
  height_m = height_cm / 100.0;
  value = weight_kg / (height_m * height_m);
  if (!is_reading (value))
    return FALSE;

  if (value < HP_BMI_MIN || value > HP_BMI_MAX)
    return FALSE;
  row = lookup (HP_SCALE_BMI, value);
  fill (row, row->result, out);
  if (bmi != NULL)
    *bmi = value;
  return TRUE;
}

gboolean
hp_interpret_glucose_value (double            glucose_mg_dl,
                            HpFasting         fasting,
                            HpInterpretation *out)
{
  HpScale scale;
  const Threshold *row;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!is_reading (glucose_mg_dl))
    return FALSE;
  switch (fasting)
    {
    case HP_FASTING_YES:
      scale = HP_SCALE_GLUCOSE_FASTING;
      break;
    /* The random-glucose thresholds hold whatever the time of the last meal,
     * so they are the ones to use when it is not known. */
    case HP_FASTING_UNKNOWN:
    case HP_FASTING_NO:
      scale = HP_SCALE_GLUCOSE_NOT_FASTING;
      break;
    default:
      g_return_val_if_reached (FALSE);
    }
  row = lookup (scale, glucose_mg_dl);
  fill (row, row->result, out);
  return TRUE;
}

gboolean
hp_interpret_glucose (HpMeasurement    *measurement,
                      HpFasting         fasting,
                      HpInterpretation *out)
{
  double glucose;

  g_return_val_if_fail (HP_IS_MEASUREMENT (measurement), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!hp_measurement_get_normalized_value (measurement, HP_QUANTITY_BLOOD_GLUCOSE, &glucose))
    return FALSE;
  /* A meter's HI or LO is a reading, the most dangerous kind there is:
   * the value held is only the meter's limit. */
  if (hp_measurement_get_flags (measurement) & (HP_MEASUREMENT_FLAG_ABOVE_RANGE | HP_MEASUREMENT_FLAG_BELOW_RANGE))
    {
      static const Threshold out_of_range = {
        HP_SCALE_GLUCOSE_NOT_FASTING, 0, AT, RESULT_GLUCOSE_HI, SOURCE_GLUCOSE_OUT_OF_RANGE
      };

      fill (&out_of_range,
            (hp_measurement_get_flags (measurement) & HP_MEASUREMENT_FLAG_ABOVE_RANGE) ? RESULT_GLUCOSE_HI
                                                                                         : RESULT_GLUCOSE_LO,
            out);
      return TRUE;
    }
  return hp_interpret_glucose_value (glucose, fasting, out);
}

HpUrgency
hp_interpretation_highest_urgency (const HpInterpretation *interpretations,
                                   gsize                   n_interpretations)
{
  HpUrgency highest = HP_URGENCY_NONE;

  g_return_val_if_fail (interpretations != NULL || n_interpretations == 0, HP_URGENCY_NONE);

  for (gsize i = 0; i < n_interpretations; i++)
    highest = MAX (highest, interpretations[i].urgency);
  return highest;
}
