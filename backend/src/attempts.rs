//! Slows down guessing of query codes: after too many wrong codes for one tracking
//! number, or from one address, further look-ups are refused for a while — whether
//! or not the number exists, so the refusal tells nothing either.

use crate::error::AppError;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Wrong codes allowed per tracking number within the window.
const PER_NUMBER: u32 = 5;
/// Wrong codes allowed per client address within the window (a hall's shared Wi-Fi counts once).
const PER_ADDRESS: u32 = 30;
const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Past this many tracked keys, expired ones are swept before adding another.
const SWEEP_AT: usize = 10_000;

/// Counts of recent wrong codes.
#[derive(Default)]
pub struct AttemptLimiter {
    failures: Mutex<HashMap<String, (Instant, u32)>>,
}

impl AttemptLimiter {
    /// Refuses with the seconds to wait when either count is used up.
    pub fn check(&self, tracking_no: &str, ip: IpAddr) -> Result<(), AppError> {
        let failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        for (key, limit) in [(number_key(tracking_no), PER_NUMBER), (address_key(ip), PER_ADDRESS)] {
            if let Some((started, count)) = failures.get(&key)
                && now.duration_since(*started) < WINDOW
                && *count >= limit
            {
                let wait = WINDOW.saturating_sub(now.duration_since(*started)).as_secs().max(1);
                return Err(AppError::TooManyAttempts(wait));
            }
        }
        Ok(())
    }

    /// Counts one wrong code.
    pub fn record_failure(&self, tracking_no: &str, ip: IpAddr) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        if failures.len() >= SWEEP_AT {
            failures.retain(|_, (started, _)| now.duration_since(*started) < WINDOW);
        }
        for key in [number_key(tracking_no), address_key(ip)] {
            let entry = failures.entry(key).or_insert((now, 0));
            if now.duration_since(entry.0) >= WINDOW {
                *entry = (now, 0);
            }
            entry.1 += 1;
        }
    }

    /// A right code clears that number's count (the address's count stays).
    pub fn record_success(&self, tracking_no: &str) {
        self.failures.lock().unwrap_or_else(|e| e.into_inner()).remove(&number_key(tracking_no));
    }
}

fn number_key(tracking_no: &str) -> String {
    format!("no:{tracking_no}")
}

fn address_key(ip: IpAddr) -> String {
    format!("ip:{ip}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_wrong_codes_lock_the_number_but_not_others() {
        let limiter = AttemptLimiter::default();
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        for _ in 0..PER_NUMBER {
            assert!(limiter.check("2026112300001", ip).is_ok());
            limiter.record_failure("2026112300001", ip);
        }
        assert!(matches!(limiter.check("2026112300001", ip), Err(AppError::TooManyAttempts(s)) if s > 0));
        assert!(limiter.check("2026112300002", ip).is_ok());
    }
}
