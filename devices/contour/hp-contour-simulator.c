/* A simulated Ascensia Contour meter: the HID reports and ASTM frames a real one sends, with faults. */
#include "hp-contour-simulator.h"

#include <string.h>

#include "hp-astm.h"
#include "hp-contour-device.h"

typedef enum {
  METER_IDLE,
  METER_ASKED,    /* sent ENQ, waits for ACK */
  METER_SENDING,  /* sent frame n, waits for ACK or NAK */
  METER_SILENT,   /* the TIMEOUT fault struck */
} MeterState;

struct _HpContourSimulator
{
  GObject parent_instance;

  /* Not a reference: the transport owns the simulator. */
  HpSimulatorTransport *transport;
  gulong closed_id;
  gulong sent_id;

  HpContourSimulation simulation;
  char unit[16];
  MeterState state;
  GPtrArray *records;     /* the texts of this transfer, one per frame */
  guint next_record;      /* the record the frame in flight carries */
  guint today_record;     /* which record holds today's test, or G_MAXUINT */
  guint retransmissions;
  guint step;             /* messages sent (or due) so far in this transfer */
  gboolean corrupted_once;
  guint n_naks;
};

G_DEFINE_FINAL_TYPE (HpContourSimulator, hp_contour_simulator, G_TYPE_OBJECT)

static void
send_message (HpContourSimulator *self,
              const guint8       *data,
              gsize               len,
              gboolean            bad_length)
{
  g_autoptr(GByteArray) report = g_byte_array_new ();
  gsize offset = 0;

  if (self->transport == NULL)
    return;
  /* 60-byte pieces; a message that fills its last piece is closed by an
   * empty one, since 60 means "more follows". */
  do
    {
      gsize chunk = MIN (len - offset, (gsize) HP_CONTOUR_PAYLOAD_MAX);

      g_byte_array_set_size (report, 0);
      hp_contour_encode_report (report, data + offset, chunk);
      /* The meter's own reports start like the host's; the driver reads
       * nothing from the first three bytes. */
      if (bad_length && offset == 0)
        report->data[3] = 0x7F;
      hp_simulator_transport_agent_send (self->transport, report->data, report->len);
      offset += chunk;
      if (offset == len && chunk == HP_CONTOUR_PAYLOAD_MAX)
        {
          g_byte_array_set_size (report, 0);
          hp_contour_encode_report (report, NULL, 0);
          hp_simulator_transport_agent_send (self->transport, report->data, report->len);
        }
    }
  while (offset < len);
}

/* TRUE when the fault strikes instead of message @step. */
static gboolean
fault_strikes (HpContourSimulator *self)
{
  guint step = self->step++;

  if (step != self->simulation.fault_step)
    return FALSE;
  switch (self->simulation.fault)
    {
    case HP_CONTOUR_FAULT_UNPLUG:
      if (self->transport != NULL)
        hp_simulator_transport_unplug (self->transport);
      self->state = METER_IDLE;
      return TRUE;
    case HP_CONTOUR_FAULT_TIMEOUT:
      g_debug ("the simulated Contour falls silent");
      self->state = METER_SILENT;
      return TRUE;
    case HP_CONTOUR_FAULT_NONE:
    case HP_CONTOUR_FAULT_CORRUPT_ONCE:
    case HP_CONTOUR_FAULT_CORRUPT_ALWAYS:
    case HP_CONTOUR_FAULT_BAD_LENGTH:
    case HP_CONTOUR_FAULT_LOST_CLOCK:
    case HP_CONTOUR_FAULT_NO_NEW_READING:
    case HP_CONTOUR_FAULT_CONTROL_ONLY:
    case HP_CONTOUR_FAULT_CONTROL_ORDER:
    case HP_CONTOUR_FAULT_HIGH:
    case HP_CONTOUR_FAULT_LOW:
      break;
    }
  return FALSE;
}

static void
send_control (HpContourSimulator *self,
              guint8              control)
{
  if (fault_strikes (self))
    return;
  send_message (self, &control, 1, FALSE);
}

static void
format_value (char        *buffer,
              gsize        size,
              double       value,
              gboolean     mmol)
{
  if (mmol)
    g_snprintf (buffer, size, "%.1f", value);
  else
    g_snprintf (buffer, size, "%.0f", value);
}

static char *
format_stamp (GDateTime *time)
{
  return g_date_time_format (time, "%Y%m%d%H%M");
}

/* The meter's memory for this transfer, oldest test first (sequence
 * numbers rise with it), framed by its header, patient and terminator. */
static void
build_records (HpContourSimulator *self)
{
  gboolean mmol = g_strcmp0 (self->unit, "mmol/L") == 0;
  gboolean lost = self->simulation.fault == HP_CONTOUR_FAULT_LOST_CLOCK;
  g_autoptr(GDateTime) kiosk_now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) meter_now = NULL;
  g_autoptr(GDateTime) today = NULL;
  g_autofree char *now_stamp = NULL;
  char value[32];
  guint seq = 0, n_results;
  struct {
    int days_ago;
    int hour, minute;
    double mg_dl;
    const char *markers;
  } const older[] = {
    { 3, 8, 5, 104, "B/M0/T1" },
    { 1, 7, 50, 120, "C" },
    { 1, 19, 40, 131, "A/M0/T1" },
  };

  g_ptr_array_set_size (self->records, 0);
  if (lost)
    /* The clock restarted at midnight, 1 January 2000, twelve minutes ago. */
    meter_now = g_date_time_new_local (2000, 1, 1, 0, 12, 0);
  else
    meter_now = g_date_time_add_seconds (kiosk_now, self->simulation.clock_offset_s);

  n_results = G_N_ELEMENTS (older) + (self->simulation.fault == HP_CONTOUR_FAULT_NO_NEW_READING ? 0 : 1);
  now_stamp = format_stamp (meter_now);
  /* A Contour Next USB's unit setting, as one sends it whatever the unit
   * (U=303 in a header the healer project recorded); each result names
   * its own unit. */
  g_ptr_array_add (self->records,
                   g_strdup_printf ("H|\\^&||HPsim1|Bayer7410^01.24\\01.04\\09.02.20^%s^7410-|"
                                    "A=1^C=63^G=1^I=0200^R=0^S=1^U=303^V=10600^"
                                    "X=070070070070180130150250^Y=360126090050099050300089^Z=1|"
                                    "%u||||||1|%s",
                                    HP_CONTOUR_SIMULATOR_SERIAL, n_results, now_stamp));
  g_ptr_array_add (self->records, g_strdup ("P|1"));

  for (gsize i = 0; i < G_N_ELEMENTS (older); i++)
    {
      /* Older tests were stamped by the meter's clock; after a reset, by
       * the clock it had before. */
      g_autoptr(GDateTime) day = g_date_time_add_days (lost ? kiosk_now : meter_now, -older[i].days_ago);
      g_autoptr(GDateTime) when = g_date_time_new_local (g_date_time_get_year (day),
                                                         g_date_time_get_month (day),
                                                         g_date_time_get_day_of_month (day),
                                                         older[i].hour, older[i].minute, 0);
      g_autofree char *stamp = format_stamp (when);

      format_value (value, sizeof value, mmol ? older[i].mg_dl / 18.016 : older[i].mg_dl, mmol);
      g_ptr_array_add (self->records, g_strdup_printf ("R|%u|^^^Glucose|%s|%s^P||%s||%s", ++seq, value,
                                                       self->unit, older[i].markers, stamp));
    }

  self->today_record = G_MAXUINT;
  if (self->simulation.fault != HP_CONTOUR_FAULT_NO_NEW_READING)
    {
      g_autofree char *stamp = NULL;
      const char *markers = "A/M0/T1";

      today = g_date_time_add_minutes (meter_now, -1);
      stamp = format_stamp (today);
      format_value (value, sizeof value, self->simulation.value, mmol);
      if (self->simulation.fault == HP_CONTOUR_FAULT_CONTROL_ONLY)
        markers = "C";
      else if (self->simulation.fault == HP_CONTOUR_FAULT_HIGH)
        {
          markers = ">";
          g_strlcpy (value, mmol ? "33.3" : "600", sizeof value);
        }
      else if (self->simulation.fault == HP_CONTOUR_FAULT_LOW)
        {
          markers = "<";
          g_strlcpy (value, mmol ? "1.1" : "20", sizeof value);
        }
      if (self->simulation.fault == HP_CONTOUR_FAULT_CONTROL_ORDER)
        g_ptr_array_add (self->records, g_strdup ("O|1|||^^^Glucose|||||||Q"));
      self->today_record = self->records->len;
      g_ptr_array_add (self->records, g_strdup_printf ("R|%u|^^^Glucose|%s|%s^P||%s||%s", ++seq, value,
                                                       self->unit, markers, stamp));
    }
  g_ptr_array_add (self->records, g_strdup ("L|1||N"));
}

static void
send_frame (HpContourSimulator *self)
{
  g_autoptr(GByteArray) frame = g_byte_array_new ();
  g_autoptr(GString) text = g_string_new (g_ptr_array_index (self->records, self->next_record));
  gboolean final = self->next_record + 1 == self->records->len;
  gboolean corrupt = FALSE;
  /* Frames count 1, 2, ... 7, 0, 1 ... from the first of the transfer. */
  guint8 number = (guint8) ((self->next_record + 1) % 8);

  if (fault_strikes (self))
    return;

  g_string_append_c (text, HP_ASTM_CR);
  hp_astm_encode_frame (frame, number, text->str, text->len, final);
  if (self->next_record == self->today_record)
    {
      if (self->simulation.fault == HP_CONTOUR_FAULT_CORRUPT_ALWAYS)
        corrupt = TRUE;
      else if (self->simulation.fault == HP_CONTOUR_FAULT_CORRUPT_ONCE && !self->corrupted_once)
        corrupt = self->corrupted_once = TRUE;
    }
  if (corrupt)
    /* The first checksum digit, off by one: still hex, no longer right. */
    frame->data[frame->len - 4] = frame->data[frame->len - 4] == '0' ? '1' : '0';

  send_message (self, frame->data, frame->len,
                self->next_record == 0 && self->simulation.fault == HP_CONTOUR_FAULT_BAD_LENGTH);
  self->state = METER_SENDING;
}

/* As a meter answers the host's EOT (glucometerutils quotes one): EOT,
 * the header frame and ENQ in one message. The header comes again as
 * frame 1 once the host has ACKed. */
static void
start_transfer (HpContourSimulator *self)
{
  g_autoptr(GByteArray) first = g_byte_array_new ();
  g_autoptr(GString) header = NULL;
  const guint8 eot = HP_ASTM_EOT, enq = HP_ASTM_ENQ;

  self->step = 0;
  self->retransmissions = 0;
  self->corrupted_once = FALSE;
  self->next_record = 0;
  build_records (self);
  self->state = METER_ASKED;
  if (fault_strikes (self))
    return;
  header = g_string_new (g_ptr_array_index (self->records, 0));
  g_string_append_c (header, HP_ASTM_CR);
  g_byte_array_append (first, &eot, 1);
  hp_astm_encode_frame (first, 1, header->str, header->len, FALSE);
  g_byte_array_append (first, &enq, 1);
  send_message (self, first->data, first->len, FALSE);
}

static void
handle_control (HpContourSimulator *self,
                guint8              control)
{
  if (self->state == METER_SILENT)
    return;

  switch (control)
    {
    case HP_ASTM_EOT:
      /* The host is ready (or gives up): start over from the header. */
      start_transfer (self);
      break;
    case HP_ASTM_ACK:
      if (self->state == METER_ASKED)
        {
          self->next_record = 0;
          self->retransmissions = 0;
          send_frame (self);
        }
      else if (self->state == METER_SENDING)
        {
          self->next_record++;
          self->retransmissions = 0;
          if (self->next_record < self->records->len)
            send_frame (self);
          else
            {
              self->state = METER_IDLE;
              send_control (self, HP_ASTM_EOT);
            }
        }
      break;
    case HP_ASTM_NAK:
      self->n_naks++;
      if (self->state != METER_SENDING)
        break;
      if (self->retransmissions >= HP_ASTM_MAX_RETRANSMISSIONS)
        {
          /* E1381: after six retransmissions the sender gives up. */
          self->state = METER_IDLE;
          send_control (self, HP_ASTM_EOT);
          break;
        }
      self->retransmissions++;
      send_frame (self);
      break;
    default:
      g_debug ("the simulated Contour ignores control byte 0x%02x", control);
      break;
    }
}

static void
on_host_sent (HpSimulatorTransport *transport G_GNUC_UNUSED,
              GBytes               *bytes,
              gpointer              user_data)
{
  HpContourSimulator *self = user_data;
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  /* "ABC", a length, that many bytes. */
  if (size < 4 || memcmp (data, "ABC", 3) != 0 || data[3] > HP_CONTOUR_PAYLOAD_MAX || 4u + data[3] > size)
    {
      g_debug ("the simulated Contour ignores a report it cannot read");
      return;
    }
  for (guint i = 0; i < data[3]; i++)
    handle_control (self, data[4 + i]);
}

static void
on_host_closed (HpSimulatorTransport *transport G_GNUC_UNUSED,
                gpointer              user_data)
{
  HpContourSimulator *self = user_data;

  if (self->state != METER_SILENT)
    self->state = METER_IDLE;
}

static void
hp_contour_simulator_dispose (GObject *object)
{
  HpContourSimulator *self = HP_CONTOUR_SIMULATOR (object);

  if (self->transport != NULL)
    {
      g_clear_signal_handler (&self->closed_id, self->transport);
      g_clear_signal_handler (&self->sent_id, self->transport);
      g_object_remove_weak_pointer (G_OBJECT (self->transport), (gpointer *) &self->transport);
      self->transport = NULL;
    }

  G_OBJECT_CLASS (hp_contour_simulator_parent_class)->dispose (object);
}

static void
hp_contour_simulator_finalize (GObject *object)
{
  HpContourSimulator *self = HP_CONTOUR_SIMULATOR (object);

  g_ptr_array_unref (self->records);

  G_OBJECT_CLASS (hp_contour_simulator_parent_class)->finalize (object);
}

static void
hp_contour_simulator_class_init (HpContourSimulatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hp_contour_simulator_dispose;
  object_class->finalize = hp_contour_simulator_finalize;
}

static void
hp_contour_simulator_init (HpContourSimulator *self)
{
  self->records = g_ptr_array_new_with_free_func (g_free);
}

HpContourSimulator *
hp_contour_simulator_new (HpSimulatorTransport      *transport,
                          const HpContourSimulation *simulation)
{
  HpContourSimulator *self;

  g_return_val_if_fail (HP_IS_SIMULATOR_TRANSPORT (transport), NULL);
  g_return_val_if_fail (simulation != NULL, NULL);

  self = g_object_new (HP_TYPE_CONTOUR_SIMULATOR, NULL);
  self->simulation = *simulation;
  g_strlcpy (self->unit, g_strcmp0 (simulation->unit, "mmol/L") == 0 ? "mmol/L" : "mg/dL", sizeof self->unit);
  self->simulation.unit = NULL;
  self->transport = transport;
  g_object_add_weak_pointer (G_OBJECT (transport), (gpointer *) &self->transport);
  self->closed_id = g_signal_connect (transport, "host-closed", G_CALLBACK (on_host_closed), self);
  self->sent_id = g_signal_connect (transport, "host-sent", G_CALLBACK (on_host_sent), self);
  return self;
}

guint
hp_contour_simulator_get_n_naks (HpContourSimulator *self)
{
  g_return_val_if_fail (HP_IS_CONTOUR_SIMULATOR (self), 0);
  return self->n_naks;
}

HpDevice *
hp_simulated_contour_new_full (const HpContourSimulation *simulation)
{
  static guint n_meters;
  g_autoptr(HpSimulatorTransport) transport = NULL;
  g_autoptr(HpContourSimulator) agent = NULL;
  g_autofree char *id = NULL;
  HpDevice *device;

  g_return_val_if_fail (simulation != NULL, NULL);

  transport = hp_simulator_transport_new ();
  agent = hp_contour_simulator_new (transport, simulation);
  hp_simulator_transport_set_agent (transport, G_OBJECT (agent));

  id = g_strdup_printf ("simulated-contour-%u", g_atomic_int_add (&n_meters, 1));
  device = hp_contour_device_new (id, "Simulated Contour Next USB", HP_TRANSPORT (transport));
  if (simulation->response_timeout_ms != 0)
    hp_contour_device_set_timeouts (HP_CONTOUR_DEVICE (device), simulation->response_timeout_ms);
  return device;
}

static HpDevice *
healthy_meter (void)
{
  return hp_simulated_contour_new ("mg/dL", 104, HP_CONTOUR_FAULT_NONE);
}

const HpSimulatedDeviceEntry hp_contour_simulated_devices[] = {
  { "contour", healthy_meter },
  { NULL, NULL },
};

HpDevice *
hp_simulated_contour_new (const char     *unit,
                          double          value,
                          HpContourFault  fault)
{
  HpContourSimulation simulation = { .unit = unit, .value = value, .fault = fault };

  g_return_val_if_fail (g_strcmp0 (unit, "mg/dL") == 0 || g_strcmp0 (unit, "mmol/L") == 0, NULL);
  return hp_simulated_contour_new_full (&simulation);
}
