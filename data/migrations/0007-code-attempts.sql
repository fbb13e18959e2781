-- Schema step 7: wrong-PIN counts for personal codes that have no PIN here.
--
-- A code no patient holds (or one filed before PINs) counts wrong PINs and
-- locks exactly as a patient's code does, so the screen's answers and
-- their timing never tell whether a code exists. Codes are named only by
-- their keyed lookup value, as the patients table's lookup column names them; times are
-- integer microseconds since the Unix epoch, as in patients.locked_until.
CREATE TABLE code_attempts (
  code_lookup     BLOB PRIMARY KEY NOT NULL CHECK (length (code_lookup) = 32),
  failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
  locked_until    INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
