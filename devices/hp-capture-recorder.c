/* Records a live exchange with a device in the capture format healthpost-ctl decode reads. */
#include "hp-capture-recorder.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

struct _HpCaptureRecorder
{
  GObject parent_instance;

  HpTransport *transport;
  char *path;
  int fd;
  guint count;
  GError *failure;
};

G_DEFINE_FINAL_TYPE (HpCaptureRecorder, hp_capture_recorder, G_TYPE_OBJECT)

static void
hp_capture_recorder_dispose (GObject *object)
{
  HpCaptureRecorder *self = HP_CAPTURE_RECORDER (object);

  if (self->transport != NULL)
    g_signal_handlers_disconnect_by_data (self->transport, self);
  g_clear_object (&self->transport);
  G_OBJECT_CLASS (hp_capture_recorder_parent_class)->dispose (object);
}

static void
hp_capture_recorder_finalize (GObject *object)
{
  HpCaptureRecorder *self = HP_CAPTURE_RECORDER (object);

  if (self->fd >= 0)
    g_close (self->fd, NULL);
  g_clear_error (&self->failure);
  g_free (self->path);
  G_OBJECT_CLASS (hp_capture_recorder_parent_class)->finalize (object);
}

static void
hp_capture_recorder_class_init (HpCaptureRecorderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hp_capture_recorder_dispose;
  object_class->finalize = hp_capture_recorder_finalize;
}

static void
hp_capture_recorder_init (HpCaptureRecorder *self)
{
  self->fd = -1;
}

/* One whole line with one write(2), so that a reader never sees half. */
static void
write_line (HpCaptureRecorder *self,
            const char        *line,
            gsize              len)
{
  gsize done = 0;

  while (done < len && self->failure == NULL)
    {
      gssize n = write (self->fd, line + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved_errno = errno;

          g_set_error (&self->failure, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                       "Cannot write the recording %s: %s", self->path, g_strerror (saved_errno));
          return;
        }
      done += (gsize) n;
    }
}

static void
record (HpCaptureRecorder *self,
        char               mark,
        GBytes            *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  GString *line = g_string_sized_new (2 + 3 * len + 1);

  g_string_append_c (line, mark);
  for (gsize i = 0; i < len; i++)
    g_string_append_printf (line, " %02x", data[i]);
  g_string_append_c (line, '\n');
  write_line (self, line->str, line->len);
  g_string_free (line, TRUE);
  self->count++;
}

static void
on_sent (HpTransport *transport G_GNUC_UNUSED,
         GBytes      *bytes,
         gpointer     user_data)
{
  record (user_data, '>', bytes);
}

static void
on_received (HpTransport *transport G_GNUC_UNUSED,
             GBytes      *bytes,
             gpointer     user_data)
{
  record (user_data, '<', bytes);
}

HpCaptureRecorder *
hp_capture_recorder_new (HpTransport  *transport,
                         const char   *path,
                         const char   *what,
                         gboolean      simulated,
                         GError      **error)
{
  g_autoptr(HpCaptureRecorder) self = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format_iso8601 (now);
  g_autofree char *title = NULL;
  g_autofree char *safe = g_strdup (what != NULL ? what : "device");
  int saved_errno;

  g_return_val_if_fail (HP_IS_TRANSPORT (transport), NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (HP_TYPE_CAPTURE_RECORDER, NULL);
  self->path = g_strdup (path);
  self->fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
  if (self->fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Cannot make the recording %s: %s%s", path, g_strerror (saved_errno),
                   saved_errno == EEXIST ? " (an existing file is never replaced)" : "");
      return NULL;
    }
  /* The comment stays one line whatever the name holds. */
  g_strdelimit (safe, "\r\n", ' ');
  title = g_strdup_printf ("# %s (%s: recorded live by healthpost-ctl, %s)\n", safe,
                           simulated ? "simulated" : "real", stamp);
  write_line (self, title, strlen (title));
  if (self->failure != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->failure));
      g_unlink (path);
      return NULL;
    }
  self->transport = g_object_ref (transport);
  g_signal_connect (transport, "sent", G_CALLBACK (on_sent), self);
  /* "incoming", not "received": the driver may answer from its "received"
   * handler, and the answer must come after what it answers. */
  g_signal_connect (transport, "incoming", G_CALLBACK (on_received), self);
  return g_steal_pointer (&self);
}

guint
hp_capture_recorder_get_count (HpCaptureRecorder *self)
{
  g_return_val_if_fail (HP_IS_CAPTURE_RECORDER (self), 0);
  return self->count;
}

gboolean
hp_capture_recorder_check (HpCaptureRecorder  *self,
                           GError            **error)
{
  g_return_val_if_fail (HP_IS_CAPTURE_RECORDER (self), FALSE);

  if (self->failure == NULL)
    return TRUE;
  g_propagate_error (error, g_error_copy (self->failure));
  return FALSE;
}
