//! The delivery worker: a tokio task that claims due messages from the outbox, sends
//! them through the gateway and records the outcome, with retries and exponential
//! back-off. A claim is recorded (`sending`) before the call; after a crash the message
//! is tried again with the same idempotency id, so the gateway sees one message.

use super::gateway::{Gateway, Outgoing, SendError};
use super::{Params, QuietHours, SmsConfig, day_start_ms, render};
use crate::clock;
use crate::db::Db;
use crate::db::messages::{self as store, MessageRow};
use crate::error::AppError;
use rusqlite::Connection;
use std::sync::{Arc, Weak};
use std::time::Duration;
use tokio::sync::Semaphore;

/// Kept in the server's state: the worker stops once the server is gone.
#[derive(Debug, Default)]
pub struct Alive;

/// The longest wait between two attempts.
const MAX_BACKOFF_MS: u64 = 60 * 60 * 1000;

/// The delay before attempt `attempts + 1`, after `attempts` failed ones (≥ 1):
/// base, 2×base, 4×base, … at most an hour.
pub fn backoff_ms(base_ms: u64, attempts: u32) -> u64 {
    base_ms.saturating_mul(1u64 << attempts.saturating_sub(1).min(30)).min(MAX_BACKOFF_MS)
}

/// The delivery rules the claim applies.
#[derive(Clone, Copy)]
struct Policy {
    quiet: QuietHours,
    daily_cap: u32,
    /// How long a claim stays the worker's before it may be taken again.
    lease_ms: i64,
}

/// Starts the worker. Fails if the gateway is not configured well enough to send.
pub async fn start(db: Db, config: SmsConfig, site: String, alive: Weak<Alive>) -> Result<(), AppError> {
    let gateway = Arc::new(Gateway::new(config.clone(), site).map_err(AppError::Internal)?);
    let released = db.write(|conn| store::release_claims(conn, clock::now_ms())).await?;
    if released > 0 {
        tracing::warn!(messages = released, "messages claimed before a restart are due again (same idempotency ids)");
    }
    let policy = Policy {
        quiet: config.quiet_hours,
        daily_cap: config.daily_cap.max(1),
        lease_ms: config.timeout_ms as i64 + 30_000,
    };
    tokio::spawn(run(db, gateway, config, policy, alive));
    Ok(())
}

async fn run(db: Db, gateway: Arc<Gateway>, config: SmsConfig, policy: Policy, alive: Weak<Alive>) {
    let slots = Arc::new(Semaphore::new(config.concurrency.max(1)));
    let poll = Duration::from_millis(config.poll_ms.max(10));
    while alive.strong_count() > 0 {
        let free = slots.available_permits();
        if free == 0 {
            // Every slot is busy: wait for one to free up.
            drop(slots.clone().acquire_owned().await);
            continue;
        }
        let claimed = match claim(&db, policy, free).await {
            Ok(claimed) => claimed,
            Err(e) => {
                tracing::error!(error = %e, "could not claim messages");
                tokio::time::sleep(poll).await;
                continue;
            }
        };
        if claimed.is_empty() {
            tokio::time::sleep(poll).await;
            continue;
        }
        for message in claimed {
            let Ok(slot) = slots.clone().acquire_owned().await else { return };
            let (db, gateway) = (db.clone(), gateway.clone());
            let (max_attempts, base_ms) = (config.max_attempts.max(1), config.retry_base_ms);
            tokio::spawn(async move {
                let outcome = gateway.send(&outgoing(&message, &gateway)).await;
                if let Err(e) = record(&db, &message, outcome, max_attempts, base_ms).await {
                    // Left `sending`: its lease runs out and it is tried again, same id.
                    tracing::error!(error = %e, message = message.id, "could not record a send");
                }
                drop(slot);
            });
        }
    }
}

/// The message as the gateway gets it.
fn outgoing(m: &MessageRow, gateway: &Gateway) -> Outgoing {
    let params: Params = serde_json::from_str(&m.params).unwrap_or_default();
    Outgoing {
        idempotency_id: m.idempotency_id.clone(),
        mobile: m.mobile.clone(),
        template: m.template.clone(),
        text: render(&m.template, &params, gateway.sign_name(), gateway.site()),
        params,
    }
}

/// Claims up to `limit` due messages, holding back those in quiet hours or over the
/// mobile's daily cap; a cheap read first, so an idle outbox costs no write.
async fn claim(db: &Db, policy: Policy, limit: usize) -> Result<Vec<MessageRow>, AppError> {
    let now_ms = clock::now_ms();
    if !db.read(move |conn| store::any_due(conn, now_ms)).await? {
        return Ok(Vec::new());
    }
    db.write(move |conn| claim_due(conn, policy, now_ms, limit)).await
}

fn claim_due(conn: &Connection, policy: Policy, now_ms: i64, limit: usize) -> Result<Vec<MessageRow>, AppError> {
    let mut claimed = Vec::new();
    for m in store::due(conn, now_ms, limit)? {
        if m.mobile.is_empty() {
            // Blanked by the retention policy before it could go.
            store::claim(conn, m.id, now_ms, now_ms)?;
            store::mark_failed(conn, m.id, None, "号码已按保存期限删除")?;
            continue;
        }
        if !m.urgent
            && let Some(until) = policy.quiet.quiet_until(now_ms)
        {
            store::postpone(conn, m.id, until)?;
            continue;
        }
        // A retry was counted when it first went out; a first send counts now.
        if m.sent_at_ms.is_none() && store::sent_since(conn, &m.mobile, day_start_ms(now_ms))? >= policy.daily_cap {
            store::postpone(conn, m.id, policy.quiet.next_morning(now_ms))?;
            continue;
        }
        store::claim(conn, m.id, now_ms, now_ms + policy.lease_ms)?;
        claimed.push(m);
    }
    Ok(claimed)
}

/// Records a send's outcome: delivered, failed (again after a back-off) or dead.
async fn record(
    db: &Db,
    m: &MessageRow,
    outcome: Result<(), SendError>,
    max_attempts: u32,
    base_ms: u64,
) -> Result<(), AppError> {
    let id = m.id;
    let attempts = m.attempts + 1;
    let now_ms = clock::now_ms();
    match outcome {
        Ok(()) => db.write(move |conn| store::mark_delivered(conn, id, now_ms)).await,
        Err(e) => {
            tracing::warn!(message = id, attempts, reason = %e.reason, permanent = e.permanent, "a text message failed");
            let retry_at =
                (!e.permanent && attempts < max_attempts).then(|| now_ms + backoff_ms(base_ms, attempts) as i64);
            db.write(move |conn| store::mark_failed(conn, id, retry_at, &e.reason)).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::backoff_ms;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff_ms(5000, 1), 5000);
        assert_eq!(backoff_ms(5000, 2), 10_000);
        assert_eq!(backoff_ms(5000, 4), 40_000);
        assert_eq!(backoff_ms(5000, 40), 3_600_000);
    }
}
