/* The tamper-evident audit log: who did what at the kiosk, chained with HMAC-SHA256. */
#pragma once

#include <gio/gio.h>

#include "hp-store.h"

G_BEGIN_DECLS

/* Microseconds since the Unix epoch, UTC. Injected so tests never sleep. */
typedef gint64 (*HpClockFunc) (gpointer user_data);

#define HP_AUDIT_ERROR (hp_audit_error_quark ())

typedef enum {
  HP_AUDIT_ERROR_INVALID,  /* an entry the log refuses: bad actor, action or detail */
  HP_AUDIT_ERROR_READ,     /* the log cannot be read */
  HP_AUDIT_ERROR_WRITE,    /* the entry was not written; nothing of it was kept */
  HP_AUDIT_ERROR_TAMPERED, /* the chain is broken: rows were edited, removed or reordered */
} HpAuditError;

GQuark hp_audit_error_quark (void);

#define HP_AUDIT_MAC_SIZE 32
/* Shorter keys are refused: the MAC is only as strong as its key. */
#define HP_AUDIT_KEY_MIN_SIZE 16
#define HP_AUDIT_DETAIL_MAX_LENGTH 200

/* Actors that are not a staff member; a staff member is "staff:ID". */
#define HP_AUDIT_ACTOR_KIOSK  "kiosk"
#define HP_AUDIT_ACTOR_SYSTEM "system"

typedef struct {
  gint64 seq;
  gint64 time;   /* µs since the epoch, UTC */
  char  *actor;
  char  *action;
  char  *detail;
} HpAuditEntry;

void hp_audit_entry_free (HpAuditEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HpAuditEntry, hp_audit_entry_free)

#define HP_TYPE_AUDIT_LOG (hp_audit_log_get_type ())
G_DECLARE_FINAL_TYPE (HpAuditLog, hp_audit_log, HP, AUDIT_LOG, GObject)

/* The log in @store (schema 4 or later), keyed with @hmac_key, which is
 * copied and wiped again on finalize. %NULL with an error for a short key or
 * a store without the audit tables. */
HpAuditLog *hp_audit_log_new       (HpStore       *store,
                                    const guint8  *hmac_key,
                                    gsize          key_len,
                                    GError       **error);

/* Replaces the clock that stamps entries (g_get_real_time() by default). */
void        hp_audit_log_set_clock (HpAuditLog    *self,
                                    HpClockFunc    clock,
                                    gpointer       user_data);

/* "staff:ID" for a staff member, as actors are written. */
char       *hp_audit_actor_for_staff (gint64       staff_id);

/* Appends one entry. Inside a transaction the caller opened on the store's
 * connection it becomes part of that transaction (and goes if the caller
 * rolls back); otherwise it is committed on its own.
 * @actor: "kiosk", "system" or "staff:ID"; @action: a code such as
 * "staff.login" or "print" (lower-case letters, digits, '.', '-'); @detail: at most
 * HP_AUDIT_DETAIL_MAX_LENGTH printable ASCII characters, ids and counts
 * only — never a name, PIN, personal code or health value.
 * Refuses (HP_AUDIT_ERROR_TAMPERED) to extend a log whose newest entry does
 * not match its head, so a cut-off tail is never sealed over. */
gboolean    hp_audit_append        (HpAuditLog    *self,
                                    const char    *actor,
                                    const char    *action,
                                    const char    *detail,
                                    GError       **error);

/* After committing a transaction of the caller's in which entries were
 * appended: copies the committed head to the anchor outside the database
 * (hp_audit_append() does so itself for the entries it commits). Does
 * nothing inside a transaction or below schema version 8; refuses
 * (HP_AUDIT_ERROR_TAMPERED) an unsealed head or an anchor ahead of it. */
gboolean    hp_audit_log_anchor    (HpAuditLog    *self,
                                    GError       **error);

/* Whether the store's schema anchors the log (version 8 on). */
gboolean    hp_audit_log_is_anchored (HpAuditLog  *self);

/* Walks the whole chain, and from schema version 8 on compares its head
 * with the anchored copy (hp-audit-chain.h): an empty log, a missing
 * anchor, or one ahead of the database or naming another entry, is
 * tampering. On a break returns FALSE with
 * HP_AUDIT_ERROR_TAMPERED and sets @first_bad_seq to the first entry that
 * is missing, altered or out of place; on a read failure @first_bad_seq is 0. */
gboolean    hp_audit_verify        (HpAuditLog    *self,
                                    gint64        *first_bad_seq,
                                    GError       **error);

/* Number of entries, or -1 on error. */
gint64      hp_audit_count         (HpAuditLog    *self,
                                    GError       **error);

/* Entries at or after @since (µs since the epoch; 0 for all), oldest first,
 * as a GPtrArray of HpAuditEntry. Lists what is stored; only
 * hp_audit_verify() says whether it can be trusted. */
GPtrArray  *hp_audit_list          (HpAuditLog    *self,
                                    gint64         since,
                                    GError       **error);

G_END_DECLS
