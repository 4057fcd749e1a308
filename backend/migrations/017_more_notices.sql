-- Issue 14, item 4 (continued). More written notices: 转送/交办告知 (a hand-over to another
-- unit), 复查意见书, and the legal-aid centre's 给予/不予法律援助决定书 (法律援助法 Art.43, 49).
-- Each is numbered per issuing unit and year: the case's holding unit, or the legal-aid
-- centre. A unit may have its own 文号 prefix (NULL: the server's default for the county
-- centre, the unit's name for the others).
-- The notices table is rebuilt (SQLite changes a CHECK only so); same ids. And (below)
-- a legal-aid application can be withdrawn by silence (Art.43).

ALTER TABLE units ADD COLUMN notice_prefix TEXT;

CREATE TABLE notices_new (
    id            INTEGER PRIMARY KEY,
    -- A case's notice, or a legal-aid application's: exactly one of the two.
    case_id       INTEGER REFERENCES cases(id),
    legal_aid_id  INTEGER REFERENCES legal_aid_applications(id),
    kind          TEXT NOT NULL CHECK (kind IN ('acceptance', 'decline', 'reply', 'handover', 'review',
                                                'legal_aid_granted', 'legal_aid_refused')),
    -- Whose running numbers: 'unit:<id>' (a unit of the county) or 'legal_aid' (the
    -- legal-aid centre). Notices issued before this migration were the centre's.
    issuer        TEXT NOT NULL,
    -- The issuing unit's name as printed.
    unit          TEXT NOT NULL,
    year          INTEGER NOT NULL,
    seq           INTEGER NOT NULL,
    number        TEXT NOT NULL,
    issued_on     TEXT NOT NULL,
    issued_at_ms  INTEGER NOT NULL,
    body          TEXT NOT NULL,
    delivered_via TEXT CHECK (delivered_via IN ('in_person', 'post', 'sms_link', 'other')),
    delivered_on  TEXT,
    CHECK ((case_id IS NULL) <> (legal_aid_id IS NULL)),
    CHECK ((delivered_via IS NULL) = (delivered_on IS NULL)),
    UNIQUE (issuer, year, seq),
    UNIQUE (issuer, number)
) STRICT;
INSERT INTO notices_new (id, case_id, legal_aid_id, kind, issuer, unit, year, seq, number, issued_on, issued_at_ms,
                         body, delivered_via, delivered_on)
SELECT id, case_id, NULL, kind, 'unit:' || (SELECT id FROM units WHERE level = 'county'), unit, year, seq, number,
       issued_on, issued_at_ms, body, delivered_via, delivered_on
FROM notices;
DROP TABLE notices;
ALTER TABLE notices_new RENAME TO notices;
CREATE INDEX notices_by_case ON notices(case_id, id) WHERE case_id IS NOT NULL;
CREATE INDEX notices_by_legal_aid ON notices(legal_aid_id, id) WHERE legal_aid_id IS NOT NULL;

-- 法律援助法 Art.43: an applicant who does not send the materials asked for by the set
-- day is taken to have withdrawn the application. A new state, so the table is rebuilt
-- (same ids and columns).
CREATE TABLE legal_aid_applications_new (
    id               INTEGER PRIMARY KEY,
    booking_id       INTEGER NOT NULL UNIQUE REFERENCES bookings(id),
    state            TEXT NOT NULL CHECK (state IN ('received', 'approved', 'refused', 'assigned', 'withdrawn')),
    answers          TEXT NOT NULL,
    precheck         TEXT NOT NULL,
    note             TEXT NOT NULL,
    received_on      TEXT NOT NULL,
    decision_due_on  TEXT NOT NULL,
    decided_on       TEXT,
    lawyer_due_on    TEXT,
    lawyer           TEXT NOT NULL DEFAULT '',
    refusal_reasons  TEXT NOT NULL DEFAULT '',
    created_by       INTEGER NOT NULL REFERENCES staff(id),
    created_at_ms    INTEGER NOT NULL,
    updated_at_ms    INTEGER NOT NULL,
    anonymised_at_ms INTEGER,
    materials        TEXT NOT NULL DEFAULT '[]',
    materials_due_on TEXT,
    paused_since     TEXT,
    paused_days      INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO legal_aid_applications_new (id, booking_id, state, answers, precheck, note, received_on, decision_due_on,
    decided_on, lawyer_due_on, lawyer, refusal_reasons, created_by, created_at_ms, updated_at_ms, anonymised_at_ms,
    materials, materials_due_on, paused_since, paused_days)
SELECT id, booking_id, state, answers, precheck, note, received_on, decision_due_on, decided_on, lawyer_due_on, lawyer,
       refusal_reasons, created_by, created_at_ms, updated_at_ms, anonymised_at_ms, materials, materials_due_on,
       paused_since, paused_days
FROM legal_aid_applications;
DROP TABLE legal_aid_applications;
ALTER TABLE legal_aid_applications_new RENAME TO legal_aid_applications;
-- The housekeeping job's look for silent applicants.
CREATE INDEX legal_aid_awaiting_materials ON legal_aid_applications(materials_due_on)
    WHERE state = 'received' AND paused_since IS NOT NULL;
