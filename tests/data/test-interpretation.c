/* Tests of the interpretation table: both sides of every threshold, unit conversions, the words and icons of every category. */
#include <glib/gi18n.h>
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "hp-interpretation.h"
#include "hp-visit.h"

/* One input and what it must give. */
typedef struct {
  double     value;
  double     other;  /* the diastolic for blood pressure; unused elsewhere */
  HpCategory category;
  HpUrgency  urgency;
} Case;

#define BP_CASE(s, d, c, u) { s, d, HP_CATEGORY_BP_##c, HP_URGENCY_##u }
#define PULSE_CASE(p, c, u) { p, 0, HP_CATEGORY_PULSE_##c, HP_URGENCY_##u }
#define BMI_CASE(b, c, u) { b, 0, HP_CATEGORY_BMI_##c, HP_URGENCY_##u }
#define GLUCOSE_CASE(g, c, u) { g, 0, HP_CATEGORY_GLUCOSE_##c, HP_URGENCY_##u }

static void
assert_case (const Case             *c,
             const HpInterpretation *got)
{
  if (got->category != c->category || got->urgency != c->urgency)
    fail_msg ("%g (%g): category %d urgency %d, expected category %d urgency %d",
              c->value, c->other, got->category, got->urgency, c->category, c->urgency);
}

static HpMeasurement *
blood_pressure (double      systolic,
                double      diastolic,
                const char *unit)
{
  HpMeasurement *m = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_PRESSURE);

  hp_measurement_set_value (m, HP_QUANTITY_SYSTOLIC, systolic, unit);
  hp_measurement_set_value (m, HP_QUANTITY_DIASTOLIC, diastolic, unit);
  return m;
}

static HpMeasurement *
glucose (double      value,
         const char *unit)
{
  HpMeasurement *m = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_GLUCOSE);

  hp_measurement_set_value (m, HP_QUANTITY_BLOOD_GLUCOSE, value, unit);
  return m;
}

static void
check_bp_cases (const Case *cases,
                gsize       n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autoptr(HpMeasurement) m = blood_pressure (cases[i].value, cases[i].other, "mm[Hg]");
      HpInterpretation got = { 0 };

      assert_true (hp_interpret_blood_pressure (m, &got));
      assert_case (&cases[i], &got);
      /* The plain-value entry point agrees. */
      assert_true (hp_interpret_blood_pressure_values (cases[i].value, cases[i].other, &got));
      assert_case (&cases[i], &got);
    }
}

static void
test_systolic_boundaries (void **state)
{
  /* Diastolic 70 is normal, so the systolic number decides. */
  static const Case cases[] = {
    /* NEWS2 (RCP 2017): 90 or less needs urgent review; the kiosk's tiers
     * below 80 and 70. */
    BP_CASE (60, 35, LOW, SEEK_CARE_NOW),
    BP_CASE (69, 70, LOW, SEEK_CARE_NOW),
    BP_CASE (69.9, 70, LOW, SEEK_CARE_NOW),
    BP_CASE (70, 70, LOW, TELL_STAFF_NOW),
    BP_CASE (79, 70, LOW, TELL_STAFF_NOW),
    BP_CASE (79.9, 70, LOW, TELL_STAFF_NOW),
    BP_CASE (80, 70, LOW, CHECK),
    BP_CASE (89, 70, LOW, CHECK),
    BP_CASE (89.9, 70, LOW, CHECK),
    BP_CASE (90, 70, NORMAL, NONE),
    BP_CASE (119, 70, NORMAL, NONE),
    BP_CASE (120, 70, ELEVATED, CHECK),
    BP_CASE (129, 70, ELEVATED, CHECK),
    BP_CASE (130, 70, STAGE_1, SEE_DOCTOR),
    BP_CASE (139, 70, STAGE_1, SEE_DOCTOR),
    BP_CASE (140, 70, STAGE_2, SEE_DOCTOR),
    BP_CASE (180, 70, STAGE_2, SEE_DOCTOR),
    BP_CASE (180.1, 70, CRISIS, SEEK_CARE_NOW),
    BP_CASE (181, 70, CRISIS, SEEK_CARE_NOW),
    /* A systolic that needs help now wins over a raised diastolic. */
    BP_CASE (75, 95, LOW, TELL_STAFF_NOW),
  };

  (void) state;
  check_bp_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_diastolic_boundaries (void **state)
{
  /* Systolic 110 is normal, so the diastolic number decides; there is no
   * elevated diastolic range. */
  static const Case cases[] = {
    BP_CASE (110, 59, LOW, CHECK),
    BP_CASE (110, 60, NORMAL, NONE),
    BP_CASE (110, 79, NORMAL, NONE),
    BP_CASE (110, 80, STAGE_1, SEE_DOCTOR),
    BP_CASE (110, 89, STAGE_1, SEE_DOCTOR),
    BP_CASE (110, 90, STAGE_2, SEE_DOCTOR),
    BP_CASE (110, 120, STAGE_2, SEE_DOCTOR),
    BP_CASE (110, 120.1, CRISIS, SEEK_CARE_NOW),
    BP_CASE (110, 121, CRISIS, SEEK_CARE_NOW),
  };

  (void) state;
  check_bp_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_higher_of_the_two (void **state)
{
  static const Case cases[] = {
    BP_CASE (125, 85, STAGE_1, SEE_DOCTOR),
    BP_CASE (135, 79, STAGE_1, SEE_DOCTOR),
    BP_CASE (135, 95, STAGE_2, SEE_DOCTOR),
    BP_CASE (119, 90, STAGE_2, SEE_DOCTOR),
    BP_CASE (185, 70, CRISIS, SEEK_CARE_NOW),
    BP_CASE (150, 121, CRISIS, SEEK_CARE_NOW),
    BP_CASE (181, 121, CRISIS, SEEK_CARE_NOW),
    /* A raised number outranks a low one. */
    BP_CASE (150, 55, STAGE_2, SEE_DOCTOR),
    BP_CASE (125, 55, ELEVATED, CHECK),
    BP_CASE (85, 85, STAGE_1, SEE_DOCTOR),
    /* Low when one is low and the other normal, or both low. */
    BP_CASE (89, 79, LOW, CHECK),
    BP_CASE (100, 59, LOW, CHECK),
    BP_CASE (85, 55, LOW, CHECK),
  };

  (void) state;
  check_bp_cases (cases, G_N_ELEMENTS (cases));
}

/* One value, its category and the number shown for it. */
typedef struct {
  HpScale scale;
  double  value;
  double  shown;
} Shown;

static void
test_bp_decimal_values_as_shown (void **state)
{
  /* Compared as measured, never rounded first: rounding must not carry a
   * value to the less urgent side of a threshold. */
  static const Case cases[] = {
    BP_CASE (119.49, 70, NORMAL, NONE),
    BP_CASE (119.5, 70, NORMAL, NONE),
    BP_CASE (119.99, 70, NORMAL, NONE),
    BP_CASE (129.51, 70, ELEVATED, CHECK),
    BP_CASE (180.0, 70, STAGE_2, SEE_DOCTOR),
    BP_CASE (180.01, 70, CRISIS, SEEK_CARE_NOW),
    BP_CASE (180.49, 70, CRISIS, SEEK_CARE_NOW),
    BP_CASE (180.5, 70, CRISIS, SEEK_CARE_NOW),
    BP_CASE (110, 79.5, NORMAL, NONE),
    BP_CASE (110, 120.01, CRISIS, SEEK_CARE_NOW),
    BP_CASE (110, 120.5, CRISIS, SEEK_CARE_NOW),
    BP_CASE (89.5, 70, LOW, CHECK),
    BP_CASE (79.5, 70, LOW, TELL_STAFF_NOW),
  };
  /* The number shown agrees with the category: rounded, then moved one
   * step back where rounding crossed a threshold. */
  static const Shown shown[] = {
    { HP_SCALE_SYSTOLIC, 180.01, 181 },
    { HP_SCALE_SYSTOLIC, 180.49, 181 },
    { HP_SCALE_SYSTOLIC, 180.0, 180 },
    { HP_SCALE_SYSTOLIC, 180.6, 181 },
    { HP_SCALE_SYSTOLIC, 129.6, 129 },
    { HP_SCALE_SYSTOLIC, 119.5, 119 },
    { HP_SCALE_SYSTOLIC, 131.4, 131 },
    { HP_SCALE_SYSTOLIC, 89.5, 89 },
    { HP_SCALE_SYSTOLIC, 69.6, 69 },
    { HP_SCALE_DIASTOLIC, 120.3, 121 },
    { HP_SCALE_DIASTOLIC, 79.5, 79 },
    { HP_SCALE_PULSE, 100.4, 101 },
    { HP_SCALE_PULSE, 39.6, 39 },
    { HP_SCALE_PULSE, 149.5, 149 },
    { HP_SCALE_BMI, 24.96, 24.9 },
    { HP_SCALE_BMI, 18.46, 18.4 },
    { HP_SCALE_BMI, 22.86, 22.9 },
    { HP_SCALE_GLUCOSE_FASTING, 53.7, 53 },
    { HP_SCALE_GLUCOSE_FASTING, 99.6, 99 },
    { HP_SCALE_GLUCOSE_NOT_FASTING, 99.6, 100 },
    { HP_SCALE_GLUCOSE_NOT_FASTING, 199.98, 199 },
    { HP_SCALE_GLUCOSE_NOT_FASTING, 399.96, 399 },
  };

  (void) state;
  check_bp_cases (cases, G_N_ELEMENTS (cases));
  for (gsize i = 0; i < G_N_ELEMENTS (shown); i++)
    {
      double got = hp_interpret_shown_value (shown[i].scale, shown[i].value);

      if (fabs (got - shown[i].shown) > 1e-9)
        fail_msg ("scale %d: %g is shown as %g, expected %g", shown[i].scale, shown[i].value, got, shown[i].shown);
    }
  /* Every value the cases read falls in the category its shown number
   * falls in. */
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      HpInterpretation got;

      assert_true (hp_interpret_blood_pressure_values (hp_interpret_shown_value (HP_SCALE_SYSTOLIC, cases[i].value),
                                                       hp_interpret_shown_value (HP_SCALE_DIASTOLIC, cases[i].other),
                                                       &got));
      assert_case (&cases[i], &got);
    }
}

static void
test_bp_in_kpa (void **state)
{
  /* 1 kPa = 7.50062 mm[Hg]. */
  static const Case cases[] = {
    BP_CASE (17.2, 9.0, ELEVATED, CHECK),      /* 129.01 / 67.5 */
    BP_CASE (17.3, 9.0, ELEVATED, CHECK),      /* 129.76, shown 129 */
    BP_CASE (17.4, 9.0, STAGE_1, SEE_DOCTOR),  /* 130.51 */
    BP_CASE (24.0, 9.0, CRISIS, SEEK_CARE_NOW), /* 180.01, shown 181 */
    BP_CASE (24.1, 9.0, CRISIS, SEEK_CARE_NOW), /* 180.77 */
    BP_CASE (15.0, 10.5, NORMAL, NONE),        /* 112.5 / 78.76 */
    BP_CASE (15.0, 10.6, NORMAL, NONE),        /* 79.51, shown 79 */
    BP_CASE (15.0, 10.7, STAGE_1, SEE_DOCTOR), /* 80.26 */
    BP_CASE (15.0, 16.1, CRISIS, SEEK_CARE_NOW), /* 120.76 */
    BP_CASE (11.9, 7.9, LOW, CHECK),           /* 89.26 / 59.25 */
  };

  (void) state;
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HpMeasurement) m = blood_pressure (cases[i].value, cases[i].other, "kPa");
      HpInterpretation got = { 0 };

      assert_true (hp_interpret_blood_pressure (m, &got));
      assert_case (&cases[i], &got);
    }
}

static void
test_pulse_boundaries (void **state)
{
  static const Case cases[] = {
    PULSE_CASE (30, LOW, TELL_STAFF_NOW),
    PULSE_CASE (39, LOW, TELL_STAFF_NOW),
    PULSE_CASE (39.9, LOW, TELL_STAFF_NOW),
    PULSE_CASE (40, LOW, CHECK),
    PULSE_CASE (59, LOW, CHECK),
    PULSE_CASE (60, NORMAL, NONE),
    PULSE_CASE (100, NORMAL, NONE),
    PULSE_CASE (100.1, HIGH, CHECK),
    PULSE_CASE (101, HIGH, CHECK),
    PULSE_CASE (130, HIGH, CHECK),
    PULSE_CASE (130.1, HIGH, SEE_DOCTOR),
    PULSE_CASE (131, HIGH, SEE_DOCTOR),
    PULSE_CASE (149, HIGH, SEE_DOCTOR),
    PULSE_CASE (149.9, HIGH, SEE_DOCTOR),
    PULSE_CASE (150, HIGH, TELL_STAFF_NOW),
    PULSE_CASE (190, HIGH, TELL_STAFF_NOW),
  };

  (void) state;
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HpMeasurement) m = blood_pressure (120, 70, "mm[Hg]");
      HpInterpretation got = { 0 };

      /* Both units a device may give for a rate. */
      hp_measurement_set_value (m, HP_QUANTITY_PULSE_RATE, cases[i].value,
                                i % 2 == 0 ? "/min" : "{beats}/min");
      assert_true (hp_interpret_pulse (m, &got));
      assert_case (&cases[i], &got);
      assert_true (hp_interpret_pulse_value (cases[i].value, &got));
      assert_case (&cases[i], &got);
    }
}

/* NEWS2 (RCP 2017): an extreme pulse needs help now; seen again at the
 * next measurement it sends the patient to care now. */
static void
test_pulse_confirmed_by_repeat (void **state)
{
  static const struct {
    double pulse, earlier;
    HpUrgency urgency;
  } cases[] = {
    { 39, NAN, HP_URGENCY_TELL_STAFF_NOW },
    { 39, 38, HP_URGENCY_SEEK_CARE_NOW },
    { 39, 40, HP_URGENCY_TELL_STAFF_NOW },
    { 39, 160, HP_URGENCY_TELL_STAFF_NOW },
    { 40, 35, HP_URGENCY_CHECK },
    { 150, 150, HP_URGENCY_SEEK_CARE_NOW },
    { 150, 149, HP_URGENCY_TELL_STAFF_NOW },
    { 149, 190, HP_URGENCY_SEE_DOCTOR },
    { 190, 185, HP_URGENCY_SEEK_CARE_NOW },
  };

  (void) state;
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      HpInterpretation got = { 0 };

      assert_true (hp_interpret_pulse_repeated (cases[i].pulse, cases[i].earlier, &got));
      if (got.urgency != cases[i].urgency)
        fail_msg ("pulse %g after %g: urgency %d, expected %d", cases[i].pulse, cases[i].earlier,
                  got.urgency, cases[i].urgency);
      if (got.urgency >= HP_URGENCY_TELL_STAFF_NOW)
        assert_int_equal (got.emergency, HP_EMERGENCY_SIGNS_PULSE);
    }
}

static void
test_bmi_boundaries (void **state)
{
  /* At a height of 100 cm the BMI equals the weight in kg. BMI is compared
   * as computed: 18.49 is underweight (and shown as 18.4). */
  static const Case cases[] = {
    BMI_CASE (10, UNDERWEIGHT, SEE_DOCTOR),
    BMI_CASE (15.99, UNDERWEIGHT, SEE_DOCTOR),
    BMI_CASE (16, UNDERWEIGHT, CHECK),
    BMI_CASE (18.4, UNDERWEIGHT, CHECK),
    BMI_CASE (18.49, UNDERWEIGHT, CHECK),
    BMI_CASE (18.5, HEALTHY, NONE),
    BMI_CASE (24.9, HEALTHY, NONE),
    BMI_CASE (24.99, HEALTHY, NONE),
    BMI_CASE (25, OVERWEIGHT, CHECK),
    BMI_CASE (29.99, OVERWEIGHT, CHECK),
    BMI_CASE (30, OBESITY, CHECK),
    BMI_CASE (39.99, OBESITY, CHECK),
    BMI_CASE (40, OBESITY, SEE_DOCTOR),
    BMI_CASE (90, OBESITY, SEE_DOCTOR),
  };
  HpInterpretation got;
  double bmi = 0;

  (void) state;
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      assert_true (hp_interpret_bmi (cases[i].value, 100, &bmi, &got));
      assert_case (&cases[i], &got);
      assert_float_equal (bmi, cases[i].value, 1e-9);
    }

  /* An ordinary adult: 70 kg at 175 cm is 22.857. */
  assert_true (hp_interpret_bmi (70, 175, &bmi, &got));
  assert_float_equal (bmi, 70 / (1.75 * 1.75), 1e-9);
  assert_int_equal (got.category, HP_CATEGORY_BMI_HEALTHY);
  /* 92 kg at 175 cm is 30.04. */
  assert_true (hp_interpret_bmi (92, 175, NULL, &got));
  assert_int_equal (got.category, HP_CATEGORY_BMI_OBESITY);
  /* No adult has a BMI outside 10 to 90: the height typed is wrong. */
  bmi = -1;
  assert_false (hp_interpret_bmi (9.99, 100, &bmi, &got));
  assert_false (hp_interpret_bmi (90.01, 100, &bmi, &got));
  assert_false (hp_interpret_bmi (1200, 100, &bmi, &got));
  assert_false (hp_interpret_bmi (80, 500, &bmi, &got));
  assert_float_equal (bmi, -1, 0);
}

static void
check_glucose_cases (const Case *cases,
                     gsize       n_cases,
                     HpFasting   fasting)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autoptr(HpMeasurement) m = glucose (cases[i].value, "mg/dL");
      HpInterpretation got = { 0 };

      assert_true (hp_interpret_glucose (m, fasting, &got));
      assert_case (&cases[i], &got);
      assert_true (hp_interpret_glucose_value (cases[i].value, fasting, &got));
      assert_case (&cases[i], &got);
    }
}

static void
test_glucose_fasting_boundaries (void **state)
{
  static const Case cases[] = {
    GLUCOSE_CASE (53, LOW, SEEK_CARE_NOW),
    GLUCOSE_CASE (53.5, LOW, SEEK_CARE_NOW),
    GLUCOSE_CASE (53.99, LOW, SEEK_CARE_NOW),
    GLUCOSE_CASE (54, LOW, SEE_DOCTOR),
    GLUCOSE_CASE (69, LOW, SEE_DOCTOR),
    GLUCOSE_CASE (69.9, LOW, SEE_DOCTOR),
    GLUCOSE_CASE (70, NORMAL, NONE),
    GLUCOSE_CASE (99, NORMAL, NONE),
    GLUCOSE_CASE (99.9, NORMAL, NONE),
    GLUCOSE_CASE (100, PREDIABETES, CHECK),
    GLUCOSE_CASE (125, PREDIABETES, CHECK),
    GLUCOSE_CASE (126, DIABETES, SEE_DOCTOR),
    GLUCOSE_CASE (299, DIABETES, SEE_DOCTOR),
    GLUCOSE_CASE (300, VERY_HIGH, SEE_DOCTOR),
    GLUCOSE_CASE (399, VERY_HIGH, SEE_DOCTOR),
    GLUCOSE_CASE (400, VERY_HIGH, SEEK_CARE_NOW),
  };

  (void) state;
  check_glucose_cases (cases, G_N_ELEMENTS (cases), HP_FASTING_YES);
}

static void
test_glucose_not_fasting_boundaries (void **state)
{
  static const Case cases[] = {
    GLUCOSE_CASE (53, LOW, SEEK_CARE_NOW),
    GLUCOSE_CASE (54, LOW, SEE_DOCTOR),
    GLUCOSE_CASE (69, LOW, SEE_DOCTOR),
    GLUCOSE_CASE (70, NORMAL, NONE),
    GLUCOSE_CASE (125, NORMAL, NONE),
    GLUCOSE_CASE (139, NORMAL, NONE),
    GLUCOSE_CASE (140, PREDIABETES, CHECK),
    GLUCOSE_CASE (199, PREDIABETES, CHECK),
    GLUCOSE_CASE (200, DIABETES, SEE_DOCTOR),
    GLUCOSE_CASE (299, DIABETES, SEE_DOCTOR),
    GLUCOSE_CASE (300, VERY_HIGH, SEE_DOCTOR),
    GLUCOSE_CASE (399, VERY_HIGH, SEE_DOCTOR),
    GLUCOSE_CASE (400, VERY_HIGH, SEEK_CARE_NOW),
  };
  HpInterpretation fasting, not_fasting;

  (void) state;
  check_glucose_cases (cases, G_N_ELEMENTS (cases), HP_FASTING_NO);
  /* Not knowing is read as not fasting. */
  check_glucose_cases (cases, G_N_ELEMENTS (cases), HP_FASTING_UNKNOWN);

  /* After a meal 150 is "higher than expected", not prediabetes: same rank,
   * other words. */
  assert_true (hp_interpret_glucose_value (150, HP_FASTING_NO, &not_fasting));
  assert_true (hp_interpret_glucose_value (110, HP_FASTING_YES, &fasting));
  assert_int_equal (fasting.category, not_fasting.category);
  assert_string_not_equal (fasting.title, not_fasting.title);
  assert_string_not_equal (fasting.source, not_fasting.source);
}

static void
test_glucose_in_mmol_per_litre (void **state)
{
  /* 1 mmol/L = 18.016 mg/dL; the ADA's own mmol/L equivalents fall where
   * the mg/dL thresholds do. */
  static const Case fasting[] = {
    GLUCOSE_CASE (2.9, LOW, SEEK_CARE_NOW),   /* 52.2 */
    GLUCOSE_CASE (3.0, LOW, SEE_DOCTOR),      /* 54.05 */
    GLUCOSE_CASE (3.8, LOW, SEE_DOCTOR),      /* 68.5 */
    GLUCOSE_CASE (3.9, NORMAL, NONE),         /* 70.26 */
    GLUCOSE_CASE (5.5, NORMAL, NONE),         /* 99.09 */
    GLUCOSE_CASE (2.99, LOW, SEEK_CARE_NOW),  /* 53.87, shown 53 */
    GLUCOSE_CASE (5.6, PREDIABETES, CHECK),   /* 100.89 */
    GLUCOSE_CASE (6.9, PREDIABETES, CHECK),   /* 124.31 */
    GLUCOSE_CASE (7.0, DIABETES, SEE_DOCTOR), /* 126.11 */
    GLUCOSE_CASE (22.2, VERY_HIGH, SEE_DOCTOR), /* 399.96, shown 399 */
    GLUCOSE_CASE (22.3, VERY_HIGH, SEEK_CARE_NOW), /* 401.76 */
  };
  static const Case not_fasting[] = {
    GLUCOSE_CASE (7.7, NORMAL, NONE),          /* 138.72 */
    GLUCOSE_CASE (7.8, PREDIABETES, CHECK),    /* 140.52 */
    GLUCOSE_CASE (11.0, PREDIABETES, CHECK),   /* 198.18 */
    GLUCOSE_CASE (11.1, PREDIABETES, CHECK),   /* 199.98, shown 199 */
    GLUCOSE_CASE (11.2, DIABETES, SEE_DOCTOR), /* 201.78 */
    GLUCOSE_CASE (16.6, DIABETES, SEE_DOCTOR),  /* 299.07 */
    GLUCOSE_CASE (16.7, VERY_HIGH, SEE_DOCTOR), /* 300.87 */
  };

  (void) state;
  for (gsize i = 0; i < G_N_ELEMENTS (fasting); i++)
    {
      g_autoptr(HpMeasurement) m = glucose (fasting[i].value, "mmol/L");
      HpInterpretation got = { 0 };

      assert_true (hp_interpret_glucose (m, HP_FASTING_YES, &got));
      assert_case (&fasting[i], &got);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (not_fasting); i++)
    {
      g_autoptr(HpMeasurement) m = glucose (not_fasting[i].value, "mmol/L");
      HpInterpretation got = { 0 };

      assert_true (hp_interpret_glucose (m, HP_FASTING_NO, &got));
      assert_case (&not_fasting[i], &got);
    }
}

/* One interpretation of every range of every scale. */
static gsize
interpret_every_range (HpInterpretation *out,
                       gsize             n_out)
{
  static const double bp[][2] = {
    { 85, 70 }, { 110, 70 }, { 125, 70 }, { 135, 70 }, { 150, 70 }, { 190, 70 },
    { 110, 55 }, { 110, 85 }, { 110, 95 }, { 110, 125 }, { 75, 50 }, { 65, 40 },
  };
  static const double pulse[] = { 35, 50, 70, 110, 140, 160 };
  static const double bmi[] = { 15, 17, 22, 27, 35, 45 };
  static const double fasting[] = { 40, 60, 90, 110, 150, 350, 450 };
  static const double not_fasting[] = { 40, 60, 120, 160, 250, 350, 450 };
  gsize n = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (bp); i++)
    assert_true (n < n_out && hp_interpret_blood_pressure_values (bp[i][0], bp[i][1], &out[n++]));
  for (gsize i = 0; i < G_N_ELEMENTS (pulse); i++)
    assert_true (n < n_out && hp_interpret_pulse_value (pulse[i], &out[n++]));
  /* Extreme pulses confirmed by a repeat. */
  assert_true (n < n_out && hp_interpret_pulse_repeated (35, 36, &out[n++]));
  assert_true (n < n_out && hp_interpret_pulse_repeated (160, 170, &out[n++]));
  for (gsize i = 0; i < G_N_ELEMENTS (bmi); i++)
    assert_true (n < n_out && hp_interpret_bmi (bmi[i], 100, NULL, &out[n++]));
  for (gsize i = 0; i < G_N_ELEMENTS (fasting); i++)
    assert_true (n < n_out && hp_interpret_glucose_value (fasting[i], HP_FASTING_YES, &out[n++]));
  for (gsize i = 0; i < G_N_ELEMENTS (not_fasting); i++)
    assert_true (n < n_out && hp_interpret_glucose_value (not_fasting[i], HP_FASTING_NO, &out[n++]));
  return n;
}

static void
test_every_category_has_words_icon_and_source (void **state)
{
  HpInterpretation all[64];
  gboolean seen[HP_CATEGORY_LAST + 1] = { FALSE };
  gsize n = interpret_every_range (all, G_N_ELEMENTS (all));

  (void) state;
  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *icon = NULL;
      const char *expected_icon;

      assert_in_range (all[i].category, 0, HP_CATEGORY_LAST);
      seen[all[i].category] = TRUE;
      assert_non_null (all[i].title);
      assert_true (all[i].title[0] != '\0');
      assert_non_null (all[i].meaning);
      assert_true (all[i].meaning[0] != '\0');
      assert_non_null (all[i].next_step);
      assert_true (all[i].next_step[0] != '\0');
      assert_non_null (all[i].source);
      assert_true (all[i].source[0] != '\0');

      /* The icon follows the urgency, and is in the UI's resource. */
      switch (all[i].urgency)
        {
        case HP_URGENCY_NONE:
          expected_icon = "hp-category-normal";
          break;
        case HP_URGENCY_CHECK:
        case HP_URGENCY_SEE_DOCTOR:
          expected_icon = "hp-category-attention";
          break;
        case HP_URGENCY_TELL_STAFF_NOW:
        case HP_URGENCY_SEEK_CARE_NOW:
          expected_icon = "hp-category-urgent";
          break;
        default:
          fail_msg ("urgency %d out of range", all[i].urgency);
          return;
        }
      assert_string_equal (all[i].icon_name, expected_icon);
      /* A result that needs help now says when to call the emergency
       * number; no other does. */
      if (all[i].urgency >= HP_URGENCY_TELL_STAFF_NOW)
        assert_int_not_equal (all[i].emergency, HP_EMERGENCY_SIGNS_NONE);
      else
        assert_int_equal (all[i].emergency, HP_EMERGENCY_SIGNS_NONE);
      /* No advice offers or promises a clinician call: the screens add
       * that only while a call can be made. */
      {
        const char *words[] = { all[i].title, all[i].meaning, all[i].next_step };

        for (gsize w = 0; w < G_N_ELEMENTS (words); w++)
          if (strstr (words[w], "kiosk") != NULL || strstr (words[w], "clinician") != NULL ||
              strstr (words[w], "talk to") != NULL || strstr (words[w], "call") != NULL)
            fail_msg ("advice speaks of a call: \"%s\"", words[w]);
      }
      icon = g_strdup_printf ("%s/data/pictures/%s.svg", HP_SOURCE_DIR, all[i].icon_name);
      assert_true (g_file_test (icon, G_FILE_TEST_IS_REGULAR));
    }
  for (guint c = 0; c <= HP_CATEGORY_LAST; c++)
    if (!seen[c])
      fail_msg ("category %u is never given", c);
}

/* A meter's HI and LO are the most dangerous readings: glucose crisis and
 * level-2 low, with their own words, fasting or not. */
static void
test_meter_high_and_low (void **state)
{
  static const struct {
    double limit;
    HpMeasurementFlags flag;
    HpCategory category;
    HpEmergencySigns signs;
    const char *title;
  } cases[] = {
    { 600, HP_MEASUREMENT_FLAG_ABOVE_RANGE, HP_CATEGORY_GLUCOSE_VERY_HIGH, HP_EMERGENCY_SIGNS_HIGH_GLUCOSE, "(HI)" },
    { 500, HP_MEASUREMENT_FLAG_ABOVE_RANGE, HP_CATEGORY_GLUCOSE_VERY_HIGH, HP_EMERGENCY_SIGNS_HIGH_GLUCOSE, "(HI)" },
    { 20, HP_MEASUREMENT_FLAG_BELOW_RANGE, HP_CATEGORY_GLUCOSE_LOW, HP_EMERGENCY_SIGNS_LOW_GLUCOSE, "(LO)" },
  };
  static const HpFasting answers[] = { HP_FASTING_YES, HP_FASTING_NO, HP_FASTING_UNKNOWN };

  (void) state;
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    for (gsize a = 0; a < G_N_ELEMENTS (answers); a++)
      {
        g_autoptr(HpMeasurement) m = glucose (cases[i].limit, "mg/dL");
        g_autoptr(HpVisit) visit = hp_visit_new ();
        g_autofree char *shown = NULL;
        const char *unit = NULL;
        HpInterpretation got = { 0 };

        hp_measurement_set_flags (m, cases[i].flag);
        assert_true (hp_interpret_glucose (m, answers[a], &got));
        assert_int_equal (got.category, cases[i].category);
        assert_int_equal (got.urgency, HP_URGENCY_SEEK_CARE_NOW);
        assert_int_equal (got.emergency, cases[i].signs);
        assert_non_null (strstr (got.title, cases[i].title));

        /* Shown as the meter showed it. */
        hp_visit_set_fasting (visit, answers[a]);
        shown = hp_visit_format_value (visit, m, &unit);
        assert_string_equal (shown, cases[i].flag == HP_MEASUREMENT_FLAG_ABOVE_RANGE ? "HI" : "LO");
        assert_non_null (strstr (unit, "meter's range"));
      }
}

/* Words the reviewers pinned: what a random test cannot say, what to do
 * after a low, and no "can be normal" at a dangerous pressure. */
static void
test_words_at_the_edges (void **state)
{
  HpInterpretation got = { 0 };

  (void) state;
  assert_true (hp_interpret_glucose_value (110, HP_FASTING_NO, &got));
  assert_int_equal (got.category, HP_CATEGORY_GLUCOSE_NORMAL);
  assert_non_null (strstr (got.next_step, "cannot rule out prediabetes"));
  assert_true (hp_interpret_glucose_value (90, HP_FASTING_YES, &got));
  assert_null (strstr (got.next_step, "prediabetes"));

  assert_true (hp_interpret_glucose_value (60, HP_FASTING_NO, &got));
  assert_non_null (strstr (got.next_step, "Measure again in 15 minutes"));
  assert_non_null (strstr (got.next_step, "shaky, sweaty or confused, tell staff now"));

  assert_true (hp_interpret_glucose_value (50, HP_FASTING_NO, &got));
  assert_non_null (strstr (got.next_step, "Eat or drink something sweet now"));
  assert_int_equal (got.emergency, HP_EMERGENCY_SIGNS_LOW_GLUCOSE);
  assert_true (hp_interpret_glucose_value (450, HP_FASTING_NO, &got));
  assert_int_equal (got.emergency, HP_EMERGENCY_SIGNS_HIGH_GLUCOSE);
  assert_true (hp_interpret_blood_pressure_values (190, 100, &got));
  assert_int_equal (got.emergency, HP_EMERGENCY_SIGNS_HIGH_BP);

  /* 60/35 with a pulse of 30 is never "normal for some people". */
  assert_true (hp_interpret_blood_pressure_values (60, 35, &got));
  assert_int_equal (got.urgency, HP_URGENCY_SEEK_CARE_NOW);
  assert_int_equal (got.emergency, HP_EMERGENCY_SIGNS_LOW_BP);
  assert_null (strstr (got.meaning, "can be normal"));
  assert_true (hp_interpret_blood_pressure_values (75, 50, &got));
  assert_null (strstr (got.meaning, "can be normal"));
  assert_true (hp_interpret_pulse_value (30, &got));
  assert_null (strstr (got.meaning, "can be normal"));
}

static void
test_every_string_is_translated (void **state)
{
  HpInterpretation all[64];
  gsize n = interpret_every_range (all, G_N_ELEMENTS (all));
  const char *localedir = g_getenv ("HEALTHPOST_LOCALEDIR");

  (void) state;
  assert_non_null (localedir);
  g_setenv ("LANGUAGE", "es", TRUE);
  assert_non_null (setlocale (LC_ALL, ""));
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  assert_string_not_equal (_(HP_INTERPRETATION_SCREENING_NOTE), HP_INTERPRETATION_SCREENING_NOTE);
  for (gsize i = 0; i < n; i++)
    {
      const char *strings[] = { all[i].title, all[i].meaning, all[i].next_step, all[i].source };

      for (gsize j = 0; j < G_N_ELEMENTS (strings); j++)
        if (g_strcmp0 (_(strings[j]), strings[j]) == 0)
          fail_msg ("No Spanish translation of \"%s\"", strings[j]);
    }
  g_unsetenv ("LANGUAGE");
}

static void
test_missing_values (void **state)
{
  g_autoptr(HpMeasurement) empty = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_PRESSURE);
  g_autoptr(HpMeasurement) systolic_only = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_PRESSURE);
  g_autoptr(HpMeasurement) unknown_unit = blood_pressure (120, 80, "mmHg");
  g_autoptr(HpMeasurement) no_glucose = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_GLUCOSE);
  g_autoptr(HpMeasurement) glucose_unknown_unit = glucose (100, "g/L");
  HpInterpretation got;
  const double not_readings[] = { 0, -120, NAN, INFINITY, -INFINITY, 1e300 };

  (void) state;
  hp_measurement_set_value (systolic_only, HP_QUANTITY_SYSTOLIC, 190, "mm[Hg]");

  assert_false (hp_interpret_blood_pressure (empty, &got));
  assert_false (hp_interpret_blood_pressure (systolic_only, &got));
  assert_false (hp_interpret_blood_pressure (unknown_unit, &got));
  assert_false (hp_interpret_pulse (empty, &got));
  assert_false (hp_interpret_pulse (systolic_only, &got));
  assert_false (hp_interpret_glucose (no_glucose, HP_FASTING_YES, &got));
  assert_false (hp_interpret_glucose (glucose_unknown_unit, HP_FASTING_NO, &got));

  for (gsize i = 0; i < G_N_ELEMENTS (not_readings); i++)
    {
      double bmi = -1;

      assert_false (hp_interpret_blood_pressure_values (not_readings[i], 80, &got));
      assert_false (hp_interpret_blood_pressure_values (120, not_readings[i], &got));
      assert_false (hp_interpret_pulse_value (not_readings[i], &got));
      assert_false (hp_interpret_glucose_value (not_readings[i], HP_FASTING_YES, &got));
      assert_false (hp_interpret_bmi (not_readings[i], 170, &bmi, &got));
      assert_false (hp_interpret_bmi (70, not_readings[i], &bmi, &got));
      /* Nothing is written on failure. */
      assert_float_equal (bmi, -1, 0);
    }
}

static void
test_highest_urgency (void **state)
{
  HpInterpretation visit[3];

  (void) state;
  assert_int_equal (hp_interpretation_highest_urgency (NULL, 0), HP_URGENCY_NONE);

  assert_true (hp_interpret_blood_pressure_values (115, 75, &visit[0]));
  assert_true (hp_interpret_bmi (70, 175, NULL, &visit[1]));
  assert_true (hp_interpret_glucose_value (90, HP_FASTING_YES, &visit[2]));
  assert_int_equal (hp_interpretation_highest_urgency (visit, 3), HP_URGENCY_NONE);

  assert_true (hp_interpret_bmi (95, 175, NULL, &visit[1]));
  assert_int_equal (hp_interpretation_highest_urgency (visit, 3), HP_URGENCY_CHECK);

  assert_true (hp_interpret_glucose_value (45, HP_FASTING_NO, &visit[2]));
  assert_int_equal (hp_interpretation_highest_urgency (visit, 3), HP_URGENCY_SEEK_CARE_NOW);
  /* Only the first @n count. */
  assert_int_equal (hp_interpretation_highest_urgency (visit, 2), HP_URGENCY_CHECK);

  assert_true (hp_interpret_blood_pressure_values (185, 100, &visit[0]));
  assert_int_equal (hp_interpretation_highest_urgency (visit, 1), HP_URGENCY_SEEK_CARE_NOW);
}

/* A visit reads its measurements with its own fasting answer and height. */
static void
test_visit_interprets_its_measurements (void **state)
{
  g_autoptr(HpVisit) visit = hp_visit_new ();
  g_autoptr(HpMeasurement) glucose = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_GLUCOSE);
  g_autoptr(HpMeasurement) after_meal = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_GLUCOSE);
  g_autoptr(HpMeasurement) weight = hp_measurement_new (HP_MEASUREMENT_KIND_BODY_WEIGHT);
  g_autoptr(HpMeasurement) bp = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_PRESSURE);
  HpInterpretation got = { 0 };
  double bmi = -1;

  (void) state;
  hp_measurement_set_value (glucose, HP_QUANTITY_BLOOD_GLUCOSE, 110, "mg/dL");
  hp_measurement_set_value (after_meal, HP_QUANTITY_BLOOD_GLUCOSE, 110, "mg/dL");
  hp_measurement_set_value (weight, HP_QUANTITY_BODY_WEIGHT, 90, "kg");
  hp_measurement_set_value (bp, HP_QUANTITY_SYSTOLIC, 185, "mm[Hg]");
  hp_measurement_set_value (bp, HP_QUANTITY_DIASTOLIC, 90, "mm[Hg]");

  /* 110 mg/dL is normal after a meal, prediabetes when fasting; each test
   * keeps the answer given before it, whatever is answered later. */
  assert_int_equal (hp_visit_get_fasting (visit), HP_FASTING_UNKNOWN);
  hp_visit_set_fasting (visit, HP_FASTING_YES);
  hp_visit_add_measurement (visit, glucose);
  assert_int_equal (hp_visit_get_measurement_fasting (visit, glucose), HP_FASTING_YES);
  assert_true (hp_visit_interpret (visit, glucose, NULL, &got));
  assert_int_equal (got.category, HP_CATEGORY_GLUCOSE_PREDIABETES);
  hp_visit_set_fasting (visit, HP_FASTING_NO);
  hp_visit_add_measurement (visit, after_meal);
  assert_int_equal (hp_visit_get_measurement_fasting (visit, after_meal), HP_FASTING_NO);
  assert_true (hp_visit_interpret (visit, after_meal, NULL, &got));
  assert_int_equal (got.category, HP_CATEGORY_GLUCOSE_NORMAL);
  /* The second answer changed nothing of the first reading. */
  assert_true (hp_visit_interpret (visit, glucose, NULL, &got));
  assert_int_equal (got.category, HP_CATEGORY_GLUCOSE_PREDIABETES);
  {
    g_autofree char *shown = NULL;
    const char *unit = NULL;

    /* 99.6 fasting is shown as 99, after a meal as 100. */
    hp_measurement_set_value (glucose, HP_QUANTITY_BLOOD_GLUCOSE, 99.6, "mg/dL");
    shown = hp_visit_format_value (visit, glucose, &unit);
    assert_string_equal (shown, "99");
  }
  hp_measurement_set_value (glucose, HP_QUANTITY_BLOOD_GLUCOSE, 110, "mg/dL");

  /* A weight means nothing without a height. */
  assert_false (hp_visit_interpret (visit, weight, &bmi, &got));
  assert_float_equal (bmi, -1, 0);
  assert_false (hp_visit_set_height_cm (visit, 49.9));
  assert_false (hp_visit_set_height_cm (visit, 250.1));
  assert_float_equal (hp_visit_get_height_cm (visit), 0, 0);
  assert_true (hp_visit_set_height_cm (visit, 180));
  assert_true (hp_visit_interpret (visit, weight, &bmi, &got));
  assert_float_equal (bmi, 90 / (1.8 * 1.8), 1e-9);
  assert_int_equal (got.category, HP_CATEGORY_BMI_OVERWEIGHT);
  assert_true (hp_visit_set_height_cm (visit, 0));
  assert_false (hp_visit_interpret (visit, weight, NULL, &got));

  assert_true (hp_visit_interpret (visit, bp, NULL, &got));
  assert_int_equal (got.category, HP_CATEGORY_BP_CRISIS);
  assert_int_equal (got.urgency, HP_URGENCY_SEEK_CARE_NOW);
}

static HpMeasurement *
pressure_with_pulse (double systolic,
                     double diastolic,
                     double pulse)
{
  HpMeasurement *m = blood_pressure (systolic, diastolic, "mm[Hg]");

  hp_measurement_set_value (m, HP_QUANTITY_PULSE_RATE, pulse, "/min");
  return m;
}

/* The pulse routes the visit too: 118/76 with a pulse of 190 is no green
 * tick, and the same pulse at the next measurement sends the patient to
 * care now. */
static void
test_visit_urgency_takes_the_pulse (void **state)
{
  g_autoptr(HpVisit) visit = hp_visit_new ();
  g_autoptr(HpMeasurement) first = pressure_with_pulse (118, 76, 190);
  g_autoptr(HpMeasurement) second = pressure_with_pulse (120, 78, 185);
  g_autoptr(HpMeasurement) calm = pressure_with_pulse (150, 95, 72);
  g_autoptr(HpMeasurement) glucose_only = glucose (100, "mg/dL");
  HpInterpretation got = { 0 };
  gboolean is_pulse = FALSE;
  double shown = 0;

  (void) state;
  hp_visit_add_measurement (visit, first);
  assert_true (hp_visit_interpret (visit, first, NULL, &got));
  assert_int_equal (got.urgency, HP_URGENCY_NONE);
  assert_true (hp_visit_interpret_urgent (visit, first, &got, &is_pulse));
  assert_true (is_pulse);
  assert_int_equal (got.category, HP_CATEGORY_PULSE_HIGH);
  assert_int_equal (got.urgency, HP_URGENCY_TELL_STAFF_NOW);

  hp_visit_add_measurement (visit, second);
  assert_true (hp_visit_interpret_pulse (visit, second, &got));
  assert_int_equal (got.urgency, HP_URGENCY_SEEK_CARE_NOW);
  /* The first is still read as it was: nothing came before it. */
  assert_true (hp_visit_interpret_pulse (visit, first, &got));
  assert_int_equal (got.urgency, HP_URGENCY_TELL_STAFF_NOW);

  /* A normal pulse leaves the pressure to decide. */
  hp_visit_add_measurement (visit, calm);
  assert_true (hp_visit_interpret_urgent (visit, calm, &got, &is_pulse));
  assert_false (is_pulse);
  assert_int_equal (got.category, HP_CATEGORY_BP_STAGE_2);
  assert_true (hp_visit_get_pulse (visit, calm, &shown));
  assert_float_equal (shown, 72, 0);

  assert_false (hp_visit_interpret_pulse (visit, glucose_only, &got));
  assert_false (hp_visit_get_pulse (visit, glucose_only, &shown));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_systolic_boundaries),
    cmocka_unit_test (test_diastolic_boundaries),
    cmocka_unit_test (test_higher_of_the_two),
    cmocka_unit_test (test_bp_decimal_values_as_shown),
    cmocka_unit_test (test_bp_in_kpa),
    cmocka_unit_test (test_pulse_boundaries),
    cmocka_unit_test (test_pulse_confirmed_by_repeat),
    cmocka_unit_test (test_bmi_boundaries),
    cmocka_unit_test (test_glucose_fasting_boundaries),
    cmocka_unit_test (test_glucose_not_fasting_boundaries),
    cmocka_unit_test (test_glucose_in_mmol_per_litre),
    cmocka_unit_test (test_every_category_has_words_icon_and_source),
    cmocka_unit_test (test_words_at_the_edges),
    cmocka_unit_test (test_meter_high_and_low),
    cmocka_unit_test (test_every_string_is_translated),
    cmocka_unit_test (test_missing_values),
    cmocka_unit_test (test_highest_urgency),
    cmocka_unit_test (test_visit_interprets_its_measurements),
    cmocka_unit_test (test_visit_urgency_takes_the_pulse),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
