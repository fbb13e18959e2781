/* A demo kiosk under Xvfb for the UI tests: starting it, waiting on it, pressing its buttons, reading its pages. */
#pragma once

#include <glib.h>

#include "hp-application.h"

G_BEGIN_DECLS

/* A guard against a hung test, not a timing assertion. */
#define HP_UI_HANG_GUARD_SECONDS 30

typedef struct {
  char *dir;
  char *db_path;
  HpApplication *app;
  /* Screenshots numbered so far in the current folders. */
  guint shots;
} HpUiFixture;

/* How a kiosk is started. */
typedef struct {
  /* For g_dir_make_tmp(): where the database and screenshots go. */
  const char *dir_template;
  /* Everything after the [storage] group that names the database. */
  const char *config;
  /* Read after @config and overriding it, as a later configuration file
   * overrides an earlier one; NULL for none. */
  const char *extra_config;
  /* When given, written as the database's key file with @key_mode first. */
  const char *key_bytes;
  int key_mode;
  /* TRUE: the configuration alone decides fullscreen, as on a kiosk. */
  gboolean config_decides_window;
} HpUiKioskSetup;

typedef gboolean (*HpUiCondition) (HpUiFixture *f, gconstpointer data);

/* Starts a kiosk as @setup says and waits for its services. */
void hp_ui_fixture_init (HpUiFixture          *f,
                         const HpUiKioskSetup *setup);
/* Closes the kiosk and removes its folder. */
void hp_ui_fixture_clear (HpUiFixture *f);

/* A windowed demo kiosk with quick devices; @extra_config follows the demo
 * settings, and @key_bytes, when given, is the database's key file. */
HpUiFixture *hp_ui_fixture_start_with_key (const char *extra_config,
                                           const char *key_bytes,
                                           int         key_mode);
HpUiFixture *hp_ui_fixture_start (const char *extra_config);
void hp_ui_fixture_stop (HpUiFixture *f);

/* Iterates the main loop until @condition holds; fails the test after
 * HP_UI_HANG_GUARD_SECONDS, naming @what. */
void hp_ui_wait_until (HpUiFixture   *f,
                       HpUiCondition  condition,
                       gconstpointer  data,
                       const char    *what);

HpWindow *hp_ui_window (HpUiFixture *f);

/* Conditions: the page shown is GINT_TO_POINTER (HpPage); the flow's step
 * is GINT_TO_POINTER (HpVisitStep); the inactivity warning's visibility is
 * GINT_TO_POINTER (gboolean). */
gboolean hp_ui_page_is (HpUiFixture *f, gconstpointer data);
gboolean hp_ui_step_is (HpUiFixture *f, gconstpointer data);
gboolean hp_ui_warning_shown (HpUiFixture *f, gconstpointer data);

/* Waits until the window has drawn a frame after a redraw, or, for
 * hp_ui_wait_for_layout(), after a new size request: then styles, sizes and
 * allocations are all up to date. */
void hp_ui_wait_for_paint (HpUiFixture *f);
void hp_ui_wait_for_layout (HpUiFixture *f);

/* Saves the window as @file in the screenshot folder's @folder_name (under
 * $HP_SCREENSHOT_DIR, else the kiosk's folder); returns its path. */
char *hp_ui_save_screenshot (HpUiFixture *f,
                             const char  *folder_name,
                             const char  *file);
/* Draws a frame, then saves it as the next numbered screenshot in @language's
 * folder, and checks it holds a picture. */
void hp_ui_screenshot (HpUiFixture *f,
                       const char  *language,
                       const char  *name);

/* The drawn button under @root bound to @action and, when @target is given,
 * to that string target. */
GtkWidget *hp_ui_find_button (GtkWidget  *root,
                              const char *action,
                              const char *target);
/* Taps @digits on the keypad page's pad, then Done. */
void hp_ui_type_on_keypad (HpUiFixture *f,
                           const char  *digits);
/* Presses the on-screen button bound to @action (with @target, if given),
 * as a finger would. */
void hp_ui_press_target (HpUiFixture *f,
                         const char  *action,
                         const char  *target);
void hp_ui_press (HpUiFixture *f,
                  const char  *action);

/* From the attract screen through the language (@language, or %NULL for
 * the one shown) and consent pages to the identify page. */
void hp_ui_reach_identify (HpUiFixture *f,
                           const char  *language);
/* On the "18 or older?" page, which comes once a visit after the patient
 * said how to start: waits for it and answers. */
void hp_ui_answer_age (HpUiFixture *f,
                       gboolean     adult);
/* The same, then anonymously, as an adult, on to the choice of
 * measurement. */
void hp_ui_begin_visit (HpUiFixture *f,
                        const char  *language);
/* The words of the visible labels under @root, a line each. */
void hp_ui_collect_text (GtkWidget *root,
                         GString   *text);
char *hp_ui_page_text (HpUiFixture *f,
                       HpPage       page);

/* Fails when a spinner under @root turns while it is not on screen: an
 * animation keeps the window's frame clock, and the CPU, busy. */
void hp_ui_assert_no_hidden_animation (GtkWidget *root);

void hp_ui_assert_contains (const char *haystack,
                            const char *needle);

G_END_DECLS
