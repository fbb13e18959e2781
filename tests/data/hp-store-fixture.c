/* Shared setup for the store tests: a private temporary folder, sample visits and deep comparisons. */
#include "hp-store-fixture.h"

#include <glib/gstdio.h>

#include "hp-keyring.h"
#include "hp-store-private.h"
#include "hp-test-util.h"

int
hp_store_fixture_setup (void **state)
{
  g_autoptr(GError) error = NULL;
  HpStoreFixture *fixture = g_new0 (HpStoreFixture, 1);

  fixture->dir = g_dir_make_tmp ("hp-store-test-XXXXXX", &error);
  if (fixture->dir == NULL)
    {
      g_printerr ("Cannot make a temporary folder: %s\n", error->message);
      g_free (fixture);
      return -1;
    }
  fixture->path = g_build_filename (fixture->dir, "healthpost.db", NULL);
  *state = fixture;
  return 0;
}

int
hp_store_fixture_teardown (void **state)
{
  HpStoreFixture *fixture = *state;
  int result = hp_test_tmpdir_remove (fixture->dir) ? 0 : -1;

  g_free (fixture->dir);
  g_free (fixture->path);
  g_free (fixture);
  return result;
}

static GDateTime *
utc_from_ms (gint64 unix_ms)
{
  g_autoptr(GDateTime) whole = g_date_time_new_from_unix_utc (unix_ms / 1000);

  return g_date_time_add (whole, (unix_ms % 1000) * 1000);
}

HpVisit *
hp_store_fixture_small_visit (const char *id,
                              gint64      finished_at_unix_ms)
{
  g_autoptr(GDateTime) started = utc_from_ms (finished_at_unix_ms - 240000);
  g_autoptr(GDateTime) finished = utc_from_ms (finished_at_unix_ms);
  g_autoptr(GDateTime) taken = utc_from_ms (finished_at_unix_ms - 60000);
  g_autoptr(HpMeasurement) pressure = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_PRESSURE);
  HpVisit *visit = hp_visit_new_full (id, started);

  hp_measurement_set_value (pressure, HP_QUANTITY_SYSTOLIC, 121, "mmHg");
  hp_measurement_set_value (pressure, HP_QUANTITY_DIASTOLIC, 79, "mmHg");
  hp_measurement_set_value (pressure, HP_QUANTITY_PULSE_RATE, 64, "bpm");
  hp_measurement_set_device_id (pressure, "cuff-0001");
  hp_measurement_set_kiosk_time (pressure, taken);
  hp_visit_add_measurement (visit, pressure);
  hp_visit_set_finished_at (visit, finished);
  return visit;
}

HpVisit *
hp_store_fixture_sample_visit (const char *id,
                               gint64      finished_at_unix_ms)
{
  g_autoptr(GTimeZone) nairobi = g_time_zone_new_offset (3 * 3600);
  g_autoptr(GDateTime) started = utc_from_ms (finished_at_unix_ms - 600000);
  g_autoptr(GDateTime) finished = utc_from_ms (finished_at_unix_ms);
  g_autoptr(GDateTime) device_time = NULL;
  g_autoptr(GDateTime) device_time_utc = NULL;
  g_autoptr(GDateTime) kiosk_time = NULL;
  g_autoptr(HpMeasurement) pressure = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_PRESSURE);
  g_autoptr(HpMeasurement) weight = hp_measurement_new (HP_MEASUREMENT_KIND_BODY_WEIGHT);
  g_autoptr(HpMeasurement) glucose = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_GLUCOSE);
  g_autoptr(HpMeasurement) pressure_again = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_PRESSURE);
  HpVisit *visit = hp_visit_new_full (id, started);

  hp_visit_set_language (visit, "sw");

  /* Microseconds too, and a device clock in another zone. */
  device_time_utc = g_date_time_add (started, 61 * G_USEC_PER_SEC + 123457);
  device_time = g_date_time_to_timezone (device_time_utc, nairobi);
  kiosk_time = g_date_time_add (started, 62 * G_USEC_PER_SEC + 1);
  hp_measurement_set_value (pressure, HP_QUANTITY_SYSTOLIC, 137.5, "mmHg");
  hp_measurement_set_value (pressure, HP_QUANTITY_DIASTOLIC, 88, "mmHg");
  hp_measurement_set_value (pressure, HP_QUANTITY_MEAN_ARTERIAL, 104.3333333333333, "mmHg");
  hp_measurement_set_value (pressure, HP_QUANTITY_PULSE_RATE, 71, "bpm");
  hp_measurement_set_device_id (pressure, "usb:0590:0028:SN12345");
  hp_measurement_set_device_time (pressure, device_time);
  hp_measurement_set_kiosk_time (pressure, kiosk_time);
  hp_visit_add_measurement (visit, pressure);

  g_clear_pointer (&kiosk_time, g_date_time_unref);
  kiosk_time = g_date_time_add (started, 180 * G_USEC_PER_SEC + 999000);
  hp_measurement_set_value (weight, HP_QUANTITY_BODY_WEIGHT, 71.25, "kg");
  hp_measurement_set_device_id (weight, "usb:0bda:0001:scale");
  hp_measurement_set_flags (weight, HP_MEASUREMENT_FLAG_DEVICE_CLOCK_INVALID);
  hp_measurement_set_kiosk_time (weight, kiosk_time);
  hp_visit_add_measurement (visit, weight);

  g_clear_pointer (&kiosk_time, g_date_time_unref);
  kiosk_time = g_date_time_add (started, 300 * G_USEC_PER_SEC + 5000);
  hp_measurement_set_value (glucose, HP_QUANTITY_BLOOD_GLUCOSE, 5.4, "mmol/L");
  hp_measurement_set_kiosk_time (glucose, kiosk_time);
  hp_visit_add_measurement (visit, glucose);

  g_clear_pointer (&kiosk_time, g_date_time_unref);
  kiosk_time = g_date_time_add (started, 420 * G_USEC_PER_SEC);
  hp_measurement_set_value (pressure_again, HP_QUANTITY_SYSTOLIC, 131, "mm[Hg]");
  hp_measurement_set_value (pressure_again, HP_QUANTITY_DIASTOLIC, 85, "mm[Hg]");
  hp_measurement_set_device_id (pressure_again, "usb:0590:0028:SN12345");
  hp_measurement_set_kiosk_time (pressure_again, kiosk_time);
  hp_visit_add_measurement (visit, pressure_again);

  hp_visit_set_finished_at (visit, finished);
  return visit;
}

HpKeyring *
hp_store_fixture_keyring (guint8 seed)
{
  g_autoptr(GError) error = NULL;
  guint8 root_key[HP_KEYRING_ROOT_KEY_SIZE];
  HpKeyring *keyring;

  for (guint i = 0; i < sizeof root_key; i++)
    root_key[i] = (guint8) (seed * 31 + i * 7 + 1);
  keyring = hp_keyring_new_from_bytes (root_key, sizeof root_key, &error);
  if (keyring == NULL)
    fail_msg ("test keyring: %s", error->message);
  return keyring;
}

HpStore *
hp_store_fixture_open (const char *path,
                       HpKeyring  *keyring)
{
  g_autoptr(GError) error = NULL;
  HpStore *store = hp_store_open_with_keyring (path, keyring, &error);

  if (store == NULL)
    fail_msg ("cannot open %s: %s", path, error->message);
  return store;
}

void
hp_store_fixture_audit_key (HpStore *store,
                            guint8   key[32])
{
  g_autoptr(GError) error = NULL;

  if (!hp_keyring_derive (hp_store_get_keyring (store), HP_KEYRING_PURPOSE_AUDIT_HMAC,
                          key, 32, &error))
    fail_msg ("cannot derive the audit key: %s", error->message);
}

static void
assert_same_instant (GDateTime *expected,
                     GDateTime *actual)
{
  if (expected == NULL || actual == NULL)
    {
      assert_ptr_equal (expected, actual);
      return;
    }
  assert_int_equal (g_date_time_to_unix (expected), g_date_time_to_unix (actual));
  assert_int_equal (g_date_time_get_microsecond (expected), g_date_time_get_microsecond (actual));
}

static void
assert_measurements_equal (HpMeasurement *expected,
                           HpMeasurement *actual)
{
  assert_int_equal (hp_measurement_get_kind (expected), hp_measurement_get_kind (actual));
  for (guint q = 0; q <= HP_QUANTITY_LAST; q++)
    {
      double expected_value = 0, actual_value = 0;
      const char *expected_unit = NULL, *actual_unit = NULL;
      gboolean has_expected = hp_measurement_get_value (expected, q, &expected_value, &expected_unit);
      gboolean has_actual = hp_measurement_get_value (actual, q, &actual_value, &actual_unit);

      assert_int_equal (has_expected, has_actual);
      if (!has_expected)
        continue;
      /* Bit for bit: REAL columns keep every double exactly. */
      assert_memory_equal (&expected_value, &actual_value, sizeof (double));
      assert_string_equal (expected_unit, actual_unit);
    }
  if (hp_measurement_get_device_id (expected) == NULL)
    assert_null (hp_measurement_get_device_id (actual));
  else
    assert_string_equal (hp_measurement_get_device_id (expected),
                         hp_measurement_get_device_id (actual));
  assert_same_instant (hp_measurement_get_device_time (expected),
                       hp_measurement_get_device_time (actual));
  assert_same_instant (hp_measurement_get_kiosk_time (expected),
                       hp_measurement_get_kiosk_time (actual));
  assert_int_equal (hp_measurement_get_flags (expected), hp_measurement_get_flags (actual));
}

void
hp_store_fixture_assert_visits_equal (HpVisit *expected,
                                      HpVisit *actual)
{
  GListModel *expected_list;
  GListModel *actual_list;
  guint n;

  assert_non_null (actual);
  expected_list = hp_visit_get_measurements (expected);
  actual_list = hp_visit_get_measurements (actual);
  n = g_list_model_get_n_items (expected_list);
  assert_string_equal (hp_visit_get_id (expected), hp_visit_get_id (actual));
  assert_string_equal (hp_visit_get_language (expected), hp_visit_get_language (actual));
  if (hp_visit_get_patient_code (expected) == NULL)
    assert_null (hp_visit_get_patient_code (actual));
  else
    assert_string_equal (hp_visit_get_patient_code (expected), hp_visit_get_patient_code (actual));
  assert_same_instant (hp_visit_get_started_at (expected), hp_visit_get_started_at (actual));
  assert_same_instant (hp_visit_get_finished_at (expected), hp_visit_get_finished_at (actual));
  assert_int_equal (n, g_list_model_get_n_items (actual_list));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HpMeasurement) e = g_list_model_get_item (expected_list, i);
      g_autoptr(HpMeasurement) a = g_list_model_get_item (actual_list, i);

      assert_measurements_equal (e, a);
    }
}

void
hp_store_fixture_assert_error (const GError *error,
                               int           code)
{
  assert_non_null (error);
  if (error->domain != HP_STORE_ERROR || error->code != code)
    fail_msg ("expected store error %d, got %s %d: %s", code,
              g_quark_to_string (error->domain), error->code, error->message);
}

GBytes *
hp_store_fixture_read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, &error))
    fail_msg ("cannot read %s: %s", path, error->message);
  return g_bytes_new_take (contents, length);
}

void
hp_store_fixture_write_private (const char *path,
                                const void *data,
                                gsize       length)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents_full (path, data, (gssize) length,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    fail_msg ("cannot write %s: %s", path, error->message);
}

sqlite3 *
hp_store_fixture_open_raw (const char *path)
{
  sqlite3 *db = NULL;

  assert_int_equal (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

void
hp_store_fixture_exec_raw (sqlite3    *db,
                           const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    fail_msg ("%s: %s", sql, message);
}

gint64
hp_store_fixture_query_int (sqlite3    *db,
                            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    fail_msg ("%s: %s", sql, sqlite3_errmsg (db));
  assert_int_equal (sqlite3_step (stmt), SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static int
compare_names (const void *a,
               const void *b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

GStrv
hp_store_fixture_list_dir (const char *dir_path)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  const char *name;
  GStrv result;

  assert_non_null (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_strv_builder_add (names, name);
  result = g_strv_builder_end (names);
  qsort (result, g_strv_length (result), sizeof (char *), compare_names);
  return result;
}
