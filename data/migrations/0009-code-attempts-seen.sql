-- Schema step 9: when a personal code without a PIN here was last tried.
--
-- Retention forgets such counters once they have been left alone for the
-- retention period, as it forgets patients not seen for as long; rows from
-- before this step count as tried long ago (0). Microseconds since the
-- Unix epoch, as locked_until.
ALTER TABLE code_attempts ADD COLUMN last_attempt INTEGER NOT NULL DEFAULT 0;
