/* The kiosk window: a top bar that is always there, and one page at a time. */
#pragma once

#include <gtk/gtk.h>

#include "hp-entry-page.h"
#include "hp-interpretation.h"
#include "hp-measurement.h"
#include "hp-print-page.h"
#include "hp-problem-page.h"
#include "hp-visit.h"
#include "hp-visit-problem.h"

G_BEGIN_DECLS

typedef enum {
  HP_PAGE_ATTRACT,
  HP_PAGE_LANGUAGE,
  HP_PAGE_CONSENT,
  HP_PAGE_IDENTIFY,
  HP_PAGE_ENTRY,        /* a code, a PIN or a height on the keypad */
  HP_PAGE_AGE,          /* 18 or older? */
  HP_PAGE_CHOOSE,
  HP_PAGE_BP_INSTRUCTIONS,
  HP_PAGE_WEIGHT_INSTRUCTIONS,
  HP_PAGE_GLUCOSE_INSTRUCTIONS,
  HP_PAGE_FASTING,
  HP_PAGE_MEASURING,
  HP_PAGE_RESULT,
  HP_PAGE_CRISIS,
  HP_PAGE_SUMMARY,
  HP_PAGE_OFFER_CODE,   /* a personal code for next time? */
  HP_PAGE_CODE,         /* a new personal code to keep */
  HP_PAGE_PRINT,        /* the printout's preview, and printing it */
  HP_PAGE_PROBLEM,
  HP_PAGE_GOODBYE,
} HpPage;

#define HP_PAGE_LAST HP_PAGE_GOODBYE

#define HP_TYPE_WINDOW (hp_window_get_type ())
G_DECLARE_FINAL_TYPE (HpWindow, hp_window, HP, WINDOW, GtkApplicationWindow)

/* Buttons activate actions of the "visit" group, which the owner of the
 * window inserts: begin, choose(s), start-measurement, cancel-measurement,
 * finish, start-over, still-here, call-clinician, next-language,
 * measure-another, age(b: TRUE for 18 or older), fasting(s: "eaten" or
 * "fasting"), see-result,
 * print-results, choose-language(s), consent(b), identify(b: with a code),
 * enter(s: digits), height(d: cm, 0 for none), back, remember-me,
 * send-to-printer (the print page's Print). Any touch or key press emits
 * "user-activity". */
HpWindow   *hp_window_new                 (GtkApplication     *application);

void        hp_window_show_page           (HpWindow           *self,
                                           HpPage              page);
HpPage      hp_window_get_page            (HpWindow           *self);
/* The widget of @page, for tests and screenshots. */
GtkWidget  *hp_window_get_page_widget     (HpWindow           *self,
                                           HpPage              page);

void        hp_window_set_available_kinds (HpWindow           *self,
                                           gboolean            blood_pressure,
                                           gboolean            body_weight,
                                           gboolean            blood_glucose);
/* Offers "I am done" on the choice once the visit has something to save. */
void        hp_window_set_can_finish      (HpWindow           *self,
                                           gboolean            can_finish);
/* What is being measured: the measuring and problem pages speak of its device. */
void        hp_window_set_kind            (HpWindow           *self,
                                           HpMeasurementKind   kind);
void        hp_window_set_phase           (HpWindow           *self,
                                           HpMeasurementPhase  phase);
/* The reading the result page shows, read as a part of @visit. */
void        hp_window_set_measurement     (HpWindow           *self,
                                           HpVisit            *visit,
                                           HpMeasurement      *measurement);
/* HP_VISIT_PROBLEM_OUT_OF_SERVICE also hides the step and the way back
 * to the start. */
void        hp_window_set_problem         (HpWindow           *self,
                                           HpVisitProblem      problem);
/* The reading that needs care now, and the number to call; %NULL clears it. */
void        hp_window_set_crisis          (HpWindow           *self,
                                           HpVisit            *visit,
                                           HpMeasurement      *measurement,
                                           const char         *emergency_number);
/* Every reading of @visit for the summary; %NULL clears them. */
void        hp_window_set_summary         (HpWindow           *self,
                                           HpVisit            *visit);
/* The languages offered on the language page, by code and own name. */
void        hp_window_set_languages       (HpWindow           *self,
                                           const char * const *codes,
                                           const char * const *native_names);
/* How long visits are kept, for the consent page. */
void        hp_window_set_retention_days  (HpWindow           *self,
                                           guint               days);
/* What the keypad page asks, why the last answer was not taken, and
 * whether it is being checked. */
void        hp_window_set_entry           (HpWindow           *self,
                                           HpEntryKind         kind,
                                           HpEntryError        error,
                                           gboolean            busy);
/* A new personal code to show; %NULL wipes it. */
void        hp_window_set_new_code        (HpWindow           *self,
                                           const char         *code);
/* Whether the kiosk has a printer: without one no page offers to print. */
void        hp_window_set_can_print       (HpWindow           *self,
                                           gboolean            can_print);
/* Whether a clinician call can be made now: without one no page offers,
 * or speaks of, a call. */
void        hp_window_set_can_call        (HpWindow           *self,
                                           gboolean            can_call);
/* The print page: the printout as it will come out (%NULL wipes it), and
 * how printing it goes (see hp_print_page_set_status()). */
void        hp_window_set_printout        (HpWindow           *self,
                                           GdkTexture         *preview,
                                           HpPrintoutState     state,
                                           const char         *problem_message,
                                           guint               copies_left,
                                           gboolean            printer_busy);
/* Whether the visit's printout is still coming out as the patient says
 * goodbye: the goodbye page asks them to wait for it. */
void        hp_window_set_printout_on_its_way (HpWindow       *self,
                                               gboolean        on_its_way);
/* A returning patient's earlier visits (HpVisit, newest first) for the
 * result page's trend chart; %NULL for none. */
void        hp_window_set_history         (HpWindow           *self,
                                           GPtrArray          *history);
/* 0 hides the "Are you still there?" warning. */
void        hp_window_set_inactivity_warning (HpWindow        *self,
                                              guint            seconds_left);
gboolean    hp_window_get_inactivity_warning_visible (HpWindow *self);
/* A short message with an OK button, over the page. */
void        hp_window_show_notice         (HpWindow           *self,
                                           const char         *text);
/* The name of the language the language button switches to. */
void        hp_window_set_next_language   (HpWindow           *self,
                                           const char         *native_name);

/* The top bar's display settings, one tap each: about 1.3 times larger
 * type, and a black, white and yellow theme. Both end with the visit. */
void        hp_window_set_large_text      (HpWindow           *self,
                                           gboolean            large_text);
gboolean    hp_window_get_large_text      (HpWindow           *self);
void        hp_window_set_high_contrast   (HpWindow           *self,
                                           gboolean            high_contrast);
gboolean    hp_window_get_high_contrast   (HpWindow           *self);
/* Audio guidance, also one tap in the top bar: while it is on the window
 * emits "speak" (const char *text) with the words now on screen: a new
 * page whole, then what changes on it, the inactivity warning and a
 * notice as they appear. Its volume steps from 0 (normal) to
 * HP_WINDOW_AUDIO_VOLUME_MAX; both end with the visit. */
#define HP_WINDOW_AUDIO_VOLUME_MAX 2
void        hp_window_set_audio_guidance  (HpWindow           *self,
                                           gboolean            audio_guidance);
gboolean    hp_window_get_audio_guidance  (HpWindow           *self);
void        hp_window_set_audio_volume    (HpWindow           *self,
                                           guint               volume);
guint       hp_window_get_audio_volume    (HpWindow           *self);
/* Takes over @previous's display settings, and the result page's view,
 * when a new window replaces it (a change of language), unless the visit
 * ended meanwhile. */
void        hp_window_carry_display       (HpWindow           *self,
                                           HpWindow           *previous);

/* Renders the window as it is now into a PNG file. */
gboolean    hp_window_save_screenshot     (HpWindow           *self,
                                           const char         *path,
                                           GError            **error);

/* Loads the kiosk's style sheet for @display, once. */
void        hp_ui_init_style              (GdkDisplay         *display);

G_END_DECLS
