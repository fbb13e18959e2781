/* Base of every kiosk page: a template-built widget that fills the page area. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HP_TYPE_KIOSK_PAGE (hp_kiosk_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (HpKioskPage, hp_kiosk_page, HP, KIOSK_PAGE, GtkWidget)

struct _HpKioskPageClass
{
  GtkWidgetClass parent_class;

  /* What audio guidance reads of the page, a line per label in reading
   * order. The default reads the visible labels (see
   * hp_kiosk_page_collect_spoken_lines()), the heading first; a page
   * whose words on screen read badly aloud gives its own. */
  GStrv (*dup_spoken_lines) (HpKioskPage *self);
};

/* For subclasses' class_init: the template resource and the shared setup. */
void   hp_kiosk_page_class_set_template   (GtkWidgetClass *widget_class,
                                           const char     *resource_path);

/* The lines audio guidance reads of @self, never %NULL. */
GStrv  hp_kiosk_page_dup_spoken_lines     (HpKioskPage    *self);
/* Adds to @lines (of char *) the text of every visible label under @root,
 * depth first, which is reading order; a button is read as its label. Not
 * read: widgets with the CSS class "unspoken", a personal code
 * ("personal-code") and the keypad's keys and display ("keypad-key",
 * "keypad-display"), since what is typed there, a PIN or a code, must not
 * be heard by people nearby. */
void   hp_kiosk_page_collect_spoken_lines (GtkWidget      *root,
                                           GPtrArray      *lines);
/* Has audio guidance read @label as @spoken, where its words on screen
 * read badly aloud ("131/84"); %NULL reads it as written again. */
void   hp_kiosk_page_set_spoken_text      (GtkWidget      *label,
                                           const char     *spoken);
/* @lines as one text to speak: each line ends as a sentence, so the voice
 * pauses between a heading, a sentence and a button. */
char  *hp_kiosk_page_join_spoken_lines    (const char * const *lines);

G_END_DECLS
