/* Benchmark: reading the Janus server's messages (a joined event, an answer with a browser-sized SDP), writing a reading for the clinician, and a kiosk's way into its room on a real Janus on loopback (connect, attach, join). */
#include <stdio.h>

#include "hp-call-vitals.h"
#include "hp-janus-client.h"
#include "hp-test-janus.h"
#include "hp-test-util.h"

#define PARSES 20000
#define SESSIONS 10

static const char joined[] =
  "{\"janus\":\"event\",\"session_id\":4242424242,\"sender\":1717171717,\"transaction\":\"Jo1nR8vT2kqZ\","
  "\"plugindata\":{\"plugin\":\"janus.plugin.videoroom\",\"data\":{\"videoroom\":\"joined\",\"room\":1001,"
  "\"description\":\"kiosk\",\"id\":5432101234,\"private_id\":3219876543,"
  "\"publishers\":[{\"id\":7766554433,\"display\":\"clinician\",\"streams\":["
  "{\"type\":\"audio\",\"mindex\":0,\"mid\":\"0\",\"codec\":\"opus\"},"
  "{\"type\":\"video\",\"mindex\":1,\"mid\":\"1\",\"codec\":\"vp8\"}],\"talking\":false}]}}}";

/* An answer the size a browser's is (about 6 KB: two m-lines, their
 * codecs and candidates). */
static char *
answer_with_sdp (void)
{
  g_autoptr(GString) sdp = g_string_new ("v=0\\r\\no=- 4242 2 IN IP4 127.0.0.1\\r\\ns=VideoRoom 1001\\r\\nt=0 0\\r\\n");

  for (guint m = 0; m < 2; m++)
    {
      g_string_append_printf (sdp, "m=%s 9 UDP/TLS/RTP/SAVPF 96 97 98 99 100 101\\r\\nc=IN IP4 127.0.0.1\\r\\na=mid:%u\\r\\n",
                              m == 0 ? "audio" : "video", m);
      for (guint line = 0; line < 40; line++)
        g_string_append_printf (sdp, "a=rtcp-fb:%u nack pli goog-remb transport-cc ccm fir\\r\\n", 96 + line % 6);
      g_string_append (sdp, "a=candidate:1 1 udp 2015363327 127.0.0.1 41234 typ host\\r\\n");
    }
  return g_strdup_printf ("{\"janus\":\"event\",\"session_id\":4242424242,\"sender\":1717171717,"
                          "\"transaction\":\"Pub7sH3dLq0x\",\"plugindata\":{\"plugin\":\"janus.plugin.videoroom\","
                          "\"data\":{\"videoroom\":\"event\",\"room\":1001,\"configured\":\"ok\"}},"
                          "\"jsep\":{\"type\":\"answer\",\"sdp\":\"%s\"}}", sdp->str);
}

static gboolean
time_parses (const char *what,
             const char *text)
{
  gsize length = strlen (text);
  gint64 start = g_get_monotonic_time ();
  double us;

  for (guint i = 0; i < PARSES; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HpJanusMessage) message = hp_janus_message_parse (text, length, &error);

      if (message == NULL)
        {
          g_printerr ("%s did not parse: %s\n", what, error->message);
          return FALSE;
        }
    }
  us = (double) (g_get_monotonic_time () - start) / PARSES;
  printf ("parse %s (%" G_GSIZE_FORMAT " bytes): %.1f µs each, %.0f MB/s\n",
          what, length, us, length / us);
  return TRUE;
}

static gboolean
time_vitals (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(HpVisit) visit = hp_visit_new_full ("6f1c2f4e-96a5-4b53-9a43-0d7d5b1f2c11", now);
  g_autoptr(HpMeasurement) pressure = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_PRESSURE);
  gint64 start;

  hp_measurement_set_kiosk_time (pressure, now);
  hp_measurement_set_value (pressure, HP_QUANTITY_SYSTOLIC, 128, "mm[Hg]");
  hp_measurement_set_value (pressure, HP_QUANTITY_DIASTOLIC, 82, "mm[Hg]");
  hp_measurement_set_value (pressure, HP_QUANTITY_PULSE_RATE, 71, "/min");
  hp_visit_add_measurement (visit, pressure);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < PARSES; i++)
    {
      g_autofree char *text = hp_call_vitals_message (visit, pressure, i);

      if (text == NULL)
        {
          g_printerr ("the reading was not written\n");
          return FALSE;
        }
    }
  printf ("vitals message for a blood pressure with pulse: %.1f µs each\n",
          (double) (g_get_monotonic_time () - start) / PARSES);
  return TRUE;
}

typedef struct {
  GAsyncResult *result;
} Wait;

static void
on_result (GObject      *source G_GNUC_UNUSED,
           GAsyncResult *result,
           gpointer      data)
{
  Wait *wait = data;

  g_set_object (&wait->result, result);
}

static gboolean
has_result (gconstpointer data)
{
  const Wait *wait = data;

  return wait->result != NULL;
}

/* Connect, attach, join: ms, or -1 when a step fails. */
static double
time_way_in (HpTestJanus *janus)
{
  g_autofree char *token = hp_test_janus_sign_token (janus, g_get_real_time () / G_USEC_PER_SEC + 3600, FALSE);
  const char *urls[] = { hp_test_janus_get_url (janus), NULL };
  g_autoptr(HpJanusClient) client = hp_janus_client_new (urls, token);
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(HpJanusMessage) answer = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = { NULL };
  gint64 start = g_get_monotonic_time ();
  guint64 handle;
  double ms;

  hp_janus_client_connect_async (client, NULL, on_result, &wait);
  if (!hp_test_iterate_until (has_result, &wait, 30)
      || !hp_janus_client_connect_finish (client, wait.result, &error))
    goto failed;
  g_clear_object (&wait.result);
  hp_janus_client_attach_async (client, "janus.plugin.videoroom", NULL, on_result, &wait);
  if (!hp_test_iterate_until (has_result, &wait, 30)
      || (handle = hp_janus_client_attach_finish (client, wait.result, &error)) == 0)
    goto failed;
  g_clear_object (&wait.result);
  json_object_set_string_member (body, "request", "join");
  json_object_set_string_member (body, "ptype", "publisher");
  json_object_set_int_member (body, "room", HP_TEST_JANUS_ROOM);
  json_object_set_string_member (body, "pin", HP_TEST_JANUS_PIN);
  hp_janus_client_message_async (client, handle, body, NULL, NULL, on_result, &wait);
  if (!hp_test_iterate_until (has_result, &wait, 30)
      || (answer = hp_janus_client_message_finish (client, wait.result, &error)) == NULL)
    goto failed;
  ms = (g_get_monotonic_time () - start) / 1000.0;
  g_clear_object (&wait.result);
  hp_janus_client_close (client);
  return ms;

failed:
  g_printerr ("the way into the room failed: %s\n", error != NULL ? error->message : "no answer");
  g_clear_object (&wait.result);
  return -1;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *answer = answer_with_sdp ();
  g_autoptr(GError) error = NULL;
  HpTestJanus *janus;
  double times[SESSIONS];

  if (argc != 2)
    {
      g_printerr ("usage: %s SOURCE-ROOT\n", argv[0]);
      return 2;
    }
  if (!time_parses ("joined event", joined) || !time_parses ("answer", answer) || !time_vitals ())
    return 1;

  janus = hp_test_janus_start (argv[1], 60, &error);
  if (janus == NULL)
    {
      g_printerr ("janus did not start: %s\n", error->message);
      return 1;
    }
  for (guint i = 0; i < SESSIONS; i++)
    if ((times[i] = time_way_in (janus)) < 0)
      {
        hp_test_janus_stop (janus);
        return 1;
      }
  hp_test_janus_stop (janus);
  qsort (times, SESSIONS, sizeof times[0], compare_doubles);
  printf ("connect, attach and join on a loopback Janus: median %.1f ms, slowest %.1f ms (%u sessions)\n",
          times[SESSIONS / 2], times[SESSIONS - 1], SESSIONS);
  return 0;
}
