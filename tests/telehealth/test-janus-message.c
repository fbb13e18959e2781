/* Tests of the Janus message reader and writer: each kind read with its fields, each malformed frame refused by the name of its field, requests read back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hp-janus-message.h"

/* ---- fixtures -------------------------------------------------------------
 *
 * The shapes follow Janus's documentation as of 1.1.2, the version Debian
 * ships: the JSON API page ("RESTful, WebSockets, ... API", src/mainpage.dox)
 * and the VideoRoom plugin page (the header comment of
 * src/plugins/janus_videoroom.c). Ids, transactions, names and SDP are made
 * up. Where a fixture deviates on purpose, it says so:
 * - "session_id" is added to replies and events: Janus writes it into every
 *   message about a session (janus_create_message() in janus.c), while the
 *   documentation's examples leave it out;
 * - the documentation's error example lacks two commas; here it is JSON;
 * - media, slowlink, detached, trickle and timeout, which the documentation
 *   shows incompletely or not at all, have the members src/ice.c and
 *   src/janus.c of 1.1.2 write ("mid" on media; "media", "mid", "uplink",
 *   "lost" on slowlink, where the documentation still says "nacks");
 * - VideoRoom events carry "room", which janus_videoroom.c writes on
 *   "configured", "started", "left" and the leaving and kicking events
 *   although the documentation leaves it out of some;
 * - "kicked", the "reason" of the kiosk's own "leaving", the VideoRoom's
 *   "slow_link" and the errors' texts are as janus_videoroom.c writes them,
 *   undocumented. */

#define SESSION "2961386713541431"
#define HANDLE "6208841227348829"
#define VIDEOROOM "\"plugin\":\"janus.plugin.videoroom\""

/* mainpage.dox, "The server root": the reply to "create". */
static const char create_success[] =
  "{\"janus\":\"success\",\"transaction\":\"q7Hc2LwZp0Ra\",\"data\":{\"id\":" SESSION "}}";

/* mainpage.dox, "The session endpoint": the reply to "attach". */
static const char attach_success[] =
  "{\"janus\":\"success\",\"session_id\":" SESSION ",\"transaction\":\"Ve81nKsQ3uTm\","
  "\"data\":{\"id\":" HANDLE "}}";

/* mainpage.dox, "Plain HTTP REST Interface": an error. */
static const char session_error[] =
  "{\"janus\":\"error\",\"transaction\":\"c4Ud92LmXo1e\","
  "\"error\":{\"code\":458,\"reason\":\"Could not find session 12345678\"}}";

/* mainpage.dox, "The plugin handle endpoint": a message taken. */
static const char message_ack[] =
  "{\"janus\":\"ack\",\"session_id\":" SESSION ",\"transaction\":\"Fb0k3PzR8sLw\"}";

/* mainpage.dox, "The session endpoint": an event of another plugin. */
static const char echotest_event[] =
  "{\"janus\":\"event\",\"sender\":" HANDLE ",\"transaction\":\"Mn5Yt2bQ7eKa\","
  "\"plugindata\":{\"plugin\":\"janus.plugin.echotest\",\"data\":{\"echotest\":\"event\",\"result\":\"ok\"}}}";

/* mainpage.dox, "WebRTC-related events". */
static const char webrtcup[] =
  "{\"janus\":\"webrtcup\",\"session_id\":" SESSION ",\"sender\":" HANDLE "}";
static const char media_video[] =
  "{\"janus\":\"media\",\"session_id\":" SESSION ",\"sender\":" HANDLE ",\"mid\":\"1\","
  "\"type\":\"video\",\"receiving\":true}";
static const char media_audio_stopped[] =
  "{\"janus\":\"media\",\"session_id\":" SESSION ",\"sender\":" HANDLE ",\"mid\":\"0\","
  "\"type\":\"audio\",\"receiving\":false,\"seconds\":2}";
static const char slowlink[] =
  "{\"janus\":\"slowlink\",\"session_id\":" SESSION ",\"sender\":" HANDLE ",\"mid\":\"1\","
  "\"media\":\"video\",\"uplink\":true,\"lost\":14}";
static const char hangup[] =
  "{\"janus\":\"hangup\",\"session_id\":" SESSION ",\"sender\":" HANDLE ",\"reason\":\"DTLS alert\"}";

/* ice.c, when a handle's traffic stops for good (the documentation names
 * the event only). */
static const char detached[] =
  "{\"janus\":\"detached\",\"session_id\":" SESSION ",\"sender\":" HANDLE "}";

/* janus.c, janus_check_sessions(): a session that had no keepalive. */
static const char session_timeout[] =
  "{\"janus\":\"timeout\",\"session_id\":" SESSION "}";

/* ice.c, janus_ice_notify_trickle(): a candidate of the server's, then the end. */
static const char trickle_candidate[] =
  "{\"janus\":\"trickle\",\"session_id\":" SESSION ",\"sender\":" HANDLE ","
  "\"candidate\":{\"sdpMid\":\"0\",\"sdpMLineIndex\":0,"
  "\"candidate\":\"candidate:1 1 udp 2015363327 192.0.2.10 41234 typ host\"}}";
static const char trickle_completed[] =
  "{\"janus\":\"trickle\",\"session_id\":" SESSION ",\"sender\":" HANDLE ",\"candidate\":{\"completed\":true}}";

/* janus_videoroom.c, "VideoRoom Publishers": joined, with two publishers
 * (the second without a display name). */
static const char joined_two_publishers[] =
  "{\"janus\":\"event\",\"session_id\":" SESSION ",\"sender\":" HANDLE ",\"transaction\":\"Jo1nR8vT2kqZ\","
  "\"plugindata\":{" VIDEOROOM ",\"data\":{\"videoroom\":\"joined\",\"room\":1234,"
  "\"description\":\"Clinic room\",\"id\":5432101234,\"private_id\":3219876543,"
  "\"publishers\":[{\"id\":7766554433,\"display\":\"Dr. Adaeze Okafor\",\"streams\":["
  "{\"type\":\"audio\",\"mindex\":0,\"mid\":\"0\",\"codec\":\"opus\"},"
  "{\"type\":\"video\",\"mindex\":1,\"mid\":\"1\",\"codec\":\"vp8\"}],\"talking\":false},"
  "{\"id\":2233445566,\"streams\":[{\"type\":\"video\",\"mindex\":0,\"mid\":\"0\",\"codec\":\"vp8\"}]}]}}}";

/* A publisher became active. */
static const char publisher_arrived[] =
  "{\"janus\":\"event\",\"session_id\":" SESSION ",\"sender\":" HANDLE ","
  "\"plugindata\":{" VIDEOROOM ",\"data\":{\"videoroom\":\"event\",\"room\":1234,"
  "\"publishers\":[{\"id\":7766554433,\"display\":\"Dr. Adaeze Okafor\",\"streams\":["
  "{\"type\":\"video\",\"mindex\":0,\"mid\":\"0\",\"codec\":\"vp8\"}]}]}}}";

/* The answer to "publish", with the server's SDP. */
#define ANSWER_SDP "v=0\\r\\no=- 4242 2 IN IP4 192.0.2.10\\r\\ns=VideoRoom 1234\\r\\nt=0 0\\r\\n" \
  "m=video 9 UDP/TLS/RTP/SAVPF 96\\r\\nc=IN IP4 192.0.2.10\\r\\na=mid:1\\r\\na=recvonly\\r\\n"
static const char configured_answer[] =
  "{\"janus\":\"event\",\"session_id\":" SESSION ",\"sender\":" HANDLE ",\"transaction\":\"Pub7sH3dLq0x\","
  "\"plugindata\":{" VIDEOROOM ",\"data\":{\"videoroom\":\"event\",\"room\":1234,\"configured\":\"ok\"}},"
  "\"jsep\":{\"type\":\"answer\",\"sdp\":\"" ANSWER_SDP "\"}}";

/* "VideoRoom Subscribers": attached, with the server's offer; then started. */
static const char attached_offer[] =
  "{\"janus\":\"event\",\"session_id\":" SESSION ",\"sender\":" HANDLE ",\"transaction\":\"Sub2Kp9wXe4n\","
  "\"plugindata\":{" VIDEOROOM ",\"data\":{\"videoroom\":\"attached\",\"room\":1234,\"streams\":["
  "{\"mindex\":0,\"mid\":\"0\",\"type\":\"video\",\"feed_id\":7766554433,\"feed_mid\":\"1\","
  "\"feed_display\":\"Dr. Adaeze Okafor\",\"send\":true,\"ready\":false}]}},"
  "\"jsep\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 5151 2 IN IP4 192.0.2.10\\r\\ns=-\\r\\nt=0 0\\r\\n\"}}";
static const char started[] =
  "{\"janus\":\"event\",\"session_id\":" SESSION ",\"sender\":" HANDLE ",\"transaction\":\"St4rT0kQ9wLc\","
  "\"plugindata\":{" VIDEOROOM ",\"data\":{\"videoroom\":\"event\",\"room\":1234,\"started\":\"ok\"}}}";

/* Publishers stop and leave: others, then the kiosk itself. */
#define VIDEOROOM_EVENT(members) \
  "{\"janus\":\"event\",\"session_id\":" SESSION ",\"sender\":" HANDLE "," \
  "\"plugindata\":{" VIDEOROOM ",\"data\":{\"videoroom\":\"event\",\"room\":1234," members "}}}"
static const char unpublished_other[] = VIDEOROOM_EVENT ("\"unpublished\":7766554433");
static const char unpublished_self[] = VIDEOROOM_EVENT ("\"unpublished\":\"ok\"");
static const char leaving_other[] = VIDEOROOM_EVENT ("\"leaving\":7766554433");
static const char leaving_self[] = VIDEOROOM_EVENT ("\"leaving\":\"ok\"");
/* The "kick" request: the room's owner puts a participant out. */
static const char kicked_other[] = VIDEOROOM_EVENT ("\"kicked\":2233445566");
static const char kicked_self[] = VIDEOROOM_EVENT ("\"leaving\":\"ok\",\"reason\":\"kicked\"");
/* A subscription's "leave". */
static const char left_subscription[] = VIDEOROOM_EVENT ("\"left\":\"ok\"");

/* Plugin errors: 433 to an asynchronous "join", 426 to a synchronous
 * request, which comes as the core's "success". */
static const char join_unauthorized[] =
  "{\"janus\":\"event\",\"session_id\":" SESSION ",\"sender\":" HANDLE ",\"transaction\":\"Jo1nR8vT2kqZ\","
  "\"plugindata\":{" VIDEOROOM ",\"data\":{\"videoroom\":\"event\",\"error_code\":433,"
  "\"error\":\"Unauthorized (wrong pin)\"}}}";
static const char destroy_no_such_room[] =
  "{\"janus\":\"success\",\"session_id\":" SESSION ",\"transaction\":\"D3sTr0yQm8Lp\",\"sender\":" HANDLE ","
  "\"plugindata\":{" VIDEOROOM ",\"data\":{\"videoroom\":\"event\",\"error_code\":426,"
  "\"error\":\"No such room (4321)\"}}}";

/* Synchronous replies: "create", "destroy", "exists". */
#define VIDEOROOM_REPLY(members) \
  "{\"janus\":\"success\",\"session_id\":" SESSION ",\"transaction\":\"Syn5cRq2Vb7m\",\"sender\":" HANDLE "," \
  "\"plugindata\":{" VIDEOROOM ",\"data\":{" members "}}}"
static const char room_created[] = VIDEOROOM_REPLY ("\"videoroom\":\"created\",\"room\":1234,\"permanent\":false");
static const char room_destroyed[] = VIDEOROOM_REPLY ("\"videoroom\":\"destroyed\",\"room\":1234");
static const char room_exists[] = VIDEOROOM_REPLY ("\"videoroom\":\"success\",\"room\":1234,\"exists\":true");
static const char room_missing[] = VIDEOROOM_REPLY ("\"videoroom\":\"success\",\"room\":1234,\"exists\":false");

/* Audio levels, a slow link and a renegotiated subscription. */
static const char talking[] =
  "{\"janus\":\"event\",\"session_id\":" SESSION ",\"sender\":" HANDLE ",\"plugindata\":{" VIDEOROOM ","
  "\"data\":{\"videoroom\":\"talking\",\"room\":1234,\"id\":7766554433,\"audio-level-dBov-avg\":37.5}}}";
static const char stopped_talking[] =
  "{\"janus\":\"event\",\"session_id\":" SESSION ",\"sender\":" HANDLE ",\"plugindata\":{" VIDEOROOM ","
  "\"data\":{\"videoroom\":\"stopped-talking\",\"room\":1234,\"id\":7766554433,\"audio-level-dBov-avg\":70.1}}}";
static const char videoroom_slow_link[] =
  "{\"janus\":\"event\",\"session_id\":" SESSION ",\"sender\":" HANDLE ",\"plugindata\":{" VIDEOROOM ","
  "\"data\":{\"videoroom\":\"slow_link\",\"current-bitrate\":256000}}}";
static const char subscription_updated[] =
  "{\"janus\":\"event\",\"session_id\":" SESSION ",\"sender\":" HANDLE ",\"plugindata\":{" VIDEOROOM ","
  "\"data\":{\"videoroom\":\"updated\",\"room\":1234,\"streams\":[]}},"
  "\"jsep\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}}";

/* ---- helpers -------------------------------------------------------------- */

static HpJanusMessage *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  HpJanusMessage *message = hp_janus_message_parse (text, strlen (text), &error);

  if (error != NULL)
    print_error ("%s\n", error->message);
  assert_null (error);
  assert_non_null (message);
  return message;
}

static HpVideoroomEvent *
videoroom_ok (const char *text)
{
  g_autoptr(HpJanusMessage) message = parse_ok (text);
  g_autoptr(GError) error = NULL;
  HpVideoroomEvent *event = hp_videoroom_event_parse (message, &error);

  if (error != NULL)
    print_error ("%s\n", error->message);
  assert_null (error);
  assert_non_null (event);
  assert_non_null (event->publishers);
  return event;
}

/* The error starts with the field's name and does not quote @secret, the
 * value that was wrong. */
static void
assert_error_names (const GError *error,
                    int           code,
                    const char   *field,
                    const char   *secret)
{
  assert_non_null (error);
  if (!g_str_has_prefix (error->message, field) || error->code != code)
    print_error ("expected %s (%d), got: %s (%d)\n", field, code, error->message, error->code);
  assert_true (error->domain == HP_JANUS_ERROR);
  assert_int_equal (error->code, code);
  assert_true (g_str_has_prefix (error->message, field));
  assert_true (error->message[strlen (field)] == ' ' || error->message[strlen (field)] == '\0');
  if (secret != NULL)
    assert_null (strstr (error->message, secret));
}

static void
assert_refused_length (const char *text,
                       gsize       length,
                       const char *field,
                       const char *secret)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HpJanusMessage) message = hp_janus_message_parse (text, length, &error);

  assert_null (message);
  assert_error_names (error, HP_JANUS_ERROR_MALFORMED, field, secret);
}

static void
assert_refused (const char *text,
                const char *field,
                const char *secret)
{
  assert_refused_length (text, strlen (text), field, secret);
}

static void
assert_videoroom_refused (const char *text,
                          const char *field,
                          const char *secret)
{
  g_autoptr(HpJanusMessage) message = parse_ok (text);
  g_autoptr(GError) error = NULL;
  g_autoptr(HpVideoroomEvent) event = hp_videoroom_event_parse (message, &error);

  assert_null (event);
  assert_error_names (error, HP_JANUS_ERROR_MALFORMED, field, secret);
}

/* Replaces the first @from in @text by @to. */
static char *
replace (const char *text,
         const char *from,
         const char *to)
{
  const char *at = strstr (text, from);

  assert_non_null (at);
  return g_strdup_printf ("%.*s%s%s", (int) (at - text), text, to, at + strlen (from));
}

/* ---- the core's messages ------------------------------------------------- */

static void
test_success (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpJanusMessage) created = parse_ok (create_success);
  g_autoptr(HpJanusMessage) attached = parse_ok (attach_success);

  assert_int_equal (created->kind, HP_JANUS_KIND_SUCCESS);
  assert_string_equal (created->transaction, "q7Hc2LwZp0Ra");
  assert_int_equal (created->session_id, 0);
  assert_int_equal (created->sender, 0);
  assert_int_equal (created->data_id, G_GUINT64_CONSTANT (2961386713541431));
  assert_null (created->plugin);
  assert_null (created->plugin_data);
  assert_null (created->jsep_type);

  assert_int_equal (attached->kind, HP_JANUS_KIND_SUCCESS);
  assert_string_equal (attached->transaction, "Ve81nKsQ3uTm");
  assert_int_equal (attached->session_id, G_GUINT64_CONSTANT (2961386713541431));
  assert_int_equal (attached->data_id, G_GUINT64_CONSTANT (6208841227348829));
}

static void
test_error_and_ack (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpJanusMessage) failed = parse_ok (session_error);
  g_autoptr(HpJanusMessage) taken = parse_ok (message_ack);

  assert_int_equal (failed->kind, HP_JANUS_KIND_ERROR);
  assert_string_equal (failed->transaction, "c4Ud92LmXo1e");
  assert_int_equal (failed->error_code, 458);
  assert_string_equal (failed->error_reason, "Could not find session 12345678");

  assert_int_equal (taken->kind, HP_JANUS_KIND_ACK);
  assert_string_equal (taken->transaction, "Fb0k3PzR8sLw");
  assert_int_equal (taken->session_id, G_GUINT64_CONSTANT (2961386713541431));
  assert_int_equal (taken->error_code, 0);
  assert_null (taken->error_reason);
}

static void
test_event (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpJanusMessage) echo = parse_ok (echotest_event);
  g_autoptr(HpJanusMessage) answer = parse_ok (configured_answer);

  assert_int_equal (echo->kind, HP_JANUS_KIND_EVENT);
  assert_string_equal (echo->transaction, "Mn5Yt2bQ7eKa");
  assert_int_equal (echo->sender, G_GUINT64_CONSTANT (6208841227348829));
  assert_string_equal (echo->plugin, "janus.plugin.echotest");
  assert_non_null (echo->plugin_data);
  assert_string_equal (json_object_get_string_member (echo->plugin_data, "result"), "ok");
  assert_null (echo->jsep_type);
  assert_null (echo->jsep_sdp);

  assert_string_equal (answer->plugin, "janus.plugin.videoroom");
  assert_string_equal (answer->jsep_type, "answer");
  assert_true (g_str_has_prefix (answer->jsep_sdp, "v=0\r\no=- 4242 2 IN IP4 192.0.2.10\r\n"));
  assert_true (g_str_has_suffix (answer->jsep_sdp, "a=recvonly\r\n"));
}

static void
test_handle_events (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpJanusMessage) up = parse_ok (webrtcup);
  g_autoptr(HpJanusMessage) video = parse_ok (media_video);
  g_autoptr(HpJanusMessage) audio = parse_ok (media_audio_stopped);
  g_autoptr(HpJanusMessage) slow = parse_ok (slowlink);
  g_autoptr(HpJanusMessage) down = parse_ok (hangup);
  g_autoptr(HpJanusMessage) gone = parse_ok (detached);
  g_autoptr(HpJanusMessage) expired = parse_ok (session_timeout);

  assert_int_equal (up->kind, HP_JANUS_KIND_WEBRTCUP);
  assert_int_equal (up->session_id, G_GUINT64_CONSTANT (2961386713541431));
  assert_int_equal (up->sender, G_GUINT64_CONSTANT (6208841227348829));
  assert_null (up->transaction);

  assert_int_equal (video->kind, HP_JANUS_KIND_MEDIA);
  assert_string_equal (video->media_type, "video");
  assert_true (video->receiving);
  assert_int_equal (audio->kind, HP_JANUS_KIND_MEDIA);
  assert_string_equal (audio->media_type, "audio");
  assert_false (audio->receiving);

  assert_int_equal (slow->kind, HP_JANUS_KIND_SLOWLINK);
  assert_int_equal (slow->sender, G_GUINT64_CONSTANT (6208841227348829));

  assert_int_equal (down->kind, HP_JANUS_KIND_HANGUP);
  assert_string_equal (down->error_reason, "DTLS alert");
  assert_int_equal (down->error_code, 0);

  assert_int_equal (gone->kind, HP_JANUS_KIND_DETACHED);
  assert_int_equal (gone->sender, G_GUINT64_CONSTANT (6208841227348829));

  assert_int_equal (expired->kind, HP_JANUS_KIND_TIMEOUT);
  assert_int_equal (expired->session_id, G_GUINT64_CONSTANT (2961386713541431));
  assert_int_equal (expired->sender, 0);
}

static void
test_trickle (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpJanusMessage) candidate = parse_ok (trickle_candidate);
  g_autoptr(HpJanusMessage) completed = parse_ok (trickle_completed);
  g_autofree char *no_mid = replace (trickle_candidate, "\"sdpMid\":\"0\",\"sdpMLineIndex\":0,", "");
  g_autoptr(HpJanusMessage) bare = parse_ok (no_mid);

  assert_int_equal (candidate->kind, HP_JANUS_KIND_TRICKLE);
  assert_false (candidate->trickle_completed);
  assert_string_equal (candidate->trickle_candidate, "candidate:1 1 udp 2015363327 192.0.2.10 41234 typ host");
  assert_string_equal (candidate->trickle_mid, "0");
  assert_int_equal (candidate->trickle_mline, 0);

  assert_int_equal (completed->kind, HP_JANUS_KIND_TRICKLE);
  assert_true (completed->trickle_completed);
  assert_null (completed->trickle_candidate);
  assert_null (completed->trickle_mid);
  assert_int_equal (completed->trickle_mline, -1);

  assert_string_equal (bare->trickle_candidate, "candidate:1 1 udp 2015363327 192.0.2.10 41234 typ host");
  assert_null (bare->trickle_mid);
  assert_int_equal (bare->trickle_mline, -1);
}

/* Kinds the kiosk does not speak, from a server or its plugins, are
 * unexpected rather than malformed. */
static void
test_unknown_kinds (void **state G_GNUC_UNUSED)
{
  static const char *const texts[] = {
    "{\"janus\":\"keepalive\"}",
    "{\"janus\":\"server_info\",\"transaction\":\"i1\",\"name\":\"Janus WebRTC Server\",\"version\":1102}",
    "{\"janus\":\"pong\",\"transaction\":\"p1\"}",
    "{\"janus\":\"Success\",\"transaction\":\"s1\"}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HpJanusMessage) message = hp_janus_message_parse (texts[i], strlen (texts[i]), &error);

      assert_null (message);
      assert_error_names (error, HP_JANUS_ERROR_UNEXPECTED, "janus", NULL);
    }
}

/* Members Janus adds for other clients, or may add later, are passed over. */
static void
test_unknown_members_ignored (void **state G_GNUC_UNUSED)
{
  static const char text[] =
    "{\"janus\":\"hangup\",\"opaque_id\":\"kiosk-7\",\"session_id\":" SESSION ",\"sender\":" HANDLE ","
    "\"reason\":\"Close PC\",\"future\":{\"nested\":[1,2.5,null,true,\"x\"]}}";
  g_autoptr(HpJanusMessage) message = parse_ok (text);

  assert_int_equal (message->kind, HP_JANUS_KIND_HANGUP);
  assert_string_equal (message->error_reason, "Close PC");
}

/* ---- the VideoRoom -------------------------------------------------------- */

static void
test_joined_with_two_publishers (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpVideoroomEvent) event = videoroom_ok (joined_two_publishers);
  HpVideoroomPublisher *first, *second;

  assert_int_equal (event->kind, HP_VIDEOROOM_JOINED);
  assert_int_equal (event->room, 1234);
  assert_int_equal (event->id, G_GUINT64_CONSTANT (5432101234));
  assert_int_equal (event->private_id, G_GUINT64_CONSTANT (3219876543));
  assert_int_equal (event->publishers->len, 2);
  first = g_ptr_array_index (event->publishers, 0);
  second = g_ptr_array_index (event->publishers, 1);
  assert_int_equal (first->id, G_GUINT64_CONSTANT (7766554433));
  assert_string_equal (first->display, "Dr. Adaeze Okafor");
  assert_int_equal (second->id, G_GUINT64_CONSTANT (2233445566));
  assert_null (second->display);
  assert_int_equal (event->leaving, 0);
  assert_false (event->left);
  assert_int_equal (event->error_code, 0);
  assert_null (event->error);
}

static void
test_publisher_events (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpVideoroomEvent) arrived = videoroom_ok (publisher_arrived);
  g_autoptr(HpVideoroomEvent) configured = videoroom_ok (configured_answer);
  g_autoptr(HpVideoroomEvent) attached = videoroom_ok (attached_offer);
  g_autoptr(HpVideoroomEvent) begun = videoroom_ok (started);
  g_autoptr(HpJanusMessage) offer = parse_ok (attached_offer);

  assert_int_equal (arrived->kind, HP_VIDEOROOM_EVENT);
  assert_int_equal (arrived->room, 1234);
  assert_int_equal (arrived->publishers->len, 1);
  assert_int_equal (((HpVideoroomPublisher *) g_ptr_array_index (arrived->publishers, 0))->id,
                    G_GUINT64_CONSTANT (7766554433));
  assert_false (arrived->configured);

  assert_int_equal (configured->kind, HP_VIDEOROOM_EVENT);
  assert_true (configured->configured);
  assert_false (configured->started);
  assert_int_equal (configured->publishers->len, 0);

  assert_int_equal (attached->kind, HP_VIDEOROOM_ATTACHED);
  assert_int_equal (attached->room, 1234);
  assert_string_equal (offer->jsep_type, "offer");

  assert_int_equal (begun->kind, HP_VIDEOROOM_EVENT);
  assert_true (begun->started);
  assert_false (begun->configured);
}

static void
test_leaving_and_unpublished (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpVideoroomEvent) other_stopped = videoroom_ok (unpublished_other);
  g_autoptr(HpVideoroomEvent) self_stopped = videoroom_ok (unpublished_self);
  g_autoptr(HpVideoroomEvent) other_left = videoroom_ok (leaving_other);
  g_autoptr(HpVideoroomEvent) self_left = videoroom_ok (leaving_self);
  g_autoptr(HpVideoroomEvent) other_kicked = videoroom_ok (kicked_other);
  g_autoptr(HpVideoroomEvent) self_kicked = videoroom_ok (kicked_self);
  g_autoptr(HpVideoroomEvent) subscription_left = videoroom_ok (left_subscription);

  assert_int_equal (other_stopped->unpublished, G_GUINT64_CONSTANT (7766554433));
  assert_false (other_stopped->unpublished_self);
  assert_int_equal (other_stopped->leaving, 0);
  assert_int_equal (self_stopped->unpublished, 0);
  assert_true (self_stopped->unpublished_self);

  assert_int_equal (other_left->leaving, G_GUINT64_CONSTANT (7766554433));
  assert_false (other_left->left);
  assert_int_equal (self_left->leaving, 0);
  assert_true (self_left->left);

  assert_int_equal (other_kicked->leaving, G_GUINT64_CONSTANT (2233445566));
  assert_false (other_kicked->left);
  assert_int_equal (self_kicked->leaving, 0);
  assert_true (self_kicked->left);

  assert_true (subscription_left->left);
  assert_int_equal (subscription_left->leaving, 0);
}

static void
test_plugin_errors (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpVideoroomEvent) unauthorized = videoroom_ok (join_unauthorized);
  g_autoptr(HpVideoroomEvent) no_room = videoroom_ok (destroy_no_such_room);
  g_autoptr(HpJanusMessage) reply = parse_ok (destroy_no_such_room);

  assert_int_equal (unauthorized->kind, HP_VIDEOROOM_EVENT);
  assert_int_equal (unauthorized->error_code, 433);
  assert_string_equal (unauthorized->error, "Unauthorized (wrong pin)");
  assert_int_equal (unauthorized->room, 0);

  /* The core took the request; the plugin refused it. */
  assert_int_equal (reply->kind, HP_JANUS_KIND_SUCCESS);
  assert_int_equal (reply->data_id, 0);
  assert_int_equal (no_room->kind, HP_VIDEOROOM_EVENT);
  assert_int_equal (no_room->error_code, 426);
  assert_string_equal (no_room->error, "No such room (4321)");
}

static void
test_videoroom_replies (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpVideoroomEvent) created = videoroom_ok (room_created);
  g_autoptr(HpVideoroomEvent) destroyed = videoroom_ok (room_destroyed);
  g_autoptr(HpVideoroomEvent) exists = videoroom_ok (room_exists);
  g_autoptr(HpVideoroomEvent) missing = videoroom_ok (room_missing);
  g_autoptr(HpVideoroomEvent) loud = videoroom_ok (talking);
  g_autoptr(HpVideoroomEvent) quiet = videoroom_ok (stopped_talking);
  g_autoptr(HpVideoroomEvent) slow = videoroom_ok (videoroom_slow_link);
  g_autoptr(HpVideoroomEvent) updated = videoroom_ok (subscription_updated);

  assert_int_equal (created->kind, HP_VIDEOROOM_CREATED);
  assert_int_equal (created->room, 1234);
  assert_int_equal (destroyed->kind, HP_VIDEOROOM_DESTROYED);
  assert_int_equal (destroyed->room, 1234);
  assert_int_equal (exists->kind, HP_VIDEOROOM_SUCCESS);
  assert_true (exists->exists);
  assert_int_equal (missing->kind, HP_VIDEOROOM_SUCCESS);
  assert_false (missing->exists);
  assert_int_equal (loud->kind, HP_VIDEOROOM_TALKING);
  assert_int_equal (quiet->kind, HP_VIDEOROOM_TALKING);
  assert_int_equal (slow->kind, HP_VIDEOROOM_SLOW_LINK);
  assert_int_equal (slow->room, 0);
  assert_int_equal (updated->kind, HP_VIDEOROOM_UPDATED);
  assert_int_equal (updated->room, 1234);
}

/* Only an EVENT or SUCCESS of the VideoRoom carries its data; other plugins'
 * and unknown kinds of "videoroom" are unexpected. */
static void
test_videoroom_unexpected (void **state G_GNUC_UNUSED)
{
  static const char *const texts[] = {
    echotest_event,
    webrtcup,
    create_success,
    VIDEOROOM_REPLY ("\"videoroom\":\"participants\",\"room\":1234,\"participants\":[]"),
    VIDEOROOM_REPLY ("\"videoroom\":\"updating\",\"room\":1234"),
  };

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(HpJanusMessage) message = parse_ok (texts[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(HpVideoroomEvent) event = hp_videoroom_event_parse (message, &error);

      assert_null (event);
      assert_non_null (error);
      assert_int_equal (error->code, HP_JANUS_ERROR_UNEXPECTED);
    }

  /* An "event" with nothing the kiosk knows in it has nothing to say; it
   * is not unexpected. */
  {
    g_autoptr(HpVideoroomEvent) event = videoroom_ok (VIDEOROOM_EVENT ("\"x\":1"));

    assert_int_equal (event->kind, HP_VIDEOROOM_EVENT);
    assert_int_equal (event->room, 1234);
    assert_false (event->left || event->configured || event->started || event->unpublished_self);
  }
}

/* ---- malformed frames ----------------------------------------------------- */

/* Each place an identifier goes, with each kind of wrong identifier. */
static void
test_identifiers_checked (void **state G_GNUC_UNUSED)
{
  static const struct {
    const char *text;
    const char *value;
    const char *field;
    gboolean    videoroom;
  } places[] = {
    { create_success, SESSION, "data.id", FALSE },
    { attach_success, SESSION, "session_id", FALSE },
    { webrtcup, HANDLE, "sender", FALSE },
    { session_timeout, SESSION, "session_id", FALSE },
    { joined_two_publishers, "1234", "plugindata.data.room", TRUE },
    { joined_two_publishers, "5432101234", "plugindata.data.id", TRUE },
    { joined_two_publishers, "3219876543", "plugindata.data.private_id", TRUE },
    { joined_two_publishers, "2233445566", "plugindata.data.publishers[1].id", TRUE },
    { leaving_other, "7766554433", "plugindata.data.leaving", TRUE },
    { unpublished_other, "7766554433", "plugindata.data.unpublished", TRUE },
    { kicked_other, "2233445566", "plugindata.data.kicked", TRUE },
  };
  /* 2^53 + 1 and 2^53 (doubles cannot tell them apart), 0, -1, a
   * fraction, a whole double, a string of digits, and other types. */
  static const char *const wrong[] = {
    "9007199254740993", "9007199254740992", "0", "-1", "1.5", "12.0", "1e3", "\"12\"",
    "true", "null", "[12]", "{\"id\":12}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (places); i++)
    for (gsize j = 0; j < G_N_ELEMENTS (wrong); j++)
      {
        g_autofree char *bad = replace (places[i].text, places[i].value, wrong[j]);
        const char *secret = wrong[j][0] == '"' ? "12" : wrong[j];
        /* "leaving" and "unpublished" may also say "ok". */
        const char *problem = strstr (places[i].field, "leaving") || strstr (places[i].field, "unpublished")
                              ? "is neither ok nor an identifier" : "is not an identifier";
        g_autofree char *expected = g_strdup_printf ("%s %s", places[i].field, problem);
        g_autoptr(GError) error = NULL;
        g_autoptr(HpJanusMessage) message = hp_janus_message_parse (bad, strlen (bad), &error);

        if (places[i].videoroom)
          {
            g_autoptr(HpVideoroomEvent) event = NULL;

            assert_non_null (message);
            event = hp_videoroom_event_parse (message, &error);
            assert_null (event);
          }
        else
          assert_null (message);
        assert_error_names (error, HP_JANUS_ERROR_MALFORMED, places[i].field, secret);
        assert_string_equal (error->message, expected);
      }

  /* The largest identifier is taken. */
  {
    g_autofree char *largest = replace (webrtcup, HANDLE, "9007199254740991");
    g_autoptr(HpJanusMessage) message = parse_ok (largest);

    assert_int_equal (message->sender, HP_JANUS_MAX_ID);
  }
}

/* Members of the wrong type, or missing where Janus always sends them. */
static void
test_fields_checked (void **state G_GNUC_UNUSED)
{
  static const struct {
    const char *text;
    const char *from;
    const char *to;
    const char *field;
  } cases[] = {
    { create_success, "\"janus\":\"success\"", "\"janus\":7", "janus" },
    { create_success, "\"janus\":\"success\",", "", "janus" },
    { create_success, "\"q7Hc2LwZp0Ra\"", "4711", "transaction" },
    { create_success, "\"transaction\":\"q7Hc2LwZp0Ra\",", "", "transaction" },
    { message_ack, "\"transaction\":\"Fb0k3PzR8sLw\"", "\"t\":1", "transaction" },
    { create_success, "{\"id\":" SESSION "}", "[" SESSION "]", "data" },
    { create_success, "\"id\":", "\"idx\":", "data.id" },
    { session_error, "\"error\":{", "\"err\":{", "error" },
    { session_error, "458", "\"458\"", "error.code" },
    { session_error, "458", "458.5", "error.code" },
    { session_error, "458", "-458", "error.code" },
    { session_error, "458", "4294967754", "error.code" },
    { session_error, "\"code\":458,", "", "error.code" },
    { session_error, "\"Could not find session 12345678\"", "false", "error.reason" },
    { session_error, ",\"reason\":\"Could not find session 12345678\"", "", "error.reason" },
    { echotest_event, "\"sender\":" HANDLE ",", "", "sender" },
    { echotest_event, "\"plugindata\":{", "\"plugin_data\":{", "plugindata" },
    { echotest_event, "\"plugin\":\"janus.plugin.echotest\",", "", "plugindata.plugin" },
    { echotest_event, "\"janus.plugin.echotest\"", "[]", "plugindata.plugin" },
    { echotest_event, "\"data\":{\"echotest\":\"event\",\"result\":\"ok\"}", "\"data\":\"ok\"", "plugindata.data" },
    { configured_answer, "\"type\":\"answer\"", "\"type\":\"pranswer\"", "jsep.type" },
    { configured_answer, "\"type\":\"answer\",", "", "jsep.type" },
    { configured_answer, "\"sdp\":\"v=0", "\"sdp_\":\"v=0", "jsep.sdp" },
    { configured_answer, "\"jsep\":{\"type\"", "\"jsep\":\"answer\",\"_\":{\"type\"", "jsep" },
    { webrtcup, "\"sender\":" HANDLE, "\"handle\":" HANDLE, "sender" },
    { media_video, "\"type\":\"video\",", "", "type" },
    { media_video, "\"receiving\":true", "\"receiving\":\"true\"", "receiving" },
    { media_video, "\"receiving\":true", "\"receiving\":1", "receiving" },
    { media_video, ",\"receiving\":true", "", "receiving" },
    { hangup, ",\"reason\":\"DTLS alert\"", "", "reason" },
    { hangup, "\"DTLS alert\"", "null", "reason" },
    { detached, ",\"sender\":" HANDLE, "", "sender" },
    { session_timeout, "\"session_id\":" SESSION, "\"session\":" SESSION, "session_id" },
    { trickle_candidate, "\"candidate\":{", "\"candidates\":{", "candidate" },
    { trickle_candidate, "\"candidate\":\"candidate:1", "\"candidat\":\"candidate:1", "candidate.candidate" },
    { trickle_candidate, "\"sdpMLineIndex\":0", "\"sdpMLineIndex\":\"0\"", "candidate.sdpMLineIndex" },
    { trickle_candidate, "\"sdpMLineIndex\":0", "\"sdpMLineIndex\":-1", "candidate.sdpMLineIndex" },
    { trickle_candidate, "\"sdpMid\":\"0\"", "\"sdpMid\":0", "candidate.sdpMid" },
    { trickle_completed, "\"completed\":true", "\"completed\":\"yes\"", "candidate.completed" },
    { trickle_completed, "\"completed\":true", "\"completed\":false", "candidate.candidate" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *bad = replace (cases[i].text, cases[i].from, cases[i].to);

      assert_refused (bad, cases[i].field, NULL);
    }
}

static void
test_videoroom_fields_checked (void **state G_GNUC_UNUSED)
{
  static const struct {
    const char *text;
    const char *from;
    const char *to;
    const char *field;
  } cases[] = {
    { joined_two_publishers, "\"videoroom\":\"joined\"", "\"videoroom\":1", "plugindata.data.videoroom" },
    { joined_two_publishers, "\"videoroom\":\"joined\",", "", "plugindata.data.videoroom" },
    { joined_two_publishers, "\"room\":1234,", "", "plugindata.data.room" },
    { joined_two_publishers, "\"private_id\":3219876543,", "", "plugindata.data.private_id" },
    { joined_two_publishers, "\"id\":5432101234,", "", "plugindata.data.id" },
    { joined_two_publishers, "\"publishers\":[", "\"publishers\":7,\"was\":[", "plugindata.data.publishers" },
    { joined_two_publishers, "\"publishers\":[", "\"feeds\":[", "plugindata.data.publishers" },
    { joined_two_publishers, "{\"id\":2233445566,", "\"x\",{\"id\":2233445566,", "plugindata.data.publishers[1]" },
    { joined_two_publishers, "{\"id\":2233445566,", "{", "plugindata.data.publishers[1].id" },
    { joined_two_publishers, "\"Dr. Adaeze Okafor\"", "42", "plugindata.data.publishers[0].display" },
    { joined_two_publishers, "\"Dr. Adaeze Okafor\"", "null", "plugindata.data.publishers[0].display" },
    { attached_offer, "\"room\":1234,", "", "plugindata.data.room" },
    { room_created, "\"room\":1234", "\"room\":\"1234\"", "plugindata.data.room" },
    { configured_answer, "\"configured\":\"ok\"", "\"configured\":\"yes\"", "plugindata.data.configured" },
    { configured_answer, "\"configured\":\"ok\"", "\"configured\":true", "plugindata.data.configured" },
    { started, "\"started\":\"ok\"", "\"started\":1", "plugindata.data.started" },
    { left_subscription, "\"left\":\"ok\"", "\"left\":\"gone\"", "plugindata.data.left" },
    { leaving_self, "\"leaving\":\"ok\"", "\"leaving\":\"OK\"", "plugindata.data.leaving" },
    { unpublished_self, "\"unpublished\":\"ok\"", "\"unpublished\":true", "plugindata.data.unpublished" },
    { room_exists, "\"exists\":true", "\"exists\":\"true\"", "plugindata.data.exists" },
    { join_unauthorized, "\"error_code\":433", "\"error_code\":\"433\"", "plugindata.data.error_code" },
    { join_unauthorized, "\"error_code\":433", "\"error_code\":0", "plugindata.data.error_code" },
    { join_unauthorized, "\"error_code\":433,", "", "plugindata.data.error_code" },
    { join_unauthorized, ",\"error\":\"Unauthorized (wrong pin)\"", "", "plugindata.data.error" },
    { join_unauthorized, "\"Unauthorized (wrong pin)\"", "[\"Unauthorized\"]", "plugindata.data.error" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *bad = replace (cases[i].text, cases[i].from, cases[i].to);

      assert_videoroom_refused (bad, cases[i].field, NULL);
    }
}

/* Strings at their bound are taken, one byte more is refused, and the
 * error does not quote them. */
static void
test_lengths_bounded (void **state G_GNUC_UNUSED)
{
  g_autofree char *transaction_64 = g_strnfill (HP_JANUS_MAX_TRANSACTION, 'T');
  g_autofree char *transaction_65 = g_strnfill (HP_JANUS_MAX_TRANSACTION + 1, 'T');
  g_autofree char *text_512 = g_strnfill (HP_JANUS_MAX_TEXT, 'r');
  g_autofree char *text_513 = g_strnfill (HP_JANUS_MAX_TEXT + 1, 'r');
  g_autofree char *sdp_max = g_strnfill (HP_JANUS_MAX_SDP, 's');
  g_autofree char *sdp_over = g_strnfill (HP_JANUS_MAX_SDP + 1, 's');

  {
    g_autofree char *quoted = g_strdup_printf ("\"%s\"", transaction_64);
    g_autofree char *text = replace (create_success, "\"q7Hc2LwZp0Ra\"", quoted);
    g_autoptr(HpJanusMessage) message = parse_ok (text);

    assert_string_equal (message->transaction, transaction_64);
  }
  {
    g_autofree char *quoted = g_strdup_printf ("\"%s\"", transaction_65);
    g_autofree char *text = replace (create_success, "\"q7Hc2LwZp0Ra\"", quoted);

    assert_refused (text, "transaction", transaction_65);
  }
  /* A display name may say who is in the call: it is never quoted. */
  {
    g_autofree char *quoted = g_strdup_printf ("\"%s\"", text_512);
    g_autofree char *text = replace (joined_two_publishers, "\"Dr. Adaeze Okafor\"", quoted);
    g_autoptr(HpVideoroomEvent) event = videoroom_ok (text);

    assert_string_equal (((HpVideoroomPublisher *) g_ptr_array_index (event->publishers, 0))->display, text_512);
  }
  {
    g_autofree char *quoted = g_strdup_printf ("\"%s\"", text_513);
    g_autofree char *text = replace (joined_two_publishers, "\"Dr. Adaeze Okafor\"", quoted);

    assert_videoroom_refused (text, "plugindata.data.publishers[0].display", text_513);
  }
  {
    g_autofree char *quoted = g_strdup_printf ("\"%s\"", text_513);
    g_autofree char *text = replace (hangup, "\"DTLS alert\"", quoted);

    assert_refused (text, "reason", text_513);
  }
  {
    g_autofree char *quoted = g_strdup_printf ("\"%s\"", sdp_max);
    g_autofree char *text = replace (configured_answer, "\"" ANSWER_SDP "\"", quoted);
    g_autoptr(HpJanusMessage) message = parse_ok (text);

    assert_int_equal (strlen (message->jsep_sdp), HP_JANUS_MAX_SDP);
  }
  {
    g_autofree char *quoted = g_strdup_printf ("\"%s\"", sdp_over);
    g_autofree char *text = replace (configured_answer, "\"" ANSWER_SDP "\"", quoted);

    assert_refused (text, "jsep.sdp", sdp_over);
  }
  /* An escaped character counts as the bytes it stands for: 32 times
   * U+00E9 is 64 bytes of UTF-8 (and 192 of JSON). */
  {
    g_autoptr(GString) escaped = g_string_new ("\"");
    g_autofree char *text = NULL;
    g_autofree char *longer = NULL;
    g_autoptr(HpJanusMessage) message = NULL;

    for (guint i = 0; i < HP_JANUS_MAX_TRANSACTION / 2; i++)
      g_string_append (escaped, "\\u00e9");
    g_string_append_c (escaped, '"');
    text = replace (create_success, "\"q7Hc2LwZp0Ra\"", escaped->str);
    message = parse_ok (text);
    assert_int_equal (strlen (message->transaction), HP_JANUS_MAX_TRANSACTION);
    assert_true (g_str_has_prefix (message->transaction, "\xc3\xa9"));

    g_string_insert_c (escaped, 1, 'a');
    longer = replace (create_success, "\"q7Hc2LwZp0Ra\"", escaped->str);
    assert_refused (longer, "transaction", NULL);
  }
}

static char *
joined_with_publishers (guint count)
{
  g_autoptr(GString) list = g_string_new ("\"publishers\":[");

  for (guint i = 0; i < count; i++)
    g_string_append_printf (list, "%s{\"id\":%u,\"display\":\"Guest %u\"}", i ? "," : "", 1000 + i, i);
  g_string_append (list, "],\"was\":[");
  return replace (joined_two_publishers, "\"publishers\":[", list->str);
}

static void
test_publishers_bounded (void **state G_GNUC_UNUSED)
{
  g_autofree char *most = joined_with_publishers (HP_JANUS_MAX_PUBLISHERS);
  g_autofree char *too_many = joined_with_publishers (HP_JANUS_MAX_PUBLISHERS + 1);
  g_autofree char *none = replace (joined_two_publishers, "\"publishers\":[", "\"publishers\":[],\"was\":[");
  g_autoptr(HpVideoroomEvent) event = videoroom_ok (most);
  g_autoptr(HpVideoroomEvent) empty = videoroom_ok (none);
  HpVideoroomPublisher *last;

  assert_int_equal (event->publishers->len, HP_JANUS_MAX_PUBLISHERS);
  last = g_ptr_array_index (event->publishers, HP_JANUS_MAX_PUBLISHERS - 1);
  assert_int_equal (last->id, 1000 + HP_JANUS_MAX_PUBLISHERS - 1);
  assert_string_equal (last->display, "Guest 63");
  assert_int_equal (empty->publishers->len, 0);
  assert_videoroom_refused (too_many, "plugindata.data.publishers", "Guest");
}

/* Frames that are not one JSON object, or not strict JSON, whatever
 * json-glib would make of them. */
static void
test_not_json_refused (void **state G_GNUC_UNUSED)
{
  static const char *const not_objects[] = { "[]", "\"event\"", "42", "", "   ", "null", "[{\"janus\":\"ack\"}]" };
  static const char *const not_strict[] = {
    "{\"janus\":\"ack\",\"transaction\":\"t\"} {}",                /* a second value */
    "{\"janus\":\"ack\",\"transaction\":\"t\"}x",                  /* trailing garbage */
    "{\"janus\":\"ack\",\"transaction\":\"t\"",                    /* truncated */
    "{\"janus\":\"ack\",/* c */\"transaction\":\"t\"}",            /* a comment */
    "{\"janus\":'ack',\"transaction\":\"t\"}",                     /* single quotes */
    "{\"janus\":\"ack\",\"transaction\":\"t\",}",                  /* a trailing comma */
    "{\"janus\":\"webrtcup\",\"session_id\":0x10,\"sender\":1}",   /* hexadecimal */
    "{\"janus\":\"webrtcup\",\"session_id\":010,\"sender\":1}",    /* a leading zero */
    "{\"janus\":\"webrtcup\",\"session_id\":1.,\"sender\":1}",     /* a point without digits */
    "{\"janus\":\"webrtcup\",\"session_id\":+1,\"sender\":1}",     /* a plus sign */
    /* 2^64 + 1, which json-glib wraps around to 1 */
    "{\"janus\":\"webrtcup\",\"session_id\":18446744073709551617,\"sender\":1}",
    "{\"janus\":\"webrtcup\",\"session_id\":1,\"sender\":1,\"x\":1e400}",
    "{\"janus\":\"ack\",\"transaction\":\"a\\u0000b\"}",           /* an escaped NUL */
    "{\"janus\":\"ack\",\"transaction\":\"\\ud800\"}",             /* a lone surrogate */
    "{\"janus\":\"ack\",\"transaction\":\"\\udc00\\ud800\"}",
    "{\"janus\":\"ack\",\"transaction\":\"\\x41\"}",               /* an unknown escape */
    "{\"janus\":\"ack\",\"transaction\":\"a\tb\"}",                /* a raw tab */
    "{\"janus\":\"ack\",\"transaction\":True}",
    "{janus:\"ack\"}",
    "{\"janus\" \"ack\"}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (not_objects); i++)
    assert_refused (not_objects[i], "the message is not a JSON object", NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (not_strict); i++)
    assert_refused (not_strict[i], "the message is not strict JSON:", NULL);

  /* Whitespace around the object is JSON; a surrogate pair is a character. */
  {
    g_autoptr(HpJanusMessage) spaced = parse_ok (" \r\n\t{\"janus\" : \"ack\", \"transaction\" : \"t\"}\n");
    g_autoptr(HpJanusMessage) paired = parse_ok ("{\"janus\":\"ack\",\"transaction\":\"\\ud83e\\ude7a\"}");

    assert_string_equal (spaced->transaction, "t");
    assert_string_equal (paired->transaction, "\xf0\x9f\xa9\xba");
  }
}

static void
test_bytes_refused (void **state G_GNUC_UNUSED)
{
  /* A NUL in the middle: what follows it is still part of the frame. */
  {
    g_autofree char *text = g_strdup (hangup);
    gsize length = strlen (text);

    text[length / 2] = '\0';
    assert_refused_length (text, length, "the message holds a NUL byte", NULL);
  }
  /* Not UTF-8. */
  assert_refused ("{\"janus\":\"hangup\",\"reason\":\"\xff\"}", "the message is not UTF-8", NULL);
  /* Truncated anywhere: never read as a shorter message. */
  for (gsize cut = 0; cut < strlen (joined_two_publishers); cut++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HpJanusMessage) message = hp_janus_message_parse (joined_two_publishers, cut, &error);

      assert_null (message);
      assert_int_equal (error->code, HP_JANUS_ERROR_MALFORMED);
    }
  /* Longer than a frame, however well formed. */
  {
    gsize length = HP_JANUS_MAX_MESSAGE + 1;
    g_autofree char *text = g_malloc (length);

    memset (text, ' ', length);
    memcpy (text, message_ack, strlen (message_ack));
    assert_refused_length (text, length, "the message is longer than 262144 bytes", NULL);
    /* ... and at the bound it is taken. */
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HpJanusMessage) message = hp_janus_message_parse (text, length - 1, &error);

      assert_null (error);
      assert_int_equal (message->kind, HP_JANUS_KIND_ACK);
    }
  }
}

/* Nesting as deep as Janus's own messages and more is read; past the bound
 * it is refused before json-glib recurses into it. */
static void
test_nesting_bounded (void **state G_GNUC_UNUSED)
{
  for (guint depth = HP_JANUS_MAX_DEPTH; depth <= HP_JANUS_MAX_DEPTH + 1; depth++)
    {
      g_autoptr(GString) text = g_string_new ("{\"janus\":\"ack\",\"transaction\":\"t\",\"deep\":");

      /* The message itself is the first level. */
      for (guint i = 1; i < depth; i++)
        g_string_append_c (text, '[');
      for (guint i = 1; i < depth; i++)
        g_string_append_c (text, ']');
      g_string_append_c (text, '}');
      if (depth <= HP_JANUS_MAX_DEPTH)
        hp_janus_message_free (parse_ok (text->str));
      else
        assert_refused (text->str, "the message is not strict JSON: objects and arrays nested too deep", NULL);
    }
  /* As deep as a frame allows. */
  {
    g_autoptr(GString) text = g_string_new ("{\"janus\":\"ack\",\"transaction\":\"t\",\"deep\":");
    gsize levels = (HP_JANUS_MAX_MESSAGE - text->len - 1) / 2;

    for (gsize i = 0; i < levels; i++)
      g_string_append_c (text, '[');
    for (gsize i = 0; i < levels; i++)
      g_string_append_c (text, ']');
    g_string_append_c (text, '}');
    assert_true (text->len <= HP_JANUS_MAX_MESSAGE);
    assert_refused_length (text->str, text->len,
                           "the message is not strict JSON: objects and arrays nested too deep", NULL);
  }
}

/* ---- requests -------------------------------------------------------------- */

static JsonObject *
read_back (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  assert_true (json_parser_load_from_data (parser, text, -1, &error));
  assert_null (error);
  assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
assert_int_member (JsonObject *object,
                   const char *name,
                   gint64      value)
{
  JsonNode *node = json_object_get_member (object, name);

  assert_non_null (node);
  assert_int_equal (json_node_get_value_type (node), G_TYPE_INT64);
  assert_int_equal (json_node_get_int (node), value);
}

static void
test_request_create (void **state G_GNUC_UNUSED)
{
  g_autofree char *text = hp_janus_request_to_text ("create", "c1", 0, 0, NULL, NULL, NULL);
  g_autoptr(JsonObject) request = read_back (text);

  /* Compact, in this order, and nothing else. */
  assert_string_equal (text, "{\"janus\":\"create\",\"transaction\":\"c1\"}");
  assert_int_equal (json_object_get_size (request), 2);
}

static void
test_request_attach (void **state G_GNUC_UNUSED)
{
  g_autoptr(JsonObject) extra = json_object_new ();
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) request = NULL;

  json_object_set_string_member (extra, "plugin", "janus.plugin.videoroom");
  json_object_set_string_member (extra, "opaque_id", "kiosk-7");
  text = hp_janus_request_to_text ("attach", "a1", HP_JANUS_MAX_ID, 0, NULL, NULL, extra);
  request = read_back (text);

  assert_string_equal (json_object_get_string_member (request, "janus"), "attach");
  assert_string_equal (json_object_get_string_member (request, "transaction"), "a1");
  assert_int_member (request, "session_id", 9007199254740991);
  assert_false (json_object_has_member (request, "handle_id"));
  assert_string_equal (json_object_get_string_member (request, "plugin"), "janus.plugin.videoroom");
  assert_string_equal (json_object_get_string_member (request, "opaque_id"), "kiosk-7");
  assert_int_equal (json_object_get_size (request), 5);
  /* An integer, not a double's rounding of it. */
  assert_non_null (strstr (text, "\"session_id\":9007199254740991"));
  assert_null (strchr (text, '\n'));
  assert_null (strchr (text, ' '));
}

static void
test_request_message (void **state G_GNUC_UNUSED)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) jsep = json_object_new ();
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) request = NULL;
  JsonObject *written;

  json_object_set_string_member (body, "request", "joinandconfigure");
  json_object_set_string_member (body, "ptype", "publisher");
  json_object_set_int_member (body, "room", 1234);
  json_object_set_string_member (body, "display", "Kiosk \"Lobby\" \\ 2");
  json_object_set_string_member (jsep, "type", "offer");
  json_object_set_string_member (jsep, "sdp", "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n");
  text = hp_janus_request_to_text ("message", "m-1", 2961386713541431, 6208841227348829, body, jsep, NULL);
  request = read_back (text);

  assert_string_equal (json_object_get_string_member (request, "janus"), "message");
  assert_int_member (request, "session_id", 2961386713541431);
  assert_int_member (request, "handle_id", 6208841227348829);
  written = json_object_get_object_member (request, "body");
  assert_non_null (written);
  assert_string_equal (json_object_get_string_member (written, "request"), "joinandconfigure");
  assert_int_member (written, "room", 1234);
  assert_string_equal (json_object_get_string_member (written, "display"), "Kiosk \"Lobby\" \\ 2");
  written = json_object_get_object_member (request, "jsep");
  assert_non_null (written);
  assert_string_equal (json_object_get_string_member (written, "type"), "offer");
  assert_string_equal (json_object_get_string_member (written, "sdp"), "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n");
  assert_int_equal (json_object_get_size (request), 6);
}

static void
test_request_trickle_and_keepalive (void **state G_GNUC_UNUSED)
{
  g_autoptr(JsonObject) extra = json_object_new ();
  g_autoptr(JsonObject) candidate = json_object_new ();
  g_autofree char *trickle = NULL;
  g_autofree char *keepalive = hp_janus_request_to_text ("keepalive", "k9", 2961386713541431, 0, NULL, NULL, NULL);
  g_autoptr(JsonObject) request = NULL;
  JsonObject *written;

  json_object_set_string_member (candidate, "candidate", "candidate:2 1 udp 2122260223 10.0.0.5 50000 typ host");
  json_object_set_string_member (candidate, "sdpMid", "0");
  json_object_set_int_member (candidate, "sdpMLineIndex", 0);
  json_object_set_object_member (extra, "candidate", g_steal_pointer (&candidate));
  trickle = hp_janus_request_to_text ("trickle", "t7", 2961386713541431, 6208841227348829, NULL, NULL, extra);
  request = read_back (trickle);

  written = json_object_get_object_member (request, "candidate");
  assert_non_null (written);
  assert_string_equal (json_object_get_string_member (written, "sdpMid"), "0");
  assert_int_member (written, "sdpMLineIndex", 0);
  assert_int_member (request, "handle_id", 6208841227348829);

  assert_string_equal (keepalive, "{\"janus\":\"keepalive\",\"transaction\":\"k9\",\"session_id\":2961386713541431}");
}

/* A request that would not be JSON is not written at all. */
static void
test_request_unwritable (void **state G_GNUC_UNUSED)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) deep = json_object_new ();
  g_autofree char *fine = NULL;
  g_autofree char *exponent = NULL;
  g_autofree char *too_deep = NULL;
  JsonObject *inner = deep;
  JsonObject *outer = NULL;

  json_object_set_double_member (body, "ratio", 0.5);
  fine = hp_janus_request_to_text ("message", "u1", 1, 2, body, NULL, NULL);
  assert_string_equal (fine, "{\"janus\":\"message\",\"transaction\":\"u1\",\"session_id\":1,"
                             "\"handle_id\":2,\"body\":{\"ratio\":0.5}}");

  /* json-glib 1.6 would write "1e-300.0". */
  json_object_set_double_member (body, "ratio", 1e-300);
  exponent = hp_janus_request_to_text ("message", "u2", 1, 2, body, NULL, NULL);
  assert_null (exponent);

  /* The request is the first level, its body the second. */
  for (guint level = 2; level <= HP_JANUS_MAX_DEPTH; level++)
    {
      JsonObject *next = json_object_new ();

      json_object_set_object_member (inner, "in", next);
      outer = inner;
      inner = next;
    }
  too_deep = hp_janus_request_to_text ("message", "u3", 1, 2, deep, NULL, NULL);
  assert_null (too_deep);
  /* One level less is at the bound. */
  json_object_remove_member (outer, "in");
  g_free (too_deep);
  too_deep = hp_janus_request_to_text ("message", "u3", 1, 2, deep, NULL, NULL);
  assert_non_null (too_deep);
}

/* What the writer writes, the reader reads: a server's event rebuilt
 * through the writer comes back field for field. */
static void
test_written_event_read_back (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpJanusMessage) original = parse_ok (joined_two_publishers);
  g_autoptr(JsonObject) extra = json_object_new ();
  g_autoptr(JsonObject) plugindata = json_object_new ();
  g_autofree char *text = NULL;
  g_autoptr(HpJanusMessage) again = NULL;
  g_autoptr(HpVideoroomEvent) event = NULL;

  json_object_set_string_member (plugindata, "plugin", original->plugin);
  json_object_set_object_member (plugindata, "data", json_object_ref (original->plugin_data));
  json_object_set_int_member (extra, "sender", (gint64) original->sender);
  json_object_set_object_member (extra, "plugindata", g_steal_pointer (&plugindata));
  text = hp_janus_request_to_text ("event", original->transaction, original->session_id, 0, NULL, NULL, extra);
  again = parse_ok (text);
  event = videoroom_ok (text);

  assert_int_equal (again->kind, HP_JANUS_KIND_EVENT);
  assert_string_equal (again->transaction, original->transaction);
  assert_int_equal (again->session_id, original->session_id);
  assert_int_equal (again->sender, original->sender);
  {
    g_autoptr(JsonNode) read = json_node_init_object (json_node_alloc (), again->plugin_data);
    g_autoptr(JsonNode) sent = json_node_init_object (json_node_alloc (), original->plugin_data);

    assert_true (json_node_equal (read, sent));
  }
  assert_int_equal (event->publishers->len, 2);
  assert_int_equal (event->private_id, G_GUINT64_CONSTANT (3219876543));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_success),
    cmocka_unit_test (test_error_and_ack),
    cmocka_unit_test (test_event),
    cmocka_unit_test (test_handle_events),
    cmocka_unit_test (test_trickle),
    cmocka_unit_test (test_unknown_kinds),
    cmocka_unit_test (test_unknown_members_ignored),
    cmocka_unit_test (test_joined_with_two_publishers),
    cmocka_unit_test (test_publisher_events),
    cmocka_unit_test (test_leaving_and_unpublished),
    cmocka_unit_test (test_plugin_errors),
    cmocka_unit_test (test_videoroom_replies),
    cmocka_unit_test (test_videoroom_unexpected),
    cmocka_unit_test (test_identifiers_checked),
    cmocka_unit_test (test_fields_checked),
    cmocka_unit_test (test_videoroom_fields_checked),
    cmocka_unit_test (test_lengths_bounded),
    cmocka_unit_test (test_publishers_bounded),
    cmocka_unit_test (test_not_json_refused),
    cmocka_unit_test (test_bytes_refused),
    cmocka_unit_test (test_nesting_bounded),
    cmocka_unit_test (test_request_create),
    cmocka_unit_test (test_request_attach),
    cmocka_unit_test (test_request_message),
    cmocka_unit_test (test_request_trickle_and_keepalive),
    cmocka_unit_test (test_request_unwritable),
    cmocka_unit_test (test_written_event_read_back),
  };

  return cmocka_run_group_tests_name ("janus-message", tests, NULL, NULL);
}
