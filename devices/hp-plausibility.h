/* Physiological limits: a decoded reading outside them is a device or protocol fault, never a result. */
#pragma once

#include "hp-measurement.h"

G_BEGIN_DECLS

/* TRUE when every value of @measurement lies within the limits for its
 * quantity (in canonical units) and the values agree with each other
 * (systolic above diastolic, mean between them). Otherwise FALSE with
 * HP_DEVICE_ERROR_IMPLAUSIBLE naming the quantity and the limits, never
 * the value itself. */
gboolean hp_plausibility_check (HpMeasurement  *measurement,
                                GError        **error);

/* The limits for @quantity in hp_quantity_get_canonical_unit()'s unit. */
void     hp_plausibility_get_limits (HpQuantity  quantity,
                                     double     *minimum,
                                     double     *maximum);

G_END_DECLS
