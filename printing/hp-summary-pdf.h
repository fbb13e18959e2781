/* The printed visit summary: a PDF for the receipt printer or an office printer, and its preview. */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "hp-visit.h"

G_BEGIN_DECLS

#define HP_SUMMARY_ERROR (hp_summary_error_quark ())

typedef enum {
  HP_SUMMARY_ERROR_NO_RESULTS, /* the visit has no reading the kiosk can print */
  HP_SUMMARY_ERROR_INVALID,    /* an input cannot be printed: not UTF-8, too long, a bad page or scale */
  HP_SUMMARY_ERROR_RENDER,     /* drawing failed (out of memory, a page too long) */
  HP_SUMMARY_ERROR_PDF,        /* the bytes to preview are not a PDF that can be read */
} HpSummaryError;

GQuark hp_summary_error_quark (void);

typedef enum {
  HP_PAPER_RECEIPT_80MM, /* thermal roll, 80 mm wide, as long as the summary */
  HP_PAPER_LETTER,       /* 8.5 × 11 inches */
  HP_PAPER_A4,
} HpPaper;

#define HP_PAPER_LAST HP_PAPER_A4

/* "receipt-80mm", "letter" or "a4". */
const char *hp_paper_to_string   (HpPaper     paper);
gboolean    hp_paper_from_string (const char *str,
                                  HpPaper    *paper);

/* The longest text the kiosk location and the QR token may be, in bytes. */
#define HP_SUMMARY_LOCATION_MAX 256
#define HP_SUMMARY_QR_TOKEN_MAX 256

typedef struct {
  HpVisit    *visit;
  /* The kiosk's place, as staff configured it; %NULL or "" for none. */
  const char *location;
  /* What the QR code carries: an opaque token or the personal code, never
   * a health value. Printable ASCII; %NULL or "" for no QR code. */
  const char *qr_token;
  /* Mirror the page for a right-to-left language. */
  gboolean    right_to_left;
  /* When the summary is printed (the PDF's creation date); %NULL for now. */
  GDateTime  *printed_at;
} HpSummaryInput;

/* The summary of @input's visit laid out for @paper: each reading big with
 * its unit, its category in words with the screen's icon, what it means,
 * what to do, the screening note, and the personal code and QR code when
 * there are. Words are in the current message language; the caller
 * switches to the visit's language first. The PDF embeds its fonts and its
 * metadata says nothing of the patient.
 *
 * Fails with HP_SUMMARY_ERROR_NO_RESULTS when the visit has no reading to
 * print and HP_SUMMARY_ERROR_INVALID for text that cannot be printed. */
GBytes *hp_summary_render_pdf       (const HpSummaryInput *input,
                                     HpPaper               paper,
                                     GError              **error);

/* A page for staff to try a printer with: the kiosk's location, the date,
 * a sample of the type and icons, and a QR code of a fixed text. Nothing
 * of any patient. */
GBytes *hp_summary_render_test_page (HpPaper               paper,
                                     const char           *location,
                                     GError              **error);

/* What a phone reads from the test page's QR code. */
#define HP_SUMMARY_TEST_PAGE_QR_TEXT "HEALTHPOST PRINTER TEST"

/* Page @page (from 0) of @pdf drawn on white at @pixels_per_point (1.0:
 * 72 pixels per inch), for a preview on screen. Fails with
 * HP_SUMMARY_ERROR_PDF for bytes that are not a readable PDF and
 * HP_SUMMARY_ERROR_INVALID for a page it does not have or a scale that
 * would make an image over 8192 pixels a side. */
cairo_surface_t *hp_summary_render_preview (GBytes   *pdf,
                                            guint     page,
                                            double    pixels_per_point,
                                            GError  **error);

G_END_DECLS
