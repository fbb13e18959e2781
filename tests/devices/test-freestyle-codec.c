/* Tests of the FreeStyle shared-HID codec: message framing, text replies, record sets, clocks and record layouts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hp-freestyle-codec.h"

/* "text" + "CKSM:<sum of text>\r\nCMD OK\r\n" */
static char *
reply_for (const char *text)
{
  return g_strdup_printf ("%sCKSM:%08X\r\nCMD OK\r\n", text,
                          hp_freestyle_checksum ((const guint8 *) text, strlen (text)));
}

/* A record set with its count and checksum line. */
static char *
records_for (const char *lines,
             guint       count)
{
  return g_strdup_printf ("%s%u,%08X\r\n", lines, count,
                          hp_freestyle_checksum ((const guint8 *) lines, strlen (lines)));
}

static void
test_message_framing (void **state G_GNUC_UNUSED)
{
  static const guint8 init_reply[] = { 0x71, 0x01, 0x01 };
  static const guint8 keepalive[] = { 0x22, 0x01, 0x05 };
  guint8 report[HP_FREESTYLE_REPORT_SIZE];
  guint8 big[HP_FREESTYLE_DATA_MAX + 1] = { 0 };
  const guint8 *data;
  gsize len, offset = 0;
  guint8 type;
  g_autoptr(GError) error = NULL;

  /* INIT is "01 00" and 62 zero bytes. */
  assert_true (hp_freestyle_encode_message (report, HP_FREESTYLE_TYPE_INIT, NULL, 0));
  assert_int_equal (report[0], 0x01);
  assert_int_equal (report[1], 0x00);
  for (gsize i = 2; i < sizeof report; i++)
    assert_int_equal (report[i], 0);
  assert_true (hp_freestyle_encode_message (report, HP_FREESTYLE_TYPE_TEXT, (const guint8 *) "$date?", 6));
  assert_int_equal (report[0], 0x60);
  assert_int_equal (report[1], 6);
  assert_memory_equal (report + 2, "$date?", 6);
  assert_false (hp_freestyle_encode_message (report, HP_FREESTYLE_TYPE_TEXT, big, sizeof big));

  assert_true (hp_freestyle_decode_message (init_reply, sizeof init_reply, &type, &data, &len, NULL, NULL));
  assert_int_equal (type, HP_FREESTYLE_TYPE_INIT_REPLY);
  assert_int_equal (len, 1);
  assert_int_equal (data[0], 0x01);
  assert_true (hp_freestyle_decode_message (keepalive, sizeof keepalive, &type, &data, &len, NULL, NULL));
  assert_int_equal (type, HP_FREESTYLE_TYPE_KEEPALIVE);

  /* A length above 62, a length past the end, a report too short. */
  memset (report, 0, sizeof report);
  report[0] = 0x60;
  report[1] = 63;
  assert_false (hp_freestyle_decode_message (report, sizeof report, &type, &data, &len, &offset, &error));
  assert_int_equal (error->code, HP_FREESTYLE_ERROR_MALFORMED);
  assert_int_equal (offset, 1);
  g_clear_error (&error);
  assert_false (hp_freestyle_decode_message (init_reply, 2, &type, &data, &len, &offset, &error));
  assert_int_equal (error->code, HP_FREESTYLE_ERROR_TRUNCATED);
  g_clear_error (&error);
  assert_false (hp_freestyle_decode_message (init_reply, 1, &type, &data, &len, &offset, &error));
  assert_int_equal (offset, 1);
}

static void
test_text_reply (void **state G_GNUC_UNUSED)
{
  g_autofree char *reply = reply_for ("JCMV422-C1153\r\n");
  g_autofree char *bad = g_strdup (reply);
  const guint8 *body;
  gsize body_len, offset = 0;
  g_autoptr(GError) error = NULL;
  static const char failed[] = "CKSM:00000000\r\nCMD Fail!\r\n";

  assert_true (hp_freestyle_text_complete ((const guint8 *) reply, strlen (reply)));
  assert_false (hp_freestyle_text_complete ((const guint8 *) reply, strlen (reply) - 1));
  assert_true (hp_freestyle_parse_text_reply ((const guint8 *) reply, strlen (reply), &body, &body_len, NULL, &error));
  assert_null (error);
  assert_int_equal (body_len, strlen ("JCMV422-C1153\r\n"));
  assert_memory_equal (body, "JCMV422-C1153\r\n", body_len);

  /* The checksum covers every byte before "CKSM:". */
  bad[0] = 'K';
  assert_false (hp_freestyle_parse_text_reply ((const guint8 *) bad, strlen (bad), &body, &body_len, &offset, &error));
  assert_int_equal (error->code, HP_FREESTYLE_ERROR_CHECKSUM);
  assert_int_equal (offset, strlen ("JCMV422-C1153\r\nCKSM:"));
  g_clear_error (&error);

  assert_true (hp_freestyle_text_complete ((const guint8 *) failed, strlen (failed)));
  assert_false (hp_freestyle_parse_text_reply ((const guint8 *) failed, strlen (failed), &body, &body_len, NULL, &error));
  assert_int_equal (error->code, HP_FREESTYLE_ERROR_FAILED);
  g_clear_error (&error);

  /* Lower-case hex, a missing CKSM line, no status line. */
  assert_false (hp_freestyle_parse_text_reply ((const guint8 *) "x\r\nCKSM:0000007a\r\nCMD OK\r\n", 26, &body,
                                               &body_len, NULL, &error));
  assert_int_equal (error->code, HP_FREESTYLE_ERROR_MALFORMED);
  g_clear_error (&error);
  assert_false (hp_freestyle_parse_text_reply ((const guint8 *) "x\r\nCMD OK\r\n", 11, &body, &body_len, NULL, &error));
  assert_int_equal (error->code, HP_FREESTYLE_ERROR_MALFORMED);
  g_clear_error (&error);
  assert_false (hp_freestyle_parse_text_reply ((const guint8 *) "x\r\n", 3, &body, &body_len, NULL, &error));
  assert_int_equal (error->code, HP_FREESTYLE_ERROR_TRUNCATED);
}

static void
test_records (void **state G_GNUC_UNUSED)
{
  g_autofree char *set = records_for ("7,4,5,17,24,13,3,0,93,0,1\r\n7,3,5,16,24,19,40,0,131,0,1\r\n", 2);
  g_autofree char *bad_count = records_for ("7,4,5,17,24,13,3,0,93,0,1\r\n", 2);
  g_autofree char *bad_sum = g_strdup (set);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  gsize offset = 0;
  const char * const *first;

  records = hp_freestyle_parse_records ((const guint8 *) set, strlen (set), NULL, &error);
  assert_non_null (records);
  assert_int_equal (records->len, 2);
  first = g_ptr_array_index (records, 0);
  assert_string_equal (first[0], "7");
  assert_string_equal (first[8], "93");
  g_clear_pointer (&records, g_ptr_array_unref);

  records = hp_freestyle_parse_records ((const guint8 *) "Log Empty\r\n", 11, NULL, &error);
  assert_non_null (records);
  assert_int_equal (records->len, 0);
  g_clear_pointer (&records, g_ptr_array_unref);

  assert_null (hp_freestyle_parse_records ((const guint8 *) bad_count, strlen (bad_count), NULL, &error));
  assert_int_equal (error->code, HP_FREESTYLE_ERROR_MALFORMED);
  g_clear_error (&error);

  bad_sum[2] = '5';
  assert_null (hp_freestyle_parse_records ((const guint8 *) bad_sum, strlen (bad_sum), &offset, &error));
  assert_int_equal (error->code, HP_FREESTYLE_ERROR_CHECKSUM);
  g_clear_error (&error);

  /* Lines must end CR LF; the last must be count and checksum. */
  assert_null (hp_freestyle_parse_records ((const guint8 *) "7,1\n1,0000009A\r\n", 17, NULL, &error));
  g_clear_error (&error);
  assert_null (hp_freestyle_parse_records ((const guint8 *) "7,1\r\n1\r\n", 8, NULL, &error));
  g_clear_error (&error);
  assert_null (hp_freestyle_parse_records ((const guint8 *) "\n\r\n", 3, NULL, &error));
  g_clear_error (&error);
  assert_null (hp_freestyle_parse_records ((const guint8 *) "7,1\r\n1,0000009A", 15, NULL, &error));
  assert_int_equal (error->code, HP_FREESTYLE_ERROR_TRUNCATED);
}

static void
test_clock_replies (void **state G_GNUC_UNUSED)
{
  HpFreestyleTime time = { 0 };
  gboolean lost = TRUE;
  g_autoptr(GError) error = NULL;

  assert_true (hp_freestyle_parse_date ((const guint8 *) "5,17,24\r\n", 9, &time, &lost, &error));
  assert_false (lost);
  assert_int_equal (time.year, 2024);
  assert_int_equal (time.month, 5);
  assert_int_equal (time.day, 17);
  assert_true (hp_freestyle_parse_time ((const guint8 *) "13,4\r\n", 6, &time, &lost, &error));
  assert_false (lost);
  assert_int_equal (time.hour, 13);
  assert_int_equal (time.minute, 4);

  /* 255 everywhere: the clock lost power. */
  assert_true (hp_freestyle_parse_date ((const guint8 *) "255,255,255\r\n", 13, &time, &lost, NULL));
  assert_true (lost);
  assert_true (hp_freestyle_parse_time ((const guint8 *) "255,255\r\n", 9, &time, &lost, NULL));
  assert_true (lost);

  assert_false (hp_freestyle_parse_date ((const guint8 *) "2,30,24\r\n", 9, &time, &lost, NULL));
  assert_false (hp_freestyle_parse_date ((const guint8 *) "5,17\r\n", 6, &time, &lost, NULL));
  assert_false (hp_freestyle_parse_date ((const guint8 *) "5,17,24,1\r\n", 11, &time, &lost, NULL));
  assert_false (hp_freestyle_parse_date ((const guint8 *) "5,17,24", 7, &time, &lost, NULL));
  assert_false (hp_freestyle_parse_time ((const guint8 *) "24,0\r\n", 6, &time, &lost, NULL));
  assert_false (hp_freestyle_parse_time ((const guint8 *) "1,,\r\n", 5, &time, &lost, NULL));
  assert_false (hp_freestyle_parse_time ((const guint8 *) "1234,5\r\n", 8, &time, &lost, NULL));
}

static void
test_neo_records (void **state G_GNUC_UNUSED)
{
  const char *glucose[] = { "7", "4", "5", "17", "24", "13", "3", "0", "93", "0", "1", "0", NULL };
  const char *control[] = { "7", "2", "5", "16", "24", "7", "50", "0", "120", "0", "0", "0", NULL };
  const char *high[] = { "7", "5", "5", "17", "24", "13", "9", "0", "HI", "0", "1", NULL };
  const char *lost[] = { "7", "6", "255", "255", "255", "255", "255", "0", "101", "0", "1", NULL };
  const char *insulin[] = { "10", "3", "5", "17", "24", "13", "3", "0", "1", "4", "0", NULL };
  const char *short_glucose[] = { "7", "4", "5", "17", "24", "13", "3", "0", "93", NULL };
  const char *bad_date[] = { "7", "4", "2", "30", "24", "13", "3", "0", "93", "0", "1", NULL };
  const char *bad_value[] = { "7", "4", "5", "17", "24", "13", "3", "0", "9.3", "0", "1", NULL };
  HpFreestyleRecord record;
  g_autoptr(GError) error = NULL;

  assert_true (hp_freestyle_parse_glucose_record (HP_FREESTYLE_LAYOUT_NEO, glucose, &record, &error));
  assert_int_equal (record.kind, HP_FREESTYLE_RECORD_GLUCOSE);
  assert_int_equal (record.id, 4);
  assert_true (record.value == 93);
  assert_false (record.time_lost);
  assert_int_equal (record.time.year, 2024);
  assert_int_equal (record.time.minute, 3);

  assert_true (hp_freestyle_parse_glucose_record (HP_FREESTYLE_LAYOUT_NEO, control, &record, NULL));
  assert_int_equal (record.kind, HP_FREESTYLE_RECORD_CONTROL);
  assert_true (hp_freestyle_parse_glucose_record (HP_FREESTYLE_LAYOUT_NEO, high, &record, NULL));
  assert_int_equal (record.kind, HP_FREESTYLE_RECORD_HIGH);
  assert_true (hp_freestyle_parse_glucose_record (HP_FREESTYLE_LAYOUT_NEO, lost, &record, NULL));
  assert_int_equal (record.kind, HP_FREESTYLE_RECORD_GLUCOSE);
  assert_true (record.time_lost);
  assert_true (hp_freestyle_parse_glucose_record (HP_FREESTYLE_LAYOUT_NEO, insulin, &record, NULL));
  assert_int_equal (record.kind, HP_FREESTYLE_RECORD_OTHER);

  assert_false (hp_freestyle_parse_glucose_record (HP_FREESTYLE_LAYOUT_NEO, short_glucose, &record, &error));
  assert_int_equal (error->code, HP_FREESTYLE_ERROR_MALFORMED);
  g_clear_error (&error);
  assert_false (hp_freestyle_parse_glucose_record (HP_FREESTYLE_LAYOUT_NEO, bad_date, &record, &error));
  g_clear_error (&error);
  assert_false (hp_freestyle_parse_glucose_record (HP_FREESTYLE_LAYOUT_NEO, bad_value, &record, &error));
}

static void
test_other_layouts (void **state G_GNUC_UNUSED)
{
  const char *insulinx[] = { "0", "12", "3", "9", "23", "8", "15", "0", "0", "0", "0", "0", "0", "104", "0", "0", NULL };
  const char *libre_blood[] = { "271", "2", "3", "9", "23", "8", "15", "42", "1", "0", "0", "0", "98", "0", "0", "0", "0", NULL };
  const char *libre_sensor[] = { "272", "2", "3", "9", "23", "8", "20", "0", "1", "2", "0", "0", "110", "1", "3", "0", "0", NULL };
  const char *libre_event[] = { "273", "5", "3", "9", "23", "8", "20", "0", "1", NULL };
  HpFreestyleRecord record;

  assert_string_equal (hp_freestyle_layout_result_command (HP_FREESTYLE_LAYOUT_NEO), "$result?");
  assert_string_equal (hp_freestyle_layout_result_command (HP_FREESTYLE_LAYOUT_LIBRE), "$arresult?");
  assert_string_equal (hp_freestyle_layout_serial_command (HP_FREESTYLE_LAYOUT_LIBRE), "$sn?");
  assert_string_equal (hp_freestyle_layout_serial_command (HP_FREESTYLE_LAYOUT_INSULINX), "$serlnum?");

  assert_true (hp_freestyle_parse_glucose_record (HP_FREESTYLE_LAYOUT_INSULINX, insulinx, &record, NULL));
  assert_int_equal (record.kind, HP_FREESTYLE_RECORD_GLUCOSE);
  assert_int_equal (record.id, 12);
  assert_true (record.value == 104);
  assert_int_equal (record.time.year, 2023);

  assert_true (hp_freestyle_parse_glucose_record (HP_FREESTYLE_LAYOUT_LIBRE, libre_blood, &record, NULL));
  assert_int_equal (record.kind, HP_FREESTYLE_RECORD_GLUCOSE);
  assert_int_equal (record.id, 271);
  assert_true (record.value == 98);
  assert_int_equal (record.time.second, 42);
  /* A sensor scan and a time-change event are not blood tests. */
  assert_true (hp_freestyle_parse_glucose_record (HP_FREESTYLE_LAYOUT_LIBRE, libre_sensor, &record, NULL));
  assert_int_equal (record.kind, HP_FREESTYLE_RECORD_OTHER);
  assert_true (hp_freestyle_parse_glucose_record (HP_FREESTYLE_LAYOUT_LIBRE, libre_event, &record, NULL));
  assert_int_equal (record.kind, HP_FREESTYLE_RECORD_OTHER);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_message_framing),
    cmocka_unit_test (test_text_reply),
    cmocka_unit_test (test_records),
    cmocka_unit_test (test_clock_replies),
    cmocka_unit_test (test_neo_records),
    cmocka_unit_test (test_other_layouts),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
