-- Schema step 6: the height a patient typed for their body-mass index, kept with the visit.
--
-- A stored visit's weight is read as it was on the screen only with the
-- height it was read against. The height is a body measure: a sealed
-- field (data/hp-crypto.h), NULL when the patient gave none. Its sealing
-- is bound to the visit's id, not its rowid, which VACUUM may renumber.
ALTER TABLE visits ADD COLUMN height BLOB;
