/* A printer for demos on a loopback port: a private cupsd whose one queue keeps what it prints in a folder. */
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include "hp-cups-server.h"

static gboolean
on_stop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* Moves every document the queue received into @folder, printing each
 * new path. */
static guint
keep_documents (HpCupsServer *server,
                const char   *folder)
{
  g_autoptr(GDir) dir = g_dir_open (hp_cups_server_get_output_dir (server), 0, NULL);
  const char *name;
  guint kept = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *from = NULL;
      g_autofree char *to = NULL;

      if (!g_str_has_suffix (name, ".pdf"))
        continue;
      from = g_build_filename (hp_cups_server_get_output_dir (server), name, NULL);
      to = g_build_filename (folder, name, NULL);
      if (g_rename (from, to) == 0)
        {
          g_print ("printed: %s\n", to);
          kept++;
        }
      else
        g_printerr ("hp-demo-printer: cannot keep %s in %s\n", name, folder);
    }
  return kept;
}

/* Usage: hp-demo-printer FOLDER. Prints the queue's URI on the first line
 * of its output, then serves until SIGTERM or SIGINT; what was printed is
 * left in FOLDER as job-ID.pdf. */
int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpCupsServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;

  if (argc != 2)
    {
      g_printerr ("usage: hp-demo-printer FOLDER\n");
      return 2;
    }
  if (g_mkdir_with_parents (argv[1], 0755) != 0)
    {
      g_printerr ("hp-demo-printer: cannot create %s\n", argv[1]);
      return 1;
    }
  server = hp_cups_server_start (&error);
  if (server == NULL)
    {
      g_printerr ("hp-demo-printer: %s\n", error->message);
      return 1;
    }
  g_print ("%s\n", hp_cups_server_get_queue_uri (server));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, on_stop, loop);
  g_unix_signal_add (SIGINT, on_stop, loop);
  g_main_loop_run (loop);

  keep_documents (server, argv[1]);
  return 0;
}
