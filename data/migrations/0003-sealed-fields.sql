-- Schema step 3: encryption at rest. Patients, data keys, sealed readings, settings and devices seen.
--
-- Every field that names a person or holds a health value is a sealed
-- field (AES-256-GCM, layout in data/hp-crypto.h) under a data key; the data
-- keys are stored here wrapped by a key-encryption key derived from the
-- kiosk's root key, which never touches this file.
--
-- Left in the clear, on purpose: visit ids (random), visit start and end
-- times, the screen language, measurement kinds and kiosk times. They tell
-- when the kiosk was used and for which test, not who used it or with what
-- result, and the store needs them to list and order visits without
-- decrypting. Which visits belong to one patient shows as a shared opaque
-- patient id, needed to find a history by index.
--
-- The store runs C code after this script, in the same transaction: it
-- creates the first data keys, seals every row of v2_measurements and
-- v2_measurement_values into measurements, and drops both old tables.

CREATE TABLE data_keys (
  -- The key id written into every field the key seals.
  id         INTEGER PRIMARY KEY CHECK (id BETWEEN 1 AND 4294967295),
  -- 'field' keys seal fields, the newest sealing new writes; the one
  -- 'dedupe' key is an HMAC key for the lookup columns of readings and
  -- devices, kept here so a new root key leaves those columns valid.
  purpose    TEXT    NOT NULL CHECK (purpose IN ('field', 'dedupe')),
  created_at INTEGER NOT NULL,
  -- The key sealed under the key-encryption key (key id 0), its place
  -- being data_keys.wrapped-<purpose>, this row.
  wrapped    BLOB    NOT NULL
);

CREATE TABLE patients (
  id         INTEGER PRIMARY KEY,
  -- HMAC-SHA256 of the normalised personal code under the root key's
  -- "patient-lookup" key: finds a returning patient without decrypting.
  lookup     BLOB    NOT NULL UNIQUE CHECK (length (lookup) = 32),
  -- The normalised personal code, sealed.
  code       BLOB    NOT NULL,
  created_at INTEGER NOT NULL
);

-- Anonymous visits have no patient.
ALTER TABLE visits ADD COLUMN patient_id INTEGER REFERENCES patients (id);

-- History of one patient, newest first.
CREATE INDEX visits_by_patient ON visits (patient_id, started_at, id);

-- The plaintext tables move aside for the C step to read and drop.
DROP INDEX measurements_by_visit;
ALTER TABLE measurement_values RENAME TO v2_measurement_values;
ALTER TABLE measurements RENAME TO v2_measurements;

CREATE TABLE measurements (
  id          INTEGER PRIMARY KEY,
  visit_id    TEXT    NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
  position    INTEGER NOT NULL CHECK (position >= 0),
  kind        TEXT    NOT NULL CHECK (kind IN ('blood-pressure',
                                               'body-weight',
                                               'blood-glucose')),
  kiosk_time  INTEGER NOT NULL,
  -- Sealed reading record (data/hp-reading-record-private.h): device id,
  -- device time, flags, and each value as sent, its unit, its MDC code
  -- and its value in the kiosk's canonical unit.
  reading     BLOB    NOT NULL,
  -- HMAC-SHA256 under the dedupe key of the device id, device time and
  -- values; NULL when the device gave no id or no valid time. A device
  -- that sends the same stored reading again finds it here.
  dedupe_key  BLOB    CHECK (dedupe_key IS NULL OR length (dedupe_key) = 32)
);

CREATE UNIQUE INDEX measurements_by_visit ON measurements (visit_id, position);
CREATE UNIQUE INDEX measurements_by_dedupe_key ON measurements (dedupe_key);

-- The kiosk's own settings; never personal data.
CREATE TABLE settings (
  key   TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE devices_seen (
  id          INTEGER PRIMARY KEY,
  -- HMAC-SHA256 of the device id under the dedupe key.
  device_hash BLOB    NOT NULL UNIQUE CHECK (length (device_hash) = 32),
  -- The device id (it carries a serial number), sealed.
  device      BLOB    NOT NULL,
  protocol    TEXT    NOT NULL,
  first_seen  INTEGER NOT NULL,
  last_seen   INTEGER NOT NULL CHECK (last_seen >= first_seen)
);
