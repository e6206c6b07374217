//! The replay clock: time as a capture file tells it.
//!
//! A replay of a capture must behave as the live run did at the same points
//! of the stream, whatever the speed of the replay: the arbiter's wait for
//! out-of-order packets, strategy timers and the receive stamps all have to
//! run on the capture's time, not the machine's. [`ReplayClock`] is a
//! [`Clock`] that the replay driver moves to each packet's capture timestamp
//! ([`ReplayClock::advance_to`]); it never goes back (a capture whose stamps
//! step backwards keeps the latest time), so monotonic readings stay
//! monotonic. Both readings are the capture's UTC time: in a replay there is
//! one time domain, and "monotonic" time is the capture's wall clock made
//! non-decreasing.
//!
//! Not for stage latencies: how long decoding took is the machine's time, so
//! latency stages in a replay keep using the TSC ([`super::TscClock`]).

use std::sync::atomic::{AtomicU64, Ordering};

use super::{Clock, MonoNanos, UtcNanos};

/// A clock driven by capture timestamps (see the [module docs](self)).
///
/// One atomic, so the driver and readers on other threads may share it by
/// `Arc`; readers see the driver's latest time.
#[derive(Debug, Default)]
pub struct ReplayClock {
    now_ns: AtomicU64,
}

impl ReplayClock {
    /// A clock at `start` (usually the first packet's capture time).
    pub const fn new(start: UtcNanos) -> Self {
        ReplayClock {
            now_ns: AtomicU64::new(start.as_nanos()),
        }
    }

    /// Moves the clock to `ts` if that is later than now; returns the time
    /// after the move (never earlier than before).
    pub fn advance_to(&self, ts: UtcNanos) -> UtcNanos {
        let previous = self.now_ns.fetch_max(ts.as_nanos(), Ordering::Relaxed);
        UtcNanos::from_nanos(previous.max(ts.as_nanos()))
    }
}

impl Clock for ReplayClock {
    #[inline]
    fn utc(&self) -> UtcNanos {
        UtcNanos::from_nanos(self.now_ns.load(Ordering::Relaxed))
    }

    #[inline]
    fn mono(&self) -> MonoNanos {
        MonoNanos::from_nanos(self.now_ns.load(Ordering::Relaxed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_capture_time_and_never_goes_back() {
        let clock = ReplayClock::new(UtcNanos::from_nanos(1_000));
        assert_eq!(clock.utc().as_nanos(), 1_000);
        assert_eq!(
            clock.advance_to(UtcNanos::from_nanos(1_500)).as_nanos(),
            1_500
        );
        assert_eq!(clock.mono().as_nanos(), 1_500);
        // A stamp stepping back (reordered capture) leaves the clock where it was.
        assert_eq!(
            clock.advance_to(UtcNanos::from_nanos(1_200)).as_nanos(),
            1_500
        );
        assert_eq!(clock.utc().as_nanos(), 1_500);
        let start = clock.raw();
        clock.advance_to(UtcNanos::from_nanos(2_000));
        assert_eq!(clock.delta_nanos(start, clock.raw()), 500);
    }
}
