/* Video calls with a remote clinician: the service the kiosk asks for a call. */
#pragma once

#include "hp-visit.h"

G_BEGIN_DECLS

#define HP_TYPE_CALL_SERVICE (hp_call_service_get_type ())
G_DECLARE_FINAL_TYPE (HpCallService, hp_call_service, HP, CALL_SERVICE, GObject)

HpCallService *hp_call_service_new          (void);

/* Whether a clinician service is set up on this kiosk; until it is, the
 * patient is told calls are not available. */
gboolean       hp_call_service_is_available (HpCallService  *self);

/* Asks for a call about @visit. Fails with G_IO_ERROR_NOT_SUPPORTED while
 * no clinician service is set up. */
gboolean       hp_call_service_request_call (HpCallService  *self,
                                             HpVisit        *visit,
                                             GError        **error);

G_END_DECLS
