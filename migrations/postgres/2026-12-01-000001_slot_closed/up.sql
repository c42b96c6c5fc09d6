-- A slot the schedule no longer wants (a closure, shorter hours, fewer clerks) but that
-- still has places taken stays for the people in it, closed to anyone new.
ALTER TABLE slots ADD COLUMN closed BOOLEAN NOT NULL DEFAULT FALSE;
