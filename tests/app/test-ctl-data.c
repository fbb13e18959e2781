/* Tests of healthpost-ctl's config, audit, staff and retention commands, run as a separate process on a temporary database. */
#include <glib/gstdio.h>
#include <string.h>

#include "hp-config-private.h"
#include "hp-store-fixture.h"
#include "hp-test-util.h"

static const char *ctl_path;

typedef struct {
  char *dir;
  char *database;
  char *config;
} CtlFixture;

typedef struct {
  int status;
  char *out;
  char *err;
} CtlRun;

static void
ctl_run_clear (CtlRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CtlRun, ctl_run_clear)

static void
write_config (CtlFixture *f,
              const char *extra)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("[demo]\nenabled=true\n[storage]\ndatabase=%s\n%s", f->database, extra);

  if (!g_file_set_contents (f->config, text, -1, &error))
    fail_msg ("cannot write the configuration: %s", error->message);
}

static int
setup (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStore) store = NULL;
  g_autofree char *key_path = NULL;
  CtlFixture *f = g_new0 (CtlFixture, 1);

  f->dir = g_dir_make_tmp ("hp-ctl-data-XXXXXX", &error);
  if (f->dir == NULL)
    return -1;
  f->database = g_build_filename (f->dir, "healthpost.db", NULL);
  f->config = g_build_filename (f->dir, "healthpost.conf", NULL);
  write_config (f, "");

  /* The kiosk made the database and its root key file on its first start
   * (the demo arrangement: healthpost.db.key beside it). */
  store = hp_store_open_demo (f->database, &error);
  if (store == NULL)
    return -1;
  key_path = g_strconcat (f->database, ".key", NULL);
  if (!g_file_test (key_path, G_FILE_TEST_IS_REGULAR))
    return -1;
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  CtlFixture *f = *state;
  int result = hp_test_tmpdir_remove (f->dir) ? 0 : -1;

  g_free (f->dir);
  g_free (f->database);
  g_free (f->config);
  g_free (f);
  return result;
}

/* Runs healthpost-ctl --config CONFIG ARGS… with @input on its standard
 * input, byte for byte. */
static CtlRun
ctl_valist (CtlFixture *f,
            GBytes     *input,
            va_list     args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  CtlRun run = { 0 };
  const char *arg;

  g_ptr_array_add (argv, (gpointer) ctl_path);
  g_ptr_array_add (argv, (gpointer) "--config");
  g_ptr_array_add (argv, f->config);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                        | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "CREDENTIALS_DIRECTORY");
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  if (process == NULL)
    fail_msg ("cannot start %s: %s", ctl_path, error->message);
  if (!g_subprocess_communicate (process, input, NULL, &out, &err, &error))
    fail_msg ("talking to healthpost-ctl failed: %s", error->message);
  assert_true (g_subprocess_get_if_exited (process));
  run.status = g_subprocess_get_exit_status (process);
  /* Empty output has no data at all: it is still a string. */
  run.out = g_bytes_get_size (out) > 0 ? g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out)) : g_strdup ("");
  run.err = g_bytes_get_size (err) > 0 ? g_strndup (g_bytes_get_data (err, NULL), g_bytes_get_size (err)) : g_strdup ("");
  return run;
}

static CtlRun
ctl (CtlFixture *f,
     const char *input,
     ...)
{
  g_autoptr(GBytes) bytes = g_bytes_new (input != NULL ? input : "", input != NULL ? strlen (input) : 0);
  CtlRun run;
  va_list args;

  va_start (args, input);
  run = ctl_valist (f, bytes, args);
  va_end (args);
  return run;
}

/* The same with @length bytes of @input, NUL bytes included. */
static CtlRun
ctl_bytes (CtlFixture *f,
           const char *input,
           gsize       length,
           ...)
{
  g_autoptr(GBytes) bytes = g_bytes_new (input, length);
  CtlRun run;
  va_list args;

  va_start (args, length);
  run = ctl_valist (f, bytes, args);
  va_end (args);
  return run;
}

static void
assert_ctl_status (const CtlRun *run,
                   int           status)
{
  if (run->status != status)
    fail_msg ("healthpost-ctl exited with %d, not %d\nstdout: %s\nstderr: %s",
              run->status, status, run->out, run->err);
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    if (*p == '\n')
      n++;
  return n;
}

static gint64
query_int (CtlFixture *f,
           const char *sql)
{
  sqlite3 *raw = hp_store_fixture_open_raw (f->database);
  gint64 value = hp_store_fixture_query_int (raw, sql);

  sqlite3_close (raw);
  return value;
}

#define ADMIN_PIN "135792"
#define TECH_PIN  "246813"

static void
add_admin_and_technician (CtlFixture *f)
{
  {
    g_auto(CtlRun) run = ctl (f, ADMIN_PIN "\n" ADMIN_PIN "\n",
                              "staff", "add", "--role", "administrator", "Ada Testname", NULL);
    assert_ctl_status (&run, 0);
    assert_non_null (strstr (run.out, "added staff 1 (administrator)"));
  }
  {
    g_auto(CtlRun) run = ctl (f, ADMIN_PIN "\n" TECH_PIN "\n" TECH_PIN "\n",
                              "staff", "add", "--admin", "1", "--role", "technician", "Tom Testname", NULL);
    assert_ctl_status (&run, 0);
    assert_non_null (strstr (run.out, "added staff 2 (technician)"));
  }
}

/* A NUL byte in a PIN on standard input is refused, not read as the end
 * of the PIN: "135792\\0999" must not sign in as 135792. */
static void
test_pin_with_nul_refused (void **state)
{
  CtlFixture *f = *state;
  static const char with_nul[] = ADMIN_PIN "\0" "999\n" TECH_PIN "\n" TECH_PIN "\n";

  add_admin_and_technician (f);
  {
    g_auto(CtlRun) run = ctl_bytes (f, with_nul, sizeof with_nul - 1,
                                    "staff", "add", "--admin", "1", "--role", "technician", "Nul Testname", NULL);
    assert_ctl_status (&run, 1);
    assert_non_null (strstr (run.err, "a PIN is"));
  }
  assert_int_equal (query_int (f, "SELECT count(*) FROM staff"), 2);
}

static void
test_staff_commands (void **state)
{
  CtlFixture *f = *state;

  {
    g_auto(CtlRun) run = ctl (f, NULL, "staff", "list", NULL);
    assert_ctl_status (&run, 0);
    assert_non_null (strstr (run.out, "no staff accounts yet"));
  }
  {
    /* The first account must be an administrator. */
    g_auto(CtlRun) run = ctl (f, TECH_PIN "\n" TECH_PIN "\n",
                              "staff", "add", "--role", "technician", "Tom Testname", NULL);
    assert_ctl_status (&run, 1);
    assert_int_equal (query_int (f, "SELECT count(*) FROM staff"), 0);
  }
  add_admin_and_technician (f);
  {
    /* Later ones need an administrator, and the right PIN. */
    g_auto(CtlRun) run = ctl (f, ADMIN_PIN "\n" ADMIN_PIN "\n",
                              "staff", "add", "--role", "administrator", "Eve Testname", NULL);
    assert_ctl_status (&run, 1);
  }
  {
    g_auto(CtlRun) run = ctl (f, "999999\n" TECH_PIN "\n" TECH_PIN "\n",
                              "staff", "add", "--admin", "1", "--role", "technician", "Eve Testname", NULL);
    assert_ctl_status (&run, 1);
    assert_non_null (strstr (run.err, "Wrong PIN"));
    assert_null (strstr (run.err, "999999"));
  }
  {
    g_auto(CtlRun) run = ctl (f, TECH_PIN "\n" "580316\n" "580316\n",
                              "staff", "add", "--admin", "2", "--role", "technician", "Eve Testname", NULL);
    assert_ctl_status (&run, 1);
    assert_non_null (strstr (run.err, "not an administrator"));
    /* The refusal is in the audit trail, as the technician's. */
    assert_int_equal (query_int (f, "SELECT count(*) FROM audit_log WHERE action = 'staff.denied' "
                                    "AND actor = 'staff:2'"), 1);
  }
  {
    g_auto(CtlRun) run = ctl (f, ADMIN_PIN "\n" "580316\n" "580317\n",
                              "staff", "add", "--admin", "1", "--role", "technician", "Eve Testname", NULL);
    assert_ctl_status (&run, 1);
    assert_non_null (strstr (run.err, "differ"));
  }
  assert_int_equal (query_int (f, "SELECT count(*) FROM staff"), 2);
  {
    g_auto(CtlRun) run = ctl (f, NULL, "staff", "list", NULL);
    assert_ctl_status (&run, 0);
    assert_non_null (strstr (run.out, "1\tadministrator\tAda Testname\n"));
    assert_non_null (strstr (run.out, "2\ttechnician\tTom Testname\n"));
  }
  {
    g_auto(CtlRun) run = ctl (f, ADMIN_PIN "\n", "staff", "remove", "--admin", "1", "2", NULL);
    assert_ctl_status (&run, 0);
  }
  {
    g_auto(CtlRun) run = ctl (f, NULL, "staff", "list", NULL);
    assert_ctl_status (&run, 0);
    assert_null (strstr (run.out, "Tom Testname"));
    assert_int_equal (count_lines (run.out), 1);
  }
  {
    g_auto(CtlRun) run = ctl (f, NULL, "staff", "add", "--role", "wizard", "Merlin", NULL);
    assert_ctl_status (&run, 2);
  }
  {
    g_auto(CtlRun) run = ctl (f, NULL, "staff", "remove", "--admin", "1", "not-a-number", NULL);
    assert_ctl_status (&run, 2);
  }
}

static void
test_audit_commands (void **state)
{
  CtlFixture *f = *state;
  gint64 entries;

  add_admin_and_technician (f);
  entries = query_int (f, "SELECT count(*) FROM audit_log");
  assert_true (entries >= 3);
  {
    g_autofree char *expected = g_strdup_printf ("audit log OK: %" G_GINT64_FORMAT " entries\n", entries);
    g_auto(CtlRun) run = ctl (f, NULL, "audit", "verify", NULL);
    assert_ctl_status (&run, 0);
    assert_string_equal (run.out, expected);
  }
  {
    g_auto(CtlRun) run = ctl (f, NULL, "audit", "list", NULL);
    assert_ctl_status (&run, 0);
    assert_int_equal (count_lines (run.out), entries);
    assert_non_null (strstr (run.out, "\tstaff.add\tstaff:2 role=technician\n"));
    assert_null (strstr (run.out, "Testname"));
  }
  {
    g_auto(CtlRun) run = ctl (f, NULL, "audit", "list", "--since", "2000-01-01", NULL);
    assert_ctl_status (&run, 0);
    assert_int_equal (count_lines (run.out), entries);
  }
  {
    g_auto(CtlRun) run = ctl (f, NULL, "audit", "list", "--since", "2999-01-01", NULL);
    assert_ctl_status (&run, 0);
    assert_string_equal (run.out, "");
  }
  {
    g_auto(CtlRun) run = ctl (f, NULL, "audit", "list", "--since", "last tuesday", NULL);
    assert_ctl_status (&run, 2);
  }
  {
    g_auto(CtlRun) run = ctl (f, NULL, "audit", "frobnicate", NULL);
    assert_ctl_status (&run, 2);
  }

  {
    sqlite3 *raw = hp_store_fixture_open_raw (f->database);

    hp_store_fixture_exec_raw (raw, "DROP TRIGGER audit_log_no_update;"
                                    "UPDATE audit_log SET detail = 'staff:3 role=technician' WHERE seq = 2;");
    sqlite3_close (raw);
  }
  {
    g_auto(CtlRun) run = ctl (f, NULL, "audit", "verify", NULL);
    assert_ctl_status (&run, 1);
    assert_non_null (strstr (run.out, "BROKEN at entry 2"));
  }
}

static void
test_retention_command (void **state)
{
  CtlFixture *f = *state;
  gint64 now_ms = g_get_real_time () / 1000;
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(HpStore) store = hp_store_open_demo (f->database, &error);
    g_autoptr(HpVisit) old = hp_store_fixture_small_visit ("old-visit", now_ms - (gint64) 40 * 86400000);
    g_autoptr(HpVisit) recent = hp_store_fixture_small_visit ("recent-visit", now_ms - (gint64) 20 * 86400000);

    assert_non_null (store);
    assert_true (hp_store_commit_visit (store, old, &error));
    assert_true (hp_store_commit_visit (store, recent, &error));
  }
  write_config (f, "retention-days=30\n");
  {
    g_auto(CtlRun) run = ctl (f, NULL, "retention", "run", NULL);
    assert_ctl_status (&run, 0);
    assert_string_equal (run.out, "deleted 1 visits finished more than 30 days ago\n");
  }
  assert_int_equal (query_int (f, "SELECT count(*) FROM visits WHERE id = 'recent-visit'"), 1);
  assert_int_equal (query_int (f, "SELECT count(*) FROM visits"), 1);
  {
    g_auto(CtlRun) run = ctl (f, NULL, "audit", "list", NULL);
    assert_ctl_status (&run, 0);
    assert_non_null (strstr (run.out, "\tsystem\tretention.run\tdeleted=1 days=30\n"));
  }
  write_config (f, "retention-days=0\n");
  {
    g_auto(CtlRun) run = ctl (f, NULL, "retention", "run", NULL);
    assert_ctl_status (&run, 1);
  }
  assert_int_equal (query_int (f, "SELECT count(*) FROM visits"), 1);
}

static char *
checksum_of (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return g_strdup ("absent");
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

/* An export never overwrites what it was not told to, and never the
 * kiosk's own files, even when told to: the database, its key, anything in
 * its folder. */
static void
test_export_destinations (void **state)
{
  CtlFixture *f = *state;
  g_autofree char *key_path = g_strconcat (f->database, ".key", NULL);
  g_autofree char *wal_path = g_strconcat (f->database, "-wal", NULL);
  g_autofree char *beside = g_build_filename (f->dir, "export.json", NULL);
  g_autofree char *outside_dir = g_dir_make_tmp ("hp-ctl-export-XXXXXX", NULL);
  g_autofree char *existing = g_build_filename (outside_dir, "clinic.json", NULL);
  g_autofree char *database_sum = checksum_of (f->database);
  g_autofree char *key_sum = checksum_of (key_path);
  const char *protected[] = { f->database, key_path, wal_path, beside };

  assert_non_null (outside_dir);
  for (gsize i = 0; i < G_N_ELEMENTS (protected); i++)
    {
      g_auto(CtlRun) run = ctl (f, NULL, "export", "--fhir", "--force", protected[i], NULL);

      assert_ctl_status (&run, 1);
      if (strstr (run.err, "never goes there") == NULL && strstr (run.err, "state folder") == NULL)
        fail_msg ("the export to %s was refused without saying why: %s", protected[i], run.err);
    }
  {
    g_autofree char *after_database = checksum_of (f->database);
    g_autofree char *after_key = checksum_of (key_path);

    assert_string_equal (after_database, database_sum);
    assert_string_equal (after_key, key_sum);
    assert_false (g_file_test (beside, G_FILE_TEST_EXISTS));
  }

  /* Another file is replaced only when asked to. */
  assert_true (g_file_set_contents (existing, "the clinic's own file", -1, NULL));
  {
    g_auto(CtlRun) run = ctl (f, NULL, "export", "--fhir", existing, NULL);
    g_autofree char *kept = NULL;

    assert_ctl_status (&run, 1);
    assert_non_null (strstr (run.err, "already exists"));
    assert_true (g_file_get_contents (existing, &kept, NULL, NULL));
    assert_string_equal (kept, "the clinic's own file");
  }
  {
    g_auto(CtlRun) run = ctl (f, NULL, "export", "--fhir", "--force", existing, NULL);
    g_autofree char *written = NULL;

    assert_ctl_status (&run, 0);
    assert_true (g_file_get_contents (existing, &written, NULL, NULL));
    assert_non_null (strstr (written, "\"resourceType\":\"Bundle\""));
  }
  /* Nothing but the export is left in the folder. */
  {
    g_autoptr(GDir) dir = g_dir_open (outside_dir, 0, NULL);
    guint n = 0;

    while (g_dir_read_name (dir) != NULL)
      n++;
    assert_int_equal (n, 1);
  }
  assert_true (hp_test_tmpdir_remove (outside_dir));
}

static void
test_missing_database_or_key (void **state)
{
  CtlFixture *f = *state;
  g_autofree char *key_path = g_strconcat (f->database, ".key", NULL);

  assert_int_equal (g_remove (key_path), 0);
  {
    g_auto(CtlRun) run = ctl (f, NULL, "audit", "verify", NULL);
    assert_ctl_status (&run, 1);
  }
  g_free (f->database);
  f->database = g_build_filename (f->dir, "absent.db", NULL);
  write_config (f, "");
  {
    g_auto(CtlRun) run = ctl (f, NULL, "staff", "list", NULL);
    assert_ctl_status (&run, 1);
    assert_non_null (strstr (run.err, "does not exist"));
  }
  assert_false (g_file_test (f->database, G_FILE_TEST_EXISTS));
}

/* Every file in the folder and a checksum of each, one per line; but
 * SQLite's shared-memory index (-shm): it holds no data, only mirrors a
 * -wal, and a reader beside a -wal needs one (a database without a -wal
 * is read from a copy in memory and gets none). */
static char *
folder_fingerprint (CtlFixture *f)
{
  g_auto(GStrv) names = hp_store_fixture_list_dir (f->dir);
  GString *text = g_string_new (NULL);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (f->dir, names[i], NULL);
      g_autofree char *sum = NULL;

      if (g_str_has_suffix (names[i], "-shm"))
        continue;
      sum = checksum_of (path);
      g_string_append_printf (text, "%s %s\n", names[i], sum);
    }
  return g_string_free (text, FALSE);
}

static void
assert_reading_changes_nothing (CtlFixture *f,
                                int         status_status)
{
  const char *commands[][3] = {
    { "status", NULL, NULL },
    { "audit", "verify", NULL },
    { "audit", "list", NULL },
  };
  g_autofree char *before = folder_fingerprint (f);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(CtlRun) run = ctl (f, NULL, commands[i][0], commands[i][1], commands[i][2], NULL);
      g_autofree char *after = folder_fingerprint (f);

      if (i == 0)
        assert_ctl_status (&run, status_status);
      if (g_strcmp0 (before, after) != 0)
        fail_msg ("healthpost-ctl %s %s changed the folder:\n%s\nbecame\n%s",
                  commands[i][0], commands[i][1] != NULL ? commands[i][1] : "", before, after);
    }
}

/* An older database is read as it is: status says what the kiosk will do,
 * and nothing migrates it. */
static void
test_reading_leaves_an_older_schema (void **state)
{
  CtlFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *key_path = g_strconcat (f->database, ".key", NULL);
  g_autofree char *anchor_path = g_strconcat (f->database, ".audit-head", NULL);
  g_autofree char *shm_path = g_strconcat (f->database, "-shm", NULL);

  assert_int_equal (g_remove (f->database), 0);
  assert_int_equal (g_remove (anchor_path), 0);
  {
    g_autoptr(HpStore) old = hp_store_open_at_version (f->database, 4, &error);

    assert_non_null (old);
  }
  assert_reading_changes_nothing (f, 0);
  /* Read from a copy: not even SQLite's shared memory appeared. */
  assert_false (g_file_test (shm_path, G_FILE_TEST_EXISTS));
  assert_int_equal (query_int (f, "PRAGMA user_version"), 4);
  {
    g_auto(CtlRun) run = ctl (f, NULL, "status", NULL);
    assert_non_null (strstr (run.out, "schema version: 4 (this build: "));
    assert_non_null (strstr (run.out, "brings it up to date on its next start"));
    assert_non_null (strstr (run.out, "integrity: whole"));
  }
  {
    g_auto(CtlRun) run = ctl (f, NULL, "audit", "verify", NULL);
    assert_ctl_status (&run, 0);
    assert_non_null (strstr (run.out, "not yet anchored"));
  }
  /* Without its key, a demo database is not given a new one. */
  assert_int_equal (g_remove (key_path), 0);
  assert_reading_changes_nothing (f, 1);
  assert_false (g_file_test (key_path, G_FILE_TEST_EXISTS));
}

/* A write-ahead log left by a kiosk that stopped mid-way stays as it is:
 * reading takes its committed pages into account without folding them into
 * the file or removing the log. */
static void
test_reading_leaves_the_log (void **state)
{
  CtlFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = g_strconcat (f->database, "-wal", NULL);
  g_autofree char *data = NULL;
  g_autofree char *wal_data = NULL;
  gsize length = 0;
  gsize wal_length = 0;

  {
    g_autoptr(HpStore) store = hp_store_open_demo (f->database, &error);
    g_autoptr(HpVisit) visit = hp_store_fixture_small_visit ("in-the-log", g_get_real_time () / 1000);

    assert_non_null (store);
    assert_true (hp_store_commit_visit (store, visit, &error));
    /* The files as a power cut would leave them, the log not yet folded in. */
    assert_true (g_file_get_contents (f->database, &data, &length, NULL));
    assert_true (g_file_get_contents (wal, &wal_data, &wal_length, NULL));
  }
  assert_true (wal_length > 0);
  hp_store_fixture_write_private (f->database, data, length);
  hp_store_fixture_write_private (wal, wal_data, wal_length);

  assert_reading_changes_nothing (f, 0);
  {
    g_auto(CtlRun) run = ctl (f, NULL, "status", NULL);
    assert_non_null (strstr (run.out, "visits: 1\n"));
  }
}

/* A damaged page: reading says so, writing refuses, and no file changes. */
static void
test_damaged_database_refused (void **state)
{
  CtlFixture *f = *state;
  g_autofree char *data = NULL;
  gint64 page_size;
  gint64 root;
  gsize length = 0;

  write_config (f, "retention-days=30\n");
  page_size = query_int (f, "PRAGMA page_size");
  root = query_int (f, "SELECT rootpage FROM sqlite_schema WHERE name = 'measurements'");
  assert_true (g_file_get_contents (f->database, &data, &length, NULL));
  assert_true ((gsize) (root * page_size) <= length);
  data[(root - 1) * page_size] ^= 0x40;
  hp_store_fixture_write_private (f->database, data, length);

  assert_reading_changes_nothing (f, 1);
  {
    g_autofree char *before = folder_fingerprint (f);
    g_autofree char *after = NULL;
    g_auto(CtlRun) status = ctl (f, NULL, "status", NULL);
    g_auto(CtlRun) verify = ctl (f, NULL, "audit", "verify", NULL);
    g_auto(CtlRun) retention = ctl (f, NULL, "retention", "run", NULL);

    assert_non_null (strstr (status.out, "integrity: DAMAGED"));
    assert_ctl_status (&verify, 1);
    assert_non_null (strstr (verify.err, "damaged"));
    assert_ctl_status (&retention, 1);
    assert_non_null (strstr (retention.err, "nothing was written"));
    after = folder_fingerprint (f);
    assert_string_equal (before, after);
  }
}

/* config prints every key of the table with the value in force; --sample
 * prints the documented file, whatever the configuration holds. */
static void
test_config_command (void **state)
{
  CtlFixture *f = *state;
  g_autofree char *sample = hp_config_dup_sample ();

  write_config (f, "retention-days=30\n[audio]\nvolume=25\n");
  {
    g_auto(CtlRun) run = ctl (f, NULL, "config", NULL);
    g_autoptr(GKeyFile) printed = g_key_file_new ();
    g_auto(GStrv) groups = NULL;
    g_autofree char *database = NULL;
    gsize n_printed = 0;

    assert_ctl_status (&run, 0);
    assert_true (g_key_file_load_from_data (printed, run.out, strlen (run.out), G_KEY_FILE_NONE, NULL));
    groups = g_key_file_get_groups (printed, NULL);
    for (guint g = 0; groups[g] != NULL; g++)
      {
        g_auto(GStrv) keys = g_key_file_get_keys (printed, groups[g], NULL, NULL);

        n_printed += g_strv_length (keys);
      }
    for (guint i = 0; i < HP_CONFIG_N_KEYS; i++)
      if (!g_key_file_has_key (printed, hp_config_keys[i].group, hp_config_keys[i].name, NULL))
        fail_msg ("[%s] %s is not printed:\n%s", hp_config_keys[i].group, hp_config_keys[i].name, run.out);
    assert_int_equal (n_printed, HP_CONFIG_N_KEYS);
    database = g_key_file_get_string (printed, "storage", "database", NULL);
    assert_string_equal (database, f->database);
    assert_int_equal (g_key_file_get_integer (printed, "storage", "retention-days", NULL), 30);
    assert_int_equal (g_key_file_get_integer (printed, "audio", "volume", NULL), 25);
    assert_true (g_key_file_get_boolean (printed, "demo", "enabled", NULL));
  }
  {
    g_auto(CtlRun) run = ctl (f, NULL, "config", "--sample", NULL);

    assert_ctl_status (&run, 0);
    assert_string_equal (run.out, sample);
  }
  {
    g_auto(CtlRun) run = ctl (f, NULL, "config", "extra", NULL);

    assert_ctl_status (&run, 2);
    assert_non_null (strstr (run.err, "usage: healthpost-ctl config [--sample]"));
  }
  write_config (f, "[audio]\nvolume=0\n");
  {
    g_auto(CtlRun) run = ctl (f, NULL, "config", NULL);
    g_auto(CtlRun) sample_run = ctl (f, NULL, "config", "--sample", NULL);

    assert_ctl_status (&run, 1);
    assert_non_null (strstr (run.err, "[audio] volume"));
    assert_ctl_status (&sample_run, 0);
    assert_string_equal (sample_run.out, sample);
  }
}

int
main (int   argc,
      char *argv[])
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_config_command, setup, teardown),
    cmocka_unit_test_setup_teardown (test_staff_commands, setup, teardown),
    cmocka_unit_test_setup_teardown (test_audit_commands, setup, teardown),
    cmocka_unit_test_setup_teardown (test_retention_command, setup, teardown),
    cmocka_unit_test_setup_teardown (test_export_destinations, setup, teardown),
    cmocka_unit_test_setup_teardown (test_pin_with_nul_refused, setup, teardown),
    cmocka_unit_test_setup_teardown (test_missing_database_or_key, setup, teardown),
    cmocka_unit_test_setup_teardown (test_reading_leaves_an_older_schema, setup, teardown),
    cmocka_unit_test_setup_teardown (test_reading_leaves_the_log, setup, teardown),
    cmocka_unit_test_setup_teardown (test_damaged_database_refused, setup, teardown),
  };

  if (argc != 2)
    {
      g_printerr ("usage: %s PATH-TO-HEALTHPOST-CTL\n", argv[0]);
      return 2;
    }
  ctl_path = argv[1];
  return cmocka_run_group_tests_name ("ctl-data", tests, NULL, NULL);
}
