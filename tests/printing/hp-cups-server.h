/* A private cupsd on a loopback port for printing tests: one queue whose backend keeps each document, and can be made to fail. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The queue every server has. */
#define HP_CUPS_SERVER_QUEUE "healthpost-test"

typedef struct _HpCupsServer HpCupsServer;

/* The path of cupsd this build found, or %NULL: tests then skip. */
const char   *hp_cups_server_cupsd_path       (void);

/* Starts cupsd in a fresh temporary folder on a free 127.0.0.1 port, and
 * adds the queue. Its backend copies each job's document into the folder
 * and, while a fault is set, reports it and waits, as a printer with no
 * paper does until someone fills it. */
HpCupsServer *hp_cups_server_start            (GError       **error);
/* Stops cupsd and removes its folder with everything in it. */
void          hp_cups_server_free             (HpCupsServer  *server);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HpCupsServer, hp_cups_server_free)

guint16       hp_cups_server_get_port         (HpCupsServer  *server);
/* ipp://127.0.0.1:PORT/printers/healthpost-test */
const char   *hp_cups_server_get_queue_uri    (HpCupsServer  *server);

/* Kills cupsd at once (SIGKILL), as a printer that is switched off. */
void          hp_cups_server_kill             (HpCupsServer  *server);
/* Starts it again on the same port, with the queue. */
gboolean      hp_cups_server_restart          (HpCupsServer  *server,
                                               GError       **error);

/* IPP Pause-Printer / Resume-Printer and CUPS-Reject-Jobs / CUPS-Accept-Jobs. */
gboolean      hp_cups_server_set_paused       (HpCupsServer  *server,
                                               gboolean       paused,
                                               GError       **error);
gboolean      hp_cups_server_set_accepting    (HpCupsServer  *server,
                                               gboolean       accepting,
                                               GError       **error);
/* What the backend reports while it holds a job back: a
 * printer-state-reasons keyword such as "media-empty-error"; %NULL for
 * none (the job then prints). */
void          hp_cups_server_set_fault        (HpCupsServer  *server,
                                               const char    *reason);

/* The job's IPP job-state (3 pending ... 9 completed), or 0 when it
 * cannot be read. */
int           hp_cups_server_get_job_state    (HpCupsServer  *server,
                                               int            job_id);
/* The document the backend kept for job @job_id, removed from the folder;
 * %NULL when there is none. */
GBytes       *hp_cups_server_take_document    (HpCupsServer  *server,
                                               int            job_id);
/* The folder where the backend keeps each job's document as job-ID.pdf. */
const char   *hp_cups_server_get_output_dir   (HpCupsServer  *server);
/* How many documents lie in the folder. */
guint         hp_cups_server_count_documents  (HpCupsServer  *server);

/* A one-page PDF drawn with cairo, saying @text. */
GBytes       *hp_cups_test_pdf                (const char    *text);

G_END_DECLS
