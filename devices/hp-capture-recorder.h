/* Records a live exchange with a device in the capture format healthpost-ctl decode reads. */
#pragma once

#include "hp-transport.h"

G_BEGIN_DECLS

#define HP_TYPE_CAPTURE_RECORDER (hp_capture_recorder_get_type ())
G_DECLARE_FINAL_TYPE (HpCaptureRecorder, hp_capture_recorder, HP, CAPTURE_RECORDER, GObject)

/* Writes every message on @transport from now on to a new file at @path:
 * "> " and the bytes for what the host sent, "< " for what the device
 * sent, after a first comment line that names @what and says whether the
 * far end is a real device or, with @simulated, a simulator. The file is made with O_EXCL and mode 0600 (it holds
 * readings and serial numbers); an existing file is refused. Each line is
 * written whole as it happens, so a session that dies still leaves what
 * came before. */
HpCaptureRecorder *hp_capture_recorder_new     (HpTransport  *transport,
                                                const char   *path,
                                                const char   *what,
                                                gboolean      simulated,
                                                GError      **error);

/* Messages written so far. */
guint              hp_capture_recorder_get_count (HpCaptureRecorder *self);

/* FALSE with the first write error, if any line could not be written. */
gboolean           hp_capture_recorder_check   (HpCaptureRecorder  *self,
                                                GError            **error);

G_END_DECLS
