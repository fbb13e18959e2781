/* libFuzzer target: audit rows as a tampered file could hold them, against the row checks and MACs. */
#include <stdint.h>
#include <string.h>

#include "hp-audit-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static const guint8 key[32] = {
  0x6b, 0x21, 0x9f, 0x04, 0xd3, 0x5a, 0x7e, 0xc1, 0x38, 0x8d, 0x12, 0xf6, 0x4b, 0xa0, 0x57, 0xe9,
  0x2c, 0x93, 0x0a, 0x7f, 0xb5, 0x46, 0xd8, 0x31, 0xee, 0x65, 0x1b, 0xc4, 0x89, 0x50, 0xfa, 0x17,
};

/* Takes a field from the input: one length byte, then that many bytes or
 * whatever is left. The split is the harness's own, not a format. */
static const guint8 *
take (const uint8_t **data,
      size_t         *size,
      gsize          *len)
{
  const guint8 *field;
  gsize want;

  if (*size == 0)
    {
      *len = 0;
      return NULL;
    }
  want = (*data)[0];
  (*data)++;
  (*size)--;
  *len = MIN (want, *size);
  field = *data;
  *data += *len;
  *size -= *len;
  return field;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  HpAuditRow row = { 0 };
  guint8 chain[HP_AUDIT_MAC_SIZE] = { 0 };
  guint8 mac[HP_AUDIT_MAC_SIZE];
  guint8 again[HP_AUDIT_MAC_SIZE];
  gboolean fields_valid;

  if (size < 16)
    return 0;
  memcpy (&row.seq, data, 8);
  memcpy (&row.time, data + 8, 8);
  data += 16;
  size -= 16;
  row.actor = take (&data, &size, &row.actor_len);
  row.action = take (&data, &size, &row.action_len);
  row.detail = take (&data, &size, &row.detail_len);
  row.prev_mac = take (&data, &size, &row.prev_mac_len);
  row.mac = take (&data, &size, &row.mac_len);
  if (row.prev_mac != NULL && row.prev_mac_len == HP_AUDIT_MAC_SIZE)
    memcpy (chain, row.prev_mac, HP_AUDIT_MAC_SIZE);

  /* Whatever the bytes, checking them is safe... */
  (void) hp_audit_row_check (key, sizeof key, chain, &row);

  fields_valid = hp_audit_actor_is_valid ((const char *) row.actor, row.actor_len)
                 && hp_audit_action_is_valid ((const char *) row.action, row.action_len)
                 && hp_audit_detail_is_valid ((const char *) row.detail, row.detail_len);
  if (!hp_audit_row_compute_mac (key, sizeof key, chain, &row, mac))
    return 0;
  if (!hp_audit_row_compute_mac (key, sizeof key, chain, &row, again)
      || memcmp (mac, again, sizeof mac) != 0)
    __builtin_trap ();

  /* ...a row sealed with its own MAC passes exactly when its fields are
   * valid and its seq is... */
  row.prev_mac = chain;
  row.prev_mac_len = sizeof chain;
  row.mac = mac;
  row.mac_len = sizeof mac;
  if (hp_audit_row_check (key, sizeof key, chain, &row) != (fields_valid && row.seq >= 1))
    __builtin_trap ();

  /* ...and fails once any field or the seq changes. */
  if (fields_valid && row.seq >= 1)
    {
      HpAuditRow changed = row;
      gint64 later = row.seq == G_MAXINT64 ? row.seq - 1 : row.seq + 1;

      changed.seq = later;
      if (hp_audit_row_check (key, sizeof key, chain, &changed))
        __builtin_trap ();
      changed = row;
      changed.time = (gint64) ((guint64) row.time ^ 1);
      if (hp_audit_row_check (key, sizeof key, chain, &changed))
        __builtin_trap ();
      if (row.detail_len > 0)
        {
          changed = row;
          changed.detail_len--;
          if (hp_audit_row_check (key, sizeof key, chain, &changed))
            __builtin_trap ();
        }
      chain[0] ^= 0x80;
      if (hp_audit_row_check (key, sizeof key, chain, &row))
        __builtin_trap ();
    }
  return 0;
}
