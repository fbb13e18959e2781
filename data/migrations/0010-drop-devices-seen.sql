-- Schema step 10: no table of the devices the kiosk has seen.
--
-- Nothing read devices_seen: a reading keeps its own device id, sealed
-- with it. Its rows held device ids with their serial numbers, and
-- secure_delete (set on every connection) zeroes their pages as the table
-- goes.
DROP TABLE devices_seen;
