/* The page shown while a device measures: what is happening and how to help it. */
#include "hp-measuring-page.h"

#include <glib/gi18n.h>

struct _HpMeasuringPage
{
  HpKioskPage parent_instance;

  GtkLabel *title_label;
  GtkLabel *phase_label;
  GtkSpinner *spinner;

  HpMeasurementKind kind;
  HpMeasurementPhase phase;
};

G_DEFINE_FINAL_TYPE (HpMeasuringPage, hp_measuring_page, HP_TYPE_KIOSK_PAGE)

static const char *
title_for (HpMeasurementKind kind)
{
  switch (kind)
    {
    case HP_MEASUREMENT_KIND_BODY_WEIGHT:
      return _("Measuring your weight");
    case HP_MEASUREMENT_KIND_BLOOD_GLUCOSE:
      return _("Reading your blood sugar");
    case HP_MEASUREMENT_KIND_BLOOD_PRESSURE:
    default:
      return _("Measuring your blood pressure");
    }
}

/* Each device needs something different from the patient while it works:
 * a cuff wants them still and quiet, a scale wants them standing still, a
 * meter waits until they have tested their blood. */
static const char *
scale_text (HpMeasurementPhase phase)
{
  switch (phase)
    {
    case HP_MEASUREMENT_PHASE_IDLE:
    case HP_MEASUREMENT_PHASE_WAITING_FOR_DEVICE:
      return _("Step onto the scale.");
    case HP_MEASUREMENT_PHASE_STAND_STILL:
      return _("Please stand still.");
    case HP_MEASUREMENT_PHASE_MEASURING:
      return _("Weighing…");
    case HP_MEASUREMENT_PHASE_RECEIVING:
      return _("Reading your weight…");
    case HP_MEASUREMENT_PHASE_PRESS_START:
      return _("Press the START button on the device.");
    case HP_MEASUREMENT_PHASE_DONE:
    default:
      return _("Done.");
    }
}

static const char *
meter_text (HpMeasurementPhase phase)
{
  switch (phase)
    {
    case HP_MEASUREMENT_PHASE_IDLE:
    case HP_MEASUREMENT_PHASE_WAITING_FOR_DEVICE:
    case HP_MEASUREMENT_PHASE_MEASURING:
      return _("Test your blood now. The kiosk reads the meter when you are done.");
    case HP_MEASUREMENT_PHASE_RECEIVING:
      return _("Reading the meter…");
    case HP_MEASUREMENT_PHASE_STAND_STILL:
      return _("Please keep still.");
    case HP_MEASUREMENT_PHASE_PRESS_START:
      return _("Press the START button on the device.");
    case HP_MEASUREMENT_PHASE_DONE:
    default:
      return _("Done.");
    }
}

static const char *
cuff_text (HpMeasurementPhase phase)
{
  switch (phase)
    {
    case HP_MEASUREMENT_PHASE_IDLE:
    case HP_MEASUREMENT_PHASE_WAITING_FOR_DEVICE:
      return _("Connecting to the cuff…");
    case HP_MEASUREMENT_PHASE_MEASURING:
      return _("The cuff is getting tight. This is normal. Stay still and relax.");
    case HP_MEASUREMENT_PHASE_RECEIVING:
      return _("Reading your result…");
    case HP_MEASUREMENT_PHASE_STAND_STILL:
      return _("Please stand still.");
    case HP_MEASUREMENT_PHASE_PRESS_START:
      return _("Press the START button on the device.");
    case HP_MEASUREMENT_PHASE_DONE:
    default:
      return _("Done.");
    }
}

/* A spinning spinner is an animation: it keeps the window's frame clock
 * running, and with it the whole window's layout, on every frame. It spins
 * only while the page is on screen and the device is still at work, never
 * from a page the stack keeps out of sight. */
static void
update_spinner (HpMeasuringPage *self)
{
  gboolean spinning = gtk_widget_get_mapped (GTK_WIDGET (self)) && self->phase != HP_MEASUREMENT_PHASE_DONE;

  if (gtk_spinner_get_spinning (self->spinner) != spinning)
    gtk_spinner_set_spinning (self->spinner, spinning);
}

static void
update (HpMeasuringPage *self)
{
  const char *text;

  switch (self->kind)
    {
    case HP_MEASUREMENT_KIND_BODY_WEIGHT:
      text = scale_text (self->phase);
      break;
    case HP_MEASUREMENT_KIND_BLOOD_GLUCOSE:
      text = meter_text (self->phase);
      break;
    case HP_MEASUREMENT_KIND_BLOOD_PRESSURE:
    default:
      text = cuff_text (self->phase);
      break;
    }
  gtk_label_set_label (self->title_label, title_for (self->kind));
  gtk_label_set_label (self->phase_label, text);
  update_spinner (self);
}

static void
hp_measuring_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (hp_measuring_page_parent_class)->map (widget);
  update_spinner (HP_MEASURING_PAGE (widget));
}

static void
hp_measuring_page_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (hp_measuring_page_parent_class)->unmap (widget);
  update_spinner (HP_MEASURING_PAGE (widget));
}

static void
hp_measuring_page_class_init (HpMeasuringPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->map = hp_measuring_page_map;
  widget_class->unmap = hp_measuring_page_unmap;
  hp_kiosk_page_class_set_template (widget_class, "/org/healthpost/ui/pages/hp-measuring-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HpMeasuringPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, HpMeasuringPage, phase_label);
  gtk_widget_class_bind_template_child (widget_class, HpMeasuringPage, spinner);
}

static void
hp_measuring_page_init (HpMeasuringPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->kind = HP_MEASUREMENT_KIND_BLOOD_PRESSURE;
  self->phase = HP_MEASUREMENT_PHASE_WAITING_FOR_DEVICE;
  update (self);
}

void
hp_measuring_page_set_kind (HpMeasuringPage   *self,
                            HpMeasurementKind  kind)
{
  g_return_if_fail (HP_IS_MEASURING_PAGE (self));
  g_return_if_fail (kind <= HP_MEASUREMENT_KIND_LAST);

  self->kind = kind;
  update (self);
}

void
hp_measuring_page_set_phase (HpMeasuringPage    *self,
                             HpMeasurementPhase  phase)
{
  g_return_if_fail (HP_IS_MEASURING_PAGE (self));

  self->phase = phase;
  update (self);
}
