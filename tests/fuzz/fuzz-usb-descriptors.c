/* libFuzzer target: the USB class descriptor parsers (PHDC function and QoS descriptors, HID class and report descriptors). */
#include <stdint.h>
#include <string.h>

#include "hp-usb-descriptors.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  HpUsbPhdcFunction function;
  HpUsbHidReportInfo report;
  guint16 report_length = 0;
  GError *error = NULL;

  /* Every parser gets every input: each must either succeed with results
   * that fit its bounds or fail with an error, never both or neither. */
  memset (&function, 0, sizeof function);
  if (hp_usb_parse_phdc_descriptors (data, size, &function, &error))
    {
      if (error != NULL || function.n_specializations > HP_USB_PHDC_MAX_SPECIALIZATIONS)
        __builtin_trap ();
    }
  else if (error == NULL)
    __builtin_trap ();
  g_clear_error (&error);

  if (hp_usb_parse_hid_descriptor (data, size, &report_length, &error))
    {
      if (error != NULL || report_length == 0)
        __builtin_trap ();
    }
  else if (error == NULL)
    __builtin_trap ();
  g_clear_error (&error);

  if (hp_usb_parse_hid_report_descriptor (data, size, &report, &error))
    {
      if (error != NULL || report.n_usage_pages > HP_USB_HID_MAX_USAGE_PAGES)
        __builtin_trap ();
      for (gsize i = 0; i < report.n_usage_pages; i++)
        for (gsize j = i + 1; j < report.n_usage_pages; j++)
          if (report.usage_pages[i] == report.usage_pages[j])
            __builtin_trap ();
    }
  else if (error == NULL)
    __builtin_trap ();
  g_clear_error (&error);
  return 0;
}
