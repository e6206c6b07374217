//! What happens to packets after arbitration: the adapter, the loop feeds and
//! gap handling (everything of the channel but the arbiter, so that the
//! arbiter's actions can be drained into it).

use crate::event::{EventFlags, GapBody};
use crate::normalize::arbiter::Action;
use crate::normalize::batch::EventSink;
use crate::normalize::channel::SequenceBody;
use crate::normalize::cme::{CmeNormalizer, Feed, PacketIn};
use crate::normalize::MessageStamp;
use crate::time::UtcNanos;
use crate::types::InstrumentId;

use super::counters::RecoveryCounters;
use super::loops::LoopFeed;

/// Everything downstream of the arbiter.
#[derive(Debug)]
pub(super) struct Pipeline<S> {
    pub(super) cme: CmeNormalizer<S>,
    pub(super) definitions: LoopFeed,
    pub(super) snapshots: LoopFeed,
    pub(super) recovery: RecoveryCounters,
    pub(super) recv_flags: EventFlags,
    /// The receive time of the last packet handed in (stamps gaps declared by
    /// a timeout).
    pub(super) last_ts_recv: UtcNanos,
}

impl<S: EventSink> Pipeline<S> {
    /// One action of the incremental arbiter.
    pub(super) fn incremental(&mut self, action: Action<'_>) {
        match action {
            Action::Deliver(p) => {
                let rx = PacketIn {
                    feed: Feed::Incremental,
                    ts_recv_ns: p.ts_recv,
                    recv_flags: self.recv_flags,
                };
                // Refusals are counted by the adapter.
                let _ = self.cme.handle_packet(rx, p.payload);
            }
            Action::Gap { first, last } => self.gap(first, last),
            // Dropped by the default `LatePolicy`; a late packet cannot be
            // applied in order, recovery repairs what it carried.
            Action::Late(_) => {}
            Action::Reset { .. } => {
                self.recovery.sequence_resets += 1;
                self.cme.reset_feed_sequence(Feed::Incremental);
            }
        }
    }

    /// A packet of a loop feed (already checked to have a header).
    pub(super) fn loop_packet(&mut self, feed: Feed, seq: u32, payload: &[u8], ts_recv: UtcNanos) {
        let lf = match feed {
            Feed::Definition => &mut self.definitions,
            _ => &mut self.snapshots,
        };
        if !lf.accept(seq) {
            return;
        }
        // Loops start over: the adapter's own duplicate check would drop them.
        self.cme.reset_feed_sequence(feed);
        let rx = PacketIn {
            feed,
            ts_recv_ns: ts_recv,
            recv_flags: self.recv_flags,
        };
        let _ = self.cme.handle_packet(rx, payload);
    }

    /// `first..=last` are lost on both lines: every defined instrument is
    /// suspect; a `GAP` event says so.
    pub(super) fn gap(&mut self, first: u32, last: u32) {
        self.recovery.gaps += 1;
        self.recovery.lost_packets += u64::from(last - first) + 1;
        // The packets that would have ended an open venue event are lost.
        self.cme.end_open_event();
        let norm = self.cme.normalizer_mut();
        let mut suspect = 0u32;
        for slot in 0..norm.registry().capacity() {
            let Some(id) = norm
                .registry()
                .at(crate::normalize::registry::Slot::from_index(slot))
                .map(|d| d.id)
            else {
                continue;
            };
            if norm.mark_suspect(id).is_ok() {
                suspect += 1;
            }
        }
        let channel = norm.channel();
        let stamp = MessageStamp {
            ts_recv_ns: self.last_ts_recv,
            sequence: first,
            flags: self.recv_flags,
            ..MessageStamp::default()
        };
        norm.handle_sequence_event(
            stamp,
            InstrumentId::NONE,
            SequenceBody::Gap(GapBody {
                first_seq: u64::from(first),
                last_seq: u64::from(last),
                channel,
                instruments_suspect: suspect,
            }),
        );
    }
}
