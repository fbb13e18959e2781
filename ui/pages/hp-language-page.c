/* The language of the visit, chosen from the kiosk's languages by their own names. */
#include "hp-language-page.h"
#include "hp-visit-actions.h"

struct _HpLanguagePage
{
  HpKioskPage parent_instance;

  GtkGrid *languages_box;
};

G_DEFINE_FINAL_TYPE (HpLanguagePage, hp_language_page, HP_TYPE_KIOSK_PAGE)

static void
hp_language_page_class_init (HpLanguagePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  hp_kiosk_page_class_set_template (widget_class, "/org/healthpost/ui/pages/hp-language-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HpLanguagePage, languages_box);
}

static void
hp_language_page_init (HpLanguagePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
hp_language_page_set_languages (HpLanguagePage     *self,
                                const char * const *codes,
                                const char * const *native_names)
{
  GtkWidget *child;

  g_return_if_fail (HP_IS_LANGUAGE_PAGE (self));
  g_return_if_fail (codes != NULL && native_names != NULL);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->languages_box))) != NULL)
    gtk_grid_remove (self->languages_box, child);

  for (guint i = 0; codes[i] != NULL && native_names[i] != NULL; i++)
    {
      GtkWidget *button = gtk_button_new_with_label (native_names[i]);
      GtkWidget *label = gtk_button_get_child (GTK_BUTTON (button));

      /* Each name is in its own language, whatever the screen's: a screen
       * reader must say "Español" the Spanish way. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, native_names[i], -1);
      if (GTK_IS_LABEL (label))
        gtk_label_set_selectable (GTK_LABEL (label), FALSE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), HP_VISIT_DETAILED (HP_VISIT_ACTION_CHOOSE_LANGUAGE));
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", codes[i]);
      gtk_widget_add_css_class (button, "choice");
      gtk_widget_add_css_class (button, "answer");
      /* Two a row: four languages fit any screen the kiosk has. */
      gtk_grid_attach (self->languages_box, button, (int) (i % 2), (int) (i / 2), 1, 1);
    }
}
