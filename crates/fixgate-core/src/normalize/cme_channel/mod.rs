//! One CME MDP 3.0 channel behind one call: A/B arbitration of the
//! incremental feed, the definition and snapshot loops, gap recovery, and
//! the [`CmeNormalizer`] publishing normalized events to an [`EventSink`]
//! (sans-IO: the caller receives packets and reads the clock).
//!
//! ```text
//!  incremental A ─┐                   Deliver ─► recovery buffer (while recovering)
//!  incremental B ─┴─► Arbiter ─────┬──────────► CmeNormalizer ──► EventSink
//!                       Gap/Reset ─┴─► GAP event,  (per-instrument  (books, stats,
//!                                      instruments  sync gates)      registry)
//!  definitions A/B ─► loop dedup ──────────────► CmeNormalizer        ▲
//!  snapshots A/B ───► loop dedup ──────────────► 52/53 if needed ─► replay of the
//!                                                                   buffer, RECOVERED
//! ```
//!
//! # What is supported
//!
//! - **Arbitration**: the incremental feed on lines A and B by packet
//!   `MsgSeqNum`, first copy wins, a bounded wait for reordering, gaps and the
//!   weekly sequence reset by the [`Arbiter`] rules; per-line and channel
//!   counters (accepted, duplicate, late, lost, recovered, kernel drops).
//! - **Loops**: definitions and snapshots on either or both lines; each
//!   `MsgSeqNum` is handled once per loop, however far apart its copies arrive
//!   (per-line loop numbers, a bitset of what the current loop handled).
//! - **Gap semantics**: after a gap every defined instrument is unverified
//!   (its books flagged `MAYBE_BAD_BOOK`) and a
//!   [`GapBody`](crate::event::GapBody) event names the channel, the missing
//!   range and how many instruments are suspect. An instrument's next
//!   `RptSeq` proves continuity (`RptSeq` = last + 1: the gap did not touch
//!   it) or holds it until a snapshot; orders (47 has no `RptSeq`) wait for a
//!   53 on any gap (see [`OrderData`](crate::normalize::cme::OrderData)). Natural refresh clears nothing: only
//!   a `RptSeq` proof, a snapshot (after its replay) or `ChannelReset4` does.
//!   A [`RecoveredBody`](crate::event::RecoveredBody) event per instrument as
//!   it is verified again (method `SequenceProven` or `Snapshot`) and one for
//!   the channel (instrument `NONE`) when none is left. When an instrument's
//!   `RptSeq` shows a hole (after a gap, or without one: an upstream fault),
//!   a second `GAP` event carries that instrument in its header and the
//!   missing `RptSeq` range in its body (`instruments_suspect` 1), so a
//!   strategy counting trades knows what it missed; the instrument is held
//!   until a snapshot.
//! - **Snapshot recovery**: while recovering, every incremental packet is also
//!   copied into a fixed-capacity buffer (allocated once; when full the oldest
//!   is dropped and counted, `buffer_overflows`). A 52 is applied to an
//!   instrument that needs one when its `LastMsgSeqNumProcessed` (369) is at
//!   or after the floor (the last lost packet, or the last one dropped from
//!   the buffer) and not more than `dup_horizon` ahead; then the buffered
//!   packets after it are replayed to that instrument alone, entries the
//!   snapshot already covers skipped by `RptSeq`. A 53 needs all its chunks,
//!   in order, with one `LastMsgSeqNumProcessed`; a missing chunk means the
//!   next loop. A snapshot newer than the incremental feed holds the
//!   instrument until the feed passes it. Snapshots are applied only between
//!   incremental venue events (one that arrives inside an event is left for
//!   the next loop). With a buffer that spans a loop, recovery completes
//!   within two snapshot loops of the gap.
//! - **Resets and definitions**: `ChannelReset4` (also in the middle of an
//!   event) empties every book and ends any recovery; the weekly sequence
//!   reset is followed, and packets lost at the start of the new sequence are
//!   a gap with every instrument held. A late join (the first packet is not
//!   `MsgSeqNum` 1) is a gap from 1: definitions from the definition loop
//!   (instruments defined while recovering start held), books from the
//!   snapshot loop, then live. An instrument defined intraday is live at once
//!   unless entries of undefined instruments were refused since the last
//!   `ChannelReset4` (its definition may have been lost): then it waits for a
//!   snapshot.
//!
//! # What is not
//!
//! Receiving (the root crate's `net::feed`); TCP replay (`RecoveryMethod::
//! Retransmit`); late packets handed to recovery (they are counted and
//! dropped: the snapshot repairs what they carried); the trading status of a
//! held instrument is applied live, not replayed; `OrderData::Detect` treats
//! a channel that showed no order data before a gap as carrying none.
//! Recovery costs one pass over the buffer per recovered instrument. A gap
//! that swallowed a `ChannelReset4` is not recognized as one: `RptSeq`s
//! restart at 1 after a reset, so an instrument whose `RptSeq` after the
//! reset happens to continue the one before it (small numbers, early in a
//! session) passes the proof with the books the reset should have emptied;
//! others see their entries as already applied and wait for a snapshot.
//!
//! # Calling order
//!
//! For every received datagram, [`CmeChannel::handle_packet`] with its line,
//! its feed, its bytes, its receive time (UTC) and the monotonic `now`.
//! Whenever [`CmeChannel::poll_timeout`] returns a deadline that has passed,
//! [`CmeChannel::handle_timeout`] (a hole in the incremental sequence is
//! declared lost `max_wait_ns` after the first packet behind it). Pass socket
//! overflow counts to [`CmeChannel::handle_kernel_drops`]. At the end of a
//! capture, [`CmeChannel::finish`] publishes a venue event left open. Events
//! reach the sink as venue events end; books, statistics and definitions are
//! read from [`CmeChannel::normalizer`].
//!
//! After [`CmeChannel::new`] nothing allocates (as long as the sink does not):
//! `tests/cme_channel_no_alloc.rs`.
//!
//! ```
//! use fixgate_core::event::Event;
//! use fixgate_core::normalize::arbiter::Line;
//! use fixgate_core::normalize::cme::Feed;
//! use fixgate_core::normalize::cme_channel::{CmeChannel, CmeChannelConfig};
//! use fixgate_core::time::{MonoNanos, UtcNanos};
//!
//! let mut ch = CmeChannel::new(CmeChannelConfig::channel(310, 64, 1024), Vec::<Event>::new())
//!     .unwrap();
//! // A heartbeat-only packet: MsgSeqNum 1, SendingTime, no messages.
//! let mut packet = [0u8; 12];
//! packet[0] = 1;
//! for line in [Line::A, Line::B] {
//!     ch.handle_packet(line, Feed::Incremental, &packet, UtcNanos::EPOCH, MonoNanos::ZERO)
//!         .unwrap();
//! }
//! let c = ch.counters();
//! assert_eq!((c.arbiter.channel.accepted, c.arbiter.channel.duplicate), (1, 1));
//! ```
//!
//! | file | concern |
//! |---|---|
//! | `mod.rs` | [`CmeChannel`]: the calls |
//! | `config.rs` | [`CmeChannelConfig`], errors |
//! | `pipeline.rs` | after arbitration: delivery, loop packets |
//! | `recovery.rs` | gaps, resets, the episode: buffer, replays, `GAP`/`RECOVERED` |
//! | `buffer.rs` | the fixed-capacity packet buffer |
//! | `loops.rs` | definition and snapshot loop copies |
//! | `counters.rs` | [`CmeChannelCounters`] |

mod buffer;
mod config;
mod counters;
mod loops;
mod pipeline;
mod recovery;

pub use config::{CmeChannelConfig, CmeChannelConfigError, CmeChannelError};
pub use counters::{CmeChannelCounters, LoopCounters, RecoveryCounters};

use crate::md::cme::Packet;
use crate::normalize::arbiter::{Arbiter, Arrival, Line};
use crate::normalize::batch::EventSink;
use crate::normalize::cme::{CmeNormalizer, Feed, InstrumentSync};
use crate::normalize::Normalizer;
use crate::time::{MonoNanos, UtcNanos};

use loops::LoopFeed;
use pipeline::Pipeline;
use recovery::Recovery;

/// One CME channel: arbitration, loops, gap handling and normalization (see
/// the [module docs](self) for the calling order).
pub struct CmeChannel<S> {
    arbiter: Arbiter,
    pipe: Pipeline<S>,
}

impl<S: std::fmt::Debug> std::fmt::Debug for CmeChannel<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CmeChannel")
            .field("next_seq", &self.arbiter.next_seq())
            .field("reordering", &self.arbiter.buffered())
            .field("pipeline", &self.pipe)
            .finish()
    }
}

impl<S: EventSink> CmeChannel<S> {
    /// A channel publishing to `sink`; allocates every buffer it will use.
    ///
    /// # Errors
    /// [`CmeChannelConfigError`] for settings out of range.
    pub fn new(config: CmeChannelConfig, sink: S) -> Result<Self, CmeChannelConfigError> {
        if config.recovery_buffer_packets == 0 {
            return Err(CmeChannelConfigError::EmptyRecoveryBuffer);
        }
        let arbiter = Arbiter::new(config.arbiter)?;
        let mut cme = CmeNormalizer::new(config.cme, sink);
        cme.enable_sync(config.orders);
        let slots = cme.normalizer().registry().capacity();
        Ok(CmeChannel {
            arbiter,
            pipe: Pipeline {
                rec: Recovery::new(
                    slots,
                    config.recovery_buffer_packets,
                    usize::from(config.arbiter.max_packet_len),
                    config.arbiter.dup_horizon,
                ),
                cme,
                definitions: LoopFeed::default(),
                snapshots: LoopFeed::default(),
                recovery: RecoveryCounters::default(),
                recv_flags: config.recv_flags,
                last_ts_recv: UtcNanos::EPOCH,
            },
        })
    }

    /// Takes one received datagram: `line` and `feed` say which socket it came
    /// from, `ts_recv` when it was received (UTC), `now` the monotonic clock
    /// (deadlines up to `now` are applied first). Whatever it completes is
    /// published to the sink before this returns.
    ///
    /// # Errors
    /// [`CmeChannelError::Packet`] when it is shorter than a packet header,
    /// [`CmeChannelError::Arbiter`] when an incremental packet is longer than
    /// `max_packet_len`; both are counted and nothing else happens.
    pub fn handle_packet(
        &mut self,
        line: Line,
        feed: Feed,
        payload: &[u8],
        ts_recv: UtcNanos,
        now: MonoNanos,
    ) -> Result<(), CmeChannelError> {
        let seq = match Packet::new(payload) {
            Ok(p) => p.seq(),
            Err(e) => {
                self.pipe.recovery.malformed_packets += 1;
                return Err(e.into());
            }
        };
        self.pipe.last_ts_recv = ts_recv;
        match feed {
            Feed::Incremental => {
                let arrival = Arrival {
                    line,
                    seq,
                    ts_recv,
                    payload,
                };
                let mut actions = self.arbiter.handle_packet(now, arrival)?;
                while let Some(action) = actions.next_action() {
                    self.pipe.incremental(action);
                }
            }
            Feed::Definition | Feed::Recovery => {
                self.handle_timeout(now);
                self.pipe.loop_packet(line, feed, seq, payload, ts_recv);
            }
        }
        Ok(())
    }

    /// Applies every deadline up to `now` (holes waited for long enough become
    /// gaps, and what waited behind them is applied).
    pub fn handle_timeout(&mut self, now: MonoNanos) {
        let mut actions = self.arbiter.handle_timeout(now);
        while let Some(action) = actions.next_action() {
            self.pipe.incremental(action);
        }
    }

    /// The next deadline (`None` when nothing waits).
    pub fn poll_timeout(&self) -> Option<MonoNanos> {
        self.arbiter.poll_timeout()
    }

    /// Adds `count` datagrams the kernel dropped on `line`'s incremental
    /// socket (SO_RXQ_OVFL); counted apart from upstream loss.
    pub fn handle_kernel_drops(&mut self, line: Line, count: u64) {
        self.arbiter.handle_kernel_drops(line, count);
    }

    /// The end of the input (a capture's end): publishes a venue event the
    /// venue left open. Returns whether one was open.
    pub fn finish(&mut self) -> bool {
        self.pipe.cme.end_open_event()
    }

    /// Every count (see [`CmeChannelCounters`]).
    pub fn counters(&self) -> CmeChannelCounters {
        let sync = self.pipe.cme.sync_counters();
        let mut recovery = self.pipe.recovery;
        recovery.snapshots_applied = sync.snapshots_applied;
        recovery.snapshots_ignored = sync.snapshots_ignored;
        recovery.held_entries = sync.held_entries;
        recovery.chunk_breaks = sync.chunk_breaks;
        recovery.rpt_seq_holes = sync.rpt_seq_holes;
        recovery.buffered_now = self.pipe.rec.buffer.len() as u64;
        CmeChannelCounters {
            arbiter: self.arbiter.counters(),
            definitions: self.pipe.definitions.counters,
            snapshots: self.pipe.snapshots.counters,
            recovery,
            cme: self.pipe.cme.counters(),
            normalize: self.pipe.cme.normalizer().counters(),
        }
    }

    /// The normalizer: registry, books, statistics, the sink.
    pub fn normalizer(&self) -> &Normalizer<S> {
        self.pipe.cme.normalizer()
    }

    /// The sink, mutably (drain a test's `Vec`).
    pub fn sink_mut(&mut self) -> &mut S {
        self.pipe.cme.normalizer_mut().sink_mut()
    }

    /// The CME adapter (its counters, its normalizer).
    pub fn adapter(&self) -> &CmeNormalizer<S> {
        &self.pipe.cme
    }

    /// Whether a recovery episode is under way (some instrument is not yet
    /// verified; incremental packets are being buffered).
    pub fn is_recovering(&self) -> bool {
        self.pipe.rec.active
    }

    /// Where an instrument stands (`None` when not defined): both kinds
    /// [`SyncState::Live`](crate::normalize::cme::SyncState::Live) when its
    /// books are verified.
    pub fn sync(&self, id: crate::types::InstrumentId) -> Option<InstrumentSync> {
        self.pipe.cme.sync(id)
    }

    /// The last incremental `MsgSeqNum` applied (`None` before the first, and
    /// right after a sequence reset).
    pub fn last_incremental_seq(&self) -> Option<u32> {
        self.pipe.rec.delivered
    }
}
