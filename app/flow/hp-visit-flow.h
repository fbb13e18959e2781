/* The visit flow controller: moves one patient's visit from step to step. */
#pragma once

#include <glib-object.h>

#include "hp-device-manager.h"
#include "hp-interpretation.h"
#include "hp-store.h"
#include "hp-visit.h"
#include "hp-visit-problem.h"

G_BEGIN_DECLS

typedef enum {
  HP_VISIT_STEP_ATTRACT,
  HP_VISIT_STEP_LANGUAGE,       /* which language the visit speaks */
  HP_VISIT_STEP_CONSENT,        /* what is kept, for how long, who sees it */
  HP_VISIT_STEP_IDENTIFY,       /* anonymous, or a returning patient's code */
  HP_VISIT_STEP_ENTER_CODE,     /* the personal code from an earlier printout */
  HP_VISIT_STEP_ENTER_PIN,      /* its PIN; checked in the background */
  HP_VISIT_STEP_AGE,            /* 18 or older? asked once a visit, before any reading */
  HP_VISIT_STEP_CHOOSE,
  HP_VISIT_STEP_HEIGHT,         /* before the weight: for a body-mass index */
  HP_VISIT_STEP_FASTING,        /* glucose only: has the patient eaten? */
  HP_VISIT_STEP_INSTRUCTIONS,
  HP_VISIT_STEP_MEASURING,
  HP_VISIT_STEP_CRISIS,         /* a reading that needs care now, before its result */
  HP_VISIT_STEP_RESULT,
  HP_VISIT_STEP_SUMMARY,        /* every reading of the visit, and what to do next */
  HP_VISIT_STEP_OFFER_CODE,     /* an anonymous patient: a personal code for next time? */
  HP_VISIT_STEP_NEW_PIN,        /* "remember me": the patient picks a PIN */
  HP_VISIT_STEP_CONFIRM_PIN,    /* and types it again */
  HP_VISIT_STEP_CODE_CREATED,   /* their new personal code, to keep */
  HP_VISIT_STEP_PRINT,          /* the summary as it will be printed, and printing it */
  HP_VISIT_STEP_PROBLEM,
  HP_VISIT_STEP_GOODBYE,
  HP_VISIT_STEP_OUT_OF_SERVICE,
} HpVisitStep;

typedef struct {
  guint idle_ms;          /* quiet time before "Are you still there?" */
  guint countdown_ticks;  /* how many ticks the warning counts down */
  guint tick_ms;          /* length of one countdown tick */
  guint goodbye_ms;       /* how long the goodbye screen stays */
} HpVisitTimings;

/* How many earlier visits of a returning patient are read for trends. */
#define HP_VISIT_FLOW_HISTORY_LENGTH 10

#define HP_TYPE_VISIT_FLOW (hp_visit_flow_get_type ())
G_DECLARE_FINAL_TYPE (HpVisitFlow, hp_visit_flow, HP, VISIT_FLOW, GObject)

/* @store may be %NULL when the database cannot be opened: the kiosk is then
 * out of service (HP_VISIT_PROBLEM_OUT_OF_SERVICE) until staff repair it. */
HpVisitFlow      *hp_visit_flow_new                (HpStore              *store,
                                                    HpDeviceManager      *devices,
                                                    const HpVisitTimings *timings);

HpVisitStep       hp_visit_flow_get_step           (HpVisitFlow *self);
/* The visit in progress, or %NULL on the attract screen. */
HpVisit          *hp_visit_flow_get_visit          (HpVisitFlow *self);
HpMeasurementKind hp_visit_flow_get_kind           (HpVisitFlow *self);
/* What the patient said about eating before the glucose test of this visit. */
HpFasting         hp_visit_flow_get_fasting        (HpVisitFlow *self);
HpVisitProblem    hp_visit_flow_get_problem        (HpVisitFlow *self);
HpMeasurementPhase hp_visit_flow_get_phase         (HpVisitFlow *self);
/* How soon the patient should act on @measurement, read against what they
 * said about eating in this visit; for blood pressure, the more urgent of
 * the pressure and the pulse. From HP_URGENCY_TELL_STAFF_NOW on, the visit
 * goes to the crisis step. */
HpUrgency         hp_visit_flow_get_urgency        (HpVisitFlow   *self,
                                                    HpMeasurement *measurement);
/* Why the last code or PIN was not taken; cleared by the next step. */
HpEntryError      hp_visit_flow_get_entry_error    (HpVisitFlow *self);
/* TRUE while a code or PIN is being checked or a code made: the page waits. */
gboolean          hp_visit_flow_get_busy           (HpVisitFlow *self);
/* A returning patient's earlier visits (HpVisit, newest first), or %NULL. */
GPtrArray        *hp_visit_flow_get_history        (HpVisitFlow *self);
/* The personal code made for this patient on the code-created step.
 * Personal data: never log it. */
const char       *hp_visit_flow_get_new_code       (HpVisitFlow *self);
gboolean          hp_visit_flow_get_warning_active (HpVisitFlow *self);
guint             hp_visit_flow_get_seconds_left   (HpVisitFlow *self);
const char       *hp_visit_flow_get_language       (HpVisitFlow *self);

/* Events. Each returns %FALSE, changing nothing, when it does not apply to
 * the current step. */
gboolean hp_visit_flow_begin              (HpVisitFlow       *self);
/* Whether a visit starts with the language step (FALSE where the kiosk
 * offers a single language). */
void     hp_visit_flow_set_ask_language   (HpVisitFlow       *self,
                                           gboolean           ask_language);
/* On the language step: the language of the visit, then consent. */
gboolean hp_visit_flow_choose_language    (HpVisitFlow       *self,
                                           const char        *language);
/* On the consent step: agreeing leads on; declining ends the visit with
 * nothing kept. */
gboolean hp_visit_flow_consent            (HpVisitFlow       *self,
                                           gboolean           agree);
/* On the identify step: without a code (anonymous), or with one. */
gboolean hp_visit_flow_identify           (HpVisitFlow       *self,
                                           gboolean           with_code);
/* On the code, PIN, new-PIN and confirm-PIN steps: what was typed. */
gboolean hp_visit_flow_enter              (HpVisitFlow       *self,
                                           const char        *digits);
/* On the height step: the height in cm, or 0 to go on without one. */
gboolean hp_visit_flow_enter_height       (HpVisitFlow       *self,
                                           double             height_cm);
/* From a step that asks for a code, PIN or height, or from the print
 * preview, back to the one before. */
gboolean hp_visit_flow_back               (HpVisitFlow       *self);
/* On the offer of an anonymous visit: make a personal code for next time. */
gboolean hp_visit_flow_remember_me        (HpVisitFlow       *self);
gboolean hp_visit_flow_choose             (HpVisitFlow       *self,
                                           HpMeasurementKind  kind);
/* The answer to "Are you 18 or older?"; then the choice of measurement. */
gboolean hp_visit_flow_answer_age         (HpVisitFlow       *self,
                                           gboolean           adult);
/* On the fasting step: the answer, which leads on to the instructions. */
gboolean hp_visit_flow_answer_fasting     (HpVisitFlow       *self,
                                           HpFasting          fasting);
gboolean hp_visit_flow_start_measurement  (HpVisitFlow       *self);
gboolean hp_visit_flow_cancel_measurement (HpVisitFlow       *self);
/* From a result (or a problem) back to the choice, keeping the visit. */
gboolean hp_visit_flow_measure_another    (HpVisitFlow       *self);
/* From a result, or from the choice once something was measured: on to the
 * summary. From the summary: saves the visit and says goodbye, after an
 * anonymous patient was offered a personal code. */
gboolean hp_visit_flow_finish             (HpVisitFlow       *self);
/* From the summary or the code-created step to the printout's preview;
 * back (hp_visit_flow_back()) returns to the step it came from. */
gboolean hp_visit_flow_print              (HpVisitFlow       *self);
/* From the crisis step on to the result of the same reading. */
gboolean hp_visit_flow_see_result         (HpVisitFlow       *self);
gboolean hp_visit_flow_start_over         (HpVisitFlow       *self);
/* Any touch: restarts the quiet-time clock and dismisses the warning. */
void     hp_visit_flow_user_activity      (HpVisitFlow       *self);
void     hp_visit_flow_set_language       (HpVisitFlow       *self,
                                           const char        *language);

const char *hp_visit_step_to_string       (HpVisitStep        step);

G_END_DECLS
