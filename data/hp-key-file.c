/* Reading GLib key files written by hand or found on disk, where a value may hold anything. */
#include "hp-key-file.h"

#include <string.h>

gboolean
hp_key_file_escapes_valid (const char *value)
{
  g_return_val_if_fail (value != NULL, FALSE);

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p != '\\')
        continue;
      p++;
      if (*p == '\0' || strchr ("sntr\\;", *p) == NULL)
        return FALSE;
    }
  return TRUE;
}
