/* Replaying captures kept in the tree (tests/devices/captures/) through a driver. */
#pragma once

#include "hp-replay.h"

G_BEGIN_DECLS

/* The text of tests/devices/captures/@name ("real/…" for a real one). */
char          *hp_test_read_capture (const char *name);

/* hp_replay_capture() on capture text, which must parse; @info as there. */
HpMeasurement *hp_test_replay_text  (const HpDriver        *driver,
                                     const HpUsbDeviceInfo *info,
                                     const char            *text,
                                     GPtrArray      *differences,
                                     GError        **error);

G_END_DECLS
