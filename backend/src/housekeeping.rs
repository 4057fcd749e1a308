//! Hourly clean-up of what must not be kept: query codes in stored replay answers
//! (only their hash is kept for tracking; the plain code stays replayable for a day,
//! long enough for any retry), photos never attached to a case, and staff sessions
//! past their idle timeout or lifetime (they are refused anyway; this drops the rows).

use crate::clock;
use crate::db::Db;
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
        let codes = conn.execute(
            "UPDATE idempotency_keys SET response = json_set(response, '$.query_code', '')
             WHERE created_at_ms < ?1 AND json_extract(response, '$.query_code') != ''",
            [before_ms],
        )?;
        let photos = conn.execute("DELETE FROM uploads WHERE case_id IS NULL AND created_at_ms < ?1", [before_ms])?;
        let now = clock::now_ms();
        conn.execute(
            "DELETE FROM staff_sessions WHERE last_seen_ms < ?1 OR created_at_ms < ?2",
            [now - crate::auth::IDLE_TIMEOUT_MS, now - crate::auth::ABSOLUTE_LIFETIME_MS],
        )?;
        Ok((codes, photos))
    })
    .await
}
