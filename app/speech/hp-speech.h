/* Spoken guidance: the kiosk reads its screens aloud through eSpeak NG and GStreamer. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The steps a patient can choose; each is about 4 dB above the one before. */
typedef enum {
  HP_SPEECH_VOLUME_NORMAL,
  HP_SPEECH_VOLUME_LOUDER,
  HP_SPEECH_VOLUME_LOUDEST,
} HpSpeechVolume;

#define HP_SPEECH_VOLUME_LAST HP_SPEECH_VOLUME_LOUDEST

#define HP_TYPE_SPEECH (hp_speech_get_type ())
G_DECLARE_FINAL_TYPE (HpSpeech, hp_speech, HP, SPEECH, GObject)

/* @sink is a GStreamer sink description ("autoaudiosink",
 * "alsasink device=hw:1"); @normal_gain is the level of the normal step,
 * from 0.01 to 1 of full scale. Nothing of GStreamer is loaded here: that
 * waits for the first utterance, or hp_speech_prepare(). */
HpSpeech       *hp_speech_new         (const char      *sink,
                                       double           normal_gain);

/* Off, say() is silent and anything being said stops. */
void            hp_speech_set_enabled (HpSpeech        *self,
                                       gboolean         enabled);
gboolean        hp_speech_get_enabled (HpSpeech        *self);
/* Applies to what is being said at once. */
void            hp_speech_set_volume  (HpSpeech        *self,
                                       HpSpeechVolume   volume);
HpSpeechVolume  hp_speech_get_volume  (HpSpeech        *self);
/* Replaces the sink; the next utterance plays through it. */
void            hp_speech_set_sink    (HpSpeech        *self,
                                       const char      *sink);

/* Says @text with the voice for @language (en, es, fr or ar), cutting off
 * whatever is being said. Returns at once; a failure is logged for staff
 * (never with the text, which may hold results) and the kiosk stays silent. */
void            hp_speech_say         (HpSpeech        *self,
                                       const char      *text,
                                       const char      *language);
void            hp_speech_stop        (HpSpeech        *self);
/* TRUE from say() until the utterance has played, failed or been stopped. */
gboolean        hp_speech_get_speaking (HpSpeech       *self);
/* The end of a visit: silence, audio off and the normal volume. */
void            hp_speech_reset       (HpSpeech        *self);

/* Loads GStreamer and builds the pipeline on a worker thread, so that the
 * first utterance starts sooner; say() does the same when needed. */
void            hp_speech_prepare     (HpSpeech        *self);

/* The voice that speaks @language; %NULL when there is none. */
const char     *hp_speech_voice_for_language (const char *language);

G_END_DECLS
