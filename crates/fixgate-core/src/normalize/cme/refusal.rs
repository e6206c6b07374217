//! What the CME adapter refused, and its counters.
//!
//! Every refused packet, message or entry is counted in [`CmeCounters`] and
//! reported once to the caller's observer as a [`Refusal`] (`Copy`, no
//! allocation): enough for a log line, never a panic. Processing goes on with
//! the next entry.

use crate::md::cme::{DecodeCounters, DecodeError, PacketError, PriceOverflow, TemplateId};
use crate::normalize::text::TextError;
use crate::normalize::NormalizeError;

/// Why an entry, message or packet was not applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RefusalReason {
    /// A message could not be framed; the rest of the packet is lost.
    #[error(transparent)]
    Packet(#[from] PacketError),
    /// A message's root block or groups run past its `MsgSize`.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// The normalizer refused the update (unknown instrument, a book action
    /// that does not fit, a full order book, ...).
    #[error(transparent)]
    Normalize(#[from] NormalizeError),
    /// A price does not fit an i64 at 1e-9.
    #[error(transparent)]
    Price(#[from] PriceOverflow),
    /// An instrument that is not defined, under
    /// [`UnknownInstrumentPolicy::Refuse`](super::UnknownInstrumentPolicy::Refuse).
    #[error("security id {security_id} is not defined")]
    UnknownInstrument {
        /// The wire `SecurityID`.
        security_id: i32,
    },
    /// A `SecurityID` that cannot be an instrument (zero or negative).
    #[error("security id {security_id} is not a valid instrument id")]
    BadSecurityId {
        /// The wire value.
        security_id: i32,
    },
    /// An `MDEntryType` the message may not carry.
    #[error("MDEntryType {:?} is not supported here", *entry_type as char)]
    UnsupportedEntryType {
        /// The wire character.
        entry_type: u8,
    },
    /// An `MDUpdateAction`, `OrderUpdateAction` or `SecurityUpdateAction` the
    /// message may not carry.
    #[error("update action {action} is not supported here")]
    UnsupportedAction {
        /// The wire value.
        action: u8,
    },
    /// A quantity that is negative.
    #[error("{field} is {value}, not a quantity")]
    BadQuantity {
        /// The field's schema name.
        field: &'static str,
        /// The wire value.
        value: i64,
    },
    /// A required field is absent or null.
    #[error("{field} is missing")]
    MissingField {
        /// The field's schema name.
        field: &'static str,
    },
    /// An order entry's `ReferenceID` names no usable `NoMDEntries` entry.
    #[error("ReferenceID {reference_id} names no usable book entry")]
    BadReference {
        /// The wire value (1-based; 255 is null).
        reference_id: u8,
    },
    /// A definition's text field is not printable ASCII or too long.
    #[error("{field}: {error}")]
    BadText {
        /// The field's schema name.
        field: &'static str,
        /// Why.
        error: TextError,
    },
}

/// One refusal, as reported to the observer of
/// [`CmeNormalizer::handle_packet_with`](super::CmeNormalizer::handle_packet_with).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("packet {sequence}, template {template}, entry {entry:?}: {reason}")]
pub struct Refusal {
    /// The packet's `MsgSeqNum`.
    pub sequence: u32,
    /// The message's template (0 when the message could not be framed).
    pub template: TemplateId,
    /// The entry's index in its group, `None` for the whole message.
    pub entry: Option<u16>,
    /// Why.
    pub reason: RefusalReason,
}

/// What the adapter did and refused since construction (the normalizer keeps
/// its own [`NormalizeCounters`](crate::normalize::NormalizeCounters)).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CmeCounters {
    /// Packets whose header decoded.
    pub packets: u64,
    /// Packets dropped because their feed had already processed their
    /// `MsgSeqNum` (the other line of an A/B pair, or a replayed packet).
    pub duplicate_packets: u64,
    /// Times a feed's `MsgSeqNum` jumped by more than one (packets lost on
    /// this line; the per-instrument `RptSeq` decides which books are hurt).
    pub packet_gaps: u64,
    /// Packets shorter than their header, and messages that could not be framed.
    pub malformed_packets: u64,
    /// Messages decoded, skipped (unknown schema or template) and malformed.
    pub decode: DecodeCounters,
    /// Entries skipped because their instrument's `RptSeq` had already been
    /// applied (duplicates after a snapshot or a replay).
    pub stale_entries: u64,
    /// Times an instrument's `RptSeq` jumped; its books are then marked suspect.
    pub rpt_seq_gaps: u64,
    /// Entries of instruments with no definition, refused under
    /// [`UnknownInstrumentPolicy::Refuse`](super::UnknownInstrumentPolicy::Refuse).
    pub unknown_instrument: u64,
    /// Placeholder definitions made under
    /// [`UnknownInstrumentPolicy::Define`](super::UnknownInstrumentPolicy::Define).
    pub auto_defined: u64,
    /// Entries, messages and packets refused in all (each also reported).
    pub refused: u64,
    /// Order entries of trade summaries (fills), which never change a book.
    pub fills: u64,
    /// Definition messages applied.
    pub definitions: u64,
    /// Snapshot messages applied (52 and 53).
    pub snapshots: u64,
    /// Messages decoded but not normalized (15, 16, 33, 34, 38, 39, 41, 43,
    /// 44): nothing of theirs reaches the books or the registry.
    pub not_normalized: u64,
}
