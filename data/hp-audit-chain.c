/* The audit chain below HpAuditLog: its head row, its first keyed entry, and the copy of its head kept outside the database. */
#include "hp-audit-chain.h"
#include "hp-audit-private.h"
#include "hp-keyring.h"
#include "hp-secret.h"
#include "hp-sync-folder.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <openssl/crypto.h>

/* The audit log's error domain lives with the chain, the lowest of its files. */
G_DEFINE_QUARK (hp-audit-error-quark, hp_audit_error)

#define ANCHOR_SUFFIX ".audit-head"
#define KEY_SIZE 32

static const guint8 zero_mac[HP_AUDIT_MAC_SIZE] = { 0 };

typedef sqlite3_stmt HpChainStatement;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HpChainStatement, sqlite3_finalize)

/* sqlite3_errstr(), never sqlite3_errmsg(): the latter can quote values. */
static gboolean
sql_failed (sqlite3      *db,
            const char   *path,
            HpAuditError  code,
            GError      **error)
{
  g_set_error (error, HP_AUDIT_ERROR, code, "Cannot %s the audit log in %s (%s)",
               code == HP_AUDIT_ERROR_WRITE ? "write" : "read", path,
               sqlite3_errstr (sqlite3_extended_errcode (db)));
  return FALSE;
}

static gboolean
blob_is_mac (sqlite3_stmt *stmt,
             int           column)
{
  return sqlite3_column_type (stmt, column) == SQLITE_BLOB
         && sqlite3_column_bytes (stmt, column) == HP_AUDIT_MAC_SIZE;
}

static gboolean
seal_head (const guint8 *key,
           gsize         key_len,
           HpAuditHead  *head,
           GError      **error)
{
  if (hp_audit_head_compute_mac (key, key_len, head->seq, head->mac, head->seal))
    return TRUE;
  g_set_error_literal (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_WRITE,
                       "Cannot compute an HMAC for the audit log");
  return FALSE;
}

/* Whether @head's seal is right for @key, in constant time. */
static gboolean
check_seal (const guint8      *key,
            gsize              key_len,
            const HpAuditHead *head,
            gboolean          *good,
            GError           **error)
{
  guint8 expected[HP_AUDIT_MAC_SIZE];

  if (!hp_audit_head_compute_mac (key, key_len, head->seq, head->mac, expected))
    {
      g_set_error_literal (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_READ,
                           "Cannot compute an HMAC for the audit log");
      return FALSE;
    }
  *good = CRYPTO_memcmp (expected, head->seal, HP_AUDIT_MAC_SIZE) == 0;
  return TRUE;
}

gboolean
hp_audit_chain_read_head (sqlite3      *db,
                          const char   *path,
                          const guint8 *key,
                          gsize         key_len,
                          HpAuditHead  *head,
                          GError      **error)
{
  g_autoptr(HpChainStatement) stmt = NULL;
  int rc;

  memset (head, 0, sizeof *head);
  if (sqlite3_prepare_v2 (db, "SELECT seq, mac, head_mac FROM audit_head WHERE id = 1",
                          -1, &stmt, NULL) != SQLITE_OK)
    return sql_failed (db, path, HP_AUDIT_ERROR_READ, error);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return sql_failed (db, path, HP_AUDIT_ERROR_READ, error);
  if (rc == SQLITE_DONE || sqlite3_column_type (stmt, 0) != SQLITE_INTEGER
      || sqlite3_column_int64 (stmt, 0) < 0 || !blob_is_mac (stmt, 1))
    {
      g_set_error (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_TAMPERED,
                   "The record of the audit log's newest entry is missing or damaged");
      return FALSE;
    }

  head->seq = sqlite3_column_int64 (stmt, 0);
  memcpy (head->mac, sqlite3_column_blob (stmt, 1), HP_AUDIT_MAC_SIZE);
  if (head->seq == 0)
    {
      /* The empty log as schema step 4 made it; from schema step 8 on the
       * caller refuses it whatever it holds. */
      head->sealed = sqlite3_column_type (stmt, 2) == SQLITE_NULL
                     && CRYPTO_memcmp (head->mac, zero_mac, HP_AUDIT_MAC_SIZE) == 0;
      return TRUE;
    }
  if (!blob_is_mac (stmt, 2))
    return TRUE;
  memcpy (head->seal, sqlite3_column_blob (stmt, 2), HP_AUDIT_MAC_SIZE);
  return check_seal (key, key_len, head, &head->sealed, error);
}

gboolean
hp_audit_chain_extend (sqlite3           *db,
                       const char        *path,
                       const guint8      *key,
                       gsize              key_len,
                       const HpAuditHead *head,
                       gint64             time,
                       const char        *actor,
                       const char        *action,
                       const char        *detail,
                       HpAuditHead       *new_head,
                       GError           **error)
{
  g_autoptr(HpChainStatement) insert = NULL;
  g_autoptr(HpChainStatement) update = NULL;
  HpAuditRow row = { 0 };

  if (head->seq == G_MAXINT64)
    {
      g_set_error_literal (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_WRITE, "The audit log is full");
      return FALSE;
    }
  memset (new_head, 0, sizeof *new_head);
  row.seq = head->seq + 1;
  row.time = time;
  row.actor = (const guint8 *) actor;
  row.actor_len = strlen (actor);
  row.action = (const guint8 *) action;
  row.action_len = strlen (action);
  row.detail = (const guint8 *) detail;
  row.detail_len = strlen (detail);
  new_head->seq = row.seq;
  if (!hp_audit_row_compute_mac (key, key_len, head->mac, &row, new_head->mac)
      || !seal_head (key, key_len, new_head, NULL))
    {
      g_set_error_literal (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_WRITE,
                           "Cannot compute an HMAC for the audit log");
      return FALSE;
    }
  new_head->sealed = TRUE;

  if (sqlite3_prepare_v2 (db, "INSERT INTO audit_log (seq, at, actor, action, detail, prev_mac, mac) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", -1, &insert, NULL) != SQLITE_OK)
    return sql_failed (db, path, HP_AUDIT_ERROR_WRITE, error);
  sqlite3_bind_int64 (insert, 1, row.seq);
  sqlite3_bind_int64 (insert, 2, row.time);
  sqlite3_bind_text (insert, 3, actor, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 4, action, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 5, detail, -1, SQLITE_STATIC);
  sqlite3_bind_blob (insert, 6, head->mac, HP_AUDIT_MAC_SIZE, SQLITE_STATIC);
  sqlite3_bind_blob (insert, 7, new_head->mac, HP_AUDIT_MAC_SIZE, SQLITE_STATIC);
  if (sqlite3_step (insert) != SQLITE_DONE)
    return sql_failed (db, path, HP_AUDIT_ERROR_WRITE, error);

  if (sqlite3_prepare_v2 (db, "UPDATE audit_head SET seq = ?1, mac = ?2, head_mac = ?3 WHERE id = 1",
                          -1, &update, NULL) != SQLITE_OK)
    return sql_failed (db, path, HP_AUDIT_ERROR_WRITE, error);
  sqlite3_bind_int64 (update, 1, new_head->seq);
  sqlite3_bind_blob (update, 2, new_head->mac, HP_AUDIT_MAC_SIZE, SQLITE_STATIC);
  sqlite3_bind_blob (update, 3, new_head->seal, HP_AUDIT_MAC_SIZE, SQLITE_STATIC);
  if (sqlite3_step (update) != SQLITE_DONE || sqlite3_changes (db) != 1)
    return sql_failed (db, path, HP_AUDIT_ERROR_WRITE, error);
  return TRUE;
}

/* Whether the newest row is the one @head names. */
static gboolean
tail_matches (sqlite3           *db,
              const char        *path,
              const HpAuditHead *head,
              gboolean          *matches,
              GError           **error)
{
  g_autoptr(HpChainStatement) stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, "SELECT seq, mac FROM audit_log ORDER BY seq DESC LIMIT 1",
                          -1, &stmt, NULL) != SQLITE_OK)
    return sql_failed (db, path, HP_AUDIT_ERROR_READ, error);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    *matches = head->seq == 0;
  else if (rc == SQLITE_ROW)
    *matches = sqlite3_column_int64 (stmt, 0) == head->seq && blob_is_mac (stmt, 1)
               && CRYPTO_memcmp (sqlite3_column_blob (stmt, 1), head->mac, HP_AUDIT_MAC_SIZE) == 0;
  else
    return sql_failed (db, path, HP_AUDIT_ERROR_READ, error);
  return TRUE;
}

gboolean
hp_audit_chain_start (sqlite3      *db,
                      const char   *path,
                      HpKeyring    *keyring,
                      gint64        now,
                      GError      **error)
{
  g_autoptr(GError) anchor_error = NULL;
  HpAuditHead head;
  HpAuditHead new_head;
  HpAuditHead anchor;
  guint8 key[KEY_SIZE];
  gboolean matches = FALSE;
  gboolean started;

  if (!hp_keyring_derive (keyring, HP_KEYRING_PURPOSE_AUDIT_HMAC, key, sizeof key, error))
    return FALSE;
  started = hp_audit_chain_read_head (db, path, key, sizeof key, &head, error)
            && tail_matches (db, path, &head, &matches, error);
  if (started && head.sealed && matches)
    started = hp_audit_chain_extend (db, path, key, sizeof key, &head, now,
                                     HP_AUDIT_ACTOR_SYSTEM, HP_AUDIT_ACTION_START, "",
                                     &new_head, error);
  else if (started)
    {
      /* A broken log is not sealed over; it stays for verify to name. */
      hp_secret_wipe (key, sizeof key);
      return TRUE;
    }
  if (started)
    {
      /* Written before the step commits, so there is never a committed
       * step without its anchor; if the step is rolled back and run again,
       * its new entry takes the same place. An anchor ahead of the new
       * head is evidence of a cut, and stays. */
      if (hp_audit_anchor_read (path, key, sizeof key, &anchor, &anchor_error)
          && anchor.seq > new_head.seq)
        g_message ("The audit log's anchor is ahead of its database; left for audit verify");
      else
        started = hp_audit_anchor_write (path, &new_head, error);
    }
  hp_secret_wipe (key, sizeof key);
  return started;
}

/* ---- the anchor --------------------------------------------------------- */

static HpAuditJournalFunc journal_func;
static gpointer journal_data;

void
hp_audit_anchor_set_journal_func (HpAuditJournalFunc func,
                                  gpointer           user_data)
{
  journal_func = func;
  journal_data = func != NULL ? user_data : NULL;
}

/* Straight to journald, whatever stderr is: a remote journal or Forward
 * Secure Sealing keeps a head past any rollback of this disk. Without a
 * journal, the file is the only anchor. */
static void
send_to_journal (gint64        seq,
                 const guint8 *mac)
{
  g_autofree char *seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, seq);
  g_autofree char *mac_hex = NULL;
  g_autofree char *message = NULL;
  GString *hex = g_string_sized_new (2 * HP_AUDIT_MAC_SIZE);
  const GLogField fields[] = {
    { "MESSAGE", NULL, -1 },
    { "PRIORITY", "6", -1 },
    { "SYSLOG_IDENTIFIER", "healthpost", -1 },
    { "HEALTHPOST_AUDIT_SEQ", seq_text, -1 },
    { "HEALTHPOST_AUDIT_MAC", NULL, -1 },
  };
  GLogField sent[G_N_ELEMENTS (fields)];

  for (gsize i = 0; i < HP_AUDIT_MAC_SIZE; i++)
    g_string_append_printf (hex, "%02x", mac[i]);
  mac_hex = g_string_free (hex, FALSE);
  message = g_strdup_printf ("audit log head: entry %s", seq_text);
  memcpy (sent, fields, sizeof fields);
  sent[0].value = message;
  sent[4].value = mac_hex;
  g_log_writer_journald (G_LOG_LEVEL_INFO, sent, G_N_ELEMENTS (sent), NULL);
}

char *
hp_audit_anchor_path (const char *database_path)
{
  return g_strconcat (database_path, ANCHOR_SUFFIX, NULL);
}

gboolean
hp_audit_anchor_read (const char   *database_path,
                      const guint8 *key,
                      gsize         key_len,
                      HpAuditHead  *anchor,
                      GError      **error)
{
  g_autofree char *path = hp_audit_anchor_path (database_path);
  char data[HP_AUDIT_ANCHOR_MAX_SIZE + 1];
  struct stat info;
  gssize got;
  int fd;
  int saved_errno;

  memset (anchor, 0, sizeof *anchor);
  fd = g_open (path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Cannot read the audit log's anchor %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  if (fstat (fd, &info) != 0 || !S_ISREG (info.st_mode))
    {
      g_close (fd, NULL);
      g_set_error (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_TAMPERED,
                   "The audit log's anchor %s is not a regular file", path);
      return FALSE;
    }
  do
    got = read (fd, data, sizeof data);
  while (got < 0 && errno == EINTR);
  saved_errno = errno;
  g_close (fd, NULL);
  if (got < 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Cannot read the audit log's anchor %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  if (!hp_audit_anchor_parse (data, (gsize) got, &anchor->seq, anchor->mac, anchor->seal)
      || !check_seal (key, key_len, anchor, &anchor->sealed, error))
    {
      if (error != NULL && *error != NULL)
        return FALSE;
      g_set_error (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_TAMPERED,
                   "The audit log's anchor %s is malformed", path);
      return FALSE;
    }
  if (!anchor->sealed)
    {
      g_set_error (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_TAMPERED,
                   "The audit log's anchor %s was not written with this kiosk's key", path);
      return FALSE;
    }
  return TRUE;
}

gboolean
hp_audit_anchor_write (const char        *database_path,
                       const HpAuditHead *head,
                       GError           **error)
{
  g_autofree char *path = hp_audit_anchor_path (database_path);
  g_autofree char *text = hp_audit_anchor_format (head->seq, head->mac, head->seal);
  g_autoptr(GError) local_error = NULL;

  if (!g_file_set_contents_full (path, text, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error)
      || !hp_sync_folder (path, &local_error))
    {
      g_set_error (error, HP_AUDIT_ERROR, HP_AUDIT_ERROR_WRITE,
                   "Cannot anchor the audit log's head: %s", local_error->message);
      return FALSE;
    }
  if (journal_func != NULL)
    journal_func (head->seq, head->mac, journal_data);
  else
    send_to_journal (head->seq, head->mac);
  return TRUE;
}
