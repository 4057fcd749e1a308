-- The case workflow (issue 3): walk-ins, dispatches to departments, statutory clocks,
-- replies, ratings, callbacks and reviews; the holiday calendar; full-text search.

-- Walk-ins (代办登记): group visits and who registered them (首问负责).
ALTER TABLE cases ADD COLUMN group_size INTEGER NOT NULL DEFAULT 1;
ALTER TABLE cases ADD COLUMN representatives TEXT NOT NULL DEFAULT '[]'; -- JSON array of names
ALTER TABLE cases ADD COLUMN registered_by INTEGER REFERENCES staff(id);
ALTER TABLE cases ADD COLUMN linked_case_id INTEGER REFERENCES cases(id);
-- 领导包案.
ALTER TABLE cases ADD COLUMN leader_id INTEGER REFERENCES staff(id);
-- The clocks. `due_on` is the current step's last day (NULL when no clock runs), kept
-- up to date by every transition so the queue can filter and sort on it.
ALTER TABLE cases ADD COLUMN accepted_on TEXT;
ALTER TABLE cases ADD COLUMN handling_due_on TEXT;
ALTER TABLE cases ADD COLUMN extension_days INTEGER;
ALTER TABLE cases ADD COLUMN extension_reason TEXT;
ALTER TABLE cases ADD COLUMN due_on TEXT;
-- Outcomes.
ALTER TABLE cases ADD COLUMN decline_route TEXT;
ALTER TABLE cases ADD COLUMN decline_reason TEXT;
ALTER TABLE cases ADD COLUMN mediation_outcome TEXT; -- JSON of workflow::MediationOutcome
ALTER TABLE cases ADD COLUMN reply TEXT;
ALTER TABLE cases ADD COLUMN replied_on TEXT;
ALTER TABLE cases ADD COLUMN rating TEXT;
ALTER TABLE cases ADD COLUMN review_requested_at_ms INTEGER;
ALTER TABLE cases ADD COLUMN review_reason TEXT;
ALTER TABLE cases ADD COLUMN review_due_on TEXT;
ALTER TABLE cases ADD COLUMN review_decision TEXT;

UPDATE cases SET due_on = acceptance_due_on WHERE state = 'registered';
CREATE INDEX cases_by_due ON cases(due_on);
CREATE INDEX cases_by_state ON cases(state, due_on);
CREATE INDEX cases_by_mobile ON cases(mobile, created_at_ms);
CREATE INDEX cases_by_id_number ON cases(id_number, created_at_ms) WHERE id_number IS NOT NULL;

-- Who acted, as a reference; `actor` keeps the name as it was at the time.
ALTER TABLE case_events ADD COLUMN staff_id INTEGER REFERENCES staff(id);
-- What the resident's timeline says of a public event (the reply, a decline's route
-- and reason, an extension's reason, the departments); `note` is for staff only.
ALTER TABLE case_events ADD COLUMN public_note TEXT NOT NULL DEFAULT '';

-- One department's part of a case (派单). Objected parts stay, for the record.
CREATE TABLE case_dispatches (
    id               INTEGER PRIMARY KEY,
    case_id          INTEGER NOT NULL REFERENCES cases(id),
    department_id    INTEGER NOT NULL REFERENCES departments(id),
    state            TEXT NOT NULL CHECK (state IN ('pending', 'taken', 'objected', 'responded')),
    dispatched_at_ms INTEGER NOT NULL,
    due_on           TEXT NOT NULL,
    objection_due_on TEXT NOT NULL,
    objection_reason TEXT,
    response         TEXT,
    updated_at_ms    INTEGER NOT NULL
) STRICT;
CREATE INDEX case_dispatches_by_case ON case_dispatches(case_id);
CREATE INDEX case_dispatches_by_department ON case_dispatches(department_id, state);

-- 回访 after a "不满意" rating.
CREATE TABLE callback_tasks (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    opened_at_ms INTEGER NOT NULL,
    due_on       TEXT NOT NULL,
    done_at_ms   INTEGER,
    done_by      INTEGER REFERENCES staff(id),
    note         TEXT
) STRICT;
CREATE INDEX callback_tasks_open ON callback_tasks(case_id) WHERE done_at_ms IS NULL;

-- The holiday calendar: dates that differ from the ordinary Monday–Friday week.
CREATE TABLE holidays (
    date TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name TEXT NOT NULL
) STRICT;

-- Chinese full text: trigram tokens need no word segmentation. Queries of one or two
-- characters are shorter than a trigram; the queue falls back to LIKE for them.
CREATE VIRTUAL TABLE cases_fts USING fts5(
    tracking_no, title, description, address,
    content = 'cases', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO cases_fts (cases_fts) VALUES ('rebuild');
CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN
    INSERT INTO cases_fts (rowid, tracking_no, title, description, address)
    VALUES (new.id, new.tracking_no, new.title, new.description, new.address);
END;
CREATE TRIGGER cases_fts_update AFTER UPDATE OF tracking_no, title, description, address ON cases BEGIN
    INSERT INTO cases_fts (cases_fts, rowid, tracking_no, title, description, address)
    VALUES ('delete', old.id, old.tracking_no, old.title, old.description, old.address);
    INSERT INTO cases_fts (rowid, tracking_no, title, description, address)
    VALUES (new.id, new.tracking_no, new.title, new.description, new.address);
END;
