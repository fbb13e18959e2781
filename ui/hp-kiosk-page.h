/* Base of every kiosk page: a template-built widget that fills the page area. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HP_TYPE_KIOSK_PAGE (hp_kiosk_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (HpKioskPage, hp_kiosk_page, HP, KIOSK_PAGE, GtkWidget)

struct _HpKioskPageClass
{
  GtkWidgetClass parent_class;
};

/* For subclasses' class_init: the template resource and the shared setup. */
void hp_kiosk_page_class_set_template (GtkWidgetClass *widget_class,
                                       const char     *resource_path);

G_END_DECLS
