/* Benchmark: what a staff login costs (scrypt), and how fast the audit log appends and verifies its chain. */
#include <stdio.h>

#include "hp-test-util.h"

#include "hp-keyring.h"
#include "hp-staff.h"

#define LOGINS  10
#define ENTRIES 5000

static const guint8 root_key[32] = "bench-root-key-0123456789abcdef";
static const guint8 pepper[32] = "bench-pin-pepper-0123456789abcd";

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

int
main (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hp-bench-staff-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(HpKeyring) keyring = NULL;
  g_autoptr(HpStore) store = NULL;
  guint8 key[32];
  g_autoptr(HpAuditLog) audit = NULL;
  g_autoptr(HpStaff) staff = NULL;
  gint64 admin;
  gint64 count;
  gint64 start;
  double elapsed;

  if (dir == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  path = g_build_filename (dir, "bench.db", NULL);
  keyring = hp_keyring_new_from_bytes (root_key, sizeof root_key, &error);
  if (keyring != NULL)
    store = hp_store_open_with_keyring (path, keyring, &error);
  /* The audit key derived as the kiosk derives it: the log's first entry
   * is keyed with it. */
  if (store != NULL
      && hp_keyring_derive (keyring, HP_KEYRING_PURPOSE_AUDIT_HMAC, key, sizeof key, &error))
    audit = hp_audit_log_new (store, key, sizeof key, &error);
  if (audit != NULL)
    staff = hp_staff_new (store, audit, pepper, sizeof pepper, &error);
  if (staff == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  start = g_get_monotonic_time ();
  admin = hp_staff_create_first_admin (staff, "Bench Administrator", "90817263", &error);
  if (admin == 0)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  printf ("staff account created (one scrypt hash): %.1f ms\n", ms_since (start));

  start = g_get_monotonic_time ();
  for (guint i = 0; i < LOGINS; i++)
    {
      g_autoptr(HpStaffMember) member = hp_staff_authenticate (staff, admin, "90817263", &error);

      if (member == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
    }
  printf ("login with the right PIN: %.1f ms each (%d logins)\n", ms_since (start) / LOGINS, LOGINS);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < ENTRIES; i++)
    {
      g_autofree char *detail = g_strdup_printf ("pages=%u", i % 3 + 1);

      if (!hp_audit_append (audit, "kiosk", "print", detail, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
    }
  elapsed = ms_since (start);
  printf ("audit append, own transaction each: %.3f ms per entry (%d entries)\n",
          elapsed / ENTRIES, ENTRIES);

  start = g_get_monotonic_time ();
  if (!hp_audit_verify (audit, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  elapsed = ms_since (start);
  count = hp_audit_count (audit, NULL);
  printf ("audit verify: %.1f ms for %" G_GINT64_FORMAT " entries (%.2f µs per entry)\n",
          elapsed, count, count > 0 ? elapsed * 1000.0 / count : 0.0);

  g_clear_object (&staff);
  g_clear_object (&audit);
  g_clear_object (&store);
  return hp_test_tmpdir_remove (dir) ? 0 : 1;
}
