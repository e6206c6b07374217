//! The gates the adapter consults: per entry (levels with `RptSeq`,
//! orders), per snapshot (52, 53), and when the registry or the channel
//! changes (an instrument added, a channel reset). The states they move
//! between are in the [parent module](super); the recovery layer's side of
//! them (enable, hold, replay) is there too.

use super::{InstrumentSync, ReplayKind, SyncState};
use crate::normalize::batch::EventSink;
use crate::normalize::cme::CmeNormalizer;
use crate::normalize::registry::Slot;
use crate::types::InstrumentId;

impl<S: EventSink> CmeNormalizer<S> {
    /// Whether [`CmeNormalizer::levels_gate`] would let any entry of `slot`
    /// through without changing anything: the gates are off, or no replay is
    /// running and the instrument's levels are live.
    #[inline(always)]
    pub(in crate::normalize::cme) fn levels_gate_open(&self, slot: Slot) -> bool {
        !self.sync.enabled
            || (self.sync.replay.is_none()
                && self
                    .sync
                    .slots
                    .get(slot.index())
                    .is_none_or(|s| s.levels == SyncState::Live))
    }

    /// The levels gate, before the `RptSeq` check: `false` skips the entry.
    #[inline]
    pub(in crate::normalize::cme) fn levels_gate(
        &mut self,
        id: InstrumentId,
        slot: Slot,
        rpt_seq: Option<u32>,
    ) -> bool {
        if !self.sync.enabled {
            return true;
        }
        if let Some((s, kind)) = self.sync.replay {
            return s == slot && kind == ReplayKind::Levels;
        }
        let last = self.rpt.last(slot);
        let seq = self.sync.packet_seq;
        let Some(st) = self.sync.at(slot) else {
            return true;
        };
        match st.levels {
            SyncState::Live => true,
            SyncState::Unverified => {
                let Some(rpt) = rpt_seq.filter(|&r| r != 0) else {
                    return true;
                };
                if rpt == last.wrapping_add(1) {
                    st.levels = SyncState::Live;
                    self.sync.counters.proven += 1;
                    self.sync.changes.changed = true;
                    let _ = self.norm.mark_levels_good(id);
                    true
                } else if rpt <= last {
                    true
                } else {
                    st.levels = SyncState::Held;
                    self.sync.changes.changed = true;
                    self.sync.counters.held_entries += 1;
                    self.sync.note_hole(slot, last, rpt);
                    false
                }
            }
            SyncState::Ahead { through_seq } if seq > through_seq => {
                st.levels = SyncState::Live;
                self.sync.changes.changed = true;
                true
            }
            _ => {
                self.sync.counters.held_entries += 1;
                false
            }
        }
    }

    /// A live instrument's `RptSeq` jumped: with the gates on, it is held
    /// (and its orders, if the channel carries orders) until a snapshot.
    #[inline(never)]
    pub(in crate::normalize::cme) fn hold_after_hole(
        &mut self,
        slot: Slot,
        last: u32,
        rpt_seq: u32,
    ) -> bool {
        if !self.sync.enabled {
            return false;
        }
        if self.sync.replay.is_some() {
            self.sync.replay_hole = true;
            return false;
        }
        let has_orders = self.sync.has_orders;
        let Some(st) = self.sync.at(slot) else {
            return false;
        };
        st.levels = SyncState::Held;
        if has_orders {
            st.orders = SyncState::Held;
        }
        self.sync.counters.rpt_seq_holes += 1;
        self.sync.counters.held_entries += 1;
        self.sync.changes.changed = true;
        self.sync.changes.started = true;
        self.sync.note_hole(slot, last, rpt_seq);
        true
    }

    /// The orders gate: `false` skips the order entry.
    #[inline]
    pub(in crate::normalize::cme) fn orders_gate(&mut self, slot: Slot) -> bool {
        if !self.sync.enabled {
            return true;
        }
        if let Some((s, kind)) = self.sync.replay {
            return s == slot && kind == ReplayKind::Orders;
        }
        let seq = self.sync.packet_seq;
        let Some(st) = self.sync.at(slot) else {
            return true;
        };
        match st.orders {
            SyncState::Live => true,
            SyncState::Ahead { through_seq } if seq > through_seq => {
                st.orders = SyncState::Live;
                self.sync.changes.changed = true;
                true
            }
            _ => {
                self.sync.counters.held_entries += 1;
                false
            }
        }
    }

    /// Whether the orders of `slot` are being replayed (their level entries
    /// are skipped, but the order groups that reference them are not).
    #[inline]
    pub(in crate::normalize::cme) fn replaying_orders(&self, slot: Slot) -> bool {
        self.sync.replay == Some((slot, ReplayKind::Orders))
    }

    /// Whether a snapshot as of `last_seq` lies within the floor and ceiling.
    #[inline]
    fn snapshot_fits(&self, last_seq: u32) -> bool {
        self.sync
            .floor
            .is_some_and(|f| last_seq >= f && last_seq <= self.sync.ceiling)
    }

    /// Whether to apply a 52 for `slot` as of `last_seq`; marks it pending.
    pub(in crate::normalize::cme) fn snapshot_levels_gate(
        &mut self,
        slot: Slot,
        last_seq: u32,
    ) -> bool {
        if !self.sync.enabled {
            return true;
        }
        let in_event = self.norm.in_event();
        let fits = self.snapshot_fits(last_seq) && !in_event;
        let Some(st) = self.sync.at(slot) else {
            return true;
        };
        if fits && matches!(st.levels, SyncState::Unverified | SyncState::Held) {
            st.levels = SyncState::Pending {
                after_seq: last_seq,
            };
            self.sync.changes.changed = true;
            self.sync.counters.snapshots_applied += 1;
            true
        } else {
            self.sync.counters.snapshots_ignored += 1;
            false
        }
    }

    /// Whether to apply chunk `chunk` of `of` of a 53 for `slot` as of
    /// `last_seq`; tracks the chunks (a missing one: held again, and the
    /// instrument's orders suspect).
    pub(in crate::normalize::cme) fn snapshot_orders_gate(
        &mut self,
        id: InstrumentId,
        slot: Slot,
        chunk: u32,
        of: u32,
        last_seq: u32,
    ) -> bool {
        if !self.sync.enabled {
            return true;
        }
        let in_event = self.norm.in_event();
        let fits = self.snapshot_fits(last_seq) && !in_event;
        let Some(st) = self.sync.at(slot) else {
            return true;
        };
        let of = of.max(1);
        let next = |c: u32| {
            if c >= of {
                SyncState::Pending {
                    after_seq: last_seq,
                }
            } else {
                SyncState::Chunks {
                    next: c + 1,
                    of,
                    after_seq: last_seq,
                }
            }
        };
        let apply = match st.orders {
            SyncState::Chunks {
                next: n,
                of: o,
                after_seq,
            } if chunk == n && of == o && last_seq == after_seq && !in_event => true,
            SyncState::Chunks { .. } => {
                // A chunk is missing: what was rebuilt is incomplete.
                st.orders = SyncState::Held;
                self.sync.counters.chunk_breaks += 1;
                let _ = self.norm.mark_orders(id, true);
                fits && chunk <= 1
            }
            SyncState::Held => fits && chunk <= 1,
            _ => false,
        };
        let Some(st) = self.sync.at(slot) else {
            return false;
        };
        if apply {
            st.orders = next(chunk.max(1));
            self.sync.changes.changed = true;
            self.sync.counters.snapshots_applied += 1;
        } else {
            self.sync.counters.snapshots_ignored += 1;
        }
        apply
    }

    /// A new instrument in `slot`: held when new instruments are.
    pub(in crate::normalize::cme) fn sync_added(&mut self, slot: Slot) {
        if !self.sync.enabled {
            return;
        }
        let held = self.sync.new_held;
        let state = if held {
            self.sync.changes.started = true;
            self.sync.changes.changed = true;
            InstrumentSync {
                levels: SyncState::Held,
                orders: if self.sync.has_orders {
                    SyncState::Held
                } else {
                    SyncState::Live
                },
            }
        } else {
            InstrumentSync::default()
        };
        if let Some(st) = self.sync.at(slot) {
            *st = state;
        }
        if held {
            if let Some(id) = self.norm.registry().at(slot).map(|d| d.id) {
                let _ = self.norm.mark_suspect(id);
            }
        }
    }

    /// `ChannelReset4`: every instrument live.
    pub(in crate::normalize::cme) fn sync_reset(&mut self) {
        if !self.sync.enabled || self.sync.replay.is_some() {
            return;
        }
        self.sync.slots.fill(InstrumentSync::default());
        self.sync.changes.changed = true;
        self.sync.changes.reset = true;
        self.sync.changes.unknown_at_reset = self.counters.unknown_instrument;
    }
}
