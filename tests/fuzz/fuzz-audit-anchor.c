/* libFuzzer target: the audit log's anchor file as a tampered disk could hold it, parsed and written back. */
#include <stdint.h>
#include <string.h>

#include "hp-audit-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  guint8 mac[HP_AUDIT_MAC_SIZE];
  guint8 seal[HP_AUDIT_MAC_SIZE];
  g_autofree char *text = NULL;
  gint64 seq = -1;

  if (!hp_audit_anchor_parse ((const char *) data, size, &seq, mac, seal))
    return 0;
  /* Only one spelling is accepted, so what parses is written back byte
   * for byte, and never names a negative entry. */
  if (seq < 0)
    __builtin_trap ();
  text = hp_audit_anchor_format (seq, mac, seal);
  if (strlen (text) != size || memcmp (text, data, size) != 0)
    __builtin_trap ();
  return 0;
}
