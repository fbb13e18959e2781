/* The on-screen number pad: patients have no keyboard, so every number they give is typed here. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HP_KEYPAD_ERROR (hp_keypad_error_quark ())

typedef enum /*< prefix=HP_KEYPAD_ERROR >*/ {
  HP_KEYPAD_ERROR_OUT_OF_RANGE,   /* a number outside what the question allows */
} HpKeypadError;

GQuark hp_keypad_error_quark (void);

/* The longest number the pad takes: a staff PIN or a personal code fits. */
#define HP_KEYPAD_MAX_DIGITS 16

#define HP_TYPE_KEYPAD (hp_keypad_get_type ())
G_DECLARE_FINAL_TYPE (HpKeypad, hp_keypad, HP, KEYPAD, GtkWidget)

/* Digits 0-9, Delete and Done. Every number a patient types is whole (a
 * height in centimetres, feet or inches, a PIN, a personal code), so the pad
 * has no decimal separator. The rows read 1-2-3 from the left in right-to-left
 * languages too, as on phones; only Delete and Done swap sides there, so that
 * Done stays where every page puts its primary button.
 *
 * Properties: "value" (the digits, read-only), "masked" (dots instead of
 * digits, for PINs), "max-length", "min-length", "min-value", "max-value".
 * "submitted" is emitted when Done is pressed and the value is valid; an
 * invalid one gets a message under the display instead. */
HpKeypad   *hp_keypad_new            (void);

/* The digits typed so far; valid until the next change of the value. */
const char *hp_keypad_get_value      (HpKeypad   *self);
/* The value as a number; FALSE while nothing is typed. */
gboolean    hp_keypad_get_number     (HpKeypad   *self,
                                      guint      *number);

void        hp_keypad_set_masked     (HpKeypad   *self,
                                      gboolean    masked);
gboolean    hp_keypad_get_masked     (HpKeypad   *self);
void        hp_keypad_set_max_length (HpKeypad   *self,
                                      guint       max_length);
guint       hp_keypad_get_max_length (HpKeypad   *self);
void        hp_keypad_set_min_length (HpKeypad   *self,
                                      guint       min_length);
guint       hp_keypad_get_min_length (HpKeypad   *self);
/* The allowed range of the number; a PIN leaves it at 0..G_MAXUINT. */
void        hp_keypad_set_range      (HpKeypad   *self,
                                      guint       min_value,
                                      guint       max_value);

/* Wipes the value from the pad, its buffer and its display, and hides any
 * message: a visit's end leaves nothing of the patient on it. */
void        hp_keypad_clear          (HpKeypad   *self);

/* Heights given in feet and inches, typed on two pads one after the other:
 * @feet 1..8 and @inches 0..11, rounded to whole centimetres. */
gboolean    hp_keypad_feet_inches_to_cm (guint    feet,
                                         guint    inches,
                                         guint   *centimetres,
                                         GError **error);

G_END_DECLS
