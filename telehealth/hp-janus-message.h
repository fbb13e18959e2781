/* The messages of the Janus WebRTC server's API over its WebSocket transport, and of its VideoRoom plugin: read and checked field by field, and written. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define HP_JANUS_ERROR (hp_janus_error_quark ())

typedef enum {
  HP_JANUS_ERROR_MALFORMED,    /* not JSON, or a field of the wrong type, size or range */
  HP_JANUS_ERROR_UNEXPECTED,   /* well formed, but not what the kiosk asked or knows */
  HP_JANUS_ERROR_SERVER,       /* the server (or its plugin) refused: its code and reason */
} HpJanusError;

GQuark hp_janus_error_quark (void);

/* Bounds on what the server may send; anything larger is malformed. */
#define HP_JANUS_MAX_MESSAGE      (256 * 1024)  /* one WebSocket text frame */
#define HP_JANUS_MAX_TRANSACTION  64
#define HP_JANUS_MAX_TEXT         512           /* reasons, plugin names, displays */
#define HP_JANUS_MAX_SDP          (128 * 1024)
#define HP_JANUS_MAX_PUBLISHERS   64
#define HP_JANUS_MAX_DEPTH        32            /* objects and arrays within each other */
/* Janus's identifiers are JSON numbers, exact in a double up to 2^53. */
#define HP_JANUS_MAX_ID           G_GUINT64_CONSTANT (9007199254740991)

typedef enum {
  HP_JANUS_KIND_SUCCESS,       /* "success": a request done; data.id for create and attach */
  HP_JANUS_KIND_ERROR,         /* "error": error.code and error.reason */
  HP_JANUS_KIND_ACK,           /* "ack": a request taken, its answer comes as an event */
  HP_JANUS_KIND_EVENT,         /* "event": a plugin speaks (plugindata, maybe jsep) */
  HP_JANUS_KIND_WEBRTCUP,      /* the PeerConnection of a handle is up */
  HP_JANUS_KIND_MEDIA,         /* media of a type started or stopped arriving */
  HP_JANUS_KIND_SLOWLINK,      /* the link of a handle loses packets */
  HP_JANUS_KIND_HANGUP,        /* the PeerConnection of a handle is closed (reason) */
  HP_JANUS_KIND_DETACHED,      /* a handle is gone */
  HP_JANUS_KIND_TIMEOUT,       /* the session expired for want of keepalives */
  HP_JANUS_KIND_TRICKLE,       /* an ICE candidate of the server's (or completed) */
} HpJanusKind;

typedef struct {
  HpJanusKind kind;
  char       *transaction;     /* %NULL when the server sent none (events of its own) */
  guint64     session_id;      /* 0 when absent */
  guint64     sender;          /* the handle the message is about; 0 when absent */
  guint64     data_id;         /* SUCCESS: data.id (the new session or handle); 0 otherwise */
  int         error_code;      /* ERROR: error.code */
  char       *error_reason;    /* ERROR: error.reason; HANGUP: reason; %NULL otherwise */
  char       *media_type;      /* MEDIA: "audio" or "video" */
  gboolean    receiving;       /* MEDIA: whether it is arriving */
  char       *plugin;          /* EVENT or SUCCESS with plugindata: plugindata.plugin */
  JsonObject *plugin_data;     /* ... and plugindata.data, an object; %NULL when none */
  char       *jsep_type;       /* "offer" or "answer"; %NULL when no jsep came */
  char       *jsep_sdp;        /* the SDP text, when jsep_type is set */
  gboolean    trickle_completed; /* TRICKLE: the server has no more candidates */
  char       *trickle_candidate; /* TRICKLE: candidate.candidate */
  char       *trickle_mid;     /* TRICKLE: candidate.sdpMid, maybe %NULL */
  int         trickle_mline;   /* TRICKLE: candidate.sdpMLineIndex, -1 when absent */
} HpJanusMessage;

/* Reads one text frame from the server. The text is strict JSON (no
 * comments, one value, integers within 64 bits, no NUL) holding an object.
 * Every field the kiosk uses is checked for type, size and range, and the
 * fields Janus always sends with a kind are required; unknown fields are
 * ignored, unknown kinds ("janus" values) are UNEXPECTED. The error names
 * the field, never its value (an SDP or a display name may say who is in
 * the call). */
HpJanusMessage *hp_janus_message_parse (const char  *text,
                                        gsize        length,
                                        GError     **error);
void            hp_janus_message_free  (HpJanusMessage *message);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HpJanusMessage, hp_janus_message_free)

/* ---- the VideoRoom plugin ---------------------------------------------- */

typedef enum {
  HP_VIDEOROOM_JOINED,         /* "joined": the kiosk is in the room as a publisher */
  HP_VIDEOROOM_ATTACHED,       /* "attached": a subscription's offer comes with it */
  HP_VIDEOROOM_EVENT,          /* "event": publishers came or left, configured, started, an error */
  HP_VIDEOROOM_CREATED,        /* "created": a room was made */
  HP_VIDEOROOM_DESTROYED,      /* "destroyed": the room is gone */
  HP_VIDEOROOM_SUCCESS,        /* "success": a synchronous request done (exists, ...) */
  HP_VIDEOROOM_TALKING,        /* "talking" / "stopped-talking": audio levels, ignored */
  HP_VIDEOROOM_SLOW_LINK,      /* "slow_link" */
  HP_VIDEOROOM_UPDATED,        /* "updated": a subscription renegotiates */
} HpVideoroomKind;

typedef struct {
  guint64 id;
  char   *display;             /* %NULL when the publisher gave none */
} HpVideoroomPublisher;

typedef struct {
  HpVideoroomKind kind;
  guint64    room;             /* 0 when absent */
  guint64    id;               /* JOINED: the kiosk's publisher id */
  guint64    private_id;       /* JOINED: for subscribing as the same participant */
  GPtrArray *publishers;       /* of HpVideoroomPublisher: those of JOINED and EVENT; never %NULL, maybe empty */
  guint64    leaving;          /* EVENT: the participant that left ("leaving") or was put out ("kicked"); 0 when none */
  gboolean   left;             /* EVENT: "leaving": "ok" or "left": "ok", the kiosk's own handle left the room */
  guint64    unpublished;      /* EVENT: the publisher that stopped; 0 when none */
  gboolean   unpublished_self; /* EVENT: "unpublished": "ok", the kiosk's own feed stopped */
  gboolean   configured;       /* EVENT: "configured": "ok" */
  gboolean   started;          /* EVENT: "started": "ok" (a subscription) */
  gboolean   exists;           /* SUCCESS to "exists": whether the room exists */
  int        error_code;       /* EVENT with an error: error_code; 0 otherwise */
  char      *error;            /* ... and error; %NULL otherwise */
} HpVideoroomEvent;

/* Reads the VideoRoom's plugin data of @message (an EVENT or SUCCESS whose
 * plugin is "janus.plugin.videoroom"; any other message is UNEXPECTED, as
 * are kinds of "videoroom" not listed above). A plugin error is not an
 * error here: it comes back with error_code and error set. Rooms and
 * participants must have numeric ids: a room with string_ids is MALFORMED. */
HpVideoroomEvent *hp_videoroom_event_parse (const HpJanusMessage  *message,
                                            GError               **error);
void              hp_videoroom_event_free  (HpVideoroomEvent      *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HpVideoroomEvent, hp_videoroom_event_free)

/* ---- requests ---------------------------------------------------------- */

/* A request's text: {"janus": @verb, "transaction": @transaction, ...}
 * with "session_id" and "handle_id" when non-zero, then @body (the
 * plugin's request, for "message"), @jsep and @extra's members (such as
 * "plugin" for "attach" or "token"), each when not %NULL. @transaction
 * is at most HP_JANUS_MAX_TRANSACTION bytes, the ids at most
 * HP_JANUS_MAX_ID, and @extra repeats none of the members written before
 * it. Returns %NULL, rather than text the server could not read, when
 * the request would nest deeper than HP_JANUS_MAX_DEPTH, or when json-glib
 * cannot write one of its numbers as JSON (json-glib 1.6 writes the double
 * 1e-300 as "1e-300.0"). */
char *hp_janus_request_to_text (const char *verb,
                                const char *transaction,
                                guint64     session_id,
                                guint64     handle_id,
                                JsonObject *body,
                                JsonObject *jsep,
                                JsonObject *extra);

G_END_DECLS
