/* libFuzzer target: the IEEE 11073-20601 APDU decoder and the blood-pressure scan report decoder. */
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

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  HpIeee11073Apdu apdu;
  HpIeee11073BloodPressure reading;
  GError *error = NULL;
  gsize offset = G_MAXSIZE;
  gsize frame_len;

  check_numbers (data, size);

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

  if (apdu.type == HP_IEEE11073_APDU_PRST)
    {
      offset = G_MAXSIZE;
      if (!hp_ieee11073_decode_blood_pressure (&apdu.u.prst, &reading, &offset, &error))
        {
          if (error == NULL || offset > size)
            __builtin_trap ();
          g_clear_error (&error);
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
