/* Printed visit summaries: the service the kiosk asks for a printout. */
#pragma once

#include "hp-visit.h"

G_BEGIN_DECLS

#define HP_TYPE_PRINT_SERVICE (hp_print_service_get_type ())
G_DECLARE_FINAL_TYPE (HpPrintService, hp_print_service, HP, PRINT_SERVICE, GObject)

HpPrintService *hp_print_service_new          (void);

/* Whether a printer is set up; until it is, no print button is offered. */
gboolean        hp_print_service_is_available (HpPrintService  *self);

/* Prints a summary of @visit. Fails with G_IO_ERROR_NOT_SUPPORTED while no
 * printer is set up. */
gboolean        hp_print_service_print_visit  (HpPrintService  *self,
                                               HpVisit         *visit,
                                               GError         **error);

G_END_DECLS
