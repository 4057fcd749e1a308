//! Hourly clean-up of what must not be kept: query codes in stored replay answers
//! (only their hash is kept for tracking; the plain code stays replayable for a day,
//! long enough for any retry), photos never attached to a case, and staff sessions
//! past their idle timeout or lifetime (they are refused anyway; this drops the rows);
//! the retention policy (`Retention`): personal data blanked once its time is up; and the
//! text-message reminders (a booking tomorrow, a review window closing in 3 days); and
//! legal-aid applicants silent past their 补正 day, whose applications are withdrawn (Art.43).

use crate::auth::{ABSOLUTE_LIFETIME_MS, IDLE_TIMEOUT_MS};
use crate::clock;
use crate::db::{Db, cases, retention, staff, uploads};
use std::time::Duration;

/// How long a plain query code stays in a replay answer, and an unattached photo stays.
const KEEP_MS: i64 = 24 * 60 * 60 * 1000;
const EVERY: Duration = Duration::from_secs(60 * 60);

/// How long personal data is kept, as configured.
#[derive(Debug, Clone, clap::Args)]
pub struct Retention {
    /// Years after a case is closed before its resident's personal data (name, mobile,
    /// ID number, address, photos) is blanked; its events and the figures stay.
    #[arg(long, env = "OW_RETAIN_CLOSED_CASES_YEARS", default_value_t = 3)]
    pub closed_cases_years: u32,
    /// Days after a case is declined (spam, or another route) before the same.
    #[arg(long, env = "OW_RETAIN_DECLINED_CASES_DAYS", default_value_t = 180)]
    pub declined_cases_days: u32,
    /// Months after a booking's time, or a staff sign-in, before its personal data (name,
    /// mobile, description; the sign-in's address) goes.
    #[arg(long, env = "OW_RETAIN_RECORDS_MONTHS", default_value_t = 12)]
    pub records_months: u32,
    /// Years after a legal-aid application last changed (decided, a lawyer assigned)
    /// before its applicant's name and mobile and the note taken at the window are
    /// blanked; until then its booking keeps them, whatever `records_months` says.
    #[arg(long, env = "OW_RETAIN_LEGAL_AID_YEARS", default_value_t = 3)]
    pub legal_aid_years: u32,
}

impl Default for Retention {
    fn default() -> Self {
        Retention { closed_cases_years: 3, declined_cases_days: 180, records_months: 12, legal_aid_years: 3 }
    }
}

/// What one run of the retention policy blanked or deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retained {
    pub cases: usize,
    pub bookings: usize,
    pub legal_aid: usize,
    /// 排查 findings whose named people were blanked (on the closed cases' clock).
    pub screening: usize,
    pub sign_in_records: usize,
}

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Applies the retention policy as of `now_ms`.
pub async fn retain(db: &Db, policy: &Retention, now_ms: i64) -> Result<Retained, crate::error::AppError> {
    let closed_before = now_ms - i64::from(policy.closed_cases_years) * 365 * DAY_MS;
    let declined_before = now_ms - i64::from(policy.declined_cases_days) * DAY_MS;
    let records_before = now_ms - i64::from(policy.records_months) * 30 * DAY_MS;
    let legal_aid_before = now_ms - i64::from(policy.legal_aid_years) * 365 * DAY_MS;
    db.write(move |conn| {
        Ok(Retained {
            cases: retention::anonymise_cases(conn, closed_before, declined_before, now_ms)?,
            bookings: retention::anonymise_bookings(conn, records_before, now_ms)?,
            legal_aid: retention::anonymise_legal_aid(conn, legal_aid_before, now_ms)?,
            screening: retention::anonymise_screening(conn, closed_before)?,
            sign_in_records: retention::delete_sign_in_records(conn, records_before)?,
        })
    })
    .await
}

/// Runs the clean-up and the retention policy now and then every hour, in the background.
pub fn start(db: Db, policy: Retention) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(EVERY);
        loop {
            ticks.tick().await;
            if let Err(e) = sweep(&db, clock::now_ms() - KEEP_MS).await {
                tracing::error!(error = %e, "housekeeping failed");
            }
            if let Err(e) = remind(&db, clock::now_ms()).await {
                tracing::error!(error = %e, "text-message reminders failed");
            }
            match withdraw_silent(&db, clock::now_ms()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(applications = n, "legal aid: silent applicants' applications withdrawn"),
                Err(e) => tracing::error!(error = %e, "legal-aid withdrawals failed"),
            }
            match retain(&db, &policy, clock::now_ms()).await {
                Ok(done)
                    if done != Retained { cases: 0, bookings: 0, legal_aid: 0, screening: 0, sign_in_records: 0 } =>
                {
                    tracing::info!(
                        cases = done.cases,
                        bookings = done.bookings,
                        legal_aid = done.legal_aid,
                        screening = done.screening,
                        sign_ins = done.sign_in_records,
                        "retention: personal data blanked"
                    );
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "retention failed"),
            }
        }
    });
}

/// Writes the reminders due as of `now_ms` (`messages::remind`): (bookings, cases).
pub async fn remind(db: &Db, now_ms: i64) -> Result<(usize, usize), crate::error::AppError> {
    db.write(move |conn| crate::messages::remind(conn, now_ms)).await
}

/// Withdraws the legal-aid applications whose applicant let the 补正 day pass (Art.43).
pub async fn withdraw_silent(db: &Db, now_ms: i64) -> Result<usize, crate::error::AppError> {
    db.write(move |conn| crate::booking::legal_aid::withdraw_silent(conn, now_ms)).await
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
