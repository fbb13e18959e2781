-- Schema step 5: returning patients' PINs with their lockout, when each was last recognised, and patient ids never handed out twice.
-- Needs step 3's patients table. Times are integer microseconds since the
-- Unix epoch, UTC, as elsewhere.

-- The PIN a patient chose with their personal code, hashed as staff PINs
-- are (scrypt over an HMAC under a pepper that never enters this file).
-- All three are NULL for a patient filed by code alone, who has no PIN: such
-- a code is never recognised at the screen.
ALTER TABLE patients ADD COLUMN pin_kdf TEXT;
ALTER TABLE patients ADD COLUMN pin_salt BLOB
  CHECK (pin_salt IS NULL OR length (pin_salt) = 16);
ALTER TABLE patients ADD COLUMN pin_hash BLOB
  CHECK (pin_hash IS NULL OR length (pin_hash) = 32);
-- Consecutive wrong PINs since the last right one.
ALTER TABLE patients ADD COLUMN failed_attempts INTEGER NOT NULL DEFAULT 0
  CHECK (failed_attempts >= 0);
-- 0 when not locked.
ALTER TABLE patients ADD COLUMN locked_until INTEGER NOT NULL DEFAULT 0;
-- When the patient was created or last recognised by their PIN; retention
-- forgets a patient once this and every visit of theirs are old enough.
ALTER TABLE patients ADD COLUMN last_seen INTEGER NOT NULL DEFAULT 0;

UPDATE patients SET last_seen = created_at;

-- The highest patient id ever given. Audit entries name patients by id, and
-- retention deletes patients: a new patient must never get a deleted one's
-- id, or an old entry would read as naming them.
CREATE TABLE patient_id_watermark (
  id      INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  highest INTEGER NOT NULL CHECK (highest >= 0)
);

INSERT INTO patient_id_watermark (id, highest)
  SELECT 1, coalesce (max (id), 0) FROM patients;

CREATE TRIGGER patients_raise_watermark AFTER INSERT ON patients
BEGIN
  UPDATE patient_id_watermark SET highest = max (highest, NEW.id) WHERE id = 1;
END;

CREATE TRIGGER patient_id_watermark_no_delete BEFORE DELETE ON patient_id_watermark
BEGIN
  SELECT RAISE (ABORT, 'the patient id watermark is kept');
END;
