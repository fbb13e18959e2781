/* Tests of the PHDC blood-pressure driver against the simulated cuff and a scripted agent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>

#include "hp-cuff-simulator.h"
#include "hp-device-private.h"
#include "hp-ieee11073.h"
#include "hp-phdc-device.h"
#include "hp-simulated-cuff.h"
#include "hp-simulator-transport.h"

/* Long enough never to fire on a loaded machine; the tests end on signals. */
#define SAFETY_TIMEOUT_S 20

typedef struct {
  HpDevice *device;
  GArray *phases;           /* HpMeasurementPhase, in the order notified */
  guint n_ready;
  guint n_failed;
  HpMeasurement *measurement;
  GError *error;
  gboolean timed_out;
} Watch;

static void
on_phase (GObject    *object,
          GParamSpec *pspec G_GNUC_UNUSED,
          gpointer    user_data)
{
  Watch *watch = user_data;
  HpMeasurementPhase phase = hp_device_get_phase (HP_DEVICE (object));

  g_array_append_val (watch->phases, phase);
}

static void
on_ready (HpDevice      *device G_GNUC_UNUSED,
          HpMeasurement *measurement,
          gpointer       user_data)
{
  Watch *watch = user_data;

  watch->n_ready++;
  g_set_object (&watch->measurement, measurement);
}

static void
on_failed (HpDevice     *device G_GNUC_UNUSED,
           const GError *error,
           gpointer      user_data)
{
  Watch *watch = user_data;

  watch->n_failed++;
  g_clear_error (&watch->error);
  watch->error = g_error_copy (error);
}

static Watch *
watch_new (HpDevice *device)
{
  Watch *watch = g_new0 (Watch, 1);

  watch->device = g_object_ref (device);
  watch->phases = g_array_new (FALSE, FALSE, sizeof (HpMeasurementPhase));
  g_signal_connect (device, "notify::phase", G_CALLBACK (on_phase), watch);
  g_signal_connect (device, "measurement-ready", G_CALLBACK (on_ready), watch);
  g_signal_connect (device, "measurement-failed", G_CALLBACK (on_failed), watch);
  return watch;
}

static void
watch_reset (Watch *watch)
{
  g_array_set_size (watch->phases, 0);
  watch->n_ready = watch->n_failed = 0;
  g_clear_object (&watch->measurement);
  g_clear_error (&watch->error);
}

static void
watch_free (Watch *watch)
{
  g_signal_handlers_disconnect_by_data (watch->device, watch);
  g_object_unref (watch->device);
  g_array_unref (watch->phases);
  g_clear_object (&watch->measurement);
  g_clear_error (&watch->error);
  g_free (watch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Watch, watch_free)

static gboolean
safety_timeout (gpointer user_data)
{
  ((Watch *) user_data)->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until the running measurement ends. */
static void
wait_for_result (Watch *watch)
{
  guint safety = g_timeout_add_seconds (SAFETY_TIMEOUT_S, safety_timeout, watch);

  while (watch->n_ready + watch->n_failed == 0 && !watch->timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!watch->timed_out)
    g_source_remove (safety);
  assert_false (watch->timed_out);
}

static void
wait_for_phase (Watch              *watch,
                HpMeasurementPhase  phase)
{
  guint safety = g_timeout_add_seconds (SAFETY_TIMEOUT_S, safety_timeout, watch);

  while (hp_device_get_phase (watch->device) != phase && !watch->timed_out &&
         watch->n_ready + watch->n_failed == 0)
    g_main_context_iteration (NULL, TRUE);
  if (!watch->timed_out)
    g_source_remove (safety);
  assert_false (watch->timed_out);
  assert_int_equal (hp_device_get_phase (watch->device), phase);
}

/* Lets every pending event run, then waits @ms more for anything late. */
static void
drain_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < until)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (1000);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
assert_value (HpMeasurement *measurement,
              HpQuantity     quantity,
              double         expected,
              const char    *expected_unit)
{
  double value;
  const char *unit;

  assert_true (hp_measurement_get_value (measurement, quantity, &value, &unit));
  assert_true (fabs (value - expected) < 1e-9);
  assert_string_equal (unit, expected_unit);
}

static void
assert_error (Watch         *watch,
              HpDeviceError  code)
{
  assert_int_equal (watch->n_ready, 0);
  assert_int_equal (watch->n_failed, 1);
  assert_non_null (watch->error);
  assert_true (watch->error->domain == HP_DEVICE_ERROR);
  assert_int_equal (watch->error->code, code);
}

static HpDevice *
new_cuff (HpCuffFault fault,
          guint       measure_ms,
          guint       timeout_ms)
{
  HpCuffSimulation simulation = {
    .systolic = 137, .diastolic = 89, .pulse = 71,
    .measure_ms = measure_ms, .timeout_ms = timeout_ms, .fault = fault,
  };

  return hp_simulated_cuff_new (&simulation);
}

static void
test_happy_path (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpDevice) cuff = new_cuff (HP_CUFF_FAULT_NONE, 30, 0);
  g_autoptr(Watch) watch = watch_new (cuff);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  static const HpMeasurementPhase expected_phases[] = {
    HP_MEASUREMENT_PHASE_WAITING_FOR_DEVICE,
    HP_MEASUREMENT_PHASE_MEASURING,
    HP_MEASUREMENT_PHASE_RECEIVING,
    HP_MEASUREMENT_PHASE_DONE,
  };
  GDateTime *device_time;

  assert_string_equal (hp_device_get_name (cuff), "Simulated blood-pressure cuff");
  assert_non_null (hp_device_get_id (cuff));
  assert_int_equal (hp_device_get_kind (cuff), HP_MEASUREMENT_KIND_BLOOD_PRESSURE);
  assert_int_equal (hp_device_get_state (cuff), HP_DEVICE_STATE_READY);
  assert_int_equal (hp_device_get_phase (cuff), HP_MEASUREMENT_PHASE_IDLE);

  for (guint round = 0; round < 2; round++)
    {
      watch_reset (watch);
      assert_true (hp_device_start_measurement (cuff, &error));
      assert_null (error);
      assert_int_equal (hp_device_get_state (cuff), HP_DEVICE_STATE_MEASURING);
      wait_for_result (watch);

      assert_int_equal (watch->n_failed, 0);
      assert_int_equal (watch->n_ready, 1);
      assert_non_null (watch->measurement);
      assert_int_equal (hp_measurement_get_kind (watch->measurement), HP_MEASUREMENT_KIND_BLOOD_PRESSURE);
      assert_value (watch->measurement, HP_QUANTITY_SYSTOLIC, 137, "mm[Hg]");
      assert_value (watch->measurement, HP_QUANTITY_DIASTOLIC, 89, "mm[Hg]");
      assert_value (watch->measurement, HP_QUANTITY_MEAN_ARTERIAL, 105, "mm[Hg]");
      assert_value (watch->measurement, HP_QUANTITY_PULSE_RATE, 71, "/min");
      assert_false (hp_measurement_has_value (watch->measurement, HP_QUANTITY_BODY_WEIGHT));
      assert_string_equal (hp_measurement_get_device_id (watch->measurement), HP_CUFF_SIMULATOR_SYSTEM_ID);
      assert_int_equal (hp_measurement_get_flags (watch->measurement), HP_MEASUREMENT_FLAG_NONE);

      /* The cuff stamps the reading with its own clock, which here is ours. */
      device_time = hp_measurement_get_device_time (watch->measurement);
      assert_non_null (device_time);
      now = g_date_time_new_now_local ();
      assert_true (llabs (g_date_time_difference (now, device_time)) < 60 * G_TIME_SPAN_SECOND);
      g_clear_pointer (&now, g_date_time_unref);

      assert_int_equal (watch->phases->len, G_N_ELEMENTS (expected_phases));
      assert_memory_equal (watch->phases->data, expected_phases, sizeof expected_phases);
      assert_int_equal (hp_device_get_state (cuff), HP_DEVICE_STATE_READY);
      assert_int_equal (hp_device_get_phase (cuff), HP_MEASUREMENT_PHASE_DONE);
    }

  /* Nothing arrives after the end. */
  drain_for (60);
  assert_int_equal (watch->n_ready + watch->n_failed, 1);
}

static void
test_unplug (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpDevice) cuff = new_cuff (HP_CUFF_FAULT_UNPLUG, 20, 0);
  g_autoptr(Watch) watch = watch_new (cuff);
  g_autoptr(GError) error = NULL;

  assert_true (hp_device_start_measurement (cuff, &error));
  wait_for_result (watch);
  assert_error (watch, HP_DEVICE_ERROR_DISCONNECTED);
  assert_int_equal (hp_device_get_state (cuff), HP_DEVICE_STATE_DISCONNECTED);
  assert_int_equal (hp_device_get_phase (cuff), HP_MEASUREMENT_PHASE_IDLE);

  assert_false (hp_device_start_measurement (cuff, &error));
  assert_true (g_error_matches (error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_NOT_CONNECTED));
  assert_int_equal (hp_device_get_state (cuff), HP_DEVICE_STATE_DISCONNECTED);
}

static void
test_timeout (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpDevice) cuff = new_cuff (HP_CUFF_FAULT_TIMEOUT, 20, 50);
  g_autoptr(Watch) watch = watch_new (cuff);
  g_autoptr(GError) error = NULL;

  assert_true (hp_device_start_measurement (cuff, &error));
  wait_for_result (watch);
  assert_error (watch, HP_DEVICE_ERROR_TIMEOUT);
  assert_int_equal (hp_device_get_state (cuff), HP_DEVICE_STATE_READY);
  assert_int_equal (hp_device_get_phase (cuff), HP_MEASUREMENT_PHASE_IDLE);
  /* It reached the measuring phase: the timeout is the report's, not the association's. */
  assert_true (watch->phases->len >= 2);
  assert_int_equal (g_array_index (watch->phases, HpMeasurementPhase, 1), HP_MEASUREMENT_PHASE_MEASURING);
}

static void
test_garbled (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpDevice) cuff = new_cuff (HP_CUFF_FAULT_GARBLED, 20, 0);
  g_autoptr(Watch) watch = watch_new (cuff);
  g_autoptr(GError) error = NULL;
  g_autofree char *where = g_strdup_printf ("at byte %d", HP_CUFF_SIMULATOR_GARBLED_OFFSET);

  assert_true (hp_device_start_measurement (cuff, &error));
  wait_for_result (watch);
  assert_error (watch, HP_DEVICE_ERROR_PROTOCOL);
  assert_non_null (strstr (watch->error->message, where));
  /* No health values in error messages. */
  assert_null (strstr (watch->error->message, "137"));
  assert_null (strstr (watch->error->message, "89"));
  assert_null (strstr (watch->error->message, "71"));
  assert_int_equal (hp_device_get_state (cuff), HP_DEVICE_STATE_READY);
  assert_int_equal (hp_device_get_phase (cuff), HP_MEASUREMENT_PHASE_IDLE);
}

static void
test_cancel (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpDevice) cuff = new_cuff (HP_CUFF_FAULT_NONE, 40, 0);
  g_autoptr(Watch) watch = watch_new (cuff);
  g_autoptr(GError) error = NULL;

  /* Cancelling an idle device does nothing. */
  hp_device_cancel_measurement (cuff);
  assert_int_equal (watch->n_failed, 0);

  /* While waiting for the device to associate. */
  assert_true (hp_device_start_measurement (cuff, &error));
  hp_device_cancel_measurement (cuff);
  assert_error (watch, HP_DEVICE_ERROR_CANCELLED);
  assert_int_equal (hp_device_get_state (cuff), HP_DEVICE_STATE_READY);
  assert_int_equal (hp_device_get_phase (cuff), HP_MEASUREMENT_PHASE_IDLE);
  drain_for (80);
  assert_int_equal (watch->n_ready + watch->n_failed, 1);

  /* While the cuff measures: its report must never arrive. */
  watch_reset (watch);
  assert_true (hp_device_start_measurement (cuff, &error));
  wait_for_phase (watch, HP_MEASUREMENT_PHASE_MEASURING);
  hp_device_cancel_measurement (cuff);
  assert_error (watch, HP_DEVICE_ERROR_CANCELLED);
  assert_int_equal (hp_device_get_state (cuff), HP_DEVICE_STATE_READY);
  drain_for (120);
  assert_int_equal (watch->n_ready + watch->n_failed, 1);

  /* And the cuff still works afterwards. */
  watch_reset (watch);
  assert_true (hp_device_start_measurement (cuff, &error));
  wait_for_result (watch);
  assert_int_equal (watch->n_ready, 1);
}

static void
test_start_while_busy (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpDevice) cuff = new_cuff (HP_CUFF_FAULT_NONE, 20, 0);
  g_autoptr(Watch) watch = watch_new (cuff);
  g_autoptr(GError) error = NULL;

  assert_true (hp_device_start_measurement (cuff, &error));
  assert_false (hp_device_start_measurement (cuff, &error));
  assert_true (g_error_matches (error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_BUSY));
  assert_int_equal (hp_device_get_state (cuff), HP_DEVICE_STATE_MEASURING);

  /* The first measurement is unharmed. */
  wait_for_result (watch);
  assert_int_equal (watch->n_ready, 1);
  assert_int_equal (watch->n_failed, 0);
}

static void
count_signal (gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
test_dispose_while_measuring (void **state G_GNUC_UNUSED)
{
  HpDevice *cuff = new_cuff (HP_CUFF_FAULT_NONE, 20, 0);
  g_autoptr(GError) error = NULL;
  guint ready = 0;

  g_signal_connect_swapped (cuff, "measurement-ready", G_CALLBACK (count_signal), &ready);
  assert_true (hp_device_start_measurement (cuff, &error));
  g_object_unref (cuff);
  drain_for (60);
  assert_int_equal (ready, 0);
}

/* An agent written out byte by byte, to drive the driver where the cuff
 * simulator never goes. */
typedef struct {
  HpSimulatorTransport *transport;
  guint16 dev_config_id;
  GBytes *report;              /* sent after the AARE, one byte at a time */
  GPtrArray *received;         /* GBytes per APDU from the manager */
  GByteArray *rx;
} ScriptedAgent;

static void
agent_send_bytewise (ScriptedAgent *agent,
                     const guint8  *data,
                     gsize          len)
{
  for (gsize i = 0; i < len; i++)
    hp_simulator_transport_agent_send (agent->transport, data + i, 1);
}

static void
on_agent_opened (HpSimulatorTransport *transport G_GNUC_UNUSED,
                 gpointer              user_data)
{
  ScriptedAgent *agent = user_data;
  static const guint8 system_id[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
  g_autoptr(GByteArray) aarq = g_byte_array_new ();

  hp_ieee11073_encode_aarq (aarq, system_id, sizeof system_id, agent->dev_config_id);
  agent_send_bytewise (agent, aarq->data, aarq->len);
}

static void
on_agent_sent (HpSimulatorTransport *transport G_GNUC_UNUSED,
               GBytes               *bytes,
               gpointer              user_data)
{
  ScriptedAgent *agent = user_data;
  gsize frame_len;

  g_byte_array_append (agent->rx, g_bytes_get_data (bytes, NULL), (guint) g_bytes_get_size (bytes));
  while (hp_ieee11073_apdu_complete (agent->rx->data, agent->rx->len, &frame_len))
    {
      HpIeee11073Apdu apdu;
      GBytes *frame = g_bytes_new (agent->rx->data, frame_len);

      g_byte_array_remove_range (agent->rx, 0, (guint) frame_len);
      g_ptr_array_add (agent->received, frame);
      assert_true (hp_ieee11073_decode_apdu (g_bytes_get_data (frame, NULL), frame_len, &apdu, NULL, NULL));

      if (apdu.type == HP_IEEE11073_APDU_AARE && apdu.u.aare.result == HP_IEEE11073_ASSOC_ACCEPTED &&
          agent->report != NULL)
        agent_send_bytewise (agent, g_bytes_get_data (agent->report, NULL), g_bytes_get_size (agent->report));
      else if (apdu.type == HP_IEEE11073_APDU_RLRQ)
        {
          g_autoptr(GByteArray) rlre = g_byte_array_new ();

          hp_ieee11073_encode_rlre (rlre, HP_IEEE11073_RELEASE_NORMAL);
          hp_simulator_transport_agent_send (agent->transport, rlre->data, rlre->len);
        }
    }
}

static ScriptedAgent *
scripted_agent_new (guint16  dev_config_id,
                    GBytes  *report)
{
  ScriptedAgent *agent = g_new0 (ScriptedAgent, 1);

  agent->transport = hp_simulator_transport_new ();
  agent->dev_config_id = dev_config_id;
  agent->report = report != NULL ? g_bytes_ref (report) : NULL;
  agent->received = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  agent->rx = g_byte_array_new ();
  g_signal_connect (agent->transport, "host-opened", G_CALLBACK (on_agent_opened), agent);
  g_signal_connect (agent->transport, "host-sent", G_CALLBACK (on_agent_sent), agent);
  return agent;
}

static void
scripted_agent_free (ScriptedAgent *agent)
{
  g_signal_handlers_disconnect_by_data (agent->transport, agent);
  g_object_unref (agent->transport);
  g_clear_pointer (&agent->report, g_bytes_unref);
  g_ptr_array_unref (agent->received);
  g_byte_array_unref (agent->rx);
  g_free (agent);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScriptedAgent, scripted_agent_free)

static guint16
received_tag (ScriptedAgent *agent,
              guint          index)
{
  const guint8 *data;

  assert_true (index < agent->received->len);
  data = g_bytes_get_data (g_ptr_array_index (agent->received, index), NULL);
  return (guint16) ((data[0] << 8) | data[1]);
}

static GBytes *
bp_report_bytes (double                         systolic,
                 const HpIeee11073AbsoluteTime *time)
{
  HpIeee11073BloodPressure reading = {
    .data_req_id = 0xF000, .systolic = systolic, .diastolic = 70, .mean_arterial = NAN,
    .has_pulse = FALSE, .time = *time,
  };
  GByteArray *out = g_byte_array_new ();

  assert_true (hp_ieee11073_encode_blood_pressure (out, 0x0101, 0, &reading));
  return g_byte_array_free_to_bytes (out);
}

static void
test_split_delivery_and_exchange (void **state G_GNUC_UNUSED)
{
  static const HpIeee11073AbsoluteTime time = { 2023, 6, 1, 8, 30, 15, 50 };
  g_autoptr(GBytes) report = bp_report_bytes (118, &time);
  g_autoptr(ScriptedAgent) agent = scripted_agent_new (HP_IEEE11073_CONFIG_BLOOD_PRESSURE, report);
  g_autoptr(HpDevice) device = hp_phdc_device_new ("phdc-test", "Test cuff", HP_MEASUREMENT_KIND_BLOOD_PRESSURE,
                                                   HP_TRANSPORT (agent->transport));
  g_autoptr(Watch) watch = watch_new (device);
  g_autoptr(GError) error = NULL;
  HpIeee11073Apdu apdu;
  GDateTime *device_time;

  assert_true (hp_device_start_measurement (device, &error));
  wait_for_result (watch);
  assert_int_equal (watch->n_ready, 1);
  assert_value (watch->measurement, HP_QUANTITY_SYSTOLIC, 118, "mm[Hg]");
  assert_value (watch->measurement, HP_QUANTITY_DIASTOLIC, 70, "mm[Hg]");
  /* A NaN mean and a missing pulse are left out, not invented. */
  assert_false (hp_measurement_has_value (watch->measurement, HP_QUANTITY_MEAN_ARTERIAL));
  assert_false (hp_measurement_has_value (watch->measurement, HP_QUANTITY_PULSE_RATE));
  assert_string_equal (hp_measurement_get_device_id (watch->measurement), "0102030405060708");
  device_time = hp_measurement_get_device_time (watch->measurement);
  assert_int_equal (g_date_time_get_year (device_time), 2023);
  assert_int_equal (g_date_time_get_month (device_time), 6);
  assert_int_equal (g_date_time_get_hour (device_time), 8);
  assert_int_equal (g_date_time_get_minute (device_time), 30);
  assert_int_equal (g_date_time_get_second (device_time), 15);

  /* The manager's side of the exchange: AARE accepted, RORS for invoke id
   * 0x0101, RLRQ. */
  assert_int_equal (agent->received->len, 3);
  assert_int_equal (received_tag (agent, 0), HP_IEEE11073_APDU_AARE);
  assert_true (hp_ieee11073_decode_apdu (g_bytes_get_data (g_ptr_array_index (agent->received, 0), NULL),
                                         g_bytes_get_size (g_ptr_array_index (agent->received, 0)),
                                         &apdu, NULL, NULL));
  assert_int_equal (apdu.u.aare.result, HP_IEEE11073_ASSOC_ACCEPTED);
  assert_int_equal (apdu.u.aare.info.system_type, HP_IEEE11073_SYS_TYPE_MANAGER);
  assert_true (hp_ieee11073_decode_apdu (g_bytes_get_data (g_ptr_array_index (agent->received, 1), NULL),
                                         g_bytes_get_size (g_ptr_array_index (agent->received, 1)),
                                         &apdu, NULL, NULL));
  assert_int_equal (apdu.type, HP_IEEE11073_APDU_PRST);
  assert_int_equal (apdu.u.prst.choice, HP_IEEE11073_RORS_CONFIRMED_EVENT_REPORT);
  assert_int_equal (apdu.u.prst.invoke_id, 0x0101);
  assert_int_equal (apdu.u.prst.event_type, HP_IEEE11073_NOTI_SCAN_REPORT_FIXED);
  assert_int_equal (received_tag (agent, 2), HP_IEEE11073_APDU_RLRQ);
  assert_false (hp_simulator_transport_is_open (agent->transport));
}

static void
test_unknown_configuration_rejected (void **state G_GNUC_UNUSED)
{
  g_autoptr(ScriptedAgent) agent = scripted_agent_new (0x4000, NULL);
  g_autoptr(HpDevice) device = hp_phdc_device_new ("phdc-test", "Test cuff", HP_MEASUREMENT_KIND_BLOOD_PRESSURE,
                                                   HP_TRANSPORT (agent->transport));
  g_autoptr(Watch) watch = watch_new (device);
  g_autoptr(GError) error = NULL;
  HpIeee11073Apdu apdu;

  assert_true (hp_device_start_measurement (device, &error));
  wait_for_result (watch);
  assert_error (watch, HP_DEVICE_ERROR_PROTOCOL);
  assert_int_equal (hp_device_get_state (device), HP_DEVICE_STATE_READY);
  drain_for (10);
  assert_int_equal (agent->received->len, 1);
  assert_true (hp_ieee11073_decode_apdu (g_bytes_get_data (g_ptr_array_index (agent->received, 0), NULL),
                                         g_bytes_get_size (g_ptr_array_index (agent->received, 0)),
                                         &apdu, NULL, NULL));
  assert_int_equal (apdu.type, HP_IEEE11073_APDU_AARE);
  assert_int_equal (apdu.u.aare.result, HP_IEEE11073_ASSOC_REJECTED_PERMANENT);

  /* The same configuration is not accepted for a device of another kind. */
  {
    g_autoptr(ScriptedAgent) scale_agent = scripted_agent_new (HP_IEEE11073_CONFIG_BLOOD_PRESSURE, NULL);
    g_autoptr(HpDevice) scale = hp_phdc_device_new ("phdc-scale", "Test scale", HP_MEASUREMENT_KIND_BODY_WEIGHT,
                                                    HP_TRANSPORT (scale_agent->transport));
    g_autoptr(Watch) scale_watch = watch_new (scale);

    assert_true (hp_device_start_measurement (scale, &error));
    wait_for_result (scale_watch);
    assert_error (scale_watch, HP_DEVICE_ERROR_PROTOCOL);
  }
}

static void
test_no_valid_pressure_and_lost_clock (void **state G_GNUC_UNUSED)
{
  static const HpIeee11073AbsoluteTime time = { 2023, 6, 1, 8, 30, 15, 50 };
  g_autoptr(GBytes) nan_report = bp_report_bytes (NAN, &time);
  g_autoptr(ScriptedAgent) agent = scripted_agent_new (HP_IEEE11073_CONFIG_BLOOD_PRESSURE, nan_report);
  g_autoptr(HpDevice) device = hp_phdc_device_new ("phdc-test", "Test cuff", HP_MEASUREMENT_KIND_BLOOD_PRESSURE,
                                                   HP_TRANSPORT (agent->transport));
  g_autoptr(Watch) watch = watch_new (device);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) zero_clock = NULL;
  g_autofree guint8 *patched = NULL;
  gsize size;

  assert_true (hp_device_start_measurement (device, &error));
  wait_for_result (watch);
  assert_error (watch, HP_DEVICE_ERROR_IMPLAUSIBLE);

  /* Same report with the clock bytes zeroed (a cuff whose clock was never set). */
  {
    g_autoptr(GBytes) good = bp_report_bytes (121, &time);
    const guint8 *good_data = g_bytes_get_data (good, &size);

    patched = g_memdup2 (good_data, size);
  }
  memset (patched + size - 8, 0, 8); /* the only observation ends with its time */
  zero_clock = g_bytes_new (patched, size);
  g_clear_pointer (&agent->report, g_bytes_unref);
  agent->report = g_bytes_ref (zero_clock);

  watch_reset (watch);
  assert_true (hp_device_start_measurement (device, &error));
  wait_for_result (watch);
  assert_int_equal (watch->n_ready, 1);
  assert_value (watch->measurement, HP_QUANTITY_SYSTOLIC, 121, "mm[Hg]");
  assert_null (hp_measurement_get_device_time (watch->measurement));
  assert_int_equal (hp_measurement_get_flags (watch->measurement), HP_MEASUREMENT_FLAG_DEVICE_CLOCK_INVALID);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_happy_path),
    cmocka_unit_test (test_unplug),
    cmocka_unit_test (test_timeout),
    cmocka_unit_test (test_garbled),
    cmocka_unit_test (test_cancel),
    cmocka_unit_test (test_start_while_busy),
    cmocka_unit_test (test_dispose_while_measuring),
    cmocka_unit_test (test_split_delivery_and_exchange),
    cmocka_unit_test (test_unknown_configuration_rejected),
    cmocka_unit_test (test_no_valid_pressure_and_lost_clock),
  };

  return cmocka_run_group_tests_name ("phdc-device", tests, NULL, NULL);
}
