//! Per-instrument synchronization gates, for a recovery layer in front of the
//! adapter ([`CmeChannel`](crate::normalize::cme_channel::CmeChannel)).
//!
//! Off by default: a [`CmeNormalizer`] used alone applies every entry (tools,
//! captures). Once [`CmeNormalizer::enable_sync`] is called, each instrument
//! has an [`InstrumentSync`]: where its market-by-price data (levels, trades,
//! statistics: the entries that carry `RptSeq`) and its orders (no `RptSeq`)
//! stand, and the adapter gates entries by it:
//!
//! | state | entries | leaves it |
//! |---|---|---|
//! | `Live` | applied (a `RptSeq` hole makes it `Held`) | a gap |
//! | `Unverified` (levels) | the next `RptSeq` decides: last + 1 proves the gap did not touch it (`Live`, books marked good), more makes it `Held` | that entry, a snapshot |
//! | `Held` | skipped (counted): the recovery layer buffers them | a snapshot whose `LastMsgSeqNumProcessed` is at or after the floor ([`CmeNormalizer::set_snapshot_floor`]) and not past the ceiling ([`CmeNormalizer::set_snapshot_ceiling`]) |
//! | `Chunks` (orders) | skipped | the last chunk of a 53 (or a missing chunk: `Held`) |
//! | `Pending` | skipped | the recovery layer replays what it buffered after the snapshot ([`CmeNormalizer::replay_packet`]) |
//! | `Ahead` | skipped up to the snapshot's `LastMsgSeqNumProcessed` | a packet past it |
//!
//! A snapshot is applied only to an instrument that needs one, outside an
//! incremental venue event, and its events carry `MAYBE_BAD_BOOK` (the book
//! is rebuilt as of the snapshot, not yet as of now) until the recovery layer
//! says the instrument is recovered. `ChannelReset4` makes every instrument
//! `Live` (its books are known: empty). An instrument added while the layer
//! holds new instruments ([`CmeNormalizer::set_new_instruments_held`]) starts
//! `Held`.

mod gates;

use super::{CmeNormalizer, Msg, PacketIn};
use crate::md::cme::{Packet, TemplateId};
use crate::normalize::batch::EventSink;
use crate::normalize::registry::Slot;
use crate::types::InstrumentId;

/// Where one kind of an instrument's data stands (see the [module docs](self)).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SyncState {
    /// In sequence: applied.
    #[default]
    Live,
    /// After a packet gap, not yet proven (levels only: orders carry no
    /// `RptSeq`).
    Unverified,
    /// Needs a snapshot; entries skipped.
    Held,
    /// A 53 snapshot is being received (orders only).
    Chunks {
        /// The chunk expected next.
        next: u32,
        /// `NoChunks`.
        of: u32,
        /// Its `LastMsgSeqNumProcessed`.
        after_seq: u32,
    },
    /// A snapshot as of `after_seq` was applied; buffered packets after it
    /// are to be replayed.
    Pending {
        /// The snapshot's `LastMsgSeqNumProcessed`.
        after_seq: u32,
    },
    /// A snapshot newer than the incremental feed was applied: packets up to
    /// `through_seq` are already in it.
    Ahead {
        /// The snapshot's `LastMsgSeqNumProcessed`.
        through_seq: u32,
    },
}

impl SyncState {
    /// Whether entries of this kind are applied.
    #[inline]
    pub fn is_live(self) -> bool {
        self == SyncState::Live
    }
}

/// An instrument's two [`SyncState`]s.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InstrumentSync {
    /// Levels, trades, statistics (entries with `RptSeq`; 52 snapshots).
    pub levels: SyncState,
    /// Orders (47, the order groups of 32/46; 53 snapshots).
    pub orders: SyncState,
}

impl InstrumentSync {
    /// Both live.
    #[inline]
    pub fn is_live(self) -> bool {
        self.levels.is_live() && self.orders.is_live()
    }
}

/// Whether a channel carries order data (47, the order groups of 32/46, 53):
/// after a gap, orders are held until a 53 only where it does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OrderData {
    /// Decided by what arrives: from the first order entry or 53 on. A
    /// channel that showed none before a gap or a late join is treated as
    /// carrying none at that gap.
    #[default]
    Detect,
    /// It does (an MBO channel).
    Present,
    /// It does not (order entries are still applied, but never waited for).
    Absent,
}

/// Which kind of an instrument's data a replay re-applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplayKind {
    /// Entries with `RptSeq` (already applied ones are skipped by it).
    Levels,
    /// Order entries.
    Orders,
}

/// Counts of the gates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyncCounters {
    /// Instruments proven by their next `RptSeq` after a gap.
    pub proven: u64,
    /// Entries skipped because their instrument was not live.
    pub held_entries: u64,
    /// Snapshot messages applied (each 53 chunk counts).
    pub snapshots_applied: u64,
    /// Snapshot messages not applied (not needed, too old, out of order, or
    /// an incremental event open).
    pub snapshots_ignored: u64,
    /// 53 snapshots abandoned because a chunk was missing.
    pub chunk_breaks: u64,
    /// Live instruments whose `RptSeq` jumped (now held).
    pub rpt_seq_holes: u64,
}

/// What changed since the recovery layer last asked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyncChanges {
    /// Some instrument changed state.
    pub changed: bool,
    /// A live instrument became held without a packet gap (a `RptSeq` hole,
    /// an instrument added while held): recovery must start.
    pub started: bool,
    /// A `ChannelReset4` made every instrument live.
    pub reset: bool,
    /// [`CmeCounters::unknown_instrument`](super::CmeCounters::unknown_instrument)
    /// at that reset (entries refused after it, in the same packet, count
    /// against instruments defined later).
    pub unknown_at_reset: u64,
}

/// The gates' state.
#[derive(Clone, Debug, Default)]
pub(super) struct SyncTable {
    pub(super) enabled: bool,
    slots: Box<[InstrumentSync]>,
    pub(super) replay: Option<(Slot, ReplayKind)>,
    /// A `RptSeq` hole was met during the replay.
    replay_hole: bool,
    /// The `MsgSeqNum` of the packet being handled.
    pub(super) packet_seq: u32,
    floor: Option<u32>,
    ceiling: u32,
    has_orders: bool,
    orders: OrderData,
    new_held: bool,
    changes: SyncChanges,
    /// `RptSeq` ranges found missing, not yet taken (capacity: every slot).
    holes: Vec<(Slot, u32, u32)>,
    pub(super) counters: SyncCounters,
}

impl SyncTable {
    pub(super) fn new(slots: usize) -> Self {
        SyncTable {
            slots: vec![InstrumentSync::default(); slots].into_boxed_slice(),
            holes: Vec::with_capacity(slots),
            ..SyncTable::default()
        }
    }

    #[inline]
    fn at(&mut self, slot: Slot) -> Option<&mut InstrumentSync> {
        self.slots.get_mut(slot.index())
    }

    /// Notes `last + 1 .. rpt_seq - 1` missing for `slot` (room for one per
    /// slot between two [`CmeNormalizer::take_rpt_seq_gap`] drains: a slot
    /// becomes held once until it is live again).
    fn note_hole(&mut self, slot: Slot, last: u32, rpt_seq: u32) {
        if self.holes.len() < self.holes.capacity() {
            self.holes
                .push((slot, last.wrapping_add(1), rpt_seq.wrapping_sub(1)));
        }
    }
}

/// Templates a replay re-applies: incremental book, trade and statistic
/// messages. Definitions, resets, status and snapshots were applied live.
fn replayable(t: TemplateId) -> bool {
    matches!(t.0, 32 | 37 | 42 | 46 | 47 | 48 | 49 | 50 | 51 | 35)
}

impl<S: EventSink> CmeNormalizer<S> {
    /// Turns the gates on (see the [module docs](self)); every instrument
    /// starts live.
    pub fn enable_sync(&mut self, orders: OrderData) {
        self.sync.enabled = true;
        self.sync.orders = orders;
        self.sync.has_orders = orders == OrderData::Present;
    }

    /// Notes that order data arrived (under [`OrderData::Detect`]).
    #[inline]
    pub(super) fn saw_orders(&mut self) {
        self.sync.has_orders |= self.sync.orders == OrderData::Detect;
    }

    /// An instrument's state (`None` when not defined).
    pub fn sync(&self, id: InstrumentId) -> Option<InstrumentSync> {
        let slot = self.norm.registry().slot(id)?;
        self.sync.slots.get(slot.index()).copied()
    }

    /// The state of the instrument in `slot` (live for an empty slot).
    pub fn sync_at(&self, slot: Slot) -> InstrumentSync {
        self.sync
            .slots
            .get(slot.index())
            .copied()
            .unwrap_or_default()
    }

    /// Sets the state of the instrument in `slot`.
    pub fn set_sync_at(&mut self, slot: Slot, state: InstrumentSync) {
        if let Some(s) = self.sync.at(slot) {
            *s = state;
        }
    }

    /// The gates' counters.
    pub fn sync_counters(&self) -> SyncCounters {
        self.sync.counters
    }

    /// An instrument's `RptSeq` range found missing (first, last), oldest
    /// first: the instrument was held because of it.
    pub fn take_rpt_seq_gap(&mut self) -> Option<(InstrumentId, u32, u32)> {
        while !self.sync.holes.is_empty() {
            let (slot, first, last) = self.sync.holes.remove(0);
            if let Some(def) = self.norm.registry().at(slot) {
                return Some((def.id, first, last));
            }
        }
        None
    }

    /// What changed since the last call (and forgets it).
    pub fn take_sync_changes(&mut self) -> SyncChanges {
        std::mem::take(&mut self.sync.changes)
    }

    /// The oldest `LastMsgSeqNumProcessed` a snapshot may have to be applied
    /// (`None`: apply none): the recovery layer holds every incremental
    /// packet after it.
    pub fn set_snapshot_floor(&mut self, floor: Option<u32>) {
        self.sync.floor = floor;
    }

    /// The newest `LastMsgSeqNumProcessed` a snapshot may have to be applied:
    /// one further ahead of the incremental feed is taken for a straggler of
    /// another sequence epoch (a loop from before the weekly reset).
    pub fn set_snapshot_ceiling(&mut self, ceiling: u32) {
        self.sync.ceiling = ceiling;
    }

    /// Whether instruments added from now on start held.
    pub fn set_new_instruments_held(&mut self, held: bool) {
        self.sync.new_held = held;
    }

    /// Whether an order entry or 53 was ever seen: after a gap the orders of
    /// every instrument are then held too.
    pub fn has_orders(&self) -> bool {
        self.sync.has_orders
    }

    /// A packet gap (or a join): every defined instrument's levels become
    /// `levels` (`Unverified` or `Held`; already held ones stay held, pending
    /// ones are held again), its orders held if the channel carries orders,
    /// its books suspect. Returns how many instruments are defined.
    pub fn hold_all(&mut self, levels: SyncState) -> u32 {
        let mut count = 0;
        for index in 0..self.sync.slots.len() {
            let slot = Slot::from_index(index);
            let Some(id) = self.norm.registry().at(slot).map(|d| d.id) else {
                continue;
            };
            count += 1;
            let has_orders = self.sync.has_orders;
            let s = &mut self.sync.slots[index];
            s.levels = match (s.levels, levels) {
                (SyncState::Live | SyncState::Unverified, SyncState::Unverified) => {
                    SyncState::Unverified
                }
                _ => SyncState::Held,
            };
            let orders = has_orders || !s.orders.is_live();
            if orders {
                s.orders = SyncState::Held;
            }
            // Cannot fail: `slot` holds `id`.
            let _ = self.norm.mark_levels_suspect(id);
            if orders {
                let _ = self.norm.mark_orders(id, true);
            }
        }
        self.sync.changes.changed = true;
        count
    }

    /// Re-applies one buffered incremental packet to one instrument only:
    /// its entries of `kind` (others, and definitions, resets, status and
    /// snapshots, are skipped). The packet's own `MsgSeqNum` check is
    /// bypassed. Returns `false` when the instrument's `RptSeq` jumped in it
    /// (what was buffered does not join the snapshot: hold it again).
    pub fn replay_packet(
        &mut self,
        rx: PacketIn,
        payload: &[u8],
        slot: Slot,
        kind: ReplayKind,
    ) -> bool {
        let Ok(packet) = Packet::new(payload) else {
            return true;
        };
        self.sync.replay = Some((slot, kind));
        self.sync.replay_hole = false;
        self.sync.packet_seq = packet.seq();
        let mut msg = Msg {
            seq: packet.seq(),
            sending_time_ns: packet.sending_time_ns(),
            ts_recv_ns: rx.ts_recv_ns,
            recv_flags: rx.recv_flags,
            template: TemplateId(0),
        };
        for m in packet.messages() {
            let Ok(m) = m else { break };
            if !replayable(m.template_id()) {
                continue;
            }
            msg.template = m.template_id();
            self.handle_message(&msg, m, &mut |_| {});
        }
        self.sync.replay = None;
        !self.sync.replay_hole
    }
}
