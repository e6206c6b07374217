//! `fixgate replay FILE --venue cme`: a capture through the live pipeline —
//! arbitration, normalization, board, broadcast ring, strategies on their
//! runner threads — on the capture's own time.
//!
//! ```text
//!  pcap/pcapng ─► frame ─► dissect ─► route (dst → feed, line) ─► ReplayClock ← capture ts
//!                                        │                            │ pacer (1x, Nx; max: none)
//!                                        ▼                            ▼
//!                          CmeChannel: Arbiter (A/B), loops, gaps ─► CmeNormalizer ─► RingSink ─► board + ring
//!                                                                                   │
//!                            strategies (runner threads, blocking, lockstep) ◄──────┘ ─► intents (digest)
//! ```
//!
//! | file | concern |
//! |---|---|
//! | `mod.rs` | the run: frames in, counters and intents out |
//! | `config.rs` | `[replay]` and `[[strategy]]` |
//! | `lines.rs` | destination → feed and line; content-guessed feeds |
//! | `sink.rs` | board, ring, publish stamps, `DecodedToPublished` |
//! | `runners.rs` | strategies: start (with the runners' `PublishedToStrategy` from the ring's publish stamps), lockstep, intents and their digest |
//! | `latency.rs` | the latency collector thread and the report |
//! | `pace.rs` | `--speed` |
//! | `progress.rs` | the progress bar |
//!
//! Supported: one CME channel per capture, through the core's
//! [`CmeChannel`] as live (incremental A/B arbitrated, definition and snapshot
//! loops deduplicated, gaps published with every instrument suspect), UDP and CME's
//! conflated TCP segments, pcap and pcapng. Time: a [`ReplayClock`] follows
//! the capture timestamps; the arbiter's bounded wait runs on it, strategies
//! run on event time (the receive times, which are the capture's), so timers
//! fire at the same points of the stream at any speed. Latency stages are the
//! machine's own time (TSC): receive (the frame handed over) → decoded (frame
//! dissected, routed, packet header checked) → published (in the ring, board
//! written) → strategy callback. The same capture and configuration give the
//! same intents, run after run (no built-in strategy draws random numbers, so
//! there is no seed to set).
//!
//! Receive times are the capture's; events are not flagged `BAD_TS_RECV`
//! (a capture without timestamps replays at time zero).
//!
//! Not here: several channels in one capture, an order gateway (intents are
//! collected, not sent).

mod config;
mod latency;
mod lines;
mod pace;
mod progress;
mod runners;
mod sink;

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::net::SocketAddrV4;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use fixgate_core::board::{Board, BoardError};
use fixgate_core::event::Event;
use fixgate_core::latency::{LatencyError, LatencyLayout, MergedLatency, Stage, VenueSlot};
use fixgate_core::md::cme::tcp;
use fixgate_core::md::frame::{dissect, LinkType, Transport};
use fixgate_core::normalize::batch::FnSink;
use fixgate_core::normalize::cme::UnknownInstrumentPolicy;
use fixgate_core::normalize::cme_channel::{
    CmeChannel, CmeChannelConfig, CmeChannelConfigError, CmeChannelCounters,
};
use fixgate_core::normalize::registry::BookDepth;
use fixgate_core::time::{Clock, MonoNanos, ReplayClock, TscClock, UtcNanos};
use fixgate_core::types::{InstrumentId, VenueId};
use fixgate_ring::{RingConfig, WaitStrategy};
use serde_json::{json, Map, Value};

pub use config::{ReplayConfig, ReplaySection, UnknownInstruments};
pub use lines::{FeedName, LineConfig, LineMap, LineName, Route};
pub use pace::{Pacer, Speed, SpeedError};
pub use runners::{digest_intent, digest_kept, Lockstep, StrategyIntents};

use crate::app::strategies::{StrategyConfigError, StrategyRegistry};
use crate::app::strategy_runner::RunnerError;
use crate::net::pcap::{CaptureError, CaptureReader};
use crate::report::{latency_handoff, ReportError};
use progress::{CountingRead, Progress};
use runners::ReplayRunners;
use sink::RingSink;

/// Why a replay failed.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    /// The capture could not be opened.
    #[error("open {path}: {source}")]
    Open {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// The capture is not readable (after the frames before the fault were
    /// replayed).
    #[error(transparent)]
    Capture(#[from] CaptureError),
    /// Strategies could not be built or started.
    #[error(transparent)]
    Strategies(#[from] StrategyConfigError),
    /// A runner did not stop.
    #[error(transparent)]
    Runner(#[from] RunnerError),
    /// The channel's settings are out of range.
    #[error("channel: {0}")]
    Channel(#[from] CmeChannelConfigError),
    /// The ring's settings are out of range.
    #[error("ring: {0:?}")]
    Ring(fixgate_ring::ConfigError),
    /// The board could not be built.
    #[error("board: {0}")]
    Board(#[from] BoardError),
    /// The latency layout or merge failed.
    #[error("latency: {0}")]
    Latency(#[from] LatencyError),
    /// The latency report could not be written.
    #[error("latency report: {0}")]
    Report(#[from] ReportError),
}

/// How to run a replay.
#[derive(Clone, Debug)]
pub struct ReplayOptions {
    /// How fast.
    pub speed: Speed,
    /// Line map, channel sizes and strategies.
    pub config: ReplayConfig,
    /// Write the latency report (table, JSON, SVG, interval log) here.
    pub latency_out: Option<PathBuf>,
    /// Keep every intent in the summary (tests); otherwise only counts and the digest.
    pub keep_intents: bool,
    /// Draw the progress bar (when stderr is a terminal).
    pub progress: bool,
}

impl ReplayOptions {
    /// Max speed, no report, no bar.
    pub fn new(config: ReplayConfig) -> Self {
        ReplayOptions {
            speed: Speed::Max,
            config,
            latency_out: None,
            keep_intents: false,
            progress: false,
        }
    }
}

/// What a replay did.
#[derive(Clone, Debug, Default)]
pub struct ReplaySummary {
    /// Frames read from the capture.
    pub frames: u64,
    /// Frames that were not UDP/TCP datagrams with a payload (other link
    /// types, other protocols, bad frames).
    pub skipped_frames: u64,
    /// Datagrams whose destination was not in a non-empty line map.
    pub unmapped: u64,
    /// Datagrams handed to the channel (every copy, every feed).
    pub copies: u64,
    /// Datagrams the channel refused (shorter than a packet header, or
    /// longer than the arbiter takes).
    pub refused_packets: u64,
    /// The channel's counts (arbiter, loops, recovery, adapter, normalizer).
    pub channel: CmeChannelCounters,
    /// Events published into the ring.
    pub events: u64,
    /// Per strategy, its intents.
    pub intents: Vec<StrategyIntents>,
    /// FNV-1a over every intent, strategy by strategy.
    pub intents_digest: u64,
    /// Capture time from the first to the last packet, ns.
    pub capture_ns: u64,
    /// The machine's time for the run, ns.
    pub wall_ns: u64,
    /// The run's latency stages.
    pub latency: MergedLatency,
}

impl ReplaySummary {
    /// The counters as one JSON object: `packets`, `duplicates`, `gaps`,
    /// `recovered`, `messages`, `events` first, then the details.
    pub fn counters_json(&self) -> Value {
        let c = &self.channel;
        let a = &c.arbiter.channel;
        let (d, r) = (&c.definitions, &c.snapshots);
        let mut m = Map::new();
        m.insert(
            "packets".into(),
            json!(a.accepted + d.accepted + r.accepted),
        );
        m.insert(
            "duplicates".into(),
            json!(a.duplicate + d.duplicate + r.duplicate),
        );
        m.insert("gaps".into(), json!(c.recovery.gaps));
        m.insert("recovered".into(), json!(c.recovery.recoveries));
        m.insert("messages".into(), json!(c.cme.decode.messages));
        m.insert("events".into(), json!(self.events));
        m.insert("frames".into(), json!(self.frames));
        m.insert("copies".into(), json!(self.copies));
        m.insert("skipped_frames".into(), json!(self.skipped_frames));
        m.insert("unmapped".into(), json!(self.unmapped));
        m.insert("refused_packets".into(), json!(self.refused_packets));
        m.insert("late".into(), json!(a.late));
        m.insert("lost".into(), json!(c.recovery.lost_packets));
        m.insert("reordered".into(), json!(a.recovered));
        m.insert("resets".into(), json!(c.recovery.sequence_resets));
        m.insert(
            "snapshots_applied".into(),
            json!(c.recovery.snapshots_applied),
        );
        m.insert("refused".into(), json!(c.cme.refused));
        m.insert("rpt_seq_gaps".into(), json!(c.cme.rpt_seq_gaps));
        let intents: u64 = self.intents.iter().map(|s| s.count).sum();
        m.insert("intents".into(), json!(intents));
        m.insert(
            "intents_digest".into(),
            json!(format!("{:016x}", self.intents_digest)),
        );
        m.insert("capture_ns".into(), json!(self.capture_ns));
        m.insert("wall_ns".into(), json!(self.wall_ns));
        Value::Object(m)
    }
}

/// A datagram of a frame: its route and payload, or `None` when the frame
/// carries none.
fn datagram<'f>(
    dlt: u32,
    data: &'f [u8],
    lines: &LineMap,
    unmapped: &mut u64,
) -> Option<(Route, &'f [u8])> {
    let d = dissect(LinkType::from_dlt(dlt)?, data).ok()?;
    let payload = match d.transport {
        Transport::Udp => d.payload,
        // CME's conflated TCP: a 2-byte marker before the packet.
        Transport::Tcp => {
            tcp::segment_packet(d.payload).ok()?;
            &d.payload[2..]
        }
    };
    if payload.is_empty() {
        return None;
    }
    let route = lines.route(SocketAddrV4::new(d.dst, d.dst_port), payload);
    if !route.mapped && !lines.is_empty() {
        *unmapped += 1;
    }
    Some((route, payload))
}

fn channel_config(section: &ReplaySection) -> CmeChannelConfig {
    let mut config =
        CmeChannelConfig::channel(section.channel, section.max_instruments, section.max_orders);
    if section.unknown_instruments == UnknownInstruments::Define {
        config.cme.unknown_instruments = UnknownInstrumentPolicy::Define(BookDepth {
            outright: 10,
            implied: 2,
        });
    }
    config
}

fn open(path: &Path) -> Result<(BufReader<File>, u64), ReplayError> {
    let err = |source| ReplayError::Open {
        path: path.to_owned(),
        source,
    };
    let file = File::open(path).map_err(err)?;
    let len = file.metadata().map_err(err)?.len();
    Ok((BufReader::with_capacity(1 << 20, file), len))
}

/// The instruments the capture's events name (the board's slots): the
/// capture normalized once, without a ring.
fn scan_instruments(path: &Path, config: &ReplayConfig) -> Result<Vec<InstrumentId>, ReplayError> {
    let (input, _) = open(path)?;
    let mut reader = CaptureReader::new(input)?;
    let lines = LineMap::new(&config.replay.line);
    let mut ids = BTreeSet::new();
    let sink = FnSink(|events: &[Event]| {
        for e in events {
            if !e.instrument().is_none() {
                ids.insert(e.instrument());
            }
        }
    });
    let mut channel = CmeChannel::new(channel_config(&config.replay), sink)?;
    let clock = ReplayClock::default();
    let mut unmapped = 0;
    while let Some(frame) = reader.next_frame() {
        let frame = frame?;
        let Some((route, payload)) = datagram(frame.dlt, &frame.data, &lines, &mut unmapped) else {
            continue;
        };
        let ts = UtcNanos::from_nanos(frame.ts_capture_ns.unwrap_or(0));
        clock.advance_to(ts);
        // Refused datagrams are counted by the channel.
        let _ = channel.handle_packet(route.line, route.feed, payload, ts, clock.mono());
    }
    finish_channel(&mut channel, clock.mono());
    drop(channel);
    Ok(ids.into_iter().collect())
}

/// Replays the capture at `path` (see the [module docs](self)).
///
/// # Errors
/// [`ReplayError`]; a capture that turns unreadable part way stops the replay
/// with the error after what came before went through.
pub fn replay_file(
    path: &Path,
    options: &ReplayOptions,
    registry: &StrategyRegistry,
) -> Result<ReplaySummary, ReplayError> {
    let config = &options.config;
    let tsc = TscClock::new();
    let wall_start = tsc.mono();
    let strategies = !config.strategies.is_empty();
    let instruments = if strategies {
        scan_instruments(path, config)?
    } else {
        Vec::new()
    };
    let on_board: Vec<_> = instruments.iter().map(|&id| (id, VenueId::CME)).collect();
    let (board, board_writer) = Board::new(&on_board)?;

    let ring_config = RingConfig {
        capacity: config.replay.ring_capacity,
        max_blocking: config.strategies.len().max(1),
        producer_wait: WaitStrategy::SpinThenYield { spins: 64 },
    };
    let (mut producer, subscribers) =
        fixgate_ring::channel::<Event>(ring_config).map_err(ReplayError::Ring)?;
    // Publish stamps for the runners' published → strategy stage: the same
    // calibrated TSC they read.
    let stamp_clock = tsc.clone();
    producer.set_publish_clock(Some(Box::new(move || stamp_clock.raw().as_raw())));
    let layout = Arc::new(LatencyLayout::new(
        &[VenueId::CME],
        &[
            Stage::ReceiveToDecoded,
            Stage::DecodedToPublished,
            Stage::PublishedToStrategy,
        ],
    )?);
    let slot = layout.venue_slot(VenueId::CME).ok_or(LatencyError::Empty)?;
    let (hot, source) = latency_handoff(
        "replay",
        Arc::clone(&layout),
        2,
        tsc.mono(),
        Duration::from_secs(1),
    );
    let (mut runners, mut sources) = ReplayRunners::start(
        registry,
        &config.strategies,
        &subscribers,
        &board,
        &tsc,
        options.keep_intents,
    )?;
    sources.push(source);
    let collector = latency::spawn_collector(sources, options.latency_out.as_deref(), &tsc)?;

    let sink = RingSink::new(
        producer,
        strategies.then_some(board_writer),
        tsc.clone(),
        Some((hot, slot)),
        runners.lockstep(),
    );
    let mut pipe = CmeChannel::new(channel_config(&config.replay), sink)?;
    let lines = LineMap::new(&config.replay.line);
    let (input, len) = open(path)?;
    let (input, consumed) = CountingRead::new(input);
    let bar = Progress::new(len, consumed, options.progress);
    let mut summary = ReplaySummary::default();
    let mut frames = Frames {
        lines: &lines,
        pipe: &mut pipe,
        runners: &mut runners,
        tsc: &tsc,
        bar: &bar,
        slot,
    };
    let result = frames.run(input, options.speed, &mut summary);
    bar.finish();

    if let Some(hot) = pipe.sink_mut().take_latency() {
        hot.finish(tsc.mono());
    }
    summary.events = pipe.sink_mut().events();
    summary.channel = pipe.counters();
    let published = summary.events;
    let (intents, digest) = runners.finish(published)?;
    drop(pipe);
    summary.intents = intents;
    summary.intents_digest = digest;
    summary.wall_ns = tsc.mono().saturating_sub(wall_start);
    summary.latency = latency::join_collector(collector, options.latency_out.as_deref())?;
    result?;
    Ok(summary)
}

/// The frame loop's borrowed state.
struct Frames<'a> {
    lines: &'a LineMap,
    pipe: &'a mut CmeChannel<RingSink>,
    runners: &'a mut ReplayRunners,
    tsc: &'a TscClock,
    bar: &'a Progress,
    slot: VenueSlot,
}

impl Frames<'_> {
    fn run<R: BufRead>(
        &mut self,
        input: R,
        speed: Speed,
        summary: &mut ReplaySummary,
    ) -> Result<(), ReplayError> {
        let mut reader = CaptureReader::new(input)?;
        let clock = ReplayClock::default();
        let mut pacer = Pacer::new(speed, self.tsc.clone());
        let mut first_ts: Option<u64> = None;
        let tsc = self.tsc;
        while let Some(frame) = reader.next_frame() {
            let frame = frame?;
            summary.frames += 1;
            let ts = frame.ts_capture_ns.unwrap_or(0);
            let ts_recv = UtcNanos::from_nanos(ts);
            clock.advance_to(ts_recv);
            pacer.wait_for(ts_recv);
            // The record is handed over: a replay's receive stamp.
            let received = tsc.raw();
            let Some((route, payload)) =
                datagram(frame.dlt, &frame.data, self.lines, &mut summary.unmapped)
            else {
                summary.skipped_frames += 1;
                continue;
            };
            let decoded = tsc.raw();
            let first = *first_ts.get_or_insert(ts);
            summary.capture_ns = ts.saturating_sub(first).max(summary.capture_ns);
            let sink = self.pipe.sink_mut();
            sink.decoded_at = decoded;
            if let Some(latency) = sink.latency_mut() {
                latency.recorder().record_ticks(
                    tsc,
                    self.slot,
                    Stage::ReceiveToDecoded,
                    received,
                    decoded,
                );
            }
            summary.copies += 1;
            let handled =
                self.pipe
                    .handle_packet(route.line, route.feed, payload, ts_recv, clock.mono());
            if handled.is_err() {
                summary.refused_packets += 1;
            }
            self.runners.drain_intents();
            if summary.frames.is_multiple_of(1024) {
                let sink = self.pipe.sink_mut();
                if let Some(latency) = sink.latency_mut() {
                    latency.end_batch(tsc.mono());
                }
                let events = sink.events();
                self.bar.update(summary.copies, events);
            }
        }
        finish_channel(self.pipe, clock.mono());
        Ok(())
    }
}

/// The end of a capture at `now`: every hole still open is declared (its wait
/// is over: nothing more will come), then a venue event left open is
/// published.
fn finish_channel<S: fixgate_core::normalize::batch::EventSink>(
    channel: &mut CmeChannel<S>,
    now: MonoNanos,
) {
    // Each round declares at least the oldest hole; the reorder window bounds
    // how many there can be.
    for _ in 0..=usize::from(u16::MAX) {
        match channel.poll_timeout() {
            Some(deadline) => channel.handle_timeout(deadline.max(now)),
            None => break,
        }
    }
    channel.finish();
}
