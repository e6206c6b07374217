//! Histograms merged across threads and intervals, keyed by (stage, venue).

use std::collections::BTreeMap;

use hdrhistogram::Histogram;

use super::{new_histogram, LatencyError, LatencySet, Stage, StageKey};

/// One merged histogram and how many of its values were clamped.
#[derive(Clone, Debug)]
pub struct MergedEntry {
    /// Nanoseconds. Auto-resizing, unlike a recording set's: merging happens
    /// off the hot path, and histograms read from another tool's log may have a
    /// wider range.
    pub histogram: Histogram<u64>,
    /// Values above the recorder's range, recorded as its highest value.
    pub clamped: u64,
}

/// Latency histograms merged from any number of [`LatencySet`]s (threads,
/// intervals) or read from a log: one [`MergedEntry`] per [`StageKey`].
///
/// The merger side of the recording scheme (see [`super`]); it allocates
/// freely (an entry per key on first sight) and never runs on a hot thread.
/// Iteration is in key order: by stage in pipeline order, then venue.
#[derive(Clone, Debug, Default)]
pub struct MergedLatency {
    entries: BTreeMap<StageKey, MergedEntry>,
    unrouted: u64,
}

impl MergedLatency {
    /// No histograms yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds every non-empty histogram of `set` (and its clamp and unrouted
    /// counts).
    ///
    /// # Errors
    /// [`LatencyError::Merge`] for the first histogram that cannot be added
    /// (only when a resize would overflow `usize`); the others are still added.
    pub fn add_set(&mut self, set: &LatencySet) -> Result<(), LatencyError> {
        self.unrouted += set.unrouted();
        let mut result = Ok(());
        for (key, histogram, clamped) in set.iter() {
            if histogram.is_empty() && clamped == 0 {
                continue;
            }
            if let Err(e) = self.add_histogram(key, histogram, clamped) {
                result = result.and(Err(e));
            }
        }
        result
    }

    /// Adds one histogram of nanoseconds under `key`, with `clamped` of its
    /// values known to have been clamped.
    ///
    /// # Errors
    /// [`LatencyError::Merge`] if the histogram cannot be added (a resize past
    /// `usize`); the clamp count is added anyway.
    pub fn add_histogram(
        &mut self,
        key: StageKey,
        histogram: &Histogram<u64>,
        clamped: u64,
    ) -> Result<(), LatencyError> {
        let entry = self.entry(key);
        entry.clamped += clamped;
        entry
            .histogram
            .add(histogram)
            .map_err(|_| LatencyError::Merge { key })
    }

    /// Adds `count` clamped values to `key`'s count (the values themselves are
    /// in its histogram, at the top of the range): for clamp counts kept apart
    /// from their histograms, as in an interval log.
    pub fn add_clamped(&mut self, key: StageKey, count: u64) {
        self.entry(key).clamped += count;
    }

    /// The entry of `key`, created empty on first use.
    fn entry(&mut self, key: StageKey) -> &mut MergedEntry {
        self.entries.entry(key).or_insert_with(|| {
            let mut histogram = new_histogram();
            histogram.auto(true);
            MergedEntry {
                histogram,
                clamped: 0,
            }
        })
    }

    /// Adds values that could not be routed to a histogram.
    pub fn add_unrouted(&mut self, count: u64) {
        self.unrouted += count;
    }

    /// Adds everything of `other`.
    ///
    /// # Errors
    /// As [`MergedLatency::add_histogram`], for the first key that fails; the
    /// rest are still added.
    pub fn add(&mut self, other: &MergedLatency) -> Result<(), LatencyError> {
        self.unrouted += other.unrouted;
        let mut result = Ok(());
        for (key, entry) in &other.entries {
            if let Err(e) = self.add_histogram(*key, &entry.histogram, entry.clamped) {
                result = result.and(Err(e));
            }
        }
        result
    }

    /// The entry of `key`.
    pub fn get(&self, key: StageKey) -> Option<&MergedEntry> {
        self.entries.get(&key)
    }

    /// Every entry, by stage then venue.
    pub fn iter(&self) -> impl Iterator<Item = (StageKey, &MergedEntry)> + '_ {
        self.entries.iter().map(|(k, e)| (*k, e))
    }

    /// The stages that have at least one entry, in pipeline order.
    pub fn stages(&self) -> Vec<Stage> {
        let mut stages: Vec<Stage> = self.entries.keys().map(|k| k.stage).collect();
        stages.dedup();
        stages
    }

    /// Values that named a venue or stage outside their recorder's layout.
    pub fn unrouted(&self) -> u64 {
        self.unrouted
    }

    /// Whether there are no entries and no unrouted values.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.unrouted == 0
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::latency::{LatencyLayout, HIGHEST_NS};
    use crate::types::VenueId;

    fn set(venues: &[VenueId], stages: &[Stage]) -> LatencySet {
        LatencySet::new(Arc::new(LatencyLayout::new(venues, stages).unwrap()))
    }

    #[test]
    fn merges_sets_of_different_layouts_by_key() {
        let mut feed = set(
            &[VenueId::CME],
            &[Stage::ReceiveToDecoded, Stage::DecodedToPublished],
        );
        let mut strategy = set(&[VenueId::CME, VenueId::ICE], &[Stage::PublishedToStrategy]);
        let mut feed_b = set(&[VenueId::CME], &[Stage::ReceiveToDecoded]);
        for v in 1..=100 {
            feed.record(VenueId::CME, Stage::ReceiveToDecoded, v * 10);
            feed_b.record(VenueId::CME, Stage::ReceiveToDecoded, v * 10 + 5);
            strategy.record(VenueId::ICE, Stage::PublishedToStrategy, v);
        }
        feed.record(VenueId::CME, Stage::ReceiveToDecoded, HIGHEST_NS * 2);
        strategy.record(VenueId::SHFE, Stage::PublishedToStrategy, 1);

        let mut merged = MergedLatency::new();
        for s in [&feed, &strategy, &feed_b] {
            merged.add_set(s).unwrap();
        }
        let rd = merged
            .get(StageKey::new(VenueId::CME, Stage::ReceiveToDecoded))
            .unwrap();
        assert_eq!(rd.histogram.len(), 201);
        assert_eq!(rd.clamped, 1);
        assert_eq!(rd.histogram.min(), 10);
        assert_eq!(merged.unrouted(), 1);
        // Empty histograms (CME decoded→published, CME strategy) make no entry.
        let keys: Vec<StageKey> = merged.iter().map(|(k, _)| k).collect();
        assert_eq!(
            keys,
            [
                StageKey::new(VenueId::CME, Stage::ReceiveToDecoded),
                StageKey::new(VenueId::ICE, Stage::PublishedToStrategy),
            ]
        );
        assert_eq!(
            merged.stages(),
            [Stage::ReceiveToDecoded, Stage::PublishedToStrategy]
        );

        // Merging merged results adds up.
        let mut twice = merged.clone();
        twice.add(&merged).unwrap();
        let rd2 = twice
            .get(StageKey::new(VenueId::CME, Stage::ReceiveToDecoded))
            .unwrap();
        assert_eq!(rd2.histogram.len(), 402);
        assert_eq!(rd2.clamped, 2);
        assert_eq!(twice.unrouted(), 2);
        assert!(!twice.is_empty());
        assert!(MergedLatency::new().is_empty());

        let key = StageKey::new(VenueId::FX, Stage::ReceiveToDecoded);
        twice.add_clamped(key, 5);
        assert_eq!(twice.get(key).unwrap().clamped, 5);
        assert!(twice.get(key).unwrap().histogram.is_empty());
    }

    #[test]
    fn takes_histograms_of_a_wider_range() {
        // A log written by another tool: 1 ns .. 1 hour.
        let mut wide = Histogram::<u64>::new_with_bounds(1, 3_600_000_000_000, 2).unwrap();
        wide.record(2_000_000_000_000).unwrap();
        wide.record(42).unwrap();
        let mut merged = MergedLatency::new();
        let key = StageKey::new(VenueId::FIX, Stage::OrderEncodedToWritten);
        merged.add_histogram(key, &wide, 0).unwrap();
        let entry = merged.get(key).unwrap();
        assert_eq!(entry.histogram.len(), 2);
        // Within the source's two significant digits.
        let max = entry.histogram.max();
        assert!(max.abs_diff(2_000_000_000_000) <= 20_000_000_000, "{max}");
        assert!(max > HIGHEST_NS);
    }
}
