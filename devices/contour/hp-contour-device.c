/* The Ascensia (Bayer) Contour glucometer driver: ASTM E1381/E1394 records over 64-byte HID reports. */
#include "hp-contour-device.h"

#include <string.h>

#include "hp-astm.h"
#include "hp-device-private.h"
#include "hp-transport-device-private.h"
#include "hp-glucometer-history.h"

/* The longest message the meter sends: one frame at the codec's limit. */
#define MESSAGE_MAX (HP_ASTM_TEXT_MAX + HP_ASTM_FRAME_OVERHEAD + 8)

typedef enum {
  LINK_IDLE,
  LINK_ESTABLISHING, /* sent EOT, waits for the meter's ENQ */
  LINK_RECEIVING,    /* acknowledged ENQ, takes frames until EOT */
} LinkState;

struct _HpContourDevice
{
  HpTransportDevice parent_instance;

  guint response_timeout_ms;

  LinkState link;
  GByteArray *message;       /* the reports of the message arriving */
  guint8 expected_number;    /* FN of the next new frame */
  guint bad_frames;          /* consecutive frames refused */
  HpAstmRecordReader *reader;
  GPtrArray *records;

  gboolean has_header;
  HpAstmHeader header;
  gboolean has_terminator;
  gboolean control_order;  /* the last order record asked for a control test */
  HpGlucometerHistory *history;
};

G_DEFINE_FINAL_TYPE (HpContourDevice, hp_contour_device, HP_TYPE_TRANSPORT_DEVICE)

void
hp_contour_encode_report (GByteArray   *out,
                          const guint8 *payload,
                          gsize         len)
{
  guint8 head[4] = { 'A', 'B', 'C', 0 };
  guint start;

  g_return_if_fail (out != NULL);
  g_return_if_fail (len <= HP_CONTOUR_PAYLOAD_MAX);
  g_return_if_fail (payload != NULL || len == 0);

  start = out->len;
  head[3] = (guint8) len;
  g_byte_array_append (out, head, sizeof head);
  if (len > 0)
    g_byte_array_append (out, payload, (guint) len);
  g_byte_array_set_size (out, start + HP_CONTOUR_REPORT_SIZE);
  memset (out->data + start + 4 + len, 0, HP_CONTOUR_REPORT_SIZE - 4 - len);
}

/* The payload of one input report. Byte 3 is its length; the first three
 * bytes carry nothing the protocol needs (sources do not describe them). */
static gboolean
report_payload (const guint8  *data,
                gsize          size,
                const guint8 **payload,
                gsize         *len,
                gsize         *error_offset,
                const char   **why)
{
  if (size < 4)
    {
      *error_offset = size;
      *why = "the report is shorter than its 4-byte head";
      return FALSE;
    }
  if (data[3] > HP_CONTOUR_PAYLOAD_MAX || 4u + data[3] > size)
    {
      *error_offset = 3;
      *why = "the report's length byte is larger than the report";
      return FALSE;
    }
  *payload = data + 4;
  *len = data[3];
  return TRUE;
}

static void
finish (HpContourDevice *self)
{
  hp_transport_device_clear_deadline (HP_TRANSPORT_DEVICE (self));
  self->link = LINK_IDLE;
  g_byte_array_set_size (self->message, 0);
  hp_astm_record_reader_reset (self->reader);
  g_ptr_array_set_size (self->records, 0);
  hp_transport_close (hp_transport_device_get_transport (HP_TRANSPORT_DEVICE (self)));
}

static void
fail_with (HpContourDevice *self,
           const GError    *error)
{
  g_debug ("Contour %s: measurement failed: %s", hp_device_get_id (HP_DEVICE (self)), error->message);
  finish (self);
  hp_device_emit_measurement_failed (HP_DEVICE (self), error);
}

G_GNUC_PRINTF (3, 4)
static void
fail (HpContourDevice *self,
      HpDeviceError    code,
      const char      *format,
      ...)
{
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (HP_DEVICE_ERROR, code, format, args);
  va_end (args);
  fail_with (self, error);
}

static gboolean
send_control (HpContourDevice *self,
              guint8           control)
{
  g_autoptr(GByteArray) report = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  hp_contour_encode_report (report, &control, 1);
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&report));
  if (!hp_transport_send (hp_transport_device_get_transport (HP_TRANSPORT_DEVICE (self)), bytes, &error))
    {
      fail (self, HP_DEVICE_ERROR_DISCONNECTED, "Lost the link to the meter: %s", error->message);
      return FALSE;
    }
  return TRUE;
}

static void
deadline_passed (HpTransportDevice *device)
{
  HpContourDevice *self = HP_CONTOUR_DEVICE (device);

  switch (self->link)
    {
    case LINK_ESTABLISHING:
      fail (self, HP_DEVICE_ERROR_TIMEOUT, "The meter did not offer its records in time");
      break;
    case LINK_RECEIVING:
      /* Tell the meter the transfer is over, so it is ready for the next. */
      send_control (self, HP_ASTM_EOT);
      if (self->link == LINK_RECEIVING)
        fail (self, HP_DEVICE_ERROR_TIMEOUT, "The meter stopped sending in the middle of its records");
      break;
    case LINK_IDLE:
      break;
    }
}

static void
arm_deadline (HpContourDevice *self)
{
  hp_transport_device_set_deadline (HP_TRANSPORT_DEVICE (self), self->response_timeout_ms, deadline_passed);
}

static GDateTime *
astm_time_to_local (const HpAstmTime *time)
{
  /* Meters keep local wall-clock time without a zone. */
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();

  return g_date_time_new (tz, time->year, time->month, time->day, time->hour, time->minute, time->second);
}

static gboolean
unit_known (const char *unit)
{
  return g_strcmp0 (unit, "mg/dL") == 0 || g_strcmp0 (unit, "mmol/L") == 0;
}

/* Turns one result record into a history entry, or sets @error. */
static gboolean
add_result (HpContourDevice    *self,
            const HpAstmResult *result,
            GError            **error)
{
  g_autoptr(HpMeasurement) measurement = NULL;
  g_autoptr(GDateTime) meter_time = NULL;
  g_autofree char *device_id = NULL;
  g_autofree char *key = NULL;
  HpGlucometerEntryKind kind = HP_GLUCOMETER_ENTRY_PATIENT;
  const char *unit = result->unit;

  /* Some models also keep other tests (ketones); only glucose is ours. */
  if (g_ascii_strcasecmp (result->test, "Glucose") != 0)
    return TRUE;

  if (unit[0] == '\0')
    unit = self->header.unit == HP_ASTM_UNIT_MMOL_L ? "mmol/L" :
           self->header.unit == HP_ASTM_UNIT_MG_DL ? "mg/dL" : "";
  if (!unit_known (unit))
    {
      g_set_error (error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_UNSUPPORTED,
                   "Result record %u has a unit the kiosk does not know", result->sequence);
      return FALSE;
    }

  if (result->flags & HP_ASTM_RESULT_FLAG_CONTROL)
    kind = HP_GLUCOMETER_ENTRY_CONTROL;
  else if (result->flags & HP_ASTM_RESULT_FLAG_HIGH)
    kind = HP_GLUCOMETER_ENTRY_HIGH;
  else if (result->flags & HP_ASTM_RESULT_FLAG_LOW)
    kind = HP_GLUCOMETER_ENTRY_LOW;
  else if (!result->has_value)
    {
      g_set_error (error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_PROTOCOL,
                   "Result record %u has no number in its value field", result->sequence);
      return FALSE;
    }

  device_id = g_strconcat (hp_contour_driver.protocol, ":", self->header.serial, NULL);
  if (kind == HP_GLUCOMETER_ENTRY_HIGH || kind == HP_GLUCOMETER_ENTRY_LOW)
    {
      /* HI and LO are the meter's limits, whatever the value field holds. */
      measurement = hp_glucometer_out_of_range_new (kind, kind == HP_GLUCOMETER_ENTRY_HIGH
                                                          ? HP_CONTOUR_RANGE_HIGH_MG_DL
                                                          : HP_CONTOUR_RANGE_LOW_MG_DL,
                                                    device_id);
    }
  else
    {
      measurement = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_GLUCOSE);
      hp_measurement_set_value (measurement, HP_QUANTITY_BLOOD_GLUCOSE, result->value, unit);
      hp_measurement_set_device_id (measurement, device_id);
    }
  if (result->has_time)
    meter_time = astm_time_to_local (&result->time);

  key = g_strdup_printf ("%u|%04u%02u%02u%02u%02u|%s", result->sequence, result->time.year,
                         result->time.month, result->time.day, result->time.hour,
                         result->time.minute, result->value_text);
  hp_glucometer_history_add (self->history, kind, measurement, meter_time, result->sequence, key);
  return TRUE;
}

static gboolean
handle_record (HpContourDevice *self,
               const char      *record)
{
  g_autoptr(GError) error = NULL;
  gsize offset = 0;

  switch (hp_astm_record_type (record))
    {
    case 'H':
      {
        g_autoptr(GDateTime) kiosk_now = g_date_time_new_now_local ();
        g_autoptr(GDateTime) meter_now = NULL;

        if (!hp_astm_parse_header (record, &self->header, &offset, &error))
          {
            fail (self, HP_DEVICE_ERROR_PROTOCOL, "The meter's header record is malformed at byte %" G_GSIZE_FORMAT ": %s",
                  offset, error->message);
            return FALSE;
          }
        if (self->header.serial[0] == '\0')
          g_strlcpy (self->header.serial, "unknown", sizeof self->header.serial);
        if (self->header.has_time)
          meter_now = astm_time_to_local (&self->header.time);
        hp_glucometer_history_begin (self->history, kiosk_now, meter_now);
        self->has_header = TRUE;
        self->control_order = FALSE;
        self->has_terminator = FALSE;
        /* Its serial is sealed in the database: never in the log. */
        g_debug ("Contour %s: meter %s", hp_device_get_id (HP_DEVICE (self)), self->header.product);
      }
      break;
    case 'R':
      {
        HpAstmResult result;

        if (!self->has_header)
          {
            fail (self, HP_DEVICE_ERROR_PROTOCOL, "The meter sent a result before its header");
            return FALSE;
          }
        if (!hp_astm_parse_result (record, &self->header.delimiters, &result, &offset, &error))
          {
            fail (self, HP_DEVICE_ERROR_PROTOCOL, "A result record is malformed at byte %" G_GSIZE_FORMAT ": %s",
                  offset, error->message);
            return FALSE;
          }
        /* Results under a quality-control order are control tests, even
         * without the meter's own "C" flag. */
        if (self->control_order)
          result.flags |= HP_ASTM_RESULT_FLAG_CONTROL;
        if (!add_result (self, &result, &error))
          {
            fail_with (self, error);
            return FALSE;
          }
      }
      break;
    case 'L':
      self->has_terminator = TRUE;
      break;
    case 'P':
      self->control_order = FALSE;
      break;
    case 'O':
      /* An order's results follow it until the next order or patient. */
      self->control_order = self->has_header && hp_astm_order_is_control (record, &self->header.delimiters);
      break;
    default:
      /* C (comment) and the like carry nothing the kiosk uses. */
      break;
    }
  return TRUE;
}

static void
transfer_ended (HpContourDevice *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpMeasurement) measurement = NULL;

  /* E1394: without the terminator record the message is incomplete and
   * nothing in it may be used. */
  if (!self->has_header || !self->has_terminator)
    {
      if (self->bad_frames > 0)
        fail (self, HP_DEVICE_ERROR_PROTOCOL,
              "The meter gave up after frame %u kept failing its checksum", self->expected_number);
      else
        fail (self, HP_DEVICE_ERROR_PROTOCOL, "The meter ended the transfer before its last record");
      return;
    }

  measurement = hp_glucometer_history_choose (self->history, HP_DEVICE (self), &error);
  if (measurement == NULL)
    {
      fail_with (self, error);
      return;
    }
  finish (self);
  hp_device_emit_measurement_ready (HP_DEVICE (self), measurement);
}

static void
handle_frame (HpContourDevice *self,
              const guint8    *data,
              gsize            len)
{
  g_autoptr(GError) error = NULL;
  HpAstmFrame frame;
  gsize offset = 0;

  if (!hp_astm_decode_frame (data, len, &frame, &offset, &error) ||
      (frame.number != self->expected_number &&
       frame.number != (self->expected_number + 7) % 8))
    {
      self->bad_frames++;
      if (error == NULL)
        g_debug ("Contour %s: frame number %u where %u was due", hp_device_get_id (HP_DEVICE (self)),
                 frame.number, self->expected_number);
      else
        g_debug ("Contour %s: refusing a frame (byte %" G_GSIZE_FORMAT "): %s",
                 hp_device_get_id (HP_DEVICE (self)), offset, error->message);
      if (self->bad_frames > HP_ASTM_MAX_RETRANSMISSIONS)
        {
          send_control (self, HP_ASTM_EOT);
          if (self->link != LINK_IDLE)
            fail (self, HP_DEVICE_ERROR_PROTOCOL, "Frame %u from the meter failed %u times: %s",
                  self->expected_number, self->bad_frames,
                  error != NULL ? error->message : "out of sequence");
          return;
        }
      send_control (self, HP_ASTM_NAK);
      return;
    }

  if (frame.number != self->expected_number)
    {
      /* The meter did not hear our ACK and sent the last frame again. */
      send_control (self, HP_ASTM_ACK);
      return;
    }

  self->bad_frames = 0;
  self->expected_number = hp_astm_next_frame_number (frame.number);
  g_ptr_array_set_size (self->records, 0);
  if (!hp_astm_record_reader_add (self->reader, &frame, self->records, &error))
    {
      send_control (self, HP_ASTM_EOT);
      if (self->link != LINK_IDLE)
        fail (self, HP_DEVICE_ERROR_PROTOCOL, "The meter sent a record the kiosk cannot read: %s", error->message);
      return;
    }
  for (guint i = 0; i < self->records->len; i++)
    if (!handle_record (self, g_ptr_array_index (self->records, i)))
      return;
  send_control (self, HP_ASTM_ACK);
}

static void
handle_message (HpContourDevice *self,
                const guint8    *data,
                gsize            len)
{
  if (len == 0)
    return;

  switch (self->link)
    {
    case LINK_ESTABLISHING:
      /* The meter may still be finishing an earlier exchange; its ENQ
       * comes last. */
      if (data[len - 1] == HP_ASTM_ENQ)
        {
          self->link = LINK_RECEIVING;
          self->expected_number = 1;
          self->bad_frames = 0;
          self->has_header = FALSE;
          self->has_terminator = FALSE;
          hp_astm_record_reader_reset (self->reader);
          hp_device_set_phase (HP_DEVICE (self), HP_MEASUREMENT_PHASE_RECEIVING);
          send_control (self, HP_ASTM_ACK);
        }
      else
        g_debug ("Contour %s: ignoring %" G_GSIZE_FORMAT " bytes before the meter's ENQ",
                 hp_device_get_id (HP_DEVICE (self)), len);
      break;
    case LINK_RECEIVING:
      if (data[0] == HP_ASTM_STX)
        handle_frame (self, data, len);
      else if (data[0] == HP_ASTM_EOT)
        transfer_ended (self);
      else if (data[0] == HP_ASTM_ENQ)
        {
          /* The meter starts over. */
          self->expected_number = 1;
          self->bad_frames = 0;
          self->has_header = FALSE;
          self->has_terminator = FALSE;
          hp_astm_record_reader_reset (self->reader);
          send_control (self, HP_ASTM_ACK);
        }
      else
        {
          self->bad_frames++;
          if (self->bad_frames > HP_ASTM_MAX_RETRANSMISSIONS)
            {
              send_control (self, HP_ASTM_EOT);
              if (self->link != LINK_IDLE)
                fail (self, HP_DEVICE_ERROR_PROTOCOL, "The meter keeps sending bytes that are not frames");
              return;
            }
          send_control (self, HP_ASTM_NAK);
        }
      break;
    case LINK_IDLE:
      break;
    }
}

static void
hp_contour_device_received (HpTransportDevice *device,
                            GBytes            *bytes)
{
  HpContourDevice *self = HP_CONTOUR_DEVICE (device);
  g_autoptr(GByteArray) message = NULL;
  const guint8 *payload;
  const char *why;
  gsize size, len, offset;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  if (self->link == LINK_IDLE)
    return;

  if (!report_payload (data, size, &payload, &len, &offset, &why))
    {
      send_control (self, HP_ASTM_EOT);
      if (self->link != LINK_IDLE)
        fail (self, HP_DEVICE_ERROR_PROTOCOL, "The meter sent a report the kiosk cannot read (byte %" G_GSIZE_FORMAT "): %s",
              offset, why);
      return;
    }
  if (self->message->len + len > MESSAGE_MAX)
    {
      send_control (self, HP_ASTM_EOT);
      if (self->link != LINK_IDLE)
        fail (self, HP_DEVICE_ERROR_PROTOCOL, "The meter sent a message longer than %d bytes", MESSAGE_MAX);
      return;
    }
  g_byte_array_append (self->message, payload, (guint) len);
  arm_deadline (self);
  if (len == HP_CONTOUR_PAYLOAD_MAX)
    return;

  message = self->message;
  self->message = g_byte_array_new ();
  handle_message (self, message->data, message->len);
}

static void
hp_contour_device_closed (HpTransportDevice *device,
                          const GError      *error)
{
  HpContourDevice *self = HP_CONTOUR_DEVICE (device);

  g_debug ("Contour %s: link closed: %s", hp_device_get_id (HP_DEVICE (self)),
           error != NULL ? error->message : "no reason given");
  hp_device_set_state (HP_DEVICE (self), HP_DEVICE_STATE_DISCONNECTED);
  if (self->link != LINK_IDLE)
    fail (self, HP_DEVICE_ERROR_DISCONNECTED, "The meter was disconnected while sending its records");
}

static gboolean
hp_contour_device_start_measurement (HpDevice  *device,
                                     GError   **error)
{
  HpContourDevice *self = HP_CONTOUR_DEVICE (device);
  g_autoptr(GByteArray) report = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  guint8 eot = HP_ASTM_EOT;

  g_byte_array_set_size (self->message, 0);
  self->has_header = FALSE;
  self->has_terminator = FALSE;
  if (!hp_transport_open (hp_transport_device_get_transport (HP_TRANSPORT_DEVICE (self)), error))
    return FALSE;

  /* EOT puts the meter's link in its neutral state, whatever it was doing;
   * it answers with ENQ when it has records to send. */
  hp_contour_encode_report (report, &eot, 1);
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&report));
  if (!hp_transport_send (hp_transport_device_get_transport (HP_TRANSPORT_DEVICE (self)), bytes, error))
    {
      hp_transport_close (hp_transport_device_get_transport (HP_TRANSPORT_DEVICE (self)));
      return FALSE;
    }

  self->link = LINK_ESTABLISHING;
  hp_device_set_phase (device, HP_MEASUREMENT_PHASE_WAITING_FOR_DEVICE);
  arm_deadline (self);
  return TRUE;
}

static void
hp_contour_device_cancel_measurement (HpDevice *device)
{
  HpContourDevice *self = HP_CONTOUR_DEVICE (device);

  if (self->link == LINK_RECEIVING)
    {
      g_autoptr(GByteArray) report = g_byte_array_new ();
      g_autoptr(GBytes) bytes = NULL;
      guint8 eot = HP_ASTM_EOT;

      hp_contour_encode_report (report, &eot, 1);
      bytes = g_byte_array_free_to_bytes (g_steal_pointer (&report));
      hp_transport_send (hp_transport_device_get_transport (HP_TRANSPORT_DEVICE (self)), bytes, NULL);
    }
  finish (self);
}

static void
hp_contour_device_dispose (GObject *object)
{
  HpContourDevice *self = HP_CONTOUR_DEVICE (object);

  /* finish() closes the transport, which the parent drops on a first dispose. */
  if (self->link != LINK_IDLE && hp_transport_device_get_transport (HP_TRANSPORT_DEVICE (self)) != NULL)
    finish (self);

  G_OBJECT_CLASS (hp_contour_device_parent_class)->dispose (object);
}

static void
hp_contour_device_finalize (GObject *object)
{
  HpContourDevice *self = HP_CONTOUR_DEVICE (object);

  g_byte_array_unref (self->message);
  g_ptr_array_unref (self->records);
  hp_astm_record_reader_free (self->reader);
  hp_glucometer_history_free (self->history);

  G_OBJECT_CLASS (hp_contour_device_parent_class)->finalize (object);
}

static void
hp_contour_device_class_init (HpContourDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  HpDeviceClass *device_class = HP_DEVICE_CLASS (klass);
  HpTransportDeviceClass *transport_device_class = HP_TRANSPORT_DEVICE_CLASS (klass);

  object_class->dispose = hp_contour_device_dispose;
  object_class->finalize = hp_contour_device_finalize;

  device_class->start_measurement = hp_contour_device_start_measurement;
  device_class->cancel_measurement = hp_contour_device_cancel_measurement;

  transport_device_class->received = hp_contour_device_received;
  transport_device_class->closed = hp_contour_device_closed;
}

static void
hp_contour_device_init (HpContourDevice *self)
{
  self->message = g_byte_array_new ();
  self->reader = hp_astm_record_reader_new ();
  self->records = g_ptr_array_new_with_free_func (g_free);
  self->history = hp_glucometer_history_new ();
  self->response_timeout_ms = HP_CONTOUR_RESPONSE_TIMEOUT_MS;
}

HpDevice *
hp_contour_device_new (const char  *id,
                       const char  *name,
                       HpTransport *transport)
{
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (HP_IS_TRANSPORT (transport), NULL);

  return g_object_new (HP_TYPE_CONTOUR_DEVICE,
                       "id", id,
                       "name", name,
                       "kind", HP_MEASUREMENT_KIND_BLOOD_GLUCOSE,
                       "transport", transport,
                       NULL);
}

void
hp_contour_device_set_timeouts (HpContourDevice *self,
                                guint            response_timeout_ms)
{
  g_return_if_fail (HP_IS_CONTOUR_DEVICE (self));
  g_return_if_fail (response_timeout_ms > 0);

  self->response_timeout_ms = response_timeout_ms;
}

static HpDevice *
create_from_usb (const char            *id,
                 const HpUsbDeviceInfo *info,
                 HpTransport           *transport)
{
  return hp_contour_device_new (id, info->model != NULL ? info->model : "Contour glucometer", transport);
}

static const HpUsbMatch contour_matches[] = {
  { .kind = HP_USB_MATCH_VID_PID, .vendor_id = 0x1a79, .product_id = 0x6002, .model = "Bayer Contour USB" },
  { .kind = HP_USB_MATCH_VID_PID, .vendor_id = 0x1a79, .product_id = 0x7410, .model = "Bayer Contour Next USB" },
  { .kind = HP_USB_MATCH_VID_PID, .vendor_id = 0x1a79, .product_id = 0x7350, .model = "Bayer Contour Next" },
  { .kind = HP_USB_MATCH_VID_PID, .vendor_id = 0x1a79, .product_id = 0x7800, .model = "Ascensia Contour Next One" },
  { .kind = HP_USB_MATCH_VID_PID, .vendor_id = 0x1a79, .product_id = 0x6200, .model = "Bayer Contour Next Link" },
  { .kind = HP_USB_MATCH_VID_PID, .vendor_id = 0x1a79, .product_id = 0x6210, .model = "Bayer Contour Next Link" },
  { .kind = HP_USB_MATCH_VID_PID, .vendor_id = 0x1a79, .product_id = 0x6300, .model = "Bayer Contour Next Link 2.4" },
};

const HpDriver hp_contour_driver = {
  .protocol = "contour",
  .description = "Ascensia (Bayer) Contour glucometers: ASTM E1381/E1394 over USB HID",
  .transport_kind = HP_TRANSPORT_KIND_HID_REPORTS,
  .matches = contour_matches,
  .n_matches = G_N_ELEMENTS (contour_matches),
  .create = create_from_usb,
};
