/* Where the picture of a reading's category is, among the window's resources. */
#pragma once

#include "hp-interpretation.h"

G_BEGIN_DECLS

/* The resource path of the category's picture, or %NULL when the window has none. */
char *hp_category_icon_path (const HpInterpretation *interpretation);

G_END_DECLS
