//! Histories for the generated county's cases (the figures bench): acceptance, due
//! dates, extensions, dispatches to departments with their answers, replies (some
//! late), ratings, mediations with their outcomes, repeats and group visits — each act
//! an event, as the server records them. Works on the cases `county::generate` made
//! (tracking numbers `B…`; `i` is the number in it).

use std::path::Path;
use std::time::Instant;

/// Adds the histories; seconds taken.
pub fn add(path: &Path) -> f64 {
    let conn = onewindow::db::open_connection(path).unwrap();
    let started = Instant::now();
    // The Shanghai date `days` days after registration.
    let day = |days: &str| format!("date((created_at_ms + 28800000) / 1000, 'unixepoch', '+{days} days')");
    let script = format!(
        "INSERT INTO figure_tallies_paused VALUES (1);
         BEGIN;
         CREATE TEMP TABLE g AS SELECT id, CAST(substr(tracking_no, 2) AS INTEGER) AS i, created_at_ms AS t
             FROM cases WHERE tracking_no LIKE 'B%';
         UPDATE cases SET
             accepted_on = CASE WHEN state != 'registered' THEN {accepted} END,
             handling_due_on = CASE WHEN state != 'registered' THEN
                 CASE WHEN CAST(substr(tracking_no, 2) AS INTEGER) % 40 = 1 THEN {due_extended} ELSE {due} END END,
             extension_days = CASE WHEN CAST(substr(tracking_no, 2) AS INTEGER) % 40 = 1 THEN 30 END,
             rating = CASE WHEN state IN ('replied', 'closed') THEN
                 CASE CAST(substr(tracking_no, 2) AS INTEGER) % 4 WHEN 0 THEN 'satisfied' WHEN 1 THEN 'basically_satisfied'
                      WHEN 2 THEN 'dissatisfied' END END,
             group_size = CASE WHEN CAST(substr(tracking_no, 2) AS INTEGER) % 50 = 0 THEN 6 ELSE 1 END,
             linked_case_id = CASE WHEN CAST(substr(tracking_no, 2) AS INTEGER) % 20 = 0 THEN 1 END,
             mediation_outcome = CASE WHEN state IN ('replied', 'closed') AND CAST(substr(tracking_no, 2) AS INTEGER) % 7 = 0 THEN
                 CASE WHEN CAST(substr(tracking_no, 2) AS INTEGER) % 3 != 0
                      THEN json_object('outcome', 'settled', 'agreement', '协议', 'judicial_confirmation_on',
                                       CASE WHEN CAST(substr(tracking_no, 2) AS INTEGER) % 21 = 7 THEN {confirmed} END)
                      ELSE json_object('outcome', 'not_settled', 'referred_to_court',
                                       json(CASE WHEN CAST(substr(tracking_no, 2) AS INTEGER) % 2 = 0 THEN 'true' ELSE 'false' END),
                                       'note', '') END END
         WHERE tracking_no LIKE 'B%';
         INSERT INTO case_events (case_id, at_ms, actor, unit, kind, to_state, public)
             SELECT id, t, '居民', '', 'submitted', 'registered', 1 FROM g
             UNION ALL SELECT id, t + 2 * 86400000, '受理员', '中心', 'accepted', 'accepted', 1 FROM g WHERE i % 5 != 0
             UNION ALL SELECT id, t + 30 * 86400000, '受理员', '中心', 'extended', 'accepted', 1 FROM g WHERE i % 40 = 1
             UNION ALL SELECT id, t + 3 * 86400000, '受理员', '中心', 'dispatched', 'dispatched', 1 FROM g WHERE i % 5 >= 2
             UNION ALL SELECT id, t + 4 * 86400000, '部门', '部门', 'dispatch_taken', 'dispatched', 1 FROM g WHERE i % 5 >= 2
             UNION ALL SELECT id, t + 4 * 86400000, '部门', '部门', 'dispatch_objected', 'dispatched', 1
                 FROM g WHERE i % 30 = 2
             UNION ALL SELECT id, t + (5 + i % 20) * 86400000, '部门', '部门', 'responded', 'dispatched', 1
                 FROM g WHERE i % 5 >= 3
             UNION ALL SELECT id, t + 15 * 86400000, '调解员', '中心', 'mediation_recorded', 'dispatched', 1
                 FROM g WHERE i % 5 >= 3 AND i % 7 = 0
             UNION ALL SELECT id, t + (10 + i % 70) * 86400000, '受理员', '中心', 'replied', 'replied', 1
                 FROM g WHERE i % 5 >= 3;
         INSERT INTO case_dispatches (case_id, department_id, state, dispatched_at_ms, due_on, objection_due_on,
                                      updated_at_ms)
             SELECT id, (SELECT min(id) FROM departments), 'taken', t + 3 * 86400000,
                    date((t + 28800000) / 1000, 'unixepoch', '+20 days'), date((t + 28800000) / 1000, 'unixepoch', '+5 days'),
                    t + 4 * 86400000
             FROM g WHERE i % 5 = 2;
         COMMIT;",
        accepted = day("2"),
        due = day("62"),
        due_extended = day("92"),
        confirmed = day("40"),
    );
    conn.execute_batch(&script).unwrap();
    // The figures' facts and tallies of the histories, in one pass rather than event by event.
    onewindow::db::figures::rebuild_tallies(&conn).unwrap();
    conn.execute_batch("ANALYZE").unwrap();
    started.elapsed().as_secs_f64()
}
