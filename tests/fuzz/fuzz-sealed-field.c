/* libFuzzer target: the store's sealed-field layout and the reading record inside it, as a tampered database file feeds them. */
#include <stdint.h>
#include <string.h>

#include "hp-crypto.h"
#include "hp-reading-record-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static const guint8 fuzz_key[HP_CRYPTO_KEY_SIZE] = { 7, 1, 4, 9, 2, 8, 5, 3 };

/* Anything the decoder accepts, the encoder writes back in a form the
 * decoder accepts again, with the same values. */
static void
check_record (const uint8_t *data,
              size_t         size)
{
  g_autoptr(HpMeasurement) decoded = NULL;
  g_autoptr(HpMeasurement) again = NULL;
  g_autoptr(HpReadingRecord) record = NULL;
  HpMeasurementKind kind;

  if (size < 1)
    return;
  kind = (HpMeasurementKind) (data[0] % (HP_MEASUREMENT_KIND_LAST + 1));
  decoded = hp_reading_record_decode (kind, data + 1, size - 1, NULL);
  if (decoded == NULL)
    return;
  record = hp_reading_record_encode (decoded);
  again = hp_reading_record_decode (kind, record->data, record->len, NULL);
  if (again == NULL)
    __builtin_trap ();
  for (guint q = 0; q <= HP_QUANTITY_LAST; q++)
    {
      double a = 0, b = 0;
      gboolean has_a = hp_measurement_get_value (decoded, q, &a, NULL);
      gboolean has_b = hp_measurement_get_value (again, q, &b, NULL);

      if (has_a != has_b || memcmp (&a, &b, sizeof a) != 0)
        __builtin_trap ();
    }
}

/* No input opens without the key; any input seals and opens back to itself. */
static void
check_sealed (const uint8_t *data,
              size_t         size)
{
  static const HpFieldPlace place = { "measurements", "reading", 1 };
  g_autoptr(GBytes) opened = NULL;
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GBytes) round_trip = NULL;
  guint32 key_id = 0;

  hp_crypto_peek_key_id (data, size, &key_id, NULL);
  opened = hp_crypto_open (fuzz_key, &place, data, size, NULL);
  if (opened != NULL)
    __builtin_trap ();

  sealed = hp_crypto_seal (fuzz_key, key_id, &place, data, size, NULL);
  if (sealed == NULL)
    __builtin_trap ();
  round_trip = hp_crypto_open (fuzz_key, &place, g_bytes_get_data (sealed, NULL),
                               g_bytes_get_size (sealed), NULL);
  if (round_trip == NULL || g_bytes_get_size (round_trip) != size
      || (size > 0 && memcmp (g_bytes_get_data (round_trip, NULL), data, size) != 0))
    __builtin_trap ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  check_record (data, size);
  check_sealed (data, size);
  return 0;
}
