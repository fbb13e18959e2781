/* The visits test-crash-safety's writer commits: each one rebuilt exactly from its run and number, so the test knows what every stored visit must hold. */
#pragma once

#include "hp-store.h"

G_BEGIN_DECLS

/* Run @run's visit number @n, id "crash-RUN-N", with 1 to 4 measurements. */
HpVisit  *hp_crash_visit_new      (guint       run,
                                   guint       n);
/* Parses an id made by hp_crash_visit_new(). */
gboolean  hp_crash_visit_parse_id (const char *id,
                                   guint      *run,
                                   guint      *n);

G_END_DECLS
