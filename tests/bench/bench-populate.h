/* Fills a store quickly for the benchmarks: visits of 2 to 4 measurements, written without waiting for the disk. */
#pragma once

#include "hp-store.h"

G_BEGIN_DECLS

/* Commits @n_visits visits to @store; FALSE with a message on stderr. */
gboolean hp_bench_populate (HpStore *store,
                            guint    n_visits);

/* Peak resident set since the last hp_bench_reset_peak_rss(), in KiB, or
 * -1 where /proc does not say. */
gint64   hp_bench_peak_rss_kib  (void);
void     hp_bench_reset_peak_rss (void);

G_END_DECLS
