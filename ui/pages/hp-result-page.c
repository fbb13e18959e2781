/* The page that shows a reading: the numbers big, the units small, and what to do. */
#include "hp-result-page.h"

#include <glib/gi18n.h>
#include <math.h>

#include "hp-adaptive-row.h"
#include "hp-category-icon.h"
#include "hp-reading-text.h"
#include "hp-trend-chart.h"

struct _HpResultPage
{
  HpKioskPage parent_instance;

  GtkWidget *call_button;

  GtkLabel *title_label;
  GtkLabel *value_label;
  GtkLabel *unit_label;
  GtkLabel *detail_label;
  GtkWidget *category_box;
  GtkPicture *category_picture;
  GtkLabel *category_label;
  GtkLabel *meaning_label;
  GtkLabel *next_step_label;
  GtkWidget *pulse_box;
  GtkPicture *pulse_picture;
  GtkLabel *pulse_title_label;
  GtkLabel *pulse_next_step_label;
  GtkWidget *trend_button;
  GtkStack *views;
  HpTrendChart *trend_chart;
  GtkLabel *trend_summary_label;

  /* The reading on screen: the view goes back to it when another comes. */
  HpMeasurement *measurement;

  /* A returning patient's earlier visits, newest first. */
  GPtrArray *history;
};

G_DEFINE_FINAL_TYPE (HpResultPage, hp_result_page, HP_TYPE_KIOSK_PAGE)

static void
hp_result_page_dispose (GObject *object)
{
  HpResultPage *self = HP_RESULT_PAGE (object);

  g_clear_pointer (&self->history, g_ptr_array_unref);
  g_clear_object (&self->measurement);

  G_OBJECT_CLASS (hp_result_page_parent_class)->dispose (object);
}

static void show_view (HpResultPage *self,
                       gboolean      trend);

static void
toggle_trend (GtkWidget  *widget,
              const char *action_name G_GNUC_UNUSED,
              GVariant   *parameter G_GNUC_UNUSED)
{
  HpResultPage *self = HP_RESULT_PAGE (widget);

  show_view (self, !hp_result_page_get_showing_trend (self));
}

static void
hp_result_page_class_init (HpResultPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = hp_result_page_dispose;
  g_type_ensure (HP_TYPE_ADAPTIVE_ROW);
  g_type_ensure (HP_TYPE_TREND_CHART);

  hp_kiosk_page_class_set_template (widget_class, "/org/healthpost/ui/pages/hp-result-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HpResultPage, call_button);
  gtk_widget_class_bind_template_child (widget_class, HpResultPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, HpResultPage, value_label);
  gtk_widget_class_bind_template_child (widget_class, HpResultPage, unit_label);
  gtk_widget_class_bind_template_child (widget_class, HpResultPage, detail_label);
  gtk_widget_class_bind_template_child (widget_class, HpResultPage, category_box);
  gtk_widget_class_bind_template_child (widget_class, HpResultPage, category_picture);
  gtk_widget_class_bind_template_child (widget_class, HpResultPage, category_label);
  gtk_widget_class_bind_template_child (widget_class, HpResultPage, meaning_label);
  gtk_widget_class_bind_template_child (widget_class, HpResultPage, next_step_label);
  gtk_widget_class_bind_template_child (widget_class, HpResultPage, pulse_box);
  gtk_widget_class_bind_template_child (widget_class, HpResultPage, pulse_picture);
  gtk_widget_class_bind_template_child (widget_class, HpResultPage, pulse_title_label);
  gtk_widget_class_bind_template_child (widget_class, HpResultPage, pulse_next_step_label);
  gtk_widget_class_bind_template_child (widget_class, HpResultPage, trend_button);
  gtk_widget_class_bind_template_child (widget_class, HpResultPage, views);
  gtk_widget_class_bind_template_child (widget_class, HpResultPage, trend_chart);
  gtk_widget_class_bind_template_child (widget_class, HpResultPage, trend_summary_label);
  gtk_widget_class_install_action (widget_class, "result.toggle-trend", NULL, toggle_trend);
}

static void
hp_result_page_init (HpResultPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static const char * const title_of[] = {
  [HP_MEASUREMENT_KIND_BLOOD_PRESSURE] = N_("Your blood pressure"),
  [HP_MEASUREMENT_KIND_BODY_WEIGHT] = N_("Your weight"),
  [HP_MEASUREMENT_KIND_BLOOD_GLUCOSE] = N_("Your blood sugar"),
};

static const char * const urgency_classes[] = {
  [HP_URGENCY_NONE] = "urgency-none",
  [HP_URGENCY_CHECK] = "urgency-check",
  [HP_URGENCY_SEE_DOCTOR] = "urgency-see-doctor",
  [HP_URGENCY_TELL_STAFF_NOW] = "urgency-tell-staff-now",
  [HP_URGENCY_SEEK_CARE_NOW] = "urgency-seek-care-now",
};

static void
clear_category (HpResultPage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (urgency_classes); i++)
    gtk_widget_remove_css_class (self->category_box, urgency_classes[i]);
  gtk_picture_set_resource (self->category_picture, NULL);
  gtk_label_set_label (self->category_label, "");
  gtk_label_set_label (self->meaning_label, "");
  gtk_label_set_label (self->next_step_label, "");
  gtk_widget_set_visible (self->category_box, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (urgency_classes); i++)
    gtk_widget_remove_css_class (self->pulse_box, urgency_classes[i]);
  gtk_picture_set_resource (self->pulse_picture, NULL);
  gtk_label_set_label (self->pulse_title_label, "");
  gtk_label_set_label (self->pulse_next_step_label, "");
  gtk_widget_set_visible (self->pulse_box, FALSE);
}

/* The category in words and with an icon, never by colour alone. */
static void
show_category (HpResultPage           *self,
               const HpInterpretation *interpretation)
{
  g_autofree char *icon = NULL;

  if (interpretation->icon_name != NULL)
    icon = g_strdup_printf ("/org/healthpost/ui/icons/%s.svg", interpretation->icon_name);
  if (icon != NULL && g_resources_get_info (icon, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL, NULL, NULL))
    gtk_picture_set_resource (self->category_picture, icon);
  gtk_widget_set_visible (GTK_WIDGET (self->category_picture),
                          gtk_picture_get_paintable (self->category_picture) != NULL);
  gtk_label_set_label (self->category_label, _(interpretation->title));
  gtk_label_set_label (self->meaning_label, _(interpretation->meaning));
  gtk_label_set_label (self->next_step_label, _(interpretation->next_step));
  if (interpretation->urgency < G_N_ELEMENTS (urgency_classes))
    gtk_widget_add_css_class (self->category_box, urgency_classes[interpretation->urgency]);
  gtk_widget_set_visible (self->category_box, TRUE);
}

/* @spoken: the value as audio guidance says it, %NULL as written. */
static void
show_value (HpResultPage *self,
            const char   *value,
            const char   *spoken,
            const char   *unit)
{
  gtk_label_set_label (self->value_label, value);
  hp_kiosk_page_set_spoken_text (GTK_WIDGET (self->value_label), spoken);
  gtk_label_set_label (self->unit_label, unit);
}

/* A unit the kiosk cannot convert would make the number mean something else. */
static void
show_unknown_unit (HpResultPage *self)
{
  show_value (self, "", NULL, "");
  gtk_label_set_label (self->detail_label,
                       _("The device gave a result the kiosk cannot show. Please ask a staff member."));
}

/* The pulse in the detail line; an abnormal one also gets its own card with
 * its advice, and then the blood pressure's card shows no "all is well"
 * tick or habit advice beside it. */
static void
show_blood_pressure (HpResultPage           *self,
                     HpVisit                *visit,
                     HpMeasurement          *measurement,
                     const HpInterpretation *pressure)
{
  HpInterpretation pulse_meaning = { 0 };
  g_autofree char *text = NULL;
  g_autofree char *icon = NULL;
  double pulse = 0;

  if (!hp_visit_get_pulse (visit, measurement, &pulse))
    return;
  if (!hp_visit_interpret_pulse (visit, measurement, &pulse_meaning))
    {
      /* TRANSLATORS: %.0f is the pulse, a whole number */
      text = g_strdup_printf (_("Pulse: %.0f beats per minute"), pulse);
      gtk_label_set_label (self->detail_label, text);
      return;
    }
  /* TRANSLATORS: %.0f is the pulse, a whole number; %s says what it
   * means, e.g. "Normal pulse" */
  text = g_strdup_printf (_("Pulse: %.0f beats per minute (%s)"), pulse, _(pulse_meaning.title));
  gtk_label_set_label (self->detail_label, text);
  /* A child's pulse, like their pressure, is not read against adult
   * ranges: it needs a card only when it asks for help now. */
  if (pulse_meaning.urgency == HP_URGENCY_NONE ||
      ((hp_measurement_get_flags (measurement) & HP_MEASUREMENT_FLAG_UNDER_18) &&
       pulse_meaning.urgency < HP_URGENCY_TELL_STAFF_NOW))
    return;

  icon = hp_category_icon_path (&pulse_meaning);
  gtk_picture_set_resource (self->pulse_picture, icon);
  gtk_widget_set_visible (GTK_WIDGET (self->pulse_picture), icon != NULL);
  gtk_label_set_label (self->pulse_title_label, _(pulse_meaning.title));
  gtk_label_set_label (self->pulse_next_step_label, _(pulse_meaning.next_step));
  if (pulse_meaning.urgency < G_N_ELEMENTS (urgency_classes))
    gtk_widget_add_css_class (self->pulse_box, urgency_classes[pulse_meaning.urgency]);
  gtk_widget_set_visible (self->pulse_box, TRUE);
  if (pressure != NULL && pressure->urgency == HP_URGENCY_NONE)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->category_picture), FALSE);
      gtk_label_set_label (self->next_step_label, "");
    }
}

static void
show_body_weight (HpResultPage  *self,
                  HpVisit       *visit,
                  HpMeasurement *measurement)
{
  HpInterpretation unused = { 0 };
  double bmi = 0;

  if (hp_visit_interpret (visit, measurement, &bmi, &unused))
    {
      g_autofree char *text = NULL;
      g_autofree char *bmi_text = hp_local_format_decimal (hp_interpret_shown_value (HP_SCALE_BMI, bmi), 1);

      /* TRANSLATORS: %s is the body-mass index with one decimal, written
       * with the language's decimal separator; %.0f the height in cm */
      text = g_strdup_printf (_("Body-mass index (BMI): %s, for a height of %.0f cm. Clothes and shoes add a little."),
                              bmi_text, hp_visit_get_height_cm (visit));
      if (hp_reading_text_bmi_note (measurement) != NULL)
        {
          g_autofree char *with_note = g_strconcat (text, " ", hp_reading_text_bmi_note (measurement), NULL);

          g_free (text);
          text = g_steal_pointer (&with_note);
        }
      gtk_label_set_label (self->detail_label, text);
    }
  else
    gtk_label_set_label (self->detail_label, hp_reading_text_weight_note ());
}

static void
show_blood_glucose (HpResultPage *self,
                    HpFasting     fasting)
{
  /* What the number means depends on the last meal: the patient sees which
   * answer it was read against. */
  const char *note = hp_reading_text_fasting_note (fasting);

  if (note != NULL)
    gtk_label_set_label (self->detail_label, note);
}

/* The number a trend follows for @kind, and a second one under it (the
 * diastolic under the systolic). */
static gboolean
trend_value (HpMeasurement *measurement,
             double        *value,
             double        *second)
{
  *second = NAN;
  switch (hp_measurement_get_kind (measurement))
    {
    case HP_MEASUREMENT_KIND_BLOOD_PRESSURE:
      return hp_measurement_get_normalized_value (measurement, HP_QUANTITY_SYSTOLIC, value) &&
             hp_measurement_get_normalized_value (measurement, HP_QUANTITY_DIASTOLIC, second);
    case HP_MEASUREMENT_KIND_BODY_WEIGHT:
      return hp_measurement_get_normalized_value (measurement, HP_QUANTITY_BODY_WEIGHT, value);
    case HP_MEASUREMENT_KIND_BLOOD_GLUCOSE:
      return hp_measurement_get_normalized_value (measurement, HP_QUANTITY_BLOOD_GLUCOSE, value);
    default:
      return FALSE;
    }
}

static void
add_point (GArray        *points,
           HpVisit       *visit,
           HpMeasurement *measurement)
{
  HpTrendPoint point = { 0 };
  GDateTime *time = hp_measurement_get_kiosk_time (measurement);

  if (!trend_value (measurement, &point.value, &point.second))
    return;
  point.time = time != NULL ? time : hp_visit_get_started_at (visit);
  g_array_append_val (points, point);
}

/* The reading, or the patient's last visits in its place: one tap apart, so
 * that each fills the card at any text size. */
static void
show_view (HpResultPage *self,
           gboolean      trend)
{
  trend = trend && gtk_widget_get_visible (self->trend_button);
  gtk_stack_set_visible_child_name (self->views, trend ? "trend" : "reading");
  gtk_button_set_label (GTK_BUTTON (self->trend_button),
                        trend ? _("Back to today’s result") : _("Your last visits"));
}

/* A returning patient can see where today's reading sits among their last
 * ones; a first reading has no trend, and offers none. */
static void
set_trend_visible (HpResultPage *self,
                   gboolean      visible)
{
  gtk_widget_set_visible (self->trend_button, visible);
  gtk_label_set_label (self->trend_summary_label,
                       visible ? hp_trend_chart_get_summary (self->trend_chart) : "");
  hp_kiosk_page_set_spoken_text (GTK_WIDGET (self->trend_summary_label),
                                 visible ? hp_trend_chart_get_spoken_summary (self->trend_chart) : NULL);
  if (!visible)
    show_view (self, FALSE);
}

static void
show_trend (HpResultPage  *self,
            HpVisit       *visit,
            HpMeasurement *measurement)
{
  g_autoptr(GArray) points = g_array_new (FALSE, TRUE, sizeof (HpTrendPoint));
  HpMeasurementKind kind = hp_measurement_get_kind (measurement);

  hp_trend_chart_clear (self->trend_chart);
  set_trend_visible (self, FALSE);
  if (self->history == NULL)
    return;

  for (guint i = 0; i < self->history->len; i++)
    {
      HpVisit *earlier = g_ptr_array_index (self->history, i);
      HpMeasurement *m = hp_visit_find_latest (earlier, kind);

      if (m != NULL)
        add_point (points, earlier, m);
    }
  if (points->len == 0)
    return;
  add_point (points, visit, measurement);

  switch (kind)
    {
    case HP_MEASUREMENT_KIND_BLOOD_PRESSURE:
      /* Below 120 systolic is normal (ACC/AHA 2017). */
      hp_trend_chart_set_normal_range (self->trend_chart, 90, 119);
      hp_trend_chart_set_digits (self->trend_chart, 0);
      hp_trend_chart_set_unit (self->trend_chart, _("mmHg"));
      break;
    case HP_MEASUREMENT_KIND_BODY_WEIGHT:
      hp_trend_chart_unset_normal_range (self->trend_chart);
      hp_trend_chart_set_digits (self->trend_chart, 1);
      hp_trend_chart_set_unit (self->trend_chart, _("kg"));
      break;
    case HP_MEASUREMENT_KIND_BLOOD_GLUCOSE:
    default:
      hp_trend_chart_unset_normal_range (self->trend_chart);
      hp_trend_chart_set_digits (self->trend_chart, 0);
      hp_trend_chart_set_unit (self->trend_chart, _("mg/dL"));
      break;
    }
  hp_trend_chart_set_points (self->trend_chart, (const HpTrendPoint *) (gpointer) points->data, points->len);
  set_trend_visible (self, TRUE);
}

void
hp_result_page_set_measurement (HpResultPage  *self,
                                HpVisit       *visit,
                                HpMeasurement *measurement)
{
  HpInterpretation interpretation = { 0 };
  g_autofree char *value = NULL;
  g_autofree char *spoken = NULL;
  const char *unit = NULL;
  gboolean keep_trend, interpreted;

  g_return_if_fail (HP_IS_RESULT_PAGE (self));
  g_return_if_fail (measurement == NULL || HP_IS_MEASUREMENT (measurement));
  g_return_if_fail (measurement == NULL || HP_IS_VISIT (visit));

  /* The same reading again (its words in another language) keeps its
   * view; another one starts on its own numbers. */
  keep_trend = measurement != NULL && measurement == self->measurement &&
               hp_result_page_get_showing_trend (self);
  g_set_object (&self->measurement, measurement);

  show_value (self, "", NULL, "");
  gtk_label_set_label (self->detail_label, "");
  gtk_label_set_label (self->title_label, _("Your result"));
  clear_category (self);
  hp_trend_chart_clear (self->trend_chart);
  set_trend_visible (self, FALSE);
  if (measurement == NULL)
    return;

  gtk_label_set_label (self->title_label, _(title_of[hp_measurement_get_kind (measurement)]));
  value = hp_reading_text_value (visit, measurement, &unit);
  if (value == NULL)
    {
      show_unknown_unit (self);
      show_trend (self, visit, measurement);
      show_view (self, keep_trend);
      return;
    }
  spoken = hp_reading_text_spoken_value (visit, measurement);
  show_value (self, value, spoken, unit);

  interpreted = hp_visit_interpret (visit, measurement, NULL, &interpretation);
  if (interpreted)
    show_category (self, &interpretation);
  switch (hp_measurement_get_kind (measurement))
    {
    case HP_MEASUREMENT_KIND_BLOOD_PRESSURE:
      show_blood_pressure (self, visit, measurement, interpreted ? &interpretation : NULL);
      break;
    case HP_MEASUREMENT_KIND_BODY_WEIGHT:
      show_body_weight (self, visit, measurement);
      break;
    case HP_MEASUREMENT_KIND_BLOOD_GLUCOSE:
      show_blood_glucose (self, hp_visit_get_measurement_fasting (visit, measurement));
      break;
    default:
      break;
    }

  show_trend (self, visit, measurement);
  show_view (self, keep_trend);
}

void
hp_result_page_set_history (HpResultPage *self,
                            GPtrArray    *history)
{
  g_return_if_fail (HP_IS_RESULT_PAGE (self));

  g_clear_pointer (&self->history, g_ptr_array_unref);
  if (history != NULL)
    self->history = g_ptr_array_ref (history);
  if (history == NULL)
    {
      hp_trend_chart_clear (self->trend_chart);
      set_trend_visible (self, FALSE);
    }
}

gboolean
hp_result_page_get_showing_trend (HpResultPage *self)
{
  g_return_val_if_fail (HP_IS_RESULT_PAGE (self), FALSE);
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->views), "trend") == 0;
}

void
hp_result_page_set_showing_trend (HpResultPage *self,
                                  gboolean      showing)
{
  g_return_if_fail (HP_IS_RESULT_PAGE (self));
  show_view (self, showing);
}

GtkWidget *
hp_result_page_get_trend (HpResultPage *self)
{
  g_return_val_if_fail (HP_IS_RESULT_PAGE (self), NULL);
  return GTK_WIDGET (self->trend_chart);
}

void
hp_result_page_set_can_call (HpResultPage *self,
                           gboolean      can_call)
{
  g_return_if_fail (HP_IS_RESULT_PAGE (self));
  gtk_widget_set_visible (self->call_button, can_call);
}
