-- Issue 13's bench bar: a year's figures over 1,000,000 cases in ≤ 300 ms p99. Counting
-- them from the cases and events read every case of the period several times (a county
-- year: 30 s). Kept tallies make a report a sum over one row per day and mark instead.
--
-- Two steps, both kept by triggers in the same transaction as the change to the case:
-- 1. `case_figure_facts`: one row per case with the days that place it in the figures
--    (registered, lawfully due, first completed, mediated, dispatched, …) and its flags,
--    computed by the view `figure_facts_of_cases` from the case and its events; redone
--    whenever an event that a figure looks at is appended or such a column changes.
-- 2. `figure_tallies`: per place and Shanghai day, how many cases carry each mark (the
--    view `figure_marks`). Adding a facts row adds its marks; removing one takes them off.
--
-- Each figure's cases are still listed by the predicates in backend/src/db/figures.rs;
-- the unit tests there check on hand-made histories that the tallies give the same
-- numbers as those predicates.

-- Days are Shanghai day numbers: days since 1970-01-01 of the Shanghai date, i.e.
-- (ms + 8 h) / 1 day for a moment and unixepoch(date) / 1 day for a date.
CREATE TABLE case_figure_facts (
    case_id          INTEGER PRIMARY KEY,
    township_id      INTEGER NOT NULL,
    village_id       INTEGER NOT NULL,
    received_day     INTEGER NOT NULL,
    channel          TEXT NOT NULL,
    accepted_on_time INTEGER NOT NULL,
    repeat_visit     INTEGER NOT NULL,
    group_visit      INTEGER NOT NULL,
    -- The handling due date the law allows (an extension counts only when granted
    -- before the original date ran out: 信访工作条例 Art.33).
    due_day          INTEGER,
    -- The first reply or settling on the spot (办结).
    completed_day    INTEGER,
    rated            INTEGER NOT NULL,
    satisfied        INTEGER NOT NULL,
    on_spot_day      INTEGER,
    -- The last recorded mediation outcome, when the case has one.
    mediated_day     INTEGER,
    settled          INTEGER NOT NULL,
    court            INTEGER NOT NULL,
    confirmed_day    INTEGER,
    dispatched_day   INTEGER,
    taken            INTEGER NOT NULL,
    objected         INTEGER NOT NULL,
    responded_day    INTEGER,
    -- The earliest due date of the case's open dispatches (pending or taken): the case is
    -- a department's overdue one from the day after it (部门现超期).
    open_dispatch_due_day INTEGER
) STRICT;

-- The facts of every case, in the table's column order. `+e.kind`: a case's few events
-- are read off `case_events_by_case`, never every event of a kind in the county.
CREATE VIEW figure_facts_of_cases AS
SELECT
    c.id AS case_id,
    c.township_id,
    c.village_id,
    (c.created_at_ms + 28800000) / 86400000 AS received_day,
    c.channel,
    EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND +e.kind IN ('accepted', 'declined')
            AND e.at_ms < (unixepoch(c.acceptance_due_on, '+1 day') - 28800) * 1000) AS accepted_on_time,
    c.linked_case_id IS NOT NULL AS repeat_visit,
    coalesce(c.group_size >= 5, 0) AS group_visit,
    unixepoch(CASE WHEN c.extension_days IS NOT NULL AND EXISTS (
            SELECT 1 FROM case_events x WHERE x.case_id = c.id AND +x.kind = 'extended'
            AND x.at_ms >= (unixepoch(c.handling_due_on, '-' || c.extension_days || ' days', '+1 day') - 28800) * 1000)
        THEN date(c.handling_due_on, '-' || c.extension_days || ' days') ELSE c.handling_due_on END) / 86400 AS due_day,
    ((SELECT min(e.at_ms) FROM case_events e WHERE e.case_id = c.id AND +e.kind IN ('replied', 'resolved_on_spot'))
        + 28800000) / 86400000 AS completed_day,
    c.rating IS NOT NULL AS rated,
    coalesce(c.rating IN ('satisfied', 'basically_satisfied'), 0) AS satisfied,
    ((SELECT min(e.at_ms) FROM case_events e WHERE e.case_id = c.id AND +e.kind = 'resolved_on_spot')
        + 28800000) / 86400000 AS on_spot_day,
    CASE WHEN c.mediation_outcome IS NOT NULL THEN
        ((SELECT max(e.at_ms) FROM case_events e WHERE e.case_id = c.id
          AND +e.kind IN ('mediation_recorded', 'resolved_on_spot')) + 28800000) / 86400000 END AS mediated_day,
    coalesce(json_extract(c.mediation_outcome, '$.outcome') = 'settled', 0) AS settled,
    coalesce(json_extract(c.mediation_outcome, '$.outcome') = 'not_settled'
             AND json_extract(c.mediation_outcome, '$.referred_to_court') = 1, 0) AS court,
    CASE WHEN c.mediation_outcome IS NOT NULL THEN
        unixepoch(json_extract(c.mediation_outcome, '$.judicial_confirmation_on')) / 86400 END AS confirmed_day,
    ((SELECT min(e.at_ms) FROM case_events e WHERE e.case_id = c.id AND +e.kind = 'dispatched')
        + 28800000) / 86400000 AS dispatched_day,
    EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND +e.kind = 'dispatch_taken') AS taken,
    EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND +e.kind = 'dispatch_objected') AS objected,
    ((SELECT min(e.at_ms) FROM case_events e WHERE e.case_id = c.id AND +e.kind = 'responded')
        + 28800000) / 86400000 AS responded_day,
    unixepoch((SELECT min(d.due_on) FROM case_dispatches d WHERE d.case_id = c.id
               AND +d.state IN ('pending', 'taken'))) / 86400 AS open_dispatch_due_day
FROM cases c;

-- A case's marks, each on the day that places it in a period. The numbers are read back
-- by `Mark` in backend/src/db/figures.rs: 1–99 one mark each; 100000 + days late (a
-- completion after the due date, on the day it came); 200000 + handling days and
-- 300000 + department response days (histograms for the days figures); 19 on the
-- earliest due date of the open dispatches.
CREATE VIEW figure_marks AS
          SELECT case_id, received_day AS day, 1 AS mark FROM case_figure_facts
UNION ALL SELECT case_id, received_day, 2 FROM case_figure_facts WHERE accepted_on_time
UNION ALL SELECT case_id, received_day, 3 FROM case_figure_facts WHERE repeat_visit
UNION ALL SELECT case_id, received_day, 4 FROM case_figure_facts WHERE group_visit
UNION ALL SELECT case_id, received_day,
    CASE channel WHEN 'visit' THEN 20 WHEN 'phone' THEN 21 WHEN 'letter' THEN 22 WHEN 'online' THEN 23
                 WHEN 'grid' THEN 24 ELSE 29 END FROM case_figure_facts
UNION ALL SELECT case_id, due_day, 5 FROM case_figure_facts WHERE due_day IS NOT NULL
UNION ALL SELECT case_id, due_day, 6 FROM case_figure_facts WHERE completed_day <= due_day
UNION ALL SELECT case_id, completed_day, 100000 + completed_day - due_day FROM case_figure_facts
    WHERE completed_day > due_day
UNION ALL SELECT case_id, completed_day, 7 FROM case_figure_facts WHERE completed_day IS NOT NULL
UNION ALL SELECT case_id, completed_day, 8 FROM case_figure_facts WHERE completed_day IS NOT NULL AND rated
UNION ALL SELECT case_id, completed_day, 9 FROM case_figure_facts WHERE completed_day IS NOT NULL AND satisfied
UNION ALL SELECT case_id, completed_day, 200000 + max(0, completed_day - received_day) FROM case_figure_facts
    WHERE completed_day IS NOT NULL
UNION ALL SELECT case_id, on_spot_day, 11 FROM case_figure_facts WHERE on_spot_day IS NOT NULL
UNION ALL SELECT case_id, mediated_day, 12 FROM case_figure_facts WHERE mediated_day IS NOT NULL
UNION ALL SELECT case_id, mediated_day, 13 FROM case_figure_facts WHERE mediated_day IS NOT NULL AND settled
UNION ALL SELECT case_id, mediated_day, 14 FROM case_figure_facts WHERE mediated_day IS NOT NULL AND court
UNION ALL SELECT case_id, confirmed_day, 15 FROM case_figure_facts WHERE confirmed_day IS NOT NULL
UNION ALL SELECT case_id, dispatched_day, 16 FROM case_figure_facts WHERE dispatched_day IS NOT NULL
UNION ALL SELECT case_id, dispatched_day, 17 FROM case_figure_facts WHERE dispatched_day IS NOT NULL AND taken
UNION ALL SELECT case_id, dispatched_day, 18 FROM case_figure_facts WHERE dispatched_day IS NOT NULL AND objected
UNION ALL SELECT case_id, responded_day, 300000 + max(0, coalesce(responded_day - dispatched_day, 0))
    FROM case_figure_facts WHERE responded_day IS NOT NULL
UNION ALL SELECT case_id, open_dispatch_due_day, 19 FROM case_figure_facts WHERE open_dispatch_due_day IS NOT NULL;

-- Each mark counts for the whole county (place 0), the case's township (1000000 + id)
-- and its village (2000000 + id).
CREATE VIEW figure_mark_places AS
SELECT m.case_id, CASE l.level WHEN 0 THEN 0 WHEN 1 THEN 1000000 + f.township_id ELSE 2000000 + f.village_id END
           AS place,
       m.day, m.mark
FROM figure_marks m
JOIN case_figure_facts f ON f.case_id = m.case_id
JOIN (SELECT 0 AS level UNION ALL SELECT 1 UNION ALL SELECT 2) l;

CREATE TABLE figure_tallies (
    place INTEGER NOT NULL,
    day   INTEGER NOT NULL,
    mark  INTEGER NOT NULL,
    n     INTEGER NOT NULL,
    PRIMARY KEY (place, day, mark)
) STRICT, WITHOUT ROWID;
-- 部门现超期 sums a place's open dispatches over every day before today, not a period's.
CREATE INDEX figure_tallies_open_dispatches ON figure_tallies(place, day) WHERE mark = 19;

-- While a row is here the triggers stand still: a bulk load (the benches' generated
-- county) fills the cases first and then rebuilds the facts and tallies in one pass
-- (backend/src/db/figure_tallies_rebuild.sql), which is far faster than case by case.
CREATE TABLE figure_tallies_paused (paused INTEGER PRIMARY KEY) STRICT;

CREATE TRIGGER figure_facts_on_case_insert AFTER INSERT ON cases
WHEN NOT EXISTS (SELECT 1 FROM figure_tallies_paused)
BEGIN
    INSERT INTO case_figure_facts SELECT * FROM figure_facts_of_cases WHERE case_id = new.id;
END;

CREATE TRIGGER figure_facts_on_case_update AFTER UPDATE OF township_id, village_id, created_at_ms, channel,
    acceptance_due_on, linked_case_id, group_size, handling_due_on, extension_days, rating, mediation_outcome ON cases
WHEN NOT EXISTS (SELECT 1 FROM figure_tallies_paused) AND (
    old.township_id IS NOT new.township_id OR old.village_id IS NOT new.village_id
    OR old.created_at_ms IS NOT new.created_at_ms OR old.channel IS NOT new.channel
    OR old.acceptance_due_on IS NOT new.acceptance_due_on OR old.linked_case_id IS NOT new.linked_case_id
    OR old.group_size IS NOT new.group_size OR old.handling_due_on IS NOT new.handling_due_on
    OR old.extension_days IS NOT new.extension_days OR old.rating IS NOT new.rating
    OR old.mediation_outcome IS NOT new.mediation_outcome)
BEGIN
    DELETE FROM case_figure_facts WHERE case_id = new.id;
    INSERT INTO case_figure_facts SELECT * FROM figure_facts_of_cases WHERE case_id = new.id;
END;

CREATE TRIGGER figure_facts_on_case_delete AFTER DELETE ON cases
WHEN NOT EXISTS (SELECT 1 FROM figure_tallies_paused)
BEGIN
    DELETE FROM case_figure_facts WHERE case_id = old.id;
END;

-- Only the events a figure looks at redo the facts.
CREATE TRIGGER figure_facts_on_event AFTER INSERT ON case_events
WHEN new.kind IN ('accepted', 'declined', 'extended', 'replied', 'resolved_on_spot', 'mediation_recorded',
                  'dispatched', 'dispatch_taken', 'dispatch_objected', 'responded')
  AND NOT EXISTS (SELECT 1 FROM figure_tallies_paused)
BEGIN
    DELETE FROM case_figure_facts WHERE case_id = new.case_id;
    INSERT INTO case_figure_facts SELECT * FROM figure_facts_of_cases WHERE case_id = new.case_id;
END;

-- A dispatch opened, taken, answered or withdrawn moves the case's open due date.
CREATE TRIGGER figure_facts_on_dispatch_insert AFTER INSERT ON case_dispatches
WHEN NOT EXISTS (SELECT 1 FROM figure_tallies_paused)
BEGIN
    DELETE FROM case_figure_facts WHERE case_id = new.case_id;
    INSERT INTO case_figure_facts SELECT * FROM figure_facts_of_cases WHERE case_id = new.case_id;
END;

CREATE TRIGGER figure_facts_on_dispatch_update AFTER UPDATE OF state, due_on ON case_dispatches
WHEN NOT EXISTS (SELECT 1 FROM figure_tallies_paused)
  AND (old.state IS NOT new.state OR old.due_on IS NOT new.due_on)
BEGIN
    DELETE FROM case_figure_facts WHERE case_id = new.case_id;
    INSERT INTO case_figure_facts SELECT * FROM figure_facts_of_cases WHERE case_id = new.case_id;
END;

CREATE TRIGGER figure_tallies_add AFTER INSERT ON case_figure_facts
WHEN NOT EXISTS (SELECT 1 FROM figure_tallies_paused)
BEGIN
    INSERT INTO figure_tallies (place, day, mark, n)
    SELECT place, day, mark, 1 FROM figure_mark_places WHERE case_id = new.case_id
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- Before the row goes, while its marks can still be read. A tally that reaches 0 stays
-- (it reads as 0); the rows are bounded by places × days × marks.
CREATE TRIGGER figure_tallies_remove BEFORE DELETE ON case_figure_facts
WHEN NOT EXISTS (SELECT 1 FROM figure_tallies_paused)
BEGIN
    INSERT INTO figure_tallies (place, day, mark, n)
    SELECT place, day, mark, 0 FROM figure_mark_places WHERE case_id = old.case_id
    ON CONFLICT DO UPDATE SET n = n - 1;
END;
