/* Choosing the reading of this visit from a glucometer's memory: visit window, meter clock, control tests, repeats. */
#include "hp-glucometer-history.h"

#include "hp-device-private.h"

typedef struct {
  HpGlucometerEntryKind kind;
  HpMeasurement *measurement;
  GDateTime *meter_time;   /* NULL: no usable stamp */
  guint64 recency;
  char *key;
} Entry;

struct _HpGlucometerHistory
{
  GArray *entries;          /* Entry */
  GDateTime *kiosk_now;
  GDateTime *reference;     /* what a stamp may not lie far beyond */
  GTimeSpan offset;         /* kiosk clock minus meter clock */
  gboolean clock_lost;      /* the meter's own clock is unusable */
  gboolean clock_known;     /* the meter told its clock */
  /* Keys of entries without a usable stamp (or without a value) already
   * given: HpDevice can only recognise stamped readings. */
  GHashTable *given_keys;
};

static void
entry_clear (gpointer data)
{
  Entry *entry = data;

  g_clear_object (&entry->measurement);
  g_clear_pointer (&entry->meter_time, g_date_time_unref);
  g_clear_pointer (&entry->key, g_free);
}

HpGlucometerHistory *
hp_glucometer_history_new (void)
{
  HpGlucometerHistory *self = g_new0 (HpGlucometerHistory, 1);

  self->entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (self->entries, entry_clear);
  self->given_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return self;
}

void
hp_glucometer_history_free (HpGlucometerHistory *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->entries);
  g_clear_pointer (&self->kiosk_now, g_date_time_unref);
  g_clear_pointer (&self->reference, g_date_time_unref);
  g_hash_table_unref (self->given_keys);
  g_free (self);
}

void
hp_glucometer_history_begin (HpGlucometerHistory *self,
                             GDateTime           *kiosk_now,
                             GDateTime           *meter_now)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (kiosk_now != NULL);

  g_array_set_size (self->entries, 0);
  g_clear_pointer (&self->kiosk_now, g_date_time_unref);
  g_clear_pointer (&self->reference, g_date_time_unref);
  self->kiosk_now = g_date_time_ref (kiosk_now);
  self->offset = 0;
  self->clock_known = meter_now != NULL;
  self->clock_lost = meter_now != NULL &&
                     g_date_time_get_year (meter_now) < HP_GLUCOMETER_EARLIEST_PLAUSIBLE_YEAR;

  if (meter_now != NULL && !self->clock_lost)
    {
      self->offset = g_date_time_difference (kiosk_now, meter_now);
      self->reference = g_date_time_ref (meter_now);
    }
  else
    self->reference = g_date_time_ref (kiosk_now);
}

gboolean
hp_glucometer_history_time_plausible (HpGlucometerHistory *self,
                                      GDateTime           *meter_time)
{
  g_return_val_if_fail (self != NULL && self->reference != NULL, FALSE);

  if (meter_time == NULL || self->clock_lost)
    return FALSE;
  if (g_date_time_get_year (meter_time) < HP_GLUCOMETER_EARLIEST_PLAUSIBLE_YEAR)
    return FALSE;
  return g_date_time_difference (meter_time, self->reference) <=
         (GTimeSpan) HP_GLUCOMETER_FUTURE_SLACK_S * G_TIME_SPAN_SECOND;
}

void
hp_glucometer_history_add (HpGlucometerHistory   *self,
                           HpGlucometerEntryKind  kind,
                           HpMeasurement         *measurement,
                           GDateTime             *meter_time,
                           guint64                recency,
                           const char            *key)
{
  Entry entry = { 0 };

  g_return_if_fail (self != NULL && self->kiosk_now != NULL);
  g_return_if_fail (key != NULL);
  g_return_if_fail (HP_IS_MEASUREMENT (measurement));

  entry.kind = kind;
  entry.measurement = g_object_ref (measurement);
  if (hp_glucometer_history_time_plausible (self, meter_time))
    entry.meter_time = g_date_time_ref (meter_time);
  entry.recency = recency;
  entry.key = g_strdup (key);

  if (entry.meter_time != NULL)
    hp_measurement_set_device_time (entry.measurement, entry.meter_time);
  else
    hp_measurement_set_flags (entry.measurement,
                              hp_measurement_get_flags (entry.measurement) |
                              HP_MEASUREMENT_FLAG_DEVICE_CLOCK_INVALID);
  g_array_append_val (self->entries, entry);
}

/* TRUE when @a is a later entry than @b. */
static gboolean
is_later (const Entry *a,
          const Entry *b)
{
  if (a->meter_time != NULL && b->meter_time != NULL)
    {
      int order = g_date_time_compare (a->meter_time, b->meter_time);

      if (order != 0)
        return order > 0;
    }
  return a->recency > b->recency;
}

static gboolean
already_given (HpGlucometerHistory *self,
               HpDevice            *device,
               const Entry         *entry)
{
  if (entry->meter_time != NULL)
    return hp_device_has_given (device, entry->measurement);
  return g_hash_table_contains (self->given_keys, entry->key);
}

HpMeasurement *
hp_glucometer_history_choose (HpGlucometerHistory *self,
                              HpDevice            *device,
                              GError             **error)
{
  GDateTime *visit_start;
  g_autoptr(GDateTime) threshold = NULL;
  const Entry *best_stamped = NULL, *best_unstamped = NULL, *newest_unstamped = NULL, *chosen;
  guint n_control = 0;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (HP_IS_DEVICE (device), NULL);

  visit_start = hp_device_get_visit_start (device);
  if (visit_start != NULL)
    threshold = g_date_time_add_seconds (visit_start, -HP_GLUCOMETER_CLOCK_TOLERANCE_S);

  for (guint i = 0; i < self->entries->len; i++)
    {
      const Entry *entry = &g_array_index (self->entries, Entry, i);

      if (entry->meter_time != NULL && threshold != NULL)
        {
          g_autoptr(GDateTime) on_kiosk_clock = g_date_time_add (entry->meter_time, self->offset);

          if (g_date_time_compare (on_kiosk_clock, threshold) < 0)
            continue;
        }
      /* An entry without a stamp can only be placed in time when the meter's
       * clock is lost now (then every entry is unstamped) or when the meter
       * never told its clock; and then only the newest entry can be the
       * patient's: the one before it may be anyone's. */
      if (entry->meter_time == NULL)
        {
          if ((visit_start == NULL || !self->clock_known || self->clock_lost) &&
              (newest_unstamped == NULL || is_later (entry, newest_unstamped)))
            newest_unstamped = entry;
          continue;
        }
      if (already_given (self, device, entry))
        continue;
      if (entry->kind == HP_GLUCOMETER_ENTRY_CONTROL)
        {
          n_control++;
          continue;
        }
      if (best_stamped == NULL || is_later (entry, best_stamped))
        best_stamped = entry;
    }
  if (newest_unstamped != NULL && !already_given (self, device, newest_unstamped))
    {
      if (newest_unstamped->kind == HP_GLUCOMETER_ENTRY_CONTROL)
        n_control++;
      else
        best_unstamped = newest_unstamped;
    }

  if (visit_start == NULL && best_stamped != NULL && best_unstamped != NULL)
    chosen = is_later (best_unstamped, best_stamped) ? best_unstamped : best_stamped;
  else
    chosen = best_stamped != NULL ? best_stamped : best_unstamped;

  if (chosen == NULL)
    {
      if (n_control > 0)
        g_set_error_literal (error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_NO_NEW_READING,
                             "The meter's only new test is a control-solution test; "
                             "the patient should test their blood again");
      else
        g_set_error_literal (error, HP_DEVICE_ERROR, HP_DEVICE_ERROR_NO_NEW_READING,
                             "The meter holds no reading taken during this visit; "
                             "the patient should test again");
      return NULL;
    }

  if (chosen->meter_time == NULL)
    g_hash_table_add (self->given_keys, g_strdup (chosen->key));

  return g_object_ref (chosen->measurement);
}

HpMeasurement *
hp_glucometer_out_of_range_new (HpGlucometerEntryKind  kind,
                                double                 limit_mg_dl,
                                const char            *device_id)
{
  HpMeasurement *measurement;

  g_return_val_if_fail (kind == HP_GLUCOMETER_ENTRY_HIGH || kind == HP_GLUCOMETER_ENTRY_LOW, NULL);

  measurement = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_GLUCOSE);
  hp_measurement_set_value (measurement, HP_QUANTITY_BLOOD_GLUCOSE, limit_mg_dl, "mg/dL");
  hp_measurement_set_flags (measurement, kind == HP_GLUCOMETER_ENTRY_HIGH ? HP_MEASUREMENT_FLAG_ABOVE_RANGE
                                                                         : HP_MEASUREMENT_FLAG_BELOW_RANGE);
  hp_measurement_set_device_id (measurement, device_id);
  return measurement;
}
