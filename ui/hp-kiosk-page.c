/* Base of every kiosk page: a template-built widget that fills the page area. */
#include "hp-kiosk-page.h"

G_DEFINE_ABSTRACT_TYPE (HpKioskPage, hp_kiosk_page, GTK_TYPE_WIDGET)

static void
hp_kiosk_page_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), G_OBJECT_TYPE (object));
  /* The page's root box has no id, so the template does not release it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (hp_kiosk_page_parent_class)->dispose (object);
}

static void
hp_kiosk_page_class_init (HpKioskPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hp_kiosk_page_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
hp_kiosk_page_init (HpKioskPage *self G_GNUC_UNUSED)
{
  /* Subclasses call gtk_widget_init_template(): while a parent's init runs,
   * the instance still has the parent's class, and so no template. */
}

void
hp_kiosk_page_class_set_template (GtkWidgetClass *widget_class,
                                  const char     *resource_path)
{
  /* Templates carry no translation domain on purpose: GLib's g_dgettext()
   * stops translating a named domain for good when its first lookup happens
   * in a locale without a catalogue (English in C.UTF-8), while the default
   * domain, set by textdomain(), is always looked up. */
  gtk_widget_class_set_template_from_resource (widget_class, resource_path);
  gtk_widget_class_set_css_name (widget_class, "page");
}
