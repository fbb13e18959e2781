/* The kiosk application: wires configuration, store, devices, flow and window. */
#pragma once

#include <gtk/gtk.h>

#include "hp-config.h"
#include "hp-print-service.h"
#include "hp-speech.h"
#include "hp-visit-flow.h"
#include "hp-window.h"

G_BEGIN_DECLS

#define HP_TYPE_APPLICATION (hp_application_get_type ())
G_DECLARE_FINAL_TYPE (HpApplication, hp_application, HP, APPLICATION, GtkApplication)

HpApplication *hp_application_new             (GApplicationFlags  flags);

/* Set up without command-line parsing (tests): @config is used as it is. */
HpApplication *hp_application_new_with_config (HpConfig          *config,
                                               GApplicationFlags  flags);

/* Applications set up with a config run in a window; %FALSE gives the
 * production window (as the configuration's fullscreen says), for tests of
 * its hardening. Takes effect for windows created after the call. */
void           hp_application_set_windowed    (HpApplication     *self,
                                               gboolean           windowed);
HpConfig      *hp_application_get_config      (HpApplication     *self);
/* %NULL until the services are started, just after the first frame. */
HpVisitFlow   *hp_application_get_flow        (HpApplication     *self);
HpWindow      *hp_application_get_window      (HpApplication     *self);
/* Summaries go to the printer through it; %NULL until the services are
 * started. */
HpPrintService *hp_application_get_print_service (HpApplication  *self);
/* Audio guidance's voice; GStreamer loads only once audio is first on. */
HpSpeech      *hp_application_get_speech      (HpApplication     *self);
/* The process exit status the application asks for (a failed demo tour). */
int            hp_application_get_exit_status (HpApplication     *self);

G_END_DECLS
