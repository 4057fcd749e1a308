-- Issue 14. Text messages to residents: a transactional outbox. A message is written in
-- the same transaction as the event that causes it (an acknowledged act never loses its
-- message, a rolled-back one never sends one); the delivery worker sends it later.

-- The resident asked for no text messages about this request (不接收短信通知).
ALTER TABLE cases ADD COLUMN sms_opt_out INTEGER NOT NULL DEFAULT 0 CHECK (sms_opt_out IN (0, 1));

CREATE TABLE messages (
    id                 INTEGER PRIMARY KEY,
    -- Sent to the gateway with every attempt: a retry after a crash or a timeout is the
    -- same message to the gateway, never a second one.
    idempotency_id     TEXT NOT NULL UNIQUE,
    case_id            INTEGER REFERENCES cases(id),
    booking_id         INTEGER REFERENCES bookings(id),
    -- The template's id and its parameters (a JSON object of strings).
    template           TEXT NOT NULL,
    params             TEXT NOT NULL,
    -- The full mobile, to send to; shown masked; blanked with the case's personal data.
    mobile             TEXT NOT NULL,
    state              TEXT NOT NULL
        CHECK (state IN ('queued', 'sending', 'delivered', 'failed', 'dead')),
    attempts           INTEGER NOT NULL DEFAULT 0,
    -- When the worker takes it next: now, after quiet hours or the daily cap, after a
    -- back-off; while `sending`, when a claim that never answered (a crash) expires.
    next_attempt_at_ms INTEGER NOT NULL,
    -- A same-day booking change: goes out even in quiet hours.
    urgent             INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
    -- The first hand-over to the gateway: counts against the mobile's daily cap.
    sent_at_ms         INTEGER,
    last_error         TEXT NOT NULL DEFAULT '',
    created_at_ms      INTEGER NOT NULL,
    delivered_at_ms    INTEGER,
    -- A resend by staff points at the message it sends again.
    resent_from        INTEGER REFERENCES messages(id),
    CHECK ((case_id IS NULL) <> (booking_id IS NULL))
) STRICT;
CREATE INDEX messages_due ON messages(next_attempt_at_ms) WHERE state IN ('queued', 'sending', 'failed');
CREATE INDEX messages_by_case ON messages(case_id, id) WHERE case_id IS NOT NULL;
CREATE INDEX messages_by_booking ON messages(booking_id, id) WHERE booking_id IS NOT NULL;
CREATE INDEX messages_by_mobile ON messages(mobile, sent_at_ms);

-- 补正 (一次性告知): everything missing asked for at once, and what came back and when.
CREATE TABLE material_requests (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases(id),
    -- A JSON array of the missing items, as staff listed them.
    items           TEXT NOT NULL,
    due_on          TEXT NOT NULL,
    requested_at_ms INTEGER NOT NULL,
    requested_by    INTEGER NOT NULL REFERENCES staff(id),
    answered_at_ms  INTEGER,
    note            TEXT NOT NULL DEFAULT ''
) STRICT;
-- One open request per case: the next one waits for the answer.
CREATE UNIQUE INDEX material_requests_one_open ON material_requests(case_id) WHERE answered_at_ms IS NULL;
-- Photos sent in answer to a request (they are the case's photos too).
ALTER TABLE uploads ADD COLUMN material_request_id INTEGER REFERENCES material_requests(id);

-- 补正 of a legal-aid application (法律援助法 Art.43): the time materials are awaited
-- does not count towards the 7-day decision: the clock pauses on the day they are asked
-- for and resumes, that many days later, when they arrive.
ALTER TABLE legal_aid_applications ADD COLUMN materials TEXT NOT NULL DEFAULT '[]';
ALTER TABLE legal_aid_applications ADD COLUMN materials_due_on TEXT;
ALTER TABLE legal_aid_applications ADD COLUMN paused_since TEXT;
ALTER TABLE legal_aid_applications ADD COLUMN paused_days INTEGER NOT NULL DEFAULT 0;
