-- Legal-aid booking (法律服务预约): places with their weekly hours and own closed days,
-- and the bookings. Times of bookings are UTC milliseconds; `day` is the Asia/Shanghai
-- date of the start, kept for the one-per-day rule and the staff's day view.

CREATE TABLE booking_places (
    id                 INTEGER PRIMARY KEY,
    name               TEXT NOT NULL UNIQUE,
    -- 'centre' (县公共法律服务中心) or 'sifasuo' (乡镇司法所).
    kind               TEXT NOT NULL CHECK (kind IN ('centre', 'sifasuo')),
    township_id        INTEGER REFERENCES townships(id),
    address            TEXT NOT NULL,
    phone              TEXT NOT NULL,
    slot_minutes       INTEGER NOT NULL CHECK (slot_minutes BETWEEN 10 AND 240),
    capacity           INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 50),
    window_days        INTEGER NOT NULL CHECK (window_days BETWEEN 1 AND 90),
    min_notice_minutes INTEGER NOT NULL CHECK (min_notice_minutes BETWEEN 0 AND 10080)
) STRICT;

-- Weekly opening hours; a weekday may have several spans (morning, afternoon).
CREATE TABLE booking_hours (
    place_id   INTEGER NOT NULL REFERENCES booking_places(id),
    weekday    INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    open_min   INTEGER NOT NULL CHECK (open_min BETWEEN 0 AND 1440),
    close_min  INTEGER NOT NULL CHECK (close_min BETWEEN 0 AND 1440),
    CHECK (open_min < close_min),
    PRIMARY KEY (place_id, weekday, open_min)
) STRICT;

-- A place's own closed days, besides the holiday calendar.
CREATE TABLE booking_closed_days (
    place_id INTEGER NOT NULL REFERENCES booking_places(id),
    date     TEXT NOT NULL,
    reason   TEXT NOT NULL,
    PRIMARY KEY (place_id, date)
) STRICT;

CREATE TABLE bookings (
    id             INTEGER PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE,
    place_id       INTEGER NOT NULL REFERENCES booking_places(id),
    service        TEXT NOT NULL,
    starts_at_ms   INTEGER NOT NULL,
    ends_at_ms     INTEGER NOT NULL,
    day            TEXT NOT NULL,
    status         TEXT NOT NULL
        CHECK (status IN ('booked', 'waiting', 'cancelled', 'checked_in', 'no_show')),
    name           TEXT NOT NULL,
    mobile         TEXT NOT NULL,
    description    TEXT NOT NULL,
    -- 'online' or 'walk_in' (booked by staff on someone's behalf).
    channel        TEXT NOT NULL CHECK (channel IN ('online', 'walk_in')),
    created_by     INTEGER REFERENCES staff(id),
    -- Was waiting and got the place after a cancellation.
    promoted       INTEGER NOT NULL DEFAULT 0 CHECK (promoted IN (0, 1)),
    created_at_ms  INTEGER NOT NULL,
    updated_at_ms  INTEGER NOT NULL
) STRICT;

-- Counting a slot's places (capacity) and finding its first waiting person.
CREATE INDEX bookings_by_slot ON bookings(place_id, starts_at_ms, status, id);
-- The staff's day view.
CREATE INDEX bookings_by_day ON bookings(place_id, day);
-- One active booking (booked, waiting or checked in) per mobile per day: the database
-- refuses a second even if two requests race.
CREATE UNIQUE INDEX bookings_one_per_mobile_per_day ON bookings(mobile, day)
    WHERE status IN ('booked', 'waiting', 'checked_in');

-- Every change of a booking, append-only.
CREATE TABLE booking_events (
    id         INTEGER PRIMARY KEY,
    booking_id INTEGER NOT NULL REFERENCES bookings(id),
    at_ms      INTEGER NOT NULL,
    -- 'resident', or the staff member's id as text.
    actor      TEXT NOT NULL,
    kind       TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX booking_events_by_booking ON booking_events(booking_id, id);

-- A retry of POST /api/v1/bookings with the same key and body answers the booking it
-- made (as it stands now) instead of booking twice.
CREATE TABLE booking_idempotency (
    key           TEXT PRIMARY KEY,
    request_hash  TEXT NOT NULL,
    booking_id    INTEGER NOT NULL REFERENCES bookings(id),
    created_at_ms INTEGER NOT NULL
) STRICT;

-- A legal-aid application taken at an appointment (法律援助法 Art.41–44), with its clocks:
-- decision within 7 days of receipt, a lawyer within 3 days of approval, a refusal in
-- writing with reasons.
CREATE TABLE legal_aid_applications (
    id              INTEGER PRIMARY KEY,
    booking_id      INTEGER NOT NULL UNIQUE REFERENCES bookings(id),
    state           TEXT NOT NULL CHECK (state IN ('received', 'approved', 'refused', 'assigned')),
    -- PrecheckAnswers and the PrecheckResult of the day, as JSON.
    answers         TEXT NOT NULL,
    precheck        TEXT NOT NULL,
    note            TEXT NOT NULL,
    received_on     TEXT NOT NULL,
    decision_due_on TEXT NOT NULL,
    decided_on      TEXT,
    lawyer_due_on   TEXT,
    lawyer          TEXT NOT NULL DEFAULT '',
    refusal_reasons TEXT NOT NULL DEFAULT '',
    created_by      INTEGER NOT NULL REFERENCES staff(id),
    created_at_ms   INTEGER NOT NULL,
    updated_at_ms   INTEGER NOT NULL
) STRICT;
