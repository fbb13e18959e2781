/* Helper of test-power-cut: opens (or creates) the store, then files a returning patient, visits and audit entries in a loop, reporting each once committed, until the power is cut. */
/* RTLD_DEFAULT */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "crash-visit.h"
#include "hp-audit.h"
#include "hp-keyring.h"
#include "hp-store-patients.h"
#include "hp-store-private.h"

#define PIN "730519"

static gboolean
report (const char *format,
        ...) G_GNUC_PRINTF (1, 2);

static gboolean
report (const char *format,
        ...)
{
  g_autofree char *line = NULL;
  va_list args;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  return hp_crash_report (line);
}

static int
fail (const GError *error)
{
  g_printerr ("powercut-writer: %s\n", error->message);
  return 1;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStore) store = NULL;
  g_autoptr(HpAuditLog) audit = NULL;
  g_autofree char *code = NULL;
  guint8 key[32];
  guint run;

  if (argc != 3)
    {
      g_printerr ("usage: %s DATABASE RUN\n", argv[0]);
      return 2;
    }
  /* Without the shim, the test would see power cuts lose what it never
   * recorded as synced. */
  if (dlsym (RTLD_DEFAULT, "hp_powercut_active") == NULL)
    {
      g_printerr ("powercut-writer: the power-cut shim is not loaded (LD_PRELOAD)\n");
      return 1;
    }
  run = (guint) g_ascii_strtoull (argv[2], NULL, 10);
  store = hp_store_open_demo (argv[1], &error);
  if (store == NULL
      || !hp_keyring_derive (hp_store_get_keyring (store), HP_KEYRING_PURPOSE_AUDIT_HMAC,
                             key, sizeof key, &error)
      || (audit = hp_audit_log_new (store, key, sizeof key, &error)) == NULL)
    return fail (error);
  /* Checkpoints every few commits, so that cuts fall into them too. */
  if (sqlite3_exec (hp_store_get_db (store), "PRAGMA wal_autocheckpoint = 16",
                    NULL, NULL, NULL) != SQLITE_OK)
    return 1;
  if (!report ("ready\n"))
    return 1;

  for (guint n = 0; ; n++)
    {
      g_autoptr(HpVisit) visit = hp_crash_visit_new (run, n);
      g_autofree char *detail = g_strdup_printf ("visit=%s", hp_visit_get_id (visit));

      /* One returning patient a run, whose later visits are filed under
       * the code. */
      if (n == 2)
        {
          if (!hp_store_create_patient (store, PIN, &code, &error))
            return fail (error);
          if (!report ("code %s\n", code))
            return 1;
        }
      if (code != NULL)
        hp_visit_set_patient_code (visit, code);
      if (!hp_store_commit_visit (store, visit, &error))
        return fail (error);
      if (!report ("visit %s %s\n", hp_visit_get_id (visit), code != NULL ? code : "-"))
        return 1;
      if (!hp_audit_append (audit, HP_AUDIT_ACTOR_KIOSK, "print", detail, &error))
        return fail (error);
      if (!report ("audit %s\n", detail))
        return 1;
    }
}
