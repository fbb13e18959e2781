/* The print preview: a page of the summary's own PDF drawn to an image, so the screen shows exactly what prints. */
#include "hp-summary-pdf.h"

#include <math.h>
#include <poppler.h>

/* Larger than any screen the kiosk drives, small enough to allocate. */
#define PREVIEW_MAX_PIXELS 8192.0

/* Draws @page of @document; the caller checked that it has it. */
static cairo_surface_t *
render_page (PopplerDocument  *document,
             guint             page,
             double            pixels_per_point,
             GError          **error)
{
  PopplerPage *poppler_page = poppler_document_get_page (document, (int) page);
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  double width = 0, height = 0, pixels_wide, pixels_high;

  if (poppler_page == NULL)
    {
      g_set_error (error, HP_SUMMARY_ERROR, HP_SUMMARY_ERROR_PDF,
                   "page %u of the summary cannot be read", page + 1);
      return NULL;
    }

  poppler_page_get_size (poppler_page, &width, &height);
  pixels_wide = ceil (width * pixels_per_point);
  pixels_high = ceil (height * pixels_per_point);
  if (!(pixels_wide >= 1 && pixels_high >= 1 &&
        pixels_wide <= PREVIEW_MAX_PIXELS && pixels_high <= PREVIEW_MAX_PIXELS))
    {
      g_set_error (error, HP_SUMMARY_ERROR, HP_SUMMARY_ERROR_INVALID,
                   "a preview of %.0f × %.0f pixels is not possible; at most %.0f a side",
                   pixels_wide, pixels_high, PREVIEW_MAX_PIXELS);
      g_object_unref (poppler_page);
      return NULL;
    }

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) pixels_wide, (int) pixels_high);
  cr = cairo_create (surface);
  /* Paper is white; a PDF page has no background of its own. */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, pixels_per_point, pixels_per_point);
  poppler_page_render (poppler_page, cr);
  status = cairo_status (cr);
  cairo_destroy (cr);
  g_object_unref (poppler_page);
  cairo_surface_flush (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, HP_SUMMARY_ERROR, HP_SUMMARY_ERROR_RENDER,
                   "the preview could not be drawn: %s", cairo_status_to_string (status));
      cairo_surface_destroy (surface);
      return NULL;
    }
  return surface;
}

cairo_surface_t *
hp_summary_render_preview (GBytes   *pdf,
                           guint     page,
                           double    pixels_per_point,
                           GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  PopplerDocument *document;
  cairo_surface_t *surface = NULL;
  int n_pages;

  g_return_val_if_fail (pdf != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!isfinite (pixels_per_point) || pixels_per_point <= 0)
    {
      g_set_error_literal (error, HP_SUMMARY_ERROR, HP_SUMMARY_ERROR_INVALID,
                           "the preview's scale must be a number above zero");
      return NULL;
    }

  document = poppler_document_new_from_bytes (pdf, NULL, &local_error);
  if (document == NULL)
    {
      g_set_error (error, HP_SUMMARY_ERROR, HP_SUMMARY_ERROR_PDF,
                   "the summary cannot be read back: %s", local_error->message);
      return NULL;
    }
  n_pages = poppler_document_get_n_pages (document);
  if (n_pages <= 0 || page >= (guint) n_pages)
    g_set_error (error, HP_SUMMARY_ERROR, HP_SUMMARY_ERROR_INVALID,
                 "the summary has no page %u; it has %d", page + 1, MAX (n_pages, 0));
  else
    surface = render_page (document, page, pixels_per_point, error);
  g_object_unref (document);
  return surface;
}
