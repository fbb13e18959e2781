/* A new personal code, shown once for the patient to keep. */
#pragma once

#include "hp-kiosk-page.h"

G_BEGIN_DECLS

#define HP_TYPE_CODE_PAGE (hp_code_page_get_type ())
G_DECLARE_FINAL_TYPE (HpCodePage, hp_code_page, HP, CODE_PAGE, HpKioskPage)

/* Shows @code grouped for reading; %NULL wipes it. Personal data. */
void hp_code_page_set_code (HpCodePage *self,
                            const char *code);

/* Whether the page offers to print (only where the kiosk has a printer). */
void hp_code_page_set_can_print (HpCodePage *self,
                                gboolean   can_print);

G_END_DECLS
