/* A simulated Abbott FreeStyle Precision Neo: the 64-byte messages and text replies a real one sends, with faults. */
#include "hp-freestyle-simulator.h"

#include <string.h>

#include "hp-freestyle-codec.h"
#include "hp-freestyle-device.h"

struct _HpFreestyleSimulator
{
  GObject parent_instance;

  /* Not a reference: the transport owns the simulator. */
  HpSimulatorTransport *transport;
  gulong sent_id;

  HpFreestyleSimulation simulation;
  guint step;             /* host messages heard so far */
  guint n_reports;        /* reports sent, for the keepalive rhythm */
  guint n_commands;
  guint n_result_replies;
  gboolean silent;
};

G_DEFINE_FINAL_TYPE (HpFreestyleSimulator, hp_freestyle_simulator, G_TYPE_OBJECT)

static void
send_report (HpFreestyleSimulator *self,
             guint8                type,
             const guint8         *data,
             gsize                 len,
             gboolean              bad_length)
{
  guint8 report[HP_FREESTYLE_REPORT_SIZE];

  if (self->transport == NULL)
    return;
  if (!hp_freestyle_encode_message (report, type, data, len))
    g_assert_not_reached ();
  if (bad_length)
    report[1] = 0x50;
  hp_simulator_transport_agent_send (self->transport, report, sizeof report);

  /* Real meters slip "22 01 xx" in every few reports. */
  if (++self->n_reports % 3 == 0)
    {
      static const guint8 keepalive = 0x05;

      if (!hp_freestyle_encode_message (report, HP_FREESTYLE_TYPE_KEEPALIVE, &keepalive, 1))
        g_assert_not_reached ();
      hp_simulator_transport_agent_send (self->transport, report, sizeof report);
    }
}

static void
send_text_reply (HpFreestyleSimulator *self,
                 const char           *body,
                 gboolean              corrupt,
                 gboolean              bad_length)
{
  g_autoptr(GString) reply = g_string_new (body);
  guint32 checksum = hp_freestyle_checksum ((const guint8 *) body, strlen (body));

  if (corrupt)
    checksum ^= 0x10;
  g_string_append_printf (reply, "CKSM:%08X\r\nCMD OK\r\n", checksum);
  for (gsize offset = 0; offset < reply->len; offset += HP_FREESTYLE_DATA_MAX)
    send_report (self, HP_FREESTYLE_TYPE_TEXT, (const guint8 *) reply->str + offset,
                 MIN (reply->len - offset, (gsize) HP_FREESTYLE_DATA_MAX), bad_length && offset == 0);
}

static void
append_record (GString   *records,
               guint      id,
               GDateTime *when,
               gboolean   lost,
               const char *value,
               gboolean   control)
{
  if (lost)
    g_string_append_printf (records, "7,%u,255,255,255,255,255,0,%s,0,%d,0,0,0,0,0,0,0,0\r\n",
                            id, value, control ? 0 : 1);
  else
    g_string_append_printf (records, "7,%u,%d,%d,%d,%d,%d,0,%s,0,%d,0,0,0,0,0,0,0,0\r\n", id,
                            g_date_time_get_month (when), g_date_time_get_day_of_month (when),
                            g_date_time_get_year (when) - 2000, g_date_time_get_hour (when),
                            g_date_time_get_minute (when), value, control ? 0 : 1);
}

static GDateTime *
meter_now (HpFreestyleSimulator *self)
{
  g_autoptr(GDateTime) kiosk_now = g_date_time_new_now_local ();

  return g_date_time_add_seconds (kiosk_now, self->simulation.clock_offset_s);
}

/* The memory, newest first as the meter sends it; record ids rise with age
 * order, so today's test has the highest. */
static char *
build_records (HpFreestyleSimulator *self)
{
  g_autoptr(GString) records = g_string_new (NULL);
  g_autoptr(GDateTime) now = meter_now (self);
  HpFreestyleFault fault = self->simulation.fault;
  struct {
    int days_ago;
    int hour, minute;
    const char *value;
    gboolean control;
  } const older[] = {
    { 1, 19, 40, "131", FALSE },
    { 1, 7, 50, "120", TRUE },
    { 3, 8, 5, "104", FALSE },
  };
  guint id = G_N_ELEMENTS (older) + 1;
  guint n = 0;

  if (fault != HP_FREESTYLE_FAULT_NO_NEW_READING)
    {
      g_autoptr(GDateTime) today = g_date_time_add_minutes (now, -1);
      g_autofree char *value = g_strdup_printf ("%u", self->simulation.value);

      append_record (records, id, today, fault == HP_FREESTYLE_FAULT_LOST_CLOCK,
                     fault == HP_FREESTYLE_FAULT_HIGH ? "HI" : fault == HP_FREESTYLE_FAULT_LOW ? "LO" : value,
                     fault == HP_FREESTYLE_FAULT_CONTROL_ONLY);
      n++;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (older); i++)
    {
      g_autoptr(GDateTime) day = g_date_time_add_days (now, -older[i].days_ago);
      g_autoptr(GDateTime) when = g_date_time_new_local (g_date_time_get_year (day),
                                                         g_date_time_get_month (day),
                                                         g_date_time_get_day_of_month (day),
                                                         older[i].hour, older[i].minute, 0);

      append_record (records, (guint) (G_N_ELEMENTS (older) - i), when, FALSE, older[i].value,
                     older[i].control);
      n++;
    }
  g_string_append_printf (records, "%u,%08X\r\n", n,
                          hp_freestyle_checksum ((const guint8 *) records->str, records->len));
  return g_string_free (g_steal_pointer (&records), FALSE);
}

/* TRUE when the fault strikes instead of answering. */
static gboolean
fault_strikes (HpFreestyleSimulator *self)
{
  guint step = self->step++;

  if (step != self->simulation.fault_step)
    return FALSE;
  switch (self->simulation.fault)
    {
    case HP_FREESTYLE_FAULT_UNPLUG:
      if (self->transport != NULL)
        hp_simulator_transport_unplug (self->transport);
      return TRUE;
    case HP_FREESTYLE_FAULT_TIMEOUT:
      g_debug ("the simulated FreeStyle falls silent");
      self->silent = TRUE;
      return TRUE;
    case HP_FREESTYLE_FAULT_NONE:
    case HP_FREESTYLE_FAULT_CORRUPT_ONCE:
    case HP_FREESTYLE_FAULT_CORRUPT_ALWAYS:
    case HP_FREESTYLE_FAULT_BAD_LENGTH:
    case HP_FREESTYLE_FAULT_LOST_CLOCK:
    case HP_FREESTYLE_FAULT_NO_NEW_READING:
    case HP_FREESTYLE_FAULT_CONTROL_ONLY:
    case HP_FREESTYLE_FAULT_HIGH:
    case HP_FREESTYLE_FAULT_LOW:
    case HP_FREESTYLE_FAULT_UNKNOWN_COMMAND:
      break;
    }
  return FALSE;
}

static void
handle_text_command (HpFreestyleSimulator *self,
                     const char           *command)
{
  HpFreestyleFault fault = self->simulation.fault;
  gboolean lost = fault == HP_FREESTYLE_FAULT_LOST_CLOCK;
  g_autoptr(GDateTime) now = meter_now (self);
  g_autofree char *body = NULL;
  static const guint8 unknown[] = { 0x85 };

  self->n_commands++;
  if (fault == HP_FREESTYLE_FAULT_UNKNOWN_COMMAND)
    {
      send_report (self, HP_FREESTYLE_TYPE_UNKNOWN_COMMAND, unknown, sizeof unknown, FALSE);
      return;
    }

  if (strcmp (command, "$serlnum?") == 0)
    {
      send_text_reply (self, HP_FREESTYLE_SIMULATOR_SERIAL "\r\n", FALSE, fault == HP_FREESTYLE_FAULT_BAD_LENGTH);
      return;
    }
  if (strcmp (command, "$date?") == 0)
    body = lost ? g_strdup ("255,255,255\r\n")
                : g_strdup_printf ("%d,%d,%d\r\n", g_date_time_get_month (now),
                                   g_date_time_get_day_of_month (now), g_date_time_get_year (now) - 2000);
  else if (strcmp (command, "$time?") == 0)
    body = lost ? g_strdup ("255,255\r\n")
                : g_strdup_printf ("%d,%d\r\n", g_date_time_get_hour (now), g_date_time_get_minute (now));
  else if (strcmp (command, "$result?") == 0)
    {
      gboolean corrupt = fault == HP_FREESTYLE_FAULT_CORRUPT_ALWAYS ||
                         (fault == HP_FREESTYLE_FAULT_CORRUPT_ONCE && self->n_result_replies == 0);
      g_autofree char *records = build_records (self);

      self->n_result_replies++;
      send_text_reply (self, records, corrupt, FALSE);
      return;
    }
  else
    {
      /* Commands the meter does not have fail with an empty message. */
      static const char fail[] = "CKSM:00000000\r\nCMD Fail!\r\n";

      send_report (self, HP_FREESTYLE_TYPE_TEXT, (const guint8 *) fail, strlen (fail), FALSE);
      return;
    }
  send_text_reply (self, body, FALSE, FALSE);
}

static void
on_host_sent (HpSimulatorTransport *transport G_GNUC_UNUSED,
              GBytes               *bytes,
              gpointer              user_data)
{
  HpFreestyleSimulator *self = user_data;
  gsize size, len;
  const guint8 *report = g_bytes_get_data (bytes, &size);
  const guint8 *data;
  guint8 type;
  g_autofree char *command = NULL;
  static const guint8 init_reply[] = { 0x01 };
  static const guint8 unknown[] = { 0x85 };

  if (self->silent)
    return;
  if (!hp_freestyle_decode_message (report, size, &type, &data, &len, NULL, NULL))
    {
      g_debug ("the simulated FreeStyle ignores a report it cannot read");
      return;
    }
  if (fault_strikes (self))
    return;

  switch (type)
    {
    case HP_FREESTYLE_TYPE_INIT:
      send_report (self, HP_FREESTYLE_TYPE_INIT_REPLY, init_reply, sizeof init_reply, FALSE);
      break;
    case HP_FREESTYLE_TYPE_TEXT:
      /* The command, with or without the CR LF Abbott's software adds. */
      while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r'))
        len--;
      command = g_strndup ((const char *) data, len);
      handle_text_command (self, command);
      break;
    default:
      send_report (self, HP_FREESTYLE_TYPE_UNKNOWN_COMMAND, unknown, sizeof unknown, FALSE);
      break;
    }
}

static void
hp_freestyle_simulator_dispose (GObject *object)
{
  HpFreestyleSimulator *self = HP_FREESTYLE_SIMULATOR (object);

  if (self->transport != NULL)
    {
      g_clear_signal_handler (&self->sent_id, self->transport);
      g_object_remove_weak_pointer (G_OBJECT (self->transport), (gpointer *) &self->transport);
      self->transport = NULL;
    }

  G_OBJECT_CLASS (hp_freestyle_simulator_parent_class)->dispose (object);
}

static void
hp_freestyle_simulator_class_init (HpFreestyleSimulatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hp_freestyle_simulator_dispose;
}

static void
hp_freestyle_simulator_init (HpFreestyleSimulator *self G_GNUC_UNUSED)
{
}

HpFreestyleSimulator *
hp_freestyle_simulator_new (HpSimulatorTransport        *transport,
                            const HpFreestyleSimulation *simulation)
{
  HpFreestyleSimulator *self;

  g_return_val_if_fail (HP_IS_SIMULATOR_TRANSPORT (transport), NULL);
  g_return_val_if_fail (simulation != NULL, NULL);

  self = g_object_new (HP_TYPE_FREESTYLE_SIMULATOR, NULL);
  self->simulation = *simulation;
  self->transport = transport;
  g_object_add_weak_pointer (G_OBJECT (transport), (gpointer *) &self->transport);
  self->sent_id = g_signal_connect (transport, "host-sent", G_CALLBACK (on_host_sent), self);
  return self;
}

guint
hp_freestyle_simulator_get_n_commands (HpFreestyleSimulator *self)
{
  g_return_val_if_fail (HP_IS_FREESTYLE_SIMULATOR (self), 0);
  return self->n_commands;
}

HpDevice *
hp_simulated_freestyle_new_full (const HpFreestyleSimulation *simulation)
{
  static guint n_meters;
  g_autoptr(HpSimulatorTransport) transport = NULL;
  g_autoptr(HpFreestyleSimulator) agent = NULL;
  g_autofree char *id = NULL;
  HpDevice *device;

  g_return_val_if_fail (simulation != NULL, NULL);

  transport = hp_simulator_transport_new ();
  agent = hp_freestyle_simulator_new (transport, simulation);
  hp_simulator_transport_set_agent (transport, G_OBJECT (agent));

  id = g_strdup_printf ("simulated-freestyle-%u", g_atomic_int_add (&n_meters, 1));
  device = hp_freestyle_device_new (id, "Simulated FreeStyle Precision Neo", HP_FREESTYLE_LAYOUT_NEO,
                                    HP_TRANSPORT (transport));
  if (simulation->response_timeout_ms != 0)
    hp_freestyle_device_set_timeouts (HP_FREESTYLE_DEVICE (device), simulation->response_timeout_ms);
  return device;
}

static HpDevice *
healthy_meter (void)
{
  return hp_simulated_freestyle_new (104, HP_FREESTYLE_FAULT_NONE);
}

const HpSimulatedDeviceEntry hp_freestyle_simulated_devices[] = {
  { "freestyle", healthy_meter },
  { NULL, NULL },
};

HpDevice *
hp_simulated_freestyle_new (guint            value_mg_dl,
                            HpFreestyleFault fault)
{
  HpFreestyleSimulation simulation = { .value = value_mg_dl, .fault = fault };

  return hp_simulated_freestyle_new_full (&simulation);
}
