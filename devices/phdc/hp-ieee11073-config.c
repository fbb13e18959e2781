/* IEEE 11073-20601 configurations: units, standard, reported and learned ones, and their encoding. */
#include "hp-ieee11073.h"
#include "hp-ieee11073-private.h"

#include <string.h>

/* ---- units ------------------------------------------------------------- */

const char *
hp_ieee11073_unit_to_ucum (guint16 unit_code)
{
  switch (unit_code)
    {
    case HP_IEEE11073_MDC_DIM_MMHG:
      return "mm[Hg]";
    case HP_IEEE11073_MDC_DIM_KILO_PASCAL:
      return "kPa";
    case HP_IEEE11073_MDC_DIM_BEAT_PER_MIN:
      return "/min";
    case HP_IEEE11073_MDC_DIM_KILO_G:
      return "kg";
    case HP_IEEE11073_MDC_DIM_LB:
      return "[lb_av]";
    case HP_IEEE11073_MDC_DIM_MILLI_G_PER_DL:
      return "mg/dL";
    case HP_IEEE11073_MDC_DIM_MILLI_MOLE_PER_L:
      return "mmol/L";
    case HP_IEEE11073_MDC_DIM_CENTI_M:
      return "cm";
    case HP_IEEE11073_MDC_DIM_KG_PER_M_SQ:
      return "kg/m2";
    default:
      return NULL;
    }
}

/* ---- configurations ---------------------------------------------------- */

void
hp_ieee11073_config_free (HpIeee11073Config *config)
{
  if (config == NULL)
    return;
  g_free (config->objects);
  g_free (config);
}

HpIeee11073Config *
hp_ieee11073_config_copy (const HpIeee11073Config *config)
{
  HpIeee11073Config *copy;

  g_return_val_if_fail (config != NULL, NULL);

  copy = g_new0 (HpIeee11073Config, 1);
  copy->dev_config_id = config->dev_config_id;
  copy->n_objects = config->n_objects;
  copy->objects = g_memdup2 (config->objects, sizeof *config->objects * config->n_objects);
  return copy;
}

const HpIeee11073ConfigObject *
hp_ieee11073_config_find (const HpIeee11073Config *config,
                          guint16                  handle)
{
  g_return_val_if_fail (config != NULL, NULL);

  for (guint i = 0; i < config->n_objects; i++)
    if (config->objects[i].handle == handle)
      return &config->objects[i];
  return NULL;
}

static void
standard_numeric (HpIeee11073ConfigObject *object,
                  guint16                  handle,
                  guint16                  code,
                  guint16                  unit_code,
                  guint16                  value_attribute,
                  guint16                  value_length)
{
  object->obj_class = HP_IEEE11073_CLASS_METRIC_NUMERIC;
  object->handle = handle;
  object->type = HP_IEEE11073_SCADA (code);
  object->unit_code = unit_code;
  /* Intermittent, stored data, aperiodic, agent-initiated, measured. */
  object->metric_spec_small = 0xF040;
  object->n_value_map = 2;
  object->value_map[0] = (HpIeee11073ValueMapEntry) { value_attribute, value_length };
  object->value_map[1] = (HpIeee11073ValueMapEntry) { HP_IEEE11073_ATTR_TIME_STAMP_ABS, HP_IEEE11073_ABSOLUTE_TIME_SIZE };
}

HpIeee11073Config *
hp_ieee11073_config_new_standard (guint16 dev_config_id)
{
  g_autoptr(HpIeee11073Config) config = g_new0 (HpIeee11073Config, 1);

  config->dev_config_id = dev_config_id;
  switch (dev_config_id)
    {
    case HP_IEEE11073_CONFIG_BLOOD_PRESSURE:
      /* IEEE 11073-10407: the pressure compound and the pulse rate. */
      config->n_objects = 2;
      config->objects = g_new0 (HpIeee11073ConfigObject, 2);
      standard_numeric (&config->objects[0], HP_IEEE11073_BP_HANDLE_PRESSURE, HP_IEEE11073_MDC_PRESS_BLD_NONINV,
                        HP_IEEE11073_MDC_DIM_MMHG, HP_IEEE11073_ATTR_NU_CMPD_VAL_OBS_BASIC, 10);
      config->objects[0].metric_struct_small = 0x0303;
      config->objects[0].n_physio_ids = 3;
      config->objects[0].physio_ids[0] = HP_IEEE11073_MDC_PRESS_BLD_NONINV_SYS;
      config->objects[0].physio_ids[1] = HP_IEEE11073_MDC_PRESS_BLD_NONINV_DIA;
      config->objects[0].physio_ids[2] = HP_IEEE11073_MDC_PRESS_BLD_NONINV_MEAN;
      standard_numeric (&config->objects[1], HP_IEEE11073_BP_HANDLE_PULSE, HP_IEEE11073_MDC_PULS_RATE_NON_INV,
                        HP_IEEE11073_MDC_DIM_BEAT_PER_MIN, HP_IEEE11073_ATTR_NU_VAL_OBS_BASIC, 2);
      break;
    case HP_IEEE11073_CONFIG_WEIGHING_SCALE:
      /* IEEE 11073-10415: body weight as a FLOAT. Scales that claim this
       * configuration also report height (2) and BMI (3) with the same
       * layout (antidote's H241_ID_05DC capture), so those are known too
       * and skipped when reading. */
      config->n_objects = 3;
      config->objects = g_new0 (HpIeee11073ConfigObject, 3);
      standard_numeric (&config->objects[0], 1, HP_IEEE11073_MDC_MASS_BODY_ACTUAL,
                        HP_IEEE11073_MDC_DIM_KILO_G, HP_IEEE11073_ATTR_NU_VAL_OBS_SIMP, 4);
      standard_numeric (&config->objects[1], 2, HP_IEEE11073_MDC_LEN_BODY_ACTUAL,
                        HP_IEEE11073_MDC_DIM_CENTI_M, HP_IEEE11073_ATTR_NU_VAL_OBS_SIMP, 4);
      standard_numeric (&config->objects[2], 3, HP_IEEE11073_MDC_RATIO_MASS_BODY_LEN_SQ,
                        HP_IEEE11073_MDC_DIM_KG_PER_M_SQ, HP_IEEE11073_ATTR_NU_VAL_OBS_SIMP, 4);
      break;
    case HP_IEEE11073_CONFIG_GLUCOSE:
      /* IEEE 11073-10417: capillary whole-blood glucose as an SFLOAT. */
      config->n_objects = 1;
      config->objects = g_new0 (HpIeee11073ConfigObject, 1);
      standard_numeric (&config->objects[0], 1, HP_IEEE11073_MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD,
                        HP_IEEE11073_MDC_DIM_MILLI_G_PER_DL, HP_IEEE11073_ATTR_NU_VAL_OBS_BASIC, 2);
      break;
    default:
      return NULL;
    }
  return g_steal_pointer (&config);
}

gboolean
hp_ieee11073_read_u16_value (Cursor     *value,
                             guint16    *out,
                             const char *what)
{
  return hp_ieee11073_read_u16 (value, out, what) && hp_ieee11073_expect_consumed (value, what);
}

/* A MetricIdList or AttrValMap: count, length, then @count items of
 * @item_size bytes. */
gboolean
hp_ieee11073_read_counted_list (Cursor     *value,
                                gsize       item_size,
                                guint       max_items,
                                guint16    *count,
                                Cursor     *items,
                                const char *what)
{
  gsize count_offset = value->pos;

  if (!hp_ieee11073_read_list_header (value, count, items, what) || !hp_ieee11073_expect_consumed (value, what))
    return FALSE;
  if (*count > max_items)
    return hp_ieee11073_cursor_fail (value, HP_IEEE11073_ERROR_UNSUPPORTED, count_offset,
                                     "%s of %u entries is more than the %u the kiosk reads", what, *count, max_items);
  if ((gsize) *count * item_size != hp_ieee11073_cursor_left (items))
    return hp_ieee11073_cursor_fail (value, HP_IEEE11073_ERROR_MALFORMED, count_offset,
                                     "%s of %u entries does not fill its %" G_GSIZE_FORMAT " bytes",
                                     what, *count, hp_ieee11073_cursor_left (items));
  return TRUE;
}

static gboolean
decode_config_attribute (Cursor                  *value,
                         guint16                  attribute_id,
                         HpIeee11073ConfigObject *object)
{
  Cursor items;
  guint16 count, partition, code;

  switch (attribute_id)
    {
    case HP_IEEE11073_ATTR_ID_TYPE:
      if (!hp_ieee11073_read_u16 (value, &partition, "type partition") ||
          !hp_ieee11073_read_u16 (value, &code, "type code") ||
          !hp_ieee11073_expect_consumed (value, "type"))
        return FALSE;
      object->type = (guint32) partition << 16 | code;
      return TRUE;
    case HP_IEEE11073_ATTR_UNIT_CODE:
      return hp_ieee11073_read_u16_value (value, &object->unit_code, "unit code");
    case HP_IEEE11073_ATTR_METRIC_SPEC_SMALL:
      return hp_ieee11073_read_u16_value (value, &object->metric_spec_small, "metric-spec-small");
    case HP_IEEE11073_ATTR_METRIC_STRUCT_SMALL:
      return hp_ieee11073_read_u16_value (value, &object->metric_struct_small, "metric-structure-small");
    case HP_IEEE11073_ATTR_ID_PHYSIO_LIST:
      if (!hp_ieee11073_read_counted_list (value, 2, HP_IEEE11073_MAX_COMPOUND, &count, &items, "metric-id list"))
        return FALSE;
      for (guint i = 0; i < count; i++)
        hp_ieee11073_read_u16 (&items, &object->physio_ids[i], "metric id");
      object->n_physio_ids = (guint8) count;
      return TRUE;
    case HP_IEEE11073_ATTR_ATTRIBUTE_VAL_MAP:
      if (!hp_ieee11073_read_counted_list (value, 4, HP_IEEE11073_MAX_VALUE_MAP, &count, &items, "attribute-value-map"))
        return FALSE;
      for (guint i = 0; i < count; i++)
        {
          hp_ieee11073_read_u16 (&items, &object->value_map[i].attribute_id, "attribute id");
          hp_ieee11073_read_u16 (&items, &object->value_map[i].length, "attribute length");
        }
      object->n_value_map = (guint8) count;
      return TRUE;
    default:
      /* Labels, accuracy, thresholds...: nothing the kiosk reads. */
      return TRUE;
    }
}

/* Smallest ConfigObject: class, handle, empty attribute list. */
#define CONFIG_OBJECT_MIN_SIZE 8

static HpIeee11073Config *
decode_config_at (Cursor *c)
{
  g_autoptr(HpIeee11073Config) config = g_new0 (HpIeee11073Config, 1);
  Cursor objects;
  gsize list_offset;
  guint16 count;

  if (!hp_ieee11073_read_u16 (c, &config->dev_config_id, "config-report-id"))
    return NULL;
  list_offset = c->pos;
  if (!hp_ieee11073_read_list_header (c, &count, &objects, "config-obj-list") ||
      !hp_ieee11073_expect_consumed (c, "configuration report"))
    return NULL;
  if ((gsize) count * CONFIG_OBJECT_MIN_SIZE > hp_ieee11073_cursor_left (&objects))
    {
      hp_ieee11073_cursor_fail (c, HP_IEEE11073_ERROR_TRUNCATED, list_offset,
                                "config-obj-list of %u objects cannot fit in %" G_GSIZE_FORMAT " bytes",
                                count, hp_ieee11073_cursor_left (&objects));
      return NULL;
    }
  config->n_objects = count;
  config->objects = g_new0 (HpIeee11073ConfigObject, MAX (count, 1));

  for (guint i = 0; i < count; i++)
    {
      HpIeee11073ConfigObject *object = &config->objects[i];
      gsize handle_offset;
      Cursor attributes;
      guint16 n_attributes;

      if (!hp_ieee11073_read_u16 (&objects, &object->obj_class, "obj-class"))
        return NULL;
      handle_offset = objects.pos;
      if (!hp_ieee11073_read_u16 (&objects, &object->handle, "obj-handle") ||
          !hp_ieee11073_read_list_header (&objects, &n_attributes, &attributes, "attribute list"))
        return NULL;
      for (guint j = 0; j < i; j++)
        if (config->objects[j].handle == object->handle)
          {
            hp_ieee11073_cursor_fail (c, HP_IEEE11073_ERROR_MALFORMED, handle_offset,
                                      "object handle %u appears twice", object->handle);
            return NULL;
          }
      for (guint j = 0; j < n_attributes; j++)
        {
          guint16 attribute_id;
          Cursor value;

          if (!hp_ieee11073_read_u16 (&attributes, &attribute_id, "attribute id") ||
              !hp_ieee11073_read_window (&attributes, &value, "attribute value") ||
              !decode_config_attribute (&value, attribute_id, object))
            return NULL;
        }
      if (!hp_ieee11073_expect_consumed (&attributes, "attribute list"))
        return NULL;
    }
  if (!hp_ieee11073_expect_consumed (&objects, "config-obj-list"))
    return NULL;
  return g_steal_pointer (&config);
}

HpIeee11073Config *
hp_ieee11073_decode_config (const guint8  *data,
                            gsize          len,
                            gsize          base_offset,
                            gsize         *error_offset,
                            GError       **error)
{
  Cursor c = { data - base_offset, base_offset, base_offset + len, error_offset, error };

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  return decode_config_at (&c);
}

/* A cursor over the event info of @prst, with offsets of the buffer it was
 * decoded from. */
gboolean
hp_ieee11073_event_info_cursor (const HpIeee11073DataApdu *prst,
                                gboolean                   want_response,
                                Cursor                    *c,
                                gsize                     *error_offset,
                                GError                   **error)
{
  gboolean is_response = prst->choice == HP_IEEE11073_RORS_CONFIRMED_EVENT_REPORT;

  c->data = prst->args - prst->args_offset;
  c->error_offset = error_offset;
  c->error = error;
  if (!prst->is_event_report || is_response != want_response)
    {
      c->pos = c->end = prst->args_offset;
      return hp_ieee11073_cursor_fail (c, HP_IEEE11073_ERROR_UNSUPPORTED, prst->args_offset,
                                       "data APDU choice 0x%04x is not an event %s", prst->choice,
                                       want_response ? "report response" : "report");
    }
  c->pos = prst->event_info_offset;
  c->end = prst->event_info_offset + prst->event_info_len;
  return TRUE;
}

HpIeee11073Config *
hp_ieee11073_decode_config_report (const HpIeee11073DataApdu *prst,
                                   gsize                     *error_offset,
                                   GError                   **error)
{
  Cursor c;

  g_return_val_if_fail (prst != NULL, NULL);

  if (!hp_ieee11073_event_info_cursor (prst, FALSE, &c, error_offset, error))
    return NULL;
  if (prst->event_type != HP_IEEE11073_NOTI_CONFIG)
    {
      hp_ieee11073_cursor_fail (&c, HP_IEEE11073_ERROR_UNSUPPORTED, prst->event_info_offset,
                                "event type 0x%04x is not a configuration report", prst->event_type);
      return NULL;
    }
  return decode_config_at (&c);
}

gboolean
hp_ieee11073_decode_config_report_response (const HpIeee11073DataApdu *prst,
                                            guint16                   *dev_config_id,
                                            guint16                   *result,
                                            GError                   **error)
{
  Cursor c;
  guint16 id, res;

  g_return_val_if_fail (prst != NULL, FALSE);

  if (!hp_ieee11073_event_info_cursor (prst, TRUE, &c, NULL, error))
    return FALSE;
  if (prst->event_type != HP_IEEE11073_NOTI_CONFIG)
    return hp_ieee11073_cursor_fail (&c, HP_IEEE11073_ERROR_UNSUPPORTED, prst->event_info_offset,
                                     "event type 0x%04x is not a configuration report", prst->event_type);
  if (!hp_ieee11073_read_u16 (&c, &id, "config-report-id") || !hp_ieee11073_read_u16 (&c, &res, "config-result") ||
      !hp_ieee11073_expect_consumed (&c, "configuration report response"))
    return FALSE;
  if (dev_config_id != NULL)
    *dev_config_id = id;
  if (result != NULL)
    *result = res;
  return TRUE;
}

/* ---- learned configurations ---------------------------------------------- */

static const guint8 learned_magic[8] = { 'H', 'P', '1', '1', '0', '7', '3', 'L' };
#define LEARNED_FORMAT_VERSION 1

void
hp_ieee11073_learned_config_free (HpIeee11073LearnedConfig *learned)
{
  if (learned == NULL)
    return;
  hp_ieee11073_config_free (learned->config);
  g_free (learned);
}

GPtrArray *
hp_ieee11073_decode_learned_configs (const guint8  *data,
                                     gsize          len,
                                     GError       **error)
{
  g_autoptr(GPtrArray) learned = g_ptr_array_new_with_free_func ((GDestroyNotify) hp_ieee11073_learned_config_free);
  Cursor c = { data, 0, len, NULL, error };
  guint8 version;
  guint16 count;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (!hp_ieee11073_cursor_need (&c, sizeof learned_magic, "learned-configuration header"))
    return NULL;
  if (memcmp (data, learned_magic, sizeof learned_magic) != 0)
    {
      hp_ieee11073_cursor_fail (&c, HP_IEEE11073_ERROR_MALFORMED, 0, "not a learned-configuration blob");
      return NULL;
    }
  c.pos += sizeof learned_magic;
  if (!hp_ieee11073_read_u8 (&c, &version, "format version"))
    return NULL;
  if (version != LEARNED_FORMAT_VERSION)
    {
      hp_ieee11073_cursor_fail (&c, HP_IEEE11073_ERROR_UNSUPPORTED, c.pos - 1, "format version %u is unknown", version);
      return NULL;
    }
  if (!hp_ieee11073_read_u16 (&c, &count, "entry count"))
    return NULL;

  for (guint i = 0; i < count; i++)
    {
      g_autoptr(HpIeee11073LearnedConfig) entry = g_new0 (HpIeee11073LearnedConfig, 1);
      Cursor body;
      guint8 id_len;

      if (!hp_ieee11073_read_u8 (&c, &id_len, "system id length"))
        return NULL;
      if (id_len > HP_IEEE11073_SYSTEM_ID_MAX)
        {
          hp_ieee11073_cursor_fail (&c, HP_IEEE11073_ERROR_MALFORMED, c.pos - 1,
                                    "system id of %u bytes is too long", id_len);
          return NULL;
        }
      if (!hp_ieee11073_cursor_need (&c, id_len, "system id"))
        return NULL;
      memcpy (entry->system_id, data + c.pos, id_len);
      entry->system_id_len = id_len;
      c.pos += id_len;
      if (!hp_ieee11073_read_window (&c, &body, "configuration"))
        return NULL;
      entry->config = decode_config_at (&body);
      if (entry->config == NULL)
        return NULL;
      g_ptr_array_add (learned, g_steal_pointer (&entry));
    }
  if (!hp_ieee11073_expect_consumed (&c, "learned configurations"))
    return NULL;
  return g_steal_pointer (&learned);
}

/* ---- encoding of configurations ----------------------------------------- */

static void
put_attribute_u16 (GByteArray *out,
                   guint16     attribute_id,
                   guint16     value)
{
  hp_ieee11073_put_u16 (out, attribute_id);
  hp_ieee11073_put_u16 (out, 2);
  hp_ieee11073_put_u16 (out, value);
}

void
hp_ieee11073_encode_config (GByteArray              *out,
                            const HpIeee11073Config *config)
{
  guint list_at;

  g_return_if_fail (out != NULL);
  g_return_if_fail (config != NULL);

  hp_ieee11073_put_u16 (out, config->dev_config_id);
  hp_ieee11073_put_u16 (out, config->n_objects);
  list_at = hp_ieee11073_begin_length (out);
  for (guint i = 0; i < config->n_objects; i++)
    {
      const HpIeee11073ConfigObject *object = &config->objects[i];
      guint16 n_attributes = 0;
      guint count_at, attributes_at, at;

      hp_ieee11073_put_u16 (out, object->obj_class);
      hp_ieee11073_put_u16 (out, object->handle);
      count_at = out->len;
      hp_ieee11073_put_u16 (out, 0);
      attributes_at = hp_ieee11073_begin_length (out);
      if (object->type != 0)
        {
          hp_ieee11073_put_u16 (out, HP_IEEE11073_ATTR_ID_TYPE);
          hp_ieee11073_put_u16 (out, 4);
          hp_ieee11073_put_u32 (out, object->type);
          n_attributes++;
        }
      if (object->metric_spec_small != 0)
        {
          put_attribute_u16 (out, HP_IEEE11073_ATTR_METRIC_SPEC_SMALL, object->metric_spec_small);
          n_attributes++;
        }
      if (object->metric_struct_small != 0)
        {
          put_attribute_u16 (out, HP_IEEE11073_ATTR_METRIC_STRUCT_SMALL, object->metric_struct_small);
          n_attributes++;
        }
      if (object->unit_code != 0)
        {
          put_attribute_u16 (out, HP_IEEE11073_ATTR_UNIT_CODE, object->unit_code);
          n_attributes++;
        }
      if (object->n_physio_ids > 0)
        {
          hp_ieee11073_put_u16 (out, HP_IEEE11073_ATTR_ID_PHYSIO_LIST);
          at = hp_ieee11073_begin_length (out);
          hp_ieee11073_put_u16 (out, object->n_physio_ids);
          hp_ieee11073_put_u16 (out, (guint16) (object->n_physio_ids * 2));
          for (guint j = 0; j < object->n_physio_ids; j++)
            hp_ieee11073_put_u16 (out, object->physio_ids[j]);
          hp_ieee11073_end_length (out, at);
          n_attributes++;
        }
      if (object->n_value_map > 0)
        {
          hp_ieee11073_put_u16 (out, HP_IEEE11073_ATTR_ATTRIBUTE_VAL_MAP);
          at = hp_ieee11073_begin_length (out);
          hp_ieee11073_put_u16 (out, object->n_value_map);
          hp_ieee11073_put_u16 (out, (guint16) (object->n_value_map * 4));
          for (guint j = 0; j < object->n_value_map; j++)
            {
              hp_ieee11073_put_u16 (out, object->value_map[j].attribute_id);
              hp_ieee11073_put_u16 (out, object->value_map[j].length);
            }
          hp_ieee11073_end_length (out, at);
          n_attributes++;
        }
      out->data[count_at] = (guint8) (n_attributes >> 8);
      out->data[count_at + 1] = (guint8) n_attributes;
      hp_ieee11073_end_length (out, attributes_at);
    }
  hp_ieee11073_end_length (out, list_at);
}

void
hp_ieee11073_encode_learned_configs (GByteArray *out,
                                     GPtrArray  *learned)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (learned != NULL && learned->len <= G_MAXUINT16);

  g_byte_array_append (out, learned_magic, sizeof learned_magic);
  hp_ieee11073_put_u8 (out, LEARNED_FORMAT_VERSION);
  hp_ieee11073_put_u16 (out, (guint16) learned->len);
  for (guint i = 0; i < learned->len; i++)
    {
      const HpIeee11073LearnedConfig *entry = g_ptr_array_index (learned, i);
      guint at;

      hp_ieee11073_put_u8 (out, (guint8) entry->system_id_len);
      g_byte_array_append (out, entry->system_id, (guint) entry->system_id_len);
      at = hp_ieee11073_begin_length (out);
      hp_ieee11073_encode_config (out, entry->config);
      hp_ieee11073_end_length (out, at);
    }
}

void
hp_ieee11073_encode_config_report (GByteArray              *out,
                                   guint16                  invoke_id,
                                   const HpIeee11073Config *config)
{
  EventReportLengths lengths;

  g_return_if_fail (out != NULL);
  g_return_if_fail (config != NULL);

  /* Agents send configurations with an unset event time. */
  hp_ieee11073_begin_event_report (out, invoke_id, HP_IEEE11073_ROIV_CONFIRMED_EVENT_REPORT, 0xFFFFFFFF,
                                   HP_IEEE11073_NOTI_CONFIG, &lengths);
  hp_ieee11073_encode_config (out, config);
  hp_ieee11073_finish_event_report (out, &lengths);
}

void
hp_ieee11073_encode_config_report_response (GByteArray *out,
                                            guint16     invoke_id,
                                            guint16     dev_config_id,
                                            guint16     result)
{
  EventReportLengths lengths;

  g_return_if_fail (out != NULL);

  hp_ieee11073_begin_event_report (out, invoke_id, HP_IEEE11073_RORS_CONFIRMED_EVENT_REPORT, 0,
                                   HP_IEEE11073_NOTI_CONFIG, &lengths);
  hp_ieee11073_put_u16 (out, dev_config_id);
  hp_ieee11073_put_u16 (out, result);
  hp_ieee11073_finish_event_report (out, &lengths);
}
