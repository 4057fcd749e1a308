-- Grids (网格): boundaries with versions, the grid worker and the 3+N team, service
-- items, address keywords for the search, and an append-only log of every change.

-- Public by regulation (Binzhou Art.6, 10): area, supervision phone.
ALTER TABLE grids ADD COLUMN area_description TEXT NOT NULL DEFAULT '';
ALTER TABLE grids ADD COLUMN supervision_phone TEXT NOT NULL DEFAULT '';

-- Every drawn boundary is kept: a re-drawn grid gets the next version, and look-ups use
-- the latest version whose effective_from is not after today. `geometry` is a GeoJSON
-- Polygon or MultiPolygon in WGS84, checked on import.
CREATE TABLE grid_boundaries (
    id             INTEGER PRIMARY KEY,
    grid_id        INTEGER NOT NULL REFERENCES grids(id),
    version        INTEGER NOT NULL CHECK (version >= 1),
    effective_from TEXT NOT NULL,
    geometry       TEXT NOT NULL,
    imported_at_ms INTEGER NOT NULL,
    UNIQUE (grid_id, version)
) STRICT;
CREATE INDEX grid_boundaries_current ON grid_boundaries(grid_id, effective_from, version);
CREATE TRIGGER grid_boundaries_no_update BEFORE UPDATE ON grid_boundaries
BEGIN SELECT RAISE(ABORT, 'boundary versions are kept as drawn'); END;
CREATE TRIGGER grid_boundaries_no_delete BEFORE DELETE ON grid_boundaries
BEGIN SELECT RAISE(ABORT, 'boundary versions are kept as drawn'); END;

-- The grid worker and the 3+N team; `position` keeps the order staff gave.
-- grids.worker_name/worker_phone mirror the first worker for older readers.
CREATE TABLE grid_people (
    grid_id  INTEGER NOT NULL REFERENCES grids(id),
    position INTEGER NOT NULL,
    role     TEXT NOT NULL,
    name     TEXT NOT NULL,
    phone    TEXT NOT NULL,
    PRIMARY KEY (grid_id, position)
) STRICT;
INSERT INTO grid_people (grid_id, position, role, name, phone)
SELECT id, 0, 'worker', worker_name, worker_phone FROM grids WHERE worker_name <> '';

-- 网格服务事项.
CREATE TABLE grid_service_items (
    grid_id  INTEGER NOT NULL REFERENCES grids(id),
    position INTEGER NOT NULL,
    item     TEXT NOT NULL,
    PRIMARY KEY (grid_id, position)
) STRICT;

-- Addresses and place names inside a grid (小区/栋, 组, 寨), for the address search.
CREATE TABLE grid_places (
    grid_id  INTEGER NOT NULL REFERENCES grids(id),
    position INTEGER NOT NULL,
    place    TEXT NOT NULL,
    PRIMARY KEY (grid_id, position)
) STRICT;

-- What the address search matches: each grid's name, places, village and township.
-- Rebuilt whole after every import (names and places change only then). Trigram
-- tokens need no word segmentation; 1–2 character queries fall back to LIKE.
CREATE VIRTUAL TABLE grid_search USING fts5(text, grid_id UNINDEXED, kind UNINDEXED, tokenize = 'trigram');
INSERT INTO grid_search (text, grid_id, kind)
SELECT g.name, g.id, 'grid' FROM grids g
UNION ALL SELECT v.name, g.id, 'village' FROM grids g JOIN villages v ON v.id = g.village_id
UNION ALL SELECT t.name, g.id, 'township' FROM grids g JOIN villages v ON v.id = g.village_id
    JOIN townships t ON t.id = v.township_id;

-- Every change to a grid, append-only: who, when, what.
CREATE TABLE grid_events (
    id       INTEGER PRIMARY KEY,
    grid_id  INTEGER NOT NULL REFERENCES grids(id),
    at_ms    INTEGER NOT NULL,
    actor_id INTEGER REFERENCES staff(id),
    actor    TEXT NOT NULL,
    kind     TEXT NOT NULL,
    detail   TEXT NOT NULL
) STRICT;
CREATE INDEX grid_events_by_grid ON grid_events(grid_id, id);
CREATE TRIGGER grid_events_no_update BEFORE UPDATE ON grid_events
BEGIN SELECT RAISE(ABORT, 'grid events are append-only'); END;
CREATE TRIGGER grid_events_no_delete BEFORE DELETE ON grid_events
BEGIN SELECT RAISE(ABORT, 'grid events are append-only'); END;
