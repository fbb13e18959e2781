/* The digit patterns that make a PIN easy to guess, shared by patients' and staff PINs. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when each of the @len digits of @pin is the same step (mod 10, as a
 * keypad row wraps from 9 to 0) above the digit @stride places before;
 * with @any_step FALSE only steps of one up or down count: "1234", "8765",
 * "7890". With @any_step a step of 0 counts too, and 2, 3…: "0000", "1357". */
gboolean hp_pin_steps_evenly   (const char      *pin,
                                gsize            len,
                                gsize            stride,
                                gboolean         any_step);
/* TRUE when @pin's first @period digits are shown at least twice over:
 * "0000" (1), "1212" and "12121" (2), "123123" (3). */
gboolean hp_pin_repeats        (const char      *pin,
                                gsize            len,
                                gsize            period);

G_END_DECLS
