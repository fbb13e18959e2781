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

/* Whether @loaded holds what hp_crash_visit_new() made for its id: the
 * same measurements, kinds and values, in order. Never fails the test
 * itself, for callers that count what is missing. */
gboolean  hp_crash_visit_matches  (HpVisit    *loaded);

/* Writes @line whole to standard output with write(2): once it returns,
 * the test can read it even if the process is killed the next instant. */
gboolean  hp_crash_report         (const char *line);

G_END_DECLS
