//! One thread's histograms for one interval: preallocated, recorded without
//! allocation.

use std::fmt;
use std::sync::Arc;

use hdrhistogram::Histogram;

use super::{new_histogram, LatencyLayout, Stage, StageKey, VenueSlot, HIGHEST_NS};
use crate::time::MonoNanos;
use crate::types::VenueId;

/// What [`LatencySet::record`] did with a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recorded {
    /// Recorded as given.
    Value,
    /// Above [`HIGHEST_NS`]: recorded as `HIGHEST_NS` and counted in the
    /// histogram's clamp count, so the report shows both.
    Clamped,
    /// The layout has no histogram for this venue or stage: not recorded,
    /// counted in [`LatencySet::unrouted`].
    Unrouted,
}

/// The histograms of one [`LatencyLayout`]: every (venue, stage) pair's
/// `Histogram<u64>` of nanoseconds, allocated at construction with a fixed
/// range and auto-resize off, so recording never allocates, never locks and
/// never fails.
///
/// A hot thread records into one set through its [`super::LatencyRecorder`];
/// at an interval boundary the recorder swaps it for an empty one and the full
/// one travels to a merger, which reads it, adds it into a
/// [`super::MergedLatency`], [`LatencySet::reset`]s it and hands it back.
/// Moving a set moves a few pointers; the counts stay where they are.
///
/// Values above [`HIGHEST_NS`] (60 s: a stuck thread, a clock glitch) are
/// recorded as `HIGHEST_NS` and counted per histogram ([`LatencySet::clamped`]);
/// values for a venue or stage outside the layout are counted
/// ([`LatencySet::unrouted`]). Nothing is dropped without a count.
pub struct LatencySet {
    layout: Arc<LatencyLayout>,
    histograms: Box<[Histogram<u64>]>,
    clamped: Box<[u64]>,
    unrouted: u64,
    /// When recording into this set began and ended (the recorder's interval).
    start: MonoNanos,
    end: MonoNanos,
}

impl LatencySet {
    /// An empty set with one histogram per (venue, stage) of `layout`.
    ///
    /// This is the allocation (27,648 buckets, 216 KiB, per histogram): do it at start-up.
    pub fn new(layout: Arc<LatencyLayout>) -> Self {
        let n = layout.histograms();
        LatencySet {
            histograms: (0..n).map(|_| new_histogram()).collect(),
            clamped: vec![0; n].into_boxed_slice(),
            unrouted: 0,
            start: MonoNanos::ZERO,
            end: MonoNanos::ZERO,
            layout,
        }
    }

    /// The layout this set was built for.
    pub fn layout(&self) -> &Arc<LatencyLayout> {
        &self.layout
    }

    /// Records `nanos` for `stage` at `venue` (a scan of the layout's venues; use
    /// [`LatencySet::record_at`] with a slot looked up once to skip it).
    #[inline]
    pub fn record(&mut self, venue: VenueId, stage: Stage, nanos: u64) -> Recorded {
        match self.layout.venue_slot(venue) {
            Some(slot) => self.record_at(slot, stage, nanos),
            None => {
                self.unrouted += 1;
                Recorded::Unrouted
            }
        }
    }

    /// Records `nanos` for `stage` at the venue in `slot` (from
    /// [`LatencyLayout::venue_slot`] of this set's layout).
    #[inline]
    pub fn record_at(&mut self, slot: VenueSlot, stage: Stage, nanos: u64) -> Recorded {
        let Some(i) = self.layout.index(slot, stage) else {
            self.unrouted += 1;
            return Recorded::Unrouted;
        };
        let (value, outcome) = if nanos > HIGHEST_NS {
            self.clamped[i] += 1;
            (HIGHEST_NS, Recorded::Clamped)
        } else {
            (nanos, Recorded::Value)
        };
        // In range by construction, so this neither resizes nor fails;
        // `saturating_record` keeps even that impossible case panic-free.
        self.histograms[i].saturating_record(value);
        outcome
    }

    /// The histogram of `key`, if the layout has it.
    pub fn histogram(&self, key: StageKey) -> Option<&Histogram<u64>> {
        let slot = self.layout.venue_slot(key.venue)?;
        self.histograms.get(self.layout.index(slot, key.stage)?)
    }

    /// How many values of `key` were above [`HIGHEST_NS`] and recorded as it.
    pub fn clamped(&self, key: StageKey) -> u64 {
        self.layout
            .venue_slot(key.venue)
            .and_then(|slot| self.layout.index(slot, key.stage))
            .map_or(0, |i| self.clamped[i])
    }

    /// How many values named a venue or stage outside the layout.
    pub fn unrouted(&self) -> u64 {
        self.unrouted
    }

    /// Every histogram with its key and clamp count, in layout order (empty ones
    /// included).
    pub fn iter(&self) -> impl Iterator<Item = (StageKey, &Histogram<u64>, u64)> + '_ {
        self.histograms
            .iter()
            .zip(self.clamped.iter())
            .enumerate()
            .map(|(i, (h, clamped))| (self.layout.key(i), h, *clamped))
    }

    /// Whether nothing has been recorded (or counted) since construction or the
    /// last reset.
    pub fn is_empty(&self) -> bool {
        self.unrouted == 0 && self.histograms.iter().all(|h| h.is_empty())
    }

    /// Clears every count, keeping the allocation. Proportional to the buckets
    /// (27,648 per histogram): the merger's job, off the hot thread.
    pub fn reset(&mut self) {
        for h in self.histograms.iter_mut() {
            h.reset();
        }
        self.clamped.fill(0);
        self.unrouted = 0;
        self.start = MonoNanos::ZERO;
        self.end = MonoNanos::ZERO;
    }

    /// When recording into this set began (monotonic; set by the recorder).
    pub fn start(&self) -> MonoNanos {
        self.start
    }

    /// When recording into this set ended (monotonic; set when the recorder
    /// rotated it out, [`MonoNanos::ZERO`] while it is being recorded).
    pub fn end(&self) -> MonoNanos {
        self.end
    }

    /// Sets the interval this set covers.
    pub(super) fn set_window(&mut self, start: MonoNanos, end: MonoNanos) {
        self.start = start;
        self.end = end;
    }
}

impl fmt::Debug for LatencySet {
    /// The layout and counts, not the tens of thousands of buckets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LatencySet")
            .field("layout", &self.layout)
            .field(
                "counts",
                &self.histograms.iter().map(|h| h.len()).collect::<Vec<_>>(),
            )
            .field("clamped", &self.clamped)
            .field("unrouted", &self.unrouted)
            .field("start", &self.start)
            .field("end", &self.end)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> LatencySet {
        let layout = LatencyLayout::new(
            &[VenueId::CME, VenueId::ICE],
            &[Stage::ReceiveToDecoded, Stage::DecodedToPublished],
        )
        .unwrap();
        LatencySet::new(Arc::new(layout))
    }

    #[test]
    fn records_into_the_right_histogram() {
        let mut s = set();
        assert!(s.is_empty());
        let cme_rd = StageKey::new(VenueId::CME, Stage::ReceiveToDecoded);
        let ice_dp = StageKey::new(VenueId::ICE, Stage::DecodedToPublished);
        for v in [100, 200, 300] {
            assert_eq!(
                s.record(VenueId::CME, Stage::ReceiveToDecoded, v),
                Recorded::Value
            );
        }
        let slot = s.layout().venue_slot(VenueId::ICE).unwrap();
        assert_eq!(
            s.record_at(slot, Stage::DecodedToPublished, 5_000),
            Recorded::Value
        );
        assert!(!s.is_empty());
        let h = s.histogram(cme_rd).unwrap();
        assert_eq!(h.len(), 3);
        assert_eq!(h.min(), 100);
        assert_eq!(h.value_at_quantile(0.5), 200);
        assert_eq!(s.histogram(ice_dp).unwrap().len(), 1);
        let counts: Vec<(StageKey, u64)> = s.iter().map(|(k, h, _)| (k, h.len())).collect();
        assert_eq!(counts.iter().map(|c| c.1).sum::<u64>(), 4);
        assert!(counts.contains(&(cme_rd, 3)) && counts.contains(&(ice_dp, 1)));
        // Zero (a stamp pair read out of order across cores saturates to 0) is a value.
        assert_eq!(
            s.record(VenueId::ICE, Stage::ReceiveToDecoded, 0),
            Recorded::Value
        );
    }

    #[test]
    fn clamps_and_counts_values_out_of_range() {
        let mut s = set();
        let key = StageKey::new(VenueId::ICE, Stage::ReceiveToDecoded);
        assert_eq!(s.record(key.venue, key.stage, HIGHEST_NS), Recorded::Value);
        assert_eq!(
            s.record(key.venue, key.stage, HIGHEST_NS + 1),
            Recorded::Clamped
        );
        assert_eq!(s.record(key.venue, key.stage, u64::MAX), Recorded::Clamped);
        assert_eq!(s.clamped(key), 2);
        let h = s.histogram(key).unwrap();
        assert_eq!(h.len(), 3);
        assert!(h.equivalent(h.max(), HIGHEST_NS));

        assert_eq!(
            s.record(VenueId::SHFE, Stage::ReceiveToDecoded, 1),
            Recorded::Unrouted
        );
        assert_eq!(
            s.record(VenueId::CME, Stage::PublishedToStrategy, 1),
            Recorded::Unrouted
        );
        assert_eq!(s.unrouted(), 2);
        assert_eq!(s.clamped(StageKey::new(VenueId::SHFE, key.stage)), 0);
        assert!(s
            .histogram(StageKey::new(VenueId::SHFE, key.stage))
            .is_none());

        s.reset();
        assert!(s.is_empty());
        assert_eq!(s.clamped(key), 0);
        assert_eq!(s.unrouted(), 0);
        assert!(!s.histogram(key).unwrap().is_auto_resize());
    }

    #[test]
    fn unrouted_alone_makes_a_set_non_empty() {
        let mut s = set();
        s.record(VenueId::FX, Stage::ReceiveToDecoded, 10);
        assert!(!s.is_empty());
        assert!(format!("{s:?}").contains("unrouted: 1"));
    }
}
