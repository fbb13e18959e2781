/* Checks packaging/udev/70-healthpost.rules against the driver registry: every device a driver matches may be opened by the kiosk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "hp-driver.h"

/* What one rule line grants, when it grants what the kiosk needs. */
typedef struct {
  gboolean hidraw;              /* SUBSYSTEM=="hidraw", else "usb" */
  char vendor[5];
  char product[5];
  char interface_glob[16];      /* ENV{ID_USB_INTERFACES} pattern, or "" */
} Grant;

static const char *
find_value (const char *line,
            const char *key)
{
  const char *at = strstr (line, key);

  return at != NULL ? at + strlen (key) : NULL;
}

static gboolean
copy_quoted (const char *value,
             char       *out,
             gsize       size)
{
  const char *end = value != NULL ? strchr (value, '"') : NULL;

  if (end == NULL || (gsize) (end - value) >= size)
    return FALSE;
  memcpy (out, value, (gsize) (end - value));
  out[end - value] = '\0';
  return TRUE;
}

/* Reads the rules that tag a device for the seat and the service group;
 * lines granting less (no uaccess, another group or mode) count for nothing. */
static GArray *
parse_grants (const char *text)
{
  GArray *grants = g_array_new (FALSE, TRUE, sizeof (Grant));
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = g_strstrip (lines[i]);
      Grant grant = { 0 };
      const char *vendor, *product, *interfaces;

      if (line[0] == '#' || line[0] == '\0')
        continue;
      if (strstr (line, "TAG+=\"uaccess\"") == NULL || strstr (line, "GROUP=\"healthpost\"") == NULL ||
          strstr (line, "MODE=\"0660\"") == NULL)
        continue;
      if (strstr (line, "SUBSYSTEM==\"hidraw\"") != NULL)
        {
          grant.hidraw = TRUE;
          vendor = find_value (line, "ATTRS{idVendor}==\"");
          product = find_value (line, "ATTRS{idProduct}==\"");
        }
      else if (strstr (line, "SUBSYSTEM==\"usb\"") != NULL)
        {
          vendor = find_value (line, "ATTR{idVendor}==\"");
          product = find_value (line, "ATTR{idProduct}==\"");
        }
      else
        continue;
      interfaces = find_value (line, "ENV{ID_USB_INTERFACES}==\"");

      if (vendor != NULL && product != NULL)
        {
          if (!copy_quoted (vendor, grant.vendor, sizeof grant.vendor) ||
              !copy_quoted (product, grant.product, sizeof grant.product))
            continue;
        }
      else if (interfaces == NULL || !copy_quoted (interfaces, grant.interface_glob, sizeof grant.interface_glob))
        continue;
      g_array_append_val (grants, grant);
    }
  return grants;
}

static gboolean
granted_vid_pid (GArray   *grants,
                 guint16   vendor_id,
                 guint16   product_id,
                 gboolean  hidraw)
{
  g_autofree char *vendor = g_strdup_printf ("%04x", vendor_id);
  g_autofree char *product = g_strdup_printf ("%04x", product_id);

  for (guint i = 0; i < grants->len; i++)
    {
      const Grant *grant = &g_array_index (grants, Grant, i);

      if (grant->hidraw == hidraw && strcmp (grant->vendor, vendor) == 0 && strcmp (grant->product, product) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
granted_class (GArray *grants,
               guint8  interface_class)
{
  /* udev lists interfaces as ":CCSSPP:"; a class rule matches any sub-class and protocol. */
  g_autofree char *wanted = g_strdup_printf ("*:%02x????:*", interface_class);

  for (guint i = 0; i < grants->len; i++)
    {
      const Grant *grant = &g_array_index (grants, Grant, i);

      if (!grant->hidraw && strcmp (grant->interface_glob, wanted) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The registry entries @text leaves out, as "protocol vid:pid" strings. */
static GPtrArray *
missing_grants (const char *text)
{
  g_autoptr(GArray) grants = parse_grants (text);
  GPtrArray *missing = g_ptr_array_new_with_free_func (g_free);
  gsize n_drivers;
  const HpDriver * const *drivers = hp_driver_registry_list (&n_drivers);

  for (gsize d = 0; d < n_drivers; d++)
    for (gsize m = 0; m < drivers[d]->n_matches; m++)
      {
        const HpUsbMatch *match = &drivers[d]->matches[m];
        gboolean hid = drivers[d]->transport_kind == HP_TRANSPORT_KIND_HID_REPORTS;

        switch (match->kind)
          {
          case HP_USB_MATCH_VID_PID:
            /* libusb opens the usbfs node; the hidraw node too for HID
             * devices, which other tools on the kiosk read. */
            if (!granted_vid_pid (grants, match->vendor_id, match->product_id, FALSE) ||
                (hid && !granted_vid_pid (grants, match->vendor_id, match->product_id, TRUE)))
              g_ptr_array_add (missing, g_strdup_printf ("%s %04x:%04x", drivers[d]->protocol,
                                                         match->vendor_id, match->product_id));
            break;
          case HP_USB_MATCH_INTERFACE_CLASS:
            if (!granted_class (grants, match->interface_class))
              g_ptr_array_add (missing, g_strdup_printf ("%s class 0x%02x", drivers[d]->protocol,
                                                         match->interface_class));
            break;
          case HP_USB_MATCH_HID_USAGE_PAGE:
            /* udev cannot read report descriptors: such devices are listed
             * by VID:PID in the rules and in their driver's table. */
            break;
          default:
            g_ptr_array_add (missing, g_strdup_printf ("%s: unknown match kind", drivers[d]->protocol));
          }
      }
  return missing;
}

static void
test_every_driver_device_has_a_rule (void **state G_GNUC_UNUSED)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) missing = NULL;

  assert_true (g_file_get_contents (HP_UDEV_RULES_FILE, &text, NULL, &error));
  missing = missing_grants (text);
  for (guint i = 0; i < missing->len; i++)
    print_error ("no udev rule for %s\n", (const char *) g_ptr_array_index (missing, i));
  assert_int_equal (missing->len, 0);
}

static void
test_checker_finds_gaps (void **state G_GNUC_UNUSED)
{
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) none = missing_grants ("# nothing here\n");
  g_autoptr(GPtrArray) weak = NULL;
  g_autoptr(GString) without_group = NULL;
  gsize n_drivers, n_entries = 0;
  const HpDriver * const *drivers = hp_driver_registry_list (&n_drivers);

  for (gsize d = 0; d < n_drivers; d++)
    for (gsize m = 0; m < drivers[d]->n_matches; m++)
      n_entries += drivers[d]->matches[m].kind != HP_USB_MATCH_HID_USAGE_PAGE;
  /* Empty rules leave every entry out (the PHDC class entry at least). */
  assert_true (n_entries >= 1);
  assert_int_equal (none->len, n_entries);

  /* Lines that give no group (or no uaccess) grant nothing. */
  assert_true (g_file_get_contents (HP_UDEV_RULES_FILE, &text, NULL, NULL));
  without_group = g_string_new (text);
  g_string_replace (without_group, "GROUP=\"healthpost\"", "GROUP=\"plugdev\"", 0);
  weak = missing_grants (without_group->str);
  assert_int_equal (weak->len, n_entries);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_every_driver_device_has_a_rule),
    cmocka_unit_test (test_checker_finds_gaps),
  };

  return cmocka_run_group_tests_name ("udev-rules", tests, NULL, NULL);
}
