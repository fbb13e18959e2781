/* A reading put into words, the same on the patient's screens and the printed summary. */
#include "hp-reading-text.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

const char *
hp_reading_text_kind_name (HpMeasurementKind kind)
{
  switch (kind)
    {
    case HP_MEASUREMENT_KIND_BLOOD_PRESSURE:
      return _("Blood pressure");
    case HP_MEASUREMENT_KIND_BODY_WEIGHT:
      return _("Weight");
    case HP_MEASUREMENT_KIND_BLOOD_GLUCOSE:
      return _("Blood sugar");
    default:
      return "";
    }
}

char *
hp_reading_text_value (HpVisit        *visit,
                       HpMeasurement  *measurement,
                       const char    **unit)
{
  const char *unit_msgid = NULL;
  char *value;

  g_return_val_if_fail (unit != NULL, NULL);

  value = hp_visit_format_value (visit, measurement, &unit_msgid);
  *unit = unit_msgid != NULL ? _(unit_msgid) : NULL;
  return value;
}

char *
hp_reading_text_spoken_value (HpVisit       *visit,
                              HpMeasurement *measurement)
{
  double systolic = 0, diastolic = 0;

  g_return_val_if_fail (HP_IS_VISIT (visit), NULL);
  g_return_val_if_fail (HP_IS_MEASUREMENT (measurement), NULL);

  if (hp_measurement_get_kind (measurement) != HP_MEASUREMENT_KIND_BLOOD_PRESSURE ||
      !hp_measurement_get_normalized_value (measurement, HP_QUANTITY_SYSTOLIC, &systolic) ||
      !hp_measurement_get_normalized_value (measurement, HP_QUANTITY_DIASTOLIC, &diastolic))
    return NULL;
  /* TRANSLATORS: a blood pressure read aloud, systolic then diastolic,
   * both whole numbers, as people say it: "131 over 84". The screen shows
   * "131/84", which a speech synthesizer may read as a date or a fraction. */
  return g_strdup_printf (_("%.0f over %.0f"), hp_interpret_shown_value (HP_SCALE_SYSTOLIC, systolic),
                          hp_interpret_shown_value (HP_SCALE_DIASTOLIC, diastolic));
}

gboolean
hp_reading_text_interpret (HpVisit          *visit,
                           HpMeasurement    *measurement,
                           HpInterpretation *out)
{
  g_return_val_if_fail (HP_IS_VISIT (visit), FALSE);
  g_return_val_if_fail (HP_IS_MEASUREMENT (measurement), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  return hp_visit_interpret (visit, measurement, NULL, out);
}

char *
hp_reading_text_pulse_value (HpVisit        *visit,
                             HpMeasurement  *measurement,
                             const char    **unit)
{
  double pulse = 0;

  g_return_val_if_fail (HP_IS_VISIT (visit), NULL);
  g_return_val_if_fail (HP_IS_MEASUREMENT (measurement), NULL);
  g_return_val_if_fail (unit != NULL, NULL);

  *unit = NULL;
  if (!hp_visit_get_pulse (visit, measurement, &pulse))
    return NULL;
  *unit = _("beats per minute");
  return g_strdup_printf ("%.0f", pulse);
}

const char *
hp_reading_text_pulse_name (void)
{
  return _("Pulse");
}

const char *
hp_reading_text_weight_note (void)
{
  return _("Clothes and shoes add a little.");
}

const char *
hp_reading_text_bmi_note (HpMeasurement *measurement)
{
  g_return_val_if_fail (HP_IS_MEASUREMENT (measurement), NULL);

  if (hp_measurement_get_flags (measurement) & HP_MEASUREMENT_FLAG_UNDER_18)
    return NULL;
  return _("If you are pregnant, these ranges do not apply.");
}

const char *
hp_reading_text_fasting_note (HpFasting fasting)
{
  switch (fasting)
    {
    case HP_FASTING_YES:
      return _("Before eating: nothing in 8 hours.");
    case HP_FASTING_NO:
      return _("After eating in the last 8 hours.");
    case HP_FASTING_UNKNOWN:
    default:
      return NULL;
    }
}
