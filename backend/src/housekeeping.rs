//! Hourly clean-up of what must not be kept: query codes in stored replay answers
//! (only their hash is kept for tracking; the plain code stays replayable for a day,
//! long enough for any retry), photos never attached to a case, and staff sessions
//! past their idle timeout or lifetime (they are refused anyway; this drops the rows).

use crate::auth::{ABSOLUTE_LIFETIME_MS, IDLE_TIMEOUT_MS};
use crate::clock;
use crate::db::{Db, cases, staff, uploads};
use std::time::Duration;

/// How long a plain query code stays in a replay answer, and an unattached photo stays.
const KEEP_MS: i64 = 24 * 60 * 60 * 1000;
const EVERY: Duration = Duration::from_secs(60 * 60);

/// Runs the clean-up now and then every hour, in the background.
pub fn start(db: Db) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(EVERY);
        loop {
            ticks.tick().await;
            if let Err(e) = sweep(&db, clock::now_ms() - KEEP_MS).await {
                tracing::error!(error = %e, "housekeeping failed");
            }
        }
    });
}

/// Forgets plain query codes and drops unattached photos older than `before_ms`.
pub async fn sweep(db: &Db, before_ms: i64) -> Result<(usize, usize), crate::error::AppError> {
    db.write(move |conn| {
        let codes = cases::forget_query_codes(conn, before_ms)?;
        let photos = uploads::delete_unattached(conn, before_ms)?;
        let now = clock::now_ms();
        staff::delete_expired_sessions(conn, now - IDLE_TIMEOUT_MS, now - ABSOLUTE_LIFETIME_MS)?;
        Ok((codes, photos))
    })
    .await
}
