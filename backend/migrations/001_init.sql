-- The demo county's places and the township centre's departments.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE townships (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
) STRICT;

CREATE TABLE villages (
    id          INTEGER PRIMARY KEY,
    township_id INTEGER NOT NULL REFERENCES townships(id),
    name        TEXT NOT NULL,
    UNIQUE (township_id, name)
) STRICT;

CREATE TABLE grids (
    id           INTEGER PRIMARY KEY,
    village_id   INTEGER NOT NULL REFERENCES villages(id),
    code         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    worker_name  TEXT NOT NULL,
    worker_phone TEXT NOT NULL
) STRICT;

CREATE TABLE departments (
    id   INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE
) STRICT;

-- Cases (诉求). Personal data stays here; responses mask it.
CREATE TABLE cases (
    id                 INTEGER PRIMARY KEY,
    tracking_no        TEXT NOT NULL UNIQUE,
    query_code_hash    TEXT NOT NULL,
    case_type          TEXT NOT NULL,
    state              TEXT NOT NULL,
    channel            TEXT NOT NULL,
    title              TEXT NOT NULL,
    description        TEXT NOT NULL,
    occurred_on        TEXT NOT NULL,
    township_id        INTEGER NOT NULL REFERENCES townships(id),
    village_id         INTEGER NOT NULL REFERENCES villages(id),
    address            TEXT NOT NULL,
    other_party_name   TEXT NOT NULL,
    mediation          TEXT,
    contact_name       TEXT NOT NULL,
    mobile             TEXT NOT NULL,
    id_number          TEXT,
    -- 检举: the accuser's identity never reaches a handling department (信访工作条例 Art.30).
    identity_protected INTEGER NOT NULL CHECK (identity_protected IN (0, 1)),
    created_at_ms      INTEGER NOT NULL,
    acceptance_due_on  TEXT NOT NULL
) STRICT;

-- Every state change of a case, append-only: who, when, what, from-state → to-state.
CREATE TABLE case_events (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    at_ms      INTEGER NOT NULL,
    actor      TEXT NOT NULL,
    unit       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    from_state TEXT,
    to_state   TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    public     INTEGER NOT NULL CHECK (public IN (0, 1))
) STRICT;
CREATE INDEX case_events_by_case ON case_events(case_id, id);
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END;
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END;

-- Photos, checked by content; attached to a case when it is submitted.
CREATE TABLE uploads (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL,
    width         INTEGER NOT NULL,
    height        INTEGER NOT NULL,
    bytes         INTEGER NOT NULL,
    data          BLOB NOT NULL,
    created_at_ms INTEGER NOT NULL,
    case_id       INTEGER REFERENCES cases(id)
) STRICT;

-- A retried submission returns the stored response instead of making a second case.
-- Written in the same transaction as the case.
CREATE TABLE idempotency_keys (
    key           TEXT PRIMARY KEY,
    request_hash  TEXT NOT NULL,
    case_id       INTEGER NOT NULL REFERENCES cases(id),
    response      TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL
) STRICT;
