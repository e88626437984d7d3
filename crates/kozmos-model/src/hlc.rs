//! Hybrid logical clock: wall-clock milliseconds and a counter in one i64 (`ms << 16 | counter`).
//! A new stamp is never lower than the last one, whatever the wall clock does.

use std::sync::atomic::{AtomicI64, Ordering};

/// Bits of the counter below the milliseconds.
pub const COUNTER_BITS: u32 = 16;

/// The highest stamp any clock may reach: the start of the year 3000. Sync files with a higher
/// stamp are refused, so that `next` can never overflow.
pub const MAX_STAMP: i64 = 32_503_680_000_000 << COUNTER_BITS;

/// The next stamp after `last`, given the wall clock in milliseconds since the Unix epoch.
pub fn next(last: i64, wall_ms: i64) -> i64 {
    (wall_ms.clamp(0, millis(MAX_STAMP)) << COUNTER_BITS).max(last.saturating_add(1))
}

/// The wall-clock milliseconds a stamp carries.
pub fn millis(hlc: i64) -> i64 {
    hlc >> COUNTER_BITS
}

/// The UTC day of a wall-clock time in milliseconds since the Unix epoch (None out of range).
pub fn utc_date(ms: i64) -> Option<time::Date> {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .map(|t| t.date())
}

/// Source of wall-clock time; replaceable so tests can move time, backwards too.
pub trait WallClock: Send + Sync {
    fn now_ms(&self) -> i64;
}

/// The system clock.
pub struct SystemClock;

impl WallClock for SystemClock {
    fn now_ms(&self) -> i64 {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
        now.map(|d| d.as_millis() as i64).unwrap_or(0)
    }
}

/// A clock that shows what it is told.
pub struct ManualClock(AtomicI64);

impl ManualClock {
    pub fn new(ms: i64) -> Self {
        ManualClock(AtomicI64::new(ms))
    }

    pub fn set(&self, ms: i64) {
        self.0.store(ms, Ordering::SeqCst);
    }
}

impl WallClock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_the_wall_clock_when_it_moves_forward() {
        let a = next(0, 1_000);
        assert_eq!(millis(a), 1_000);
        let b = next(a, 2_000);
        assert_eq!(millis(b), 2_000);
        assert!(b > a);
    }

    #[test]
    fn counts_up_within_one_millisecond_and_when_the_clock_goes_back() {
        let a = next(0, 5_000);
        let b = next(a, 5_000);
        let c = next(b, 1_000);
        assert!(a < b && b < c);
        assert_eq!(millis(c), 5_000);
    }
}
