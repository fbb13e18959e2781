/* FHIR exports of the store: its selected visits, oldest first, as one Bundle to a stream or to a file put in place whole. */
#define _GNU_SOURCE
#include "hp-fhir.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <gio/gunixoutputstream.h>
#include <glib/gstdio.h>

static gboolean
is_selected (HpVisit               *visit,
             const HpFhirSelection *selection)
{
  if (selection == NULL)
    return TRUE;
  if (selection->since != NULL
      && g_date_time_compare (hp_visit_get_started_at (visit), selection->since) < 0)
    return FALSE;
  if (selection->patient_code != NULL
      && g_strcmp0 (hp_visit_get_patient_code (visit), selection->patient_code) != 0)
    return FALSE;
  if (!selection->include_anonymous && hp_visit_get_patient_code (visit) == NULL)
    return FALSE;
  return TRUE;
}

gboolean
hp_fhir_export_store (HpStore               *store,
                      const HpFhirSelection *selection,
                      GOutputStream         *stream,
                      guint                 *n_visits,
                      GCancellable          *cancellable,
                      GError               **error)
{
  g_autoptr(HpFhirWriter) writer = NULL;
  g_auto(GStrv) ids = NULL;
  guint n_selected = 0;
  guint n_ids;

  g_return_val_if_fail (HP_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Ids only: the visits themselves are loaded one at a time. */
  ids = hp_store_list_visit_ids (store, 0, error);
  if (ids == NULL)
    return FALSE;
  n_ids = g_strv_length (ids);

  writer = hp_fhir_writer_new (stream, NULL);
  if (selection != NULL && selection->identifier_system != NULL)
    hp_fhir_writer_set_identifier_system (writer, selection->identifier_system);
  /* The store lists newest first; a record reads best oldest first. */
  for (guint i = n_ids; i > 0; i--)
    {
      g_autoptr(HpVisit) visit = hp_store_load_visit (store, ids[i - 1], error);

      if (visit == NULL)
        return FALSE;
      if (!is_selected (visit, selection))
        continue;
      if (!hp_fhir_writer_add_visit (writer, visit, cancellable, error))
        return FALSE;
      n_selected++;
    }
  if (!hp_fhir_writer_finish (writer, cancellable, error))
    return FALSE;
  if (n_visits != NULL)
    *n_visits = n_selected;
  return TRUE;
}

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *what,
                 const char  *path)
{
  g_set_error (error, HP_FHIR_ERROR, HP_FHIR_ERROR_WRITE,
               "Cannot %s %s: %s", what, path, g_strerror (saved_errno));
  return FALSE;
}

/* Makes the rename itself survive a power cut. */
static gboolean
sync_folder_of (const char  *path,
                GError     **error)
{
  g_autofree char *folder = g_path_get_dirname (path);
  int fd = g_open (folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  int saved_errno;

  if (fd < 0)
    return set_errno_error (error, errno, "open the folder", folder);
  if (fsync (fd) != 0)
    {
      saved_errno = errno;
      close (fd);
      return set_errno_error (error, saved_errno, "sync the folder", folder);
    }
  close (fd);
  return TRUE;
}

gboolean
hp_fhir_export_store_to_file (HpStore               *store,
                              const HpFhirSelection *selection,
                              const char            *path,
                              HpFhirExportFlags      flags,
                              guint                 *n_visits,
                              GCancellable          *cancellable,
                              GError               **error)
{
  g_autofree char *tmp_path = NULL;
  g_autoptr(GOutputStream) stream = NULL;
  g_autoptr(GOutputStream) buffered = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean replace = (flags & HP_FHIR_EXPORT_REPLACE) != 0;
  int fd;

  g_return_val_if_fail (HP_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!replace && g_file_test (path, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK))
    {
      g_set_error (error, HP_FHIR_ERROR, HP_FHIR_ERROR_EXISTS,
                   "%s already exists; the export replaces a file only when asked to", path);
      return FALSE;
    }
  /* A new file of its own beside the export (O_EXCL, so no file of that
   * name, and no link planted there, is ever written through). */
  tmp_path = g_strconcat (path, ".XXXXXX", NULL);
  fd = g_mkstemp_full (tmp_path, O_WRONLY | O_CLOEXEC | O_NOCTTY, 0600);
  if (fd < 0)
    return set_errno_error (error, errno, "create a file beside", path);
  stream = g_unix_output_stream_new (fd, TRUE);
  buffered = g_buffered_output_stream_new_sized (stream, 64 * 1024);

  if (!hp_fhir_export_store (store, selection, buffered, n_visits, cancellable, &local_error)
      || !g_output_stream_flush (buffered, cancellable, &local_error))
    goto failed;
  if (fsync (fd) != 0)
    {
      int saved_errno = errno;

      set_errno_error (&local_error, saved_errno, "sync", tmp_path);
      goto failed;
    }
  if (!g_output_stream_close (buffered, cancellable, &local_error))
    goto failed;
  /* Without leave to replace, a file that appeared meanwhile still wins. */
  if (renameat2 (AT_FDCWD, tmp_path, AT_FDCWD, path, replace ? 0 : RENAME_NOREPLACE) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == EEXIST)
        g_set_error (&local_error, HP_FHIR_ERROR, HP_FHIR_ERROR_EXISTS,
                     "%s already exists; the export replaces a file only when asked to", path);
      else
        set_errno_error (&local_error, saved_errno, "rename the export to", path);
      goto failed;
    }
  return sync_folder_of (path, error);

failed:
  g_output_stream_close (buffered, NULL, NULL);
  g_unlink (tmp_path);
  if (local_error->domain == HP_FHIR_ERROR)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                "Cannot write the export %s: ", path);
  return FALSE;
}
