/* The audit log's row encoding, MACs and field rules: no database here, so the fuzz target takes it whole. */
#include "hp-audit-private.h"
#include "hp-secret.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

/* Domain tags keep a row's MAC from ever equalling a head's, and name the
 * encoding, so a later format can be told from this one. */
static const char row_tag[8] = { 'H', 'P', 'A', 'U', 'D', 'R', 'W', '1' };
static const char head_tag[8] = { 'H', 'P', 'A', 'U', 'D', 'H', 'D', '1' };

#define ACTOR_STAFF_PREFIX "staff:"
#define ACTION_MAX_LENGTH 48

gboolean
hp_audit_actor_is_valid (const char *actor,
                         gsize       len)
{
  gsize prefix = strlen (ACTOR_STAFF_PREFIX);

  if (actor == NULL)
    return FALSE;
  if ((len == strlen (HP_AUDIT_ACTOR_KIOSK) && memcmp (actor, HP_AUDIT_ACTOR_KIOSK, len) == 0)
      || (len == strlen (HP_AUDIT_ACTOR_SYSTEM) && memcmp (actor, HP_AUDIT_ACTOR_SYSTEM, len) == 0))
    return TRUE;
  /* staff:1 … staff:999999999999999999, no leading zero. */
  if (len <= prefix || len > prefix + 18 || memcmp (actor, ACTOR_STAFF_PREFIX, prefix) != 0)
    return FALSE;
  if (actor[prefix] == '0')
    return FALSE;
  for (gsize i = prefix; i < len; i++)
    if (!g_ascii_isdigit (actor[i]))
      return FALSE;
  return TRUE;
}

gboolean
hp_audit_action_is_valid (const char *action,
                          gsize       len)
{
  if (action == NULL || len == 0 || len > ACTION_MAX_LENGTH)
    return FALSE;
  if (!g_ascii_islower (action[0]) || action[len - 1] == '.' || action[len - 1] == '-')
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      char c = action[i];

      if (c == '.' && action[i - 1] == '.')
        return FALSE;
      if (c != '.' && c != '-' && !g_ascii_islower (c) && !g_ascii_isdigit (c))
        return FALSE;
    }
  return TRUE;
}

gboolean
hp_audit_detail_is_valid (const char *detail,
                          gsize       len)
{
  if (detail == NULL || len > HP_AUDIT_DETAIL_MAX_LENGTH)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (detail[i] < 0x20 || detail[i] > 0x7e)
      return FALSE;
  return TRUE;
}

static void
put_u64 (GByteArray *buffer,
         guint64     value)
{
  guint64 be = GUINT64_TO_BE (value);

  g_byte_array_append (buffer, (const guint8 *) &be, sizeof be);
}

/* Each field carries its length, so no two different rows encode alike. */
static gboolean
put_field (GByteArray   *buffer,
           const guint8 *data,
           gsize         len)
{
  guint32 be;

  if (len > G_MAXUINT32 || (len > 0 && data == NULL))
    return FALSE;
  be = GUINT32_TO_BE ((guint32) len);
  g_byte_array_append (buffer, (const guint8 *) &be, sizeof be);
  if (len > 0)
    g_byte_array_append (buffer, data, (guint) len);
  return TRUE;
}

static gboolean
hmac_sha256 (const guint8 *key,
             gsize         key_len,
             GByteArray   *message,
             guint8        mac[HP_AUDIT_MAC_SIZE])
{
  size_t out_len = 0;

  if (key == NULL || key_len == 0)
    return FALSE;
  if (EVP_Q_mac (NULL, "HMAC", NULL, "SHA256", NULL, key, key_len,
                 message->data, message->len, mac, HP_AUDIT_MAC_SIZE, &out_len) == NULL)
    return FALSE;
  return out_len == HP_AUDIT_MAC_SIZE;
}

gboolean
hp_audit_row_compute_mac (const guint8     *key,
                          gsize             key_len,
                          const guint8     *prev_mac,
                          const HpAuditRow *row,
                          guint8            mac[HP_AUDIT_MAC_SIZE])
{
  g_autoptr(GByteArray) message = NULL;

  if (prev_mac == NULL || row == NULL)
    return FALSE;
  /* GByteArray sizes are guint. */
  if (row->actor_len > G_MAXUINT / 4 || row->action_len > G_MAXUINT / 4
      || row->detail_len > G_MAXUINT / 4)
    return FALSE;

  message = g_byte_array_sized_new ((guint) (sizeof row_tag + HP_AUDIT_MAC_SIZE + 16 + 12
                                             + row->actor_len + row->action_len
                                             + row->detail_len));
  g_byte_array_append (message, (const guint8 *) row_tag, sizeof row_tag);
  g_byte_array_append (message, prev_mac, HP_AUDIT_MAC_SIZE);
  put_u64 (message, (guint64) row->seq);
  put_u64 (message, (guint64) row->time);
  if (!put_field (message, row->actor, row->actor_len)
      || !put_field (message, row->action, row->action_len)
      || !put_field (message, row->detail, row->detail_len))
    return FALSE;
  return hmac_sha256 (key, key_len, message, mac);
}

gboolean
hp_audit_row_check (const guint8     *key,
                    gsize             key_len,
                    const guint8     *chain_mac,
                    const HpAuditRow *row)
{
  guint8 expected[HP_AUDIT_MAC_SIZE];
  gboolean good;

  if (row == NULL || chain_mac == NULL || row->seq < 1)
    return FALSE;
  if (row->prev_mac == NULL || row->prev_mac_len != HP_AUDIT_MAC_SIZE
      || row->mac == NULL || row->mac_len != HP_AUDIT_MAC_SIZE)
    return FALSE;
  if (CRYPTO_memcmp (row->prev_mac, chain_mac, HP_AUDIT_MAC_SIZE) != 0)
    return FALSE;
  /* The MAC covers whatever bytes are there; the field rules are checked
   * too so that a forged row cannot smuggle text the writer would refuse. */
  if (!hp_audit_actor_is_valid ((const char *) row->actor, row->actor_len)
      || !hp_audit_action_is_valid ((const char *) row->action, row->action_len)
      || !hp_audit_detail_is_valid ((const char *) row->detail, row->detail_len))
    return FALSE;
  if (!hp_audit_row_compute_mac (key, key_len, chain_mac, row, expected))
    return FALSE;
  good = CRYPTO_memcmp (expected, row->mac, HP_AUDIT_MAC_SIZE) == 0;
  hp_secret_wipe (expected, sizeof expected);
  return good;
}

gboolean
hp_audit_head_compute_mac (const guint8 *key,
                           gsize         key_len,
                           gint64        seq,
                           const guint8 *mac,
                           guint8        head_mac[HP_AUDIT_MAC_SIZE])
{
  g_autoptr(GByteArray) message = g_byte_array_sized_new (sizeof head_tag + 8 + HP_AUDIT_MAC_SIZE);

  g_byte_array_append (message, (const guint8 *) head_tag, sizeof head_tag);
  put_u64 (message, (guint64) seq);
  g_byte_array_append (message, mac, HP_AUDIT_MAC_SIZE);
  return hmac_sha256 (key, key_len, message, head_mac);
}

/* ---- the anchor file's text -------------------------------------------- */

#define ANCHOR_FIRST_LINE "Healthpost audit head 1\n"

static void
put_hex (GString      *text,
         const guint8 *bytes)
{
  for (gsize i = 0; i < HP_AUDIT_MAC_SIZE; i++)
    g_string_append_printf (text, "%02x", bytes[i]);
}

char *
hp_audit_anchor_format (gint64        seq,
                        const guint8 *mac,
                        const guint8 *seal)
{
  GString *text = g_string_new (ANCHOR_FIRST_LINE);

  g_return_val_if_fail (seq >= 0 && mac != NULL && seal != NULL, NULL);

  g_string_append_printf (text, "seq=%" G_GINT64_FORMAT "\nmac=", seq);
  put_hex (text, mac);
  g_string_append (text, "\nseal=");
  put_hex (text, seal);
  g_string_append_c (text, '\n');
  return g_string_free (text, FALSE);
}

/* Consumes @prefix at *@at, or fails. */
static gboolean
take (const char  *data,
      gsize        len,
      gsize       *at,
      const char  *prefix)
{
  gsize n = strlen (prefix);

  if (len - *at < n || memcmp (data + *at, prefix, n) != 0)
    return FALSE;
  *at += n;
  return TRUE;
}

/* Lower-case hex only: one spelling for each anchor. */
static int
hex_value (char c)
{
  return g_ascii_isupper (c) ? -1 : g_ascii_xdigit_value (c);
}

static gboolean
take_hex (const char *data,
          gsize       len,
          gsize      *at,
          guint8     *out)
{
  if (len - *at < 2 * HP_AUDIT_MAC_SIZE + 1)
    return FALSE;
  for (gsize i = 0; i < HP_AUDIT_MAC_SIZE; i++)
    {
      int high = hex_value (data[*at + 2 * i]);
      int low = hex_value (data[*at + 2 * i + 1]);

      if (high < 0 || low < 0)
        return FALSE;
      out[i] = (guint8) (high << 4 | low);
    }
  *at += 2 * HP_AUDIT_MAC_SIZE;
  return data[(*at)++] == '\n';
}

gboolean
hp_audit_anchor_parse (const char *data,
                       gsize       len,
                       gint64     *seq,
                       guint8      mac[HP_AUDIT_MAC_SIZE],
                       guint8      seal[HP_AUDIT_MAC_SIZE])
{
  guint64 value = 0;
  gsize digits = 0;
  gsize at = 0;

  if (data == NULL || len > HP_AUDIT_ANCHOR_MAX_SIZE
      || !take (data, len, &at, ANCHOR_FIRST_LINE) || !take (data, len, &at, "seq="))
    return FALSE;
  /* A decimal number without a sign or leading zero, up to G_MAXINT64. */
  while (at < len && g_ascii_isdigit (data[at]))
    {
      guint digit = (guint) (data[at] - '0');

      if ((digits == 1 && value == 0) || value > ((guint64) G_MAXINT64 - digit) / 10)
        return FALSE;
      value = value * 10 + digit;
      digits++;
      at++;
    }
  if (digits == 0 || !take (data, len, &at, "\nmac=") || !take_hex (data, len, &at, mac)
      || !take (data, len, &at, "seal=") || !take_hex (data, len, &at, seal) || at != len)
    return FALSE;
  *seq = (gint64) value;
  return TRUE;
}
