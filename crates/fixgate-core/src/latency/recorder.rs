//! A hot thread's recorder: records into the current interval's set and swaps
//! it for an empty one at interval boundaries.

use std::sync::Arc;

use super::{LatencyError, LatencySet, Recorded, Stage, VenueSlot};
use crate::time::{Clock, MonoNanos, Ticks};
use crate::types::VenueId;

/// A set handed to [`LatencyRecorder::rotate`] that it could not use, given
/// back with the reason.
#[derive(Debug)]
pub struct Rejected {
    /// The set, unchanged.
    pub set: LatencySet,
    /// [`LatencyError::LayoutMismatch`] or [`LatencyError::NotEmpty`].
    pub reason: LatencyError,
}

/// The latency recorder a hot thread owns.
///
/// Call order on the hot thread:
///
/// 1. per message, [`LatencyRecorder::record_ticks`] (or `record` with
///    nanoseconds) for each stage it closes: a histogram bump, no allocation, no
///    lock, no atomic;
/// 2. at a batch end (never inside a batch), [`LatencyRecorder::is_due`]; when
///    it is, take an empty set from the merger (an SPSC handoff, in the root
///    crate's `report` module) and [`LatencyRecorder::rotate`]: the full set
///    comes back, stamped with its interval, to be sent to the merger. A swap
///    of pointers, no allocation.
///
/// When the merger has no empty set ready, skip the rotation: the interval
/// simply runs longer and nothing is lost.
#[derive(Debug)]
pub struct LatencyRecorder {
    current: LatencySet,
    interval_ns: u64,
    rotations: u64,
}

impl LatencyRecorder {
    /// A recorder that starts recording into `set` at `now` and asks for a
    /// rotation every `interval_ns` (at least 1).
    pub fn new(mut set: LatencySet, now: MonoNanos, interval_ns: u64) -> Self {
        set.set_window(now, MonoNanos::ZERO);
        LatencyRecorder {
            current: set,
            interval_ns: interval_ns.max(1),
            rotations: 0,
        }
    }

    /// Records `nanos` for `stage` at `venue` into the current interval.
    #[inline]
    pub fn record(&mut self, venue: VenueId, stage: Stage, nanos: u64) -> Recorded {
        self.current.record(venue, stage, nanos)
    }

    /// Records `nanos` for `stage` at the venue in `slot`.
    #[inline]
    pub fn record_at(&mut self, slot: VenueSlot, stage: Stage, nanos: u64) -> Recorded {
        self.current.record_at(slot, stage, nanos)
    }

    /// Records the stage from `start` to `end`, two raw readings of `clock`
    /// ([`Clock::raw`]: the TSC in production), converted with
    /// [`Clock::delta_nanos`] (zero when `end` is not after `start`).
    ///
    /// Monotonic ticks only: a stage is never timed with a wall clock.
    #[inline]
    pub fn record_ticks<C: Clock + ?Sized>(
        &mut self,
        clock: &C,
        slot: VenueSlot,
        stage: Stage,
        start: Ticks,
        end: Ticks,
    ) -> Recorded {
        self.current
            .record_at(slot, stage, clock.delta_nanos(start, end))
    }

    /// Restarts the current interval at `now` (its counts are kept): for a
    /// recorder built before its thread's clock was known, such as a
    /// strategy's, whose runner starts it when the strategy starts.
    pub fn start_at(&mut self, now: MonoNanos) {
        self.current.set_window(now, MonoNanos::ZERO);
    }

    /// The set being recorded into.
    pub fn current(&self) -> &LatencySet {
        &self.current
    }

    /// Whether the current interval has lasted `interval_ns` at `now`.
    #[inline]
    pub fn is_due(&self, now: MonoNanos) -> bool {
        now.saturating_sub(self.current.start()) >= self.interval_ns
    }

    /// The interval length asked for, in nanoseconds.
    pub fn interval_ns(&self) -> u64 {
        self.interval_ns
    }

    /// How many intervals have been rotated out.
    pub fn rotations(&self) -> u64 {
        self.rotations
    }

    /// Ends the current interval at `now`: `empty` becomes the current set
    /// (its interval starts at `now`) and the full set is returned with its
    /// interval's start and end. Allocation-free.
    ///
    /// # Errors
    /// [`Rejected`] with `empty` unchanged when it was built for another layout
    /// ([`LatencyError::LayoutMismatch`]) or holds counts
    /// ([`LatencyError::NotEmpty`]: the merger must reset a set before handing
    /// it back; resetting here would cost the hot thread tens of microseconds).
    /// The current set is untouched, so recording goes on.
    pub fn rotate(
        &mut self,
        now: MonoNanos,
        mut empty: LatencySet,
    ) -> Result<LatencySet, Rejected> {
        let (theirs, ours) = (empty.layout(), self.current.layout());
        if !Arc::ptr_eq(theirs, ours) && **theirs != **ours {
            return Err(Rejected {
                set: empty,
                reason: LatencyError::LayoutMismatch,
            });
        }
        if !empty.is_empty() {
            return Err(Rejected {
                set: empty,
                reason: LatencyError::NotEmpty,
            });
        }
        empty.set_window(now, MonoNanos::ZERO);
        let mut full = std::mem::replace(&mut self.current, empty);
        let start = full.start();
        full.set_window(start, now);
        self.rotations += 1;
        Ok(full)
    }

    /// Ends recording at `now` and returns the current set with its interval
    /// (the last, usually partial, one of a run; on shutdown).
    pub fn finish(mut self, now: MonoNanos) -> LatencySet {
        let start = self.current.start();
        self.current.set_window(start, now);
        self.current
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::latency::{LatencyLayout, StageKey};
    use crate::time::{ManualClock, UtcNanos};

    fn layout() -> Arc<LatencyLayout> {
        Arc::new(LatencyLayout::new(&[VenueId::CME], &[Stage::ReceiveToDecoded]).unwrap())
    }

    #[test]
    fn records_tick_deltas_and_rotates_on_interval() {
        let clock = ManualClock::new(UtcNanos::from_nanos(1_773_671_400_000_000_000));
        let layout = layout();
        let key = StageKey::new(VenueId::CME, Stage::ReceiveToDecoded);
        let slot = layout.venue_slot(VenueId::CME).unwrap();
        let mut rec =
            LatencyRecorder::new(LatencySet::new(layout.clone()), clock.mono(), 1_000_000);
        let spare = LatencySet::new(layout);

        let start = clock.raw();
        clock.advance_nanos(750);
        // The wall clock steps back an hour meanwhile: the stage does not care.
        clock.set_utc(UtcNanos::from_nanos(1_773_667_800_000_000_000));
        let end = clock.raw();
        assert_eq!(
            rec.record_ticks(&clock, slot, Stage::ReceiveToDecoded, start, end),
            Recorded::Value
        );
        // Out-of-order stamps record zero, never a wrapped huge value.
        rec.record_ticks(&clock, slot, Stage::ReceiveToDecoded, end, start);
        assert_eq!(rec.current().histogram(key).unwrap().len(), 2);
        assert_eq!(rec.current().histogram(key).unwrap().max(), 750);
        assert_eq!(rec.current().histogram(key).unwrap().min(), 0);

        assert!(!rec.is_due(clock.mono()));
        clock.advance_nanos(1_000_000);
        let now = clock.mono();
        assert!(rec.is_due(now));
        let full = rec.rotate(now, spare).unwrap();
        assert_eq!(full.histogram(key).unwrap().len(), 2);
        assert_eq!((full.start(), full.end()), (MonoNanos::ZERO, now));
        assert!(rec.current().is_empty());
        assert_eq!(rec.current().start(), now);
        assert!(!rec.is_due(now));
        assert_eq!(rec.rotations(), 1);
    }

    #[test]
    fn refuses_sets_it_cannot_use() {
        let mut rec = LatencyRecorder::new(LatencySet::new(layout()), MonoNanos::ZERO, 0);
        assert_eq!(rec.interval_ns(), 1);
        rec.record(VenueId::CME, Stage::ReceiveToDecoded, 5);

        let other =
            Arc::new(LatencyLayout::new(&[VenueId::ICE], &[Stage::ReceiveToDecoded]).unwrap());
        let err = rec
            .rotate(MonoNanos::from_nanos(9), LatencySet::new(other))
            .unwrap_err();
        assert_eq!(err.reason, LatencyError::LayoutMismatch);

        // An equal layout built separately is fine; a dirty set is not.
        let mut dirty = LatencySet::new(layout());
        dirty.record(VenueId::CME, Stage::ReceiveToDecoded, 1);
        let err = rec.rotate(MonoNanos::from_nanos(9), dirty).unwrap_err();
        assert_eq!(err.reason, LatencyError::NotEmpty);
        assert_eq!(
            err.set
                .histogram(StageKey::new(VenueId::CME, Stage::ReceiveToDecoded))
                .unwrap()
                .len(),
            1
        );

        // The current set kept its value through both refusals.
        assert_eq!(rec.rotations(), 0);
        let full = rec
            .rotate(MonoNanos::from_nanos(9), LatencySet::new(layout()))
            .unwrap();
        assert_eq!(full.iter().map(|(_, h, _)| h.len()).sum::<u64>(), 1);
    }
}
