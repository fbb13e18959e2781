/* Omron USB HID blood-pressure monitor drivers: the HEM-790IT and HEM-7322U families read their stored readings. */
#include "hp-omron-device.h"

#include <string.h>

#include "hp-device-enums.h"
#include "hp-device-private.h"
#include "hp-transport-device-private.h"
#include "hp-omron-codec.h"

#define UNIT_MMHG "mm[Hg]"
#define UNIT_PER_MINUTE "/min"

/* The HEM-790IT's memory bank 0. The notes guess the banks are user A, user
 * B and both; the sources do not say, and single-user models fill bank 0. */
#define HEM790_BANK 0

/* How far back through a HEM-790IT's memory the driver looks for a reading
 * of this visit it has not given yet. */
#define HEM790_MAX_WALK 16

typedef enum {
  STEP_IDLE,
  STEP_MODE,    /* HEM-790IT: SET_REPORT(Feature) in flight */
  STEP_CLEAR,   /* HEM-790IT: clearing block sent, waiting for "OK" */
  STEP_COUNT,   /* HEM-790IT: "GDC" */
  STEP_READING, /* HEM-790IT: "GME" */
  STEP_INIT,    /* HEM-7322U: init, answered once START/STOP is pressed */
  STEP_BLOCK,   /* HEM-7322U: one memory block */
  STEP_END,     /* the session's end sent; the result waits for its answer */
} Step;

/* A HEM-7322U record and the user area it came from, in reading order. */
typedef struct {
  HpOmronRecord record;
  guint user;
} StoredRecord;

struct _HpOmronDevice
{
  HpTransportDevice parent_instance;

  char *serial;
  HpOmronFamily family;

  guint response_timeout_ms;
  guint press_start_limit_ms;
  guint records_per_user;

  Step step;
  guint attempts;
  gboolean discarding;        /* between a garbled reply and the resend */
  GCancellable *cancellable;
  gint64 press_start_until;   /* monotonic µs */

  /* HEM-790IT */
  GByteArray *command;
  GByteArray *reply;
  gsize expected_len;
  guint count;
  guint index;

  /* HEM-7322U */
  guint user;
  GByteArray *area;           /* the current user area as read so far */
  guint next_record;
  gboolean area_done;
  guint16 block_address;
  guint8 block_size;
  GArray *records;            /* StoredRecord */

  /* What the session ends with, once END is answered. */
  HpMeasurement *result;
  GError *result_error;
};

G_DEFINE_FINAL_TYPE (HpOmronDevice, hp_omron_device, HP_TYPE_TRANSPORT_DEVICE)

enum {
  PROP_0,
  PROP_SERIAL,
  PROP_FAMILY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void send_current_command (HpOmronDevice *self);

static const char *
family_label (HpOmronDevice *self)
{
  return self->family == HP_OMRON_FAMILY_HEM790 ? "HEM-790IT" : "HEM-7322U";
}

/* Stops everything the running measurement started, without reporting. */
static void
finish (HpOmronDevice *self)
{
  hp_transport_device_clear_deadline (HP_TRANSPORT_DEVICE (self));
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
  self->step = STEP_IDLE;
  self->discarding = FALSE;
  g_byte_array_set_size (self->reply, 0);
  g_byte_array_set_size (self->area, 0);
  g_array_set_size (self->records, 0);
  hp_transport_close (hp_transport_device_get_transport (HP_TRANSPORT_DEVICE (self)));
}

static void
emit_error (HpOmronDevice *self,
            GError        *error)
{
  g_debug ("Omron %s %s: measurement failed: %s", family_label (self),
           hp_device_get_id (HP_DEVICE (self)), error->message);
  hp_device_emit_measurement_failed (HP_DEVICE (self), error);
}

G_GNUC_PRINTF (3, 4)
static void
fail (HpOmronDevice *self,
      HpDeviceError  code,
      const char    *format,
      ...)
{
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (HP_DEVICE_ERROR, code, format, args);
  va_end (args);

  finish (self);
  g_clear_object (&self->result);
  g_clear_error (&self->result_error);
  emit_error (self, error);
}

/* Ends the session with what it found: after END is answered (or not), the
 * reading or the error is reported. */
static void
deliver (HpOmronDevice *self)
{
  g_autoptr(HpMeasurement) measurement = g_steal_pointer (&self->result);
  g_autoptr(GError) error = g_steal_pointer (&self->result_error);

  finish (self);
  if (measurement != NULL)
    hp_device_emit_measurement_ready (HP_DEVICE (self), measurement);
  else if (error != NULL)
    emit_error (self, error);
}

static void
deadline_passed (HpTransportDevice *device);

static void
arm_deadline (HpOmronDevice *self,
              guint          timeout_ms)
{
  hp_transport_device_set_deadline (HP_TRANSPORT_DEVICE (self), timeout_ms, deadline_passed);
}

static gboolean
send_report (HpOmronDevice *self,
             const guint8  *data,
             gsize          len)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len);
  g_autoptr(GError) error = NULL;

  if (!hp_transport_send (hp_transport_device_get_transport (HP_TRANSPORT_DEVICE (self)), bytes, &error))
    {
      fail (self, HP_DEVICE_ERROR_DISCONNECTED, "Lost the link to the monitor: %s", error->message);
      return FALSE;
    }
  return TRUE;
}

static void
conclude (HpOmronDevice *self,
          HpMeasurement *measurement,
          GError        *error)
{
  g_set_object (&self->result, measurement);
  g_clear_error (&self->result_error);
  self->result_error = error;

  self->step = STEP_END;
  self->attempts = 0;
  if (self->family == HP_OMRON_FAMILY_HEM790)
    {
      guint8 end[HP_OMRON_HEM790_COMMAND_MAX];
      gsize len = hp_omron_hem790_encode_end (end, sizeof end);

      g_byte_array_set_size (self->command, 0);
      g_byte_array_append (self->command, end, (guint) len);
      self->expected_len = HP_OMRON_HEM790_OFF_REPLY_SIZE;
    }
  else
    {
      self->block_address = 0;
      self->block_size = 0;
    }
  send_current_command (self);
}

G_GNUC_PRINTF (2, 3)
static void
conclude_no_new_reading (HpOmronDevice *self,
                         const char    *format,
                         ...)
{
  GError *error;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (HP_DEVICE_ERROR, HP_DEVICE_ERROR_NO_NEW_READING, format, args);
  va_end (args);
  conclude (self, NULL, error);
}

static void
send_current_command (HpOmronDevice *self)
{
  g_byte_array_set_size (self->reply, 0);
  self->discarding = FALSE;

  if (self->family == HP_OMRON_FAMILY_HEM790)
    {
      g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

      hp_omron_hem790_append_reports (reports, self->command->data, self->command->len);
      for (guint i = 0; i < reports->len; i++)
        {
          gsize size;
          const guint8 *data = g_bytes_get_data (g_ptr_array_index (reports, i), &size);

          if (!send_report (self, data, size))
            return;
        }
    }
  else
    {
      guint8 command[HP_OMRON_HEM7322_COMMAND_SIZE];
      HpOmronHem7322Command code;

      switch (self->step)
        {
        case STEP_INIT:
          code = HP_OMRON_HEM7322_COMMAND_INIT;
          break;
        case STEP_END:
          code = HP_OMRON_HEM7322_COMMAND_END;
          break;
        case STEP_BLOCK:
        case STEP_IDLE:
        case STEP_MODE:
        case STEP_CLEAR:
        case STEP_COUNT:
        case STEP_READING:
        default:
          code = HP_OMRON_HEM7322_COMMAND_READ;
          break;
        }
      hp_omron_hem7322_encode_command (code, self->block_address, self->block_size, command);
      if (!send_report (self, command, sizeof command))
        return;
    }
  arm_deadline (self, self->response_timeout_ms);
}

static void
start_command_790 (HpOmronDevice *self,
                   Step           step,
                   const guint8  *command,
                   gsize          len,
                   gsize          expected_len)
{
  self->step = step;
  self->attempts = 0;
  self->expected_len = expected_len;
  g_byte_array_set_size (self->command, 0);
  g_byte_array_append (self->command, command, (guint) len);
  send_current_command (self);
}

static void
resend (HpTransportDevice *device)
{
  send_current_command (HP_OMRON_DEVICE (device));
}

/* The monitor answered "NO", garbled its answer or kept silent: ask again
 * after a short quiet gap (so the rest of a garbled answer is not taken for
 * the next one), or give up after HP_OMRON_MAX_ATTEMPTS. */
G_GNUC_PRINTF (3, 4)
static void
retry_or_fail (HpOmronDevice *self,
               HpDeviceError  code,
               const char    *format,
               ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (self->step == STEP_END)
    {
      /* The reading is read; an unanswered goodbye does not change it. */
      g_debug ("Omron %s: no proper answer to the end of the session (%s)", family_label (self), message);
      deliver (self);
      return;
    }
  if (++self->attempts >= HP_OMRON_MAX_ATTEMPTS)
    {
      fail (self, code, "%s (after %u tries)", message, self->attempts);
      return;
    }
  g_debug ("Omron %s: %s; asking again", family_label (self), message);
  self->discarding = TRUE;
  hp_transport_device_set_deadline (HP_TRANSPORT_DEVICE (self), MAX (self->response_timeout_ms / 8, 1u), resend);
}

static void
deadline_passed (HpTransportDevice *device)
{
  HpOmronDevice *self = HP_OMRON_DEVICE (device);

  switch (self->step)
    {
    case STEP_INIT:
      /* A HEM-7322U says nothing until START/STOP is pressed. */
      if (g_get_monotonic_time () >= self->press_start_until)
        {
          fail (self, HP_DEVICE_ERROR_TIMEOUT,
                "The monitor did not answer: nobody pressed its START/STOP button in time");
          break;
        }
      hp_device_set_phase (HP_DEVICE (self), HP_MEASUREMENT_PHASE_PRESS_START);
      send_current_command (self);
      break;
    case STEP_END:
      deliver (self);
      break;
    case STEP_CLEAR:
    case STEP_COUNT:
    case STEP_READING:
    case STEP_BLOCK:
      retry_or_fail (self, HP_DEVICE_ERROR_TIMEOUT, "The monitor stopped answering");
      break;
    case STEP_MODE:
    case STEP_IDLE:
      break;
    }
}

/* ---- measurements ---- */

static GDateTime *
record_time (const HpOmronRecord *record)
{
  g_autoptr(GTimeZone) tz = NULL;

  if (!record->time_valid)
    return NULL;
  /* The monitor shows local time and stores no zone. */
  tz = g_time_zone_new_local ();
  return g_date_time_new (tz, (int) record->year, (int) record->month, (int) record->day,
                          (int) record->hour, (int) record->minute, record->second);
}

static HpMeasurement *
measurement_for (HpOmronDevice       *self,
                 const HpOmronRecord *record)
{
  g_autoptr(HpMeasurement) measurement = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_PRESSURE);
  g_autoptr(GDateTime) time = record_time (record);
  g_autofree char *device_id = NULL;

  hp_measurement_set_value (measurement, HP_QUANTITY_SYSTOLIC, record->systolic, UNIT_MMHG);
  hp_measurement_set_value (measurement, HP_QUANTITY_DIASTOLIC, record->diastolic, UNIT_MMHG);
  hp_measurement_set_value (measurement, HP_QUANTITY_PULSE_RATE, record->pulse, UNIT_PER_MINUTE);
  device_id = g_strdup_printf ("%s:%s",
                               self->family == HP_OMRON_FAMILY_HEM790 ? hp_omron_hem790_driver.protocol
                                                                      : hp_omron_hem7322_driver.protocol,
                               self->serial != NULL ? self->serial : hp_device_get_id (HP_DEVICE (self)));
  hp_measurement_set_device_id (measurement, device_id);
  if (time != NULL)
    hp_measurement_set_device_time (measurement, time);
  else
    hp_measurement_set_flags (measurement, HP_MEASUREMENT_FLAG_DEVICE_CLOCK_INVALID);
  return g_steal_pointer (&measurement);
}

/* TRUE when @record was taken during the visit. The monitor keeps whole
 * seconds (HEM-790IT) or minutes (HEM-7322U), so the visit's start is cut
 * down to the same step: a reading in the minute the visit began counts. */
static gboolean
taken_during_visit (HpOmronDevice       *self,
                    const HpOmronRecord *record)
{
  GDateTime *visit_start = hp_device_get_visit_start (HP_DEVICE (self));
  g_autoptr(GDateTime) time = NULL;
  gint64 start;

  if (visit_start == NULL)
    return TRUE;
  time = record_time (record);
  if (time == NULL)
    return FALSE;
  start = g_date_time_to_unix (visit_start);
  if (self->family == HP_OMRON_FAMILY_HEM7322)
    start -= ((start % 60) + 60) % 60;
  return g_date_time_to_unix (time) >= start;
}

#define MESSAGE_TAKE_NEW "The monitor holds no reading taken during this visit: take a new measurement on the monitor"
#define MESSAGE_CLOCK "The monitor's clock is not set, so its readings cannot be told apart from older ones: set its date and time"

/* ---- HEM-790IT ---- */

static void
request_reading (HpOmronDevice *self,
                 guint          index)
{
  guint8 command[HP_OMRON_HEM790_COMMAND_MAX];
  gsize len = hp_omron_hem790_encode_reading (HEM790_BANK, (guint8) index, command, sizeof command);

  self->index = index;
  start_command_790 (self, STEP_READING, command, len, HP_OMRON_HEM790_RECORD_REPLY_SIZE);
}

static void
handle_reading_790 (HpOmronDevice       *self,
                    const HpOmronRecord *record)
{
  g_autoptr(HpMeasurement) measurement = measurement_for (self, record);

  if (!record->time_valid)
    {
      /* Without a clock only the newest reading may be taken, and only when
       * any age is acceptable; it carries the kiosk's time and a flag. */
      if (self->index == 0 && hp_device_get_visit_start (HP_DEVICE (self)) == NULL)
        conclude (self, measurement, NULL);
      else
        conclude_no_new_reading (self, MESSAGE_CLOCK);
      return;
    }
  if (!taken_during_visit (self, record))
    {
      conclude_no_new_reading (self, MESSAGE_TAKE_NEW);
      return;
    }
  if (hp_device_has_given (HP_DEVICE (self), measurement))
    {
      if (self->index + 1 < self->count && self->index + 1 < HEM790_MAX_WALK)
        request_reading (self, self->index + 1);
      else
        conclude_no_new_reading (self, MESSAGE_TAKE_NEW);
      return;
    }
  conclude (self, measurement, NULL);
}

static void
handle_reply_790 (HpOmronDevice *self)
{
  g_autoptr(GError) error = NULL;
  guint8 command[HP_OMRON_HEM790_COMMAND_MAX];
  HpOmronRecord record;
  gsize offset = 0, len;

  switch (self->step)
    {
    case STEP_CLEAR:
      len = hp_omron_hem790_encode_count (HEM790_BANK, command, sizeof command);
      start_command_790 (self, STEP_COUNT, command, len, HP_OMRON_HEM790_COUNT_REPLY_SIZE);
      break;
    case STEP_COUNT:
      if (!hp_omron_hem790_decode_count (self->reply->data, self->reply->len, &self->count, &offset, &error))
        {
          retry_or_fail (self, HP_DEVICE_ERROR_PROTOCOL, "The monitor's reading count is malformed at byte %"
                         G_GSIZE_FORMAT ": %s", offset, error->message);
          break;
        }
      if (self->count == 0)
        conclude_no_new_reading (self, "The monitor holds no reading: take a measurement on the monitor");
      else
        request_reading (self, 0);
      break;
    case STEP_READING:
      if (!hp_omron_hem790_decode_reading (self->reply->data, self->reply->len, &record, &offset, &error))
        {
          retry_or_fail (self, HP_DEVICE_ERROR_PROTOCOL, "The monitor's record is malformed at byte %"
                         G_GSIZE_FORMAT ": %s", offset, error->message);
          break;
        }
      handle_reading_790 (self, &record);
      break;
    case STEP_END:
      deliver (self);
      break;
    case STEP_IDLE:
    case STEP_MODE:
    case STEP_INIT:
    case STEP_BLOCK:
      break;
    }
}

static void
received_790 (HpOmronDevice *self,
              const guint8  *data,
              gsize          size)
{
  g_autoptr(GError) error = NULL;
  HpOmronReplyStatus status;
  const guint8 *payload;
  gsize payload_len, offset = 0;

  if (!hp_omron_hem790_report_payload (data, size, &payload, &payload_len, &offset, &error))
    {
      retry_or_fail (self, HP_DEVICE_ERROR_PROTOCOL, "The monitor sent a malformed report (byte %"
                     G_GSIZE_FORMAT "): %s", offset, error->message);
      return;
    }
  if (payload_len == 0)
    return;
  g_byte_array_append (self->reply, payload, (guint) payload_len);

  if (self->step == STEP_END)
    {
      /* "OFF\r\n", with no check byte; whatever comes, the session is over. */
      if (self->reply->len >= HP_OMRON_HEM790_OFF_REPLY_SIZE || self->reply->data[0] != 'O')
        deliver (self);
      return;
    }

  if (!hp_omron_hem790_check_reply (self->reply->data, self->reply->len, self->expected_len,
                                    &status, &offset, &error))
    {
      retry_or_fail (self, HP_DEVICE_ERROR_PROTOCOL, "The monitor's reply is malformed at byte %"
                     G_GSIZE_FORMAT ": %s", offset, error->message);
      return;
    }
  switch (status)
    {
    case HP_OMRON_REPLY_INCOMPLETE:
      break;
    case HP_OMRON_REPLY_NO:
      retry_or_fail (self, HP_DEVICE_ERROR_PROTOCOL, "The monitor kept answering \"NO\"");
      break;
    case HP_OMRON_REPLY_OK:
      hp_transport_device_clear_deadline (HP_TRANSPORT_DEVICE (self));
      handle_reply_790 (self);
      break;
    }
}

static void
mode_switched (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HpOmronDevice) self = user_data;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  guint8 clear[HP_OMRON_HEM790_CLEAR_SIZE] = { 0 };

  answer = hp_transport_control_finish (HP_TRANSPORT (source), result, &error);
  if (self->step != STEP_MODE)
    return;
  g_clear_object (&self->cancellable);
  if (answer == NULL)
    {
      HpDeviceError code = error->domain == HP_DEVICE_ERROR ? (HpDeviceError) error->code
                                                            : HP_DEVICE_ERROR_PROTOCOL;

      fail (self, code, "The monitor refused to switch to reading its memory: %s", error->message);
      return;
    }
  hp_device_set_phase (HP_DEVICE (self), HP_MEASUREMENT_PHASE_RECEIVING);
  start_command_790 (self, STEP_CLEAR, clear, sizeof clear, HP_OMRON_HEM790_OK_SIZE);
}

static void
start_790 (HpOmronDevice *self)
{
  /* SET_REPORT(Feature, id 0) with the mode in two bytes. The vendor's
   * software sends other values here in libomron's captures, so the
   * monitor may not check them; the notes' value for readings is used. */
  static const guint8 mode[2] = { HP_OMRON_HEM790_MODE_READINGS >> 8, HP_OMRON_HEM790_MODE_READINGS & 0xFF };
  const HpControlSetup setup = {
    .request_type = HP_CONTROL_CLASS_INTERFACE_OUT,
    .request = HP_HID_REQUEST_SET_REPORT,
    .value = HP_HID_REPORT_TYPE_FEATURE << 8 | 0,
    .index = 0,
  };
  g_autoptr(GBytes) data = g_bytes_new_static (mode, sizeof mode);

  self->step = STEP_MODE;
  self->cancellable = g_cancellable_new ();
  hp_transport_control_async (hp_transport_device_get_transport (HP_TRANSPORT_DEVICE (self)), &setup, data, 0, self->cancellable,
                              mode_switched, g_object_ref (self));
}

/* ---- HEM-7322U ---- */

static guint16
area_start (HpOmronDevice *self)
{
  return (guint16) (HP_OMRON_HEM7322_RECORDS_START + self->user * self->records_per_user * HP_OMRON_HEM7322_RECORD_SIZE);
}

static gsize
area_size (HpOmronDevice *self)
{
  return (gsize) self->records_per_user * HP_OMRON_HEM7322_RECORD_SIZE;
}

static void
request_block (HpOmronDevice *self)
{
  gsize left = area_size (self) - self->area->len;

  self->step = STEP_BLOCK;
  self->attempts = 0;
  self->block_address = (guint16) (area_start (self) + self->area->len);
  self->block_size = (guint8) MIN (left, (gsize) HP_OMRON_HEM7322_BLOCK_SIZE);
  send_current_command (self);
}

static void
choose_record_7322 (HpOmronDevice *self)
{
  g_autoptr(HpMeasurement) best = NULL;
  g_autoptr(GDateTime) best_time = NULL;
  const StoredRecord *last_undated = NULL;
  gboolean any_dated = FALSE;

  for (guint i = 0; i < self->records->len; i++)
    {
      const StoredRecord *stored = &g_array_index (self->records, StoredRecord, i);
      g_autoptr(HpMeasurement) measurement = NULL;
      GDateTime *time;

      if (!stored->record.time_valid)
        {
          last_undated = stored;
          continue;
        }
      any_dated = TRUE;
      if (!taken_during_visit (self, &stored->record))
        continue;
      measurement = measurement_for (self, &stored->record);
      if (hp_device_has_given (HP_DEVICE (self), measurement))
        continue;
      time = hp_measurement_get_device_time (measurement);
      if (best_time == NULL || g_date_time_compare (time, best_time) > 0)
        {
          g_clear_pointer (&best_time, g_date_time_unref);
          best_time = g_date_time_ref (time);
          g_set_object (&best, measurement);
        }
    }

  if (best != NULL)
    conclude (self, best, NULL);
  else if (self->records->len == 0)
    conclude_no_new_reading (self, "The monitor holds no reading: take a measurement on the monitor");
  else if (last_undated != NULL && !any_dated && hp_device_get_visit_start (HP_DEVICE (self)) == NULL)
    {
      /* Every record lost its date: the order they were read in is all
       * there is, and the monitor appends (the sources do not say; this is
       * the driver's assumption), so the last one read is taken, flagged. */
      g_autoptr(HpMeasurement) measurement = measurement_for (self, &last_undated->record);

      conclude (self, measurement, NULL);
    }
  else if (last_undated != NULL)
    conclude_no_new_reading (self, MESSAGE_CLOCK);
  else
    conclude_no_new_reading (self, MESSAGE_TAKE_NEW);
}

static void
next_area_or_choose (HpOmronDevice *self)
{
  if (self->user == 0)
    {
      self->user = 1;
      self->next_record = 0;
      self->area_done = FALSE;
      g_byte_array_set_size (self->area, 0);
      request_block (self);
      return;
    }
  choose_record_7322 (self);
}

static void
take_records (HpOmronDevice *self)
{
  while (!self->area_done &&
         (self->next_record + 1) * HP_OMRON_HEM7322_RECORD_SIZE <= self->area->len)
    {
      const guint8 *bytes = self->area->data + self->next_record * HP_OMRON_HEM7322_RECORD_SIZE;
      StoredRecord stored = { .user = self->user };

      /* Records fill each area from its start, so the first empty slot ends it. */
      if (hp_omron_hem7322_record_is_empty (bytes))
        {
          self->area_done = TRUE;
          break;
        }
      hp_omron_hem7322_decode_record (bytes, &stored.record);
      g_array_append_val (self->records, stored);
      self->next_record++;
    }
  if (self->area->len >= area_size (self))
    self->area_done = TRUE;
}

static void
received_7322 (HpOmronDevice *self,
               const guint8  *data,
               gsize          size)
{
  g_autoptr(GError) error = NULL;
  HpOmronHem7322Command command, expected;
  const guint8 *payload;
  guint16 address;
  guint8 status, payload_size;
  gsize offset = 0;

  if (self->step == STEP_END)
    {
      deliver (self);
      return;
    }
  if (!hp_omron_hem7322_decode_reply (data, size, &command, &status, &address, &payload, &payload_size,
                                      &offset, &error))
    {
      retry_or_fail (self, HP_DEVICE_ERROR_PROTOCOL, "The monitor's reply is malformed at byte %"
                     G_GSIZE_FORMAT ": %s", offset, error->message);
      return;
    }
  expected = self->step == STEP_INIT ? HP_OMRON_HEM7322_COMMAND_INIT : HP_OMRON_HEM7322_COMMAND_READ;
  if (command != expected || (self->step == STEP_BLOCK &&
                              (address != self->block_address || payload_size != self->block_size)))
    {
      retry_or_fail (self, HP_DEVICE_ERROR_PROTOCOL,
                     "The monitor answered command 0x%02x at 0x%04x (%u bytes) to a request for 0x%02x at 0x%04x (%u bytes)",
                     command, address, payload_size, expected, self->block_address, self->block_size);
      return;
    }
  if (status != 0)
    {
      retry_or_fail (self, HP_DEVICE_ERROR_PROTOCOL, "The monitor refused the request (status 0x%02x)", status);
      return;
    }

  if (self->step == STEP_INIT)
    {
      hp_device_set_phase (HP_DEVICE (self), HP_MEASUREMENT_PHASE_RECEIVING);
      self->user = 0;
      self->next_record = 0;
      self->area_done = FALSE;
      g_byte_array_set_size (self->area, 0);
      g_array_set_size (self->records, 0);
      request_block (self);
      return;
    }

  g_byte_array_append (self->area, payload, payload_size);
  take_records (self);
  if (self->area_done)
    next_area_or_choose (self);
  else
    request_block (self);
}

static void
start_7322 (HpOmronDevice *self)
{
  self->step = STEP_INIT;
  self->attempts = 0;
  self->block_address = 0;
  self->block_size = HP_OMRON_HEM7322_INIT_SIZE;
  self->press_start_until = g_get_monotonic_time () + (gint64) self->press_start_limit_ms * G_TIME_SPAN_MILLISECOND;
  send_current_command (self);
}

/* ---- HpDevice ---- */

static void
hp_omron_device_received (HpTransportDevice *device,
                          GBytes            *bytes)
{
  HpOmronDevice *self = HP_OMRON_DEVICE (device);
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  if (self->step == STEP_IDLE || self->step == STEP_MODE || self->discarding)
    {
      g_debug ("Omron %s: %" G_GSIZE_FORMAT "-byte report dropped", family_label (self), size);
      return;
    }
  if (self->family == HP_OMRON_FAMILY_HEM790)
    received_790 (self, data, size);
  else
    received_7322 (self, data, size);
}

static void
hp_omron_device_closed (HpTransportDevice *device,
                        const GError      *error)
{
  HpOmronDevice *self = HP_OMRON_DEVICE (device);

  g_debug ("Omron %s %s: link closed: %s", family_label (self), hp_device_get_id (HP_DEVICE (self)),
           error != NULL ? error->message : "no reason given");
  hp_device_set_state (HP_DEVICE (self), HP_DEVICE_STATE_DISCONNECTED);
  if (self->step == STEP_END)
    deliver (self);
  else if (self->step != STEP_IDLE)
    fail (self, HP_DEVICE_ERROR_DISCONNECTED, "The monitor was disconnected while its memory was read");
}

static gboolean
hp_omron_device_start_measurement (HpDevice  *device,
                                   GError   **error)
{
  HpOmronDevice *self = HP_OMRON_DEVICE (device);

  g_clear_object (&self->result);
  g_clear_error (&self->result_error);
  if (!hp_transport_open (hp_transport_device_get_transport (HP_TRANSPORT_DEVICE (self)), error))
    return FALSE;

  hp_device_set_phase (device, HP_MEASUREMENT_PHASE_WAITING_FOR_DEVICE);
  if (self->family == HP_OMRON_FAMILY_HEM790)
    start_790 (self);
  else
    start_7322 (self);
  return TRUE;
}

static void
hp_omron_device_cancel_measurement (HpDevice *device)
{
  HpOmronDevice *self = HP_OMRON_DEVICE (device);

  finish (self);
  g_clear_object (&self->result);
  g_clear_error (&self->result_error);
}

static void
hp_omron_device_dispose (GObject *object)
{
  HpOmronDevice *self = HP_OMRON_DEVICE (object);

  /* finish() closes the transport, which the parent drops on a first dispose. */
  if (self->step != STEP_IDLE && hp_transport_device_get_transport (HP_TRANSPORT_DEVICE (self)) != NULL)
    finish (self);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->result);
  g_clear_error (&self->result_error);

  G_OBJECT_CLASS (hp_omron_device_parent_class)->dispose (object);
}

static void
hp_omron_device_finalize (GObject *object)
{
  HpOmronDevice *self = HP_OMRON_DEVICE (object);

  g_free (self->serial);
  g_byte_array_unref (self->command);
  g_byte_array_unref (self->reply);
  g_byte_array_unref (self->area);
  g_array_unref (self->records);

  G_OBJECT_CLASS (hp_omron_device_parent_class)->finalize (object);
}

static void
hp_omron_device_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HpOmronDevice *self = HP_OMRON_DEVICE (object);

  switch (prop_id)
    {
    case PROP_SERIAL:
      g_value_set_string (value, self->serial);
      break;
    case PROP_FAMILY:
      g_value_set_enum (value, self->family);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hp_omron_device_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  HpOmronDevice *self = HP_OMRON_DEVICE (object);

  switch (prop_id)
    {
    case PROP_SERIAL:
      self->serial = g_value_dup_string (value);
      break;
    case PROP_FAMILY:
      self->family = g_value_get_enum (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hp_omron_device_class_init (HpOmronDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  HpDeviceClass *device_class = HP_DEVICE_CLASS (klass);
  HpTransportDeviceClass *transport_device_class = HP_TRANSPORT_DEVICE_CLASS (klass);

  object_class->dispose = hp_omron_device_dispose;
  object_class->finalize = hp_omron_device_finalize;
  object_class->get_property = hp_omron_device_get_property;
  object_class->set_property = hp_omron_device_set_property;

  device_class->start_measurement = hp_omron_device_start_measurement;
  device_class->cancel_measurement = hp_omron_device_cancel_measurement;

  transport_device_class->received = hp_omron_device_received;
  transport_device_class->closed = hp_omron_device_closed;

  properties[PROP_SERIAL] =
    g_param_spec_string ("serial", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FAMILY] =
    g_param_spec_enum ("family", NULL, NULL, HP_TYPE_OMRON_FAMILY, HP_OMRON_FAMILY_HEM790,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hp_omron_device_init (HpOmronDevice *self)
{
  self->response_timeout_ms = HP_OMRON_DEFAULT_RESPONSE_TIMEOUT_MS;
  self->press_start_limit_ms = HP_OMRON_DEFAULT_PRESS_START_LIMIT_MS;
  self->records_per_user = HP_OMRON_HEM7322_RECORDS_PER_USER;
  self->command = g_byte_array_new ();
  self->reply = g_byte_array_new ();
  self->area = g_byte_array_new ();
  self->records = g_array_new (FALSE, FALSE, sizeof (StoredRecord));
}

HpDevice *
hp_omron_device_new (const char    *id,
                     const char    *name,
                     const char    *serial,
                     HpOmronFamily  family,
                     HpTransport   *transport)
{
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (family == HP_OMRON_FAMILY_HEM790 || family == HP_OMRON_FAMILY_HEM7322, NULL);
  g_return_val_if_fail (HP_IS_TRANSPORT (transport), NULL);

  return g_object_new (HP_TYPE_OMRON_DEVICE,
                       "id", id,
                       "name", name,
                       "kind", HP_MEASUREMENT_KIND_BLOOD_PRESSURE,
                       "serial", serial,
                       "family", family,
                       "transport", transport,
                       NULL);
}

void
hp_omron_device_set_timeouts (HpOmronDevice *self,
                              guint          response_timeout_ms,
                              guint          press_start_limit_ms)
{
  g_return_if_fail (HP_IS_OMRON_DEVICE (self));
  g_return_if_fail (response_timeout_ms > 0);

  self->response_timeout_ms = response_timeout_ms;
  self->press_start_limit_ms = press_start_limit_ms;
}

void
hp_omron_device_set_records_per_user (HpOmronDevice *self,
                                      guint          records_per_user)
{
  g_return_if_fail (HP_IS_OMRON_DEVICE (self));
  g_return_if_fail (records_per_user > 0);
  /* Both areas must fit below the 64 KiB address space. */
  g_return_if_fail (records_per_user <= 1000);

  self->records_per_user = records_per_user;
}

/* ---- registry: USB matches and replay ---- */

static gsize
hem790_significant (const guint8 *report,
                    gsize         len)
{
  /* The count byte and the bytes it counts; Omron's software pads with
   * whatever its buffer held before. */
  return len == 0 ? 0 : MIN ((gsize) 1 + MIN (report[0], HP_OMRON_HEM790_REPORT_PAYLOAD), len);
}

static HpDevice *
create_hem790 (const char            *id,
               const HpUsbDeviceInfo *info,
               HpTransport           *transport)
{
  return hp_omron_device_new (id, info->model, info->serial, HP_OMRON_FAMILY_HEM790, transport);
}

static HpDevice *
create_hem7322 (const char            *id,
                const HpUsbDeviceInfo *info,
                HpTransport           *transport)
{
  return hp_omron_device_new (id, info->model, info->serial, HP_OMRON_FAMILY_HEM7322, transport);
}

static const HpUsbMatch hem790_matches[] = {
  { .kind = HP_USB_MATCH_VID_PID, .vendor_id = 0x0590, .product_id = 0x0028, .model = "Omron HEM-790IT" },
};

static const HpUsbMatch hem7322_matches[] = {
  { .kind = HP_USB_MATCH_VID_PID, .vendor_id = 0x0590, .product_id = 0x0090, .model = "Omron HEM-7322U" },
};

const HpDriver hp_omron_hem790_driver = {
  .protocol = "omron-hem790",
  .description = "Omron HEM-790IT family blood-pressure monitor (USB HID, letter commands)",
  .transport_kind = HP_TRANSPORT_KIND_HID_REPORTS,
  .matches = hem790_matches,
  .n_matches = G_N_ELEMENTS (hem790_matches),
  .create = create_hem790,
  .replay_significant = hem790_significant,
};

const HpDriver hp_omron_hem7322_driver = {
  .protocol = "omron-hem7322",
  .description = "Omron HEM-7322U / HEM-7131U blood-pressure monitor (USB HID, memory reads)",
  .transport_kind = HP_TRANSPORT_KIND_HID_REPORTS,
  .matches = hem7322_matches,
  .n_matches = G_N_ELEMENTS (hem7322_matches),
  .create = create_hem7322,
};
