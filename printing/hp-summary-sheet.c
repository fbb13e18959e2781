/* The printed page's pen: one column of paragraphs, icons and a QR code, measured once, then drawn into a PDF. */
#include "hp-summary-sheet-private.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <glib/gi18n.h>
#include <librsvg/rsvg.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <string.h>

#include "hp-printing-resources.h"
#include "hp-summary-pdf.h"

/* The summary's error domain lives with the pen, the lower of the summary's files. */
G_DEFINE_QUARK (hp-summary-error-quark, hp_summary_error)

/* The screen's typeface first; DejaVu Sans also has Arabic letters, which
 * Cantarell lacks, so pango takes them from it. */
#define FONT_FAMILY "Cantarell, DejaVu Sans, sans-serif"
#define ICON_PATH_FORMAT "/org/healthpost/printing/icons/%s.svg"
/* A QR code needs four empty modules around it to be read. */
#define QR_QUIET_MODULES 4
/* The longest page a PDF reader is sure to open (200 inches). */
#define PAGE_MAX_POINTS 14400.0
/* Narrower than this, two columns would squeeze the words. */
#define COLUMNS_MIN_WIDTH 360.0

/* The value's font comes after the public styles. */
#define STYLE_VALUE (HP_SHEET_STYLE_SMALL + 1)
#define N_FONTS (STYLE_VALUE + 1)

struct _HpSheet
{
  const HpSheetGeometry *geometry;
  gboolean right_to_left;
  PangoContext *pango;
  PangoFontDescription *fonts[N_FONTS];
  /* NULL while measuring. */
  cairo_t *cr;
  /* The column things are put down in: the page's, or one of two. */
  double column_x;
  double column_width;
  double y;
  guint page;
  /* Known once the document has been measured. */
  guint n_pages;
  GError *error;
};

static gboolean
is_paged (HpSheet *self)
{
  return self->geometry->height > 0;
}

static double
page_bottom (HpSheet *self)
{
  return self->geometry->height - self->geometry->margin_bottom;
}

static double
content_width (HpSheet *self)
{
  return self->geometry->width - 2 * self->geometry->margin_side;
}

void
hp_sheet_fail (HpSheet *self,
               GError  *error)
{
  if (self->error == NULL)
    self->error = error;
  else
    g_error_free (error);
}

double
hp_sheet_gap (HpSheet *self)
{
  return self->geometry->gap;
}

/* Where a box of @width that starts @offset from the column's start
 * edge lies, mirrored for a right-to-left language. */
static double
start_x (HpSheet *self,
         double   offset,
         double   width)
{
  if (self->right_to_left)
    return self->column_x + self->column_width - offset - width;
  return self->column_x + offset;
}

static PangoLayout *
new_layout (HpSheet      *self,
            guint         font,
            HpSheetAlign  align,
            double        width,
            const char   *text)
{
  PangoLayout *layout = pango_layout_new (self->pango);
  PangoAlignment alignment;

  /* The page's direction holds for every paragraph, even one that starts
   * with a number or a Latin name, so that the lines of a card line up. */
  pango_layout_set_auto_dir (layout, FALSE);
  pango_layout_set_font_description (layout, self->fonts[font]);
  pango_layout_set_width (layout, pango_units_from_double (MAX (width, 1)));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  if (align == HP_SHEET_ALIGN_CENTER)
    alignment = PANGO_ALIGN_CENTER;
  else
    alignment = self->right_to_left ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT;
  pango_layout_set_alignment (layout, alignment);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int height = 0;

  pango_layout_get_size (layout, NULL, &height);
  return pango_units_to_double (height);
}

static void
draw_layout (HpSheet     *self,
             PangoLayout *layout,
             double       x,
             double       y)
{
  if (self->cr == NULL)
    return;
  cairo_set_source_rgb (self->cr, 0, 0, 0);
  cairo_move_to (self->cr, x, y);
  pango_cairo_show_layout (self->cr, layout);
}

/* Lays out and draws @layout across the column at the pen, and moves the
 * pen below it. */
static void
put_layout (HpSheet     *self,
            PangoLayout *layout)
{
  draw_layout (self, layout, self->column_x, self->y);
  self->y += layout_height (layout);
}

void
hp_sheet_text (HpSheet      *self,
               HpSheetStyle  style,
               HpSheetAlign  align,
               const char   *text)
{
  g_autoptr(PangoLayout) layout = NULL;

  if (self->error != NULL || text == NULL)
    return;
  layout = new_layout (self, style, align, self->column_width, text);
  put_layout (self, layout);
}

void
hp_sheet_labelled_text (HpSheet    *self,
                        const char *label,
                        const char *text)
{
  g_autofree char *paragraph = NULL;
  g_autoptr(PangoLayout) layout = NULL;
  PangoAttrList *attributes;
  PangoAttribute *bold;

  if (self->error != NULL)
    return;
  paragraph = g_strconcat (label, " ", text, NULL);
  layout = new_layout (self, HP_SHEET_STYLE_BODY, HP_SHEET_ALIGN_START, self->column_width, paragraph);
  attributes = pango_attr_list_new ();
  bold = pango_attr_weight_new (PANGO_WEIGHT_BOLD);
  bold->start_index = 0;
  bold->end_index = strlen (label);
  pango_attr_list_insert (attributes, bold);
  pango_layout_set_attributes (layout, attributes);
  pango_attr_list_unref (attributes);
  put_layout (self, layout);
}

void
hp_sheet_value (HpSheet    *self,
                const char *value,
                const char *unit)
{
  g_autofree char *line = NULL;
  g_autoptr(PangoLayout) layout = NULL;
  PangoAttrList *attributes;
  PangoAttribute *size, *weight;
  gsize unit_start;

  if (self->error != NULL)
    return;
  line = g_strconcat (value, " ", unit, NULL);
  unit_start = strlen (value);
  layout = new_layout (self, STYLE_VALUE, HP_SHEET_ALIGN_START, self->column_width, line);
  /* The number is what the doctor looks for; the unit is small beside it. */
  attributes = pango_attr_list_new ();
  size = pango_attr_size_new (pango_units_from_double (self->geometry->heading_size));
  size->start_index = unit_start;
  weight = pango_attr_weight_new (PANGO_WEIGHT_NORMAL);
  weight->start_index = unit_start;
  pango_attr_list_insert (attributes, size);
  pango_attr_list_insert (attributes, weight);
  pango_layout_set_attributes (layout, attributes);
  pango_attr_list_unref (attributes);
  put_layout (self, layout);
}

/* The category icons are the screen's own SVG files, compiled into the
 * printing library's resources so that printing needs nothing of ui/. */
static GBytes *
lookup_icon (const char *icon_name)
{
  g_autofree char *path = g_strdup_printf (ICON_PATH_FORMAT, icon_name);

  return g_resource_lookup_data (hp_printing_get_resource (), path,
                                 G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
}

gboolean
hp_sheet_has_icon (const char *icon_name)
{
  g_autoptr(GBytes) svg = NULL;

  g_return_val_if_fail (icon_name != NULL, FALSE);
  svg = lookup_icon (icon_name);
  return svg != NULL;
}

static void
draw_icon (HpSheet    *self,
           const char *icon_name,
           double      x,
           double      y)
{
  g_autoptr(GBytes) svg = NULL;
  g_autoptr(GError) local_error = NULL;
  RsvgHandle *handle;
  RsvgRectangle viewport = { x, y, self->geometry->icon_size, self->geometry->icon_size };
  gsize size = 0;
  const guint8 *data;

  if (self->cr == NULL)
    return;
  svg = lookup_icon (icon_name);
  if (svg == NULL)
    return;
  data = g_bytes_get_data (svg, &size);
  handle = rsvg_handle_new_from_data (data, size, &local_error);
  if (handle != NULL)
    {
      rsvg_handle_render_document (handle, self->cr, &viewport, &local_error);
      g_object_unref (handle);
    }
  if (local_error != NULL)
    hp_sheet_fail (self, g_error_new (HP_SUMMARY_ERROR, HP_SUMMARY_ERROR_RENDER,
                                      "the icon %s could not be drawn: %s",
                                      icon_name, local_error->message));
}

void
hp_sheet_icon_text (HpSheet    *self,
                    const char *icon_name,
                    const char *text)
{
  const double icon = self->geometry->icon_size;
  const double pad = self->geometry->gap / 2;
  g_autoptr(PangoLayout) layout = NULL;
  double text_width, text_height, height;
  gboolean has_icon;

  if (self->error != NULL)
    return;
  /* A category the printing resources have no icon for keeps its words,
   * as on the screen. */
  has_icon = icon_name != NULL && hp_sheet_has_icon (icon_name);
  if (!has_icon)
    {
      hp_sheet_text (self, HP_SHEET_STYLE_BODY_BOLD, HP_SHEET_ALIGN_START, text);
      return;
    }

  text_width = self->column_width - icon - pad;
  layout = new_layout (self, HP_SHEET_STYLE_BODY_BOLD, HP_SHEET_ALIGN_START, text_width, text);
  text_height = layout_height (layout);
  height = MAX (icon, text_height);
  draw_icon (self, icon_name, start_x (self, 0, icon), self->y + (height - icon) / 2);
  draw_layout (self, layout, start_x (self, icon + pad, text_width), self->y + (height - text_height) / 2);
  self->y += height;
}

void
hp_sheet_icon_row (HpSheet            *self,
                   const char * const *icon_names)
{
  const double icon = self->geometry->icon_size;
  const double pad = self->geometry->gap;
  double offset = 0;

  if (self->error != NULL)
    return;
  for (gsize i = 0; icon_names[i] != NULL; i++)
    {
      if (!hp_sheet_has_icon (icon_names[i]))
        continue;
      draw_icon (self, icon_names[i], start_x (self, offset, icon), self->y);
      offset += icon + pad;
    }
  self->y += icon;
}

void
hp_sheet_framed_text (HpSheet    *self,
                      const char *text)
{
  const double line = 1.5;
  const double pad = self->geometry->gap / 2 + line;
  g_autoptr(PangoLayout) layout = NULL;
  double height;

  if (self->error != NULL)
    return;
  layout = new_layout (self, HP_SHEET_STYLE_BODY_BOLD, HP_SHEET_ALIGN_CENTER,
                       self->column_width - 2 * pad, text);
  height = layout_height (layout) + 2 * pad;
  if (self->cr != NULL)
    {
      cairo_set_source_rgb (self->cr, 0, 0, 0);
      cairo_set_line_width (self->cr, line);
      cairo_rectangle (self->cr, self->column_x + line / 2, self->y + line / 2,
                       self->column_width - line, height - line);
      cairo_stroke (self->cr);
    }
  draw_layout (self, layout, self->column_x + pad, self->y + pad);
  self->y += height;
}

/* Fills every dark module of @code as one path: neighbouring squares filled
 * together leave no hairline seams for a scanner to trip on. */
static void
draw_qr_modules (HpSheet      *self,
                 const QRcode *code,
                 double        x,
                 double        y,
                 double        module)
{
  cairo_t *cr = self->cr;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, x, y, self->geometry->qr_size, self->geometry->qr_size);
  cairo_fill (cr);

  cairo_set_source_rgb (cr, 0, 0, 0);
  for (int row = 0; row < code->width; row++)
    {
      int column = 0;

      while (column < code->width)
        {
          int run = 0;

          while (column + run < code->width && (code->data[row * code->width + column + run] & 1))
            run++;
          if (run > 0)
            {
              cairo_rectangle (cr,
                               x + (QR_QUIET_MODULES + column) * module,
                               y + (QR_QUIET_MODULES + row) * module,
                               run * module, module);
              column += run;
            }
          else
            column++;
        }
    }
  cairo_fill (cr);
}

static void
put_lines (HpSheet            *self,
           const char * const *lines,
           gsize               n_lines,
           HpSheetAlign        align)
{
  for (gsize i = 0; i < n_lines; i++)
    {
      if (i > 0)
        self->y += self->geometry->gap / 2;
      hp_sheet_text (self, HP_SHEET_STYLE_BODY, align, lines[i]);
    }
}

void
hp_sheet_qr_code (HpSheet            *self,
                  const char         *payload,
                  const char * const *lines,
                  gsize               n_lines)
{
  const double qr = self->geometry->qr_size;
  const double gap = self->geometry->gap;
  QRcode *code;
  double module, qr_x, top;

  if (self->error != NULL)
    return;
  /* Medium error correction survives a smudge or a fold in the paper. */
  code = QRcode_encodeString (payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (code == NULL)
    {
      int saved_errno = errno;

      hp_sheet_fail (self, g_error_new (HP_SUMMARY_ERROR, HP_SUMMARY_ERROR_RENDER,
                                        "the QR code could not be made: %s",
                                        g_strerror (saved_errno)));
      return;
    }
  module = qr / (code->width + 2 * QR_QUIET_MODULES);
  top = self->y;

  if (self->column_width >= 2.5 * qr)
    {
      double saved_x = self->column_x, saved_width = self->column_width;

      qr_x = start_x (self, 0, qr);
      /* The words beside the code, in what is left of the column. */
      self->column_width = saved_width - qr - gap;
      if (!self->right_to_left)
        self->column_x = saved_x + qr + gap;
      put_lines (self, lines, n_lines, HP_SHEET_ALIGN_START);
      self->column_x = saved_x;
      self->column_width = saved_width;
      self->y = MAX (self->y, top + qr);
    }
  else
    {
      qr_x = self->column_x + (self->column_width - qr) / 2;
      self->y += qr + gap / 2;
      put_lines (self, lines, n_lines, HP_SHEET_ALIGN_CENTER);
    }

  if (self->cr != NULL && self->error == NULL)
    draw_qr_modules (self, code, qr_x, top, module);
  QRcode_free (code);
}

void
hp_sheet_rule (HpSheet *self)
{
  const double gap = self->geometry->gap;

  if (self->error != NULL)
    return;
  if (self->cr != NULL)
    {
      cairo_set_source_rgb (self->cr, 0, 0, 0);
      cairo_set_line_width (self->cr, 0.75);
      cairo_move_to (self->cr, self->column_x, self->y + gap / 2);
      cairo_line_to (self->cr, self->column_x + self->column_width, self->y + gap / 2);
      cairo_stroke (self->cr);
    }
  self->y += gap;
}

void
hp_sheet_space (HpSheet *self,
                double   points)
{
  self->y += points;
}

/* "Page 1 of 2" in the bottom margin, only when there is more than one. */
static void
draw_page_number (HpSheet *self)
{
  g_autofree char *text = NULL;
  g_autoptr(PangoLayout) layout = NULL;

  if (self->cr == NULL || !is_paged (self) || self->n_pages < 2)
    return;
  /* TRANSLATORS: the page number at the foot of a printed summary */
  text = g_strdup_printf (_("Page %u of %u"), self->page + 1, self->n_pages);
  layout = new_layout (self, HP_SHEET_STYLE_SMALL, HP_SHEET_ALIGN_CENTER, content_width (self), text);
  draw_layout (self, layout, self->geometry->margin_side, page_bottom (self) + self->geometry->gap);
}

static void
next_page (HpSheet *self)
{
  draw_page_number (self);
  if (self->cr != NULL)
    cairo_show_page (self->cr);
  self->page++;
  self->y = self->geometry->margin_top;
}

void
hp_sheet_keep_together (HpSheet            *self,
                        HpSheetComposeFunc  part,
                        gconstpointer       data)
{
  if (self->error != NULL)
    return;

  if (is_paged (self) && self->y > self->geometry->margin_top)
    {
      cairo_t *cr = self->cr;
      double top = self->y;

      /* Measure the part where it would go, then put it there or on a new
       * page. A part taller than a whole page is put down anyway. */
      self->cr = NULL;
      part (self, data);
      self->cr = cr;
      if (self->y > page_bottom (self))
        {
          self->y = top;
          next_page (self);
        }
      else
        self->y = top;
    }
  part (self, data);
}

void
hp_sheet_columns (HpSheet            *self,
                  double              start_fraction,
                  HpSheetComposeFunc  start_part,
                  HpSheetComposeFunc  end_part,
                  gconstpointer       data)
{
  double saved_x = self->column_x, saved_width = self->column_width;
  double gap = self->geometry->gap, top = self->y, start_width, end_width, start_bottom;

  if (self->error != NULL)
    return;
  if (saved_width < COLUMNS_MIN_WIDTH)
    {
      start_part (self, data);
      end_part (self, data);
      return;
    }

  start_width = floor ((saved_width - gap) * start_fraction);
  end_width = saved_width - gap - start_width;

  self->column_x = start_x (self, 0, start_width);
  self->column_width = start_width;
  start_part (self, data);
  start_bottom = self->y;

  self->y = top;
  /* start_x() measures from the whole column's edges. */
  self->column_x = saved_x;
  self->column_width = saved_width;
  self->column_x = start_x (self, start_width + gap, end_width);
  self->column_width = end_width;
  end_part (self, data);

  self->column_x = saved_x;
  self->column_width = saved_width;
  self->y = MAX (self->y, start_bottom);
}

static void
start_document (HpSheet *self)
{
  self->page = 0;
  self->y = self->geometry->margin_top;
  self->column_x = self->geometry->margin_side;
  self->column_width = content_width (self);
}

static void
hp_sheet_clear (HpSheet *self)
{
  for (guint i = 0; i < N_FONTS; i++)
    g_clear_pointer (&self->fonts[i], pango_font_description_free);
  g_clear_object (&self->pango);
  g_clear_error (&self->error);
}

static void
hp_sheet_init (HpSheet               *self,
               const HpSheetGeometry *geometry,
               gboolean               right_to_left)
{
  const struct { guint font; double size; PangoWeight weight; } faces[] = {
    { HP_SHEET_STYLE_TITLE, geometry->title_size, PANGO_WEIGHT_BOLD },
    { HP_SHEET_STYLE_HEADING, geometry->heading_size, PANGO_WEIGHT_BOLD },
    { HP_SHEET_STYLE_BODY, geometry->body_size, PANGO_WEIGHT_NORMAL },
    { HP_SHEET_STYLE_BODY_BOLD, geometry->body_size, PANGO_WEIGHT_BOLD },
    { HP_SHEET_STYLE_SMALL, geometry->small_size, PANGO_WEIGHT_NORMAL },
    { STYLE_VALUE, geometry->value_size, PANGO_WEIGHT_BOLD },
  };
  cairo_font_options_t *options;

  memset (self, 0, sizeof *self);
  self->geometry = geometry;
  self->right_to_left = right_to_left;

  /* One point per pango pixel, and no hinting: the page is laid out the
   * same whatever the printer's resolution. */
  self->pango = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  pango_cairo_context_set_resolution (self->pango, 72);
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (self->pango, options);
  cairo_font_options_destroy (options);
  pango_context_set_base_dir (self->pango, right_to_left ? PANGO_DIRECTION_RTL : PANGO_DIRECTION_LTR);

  for (gsize i = 0; i < G_N_ELEMENTS (faces); i++)
    {
      PangoFontDescription *font = pango_font_description_from_string (FONT_FAMILY);

      pango_font_description_set_size (font, pango_units_from_double (faces[i].size));
      pango_font_description_set_weight (font, faces[i].weight);
      self->fonts[faces[i].font] = font;
    }
}

static cairo_status_t
append_to_pdf (void                *closure,
               const unsigned char *data,
               unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
check_cairo (cairo_status_t   status,
             GError         **error)
{
  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;
  g_set_error (error, HP_SUMMARY_ERROR, HP_SUMMARY_ERROR_RENDER,
               "the PDF could not be drawn: %s", cairo_status_to_string (status));
  return FALSE;
}

GBytes *
hp_sheet_render_pdf (const HpSheetGeometry  *geometry,
                     gboolean                right_to_left,
                     const char             *title,
                     GDateTime              *created_at,
                     HpSheetComposeFunc      compose,
                     gconstpointer           data,
                     GError                **error)
{
  HpSheet sheet;
  g_autoptr(GByteArray) pdf = NULL;
  g_autofree char *created = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  double height;

  g_return_val_if_fail (geometry != NULL, NULL);
  g_return_val_if_fail (compose != NULL, NULL);
  g_return_val_if_fail (created_at != NULL, NULL);

  hp_sheet_init (&sheet, geometry, right_to_left);

  /* First pass: how many pages, and how long a receipt. */
  start_document (&sheet);
  compose (&sheet, data);
  if (sheet.error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&sheet.error));
      hp_sheet_clear (&sheet);
      return NULL;
    }
  sheet.n_pages = sheet.page + 1;
  height = geometry->height > 0 ? geometry->height : ceil (sheet.y + geometry->margin_bottom);
  if (height > PAGE_MAX_POINTS)
    {
      g_set_error_literal (error, HP_SUMMARY_ERROR, HP_SUMMARY_ERROR_RENDER,
                           "the summary is too long for one strip of paper");
      hp_sheet_clear (&sheet);
      return NULL;
    }

  pdf = g_byte_array_new ();
  surface = cairo_pdf_surface_create_for_stream (append_to_pdf, pdf, geometry->width, height);
  /* Only what says what the document is: nothing of the patient. */
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Healthpost");
  created = g_date_time_format (created_at, "%Y-%m-%dT%H:%M:%S%:z");
  if (created != NULL)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, created);

  /* Second pass: the same things, drawn. */
  sheet.cr = cairo_create (surface);
  start_document (&sheet);
  compose (&sheet, data);
  draw_page_number (&sheet);
  cairo_show_page (sheet.cr);
  status = cairo_status (sheet.cr);
  cairo_destroy (sheet.cr);
  sheet.cr = NULL;
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (sheet.error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&sheet.error));
      hp_sheet_clear (&sheet);
      return NULL;
    }
  hp_sheet_clear (&sheet);
  if (!check_cairo (status, error))
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&pdf));
}
