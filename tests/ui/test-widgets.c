/* Drives the on-screen keypad and draws the trend chart under Xvfb, through their real buttons and renderer. */
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "hp-adaptive-row.h"
#include "hp-keypad.h"
#include "hp-test-util.h"
#include "hp-trend-chart.h"
#include "hp-window.h"

/* A guard against a hung test, not a timing assertion. */
#define HANG_GUARD_SECONDS 30

#define SCREEN_WIDTH 1280
#define SCREEN_HEIGHT 800

/* ---- waiting, windows, screenshots ---- */

static gboolean
flag_set (gconstpointer data)
{
  return *(const gboolean *) data;
}

static void
on_after_paint (GdkFrameClock *clock G_GNUC_UNUSED,
                gboolean      *painted)
{
  *painted = TRUE;
}

static void
wait_for_paint (GtkWidget *window)
{
  GdkFrameClock *clock;
  gboolean painted = FALSE;
  gulong id;

  clock = gtk_widget_get_frame_clock (window);
  assert_non_null (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);
  gtk_widget_queue_draw (window);
  if (!hp_test_iterate_until (flag_set, &painted, HANG_GUARD_SECONDS))
    fail_msg ("the window was never painted");
  g_signal_handler_disconnect (clock, id);
}

static gboolean
widget_mapped (gconstpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

/* A window of the kiosk's screen size (Xvfb has no window manager to make
 * it fullscreen), holding @child with the page's padding around it. */
static GtkWidget *
show_in_window (GtkWidget *child,
                int        width,
                int        height)
{
  GtkWidget *window = gtk_window_new ();

  gtk_widget_set_margin_top (child, 32);
  gtk_widget_set_margin_bottom (child, 40);
  gtk_widget_set_margin_start (child, 48);
  gtk_widget_set_margin_end (child, 48);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_set_child (GTK_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));
  if (!hp_test_iterate_until (widget_mapped, window, HANG_GUARD_SECONDS))
    fail_msg ("the window was never mapped");
  wait_for_paint (window);
  return window;
}

static void
close_window (GtkWidget *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Renders @widget as it is now, the way the kiosk's screenshots are made. */
static GdkTexture *
render_widget (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  assert_non_null (renderer);
  assert_true (width > 0 && height > 0);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  assert_non_null (node);
  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

static void
save_screenshot (GdkTexture *texture,
                 const char *name)
{
  const char *base = g_getenv ("HP_SCREENSHOT_DIR");
  g_autofree char *folder = NULL;
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = NULL;
  GStatBuf st;

  /* Run by hand, outside meson, the pictures go to the temporary folder. */
  folder = g_build_filename (base != NULL ? base : g_get_tmp_dir (), "widgets", NULL);
  path = g_build_filename (folder, file, NULL);
  assert_int_equal (g_mkdir_with_parents (folder, 0755), 0);
  assert_true (gdk_texture_save_to_png (texture, path));
  assert_int_equal (g_stat (path, &st), 0);
  assert_true (st.st_size > 1000);
  g_print ("# screenshot: %s\n", path);
}

/* Pixels that are clearly darker than the light background: ink. */
static guint
count_ink (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize) width * 4;
  g_autofree guchar *pixels = g_malloc (stride * (gsize) height);
  guint ink = 0;

  gdk_texture_download (texture, pixels, stride);
  for (gsize i = 0; i < stride * (gsize) height; i += 4)
    {
      /* Cairo's ARGB32 in native order: B, G, R, A on little-endian. */
      guint luminance = (pixels[i] + pixels[i + 1] + pixels[i + 2]) / 3;

      if (pixels[i + 3] > 128 && luminance < 128)
        ink++;
    }
  return ink;
}

/* The current value of an accessible string property. GTK 4.8 has no getter:
 * the test helper answers a mismatch with the actual value. */
static char *
accessible_string (GtkWidget             *widget,
                   GtkAccessibleProperty  property)
{
  char *actual = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), property,
                                                     "\x01 no such text");

  assert_non_null (actual);
  return actual;
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (haystack == NULL || strstr (haystack, needle) == NULL)
    fail_msg ("expected “%s” in “%s”", needle, haystack != NULL ? haystack : "(null)");
}

static void
use_language (const char *code)
{
  g_setenv ("LANGUAGE", code, TRUE);
  setlocale (LC_MESSAGES, "");
}

/* ---- keypad helpers ---- */

static GtkWidget *
find_key (GtkWidget  *root,
          const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_key (child, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
collect_buttons (GtkWidget *root,
                 GPtrArray *buttons)
{
  if (GTK_IS_BUTTON (root))
    g_ptr_array_add (buttons, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_buttons (child, buttons);
}

/* The labels a patient can read, other than the keys' own. */
static void
collect_display_text (GtkWidget *root,
                      GString   *text)
{
  if (GTK_IS_BUTTON (root))
    return;
  if (GTK_IS_LABEL (root) && gtk_widget_get_visible (root))
    {
      g_string_append (text, gtk_label_get_text (GTK_LABEL (root)));
      g_string_append_c (text, '\n');
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_display_text (child, text);
}

static GtkLabel *
display_label (HpKeypad *keypad)
{
  /* The first label that is no key's: the display. */
  GtkWidget *box = gtk_widget_get_first_child (GTK_WIDGET (keypad));

  for (GtkWidget *child = gtk_widget_get_first_child (box);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LABEL (child))
      return GTK_LABEL (child);
  fail_msg ("the keypad has no display");
  return NULL;
}

static GtkLabel *
message_label (HpKeypad *keypad)
{
  GtkWidget *display = GTK_WIDGET (display_label (keypad));
  GtkWidget *next = gtk_widget_get_next_sibling (display);

  assert_true (GTK_IS_LABEL (next));
  return GTK_LABEL (next);
}

static const char *
visible_message (HpKeypad *keypad)
{
  GtkLabel *message = message_label (keypad);

  return gtk_widget_get_visible (GTK_WIDGET (message)) ? gtk_label_get_text (message) : NULL;
}

/* Taps the key labelled @label, as a finger would. */
static void
tap (HpKeypad   *keypad,
     const char *label)
{
  GtkWidget *key = find_key (GTK_WIDGET (keypad), label);

  if (key == NULL)
    fail_msg ("no key %s", label);
  assert_true (gtk_widget_is_sensitive (key));
  g_signal_emit_by_name (key, "clicked");
}

static void
type (HpKeypad   *keypad,
      const char *digits)
{
  for (const char *d = digits; *d != '\0'; d++)
    {
      char label[2] = { *d, '\0' };
      tap (keypad, label);
    }
}

#define DELETE_KEY "\xe2\x8c\xab"

static void
tap_done (HpKeypad *keypad)
{
  tap (keypad, C_("keypad", "Done"));
}

static void
on_submitted (HpKeypad *keypad G_GNUC_UNUSED,
              guint    *count)
{
  (*count)++;
}

static HpKeypad *
keypad_new_owned (void)
{
  HpKeypad *keypad = hp_keypad_new ();

  return g_object_ref_sink (keypad);
}

/* ---- keypad tests ---- */

static void
test_keypad_typing_and_delete (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpKeypad) keypad = keypad_new_owned ();
  g_autofree char *property = NULL;
  guint number = 0;

  assert_string_equal (hp_keypad_get_value (keypad), "");
  assert_false (hp_keypad_get_number (keypad, &number));
  type (keypad, "172");
  assert_string_equal (hp_keypad_get_value (keypad), "172");
  assert_string_equal (gtk_label_get_text (display_label (keypad)), "172");
  g_object_get (keypad, "value", &property, NULL);
  assert_string_equal (property, "172");
  assert_true (hp_keypad_get_number (keypad, &number));
  assert_int_equal (number, 172);

  tap (keypad, DELETE_KEY);
  assert_string_equal (hp_keypad_get_value (keypad), "17");
  assert_string_equal (gtk_label_get_text (display_label (keypad)), "17");
  tap (keypad, DELETE_KEY);
  tap (keypad, DELETE_KEY);
  assert_string_equal (hp_keypad_get_value (keypad), "");
  /* Nothing left to delete: the key says so by being off. */
  assert_false (gtk_widget_is_sensitive (find_key (GTK_WIDGET (keypad), DELETE_KEY)));

  /* The actions are the buttons' way in; a page may use them too. */
  assert_true (gtk_widget_activate_action (GTK_WIDGET (keypad), "keypad.digit", "i", 9));
  assert_string_equal (hp_keypad_get_value (keypad), "9");
}

static void
test_keypad_max_length (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpKeypad) keypad = keypad_new_owned ();

  hp_keypad_set_max_length (keypad, 3);
  type (keypad, "123");
  assert_string_equal (hp_keypad_get_value (keypad), "123");
  /* Full: the digit keys are off, and the action takes nothing more. */
  assert_false (gtk_widget_is_sensitive (find_key (GTK_WIDGET (keypad), "4")));
  gtk_widget_activate_action (GTK_WIDGET (keypad), "keypad.digit", "i", 4);
  assert_string_equal (hp_keypad_get_value (keypad), "123");

  tap (keypad, DELETE_KEY);
  assert_true (gtk_widget_is_sensitive (find_key (GTK_WIDGET (keypad), "4")));
  tap (keypad, "4");
  assert_string_equal (hp_keypad_get_value (keypad), "124");

  /* A shorter limit cuts what is there. */
  hp_keypad_set_max_length (keypad, 2);
  assert_string_equal (hp_keypad_get_value (keypad), "12");
  assert_string_equal (gtk_label_get_text (display_label (keypad)), "12");
}

static void
test_keypad_range_message_and_submit (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpKeypad) keypad = keypad_new_owned ();
  guint submitted = 0, number = 0;

  g_signal_connect (keypad, "submitted", G_CALLBACK (on_submitted), &submitted);
  hp_keypad_set_max_length (keypad, 3);
  hp_keypad_set_range (keypad, 50, 250);
  assert_null (visible_message (keypad));

  tap_done (keypad);
  assert_int_equal (submitted, 0);
  assert_string_equal (visible_message (keypad), "Please type a number first.");

  type (keypad, "30");
  /* Typing again takes the old message away. */
  assert_null (visible_message (keypad));
  tap_done (keypad);
  assert_int_equal (submitted, 0);
  assert_string_equal (visible_message (keypad), "Please type a number from 50 to 250.");

  tap (keypad, DELETE_KEY);
  tap (keypad, DELETE_KEY);
  type (keypad, "251");
  tap_done (keypad);
  assert_int_equal (submitted, 0);
  assert_non_null (visible_message (keypad));

  tap (keypad, DELETE_KEY);
  tap (keypad, "0");
  tap_done (keypad);
  assert_int_equal (submitted, 1);
  assert_null (visible_message (keypad));
  assert_true (hp_keypad_get_number (keypad, &number));
  assert_int_equal (number, 250);
}

static void
test_keypad_min_length (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpKeypad) keypad = keypad_new_owned ();
  guint submitted = 0;

  g_signal_connect (keypad, "submitted", G_CALLBACK (on_submitted), &submitted);
  g_object_set (keypad, "min-length", 6, "max-length", 12, "masked", TRUE, NULL);
  type (keypad, "0042");
  tap_done (keypad);
  assert_int_equal (submitted, 0);
  assert_string_equal (visible_message (keypad), "Please type at least 6 digits.");

  /* A PIN keeps its leading zeros and has no range. */
  type (keypad, "17");
  tap_done (keypad);
  assert_int_equal (submitted, 1);
  assert_string_equal (hp_keypad_get_value (keypad), "004217");

  /* A code of one fixed length says so. */
  hp_keypad_clear (keypad);
  g_object_set (keypad, "max-length", 8, "min-length", 8, NULL);
  type (keypad, "123");
  tap_done (keypad);
  assert_string_equal (visible_message (keypad), "Please type all 8 digits.");
}

static void
test_keypad_masked (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpKeypad) keypad = keypad_new_owned ();
  g_autoptr(GString) shown = g_string_new (NULL);
  GtkLabel *display = display_label (keypad);
  g_autofree char *description = NULL;
  g_autofree char *name = NULL;

  hp_keypad_set_masked (keypad, TRUE);
  gtk_test_accessible_assert_property (display, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "No digits entered");
  type (keypad, "2580");
  assert_string_equal (hp_keypad_get_value (keypad), "2580");
  assert_string_equal (gtk_label_get_text (display), "\xe2\x97\x8f\xe2\x97\x8f\xe2\x97\x8f\xe2\x97\x8f");
  assert_false (gtk_label_get_selectable (display));

  /* Nothing a patient or a screen reader can read holds a digit. */
  collect_display_text (GTK_WIDGET (keypad), shown);
  assert_null (strpbrk (shown->str, "0123456789"));
  description = accessible_string (GTK_WIDGET (display), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  assert_string_equal (description, "4 digits entered");
  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (display), GTK_ACCESSIBLE_PROPERTY_LABEL))
    {
      name = accessible_string (GTK_WIDGET (display), GTK_ACCESSIBLE_PROPERTY_LABEL);
      assert_null (strpbrk (name, "0123456789"));
    }
  g_clear_pointer (&description, g_free);

  tap (keypad, DELETE_KEY);
  description = accessible_string (GTK_WIDGET (display), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  assert_string_equal (description, "3 digits entered");

  /* The same pad unmasked shows the digits: the check above can fail. */
  hp_keypad_set_masked (keypad, FALSE);
  assert_string_equal (gtk_label_get_text (display), "258");
}

static void
test_keypad_clear_wipes (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpKeypad) keypad = keypad_new_owned ();
  const char *buffer;

  hp_keypad_set_masked (keypad, TRUE);
  hp_keypad_set_range (keypad, 1, 9);
  type (keypad, "4711");
  buffer = hp_keypad_get_value (keypad);
  tap_done (keypad);
  assert_non_null (visible_message (keypad));

  hp_keypad_clear (keypad);
  /* The value's storage is zero to its end, not just cut short. */
  for (guint i = 0; i <= HP_KEYPAD_MAX_DIGITS; i++)
    assert_int_equal (buffer[i], 0);
  assert_string_equal (hp_keypad_get_value (keypad), "");
  assert_string_equal (gtk_label_get_text (display_label (keypad)), "");
  assert_null (visible_message (keypad));
  gtk_test_accessible_assert_property (display_label (keypad), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "No digits entered");
}

static void
test_keypad_accessible_keys (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpKeypad) keypad = keypad_new_owned ();
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect_buttons (GTK_WIDGET (keypad), buttons);
  assert_int_equal (buttons->len, 12);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkAccessible *button = g_ptr_array_index (buttons, i);
      g_autofree char *name = NULL;

      assert_true (gtk_test_accessible_has_role (button, GTK_ACCESSIBLE_ROLE_BUTTON));
      assert_true (gtk_test_accessible_has_property (button, GTK_ACCESSIBLE_PROPERTY_LABEL));
      name = accessible_string (GTK_WIDGET (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
      assert_true (name[0] != '\0');
    }
  gtk_test_accessible_assert_property (find_key (GTK_WIDGET (keypad), DELETE_KEY),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Delete");
  gtk_test_accessible_assert_property (find_key (GTK_WIDGET (keypad), "7"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "7");
}

static graphene_rect_t
bounds_in (GtkWidget *widget,
           GtkWidget *ancestor)
{
  graphene_rect_t bounds;

  assert_true (gtk_widget_compute_bounds (widget, ancestor, &bounds));
  return bounds;
}

static void
test_keypad_layout (void **state G_GNUC_UNUSED)
{
  HpKeypad *keypad = hp_keypad_new ();
  GtkWidget *window = show_in_window (GTK_WIDGET (keypad), SCREEN_WIDTH, SCREEN_HEIGHT);
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  g_autoptr(GdkTexture) texture = NULL;
  graphene_rect_t one, two, four, zero, done, delete;

  /* A height out of range: the message shows in the picture too. */
  hp_keypad_set_range (keypad, 50, 250);
  type (keypad, "30");
  tap_done (keypad);
  assert_non_null (visible_message (keypad));
  wait_for_paint (window);
  collect_buttons (GTK_WIDGET (keypad), buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (buttons, i);

      if (gtk_widget_get_height (button) < 72)
        fail_msg ("key %s is %d px high", gtk_button_get_label (GTK_BUTTON (button)),
                  gtk_widget_get_height (button));
    }

  one = bounds_in (find_key (GTK_WIDGET (keypad), "1"), window);
  two = bounds_in (find_key (GTK_WIDGET (keypad), "2"), window);
  four = bounds_in (find_key (GTK_WIDGET (keypad), "4"), window);
  zero = bounds_in (find_key (GTK_WIDGET (keypad), "0"), window);
  done = bounds_in (find_key (GTK_WIDGET (keypad), C_("keypad", "Done")), window);
  delete = bounds_in (find_key (GTK_WIDGET (keypad), DELETE_KEY), window);
  assert_true (two.origin.x - (one.origin.x + one.size.width) >= 16);
  assert_true (four.origin.y - (one.origin.y + one.size.height) >= 16);
  assert_true (one.origin.x < two.origin.x);
  assert_true (delete.origin.x < zero.origin.x && zero.origin.x < done.origin.x);
  /* The whole pad is on the screen. */
  assert_true (done.origin.y + done.size.height <= SCREEN_HEIGHT);
  texture = render_widget (window);
  save_screenshot (texture, "keypad-ltr");
  g_clear_object (&texture);

  /* Right to left: digits as on a phone, Done on the primary side (left). */
  hp_keypad_clear (keypad);
  hp_keypad_set_range (keypad, 0, G_MAXUINT);
  hp_keypad_set_masked (keypad, TRUE);
  type (keypad, "1234");
  gtk_widget_set_direction (GTK_WIDGET (keypad), GTK_TEXT_DIR_RTL);
  wait_for_paint (window);
  one = bounds_in (find_key (GTK_WIDGET (keypad), "1"), window);
  two = bounds_in (find_key (GTK_WIDGET (keypad), "2"), window);
  done = bounds_in (find_key (GTK_WIDGET (keypad), C_("keypad", "Done")), window);
  delete = bounds_in (find_key (GTK_WIDGET (keypad), DELETE_KEY), window);
  assert_true (one.origin.x < two.origin.x);
  assert_true (done.origin.x < delete.origin.x);
  texture = render_widget (window);
  save_screenshot (texture, "keypad-rtl");

  close_window (window);
}

static void
test_feet_inches (void **state G_GNUC_UNUSED)
{
  g_autoptr(GError) error = NULL;
  guint cm = 0;

  assert_true (hp_keypad_feet_inches_to_cm (5, 9, &cm, &error));
  assert_null (error);
  assert_int_equal (cm, 175);        /* 69 in = 175.26 cm */
  assert_true (hp_keypad_feet_inches_to_cm (6, 0, &cm, NULL));
  assert_int_equal (cm, 183);        /* 72 in = 182.88 cm */
  assert_true (hp_keypad_feet_inches_to_cm (4, 11, &cm, NULL));
  assert_int_equal (cm, 150);        /* 59 in = 149.86 cm */

  cm = 0;
  assert_false (hp_keypad_feet_inches_to_cm (5, 12, &cm, &error));
  assert_true (g_error_matches (error, HP_KEYPAD_ERROR, HP_KEYPAD_ERROR_OUT_OF_RANGE));
  assert_null (strstr (error->message, "12"));
  assert_int_equal (cm, 0);
  g_clear_error (&error);
  assert_false (hp_keypad_feet_inches_to_cm (9, 0, &cm, &error));
  assert_true (g_error_matches (error, HP_KEYPAD_ERROR, HP_KEYPAD_ERROR_OUT_OF_RANGE));
  assert_null (strstr (error->message, "9"));
  g_clear_error (&error);
  assert_false (hp_keypad_feet_inches_to_cm (0, 5, &cm, &error));
  assert_non_null (error);
}

/* ---- trend chart ---- */

typedef struct {
  int month, day;
  double value, second;
} Reading;

static void
set_readings (HpTrendChart  *chart,
              const Reading *readings,
              guint          n)
{
  g_autoptr(GPtrArray) times = g_ptr_array_new_with_free_func ((GDestroyNotify) g_date_time_unref);
  g_autofree HpTrendPoint *points = g_new0 (HpTrendPoint, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      GDateTime *time = g_date_time_new_utc (2024, readings[i].month, readings[i].day, 10, 30, 0);

      g_ptr_array_add (times, time);
      points[i].time = time;
      points[i].value = readings[i].value;
      points[i].second = readings[i].second;
    }
  hp_trend_chart_set_points (chart, points, n);
}

/* A screen reader hears the summary as audio guidance says it. */
static void
assert_description_is_summary (HpTrendChart *chart)
{
  gtk_test_accessible_assert_property (chart, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       hp_trend_chart_get_spoken_summary (chart));
}

static void
test_chart_summary (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpTrendChart) chart = g_object_ref_sink (hp_trend_chart_new ());
  /* Given out of order: the chart sorts by time. */
  static const Reading readings[] = {
    { 11, 21, 128, NAN }, { 3, 3, 131, NAN }, { 5, 14, 126, NAN },
    { 9, 2, 122, NAN }, { 7, 20, 119, NAN },
  };
  static const Reading weights[] = {
    { 1, 5, 81.42, NAN }, { 2, 9, 80.0, NAN }, { 3, 1, 80.04, NAN },
  };
  g_autofree char *description = NULL;

  assert_string_equal (hp_trend_chart_get_summary (chart), "No earlier readings.");
  hp_trend_chart_set_unit (chart, "mmHg");
  set_readings (chart, readings, G_N_ELEMENTS (readings));
  assert_int_equal (hp_trend_chart_get_n_points (chart), 5);
  assert_string_equal (hp_trend_chart_get_summary (chart),
                       "5 readings from 3 March to 21 November. Latest 128 mmHg, up from 122 mmHg.");
  assert_description_is_summary (chart);
  description = accessible_string (GTK_WIDGET (chart), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  assert_contains (description, "Latest 128");

  /* Only the latest max-points are drawn and told. */
  hp_trend_chart_set_max_points (chart, 2);
  assert_string_equal (hp_trend_chart_get_summary (chart),
                       "2 readings from 2 September to 21 November. Latest 128 mmHg, up from 122 mmHg.");
  hp_trend_chart_set_max_points (chart, 1);
  assert_string_equal (hp_trend_chart_get_summary (chart), "One reading, on 21 November 2024: 128 mmHg.");

  /* Compared as shown: 80.0 and 80.04 are the same to the patient. */
  hp_trend_chart_set_max_points (chart, 8);
  hp_trend_chart_set_unit (chart, "kg");
  hp_trend_chart_set_digits (chart, 1);
  set_readings (chart, weights, G_N_ELEMENTS (weights));
  assert_string_equal (hp_trend_chart_get_summary (chart),
                       "3 readings from 5 January to 1 March. Latest 80.0 kg, the same as the time before.");
  set_readings (chart, weights, 2);
  assert_contains (hp_trend_chart_get_summary (chart), "Latest 80.0 kg, down from 81.4 kg.");

  /* A tie is rounded as the labels round it: 72.25 is written "72.2",
   * the same as the reading before. */
  {
    static const Reading tie[] = { { 3, 1, 72.2, NAN }, { 3, 8, 72.25, NAN } };
    set_readings (chart, tie, G_N_ELEMENTS (tie));
    assert_string_equal (hp_trend_chart_get_summary (chart),
                         "2 readings from 1 March to 8 March. Latest 72.2 kg, the same as the time before.");
  }

  /* Two readings on one day are not "from 1 March to 1 March". */
  {
    static const Reading same_day[] = { { 3, 1, 80.5, NAN }, { 3, 1, 80.2, NAN } };
    set_readings (chart, same_day, G_N_ELEMENTS (same_day));
    assert_string_equal (hp_trend_chart_get_summary (chart),
                         "2 readings on 1 March. Latest 80.2 kg, down from 80.5 kg.");
  }

  /* A reading without a number is left out. */
  {
    static const Reading broken[] = { { 4, 1, NAN, NAN }, { 4, 2, 79.5, NAN } };
    set_readings (chart, broken, G_N_ELEMENTS (broken));
    assert_int_equal (hp_trend_chart_get_n_points (chart), 1);
  }

  hp_trend_chart_clear (chart);
  assert_int_equal (hp_trend_chart_get_n_points (chart), 0);
  assert_string_equal (hp_trend_chart_get_summary (chart), "No earlier readings.");
  assert_description_is_summary (chart);
}

static void
test_chart_summary_in_spanish (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpTrendChart) chart = g_object_ref_sink (hp_trend_chart_new ());
  static const Reading readings[] = { { 3, 3, 122, 80 }, { 11, 21, 128, 82 } };

  use_language ("es");
  hp_trend_chart_set_unit (chart, "mmHg");
  set_readings (chart, readings, G_N_ELEMENTS (readings));
  use_language ("en");
  /* Month names from the catalogue, whatever the C library's LC_TIME. */
  assert_contains (hp_trend_chart_get_summary (chart), "2 lecturas, del 3 de marzo al 21 de noviembre.");
  assert_contains (hp_trend_chart_get_summary (chart), "Subió desde 122/80 mmHg");
  assert_contains (hp_trend_chart_get_summary (chart), "128/82 mmHg");
  assert_contains (hp_trend_chart_get_summary (chart), "122/80 mmHg");
}

static void
test_chart_summary_in_french (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpTrendChart) chart = g_object_ref_sink (hp_trend_chart_new ());
  static const Reading weights[] = { { 1, 5, 81.42, NAN }, { 2, 9, 80.0, NAN } };

  use_language ("fr");
  hp_trend_chart_set_unit (chart, "kg");
  hp_trend_chart_set_digits (chart, 1);
  set_readings (chart, weights, G_N_ELEMENTS (weights));
  use_language ("en");
  /* The decimal comma, written and spoken alike. */
  assert_string_equal (hp_trend_chart_get_summary (chart),
                       "2 mesures du 5 janvier au 9 février. "
                       "Dernière mesure 80,0 kg, en baisse par rapport à 81,4 kg.");
  assert_string_equal (hp_trend_chart_get_spoken_summary (chart), hp_trend_chart_get_summary (chart));
  assert_description_is_summary (chart);
}

static void
test_keypad_in_spanish (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpKeypad) keypad = NULL;

  /* Key names are set when the pad is made, as on every page. */
  use_language ("es");
  keypad = keypad_new_owned ();
  hp_keypad_set_range (keypad, 100, 230);
  type (keypad, "45");
  tap (keypad, "Listo");
  assert_string_equal (visible_message (keypad), "Escriba un número del 100 al 230.");
  gtk_test_accessible_assert_property (find_key (GTK_WIDGET (keypad), DELETE_KEY),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Borrar");
  use_language ("en");
}

static GDateTime *
visit_time (guint i)
{
  /* A visit every 3 weeks from 8 January 2024. */
  g_autoptr(GDateTime) start = g_date_time_new_utc (2024, 1, 8, 9, 0, 0);

  return g_date_time_add_days (start, 21 * (int) i);
}

static guint
draw_chart (const char *name,
            guint       n,
            gboolean    blood_pressure,
            gboolean    rtl)
{
  HpTrendChart *chart = hp_trend_chart_new ();
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *window;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree HpTrendPoint *points = g_new0 (HpTrendPoint, MAX (n, 1));
  g_autofree char *description = NULL;
  guint ink;

  gtk_widget_add_css_class (card, "card");
  gtk_widget_set_vexpand (GTK_WIDGET (chart), TRUE);
  gtk_box_append (GTK_BOX (card), GTK_WIDGET (chart));
  for (guint i = 0; i < n; i++)
    {
      points[i].time = visit_time (i);
      /* A rise and a fall, never flat, always within a person's range. */
      points[i].value = blood_pressure ? 118 + 14 * sin (i * 0.9) + i : 81.3 - 0.4 * i;
      points[i].second = blood_pressure ? 76 + 6 * cos (i * 1.1) : NAN;
    }
  hp_trend_chart_set_max_points (chart, 12);
  hp_trend_chart_set_unit (chart, blood_pressure ? "mmHg" : "kg");
  hp_trend_chart_set_digits (chart, blood_pressure ? 0 : 1);
  if (blood_pressure)
    hp_trend_chart_set_normal_range (chart, 90, 120);
  hp_trend_chart_set_points (chart, points, n);
  for (guint i = 0; i < n; i++)
    g_date_time_unref (points[i].time);
  if (rtl)
    gtk_widget_set_direction (GTK_WIDGET (chart), GTK_TEXT_DIR_RTL);

  window = show_in_window (card, SCREEN_WIDTH, 560);
  texture = render_widget (card);
  save_screenshot (texture, name);
  ink = count_ink (texture);

  assert_int_equal (hp_trend_chart_get_n_points (chart), n);
  description = accessible_string (GTK_WIDGET (chart), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  assert_string_equal (description, hp_trend_chart_get_spoken_summary (chart));
  if (n > 0)
    {
      g_autofree char *latest = NULL;
      g_autofree char *spoken = NULL;
      g_autofree char *shown = NULL;
      g_autofree char *said = NULL;

      /* A blood pressure is written 118/82 and said "118 over 82". */
      if (blood_pressure)
        {
          latest = g_strdup_printf ("%.0f/%.0f mmHg", points[n - 1].value, points[n - 1].second);
          spoken = g_strdup_printf ("%.0f over %.0f mmHg", points[n - 1].value, points[n - 1].second);
        }
      else
        {
          latest = g_strdup_printf ("%.1f kg", points[n - 1].value);
          spoken = g_strdup (latest);
        }
      /* One reading is "on <date>: <value>", more say "Latest <value>". */
      shown = g_strconcat (n == 1 ? ": " : "Latest ", latest, NULL);
      said = g_strconcat (n == 1 ? ": " : "Latest ", spoken, NULL);
      assert_contains (hp_trend_chart_get_summary (chart), shown);
      assert_contains (description, said);
    }
  /* Text 28 px or more, as everywhere on the kiosk. */
  {
    PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (chart));
    const PangoFontDescription *font = pango_context_get_font_description (context);

    assert_true (pango_font_description_get_size (font) >= 28 * PANGO_SCALE);
  }

  close_window (window);
  return ink;
}

static void
test_chart_renders (void **state G_GNUC_UNUSED)
{
  guint empty = draw_chart ("chart-0-points", 0, TRUE, FALSE);
  guint one = draw_chart ("chart-1-point", 1, TRUE, FALSE);
  guint many = draw_chart ("chart-12-points-blood-pressure", 12, TRUE, FALSE);
  guint weight = draw_chart ("chart-6-points-weight", 6, FALSE, FALSE);
  guint rtl = draw_chart ("chart-12-points-rtl", 12, TRUE, TRUE);

  /* Each has something on it, and more readings leave more ink. */
  assert_true (empty > 0);
  assert_true (one > empty);
  assert_true (many > one);
  assert_true (weight > one);
  assert_true (rtl > one);
}

static void
test_chart_clear_leaves_nothing_drawn (void **state G_GNUC_UNUSED)
{
  HpTrendChart *chart = hp_trend_chart_new ();
  GtkWidget *window = show_in_window (GTK_WIDGET (chart), 1000, 480);
  static const Reading readings[] = { { 3, 3, 122, NAN }, { 11, 21, 128, NAN } };
  g_autoptr(GdkTexture) before = NULL;
  g_autoptr(GdkTexture) after = NULL;
  g_autoptr(GdkTexture) empty = NULL;

  empty = render_widget (GTK_WIDGET (chart));
  set_readings (chart, readings, G_N_ELEMENTS (readings));
  wait_for_paint (window);
  before = render_widget (GTK_WIDGET (chart));
  hp_trend_chart_clear (chart);
  wait_for_paint (window);
  after = render_widget (GTK_WIDGET (chart));

  assert_true (count_ink (before) > count_ink (empty));
  assert_int_equal (count_ink (after), count_ink (empty));
  close_window (window);
}

/* ---- the adaptive row ---- */

static GtkWidget *
fixed_child (GtkWidget *row,
             int        width)
{
  GtkWidget *child = gtk_label_new ("");

  gtk_widget_set_size_request (child, width, 72);
  gtk_widget_set_parent (child, row);
  return child;
}

/* One row while the children fit side by side, the first above the others
 * once they do not; never a child narrower than it asks; mirrored right to
 * left. */
static void
test_adaptive_row (void **state G_GNUC_UNUSED)
{
  GtkWidget *row = g_object_ref_sink (hp_adaptive_row_new ());
  GtkWidget *lead, *second, *third;
  graphene_rect_t a, b, c;
  int minimum = 0, natural = 0, height = 0;

  hp_adaptive_row_set_spacing (HP_ADAPTIVE_ROW (row), 16);
  lead = fixed_child (row, 400);
  second = fixed_child (row, 300);
  third = fixed_child (row, 300);

  /* Its narrowest is the widest of its two rows; at ease it is one row. */
  gtk_widget_measure (row, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  assert_int_equal (minimum, 300 + 16 + 300);
  assert_int_equal (natural, 400 + 16 + 300 + 16 + 300);
  gtk_widget_measure (row, GTK_ORIENTATION_VERTICAL, 1100, &height, NULL, NULL, NULL);
  assert_int_equal (height, 72);
  gtk_widget_measure (row, GTK_ORIENTATION_VERTICAL, 800, &height, NULL, NULL, NULL);
  assert_true (height >= 2 * 72);

  gtk_widget_allocate (row, 1100, 72, -1, NULL);
  assert_false (hp_adaptive_row_get_wrapped (HP_ADAPTIVE_ROW (row)));
  a = bounds_in (lead, row);
  b = bounds_in (second, row);
  c = bounds_in (third, row);
  assert_true (a.origin.x == 0 && a.size.width >= 400);
  assert_true (b.origin.x >= a.origin.x + a.size.width + 16);
  assert_true (c.origin.x >= b.origin.x + b.size.width + 16);
  assert_int_equal ((int) (c.origin.x + c.size.width), 1100);
  assert_true (a.origin.y == b.origin.y && b.origin.y == c.origin.y);

  gtk_widget_allocate (row, 800, 2 * 72 + 16, -1, NULL);
  assert_true (hp_adaptive_row_get_wrapped (HP_ADAPTIVE_ROW (row)));
  a = bounds_in (lead, row);
  b = bounds_in (second, row);
  c = bounds_in (third, row);
  assert_true (a.size.width >= 400);
  assert_true (b.origin.y >= a.origin.y + a.size.height);
  assert_true (b.origin.y == c.origin.y);
  assert_true (b.size.width >= 300 && c.size.width >= 300);
  /* The second row keeps to the end, where the primary button belongs. */
  assert_int_equal ((int) (c.origin.x + c.size.width), 800);

  gtk_widget_set_direction (row, GTK_TEXT_DIR_RTL);
  gtk_widget_allocate (row, 1100, 72, -1, NULL);
  a = bounds_in (lead, row);
  c = bounds_in (third, row);
  assert_int_equal ((int) (a.origin.x + a.size.width), 1100);
  assert_true (c.origin.x == 0);

  g_object_unref (row);
}

int
main (int   argc,
      char *argv[])
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_keypad_typing_and_delete),
    cmocka_unit_test (test_keypad_max_length),
    cmocka_unit_test (test_keypad_range_message_and_submit),
    cmocka_unit_test (test_keypad_min_length),
    cmocka_unit_test (test_keypad_masked),
    cmocka_unit_test (test_keypad_clear_wipes),
    cmocka_unit_test (test_keypad_accessible_keys),
    cmocka_unit_test (test_keypad_layout),
    cmocka_unit_test (test_keypad_in_spanish),
    cmocka_unit_test (test_feet_inches),
    cmocka_unit_test (test_chart_summary),
    cmocka_unit_test (test_chart_summary_in_spanish),
    cmocka_unit_test (test_chart_summary_in_french),
    cmocka_unit_test (test_chart_renders),
    cmocka_unit_test (test_chart_clear_leaves_nothing_drawn),
    cmocka_unit_test (test_adaptive_row),
  };
  const char *localedir = g_getenv ("HEALTHPOST_LOCALEDIR");

  if (argc > 1)
    cmocka_set_test_filter (argv[1]);

  /* As the kiosk does: messages in the default domain, English unless asked. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : ".");
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  use_language ("en");

  gtk_init ();
  hp_ui_init_style (gdk_display_get_default ());
  return cmocka_run_group_tests_name ("ui-widgets", tests, NULL, NULL);
}
