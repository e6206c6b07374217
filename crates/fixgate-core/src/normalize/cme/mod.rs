//! The CME MDP 3.0 adapter: packets in, decoded by the zero-copy views of
//! [`md::cme`](crate::md::cme), mapped onto one channel's [`Normalizer`].
//!
//! | template | what it does here |
//! |---|---|
//! | 27, 29, 54, 55, 56 definitions | registry upsert or delete (`SecurityUpdateAction` A/M/D): symbol, group, asset, tick (`MinPriceIncrement`, −7 or −9), display factor, multiplier, unit, currencies, depth (`NoMDFeedTypes` `GBX` outright, `GBI` implied), limits, trading state |
//! | 32, 46 book | entries `0`/`1` → outright levels, `E`/`F` → implied levels, all six `MDUpdateAction`s; `J` → book reset; the order group (32 since v7, 46) → order book, each order's instrument, side and price from the entry its `ReferenceID` names |
//! | 47 order book | orders New / Change / Delete (`J`: the instrument's orders reset) |
//! | 42, 48 trade summary | trades; `MDUpdateAction` Delete → bust of `MDTradeEntryID`; the order group (fills) changes no book and is only counted |
//! | 37 volume | statistic `ElectronicVolume` |
//! | 35, 51, 49 statistics | opening (indicative with `OpenCloseSettlFlag` 5), session high/low, highest bid, lowest offer, settlement (`SettlPriceType` in the venue flags), cleared volume, open interest, fixing |
//! | 50 limits | statistics `UpperPriceLimit`, `LowerPriceLimit`, `MaxPriceVariation`, and the registry's limits |
//! | 30 security status | the instrument's, or with a null `SecurityID` every instrument of `SecurityGroup` (and `Asset`); `SecurityTradingEvent` 4 withdraws statistics |
//! | 4 channel reset | every book, order and statistic of the channel emptied; `RptSeq`s forgotten (they restart at 1) |
//! | 52, 53 snapshots | full refresh of one instrument's levels (52: its books emptied first, statistics and limits set) or orders (53: emptied at chunk 1), events flagged `SNAPSHOT` |
//! | 12 heartbeat | nothing |
//! | 15, 16, 33, 34, 38, 39, 41, 43, 44 | decoded, not normalized: counted ([`CmeCounters::not_normalized`]); these are the −7 templates of schema versions before 9, quote requests and the TCP replay's logon/logout |
//! | others (after v9, other schema ids) | nothing (counted as skipped by the decoder) |
//!
//! Every event carries `ts_recv` (given with the packet), `ts_event` (the
//! message's `TransactTime`; a definition's `LastUpdateTime`), `ts_in_delta`
//! (`SendingTime − TransactTime`, saturated to i32) and the packet's
//! `MsgSeqNum`; book, trade and statistic bodies carry the entry's `RptSeq`.
//!
//! Event ends: an incremental message ends the venue event when its
//! `MatchEventIndicator` has bit 7 (`EndOfEvent`); books are published and
//! `LAST` set only then. Definitions and snapshots are not part of a Globex
//! event: each ends its own venue event, unless an incremental event is open,
//! which it then joins.
//!
//! Sequencing (see [`sequence`]): per [`Feed`], a packet whose `MsgSeqNum` was
//! already processed is dropped (the other line of an A/B pair), a jump is
//! counted; per instrument, an entry whose `RptSeq` was already applied is
//! skipped, and a `RptSeq` hole marks the instrument's books suspect
//! (`MAYBE_BAD_BOOK` until a snapshot or reset). Not here: waiting for the
//! other line and snapshot recovery orchestration (which snapshots to apply
//! when): [`CmeChannel`](crate::normalize::cme_channel::CmeChannel) does those,
//! through per-instrument gates ([`sync`], off unless enabled); TCP replay.
//!
//! Entries of instruments without a definition follow the
//! [`UnknownInstrumentPolicy`]. Anything refused is counted
//! ([`CmeCounters`]) and reported to an optional observer ([`Refusal`]); nothing
//! panics. After [`CmeNormalizer::new`] nothing allocates (as long as the sink
//! does not): `tests/cme_normalize_no_alloc.rs` proves it over every capture
//! and a synthetic stream.
//!
//! | file | concern |
//! |---|---|
//! | `mod.rs` | [`CmeNormalizer`]: packets, event framing, the `RptSeq` check of an entry |
//! | `dispatch.rs` | each message to its template's handler |
//! | `instrument.rs` | `SecurityID` to registry slot (recent-instrument table, unknown-instrument policy) |
//! | `sequence.rs` | [`Feed`], packet and `RptSeq` sequencing |
//! | `convert.rs` | wire values to fixgate units and enums |
//! | `definition.rs` | 27, 29, 54, 55, 56 |
//! | `book.rs` | 32, 46, 47 |
//! | `market.rs` | 42, 48, 37, 35, 51, 49, 50, 30, 4 |
//! | `snapshot.rs` | 52, 53 |
//! | `sync.rs`, `sync/gates.rs` | per-instrument gates for a recovery layer (off unless enabled): states and the recovery layer's calls; the gates entries and snapshots pass |
//! | `refusal.rs` | [`Refusal`], [`CmeCounters`] |

mod book;
mod convert;
mod definition;
mod dispatch;
mod instrument;
mod market;
mod refusal;
pub mod sequence;
mod snapshot;
pub mod sync;
#[cfg(test)]
mod sync_tests;

pub use refusal::{CmeCounters, Refusal, RefusalReason};
pub use sequence::Feed;
pub use sync::{InstrumentSync, OrderData, ReplayKind, SyncChanges, SyncCounters, SyncState};

use crate::event::EventFlags;
use crate::md::cme::{MatchEventIndicator, Packet, PacketError, TemplateId};
use crate::normalize::batch::EventSink;
use crate::normalize::registry::{BookDepth, Slot};
use crate::normalize::{MessageStamp, Normalizer, NormalizerConfig};
use crate::time::UtcNanos;
use crate::types::{InstrumentId, VenueId};
use instrument::RecentInstruments;
use sequence::{EntrySeq, FeedSequences, PacketSeq, RptSeqs};
use sync::SyncTable;

/// What to do with entries of an instrument that has no definition (the
/// incremental feed was joined before the definition loop came round, or a
/// capture holds no definitions).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnknownInstrumentPolicy {
    /// Refuse them: counted in [`CmeCounters::unknown_instrument`] and reported.
    Refuse,
    /// Register a placeholder definition (no symbol, no tick, these depths) at
    /// first sight and apply them: for tools reading captures without
    /// definitions. A later real definition replaces it.
    Define(BookDepth),
}

/// How to build a [`CmeNormalizer`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CmeConfig {
    /// The normalizer's sizes (its venue should be [`VenueId::CME`]).
    pub normalizer: NormalizerConfig,
    /// Entries of undefined instruments.
    pub unknown_instruments: UnknownInstrumentPolicy,
}

impl CmeConfig {
    /// A channel of up to `max_instruments` instruments and `max_orders` resting
    /// orders, books up to 10 outright and 10 implied levels deep, batches of
    /// 1024 events, undefined instruments refused.
    pub fn channel(channel: u32, max_instruments: usize, max_orders: usize) -> Self {
        CmeConfig {
            normalizer: NormalizerConfig {
                venue: VenueId::CME,
                channel,
                max_instruments,
                max_depth: BookDepth {
                    outright: 10,
                    implied: 10,
                },
                max_orders,
                batch_capacity: 1024,
            },
            unknown_instruments: UnknownInstrumentPolicy::Refuse,
        }
    }
}

/// A packet as received.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PacketIn {
    /// The feed it came from (its `MsgSeqNum` sequence).
    pub feed: Feed,
    /// When it was received (UTC).
    pub ts_recv_ns: UtcNanos,
    /// Flags for every event of the packet (e.g. `BAD_TS_RECV` when the receive
    /// time is a replay's or a fallback clock's).
    pub recv_flags: EventFlags,
}

/// What became of a packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PacketOutcome {
    /// Its messages were handled (some entries may have been refused).
    Applied {
        /// Messages framed.
        messages: u32,
    },
    /// Its feed had already processed its `MsgSeqNum`: dropped whole.
    Duplicate {
        /// The feed's last processed `MsgSeqNum`.
        last_seq: u32,
    },
}

/// The message being handled: what stamps its events and names its refusals.
#[derive(Clone, Copy, Debug)]
struct Msg {
    seq: u32,
    sending_time_ns: u64,
    ts_recv_ns: UtcNanos,
    recv_flags: EventFlags,
    template: TemplateId,
}

/// The observer of refusals.
type Observer<'o> = dyn FnMut(Refusal) + 'o;

/// One CME channel: the adapter in front of its [`Normalizer`] (see the
/// [module docs](self)).
///
/// Call [`CmeNormalizer::handle_packet`] (or `handle_packet_with` to see
/// refusals) for every packet of the channel's feeds, in arrival order; read
/// events from the sink, books and statistics from [`CmeNormalizer::normalizer`].
#[derive(Debug)]
pub struct CmeNormalizer<S> {
    norm: Normalizer<S>,
    policy: UnknownInstrumentPolicy,
    feeds: FeedSequences,
    rpt: RptSeqs,
    sync: SyncTable,
    counters: CmeCounters,
    /// Recently resolved `SecurityID`s and their slots (see
    /// [`CmeNormalizer::resolve_in_book`]).
    recent: RecentInstruments,
    /// The entries of the 32 / 46 message in progress that its orders may
    /// reference (see [`book::Usable`]).
    usable: book::Usable,
}

impl<S: EventSink> CmeNormalizer<S> {
    /// A channel publishing to `sink`; allocates everything it will use.
    pub fn new(config: CmeConfig, sink: S) -> Self {
        let norm = Normalizer::new(config.normalizer, sink);
        let slots = norm.registry().capacity();
        CmeNormalizer {
            norm,
            policy: config.unknown_instruments,
            feeds: FeedSequences::default(),
            rpt: RptSeqs::new(slots),
            sync: SyncTable::new(slots),
            counters: CmeCounters::default(),
            recent: RecentInstruments::new(),
            usable: book::Usable::new(),
        }
    }

    /// The normalizer: registry, books, statistics, its own counters, the sink.
    #[inline]
    pub fn normalizer(&self) -> &Normalizer<S> {
        &self.norm
    }

    /// The normalizer, mutably (drain a test sink, mark books suspect).
    /// The recently resolved instruments are forgotten: the caller may change
    /// the registry, or replace the normalizer.
    #[inline]
    pub fn normalizer_mut(&mut self) -> &mut Normalizer<S> {
        self.recent.forget();
        &mut self.norm
    }

    /// The adapter's counters.
    #[inline]
    pub fn counters(&self) -> CmeCounters {
        self.counters
    }

    /// Forgets a feed's last `MsgSeqNum` (CME resets sequences weekly; a new
    /// capture file starts another run).
    pub fn reset_feed_sequence(&mut self, feed: Feed) {
        self.feeds.reset(feed);
    }

    /// Ends a venue event the venue left open (the end of a capture): its events
    /// are published, the last with `LAST`, although no `EndOfEvent` came.
    /// Returns whether one was open.
    pub fn end_open_event(&mut self) -> bool {
        let open = self.norm.in_event();
        if open {
            self.norm.end_message(true);
        }
        open
    }

    /// Handles one packet (see [`CmeNormalizer::handle_packet_with`]), ignoring
    /// what is refused beyond counting it.
    ///
    /// # Errors
    /// As [`CmeNormalizer::handle_packet_with`].
    #[inline]
    pub fn handle_packet(
        &mut self,
        rx: PacketIn,
        payload: &[u8],
    ) -> Result<PacketOutcome, PacketError> {
        self.handle_packet_with(rx, payload, &mut |_| {})
    }

    /// Handles one packet: drops it if its feed already processed its
    /// `MsgSeqNum`, else decodes and applies each message; every refused
    /// message or entry is counted and passed to `on_refused`.
    ///
    /// # Errors
    /// [`PacketError::TooShort`] when the payload has no packet header (nothing
    /// was applied; also counted and reported). A message that cannot be framed
    /// ends the packet: it is reported, the messages before it stay applied.
    pub fn handle_packet_with(
        &mut self,
        rx: PacketIn,
        payload: &[u8],
        on_refused: &mut Observer<'_>,
    ) -> Result<PacketOutcome, PacketError> {
        let packet = match Packet::new(payload) {
            Ok(p) => p,
            Err(e) => {
                self.counters.malformed_packets += 1;
                self.counters.refused += 1;
                on_refused(Refusal {
                    sequence: 0,
                    template: TemplateId(0),
                    entry: None,
                    reason: e.into(),
                });
                return Err(e);
            }
        };
        self.counters.packets += 1;
        match self.feeds.accept(rx.feed, packet.seq()) {
            PacketSeq::Duplicate { last } => {
                self.counters.duplicate_packets += 1;
                return Ok(PacketOutcome::Duplicate { last_seq: last });
            }
            PacketSeq::Gap { .. } => self.counters.packet_gaps += 1,
            PacketSeq::Next => {}
        }
        self.sync.packet_seq = packet.seq();
        let mut msg = Msg {
            seq: packet.seq(),
            sending_time_ns: packet.sending_time_ns(),
            ts_recv_ns: rx.ts_recv_ns,
            recv_flags: rx.recv_flags,
            template: TemplateId(0),
        };
        let mut messages = 0;
        for m in packet.messages() {
            match m {
                Ok(m) => {
                    messages += 1;
                    msg.template = m.template_id();
                    self.handle_message(&msg, m, on_refused);
                }
                Err(e) => {
                    self.counters.malformed_packets += 1;
                    msg.template = TemplateId(0);
                    self.refuse(&msg, None, e.into(), on_refused);
                    break;
                }
            }
        }
        Ok(PacketOutcome::Applied { messages })
    }

    /// Starts a message's events: its stamp, with `flags` added.
    #[inline]
    fn begin(&mut self, msg: &Msg, ts_event_ns: Option<u64>, flags: EventFlags) {
        self.norm.begin_message(MessageStamp {
            ts_recv_ns: msg.ts_recv_ns,
            ts_event_ns: UtcNanos::from_nanos(ts_event_ns.unwrap_or(0)),
            ts_in_delta_ns: convert::in_delta_ns(msg.sending_time_ns, ts_event_ns),
            sequence: msg.seq,
            flags: msg.recv_flags | flags,
        });
    }

    /// Ends an incremental message: the venue event ends with `EndOfEvent`.
    #[inline]
    fn end_incremental(&mut self, mei: Option<MatchEventIndicator>) {
        let end = mei.is_some_and(|m| m.contains(MatchEventIndicator::END_OF_EVENT));
        self.norm.end_message(end);
    }

    /// Counts and reports a refusal.
    #[inline(never)]
    fn refuse(
        &mut self,
        msg: &Msg,
        entry: Option<u16>,
        reason: RefusalReason,
        r: &mut Observer<'_>,
    ) {
        self.counters.refused += 1;
        r(Refusal {
            sequence: msg.seq,
            template: msg.template,
            entry,
            reason,
        });
    }

    /// Checks an entry's `RptSeq`; `false`: already applied, skip it.
    ///
    /// The usual case (the levels gate open with nothing to change, and the
    /// next `RptSeq`, none, or the first) is decided here inline; the rest
    /// (gates, stale entries, holes) goes to [`CmeNormalizer::in_sequence_slow`],
    /// which sees the same unchanged state and decides as it always did.
    #[inline(always)]
    fn in_sequence(&mut self, id: InstrumentId, slot: Slot, rpt_seq: Option<u32>) -> bool {
        if self.levels_gate_open(slot) && self.rpt.accept_in_order(slot, rpt_seq.unwrap_or(0)) {
            return true;
        }
        self.in_sequence_slow(id, slot, rpt_seq)
    }

    /// [`CmeNormalizer::in_sequence`] past its fast path.
    #[inline(never)]
    fn in_sequence_slow(&mut self, id: InstrumentId, slot: Slot, rpt_seq: Option<u32>) -> bool {
        if !self.levels_gate(id, slot, rpt_seq) {
            return false;
        }
        let last = self.rpt.last(slot);
        match self.rpt.accept(slot, rpt_seq.unwrap_or(0)) {
            EntrySeq::Apply => true,
            EntrySeq::ApplyAfterGap => {
                self.counters.rpt_seq_gaps += 1;
                // Cannot fail: `slot` holds `id`.
                let _ = self.norm.mark_suspect(id);
                !self.hold_after_hole(slot, last, rpt_seq.unwrap_or(0))
            }
            EntrySeq::Stale => {
                self.counters.stale_entries += 1;
                false
            }
        }
    }
}
