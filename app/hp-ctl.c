/* healthpost-ctl: the staff and installer's command-line tool. */
#include <glib/gi18n.h>
#include <stdio.h>

#include "hp-build-config.h"
#include "hp-config.h"
#include "hp-i18n.h"
#include "hp-store.h"

static char *config_path;
static gboolean demo;

static const GOptionEntry global_entries[] = {
  { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path, N_("Read the configuration from FILE"), N_("FILE") },
  { "demo", 0, 0, G_OPTION_ARG_NONE, &demo, N_("Use the demo database"), NULL },
  G_OPTION_ENTRY_NULL
};

static HpConfig *
load_config (GError **error)
{
  HpConfig *config = hp_config_load (config_path, error);

  if (config != NULL && demo)
    hp_config_set_demo (config, TRUE);
  return config;
}

static int
command_config (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpConfig) config = load_config (&error);
  g_autofree char *text = NULL;

  if (config == NULL)
    {
      g_printerr ("healthpost-ctl: %s\n", error->message);
      return 1;
    }
  text = hp_config_to_data (config);
  fputs (text, stdout);
  return 0;
}

static int
command_status (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpConfig) config = load_config (&error);
  g_autoptr(HpStore) store = NULL;
  g_autofree char *path = NULL;
  gint64 visits;

  if (config == NULL)
    {
      g_printerr ("healthpost-ctl: %s\n", error->message);
      return 1;
    }
  path = hp_config_dup_database_path (config);
  g_print ("database: %s\n", path);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_printerr ("healthpost-ctl: the database does not exist yet (the kiosk creates it on first start)\n");
      return 1;
    }
  store = hp_store_open (path, &error);
  if (store == NULL)
    {
      g_printerr ("healthpost-ctl: %s\n", error->message);
      return 1;
    }
  visits = hp_store_count_visits (store, &error);
  if (visits < 0)
    {
      g_printerr ("healthpost-ctl: %s\n", error->message);
      return 1;
    }
  g_print ("schema version: %u (this build: %u)\n",
           hp_store_get_schema_version (store), hp_store_get_latest_schema_version ());
  g_print ("visits: %" G_GINT64_FORMAT "\n", visits);
  return 0;
}

static const char summary[] =
  "Commands:\n"
  "  status     database location, schema version and number of visits\n"
  "  config     the effective configuration (defaults and file)\n"
  "  version    the version of this tool";

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const char *command;

  hp_i18n_init ();

  context = g_option_context_new ("COMMAND");
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, global_entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("healthpost-ctl: %s\n", error->message);
      return 2;
    }
  if (argc != 2)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
      g_printerr ("%s", help);
      return 2;
    }

  command = argv[1];
  if (g_str_equal (command, "status"))
    return command_status ();
  if (g_str_equal (command, "config"))
    return command_config ();
  if (g_str_equal (command, "version"))
    {
      g_print ("healthpost-ctl %s\n", HP_VERSION);
      return 0;
    }
  g_printerr ("healthpost-ctl: unknown command “%s”\n", command);
  return 2;
}
