/* Power cuts: a writer's files are rebuilt as a disk keeps them when the power fails (what was not synced dropped, or torn at 512-byte sectors), at random moments of committing, opening, creating and checkpointing; every visit, patient and audit entry reported committed must be there, with no damage alarm. */
#include "hp-store-fixture.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "crash-visit.h"
#include "hp-audit.h"
#include "hp-keyring.h"
#include "hp-store-damage.h"
#include "hp-store-private.h"
#include "hp-test-util.h"

#define DEFAULT_CUTS 40
#define SECTOR 512
#define TRUNCATION G_MAXUINT64

static const char *writer_path;
static const char *shim_path;

typedef enum {
  CUT_COMMITTING,  /* while it commits, some time after it is ready */
  CUT_OPENING,     /* while it opens an existing database */
  CUT_CREATING,    /* while it makes a new one */
} CutMoment;

typedef struct {
  void *fixture;   /* the HpStoreFixture whose temporary folder holds it all */
  char *dir;       /* the database's folder, whose files the shim follows */
  char *path;
  char *shadow;
  char *durable;
  char *pending;
  GRand *rand;
  guint cuts;
  guint torn;
  guint reported_visits;
  guint reported_entries;
  guint reported_codes;
  guint cut_between;   /* a commit stored, its report not yet made */
  guint moments[3];
} PowerCut;

static guint
n_cuts (void)
{
  const char *text = g_getenv ("HP_POWERCUT_CUTS");
  guint64 cuts = text != NULL ? g_ascii_strtoull (text, NULL, 10) : 0;

  return cuts > 0 && cuts < 1000000 ? (guint) cuts : DEFAULT_CUTS;
}

static GBytes *
read_or_null (const char *path)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &data, &length, NULL))
    return NULL;
  return g_bytes_new_take (g_steal_pointer (&data), length);
}

static void
remove_all_in (const char *dir)
{
  g_auto(GStrv) names = hp_store_fixture_list_dir (dir);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);

      assert_int_equal (g_unlink (path), 0);
    }
}

/* What is on disk now is what lasts: the next run starts from it. */
static void
take_baseline (PowerCut *pc)
{
  g_auto(GStrv) names = hp_store_fixture_list_dir (pc->dir);

  remove_all_in (pc->durable);
  remove_all_in (pc->pending);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *from = g_build_filename (pc->dir, names[i], NULL);
      g_autofree char *to = g_build_filename (pc->durable, names[i], NULL);
      g_autoptr(GBytes) data = read_or_null (from);

      assert_non_null (data);
      hp_store_fixture_write_private (to, g_bytes_get_data (data, NULL), g_bytes_get_size (data));
    }
}

/* Starts the writer under the shim and cuts the power after @delay_us:
 * counted from when it is ready for CUT_COMMITTING (and, with @wait_for,
 * from when it reports a line starting so), from its start otherwise.
 * Returns the lines it reported. */
static GPtrArray *
run_and_cut (PowerCut  *pc,
             guint      run,
             CutMoment  moment,
             gulong     delay_us,
             const char *wait_for,
             gboolean   nosync)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) writer = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *run_text = g_strdup_printf ("%u", run);
  g_autofree char *asan = g_strconcat (g_getenv ("ASAN_OPTIONS") != NULL ? g_getenv ("ASAN_OPTIONS") : "",
                                       ":verify_asan_link_order=0", NULL);
  GPtrArray *reported = g_ptr_array_new_with_free_func (g_free);
  char *line;

  g_subprocess_launcher_setenv (launcher, "LD_PRELOAD", shim_path, TRUE);
  g_subprocess_launcher_setenv (launcher, "HP_POWERCUT_DIR", pc->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "HP_POWERCUT_SHADOW", pc->shadow, TRUE);
  g_subprocess_launcher_setenv (launcher, "HP_POWERCUT_NOSYNC", nosync ? "1" : "0", TRUE);
  /* The shim comes before the sanitizers' runtime in the library list. */
  g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", asan, TRUE);
  writer = g_subprocess_launcher_spawn (launcher, &error, writer_path, pc->path, run_text, NULL);
  if (writer == NULL)
    fail_msg ("cannot start %s: %s", writer_path, error->message);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (writer));

  if (moment == CUT_COMMITTING)
    {
      g_autofree char *ready = g_data_input_stream_read_line (lines, NULL, NULL, &error);

      if (g_strcmp0 (ready, "ready") != 0)
        fail_msg ("the writer did not start (run %u)", run);
      /* However slowly a loaded machine runs it, the cut comes after the
       * commit this run is for. */
      while (wait_for != NULL)
        {
          line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
          if (line == NULL)
            fail_msg ("the writer stopped before reporting \"%s\" (run %u)", wait_for, run);
          g_ptr_array_add (reported, line);
          if (g_str_has_prefix (line, wait_for))
            break;
        }
    }
  g_usleep (delay_us);
  g_subprocess_send_signal (writer, SIGKILL);
  assert_true (g_subprocess_wait (writer, NULL, &error));
  if (!g_subprocess_get_if_signaled (writer))
    fail_msg ("the writer stopped by itself (run %u, status %d)", run, g_subprocess_get_status (writer));

  while ((line = g_data_input_stream_read_line (lines, NULL, NULL, &error)) != NULL)
    g_ptr_array_add (reported, line);
  assert_null (error);
  return reported;
}

/* The writes since the last sync of a file, in order, as the shim
 * recorded them: (offset, length) pairs. */
static GArray *
read_pending (PowerCut   *pc,
              const char *name)
{
  g_autofree char *path = g_build_filename (pc->pending, name, NULL);
  g_autoptr(GBytes) data = read_or_null (path);
  GArray *records = g_array_new (FALSE, FALSE, sizeof (guint64));

  if (data != NULL)
    {
      gsize size = g_bytes_get_size (data);

      assert_int_equal (size % (2 * sizeof (guint64)), 0);
      g_array_append_vals (records, g_bytes_get_data (data, NULL), (guint) (size / sizeof (guint64)));
    }
  return records;
}

/* One file as the disk keeps it: what was synced, and with @tear any of
 * the sectors written since (each kept or not, as the drive got to it). */
static void
rebuild_file (PowerCut   *pc,
              const char *name,
              gboolean    tear)
{
  g_autofree char *real = g_build_filename (pc->dir, name, NULL);
  g_autofree char *durable_path = g_build_filename (pc->durable, name, NULL);
  g_autoptr(GBytes) durable = read_or_null (durable_path);
  g_autoptr(GBytes) now = read_or_null (real);
  g_autoptr(GArray) pending = read_pending (pc, name);
  g_autoptr(GByteArray) kept = g_byte_array_new ();
  gboolean exists = durable != NULL;

  /* Shared memory is not on the disk at all. */
  if (g_str_has_suffix (name, "-shm"))
    {
      g_unlink (real);
      return;
    }
  if (durable != NULL)
    g_byte_array_append (kept, g_bytes_get_data (durable, NULL), (guint) g_bytes_get_size (durable));

  for (guint i = 0; tear && now != NULL && i + 1 < pending->len; i += 2)
    {
      guint64 offset = g_array_index (pending, guint64, i);
      guint64 length = g_array_index (pending, guint64, i + 1);
      const guint8 *bytes = g_bytes_get_data (now, NULL);
      guint64 size = g_bytes_get_size (now);

      if (!g_rand_boolean (pc->rand))
        continue;
      if (length == TRUNCATION)
        {
          g_byte_array_set_size (kept, (guint) MIN (offset, (guint64) G_MAXUINT));
          exists = TRUE;
          continue;
        }
      /* Sector by sector, each one whole or not at all. */
      for (guint64 sector = offset / SECTOR * SECTOR; sector < offset + length; sector += SECTOR)
        {
          guint64 from = MAX (sector, offset);
          guint64 to = MIN (MIN (sector + SECTOR, offset + length), size);

          if (from >= to || !g_rand_boolean (pc->rand))
            continue;
          if (kept->len < to)
            {
              guint old = kept->len;

              g_byte_array_set_size (kept, (guint) to);
              memset (kept->data + old, 0, kept->len - old);
            }
          memcpy (kept->data + from, bytes + from, to - from);
          exists = TRUE;
        }
    }

  if (!exists)
    g_unlink (real);
  else
    hp_store_fixture_write_private (real, kept->data, kept->len);
}

static void
rebuild_after_cut (PowerCut *pc,
                   gboolean  tear)
{
  g_auto(GStrv) found = hp_store_fixture_list_dir (pc->dir);
  g_auto(GStrv) durable = hp_store_fixture_list_dir (pc->durable);
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer name;

  for (guint i = 0; found[i] != NULL; i++)
    g_hash_table_add (names, found[i]);
  for (guint i = 0; durable[i] != NULL; i++)
    g_hash_table_add (names, durable[i]);
  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    if (!g_str_has_suffix (name, ".new"))
      rebuild_file (pc, name, tear);
}

static gboolean
found_problem (char       **problem,
               const char  *format,
               ...) G_GNUC_PRINTF (2, 3);

static gboolean
found_problem (char       **problem,
               const char  *format,
               ...)
{
  va_list args;

  va_start (args, format);
  *problem = g_strdup_vprintf (format, args);
  va_end (args);
  return FALSE;
}

static gboolean
has_entry (GPtrArray  *entries,
           const char *detail)
{
  for (guint i = 0; i < entries->len; i++)
    if (g_str_equal (((HpAuditEntry *) g_ptr_array_index (entries, i))->detail, detail))
      return TRUE;
  return FALSE;
}

static gboolean
visit_is_whole (HpStore    *store,
                const char *id)
{
  g_autoptr(HpVisit) loaded = hp_store_load_visit (store, id, NULL);

  return loaded != NULL && g_str_equal (hp_visit_get_id (loaded), id) && hp_crash_visit_matches (loaded);
}

/* Opens the store as the kiosk would after the cut and checks everything
 * the writer reported; FALSE with @problem saying what is missing. */
static gboolean
check_after_cut (PowerCut   *pc,
                 GPtrArray  *reported,
                 char      **problem)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStoreAlarm) alarm = NULL;
  g_autoptr(HpStore) store = hp_store_open_recovering (pc->path, NULL, &alarm, &error);
  g_autoptr(HpAuditLog) audit = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  guint8 key[32];
  gint64 bad = 0;

  if (store == NULL)
    return found_problem (problem, "the database does not open: %s", error->message);
  if (alarm != NULL)
    return found_problem (problem, "the database was found damaged (%s)",
                          hp_store_damage_to_string (alarm->damage));
  if (!hp_store_check_whole (store, &error))
    return found_problem (problem, "%s", error->message);
  hp_store_fixture_audit_key (store, key);
  audit = hp_audit_log_new (store, key, sizeof key, &error);
  if (audit == NULL || !hp_audit_verify (audit, &bad, &error))
    return found_problem (problem, "the audit log does not verify (entry %" G_GINT64_FORMAT "): %s",
                          bad, error->message);
  entries = hp_audit_list (audit, 0, &error);
  if (entries == NULL)
    return found_problem (problem, "the audit log cannot be listed: %s", error->message);

  for (guint i = 0; i < reported->len; i++)
    {
      const char *line = g_ptr_array_index (reported, i);
      g_auto(GStrv) words = g_strsplit (line, " ", 3);

      if (g_str_equal (words[0], "code"))
        {
          gint64 id = 0;

          if (!hp_store_find_patient (store, words[1], &id, &error) || id == 0)
            return found_problem (problem, "a patient reported created is missing");
        }
      else if (g_str_equal (words[0], "visit"))
        {
          if (!visit_is_whole (store, words[1]))
            return found_problem (problem, "visit %s reported committed is missing or not whole", words[1]);
          if (!g_str_equal (words[2], "-"))
            {
              g_autoptr(GPtrArray) visits = hp_store_list_patient_visits (store, words[2], 0, &error);
              gboolean filed = FALSE;

              for (guint v = 0; visits != NULL && v < visits->len; v++)
                filed |= g_str_equal (hp_visit_get_id (g_ptr_array_index (visits, v)), words[1]);
              if (!filed)
                return found_problem (problem, "visit %s is not filed under its patient", words[1]);
            }
        }
      else if (g_str_equal (words[0], "audit"))
        {
          if (!has_entry (entries, words[1]))
            return found_problem (problem, "audit entry %s reported committed is missing", words[1]);
        }
    }
  return TRUE;
}

static void
count_reported (PowerCut  *pc,
                GPtrArray *reported)
{
  for (guint i = 0; i < reported->len; i++)
    {
      const char *line = g_ptr_array_index (reported, i);

      pc->reported_codes += g_str_has_prefix (line, "code ");
      pc->reported_visits += g_str_has_prefix (line, "visit ");
      pc->reported_entries += g_str_has_prefix (line, "audit ");
    }
}

static void
start_over (PowerCut *pc)
{
  g_auto(GStrv) names = hp_store_fixture_list_dir (pc->dir);

  /* The demo root key stays: a new database is made with it. */
  for (guint i = 0; names[i] != NULL; i++)
    if (!g_str_has_suffix (names[i], ".key"))
      {
        g_autofree char *path = g_build_filename (pc->dir, names[i], NULL);

        assert_int_equal (g_unlink (path), 0);
      }
}

/* One cut: returns FALSE with @problem when something reported committed
 * did not last. */
static gboolean
cut_once (PowerCut  *pc,
          guint      run,
          gboolean   nosync,
          char     **problem)
{
  g_autoptr(GPtrArray) reported = NULL;
  CutMoment moment;
  gulong delay;
  const char *wait_for = NULL;
  gboolean tear = g_rand_boolean (pc->rand);

  switch (run % 5)
    {
    case 0:
      moment = CUT_CREATING;
      delay = (gulong) g_rand_int_range (pc->rand, 0, 60000);
      start_over (pc);
      break;
    case 1:
      moment = CUT_OPENING;
      delay = (gulong) g_rand_int_range (pc->rand, 0, 30000);
      break;
    default:
      /* One run in five is cut after its patient (one scrypt hash) is
       * committed, among the visits filed under its code. */
      moment = CUT_COMMITTING;
      delay = (gulong) g_rand_int_range (pc->rand, 0, 40000);
      wait_for = run % 5 == 4 ? "code " : NULL;
      break;
    }
  take_baseline (pc);
  reported = run_and_cut (pc, run, moment, delay, wait_for, nosync);
  rebuild_after_cut (pc, tear);
  pc->cuts++;
  pc->torn += tear;
  pc->moments[moment]++;
  count_reported (pc, reported);
  return check_after_cut (pc, reported, problem);
}

static int
setup (void **state)
{
  HpStoreFixture *fixture;
  PowerCut *pc = g_new0 (PowerCut, 1);

  *state = pc;
  if (hp_store_fixture_setup (&pc->fixture) != 0)
    return -1;
  fixture = pc->fixture;
  pc->dir = g_build_filename (fixture->dir, "db", NULL);
  pc->path = g_build_filename (pc->dir, "healthpost.db", NULL);
  pc->shadow = g_build_filename (fixture->dir, "shadow", NULL);
  pc->durable = g_build_filename (pc->shadow, "durable", NULL);
  pc->pending = g_build_filename (pc->shadow, "pending", NULL);
  pc->rand = g_rand_new_with_seed (20261207);
  if (g_mkdir (pc->dir, 0700) != 0 || g_mkdir (pc->shadow, 0700) != 0
      || g_mkdir (pc->durable, 0700) != 0 || g_mkdir (pc->pending, 0700) != 0)
    return -1;
  return 0;
}

static int
teardown (void **state)
{
  PowerCut *pc = *state;
  const char *folders[] = { pc->durable, pc->pending, pc->shadow, pc->dir };
  int result = 0;

  for (guint i = 0; i < G_N_ELEMENTS (folders); i++)
    if (folders[i] != NULL && g_file_test (folders[i], G_FILE_TEST_IS_DIR)
        && !hp_test_tmpdir_remove (folders[i]))
      result = -1;
  if (pc->fixture != NULL && hp_store_fixture_teardown (&pc->fixture) != 0)
    result = -1;

  g_free (pc->dir);
  g_free (pc->path);
  g_free (pc->shadow);
  g_free (pc->durable);
  g_free (pc->pending);
  g_clear_pointer (&pc->rand, g_rand_free);
  g_free (pc);
  return result;
}

/* Every cut keeps what was reported committed: visits whole and filed
 * under their patient, the patient, the audit entries, and no damage. */
static void
test_power_cuts_lose_nothing_committed (void **state)
{
  PowerCut *pc = *state;
  guint cuts = n_cuts ();

  for (guint run = 0; run < cuts; run++)
    {
      g_autofree char *problem = NULL;

      if (!cut_once (pc, run, FALSE, &problem))
        fail_msg ("power cut %u: %s", run, problem);
    }
  print_message ("# %u power cuts (%u torn, the rest dropped; %u while committing, %u while opening, "
                 "%u while creating): %u visits, %u patients and %u audit entries reported "
                 "committed, all found\n",
                 pc->cuts, pc->torn, pc->moments[CUT_COMMITTING], pc->moments[CUT_OPENING],
                 pc->moments[CUT_CREATING], pc->reported_visits, pc->reported_codes,
                 pc->reported_entries);
  /* The cuts had commits to interrupt. */
  assert_true (pc->reported_visits > 0 && pc->reported_entries > 0 && pc->reported_codes > 0);
}

/* The harness itself: with syncing turned off, as some systems allow, it
 * must see committed data go. */
static void
test_harness_sees_lost_durability (void **state)
{
  PowerCut *pc = *state;

  for (guint run = 2; run < 40; run++)
    {
      g_autofree char *problem = NULL;

      /* Cuts while committing only: those have commits to lose. */
      if (run % 5 < 2)
        continue;
      if (!cut_once (pc, run, TRUE, &problem))
        {
          print_message ("# with syncing off, power cut %u found: %s\n", run, problem);
          return;
        }
    }
  fail_msg ("with syncing off, no power cut lost anything: the harness cannot see lost durability");
}

int
main (int    argc,
      char **argv)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_power_cuts_lose_nothing_committed, setup, teardown),
    cmocka_unit_test_setup_teardown (test_harness_sees_lost_durability, setup, teardown),
  };

  if (argc != 3)
    {
      g_printerr ("usage: %s POWERCUT-WRITER POWERCUT-SHIM\n", argv[0]);
      return 2;
    }
  writer_path = argv[1];
  shim_path = argv[2];
  return cmocka_run_group_tests_name ("power-cut", tests, NULL, NULL);
}
