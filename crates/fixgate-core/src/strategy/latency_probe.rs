//! `latency_probe`: a strategy that only measures. It sends no intents.
//!
//! For each event it records, per venue:
//! - **receive → strategy callback**: the runner's clock at the callback
//!   ([`Context::now`]) minus the event's `ts_recv`, both UTC readings of this
//!   host's clock, into a histogram of the latency module's range and precision
//!   ([`latency::new_histogram`]). Events flagged
//!   [`EventFlags::BAD_TS_RECV`] (replays, software fallback stamps) are skipped
//!   and counted; a receive time after the callback (a stepped clock) counts as
//!   `recv_after_callback` and records 0.
//! - **published → strategy** ([`Stage::PublishedToStrategy`]), the latency
//!   module's stage, into a [`LatencySet`] through a [`LatencyRecorder`], when
//!   the runner measured it ([`Context::published_to_callback_ns`]: monotonic
//!   ticks from the ring's publish stamp to the callback).
//!
//! The stage histograms are recorded over rotating intervals: the probe hands
//! its [`LatencyRecorder`] to its runner ([`Strategy::latency_recorder`]),
//! which starts the first interval when the probe starts, rotates it every
//! `interval_ms` at a batch end (a swap with an empty set the report merger
//! handed back) and sends each finished interval to the merger, which writes
//! it to the HdrHistogram interval log and merges it into the report. Under a
//! runner without a merger (or a bare [`StrategyHost`](super::StrategyHost))
//! nothing rotates it and it keeps one interval for the run, read back with
//! [`LatencyProbe::published_to_strategy`] after a downcast. The receive →
//! callback histograms (UTC readings, not a pipeline [`Stage`]) are kept for
//! the whole run. Recording and rotating allocate nothing: every histogram is
//! allocated at construction.

use std::sync::Arc;

use super::{Context, ParamError, Strategy};
use crate::event::{Event, EventFlags};
use crate::latency::{
    self, Histogram, LatencyError, LatencyLayout, LatencyRecorder, LatencySet, Stage,
};
use crate::time::MonoNanos;
use crate::types::VenueId;

/// The parameters of [`LatencyProbe`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct LatencyProbeParams {
    /// The venues to record, by name (`CME`, `ICE`, `SHFE`, `FIX`, `FX`) or as
    /// `venue#N`; every built-in venue when left out.
    #[cfg_attr(feature = "serde", serde(default = "all_venue_names"))]
    pub venues: Vec<String>,
    /// Length of one latency interval (one line per stage and venue in the
    /// interval log), in milliseconds; 1000 when left out.
    #[cfg_attr(feature = "serde", serde(default = "default_interval_ms"))]
    pub interval_ms: u64,
}

impl Default for LatencyProbeParams {
    fn default() -> Self {
        LatencyProbeParams {
            venues: all_venue_names(),
            interval_ms: default_interval_ms(),
        }
    }
}

fn default_interval_ms() -> u64 {
    DEFAULT_INTERVAL_NS / 1_000_000
}

/// The interval of [`LatencyProbe::new`]: one second.
pub const DEFAULT_INTERVAL_NS: u64 = 1_000_000_000;

const BUILT_IN_VENUES: [VenueId; 5] = [
    VenueId::CME,
    VenueId::ICE,
    VenueId::SHFE,
    VenueId::FIX,
    VenueId::FX,
];

fn all_venue_names() -> Vec<String> {
    BUILT_IN_VENUES.iter().map(|v| v.to_string()).collect()
}

/// The venue a name stands for: a built-in venue's name or `venue#N`.
fn venue_by_name(name: &str) -> Option<VenueId> {
    if let Some(number) = name.strip_prefix("venue#") {
        return number.parse().ok().map(VenueId);
    }
    BUILT_IN_VENUES.into_iter().find(|v| v.name() == Some(name))
}

/// What the probe counted besides its histograms.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProbeCounts {
    /// Events seen.
    pub events: u64,
    /// Events recorded into a receive → callback histogram.
    pub recorded: u64,
    /// Events skipped for [`EventFlags::BAD_TS_RECV`].
    pub bad_ts_recv: u64,
    /// Events whose receive time was after the callback time (recorded as 0).
    pub recv_after_callback: u64,
    /// Receive → callback values above [`latency::HIGHEST_NS`] (recorded as it).
    pub clamped: u64,
    /// Events of venues the probe was not built for (not recorded).
    pub unrouted: u64,
}

/// The `latency_probe` built-in strategy.
pub struct LatencyProbe {
    venues: Box<[VenueId]>,
    recv_to_callback: Box<[Histogram<u64>]>,
    published: LatencyRecorder,
    counts: ProbeCounts,
}

impl std::fmt::Debug for LatencyProbe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LatencyProbe")
            .field("venues", &self.venues)
            .field("counts", &self.counts)
            .finish_non_exhaustive()
    }
}

impl LatencyProbe {
    /// A probe recording the events of `venues` (others are counted as
    /// unrouted). Allocates every histogram now: about 216 KiB per venue and
    /// measure.
    ///
    /// # Errors
    /// The [`LatencyLayout`] errors: no venue, too many, a venue twice.
    pub fn new(venues: &[VenueId]) -> Result<Self, LatencyError> {
        LatencyProbe::with_interval(venues, DEFAULT_INTERVAL_NS)
    }

    /// [`LatencyProbe::new`] with intervals of `interval_ns` (at least 1).
    ///
    /// # Errors
    /// As for [`LatencyProbe::new`].
    pub fn with_interval(venues: &[VenueId], interval_ns: u64) -> Result<Self, LatencyError> {
        let layout = Arc::new(LatencyLayout::new(venues, &[Stage::PublishedToStrategy])?);
        let set = LatencySet::new(layout);
        Ok(LatencyProbe {
            venues: venues.into(),
            recv_to_callback: venues.iter().map(|_| latency::new_histogram()).collect(),
            published: LatencyRecorder::new(set, MonoNanos::ZERO, interval_ns),
            counts: ProbeCounts::default(),
        })
    }

    /// A probe built from configuration parameters.
    ///
    /// # Errors
    /// [`ParamError`] for `venues` that are unknown, repeated, empty, or more
    /// than a latency layout holds.
    pub fn from_params(params: &LatencyProbeParams) -> Result<Self, ParamError> {
        let mut venues = Vec::with_capacity(params.venues.len());
        for name in &params.venues {
            let venue = venue_by_name(name).ok_or(ParamError {
                param: "venues",
                problem: "unknown venue name (CME, ICE, SHFE, FIX, FX or venue#N)",
            })?;
            venues.push(venue);
        }
        if params.interval_ms == 0 {
            return Err(ParamError {
                param: "interval_ms",
                problem: "must be at least 1",
            });
        }
        let interval_ns = params.interval_ms.saturating_mul(1_000_000);
        LatencyProbe::with_interval(&venues, interval_ns).map_err(|e| ParamError {
            param: "venues",
            problem: match e {
                LatencyError::Empty => "needs at least one venue",
                LatencyError::DuplicateVenue { .. } => "lists a venue twice",
                LatencyError::TooManyVenues { .. } => "lists more than 32 venues",
                _ => "not a valid venue list",
            },
        })
    }

    /// The receive → callback histogram of `venue` (nanoseconds).
    pub fn recv_to_callback(&self, venue: VenueId) -> Option<&Histogram<u64>> {
        let i = self.venues.iter().position(|v| *v == venue)?;
        self.recv_to_callback.get(i)
    }

    /// The published → strategy histograms (one per venue) of the current
    /// interval: the whole run when nothing rotated them.
    pub fn published_to_strategy(&self) -> &LatencySet {
        self.published.current()
    }

    /// Intervals rotated out to the report so far.
    pub fn intervals_rotated(&self) -> u64 {
        self.published.rotations()
    }

    /// The probe's counters.
    pub fn counts(&self) -> ProbeCounts {
        self.counts
    }

    /// The venues recorded.
    pub fn venues(&self) -> &[VenueId] {
        &self.venues
    }
}

impl Strategy for LatencyProbe {
    #[inline]
    fn on_event(&mut self, ctx: &mut Context<'_>, event: &Event) {
        self.counts.events += 1;
        let venue = event.venue();
        let Some(i) = self.venues.iter().position(|v| *v == venue) else {
            self.counts.unrouted += 1;
            return;
        };
        if let Some(ns) = ctx.published_to_callback_ns() {
            self.published.record(venue, Stage::PublishedToStrategy, ns);
        }
        if event.flags().contains(EventFlags::BAD_TS_RECV) {
            self.counts.bad_ts_recv += 1;
            return;
        }
        let (now, recv) = (ctx.now(), event.ts_recv_ns());
        if recv > now {
            self.counts.recv_after_callback += 1;
        }
        let mut ns = now.saturating_sub(recv);
        if ns > latency::HIGHEST_NS {
            self.counts.clamped += 1;
            ns = latency::HIGHEST_NS;
        }
        self.recv_to_callback[i].saturating_record(ns);
        self.counts.recorded += 1;
    }

    fn latency_recorder(&mut self) -> Option<&mut LatencyRecorder> {
        Some(&mut self.published)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::board::Board;
    use crate::event::{Action, EventHeader, TradeBody};
    use crate::strategy::{HostLimits, Outcome, StrategyHost};
    use crate::time::UtcNanos;
    use crate::types::{InstrumentId, Price, Qty, Side, TradeId};

    fn trade(venue: VenueId, recv_ns: u64, flags: EventFlags) -> Event {
        Event::new(
            EventHeader {
                flags,
                venue,
                instrument: InstrumentId(1),
                ts_recv_ns: UtcNanos::from_nanos(recv_ns),
                ts_event_ns: UtcNanos::from_nanos(recv_ns - 1),
                ts_in_delta_ns: 0,
                sequence: 1,
            },
            TradeBody {
                price_e9: Price::from_e9(1),
                trade_id: TradeId(1),
                qty: Qty::from_lots(1),
                rpt_seq: 0,
                aggressor: Side::Bid,
                action: Action::Trade,
            },
        )
    }

    #[test]
    fn records_per_venue_and_counts_what_it_skips() {
        let (board, _writer) = Board::new(&[(InstrumentId(1), VenueId::CME)]).unwrap();
        let probe = LatencyProbe::new(&[VenueId::CME, VenueId::ICE]).unwrap();
        let mut host = StrategyHost::new(Box::new(probe), HostLimits::default());
        let now = |ns| UtcNanos::from_nanos(ns);
        let last = EventFlags::LAST;
        let cases = [
            (trade(VenueId::CME, 1_000, last), 1_700, Some(300)),
            (trade(VenueId::CME, 2_000, last), 7_000, None),
            (trade(VenueId::ICE, 3_000, last), 3_900, Some(100)),
            (trade(VenueId::ICE, 9_000, last), 8_000, None),
            (
                trade(VenueId::CME, 1_000, last | EventFlags::BAD_TS_RECV),
                5_000,
                None,
            ),
            (trade(VenueId::SHFE, 1_000, last), 5_000, None),
        ];
        for (event, at, published) in cases {
            let outcome = host.handle_event(&board, now(at), published, &event);
            assert_eq!(outcome, Outcome::Ran);
        }
        assert_eq!(host.poll_intent(), None, "the probe sends nothing");
        let any: Box<dyn std::any::Any> = host.into_strategy();
        let probe = any.downcast::<LatencyProbe>().unwrap();
        let c = probe.counts();
        assert_eq!(c.events, 6);
        assert_eq!(c.recorded, 4);
        assert_eq!(c.bad_ts_recv, 1);
        assert_eq!(c.unrouted, 1);
        assert_eq!(c.recv_after_callback, 1);
        let cme = probe.recv_to_callback(VenueId::CME).unwrap();
        assert_eq!(cme.len(), 2);
        assert_eq!(cme.min(), 700);
        assert!(cme.equivalent(cme.max(), 5_000));
        let ice = probe.recv_to_callback(VenueId::ICE).unwrap();
        assert_eq!((ice.len(), ice.min(), ice.max()), (2, 0, 900));
        assert!(probe.recv_to_callback(VenueId::SHFE).is_none());
        let set = probe.published_to_strategy();
        let key = |venue| crate::latency::StageKey {
            venue,
            stage: Stage::PublishedToStrategy,
        };
        let cme = set.histogram(key(VenueId::CME)).unwrap();
        assert_eq!((cme.len(), cme.max()), (1, 300));
        let ice = set.histogram(key(VenueId::ICE)).unwrap();
        assert_eq!((ice.len(), ice.max()), (1, 100));
    }

    #[test]
    fn needs_a_venue() {
        assert_eq!(LatencyProbe::new(&[]).unwrap_err(), LatencyError::Empty);
    }

    #[test]
    fn params_name_venues() {
        let probe = LatencyProbe::from_params(&LatencyProbeParams::default()).unwrap();
        assert_eq!(probe.venues().len(), 5);
        let names = |v: &[&str]| LatencyProbeParams {
            venues: v.iter().map(|s| s.to_string()).collect(),
            ..LatencyProbeParams::default()
        };
        let probe = LatencyProbe::from_params(&names(&["ICE", "venue#77"])).unwrap();
        assert_eq!(probe.venues(), [VenueId::ICE, VenueId(77)]);
        for (bad, problem) in [
            (
                &["NYSE"][..],
                "unknown venue name (CME, ICE, SHFE, FIX, FX or venue#N)",
            ),
            (&[][..], "needs at least one venue"),
            (&["CME", "CME"][..], "lists a venue twice"),
        ] {
            let err = LatencyProbe::from_params(&names(bad)).unwrap_err();
            assert_eq!((err.param, err.problem), ("venues", problem));
        }
    }

    #[test]
    fn rotates_its_stage_histograms_through_the_host() {
        let (board, _writer) = Board::new(&[(InstrumentId(1), VenueId::CME)]).unwrap();
        let probe = LatencyProbe::with_interval(&[VenueId::CME], 1_000).unwrap();
        let layout = probe.published_to_strategy().layout().clone();
        let mut host = StrategyHost::new(Box::new(probe), HostLimits::default());
        let key = crate::latency::StageKey::new(VenueId::CME, Stage::PublishedToStrategy);
        let event = trade(VenueId::CME, 1_000, EventFlags::LAST);
        let mono = MonoNanos::from_nanos;
        host.latency_recorder().unwrap().start_at(mono(10_000));
        let mut intervals = Vec::new();
        // Three intervals of 1 µs: 2, 3 and 1 events, rotated at batch ends.
        for (events, end) in [(2u64, 11_000), (3, 12_500), (1, 13_600)] {
            for i in 0..events {
                let at = UtcNanos::from_nanos(2_000);
                host.handle_event(&board, at, Some(100 * (i + 1)), &event);
            }
            let rec = host.latency_recorder().unwrap();
            assert!(rec.is_due(mono(end)));
            let full = rec
                .rotate(mono(end), LatencySet::new(layout.clone()))
                .unwrap();
            intervals.push(full);
        }
        let lens: Vec<u64> = intervals
            .iter()
            .map(|s| s.histogram(key).unwrap().len())
            .collect();
        assert_eq!(lens, [2, 3, 1]);
        let windows: Vec<(u64, u64)> = intervals
            .iter()
            .map(|s| (s.start().as_nanos(), s.end().as_nanos()))
            .collect();
        assert_eq!(
            windows,
            [(10_000, 11_000), (11_000, 12_500), (12_500, 13_600)]
        );
        assert_eq!(intervals[1].histogram(key).unwrap().max(), 300);
        let any: Box<dyn std::any::Any> = host.into_strategy();
        let probe = any.downcast::<LatencyProbe>().unwrap();
        assert_eq!(probe.intervals_rotated(), 3);
        assert!(probe.published_to_strategy().is_empty());
        assert_eq!(probe.counts().events, 6);
    }

    #[test]
    fn interval_must_be_positive() {
        let params = LatencyProbeParams {
            interval_ms: 0,
            ..LatencyProbeParams::default()
        };
        let err = LatencyProbe::from_params(&params).unwrap_err();
        assert_eq!(
            (err.param, err.problem),
            ("interval_ms", "must be at least 1")
        );
    }
}
