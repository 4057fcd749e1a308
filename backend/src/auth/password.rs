//! Password hashing: Argon2id with the crate's default parameters, stored as PHC strings
//! (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`). Hashing takes tens of milliseconds of
//! CPU and ≈19 MiB on purpose, so it runs on its own pool (`POOL`): one thread per core,
//! never the async runtime, the database's read threads or its writer. Each pool thread
//! keeps one Argon2 working memory and reuses it, so a flood of sign-ins costs at most
//! one working memory per core: freeing and allocating 19 MiB per guess on ever-changing
//! threads fragmented the allocator's arenas until the server held gigabytes
//! (measured by `tests/benches/abuse.rs`). Guesses beyond the pool wait their turn.

use crate::error::AppError;
use argon2::password_hash::phc::Output;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Block, Params, PasswordHash, Version};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// A hash of a random password no one knows, with the same parameters as real hashes:
/// an unknown user name is checked against it, so it takes as long as a wrong password.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$LCYsow7nEOnMWRhvItMJYA$q5KmZ3SGByLngs6JNbzCzX4mRmagqIuo8qZvPnXRMvo";

/// Hashes a password with a fresh random salt (blocking; see `hash`).
pub fn hash_blocking(password: &str) -> Result<String, AppError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| AppError::Internal(format!("password hashing: {e}")))
}

/// Whether the password matches the PHC string (blocking); a malformed hash matches nothing.
pub fn verify_blocking(password: &str, phc: &str) -> bool {
    Argon2::default().verify_password(password.as_bytes(), phc).is_ok()
}

/// Like `verify_blocking`, in `memory` (grown if the hash's parameters need more).
fn verify_in(memory: &mut Vec<Block>, password: &str, phc: &str) -> bool {
    let Ok(hash) = PasswordHash::new(phc) else { return false };
    let (Some(salt), Some(expected)) = (&hash.salt, &hash.hash) else { return false };
    let (Ok(params), Ok(algorithm)) = (Params::try_from(&hash), Algorithm::try_from(hash.algorithm.as_str())) else {
        return false;
    };
    let version = match hash.version.map(Version::try_from) {
        None => Version::default(),
        Some(Ok(version)) => version,
        Some(Err(_)) => return false,
    };
    let blocks = params.block_count();
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
    let mut computed = vec![0u8; expected.as_ref().len()];
    let argon2 = Argon2::new(algorithm, version, params);
    argon2.hash_password_into_with_memory(password.as_bytes(), salt, &mut computed, &mut memory[..blocks]).is_ok()
        // Output's comparison takes constant time.
        && Output::new(&computed).is_ok_and(|computed| computed == *expected)
}

/// Work for the pool: runs with the thread's Argon2 memory.
type Job = Box<dyn FnOnce(&mut Vec<Block>) + Send>;

/// The hashing threads, one per core, sharing one queue.
static POOL: std::sync::LazyLock<Mutex<mpsc::Sender<Job>>> = std::sync::LazyLock::new(|| {
    let (jobs, queue) = mpsc::channel::<Job>();
    let queue = Arc::new(Mutex::new(queue));
    for n in 0..std::thread::available_parallelism().map_or(2, |n| n.get()) {
        let queue = queue.clone();
        let started = std::thread::Builder::new().name(format!("argon2-{n}")).spawn(move || {
            lower_priority();
            let mut memory = vec![Block::default(); Params::default().block_count()];
            loop {
                let job = match queue.lock().unwrap_or_else(|e| e.into_inner()).recv() {
                    Ok(job) => job,
                    Err(_) => return,
                };
                job(&mut memory);
            }
        });
        if let Err(e) = started {
            tracing::error!(error = %e, "could not start a password hashing thread");
        }
    }
    Mutex::new(jobs)
});

/// Hashing yields the processor to requests: a flood of guesses slows the guesses
/// (each waits its turn anyway), not the residents' requests.
fn lower_priority() {
    // SAFETY: setpriority only reads its arguments. On Linux, nice is per thread and
    // `who = 0` is the calling thread.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}

/// Runs `work` on the pool and waits for its answer. A caller that gave up (its request
/// timed out) before its turn came costs no hash.
async fn on_pool<T: Send + 'static>(work: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static) -> Result<T, AppError> {
    let (answer, answered) = oneshot::channel();
    let job: Job = Box::new(move |memory| {
        if !answer.is_closed() {
            let _ = answer.send(work(memory));
        }
    });
    POOL.lock()
        .unwrap_or_else(|e| e.into_inner())
        .send(job)
        .map_err(|_| AppError::Internal("the password hashing threads have stopped".into()))?;
    answered.await.map_err(|_| AppError::Internal("a password hashing thread failed".into()))
}

/// Hashes a password on the hashing pool.
pub async fn hash(password: String) -> Result<String, AppError> {
    on_pool(move |_| hash_blocking(&password)).await?
}

/// How long the last password check took (µs), for answers that check none.
static LAST_CHECK_MICROS: AtomicU64 = AtomicU64::new(50_000);

/// About as long as a password check takes here, so that an answer given without one (a
/// locked name) comes as late as a wrong password's.
pub fn typical_check() -> Duration {
    Duration::from_micros(LAST_CHECK_MICROS.load(Ordering::Relaxed))
}

/// Checks a password on the hashing pool against the account's hash, or without an
/// account against a dummy hash, so that both take the same time and answer alike.
pub async fn verify(password: String, phc: Option<String>) -> Result<bool, AppError> {
    on_pool(move |memory| {
        let started = Instant::now();
        let matches = verify_in(memory, &password, phc.as_deref().unwrap_or(DUMMY_HASH));
        LAST_CHECK_MICROS.store(started.elapsed().as_micros() as u64, Ordering::Relaxed);
        matches && phc.is_some()
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let phc = hash_blocking("correct horse battery").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify_blocking("correct horse battery", &phc));
        assert!(!verify_blocking("correct horse batterY", &phc));
        assert_ne!(phc, hash_blocking("correct horse battery").unwrap(), "salted");
        assert!(!verify_blocking("x", "not a phc string"));
    }

    #[test]
    fn verifying_in_reused_memory_agrees_with_the_crate() {
        let phc = hash_blocking("correct horse battery").unwrap();
        let mut memory = Vec::new();
        for (password, phc) in [("correct horse battery", phc.as_str()), ("wrong", phc.as_str()), ("x", DUMMY_HASH)] {
            assert_eq!(verify_in(&mut memory, password, phc), verify_blocking(password, phc), "{password}");
        }
        assert!(verify_in(&mut memory, "correct horse battery", &phc));
        assert!(!verify_in(&mut memory, "x", "not a phc string"));
    }

    #[tokio::test]
    async fn an_unknown_account_never_matches() {
        assert!(!verify("anything".into(), None).await.unwrap());
        let phc = hash("0123456789".into()).await.unwrap();
        assert!(verify("0123456789".into(), Some(phc)).await.unwrap());
        // The dummy has the same cost as a real hash.
        let real = hash_blocking("x").unwrap();
        assert_eq!(DUMMY_HASH.split('$').nth(3), real.split('$').nth(3));
    }
}
