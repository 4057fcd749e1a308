-- The hourly retention pass looked at every closed or declined case not yet blanked and
-- read its last event: with 200,000 closed cases younger than three years, about a
-- second holding the writer each hour (the figures bench saw submissions wait 0.8–4 s).
-- A case's last event is never before its registration, so only cases registered before
-- the cut-off can be due; this index holds just the cases still waiting to be blanked.
CREATE INDEX cases_awaiting_retention ON cases(created_at_ms)
    WHERE anonymised_at_ms IS NULL AND state IN ('closed', 'declined');
