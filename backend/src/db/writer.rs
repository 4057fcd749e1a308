//! The single writer: one thread owns the write connection and commits whatever writes
//! are queued in one transaction (group commit). Each write runs in its own savepoint,
//! so one failing write never undoes the others, and each caller is answered only after
//! the commit is on disk. SQLite allows one writer at a time anyway; queueing here
//! instead of in busy_timeout keeps the order fair and the fsyncs few.
//!
//! The queue is bounded twice: by count, and by the bytes the queued writes carry
//! (photos, mostly), so a flood of uploads cannot grow memory; past either bound a write
//! is refused at once (503 with Retry-After). Photos wait in their own lane and are
//! committed in groups of their own, at most a megabyte each, taking turns with the small
//! writes: a case or a sign-in waits for one photo commit at most, never shares one,
//! however many uploads flood in (measured by `tests/benches/abuse.rs`). A writer thread that panics outside a write (a bug)
//! rolls back, is restarted at once, and the writes of that group answer 503; if it
//! keeps panicking it stops, and every write and `/api/v1/health/ready` answer 503 at
//! once instead of hanging.

use crate::error::AppError;
use rusqlite::Connection;
use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// The most writes committed together; bounds the latency of the last one in a group.
const MAX_GROUP: usize = 512;
/// The most bytes of photos committed together (unless one photo is larger): a small
/// write waits for one such commit at most, however many photos are queued.
const MAX_GROUP_BYTES: usize = 1024 * 1024;
/// A write holding this many bytes or more (a photo) goes in the bulk lane (`Lanes`).
const BULK_BYTES: usize = 64 * 1024;
/// Panics of the writer thread within `PANIC_WINDOW` after which it is not restarted.
const MAX_PANICS: usize = 3;
const PANIC_WINDOW: Duration = Duration::from_secs(60);

/// Why a group's commit failed.
#[derive(Debug, Clone)]
enum Failure {
    /// The disk (or the configured database size) is full: nothing was kept; retry later.
    Full,
    Other(String),
}

impl Failure {
    fn of(context: &str, e: &rusqlite::Error) -> Failure {
        if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) {
            Failure::Full
        } else {
            Failure::Other(format!("{context}: {e}"))
        }
    }

    fn into_error(self) -> AppError {
        match self {
            Failure::Full => AppError::StorageFull,
            Failure::Other(e) => AppError::Internal(format!("commit: {e}")),
        }
    }
}

/// Answers a caller once the group's commit has succeeded or failed.
type Reply = Box<dyn FnOnce(Result<(), Failure>) + Send>;
/// A queued write: runs inside its savepoint, says whether to keep it, and how to answer.
type Job = Box<dyn FnOnce(&Connection) -> (bool, Reply) + Send>;

/// A write in the queue, with the bytes it holds counted until it is gone.
struct Queued {
    job: Job,
    bytes: Held,
}

/// Bytes counted against the queue's bound while a queued write holds them.
struct Held {
    bytes: usize,
    queued: Arc<AtomicUsize>,
}

impl Drop for Held {
    fn drop(&mut self) {
        self.queued.fetch_sub(self.bytes, Ordering::Relaxed);
    }
}

/// A handle to the writer thread.
#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::SyncSender<Queued>,
    /// Bytes of the writes queued or being written.
    queued_bytes: Arc<AtomicUsize>,
    max_bytes: usize,
}

/// How long a refused write is told to wait.
const RETRY_AFTER_S: u64 = 1;
/// How long a write is told to wait while the writer is gone (see `Writer::write`).
const STOPPED_RETRY_AFTER_S: u64 = 30;

impl Writer {
    /// Starts the writer thread on this connection, with room for `capacity` queued
    /// writes carrying `max_bytes` in all: a burst beyond either is refused (503) rather
    /// than held in memory.
    pub fn start(conn: Connection, capacity: usize, max_bytes: usize) -> Writer {
        let (jobs, queue) = mpsc::sync_channel::<Queued>(capacity.max(1));
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || supervise(conn, queue, capacity.max(1)))
            .expect("spawn the writer thread");
        Writer { jobs, queued_bytes: Arc::default(), max_bytes }
    }

    /// Queues a write and waits until it is committed (or failed).
    pub async fn write<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, AppError> + Send + 'static,
    {
        self.write_sized(0, f).await
    }

    /// Like `write`, for a write that holds `bytes` of payload (a photo) until it is
    /// written: refused (503) when the queue's bytes would pass the bound.
    pub async fn write_sized<T, F>(&self, bytes: usize, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, AppError> + Send + 'static,
    {
        let before = self.queued_bytes.fetch_add(bytes, Ordering::Relaxed);
        let held = Held { bytes, queued: self.queued_bytes.clone() };
        if bytes > 0 && before.saturating_add(bytes) > self.max_bytes {
            return Err(AppError::Unavailable(RETRY_AFTER_S));
        }
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move |conn| {
            let result = f(conn);
            let keep = result.is_ok();
            let reply: Reply = Box::new(move |commit| {
                let outcome = match commit {
                    Ok(()) => result,
                    // A write that failed on its own (a full disk included) says so itself.
                    Err(_) if result.is_err() => result,
                    Err(e) => Err(e.into_error()),
                };
                let _ = answer.send(outcome);
            });
            (keep, reply)
        });
        self.jobs.try_send(Queued { job, bytes: held }).map_err(|e| match e {
            mpsc::TrySendError::Full(_) => AppError::Unavailable(RETRY_AFTER_S),
            mpsc::TrySendError::Disconnected(_) => {
                tracing::error!("the database writer has stopped: restart the service");
                AppError::Unavailable(STOPPED_RETRY_AFTER_S)
            }
        })?;
        // Unanswered: the writer thread panicked with this write in its group (it rolled
        // back; restarted, it takes writes again) or has stopped. A retry is safe: writes
        // that must not happen twice carry an idempotency key.
        answered.await.map_err(|_| AppError::Unavailable(RETRY_AFTER_S))?
    }
}

/// Runs the writer, restarting it after a panic (rolled back; its group's callers are
/// answered 503 as their answers drop), unless it panics `MAX_PANICS` times within
/// `PANIC_WINDOW`: then it stops, and with it the queue, so every write fails at once.
fn supervise(conn: Connection, queue: mpsc::Receiver<Queued>, capacity: usize) {
    let mut panics: Vec<Instant> = Vec::new();
    loop {
        let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(&conn, &queue, capacity)));
        if ran.is_ok() {
            return; // every handle is gone: the server has stopped
        }
        if !conn.is_autocommit() {
            let _ = conn.execute_batch("ROLLBACK");
        }
        panics.retain(|at| at.elapsed() < PANIC_WINDOW);
        panics.push(Instant::now());
        if panics.len() >= MAX_PANICS {
            tracing::error!(panics = panics.len(), "the database writer keeps failing; it has stopped");
            return;
        }
        tracing::error!("the database writer failed; its group was rolled back and it restarts");
    }
}

/// Writes waiting on the writer thread, in two lanes: a small write (a case, a sign-in)
/// never waits behind more than one group's worth of photos, nor commits with them.
#[derive(Default)]
struct Lanes {
    small: VecDeque<Queued>,
    bulk: VecDeque<Queued>,
    /// Whether photos go next, when both lanes wait.
    photos_turn: bool,
}

impl Lanes {
    fn is_empty(&self) -> bool {
        self.small.is_empty() && self.bulk.is_empty()
    }

    fn push(&mut self, queued: Queued) {
        if queued.bytes.bytes >= BULK_BYTES { self.bulk.push_back(queued) } else { self.small.push_back(queued) }
    }

    /// The next group: every small write waiting (up to `MAX_GROUP`), or photos up to
    /// `MAX_GROUP_BYTES` (at least one), taking turns when both wait: a small write never
    /// shares a commit with a megabyte of photos, and photos are never starved.
    fn next_group(&mut self) -> Vec<Queued> {
        let photos_turn = self.photos_turn || self.small.is_empty();
        self.photos_turn = !photos_turn;
        if !photos_turn || self.bulk.is_empty() {
            return self.small.drain(..self.small.len().min(MAX_GROUP)).collect();
        }
        let (mut group, mut bytes) = (Vec::new(), 0);
        while let Some(next) = self.bulk.front() {
            if bytes > 0 && (bytes + next.bytes.bytes > MAX_GROUP_BYTES || group.len() >= MAX_GROUP) {
                break;
            }
            bytes += next.bytes.bytes;
            group.extend(self.bulk.pop_front());
        }
        group
    }
}

fn run(conn: &Connection, queue: &mpsc::Receiver<Queued>, capacity: usize) {
    let mut lanes = Lanes::default();
    loop {
        if lanes.is_empty() {
            match queue.recv() {
                Ok(queued) => lanes.push(queued),
                Err(_) => return,
            }
        }
        // Take what is queued, as far as the small lane has room: past that, the channel
        // fills and new writes are refused. Photos are bounded by their bytes (`Held`).
        while lanes.small.len() < capacity {
            match queue.try_recv() {
                Ok(queued) => lanes.push(queued),
                Err(_) => break,
            }
        }
        commit_group(conn, lanes.next_group());
    }
}

fn commit_group(conn: &Connection, group: Vec<Queued>) {
    if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
        // Dropping the jobs closes their answer channels: each caller gets an error.
        tracing::error!(error = %e, writes = group.len(), "could not begin a write transaction");
        return;
    }
    let mut replies: Vec<Reply> = Vec::with_capacity(group.len());
    // Each write's bytes stay counted until it has run (and its payload is gone).
    let (jobs, held): (Vec<Job>, Vec<Held>) = group.into_iter().map(|q| (q.job, q.bytes)).unzip();
    for job in jobs {
        match run_in_savepoint(conn, job) {
            Ok(reply) => replies.push(reply),
            Err(e) => {
                // The transaction can no longer be trusted (a savepoint would not end, or
                // SQLite rolled everything back itself on a full disk or I/O error): undo
                // the whole group and tell every caller, so nothing half-done is committed
                // and nobody is told "saved" for a write that is not.
                tracing::error!(error = ?e, "a write group failed; rolling it back");
                let _ = conn.execute_batch("ROLLBACK");
                for reply in replies {
                    reply(Err(e.clone()));
                }
                return;
            }
        }
    }
    drop(held);
    let commit = conn.execute_batch("COMMIT").map_err(|e| Failure::of("commit", &e));
    if commit.is_err() {
        let _ = conn.execute_batch("ROLLBACK");
    }
    for reply in replies {
        reply(commit.clone());
    }
}

/// Runs one write in its own savepoint, rolling it back alone if it failed or panicked.
/// An error here means the group's transaction is broken.
fn run_in_savepoint(conn: &Connection, job: Job) -> Result<Reply, Failure> {
    conn.execute_batch("SAVEPOINT job").map_err(|e| Failure::of("savepoint", &e))?;
    // A panicking write must not take the writer thread (and so all intake) down with it;
    // its caller's channel closes, which answers it with an error.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(conn)));
    if conn.is_autocommit() {
        // SQLite rolled everything back itself (a full disk, an I/O error): this write's
        // caller is told too, with its own error, which says which.
        if let Ok((_, reply)) = outcome {
            reply(Err(Failure::Other("SQLite rolled the transaction back".into())));
        }
        return Err(Failure::Other("SQLite rolled the transaction back".into()));
    }
    let (keep, reply) = match outcome {
        Ok(done) => done,
        Err(_) => {
            tracing::error!("a write panicked; rolled back");
            conn.execute_batch("ROLLBACK TO job; RELEASE job").map_err(|e| Failure::of("rollback to savepoint", &e))?;
            return Ok(Box::new(|_| ()));
        }
    };
    let end = if keep { "RELEASE job" } else { "ROLLBACK TO job; RELEASE job" };
    if let Err(e) = conn.execute_batch(end) {
        // Answered here: the group is rolled back and this caller must hear why.
        let failure = Failure::of("end savepoint", &e);
        reply(Err(failure.clone()));
        return Err(failure);
    }
    Ok(reply)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A raw job for the queue, holding no bytes.
    fn queued(writer: &Writer, job: impl FnOnce(&Connection) -> (bool, Reply) + Send + 'static) -> Queued {
        Queued { job: Box::new(job), bytes: Held { bytes: 0, queued: writer.queued_bytes.clone() } }
    }

    /// Holds the writer inside a write until the returned sender is used (or dropped).
    async fn hold(writer: &Writer) -> (std::sync::mpsc::Sender<()>, tokio::task::JoinHandle<Result<(), AppError>>) {
        let (release, released) = std::sync::mpsc::channel::<()>();
        let (started, has_started) = oneshot::channel::<()>();
        let holding = writer.clone();
        let first = tokio::spawn(async move {
            holding
                .write(move |_| {
                    let _ = started.send(());
                    let _ = released.recv();
                    Ok(())
                })
                .await
        });
        has_started.await.unwrap();
        (release, first)
    }

    /// A write whose answer panics: the writer thread fails outside any write (as a bug
    /// in the writer itself would).
    fn panicking(writer: &Writer) -> Queued {
        queued(writer, |_| (true, Box::new(|_| panic!("a bug in the writer"))))
    }

    #[test]
    fn small_writes_and_photos_take_turns_and_never_share_a_commit() {
        let counted = Arc::new(AtomicUsize::new(0));
        let write = |bytes: usize| Queued {
            job: Box::new(|_| (true, Box::new(|_| ()))),
            bytes: Held { bytes, queued: counted.clone() },
        };
        let mut lanes = Lanes::default();
        for _ in 0..3 {
            lanes.push(write(MAX_GROUP_BYTES / 2));
        }
        lanes.push(write(100));
        lanes.push(write(200));
        let sizes = |group: Vec<Queued>| group.iter().map(|q| q.bytes.bytes).collect::<Vec<_>>();
        assert_eq!(sizes(lanes.next_group()), [100, 200], "the small writes first, without photos");
        lanes.push(write(300));
        assert_eq!(sizes(lanes.next_group()), [MAX_GROUP_BYTES / 2; 2], "then a megabyte of photos");
        assert_eq!(sizes(lanes.next_group()), [300], "then the small write that came meanwhile");
        assert_eq!(sizes(lanes.next_group()), [MAX_GROUP_BYTES / 2], "photos again when nothing else waits");
        assert!(lanes.is_empty());
    }

    #[tokio::test]
    async fn the_queue_is_bounded_by_the_bytes_it_holds() {
        let writer = Writer::start(Connection::open_in_memory().unwrap(), 64, 1000);
        let (release, first) = hold(&writer).await;
        let photo = |bytes: usize| {
            let writer = writer.clone();
            tokio::spawn(async move { writer.write_sized(bytes, |_| Ok(())).await })
        };
        let queued = photo(600);
        while writer.queued_bytes.load(Ordering::Relaxed) < 600 {
            tokio::task::yield_now().await;
        }
        assert!(matches!(photo(600).await.unwrap(), Err(AppError::Unavailable(1))), "600 + 600 > 1000");
        assert!(matches!(photo(1001).await.unwrap(), Err(AppError::Unavailable(1))), "never fits");
        release.send(()).unwrap();
        assert!(first.await.unwrap().is_ok() && queued.await.unwrap().is_ok());
        assert_eq!(writer.queued_bytes.load(Ordering::Relaxed), 0, "counted bytes are given back");
        assert!(photo(1000).await.unwrap().is_ok(), "room again");
    }

    #[tokio::test]
    async fn a_writer_that_panics_is_restarted_and_the_writes_it_dropped_answer_unavailable() {
        let writer = Writer::start(Connection::open_in_memory().unwrap(), 64, 1 << 20);
        writer.write(|conn| Ok(conn.execute_batch("CREATE TABLE t (x INTEGER)")?)).await.unwrap();
        let (release, first) = hold(&writer).await;
        // Queued behind the held write, so the two make the next group together.
        writer.jobs.try_send(panicking(&writer)).ok().unwrap();
        let (answer, answered) = oneshot::channel::<bool>();
        let insert = queued(&writer, move |conn| {
            let done = conn.execute("INSERT INTO t VALUES (1)", []).is_ok();
            (
                done,
                Box::new(move |commit| {
                    let _ = answer.send(commit.is_ok());
                }),
            )
        });
        writer.jobs.try_send(insert).ok().unwrap();
        release.send(()).unwrap();
        assert!(first.await.unwrap().is_ok(), "the group before is answered");
        assert!(answered.await.is_err(), "the answer was dropped with the failed writer: its caller hears 503");
        let count = writer.write(|conn| Ok(conn.query_row("SELECT count(*) FROM t", [], |r| r.get::<_, i64>(0))?));
        assert!(count.await.is_ok(), "restarted, the writer answers again");
    }

    #[tokio::test]
    async fn a_writer_that_keeps_panicking_stops_and_every_write_fails_at_once() {
        let writer = Writer::start(Connection::open_in_memory().unwrap(), 64, 1 << 20);
        for _ in 0..MAX_PANICS {
            writer.jobs.send(panicking(&writer)).unwrap();
            // Answered (or dropped) once that group is done: each panic its own group.
            let _ = writer.write(|_| Ok(())).await;
        }
        let mut refused = None;
        for _ in 0..200 {
            match writer.write(|_| Ok(())).await {
                // Written before the panics, or dropped with one of them.
                Ok(()) | Err(AppError::Unavailable(RETRY_AFTER_S)) => {
                    tokio::time::sleep(Duration::from_millis(5)).await
                }
                Err(e) => {
                    refused = Some(e);
                    break;
                }
            }
        }
        assert!(matches!(refused, Some(AppError::Unavailable(STOPPED_RETRY_AFTER_S))), "{refused:?}");
    }

    #[tokio::test]
    async fn a_full_queue_refuses_at_once_instead_of_growing() {
        let writer = Writer::start(Connection::open_in_memory().unwrap(), 1, 1 << 20);
        // The first write holds the writer until released; others wait in the queue.
        let (release, first) = hold(&writer).await;
        while writer.jobs.try_send(queued(&writer, |_| (false, Box::new(|_| ())))).is_ok() {}
        assert!(matches!(writer.write(|_| Ok(())).await, Err(AppError::Unavailable(_))));
        release.send(()).unwrap();
        assert!(first.await.unwrap().is_ok());
        let mut room_again = false;
        for _ in 0..200 {
            if writer.write(|_| Ok(())).await.is_ok() {
                room_again = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        assert!(room_again, "room again once the writer caught up");
    }

    #[tokio::test]
    async fn a_dead_writer_fails_every_write_at_once_instead_of_hanging() {
        let (jobs, queue) = mpsc::sync_channel::<Queued>(4);
        drop(queue); // as when the writer thread has died
        let writer = Writer { jobs, queued_bytes: Arc::default(), max_bytes: 1 << 20 };
        assert!(matches!(writer.write(|_| Ok(())).await, Err(AppError::Unavailable(_))));
    }

    #[tokio::test]
    async fn a_full_database_answers_storage_full_and_takes_writes_again_when_there_is_room() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (x BLOB); PRAGMA max_page_count = 8;").unwrap();
        let writer = Writer::start(conn, 8, 1 << 20);
        let insert = |conn: &Connection| Ok(conn.execute("INSERT INTO t VALUES (zeroblob(2000))", [])?);
        let mut outcome = Ok(0);
        for _ in 0..50 {
            outcome = writer.write(insert).await;
            if outcome.is_err() {
                break;
            }
        }
        let full = outcome.unwrap_err();
        assert!(full.full_disk(), "{full:?}");
        writer.write(|conn| Ok(conn.execute_batch("PRAGMA max_page_count = 1000")?)).await.unwrap();
        assert!(writer.write(insert).await.is_ok());
    }
}
