/* Tests of returning patients: personal codes and their check digit, PIN rules, create and verify with lockout, async use, migration, privacy, retention. */
#include "hp-store-fixture.h"

#include <string.h>

#include "hp-keyring.h"
#include "hp-retention.h"
#include "hp-store-patients.h"
#include "hp-store-private.h"

#define T0       ((gint64) 1763700000 * G_USEC_PER_SEC)
#define SECOND   ((gint64) G_USEC_PER_SEC)
#define DAY      ((gint64) 86400 * G_USEC_PER_SEC)

#define PIN       "4729"
#define OTHER_PIN "5830"

typedef struct {
  HpStoreFixture *fixture;
  HpKeyring *keyring;
  HpStore *store;
  gint64 now;
} PatientFixture;

static gint64
fixture_clock (gpointer user_data)
{
  PatientFixture *f = user_data;

  return f->now;
}

static int
setup (void **state)
{
  PatientFixture *f = g_new0 (PatientFixture, 1);
  void *store_state = NULL;

  if (hp_store_fixture_setup (&store_state) != 0)
    return -1;
  f->fixture = store_state;
  f->now = T0;
  f->keyring = hp_store_fixture_keyring (1);
  f->store = hp_store_fixture_open (f->fixture->path, f->keyring);
  hp_store_set_patient_clock (f->store, fixture_clock, f);
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  PatientFixture *f = *state;
  void *store_state = f->fixture;

  g_clear_object (&f->store);
  g_clear_object (&f->keyring);
  g_free (f);
  return hp_store_fixture_teardown (&store_state);
}

/* The audit log as the kiosk opens it, with the same key derivation. */
static HpAuditLog *
open_audit (PatientFixture *f)
{
  g_autoptr(GError) error = NULL;
  guint8 key[32];
  HpAuditLog *log;

  assert_true (hp_keyring_derive (f->keyring, HP_KEYRING_PURPOSE_AUDIT_HMAC, key, sizeof key, &error));
  log = hp_audit_log_new (f->store, key, sizeof key, &error);
  assert_null (error);
  assert_non_null (log);
  return log;
}

static char *
create (PatientFixture *f,
        const char     *pin)
{
  g_autoptr(GError) error = NULL;
  char *code = NULL;

  assert_true (hp_store_create_patient (f->store, pin, &code, &error));
  assert_null (error);
  assert_non_null (code);
  return code;
}

static gint64
query (PatientFixture *f,
       const char     *sql)
{
  sqlite3 *raw = hp_store_fixture_open_raw (f->fixture->path);
  gint64 value = hp_store_fixture_query_int (raw, sql);

  sqlite3_close (raw);
  return value;
}

static void
assert_not_recognized (const GError *error)
{
  hp_store_fixture_assert_error (error, HP_STORE_ERROR_PATIENT_UNKNOWN);
  /* The same code under its other name: one error, not two. */
  assert_true (g_error_matches (error, HP_STORE_ERROR, HP_STORE_ERROR_WRONG_PIN));
  assert_int_equal (hp_store_error_get_locked_seconds (error), 0);
}

static void
assert_locked (const GError *error,
               guint         seconds)
{
  hp_store_fixture_assert_error (error, HP_STORE_ERROR_PATIENT_LOCKED);
  assert_int_equal (hp_store_error_get_locked_seconds (error), seconds);
}

/* ---- codes ---------------------------------------------------------------- */

static void
test_code_format (void **state G_GNUC_UNUSED)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GRegex) grouped = g_regex_new ("^[0-9]{3}-[0-9]{4}-[0-9]{4}$", 0, 0, NULL);

  for (guint i = 0; i < 500; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *code = hp_patient_code_generate (&error);
      g_autofree char *shown = NULL;
      g_autofree char *back = NULL;

      assert_null (error);
      assert_non_null (code);
      assert_int_equal (strlen (code), HP_PATIENT_CODE_LENGTH);
      for (guint c = 0; c < HP_PATIENT_CODE_LENGTH; c++)
        assert_true (g_ascii_isdigit (code[c]));
      assert_true (hp_patient_code_is_valid (code));
      assert_int_equal (code[HP_PATIENT_CODE_LENGTH - 1],
                        hp_patient_code_check_digit (code, HP_PATIENT_CODE_RANDOM_DIGITS));

      shown = hp_patient_code_format (code);
      assert_non_null (shown);
      assert_int_equal (strlen (shown), HP_PATIENT_CODE_FORMATTED_LENGTH);
      assert_true (g_regex_match (grouped, shown, 0, NULL));
      assert_true (hp_patient_code_is_valid (shown));
      back = hp_patient_code_normalize (shown);
      assert_string_equal (back, code);

      /* Ten random digits: 500 draws never meet by chance. */
      assert_true (g_hash_table_add (seen, g_steal_pointer (&code)));
    }
}

static void
test_check_digit_known_values (void **state G_GNUC_UNUSED)
{
  /* Damm's own worked example: 572 gets 4. */
  assert_int_equal (hp_patient_code_check_digit ("572", 3), '4');
  assert_int_equal (hp_patient_code_check_digit ("", 0), '0');
  assert_int_equal (hp_patient_code_check_digit ("5a2", 3), 0);
  /* Worked by hand through the table. */
  assert_int_equal (hp_patient_code_check_digit ("4812297553", 10), '2');
  assert_true (hp_patient_code_is_valid ("481-2297-5532"));
  assert_false (hp_patient_code_is_valid ("481-2297-5530"));
  assert_int_equal (hp_patient_code_check_digit ("0000000000", 10), '0');
  assert_true (hp_patient_code_is_valid ("000-0000-0000"));
}

/* Every single wrong digit and every swap of unequal neighbours, on many
 * codes: none passes. */
static void
test_check_digit_catches_typos (void **state G_GNUC_UNUSED)
{
  guint typos = 0, swaps = 0;

  for (guint n = 0; n < 2000; n++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *code = hp_patient_code_generate (&error);
      char typed[HP_PATIENT_CODE_LENGTH + 1];

      assert_non_null (code);
      for (guint i = 0; i < HP_PATIENT_CODE_LENGTH; i++)
        for (char d = '0'; d <= '9'; d++)
          {
            if (d == code[i])
              continue;
            memcpy (typed, code, sizeof typed);
            typed[i] = d;
            assert_false (hp_patient_code_is_valid (typed));
            typos++;
          }
      for (guint i = 0; i + 1 < HP_PATIENT_CODE_LENGTH; i++)
        {
          if (code[i] == code[i + 1])
            continue;
          memcpy (typed, code, sizeof typed);
          typed[i] = code[i + 1];
          typed[i + 1] = code[i];
          assert_false (hp_patient_code_is_valid (typed));
          swaps++;
        }
    }
  assert_int_equal (typos, 2000 * HP_PATIENT_CODE_LENGTH * 9);
  assert_true (swaps > 2000 * 8);
}

static void
test_normalize (void **state G_GNUC_UNUSED)
{
  static const struct {
    const char *in;
    const char *out;
  } cases[] = {
    { "481-2297-5530", "48122975530" },
    { " 481 2297 5530 ", "48122975530" },
    { "4-8-1--22975530", "48122975530" },
    { "ab-c9", "ABC9" },
    { "", NULL },
    { " - - ", NULL },
    { "481_2297", NULL },
    { "481\t2297", NULL },
    { "48\xc3\xa9", NULL },
    /* Arabic-Indic digits are not the keypad's. */
    { "\xd9\xa4\xd9\xa8\xd9\xa1", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *normal = hp_patient_code_normalize (cases[i].in);

      if (cases[i].out == NULL)
        assert_null (normal);
      else
        assert_string_equal (normal, cases[i].out);
    }
  assert_null (hp_patient_code_normalize (NULL));
}

static void
test_validity (void **state G_GNUC_UNUSED)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = hp_patient_code_generate (&error);
  g_autofree char *spaced = g_strdup_printf (" %.3s %.4s %.4s ", code, code + 3, code + 7);
  g_autofree char *short_code = g_strndup (code, HP_PATIENT_CODE_LENGTH - 1);
  g_autofree char *long_code = g_strconcat (code, "0", NULL);
  g_autofree char *lettered = g_strdup (code);
  g_autofree char *grouped = NULL;

  lettered[4] = 'A';
  assert_true (hp_patient_code_is_valid (code));
  assert_true (hp_patient_code_is_valid (spaced));
  assert_false (hp_patient_code_is_valid (short_code));
  assert_false (hp_patient_code_is_valid (long_code));
  assert_false (hp_patient_code_is_valid (lettered));
  assert_false (hp_patient_code_is_valid (""));
  assert_false (hp_patient_code_is_valid (NULL));

  grouped = hp_patient_code_format (spaced);
  assert_non_null (grouped);
  assert_int_equal (grouped[3], '-');
  assert_int_equal (grouped[8], '-');
  assert_null (hp_patient_code_format (short_code));
  assert_null (hp_patient_code_format (lettered));
  assert_null (hp_patient_code_format (NULL));
}

static void
test_pin_rules (void **state G_GNUC_UNUSED)
{
  static const char * const acceptable[] = {
    "4729", "2580", "1357", "90210", "530172", "1123", "9911",
  };
  static const char * const refused[] = {
    /* One digit over and over. */
    "0000", "1111", "99999", "777777",
    /* Runs up or down, wrapping at the end of the row. */
    "1234", "0123", "4321", "3210", "7890", "8901", "0987", "12345", "654321", "567890",
    /* A short pattern repeated. */
    "1212", "4545", "12121", "123123", "909090",
    /* Not 4 to 6 digits. */
    "", "123", "472", "1234567", "4729013", "47a9", "47 9", "４７２９",
  };

  for (guint i = 0; i < G_N_ELEMENTS (acceptable); i++)
    if (!hp_patient_pin_is_acceptable (acceptable[i]))
      fail_msg ("PIN case %u should be acceptable", i);
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    if (hp_patient_pin_is_acceptable (refused[i]))
      fail_msg ("PIN case %u should be refused", i);
  assert_false (hp_patient_pin_is_acceptable (NULL));
}

static void
test_lockout_policy (void **state G_GNUC_UNUSED)
{
  assert_int_equal (hp_patient_lockout_seconds (0), 0);
  assert_int_equal (hp_patient_lockout_seconds (HP_PATIENT_LOCKOUT_THRESHOLD - 1), 0);
  assert_int_equal (hp_patient_lockout_seconds (HP_PATIENT_LOCKOUT_THRESHOLD),
                    HP_PATIENT_LOCKOUT_FIRST_SECONDS);
  assert_int_equal (hp_patient_lockout_seconds (HP_PATIENT_LOCKOUT_THRESHOLD + 1),
                    2 * HP_PATIENT_LOCKOUT_FIRST_SECONDS);
  assert_int_equal (hp_patient_lockout_seconds (HP_PATIENT_LOCKOUT_THRESHOLD + 2),
                    4 * HP_PATIENT_LOCKOUT_FIRST_SECONDS);
  assert_int_equal (hp_patient_lockout_seconds (HP_PATIENT_LOCKOUT_THRESHOLD + 20),
                    HP_PATIENT_LOCKOUT_MAX_SECONDS);
  assert_int_equal (hp_patient_lockout_seconds (G_MAXUINT), HP_PATIENT_LOCKOUT_MAX_SECONDS);
}

/* ---- create and verify ---------------------------------------------------- */

static void
test_create_and_verify (void **state)
{
  PatientFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = create (f, PIN);
  g_autofree char *shown = hp_patient_code_format (code);
  g_autofree char *spaced = g_strdup_printf ("%.3s %.4s %.4s", code, code + 3, code + 7);

  assert_true (hp_patient_code_is_valid (code));
  assert_int_equal (strlen (code), HP_PATIENT_CODE_LENGTH);
  assert_int_equal (query (f, "SELECT count(*) FROM patients"), 1);
  assert_int_equal (query (f, "SELECT count(*) FROM patients WHERE pin_kdf IS NOT NULL "
                              "AND length (pin_salt) = 16 AND length (pin_hash) = 32 "
                              "AND created_at = last_seen"), 1);
  assert_int_equal (query (f, "SELECT created_at FROM patients"), T0);

  /* Every form the patient may type. */
  assert_true (hp_store_verify_patient (f->store, code, PIN, &error));
  assert_null (error);
  assert_true (hp_store_verify_patient (f->store, shown, PIN, &error));
  assert_null (error);
  assert_true (hp_store_verify_patient (f->store, spaced, PIN, &error));
  assert_null (error);

  /* Recognised later: last seen moves on. */
  f->now = T0 + 7 * DAY;
  assert_true (hp_store_verify_patient (f->store, code, PIN, &error));
  assert_int_equal (query (f, "SELECT last_seen FROM patients"), T0 + 7 * DAY);

  /* Two patients get two codes and two salts. */
  {
    g_autofree char *second = create (f, PIN);

    assert_string_not_equal (second, code);
    assert_int_equal (query (f, "SELECT count(DISTINCT pin_salt) FROM patients"), 2);
    assert_int_equal (query (f, "SELECT count(DISTINCT pin_hash) FROM patients"), 2);
    assert_false (hp_store_verify_patient (f->store, second, OTHER_PIN, &error));
    assert_not_recognized (error);
  }
}

/* The visit of a new patient is filed under the very row creation made,
 * whichever form of the code the visit carries. */
static void
test_commit_files_under_created_patient (void **state)
{
  PatientFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = create (f, PIN);
  g_autofree char *shown = hp_patient_code_format (code);
  g_autoptr(HpVisit) first = hp_store_fixture_small_visit ("visit-first", 1763700000000);
  g_autoptr(HpVisit) second = hp_store_fixture_small_visit ("visit-second", 1763800000000);
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(HpVisit) loaded = NULL;

  hp_visit_set_patient_code (first, shown);
  hp_visit_set_patient_code (second, code);
  assert_true (hp_store_commit_visit (f->store, first, &error));
  assert_null (error);
  assert_true (hp_store_commit_visit (f->store, second, &error));
  assert_null (error);

  assert_int_equal (query (f, "SELECT count(*) FROM patients"), 1);
  assert_int_equal (query (f, "SELECT count(*) FROM visits WHERE patient_id = "
                              "(SELECT id FROM patients)"), 2);
  history = hp_store_list_patient_visits (f->store, shown, 0, &error);
  assert_null (error);
  assert_int_equal (history->len, 2);
  /* Read back, a visit carries the code in its normal form. */
  loaded = hp_store_load_visit (f->store, "visit-first", &error);
  assert_null (error);
  assert_string_equal (hp_visit_get_patient_code (loaded), code);
  /* The PIN still works after visits were filed. */
  assert_true (hp_store_verify_patient (f->store, shown, PIN, &error));
  assert_null (error);
}

/* Whatever is not right looks the same to the caller: domain, code and
 * message. */
static void
test_unknown_code_same_as_wrong_pin (void **state)
{
  PatientFixture *f = *state;
  g_autofree char *code = create (f, PIN);
  g_autofree char *unknown = NULL;
  g_autofree char *mistyped = g_strdup (code);
  g_autofree char *filed_only = NULL;
  g_autoptr(GError) wrong_pin = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpVisit) visit = hp_store_fixture_small_visit ("visit-no-pin", 1763700000000);

  unknown = hp_patient_code_generate (&error);
  assert_null (error);
  assert_string_not_equal (unknown, code);
  mistyped[2] = mistyped[2] == '9' ? '0' : (char) (mistyped[2] + 1);
  /* A patient filed by code alone, before PINs existed, has no PIN. */
  filed_only = hp_patient_code_generate (&error);
  hp_visit_set_patient_code (visit, filed_only);
  assert_true (hp_store_commit_visit (f->store, visit, &error));
  assert_null (error);

  assert_false (hp_store_verify_patient (f->store, code, OTHER_PIN, &wrong_pin));
  assert_not_recognized (wrong_pin);

  {
    const char *codes[] = { unknown, mistyped, filed_only, code, code, code };
    const char *pins[] = { PIN, PIN, PIN, "12", "1234567", "47a9" };

    for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
      {
        assert_false (hp_store_verify_patient (f->store, codes[i], pins[i], &error));
        assert_not_recognized (error);
        assert_string_equal (error->message, wrong_pin->message);
        g_clear_error (&error);
      }
  }
  /* Neither the code nor the PIN is in the message. */
  assert_null (strstr (wrong_pin->message, code));
  assert_null (strstr (wrong_pin->message, OTHER_PIN));
  /* The wrong PIN for a known code counted with its patient; the two codes
   * no patient's PIN answers for counted under their lookup values; the
   * mistyped code and the malformed PINs counted for nothing. */
  assert_int_equal (query (f, "SELECT sum (failed_attempts) FROM patients"), 1);
  assert_int_equal (query (f, "SELECT count (*) FROM code_attempts"), 2);
  assert_int_equal (query (f, "SELECT sum (failed_attempts) FROM code_attempts"), 2);
  /* Each stamped with the store's clock, for retention to forget. */
  assert_int_equal (query (f, "SELECT min (last_attempt) FROM code_attempts"), f->now);
  assert_int_equal (query (f, "SELECT max (last_attempt) FROM code_attempts"), f->now);
}

/* A code no one holds, and a code filed before PINs, lock on the same
 * attempt and for as long as a patient's code: the answers never tell
 * whether a code exists. While locked, none of them is hashed. */
static void
test_unknown_code_locks_the_same (void **state)
{
  PatientFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpVisit) visit = hp_store_fixture_small_visit ("visit-filed-only", 1763700000000);
  g_autoptr(HpAuditLog) log = open_audit (f);
  g_autoptr(GPtrArray) entries = NULL;
  char *codes[3] = { NULL, NULL, NULL };
  guint lockouts = 0;
  gint64 bad = 0;

  codes[0] = create (f, PIN);
  codes[1] = hp_patient_code_generate (&error);
  codes[2] = hp_patient_code_generate (&error);
  assert_null (error);
  hp_visit_set_patient_code (visit, codes[2]);
  assert_true (hp_store_commit_visit (f->store, visit, &error));

  for (guint c = 0; c < G_N_ELEMENTS (codes); c++)
    {
      gint64 start = f->now;

      for (guint i = 1; i < HP_PATIENT_LOCKOUT_THRESHOLD; i++)
        {
          assert_false (hp_store_verify_patient (f->store, codes[c], "9051", &error));
          assert_not_recognized (error);
          g_clear_error (&error);
          f->now += SECOND;
        }
      assert_false (hp_store_verify_patient (f->store, codes[c], "9051", &error));
      assert_locked (error, HP_PATIENT_LOCKOUT_FIRST_SECONDS);
      g_clear_error (&error);
      f->now += 10 * SECOND;
      assert_false (hp_store_verify_patient (f->store, codes[c], PIN, &error));
      assert_locked (error, HP_PATIENT_LOCKOUT_FIRST_SECONDS - 10);
      g_clear_error (&error);
      f->now += (HP_PATIENT_LOCKOUT_FIRST_SECONDS - 10) * SECOND;
      assert_false (hp_store_verify_patient (f->store, codes[c], "9051", &error));
      assert_locked (error, 2 * HP_PATIENT_LOCKOUT_FIRST_SECONDS);
      g_clear_error (&error);
      f->now = start + 3600 * SECOND;
    }

  /* The patient's code counted in its row, the other two under theirs. */
  assert_int_equal (query (f, "SELECT sum (failed_attempts) FROM patients"),
                    HP_PATIENT_LOCKOUT_THRESHOLD + 1);
  assert_int_equal (query (f, "SELECT count (*) FROM code_attempts WHERE failed_attempts = "
                              G_STRINGIFY (HP_PATIENT_LOCKOUT_THRESHOLD) " + 1"), 2);

  /* Every lockout audited, two for each code, none naming a code. */
  entries = hp_audit_list (log, 0, NULL);
  for (guint i = 0; i < entries->len; i++)
    {
      HpAuditEntry *entry = g_ptr_array_index (entries, i);

      for (guint c = 0; c < G_N_ELEMENTS (codes); c++)
        assert_null (strstr (entry->detail, codes[c]));
      if (g_str_equal (entry->action, "patient.lockout"))
        lockouts++;
    }
  assert_int_equal (lockouts, 2 * G_N_ELEMENTS (codes));
  assert_true (hp_audit_verify (log, &bad, NULL));
  for (guint c = 0; c < G_N_ELEMENTS (codes); c++)
    g_free (codes[c]);
}

static void
test_weak_pin_refused (void **state)
{
  PatientFixture *f = *state;
  const char *weak[] = { "1234", "0000", "1212", "123", "", "12345678" };
  g_autoptr(HpAuditLog) log = open_audit (f);

  for (guint i = 0; i < G_N_ELEMENTS (weak); i++)
    {
      g_autoptr(GError) error = NULL;
      char *code = NULL;

      assert_false (hp_store_create_patient (f->store, weak[i], &code, &error));
      hp_store_fixture_assert_error (error, HP_STORE_ERROR_WEAK_PIN);
      assert_null (code);
      if (*weak[i] != '\0')
        assert_null (strstr (error->message, weak[i]));
    }
  assert_int_equal (query (f, "SELECT count(*) FROM patients"), 0);
  /* The log's first entry only. */
  assert_int_equal (hp_audit_count (log, NULL), 1);
}

static void
test_creation_audited (void **state)
{
  PatientFixture *f = *state;
  g_autoptr(HpAuditLog) log = open_audit (f);
  g_autofree char *code = create (f, PIN);
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *expected = NULL;
  HpAuditEntry *entry;
  gint64 bad = 0;

  expected = g_strdup_printf ("patient:%" G_GINT64_FORMAT, query (f, "SELECT id FROM patients"));
  entries = hp_audit_list (log, 0, NULL);
  /* After the entry that started the log. */
  assert_int_equal (entries->len, 2);
  entry = g_ptr_array_index (entries, 1);
  assert_string_equal (entry->actor, HP_AUDIT_ACTOR_KIOSK);
  assert_string_equal (entry->action, "patient.create");
  assert_string_equal (entry->detail, expected);
  assert_null (strstr (entry->detail, code));
  assert_int_equal (entry->time, T0);
  /* Keyed as the kiosk keys it: the chain verifies. */
  assert_true (hp_audit_verify (log, &bad, NULL));
}

static void
test_lockout_and_backoff (void **state)
{
  PatientFixture *f = *state;
  g_autoptr(HpAuditLog) log = open_audit (f);
  g_autofree char *code = create (f, PIN);
  g_autofree char *other = create (f, OTHER_PIN);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  gint64 bad = 0;

  for (guint i = 1; i < HP_PATIENT_LOCKOUT_THRESHOLD; i++)
    {
      assert_false (hp_store_verify_patient (f->store, code, "9051", &error));
      assert_not_recognized (error);
      g_clear_error (&error);
      f->now += SECOND;
    }
  /* The threshold-th wrong PIN locks the code and says so. */
  assert_false (hp_store_verify_patient (f->store, code, "9051", &error));
  assert_locked (error, HP_PATIENT_LOCKOUT_FIRST_SECONDS);
  assert_null (strstr (error->message, code));
  g_clear_error (&error);

  /* Locked, even the right PIN is refused, with the time left. */
  f->now += 10 * SECOND;
  assert_false (hp_store_verify_patient (f->store, code, PIN, &error));
  assert_locked (error, HP_PATIENT_LOCKOUT_FIRST_SECONDS - 10);
  g_clear_error (&error);
  /* Another code is not locked with it. */
  assert_true (hp_store_verify_patient (f->store, other, OTHER_PIN, &error));
  assert_null (error);

  /* After the lock, one more wrong PIN locks twice as long. */
  f->now += (HP_PATIENT_LOCKOUT_FIRST_SECONDS - 10) * SECOND;
  assert_false (hp_store_verify_patient (f->store, code, "9051", &error));
  assert_locked (error, 2 * HP_PATIENT_LOCKOUT_FIRST_SECONDS);
  g_clear_error (&error);
  f->now += 2 * HP_PATIENT_LOCKOUT_FIRST_SECONDS * SECOND - 1;
  assert_false (hp_store_verify_patient (f->store, code, PIN, &error));
  assert_locked (error, 1);
  g_clear_error (&error);

  /* The right PIN once the lock is over resets the count. */
  f->now += 1;
  assert_true (hp_store_verify_patient (f->store, code, PIN, &error));
  assert_null (error);
  assert_int_equal (query (f, "SELECT max (failed_attempts) FROM patients"), 0);
  assert_int_equal (query (f, "SELECT max (locked_until) FROM patients"), 0);
  for (guint i = 1; i < HP_PATIENT_LOCKOUT_THRESHOLD; i++)
    {
      assert_false (hp_store_verify_patient (f->store, code, "9051", &error));
      assert_not_recognized (error);
      g_clear_error (&error);
    }

  /* Each lockout audited, by patient row id, with no code or PIN. */
  entries = hp_audit_list (log, 0, NULL);
  {
    guint lockouts = 0;
    g_autofree char *first = g_strdup_printf ("patient:%" G_GINT64_FORMAT " attempts=%d seconds=%d",
                                              query (f, "SELECT min (id) FROM patients"),
                                              HP_PATIENT_LOCKOUT_THRESHOLD,
                                              HP_PATIENT_LOCKOUT_FIRST_SECONDS);

    for (guint i = 0; i < entries->len; i++)
      {
        HpAuditEntry *entry = g_ptr_array_index (entries, i);

        assert_null (strstr (entry->detail, code));
        assert_null (strstr (entry->detail, "9051"));
        if (g_str_equal (entry->action, "patient.lockout"))
          {
            if (lockouts++ == 0)
              assert_string_equal (entry->detail, first);
          }
      }
    assert_int_equal (lockouts, 2);
  }
  assert_true (hp_audit_verify (log, &bad, NULL));
}

static void
test_locked_seconds_only_on_lock (void **state G_GNUC_UNUSED)
{
  g_autoptr(GError) other = g_error_new_literal (HP_STORE_ERROR, HP_STORE_ERROR_WRITE, "x");
  g_autoptr(GError) foreign = g_error_new_literal (G_IO_ERROR, HP_STORE_ERROR_PATIENT_LOCKED, "x");
  g_autoptr(GError) bare = g_error_new_literal (HP_STORE_ERROR, HP_STORE_ERROR_PATIENT_LOCKED, "x");

  assert_int_equal (hp_store_error_get_locked_seconds (NULL), 0);
  assert_int_equal (hp_store_error_get_locked_seconds (other), 0);
  assert_int_equal (hp_store_error_get_locked_seconds (foreign), 0);
  /* A lock whose time was never set still says at least a second. */
  assert_int_equal (hp_store_error_get_locked_seconds (bare), 1);
}

/* The time left survives a copy of the error, as GTask and callers make. */
static void
test_locked_seconds_copied (void **state)
{
  PatientFixture *f = *state;
  g_autofree char *code = create (f, PIN);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) copy = NULL;

  for (guint i = 0; i < HP_PATIENT_LOCKOUT_THRESHOLD; i++)
    {
      g_clear_error (&error);
      assert_false (hp_store_verify_patient (f->store, code, "9051", &error));
    }
  copy = g_error_copy (error);
  assert_locked (copy, HP_PATIENT_LOCKOUT_FIRST_SECONDS);
}

static void
test_too_old_a_store (void **state)
{
  PatientFixture *f = *state;
  g_autofree char *path = g_build_filename (f->fixture->dir, "v4.db", NULL);
  g_autoptr(HpStore) old = hp_store_open_at_version_with_keyring (path, f->keyring, 4, NULL);
  g_autoptr(GError) error = NULL;
  char *code = NULL;

  assert_non_null (old);
  assert_false (hp_store_create_patient (old, PIN, &code, &error));
  hp_store_fixture_assert_error (error, HP_STORE_ERROR_INVALID);
  assert_null (code);
  g_clear_error (&error);
  assert_false (hp_store_verify_patient (old, "481-2297-5532", PIN, &error));
  hp_store_fixture_assert_error (error, HP_STORE_ERROR_INVALID);
}

/* ---- async ------------------------------------------------------------------ */

typedef struct {
  GMainLoop *loop;
  GThread *caller;
  gboolean done;
  gboolean verified;
  char *code;
  GError *error;
} AsyncResult;

static void
async_result_clear (AsyncResult *result)
{
  g_clear_pointer (&result->code, g_free);
  g_clear_error (&result->error);
  result->done = FALSE;
  result->verified = FALSE;
}

static void
on_created (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  AsyncResult *result = user_data;

  /* The database is used again on the thread that asked. */
  assert_ptr_equal (g_thread_self (), result->caller);
  result->code = hp_store_create_patient_finish (HP_STORE (source), res, &result->error);
  result->done = TRUE;
  g_main_loop_quit (result->loop);
}

static void
on_verified (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  AsyncResult *result = user_data;

  assert_ptr_equal (g_thread_self (), result->caller);
  result->verified = hp_store_verify_patient_finish (HP_STORE (source), res, &result->error);
  result->done = TRUE;
  g_main_loop_quit (result->loop);
}

static void
run_until_done (AsyncResult *result)
{
  /* The callback never comes before the call returns. */
  assert_false (result->done);
  g_main_loop_run (result->loop);
  assert_true (result->done);
}

static void
test_async_from_main_loop (void **state)
{
  PatientFixture *f = *state;
  AsyncResult result = { .loop = g_main_loop_new (NULL, FALSE), .caller = g_thread_self () };
  g_autofree char *code = NULL;

  hp_store_create_patient_async (f->store, PIN, NULL, on_created, &result);
  run_until_done (&result);
  assert_null (result.error);
  assert_true (hp_patient_code_is_valid (result.code));
  code = g_steal_pointer (&result.code);
  async_result_clear (&result);

  hp_store_verify_patient_async (f->store, code, PIN, NULL, on_verified, &result);
  run_until_done (&result);
  assert_null (result.error);
  assert_true (result.verified);
  async_result_clear (&result);

  hp_store_verify_patient_async (f->store, code, OTHER_PIN, NULL, on_verified, &result);
  run_until_done (&result);
  assert_false (result.verified);
  assert_not_recognized (result.error);
  async_result_clear (&result);
  assert_int_equal (query (f, "SELECT failed_attempts FROM patients"), 1);

  /* Refused before any hash, still through the callback. */
  hp_store_create_patient_async (f->store, "1111", NULL, on_created, &result);
  run_until_done (&result);
  hp_store_fixture_assert_error (result.error, HP_STORE_ERROR_WEAK_PIN);
  assert_null (result.code);
  async_result_clear (&result);

  g_main_loop_unref (result.loop);
}

static void
test_async_cancelled (void **state)
{
  PatientFixture *f = *state;
  AsyncResult result = { .loop = g_main_loop_new (NULL, FALSE), .caller = g_thread_self () };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(HpAuditLog) log = open_audit (f);
  g_autofree char *code = create (f, PIN);

  /* Cancelled while hashing: the wrong PIN counts for nothing. */
  hp_store_verify_patient_async (f->store, code, OTHER_PIN, cancellable, on_verified, &result);
  g_cancellable_cancel (cancellable);
  run_until_done (&result);
  assert_false (result.verified);
  assert_true (g_error_matches (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  async_result_clear (&result);
  assert_int_equal (query (f, "SELECT failed_attempts FROM patients"), 0);

  /* Cancelled before the call: nothing is created. */
  hp_store_create_patient_async (f->store, PIN, cancellable, on_created, &result);
  run_until_done (&result);
  assert_null (result.code);
  assert_true (g_error_matches (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  async_result_clear (&result);
  assert_int_equal (query (f, "SELECT count(*) FROM patients"), 1);
  assert_int_equal (hp_audit_count (log, NULL), 2);

  g_main_loop_unref (result.loop);
}

/* ---- migration ---------------------------------------------------------------- */

/* From every older version: patients filed by code before step 5 keep
 * their visits, get no PIN, and no later patient takes their id. */
static void
test_migrate_from_every_version (void **state)
{
  PatientFixture *f = *state;
  guint latest = hp_store_get_latest_schema_version ();

  assert_true (latest >= 5);
  for (guint version = 0; version < latest; version++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HpStore) store = NULL;
      g_autofree char *name = g_strdup_printf ("from-%u.db", version);
      g_autofree char *path = g_build_filename (f->fixture->dir, name, NULL);
      g_autofree char *old_code = hp_patient_code_generate (&error);
      g_autofree char *new_code = NULL;
      g_autoptr(GPtrArray) history = NULL;
      /* Patients filed by code at steps 3 and 4, before PINs. */
      gboolean seeded = version >= 3 && version < HP_STORE_PATIENT_PIN_VERSION;
      sqlite3 *raw;

      store = hp_store_open_at_version_with_keyring (path, f->keyring, version, &error);
      assert_null (error);
      if (seeded)
        {
          g_autoptr(HpVisit) visit = hp_store_fixture_small_visit ("old-visit", 1700000000000);
          g_autoptr(HpVisit) legacy = hp_store_fixture_small_visit ("legacy-visit", 1700000100000);

          hp_visit_set_patient_code (visit, old_code);
          hp_visit_set_patient_code (legacy, "PRIV-ACY1");
          assert_true (hp_store_commit_visit (store, visit, &error));
          assert_true (hp_store_commit_visit (store, legacy, &error));
          assert_null (error);
        }
      g_clear_object (&store);

      store = hp_store_open_with_keyring (path, f->keyring, &error);
      assert_null (error);
      assert_int_equal (hp_store_get_schema_version (store), latest);
      hp_store_set_patient_clock (store, fixture_clock, f);

      raw = hp_store_fixture_open_raw (path);
      assert_int_equal (hp_store_fixture_query_int (raw, "SELECT count(*) FROM patients"),
                        seeded ? 2 : 0);
      assert_int_equal (hp_store_fixture_query_int (raw,
        "SELECT count(*) FROM patients WHERE pin_kdf IS NULL AND pin_salt IS NULL "
        "AND pin_hash IS NULL AND failed_attempts = 0 AND locked_until = 0 "
        "AND last_seen = created_at"), seeded ? 2 : 0);
      assert_int_equal (hp_store_fixture_query_int (raw,
        "SELECT highest FROM patient_id_watermark"), seeded ? 2 : 0);
      sqlite3_close (raw);

      if (seeded)
        {
          history = hp_store_list_patient_visits (store, old_code, 0, &error);
          assert_null (error);
          assert_int_equal (history->len, 1);
          g_clear_pointer (&history, g_ptr_array_unref);
          history = hp_store_list_patient_visits (store, "priv-acy1", 0, &error);
          assert_int_equal (history->len, 1);
          /* No PIN was ever set: no PIN is right. */
          assert_false (hp_store_verify_patient (store, old_code, PIN, &error));
          assert_not_recognized (error);
          g_clear_error (&error);
        }

      assert_true (hp_store_create_patient (store, PIN, &new_code, &error));
      assert_null (error);
      assert_true (hp_store_verify_patient (store, new_code, PIN, &error));
      raw = hp_store_fixture_open_raw (path);
      assert_int_equal (hp_store_fixture_query_int (raw, "SELECT max (id) FROM patients"),
                        seeded ? 3 : 1);
      sqlite3_close (raw);
    }
}

/* ---- privacy ------------------------------------------------------------------ */

static void
add_text_patterns (GPtrArray  *patterns,
                   const char *text)
{
  g_autofree gunichar2 *utf16 = g_utf8_to_utf16 (text, -1, NULL, NULL, NULL);

  g_ptr_array_add (patterns, g_bytes_new (text, strlen (text)));
  g_ptr_array_add (patterns, g_bytes_new (utf16, strlen (text) * 2));
}

static GPtrArray *
private_patterns (const char *code,
                  const char *pin)
{
  GPtrArray *patterns = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autofree char *shown = hp_patient_code_format (code);
  guint64 number = g_ascii_strtoull (code, NULL, 10);
  guint64 little = GUINT64_TO_LE (number);
  guint64 big = GUINT64_TO_BE (number);

  add_text_patterns (patterns, code);
  add_text_patterns (patterns, shown);
  /* Each group alone, should separators be stored apart. */
  add_text_patterns (patterns, shown + 4);
  add_text_patterns (patterns, pin);
  /* The code as a number, as SQLite would keep an integer. */
  g_ptr_array_add (patterns, g_bytes_new (&little, 8));
  g_ptr_array_add (patterns, g_bytes_new (&big, 8));
  return patterns;
}

static guint
count_found (const char *path,
             GPtrArray  *patterns)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };
  guint found = 0;

  for (guint s = 0; s < G_N_ELEMENTS (suffixes); s++)
    {
      g_autofree char *file_path = g_strconcat (path, suffixes[s], NULL);
      g_autoptr(GBytes) file = NULL;
      gsize length = 0;
      const guint8 *bytes;

      if (!g_file_test (file_path, G_FILE_TEST_EXISTS))
        continue;
      file = hp_store_fixture_read_bytes (file_path);
      bytes = g_bytes_get_data (file, &length);
      for (guint i = 0; i < patterns->len; i++)
        {
          gsize pattern_length = 0;
          const guint8 *pattern = g_bytes_get_data (g_ptr_array_index (patterns, i), &pattern_length);

          for (gsize at = 0; at + pattern_length <= length; at++)
            if (memcmp (bytes + at, pattern, pattern_length) == 0)
              {
                g_printerr ("found pattern %u in %s\n", i, file_path);
                found++;
                break;
              }
        }
    }
  return found;
}

/* The scanner can fail: a file holding any one pattern is caught. */
static void
test_scanner_finds_plaintext (void **state)
{
  PatientFixture *f = *state;
  g_autofree char *path = g_build_filename (f->fixture->dir, "plain.bin", NULL);
  g_autoptr(GPtrArray) patterns = private_patterns ("48122975532", "530172");

  for (guint i = 0; i < patterns->len; i++)
    {
      g_autoptr(GByteArray) file = g_byte_array_new ();
      gsize length = 0;
      const guint8 *pattern = g_bytes_get_data (g_ptr_array_index (patterns, i), &length);

      g_byte_array_append (file, (const guint8 *) "padding before ", 15);
      g_byte_array_append (file, pattern, (guint) length);
      assert_true (g_file_set_contents (path, (const char *) file->data, file->len, NULL));
      assert_true (count_found (path, patterns) >= 1);
    }
}

static void
test_nothing_in_the_clear (void **state)
{
  PatientFixture *f = *state;
  /* Six digits: a four-digit PIN could turn up in random bytes by chance. */
  const char *pin = "530172";
  g_autofree char *code = create (f, pin);
  g_autofree char *shown = hp_patient_code_format (code);
  g_autoptr(GPtrArray) patterns = private_patterns (code, pin);
  g_autoptr(HpVisit) visit = hp_store_fixture_small_visit ("private-visit", 1763700000000);
  g_autoptr(GError) error = NULL;

  hp_visit_set_patient_code (visit, shown);
  assert_true (hp_store_commit_visit (f->store, visit, &error));
  assert_true (hp_store_verify_patient (f->store, shown, pin, &error));
  assert_false (hp_store_verify_patient (f->store, shown, "530173", &error));
  g_clear_error (&error);
  assert_int_equal (count_found (f->fixture->path, patterns), 0);

  /* Nor once the log is folded into the main file. */
  g_clear_object (&f->store);
  f->store = hp_store_fixture_open (f->fixture->path, f->keyring);
  {
    sqlite3 *raw = hp_store_fixture_open_raw (f->fixture->path);

    hp_store_fixture_exec_raw (raw, "PRAGMA wal_checkpoint(TRUNCATE)");
    sqlite3_close (raw);
  }
  assert_int_equal (count_found (f->fixture->path, patterns), 0);
}

/* ---- retention ------------------------------------------------------------------ */

static void
commit_for (PatientFixture *f,
            const char     *id,
            const char     *code,
            gint64          finished_at)
{
  g_autoptr(HpVisit) visit = hp_store_fixture_small_visit (id, finished_at / 1000);
  g_autoptr(GError) error = NULL;

  hp_visit_set_patient_code (visit, code);
  assert_true (hp_store_commit_visit (f->store, visit, &error));
  assert_null (error);
}

static gint64
count_history (PatientFixture *f,
               const char     *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = hp_store_list_patient_visits (f->store, code, 0, &error);

  assert_null (error);
  return history->len;
}

static void
test_retention_forgets_patients (void **state)
{
  PatientFixture *f = *state;
  g_autoptr(HpAuditLog) log = open_audit (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *old_visits = NULL;   /* every visit old: forgotten */
  g_autofree char *recent_visit = NULL; /* one visit recent: kept */
  g_autofree char *seen_lately = NULL;  /* no visit left, but recognised lately: kept */
  g_autofree char *never_back = NULL;   /* created, no visit, never seen again: forgotten */
  g_autofree char *new_code = NULL;
  gint64 highest;
  gint64 now = T0 + 400 * DAY;

  old_visits = create (f, PIN);
  recent_visit = create (f, PIN);
  seen_lately = create (f, PIN);
  never_back = create (f, PIN);
  commit_for (f, "old-1", old_visits, T0 + 60 * SECOND);
  commit_for (f, "old-2", old_visits, T0 + 2 * DAY);
  commit_for (f, "old-3", recent_visit, T0 + DAY);
  commit_for (f, "recent", recent_visit, T0 + 390 * DAY);
  commit_for (f, "old-4", seen_lately, T0 + DAY);
  f->now = T0 + 380 * DAY;
  assert_true (hp_store_verify_patient (f->store, seen_lately, PIN, &error));
  assert_null (error);
  highest = query (f, "SELECT max (id) FROM patients");

  f->now = now;
  assert_int_equal (hp_retention_run (f->store, log, HP_AUDIT_ACTOR_SYSTEM, 365, now, &error), 4);
  assert_null (error);

  assert_int_equal (query (f, "SELECT count(*) FROM patients"), 2);
  assert_int_equal (count_history (f, recent_visit), 1);
  assert_int_equal (count_history (f, old_visits), 0);
  assert_true (hp_store_verify_patient (f->store, recent_visit, PIN, &error));
  assert_true (hp_store_verify_patient (f->store, seen_lately, PIN, &error));
  assert_null (error);
  assert_false (hp_store_verify_patient (f->store, old_visits, PIN, &error));
  assert_not_recognized (error);
  g_clear_error (&error);
  assert_false (hp_store_verify_patient (f->store, never_back, PIN, &error));
  assert_not_recognized (error);
  g_clear_error (&error);

  entries = hp_audit_list (log, 0, NULL);
  {
    HpAuditEntry *last = g_ptr_array_index (entries, entries->len - 1);
    HpAuditEntry *run = g_ptr_array_index (entries, entries->len - 2);

    assert_string_equal (run->action, "retention.run");
    assert_string_equal (run->detail, "deleted=4 days=365");
    assert_string_equal (last->action, "retention.patients");
    assert_string_equal (last->detail, "deleted=2 days=365");
  }

  /* A forgotten patient's id is never given again; visit commits too. */
  new_code = create (f, PIN);
  assert_int_equal (query (f, "SELECT max (id) FROM patients"), highest + 1);
  {
    g_autofree char *walk_in = hp_patient_code_generate (&error);

    commit_for (f, "walk-in", walk_in, now);
    assert_int_equal (query (f, "SELECT max (id) FROM patients"), highest + 2);
  }

  /* A second run finds no patient to forget and says nothing of them. */
  g_clear_pointer (&entries, g_ptr_array_unref);
  assert_int_equal (hp_retention_run (f->store, log, HP_AUDIT_ACTOR_SYSTEM, 365, now, &error), 0);
  entries = hp_audit_list (log, 0, NULL);
  assert_string_equal (((HpAuditEntry *) g_ptr_array_index (entries, entries->len - 1))->action,
                       "retention.run");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_code_format),
    cmocka_unit_test (test_check_digit_known_values),
    cmocka_unit_test (test_check_digit_catches_typos),
    cmocka_unit_test (test_normalize),
    cmocka_unit_test (test_validity),
    cmocka_unit_test (test_pin_rules),
    cmocka_unit_test (test_lockout_policy),
    cmocka_unit_test (test_locked_seconds_only_on_lock),
    cmocka_unit_test_setup_teardown (test_create_and_verify, setup, teardown),
    cmocka_unit_test_setup_teardown (test_commit_files_under_created_patient, setup, teardown),
    cmocka_unit_test_setup_teardown (test_unknown_code_same_as_wrong_pin, setup, teardown),
    cmocka_unit_test_setup_teardown (test_unknown_code_locks_the_same, setup, teardown),
    cmocka_unit_test_setup_teardown (test_weak_pin_refused, setup, teardown),
    cmocka_unit_test_setup_teardown (test_creation_audited, setup, teardown),
    cmocka_unit_test_setup_teardown (test_lockout_and_backoff, setup, teardown),
    cmocka_unit_test_setup_teardown (test_locked_seconds_copied, setup, teardown),
    cmocka_unit_test_setup_teardown (test_too_old_a_store, setup, teardown),
    cmocka_unit_test_setup_teardown (test_async_from_main_loop, setup, teardown),
    cmocka_unit_test_setup_teardown (test_async_cancelled, setup, teardown),
    cmocka_unit_test_setup_teardown (test_migrate_from_every_version, setup, teardown),
    cmocka_unit_test_setup_teardown (test_scanner_finds_plaintext, setup, teardown),
    cmocka_unit_test_setup_teardown (test_nothing_in_the_clear, setup, teardown),
    cmocka_unit_test_setup_teardown (test_retention_forgets_patients, setup, teardown),
  };

  return cmocka_run_group_tests_name ("patient", tests, NULL, NULL);
}
