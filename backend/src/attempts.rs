//! Slows down guessing of query codes. Every look-up is counted before it runs (under
//! one lock, so a burst of simultaneous guesses cannot slip past the check) and a right
//! code takes its count back. Too many wrong codes are refused for a while — whether or
//! not the number exists, so the refusal tells nothing either.
//!
//! Three counts, so that a stranger guessing at someone's number cannot lock its owner
//! out quickly, while one address cannot sweep many numbers: per number and address
//! (5 in 15 minutes), per number from anywhere (100 a day), per address (30 in 15 minutes).
//!
//! The counted key is always a well-formed number or code (callers refuse malformed
//! ones before counting), so keys are short; the map holds at most `MAX_KEYS` of them
//! and is swept on a timer (`sweep`), never scanned on a request.

use crate::error::AppError;
use crate::limits::AddressKey;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const PER_NUMBER_AND_ADDRESS: u32 = 5;
/// From anywhere, per day: slow enough that strangers must send a hundred wrong codes
/// to lock a resident's own look-up for the day, and guessing stays infeasible.
const PER_NUMBER: u32 = 100;
const PER_NUMBER_WINDOW: Duration = Duration::from_secs(24 * 60 * 60);
/// A hall's shared Wi-Fi counts as one address.
const PER_ADDRESS: u32 = 30;
const WINDOW: Duration = Duration::from_secs(15 * 60);
/// The most counts kept. Past it, new keys go uncounted until the next sweep (the
/// per-address rate limits still apply); memory stays bounded whatever is sent.
pub const MAX_KEYS: usize = 200_000;

/// What a count is kept for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    NumberAt(Box<str>, AddressKey),
    Number(Box<str>),
    Address(AddressKey),
}

impl Key {
    /// How long a count runs before it starts again.
    fn window(&self) -> Duration {
        match self {
            Key::Number(_) => PER_NUMBER_WINDOW,
            Key::NumberAt(..) | Key::Address(_) => WINDOW,
        }
    }
}

/// Counts of recent look-ups that did not (yet) succeed.
#[derive(Default)]
pub struct AttemptLimiter {
    counts: Mutex<HashMap<Key, (Instant, u32)>>,
}

impl AttemptLimiter {
    /// Counts a look-up of a well-formed `number` (a tracking number, a booking code), or
    /// refuses it with the seconds to wait when a count is used up.
    pub fn begin(&self, number: &str, ip: IpAddr) -> Result<(), AppError> {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let keys = keys(number, ip);
        for (key, limit) in &keys {
            let window = key.window();
            if let Some((started, count)) = counts.get(key)
                && now.duration_since(*started) < window
                && count >= limit
            {
                let wait = window.saturating_sub(now.duration_since(*started)).as_secs().max(1);
                return Err(AppError::TooManyAttempts(wait));
            }
        }
        for (key, _) in keys {
            let full = counts.len() >= MAX_KEYS;
            if full && !counts.contains_key(&key) {
                continue;
            }
            let window = key.window();
            let entry = counts.entry(key).or_insert((now, 0));
            if now.duration_since(entry.0) >= window {
                *entry = (now, 0);
            }
            entry.1 += 1;
        }
        Ok(())
    }

    /// A right code: this look-up does not count against anyone.
    pub fn succeeded(&self, number: &str, ip: IpAddr) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        for (key, _) in keys(number, ip) {
            if let Some(entry) = counts.get_mut(&key) {
                entry.1 = entry.1.saturating_sub(1);
            }
        }
    }

    /// Forgets counts whose window has passed; run on a timer.
    pub fn sweep(&self) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        counts.retain(|key, (started, _)| now.duration_since(*started) < key.window());
        counts.shrink_to_fit();
    }

    /// How many counts are kept (for tests).
    pub fn len(&self) -> usize {
        self.counts.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Whether no counts are kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The three counters a look-up touches, with their limits.
fn keys(number: &str, ip: IpAddr) -> [(Key, u32); 3] {
    let address = AddressKey::from(ip);
    [
        (Key::NumberAt(number.into(), address), PER_NUMBER_AND_ADDRESS),
        (Key::Number(number.into()), PER_NUMBER),
        (Key::Address(address), PER_ADDRESS),
    ]
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
    fn the_map_is_bounded_and_swept() {
        let limiter = AttemptLimiter::default();
        for n in 0..(MAX_KEYS as u32 / 3 + 10) {
            let _ = limiter.begin(&format!("{n:013}"), IpAddr::from(n.to_be_bytes()));
        }
        assert!(limiter.len() <= MAX_KEYS);
        limiter.sweep();
        assert!(limiter.len() <= MAX_KEYS, "nothing expired yet, still bounded");
    }
}
