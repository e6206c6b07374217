//! Monotonic time: nanoseconds since an arbitrary, process-local origin.

use std::fmt;

/// A monotonic instant in nanoseconds since an arbitrary origin (at most one per
/// process and clock kind; see [`super::Clock`]).
///
/// Only for stage latencies and timeouts inside this process: a `MonoNanos` never
/// goes backwards (unlike the wall clock, which NTP may step), but its origin means
/// nothing outside the process, so it is never compared with a [`super::UtcNanos`].
/// There is deliberately no conversion between the two.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(transparent)]
pub struct MonoNanos(u64);

impl MonoNanos {
    /// The clock's origin.
    pub const ZERO: MonoNanos = MonoNanos(0);

    /// Wraps nanoseconds since the clock's origin.
    #[inline]
    pub const fn from_nanos(nanos: u64) -> Self {
        MonoNanos(nanos)
    }

    /// Nanoseconds since the clock's origin.
    #[inline]
    pub const fn as_nanos(self) -> u64 {
        self.0
    }

    /// `self - earlier` in nanoseconds, saturating at zero (two reads on different
    /// cores may come out in the "wrong" order by a few ticks; a latency is never
    /// negative).
    #[inline]
    pub const fn saturating_sub(self, earlier: MonoNanos) -> u64 {
        self.0.saturating_sub(earlier.0)
    }

    /// `self - earlier` in nanoseconds, `None` when `earlier` is later.
    #[inline]
    pub const fn checked_sub(self, earlier: MonoNanos) -> Option<u64> {
        self.0.checked_sub(earlier.0)
    }

    /// This instant moved forward by `nanos`, saturating at the maximum (deadlines).
    #[inline]
    pub const fn saturating_add_nanos(self, nanos: u64) -> MonoNanos {
        MonoNanos(self.0.saturating_add(nanos))
    }
}

impl fmt::Display for MonoNanos {
    /// The raw count with its unit, e.g. `12345ns` (the origin is arbitrary, so there
    /// is no calendar form).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}ns", self.0)
    }
}

/// A raw reading of a clock's fastest counter (TSC cycles for [`super::TscClock`],
/// nanoseconds for the others).
///
/// The hot path stamps `Ticks` (one `rdtsc`, no scaling) and converts later, off the
/// critical section, with [`super::Clock::delta_nanos`] or
/// [`super::Clock::mono_of`] of the clock that produced them. Ticks from two
/// different clocks are not comparable, and their unit is not nanoseconds, so they
/// have no arithmetic of their own.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(transparent)]
pub struct Ticks(u64);

impl Ticks {
    /// Wraps a raw counter value.
    #[inline]
    pub const fn from_raw(raw: u64) -> Self {
        Ticks(raw)
    }

    /// The raw counter value.
    #[inline]
    pub const fn as_raw(self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_saturate_or_report() {
        let a = MonoNanos::from_nanos(1_000);
        let b = MonoNanos::from_nanos(1_250);
        assert_eq!(b.saturating_sub(a), 250);
        assert_eq!(a.saturating_sub(b), 0);
        assert_eq!(b.checked_sub(a), Some(250));
        assert_eq!(a.checked_sub(b), None);
        assert_eq!(a.saturating_add_nanos(5).as_nanos(), 1_005);
        assert_eq!(
            MonoNanos::from_nanos(u64::MAX)
                .saturating_add_nanos(1)
                .as_nanos(),
            u64::MAX
        );
        assert_eq!(MonoNanos::ZERO, MonoNanos::default());
        assert_eq!(b.to_string(), "1250ns");
    }

    #[test]
    fn ticks_round_trip() {
        assert_eq!(Ticks::from_raw(42).as_raw(), 42);
        assert!(Ticks::from_raw(1) < Ticks::from_raw(2));
    }
}
