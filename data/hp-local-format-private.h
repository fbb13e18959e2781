/* The date pattern filler behind hp_local_format_date(), open to its fuzzer. */
#pragma once

#include "hp-local-format.h"

G_BEGIN_DECLS

/* Fills @pattern's %1$d with @day (as the language writes the day of a
 * month: "1er" for the first in French), %2$s with @month and, when @with_year,
 * %3$d with @year (%% is a percent sign). %NULL when @pattern is not a
 * date pattern: one that leaves out the day or the month (or the year
 * when @with_year), names a part twice, or holds any other directive. */
char *hp_local_format_expand_date_pattern (const char *pattern,
                                           const char *day,
                                           const char *month,
                                           int         year,
                                           gboolean    with_year);

G_END_DECLS
