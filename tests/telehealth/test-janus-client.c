/* Tests of the Janus client against a real Janus with the configuration Healthpost ships, on loopback: sessions, tokens, the kiosk's room and its pin, keepalives, servers tried in turn, and a server that dies. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "hp-janus-client.h"
#include "hp-test-janus.h"
#include "hp-test-util.h"

static const char *source_root;

typedef struct {
  HpTestJanus *janus;
  HpJanusClient *client;
  GAsyncResult *result;
  GError *closed;
  guint n_closed;
} Fixture;

static int
setup_with_timeout (void  **state,
                    guint   session_timeout)
{
  Fixture *f = g_new0 (Fixture, 1);
  g_autoptr(GError) error = NULL;

  *state = f;
  f->janus = hp_test_janus_start (source_root, session_timeout, &error);
  if (f->janus == NULL)
    {
      g_printerr ("janus did not start: %s\n", error->message);
      g_free (f);
      *state = NULL;
      return -1;
    }
  return 0;
}

static int
setup (void **state)
{
  return setup_with_timeout (state, 60);
}

/* Janus looks for expired sessions every few seconds: 3 s without a
 * keepalive ends one within about 5. */
static int
setup_short_timeout (void **state)
{
  return setup_with_timeout (state, 3);
}

static int
teardown (void **state)
{
  Fixture *f = *state;
  int result = 0;

  /* The client may outlive its last reference for a moment (a keepalive
   * in flight): it must not call into the freed fixture. */
  if (f->client != NULL)
    {
      g_signal_handlers_disconnect_by_data (f->client, f);
      hp_janus_client_close (f->client);
    }
  g_clear_object (&f->client);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->result);
  g_clear_error (&f->closed);
  if (f->janus != NULL && !hp_test_janus_stop (f->janus))
    result = -1;
  g_free (f);
  return result;
}

static void
on_result (GObject      *source G_GNUC_UNUSED,
           GAsyncResult *result,
           gpointer      data)
{
  Fixture *f = data;

  g_set_object (&f->result, result);
}

static gboolean
has_result (gconstpointer data)
{
  const Fixture *f = data;

  return f->result != NULL;
}

static void
on_closed (HpJanusClient *client G_GNUC_UNUSED,
           const GError  *error,
           gpointer       data)
{
  Fixture *f = data;

  f->n_closed++;
  g_clear_error (&f->closed);
  f->closed = g_error_copy (error);
}

static gboolean
was_closed (gconstpointer data)
{
  const Fixture *f = data;

  return f->n_closed > 0;
}

/* Waits for the pending call's result and hands it over. */
static GAsyncResult *
wait_result (Fixture *f)
{
  assert_true (hp_test_iterate_until (has_result, f, 30));
  return g_steal_pointer (&f->result);
}

static HpJanusClient *
new_client (Fixture     *f,
            const char  *first_url,
            gboolean     wrong_token)
{
  g_autofree char *token = hp_test_janus_sign_token (f->janus, g_get_real_time () / G_USEC_PER_SEC + 3600,
                                                     wrong_token);
  const char *urls[3] = { NULL };
  gsize n = 0;
  HpJanusClient *client;

  if (first_url != NULL)
    urls[n++] = first_url;
  urls[n++] = hp_test_janus_get_url (f->janus);
  client = hp_janus_client_new (urls, token);
  g_signal_connect (client, "closed", G_CALLBACK (on_closed), f);
  return client;
}

static gboolean
connect_client (Fixture  *f,
                GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hp_janus_client_connect_async (f->client, NULL, on_result, f);
  result = wait_result (f);
  return hp_janus_client_connect_finish (f->client, result, error);
}

static guint64
attach_videoroom (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint64 handle;

  hp_janus_client_attach_async (f->client, "janus.plugin.videoroom", NULL, on_result, f);
  result = wait_result (f);
  handle = hp_janus_client_attach_finish (f->client, result, &error);
  if (handle == 0)
    fail_msg ("attach failed: %s", error->message);
  return handle;
}

/* Joins the kiosk's room as a publisher with @pin; the VideoRoom's answer. */
static HpVideoroomEvent *
join (Fixture    *f,
      guint64     handle,
      const char *pin)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(HpJanusMessage) answer = NULL;
  g_autoptr(GError) error = NULL;
  HpVideoroomEvent *event;

  json_object_set_string_member (body, "request", "join");
  json_object_set_string_member (body, "ptype", "publisher");
  json_object_set_int_member (body, "room", HP_TEST_JANUS_ROOM);
  json_object_set_string_member (body, "pin", pin);
  json_object_set_string_member (body, "display", "kiosk");
  hp_janus_client_message_async (f->client, handle, body, NULL, NULL, on_result, f);
  result = wait_result (f);
  answer = hp_janus_client_message_finish (f->client, result, &error);
  if (answer == NULL)
    fail_msg ("join failed: %s", error->message);
  assert_int_equal (answer->kind, HP_JANUS_KIND_EVENT);
  event = hp_videoroom_event_parse (answer, &error);
  if (event == NULL)
    fail_msg ("the join's answer did not read: %s", error->message);
  return event;
}

/* The kiosk's way in: a session, the VideoRoom, its room with the pin. */
static void
test_joins_the_kiosk_room (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpVideoroomEvent) joined = NULL;
  guint64 handle;

  f->client = new_client (f, NULL, FALSE);
  assert_true (connect_client (f, &error));
  assert_null (error);
  assert_true (hp_janus_client_get_session_id (f->client) > 0);
  assert_string_equal (hp_janus_client_get_server (f->client), hp_test_janus_get_url (f->janus));
  handle = attach_videoroom (f);
  joined = join (f, handle, HP_TEST_JANUS_PIN);
  assert_int_equal (joined->kind, HP_VIDEOROOM_JOINED);
  assert_int_equal (joined->room, HP_TEST_JANUS_ROOM);
  assert_true (joined->id > 0);
  assert_int_equal (joined->error_code, 0);
  /* Nobody else is in the room yet. */
  assert_int_equal (joined->publishers->len, 0);
  hp_janus_client_close (f->client);
  assert_int_equal (hp_janus_client_get_session_id (f->client), 0);
  assert_int_equal (f->n_closed, 0);
}

/* A wrong pin is the VideoRoom's refusal, 433, and the kiosk stays out. */
static void
test_wrong_pin_refused (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(HpVideoroomEvent) refused = NULL;
  g_autoptr(HpVideoroomEvent) joined = NULL;
  guint64 handle;

  f->client = new_client (f, NULL, FALSE);
  assert_true (connect_client (f, &error));
  handle = attach_videoroom (f);
  refused = join (f, handle, "not-the-pin");
  assert_int_equal (refused->kind, HP_VIDEOROOM_EVENT);
  assert_int_equal (refused->error_code, 433);
  assert_non_null (refused->error);
  assert_int_equal (refused->id, 0);
  /* The right pin still works on the same handle. */
  joined = join (f, handle, HP_TEST_JANUS_PIN);
  assert_int_equal (joined->kind, HP_VIDEOROOM_JOINED);
}

/* A token the clinic did not sign gets no session at all. */
static void
test_wrong_token_refused (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;

  f->client = new_client (f, NULL, TRUE);
  assert_false (connect_client (f, &error));
  assert_true (g_error_matches (error, HP_JANUS_ERROR, HP_JANUS_ERROR_SERVER));
  assert_non_null (strstr (error->message, "403"));
  assert_int_equal (hp_janus_client_get_session_id (f->client), 0);
}

/* A server that does not answer is passed over for the next. */
static void
test_next_server_tried (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *dead = NULL;

  /* A port bound but not listening: the connection is refused. */
  assert_true (g_socket_bind (socket, any_port, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  dead = g_strdup_printf ("ws://127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  f->client = new_client (f, dead, FALSE);
  assert_true (connect_client (f, &error));
  assert_string_equal (hp_janus_client_get_server (f->client), hp_test_janus_get_url (f->janus));
  assert_true (attach_videoroom (f) > 0);
}

/* Keepalives hold a session past the server's timeout; without them the
 * server ends it, and the client says so once. */
static void
test_keepalive (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 until;

  f->client = new_client (f, NULL, FALSE);
  hp_janus_client_set_keepalive (f->client, 1);
  assert_true (connect_client (f, &error));
  until = g_get_monotonic_time () + 8 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (10000);
  assert_int_equal (f->n_closed, 0);
  assert_true (attach_videoroom (f) > 0);
  g_clear_object (&f->client);

  f->client = new_client (f, NULL, FALSE);
  hp_janus_client_set_keepalive (f->client, 600);
  assert_true (connect_client (f, &error));
  assert_true (hp_test_iterate_until (was_closed, f, 20));
  assert_int_equal (f->n_closed, 1);
  assert_true (g_error_matches (f->closed, G_IO_ERROR, G_IO_ERROR_TIMED_OUT));
  assert_int_equal (hp_janus_client_get_session_id (f->client), 0);
}

/* A server killed mid-session: the client says the session is over, once,
 * and a request after it fails at once instead of waiting. */
static void
test_server_killed (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  f->client = new_client (f, NULL, FALSE);
  assert_true (connect_client (f, &error));
  assert_true (attach_videoroom (f) > 0);
  hp_test_janus_kill (f->janus);
  assert_true (hp_test_iterate_until (was_closed, f, 20));
  assert_int_equal (f->n_closed, 1);
  assert_true (g_error_matches (f->closed, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED));
  hp_janus_client_attach_async (f->client, "janus.plugin.videoroom", NULL, on_result, f);
  result = wait_result (f);
  assert_int_equal (hp_janus_client_attach_finish (f->client, result, &error), 0);
  assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED));
  assert_int_equal (f->n_closed, 1);
}

int
main (int   argc,
      char *argv[])
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_joins_the_kiosk_room, setup, teardown),
    cmocka_unit_test_setup_teardown (test_wrong_pin_refused, setup, teardown),
    cmocka_unit_test_setup_teardown (test_wrong_token_refused, setup, teardown),
    cmocka_unit_test_setup_teardown (test_next_server_tried, setup, teardown),
    cmocka_unit_test_setup_teardown (test_keepalive, setup_short_timeout, teardown),
    cmocka_unit_test_setup_teardown (test_server_killed, setup, teardown),
  };

  if (argc != 2)
    {
      g_printerr ("usage: %s SOURCE-ROOT\n", argv[0]);
      return 2;
    }
  source_root = argv[1];
  return cmocka_run_group_tests_name ("janus-client", tests, NULL, NULL);
}
