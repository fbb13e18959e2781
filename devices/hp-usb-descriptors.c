/* USB class descriptors the device manager matches on: PHDC (0x20/0x21/0x22/0x30) and HID report descriptors. */
#include "hp-usb-descriptors.h"

#include <string.h>

G_DEFINE_QUARK (hp-usb-descriptor-error-quark, hp_usb_descriptor_error)

/* Each descriptor starts bLength, bDescriptorType; bLength counts both. */
#define DESCRIPTOR_HEADER_SIZE 2

#define PHDC_FUNCTION_SIZE        4
#define PHDC_QOS_SIZE             4
#define PHDC_QOS_ENCODING_VERSION 0x01
#define PHDC_11073_HEADER_SIZE    4
#define HID_DESCRIPTOR_HEADER_SIZE 6
#define HID_DESCRIPTOR_ENTRY_SIZE  3

/* HID 1.11 §6.2.2: item prefixes. */
#define HID_LONG_ITEM_PREFIX  0xFE
#define HID_ITEM_TYPE_GLOBAL  1
#define HID_ITEM_TYPE_LOCAL   2
#define HID_GLOBAL_USAGE_PAGE 0x0
#define HID_GLOBAL_REPORT_ID  0x8
#define HID_LOCAL_USAGE       0x0

static guint16
read_le16 (const guint8 *p)
{
  return (guint16) (p[0] | (p[1] << 8));
}

/* Checks the descriptor at @offset fits in @len; sets @desc_len. */
static gboolean
next_descriptor (const guint8  *data,
                 gsize          len,
                 gsize          offset,
                 gsize         *desc_len,
                 GError       **error)
{
  gsize left = len - offset;

  if (left < DESCRIPTOR_HEADER_SIZE)
    {
      g_set_error (error, HP_USB_DESCRIPTOR_ERROR, HP_USB_DESCRIPTOR_ERROR_TRUNCATED,
                   "descriptor header needs 2 bytes, %" G_GSIZE_FORMAT " left at byte %" G_GSIZE_FORMAT,
                   left, offset);
      return FALSE;
    }
  if (data[offset] < DESCRIPTOR_HEADER_SIZE)
    {
      g_set_error (error, HP_USB_DESCRIPTOR_ERROR, HP_USB_DESCRIPTOR_ERROR_MALFORMED,
                   "descriptor length %u is shorter than its header at byte %" G_GSIZE_FORMAT,
                   data[offset], offset);
      return FALSE;
    }
  if (data[offset] > left)
    {
      g_set_error (error, HP_USB_DESCRIPTOR_ERROR, HP_USB_DESCRIPTOR_ERROR_TRUNCATED,
                   "descriptor type 0x%02x claims %u bytes, %" G_GSIZE_FORMAT " left at byte %" G_GSIZE_FORMAT,
                   data[offset + 1], data[offset], left, offset);
      return FALSE;
    }
  *desc_len = data[offset];
  return TRUE;
}

static gboolean
need_length (const guint8  *desc,
             gsize          desc_len,
             gsize          needed,
             gsize          offset,
             GError       **error)
{
  if (desc_len >= needed)
    return TRUE;
  g_set_error (error, HP_USB_DESCRIPTOR_ERROR, HP_USB_DESCRIPTOR_ERROR_MALFORMED,
               "descriptor type 0x%02x needs %" G_GSIZE_FORMAT " bytes, has %" G_GSIZE_FORMAT
               " at byte %" G_GSIZE_FORMAT, desc[1], needed, desc_len, offset);
  return FALSE;
}

static gboolean
parse_11073_function (const guint8       *desc,
                      gsize               desc_len,
                      gsize               offset,
                      HpUsbPhdcFunction  *function,
                      GError            **error)
{
  guint n_specs;

  if (!need_length (desc, desc_len, PHDC_11073_HEADER_SIZE, offset, error))
    return FALSE;
  n_specs = desc[3];
  if (!need_length (desc, desc_len, PHDC_11073_HEADER_SIZE + (gsize) n_specs * 2, offset, error))
    return FALSE;

  for (guint i = 0; i < n_specs; i++)
    {
      guint16 spec = read_le16 (desc + PHDC_11073_HEADER_SIZE + i * 2);
      gboolean known = FALSE;

      for (gsize j = 0; j < function->n_specializations; j++)
        known = known || function->specializations[j] == spec;
      if (!known && function->n_specializations < HP_USB_PHDC_MAX_SPECIALIZATIONS)
        function->specializations[function->n_specializations++] = spec;
    }
  return TRUE;
}

gboolean
hp_usb_parse_phdc_descriptors (const guint8       *data,
                               gsize               len,
                               HpUsbPhdcFunction  *function,
                               GError            **error)
{
  gsize offset = 0;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (function != NULL, FALSE);

  while (offset < len)
    {
      const guint8 *desc = data + offset;
      gsize desc_len;

      if (!next_descriptor (data, len, offset, &desc_len, error))
        return FALSE;

      switch (desc[1])
        {
        case HP_USB_DT_PHDC_FUNCTION:
          if (!need_length (desc, desc_len, PHDC_FUNCTION_SIZE, offset, error))
            return FALSE;
          if (function->has_function)
            {
              g_set_error (error, HP_USB_DESCRIPTOR_ERROR, HP_USB_DESCRIPTOR_ERROR_MALFORMED,
                           "second PHDC class function descriptor at byte %" G_GSIZE_FORMAT, offset);
              return FALSE;
            }
          function->has_function = TRUE;
          function->data_code = desc[2];
          function->metadata_capable = (desc[3] & 0x01) != 0;
          break;
        case HP_USB_DT_PHDC_QOS:
          if (!need_length (desc, desc_len, PHDC_QOS_SIZE, offset, error))
            return FALSE;
          if (desc[2] != PHDC_QOS_ENCODING_VERSION)
            {
              g_set_error (error, HP_USB_DESCRIPTOR_ERROR, HP_USB_DESCRIPTOR_ERROR_MALFORMED,
                           "PHDC QoS encoding version 0x%02x is not 0x01 at byte %" G_GSIZE_FORMAT,
                           desc[2], offset);
              return FALSE;
            }
          function->n_qos++;
          break;
        case HP_USB_DT_PHDC_METADATA:
          /* Opaque bytes for the application: only the length matters here. */
          function->n_metadata++;
          break;
        case HP_USB_DT_PHDC_11073_FUNCTION:
          if (!parse_11073_function (desc, desc_len, offset, function, error))
            return FALSE;
          break;
        default:
          break;
        }
      offset += desc_len;
    }
  return TRUE;
}

gboolean
hp_usb_parse_hid_descriptor (const guint8  *data,
                             gsize          len,
                             guint16       *report_length,
                             GError       **error)
{
  gsize offset = 0;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (report_length != NULL, FALSE);

  while (offset < len)
    {
      const guint8 *desc = data + offset;
      gsize desc_len;

      if (!next_descriptor (data, len, offset, &desc_len, error))
        return FALSE;

      if (desc[1] == HP_USB_DT_HID)
        {
          guint n_entries;

          if (!need_length (desc, desc_len, HID_DESCRIPTOR_HEADER_SIZE, offset, error))
            return FALSE;
          n_entries = desc[5];
          if (!need_length (desc, desc_len,
                            HID_DESCRIPTOR_HEADER_SIZE + (gsize) n_entries * HID_DESCRIPTOR_ENTRY_SIZE,
                            offset, error))
            return FALSE;
          for (guint i = 0; i < n_entries; i++)
            {
              const guint8 *entry = desc + HID_DESCRIPTOR_HEADER_SIZE + i * HID_DESCRIPTOR_ENTRY_SIZE;

              if (entry[0] != HP_USB_DT_HID_REPORT)
                continue;
              *report_length = read_le16 (entry + 1);
              if (*report_length == 0)
                {
                  g_set_error (error, HP_USB_DESCRIPTOR_ERROR, HP_USB_DESCRIPTOR_ERROR_MALFORMED,
                               "HID report descriptor of length 0 at byte %" G_GSIZE_FORMAT, offset);
                  return FALSE;
                }
              return TRUE;
            }
          g_set_error (error, HP_USB_DESCRIPTOR_ERROR, HP_USB_DESCRIPTOR_ERROR_MALFORMED,
                       "HID descriptor at byte %" G_GSIZE_FORMAT " lists no report descriptor", offset);
          return FALSE;
        }
      offset += desc_len;
    }

  g_set_error_literal (error, HP_USB_DESCRIPTOR_ERROR, HP_USB_DESCRIPTOR_ERROR_MALFORMED,
                       "no HID descriptor among the interface's descriptors");
  return FALSE;
}

static void
add_page (HpUsbHidReportInfo *info,
          guint16             page)
{
  for (gsize i = 0; i < info->n_usage_pages; i++)
    {
      if (info->usage_pages[i] == page)
        return;
    }
  if (info->n_usage_pages < HP_USB_HID_MAX_USAGE_PAGES)
    info->usage_pages[info->n_usage_pages++] = page;
}

gboolean
hp_usb_parse_hid_report_descriptor (const guint8        *data,
                                    gsize                len,
                                    HpUsbHidReportInfo  *info,
                                    GError             **error)
{
  gsize offset = 0;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  memset (info, 0, sizeof *info);
  while (offset < len)
    {
      guint8 prefix = data[offset];
      gsize left = len - offset;
      gsize size;
      guint type, tag;
      guint32 value = 0;

      if (prefix == HID_LONG_ITEM_PREFIX)
        {
          /* Long items carry no usages (HID 1.11 §6.2.2.3): skip them. */
          if (left < 3 || data[offset + 1] > left - 3)
            {
              g_set_error (error, HP_USB_DESCRIPTOR_ERROR, HP_USB_DESCRIPTOR_ERROR_TRUNCATED,
                           "long item runs past the end at byte %" G_GSIZE_FORMAT, offset);
              return FALSE;
            }
          offset += 3 + (gsize) data[offset + 1];
          continue;
        }

      size = prefix & 0x03;
      if (size == 3)
        size = 4;
      if (size > left - 1)
        {
          g_set_error (error, HP_USB_DESCRIPTOR_ERROR, HP_USB_DESCRIPTOR_ERROR_TRUNCATED,
                       "item 0x%02x needs %" G_GSIZE_FORMAT " data bytes, %" G_GSIZE_FORMAT
                       " left at byte %" G_GSIZE_FORMAT, prefix, size, left - 1, offset);
          return FALSE;
        }
      for (gsize i = 0; i < size; i++)
        value |= (guint32) data[offset + 1 + i] << (8 * i);
      type = (prefix >> 2) & 0x03;
      tag = prefix >> 4;

      if (type == HID_ITEM_TYPE_GLOBAL && tag == HID_GLOBAL_USAGE_PAGE)
        {
          if (value > G_MAXUINT16)
            {
              g_set_error (error, HP_USB_DESCRIPTOR_ERROR, HP_USB_DESCRIPTOR_ERROR_MALFORMED,
                           "usage page 0x%08x does not fit 16 bits at byte %" G_GSIZE_FORMAT,
                           value, offset);
              return FALSE;
            }
          add_page (info, (guint16) value);
        }
      else if (type == HID_ITEM_TYPE_GLOBAL && tag == HID_GLOBAL_REPORT_ID)
        {
          if (size == 0 || value == 0 || value > G_MAXUINT8)
            {
              g_set_error (error, HP_USB_DESCRIPTOR_ERROR, HP_USB_DESCRIPTOR_ERROR_MALFORMED,
                           "report id %u is outside 1..255 at byte %" G_GSIZE_FORMAT, value, offset);
              return FALSE;
            }
          info->uses_report_ids = TRUE;
        }
      else if (type == HID_ITEM_TYPE_LOCAL && tag == HID_LOCAL_USAGE && size == 4)
        {
          /* An extended usage names its page in the high half. */
          add_page (info, (guint16) (value >> 16));
        }
      offset += 1 + size;
    }
  return TRUE;
}
