//! Gap recovery: which instruments are unverified, the buffer of incremental
//! packets, replays after snapshots, `GAP` and `RECOVERED` events.
//!
//! An episode starts with a gap (declared by the arbiter, or the jump a late
//! join starts with), with a `RptSeq` hole of a live instrument, or with an
//! instrument defined while held. From then on every incremental packet is
//! also copied into the buffer. Snapshots whose `LastMsgSeqNumProcessed` is
//! at or after the floor (the last lost packet, or the last one dropped from
//! a full buffer) are applied to the instruments that need one; then the
//! buffered packets after it are replayed to that instrument alone. When
//! every defined instrument is live again the episode ends: one `RECOVERED`
//! event per instrument as it recovers, one for the channel at the end, the
//! buffer emptied.

use crate::event::{RecoveredBody, RecoveryMethod};
use crate::normalize::batch::EventSink;
use crate::normalize::channel::SequenceBody;
use crate::normalize::cme::{Feed, PacketIn, ReplayKind, SyncState};
use crate::normalize::registry::Slot;
use crate::normalize::MessageStamp;
use crate::types::InstrumentId;

use super::buffer::{Buffered, PacketBuffer};
use super::pipeline::Pipeline;

/// The recovery layer's state.
#[derive(Debug)]
pub(super) struct Recovery {
    /// An episode is under way: packets are buffered.
    pub(super) active: bool,
    pub(super) buffer: PacketBuffer,
    /// The oldest usable `LastMsgSeqNumProcessed`.
    floor: u32,
    /// The episode's lost range (for the `RECOVERED` events).
    first_lost: u32,
    last_lost: u32,
    /// A snapshot was used in the episode.
    used_snapshot: bool,
    /// The first incremental packet was delivered.
    pub(super) joined: bool,
    /// The last incremental `MsgSeqNum` handed to the adapter.
    pub(super) delivered: Option<u32>,
    /// Per slot: not yet recovered in this episode (and whether a snapshot
    /// rebuilt it).
    unsettled: Box<[Option<RecoveryMethod>]>,
    /// How far ahead of the incremental feed a snapshot may be.
    pub(super) ahead_limit: u32,
    /// The adapter's unknown-instrument count at the last `ChannelReset4`:
    /// once entries of undefined instruments were refused, an instrument
    /// defined later may have missed updates, so it starts held.
    unknown_baseline: u64,
}

impl Recovery {
    pub(super) fn new(
        slots: usize,
        buffer_packets: usize,
        slot_len: usize,
        ahead_limit: u32,
    ) -> Self {
        Recovery {
            ahead_limit,
            active: false,
            buffer: PacketBuffer::new(buffer_packets, slot_len),
            floor: 0,
            first_lost: 0,
            last_lost: 0,
            used_snapshot: false,
            joined: false,
            delivered: None,
            unsettled: vec![None; slots].into_boxed_slice(),
            unknown_baseline: 0,
        }
    }
}

impl<S: EventSink> Pipeline<S> {
    /// Copies a delivered packet into the buffer while an episode is under
    /// way.
    pub(super) fn buffer(&mut self, seq: u32, ts: crate::time::UtcNanos, payload: &[u8]) {
        if !self.rec.active {
            return;
        }
        self.recovery.buffered_packets += 1;
        if let Buffered::Evicted { seq: evicted } = self.rec.buffer.push(seq, ts, payload) {
            self.recovery.buffer_overflows += 1;
            self.set_floor(self.rec.floor.max(evicted));
        }
    }

    fn set_floor(&mut self, floor: u32) {
        self.rec.floor = floor;
        self.cme.set_snapshot_floor(Some(floor));
        self.set_ceiling();
    }

    /// Snapshots up to `dup_horizon` ahead of the last incremental packet are
    /// believed (an incremental line may lag the snapshot loop); further
    /// ahead they are taken for a loop of the previous sequence epoch, by the
    /// arbiter's own rule for telling epochs apart.
    pub(super) fn set_ceiling(&mut self) {
        let base = self.rec.delivered.unwrap_or(self.rec.floor);
        self.cme
            .set_snapshot_ceiling(base.saturating_add(self.rec.ahead_limit));
    }

    /// Starts an episode (or, in one, forgets what cannot be replayed across
    /// a gap): the floor is `floor`, the buffer empty.
    fn begin_episode(&mut self, floor: u32, first: u32, last: u32) {
        if !self.rec.active {
            self.rec.active = true;
            self.rec.first_lost = first;
            self.rec.used_snapshot = false;
        }
        self.rec.last_lost = last;
        self.rec.buffer.clear();
        self.set_floor(floor);
        self.cme.set_new_instruments_held(true);
    }

    /// `first..=last` are lost: every defined instrument becomes `levels`
    /// (`Unverified` after a gap, `Held` after a join or a sequence reset);
    /// a `GAP` event says so.
    pub(super) fn gap_with(&mut self, first: u32, last: u32, levels: SyncState) {
        self.recovery.gaps += 1;
        self.recovery.lost_packets += u64::from(last.saturating_sub(first)) + 1;
        // The packets that would have ended an open venue event are lost.
        self.cme.end_open_event();
        let suspect = self.cme.hold_all(levels);
        self.begin_episode(last, first, last);
        let channel = self.cme.normalizer().channel();
        let stamp = self.stamp(first);
        self.cme.normalizer_mut().handle_sequence_event(
            stamp,
            InstrumentId::NONE,
            SequenceBody::Gap(crate::event::GapBody {
                first_seq: u64::from(first),
                last_seq: u64::from(last),
                channel,
                instruments_suspect: suspect,
            }),
        );
        self.settle();
    }

    /// An instrument's `RptSeq` range `first..=last` is missing: a `GAP`
    /// event with the instrument in its header and that range.
    fn instrument_gap(&mut self, id: InstrumentId, first: u32, last: u32) {
        self.recovery.instrument_gaps += 1;
        let channel = self.cme.normalizer().channel();
        let stamp = self.stamp(self.rec.delivered.unwrap_or(0));
        self.cme.normalizer_mut().handle_sequence_event(
            stamp,
            id,
            SequenceBody::Gap(crate::event::GapBody {
                first_seq: u64::from(first),
                last_seq: u64::from(last),
                channel,
                instruments_suspect: 1,
            }),
        );
    }

    /// The incremental sequence started over at `first` (the weekly reset).
    pub(super) fn sequence_reset(&mut self, first: u32) {
        self.recovery.sequence_resets += 1;
        self.cme.reset_feed_sequence(Feed::Incremental);
        self.rec.delivered = None;
        if first > 1 {
            self.gap_with(1, first - 1, SyncState::Held);
        } else if self.rec.active {
            // What was buffered belongs to the old sequence: start over.
            self.cme.end_open_event();
            self.cme.hold_all(SyncState::Held);
            self.begin_episode(0, self.rec.first_lost, self.rec.last_lost);
        }
    }

    /// After the adapter handled a packet (`current`: the incremental packet
    /// it was, to buffer if it started an episode).
    pub(super) fn after_packet(&mut self, current: Option<(u32, crate::time::UtcNanos, &[u8])>) {
        let changes = self.cme.take_sync_changes();
        if changes.reset {
            // ChannelReset4: every book is known (empty); nothing to replay.
            self.rec.unknown_baseline = changes.unknown_at_reset;
            if self.rec.active {
                self.rec.unsettled.fill(None);
                self.complete(RecoveryMethod::Snapshot);
            }
        }
        if changes.started && !self.rec.active {
            let delivered = self.rec.delivered.unwrap_or(0);
            match current {
                Some((seq, ts, payload)) => {
                    // No packet is missing: the range names the packet in
                    // which the hole showed.
                    self.begin_episode(seq.saturating_sub(1), seq, seq);
                    self.buffer(seq, ts, payload);
                }
                None => self.begin_episode(delivered, delivered, delivered),
            }
        }
        while let Some((id, first, last)) = self.cme.take_rpt_seq_gap() {
            self.instrument_gap(id, first, last);
        }
        if changes.changed || self.rec.active {
            self.settle();
        }
        let unknown = self.cme.counters().unknown_instrument;
        self.cme
            .set_new_instruments_held(self.rec.active || unknown > self.rec.unknown_baseline);
    }

    /// Replays what snapshots made pending, releases instruments that are
    /// live again (a `RECOVERED` event each), ends the episode when none is
    /// left. Only between venue events.
    pub(super) fn settle(&mut self) {
        if !self.rec.active || self.cme.normalizer().in_event() {
            return;
        }
        let delivered = self.rec.delivered;
        let mut all_live = true;
        let mut defined = 0usize;
        for index in 0..self.rec.unsettled.len() {
            let slot = Slot::from_index(index);
            let Some(id) = self.cme.normalizer().registry().at(slot).map(|d| d.id) else {
                continue;
            };
            defined += 1;
            let mut st = self.cme.sync_at(slot);
            if st.is_live() && self.rec.unsettled[index].is_none() {
                continue;
            }
            if !st.is_live() && self.rec.unsettled[index].is_none() {
                self.rec.unsettled[index] = Some(RecoveryMethod::SequenceProven);
            }
            st.levels = self.advance(slot, st.levels, ReplayKind::Levels, delivered);
            st.orders = self.advance(slot, st.orders, ReplayKind::Orders, delivered);
            self.cme.set_sync_at(slot, st);
            if st.levels.is_live() {
                let _ = self.cme.normalizer_mut().mark_levels_good(id);
            }
            if st.orders.is_live() {
                let _ = self.cme.normalizer_mut().mark_orders(id, false);
            }
            if st.is_live() {
                let method = self.rec.unsettled[index]
                    .take()
                    .unwrap_or(RecoveryMethod::SequenceProven);
                if method == RecoveryMethod::SequenceProven {
                    self.recovery.proven_by_rpt_seq += 1;
                } else {
                    self.recovery.recovered_by_snapshot += 1;
                }
                self.recovered(id, method);
            } else {
                all_live = false;
            }
        }
        if all_live && defined > 0 {
            let method = if self.rec.used_snapshot {
                RecoveryMethod::Snapshot
            } else {
                RecoveryMethod::SequenceProven
            };
            self.complete(method);
        }
    }

    /// One kind of an instrument: a pending snapshot replayed, an ahead one
    /// caught up.
    fn advance(
        &mut self,
        slot: Slot,
        state: SyncState,
        kind: ReplayKind,
        delivered: Option<u32>,
    ) -> SyncState {
        let delivered = delivered.unwrap_or(0);
        match state {
            SyncState::Pending { after_seq } => {
                self.rec.used_snapshot = true;
                self.rec.unsettled[slot.index()] = Some(RecoveryMethod::Snapshot);
                if !self.replay(slot, kind, after_seq) {
                    return SyncState::Held;
                }
                if after_seq > delivered {
                    SyncState::Ahead {
                        through_seq: after_seq,
                    }
                } else {
                    SyncState::Live
                }
            }
            SyncState::Ahead { through_seq } if through_seq <= delivered => SyncState::Live,
            s => s,
        }
    }

    /// Re-applies the buffered packets after `after_seq` to one instrument;
    /// `false` if its `RptSeq` jumped in them.
    fn replay(&mut self, slot: Slot, kind: ReplayKind, after_seq: u32) -> bool {
        let mut ok = true;
        for i in 0..self.rec.buffer.len() {
            let Some(p) = self.rec.buffer.get(i) else {
                break;
            };
            if p.seq <= after_seq {
                continue;
            }
            self.recovery.replayed_packets += 1;
            let rx = PacketIn {
                feed: Feed::Incremental,
                ts_recv_ns: p.ts_recv,
                recv_flags: self.recv_flags,
            };
            ok &= self.cme.replay_packet(rx, p.payload, slot, kind);
        }
        ok
    }

    /// Ends the episode: a channel `RECOVERED` event, the buffer emptied.
    fn complete(&mut self, method: RecoveryMethod) {
        self.recovery.recoveries += 1;
        self.rec.active = false;
        self.rec.buffer.clear();
        self.cme.set_snapshot_floor(None);
        self.cme.set_new_instruments_held(false);
        self.recovered(InstrumentId::NONE, method);
    }

    fn recovered(&mut self, instrument: InstrumentId, method: RecoveryMethod) {
        let channel = self.cme.normalizer().channel();
        let stamp = self.stamp(self.rec.delivered.unwrap_or(0));
        let body = RecoveredBody {
            first_seq: u64::from(self.rec.first_lost),
            last_seq: u64::from(self.rec.last_lost),
            channel,
            method,
        };
        self.cme.normalizer_mut().handle_sequence_event(
            stamp,
            instrument,
            SequenceBody::Recovered(body),
        );
    }

    fn stamp(&self, sequence: u32) -> MessageStamp {
        MessageStamp {
            ts_recv_ns: self.last_ts_recv,
            sequence,
            flags: self.recv_flags,
            ..MessageStamp::default()
        }
    }
}
