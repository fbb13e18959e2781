/* A session with a Janus server over its WebSocket transport: the servers tried in turn, requests matched to their answers, keepalives, and the session's end told once. */
#include "hp-janus-client.h"

#include <libsoup/soup.h>

#include "hp-secret.h"

/* How long one server may take to accept the WebSocket. */
#define CONNECT_SECONDS 5

struct _HpJanusClient
{
  GObject parent_instance;

  GStrv urls;
  char *token;
  guint keepalive_seconds;

  SoupSession *soup;
  SoupWebsocketConnection *connection;
  gulong message_id;
  gulong closed_id;
  char *server;
  guint64 session_id;
  guint keepalive_id;
  /* transaction -> Pending */
  GHashTable *pending;
  gboolean ended;
};

G_DEFINE_FINAL_TYPE (HpJanusClient, hp_janus_client, G_TYPE_OBJECT)

enum {
  SIGNAL_EVENT,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* A request waiting for its answer. */
typedef struct {
  HpJanusClient *client;       /* not a reference: the client outlives its table */
  char *transaction;
  GTask *task;
  gboolean ack_answers;        /* keepalive and trickle: the ack is all that comes */
  guint timeout_id;
} Pending;

static void
pending_free (Pending *pending)
{
  g_clear_handle_id (&pending->timeout_id, g_source_remove);
  g_clear_object (&pending->task);
  g_free (pending->transaction);
  g_free (pending);
}

static char *
new_transaction (void)
{
  static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  char text[17];

  for (gsize i = 0; i < sizeof text - 1; i++)
    text[i] = digits[g_random_int_range (0, (gint32) (sizeof digits - 1))];
  text[sizeof text - 1] = '\0';
  return g_strdup (text);
}

/* Takes @pending out of the table and answers its task with @message or
 * @error (one of them). */
static void
pending_answer (Pending        *pending,
                HpJanusMessage *message,
                GError         *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&pending->task);

  g_hash_table_remove (pending->client->pending, pending->transaction);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, message, (GDestroyNotify) hp_janus_message_free);
}

static gboolean
on_request_timeout (gpointer data)
{
  Pending *pending = data;

  pending->timeout_id = 0;
  pending_answer (pending, NULL,
                  g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               "the Janus server did not answer in %u s", HP_JANUS_REQUEST_SECONDS));
  return G_SOURCE_REMOVE;
}

/* Fails every request still waiting with a copy of @error, taking each
 * from the table afresh: an answer's callback may close the client, which
 * fails (and frees) the others itself. */
static void
fail_pending (HpJanusClient *self,
              const GError  *error)
{
  g_object_ref (self);
  while (g_hash_table_size (self->pending) > 0)
    {
      GHashTableIter iter;
      gpointer pending;

      g_hash_table_iter_init (&iter, self->pending);
      g_hash_table_iter_next (&iter, NULL, &pending);
      pending_answer (pending, NULL, g_error_copy (error));
    }
  g_object_unref (self);
}

static void
drop_connection (HpJanusClient *self)
{
  g_clear_handle_id (&self->keepalive_id, g_source_remove);
  if (self->connection != NULL)
    {
      g_clear_signal_handler (&self->message_id, self->connection);
      g_clear_signal_handler (&self->closed_id, self->connection);
      if (soup_websocket_connection_get_state (self->connection) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&self->connection);
    }
  g_clear_pointer (&self->server, g_free);
  self->session_id = 0;
}

/* The session is over without the kiosk asking: told once. Takes @error. */
static void
end_session (HpJanusClient *self,
             GError        *error)
{
  if (self->ended)
    {
      g_error_free (error);
      return;
    }
  self->ended = TRUE;
  g_message ("the Janus session ended: %s", error->message);
  /* A handler of "closed" may drop the last reference. */
  g_object_ref (self);
  drop_connection (self);
  fail_pending (self, error);
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0, error);
  g_error_free (error);
  g_object_unref (self);
}

/* Sends one request, registering it to wait for its answer in @task
 * (%NULL: nothing waits). */
static void
send_request (HpJanusClient *self,
              const char    *verb,
              guint64        handle,
              JsonObject    *body,
              JsonObject    *jsep,
              JsonObject    *extra,
              GTask         *task,
              gboolean       ack_answers)
{
  g_autofree char *transaction = new_transaction ();
  g_autoptr(JsonObject) with_token = extra != NULL ? json_object_ref (extra) : json_object_new ();
  /* It holds the token, and a join's pin. */
  g_autoptr(HpSecretString) text = NULL;

  if (self->token != NULL)
    json_object_set_string_member (with_token, "token", self->token);
  text = hp_janus_request_to_text (verb, transaction, self->session_id, handle, body, jsep, with_token);
  if (text == NULL)
    {
      if (task != NULL)
        g_task_return_new_error (task, HP_JANUS_ERROR, HP_JANUS_ERROR_UNEXPECTED,
                                 "the “%s” request could not be written as JSON", verb);
      return;
    }
  if (task != NULL)
    {
      Pending *pending = g_new0 (Pending, 1);

      pending->client = self;
      pending->transaction = g_strdup (transaction);
      pending->task = g_object_ref (task);
      pending->ack_answers = ack_answers;
      pending->timeout_id = g_timeout_add_seconds (HP_JANUS_REQUEST_SECONDS, on_request_timeout, pending);
      g_hash_table_replace (self->pending, pending->transaction, pending);
    }
  soup_websocket_connection_send_text (self->connection, text);
}

static void
on_message (SoupWebsocketConnection *connection G_GNUC_UNUSED,
            gint                     type,
            GBytes                  *bytes,
            gpointer                 data)
{
  HpJanusClient *self = data;
  g_autoptr(HpJanusMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  const char *text = g_bytes_get_data (bytes, &length);
  Pending *pending = NULL;

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      end_session (self, g_error_new_literal (HP_JANUS_ERROR, HP_JANUS_ERROR_UNEXPECTED,
                                              "the Janus server sent a binary frame"));
      return;
    }
  message = hp_janus_message_parse (text, length, &error);
  if (message == NULL)
    {
      /* A server that says nonsense cannot be followed further. */
      end_session (self, g_error_new (HP_JANUS_ERROR, HP_JANUS_ERROR_MALFORMED,
                                      "the Janus server sent a message the kiosk cannot read: %s",
                                      error->message));
      return;
    }
  if (message->transaction != NULL)
    pending = g_hash_table_lookup (self->pending, message->transaction);
  if (pending != NULL)
    {
      switch (message->kind)
        {
        case HP_JANUS_KIND_ACK:
          if (pending->ack_answers)
            pending_answer (pending, g_steal_pointer (&message), NULL);
          return;
        case HP_JANUS_KIND_ERROR:
          pending_answer (pending, NULL,
                          g_error_new (HP_JANUS_ERROR, HP_JANUS_ERROR_SERVER,
                                       "the Janus server refused: %s (%d)",
                                       message->error_reason != NULL ? message->error_reason : "no reason",
                                       message->error_code));
          return;
        case HP_JANUS_KIND_SUCCESS:
        case HP_JANUS_KIND_EVENT:
          pending_answer (pending, g_steal_pointer (&message), NULL);
          return;
        case HP_JANUS_KIND_WEBRTCUP:
        case HP_JANUS_KIND_MEDIA:
        case HP_JANUS_KIND_SLOWLINK:
        case HP_JANUS_KIND_HANGUP:
        case HP_JANUS_KIND_DETACHED:
        case HP_JANUS_KIND_TIMEOUT:
        case HP_JANUS_KIND_TRICKLE:
        default:
          break;
        }
    }
  /* Answers to what nothing waits for (a trickle's ack, a late answer). */
  if (message->kind == HP_JANUS_KIND_ACK || message->kind == HP_JANUS_KIND_SUCCESS)
    return;
  if (message->kind == HP_JANUS_KIND_ERROR)
    {
      g_message ("the Janus server refused a request nothing waits for: %s (%d)",
                 message->error_reason != NULL ? message->error_reason : "no reason", message->error_code);
      return;
    }
  if (message->kind == HP_JANUS_KIND_TIMEOUT)
    {
      end_session (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                              "the Janus server timed the session out"));
      return;
    }
  g_signal_emit (self, signals[SIGNAL_EVENT], 0, message);
}

static void
on_closed (SoupWebsocketConnection *connection,
           gpointer                 data)
{
  HpJanusClient *self = data;
  gushort code = soup_websocket_connection_get_close_code (connection);

  end_session (self, g_error_new (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                                  "the connection to the Janus server closed (code %u)", code));
}

static void
on_keepalive_answer (GObject      *source G_GNUC_UNUSED,
                     GAsyncResult *result,
                     gpointer      data G_GNUC_UNUSED)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpJanusMessage) answer = g_task_propagate_pointer (G_TASK (result), &error);

  if (answer == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
    g_message ("a keepalive was not answered: %s", error->message);
}

static gboolean
on_keepalive (gpointer data)
{
  HpJanusClient *self = data;
  g_autoptr(GTask) task = g_task_new (self, NULL, on_keepalive_answer, NULL);

  send_request (self, "keepalive", 0, NULL, NULL, NULL, task, TRUE);
  return G_SOURCE_CONTINUE;
}

/* ---- connecting ---------------------------------------------------------- */

typedef struct {
  guint next;                  /* the index of the next server to try */
  GError *last_error;
  GCancellable *attempt;       /* this server's try, cancelled by its timer */
  guint attempt_timeout_id;
} Connecting;

static void
connecting_free (Connecting *connecting)
{
  g_clear_handle_id (&connecting->attempt_timeout_id, g_source_remove);
  g_clear_object (&connecting->attempt);
  g_clear_error (&connecting->last_error);
  g_free (connecting);
}

static void try_next_server (GTask *task);

static void
on_created (GObject      *source G_GNUC_UNUSED,
            GAsyncResult *result,
            gpointer      data)
{
  g_autoptr(GTask) task = data;
  HpJanusClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(HpJanusMessage) answer = g_task_propagate_pointer (G_TASK (result), &error);

  if (answer == NULL || answer->kind != HP_JANUS_KIND_SUCCESS || answer->data_id == 0)
    {
      Connecting *connecting = g_task_get_task_data (task);

      if (error == NULL)
        error = g_error_new_literal (HP_JANUS_ERROR, HP_JANUS_ERROR_UNEXPECTED,
                                     "the Janus server answered “create” without a session");
      drop_connection (self);
      /* A server that refused (a token, a full server) refuses on every
       * address; one that went silent or dropped is passed over. */
      if (g_task_return_error_if_cancelled (task))
        return;
      if (!g_error_matches (error, HP_JANUS_ERROR, HP_JANUS_ERROR_SERVER))
        {
          g_clear_error (&connecting->last_error);
          connecting->last_error = g_steal_pointer (&error);
          try_next_server (g_steal_pointer (&task));
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  self->session_id = answer->data_id;
  self->keepalive_id = g_timeout_add_seconds (self->keepalive_seconds, on_keepalive, self);
  g_task_return_boolean (task, TRUE);
}

static void
on_websocket (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(GTask) task = data;
  HpJanusClient *self = g_task_get_source_object (task);
  Connecting *connecting = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *connection;
  GCancellable *cancellable;
  g_autoptr(GTask) create = NULL;

  g_clear_handle_id (&connecting->attempt_timeout_id, g_source_remove);
  connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (connection == NULL)
    {
      if (g_task_return_error_if_cancelled (task))
        return;
      g_message ("Janus server %u of %u did not answer: %s", connecting->next,
                 g_strv_length (self->urls), error->message);
      g_clear_error (&connecting->last_error);
      connecting->last_error = g_steal_pointer (&error);
      try_next_server (g_steal_pointer (&task));
      return;
    }
  self->connection = connection;
  self->server = g_strdup (self->urls[connecting->next - 1]);
  self->ended = FALSE;
  soup_websocket_connection_set_max_incoming_payload_size (connection, HP_JANUS_MAX_MESSAGE);
  self->message_id = g_signal_connect (connection, "message", G_CALLBACK (on_message), self);
  self->closed_id = g_signal_connect (connection, "closed", G_CALLBACK (on_closed), self);
  cancellable = g_task_get_cancellable (task);
  create = g_task_new (self, cancellable, on_created, g_steal_pointer (&task));
  send_request (self, "create", 0, NULL, NULL, NULL, create, FALSE);
}

static gboolean
on_attempt_timeout (gpointer data)
{
  Connecting *connecting = data;

  connecting->attempt_timeout_id = 0;
  g_cancellable_cancel (connecting->attempt);
  return G_SOURCE_REMOVE;
}

static void
try_next_server (GTask *task)
{
  HpJanusClient *self = g_task_get_source_object (task);
  Connecting *connecting = g_task_get_task_data (task);
  static const char *protocols[] = { "janus-protocol", NULL };
  g_autoptr(SoupMessage) request = NULL;
  const char *url;

  if (self->urls[connecting->next] == NULL)
    {
      g_task_return_error (task, connecting->last_error != NULL
                                 ? g_steal_pointer (&connecting->last_error)
                                 : g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                                        "no Janus server is configured"));
      g_object_unref (task);
      return;
    }
  url = self->urls[connecting->next++];
  request = soup_message_new (SOUP_METHOD_GET, url);
  if (request == NULL)
    {
      g_clear_error (&connecting->last_error);
      connecting->last_error = g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                            "Janus server %u is not a ws:// or wss:// address",
                                            connecting->next);
      try_next_server (task);
      return;
    }
  g_clear_object (&connecting->attempt);
  connecting->attempt = g_cancellable_new ();
  if (g_task_get_cancellable (task) != NULL && g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    g_cancellable_cancel (connecting->attempt);
  connecting->attempt_timeout_id = g_timeout_add_seconds (CONNECT_SECONDS, on_attempt_timeout, connecting);
  soup_session_websocket_connect_async (self->soup, request, NULL, (char **) protocols, G_PRIORITY_DEFAULT,
                                        connecting->attempt, on_websocket, task);
}

void
hp_janus_client_connect_async (HpJanusClient       *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (HP_IS_JANUS_CLIENT (self));
  g_return_if_fail (self->connection == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_task_data (task, g_new0 (Connecting, 1), (GDestroyNotify) connecting_free);
  try_next_server (task);
}

gboolean
hp_janus_client_connect_finish (HpJanusClient  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- requests ------------------------------------------------------------ */

static gboolean
check_connected (HpJanusClient  *self,
                 GTask          *task)
{
  if (self->connection != NULL && self->session_id != 0)
    return TRUE;
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, "not connected to a Janus server");
  return FALSE;
}

void
hp_janus_client_attach_async (HpJanusClient       *self,
                              const char          *plugin,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonObject) extra = json_object_new ();

  g_return_if_fail (HP_IS_JANUS_CLIENT (self));
  g_return_if_fail (plugin != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  if (!check_connected (self, task))
    return;
  json_object_set_string_member (extra, "plugin", plugin);
  send_request (self, "attach", 0, NULL, NULL, extra, task, FALSE);
}

guint64
hp_janus_client_attach_finish (HpJanusClient  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_autoptr(HpJanusMessage) answer = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  answer = g_task_propagate_pointer (G_TASK (result), error);
  if (answer == NULL)
    return 0;
  if (answer->kind != HP_JANUS_KIND_SUCCESS || answer->data_id == 0)
    {
      g_set_error_literal (error, HP_JANUS_ERROR, HP_JANUS_ERROR_UNEXPECTED,
                           "the Janus server answered “attach” without a handle");
      return 0;
    }
  return answer->data_id;
}

void
hp_janus_client_message_async (HpJanusClient       *self,
                               guint64              handle,
                               JsonObject          *body,
                               JsonObject          *jsep,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HP_IS_JANUS_CLIENT (self));
  g_return_if_fail (handle != 0);
  g_return_if_fail (body != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  if (!check_connected (self, task))
    return;
  send_request (self, "message", handle, body, jsep, NULL, task, FALSE);
}

HpJanusMessage *
hp_janus_client_message_finish (HpJanusClient  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
hp_janus_client_trickle (HpJanusClient *self,
                         guint64        handle,
                         const char    *candidate,
                         guint          mline_index)
{
  g_autoptr(JsonObject) extra = json_object_new ();
  g_autoptr(JsonObject) value = json_object_new ();

  g_return_if_fail (HP_IS_JANUS_CLIENT (self));

  if (self->connection == NULL || self->session_id == 0)
    return;
  if (candidate != NULL)
    {
      json_object_set_string_member (value, "candidate", candidate);
      json_object_set_int_member (value, "sdpMLineIndex", mline_index);
    }
  else
    json_object_set_boolean_member (value, "completed", TRUE);
  json_object_set_object_member (extra, "candidate", g_steal_pointer (&value));
  send_request (self, "trickle", handle, NULL, NULL, extra, NULL, TRUE);
}

guint64
hp_janus_client_get_session_id (HpJanusClient *self)
{
  g_return_val_if_fail (HP_IS_JANUS_CLIENT (self), 0);

  return self->session_id;
}

const char *
hp_janus_client_get_server (HpJanusClient *self)
{
  g_return_val_if_fail (HP_IS_JANUS_CLIENT (self), NULL);

  return self->server;
}

void
hp_janus_client_set_keepalive (HpJanusClient *self,
                               guint          seconds)
{
  g_return_if_fail (HP_IS_JANUS_CLIENT (self));
  g_return_if_fail (seconds > 0);

  self->keepalive_seconds = seconds;
}

void
hp_janus_client_close (HpJanusClient *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (HP_IS_JANUS_CLIENT (self));

  if (self->connection != NULL && self->session_id != 0)
    send_request (self, "destroy", 0, NULL, NULL, NULL, NULL, FALSE);
  self->ended = TRUE;
  drop_connection (self);
  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "the Janus session was closed");
  fail_pending (self, error);
}

/* ---- the object ----------------------------------------------------------- */

static void
hp_janus_client_dispose (GObject *object)
{
  HpJanusClient *self = HP_JANUS_CLIENT (object);

  hp_janus_client_close (self);
  g_clear_object (&self->soup);
  G_OBJECT_CLASS (hp_janus_client_parent_class)->dispose (object);
}

static void
hp_janus_client_finalize (GObject *object)
{
  HpJanusClient *self = HP_JANUS_CLIENT (object);

  g_hash_table_unref (self->pending);
  g_strfreev (self->urls);
  hp_secret_free (self->token);
  G_OBJECT_CLASS (hp_janus_client_parent_class)->finalize (object);
}

static void
hp_janus_client_class_init (HpJanusClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hp_janus_client_dispose;
  object_class->finalize = hp_janus_client_finalize;

  signals[SIGNAL_EVENT] = g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
hp_janus_client_init (HpJanusClient *self)
{
  self->keepalive_seconds = HP_JANUS_KEEPALIVE_SECONDS;
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) pending_free);
  self->soup = soup_session_new ();
}

HpJanusClient *
hp_janus_client_new (const char * const *urls,
                     const char         *token)
{
  HpJanusClient *self;

  g_return_val_if_fail (urls != NULL, NULL);

  self = g_object_new (HP_TYPE_JANUS_CLIENT, NULL);
  self->urls = g_strdupv ((char **) urls);
  self->token = g_strdup (token);
  return self;
}
