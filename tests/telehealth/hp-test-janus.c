/* A real Janus for tests: the configuration Healthpost ships, in a folder of its own, on a free loopback port. */
#include "hp-test-janus.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>

#include "hp-test-util.h"

#define TOKEN_SECRET "healthpost-test-token-secret"
#define ADMIN_KEY    "healthpost-test-admin-key"
#define ROOM_SECRET  "healthpost-test-room-secret"

struct _HpTestJanus
{
  char *dir;
  char *url;
  guint16 port;
  GSubprocess *process;
};

/* Copies one shipped file, replacing each @from with its @to; a setting the
 * test expects and no longer finds fails the start, so the shipped files
 * and the tests cannot drift apart silently. */
static gboolean
copy_config (const char          *source_root,
             const char          *dir,
             const char          *name,
             const char * const  *replacements,
             GError             **error)
{
  g_autofree char *from = g_build_filename (source_root, "packaging", "janus", name, NULL);
  g_autofree char *to = g_build_filename (dir, name, NULL);
  g_autofree char *text = NULL;

  if (!g_file_get_contents (from, &text, NULL, error))
    return FALSE;
  for (gsize i = 0; replacements[i] != NULL; i += 2)
    {
      g_auto(GStrv) parts = g_strsplit (text, replacements[i], -1);

      if (g_strv_length (parts) != 2)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s: expected “%s” once", name, replacements[i]);
          return FALSE;
        }
      g_free (text);
      text = g_strjoinv (replacements[i + 1], parts);
    }
  return g_file_set_contents (to, text, -1, error);
}

static gboolean
write_configs (HpTestJanus  *janus,
               const char   *source_root,
               guint         session_timeout,
               GError      **error)
{
  g_autofree char *configs = g_strdup_printf ("configs_folder = \"%s\"", janus->dir);
  g_autofree char *timeout = g_strdup_printf ("session_timeout = %u", session_timeout);
  g_autofree char *port = g_strdup_printf ("ws_port = %u", janus->port);
  const char * const core[] = {
    "configs_folder = \"/etc/janus\"", configs,
    "token_auth_secret = \"CHANGE-this-token-secret\"", "token_auth_secret = \"" TOKEN_SECRET "\"",
    "session_timeout = 60", timeout,
    NULL,
  };
  const char * const websockets[] = {
    "ws_port = 8188", port,
    NULL,
  };
  const char * const videoroom[] = {
    "admin_key = \"CHANGE-this-admin-key\"", "admin_key = \"" ADMIN_KEY "\"",
    "secret = \"CHANGE-room-secret\"", "secret = \"" ROOM_SECRET "\"",
    "pin = \"CHANGE-room-pin\"", "pin = \"" HP_TEST_JANUS_PIN "\"",
    NULL,
  };

  return copy_config (source_root, janus->dir, "janus.jcfg", core, error)
         && copy_config (source_root, janus->dir, "janus.transport.websockets.jcfg", websockets, error)
         && copy_config (source_root, janus->dir, "janus.plugin.videoroom.jcfg", videoroom, error);
}

static void
die_with_parent (gpointer data G_GNUC_UNUSED)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static gboolean
accepts_connections (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  g_socket_client_set_timeout (client, 1);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
  return connection != NULL;
}

HpTestJanus *
hp_test_janus_start (const char  *source_root,
                     guint        session_timeout,
                     GError     **error)
{
  g_autofree char *program = g_find_program_in_path ("janus");
  g_autofree char *config = NULL;
  g_autofree char *log = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  HpTestJanus *janus;

  if (program == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "janus is not installed");
      return NULL;
    }
  janus = g_new0 (HpTestJanus, 1);
  janus->dir = g_dir_make_tmp ("hp-janus-XXXXXX", error);
  if (janus->dir == NULL || (janus->port = hp_test_free_loopback_port (error)) == 0
      || !write_configs (janus, source_root, session_timeout, error))
    goto failed;
  janus->url = g_strdup_printf ("ws://127.0.0.1:%u", janus->port);
  config = g_build_filename (janus->dir, "janus.jcfg", NULL);
  log = g_build_filename (janus->dir, "janus.log", NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  /* The server dies with the test, even one that crashed. */
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  janus->process = g_subprocess_launcher_spawn (launcher, error, program, "-C", config, "-F", janus->dir,
                                                "-L", log, "--disable-colors", NULL);
  if (janus->process == NULL)
    goto failed;
  for (guint tries = 0; tries < 200; tries++)
    {
      if (accepts_connections (janus->port))
        return janus;
      /* The identifier goes once the process has ended. */
      if (g_subprocess_get_identifier (janus->process) == NULL)
        break;
      g_usleep (50 * 1000);
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "janus did not start; see %s", log);
  hp_test_janus_kill (janus);
  /* The folder stays for its log. */
  g_clear_pointer (&janus->dir, g_free);

failed:
  hp_test_janus_stop (janus);
  return NULL;
}

const char *
hp_test_janus_get_url (HpTestJanus *janus)
{
  return janus->url;
}

char *
hp_test_janus_sign_token (HpTestJanus *janus G_GNUC_UNUSED,
                          gint64       expiry,
                          gboolean     wrong_secret)
{
  const char *secret = wrong_secret ? "some-other-secret" : TOKEN_SECRET;
  g_autofree char *data = g_strdup_printf ("%" G_GINT64_FORMAT ",janus,janus.plugin.videoroom", expiry);
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA1, (const guchar *) secret, strlen (secret));
  guint8 digest[20];
  gsize digest_len = sizeof digest;
  g_autofree char *signature = NULL;

  g_hmac_update (hmac, (const guchar *) data, -1);
  g_hmac_get_digest (hmac, digest, &digest_len);
  signature = g_base64_encode (digest, digest_len);
  return g_strdup_printf ("%s:%s", data, signature);
}

void
hp_test_janus_kill (HpTestJanus *janus)
{
  if (janus->process == NULL)
    return;
  g_subprocess_send_signal (janus->process, SIGKILL);
  g_subprocess_wait (janus->process, NULL, NULL);
  g_clear_object (&janus->process);
}

gboolean
hp_test_janus_stop (HpTestJanus *janus)
{
  gboolean removed = TRUE;

  if (janus == NULL)
    return TRUE;
  if (janus->process != NULL)
    {
      /* Janus stops its plugins and transports in turn; one that hangs
       * gets 5 s before the server is killed. */
      g_subprocess_send_signal (janus->process, SIGTERM);
      for (guint tries = 0; tries < 100 && g_subprocess_get_identifier (janus->process) != NULL; tries++)
        g_usleep (50 * 1000);
      hp_test_janus_kill (janus);
    }
  if (janus->dir != NULL)
    {
      g_autofree char *log = g_build_filename (janus->dir, "janus.log", NULL);

      g_unlink (log);
      removed = hp_test_tmpdir_remove (janus->dir);
    }
  g_free (janus->dir);
  g_free (janus->url);
  g_free (janus);
  return removed;
}
