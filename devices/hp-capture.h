/* A captured exchange with a device, as staff save it for diagnosis: hex, one message per line. */
#pragma once

#include <glib.h>


G_BEGIN_DECLS

#define HP_CAPTURE_ERROR (hp_capture_error_quark ())

typedef enum {
  HP_CAPTURE_ERROR_SYNTAX,   /* the file is not hex lines */
  HP_CAPTURE_ERROR_DECODE,   /* replayed, the capture gives the driver no reading */
  HP_CAPTURE_ERROR_EMPTY,    /* no message at all */
} HpCaptureError;

GQuark hp_capture_error_quark (void);

typedef enum {
  HP_CAPTURE_FROM_DEVICE, /* a line starting "<" or with no mark */
  HP_CAPTURE_TO_DEVICE,   /* a line starting ">" */
} HpCaptureDirection;

typedef struct {
  HpCaptureDirection direction;
  guint              line;      /* 1-based line in the file, for messages */
  GBytes            *bytes;
} HpCaptureMessage;

/* Lines: optional "<" or ">" mark, then hex digits in pairs, spaces and
 * colons allowed between bytes; "#" starts a comment; blank lines skipped.
 * Returns a GPtrArray of HpCaptureMessage (freed with the array), or %NULL
 * with HP_CAPTURE_ERROR_SYNTAX naming the line and column. */
GPtrArray *hp_capture_parse (const char  *text,
                             gsize        length,
                             GError     **error);

G_END_DECLS
