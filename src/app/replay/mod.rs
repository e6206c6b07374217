//! `fixgate replay FILE --venue cme`: a capture through the live pipeline —
//! arbitration, normalization, board, broadcast ring, strategies on their
//! runner threads — on the capture's own time.
//!
//! ```text
//!  pcap/pcapng ─► frame ─► dissect ─► route (dst → feed, line) ─► ReplayClock ← capture ts
//!                                        │                            │ pacer (1x, Nx; max: none)
//!                                        ▼                            ▼
//!                          ChannelPipeline: Arbiter (A/B) ─► CmeNormalizer ─► RingSink ─► board + ring
//!                                                                                   │
//!                            strategies (runner threads, blocking, lockstep) ◄──────┘ ─► intents (digest)
//! ```
//!
//! | file | concern |
//! |---|---|
//! | `mod.rs` | the run: frames in, counters and intents out |
//! | `config.rs` | `[replay]` and `[[strategy]]` |
//! | `lines.rs` | destination → feed and line; content-guessed feeds |
//! | `pipeline.rs` | arbiter + normalizer of one channel |
//! | `sink.rs` | board, ring, publish stamps, `DecodedToPublished` |
//! | `stamps.rs` | the publish-stamp side channel, `PublishedToStrategy` |
//! | `runners.rs` | strategies: start, lockstep, intents and their digest |
//! | `latency.rs` | the latency collector thread and the report |
//! | `pace.rs` | `--speed` |
//! | `progress.rs` | the progress bar |
//!
//! Supported: one CME channel per capture (incremental A/B arbitrated;
//! definition and recovery loops deduplicated by `MsgSeqNum`), UDP and CME's
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
//! Not here: several channels in one capture, snapshot recovery after a gap
//! (counted; books are marked by the normalizer), an order gateway (intents
//! are collected, not sent).

mod config;
mod latency;
mod lines;
mod pace;
mod pipeline;
mod progress;
mod runners;
mod sink;
mod stamps;

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::net::SocketAddrV4;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use fixgate_core::board::{Board, BoardError};
use fixgate_core::event::{Event, EventFlags};
use fixgate_core::latency::{LatencyError, LatencyLayout, MergedLatency, Stage, VenueSlot};
use fixgate_core::md::cme::{tcp, Packet};
use fixgate_core::md::frame::{dissect, LinkType, Transport};
use fixgate_core::normalize::arbiter::{ArbiterConfig, ArbiterCounters};
use fixgate_core::normalize::batch::FnSink;
use fixgate_core::normalize::cme::{CmeConfig, CmeCounters, UnknownInstrumentPolicy};
use fixgate_core::normalize::registry::BookDepth;
use fixgate_core::time::{Clock, ReplayClock, TscClock, UtcNanos};
use fixgate_core::types::{InstrumentId, VenueId};
use fixgate_ring::{RingConfig, WaitStrategy};
use serde_json::{json, Map, Value};

pub use config::{ReplayConfig, ReplaySection, UnknownInstruments};
pub use lines::{FeedName, LineConfig, LineMap, LineName, Route};
pub use pace::{Pacer, Speed, SpeedError};
pub use pipeline::{ChannelPipeline, PipelineCounters};
pub use runners::{digest_intent, Lockstep, StrategyIntents};
pub use stamps::{PublishStamps, StampedStrategy};

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
    /// The arbiter's settings are out of range.
    #[error("arbiter: {0}")]
    Arbiter(#[from] fixgate_core::normalize::arbiter::ConfigError),
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
    /// The pipeline's counts.
    pub pipeline: PipelineCounters,
    /// The arbiter's counts.
    pub arbiter: ArbiterCounters,
    /// The normalizer's adapter counts.
    pub cme: CmeCounters,
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
        let a = &self.arbiter.channel;
        let mut m = Map::new();
        m.insert("packets".into(), json!(self.pipeline.packets));
        m.insert(
            "duplicates".into(),
            json!(self.pipeline.duplicates + a.duplicate),
        );
        m.insert("gaps".into(), json!(a.gaps));
        m.insert("recovered".into(), json!(a.recovered));
        m.insert("messages".into(), json!(self.cme.decode.messages));
        m.insert("events".into(), json!(self.events));
        m.insert("frames".into(), json!(self.frames));
        m.insert("copies".into(), json!(self.pipeline.copies));
        m.insert("skipped_frames".into(), json!(self.skipped_frames));
        m.insert("unmapped".into(), json!(self.unmapped));
        m.insert("late".into(), json!(a.late));
        m.insert("lost".into(), json!(a.lost));
        m.insert("resets".into(), json!(a.resets));
        m.insert("malformed".into(), json!(self.pipeline.malformed));
        m.insert("refused".into(), json!(self.cme.refused));
        m.insert("rpt_seq_gaps".into(), json!(self.cme.rpt_seq_gaps));
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

fn cme_config(section: &ReplaySection) -> CmeConfig {
    let mut config =
        CmeConfig::channel(section.channel, section.max_instruments, section.max_orders);
    if section.unknown_instruments == UnknownInstruments::Define {
        config.unknown_instruments = UnknownInstrumentPolicy::Define(BookDepth {
            outright: 10,
            implied: 2,
        });
    }
    config
}

/// `BAD_TS_RECV` when the capture has no time, or one before the venue sent
/// the packet.
fn recv_flags(ts: Option<u64>, payload: &[u8]) -> EventFlags {
    let sending = Packet::new(payload).map_or(0, |p| p.sending_time_ns());
    match ts {
        Some(t) if t >= sending => EventFlags::empty(),
        _ => EventFlags::BAD_TS_RECV,
    }
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
    let mut pipe = ChannelPipeline::new(ArbiterConfig::cme(), cme_config(&config.replay), sink)?;
    let clock = ReplayClock::default();
    let mut unmapped = 0;
    while let Some(frame) = reader.next_frame() {
        let frame = frame?;
        let Some((route, payload)) = datagram(frame.dlt, &frame.data, &lines, &mut unmapped) else {
            continue;
        };
        let ts = UtcNanos::from_nanos(frame.ts_capture_ns.unwrap_or(0));
        clock.advance_to(ts);
        pipe.handle_packet(
            clock.mono(),
            route.feed,
            route.line,
            ts,
            EventFlags::empty(),
            payload,
        );
    }
    pipe.finish(clock.mono());
    drop(pipe);
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
    let (producer, subscribers) =
        fixgate_ring::channel::<Event>(ring_config).map_err(ReplayError::Ring)?;
    let stamps = Arc::new(PublishStamps::new(config.replay.ring_capacity));
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
        &stamps,
        &layout,
        &tsc,
        options.keep_intents,
    )?;
    sources.push(source);
    let collector = latency::spawn_collector(sources, options.latency_out.as_deref(), &tsc)?;

    let sink = RingSink::new(
        producer,
        strategies.then_some(board_writer),
        Arc::clone(&stamps),
        tsc.clone(),
        Some((hot, slot)),
        runners.lockstep(),
    );
    let mut pipe = ChannelPipeline::new(ArbiterConfig::cme(), cme_config(&config.replay), sink)?;
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
    summary.pipeline = pipe.counters();
    summary.arbiter = pipe.arbiter_counters();
    summary.cme = pipe.cme_counters();
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
    pipe: &'a mut ChannelPipeline<RingSink>,
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
            let flags = recv_flags(frame.ts_capture_ns, payload);
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
            self.pipe.handle_packet(
                clock.mono(),
                route.feed,
                route.line,
                ts_recv,
                flags,
                payload,
            );
            self.runners.drain_intents();
            if summary.frames % 1024 == 0 {
                let sink = self.pipe.sink_mut();
                if let Some(latency) = sink.latency_mut() {
                    latency.end_batch(tsc.mono());
                }
                let events = sink.events();
                self.bar.update(self.pipe.counters().packets, events);
            }
        }
        self.pipe.finish(clock.mono());
        Ok(())
    }
}
