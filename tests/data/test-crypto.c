/* Tests of sealed fields, HMAC and HKDF: known answers, round trips, and every kind of tampering refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "hp-crypto.h"

static const guint8 test_key[HP_CRYPTO_KEY_SIZE] = {
  0x10, 0x21, 0x32, 0x43, 0x54, 0x65, 0x76, 0x87, 0x98, 0xa9, 0xba, 0xcb, 0xdc, 0xed, 0xfe, 0x0f,
  0x01, 0x12, 0x23, 0x34, 0x45, 0x56, 0x67, 0x78, 0x89, 0x9a, 0xab, 0xbc, 0xcd, 0xde, 0xef, 0xf0,
};

static const HpFieldPlace reading_7 = { "measurements", "reading", 7 };

static gboolean
contains (const guint8 *haystack,
          gsize         length,
          const char   *needle)
{
  gsize needle_length = strlen (needle);

  for (gsize i = 0; i + needle_length <= length; i++)
    if (memcmp (haystack + i, needle, needle_length) == 0)
      return TRUE;
  return FALSE;
}

static void
assert_hex (const guint8 *bytes,
            gsize         length,
            const char   *expected)
{
  g_autoptr(GString) hex = g_string_new (NULL);

  for (gsize i = 0; i < length; i++)
    g_string_append_printf (hex, "%02x", bytes[i]);
  assert_string_equal (hex->str, expected);
}

static void
assert_open_refused (const guint8       *key,
                     const HpFieldPlace *place,
                     const guint8       *sealed,
                     gsize               length,
                     int                 code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) plain = hp_crypto_open (key, place, sealed, length, &error);

  assert_null (plain);
  assert_non_null (error);
  assert_true (error->domain == HP_CRYPTO_ERROR);
  assert_int_equal (error->code, code);
  /* The message names the place, never the plaintext. */
  assert_null (strstr (error->message, "187"));
}

/* RFC 4231, test case 2. */
static void
test_hmac_known_answer (void **state G_GNUC_UNUSED)
{
  static const char data[] = "what do ya want for nothing?";
  g_autoptr(GError) error = NULL;
  guint8 mac[HP_CRYPTO_MAC_SIZE];

  assert_true (hp_crypto_hmac_sha256 ((const guint8 *) "Jefe", 4, data, strlen (data), mac, &error));
  assert_null (error);
  assert_hex (mac, sizeof mac, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

/* RFC 5869, test case 3 (empty salt and info). */
static void
test_hkdf_known_answer (void **state G_GNUC_UNUSED)
{
  g_autoptr(GError) error = NULL;
  guint8 ikm[22];
  guint8 okm[42];

  memset (ikm, 0x0b, sizeof ikm);
  assert_true (hp_crypto_hkdf_sha256 (ikm, sizeof ikm, "", "", okm, sizeof okm, &error));
  assert_null (error);
  assert_hex (okm, sizeof okm,
              "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
              "9d201395faa4b61a96c8");
}

static void
test_seal_round_trip (void **state G_GNUC_UNUSED)
{
  static const char plain[] = "systolic 187";
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GBytes) opened = NULL;
  g_autoptr(GBytes) empty = NULL;
  g_autoptr(GBytes) opened_empty = NULL;
  const guint8 *bytes;
  gsize length = 0;
  guint32 key_id = 0;

  sealed = hp_crypto_seal (test_key, 0x01020304, &reading_7, plain, strlen (plain), &error);
  assert_null (error);
  bytes = g_bytes_get_data (sealed, &length);
  assert_int_equal (length, HP_SEALED_OVERHEAD + strlen (plain));
  assert_int_equal (bytes[0], HP_SEALED_VERSION);
  assert_memory_equal (bytes + 1, "\x01\x02\x03\x04", 4);
  assert_false (contains (bytes, length, plain));
  assert_true (hp_crypto_peek_key_id (bytes, length, &key_id, &error));
  assert_int_equal (key_id, 0x01020304);

  opened = hp_crypto_open (test_key, &reading_7, bytes, length, &error);
  assert_null (error);
  assert_int_equal (g_bytes_get_size (opened), strlen (plain));
  assert_memory_equal (g_bytes_get_data (opened, NULL), plain, strlen (plain));

  /* A fresh nonce each time: sealing the same text twice differs. */
  again = hp_crypto_seal (test_key, 0x01020304, &reading_7, plain, strlen (plain), &error);
  assert_false (g_bytes_equal (sealed, again));

  empty = hp_crypto_seal (test_key, 1, &reading_7, "", 0, &error);
  assert_int_equal (g_bytes_get_size (empty), HP_SEALED_OVERHEAD);
  opened_empty = hp_crypto_open (test_key, &reading_7, g_bytes_get_data (empty, NULL),
                                 g_bytes_get_size (empty), &error);
  assert_null (error);
  assert_int_equal (g_bytes_get_size (opened_empty), 0);
}

static void
test_every_changed_byte_refused (void **state G_GNUC_UNUSED)
{
  static const char plain[] = "weight 93.7";
  g_autoptr(GBytes) sealed = hp_crypto_seal (test_key, 3, &reading_7, plain, strlen (plain), NULL);
  gsize length = g_bytes_get_size (sealed);
  g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (sealed, NULL), length);

  for (gsize i = 0; i < length; i++)
    {
      copy[i] ^= 0x01;
      /* The version byte is checked before any key is used. */
      assert_open_refused (test_key, &reading_7, copy, length,
                           i == 0 ? HP_CRYPTO_ERROR_MALFORMED : HP_CRYPTO_ERROR_AUTHENTICATION);
      copy[i] ^= 0x01;
    }
  /* Unchanged, it still opens: the loop restored every byte. */
  {
    g_autoptr(GBytes) opened = hp_crypto_open (test_key, &reading_7, copy, length, NULL);

    assert_non_null (opened);
  }
}

static void
test_other_place_or_key_refused (void **state G_GNUC_UNUSED)
{
  static const char plain[] = "PRIV-ACY1";
  static const HpFieldPlace other_row = { "measurements", "reading", 8 };
  static const HpFieldPlace other_column = { "measurements", "device", 7 };
  static const HpFieldPlace other_table = { "patients", "reading", 7 };
  /* Same bytes when the names are run together without length prefixes. */
  static const HpFieldPlace shifted = { "measurementsr", "eading", 7 };
  g_autoptr(GBytes) sealed = hp_crypto_seal (test_key, 3, &reading_7, plain, strlen (plain), NULL);
  const guint8 *bytes = g_bytes_get_data (sealed, NULL);
  gsize length = g_bytes_get_size (sealed);
  g_autofree guint8 *relabelled = g_memdup2 (bytes, length);
  guint8 other_key[HP_CRYPTO_KEY_SIZE];

  assert_open_refused (test_key, &other_row, bytes, length, HP_CRYPTO_ERROR_AUTHENTICATION);
  assert_open_refused (test_key, &other_column, bytes, length, HP_CRYPTO_ERROR_AUTHENTICATION);
  assert_open_refused (test_key, &other_table, bytes, length, HP_CRYPTO_ERROR_AUTHENTICATION);
  assert_open_refused (test_key, &shifted, bytes, length, HP_CRYPTO_ERROR_AUTHENTICATION);

  memcpy (other_key, test_key, sizeof other_key);
  other_key[31] ^= 0x80;
  assert_open_refused (other_key, &reading_7, bytes, length, HP_CRYPTO_ERROR_AUTHENTICATION);

  /* The key id is authenticated: relabelling the field is tampering. */
  relabelled[4] = 4;
  assert_open_refused (test_key, &reading_7, relabelled, length, HP_CRYPTO_ERROR_AUTHENTICATION);
}

static void
test_malformed_refused (void **state G_GNUC_UNUSED)
{
  g_autoptr(GBytes) sealed = hp_crypto_seal (test_key, 3, &reading_7, "x", 1, NULL);
  const guint8 *bytes = g_bytes_get_data (sealed, NULL);
  g_autoptr(GError) error = NULL;
  guint32 key_id = 0;

  for (gsize cut = 0; cut < HP_SEALED_OVERHEAD; cut++)
    assert_open_refused (test_key, &reading_7, bytes, cut, HP_CRYPTO_ERROR_MALFORMED);
  assert_open_refused (test_key, &reading_7, NULL, 0, HP_CRYPTO_ERROR_MALFORMED);
  /* One byte short of the whole: the tag is then read from the wrong place. */
  assert_open_refused (test_key, &reading_7, bytes, HP_SEALED_OVERHEAD, HP_CRYPTO_ERROR_AUTHENTICATION);

  assert_false (hp_crypto_peek_key_id (bytes, 5, &key_id, &error));
  assert_true (g_error_matches (error, HP_CRYPTO_ERROR, HP_CRYPTO_ERROR_MALFORMED));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_hmac_known_answer),
    cmocka_unit_test (test_hkdf_known_answer),
    cmocka_unit_test (test_seal_round_trip),
    cmocka_unit_test (test_every_changed_byte_refused),
    cmocka_unit_test (test_other_place_or_key_refused),
    cmocka_unit_test (test_malformed_refused),
  };

  return cmocka_run_group_tests_name ("crypto", tests, NULL, NULL);
}
