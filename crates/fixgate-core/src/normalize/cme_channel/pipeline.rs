//! What happens to packets after arbitration: the adapter, the loop feeds,
//! gaps and resets (everything of the channel but the arbiter, so that the
//! arbiter's actions can be drained into it).

use crate::event::EventFlags;
use crate::normalize::arbiter::{Action, Line};
use crate::normalize::batch::EventSink;
use crate::normalize::cme::{CmeNormalizer, Feed, PacketIn, SyncState};
use crate::time::UtcNanos;

use super::counters::RecoveryCounters;
use super::loops::LoopFeed;
use super::recovery::Recovery;

/// Everything downstream of the arbiter.
#[derive(Debug)]
pub(super) struct Pipeline<S> {
    pub(super) cme: CmeNormalizer<S>,
    pub(super) definitions: LoopFeed,
    pub(super) snapshots: LoopFeed,
    pub(super) recovery: RecoveryCounters,
    pub(super) rec: Recovery,
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
                if !self.rec.joined {
                    self.rec.joined = true;
                    if p.seq > 1 {
                        // A late join: everything before is unknown.
                        self.gap_with(1, p.seq - 1, SyncState::Held);
                    }
                }
                self.buffer(p.seq, p.ts_recv, p.payload);
                let rx = PacketIn {
                    feed: Feed::Incremental,
                    ts_recv_ns: p.ts_recv,
                    recv_flags: self.recv_flags,
                };
                // Refusals are counted by the adapter.
                let _ = self.cme.handle_packet(rx, p.payload);
                self.rec.delivered = Some(p.seq);
                if self.rec.active {
                    self.set_ceiling();
                }
                self.after_packet(Some((p.seq, p.ts_recv, p.payload)));
            }
            Action::Gap { first, last } => self.gap_with(first, last, SyncState::Unverified),
            // Dropped by the default `LatePolicy`; a late packet cannot be
            // applied in order, recovery repairs what it carried.
            Action::Late(_) => {}
            Action::Reset { first, .. } => self.sequence_reset(first),
        }
    }

    /// A packet of a loop feed (already checked to have a header).
    pub(super) fn loop_packet(
        &mut self,
        line: Line,
        feed: Feed,
        seq: u32,
        payload: &[u8],
        ts_recv: UtcNanos,
    ) {
        let lf = match feed {
            Feed::Definition => &mut self.definitions,
            _ => &mut self.snapshots,
        };
        if !lf.accept(line, seq) {
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
        self.after_packet(None);
    }
}
