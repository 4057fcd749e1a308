//! Slows down password guessing without letting a stranger lock staff out.
//!
//! Every sign-in reserves its attempt here before the password is checked, under one
//! lock, so a burst of simultaneous guesses cannot all be evaluated: the fifth failure in
//! a row from one address locks that name *for that address* (a minute, doubling to an
//! hour), and `GLOBAL_FAILURES` failures from anywhere within `GLOBAL_WINDOW` lock the
//! name everywhere for the rest of that window — slow enough that one remote address
//! cannot keep `admin` locked for the hall's own network. A success takes its
//! reservation back. Names are counted whether or not they exist, by a hash, so a lock
//! tells nothing about which names exist and keys stay small; the map is bounded and
//! swept on a timer.

use crate::limits::AddressKey;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures in a row from one address that lock the name for that address.
pub const FAILURES_BEFORE_LOCK: u32 = 5;
const FIRST_LOCK: Duration = Duration::from_secs(60);
const LONGEST_LOCK: Duration = Duration::from_secs(60 * 60);
/// Failures from all addresses together that lock the name everywhere.
pub const GLOBAL_FAILURES: u32 = 100;
const GLOBAL_WINDOW: Duration = Duration::from_secs(60 * 60);
/// The most counts kept; past it, new ones are not counted until the next sweep (the
/// per-address sign-in rate limit still applies).
const MAX_KEYS: usize = 100_000;

/// How long a name stays locked for an address after this many failures in a row.
pub fn lock_for(failures: u32) -> Duration {
    match failures.checked_sub(FAILURES_BEFORE_LOCK) {
        None => Duration::ZERO,
        Some(extra) => FIRST_LOCK.saturating_mul(1 << extra.min(16)).min(LONGEST_LOCK),
    }
}

type Name = [u8; 16];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    NameAt(Name, AddressKey),
    Name(Name),
}

#[derive(Debug, Clone, Copy)]
struct Count {
    failures: u32,
    since: Instant,
    locked_until: Option<Instant>,
}

/// An attempt that may go on to the password check.
pub struct Reservation {
    name: Name,
    address: AddressKey,
}

/// The sign-in counts.
#[derive(Default)]
pub struct SignInGuard {
    counts: Mutex<HashMap<Key, Count>>,
}

fn name_key(username: &str) -> Name {
    let digest = Sha256::digest(username.trim().to_lowercase().as_bytes());
    let mut name = [0u8; 16];
    name.copy_from_slice(&digest[..16]);
    name
}

impl SignInGuard {
    /// Counts an attempt as a failure until it proves otherwise, or refuses it (None)
    /// while the name is locked for this address or everywhere.
    pub fn reserve(&self, username: &str, ip: IpAddr) -> Option<Reservation> {
        let (name, address) = (name_key(username), AddressKey::from(ip));
        let now = Instant::now();
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let (at, all) = (Key::NameAt(name, address), Key::Name(name));
        let locked = |key: &Key| counts.get(key).and_then(|c| c.locked_until).is_some_and(|until| until > now);
        if locked(&at) || locked(&all) {
            return None;
        }
        let room = counts.len() + 2 <= MAX_KEYS;
        if room || counts.contains_key(&at) {
            let count = counts.entry(at).or_insert(Count { failures: 0, since: now, locked_until: None });
            count.failures += 1;
            if count.failures >= FAILURES_BEFORE_LOCK {
                count.locked_until = Some(now + lock_for(count.failures));
            }
        }
        if room || counts.contains_key(&all) {
            let count = counts.entry(all).or_insert(Count { failures: 0, since: now, locked_until: None });
            if now.duration_since(count.since) >= GLOBAL_WINDOW {
                *count = Count { failures: 0, since: now, locked_until: None };
            }
            count.failures += 1;
            if count.failures >= GLOBAL_FAILURES {
                count.locked_until = Some(count.since + GLOBAL_WINDOW);
            }
        }
        Some(Reservation { name, address })
    }

    /// The right password: the attempt takes its count back and the failures in a row
    /// from this address start again.
    pub fn succeeded(&self, reservation: Reservation) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        counts.remove(&Key::NameAt(reservation.name, reservation.address));
        if let Some(count) = counts.get_mut(&Key::Name(reservation.name)) {
            count.failures = count.failures.saturating_sub(1);
        }
    }

    /// Lifts every lock of a name (an administrator set a new password).
    pub fn forget(&self, username: &str) {
        let name = name_key(username);
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        counts.retain(|key, _| !matches!(key, Key::NameAt(n, _) | Key::Name(n) if *n == name));
    }

    /// Forgets counts that no longer lock and whose window has passed; run on a timer.
    pub fn sweep(&self) {
        let now = Instant::now();
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        counts.retain(|key, count| {
            let locked = count.locked_until.is_some_and(|until| until > now);
            let recent = match key {
                // Failures in a row are remembered as long as a lock could still follow.
                Key::NameAt(..) => now.duration_since(count.since) < LONGEST_LOCK,
                Key::Name(_) => now.duration_since(count.since) < GLOBAL_WINDOW,
            };
            locked || recent
        });
        counts.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn the_lock_starts_at_the_fifth_failure_and_doubles_up_to_an_hour() {
        assert_eq!(lock_for(4), Duration::ZERO);
        assert_eq!(lock_for(5), Duration::from_secs(60));
        assert_eq!(lock_for(6), Duration::from_secs(120));
        assert_eq!(lock_for(11), Duration::from_secs(3600));
        assert_eq!(lock_for(u32::MAX), Duration::from_secs(3600));
    }

    #[test]
    fn five_failures_lock_the_name_for_that_address_only() {
        let guard = SignInGuard::default();
        for _ in 0..FAILURES_BEFORE_LOCK {
            assert!(guard.reserve("admin", ip("203.0.113.9")).is_some());
        }
        assert!(guard.reserve("admin", ip("203.0.113.9")).is_none());
        assert!(guard.reserve("ADMIN ", ip("203.0.113.9")).is_none(), "names count in any case");
        assert!(guard.reserve("admin", ip("10.1.1.1")).is_some(), "the hall's own address still signs in");
        assert!(guard.reserve("clerk", ip("203.0.113.9")).is_some());
    }

    #[test]
    fn many_addresses_lock_the_name_everywhere_but_only_slowly() {
        let guard = SignInGuard::default();
        for n in 0..GLOBAL_FAILURES {
            assert!(guard.reserve("admin", IpAddr::from((0x0a00_0000 + n).to_be_bytes())).is_some());
        }
        assert!(guard.reserve("admin", ip("192.168.1.1")).is_none());
        guard.forget("admin");
        assert!(guard.reserve("admin", ip("192.168.1.1")).is_some(), "a new password lifts the lock");
    }

    #[test]
    fn a_success_takes_its_reservation_back() {
        let guard = SignInGuard::default();
        for _ in 0..3 {
            for _ in 0..FAILURES_BEFORE_LOCK - 1 {
                guard.reserve("leader", ip("10.0.0.1")).unwrap();
            }
            guard.succeeded(guard.reserve("leader", ip("10.0.0.1")).unwrap());
        }
        assert!(guard.reserve("leader", ip("10.0.0.1")).is_some());
    }
}
