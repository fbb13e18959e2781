/* Helper of test-crash-safety: commits visits in a loop and reports each committed id on stdout, until it is killed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crash-visit.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpStore) store = NULL;
  guint run;

  if (argc != 3)
    {
      g_printerr ("usage: %s DATABASE RUN\n", argv[0]);
      return 2;
    }
  run = (guint) g_ascii_strtoull (argv[2], NULL, 10);
  store = hp_store_open_demo (argv[1], &error);
  if (store == NULL)
    {
      g_printerr ("crash-writer: %s\n", error->message);
      return 1;
    }
  if (!hp_crash_report ("ready\n"))
    return 1;
  for (guint n = 0; ; n++)
    {
      g_autoptr(HpVisit) visit = hp_crash_visit_new (run, n);
      g_autofree char *line = NULL;

      if (!hp_store_commit_visit (store, visit, &error))
        {
          g_printerr ("crash-writer: %s\n", error->message);
          return 1;
        }
      line = g_strconcat (hp_visit_get_id (visit), "\n", NULL);
      if (!hp_crash_report (line))
        return 1;
    }
}
