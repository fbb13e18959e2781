-- Schema step 2: indexes for listing visits newest first and for reading a visit back.

-- Covers hp_store_list_visit_ids(); id breaks ties between visits finished
-- in the same microsecond so the order is stable.
CREATE INDEX visits_by_finished_at ON visits (finished_at, id);

-- Reads a visit's measurements in order, keeps positions unique within a
-- visit, and serves the ON DELETE CASCADE from visits.
CREATE UNIQUE INDEX measurements_by_visit ON measurements (visit_id, position);
