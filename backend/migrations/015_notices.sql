-- Issue 14, item 4. Written notices (书面告知): 受理告知书, 不予受理告知书, 处理意见书.
-- Each is written in the same transaction as the event that issues it, and carries a
-- number (文号) unique per unit and year: the constraint, not the code, guarantees it.
CREATE TABLE notices (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases(id),
    kind          TEXT NOT NULL CHECK (kind IN ('acceptance', 'decline', 'reply')),
    -- The issuing unit's name as printed (the centre until units exist).
    unit          TEXT NOT NULL,
    year          INTEGER NOT NULL,
    -- The running number within the unit's year.
    seq           INTEGER NOT NULL,
    -- The number as printed, from the configured pattern at the time of issue: an issued
    -- document never changes, even if the pattern does later.
    number        TEXT NOT NULL,
    issued_on     TEXT NOT NULL,
    issued_at_ms  INTEGER NOT NULL,
    -- The notice's text as issued.
    body          TEXT NOT NULL,
    -- 送达: how and on which day the notice reached the resident, as staff recorded it
    -- (the event says who and when). The review window of a 处理意见书 runs from this day.
    delivered_via TEXT CHECK (delivered_via IN ('in_person', 'post', 'sms_link', 'other')),
    delivered_on  TEXT,
    CHECK ((delivered_via IS NULL) = (delivered_on IS NULL)),
    UNIQUE (unit, year, seq),
    UNIQUE (unit, number)
) STRICT;
CREATE INDEX notices_by_case ON notices(case_id, id);
