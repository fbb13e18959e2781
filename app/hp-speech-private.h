/* Spoken guidance: what tests and benchmarks may see of its pipeline. */
#pragma once

#include <gst/gst.h>

#include "hp-speech.h"

G_BEGIN_DECLS

/* The sink element built from the sink description (the element itself
 * when the description names one), once the pipeline is built; %NULL
 * before that and while it cannot be built. */
GstElement *hp_speech_get_sink (HpSpeech *self);

G_END_DECLS
