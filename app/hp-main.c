/* healthpost: the kiosk program. */
#include <glib/gi18n.h>
#include <locale.h>

#include "hp-application.h"
#include "hp-i18n.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(HpApplication) app = NULL;
  int status;

  hp_i18n_init ();

  app = hp_application_new (G_APPLICATION_DEFAULT_FLAGS);
  status = g_application_run (G_APPLICATION (app), argc, argv);
  if (status == 0)
    status = hp_application_get_exit_status (app);
  return status;
}
