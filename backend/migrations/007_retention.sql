-- Retention (README "Operations"): personal data is blanked once its time is up, and the
-- moment is recorded; events and figures stay.
ALTER TABLE cases ADD COLUMN anonymised_at_ms INTEGER;
ALTER TABLE bookings ADD COLUMN anonymised_at_ms INTEGER;
-- Sign-in records (who signed in from which address) are kept for the retention period
-- only; the record of accounts created, closed and reset stays append-only.
DROP TRIGGER staff_events_no_delete;
CREATE TRIGGER staff_events_no_delete BEFORE DELETE ON staff_events
WHEN OLD.kind NOT IN ('sign_in', 'sign_in_failed', 'sign_out')
BEGIN SELECT RAISE(ABORT, 'staff events are append-only'); END;
