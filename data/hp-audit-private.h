/* For the audit log's own files and its fuzz target only: one audit row as stored, and its checks. */
#pragma once

#include <glib.h>

#include "hp-audit.h"

G_BEGIN_DECLS

/* A row as read back from the file: any bytes, any lengths, since the file
 * may have been written by someone other than this program. */
typedef struct {
  gint64        seq;
  gint64        time;
  const guint8 *actor;
  gsize         actor_len;
  const guint8 *action;
  gsize         action_len;
  const guint8 *detail;
  gsize         detail_len;
  const guint8 *prev_mac;
  gsize         prev_mac_len;
  const guint8 *mac;
  gsize         mac_len;
} HpAuditRow;

gboolean hp_audit_actor_is_valid  (const char *actor,
                                   gsize       len);
gboolean hp_audit_action_is_valid (const char *action,
                                   gsize       len);
gboolean hp_audit_detail_is_valid (const char *detail,
                                   gsize       len);

/* The MAC of @row's fields chained onto @prev_mac (row->mac is not read).
 * FALSE only if the HMAC cannot be computed. */
gboolean hp_audit_row_compute_mac (const guint8     *key,
                                   gsize             key_len,
                                   const guint8     *prev_mac,
                                   const HpAuditRow *row,
                                   guint8            mac[HP_AUDIT_MAC_SIZE]);

/* The MAC sealing the log's head: entry @seq whose MAC is @mac is the newest. */
gboolean hp_audit_head_compute_mac (const guint8 *key,
                                    gsize         key_len,
                                    gint64        seq,
                                    const guint8 *mac,
                                    guint8        head_mac[HP_AUDIT_MAC_SIZE]);

/* TRUE when @row is well-formed, carries @chain_mac as its prev_mac and
 * its own MAC is right; compares in constant time. */
gboolean hp_audit_row_check       (const guint8     *key,
                                   gsize             key_len,
                                   const guint8     *chain_mac,
                                   const HpAuditRow *row);

/* The anchor file's text: a first line naming the format, then
 * "seq=N", "mac=HEX" and "seal=HEX" lines (lower-case hex), each ending in
 * a newline, and nothing else. */
#define HP_AUDIT_ANCHOR_MAX_SIZE 256
char    *hp_audit_anchor_format   (gint64        seq,
                                   const guint8 *mac,
                                   const guint8 *seal);
/* FALSE for anything but exactly that text; reads at most @len bytes. */
gboolean hp_audit_anchor_parse    (const char   *data,
                                   gsize         len,
                                   gint64       *seq,
                                   guint8        mac[HP_AUDIT_MAC_SIZE],
                                   guint8        seal[HP_AUDIT_MAC_SIZE]);

G_END_DECLS
