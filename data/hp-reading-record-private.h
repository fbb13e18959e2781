/* For the store only: the byte form of one measurement's private part, the plaintext the store seals. */
#pragma once

#include <gio/gio.h>

#include "hp-measurement.h"

G_BEGIN_DECLS

/* Version 1, every number big-endian:
 *
 *   u8   record version, 1
 *   u32  flags (HpMeasurementFlags)
 *   u8   1 if a device time follows, else 0
 *   i64    device time, microseconds since the Unix epoch, UTC
 *   u8   1 if a device id follows, else 0
 *   u16    device id length, then that many bytes of UTF-8
 *   u8   number of values, at most HP_QUANTITY_LAST + 1
 *   then per value, in increasing quantity order:
 *   u8     quantity (HpQuantity)
 *   f64    value as sent, IEEE 754 bits; finite
 *   u32    IEEE 11073 MDC code, 0 for none
 *   u8     unit length (1…255), then the unit as sent, UTF-8
 *   u8     1 if a value in the canonical unit follows, else 0
 *   f64      the value in hp_quantity_get_canonical_unit(); finite
 *
 * Nothing may follow the last value. The kind and kiosk time stay outside:
 * they are plain columns of the measurement's row. */
#define HP_READING_RECORD_VERSION 1

/* The record of @measurement. It holds health data: wipe it when done. */
GByteArray    *hp_reading_record_encode      (HpMeasurement      *measurement);

/* A measurement of @kind from a record, checking every length and value;
 * G_IO_ERROR_INVALID_DATA names what is wrong but never quotes a value. */
HpMeasurement *hp_reading_record_decode      (HpMeasurementKind   kind,
                                              const guint8       *data,
                                              gsize               length,
                                              GError            **error);

/* What identifies one reading of one device: kind, device id, device time
 * and values. %NULL when the device gave no id, no time or a clock it
 * flagged as wrong, for then two equal readings may well be two
 * measurements. Wipe it when done. */
GByteArray    *hp_reading_record_identity    (HpMeasurement      *measurement);

/* Overwrites the contents of @record, then frees it. */
void           hp_reading_record_free        (GByteArray         *record);

/* A GByteArray that g_autoptr() wipes before freeing. */
typedef GByteArray HpReadingRecord;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HpReadingRecord, hp_reading_record_free)

G_END_DECLS
