/* Times as the store keeps them: microseconds since 1970 in UTC. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @time as microseconds since 1970-01-01 00:00 UTC. */
gint64     hp_time_to_usec   (GDateTime *time);

/* The UTC time @usec microseconds from 1970-01-01 00:00 (before it when
 * negative); %NULL when GDateTime cannot hold it. */
GDateTime *hp_time_from_usec (gint64     usec);

G_END_DECLS
