/* Printed visit summaries: the service the kiosk asks for a printout. */
#include "hp-print-service.h"

struct _HpPrintService
{
  GObject parent_instance;
};

G_DEFINE_FINAL_TYPE (HpPrintService, hp_print_service, G_TYPE_OBJECT)

static void
hp_print_service_class_init (HpPrintServiceClass *klass G_GNUC_UNUSED)
{
}

static void
hp_print_service_init (HpPrintService *self G_GNUC_UNUSED)
{
}

HpPrintService *
hp_print_service_new (void)
{
  return g_object_new (HP_TYPE_PRINT_SERVICE, NULL);
}

gboolean
hp_print_service_is_available (HpPrintService *self)
{
  g_return_val_if_fail (HP_IS_PRINT_SERVICE (self), FALSE);

  /* No printer can be configured yet. */
  return FALSE;
}

gboolean
hp_print_service_print_visit (HpPrintService  *self,
                              HpVisit        *visit,
                              GError        **error)
{
  g_return_val_if_fail (HP_IS_PRINT_SERVICE (self), FALSE);
  g_return_val_if_fail (HP_IS_VISIT (visit), FALSE);

  if (!hp_print_service_is_available (self))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "no printer is set up on this kiosk");
      return FALSE;
    }
  return TRUE;
}
