/* Messages of the Janus API and its VideoRoom plugin: frames from the server checked as strict JSON, then field by field; requests written. */
#include "hp-janus-message.h"

#include <errno.h>
#include <math.h>
#include <string.h>

G_DEFINE_QUARK (hp-janus-error-quark, hp_janus_error)

#define VIDEOROOM_PLUGIN "janus.plugin.videoroom"

/* Janus writes numbers with jansson: integers that fit 64 bits, reals in
 * a few dozen characters. Anything longer is not from Janus. */
#define MAX_NUMBER_TEXT 64

/* ---- strict JSON --------------------------------------------------------
 *
 * json-glib 1.6 reads more than JSON: comments, single quotes, hexadecimal
 * and octal-looking numbers, a second value after the first, integers that
 * wrap around past 64 bits (2^64 + 1 reads as 1, a valid identifier), and
 * nesting as deep as the stack allows. The text is held to RFC 8259, within
 * the bounds above, before json-glib sees it. */

typedef struct {
  const char *start;
  const char *at;
  const char *end;
  const char *problem;
} HpJsonScan;

static gboolean scan_value (HpJsonScan *scan,
                            guint       depth);

static gboolean
scan_fail (HpJsonScan *scan,
           const char *problem)
{
  scan->problem = problem;
  return FALSE;
}

static gboolean
scan_more (const HpJsonScan *scan)
{
  return scan->at < scan->end;
}

static void
scan_space (HpJsonScan *scan)
{
  while (scan_more (scan) &&
         (*scan->at == ' ' || *scan->at == '\t' || *scan->at == '\n' || *scan->at == '\r'))
    scan->at++;
}

static void
scan_digits (HpJsonScan *scan)
{
  while (scan_more (scan) && g_ascii_isdigit (*scan->at))
    scan->at++;
}

static gboolean
scan_hex4 (HpJsonScan *scan,
           guint      *unit)
{
  *unit = 0;
  if (scan->end - scan->at < 4)
    return scan_fail (scan, "a truncated \\u escape");
  for (guint i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (scan->at[i]);

      if (digit < 0)
        return scan_fail (scan, "a \\u escape without four hexadecimal digits");
      *unit = (*unit << 4) | (guint) digit;
    }
  scan->at += 4;
  return TRUE;
}

/* Escaped NULs would cut the C string json-glib returns short, so that a
 * field's checked length is not its length. */
static gboolean
scan_unicode_escape (HpJsonScan *scan)
{
  guint unit, low;

  if (!scan_hex4 (scan, &unit))
    return FALSE;
  if (unit == 0)
    return scan_fail (scan, "an escaped NUL in a string");
  if (unit >= 0xdc00 && unit <= 0xdfff)
    return scan_fail (scan, "a lone low surrogate in a string");
  if (unit < 0xd800 || unit > 0xdbff)
    return TRUE;
  if (scan->end - scan->at < 2 || scan->at[0] != '\\' || scan->at[1] != 'u')
    return scan_fail (scan, "a lone high surrogate in a string");
  scan->at += 2;
  if (!scan_hex4 (scan, &low))
    return FALSE;
  if (low < 0xdc00 || low > 0xdfff)
    return scan_fail (scan, "a lone high surrogate in a string");
  return TRUE;
}

static gboolean
scan_string (HpJsonScan *scan)
{
  scan->at++;  /* the opening quote */
  while (scan_more (scan))
    {
      guchar c = (guchar) *scan->at++;

      if (c == '"')
        return TRUE;
      if (c < 0x20)
        return scan_fail (scan, "a control character in a string");
      if (c != '\\')
        continue;
      if (!scan_more (scan))
        break;
      switch (*scan->at++)
        {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
          break;
        case 'u':
          if (!scan_unicode_escape (scan))
            return FALSE;
          break;
        default:
          return scan_fail (scan, "an unknown escape in a string");
        }
    }
  return scan_fail (scan, "an unterminated string");
}

static gboolean
scan_number (HpJsonScan *scan)
{
  const char *begin = scan->at;
  gboolean integral = TRUE;
  char copy[MAX_NUMBER_TEXT + 1];
  gsize length;

  if (*scan->at == '-')
    scan->at++;
  if (!scan_more (scan) || !g_ascii_isdigit (*scan->at))
    return scan_fail (scan, "a number without digits");
  if (*scan->at == '0')
    {
      scan->at++;
      if (scan_more (scan) && g_ascii_isdigit (*scan->at))
        return scan_fail (scan, "a number with a leading zero");
    }
  else
    scan_digits (scan);
  if (scan_more (scan) && *scan->at == '.')
    {
      integral = FALSE;
      scan->at++;
      if (!scan_more (scan) || !g_ascii_isdigit (*scan->at))
        return scan_fail (scan, "a number without digits after its point");
      scan_digits (scan);
    }
  if (scan_more (scan) && (*scan->at == 'e' || *scan->at == 'E'))
    {
      integral = FALSE;
      scan->at++;
      if (scan_more (scan) && (*scan->at == '+' || *scan->at == '-'))
        scan->at++;
      if (!scan_more (scan) || !g_ascii_isdigit (*scan->at))
        return scan_fail (scan, "a number without digits in its exponent");
      scan_digits (scan);
    }

  length = (gsize) (scan->at - begin);
  if (length > MAX_NUMBER_TEXT)
    return scan_fail (scan, "a number of too many digits");
  memcpy (copy, begin, length);
  copy[length] = '\0';
  errno = 0;
  if (integral)
    {
      (void) g_ascii_strtoll (copy, NULL, 10);
      if (errno == ERANGE)
        return scan_fail (scan, "an integer beyond 64 bits");
    }
  else if (!isfinite (g_ascii_strtod (copy, NULL)))
    return scan_fail (scan, "a number beyond the range of a double");
  return TRUE;
}

static gboolean
scan_word (HpJsonScan *scan,
           const char *word)
{
  gsize length = strlen (word);

  if ((gsize) (scan->end - scan->at) < length || memcmp (scan->at, word, length) != 0)
    return scan_fail (scan, "an unknown word");
  scan->at += length;
  return TRUE;
}

static gboolean
scan_object (HpJsonScan *scan,
             guint       depth)
{
  scan->at++;  /* { */
  scan_space (scan);
  if (scan_more (scan) && *scan->at == '}')
    {
      scan->at++;
      return TRUE;
    }
  for (;;)
    {
      scan_space (scan);
      if (!scan_more (scan) || *scan->at != '"')
        return scan_fail (scan, "an object member without a quoted name");
      if (!scan_string (scan))
        return FALSE;
      scan_space (scan);
      if (!scan_more (scan) || *scan->at != ':')
        return scan_fail (scan, "an object member without a colon");
      scan->at++;
      if (!scan_value (scan, depth))
        return FALSE;
      scan_space (scan);
      if (scan_more (scan) && *scan->at == ',')
        scan->at++;
      else if (scan_more (scan) && *scan->at == '}')
        {
          scan->at++;
          return TRUE;
        }
      else
        return scan_fail (scan, "an object not closed");
    }
}

static gboolean
scan_array (HpJsonScan *scan,
            guint       depth)
{
  scan->at++;  /* [ */
  scan_space (scan);
  if (scan_more (scan) && *scan->at == ']')
    {
      scan->at++;
      return TRUE;
    }
  for (;;)
    {
      if (!scan_value (scan, depth))
        return FALSE;
      scan_space (scan);
      if (scan_more (scan) && *scan->at == ',')
        scan->at++;
      else if (scan_more (scan) && *scan->at == ']')
        {
          scan->at++;
          return TRUE;
        }
      else
        return scan_fail (scan, "an array not closed");
    }
}

/* @depth counts the objects and arrays around the value. */
static gboolean
scan_value (HpJsonScan *scan,
            guint       depth)
{
  scan_space (scan);
  if (!scan_more (scan))
    return scan_fail (scan, "a value missing");
  switch (*scan->at)
    {
    case '{':
    case '[':
      if (depth >= HP_JANUS_MAX_DEPTH)
        return scan_fail (scan, "objects and arrays nested too deep");
      return *scan->at == '{' ? scan_object (scan, depth + 1) : scan_array (scan, depth + 1);
    case '"':
      return scan_string (scan);
    case 't':
      return scan_word (scan, "true");
    case 'f':
      return scan_word (scan, "false");
    case 'n':
      return scan_word (scan, "null");
    default:
      if (*scan->at == '-' || g_ascii_isdigit (*scan->at))
        return scan_number (scan);
      return scan_fail (scan, "a character that starts no value");
    }
}

/* Whether @text is one JSON object, within the bounds above (not counting
 * its length). Sets @error, which names no value, when it is not. */
static gboolean
check_strict_json (const char  *text,
                   gsize        length,
                   GError     **error)
{
  HpJsonScan scan = { text, text, text + length, NULL };

  scan_space (&scan);
  if (!scan_more (&scan) || *scan.at != '{')
    {
      g_set_error_literal (error, HP_JANUS_ERROR, HP_JANUS_ERROR_MALFORMED,
                           "the message is not a JSON object");
      return FALSE;
    }
  if (scan_value (&scan, 0))
    {
      scan_space (&scan);
      if (!scan_more (&scan))
        return TRUE;
      scan.problem = "more after the object";
    }
  g_set_error (error, HP_JANUS_ERROR, HP_JANUS_ERROR_MALFORMED,
               "the message is not strict JSON: %s at byte %" G_GSIZE_FORMAT,
               scan.problem, (gsize) (scan.at - scan.start));
  return FALSE;
}

/* ---- fields -------------------------------------------------------------
 *
 * @where is the path of the object holding the member ("plugindata.data",
 * "plugindata.data.publishers[3]"), %NULL at the top. The readers leave
 * their output untouched when an optional member is absent. JSON null is
 * a value of the wrong type, not an absence: Janus leaves out what it has
 * not. */

static gboolean
field_error (GError     **error,
             const char  *where,
             const char  *member,
             const char  *problem)
{
  if (where != NULL)
    g_set_error (error, HP_JANUS_ERROR, HP_JANUS_ERROR_MALFORMED, "%s.%s %s", where, member, problem);
  else
    g_set_error (error, HP_JANUS_ERROR, HP_JANUS_ERROR_MALFORMED, "%s %s", member, problem);
  return FALSE;
}

static gboolean
node_holds (JsonNode *node,
            GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* Only what json-glib read as an integer: a double, even 12.0, is not an
 * identifier Janus wrote. */
static gboolean
node_is_id (JsonNode *node,
            guint64  *id)
{
  gint64 value;

  if (!node_holds (node, G_TYPE_INT64))
    return FALSE;
  value = json_node_get_int (node);
  if (value < 1 || (guint64) value > HP_JANUS_MAX_ID)
    return FALSE;
  *id = (guint64) value;
  return TRUE;
}

static gboolean
node_is_ok (JsonNode *node)
{
  return node_holds (node, G_TYPE_STRING) && strcmp (json_node_get_string (node), "ok") == 0;
}

static gboolean
read_id (JsonObject  *object,
         const char  *where,
         const char  *member,
         gboolean     required,
         guint64     *id,
         GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return !required || field_error (error, where, member, "is missing");
  if (!node_is_id (node, id))
    return field_error (error, where, member, "is not an identifier");
  return TRUE;
}

static gboolean
read_string (JsonObject  *object,
             const char  *where,
             const char  *member,
             gsize        max_length,
             gboolean     required,
             char       **text,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *value;

  if (node == NULL)
    return !required || field_error (error, where, member, "is missing");
  if (!node_holds (node, G_TYPE_STRING))
    return field_error (error, where, member, "is not a string");
  value = json_node_get_string (node);
  if (strlen (value) > max_length)
    {
      g_autofree char *problem = g_strdup_printf ("is longer than %" G_GSIZE_FORMAT " bytes", max_length);

      return field_error (error, where, member, problem);
    }
  g_free (*text);
  *text = g_strdup (value);
  return TRUE;
}

static gboolean
read_boolean (JsonObject  *object,
              const char  *where,
              const char  *member,
              gboolean     required,
              gboolean    *value,
              GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return !required || field_error (error, where, member, "is missing");
  if (!node_holds (node, G_TYPE_BOOLEAN))
    return field_error (error, where, member, "is not a boolean");
  *value = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
read_int (JsonObject  *object,
          const char  *where,
          const char  *member,
          int          min,
          int          max,
          gboolean     required,
          int         *value,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  gint64 number;

  if (node == NULL)
    return !required || field_error (error, where, member, "is missing");
  if (!node_holds (node, G_TYPE_INT64))
    return field_error (error, where, member, "is not an integer");
  number = json_node_get_int (node);
  if (number < min || number > max)
    return field_error (error, where, member, "is out of range");
  *value = (int) number;
  return TRUE;
}

static gboolean
read_object (JsonObject  *object,
             const char  *where,
             const char  *member,
             gboolean     required,
             JsonObject **value,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return !required || field_error (error, where, member, "is missing");
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return field_error (error, where, member, "is not an object");
  *value = json_node_get_object (node);
  return TRUE;
}

static gboolean
read_array (JsonObject  *object,
            const char  *where,
            const char  *member,
            gboolean     required,
            JsonArray  **value,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return !required || field_error (error, where, member, "is missing");
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return field_error (error, where, member, "is not an array");
  *value = json_node_get_array (node);
  return TRUE;
}

/* ---- server messages ----------------------------------------------------- */

static const struct {
  const char  *name;
  HpJanusKind  kind;
} janus_kinds[] = {
  { "success", HP_JANUS_KIND_SUCCESS },
  { "error", HP_JANUS_KIND_ERROR },
  { "ack", HP_JANUS_KIND_ACK },
  { "event", HP_JANUS_KIND_EVENT },
  { "webrtcup", HP_JANUS_KIND_WEBRTCUP },
  { "media", HP_JANUS_KIND_MEDIA },
  { "slowlink", HP_JANUS_KIND_SLOWLINK },
  { "hangup", HP_JANUS_KIND_HANGUP },
  { "detached", HP_JANUS_KIND_DETACHED },
  { "timeout", HP_JANUS_KIND_TIMEOUT },
  { "trickle", HP_JANUS_KIND_TRICKLE },
};

void
hp_janus_message_free (HpJanusMessage *message)
{
  if (message == NULL)
    return;
  g_free (message->transaction);
  g_free (message->error_reason);
  g_free (message->media_type);
  g_free (message->plugin);
  g_clear_pointer (&message->plugin_data, json_object_unref);
  g_free (message->jsep_type);
  g_free (message->jsep_sdp);
  g_free (message->trickle_candidate);
  g_free (message->trickle_mid);
  g_free (message);
}

static gboolean
read_plugindata (JsonObject      *root,
                 gboolean         required,
                 HpJanusMessage  *message,
                 GError         **error)
{
  JsonObject *plugindata = NULL;
  JsonObject *data = NULL;

  if (!read_object (root, NULL, "plugindata", required, &plugindata, error))
    return FALSE;
  if (plugindata == NULL)
    return TRUE;
  if (!read_string (plugindata, "plugindata", "plugin", HP_JANUS_MAX_TEXT, TRUE, &message->plugin, error) ||
      !read_object (plugindata, "plugindata", "data", TRUE, &data, error))
    return FALSE;
  message->plugin_data = json_object_ref (data);
  return TRUE;
}

static gboolean
read_jsep (JsonObject      *root,
           HpJanusMessage  *message,
           GError         **error)
{
  JsonObject *jsep = NULL;

  if (!read_object (root, NULL, "jsep", FALSE, &jsep, error))
    return FALSE;
  if (jsep == NULL)
    return TRUE;
  if (!read_string (jsep, "jsep", "type", HP_JANUS_MAX_TEXT, TRUE, &message->jsep_type, error))
    return FALSE;
  if (strcmp (message->jsep_type, "offer") != 0 && strcmp (message->jsep_type, "answer") != 0)
    return field_error (error, "jsep", "type", "is neither offer nor answer");
  return read_string (jsep, "jsep", "sdp", HP_JANUS_MAX_SDP, TRUE, &message->jsep_sdp, error);
}

/* Janus sends either a candidate or, once, {"completed": true}. */
static gboolean
read_trickle (JsonObject      *root,
              HpJanusMessage  *message,
              GError         **error)
{
  JsonObject *candidate = NULL;

  if (!read_object (root, NULL, "candidate", TRUE, &candidate, error) ||
      !read_boolean (candidate, "candidate", "completed", FALSE, &message->trickle_completed, error))
    return FALSE;
  if (message->trickle_completed)
    return TRUE;
  return read_string (candidate, "candidate", "candidate", HP_JANUS_MAX_TEXT, TRUE, &message->trickle_candidate, error) &&
         read_string (candidate, "candidate", "sdpMid", HP_JANUS_MAX_TEXT, FALSE, &message->trickle_mid, error) &&
         read_int (candidate, "candidate", "sdpMLineIndex", 0, G_MAXUINT16, FALSE, &message->trickle_mline, error);
}

/* What each kind carries, as Janus 1.1 writes it (janus.c, ice.c): replies
 * to a request echo its transaction, events about a handle name it as the
 * sender. A "success" holds data.id when it answers "create" or "attach",
 * and plugindata when a plugin answered at once; an "error" may come
 * without a transaction when the request's could not be read. */
static gboolean
read_kind_fields (JsonObject      *root,
                  HpJanusMessage  *message,
                  GError         **error)
{
  gboolean need_transaction = FALSE;
  gboolean need_sender = TRUE;

  switch (message->kind)
    {
    case HP_JANUS_KIND_SUCCESS:
    case HP_JANUS_KIND_ACK:
      need_transaction = TRUE;
      need_sender = FALSE;
      break;
    case HP_JANUS_KIND_ERROR:
    case HP_JANUS_KIND_TIMEOUT:
      need_sender = FALSE;
      break;
    case HP_JANUS_KIND_EVENT:
    case HP_JANUS_KIND_WEBRTCUP:
    case HP_JANUS_KIND_MEDIA:
    case HP_JANUS_KIND_SLOWLINK:
    case HP_JANUS_KIND_HANGUP:
    case HP_JANUS_KIND_DETACHED:
    case HP_JANUS_KIND_TRICKLE:
    default:
      break;
    }
  if (!read_string (root, NULL, "transaction", HP_JANUS_MAX_TRANSACTION, need_transaction, &message->transaction, error) ||
      !read_id (root, NULL, "session_id", message->kind == HP_JANUS_KIND_TIMEOUT, &message->session_id, error) ||
      !read_id (root, NULL, "sender", need_sender, &message->sender, error))
    return FALSE;

  switch (message->kind)
    {
    case HP_JANUS_KIND_SUCCESS:
      {
        JsonObject *data = NULL;

        if (!read_object (root, NULL, "data", FALSE, &data, error))
          return FALSE;
        if (data != NULL && !read_id (data, "data", "id", TRUE, &message->data_id, error))
          return FALSE;
        return read_plugindata (root, FALSE, message, error);
      }
    case HP_JANUS_KIND_ERROR:
      {
        JsonObject *reply = NULL;

        return read_object (root, NULL, "error", TRUE, &reply, error) &&
               read_int (reply, "error", "code", 1, G_MAXINT, TRUE, &message->error_code, error) &&
               read_string (reply, "error", "reason", HP_JANUS_MAX_TEXT, TRUE, &message->error_reason, error);
      }
    case HP_JANUS_KIND_EVENT:
      return read_plugindata (root, TRUE, message, error) && read_jsep (root, message, error);
    case HP_JANUS_KIND_MEDIA:
      return read_string (root, NULL, "type", HP_JANUS_MAX_TEXT, TRUE, &message->media_type, error) &&
             read_boolean (root, NULL, "receiving", TRUE, &message->receiving, error);
    case HP_JANUS_KIND_HANGUP:
      return read_string (root, NULL, "reason", HP_JANUS_MAX_TEXT, TRUE, &message->error_reason, error);
    case HP_JANUS_KIND_TRICKLE:
      return read_trickle (root, message, error);
    case HP_JANUS_KIND_ACK:
    case HP_JANUS_KIND_WEBRTCUP:
    case HP_JANUS_KIND_SLOWLINK:
    case HP_JANUS_KIND_DETACHED:
    case HP_JANUS_KIND_TIMEOUT:
    default:
      return TRUE;
    }
}

HpJanusMessage *
hp_janus_message_parse (const char  *text,
                        gsize        length,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(HpJanusMessage) message = NULL;
  g_autofree char *kind = NULL;
  JsonNode *root;
  gsize i;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length > HP_JANUS_MAX_MESSAGE)
    {
      g_set_error (error, HP_JANUS_ERROR, HP_JANUS_ERROR_MALFORMED,
                   "the message is longer than %d bytes", HP_JANUS_MAX_MESSAGE);
      return NULL;
    }
  if (length > 0 && memchr (text, '\0', length) != NULL)
    {
      g_set_error_literal (error, HP_JANUS_ERROR, HP_JANUS_ERROR_MALFORMED,
                           "the message holds a NUL byte");
      return NULL;
    }
  if (!g_utf8_validate_len (text, length, NULL))
    {
      g_set_error_literal (error, HP_JANUS_ERROR, HP_JANUS_ERROR_MALFORMED,
                           "the message is not UTF-8");
      return NULL;
    }
  if (!check_strict_json (text, length, error))
    return NULL;

  /* json-glib's own errors quote the text they stumbled on. */
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, (gssize) length, NULL))
    {
      g_set_error_literal (error, HP_JANUS_ERROR, HP_JANUS_ERROR_MALFORMED,
                           "the message is JSON that json-glib does not read");
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, HP_JANUS_ERROR, HP_JANUS_ERROR_MALFORMED,
                           "the message is not a JSON object");
      return NULL;
    }

  if (!read_string (json_node_get_object (root), NULL, "janus", HP_JANUS_MAX_TEXT, TRUE, &kind, error))
    return NULL;
  message = g_new0 (HpJanusMessage, 1);
  message->trickle_mline = -1;
  for (i = 0; i < G_N_ELEMENTS (janus_kinds); i++)
    if (strcmp (kind, janus_kinds[i].name) == 0)
      break;
  if (i == G_N_ELEMENTS (janus_kinds))
    {
      g_set_error_literal (error, HP_JANUS_ERROR, HP_JANUS_ERROR_UNEXPECTED,
                           "janus names a kind of message the kiosk does not know");
      return NULL;
    }
  message->kind = janus_kinds[i].kind;

  if (!read_kind_fields (json_node_get_object (root), message, error))
    return NULL;
  return g_steal_pointer (&message);
}

/* ---- the VideoRoom plugin ------------------------------------------------ */

#define VIDEOROOM_DATA "plugindata.data"

static const struct {
  const char      *name;
  HpVideoroomKind  kind;
} videoroom_kinds[] = {
  { "joined", HP_VIDEOROOM_JOINED },
  { "attached", HP_VIDEOROOM_ATTACHED },
  { "event", HP_VIDEOROOM_EVENT },
  { "created", HP_VIDEOROOM_CREATED },
  { "destroyed", HP_VIDEOROOM_DESTROYED },
  { "success", HP_VIDEOROOM_SUCCESS },
  { "talking", HP_VIDEOROOM_TALKING },
  { "stopped-talking", HP_VIDEOROOM_TALKING },
  { "slow_link", HP_VIDEOROOM_SLOW_LINK },
  { "updated", HP_VIDEOROOM_UPDATED },
};

static void
videoroom_publisher_free (gpointer data)
{
  HpVideoroomPublisher *publisher = data;

  g_free (publisher->display);
  g_free (publisher);
}

void
hp_videoroom_event_free (HpVideoroomEvent *event)
{
  if (event == NULL)
    return;
  g_clear_pointer (&event->publishers, g_ptr_array_unref);
  g_free (event->error);
  g_free (event);
}

static gboolean
read_publishers (JsonObject  *data,
                 gboolean     required,
                 GPtrArray   *publishers,
                 GError     **error)
{
  JsonArray *array = NULL;
  guint count;

  if (!read_array (data, VIDEOROOM_DATA, "publishers", required, &array, error))
    return FALSE;
  if (array == NULL)
    return TRUE;
  count = json_array_get_length (array);
  if (count > HP_JANUS_MAX_PUBLISHERS)
    {
      g_set_error (error, HP_JANUS_ERROR, HP_JANUS_ERROR_MALFORMED,
                   VIDEOROOM_DATA ".publishers has more than %d entries", HP_JANUS_MAX_PUBLISHERS);
      return FALSE;
    }
  for (guint i = 0; i < count; i++)
    {
      g_autofree char *where = g_strdup_printf (VIDEOROOM_DATA ".publishers[%u]", i);
      JsonNode *node = json_array_get_element (array, i);
      HpVideoroomPublisher *publisher;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, HP_JANUS_ERROR, HP_JANUS_ERROR_MALFORMED, "%s is not an object", where);
          return FALSE;
        }
      publisher = g_new0 (HpVideoroomPublisher, 1);
      g_ptr_array_add (publishers, publisher);
      if (!read_id (json_node_get_object (node), where, "id", TRUE, &publisher->id, error) ||
          !read_string (json_node_get_object (node), where, "display", HP_JANUS_MAX_TEXT, FALSE,
                        &publisher->display, error))
        return FALSE;
    }
  return TRUE;
}

/* "leaving" and "unpublished" name another participant by id, or say
 * "ok" to the participant itself. */
static gboolean
read_id_or_ok (JsonObject  *data,
               const char  *member,
               guint64     *id,
               gboolean    *ok,
               GError     **error)
{
  JsonNode *node = json_object_get_member (data, member);

  if (node == NULL)
    return TRUE;
  if (node_is_ok (node))
    {
      *ok = TRUE;
      return TRUE;
    }
  if (!node_is_id (node, id))
    return field_error (error, VIDEOROOM_DATA, member, "is neither ok nor an identifier");
  return TRUE;
}

/* "configured", "started" and "left" say "ok" when they come at all. */
static gboolean
read_ok (JsonObject  *data,
         const char  *member,
         gboolean    *ok,
         GError     **error)
{
  JsonNode *node = json_object_get_member (data, member);

  if (node == NULL)
    return TRUE;
  if (!node_is_ok (node))
    return field_error (error, VIDEOROOM_DATA, member, "is not ok");
  *ok = TRUE;
  return TRUE;
}

/* A plugin error: error_code and error come together (janus_videoroom.c
 * writes both, in its replies and in its events). */
static gboolean
read_plugin_error (JsonObject        *data,
                   HpVideoroomEvent  *event,
                   GError           **error)
{
  gboolean has_code = json_object_has_member (data, "error_code");
  gboolean has_text = json_object_has_member (data, "error");

  if (!has_code && !has_text)
    return TRUE;
  return read_int (data, VIDEOROOM_DATA, "error_code", 1, G_MAXINT, TRUE, &event->error_code, error) &&
         read_string (data, VIDEOROOM_DATA, "error", HP_JANUS_MAX_TEXT, TRUE, &event->error, error);
}

static gboolean
read_videoroom_event (JsonObject        *data,
                      HpVideoroomEvent  *event,
                      GError           **error)
{
  JsonNode *kicked;

  if (!read_publishers (data, FALSE, event->publishers, error) ||
      !read_id_or_ok (data, "leaving", &event->leaving, &event->left, error) ||
      !read_id_or_ok (data, "unpublished", &event->unpublished, &event->unpublished_self, error) ||
      !read_ok (data, "left", &event->left, error) ||
      !read_ok (data, "configured", &event->configured, error) ||
      !read_ok (data, "started", &event->started, error) ||
      !read_plugin_error (data, event, error))
    return FALSE;

  /* Whom the room's owner put out is gone as if it had left. The kiosk,
   * when put out itself, is told "leaving": "ok" instead. */
  kicked = json_object_get_member (data, "kicked");
  if (kicked != NULL)
    {
      guint64 id;

      if (!node_is_id (kicked, &id))
        return field_error (error, VIDEOROOM_DATA, "kicked", "is not an identifier");
      if (event->leaving == 0)
        event->leaving = id;
    }
  return TRUE;
}

HpVideoroomEvent *
hp_videoroom_event_parse (const HpJanusMessage  *message,
                          GError               **error)
{
  g_autoptr(HpVideoroomEvent) event = NULL;
  g_autofree char *kind = NULL;
  JsonObject *data;
  gboolean needs_room;
  gsize i;

  g_return_val_if_fail (message != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((message->kind != HP_JANUS_KIND_EVENT && message->kind != HP_JANUS_KIND_SUCCESS) ||
      message->plugin == NULL || strcmp (message->plugin, VIDEOROOM_PLUGIN) != 0 ||
      message->plugin_data == NULL)
    {
      g_set_error_literal (error, HP_JANUS_ERROR, HP_JANUS_ERROR_UNEXPECTED,
                           "the message carries no data of the VideoRoom plugin");
      return NULL;
    }
  data = message->plugin_data;
  if (!read_string (data, VIDEOROOM_DATA, "videoroom", HP_JANUS_MAX_TEXT, TRUE, &kind, error))
    return NULL;
  for (i = 0; i < G_N_ELEMENTS (videoroom_kinds); i++)
    if (strcmp (kind, videoroom_kinds[i].name) == 0)
      break;
  if (i == G_N_ELEMENTS (videoroom_kinds))
    {
      g_set_error_literal (error, HP_JANUS_ERROR, HP_JANUS_ERROR_UNEXPECTED,
                           VIDEOROOM_DATA ".videoroom names a kind the kiosk does not know");
      return NULL;
    }

  event = g_new0 (HpVideoroomEvent, 1);
  event->kind = videoroom_kinds[i].kind;
  event->publishers = g_ptr_array_new_with_free_func (videoroom_publisher_free);

  /* Replies about a room, and what a room's publishers and subscribers
   * are told, name the room; an "event" with an error may not. */
  switch (event->kind)
    {
    case HP_VIDEOROOM_JOINED:
    case HP_VIDEOROOM_ATTACHED:
    case HP_VIDEOROOM_CREATED:
    case HP_VIDEOROOM_DESTROYED:
    case HP_VIDEOROOM_UPDATED:
      needs_room = TRUE;
      break;
    case HP_VIDEOROOM_EVENT:
    case HP_VIDEOROOM_SUCCESS:
    case HP_VIDEOROOM_TALKING:
    case HP_VIDEOROOM_SLOW_LINK:
    default:
      needs_room = FALSE;
      break;
    }
  if (!read_id (data, VIDEOROOM_DATA, "room", needs_room, &event->room, error))
    return NULL;

  switch (event->kind)
    {
    case HP_VIDEOROOM_JOINED:
      if (!read_id (data, VIDEOROOM_DATA, "id", TRUE, &event->id, error) ||
          !read_id (data, VIDEOROOM_DATA, "private_id", TRUE, &event->private_id, error) ||
          !read_publishers (data, TRUE, event->publishers, error))
        return NULL;
      break;
    case HP_VIDEOROOM_EVENT:
      if (!read_videoroom_event (data, event, error))
        return NULL;
      break;
    case HP_VIDEOROOM_SUCCESS:
      if (!read_boolean (data, VIDEOROOM_DATA, "exists", FALSE, &event->exists, error))
        return NULL;
      break;
    case HP_VIDEOROOM_ATTACHED:
    case HP_VIDEOROOM_CREATED:
    case HP_VIDEOROOM_DESTROYED:
    case HP_VIDEOROOM_TALKING:
    case HP_VIDEOROOM_SLOW_LINK:
    case HP_VIDEOROOM_UPDATED:
    default:
      break;
    }
  return g_steal_pointer (&event);
}

/* ---- requests ------------------------------------------------------------ */

static const char *const request_members[] = {
  "janus", "transaction", "session_id", "handle_id", "body", "jsep",
};

static gboolean
extra_repeats_none (JsonObject *extra)
{
  for (gsize i = 0; i < G_N_ELEMENTS (request_members); i++)
    if (json_object_has_member (extra, request_members[i]))
      return FALSE;
  return TRUE;
}

static void
add_object_member (JsonBuilder *builder,
                   const char  *name,
                   JsonObject  *object)
{
  JsonNode *node = json_node_alloc ();

  json_node_init_object (node, object);
  json_builder_set_member_name (builder, name);
  json_builder_add_value (builder, node);
}

char *
hp_janus_request_to_text (const char *verb,
                          const char *transaction,
                          guint64     session_id,
                          guint64     handle_id,
                          JsonObject *body,
                          JsonObject *jsep,
                          JsonObject *extra)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;

  g_return_val_if_fail (verb != NULL && g_utf8_validate (verb, -1, NULL), NULL);
  g_return_val_if_fail (transaction != NULL && g_utf8_validate (transaction, -1, NULL), NULL);
  g_return_val_if_fail (strlen (transaction) <= HP_JANUS_MAX_TRANSACTION, NULL);
  g_return_val_if_fail (session_id <= HP_JANUS_MAX_ID && handle_id <= HP_JANUS_MAX_ID, NULL);
  g_return_val_if_fail (extra == NULL || extra_repeats_none (extra), NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "janus");
  json_builder_add_string_value (builder, verb);
  json_builder_set_member_name (builder, "transaction");
  json_builder_add_string_value (builder, transaction);
  if (session_id != 0)
    {
      json_builder_set_member_name (builder, "session_id");
      json_builder_add_int_value (builder, (gint64) session_id);
    }
  if (handle_id != 0)
    {
      json_builder_set_member_name (builder, "handle_id");
      json_builder_add_int_value (builder, (gint64) handle_id);
    }
  if (body != NULL)
    add_object_member (builder, "body", body);
  if (jsep != NULL)
    add_object_member (builder, "jsep", jsep);
  if (extra != NULL)
    {
      g_autoptr(GList) names = json_object_get_members (extra);

      for (GList *l = names; l != NULL; l = l->next)
        {
          json_builder_set_member_name (builder, l->data);
          json_builder_add_value (builder, json_node_copy (json_object_get_member (extra, l->data)));
        }
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);

  /* json-glib 1.6 writes a double whose shortest form has an exponent
   * and no point, such as 1e-300, as "1e-300.0": not JSON, which Janus
   * would refuse. Nothing the server could not read is sent. */
  if (!g_utf8_validate_len (text, length, NULL) || !check_strict_json (text, length, NULL))
    return NULL;
  return g_steal_pointer (&text);
}
