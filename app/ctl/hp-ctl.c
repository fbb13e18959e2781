/* healthpost-ctl: the staff and installer's command-line tool. */
#include <glib/gi18n.h>
#include <stdio.h>

#include "hp-build-config.h"
#include "hp-config.h"
#include "hp-ctl.h"
#include "hp-i18n.h"
#include "hp-store.h"
#include "hp-store-damage.h"

static int
command_config (int    argc,
                char **argv)
{
  static const HpCtlCommand self = { "config", "config [--sample]", NULL, NULL };
  g_autoptr(HpConfig) config = NULL;
  g_autofree char *text = NULL;
  gboolean sample = FALSE;
  const GOptionEntry entries[] = {
    { "sample", 0, 0, G_OPTION_ARG_NONE, &sample, NULL, NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!hp_ctl_parse_options (&self, entries, &argc, &argv))
    return 2;
  if (argc > 1)
    {
      g_printerr ("usage: healthpost-ctl %s\n", self.usage);
      return 2;
    }
  /* The sample is the same on every kiosk: no file needs reading for it. */
  if (sample)
    text = hp_config_dup_sample ();
  else
    {
      config = hp_ctl_load_config ();
      if (config == NULL)
        return 1;
      text = hp_config_to_data (config);
    }
  fputs (text, stdout);
  return 0;
}

static int
command_status (int    argc G_GNUC_UNUSED,
                char **argv G_GNUC_UNUSED)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpConfig) config = hp_ctl_load_config ();
  g_autoptr(HpStore) store = NULL;
  g_autofree char *path = NULL;
  guint version;
  guint latest = hp_store_get_latest_schema_version ();
  gint64 visits;

  if (config == NULL)
    return 1;
  path = hp_config_dup_database_path (config);
  g_print ("database: %s\n", path);
  if (hp_ctl_print_store_alarms (path) < 0)
    return 1;
  store = hp_ctl_open_store (config, HP_CTL_READ, NULL, &error);
  if (store == NULL)
    {
      if (g_error_matches (error, HP_STORE_ERROR, HP_STORE_ERROR_CORRUPT))
        g_print ("integrity: DAMAGED; the kiosk sets the file aside with an alarm on its next start\n");
      return hp_ctl_fail ("%s", error->message);
    }
  g_print ("integrity: whole (SQLite quick check)\n");
  visits = hp_store_count_visits (store, &error);
  if (visits < 0)
    return hp_ctl_fail ("%s", error->message);
  version = hp_store_get_schema_version (store);
  if (version < latest)
    g_print ("schema version: %u (this build: %u; the kiosk brings it up to date on its next "
             "start)\n", version, latest);
  else
    g_print ("schema version: %u (this build: %u)\n", version, latest);
  g_print ("visits: %" G_GINT64_FORMAT "\n", visits);
  return 0;
}

static int
command_version (int    argc G_GNUC_UNUSED,
                 char **argv G_GNUC_UNUSED)
{
  g_print ("healthpost-ctl %s\n", HP_VERSION);
  return 0;
}

static const HpCtlCommand commands[] = {
  { "status", "status", "database location, schema version and number of visits", command_status },
  { "config", "config [--sample]", "the effective configuration (defaults and file), or the documented sample file", command_config },
  { "version", "version", "the version of this tool", command_version },
  { "devices", "devices", "the USB devices present and the measuring devices with their state", hp_ctl_devices },
  { "read", "read DEVICE | read --simulated NAME", "take one reading from a device and print it", hp_ctl_read },
  { "decode", "decode --protocol NAME [--usb VID:PID] [--kind KIND] FILE",
    "replay a captured exchange (hex, one message per line) through its driver and print the reading", hp_ctl_decode },
  { "export", "export --fhir [--since DATE] [--patient CODE] [--include-anonymous] [--force] FILE",
    "write visits as a FHIR R4 Bundle for a clinic's records (anonymous ones only when asked)", hp_ctl_export },
  { "alarms", "alarms [list | ack]", "the store's alarms for staff (a damaged database set aside), or acknowledge them", hp_ctl_alarms },
  { "audit", "audit verify | audit list [--since DATE]", "check the audit log's chain, or list its entries", hp_ctl_audit },
  { "staff", "staff list | add [--admin ID] --role ROLE NAME | remove --admin ID STAFF-ID", "staff accounts (PINs are read from standard input)", hp_ctl_staff },
  { "retention", "retention run", "delete the visits older than [storage] retention-days", hp_ctl_retention },
  { "print-test", "print-test [PRINTER]", "print a test page on the configured printer, or on PRINTER (a CUPS name or ipp:// URI)", hp_ctl_print_test },
};

static char *
commands_summary (void)
{
  GString *text = g_string_new ("Commands:");

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (text, "\n  %-44s %s", commands[i].usage, commands[i].summary);
  return g_string_free (text, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = commands_summary ();

  hp_i18n_init ();

  context = g_option_context_new ("COMMAND [ARGUMENTS…]");
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, hp_ctl_global_entries (), GETTEXT_PACKAGE);
  /* Stop at the command: what follows it is the command's own. */
  g_option_context_set_strict_posix (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("healthpost-ctl: %s\n", error->message);
      return 2;
    }
  if (argc < 2)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
      g_printerr ("%s", help);
      return 2;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].run (argc - 1, argv + 1);

  g_printerr ("healthpost-ctl: unknown command “%s”\n", argv[1]);
  return 2;
}
