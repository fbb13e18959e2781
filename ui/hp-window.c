/* The kiosk window: a top bar that is always there, and one page at a time. */
#include "hp-window.h"

#include <glib/gi18n.h>

#include "hp-adaptive-row.h"
#include "hp-attract-page.h"
#include "hp-bp-instructions-page.h"
#include "hp-choose-page.h"
#include "hp-code-page.h"
#include "hp-consent-page.h"
#include "hp-crisis-page.h"
#include "hp-age-page.h"
#include "hp-fasting-page.h"
#include "hp-glucose-instructions-page.h"
#include "hp-goodbye-page.h"
#include "hp-identify-page.h"
#include "hp-kiosk-page.h"
#include "hp-language-page.h"
#include "hp-ui-resources.h"
#include "hp-measuring-page.h"
#include "hp-offer-code-page.h"
#include "hp-print-page.h"
#include "hp-result-page.h"
#include "hp-summary-page.h"
#include "hp-weight-instructions-page.h"

struct _HpWindow
{
  GtkApplicationWindow parent_instance;

  GtkStack *stack;
  GtkLabel *step_label;
  GtkWidget *start_over_button;
  GtkButton *language_button;
  GtkToggleButton *large_text_button;
  GtkToggleButton *high_contrast_button;
  GtkWidget *audio_button;
  GtkImage *audio_image;
  GtkWidget *warning_scrim;
  GtkLabel *countdown_label;
  GtkWidget *notice_scrim;
  GtkLabel *notice_label;

  GtkWidget *pages[HP_PAGE_LAST + 1];
  HpPage page;
  HpMeasurementKind kind;
  HpVisitProblem problem;
  HpEntryKind entry_kind;
  gboolean out_of_service;

  gboolean audio_on;
  guint audio_volume;
  /* What audio guidance last read of the page on screen: afterwards only
   * what is new on it is read (a measurement's next phase, an error). */
  HpPage spoken_page;
  GStrv spoken_lines;
  guint reread_id;
};

G_DEFINE_FINAL_TYPE (HpWindow, hp_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  SIGNAL_USER_ACTIVITY,
  SIGNAL_SPEAK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_AUDIO_GUIDANCE,
  PROP_AUDIO_VOLUME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- Audio guidance: what is on screen, as text to speak ---- */

static void
speak_lines (HpWindow           *self,
             const char * const *lines)
{
  g_autofree char *text = NULL;

  if (lines[0] == NULL)
    return;
  text = hp_kiosk_page_join_spoken_lines (lines);
  g_signal_emit (self, signals[SIGNAL_SPEAK], 0, text);
}

static void
speak_widget (HpWindow  *self,
              GtkWidget *root)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

  hp_kiosk_page_collect_spoken_lines (root, lines);
  g_ptr_array_add (lines, NULL);
  speak_lines (self, (const char * const *) lines->pdata);
}

/* Reads the page on screen: all of it when @whole or when it is new, else
 * only the lines that were not there when it was last read. */
static void
read_page (HpWindow *self,
           gboolean  whole)
{
  g_auto(GStrv) lines = NULL;
  GtkWidget *page = self->pages[self->page];

  if (!self->audio_on)
    return;

  if (HP_IS_KIOSK_PAGE (page))
    lines = hp_kiosk_page_dup_spoken_lines (HP_KIOSK_PAGE (page));
  else
    {
      GPtrArray *collected = g_ptr_array_new ();

      hp_kiosk_page_collect_spoken_lines (page, collected);
      g_ptr_array_add (collected, NULL);
      lines = (GStrv) g_ptr_array_free (collected, FALSE);
    }

  if (whole || self->spoken_lines == NULL || self->spoken_page != self->page)
    speak_lines (self, (const char * const *) lines);
  else
    {
      g_autoptr(GPtrArray) fresh = g_ptr_array_new ();

      for (guint i = 0; lines[i] != NULL; i++)
        if (!g_strv_contains ((const char * const *) self->spoken_lines, lines[i]))
          g_ptr_array_add (fresh, lines[i]);
      g_ptr_array_add (fresh, NULL);
      speak_lines (self, (const char * const *) fresh->pdata);
    }
  self->spoken_page = self->page;
  g_strfreev (self->spoken_lines);
  self->spoken_lines = g_steal_pointer (&lines);
}

/* Reads what the patient faces now: a dialog over the page, or the page. */
static void
read_screen (HpWindow *self)
{
  if (!self->audio_on)
    return;
  if (gtk_widget_get_visible (self->warning_scrim))
    speak_widget (self, self->warning_scrim);
  else if (gtk_widget_get_visible (self->notice_scrim))
    speak_widget (self, self->notice_scrim);
  else
    read_page (self, TRUE);
}

/* A tap may change the page's words without a new page (a keypad's
 * message): they are read once the tap is handled. */
static gboolean
reread_after_tap (gpointer user_data)
{
  HpWindow *self = user_data;

  self->reread_id = 0;
  if (!gtk_widget_get_visible (self->warning_scrim) && !gtk_widget_get_visible (self->notice_scrim))
    read_page (self, FALSE);
  return G_SOURCE_REMOVE;
}

static const char *
audio_icon_name (HpWindow *self)
{
  static const char * const levels[] = {
    "hp-audio-on-symbolic", "hp-audio-louder-symbolic", "hp-audio-loudest-symbolic",
  };

  if (!self->audio_on)
    return "hp-audio-off-symbolic";
  return levels[MIN (self->audio_volume, HP_WINDOW_AUDIO_VOLUME_MAX)];
}

/* The button shows, by its picture (a loudspeaker crossed out, or with one
 * to three waves) and its pressed look, whether audio is on and how loud. */
static void
update_audio_button (HpWindow *self)
{
  gtk_image_set_from_icon_name (self->audio_image, audio_icon_name (self));
  if (self->audio_on)
    gtk_widget_add_css_class (self->audio_button, "audio-on");
  else
    gtk_widget_remove_css_class (self->audio_button, "audio-on");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->audio_button), GTK_ACCESSIBLE_STATE_PRESSED,
                               self->audio_on ? GTK_ACCESSIBLE_TRISTATE_TRUE : GTK_ACCESSIBLE_TRISTATE_FALSE,
                               -1);
}

/* One button, so the bar fits every language in larger text: each tap goes
 * off, on, louder, loudest, and off again. A louder step reads the screen
 * again at the new volume. */
static void
on_audio_clicked (HpWindow *self)
{
  if (!self->audio_on)
    {
      hp_window_set_audio_volume (self, 0);
      hp_window_set_audio_guidance (self, TRUE);
    }
  else if (self->audio_volume < HP_WINDOW_AUDIO_VOLUME_MAX)
    {
      hp_window_set_audio_volume (self, self->audio_volume + 1);
      read_screen (self);
    }
  else
    hp_window_set_audio_guidance (self, FALSE);
}

/* The patient's place in the visit; 0 where no step is shown. */
static guint
step_of_page (HpWindow *self,
              HpPage    page)
{
  switch (page)
    {
    case HP_PAGE_LANGUAGE:
    case HP_PAGE_CONSENT:
    case HP_PAGE_IDENTIFY:
    case HP_PAGE_AGE:
      return 1;
    case HP_PAGE_ENTRY:
      /* A code and PIN come at the start, a height with the choice, a new
       * PIN at the end. */
      return self->entry_kind == HP_ENTRY_HEIGHT ? 2 :
             self->entry_kind == HP_ENTRY_CODE || self->entry_kind == HP_ENTRY_PIN ? 1 : 5;
    case HP_PAGE_CHOOSE:
      return 2;
    case HP_PAGE_BP_INSTRUCTIONS:
    case HP_PAGE_WEIGHT_INSTRUCTIONS:
    case HP_PAGE_GLUCOSE_INSTRUCTIONS:
    case HP_PAGE_FASTING:
      /* The glucose question belongs to getting ready. */
      return 3;
    case HP_PAGE_MEASURING:
    case HP_PAGE_PROBLEM:
      /* Problems arise while measuring (or saving what was measured). */
      return 4;
    case HP_PAGE_RESULT:
    case HP_PAGE_CRISIS:
    case HP_PAGE_SUMMARY:
    case HP_PAGE_OFFER_CODE:
    case HP_PAGE_CODE:
    case HP_PAGE_PRINT:
      return 5;
    case HP_PAGE_ATTRACT:
    case HP_PAGE_GOODBYE:
    default:
      return 0;
    }
}

#define N_VISIBLE_STEPS 5

static gboolean
on_any_event (GtkEventControllerLegacy *controller G_GNUC_UNUSED,
              GdkEvent                 *event,
              HpWindow                 *self)
{
  switch ((int) gdk_event_get_event_type (event))
    {
    case GDK_BUTTON_PRESS:
    case GDK_TOUCH_BEGIN:
    case GDK_KEY_PRESS:
    case GDK_SCROLL:
      g_signal_emit (self, signals[SIGNAL_USER_ACTIVITY], 0);
      break;
    case GDK_BUTTON_RELEASE:
    case GDK_TOUCH_END:
      if (self->audio_on && self->reread_id == 0)
        self->reread_id = g_idle_add (reread_after_tap, self);
      break;
    default:
      break;
    }
  return GDK_EVENT_PROPAGATE;
}

static void
on_help_clicked (HpWindow *self)
{
  hp_window_show_notice (self, _("Please ask a staff member at the counter. They are happy to help."));
}

static void
on_notice_ok_clicked (HpWindow *self)
{
  gtk_widget_set_visible (self->notice_scrim, FALSE);
}

/* The style sheets key their larger type and their high-contrast colours
 * on these classes of the window, so every page follows at once. */
static void
on_display_toggled (HpWindow *self)
{
  if (gtk_toggle_button_get_active (self->large_text_button))
    gtk_widget_add_css_class (GTK_WIDGET (self), "large-text");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "large-text");

  if (gtk_toggle_button_get_active (self->high_contrast_button))
    gtk_widget_add_css_class (GTK_WIDGET (self), "high-contrast");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "high-contrast");
}

/* Ctrl+Shift+I and Ctrl+Shift+D are bound to this: on a kiosk a plugged-in
 * keyboard must not open GTK's inspector, which shows and edits every
 * widget, personal data included. Claiming the key ends it here.
 * Developers still have GTK_DEBUG=interactive. */
static gboolean
hp_window_enable_debugging (GtkWindow *window G_GNUC_UNUSED,
                            gboolean   toggle G_GNUC_UNUSED)
{
  return TRUE;
}

/* The width of the screen the kiosk fills: its monitor's when fullscreen,
 * else the size it was opened at; 0 when not known yet. */
static int
screen_width (HpWindow *self)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (self));
  int width = 0, height = 0;

  if (gtk_window_is_fullscreen (GTK_WINDOW (self)) && surface != NULL)
    {
      GdkMonitor *monitor = gdk_display_get_monitor_at_surface (gtk_widget_get_display (GTK_WIDGET (self)),
                                                                surface);
      GdkRectangle geometry = { 0 };

      if (monitor != NULL)
        gdk_monitor_get_geometry (monitor, &geometry);
      return geometry.width;
    }
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  return MAX (width, 0);
}

/* GtkWindow asks for its smallest height at its smallest width. Rows that
 * stack where the screen is narrow (the top bar, a result's buttons) make
 * that width small and that height greater than any real screen's: the
 * window's smallest width is the screen's, so its height is asked at the
 * width it has. */
static void
hp_window_measure (GtkWidget      *widget,
                   GtkOrientation  orientation,
                   int             for_size,
                   int            *minimum,
                   int            *natural,
                   int            *minimum_baseline,
                   int            *natural_baseline)
{
  GTK_WIDGET_CLASS (hp_window_parent_class)->measure (widget, orientation, for_size, minimum, natural,
                                                      minimum_baseline, natural_baseline);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MAX (*minimum, screen_width (HP_WINDOW (widget)));
      *natural = MAX (*natural, *minimum);
    }
}

static void
hp_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  HpWindow *self = HP_WINDOW (object);

  switch (prop_id)
    {
    case PROP_AUDIO_GUIDANCE:
      g_value_set_boolean (value, hp_window_get_audio_guidance (self));
      break;
    case PROP_AUDIO_VOLUME:
      g_value_set_uint (value, self->audio_volume);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hp_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  HpWindow *self = HP_WINDOW (object);

  switch (prop_id)
    {
    case PROP_AUDIO_GUIDANCE:
      hp_window_set_audio_guidance (self, g_value_get_boolean (value));
      break;
    case PROP_AUDIO_VOLUME:
      hp_window_set_audio_volume (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hp_window_dispose (GObject *object)
{
  HpWindow *self = HP_WINDOW (object);

  g_clear_handle_id (&self->reread_id, g_source_remove);
  g_clear_pointer (&self->spoken_lines, g_strfreev);
  gtk_widget_dispose_template (GTK_WIDGET (object), HP_TYPE_WINDOW);

  G_OBJECT_CLASS (hp_window_parent_class)->dispose (object);
}

static void
hp_window_class_init (HpWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hp_window_dispose;
  object_class->get_property = hp_window_get_property;
  object_class->set_property = hp_window_set_property;
  GTK_WINDOW_CLASS (klass)->enable_debugging = hp_window_enable_debugging;
  widget_class->measure = hp_window_measure;

  signals[SIGNAL_USER_ACTIVITY] =
    g_signal_new ("user-activity", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /* The words now on screen, to be read aloud: emitted only while audio
   * guidance is on. They may hold the patient's results. */
  signals[SIGNAL_SPEAK] =
    g_signal_new ("speak", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  properties[PROP_AUDIO_GUIDANCE] =
    g_param_spec_boolean ("audio-guidance", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUDIO_VOLUME] =
    g_param_spec_uint ("audio-volume", NULL, NULL, 0, HP_WINDOW_AUDIO_VOLUME_MAX, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Referencing the bundle links it in; its constructor registers it. */
  g_assert (hp_ui_get_resource () != NULL);

  g_type_ensure (HP_TYPE_ADAPTIVE_ROW);
  g_type_ensure (HP_TYPE_ATTRACT_PAGE);
  g_type_ensure (HP_TYPE_LANGUAGE_PAGE);
  g_type_ensure (HP_TYPE_CONSENT_PAGE);
  g_type_ensure (HP_TYPE_IDENTIFY_PAGE);
  g_type_ensure (HP_TYPE_ENTRY_PAGE);
  g_type_ensure (HP_TYPE_CODE_PAGE);
  g_type_ensure (HP_TYPE_OFFER_CODE_PAGE);
  g_type_ensure (HP_TYPE_PRINT_PAGE);
  g_type_ensure (HP_TYPE_CHOOSE_PAGE);
  g_type_ensure (HP_TYPE_BP_INSTRUCTIONS_PAGE);
  g_type_ensure (HP_TYPE_WEIGHT_INSTRUCTIONS_PAGE);
  g_type_ensure (HP_TYPE_GLUCOSE_INSTRUCTIONS_PAGE);
  g_type_ensure (HP_TYPE_FASTING_PAGE);
  g_type_ensure (HP_TYPE_AGE_PAGE);
  g_type_ensure (HP_TYPE_MEASURING_PAGE);
  g_type_ensure (HP_TYPE_RESULT_PAGE);
  g_type_ensure (HP_TYPE_CRISIS_PAGE);
  g_type_ensure (HP_TYPE_SUMMARY_PAGE);
  g_type_ensure (HP_TYPE_PROBLEM_PAGE);
  g_type_ensure (HP_TYPE_GOODBYE_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/healthpost/ui/hp-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HpWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, HpWindow, step_label);
  gtk_widget_class_bind_template_child (widget_class, HpWindow, start_over_button);
  gtk_widget_class_bind_template_child (widget_class, HpWindow, language_button);
  gtk_widget_class_bind_template_child (widget_class, HpWindow, large_text_button);
  gtk_widget_class_bind_template_child (widget_class, HpWindow, high_contrast_button);
  gtk_widget_class_bind_template_child (widget_class, HpWindow, audio_button);
  gtk_widget_class_bind_template_child (widget_class, HpWindow, audio_image);
  gtk_widget_class_bind_template_child (widget_class, HpWindow, warning_scrim);
  gtk_widget_class_bind_template_child (widget_class, HpWindow, countdown_label);
  gtk_widget_class_bind_template_child (widget_class, HpWindow, notice_scrim);
  gtk_widget_class_bind_template_child (widget_class, HpWindow, notice_label);
  gtk_widget_class_bind_template_child_full (widget_class, "attract_page", FALSE,
                                             G_STRUCT_OFFSET (HpWindow, pages[HP_PAGE_ATTRACT]));
  gtk_widget_class_bind_template_child_full (widget_class, "language_page", FALSE,
                                             G_STRUCT_OFFSET (HpWindow, pages[HP_PAGE_LANGUAGE]));
  gtk_widget_class_bind_template_child_full (widget_class, "consent_page", FALSE,
                                             G_STRUCT_OFFSET (HpWindow, pages[HP_PAGE_CONSENT]));
  gtk_widget_class_bind_template_child_full (widget_class, "identify_page", FALSE,
                                             G_STRUCT_OFFSET (HpWindow, pages[HP_PAGE_IDENTIFY]));
  gtk_widget_class_bind_template_child_full (widget_class, "entry_page", FALSE,
                                             G_STRUCT_OFFSET (HpWindow, pages[HP_PAGE_ENTRY]));
  gtk_widget_class_bind_template_child_full (widget_class, "offer_code_page", FALSE,
                                             G_STRUCT_OFFSET (HpWindow, pages[HP_PAGE_OFFER_CODE]));
  gtk_widget_class_bind_template_child_full (widget_class, "code_page", FALSE,
                                             G_STRUCT_OFFSET (HpWindow, pages[HP_PAGE_CODE]));
  gtk_widget_class_bind_template_child_full (widget_class, "print_page", FALSE,
                                             G_STRUCT_OFFSET (HpWindow, pages[HP_PAGE_PRINT]));
  gtk_widget_class_bind_template_child_full (widget_class, "choose_page", FALSE,
                                             G_STRUCT_OFFSET (HpWindow, pages[HP_PAGE_CHOOSE]));
  gtk_widget_class_bind_template_child_full (widget_class, "bp_instructions_page", FALSE,
                                             G_STRUCT_OFFSET (HpWindow, pages[HP_PAGE_BP_INSTRUCTIONS]));
  gtk_widget_class_bind_template_child_full (widget_class, "weight_instructions_page", FALSE,
                                             G_STRUCT_OFFSET (HpWindow, pages[HP_PAGE_WEIGHT_INSTRUCTIONS]));
  gtk_widget_class_bind_template_child_full (widget_class, "glucose_instructions_page", FALSE,
                                             G_STRUCT_OFFSET (HpWindow, pages[HP_PAGE_GLUCOSE_INSTRUCTIONS]));
  gtk_widget_class_bind_template_child_full (widget_class, "age_page", FALSE,
                                             G_STRUCT_OFFSET (HpWindow, pages[HP_PAGE_AGE]));
  gtk_widget_class_bind_template_child_full (widget_class, "fasting_page", FALSE,
                                             G_STRUCT_OFFSET (HpWindow, pages[HP_PAGE_FASTING]));
  gtk_widget_class_bind_template_child_full (widget_class, "measuring_page", FALSE,
                                             G_STRUCT_OFFSET (HpWindow, pages[HP_PAGE_MEASURING]));
  gtk_widget_class_bind_template_child_full (widget_class, "result_page", FALSE,
                                             G_STRUCT_OFFSET (HpWindow, pages[HP_PAGE_RESULT]));
  gtk_widget_class_bind_template_child_full (widget_class, "crisis_page", FALSE,
                                             G_STRUCT_OFFSET (HpWindow, pages[HP_PAGE_CRISIS]));
  gtk_widget_class_bind_template_child_full (widget_class, "summary_page", FALSE,
                                             G_STRUCT_OFFSET (HpWindow, pages[HP_PAGE_SUMMARY]));
  gtk_widget_class_bind_template_child_full (widget_class, "problem_page", FALSE,
                                             G_STRUCT_OFFSET (HpWindow, pages[HP_PAGE_PROBLEM]));
  gtk_widget_class_bind_template_child_full (widget_class, "goodbye_page", FALSE,
                                             G_STRUCT_OFFSET (HpWindow, pages[HP_PAGE_GOODBYE]));
  gtk_widget_class_bind_template_callback (widget_class, on_any_event);
  gtk_widget_class_bind_template_callback (widget_class, on_help_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_notice_ok_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_display_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_audio_clicked);
}

static void
hp_window_init (HpWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* A screen reader says "off" for a display setting before its first tap. */
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->large_text_button),
                               GTK_ACCESSIBLE_STATE_PRESSED, GTK_ACCESSIBLE_TRISTATE_FALSE, -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->high_contrast_button),
                               GTK_ACCESSIBLE_STATE_PRESSED, GTK_ACCESSIBLE_TRISTATE_FALSE, -1);
  update_audio_button (self);
  self->kind = HP_MEASUREMENT_KIND_BLOOD_PRESSURE;
  self->problem = HP_VISIT_PROBLEM_NONE;
  hp_window_show_page (self, HP_PAGE_ATTRACT);
}

HpWindow *
hp_window_new (GtkApplication *application)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);

  return g_object_new (HP_TYPE_WINDOW, "application", application, NULL);
}

void
hp_window_show_page (HpWindow *self,
                     HpPage    page)
{
  guint step;

  g_return_if_fail (HP_IS_WINDOW (self));
  g_return_if_fail (page <= HP_PAGE_LAST);

  /* The label stays in place even when empty, so the bar's buttons never move. */
  step = self->out_of_service ? 0 : step_of_page (self, page);
  if (step != 0)
    {
      g_autofree char *text = NULL;

      /* TRANSLATORS: the patient's place in the visit, e.g. "Step 2 of 5" */
      text = g_strdup_printf (_("Step %u of %u"), step, N_VISIBLE_STEPS);
      gtk_label_set_label (self->step_label, text);
    }
  else
    gtk_label_set_label (self->step_label, "");
  gtk_widget_set_visible (self->start_over_button,
                          page != HP_PAGE_ATTRACT && page != HP_PAGE_GOODBYE && !self->out_of_service);

  /* Back at the start the visit is over: the next patient finds the kiosk
   * as it always is. */
  if (page == HP_PAGE_ATTRACT && self->page != HP_PAGE_ATTRACT)
    {
      hp_window_set_large_text (self, FALSE);
      hp_window_set_high_contrast (self, FALSE);
      hp_window_set_audio_guidance (self, FALSE);
      hp_window_set_audio_volume (self, 0);
    }

  self->page = page;
  gtk_stack_set_visible_child (self->stack, self->pages[page]);
  read_page (self, FALSE);
}

void
hp_window_set_large_text (HpWindow *self,
                          gboolean  large_text)
{
  g_return_if_fail (HP_IS_WINDOW (self));
  gtk_toggle_button_set_active (self->large_text_button, large_text);
}

gboolean
hp_window_get_large_text (HpWindow *self)
{
  g_return_val_if_fail (HP_IS_WINDOW (self), FALSE);
  return gtk_toggle_button_get_active (self->large_text_button);
}

void
hp_window_set_high_contrast (HpWindow *self,
                             gboolean  high_contrast)
{
  g_return_if_fail (HP_IS_WINDOW (self));
  gtk_toggle_button_set_active (self->high_contrast_button, high_contrast);
}

gboolean
hp_window_get_high_contrast (HpWindow *self)
{
  g_return_val_if_fail (HP_IS_WINDOW (self), FALSE);
  return gtk_toggle_button_get_active (self->high_contrast_button);
}

void
hp_window_set_audio_guidance (HpWindow *self,
                              gboolean  audio_guidance)
{
  g_return_if_fail (HP_IS_WINDOW (self));

  audio_guidance = !!audio_guidance;
  if (self->audio_on == audio_guidance)
    return;
  self->audio_on = audio_guidance;
  update_audio_button (self);
  g_clear_pointer (&self->spoken_lines, g_strfreev);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUDIO_GUIDANCE]);
  read_screen (self);
}

gboolean
hp_window_get_audio_guidance (HpWindow *self)
{
  g_return_val_if_fail (HP_IS_WINDOW (self), FALSE);
  return self->audio_on;
}

void
hp_window_set_audio_volume (HpWindow *self,
                            guint     volume)
{
  g_return_if_fail (HP_IS_WINDOW (self));
  g_return_if_fail (volume <= HP_WINDOW_AUDIO_VOLUME_MAX);

  if (self->audio_volume == volume)
    return;
  self->audio_volume = volume;
  update_audio_button (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUDIO_VOLUME]);
}

guint
hp_window_get_audio_volume (HpWindow *self)
{
  g_return_val_if_fail (HP_IS_WINDOW (self), 0);
  return self->audio_volume;
}

void
hp_window_carry_display (HpWindow *self,
                         HpWindow *previous)
{
  g_return_if_fail (HP_IS_WINDOW (self));
  g_return_if_fail (HP_IS_WINDOW (previous));

  /* A visit that ended while the windows changed takes its choices along. */
  if (previous->page != HP_PAGE_ATTRACT && self->page == HP_PAGE_ATTRACT)
    return;
  hp_window_set_large_text (self, hp_window_get_large_text (previous));
  hp_window_set_high_contrast (self, hp_window_get_high_contrast (previous));
  /* A patient looking at their last visits still sees them. */
  hp_result_page_set_showing_trend (HP_RESULT_PAGE (self->pages[HP_PAGE_RESULT]),
                                    hp_result_page_get_showing_trend (HP_RESULT_PAGE (previous->pages[HP_PAGE_RESULT])));
  /* The volume first: turning audio on reads the screen at once. */
  hp_window_set_audio_volume (self, hp_window_get_audio_volume (previous));
  hp_window_set_audio_guidance (self, hp_window_get_audio_guidance (previous));
}

HpPage
hp_window_get_page (HpWindow *self)
{
  g_return_val_if_fail (HP_IS_WINDOW (self), HP_PAGE_ATTRACT);
  return self->page;
}

GtkWidget *
hp_window_get_page_widget (HpWindow *self,
                           HpPage    page)
{
  g_return_val_if_fail (HP_IS_WINDOW (self), NULL);
  g_return_val_if_fail (page <= HP_PAGE_LAST, NULL);
  return self->pages[page];
}

void
hp_window_set_available_kinds (HpWindow *self,
                               gboolean  blood_pressure,
                               gboolean  body_weight,
                               gboolean  blood_glucose)
{
  HpChoosePage *choose;

  g_return_if_fail (HP_IS_WINDOW (self));

  choose = HP_CHOOSE_PAGE (self->pages[HP_PAGE_CHOOSE]);
  hp_choose_page_set_available (choose, HP_MEASUREMENT_KIND_BLOOD_PRESSURE, blood_pressure);
  hp_choose_page_set_available (choose, HP_MEASUREMENT_KIND_BODY_WEIGHT, body_weight);
  hp_choose_page_set_available (choose, HP_MEASUREMENT_KIND_BLOOD_GLUCOSE, blood_glucose);
}

void
hp_window_set_can_finish (HpWindow *self,
                          gboolean  can_finish)
{
  g_return_if_fail (HP_IS_WINDOW (self));
  hp_choose_page_set_can_finish (HP_CHOOSE_PAGE (self->pages[HP_PAGE_CHOOSE]), can_finish);
}

void
hp_window_set_kind (HpWindow          *self,
                    HpMeasurementKind  kind)
{
  g_return_if_fail (HP_IS_WINDOW (self));
  g_return_if_fail (kind <= HP_MEASUREMENT_KIND_LAST);

  if (self->kind == kind)
    return;
  self->kind = kind;
  hp_measuring_page_set_kind (HP_MEASURING_PAGE (self->pages[HP_PAGE_MEASURING]), kind);
  hp_problem_page_set_problem (HP_PROBLEM_PAGE (self->pages[HP_PAGE_PROBLEM]), self->problem, kind);
}

void
hp_window_set_phase (HpWindow           *self,
                     HpMeasurementPhase  phase)
{
  g_return_if_fail (HP_IS_WINDOW (self));
  hp_measuring_page_set_phase (HP_MEASURING_PAGE (self->pages[HP_PAGE_MEASURING]), phase);
}

void
hp_window_set_measurement (HpWindow      *self,
                           HpVisit       *visit,
                           HpMeasurement *measurement)
{
  g_return_if_fail (HP_IS_WINDOW (self));
  hp_result_page_set_measurement (HP_RESULT_PAGE (self->pages[HP_PAGE_RESULT]), visit, measurement);
}

void
hp_window_set_crisis (HpWindow      *self,
                      HpVisit       *visit,
                      HpMeasurement *measurement,
                      const char    *emergency_number)
{
  g_return_if_fail (HP_IS_WINDOW (self));
  hp_crisis_page_set_reading (HP_CRISIS_PAGE (self->pages[HP_PAGE_CRISIS]),
                              visit, measurement, emergency_number);
}

void
hp_window_set_summary (HpWindow *self,
                       HpVisit  *visit)
{
  g_return_if_fail (HP_IS_WINDOW (self));
  hp_summary_page_set_visit (HP_SUMMARY_PAGE (self->pages[HP_PAGE_SUMMARY]), visit);
}

void
hp_window_set_problem (HpWindow       *self,
                       HpVisitProblem  problem)
{
  g_return_if_fail (HP_IS_WINDOW (self));

  self->out_of_service = problem == HP_VISIT_PROBLEM_OUT_OF_SERVICE;
  self->problem = problem;
  hp_problem_page_set_problem (HP_PROBLEM_PAGE (self->pages[HP_PAGE_PROBLEM]), problem, self->kind);
  if (self->page == HP_PAGE_PROBLEM)
    hp_window_show_page (self, self->page);
}

void
hp_window_set_languages (HpWindow           *self,
                         const char * const *codes,
                         const char * const *native_names)
{
  g_return_if_fail (HP_IS_WINDOW (self));
  hp_language_page_set_languages (HP_LANGUAGE_PAGE (self->pages[HP_PAGE_LANGUAGE]), codes, native_names);
}

void
hp_window_set_retention_days (HpWindow *self,
                              guint     days)
{
  g_return_if_fail (HP_IS_WINDOW (self));
  hp_consent_page_set_retention_days (HP_CONSENT_PAGE (self->pages[HP_PAGE_CONSENT]), days);
}

void
hp_window_set_entry (HpWindow     *self,
                     HpEntryKind   kind,
                     HpEntryError  error,
                     gboolean      busy)
{
  HpEntryPage *page;

  g_return_if_fail (HP_IS_WINDOW (self));

  page = HP_ENTRY_PAGE (self->pages[HP_PAGE_ENTRY]);
  self->entry_kind = kind;
  hp_entry_page_set_kind (page, kind);
  hp_entry_page_set_error (page, error);
  hp_entry_page_set_busy (page, busy);
}

void
hp_window_set_new_code (HpWindow   *self,
                        const char *code)
{
  g_return_if_fail (HP_IS_WINDOW (self));
  hp_code_page_set_code (HP_CODE_PAGE (self->pages[HP_PAGE_CODE]), code);
}

void
hp_window_set_can_print (HpWindow *self,
                         gboolean  can_print)
{
  g_return_if_fail (HP_IS_WINDOW (self));
  hp_summary_page_set_can_print (HP_SUMMARY_PAGE (self->pages[HP_PAGE_SUMMARY]), can_print);
  hp_code_page_set_can_print (HP_CODE_PAGE (self->pages[HP_PAGE_CODE]), can_print);
}

void
hp_window_set_can_call (HpWindow *self,
                        gboolean  can_call)
{
  g_return_if_fail (HP_IS_WINDOW (self));
  hp_result_page_set_can_call (HP_RESULT_PAGE (self->pages[HP_PAGE_RESULT]), can_call);
  hp_summary_page_set_can_call (HP_SUMMARY_PAGE (self->pages[HP_PAGE_SUMMARY]), can_call);
  hp_crisis_page_set_can_call (HP_CRISIS_PAGE (self->pages[HP_PAGE_CRISIS]), can_call);
}

void
hp_window_set_printout (HpWindow        *self,
                        GdkTexture      *preview,
                        HpPrintoutState  state,
                        const char      *problem_message,
                        guint            copies_left,
                        gboolean         printer_busy)
{
  HpPrintPage *page;

  g_return_if_fail (HP_IS_WINDOW (self));

  page = HP_PRINT_PAGE (self->pages[HP_PAGE_PRINT]);
  hp_print_page_set_preview (page, preview);
  hp_print_page_set_status (page, state, problem_message, copies_left, printer_busy);
  /* The printer's news comes without a tap: "ready", "out of paper". A
   * printout wiped is the page being left: nothing of it is news. */
  if (self->page == HP_PAGE_PRINT && preview != NULL)
    read_page (self, FALSE);
}

void
hp_window_set_printout_on_its_way (HpWindow *self,
                                   gboolean  on_its_way)
{
  HpGoodbyePage *page;
  gboolean was;

  g_return_if_fail (HP_IS_WINDOW (self));

  page = HP_GOODBYE_PAGE (self->pages[HP_PAGE_GOODBYE]);
  was = hp_goodbye_page_get_printout_on_its_way (page);
  hp_goodbye_page_set_printout_on_its_way (page, on_its_way);
  /* Asked to wait while saying goodbye: that is news to be read. */
  if (self->page == HP_PAGE_GOODBYE && on_its_way && !was)
    read_page (self, FALSE);
}

void
hp_window_set_history (HpWindow  *self,
                       GPtrArray *history)
{
  g_return_if_fail (HP_IS_WINDOW (self));
  hp_result_page_set_history (HP_RESULT_PAGE (self->pages[HP_PAGE_RESULT]), history);
}

void
hp_window_set_inactivity_warning (HpWindow *self,
                                  guint     seconds_left)
{
  g_return_if_fail (HP_IS_WINDOW (self));

  if (seconds_left > 0)
    {
      g_autofree char *text = NULL;

      text = g_strdup_printf (ngettext ("The screen will be cleared in %u second.",
                                        "The screen will be cleared in %u seconds.",
                                        seconds_left),
                              seconds_left);
      gtk_label_set_label (self->countdown_label, text);
    }
  if (seconds_left > 0 && !gtk_widget_get_visible (self->warning_scrim))
    {
      gtk_widget_set_visible (self->warning_scrim, TRUE);
      read_screen (self);
    }
  else
    gtk_widget_set_visible (self->warning_scrim, seconds_left > 0);
}

gboolean
hp_window_get_inactivity_warning_visible (HpWindow *self)
{
  g_return_val_if_fail (HP_IS_WINDOW (self), FALSE);
  return gtk_widget_get_visible (self->warning_scrim);
}

void
hp_window_show_notice (HpWindow   *self,
                       const char *text)
{
  g_return_if_fail (HP_IS_WINDOW (self));
  g_return_if_fail (text != NULL);

  gtk_label_set_label (self->notice_label, text);
  gtk_widget_set_visible (self->notice_scrim, TRUE);
  if (!gtk_widget_get_visible (self->warning_scrim))
    read_screen (self);
}

void
hp_window_set_next_language (HpWindow   *self,
                             const char *native_name)
{
  g_return_if_fail (HP_IS_WINDOW (self));

  gtk_widget_set_visible (GTK_WIDGET (self->language_button), native_name != NULL);
  if (native_name != NULL)
    gtk_button_set_label (self->language_button, native_name);
}

gboolean
hp_window_save_screenshot (HpWindow    *self,
                           const char  *path,
                           GError     **error)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer;
  int width, height;

  g_return_val_if_fail (HP_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  renderer = gtk_native_get_renderer (GTK_NATIVE (self));
  if (width <= 0 || height <= 0 || renderer == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                   "the window is not shown yet");
      return FALSE;
    }

  paintable = gtk_widget_paintable_new (GTK_WIDGET (self));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the window drew nothing");
      return FALSE;
    }
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "could not write %s", path);
      return FALSE;
    }
  return TRUE;
}

void
hp_ui_init_style (GdkDisplay *display)
{
  g_autoptr(GtkCssProvider) provider = NULL;
  g_autoptr(GtkCssProvider) high_contrast = NULL;

  g_return_if_fail (GDK_IS_DISPLAY (display));

  if (g_object_get_data (G_OBJECT (display), "hp-style") != NULL)
    return;
  /* The top bar's symbolic icons, drawn in the text's colour. */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (display), "/org/healthpost/ui/icons");
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/org/healthpost/ui/style.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  /* Above the main sheet, so its colours win over any page's own; it sets
   * no sizes, so larger text still applies with it. */
  high_contrast = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (high_contrast, "/org/healthpost/ui/style-high-contrast.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (high_contrast),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
  g_object_set_data (G_OBJECT (display), "hp-style", GINT_TO_POINTER (1));
}
