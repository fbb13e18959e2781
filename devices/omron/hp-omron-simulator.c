/* Simulated Omron blood-pressure monitors: the HID reports a HEM-790IT or a HEM-7322U sends, byte for byte. */
#include "hp-omron-simulator.h"

#include <string.h>

#include "hp-omron-codec.h"

#define N_RECORDS 2
#define MEMORY_SIZE (2 * HP_OMRON_HEM7322_RECORDS_PER_USER * HP_OMRON_HEM7322_RECORD_SIZE)

/* What the HEM-7322U's init read returns: the sources do not say what the
 * first 16 bytes of its memory hold, so the simulator puts its model there. */
static const guint8 hem7322_init_data[HP_OMRON_HEM7322_INIT_SIZE] = "HEM-7322U SIM";

struct _HpOmronSimulator
{
  GObject parent_instance;

  /* Not a reference: the transport owns the simulator. */
  HpSimulatorTransport *transport;
  gulong opened_id;
  gulong closed_id;
  gulong sent_id;

  HpOmronSimulation simulation;
  /* When the readings were taken, fixed at the first session: a monitor's
   * stored readings do not move between sessions. */
  GDateTime *taken_relative_to;
  guint exchange;
  guint inits_ignored;
  guint16 mode;
  /* Set by a mode switch: the next clearing block gets the monitor's
   * not-yet-listening report (counting 8 bytes) instead of "OK", as in
   * libomron's USB logs, and the host clears again. */
  gboolean not_yet_listening;
  GByteArray *rx;
  HpOmronRecord records[N_RECORDS]; /* newest first */
  guint n_records;
  guint8 memory[MEMORY_SIZE];       /* HEM-7322U record areas */
};

G_DEFINE_FINAL_TYPE (HpOmronSimulator, hp_omron_simulator, G_TYPE_OBJECT)

static gboolean
strikes (HpOmronSimulator *self,
         HpOmronFault      fault,
         guint             step)
{
  const HpOmronSimulation *sim = &self->simulation;

  if (sim->fault != fault || step < sim->fault_step)
    return FALSE;
  if (fault == HP_OMRON_FAULT_TIMEOUT)
    return TRUE;
  return step < sim->fault_step + MAX (sim->fault_repeats, 1u);
}

static void
record_at (HpOmronSimulator *self,
           HpOmronRecord    *record,
           GDateTime        *now,
           gint64            age_s,
           guint             systolic,
           guint             diastolic,
           guint             pulse)
{
  g_autoptr(GDateTime) taken = g_date_time_add_seconds (now, (gdouble) -age_s);

  memset (record, 0, sizeof *record);
  record->systolic = systolic;
  record->diastolic = diastolic;
  record->pulse = pulse;
  if (self->simulation.fault == HP_OMRON_FAULT_CLOCK_LOST)
    {
      /* A monitor whose clock was never set: the date fields stay zero. */
      record->year = 2000;
      return;
    }
  record->year = (guint) g_date_time_get_year (taken);
  record->month = (guint) g_date_time_get_month (taken);
  record->day = (guint) g_date_time_get_day_of_month (taken);
  record->hour = (guint) g_date_time_get_hour (taken);
  record->minute = (guint) g_date_time_get_minute (taken);
  record->second = (guint) g_date_time_get_second (taken);
  record->time_valid = TRUE;
}

static void
fill_memory (HpOmronSimulator *self)
{
  const HpOmronReading *reading = &self->simulation.reading;
  GDateTime *now;

  if (self->taken_relative_to == NULL)
    self->taken_relative_to = g_date_time_new_now_local ();
  now = self->taken_relative_to;

  memset (self->memory, 0xFF, sizeof self->memory);
  self->n_records = 0;
  if (self->simulation.empty)
    return;

  record_at (self, &self->records[0], now, reading->age_s,
             reading->systolic, reading->diastolic, reading->pulse);
  record_at (self, &self->records[1], now, (gint64) reading->age_s + HP_OMRON_SIMULATOR_OLDER_AGE_S,
             reading->systolic > 60 ? reading->systolic - 7u : reading->systolic + 7u,
             reading->diastolic > 30 ? reading->diastolic - 4u : reading->diastolic + 4u,
             reading->pulse + 3u);
  self->n_records = N_RECORDS;

  /* User 1's area fills from its start, oldest first. */
  for (guint i = 0; i < N_RECORDS; i++)
    if (!hp_omron_hem7322_encode_record (&self->records[N_RECORDS - 1 - i],
                                         self->memory + i * HP_OMRON_HEM7322_RECORD_SIZE))
      g_debug ("the simulated Omron has a reading that does not fit the HEM-7322U layout");
}

/* ---- HEM-790IT ---- */

static void
send_790 (HpOmronSimulator *self,
          const guint8     *reply,
          gsize             len,
          guint             step)
{
  g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autofree guint8 *copy = g_memdup2 (reply, len);

  if (strikes (self, HP_OMRON_FAULT_BAD_CHECKSUM, step) && len > HP_OMRON_HEM790_OK_SIZE)
    copy[len - 1] ^= 0x5A;
  hp_omron_hem790_append_reports (reports, copy, len);

  for (guint i = 0; i < reports->len && self->transport != NULL; i++)
    {
      gsize size;
      const guint8 *data = g_bytes_get_data (g_ptr_array_index (reports, i), &size);
      guint8 report[HP_OMRON_HEM790_REPORT_SIZE];

      memcpy (report, data, size);
      if (i == 0 && strikes (self, HP_OMRON_FAULT_BAD_LENGTH, step))
        report[0] = 0x0F;
      hp_simulator_transport_agent_send (self->transport, report, size);
    }
}

static void
send_no_790 (HpOmronSimulator *self,
             guint             step)
{
  send_790 (self, (const guint8 *) "NO", 2, step);
}

static void
handle_command_790 (HpOmronSimulator *self,
                    const guint8     *command,
                    gsize             len)
{
  guint step = self->exchange++;
  guint8 reply[HP_OMRON_HEM790_RECORD_REPLY_SIZE];

  if (strikes (self, HP_OMRON_FAULT_UNPLUG, step))
    {
      hp_simulator_transport_unplug (self->transport);
      return;
    }
  if (strikes (self, HP_OMRON_FAULT_TIMEOUT, step))
    {
      g_debug ("the simulated HEM-790IT keeps its answer to itself");
      return;
    }
  if (strikes (self, HP_OMRON_FAULT_NO, step))
    {
      send_no_790 (self, step);
      return;
    }

  if (command[0] == 0)
    {
      /* The clearing block: "OK" once a mode is set. */
      if (self->mode == 0)
        send_no_790 (self, step);
      else
        send_790 (self, (const guint8 *) "OK", 2, step);
      return;
    }
  if (hp_omron_xor (command + 3, len - 3) != 0)
    {
      send_no_790 (self, step);
      return;
    }
  if (memcmp (command, "END", 3) == 0)
    {
      send_790 (self, (const guint8 *) HP_OMRON_HEM790_OFF_REPLY, HP_OMRON_HEM790_OFF_REPLY_SIZE, step);
      return;
    }
  if (self->mode != HP_OMRON_HEM790_MODE_READINGS)
    {
      send_no_790 (self, step);
      return;
    }
  if (memcmp (command, "GDC", 3) == 0)
    {
      /* The unknown bytes as libomron's capture shows them. */
      const guint8 data[] = { 'O', 'K', 0x00, 0x00, 0x14, 0x00, (guint8) self->n_records, 0 };

      memcpy (reply, data, sizeof data);
      reply[7] = hp_omron_xor (reply + 2, 5);
      send_790 (self, reply, HP_OMRON_HEM790_COUNT_REPLY_SIZE, step);
      return;
    }
  if (memcmp (command, "GME", 3) == 0)
    {
      guint index = command[6];

      if (command[4] != 0 || index >= self->n_records)
        {
          send_no_790 (self, step);
          return;
        }
      reply[0] = 'O';
      reply[1] = 'K';
      reply[2] = 0x00;
      hp_omron_hem790_encode_record (&self->records[index], reply + 3);
      send_790 (self, reply, HP_OMRON_HEM790_RECORD_REPLY_SIZE, step);
      return;
    }
  /* Identity and weekly averages are not simulated. */
  send_no_790 (self, step);
}

static void
host_sent_790 (HpOmronSimulator *self,
               const guint8     *data,
               gsize             size)
{
  g_autoptr(GError) error = NULL;
  const guint8 *payload;
  gsize payload_len, command_len;

  if (!hp_omron_hem790_report_payload (data, size, &payload, &payload_len, NULL, &error))
    {
      g_debug ("the simulated HEM-790IT had a bad report from the host: %s", error->message);
      return;
    }
  /* A clearing block: zero bytes up to a report that is not full. */
  if (hp_omron_hem790_is_clearing (payload, payload_len)
      && (self->rx->len == 0 || hp_omron_hem790_is_clearing (self->rx->data, self->rx->len)))
    {
      g_byte_array_append (self->rx, payload, (guint) payload_len);
      if (payload_len < HP_OMRON_HEM790_REPORT_PAYLOAD)
        {
          static const guint8 not_listening[HP_OMRON_HEM790_REPORT_SIZE] = { 0x08, 0x60 };

          g_byte_array_set_size (self->rx, 0);
          /* Not counted as an exchange: faults keep their places. */
          if (self->not_yet_listening && self->mode != 0)
            {
              self->not_yet_listening = FALSE;
              hp_simulator_transport_agent_send (self->transport, not_listening, sizeof not_listening);
              return;
            }
          handle_command_790 (self, payload, payload_len);
        }
      return;
    }
  g_byte_array_append (self->rx, payload, (guint) payload_len);

  while (self->rx->len >= 3 && self->transport != NULL)
    {
      g_autofree guint8 *command = NULL;

      command_len = hp_omron_hem790_command_length (self->rx->data, self->rx->len);
      if (command_len == 0)
        {
          g_byte_array_set_size (self->rx, 0);
          send_no_790 (self, self->exchange++);
          return;
        }
      if (self->rx->len < command_len)
        return;
      command = g_memdup2 (self->rx->data, command_len);
      g_byte_array_remove_range (self->rx, 0, (guint) command_len);
      handle_command_790 (self, command, command_len);
    }
}

static GBytes *
control_790 (HpSimulatorTransport  *transport G_GNUC_UNUSED,
             const HpControlSetup  *setup,
             GBytes                *data_out,
             guint16                length_in G_GNUC_UNUSED,
             gpointer               user_data,
             GError               **error)
{
  HpOmronSimulator *self = user_data;
  const guint8 *data;
  gsize size = 0;

  data = data_out != NULL ? g_bytes_get_data (data_out, &size) : NULL;
  if (self->simulation.family != HP_OMRON_FAMILY_HEM790 ||
      setup->request_type != HP_CONTROL_CLASS_INTERFACE_OUT ||
      setup->request != HP_HID_REQUEST_SET_REPORT ||
      setup->value != (HP_HID_REPORT_TYPE_FEATURE << 8) || size != 2)
    {
      g_set_error_literal (error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_PROTOCOL,
                           "The simulated monitor stalled the control request");
      return NULL;
    }
  self->mode = (guint16) (data[0] << 8 | data[1]);
  self->not_yet_listening = TRUE;
  return g_bytes_new (NULL, 0);
}

/* ---- HEM-7322U ---- */

static void
send_7322 (HpOmronSimulator      *self,
           HpOmronHem7322Command  command,
           guint8                 status,
           guint16                address,
           const guint8          *data,
           guint8                 size,
           guint                  step)
{
  guint8 report[HP_OMRON_HEM7322_REPORT_SIZE];
  gsize message_len = 7 + (gsize) size;

  hp_omron_hem7322_encode_reply (command, status, address, data, size, report);
  if (strikes (self, HP_OMRON_FAULT_BAD_CHECKSUM, step))
    report[message_len] ^= 0x5A;
  if (strikes (self, HP_OMRON_FAULT_BAD_LENGTH, step))
    report[1] = 0xF0;
  hp_simulator_transport_agent_send (self->transport, report, sizeof report);
}

static void
host_sent_7322 (HpOmronSimulator *self,
                const guint8     *data,
                gsize             size)
{
  g_autoptr(GError) error = NULL;
  HpOmronHem7322Command command;
  guint8 block[HP_OMRON_HEM7322_DATA_MAX];
  guint16 address;
  guint8 length;
  guint step;

  if (!hp_omron_hem7322_decode_command (data, size, &command, &address, &length, NULL, &error))
    {
      g_debug ("the simulated HEM-7322U ignores a command: %s", error->message);
      return;
    }
  if (command == HP_OMRON_HEM7322_COMMAND_INIT &&
      self->simulation.fault == HP_OMRON_FAULT_BUTTON_NOT_PRESSED &&
      self->inits_ignored < MAX (self->simulation.fault_repeats, 1u))
    {
      /* Asleep until its START/STOP button is pressed. */
      self->inits_ignored++;
      return;
    }

  step = self->exchange++;
  if (strikes (self, HP_OMRON_FAULT_UNPLUG, step))
    {
      hp_simulator_transport_unplug (self->transport);
      return;
    }
  if (strikes (self, HP_OMRON_FAULT_TIMEOUT, step))
    return;
  if (strikes (self, HP_OMRON_FAULT_NO, step))
    {
      send_7322 (self, command, 0x01, address, NULL, 0, step);
      return;
    }

  switch (command)
    {
    case HP_OMRON_HEM7322_COMMAND_INIT:
      send_7322 (self, command, 0, 0, hem7322_init_data, sizeof hem7322_init_data, step);
      break;
    case HP_OMRON_HEM7322_COMMAND_READ:
      if (length > sizeof block)
        {
          send_7322 (self, command, 0x02, address, NULL, 0, step);
          break;
        }
      for (guint i = 0; i < length; i++)
        {
          guint at = (guint) address + i;

          block[i] = at >= HP_OMRON_HEM7322_RECORDS_START && at < HP_OMRON_HEM7322_RECORDS_START + MEMORY_SIZE
                       ? self->memory[at - HP_OMRON_HEM7322_RECORDS_START]
                       : 0x00;
        }
      send_7322 (self, command, 0, address, block, length, step);
      break;
    case HP_OMRON_HEM7322_COMMAND_END:
      send_7322 (self, command, 0, 0, NULL, 0, step);
      break;
    }
}

/* ---- both ---- */

static void
on_host_opened (HpSimulatorTransport *transport G_GNUC_UNUSED,
                gpointer              user_data)
{
  HpOmronSimulator *self = user_data;

  /* The mode stays: the host's SET_REPORT may come before this idle
   * notification does, as a control transfer is answered at once. */
  self->exchange = 0;
  self->inits_ignored = 0;
  g_byte_array_set_size (self->rx, 0);
  fill_memory (self);
}

static void
on_host_closed (HpSimulatorTransport *transport G_GNUC_UNUSED,
                gpointer              user_data)
{
  HpOmronSimulator *self = user_data;

  /* The mode is kept while the monitor is powered, as far as the sources
   * tell; only a command cut short is forgotten. */
  g_byte_array_set_size (self->rx, 0);
}

static void
on_host_sent (HpSimulatorTransport *transport G_GNUC_UNUSED,
              GBytes               *bytes,
              gpointer              user_data)
{
  HpOmronSimulator *self = user_data;
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  if (self->simulation.family == HP_OMRON_FAMILY_HEM790)
    host_sent_790 (self, data, size);
  else
    host_sent_7322 (self, data, size);
}

static void
hp_omron_simulator_dispose (GObject *object)
{
  HpOmronSimulator *self = HP_OMRON_SIMULATOR (object);

  if (self->transport != NULL)
    {
      g_clear_signal_handler (&self->opened_id, self->transport);
      g_clear_signal_handler (&self->closed_id, self->transport);
      g_clear_signal_handler (&self->sent_id, self->transport);
      g_object_remove_weak_pointer (G_OBJECT (self->transport), (gpointer *) &self->transport);
      self->transport = NULL;
    }

  G_OBJECT_CLASS (hp_omron_simulator_parent_class)->dispose (object);
}

static void
hp_omron_simulator_finalize (GObject *object)
{
  HpOmronSimulator *self = HP_OMRON_SIMULATOR (object);

  g_byte_array_unref (self->rx);

  g_clear_pointer (&self->taken_relative_to, g_date_time_unref);
  G_OBJECT_CLASS (hp_omron_simulator_parent_class)->finalize (object);
}

static void
hp_omron_simulator_class_init (HpOmronSimulatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hp_omron_simulator_dispose;
  object_class->finalize = hp_omron_simulator_finalize;
}

static void
hp_omron_simulator_init (HpOmronSimulator *self)
{
  self->rx = g_byte_array_new ();
}

HpOmronSimulator *
hp_omron_simulator_new (HpSimulatorTransport    *transport,
                        const HpOmronSimulation *simulation)
{
  HpOmronSimulator *self;

  g_return_val_if_fail (HP_IS_SIMULATOR_TRANSPORT (transport), NULL);
  g_return_val_if_fail (simulation != NULL, NULL);

  self = g_object_new (HP_TYPE_OMRON_SIMULATOR, NULL);
  self->simulation = *simulation;
  self->transport = transport;
  g_object_add_weak_pointer (G_OBJECT (transport), (gpointer *) &self->transport);
  self->opened_id = g_signal_connect (transport, "host-opened", G_CALLBACK (on_host_opened), self);
  self->closed_id = g_signal_connect (transport, "host-closed", G_CALLBACK (on_host_closed), self);
  self->sent_id = g_signal_connect (transport, "host-sent", G_CALLBACK (on_host_sent), self);
  /* The transport outlives the handler's use of @self: it drops the
   * handler before the simulator it holds. */
  hp_simulator_transport_set_control_handler (transport, control_790, self, NULL);
  return self;
}

guint
hp_omron_simulator_get_exchanges (HpOmronSimulator *self)
{
  g_return_val_if_fail (HP_IS_OMRON_SIMULATOR (self), 0);
  return self->exchange;
}

HpDevice *
hp_simulated_omron_new_full (const HpOmronSimulation *simulation)
{
  static guint n_monitors;
  g_autoptr(HpSimulatorTransport) transport = NULL;
  g_autoptr(HpOmronSimulator) agent = NULL;
  g_autofree char *id = NULL;
  g_autofree char *serial = NULL;
  HpDevice *device;
  guint n;

  g_return_val_if_fail (simulation != NULL, NULL);

  transport = hp_simulator_transport_new ();
  agent = hp_omron_simulator_new (transport, simulation);
  hp_simulator_transport_set_agent (transport, G_OBJECT (agent));

  n = (guint) g_atomic_int_add (&n_monitors, 1);
  id = g_strdup_printf ("simulated-omron-%u", n);
  serial = g_strdup_printf ("SIMOMRON%04u", n);
  device = hp_omron_device_new (id,
                                simulation->family == HP_OMRON_FAMILY_HEM790 ? "Simulated Omron HEM-790IT"
                                                                             : "Simulated Omron HEM-7322U",
                                serial, simulation->family, HP_TRANSPORT (transport));
  if (simulation->response_timeout_ms != 0 || simulation->press_start_limit_ms != 0)
    hp_omron_device_set_timeouts (HP_OMRON_DEVICE (device),
                                  simulation->response_timeout_ms != 0 ? simulation->response_timeout_ms
                                                                       : HP_OMRON_DEFAULT_RESPONSE_TIMEOUT_MS,
                                  simulation->press_start_limit_ms != 0 ? simulation->press_start_limit_ms
                                                                        : HP_OMRON_DEFAULT_PRESS_START_LIMIT_MS);
  return device;
}

static HpDevice *
healthy_monitor (HpOmronFamily family)
{
  const HpOmronReading reading = { .systolic = 118, .diastolic = 77, .pulse = 64, .age_s = 30 };

  return hp_simulated_omron_new (family, &reading, HP_OMRON_FAULT_NONE);
}

static HpDevice *
healthy_hem790 (void)
{
  return healthy_monitor (HP_OMRON_FAMILY_HEM790);
}

static HpDevice *
healthy_hem7322 (void)
{
  return healthy_monitor (HP_OMRON_FAMILY_HEM7322);
}

const HpSimulatedDeviceEntry hp_omron_hem790_simulated_devices[] = {
  { "omron-hem790", healthy_hem790 },
  { NULL, NULL },
};

const HpSimulatedDeviceEntry hp_omron_hem7322_simulated_devices[] = {
  { "omron-hem7322", healthy_hem7322 },
  { NULL, NULL },
};

HpDevice *
hp_simulated_omron_new (HpOmronFamily         family,
                        const HpOmronReading *reading,
                        HpOmronFault          fault)
{
  HpOmronSimulation simulation = {
    .family = family,
    .reading = { .systolic = 124, .diastolic = 79, .pulse = 68, .age_s = 0 },
    .fault = fault,
  };

  if (reading != NULL)
    simulation.reading = *reading;
  /* A demo patient presses START/STOP after the first unanswered init. */
  if (fault == HP_OMRON_FAULT_BUTTON_NOT_PRESSED)
    simulation.fault_repeats = 1;
  return hp_simulated_omron_new_full (&simulation);
}
