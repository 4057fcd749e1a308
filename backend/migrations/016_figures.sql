-- Leaders' figures (issue 13): indexes that let a period's figures read only the cases
-- and events of that period. Each figure's cases are found from one of these: the
-- registration time (intake, acceptance, repeats), the stored handling due date (办结),
-- the events of a kind in the period (replies, mediations, dispatches), the court's
-- confirmation date, the departments' open parts. See backend/src/db/figures.rs.
CREATE INDEX cases_by_created ON cases(created_at_ms);
CREATE INDEX cases_by_township_created ON cases(township_id, created_at_ms);
CREATE INDEX cases_by_handling_due ON cases(handling_due_on) WHERE handling_due_on IS NOT NULL;
CREATE INDEX case_events_by_kind ON case_events(kind, at_ms, case_id);
CREATE INDEX cases_by_judicial_confirmation
    ON cases(json_extract(mediation_outcome, '$.judicial_confirmation_on')) WHERE mediation_outcome IS NOT NULL;
CREATE INDEX case_dispatches_open_by_due ON case_dispatches(state, due_on);
