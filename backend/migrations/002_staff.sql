-- Staff accounts and their sessions (filled in by the auth work of issue 3).
CREATE TABLE staff (
    id              INTEGER PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name    TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('clerk', 'officer', 'leader', 'admin')),
    -- Officers belong to exactly one department; no one else belongs to any.
    department_id   INTEGER REFERENCES departments(id),
    password_hash   TEXT NOT NULL,
    active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    failed_sign_ins INTEGER NOT NULL DEFAULT 0,
    locked_until_ms INTEGER NOT NULL DEFAULT 0,
    created_at_ms   INTEGER NOT NULL,
    CHECK ((role = 'officer') = (department_id IS NOT NULL))
) STRICT;

-- Only a hash of the session cookie is stored: a copy of the database signs no one in.
CREATE TABLE staff_sessions (
    token_hash    TEXT PRIMARY KEY,
    staff_id      INTEGER NOT NULL REFERENCES staff(id),
    csrf_token    TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    last_seen_ms  INTEGER NOT NULL
) STRICT;
CREATE INDEX staff_sessions_by_staff ON staff_sessions(staff_id);

-- Who signed in or out and what administrators did to accounts, append-only: who,
-- when, from where. Never a password or a token.
CREATE TABLE staff_events (
    id        INTEGER PRIMARY KEY,
    at_ms     INTEGER NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('sign_in', 'sign_in_failed', 'sign_out', 'account_created',
                                            'deactivated', 'password_reset')),
    -- The account concerned; NULL for a sign-in attempt under an unknown name.
    staff_id  INTEGER REFERENCES staff(id),
    -- The administrator who acted on the account; NULL when it was its holder or the command line.
    actor_id  INTEGER REFERENCES staff(id),
    client_ip TEXT
) STRICT;
CREATE INDEX staff_events_by_staff ON staff_events(staff_id, id);
CREATE TRIGGER staff_events_no_update BEFORE UPDATE ON staff_events
BEGIN SELECT RAISE(ABORT, 'staff events are append-only'); END;
CREATE TRIGGER staff_events_no_delete BEFORE DELETE ON staff_events
BEGIN SELECT RAISE(ABORT, 'staff events are append-only'); END;
