/* A new personal code, shown once for the patient to keep. */
#include "hp-code-page.h"

#include "hp-patient-code.h"

struct _HpCodePage
{
  HpKioskPage parent_instance;

  GtkLabel *code_label;
  GtkWidget *print_button;
};

G_DEFINE_FINAL_TYPE (HpCodePage, hp_code_page, HP_TYPE_KIOSK_PAGE)

static void
hp_code_page_class_init (HpCodePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  hp_kiosk_page_class_set_template (widget_class, "/org/healthpost/ui/pages/hp-code-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HpCodePage, code_label);
  gtk_widget_class_bind_template_child (widget_class, HpCodePage, print_button);
}

static void
hp_code_page_init (HpCodePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Digits and dashes read left to right in every language. */
  gtk_widget_set_direction (GTK_WIDGET (self->code_label), GTK_TEXT_DIR_LTR);
}

void
hp_code_page_set_code (HpCodePage *self,
                       const char *code)
{
  g_autofree char *grouped = NULL;

  g_return_if_fail (HP_IS_CODE_PAGE (self));

  if (code != NULL)
    grouped = hp_patient_code_format (code);
  gtk_label_set_label (self->code_label, grouped != NULL ? grouped : "");
}

void
hp_code_page_set_can_print (HpCodePage *self,
                            gboolean    can_print)
{
  g_return_if_fail (HP_IS_CODE_PAGE (self));
  gtk_widget_set_visible (self->print_button, can_print);
}
