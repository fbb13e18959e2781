/* A scripted demo visit that saves a screenshot of every screen it passes. */
#include "hp-demo-tour.h"
#include "hp-visit-actions.h"

#include <glib/gstdio.h>

/* A whole demo visit takes seconds; past this something is stuck. */
#define TOUR_TIMEOUT_SECONDS 120

/* The demo patient measures everything the kiosk offers, in this order. */
static const char * const tour_kinds[] = { "blood-pressure", "body-weight", "blood-glucose" };

struct _HpDemoTour
{
  GObject parent_instance;

  HpWindow *window;
  HpVisitFlow *flow;
  HpPrintService *printer;
  gboolean print_sent;
  gboolean printed;
  char *folder;
  guint shot;
  guint n_measured;
  guint timeout_source;
  gulong after_paint_id;
  GdkFrameClock *frame_clock;
  gboolean done;
};

G_DEFINE_FINAL_TYPE (HpDemoTour, hp_demo_tour, G_TYPE_OBJECT)

enum {
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
finish (HpDemoTour *self,
        gboolean    succeeded)
{
  if (self->done)
    return;
  self->done = TRUE;
  g_clear_handle_id (&self->timeout_source, g_source_remove);
  g_signal_handlers_disconnect_by_data (self->flow, self);
  if (self->printer != NULL)
    g_signal_handlers_disconnect_by_data (self->printer, self);
  if (self->frame_clock != NULL)
    g_clear_signal_handler (&self->after_paint_id, self->frame_clock);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, succeeded);
}

/* What the demo patient does on each screen, once it has been captured. */
static void
act (HpDemoTour *self)
{
  const char *action = NULL;
  GVariant *target = NULL;

  switch (hp_visit_flow_get_step (self->flow))
    {
    case HP_VISIT_STEP_ATTRACT:
      action = HP_VISIT_DETAILED (HP_VISIT_ACTION_BEGIN);
      break;
    case HP_VISIT_STEP_LANGUAGE:
      action = HP_VISIT_DETAILED (HP_VISIT_ACTION_CHOOSE_LANGUAGE);
      target = g_variant_new_string (hp_visit_flow_get_language (self->flow));
      break;
    case HP_VISIT_STEP_CONSENT:
      action = HP_VISIT_DETAILED (HP_VISIT_ACTION_CONSENT);
      target = g_variant_new_boolean (TRUE);
      break;
    case HP_VISIT_STEP_IDENTIFY:
      /* The demo patient stays anonymous. */
      action = HP_VISIT_DETAILED (HP_VISIT_ACTION_IDENTIFY);
      target = g_variant_new_boolean (FALSE);
      break;
    case HP_VISIT_STEP_AGE:
      /* The demo patient is an adult. */
      action = HP_VISIT_DETAILED (HP_VISIT_ACTION_AGE);
      target = g_variant_new_boolean (TRUE);
      break;
    case HP_VISIT_STEP_HEIGHT:
      action = HP_VISIT_DETAILED (HP_VISIT_ACTION_HEIGHT);
      target = g_variant_new_double (172);
      break;
    case HP_VISIT_STEP_CHOOSE:
      action = HP_VISIT_DETAILED (HP_VISIT_ACTION_CHOOSE);
      target = g_variant_new_string (tour_kinds[MIN (self->n_measured, G_N_ELEMENTS (tour_kinds) - 1)]);
      break;
    case HP_VISIT_STEP_FASTING:
      action = HP_VISIT_DETAILED (HP_VISIT_ACTION_FASTING);
      target = g_variant_new_string ("eaten");
      break;
    case HP_VISIT_STEP_INSTRUCTIONS:
      action = HP_VISIT_DETAILED (HP_VISIT_ACTION_START_MEASUREMENT);
      break;
    case HP_VISIT_STEP_RESULT:
      if (++self->n_measured < G_N_ELEMENTS (tour_kinds))
        action = HP_VISIT_DETAILED (HP_VISIT_ACTION_MEASURE_ANOTHER);
      else
        action = HP_VISIT_DETAILED (HP_VISIT_ACTION_FINISH);
      break;
    case HP_VISIT_STEP_CRISIS:
      action = HP_VISIT_DETAILED (HP_VISIT_ACTION_SEE_RESULT);
      break;
    case HP_VISIT_STEP_SUMMARY:
      if (self->printer != NULL && hp_print_service_is_available (self->printer) && !self->printed)
        action = HP_VISIT_DETAILED (HP_VISIT_ACTION_PRINT_RESULTS);
      else
        action = HP_VISIT_DETAILED (HP_VISIT_ACTION_FINISH);
      break;
    case HP_VISIT_STEP_PRINT:
      if (self->printed)
        action = HP_VISIT_DETAILED (HP_VISIT_ACTION_BACK);
      else if (!self->print_sent)
        {
          self->print_sent = TRUE;
          action = HP_VISIT_DETAILED (HP_VISIT_ACTION_SEND_TO_PRINTER);
        }
      else
        /* The printer's state says when it is out. */
        return;
      break;
    case HP_VISIT_STEP_OFFER_CODE:
      /* The demo patient stays anonymous: no code. */
      action = HP_VISIT_DETAILED (HP_VISIT_ACTION_FINISH);
      break;
    case HP_VISIT_STEP_GOODBYE:
      finish (self, TRUE);
      return;
    case HP_VISIT_STEP_MEASURING:
      /* The cuff answers on its own. */
      return;
    case HP_VISIT_STEP_ENTER_CODE:
    case HP_VISIT_STEP_ENTER_PIN:
    case HP_VISIT_STEP_NEW_PIN:
    case HP_VISIT_STEP_CONFIRM_PIN:
    case HP_VISIT_STEP_CODE_CREATED:
    case HP_VISIT_STEP_PROBLEM:
    case HP_VISIT_STEP_OUT_OF_SERVICE:
    default:
      g_printerr ("demo tour: the visit stopped at “%s”\n",
                  hp_visit_step_to_string (hp_visit_flow_get_step (self->flow)));
      finish (self, FALSE);
      return;
    }

  gtk_widget_activate_action_variant (GTK_WIDGET (self->window), action, target);
}

static void
capture (HpDemoTour *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;

  name = g_strdup_printf ("%02u-%s.png", ++self->shot,
                          hp_visit_step_to_string (hp_visit_flow_get_step (self->flow)));
  path = g_build_filename (self->folder, name, NULL);
  if (!hp_window_save_screenshot (self->window, path, &error))
    {
      g_printerr ("demo tour: %s\n", error->message);
      finish (self, FALSE);
      return;
    }
  g_print ("%s\n", path);
  act (self);
}

static void
on_after_paint (GdkFrameClock *clock,
                HpDemoTour    *self)
{
  g_clear_signal_handler (&self->after_paint_id, clock);
  capture (self);
}

/* Capture a screen only once it has been laid out and painted. */
static void
capture_after_next_frame (HpDemoTour *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self->window));

  if (clock == NULL)
    {
      finish (self, FALSE);
      return;
    }
  if (self->after_paint_id != 0)
    return;
  self->frame_clock = clock;
  self->after_paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), self);
  gtk_widget_queue_draw (GTK_WIDGET (self->window));
}

static void
on_step (HpDemoTour *self)
{
  if (!self->done)
    capture_after_next_frame (self);
}

static void
on_print_state (HpDemoTour *self)
{
  HpPrintState state = hp_print_service_get_state (self->printer);

  if (self->done || !self->print_sent || self->printed)
    return;
  if (state == HP_PRINT_STATE_FAILED)
    {
      g_printerr ("demo tour: the summary was not printed (%s): %s\n",
                  hp_print_problem_to_string (hp_print_service_get_problem (self->printer)),
                  hp_print_service_get_detail (self->printer));
      finish (self, FALSE);
    }
  else if (state == HP_PRINT_STATE_DONE)
    {
      g_print ("demo tour: the summary was printed as job %d on %s\n",
               hp_print_service_get_job_id (self->printer), hp_print_service_get_printer (self->printer));
      self->printed = TRUE;
      /* The page now says the printout is ready: captured, then back. */
      capture_after_next_frame (self);
    }
}

static gboolean
on_timeout (gpointer user_data)
{
  HpDemoTour *self = user_data;

  self->timeout_source = 0;
  g_printerr ("demo tour: no progress for %d seconds\n", TOUR_TIMEOUT_SECONDS);
  finish (self, FALSE);
  return G_SOURCE_REMOVE;
}

static void
hp_demo_tour_dispose (GObject *object)
{
  HpDemoTour *self = HP_DEMO_TOUR (object);

  g_clear_handle_id (&self->timeout_source, g_source_remove);
  if (self->frame_clock != NULL)
    g_clear_signal_handler (&self->after_paint_id, self->frame_clock);
  if (self->flow != NULL)
    g_signal_handlers_disconnect_by_data (self->flow, self);
  if (self->printer != NULL)
    g_signal_handlers_disconnect_by_data (self->printer, self);
  g_clear_object (&self->printer);
  g_clear_object (&self->flow);
  g_clear_object (&self->window);

  G_OBJECT_CLASS (hp_demo_tour_parent_class)->dispose (object);
}

static void
hp_demo_tour_finalize (GObject *object)
{
  g_free (HP_DEMO_TOUR (object)->folder);

  G_OBJECT_CLASS (hp_demo_tour_parent_class)->finalize (object);
}

static void
hp_demo_tour_class_init (HpDemoTourClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hp_demo_tour_dispose;
  object_class->finalize = hp_demo_tour_finalize;

  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
hp_demo_tour_init (HpDemoTour *self G_GNUC_UNUSED)
{
}

HpDemoTour *
hp_demo_tour_new (HpWindow    *window,
                  HpVisitFlow *flow,
                  const char  *folder)
{
  HpDemoTour *self;

  g_return_val_if_fail (HP_IS_WINDOW (window), NULL);
  g_return_val_if_fail (HP_IS_VISIT_FLOW (flow), NULL);
  g_return_val_if_fail (folder != NULL, NULL);

  self = g_object_new (HP_TYPE_DEMO_TOUR, NULL);
  self->window = g_object_ref (window);
  self->flow = g_object_ref (flow);
  self->folder = g_strdup (folder);
  return self;
}

void
hp_demo_tour_set_printer (HpDemoTour     *self,
                          HpPrintService *printer)
{
  g_return_if_fail (HP_IS_DEMO_TOUR (self));
  g_return_if_fail (printer == NULL || HP_IS_PRINT_SERVICE (printer));

  if (self->printer != NULL)
    g_signal_handlers_disconnect_by_data (self->printer, self);
  g_set_object (&self->printer, printer);
  if (printer != NULL)
    g_signal_connect_swapped (printer, "notify::state", G_CALLBACK (on_print_state), self);
}

void
hp_demo_tour_start (HpDemoTour *self)
{
  g_return_if_fail (HP_IS_DEMO_TOUR (self));

  if (g_mkdir_with_parents (self->folder, 0755) != 0)
    {
      g_printerr ("demo tour: cannot create %s\n", self->folder);
      finish (self, FALSE);
      return;
    }
  g_signal_connect_swapped (self->flow, "notify::step", G_CALLBACK (on_step), self);
  self->timeout_source = g_timeout_add_seconds (TOUR_TIMEOUT_SECONDS, on_timeout, self);
  capture_after_next_frame (self);
}
