//! Password hashing: Argon2id with the crate's default parameters, stored as PHC strings
//! (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`). Hashing takes tens of milliseconds of
//! CPU and ≈19 MiB on purpose, so it runs on the blocking pool, never on the async
//! runtime or the database writer, and at most one hash per core at a time (`HASHING`),
//! so that a burst of sign-ins neither starves the database's reads of threads nor
//! takes memory without bound; the others wait their turn.

use crate::error::AppError;
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

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

/// Permits to hash: one per core.
static HASHING: std::sync::LazyLock<tokio::sync::Semaphore> = std::sync::LazyLock::new(|| {
    tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
});

async fn turn() -> Result<tokio::sync::SemaphorePermit<'static>, AppError> {
    HASHING.acquire().await.map_err(|e| AppError::Internal(format!("hashing permits: {e}")))
}

/// Hashes a password on the blocking pool, in turn.
pub async fn hash(password: String) -> Result<String, AppError> {
    // The permit goes with the hash: a caller that gives up does not free it early.
    let turn = turn().await?;
    tokio::task::spawn_blocking(move || {
        let _turn = turn;
        hash_blocking(&password)
    })
    .await
    .map_err(|e| AppError::Internal(format!("hash task: {e}")))?
}

/// Checks a password on the blocking pool against the account's hash, or without an
/// account against a dummy hash, so that both take the same time and answer alike.
pub async fn verify(password: String, phc: Option<String>) -> Result<bool, AppError> {
    let turn = turn().await?;
    tokio::task::spawn_blocking(move || {
        let _turn = turn;
        let matches = verify_blocking(&password, phc.as_deref().unwrap_or(DUMMY_HASH));
        matches && phc.is_some()
    })
    .await
    .map_err(|e| AppError::Internal(format!("verify task: {e}")))
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
