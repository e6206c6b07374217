//! Clocks: the one place in fixgate-core that reads the time.
//!
//! The I/O shells hold a [`Clock`] and pass its readings into the sans-IO cores;
//! the cores themselves never read one. Three implementations:
//!
//! - [`TscClock`]: production. Monotonic reads come from the TSC through `quanta`
//!   (one `rdtsc` plus a multiply, about 10–20 ns, no syscall). UTC is derived from
//!   it: `utc = anchor_utc + (mono - anchor_mono)`, anchored to the OS wall clock at
//!   construction and on [`TscClock::reanchor`], so UTC reads are as cheap as
//!   monotonic ones and never jump between anchors.
//! - [`SystemClock`]: the plain OS clocks (`clock_gettime` through `std`), for
//!   machines without an invariant TSC and for tools.
//! - [`ManualClock`]: tests. Time moves only when the test says so, so a session
//!   test is a deterministic simulation.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::{MonoNanos, Ticks, UtcNanos};

/// A source of both kinds of time.
///
/// `utc` gives wall-clock time for stamps that leave the process or meet a venue's
/// time (receive times, `SendingTime`); `mono` gives monotonic time for stage
/// latencies and timers. The two are separate reads with separate types because a
/// difference across them is meaningless (see [`crate::time`]).
///
/// `raw`, `delta_nanos` and `mono_of` exist for the hottest paths: stamp raw
/// [`Ticks`] (one counter read, no scaling) between stages, convert the difference
/// when recording. The defaults treat ticks as monotonic nanoseconds, which is
/// right for every clock whose fastest counter already counts nanoseconds.
///
/// Monotonic readings (and ticks) from the same clock type share one origin per
/// process, so a stamp taken on one thread can be subtracted on another.
pub trait Clock {
    /// The current wall-clock time, UTC.
    fn utc(&self) -> UtcNanos;

    /// The current monotonic time.
    fn mono(&self) -> MonoNanos;

    /// The current raw counter reading (the cheapest read this clock has).
    #[inline]
    fn raw(&self) -> Ticks {
        Ticks::from_raw(self.mono().as_nanos())
    }

    /// Nanoseconds from `start` to `end`, two readings of [`Clock::raw`] of this
    /// clock; zero when `end` is not after `start`.
    #[inline]
    fn delta_nanos(&self, start: Ticks, end: Ticks) -> u64 {
        end.as_raw().saturating_sub(start.as_raw())
    }

    /// The monotonic time of a raw reading of this clock.
    #[inline]
    fn mono_of(&self, ticks: Ticks) -> MonoNanos {
        MonoNanos::from_nanos(ticks.as_raw())
    }
}

impl<C: Clock + ?Sized> Clock for &C {
    #[inline]
    fn utc(&self) -> UtcNanos {
        (**self).utc()
    }
    #[inline]
    fn mono(&self) -> MonoNanos {
        (**self).mono()
    }
    #[inline]
    fn raw(&self) -> Ticks {
        (**self).raw()
    }
    #[inline]
    fn delta_nanos(&self, start: Ticks, end: Ticks) -> u64 {
        (**self).delta_nanos(start, end)
    }
    #[inline]
    fn mono_of(&self, ticks: Ticks) -> MonoNanos {
        (**self).mono_of(ticks)
    }
}

impl<C: Clock + ?Sized> Clock for Arc<C> {
    #[inline]
    fn utc(&self) -> UtcNanos {
        (**self).utc()
    }
    #[inline]
    fn mono(&self) -> MonoNanos {
        (**self).mono()
    }
    #[inline]
    fn raw(&self) -> Ticks {
        (**self).raw()
    }
    #[inline]
    fn delta_nanos(&self, start: Ticks, end: Ticks) -> u64 {
        (**self).delta_nanos(start, end)
    }
    #[inline]
    fn mono_of(&self, ticks: Ticks) -> MonoNanos {
        (**self).mono_of(ticks)
    }
}

// ---------------------------------------------------------------------------------
// OS clock reads. These two functions are the only calls to `SystemTime::now` and
// `Instant::now` in fixgate-core; the workspace clippy.toml bans them elsewhere.

/// The OS wall clock as `UtcNanos` (0 if the clock is set before 1970).
#[allow(
    clippy::disallowed_methods,
    reason = "the time module is the one place allowed to read the OS wall clock"
)]
fn os_utc() -> UtcNanos {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO);
    UtcNanos::from_nanos(u64::try_from(since_epoch.as_nanos()).unwrap_or(u64::MAX))
}

/// The OS monotonic clock as nanoseconds since the first call in this process.
#[allow(
    clippy::disallowed_methods,
    reason = "the time module is the one place allowed to read the OS monotonic clock"
)]
fn os_mono() -> MonoNanos {
    static ORIGIN: OnceLock<std::time::Instant> = OnceLock::new();
    let now = std::time::Instant::now();
    let origin = *ORIGIN.get_or_init(|| now);
    let since = now.saturating_duration_since(origin);
    MonoNanos::from_nanos(u64::try_from(since.as_nanos()).unwrap_or(u64::MAX))
}

// ---------------------------------------------------------------------------------

/// The plain OS clocks: `SystemTime` for UTC, `Instant` for monotonic time.
///
/// Each read is a `clock_gettime` (vDSO, about 20–40 ns, more under a VM), and the
/// UTC read follows every NTP adjustment. Use it where the TSC is not invariant or
/// not trusted, and in tools; latency-critical threads use [`TscClock`].
/// Monotonic readings count from the first `SystemClock` read in the process.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl SystemClock {
    /// A handle to the OS clocks (free: it holds no state).
    pub const fn new() -> Self {
        SystemClock
    }
}

impl Clock for SystemClock {
    #[inline]
    fn utc(&self) -> UtcNanos {
        os_utc()
    }

    #[inline]
    fn mono(&self) -> MonoNanos {
        os_mono()
    }
}

// ---------------------------------------------------------------------------------

/// How many (mono, utc, mono) brackets [`TscClock::reanchor`] takes; the tightest
/// one wins, so a preemption during one of them does not skew the anchor.
const ANCHOR_TRIES: usize = 7;

/// The raw reading that every `TscClock` in this process counts monotonic time
/// from, so that stamps taken through different clones agree.
static TSC_ORIGIN: OnceLock<u64> = OnceLock::new();

/// A TSC clock (through `quanta`) with UTC derived from it.
///
/// Monotonic time is the calibrated TSC: `quanta` reads the counter and scales it
/// to nanoseconds (falling back to the OS monotonic clock where no usable TSC is
/// found). Every `TscClock` in the process counts from the same origin.
///
/// UTC is `anchor_utc + (mono - anchor_mono)`: the anchor pairs one OS wall-clock
/// read with a monotonic read taken around it (the midpoint of the tightest of a
/// few brackets). Between anchors UTC advances at the TSC's rate, so it never
/// steps, but it drifts from an NTP/PTP-disciplined wall clock by the TSC's
/// frequency error (a few ppm: microseconds per second). Call
/// [`TscClock::reanchor`] periodically from a non-critical thread (once a second
/// is typical); it returns the correction it applied, which is worth exporting.
///
/// Construction is slow the first time in a process (`quanta` calibrates the TSC
/// against the OS clock for up to ~200 ms), so build clocks at start-up and clone
/// them into the hot threads.
#[derive(Debug)]
pub struct TscClock {
    clock: quanta::Clock,
    /// Raw counter value of the process-wide monotonic origin.
    origin: u64,
    /// `anchor_utc - anchor_mono`, wrapping: `utc = mono + offset (mod 2^64)`,
    /// which equals `anchor_utc + (mono - anchor_mono)` for every in-range result.
    /// Atomic so that `reanchor` works through `&self` on a shared clock.
    offset: AtomicU64,
}

impl TscClock {
    /// A calibrated TSC clock anchored to the OS wall clock now.
    pub fn new() -> Self {
        let clock = quanta::Clock::new();
        let origin = *TSC_ORIGIN.get_or_init(|| clock.raw());
        let tsc = TscClock {
            clock,
            origin,
            offset: AtomicU64::new(0),
        };
        tsc.reanchor();
        tsc
    }

    /// Re-reads the OS wall clock and re-anchors UTC to it; returns the correction
    /// in nanoseconds (new UTC reading minus what this clock would have said for the
    /// same instant; positive when this clock was behind).
    ///
    /// UTC readings jump by that amount (backwards when negative), so a consumer
    /// that needs non-decreasing UTC across a re-anchor must take the maximum.
    pub fn reanchor(&self) -> i64 {
        let mut best: Option<(u64, u64, UtcNanos)> = None; // (width, before, utc)
        for _ in 0..ANCHOR_TRIES {
            let before = self.clock.raw();
            let utc = os_utc();
            let after = self.clock.raw();
            let width = self.clock.delta_as_nanos(before, after);
            if best.is_none_or(|(w, _, _)| width < w) {
                best = Some((width, before, utc));
            }
        }
        let (width, before, utc) = best.unwrap_or((0, self.clock.raw(), os_utc()));
        let mid = self
            .clock
            .delta_as_nanos(self.origin, before)
            .saturating_add(width / 2);
        let offset = utc.as_nanos().wrapping_sub(mid);
        let old = self.offset.swap(offset, Ordering::Relaxed);
        offset.wrapping_sub(old) as i64
    }
}

impl Default for TscClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clone for TscClock {
    /// A clock with the same calibration, origin and current anchor; each clone is
    /// re-anchored independently afterwards.
    fn clone(&self) -> Self {
        TscClock {
            clock: self.clock.clone(),
            origin: self.origin,
            offset: AtomicU64::new(self.offset.load(Ordering::Relaxed)),
        }
    }
}

impl Clock for TscClock {
    #[inline]
    fn utc(&self) -> UtcNanos {
        let mono = self.mono().as_nanos();
        UtcNanos::from_nanos(mono.wrapping_add(self.offset.load(Ordering::Relaxed)))
    }

    #[inline]
    fn mono(&self) -> MonoNanos {
        self.mono_of(self.raw())
    }

    #[inline]
    fn raw(&self) -> Ticks {
        Ticks::from_raw(self.clock.raw())
    }

    #[inline]
    fn delta_nanos(&self, start: Ticks, end: Ticks) -> u64 {
        self.clock.delta_as_nanos(start.as_raw(), end.as_raw())
    }

    #[inline]
    fn mono_of(&self, ticks: Ticks) -> MonoNanos {
        MonoNanos::from_nanos(self.clock.delta_as_nanos(self.origin, ticks.as_raw()))
    }
}

// ---------------------------------------------------------------------------------

/// A clock that moves only when told to, for deterministic tests.
///
/// Both readings are atomics, so a test can share one clock (by reference or
/// `Arc`) between the code under test and the test driver, even across threads,
/// and step it through `&self`. [`ManualClock::advance_nanos`] moves both kinds of
/// time together, as real time does; [`ManualClock::set_utc`] moves only the wall
/// clock, to simulate an NTP step and check that nothing times a stage with it.
/// Raw ticks are monotonic nanoseconds.
#[derive(Debug, Default)]
pub struct ManualClock {
    utc: AtomicU64,
    mono: AtomicU64,
}

impl ManualClock {
    /// A clock that reads `utc` and a monotonic time of zero.
    pub const fn new(utc: UtcNanos) -> Self {
        ManualClock {
            utc: AtomicU64::new(utc.as_nanos()),
            mono: AtomicU64::new(0),
        }
    }

    /// Moves both wall-clock and monotonic time forward by `nanos` (saturating).
    pub fn advance_nanos(&self, nanos: u64) {
        let utc =
            UtcNanos::from_nanos(self.utc.load(Ordering::Relaxed)).saturating_add_nanos(nanos);
        let mono =
            MonoNanos::from_nanos(self.mono.load(Ordering::Relaxed)).saturating_add_nanos(nanos);
        self.utc.store(utc.as_nanos(), Ordering::Relaxed);
        self.mono.store(mono.as_nanos(), Ordering::Relaxed);
    }

    /// Moves both kinds of time forward by `by` (saturating).
    pub fn advance(&self, by: Duration) {
        self.advance_nanos(u64::try_from(by.as_nanos()).unwrap_or(u64::MAX));
    }

    /// Sets the wall clock only (an NTP step, forwards or backwards); monotonic
    /// time is unchanged.
    pub fn set_utc(&self, utc: UtcNanos) {
        self.utc.store(utc.as_nanos(), Ordering::Relaxed);
    }

    /// Sets monotonic time only. A real monotonic clock never goes backwards; a
    /// test may, to check that code saturates instead of underflowing.
    pub fn set_mono(&self, mono: MonoNanos) {
        self.mono.store(mono.as_nanos(), Ordering::Relaxed);
    }
}

impl Clock for ManualClock {
    #[inline]
    fn utc(&self) -> UtcNanos {
        UtcNanos::from_nanos(self.utc.load(Ordering::Relaxed))
    }

    #[inline]
    fn mono(&self) -> MonoNanos {
        MonoNanos::from_nanos(self.mono.load(Ordering::Relaxed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: UtcNanos = UtcNanos::from_nanos(1_773_671_400_000_000_000); // 2026-03-16T14:30Z

    #[test]
    fn manual_clock_moves_only_when_told() {
        let clock = ManualClock::new(T0);
        assert_eq!(clock.utc(), T0);
        assert_eq!(clock.mono(), MonoNanos::ZERO);
        clock.advance_nanos(1_500);
        assert_eq!(clock.utc().saturating_sub(T0), 1_500);
        assert_eq!(clock.mono().as_nanos(), 1_500);
        clock.advance(Duration::from_micros(2));
        assert_eq!(clock.mono().as_nanos(), 3_500);

        // An NTP step backwards moves UTC only; a stage timed on mono is unaffected.
        let start = clock.raw();
        clock.set_utc(UtcNanos::from_nanos(T0.as_nanos() - 1_000_000));
        clock.advance_nanos(250);
        assert_eq!(clock.delta_nanos(start, clock.raw()), 250);
        assert_eq!(clock.mono_of(start).as_nanos(), 3_500);

        // A monotonic clock forced backwards saturates instead of underflowing.
        let later = clock.raw();
        clock.set_mono(MonoNanos::from_nanos(10));
        assert_eq!(clock.delta_nanos(later, clock.raw()), 0);
    }

    #[test]
    fn manual_clock_is_shared_through_references_and_arcs() {
        fn stamp(c: impl Clock) -> UtcNanos {
            c.utc()
        }
        let clock = Arc::new(ManualClock::new(T0));
        let driver = Arc::clone(&clock);
        driver.advance_nanos(7);
        assert_eq!(stamp(&*clock).as_nanos(), T0.as_nanos() + 7);
        assert_eq!(stamp(Arc::clone(&clock)).as_nanos(), T0.as_nanos() + 7);
        let dynamic: &dyn Clock = &*clock;
        assert_eq!(dynamic.mono().as_nanos(), 7);
        std::thread::scope(|s| {
            s.spawn(|| driver.advance_nanos(3));
        });
        assert_eq!(clock.mono().as_nanos(), 10);
    }

    #[test]
    fn system_clock_is_plausible() {
        let c = SystemClock::new();
        let a = c.mono();
        let utc = c.utc();
        let b = c.mono();
        assert!(b >= a);
        // After 2020-01-01 and before 2100-01-01.
        assert!(utc.as_nanos() > 1_577_836_800_000_000_000);
        assert!(utc.as_nanos() < 4_102_444_800_000_000_000);
        let (r0, r1) = (c.raw(), c.raw());
        assert!(c.delta_nanos(r0, r1) < 1_000_000_000);
    }

    #[test]
    fn tsc_clock_is_monotonic_and_tracks_the_wall_clock() {
        let tsc = TscClock::new();
        let mut last = tsc.mono();
        for _ in 0..10_000 {
            let now = tsc.mono();
            assert!(now >= last, "monotonic time went backwards");
            last = now;
        }

        // Derived UTC agrees with the OS wall clock to well within a millisecond
        // right after anchoring (generous bound for loaded CI machines).
        let tsc_utc = tsc.utc().as_nanos() as i128;
        let os = os_utc().as_nanos() as i128;
        assert!(
            (tsc_utc - os).abs() < 50_000_000,
            "tsc utc {tsc_utc} vs os {os}"
        );

        // A re-anchor right away corrects by little.
        let step = tsc.reanchor();
        assert!(step.abs() < 50_000_000, "reanchor step {step} ns");
    }

    #[test]
    fn tsc_ticks_convert_consistently() {
        let tsc = TscClock::new();
        let start = tsc.raw();
        std::thread::sleep(Duration::from_millis(5));
        let end = tsc.raw();
        let delta = tsc.delta_nanos(start, end);
        assert!(delta >= 4_000_000, "5 ms sleep measured as {delta} ns");
        assert!(delta < 5_000_000_000, "5 ms sleep measured as {delta} ns");
        let via_mono = tsc.mono_of(end).saturating_sub(tsc.mono_of(start));
        assert!(via_mono.abs_diff(delta) <= 1, "{via_mono} vs {delta}");
        assert_eq!(tsc.delta_nanos(end, start), 0);

        // Clones share the origin, so stamps cross threads.
        let clone = tsc.clone();
        let a = tsc.mono();
        let b = std::thread::spawn(move || clone.mono())
            .join()
            .unwrap_or(MonoNanos::ZERO);
        assert!(b >= a);
        assert_eq!(TscClock::new().mono_of(start), tsc.mono_of(start));
    }
}
