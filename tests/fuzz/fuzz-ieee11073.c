/* libFuzzer target: the IEEE 11073-20601 APDU decoder, configuration reports, scan reports of every form, learned-configuration blobs. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "hp-ieee11073.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_numbers (const uint8_t *data,
               size_t         size)
{
  HpIeee11073AbsoluteTime time;
  guint8 encoded[HP_IEEE11073_ABSOLUTE_TIME_SIZE];

  if (size >= 2)
    {
      double value = hp_ieee11073_sfloat_to_double ((guint16) ((data[0] << 8) | data[1]));
      guint16 again;

      if (isfinite (value))
        {
          if (!hp_ieee11073_sfloat_from_double (value, &again) ||
              fabs (hp_ieee11073_sfloat_to_double (again) - value) > fabs (value) * 1e-12)
            __builtin_trap ();
        }
    }
  if (size >= 4)
    (void) hp_ieee11073_float_to_double (((guint32) data[0] << 24) | ((guint32) data[1] << 16) |
                                         ((guint32) data[2] << 8) | data[3]);

  /* A valid BCD time re-encodes to the very same bytes. */
  if (hp_ieee11073_decode_absolute_time (data, size, &time, NULL))
    {
      if (!hp_ieee11073_encode_absolute_time (&time, encoded) ||
          memcmp (encoded, data, sizeof encoded) != 0)
        __builtin_trap ();
    }
}

/* A configuration that decodes encodes again to one with the same objects. */
static void
check_config (const HpIeee11073Config *config)
{
  GByteArray *again = g_byte_array_new ();
  HpIeee11073Config *back;

  hp_ieee11073_encode_config (again, config);
  back = hp_ieee11073_decode_config (again->data, again->len, 0, NULL, NULL);
  if (back == NULL || back->n_objects != config->n_objects || back->dev_config_id != config->dev_config_id)
    __builtin_trap ();
  hp_ieee11073_config_free (back);
  g_byte_array_unref (again);
}

static void
check_scan_report (const HpIeee11073DataApdu *prst,
                   const HpIeee11073Config   *config,
                   size_t                     size)
{
  HpIeee11073ScanReport report;
  GError *error = NULL;
  gsize offset = G_MAXSIZE;

  if (!hp_ieee11073_decode_scan_report (prst, config, &report, &offset, &error))
    {
      if (error == NULL || offset > size)
        __builtin_trap ();
      g_clear_error (&error);
    }
  else
    {
      for (guint i = 0; i < report.observations->len; i++)
        {
          const HpIeee11073NumericObservation *obs =
            &g_array_index (report.observations, HpIeee11073NumericObservation, i);

          if (obs->n_values > HP_IEEE11073_MAX_COMPOUND || obs->offset > size)
            __builtin_trap ();
        }
    }
  hp_ieee11073_scan_report_clear (&report);
}

/* The same bytes read as a learned-configuration blob and as a bare
 * configuration. */
static void
check_blobs (const uint8_t *data,
             size_t         size)
{
  GPtrArray *learned = hp_ieee11073_decode_learned_configs (data, size, NULL);
  HpIeee11073Config *config = hp_ieee11073_decode_config (data, size, 0, NULL, NULL);

  if (learned != NULL)
    {
      for (guint i = 0; i < learned->len; i++)
        check_config (((HpIeee11073LearnedConfig *) g_ptr_array_index (learned, i))->config);
      g_ptr_array_unref (learned);
    }
  if (config != NULL)
    {
      check_config (config);
      hp_ieee11073_config_free (config);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  HpIeee11073Apdu apdu;
  GError *error = NULL;
  gsize offset = G_MAXSIZE;
  gsize frame_len;

  check_numbers (data, size);
  check_blobs (data, size);

  if (hp_ieee11073_apdu_complete (data, size, &frame_len) && frame_len > size)
    __builtin_trap ();

  if (!hp_ieee11073_decode_apdu (data, size, &apdu, &offset, &error))
    {
      /* Every failure says why and where, and the where is inside the input. */
      if (error == NULL || offset > size)
        __builtin_trap ();
      g_clear_error (&error);
      return 0;
    }
  if (apdu.total_len > size)
    __builtin_trap ();

  if (apdu.type == HP_IEEE11073_APDU_PRST && apdu.u.prst.is_event_report &&
      apdu.u.prst.event_info_offset + apdu.u.prst.event_info_len > size)
    __builtin_trap ();

  /* Every data APDU, event report or not: the report decoders refuse the
   * others with an offset inside the input. */
  if (apdu.type == HP_IEEE11073_APDU_PRST)
    {
      static const guint16 standard_ids[] = {
        HP_IEEE11073_CONFIG_BLOOD_PRESSURE, HP_IEEE11073_CONFIG_WEIGHING_SCALE, HP_IEEE11073_CONFIG_GLUCOSE,
      };
      HpIeee11073Config *config = hp_ieee11073_decode_config_report (&apdu.u.prst, &offset, &error);

      if (config != NULL)
        {
          check_config (config);
          hp_ieee11073_config_free (config);
        }
      g_clear_error (&error);
      (void) hp_ieee11073_decode_config_report_response (&apdu.u.prst, NULL, NULL, NULL);
      for (gsize i = 0; i < G_N_ELEMENTS (standard_ids); i++)
        {
          config = hp_ieee11073_config_new_standard (standard_ids[i]);
          check_scan_report (&apdu.u.prst, config, size);
          hp_ieee11073_config_free (config);
        }
    }
  else if (apdu.type == HP_IEEE11073_APDU_AARQ && apdu.u.aarq.has_20601)
    {
      /* What we decoded, our agent encoder can say again. */
      GByteArray *again = g_byte_array_new ();
      HpIeee11073Apdu back;

      hp_ieee11073_encode_aarq (again, apdu.u.aarq.info.system_id, apdu.u.aarq.info.system_id_len,
                                apdu.u.aarq.info.dev_config_id);
      if (!hp_ieee11073_decode_apdu (again->data, again->len, &back, NULL, NULL) ||
          back.u.aarq.info.dev_config_id != apdu.u.aarq.info.dev_config_id ||
          back.u.aarq.info.system_id_len != apdu.u.aarq.info.system_id_len)
        __builtin_trap ();
      g_byte_array_unref (again);
    }
  return 0;
}
