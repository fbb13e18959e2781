/* healthpost-ctl alarms: the store's alarms for staff (a damaged database set aside), and acknowledging them. */
#include <glib.h>

#include "hp-config.h"
#include "hp-ctl.h"
#include "hp-store-damage.h"

int
hp_ctl_print_store_alarms (const char *database_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) alarms = hp_store_list_alarms (database_path, FALSE, &error);

  if (alarms == NULL)
    {
      g_printerr ("healthpost-ctl: %s\n", error->message);
      return -1;
    }
  for (guint i = 0; i < alarms->len; i++)
    {
      g_autofree char *text = hp_store_alarm_describe (g_ptr_array_index (alarms, i));

      g_print ("ALARM: %s\n", text);
    }
  if (alarms->len > 0)
    g_print ("(acknowledge with: healthpost-ctl alarms ack)\n");
  return (int) alarms->len;
}

static int
command_alarms (int    argc,
                char **argv)
{
  static const HpCtlCommand self = { "alarms", "alarms [list | ack]", NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(HpConfig) config = NULL;
  g_autofree char *path = NULL;
  const char *action;

  if (!hp_ctl_parse_options (&self, NULL, &argc, &argv))
    return 2;
  action = argc > 1 ? argv[1] : "list";
  if (argc > 2 || (!g_str_equal (action, "list") && !g_str_equal (action, "ack")))
    {
      g_printerr ("usage: healthpost-ctl %s\n", self.usage);
      return 2;
    }
  config = hp_ctl_load_config ();
  if (config == NULL)
    return 1;
  path = hp_config_dup_database_path (config);

  if (g_str_equal (action, "list"))
    {
      int n = hp_ctl_print_store_alarms (path);

      if (n < 0)
        return 1;
      if (n == 0)
        g_print ("no alarms\n");
      return 0;
    }
  else
    {
      guint n = 0;

      if (!hp_store_acknowledge_alarms (path, &n, &error))
        return hp_ctl_fail ("%s", error->message);
      g_print ("acknowledged %u alarm%s\n", n, n == 1 ? "" : "s");
      return 0;
    }
}

int
hp_ctl_alarms (int    argc,
               char **argv)
{
  return command_alarms (argc, argv);
}
