/* Tests of the kiosk configuration: defaults, overrides and bad files. */
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "hp-config.h"
#include "hp-config-private.h"
#include "hp-test-util.h"

/* The checked-in sample file, app/config/healthpost.conf. */
static const char *sample_path;

static void
test_defaults (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpConfig) config = hp_config_new ();
  g_autofree char *db = hp_config_dup_database_path (config);

  assert_false (hp_config_get_demo (config));
  assert_true (hp_config_get_fullscreen (config));
  assert_string_equal (hp_config_get_language (config), "en");
  {
    /* Every language with a catalogue, in the language button's order. */
    g_autofree char *languages = g_strjoinv (";", (char **) hp_config_get_languages (config));
    assert_string_equal (languages, "en;es;fr;ar");
  }
  assert_int_equal (hp_config_get_idle_seconds (config), 60);
  assert_int_equal (hp_config_get_warning_seconds (config), 20);
  assert_string_equal (db, "/var/lib/healthpost/healthpost.db");
  assert_null (hp_config_get_patient_identifier_system (config));
}

static void
test_demo_database_in_user_data_dir (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpConfig) config = hp_config_new ();
  g_autofree char *db = NULL;

  hp_config_set_demo (config, TRUE);
  db = hp_config_dup_database_path (config);
  assert_true (g_str_has_prefix (db, g_get_user_data_dir ()));
}

static void
test_overrides (void **state G_GNUC_UNUSED)
{
  static const char text[] =
    "[kiosk]\nfullscreen=false\nlanguages=es;en\nlanguage=es\nlocation=Main St. pharmacy\n"
    "[visit]\nidle-seconds=90\nwarning-seconds=30\n"
    "[storage]\ndatabase=/srv/hp/visits.db\n"
    "[demo]\nenabled=true\nsystolic=150\ndiastolic=95\nfault=unplug\n"
    "[export]\npatient-identifier-system=https://clinic.example/healthpost-code\n";
  g_autoptr(HpConfig) config = hp_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;

  assert_true (hp_config_merge_data (config, text, sizeof text - 1, &error));
  assert_null (error);
  assert_false (hp_config_get_fullscreen (config));
  assert_string_equal (hp_config_get_language (config), "es");
  assert_string_equal (hp_config_get_languages (config)[0], "es");
  assert_string_equal (hp_config_get_location (config), "Main St. pharmacy");
  assert_int_equal (hp_config_get_idle_seconds (config), 90);
  assert_int_equal (hp_config_get_warning_seconds (config), 30);
  assert_true (hp_config_get_demo (config));
  assert_int_equal (hp_config_get_demo_systolic (config), 150);
  assert_string_equal (hp_config_get_demo_fault (config), "unplug");
  db = hp_config_dup_database_path (config);
  assert_string_equal (db, "/srv/hp/visits.db");
  assert_string_equal (hp_config_get_patient_identifier_system (config), "https://clinic.example/healthpost-code");
}

/* A bad value is reported by group and key and changes nothing. */
static void
check_rejected (const char *text,
                const char *expected_words)
{
  g_autoptr(HpConfig) config = hp_config_new ();
  g_autoptr(GError) error = NULL;

  assert_false (hp_config_merge_data (config, text, strlen (text), &error));
  assert_non_null (error);
  if (strstr (error->message, expected_words) == NULL)
    fail_msg ("“%s” does not mention “%s”", error->message, expected_words);
  assert_int_equal (hp_config_get_idle_seconds (config), 60);
  assert_string_equal (hp_config_get_language (config), "en");
  assert_false (hp_config_get_demo (config));
}

static void
test_bad_values (void **state G_GNUC_UNUSED)
{
  check_rejected ("[visit]\nidle-seconds=-5\n", "[visit] idle-seconds");
  check_rejected ("[visit]\nidle-seconds=soon\n", "[visit] idle-seconds");
  check_rejected ("[visit]\nidle-seconds=1\n", "from 5 to 3600");
  check_rejected ("[visit]\nidle-seconds=99999999999999999999\n", "[visit] idle-seconds");
  check_rejected ("[kiosk]\nfullscreen=perhaps\n", "[kiosk] fullscreen");
  check_rejected ("[kiosk]\nlanguage=de\n", "not in [kiosk] languages");
  check_rejected ("[kiosk]\nlanguages=en;xx\n", "“xx” is not available");
  check_rejected ("[kiosk]\ngsk-renderer=magic\n", "[kiosk] gsk-renderer");
  check_rejected ("[storage]\ndatabase=relative/path.db\n", "absolute path");
  check_rejected ("[demo]\nenabled=true\nsystolic=80\ndiastolic=90\n", "lower than systolic");
  check_rejected ("[demo]\nfault=explode\n", "[demo] fault");
  check_rejected ("this is not a key file", "not a valid configuration file");
  check_rejected ("[visit]\nidle-seconds=90\n[kiosk]\nlanguage=zz\n", "[kiosk] language");
  check_rejected ("[visit]\nidle-secnds=90\n", "unknown key idle-secnds in [visit]");
  check_rejected ("[display]\nbrightness=3\n", "unknown group [display]");
  /* A clinic's identifier system is an https URI, not a kiosk-local name. */
  check_rejected ("[export]\npatient-identifier-system=urn:healthpost:personal-code\n",
                  "[export] patient-identifier-system");
  check_rejected ("[export]\npatient-identifier-system=http://clinic.example/code\n",
                  "[export] patient-identifier-system");
  check_rejected ("[export]\npatient-identifier-system=https://\n", "[export] patient-identifier-system");
  check_rejected ("[kiosk]\nemergency-number=\n", "[kiosk] emergency-number");
  check_rejected ("[kiosk]\nemergency-number=call the nurse\n", "[kiosk] emergency-number");
  check_rejected ("[kiosk]\nemergency-number=123456789012345678901\n", "[kiosk] emergency-number");
  /* Written twice, the second would silently win. */
  check_rejected ("[printer]\nprinter=front-desk\n[visit]\nidle-seconds=90\n[printer]\npaper=a4\n",
                  "group [printer] is written twice");
  check_rejected ("[printer]\nprinter=front-desk\npaper=a4\nprinter = back-office\n",
                  "[printer] printer is written twice");
  /* Printed on every summary: no escape sequence or newline in it. */
  check_rejected ("[kiosk]\nlocation=Main St\\nFake line\n", "[kiosk] location holds a control character");
  check_rejected ("[kiosk]\nlocation=Main St\x1b[31m\n", "[kiosk] location holds a control character");
}

/* A NUL byte would end a value early: "printer=front\0-desk" read as
 * "front". The whole file is refused. */
static void
test_nul_byte_refused (void **state G_GNUC_UNUSED)
{
  static const char text[] = "[printer]\nprinter=front\0-desk\n";
  g_autoptr(HpConfig) config = hp_config_new ();
  g_autoptr(GError) error = NULL;

  assert_false (hp_config_merge_data (config, text, sizeof text - 1, &error));
  assert_non_null (strstr (error->message, "NUL byte"));
}

/* Only a regular file of bounded size is read: a FIFO would block the
 * start for ever, /dev/zero would be read until memory runs out. */
static void
test_only_small_regular_files (void **state G_GNUC_UNUSED)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hp-config-XXXXXX", &error);
  g_autofree char *fifo = g_build_filename (dir, "fifo.conf", NULL);
  g_autofree char *big = g_build_filename (dir, "big.conf", NULL);
  g_autofree char *padding = NULL;
  HpConfig *config;

  assert_non_null (dir);
  assert_int_equal (mkfifo (fifo, 0600), 0);
  config = hp_config_load (fifo, &error);
  assert_null (config);
  assert_non_null (strstr (error->message, "not a regular file"));
  g_clear_error (&error);

  config = hp_config_load ("/dev/zero", &error);
  assert_null (config);
  assert_non_null (strstr (error->message, "not a regular file"));
  g_clear_error (&error);

  padding = g_strnfill (HP_CONFIG_MAX_BYTES, '#');
  assert_true (g_file_set_contents (big, padding, -1, NULL));
  config = hp_config_load (big, &error);
  assert_non_null (config);
  g_object_unref (config);
  {
    g_autofree char *more = g_strconcat (padding, "\n#", NULL);

    assert_true (g_file_set_contents (big, more, -1, NULL));
  }
  config = hp_config_load (big, &error);
  assert_null (config);
  assert_non_null (strstr (error->message, "larger than"));
  g_clear_error (&error);
  assert_true (hp_test_tmpdir_remove (dir));
}

/* A crisis reading tells the patient what number to call: 911 unless the
 * kiosk stands where another number answers. */
static void
test_emergency_number (void **state G_GNUC_UNUSED)
{
  static const char text[] = "[kiosk]\nemergency-number= 112 \n";
  g_autoptr(HpConfig) config = hp_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;

  assert_string_equal (hp_config_get_emergency_number (config), "911");
  assert_true (hp_config_merge_data (config, text, sizeof text - 1, &error));
  assert_null (error);
  assert_string_equal (hp_config_get_emergency_number (config), "112");
  data = hp_config_to_data (config);
  assert_non_null (strstr (data, "emergency-number=112"));
  /* A bad number leaves the one in force. */
  assert_false (hp_config_merge_data (config, "[kiosk]\nemergency-number=x\n", strlen ("[kiosk]\nemergency-number=x\n"), &error));
  assert_string_equal (hp_config_get_emergency_number (config), "112");
}

/* The printer: none by default; a queue name or an IPP URI, checked when
 * the file is read rather than when a patient presses Print. */
static void
test_printer (void **state G_GNUC_UNUSED)
{
  static const char text[] =
    "[printer]\nprinter= ipp://192.168.1.20:631/ipp/print \npaper=a4\ncopies-per-visit=3\n";
  g_autoptr(HpConfig) config = hp_config_new ();
  g_autoptr(HpConfig) named = hp_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;

  assert_string_equal (hp_config_get_printer (config), "");
  assert_string_equal (hp_config_get_paper (config), "receipt-80mm");
  assert_int_equal (hp_config_get_copies_per_visit (config), 2);

  assert_true (hp_config_merge_data (config, text, sizeof text - 1, &error));
  assert_null (error);
  assert_string_equal (hp_config_get_printer (config), "ipp://192.168.1.20:631/ipp/print");
  assert_string_equal (hp_config_get_paper (config), "a4");
  assert_int_equal (hp_config_get_copies_per_visit (config), 3);
  data = hp_config_to_data (config);
  assert_non_null (strstr (data, "[printer]\nprinter=ipp://192.168.1.20:631/ipp/print\npaper=a4\ncopies-per-visit=3\n"));

  assert_true (hp_config_merge_data (named, "[printer]\nprinter=Lobby_Receipt-2\n", strlen ("[printer]\nprinter=Lobby_Receipt-2\n"), &error));
  assert_string_equal (hp_config_get_printer (named), "Lobby_Receipt-2");
  /* Emptied again: no printer. */
  assert_true (hp_config_merge_data (named, "[printer]\nprinter=\n", strlen ("[printer]\nprinter=\n"), &error));
  assert_string_equal (hp_config_get_printer (named), "");

  check_rejected ("[printer]\npaper=legal\n", "[printer] paper must be one of: receipt-80mm, letter, a4");
  check_rejected ("[printer]\ncopies-per-visit=0\n", "[printer] copies-per-visit");
  check_rejected ("[printer]\ncopies-per-visit=11\n", "from 1 to 10");
  check_rejected ("[printer]\ncopies-per-visit=two\n", "[printer] copies-per-visit");
  check_rejected ("[printer]\nprinter=front desk\n", "[printer] printer");
  check_rejected ("[printer]\nprinter=a/b\n", "[printer] printer");
  check_rejected ("[printer]\nprinter=caf\xc3\xa9\n", "[printer] printer");
  check_rejected ("[printer]\nprinter=http://host/ipp/print\n", "ipp or ipps");
  check_rejected ("[printer]\nprinter=ipp://user:secret@host/ipp/print\n", "no user or password");
  check_rejected ("[printer]\nprinter=ipp:///ipp/print\n", "[printer] printer");
  check_rejected ("[printer]\nprinter=ipp://host\n", "with a host and a path");
  check_rejected ("[printer]\nprinter=ipp://ho st/x\n", "[printer] printer");
  check_rejected ("[printer]\ncolour=yes\n", "unknown key colour in [printer]");
  /* A refused file leaves the printer in force. */
  assert_false (hp_config_merge_data (config, "[printer]\nprinter=a b\n", strlen ("[printer]\nprinter=a b\n"), &error));
  assert_string_equal (hp_config_get_printer (config), "ipp://192.168.1.20:631/ipp/print");
}

static void
test_load_files (void **state G_GNUC_UNUSED)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hp-config-XXXXXX", NULL);
  g_autofree char *good = g_build_filename (dir, "good.conf", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.conf", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.conf", NULL);
  g_autoptr(HpConfig) config = NULL;
  g_autoptr(HpConfig) none = NULL;

  assert_true (g_file_set_contents (good, "[visit]\ngoodbye-seconds=3\n", -1, NULL));
  assert_true (g_file_set_contents (bad, "[visit]\ngoodbye-seconds=0\n", -1, NULL));

  config = hp_config_load (good, &error);
  assert_non_null (config);
  assert_int_equal (hp_config_get_goodbye_seconds (config), 3);

  none = hp_config_load (bad, &error);
  assert_null (none);
  assert_true (g_error_matches (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_VALUE));
  assert_non_null (strstr (error->message, bad));
  g_clear_error (&error);

  /* A file asked for by name must exist. */
  none = hp_config_load (missing, &error);
  assert_null (none);
  assert_true (g_error_matches (error, HP_CONFIG_ERROR, HP_CONFIG_ERROR_READ));

  assert_true (hp_test_tmpdir_remove (dir));
}

/* Spoken guidance plays through a sound device at a staff-set loudness;
 * a sink that would send the spoken results to a file or the network is
 * refused, as is anything that is not a plain description. */
static void
test_audio (void **state G_GNUC_UNUSED)
{
  static const char text[] = "[audio]\nsink= alsasink device=hw:1 \nvolume=25\n";
  g_autoptr(HpConfig) config = hp_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;

  assert_string_equal (hp_config_get_audio_sink (config), "autoaudiosink");
  assert_int_equal (hp_config_get_audio_volume (config), 40);
  assert_true (hp_config_merge_data (config, text, sizeof text - 1, &error));
  assert_null (error);
  assert_string_equal (hp_config_get_audio_sink (config), "alsasink device=hw:1");
  assert_int_equal (hp_config_get_audio_volume (config), 25);
  data = hp_config_to_data (config);
  assert_non_null (strstr (data, "[audio]\nsink=alsasink device=hw:1\nvolume=25\n"));

  check_rejected ("[audio]\nsink=\n", "[audio] sink");
  check_rejected ("[audio]\nsink=   \n", "[audio] sink");
  check_rejected ("[audio]\nsink=alsasink device=\"Haut-parleur é\"\n", "plain ASCII");
  check_rejected ("[audio]\nsink=filesink location=/tmp/words.raw\n", "only play to a sound device");
  check_rejected ("[audio]\nsink=audioconvert ! wavenc ! filesink location = /tmp/w.wav\n", "“location=” is refused");
  check_rejected ("[audio]\nsink=udpsink host = 10.0.0.9\n", "only play to a sound device");
  check_rejected ("[audio]\nsink=autoaudiosink\\x\n", "[audio] sink");
  check_rejected ("[audio]\nvolume=0\n", "[audio] volume must be a whole number from 1 to 100");
  check_rejected ("[audio]\nvolume=101\n", "[audio] volume");
  check_rejected ("[audio]\nvolume=loud\n", "[audio] volume");
  check_rejected ("[audio]\nvoice=robot\n", "unknown key voice in [audio]");

  /* A bad value leaves the settings in force. */
  assert_false (hp_config_merge_data (config, "[audio]\nvolume=0\n", strlen ("[audio]\nvolume=0\n"), &error));
  assert_int_equal (hp_config_get_audio_volume (config), 25);
  assert_string_equal (hp_config_get_audio_sink (config), "alsasink device=hw:1");
  {
    /* A long but plain description is taken whole; one too long is not. */
    g_autofree char *pad = g_strnfill (240, 'a');
    g_autofree char *fits = g_strdup_printf ("[audio]\nsink=fakesink name=%s\n", pad);
    g_autofree char *too_long = g_strdup_printf ("[audio]\nsink=fakesink name=%s%s\n", pad, pad);

    assert_true (hp_config_merge_data (config, fits, strlen (fits), &error));
    assert_int_equal (strlen (hp_config_get_audio_sink (config)), strlen ("fakesink name=") + 240);
    check_rejected (too_long, "at most 255");
  }
}

static void
test_round_trip (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpConfig) config = hp_config_new ();
  g_autoptr(HpConfig) copy = hp_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;

  static const char text_in[] = "[visit]\nidle-seconds=45\n[kiosk]\nlanguage=es\n";

  assert_true (hp_config_merge_data (config, text_in, sizeof text_in - 1, &error));
  text = hp_config_to_data (config);
  assert_true (hp_config_merge_data (copy, text, strlen (text), &error));
  again = hp_config_to_data (copy);
  assert_string_equal (text, again);
  assert_int_equal (hp_config_get_idle_seconds (copy), 45);
}

/* Every whole-number key of the table at one end of its range, in one
 * file; @odd, when set, at @odd_value instead. All at their least (or all
 * at their most) keeps the rules between keys (diastolic below systolic)
 * out of the way. */
static char *
uint_keys_at (gboolean           most,
              const HpConfigKey *odd,
              gint64             odd_value)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();

  for (guint i = 0; i < HP_CONFIG_N_KEYS; i++)
    {
      const HpConfigKey *key = &hp_config_keys[i];
      g_autofree char *text = NULL;

      if (key->type != HP_CONFIG_UINT)
        continue;
      text = g_strdup_printf ("%" G_GINT64_FORMAT,
                              key == odd ? odd_value : (gint64) (most ? key->max : key->min));
      g_key_file_set_value (file, key->group, key->name, text);
    }
  return g_key_file_to_data (file, NULL, NULL);
}

/* What healthpost-ctl config would print for @key. */
static char *
shown_value (HpConfig          *config,
             const HpConfigKey *key)
{
  g_autoptr(GKeyFile) shown = g_key_file_new ();
  g_autofree char *data = hp_config_to_data (config);

  assert_true (g_key_file_load_from_data (shown, data, strlen (data), G_KEY_FILE_NONE, NULL));
  return g_key_file_get_value (shown, key->group, key->name, NULL);
}

/* Every key of the table is whole: named, documented, with a default and
 * what its type needs; a group's keys follow each other, as the sample
 * writes a group once. */
static void
test_table_complete (void **state G_GNUC_UNUSED)
{
  g_autoptr(GHashTable) groups_done = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < HP_CONFIG_N_KEYS; i++)
    {
      const HpConfigKey *key = &hp_config_keys[i];

      if (key->group == NULL || key->name == NULL || key->doc == NULL)
        fail_msg ("key %u of the table has no group, name or doc", i);
      if ((key->fallback == NULL) != (key->type == HP_CONFIG_LANGUAGES))
        fail_msg ("[%s] %s: only the languages take their default from the build", key->group, key->name);
      if ((key->type == HP_CONFIG_CHOICE || key->type == HP_CONFIG_URI) && key->choices == NULL)
        fail_msg ("[%s] %s has no choices", key->group, key->name);
      if ((key->check != NULL) != (key->form != NULL))
        fail_msg ("[%s] %s: a check says what it takes in its form", key->group, key->name);
      if (key->type == HP_CONFIG_URI && (key->example == NULL || key->max == 0))
        fail_msg ("[%s] %s: a URI key needs an example and a longest length", key->group, key->name);
      if (i > 0 && !g_str_equal (hp_config_keys[i - 1].group, key->group))
        {
          if (g_hash_table_contains (groups_done, key->group))
            fail_msg ("[%s] %s is apart from its group's other keys", key->group, key->name);
          g_hash_table_add (groups_done, (gpointer) hp_config_keys[i - 1].group);
        }
    }
}

/* Each whole-number key takes both ends of its range and refuses the
 * numbers just outside it, naming the key and its range. */
static void
test_ranges_from_table (void **state G_GNUC_UNUSED)
{
  guint checked = 0;

  for (int most = 0; most <= 1; most++)
    {
      g_autoptr(HpConfig) config = hp_config_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *text = uint_keys_at (most, NULL, 0);

      if (!hp_config_merge_data (config, text, strlen (text), &error))
        fail_msg ("every key at its %s: %s", most ? "most" : "least", error->message);
      for (guint i = 0; i < HP_CONFIG_N_KEYS; i++)
        {
          const HpConfigKey *key = &hp_config_keys[i];
          g_autofree char *shown = NULL;
          g_autofree char *expected = NULL;

          if (key->type != HP_CONFIG_UINT)
            continue;
          assert_true (key->min <= key->max);
          shown = shown_value (config, key);
          expected = g_strdup_printf ("%u", most ? key->max : key->min);
          if (g_strcmp0 (shown, expected) != 0)
            fail_msg ("[%s] %s is %s, not %s", key->group, key->name, shown, expected);
        }
    }

  for (guint i = 0; i < HP_CONFIG_N_KEYS; i++)
    {
      const HpConfigKey *key = &hp_config_keys[i];
      g_autofree char *words = NULL;

      if (key->type != HP_CONFIG_UINT)
        continue;
      words = g_strdup_printf ("[%s] %s must be a whole number from %u to %u",
                               key->group, key->name, key->min, key->max);
      for (int most = 0; most <= 1; most++)
        {
          gint64 outside = most ? (gint64) key->max + 1 : (gint64) key->min - 1;
          g_autofree char *text = uint_keys_at (most, key, outside);

          check_rejected (text, words);
        }
      checked++;
    }
  assert_true (checked > 0);
}

/* Each key with a list of choices takes every one of them and refuses
 * anything else. */
static void
test_choices_from_table (void **state G_GNUC_UNUSED)
{
  guint checked = 0;

  for (guint i = 0; i < HP_CONFIG_N_KEYS; i++)
    {
      const HpConfigKey *key = &hp_config_keys[i];
      g_autofree char *refused = NULL;
      g_autofree char *words = NULL;

      if (key->type != HP_CONFIG_CHOICE)
        continue;
      for (guint c = 0; key->choices[c] != NULL; c++)
        {
          g_autoptr(HpConfig) config = hp_config_new ();
          g_autoptr(GError) error = NULL;
          g_autofree char *text = g_strdup_printf ("[%s]\n%s=%s\n", key->group, key->name, key->choices[c]);
          g_autofree char *shown = NULL;

          if (!hp_config_merge_data (config, text, strlen (text), &error))
            fail_msg ("[%s] %s=%s: %s", key->group, key->name, key->choices[c], error->message);
          shown = shown_value (config, key);
          assert_string_equal (shown, key->choices[c]);
        }
      refused = g_strdup_printf ("[%s]\n%s=%s-not\n", key->group, key->name, key->choices[0]);
      words = g_strdup_printf ("[%s] %s must be one of: ", key->group, key->name);
      check_rejected (refused, words);
      checked++;
    }
  assert_true (checked > 0);
}

/* The file installed beside the kiosk is the one the table writes: a key
 * added, changed or documented in the table and not in the file (or the
 * other way round) fails here. */
static void
test_sample_file_is_the_table (void **state G_GNUC_UNUSED)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *checked_in = NULL;
  g_autofree char *sample = hp_config_dup_sample ();
  g_auto(GStrv) file_lines = NULL;
  g_auto(GStrv) sample_lines = NULL;

  if (!g_file_get_contents (sample_path, &checked_in, NULL, &error))
    fail_msg ("%s: %s", sample_path, error->message);
  if (g_str_equal (checked_in, sample))
    return;
  file_lines = g_strsplit (checked_in, "\n", -1);
  sample_lines = g_strsplit (sample, "\n", -1);
  for (guint i = 0; ; i++)
    if (file_lines[i] == NULL || sample_lines[i] == NULL || !g_str_equal (file_lines[i], sample_lines[i]))
      fail_msg ("%s differs from the table of keys at line %u:\n  file:  %s\n  table: %s\n"
                "(healthpost-ctl config --sample > app/config/healthpost.conf writes it afresh)",
                sample_path, i + 1, file_lines[i] != NULL ? file_lines[i] : "(end)",
                sample_lines[i] != NULL ? sample_lines[i] : "(end)");
}

/* Every key is in the sample once, at its default: the sample with each
 * "# key=value" line taken in is a valid file that changes nothing. */
static void
test_sample_shows_the_defaults (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpConfig) config = hp_config_new ();
  g_autoptr(HpConfig) defaults = hp_config_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) taken = g_string_new (NULL);
  g_autofree char *sample = hp_config_dup_sample ();
  g_autofree char *config_data = NULL;
  g_autofree char *defaults_data = NULL;
  g_auto(GStrv) lines = g_strsplit (sample, "\n", -1);
  gboolean seen[HP_CONFIG_N_KEYS] = { FALSE };
  g_autofree char *group = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *equals = strchr (lines[i], '=');

      if (lines[i][0] == '[')
        {
          g_free (group);
          group = g_strndup (lines[i] + 1, strcspn (lines[i] + 1, "]"));
        }
      else if (g_str_has_prefix (lines[i], "# ") && equals != NULL && group != NULL)
        {
          g_autofree char *name = g_strndup (lines[i] + 2, (gsize) (equals - lines[i] - 2));

          for (guint k = 0; k < HP_CONFIG_N_KEYS; k++)
            if (g_str_equal (hp_config_keys[k].group, group) && g_str_equal (hp_config_keys[k].name, name))
              {
                if (seen[k])
                  fail_msg ("[%s] %s is in the sample twice", group, name);
                seen[k] = TRUE;
                g_string_append_printf (taken, "%s\n", lines[i] + 2);
              }
          continue;
        }
      g_string_append_printf (taken, "%s\n", lines[i]);
    }
  for (guint k = 0; k < HP_CONFIG_N_KEYS; k++)
    if (!seen[k])
      fail_msg ("[%s] %s is not in the sample", hp_config_keys[k].group, hp_config_keys[k].name);

  if (!hp_config_merge_data (config, taken->str, taken->len, &error))
    fail_msg ("the sample's defaults are refused: %s", error->message);
  config_data = hp_config_to_data (config);
  defaults_data = hp_config_to_data (defaults);
  assert_string_equal (config_data, defaults_data);
}

int
main (int   argc,
      char *argv[])
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_defaults),
    cmocka_unit_test (test_demo_database_in_user_data_dir),
    cmocka_unit_test (test_overrides),
    cmocka_unit_test (test_bad_values),
    cmocka_unit_test (test_nul_byte_refused),
    cmocka_unit_test (test_only_small_regular_files),
    cmocka_unit_test (test_emergency_number),
    cmocka_unit_test (test_printer),
    cmocka_unit_test (test_load_files),
    cmocka_unit_test (test_audio),
    cmocka_unit_test (test_round_trip),
    cmocka_unit_test (test_table_complete),
    cmocka_unit_test (test_ranges_from_table),
    cmocka_unit_test (test_choices_from_table),
    cmocka_unit_test (test_sample_file_is_the_table),
    cmocka_unit_test (test_sample_shows_the_defaults),
  };

  if (argc != 2)
    {
      g_printerr ("usage: %s SAMPLE-FILE\n", argv[0]);
      return 2;
    }
  sample_path = argv[1];

  return cmocka_run_group_tests_name ("config", tests, NULL, NULL);
}
