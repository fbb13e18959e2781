-- Schema step 8: an audit log that is never empty, whose head only moves forward.
--
-- The C code of this step (hp_audit_chain_start() in hp-audit-chain.c)
-- appends a keyed "audit.start" entry in the same transaction: a new log
-- begins with it, and an older log marks with it where its head began to
-- be anchored outside the database, in "<database>.audit-head". From this
-- version on, an empty log is an erased one.
CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_head
  WHEN NEW.seq IS NOT OLD.seq + 1
BEGIN
  SELECT RAISE (ABORT, 'the audit head only moves forward, one entry at a time');
END;
