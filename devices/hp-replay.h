/* Decoding a capture: the unmodified driver talks to a far end that answers with the recorded device's messages. */
#pragma once

#include "hp-capture.h"
#include "hp-driver.h"

G_BEGIN_DECLS

/* Replays @messages (from hp_capture_parse()) to a device that @driver
 * makes for @info (%NULL: the driver's first USB match), exactly as a plugged-in device is read: the driver opens its link,
 * starts a measurement and sends its requests; the device's messages that
 * open the capture arrive when the link opens, and each request the driver
 * sends is answered with the device messages that followed the same request
 * in the capture. Requests are the same when their significant bytes are
 * (HpDriver.replay_significant), so a capture recorded from another host
 * (the vendor's software, another project's reader) that pads, repeats or
 * adds requests still replays; where the two hosts differ is added to
 * @differences (strings naming capture lines) when it is not %NULL.
 *
 * Returns the reading the driver gives. Otherwise %NULL with
 * HP_CAPTURE_ERROR_DECODE: the driver's own error after the capture line
 * it last heard ("line L: …"), a request of the driver the capture never
 * answers, or the capture ending before a reading. */
HpMeasurement *hp_replay_capture (const HpDriver        *driver,
                                  const HpUsbDeviceInfo *info,
                                  GPtrArray             *messages,
                                  GPtrArray             *differences,
                                  GError               **error);

/* How long a silent driver is waited for once the replay has sent all it
 * can before the next request (1500 ms); fuzzers shorten it. */
void           hp_replay_set_silence_ms (guint silence_ms);

/* The default HpReplaySignificantFunc: everything but trailing zero bytes,
 * which captures leave out of fixed-size reports. */
gsize          hp_replay_significant_without_padding (const guint8 *request,
                                                      gsize         len);

G_END_DECLS
