/* A session with a Janus server over its WebSocket transport: the servers tried in turn, requests matched to their answers, keepalives, and the session's end told once. */
#pragma once

#include <gio/gio.h>

#include "hp-janus-message.h"

G_BEGIN_DECLS

#define HP_TYPE_JANUS_CLIENT (hp_janus_client_get_type ())
G_DECLARE_FINAL_TYPE (HpJanusClient, hp_janus_client, HP, JANUS_CLIENT, GObject)

/* How often a keepalive goes, well inside Janus's default 60 s timeout. */
#define HP_JANUS_KEEPALIVE_SECONDS 25
/* How long a request waits for its answer. */
#define HP_JANUS_REQUEST_SECONDS   10

/* A client for the servers @urls (ws:// or wss://; tried in this order),
 * sending @token (may be %NULL) with every request. */
HpJanusClient *hp_janus_client_new                (const char * const  *urls,
                                                   const char          *token);

/* Seconds between keepalives (tests shorten the server's timeout too). */
void           hp_janus_client_set_keepalive      (HpJanusClient       *self,
                                                   guint                seconds);

/* Opens a WebSocket to the first server that answers and creates a session
 * on it. A server that refuses the connection or does not answer in time
 * is passed over for the next; the error of the last is reported. */
void           hp_janus_client_connect_async      (HpJanusClient       *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean       hp_janus_client_connect_finish     (HpJanusClient       *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

/* The session, and the server it is on; 0 and %NULL while not connected. */
guint64        hp_janus_client_get_session_id     (HpJanusClient       *self);
const char    *hp_janus_client_get_server         (HpJanusClient       *self);

/* Attaches to @plugin ("janus.plugin.videoroom"); the handle's id. */
void           hp_janus_client_attach_async       (HpJanusClient       *self,
                                                   const char          *plugin,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
guint64        hp_janus_client_attach_finish      (HpJanusClient       *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

/* Sends @body (a plugin request) and @jsep (may be %NULL) on @handle. The
 * answer is the plugin's: a "success" for a synchronous request, else the
 * "event" that follows the server's "ack". A server error is
 * HP_JANUS_ERROR_SERVER; a plugin's error comes inside the answer. */
void           hp_janus_client_message_async      (HpJanusClient       *self,
                                                   guint64              handle,
                                                   JsonObject          *body,
                                                   JsonObject          *jsep,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
HpJanusMessage *hp_janus_client_message_finish    (HpJanusClient       *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

/* Sends one of the kiosk's ICE candidates on @handle (%NULL @candidate:
 * no more). Nothing is awaited but the server's ack. */
void           hp_janus_client_trickle            (HpJanusClient       *self,
                                                   guint64              handle,
                                                   const char          *candidate,
                                                   guint                mline_index);

/* Ends the session (destroying it on the server when it can) and closes
 * the connection; "closed" is not emitted for it. */
void           hp_janus_client_close              (HpJanusClient       *self);

/* Signals:
 *   "event" (HpJanusMessage *message): what the server says unasked: a
 *     plugin's event without a pending request, webrtcup, media, slowlink,
 *     hangup, detached, trickle.
 *   "closed" (GError *error): the session ended without the kiosk asking:
 *     the connection dropped, the server timed the session out, or it said
 *     nonsense. Emitted once; every pending request fails with the same
 *     error. */

G_END_DECLS
