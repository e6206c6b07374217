//! Per-stage, per-venue latency histograms, recorded on hot threads without
//! allocation or locks and merged elsewhere.
//!
//! Supported: the five [`Stage`]s of the pipeline (receive → decoded →
//! published → strategy callback → order encoded → order written), one
//! HdrHistogram per stage and venue, values in nanoseconds from 0 to
//! [`HIGHEST_NS`] (60 s) at three significant digits; larger values are clamped
//! to it and counted. Not here: reading clocks (the caller passes
//! [`crate::time::Ticks`] and its [`crate::time::Clock`]), threads, channels and
//! files (the root crate's `report` module moves sets between threads and
//! writes HdrHistogram interval logs, tables, plots and JSON).
//!
//! # Recording scheme
//!
//! ```text
//!  hot thread                                  merger thread (any)
//!  LatencyRecorder                             MergedLatency (+ interval log)
//!   └─ current: LatencySet ──record()──►hist      ▲
//!      at a batch end, if is_due():               │ add_set(&full)
//!        rotate(now, empty) ── full ──SPSC──────► ┘ then full.reset()
//!                 ▲                                 │
//!                 └────────────── empty ──SPSC──────┘
//! ```
//!
//! Each hot thread owns a [`LatencyRecorder`] holding one [`LatencySet`]: a
//! `Histogram<u64>` per (venue, stage) of its [`LatencyLayout`], all allocated
//! at start-up with auto-resize off. [`LatencyRecorder::record_ticks`] turns
//! two raw TSC readings into nanoseconds and bumps one bucket: no allocation,
//! no lock, no atomic, no syscall (a counting-allocator test proves the first).
//!
//! Sets are swapped, not shared: at an interval boundary, checked at a batch
//! end rather than per record, the recorder exchanges its full set for an
//! empty one that the merger handed back earlier, and sends the full one on.
//! Both hops are single-producer single-consumer handoffs of a pointer-sized
//! value; the merger resets sets (the costly part) on its own time. If no empty
//! set is waiting, the interval runs on. So the hot thread never waits for the
//! merger, and no value is lost.
//!
//! Stage latencies come only from monotonic ticks ([`crate::time`]): a wall
//! clock can be stepped, so a difference of two UTC times never times a stage.

mod key;
mod layout;
mod merged;
mod percentiles;
mod recorder;
mod set;
mod stage;

pub use hdrhistogram::Histogram;
pub use key::{KeyParseError, StageKey};
pub use layout::{LatencyLayout, VenueSlot};
pub use merged::{MergedEntry, MergedLatency};
pub use percentiles::Percentiles;
pub use recorder::{LatencyRecorder, Rejected};
pub use set::{LatencySet, Recorded};
pub use stage::Stage;

use crate::types::VenueId;

/// The smallest value the histograms tell apart from the next, in nanoseconds
/// (smaller values, including zero, are still recorded).
pub const LOWEST_NS: u64 = 1;

/// The largest value the histograms record, in nanoseconds (60 s). Larger
/// values are recorded as this and counted as clamped.
pub const HIGHEST_NS: u64 = 60_000_000_000;

/// Significant decimal digits kept: a value is recorded within 0.1%.
pub const SIGNIFICANT_DIGITS: u8 = 3;

/// An empty histogram of fixgate's range and precision, auto-resize off.
///
/// # Panics
/// Never: the bounds are constants that a test checks.
pub fn new_histogram() -> Histogram<u64> {
    let mut h = Histogram::new_with_bounds(LOWEST_NS, HIGHEST_NS, SIGNIFICANT_DIGITS)
        .expect("constant histogram bounds are valid");
    h.auto(false);
    h
}

/// Why a latency layout or set operation was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LatencyError {
    /// A layout needs at least one venue and one stage.
    #[error("a latency layout needs at least one venue and one stage")]
    Empty,
    /// More venues than one layout holds.
    #[error("{have} venues in one latency layout, at most {max}")]
    TooManyVenues {
        /// The limit.
        max: usize,
        /// The number given.
        have: usize,
    },
    /// A venue listed twice.
    #[error("venue {venue} listed twice in a latency layout")]
    DuplicateVenue {
        /// The venue.
        venue: VenueId,
    },
    /// A stage listed twice.
    #[error("stage {stage} listed twice in a latency layout")]
    DuplicateStage {
        /// The stage.
        stage: Stage,
    },
    /// A set handed to a recorder was built for another layout.
    #[error("latency set built for another layout")]
    LayoutMismatch,
    /// A set handed to a recorder as empty holds counts.
    #[error("latency set handed back without a reset")]
    NotEmpty,
    /// A histogram could not be merged into the merged one (a resize past
    /// `usize`).
    #[error("histogram {key} cannot be merged")]
    Merge {
        /// Its key.
        key: StageKey,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_bounds_are_valid_and_fixed() {
        let mut h = new_histogram();
        assert!(!h.is_auto_resize());
        assert!(h.high() >= HIGHEST_NS);
        assert_eq!(h.low(), LOWEST_NS);
        assert_eq!(h.sigfig(), SIGNIFICANT_DIGITS);
        // The top of the range records; past it, plain `record` refuses rather
        // than resizing (fixgate clamps before it gets there).
        h.record(HIGHEST_NS).unwrap();
        assert!(h.record(u64::MAX).is_err());
        assert_eq!(h.len(), 1);
    }
}
