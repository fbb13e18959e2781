/* libFuzzer target: the kiosk's configuration file (retention, languages, timings, demo values). */
#include <stdint.h>
#include <string.h>

#include "hp-config.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(HpConfig) config = hp_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = hp_config_to_data (config);
  gboolean merged = hp_config_merge_data (config, (const char *) data, size, &error);

  /* Exactly one of a merge and an error; a refused file changes nothing;
   * whatever was taken must survive a round trip through its own text. */
  if (merged == (error != NULL))
    __builtin_trap ();
  if (!merged)
    {
      g_autofree char *after = hp_config_to_data (config);

      if (g_strcmp0 (before, after) != 0)
        __builtin_trap ();
    }
  else
    {
      g_autoptr(HpConfig) again = hp_config_new ();
      g_autofree char *text = hp_config_to_data (config);
      g_autofree char *text_again = NULL;

      if (!hp_config_merge_data (again, text, strlen (text), NULL))
        __builtin_trap ();
      text_again = hp_config_to_data (again);
      if (g_strcmp0 (text, text_again) != 0)
        __builtin_trap ();
    }
  return 0;
}
