//! One CME channel as live and replay run it: the incremental feed's A/B
//! copies through the [`Arbiter`] (first copy wins, bounded wait, gaps), then
//! every packet through the [`CmeNormalizer`] into an [`EventSink`].
//!
//! ```text
//!  (feed, line, ts_recv, payload) ─► incremental? ─► Arbiter ─► Deliver ─┐
//!                                    └─ definition / recovery loops ─────┴─► CmeNormalizer ─► sink
//! ```
//!
//! Time is the caller's: `now` is the replay clock (the capture's time) in a
//! replay, the monotonic clock live. The definition and recovery loops are not
//! arbitrated (their copies are dropped by the normalizer's per-feed
//! `MsgSeqNum` check); snapshot recovery after a gap is not orchestrated here:
//! the gap is counted and the normalizer's `RptSeq` checks mark the books.

use fixgate_core::event::EventFlags;
use fixgate_core::md::cme::Packet;
use fixgate_core::normalize::arbiter::{
    Action, Arbiter, ArbiterConfig, ArbiterCounters, Arrival, ConfigError, Line,
};
use fixgate_core::normalize::batch::EventSink;
use fixgate_core::normalize::cme::{
    CmeConfig, CmeCounters, CmeNormalizer, Feed, PacketIn, PacketOutcome,
};
use fixgate_core::time::{MonoNanos, UtcNanos};

/// What the pipeline counted (besides the arbiter's and the normalizer's own).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PipelineCounters {
    /// Copies handed in (every line, every feed).
    pub copies: u64,
    /// Packets handed to the normalizer once each (after arbitration).
    pub packets: u64,
    /// Copies dropped as duplicates: the arbiter's, plus loop packets the
    /// normalizer had already processed.
    pub duplicates: u64,
    /// Copies too short for a packet header.
    pub malformed: u64,
}

/// One channel: arbiter and normalizer (see the [module docs](self)).
pub struct ChannelPipeline<S> {
    arbiter: Arbiter,
    cme: CmeNormalizer<S>,
    counters: PipelineCounters,
}

impl<S: EventSink> ChannelPipeline<S> {
    /// A channel with the CME arbiter defaults, publishing to `sink`.
    ///
    /// # Errors
    /// A bad [`ArbiterConfig`].
    pub fn new(arbiter: ArbiterConfig, cme: CmeConfig, sink: S) -> Result<Self, ConfigError> {
        Ok(ChannelPipeline {
            arbiter: Arbiter::new(arbiter)?,
            cme: CmeNormalizer::new(cme, sink),
            counters: PipelineCounters::default(),
        })
    }

    /// The normalizer (its counters, books, registry and sink).
    pub fn normalizer(&self) -> &CmeNormalizer<S> {
        &self.cme
    }

    /// The sink, mutably (to stamp it before a packet).
    pub fn sink_mut(&mut self) -> &mut S {
        self.cme.normalizer_mut().sink_mut()
    }

    /// The pipeline's counters.
    pub fn counters(&self) -> PipelineCounters {
        self.counters
    }

    /// The arbiter's counters.
    pub fn arbiter_counters(&self) -> ArbiterCounters {
        self.arbiter.counters()
    }

    /// The normalizer's adapter counters.
    pub fn cme_counters(&self) -> CmeCounters {
        self.cme.counters()
    }

    /// Declares the holes whose wait is over at `now` (call before each
    /// packet and when idle).
    pub fn handle_timeout(&mut self, now: MonoNanos) {
        if self.arbiter.poll_timeout().is_some_and(|at| at <= now) {
            let mut actions = self.arbiter.handle_timeout(now);
            while let Some(action) = actions.next_action() {
                Self::act(
                    &mut self.cme,
                    &mut self.counters,
                    action,
                    EventFlags::empty(),
                );
            }
        }
    }

    /// Handles one received copy.
    pub fn handle_packet(
        &mut self,
        now: MonoNanos,
        feed: Feed,
        line: Line,
        ts_recv: UtcNanos,
        recv_flags: EventFlags,
        payload: &[u8],
    ) {
        self.counters.copies += 1;
        let Ok(packet) = Packet::new(payload) else {
            self.counters.malformed += 1;
            // The normalizer counts and reports it too.
            let rx = PacketIn {
                feed,
                ts_recv_ns: ts_recv,
                recv_flags,
            };
            let _ = self.cme.handle_packet(rx, payload);
            return;
        };
        if feed != Feed::Incremental {
            let rx = PacketIn {
                feed,
                ts_recv_ns: ts_recv,
                recv_flags,
            };
            match self.cme.handle_packet(rx, payload) {
                Ok(PacketOutcome::Duplicate { .. }) => self.counters.duplicates += 1,
                Ok(PacketOutcome::Applied { .. }) => self.counters.packets += 1,
                Err(_) => self.counters.malformed += 1,
            }
            return;
        }
        self.handle_timeout(now);
        let arrival = Arrival {
            line,
            seq: packet.seq(),
            ts_recv,
            payload,
        };
        match self.arbiter.handle_packet(now, arrival) {
            Ok(mut actions) => {
                while let Some(action) = actions.next_action() {
                    Self::act(&mut self.cme, &mut self.counters, action, recv_flags);
                }
            }
            // Counted by the arbiter (`too_long`).
            Err(_) => {}
        }
    }

    fn act(
        cme: &mut CmeNormalizer<S>,
        counters: &mut PipelineCounters,
        action: Action<'_>,
        recv_flags: EventFlags,
    ) {
        match action {
            Action::Deliver(p) => {
                counters.packets += 1;
                let rx = PacketIn {
                    feed: Feed::Incremental,
                    ts_recv_ns: p.ts_recv,
                    recv_flags,
                };
                if cme.handle_packet(rx, p.payload).is_err() {
                    counters.malformed += 1;
                }
            }
            Action::Reset { .. } => cme.reset_feed_sequence(Feed::Incremental),
            // Gaps are counted by the arbiter; late packets are dropped (the
            // default policy) and counted there too.
            Action::Gap { .. } | Action::Late(_) => {}
        }
    }

    /// The end of the stream at `now`: every hole still open is declared, what
    /// waited behind it delivered, and a venue event left open published.
    pub fn finish(&mut self, now: MonoNanos) {
        let end = now.saturating_add_nanos(self.arbiter.config().max_wait_ns.saturating_add(1));
        self.handle_timeout(end);
        self.cme.end_open_event();
    }
}

impl<S> std::fmt::Debug for ChannelPipeline<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChannelPipeline")
            .field("counters", &self.counters)
            .finish_non_exhaustive()
    }
}
