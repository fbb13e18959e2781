/* A HID point-of-sale scale driver (Dymo and any scale on the HID scale usage page): one stable body weight. */
#include "hp-hid-scale-device.h"

#include "hp-device-private.h"
#include "hp-transport-device-private.h"
#include "hp-hid-scale-codec.h"

struct _HpHidScaleDevice
{
  HpTransportDevice parent_instance;

  char *serial;

  guint allowance_ms;

  gboolean measuring;
  guint n_reports;            /* weight reports since the link opened */
  gboolean has_candidate;     /* a stable weight waiting for its confirmation */
  HpHidScaleReport candidate;
};

G_DEFINE_FINAL_TYPE (HpHidScaleDevice, hp_hid_scale_device, HP_TYPE_TRANSPORT_DEVICE)

enum {
  PROP_0,
  PROP_SERIAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
finish (HpHidScaleDevice *self)
{
  hp_transport_device_clear_deadline (HP_TRANSPORT_DEVICE (self));
  self->measuring = FALSE;
  self->has_candidate = FALSE;
  hp_transport_close (hp_transport_device_get_transport (HP_TRANSPORT_DEVICE (self)));
}

G_GNUC_PRINTF (3, 4)
static void
fail (HpHidScaleDevice *self,
      HpDeviceError     code,
      const char       *format,
      ...)
{
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (HP_DEVICE_ERROR, code, format, args);
  va_end (args);

  g_debug ("HID scale %s: measurement failed: %s", hp_device_get_id (HP_DEVICE (self)), error->message);
  finish (self);
  hp_device_emit_measurement_failed (HP_DEVICE (self), error);
}

static void
deadline_passed (HpTransportDevice *device)
{
  HpHidScaleDevice *self = HP_HID_SCALE_DEVICE (device);

  if (!self->measuring)
    return;

  if (self->n_reports == 0)
    fail (self, HP_DEVICE_ERROR_TIMEOUT, "The scale sent no weight report in time");
  else if (hp_device_get_phase (HP_DEVICE (self)) == HP_MEASUREMENT_PHASE_WAITING_FOR_DEVICE)
    fail (self, HP_DEVICE_ERROR_TIMEOUT, "Nobody stepped on the scale in time");
  else
    fail (self, HP_DEVICE_ERROR_TIMEOUT, "The weight did not settle in time");
}

static void
take_weight (HpHidScaleDevice       *self,
             const HpHidScaleReport *report)
{
  g_autoptr(HpMeasurement) measurement = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *device_id = NULL;
  const char *unit;
  double value;

  if (!hp_hid_scale_report_weight (report, &value, &unit, &error))
    {
      fail (self, HP_DEVICE_ERROR_UNSUPPORTED, "The scale weighs in a unit the kiosk cannot use: %s",
            error->message);
      return;
    }

  measurement = hp_measurement_new (HP_MEASUREMENT_KIND_BODY_WEIGHT);
  hp_measurement_set_value (measurement, HP_QUANTITY_BODY_WEIGHT, value, unit);
  device_id = g_strdup_printf ("%s:%s", hp_hid_scale_driver.protocol,
                               self->serial != NULL ? self->serial : hp_device_get_id (HP_DEVICE (self)));
  hp_measurement_set_device_id (measurement, device_id);
  /* A scale has no clock: the kiosk's time is the reading's time. */

  finish (self);
  hp_device_emit_measurement_ready (HP_DEVICE (self), measurement);
}

static void
handle_report (HpHidScaleDevice       *self,
               const HpHidScaleReport *report)
{
  HpDevice *device = HP_DEVICE (self);

  switch (report->status)
    {
    case HP_HID_SCALE_STATUS_STABLE_ZERO:
      self->has_candidate = FALSE;
      hp_device_set_phase (device, HP_MEASUREMENT_PHASE_WAITING_FOR_DEVICE);
      break;
    case HP_HID_SCALE_STATUS_IN_MOTION:
      self->has_candidate = FALSE;
      hp_device_set_phase (device, HP_MEASUREMENT_PHASE_STAND_STILL);
      break;
    case HP_HID_SCALE_STATUS_STABLE:
      if (report->raw == 0)
        {
          self->has_candidate = FALSE;
          hp_device_set_phase (device, HP_MEASUREMENT_PHASE_WAITING_FOR_DEVICE);
          break;
        }
      /* One stable report can be the last of a settling swing; the same
       * weight twice in a row is the patient standing still. */
      if (self->has_candidate && self->candidate.raw == report->raw &&
          self->candidate.unit == report->unit && self->candidate.exponent == report->exponent)
        {
          take_weight (self, report);
          break;
        }
      self->candidate = *report;
      self->has_candidate = TRUE;
      hp_device_set_phase (device, HP_MEASUREMENT_PHASE_MEASURING);
      break;
    case HP_HID_SCALE_STATUS_OVERWEIGHT:
      /* Not a fault of the scale: the patient is heavier than it can weigh. */
      fail (self, HP_DEVICE_ERROR_IMPLAUSIBLE, "The weight is above the scale's capacity");
      break;
    case HP_HID_SCALE_STATUS_UNDER_ZERO:
      fail (self, HP_DEVICE_ERROR_IMPLAUSIBLE,
            "The scale reads below zero: it must be re-zeroed with nothing on it");
      break;
    case HP_HID_SCALE_STATUS_NEEDS_CALIBRATION:
      fail (self, HP_DEVICE_ERROR_PROTOCOL, "The scale reports that it needs calibration");
      break;
    case HP_HID_SCALE_STATUS_NEEDS_REZERO:
      fail (self, HP_DEVICE_ERROR_PROTOCOL, "The scale reports that it must be re-zeroed");
      break;
    case HP_HID_SCALE_STATUS_FAULT:
      fail (self, HP_DEVICE_ERROR_PROTOCOL, "The scale reports a fault");
      break;
    }
}

static void
hp_hid_scale_device_received (HpTransportDevice *device,
                              GBytes            *bytes)
{
  HpHidScaleDevice *self = HP_HID_SCALE_DEVICE (device);
  g_autoptr(GError) error = NULL;
  HpHidScaleReport report;
  gsize size, offset = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  if (!self->measuring)
    return;

  /* Scales may send other reports (attributes, control) on the same pipe. */
  if (size >= 1 && data[0] != HP_HID_SCALE_REPORT_ID)
    {
      g_debug ("HID scale %s: report id %u ignored", hp_device_get_id (HP_DEVICE (self)), data[0]);
      return;
    }
  if (!hp_hid_scale_decode_report (data, size, &report, &offset, &error))
    {
      fail (self, HP_DEVICE_ERROR_PROTOCOL, "The scale sent a report the kiosk cannot decode (byte %"
            G_GSIZE_FORMAT "): %s", offset, error->message);
      return;
    }

  /* The first report after opening can be what the scale measured long
   * before (usbscale's experience), so it never counts. */
  if (self->n_reports++ == 0)
    return;
  handle_report (self, &report);
}

static void
hp_hid_scale_device_closed (HpTransportDevice *device,
                            const GError      *error)
{
  HpHidScaleDevice *self = HP_HID_SCALE_DEVICE (device);

  g_debug ("HID scale %s: link closed: %s", hp_device_get_id (HP_DEVICE (self)),
           error != NULL ? error->message : "no reason given");
  hp_device_set_state (HP_DEVICE (self), HP_DEVICE_STATE_DISCONNECTED);
  if (self->measuring)
    fail (self, HP_DEVICE_ERROR_DISCONNECTED, "The scale was disconnected during the measurement");
}

static gboolean
hp_hid_scale_device_start_measurement (HpDevice  *device,
                                       GError   **error)
{
  HpHidScaleDevice *self = HP_HID_SCALE_DEVICE (device);

  self->n_reports = 0;
  self->has_candidate = FALSE;
  if (!hp_transport_open (hp_transport_device_get_transport (HP_TRANSPORT_DEVICE (self)), error))
    return FALSE;

  self->measuring = TRUE;
  hp_device_set_phase (device, HP_MEASUREMENT_PHASE_WAITING_FOR_DEVICE);
  hp_transport_device_set_deadline (HP_TRANSPORT_DEVICE (self), self->allowance_ms, deadline_passed);
  return TRUE;
}

static void
hp_hid_scale_device_cancel_measurement (HpDevice *device)
{
  finish (HP_HID_SCALE_DEVICE (device));
}

static void
hp_hid_scale_device_dispose (GObject *object)
{
  HpHidScaleDevice *self = HP_HID_SCALE_DEVICE (object);

  /* finish() closes the transport, which the parent drops on a first dispose. */
  if (self->measuring && hp_transport_device_get_transport (HP_TRANSPORT_DEVICE (self)) != NULL)
    finish (self);

  G_OBJECT_CLASS (hp_hid_scale_device_parent_class)->dispose (object);
}

static void
hp_hid_scale_device_finalize (GObject *object)
{
  HpHidScaleDevice *self = HP_HID_SCALE_DEVICE (object);

  g_free (self->serial);

  G_OBJECT_CLASS (hp_hid_scale_device_parent_class)->finalize (object);
}

static void
hp_hid_scale_device_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  HpHidScaleDevice *self = HP_HID_SCALE_DEVICE (object);

  switch (prop_id)
    {
    case PROP_SERIAL:
      g_value_set_string (value, self->serial);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hp_hid_scale_device_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  HpHidScaleDevice *self = HP_HID_SCALE_DEVICE (object);

  switch (prop_id)
    {
    case PROP_SERIAL:
      self->serial = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hp_hid_scale_device_class_init (HpHidScaleDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  HpDeviceClass *device_class = HP_DEVICE_CLASS (klass);
  HpTransportDeviceClass *transport_device_class = HP_TRANSPORT_DEVICE_CLASS (klass);

  object_class->dispose = hp_hid_scale_device_dispose;
  object_class->finalize = hp_hid_scale_device_finalize;
  object_class->get_property = hp_hid_scale_device_get_property;
  object_class->set_property = hp_hid_scale_device_set_property;

  device_class->start_measurement = hp_hid_scale_device_start_measurement;
  device_class->cancel_measurement = hp_hid_scale_device_cancel_measurement;

  transport_device_class->received = hp_hid_scale_device_received;
  transport_device_class->closed = hp_hid_scale_device_closed;

  properties[PROP_SERIAL] =
    g_param_spec_string ("serial", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hp_hid_scale_device_init (HpHidScaleDevice *self)
{
  self->allowance_ms = HP_HID_SCALE_DEFAULT_ALLOWANCE_MS;
}

HpDevice *
hp_hid_scale_device_new (const char  *id,
                         const char  *name,
                         const char  *serial,
                         HpTransport *transport)
{
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (HP_IS_TRANSPORT (transport), NULL);

  return g_object_new (HP_TYPE_HID_SCALE_DEVICE,
                       "id", id,
                       "name", name,
                       "kind", HP_MEASUREMENT_KIND_BODY_WEIGHT,
                       "serial", serial,
                       "transport", transport,
                       NULL);
}

void
hp_hid_scale_device_set_allowance (HpHidScaleDevice *self,
                                   guint             allowance_ms)
{
  g_return_if_fail (HP_IS_HID_SCALE_DEVICE (self));
  g_return_if_fail (allowance_ms > 0);

  self->allowance_ms = allowance_ms;
}

static HpDevice *
create_from_usb (const char            *id,
                 const HpUsbDeviceInfo *info,
                 HpTransport           *transport)
{
  return hp_hid_scale_device_new (id, info->model, info->serial, transport);
}

static const HpUsbMatch hid_scale_matches[] = {
  { .kind = HP_USB_MATCH_VID_PID, .vendor_id = 0x0922, .product_id = 0x8003, .model = "Dymo M10" },
  { .kind = HP_USB_MATCH_VID_PID, .vendor_id = 0x0922, .product_id = 0x8004, .model = "Dymo M25" },
  { .kind = HP_USB_MATCH_VID_PID, .vendor_id = 0x0922, .product_id = 0x8009, .model = "Dymo S180" },
  { .kind = HP_USB_MATCH_HID_USAGE_PAGE, .usage_page = HP_HID_SCALE_USAGE_PAGE },
};

const HpDriver hp_hid_scale_driver = {
  .protocol = "hid-scale",
  .description = "HID point-of-sale scale (scale data report, usage page 0x8D)",
  .transport_kind = HP_TRANSPORT_KIND_HID_REPORTS,
  .matches = hid_scale_matches,
  .n_matches = G_N_ELEMENTS (hid_scale_matches),
  .create = create_from_usb,
};
