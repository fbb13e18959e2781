/* healthpost-ctl: what every command shares (the global options, the configuration, the store, errors and usage). */
#include <glib/gi18n.h>
#include <stdarg.h>

#include "hp-config.h"
#include "hp-ctl.h"
#include "hp-keyring.h"
#include "hp-store.h"
#include "hp-store-damage.h"

static char *config_path;
static gboolean demo;

static const GOptionEntry global_entries[] = {
  { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path, N_("Read the configuration from FILE"), N_("FILE") },
  { "demo", 0, 0, G_OPTION_ARG_NONE, &demo, N_("Use the demo database"), NULL },
  G_OPTION_ENTRY_NULL
};

HpConfig *
hp_ctl_load_config (void)
{
  g_autoptr(GError) error = NULL;
  HpConfig *config = hp_config_load (config_path, &error);

  if (config == NULL)
    {
      hp_ctl_fail ("%s", error->message);
      return NULL;
    }
  if (demo)
    hp_config_set_demo (config, TRUE);
  return config;
}

HpStore *
hp_ctl_open_store (HpConfig     *config,
                   HpCtlAccess   access,
                   HpKeyring   **keyring_out,
                   GError      **error)
{
  g_autofree char *path = hp_config_dup_database_path (config);
  g_autoptr(HpKeyring) keyring = NULL;
  g_autoptr(HpStore) store = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   "the database %s does not exist yet (the kiosk creates it on first start)", path);
      return NULL;
    }
  keyring = hp_config_load_keyring (config, FALSE, error);
  if (keyring == NULL)
    return NULL;
  store = hp_store_open_read_only (path, keyring, error);
  if (store == NULL)
    return NULL;
  if (!hp_store_check_whole (store, error))
    {
      g_prefix_error (error, "nothing was %s: ", access == HP_CTL_WRITE ? "written" : "read");
      return NULL;
    }
  if (access == HP_CTL_WRITE)
    {
      g_clear_object (&store);
      store = hp_store_open_with_keyring (path, keyring, error);
      if (store == NULL)
        return NULL;
    }
  if (keyring_out != NULL)
    *keyring_out = g_steal_pointer (&keyring);
  return g_steal_pointer (&store);
}

int
hp_ctl_fail (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("healthpost-ctl: %s\n", message);
  return 1;
}

gboolean
hp_ctl_parse_options (const HpCtlCommand *command,
                      const GOptionEntry *entries,
                      int                *argc,
                      char             ***argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;

  g_option_context_set_help_enabled (context, FALSE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("healthpost-ctl %s: %s\nusage: healthpost-ctl %s\n",
                  command->name, error->message, command->usage);
      return FALSE;
    }
  return TRUE;
}

const GOptionEntry *
hp_ctl_global_entries (void)
{
  return global_entries;
}
