//! What one anonymous client may spend: requests per address per minute (by kind), and
//! the server-wide caps (uploads in flight, photo bytes a second, the writer's queue,
//! request time, each connection's receive buffer). All are configuration (`Limits`,
//! flags and environment variables); README "Limits" lists them.
//!
//! Rate limits are `governor` GCRA limiters keyed by `AddressKey` (an IPv4 address, or
//! an IPv6 /64, the block one subscriber usually holds). Their key space is bounded:
//! a timer sweeps idle keys, and past `tracked_addresses` live keys new addresses count
//! by their network (IPv4 /24, IPv6 /48), so an attacker who fills the table with
//! thousands of addresses of its own networks slows those networks, not residents
//! elsewhere; past twice that, new ones share one overflow key. A flood from many
//! addresses slows itself, not the server's memory.

use crate::error::AppError;
use axum::http::Method;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota};
use ow_shared::validate::limits::MAX_PHOTO_BYTES;
use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

/// The limits, as configured.
#[derive(Debug, Clone, clap::Args)]
pub struct Limits {
    /// Anonymous writes (cases, photos, bookings and their changes, ratings) per client
    /// address per minute; a minute's worth may come at once.
    #[arg(long, env = "OW_LIMIT_WRITES_PER_MINUTE", default_value_t = 120)]
    pub writes_per_minute: u32,
    /// Anonymous look-ups (tracking, booking look-up) per client address per minute.
    #[arg(long, env = "OW_LIMIT_LOOKUPS_PER_MINUTE", default_value_t = 120)]
    pub lookups_per_minute: u32,
    /// Sign-in attempts per client address per minute.
    #[arg(long, env = "OW_LIMIT_SIGN_INS_PER_MINUTE", default_value_t = 30)]
    pub sign_ins_per_minute: u32,
    /// Legal-aid bookings per mobile number per day, from any address.
    #[arg(long, env = "OW_LIMIT_BOOKINGS_PER_MOBILE_PER_DAY", default_value_t = 3)]
    pub bookings_per_mobile_per_day: u32,
    /// Client addresses tracked at once per limit; beyond, new ones count by their
    /// network (IPv4 /24, IPv6 /48), and beyond twice that they share one count.
    #[arg(long, env = "OW_LIMIT_TRACKED_ADDRESSES", default_value_t = 100_000)]
    pub tracked_addresses: usize,
    /// Photo uploads received at once, server-wide (each holds up to 5 MB); more answer 503.
    #[arg(long, env = "OW_LIMIT_UPLOADS_IN_FLIGHT", default_value_t = 16)]
    pub uploads_in_flight: usize,
    /// Photo bytes one client address may upload per hour, in MiB; more answer 429.
    #[arg(long, env = "OW_LIMIT_UPLOAD_MB_PER_ADDRESS_PER_HOUR", default_value_t = 200)]
    pub upload_mb_per_address_per_hour: u32,
    /// Photo bytes received per second, server-wide, in MiB (a second's worth, or a whole
    /// photo, may come at once); more answer 503. What a flood from many addresses makes
    /// the database write, so that cases and look-ups keep their pace meanwhile.
    #[arg(long, env = "OW_LIMIT_UPLOAD_MB_PER_SECOND", default_value_t = 16)]
    pub upload_mb_per_second: u32,
    /// Photos uploaded but not (yet) part of a case, server-wide, in MiB (they are
    /// deleted after a day); more answer 503.
    #[arg(long, env = "OW_LIMIT_PENDING_UPLOADS_MB", default_value_t = 1024)]
    pub pending_uploads_mb: u64,
    /// Writes waiting for the database writer; more answer 503.
    #[arg(long, env = "OW_LIMIT_WRITER_QUEUE", default_value_t = 4096)]
    pub writer_queue: usize,
    /// Bytes (photos, submissions' text) waiting for the database writer, in MiB; more
    /// answer 503. Must hold a whole photo (5 MB): a larger write never fits.
    #[arg(long, env = "OW_LIMIT_WRITER_QUEUE_MB", default_value_t = 32)]
    pub writer_queue_mb: u64,
    /// The most the database file may grow to, in MiB (0: as far as the disk allows).
    /// Past it, writes answer 503 `STORAGE_FULL` as on a full disk, and reads go on.
    #[arg(long, env = "OW_LIMIT_MAX_DATABASE_MB", default_value_t = 0)]
    pub max_database_mb: u64,
    /// Seconds a request may take, body included, before it answers 503.
    #[arg(long, env = "OW_LIMIT_REQUEST_SECONDS", default_value_t = 30)]
    pub request_seconds: u64,
    /// Seconds a connection may wait for a request's headers (sent slowly, or not at
    /// all, or between requests on a kept-alive connection) before it is closed.
    #[arg(long, env = "OW_LIMIT_IDLE_SECONDS", default_value_t = 20)]
    pub idle_seconds: u64,
    /// Each connection's receive buffer, in KiB (0: the system's own, which grows to
    /// megabytes): what a client can push before the server reads it. A request refused
    /// on its headers (too large, over a limit) then costs its sender's bytes only up to
    /// this, not its whole body.
    #[arg(long, env = "OW_LIMIT_RECEIVE_BUFFER_KB", default_value_t = 256)]
    pub receive_buffer_kb: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            writes_per_minute: 120,
            lookups_per_minute: 120,
            sign_ins_per_minute: 30,
            bookings_per_mobile_per_day: 3,
            tracked_addresses: 100_000,
            uploads_in_flight: 16,
            upload_mb_per_address_per_hour: 200,
            upload_mb_per_second: 16,
            pending_uploads_mb: 1024,
            writer_queue: 4096,
            writer_queue_mb: 32,
            max_database_mb: 0,
            request_seconds: 30,
            idle_seconds: 20,
            receive_buffer_kb: 256,
        }
    }
}

impl Limits {
    /// `idle_seconds`, at least one.
    pub fn idle(&self) -> Duration {
        Duration::from_secs(self.idle_seconds.max(1))
    }

    /// For tests and benchmarks that send thousands of requests from 127.0.0.1: rates
    /// that never bite (the caps stay, raised).
    pub fn generous() -> Self {
        Limits {
            writes_per_minute: 1_000_000,
            lookups_per_minute: 1_000_000,
            sign_ins_per_minute: 1_000_000,
            bookings_per_mobile_per_day: 1_000_000,
            uploads_in_flight: 256,
            upload_mb_per_address_per_hour: 1_000_000,
            upload_mb_per_second: 1_000_000,
            writer_queue: 65_536,
            ..Limits::default()
        }
    }
}

/// What a request spends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Write,
    Lookup,
    SignIn,
}

/// The kind of an anonymous API request, or None for those not rate limited (reads of
/// public lists, and the console's own requests, which need a session).
pub fn kind_of(method: &Method, path: &str) -> Option<Kind> {
    if method != Method::POST {
        return None;
    }
    match path {
        "/api/v1/cases"
        | "/api/v1/uploads"
        | "/api/v1/track/act"
        | "/api/v1/track/materials"
        | "/api/v1/bookings"
        | "/api/v1/bookings/cancel"
        | "/api/v1/bookings/reschedule" => Some(Kind::Write),
        "/api/v1/track" | "/api/v1/bookings/lookup" => Some(Kind::Lookup),
        "/api/v1/console/session" => Some(Kind::SignIn),
        _ => None,
    }
}

/// A client's address as counted: IPv4 as is, IPv6 by its /64.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AddressKey(u128);

/// How a key is counted once the table is full.
trait Overflow: Sized {
    /// The key every new client shares past twice the tracked maximum.
    const OVERFLOW: Self;
    /// The key a new client shares with its neighbours past the tracked maximum.
    fn coarse(&self) -> Self {
        Self::OVERFLOW
    }
}

impl Overflow for AddressKey {
    const OVERFLOW: Self = AddressKey(u128::MAX);

    /// IPv4 by its /24, IPv6 by its /48, tagged so that no single address's key equals
    /// it (IPv4 keys are below 2^32; IPv6 keys have their low 64 bits clear).
    fn coarse(&self) -> Self {
        if self.0 <= u128::from(u32::MAX) {
            AddressKey((self.0 & !0xff) | (1 << 32))
        } else {
            AddressKey((self.0 & !((1u128 << 80) - 1)) | 1)
        }
    }
}

/// A mainland mobile number as counted (11 digits fit a u64).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct MobileKey(u64);

impl Overflow for MobileKey {
    const OVERFLOW: Self = MobileKey(u64::MAX);
}

impl From<IpAddr> for AddressKey {
    fn from(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(v4) => AddressKey(u128::from(u32::from(v4))),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => AddressKey(u128::from(u32::from(v4))),
                None => AddressKey(u128::from(v6) & !((1u128 << 64) - 1)),
            },
        }
    }
}

/// A keyed limiter with a bounded key space.
struct Bounded<K: Hash + Eq + Clone> {
    limiter: DefaultKeyedRateLimiter<K>,
    max_keys: usize,
}

impl<K: Hash + Eq + Clone + Overflow> Bounded<K> {
    fn new(per_minute: u32, max_keys: usize) -> Bounded<K> {
        let rate = NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        Bounded::with_quota(Quota::per_minute(rate), max_keys)
    }

    /// `per_day` at once, then one more every 24 h / `per_day`.
    fn per_day(per_day: u32, max_keys: usize) -> Bounded<K> {
        let burst = NonZeroU32::new(per_day.max(1)).unwrap_or(NonZeroU32::MIN);
        let every = Duration::from_secs(24 * 60 * 60) / burst.get();
        let quota = Quota::with_period(every.max(Duration::from_millis(1))).map(|q| q.allow_burst(burst));
        Bounded::with_quota(quota.unwrap_or_else(|| Quota::per_second(burst)), max_keys)
    }

    /// `per_hour` at once, then one more every hour / `per_hour`.
    fn per_hour(per_hour: u32, max_keys: usize) -> Bounded<K> {
        let burst = NonZeroU32::new(per_hour.max(1)).unwrap_or(NonZeroU32::MIN);
        let every = Duration::from_secs(60 * 60) / burst.get();
        let quota = Quota::with_period(every.max(Duration::from_nanos(1))).map(|q| q.allow_burst(burst));
        Bounded::with_quota(quota.unwrap_or_else(|| Quota::per_second(burst)), max_keys)
    }

    /// The key a client is counted under: its own while the table has room.
    fn key_for(&self, key: K) -> K {
        match self.limiter.len() {
            n if n < self.max_keys => key,
            n if n < self.max_keys.saturating_mul(2) => key.coarse(),
            _ => K::OVERFLOW,
        }
    }

    /// Counts `n` cells at once (bytes, in KiB), refusing them all if they do not fit.
    fn check_n(&self, key: K, n: u32) -> Result<(), AppError> {
        let key = self.key_for(key);
        let Some(n) = NonZeroU32::new(n) else { return Ok(()) };
        match self.limiter.check_key_n(&key, n) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(not_until)) => {
                Err(AppError::RateLimited(not_until.wait_time_from(DefaultClock::default().now()).as_secs().max(1)))
            }
            // More than the whole allowance at once: never fits.
            Err(_) => Err(AppError::RateLimited(60 * 60)),
        }
    }

    fn with_quota(quota: Quota, max_keys: usize) -> Bounded<K> {
        Bounded { limiter: DefaultKeyedRateLimiter::keyed(quota), max_keys: max_keys.max(1) }
    }

    fn check(&self, key: K) -> Result<(), AppError> {
        let key = self.key_for(key);
        self.limiter.check_key(&key).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            AppError::RateLimited(wait.as_secs().max(1))
        })
    }

    fn sweep(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }
}

/// The per-address (and per-mobile) rate limits.
pub struct RateLimits {
    writes: Bounded<AddressKey>,
    lookups: Bounded<AddressKey>,
    sign_ins: Bounded<AddressKey>,
    bookings_per_mobile: Bounded<MobileKey>,
    /// In KiB.
    upload_bytes: Bounded<AddressKey>,
    /// In KiB, server-wide.
    upload_bytes_total: DefaultDirectRateLimiter,
}

impl RateLimits {
    /// The limiters for these limits.
    pub fn new(limits: &Limits) -> RateLimits {
        RateLimits {
            writes: Bounded::new(limits.writes_per_minute, limits.tracked_addresses),
            lookups: Bounded::new(limits.lookups_per_minute, limits.tracked_addresses),
            sign_ins: Bounded::new(limits.sign_ins_per_minute, limits.tracked_addresses),
            bookings_per_mobile: Bounded::per_day(limits.bookings_per_mobile_per_day, limits.tracked_addresses),
            upload_bytes: Bounded::per_hour(
                limits.upload_mb_per_address_per_hour.saturating_mul(1024),
                limits.tracked_addresses,
            ),
            upload_bytes_total: {
                let per_second = limits.upload_mb_per_second.saturating_mul(1024).max(1);
                let photo = u32::try_from(MAX_PHOTO_BYTES.div_ceil(1024)).unwrap_or(u32::MAX);
                let quota = Quota::per_second(NonZeroU32::new(per_second).unwrap_or(NonZeroU32::MIN))
                    .allow_burst(NonZeroU32::new(per_second.max(photo)).unwrap_or(NonZeroU32::MIN));
                DefaultDirectRateLimiter::direct(quota)
            },
        }
    }

    /// Counts an upload's bytes against its address's hourly allowance (past it: 429),
    /// then against the server's per second (past it: 503, come back in a second).
    pub fn check_upload_bytes(&self, ip: IpAddr, bytes: usize) -> Result<(), AppError> {
        let kib = u32::try_from(bytes.div_ceil(1024)).unwrap_or(u32::MAX);
        self.upload_bytes.check_n(ip.into(), kib)?;
        let Some(kib) = NonZeroU32::new(kib) else { return Ok(()) };
        match self.upload_bytes_total.check_n(kib) {
            Ok(Ok(())) => Ok(()),
            // Over a second's worth now, or larger than a photo may be (refused on its size).
            Ok(Err(_)) | Err(_) => Err(AppError::Unavailable(1)),
        }
    }

    /// Counts a booking for a (normalised) mobile number, or refuses it (429): the same
    /// answer whoever holds the number, so it tells nothing of anyone's appointments.
    pub fn check_booking_mobile(&self, mobile: &str) -> Result<(), AppError> {
        let key = mobile.parse::<u64>().map(MobileKey).unwrap_or(MobileKey::OVERFLOW);
        self.bookings_per_mobile.check(key)
    }

    /// Counts a request of this kind from this address, or refuses it (429, Retry-After).
    pub fn check(&self, kind: Kind, ip: IpAddr) -> Result<(), AppError> {
        let limiter = match kind {
            Kind::Write => &self.writes,
            Kind::Lookup => &self.lookups,
            Kind::SignIn => &self.sign_ins,
        };
        limiter.check(ip.into())
    }

    /// Forgets addresses whose counts have run out; run on a timer (`start_sweeping`).
    pub fn sweep(&self) {
        for limiter in [&self.writes, &self.lookups, &self.sign_ins] {
            limiter.sweep();
        }
        self.bookings_per_mobile.sweep();
        self.upload_bytes.sweep();
    }
}

/// How often idle keys are swept from the limiters.
pub const SWEEP_EVERY: Duration = Duration::from_secs(60);

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn ipv6_neighbours_in_one_64_count_together_and_mapped_ipv4_as_ipv4() {
        assert_eq!(AddressKey::from(ip("2001:db8:1:2::1")), AddressKey::from(ip("2001:db8:1:2:ffff::9")));
        assert_ne!(AddressKey::from(ip("2001:db8:1:2::1")), AddressKey::from(ip("2001:db8:1:3::1")));
        assert_eq!(AddressKey::from(ip("::ffff:10.0.0.1")), AddressKey::from(ip("10.0.0.1")));
        assert_ne!(AddressKey::from(ip("10.0.0.1")), AddressKey::from(ip("10.0.0.2")));
    }

    #[test]
    fn a_limit_bites_per_address_and_says_when_to_come_back() {
        let limits = RateLimits::new(&Limits { writes_per_minute: 3, ..Limits::default() });
        for _ in 0..3 {
            assert!(limits.check(Kind::Write, ip("10.0.0.1")).is_ok());
        }
        assert!(matches!(limits.check(Kind::Write, ip("10.0.0.1")), Err(AppError::RateLimited(s)) if s >= 1));
        assert!(limits.check(Kind::Write, ip("10.0.0.2")).is_ok(), "another address is not slowed");
        assert!(limits.check(Kind::Lookup, ip("10.0.0.1")).is_ok(), "another kind is not slowed");
    }

    #[test]
    fn past_the_tracked_addresses_new_ones_count_by_network_then_share_one_count() {
        let limits = RateLimits::new(&Limits { writes_per_minute: 2, tracked_addresses: 10, ..Limits::default() });
        for n in 0..10 {
            assert!(limits.check(Kind::Write, ip(&format!("10.0.1.{n}"))).is_ok());
        }
        let refused = (0..100).filter(|n| limits.check(Kind::Write, ip(&format!("10.0.2.{n}"))).is_err()).count();
        assert_eq!(refused, 98, "the hundred new addresses of one /24 had two between them");
        assert!(limits.check(Kind::Write, ip("192.168.7.1")).is_ok(), "a resident elsewhere is not slowed by them");
        let v6 = (0..50).filter(|n| limits.check(Kind::Write, ip(&format!("2001:db8:1:{n:x}::1"))).is_err()).count();
        assert_eq!(v6, 48, "fifty /64s of one /48 had two between them");
        for n in 0..20 {
            let _ = limits.check(Kind::Write, ip(&format!("172.16.{n}.1")));
        }
        assert!(limits.writes.limiter.len() <= 21, "past twice the maximum, one key for all");
        assert_ne!(AddressKey::from(ip("10.0.2.0")), AddressKey::from(ip("10.0.2.9")).coarse());
        assert_ne!(AddressKey::from(ip("2001:db8:1::")), AddressKey::from(ip("2001:db8:1:5::1")).coarse());
    }
}
