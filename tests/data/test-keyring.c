/* Tests of where the root key comes from: demo key file, systemd credential, and every file refused. */
#include "hp-store-fixture.h"
#include "hp-test-util.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

#include <glib/gstdio.h>

static void
assert_keyring_error (const GError *error,
                      int           code,
                      const char   *path)
{
  assert_non_null (error);
  if (error->domain != HP_KEYRING_ERROR || error->code != code)
    fail_msg ("expected keyring error %d, got %s %d: %s", code,
              g_quark_to_string (error->domain), error->code, error->message);
  /* The message names the file, so staff know which one to fix. */
  if (path != NULL && strstr (error->message, path) == NULL)
    fail_msg ("message does not name %s: %s", path, error->message);
}

static void
write_key_file (const char *path,
                gsize       length,
                mode_t      mode)
{
  g_autofree guint8 *key = g_malloc (length + 1);

  for (gsize i = 0; i < length; i++)
    key[i] = (guint8) (0xA0 + i);
  g_unlink (path);
  assert_true (g_file_set_contents_full (path, (const char *) key, (gssize) length,
                                         G_FILE_SET_CONTENTS_NONE, (int) mode, NULL));
  assert_int_equal (g_chmod (path, (int) mode), 0);
}

static void
derive_32 (HpKeyring  *keyring,
           const char *purpose,
           guint8     *out)
{
  g_autoptr(GError) error = NULL;

  assert_true (hp_keyring_derive (keyring, purpose, out, 32, &error));
  assert_null (error);
}

static void
test_demo_key_created_private_and_reused (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autofree char *path = g_build_filename (fixture->dir, "demo.db.key", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HpKeyring) first = NULL;
  g_autoptr(HpKeyring) second = NULL;
  g_autoptr(GBytes) contents = NULL;
  guint8 a[32], b[32];
  GStatBuf info;
  mode_t old_mask;

  old_mask = umask (0);
  first = hp_keyring_new_from_file (path, TRUE, &error);
  umask (old_mask);
  assert_null (error);
  assert_non_null (first);
  assert_int_equal (g_stat (path, &info), 0);
  assert_int_equal (info.st_mode & 07777, 0600);
  contents = hp_store_fixture_read_bytes (path);
  assert_int_equal (g_bytes_get_size (contents), HP_KEYRING_ROOT_KEY_SIZE);
  /* Only the key file is left: the temporary one was removed. */
  {
    g_auto(GStrv) names = hp_store_fixture_list_dir (fixture->dir);

    assert_int_equal (g_strv_length (names), 1);
  }

  second = hp_keyring_new_from_file (path, TRUE, &error);
  assert_null (error);
  derive_32 (first, HP_KEYRING_PURPOSE_AUDIT_HMAC, a);
  derive_32 (second, HP_KEYRING_PURPOSE_AUDIT_HMAC, b);
  assert_memory_equal (a, b, sizeof a);
}

static void
test_group_or_world_readable_refused (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autofree char *path = g_build_filename (fixture->dir, "open.key", NULL);
  static const mode_t modes[] = { 0644, 0640, 0604, 0660, 0602 };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HpKeyring) keyring = NULL;

      write_key_file (path, HP_KEYRING_ROOT_KEY_SIZE, modes[i]);
      keyring = hp_keyring_new_from_file (path, TRUE, &error);
      assert_null (keyring);
      assert_keyring_error (error, HP_KEYRING_ERROR_PERMISSIONS, path);
    }
  /* The same file made private is accepted: the mode alone was at fault. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(HpKeyring) keyring = NULL;

    assert_int_equal (g_chmod (path, 0400), 0);
    keyring = hp_keyring_new_from_file (path, FALSE, &error);
    assert_null (error);
    assert_non_null (keyring);
  }
}

static void
test_other_owner_refused (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autofree char *path = g_build_filename (fixture->dir, "foreign.key", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HpKeyring) keyring = NULL;

  write_key_file (path, HP_KEYRING_ROOT_KEY_SIZE, 0600);
  if (geteuid () != 0)
    {
      hp_test_skip_reason ("giving a file to another owner needs root");
      skip ();
    }
  assert_int_equal (chown (path, 4242, (gid_t) -1), 0);
  keyring = hp_keyring_new_from_file (path, TRUE, &error);
  assert_null (keyring);
  assert_keyring_error (error, HP_KEYRING_ERROR_PERMISSIONS, path);
}

static void
test_wrong_length_refused (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autofree char *path = g_build_filename (fixture->dir, "length.key", NULL);
  static const gsize lengths[] = { 0, 16, 31, 33, 64 };

  for (guint i = 0; i < G_N_ELEMENTS (lengths); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HpKeyring) keyring = NULL;

      write_key_file (path, lengths[i], 0600);
      keyring = hp_keyring_new_from_file (path, TRUE, &error);
      assert_null (keyring);
      assert_keyring_error (error, HP_KEYRING_ERROR_INVALID, path);
    }
}

static void
test_symlink_and_missing_refused (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autofree char *target = g_build_filename (fixture->dir, "real.key", NULL);
  g_autofree char *link = g_build_filename (fixture->dir, "link.key", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.key", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HpKeyring) keyring = NULL;

  write_key_file (target, HP_KEYRING_ROOT_KEY_SIZE, 0600);
  assert_int_equal (symlink (target, link), 0);
  keyring = hp_keyring_new_from_file (link, TRUE, &error);
  assert_null (keyring);
  assert_keyring_error (error, HP_KEYRING_ERROR_INVALID, link);
  g_clear_error (&error);

  /* Without create, a missing file is an error, and none is made. */
  keyring = hp_keyring_new_from_file (missing, FALSE, &error);
  assert_null (keyring);
  assert_keyring_error (error, HP_KEYRING_ERROR_MISSING, missing);
  assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
}

static void
test_production_credential (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autofree char *credential = g_build_filename (fixture->dir, HP_KEYRING_CREDENTIAL_NAME, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HpKeyring) keyring = NULL;

  /* No CREDENTIALS_DIRECTORY at all: the service was started without it. */
  g_unsetenv ("CREDENTIALS_DIRECTORY");
  keyring = hp_keyring_new_from_credential (HP_KEYRING_CREDENTIAL_NAME, &error);
  assert_null (keyring);
  assert_keyring_error (error, HP_KEYRING_ERROR_MISSING, "CREDENTIALS_DIRECTORY");
  g_clear_error (&error);

  /* The directory without the credential: refused, and nothing created. */
  g_setenv ("CREDENTIALS_DIRECTORY", fixture->dir, TRUE);
  keyring = hp_keyring_new_from_credential (HP_KEYRING_CREDENTIAL_NAME, &error);
  assert_null (keyring);
  assert_keyring_error (error, HP_KEYRING_ERROR_MISSING, credential);
  assert_false (g_file_test (credential, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* systemd's own mode for a credential read through an ACL. */
  write_key_file (credential, HP_KEYRING_ROOT_KEY_SIZE, 0440);
  keyring = hp_keyring_new_from_credential (HP_KEYRING_CREDENTIAL_NAME, &error);
  assert_null (error);
  assert_non_null (keyring);
  g_clear_object (&keyring);

  write_key_file (credential, HP_KEYRING_ROOT_KEY_SIZE, 0444);
  keyring = hp_keyring_new_from_credential (HP_KEYRING_CREDENTIAL_NAME, &error);
  assert_null (keyring);
  assert_keyring_error (error, HP_KEYRING_ERROR_PERMISSIONS, credential);
  g_unsetenv ("CREDENTIALS_DIRECTORY");
}

static void
test_derived_keys_independent (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpKeyring) keyring = hp_store_fixture_keyring (1);
  g_autoptr(HpKeyring) other = hp_store_fixture_keyring (2);
  g_autoptr(GError) error = NULL;
  static const char * const purposes[] = {
    HP_KEYRING_PURPOSE_AUDIT_HMAC, HP_KEYRING_PURPOSE_STAFF_PIN_PEPPER,
    HP_KEYRING_PURPOSE_PATIENT_LOOKUP, HP_KEYRING_PURPOSE_STORE_KEK,
    HP_KEYRING_PURPOSE_PATIENT_PIN_PEPPER,
  };
  guint8 keys[G_N_ELEMENTS (purposes)][32];
  guint8 again[32];
  guint8 long_key[64];

  for (guint i = 0; i < G_N_ELEMENTS (purposes); i++)
    {
      derive_32 (keyring, purposes[i], keys[i]);
      for (guint j = 0; j < i; j++)
        assert_memory_not_equal (keys[i], keys[j], 32);
      derive_32 (other, purposes[i], again);
      assert_memory_not_equal (keys[i], again, 32);
      derive_32 (keyring, purposes[i], again);
      assert_memory_equal (keys[i], again, 32);
    }
  /* A longer key starts with the shorter one (HKDF's expand). */
  assert_true (hp_keyring_derive (keyring, HP_KEYRING_PURPOSE_AUDIT_HMAC, long_key, 64, &error));
  assert_memory_equal (long_key, keys[0], 32);

  assert_false (hp_keyring_derive (keyring, "Audit HMAC", again, 32, &error));
  assert_keyring_error (error, HP_KEYRING_ERROR_FAILED, NULL);
  g_clear_error (&error);
  assert_false (hp_keyring_derive (keyring, "", again, 32, &error));
  assert_non_null (error);
  g_clear_error (&error);
  assert_null (hp_keyring_new_from_bytes (keys[0], 16, &error));
  assert_keyring_error (error, HP_KEYRING_ERROR_INVALID, NULL);
}

/* A start killed while it made the demo key leaves a temporary file: the
 * next start removes an old one, and leaves one still being written. */
static void
test_leftover_key_files_removed (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autofree char *path = g_build_filename (fixture->dir, "demo.db.key", NULL);
  g_autofree char *old = g_build_filename (fixture->dir, ".healthpost-key-AbC123", NULL);
  g_autofree char *fresh = g_build_filename (fixture->dir, ".healthpost-key-XyZ789", NULL);
  g_autofree char *other = g_build_filename (fixture->dir, ".healthpost-key-notours", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HpKeyring) keyring = NULL;
  struct utimbuf long_ago = { 1700000000, 1700000000 };

  write_key_file (old, HP_KEYRING_ROOT_KEY_SIZE, 0600);
  write_key_file (fresh, HP_KEYRING_ROOT_KEY_SIZE, 0600);
  write_key_file (other, HP_KEYRING_ROOT_KEY_SIZE, 0600);
  assert_int_equal (utime (old, &long_ago), 0);
  assert_int_equal (utime (other, &long_ago), 0);

  keyring = hp_keyring_new_from_file (path, TRUE, &error);
  assert_null (error);
  assert_non_null (keyring);
  assert_false (g_file_test (old, G_FILE_TEST_EXISTS));
  assert_true (g_file_test (fresh, G_FILE_TEST_EXISTS));
  /* Only names it could have made itself. */
  assert_true (g_file_test (other, G_FILE_TEST_EXISTS));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_demo_key_created_private_and_reused, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_group_or_world_readable_refused, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_other_owner_refused, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_wrong_length_refused, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_symlink_and_missing_refused, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_production_credential, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_leftover_key_files_removed, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test (test_derived_keys_independent),
  };

  return cmocka_run_group_tests_name ("keyring", tests, NULL, NULL);
}
