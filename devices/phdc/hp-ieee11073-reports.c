/* IEEE 11073-20601 scan reports: decoding them by configuration, and encoding them. */
#include "hp-ieee11073.h"
#include "hp-ieee11073-private.h"

#include <string.h>

/* ---- fixed scan reports, encoded -------------------------------------- */

#define BP_PRESSURE_VALUE_LEN (4 + 3 * 2 + HP_IEEE11073_ABSOLUTE_TIME_SIZE)
#define BP_PULSE_VALUE_LEN    (2 + HP_IEEE11073_ABSOLUTE_TIME_SIZE)

/* Bytes a PRST adds around the event info: tag, length, octet string length,
 * invoke id, choice, choice length, handle, time, type, info length. */
#define EVENT_REPORT_OVERHEAD 22

void
hp_ieee11073_encode_fixed_scan_report (GByteArray                   *out,
                                       guint16                       invoke_id,
                                       guint32                       event_time,
                                       guint16                       data_req_id,
                                       guint16                       scan_report_no,
                                       const HpIeee11073Observation *observations,
                                       gsize                         n_observations)
{
  gsize list_len = 0;
  gsize info_len;

  g_return_if_fail (out != NULL);
  g_return_if_fail (observations != NULL || n_observations == 0);
  g_return_if_fail (n_observations <= G_MAXUINT16);

  for (gsize i = 0; i < n_observations; i++)
    list_len += 4 + observations[i].value_len;
  info_len = 2 + 2 + 2 + 2 + list_len;
  g_return_if_fail (info_len + EVENT_REPORT_OVERHEAD - HP_IEEE11073_APDU_HEADER_SIZE <= G_MAXUINT16);

  hp_ieee11073_put_event_report_header (out, invoke_id, HP_IEEE11073_ROIV_CONFIRMED_EVENT_REPORT,
                                        0 /* the MDS */, event_time, HP_IEEE11073_NOTI_SCAN_REPORT_FIXED,
                                        info_len);
  hp_ieee11073_put_u16 (out, data_req_id);
  hp_ieee11073_put_u16 (out, scan_report_no);
  hp_ieee11073_put_u16 (out, (guint16) n_observations);
  hp_ieee11073_put_u16 (out, (guint16) list_len);
  for (gsize i = 0; i < n_observations; i++)
    {
      hp_ieee11073_put_u16 (out, observations[i].obj_handle);
      hp_ieee11073_put_u16 (out, (guint16) observations[i].value_len);
      g_byte_array_append (out, observations[i].value, (guint) observations[i].value_len);
    }
}

static void
write_be16 (guint8  *p,
            guint16  value)
{
  p[0] = (guint8) (value >> 8);
  p[1] = (guint8) value;
}

gboolean
hp_ieee11073_encode_blood_pressure (GByteArray                     *out,
                                    guint16                         invoke_id,
                                    guint32                         event_time,
                                    const HpIeee11073BloodPressure *reading)
{
  guint8 pressure[BP_PRESSURE_VALUE_LEN];
  guint8 pulse[BP_PULSE_VALUE_LEN];
  HpIeee11073Observation observations[2] = {
    { HP_IEEE11073_BP_HANDLE_PRESSURE, pressure, sizeof pressure },
    { HP_IEEE11073_BP_HANDLE_PULSE, pulse, sizeof pulse },
  };
  guint16 sys, dia, mean, rate = HP_IEEE11073_SFLOAT_NAN;

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (reading != NULL, FALSE);

  if (!hp_ieee11073_sfloat_from_double (reading->systolic, &sys) ||
      !hp_ieee11073_sfloat_from_double (reading->diastolic, &dia) ||
      !hp_ieee11073_sfloat_from_double (reading->mean_arterial, &mean) ||
      (reading->has_pulse && !hp_ieee11073_sfloat_from_double (reading->pulse, &rate)))
    return FALSE;

  write_be16 (pressure, 3);
  write_be16 (pressure + 2, 6);
  write_be16 (pressure + 4, sys);
  write_be16 (pressure + 6, dia);
  write_be16 (pressure + 8, mean);
  if (!hp_ieee11073_encode_absolute_time (&reading->time, pressure + 10))
    return FALSE;
  write_be16 (pulse, rate);
  memcpy (pulse + 2, pressure + 10, HP_IEEE11073_ABSOLUTE_TIME_SIZE);

  hp_ieee11073_encode_fixed_scan_report (out, invoke_id, event_time, reading->data_req_id,
                                         reading->scan_report_no, observations,
                                         reading->has_pulse ? 2 : 1);
  return TRUE;
}

/* ---- scan reports ------------------------------------------------------ */

void
hp_ieee11073_scan_report_clear (HpIeee11073ScanReport *report)
{
  g_return_if_fail (report != NULL);
  g_clear_pointer (&report->observations, g_array_unref);
}

static void
set_value (HpIeee11073NumericObservation *obs,
           guint                          index,
           double                         value,
           gboolean                       special,
           guint32                        type)
{
  obs->values[index] = value;
  obs->value_types[index] = type;
  if (special)
    obs->special_mask |= 1u << index;
  else
    obs->special_mask &= ~(1u << index);
}

static gboolean
float_is_special (guint32 raw)
{
  return raw >= 0x007FFFFE && raw <= 0x00800002;
}

static guint32
compound_type (const HpIeee11073ConfigObject *object,
               guint                          index)
{
  if (index < object->n_physio_ids)
    return (object->type & 0xFFFF0000u) | object->physio_ids[index];
  return 0;
}

/* NuObsValue: metric-id, measurement-status, unit-code, FLOAT. Its unit
 * replaces the configuration's; a status with "invalid" set (bit 0) makes
 * the value unusable. */
#define NU_OBS_VALUE_SIZE 10
#define MEASUREMENT_STATUS_INVALID 0x8000

static void
read_nu_obs_value (Cursor                        *items,
                   const HpIeee11073ConfigObject *object,
                   HpIeee11073NumericObservation *obs,
                   guint                          index)
{
  guint16 metric_id, status, unit;
  guint32 raw;

  hp_ieee11073_read_u16 (items, &metric_id, "metric id");
  hp_ieee11073_read_u16 (items, &status, "measurement status");
  hp_ieee11073_read_u16 (items, &unit, "unit code");
  hp_ieee11073_read_u32 (items, &raw, "FLOAT");
  set_value (obs, index, hp_ieee11073_float_to_double (raw),
             float_is_special (raw) || (status & MEASUREMENT_STATUS_INVALID) != 0,
             (object->type & 0xFFFF0000u) | metric_id);
  obs->unit_code = unit;
}

static gboolean
decode_time_stamp (Cursor                        *value,
                   HpIeee11073NumericObservation *obs)
{
  const guint8 *bytes = value->data + value->pos;
  gboolean all_zero = TRUE, all_ones = TRUE;
  guint8 fields[HP_IEEE11073_ABSOLUTE_TIME_SIZE];

  if (!hp_ieee11073_cursor_need (value, HP_IEEE11073_ABSOLUTE_TIME_SIZE, "absolute time"))
    return FALSE;
  for (gsize i = 0; i < HP_IEEE11073_ABSOLUTE_TIME_SIZE; i++)
    {
      all_zero = all_zero && bytes[i] == 0x00;
      all_ones = all_ones && bytes[i] == 0xFF;
    }
  obs->has_time = TRUE;
  obs->time_valid = FALSE;
  /* An unset clock reads as all zeros (or all ones): the reading stands,
   * without a time. Other bytes must be BCD. */
  if (!all_zero && !all_ones)
    {
      for (gsize i = 0; i < HP_IEEE11073_ABSOLUTE_TIME_SIZE; i++)
        if (!hp_ieee11073_bcd_to_int (bytes[i], &fields[i]))
          return hp_ieee11073_cursor_fail (value, HP_IEEE11073_ERROR_MALFORMED, value->pos + i,
                                           "absolute time byte %" G_GSIZE_FORMAT " is not BCD", i);
      obs->time_valid = hp_ieee11073_decode_absolute_time (bytes, HP_IEEE11073_ABSOLUTE_TIME_SIZE,
                                                           &obs->time, NULL);
    }
  value->pos += HP_IEEE11073_ABSOLUTE_TIME_SIZE;
  return hp_ieee11073_expect_consumed (value, "absolute time");
}

/* One attribute of one observation, from a fixed report's value map or a
 * var report's attribute list. */
static gboolean
apply_attribute (Cursor                        *value,
                 guint16                        attribute_id,
                 const HpIeee11073ConfigObject *object,
                 HpIeee11073NumericObservation *obs)
{
  Cursor items;
  guint16 count, raw16;
  guint32 raw32;

  switch (attribute_id)
    {
    case HP_IEEE11073_ATTR_NU_VAL_OBS_SIMP:
      if (!hp_ieee11073_read_u32 (value, &raw32, "FLOAT") || !hp_ieee11073_expect_consumed (value, "simple value"))
        return FALSE;
      obs->n_values = 1;
      set_value (obs, 0, hp_ieee11073_float_to_double (raw32), float_is_special (raw32), object->type);
      return TRUE;
    case HP_IEEE11073_ATTR_NU_VAL_OBS_BASIC:
      if (!hp_ieee11073_read_u16 (value, &raw16, "SFLOAT") || !hp_ieee11073_expect_consumed (value, "basic value"))
        return FALSE;
      obs->n_values = 1;
      set_value (obs, 0, hp_ieee11073_sfloat_to_double (raw16), hp_ieee11073_sfloat_is_special (raw16),
                 object->type);
      return TRUE;
    case HP_IEEE11073_ATTR_NU_VAL_OBS:
      if (!hp_ieee11073_cursor_need (value, NU_OBS_VALUE_SIZE, "NuObsValue"))
        return FALSE;
      read_nu_obs_value (value, object, obs, 0);
      obs->n_values = 1;
      return hp_ieee11073_expect_consumed (value, "NuObsValue");
    case HP_IEEE11073_ATTR_NU_CMPD_VAL_OBS_SIMP:
      if (!hp_ieee11073_read_counted_list (value, 4, HP_IEEE11073_MAX_COMPOUND, &count, &items, "compound value"))
        return FALSE;
      for (guint i = 0; i < count; i++)
        {
          hp_ieee11073_read_u32 (&items, &raw32, "FLOAT");
          set_value (obs, i, hp_ieee11073_float_to_double (raw32), float_is_special (raw32),
                     compound_type (object, i));
        }
      obs->n_values = (guint8) count;
      return TRUE;
    case HP_IEEE11073_ATTR_NU_CMPD_VAL_OBS_BASIC:
      if (!hp_ieee11073_read_counted_list (value, 2, HP_IEEE11073_MAX_COMPOUND, &count, &items, "compound value"))
        return FALSE;
      for (guint i = 0; i < count; i++)
        {
          hp_ieee11073_read_u16 (&items, &raw16, "SFLOAT");
          set_value (obs, i, hp_ieee11073_sfloat_to_double (raw16), hp_ieee11073_sfloat_is_special (raw16),
                     compound_type (object, i));
        }
      obs->n_values = (guint8) count;
      return TRUE;
    case HP_IEEE11073_ATTR_NU_CMPD_VAL_OBS:
      if (!hp_ieee11073_read_counted_list (value, NU_OBS_VALUE_SIZE, HP_IEEE11073_MAX_COMPOUND, &count, &items,
                                           "compound value"))
        return FALSE;
      for (guint i = 0; i < count; i++)
        read_nu_obs_value (&items, object, obs, i);
      obs->n_values = (guint8) count;
      return TRUE;
    case HP_IEEE11073_ATTR_TIME_STAMP_ABS:
      return decode_time_stamp (value, obs);
    case HP_IEEE11073_ATTR_UNIT_CODE:
      return hp_ieee11073_read_u16_value (value, &obs->unit_code, "unit code");
    default:
      /* Relative time, status, supplemental types: not needed. */
      value->pos = value->end;
      return TRUE;
    }
}

static void
observation_init (HpIeee11073NumericObservation *obs,
                  const HpIeee11073ConfigObject *object,
                  guint16                        person_id,
                  gsize                          offset)
{
  memset (obs, 0, sizeof *obs);
  obs->person_id = person_id;
  obs->obj_handle = object->handle;
  obs->type = object->type;
  obs->unit_code = object->unit_code;
  obs->offset = offset;
}

static const HpIeee11073ConfigObject *
find_reported_object (Cursor                  *c,
                      const HpIeee11073Config *config,
                      guint16                  handle,
                      gsize                    handle_offset)
{
  const HpIeee11073ConfigObject *object = hp_ieee11073_config_find (config, handle);

  if (object == NULL)
    hp_ieee11073_cursor_fail (c, HP_IEEE11073_ERROR_UNSUPPORTED, handle_offset,
                              "object handle %u is not in configuration 0x%04x", handle, config->dev_config_id);
  return object;
}

static void
keep_observation (HpIeee11073ScanReport               *report,
                  const HpIeee11073ConfigObject       *object,
                  const HpIeee11073NumericObservation *obs)
{
  if (object->obj_class == HP_IEEE11073_CLASS_METRIC_NUMERIC && obs->n_values > 0)
    g_array_append_vals (report->observations, obs, 1);
}

static gboolean
decode_fixed_list (Cursor                  *c,
                   const HpIeee11073Config *config,
                   guint16                  person_id,
                   HpIeee11073ScanReport   *report)
{
  Cursor list;
  guint16 count;

  if (!hp_ieee11073_read_list_header (c, &count, &list, "obs-scan-fixed list"))
    return FALSE;
  for (guint i = 0; i < count; i++)
    {
      const HpIeee11073ConfigObject *object;
      HpIeee11073NumericObservation obs;
      gsize handle_offset = list.pos, value_offset;
      guint16 handle;
      Cursor value;
      gsize expected = 0;

      if (!hp_ieee11073_read_u16 (&list, &handle, "obj-handle"))
        return FALSE;
      value_offset = list.pos;
      if (!hp_ieee11073_read_window (&list, &value, "obs-val-data"))
        return FALSE;
      if ((object = find_reported_object (c, config, handle, handle_offset)) == NULL)
        return FALSE;
      if (object->n_value_map == 0)
        return hp_ieee11073_cursor_fail (c, HP_IEEE11073_ERROR_UNSUPPORTED, handle_offset,
                                         "object handle %u has no attribute-value-map for fixed reports", handle);
      for (guint j = 0; j < object->n_value_map; j++)
        expected += object->value_map[j].length;
      if (expected != hp_ieee11073_cursor_left (&value))
        return hp_ieee11073_cursor_fail (c, HP_IEEE11073_ERROR_MALFORMED, value_offset,
                                         "object handle %u has %" G_GSIZE_FORMAT
                                         " bytes, its attribute-value-map %" G_GSIZE_FORMAT,
                                         handle, hp_ieee11073_cursor_left (&value), expected);

      observation_init (&obs, object, person_id, handle_offset);
      for (guint j = 0; j < object->n_value_map; j++)
        {
          Cursor attribute = value;

          attribute.end = value.pos + object->value_map[j].length;
          if (!apply_attribute (&attribute, object->value_map[j].attribute_id, object, &obs))
            return FALSE;
          value.pos = attribute.end;
        }
      keep_observation (report, object, &obs);
    }
  return hp_ieee11073_expect_consumed (&list, "obs-scan-fixed list");
}

static gboolean
decode_var_list (Cursor                  *c,
                 const HpIeee11073Config *config,
                 guint16                  person_id,
                 HpIeee11073ScanReport   *report)
{
  Cursor list;
  guint16 count;

  if (!hp_ieee11073_read_list_header (c, &count, &list, "obs-scan-var list"))
    return FALSE;
  for (guint i = 0; i < count; i++)
    {
      const HpIeee11073ConfigObject *object;
      HpIeee11073NumericObservation obs;
      gsize handle_offset = list.pos;
      guint16 handle, n_attributes;
      Cursor attributes;

      if (!hp_ieee11073_read_u16 (&list, &handle, "obj-handle") ||
          !hp_ieee11073_read_list_header (&list, &n_attributes, &attributes, "attribute list"))
        return FALSE;
      if ((object = find_reported_object (c, config, handle, handle_offset)) == NULL)
        return FALSE;

      observation_init (&obs, object, person_id, handle_offset);
      for (guint j = 0; j < n_attributes; j++)
        {
          guint16 attribute_id;
          Cursor value;

          if (!hp_ieee11073_read_u16 (&attributes, &attribute_id, "attribute id") ||
              !hp_ieee11073_read_window (&attributes, &value, "attribute value") ||
              !apply_attribute (&value, attribute_id, object, &obs))
            return FALSE;
        }
      if (!hp_ieee11073_expect_consumed (&attributes, "attribute list"))
        return FALSE;
      keep_observation (report, object, &obs);
    }
  return hp_ieee11073_expect_consumed (&list, "obs-scan-var list");
}

gboolean
hp_ieee11073_decode_scan_report (const HpIeee11073DataApdu *prst,
                                 const HpIeee11073Config   *config,
                                 HpIeee11073ScanReport     *report,
                                 gsize                     *error_offset,
                                 GError                   **error)
{
  gboolean multi_person, fixed;
  Cursor c;

  g_return_val_if_fail (prst != NULL, FALSE);
  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  memset (report, 0, sizeof *report);
  report->observations = g_array_new (FALSE, FALSE, sizeof (HpIeee11073NumericObservation));

  if (!hp_ieee11073_event_info_cursor (prst, FALSE, &c, error_offset, error))
    return FALSE;
  switch (prst->event_type)
    {
    case HP_IEEE11073_NOTI_SCAN_REPORT_FIXED:
      multi_person = FALSE, fixed = TRUE;
      break;
    case HP_IEEE11073_NOTI_SCAN_REPORT_VAR:
      multi_person = FALSE, fixed = FALSE;
      break;
    case HP_IEEE11073_NOTI_SCAN_REPORT_MP_FIXED:
      multi_person = TRUE, fixed = TRUE;
      break;
    case HP_IEEE11073_NOTI_SCAN_REPORT_MP_VAR:
      multi_person = TRUE, fixed = FALSE;
      break;
    default:
      return hp_ieee11073_cursor_fail (&c, HP_IEEE11073_ERROR_UNSUPPORTED, prst->event_info_offset,
                                       "event type 0x%04x is not a scan report", prst->event_type);
    }
  report->event_type = prst->event_type;

  if (!hp_ieee11073_read_u16 (&c, &report->data_req_id, "data-req-id") ||
      !hp_ieee11073_read_u16 (&c, &report->scan_report_no, "scan-report-no"))
    return FALSE;

  if (!multi_person)
    {
      if (!(fixed ? decode_fixed_list (&c, config, 0, report) : decode_var_list (&c, config, 0, report)))
        return FALSE;
    }
  else
    {
      Cursor persons;
      guint16 n_persons;

      if (!hp_ieee11073_read_list_header (&c, &n_persons, &persons, "per-person list"))
        return FALSE;
      for (guint i = 0; i < n_persons; i++)
        {
          guint16 person_id;

          if (!hp_ieee11073_read_u16 (&persons, &person_id, "person-id"))
            return FALSE;
          if (!(fixed ? decode_fixed_list (&persons, config, person_id, report)
                      : decode_var_list (&persons, config, person_id, report)))
            return FALSE;
        }
      if (!hp_ieee11073_expect_consumed (&persons, "per-person list"))
        return FALSE;
    }
  return hp_ieee11073_expect_consumed (&c, "scan report");
}

/* ---- encoding of reports ------------------------------------------------ */

void
hp_ieee11073_encode_scan_report (GByteArray                 *out,
                                 guint16                     invoke_id,
                                 guint32                     event_time,
                                 guint16                     event_type,
                                 guint16                     data_req_id,
                                 guint16                     scan_report_no,
                                 const HpIeee11073ScanEntry *entries,
                                 gsize                       n_entries)
{
  gboolean multi_person = event_type == HP_IEEE11073_NOTI_SCAN_REPORT_MP_FIXED ||
                          event_type == HP_IEEE11073_NOTI_SCAN_REPORT_MP_VAR;
  gboolean fixed = event_type == HP_IEEE11073_NOTI_SCAN_REPORT_FIXED ||
                   event_type == HP_IEEE11073_NOTI_SCAN_REPORT_MP_FIXED;
  EventReportLengths lengths;
  guint persons_count_at = 0, persons_at = 0;
  guint16 n_persons = 0;
  gsize i = 0;

  g_return_if_fail (out != NULL);
  g_return_if_fail (entries != NULL || n_entries == 0);
  g_return_if_fail (multi_person || fixed || event_type == HP_IEEE11073_NOTI_SCAN_REPORT_VAR);

  hp_ieee11073_begin_event_report (out, invoke_id, HP_IEEE11073_ROIV_CONFIRMED_EVENT_REPORT, event_time,
                                   event_type, &lengths);
  hp_ieee11073_put_u16 (out, data_req_id);
  hp_ieee11073_put_u16 (out, scan_report_no);
  if (multi_person)
    {
      persons_count_at = out->len;
      hp_ieee11073_put_u16 (out, 0);
      persons_at = hp_ieee11073_begin_length (out);
    }

  do
    {
      guint count_at, list_at;
      guint16 count = 0;

      if (multi_person)
        {
          hp_ieee11073_put_u16 (out, n_entries > 0 ? entries[i].person_id : 0);
          n_persons++;
        }
      count_at = out->len;
      hp_ieee11073_put_u16 (out, 0);
      list_at = hp_ieee11073_begin_length (out);
      for (; i < n_entries; i++)
        {
          if (multi_person && count > 0 && entries[i].person_id != entries[i - 1].person_id)
            break;
          hp_ieee11073_put_u16 (out, entries[i].obj_handle);
          /* Fixed: an octet string. Var: the AttributeList is written as
           * is, its count and length included. */
          if (fixed)
            hp_ieee11073_put_u16 (out, (guint16) entries[i].payload_len);
          g_byte_array_append (out, entries[i].payload, (guint) entries[i].payload_len);
          count++;
        }
      out->data[count_at] = (guint8) (count >> 8);
      out->data[count_at + 1] = (guint8) count;
      hp_ieee11073_end_length (out, list_at);
    }
  while (multi_person && i < n_entries);

  if (multi_person)
    {
      out->data[persons_count_at] = (guint8) (n_persons >> 8);
      out->data[persons_count_at + 1] = (guint8) n_persons;
      hp_ieee11073_end_length (out, persons_at);
    }
  hp_ieee11073_finish_event_report (out, &lengths);
}
