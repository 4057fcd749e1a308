-- Rebuilds the leaders' figures' facts and tallies (migration 021) from the cases and
-- their events in one pass: after that migration, and after a bulk load that paused
-- the triggers (`db::figures::rebuild_tallies`). Run inside one transaction.
INSERT OR IGNORE INTO figure_tallies_paused (paused) VALUES (1);
DELETE FROM figure_tallies;
DELETE FROM case_figure_facts;
INSERT INTO case_figure_facts SELECT * FROM figure_facts_of_cases;
INSERT INTO figure_tallies (place, day, mark, n)
SELECT place, day, mark, count(*) FROM figure_mark_places GROUP BY place, day, mark;
DELETE FROM figure_tallies_paused;
