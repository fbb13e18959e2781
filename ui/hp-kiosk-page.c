/* Base of every kiosk page: a template-built widget that fills the page area. */
#include "hp-kiosk-page.h"

#include <string.h>

G_DEFINE_ABSTRACT_TYPE (HpKioskPage, hp_kiosk_page, GTK_TYPE_WIDGET)

/* Labels that show what a patient typed or a code that is theirs alone. */
static const char * const unspoken_classes[] = {
  "unspoken", "personal-code", "keypad-key", "keypad-display",
};

static G_DEFINE_QUARK (hp-kiosk-page-spoken-text, spoken_text)

static gboolean
is_heading (GtkWidget *widget)
{
  return gtk_widget_has_css_class (widget, "title-1") || gtk_widget_has_css_class (widget, "title-2");
}

static void
collect (GtkWidget *widget,
         GPtrArray *lines,
         int       *heading)
{
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (unspoken_classes); i++)
    if (gtk_widget_has_css_class (widget, unspoken_classes[i]))
      return;

  if (GTK_IS_LABEL (widget))
    {
      const char *spoken = g_object_get_qdata (G_OBJECT (widget), spoken_text_quark ());
      g_autofree char *text = g_strstrip (g_strdup (spoken != NULL ? spoken
                                                    : gtk_label_get_text (GTK_LABEL (widget))));

      if (*text != '\0')
        {
          if (*heading < 0 && is_heading (widget))
            *heading = (int) lines->len;
          g_ptr_array_add (lines, g_steal_pointer (&text));
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, lines, heading);
}

void
hp_kiosk_page_collect_spoken_lines (GtkWidget *root,
                                    GPtrArray *lines)
{
  guint start;
  int heading = -1;

  g_return_if_fail (GTK_IS_WIDGET (root));
  g_return_if_fail (lines != NULL);

  start = lines->len;
  collect (root, lines, &heading);
  /* The heading says what the screen is for: it comes first even where
   * the layout puts a picture or a note above it. */
  if (heading > (int) start)
    {
      gpointer line = g_ptr_array_steal_index (lines, (guint) heading);

      g_ptr_array_insert (lines, (int) start, line);
    }
}

static GStrv
hp_kiosk_page_real_dup_spoken_lines (HpKioskPage *self)
{
  GPtrArray *lines = g_ptr_array_new ();

  hp_kiosk_page_collect_spoken_lines (GTK_WIDGET (self), lines);
  g_ptr_array_add (lines, NULL);
  return (GStrv) g_ptr_array_free (lines, FALSE);
}

GStrv
hp_kiosk_page_dup_spoken_lines (HpKioskPage *self)
{
  GStrv lines;

  g_return_val_if_fail (HP_IS_KIOSK_PAGE (self), NULL);

  lines = HP_KIOSK_PAGE_GET_CLASS (self)->dup_spoken_lines (self);
  return lines != NULL ? lines : g_new0 (char *, 1);
}

/* Ends of a sentence in the kiosk's languages, Arabic's question mark too. */
static gboolean
ends_sentence (const char *line)
{
  static const char * const ends[] = { ".", "!", "?", ":", "…", "؟", NULL };

  for (guint i = 0; ends[i] != NULL; i++)
    if (g_str_has_suffix (line, ends[i]))
      return TRUE;
  return FALSE;
}

void
hp_kiosk_page_set_spoken_text (GtkWidget  *label,
                               const char *spoken)
{
  g_return_if_fail (GTK_IS_LABEL (label));

  g_object_set_qdata_full (G_OBJECT (label), spoken_text_quark (), g_strdup (spoken), g_free);
}

char *
hp_kiosk_page_join_spoken_lines (const char * const *lines)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (lines != NULL, NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, lines[i]);
      if (!ends_sentence (lines[i]))
        g_string_append_c (text, '.');
    }
  return g_string_free (text, FALSE);
}

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
  klass->dup_spoken_lines = hp_kiosk_page_real_dup_spoken_lines;
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
