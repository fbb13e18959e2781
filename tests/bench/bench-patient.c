/* Benchmark: what checking a returning patient's code and PIN costs, right, wrong and unknown, and how long the kiosk's loop waits for the async check. */
#include <stdio.h>

#include "hp-test-util.h"

#include "hp-store-patients.h"

#define CHECKS 10
/* Wrong PINs stop short of the lockout, which would end the hashing. */
#define WRONG_CHECKS (HP_PATIENT_LOCKOUT_THRESHOLD - 1)

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static gboolean
fail (GError *error)
{
  g_printerr ("%s\n", error != NULL ? error->message : "unexpected result");
  return FALSE;
}

/* Mean time in ms of @n synchronous checks of @code with @pin, each of
 * which must succeed (@refusal 0) or fail with @refusal; -1 when one does
 * not. */
static double
time_checks (HpStore      *store,
             const char   *what,
             guint         n,
             const char   *code,
             const char   *pin,
             HpStoreError  refusal)
{
  gint64 start = g_get_monotonic_time ();
  double each;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean right = hp_store_verify_patient (store, code, pin, &error);

      if (right != (refusal == 0) || (!right && !g_error_matches (error, HP_STORE_ERROR, (gint) refusal)))
        {
          fail (error);
          return -1;
        }
    }
  each = ms_since (start) / n;
  printf ("verify, %s: %.2f ms each (%u checks)\n", what, each, n);
  return each;
}

typedef struct {
  GMainLoop *loop;
  gint64 longest_gap;
  gint64 last_tick;
  gboolean verified;
  GError *error;
} LoopWatch;

static gboolean
on_tick (gpointer user_data)
{
  LoopWatch *watch = user_data;
  gint64 now = g_get_monotonic_time ();

  watch->longest_gap = MAX (watch->longest_gap, now - watch->last_tick);
  watch->last_tick = now;
  return G_SOURCE_CONTINUE;
}

static void
on_verified (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  LoopWatch *watch = user_data;

  watch->verified = hp_store_verify_patient_finish (HP_STORE (source), result, &watch->error);
  g_main_loop_quit (watch->loop);
}

int
main (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hp-bench-patient-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *code = NULL;
  g_autofree char *unknown = NULL;
  g_autofree char *second = NULL;
  double wrong, unknown_wrong, locked, unknown_locked;
  g_autoptr(HpStore) store = NULL;
  LoopWatch watch = { 0 };
  gint64 start;
  guint tick;
  int status = 1;

  if (dir == NULL)
    return !fail (error);
  path = g_build_filename (dir, "bench.db", NULL);
  store = hp_store_open_demo (path, &error);
  if (store == NULL)
    return !fail (error);

  start = g_get_monotonic_time ();
  if (!hp_store_create_patient (store, "4729", &code, &error))
    goto out;
  printf ("create a patient (one scrypt hash, one audited write): %.1f ms\n", ms_since (start));
  unknown = hp_patient_code_generate (&error);
  if (unknown == NULL)
    goto out;

  /* An unknown code costs what a known one does, and locks the same:
   * neither the answers nor their timing tell whether a code exists. */
  if (time_checks (store, "right PIN", CHECKS, code, "4729", 0) < 0
      || (wrong = time_checks (store, "known code, wrong PIN (below the lockout)", WRONG_CHECKS,
                               code, "5830", HP_STORE_ERROR_PATIENT_UNKNOWN)) < 0
      || (unknown_wrong = time_checks (store, "unknown code (below the lockout)", WRONG_CHECKS,
                                       unknown, "4729", HP_STORE_ERROR_PATIENT_UNKNOWN)) < 0
      || time_checks (store, "known code, the wrong PIN that locks", 1, code, "5830",
                      HP_STORE_ERROR_PATIENT_LOCKED) < 0
      || time_checks (store, "unknown code, the wrong PIN that locks", 1, unknown, "4729",
                      HP_STORE_ERROR_PATIENT_LOCKED) < 0
      || (locked = time_checks (store, "known code, while locked", CHECKS, code, "4729",
                                HP_STORE_ERROR_PATIENT_LOCKED)) < 0
      || (unknown_locked = time_checks (store, "unknown code, while locked", CHECKS, unknown, "4729",
                                        HP_STORE_ERROR_PATIENT_LOCKED)) < 0)
    goto out_quiet;
  printf ("unknown minus known: %+.2f ms below the lockout, %+.2f ms while locked\n",
          unknown_wrong - wrong, unknown_locked - locked);
  if (!hp_store_create_patient (store, "4729", &second, &error))
    goto out;
  if (time_checks (store, "right PIN, another patient", CHECKS, second, "4729", 0) < 0)
    goto out_quiet;

  /* The async check from a main loop: a 5 ms timer shows how long the loop
   * was ever kept from running while the hash ran on a worker thread. */
  watch.loop = g_main_loop_new (NULL, FALSE);
  watch.last_tick = g_get_monotonic_time ();
  tick = g_timeout_add (5, on_tick, &watch);
  start = g_get_monotonic_time ();
  hp_store_verify_patient_async (store, second, "4729", NULL, on_verified, &watch);
  g_main_loop_run (watch.loop);
  printf ("verify async: %.1f ms to the callback; longest main loop gap %.1f ms (timer every 5 ms)\n",
          ms_since (start), watch.longest_gap / 1000.0);
  g_source_remove (tick);
  g_main_loop_unref (watch.loop);
  if (!watch.verified)
    {
      fail (watch.error);
      g_clear_error (&watch.error);
      goto out_quiet;
    }
  status = 0;
  goto out_quiet;

out:
  fail (error);
out_quiet:
  g_clear_object (&store);
  if (!hp_test_tmpdir_remove (dir))
    status = 1;
  return status;
}
