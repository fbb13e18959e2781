/* Tests of numbers, dates and reading words in the patient's language: decimal separators, month names and date orders from the catalogues, never from the C locale. */
#include <float.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hp-local-format.h"
#include "hp-measurement.h"
#include "hp-reading-text.h"
#include "hp-test-util.h"
#include "hp-visit.h"

static const char *localedir;

/* As the kiosk switches language: the message catalogue only. */
static void
use_language (const char *code)
{
  g_setenv ("LANGUAGE", code, TRUE);
  assert_non_null (setlocale (LC_MESSAGES, ""));
}

static int
teardown_language (void **state G_GNUC_UNUSED)
{
  use_language ("en");
  g_setenv ("TZ", "UTC", TRUE);
  return 0;
}

static void
assert_decimal (double      value,
                guint       digits,
                const char *expected)
{
  g_autofree char *text = hp_local_format_decimal (value, digits);

  if (g_strcmp0 (text, expected) != 0)
    fail_msg ("%.17g with %u decimals: expected “%s”, got “%s”",
              value, digits, expected, text != NULL ? text : "(null)");
}

static void
assert_date (GDateTime  *time,
             HpDateForm  form,
             const char *expected)
{
  g_autofree char *text = hp_local_format_date (time, form);

  if (g_strcmp0 (text, expected) != 0)
    fail_msg ("date form %d: expected “%s”, got “%s”", form, expected, text != NULL ? text : "(null)");
}

/* ---- numbers ---- */

static void
test_decimal_in_each_language (void **state G_GNUC_UNUSED)
{
  static const struct { const char *code; const char *weight; const char *bmi; } cases[] = {
    { "en", "81.5", "26.4" },
    { "fr", "81,5", "26,4" },
    /* The kiosk's Spanish is the Americas', where 81.5 is written. */
    { "es", "81.5", "26.4" },
    /* Arabic as the kiosk writes it: Western digits and a point. */
    { "ar", "81.5", "26.4" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      use_language (cases[i].code);
      assert_decimal (81.5, 1, cases[i].weight);
      assert_decimal (26.4, 1, cases[i].bmi);
    }
}

static void
test_decimal_boundaries (void **state G_GNUC_UNUSED)
{
  g_autofree char *largest = NULL;
  g_autofree char *lowest = NULL;

  use_language ("fr");

  /* No decimals, no separator. */
  assert_decimal (97, 0, "97");
  assert_decimal (97.4, 0, "97");
  assert_decimal (0, 0, "0");
  assert_decimal (0, 1, "0,0");
  assert_decimal (81, 1, "81,0");
  assert_decimal (1.0 / 3.0, HP_LOCAL_FORMAT_MAX_DIGITS, "0,333333");

  /* Rounded as printf rounds the exact binary value, as the
   * interpretation does before it picks a category: 26.45 is stored a
   * little below it, 26.25 exactly (a tie, to even), 26.35 a little
   * above. */
  assert_decimal (26.45, 1, "26,4");
  assert_decimal (26.25, 1, "26,2");
  assert_decimal (26.35, 1, "26,4");
  assert_decimal (81.45, 1, "81,5");
  assert_decimal (0.5, 0, "0");
  assert_decimal (1.5, 0, "2");
  assert_decimal (2.5, 0, "2");
  assert_decimal (99.96, 1, "100,0");

  /* Negative numbers keep their sign, unless they round to nought. */
  assert_decimal (-3.25, 2, "-3,25");
  assert_decimal (-0.05, 1, "-0,1");
  assert_decimal (-0.04, 1, "0,0");
  assert_decimal (-0.4, 0, "0");
  assert_decimal (-0.0, 1, "0,0");

  /* Large numbers in full, without grouping, up to the largest double. */
  assert_decimal (1e15, 1, "1000000000000000,0");
  assert_decimal (123456789.125, 2, "123456789,12");
  largest = hp_local_format_decimal (DBL_MAX, HP_LOCAL_FORMAT_MAX_DIGITS);
  lowest = hp_local_format_decimal (-DBL_MAX, HP_LOCAL_FORMAT_MAX_DIGITS);
  assert_non_null (largest);
  assert_non_null (lowest);
  assert_int_equal (strlen (largest), DBL_MAX_10_EXP + 1 + 1 + HP_LOCAL_FORMAT_MAX_DIGITS);
  assert_true (g_str_has_prefix (largest, "17976931348623157"));
  assert_true (g_str_has_suffix (largest, ",000000"));
  assert_int_equal (strlen (lowest), strlen (largest) + 1);
  assert_string_equal (lowest + 1, largest);
  assert_int_equal (lowest[0], '-');

  /* What is not a number is not written. */
  assert_null (hp_local_format_decimal (NAN, 1));
  assert_null (hp_local_format_decimal (INFINITY, 1));
  assert_null (hp_local_format_decimal (-INFINITY, 0));
}

/* The number on every screen and on paper comes with the separator too;
 * whole numbers have none to change. */
static void
test_measurement_value_in_french (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpVisit) visit = hp_visit_new ();
  g_autoptr(HpMeasurement) weight = hp_measurement_new (HP_MEASUREMENT_KIND_BODY_WEIGHT);
  g_autoptr(HpMeasurement) pressure = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_PRESSURE);
  g_autofree char *english = NULL;
  g_autofree char *french = NULL;
  g_autofree char *pair = NULL;
  const char *unit = NULL;

  hp_measurement_set_value (weight, HP_QUANTITY_BODY_WEIGHT, 81.45, "kg");
  hp_measurement_set_value (pressure, HP_QUANTITY_SYSTOLIC, 131, "mm[Hg]");
  hp_measurement_set_value (pressure, HP_QUANTITY_DIASTOLIC, 84, "mm[Hg]");

  use_language ("en");
  english = hp_visit_format_value (visit, weight, &unit);
  assert_string_equal (english, "81.5");
  assert_string_equal (unit, "kg");
  use_language ("fr");
  french = hp_visit_format_value (visit, weight, &unit);
  assert_string_equal (french, "81,5");
  pair = hp_visit_format_value (visit, pressure, &unit);
  assert_string_equal (pair, "131/84");
}

/* ---- a reading in words, as the screens and the paper both say it ---- */

static void
test_reading_text_in_two_languages (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpVisit) visit = hp_visit_new ();
  g_autoptr(HpMeasurement) pressure = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_PRESSURE);
  g_autoptr(HpMeasurement) bare = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_PRESSURE);
  g_autofree char *pulse = NULL;
  g_autofree char *pulse_es = NULL;
  g_autofree char *none = NULL;
  const char *unit = "unchanged";

  hp_measurement_set_value (pressure, HP_QUANTITY_SYSTOLIC, 131, "mm[Hg]");
  hp_measurement_set_value (pressure, HP_QUANTITY_DIASTOLIC, 84, "mm[Hg]");
  hp_measurement_set_value (pressure, HP_QUANTITY_PULSE_RATE, 71.6, "/min");
  hp_measurement_set_value (bare, HP_QUANTITY_SYSTOLIC, 131, "mm[Hg]");
  hp_measurement_set_value (bare, HP_QUANTITY_DIASTOLIC, 84, "mm[Hg]");

  use_language ("en");
  assert_string_equal (hp_reading_text_kind_name (HP_MEASUREMENT_KIND_BLOOD_GLUCOSE), "Blood sugar");
  assert_string_equal (hp_reading_text_pulse_name (), "Pulse");
  pulse = hp_reading_text_pulse_value (visit, pressure, &unit);
  assert_string_equal (pulse, "72");
  assert_string_equal (unit, "beats per minute");
  /* A cuff that gave no pulse: no row, and no unit left over from before. */
  none = hp_reading_text_pulse_value (visit, bare, &unit);
  assert_null (none);
  assert_null (unit);
  assert_string_equal (hp_reading_text_weight_note (), "Clothes and shoes add a little.");
  assert_string_equal (hp_reading_text_fasting_note (HP_FASTING_YES), "Before eating: nothing in 8 hours.");
  assert_string_equal (hp_reading_text_fasting_note (HP_FASTING_NO), "After eating in the last 8 hours.");
  assert_null (hp_reading_text_fasting_note (HP_FASTING_UNKNOWN));

  use_language ("es");
  assert_string_not_equal (hp_reading_text_kind_name (HP_MEASUREMENT_KIND_BLOOD_GLUCOSE), "Blood sugar");
  pulse_es = hp_reading_text_pulse_value (visit, pressure, &unit);
  assert_string_equal (pulse_es, "72");
  assert_string_not_equal (unit, "beats per minute");
  assert_string_not_equal (hp_reading_text_fasting_note (HP_FASTING_YES), "Before eating: nothing in 8 hours.");
}

/* The adult body-mass ranges come with the pregnancy caution; a child's
 * reading, read against other ranges, does not. */
static void
test_reading_text_bmi_note (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpMeasurement) adult = hp_measurement_new (HP_MEASUREMENT_KIND_BODY_WEIGHT);
  g_autoptr(HpMeasurement) child = hp_measurement_new (HP_MEASUREMENT_KIND_BODY_WEIGHT);

  hp_measurement_set_flags (child, HP_MEASUREMENT_FLAG_UNDER_18);
  use_language ("en");
  assert_string_equal (hp_reading_text_bmi_note (adult), "If you are pregnant, these ranges do not apply.");
  assert_null (hp_reading_text_bmi_note (child));
}

/* ---- dates ---- */

static void
test_date_in_each_language (void **state G_GNUC_UNUSED)
{
  static const struct { const char *code; const char *forms[HP_DATE_FORM_LAST + 1]; } cases[] = {
    { "en", { "21 Nov", "21 November", "21 November 2026" } },
    { "es", { "21 nov", "21 de noviembre", "21 de noviembre de 2026" } },
    { "fr", { "21 nov.", "21 novembre", "21 novembre 2026" } },
    { "ar", { "21 نوفمبر", "21 نوفمبر", "21 نوفمبر 2026" } },
  };
  g_autoptr(GDateTime) time = g_date_time_new_utc (2026, 11, 21, 10, 30, 0);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      use_language (cases[i].code);
      for (int form = 0; form <= HP_DATE_FORM_LAST; form++)
        assert_date (time, (HpDateForm) form, cases[i].forms[form]);
    }
}

/* French writes the first of a month as an ordinal; the others do not,
 * and no other day is one. */
static void
test_first_of_the_month (void **state G_GNUC_UNUSED)
{
  static const struct { const char *code; const char *first; const char *second; } cases[] = {
    { "en", "1 November 2026", "2 November 2026" },
    { "es", "1 de noviembre de 2026", "2 de noviembre de 2026" },
    { "fr", "1er novembre 2026", "2 novembre 2026" },
    { "ar", "1 نوفمبر 2026", "2 نوفمبر 2026" },
  };
  g_autoptr(GDateTime) first = g_date_time_new_utc (2026, 11, 1, 12, 0, 0);
  g_autoptr(GDateTime) second = g_date_time_new_utc (2026, 11, 2, 12, 0, 0);
  g_autoptr(GDateTime) eleventh = g_date_time_new_utc (2026, 11, 11, 12, 0, 0);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      use_language (cases[i].code);
      assert_date (first, HP_DATE_FORM_DAY_MONTH_YEAR, cases[i].first);
      assert_date (second, HP_DATE_FORM_DAY_MONTH_YEAR, cases[i].second);
    }
  use_language ("fr");
  assert_date (first, HP_DATE_FORM_SHORT, "1er nov.");
  assert_date (first, HP_DATE_FORM_DAY_MONTH, "1er novembre");
  assert_date (eleventh, HP_DATE_FORM_DAY_MONTH, "11 novembre");
}

static void
test_every_month (void **state G_GNUC_UNUSED)
{
  static const struct { const char *code; const char *names[12]; const char *abbreviations[12]; } cases[] = {
    { "en",
      { "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December" },
      { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" } },
    { "es",
      { "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
        "septiembre", "octubre", "noviembre", "diciembre" },
      { "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic" } },
    { "fr",
      { "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
        "septembre", "octobre", "novembre", "décembre" },
      { "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc." } },
    { "ar",
      { "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس",
        "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر" },
      { "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس",
        "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر" } },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      use_language (cases[i].code);
      for (guint month = 1; month <= 12; month++)
        {
          /* The last day of each month, the widest day number. */
          g_autoptr(GDateTime) first = g_date_time_new_utc (2027, (int) month, 1, 12, 0, 0);
          g_autoptr(GDateTime) next = g_date_time_add_months (first, 1);
          g_autoptr(GDateTime) last = g_date_time_add_days (next, -1);
          int day = g_date_time_get_day_of_month (last);
          g_autofree char *short_date = hp_local_format_date (last, HP_DATE_FORM_SHORT);
          g_autofree char *long_date = hp_local_format_date (last, HP_DATE_FORM_DAY_MONTH_YEAR);
          g_autofree char *day_text = g_strdup_printf ("%d", day);

          assert_string_equal (hp_local_format_month_name (month), cases[i].names[month - 1]);
          assert_string_equal (hp_local_format_month_abbreviation (month), cases[i].abbreviations[month - 1]);
          assert_true (day >= 28 && day <= 31);
          assert_non_null (strstr (short_date, cases[i].abbreviations[month - 1]));
          assert_non_null (strstr (long_date, cases[i].names[month - 1]));
          assert_true (g_str_has_prefix (short_date, day_text));
          assert_true (g_str_has_prefix (long_date, day_text));
          assert_true (g_str_has_suffix (long_date, "2027"));

          /* No two months are written alike. */
          for (guint other = 1; other < month; other++)
            {
              assert_string_not_equal (hp_local_format_month_name (other), hp_local_format_month_name (month));
              assert_string_not_equal (hp_local_format_month_abbreviation (other),
                                       hp_local_format_month_abbreviation (month));
            }
        }
    }
}

/* A date is the kiosk's day: the same moment is another date east and
 * west of Greenwich, and even another year. */
static void
test_dates_in_local_time (void **state G_GNUC_UNUSED)
{
  g_autoptr(GDateTime) night = g_date_time_new_utc (2026, 11, 21, 2, 0, 0);
  g_autoptr(GDateTime) new_year = g_date_time_new_utc (2026, 12, 31, 12, 0, 0);
  g_autoptr(GTimeZone) tokyo = g_time_zone_new_identifier ("+09:00");
  g_autoptr(GDateTime) stored_elsewhere = NULL;

  use_language ("es");
  g_setenv ("TZ", "UTC", TRUE);
  assert_date (night, HP_DATE_FORM_DAY_MONTH, "21 de noviembre");
  g_setenv ("TZ", "-05:00", TRUE);
  assert_date (night, HP_DATE_FORM_DAY_MONTH, "20 de noviembre");
  assert_date (night, HP_DATE_FORM_SHORT, "20 nov");
  g_setenv ("TZ", "+14:00", TRUE);
  assert_date (new_year, HP_DATE_FORM_DAY_MONTH_YEAR, "1 de enero de 2027");

  /* A time kept in another zone is still shown in the kiosk's. */
  assert_non_null (tokyo);
  stored_elsewhere = g_date_time_new (tokyo, 2026, 11, 21, 9, 0, 0);
  g_setenv ("TZ", "-05:00", TRUE);
  assert_date (stored_elsewhere, HP_DATE_FORM_SHORT, "20 nov");
}

/* ---- the process's locale ---- */

typedef struct {
  char *all;
  char *numeric;
  char *time;
  char *decimal_point;
} LocaleState;

static void
locale_state_read (LocaleState *state)
{
  state->all = g_strdup (setlocale (LC_ALL, NULL));
  state->numeric = g_strdup (setlocale (LC_NUMERIC, NULL));
  state->time = g_strdup (setlocale (LC_TIME, NULL));
  state->decimal_point = g_strdup (localeconv ()->decimal_point);
}

static void
locale_state_clear (LocaleState *state)
{
  g_free (state->all);
  g_free (state->numeric);
  g_free (state->time);
  g_free (state->decimal_point);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LocaleState, locale_state_clear)

static void
test_process_locale_untouched (void **state G_GNUC_UNUSED)
{
  static const char * const codes[] = { "fr", "es", "ar", "en" };
  g_auto(LocaleState) before = { 0 };
  g_auto(LocaleState) after = { 0 };
  g_autoptr(GDateTime) time = g_date_time_new_utc (2026, 11, 21, 10, 30, 0);

  use_language ("en");
  locale_state_read (&before);
  for (gsize i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autofree char *number = NULL;
      g_autofree char *date = NULL;

      use_language (codes[i]);
      number = hp_local_format_decimal (81.5, 1);
      date = hp_local_format_date (time, HP_DATE_FORM_DAY_MONTH_YEAR);
      assert_non_null (number);
      assert_non_null (date);
    }
  use_language ("en");
  locale_state_read (&after);
  assert_string_equal (after.all, before.all);
  assert_string_equal (after.numeric, before.numeric);
  assert_string_equal (after.time, before.time);
  assert_string_equal (after.decimal_point, before.decimal_point);
  /* The C library still writes numbers its own way. */
  {
    g_autofree char *c_number = g_strdup_printf ("%.1f", 81.5);

    assert_string_equal (c_number, "81.5");
  }
}

/* Removes @path and all under it; FALSE if anything stays. */
static gboolean
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      if (dir == NULL)
        return FALSE;
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (!remove_tree (child))
            return FALSE;
        }
    }
  return g_remove (path) == 0;
}

/* A French locale compiled for this test alone (localedef, from the
 * `locales` package's sources), so that it does not depend on what the
 * machine has installed; LOCPATH points the C library at it. */
static char *
make_comma_locale (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hp-locale-XXXXXX", &error);
  g_autofree char *target = NULL;
  g_autofree char *errors = NULL;
  int status = 0;

  if (dir == NULL)
    fail_msg ("no temporary folder: %s", error->message);
  target = g_build_filename (dir, "fr_FR.UTF-8", NULL);
  {
    const char *argv[] = { "localedef", "-c", "-i", "fr_FR", "-f", "UTF-8", target, NULL };

    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                       NULL, NULL, NULL, &errors, &status, &error))
      fail_msg ("localedef did not run: %s", error->message);
  }
  if (!g_file_test (target, G_FILE_TEST_IS_DIR))
    fail_msg ("localedef made no fr_FR.UTF-8 (exit %d): %s", status, errors != NULL ? errors : "");
  g_setenv ("LOCPATH", dir, TRUE);
  return g_steal_pointer (&dir);
}

/* A process started in a locale whose decimal mark is a comma still shows
 * an English patient a point: the message language decides. */
static void
test_comma_locale_does_not_leak (void **state G_GNUC_UNUSED)
{
  g_autofree char *locales = make_comma_locale ();
  g_autofree char *numeric = NULL;
  g_autofree char *english = NULL;
  g_autofree char *french = NULL;

  numeric = g_strdup (setlocale (LC_NUMERIC, NULL));
  if (setlocale (LC_NUMERIC, "fr_FR.UTF-8") == NULL)
    fail_msg ("the French locale made in %s cannot be used", locales);
  assert_string_equal (localeconv ()->decimal_point, ",");
  use_language ("en");
  english = hp_local_format_decimal (81.5, 1);
  use_language ("fr");
  french = hp_local_format_decimal (81.5, 1);
  assert_non_null (setlocale (LC_NUMERIC, numeric));
  g_unsetenv ("LOCPATH");
  assert_true (remove_tree (locales));
  assert_string_equal (english, "81.5");
  assert_string_equal (french, "81,5");
}

/* ---- a spoiled catalogue ---- */

typedef struct {
  const char *original;  /* "context\004msgid", or "" for the header */
  const char *translation;
} Message;

static int
message_compare (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (((const Message *) a)->original, ((const Message *) b)->original);
}

static void
put_u32 (GByteArray *bytes,
         guint32     value)
{
  g_byte_array_append (bytes, (const guint8 *) &value, sizeof value);
}

/* A compiled catalogue (GNU .mo, native byte order, no hash table, so
 * looked up by binary search) holding @messages. */
static GBytes *
build_catalogue (Message *messages,
                 guint    n)
{
  GByteArray *bytes = g_byte_array_new ();
  guint32 originals = 7 * 4;
  guint32 translations = originals + n * 8;
  guint32 offset = translations + n * 8;

  qsort (messages, n, sizeof *messages, message_compare);
  put_u32 (bytes, 0x950412de);
  put_u32 (bytes, 0);
  put_u32 (bytes, n);
  put_u32 (bytes, originals);
  put_u32 (bytes, translations);
  put_u32 (bytes, 0);
  put_u32 (bytes, offset);
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < n; i++)
      {
        const char *text = pass == 0 ? messages[i].original : messages[i].translation;

        put_u32 (bytes, (guint32) strlen (text));
        put_u32 (bytes, offset);
        offset += (guint32) strlen (text) + 1;
      }
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < n; i++)
      {
        const char *text = pass == 0 ? messages[i].original : messages[i].translation;

        g_byte_array_append (bytes, (const guint8 *) text, (guint) strlen (text) + 1);
      }
  return g_byte_array_free_to_bytes (bytes);
}

/* A translator's slip (a part left out, named twice or of the wrong type,
 * an empty separator) costs the patient the language's word order, never
 * the date or the number. */
static void
test_spoiled_translations_fall_back (void **state G_GNUC_UNUSED)
{
  Message messages[] = {
    { "", "Content-Type: text/plain; charset=UTF-8\n" },
    { "decimal separator\004.", "" },
    { "month name\004November", "Novembar" },
    { "month abbreviation\004Nov", "Nvb" },
    /* The month twice and no day. */
    { "date: day and month\004%1$d %2$s", "%2$s %2$s" },
    /* A directive of another type. */
    { "date: day, month and year\004%1$d %2$s %3$d", "%1$d %2$s %3$s" },
    /* The month before the day, and a percent sign: a good pattern. */
    { "date: day and abbreviated month\004%1$d %2$s", "%% %2$s/%1$d" },
    /* A first day that lost its digit. */
    { "date: the first day of a month\0041", "er" },
  };
  g_autoptr(GBytes) catalogue = build_catalogue (messages, G_N_ELEMENTS (messages));
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hp-local-format-XXXXXX", &error);
  g_autofree char *messages_dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GDateTime) time = g_date_time_new_utc (2026, 11, 21, 10, 30, 0);
  g_autoptr(GDateTime) first = g_date_time_new_utc (2026, 11, 1, 12, 0, 0);

  assert_non_null (dir);
  messages_dir = g_build_filename (dir, "xx", "LC_MESSAGES", NULL);
  assert_int_equal (g_mkdir_with_parents (messages_dir, 0700), 0);
  path = g_build_filename (messages_dir, GETTEXT_PACKAGE ".mo", NULL);
  assert_true (g_file_set_contents (path, g_bytes_get_data (catalogue, NULL), g_bytes_get_size (catalogue),
                                    &error));

  bindtextdomain (GETTEXT_PACKAGE, dir);
  use_language ("xx");
  /* The catalogue is read: its good messages are used. */
  assert_string_equal (hp_local_format_month_name (11), "Novembar");
  assert_date (time, HP_DATE_FORM_SHORT, "% Nvb/21");
  assert_date (time, HP_DATE_FORM_DAY_MONTH, "21 Novembar");
  assert_date (time, HP_DATE_FORM_DAY_MONTH_YEAR, "21 Novembar 2026");
  assert_date (first, HP_DATE_FORM_DAY_MONTH, "1 Novembar");
  assert_decimal (81.5, 1, "81.5");

  bindtextdomain (GETTEXT_PACKAGE, localedir);
  use_language ("en");
  assert_int_equal (g_remove (path), 0);
  assert_int_equal (g_rmdir (messages_dir), 0);
  assert_true (hp_test_tmpdir_remove (dir));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_teardown (test_decimal_in_each_language, teardown_language),
    cmocka_unit_test_teardown (test_decimal_boundaries, teardown_language),
    cmocka_unit_test_teardown (test_measurement_value_in_french, teardown_language),
    cmocka_unit_test_teardown (test_reading_text_in_two_languages, teardown_language),
    cmocka_unit_test_teardown (test_reading_text_bmi_note, teardown_language),
    cmocka_unit_test_teardown (test_date_in_each_language, teardown_language),
    cmocka_unit_test_teardown (test_first_of_the_month, teardown_language),
    cmocka_unit_test_teardown (test_every_month, teardown_language),
    cmocka_unit_test_teardown (test_dates_in_local_time, teardown_language),
    cmocka_unit_test_teardown (test_process_locale_untouched, teardown_language),
    cmocka_unit_test_teardown (test_comma_locale_does_not_leak, teardown_language),
    cmocka_unit_test_teardown (test_spoiled_translations_fall_back, teardown_language),
  };

  localedir = g_getenv ("HEALTHPOST_LOCALEDIR");
  if (localedir == NULL)
    {
      g_printerr ("HEALTHPOST_LOCALEDIR must name the build tree's catalogues\n");
      return 2;
    }

  /* Dates are the kiosk's local ones: UTC unless a test says otherwise. */
  g_setenv ("TZ", "UTC", TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  return cmocka_run_group_tests_name ("local-format", tests, NULL, NULL);
}
