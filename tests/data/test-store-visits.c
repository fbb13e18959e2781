/* Tests of committing visits to the store and reading them back, whole or not at all. */
#include "hp-store-fixture.h"

#include <math.h>
#include <string.h>

static HpStore *
open_store (HpStoreFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  HpStore *store = hp_store_open_demo (fixture->path, &error);

  assert_null (error);
  assert_non_null (store);
  return store;
}

static void
assert_commits (HpStore *store,
                HpVisit *visit)
{
  g_autoptr(GError) error = NULL;

  if (!hp_store_commit_visit (store, visit, &error))
    fail_msg ("commit failed: %s", error->message);
}

static void
assert_count (HpStore *store,
              gint64   expected)
{
  g_autoptr(GError) error = NULL;

  assert_int_equal (hp_store_count_visits (store, &error), expected);
  assert_null (error);
}

/* The database's path, which the message may name, is the test's own
 * random folder: its letters and digits are no patient's values. */
static void
assert_no_patient_value_in (const char *message,
                            const char *database_path)
{
  static const char * const values[] = { "137", "88", "104", "71", "5.4", "131", "85", "injected", "FAIL" };
  g_auto(GStrv) parts = g_strsplit (message, database_path, -1);
  g_autofree char *without_path = g_strjoinv ("<database>", parts);

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    if (strstr (without_path, values[i]) != NULL)
      fail_msg ("error message quotes '%s': %s", values[i], message);
}

static void
test_commit_then_load (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStore) store = open_store (fixture);
  g_autoptr(HpVisit) visit = hp_store_fixture_sample_visit ("3f2b6c1e-8d4a-4e5b-9c7d-0a1b2c3d4e5f",
                                                           1763700000123);
  g_autoptr(HpVisit) loaded = NULL;

  assert_commits (store, visit);
  loaded = hp_store_load_visit (store, hp_visit_get_id (visit), &error);
  assert_null (error);
  hp_store_fixture_assert_visits_equal (visit, loaded);

  /* And from a fresh connection, so nothing came from a cache. */
  g_clear_object (&loaded);
  g_clear_object (&store);
  store = open_store (fixture);
  loaded = hp_store_load_visit (store, hp_visit_get_id (visit), &error);
  assert_null (error);
  hp_store_fixture_assert_visits_equal (visit, loaded);
  assert_count (store, 1);
}

/* A visit keeps its height, and each blood-sugar test the answer about
 * eating given before it: a later view of a stored visit reads them as the
 * screen did (110 mg/dL fasting stays prediabetes, 180 cm stays 180 cm). */
static void
test_height_and_fasting_kept (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStore) store = open_store (fixture);
  g_autoptr(GDateTime) started = g_date_time_new_from_unix_utc (1763700000);
  g_autoptr(HpVisit) visit = hp_visit_new_full ("5d0c7a2e-1b3f-4c6d-8e9f-0a1b2c3d4e5f",
                                                started);
  g_autoptr(HpVisit) loaded = NULL;
  g_autoptr(HpMeasurement) fasting = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_GLUCOSE);
  g_autoptr(HpMeasurement) after_meal = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_GLUCOSE);
  g_autoptr(HpMeasurement) weight = hp_measurement_new (HP_MEASUREMENT_KIND_BODY_WEIGHT);
  g_autoptr(GDateTime) finished = g_date_time_add_minutes (hp_visit_get_started_at (visit), 5);
  HpInterpretation meaning = { 0 };
  double bmi = 0;

  hp_visit_set_language (visit, "en");
  hp_measurement_set_value (fasting, HP_QUANTITY_BLOOD_GLUCOSE, 110, "mg/dL");
  hp_measurement_set_value (after_meal, HP_QUANTITY_BLOOD_GLUCOSE, 110, "mg/dL");
  hp_measurement_set_value (weight, HP_QUANTITY_BODY_WEIGHT, 81, "kg");
  hp_visit_set_fasting (visit, HP_FASTING_YES);
  hp_visit_add_measurement (visit, fasting);
  hp_visit_set_fasting (visit, HP_FASTING_NO);
  hp_visit_add_measurement (visit, after_meal);
  assert_true (hp_visit_set_height_cm (visit, 180));
  hp_visit_add_measurement (visit, weight);
  hp_visit_set_finished_at (visit, finished);
  assert_commits (store, visit);

  g_clear_object (&store);
  store = open_store (fixture);
  loaded = hp_store_load_visit (store, hp_visit_get_id (visit), &error);
  assert_null (error);
  assert_non_null (loaded);
  assert_float_equal (hp_visit_get_height_cm (loaded), 180, 1e-9);
  {
    g_autoptr(HpMeasurement) first = g_list_model_get_item (hp_visit_get_measurements (loaded), 0);
    g_autoptr(HpMeasurement) second = g_list_model_get_item (hp_visit_get_measurements (loaded), 1);
    g_autoptr(HpMeasurement) third = g_list_model_get_item (hp_visit_get_measurements (loaded), 2);

    assert_int_equal (hp_visit_get_measurement_fasting (loaded, first), HP_FASTING_YES);
    assert_true (hp_visit_interpret (loaded, first, NULL, &meaning));
    assert_int_equal (meaning.category, HP_CATEGORY_GLUCOSE_PREDIABETES);
    assert_int_equal (hp_visit_get_measurement_fasting (loaded, second), HP_FASTING_NO);
    assert_true (hp_visit_interpret (loaded, second, NULL, &meaning));
    assert_int_equal (meaning.category, HP_CATEGORY_GLUCOSE_NORMAL);
    assert_true (hp_visit_interpret (loaded, third, &bmi, &meaning));
    assert_float_equal (bmi, 81 / (1.8 * 1.8), 1e-9);
  }
}

/* The schema's CHECKs list kinds and quantities by name: this fails when
 * the enums grow without a schema step to match. */
static void
test_every_kind_and_quantity (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStore) store = open_store (fixture);
  g_autoptr(GDateTime) started = g_date_time_new_from_unix_utc (1763700000);
  g_autoptr(GDateTime) finished = g_date_time_add_seconds (started, 300.0015);
  g_autoptr(HpVisit) visit = hp_visit_new_full ("every-kind", started);
  g_autoptr(HpVisit) loaded = NULL;

  for (guint kind = 0; kind <= HP_MEASUREMENT_KIND_LAST; kind++)
    {
      g_autoptr(HpMeasurement) measurement = hp_measurement_new (kind);

      for (guint q = 0; q <= HP_QUANTITY_LAST; q++)
        hp_measurement_set_value (measurement, q, kind * 100.0 + q + 0.1, hp_quantity_to_string (q));
      hp_visit_add_measurement (visit, measurement);
    }
  hp_visit_set_finished_at (visit, finished);

  assert_commits (store, visit);
  loaded = hp_store_load_visit (store, "every-kind", &error);
  assert_null (error);
  hp_store_fixture_assert_visits_equal (visit, loaded);
}

static void
test_count_and_list (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStore) store = open_store (fixture);
  g_auto(GStrv) ids = NULL;
  /* Committed out of order; finished_at alone decides the listing. */
  static const struct { const char *id; gint64 finished_ms; } visits[] = {
    { "middle", 1763700000500 },
    { "oldest", 1763600000000 },
    { "newest", 1763800000000 },
    { "middle-later-by-1ms", 1763700000501 },
  };

  ids = hp_store_list_visit_ids (store, 0, &error);
  assert_null (error);
  assert_non_null (ids);
  assert_int_equal (g_strv_length (ids), 0);
  g_clear_pointer (&ids, g_strfreev);
  assert_count (store, 0);

  for (guint i = 0; i < G_N_ELEMENTS (visits); i++)
    {
      g_autoptr(HpVisit) visit = hp_store_fixture_small_visit (visits[i].id, visits[i].finished_ms);

      assert_commits (store, visit);
    }
  assert_count (store, 4);

  ids = hp_store_list_visit_ids (store, 0, &error);
  assert_null (error);
  assert_int_equal (g_strv_length (ids), 4);
  assert_string_equal (ids[0], "newest");
  assert_string_equal (ids[1], "middle-later-by-1ms");
  assert_string_equal (ids[2], "middle");
  assert_string_equal (ids[3], "oldest");
  g_clear_pointer (&ids, g_strfreev);

  ids = hp_store_list_visit_ids (store, 2, &error);
  assert_null (error);
  assert_int_equal (g_strv_length (ids), 2);
  assert_string_equal (ids[0], "newest");
  assert_string_equal (ids[1], "middle-later-by-1ms");
}

static void
test_visit_without_measurements (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStore) store = open_store (fixture);
  g_autoptr(HpVisit) visit = hp_visit_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(HpVisit) loaded = NULL;

  hp_visit_set_finished_at (visit, now);
  assert_commits (store, visit);
  loaded = hp_store_load_visit (store, hp_visit_get_id (visit), &error);
  assert_null (error);
  hp_store_fixture_assert_visits_equal (visit, loaded);
}

static void
test_load_unknown_visit (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStore) store = open_store (fixture);
  g_autoptr(HpVisit) loaded = NULL;

  loaded = hp_store_load_visit (store, "never-committed", &error);
  assert_null (loaded);
  hp_store_fixture_assert_error (error, HP_STORE_ERROR_NOT_FOUND);
}

static void
assert_nothing_of (sqlite3    *raw,
                   const char *visit_id)
{
  sqlite3_stmt *stmt = NULL;

  assert_int_equal (sqlite3_prepare_v2 (raw,
    "SELECT (SELECT count(*) FROM visits WHERE id = ?1),"
    "       (SELECT count(*) FROM measurements WHERE visit_id = ?1),"
    "       (SELECT count(*) FROM patients"
    "        WHERE id NOT IN (SELECT patient_id FROM visits WHERE patient_id IS NOT NULL))",
    -1, &stmt, NULL), SQLITE_OK);
  sqlite3_bind_text (stmt, 1, visit_id, -1, SQLITE_STATIC);
  assert_int_equal (sqlite3_step (stmt), SQLITE_ROW);
  assert_int_equal (sqlite3_column_int (stmt, 0), 0);
  assert_int_equal (sqlite3_column_int (stmt, 1), 0);
  assert_int_equal (sqlite3_column_int (stmt, 2), 0);
  sqlite3_finalize (stmt);
}

static void
assert_commit_fails_cleanly (HpStoreFixture *fixture,
                             HpStore        *store,
                             HpVisit        *visit,
                             gint64          measurements_before)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *raw;

  assert_false (hp_store_commit_visit (store, visit, &error));
  hp_store_fixture_assert_error (error, HP_STORE_ERROR_WRITE);
  assert_no_patient_value_in (error->message, fixture->path);

  raw = hp_store_fixture_open_raw (fixture->path);
  assert_nothing_of (raw, hp_visit_get_id (visit));
  assert_int_equal (hp_store_fixture_query_int (raw, "SELECT count(*) FROM measurements"),
                    measurements_before);
  sqlite3_close (raw);
  assert_count (store, 1);
}

/* Another connection adds triggers that abort inside the transaction: once
 * on the 2nd measurement row, once on the new patient, written first. */
static void
test_failed_commit_leaves_nothing (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStore) store = open_store (fixture);
  g_autoptr(HpVisit) kept = hp_store_fixture_small_visit ("kept", 1763600000000);
  g_autoptr(HpVisit) visit = hp_store_fixture_sample_visit ("failing", 1763700000000);
  g_autoptr(HpVisit) loaded = NULL;
  gint64 measurements_before;
  sqlite3 *raw;

  hp_visit_set_patient_code (visit, "FAIL-0001");
  assert_commits (store, kept);
  raw = hp_store_fixture_open_raw (fixture->path);
  measurements_before = hp_store_fixture_query_int (raw, "SELECT count(*) FROM measurements");
  assert_int_equal (measurements_before, 1);

  hp_store_fixture_exec_raw (raw,
    "CREATE TRIGGER fail_second_measurement AFTER INSERT ON measurements "
    "WHEN NEW.position = 1 BEGIN SELECT RAISE (ABORT, 'injected failure'); END");
  assert_commit_fails_cleanly (fixture, store, visit, measurements_before);

  hp_store_fixture_exec_raw (raw,
    "DROP TRIGGER fail_second_measurement;"
    "CREATE TRIGGER fail_patient AFTER INSERT ON patients "
    "BEGIN SELECT RAISE (ABORT, 'injected failure'); END");
  assert_commit_fails_cleanly (fixture, store, visit, measurements_before);

  hp_store_fixture_exec_raw (raw, "DROP TRIGGER fail_patient");
  sqlite3_close (raw);

  assert_commits (store, visit);
  assert_count (store, 2);
  loaded = hp_store_load_visit (store, "failing", &error);
  assert_null (error);
  hp_store_fixture_assert_visits_equal (visit, loaded);
}

static void
test_unfinished_visit_rejected (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStore) store = open_store (fixture);
  g_autoptr(HpVisit) visit = hp_store_fixture_small_visit ("unfinished", 1763700000000);

  hp_visit_set_finished_at (visit, NULL);
  assert_false (hp_store_commit_visit (store, visit, &error));
  hp_store_fixture_assert_error (error, HP_STORE_ERROR_INVALID);
  assert_count (store, 0);
}

static void
test_duplicate_id_keeps_first (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStore) store = open_store (fixture);
  g_autoptr(HpVisit) first = hp_store_fixture_sample_visit ("same-id", 1763700000000);
  g_autoptr(HpVisit) second = hp_store_fixture_small_visit ("same-id", 1763800000000);
  g_autoptr(HpVisit) loaded = NULL;
  g_auto(GStrv) ids = NULL;

  assert_commits (store, first);
  hp_visit_set_language (second, "de");
  assert_false (hp_store_commit_visit (store, second, &error));
  hp_store_fixture_assert_error (error, HP_STORE_ERROR_INVALID);
  g_clear_error (&error);

  assert_count (store, 1);
  loaded = hp_store_load_visit (store, "same-id", &error);
  assert_null (error);
  hp_store_fixture_assert_visits_equal (first, loaded);
  ids = hp_store_list_visit_ids (store, 0, &error);
  assert_null (error);
  assert_int_equal (g_strv_length (ids), 1);
}

static void
test_non_finite_value_rejected (void **state)
{
  HpStoreFixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStore) store = open_store (fixture);
  g_autoptr(HpVisit) visit = hp_store_fixture_small_visit ("nan-visit", 1763700000000);
  g_autoptr(HpMeasurement) weight = hp_measurement_new (HP_MEASUREMENT_KIND_BODY_WEIGHT);

  hp_measurement_set_value (weight, HP_QUANTITY_BODY_WEIGHT, NAN, "kg");
  hp_visit_add_measurement (visit, weight);
  assert_false (hp_store_commit_visit (store, visit, &error));
  hp_store_fixture_assert_error (error, HP_STORE_ERROR_INVALID);
  assert_count (store, 0);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_commit_then_load, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_every_kind_and_quantity, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_height_and_fasting_kept, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_count_and_list, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_visit_without_measurements, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_load_unknown_visit, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_failed_commit_leaves_nothing, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_unfinished_visit_rejected, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_duplicate_id_keeps_first, hp_store_fixture_setup, hp_store_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_non_finite_value_rejected, hp_store_fixture_setup, hp_store_fixture_teardown),
  };

  return cmocka_run_group_tests_name ("store-visits", tests, NULL, NULL);
}
