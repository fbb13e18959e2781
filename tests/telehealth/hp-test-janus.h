/* A real Janus for tests: the configuration Healthpost ships, in a folder of its own, on a free loopback port. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _HpTestJanus HpTestJanus;

/* The room of the shipped configuration, with the pin the test sets. */
#define HP_TEST_JANUS_ROOM 1001
#define HP_TEST_JANUS_PIN  "4711-test-pin"

/* Starts janus with packaging/janus/ under @source_root, its secrets and
 * port set for the test and its session timeout @session_timeout seconds;
 * returns once its WebSocket accepts connections. %NULL with an error when
 * it cannot start (G_IO_ERROR_NOT_FOUND: janus is not installed). */
HpTestJanus *hp_test_janus_start      (const char   *source_root,
                                       guint         session_timeout,
                                       GError      **error);
/* ws://127.0.0.1:PORT */
const char  *hp_test_janus_get_url    (HpTestJanus  *janus);
/* A token signed with the server's secret, valid until @expiry (Unix
 * seconds), for the VideoRoom; with @wrong_secret, signed with another. */
char        *hp_test_janus_sign_token (HpTestJanus  *janus,
                                       gint64        expiry,
                                       gboolean      wrong_secret);
/* Kills the server at once, as a crash or a power cut would. */
void         hp_test_janus_kill       (HpTestJanus  *janus);
/* Stops the server (if still running) and removes its folder. Returns
 * FALSE when the folder could not be removed. */
gboolean     hp_test_janus_stop       (HpTestJanus  *janus);

G_END_DECLS
