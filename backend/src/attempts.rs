//! Slows down guessing of query codes. Every look-up is counted before it runs (under
//! one lock, so a burst of simultaneous guesses cannot slip past the check) and a right
//! code takes its count back. Too many wrong codes are refused for a while — whether or
//! not the number exists, so the refusal tells nothing either.
//!
//! Three counts, so that a stranger guessing at someone's number cannot lock its owner
//! out quickly, while one address cannot sweep many numbers:
//! per number and address (5), per number from anywhere (20), per address (30).

use crate::error::AppError;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const PER_NUMBER_AND_ADDRESS: u32 = 5;
const PER_NUMBER: u32 = 20;
/// A hall's shared Wi-Fi counts as one address.
const PER_ADDRESS: u32 = 30;
const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Past this many tracked keys, expired ones are swept before adding more.
const SWEEP_AT: usize = 10_000;

/// Counts of recent look-ups that did not (yet) succeed.
#[derive(Default)]
pub struct AttemptLimiter {
    counts: Mutex<HashMap<String, (Instant, u32)>>,
}

impl AttemptLimiter {
    /// Counts a look-up, or refuses it with the seconds to wait when a count is used up.
    pub fn begin(&self, tracking_no: &str, ip: IpAddr) -> Result<(), AppError> {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        if counts.len() >= SWEEP_AT {
            counts.retain(|_, (started, _)| now.duration_since(*started) < WINDOW);
        }
        let keys = keys(tracking_no, ip);
        for (key, limit) in &keys {
            if let Some((started, count)) = counts.get(key)
                && now.duration_since(*started) < WINDOW
                && count >= limit
            {
                let wait = WINDOW.saturating_sub(now.duration_since(*started)).as_secs().max(1);
                return Err(AppError::TooManyAttempts(wait));
            }
        }
        for (key, _) in keys {
            let entry = counts.entry(key).or_insert((now, 0));
            if now.duration_since(entry.0) >= WINDOW {
                *entry = (now, 0);
            }
            entry.1 += 1;
        }
        Ok(())
    }

    /// A right code: this look-up does not count against anyone.
    pub fn succeeded(&self, tracking_no: &str, ip: IpAddr) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        for (key, _) in keys(tracking_no, ip) {
            if let Some(entry) = counts.get_mut(&key) {
                entry.1 = entry.1.saturating_sub(1);
            }
        }
    }
}

/// The three counters a look-up touches, with their limits.
fn keys(tracking_no: &str, ip: IpAddr) -> [(String, u32); 3] {
    let address = address_key(ip);
    [
        (format!("no:{tracking_no}@{address}"), PER_NUMBER_AND_ADDRESS),
        (format!("no:{tracking_no}"), PER_NUMBER),
        (format!("ip:{address}"), PER_ADDRESS),
    ]
}

/// IPv4 addresses as they are; IPv6 by /64, the block one subscriber usually holds.
fn address_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn five_wrong_codes_lock_the_number_for_that_address_only() {
        let limiter = AttemptLimiter::default();
        for _ in 0..PER_NUMBER_AND_ADDRESS {
            assert!(limiter.begin("2026112300001", ip("10.0.0.1")).is_ok());
        }
        assert!(matches!(limiter.begin("2026112300001", ip("10.0.0.1")), Err(AppError::TooManyAttempts(s)) if s > 0));
        assert!(limiter.begin("2026112300001", ip("10.0.0.2")).is_ok(), "the owner elsewhere is not locked out");
        assert!(limiter.begin("2026112300002", ip("10.0.0.1")).is_ok(), "other numbers are not locked");
    }

    #[test]
    fn many_addresses_guessing_one_number_lock_it() {
        let limiter = AttemptLimiter::default();
        for n in 0..PER_NUMBER {
            assert!(limiter.begin("2026112300001", ip(&format!("10.0.1.{n}"))).is_ok());
        }
        assert!(limiter.begin("2026112300001", ip("10.0.2.1")).is_err());
    }

    #[test]
    fn right_codes_take_their_count_back() {
        let limiter = AttemptLimiter::default();
        for _ in 0..PER_NUMBER_AND_ADDRESS * 3 {
            assert!(limiter.begin("2026112300001", ip("10.0.0.1")).is_ok());
            limiter.succeeded("2026112300001", ip("10.0.0.1"));
        }
    }

    #[test]
    fn ipv6_neighbours_in_one_64_count_together() {
        assert_eq!(address_key(ip("2001:db8:1:2::1")), address_key(ip("2001:db8:1:2:ffff::9")));
        assert_ne!(address_key(ip("2001:db8:1:2::1")), address_key(ip("2001:db8:1:3::1")));
    }
}
