/* Retention: the kiosk forgets visits once their retention period has passed. */
#pragma once

#include <gio/gio.h>

#include "hp-audit.h"
#include "hp-store.h"

G_BEGIN_DECLS

#define HP_RETENTION_ERROR (hp_retention_error_quark ())

typedef enum {
  HP_RETENTION_ERROR_INVALID,    /* a period outside HP_RETENTION_DAYS_MIN..MAX */
  HP_RETENTION_ERROR_DELETE,     /* nothing was deleted */
  HP_RETENTION_ERROR_CHECKPOINT, /* deleted, but the write-ahead log still holds old pages */
} HpRetentionError;

GQuark hp_retention_error_quark (void);

#define HP_RETENTION_DAYS_MIN     1
#define HP_RETENTION_DAYS_MAX     3650
#define HP_RETENTION_DAYS_DEFAULT 365

/* Deletes every visit (with its measurements) that finished more than
 * @retention_days days before @now (µs since the epoch, UTC), overwriting
 * the freed space, and audits "retention.run" by @actor in the same
 * transaction. Patients left with no visit, created and last recognised
 * before the same cut-off, go too ("retention.patients" in the audit log,
 * when there are any). Then checkpoints and truncates the write-ahead log
 * so no copy of the deleted rows is left in it.
 * Returns the number of visits deleted, or -1 with an error. With
 * HP_RETENTION_ERROR_CHECKPOINT the deletion itself is done (the message
 * says how many); running again once other readers are gone clears the
 * log. */
gint64 hp_retention_run (HpStore     *store,
                         HpAuditLog  *audit,
                         const char  *actor,
                         guint        retention_days,
                         gint64       now,
                         GError     **error);

G_END_DECLS
