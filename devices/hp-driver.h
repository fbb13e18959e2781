/* What the device manager knows of each protocol driver: which USB devices it speaks to, how to make one, which bytes of its requests matter. */
#pragma once

#include "hp-device.h"
#include "hp-transport.h"

G_BEGIN_DECLS

typedef enum {
  HP_USB_MATCH_VID_PID,         /* vendor_id and product_id */
  HP_USB_MATCH_INTERFACE_CLASS, /* an interface of interface_class (0x0F = PHDC) */
  HP_USB_MATCH_HID_USAGE_PAGE,  /* a HID interface whose report descriptor uses usage_page (0x8D = scales) */
} HpUsbMatchKind;

typedef struct {
  HpUsbMatchKind kind;
  guint16        vendor_id;
  guint16        product_id;
  guint8         interface_class;
  guint16        usage_page;
  const char    *model;         /* "Omron HEM-790IT", for staff; %NULL for class matches */
} HpUsbMatch;

/* The link a driver needs from the USB device. */
typedef enum {
  HP_TRANSPORT_KIND_BULK_STREAM, /* bulk IN/OUT pipes as a byte stream (PHDC) */
  HP_TRANSPORT_KIND_HID_REPORTS, /* interrupt IN reports; interrupt OUT or SET_REPORT(Output) */
} HpTransportKind;

/* What the manager learnt of a USB device before choosing its driver. */
typedef struct {
  guint16     vendor_id;
  guint16     product_id;
  guint8      interface_number;
  const char *serial;           /* iSerialNumber, or %NULL */
  const char *model;            /* from the matching HpUsbMatch, or the product string */
  /* For PHDC: the specializations the 11073 function descriptor lists
   * (e.g. 0x1007 blood pressure, 0x100F scale, 0x1011 glucose); may be empty. */
  const guint16 *specializations;
  gsize       n_specializations;
} HpUsbDeviceInfo;

/* Makes the device for @info once @transport (not yet opened) is ready; the
 * device keeps a reference to the transport. @id is unique per device for
 * the kiosk's lifetime (it goes into measurements' device ids). */
typedef HpDevice *(*HpDriverCreateFunc) (const char            *id,
                                         const HpUsbDeviceInfo *info,
                                         HpTransport           *transport);

/* How many leading bytes of a request the driver sends carry meaning; the
 * rest is padding, which another host may fill with anything. */
typedef gsize (*HpReplaySignificantFunc) (const guint8 *request,
                                          gsize         len);

/* A simulated device of a driver's protocol: a simulator speaking a healthy
 * device's bytes to the real driver, with that simulator's usual reading
 * (for healthpost-ctl read --simulated NAME). Each protocol's simulator
 * lists its own, ending with an entry whose name is %NULL. */
typedef struct {
  const char *name;                 /* "ieee11073-bp", "omron-hem790", ... */
  HpDevice *(*create) (void);
} HpSimulatedDeviceEntry;

typedef struct {
  const char         *protocol;    /* short name: "ieee11073", "omron-hem790", ... used by healthpost-ctl */
  const char         *description; /* for staff */
  HpTransportKind     transport_kind;
  const HpUsbMatch   *matches;
  gsize               n_matches;
  HpDriverCreateFunc  create;
  /* For replaying a capture (hp-replay.h); %NULL: all but trailing zeros. */
  HpReplaySignificantFunc replay_significant;
} HpDriver;

/* Every driver the kiosk has, in matching order (VID:PID tables before class
 * matches, so a proprietary device is never taken by a generic driver). */
const HpDriver * const *hp_driver_registry_list (gsize *n_drivers);

const HpDriver *hp_driver_registry_find_protocol (const char *protocol);

/* A new simulated device called @name by some driver, or %NULL. */
HpDevice       *hp_driver_registry_new_simulated (const char *name);
/* The names of all simulated devices, %NULL-terminated; free with g_free()
 * (the strings are static). */
const char    **hp_driver_registry_list_simulated (void);

/* The driver for a USB device, or %NULL. @interface_class and @usage_page
 * are 0 when unknown; @match is set to the entry that matched. */
const HpDriver *hp_driver_registry_match (guint16            vendor_id,
                                          guint16            product_id,
                                          guint8             interface_class,
                                          guint16            usage_page,
                                          const HpUsbMatch **match);

G_END_DECLS
