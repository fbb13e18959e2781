/* What HpApplication's files share: its instance and the helpers its visit actions use. */
#pragma once

#include "hp-application.h"
#include "hp-audit.h"
#include "hp-call-service.h"
#include "hp-config.h"
#include "hp-demo-tour.h"
#include "hp-device-manager.h"
#include "hp-print-service.h"
#include "hp-printout.h"
#include "hp-speech.h"
#include "hp-store.h"
#include "hp-visit-flow.h"
#include "hp-window.h"

G_BEGIN_DECLS

struct _HpApplication
{
  GtkApplication parent_instance;

  HpConfig *config;
  gboolean windowed;
  char *tour_dir;
  int exit_status;

  HpStore *store;
  HpAuditLog *audit;
  guint retention_id;
  HpDeviceManager *devices;
  HpCallService *calls;
  HpPrintService *printer;
  /* The summary on the print page: kept only while that page is shown. */
  HpPrintout *printout;
  HpSpeech *speech;
  HpVisitFlow *flow;
  HpWindow *window;
  GSimpleActionGroup *visit_actions;
  HpDemoTour *tour;
  gulong first_map_id;
};

/* hp-application-printout.c: the paper the configuration names. */
HpPaper     hp_application_configured_paper (HpApplication  *self);
/* The print page follows this visit's own printout. */
void        hp_application_sync_printout    (HpApplication  *self);
/* Makes the visit's summary in its language for the print page. */
gboolean    hp_application_prepare_printout (HpApplication  *self,
                                             GError        **error);

/* hp-application-actions.c: the "visit" actions the pages' buttons
 * activate, added to @map. */
void        hp_application_add_visit_actions (HpApplication *self,
                                              GActionMap    *map);

G_END_DECLS
