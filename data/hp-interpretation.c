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
  RESULT_BP_LOW,
  RESULT_BP_NORMAL,
  RESULT_BP_ELEVATED,
  RESULT_BP_STAGE_1,
  RESULT_BP_STAGE_2,
  RESULT_BP_CRISIS,
  RESULT_PULSE_VERY_LOW,
  RESULT_PULSE_LOW,
  RESULT_PULSE_NORMAL,
  RESULT_PULSE_HIGH,
  RESULT_PULSE_VERY_HIGH,
  RESULT_BMI_UNDERWEIGHT,
  RESULT_BMI_HEALTHY,
  RESULT_BMI_OVERWEIGHT,
  RESULT_BMI_OBESITY,
  RESULT_GLUCOSE_LOW_LEVEL_2,
  RESULT_GLUCOSE_LOW_LEVEL_1,
  RESULT_GLUCOSE_NORMAL,
  RESULT_GLUCOSE_PREDIABETES,
  RESULT_GLUCOSE_HIGHER_THAN_EXPECTED,
  RESULT_GLUCOSE_DIABETES_RANGE,
  RESULT_GLUCOSE_VERY_HIGH,
  RESULT_GLUCOSE_CRISIS,
} Result;

#define RESULT_LAST RESULT_GLUCOSE_CRISIS

typedef struct {
  HpCategory  category;
  HpUrgency   urgency;
  const char *title;
  const char *meaning;
  const char *next_step;
  const char *icon_name;
} ResultWords;

static const ResultWords results[] = {
  [RESULT_BP_LOW] = {
    HP_CATEGORY_BP_LOW, HP_URGENCY_CHECK,
    N_("Low blood pressure"),
    N_("Your blood pressure is lower than usual. This can be normal for some people."),
    N_("If you feel dizzy or weak, sit down and tell staff. If not, mention it to a doctor or nurse at your next visit."),
    ICON_ATTENTION },
  [RESULT_BP_NORMAL] = {
    HP_CATEGORY_BP_NORMAL, HP_URGENCY_NONE,
    N_("Normal blood pressure"),
    N_("Your blood pressure is in the healthy range."),
    N_("Keep up healthy habits. Check it again at least once a year."),
    ICON_NORMAL },
  [RESULT_BP_ELEVATED] = {
    HP_CATEGORY_BP_ELEVATED, HP_URGENCY_CHECK,
    N_("Blood pressure a little high (elevated)"),
    N_("The top number of your blood pressure is a little higher than it should be."),
    N_("Move more and eat less salt. Mention it to a doctor or nurse at your next visit."),
    ICON_ATTENTION },
  [RESULT_BP_STAGE_1] = {
    HP_CATEGORY_BP_STAGE_1, HP_URGENCY_SEE_DOCTOR,
    N_("High blood pressure (stage 1)"),
    N_("Your blood pressure is higher than it should be."),
    N_("See a doctor or nurse in the next few weeks to check it again."),
    ICON_ATTENTION },
  [RESULT_BP_STAGE_2] = {
    HP_CATEGORY_BP_STAGE_2, HP_URGENCY_SEE_DOCTOR,
    N_("High blood pressure (stage 2)"),
    N_("Your blood pressure is high. Over time, this can harm your heart, brain and kidneys."),
    N_("See a doctor or nurse soon, in the next 2 weeks, to check it again."),
    ICON_ATTENTION },
  [RESULT_BP_CRISIS] = {
    HP_CATEGORY_BP_CRISIS, HP_URGENCY_SEEK_CARE_NOW,
    N_("Very high blood pressure"),
    N_("Your blood pressure is very high. This can be dangerous, even if you feel fine."),
    N_("Seek medical care now. You can talk to a doctor or nurse from this kiosk right away."),
    ICON_URGENT },

  [RESULT_PULSE_VERY_LOW] = {
    HP_CATEGORY_PULSE_LOW, HP_URGENCY_SEE_DOCTOR,
    N_("Very slow pulse"),
    N_("Your heart is beating much slower than usual."),
    N_("See a doctor or nurse in the next few days. If you feel dizzy or faint, tell staff now."),
    ICON_ATTENTION },
  [RESULT_PULSE_LOW] = {
    HP_CATEGORY_PULSE_LOW, HP_URGENCY_CHECK,
    N_("Slow pulse"),
    N_("Your heart is beating slower than usual. This can be normal for people who exercise a lot."),
    N_("Mention it to a doctor or nurse at your next visit."),
    ICON_ATTENTION },
  [RESULT_PULSE_NORMAL] = {
    HP_CATEGORY_PULSE_NORMAL, HP_URGENCY_NONE,
    N_("Normal pulse"),
    N_("Your heart rate at rest is in the usual range."),
    N_("Nothing to do. Keep up healthy habits."),
    ICON_NORMAL },
  [RESULT_PULSE_HIGH] = {
    HP_CATEGORY_PULSE_HIGH, HP_URGENCY_CHECK,
    N_("Fast pulse"),
    N_("Your heart is beating faster than usual. Walking, stress or coffee can do this."),
    N_("Rest for a few minutes and measure again. If it stays fast, mention it to a doctor or nurse."),
    ICON_ATTENTION },
  [RESULT_PULSE_VERY_HIGH] = {
    HP_CATEGORY_PULSE_HIGH, HP_URGENCY_SEE_DOCTOR,
    N_("Very fast pulse"),
    N_("Your heart is beating much faster than usual for someone at rest."),
    N_("See a doctor or nurse in the next few days. If you have chest pain or trouble breathing, tell staff now."),
    ICON_ATTENTION },

  [RESULT_BMI_UNDERWEIGHT] = {
    HP_CATEGORY_BMI_UNDERWEIGHT, HP_URGENCY_CHECK,
    N_("Underweight"),
    N_("Your weight is low for your height."),
    N_("Mention it to a doctor or nurse at your next visit."),
    ICON_ATTENTION },
  [RESULT_BMI_HEALTHY] = {
    HP_CATEGORY_BMI_HEALTHY, HP_URGENCY_NONE,
    N_("Healthy weight"),
    N_("Your weight is in the healthy range for your height."),
    N_("Keep up healthy eating and staying active."),
    ICON_NORMAL },
  [RESULT_BMI_OVERWEIGHT] = {
    HP_CATEGORY_BMI_OVERWEIGHT, HP_URGENCY_CHECK,
    N_("Overweight"),
    N_("Your weight is above the healthy range for your height."),
    N_("Healthy food and more activity can help. Ask a doctor or nurse at your next visit."),
    ICON_ATTENTION },
  [RESULT_BMI_OBESITY] = {
    HP_CATEGORY_BMI_OBESITY, HP_URGENCY_CHECK,
    N_("Obesity (weight well above healthy)"),
    N_("Your weight is well above the healthy range for your height. This raises the risk of diabetes and heart disease."),
    N_("Ask a doctor or nurse at your next visit about ways to reach a healthier weight."),
    ICON_ATTENTION },

  [RESULT_GLUCOSE_LOW_LEVEL_2] = {
    HP_CATEGORY_GLUCOSE_LOW, HP_URGENCY_SEEK_CARE_NOW,
    N_("Very low blood sugar"),
    N_("Your blood sugar is very low. This can be dangerous."),
    N_("Eat or drink something sweet now, like juice or regular soda. Then get help: tell staff, or talk to a doctor or nurse from this kiosk."),
    ICON_URGENT },
  [RESULT_GLUCOSE_LOW_LEVEL_1] = {
    HP_CATEGORY_GLUCOSE_LOW, HP_URGENCY_SEE_DOCTOR,
    N_("Low blood sugar"),
    N_("Your blood sugar is lower than it should be."),
    N_("Eat or drink something sweet now, like juice. See a doctor or nurse soon about it."),
    ICON_ATTENTION },
  [RESULT_GLUCOSE_NORMAL] = {
    HP_CATEGORY_GLUCOSE_NORMAL, HP_URGENCY_NONE,
    N_("Normal blood sugar"),
    N_("Your blood sugar is in the usual range."),
    N_("Nothing to do. Keep up healthy habits."),
    ICON_NORMAL },
  [RESULT_GLUCOSE_PREDIABETES] = {
    HP_CATEGORY_GLUCOSE_PREDIABETES, HP_URGENCY_CHECK,
    N_("Blood sugar a little high (prediabetes range)"),
    N_("Your blood sugar before eating is higher than normal, but lower than in diabetes."),
    N_("Ask a doctor or nurse at your next visit about a lab test to check it."),
    ICON_ATTENTION },
  [RESULT_GLUCOSE_HIGHER_THAN_EXPECTED] = {
    HP_CATEGORY_GLUCOSE_PREDIABETES, HP_URGENCY_CHECK,
    N_("Blood sugar higher than expected"),
    N_("Your blood sugar is higher than usual. A recent meal can do this."),
    N_("Measure again another day before eating, or ask a doctor or nurse at your next visit."),
    ICON_ATTENTION },
  [RESULT_GLUCOSE_DIABETES_RANGE] = {
    HP_CATEGORY_GLUCOSE_DIABETES, HP_URGENCY_SEE_DOCTOR,
    N_("High blood sugar (diabetes range)"),
    N_("Your blood sugar is high. This can be a sign of diabetes. Only a lab test can tell for sure."),
    N_("See a doctor or nurse in the next few weeks for a lab test."),
    ICON_ATTENTION },
  [RESULT_GLUCOSE_VERY_HIGH] = {
    HP_CATEGORY_GLUCOSE_VERY_HIGH, HP_URGENCY_SEE_DOCTOR,
    N_("Very high blood sugar"),
    N_("Your blood sugar is very high."),
    N_("See a doctor or nurse today. If you feel very thirsty, sick to your stomach or confused, seek care now."),
    ICON_ATTENTION },
  [RESULT_GLUCOSE_CRISIS] = {
    HP_CATEGORY_GLUCOSE_VERY_HIGH, HP_URGENCY_SEEK_CARE_NOW,
    N_("Very high blood sugar"),
    N_("Your blood sugar is very high. This can be dangerous."),
    N_("Seek medical care now. You can talk to a doctor or nurse from this kiosk right away."),
    ICON_URGENT },
};

G_STATIC_ASSERT (G_N_ELEMENTS (results) == RESULT_LAST + 1);

/* Each number is read on its own scale. */
typedef enum {
  SCALE_SYSTOLIC,
  SCALE_DIASTOLIC,
  SCALE_PULSE,
  SCALE_BMI,
  SCALE_GLUCOSE_FASTING,
  SCALE_GLUCOSE_NOT_FASTING,
} Scale;

#define SCALE_LAST SCALE_GLUCOSE_NOT_FASTING

/* Decimals each scale's guideline states its values in (0 or 1): values are
 * rounded to them before they are compared (see hp-interpretation.h). */
static const int scale_decimals[] = {
  [SCALE_SYSTOLIC] = 0,
  [SCALE_DIASTOLIC] = 0,
  [SCALE_PULSE] = 0,
  [SCALE_BMI] = 1,
  [SCALE_GLUCOSE_FASTING] = 0,
  [SCALE_GLUCOSE_NOT_FASTING] = 0,
};

G_STATIC_ASSERT (G_N_ELEMENTS (scale_decimals) == SCALE_LAST + 1);

/* Where the thresholds come from, for staff and printouts. */
#define SOURCE_ACC_AHA \
  N_("2017 ACC/AHA blood pressure guideline (Whelton et al., Hypertension 2018)")
#define SOURCE_HYPOTENSION \
  N_("Low blood pressure below 90/60 mm Hg as described by the NHLBI (US National Heart, Lung, and Blood Institute); not an ACC/AHA category")
#define SOURCE_PULSE \
  N_("Adult resting pulse of 60 to 100 beats per minute (American Heart Association)")
#define SOURCE_PULSE_EXTREME \
  N_("Adult resting pulse of 60 to 100 beats per minute (American Heart Association); below 40 or above 130 at rest, this kiosk asks for a visit within days")
#define SOURCE_BMI \
  N_("Adult body mass index (BMI: weight compared with height) categories of the WHO and the CDC")
#define SOURCE_GLUCOSE_LOW \
  N_("Hypoglycemia level 1 (below 70 mg/dL) and level 2 (below 54 mg/dL), ADA Standards of Care in Diabetes 2024, section 6")
#define SOURCE_GLUCOSE_FASTING \
  N_("Fasting glucose: normal 70 to 99 mg/dL, prediabetes 100 to 125, diabetes 126 or more; ADA Standards of Care in Diabetes 2024, section 2")
#define SOURCE_GLUCOSE_NOT_FASTING \
  N_("Random glucose of 200 mg/dL or more suggests diabetes (ADA Standards of Care in Diabetes 2024, section 2); from 140 mg/dL, the ADA's 2-hour limit, a value is higher than expected")
#define SOURCE_GLUCOSE_VERY_HIGH \
  N_("Kiosk rule: 300 mg/dL or more needs a doctor the same day, 400 or more care now, because a hyperglycemic crisis (ADA consensus report, Diabetes Care 2024) needs tests this kiosk cannot do")

/* A value below every threshold of its scale. */
#define LOWEST (-G_MAXDOUBLE)

typedef struct {
  Scale       scale;
  double      from;   /* the lowest value of the range, inclusive, canonical unit */
  Result      result;
  const char *source;
} Threshold;

/* The one table of thresholds. Rows of a scale go from low to high; a value
 * falls in the last row of its scale whose "from" it reaches. */
static const Threshold thresholds[] = {
  /* Systolic, mm[Hg]. Below 90: low (NHLBI). Normal below 120, elevated
   * 120-129, stage 1 130-139, stage 2 140 or more, crisis above 180
   * (2017 ACC/AHA, Whelton et al., Hypertension 2018). */
  { SCALE_SYSTOLIC, LOWEST, RESULT_BP_LOW, SOURCE_HYPOTENSION },
  { SCALE_SYSTOLIC, 90, RESULT_BP_NORMAL, SOURCE_ACC_AHA },
  { SCALE_SYSTOLIC, 120, RESULT_BP_ELEVATED, SOURCE_ACC_AHA },
  { SCALE_SYSTOLIC, 130, RESULT_BP_STAGE_1, SOURCE_ACC_AHA },
  { SCALE_SYSTOLIC, 140, RESULT_BP_STAGE_2, SOURCE_ACC_AHA },
  { SCALE_SYSTOLIC, 181, RESULT_BP_CRISIS, SOURCE_ACC_AHA },

  /* Diastolic, mm[Hg]. Below 60: low (NHLBI). Normal below 80 (ACC/AHA has
   * no "elevated" diastolic range), stage 1 80-89, stage 2 90 or more,
   * crisis above 120 (2017 ACC/AHA). */
  { SCALE_DIASTOLIC, LOWEST, RESULT_BP_LOW, SOURCE_HYPOTENSION },
  { SCALE_DIASTOLIC, 60, RESULT_BP_NORMAL, SOURCE_ACC_AHA },
  { SCALE_DIASTOLIC, 80, RESULT_BP_STAGE_1, SOURCE_ACC_AHA },
  { SCALE_DIASTOLIC, 90, RESULT_BP_STAGE_2, SOURCE_ACC_AHA },
  { SCALE_DIASTOLIC, 121, RESULT_BP_CRISIS, SOURCE_ACC_AHA },

  /* Resting pulse, /min: 60-100 normal (American Heart Association). The
   * kiosk's own rule, not the AHA's: below 40 or above 130 at rest is far
   * enough out to ask for a visit within days rather than at the next one. */
  { SCALE_PULSE, LOWEST, RESULT_PULSE_VERY_LOW, SOURCE_PULSE_EXTREME },
  { SCALE_PULSE, 40, RESULT_PULSE_LOW, SOURCE_PULSE },
  { SCALE_PULSE, 60, RESULT_PULSE_NORMAL, SOURCE_PULSE },
  { SCALE_PULSE, 101, RESULT_PULSE_HIGH, SOURCE_PULSE },
  { SCALE_PULSE, 131, RESULT_PULSE_VERY_HIGH, SOURCE_PULSE_EXTREME },

  /* Adult BMI, kg/m2 (WHO; CDC): below 18.5 underweight, 18.5-24.9 healthy,
   * 25.0-29.9 overweight, 30.0 or more obesity. */
  { SCALE_BMI, LOWEST, RESULT_BMI_UNDERWEIGHT, SOURCE_BMI },
  { SCALE_BMI, 18.5, RESULT_BMI_HEALTHY, SOURCE_BMI },
  { SCALE_BMI, 25.0, RESULT_BMI_OVERWEIGHT, SOURCE_BMI },
  { SCALE_BMI, 30.0, RESULT_BMI_OBESITY, SOURCE_BMI },

  /* Fasting capillary glucose, mg/dL. Low: ADA Standards of Care 2024,
   * section 6: level 1 below 70, level 2 below 54, "clinically significant",
   * to be treated at once; the kiosk sends level 2 to care now. Fasting: ADA
   * 2024, section 2: 70-99 normal, 100-125 prediabetes, 126 or more diabetes.
   * From 300 and 400: the kiosk's own rule, as for the not-fasting scale. */
  { SCALE_GLUCOSE_FASTING, LOWEST, RESULT_GLUCOSE_LOW_LEVEL_2, SOURCE_GLUCOSE_LOW },
  { SCALE_GLUCOSE_FASTING, 54, RESULT_GLUCOSE_LOW_LEVEL_1, SOURCE_GLUCOSE_LOW },
  { SCALE_GLUCOSE_FASTING, 70, RESULT_GLUCOSE_NORMAL, SOURCE_GLUCOSE_FASTING },
  { SCALE_GLUCOSE_FASTING, 100, RESULT_GLUCOSE_PREDIABETES, SOURCE_GLUCOSE_FASTING },
  { SCALE_GLUCOSE_FASTING, 126, RESULT_GLUCOSE_DIABETES_RANGE, SOURCE_GLUCOSE_FASTING },
  { SCALE_GLUCOSE_FASTING, 300, RESULT_GLUCOSE_VERY_HIGH, SOURCE_GLUCOSE_VERY_HIGH },
  { SCALE_GLUCOSE_FASTING, 400, RESULT_GLUCOSE_CRISIS, SOURCE_GLUCOSE_VERY_HIGH },

  /* Not fasting (or not known), mg/dL. Low as above. ADA 2024, section 2: a
   * random glucose of 200 or more suggests diabetes; 140, the upper limit of
   * the 2-hour value after a glucose load, marks a value higher than
   * expected (not prediabetes: that needs a fasting or lab test). From 300:
   * no guideline gives one crisis value for a finger-stick; a hyperglycemic
   * crisis (ADA consensus report, Umpierrez et al., Diabetes Care 2024) is
   * told by ketones and symptoms the kiosk cannot check, so it asks for a
   * doctor the same day from 300 and sends the patient to care now from
   * 400, well below a meter's "HI". */
  { SCALE_GLUCOSE_NOT_FASTING, LOWEST, RESULT_GLUCOSE_LOW_LEVEL_2, SOURCE_GLUCOSE_LOW },
  { SCALE_GLUCOSE_NOT_FASTING, 54, RESULT_GLUCOSE_LOW_LEVEL_1, SOURCE_GLUCOSE_LOW },
  { SCALE_GLUCOSE_NOT_FASTING, 70, RESULT_GLUCOSE_NORMAL, SOURCE_GLUCOSE_NOT_FASTING },
  { SCALE_GLUCOSE_NOT_FASTING, 140, RESULT_GLUCOSE_HIGHER_THAN_EXPECTED, SOURCE_GLUCOSE_NOT_FASTING },
  { SCALE_GLUCOSE_NOT_FASTING, 200, RESULT_GLUCOSE_DIABETES_RANGE, SOURCE_GLUCOSE_NOT_FASTING },
  { SCALE_GLUCOSE_NOT_FASTING, 300, RESULT_GLUCOSE_VERY_HIGH, SOURCE_GLUCOSE_VERY_HIGH },
  { SCALE_GLUCOSE_NOT_FASTING, 400, RESULT_GLUCOSE_CRISIS, SOURCE_GLUCOSE_VERY_HIGH },
};

static double
steps_per_unit (Scale scale)
{
  return scale_decimals[scale] == 0 ? 1.0 : 10.0;
}

/* The value in whole steps of the scale's precision, rounded as printf
 * rounds it for the screen (to the nearest, ties to even on the exact binary
 * value), so that the category matches the digits the patient reads. */
static gint64
displayed_steps (Scale  scale,
                 double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buffer, sizeof buffer, scale_decimals[scale] == 0 ? "%.0f" : "%.1f", value);
  return llround (g_ascii_strtod (buffer, NULL) * steps_per_unit (scale));
}

static const Threshold *
lookup (Scale  scale,
        double value)
{
  const Threshold *found = NULL;
  gint64 steps = displayed_steps (scale, value);

  for (gsize i = 0; i < G_N_ELEMENTS (thresholds); i++)
    {
      const Threshold *row = &thresholds[i];

      if (row->scale != scale)
        continue;
      if (row->from == LOWEST || steps >= llround (row->from * steps_per_unit (scale)))
        found = row;
    }
  /* Every scale starts with a LOWEST row. */
  g_assert (found != NULL);
  return found;
}

static void
fill (const Threshold  *row,
      HpInterpretation *out)
{
  const ResultWords *words = &results[row->result];

  out->category = words->category;
  out->urgency = words->urgency;
  out->title = words->title;
  out->meaning = words->meaning;
  out->next_step = words->next_step;
  out->icon_name = words->icon_name;
  out->source = row->source;
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

  by_systolic = lookup (SCALE_SYSTOLIC, systolic);
  by_diastolic = lookup (SCALE_DIASTOLIC, diastolic);
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

  fill (row, out);
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
  fill (lookup (SCALE_PULSE, pulse), out);
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

  g_return_val_if_fail (out != NULL, FALSE);

  if (!is_reading (weight_kg) || !is_reading (height_cm))
    return FALSE;
  height_m = height_cm / 100.0;
  value = weight_kg / (height_m * height_m);
  if (!is_reading (value))
    return FALSE;

  fill (lookup (SCALE_BMI, value), out);
  if (bmi != NULL)
    *bmi = value;
  return TRUE;
}

gboolean
hp_interpret_glucose_value (double            glucose_mg_dl,
                            HpFasting         fasting,
                            HpInterpretation *out)
{
  Scale scale;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!is_reading (glucose_mg_dl))
    return FALSE;
  switch (fasting)
    {
    case HP_FASTING_YES:
      scale = SCALE_GLUCOSE_FASTING;
      break;
    /* The random-glucose thresholds hold whatever the time of the last meal,
     * so they are the ones to use when it is not known. */
    case HP_FASTING_UNKNOWN:
    case HP_FASTING_NO:
      scale = SCALE_GLUCOSE_NOT_FASTING;
      break;
    default:
      g_return_val_if_reached (FALSE);
    }
  fill (lookup (scale, glucose_mg_dl), out);
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
