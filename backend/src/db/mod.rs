//! SQLite access. Reads go through a small connection pool on blocking threads; every
//! write goes through the one writer thread (`writer`), which commits in groups.
//! SQL lives only under this module.

pub mod booking;
pub mod case_detail;
pub mod cases;
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
pub(crate) use row::from_serde;
pub mod seed;
pub mod staff;
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
        M::up(include_str!("../../migrations/014_messages.sql")),
        M::up(include_str!("../../migrations/015_notices.sql")),
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
        migrations().to_latest(&mut conn).map_err(|e| AppError::Internal(format!("migrations: {e}")))?;
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
    migrations().to_latest(conn).unwrap();
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
}
