-- Schema step 1: the tables holding committed visits, their measurements and values.
-- Times are integer microseconds since the Unix epoch, UTC: exact, compact and
-- ordered the same way numbers are.

-- Marks the file as Healthpost's, so a database of another program is never
-- migrated into ours ('HPST').
PRAGMA application_id = 1213223764;

CREATE TABLE visits (
  id          TEXT    NOT NULL PRIMARY KEY,
  started_at  INTEGER NOT NULL,
  finished_at INTEGER NOT NULL,
  language    TEXT    NOT NULL
);

CREATE TABLE measurements (
  id          INTEGER PRIMARY KEY,
  visit_id    TEXT    NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
  -- Order in which the measurements were taken during the visit, from 0.
  position    INTEGER NOT NULL CHECK (position >= 0),
  kind        TEXT    NOT NULL CHECK (kind IN ('blood-pressure',
                                               'body-weight',
                                               'blood-glucose')),
  device_id   TEXT,
  -- NULL when the device sent no time of its own.
  device_time INTEGER,
  kiosk_time  INTEGER NOT NULL,
  flags       INTEGER NOT NULL DEFAULT 0 CHECK (flags >= 0)
);

CREATE TABLE measurement_values (
  measurement_id INTEGER NOT NULL REFERENCES measurements (id) ON DELETE CASCADE,
  quantity       TEXT    NOT NULL CHECK (quantity IN ('systolic',
                                                      'diastolic',
                                                      'mean-arterial',
                                                      'pulse-rate',
                                                      'body-weight',
                                                      'blood-glucose')),
  value          REAL    NOT NULL,
  -- The unit exactly as the device sent it; never converted on the way in.
  unit           TEXT    NOT NULL,
  PRIMARY KEY (measurement_id, quantity)
) WITHOUT ROWID;
