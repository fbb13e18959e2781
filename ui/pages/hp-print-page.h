/* The printout before it is printed: its preview, the Print button, and how printing goes. */
#pragma once

#include "hp-kiosk-page.h"

G_BEGIN_DECLS

/* Where the printout is, as the patient needs to know it. */
typedef enum {
  HP_PRINTOUT_READY,    /* not printed yet */
  HP_PRINTOUT_PRINTING, /* on its way; a problem message may say what holds it */
  HP_PRINTOUT_PRINTED,  /* it came out */
  HP_PRINTOUT_FAILED,   /* it will not come out; the problem message says why */
} HpPrintoutState;

#define HP_PRINTOUT_STATE_LAST HP_PRINTOUT_FAILED

#define HP_TYPE_PRINT_PAGE (hp_print_page_get_type ())
G_DECLARE_FINAL_TYPE (HpPrintPage, hp_print_page, HP, PRINT_PAGE, HpKioskPage)

/* The printout drawn as it will come out; %NULL wipes it. Personal data. */
void            hp_print_page_set_preview     (HpPrintPage     *self,
                                               GdkTexture      *preview);
GdkTexture     *hp_print_page_get_preview     (HpPrintPage     *self);
/* @problem_message: what holds or stopped the printout, in English as
 * marked with N_() (the page translates it); %NULL or "" for nothing.
 * @copies_left: how many more copies the visit may print now; 0 takes the
 * Print button away.
 * @printer_busy: the printer is busy with someone else's printout: this one
 * waits for it, and the page says so instead of offering Print. */
void            hp_print_page_set_status      (HpPrintPage     *self,
                                               HpPrintoutState  state,
                                               const char      *problem_message,
                                               guint            copies_left,
                                               gboolean         printer_busy);
HpPrintoutState hp_print_page_get_state       (HpPrintPage     *self);

G_END_DECLS
