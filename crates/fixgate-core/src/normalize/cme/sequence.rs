//! Sequence numbers: the packet `MsgSeqNum` of each feed (duplicates dropped,
//! jumps counted) and each instrument's `RptSeq` (stale entries skipped, holes
//! mark the instrument's books suspect).
//!
//! Not here: waiting for the other line, buffering, snapshot recovery; a gap is
//! only counted and flagged. The recovery layer
//! ([`CmeChannel`](crate::normalize::cme_channel::CmeChannel)) does those, and
//! gates entries per instrument through [`sync`](super::sync).

use crate::md::cme::{Packet, TemplateId};
use crate::normalize::registry::Slot;

/// Which of a channel's feeds a packet came from. Each has its own `MsgSeqNum`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Feed {
    /// Incremental refresh (A or B line).
    Incremental,
    /// Instrument definitions (a loop).
    Definition,
    /// Market recovery snapshots (a loop).
    Recovery,
}

impl Feed {
    const COUNT: usize = 3;

    fn index(self) -> usize {
        match self {
            Feed::Incremental => 0,
            Feed::Definition => 1,
            Feed::Recovery => 2,
        }
    }

    /// The feed a packet most likely came from, by its content: definitions
    /// (27, 29, 54–56) only come on the definition feed, snapshots (52, 53) only
    /// on the recovery feed, everything else on the incremental feed. For tools
    /// that read captures without knowing which address is which feed; a feed
    /// handler knows its sockets and says so instead.
    pub fn of_packet(packet: &Packet<'_>) -> Feed {
        for m in packet.messages() {
            let Ok(m) = m else { break };
            match m.template_id() {
                TemplateId::MD_INSTRUMENT_DEFINITION_FUTURE_27
                | TemplateId::MD_INSTRUMENT_DEFINITION_SPREAD_29
                | TemplateId::MD_INSTRUMENT_DEFINITION_FUTURE_54
                | TemplateId::MD_INSTRUMENT_DEFINITION_OPTION_55
                | TemplateId::MD_INSTRUMENT_DEFINITION_SPREAD_56 => return Feed::Definition,
                TemplateId::SNAPSHOT_FULL_REFRESH_52
                | TemplateId::SNAPSHOT_FULL_REFRESH_ORDER_BOOK_53 => return Feed::Recovery,
                _ => {}
            }
        }
        Feed::Incremental
    }
}

/// What a packet's `MsgSeqNum` says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum PacketSeq {
    /// The next one (or the first seen on the feed).
    Next,
    /// After a jump of `missing` packets.
    Gap {
        /// Packets skipped.
        missing: u32,
    },
    /// Already processed (at or below the last one).
    Duplicate {
        /// The feed's last processed `MsgSeqNum`.
        last: u32,
    },
}

/// The last `MsgSeqNum` processed on each feed.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct FeedSequences {
    last: [Option<u32>; Feed::COUNT],
}

impl FeedSequences {
    /// Classifies `seq` and, unless it is a duplicate, takes it as the last.
    #[inline]
    pub(super) fn accept(&mut self, feed: Feed, seq: u32) -> PacketSeq {
        let last = &mut self.last[feed.index()];
        let verdict = match *last {
            None => PacketSeq::Next,
            Some(l) if seq <= l => return PacketSeq::Duplicate { last: l },
            Some(l) if seq == l.wrapping_add(1) => PacketSeq::Next,
            Some(l) => PacketSeq::Gap {
                missing: seq - l - 1,
            },
        };
        *last = Some(seq);
        verdict
    }

    /// Forgets a feed's sequence (its weekly reset, or a new session).
    pub(super) fn reset(&mut self, feed: Feed) {
        self.last[feed.index()] = None;
    }
}

/// What an entry's `RptSeq` says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum EntrySeq {
    /// Apply it.
    Apply,
    /// Apply it; entries before it are missing.
    ApplyAfterGap,
    /// Already applied: skip it.
    Stale,
}

/// The last `RptSeq` applied per registry slot (0: none yet, any is accepted).
#[derive(Clone, Debug)]
pub(super) struct RptSeqs {
    last: Box<[u32]>,
}

impl RptSeqs {
    pub(super) fn new(slots: usize) -> Self {
        RptSeqs {
            last: vec![0; slots].into_boxed_slice(),
        }
    }

    /// Classifies `rpt_seq` of the instrument in `slot`; a `rpt_seq` of 0 (none on
    /// the wire) is always applied and changes nothing.
    #[inline]
    pub(super) fn accept(&mut self, slot: Slot, rpt_seq: u32) -> EntrySeq {
        let Some(last) = self.last.get_mut(slot.index()) else {
            return EntrySeq::Apply;
        };
        if rpt_seq == 0 {
            return EntrySeq::Apply;
        }
        let verdict = if *last == 0 || rpt_seq == last.wrapping_add(1) {
            EntrySeq::Apply
        } else if rpt_seq <= *last {
            return EntrySeq::Stale;
        } else {
            EntrySeq::ApplyAfterGap
        };
        *last = rpt_seq;
        verdict
    }

    /// [`RptSeqs::accept`]'s in-order case alone: `true` (and recorded, as
    /// `accept` does) when it would say [`EntrySeq::Apply`]; `false`, with
    /// nothing changed, when it would say anything else.
    #[inline(always)]
    pub(super) fn accept_in_order(&mut self, slot: Slot, rpt_seq: u32) -> bool {
        let Some(last) = self.last.get_mut(slot.index()) else {
            return true;
        };
        if rpt_seq == 0 {
            return true;
        }
        if *last == 0 || rpt_seq == last.wrapping_add(1) {
            *last = rpt_seq;
            return true;
        }
        false
    }

    /// The instrument's last `RptSeq` (0: none yet).
    #[inline]
    pub(super) fn last(&self, slot: Slot) -> u32 {
        self.last.get(slot.index()).copied().unwrap_or(0)
    }

    /// Sets the instrument's last `RptSeq` (a snapshot reflects it; 0 forgets).
    pub(super) fn set(&mut self, slot: Slot, rpt_seq: u32) {
        if let Some(last) = self.last.get_mut(slot.index()) {
            *last = rpt_seq;
        }
    }

    /// Forgets every instrument's (a channel reset restarts `RptSeq` at 1).
    pub(super) fn clear(&mut self) {
        self.last.fill(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packet_sequence_per_feed() {
        let mut s = FeedSequences::default();
        assert_eq!(s.accept(Feed::Incremental, 10), PacketSeq::Next);
        assert_eq!(s.accept(Feed::Incremental, 11), PacketSeq::Next);
        assert_eq!(
            s.accept(Feed::Incremental, 11),
            PacketSeq::Duplicate { last: 11 }
        );
        assert_eq!(
            s.accept(Feed::Incremental, 3),
            PacketSeq::Duplicate { last: 11 }
        );
        assert_eq!(
            s.accept(Feed::Incremental, 15),
            PacketSeq::Gap { missing: 3 }
        );
        assert_eq!(s.accept(Feed::Definition, 2), PacketSeq::Next);
        assert_eq!(s.accept(Feed::Incremental, 16), PacketSeq::Next);
        s.reset(Feed::Incremental);
        assert_eq!(s.accept(Feed::Incremental, 1), PacketSeq::Next);
    }

    #[test]
    fn rpt_seq_per_slot() {
        let mut r = RptSeqs::new(2);
        let a = Slot::from_index(0);
        let b = Slot::from_index(1);
        assert_eq!(r.accept(a, 411), EntrySeq::Apply);
        assert_eq!(r.accept(a, 412), EntrySeq::Apply);
        assert_eq!(r.accept(a, 412), EntrySeq::Stale);
        assert_eq!(r.accept(a, 400), EntrySeq::Stale);
        assert_eq!(r.accept(a, 0), EntrySeq::Apply);
        assert_eq!(r.accept(a, 415), EntrySeq::ApplyAfterGap);
        assert_eq!(r.accept(b, 7), EntrySeq::Apply);
        r.set(a, 500);
        assert_eq!(r.accept(a, 500), EntrySeq::Stale);
        r.clear();
        assert_eq!(r.accept(a, 1), EntrySeq::Apply);
        assert_eq!(r.accept(Slot::from_index(9), 1), EntrySeq::Apply);
    }

    /// `accept_in_order` agrees with `accept` on every case and changes
    /// nothing when it says no.
    #[test]
    fn accept_in_order_is_accepts_apply() {
        let mut checked = 0;
        for last in [0u32, 1, 7, u32::MAX - 1, u32::MAX] {
            for rpt in [0u32, 1, 2, 6, 7, 8, 9, u32::MAX - 1, u32::MAX] {
                for slot in [Slot::from_index(0), Slot::from_index(5)] {
                    let mut full = RptSeqs::new(1);
                    full.set(Slot::from_index(0), last);
                    let mut fast = full.clone();
                    let verdict = full.accept(slot, rpt);
                    let before = fast.last.clone();
                    let yes = fast.accept_in_order(slot, rpt);
                    assert_eq!(yes, verdict == EntrySeq::Apply, "last {last} rpt {rpt}");
                    if yes {
                        assert_eq!(fast.last, full.last);
                    } else {
                        assert_eq!(fast.last, before);
                    }
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 5 * 9 * 2);
    }
}
