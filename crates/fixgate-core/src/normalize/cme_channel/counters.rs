//! What a [`CmeChannel`](super::CmeChannel) counts: arbitration per line and
//! for the channel, the loop feeds, recovery, and the adapter's and
//! normalizer's own counters.

use crate::normalize::arbiter::ArbiterCounters;
use crate::normalize::cme::CmeCounters;
use crate::normalize::NormalizeCounters;

/// Counts of one of the loop feeds (instrument definitions, snapshots), both
/// lines together.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoopCounters {
    /// Packets handed to the adapter.
    pub accepted: u64,
    /// Copies dropped because their `MsgSeqNum` was already handled in this
    /// loop (the other line's copy), or came from a line a loop behind.
    pub duplicate: u64,
    /// Times the loop started over (a line's `MsgSeqNum` back to or below its
    /// last, on the line leading the loop).
    pub loops: u64,
}

/// Recovery: gaps, snapshots, the buffer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecoveryCounters {
    /// Gaps declared on the incremental feed (each published as a `GAP`
    /// event), including the one a late join starts with.
    pub gaps: u64,
    /// Sequence numbers in those gaps.
    pub lost_packets: u64,
    /// Instruments found to have missed `RptSeq`s (each published as a `GAP`
    /// event with the instrument in its header and the `RptSeq` range).
    pub instrument_gaps: u64,
    /// Recoveries completed (each published as a `RECOVERED` event with no
    /// instrument).
    pub recoveries: u64,
    /// Instruments that left the unverified state because their next `RptSeq`
    /// followed the last one applied (the gap did not touch them).
    pub proven_by_rpt_seq: u64,
    /// Instruments that were rebuilt from a snapshot (52, or a complete 53).
    pub recovered_by_snapshot: u64,
    /// Snapshot messages applied (each 53 chunk counts).
    pub snapshots_applied: u64,
    /// Snapshot messages not applied: their instrument needed none, their
    /// `LastMsgSeqNumProcessed` was older than the buffer, a 53 chunk came
    /// out of order, or an incremental event was open.
    pub snapshots_ignored: u64,
    /// Entries skipped while their instrument waited for a snapshot.
    pub held_entries: u64,
    /// Buffered incremental packets re-applied after a snapshot.
    pub replayed_packets: u64,
    /// Incremental packets copied into the recovery buffer.
    pub buffered_packets: u64,
    /// Packets in the buffer now.
    pub buffered_now: u64,
    /// 53 snapshots abandoned because a chunk was missing (the next loop's
    /// is waited for).
    pub chunk_breaks: u64,
    /// Live instruments whose `RptSeq` jumped without a packet gap (held
    /// until a snapshot).
    pub rpt_seq_holes: u64,
    /// Buffered packets dropped because the buffer was full (the oldest go
    /// first).
    pub buffer_overflows: u64,
    /// Sequence resets of the incremental feed (CME's weekly reset).
    pub sequence_resets: u64,
    /// Packets shorter than a packet header (no sequence number).
    pub malformed_packets: u64,
}

/// Every count of a [`CmeChannel`](super::CmeChannel).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CmeChannelCounters {
    /// Incremental feed arbitration: per line and for the channel `accepted`,
    /// `duplicate`, `late`, `lost`, `recovered`, `kernel_drops`, `too_long`;
    /// for the channel also `gaps` and `resets`.
    pub arbiter: ArbiterCounters,
    /// The definition loop.
    pub definitions: LoopCounters,
    /// The snapshot loop.
    pub snapshots: LoopCounters,
    /// Gap recovery.
    pub recovery: RecoveryCounters,
    /// The CME adapter (packets, messages, refusals, `RptSeq` checks).
    pub cme: CmeCounters,
    /// The normalizer (events, venue events, book refusals).
    pub normalize: NormalizeCounters,
}
