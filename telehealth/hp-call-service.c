/* Video calls with a remote clinician: the service the kiosk asks for a call. */
#include "hp-call-service.h"

struct _HpCallService
{
  GObject parent_instance;
};

G_DEFINE_FINAL_TYPE (HpCallService, hp_call_service, G_TYPE_OBJECT)

static void
hp_call_service_class_init (HpCallServiceClass *klass G_GNUC_UNUSED)
{
}

static void
hp_call_service_init (HpCallService *self G_GNUC_UNUSED)
{
}

HpCallService *
hp_call_service_new (void)
{
  return g_object_new (HP_TYPE_CALL_SERVICE, NULL);
}

gboolean
hp_call_service_is_available (HpCallService *self)
{
  g_return_val_if_fail (HP_IS_CALL_SERVICE (self), FALSE);

  /* No signalling server can be configured yet. */
  return FALSE;
}

gboolean
hp_call_service_request_call (HpCallService  *self,
                              HpVisit        *visit,
                              GError        **error)
{
  g_return_val_if_fail (HP_IS_CALL_SERVICE (self), FALSE);
  g_return_val_if_fail (HP_IS_VISIT (visit), FALSE);

  if (!hp_call_service_is_available (self))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "no clinician call service is set up on this kiosk");
      return FALSE;
    }
  return TRUE;
}
