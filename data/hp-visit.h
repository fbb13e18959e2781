/* A patient's visit as it unfolds: when it began, its language and its measurements. */
#pragma once

#include <gio/gio.h>

#include "hp-measurement.h"

G_BEGIN_DECLS

#define HP_TYPE_VISIT (hp_visit_get_type ())
G_DECLARE_FINAL_TYPE (HpVisit, hp_visit, HP, VISIT, GObject)

HpVisit       *hp_visit_new                 (void);
HpVisit       *hp_visit_new_full            (const char    *id,
                                             GDateTime     *started_at);

const char    *hp_visit_get_id              (HpVisit       *self);
GDateTime     *hp_visit_get_started_at      (HpVisit       *self);

GDateTime     *hp_visit_get_finished_at     (HpVisit       *self);
void           hp_visit_set_finished_at     (HpVisit       *self,
                                             GDateTime     *finished_at);
gboolean       hp_visit_is_finished         (HpVisit       *self);

const char    *hp_visit_get_language        (HpVisit       *self);
void           hp_visit_set_language        (HpVisit       *self,
                                             const char    *language);

/* The returning patient's personal code (from an earlier printout), or
 * %NULL for an anonymous visit. Personal data: never log it. */
const char    *hp_visit_get_patient_code    (HpVisit       *self);
void           hp_visit_set_patient_code    (HpVisit       *self,
                                             const char    *patient_code);

void           hp_visit_add_measurement     (HpVisit       *self,
                                             HpMeasurement *measurement);
/* A GListModel of HpMeasurement, in the order they were taken. */
GListModel    *hp_visit_get_measurements    (HpVisit       *self);
guint          hp_visit_get_n_measurements  (HpVisit       *self);
/* The newest measurement of @kind, or %NULL. */
HpMeasurement *hp_visit_find_latest         (HpVisit       *self,
                                             HpMeasurementKind kind);

G_END_DECLS
