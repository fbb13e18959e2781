/* Where the picture of a reading's category is, among the window's resources. */
#include "hp-category-icon.h"

#include <gio/gio.h>

char *
hp_category_icon_path (const HpInterpretation *interpretation)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (interpretation != NULL, NULL);

  if (interpretation->icon_name == NULL)
    return NULL;
  path = g_strdup_printf ("/org/healthpost/ui/icons/%s.svg", interpretation->icon_name);
  if (!g_resources_get_info (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL, NULL, NULL))
    return NULL;
  return g_steal_pointer (&path);
}
