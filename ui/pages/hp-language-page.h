/* The language of the visit, chosen from the kiosk's languages by their own names. */
#pragma once

#include "hp-kiosk-page.h"

G_BEGIN_DECLS

#define HP_TYPE_LANGUAGE_PAGE (hp_language_page_get_type ())
G_DECLARE_FINAL_TYPE (HpLanguagePage, hp_language_page, HP, LANGUAGE_PAGE, HpKioskPage)

/* One button for each of @codes (e.g. "es"), labelled with the matching
 * entry of @native_names ("Español"), in that order. */
void hp_language_page_set_languages (HpLanguagePage     *self,
                                     const char * const *codes,
                                     const char * const *native_names);

G_END_DECLS
