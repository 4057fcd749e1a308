//! The single writer: one thread owns the write connection and commits whatever writes
//! are queued in one transaction (group commit). Each write runs in its own savepoint,
//! so one failing write never undoes the others, and each caller is answered only after
//! the commit is on disk. SQLite allows one writer at a time anyway; queueing here
//! instead of in busy_timeout keeps the order fair and the fsyncs few.

use crate::error::AppError;
use rusqlite::Connection;
use std::sync::mpsc;
use tokio::sync::oneshot;

/// The most writes committed together; bounds the latency of the last one in a group.
const MAX_GROUP: usize = 512;

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

/// A handle to the writer thread.
#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::SyncSender<Job>,
}

impl Writer {
    /// Starts the writer thread on this connection, with room for `capacity` queued
    /// writes: a burst beyond it is refused (503) rather than held in memory.
    pub fn start(conn: Connection, capacity: usize) -> Writer {
        let (jobs, queue) = mpsc::sync_channel::<Job>(capacity.max(1));
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || run(conn, queue))
            .expect("spawn the writer thread");
        Writer { jobs }
    }

    /// Queues a write and waits until it is committed (or failed).
    pub async fn write<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, AppError> + Send + 'static,
    {
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
        self.jobs.try_send(job).map_err(|e| match e {
            mpsc::TrySendError::Full(_) => AppError::Unavailable(1),
            mpsc::TrySendError::Disconnected(_) => AppError::Internal("the writer has stopped".into()),
        })?;
        answered.await.map_err(|_| AppError::Internal("the writer dropped a write".into()))?
    }
}

fn run(conn: Connection, queue: mpsc::Receiver<Job>) {
    while let Ok(first) = queue.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match queue.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        commit_group(&conn, group);
    }
}

fn commit_group(conn: &Connection, group: Vec<Job>) {
    if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
        // Dropping the jobs closes their answer channels: each caller gets an error.
        tracing::error!(error = %e, writes = group.len(), "could not begin a write transaction");
        return;
    }
    let mut replies: Vec<Reply> = Vec::with_capacity(group.len());
    for job in group {
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

    #[tokio::test]
    async fn a_full_queue_refuses_at_once_instead_of_growing() {
        let writer = Writer::start(Connection::open_in_memory().unwrap(), 1);
        // The first write holds the writer until released; others wait in the queue.
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
        while writer.jobs.try_send(Box::new(|_| (false, Box::new(|_| ())))).is_ok() {}
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
        let (jobs, queue) = mpsc::sync_channel::<Job>(4);
        drop(queue); // as when the writer thread has died
        let writer = Writer { jobs };
        assert!(matches!(writer.write(|_| Ok(())).await, Err(AppError::Internal(_))));
    }

    #[tokio::test]
    async fn a_full_database_answers_storage_full_and_takes_writes_again_when_there_is_room() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (x BLOB); PRAGMA max_page_count = 8;").unwrap();
        let writer = Writer::start(conn, 8);
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
