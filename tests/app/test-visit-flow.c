/* Tests of the visit flow controller: every transition, without GTK. */
#include <glib/gstdio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "hp-app-enums.h"
#include "hp-contour-simulator.h"
#include "hp-data-enums.h"
#include "hp-hid-scale-simulator.h"
#include "hp-simulated-cuff.h"
#include "hp-store-patients.h"
#include "hp-test-util.h"
#include "hp-visit-flow.h"

typedef struct {
  char *dir;
  char *db_path;
  HpStore *store;
  HpDeviceManager *devices;
  HpVisitFlow *flow;
} Fixture;

static const HpVisitTimings quick = {
  .idle_ms = 30,
  .countdown_ticks = 3,
  .tick_ms = 10,
  .goodbye_ms = 30,
};

/* A guard against a hung test, not a timing assertion. */
#define HANG_GUARD_SECONDS 20

static HpVisitFlow *waited_flow;
static HpVisitStep waited_step;

static gboolean
flow_reached_step (gconstpointer data G_GNUC_UNUSED)
{
  return hp_visit_flow_get_step (waited_flow) == waited_step;
}

static gboolean
flow_warns (gconstpointer data G_GNUC_UNUSED)
{
  return hp_visit_flow_get_warning_active (waited_flow);
}

static gboolean
wait_for_step (HpVisitFlow *flow,
               HpVisitStep  step)
{
  waited_flow = flow;
  waited_step = step;
  return hp_test_iterate_until (flow_reached_step, NULL, HANG_GUARD_SECONDS);
}

static gboolean
wait_for_warning (HpVisitFlow *flow)
{
  waited_flow = flow;
  return hp_test_iterate_until (flow_warns, NULL, HANG_GUARD_SECONDS);
}

static void
add_cuff (Fixture     *f,
          HpCuffFault  fault)
{
  HpCuffSimulation sim = {
    .systolic = 131, .diastolic = 84, .pulse = 66,
    .measure_ms = 40, .timeout_ms = 200, .fault = fault,
  };
  g_autoptr(HpDevice) cuff = hp_simulated_cuff_new (&sim);

  hp_device_manager_add_device (f->devices, cuff);
}

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("hp-flow-XXXXXX", &error);
  assert_non_null (f->dir);
  f->db_path = g_build_filename (f->dir, "visits.db", NULL);
  f->store = hp_store_open_demo (f->db_path, &error);
  assert_non_null (f->store);
  f->devices = hp_device_manager_new ();
  f->flow = hp_visit_flow_new (f->store, f->devices, &quick);
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;

  g_clear_object (&f->flow);
  g_clear_object (&f->devices);
  g_clear_object (&f->store);
  assert_true (hp_test_tmpdir_remove (f->dir));
  g_free (f->db_path);
  g_free (f->dir);
  g_free (f);
  return 0;
}

static gint64
count_visits (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  gint64 n = hp_store_count_visits (f->store, &error);

  assert_null (error);
  return n;
}

/* Attract → language → consent → anonymous → an adult → choose. */
static void
begin_anonymous (Fixture *f)
{
  assert_true (hp_visit_flow_begin (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_LANGUAGE);
  /* The language shown is kept. */
  assert_true (hp_visit_flow_choose_language (f->flow, hp_visit_flow_get_language (f->flow)));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_CONSENT);
  assert_true (hp_visit_flow_consent (f->flow, TRUE));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_IDENTIFY);
  assert_true (hp_visit_flow_identify (f->flow, FALSE));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_AGE);
  assert_true (hp_visit_flow_answer_age (f->flow, TRUE));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_CHOOSE);
}

static void
go_to_instructions (Fixture *f)
{
  begin_anonymous (f);
  assert_true (hp_visit_flow_choose (f->flow, HP_MEASUREMENT_KIND_BLOOD_PRESSURE));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_INSTRUCTIONS);
}

static void
test_starts_on_attract (void **state)
{
  Fixture *f = *state;

  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_ATTRACT);
  assert_null (hp_visit_flow_get_visit (f->flow));
  assert_false (hp_visit_flow_get_warning_active (f->flow));
}

static void
test_events_out_of_order_change_nothing (void **state)
{
  Fixture *f = *state;

  assert_false (hp_visit_flow_choose (f->flow, HP_MEASUREMENT_KIND_BLOOD_PRESSURE));
  assert_false (hp_visit_flow_start_measurement (f->flow));
  assert_false (hp_visit_flow_cancel_measurement (f->flow));
  assert_false (hp_visit_flow_finish (f->flow));
  assert_false (hp_visit_flow_see_result (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_ATTRACT);
  assert_null (hp_visit_flow_get_visit (f->flow));

  assert_true (hp_visit_flow_begin (f->flow));
  assert_false (hp_visit_flow_begin (f->flow));
  assert_false (hp_visit_flow_finish (f->flow));
  assert_false (hp_visit_flow_start_measurement (f->flow));
  assert_false (hp_visit_flow_choose (f->flow, HP_MEASUREMENT_KIND_BLOOD_PRESSURE));
  assert_false (hp_visit_flow_consent (f->flow, TRUE));
  assert_false (hp_visit_flow_enter (f->flow, "1234"));
  assert_false (hp_visit_flow_enter_height (f->flow, 170));
  assert_false (hp_visit_flow_remember_me (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_LANGUAGE);
}

static void
test_full_visit_is_saved (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpVisit) loaded = NULL;
  g_autofree char *visit_id = NULL;
  HpMeasurement *m;
  double value;
  const char *unit;

  add_cuff (f, HP_CUFF_FAULT_NONE);
  go_to_instructions (f);
  visit_id = g_strdup (hp_visit_get_id (hp_visit_flow_get_visit (f->flow)));

  assert_true (hp_visit_flow_start_measurement (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_MEASURING);
  assert_true (wait_for_step (f->flow, HP_VISIT_STEP_RESULT));
  assert_int_equal (hp_visit_flow_get_phase (f->flow), HP_MEASUREMENT_PHASE_DONE);

  m = hp_visit_find_latest (hp_visit_flow_get_visit (f->flow), HP_MEASUREMENT_KIND_BLOOD_PRESSURE);
  assert_non_null (m);
  assert_true (hp_measurement_get_value (m, HP_QUANTITY_SYSTOLIC, &value, &unit));
  assert_int_equal ((int) value, 131);
  assert_string_equal (unit, "mm[Hg]");
  assert_true (hp_measurement_get_value (m, HP_QUANTITY_DIASTOLIC, &value, NULL));
  assert_int_equal ((int) value, 84);
  assert_true (hp_measurement_get_value (m, HP_QUANTITY_PULSE_RATE, &value, NULL));
  assert_int_equal ((int) value, 66);

  /* Finish shows the summary first; only its own Finish saves. */
  assert_true (hp_visit_flow_finish (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_SUMMARY);
  assert_int_equal (count_visits (f), 0);
  /* An anonymous patient is offered a personal code before it is saved. */
  assert_true (hp_visit_flow_finish (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_OFFER_CODE);
  assert_int_equal (count_visits (f), 0);
  assert_true (hp_visit_flow_finish (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_GOODBYE);
  assert_int_equal (count_visits (f), 1);

  loaded = hp_store_load_visit (f->store, visit_id, &error);
  assert_non_null (loaded);
  assert_int_equal (hp_visit_get_n_measurements (loaded), 1);

  /* The goodbye screen clears itself. */
  assert_true (wait_for_step (f->flow, HP_VISIT_STEP_ATTRACT));
  assert_null (hp_visit_flow_get_visit (f->flow));
}

/* A second measurement in the same visit, and a glucose test that first
 * asks whether the patient has eaten; both are saved with the visit. */
static void
test_measure_another_and_fasting (void **state)
{
  Fixture *f = *state;
  g_autoptr(HpDevice) meter = hp_simulated_contour_new ("mg/dL", 97, HP_CONTOUR_FAULT_NONE);

  add_cuff (f, HP_CUFF_FAULT_NONE);
  hp_device_manager_add_device (f->devices, meter);
  go_to_instructions (f);
  assert_false (hp_visit_flow_measure_another (f->flow));
  assert_true (hp_visit_flow_start_measurement (f->flow));
  assert_true (wait_for_step (f->flow, HP_VISIT_STEP_RESULT));

  assert_true (hp_visit_flow_measure_another (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_CHOOSE);
  assert_int_equal (hp_visit_flow_get_fasting (f->flow), HP_FASTING_UNKNOWN);

  /* Glucose asks about eating first; the answer leads to the instructions. */
  assert_true (hp_visit_flow_choose (f->flow, HP_MEASUREMENT_KIND_BLOOD_GLUCOSE));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_FASTING);
  assert_false (hp_visit_flow_start_measurement (f->flow));
  assert_true (hp_visit_flow_answer_fasting (f->flow, HP_FASTING_YES));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_INSTRUCTIONS);
  assert_int_equal (hp_visit_flow_get_fasting (f->flow), HP_FASTING_YES);
  assert_false (hp_visit_flow_answer_fasting (f->flow, HP_FASTING_NO));
  assert_int_equal (hp_visit_flow_get_fasting (f->flow), HP_FASTING_YES);

  assert_true (hp_visit_flow_start_measurement (f->flow));
  assert_true (wait_for_step (f->flow, HP_VISIT_STEP_RESULT));
  assert_int_equal (hp_visit_get_n_measurements (hp_visit_flow_get_visit (f->flow)), 2);

  /* Back at the choice with something measured, the patient may stop. */
  assert_true (hp_visit_flow_measure_another (f->flow));
  assert_true (hp_visit_flow_finish (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_SUMMARY);
  assert_true (hp_visit_flow_finish (f->flow));
  assert_true (hp_visit_flow_finish (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_GOODBYE);
  assert_int_equal (count_visits (f), 1);

  /* The answer belongs to that visit only. */
  assert_true (hp_visit_flow_start_over (f->flow));
  assert_int_equal (hp_visit_flow_get_fasting (f->flow), HP_FASTING_UNKNOWN);
}

/* A choice with nothing measured yet has nothing to save. */
static void
test_finish_needs_a_measurement (void **state)
{
  Fixture *f = *state;

  begin_anonymous (f);
  assert_false (hp_visit_flow_finish (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_CHOOSE);
  assert_int_equal (count_visits (f), 0);
}

/* A meter holding no test from this visit says so, in its own words. */
static void
test_no_new_reading_is_its_own_problem (void **state)
{
  Fixture *f = *state;
  g_autoptr(HpDevice) meter = hp_simulated_contour_new ("mg/dL", 97, HP_CONTOUR_FAULT_NO_NEW_READING);

  hp_device_manager_add_device (f->devices, meter);
  begin_anonymous (f);
  assert_true (hp_visit_flow_choose (f->flow, HP_MEASUREMENT_KIND_BLOOD_GLUCOSE));
  assert_true (hp_visit_flow_answer_fasting (f->flow, HP_FASTING_NO));
  assert_true (hp_visit_flow_start_measurement (f->flow));
  assert_true (wait_for_step (f->flow, HP_VISIT_STEP_PROBLEM));
  assert_int_equal (hp_visit_flow_get_problem (f->flow), HP_VISIT_PROBLEM_NO_NEW_READING);

  /* The patient may go on to another measurement instead. */
  assert_true (hp_visit_flow_measure_another (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_CHOOSE);
  assert_int_equal (hp_visit_flow_get_problem (f->flow), HP_VISIT_PROBLEM_NONE);
}

static void
test_cancel_measurement (void **state)
{
  Fixture *f = *state;

  add_cuff (f, HP_CUFF_FAULT_NONE);
  go_to_instructions (f);
  assert_true (hp_visit_flow_start_measurement (f->flow));
  assert_true (hp_visit_flow_cancel_measurement (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_INSTRUCTIONS);
  assert_int_equal (hp_visit_flow_get_phase (f->flow), HP_MEASUREMENT_PHASE_IDLE);

  /* A late reading from the cancelled measurement must not land in the visit. */
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  assert_int_equal (hp_visit_get_n_measurements (hp_visit_flow_get_visit (f->flow)), 0);

  /* And the cuff can measure again. */
  assert_true (hp_visit_flow_start_measurement (f->flow));
  assert_true (wait_for_step (f->flow, HP_VISIT_STEP_RESULT));
}

static void
test_no_device (void **state)
{
  Fixture *f = *state;

  go_to_instructions (f);
  assert_true (hp_visit_flow_start_measurement (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_PROBLEM);
  assert_int_equal (hp_visit_flow_get_problem (f->flow), HP_VISIT_PROBLEM_DEVICE_MISSING);

  /* Once a cuff is plugged in, "Try again" works. */
  add_cuff (f, HP_CUFF_FAULT_NONE);
  assert_true (hp_visit_flow_start_measurement (f->flow));
  assert_int_equal (hp_visit_flow_get_problem (f->flow), HP_VISIT_PROBLEM_NONE);
  assert_true (wait_for_step (f->flow, HP_VISIT_STEP_RESULT));
}

static void
check_fault (HpCuffFault fault, HpVisitProblem expected)
{
  Fixture *f = NULL;

  setup ((void **) &f);
  add_cuff (f, fault);
  go_to_instructions (f);
  assert_true (hp_visit_flow_start_measurement (f->flow));
  assert_true (wait_for_step (f->flow, HP_VISIT_STEP_PROBLEM));
  assert_int_equal (hp_visit_flow_get_problem (f->flow), expected);
  assert_int_equal (hp_visit_get_n_measurements (hp_visit_flow_get_visit (f->flow)), 0);
  teardown ((void **) &f);
}

static void
test_device_faults (void **state G_GNUC_UNUSED)
{
  check_fault (HP_CUFF_FAULT_UNPLUG, HP_VISIT_PROBLEM_DEVICE_UNPLUGGED);
  check_fault (HP_CUFF_FAULT_TIMEOUT, HP_VISIT_PROBLEM_DEVICE_NOT_RESPONDING);
  check_fault (HP_CUFF_FAULT_GARBLED, HP_VISIT_PROBLEM_READING_FAILED);
}

static void
test_inactivity_warning_and_still_here (void **state)
{
  Fixture *f = *state;
  guint first;

  begin_anonymous (f);
  assert_true (wait_for_warning (f->flow));
  first = hp_visit_flow_get_seconds_left (f->flow);
  assert_int_equal (first, quick.countdown_ticks);

  /* "I'm here" keeps the visit. */
  hp_visit_flow_user_activity (f->flow);
  assert_false (hp_visit_flow_get_warning_active (f->flow));
  assert_int_equal (hp_visit_flow_get_seconds_left (f->flow), 0);
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_CHOOSE);
  assert_non_null (hp_visit_flow_get_visit (f->flow));
}

static void
test_inactivity_wipes_the_visit (void **state)
{
  Fixture *f = *state;
  g_autoptr(HpVisit) visit = NULL;

  add_cuff (f, HP_CUFF_FAULT_NONE);
  go_to_instructions (f);
  assert_true (hp_visit_flow_start_measurement (f->flow));
  assert_true (wait_for_step (f->flow, HP_VISIT_STEP_RESULT));
  visit = g_object_ref (hp_visit_flow_get_visit (f->flow));
  hp_visit_flow_set_language (f->flow, "es");

  assert_true (wait_for_warning (f->flow));
  assert_true (wait_for_step (f->flow, HP_VISIT_STEP_ATTRACT));

  /* Nothing of the visit is left on screen, and what was measured is kept. */
  assert_null (hp_visit_flow_get_visit (f->flow));
  assert_false (hp_visit_flow_get_warning_active (f->flow));
  assert_int_equal (hp_visit_flow_get_problem (f->flow), HP_VISIT_PROBLEM_NONE);
  assert_int_equal (hp_visit_flow_get_phase (f->flow), HP_MEASUREMENT_PHASE_IDLE);
  assert_string_equal (hp_visit_flow_get_language (f->flow), "en");
  assert_int_equal (count_visits (f), 1);
  assert_true (hp_visit_is_finished (visit));
  /* The flow held the only other reference. */
  assert_int_equal (G_OBJECT (visit)->ref_count, 1);
}

static void
test_no_inactivity_while_measuring (void **state)
{
  Fixture *f = *state;
  HpCuffSimulation slow = {
    .systolic = 120, .diastolic = 80, .pulse = 70,
    .measure_ms = 300, .timeout_ms = 2000, .fault = HP_CUFF_FAULT_NONE,
  };
  g_autoptr(HpDevice) cuff = hp_simulated_cuff_new (&slow);

  hp_device_manager_add_device (f->devices, cuff);
  go_to_instructions (f);
  assert_true (hp_visit_flow_start_measurement (f->flow));

  /* The measurement outlasts the idle time many times over. */
  while (hp_visit_flow_get_step (f->flow) == HP_VISIT_STEP_MEASURING)
    {
      assert_false (hp_visit_flow_get_warning_active (f->flow));
      g_main_context_iteration (NULL, TRUE);
    }
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_RESULT);
}

static void
test_start_over_discards (void **state)
{
  Fixture *f = *state;

  add_cuff (f, HP_CUFF_FAULT_NONE);
  go_to_instructions (f);
  assert_true (hp_visit_flow_start_measurement (f->flow));
  assert_true (wait_for_step (f->flow, HP_VISIT_STEP_RESULT));
  assert_true (hp_visit_flow_start_over (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_ATTRACT);
  assert_null (hp_visit_flow_get_visit (f->flow));
  assert_int_equal (count_visits (f), 0);
}

static void
test_start_over_while_measuring (void **state)
{
  Fixture *f = *state;

  add_cuff (f, HP_CUFF_FAULT_NONE);
  go_to_instructions (f);
  assert_true (hp_visit_flow_start_measurement (f->flow));
  assert_true (hp_visit_flow_start_over (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_ATTRACT);
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_ATTRACT);
}

static void
test_failed_save_tells_the_patient (void **state)
{
  Fixture *f = *state;
  sqlite3 *db = NULL;
  char *message = NULL;

  /* Another connection makes every visit insert fail, as a full disk would. */
  assert_int_equal (sqlite3_open (f->db_path, &db), SQLITE_OK);
  assert_int_equal (sqlite3_exec (db,
                                  "CREATE TRIGGER refuse BEFORE INSERT ON visits "
                                  "BEGIN SELECT RAISE(ABORT, 'refused'); END;",
                                  NULL, NULL, &message), SQLITE_OK);
  sqlite3_close (db);

  add_cuff (f, HP_CUFF_FAULT_NONE);
  go_to_instructions (f);
  assert_true (hp_visit_flow_start_measurement (f->flow));
  assert_true (wait_for_step (f->flow, HP_VISIT_STEP_RESULT));
  assert_true (hp_visit_flow_finish (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_SUMMARY);
  assert_true (hp_visit_flow_finish (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_OFFER_CODE);
  assert_true (hp_visit_flow_finish (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_PROBLEM);
  assert_int_equal (hp_visit_flow_get_problem (f->flow), HP_VISIT_PROBLEM_NOT_SAVED);
  assert_false (hp_visit_is_finished (hp_visit_flow_get_visit (f->flow)));
  /* Retrying a measurement makes no sense once the visit was finished. */
  assert_false (hp_visit_flow_start_measurement (f->flow));
  assert_true (hp_visit_flow_start_over (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_ATTRACT);
}

static void
add_cuff_reading_with_pulse (Fixture *f,
                             guint16  systolic,
                             guint16  diastolic,
                             guint16  pulse)
{
  HpCuffSimulation sim = {
    .systolic = systolic, .diastolic = diastolic, .pulse = pulse,
    .measure_ms = 40, .timeout_ms = 200, .fault = HP_CUFF_FAULT_NONE,
  };
  g_autoptr(HpDevice) cuff = hp_simulated_cuff_new (&sim);

  hp_device_manager_add_device (f->devices, cuff);
}

static void
add_cuff_reading (Fixture *f,
                  guint16  systolic,
                  guint16  diastolic)
{
  add_cuff_reading_with_pulse (f, systolic, diastolic, 88);
}

/* "Are you 18 or older?" comes once a visit, before any reading; a child's
 * readings keep that, and are not read against adult ranges. */
static void
test_age_asked_once (void **state)
{
  Fixture *f = *state;
  HpMeasurement *m;
  HpInterpretation meaning = { 0 };

  add_cuff_reading (f, 150, 95);
  assert_true (hp_visit_flow_begin (f->flow));
  assert_true (hp_visit_flow_choose_language (f->flow, hp_visit_flow_get_language (f->flow)));
  assert_true (hp_visit_flow_consent (f->flow, TRUE));
  assert_true (hp_visit_flow_identify (f->flow, FALSE));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_AGE);
  /* Nothing to choose before the answer; back leads to how to start. */
  assert_false (hp_visit_flow_choose (f->flow, HP_MEASUREMENT_KIND_BLOOD_PRESSURE));
  assert_true (hp_visit_flow_back (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_IDENTIFY);
  assert_true (hp_visit_flow_identify (f->flow, FALSE));
  assert_true (hp_visit_flow_answer_age (f->flow, FALSE));
  assert_false (hp_visit_flow_answer_age (f->flow, TRUE));
  assert_int_equal (hp_visit_get_age_group (hp_visit_flow_get_visit (f->flow)), HP_AGE_GROUP_CHILD);

  assert_true (hp_visit_flow_choose (f->flow, HP_MEASUREMENT_KIND_BLOOD_PRESSURE));
  assert_true (hp_visit_flow_start_measurement (f->flow));
  assert_true (wait_for_step (f->flow, HP_VISIT_STEP_RESULT));
  m = hp_visit_find_latest (hp_visit_flow_get_visit (f->flow), HP_MEASUREMENT_KIND_BLOOD_PRESSURE);
  assert_true (hp_measurement_get_flags (m) & HP_MEASUREMENT_FLAG_UNDER_18);
  /* 150/95 is stage 2 for an adult; for a child the numbers stand. */
  assert_true (hp_visit_interpret (hp_visit_flow_get_visit (f->flow), m, NULL, &meaning));
  assert_int_equal (meaning.urgency, HP_URGENCY_CHECK);
  assert_string_equal (meaning.title, "Numbers for a child");

  /* Asked once: another measurement goes straight to the choice. */
  assert_true (hp_visit_flow_measure_another (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_CHOOSE);
}

/* The pulse routes the visit too: a normal pressure with a pulse of 190
 * goes to the page that asks for staff, not to a green tick; and severe
 * low pressure goes there whatever the pulse. */
static void
test_pulse_and_low_pressure_route_the_visit (void **state)
{
  Fixture *f = *state;
  static const struct {
    guint16 systolic, diastolic, pulse;
    HpUrgency urgency;
  } cases[] = {
    { 118, 76, 190, HP_URGENCY_TELL_STAFF_NOW },
    { 118, 76, 35, HP_URGENCY_TELL_STAFF_NOW },
    { 75, 50, 70, HP_URGENCY_TELL_STAFF_NOW },
    { 60, 35, 30, HP_URGENCY_SEEK_CARE_NOW },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      HpMeasurement *m;

      add_cuff_reading_with_pulse (f, cases[i].systolic, cases[i].diastolic, cases[i].pulse);
      go_to_instructions (f);
      assert_true (hp_visit_flow_start_measurement (f->flow));
      assert_true (wait_for_step (f->flow, HP_VISIT_STEP_CRISIS));
      m = hp_visit_find_latest (hp_visit_flow_get_visit (f->flow), HP_MEASUREMENT_KIND_BLOOD_PRESSURE);
      assert_non_null (m);
      assert_int_equal (hp_visit_flow_get_urgency (f->flow, m), cases[i].urgency);
      assert_true (hp_visit_flow_start_over (f->flow));
      hp_device_manager_remove_device (f->devices,
                                       hp_device_manager_find_by_kind (f->devices, HP_MEASUREMENT_KIND_BLOOD_PRESSURE));
    }
}

/* A crisis reading stops at the call to act (with the clinician call on
 * offer, which needs the visit), and its result is one tap further. */
static void
test_crisis_reading_comes_first (void **state)
{
  Fixture *f = *state;
  HpMeasurement *m;

  add_cuff_reading (f, 190, 125);
  go_to_instructions (f);
  assert_true (hp_visit_flow_start_measurement (f->flow));
  assert_true (wait_for_step (f->flow, HP_VISIT_STEP_CRISIS));
  assert_non_null (hp_visit_flow_get_visit (f->flow));
  m = hp_visit_find_latest (hp_visit_flow_get_visit (f->flow), HP_MEASUREMENT_KIND_BLOOD_PRESSURE);
  assert_non_null (m);
  assert_int_equal (hp_visit_flow_get_urgency (f->flow, m), HP_URGENCY_SEEK_CARE_NOW);

  /* Nothing skips past it but "See my result" (and Start over). */
  assert_false (hp_visit_flow_finish (f->flow));
  assert_false (hp_visit_flow_measure_another (f->flow));
  assert_false (hp_visit_flow_start_measurement (f->flow));
  assert_false (hp_visit_flow_choose (f->flow, HP_MEASUREMENT_KIND_BODY_WEIGHT));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_CRISIS);

  assert_true (hp_visit_flow_see_result (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_RESULT);
  assert_false (hp_visit_flow_see_result (f->flow));

  assert_true (hp_visit_flow_finish (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_SUMMARY);
  assert_true (hp_visit_flow_finish (f->flow));
  assert_true (hp_visit_flow_finish (f->flow));
  assert_int_equal (count_visits (f), 1);
}

/* Just under the crisis line is an ordinary (if urgent) result. */
static void
test_stage_2_is_not_a_crisis (void **state)
{
  Fixture *f = *state;

  add_cuff_reading (f, 180, 120);
  go_to_instructions (f);
  assert_true (hp_visit_flow_start_measurement (f->flow));
  assert_true (wait_for_step (f->flow, HP_VISIT_STEP_RESULT));
  assert_int_equal (hp_visit_flow_get_urgency (f->flow,
                                               hp_visit_find_latest (hp_visit_flow_get_visit (f->flow),
                                                                     HP_MEASUREMENT_KIND_BLOOD_PRESSURE)),
                    HP_URGENCY_SEE_DOCTOR);
}

/* Very low and very high blood sugar are crises too, fasting or not. */
static void
test_crisis_glucose (void **state)
{
  Fixture *f = *state;
  const double values[] = { 40, 450 };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(HpDevice) meter = hp_simulated_contour_new ("mg/dL", values[i], HP_CONTOUR_FAULT_NONE);

      hp_device_manager_add_device (f->devices, meter);
      begin_anonymous (f);
      assert_true (hp_visit_flow_choose (f->flow, HP_MEASUREMENT_KIND_BLOOD_GLUCOSE));
      assert_true (hp_visit_flow_answer_fasting (f->flow, HP_FASTING_NO));
      assert_true (hp_visit_flow_start_measurement (f->flow));
      assert_true (wait_for_step (f->flow, HP_VISIT_STEP_CRISIS));
      assert_true (hp_visit_flow_start_over (f->flow));
      hp_device_manager_remove_device (f->devices, meter);
    }
}

/* A patient who walks away from the crisis page (to get help) gets the
 * ordinary warning and countdown; then the screen is wiped and the reading
 * kept. */
static void
test_crisis_left_alone_is_saved_and_wiped (void **state)
{
  Fixture *f = *state;

  add_cuff_reading (f, 192, 124);
  go_to_instructions (f);
  assert_true (hp_visit_flow_start_measurement (f->flow));
  assert_true (wait_for_step (f->flow, HP_VISIT_STEP_CRISIS));
  assert_true (wait_for_warning (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_CRISIS);
  assert_true (wait_for_step (f->flow, HP_VISIT_STEP_ATTRACT));
  assert_null (hp_visit_flow_get_visit (f->flow));
  assert_int_equal (count_visits (f), 1);
}

/* The summary lists the visit as it is, and leads only to goodbye. */
static void
test_summary_step (void **state)
{
  Fixture *f = *state;
  g_autoptr(HpDevice) meter = hp_simulated_contour_new ("mg/dL", 97, HP_CONTOUR_FAULT_NONE);

  add_cuff (f, HP_CUFF_FAULT_NONE);
  hp_device_manager_add_device (f->devices, meter);
  go_to_instructions (f);
  assert_true (hp_visit_flow_start_measurement (f->flow));
  assert_true (wait_for_step (f->flow, HP_VISIT_STEP_RESULT));
  assert_true (hp_visit_flow_measure_another (f->flow));
  assert_true (hp_visit_flow_choose (f->flow, HP_MEASUREMENT_KIND_BLOOD_GLUCOSE));
  assert_true (hp_visit_flow_answer_fasting (f->flow, HP_FASTING_YES));
  assert_true (hp_visit_flow_start_measurement (f->flow));
  assert_true (wait_for_step (f->flow, HP_VISIT_STEP_RESULT));

  assert_true (hp_visit_flow_finish (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_SUMMARY);
  assert_int_equal (hp_visit_get_n_measurements (hp_visit_flow_get_visit (f->flow)), 2);
  assert_false (hp_visit_is_finished (hp_visit_flow_get_visit (f->flow)));

  assert_false (hp_visit_flow_start_measurement (f->flow));
  assert_false (hp_visit_flow_choose (f->flow, HP_MEASUREMENT_KIND_BODY_WEIGHT));
  assert_false (hp_visit_flow_see_result (f->flow));
  assert_false (hp_visit_flow_measure_another (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_SUMMARY);

  /* The summary waits like any page, and a touch keeps it. */
  assert_true (wait_for_warning (f->flow));
  hp_visit_flow_user_activity (f->flow);
  assert_false (hp_visit_flow_get_warning_active (f->flow));

  assert_true (hp_visit_flow_finish (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_OFFER_CODE);
  assert_true (hp_visit_flow_finish (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_GOODBYE);
  assert_int_equal (count_visits (f), 1);
  assert_false (hp_visit_flow_finish (f->flow));
}

/* The flow's state properties carry their enum types, so bindings and
 * g_object_get() read them as the enums they are. */
static void
test_enum_properties (void **state)
{
  Fixture *f = *state;
  GObjectClass *klass = G_OBJECT_GET_CLASS (f->flow);
  HpVisitStep step;
  HpVisitProblem problem;
  HpMeasurementPhase phase;
  HpEntryError entry_error;

  assert_int_equal (g_object_class_find_property (klass, "step")->value_type, HP_TYPE_VISIT_STEP);
  assert_int_equal (g_object_class_find_property (klass, "problem")->value_type, HP_TYPE_VISIT_PROBLEM);
  assert_int_equal (g_object_class_find_property (klass, "phase")->value_type, HP_TYPE_MEASUREMENT_PHASE);
  assert_int_equal (g_object_class_find_property (klass, "entry-error")->value_type, HP_TYPE_ENTRY_ERROR);

  go_to_instructions (f);
  assert_true (hp_visit_flow_start_measurement (f->flow));
  g_object_get (f->flow, "step", &step, "problem", &problem, "phase", &phase,
                "entry-error", &entry_error, NULL);
  assert_int_equal (step, HP_VISIT_STEP_PROBLEM);
  assert_int_equal (problem, HP_VISIT_PROBLEM_DEVICE_MISSING);
  assert_int_equal (phase, HP_MEASUREMENT_PHASE_IDLE);
  assert_int_equal (entry_error, HP_ENTRY_ERROR_NONE);
}

static void
test_out_of_service_without_store (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpDeviceManager) devices = hp_device_manager_new ();
  g_autoptr(HpVisitFlow) flow = hp_visit_flow_new (NULL, devices, &quick);

  assert_int_equal (hp_visit_flow_get_step (flow), HP_VISIT_STEP_OUT_OF_SERVICE);
  assert_int_equal (hp_visit_flow_get_problem (flow), HP_VISIT_PROBLEM_OUT_OF_SERVICE);
  assert_false (hp_visit_flow_begin (flow));
  assert_false (hp_visit_flow_start_over (flow));
  assert_null (hp_visit_flow_get_visit (flow));
}

static void
test_language (void **state)
{
  Fixture *f = *state;

  /* Chosen on the attract screen: it becomes the kiosk's language. */
  hp_visit_flow_set_language (f->flow, "es");
  begin_anonymous (f);
  assert_string_equal (hp_visit_get_language (hp_visit_flow_get_visit (f->flow)), "es");

  /* Chosen during a visit: it lasts until the visit ends. */
  hp_visit_flow_set_language (f->flow, "en");
  assert_string_equal (hp_visit_get_language (hp_visit_flow_get_visit (f->flow)), "en");
  assert_true (hp_visit_flow_start_over (f->flow));
  assert_string_equal (hp_visit_flow_get_language (f->flow), "es");
}

/* Declining consent ends the visit at once, with nothing kept. */
static void
test_consent_declined (void **state)
{
  Fixture *f = *state;

  assert_true (hp_visit_flow_begin (f->flow));
  assert_true (hp_visit_flow_choose_language (f->flow, "es"));
  assert_string_equal (hp_visit_flow_get_language (f->flow), "es");
  assert_false (hp_visit_flow_identify (f->flow, FALSE));
  assert_true (hp_visit_flow_consent (f->flow, FALSE));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_ATTRACT);
  assert_null (hp_visit_flow_get_visit (f->flow));
  /* The visit's language went with it. */
  assert_string_equal (hp_visit_flow_get_language (f->flow), "en");
  assert_int_equal (count_visits (f), 0);
}

/* A kiosk with one language goes straight to consent. */
static void
test_single_language_skips_the_question (void **state)
{
  Fixture *f = *state;

  hp_visit_flow_set_ask_language (f->flow, FALSE);
  assert_true (hp_visit_flow_begin (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_CONSENT);
  assert_false (hp_visit_flow_choose_language (f->flow, "fr"));
}

/* The height is asked once, before the first weight; with it the weight
 * is read as a body-mass index. Skipping it is allowed. */
static void
test_height_before_weight (void **state)
{
  Fixture *f = *state;
  g_autoptr(HpDevice) scale = hp_simulated_scale_new (78, HP_SCALE_FAULT_NONE);
  HpInterpretation got = { 0 };
  HpMeasurement *m;
  double bmi = 0;

  hp_device_manager_add_device (f->devices, scale);
  begin_anonymous (f);
  assert_true (hp_visit_flow_choose (f->flow, HP_MEASUREMENT_KIND_BODY_WEIGHT));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_HEIGHT);
  /* Back leads to the choice, and the question comes once more. */
  assert_true (hp_visit_flow_back (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_CHOOSE);
  assert_true (hp_visit_flow_choose (f->flow, HP_MEASUREMENT_KIND_BODY_WEIGHT));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_HEIGHT);
  /* No person is 30 cm or 300 cm tall. */
  assert_false (hp_visit_flow_enter_height (f->flow, 30));
  assert_false (hp_visit_flow_enter_height (f->flow, 300));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_HEIGHT);
  assert_true (hp_visit_flow_enter_height (f->flow, 180));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_INSTRUCTIONS);

  assert_true (hp_visit_flow_start_measurement (f->flow));
  assert_true (wait_for_step (f->flow, HP_VISIT_STEP_RESULT));
  m = hp_visit_find_latest (hp_visit_flow_get_visit (f->flow), HP_MEASUREMENT_KIND_BODY_WEIGHT);
  assert_non_null (m);
  assert_true (hp_visit_interpret (hp_visit_flow_get_visit (f->flow), m, &bmi, &got));
  assert_float_equal (bmi, 78 / (1.8 * 1.8), 0.05);
  assert_int_equal (got.category, HP_CATEGORY_BMI_HEALTHY);

  /* A second weight in the same visit is not asked about again. */
  assert_true (hp_visit_flow_measure_another (f->flow));
  assert_true (hp_visit_flow_choose (f->flow, HP_MEASUREMENT_KIND_BODY_WEIGHT));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_INSTRUCTIONS);
}

static void
test_height_can_be_skipped (void **state)
{
  Fixture *f = *state;

  begin_anonymous (f);
  assert_true (hp_visit_flow_choose (f->flow, HP_MEASUREMENT_KIND_BODY_WEIGHT));
  assert_true (hp_visit_flow_enter_height (f->flow, 0));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_INSTRUCTIONS);
  assert_float_equal (hp_visit_get_height_cm (hp_visit_flow_get_visit (f->flow)), 0, 0);
  /* Asked once: the patient said no. */
  assert_true (hp_visit_flow_start_over (f->flow));
}

static gboolean
flow_not_busy (gconstpointer data G_GNUC_UNUSED)
{
  return !hp_visit_flow_get_busy (waited_flow);
}

static void
wait_until_checked (HpVisitFlow *flow)
{
  waited_flow = flow;
  assert_true (hp_test_iterate_until (flow_not_busy, NULL, HANG_GUARD_SECONDS));
}

/* A patient with an earlier visit under @code (made with @pin). */
static char *
make_returning_patient (Fixture    *f,
                        const char *pin)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpVisit) earlier = hp_visit_new ();
  g_autoptr(HpMeasurement) m = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_PRESSURE);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  char *code = NULL;

  assert_true (hp_store_create_patient (f->store, pin, &code, &error));
  assert_non_null (code);
  hp_measurement_set_value (m, HP_QUANTITY_SYSTOLIC, 142, "mm[Hg]");
  hp_measurement_set_value (m, HP_QUANTITY_DIASTOLIC, 91, "mm[Hg]");
  hp_measurement_set_device_id (m, "earlier-cuff");
  hp_measurement_set_device_time (m, now);
  hp_visit_add_measurement (earlier, m);
  hp_visit_set_patient_code (earlier, code);
  hp_visit_set_finished_at (earlier, now);
  assert_true (hp_store_commit_visit (f->store, earlier, &error));
  return code;
}

/* A returning patient: a mistyped code is caught at once, a wrong PIN is
 * "not right" (never saying which of the two), the right one brings their
 * earlier visits, and this visit is filed under their code. */
static void
test_returning_patient (void **state)
{
  Fixture *f = *state;
  g_autofree char *code = make_returning_patient (f, "2580");
  g_autofree char *typo = g_strdup (code);
  g_autoptr(GPtrArray) filed = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *history;

  typo[3] = typo[3] == '9' ? '0' : typo[3] + 1;
  add_cuff (f, HP_CUFF_FAULT_NONE);

  assert_true (hp_visit_flow_begin (f->flow));
  assert_true (hp_visit_flow_choose_language (f->flow, "en"));
  assert_true (hp_visit_flow_consent (f->flow, TRUE));
  assert_true (hp_visit_flow_identify (f->flow, TRUE));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_ENTER_CODE);

  assert_true (hp_visit_flow_enter (f->flow, typo));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_ENTER_CODE);
  assert_int_equal (hp_visit_flow_get_entry_error (f->flow), HP_ENTRY_ERROR_CODE_INVALID);

  assert_true (hp_visit_flow_enter (f->flow, code));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_ENTER_PIN);
  assert_int_equal (hp_visit_flow_get_entry_error (f->flow), HP_ENTRY_ERROR_NONE);

  assert_true (hp_visit_flow_enter (f->flow, "2581"));
  assert_true (hp_visit_flow_get_busy (f->flow));
  /* One check at a time. */
  assert_false (hp_visit_flow_enter (f->flow, "2580"));
  wait_until_checked (f->flow);
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_ENTER_PIN);
  assert_int_equal (hp_visit_flow_get_entry_error (f->flow), HP_ENTRY_ERROR_NOT_RECOGNISED);
  assert_null (hp_visit_get_patient_code (hp_visit_flow_get_visit (f->flow)));

  assert_true (hp_visit_flow_enter (f->flow, "2580"));
  wait_until_checked (f->flow);
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_AGE);
  assert_true (hp_visit_flow_answer_age (f->flow, TRUE));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_CHOOSE);
  assert_string_equal (hp_visit_get_patient_code (hp_visit_flow_get_visit (f->flow)), code);
  history = hp_visit_flow_get_history (f->flow);
  assert_non_null (history);
  assert_int_equal (history->len, 1);

  /* Measured and finished, the visit joins the earlier one. */
  assert_true (hp_visit_flow_choose (f->flow, HP_MEASUREMENT_KIND_BLOOD_PRESSURE));
  assert_true (hp_visit_flow_start_measurement (f->flow));
  assert_true (wait_for_step (f->flow, HP_VISIT_STEP_RESULT));
  assert_true (hp_visit_flow_finish (f->flow));
  assert_false (hp_visit_flow_remember_me (f->flow));
  assert_true (hp_visit_flow_finish (f->flow));
  filed = hp_store_list_patient_visits (f->store, code, 0, &error);
  assert_non_null (filed);
  assert_int_equal (filed->len, 2);

  /* The goodbye wipes the history with the visit. */
  assert_true (wait_for_step (f->flow, HP_VISIT_STEP_ATTRACT));
  assert_null (hp_visit_flow_get_history (f->flow));
}

static guint waited_refs;

/* References to the flow now: each callback still to come holds one. */
static guint
flow_refs (HpVisitFlow *flow)
{
  return (guint) g_atomic_int_get (&G_OBJECT (flow)->ref_count);
}

static gboolean
flow_let_go (gconstpointer data G_GNUC_UNUSED)
{
  return flow_refs (waited_flow) <= waited_refs;
}

/* Start over while a PIN is checked: the answer, when it comes, changes
 * nothing. */
static void
test_check_abandoned_by_start_over (void **state)
{
  Fixture *f = *state;
  g_autofree char *code = make_returning_patient (f, "3690");
  guint refs;

  assert_true (hp_visit_flow_begin (f->flow));
  assert_true (hp_visit_flow_choose_language (f->flow, "en"));
  assert_true (hp_visit_flow_consent (f->flow, TRUE));
  assert_true (hp_visit_flow_identify (f->flow, TRUE));
  assert_true (hp_visit_flow_enter (f->flow, code));
  refs = flow_refs (f->flow);
  assert_true (hp_visit_flow_enter (f->flow, "3690"));
  assert_true (hp_visit_flow_get_busy (f->flow));
  /* The check holds the flow until its answer is delivered. */
  assert_true (flow_refs (f->flow) > refs);
  assert_true (hp_visit_flow_start_over (f->flow));
  assert_false (hp_visit_flow_get_busy (f->flow));
  /* The worker's answer arrives (the right PIN, cancelled or not) and lets
   * the flow go. */
  waited_flow = f->flow;
  waited_refs = refs;
  if (!hp_test_iterate_until (flow_let_go, NULL, HANG_GUARD_SECONDS))
    fail_msg ("the abandoned check never answered within %d s", HANG_GUARD_SECONDS);
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_ATTRACT);
  assert_null (hp_visit_flow_get_visit (f->flow));
  assert_null (hp_visit_flow_get_history (f->flow));
}

/* "Remember me": a weak PIN is refused, two different PINs start over, and
 * a good one makes a valid code under which the visit is then saved. */
static void
test_remember_me (void **state)
{
  Fixture *f = *state;
  g_autoptr(GPtrArray) filed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  add_cuff (f, HP_CUFF_FAULT_NONE);
  go_to_instructions (f);
  assert_true (hp_visit_flow_start_measurement (f->flow));
  assert_true (wait_for_step (f->flow, HP_VISIT_STEP_RESULT));
  assert_false (hp_visit_flow_remember_me (f->flow));
  assert_true (hp_visit_flow_finish (f->flow));
  assert_false (hp_visit_flow_remember_me (f->flow));
  assert_true (hp_visit_flow_finish (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_OFFER_CODE);
  assert_true (hp_visit_flow_remember_me (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_NEW_PIN);

  assert_true (hp_visit_flow_enter (f->flow, "1234"));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_NEW_PIN);
  assert_int_equal (hp_visit_flow_get_entry_error (f->flow), HP_ENTRY_ERROR_PIN_WEAK);

  assert_true (hp_visit_flow_enter (f->flow, "4071"));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_CONFIRM_PIN);
  assert_true (hp_visit_flow_enter (f->flow, "4072"));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_NEW_PIN);
  assert_int_equal (hp_visit_flow_get_entry_error (f->flow), HP_ENTRY_ERROR_PIN_MISMATCH);

  /* Back returns to the offer; nothing was made. */
  assert_true (hp_visit_flow_back (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_OFFER_CODE);
  assert_true (hp_visit_flow_remember_me (f->flow));

  assert_true (hp_visit_flow_enter (f->flow, "4071"));
  assert_true (hp_visit_flow_enter (f->flow, "4071"));
  wait_until_checked (f->flow);
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_CODE_CREATED);
  code = g_strdup (hp_visit_flow_get_new_code (f->flow));
  assert_non_null (code);
  assert_true (hp_patient_code_is_valid (code));
  assert_string_equal (hp_visit_get_patient_code (hp_visit_flow_get_visit (f->flow)), code);

  /* The printout with the new code: back returns to the code, not the
   * summary. */
  assert_true (hp_visit_flow_print (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_PRINT);
  assert_true (hp_visit_flow_back (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_CODE_CREATED);

  assert_true (hp_visit_flow_finish (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_GOODBYE);
  filed = hp_store_list_patient_visits (f->store, code, 0, &error);
  assert_non_null (filed);
  assert_int_equal (filed->len, 1);
  assert_true (wait_for_step (f->flow, HP_VISIT_STEP_ATTRACT));
  assert_null (hp_visit_flow_get_new_code (f->flow));
}

/* The print preview opens from the summary only (and from a new code),
 * keeps the visit, watches inactivity like any page, and leads back. */
static void
test_print_step (void **state)
{
  Fixture *f = *state;

  add_cuff (f, HP_CUFF_FAULT_NONE);
  go_to_instructions (f);
  assert_false (hp_visit_flow_print (f->flow));
  assert_true (hp_visit_flow_start_measurement (f->flow));
  assert_true (wait_for_step (f->flow, HP_VISIT_STEP_RESULT));
  assert_false (hp_visit_flow_print (f->flow));
  assert_true (hp_visit_flow_finish (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_SUMMARY);

  assert_true (hp_visit_flow_print (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_PRINT);
  assert_string_equal (hp_visit_step_to_string (HP_VISIT_STEP_PRINT), "print");
  /* Only back leads on from it. */
  assert_false (hp_visit_flow_print (f->flow));
  assert_false (hp_visit_flow_finish (f->flow));
  assert_false (hp_visit_flow_measure_another (f->flow));
  assert_true (hp_visit_flow_back (f->flow));
  assert_int_equal (hp_visit_flow_get_step (f->flow), HP_VISIT_STEP_SUMMARY);
  assert_int_equal (hp_visit_get_n_measurements (hp_visit_flow_get_visit (f->flow)), 1);

  /* Left alone on the preview, the visit is saved and wiped. */
  assert_true (hp_visit_flow_print (f->flow));
  assert_true (wait_for_warning (f->flow));
  assert_true (wait_for_step (f->flow, HP_VISIT_STEP_ATTRACT));
  assert_null (hp_visit_flow_get_visit (f->flow));
  assert_int_equal (count_visits (f), 1);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_starts_on_attract, setup, teardown),
    cmocka_unit_test_setup_teardown (test_events_out_of_order_change_nothing, setup, teardown),
    cmocka_unit_test_setup_teardown (test_full_visit_is_saved, setup, teardown),
    cmocka_unit_test_setup_teardown (test_cancel_measurement, setup, teardown),
    cmocka_unit_test_setup_teardown (test_no_device, setup, teardown),
    cmocka_unit_test (test_device_faults),
    cmocka_unit_test_setup_teardown (test_inactivity_warning_and_still_here, setup, teardown),
    cmocka_unit_test_setup_teardown (test_inactivity_wipes_the_visit, setup, teardown),
    cmocka_unit_test_setup_teardown (test_no_inactivity_while_measuring, setup, teardown),
    cmocka_unit_test_setup_teardown (test_start_over_discards, setup, teardown),
    cmocka_unit_test_setup_teardown (test_start_over_while_measuring, setup, teardown),
    cmocka_unit_test_setup_teardown (test_failed_save_tells_the_patient, setup, teardown),
    cmocka_unit_test_setup_teardown (test_enum_properties, setup, teardown),
    cmocka_unit_test (test_out_of_service_without_store),
    cmocka_unit_test_setup_teardown (test_language, setup, teardown),
    cmocka_unit_test_setup_teardown (test_measure_another_and_fasting, setup, teardown),
    cmocka_unit_test_setup_teardown (test_finish_needs_a_measurement, setup, teardown),
    cmocka_unit_test_setup_teardown (test_no_new_reading_is_its_own_problem, setup, teardown),
    cmocka_unit_test_setup_teardown (test_pulse_and_low_pressure_route_the_visit, setup, teardown),
    cmocka_unit_test_setup_teardown (test_age_asked_once, setup, teardown),
    cmocka_unit_test_setup_teardown (test_crisis_reading_comes_first, setup, teardown),
    cmocka_unit_test_setup_teardown (test_stage_2_is_not_a_crisis, setup, teardown),
    cmocka_unit_test_setup_teardown (test_crisis_glucose, setup, teardown),
    cmocka_unit_test_setup_teardown (test_crisis_left_alone_is_saved_and_wiped, setup, teardown),
    cmocka_unit_test_setup_teardown (test_summary_step, setup, teardown),
    cmocka_unit_test_setup_teardown (test_print_step, setup, teardown),
    cmocka_unit_test_setup_teardown (test_consent_declined, setup, teardown),
    cmocka_unit_test_setup_teardown (test_single_language_skips_the_question, setup, teardown),
    cmocka_unit_test_setup_teardown (test_height_before_weight, setup, teardown),
    cmocka_unit_test_setup_teardown (test_height_can_be_skipped, setup, teardown),
    cmocka_unit_test_setup_teardown (test_returning_patient, setup, teardown),
    cmocka_unit_test_setup_teardown (test_check_abandoned_by_start_over, setup, teardown),
    cmocka_unit_test_setup_teardown (test_remember_me, setup, teardown),
  };

  return cmocka_run_group_tests_name ("visit-flow", tests, NULL, NULL);
}
