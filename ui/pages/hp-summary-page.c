/* The page that sums up a visit: every reading with its category, and what to do next. */
#include "hp-summary-page.h"

#include <glib/gi18n.h>

#include "hp-adaptive-row.h"
#include "hp-category-icon.h"
#include "hp-reading-text.h"

struct _HpSummaryPage
{
  HpKioskPage parent_instance;

  GtkWidget *call_button;

  GtkBox *rows_box;
  GtkWidget *print_button;
  guint n_rows;
};

G_DEFINE_FINAL_TYPE (HpSummaryPage, hp_summary_page, HP_TYPE_KIOSK_PAGE)

static const char * const urgency_classes[] = {
  [HP_URGENCY_NONE] = "urgency-none",
  [HP_URGENCY_CHECK] = "urgency-check",
  [HP_URGENCY_SEE_DOCTOR] = "urgency-see-doctor",
  [HP_URGENCY_TELL_STAFF_NOW] = "urgency-tell-staff-now",
  [HP_URGENCY_SEEK_CARE_NOW] = "urgency-seek-care-now",
};

static void
hp_summary_page_class_init (HpSummaryPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (HP_TYPE_ADAPTIVE_ROW);
  hp_kiosk_page_class_set_template (widget_class, "/org/healthpost/ui/pages/hp-summary-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HpSummaryPage, call_button);
  gtk_widget_class_bind_template_child (widget_class, HpSummaryPage, rows_box);
  gtk_widget_class_bind_template_child (widget_class, HpSummaryPage, print_button);
}

static void
hp_summary_page_init (HpSummaryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static GtkWidget *
new_label (const char *text,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

/* One row: what was measured, the number with its unit (@value %NULL: a
 * unit the kiosk cannot show), and its category in words with an icon
 * (never colour alone) when @interpretation is given. */
static GtkWidget *
new_row (const char             *name_text,
         const char             *value,
         const char             *spoken,
         const char             *unit,
         const HpInterpretation *interpretation)
{
  GtkWidget *row, *name, *reading, *category;

  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 24);
  gtk_widget_add_css_class (row, "summary-row");

  name = new_label (name_text, "summary-name");
  gtk_widget_set_size_request (name, 250, -1);
  gtk_box_append (GTK_BOX (row), name);

  reading = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_widget_set_size_request (reading, 330, -1);
  if (value != NULL)
    {
      GtkWidget *unit_label = new_label (unit, "summary-unit");
      GtkWidget *value_label = new_label (value, "summary-reading");

      /* "mg/dL" is one word: a tall row beside it must not break it. */
      gtk_label_set_wrap (GTK_LABEL (unit_label), FALSE);

      hp_kiosk_page_set_spoken_text (value_label, spoken);
      gtk_box_append (GTK_BOX (reading), value_label);
      gtk_widget_set_valign (unit_label, GTK_ALIGN_END);
      gtk_box_append (GTK_BOX (reading), unit_label);
    }
  else
    gtk_box_append (GTK_BOX (reading),
                    new_label (_("The kiosk cannot show this result."), NULL));
  gtk_box_append (GTK_BOX (row), reading);

  category = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_hexpand (category, TRUE);
  gtk_widget_add_css_class (category, "category");
  if (value != NULL && interpretation != NULL)
    {
      g_autofree char *icon = hp_category_icon_path (interpretation);

      if (icon != NULL)
        {
          GtkWidget *picture = gtk_picture_new_for_resource (icon);

          gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
          gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_CONTAIN);
          gtk_widget_set_size_request (picture, 48, 48);
          gtk_widget_set_valign (picture, GTK_ALIGN_CENTER);
          gtk_box_append (GTK_BOX (category), picture);
        }
      GtkWidget *title = new_label (_(interpretation->title), "summary-category");

      gtk_widget_set_hexpand (title, TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (title), 40);
      gtk_box_append (GTK_BOX (category), title);
      if (interpretation->urgency < G_N_ELEMENTS (urgency_classes))
        gtk_widget_add_css_class (category, urgency_classes[interpretation->urgency]);
    }
  else
    gtk_widget_remove_css_class (category, "category");
  gtk_box_append (GTK_BOX (row), category);
  return row;
}

static GtkWidget *
new_reading_row (HpVisit       *visit,
                 HpMeasurement *measurement)
{
  HpInterpretation interpretation = { 0 };
  g_autofree char *value = NULL;
  g_autofree char *spoken = NULL;
  const char *unit = NULL;
  gboolean interpreted;

  value = hp_reading_text_value (visit, measurement, &unit);
  spoken = hp_reading_text_spoken_value (visit, measurement);
  interpreted = hp_reading_text_interpret (visit, measurement, &interpretation);
  return new_row (hp_reading_text_kind_name (hp_measurement_get_kind (measurement)),
                  value, spoken, unit, interpreted ? &interpretation : NULL);
}

/* The pulse a cuff gave, as a row of its own: an abnormal pulse is never
 * hidden in the blood pressure's row. */
static GtkWidget *
new_pulse_row (HpVisit       *visit,
               HpMeasurement *measurement)
{
  HpInterpretation interpretation = { 0 };
  g_autofree char *value = NULL;
  const char *unit = NULL;
  gboolean interpreted;

  value = hp_reading_text_pulse_value (visit, measurement, &unit);
  if (value == NULL)
    return NULL;
  interpreted = hp_visit_interpret_pulse (visit, measurement, &interpretation);
  return new_row (hp_reading_text_pulse_name (), value, NULL, unit, interpreted ? &interpretation : NULL);
}

void
hp_summary_page_set_visit (HpSummaryPage *self,
                           HpVisit       *visit)
{
  GtkWidget *child;
  GListModel *measurements;

  g_return_if_fail (HP_IS_SUMMARY_PAGE (self));
  g_return_if_fail (visit == NULL || HP_IS_VISIT (visit));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->rows_box))) != NULL)
    gtk_box_remove (self->rows_box, child);
  self->n_rows = 0;
  if (visit == NULL)
    return;

  measurements = hp_visit_get_measurements (visit);
  for (guint i = 0; i < g_list_model_get_n_items (measurements); i++)
    {
      g_autoptr(HpMeasurement) measurement = g_list_model_get_item (measurements, i);
      GtkWidget *pulse = new_pulse_row (visit, measurement);

      gtk_box_append (self->rows_box, new_reading_row (visit, measurement));
      self->n_rows++;
      if (pulse != NULL)
        {
          gtk_box_append (self->rows_box, pulse);
          self->n_rows++;
        }
    }
}

guint
hp_summary_page_get_n_rows (HpSummaryPage *self)
{
  g_return_val_if_fail (HP_IS_SUMMARY_PAGE (self), 0);
  return self->n_rows;
}

void
hp_summary_page_set_can_print (HpSummaryPage *self,
                               gboolean       can_print)
{
  g_return_if_fail (HP_IS_SUMMARY_PAGE (self));
  gtk_widget_set_visible (self->print_button, can_print);
}

void
hp_summary_page_set_can_call (HpSummaryPage *self,
                           gboolean      can_call)
{
  g_return_if_fail (HP_IS_SUMMARY_PAGE (self));
  gtk_widget_set_visible (self->call_button, can_call);
}
