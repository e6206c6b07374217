//! The loop feeds (instrument definitions, snapshots): sent round and round,
//! `MsgSeqNum` starting over each loop, on both lines.
//!
//! They are not arbitrated like the incremental feed (a loop has no gaps to
//! wait for: what is missed comes again next loop). A copy with the same
//! `MsgSeqNum` as the last one handled is the other line's and is dropped;
//! any other is handled, and a `MsgSeqNum` at or below the last one starts a
//! new loop. A line lagging the other by more than one packet has its copies
//! handled twice, which is harmless: definitions are upserts and snapshots
//! are full refreshes applied only to instruments that need one.

use super::counters::LoopCounters;

/// One loop feed's last `MsgSeqNum` and counts.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct LoopFeed {
    last: Option<u32>,
    pub(super) counters: LoopCounters,
}

impl LoopFeed {
    /// Whether to handle a copy with `seq`.
    pub(super) fn accept(&mut self, seq: u32) -> bool {
        match self.last {
            Some(last) if last == seq => {
                self.counters.duplicate += 1;
                return false;
            }
            Some(last) if seq < last => self.counters.loops += 1,
            _ => {}
        }
        self.last = Some(seq);
        self.counters.accepted += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_and_loops() {
        let mut f = LoopFeed::default();
        assert!(f.accept(1));
        assert!(!f.accept(1));
        assert!(f.accept(2));
        assert!(!f.accept(2));
        assert!(f.accept(1));
        assert_eq!(
            f.counters,
            LoopCounters {
                accepted: 3,
                duplicate: 2,
                loops: 1
            }
        );
    }
}
