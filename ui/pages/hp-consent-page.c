/* Before a visit: what is kept, for how long and who sees it; agree or leave. */
#include "hp-consent-page.h"

#include <glib/gi18n.h>

struct _HpConsentPage
{
  HpKioskPage parent_instance;

  GtkLabel *kept_label;
};

G_DEFINE_FINAL_TYPE (HpConsentPage, hp_consent_page, HP_TYPE_KIOSK_PAGE)

static void
hp_consent_page_class_init (HpConsentPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  hp_kiosk_page_class_set_template (widget_class, "/org/healthpost/ui/pages/hp-consent-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HpConsentPage, kept_label);
}

static void
hp_consent_page_init (HpConsentPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  hp_consent_page_set_retention_days (self, 365);
}

void
hp_consent_page_set_retention_days (HpConsentPage *self,
                                    guint          days)
{
  g_autofree char *text = NULL;

  g_return_if_fail (HP_IS_CONSENT_PAGE (self));

  /* A year reads better than 365 days; anything else is said in days. */
  if (days % 365 == 0)
    text = g_strdup_printf (ngettext ("Your readings are kept on this kiosk, locked with a secret key, for %u year. Then they are deleted.",
                                      "Your readings are kept on this kiosk, locked with a secret key, for %u years. Then they are deleted.",
                                      days / 365),
                            days / 365);
  else
    text = g_strdup_printf (ngettext ("Your readings are kept on this kiosk, locked with a secret key, for %u day. Then they are deleted.",
                                      "Your readings are kept on this kiosk, locked with a secret key, for %u days. Then they are deleted.",
                                      days),
                            days);
  gtk_label_set_label (self->kept_label, text);
}
