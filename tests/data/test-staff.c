/* Tests of staff accounts: PIN rules, lockout with back-off on an injected clock, first-run setup, roles, auditing. */
/* memmem() */
#define _GNU_SOURCE
#include "hp-store-fixture.h"

#include <string.h>

#include "hp-pin-hash-private.h"
#include "hp-staff.h"

static const guint8 pepper[16] = "pepper-for-test";

#define ADMIN_NAME "Zanele Okonkwo-Testname"
#define ADMIN_PIN  "49381726"
#define TECH_NAME  "Tomasz Technician-Testname"
#define TECH_PIN   "60291537"

typedef struct {
  HpStoreFixture *fixture;
  HpStore *store;
  HpAuditLog *audit;
  HpStaff *staff;
  gint64 now;
} StaffFixture;

static gint64
fixture_clock (gpointer user_data)
{
  StaffFixture *f = user_data;

  return f->now;
}

static int
setup (void **state)
{
  g_autoptr(GError) error = NULL;
  StaffFixture *f = g_new0 (StaffFixture, 1);
  void *store_state = NULL;
  guint8 audit_key[32];

  if (hp_store_fixture_setup (&store_state) != 0)
    return -1;
  f->fixture = store_state;
  f->now = 1763700000000000;
  f->store = hp_store_open_demo (f->fixture->path, &error);
  if (f->store == NULL)
    return -1;
  hp_store_fixture_audit_key (f->store, audit_key);
  f->audit = hp_audit_log_new (f->store, audit_key, sizeof audit_key, &error);
  if (f->audit == NULL)
    return -1;
  f->staff = hp_staff_new (f->store, f->audit, pepper, sizeof pepper, &error);
  if (f->staff == NULL)
    return -1;
  hp_staff_set_clock (f->staff, fixture_clock, f);
  hp_audit_log_set_clock (f->audit, fixture_clock, f);
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  StaffFixture *f = *state;
  void *store_state = f->fixture;

  g_clear_object (&f->staff);
  g_clear_object (&f->audit);
  g_clear_object (&f->store);
  g_free (f);
  return hp_store_fixture_teardown (&store_state);
}

static void
assert_staff_error (const GError *error,
                    int           code)
{
  assert_non_null (error);
  if (!g_error_matches (error, HP_STAFF_ERROR, code))
    fail_msg ("expected staff error %d, got %s %d: %s", code,
              g_quark_to_string (error->domain), error->code, error->message);
  /* Whatever went wrong, the message names no one and quotes no PIN. */
  assert_null (strstr (error->message, "Testname"));
  assert_null (strstr (error->message, ADMIN_PIN));
  assert_null (strstr (error->message, TECH_PIN));
}

static gint64
create_admin (StaffFixture *f)
{
  g_autoptr(GError) error = NULL;
  gint64 id = hp_staff_create_first_admin (f->staff, ADMIN_NAME, ADMIN_PIN, &error);

  if (id <= 0)
    fail_msg ("first administrator not created: %s", error->message);
  return id;
}

static gint64
add_technician (StaffFixture *f,
                gint64        admin_id)
{
  g_autoptr(GError) error = NULL;
  gint64 id = hp_staff_add (f->staff, admin_id, TECH_NAME, HP_STAFF_ROLE_TECHNICIAN, TECH_PIN, &error);

  if (id <= 0)
    fail_msg ("technician not added: %s", error->message);
  return id;
}

static void
assert_login (StaffFixture *f,
              gint64        id,
              const char   *pin)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStaffMember) member = hp_staff_authenticate (f->staff, id, pin, &error);

  if (member == NULL)
    fail_msg ("login of %" G_GINT64_FORMAT " refused: %s", id, error->message);
  assert_int_equal (member->id, id);
  assert_int_equal (member->failed_attempts, 0);
  assert_int_equal (member->locked_until, 0);
}

static void
assert_login_fails (StaffFixture *f,
                    gint64        id,
                    const char   *pin,
                    int           code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStaffMember) member = hp_staff_authenticate (f->staff, id, pin, &error);

  assert_null (member);
  assert_staff_error (error, code);
}

static HpStaffMember *
lookup (StaffFixture *f,
        gint64        id)
{
  g_autoptr(GError) error = NULL;
  HpStaffMember *member = hp_staff_lookup (f->staff, id, &error);

  if (member == NULL)
    fail_msg ("no account %" G_GINT64_FORMAT ": %s", id, error->message);
  return member;
}

static void
assert_audit_verifies (StaffFixture *f)
{
  g_autoptr(GError) error = NULL;
  gint64 bad = -1;

  if (!hp_audit_verify (f->audit, &bad, &error))
    fail_msg ("audit chain broken at %" G_GINT64_FORMAT ": %s", bad, error->message);
}

/* The actions audited since entry @from_seq, joined with spaces. */
static char *
audited_actions (StaffFixture *f,
                 gint64        from_seq)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = hp_audit_list (f->audit, 0, &error);
  g_autoptr(GString) text = g_string_new (NULL);

  assert_non_null (entries);
  for (guint i = 0; i < entries->len; i++)
    {
      HpAuditEntry *entry = g_ptr_array_index (entries, i);

      if (entry->seq < from_seq)
        continue;
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, entry->action);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gint64
next_audit_seq (StaffFixture *f)
{
  return hp_audit_count (f->audit, NULL) + 1;
}

static void
test_first_admin_rule (void **state)
{
  StaffFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStaffMember) admin = NULL;
  g_autoptr(GPtrArray) members = NULL;
  gint64 id;

  assert_true (hp_staff_needs_first_admin (f->staff, &error));
  assert_null (error);
  id = create_admin (f);
  assert_false (hp_staff_needs_first_admin (f->staff, &error));
  assert_null (error);

  admin = lookup (f, id);
  assert_string_equal (admin->display_name, ADMIN_NAME);
  assert_int_equal (admin->role, HP_STAFF_ROLE_ADMINISTRATOR);
  assert_int_equal (admin->created_at, f->now);
  assert_int_equal (admin->updated_at, f->now);

  /* Setup is over: no second "first" administrator. */
  assert_int_equal (hp_staff_create_first_admin (f->staff, "Someone Testname", "11112222", &error), 0);
  assert_staff_error (error, HP_STAFF_ERROR_SETUP);
  members = hp_staff_list (f->staff, NULL);
  assert_int_equal (members->len, 1);
  assert_login (f, id, ADMIN_PIN);
}

static void
test_pin_and_name_rules (void **state)
{
  StaffFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *too_long = g_strnfill (HP_STAFF_NAME_MAX_CHARS + 1, 'a');
  g_autoptr(GString) longest = g_string_new (NULL);
  static const char * const bad_pins[] = { "", "12345", "1234567890123", "12a456", " 123456", "１２３４５６" };
  static const char * const bad_names[] = { "", "   ", "Line\nbreak", "Tab\there", "\xff\xfe" };
  gint64 admin;

  for (guint i = 0; i < G_N_ELEMENTS (bad_pins); i++)
    {
      assert_int_equal (hp_staff_create_first_admin (f->staff, ADMIN_NAME, bad_pins[i], &error), 0);
      assert_staff_error (error, HP_STAFF_ERROR_INVALID_PIN);
      g_clear_error (&error);
    }
  assert_int_equal (hp_staff_create_first_admin (f->staff, ADMIN_NAME, NULL, &error), 0);
  assert_staff_error (error, HP_STAFF_ERROR_INVALID_PIN);
  g_clear_error (&error);
  for (guint i = 0; i < G_N_ELEMENTS (bad_names); i++)
    {
      assert_int_equal (hp_staff_create_first_admin (f->staff, bad_names[i], ADMIN_PIN, &error), 0);
      assert_staff_error (error, HP_STAFF_ERROR_INVALID_NAME);
      g_clear_error (&error);
    }
  assert_int_equal (hp_staff_create_first_admin (f->staff, too_long, ADMIN_PIN, &error), 0);
  assert_staff_error (error, HP_STAFF_ERROR_INVALID_NAME);
  g_clear_error (&error);
  assert_true (hp_staff_needs_first_admin (f->staff, NULL));

  /* The limits themselves are fine: 6 and 12 digits, 64 characters of two bytes each. */
  admin = hp_staff_create_first_admin (f->staff, ADMIN_NAME, "493817", &error);
  assert_true (admin > 0);
  for (guint i = 0; i < HP_STAFF_NAME_MAX_CHARS; i++)
    g_string_append (longest, "\xc3\xa9");
  assert_true (hp_staff_add (f->staff, admin, longest->str, HP_STAFF_ROLE_TECHNICIAN,
                             "493817260591", &error) > 0);
  assert_null (error);
}

static void
test_wrong_pin_and_success_resets (void **state)
{
  StaffFixture *f = *state;
  g_autoptr(HpStaffMember) member = NULL;
  gint64 admin = create_admin (f);
  gint64 tech = add_technician (f, admin);

  assert_login_fails (f, tech, ADMIN_PIN, HP_STAFF_ERROR_WRONG_PIN);
  assert_login_fails (f, tech, "000000", HP_STAFF_ERROR_WRONG_PIN);
  member = lookup (f, tech);
  assert_int_equal (member->failed_attempts, 2);
  assert_int_equal (member->locked_until, 0);
  /* A PIN of the wrong shape is a slip, not a guess: not counted. */
  assert_login_fails (f, tech, "12", HP_STAFF_ERROR_INVALID_PIN);
  g_clear_pointer (&member, hp_staff_member_free);
  member = lookup (f, tech);
  assert_int_equal (member->failed_attempts, 2);

  assert_login (f, tech, TECH_PIN);
  g_clear_pointer (&member, hp_staff_member_free);
  member = lookup (f, tech);
  assert_int_equal (member->failed_attempts, 0);

  /* Other accounts are not touched by this one's failures. */
  g_clear_pointer (&member, hp_staff_member_free);
  member = lookup (f, admin);
  assert_int_equal (member->failed_attempts, 0);
  assert_login_fails (f, 4242, TECH_PIN, HP_STAFF_ERROR_NOT_FOUND);
}

static void
test_lockout_seconds (void **state G_GNUC_UNUSED)
{
  for (guint n = 0; n < HP_STAFF_LOCKOUT_THRESHOLD; n++)
    assert_int_equal (hp_staff_lockout_seconds (n), 0);
  assert_int_equal (hp_staff_lockout_seconds (HP_STAFF_LOCKOUT_THRESHOLD), 30);
  assert_int_equal (hp_staff_lockout_seconds (HP_STAFF_LOCKOUT_THRESHOLD + 1), 60);
  assert_int_equal (hp_staff_lockout_seconds (HP_STAFF_LOCKOUT_THRESHOLD + 2), 120);
  assert_int_equal (hp_staff_lockout_seconds (HP_STAFF_LOCKOUT_THRESHOLD + 6), 1920);
  assert_int_equal (hp_staff_lockout_seconds (HP_STAFF_LOCKOUT_THRESHOLD + 7), 3600);
  assert_int_equal (hp_staff_lockout_seconds (HP_STAFF_LOCKOUT_THRESHOLD + 40), 3600);
  assert_int_equal (hp_staff_lockout_seconds (G_MAXUINT), 3600);
}

static void
test_lockout_and_backoff (void **state)
{
  StaffFixture *f = *state;
  g_autoptr(HpStaffMember) member = NULL;
  gint64 admin = create_admin (f);
  gint64 tech = add_technician (f, admin);
  gint64 locked_at;
  gint64 first_seq;
  g_autofree char *actions = NULL;

  first_seq = next_audit_seq (f);
  for (guint i = 1; i < HP_STAFF_LOCKOUT_THRESHOLD; i++)
    {
      assert_login_fails (f, tech, "111111", HP_STAFF_ERROR_WRONG_PIN);
      f->now += G_USEC_PER_SEC;
    }
  member = lookup (f, tech);
  assert_int_equal (member->locked_until, 0);

  /* The fifth wrong PIN locks for 30 s. */
  locked_at = f->now;
  assert_login_fails (f, tech, "111111", HP_STAFF_ERROR_WRONG_PIN);
  g_clear_pointer (&member, hp_staff_member_free);
  member = lookup (f, tech);
  assert_int_equal (member->failed_attempts, HP_STAFF_LOCKOUT_THRESHOLD);
  assert_int_equal (member->locked_until, locked_at + 30 * G_USEC_PER_SEC);

  /* While locked even the right PIN is refused, and refusals do not count. */
  assert_login_fails (f, tech, TECH_PIN, HP_STAFF_ERROR_LOCKED);
  f->now = locked_at + 30 * G_USEC_PER_SEC - 1;
  assert_login_fails (f, tech, TECH_PIN, HP_STAFF_ERROR_LOCKED);
  g_clear_pointer (&member, hp_staff_member_free);
  member = lookup (f, tech);
  assert_int_equal (member->failed_attempts, HP_STAFF_LOCKOUT_THRESHOLD);

  /* Once it ends, another wrong PIN doubles the lock: 60 s, then 120 s. */
  f->now = locked_at + 30 * G_USEC_PER_SEC;
  locked_at = f->now;
  assert_login_fails (f, tech, "222222", HP_STAFF_ERROR_WRONG_PIN);
  g_clear_pointer (&member, hp_staff_member_free);
  member = lookup (f, tech);
  assert_int_equal (member->locked_until, locked_at + 60 * G_USEC_PER_SEC);
  f->now += 59 * G_USEC_PER_SEC;
  assert_login_fails (f, tech, TECH_PIN, HP_STAFF_ERROR_LOCKED);
  f->now = locked_at + 60 * G_USEC_PER_SEC;
  locked_at = f->now;
  assert_login_fails (f, tech, "333333", HP_STAFF_ERROR_WRONG_PIN);
  g_clear_pointer (&member, hp_staff_member_free);
  member = lookup (f, tech);
  assert_int_equal (member->locked_until, locked_at + 120 * G_USEC_PER_SEC);

  /* After the lock, the right PIN gets in and clears the count. */
  f->now = locked_at + 120 * G_USEC_PER_SEC;
  assert_login (f, tech, TECH_PIN);
  g_clear_pointer (&member, hp_staff_member_free);
  member = lookup (f, tech);
  assert_int_equal (member->failed_attempts, 0);
  assert_int_equal (member->locked_until, 0);
  assert_login_fails (f, tech, "444444", HP_STAFF_ERROR_WRONG_PIN);
  g_clear_pointer (&member, hp_staff_member_free);
  member = lookup (f, tech);
  assert_int_equal (member->locked_until, 0);

  actions = audited_actions (f, first_seq);
  assert_string_equal (actions,
                       "staff.login-failed staff.login-failed staff.login-failed staff.login-failed "
                       "staff.login-failed staff.lockout "
                       "staff.login-refused staff.login-refused "
                       "staff.login-failed staff.lockout staff.login-refused "
                       "staff.login-failed staff.lockout "
                       "staff.login staff.login-failed");
  assert_audit_verifies (f);
}

/* The PINs a guesser tries first are refused when set, with both sides of
 * each rule pinned; the message never repeats the PIN. */
static void
test_weak_pins_refused (void **state)
{
  StaffFixture *f = *state;
  static const char * const weak[] = {
    /* One digit repeated. */
    "000000", "111111", "999999999999",
    /* Digits in even steps, up, down, wrapping at 9. */
    "123456", "654321", "890123", "135791", "975319", "024680", "123456789012",
    /* Each digit doubled, the pairs in even steps. */
    "112233", "998877", "11223344", "778899",
    /* A group repeated. */
    "121212", "123123", "12341234", "1231231", "696969", "520520",
    /* Keypad patterns among the most common. */
    "147258", "159753", "789456", "123321", "102030",
  };
  static const char * const strong[] = {
    "123457", "111112", "654320", "135792", "112234", "121213", "123124",
    "147259", "159754", "789457", "49381726", "60291537",
  };
  gint64 admin;

  for (guint i = 0; i < G_N_ELEMENTS (weak); i++)
    {
      g_autoptr(GError) error = NULL;

      if (!hp_staff_pin_is_weak (weak[i]))
        fail_msg ("%s should be weak", weak[i]);
      assert_int_equal (hp_staff_create_first_admin (f->staff, ADMIN_NAME, weak[i], &error), 0);
      assert_staff_error (error, HP_STAFF_ERROR_WEAK_PIN);
      assert_null (strstr (error->message, weak[i]));
    }
  for (guint i = 0; i < G_N_ELEMENTS (strong); i++)
    if (hp_staff_pin_is_weak (strong[i]))
      fail_msg ("%s should be accepted", strong[i]);
  assert_true (hp_staff_needs_first_admin (f->staff, NULL));

  admin = create_admin (f);
  for (guint i = 0; i < G_N_ELEMENTS (weak); i++)
    {
      g_autoptr(GError) error = NULL;

      assert_int_equal (hp_staff_add (f->staff, admin, TECH_NAME, HP_STAFF_ROLE_TECHNICIAN,
                                      weak[i], &error), 0);
      assert_staff_error (error, HP_STAFF_ERROR_WEAK_PIN);
    }
  for (guint i = 0; i < G_N_ELEMENTS (strong); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_strdup_printf ("Tech Testname %c", 'A' + i);

      assert_true (hp_staff_add (f->staff, admin, name, HP_STAFF_ROLE_TECHNICIAN,
                                 strong[i], &error) > 0);
      assert_null (error);
    }
}

static void
test_role_rule (void **state)
{
  StaffFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) members = NULL;
  gint64 admin = create_admin (f);
  gint64 tech = add_technician (f, admin);
  gint64 second_admin;

  /* A technician, or an account that does not exist, may not manage staff. */
  assert_int_equal (hp_staff_add (f->staff, tech, "New Testname", HP_STAFF_ROLE_TECHNICIAN,
                                  "561938", &error), 0);
  assert_staff_error (error, HP_STAFF_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  assert_int_equal (hp_staff_add (f->staff, 9999, "New Testname", HP_STAFF_ROLE_ADMINISTRATOR,
                                  "561938", &error), 0);
  assert_staff_error (error, HP_STAFF_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  assert_false (hp_staff_remove (f->staff, tech, admin, &error));
  assert_staff_error (error, HP_STAFF_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  members = hp_staff_list (f->staff, &error);
  assert_int_equal (members->len, 2);
  g_clear_pointer (&members, g_ptr_array_unref);

  /* The only administrator cannot remove themself. */
  assert_false (hp_staff_remove (f->staff, admin, admin, &error));
  assert_staff_error (error, HP_STAFF_ERROR_SETUP);
  g_clear_error (&error);
  assert_false (hp_staff_remove (f->staff, admin, 31337, &error));
  assert_staff_error (error, HP_STAFF_ERROR_NOT_FOUND);
  g_clear_error (&error);

  second_admin = hp_staff_add (f->staff, admin, "Second Testname", HP_STAFF_ROLE_ADMINISTRATOR,
                               "718293", &error);
  assert_true (second_admin > tech);
  assert_true (hp_staff_remove (f->staff, second_admin, admin, &error));
  assert_null (error);
  assert_true (hp_staff_remove (f->staff, second_admin, tech, &error));
  assert_null (error);
  members = hp_staff_list (f->staff, &error);
  assert_int_equal (members->len, 1);
  assert_int_equal (((HpStaffMember *) g_ptr_array_index (members, 0))->id, second_admin);
  assert_login_fails (f, tech, TECH_PIN, HP_STAFF_ERROR_NOT_FOUND);
  assert_false (hp_staff_needs_first_admin (f->staff, NULL));

  /* Ids are never handed out again. */
  assert_true (hp_staff_add (f->staff, second_admin, "Third Testname", HP_STAFF_ROLE_TECHNICIAN,
                             "318204", &error) > second_admin);
}

static gboolean
bytes_contain (GBytes     *bytes,
               const char *needle)
{
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  return data != NULL && memmem (data, size, needle, strlen (needle)) != NULL;
}

/* The trail records who and what, by id: never a name or a PIN. Nor does
 * the file hold a PIN, only salted hashes. */
static void
test_audit_trail_holds_no_personal_data (void **state)
{
  StaffFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *actions = NULL;
  g_autofree char *wal_path = NULL;
  g_autofree char *login_actor = NULL;
  g_autoptr(GBytes) db_bytes = NULL;
  g_autoptr(GBytes) wal_bytes = NULL;
  gint64 admin = create_admin (f);
  gint64 tech = add_technician (f, admin);
  sqlite3 *raw;

  assert_login (f, admin, ADMIN_PIN);
  assert_login_fails (f, tech, "000000", HP_STAFF_ERROR_WRONG_PIN);
  assert_true (hp_staff_remove (f->staff, admin, tech, &error));

  actions = audited_actions (f, 1);
  assert_string_equal (actions, "audit.start staff.add staff.add staff.login staff.login-failed "
                                "staff.remove");
  entries = hp_audit_list (f->audit, 0, &error);
  for (guint i = 0; i < entries->len; i++)
    {
      HpAuditEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *all = g_strjoin ("|", entry->actor, entry->action, entry->detail, NULL);

      assert_null (strstr (all, "Testname"));
      assert_null (strstr (all, ADMIN_PIN));
      assert_null (strstr (all, TECH_PIN));
    }
  login_actor = hp_audit_actor_for_staff (admin);
  assert_string_equal (((HpAuditEntry *) g_ptr_array_index (entries, 3))->actor, login_actor);
  assert_audit_verifies (f);

  raw = hp_store_fixture_open_raw (f->fixture->path);
  assert_int_equal (hp_store_fixture_query_int (raw, "SELECT length(pin_salt) FROM staff"), 16);
  assert_int_equal (hp_store_fixture_query_int (raw, "SELECT length(pin_hash) FROM staff"), 32);
  sqlite3_close (raw);
  db_bytes = hp_store_fixture_read_bytes (f->fixture->path);
  wal_path = g_strconcat (f->fixture->path, "-wal", NULL);
  wal_bytes = hp_store_fixture_read_bytes (wal_path);
  /* The name is stored (staff see it in the menu), so the scan can find text. */
  assert_true (bytes_contain (db_bytes, ADMIN_NAME) || bytes_contain (wal_bytes, ADMIN_NAME));
  assert_false (bytes_contain (db_bytes, ADMIN_PIN));
  assert_false (bytes_contain (wal_bytes, ADMIN_PIN));
}

/* The same PIN gives different hashes (salts), and without the pepper the
 * stored hash does not verify. */
static void
test_salt_and_pepper (void **state)
{
  StaffFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStaff) other_pepper = NULL;
  guint8 wrong_pepper[sizeof pepper];
  gint64 admin = create_admin (f);
  gint64 twin = hp_staff_add (f->staff, admin, "Twin Testname", HP_STAFF_ROLE_TECHNICIAN,
                              ADMIN_PIN, &error);
  sqlite3 *raw;

  assert_true (twin > 0);
  raw = hp_store_fixture_open_raw (f->fixture->path);
  assert_int_equal (hp_store_fixture_query_int (raw, "SELECT count(DISTINCT pin_salt) FROM staff"), 2);
  assert_int_equal (hp_store_fixture_query_int (raw, "SELECT count(DISTINCT pin_hash) FROM staff"), 2);
  sqlite3_close (raw);

  memcpy (wrong_pepper, pepper, sizeof pepper);
  wrong_pepper[0] ^= 0x20;
  other_pepper = hp_staff_new (f->store, f->audit, wrong_pepper, sizeof wrong_pepper, &error);
  assert_non_null (other_pepper);
  hp_staff_set_clock (other_pepper, fixture_clock, f);
  assert_null (hp_staff_authenticate (other_pepper, admin, ADMIN_PIN, &error));
  assert_staff_error (error, HP_STAFF_ERROR_WRONG_PIN);
  g_clear_error (&error);
  assert_login (f, admin, ADMIN_PIN);

  assert_null (hp_staff_new (f->store, f->audit, pepper, HP_STAFF_PEPPER_MIN_SIZE - 1, &error));
  assert_staff_error (error, HP_STAFF_ERROR_CRYPTO);
}

/* A login whose audit entry cannot be written does not happen. */
static void
test_login_needs_the_audit_log (void **state)
{
  StaffFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStaffMember) member = NULL;
  gint64 admin = create_admin (f);
  sqlite3 *raw;

  raw = hp_store_fixture_open_raw (f->fixture->path);
  hp_store_fixture_exec_raw (raw, "DROP TRIGGER audit_log_no_delete;"
                                  "DELETE FROM audit_log WHERE seq = 2;");
  sqlite3_close (raw);

  member = hp_staff_authenticate (f->staff, admin, ADMIN_PIN, &error);
  assert_null (member);
  assert_true (g_error_matches (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_TAMPERED));
  g_clear_error (&error);
  /* The wrong PIN's count was rolled back with its entry. */
  assert_null (hp_staff_authenticate (f->staff, admin, "000000", &error));
  g_clear_error (&error);
  member = lookup (f, admin);
  assert_int_equal (member->failed_attempts, 0);
}

/* Puts @id's PIN back as an older build stored it: N = 2^15. */
static void
store_with_older_settings (StaffFixture *f,
                           gint64        id,
                           const char   *pin)
{
  const HpPinKdf *older = hp_pin_kdf_find ("scrypt-n32768-r8-p1");
  guint8 salt[HP_PIN_SALT_SIZE] = "older-salt-0123";
  guint8 hash[HP_PIN_HASH_SIZE];
  sqlite3 *raw;
  sqlite3_stmt *stmt = NULL;

  assert_non_null (older);
  assert_true (older != hp_pin_kdf_for_staff ());
  assert_true (hp_pin_hash (pepper, sizeof pepper, older, pin, salt, hash));
  raw = hp_store_fixture_open_raw (f->fixture->path);
  assert_int_equal (sqlite3_prepare_v2 (raw, "UPDATE staff SET pin_kdf = ?2, pin_salt = ?3, pin_hash = ?4 "
                                             "WHERE id = ?1", -1, &stmt, NULL), SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, older->name, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 3, salt, sizeof salt, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 4, hash, sizeof hash, SQLITE_STATIC);
  assert_int_equal (sqlite3_step (stmt), SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (raw);
}

static char *
stored_kdf (StaffFixture *f,
            gint64        id)
{
  sqlite3 *raw = hp_store_fixture_open_raw (f->fixture->path);
  g_autofree char *sql = g_strdup_printf ("SELECT pin_kdf FROM staff WHERE id = %" G_GINT64_FORMAT, id);
  sqlite3_stmt *stmt = NULL;
  char *name;

  assert_int_equal (sqlite3_prepare_v2 (raw, sql, -1, &stmt, NULL), SQLITE_OK);
  assert_int_equal (sqlite3_step (stmt), SQLITE_ROW);
  name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (raw);
  return name;
}

/* New PINs are hashed at N = 2^17; one hashed at an older cost is hashed
 * again on the first right sign-in, and never on a wrong one. */
static void
test_older_hash_upgraded (void **state)
{
  StaffFixture *f = *state;
  gint64 admin = create_admin (f);
  g_autofree char *before = NULL;
  g_autofree char *after_wrong = NULL;
  g_autofree char *after = NULL;
  g_autofree char *actions = NULL;
  gint64 first_seq;

  before = stored_kdf (f, admin);
  assert_string_equal (before, "scrypt-n131072-r8-p1");

  store_with_older_settings (f, admin, ADMIN_PIN);
  first_seq = next_audit_seq (f);
  assert_login_fails (f, admin, "50505051", HP_STAFF_ERROR_WRONG_PIN);
  after_wrong = stored_kdf (f, admin);
  assert_string_equal (after_wrong, "scrypt-n32768-r8-p1");

  assert_login (f, admin, ADMIN_PIN);
  after = stored_kdf (f, admin);
  assert_string_equal (after, "scrypt-n131072-r8-p1");
  actions = audited_actions (f, first_seq);
  assert_string_equal (actions, "staff.login-failed staff.pin-rehashed staff.login");
  /* The new hash answers to the same PIN, and only to it. */
  assert_login (f, admin, ADMIN_PIN);
  assert_login_fails (f, admin, "50505051", HP_STAFF_ERROR_WRONG_PIN);
  assert_audit_verifies (f);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_first_admin_rule, setup, teardown),
    cmocka_unit_test_setup_teardown (test_pin_and_name_rules, setup, teardown),
    cmocka_unit_test_setup_teardown (test_wrong_pin_and_success_resets, setup, teardown),
    cmocka_unit_test (test_lockout_seconds),
    cmocka_unit_test_setup_teardown (test_lockout_and_backoff, setup, teardown),
    cmocka_unit_test_setup_teardown (test_weak_pins_refused, setup, teardown),
    cmocka_unit_test_setup_teardown (test_role_rule, setup, teardown),
    cmocka_unit_test_setup_teardown (test_audit_trail_holds_no_personal_data, setup, teardown),
    cmocka_unit_test_setup_teardown (test_salt_and_pepper, setup, teardown),
    cmocka_unit_test_setup_teardown (test_login_needs_the_audit_log, setup, teardown),
    cmocka_unit_test_setup_teardown (test_older_hash_upgraded, setup, teardown),
  };

  return cmocka_run_group_tests_name ("staff", tests, NULL, NULL);
}
