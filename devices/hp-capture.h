/* A captured exchange with a device, as staff save it for diagnosis: hex, one message per line. */
#pragma once

#include <glib.h>

#include "hp-measurement.h"

G_BEGIN_DECLS

#define HP_CAPTURE_ERROR (hp_capture_error_quark ())

typedef enum {
  HP_CAPTURE_ERROR_SYNTAX,   /* the file is not hex lines */
  HP_CAPTURE_ERROR_DECODE,   /* a message does not follow the protocol */
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

/* Decodes the messages of one protocol into @measurements (HpMeasurement).
 * On a message that breaks the protocol: FALSE with HP_CAPTURE_ERROR_DECODE
 * and a message of the form "line L, byte B: what is wrong", B counting from
 * 0 within that message. Measurements decoded before the error stay in
 * @measurements. */
typedef gboolean (*HpCaptureDecodeFunc) (GPtrArray  *messages,
                                         GPtrArray  *measurements,
                                         GError    **error);

/* Sets @error to HP_CAPTURE_ERROR_DECODE for @message at @offset. */
void hp_capture_set_decode_error (GError                 **error,
                                  const HpCaptureMessage  *message,
                                  gsize                    offset,
                                  const char              *format,
                                  ...) G_GNUC_PRINTF (4, 5);

G_END_DECLS
