/* Tests of the ASTM E1381/E1394 codec on hand-built frames and on records published for Contour meters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hp-astm.h"

/* A Contour Next USB header as glucometerutils' tests quote it. */
static const char contour_header[] =
  "H|\\^&||7w3LBL|Bayer7390^01.24\\01.04\\09.02.20^7390-2336773^7403-|A=1^C=63^G=1^I=0200^R=0^S=1^"
  "U=0^V=10600^X=070070070070180130150250^Y=360126090050099050300089^Z=1|1714||||||1|201909221304";

static GByteArray *
frame_of (guint8      number,
          const char *text,
          gboolean    final)
{
  GByteArray *frame = g_byte_array_new ();

  hp_astm_encode_frame (frame, number, text, strlen (text), final);
  return frame;
}

static void
test_checksum_of_published_frames (void **state G_GNUC_UNUSED)
{
  /* The header frame glucometerutils captured ends "<CR><ETB>D7"; Tidepool's
   * record frame "5R|3|...<CR><ETB>74". */
  g_autofree char *header_text = g_strconcat ("1", contour_header, "\r\x17", NULL);
  static const char record_text[] = "5R|3|^^^Glucose|93|mg/dL^P||A/M0/T1||201505261150\r\x17";

  assert_int_equal (hp_astm_checksum ((const guint8 *) header_text, strlen (header_text)), 0xD7);
  assert_int_equal (hp_astm_checksum ((const guint8 *) record_text, strlen (record_text)), 0x74);
  assert_int_equal (hp_astm_checksum (NULL, 0), 0);
}

static void
test_decode_published_record_frame (void **state G_GNUC_UNUSED)
{
  static const char wire[] = "\x02" "5R|3|^^^Glucose|93|mg/dL^P||A/M0/T1||201505261150\r\x17" "74\r\n";
  g_autoptr(GError) error = NULL;
  HpAstmFrame frame;

  assert_true (hp_astm_decode_frame ((const guint8 *) wire, strlen (wire), &frame, NULL, &error));
  assert_null (error);
  assert_int_equal (frame.number, 5);
  assert_false (frame.final);
  assert_int_equal (frame.frame_len, strlen (wire));
  assert_int_equal (frame.text_len, strlen ("R|3|^^^Glucose|93|mg/dL^P||A/M0/T1||201505261150\r"));
  assert_memory_equal (frame.text, "R|3|", 4);
}

static void
test_encode_round_trip_and_numbers (void **state G_GNUC_UNUSED)
{
  g_autoptr(GByteArray) wire = frame_of (7, "L|1||N\r", TRUE);
  HpAstmFrame frame;

  assert_int_equal (wire->data[0], HP_ASTM_STX);
  assert_int_equal (wire->data[1], '7');
  assert_int_equal (wire->data[wire->len - 5], HP_ASTM_ETX);
  assert_int_equal (wire->data[wire->len - 2], HP_ASTM_CR);
  assert_int_equal (wire->data[wire->len - 1], HP_ASTM_LF);
  assert_true (hp_astm_decode_frame (wire->data, wire->len, &frame, NULL, NULL));
  assert_int_equal (frame.number, 7);
  assert_true (frame.final);
  assert_int_equal (frame.text_len, 7);

  /* Frame numbers wrap from 7 to 0. */
  assert_int_equal (hp_astm_next_frame_number (1), 2);
  assert_int_equal (hp_astm_next_frame_number (7), 0);
  assert_int_equal (hp_astm_next_frame_number (0), 1);
}

static void
assert_frame_error (const guint8 *data,
                    gsize         len,
                    HpAstmError   code,
                    gsize         offset)
{
  g_autoptr(GError) error = NULL;
  gsize error_offset = G_MAXSIZE;
  HpAstmFrame frame;

  assert_false (hp_astm_decode_frame (data, len, &frame, &error_offset, &error));
  assert_non_null (error);
  assert_true (error->domain == HP_ASTM_ERROR);
  assert_int_equal (error->code, code);
  assert_int_equal (error_offset, offset);
}

static void
test_bad_frames (void **state G_GNUC_UNUSED)
{
  g_autoptr(GByteArray) good = frame_of (3, "P|1\r", FALSE);
  g_autoptr(GByteArray) bad = NULL;
  g_autofree char *long_text = NULL;
  gsize checksum_at = good->len - 4;

  /* A wrong checksum digit, a lower-case one, a missing LF. */
  bad = g_byte_array_new ();
  g_byte_array_append (bad, good->data, good->len);
  bad->data[checksum_at] = bad->data[checksum_at] == '0' ? '1' : '0';
  assert_frame_error (bad->data, bad->len, HP_ASTM_ERROR_CHECKSUM, checksum_at);

  g_byte_array_set_size (bad, 0);
  g_byte_array_append (bad, (const guint8 *) "\x02" "1H\x03" "ab\r\n", 8);
  assert_frame_error (bad->data, bad->len, HP_ASTM_ERROR_MALFORMED, 4);

  g_byte_array_set_size (bad, 0);
  g_byte_array_append (bad, good->data, good->len);
  bad->data[bad->len - 1] = 'X';
  assert_frame_error (bad->data, bad->len, HP_ASTM_ERROR_MALFORMED, bad->len - 1);

  /* Frame number 8, no STX, a frame cut anywhere. */
  g_byte_array_set_size (bad, 0);
  g_byte_array_append (bad, good->data, good->len);
  bad->data[1] = '8';
  assert_frame_error (bad->data, bad->len, HP_ASTM_ERROR_MALFORMED, 1);
  assert_frame_error (good->data + 1, good->len - 1, HP_ASTM_ERROR_MALFORMED, 0);
  for (gsize cut = 0; cut < good->len; cut++)
    {
      g_autoptr(GError) error = NULL;
      HpAstmFrame frame;

      assert_false (hp_astm_decode_frame (good->data, cut, &frame, NULL, &error));
      assert_int_equal (error->code, HP_ASTM_ERROR_TRUNCATED);
    }

  /* A control character inside the text, and a text beyond the limit. */
  g_byte_array_set_size (bad, 0);
  g_byte_array_append (bad, (const guint8 *) "\x02" "1H\x05|\x03" "00\r\n", 10);
  assert_frame_error (bad->data, bad->len, HP_ASTM_ERROR_MALFORMED, 3);

  long_text = g_strnfill (HP_ASTM_TEXT_MAX + 1, 'x');
  g_clear_pointer (&bad, g_byte_array_unref);
  bad = frame_of (1, long_text, TRUE);
  assert_frame_error (bad->data, bad->len, HP_ASTM_ERROR_TOO_LONG, 2 + HP_ASTM_TEXT_MAX);
}

static void
test_record_reader_reassembles (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpAstmRecordReader) reader = hp_astm_record_reader_new ();
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GByteArray) first = frame_of (1, "H|\\^&\rR|1|^^^Glu", FALSE);
  g_autoptr(GByteArray) second = frame_of (2, "cose|93|mg/dL\r", FALSE);
  g_autoptr(GByteArray) last = frame_of (3, "L|1", TRUE);
  HpAstmFrame frame;

  /* One frame with a whole record and half of the next, the other half, and
   * a last frame whose record ends with ETX alone. */
  assert_true (hp_astm_decode_frame (first->data, first->len, &frame, NULL, NULL));
  assert_true (hp_astm_record_reader_add (reader, &frame, records, NULL));
  assert_int_equal (records->len, 1);
  assert_string_equal (g_ptr_array_index (records, 0), "H|\\^&");

  assert_true (hp_astm_decode_frame (second->data, second->len, &frame, NULL, NULL));
  assert_true (hp_astm_record_reader_add (reader, &frame, records, NULL));
  assert_int_equal (records->len, 2);
  assert_string_equal (g_ptr_array_index (records, 1), "R|1|^^^Glucose|93|mg/dL");

  assert_true (hp_astm_decode_frame (last->data, last->len, &frame, NULL, NULL));
  assert_true (hp_astm_record_reader_add (reader, &frame, records, NULL));
  assert_int_equal (records->len, 3);
  assert_string_equal (g_ptr_array_index (records, 2), "L|1");
  assert_int_equal (hp_astm_record_type (g_ptr_array_index (records, 2)), 'L');
}

static void
test_record_reader_limits (void **state G_GNUC_UNUSED)
{
  g_autoptr(HpAstmRecordReader) reader = hp_astm_record_reader_new ();
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *chunk = g_strnfill (1000, 'x');
  g_autoptr(GError) error = NULL;
  HpAstmFrame frame = { .number = 1, .final = FALSE, .text = (const guint8 *) chunk, .text_len = 1000 };
  gboolean ok = TRUE;

  /* A record that never ends is refused once it passes the limit. */
  for (guint i = 0; i < 20 && ok; i++)
    ok = hp_astm_record_reader_add (reader, &frame, records, &error);
  assert_false (ok);
  assert_int_equal (error->code, HP_ASTM_ERROR_TOO_LONG);
  assert_int_equal (records->len, 0);
}

static void
test_parse_published_header (void **state G_GNUC_UNUSED)
{
  g_autoptr(GError) error = NULL;
  HpAstmHeader header;

  assert_true (hp_astm_parse_header (contour_header, &header, NULL, &error));
  assert_null (error);
  assert_int_equal (header.delimiters.field, '|');
  assert_int_equal (header.delimiters.repeat, '\\');
  assert_int_equal (header.delimiters.component, '^');
  assert_int_equal (header.delimiters.escape, '&');
  assert_string_equal (header.product, "Bayer7390");
  assert_string_equal (header.serial, "7390-2336773");
  assert_int_equal (header.unit, HP_ASTM_UNIT_MG_DL);
  assert_true (header.has_record_count);
  assert_int_equal (header.record_count, 1714);
  assert_true (header.has_time);
  assert_int_equal (header.time.year, 2019);
  assert_int_equal (header.time.month, 9);
  assert_int_equal (header.time.day, 22);
  assert_int_equal (header.time.hour, 13);
  assert_int_equal (header.time.minute, 4);
}

static void
test_parse_header_units_and_errors (void **state G_GNUC_UNUSED)
{
  g_autofree char *mmol = g_strdup (contour_header);
  g_autofree char *other_unit = g_strdup (contour_header);
  HpAstmHeader header;
  gsize offset = 0;
  g_autoptr(GError) error = NULL;

  strstr (mmol, "U=0")[2] = '1';
  assert_true (hp_astm_parse_header (mmol, &header, NULL, NULL));
  assert_int_equal (header.unit, HP_ASTM_UNIT_MMOL_L);

  /* A setting no source explains leaves the unit unknown: each result
   * names its own. */
  strstr (other_unit, "U=0")[2] = '7';
  assert_true (hp_astm_parse_header (other_unit, &header, &offset, &error));
  assert_null (error);
  assert_int_equal (header.unit, HP_ASTM_UNIT_UNKNOWN);

  /* Delimiters that repeat, are letters, or are not followed by the field
   * delimiter; a header with nothing after them; a non-header. */
  assert_false (hp_astm_parse_header ("H||^&|", &header, NULL, NULL));
  assert_false (hp_astm_parse_header ("H|a^&|", &header, NULL, NULL));
  assert_false (hp_astm_parse_header ("H|\\^&x", &header, NULL, NULL));
  assert_false (hp_astm_parse_header ("H|\\^", &header, NULL, NULL));
  assert_false (hp_astm_parse_header ("P|1", &header, NULL, NULL));
  assert_false (hp_astm_parse_header ("H|\\^&||x|y^1^bad serial!|||||||||19990231", &header, &offset, &error));
  assert_int_equal (error->code, HP_ASTM_ERROR_MALFORMED);
  g_clear_error (&error);
  /* February 31st is no date. */
  assert_false (hp_astm_parse_header ("H|\\^&||||||||||||199902311200", &header, NULL, &error));
  assert_int_equal (error->code, HP_ASTM_ERROR_MALFORMED);

  /* Other delimiters, declared by the header itself. */
  assert_true (hp_astm_parse_header ("H!@#$!!!P#1#SN-1!U=1#A=0!3!!!!!!1!202401021530", &header, NULL, NULL));
  assert_int_equal (header.delimiters.field, '!');
  assert_int_equal (header.delimiters.component, '#');
  assert_string_equal (header.serial, "SN-1");
  assert_int_equal (header.unit, HP_ASTM_UNIT_MMOL_L);
  assert_int_equal (header.record_count, 3);
  assert_int_equal (header.time.minute, 30);
}

static void
test_parse_published_results (void **state G_GNUC_UNUSED)
{
  static const HpAstmDelimiters d = { '|', '\\', '^', '&' };
  g_autoptr(GError) error = NULL;
  HpAstmResult result;

  assert_true (hp_astm_parse_result ("R|3|^^^Glucose|93|mg/dL^P||A/M0/T1||201505261150", &d, &result, NULL, &error));
  assert_null (error);
  assert_int_equal (result.sequence, 3);
  assert_string_equal (result.test, "Glucose");
  assert_true (result.has_value);
  assert_true (result.value == 93);
  assert_string_equal (result.unit, "mg/dL");
  assert_int_equal (result.flags, HP_ASTM_RESULT_FLAG_NONE);
  assert_true (result.has_time);
  assert_int_equal (result.time.year, 2015);
  assert_int_equal (result.time.month, 5);
  assert_int_equal (result.time.day, 26);
  assert_int_equal (result.time.hour, 11);
  assert_int_equal (result.time.minute, 50);

  assert_true (hp_astm_parse_result ("R|8|^^^Glucose|133|mg/dL^P||B/X||201202052034", &d, &result, NULL, NULL));
  assert_int_equal (result.sequence, 8);
  assert_true (result.value == 133);
  assert_int_equal (result.time.day, 5);
}

static void
test_parse_result_flags_units_errors (void **state G_GNUC_UNUSED)
{
  static const HpAstmDelimiters d = { '|', '\\', '^', '&' };
  HpAstmResult result;
  gsize offset = 0;
  g_autoptr(GError) error = NULL;

  assert_true (hp_astm_parse_result ("R|2|^^^Glucose|6.4|mmol/L^P||C||20240517093000", &d, &result, NULL, NULL));
  assert_true (result.value > 6.39 && result.value < 6.41);
  assert_string_equal (result.unit, "mmol/L");
  assert_int_equal (result.flags, HP_ASTM_RESULT_FLAG_CONTROL);
  assert_int_equal (result.time.second, 0);

  assert_true (hp_astm_parse_result ("R|4|^^^Glucose|600|mg/dL^P||>/M0||202405170930", &d, &result, NULL, NULL));
  assert_int_equal (result.flags, HP_ASTM_RESULT_FLAG_HIGH);
  assert_true (hp_astm_parse_result ("R|5|^^^Glucose|10|mg/dL^P||</T1||202405170930", &d, &result, NULL, NULL));
  assert_int_equal (result.flags, HP_ASTM_RESULT_FLAG_LOW);
  /* Markers that merely contain a C are not the control marker. */
  assert_true (hp_astm_parse_result ("R|6|^^^Glucose|99|mg/dL^P||CX/M0||202405170930", &d, &result, NULL, NULL));
  assert_int_equal (result.flags, HP_ASTM_RESULT_FLAG_NONE);
  /* A value that is not a number is kept as text, not turned into one. */
  assert_true (hp_astm_parse_result ("R|7|^^^Glucose|HI|mg/dL^P||||202405170930", &d, &result, NULL, NULL));
  assert_false (result.has_value);
  assert_string_equal (result.value_text, "HI");
  assert_true (hp_astm_parse_result ("R|7|^^^Glucose|-5|mg/dL^P||||202405170930", &d, &result, NULL, NULL));
  assert_false (result.has_value);

  assert_false (hp_astm_parse_result ("R|x|^^^Glucose|93|mg/dL", &d, &result, &offset, &error));
  assert_int_equal (offset, 2);
  g_clear_error (&error);
  assert_false (hp_astm_parse_result ("R|1|^^^Glucose|93|mg/dL^P||||2015052611", &d, &result, &offset, &error));
  assert_int_equal (error->code, HP_ASTM_ERROR_MALFORMED);
  assert_int_equal (offset, strlen ("R|1|^^^Glucose|93|mg/dL^P||||"));
  g_clear_error (&error);
  assert_false (hp_astm_parse_result ("R|1|^^^Glucose", &d, &result, NULL, &error));
  assert_int_equal (error->code, HP_ASTM_ERROR_TRUNCATED);
  assert_false (hp_astm_parse_result ("H|1", &d, &result, NULL, NULL));
}

static void
test_parse_time (void **state G_GNUC_UNUSED)
{
  HpAstmTime time;

  assert_true (hp_astm_parse_time ("202402291259", 12, &time));
  assert_int_equal (time.day, 29);
  assert_false (hp_astm_parse_time ("202302291259", 12, &time));
  assert_false (hp_astm_parse_time ("202401012400", 12, &time));
  assert_false (hp_astm_parse_time ("20240101120", 11, &time));
  assert_false (hp_astm_parse_time ("2024010112005", 13, &time));
  assert_false (hp_astm_parse_time ("20240101120060", 14, &time));
  assert_true (hp_astm_parse_time ("20240101120059", 14, &time));
  assert_int_equal (time.second, 59);
}

/* Frames a Contour Next USB (Bayer7410) sent, as the healer project's
 * tests quote them: a header with U=303, whose results carry their own
 * unit. Each frame's checksum is the meter's. */
static void
test_contour_next_frames (void **state G_GNUC_UNUSED)
{
  static const char *const wire[] = {
    "\x02" "1H|\\^&||7EyQm2|Bayer7410^01.10\\01.05\\10.03^7428-4293200^00000|A=1^C=03^"
    "G=en,en\\de\\fr\\it\\nl\\es\\pt\\sl\\hr\\da\\no\\fi\\sv\\el^I=0200^R=0^S=01^U=303^V=20600^"
    "X=054070054054180154154254054154^Y=360126099054120054252099^Z=1|226|||||P|1|20190621125555\r\x17" "F9\r\n",
    "\x02" "2P|1\r\x17" "53\r\n",
    "\x02" "4R|2|^^^Glucose|102|mg/dL^P||M0/T1||201402052135\r\x17" "26\r\n",
    "\x02" "4R|234|^^^Glucose|106|mg/dL^P||F/M0/T1||201907111026\r\x17" "0B\r\n",
    "\x02" "5L|1||N\r\x03" "84\r\n",
  };
  static const guint8 numbers[] = { 1, 2, 4, 4, 5 };
  g_autoptr(HpAstmRecordReader) reader = hp_astm_record_reader_new ();
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  HpAstmHeader header;
  HpAstmResult result;

  for (guint i = 0; i < G_N_ELEMENTS (wire); i++)
    {
      HpAstmFrame frame;

      if (!hp_astm_decode_frame ((const guint8 *) wire[i], strlen (wire[i]), &frame, NULL, &error))
        fail_msg ("frame %u: %s", i, error->message);
      assert_int_equal (frame.number, numbers[i]);
      assert_int_equal (frame.final, i + 1 == G_N_ELEMENTS (wire));
      assert_true (hp_astm_record_reader_add (reader, &frame, records, &error));
    }
  assert_int_equal (records->len, 5);

  assert_true (hp_astm_parse_header (g_ptr_array_index (records, 0), &header, NULL, &error));
  assert_string_equal (header.product, "Bayer7410");
  assert_string_equal (header.serial, "7428-4293200");
  assert_int_equal (header.unit, HP_ASTM_UNIT_UNKNOWN);
  assert_int_equal (header.record_count, 226);
  assert_int_equal (header.time.year, 2019);
  assert_int_equal (header.time.second, 55);

  assert_true (hp_astm_parse_result (g_ptr_array_index (records, 2), &header.delimiters, &result, NULL, &error));
  assert_int_equal (result.sequence, 2);
  assert_true (result.value == 102);
  assert_string_equal (result.unit, "mg/dL");
  assert_int_equal (result.time.year, 2014);
  assert_int_equal (result.time.hour, 21);
  assert_int_equal (result.time.minute, 35);
  assert_true (hp_astm_parse_result (g_ptr_array_index (records, 3), &header.delimiters, &result, NULL, &error));
  assert_int_equal (result.sequence, 234);
  assert_true (result.value == 106);
  assert_int_equal (result.time.month, 7);
  assert_int_equal (result.time.day, 11);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_checksum_of_published_frames),
    cmocka_unit_test (test_decode_published_record_frame),
    cmocka_unit_test (test_encode_round_trip_and_numbers),
    cmocka_unit_test (test_bad_frames),
    cmocka_unit_test (test_record_reader_reassembles),
    cmocka_unit_test (test_record_reader_limits),
    cmocka_unit_test (test_parse_published_header),
    cmocka_unit_test (test_parse_header_units_and_errors),
    cmocka_unit_test (test_parse_published_results),
    cmocka_unit_test (test_parse_result_flags_units_errors),
    cmocka_unit_test (test_parse_time),
    cmocka_unit_test (test_contour_next_frames),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
