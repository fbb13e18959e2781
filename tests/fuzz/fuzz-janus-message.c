/* libFuzzer target: frames as the kiosk reads them from the Janus server, the VideoRoom's data in them, and the same messages written back and read again. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hp-janus-message.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static const char *const kind_names[] = {
  [HP_JANUS_KIND_SUCCESS] = "success",
  [HP_JANUS_KIND_ERROR] = "error",
  [HP_JANUS_KIND_ACK] = "ack",
  [HP_JANUS_KIND_EVENT] = "event",
  [HP_JANUS_KIND_WEBRTCUP] = "webrtcup",
  [HP_JANUS_KIND_MEDIA] = "media",
  [HP_JANUS_KIND_SLOWLINK] = "slowlink",
  [HP_JANUS_KIND_HANGUP] = "hangup",
  [HP_JANUS_KIND_DETACHED] = "detached",
  [HP_JANUS_KIND_TIMEOUT] = "timeout",
  [HP_JANUS_KIND_TRICKLE] = "trickle",
};

static void
check_text (const char *text,
            gsize       max_length)
{
  if (text != NULL && (strlen (text) > max_length || !g_utf8_validate (text, -1, NULL)))
    abort ();
}

static void
check_id (guint64  id,
          gboolean required)
{
  if (id > HP_JANUS_MAX_ID || (required && id == 0))
    abort ();
}

static void
check_message (const HpJanusMessage *message)
{
  if ((guint) message->kind >= G_N_ELEMENTS (kind_names))
    abort ();
  check_text (message->transaction, HP_JANUS_MAX_TRANSACTION);
  check_text (message->error_reason, HP_JANUS_MAX_TEXT);
  check_text (message->media_type, HP_JANUS_MAX_TEXT);
  check_text (message->plugin, HP_JANUS_MAX_TEXT);
  check_text (message->jsep_type, HP_JANUS_MAX_TEXT);
  check_text (message->jsep_sdp, HP_JANUS_MAX_SDP);
  check_text (message->trickle_candidate, HP_JANUS_MAX_TEXT);
  check_text (message->trickle_mid, HP_JANUS_MAX_TEXT);
  check_id (message->session_id, message->kind == HP_JANUS_KIND_TIMEOUT);
  check_id (message->sender, FALSE);
  check_id (message->data_id, FALSE);

  if ((message->plugin == NULL) != (message->plugin_data == NULL) ||
      (message->jsep_type == NULL) != (message->jsep_sdp == NULL))
    abort ();
  if (message->jsep_type != NULL &&
      (message->kind != HP_JANUS_KIND_EVENT ||
       (strcmp (message->jsep_type, "offer") != 0 && strcmp (message->jsep_type, "answer") != 0)))
    abort ();
  if (message->trickle_mline < -1 || message->trickle_mline > G_MAXUINT16)
    abort ();

  switch (message->kind)
    {
    case HP_JANUS_KIND_SUCCESS:
    case HP_JANUS_KIND_ACK:
      if (message->transaction == NULL)
        abort ();
      break;
    case HP_JANUS_KIND_ERROR:
      if (message->error_code <= 0 || message->error_reason == NULL)
        abort ();
      break;
    case HP_JANUS_KIND_EVENT:
      if (message->sender == 0 || message->plugin_data == NULL)
        abort ();
      break;
    case HP_JANUS_KIND_MEDIA:
      if (message->sender == 0 || message->media_type == NULL)
        abort ();
      break;
    case HP_JANUS_KIND_HANGUP:
      if (message->sender == 0 || message->error_reason == NULL)
        abort ();
      break;
    case HP_JANUS_KIND_TRICKLE:
      if (message->sender == 0 || message->trickle_completed == (message->trickle_candidate != NULL))
        abort ();
      break;
    case HP_JANUS_KIND_WEBRTCUP:
    case HP_JANUS_KIND_SLOWLINK:
    case HP_JANUS_KIND_DETACHED:
      if (message->sender == 0)
        abort ();
      break;
    case HP_JANUS_KIND_TIMEOUT:
    default:
      break;
    }
}

static void
check_event (const HpVideoroomEvent *event)
{
  if (event->publishers == NULL || event->publishers->len > HP_JANUS_MAX_PUBLISHERS)
    abort ();
  for (guint i = 0; i < event->publishers->len; i++)
    {
      const HpVideoroomPublisher *publisher = g_ptr_array_index (event->publishers, i);

      check_id (publisher->id, TRUE);
      check_text (publisher->display, HP_JANUS_MAX_TEXT);
    }
  check_id (event->room, event->kind == HP_VIDEOROOM_JOINED);
  check_id (event->id, event->kind == HP_VIDEOROOM_JOINED);
  check_id (event->private_id, event->kind == HP_VIDEOROOM_JOINED);
  check_id (event->leaving, FALSE);
  check_id (event->unpublished, FALSE);
  check_text (event->error, HP_JANUS_MAX_TEXT);
  if ((event->error_code == 0) != (event->error == NULL) || event->error_code < 0 ||
      (event->unpublished_self && event->unpublished != 0))
    abort ();
}

static gboolean
same_events (const HpVideoroomEvent *a,
             const HpVideoroomEvent *b)
{
  if (a->kind != b->kind || a->room != b->room || a->id != b->id || a->private_id != b->private_id ||
      a->leaving != b->leaving || a->left != b->left || a->unpublished != b->unpublished ||
      a->unpublished_self != b->unpublished_self || a->configured != b->configured ||
      a->started != b->started || a->exists != b->exists || a->error_code != b->error_code ||
      g_strcmp0 (a->error, b->error) != 0 || a->publishers->len != b->publishers->len)
    return FALSE;
  for (guint i = 0; i < a->publishers->len; i++)
    {
      const HpVideoroomPublisher *pa = g_ptr_array_index (a->publishers, i);
      const HpVideoroomPublisher *pb = g_ptr_array_index (b->publishers, i);

      if (pa->id != pb->id || g_strcmp0 (pa->display, pb->display) != 0)
        return FALSE;
    }
  return TRUE;
}

static gboolean
same_objects (JsonObject *a,
              JsonObject *b)
{
  g_autoptr(JsonNode) node_a = NULL;
  g_autoptr(JsonNode) node_b = NULL;

  if (a == NULL || b == NULL)
    return a == b;
  node_a = json_node_init_object (json_node_alloc (), a);
  node_b = json_node_init_object (json_node_alloc (), b);
  return json_node_equal (node_a, node_b);
}

static gboolean
holds_double (JsonNode *node)
{
  if (JSON_NODE_HOLDS_VALUE (node))
    return json_node_get_value_type (node) == G_TYPE_DOUBLE;
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (holds_double (json_array_get_element (array, i)))
          return TRUE;
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autoptr(GList) values = json_object_get_values (json_node_get_object (node));

      for (GList *l = values; l != NULL; l = l->next)
        if (holds_double (l->data))
          return TRUE;
    }
  return FALSE;
}

/* The message as Janus would have written it, through the request writer:
 * the members it read, and nothing else. */
static char *
write_back (const HpJanusMessage *message,
            const char           *transaction)
{
  g_autoptr(JsonObject) extra = json_object_new ();
  g_autoptr(JsonObject) jsep = NULL;

  if (message->sender != 0)
    json_object_set_int_member (extra, "sender", (gint64) message->sender);
  if (message->data_id != 0)
    {
      JsonObject *reply = json_object_new ();

      json_object_set_int_member (reply, "id", (gint64) message->data_id);
      json_object_set_object_member (extra, "data", reply);
    }
  if (message->plugin != NULL)
    {
      JsonObject *plugindata = json_object_new ();

      json_object_set_string_member (plugindata, "plugin", message->plugin);
      json_object_set_object_member (plugindata, "data", json_object_ref (message->plugin_data));
      json_object_set_object_member (extra, "plugindata", plugindata);
    }
  if (message->jsep_type != NULL)
    {
      jsep = json_object_new ();
      json_object_set_string_member (jsep, "type", message->jsep_type);
      json_object_set_string_member (jsep, "sdp", message->jsep_sdp);
    }
  switch (message->kind)
    {
    case HP_JANUS_KIND_ERROR:
      {
        JsonObject *reply = json_object_new ();

        json_object_set_int_member (reply, "code", message->error_code);
        json_object_set_string_member (reply, "reason", message->error_reason);
        json_object_set_object_member (extra, "error", reply);
      }
      break;
    case HP_JANUS_KIND_MEDIA:
      json_object_set_string_member (extra, "type", message->media_type);
      json_object_set_boolean_member (extra, "receiving", message->receiving);
      break;
    case HP_JANUS_KIND_HANGUP:
      json_object_set_string_member (extra, "reason", message->error_reason);
      break;
    case HP_JANUS_KIND_TRICKLE:
      {
        JsonObject *candidate = json_object_new ();

        if (message->trickle_completed)
          json_object_set_boolean_member (candidate, "completed", TRUE);
        else
          json_object_set_string_member (candidate, "candidate", message->trickle_candidate);
        if (message->trickle_mid != NULL)
          json_object_set_string_member (candidate, "sdpMid", message->trickle_mid);
        if (message->trickle_mline >= 0)
          json_object_set_int_member (candidate, "sdpMLineIndex", message->trickle_mline);
        json_object_set_object_member (extra, "candidate", candidate);
      }
      break;
    case HP_JANUS_KIND_SUCCESS:
    case HP_JANUS_KIND_ACK:
    case HP_JANUS_KIND_EVENT:
    case HP_JANUS_KIND_WEBRTCUP:
    case HP_JANUS_KIND_SLOWLINK:
    case HP_JANUS_KIND_DETACHED:
    case HP_JANUS_KIND_TIMEOUT:
    default:
      break;
    }
  return hp_janus_request_to_text (kind_names[message->kind], transaction, message->session_id, 0,
                                   NULL, jsep, extra);
}

static void
check_written_back (const HpJanusMessage   *message,
                    const HpVideoroomEvent *event,
                    const GError           *event_error)
{
  const char *transaction = message->transaction != NULL ? message->transaction : "t";
  g_autofree char *text = write_back (message, transaction);
  g_autoptr(HpJanusMessage) again = NULL;
  g_autoptr(HpVideoroomEvent) event_again = NULL;
  g_autoptr(GError) error = NULL;

  if (text == NULL)
    {
      /* Only a number json-glib cannot write keeps a message unwritten. */
      g_autoptr(JsonNode) data = NULL;

      if (message->plugin_data == NULL)
        abort ();
      data = json_node_init_object (json_node_alloc (), message->plugin_data);
      if (!holds_double (data))
        abort ();
      return;
    }
  if (strlen (text) > HP_JANUS_MAX_MESSAGE)
    return;
  again = hp_janus_message_parse (text, strlen (text), &error);
  if (again == NULL)
    abort ();
  if (again->kind != message->kind || strcmp (again->transaction, transaction) != 0 ||
      again->session_id != message->session_id || again->sender != message->sender ||
      again->data_id != message->data_id || again->error_code != message->error_code ||
      g_strcmp0 (again->error_reason, message->error_reason) != 0 ||
      g_strcmp0 (again->media_type, message->media_type) != 0 || again->receiving != message->receiving ||
      g_strcmp0 (again->plugin, message->plugin) != 0 ||
      !same_objects (again->plugin_data, message->plugin_data) ||
      g_strcmp0 (again->jsep_type, message->jsep_type) != 0 ||
      g_strcmp0 (again->jsep_sdp, message->jsep_sdp) != 0 ||
      again->trickle_completed != message->trickle_completed ||
      g_strcmp0 (again->trickle_candidate, message->trickle_candidate) != 0 ||
      g_strcmp0 (again->trickle_mid, message->trickle_mid) != 0 ||
      again->trickle_mline != message->trickle_mline)
    abort ();

  /* The same plugin data reads the same, or fails the same way. */
  event_again = hp_videoroom_event_parse (again, &error);
  if ((event == NULL) != (event_again == NULL))
    abort ();
  if (event != NULL && !same_events (event, event_again))
    abort ();
  if (event == NULL &&
      (error->code != event_error->code || strcmp (error->message, event_error->message) != 0))
    abort ();
}

/* A plugin request built from what was read: the body, the handle and
 * the SDP come back as they went in. */
static void
check_request (const HpJanusMessage *message)
{
  g_autoptr(JsonObject) jsep = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *text = NULL;
  JsonObject *request;
  JsonNode *node;

  if (message->plugin_data == NULL)
    return;
  if (message->jsep_type != NULL)
    {
      jsep = json_object_new ();
      json_object_set_string_member (jsep, "type", message->jsep_type);
      json_object_set_string_member (jsep, "sdp", message->jsep_sdp);
    }
  text = hp_janus_request_to_text ("message", "r", message->session_id, message->sender,
                                   message->plugin_data, jsep, NULL);
  if (text == NULL)
    return;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    abort ();
  request = json_node_get_object (json_parser_get_root (parser));
  node = json_object_get_member (request, "handle_id");
  if (g_strcmp0 (json_object_get_string_member_with_default (request, "janus", NULL), "message") != 0 ||
      (message->sender != 0) != (node != NULL) ||
      (node != NULL && (json_node_get_value_type (node) != G_TYPE_INT64 ||
                        (guint64) json_node_get_int (node) != message->sender)) ||
      !json_object_has_member (request, "body") ||
      !same_objects (json_object_get_object_member (request, "body"), message->plugin_data) ||
      (jsep != NULL) != json_object_has_member (request, "jsep") ||
      (jsep != NULL && !same_objects (json_object_get_object_member (request, "jsep"), jsep)))
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpJanusMessage) message = NULL;
  g_autoptr(HpVideoroomEvent) event = NULL;

  message = hp_janus_message_parse ((const char *) data, size, &error);
  if (message == NULL)
    {
      if (error == NULL || error->domain != HP_JANUS_ERROR ||
          (error->code != HP_JANUS_ERROR_MALFORMED && error->code != HP_JANUS_ERROR_UNEXPECTED))
        abort ();
      return 0;
    }
  if (error != NULL)
    abort ();
  check_message (message);

  event = hp_videoroom_event_parse (message, &error);
  if (event != NULL)
    check_event (event);
  else if (error == NULL || error->domain != HP_JANUS_ERROR ||
           (error->code != HP_JANUS_ERROR_MALFORMED && error->code != HP_JANUS_ERROR_UNEXPECTED))
    abort ();

  check_written_back (message, event, error);
  check_request (message);
  return 0;
}
