/* Replaying captures kept in the tree (tests/devices/captures/) through a driver. */
#include "hp-test-replay.h"

#include <string.h>

char *
hp_test_read_capture (const char *name)
{
  g_autofree char *path = g_build_filename (HP_CAPTURES_DIR, name, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, &error))
    g_error ("%s", error->message);
  return text;
}

HpMeasurement *
hp_test_replay_text (const HpDriver        *driver,
                     const HpUsbDeviceInfo *info,
                     const char            *text,
                     GPtrArray      *differences,
                     GError        **error)
{
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GPtrArray) messages = hp_capture_parse (text, strlen (text), &parse_error);

  if (messages == NULL)
    g_error ("the capture does not parse: %s", parse_error->message);
  return hp_replay_capture (driver, info, messages, differences, error);
}
