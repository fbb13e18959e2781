/* USB class descriptors the device manager matches on: PHDC (0x20/0x21/0x22/0x30) and HID report descriptors. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HP_USB_DESCRIPTOR_ERROR (hp_usb_descriptor_error_quark ())

typedef enum {
  HP_USB_DESCRIPTOR_ERROR_TRUNCATED, /* a descriptor or item runs past the end */
  HP_USB_DESCRIPTOR_ERROR_MALFORMED, /* a length or value the class forbids */
} HpUsbDescriptorError;

GQuark hp_usb_descriptor_error_quark (void);

/* Descriptor types (USB PHDC 1.0 §5, HID 1.11 §7.1). The PHDC QoS and the
 * HID class descriptor share 0x21; the interface class says which it is. */
#define HP_USB_DT_PHDC_FUNCTION       0x20
#define HP_USB_DT_PHDC_QOS            0x21
#define HP_USB_DT_PHDC_METADATA       0x22
#define HP_USB_DT_PHDC_11073_FUNCTION 0x30
#define HP_USB_DT_HID                 0x21
#define HP_USB_DT_HID_REPORT          0x22

#define HP_USB_PHDC_DATA_CODE_11073_20601 0x02
#define HP_USB_HID_USAGE_PAGE_SCALE       0x008D

/* The specializations kept from one 11073 function descriptor; a device
 * lists one or two in practice. */
#define HP_USB_PHDC_MAX_SPECIALIZATIONS 16

typedef struct {
  gboolean has_function;       /* a class function descriptor (0x20) was seen */
  guint8   data_code;          /* its bPHDCDataCode */
  gboolean metadata_capable;   /* its bmCapability bit 0 */
  guint    n_qos;              /* QoS descriptors (one per data endpoint) */
  guint    n_metadata;         /* metadata descriptors */
  guint16  specializations[HP_USB_PHDC_MAX_SPECIALIZATIONS];
  gsize    n_specializations;
} HpUsbPhdcFunction;

/* Walks the class-specific descriptors of a PHDC interface and its
 * endpoints (what follows the standard interface and endpoint descriptors
 * in the configuration), adding what it finds to @function; call it once per
 * run of descriptors on a zeroed @function. Unknown descriptor types are
 * skipped by their length. */
gboolean hp_usb_parse_phdc_descriptors (const guint8       *data,
                                        gsize               len,
                                        HpUsbPhdcFunction  *function,
                                        GError            **error);

/* Finds the report descriptor's length in the HID class descriptor among an
 * interface's extra descriptors. FALSE with an error when the HID descriptor
 * is missing, broken or lists no report descriptor. */
gboolean hp_usb_parse_hid_descriptor   (const guint8       *data,
                                        gsize               len,
                                        guint16            *report_length,
                                        GError            **error);

#define HP_USB_HID_MAX_USAGE_PAGES 16

typedef struct {
  /* The usage pages the descriptor names (Usage Page items, and the high
   * half of 32-bit Usage items), each once, in order of first use. */
  guint16  usage_pages[HP_USB_HID_MAX_USAGE_PAGES];
  gsize    n_usage_pages;
  gboolean uses_report_ids; /* a Report ID item: reports start with their id */
} HpUsbHidReportInfo;

gboolean hp_usb_parse_hid_report_descriptor (const guint8        *data,
                                             gsize                len,
                                             HpUsbHidReportInfo  *info,
                                             GError             **error);

G_END_DECLS
