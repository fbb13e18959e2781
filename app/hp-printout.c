/* A visit's summary made ready to print: the PDF for the printer and its picture for the screen. */
#include "hp-printout.h"

#include "hp-i18n.h"

/* Sharp on a 1080p screen without a huge image for a long receipt. */
#define PREVIEW_PIXELS_PER_POINT 1.5

static GdkTexture *
texture_from_surface (cairo_surface_t *surface)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  g_autoptr(GBytes) pixels = NULL;

  cairo_surface_flush (surface);
  /* Cairo's ARGB32 is premultiplied in native byte order: GDK's default. */
  pixels = g_bytes_new (cairo_image_surface_get_data (surface), (gsize) stride * (gsize) height);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, pixels, (gsize) stride);
}

HpPrintout *
hp_printout_new (HpVisit     *visit,
                 const char  *language,
                 const char  *location,
                 HpPaper      paper,
                 GError     **error)
{
  g_autoptr(HpPrintout) printout = g_new0 (HpPrintout, 1);
  cairo_surface_t *surface;
  HpSummaryInput input = {
    .visit = visit,
    .location = location,
    .qr_token = hp_visit_get_patient_code (visit),
    .right_to_left = hp_i18n_is_right_to_left (language),
  };

  g_return_val_if_fail (HP_IS_VISIT (visit), NULL);
  g_return_val_if_fail (language != NULL, NULL);

  printout->pdf = hp_summary_render_pdf (&input, paper, error);
  if (printout->pdf == NULL)
    return NULL;
  surface = hp_summary_render_preview (printout->pdf, 0, PREVIEW_PIXELS_PER_POINT, error);
  if (surface == NULL)
    return NULL;
  printout->preview = texture_from_surface (surface);
  cairo_surface_destroy (surface);
  printout->visit_id = g_strdup (hp_visit_get_id (visit));
  return g_steal_pointer (&printout);
}

void
hp_printout_free (HpPrintout *printout)
{
  if (printout == NULL)
    return;
  g_clear_pointer (&printout->pdf, g_bytes_unref);
  g_clear_object (&printout->preview);
  g_free (printout->visit_id);
  g_free (printout);
}
