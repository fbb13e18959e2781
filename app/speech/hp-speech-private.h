/* Spoken guidance: what tests and benchmarks may see of its pipeline. */
#pragma once

#include <gst/gst.h>

#include "hp-speech.h"

G_BEGIN_DECLS

/* The sink element built from the sink description (the element itself
 * when the description names one), once the pipeline is built; %NULL
 * before that and while it cannot be built. */
GstElement *hp_speech_get_sink (HpSpeech *self);

/* How long the voice program may send nothing while it reads before it is
 * taken as stuck, ended and started again (10 s unless set). The program
 * is the one $HEALTHPOST_VOICE_PROGRAM names when the speech object is
 * made, or else the installed healthpost-voice. */
void hp_speech_set_voice_timeout (HpSpeech *self,
                                  guint     timeout_ms);

G_END_DECLS
