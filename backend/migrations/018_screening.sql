-- Issue 12: 排查, a grid worker's screening rounds. A round (who, when, which grid, how
-- many households) and what it found — disputes and risks, each graded 红/黄/绿 and
-- settled, watched or reported up (then the case it became). A round is never changed;
-- a finding's current grade and state change only with an event, and events are
-- append-only: who, when, what.

CREATE TABLE screening_rounds (
    id              INTEGER PRIMARY KEY,
    grid_id         INTEGER NOT NULL REFERENCES grids(id),
    staff_id        INTEGER NOT NULL REFERENCES staff(id),
    round_on        TEXT NOT NULL,
    households      INTEGER NOT NULL CHECK (households BETWEEN 0 AND 1000),
    note            TEXT NOT NULL DEFAULT '',
    at_ms           INTEGER NOT NULL,
    -- The phone's key for the round: a retry answers this round, never a second one.
    idempotency_key TEXT NOT NULL UNIQUE,
    request_hash    TEXT NOT NULL
) STRICT;
CREATE INDEX screening_rounds_by_grid ON screening_rounds(grid_id, id);
CREATE TRIGGER screening_rounds_no_update BEFORE UPDATE ON screening_rounds
BEGIN SELECT RAISE(ABORT, 'screening rounds are append-only'); END;
CREATE TRIGGER screening_rounds_no_delete BEFORE DELETE ON screening_rounds
BEGIN SELECT RAISE(ABORT, 'screening rounds are append-only'); END;

CREATE TABLE screening_risks (
    id            INTEGER PRIMARY KEY,
    round_id      INTEGER NOT NULL REFERENCES screening_rounds(id),
    grid_id       INTEGER NOT NULL REFERENCES grids(id),
    kind          TEXT NOT NULL CHECK (kind IN ('dispute', 'hazard')),
    level         TEXT NOT NULL CHECK (level IN ('red', 'yellow', 'green')),
    state         TEXT NOT NULL CHECK (state IN ('settled', 'watched', 'reported')),
    description   TEXT NOT NULL,
    people        TEXT NOT NULL DEFAULT '',
    -- Reported up: the case it became.
    case_id       INTEGER REFERENCES cases(id),
    updated_at_ms INTEGER NOT NULL,
    CHECK ((state = 'reported') = (case_id IS NOT NULL))
) STRICT;
CREATE INDEX screening_risks_by_round ON screening_risks(round_id);
CREATE INDEX screening_risks_open_by_grid ON screening_risks(grid_id, level) WHERE state <> 'settled';

CREATE TABLE screening_events (
    id       INTEGER PRIMARY KEY,
    risk_id  INTEGER NOT NULL REFERENCES screening_risks(id),
    at_ms    INTEGER NOT NULL,
    staff_id INTEGER NOT NULL REFERENCES staff(id),
    -- The actor's name as it was then.
    actor    TEXT NOT NULL,
    -- found (on a round), settled, reported (up), regraded (a new grade while watched).
    action   TEXT NOT NULL CHECK (action IN ('found', 'settled', 'reported', 'regraded')),
    level    TEXT NOT NULL,
    state    TEXT NOT NULL,
    note     TEXT NOT NULL DEFAULT '',
    case_id  INTEGER REFERENCES cases(id)
) STRICT;
CREATE INDEX screening_events_by_risk ON screening_events(risk_id, id);
CREATE TRIGGER screening_events_no_update BEFORE UPDATE ON screening_events
BEGIN SELECT RAISE(ABORT, 'screening events are append-only'); END;
CREATE TRIGGER screening_events_no_delete BEFORE DELETE ON screening_events
BEGIN SELECT RAISE(ABORT, 'screening events are append-only'); END;
