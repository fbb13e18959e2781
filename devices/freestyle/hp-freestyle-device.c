/* The Abbott FreeStyle glucometer driver: the shared HID protocol's text commands over 64-byte reports. */
#include "hp-freestyle-device.h"

#include <string.h>

#include "hp-device-private.h"
#include "hp-transport-device-private.h"
#include "hp-glucometer-history.h"

#define SERIAL_MAX 40

typedef enum {
  STEP_IDLE,
  STEP_INIT,
  STEP_SERIAL,
  STEP_DATE,
  STEP_TIME,
  STEP_RESULTS,
} Step;

struct _HpFreestyleDevice
{
  HpTransportDevice parent_instance;

  guint response_timeout_ms;
  HpFreestyleLayout layout;

  Step step;
  const char *command;      /* the text command awaiting its reply */
  guint retries;
  GByteArray *reply;

  char serial[SERIAL_MAX + 1];
  HpFreestyleTime meter_time;
  gboolean meter_clock_lost;
  HpGlucometerHistory *history;
};

G_DEFINE_FINAL_TYPE (HpFreestyleDevice, hp_freestyle_device, HP_TYPE_TRANSPORT_DEVICE)

static void
finish (HpFreestyleDevice *self)
{
  hp_transport_device_clear_deadline (HP_TRANSPORT_DEVICE (self));
  self->step = STEP_IDLE;
  self->command = NULL;
  g_byte_array_set_size (self->reply, 0);
  hp_transport_close (hp_transport_device_get_transport (HP_TRANSPORT_DEVICE (self)));
}

static void
fail_with (HpFreestyleDevice *self,
           const GError      *error)
{
  g_debug ("FreeStyle %s: measurement failed: %s", hp_device_get_id (HP_DEVICE (self)), error->message);
  finish (self);
  hp_device_emit_measurement_failed (HP_DEVICE (self), error);
}

G_GNUC_PRINTF (3, 4)
static void
fail (HpFreestyleDevice *self,
      HpDeviceError      code,
      const char        *format,
      ...)
{
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (HP_DEVICE_ERROR, code, format, args);
  va_end (args);
  fail_with (self, error);
}

static void
deadline_passed (HpTransportDevice *device)
{
  HpFreestyleDevice *self = HP_FREESTYLE_DEVICE (device);

  if (self->step == STEP_INIT)
    fail (self, HP_DEVICE_ERROR_TIMEOUT, "The meter did not answer INIT in time");
  else if (self->step != STEP_IDLE)
    fail (self, HP_DEVICE_ERROR_TIMEOUT, "The meter did not answer %s in time", self->command);
}

static void
arm_deadline (HpFreestyleDevice *self)
{
  hp_transport_device_set_deadline (HP_TRANSPORT_DEVICE (self), self->response_timeout_ms, deadline_passed);
}

static gboolean
send_message (HpFreestyleDevice  *self,
              guint8              type,
              const guint8       *data,
              gsize               len,
              GError            **error)
{
  guint8 report[HP_FREESTYLE_REPORT_SIZE];
  g_autoptr(GBytes) bytes = NULL;

  if (!hp_freestyle_encode_message (report, type, data, len))
    g_assert_not_reached (); /* the driver's commands are short */
  bytes = g_bytes_new (report, sizeof report);
  if (!hp_transport_send (hp_transport_device_get_transport (HP_TRANSPORT_DEVICE (self)), bytes, error))
    return FALSE;
  arm_deadline (self);
  return TRUE;
}

static void
send_text_command (HpFreestyleDevice *self,
                   Step               step,
                   const char        *command)
{
  g_autoptr(GError) error = NULL;
  /* Abbott's own software ends commands with CR LF; the meters accept both. */
  g_autofree char *line = g_strconcat (command, "\r\n", NULL);

  self->step = step;
  self->command = command;
  g_byte_array_set_size (self->reply, 0);
  if (!send_message (self, HP_FREESTYLE_TYPE_TEXT, (const guint8 *) line, strlen (line), &error))
    fail (self, HP_DEVICE_ERROR_DISCONNECTED, "Lost the link to the meter: %s", error->message);
}

static GDateTime *
freestyle_time_to_local (const HpFreestyleTime *time)
{
  /* Meters keep local wall-clock time without a zone. */
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();

  return g_date_time_new (tz, time->year, time->month, time->day, time->hour, time->minute, time->second);
}

static void
read_records (HpFreestyleDevice *self,
              const guint8      *body,
              gsize              len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(HpMeasurement) chosen = NULL;
  g_autofree char *device_id = g_strconcat (hp_freestyle_driver.protocol, ":", self->serial, NULL);
  gsize offset = 0;

  records = hp_freestyle_parse_records (body, len, &offset, &error);
  if (records == NULL)
    {
      fail (self, HP_DEVICE_ERROR_PROTOCOL, "The meter's memory dump is malformed at byte %" G_GSIZE_FORMAT ": %s",
            offset, error->message);
      return;
    }

  for (guint i = 0; i < records->len; i++)
    {
      HpFreestyleRecord record;
      g_autoptr(HpMeasurement) measurement = NULL;
      g_autoptr(GDateTime) when = NULL;
      g_autofree char *key = NULL;
      HpGlucometerEntryKind kind;

      if (!hp_freestyle_parse_glucose_record (self->layout, g_ptr_array_index (records, i), &record, &error))
        {
          fail (self, HP_DEVICE_ERROR_PROTOCOL, "Record %u of the meter's memory is malformed: %s", i + 1,
                error->message);
          return;
        }
      switch (record.kind)
        {
        case HP_FREESTYLE_RECORD_OTHER:
          continue;
        case HP_FREESTYLE_RECORD_GLUCOSE:
          kind = HP_GLUCOMETER_ENTRY_PATIENT;
          break;
        case HP_FREESTYLE_RECORD_CONTROL:
          kind = HP_GLUCOMETER_ENTRY_CONTROL;
          break;
        case HP_FREESTYLE_RECORD_HIGH:
          kind = HP_GLUCOMETER_ENTRY_HIGH;
          break;
        case HP_FREESTYLE_RECORD_LOW:
          kind = HP_GLUCOMETER_ENTRY_LOW;
          break;
        default:
          g_assert_not_reached ();
        }

      if (record.kind == HP_FREESTYLE_RECORD_HIGH || record.kind == HP_FREESTYLE_RECORD_LOW)
        measurement = hp_glucometer_out_of_range_new (kind, kind == HP_GLUCOMETER_ENTRY_HIGH
                                                            ? HP_FREESTYLE_RANGE_HIGH_MG_DL
                                                            : HP_FREESTYLE_RANGE_LOW_MG_DL,
                                                      device_id);
      else
        {
          measurement = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_GLUCOSE);
          /* These meters send mg/dL whatever unit they display. */
          hp_measurement_set_value (measurement, HP_QUANTITY_BLOOD_GLUCOSE, record.value, "mg/dL");
          hp_measurement_set_device_id (measurement, device_id);
        }
      if (!record.time_lost && !self->meter_clock_lost)
        when = freestyle_time_to_local (&record.time);
      key = g_strdup_printf ("%u|%d|%04u%02u%02u%02u%02u|%s", record.id, record.time_lost, record.time.year,
                             record.time.month, record.time.day, record.time.hour, record.time.minute,
                             record.value_text);
      hp_glucometer_history_add (self->history, kind, measurement, when, record.id, key);
    }

  chosen = hp_glucometer_history_choose (self->history, HP_DEVICE (self), &error);
  if (chosen == NULL)
    {
      fail_with (self, error);
      return;
    }
  finish (self);
  hp_device_emit_measurement_ready (HP_DEVICE (self), chosen);
}

static void
handle_text_reply (HpFreestyleDevice *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) kiosk_now = NULL;
  g_autoptr(GDateTime) meter_now = NULL;
  const guint8 *body;
  gsize body_len, offset = 0;
  gboolean lost;

  if (!hp_freestyle_parse_text_reply (self->reply->data, self->reply->len, &body, &body_len, &offset, &error))
    {
      if (g_error_matches (error, HP_FREESTYLE_ERROR, HP_FREESTYLE_ERROR_CHECKSUM) &&
          self->retries < HP_FREESTYLE_MAX_RETRIES)
        {
          self->retries++;
          g_debug ("FreeStyle %s: reply to %s failed its checksum, asking again",
                   hp_device_get_id (HP_DEVICE (self)), self->command);
          send_text_command (self, self->step, self->command);
          return;
        }
      if (g_error_matches (error, HP_FREESTYLE_ERROR, HP_FREESTYLE_ERROR_FAILED))
        fail (self, HP_DEVICE_ERROR_UNSUPPORTED, "The meter refused %s", self->command);
      else
        fail (self, HP_DEVICE_ERROR_PROTOCOL, "The meter's reply to %s is malformed at byte %" G_GSIZE_FORMAT ": %s",
              self->command, offset, error->message);
      return;
    }
  self->retries = 0;

  switch (self->step)
    {
    case STEP_SERIAL:
      while (body_len > 0 && (body[body_len - 1] == '\n' || body[body_len - 1] == '\r'))
        body_len--;
      if (body_len == 0 || body_len > SERIAL_MAX)
        {
          fail (self, HP_DEVICE_ERROR_PROTOCOL, "The meter's serial number is empty or longer than %d bytes", SERIAL_MAX);
          return;
        }
      for (gsize i = 0; i < body_len; i++)
        if (!g_ascii_isalnum (body[i]) && body[i] != '-')
          {
            fail (self, HP_DEVICE_ERROR_PROTOCOL, "The meter's serial number holds byte 0x%02x at %" G_GSIZE_FORMAT,
                  body[i], i);
            return;
          }
      memcpy (self->serial, body, body_len);
      self->serial[body_len] = '\0';
      send_text_command (self, STEP_DATE, "$date?");
      break;
    case STEP_DATE:
      if (!hp_freestyle_parse_date (body, body_len, &self->meter_time, &lost, &error))
        {
          fail (self, HP_DEVICE_ERROR_PROTOCOL, "The meter's date reply is malformed: %s", error->message);
          return;
        }
      self->meter_clock_lost = lost;
      send_text_command (self, STEP_TIME, "$time?");
      break;
    case STEP_TIME:
      if (!hp_freestyle_parse_time (body, body_len, &self->meter_time, &lost, &error))
        {
          fail (self, HP_DEVICE_ERROR_PROTOCOL, "The meter's time reply is malformed: %s", error->message);
          return;
        }
      self->meter_clock_lost |= lost;
      kiosk_now = g_date_time_new_now_local ();
      if (!self->meter_clock_lost)
        meter_now = freestyle_time_to_local (&self->meter_time);
      hp_glucometer_history_begin (self->history, kiosk_now, meter_now);
      if (self->meter_clock_lost)
        g_debug ("FreeStyle %s: the meter's clock is lost", hp_device_get_id (HP_DEVICE (self)));
      send_text_command (self, STEP_RESULTS, hp_freestyle_layout_result_command (self->layout));
      break;
    case STEP_RESULTS:
      read_records (self, body, body_len);
      break;
    case STEP_IDLE:
    case STEP_INIT:
      break;
    }
}

static void
hp_freestyle_device_received (HpTransportDevice *device,
                              GBytes            *bytes)
{
  HpFreestyleDevice *self = HP_FREESTYLE_DEVICE (device);
  g_autoptr(GError) error = NULL;
  gsize size, len, offset = 0;
  const guint8 *report = g_bytes_get_data (bytes, &size);
  const guint8 *data;
  guint8 type;

  if (self->step == STEP_IDLE)
    return;

  if (!hp_freestyle_decode_message (report, size, &type, &data, &len, &offset, &error))
    {
      fail (self, HP_DEVICE_ERROR_PROTOCOL, "The meter sent a report the kiosk cannot read (byte %" G_GSIZE_FORMAT "): %s",
            offset, error->message);
      return;
    }
  arm_deadline (self);

  if (type == HP_FREESTYLE_TYPE_KEEPALIVE)
    return;
  if (type == HP_FREESTYLE_TYPE_UNKNOWN_COMMAND)
    {
      if (self->step == STEP_INIT)
        fail (self, HP_DEVICE_ERROR_UNSUPPORTED, "The meter does not know INIT");
      else
        fail (self, HP_DEVICE_ERROR_UNSUPPORTED, "The meter does not know text commands (asked %s)", self->command);
      return;
    }

  if (self->step == STEP_INIT)
    {
      if (type != HP_FREESTYLE_TYPE_INIT_REPLY || len != 1 || data[0] != 0x01)
        {
          fail (self, HP_DEVICE_ERROR_PROTOCOL, "The meter answered INIT with message type 0x%02x", type);
          return;
        }
      hp_device_set_phase (HP_DEVICE (self), HP_MEASUREMENT_PHASE_RECEIVING);
      send_text_command (self, STEP_SERIAL, hp_freestyle_layout_serial_command (self->layout));
      return;
    }

  if (type != HP_FREESTYLE_TYPE_TEXT)
    {
      fail (self, HP_DEVICE_ERROR_PROTOCOL, "The meter answered %s with message type 0x%02x", self->command, type);
      return;
    }
  if (self->reply->len + len > HP_FREESTYLE_REPLY_MAX)
    {
      fail (self, HP_DEVICE_ERROR_PROTOCOL, "The meter's reply to %s is longer than %d bytes", self->command,
            HP_FREESTYLE_REPLY_MAX);
      return;
    }
  g_byte_array_append (self->reply, data, (guint) len);
  if (hp_freestyle_text_complete (self->reply->data, self->reply->len))
    handle_text_reply (self);
}

static void
hp_freestyle_device_closed (HpTransportDevice *device,
                            const GError      *error)
{
  HpFreestyleDevice *self = HP_FREESTYLE_DEVICE (device);

  g_debug ("FreeStyle %s: link closed: %s", hp_device_get_id (HP_DEVICE (self)),
           error != NULL ? error->message : "no reason given");
  hp_device_set_state (HP_DEVICE (self), HP_DEVICE_STATE_DISCONNECTED);
  if (self->step != STEP_IDLE)
    fail (self, HP_DEVICE_ERROR_DISCONNECTED, "The meter was disconnected while sending its records");
}

static gboolean
hp_freestyle_device_start_measurement (HpDevice  *device,
                                       GError   **error)
{
  HpFreestyleDevice *self = HP_FREESTYLE_DEVICE (device);

  self->retries = 0;
  self->serial[0] = '\0';
  self->meter_clock_lost = FALSE;
  g_byte_array_set_size (self->reply, 0);
  if (!hp_transport_open (hp_transport_device_get_transport (HP_TRANSPORT_DEVICE (self)), error))
    return FALSE;
  if (!send_message (self, HP_FREESTYLE_TYPE_INIT, NULL, 0, error))
    {
      hp_transport_device_clear_deadline (HP_TRANSPORT_DEVICE (self));
      hp_transport_close (hp_transport_device_get_transport (HP_TRANSPORT_DEVICE (self)));
      return FALSE;
    }
  self->step = STEP_INIT;
  hp_device_set_phase (device, HP_MEASUREMENT_PHASE_WAITING_FOR_DEVICE);
  return TRUE;
}

static void
hp_freestyle_device_cancel_measurement (HpDevice *device)
{
  finish (HP_FREESTYLE_DEVICE (device));
}

static void
hp_freestyle_device_dispose (GObject *object)
{
  HpFreestyleDevice *self = HP_FREESTYLE_DEVICE (object);

  /* finish() closes the transport, which the parent drops on a first dispose. */
  if (self->step != STEP_IDLE && hp_transport_device_get_transport (HP_TRANSPORT_DEVICE (self)) != NULL)
    finish (self);

  G_OBJECT_CLASS (hp_freestyle_device_parent_class)->dispose (object);
}

static void
hp_freestyle_device_finalize (GObject *object)
{
  HpFreestyleDevice *self = HP_FREESTYLE_DEVICE (object);

  g_byte_array_unref (self->reply);
  hp_glucometer_history_free (self->history);

  G_OBJECT_CLASS (hp_freestyle_device_parent_class)->finalize (object);
}

static void
hp_freestyle_device_class_init (HpFreestyleDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  HpDeviceClass *device_class = HP_DEVICE_CLASS (klass);
  HpTransportDeviceClass *transport_device_class = HP_TRANSPORT_DEVICE_CLASS (klass);

  object_class->dispose = hp_freestyle_device_dispose;
  object_class->finalize = hp_freestyle_device_finalize;

  device_class->start_measurement = hp_freestyle_device_start_measurement;
  device_class->cancel_measurement = hp_freestyle_device_cancel_measurement;

  transport_device_class->received = hp_freestyle_device_received;
  transport_device_class->closed = hp_freestyle_device_closed;
}

static void
hp_freestyle_device_init (HpFreestyleDevice *self)
{
  self->reply = g_byte_array_new ();
  self->history = hp_glucometer_history_new ();
  self->response_timeout_ms = HP_FREESTYLE_RESPONSE_TIMEOUT_MS;
}

HpDevice *
hp_freestyle_device_new (const char        *id,
                         const char        *name,
                         HpFreestyleLayout  layout,
                         HpTransport       *transport)
{
  HpFreestyleDevice *self;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (layout <= HP_FREESTYLE_LAYOUT_LIBRE, NULL);
  g_return_val_if_fail (HP_IS_TRANSPORT (transport), NULL);

  self = g_object_new (HP_TYPE_FREESTYLE_DEVICE,
                       "id", id,
                       "name", name,
                       "kind", HP_MEASUREMENT_KIND_BLOOD_GLUCOSE,
                       "transport", transport,
                       NULL);
  self->layout = layout;
  return HP_DEVICE (self);
}

void
hp_freestyle_device_set_timeouts (HpFreestyleDevice *self,
                                  guint              response_timeout_ms)
{
  g_return_if_fail (HP_IS_FREESTYLE_DEVICE (self));
  g_return_if_fail (response_timeout_ms > 0);

  self->response_timeout_ms = response_timeout_ms;
}

static gsize
replay_significant (const guint8 *report,
                    gsize         len)
{
  /* The type, the length and the bytes it counts; Abbott's software pads
   * with whatever its buffer held (0xcd). */
  return len < 2 ? len : MIN ((gsize) 2 + MIN (report[1], HP_FREESTYLE_DATA_MAX), len);
}

static HpDevice *
create_from_usb (const char            *id,
                 const HpUsbDeviceInfo *info,
                 HpTransport           *transport)
{
  HpFreestyleLayout layout = HP_FREESTYLE_LAYOUT_NEO;

  if (info->product_id == 0x3460 || info->product_id == 0x3450)
    layout = HP_FREESTYLE_LAYOUT_INSULINX;
  else if (info->product_id == 0x3650)
    layout = HP_FREESTYLE_LAYOUT_LIBRE;
  return hp_freestyle_device_new (id, info->model != NULL ? info->model : "FreeStyle glucometer", layout, transport);
}

static const HpUsbMatch freestyle_matches[] = {
  /* The first is the model a replayed capture is taken to come from. */
  { .kind = HP_USB_MATCH_VID_PID, .vendor_id = 0x1a61, .product_id = 0x3850, .model = "Abbott FreeStyle Precision Neo" },
  { .kind = HP_USB_MATCH_VID_PID, .vendor_id = 0x1a61, .product_id = 0x3460, .model = "Abbott FreeStyle InsuLinx" },
  /* A real InsuLinx described itself so to Abbott's software (OpenGlucose's
   * USB log of it); other sources name 3460. */
  { .kind = HP_USB_MATCH_VID_PID, .vendor_id = 0x1a61, .product_id = 0x3450, .model = "Abbott FreeStyle InsuLinx" },
  { .kind = HP_USB_MATCH_VID_PID, .vendor_id = 0x1a61, .product_id = 0x3650, .model = "Abbott FreeStyle Libre" },
};

const HpDriver hp_freestyle_driver = {
  .protocol = "freestyle",
  .description = "Abbott FreeStyle glucometers: shared HID protocol, text commands",
  .transport_kind = HP_TRANSPORT_KIND_HID_REPORTS,
  .matches = freestyle_matches,
  .n_matches = G_N_ELEMENTS (freestyle_matches),
  .create = create_from_usb,
  .replay_significant = replay_significant,
};
