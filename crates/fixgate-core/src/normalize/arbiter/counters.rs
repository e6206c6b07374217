//! What the arbiter counts, per line and per channel, and the per-line
//! tracking of holes behind the `lost` count of a line.

use super::history::SeqBitmap;
use super::Line;

/// Counts for one line.
///
/// Every copy that reaches [`Arbiter::handle_packet`](super::Arbiter::handle_packet)
/// is exactly one of `accepted`, `duplicate`, `late` or `too_long`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LineCounters {
    /// Copies that were the first of their sequence number: delivered.
    pub accepted: u64,
    /// Copies of a sequence number already delivered, buffered or surfaced
    /// late (including the second copy of a late packet, and copies of the
    /// previous epoch that straggle in after a reset below its last sequence
    /// number).
    pub duplicate: u64,
    /// Copies that arrived after their sequence number had been declared lost
    /// (or lay below the first packet seen, or belong to the previous epoch
    /// past its last sequence number).
    pub late: u64,
    /// Sequence numbers missing from this line's own sequence, net of those
    /// that arrived later on the same line: the line's upstream loss, whether
    /// or not the other line covered it. It can go down when a line reorders.
    pub lost: u64,
    /// Accepted copies that arrived after a higher sequence number: holes this
    /// line filled within the wait.
    pub recovered: u64,
    /// Datagrams the kernel dropped on this line's socket (SO_RXQ_OVFL), fed
    /// by the receive shell: local overflow, as opposed to upstream `lost`.
    pub kernel_drops: u64,
    /// Copies refused for exceeding `max_packet_len`.
    pub too_long: u64,
}

/// Counts for the channel (both lines).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ChannelCounters {
    /// Packets delivered in sequence (the sum of the lines' `accepted`).
    pub accepted: u64,
    /// Copies dropped as duplicates (the sum over lines).
    pub duplicate: u64,
    /// Copies that came after their gap (the sum over lines).
    pub late: u64,
    /// Sequence numbers declared lost: missing on both lines past the wait.
    pub lost: u64,
    /// Packets delivered after a higher sequence number had arrived (the sum
    /// over lines).
    pub recovered: u64,
    /// Kernel drops on both sockets (the sum over lines).
    pub kernel_drops: u64,
    /// Copies refused as too long (the sum over lines).
    pub too_long: u64,
    /// `Gap` actions emitted.
    pub gaps: u64,
    /// Sequence resets (new epochs) seen.
    pub resets: u64,
}

/// Both lines' counts and the channel's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ArbiterCounters {
    /// Per line, indexed by [`Line::index`].
    pub lines: [LineCounters; 2],
    /// The channel.
    pub channel: ChannelCounters,
}

impl ArbiterCounters {
    /// One line's counts.
    pub fn line(&self, line: Line) -> &LineCounters {
        &self.lines[line.index()]
    }
}

/// One line's state: its counts and which recent sequence numbers it carried.
pub(super) struct LineState {
    pub(super) counts: LineCounters,
    /// The line's first and highest sequence numbers in this epoch.
    span: Option<(u64, u64)>,
    /// Bit set: carried on this line (for the last `seen.len()` up to the high).
    seen: SeqBitmap,
    /// Sequence numbers skipped when the high mark jumped.
    skipped: u64,
    /// Skipped ones that arrived later on this line.
    refilled: u64,
}

impl LineState {
    pub(super) fn new(horizon: u32) -> Self {
        LineState {
            counts: LineCounters::default(),
            span: None,
            seen: SeqBitmap::new(horizon),
            skipped: 0,
            refilled: 0,
        }
    }

    /// Notes that this line carried `seq` (any copy of the current epoch).
    #[inline]
    pub(super) fn observe(&mut self, seq: u64) {
        match self.span {
            None => {
                self.span = Some((seq, seq));
                self.seen.put(seq, true);
            }
            Some((first, high)) if seq > high => {
                self.skipped += seq - high - 1;
                self.seen.fill(high + 1, seq, false);
                self.seen.put(seq, true);
                self.span = Some((first, seq));
            }
            Some((first, high)) => {
                // Below the high mark: a hole filled late on this line, unless it
                // is below the line's start, out of the bitmap, or a repeat.
                if seq >= first && high - seq < self.seen.len() && !self.seen.get(seq) {
                    self.seen.put(seq, true);
                    self.refilled += 1;
                }
            }
        }
    }

    /// Forgets the epoch (a sequence reset): the next copy starts the line
    /// anew; the count so far stays.
    pub(super) fn new_epoch(&mut self) {
        self.skipped = self.lost();
        self.refilled = 0;
        self.span = None;
        self.seen.clear();
    }

    /// Net holes so far.
    pub(super) fn lost(&self) -> u64 {
        self.skipped.saturating_sub(self.refilled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holes_are_counted_and_refilled() {
        let mut l = LineState::new(64);
        for s in [10, 11, 14, 13, 20] {
            l.observe(s);
        }
        // Skipped 12, 13, 15..=19; 13 came later.
        assert_eq!(l.lost(), 6);
        l.observe(13);
        l.observe(9);
        assert_eq!(
            l.lost(),
            6,
            "a repeat and a packet below the start change nothing"
        );
        l.observe(12);
        assert_eq!(l.lost(), 5);
        l.observe(200);
        assert_eq!(l.lost(), 5 + 179);
        l.observe(100);
        assert_eq!(l.lost(), 184, "more than the bitmap behind: not counted");
        l.observe(150);
        assert_eq!(l.lost(), 183);
        l.new_epoch();
        assert_eq!(l.lost(), 183, "the count carries over a reset");
        l.observe(1);
        l.observe(3);
        assert_eq!(l.lost(), 184);
    }
}
