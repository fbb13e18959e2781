/* The kiosk application: wires configuration, store, devices, flow and window. */
#include "hp-application.h"
#include "hp-application-private.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <locale.h>
#include <string.h>

#include "hp-audit.h"
#include "hp-build-config.h"
#include "hp-call-service.h"
#include "hp-contour-device.h"
#include "hp-contour-simulator.h"
#include "hp-demo-tour.h"
#include "hp-device-manager.h"
#include "hp-hid-scale-simulator.h"
#include "hp-i18n.h"
#include "hp-keyring.h"
#include "hp-phdc-device.h"
#include "hp-print-service.h"
#include "hp-printout.h"
#include "hp-retention.h"
#include "hp-secret.h"
#include "hp-simulated-cuff.h"
#include "hp-speech.h"
#include "hp-store.h"
#include "hp-store-damage.h"

G_DEFINE_FINAL_TYPE (HpApplication, hp_application, GTK_TYPE_APPLICATION)

enum {
  SIGNAL_SERVICES_READY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Each language names itself, so a patient finds their own. */
static const char *
native_name_of (const char *code)
{
  const char *name = hp_i18n_get_native_name (code);

  return name != NULL ? name : code;
}

static void
apply_language (const char *code)
{
  hp_i18n_set_language (code);
  /* Set before the window is rebuilt, so the new widgets are laid out
   * mirrored from the start; GTK's own guess would depend on its
   * catalogue for the language being installed. */
  gtk_widget_set_default_direction (hp_i18n_is_right_to_left (code)
                                    ? GTK_TEXT_DIR_RTL : GTK_TEXT_DIR_LTR);
}

static HpPage
instructions_for (HpMeasurementKind kind)
{
  switch (kind)
    {
    case HP_MEASUREMENT_KIND_BODY_WEIGHT:
      return HP_PAGE_WEIGHT_INSTRUCTIONS;
    case HP_MEASUREMENT_KIND_BLOOD_GLUCOSE:
      return HP_PAGE_GLUCOSE_INSTRUCTIONS;
    case HP_MEASUREMENT_KIND_BLOOD_PRESSURE:
    default:
      return HP_PAGE_BP_INSTRUCTIONS;
    }
}

static HpPage
page_for_step (HpVisitStep       step,
               HpMeasurementKind kind)
{
  switch (step)
    {
    case HP_VISIT_STEP_ATTRACT:
      return HP_PAGE_ATTRACT;
    case HP_VISIT_STEP_LANGUAGE:
      return HP_PAGE_LANGUAGE;
    case HP_VISIT_STEP_CONSENT:
      return HP_PAGE_CONSENT;
    case HP_VISIT_STEP_IDENTIFY:
      return HP_PAGE_IDENTIFY;
    case HP_VISIT_STEP_ENTER_CODE:
    case HP_VISIT_STEP_ENTER_PIN:
    case HP_VISIT_STEP_HEIGHT:
    case HP_VISIT_STEP_NEW_PIN:
    case HP_VISIT_STEP_CONFIRM_PIN:
      return HP_PAGE_ENTRY;
    case HP_VISIT_STEP_OFFER_CODE:
      return HP_PAGE_OFFER_CODE;
    case HP_VISIT_STEP_CODE_CREATED:
      return HP_PAGE_CODE;
    case HP_VISIT_STEP_PRINT:
      return HP_PAGE_PRINT;
    case HP_VISIT_STEP_CHOOSE:
      return HP_PAGE_CHOOSE;
    case HP_VISIT_STEP_FASTING:
      return HP_PAGE_FASTING;
    case HP_VISIT_STEP_AGE:
      return HP_PAGE_AGE;
    case HP_VISIT_STEP_INSTRUCTIONS:
      return instructions_for (kind);
    case HP_VISIT_STEP_MEASURING:
      return HP_PAGE_MEASURING;
    case HP_VISIT_STEP_RESULT:
      return HP_PAGE_RESULT;
    case HP_VISIT_STEP_CRISIS:
      return HP_PAGE_CRISIS;
    case HP_VISIT_STEP_SUMMARY:
      return HP_PAGE_SUMMARY;
    case HP_VISIT_STEP_GOODBYE:
      return HP_PAGE_GOODBYE;
    case HP_VISIT_STEP_PROBLEM:
    case HP_VISIT_STEP_OUT_OF_SERVICE:
    default:
      return HP_PAGE_PROBLEM;
    }
}

/* What the keypad page asks on @step (anything but a keypad step keeps the
 * code question, which shows nothing personal). */
static HpEntryKind
entry_kind_for_step (HpVisitStep step)
{
  if (step == HP_VISIT_STEP_ENTER_PIN)
    return HP_ENTRY_PIN;
  if (step == HP_VISIT_STEP_HEIGHT)
    return HP_ENTRY_HEIGHT;
  if (step == HP_VISIT_STEP_NEW_PIN)
    return HP_ENTRY_NEW_PIN;
  if (step == HP_VISIT_STEP_CONFIRM_PIN)
    return HP_ENTRY_CONFIRM_PIN;
  return HP_ENTRY_CODE;
}

static void
update_available_kinds (HpApplication *self)
{
  if (self->window == NULL || self->devices == NULL)
    return;
  hp_window_set_available_kinds (
    self->window,
    hp_device_manager_find_by_kind (self->devices, HP_MEASUREMENT_KIND_BLOOD_PRESSURE) != NULL,
    hp_device_manager_find_by_kind (self->devices, HP_MEASUREMENT_KIND_BODY_WEIGHT) != NULL,
    hp_device_manager_find_by_kind (self->devices, HP_MEASUREMENT_KIND_BLOOD_GLUCOSE) != NULL);
}

/* The flow's state the window shows besides the page: each pushed on its
 * own notification, and all of them with the page. Showing the page again
 * reads out what changed on it (a measuring state, a keypad's message). */
static void
show_page_again (HpApplication *self)
{
  hp_window_show_page (self->window, page_for_step (hp_visit_flow_get_step (self->flow),
                                                    hp_visit_flow_get_kind (self->flow)));
}

static void
push_entry (HpApplication *self)
{
  hp_window_set_entry (self->window, entry_kind_for_step (hp_visit_flow_get_step (self->flow)),
                       hp_visit_flow_get_entry_error (self->flow),
                       hp_visit_flow_get_busy (self->flow));
}

static void
on_flow_phase (HpApplication *self)
{
  if (self->window == NULL || self->flow == NULL)
    return;
  hp_window_set_phase (self->window, hp_visit_flow_get_phase (self->flow));
  show_page_again (self);
}

static void
on_flow_problem (HpApplication *self)
{
  if (self->window == NULL || self->flow == NULL)
    return;
  hp_window_set_problem (self->window, hp_visit_flow_get_problem (self->flow));
  show_page_again (self);
}

static void
on_flow_seconds_left (HpApplication *self)
{
  if (self->window == NULL || self->flow == NULL)
    return;
  hp_window_set_inactivity_warning (self->window, hp_visit_flow_get_seconds_left (self->flow));
  show_page_again (self);
}

static void
on_flow_entry (HpApplication *self)
{
  if (self->window == NULL || self->flow == NULL)
    return;
  push_entry (self);
  show_page_again (self);
}

/* Makes the window show exactly what the flow holds; nothing else feeds it. */
static void
sync_window (HpApplication *self)
{
  HpVisit *visit;
  HpMeasurement *latest = NULL;
  HpMeasurementKind kind;
  HpVisitStep step;

  if (self->window == NULL || self->flow == NULL)
    return;

  step = hp_visit_flow_get_step (self->flow);
  kind = hp_visit_flow_get_kind (self->flow);
  visit = hp_visit_flow_get_visit (self->flow);
  if (visit != NULL)
    latest = hp_visit_find_latest (visit, kind);

  if (hp_visit_flow_get_step (self->flow) == HP_VISIT_STEP_CHOOSE)
    update_available_kinds (self);
  hp_window_set_can_finish (self->window, visit != NULL && hp_visit_get_n_measurements (visit) > 0);
  hp_window_set_kind (self->window, kind);
  hp_window_set_history (self->window, hp_visit_flow_get_history (self->flow));
  hp_window_set_measurement (self->window, visit, latest);
  /* Those pages hold readings only while they are shown. */
  hp_window_set_can_call (self->window, self->calls != NULL && hp_call_service_is_available (self->calls));
  hp_window_set_crisis (self->window, visit,
                        step == HP_VISIT_STEP_CRISIS ? latest : NULL,
                        hp_config_get_emergency_number (self->config));
  hp_window_set_summary (self->window, step == HP_VISIT_STEP_SUMMARY ? visit : NULL);
  push_entry (self);
  hp_window_set_new_code (self->window,
                          step == HP_VISIT_STEP_CODE_CREATED ? hp_visit_flow_get_new_code (self->flow) : NULL);
  if (step != HP_VISIT_STEP_PRINT)
    g_clear_pointer (&self->printout, hp_printout_free);
  if (self->printer != NULL)
    hp_window_set_can_print (self->window, hp_print_service_is_available (self->printer));
  hp_application_sync_printout (self);
  hp_window_set_phase (self->window, hp_visit_flow_get_phase (self->flow));
  hp_window_set_problem (self->window, hp_visit_flow_get_problem (self->flow));
  hp_window_set_inactivity_warning (self->window, hp_visit_flow_get_seconds_left (self->flow));
  hp_window_set_next_language (self->window,
                               g_strv_length ((char **) hp_config_get_languages (self->config)) > 1
                               ? native_name_of (hp_i18n_next_language (hp_config_get_languages (self->config), hp_visit_flow_get_language (self->flow))) : NULL);
  hp_window_show_page (self->window, page_for_step (hp_visit_flow_get_step (self->flow), kind));
}

/* A new step: the page and all it shows. When the visit ends (goodbye, or
 * back to the start), so do its copies at the printer, and its printout if
 * a problem there holds it; one printing still comes out. */
static void
on_flow_step (HpApplication *self)
{
  HpVisitStep step;

  if (self->flow == NULL)
    return;
  step = hp_visit_flow_get_step (self->flow);
  if (self->printer != NULL && (step == HP_VISIT_STEP_GOODBYE || step == HP_VISIT_STEP_ATTRACT))
    hp_print_service_forget_visit (self->printer);
  sync_window (self);
}

static void
on_user_activity (HpApplication *self)
{
  if (self->flow != NULL)
    hp_visit_flow_user_activity (self->flow);
}

/* The language page offers the configured languages, each by its own name. */
static void
offer_languages (HpApplication *self,
                 HpWindow      *window)
{
  const char * const *codes = hp_config_get_languages (self->config);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; codes[i] != NULL; i++)
    g_ptr_array_add (names, (gpointer) native_name_of (codes[i]));
  g_ptr_array_add (names, NULL);
  hp_window_set_languages (window, codes, (const char * const *) names->pdata);
}

/* Audio guidance: the window gives the words on screen, the speech says
 * them in the visit's language. The text may hold results: it goes to the
 * loudspeaker only. */
static void
on_window_speak (HpApplication *self,
                 const char    *text)
{
  const char *language = self->flow != NULL ? hp_visit_flow_get_language (self->flow)
                                            : hp_config_get_language (self->config);

  if (self->speech != NULL)
    hp_speech_say (self->speech, text, language);
}

/* The window's audio button decides, as its display settings do; it turns
 * audio off and the volume to normal when a visit ends. */
static void
on_window_audio (HpApplication *self,
                 GParamSpec    *pspec G_GNUC_UNUSED,
                 HpWindow      *window)
{
  if (window != self->window || self->speech == NULL)
    return;
  hp_speech_set_volume (self->speech, MIN (hp_window_get_audio_volume (window), HP_SPEECH_VOLUME_LAST));
  hp_speech_set_enabled (self->speech, hp_window_get_audio_guidance (window));
}

static HpWindow *
create_window (HpApplication *self)
{
  HpWindow *window = hp_window_new (GTK_APPLICATION (self));

  gtk_widget_insert_action_group (GTK_WIDGET (window), "visit",
                                  G_ACTION_GROUP (self->visit_actions));
  g_signal_connect_object (window, "user-activity",
                           G_CALLBACK (on_user_activity), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (window, "speak",
                           G_CALLBACK (on_window_speak), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (window, "notify::audio-guidance",
                           G_CALLBACK (on_window_audio), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (window, "notify::audio-volume",
                           G_CALLBACK (on_window_audio), self, G_CONNECT_SWAPPED);
  offer_languages (self, window);
  hp_window_set_retention_days (window, hp_config_get_retention_days (self->config));

  if (self->windowed || !hp_config_get_fullscreen (self->config))
    {
      gtk_window_set_default_size (GTK_WINDOW (window), hp_config_get_window_width (self->config),
                                   hp_config_get_window_height (self->config));
      gtk_window_set_decorated (GTK_WINDOW (window), TRUE);
    }
  else
    {
      gtk_window_fullscreen (GTK_WINDOW (window));
      /* Patients touch; a pointer on screen only distracts. */
      gtk_widget_set_cursor_from_name (GTK_WIDGET (window), "none");
    }
  return window;
}

/* Templates are translated when built, so a new language means new widgets;
 * the flow keeps the visit, and the new window is synced from it. */
static void
rebuild_window (HpApplication *self)
{
  HpWindow *old = self->window;

  self->window = create_window (self);
  update_available_kinds (self);
  sync_window (self);
  if (old != NULL)
    hp_window_carry_display (self->window, old);
  /* The voice follows the new window even where the visit ended meanwhile
   * and nothing was carried over. */
  on_window_audio (self, NULL, self->window);
  gtk_window_present (GTK_WINDOW (self->window));
  if (old != NULL)
    gtk_window_destroy (GTK_WINDOW (old));
}

static void
on_flow_language (HpApplication *self)
{
  g_autoptr(GError) error = NULL;

  apply_language (hp_visit_flow_get_language (self->flow));
  /* The printout on screen is written again in the new language. */
  if (hp_visit_flow_get_step (self->flow) == HP_VISIT_STEP_PRINT && !hp_application_prepare_printout (self, &error))
    g_message ("the summary was not written again: %s", error->message);
  rebuild_window (self);
}

/* Opening checks the whole file (SQLite's quick check: seconds for years
 * of visits), so it runs on a worker thread while the attract screen is
 * already up. The store is handed to the main thread when it is open and
 * used only there afterwards. */
/* Extended IEEE 11073 configurations learned from agents are kept in the
 * store's settings, so a device is not asked for its configuration again
 * after a restart. The blob names agents' system ids and object layouts:
 * no patient data. */
#define LEARNED_CONFIGURATIONS_SETTING "ieee11073.learned-configurations"

static void
load_learned_configurations (HpApplication *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree guint8 *data = NULL;
  g_autoptr(GBytes) blob = NULL;
  gsize length;

  text = hp_store_get_setting (self->store, LEARNED_CONFIGURATIONS_SETTING, &error);
  if (text == NULL)
    {
      if (!g_error_matches (error, HP_STORE_ERROR, HP_STORE_ERROR_NOT_FOUND))
        g_message ("learned device configurations not read: %s", error->message);
      return;
    }
  data = g_base64_decode (text, &length);
  blob = g_bytes_new_take (g_steal_pointer (&data), length);
  if (!hp_phdc_device_load_learned_configurations (blob, &error))
    g_message ("learned device configurations ignored: %s", error->message);
}

static void
save_learned_configurations (HpApplication *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) blob = NULL;
  g_autofree char *text = NULL;

  if (self->store == NULL || hp_phdc_device_count_learned_configurations () == 0)
    return;
  blob = hp_phdc_device_save_learned_configurations ();
  text = g_base64_encode (g_bytes_get_data (blob, NULL), g_bytes_get_size (blob));
  if (!hp_store_set_setting (self->store, LEARNED_CONFIGURATIONS_SETTING, text, &error))
    g_message ("learned device configurations not kept: %s", error->message);
}

typedef struct {
  HpStore *store;
  HpAuditLog *audit;
} OpenedStore;

static void
opened_store_free (gpointer data)
{
  OpenedStore *opened = data;

  g_clear_object (&opened->audit);
  g_clear_object (&opened->store);
  g_free (opened);
}

/* How often a running kiosk forgets visits past their retention period
 * (it also does so each time it starts). */
#define RETENTION_INTERVAL_S (6 * 60 * 60)

static void
run_retention (HpStore    *store,
               HpAuditLog *audit,
               guint       retention_days)
{
  g_autoptr(GError) error = NULL;
  gint64 deleted = hp_retention_run (store, audit, "system", retention_days,
                                     g_get_real_time (), &error);

  if (deleted < 0)
    g_message ("retention did not run: %s", error->message);
  else if (deleted > 0)
    g_message ("retention deleted %" G_GINT64_FORMAT " visits past %u days", deleted, retention_days);
}

static void
open_store_in_thread (GTask *task)
{
  HpConfig *config = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = hp_config_dup_database_path (config);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(HpKeyring) keyring = NULL;
  g_autoptr(HpStoreAlarm) alarm = NULL;
  g_autofree OpenedStore *opened = g_new0 (OpenedStore, 1);
  guint8 audit_key[32];

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      g_task_return_new_error (task, G_FILE_ERROR, g_file_error_from_errno (errno),
                               "cannot create the database folder %s: %s", folder, g_strerror (errno));
      return;
    }
  keyring = hp_config_load_keyring (config, TRUE, &error);
  if (keyring == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  opened->store = hp_store_open_recovering (path, keyring, &alarm, &error);
  if (opened->store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (alarm != NULL)
    {
      /* For staff; the sentence names files and times, never a patient. */
      g_autofree char *text = hp_store_alarm_describe (alarm);
      g_warning ("%s", text);
    }
  if (hp_keyring_derive (keyring, HP_KEYRING_PURPOSE_AUDIT_HMAC, audit_key, sizeof audit_key, &error))
    opened->audit = hp_audit_log_new (opened->store, audit_key, sizeof audit_key, &error);
  hp_secret_wipe (audit_key, sizeof audit_key);
  if (opened->audit == NULL)
    {
      g_clear_object (&opened->store);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  run_retention (opened->store, opened->audit, hp_config_get_retention_days (config));
  g_task_return_pointer (task, g_steal_pointer (&opened), opened_store_free);
}

static gboolean
on_retention_due (gpointer user_data)
{
  HpApplication *self = user_data;

  run_retention (self->store, self->audit, hp_config_get_retention_days (self->config));
  return G_SOURCE_CONTINUE;
}

static HpCuffFault
demo_fault (HpConfig *config)
{
  const char *fault = hp_config_get_demo_fault (config);

  if (g_str_equal (fault, "unplug"))
    return HP_CUFF_FAULT_UNPLUG;
  if (g_str_equal (fault, "timeout"))
    return HP_CUFF_FAULT_TIMEOUT;
  if (g_str_equal (fault, "garbled"))
    return HP_CUFF_FAULT_GARBLED;
  return HP_CUFF_FAULT_NONE;
}

static void
start_devices (HpApplication *self)
{
  g_autoptr(GError) error = NULL;

  self->devices = hp_device_manager_new ();
  if (!hp_device_manager_start_usb (self->devices, &error))
    g_message ("USB devices unavailable: %s", error->message);

  if (hp_config_get_demo (self->config))
    {
      HpCuffSimulation simulation = {
        .systolic = (guint16) hp_config_get_demo_systolic (self->config),
        .diastolic = (guint16) hp_config_get_demo_diastolic (self->config),
        .pulse = (guint16) hp_config_get_demo_pulse (self->config),
        .measure_ms = hp_config_get_demo_measure_ms (self->config),
        .fault = demo_fault (self->config),
      };
      g_autoptr(HpDevice) cuff = hp_simulated_cuff_new (&simulation);
      g_autoptr(HpDevice) scale = hp_simulated_scale_new (hp_config_get_demo_weight_kg (self->config),
                                                          HP_SCALE_FAULT_NONE);
      guint glucose = hp_config_get_demo_glucose_mg_dl (self->config);
      /* Beyond its range the meter shows HI or LO, as a real one does. */
      g_autoptr(HpDevice) meter = hp_simulated_contour_new ("mg/dL", glucose,
                                                            glucose > HP_CONTOUR_RANGE_HIGH_MG_DL ? HP_CONTOUR_FAULT_HIGH
                                                            : glucose < HP_CONTOUR_RANGE_LOW_MG_DL ? HP_CONTOUR_FAULT_LOW
                                                            : HP_CONTOUR_FAULT_NONE);

      /* Each simulator speaks its device's bytes to the real driver: an
       * IEEE 11073 cuff, a HID point-of-sale scale, an ASTM glucose meter. */
      hp_device_manager_add_device (self->devices, cuff);
      hp_device_manager_add_device (self->devices, scale);
      hp_device_manager_add_device (self->devices, meter);
    }
  g_signal_connect_object (hp_device_manager_get_devices (self->devices), "items-changed",
                           G_CALLBACK (update_available_kinds), self, G_CONNECT_SWAPPED);
}

static void
on_tour_finished (HpApplication *self,
                  gboolean       succeeded)
{
  self->exit_status = succeeded ? 0 : 1;
  g_application_quit (G_APPLICATION (self));
}

static void
on_store_opened (GObject      *source G_GNUC_UNUSED,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(HpApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  OpenedStore *opened;
  HpVisitTimings timings = {
    .idle_ms = hp_config_get_idle_seconds (self->config) * 1000,
    .countdown_ticks = hp_config_get_warning_seconds (self->config),
    .tick_ms = 1000,
    .goodbye_ms = hp_config_get_goodbye_seconds (self->config) * 1000,
  };

  opened = g_task_propagate_pointer (G_TASK (result), &error);
  if (opened == NULL)
    g_message ("the kiosk is out of service: %s", error->message);
  else
    {
      self->store = g_steal_pointer (&opened->store);
      self->audit = g_steal_pointer (&opened->audit);
      opened_store_free (opened);
      load_learned_configurations (self);
      self->retention_id = g_timeout_add_seconds (RETENTION_INTERVAL_S, on_retention_due, self);
    }
  start_devices (self);
  self->calls = hp_call_service_new ();
  self->printer = hp_print_service_new ();
  hp_print_service_set_printer (self->printer, hp_config_get_printer (self->config));
  hp_print_service_set_paper (self->printer, hp_application_configured_paper (self));
  hp_print_service_set_copies_per_visit (self->printer, hp_config_get_copies_per_visit (self->config));
  if (self->audit != NULL)
    hp_print_service_set_audit (self->printer, self->audit, HP_AUDIT_ACTOR_KIOSK);
  g_signal_connect_object (self->printer, "notify::state",
                           G_CALLBACK (hp_application_sync_printout), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->printer, "notify::problem",
                           G_CALLBACK (hp_application_sync_printout), self, G_CONNECT_SWAPPED);
  self->flow = hp_visit_flow_new (self->store, self->devices, &timings);
  hp_visit_flow_set_language (self->flow, hp_config_get_language (self->config));
  hp_visit_flow_set_ask_language (self->flow,
                                  g_strv_length ((char **) hp_config_get_languages (self->config)) > 1);

  g_signal_connect_object (self->flow, "notify::language",
                           G_CALLBACK (on_flow_language), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flow, "notify::step",
                           G_CALLBACK (on_flow_step), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flow, "notify::phase",
                           G_CALLBACK (on_flow_phase), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flow, "notify::problem",
                           G_CALLBACK (on_flow_problem), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flow, "notify::seconds-left",
                           G_CALLBACK (on_flow_seconds_left), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flow, "notify::entry-error",
                           G_CALLBACK (on_flow_entry), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flow, "notify::busy",
                           G_CALLBACK (on_flow_entry), self, G_CONNECT_SWAPPED);
  update_available_kinds (self);
  sync_window (self);

  g_signal_emit (self, signals[SIGNAL_SERVICES_READY], 0);

  if (self->tour_dir != NULL)
    {
      self->tour = hp_demo_tour_new (self->window, self->flow, self->tour_dir);
      hp_demo_tour_set_printer (self->tour, self->printer);
      g_signal_connect_object (self->tour, "finished",
                               G_CALLBACK (on_tour_finished), self, G_CONNECT_SWAPPED);
      hp_demo_tour_start (self->tour);
    }
}

static gpointer
open_store_thread (gpointer data)
{
  g_autoptr(GTask) task = data;

  open_store_in_thread (task);
  return NULL;
}

/* Everything the first frame does not need starts here, after it is shown. */
static gboolean
start_services (gpointer user_data)
{
  HpApplication *self = user_data;
  g_autoptr(GTask) task = g_task_new (NULL, NULL, on_store_opened, g_object_ref (self));

  g_task_set_task_data (task, g_object_ref (self->config), g_object_unref);
  /* A thread of its own rather than GTask's pool: it ends once the store is
   * open, and with it whatever per-thread state OpenSSL kept for it. */
  g_thread_unref (g_thread_new ("hp-store-open", open_store_thread, g_steal_pointer (&task)));
  return G_SOURCE_REMOVE;
}

static void
on_first_map (HpApplication *self)
{
  g_clear_signal_handler (&self->first_map_id, self->window);
  g_idle_add_full (G_PRIORITY_LOW, start_services, g_object_ref (self), g_object_unref);
}

static int
hp_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  HpApplication *self = HP_APPLICATION (app);
  g_autoptr(GError) error = NULL;
  const char *config_path = NULL;
  const char *tour_dir = NULL;
  gboolean demo = FALSE;
  gboolean version = FALSE;
  const char *renderer;

  if (g_variant_dict_lookup (options, "version", "b", &version) && version)
    {
      g_print ("healthpost %s\n", HP_VERSION);
      return 0;
    }

  g_variant_dict_lookup (options, "config", "^&ay", &config_path);
  g_variant_dict_lookup (options, "demo", "b", &demo);
  g_variant_dict_lookup (options, "windowed", "b", &self->windowed);
  g_variant_dict_lookup (options, "tour", "^&ay", &tour_dir);

  if (self->config == NULL)
    {
      self->config = hp_config_load (config_path, &error);
      if (self->config == NULL)
        {
          g_printerr ("healthpost: %s\n", error->message);
          return 1;
        }
    }
  if (demo)
    hp_config_set_demo (self->config, TRUE);
  if (tour_dir != NULL)
    {
      self->tour_dir = g_strdup (tour_dir);
      self->windowed = TRUE;
    }

  /* The renderer is chosen before GTK starts; an environment setting wins. */
  renderer = hp_config_get_gsk_renderer (self->config);
  if (*renderer != '\0')
    g_setenv ("GSK_RENDERER", renderer, FALSE);

  return G_APPLICATION_CLASS (hp_application_parent_class)->handle_local_options (app, options);
}

static void
hp_application_startup (GApplication *app)
{
  HpApplication *self = HP_APPLICATION (app);

  /* main() has set the locale; GTK would reset it from the environment. */
  gtk_disable_setlocale ();
  G_APPLICATION_CLASS (hp_application_parent_class)->startup (app);

  apply_language (hp_config_get_language (self->config));
  hp_ui_init_style (gdk_display_get_default ());
  /* Loads nothing yet: GStreamer and the voices wait for audio guidance. */
  self->speech = hp_speech_new (hp_config_get_audio_sink (self->config),
                                hp_config_get_audio_volume (self->config) / 100.0);
  hp_application_add_visit_actions (self, G_ACTION_MAP (self->visit_actions));
}

static void
hp_application_activate (GApplication *app)
{
  HpApplication *self = HP_APPLICATION (app);

  if (self->window != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->window));
      return;
    }

  self->window = create_window (self);
  self->first_map_id = g_signal_connect_swapped (self->window, "map",
                                                 G_CALLBACK (on_first_map), self);
  gtk_window_present (GTK_WINDOW (self->window));
}

static void
hp_application_shutdown (GApplication *app)
{
  HpApplication *self = HP_APPLICATION (app);

  save_learned_configurations (self);
  g_clear_handle_id (&self->retention_id, g_source_remove);
  g_clear_object (&self->tour);
  g_clear_object (&self->flow);
  g_clear_object (&self->calls);
  g_clear_pointer (&self->printout, hp_printout_free);
  g_clear_object (&self->printer);
  g_clear_object (&self->speech);
  g_clear_object (&self->devices);
  g_clear_object (&self->audit);
  g_clear_object (&self->store);
  self->window = NULL;

  G_APPLICATION_CLASS (hp_application_parent_class)->shutdown (app);
}

static void
hp_application_finalize (GObject *object)
{
  HpApplication *self = HP_APPLICATION (object);

  g_clear_object (&self->tour);
  g_clear_object (&self->flow);
  g_clear_object (&self->calls);
  g_clear_object (&self->printer);
  g_clear_object (&self->speech);
  g_clear_object (&self->devices);
  g_clear_object (&self->audit);
  g_clear_object (&self->store);
  g_clear_object (&self->config);
  g_clear_object (&self->visit_actions);
  g_free (self->tour_dir);

  G_OBJECT_CLASS (hp_application_parent_class)->finalize (object);
}

static void
hp_application_class_init (HpApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = hp_application_finalize;
  app_class->handle_local_options = hp_application_handle_local_options;
  app_class->startup = hp_application_startup;
  app_class->activate = hp_application_activate;
  app_class->shutdown = hp_application_shutdown;

  signals[SIGNAL_SERVICES_READY] =
    g_signal_new ("services-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
hp_application_init (HpApplication *self)
{
  static const GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, NULL, N_("Read the configuration from FILE"), N_("FILE") },
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Use simulated devices and a demo database"), NULL },
    { "windowed", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Run in a window instead of full screen"), NULL },
    { "tour", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Walk one demo visit and save a screenshot of each screen into DIR"), N_("DIR") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
    G_OPTION_ENTRY_NULL
  };

  self->visit_actions = g_simple_action_group_new ();
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

HpApplication *
hp_application_new (GApplicationFlags flags)
{
  return g_object_new (HP_TYPE_APPLICATION,
                       "application-id", "org.healthpost.Kiosk",
                       "flags", flags,
                       NULL);
}

HpApplication *
hp_application_new_with_config (HpConfig          *config,
                                GApplicationFlags  flags)
{
  HpApplication *self;

  g_return_val_if_fail (HP_IS_CONFIG (config), NULL);

  self = hp_application_new (flags);
  self->config = g_object_ref (config);
  self->windowed = TRUE;
  return self;
}

void
hp_application_set_windowed (HpApplication *self,
                             gboolean       windowed)
{
  g_return_if_fail (HP_IS_APPLICATION (self));
  self->windowed = windowed;
}

HpConfig *
hp_application_get_config (HpApplication *self)
{
  g_return_val_if_fail (HP_IS_APPLICATION (self), NULL);
  return self->config;
}

HpVisitFlow *
hp_application_get_flow (HpApplication *self)
{
  g_return_val_if_fail (HP_IS_APPLICATION (self), NULL);
  return self->flow;
}

HpWindow *
hp_application_get_window (HpApplication *self)
{
  g_return_val_if_fail (HP_IS_APPLICATION (self), NULL);
  return self->window;
}

HpPrintService *
hp_application_get_print_service (HpApplication *self)
{
  g_return_val_if_fail (HP_IS_APPLICATION (self), NULL);
  return self->printer;
}

HpSpeech *
hp_application_get_speech (HpApplication *self)
{
  g_return_val_if_fail (HP_IS_APPLICATION (self), NULL);
  return self->speech;
}

int
hp_application_get_exit_status (HpApplication *self)
{
  g_return_val_if_fail (HP_IS_APPLICATION (self), 1);
  return self->exit_status;
}
