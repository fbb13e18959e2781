/* A private cupsd on a loopback port for printing tests: one queue whose backend keeps each document, and can be made to fail. */
#include "hp-cups-server.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <cups/cups.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "hp-test-util.h"

#define START_TIMEOUT_S 15
#define STOP_TIMEOUT_S 10

/* The backend: lists itself when asked, clears what it may have reported
 * for an earlier job, holds the job while a fault file lies in its folder
 * (reporting the reason it holds, as a printer's own backend would), then
 * keeps the document as job-ID.pdf. It is mode 0700,
 * so cupsd runs it as the user cupsd runs as. */
static const char backend_script[] =
  "#!/bin/sh\n"
  "if [ $# -eq 0 ]; then echo 'direct hptest \"Unknown\" \"Healthpost test printer\"'; exit 0; fi\n"
  "dir=${DEVICE_URI#hptest:}\n"
  "echo 'STATE: -media-empty-error,door-open-error,media-jam-error' >&2\n"
  "reported=\n"
  "while [ -f \"$dir/fault\" ]; do\n"
  "  reason=$(cat \"$dir/fault\")\n"
  "  if [ \"$reason\" != \"$reported\" ]; then\n"
  "    [ -n \"$reported\" ] && echo \"STATE: -$reported\" >&2\n"
  "    echo \"STATE: +$reason\" >&2\n"
  "    reported=$reason\n"
  "  fi\n"
  "  sleep 0.05\n"
  "done\n"
  "[ -n \"$reported\" ] && echo \"STATE: -$reported\" >&2\n"
  "if [ $# -ge 6 ]; then cat \"$6\" > \"$dir/job-$1.part\"; else cat > \"$dir/job-$1.part\"; fi\n"
  "mv \"$dir/job-$1.part\" \"$dir/job-$1.pdf\"\n"
  "exit 0\n";

struct _HpCupsServer
{
  char *dir;
  char *out_dir;
  char *cupsd_conf;
  char *files_conf;
  guint16 port;
  char *queue_uri;
  GSubprocess *cupsd;
};

const char *
hp_cups_server_cupsd_path (void)
{
  static const char * const candidates[] = { HP_TEST_CUPSD, "/usr/sbin/cupsd" };

  for (gsize i = 0; i < G_N_ELEMENTS (candidates); i++)
    if (*candidates[i] != '\0' && g_file_test (candidates[i], G_FILE_TEST_IS_EXECUTABLE))
      return candidates[i];
  return NULL;
}

/* cupsd runs filters and backends through its own cups-exec, found in
 * ServerBin; ours holds the test backend and a link to the real one. */
static const char *
system_cups_exec_dir (void)
{
  static const char * const candidates[] = { "/usr/lib/cups/daemon", "/usr/libexec/cups/daemon" };

  for (gsize i = 0; i < G_N_ELEMENTS (candidates); i++)
    if (g_file_test (candidates[i], G_FILE_TEST_IS_DIR))
      return candidates[i];
  return candidates[0];
}

static gboolean
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  gboolean removed_all = TRUE;
  const char *name;

  if (g_file_test (path, G_FILE_TEST_IS_SYMLINK) || !g_file_test (path, G_FILE_TEST_IS_DIR))
    return g_remove (path) == 0 || errno == ENOENT;
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (!remove_tree (child))
        removed_all = FALSE;
    }
  if (g_rmdir (path) != 0)
    removed_all = FALSE;
  return removed_all;
}

static gboolean
make_dirs (HpCupsServer  *server,
           GError       **error)
{
  static const struct {
    const char *name;
    int mode;
  } dirs[] = {
    { "root", 0755 }, { "spool", 0755 }, { "spool/tmp", 01777 }, { "cache", 0755 },
    { "state", 0755 }, { "log", 0755 }, { "bin", 0755 }, { "bin/backend", 0755 }, { "out", 0777 },
  };
  g_autofree char *backend = g_build_filename (server->dir, "bin", "backend", "hptest", NULL);
  g_autofree char *exec_link = g_build_filename (server->dir, "bin", "daemon", NULL);

  /* cupsd's helpers run as another user, who must reach the folders. */
  if (g_chmod (server->dir, 0755) != 0)
    goto failed;
  for (gsize i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (server->dir, dirs[i].name, NULL);

      if (g_mkdir (path, 0700) != 0 || g_chmod (path, dirs[i].mode) != 0)
        goto failed;
    }
  if (symlink (system_cups_exec_dir (), exec_link) != 0)
    goto failed;
  if (!g_file_set_contents (backend, backend_script, -1, error))
    return FALSE;
  if (g_chmod (backend, 0700) != 0)
    goto failed;
  return TRUE;

failed:
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
               "cannot lay out the cupsd folder: %s", g_strerror (errno));
  return FALSE;
}

static gboolean
write_config (HpCupsServer  *server,
              GError       **error)
{
  g_autofree char *cupsd_conf = g_strdup_printf (
    "Listen 127.0.0.1:%u\n"
    "Browsing No\n"
    "BrowseLocalProtocols none\n"
    "DefaultAuthType None\n"
    "WebInterface No\n"
    "LogLevel info\n"
    "DirtyCleanInterval 0\n"
    "PreserveJobHistory Yes\n"
    "<Location />\n  Order deny,allow\n</Location>\n"
    "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n",
    server->port);
  g_autofree char *files_conf = NULL;
  g_autoptr(GString) files = g_string_new (NULL);
  static const char * const folders[][2] = {
    { "ServerRoot", "root" }, { "ServerBin", "bin" }, { "RequestRoot", "spool" },
    { "TempDir", "spool/tmp" }, { "CacheDir", "cache" }, { "StateDir", "state" },
    { "ErrorLog", "log/error_log" }, { "AccessLog", "log/access_log" }, { "PageLog", "log/page_log" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (folders); i++)
    g_string_append_printf (files, "%s %s/%s\n", folders[i][0], server->dir, folders[i][1]);
  /* Every directive has a value (CUPS refuses a bare one since its
   * 2.4.2-3+deb12u11 update), and the printcap cupsd writes stays in its
   * own folder. */
  g_string_append_printf (files, "FileDevice No\nPrintcap %s/state/printcap\n", server->dir);
  files_conf = g_string_free (g_steal_pointer (&files), FALSE);

  server->cupsd_conf = g_build_filename (server->dir, "root", "cupsd.conf", NULL);
  server->files_conf = g_build_filename (server->dir, "root", "cups-files.conf", NULL);
  return g_file_set_contents (server->cupsd_conf, cupsd_conf, -1, error)
         && g_file_set_contents (server->files_conf, files_conf, -1, error);
}

static http_t *
connect_admin (HpCupsServer  *server,
               GError       **error)
{
  http_t *http = httpConnect2 ("127.0.0.1", server->port, NULL, AF_INET,
                               HTTP_ENCRYPTION_NEVER, 1, 5000, NULL);

  if (http == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED,
                 "cannot reach cupsd on port %u", server->port);
  return http;
}

static gboolean
admin_request (HpCupsServer  *server,
               ipp_t         *request,
               const char    *what,
               GError       **error)
{
  http_t *http = connect_admin (server, error);
  ipp_t *response;

  if (http == NULL)
    {
      ippDelete (request);
      return FALSE;
    }
  response = cupsDoRequest (http, request, "/admin/");
  ippDelete (response);
  httpClose (http);
  if (cupsLastError () > IPP_STATUS_OK_CONFLICTING)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", what, cupsLastErrorString ());
      return FALSE;
    }
  return TRUE;
}

static ipp_t *
printer_request (HpCupsServer *server,
                 ipp_op_t      op)
{
  ipp_t *request = ippNewRequest (op);

  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, server->queue_uri);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, cupsUser ());
  return request;
}

/* What lpadmin -p QUEUE -v hptest:DIR -E does: a raw queue, enabled. */
static gboolean
add_queue (HpCupsServer  *server,
           GError       **error)
{
  ipp_t *request = printer_request (server, IPP_OP_CUPS_ADD_MODIFY_PRINTER);
  g_autofree char *device = g_strdup_printf ("hptest:%s", server->out_dir);

  ippAddString (request, IPP_TAG_PRINTER, IPP_TAG_URI, "device-uri", NULL, device);
  ippAddInteger (request, IPP_TAG_PRINTER, IPP_TAG_ENUM, "printer-state", IPP_PSTATE_IDLE);
  ippAddBoolean (request, IPP_TAG_PRINTER, "printer-is-accepting-jobs", 1);
  return admin_request (server, request, "cannot add the queue", error);
}

/* The last lines cupsd wrote to @name in its log folder. */
static char *
log_tail (HpCupsServer *server,
          const char   *name)
{
  g_autofree char *path = g_build_filename (server->dir, "log", name, NULL);
  g_autofree char *text = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &text, &length, NULL))
    return g_strdup_printf ("(no %s)", name);
  if (length == 0)
    return g_strdup_printf ("(%s is empty)", name);
  return g_strdup (length > 2000 ? text + length - 2000 : text);
}

/* A test killed by its harness never reaches its teardown: cupsd then
 * goes with it instead of living on. */
static void
die_with_parent (gpointer data G_GNUC_UNUSED)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static gboolean
spawn_cupsd (HpCupsServer  *server,
             GError       **error)
{
  gint64 deadline = g_get_monotonic_time () + START_TIMEOUT_S * G_USEC_PER_SEC;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  /* What cupsd says before its error_log is open (a configuration it
   * refuses) goes to its standard error. */
  g_autofree char *stderr_path = g_build_filename (server->dir, "log", "stderr", NULL);

  g_subprocess_launcher_set_stderr_file_path (launcher, stderr_path);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server->cupsd = g_subprocess_launcher_spawn (launcher, error, hp_cups_server_cupsd_path (), "-f",
                                               "-c", server->cupsd_conf, "-s", server->files_conf, NULL);
  if (server->cupsd == NULL)
    return FALSE;

  /* Ready when it answers on its port. */
  for (;;)
    {
      http_t *http = httpConnect2 ("127.0.0.1", server->port, NULL, AF_INET,
                                   HTTP_ENCRYPTION_NEVER, 1, 200, NULL);

      if (http != NULL)
        {
          httpClose (http);
          break;
        }
      if (g_subprocess_get_identifier (server->cupsd) == NULL || g_get_monotonic_time () > deadline)
        {
          g_autofree char *said = log_tail (server, "stderr");
          g_autofree char *log = log_tail (server, "error_log");

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "cupsd did not start on port %u.\nIts standard error:\n%s\nIts error_log:\n%s",
                       server->port, said, log);
          hp_cups_server_kill (server);
          return FALSE;
        }
      g_usleep (50 * 1000);
    }
  return add_queue (server, error);
}

HpCupsServer *
hp_cups_server_start (GError **error)
{
  g_autoptr(HpCupsServer) server = g_new0 (HpCupsServer, 1);

  if (hp_cups_server_cupsd_path () == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "cupsd is not installed");
      return NULL;
    }
  server->dir = g_dir_make_tmp ("hp-cupsd-XXXXXX", error);
  if (server->dir == NULL)
    return NULL;
  server->out_dir = g_build_filename (server->dir, "out", NULL);
  server->port = hp_test_free_loopback_port (error);
  if (server->port == 0)
    return NULL;
  server->queue_uri = g_strdup_printf ("ipp://127.0.0.1:%u/printers/" HP_CUPS_SERVER_QUEUE, server->port);
  if (!make_dirs (server, error) || !write_config (server, error) || !spawn_cupsd (server, error))
    return NULL;
  return g_steal_pointer (&server);
}

static void
wait_for_exit (GSubprocess *process)
{
  gint64 deadline = g_get_monotonic_time () + STOP_TIMEOUT_S * G_USEC_PER_SEC;

  while (g_subprocess_get_identifier (process) != NULL && g_get_monotonic_time () < deadline)
    {
      /* The identifier goes once the child is reaped, which GLib does from
       * the worker context; no main loop needed. */
      g_usleep (20 * 1000);
    }
  if (g_subprocess_get_identifier (process) != NULL)
    {
      g_subprocess_force_exit (process);
      g_subprocess_wait (process, NULL, NULL);
    }
}

void
hp_cups_server_kill (HpCupsServer *server)
{
  if (server->cupsd == NULL)
    return;
  g_subprocess_force_exit (server->cupsd);
  g_subprocess_wait (server->cupsd, NULL, NULL);
  g_clear_object (&server->cupsd);
}

gboolean
hp_cups_server_restart (HpCupsServer  *server,
                        GError       **error)
{
  hp_cups_server_kill (server);
  return spawn_cupsd (server, error);
}

void
hp_cups_server_free (HpCupsServer *server)
{
  if (server == NULL)
    return;
  if (server->cupsd != NULL)
    {
      /* SIGTERM lets cupsd stop its backends first. */
      g_subprocess_send_signal (server->cupsd, SIGTERM);
      wait_for_exit (server->cupsd);
      g_clear_object (&server->cupsd);
    }
  if (server->dir != NULL && !remove_tree (server->dir))
    g_printerr ("# could not remove all of %s\n", server->dir);
  g_free (server->dir);
  g_free (server->out_dir);
  g_free (server->cupsd_conf);
  g_free (server->files_conf);
  g_free (server->queue_uri);
  g_free (server);
}

guint16
hp_cups_server_get_port (HpCupsServer *server)
{
  return server->port;
}

const char *
hp_cups_server_get_queue_uri (HpCupsServer *server)
{
  return server->queue_uri;
}

gboolean
hp_cups_server_set_paused (HpCupsServer  *server,
                           gboolean       paused,
                           GError       **error)
{
  return admin_request (server,
                        printer_request (server, paused ? IPP_OP_PAUSE_PRINTER : IPP_OP_RESUME_PRINTER),
                        paused ? "cannot pause the queue" : "cannot resume the queue", error);
}

gboolean
hp_cups_server_set_accepting (HpCupsServer  *server,
                              gboolean       accepting,
                              GError       **error)
{
  return admin_request (server,
                        printer_request (server, accepting ? IPP_OP_CUPS_ACCEPT_JOBS : IPP_OP_CUPS_REJECT_JOBS),
                        accepting ? "cannot make the queue accept jobs" : "cannot make the queue reject jobs",
                        error);
}

void
hp_cups_server_set_fault (HpCupsServer *server,
                          const char   *reason)
{
  g_autofree char *path = g_build_filename (server->out_dir, "fault", NULL);

  if (reason == NULL)
    g_remove (path);
  else if (!g_file_set_contents (path, reason, -1, NULL))
    g_printerr ("# cannot write %s\n", path);
}

int
hp_cups_server_get_job_state (HpCupsServer *server,
                              int           job_id)
{
  ipp_t *request = printer_request (server, IPP_OP_GET_JOB_ATTRIBUTES);
  http_t *http = connect_admin (server, NULL);
  ipp_t *response;
  ipp_attribute_t *attr;
  int state = 0;

  if (http == NULL)
    {
      ippDelete (request);
      return 0;
    }
  ippAddInteger (request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id);
  response = cupsDoRequest (http, request, "/");
  attr = response != NULL ? ippFindAttribute (response, "job-state", IPP_TAG_ENUM) : NULL;
  if (attr != NULL)
    state = ippGetInteger (attr, 0);
  ippDelete (response);
  httpClose (http);
  return state;
}

GBytes *
hp_cups_server_take_document (HpCupsServer *server,
                              int           job_id)
{
  g_autofree char *name = g_strdup_printf ("job-%d.pdf", job_id);
  g_autofree char *path = g_build_filename (server->out_dir, name, NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return NULL;
  g_remove (path);
  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

const char *
hp_cups_server_get_output_dir (HpCupsServer *server)
{
  return server->out_dir;
}

guint
hp_cups_server_count_documents (HpCupsServer *server)
{
  g_autoptr(GDir) dir = g_dir_open (server->out_dir, 0, NULL);
  const char *name;
  guint count = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".pdf"))
      count++;
  return count;
}

static cairo_status_t
append_to_array (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
hp_cups_test_pdf (const char *text)
{
  GByteArray *bytes = g_byte_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append_to_array, bytes, 226.8, 300);
  cairo_t *cr = cairo_create (surface);

  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, 14);
  cairo_move_to (cr, 12, 40);
  cairo_show_text (cr, text);
  cairo_rectangle (cr, 12, 60, 200, 100);
  cairo_stroke (cr);
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (bytes);
}
