-- Issue 12's bench bar: a township's queue and a grid worker's list in ≤ 100 ms p99 with
-- 1,000,000 cases. Their first page is read off an index, but the counts beside it
-- (total, overdue, due soon) counted every case of the area on each request: 250,000
-- index entries for a township, a million for the county, and for a grid worker one
-- table look-up per case of the grid. Kept tallies make them a sum over a few thousand
-- small rows instead.

-- The cases of each place and due date: the queue's unfiltered total is the sum of an
-- area's rows, its overdue and due-soon counts the sum of the rows before or around
-- today. Kept by the triggers below in the same transaction as the change to the case,
-- so a tally is never behind its cases. Only open cases have a due date (`due_on` is
-- NULL once no clock runs), so the dated rows stay few; a row whose count reaches 0 is
-- deleted. `grid_id` 0: no grid; `due_on` '': no clock running (a primary key's column
-- cannot be NULL in a WITHOUT ROWID table, and NULLs would not meet in ON CONFLICT).
CREATE TABLE case_tallies (
    township_id INTEGER NOT NULL,
    village_id  INTEGER NOT NULL,
    grid_id     INTEGER NOT NULL,
    due_on      TEXT NOT NULL,
    cases       INTEGER NOT NULL CHECK (cases >= 0),
    PRIMARY KEY (township_id, village_id, grid_id, due_on)
) STRICT, WITHOUT ROWID;
CREATE INDEX case_tallies_by_village ON case_tallies(village_id, due_on);
CREATE INDEX case_tallies_by_grid ON case_tallies(grid_id, due_on);

INSERT INTO case_tallies (township_id, village_id, grid_id, due_on, cases)
SELECT township_id, village_id, coalesce(grid_id, 0), coalesce(due_on, ''), count(*)
FROM cases GROUP BY 1, 2, 3, 4;

CREATE TRIGGER case_tallies_insert AFTER INSERT ON cases BEGIN
    INSERT INTO case_tallies (township_id, village_id, grid_id, due_on, cases)
    VALUES (new.township_id, new.village_id, coalesce(new.grid_id, 0), coalesce(new.due_on, ''), 1)
    ON CONFLICT DO UPDATE SET cases = cases + 1;
END;

CREATE TRIGGER case_tallies_delete AFTER DELETE ON cases BEGIN
    UPDATE case_tallies SET cases = cases - 1
    WHERE township_id = old.township_id AND village_id = old.village_id
      AND grid_id = coalesce(old.grid_id, 0) AND due_on = coalesce(old.due_on, '');
    DELETE FROM case_tallies
    WHERE township_id = old.township_id AND village_id = old.village_id
      AND grid_id = coalesce(old.grid_id, 0) AND due_on = coalesce(old.due_on, '') AND cases = 0;
END;

-- Every workflow step writes `due_on`, mostly unchanged: only a real change moves a case.
CREATE TRIGGER case_tallies_update AFTER UPDATE OF township_id, village_id, grid_id, due_on ON cases
WHEN old.township_id IS NOT new.township_id OR old.village_id IS NOT new.village_id
  OR old.grid_id IS NOT new.grid_id OR old.due_on IS NOT new.due_on
BEGIN
    UPDATE case_tallies SET cases = cases - 1
    WHERE township_id = old.township_id AND village_id = old.village_id
      AND grid_id = coalesce(old.grid_id, 0) AND due_on = coalesce(old.due_on, '');
    DELETE FROM case_tallies
    WHERE township_id = old.township_id AND village_id = old.village_id
      AND grid_id = coalesce(old.grid_id, 0) AND due_on = coalesce(old.due_on, '') AND cases = 0;
    INSERT INTO case_tallies (township_id, village_id, grid_id, due_on, cases)
    VALUES (new.township_id, new.village_id, coalesce(new.grid_id, 0), coalesce(new.due_on, ''), 1)
    ON CONFLICT DO UPDATE SET cases = cases + 1;
END;

-- A grid worker's first page: the grid's cases in the queue's order (due date, undated
-- last, then id) straight off an index, like the other levels' (013's cases_queue_*).
CREATE INDEX cases_queue_grid ON cases(grid_id, due_on IS NULL, due_on) WHERE grid_id IS NOT NULL;
-- The cases ever sent down to a grid worker (013's index has only the open tasks).
CREATE INDEX case_handovers_by_worker ON case_handovers(to_staff_id, case_id) WHERE to_staff_id IS NOT NULL;
