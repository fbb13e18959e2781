/* Every protocol driver the kiosk has, and how a USB device finds its own. */
#include "hp-driver.h"

#include <string.h>

#include "hp-contour-device.h"
#include "hp-contour-simulator.h"
#include "hp-freestyle-device.h"
#include "hp-freestyle-simulator.h"
#include "hp-hid-scale-device.h"
#include "hp-hid-scale-simulator.h"
#include "hp-omron-device.h"
#include "hp-omron-simulator.h"
#include "hp-phdc-device.h"
#include "hp-simulated-phdc.h"

/* The simulated devices each protocol's simulator offers. */
static const HpSimulatedDeviceEntry * const simulated_tables[] = {
  hp_omron_hem790_simulated_devices,
  hp_omron_hem7322_simulated_devices,
  hp_hid_scale_simulated_devices,
  hp_contour_simulated_devices,
  hp_freestyle_simulated_devices,
  hp_phdc_simulated_devices,
};

/* Proprietary drivers (VID:PID tables) come first, class matches last. */
static const HpDriver * const drivers[] = {
  &hp_omron_hem790_driver,
  &hp_omron_hem7322_driver,
  &hp_hid_scale_driver,
  &hp_contour_driver,
  &hp_freestyle_driver,
  &hp_phdc_driver,
};

const HpDriver * const *
hp_driver_registry_list (gsize *n_drivers)
{
  if (n_drivers != NULL)
    *n_drivers = G_N_ELEMENTS (drivers);
  return drivers;
}

const HpDriver *
hp_driver_registry_find_protocol (const char *protocol)
{
  g_return_val_if_fail (protocol != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (drivers); i++)
    if (strcmp (drivers[i]->protocol, protocol) == 0)
      return drivers[i];
  return NULL;
}

HpDevice *
hp_driver_registry_new_simulated (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (simulated_tables); i++)
    for (const HpSimulatedDeviceEntry *entry = simulated_tables[i]; entry->name != NULL; entry++)
      if (strcmp (entry->name, name) == 0)
        return entry->create ();
  return NULL;
}

const char **
hp_driver_registry_list_simulated (void)
{
  GPtrArray *names = g_ptr_array_new ();

  for (gsize i = 0; i < G_N_ELEMENTS (simulated_tables); i++)
    for (const HpSimulatedDeviceEntry *entry = simulated_tables[i]; entry->name != NULL; entry++)
      g_ptr_array_add (names, (gpointer) entry->name);
  g_ptr_array_add (names, NULL);
  return (const char **) g_ptr_array_free (names, FALSE);
}

static gboolean
usb_match_applies (const HpUsbMatch *match,
                   guint16           vendor_id,
                   guint16           product_id,
                   guint8            interface_class,
                   guint16           usage_page)
{
  switch (match->kind)
    {
    case HP_USB_MATCH_VID_PID:
      return match->vendor_id == vendor_id && match->product_id == product_id;
    case HP_USB_MATCH_INTERFACE_CLASS:
      return interface_class != 0 && match->interface_class == interface_class;
    case HP_USB_MATCH_HID_USAGE_PAGE:
      return usage_page != 0 && match->usage_page == usage_page;
    default:
      return FALSE;
    }
}

const HpDriver *
hp_driver_registry_match (guint16            vendor_id,
                          guint16            product_id,
                          guint8             interface_class,
                          guint16            usage_page,
                          const HpUsbMatch **match)
{
  /* Two passes: an exact VID:PID entry of any driver wins over a class or
   * usage-page entry of another. */
  for (guint pass = 0; pass < 2; pass++)
    for (gsize i = 0; i < G_N_ELEMENTS (drivers); i++)
      for (gsize j = 0; j < drivers[i]->n_matches; j++)
        {
          const HpUsbMatch *candidate = &drivers[i]->matches[j];

          if ((pass == 0) != (candidate->kind == HP_USB_MATCH_VID_PID))
            continue;
          if (usb_match_applies (candidate, vendor_id, product_id, interface_class, usage_page))
            {
              if (match != NULL)
                *match = candidate;
              return drivers[i];
            }
        }
  return NULL;
}
