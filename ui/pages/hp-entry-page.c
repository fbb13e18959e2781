/* A question answered with numbers on the keypad: a personal code, a PIN, a height. */
#include "hp-entry-page.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hp-adaptive-row.h"
#include "hp-keypad.h"
#include "hp-patient-code.h"
#include "hp-secret.h"
#include "hp-visit.h"
#include "hp-visit-actions.h"

struct _HpEntryPage
{
  HpKioskPage parent_instance;

  GtkLabel *title_label;
  GtkLabel *lead_label;
  GtkWidget *units_box;
  GtkToggleButton *cm_button;
  GtkToggleButton *feet_button;
  GtkLabel *error_label;
  GtkWidget *busy_label;
  GtkWidget *skip_button;
  HpKeypad *keypad;

  HpEntryKind kind;
  /* Feet and inches are typed one after the other: the feet, while the
   * pad asks for inches. 0 while it asks for feet. */
  guint feet;
};

G_DEFINE_FINAL_TYPE (HpEntryPage, hp_entry_page, HP_TYPE_KIOSK_PAGE)

static void
show_error (HpEntryPage *self,
            const char  *text)
{
  gtk_label_set_label (self->error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
}

/* Sets the pad and the words for what is asked now. */
static void
ask (HpEntryPage *self)
{
  const char *title = NULL, *lead = NULL;
  gboolean height = self->kind == HP_ENTRY_HEIGHT;
  gboolean in_feet = height && gtk_toggle_button_get_active (self->feet_button);

  hp_keypad_clear (self->keypad);
  hp_keypad_set_masked (self->keypad, self->kind == HP_ENTRY_PIN || self->kind == HP_ENTRY_NEW_PIN ||
                                      self->kind == HP_ENTRY_CONFIRM_PIN);
  switch (self->kind)
    {
    case HP_ENTRY_CODE:
      title = _("Type your personal code");
      lead = _("It is printed on your earlier summary, under the square code.");
      hp_keypad_set_range (self->keypad, 0, G_MAXUINT);
      hp_keypad_set_min_length (self->keypad, HP_PATIENT_CODE_LENGTH);
      hp_keypad_set_max_length (self->keypad, HP_PATIENT_CODE_LENGTH);
      break;
    case HP_ENTRY_PIN:
    case HP_ENTRY_NEW_PIN:
    case HP_ENTRY_CONFIRM_PIN:
      if (self->kind == HP_ENTRY_PIN)
        {
          title = _("Type your PIN");
          lead = _("The secret number you chose with your code.");
        }
      else if (self->kind == HP_ENTRY_NEW_PIN)
        {
          title = _("Choose a PIN");
          lead = _("A secret number that you will remember. Do not use 1234 or 0000.");
        }
      else
        {
          title = _("Type your PIN again");
          lead = _("To be sure it is right.");
        }
      hp_keypad_set_range (self->keypad, 0, G_MAXUINT);
      hp_keypad_set_min_length (self->keypad, HP_PATIENT_PIN_MIN_LENGTH);
      hp_keypad_set_max_length (self->keypad, HP_PATIENT_PIN_MAX_LENGTH);
      break;
    case HP_ENTRY_HEIGHT:
    default:
      title = _("How tall are you?");
      if (!in_feet)
        {
          lead = _("Type your height in centimetres. With your weight it gives your body-mass index (BMI).");
          hp_keypad_set_max_length (self->keypad, 3);
          hp_keypad_set_range (self->keypad, (guint) HP_VISIT_HEIGHT_MIN_CM, (guint) HP_VISIT_HEIGHT_MAX_CM);
        }
      else if (self->feet == 0)
        {
          lead = _("First type the feet of your height.");
          hp_keypad_set_max_length (self->keypad, 1);
          hp_keypad_set_range (self->keypad, 1, 8);
        }
      else
        {
          lead = _("Now type the inches.");
          hp_keypad_set_max_length (self->keypad, 2);
          hp_keypad_set_range (self->keypad, 0, 11);
        }
      hp_keypad_set_min_length (self->keypad, 1);
      break;
    }
  gtk_label_set_label (self->title_label, title);
  gtk_label_set_label (self->lead_label, lead);
  gtk_widget_set_visible (self->units_box, height);
  gtk_widget_set_visible (self->skip_button, height);
}

/* A screen reader says which unit is chosen. */
static void
update_unit_states (HpEntryPage *self)
{
  GtkToggleButton *buttons[] = { self->cm_button, self->feet_button };

  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    gtk_accessible_update_state (GTK_ACCESSIBLE (buttons[i]), GTK_ACCESSIBLE_STATE_PRESSED,
                                 gtk_toggle_button_get_active (buttons[i])
                                 ? GTK_ACCESSIBLE_TRISTATE_TRUE : GTK_ACCESSIBLE_TRISTATE_FALSE,
                                 -1);
}

static void
on_unit_toggled (HpEntryPage *self)
{
  update_unit_states (self);
  self->feet = 0;
  show_error (self, NULL);
  ask (self);
}

static void
submit_height (HpEntryPage *self)
{
  g_autoptr(GError) error = NULL;
  guint number = 0, cm = 0;

  if (!hp_keypad_get_number (self->keypad, &number))
    return;
  if (!gtk_toggle_button_get_active (self->feet_button))
    cm = number;
  else if (self->feet == 0)
    {
      /* The inches come next, on the same pad. */
      self->feet = number;
      ask (self);
      return;
    }
  else if (!hp_keypad_feet_inches_to_cm (self->feet, number, &cm, &error))
    {
      /* The pad's ranges keep both numbers valid; this cannot be the
       * patient's doing. */
      g_warning ("height not converted: %s", error->message);
      return;
    }
  self->feet = 0;
  ask (self);
  gtk_widget_activate_action (GTK_WIDGET (self), HP_VISIT_DETAILED (HP_VISIT_ACTION_HEIGHT), "d", (double) cm);
}

static void
on_submitted (HpEntryPage *self)
{
  g_autoptr(HpSecretString) digits = NULL;

  show_error (self, NULL);
  if (self->kind == HP_ENTRY_HEIGHT)
    {
      submit_height (self);
      return;
    }
  /* The pad is wiped at once; the copy lives only for the call. */
  digits = g_strdup (hp_keypad_get_value (self->keypad));
  hp_keypad_clear (self->keypad);
  gtk_widget_activate_action (GTK_WIDGET (self), HP_VISIT_DETAILED (HP_VISIT_ACTION_ENTER), "s", digits);
}

static void
hp_entry_page_dispose (GObject *object)
{
  HpEntryPage *self = HP_ENTRY_PAGE (object);

  if (self->keypad != NULL)
    hp_keypad_clear (self->keypad);

  G_OBJECT_CLASS (hp_entry_page_parent_class)->dispose (object);
}

static void
hp_entry_page_class_init (HpEntryPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = hp_entry_page_dispose;

  g_type_ensure (HP_TYPE_ADAPTIVE_ROW);
  g_type_ensure (HP_TYPE_KEYPAD);
  hp_kiosk_page_class_set_template (widget_class, "/org/healthpost/ui/pages/hp-entry-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HpEntryPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, HpEntryPage, lead_label);
  gtk_widget_class_bind_template_child (widget_class, HpEntryPage, units_box);
  gtk_widget_class_bind_template_child (widget_class, HpEntryPage, cm_button);
  gtk_widget_class_bind_template_child (widget_class, HpEntryPage, feet_button);
  gtk_widget_class_bind_template_child (widget_class, HpEntryPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, HpEntryPage, busy_label);
  gtk_widget_class_bind_template_child (widget_class, HpEntryPage, skip_button);
  gtk_widget_class_bind_template_child (widget_class, HpEntryPage, keypad);
  gtk_widget_class_bind_template_callback (widget_class, on_unit_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_submitted);
}

static void
hp_entry_page_init (HpEntryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->kind = HP_ENTRY_CODE;
  update_unit_states (self);
  ask (self);
}

void
hp_entry_page_set_kind (HpEntryPage *self,
                        HpEntryKind  kind)
{
  g_return_if_fail (HP_IS_ENTRY_PAGE (self));
  g_return_if_fail (kind <= HP_ENTRY_LAST);

  if (self->kind == kind)
    return;
  self->kind = kind;
  self->feet = 0;
  gtk_toggle_button_set_active (self->cm_button, TRUE);
  show_error (self, NULL);
  ask (self);
}

HpEntryKind
hp_entry_page_get_kind (HpEntryPage *self)
{
  g_return_val_if_fail (HP_IS_ENTRY_PAGE (self), HP_ENTRY_CODE);
  return self->kind;
}

void
hp_entry_page_set_error (HpEntryPage  *self,
                         HpEntryError  error)
{
  g_return_if_fail (HP_IS_ENTRY_PAGE (self));

  switch (error)
    {
    case HP_ENTRY_ERROR_CODE_INVALID:
      show_error (self, _("That is not a personal code. Please check the numbers and type it again."));
      break;
    case HP_ENTRY_ERROR_NOT_RECOGNISED:
      show_error (self, _("The code or the PIN is not right. Please try again."));
      break;
    case HP_ENTRY_ERROR_LOCKED:
      show_error (self, _("Too many tries. Please wait a few minutes, or go back and continue without a code."));
      break;
    case HP_ENTRY_ERROR_PIN_WEAK:
      show_error (self, _("That PIN is too easy to guess. Please choose another one."));
      break;
    case HP_ENTRY_ERROR_PIN_MISMATCH:
      show_error (self, _("The two PINs were not the same. Please choose your PIN again."));
      break;
    case HP_ENTRY_ERROR_UNAVAILABLE:
      show_error (self, _("The kiosk cannot do this right now. Please go back and continue without a code."));
      break;
    case HP_ENTRY_ERROR_NONE:
    default:
      show_error (self, NULL);
      break;
    }
}

void
hp_entry_page_set_busy (HpEntryPage *self,
                        gboolean     busy)
{
  g_return_if_fail (HP_IS_ENTRY_PAGE (self));

  gtk_widget_set_visible (self->busy_label, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->keypad), !busy);
}

GtkWidget *
hp_entry_page_get_keypad (HpEntryPage *self)
{
  g_return_val_if_fail (HP_IS_ENTRY_PAGE (self), NULL);
  return GTK_WIDGET (self->keypad);
}

void
hp_entry_page_clear (HpEntryPage *self)
{
  g_return_if_fail (HP_IS_ENTRY_PAGE (self));

  self->feet = 0;
  hp_keypad_clear (self->keypad);
  show_error (self, NULL);
}
