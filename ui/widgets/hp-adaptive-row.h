/* A row of widgets that becomes two rows where the screen is too narrow for one. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HP_TYPE_ADAPTIVE_ROW (hp_adaptive_row_get_type ())
G_DECLARE_FINAL_TYPE (HpAdaptiveRow, hp_adaptive_row, HP, ADAPTIVE_ROW, GtkWidget)

/* The first child leads: it takes the start of the row, and whatever width
 * is left over once the others have theirs. The other children follow in
 * order, "spacing" pixels apart. Where even their smallest widths side by
 * side do not fit (a language with long words, a portrait screen, larger
 * text), the leading child takes a row of its own above the others, which
 * then sit at the second row's start, centre or end ("wrapped-halign").
 * No child is ever made narrower than its minimum, so buttons keep their
 * size and text its font. Right-to-left languages mirror both rows. */
GtkWidget *hp_adaptive_row_new                (void);

void       hp_adaptive_row_set_spacing        (HpAdaptiveRow *self,
                                               int            spacing);
int        hp_adaptive_row_get_spacing        (HpAdaptiveRow *self);
void       hp_adaptive_row_set_wrapped_halign (HpAdaptiveRow *self,
                                               GtkAlign       align);
GtkAlign   hp_adaptive_row_get_wrapped_halign (HpAdaptiveRow *self);

/* Whether the last allocation put the leading child on a row of its own. */
gboolean   hp_adaptive_row_get_wrapped        (HpAdaptiveRow *self);

G_END_DECLS
