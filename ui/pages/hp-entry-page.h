/* A question answered with numbers on the keypad: a personal code, a PIN, a height. */
#pragma once

#include "hp-kiosk-page.h"
#include "hp-visit-problem.h"

G_BEGIN_DECLS

typedef enum {
  HP_ENTRY_CODE,          /* a returning patient's personal code */
  HP_ENTRY_PIN,           /* its PIN, masked */
  HP_ENTRY_NEW_PIN,       /* a PIN chosen for a new code */
  HP_ENTRY_CONFIRM_PIN,   /* the same again */
  HP_ENTRY_HEIGHT,        /* in centimetres, or feet then inches */
} HpEntryKind;

#define HP_ENTRY_LAST HP_ENTRY_HEIGHT

#define HP_TYPE_ENTRY_PAGE (hp_entry_page_get_type ())
G_DECLARE_FINAL_TYPE (HpEntryPage, hp_entry_page, HP, ENTRY_PAGE, HpKioskPage)

/* Asks for @kind, with an empty keypad. Done activates HP_VISIT_ACTION_ENTER with
 * the digits typed, or HP_VISIT_ACTION_HEIGHT with a height in cm. */
void        hp_entry_page_set_kind     (HpEntryPage    *self,
                                        HpEntryKind     kind);
HpEntryKind hp_entry_page_get_kind     (HpEntryPage    *self);
/* Why the last answer was not taken, in the patient's words. */
void        hp_entry_page_set_error    (HpEntryPage    *self,
                                        HpEntryError    error);
/* While an answer is checked, the keypad waits. */
void        hp_entry_page_set_busy     (HpEntryPage    *self,
                                        gboolean        busy);
/* The keypad, for tests. */
GtkWidget  *hp_entry_page_get_keypad   (HpEntryPage    *self);
/* Wipes what was typed. */
void        hp_entry_page_clear        (HpEntryPage    *self);

G_END_DECLS
