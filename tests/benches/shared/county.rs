//! A generated county for the benches that need one large (levels, figures): the demo
//! county filled with `n` cases in SQL, spread over its villages and grids, each held by
//! its township's centre, in states and due dates of a working county. Included by path
//! (`#[path = "shared/county.rs"] mod county;`) so that each bench has one copy to use.

use std::path::Path;
use std::time::Instant;

/// When the cases were registered: the first at `first_ms`, then one every `step_ms`.
#[derive(Debug, Clone, Copy)]
pub struct Spread {
    pub first_ms: i64,
    pub step_ms: i64,
}

/// The schema and the demo county, then `n` cases; seconds taken. Without their
/// full-text index (no bench here searches); the figures' tallies made in one pass at the end.
pub fn generate(path: &Path, n: u64, spread: Spread) -> f64 {
    drop(onewindow::db::Db::open(path).unwrap()); // the schema
    let conn = onewindow::db::open_connection(path).unwrap();
    onewindow::seed::seed_demo_if_empty(&conn).unwrap();
    let started = Instant::now();
    // The figures' tallies wait for the end and are made in one pass (`rebuild_tallies`).
    conn.execute_batch("DROP TRIGGER cases_fts_insert; INSERT INTO figure_tallies_paused VALUES (1); BEGIN").unwrap();
    conn.execute(
        "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?1),
              places AS (SELECT g.id AS grid_id, v.id AS village_id, v.township_id AS township_id,
                                row_number() OVER (ORDER BY g.id) - 1 AS k FROM grids g JOIN villages v ON v.id = g.village_id),
              total AS (SELECT count(*) AS n FROM places)
         INSERT INTO cases (tracking_no, query_code_hash, case_type, state, channel, title, description, occurred_on,
                            township_id, village_id, address, other_party_name, contact_name, mobile, identity_protected,
                            created_at_ms, acceptance_due_on, due_on, unit_id, grid_id)
         SELECT printf('B%012d', i), 'x', 'complaint',
                CASE i % 5 WHEN 0 THEN 'registered' WHEN 1 THEN 'accepted' WHEN 2 THEN 'dispatched'
                           WHEN 3 THEN 'replied' ELSE 'closed' END,
                'online', '基准诉求' || i, '基准数据', '2026-01-01', p.township_id, p.village_id, '', '', '张三',
                '13800000000', 0, ?2 + i * ?3, '2026-12-31',
                CASE WHEN i % 5 < 3 THEN date('2026-01-01', '+' || (i % 400) || ' days') END,
                (SELECT u.id FROM units u WHERE u.level = 'township' AND u.township_id = p.township_id), p.grid_id
         FROM seq JOIN total JOIN places p ON p.k = seq.i % total.n",
        rusqlite::params![n, spread.first_ms, spread.step_ms],
    )
    .unwrap();
    conn.execute_batch(
        "COMMIT; CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN
             INSERT INTO cases_fts (rowid, tracking_no, title, description, address)
             VALUES (new.id, new.tracking_no, new.title, new.description, new.address);
         END;",
    )
    .unwrap();
    onewindow::db::figures::rebuild_tallies(&conn).unwrap();
    conn.execute_batch("ANALYZE").unwrap();
    started.elapsed().as_secs_f64()
}
