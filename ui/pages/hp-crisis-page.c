/* The page for a reading that needs care now: what it means, whom to call, and a clinician on offer. */
#include "hp-crisis-page.h"

#include <glib/gi18n.h>

#include "hp-reading-text.h"

struct _HpCrisisPage
{
  HpKioskPage parent_instance;

  GtkLabel *value_label;
  GtkLabel *unit_label;
  GtkLabel *category_label;
  GtkLabel *meaning_label;
  GtkLabel *emergency_label;
};

G_DEFINE_FINAL_TYPE (HpCrisisPage, hp_crisis_page, HP_TYPE_KIOSK_PAGE)

static void
hp_crisis_page_class_init (HpCrisisPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  hp_kiosk_page_class_set_template (widget_class, "/org/healthpost/ui/pages/hp-crisis-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HpCrisisPage, value_label);
  gtk_widget_class_bind_template_child (widget_class, HpCrisisPage, unit_label);
  gtk_widget_class_bind_template_child (widget_class, HpCrisisPage, category_label);
  gtk_widget_class_bind_template_child (widget_class, HpCrisisPage, meaning_label);
  gtk_widget_class_bind_template_child (widget_class, HpCrisisPage, emergency_label);
}

static void
hp_crisis_page_init (HpCrisisPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
hp_crisis_page_set_reading (HpCrisisPage  *self,
                            HpVisit       *visit,
                            HpMeasurement *measurement,
                            const char    *emergency_number)
{
  HpInterpretation interpretation = { 0 };
  g_autofree char *value = NULL;
  g_autofree char *spoken = NULL;
  g_autofree char *emergency = NULL;
  const char *unit = NULL;

  g_return_if_fail (HP_IS_CRISIS_PAGE (self));
  g_return_if_fail (measurement == NULL || HP_IS_MEASUREMENT (measurement));
  g_return_if_fail (measurement == NULL || HP_IS_VISIT (visit));

  gtk_label_set_label (self->value_label, "");
  hp_kiosk_page_set_spoken_text (GTK_WIDGET (self->value_label), NULL);
  gtk_label_set_label (self->unit_label, "");
  gtk_label_set_label (self->category_label, "");
  gtk_label_set_label (self->meaning_label, "");

  /* The advice stands even when the number cannot be shown: the flow only
   * comes here for a reading that needs care now. */
  emergency = g_strdup_printf (
    /* TRANSLATORS: %s is the local emergency telephone number, e.g. 911 */
    _("If you feel chest pain, trouble breathing, weakness or trouble speaking, call %s now."),
    emergency_number != NULL && *emergency_number != '\0' ? emergency_number : "911");
  gtk_label_set_label (self->emergency_label, emergency);

  if (measurement == NULL)
    return;

  value = hp_reading_text_value (measurement, &unit);
  if (value == NULL)
    return;
  gtk_label_set_label (self->value_label, value);
  spoken = hp_reading_text_spoken_value (measurement);
  hp_kiosk_page_set_spoken_text (GTK_WIDGET (self->value_label), spoken);
  gtk_label_set_label (self->unit_label, unit);
  if (hp_reading_text_interpret (visit, measurement, &interpretation))
    {
      gtk_label_set_label (self->category_label, _(interpretation.title));
      gtk_label_set_label (self->meaning_label, _(interpretation.meaning));
    }
}
