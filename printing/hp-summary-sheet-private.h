/* The printed page's pen: paragraphs, category icons and a QR code set down one column, measured before they are drawn. */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

/* The measures of one paper, in PDF points (1/72 inch). */
typedef struct {
  double width;
  /* 0 for continuous paper: the page is as long as what is on it. */
  double height;
  double margin_side;
  double margin_top;
  double margin_bottom;
  /* Type sizes, from the title down. */
  double title_size;
  double heading_size;
  double value_size;
  double body_size;
  double small_size;
  double icon_size;
  double qr_size;
  /* Room between the parts of the page. */
  double gap;
} HpSheetGeometry;

typedef enum {
  HP_SHEET_STYLE_TITLE,
  HP_SHEET_STYLE_HEADING,
  HP_SHEET_STYLE_BODY,
  HP_SHEET_STYLE_BODY_BOLD,
  HP_SHEET_STYLE_SMALL,
} HpSheetStyle;

typedef enum {
  HP_SHEET_ALIGN_START,   /* left in a left-to-right language, right otherwise */
  HP_SHEET_ALIGN_CENTER,
} HpSheetAlign;

typedef struct _HpSheet HpSheet;

/* Puts down a whole document, or one part of it that must not be split
 * across pages. It runs twice or more with the same @data: while measuring
 * and while drawing; it must put down the same things each time. */
typedef void (*HpSheetComposeFunc) (HpSheet       *sheet,
                                    gconstpointer  data);

/* Lays out and draws the document @compose puts down as a PDF, with
 * @title as its only metadata beside the creator and @created_at.
 * Errors are HP_SUMMARY_ERROR_RENDER (or the first error a part of the
 * document raised). */
GBytes  *hp_sheet_render_pdf       (const HpSheetGeometry *geometry,
                                    gboolean               right_to_left,
                                    const char            *title,
                                    GDateTime             *created_at,
                                    HpSheetComposeFunc     compose,
                                    gconstpointer          data,
                                    GError               **error);

/* Puts down @part on one page: on paper of fixed size it starts a new page
 * first when the rest of this one is too short for it. */
void     hp_sheet_keep_together    (HpSheet               *self,
                                    HpSheetComposeFunc     part,
                                    gconstpointer          data);

/* Puts down @start_part in a column of @start_fraction of the width at the
 * start side and @end_part beside it; one after the other on paper too
 * narrow for two columns. */
void     hp_sheet_columns          (HpSheet               *self,
                                    double                 start_fraction,
                                    HpSheetComposeFunc     start_part,
                                    HpSheetComposeFunc     end_part,
                                    gconstpointer          data);

void     hp_sheet_text             (HpSheet               *self,
                                    HpSheetStyle           style,
                                    HpSheetAlign           align,
                                    const char            *text);
/* "@label @text" as one paragraph, the label in bold. */
void     hp_sheet_labelled_text    (HpSheet               *self,
                                    const char            *label,
                                    const char            *text);
/* A number big and bold with its unit beside it, smaller. */
void     hp_sheet_value            (HpSheet               *self,
                                    const char            *value,
                                    const char            *unit);
/* An icon of the printing resources (or none when @icon_name is %NULL)
 * at the start of the line, with @text in bold beside it. */
void     hp_sheet_icon_text        (HpSheet               *self,
                                    const char            *icon_name,
                                    const char            *text);
/* Whether the printing resources hold the icon called @icon_name. */
gboolean hp_sheet_has_icon         (const char            *icon_name);
/* Each of @icon_names, side by side from the start of the line. */
void     hp_sheet_icon_row         (HpSheet               *self,
                                    const char * const    *icon_names);
/* @text in bold inside a frame across the column. */
void     hp_sheet_framed_text      (HpSheet               *self,
                                    const char            *text);
/* A QR code of @payload, with the @n_lines of @lines beside it when the
 * column is wide enough and below it when not. */
void     hp_sheet_qr_code          (HpSheet               *self,
                                    const char            *payload,
                                    const char * const    *lines,
                                    gsize                  n_lines);
void     hp_sheet_rule             (HpSheet               *self);
void     hp_sheet_space            (HpSheet               *self,
                                    double                 points);
/* The gap of the geometry. */
double   hp_sheet_gap              (HpSheet               *self);
/* Keeps @error (the first one only) and lets nothing more be put down;
 * the render then fails with it. Takes ownership of @error. */
void     hp_sheet_fail             (HpSheet               *self,
                                    GError                *error);

G_END_DECLS
