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
  GtkLabel *next_step_label;
  GtkLabel *emergency_label;
  GtkWidget *call_note_label;
  GtkWidget *call_button;
  GtkLabel *title_label;
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
  gtk_widget_class_bind_template_child (widget_class, HpCrisisPage, next_step_label);
  gtk_widget_class_bind_template_child (widget_class, HpCrisisPage, emergency_label);
  gtk_widget_class_bind_template_child (widget_class, HpCrisisPage, call_note_label);
  gtk_widget_class_bind_template_child (widget_class, HpCrisisPage, call_button);
  gtk_widget_class_bind_template_child (widget_class, HpCrisisPage, title_label);
}

static void
hp_crisis_page_init (HpCrisisPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* When to call the emergency number, with one %s for it: the signs of
 * the danger the reading points to, else the signs of any emergency. */
static const char *
emergency_format (HpEmergencySigns signs)
{
  /* TRANSLATORS: in each of these sentences, %s is the local emergency
   * telephone number, e.g. 911 */
  switch (signs)
    {
    case HP_EMERGENCY_SIGNS_HIGH_BP:
      return _("If you have chest pain, back pain, trouble breathing, numbness or weakness, "
               "or trouble seeing or speaking, call %s now.");
    case HP_EMERGENCY_SIGNS_LOW_BP:
      return _("If you faint, feel confused, feel cold and clammy, or have chest pain, call %s now.");
    case HP_EMERGENCY_SIGNS_PULSE:
      return _("If you feel faint or dizzy, or have chest pain or trouble breathing, call %s now.");
    case HP_EMERGENCY_SIGNS_LOW_GLUCOSE:
      return _("If you are shaky, sweaty or confused, or cannot eat or drink, call %s now.");
    case HP_EMERGENCY_SIGNS_HIGH_GLUCOSE:
      return _("If you are vomiting, breathing fast, or very sleepy or confused, call %s now.");
    case HP_EMERGENCY_SIGNS_NONE:
    default:
      return _("If you feel chest pain, trouble breathing, weakness or trouble speaking, call %s now.");
    }
}

/* The sentence as Pango markup, the number in it large. The format comes
 * from the catalogue, not from a printf: a translation can only place the
 * number, never be read as a format of its own. */
static char *
emergency_markup (HpEmergencySigns  signs,
                  const char       *emergency_number)
{
  const char *number = emergency_number != NULL && *emergency_number != '\0' ? emergency_number : "911";
  g_auto(GStrv) parts = g_strsplit (emergency_format (signs), "%s", 2);
  g_autofree char *before = g_markup_escape_text (parts[0], -1);
  g_autofree char *after = g_markup_escape_text (parts[1] != NULL ? parts[1] : "", -1);
  g_autofree char *big = g_markup_printf_escaped ("<span size=\"130%%\" weight=\"heavy\">%s</span>", number);

  return g_strconcat (before, big, after, NULL);
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
  gboolean interpreted = FALSE, is_pulse = FALSE;

  g_return_if_fail (HP_IS_CRISIS_PAGE (self));
  g_return_if_fail (measurement == NULL || HP_IS_MEASUREMENT (measurement));
  g_return_if_fail (measurement == NULL || HP_IS_VISIT (visit));

  gtk_label_set_label (self->value_label, "");
  hp_kiosk_page_set_spoken_text (GTK_WIDGET (self->value_label), NULL);
  gtk_label_set_label (self->unit_label, "");
  gtk_label_set_label (self->category_label, "");
  gtk_label_set_label (self->meaning_label, "");
  gtk_label_set_label (self->next_step_label, "");

  if (measurement != NULL)
    interpreted = hp_visit_interpret_urgent (visit, measurement, &interpretation, &is_pulse);
  gtk_label_set_label (self->title_label,
                       interpreted && interpretation.urgency == HP_URGENCY_TELL_STAFF_NOW
                       ? _("Please tell a staff member now")
                       : _("Please get medical help now"));

  /* The advice stands even when the number cannot be shown: the flow only
   * comes here for a reading that needs help now. */
  emergency = emergency_markup (interpreted ? interpretation.emergency : HP_EMERGENCY_SIGNS_NONE, emergency_number);
  gtk_label_set_markup (self->emergency_label, emergency);
  gtk_label_set_label (self->next_step_label,
                       interpreted ? _(interpretation.next_step) : _("Tell a staff member now."));
  if (measurement == NULL)
    return;

  if (is_pulse)
    {
      value = hp_reading_text_pulse_value (visit, measurement, &unit);
    }
  else
    {
      value = hp_reading_text_value (visit, measurement, &unit);
      spoken = hp_reading_text_spoken_value (visit, measurement);
    }
  if (value == NULL)
    return;
  gtk_label_set_label (self->value_label, value);
  hp_kiosk_page_set_spoken_text (GTK_WIDGET (self->value_label), spoken);
  gtk_label_set_label (self->unit_label, unit);
  if (interpreted)
    {
      gtk_label_set_label (self->category_label, _(interpretation.title));
      gtk_label_set_label (self->meaning_label, _(interpretation.meaning));
    }
}

void
hp_crisis_page_set_can_call (HpCrisisPage *self,
                             gboolean      can_call)
{
  g_return_if_fail (HP_IS_CRISIS_PAGE (self));

  /* A call is offered, and spoken of, only while one can be made. */
  gtk_widget_set_visible (self->call_button, can_call);
  gtk_widget_set_visible (self->call_note_label, can_call);
}
