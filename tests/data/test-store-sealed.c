/* Tests of encryption at rest: nothing private in the files, tampering refused, keys rotated, readings kept once. */
#include "hp-store-fixture.h"

#include <string.h>

#include <glib/gstdio.h>

/* The patient of the privacy test; each value is one no other part of the
 * file is likely to hold. */
#define PRIVATE_CODE "PRIV-ACY1"
#define PRIVATE_SYSTOLIC 187.0
#define PRIVATE_WEIGHT 93.7
#define PRIVATE_GLUCOSE 143.0

static GDateTime *
utc (gint64 unix_seconds)
{
  return g_date_time_new_from_unix_utc (unix_seconds);
}

static HpVisit *
private_visit (const char *id,
               gint64      started)
{
  g_autoptr(GDateTime) start = utc (started);
  g_autoptr(GDateTime) end = utc (started + 300);
  g_autoptr(GDateTime) cuff_time = utc (started + 60);
  g_autoptr(HpMeasurement) pressure = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_PRESSURE);
  g_autoptr(HpMeasurement) weight = hp_measurement_new (HP_MEASUREMENT_KIND_BODY_WEIGHT);
  g_autoptr(HpMeasurement) glucose = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_GLUCOSE);
  HpVisit *visit = hp_visit_new_full (id, start);

  hp_visit_set_patient_code (visit, PRIVATE_CODE);
  hp_measurement_set_value (pressure, HP_QUANTITY_SYSTOLIC, PRIVATE_SYSTOLIC, "mm[Hg]");
  hp_measurement_set_value (pressure, HP_QUANTITY_DIASTOLIC, 111, "mm[Hg]");
  hp_measurement_set_value (pressure, HP_QUANTITY_PULSE_RATE, 77, "/min");
  hp_measurement_set_device_id (pressure, "usb:0590:0028:SERIAL-7731");
  hp_measurement_set_device_time (pressure, cuff_time);
  hp_visit_add_measurement (visit, pressure);
  hp_measurement_set_value (weight, HP_QUANTITY_BODY_WEIGHT, PRIVATE_WEIGHT, "kg");
  hp_visit_add_measurement (visit, weight);
  hp_measurement_set_value (glucose, HP_QUANTITY_BLOOD_GLUCOSE, PRIVATE_GLUCOSE, "mg/dL");
  hp_visit_add_measurement (visit, glucose);
  hp_visit_set_finished_at (visit, end);
  return visit;
}

/* Every way a value could sit in a file that can be told from chance:
 * decimal text of four characters or more, IEEE doubles, and floats with no
 * zero byte, in both byte orders. */
static GPtrArray *
encodings_of_value (double value)
{
  GPtrArray *patterns = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  char text[G_ASCII_DTOSTR_BUF_SIZE];
  double doubles[1] = { value };
  float floats[1] = { (float) value };
  guint64 bits64;
  guint32 bits32;

  /* Text of three characters or fewer, and small integers (whose encodings
   * are mostly zero bytes), turn up by chance in ciphertext and in SQLite's
   * own structures: only longer patterns are looked for. Plaintext values
   * were stored as REAL, whose eight bytes are always among them. */
  g_ascii_formatd (text, sizeof text, "%g", value);
  if (strlen (text) >= 4)
    g_ptr_array_add (patterns, g_bytes_new (text, strlen (text)));

  memcpy (&bits64, doubles, 8);
  bits64 = GUINT64_TO_LE (bits64);
  g_ptr_array_add (patterns, g_bytes_new (&bits64, 8));
  bits64 = GUINT64_SWAP_LE_BE (bits64);
  g_ptr_array_add (patterns, g_bytes_new (&bits64, 8));

  /* A float of a whole number ends in zero bytes, which leaves two random
   * bytes to match: only floats with no zero byte are told from chance. */
  memcpy (&bits32, floats, 4);
  if ((bits32 & 0xff) != 0 && (bits32 & 0xff00) != 0 && (bits32 & 0xff0000) != 0 && (bits32 & 0xff000000) != 0)
    {
      bits32 = GUINT32_TO_LE (bits32);
      g_ptr_array_add (patterns, g_bytes_new (&bits32, 4));
      bits32 = GUINT32_SWAP_LE_BE (bits32);
      g_ptr_array_add (patterns, g_bytes_new (&bits32, 4));
    }
  return patterns;
}

static GPtrArray *
encodings_of_code (const char *code)
{
  GPtrArray *patterns = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autofree char *lower = g_ascii_strdown (code, -1);
  g_autofree char *bare = g_strdup (code);
  g_autofree gunichar2 *utf16 = g_utf8_to_utf16 (code, -1, NULL, NULL, NULL);

  g_strdelimit (bare, "-", ' ');
  g_ptr_array_add (patterns, g_bytes_new (code, strlen (code)));
  g_ptr_array_add (patterns, g_bytes_new (lower, strlen (lower)));
  /* A fragment that survives any separator being dropped or changed. */
  g_ptr_array_add (patterns, g_bytes_new ("ACY1", 4));
  g_ptr_array_add (patterns, g_bytes_new (utf16, strlen (code) * 2));
  return patterns;
}

static gboolean
holds (GBytes *file,
       GBytes *pattern)
{
  gsize length = 0, pattern_length = 0;
  const guint8 *bytes = g_bytes_get_data (file, &length);
  const guint8 *needle = g_bytes_get_data (pattern, &pattern_length);

  for (gsize i = 0; i + pattern_length <= length; i++)
    if (memcmp (bytes + i, needle, pattern_length) == 0)
      return TRUE;
  return FALSE;
}

/* The number of @patterns found in @path, -wal and -shm together. */
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

      if (!g_file_test (file_path, G_FILE_TEST_EXISTS))
        continue;
      file = hp_store_fixture_read_bytes (file_path);
      for (guint i = 0; i < patterns->len; i++)
        if (holds (file, g_ptr_array_index (patterns, i)))
          {
            g_printerr ("found pattern %u in %s\n", i, file_path);
            found++;
          }
    }
  return found;
}

static GPtrArray *
all_private_patterns (void)
{
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  const double values[] = { PRIVATE_SYSTOLIC, PRIVATE_WEIGHT, PRIVATE_GLUCOSE };

  for (guint v = 0; v < G_N_ELEMENTS (values); v++)
    {
      g_autoptr(GPtrArray) some = encodings_of_value (values[v]);

      for (guint i = 0; i < some->len; i++)
        g_ptr_array_add (all, g_bytes_ref (g_ptr_array_index (some, i)));
    }
  {
    g_autoptr(GPtrArray) code = encodings_of_code (PRIVATE_CODE);

    for (guint i = 0; i < code->len; i++)
      g_ptr_array_add (all, g_bytes_ref (g_ptr_array_index (code, i)));
  }
  g_ptr_array_add (all, g_bytes_new ("SERIAL-7731", 11));
  return all;
}

/* The scanner itself can fail: a file holding each pattern is caught. */
static void
test_scanner_finds_plaintext (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(GPtrArray) patterns = all_private_patterns ();

  for (guint i = 0; i < patterns->len; i++)
    {
      g_autoptr(GByteArray) file = g_byte_array_new ();
      gsize length = 0;
      const guint8 *pattern = g_bytes_get_data (g_ptr_array_index (patterns, i), &length);

      g_byte_array_append (file, (const guint8 *) "padding before ", 15);
      g_byte_array_append (file, pattern, (guint) length);
      assert_true (g_file_set_contents (fixture->path, (const char *) file->data, file->len, NULL));
      assert_true (count_found (fixture->path, patterns) >= 1);
    }
}

static void
test_nothing_private_in_files (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(HpKeyring) keyring = hp_store_fixture_keyring (1);
  g_autoptr(HpStore) store = hp_store_fixture_open (fixture->path, keyring);
  g_autoptr(HpVisit) visit = private_visit ("private-visit", 1763600000);
  g_autoptr(HpVisit) loaded = NULL;
  g_autoptr(GPtrArray) patterns = all_private_patterns ();
  g_autoptr(GError) error = NULL;
  g_autofree char *wal_path = g_strconcat (fixture->path, "-wal", NULL);

  assert_true (hp_store_commit_visit (store, visit, &error));
  assert_null (error);

  /* While open, with the -wal and -shm in place, and after closing. */
  assert_true (g_file_test (wal_path, G_FILE_TEST_EXISTS));
  assert_int_equal (count_found (fixture->path, patterns), 0);

  loaded = hp_store_load_visit (store, "private-visit", &error);
  assert_null (error);
  hp_store_fixture_assert_visits_equal (visit, loaded);
  g_clear_object (&store);
  assert_int_equal (count_found (fixture->path, patterns), 0);
}

/* Plaintext rows of schema 2 become sealed, and no copy of them is left in
 * freed pages, the log or the main file. */
static void
test_migrated_plaintext_leaves_no_trace (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(HpKeyring) keyring = hp_store_fixture_keyring (1);
  g_autoptr(HpStore) store = NULL;
  g_autoptr(HpVisit) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) weight = encodings_of_value (PRIVATE_WEIGHT);
  g_autoptr(GPtrArray) serial = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  double value = 0;
  sqlite3 *raw;

  g_ptr_array_add (serial, g_bytes_new ("SERIAL-7731", 11));
  store = hp_store_open_at_version_with_keyring (fixture->path, NULL, 2, &error);
  assert_null (error);
  g_clear_object (&store);
  raw = hp_store_fixture_open_raw (fixture->path);
  hp_store_fixture_exec_raw (raw,
    "INSERT INTO visits VALUES ('old-visit', 1700000000000000, 1700000300000000, 'en');"
    "INSERT INTO measurements (id, visit_id, position, kind, device_id, kiosk_time, flags)"
    "  VALUES (1, 'old-visit', 0, 'body-weight', 'usb:0bda:0001:SERIAL-7731', 1700000100000000, 0);"
    "INSERT INTO measurement_values VALUES (1, 'body-weight', 93.7, 'kg');");
  sqlite3_close (raw);
  /* The plaintext is really there before the migration. */
  assert_true (count_found (fixture->path, weight) > 0);
  assert_true (count_found (fixture->path, serial) > 0);

  store = hp_store_fixture_open (fixture->path, keyring);
  loaded = hp_store_load_visit (store, "old-visit", &error);
  assert_null (error);
  assert_int_equal (hp_visit_get_n_measurements (loaded), 1);
  {
    g_autoptr(HpMeasurement) measurement = g_list_model_get_item (hp_visit_get_measurements (loaded), 0);

    assert_true (hp_measurement_get_value (measurement, HP_QUANTITY_BODY_WEIGHT, &value, NULL));
    assert_true (value == PRIVATE_WEIGHT);
    assert_string_equal (hp_measurement_get_device_id (measurement), "usb:0bda:0001:SERIAL-7731");
  }
  g_clear_object (&store);
  assert_int_equal (count_found (fixture->path, weight), 0);
  assert_int_equal (count_found (fixture->path, serial), 0);
}

static GBytes *
raw_blob (sqlite3    *raw,
          const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  GBytes *blob;

  assert_int_equal (sqlite3_prepare_v2 (raw, sql, -1, &stmt, NULL), SQLITE_OK);
  assert_int_equal (sqlite3_step (stmt), SQLITE_ROW);
  blob = g_bytes_new (sqlite3_column_blob (stmt, 0), (gsize) sqlite3_column_bytes (stmt, 0));
  sqlite3_finalize (stmt);
  return blob;
}

static void
raw_set_blob (sqlite3    *raw,
              const char *sql,
              GBytes     *blob)
{
  sqlite3_stmt *stmt = NULL;

  assert_int_equal (sqlite3_prepare_v2 (raw, sql, -1, &stmt, NULL), SQLITE_OK);
  sqlite3_bind_blob (stmt, 1, g_bytes_get_data (blob, NULL), (int) g_bytes_get_size (blob),
                     SQLITE_TRANSIENT);
  assert_int_equal (sqlite3_step (stmt), SQLITE_DONE);
  assert_int_equal (sqlite3_changes (raw), 1);
  sqlite3_finalize (stmt);
}

static void
assert_load_corrupt (HpStore    *store,
                     const char *visit_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpVisit) visit = hp_store_load_visit (store, visit_id, &error);

  assert_null (visit);
  hp_store_fixture_assert_error (error, HP_STORE_ERROR_CORRUPT);
  assert_null (strstr (error->message, "187"));
  assert_null (strstr (error->message, "ACY"));
}

static void
assert_load_same (HpStore *store,
                  HpVisit *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpVisit) visit = hp_store_load_visit (store, hp_visit_get_id (expected), &error);

  assert_null (error);
  hp_store_fixture_assert_visits_equal (expected, visit);
}

static void
test_tampering_refused (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(HpKeyring) keyring = hp_store_fixture_keyring (1);
  g_autoptr(HpStore) store = hp_store_fixture_open (fixture->path, keyring);
  g_autoptr(HpVisit) visit = private_visit ("tampered", 1763600000);
  g_autoptr(HpVisit) other = private_visit ("other", 1763700000);
  g_autoptr(GBytes) original = NULL;
  g_autoptr(GBytes) code = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  sqlite3 *raw;

  hp_visit_set_patient_code (other, "SOMEONE-ELSE");
  assert_true (hp_store_commit_visit (store, visit, &error));
  assert_true (hp_store_commit_visit (store, other, &error));
  raw = hp_store_fixture_open_raw (fixture->path);
  original = raw_blob (raw, "SELECT reading FROM measurements WHERE visit_id = 'tampered' AND position = 0");
  length = g_bytes_get_size (original);

  /* One byte of the ciphertext, of the nonce, of the tag, of the key id. */
  for (gsize i = 0; i < 4; i++)
    {
      static const gsize offsets[] = { 20, 6, 0, 2 };
      gsize at = i == 2 ? length - 1 : offsets[i];
      g_autofree guint8 *changed = g_memdup2 (g_bytes_get_data (original, NULL), length);
      g_autoptr(GBytes) bytes = NULL;

      changed[at] ^= 0x04;
      bytes = g_bytes_new (changed, length);
      raw_set_blob (raw, "UPDATE measurements SET reading = ?1 "
                         "WHERE visit_id = 'tampered' AND position = 0", bytes);
      assert_load_corrupt (store, "tampered");
    }
  raw_set_blob (raw, "UPDATE measurements SET reading = ?1 "
                     "WHERE visit_id = 'tampered' AND position = 0", original);
  assert_load_same (store, visit);

  /* Moved to another row: the other visit's first reading in its place. */
  {
    g_autoptr(GBytes) foreign = raw_blob (raw, "SELECT reading FROM measurements "
                                               "WHERE visit_id = 'other' AND position = 0");

    raw_set_blob (raw, "UPDATE measurements SET reading = ?1 "
                       "WHERE visit_id = 'tampered' AND position = 0", foreign);
    assert_load_corrupt (store, "tampered");
    raw_set_blob (raw, "UPDATE measurements SET reading = ?1 "
                       "WHERE visit_id = 'tampered' AND position = 0", original);
  }

  /* The AAD changed: the same row under another id. */
  hp_store_fixture_exec_raw (raw, "UPDATE measurements SET id = id + 1000 "
                                  "WHERE visit_id = 'tampered' AND position = 0");
  assert_load_corrupt (store, "tampered");
  hp_store_fixture_exec_raw (raw, "UPDATE measurements SET id = id - 1000 "
                                  "WHERE visit_id = 'tampered' AND position = 0");
  assert_load_same (store, visit);

  /* Moved to another column: the patient code sealed as a reading. */
  code = raw_blob (raw, "SELECT code FROM patients WHERE id = 1");
  raw_set_blob (raw, "UPDATE measurements SET reading = ?1 "
                     "WHERE visit_id = 'tampered' AND position = 0", code);
  assert_load_corrupt (store, "tampered");
  raw_set_blob (raw, "UPDATE measurements SET reading = ?1 "
                     "WHERE visit_id = 'tampered' AND position = 0", original);

  /* Two patients' codes swapped: each visit would carry the other's code. */
  {
    g_autoptr(GBytes) second = raw_blob (raw, "SELECT code FROM patients WHERE id = 2");

    raw_set_blob (raw, "UPDATE patients SET code = ?1 WHERE id = 1", second);
    raw_set_blob (raw, "UPDATE patients SET code = ?1 WHERE id = 2", code);
    assert_load_corrupt (store, "tampered");
    assert_load_corrupt (store, "other");
    raw_set_blob (raw, "UPDATE patients SET code = ?1 WHERE id = 1", code);
    raw_set_blob (raw, "UPDATE patients SET code = ?1 WHERE id = 2", second);
  }
  sqlite3_close (raw);
  assert_load_same (store, visit);
  assert_load_same (store, other);
}

static void
test_wrong_root_key (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(HpKeyring) right = hp_store_fixture_keyring (1);
  g_autoptr(HpKeyring) wrong = hp_store_fixture_keyring (2);
  g_autoptr(HpStore) store = hp_store_fixture_open (fixture->path, right);
  g_autoptr(HpVisit) visit = private_visit ("keyed", 1763600000);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;

  assert_true (hp_store_commit_visit (store, visit, &error));
  g_clear_object (&store);
  before = hp_store_fixture_read_bytes (fixture->path);

  store = hp_store_open_with_keyring (fixture->path, wrong, &error);
  assert_null (store);
  hp_store_fixture_assert_error (error, HP_STORE_ERROR_WRONG_KEY);
  assert_non_null (strstr (error->message, "wrong root key"));
  after = hp_store_fixture_read_bytes (fixture->path);
  assert_true (g_bytes_equal (before, after));

  g_clear_error (&error);
  store = hp_store_fixture_open (fixture->path, right);
  assert_load_same (store, visit);
}

static guint32
key_id_of_reading (const char *path,
                   const char *visit_id)
{
  sqlite3 *raw = hp_store_fixture_open_raw (path);
  g_autofree char *sql = g_strdup_printf ("SELECT reading FROM measurements "
                                          "WHERE visit_id = '%s' AND position = 0", visit_id);
  g_autoptr(GBytes) blob = raw_blob (raw, sql);
  const guint8 *bytes = g_bytes_get_data (blob, NULL);

  sqlite3_close (raw);
  return (guint32) bytes[1] << 24 | (guint32) bytes[2] << 16 | (guint32) bytes[3] << 8 | bytes[4];
}

static void
test_data_key_rotation (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(HpKeyring) keyring = hp_store_fixture_keyring (1);
  g_autoptr(HpStore) store = hp_store_fixture_open (fixture->path, keyring);
  g_autoptr(HpVisit) before = private_visit ("before", 1763600000);
  g_autoptr(HpVisit) after = private_visit ("after", 1763700000);
  g_autoptr(GError) error = NULL;
  guint32 old_id, new_id;

  assert_true (hp_store_commit_visit (store, before, &error));
  old_id = key_id_of_reading (fixture->path, "before");
  new_id = hp_store_rotate_data_key (store, &error);
  assert_null (error);
  assert_true (new_id > old_id);
  assert_true (hp_store_commit_visit (store, after, &error));
  assert_int_equal (key_id_of_reading (fixture->path, "after"), new_id);
  assert_int_equal (key_id_of_reading (fixture->path, "before"), old_id);
  assert_load_same (store, before);
  assert_load_same (store, after);

  /* A second connection, opened before the rotation, reads the new rows. */
  g_clear_object (&store);
  store = hp_store_fixture_open (fixture->path, keyring);
  assert_load_same (store, before);
  assert_load_same (store, after);
}

static void
test_root_key_rewrap (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(HpKeyring) old_root = hp_store_fixture_keyring (1);
  g_autoptr(HpKeyring) new_root = hp_store_fixture_keyring (3);
  g_autoptr(HpStore) store = hp_store_fixture_open (fixture->path, old_root);
  g_autoptr(HpVisit) visit = private_visit ("rewrapped", 1763600000);
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;

  assert_true (hp_store_commit_visit (store, visit, &error));
  assert_true (hp_store_rotate_data_key (store, &error) != 0);
  assert_true (hp_store_rewrap_keys (store, new_root, &error));
  assert_null (error);
  /* The same connection goes on with the new root key. */
  history = hp_store_list_patient_visits (store, PRIVATE_CODE, 0, &error);
  assert_null (error);
  assert_int_equal (history->len, 1);
  g_clear_pointer (&history, g_ptr_array_unref);
  g_clear_object (&store);

  store = hp_store_open_with_keyring (fixture->path, old_root, &error);
  assert_null (store);
  hp_store_fixture_assert_error (error, HP_STORE_ERROR_WRONG_KEY);
  g_clear_error (&error);

  store = hp_store_fixture_open (fixture->path, new_root);
  assert_load_same (store, visit);
  history = hp_store_list_patient_visits (store, PRIVATE_CODE, 0, &error);
  assert_null (error);
  assert_int_equal (history->len, 1);
  hp_store_fixture_assert_visits_equal (visit, g_ptr_array_index (history, 0));
}

static HpMeasurement *
cuff_reading (double      systolic,
              const char *device_id,
              GDateTime  *device_time)
{
  HpMeasurement *pressure = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_PRESSURE);

  hp_measurement_set_value (pressure, HP_QUANTITY_SYSTOLIC, systolic, "mm[Hg]");
  hp_measurement_set_value (pressure, HP_QUANTITY_DIASTOLIC, 80, "mm[Hg]");
  hp_measurement_set_device_id (pressure, device_id);
  hp_measurement_set_device_time (pressure, device_time);
  return pressure;
}

static HpVisit *
visit_of (const char      *id,
          HpMeasurement  **readings,
          guint            n)
{
  g_autoptr(GDateTime) start = utc (1763600000);
  g_autoptr(GDateTime) end = utc (1763600300);
  HpVisit *visit = hp_visit_new_full (id, start);

  for (guint i = 0; i < n; i++)
    hp_visit_add_measurement (visit, readings[i]);
  hp_visit_set_finished_at (visit, end);
  return visit;
}

static void
test_same_reading_stored_once (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(HpKeyring) keyring = hp_store_fixture_keyring (1);
  g_autoptr(HpStore) store = hp_store_fixture_open (fixture->path, keyring);
  g_autoptr(GDateTime) t1 = utc (1763600060);
  g_autoptr(GDateTime) t2 = utc (1763600120);
  g_autoptr(HpMeasurement) a = cuff_reading (131, "cuff-1", t1);
  g_autoptr(HpMeasurement) a_again = cuff_reading (131, "cuff-1", t1);
  g_autoptr(HpMeasurement) b = cuff_reading (129, "cuff-1", t2);
  g_autoptr(HpMeasurement) other_device = cuff_reading (131, "cuff-2", t1);
  g_autoptr(HpMeasurement) timeless = cuff_reading (120, "cuff-1", NULL);
  g_autoptr(HpMeasurement) timeless_again = cuff_reading (120, "cuff-1", NULL);
  HpMeasurement *first[] = { a, a_again, timeless };
  HpMeasurement *second[] = { a_again, b, other_device, timeless_again };
  g_autoptr(HpVisit) one = visit_of ("one", first, G_N_ELEMENTS (first));
  g_autoptr(HpVisit) two = visit_of ("two", second, G_N_ELEMENTS (second));
  g_autoptr(HpVisit) loaded_one = NULL;
  g_autoptr(HpVisit) loaded_two = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *raw;

  assert_true (hp_store_commit_visit (store, one, &error));
  assert_true (hp_store_commit_visit (store, two, &error));
  assert_null (error);

  /* "one" keeps a and the timeless reading; "two" loses its repeat of a
   * but keeps b, the other device's reading and its timeless one, which
   * nothing tells apart from a real second measurement. */
  loaded_one = hp_store_load_visit (store, "one", &error);
  loaded_two = hp_store_load_visit (store, "two", &error);
  assert_null (error);
  assert_int_equal (hp_visit_get_n_measurements (loaded_one), 2);
  assert_int_equal (hp_visit_get_n_measurements (loaded_two), 3);
  raw = hp_store_fixture_open_raw (fixture->path);
  assert_int_equal (hp_store_fixture_query_int (raw, "SELECT count(*) FROM measurements"), 5);
  assert_int_equal (hp_store_fixture_query_int (raw, "SELECT count(*) FROM measurements "
                                                     "WHERE dedupe_key IS NULL"), 2);
  sqlite3_close (raw);
}

static void
test_patient_history (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(HpKeyring) keyring = hp_store_fixture_keyring (1);
  g_autoptr(HpStore) store = hp_store_fixture_open (fixture->path, keyring);
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  const gint64 starts[] = { 1763000000, 1763900000, 1763500000 };

  for (guint i = 0; i < G_N_ELEMENTS (starts); i++)
    {
      g_autofree char *id = g_strdup_printf ("mine-%u", i);
      g_autoptr(HpVisit) visit = private_visit (id, starts[i]);

      /* However the code was typed, it is the same patient. */
      if (i == 1)
        hp_visit_set_patient_code (visit, " priv-acy1 ");
      assert_true (hp_store_commit_visit (store, visit, &error));
    }
  {
    g_autoptr(HpVisit) theirs = private_visit ("theirs", 1763950000);
    g_autoptr(HpVisit) anonymous = private_visit ("anonymous", 1763960000);

    hp_visit_set_patient_code (theirs, "PRIV-ACY2");
    hp_visit_set_patient_code (anonymous, NULL);
    assert_true (hp_store_commit_visit (store, theirs, &error));
    assert_true (hp_store_commit_visit (store, anonymous, &error));
  }
  assert_null (error);

  history = hp_store_list_patient_visits (store, "Priv-Acy1", 0, &error);
  assert_null (error);
  assert_int_equal (history->len, 3);
  assert_string_equal (hp_visit_get_id (g_ptr_array_index (history, 0)), "mine-1");
  assert_string_equal (hp_visit_get_id (g_ptr_array_index (history, 1)), "mine-2");
  assert_string_equal (hp_visit_get_id (g_ptr_array_index (history, 2)), "mine-0");
  assert_string_equal (hp_visit_get_patient_code (g_ptr_array_index (history, 0)), PRIVATE_CODE);
  assert_int_equal (hp_visit_get_n_measurements (g_ptr_array_index (history, 0)), 3);
  g_clear_pointer (&history, g_ptr_array_unref);

  history = hp_store_list_patient_visits (store, PRIVATE_CODE, 2, &error);
  assert_int_equal (history->len, 2);
  g_clear_pointer (&history, g_ptr_array_unref);

  history = hp_store_list_patient_visits (store, "NOBODY-1", 0, &error);
  assert_null (error);
  assert_int_equal (history->len, 0);
  g_clear_pointer (&history, g_ptr_array_unref);

  history = hp_store_list_patient_visits (store, " \t", 0, &error);
  assert_null (history);
  hp_store_fixture_assert_error (error, HP_STORE_ERROR_INVALID);
}

static void
test_settings (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(HpKeyring) keyring = hp_store_fixture_keyring (1);
  g_autoptr(HpStore) store = hp_store_fixture_open (fixture->path, keyring);
  g_autofree char *value = NULL;
  g_autoptr(GError) error = NULL;

  value = hp_store_get_setting (store, "kiosk-name", &error);
  assert_null (value);
  hp_store_fixture_assert_error (error, HP_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  assert_true (hp_store_set_setting (store, "kiosk-name", "lobby", &error));
  assert_true (hp_store_set_setting (store, "kiosk-name", "pharmacy", &error));
  value = hp_store_get_setting (store, "kiosk-name", &error);
  assert_null (error);
  assert_string_equal (value, "pharmacy");
}

static void
test_old_schema_stays_locked (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(HpStore) store = NULL;
  g_autoptr(HpVisit) visit = private_visit ("too-early", 1763600000);
  g_autoptr(GError) error = NULL;

  store = hp_store_open_at_version_with_keyring (fixture->path, NULL, 2, &error);
  assert_non_null (store);
  assert_false (hp_store_commit_visit (store, visit, &error));
  hp_store_fixture_assert_error (error, HP_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_object (&store);

  store = hp_store_open_at_version_with_keyring (fixture->path, NULL, 3, &error);
  assert_null (store);
  hp_store_fixture_assert_error (error, HP_STORE_ERROR_INVALID);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_scanner_finds_plaintext, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_nothing_private_in_files, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_migrated_plaintext_leaves_no_trace, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_tampering_refused, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_wrong_root_key, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_data_key_rotation, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_root_key_rewrap, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_same_reading_stored_once, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_patient_history, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_settings, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_old_schema_stays_locked, hp_store_fixture_setup, hp_store_fixture_teardown),
  };

  return cmocka_run_group_tests_name ("store-sealed", tests, NULL, NULL);
}
