/* A reading put into words for the patient's screens: its name, number, unit and category. */
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
hp_reading_text_value (HpMeasurement  *measurement,
                       const char    **unit)
{
  double first = 0, second = 0;

  g_return_val_if_fail (HP_IS_MEASUREMENT (measurement), NULL);
  g_return_val_if_fail (unit != NULL, NULL);

  *unit = NULL;
  /* The same precision as the result page, so the numbers never differ
   * from one screen to the next. */
  switch (hp_measurement_get_kind (measurement))
    {
    case HP_MEASUREMENT_KIND_BLOOD_PRESSURE:
      if (!hp_measurement_get_normalized_value (measurement, HP_QUANTITY_SYSTOLIC, &first) ||
          !hp_measurement_get_normalized_value (measurement, HP_QUANTITY_DIASTOLIC, &second))
        return NULL;
      /* TRANSLATORS: the unit of blood pressure, millimetres of mercury */
      *unit = _("mmHg");
      return g_strdup_printf ("%.0f/%.0f", first, second);
    case HP_MEASUREMENT_KIND_BODY_WEIGHT:
      if (!hp_measurement_get_normalized_value (measurement, HP_QUANTITY_BODY_WEIGHT, &first))
        return NULL;
      /* TRANSLATORS: the unit of weight, kilograms */
      *unit = _("kg");
      return g_strdup_printf ("%.1f", first);
    case HP_MEASUREMENT_KIND_BLOOD_GLUCOSE:
      if (!hp_measurement_get_normalized_value (measurement, HP_QUANTITY_BLOOD_GLUCOSE, &first))
        return NULL;
      /* TRANSLATORS: the unit of blood sugar, milligrams per decilitre */
      *unit = _("mg/dL");
      return g_strdup_printf ("%.0f", first);
    default:
      return NULL;
    }
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
hp_reading_text_icon_path (const HpInterpretation *interpretation)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (interpretation != NULL, NULL);

  if (interpretation->icon_name == NULL)
    return NULL;
  path = g_strdup_printf ("/org/healthpost/ui/icons/%s.svg", interpretation->icon_name);
  if (!g_resources_get_info (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL, NULL, NULL))
    return NULL;
  return g_steal_pointer (&path);
}
