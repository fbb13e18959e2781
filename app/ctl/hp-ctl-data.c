/* healthpost-ctl audit, staff and retention: checking the audit trail, managing staff accounts, forgetting expired visits. */
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "hp-audit.h"
#include "hp-ctl-date.h"
#include "hp-ctl.h"
#include "hp-keyring.h"
#include "hp-retention.h"
#include "hp-secret.h"
#include "hp-staff.h"
#include "hp-store.h"

#define KEY_SIZE 32
/* Longer than any PIN, so a longer line is seen as wrong, not cut to fit. */
#define PIN_LINE_MAX 64

/* What every command here works on: the configured store, its audit log
 * and its staff accounts. */
typedef struct {
  HpConfig *config;
  HpStore *store;
  HpAuditLog *audit;
  HpStaff *staff;
} CtlData;

static void
ctl_data_clear (CtlData *data)
{
  g_clear_object (&data->staff);
  g_clear_object (&data->audit);
  g_clear_object (&data->store);
  g_clear_object (&data->config);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CtlData, ctl_data_clear)

/* Staff accounts are only opened for writing: a sign-in is audited. */
static gboolean
ctl_data_open (CtlData      *data,
               HpCtlAccess   access,
               gboolean      with_staff,
               GError      **error)
{
  g_autoptr(HpKeyring) keyring = NULL;
  guint8 key[KEY_SIZE];

  g_return_val_if_fail (!with_staff || access == HP_CTL_WRITE, FALSE);

  data->config = hp_ctl_load_config ();
  if (data->config == NULL)
    return FALSE;
  data->store = hp_ctl_open_store (data->config, access, &keyring, error);
  if (data->store == NULL)
    return FALSE;

  if (!hp_keyring_derive (keyring, HP_KEYRING_PURPOSE_AUDIT_HMAC, key, sizeof key, error))
    return FALSE;
  data->audit = hp_audit_log_new (data->store, key, sizeof key, error);
  hp_secret_wipe (key, sizeof key);
  if (data->audit == NULL)
    return FALSE;
  if (!with_staff)
    return TRUE;

  if (!hp_keyring_derive (keyring, HP_KEYRING_PURPOSE_STAFF_PIN_PEPPER, key, sizeof key, error))
    return FALSE;
  data->staff = hp_staff_new (data->store, data->audit, key, sizeof key, error);
  hp_secret_wipe (key, sizeof key);
  return data->staff != NULL;
}

static int
fail_with (const char   *command,
           const GError *error)
{
  if (error == NULL)
    return 1;
  return hp_ctl_fail ("%s: %s", command, error->message);
}

/* Stored text may be anything if the file was tampered with: show it, but
 * never let it drive the terminal. */
static char *
printable (const char *text)
{
  char *copy = g_strdup (text != NULL ? text : "");

  for (char *p = copy; *p != '\0'; p++)
    if (*p < 0x20 || *p > 0x7e)
      *p = '?';
  return copy;
}

/* ---- audit ------------------------------------------------------------- */

static int
audit_verify (int    argc,
              char **argv G_GNUC_UNUSED)
{
  g_auto(CtlData) data = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 first_bad = 0;
  gint64 count;

  if (argc != 1)
    {
      g_printerr ("usage: healthpost-ctl audit verify\n");
      return 2;
    }
  if (!ctl_data_open (&data, HP_CTL_READ, FALSE, &error))
    return fail_with ("audit verify", error);

  if (!hp_audit_verify (data.audit, &first_bad, &error))
    {
      if (first_bad > 0)
        g_print ("audit log BROKEN at entry %" G_GINT64_FORMAT ": %s\n", first_bad, error->message);
      else
        g_printerr ("healthpost-ctl: audit verify: %s\n", error->message);
      return 1;
    }
  count = hp_audit_count (data.audit, &error);
  if (count < 0)
    return fail_with ("audit verify", error);
  if (hp_audit_log_is_anchored (data.audit))
    g_print ("audit log OK: %" G_GINT64_FORMAT " entries\n", count);
  else
    g_print ("audit log OK: %" G_GINT64_FORMAT " entries (its head is not yet anchored outside "
             "the database: the kiosk starts that on its next start)\n", count);
  return 0;
}

static int
audit_list (int    argc,
            char **argv)
{
  static const HpCtlCommand self = { "audit list", "audit list [--since DATE]", NULL, NULL };
  g_auto(CtlData) data = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autofree char *since_text = NULL;
  gint64 since = 0;
  const GOptionEntry options[] = {
    { "since", 0, 0, G_OPTION_ARG_STRING, &since_text, N_("Only entries at or after DATE"), N_("DATE") },
    G_OPTION_ENTRY_NULL
  };

  if (!hp_ctl_parse_options (&self, options, &argc, &argv))
    return 2;
  if (argc != 1)
    {
      g_printerr ("usage: healthpost-ctl %s\n", self.usage);
      return 2;
    }
  if (since_text != NULL)
    {
      g_autoptr(GDateTime) date = hp_ctl_parse_date (since_text, local, &error);

      if (date == NULL)
        {
          g_printerr ("healthpost-ctl audit list: --since %s: %s\n", since_text, error->message);
          return 2;
        }
      since = g_date_time_to_unix (date) * G_USEC_PER_SEC + g_date_time_get_microsecond (date);
    }
  if (!ctl_data_open (&data, HP_CTL_READ, FALSE, &error))
    return fail_with ("audit list", error);

  entries = hp_audit_list (data.audit, since, &error);
  if (entries == NULL)
    return fail_with ("audit list", error);
  for (guint i = 0; i < entries->len; i++)
    {
      HpAuditEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (entry->time / G_USEC_PER_SEC);
      g_autofree char *when_text = when != NULL ? g_date_time_format (when, "%Y-%m-%dT%H:%M:%SZ")
                                                : g_strdup ("(bad time)");
      g_autofree char *actor = printable (entry->actor);
      g_autofree char *action = printable (entry->action);
      g_autofree char *detail = printable (entry->detail);

      g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\n",
               entry->seq, when_text, actor, action, detail);
    }
  return 0;
}

/* ---- staff ------------------------------------------------------------- */

/* One line from standard input: without echo from a terminal, plainly from
 * a pipe (scripts, tests). The buffer is wiped before it is freed. */
static char *
read_pin (const char  *prompt,
          GError     **error)
{
  char line[PIN_LINE_MAX + 2];
  gboolean terminal = isatty (STDIN_FILENO);
  struct termios saved, quiet;
  gboolean echo_off = FALSE;
  gboolean got_any = FALSE, nul = FALSE, too_long = FALSE;
  char *pin;
  gsize len = 0;
  int c;

  if (terminal)
    {
      g_printerr ("%s", prompt);
      if (tcgetattr (STDIN_FILENO, &saved) == 0)
        {
          quiet = saved;
          quiet.c_lflag &= ~(tcflag_t) ECHO;
          echo_off = tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }
  /* Byte by byte, so that nothing in the line goes unseen: fgets() would
   * end the PIN at a NUL byte ("246810\0999" read as 246810). */
  while ((c = fgetc (stdin)) != EOF)
    {
      got_any = TRUE;
      if (c == '\n')
        break;
      if (c == '\0')
        nul = TRUE;
      if (len < sizeof line - 1)
        line[len++] = (char) c;
      else
        too_long = TRUE;
    }
  if (echo_off)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      g_printerr ("\n");
    }
  if (!got_any)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "no PIN was given");
      return NULL;
    }
  if (len > 0 && line[len - 1] == '\r')
    len--;
  if (nul || too_long || len > PIN_LINE_MAX)
    {
      hp_secret_wipe (line, sizeof line);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "a PIN is %d to %d digits", HP_STAFF_PIN_MIN_DIGITS, HP_STAFF_PIN_MAX_DIGITS);
      return NULL;
    }
  pin = g_strndup (line, len);
  hp_secret_wipe (line, sizeof line);
  return pin;
}

static void
free_pin (char *pin)
{
  if (pin != NULL)
    {
      hp_secret_wipe (pin, strlen (pin));
      g_free (pin);
    }
}

typedef char HpCtlPin;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HpCtlPin, free_pin)

/* Reads the administrator's PIN and logs them in: staff changes are done
 * by a named administrator, and audited as theirs. */
static gboolean
log_in_admin (CtlData     *data,
              gint64       admin_id,
              const char  *what,
              GError     **error)
{
  g_autofree char *prompt = g_strdup_printf ("PIN of administrator %" G_GINT64_FORMAT ": ", admin_id);
  g_autoptr(HpCtlPin) pin = read_pin (prompt, error);
  g_autoptr(HpStaffMember) admin = NULL;

  if (pin == NULL)
    return FALSE;
  admin = hp_staff_authenticate (data->staff, admin_id, pin, error);
  if (admin == NULL)
    return FALSE;
  if (admin->role != HP_STAFF_ROLE_ADMINISTRATOR)
    {
      /* A refusal is in the audit trail too, like the sign-in before it. */
      if (!hp_staff_record_denied (data->staff, admin_id, what, error))
        return FALSE;
      g_set_error (error, HP_STAFF_ERROR, HP_STAFF_ERROR_NOT_ALLOWED,
                   "staff %" G_GINT64_FORMAT " is not an administrator", admin_id);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_id (const char *text,
          gint64     *id)
{
  guint64 value = 0;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;
  *id = (gint64) value;
  return TRUE;
}

static int
staff_list (int    argc,
            char **argv G_GNUC_UNUSED)
{
  g_auto(CtlData) data = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) members = NULL;
  gint64 now = g_get_real_time ();

  if (argc != 1)
    {
      g_printerr ("usage: healthpost-ctl staff list\n");
      return 2;
    }
  if (!ctl_data_open (&data, HP_CTL_WRITE, TRUE, &error))
    return fail_with ("staff list", error);
  members = hp_staff_list (data.staff, &error);
  if (members == NULL)
    return fail_with ("staff list", error);

  if (members->len == 0)
    g_print ("no staff accounts yet: add the first administrator with "
             "healthpost-ctl staff add --role administrator NAME\n");
  for (guint i = 0; i < members->len; i++)
    {
      HpStaffMember *member = g_ptr_array_index (members, i);
      g_autofree char *name = printable (member->display_name);

      g_print ("%" G_GINT64_FORMAT "\t%s\t%s", member->id,
               hp_staff_role_to_string (member->role), name);
      if (member->locked_until > now)
        g_print ("\t(locked for %" G_GINT64_FORMAT " s)",
                 (member->locked_until - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
      g_print ("\n");
    }
  return 0;
}

static int
staff_add (int    argc,
           char **argv)
{
  static const HpCtlCommand self = {
    "staff add", "staff add [--admin ID] --role ROLE NAME", NULL, NULL
  };
  g_auto(CtlData) data = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *role_text = NULL;
  g_autofree char *admin_text = NULL;
  g_autoptr(HpCtlPin) pin = NULL;
  g_autoptr(HpCtlPin) again = NULL;
  HpStaffRole role;
  gint64 admin_id = 0;
  gint64 id;
  gboolean first;
  const GOptionEntry options[] = {
    { "role", 0, 0, G_OPTION_ARG_STRING, &role_text, N_("technician or administrator"), N_("ROLE") },
    { "admin", 0, 0, G_OPTION_ARG_STRING, &admin_text, N_("The administrator doing it (not for the first one)"), N_("ID") },
    G_OPTION_ENTRY_NULL
  };

  if (!hp_ctl_parse_options (&self, options, &argc, &argv))
    return 2;
  if (argc != 2 || !hp_staff_role_from_string (role_text, &role)
      || (admin_text != NULL && !parse_id (admin_text, &admin_id)))
    {
      g_printerr ("usage: healthpost-ctl %s\n"
                  "ROLE is technician or administrator; the new PIN is read twice "
                  "from standard input, after the administrator's own\n", self.usage);
      return 2;
    }
  if (!ctl_data_open (&data, HP_CTL_WRITE, TRUE, &error))
    return fail_with ("staff add", error);

  first = hp_staff_needs_first_admin (data.staff, &error);
  if (error != NULL)
    return fail_with ("staff add", error);
  if (first && (role != HP_STAFF_ROLE_ADMINISTRATOR || admin_id != 0))
    return hp_ctl_fail ("staff add: there is no administrator yet; the first account is "
                        "added with --role administrator and no --admin");
  if (!first && admin_id == 0)
    return hp_ctl_fail ("staff add: --admin ID names the administrator adding the account");
  if (!first && !log_in_admin (&data, admin_id, "add", &error))
    return fail_with ("staff add", error);

  pin = read_pin ("New PIN: ", &error);
  if (pin != NULL)
    again = read_pin ("New PIN again: ", &error);
  if (pin == NULL || again == NULL)
    return fail_with ("staff add", error);
  if (strcmp (pin, again) != 0)
    return hp_ctl_fail ("staff add: the two PINs differ; nothing was added");

  if (first)
    id = hp_staff_create_first_admin (data.staff, argv[1], pin, &error);
  else
    id = hp_staff_add (data.staff, admin_id, argv[1], role, pin, &error);
  if (id == 0)
    return fail_with ("staff add", error);
  g_print ("added staff %" G_GINT64_FORMAT " (%s)\n", id, hp_staff_role_to_string (role));
  return 0;
}

static int
staff_remove (int    argc,
              char **argv)
{
  static const HpCtlCommand self = { "staff remove", "staff remove --admin ID STAFF-ID", NULL, NULL };
  g_auto(CtlData) data = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *admin_text = NULL;
  gint64 admin_id = 0;
  gint64 staff_id = 0;
  const GOptionEntry options[] = {
    { "admin", 0, 0, G_OPTION_ARG_STRING, &admin_text, N_("The administrator doing it"), N_("ID") },
    G_OPTION_ENTRY_NULL
  };

  if (!hp_ctl_parse_options (&self, options, &argc, &argv))
    return 2;
  if (argc != 2 || !parse_id (admin_text, &admin_id) || !parse_id (argv[1], &staff_id))
    {
      g_printerr ("usage: healthpost-ctl %s\n"
                  "the administrator's PIN is read from standard input\n", self.usage);
      return 2;
    }
  if (!ctl_data_open (&data, HP_CTL_WRITE, TRUE, &error))
    return fail_with ("staff remove", error);
  if (!log_in_admin (&data, admin_id, "remove", &error)
      || !hp_staff_remove (data.staff, admin_id, staff_id, &error))
    return fail_with ("staff remove", error);
  g_print ("removed staff %" G_GINT64_FORMAT "\n", staff_id);
  return 0;
}

/* ---- entry points ------------------------------------------------------- */

typedef struct {
  const char *name;
  int (*run) (int argc, char **argv);
} Subcommand;

static int
run_subcommand (const char       *usage,
                const Subcommand *subcommands,
                gsize             n_subcommands,
                int               argc,
                char            **argv)
{
  if (argc >= 2)
    for (gsize i = 0; i < n_subcommands; i++)
      if (g_str_equal (argv[1], subcommands[i].name))
        return subcommands[i].run (argc - 1, argv + 1);
  g_printerr ("usage: healthpost-ctl %s\n", usage);
  return 2;
}

int
hp_ctl_audit (int    argc,
              char **argv)
{
  static const Subcommand subcommands[] = {
    { "verify", audit_verify },
    { "list", audit_list },
  };

  return run_subcommand ("audit verify | audit list [--since DATE]",
                         subcommands, G_N_ELEMENTS (subcommands), argc, argv);
}

int
hp_ctl_staff (int    argc,
              char **argv)
{
  static const Subcommand subcommands[] = {
    { "list", staff_list },
    { "add", staff_add },
    { "remove", staff_remove },
  };

  return run_subcommand ("staff list | staff add [--admin ID] --role ROLE NAME | "
                                  "staff remove --admin ID STAFF-ID",
                         subcommands, G_N_ELEMENTS (subcommands), argc, argv);
}

int
hp_ctl_retention (int    argc,
                  char **argv)
{
  g_auto(CtlData) data = { 0 };
  g_autoptr(GError) error = NULL;
  guint days;
  gint64 deleted;

  if (argc != 2 || !g_str_equal (argv[1], "run"))
    {
      g_printerr ("usage: healthpost-ctl retention run\n");
      return 2;
    }
  if (!ctl_data_open (&data, HP_CTL_WRITE, FALSE, &error))
    return fail_with ("retention run", error);
  days = hp_config_get_retention_days (data.config);
  deleted = hp_retention_run (data.store, data.audit, HP_AUDIT_ACTOR_SYSTEM, days,
                              g_get_real_time (), &error);
  if (deleted < 0)
    return fail_with ("retention run", error);
  g_print ("deleted %" G_GINT64_FORMAT " visits finished more than %u days ago\n", deleted, days);
  return 0;
}
