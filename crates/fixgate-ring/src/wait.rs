//! How a thread waits for the ring: spin, spin then yield, or spin, yield, then
//! park with a timeout.
//!
//! Supported: the three [`WaitStrategy`]s, used by subscribers waiting for events
//! and by the producer waiting for a blocking subscriber to release a slot.
//! Not supported: being woken. Nothing in the ring ever unparks a thread, so that
//! publishing never makes a system call (a futex wake costs a microsecond or more
//! on the producer's hot path); a parked waiter sleeps for at most `park_ns` and
//! looks again. That bounds the extra latency a parked subscriber sees to about
//! `park_ns` plus the scheduler's wake-up delay, in exchange for a producer that
//! never pays for its subscribers' sleep.
//!
//! [`Waiter`] counts the waits it made; the ring reads no clock (a producer that
//! wants time can be given a clock function: see `Producer::set_wait_clock`).

use crate::sync;

/// How to wait until the ring has something (or room).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitStrategy {
    /// Busy-spin with the CPU's spin hint: lowest latency, burns a core. Only for
    /// threads that own a core (never more spinners than free cores).
    Spin,
    /// Spin `spins` times, then yield the time slice on every further wait.
    SpinThenYield {
        /// Spin iterations before the first yield.
        spins: u32,
    },
    /// Spin `spins` times, yield `yields` times, then park for up to `park_ns`
    /// nanoseconds per wait (never woken early by the ring).
    SpinYieldPark {
        /// Spin iterations before the first yield.
        spins: u32,
        /// Yields before the first park.
        yields: u32,
        /// Longest sleep per wait, nanoseconds.
        park_ns: u64,
    },
}

impl WaitStrategy {
    /// Spin 100 times, yield 10 times, then park 50 µs at a time: the default for
    /// threads that share cores.
    pub const BACKOFF: WaitStrategy = WaitStrategy::SpinYieldPark {
        spins: 100,
        yields: 10,
        park_ns: 50_000,
    };

    /// A fresh waiter following this strategy.
    #[inline]
    pub fn waiter(self) -> Waiter {
        Waiter {
            strategy: self,
            waits: 0,
        }
    }

    /// A short human name for reports (`spin`, `spin-yield`, `spin-yield-park`).
    pub fn name(self) -> &'static str {
        match self {
            WaitStrategy::Spin => "spin",
            WaitStrategy::SpinThenYield { .. } => "spin-yield",
            WaitStrategy::SpinYieldPark { .. } => "spin-yield-park",
        }
    }
}

impl Default for WaitStrategy {
    fn default() -> WaitStrategy {
        WaitStrategy::BACKOFF
    }
}

/// One waiting episode: call [`Waiter::wait`] each time the condition is still
/// false; it escalates from spinning to yielding to parking.
#[derive(Debug)]
pub struct Waiter {
    strategy: WaitStrategy,
    waits: u64,
}

impl Waiter {
    /// Waits once, as the strategy says for the number of waits so far.
    #[inline]
    pub fn wait(&mut self) {
        let n = self.waits;
        self.waits += 1;
        match self.strategy {
            WaitStrategy::Spin => sync::spin_hint(),
            WaitStrategy::SpinThenYield { spins } => {
                if n < u64::from(spins) {
                    sync::spin_hint();
                } else {
                    sync::yield_now();
                }
            }
            WaitStrategy::SpinYieldPark {
                spins,
                yields,
                park_ns,
            } => {
                if n < u64::from(spins) {
                    sync::spin_hint();
                } else if n < u64::from(spins) + u64::from(yields) {
                    sync::yield_now();
                } else {
                    sync::park_timeout_ns(park_ns);
                }
            }
        }
    }

    /// How many times [`Waiter::wait`] was called.
    #[inline]
    pub fn waits(&self) -> u64 {
        self.waits
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::WaitStrategy;

    #[test]
    fn waiters_count_their_waits_through_every_phase() {
        for s in [
            WaitStrategy::Spin,
            WaitStrategy::SpinThenYield { spins: 2 },
            WaitStrategy::SpinYieldPark {
                spins: 2,
                yields: 2,
                park_ns: 1_000,
            },
        ] {
            let mut w = s.waiter();
            for _ in 0..6 {
                w.wait();
            }
            assert_eq!(w.waits(), 6, "{}", s.name());
        }
    }
}
