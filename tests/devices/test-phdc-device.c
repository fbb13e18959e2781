/* Tests of the PHDC driver against the simulated agents (cuff, scale, glucose meter) and a scripted agent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>

#include "hp-phdc-simulator.h"
#include "hp-device-private.h"
#include "hp-device-watch.h"
#include "hp-ieee11073.h"
#include "hp-phdc-device.h"
#include "hp-simulated-cuff.h"
#include "hp-simulated-phdc.h"
#include "hp-simulator-transport.h"

/* Runs the main loop until the running measurement ends. */
static void
wait_for_result (HpDeviceWatch *watch)
{
  assert_true (hp_device_watch_wait_for_result (watch));
}

static void
wait_for_phase (HpDeviceWatch      *watch,
                HpMeasurementPhase  phase)
{
  assert_true (hp_device_watch_wait_for_phase (watch, phase));
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
assert_error (HpDeviceWatch *watch,
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
  g_autoptr(HpDeviceWatch) watch = hp_device_watch_new (cuff);
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
      hp_device_watch_reset (watch);
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
      assert_string_equal (hp_measurement_get_device_id (watch->measurement), HP_PHDC_SIMULATOR_CUFF_ID);
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
  g_autoptr(HpDeviceWatch) watch = hp_device_watch_new (cuff);
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
  g_autoptr(HpDeviceWatch) watch = hp_device_watch_new (cuff);
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
  g_autoptr(HpDeviceWatch) watch = hp_device_watch_new (cuff);
  g_autoptr(GError) error = NULL;
  g_autofree char *where = g_strdup_printf ("at byte %d", HP_PHDC_SIMULATOR_GARBLED_OFFSET);

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
  g_autoptr(HpDeviceWatch) watch = hp_device_watch_new (cuff);
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
  hp_device_watch_reset (watch);
  assert_true (hp_device_start_measurement (cuff, &error));
  wait_for_phase (watch, HP_MEASUREMENT_PHASE_MEASURING);
  hp_device_cancel_measurement (cuff);
  assert_error (watch, HP_DEVICE_ERROR_CANCELLED);
  assert_int_equal (hp_device_get_state (cuff), HP_DEVICE_STATE_READY);
  drain_for (120);
  assert_int_equal (watch->n_ready + watch->n_failed, 1);

  /* And the cuff still works afterwards. */
  hp_device_watch_reset (watch);
  assert_true (hp_device_start_measurement (cuff, &error));
  wait_for_result (watch);
  assert_int_equal (watch->n_ready, 1);
}

static void
test_start_while_busy (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpDevice) cuff = new_cuff (HP_CUFF_FAULT_NONE, 20, 0);
  g_autoptr(HpDeviceWatch) watch = hp_device_watch_new (cuff);
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
  g_autoptr(HpDeviceWatch) watch = hp_device_watch_new (device);
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
test_no_valid_pressure_and_lost_clock (void **state G_GNUC_UNUSED)
{
  static const HpIeee11073AbsoluteTime time = { 2023, 6, 1, 8, 30, 15, 50 };
  g_autoptr(GBytes) nan_report = bp_report_bytes (NAN, &time);
  g_autoptr(ScriptedAgent) agent = scripted_agent_new (HP_IEEE11073_CONFIG_BLOOD_PRESSURE, nan_report);
  g_autoptr(HpDevice) device = hp_phdc_device_new ("phdc-test", "Test cuff", HP_MEASUREMENT_KIND_BLOOD_PRESSURE,
                                                   HP_TRANSPORT (agent->transport));
  g_autoptr(HpDeviceWatch) watch = hp_device_watch_new (device);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) zero_clock = NULL;
  g_autofree guint8 *patched = NULL;
  gsize size;

  /* A NaN systolic is a broken report, not a reading. */
  assert_true (hp_device_start_measurement (device, &error));
  wait_for_result (watch);
  assert_error (watch, HP_DEVICE_ERROR_PROTOCOL);
  assert_non_null (strstr (watch->error->message, "NaN"));

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

  hp_device_watch_reset (watch);
  assert_true (hp_device_start_measurement (device, &error));
  wait_for_result (watch);
  assert_int_equal (watch->n_ready, 1);
  assert_value (watch->measurement, HP_QUANTITY_SYSTOLIC, 121, "mm[Hg]");
  assert_null (hp_measurement_get_device_time (watch->measurement));
  assert_int_equal (hp_measurement_get_flags (watch->measurement), HP_MEASUREMENT_FLAG_DEVICE_CLOCK_INVALID);

  /* Time bytes that are not BCD are a broken encoder, not a lost clock. */
  patched[size - 8] = 0x2A;
  g_clear_pointer (&zero_clock, g_bytes_unref);
  zero_clock = g_bytes_new (patched, size);
  g_clear_pointer (&agent->report, g_bytes_unref);
  agent->report = g_bytes_ref (zero_clock);
  hp_device_watch_reset (watch);
  assert_true (hp_device_start_measurement (device, &error));
  wait_for_result (watch);
  assert_error (watch, HP_DEVICE_ERROR_PROTOCOL);
  assert_non_null (strstr (watch->error->message, "BCD"));
}

/* ---- the generalised agent simulator ------------------------------------ */

/* The manager's APDUs as the agent received them. */
typedef struct {
  HpSimulatorTransport *transport;
  GPtrArray *apdus;   /* GBytes */
} Recorder;

static void
on_recorder_sent (HpSimulatorTransport *transport G_GNUC_UNUSED,
                  GBytes               *bytes,
                  gpointer              user_data)
{
  g_ptr_array_add (((Recorder *) user_data)->apdus, g_bytes_ref (bytes));
}

static Recorder *
recorder_new (HpDevice *device)
{
  Recorder *recorder = g_new0 (Recorder, 1);

  recorder->transport = g_object_ref (HP_SIMULATOR_TRANSPORT (hp_phdc_device_get_transport (HP_PHDC_DEVICE (device))));
  recorder->apdus = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_signal_connect (recorder->transport, "host-sent", G_CALLBACK (on_recorder_sent), recorder);
  return recorder;
}

static void
recorder_free (Recorder *recorder)
{
  g_signal_handlers_disconnect_by_data (recorder->transport, recorder);
  g_object_unref (recorder->transport);
  g_ptr_array_unref (recorder->apdus);
  g_free (recorder);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Recorder, recorder_free)

/* The last manager APDU of @type, decoded into @apdu (which points into
 * the recorder's bytes). */
static gboolean
recorded (Recorder            *recorder,
          HpIeee11073ApduType  type,
          HpIeee11073Apdu     *apdu)
{
  for (guint i = recorder->apdus->len; i > 0; i--)
    {
      GBytes *bytes = g_ptr_array_index (recorder->apdus, i - 1);
      gsize size;
      const guint8 *data = g_bytes_get_data (bytes, &size);

      assert_true (hp_ieee11073_decode_apdu (data, size, apdu, NULL, NULL));
      if (apdu->type == type)
        return TRUE;
    }
  return FALSE;
}

static HpPhdcSimulation
simulation_of (HpMeasurementKind kind)
{
  HpPhdcSimulation simulation = { .kind = kind, .measure_ms = 10, .fault_step = HP_PHDC_STEP_MEASURE };

  switch (kind)
    {
    case HP_MEASUREMENT_KIND_BLOOD_PRESSURE:
      simulation.value = 128, simulation.diastolic = 84, simulation.pulse = 66;
      break;
    case HP_MEASUREMENT_KIND_BODY_WEIGHT:
      simulation.value = 72.35;
      break;
    case HP_MEASUREMENT_KIND_BLOOD_GLUCOSE:
    default:
      simulation.value = 104;
      break;
    }
  return simulation;
}

static void
measure (HpDevice *device,
         HpDeviceWatch    *watch)
{
  g_autoptr(GError) error = NULL;

  hp_device_watch_reset (watch);
  assert_true (hp_device_start_measurement (device, &error));
  assert_null (error);
  wait_for_result (watch);
  /* What the manager sent last (an ABRT, say) reaches the agent after. */
  drain_for (0);
}

static void
assert_code (HpMeasurement *measurement,
             HpQuantity     quantity,
             guint32        expected)
{
  assert_int_equal (hp_measurement_get_mdc_code (measurement, quantity), expected);
}

static void
check_reading (const HpPhdcSimulation *simulation,
               HpDeviceWatch                  *watch)
{
  HpMeasurement *m = watch->measurement;

  assert_int_equal (watch->n_failed, 0);
  assert_int_equal (watch->n_ready, 1);
  assert_int_equal (hp_measurement_get_kind (m), simulation->kind);
  assert_non_null (hp_measurement_get_device_time (m));
  switch (simulation->kind)
    {
    case HP_MEASUREMENT_KIND_BLOOD_PRESSURE:
      assert_value (m, HP_QUANTITY_SYSTOLIC, simulation->value,
                    simulation->unit_code == HP_IEEE11073_MDC_DIM_KILO_PASCAL ? "kPa" : "mm[Hg]");
      assert_value (m, HP_QUANTITY_DIASTOLIC, simulation->diastolic,
                    simulation->unit_code == HP_IEEE11073_MDC_DIM_KILO_PASCAL ? "kPa" : "mm[Hg]");
      assert_value (m, HP_QUANTITY_PULSE_RATE, simulation->pulse, "/min");
      assert_code (m, HP_QUANTITY_SYSTOLIC, 150021);
      assert_code (m, HP_QUANTITY_DIASTOLIC, 150022);
      assert_code (m, HP_QUANTITY_MEAN_ARTERIAL, 150023);
      assert_code (m, HP_QUANTITY_PULSE_RATE, 149546);
      assert_string_equal (hp_measurement_get_device_id (m), HP_PHDC_SIMULATOR_CUFF_ID);
      break;
    case HP_MEASUREMENT_KIND_BODY_WEIGHT:
      assert_value (m, HP_QUANTITY_BODY_WEIGHT, simulation->value,
                    simulation->unit_code == HP_IEEE11073_MDC_DIM_LB ? "[lb_av]" : "kg");
      assert_code (m, HP_QUANTITY_BODY_WEIGHT, 188736);
      assert_false (hp_measurement_has_value (m, HP_QUANTITY_SYSTOLIC));
      assert_string_equal (hp_measurement_get_device_id (m), HP_PHDC_SIMULATOR_SCALE_ID);
      break;
    case HP_MEASUREMENT_KIND_BLOOD_GLUCOSE:
    default:
      assert_value (m, HP_QUANTITY_BLOOD_GLUCOSE, simulation->value,
                    simulation->unit_code == HP_IEEE11073_MDC_DIM_MILLI_MOLE_PER_L ? "mmol/L" : "mg/dL");
      assert_code (m, HP_QUANTITY_BLOOD_GLUCOSE, 160184);
      assert_string_equal (hp_measurement_get_device_id (m), HP_PHDC_SIMULATOR_GLUCOSE_ID);
      break;
    }
}

static void
test_specializations_and_report_forms (void **state G_GNUC_UNUSED)
{
  static const HpMeasurementKind kinds[] = {
    HP_MEASUREMENT_KIND_BLOOD_PRESSURE, HP_MEASUREMENT_KIND_BODY_WEIGHT, HP_MEASUREMENT_KIND_BLOOD_GLUCOSE,
  };
  static const HpPhdcReportForm forms[] = {
    HP_PHDC_REPORT_FIXED, HP_PHDC_REPORT_VAR, HP_PHDC_REPORT_MP_FIXED, HP_PHDC_REPORT_MP_VAR,
  };
  static const HpMeasurementPhase expected_phases[] = {
    HP_MEASUREMENT_PHASE_WAITING_FOR_DEVICE,
    HP_MEASUREMENT_PHASE_MEASURING,
    HP_MEASUREMENT_PHASE_RECEIVING,
    HP_MEASUREMENT_PHASE_DONE,
  };

  for (gsize k = 0; k < G_N_ELEMENTS (kinds); k++)
    for (gsize f = 0; f < G_N_ELEMENTS (forms); f++)
      {
        HpPhdcSimulation simulation = simulation_of (kinds[k]);
        g_autoptr(HpDevice) device = NULL;
        g_autoptr(HpDeviceWatch) watch = NULL;

        simulation.report_form = forms[f];
        device = hp_simulated_phdc_new (&simulation);
        watch = hp_device_watch_new (device);
        assert_int_equal (hp_device_get_kind (device), kinds[k]);
        measure (device, watch);
        check_reading (&simulation, watch);
        assert_int_equal (watch->phases->len, G_N_ELEMENTS (expected_phases));
        assert_memory_equal (watch->phases->data, expected_phases, sizeof expected_phases);
        assert_int_equal (hp_device_get_state (device), HP_DEVICE_STATE_READY);
      }
}

static void
test_units (void **state G_GNUC_UNUSED)
{
  static const struct {
    HpMeasurementKind kind;
    guint16 unit_code;
    double value;
  } cases[] = {
    { HP_MEASUREMENT_KIND_BODY_WEIGHT, HP_IEEE11073_MDC_DIM_LB, 160.4 },
    { HP_MEASUREMENT_KIND_BLOOD_GLUCOSE, HP_IEEE11073_MDC_DIM_MILLI_MOLE_PER_L, 5.8 },
    { HP_MEASUREMENT_KIND_BLOOD_PRESSURE, HP_IEEE11073_MDC_DIM_KILO_PASCAL, 16.5 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      HpPhdcSimulation simulation = simulation_of (cases[i].kind);
      g_autoptr(HpDevice) device = NULL;
      g_autoptr(HpDeviceWatch) watch = NULL;

      simulation.unit_code = cases[i].unit_code;
      simulation.value = cases[i].value;
      simulation.diastolic = 10.5;
      /* Extended configurations carry their own unit. */
      simulation.dev_config_id = (guint16) (0x4100 + i);
      device = hp_simulated_phdc_new (&simulation);
      watch = hp_device_watch_new (device);
      measure (device, watch);
      check_reading (&simulation, watch);
    }
}

static void
test_extended_configuration_learned_and_reused (void **state G_GNUC_UNUSED)
{
  HpPhdcSimulation simulation = simulation_of (HP_MEASUREMENT_KIND_BLOOD_PRESSURE);
  g_autoptr(HpSimulatorTransport) transport = hp_simulator_transport_new ();
  g_autoptr(HpPhdcSimulator) agent = NULL;
  g_autoptr(HpDevice) device = NULL;
  g_autoptr(HpDeviceWatch) watch = NULL;
  g_autoptr(Recorder) recorder = NULL;
  g_autoptr(GBytes) blob = NULL;
  g_autoptr(GBytes) damaged = NULL;
  g_autoptr(GError) error = NULL;
  HpIeee11073Apdu apdu;
  guint16 config_id, result;

  hp_phdc_device_forget_learned_configurations ();
  simulation.dev_config_id = 0x4000;
  agent = hp_phdc_simulator_new (transport, &simulation);
  device = hp_phdc_device_new ("phdc-ext", "Extended cuff", HP_MEASUREMENT_KIND_BLOOD_PRESSURE, HP_TRANSPORT (transport));
  watch = hp_device_watch_new (device);
  recorder = recorder_new (device);

  /* First association: accepted-unknown-config, configuration accepted. */
  measure (device, watch);
  check_reading (&simulation, watch);
  assert_int_equal (hp_phdc_simulator_get_config_reports (agent), 1);
  assert_true (recorded (recorder, HP_IEEE11073_APDU_AARE, &apdu));
  assert_int_equal (apdu.u.aare.result, HP_IEEE11073_ASSOC_ACCEPTED_UNKNOWN_CONFIG);
  {
    gboolean found = FALSE;

    for (guint i = 0; i < recorder->apdus->len && !found; i++)
      {
        GBytes *bytes = g_ptr_array_index (recorder->apdus, i);

        assert_true (hp_ieee11073_decode_apdu (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &apdu, NULL, NULL));
        found = apdu.type == HP_IEEE11073_APDU_PRST &&
                hp_ieee11073_decode_config_report_response (&apdu.u.prst, &config_id, &result, NULL);
      }
    assert_true (found);
    assert_int_equal (config_id, 0x4000);
    assert_int_equal (result, HP_IEEE11073_CONFIG_ACCEPTED);
  }
  assert_int_equal (hp_phdc_device_count_learned_configurations (), 1);

  /* Second association: known now, accepted at once. */
  g_ptr_array_set_size (recorder->apdus, 0);
  measure (device, watch);
  assert_int_equal (watch->n_ready, 1);
  assert_int_equal (hp_phdc_simulator_get_associations (agent), 2);
  assert_int_equal (hp_phdc_simulator_get_config_reports (agent), 1);
  assert_true (recorded (recorder, HP_IEEE11073_APDU_AARE, &apdu));
  assert_int_equal (apdu.u.aare.result, HP_IEEE11073_ASSOC_ACCEPTED);

  /* Kept across a restart through the blob. */
  blob = hp_phdc_device_save_learned_configurations ();
  hp_phdc_device_forget_learned_configurations ();
  assert_int_equal (hp_phdc_device_count_learned_configurations (), 0);
  assert_true (hp_phdc_device_load_learned_configurations (blob, &error));
  assert_null (error);
  assert_int_equal (hp_phdc_device_count_learned_configurations (), 1);
  measure (device, watch);
  assert_int_equal (watch->n_ready, 1);
  assert_int_equal (hp_phdc_simulator_get_config_reports (agent), 1);

  /* A damaged blob is refused and changes nothing. */
  damaged = g_bytes_new_from_bytes (blob, 0, g_bytes_get_size (blob) - 3);
  hp_phdc_device_forget_learned_configurations ();
  assert_false (hp_phdc_device_load_learned_configurations (damaged, &error));
  assert_non_null (error);
  assert_true (error->domain == HP_IEEE11073_ERROR);
  assert_int_equal (hp_phdc_device_count_learned_configurations (), 0);

  /* Forgotten: learned again. */
  measure (device, watch);
  assert_int_equal (watch->n_ready, 1);
  assert_int_equal (hp_phdc_simulator_get_config_reports (agent), 2);
  hp_phdc_device_forget_learned_configurations ();
}

static void
run_fault (HpPhdcSimulation *simulation,
           HpDeviceWatch           **watch_out,
           HpDevice        **device_out,
           Recorder        **recorder_out)
{
  HpDevice *device = hp_simulated_phdc_new (simulation);

  *watch_out = hp_device_watch_new (device);
  *recorder_out = recorder_new (device);
  measure (device, *watch_out);
  *device_out = device;
}

static void
test_unplug_at_each_step (void **state G_GNUC_UNUSED)
{
  static const HpPhdcStep steps[] = {
    HP_PHDC_STEP_ASSOCIATE, HP_PHDC_STEP_CONFIGURE, HP_PHDC_STEP_MEASURE, HP_PHDC_STEP_RELEASE,
  };

  hp_phdc_device_forget_learned_configurations ();
  for (gsize i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      HpPhdcSimulation simulation = simulation_of (HP_MEASUREMENT_KIND_BODY_WEIGHT);
      g_autoptr(HpDevice) device = NULL;
      g_autoptr(HpDeviceWatch) watch = NULL;
      g_autoptr(Recorder) recorder = NULL;

      simulation.dev_config_id = 0x4321; /* so that there is a configuration step */
      simulation.fault = HP_PHDC_FAULT_UNPLUG;
      simulation.fault_step = steps[i];
      run_fault (&simulation, &watch, &device, &recorder);
      if (steps[i] == HP_PHDC_STEP_RELEASE)
        {
          /* The reading was confirmed before the release: it stands. */
          check_reading (&simulation, watch);
        }
      else
        {
          assert_error (watch, HP_DEVICE_ERROR_DISCONNECTED);
          assert_string_equal (watch->error->message, "The device was disconnected during the measurement");
        }
      assert_int_equal (hp_device_get_state (device), HP_DEVICE_STATE_DISCONNECTED);
      hp_phdc_device_forget_learned_configurations ();
    }
}

static void
test_silence_at_each_step (void **state G_GNUC_UNUSED)
{
  static const struct {
    HpPhdcStep step;
    HpDeviceError code;       /* 0: the reading arrives */
    const char *message;
    int abort_reason;         /* -1: no ABRT */
  } cases[] = {
    { HP_PHDC_STEP_ASSOCIATE, HP_DEVICE_ERROR_TIMEOUT, "The device did not connect in time", -1 },
    { HP_PHDC_STEP_CONFIGURE, HP_DEVICE_ERROR_TIMEOUT, "The device did not send its configuration in time",
      HP_IEEE11073_ABORT_CONFIGURATION_TIMEOUT },
    { HP_PHDC_STEP_MEASURE, HP_DEVICE_ERROR_TIMEOUT, "The device did not send a reading in time",
      HP_IEEE11073_ABORT_RESPONSE_TIMEOUT },
    { HP_PHDC_STEP_RELEASE, 0, NULL, HP_IEEE11073_ABORT_RESPONSE_TIMEOUT },
  };

  hp_phdc_device_forget_learned_configurations ();
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      HpPhdcSimulation simulation = simulation_of (HP_MEASUREMENT_KIND_BLOOD_GLUCOSE);
      g_autoptr(HpDevice) device = NULL;
      g_autoptr(HpDeviceWatch) watch = NULL;
      g_autoptr(Recorder) recorder = NULL;
      HpIeee11073Apdu apdu;

      simulation.dev_config_id = 0x5000;
      simulation.fault = HP_PHDC_FAULT_SILENT;
      simulation.fault_step = cases[i].step;
      simulation.timeout_ms = 60;
      run_fault (&simulation, &watch, &device, &recorder);
      if (cases[i].message == NULL)
        check_reading (&simulation, watch);
      else
        {
          assert_error (watch, cases[i].code);
          assert_string_equal (watch->error->message, cases[i].message);
        }
      assert_int_equal (hp_device_get_state (device), HP_DEVICE_STATE_READY);
      assert_int_equal (hp_device_get_phase (device), cases[i].message == NULL ? HP_MEASUREMENT_PHASE_DONE
                                                                               : HP_MEASUREMENT_PHASE_IDLE);
      if (cases[i].abort_reason < 0)
        assert_false (recorded (recorder, HP_IEEE11073_APDU_ABRT, &apdu));
      else
        {
          assert_true (recorded (recorder, HP_IEEE11073_APDU_ABRT, &apdu));
          assert_int_equal (apdu.u.abort_reason, cases[i].abort_reason);
        }
      hp_phdc_device_forget_learned_configurations ();
    }
}

static void
test_agent_faults (void **state G_GNUC_UNUSED)
{
  static const struct {
    HpPhdcFault fault;
    guint16 dev_config_id;
    HpDeviceError code;
    const char *in_message;
  } cases[] = {
    { HP_PHDC_FAULT_GARBLED_LENGTH, 0, HP_DEVICE_ERROR_PROTOCOL, "at byte 20" },
    { HP_PHDC_FAULT_NAN_VALUE, 0, HP_DEVICE_ERROR_PROTOCOL, "NaN" },
    { HP_PHDC_FAULT_NAN_VALUE, 0x4400, HP_DEVICE_ERROR_PROTOCOL, "NaN" },
    { HP_PHDC_FAULT_ABORT, 0, HP_DEVICE_ERROR_PROTOCOL, "aborted the session (undefined)" },
    { HP_PHDC_FAULT_RELEASE, 0, HP_DEVICE_ERROR_PROTOCOL, "ended the session before sending a reading" },
    { HP_PHDC_FAULT_UNSUPPORTED_CONFIG, 0x4001, HP_DEVICE_ERROR_UNSUPPORTED, "no measurement the kiosk can record" },
    { HP_PHDC_FAULT_NO_COMMON_ENCODING, 0, HP_DEVICE_ERROR_UNSUPPORTED, "association result 5" },
  };
  static const HpMeasurementKind kinds[] = {
    HP_MEASUREMENT_KIND_BLOOD_PRESSURE, HP_MEASUREMENT_KIND_BODY_WEIGHT, HP_MEASUREMENT_KIND_BLOOD_GLUCOSE,
  };

  for (gsize k = 0; k < G_N_ELEMENTS (kinds); k++)
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        HpPhdcSimulation simulation = simulation_of (kinds[k]);
        g_autoptr(HpDevice) device = NULL;
        g_autoptr(HpDeviceWatch) watch = NULL;
        g_autoptr(Recorder) recorder = NULL;
        g_autofree char *value = NULL;
        HpIeee11073Apdu apdu;

        simulation.fault = cases[i].fault;
        simulation.dev_config_id = cases[i].dev_config_id;
        simulation.timeout_ms = 2000;
        run_fault (&simulation, &watch, &device, &recorder);
        assert_error (watch, cases[i].code);
        assert_non_null (strstr (watch->error->message, cases[i].in_message));
        /* Staff messages never carry the patient's values. */
        value = g_strdup_printf ("%g", simulation.value);
        assert_null (strstr (watch->error->message, value));
        assert_int_equal (hp_device_get_state (device), HP_DEVICE_STATE_READY);
        assert_int_equal (hp_device_get_phase (device), HP_MEASUREMENT_PHASE_IDLE);

        switch (cases[i].fault)
          {
          case HP_PHDC_FAULT_RELEASE:
            assert_true (recorded (recorder, HP_IEEE11073_APDU_RLRE, &apdu));
            break;
          case HP_PHDC_FAULT_UNSUPPORTED_CONFIG:
            assert_true (recorded (recorder, HP_IEEE11073_APDU_PRST, &apdu));
            {
              guint16 result;

              assert_true (hp_ieee11073_decode_config_report_response (&apdu.u.prst, NULL, &result, NULL));
              assert_int_equal (result, HP_IEEE11073_CONFIG_UNSUPPORTED);
            }
            assert_true (recorded (recorder, HP_IEEE11073_APDU_RLRE, &apdu));
            break;
          case HP_PHDC_FAULT_NO_COMMON_ENCODING:
            assert_true (recorded (recorder, HP_IEEE11073_APDU_AARE, &apdu));
            assert_int_equal (apdu.u.aare.result, HP_IEEE11073_ASSOC_REJECTED_NO_COMMON_PARAMETER);
            break;
          case HP_PHDC_FAULT_GARBLED_LENGTH:
          case HP_PHDC_FAULT_NAN_VALUE:
            assert_true (recorded (recorder, HP_IEEE11073_APDU_ABRT, &apdu));
            break;
          case HP_PHDC_FAULT_NONE:
          case HP_PHDC_FAULT_UNPLUG:
          case HP_PHDC_FAULT_SILENT:
          case HP_PHDC_FAULT_ABORT:
          case HP_PHDC_FAULT_CLOCK_LOST:
          default:
            break;
          }
        hp_phdc_device_forget_learned_configurations ();
      }
}

static void
test_wrong_specialization (void **state G_GNUC_UNUSED)
{
  static const guint16 config_ids[] = { 0, 0x4242 };

  for (gsize i = 0; i < G_N_ELEMENTS (config_ids); i++)
    {
      HpPhdcSimulation simulation = simulation_of (HP_MEASUREMENT_KIND_BODY_WEIGHT);
      g_autoptr(HpSimulatorTransport) transport = hp_simulator_transport_new ();
      g_autoptr(HpPhdcSimulator) agent = NULL;
      g_autoptr(HpDevice) cuff = NULL;
      g_autoptr(HpDeviceWatch) watch = NULL;
      g_autoptr(Recorder) recorder = NULL;
      HpIeee11073Apdu apdu;

      simulation.dev_config_id = config_ids[i];
      agent = hp_phdc_simulator_new (transport, &simulation);
      cuff = hp_phdc_device_new ("phdc-wrong", "Cuff port", HP_MEASUREMENT_KIND_BLOOD_PRESSURE, HP_TRANSPORT (transport));
      watch = hp_device_watch_new (cuff);
      recorder = recorder_new (cuff);
      measure (cuff, watch);
      assert_error (watch, HP_DEVICE_ERROR_UNSUPPORTED);
      if (config_ids[i] == 0)
        {
          /* A standard configuration tells at once. */
          assert_true (recorded (recorder, HP_IEEE11073_APDU_AARE, &apdu));
          assert_int_equal (apdu.u.aare.result, HP_IEEE11073_ASSOC_REJECTED_PERMANENT);
          assert_non_null (strstr (watch->error->message, "0x05dc is not one of a blood-pressure monitor"));
        }
      else
        {
          /* An extended one once its configuration is read; it is still remembered. */
          assert_string_equal (watch->error->message, "The device is a weighing scale, not a blood-pressure monitor");
          assert_int_equal (hp_phdc_device_count_learned_configurations (), 1);
          hp_device_watch_reset (watch);
          measure (cuff, watch);
          assert_error (watch, HP_DEVICE_ERROR_UNSUPPORTED);
          assert_int_equal (hp_phdc_simulator_get_config_reports (agent), 1);
        }
      hp_phdc_device_forget_learned_configurations ();
    }
}

static void
test_stored_readings (void **state G_GNUC_UNUSED)
{
  HpPhdcSimulation simulation = simulation_of (HP_MEASUREMENT_KIND_BLOOD_GLUCOSE);
  g_autoptr(HpDevice) meter = NULL;
  g_autoptr(HpDeviceWatch) watch = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) yesterday_morning = g_date_time_add_hours (now, -36);
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
  HpPhdcSimulation expected;

  simulation.n_stored = 3;
  simulation.report_form = HP_PHDC_REPORT_MP_VAR;
  simulation.timeout_ms = 100;

  /* A new reading after three stored ones: the new one. */
  meter = hp_simulated_phdc_new (&simulation);
  watch = hp_device_watch_new (meter);
  hp_device_set_visit_start (meter, yesterday_morning);
  measure (meter, watch);
  check_reading (&simulation, watch);
  g_clear_pointer (&watch, hp_device_watch_free);
  g_clear_object (&meter);

  /* No new reading: the newest stored one since the visit began (a day
   * old, one less than the new one would be), once. */
  simulation.no_new_reading = TRUE;
  meter = hp_simulated_phdc_new (&simulation);
  watch = hp_device_watch_new (meter);
  hp_device_set_visit_start (meter, yesterday_morning);
  measure (meter, watch);
  expected = simulation;
  expected.value -= 1;
  check_reading (&expected, watch);

  measure (meter, watch);
  assert_error (watch, HP_DEVICE_ERROR_NO_NEW_READING);
  assert_string_equal (watch->error->message, "The device holds no reading taken during this visit");

  /* A visit that starts after every reading. */
  {
    g_autoptr(HpDevice) other = NULL;
    g_autoptr(HpDeviceWatch) other_watch = NULL;

    simulation.report_form = HP_PHDC_REPORT_FIXED;
    other = hp_simulated_phdc_new (&simulation);
    other_watch = hp_device_watch_new (other);
    hp_device_set_visit_start (other, tomorrow);
    measure (other, other_watch);
    assert_error (other_watch, HP_DEVICE_ERROR_NO_NEW_READING);
  }

  /* Without a visit start the newest one is taken. */
  {
    g_autoptr(HpDevice) other = NULL;
    g_autoptr(HpDeviceWatch) other_watch = NULL;

    other = hp_simulated_phdc_new (&simulation);
    other_watch = hp_device_watch_new (other);
    measure (other, other_watch);
    check_reading (&expected, other_watch);
  }
}

static void
test_clock_lost (void **state G_GNUC_UNUSED)
{
  HpPhdcSimulation simulation = simulation_of (HP_MEASUREMENT_KIND_BODY_WEIGHT);
  g_autoptr(HpDevice) scale = NULL;
  g_autoptr(HpDeviceWatch) watch = NULL;

  simulation.fault = HP_PHDC_FAULT_CLOCK_LOST;
  scale = hp_simulated_phdc_new (&simulation);
  watch = hp_device_watch_new (scale);
  measure (scale, watch);
  assert_int_equal (watch->n_ready, 1);
  assert_value (watch->measurement, HP_QUANTITY_BODY_WEIGHT, simulation.value, "kg");
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
    cmocka_unit_test (test_no_valid_pressure_and_lost_clock),
    cmocka_unit_test (test_specializations_and_report_forms),
    cmocka_unit_test (test_units),
    cmocka_unit_test (test_extended_configuration_learned_and_reused),
    cmocka_unit_test (test_unplug_at_each_step),
    cmocka_unit_test (test_silence_at_each_step),
    cmocka_unit_test (test_agent_faults),
    cmocka_unit_test (test_wrong_specialization),
    cmocka_unit_test (test_stored_readings),
    cmocka_unit_test (test_clock_lost),
  };

  return cmocka_run_group_tests_name ("phdc-device", tests, NULL, NULL);
}
