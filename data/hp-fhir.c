/* FHIR R4 export of committed visits: the writer, which streams a collection Bundle of Patients, Devices and Observations entry by entry. */
#include "hp-fhir.h"
#include "hp-fhir-private.h"

#include <math.h>

struct _HpFhirWriter
{
  GOutputStream *stream;
  GDateTime *timestamp;
  /* Personal code → Patient fullUrl, for the patients already written. */
  GHashTable *patients;
  /* Device id → Device fullUrl, for the devices already written. */
  GHashTable *devices;
  char *identifier_system;
  GString *buffer;
  guint n_entries;
  gboolean started;
  gboolean finished;
  gboolean failed;
};

void
hp_fhir_writer_set_identifier_system (HpFhirWriter *self,
                                      const char   *system)
{
  g_return_if_fail (self != NULL);
  g_free (self->identifier_system);
  self->identifier_system = g_strdup (system);
}

HpFhirWriter *
hp_fhir_writer_new (GOutputStream *stream,
                    GDateTime     *timestamp)
{
  HpFhirWriter *self;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), NULL);

  self = g_new0 (HpFhirWriter, 1);
  self->stream = g_object_ref (stream);
  self->timestamp = timestamp != NULL ? g_date_time_ref (timestamp) : g_date_time_new_now_utc ();
  self->patients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->devices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->buffer = g_string_sized_new (4096);
  return self;
}

void
hp_fhir_writer_free (HpFhirWriter *self)
{
  if (self == NULL)
    return;
  g_object_unref (self->stream);
  g_date_time_unref (self->timestamp);
  g_hash_table_unref (self->patients);
  g_hash_table_unref (self->devices);
  g_free (self->identifier_system);
  g_string_free (self->buffer, TRUE);
  g_free (self);
}

guint
hp_fhir_writer_get_n_entries (HpFhirWriter *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_entries;
}

static gboolean
check_writable (HpFhirWriter  *self,
                GError       **error)
{
  if (self->failed || self->finished)
    {
      g_set_error_literal (error, HP_FHIR_ERROR, HP_FHIR_ERROR_INVALID,
                           self->failed ? "The export already failed to write"
                                        : "The export is already finished");
      return FALSE;
    }
  return TRUE;
}

static void
begin_bundle (HpFhirWriter *self)
{
  g_autofree char *timestamp = hp_fhir_format_time (self->timestamp);
  g_autofree char *id = g_uuid_string_random ();

  if (self->started)
    return;
  self->started = TRUE;
  g_string_append (self->buffer, "{\"resourceType\":\"Bundle\",\"id\":");
  hp_fhir_append_string (self->buffer, id);
  g_string_append (self->buffer, ",\"type\":\"collection\",\"timestamp\":");
  hp_fhir_append_string (self->buffer, timestamp);
  g_string_append (self->buffer, ",\"entry\":[");
}

static gboolean
flush_buffer (HpFhirWriter  *self,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!g_output_stream_write_all (self->stream, self->buffer->str, self->buffer->len,
                                  NULL, cancellable, &local_error))
    {
      self->failed = TRUE;
      g_string_truncate (self->buffer, 0);
      g_set_error (error, HP_FHIR_ERROR, HP_FHIR_ERROR_WRITE,
                   "Cannot write the export: %s", local_error->message);
      return FALSE;
    }
  g_string_truncate (self->buffer, 0);
  return TRUE;
}

static void
append_entry (HpFhirWriter *self,
              const char   *full_url,
              JsonNode     *resource)
{
  g_string_append (self->buffer, self->n_entries == 0 ? "\n" : ",\n");
  g_string_append (self->buffer, "{\"fullUrl\":");
  hp_fhir_append_string (self->buffer, full_url);
  g_string_append (self->buffer, ",\"resource\":");
  hp_fhir_append_node (self->buffer, resource);
  g_string_append_c (self->buffer, '}');
  self->n_entries++;
}

/* Writes @list after the visit's Patient, if this bundle lacks it yet. */
static gboolean
write_visit_entries (HpFhirWriter  *self,
                     HpVisit       *visit,
                     EntryList     *list,
                     const char    *patient_url,
                     JsonNode      *patient,
                     GCancellable  *cancellable,
                     GError       **error)
{
  const char *patient_code = hp_visit_get_patient_code (visit);

  if (list->resources->len == 0)
    return TRUE;
  begin_bundle (self);
  if (patient != NULL)
    {
      append_entry (self, patient_url, patient);
      g_hash_table_insert (self->patients, g_strdup (patient_code), g_strdup (patient_url));
    }
  for (guint i = 0; i < list->resources->len; i++)
    append_entry (self, g_ptr_array_index (list->urls, i),
                  g_ptr_array_index (list->resources, i));
  return flush_buffer (self, cancellable, error);
}

/* The visit's Patient fullUrl, and the Patient itself when this bundle has
 * not written it yet. */
static const char *
find_subject (HpFhirWriter  *self,
              HpVisit       *visit,
              JsonNode     **patient,
              char         **new_url)
{
  const char *patient_code = hp_visit_get_patient_code (visit);
  const char *known;

  *patient = NULL;
  *new_url = NULL;
  if (patient_code == NULL || *patient_code == '\0')
    return NULL;
  known = g_hash_table_lookup (self->patients, patient_code);
  if (known != NULL)
    return known;
  *patient = hp_fhir_build_patient (patient_code,
                                    self->identifier_system != NULL ? self->identifier_system
                                                                    : HP_FHIR_PERSONAL_CODE_SYSTEM,
                                    new_url);
  return *new_url;
}

gboolean
hp_fhir_writer_add_visit (HpFhirWriter  *self,
                          HpVisit       *visit,
                          GCancellable  *cancellable,
                          GError       **error)
{
  GListModel *measurements;
  ObservationContext context = { 0 };
  EntryList list;
  g_autoptr(JsonNode) patient = NULL;
  g_autofree char *patient_url = NULL;
  g_autoptr(GHashTable) new_devices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gboolean ok = TRUE;
  guint n;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (HP_IS_VISIT (visit), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_writable (self, error))
    return FALSE;

  context.visit = visit;
  context.subject_url = find_subject (self, visit, &patient, &patient_url);
  context.devices = self->devices;
  context.new_devices = new_devices;
  measurements = hp_visit_get_measurements (visit);
  n = g_list_model_get_n_items (measurements);
  hp_fhir_entry_list_init (&list);
  /* One Device for each device, before the Observations that refer to it. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HpMeasurement) measurement = g_list_model_get_item (measurements, i);
      const char *device_id = hp_measurement_get_device_id (measurement);
      char *device_url = NULL;
      JsonNode *device;

      if (device_id == NULL || *device_id == '\0' || !g_utf8_validate (device_id, -1, NULL) ||
          g_hash_table_contains (self->devices, device_id) || g_hash_table_contains (new_devices, device_id))
        continue;
      device = hp_fhir_build_device (device_id, hp_measurement_get_kind (measurement), &device_url);
      hp_fhir_entry_list_add (&list, device, device_url);
      g_hash_table_insert (new_devices, g_strdup (device_id), g_strdup (device_url));
    }
  for (guint i = 0; i < n && ok; i++)
    {
      g_autoptr(HpMeasurement) measurement = g_list_model_get_item (measurements, i);

      ok = hp_fhir_add_measurement (&list, &context, measurement, i, error);
    }
  if (ok)
    ok = write_visit_entries (self, visit, &list, patient_url, patient, cancellable, error);
  if (ok)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, new_devices);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          g_hash_table_iter_steal (&iter);
          g_hash_table_insert (self->devices, key, value);
        }
    }
  hp_fhir_entry_list_clear (&list);
  return ok;
}

gboolean
hp_fhir_writer_add_body_measure (HpFhirWriter      *self,
                                 HpVisit           *visit,
                                 HpFhirBodyMeasure  measure,
                                 double             value,
                                 const char        *unit,
                                 GDateTime         *taken_at,
                                 GCancellable      *cancellable,
                                 GError           **error)
{
  ObservationContext context = { 0 };
  EntryList list;
  Reading reading = { 0 };
  g_autoptr(JsonNode) patient = NULL;
  g_autofree char *patient_url = NULL;
  g_autofree char *id_name = NULL;
  g_autofree char *full_url = NULL;
  JsonNode *resource;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (HP_IS_VISIT (visit), FALSE);
  g_return_val_if_fail (unit != NULL, FALSE);
  g_return_val_if_fail (taken_at != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_writable (self, error))
    return FALSE;

  switch (measure)
    {
    case HP_FHIR_BODY_HEIGHT:
      reading.concept = CONCEPT_BODY_HEIGHT;
      if (g_str_equal (unit, "cm"))
        reading.value = value;
      else if (g_str_equal (unit, "m"))
        reading.value = value * 100.0;
      else if (g_str_equal (unit, "[in_i]"))
        reading.value = value * 2.54; /* the international inch is exactly 2.54 cm */
      else
        goto bad_unit;
      break;
    case HP_FHIR_BODY_MASS_INDEX:
      reading.concept = CONCEPT_BODY_MASS_INDEX;
      if (!g_str_equal (unit, "kg/m2"))
        goto bad_unit;
      reading.value = value;
      break;
    default:
      g_set_error (error, HP_FHIR_ERROR, HP_FHIR_ERROR_INVALID,
                   "Visit %s: unknown body measure %d", hp_visit_get_id (visit), (int) measure);
      return FALSE;
    }
  if (!isfinite (reading.value))
    {
      g_set_error (error, HP_FHIR_ERROR, HP_FHIR_ERROR_INVALID,
                   "Visit %s: the %s value is not a number", hp_visit_get_id (visit),
                   hp_fhir_concepts[reading.concept].text);
      return FALSE;
    }

  context.visit = visit;
  context.subject_url = find_subject (self, visit, &patient, &patient_url);
  context.taken_at = taken_at;
  id_name = g_strdup_printf ("observation/%s/body/%s/%" G_GINT64_FORMAT,
                             hp_visit_get_id (visit), hp_fhir_concepts[reading.concept].loinc,
                             g_date_time_to_unix (taken_at) * G_USEC_PER_SEC
                             + g_date_time_get_microsecond (taken_at));
  context.id_name = id_name;
  hp_fhir_entry_list_init (&list);
  resource = hp_fhir_build_observation (&context, reading.concept, 0, NULL, 0, &reading, &full_url);
  hp_fhir_entry_list_add (&list, resource, g_steal_pointer (&full_url));
  ok = write_visit_entries (self, visit, &list, patient_url, patient, cancellable, error);
  hp_fhir_entry_list_clear (&list);
  return ok;

bad_unit:
  {
    g_autofree char *valid_unit = g_utf8_make_valid (unit, -1);

    g_set_error (error, HP_FHIR_ERROR, HP_FHIR_ERROR_UNIT,
                 "Visit %s: “%s” is not a unit the export takes for %s",
                 hp_visit_get_id (visit), valid_unit,
                 hp_fhir_concepts[reading.concept].text);
    return FALSE;
  }
}

gboolean
hp_fhir_writer_finish (HpFhirWriter  *self,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_writable (self, error))
    return FALSE;
  begin_bundle (self);
  g_string_append (self->buffer, self->n_entries > 0 ? "\n]}\n" : "]}\n");
  if (!flush_buffer (self, cancellable, error))
    return FALSE;
  self->finished = TRUE;
  return TRUE;
}
