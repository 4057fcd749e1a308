-- Retention of legal-aid applications (README "Operations"). An application keeps its
-- applicant's name and mobile (on its booking) while it runs, whatever the booking's own
-- period; once it has not changed for the configured years, they and the note taken at
-- the window are blanked and the moment recorded. The decision, the pre-check's answers
-- (no names), the booking's events and every figure stay.
ALTER TABLE legal_aid_applications ADD COLUMN anonymised_at_ms INTEGER;
