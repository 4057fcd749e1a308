-- Issue 12. The county on three levels: the county centre (县综治中心) ← township/street
-- centres (乡镇/街道综治中心) ← village/community stations (村/社区服务站) ← grids.
-- Every account belongs to one unit; every case is held by one unit and knows its grid.
-- Runs with foreign keys off (the staff table is rebuilt for its role CHECK); the
-- migration checks them before it commits.

CREATE TABLE units (
    id          INTEGER PRIMARY KEY,
    -- The unit above; NULL for the county centre only.
    parent_id   INTEGER REFERENCES units(id),
    level       TEXT NOT NULL CHECK (level IN ('county', 'township', 'village')),
    name        TEXT NOT NULL,
    -- The place a township centre or a village station serves.
    township_id INTEGER REFERENCES townships(id),
    village_id  INTEGER REFERENCES villages(id),
    CHECK ((level = 'county') = (parent_id IS NULL)),
    CHECK (level = 'county' OR township_id IS NOT NULL),
    CHECK ((level = 'village') = (village_id IS NOT NULL))
) STRICT;
CREATE INDEX units_by_parent ON units(parent_id);
CREATE UNIQUE INDEX units_one_per_township ON units(township_id) WHERE level = 'township';
CREATE UNIQUE INDEX units_one_per_village ON units(village_id) WHERE level = 'village';
CREATE UNIQUE INDEX units_one_county ON units(level) WHERE level = 'county';

-- A unit's parent is exactly one level up: a county has townships, a township its
-- villages. A tree made that way cannot hold a cycle, whatever an import says.
CREATE TRIGGER units_parent_level_insert BEFORE INSERT ON units
WHEN NEW.parent_id IS NOT NULL AND coalesce((SELECT level FROM units WHERE id = NEW.parent_id), '') <>
     CASE NEW.level WHEN 'township' THEN 'county' WHEN 'village' THEN 'township' ELSE '' END
BEGIN SELECT RAISE(ABORT, 'a unit''s parent must be one level up'); END;
CREATE TRIGGER units_parent_level_update BEFORE UPDATE OF parent_id, level ON units
WHEN NEW.parent_id IS NOT NULL AND coalesce((SELECT level FROM units WHERE id = NEW.parent_id), '') <>
     CASE NEW.level WHEN 'township' THEN 'county' WHEN 'village' THEN 'township' ELSE '' END
BEGIN SELECT RAISE(ABORT, 'a unit''s parent must be one level up'); END;

-- The county centre, and a centre for every township and a station for every village
-- there is now; new places get theirs as they are added.
INSERT INTO units (id, parent_id, level, name) VALUES (1, NULL, 'county', '县综治中心');
INSERT INTO units (parent_id, level, name, township_id)
SELECT 1, 'township', name || '综治中心', id FROM townships ORDER BY id;
INSERT INTO units (parent_id, level, name, township_id, village_id)
SELECT (SELECT u.id FROM units u WHERE u.level = 'township' AND u.township_id = v.township_id),
       'village', v.name || '服务站', v.township_id, v.id
FROM villages v ORDER BY v.id;
CREATE TRIGGER townships_get_a_centre AFTER INSERT ON townships BEGIN
    INSERT INTO units (parent_id, level, name, township_id)
    VALUES ((SELECT id FROM units WHERE level = 'county'), 'township', NEW.name || '综治中心', NEW.id);
END;
CREATE TRIGGER villages_get_a_station AFTER INSERT ON villages BEGIN
    INSERT INTO units (parent_id, level, name, township_id, village_id)
    VALUES ((SELECT id FROM units WHERE level = 'township' AND township_id = NEW.township_id), 'village',
            NEW.name || '服务站', NEW.township_id, NEW.id);
END;

-- Departments on levels: county bureaus (县局) and township stations (所/队/办).
ALTER TABLE departments ADD COLUMN level TEXT NOT NULL DEFAULT 'township' CHECK (level IN ('county', 'township'));

-- Staff: a unit for everyone (existing accounts → the county centre) and the grid-worker
-- role, bound to one grid. A CHECK changes only by rebuilding the table (SQLite's
-- "other kinds of table schema changes"): same ids, so every reference still holds.
CREATE TABLE staff_new (
    id              INTEGER PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name    TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('clerk', 'officer', 'leader', 'admin', 'grid_worker')),
    -- Officers belong to exactly one department; no one else belongs to any.
    department_id   INTEGER REFERENCES departments(id),
    password_hash   TEXT NOT NULL,
    active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    failed_sign_ins INTEGER NOT NULL DEFAULT 0,
    locked_until_ms INTEGER NOT NULL DEFAULT 0,
    created_at_ms   INTEGER NOT NULL,
    unit_id         INTEGER NOT NULL REFERENCES units(id),
    -- Grid workers work one grid; no one else has one.
    grid_id         INTEGER REFERENCES grids(id),
    CHECK ((role = 'officer') = (department_id IS NOT NULL)),
    CHECK ((role = 'grid_worker') = (grid_id IS NOT NULL))
) STRICT;
INSERT INTO staff_new (id, username, display_name, role, department_id, password_hash, active, failed_sign_ins,
                       locked_until_ms, created_at_ms, unit_id, grid_id)
SELECT id, username, display_name, role, department_id, password_hash, active, failed_sign_ins, locked_until_ms,
       created_at_ms, 1, NULL
FROM staff;
DROP TABLE staff;
ALTER TABLE staff_new RENAME TO staff;
CREATE INDEX staff_by_unit ON staff(unit_id);
CREATE INDEX staff_by_grid ON staff(grid_id) WHERE grid_id IS NOT NULL;

-- Cases: the unit holding it (existing cases → their township's centre) and its grid.
ALTER TABLE cases ADD COLUMN unit_id INTEGER REFERENCES units(id);
ALTER TABLE cases ADD COLUMN grid_id INTEGER REFERENCES grids(id);
-- The grid worker a case was sent down to (下派), while that task is open.
ALTER TABLE cases ADD COLUMN grid_worker_id INTEGER REFERENCES staff(id);
-- 就地化解: settled on the spot at the grid or village, counted apart.
ALTER TABLE cases ADD COLUMN resolved_on_spot INTEGER NOT NULL DEFAULT 0;
UPDATE cases SET unit_id = (SELECT u.id FROM units u WHERE u.level = 'township' AND u.township_id = cases.township_id);
-- The queue's order (due date, undated last, then id) within each level's area, so its
-- first page is read off an index rather than sorted.
CREATE INDEX cases_queue_all ON cases(due_on IS NULL, due_on);
CREATE INDEX cases_queue_township ON cases(township_id, due_on IS NULL, due_on);
CREATE INDEX cases_queue_village ON cases(village_id, due_on IS NULL, due_on);
CREATE INDEX cases_by_grid_due ON cases(grid_id, due_on) WHERE grid_id IS NOT NULL;
CREATE INDEX cases_by_grid_worker ON cases(grid_worker_id) WHERE grid_worker_id IS NOT NULL;

-- Every hand-over (交办 down, 下派 to a grid worker, 上报 up), with its reason and due
-- date. The case's event records it too; a row here is never changed except to note
-- that a grid worker's task is done.
CREATE TABLE case_handovers (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    kind         TEXT NOT NULL CHECK (kind IN ('assign_down', 'send_to_grid', 'report_up')),
    from_unit_id INTEGER NOT NULL REFERENCES units(id),
    to_unit_id   INTEGER NOT NULL REFERENCES units(id),
    -- The grid worker, for 下派.
    to_staff_id  INTEGER REFERENCES staff(id),
    reason       TEXT NOT NULL,
    due_on       TEXT NOT NULL,
    at_ms        INTEGER NOT NULL,
    staff_id     INTEGER NOT NULL REFERENCES staff(id),
    done_at_ms   INTEGER,
    done_note    TEXT
) STRICT;
CREATE INDEX case_handovers_by_case ON case_handovers(case_id, id);
CREATE INDEX case_handovers_open_by_worker ON case_handovers(to_staff_id) WHERE done_at_ms IS NULL;

-- A department's objection takes effect only when the dispatching centre agrees
-- (核实同意); until then the department still holds its part.
ALTER TABLE case_dispatches ADD COLUMN objection_pending INTEGER NOT NULL DEFAULT 0;

-- 复查 is decided by the level above the unit that replied, 复核 by the level above the
-- unit that decided the 复查 (信访工作条例 Art.35, 36).
ALTER TABLE cases ADD COLUMN replied_by_unit_id INTEGER REFERENCES units(id);
ALTER TABLE cases ADD COLUMN review_unit_id INTEGER REFERENCES units(id);
ALTER TABLE cases ADD COLUMN review_decided_on TEXT;
ALTER TABLE cases ADD COLUMN rereview_requested_at_ms INTEGER;
ALTER TABLE cases ADD COLUMN rereview_reason TEXT;
ALTER TABLE cases ADD COLUMN rereview_due_on TEXT;
ALTER TABLE cases ADD COLUMN rereview_decision TEXT;
UPDATE cases SET replied_by_unit_id = unit_id WHERE replied_on IS NOT NULL;
