/* healthpost-ctl export: handing visits to a clinic's records as FHIR. */
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include <string.h>

#include "hp-audit.h"
#include "hp-ctl-date.h"
#include "hp-ctl.h"
#include "hp-fhir.h"
#include "hp-secret.h"
#include "hp-store-damage.h"
#include "hp-store.h"

#define AUDIT_KEY_SIZE 32

/* The folder @path is in, with every link resolved; %NULL when it cannot
 * be resolved. */
static char *
real_folder_of (const char *path)
{
  g_autofree char *folder = g_path_get_dirname (path);
  char *real = realpath (folder, NULL);

  return real;
}

static gboolean
same_file (const char *a,
           const char *b)
{
  GStatBuf sa, sb;

  return g_stat (a, &sa) == 0 && g_stat (b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* An export never lands on the kiosk's own files: the database, its
 * write-ahead log and shared memory, the demo key beside it, anything else
 * in its folder, or the credentials the service was given. */
static gboolean
check_destination (const char  *target,
                   const char  *database,
                   GError     **error)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal", ".key" };
  g_autofree char *target_folder = real_folder_of (target);
  g_autofree char *state_folder = real_folder_of (database);
  const char *credentials = g_getenv ("CREDENTIALS_DIRECTORY");

  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *own = g_strconcat (database, suffixes[i], NULL);

      if (same_file (target, own))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "%s is the kiosk's own %s; an export never goes there",
                       target, *suffixes[i] == '\0' ? "database" : own);
          return FALSE;
        }
    }
  if (target_folder != NULL && state_folder != NULL && g_str_equal (target_folder, state_folder))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   "%s is in the kiosk's state folder %s; write the export elsewhere", target, state_folder);
      return FALSE;
    }
  if (credentials != NULL && target_folder != NULL)
    {
      g_autofree char *real_credentials = realpath (credentials, NULL);

      if (real_credentials != NULL && g_str_equal (target_folder, real_credentials))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                       "%s is among the kiosk's credentials; write the export elsewhere", target);
          return FALSE;
        }
    }
  return TRUE;
}

/* The audit trail's record that health data left the kiosk: how it was
 * selected and how many visits, never whose (no code, no path). */
static gboolean
record_export_audit (HpStore    *store,
                     HpKeyring  *keyring,
                     gboolean    with_since,
                     gboolean    with_patient,
                     gboolean    with_anonymous,
                     guint       n_visits,
                     GError    **error)
{
  g_autoptr(HpAuditLog) audit = NULL;
  g_autofree char *detail = NULL;
  guint8 key[AUDIT_KEY_SIZE];

  if (!hp_keyring_derive (keyring, HP_KEYRING_PURPOSE_AUDIT_HMAC, key, sizeof key, error))
    return FALSE;
  audit = hp_audit_log_new (store, key, sizeof key, error);
  hp_secret_wipe (key, sizeof key);
  if (audit == NULL)
    return FALSE;
  detail = g_strdup_printf ("format=fhir-r4 visits=%u by-date=%s by-patient=%s anonymous=%s", n_visits,
                            with_since ? "yes" : "no", with_patient ? "yes" : "no", with_anonymous ? "yes" : "no");
  return hp_audit_append (audit, HP_AUDIT_ACTOR_SYSTEM, "export.fhir", detail, error);
}

static int
command_export (int    argc,
                char **argv)
{
  static const HpCtlCommand self = {
    "export", "export --fhir [--since DATE] [--patient CODE] [--include-anonymous] [--force] FILE", NULL, NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(HpConfig) config = NULL;
  g_autoptr(HpStore) store = NULL;
  g_autoptr(HpKeyring) keyring = NULL;
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) since = NULL;
  g_autofree char *since_text = NULL;
  g_autofree char *patient = NULL;
  g_autofree char *path = NULL;
  gboolean fhir = FALSE;
  gboolean anonymous = FALSE;
  gboolean force = FALSE;
  HpFhirSelection selection = { 0 };
  guint n_visits = 0;
  const GOptionEntry entries[] = {
    { "fhir", 0, 0, G_OPTION_ARG_NONE, &fhir, N_("Write a FHIR R4 Bundle (JSON)"), NULL },
    { "since", 0, 0, G_OPTION_ARG_STRING, &since_text, N_("Only visits started at or after DATE"), N_("DATE") },
    { "patient", 0, 0, G_OPTION_ARG_STRING, &patient, N_("Only the visits of the patient with this personal code"), N_("CODE") },
    { "include-anonymous", 0, 0, G_OPTION_ARG_NONE, &anonymous,
      N_("Also the visits of patients who gave no personal code"), NULL },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, N_("Replace FILE if it exists"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!hp_ctl_parse_options (&self, entries, &argc, &argv))
    return 2;
  if (!fhir || argc != 2)
    {
      g_printerr ("usage: healthpost-ctl %s\n%s", self.usage,
                  !fhir ? "the format must be named: --fhir is the only one\n" : "");
      return 2;
    }
  if (since_text != NULL)
    {
      since = hp_ctl_parse_date (since_text, local, &error);
      if (since == NULL)
        {
          g_printerr ("healthpost-ctl export: --since %s: %s\n", since_text, error->message);
          return 2;
        }
    }
  /* The code itself stays off the screen and out of messages. */
  if (patient != NULL && (*patient == '\0' || !g_utf8_validate (patient, -1, NULL)))
    {
      g_printerr ("healthpost-ctl export: --patient needs a personal code\n");
      return 2;
    }

  config = hp_ctl_load_config ();
  if (config == NULL)
    return 1;
  path = hp_config_dup_database_path (config);
  store = hp_ctl_open_store (config, HP_CTL_WRITE, &keyring, &error);
  if (store == NULL)
    return hp_ctl_fail ("%s", error->message);

  selection.since = since;
  selection.patient_code = patient;
  selection.include_anonymous = anonymous;
  selection.identifier_system = hp_config_get_patient_identifier_system (config);
  if (selection.identifier_system == NULL)
    g_printerr ("healthpost-ctl export: [export] patient-identifier-system is not set: personal codes are "
                "written under %s, which only this kiosk knows\n", HP_FHIR_PERSONAL_CODE_SYSTEM);
  if (!check_destination (argv[1], path, &error) ||
      !hp_fhir_export_store_to_file (store, &selection, argv[1], force ? HP_FHIR_EXPORT_REPLACE : HP_FHIR_EXPORT_NONE,
                                     &n_visits, NULL, &error))
    return hp_ctl_fail ("%s", error->message);
  /* An export the audit trail does not show must not stay behind. */
  if (!record_export_audit (store, keyring, since != NULL, patient != NULL, anonymous, n_visits, &error))
    {
      g_unlink (argv[1]);
      return hp_ctl_fail ("the export was removed again: it could not be recorded in the "
                          "audit trail: %s", error->message);
    }
  g_print ("exported %u visit%s to %s\n", n_visits, n_visits == 1 ? "" : "s", argv[1]);
  return 0;
}

int
hp_ctl_export (int    argc,
               char **argv)
{
  return command_export (argc, argv);
}
