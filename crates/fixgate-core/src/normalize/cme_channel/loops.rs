//! The loop feeds (instrument definitions, snapshots): sent round and round,
//! `MsgSeqNum` starting over each loop, on both lines.
//!
//! They are not arbitrated like the incremental feed (a loop has no gaps to
//! wait for: what is missed comes again next loop). Each line keeps its own
//! loop number, bumped when its `MsgSeqNum` goes back to or below its last
//! one; the channel is in the highest loop a line has reached. A copy is
//! handled once per loop: the set of `MsgSeqNum`s handled in the current loop
//! is a fixed bitset, so the other line's copy is dropped however far apart
//! the two copies arrive (a receive thread reading each line in batches sees
//! them hundreds of packets apart). A line still in an earlier loop is
//! behind: its copies were handled when the leading line sent them (or, lost
//! there, come again next loop). A line's
//! first packet puts it in the current loop.
//!
//! Not exact: a `MsgSeqNum` at or above [`SEEN_BITS`] is handled on every
//! copy (harmless: definitions are upserts, snapshots full refreshes applied
//! only to instruments that need one), and a line that loses the end of one
//! loop and the start of the next up to a higher number does not notice the
//! wrap (its copies count as behind until its next wrap; the other line
//! carries the loop meanwhile).

use super::counters::LoopCounters;
use crate::normalize::arbiter::Line;

/// `MsgSeqNum`s below this are deduplicated within a loop (8 KiB of bits per
/// loop feed; CME loops are a few thousand packets).
pub(super) const SEEN_BITS: u32 = 65_536;
const SEEN_WORDS: usize = (SEEN_BITS / 64) as usize;

/// One loop feed's per-line position, the current loop's handled set and
/// counts.
#[derive(Clone, Debug)]
pub(super) struct LoopFeed {
    /// Per line: (loop number, last `MsgSeqNum`), `None` before its first packet.
    lines: [Option<(u64, u32)>; 2],
    /// The highest loop number a line has reached.
    current: u64,
    /// `MsgSeqNum`s handled in the current loop.
    seen: Box<[u64]>,
    pub(super) counters: LoopCounters,
}

impl Default for LoopFeed {
    fn default() -> Self {
        LoopFeed {
            lines: [None; 2],
            current: 0,
            seen: vec![0; SEEN_WORDS].into_boxed_slice(),
            counters: LoopCounters::default(),
        }
    }
}

impl LoopFeed {
    /// Whether to handle the copy of `seq` that arrived on `line`.
    pub(super) fn accept(&mut self, line: Line, seq: u32) -> bool {
        let at = &mut self.lines[line.index()];
        let loop_no = match *at {
            None => self.current,
            Some((n, last)) if seq <= last => n + 1,
            Some((n, _)) => n,
        };
        *at = Some((loop_no, seq));
        if loop_no > self.current {
            self.current = loop_no;
            self.seen.fill(0);
            self.counters.loops += 1;
        } else if loop_no < self.current {
            self.counters.duplicate += 1;
            return false;
        }
        if seq < SEEN_BITS {
            let (word, bit) = ((seq / 64) as usize, 1u64 << (seq % 64));
            if self.seen[word] & bit != 0 {
                self.counters.duplicate += 1;
                return false;
            }
            self.seen[word] |= bit;
        }
        self.counters.accepted += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Line::{A, B};

    fn run(f: &mut LoopFeed, arrivals: &[(Line, u32)]) -> Vec<u32> {
        arrivals
            .iter()
            .filter(|&&(line, seq)| f.accept(line, seq))
            .map(|&(_, seq)| seq)
            .collect()
    }

    #[test]
    fn interleaved_copies_and_loops() {
        let mut f = LoopFeed::default();
        let handled = run(&mut f, &[(A, 1), (B, 1), (A, 2), (B, 2), (A, 1), (B, 1)]);
        assert_eq!(handled, [1, 2, 1]);
        assert_eq!(
            f.counters,
            LoopCounters {
                accepted: 3,
                duplicate: 3,
                loops: 1
            }
        );
    }

    #[test]
    fn copies_far_apart_are_handled_once() {
        // Line B's copies of a 3-packet loop arrive after all of A's, twice round.
        let mut f = LoopFeed::default();
        let arrivals = [(A, 1), (A, 2), (A, 3), (B, 1), (B, 2), (B, 3)];
        assert_eq!(run(&mut f, &arrivals), [1, 2, 3]);
        assert_eq!(run(&mut f, &arrivals), [1, 2, 3]);
        assert_eq!(f.counters.loops, 1);
        assert_eq!(f.counters.duplicate, 6);
    }

    #[test]
    fn a_line_a_loop_behind_is_dropped_until_it_leads() {
        let mut f = LoopFeed::default();
        // B joins in A's second loop, after A's 1: B's 2 comes first.
        assert_eq!(run(&mut f, &[(A, 1), (A, 2), (A, 1)]), [1, 2, 1]);
        assert_eq!(run(&mut f, &[(B, 1), (B, 2), (A, 2)]), [2]);
        // A wraps into a third loop while B is still in the second: B's 3
        // is behind (A sent it in the second loop, or the loop ends at 2).
        assert_eq!(run(&mut f, &[(A, 1), (B, 3)]), [1]);
        // A goes quiet; B wraps into the third loop (1 handled, 2 not), then
        // carries the fourth alone.
        assert_eq!(run(&mut f, &[(B, 1), (B, 2), (B, 1), (B, 2)]), [2, 1, 2]);
        assert_eq!(f.counters.loops, 3);
    }

    #[test]
    fn high_numbers_are_handled_on_every_copy() {
        let mut f = LoopFeed::default();
        assert_eq!(
            run(
                &mut f,
                &[(A, SEEN_BITS), (B, SEEN_BITS), (A, SEEN_BITS - 1)]
            ),
            [SEEN_BITS, SEEN_BITS, SEEN_BITS - 1]
        );
    }
}
