/* A visit's summary made ready to print: the PDF for the printer and its picture for the screen. */
#pragma once

#include <gtk/gtk.h>

#include "hp-summary-pdf.h"

G_BEGIN_DECLS

typedef struct {
  GBytes     *pdf;
  GdkTexture *preview;   /* the first page, as the patient sees it before printing */
  char       *visit_id;
} HpPrintout;

/* Renders @visit's summary for @paper in the current message language
 * (@language names it, for its direction) and draws its first page for
 * the screen. The QR code and the printed code are the visit's personal
 * code, when it has one. Personal data: the printout is kept only while its page is shown. */
HpPrintout *hp_printout_new  (HpVisit     *visit,
                              const char  *language,
                              const char  *location,
                              HpPaper      paper,
                              GError     **error);
void        hp_printout_free (HpPrintout  *printout);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HpPrintout, hp_printout_free)

G_END_DECLS
