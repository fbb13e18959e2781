/* For data/ only: the audit chain's head in the database, its first keyed entry, and its anchor outside the database. */
#pragma once

#include <sqlite3.h>

#include "hp-audit.h"

G_BEGIN_DECLS

/* From this schema version on (0008-audit-start.sql) a log starts with a
 * keyed entry, is never empty, and its head is anchored outside the
 * database in hp_audit_anchor_path(). */
#define HP_AUDIT_ANCHORED_VERSION 8
#define HP_AUDIT_ACTION_START "audit.start"

/* The newest entry's sequence number and MAC, and the seal over both
 * (the head's own MAC). In the database it is the audit_head row; in the
 * anchor file, a copy written after every advance. */
typedef struct {
  gint64   seq;
  guint8   mac[HP_AUDIT_MAC_SIZE];
  guint8   seal[HP_AUDIT_MAC_SIZE];
  gboolean sealed;  /* the seal is present and right for the key */
} HpAuditHead;

/* Reads the audit_head row of @db (@path names it in messages) and checks
 * its seal with @key. FALSE when it cannot be read, or is missing or
 * malformed (HP_AUDIT_ERROR_TAMPERED); an unsealed head is TRUE with
 * head->sealed FALSE. The empty log of schema steps 4 to 7 (sequence 0, a
 * zero MAC, no seal) reads as sealed. */
gboolean hp_audit_chain_read_head (sqlite3      *db,
                                   const char   *path,
                                   const guint8 *key,
                                   gsize         key_len,
                                   HpAuditHead  *head,
                                   GError      **error);

/* Inside the caller's write transaction: appends entry @head->seq + 1 with
 * the given fields (already checked by the caller), chained onto @head,
 * and moves the head to it; @new_head receives the new head. */
gboolean hp_audit_chain_extend    (sqlite3           *db,
                                   const char        *path,
                                   const guint8      *key,
                                   gsize              key_len,
                                   const HpAuditHead *head,
                                   gint64             time,
                                   const char        *actor,
                                   const char        *action,
                                   const char        *detail,
                                   HpAuditHead       *new_head,
                                   GError           **error);

/* Schema step 8's code, inside its transaction: appends the "audit.start"
 * entry, keyed with the audit key @keyring derives, and writes the anchor
 * of the database at @path. An older log whose head does not seal its
 * newest entry gets nothing (the break stays where it is, for
 * hp_audit_verify() to name), and an anchor ahead of the new head is left
 * as it is, as evidence. */
gboolean hp_audit_chain_start     (sqlite3      *db,
                                   const char   *path,
                                   HpKeyring    *keyring,
                                   gint64        now,
                                   GError      **error);

/* "@database_path.audit-head". */
char    *hp_audit_anchor_path     (const char   *database_path);

/* The anchored head of the database at @database_path. FALSE with
 * G_FILE_ERROR_NOENT when there is none, with HP_AUDIT_ERROR_TAMPERED
 * when it is malformed or its seal is wrong for @key, with another
 * G_FILE_ERROR when it cannot be read. */
gboolean hp_audit_anchor_read     (const char   *database_path,
                                   const guint8 *key,
                                   gsize         key_len,
                                   HpAuditHead  *anchor,
                                   GError      **error);

/* Replaces the anchor with @head (a private file, synced, then renamed
 * into place and the folder synced), and sends the head to the system
 * journal. Only for a head already committed to the database. */
gboolean hp_audit_anchor_write    (const char        *database_path,
                                   const HpAuditHead *head,
                                   GError           **error);

/* Where anchored heads go besides the file: the systemd journal by
 * default. Tests replace it; %NULL puts the journal back. */
typedef void (*HpAuditJournalFunc) (gint64        seq,
                                    const guint8 *mac,
                                    gpointer      user_data);
void     hp_audit_anchor_set_journal_func (HpAuditJournalFunc func,
                                           gpointer           user_data);

G_END_DECLS
