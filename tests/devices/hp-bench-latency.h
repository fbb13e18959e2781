/* For device benchmarks: the time from the last bytes any transport delivered to "measurement-ready". */
#pragma once

#include "hp-device.h"

G_BEGIN_DECLS

typedef HpDevice *(*HpBenchMakeDevice) (void);

/* Takes @runs readings, each from a fresh device made by @make (a fresh
 * simulator gives one new reading), timing from the last "received" of any
 * HpTransport before "measurement-ready"; prints p50, p99 and max under
 * @what. FALSE (with a message on stderr) when a reading fails. */
gboolean hp_bench_reading_latency (const char        *what,
                                   HpBenchMakeDevice  make,
                                   guint              runs);

G_END_DECLS
