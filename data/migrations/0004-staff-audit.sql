-- Schema step 4: staff accounts and the tamper-evident audit log.
-- Touches no table of earlier steps, so it applies on any schema from 2 on.
-- Times are integer microseconds since the Unix epoch, UTC, as elsewhere.

-- AUTOINCREMENT: an id is never handed out twice, so an audit entry naming
-- a removed staff member can never be read as naming a later one.
CREATE TABLE staff (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  display_name    TEXT    NOT NULL CHECK (length(display_name) BETWEEN 1 AND 64),
  role            TEXT    NOT NULL CHECK (role IN ('technician', 'administrator')),
  -- Names the key-derivation parameters the hash was made with, so they can
  -- be raised later while older hashes still verify.
  pin_kdf         TEXT    NOT NULL,
  pin_salt        BLOB    NOT NULL CHECK (length(pin_salt) = 16),
  pin_hash        BLOB    NOT NULL CHECK (length(pin_hash) = 32),
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  -- Consecutive wrong PINs since the last success.
  failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
  -- 0 when not locked.
  locked_until    INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX staff_by_role ON staff (role);

-- seq is given by the writer (newest + 1), never by sqlite3, so a gap always
-- means a removed row. mac = HMAC-SHA256 over prev_mac and the row's fields
-- (see hp-audit.c); the first entry chains from 32 zero bytes.
CREATE TABLE audit_log (
  seq      INTEGER NOT NULL PRIMARY KEY CHECK (seq >= 1),
  at       INTEGER NOT NULL,
  -- 'kiosk', 'system' or 'staff:ID'.
  actor    TEXT    NOT NULL,
  action   TEXT    NOT NULL,
  -- Short and free of personal information: ids and counts only.
  detail   TEXT    NOT NULL DEFAULT '',
  prev_mac BLOB    NOT NULL,
  mac      BLOB    NOT NULL
);

-- The newest entry, kept apart so that removing the last rows is seen too.
-- head_mac authenticates (seq, mac) so the head cannot be wound back to an
-- older entry; it is NULL only for the empty log.
CREATE TABLE audit_head (
  id       INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  seq      INTEGER NOT NULL CHECK (seq >= 0),
  mac      BLOB    NOT NULL,
  head_mac BLOB
);

INSERT INTO audit_head (id, seq, mac, head_mac) VALUES (1, 0, zeroblob(32), NULL);

-- Append-only by the program's own hand. A determined writer can drop these
-- triggers; the MAC chain is what then tells.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE (ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE (ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN
  SELECT RAISE (ABORT, 'the audit head is kept');
END;
