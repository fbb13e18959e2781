/* The on-screen number pad: patients have no keyboard, so every number they give is typed here. */
#include "hp-keypad.h"
#include "hp-secret.h"

#include <glib/gi18n.h>
#include <string.h>

G_DEFINE_QUARK (hp-keypad-error-quark, hp_keypad_error)

/* U+25CF BLACK CIRCLE: one per digit of a masked value. */
#define MASK_DOT "\xe2\x97\x8f"

struct _HpKeypad
{
  GtkWidget parent_instance;

  GtkWidget *box;
  GtkLabel *display;
  GtkLabel *message;
  GtkWidget *grid;
  GtkWidget *delete_button;
  GtkWidget *done_button;

  /* A fixed buffer rather than a GString, so that clearing it wipes every
   * byte the value ever occupied. */
  char digits[HP_KEYPAD_MAX_DIGITS + 1];
  guint length;

  gboolean masked;
  guint max_length;
  guint min_length;
  guint min_value;
  guint max_value;
};

G_DEFINE_FINAL_TYPE (HpKeypad, hp_keypad, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_VALUE,
  PROP_MASKED,
  PROP_MAX_LENGTH,
  PROP_MIN_LENGTH,
  PROP_MIN_VALUE,
  PROP_MAX_VALUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_SUBMITTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
has_range (HpKeypad *self)
{
  return self->min_value > 0 || self->max_value < G_MAXUINT;
}

static void
hide_message (HpKeypad *self)
{
  gtk_label_set_label (self->message, "");
  gtk_widget_set_visible (GTK_WIDGET (self->message), FALSE);
}

static void
show_message (HpKeypad   *self,
              const char *text)
{
  gtk_label_set_label (self->message, text);
  gtk_widget_set_visible (GTK_WIDGET (self->message), TRUE);
}

static void
update_display (HpKeypad *self)
{
  if (self->masked)
    {
      g_autoptr(GString) dots = g_string_new (NULL);
      g_autofree char *description = NULL;

      for (guint i = 0; i < self->length; i++)
        g_string_append (dots, MASK_DOT);
      gtk_label_set_label (self->display, dots->str);
      /* Screen readers hear how many digits there are, never which. */
      if (self->length == 0)
        description = g_strdup (_("No digits entered"));
      else
        /* TRANSLATORS: spoken for a hidden PIN; %u is how many digits it has so far */
        description = g_strdup_printf (ngettext ("%u digit entered", "%u digits entered",
                                                 self->length),
                                       self->length);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->display),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                      -1);
    }
  else
    {
      gtk_label_set_label (self->display, self->digits);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self->display),
                                     GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "keypad.digit",
                                 self->length < self->max_length);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "keypad.delete", self->length > 0);
}

static void
value_changed (HpKeypad *self)
{
  hide_message (self);
  update_display (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
}

static void
wipe_digits (HpKeypad *self)
{
  hp_secret_wipe (self->digits, sizeof self->digits);
  self->length = 0;
}

static void
on_digit (GtkWidget  *widget,
          const char *action_name G_GNUC_UNUSED,
          GVariant   *parameter)
{
  HpKeypad *self = HP_KEYPAD (widget);
  gint32 digit = g_variant_get_int32 (parameter);

  if (digit < 0 || digit > 9 || self->length >= self->max_length)
    return;

  self->digits[self->length++] = (char) ('0' + digit);
  self->digits[self->length] = '\0';
  value_changed (self);
}

static void
on_delete (GtkWidget  *widget,
           const char *action_name G_GNUC_UNUSED,
           GVariant   *parameter G_GNUC_UNUSED)
{
  HpKeypad *self = HP_KEYPAD (widget);

  if (self->length == 0)
    return;

  self->digits[--self->length] = '\0';
  value_changed (self);
}

/* Says what is wrong with the value, or returns NULL when it is fine. */
static char *
check_value (HpKeypad *self)
{
  guint number = 0;

  if (self->length == 0)
    return g_strdup (_("Please type a number first."));

  if (self->length < self->min_length)
    {
      if (self->min_length == self->max_length)
        /* TRANSLATORS: %u is how many digits a PIN or code has */
        return g_strdup_printf (ngettext ("Please type all %u digit.", "Please type all %u digits.",
                                          self->min_length),
                                self->min_length);
      return g_strdup_printf (ngettext ("Please type at least %u digit.",
                                        "Please type at least %u digits.",
                                        self->min_length),
                              self->min_length);
    }

  if (has_range (self) &&
      (!hp_keypad_get_number (self, &number) ||
       number < self->min_value || number > self->max_value))
    /* TRANSLATORS: the smallest and the largest number the question allows */
    return g_strdup_printf (_("Please type a number from %u to %u."),
                            self->min_value, self->max_value);

  return NULL;
}

static void
on_submit (GtkWidget  *widget,
           const char *action_name G_GNUC_UNUSED,
           GVariant   *parameter G_GNUC_UNUSED)
{
  HpKeypad *self = HP_KEYPAD (widget);
  g_autofree char *problem = check_value (self);

  if (problem != NULL)
    {
      show_message (self, problem);
      return;
    }

  hide_message (self);
  g_signal_emit (self, signals[SIGNAL_SUBMITTED], 0);
}

/* Done keeps the side of every page's primary button: right, or left in
 * right-to-left languages. The digits never move. */
static void
place_bottom_row (HpKeypad *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (self->grid);
  gboolean rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;
  GtkLayoutChild *done = gtk_layout_manager_get_layout_child (layout, self->done_button);
  GtkLayoutChild *delete = gtk_layout_manager_get_layout_child (layout, self->delete_button);

  gtk_grid_layout_child_set_column (GTK_GRID_LAYOUT_CHILD (done), rtl ? 0 : 2);
  gtk_grid_layout_child_set_column (GTK_GRID_LAYOUT_CHILD (delete), rtl ? 2 : 0);
}

static void
hp_keypad_direction_changed (GtkWidget        *widget,
                             GtkTextDirection  previous)
{
  place_bottom_row (HP_KEYPAD (widget));

  GTK_WIDGET_CLASS (hp_keypad_parent_class)->direction_changed (widget, previous);
}

static GtkWidget *
key_new (const char *label,
         const char *accessible_name,
         const char *action_name,
         GVariant   *target)
{
  GtkWidget *button = g_object_new (GTK_TYPE_BUTTON,
                                    "accessible-role", GTK_ACCESSIBLE_ROLE_BUTTON,
                                    "label", label,
                                    "action-name", action_name,
                                    "focus-on-click", FALSE,
                                    NULL);

  if (target != NULL)
    gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), target);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_name,
                                  -1);
  gtk_widget_add_css_class (button, "keypad-key");
  gtk_widget_set_hexpand (button, TRUE);
  return button;
}

static void
hp_keypad_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  HpKeypad *self = HP_KEYPAD (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      g_value_set_string (value, self->digits);
      break;
    case PROP_MASKED:
      g_value_set_boolean (value, self->masked);
      break;
    case PROP_MAX_LENGTH:
      g_value_set_uint (value, self->max_length);
      break;
    case PROP_MIN_LENGTH:
      g_value_set_uint (value, self->min_length);
      break;
    case PROP_MIN_VALUE:
      g_value_set_uint (value, self->min_value);
      break;
    case PROP_MAX_VALUE:
      g_value_set_uint (value, self->max_value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hp_keypad_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  HpKeypad *self = HP_KEYPAD (object);

  switch (prop_id)
    {
    case PROP_MASKED:
      hp_keypad_set_masked (self, g_value_get_boolean (value));
      break;
    case PROP_MAX_LENGTH:
      hp_keypad_set_max_length (self, g_value_get_uint (value));
      break;
    case PROP_MIN_LENGTH:
      hp_keypad_set_min_length (self, g_value_get_uint (value));
      break;
    case PROP_MIN_VALUE:
      hp_keypad_set_range (self, g_value_get_uint (value), MAX (self->max_value, g_value_get_uint (value)));
      break;
    case PROP_MAX_VALUE:
      hp_keypad_set_range (self, MIN (self->min_value, g_value_get_uint (value)), g_value_get_uint (value));
      break;
    case PROP_VALUE:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hp_keypad_dispose (GObject *object)
{
  HpKeypad *self = HP_KEYPAD (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (hp_keypad_parent_class)->dispose (object);
}

static void
hp_keypad_finalize (GObject *object)
{
  wipe_digits (HP_KEYPAD (object));

  G_OBJECT_CLASS (hp_keypad_parent_class)->finalize (object);
}

static void
hp_keypad_class_init (HpKeypadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = hp_keypad_get_property;
  object_class->set_property = hp_keypad_set_property;
  object_class->dispose = hp_keypad_dispose;
  object_class->finalize = hp_keypad_finalize;
  widget_class->direction_changed = hp_keypad_direction_changed;

  /* A copy leaves the pad with every read: a PIN is better read with
   * hp_keypad_get_value(), which copies nothing. */
  properties[PROP_VALUE] =
    g_param_spec_string ("value", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MASKED] =
    g_param_spec_boolean ("masked", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_LENGTH] =
    g_param_spec_uint ("max-length", NULL, NULL, 1, HP_KEYPAD_MAX_DIGITS, HP_KEYPAD_MAX_DIGITS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MIN_LENGTH] =
    g_param_spec_uint ("min-length", NULL, NULL, 1, HP_KEYPAD_MAX_DIGITS, 1,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MIN_VALUE] =
    g_param_spec_uint ("min-value", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_VALUE] =
    g_param_spec_uint ("max-value", NULL, NULL, 0, G_MAXUINT, G_MAXUINT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_SUBMITTED] =
    g_signal_new ("submitted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "keypad.digit", "i", on_digit);
  gtk_widget_class_install_action (widget_class, "keypad.delete", NULL, on_delete);
  gtk_widget_class_install_action (widget_class, "keypad.submit", NULL, on_submit);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "keypad");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
hp_keypad_init (HpKeypad *self)
{
  GtkGrid *grid;

  self->max_length = HP_KEYPAD_MAX_DIGITS;
  self->min_length = 1;
  self->max_value = G_MAXUINT;

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  /* Never selectable: nothing typed here can be copied off the screen. */
  self->display = g_object_new (GTK_TYPE_LABEL, "selectable", FALSE, "xalign", 0.5f, NULL);
  gtk_widget_add_css_class (GTK_WIDGET (self->display), "keypad-display");
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->display));

  self->message = g_object_new (GTK_TYPE_LABEL,
                                "accessible-role", GTK_ACCESSIBLE_ROLE_ALERT,
                                "wrap", TRUE,
                                "justify", GTK_JUSTIFY_CENTER,
                                "visible", FALSE,
                                NULL);
  gtk_widget_add_css_class (GTK_WIDGET (self->message), "keypad-message");
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->message));

  self->grid = gtk_grid_new ();
  grid = GTK_GRID (self->grid);
  gtk_grid_set_row_spacing (grid, 16);
  gtk_grid_set_column_spacing (grid, 16);
  gtk_grid_set_row_homogeneous (grid, TRUE);
  gtk_grid_set_column_homogeneous (grid, TRUE);
  /* Phone keypads read 1-2-3 from the left in right-to-left languages too. */
  gtk_widget_set_direction (self->grid, GTK_TEXT_DIR_LTR);
  gtk_box_append (GTK_BOX (self->box), self->grid);

  for (int digit = 0; digit <= 9; digit++)
    {
      char label[2] = { (char) ('0' + digit), '\0' };
      GtkWidget *key = key_new (label, label, "keypad.digit", g_variant_new_int32 (digit));

      gtk_widget_add_css_class (key, "digit");
      if (digit == 0)
        gtk_grid_attach (grid, key, 1, 3, 1, 1);
      else
        gtk_grid_attach (grid, key, (digit - 1) % 3, (digit - 1) / 3, 1, 1);
    }

  /* TRANSLATORS: the name screen readers say for the ⌫ key */
  self->delete_button = key_new ("\xe2\x8c\xab", _("Delete"), "keypad.delete", NULL);
  gtk_grid_attach (grid, self->delete_button, 0, 3, 1, 1);
  /* TRANSLATORS: the key that gives the typed number; keep it short */
  self->done_button = key_new (C_("keypad", "Done"), C_("keypad", "Done"), "keypad.submit", NULL);
  gtk_widget_add_css_class (self->done_button, "primary");
  gtk_grid_attach (grid, self->done_button, 2, 3, 1, 1);
  place_bottom_row (self);

  update_display (self);
}

HpKeypad *
hp_keypad_new (void)
{
  return g_object_new (HP_TYPE_KEYPAD, NULL);
}

const char *
hp_keypad_get_value (HpKeypad *self)
{
  g_return_val_if_fail (HP_IS_KEYPAD (self), NULL);

  return self->digits;
}

gboolean
hp_keypad_get_number (HpKeypad *self,
                      guint    *number)
{
  guint64 parsed = 0;

  g_return_val_if_fail (HP_IS_KEYPAD (self), FALSE);

  if (self->length == 0 ||
      !g_ascii_string_to_unsigned (self->digits, 10, 0, G_MAXUINT, &parsed, NULL))
    return FALSE;
  if (number != NULL)
    *number = (guint) parsed;
  return TRUE;
}

void
hp_keypad_set_masked (HpKeypad *self,
                      gboolean  masked)
{
  g_return_if_fail (HP_IS_KEYPAD (self));

  masked = !!masked;
  if (self->masked == masked)
    return;
  self->masked = masked;
  update_display (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MASKED]);
}

gboolean
hp_keypad_get_masked (HpKeypad *self)
{
  g_return_val_if_fail (HP_IS_KEYPAD (self), FALSE);

  return self->masked;
}

void
hp_keypad_set_max_length (HpKeypad *self,
                          guint     max_length)
{
  g_return_if_fail (HP_IS_KEYPAD (self));
  g_return_if_fail (max_length >= 1 && max_length <= HP_KEYPAD_MAX_DIGITS);

  if (self->max_length == max_length)
    return;
  self->max_length = max_length;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_LENGTH]);

  if (self->length > max_length)
    {
      hp_secret_wipe (self->digits + max_length, sizeof self->digits - max_length);
      self->length = max_length;
      value_changed (self);
    }
  else
    update_display (self);
}

guint
hp_keypad_get_max_length (HpKeypad *self)
{
  g_return_val_if_fail (HP_IS_KEYPAD (self), 0);

  return self->max_length;
}

void
hp_keypad_set_min_length (HpKeypad *self,
                          guint     min_length)
{
  g_return_if_fail (HP_IS_KEYPAD (self));
  g_return_if_fail (min_length >= 1 && min_length <= HP_KEYPAD_MAX_DIGITS);

  if (self->min_length == min_length)
    return;
  self->min_length = min_length;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MIN_LENGTH]);
}

guint
hp_keypad_get_min_length (HpKeypad *self)
{
  g_return_val_if_fail (HP_IS_KEYPAD (self), 0);

  return self->min_length;
}

void
hp_keypad_set_range (HpKeypad *self,
                     guint     min_value,
                     guint     max_value)
{
  g_return_if_fail (HP_IS_KEYPAD (self));
  g_return_if_fail (min_value <= max_value);

  g_object_freeze_notify (G_OBJECT (self));
  if (self->min_value != min_value)
    {
      self->min_value = min_value;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MIN_VALUE]);
    }
  if (self->max_value != max_value)
    {
      self->max_value = max_value;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_VALUE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
hp_keypad_clear (HpKeypad *self)
{
  g_return_if_fail (HP_IS_KEYPAD (self));

  wipe_digits (self);
  value_changed (self);
}

gboolean
hp_keypad_feet_inches_to_cm (guint    feet,
                             guint    inches,
                             guint   *centimetres,
                             GError **error)
{
  g_return_val_if_fail (centimetres != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* The message names the allowed range only: the height is the patient's. */
  if (feet < 1 || feet > 8)
    {
      g_set_error_literal (error, HP_KEYPAD_ERROR, HP_KEYPAD_ERROR_OUT_OF_RANGE,
                           "feet must be from 1 to 8");
      return FALSE;
    }
  if (inches > 11)
    {
      g_set_error_literal (error, HP_KEYPAD_ERROR, HP_KEYPAD_ERROR_OUT_OF_RANGE,
                           "inches must be from 0 to 11");
      return FALSE;
    }

  /* An inch is 2.54 cm exactly; integer hundredths round to the nearest cm. */
  *centimetres = ((feet * 12 + inches) * 254 + 50) / 100;
  return TRUE;
}
