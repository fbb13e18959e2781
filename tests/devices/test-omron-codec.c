/* Tests of the Omron codec: command bytes, report framing, replies and records of both monitor families. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hp-omron-codec.h"

static void
assert_same_record (const HpOmronRecord *a,
                    const HpOmronRecord *b)
{
  assert_int_equal (a->year, b->year);
  assert_int_equal (a->month, b->month);
  assert_int_equal (a->day, b->day);
  assert_int_equal (a->hour, b->hour);
  assert_int_equal (a->minute, b->minute);
  assert_int_equal (a->second, b->second);
  assert_int_equal (a->time_valid, b->time_valid);
  assert_int_equal (a->systolic, b->systolic);
  assert_int_equal (a->diastolic, b->diastolic);
  assert_int_equal (a->pulse, b->pulse);
  assert_int_equal (a->flags, b->flags);
}

/* Gathers the valid bytes of 8-byte reports into one message. */
static GByteArray *
join_reports (const guint8 reports[][HP_OMRON_HEM790_REPORT_SIZE],
              gsize        n_reports)
{
  GByteArray *joined = g_byte_array_new ();

  for (gsize i = 0; i < n_reports; i++)
    {
      const guint8 *payload;
      gsize payload_len;

      assert_true (hp_omron_hem790_report_payload (reports[i], HP_OMRON_HEM790_REPORT_SIZE,
                                                   &payload, &payload_len, NULL, NULL));
      g_byte_array_append (joined, payload, (guint) payload_len);
    }
  return joined;
}

static void
test_commands_790 (void **state G_GNUC_UNUSED)
{
  /* The notes' examples: GME for the newest record, GDC, END, VER00. */
  static const guint8 gme_newest[] = { 'G', 'M', 'E', 0x00, 0x00, 0x00, 0x00, 0x00 };
  static const guint8 gme_second[] = { 'G', 'M', 'E', 0x00, 0x00, 0x00, 0x01, 0x01 };
  static const guint8 gdc[] = { 'G', 'D', 'C', 0x00, 0x00, 0x00, 0x00, 0x00 };
  static const guint8 end[] = { 'E', 'N', 'D', 0xFF, 0xFF };
  guint8 out[HP_OMRON_HEM790_COMMAND_MAX];
  gsize len;

  len = hp_omron_hem790_encode_reading (0, 0, out, sizeof out);
  assert_int_equal (len, sizeof gme_newest);
  assert_memory_equal (out, gme_newest, len);
  len = hp_omron_hem790_encode_reading (0, 1, out, sizeof out);
  assert_memory_equal (out, gme_second, len);
  len = hp_omron_hem790_encode_count (0, out, sizeof out);
  assert_memory_equal (out, gdc, len);
  len = hp_omron_hem790_encode_end (out, sizeof out);
  assert_int_equal (len, sizeof end);
  assert_memory_equal (out, end, len);
  len = hp_omron_hem790_encode_command ("VER", (const guint8 *) "0", 1, out, sizeof out);
  assert_int_equal (len, 5);
  assert_memory_equal (out, "VER00", 5);

  assert_int_equal (hp_omron_hem790_command_length (gme_newest, 3), 8);
  assert_int_equal (hp_omron_hem790_command_length (end, 2), 0);
  /* A clearing block is no lettered command; its reports say where it ends. */
  assert_int_equal (hp_omron_hem790_command_length ((const guint8 *) "\0\0\0", 3), 0);
  assert_true (hp_omron_hem790_is_clearing ((const guint8 *) "\0\0\0", 3));
  assert_false (hp_omron_hem790_is_clearing ((const guint8 *) "\0G\0", 3));
  assert_false (hp_omron_hem790_is_clearing ((const guint8 *) "", 0));
  assert_int_equal (hp_omron_hem790_command_length ((const guint8 *) "XYZ", 3), 0);
}

static void
test_reports_790 (void **state G_GNUC_UNUSED)
{
  static const guint8 gme[] = { 'G', 'M', 'E', 0x00, 0x00, 0x00, 0x00, 0x00 };
  /* As the notes show the command in raw reports. */
  static const guint8 first[] = { 0x07, 'G', 'M', 'E', 0x00, 0x00, 0x00, 0x00 };
  static const guint8 second[] = { 0x01, 0x00, 0, 0, 0, 0, 0, 0 };
  /* The not-yet-listening report of libomron's USB logs: it counts 8. */
  static const guint8 counts_eight[] = { 0x08, 0x60, 0, 0, 0, 0, 0, 0 };
  static const guint8 overlong[] = { 0x09, 1, 2, 3, 4, 5, 6, 7 };
  static const guint8 short_report[] = { 0x05, 1, 2 };
  g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GError) error = NULL;
  const guint8 *payload;
  gsize payload_len, offset = 99;

  hp_omron_hem790_append_reports (reports, gme, sizeof gme);
  assert_int_equal (reports->len, 2);
  assert_int_equal (g_bytes_get_size (g_ptr_array_index (reports, 0)), HP_OMRON_HEM790_REPORT_SIZE);
  assert_memory_equal (g_bytes_get_data (g_ptr_array_index (reports, 0), NULL), first, sizeof first);
  assert_memory_equal (g_bytes_get_data (g_ptr_array_index (reports, 1), NULL), second, sizeof second);

  assert_true (hp_omron_hem790_report_payload (first, sizeof first, &payload, &payload_len, NULL, NULL));
  assert_int_equal (payload_len, 7);
  assert_ptr_equal (payload, first + 1);

  assert_true (hp_omron_hem790_report_payload (counts_eight, sizeof counts_eight, &payload, &payload_len, NULL, NULL));
  assert_int_equal (payload_len, 7);
  assert_ptr_equal (payload, counts_eight + 1);
  /* Eight in a shorter report is still more than there is. */
  assert_false (hp_omron_hem790_report_payload (counts_eight, 7, &payload, &payload_len, &offset, &error));
  g_clear_error (&error);
  assert_false (hp_omron_hem790_report_payload (overlong, sizeof overlong, &payload, &payload_len, &offset, &error));
  assert_true (g_error_matches (error, HP_OMRON_ERROR, HP_OMRON_ERROR_LENGTH));
  assert_int_equal (offset, 0);
  g_clear_error (&error);
  assert_false (hp_omron_hem790_report_payload (short_report, sizeof short_report, &payload, &payload_len,
                                                &offset, &error));
  assert_true (g_error_matches (error, HP_OMRON_ERROR, HP_OMRON_ERROR_LENGTH));
  g_clear_error (&error);
  assert_false (hp_omron_hem790_report_payload (NULL, 0, &payload, &payload_len, &offset, &error));
  assert_non_null (error);
}

/* The GME example of libomron's notes, in its three raw input reports. */
static const guint8 notes_gme_reply[][HP_OMRON_HEM790_REPORT_SIZE] = {
  { 0x07, 0x4f, 0x4b, 0x00, 0x07, 0x01, 0x03, 0x00 },
  { 0x07, 0x06, 0x33, 0x00, 0x00, 0x70, 0x4b, 0x47 },
  { 0x03, 0x00, 0x00, 0x4c, 0xAA, 0xAA, 0xAA, 0xAA },
};

static void
test_notes_example_790 (void **state G_GNUC_UNUSED)
{
  g_autoptr(GByteArray) reply = join_reports (notes_gme_reply, G_N_ELEMENTS (notes_gme_reply));
  HpOmronReplyStatus status;
  HpOmronRecord record;

  assert_int_equal (reply->len, HP_OMRON_HEM790_RECORD_REPLY_SIZE);
  /* Not complete until the last report is in. */
  assert_true (hp_omron_hem790_check_reply (reply->data, 10, HP_OMRON_HEM790_RECORD_REPLY_SIZE,
                                            &status, NULL, NULL));
  assert_int_equal (status, HP_OMRON_REPLY_INCOMPLETE);
  assert_true (hp_omron_hem790_check_reply (reply->data, reply->len, HP_OMRON_HEM790_RECORD_REPLY_SIZE,
                                            &status, NULL, NULL));
  assert_int_equal (status, HP_OMRON_REPLY_OK);

  assert_true (hp_omron_hem790_decode_reading (reply->data, reply->len, &record, NULL, NULL));
  assert_int_equal (record.year, 2007);
  assert_int_equal (record.month, 1);
  assert_int_equal (record.day, 3);
  assert_int_equal (record.hour, 0);
  assert_int_equal (record.minute, 6);
  /* The notes print the seconds byte 0x33 as "33"; the fields are binary
   * (see test_real_capture_790), so it is second 51. */
  assert_int_equal (record.second, 0x33);
  assert_true (record.time_valid);
  assert_int_equal (record.systolic, 112);
  assert_int_equal (record.diastolic, 75);
  assert_int_equal (record.pulse, 71);
  assert_int_equal (record.flags & 0xF0, 0x00); /* a standalone reading */
}

static void
test_real_capture_790 (void **state G_GNUC_UNUSED)
{
  /* GME index 1 in libomron's capture 1_2_07_TwoReadings; Omron's own export
   * of that monitor lists the reading as 1/01/2007 12:06:38 AM, 123/78, 87:
   * second 38 is byte 0x26, so the date fields are binary, not BCD. */
  static const guint8 reports[][HP_OMRON_HEM790_REPORT_SIZE] = {
    { 0x07, 0x4F, 0x4B, 0x00, 0x07, 0x01, 0x01, 0x00 },
    { 0x07, 0x06, 0x26, 0x00, 0x00, 0x7B, 0x4E, 0x57 },
    { 0x03, 0x00, 0x00, 0x45, 0x00, 0x7B, 0x4E, 0x57 },
  };
  /* Its GDC reply: two readings. */
  static const guint8 count_reply[] = { 'O', 'K', 0x00, 0x00, 0x14, 0x00, 0x02, 0x16 };
  g_autoptr(GByteArray) reply = join_reports (reports, G_N_ELEMENTS (reports));
  HpOmronRecord record;
  guint count = 0;

  assert_true (hp_omron_hem790_decode_reading (reply->data, reply->len, &record, NULL, NULL));
  assert_int_equal (record.year, 2007);
  assert_int_equal (record.month, 1);
  assert_int_equal (record.day, 1);
  assert_int_equal (record.hour, 0);
  assert_int_equal (record.minute, 6);
  assert_int_equal (record.second, 38);
  assert_int_equal (record.systolic, 123);
  assert_int_equal (record.diastolic, 78);
  assert_int_equal (record.pulse, 87);

  assert_true (hp_omron_hem790_decode_count (count_reply, sizeof count_reply, &count, NULL, NULL));
  assert_int_equal (count, 2);
}

static void
test_bad_replies_790 (void **state G_GNUC_UNUSED)
{
  g_autoptr(GByteArray) reply = join_reports (notes_gme_reply, G_N_ELEMENTS (notes_gme_reply));
  g_autoptr(GError) error = NULL;
  HpOmronReplyStatus status;
  HpOmronRecord record;
  gsize offset = 0;
  guint count;

  /* "NO" is a whole answer. */
  assert_true (hp_omron_hem790_check_reply ((const guint8 *) "NO", 2, 17, &status, NULL, NULL));
  assert_int_equal (status, HP_OMRON_REPLY_NO);
  assert_false (hp_omron_hem790_check_reply ((const guint8 *) "NOX", 3, 17, &status, &offset, &error));
  assert_int_equal (offset, 2);
  g_clear_error (&error);

  /* A bare "OK" answers the clearing block. */
  assert_true (hp_omron_hem790_check_reply ((const guint8 *) "OK", 2, HP_OMRON_HEM790_OK_SIZE, &status, NULL, NULL));
  assert_int_equal (status, HP_OMRON_REPLY_OK);

  /* Neither OK nor NO. */
  assert_false (hp_omron_hem790_check_reply ((const guint8 *) "XK", 2, 17, &status, &offset, &error));
  assert_true (g_error_matches (error, HP_OMRON_ERROR, HP_OMRON_ERROR_FORMAT));
  assert_int_equal (offset, 0);
  g_clear_error (&error);
  assert_false (hp_omron_hem790_check_reply ((const guint8 *) "OF", 2, 17, &status, &offset, &error));
  assert_int_equal (offset, 1);
  g_clear_error (&error);

  /* One record byte changed: the check byte no longer matches. */
  reply->data[11] ^= 0x01;
  assert_false (hp_omron_hem790_check_reply (reply->data, reply->len, 17, &status, &offset, &error));
  assert_true (g_error_matches (error, HP_OMRON_ERROR, HP_OMRON_ERROR_CHECKSUM));
  assert_int_equal (offset, 16);
  g_clear_error (&error);
  assert_false (hp_omron_hem790_decode_reading (reply->data, reply->len, &record, &offset, &error));
  assert_true (g_error_matches (error, HP_OMRON_ERROR, HP_OMRON_ERROR_CHECKSUM));
  g_clear_error (&error);
  reply->data[11] ^= 0x01;

  /* Too long, and cut short. */
  g_byte_array_append (reply, (const guint8 *) "\0", 1);
  assert_false (hp_omron_hem790_check_reply (reply->data, reply->len, 17, &status, &offset, &error));
  assert_true (g_error_matches (error, HP_OMRON_ERROR, HP_OMRON_ERROR_LENGTH));
  assert_int_equal (offset, 17);
  g_clear_error (&error);
  assert_false (hp_omron_hem790_decode_reading (reply->data, 12, &record, &offset, &error));
  assert_true (g_error_matches (error, HP_OMRON_ERROR, HP_OMRON_ERROR_LENGTH));
  g_clear_error (&error);
  assert_false (hp_omron_hem790_decode_count ((const guint8 *) "NO", 2, &count, &offset, &error));
  assert_non_null (error);
}

static void
test_record_roundtrip_790 (void **state G_GNUC_UNUSED)
{
  HpOmronRecord record = {
    .year = 2024, .month = 2, .day = 29, .hour = 23, .minute = 59, .second = 58, .time_valid = TRUE,
    .systolic = 181, .diastolic = 112, .pulse = 97, .flags = 0x20,
  };
  HpOmronRecord back;
  guint8 reply[HP_OMRON_HEM790_RECORD_REPLY_SIZE] = { 'O', 'K', 0x00 };

  hp_omron_hem790_encode_record (&record, reply + 3);
  assert_int_equal (hp_omron_xor (reply + 3, HP_OMRON_HEM790_RECORD_SIZE), 0);
  assert_true (hp_omron_hem790_decode_reading (reply, sizeof reply, &back, NULL, NULL));
  assert_same_record (&back, &record);

  /* Month 0 or 30 February: the clock was never set or was lost. */
  record.month = 0;
  hp_omron_hem790_encode_record (&record, reply + 3);
  assert_true (hp_omron_hem790_decode_reading (reply, sizeof reply, &back, NULL, NULL));
  assert_false (back.time_valid);
  record.month = 2;
  record.day = 30;
  hp_omron_hem790_encode_record (&record, reply + 3);
  assert_true (hp_omron_hem790_decode_reading (reply, sizeof reply, &back, NULL, NULL));
  assert_false (back.time_valid);
}

static void
test_commands_7322 (void **state G_GNUC_UNUSED)
{
  /* The bytes obpm sends: init, the first record block, the end. */
  static const guint8 init[] = { 0x02, 0x08, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x18 };
  static const guint8 first_block[] = { 0x02, 0x08, 0x01, 0x00, 0x02, 0xac, 0x28, 0x00, 0x8f };
  static const guint8 end[] = { 0x02, 0x08, 0x0f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07 };
  guint8 out[HP_OMRON_HEM7322_COMMAND_SIZE];
  g_autoptr(GError) error = NULL;
  HpOmronHem7322Command command;
  guint16 address;
  guint8 size, broken[sizeof first_block];
  gsize offset;

  hp_omron_hem7322_encode_command (HP_OMRON_HEM7322_COMMAND_INIT, 0, HP_OMRON_HEM7322_INIT_SIZE, out);
  assert_memory_equal (out, init, sizeof init);
  hp_omron_hem7322_encode_command (HP_OMRON_HEM7322_COMMAND_READ, HP_OMRON_HEM7322_RECORDS_START,
                                   HP_OMRON_HEM7322_BLOCK_SIZE, out);
  assert_memory_equal (out, first_block, sizeof first_block);
  hp_omron_hem7322_encode_command (HP_OMRON_HEM7322_COMMAND_END, 0, 0, out);
  assert_memory_equal (out, end, sizeof end);

  assert_true (hp_omron_hem7322_decode_command (first_block, sizeof first_block, &command, &address, &size,
                                                NULL, NULL));
  assert_int_equal (command, HP_OMRON_HEM7322_COMMAND_READ);
  assert_int_equal (address, 0x02AC);
  assert_int_equal (size, 40);

  memcpy (broken, first_block, sizeof broken);
  broken[5] ^= 0x04;
  assert_false (hp_omron_hem7322_decode_command (broken, sizeof broken, &command, &address, &size, &offset, &error));
  assert_true (g_error_matches (error, HP_OMRON_ERROR, HP_OMRON_ERROR_CHECKSUM));
  assert_int_equal (offset, 8);
  g_clear_error (&error);
  assert_false (hp_omron_hem7322_decode_command (first_block, 8, &command, &address, &size, &offset, &error));
  assert_true (g_error_matches (error, HP_OMRON_ERROR, HP_OMRON_ERROR_LENGTH));
}

static void
test_replies_7322 (void **state G_GNUC_UNUSED)
{
  guint8 data[HP_OMRON_HEM7322_BLOCK_SIZE];
  guint8 report[HP_OMRON_HEM7322_REPORT_SIZE];
  g_autoptr(GError) error = NULL;
  HpOmronHem7322Command command;
  const guint8 *payload;
  guint16 address;
  guint8 status, size;
  gsize offset;

  for (guint i = 0; i < sizeof data; i++)
    data[i] = (guint8) (i * 7);
  hp_omron_hem7322_encode_reply (HP_OMRON_HEM7322_COMMAND_READ, 0, 0x02D4, data, sizeof data, report);
  assert_true (hp_omron_hem7322_decode_reply (report, sizeof report, &command, &status, &address, &payload,
                                              &size, NULL, NULL));
  assert_int_equal (command, HP_OMRON_HEM7322_COMMAND_READ);
  assert_int_equal (status, 0);
  assert_int_equal (address, 0x02D4);
  assert_int_equal (size, 40);
  /* The data sits at byte 7, where obpm takes it. */
  assert_ptr_equal (payload, report + 7);
  assert_memory_equal (payload, data, sizeof data);

  report[20] ^= 0xFF;
  assert_false (hp_omron_hem7322_decode_reply (report, sizeof report, &command, &status, &address, &payload,
                                               &size, &offset, &error));
  assert_true (g_error_matches (error, HP_OMRON_ERROR, HP_OMRON_ERROR_CHECKSUM));
  assert_int_equal (offset, 47);
  g_clear_error (&error);
  report[20] ^= 0xFF;

  /* A length byte past the report. */
  report[1] = 0xF0;
  assert_false (hp_omron_hem7322_decode_reply (report, sizeof report, &command, &status, &address, &payload,
                                               &size, &offset, &error));
  assert_true (g_error_matches (error, HP_OMRON_ERROR, HP_OMRON_ERROR_LENGTH));
  assert_int_equal (offset, 1);
  g_clear_error (&error);
  /* A report cut before its check byte. */
  report[1] = 47;
  assert_false (hp_omron_hem7322_decode_reply (report, 40, &command, &status, &address, &payload,
                                               &size, &offset, &error));
  assert_true (g_error_matches (error, HP_OMRON_ERROR, HP_OMRON_ERROR_LENGTH));
}

static void
test_records_7322 (void **state G_GNUC_UNUSED)
{
  HpOmronRecord record = {
    .year = 2023, .month = 12, .day = 31, .hour = 23, .minute = 59, .time_valid = TRUE,
    .systolic = 142, .diastolic = 91, .pulse = 66,
  };
  static const guint8 empty[HP_OMRON_HEM7322_RECORD_SIZE] = {
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
  };
  guint8 bytes[HP_OMRON_HEM7322_RECORD_SIZE];
  HpOmronRecord back;

  assert_true (hp_omron_hem7322_encode_record (&record, bytes));
  /* DIA, SYS − 25, year − 2000, pulse as obpm reads them. */
  assert_int_equal (bytes[0], 91);
  assert_int_equal (bytes[1], 142 - 25);
  assert_int_equal (bytes[2], 23);
  assert_int_equal (bytes[3], 66);
  assert_false (hp_omron_hem7322_record_is_empty (bytes));
  hp_omron_hem7322_decode_record (bytes, &back);
  assert_same_record (&back, &record);

  /* A hand-packed date: 5 March, 07:41. */
  memset (bytes, 0, sizeof bytes);
  bytes[0] = 80;
  bytes[1] = 95;
  bytes[2] = 24;
  bytes[3] = 70;
  bytes[4] = (3 << 2) | (5 >> 3);
  bytes[5] = ((5 & 7) << 5) | 7;
  bytes[6] = 41 >> 2;
  bytes[7] = (41 & 3) << 6;
  hp_omron_hem7322_decode_record (bytes, &back);
  assert_int_equal (back.systolic, 120);
  assert_int_equal (back.year, 2024);
  assert_int_equal (back.month, 3);
  assert_int_equal (back.day, 5);
  assert_int_equal (back.hour, 7);
  assert_int_equal (back.minute, 41);
  assert_true (back.time_valid);

  /* Two records a HEM-7322U-E gave over USB, with the values its reader
   * shows for them (albemaconseil/bloodp, its tests, commit c355d798):
   * 120/83 pulse 71 on 2015-12-14 10:02, then 119/84 pulse 67 at 10:03;
   * the seconds bits (omblepy's layout) read 25 and 42. */
  {
    static const guint8 first[HP_OMRON_HEM7322_RECORD_SIZE] = {
      0x53, 0x5f, 0x0f, 0x47, 0x31, 0xca, 0x10, 0x99, 0x00, 0x43, 0x41, 0x80, 0xe4, 0xb0,
    };
    static const guint8 second[HP_OMRON_HEM7322_RECORD_SIZE] = {
      0x54, 0x5e, 0x0f, 0x43, 0x31, 0xca, 0x10, 0xea, 0x00, 0x38, 0x40, 0x80, 0xa5, 0xf1,
    };
    const HpOmronRecord first_values = {
      .year = 2015, .month = 12, .day = 14, .hour = 10, .minute = 2, .second = 25, .time_valid = TRUE,
      .systolic = 120, .diastolic = 83, .pulse = 71,
    };
    const HpOmronRecord second_values = {
      .year = 2015, .month = 12, .day = 14, .hour = 10, .minute = 3, .second = 42, .time_valid = TRUE,
      .systolic = 119, .diastolic = 84, .pulse = 67,
    };

    hp_omron_hem7322_decode_record (first, &back);
    assert_same_record (&back, &first_values);
    hp_omron_hem7322_decode_record (second, &back);
    assert_same_record (&back, &second_values);
  }

  /* Seconds bits beyond 59 are taken as 59. */
  memcpy (bytes, (const guint8[HP_OMRON_HEM7322_RECORD_SIZE]) { 0x53, 0x5f, 0x0f, 0x47, 0x31, 0xca, 0x10, 0xbf }, sizeof bytes);
  hp_omron_hem7322_decode_record (bytes, &back);
  assert_int_equal (back.second, 59);

  assert_true (hp_omron_hem7322_record_is_empty (empty));
  record.systolic = 20;
  assert_false (hp_omron_hem7322_encode_record (&record, bytes));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_commands_790),
    cmocka_unit_test (test_reports_790),
    cmocka_unit_test (test_notes_example_790),
    cmocka_unit_test (test_real_capture_790),
    cmocka_unit_test (test_bad_replies_790),
    cmocka_unit_test (test_record_roundtrip_790),
    cmocka_unit_test (test_commands_7322),
    cmocka_unit_test (test_replies_7322),
    cmocka_unit_test (test_records_7322),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
