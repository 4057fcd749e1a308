//! SQLite access. Reads go through a small connection pool on blocking threads; every
//! write goes through the one writer thread (`writer`), which commits in groups.
//! SQL lives only under this module.

pub mod booking;
pub mod case_detail;
pub mod cases;
pub mod figures;
pub mod grids;
pub mod holidays;
pub mod legal_aid;
pub mod materials;
pub mod messages;
pub mod notices;
pub mod queue;
pub mod regions;
pub mod retention;
mod row;
pub mod screening;
pub(crate) use row::from_serde;
pub mod seed;
pub mod staff;
pub mod units;
pub mod uploads;
pub mod workflow;
pub mod writer;

use crate::error::AppError;
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};
use std::path::Path;
use writer::Writer;

/// A pool of read connections.
pub type Pool = r2d2::Pool<SqliteConnectionManager>;

/// The schema, one numbered SQL file per step; applied at start.
fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("../../migrations/001_init.sql")),
        M::up(include_str!("../../migrations/002_staff.sql")),
        M::up(include_str!("../../migrations/003_workflow.sql")),
        M::up(include_str!("../../migrations/004_booking.sql")),
        M::up(include_str!("../../migrations/005_grids.sql")),
        M::up(include_str!("../../migrations/006_booking_privacy.sql")),
        M::up(include_str!("../../migrations/007_retention.sql")),
        M::up(include_str!("../../migrations/008_pending_uploads.sql")),
        M::up(include_str!("../../migrations/009_contact_and_callbacks.sql")),
        M::up(include_str!("../../migrations/010_booking_urgent.sql")),
        M::up(include_str!("../../migrations/011_legal_aid_retention.sql")),
        // Rebuilds the staff table: foreign keys are off while it runs (`migrate`) and
        // checked before it commits.
        M::up(include_str!("../../migrations/013_units.sql")).foreign_key_check(),
        M::up(include_str!("../../migrations/014_messages.sql")),
        M::up(include_str!("../../migrations/015_notices.sql")),
        M::up(include_str!("../../migrations/016_figures.sql")),
        // Rebuilds the notices table for its kinds' CHECK: same ids, references checked.
        M::up(include_str!("../../migrations/017_more_notices.sql")).foreign_key_check(),
        M::up(include_str!("../../migrations/018_screening.sql")),
        // Last (with 021): their triggers on `cases` would be lost to any later rebuild of that table.
        M::up(include_str!("../../migrations/020_queue_tallies.sql")),
        // The leaders' figures' facts and tallies, then filled from the cases already there.
        M::up(concat!(
            include_str!("../../migrations/021_figure_tallies.sql"),
            include_str!("figure_tallies_rebuild.sql")
        )),
        M::up(include_str!("../../migrations/022_retention_candidates.sql")),
    ])
}

/// Settings for every connection. synchronous=FULL: a case is acknowledged only after
/// its commit reached the disk, so a crash or power cut right after the answer loses
/// nothing; the writer's group commits make that affordable.
const CONNECTION_PRAGMAS: &str = "
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = FULL;
    PRAGMA foreign_keys = ON;
    PRAGMA busy_timeout = 5000;
";

/// Opens one connection with the project's pragmas.
pub fn open_connection(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.execute_batch(CONNECTION_PRAGMAS)?;
    Ok(conn)
}

/// Brings the schema up to date. Foreign keys are off meanwhile, as SQLite asks for a
/// table rebuild (they cannot be switched inside a migration's transaction); the
/// migrations that rebuild check them before committing.
fn migrate(conn: &mut Connection) -> Result<(), AppError> {
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let migrated = migrations().to_latest(conn).map_err(|e| AppError::Internal(format!("migrations: {e}")));
    conn.pragma_update(None, "foreign_keys", "ON")?;
    migrated
}

/// The database: read pool plus the single writer.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    writer: Writer,
}

impl Db {
    /// Opens (creating if needed) and migrates the database, then starts the writer.
    pub fn open(path: &Path) -> Result<Db, AppError> {
        Db::open_with(path, &crate::limits::Limits::default())
    }

    /// Like `open`, with the writer's queue and the database's size as configured.
    pub fn open_with(path: &Path, limits: &crate::limits::Limits) -> Result<Db, AppError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| AppError::Internal(format!("create {dir:?}: {e}")))?;
        }
        let mut conn = open_connection(path)?;
        migrate(&mut conn)?;
        let manager = SqliteConnectionManager::file(path).with_init(|c| c.execute_batch(CONNECTION_PRAGMAS));
        let pool = r2d2::Pool::builder().max_size(8).build(manager)?;
        if limits.max_database_mb > 0 {
            // Only the writer's connection grows the file; past this it answers SQLITE_FULL.
            let page_size: u64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
            let pages = limits.max_database_mb.saturating_mul(1024 * 1024) / page_size.max(512);
            conn.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))?;
        }
        let queue_bytes = usize::try_from(limits.writer_queue_mb.saturating_mul(1024 * 1024)).unwrap_or(usize::MAX);
        Ok(Db { pool, writer: Writer::start(conn, limits.writer_queue, queue_bytes) })
    }

    /// Runs a read on a blocking thread with a pooled connection.
    pub async fn read<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, AppError> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || f(&*pool.get()?))
            .await
            .map_err(|e| AppError::Internal(format!("read task: {e}")))?
    }

    /// Whether the database answers a read and the writer a round trip (for readiness).
    pub async fn ready(&self) -> Result<(), AppError> {
        self.read(|conn| Ok(conn.query_row("SELECT count(*) FROM settings", [], |r| r.get::<_, i64>(0))?)).await?;
        self.write(|conn| Ok(conn.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?)).await?;
        Ok(())
    }

    /// Runs a write in the writer's next group commit; returns once it is durable.
    pub async fn write<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, AppError> + Send + 'static,
    {
        self.writer.write(f).await
    }

    /// Like `write`, for a write holding `bytes` of payload until it is written (a photo,
    /// a submission's text): refused (503) when the writer's queue holds too many bytes.
    pub async fn write_sized<T, F>(&self, bytes: usize, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, AppError> + Send + 'static,
    {
        self.writer.write_sized(bytes, f).await
    }
}

/// Copies the database at `from` into a new file `to`, consistent as of one moment even
/// while the server writes (`VACUUM INTO` reads in one transaction; the WAL is included).
/// The copy is written beside `to` and renamed into place once whole and checked, so a
/// failed backup never leaves a file that looks like one. Returns the copy's case count.
pub fn backup(from: &Path, to: &Path) -> Result<i64, AppError> {
    if to.exists() {
        return Err(AppError::Internal(format!("{} already exists", to.display())));
    }
    let partial = to.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    let conn = Connection::open_with_flags(from, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    let target = partial.to_str().ok_or_else(|| AppError::Internal("the backup path is not UTF-8".into()))?;
    conn.execute("VACUUM INTO ?1", [target])?;
    let copy = Connection::open(&partial)?;
    let check: String = copy.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(AppError::Internal(format!("the copy fails its integrity check: {check}")));
    }
    let cases = copy.query_row("SELECT count(*) FROM cases", [], |r| r.get(0))?;
    drop(copy);
    std::fs::rename(&partial, to).map_err(|e| AppError::Internal(format!("rename the copy: {e}")))?;
    Ok(cases)
}

/// Applies the migrations to a bare connection (for unit tests).
#[cfg(test)]
pub fn migrate_for_tests(conn: &mut Connection) {
    migrate(conn).unwrap();
}

#[cfg(test)]
mod tests {
    /// The crash test (SIGKILL) cannot see a lost fsync: the OS keeps the page cache.
    /// What protects against a power cut is these settings, so they are pinned here.
    #[tokio::test]
    async fn every_connection_is_wal_with_full_sync() {
        let dir = std::env::temp_dir().join(format!("ow-pragmas-{}", std::process::id()));
        let db = super::Db::open(&dir.join("p.sqlite")).unwrap();
        let read = |sql: &'static str| {
            db.read(move |c| {
                Ok(c.query_row(sql, [], |r| {
                    r.get::<_, String>(0).or_else(|_| r.get::<_, i64>(0).map(|n| n.to_string()))
                })?)
            })
        };
        assert_eq!(read("PRAGMA journal_mode").await.unwrap(), "wal");
        assert_eq!(read("PRAGMA synchronous").await.unwrap(), "2", "2 = FULL");
        let writer = db.write(|c| Ok(c.query_row("PRAGMA synchronous", [], |r| r.get::<_, i64>(0))?)).await.unwrap();
        assert_eq!(writer, 2);
    }

    #[test]
    fn migrations_are_valid() {
        super::migrations().validate().unwrap();
    }

    /// A database made by the schema before migration 013 (main before issue 12), with
    /// places, staff, a session, cases, their events and a department's part, upgrades
    /// in place: nothing lost, cases held by their townships' centres, staff at the
    /// county centre, every reference intact and the append-only triggers still there.
    #[test]
    fn a_database_of_the_old_schema_upgrades_in_place() {
        use rusqlite::Connection;
        use rusqlite_migration::{M, Migrations};
        let dir = std::env::temp_dir().join(format!("ow-old-schema-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("old.sqlite");
        let _ = std::fs::remove_file(&path);
        let old: Vec<&str> = vec![
            include_str!("../../migrations/001_init.sql"),
            include_str!("../../migrations/002_staff.sql"),
            include_str!("../../migrations/003_workflow.sql"),
            include_str!("../../migrations/004_booking.sql"),
            include_str!("../../migrations/005_grids.sql"),
            include_str!("../../migrations/006_booking_privacy.sql"),
            include_str!("../../migrations/007_retention.sql"),
            include_str!("../../migrations/008_pending_uploads.sql"),
            include_str!("../../migrations/009_contact_and_callbacks.sql"),
            include_str!("../../migrations/010_booking_urgent.sql"),
        ];
        let mut conn = super::open_connection(&path).unwrap();
        Migrations::new(old.into_iter().map(M::up).collect()).to_latest(&mut conn).unwrap();
        conn.execute_batch(
            "INSERT INTO townships (id, name) VALUES (1, '城关街道'), (2, '桃源镇');
             INSERT INTO villages (id, township_id, name) VALUES (1, 1, '幸福社区'), (2, 2, '桃源村');
             INSERT INTO grids (id, village_id, code, name, worker_name, worker_phone)
                 VALUES (1, 1, 'G1', '幸福社区第1网格', '王秀英', '13900000001');
             INSERT INTO departments (id, code, name) VALUES (1, 'sifasuo', '司法所');
             INSERT INTO staff (id, username, display_name, role, department_id, password_hash, created_at_ms)
                 VALUES (1, 'clerk', '窗口-李敏', 'clerk', NULL, 'h', 1), (2, 'officer', '司法所-陈静', 'officer', 1, 'h', 1);
             INSERT INTO staff_sessions (token_hash, staff_id, csrf_token, created_at_ms, last_seen_ms)
                 VALUES ('t', 1, 'c', 1, 1);
             INSERT INTO staff_events (at_ms, kind, staff_id) VALUES (1, 'account_created', 1), (1, 'account_created', 2);
             INSERT INTO cases (id, tracking_no, query_code_hash, case_type, state, channel, title, description,
                 occurred_on, township_id, village_id, address, other_party_name, contact_name, mobile,
                 identity_protected, created_at_ms, acceptance_due_on, registered_by)
                 VALUES (1, '2611010000001', 'q', 'complaint', 'dispatched', 'visit', '路灯', '路灯坏了', '2026-11-01',
                         1, 1, '', '', '张三', '13812345678', 0, 1, '2026-11-16', 1),
                        (2, '2611010000002', 'q', 'help', 'registered', 'online', '低保', '咨询低保', '2026-11-01',
                         2, 2, '', '', '李四', '13812345679', 0, 1, '2026-11-16', NULL);
             INSERT INTO case_events (case_id, at_ms, actor, staff_id, unit, kind, from_state, to_state, public)
                 VALUES (1, 1, '窗口-李敏', 1, '一窗通办', 'walk_in_registered', NULL, 'registered', 1),
                        (1, 2, '窗口-李敏', 1, '一窗通办', 'dispatched', 'accepted', 'dispatched', 1),
                        (2, 1, '群众', NULL, '一窗通办', 'submitted', NULL, 'registered', 1);
             INSERT INTO case_dispatches (case_id, department_id, state, dispatched_at_ms, due_on, objection_due_on,
                 updated_at_ms) VALUES (1, 1, 'pending', 2, '2026-11-30', '2026-11-20', 2);",
        )
        .unwrap();
        drop(conn);

        let db = super::Db::open(&path).unwrap();
        drop(db);
        let conn = Connection::open(&path).unwrap();
        let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        for (table, n) in [
            ("cases", 2),
            ("case_events", 3),
            ("staff", 2),
            ("staff_sessions", 1),
            ("staff_events", 2),
            ("case_dispatches", 1),
        ] {
            assert_eq!(count(&format!("SELECT count(*) FROM {table}")), n, "{table} kept");
        }
        let holders: Vec<String> = conn
            .prepare("SELECT u.name FROM cases c JOIN units u ON u.id = c.unit_id ORDER BY c.id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(holders, ["城关街道综治中心", "桃源镇综治中心"], "cases go to their townships' centres");
        let tallied = "SELECT count(*) FROM case_tallies WHERE cases = 1 AND township_id = village_id";
        assert_eq!(count(tallied), 2, "the queue's tallies (020) count the cases already there");
        // The figures' tallies (021): each case registered, in the county, its township and
        // village; the walk-in's dispatch (its one figure event) counted too.
        assert_eq!(count("SELECT count(*) FROM case_figure_facts"), 2);
        assert_eq!(count("SELECT coalesce(sum(n), 0) FROM figure_tallies WHERE mark = 1"), 2 * 3);
        assert_eq!(count("SELECT coalesce(sum(n), 0) FROM figure_tallies WHERE mark = 16 AND place = 0"), 1);
        assert_eq!(count("SELECT count(*) FROM figure_tallies_paused"), 0);
        assert_eq!(count("SELECT count(*) FROM staff s JOIN units u ON u.id = s.unit_id WHERE u.level = 'county'"), 2);
        assert_eq!(count("SELECT count(*) FROM units WHERE level = 'village' AND parent_id IS NOT NULL"), 2);
        assert_eq!(count("SELECT count(*) FROM staff WHERE username = 'officer' AND department_id = 1"), 1);
        assert_eq!(count("SELECT count(*) FROM pragma_foreign_key_check"), 0, "every reference holds");
        // Still append-only, and the staff table takes the new role and keeps its rules.
        assert!(conn.execute("UPDATE case_events SET note = 'x'", []).is_err());
        assert!(conn.execute("DELETE FROM staff_events WHERE kind = 'account_created'", []).is_err());
        conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
        conn.execute(
            "INSERT INTO staff (username, display_name, role, password_hash, created_at_ms, unit_id, grid_id)
             VALUES ('grid', '网格员', 'grid_worker', 'h', 1, 1, 1)",
            [],
        )
        .unwrap();
        let bad = "INSERT INTO staff (username, display_name, role, password_hash, created_at_ms, unit_id)
                   VALUES ('grid2', '网格员', 'grid_worker', 'h', 1, 1)";
        assert!(conn.execute(bad, []).is_err(), "a grid worker needs a grid");
        assert!(conn.execute("UPDATE staff SET unit_id = 999 WHERE id = 1", []).is_err(), "units are references");
        // A new township gets its centre; a unit's parent must be one level up (no cycles).
        conn.execute("INSERT INTO townships (name) VALUES ('新镇')", []).unwrap();
        assert_eq!(count("SELECT count(*) FROM units WHERE name = '新镇综治中心' AND parent_id = 1"), 1);
        let village = count("SELECT id FROM units WHERE level = 'village' LIMIT 1");
        assert!(conn.execute(&format!("UPDATE units SET parent_id = {village} WHERE id = 2"), []).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
