/* The actions the window's buttons activate in the "visit" group, which HpApplication provides. */
#pragma once

/* The group, and an action's full name for gtk_widget_activate_action()
 * and gtk_actionable_set_action_name(): HP_VISIT_DETAILED (HP_VISIT_ACTION_BEGIN). */
#define HP_VISIT_ACTIONS "visit"
#define HP_VISIT_DETAILED(name) HP_VISIT_ACTIONS "." name

#define HP_VISIT_ACTION_BEGIN                "begin" /* the attract page is touched */
#define HP_VISIT_ACTION_CHOOSE               "choose" /* "s": a measurement kind to take */
#define HP_VISIT_ACTION_CHOOSE_LANGUAGE      "choose-language" /* "s": a language code */
#define HP_VISIT_ACTION_CONSENT              "consent" /* "b": agreeing leads on; declining ends the visit with nothing kept */
#define HP_VISIT_ACTION_IDENTIFY             "identify" /* "b": with a personal code (TRUE) or anonymous */
#define HP_VISIT_ACTION_ENTER                "enter" /* "s": the digits typed on the keypad */
#define HP_VISIT_ACTION_HEIGHT               "height" /* "d": a height in cm */
#define HP_VISIT_ACTION_BACK                 "back" /* one page back */
#define HP_VISIT_ACTION_REMEMBER_ME          "remember-me" /* on the offer of an anonymous visit: a code for next time */
#define HP_VISIT_ACTION_START_MEASUREMENT    "start-measurement" /* the patient is ready */
#define HP_VISIT_ACTION_CANCEL_MEASUREMENT   "cancel-measurement" /* the measuring page's cancel */
#define HP_VISIT_ACTION_FASTING              "fasting" /* "s": "fasting" or "eaten" */
#define HP_VISIT_ACTION_AGE                  "age" /* "b": the answer to "Are you 18 or older?" */
#define HP_VISIT_ACTION_MEASURE_ANOTHER      "measure-another" /* another measurement */
#define HP_VISIT_ACTION_FINISH               "finish" /* the visit is done */
#define HP_VISIT_ACTION_START_OVER           "start-over" /* back to the start */
#define HP_VISIT_ACTION_STILL_HERE           "still-here" /* any touch: restarts the quiet-time clock, dismisses the warning */
#define HP_VISIT_ACTION_CALL_CLINICIAN       "call-clinician" /* "Talk to a clinician" */
#define HP_VISIT_ACTION_SEE_RESULT           "see-result" /* from the crisis page on to the result of the same reading */
#define HP_VISIT_ACTION_PRINT_RESULTS        "print-results" /* "Print my results": the preview */
#define HP_VISIT_ACTION_SEND_TO_PRINTER      "send-to-printer" /* the print page's Print */
#define HP_VISIT_ACTION_NEXT_LANGUAGE        "next-language" /* the language button: the next language */
