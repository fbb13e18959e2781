/* The visit flow controller: moves one patient's visit from step to step. */
#include "hp-visit-flow.h"

#include <string.h>

#include "hp-app-enums.h"
#include "hp-data-enums.h"
#include "hp-secret.h"
#include "hp-store-patients.h"

struct _HpVisitFlow
{
  GObject parent_instance;

  HpStore *store;
  HpDeviceManager *devices;
  HpVisitTimings timings;

  HpVisitStep step;
  HpVisit *visit;
  HpMeasurementKind kind;
  HpVisitProblem problem;
  HpMeasurementPhase phase;
  HpEntryError entry_error;

  /* Identification: the code typed, kept until its PIN is checked; the
   * first PIN of "remember me", until it is typed again; the patient's
   * earlier visits; a code made for them. All personal: wiped with the
   * visit. */
  char *typed_code;
  char *first_pin;
  GPtrArray *history;
  char *new_code;
  GCancellable *checking;
  char *default_language;
  char *language;
  gboolean ask_language;
  gboolean height_asked;
  /* Where the print preview returns to. */
  HpVisitStep before_print;

  /* The device measuring now, with its signal handlers. */
  HpDevice *device;
  gulong ready_id;
  gulong failed_id;
  gulong phase_id;

  guint idle_source;
  guint tick_source;
  guint goodbye_source;
  guint seconds_left;
};

G_DEFINE_FINAL_TYPE (HpVisitFlow, hp_visit_flow, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STEP,
  PROP_VISIT,
  PROP_PROBLEM,
  PROP_PHASE,
  PROP_ENTRY_ERROR,
  PROP_BUSY,
  PROP_WARNING_ACTIVE,
  PROP_SECONDS_LEFT,
  PROP_LANGUAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const step_names[] = {
  [HP_VISIT_STEP_ATTRACT] = "attract",
  [HP_VISIT_STEP_LANGUAGE] = "language",
  [HP_VISIT_STEP_CONSENT] = "consent",
  [HP_VISIT_STEP_IDENTIFY] = "identify",
  [HP_VISIT_STEP_ENTER_CODE] = "enter-code",
  [HP_VISIT_STEP_ENTER_PIN] = "enter-pin",
  [HP_VISIT_STEP_AGE] = "age",
  [HP_VISIT_STEP_CHOOSE] = "choose",
  [HP_VISIT_STEP_HEIGHT] = "height",
  [HP_VISIT_STEP_FASTING] = "fasting",
  [HP_VISIT_STEP_INSTRUCTIONS] = "instructions",
  [HP_VISIT_STEP_MEASURING] = "measuring",
  [HP_VISIT_STEP_CRISIS] = "crisis",
  [HP_VISIT_STEP_RESULT] = "result",
  [HP_VISIT_STEP_SUMMARY] = "summary",
  [HP_VISIT_STEP_OFFER_CODE] = "offer-code",
  [HP_VISIT_STEP_NEW_PIN] = "new-pin",
  [HP_VISIT_STEP_CONFIRM_PIN] = "confirm-pin",
  [HP_VISIT_STEP_CODE_CREATED] = "code-created",
  [HP_VISIT_STEP_PRINT] = "print",
  [HP_VISIT_STEP_PROBLEM] = "problem",
  [HP_VISIT_STEP_GOODBYE] = "goodbye",
  [HP_VISIT_STEP_OUT_OF_SERVICE] = "out-of-service",
};

const char *
hp_visit_step_to_string (HpVisitStep step)
{
  g_return_val_if_fail (step < G_N_ELEMENTS (step_names), NULL);
  return step_names[step];
}

/* The quiet-time clock runs only where the patient is expected to act; it
 * pauses while a device measures, and the goodbye screen has its own.
 *
 * The crisis page keeps the ordinary clock rather than pausing it: a
 * patient told to get help may well walk away to do so, and their reading
 * must not stay on the screen for the next person. Nothing is lost by it:
 * when the countdown ends, what was measured is saved before the screen is
 * wiped, as on every other step. */
static gboolean
step_watches_inactivity (HpVisitStep step)
{
  switch (step)
    {
    case HP_VISIT_STEP_LANGUAGE:
    case HP_VISIT_STEP_CONSENT:
    case HP_VISIT_STEP_IDENTIFY:
    case HP_VISIT_STEP_ENTER_CODE:
    case HP_VISIT_STEP_ENTER_PIN:
    case HP_VISIT_STEP_AGE:
    case HP_VISIT_STEP_CHOOSE:
    case HP_VISIT_STEP_HEIGHT:
    case HP_VISIT_STEP_FASTING:
    case HP_VISIT_STEP_INSTRUCTIONS:
    case HP_VISIT_STEP_CRISIS:
    case HP_VISIT_STEP_RESULT:
    case HP_VISIT_STEP_SUMMARY:
    case HP_VISIT_STEP_OFFER_CODE:
    case HP_VISIT_STEP_NEW_PIN:
    case HP_VISIT_STEP_CONFIRM_PIN:
    case HP_VISIT_STEP_CODE_CREATED:
    case HP_VISIT_STEP_PRINT:
    case HP_VISIT_STEP_PROBLEM:
      return TRUE;
    case HP_VISIT_STEP_ATTRACT:
    case HP_VISIT_STEP_MEASURING:
    case HP_VISIT_STEP_GOODBYE:
    case HP_VISIT_STEP_OUT_OF_SERVICE:
    default:
      return FALSE;
    }
}

static void
set_phase (HpVisitFlow        *self,
           HpMeasurementPhase  phase)
{
  if (self->phase == phase)
    return;
  self->phase = phase;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHASE]);
}

static void
set_problem (HpVisitFlow    *self,
             HpVisitProblem  problem)
{
  if (self->problem == problem)
    return;
  self->problem = problem;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

static void
set_entry_error (HpVisitFlow  *self,
                 HpEntryError  entry_error)
{
  if (self->entry_error == entry_error)
    return;
  self->entry_error = entry_error;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENTRY_ERROR]);
}

/* Stops a check in progress; its answer, when it comes, changes nothing. */
static void
stop_checking (HpVisitFlow *self)
{
  if (self->checking == NULL)
    return;
  g_cancellable_cancel (self->checking);
  g_clear_object (&self->checking);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
set_warning (HpVisitFlow *self,
             guint        seconds_left)
{
  gboolean was_active = self->tick_source != 0 || self->seconds_left != 0;

  if (self->seconds_left != seconds_left)
    {
      self->seconds_left = seconds_left;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECONDS_LEFT]);
    }
  if (was_active != (seconds_left != 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WARNING_ACTIVE]);
}

static void
stop_timers (HpVisitFlow *self)
{
  g_clear_handle_id (&self->idle_source, g_source_remove);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_clear_handle_id (&self->goodbye_source, g_source_remove);
  set_warning (self, 0);
}

static void
release_device (HpVisitFlow *self)
{
  if (self->device == NULL)
    return;
  g_clear_signal_handler (&self->ready_id, self->device);
  g_clear_signal_handler (&self->failed_id, self->device);
  g_clear_signal_handler (&self->phase_id, self->device);
  g_clear_object (&self->device);
}

/* Stop listening to the device first, so its cancellation cannot move the flow. */
static void
abandon_device (HpVisitFlow *self)
{
  g_autoptr(HpDevice) device = NULL;

  if (self->device == NULL)
    return;
  device = g_object_ref (self->device);
  release_device (self);
  if (hp_device_get_state (device) == HP_DEVICE_STATE_MEASURING)
    hp_device_cancel_measurement (device);
}

static gboolean
replace_str (char       **field,
             const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void restart_idle_clock (HpVisitFlow *self);
static gboolean on_goodbye_elapsed (gpointer user_data);

static void
set_step (HpVisitFlow *self,
          HpVisitStep  step)
{
  stop_timers (self);

  if (step_watches_inactivity (step))
    restart_idle_clock (self);
  else if (step == HP_VISIT_STEP_GOODBYE)
    self->goodbye_source = g_timeout_add (self->timings.goodbye_ms, on_goodbye_elapsed, self);

  if (self->step == step)
    return;
  set_entry_error (self, HP_ENTRY_ERROR_NONE);
  g_debug ("visit step: %s → %s", step_names[self->step], step_names[step]);
  self->step = step;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
}

/* Forget everything about the visit: nothing of it may outlive this. */
static void
wipe_visit (HpVisitFlow *self)
{
  abandon_device (self);
  stop_checking (self);

  set_problem (self, HP_VISIT_PROBLEM_NONE);
  set_entry_error (self, HP_ENTRY_ERROR_NONE);
  set_phase (self, HP_MEASUREMENT_PHASE_IDLE);
  hp_secret_clear (&self->typed_code);
  hp_secret_clear (&self->first_pin);
  hp_secret_clear (&self->new_code);
  g_clear_pointer (&self->history, g_ptr_array_unref);
  self->kind = HP_MEASUREMENT_KIND_BLOOD_PRESSURE;
  self->height_asked = FALSE;
  if (self->visit != NULL)
    {
      g_clear_object (&self->visit);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIT]);
    }
  hp_visit_flow_set_language (self, self->default_language);
  set_step (self, HP_VISIT_STEP_ATTRACT);
}

static gboolean
on_goodbye_elapsed (gpointer user_data)
{
  HpVisitFlow *self = user_data;

  self->goodbye_source = 0;
  wipe_visit (self);
  return G_SOURCE_REMOVE;
}

static gboolean
commit_visit (HpVisitFlow  *self,
              GError      **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  hp_visit_set_finished_at (self->visit, now);
  if (!hp_store_commit_visit (self->store, self->visit, error))
    {
      hp_visit_set_finished_at (self->visit, NULL);
      return FALSE;
    }
  return TRUE;
}

/* A patient who walks away (perhaps to get the care a crisis reading called
 * for) still has their readings kept, exactly as if they had pressed Finish. */
static void
save_abandoned_visit (HpVisitFlow *self)
{
  g_autoptr(GError) error = NULL;

  if (self->visit == NULL || self->store == NULL ||
      hp_visit_is_finished (self->visit) ||
      hp_visit_get_n_measurements (self->visit) == 0)
    return;
  if (!commit_visit (self, &error))
    /* Store errors name no patient data; staff need the reason. */
    g_message ("abandoned visit not saved: %s", error->message);
}

static gboolean
on_countdown_tick (gpointer user_data)
{
  HpVisitFlow *self = user_data;

  if (self->seconds_left > 1)
    {
      set_warning (self, self->seconds_left - 1);
      return G_SOURCE_CONTINUE;
    }

  self->tick_source = 0;
  g_debug ("visit abandoned: inactivity");
  save_abandoned_visit (self);
  wipe_visit (self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_idle_elapsed (gpointer user_data)
{
  HpVisitFlow *self = user_data;

  self->idle_source = 0;
  self->tick_source = g_timeout_add (self->timings.tick_ms, on_countdown_tick, self);
  set_warning (self, MAX (self->timings.countdown_ticks, 1));
  return G_SOURCE_REMOVE;
}

static void
restart_idle_clock (HpVisitFlow *self)
{
  g_clear_handle_id (&self->idle_source, g_source_remove);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  set_warning (self, 0);
  self->idle_source = g_timeout_add (self->timings.idle_ms, on_idle_elapsed, self);
}

static void
on_measurement_ready (HpDevice      *device G_GNUC_UNUSED,
                      HpMeasurement *measurement,
                      gpointer       user_data)
{
  HpVisitFlow *self = user_data;

  if (self->step != HP_VISIT_STEP_MEASURING || self->visit == NULL)
    return;

  release_device (self);
  hp_visit_add_measurement (self->visit, measurement);
  set_phase (self, HP_MEASUREMENT_PHASE_DONE);
  /* A reading that needs help now, by its value or by its pulse, comes
   * first as a call to act, then as a number. */
  if (hp_visit_flow_get_urgency (self, measurement) >= HP_URGENCY_TELL_STAFF_NOW)
    set_step (self, HP_VISIT_STEP_CRISIS);
  else
    set_step (self, HP_VISIT_STEP_RESULT);
}

static HpVisitProblem
problem_for_error (const GError *error)
{
  if (error->domain != HP_DEVICE_ERROR)
    return HP_VISIT_PROBLEM_READING_FAILED;

  switch ((HpDeviceError) error->code)
    {
    case HP_DEVICE_ERROR_NOT_CONNECTED:
    case HP_DEVICE_ERROR_PERMISSION:
      return HP_VISIT_PROBLEM_DEVICE_MISSING;
    case HP_DEVICE_ERROR_DISCONNECTED:
      return HP_VISIT_PROBLEM_DEVICE_UNPLUGGED;
    case HP_DEVICE_ERROR_TIMEOUT:
    case HP_DEVICE_ERROR_BUSY:
      return HP_VISIT_PROBLEM_DEVICE_NOT_RESPONDING;
    case HP_DEVICE_ERROR_NO_NEW_READING:
      return HP_VISIT_PROBLEM_NO_NEW_READING;
    case HP_DEVICE_ERROR_IMPLAUSIBLE:
      return HP_VISIT_PROBLEM_IMPLAUSIBLE;
    case HP_DEVICE_ERROR_PROTOCOL:
    case HP_DEVICE_ERROR_UNSUPPORTED:
    case HP_DEVICE_ERROR_CANCELLED:
    default:
      return HP_VISIT_PROBLEM_READING_FAILED;
    }
}

static void
fail_measurement (HpVisitFlow  *self,
                  const GError *error)
{
  /* Device errors carry no health values, so they may be logged for staff. */
  g_message ("measurement failed: %s", error->message);
  release_device (self);
  set_phase (self, HP_MEASUREMENT_PHASE_IDLE);
  set_problem (self, problem_for_error (error));
  set_step (self, HP_VISIT_STEP_PROBLEM);
}

static void
on_measurement_failed (HpDevice     *device G_GNUC_UNUSED,
                       const GError *error,
                       gpointer      user_data)
{
  HpVisitFlow *self = user_data;

  if (self->step != HP_VISIT_STEP_MEASURING)
    return;
  fail_measurement (self, error);
}

static void
on_device_phase (HpDevice   *device,
                 GParamSpec *pspec G_GNUC_UNUSED,
                 gpointer    user_data)
{
  set_phase (HP_VISIT_FLOW (user_data), hp_device_get_phase (device));
}

static void
hp_visit_flow_dispose (GObject *object)
{
  HpVisitFlow *self = HP_VISIT_FLOW (object);

  stop_timers (self);
  abandon_device (self);
  stop_checking (self);
  g_clear_pointer (&self->history, g_ptr_array_unref);
  g_clear_object (&self->visit);
  g_clear_object (&self->store);
  g_clear_object (&self->devices);

  G_OBJECT_CLASS (hp_visit_flow_parent_class)->dispose (object);
}

static void
hp_visit_flow_finalize (GObject *object)
{
  HpVisitFlow *self = HP_VISIT_FLOW (object);

  g_free (self->default_language);
  g_free (self->language);
  hp_secret_clear (&self->typed_code);
  hp_secret_clear (&self->first_pin);
  hp_secret_clear (&self->new_code);

  G_OBJECT_CLASS (hp_visit_flow_parent_class)->finalize (object);
}

static void
hp_visit_flow_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  HpVisitFlow *self = HP_VISIT_FLOW (object);

  switch (prop_id)
    {
    case PROP_STEP:
      g_value_set_enum (value, self->step);
      break;
    case PROP_VISIT:
      g_value_set_object (value, self->visit);
      break;
    case PROP_PROBLEM:
      g_value_set_enum (value, self->problem);
      break;
    case PROP_PHASE:
      g_value_set_enum (value, self->phase);
      break;
    case PROP_ENTRY_ERROR:
      g_value_set_enum (value, self->entry_error);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->checking != NULL);
      break;
    case PROP_WARNING_ACTIVE:
      g_value_set_boolean (value, hp_visit_flow_get_warning_active (self));
      break;
    case PROP_SECONDS_LEFT:
      g_value_set_uint (value, self->seconds_left);
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hp_visit_flow_class_init (HpVisitFlowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hp_visit_flow_dispose;
  object_class->finalize = hp_visit_flow_finalize;
  object_class->get_property = hp_visit_flow_get_property;

  properties[PROP_STEP] =
    g_param_spec_enum ("step", NULL, NULL, HP_TYPE_VISIT_STEP, HP_VISIT_STEP_ATTRACT,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VISIT] =
    g_param_spec_object ("visit", NULL, NULL, HP_TYPE_VISIT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROBLEM] =
    g_param_spec_enum ("problem", NULL, NULL, HP_TYPE_VISIT_PROBLEM, HP_VISIT_PROBLEM_NONE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PHASE] =
    g_param_spec_enum ("phase", NULL, NULL, HP_TYPE_MEASUREMENT_PHASE, HP_MEASUREMENT_PHASE_IDLE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENTRY_ERROR] =
    g_param_spec_enum ("entry-error", NULL, NULL, HP_TYPE_ENTRY_ERROR, HP_ENTRY_ERROR_NONE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WARNING_ACTIVE] =
    g_param_spec_boolean ("warning-active", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SECONDS_LEFT] =
    g_param_spec_uint ("seconds-left", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hp_visit_flow_init (HpVisitFlow *self)
{
  self->step = HP_VISIT_STEP_ATTRACT;
  self->default_language = g_strdup ("en");
  self->ask_language = TRUE;
  self->language = g_strdup ("en");
}

HpVisitFlow *
hp_visit_flow_new (HpStore              *store,
                   HpDeviceManager      *devices,
                   const HpVisitTimings *timings)
{
  HpVisitFlow *self;

  g_return_val_if_fail (store == NULL || HP_IS_STORE (store), NULL);
  g_return_val_if_fail (HP_IS_DEVICE_MANAGER (devices), NULL);
  g_return_val_if_fail (timings != NULL, NULL);

  self = g_object_new (HP_TYPE_VISIT_FLOW, NULL);
  self->store = store != NULL ? g_object_ref (store) : NULL;
  self->devices = g_object_ref (devices);
  self->timings = *timings;
  self->timings.idle_ms = MAX (self->timings.idle_ms, 1);
  self->timings.tick_ms = MAX (self->timings.tick_ms, 1);
  self->timings.countdown_ticks = MAX (self->timings.countdown_ticks, 1);
  if (store == NULL)
    {
      self->step = HP_VISIT_STEP_OUT_OF_SERVICE;
      self->problem = HP_VISIT_PROBLEM_OUT_OF_SERVICE;
    }
  return self;
}

HpVisitStep
hp_visit_flow_get_step (HpVisitFlow *self)
{
  g_return_val_if_fail (HP_IS_VISIT_FLOW (self), HP_VISIT_STEP_ATTRACT);
  return self->step;
}

HpVisit *
hp_visit_flow_get_visit (HpVisitFlow *self)
{
  g_return_val_if_fail (HP_IS_VISIT_FLOW (self), NULL);
  return self->visit;
}

HpMeasurementKind
hp_visit_flow_get_kind (HpVisitFlow *self)
{
  g_return_val_if_fail (HP_IS_VISIT_FLOW (self), HP_MEASUREMENT_KIND_BLOOD_PRESSURE);
  return self->kind;
}

HpFasting
hp_visit_flow_get_fasting (HpVisitFlow *self)
{
  g_return_val_if_fail (HP_IS_VISIT_FLOW (self), HP_FASTING_UNKNOWN);
  return self->visit != NULL ? hp_visit_get_fasting (self->visit) : HP_FASTING_UNKNOWN;
}

HpUrgency
hp_visit_flow_get_urgency (HpVisitFlow   *self,
                           HpMeasurement *measurement)
{
  HpInterpretation interpretation = { 0 };

  g_return_val_if_fail (HP_IS_VISIT_FLOW (self), HP_URGENCY_NONE);
  g_return_val_if_fail (HP_IS_MEASUREMENT (measurement), HP_URGENCY_NONE);

  if (self->visit == NULL || !hp_visit_interpret_urgent (self->visit, measurement, &interpretation, NULL))
    return HP_URGENCY_NONE;
  return interpretation.urgency;
}

HpVisitProblem
hp_visit_flow_get_problem (HpVisitFlow *self)
{
  g_return_val_if_fail (HP_IS_VISIT_FLOW (self), HP_VISIT_PROBLEM_NONE);
  return self->problem;
}

HpMeasurementPhase
hp_visit_flow_get_phase (HpVisitFlow *self)
{
  g_return_val_if_fail (HP_IS_VISIT_FLOW (self), HP_MEASUREMENT_PHASE_IDLE);
  return self->phase;
}

gboolean
hp_visit_flow_get_warning_active (HpVisitFlow *self)
{
  g_return_val_if_fail (HP_IS_VISIT_FLOW (self), FALSE);
  return self->seconds_left != 0;
}

guint
hp_visit_flow_get_seconds_left (HpVisitFlow *self)
{
  g_return_val_if_fail (HP_IS_VISIT_FLOW (self), 0);
  return self->seconds_left;
}

const char *
hp_visit_flow_get_language (HpVisitFlow *self)
{
  g_return_val_if_fail (HP_IS_VISIT_FLOW (self), NULL);
  return self->language;
}

void
hp_visit_flow_set_language (HpVisitFlow *self,
                            const char  *language)
{
  g_return_if_fail (HP_IS_VISIT_FLOW (self));
  g_return_if_fail (language != NULL && *language != '\0');

  /* Choosing a language on the attract screen makes it the kiosk's own until
   * changed; during a visit it lasts until the visit ends. */
  if (self->step == HP_VISIT_STEP_ATTRACT && self->visit == NULL)
    replace_str (&self->default_language, language);
  if (self->visit != NULL)
    hp_visit_set_language (self->visit, language);
  if (replace_str (&self->language, language))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

gboolean
hp_visit_flow_begin (HpVisitFlow *self)
{
  g_return_val_if_fail (HP_IS_VISIT_FLOW (self), FALSE);

  if (self->step != HP_VISIT_STEP_ATTRACT)
    return FALSE;

  self->visit = hp_visit_new ();
  hp_visit_set_language (self->visit, self->language);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIT]);
  set_step (self, self->ask_language ? HP_VISIT_STEP_LANGUAGE : HP_VISIT_STEP_CONSENT);
  return TRUE;
}

void
hp_visit_flow_set_ask_language (HpVisitFlow *self,
                                gboolean     ask_language)
{
  g_return_if_fail (HP_IS_VISIT_FLOW (self));
  self->ask_language = ask_language;
}

gboolean
hp_visit_flow_choose_language (HpVisitFlow *self,
                               const char  *language)
{
  g_return_val_if_fail (HP_IS_VISIT_FLOW (self), FALSE);
  g_return_val_if_fail (language != NULL && *language != '\0', FALSE);

  if (self->step != HP_VISIT_STEP_LANGUAGE)
    return FALSE;
  hp_visit_flow_set_language (self, language);
  set_step (self, HP_VISIT_STEP_CONSENT);
  return TRUE;
}

gboolean
hp_visit_flow_consent (HpVisitFlow *self,
                       gboolean     agree)
{
  g_return_val_if_fail (HP_IS_VISIT_FLOW (self), FALSE);

  if (self->step != HP_VISIT_STEP_CONSENT)
    return FALSE;
  /* Nothing was measured yet, so declining leaves nothing to keep. */
  if (!agree)
    wipe_visit (self);
  else
    set_step (self, HP_VISIT_STEP_IDENTIFY);
  return TRUE;
}

/* On to the choice of measurement, asking first, once a visit, whether the
 * patient is an adult: adult ranges are not a child's. */
static void
go_to_choose (HpVisitFlow *self)
{
  set_step (self, hp_visit_get_age_group (self->visit) == HP_AGE_GROUP_UNKNOWN ? HP_VISIT_STEP_AGE
                                                                              : HP_VISIT_STEP_CHOOSE);
}

gboolean
hp_visit_flow_identify (HpVisitFlow *self,
                        gboolean     with_code)
{
  g_return_val_if_fail (HP_IS_VISIT_FLOW (self), FALSE);

  if (self->step != HP_VISIT_STEP_IDENTIFY)
    return FALSE;
  /* Without a store no code can be checked; the visit goes on anonymously. */
  if (with_code && self->store != NULL)
    set_step (self, HP_VISIT_STEP_ENTER_CODE);
  else
    go_to_choose (self);
  return TRUE;
}

/* A returning patient is known: their visits are filed under their code
 * and their earlier readings are there for the trend charts. */
static void
identified (HpVisitFlow *self,
            const char  *code)
{
  g_autoptr(GError) error = NULL;

  hp_visit_set_patient_code (self->visit, code);
  g_clear_pointer (&self->history, g_ptr_array_unref);
  self->history = hp_store_list_patient_visits (self->store, code, HP_VISIT_FLOW_HISTORY_LENGTH, &error);
  if (self->history == NULL)
    /* Store errors name no patient data. The visit goes on without trends. */
    g_message ("earlier visits not read: %s", error->message);
}

static HpEntryError
entry_error_for (const GError *error)
{
  if (g_error_matches (error, HP_STORE_ERROR, HP_STORE_ERROR_PATIENT_UNKNOWN) ||
      g_error_matches (error, HP_STORE_ERROR, HP_STORE_ERROR_WRONG_PIN))
    return HP_ENTRY_ERROR_NOT_RECOGNISED;
  if (g_error_matches (error, HP_STORE_ERROR, HP_STORE_ERROR_PATIENT_LOCKED))
    return HP_ENTRY_ERROR_LOCKED;
  if (g_error_matches (error, HP_STORE_ERROR, HP_STORE_ERROR_WEAK_PIN))
    return HP_ENTRY_ERROR_PIN_WEAK;
  /* Anything else is the kiosk's trouble, not the patient's: staff see
   * the reason, which names no code or PIN. */
  g_message ("personal code not checked or made: %s", error->message);
  return HP_ENTRY_ERROR_UNAVAILABLE;
}

/* The patient waits on the kiosk while a check runs (a scrypt hash takes
 * a moment, more on a busy machine): the quiet-time clock starts again
 * only once the answer is on the screen. */
static void
end_checking (HpVisitFlow *self)
{
  g_clear_object (&self->checking);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  if (step_watches_inactivity (self->step))
    restart_idle_clock (self);
}

static void
on_pin_verified (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(HpVisitFlow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  gboolean verified;

  verified = hp_store_verify_patient_finish (HP_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->checking == NULL ||
      self->step != HP_VISIT_STEP_ENTER_PIN)
    return;
  end_checking (self);

  if (!verified)
    {
      set_entry_error (self, entry_error_for (error));
      return;
    }
  code = g_steal_pointer (&self->typed_code);
  identified (self, code);
  hp_secret_clear (&code);
  go_to_choose (self);
}

static void
on_patient_created (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(HpVisitFlow) self = user_data;
  g_autoptr(GError) error = NULL;
  char *code;

  code = hp_store_create_patient_finish (HP_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->checking == NULL ||
      self->step != HP_VISIT_STEP_CONFIRM_PIN)
    {
      hp_secret_clear (&code);
      return;
    }
  end_checking (self);

  if (code == NULL)
    {
      set_step (self, HP_VISIT_STEP_NEW_PIN);
      set_entry_error (self, entry_error_for (error));
      return;
    }
  /* The visit is filed under the new code when it is saved. */
  hp_visit_set_patient_code (self->visit, code);
  hp_secret_clear (&self->new_code);
  self->new_code = code;
  set_step (self, HP_VISIT_STEP_CODE_CREATED);
}

static void
start_checking (HpVisitFlow *self)
{
  stop_checking (self);
  g_clear_handle_id (&self->idle_source, g_source_remove);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  set_warning (self, 0);
  self->checking = g_cancellable_new ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

gboolean
hp_visit_flow_enter (HpVisitFlow *self,
                     const char  *digits)
{
  g_autofree char *code = NULL;

  g_return_val_if_fail (HP_IS_VISIT_FLOW (self), FALSE);
  g_return_val_if_fail (digits != NULL, FALSE);

  /* One check at a time: a second tap on Done while one runs waits too. */
  if (self->checking != NULL)
    return FALSE;

  /* Only the steps that ask something; every other step ignores it. */
  switch ((int) self->step)
    {
    case HP_VISIT_STEP_ENTER_CODE:
      code = hp_patient_code_normalize (digits);
      if (code == NULL || !hp_patient_code_is_valid (code))
        {
          hp_secret_clear (&code);
          set_entry_error (self, HP_ENTRY_ERROR_CODE_INVALID);
          return TRUE;
        }
      hp_secret_clear (&self->typed_code);
      self->typed_code = g_steal_pointer (&code);
      set_step (self, HP_VISIT_STEP_ENTER_PIN);
      return TRUE;

    case HP_VISIT_STEP_ENTER_PIN:
      set_entry_error (self, HP_ENTRY_ERROR_NONE);
      start_checking (self);
      hp_store_verify_patient_async (self->store, self->typed_code, digits, self->checking,
                                     on_pin_verified, g_object_ref (self));
      return TRUE;

    case HP_VISIT_STEP_NEW_PIN:
      if (!hp_patient_pin_is_acceptable (digits))
        {
          set_entry_error (self, HP_ENTRY_ERROR_PIN_WEAK);
          return TRUE;
        }
      hp_secret_clear (&self->first_pin);
      self->first_pin = g_strdup (digits);
      set_step (self, HP_VISIT_STEP_CONFIRM_PIN);
      return TRUE;

    case HP_VISIT_STEP_CONFIRM_PIN:
      if (self->first_pin == NULL || strcmp (self->first_pin, digits) != 0)
        {
          hp_secret_clear (&self->first_pin);
          set_step (self, HP_VISIT_STEP_NEW_PIN);
          set_entry_error (self, HP_ENTRY_ERROR_PIN_MISMATCH);
          return TRUE;
        }
      hp_secret_clear (&self->first_pin);
      set_entry_error (self, HP_ENTRY_ERROR_NONE);
      start_checking (self);
      hp_store_create_patient_async (self->store, digits, self->checking,
                                     on_patient_created, g_object_ref (self));
      return TRUE;

    default:
      return FALSE;
    }
}

gboolean
hp_visit_flow_enter_height (HpVisitFlow *self,
                            double       height_cm)
{
  g_return_val_if_fail (HP_IS_VISIT_FLOW (self), FALSE);

  if (self->step != HP_VISIT_STEP_HEIGHT)
    return FALSE;
  /* The keypad keeps heights in range; one from elsewhere is refused. */
  if (!hp_visit_set_height_cm (self->visit, height_cm))
    return FALSE;
  set_step (self, HP_VISIT_STEP_INSTRUCTIONS);
  return TRUE;
}

gboolean
hp_visit_flow_back (HpVisitFlow *self)
{
  g_return_val_if_fail (HP_IS_VISIT_FLOW (self), FALSE);

  /* Only the steps that ask something; every other step ignores it. */
  switch ((int) self->step)
    {
    case HP_VISIT_STEP_ENTER_CODE:
      hp_secret_clear (&self->typed_code);
      set_step (self, HP_VISIT_STEP_IDENTIFY);
      return TRUE;
    case HP_VISIT_STEP_ENTER_PIN:
      stop_checking (self);
      hp_secret_clear (&self->typed_code);
      set_step (self, HP_VISIT_STEP_ENTER_CODE);
      return TRUE;
    case HP_VISIT_STEP_AGE:
      /* Back to how to start; a returning patient's code is kept. */
      set_step (self, HP_VISIT_STEP_IDENTIFY);
      return TRUE;
    case HP_VISIT_STEP_HEIGHT:
      /* Back is not an answer: the question comes again with the weight. */
      self->height_asked = FALSE;
      set_step (self, HP_VISIT_STEP_CHOOSE);
      return TRUE;
    case HP_VISIT_STEP_NEW_PIN:
    case HP_VISIT_STEP_CONFIRM_PIN:
      stop_checking (self);
      hp_secret_clear (&self->first_pin);
      set_step (self, HP_VISIT_STEP_OFFER_CODE);
      return TRUE;
    case HP_VISIT_STEP_PRINT:
      set_step (self, self->before_print);
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
hp_visit_flow_remember_me (HpVisitFlow *self)
{
  g_return_val_if_fail (HP_IS_VISIT_FLOW (self), FALSE);

  if (self->step != HP_VISIT_STEP_OFFER_CODE)
    return FALSE;
  set_step (self, HP_VISIT_STEP_NEW_PIN);
  return TRUE;
}

gboolean
hp_visit_flow_choose (HpVisitFlow       *self,
                      HpMeasurementKind  kind)
{
  g_return_val_if_fail (HP_IS_VISIT_FLOW (self), FALSE);
  g_return_val_if_fail (kind <= HP_MEASUREMENT_KIND_LAST, FALSE);

  if (self->step != HP_VISIT_STEP_CHOOSE)
    return FALSE;

  self->kind = kind;
  /* Whether the patient has eaten changes what a glucose value means, so it
   * is asked before every glucose test. */
  if (kind == HP_MEASUREMENT_KIND_BLOOD_GLUCOSE)
    {
      hp_visit_set_fasting (self->visit, HP_FASTING_UNKNOWN);
      set_step (self, HP_VISIT_STEP_FASTING);
    }
  /* A weight means more with a height: asked once a visit. */
  else if (kind == HP_MEASUREMENT_KIND_BODY_WEIGHT && hp_visit_get_height_cm (self->visit) == 0 &&
           !self->height_asked)
    {
      self->height_asked = TRUE;
      set_step (self, HP_VISIT_STEP_HEIGHT);
    }
  else
    set_step (self, HP_VISIT_STEP_INSTRUCTIONS);
  return TRUE;
}

gboolean
hp_visit_flow_answer_age (HpVisitFlow *self,
                          gboolean     adult)
{
  g_return_val_if_fail (HP_IS_VISIT_FLOW (self), FALSE);

  if (self->step != HP_VISIT_STEP_AGE)
    return FALSE;
  hp_visit_set_age_group (self->visit, adult ? HP_AGE_GROUP_ADULT : HP_AGE_GROUP_CHILD);
  set_step (self, HP_VISIT_STEP_CHOOSE);
  return TRUE;
}

gboolean
hp_visit_flow_answer_fasting (HpVisitFlow *self,
                              HpFasting    fasting)
{
  g_return_val_if_fail (HP_IS_VISIT_FLOW (self), FALSE);
  g_return_val_if_fail (fasting == HP_FASTING_YES || fasting == HP_FASTING_NO, FALSE);

  if (self->step != HP_VISIT_STEP_FASTING)
    return FALSE;

  hp_visit_set_fasting (self->visit, fasting);
  set_step (self, HP_VISIT_STEP_INSTRUCTIONS);
  return TRUE;
}

gboolean
hp_visit_flow_start_measurement (HpVisitFlow *self)
{
  g_autoptr(GError) error = NULL;
  HpDevice *device;

  g_return_val_if_fail (HP_IS_VISIT_FLOW (self), FALSE);

  if (self->step != HP_VISIT_STEP_INSTRUCTIONS && self->step != HP_VISIT_STEP_PROBLEM)
    return FALSE;
  /* A visit that failed to save cannot be measured again: it is finished. */
  if (self->problem == HP_VISIT_PROBLEM_NOT_SAVED)
    return FALSE;

  set_problem (self, HP_VISIT_PROBLEM_NONE);
  device = hp_device_manager_find_by_kind (self->devices, self->kind);
  if (device == NULL)
    {
      set_problem (self, HP_VISIT_PROBLEM_DEVICE_MISSING);
      set_step (self, HP_VISIT_STEP_PROBLEM);
      return TRUE;
    }

  self->device = g_object_ref (device);
  self->ready_id = g_signal_connect (device, "measurement-ready",
                                     G_CALLBACK (on_measurement_ready), self);
  self->failed_id = g_signal_connect (device, "measurement-failed",
                                      G_CALLBACK (on_measurement_failed), self);
  self->phase_id = g_signal_connect (device, "notify::phase",
                                     G_CALLBACK (on_device_phase), self);
  set_phase (self, HP_MEASUREMENT_PHASE_WAITING_FOR_DEVICE);
  set_step (self, HP_VISIT_STEP_MEASURING);

  /* Meters and cuffs that keep a history give only what was measured
   * during this visit. */
  hp_device_set_visit_start (device, self->visit != NULL ? hp_visit_get_started_at (self->visit) : NULL);
  if (!hp_device_start_measurement (device, &error))
    fail_measurement (self, error);
  return TRUE;
}

gboolean
hp_visit_flow_cancel_measurement (HpVisitFlow *self)
{
  g_return_val_if_fail (HP_IS_VISIT_FLOW (self), FALSE);

  if (self->step != HP_VISIT_STEP_MEASURING)
    return FALSE;

  abandon_device (self);
  set_phase (self, HP_MEASUREMENT_PHASE_IDLE);
  set_step (self, HP_VISIT_STEP_INSTRUCTIONS);
  return TRUE;
}

gboolean
hp_visit_flow_measure_another (HpVisitFlow *self)
{
  g_return_val_if_fail (HP_IS_VISIT_FLOW (self), FALSE);

  if (self->visit == NULL)
    return FALSE;
  if (self->step != HP_VISIT_STEP_RESULT && self->step != HP_VISIT_STEP_PROBLEM)
    return FALSE;
  if (self->problem == HP_VISIT_PROBLEM_NOT_SAVED)
    return FALSE;

  set_problem (self, HP_VISIT_PROBLEM_NONE);
  set_phase (self, HP_MEASUREMENT_PHASE_IDLE);
  set_step (self, HP_VISIT_STEP_CHOOSE);
  return TRUE;
}

gboolean
hp_visit_flow_finish (HpVisitFlow *self)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (HP_IS_VISIT_FLOW (self), FALSE);

  if (self->visit == NULL)
    return FALSE;
  /* A patient who came back to the choice may stop there, once there is
   * something to save; either way they see all of it once more, with what
   * to do next, before it is saved. */
  if (self->step == HP_VISIT_STEP_RESULT ||
      (self->step == HP_VISIT_STEP_CHOOSE && hp_visit_get_n_measurements (self->visit) > 0))
    {
      set_step (self, HP_VISIT_STEP_SUMMARY);
      return TRUE;
    }
  if (self->step != HP_VISIT_STEP_SUMMARY && self->step != HP_VISIT_STEP_OFFER_CODE &&
      self->step != HP_VISIT_STEP_CODE_CREATED)
    return FALSE;
  /* A patient without a code is offered one once, before the visit is
   * saved, so that it can be filed under it. */
  if (self->step == HP_VISIT_STEP_SUMMARY && self->store != NULL &&
      hp_visit_get_patient_code (self->visit) == NULL)
    {
      set_step (self, HP_VISIT_STEP_OFFER_CODE);
      return TRUE;
    }

  if (!commit_visit (self, &error))
    {
      /* Store errors name no patient data; staff need the reason. */
      g_message ("visit not saved: %s", error->message);
      set_problem (self, HP_VISIT_PROBLEM_NOT_SAVED);
      set_step (self, HP_VISIT_STEP_PROBLEM);
      return TRUE;
    }

  set_step (self, HP_VISIT_STEP_GOODBYE);
  return TRUE;
}

gboolean
hp_visit_flow_print (HpVisitFlow *self)
{
  g_return_val_if_fail (HP_IS_VISIT_FLOW (self), FALSE);

  if (self->step != HP_VISIT_STEP_SUMMARY && self->step != HP_VISIT_STEP_CODE_CREATED)
    return FALSE;
  self->before_print = self->step;
  set_step (self, HP_VISIT_STEP_PRINT);
  return TRUE;
}

gboolean
hp_visit_flow_see_result (HpVisitFlow *self)
{
  g_return_val_if_fail (HP_IS_VISIT_FLOW (self), FALSE);

  if (self->step != HP_VISIT_STEP_CRISIS)
    return FALSE;
  set_step (self, HP_VISIT_STEP_RESULT);
  return TRUE;
}

gboolean
hp_visit_flow_start_over (HpVisitFlow *self)
{
  g_return_val_if_fail (HP_IS_VISIT_FLOW (self), FALSE);

  if (self->step == HP_VISIT_STEP_OUT_OF_SERVICE)
    return FALSE;
  wipe_visit (self);
  return TRUE;
}

void
hp_visit_flow_user_activity (HpVisitFlow *self)
{
  g_return_if_fail (HP_IS_VISIT_FLOW (self));

  if (step_watches_inactivity (self->step) && self->checking == NULL)
    restart_idle_clock (self);
}

HpEntryError
hp_visit_flow_get_entry_error (HpVisitFlow *self)
{
  g_return_val_if_fail (HP_IS_VISIT_FLOW (self), HP_ENTRY_ERROR_NONE);
  return self->entry_error;
}

gboolean
hp_visit_flow_get_busy (HpVisitFlow *self)
{
  g_return_val_if_fail (HP_IS_VISIT_FLOW (self), FALSE);
  return self->checking != NULL;
}

GPtrArray *
hp_visit_flow_get_history (HpVisitFlow *self)
{
  g_return_val_if_fail (HP_IS_VISIT_FLOW (self), NULL);
  return self->history;
}

const char *
hp_visit_flow_get_new_code (HpVisitFlow *self)
{
  g_return_val_if_fail (HP_IS_VISIT_FLOW (self), NULL);
  return self->new_code;
}
