/* Choosing the reading of this visit from a glucometer's memory: visit window, meter clock, control tests, repeats. */
#pragma once

#include "hp-device.h"

G_BEGIN_DECLS

/* Meters stamp readings with whole minutes and their clocks drift. The
 * kiosk first moves every stamp by the difference between the meter's clock
 * and its own (when the meter tells its clock), so what is left is the
 * minute the meter drops plus the time the transfer took: two minutes cover
 * both without reaching back into the previous patient's visit. */
#define HP_GLUCOMETER_CLOCK_TOLERANCE_S 120

/* A meter time before this year is a clock that was reset (meters start at
 * 2000 or their factory date after losing power), not a real stamp. */
#define HP_GLUCOMETER_EARLIEST_PLAUSIBLE_YEAR 2010

/* A stamp further than this ahead of the meter's (or, without it, the
 * kiosk's) clock is not a real stamp either. */
#define HP_GLUCOMETER_FUTURE_SLACK_S (24 * 60 * 60)

typedef enum {
  HP_GLUCOMETER_ENTRY_PATIENT, /* a blood test with a value */
  HP_GLUCOMETER_ENTRY_CONTROL, /* a control-solution test: never a patient reading */
  HP_GLUCOMETER_ENTRY_HIGH,    /* "HI": above the meter's range (the value held is its limit) */
  HP_GLUCOMETER_ENTRY_LOW,     /* "LO": below the meter's range (the value held is its limit) */
} HpGlucometerEntryKind;

typedef struct _HpGlucometerHistory HpGlucometerHistory;

/* A reading out of the meter's range, kept as its limit with the flag
 * that says which way. */
HpMeasurement       *hp_glucometer_out_of_range_new (HpGlucometerEntryKind  kind,
                                                     double                 limit_mg_dl,
                                                     const char            *device_id);


HpGlucometerHistory *hp_glucometer_history_new   (void);
void                 hp_glucometer_history_free  (HpGlucometerHistory *self);

/* Starts a new reading of the meter's memory. @meter_now is the meter's own
 * clock as it told it (local wall time; %NULL when lost or not told). */
void                 hp_glucometer_history_begin (HpGlucometerHistory *self,
                                                  GDateTime           *kiosk_now,
                                                  GDateTime           *meter_now);

/* TRUE when @meter_time can be a real stamp (see the limits above). */
gboolean             hp_glucometer_history_time_plausible (HpGlucometerHistory *self,
                                                           GDateTime           *meter_time);

/* Adds one entry of the memory. @measurement holds the value, unit and
 * device id; for HIGH and LOW, the meter's limit, flagged
 * HP_MEASUREMENT_FLAG_ABOVE_RANGE or _BELOW_RANGE; @meter_time its stamp, %NULL when the
 * meter's clock was lost. @recency orders entries when stamps cannot (a
 * larger value is a later entry). @key identifies the entry within this
 * meter's memory (record number, stamp and value text): it lets the kiosk
 * skip an entry without a usable stamp that it already gave. It stays in
 * memory only. */
void                 hp_glucometer_history_add   (HpGlucometerHistory   *self,
                                                  HpGlucometerEntryKind  kind,
                                                  HpMeasurement         *measurement,
                                                  GDateTime             *meter_time,
                                                  guint64                recency,
                                                  const char            *key);

/* The reading to give for @device: the newest patient reading stamped at or
 * after the visit start (less the tolerance, on the kiosk's clock) that
 * @device has not given; failing that, when the meter's clock is lost (or
 * was never told), its newest entry, if that one has no usable stamp and
 * was not given yet (an older one may be anyone's). The reading's device time is its
 * stamp, or %NULL with HP_MEASUREMENT_FLAG_DEVICE_CLOCK_INVALID when the
 * clock was lost. A HI or LO is a reading like any other: the most urgent
 * there is. Otherwise %NULL with HP_DEVICE_ERROR_NO_NEW_READING. */
HpMeasurement       *hp_glucometer_history_choose (HpGlucometerHistory *self,
                                                   HpDevice            *device,
                                                   GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HpGlucometerHistory, hp_glucometer_history_free)

G_END_DECLS
