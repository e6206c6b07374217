//! Event kinds, flags, and the small closed enums stored in event bodies.

use std::fmt;

/// What an event is; selects the body layout.
///
/// A closed enum: event kinds are fixgate's own concept, and a consumer's `match`
/// should fail to compile when a kind is added.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum EventKind {
    /// Top of book: best bid and ask ([`QuoteBody`](super::QuoteBody)).
    Quote = 1,
    /// A trade ([`TradeBody`](super::TradeBody)).
    Trade = 2,
    /// A market-by-price level's new state ([`LevelBody`](super::LevelBody)).
    Level = 3,
    /// A market-by-order order's new state ([`OrderBody`](super::OrderBody)).
    Order = 4,
    /// The book (or one side) was cleared ([`ClearBody`](super::ClearBody)).
    Clear = 5,
    /// Trading status changed ([`StatusBody`](super::StatusBody)).
    Status = 6,
    /// Sequence numbers are missing; books may be wrong until recovery ([`GapBody`](super::GapBody)).
    Gap = 7,
    /// A gap was filled ([`RecoveredBody`](super::RecoveredBody)).
    Recovered = 8,
    /// A statistic's new value: settlement, open interest, limits, ... ([`StatBody`](super::StatBody)).
    Stat = 9,
}
fixgate_ring::ring_payload!(enum EventKind as u8);

impl EventKind {
    /// The kind with this byte value, `None` for any other byte.
    #[inline]
    pub const fn from_u8(byte: u8) -> Option<Self> {
        Some(match byte {
            1 => EventKind::Quote,
            2 => EventKind::Trade,
            3 => EventKind::Level,
            4 => EventKind::Order,
            5 => EventKind::Clear,
            6 => EventKind::Status,
            7 => EventKind::Gap,
            8 => EventKind::Recovered,
            9 => EventKind::Stat,
            _ => return None,
        })
    }

    /// The byte value stored at offset 0.
    #[inline]
    pub const fn as_u8(self) -> u8 {
        self as u8
    }
}

/// The flag bits of an event (DBN's values where DBN has the flag).
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct EventFlags(u8);
fixgate_ring::ring_payload!(struct EventFlags { 0: u8 });

impl EventFlags {
    /// Last event of a venue event (CME: the message with `MatchEventIndicator`
    /// bit 7, end of the Globex event): the books are consistent after it, so
    /// consumers act on this event, not on the ones before it.
    pub const LAST: EventFlags = EventFlags(0x80);
    /// Top-of-book: the event concerns the best level.
    pub const TOB: EventFlags = EventFlags(0x40);
    /// The event comes from a snapshot (recovery or late join), not live updates.
    pub const SNAPSHOT: EventFlags = EventFlags(0x20);
    /// The event comes from a market-by-price book (levels, not orders).
    pub const MBP: EventFlags = EventFlags(0x10);
    /// `ts_recv` is not a trustworthy receive time (software fallback, replay).
    pub const BAD_TS_RECV: EventFlags = EventFlags(0x08);
    /// The book may be wrong: a gap is unrecovered for this instrument, or an
    /// update did not fit the book.
    pub const MAYBE_BAD_BOOK: EventFlags = EventFlags(0x04);
    /// The event concerns the instrument's implied book (CME `MDEntryType` `E`/`F`),
    /// kept apart from the outright one. DBN's publisher-specific bit.
    pub const IMPLIED: EventFlags = EventFlags(0x02);

    const NAMES: [(EventFlags, &'static str); 7] = [
        (Self::LAST, "LAST"),
        (Self::TOB, "TOB"),
        (Self::SNAPSHOT, "SNAPSHOT"),
        (Self::MBP, "MBP"),
        (Self::BAD_TS_RECV, "BAD_TS_RECV"),
        (Self::MAYBE_BAD_BOOK, "MAYBE_BAD_BOOK"),
        (Self::IMPLIED, "IMPLIED"),
    ];

    /// No flags.
    #[inline]
    pub const fn empty() -> Self {
        EventFlags(0)
    }

    /// Flags from raw bits; undefined bits are kept (and shown in `Debug`).
    #[inline]
    pub const fn from_bits(bits: u8) -> Self {
        EventFlags(bits)
    }

    /// The raw bits.
    #[inline]
    pub const fn bits(self) -> u8 {
        self.0
    }

    /// Whether every flag of `other` is set.
    #[inline]
    pub const fn contains(self, other: EventFlags) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether no flag is set.
    #[inline]
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// These flags plus `other`.
    #[inline]
    pub const fn union(self, other: EventFlags) -> Self {
        EventFlags(self.0 | other.0)
    }

    /// These flags without `other`.
    #[inline]
    pub const fn difference(self, other: EventFlags) -> Self {
        EventFlags(self.0 & !other.0)
    }
}

impl std::ops::BitOr for EventFlags {
    type Output = EventFlags;
    #[inline]
    fn bitor(self, rhs: EventFlags) -> EventFlags {
        self.union(rhs)
    }
}

impl std::ops::BitOrAssign for EventFlags {
    #[inline]
    fn bitor_assign(&mut self, rhs: EventFlags) {
        *self = self.union(rhs);
    }
}

impl fmt::Debug for EventFlags {
    /// `EventFlags(LAST | MBP)`; undefined bits as hex.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EventFlags(")?;
        let mut rest = self.0;
        let mut first = true;
        for (flag, name) in Self::NAMES {
            if self.contains(flag) {
                f.write_str(if first { "" } else { " | " })?;
                f.write_str(name)?;
                rest &= !flag.0;
                first = false;
            }
        }
        if rest != 0 {
            write!(f, "{}{rest:#04x}", if first { "" } else { " | " })?;
        }
        f.write_str(")")
    }
}

/// What happened to a level or an order (DBN action characters).
///
/// Book bodies still carry the resulting state; the action says how it came
/// about (a [`LevelBody`](super::LevelBody) with `Cancel` has zero quantity: the level is gone).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Action {
    /// A new level or order.
    Add = b'A',
    /// An existing level or order changed.
    Modify = b'M',
    /// The level or order was removed.
    Cancel = b'C',
    /// The book was cleared.
    Clear = b'R',
    /// A trade (aggressor side).
    Trade = b'T',
    /// A fill of a resting order.
    Fill = b'F',
    /// No action.
    #[default]
    None = b'N',
}

impl Action {
    /// The action of a DBN action character, `None` for any other byte.
    #[inline]
    pub const fn from_dbn(byte: u8) -> Option<Action> {
        Some(match byte {
            b'A' => Action::Add,
            b'M' => Action::Modify,
            b'C' => Action::Cancel,
            b'R' => Action::Clear,
            b'T' => Action::Trade,
            b'F' => Action::Fill,
            b'N' => Action::None,
            _ => return None,
        })
    }

    /// The DBN action character.
    #[inline]
    pub const fn to_dbn(self) -> u8 {
        self as u8
    }
}

/// An instrument's trading state, normalized across venues (each venue's own codes
/// are kept beside it in [`StatusBody`](super::StatusBody)).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum TradingState {
    /// Not known (or the venue's code does not map).
    #[default]
    Unknown = 0,
    /// Before the open: orders may be entered, nothing matches.
    PreOpen = 1,
    /// An auction (opening, closing or reopening) is running.
    Auction = 2,
    /// Continuous trading.
    Trading = 3,
    /// Temporarily paused (no cancels needed; a short pause or a price limit).
    Paused = 4,
    /// Halted by the venue.
    Halted = 5,
    /// Closed for the session.
    Closed = 6,
}
fixgate_ring::ring_payload!(enum TradingState as u8);

impl TradingState {
    /// The state of a byte value; unknown bytes give [`TradingState::Unknown`].
    #[inline]
    pub const fn from_u8(byte: u8) -> Self {
        match byte {
            1 => TradingState::PreOpen,
            2 => TradingState::Auction,
            3 => TradingState::Trading,
            4 => TradingState::Paused,
            5 => TradingState::Halted,
            6 => TradingState::Closed,
            _ => TradingState::Unknown,
        }
    }
}

/// How a gap was filled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum RecoveryMethod {
    /// Not known.
    #[default]
    Unknown = 0,
    /// The other line of an A/B pair had the packets (arbitration).
    OtherLine = 1,
    /// A retransmission request (TCP replay) returned them.
    Retransmit = 2,
    /// The books were rebuilt from a snapshot; the gap itself is lost.
    Snapshot = 3,
    /// Later incremental updates refreshed every suspect level (CME natural refresh).
    NaturalRefresh = 4,
    /// The instrument's next per-instrument sequence (CME `RptSeq`) followed
    /// the last one applied: the gap did not touch it.
    SequenceProven = 5,
}

impl RecoveryMethod {
    /// The method of a byte value; unknown bytes give [`RecoveryMethod::Unknown`].
    #[inline]
    pub const fn from_u8(byte: u8) -> Self {
        match byte {
            1 => RecoveryMethod::OtherLine,
            2 => RecoveryMethod::Retransmit,
            3 => RecoveryMethod::Snapshot,
            4 => RecoveryMethod::NaturalRefresh,
            5 => RecoveryMethod::SequenceProven,
            _ => RecoveryMethod::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_enums_round_trip() {
        for byte in 0..=u8::MAX {
            if let Some(kind) = EventKind::from_u8(byte) {
                assert_eq!(kind.as_u8(), byte);
            }
            if let Some(action) = Action::from_dbn(byte) {
                assert_eq!(action.to_dbn(), byte);
            }
            assert!(byte > 6 || TradingState::from_u8(byte) as u8 == byte);
            assert!(byte > 5 || RecoveryMethod::from_u8(byte) as u8 == byte);
        }
        assert_eq!((1..=9).filter_map(EventKind::from_u8).count(), 9);
        assert_eq!(EventKind::from_u8(0), None);
        assert_eq!(TradingState::from_u8(200), TradingState::Unknown);
    }

    #[test]
    fn flags() {
        let all = [
            (EventFlags::LAST, 0x80),
            (EventFlags::TOB, 0x40),
            (EventFlags::SNAPSHOT, 0x20),
            (EventFlags::MBP, 0x10),
            (EventFlags::BAD_TS_RECV, 0x08),
            (EventFlags::MAYBE_BAD_BOOK, 0x04),
            (EventFlags::IMPLIED, 0x02),
        ];
        for (flag, bits) in all {
            assert_eq!(flag.bits(), bits);
        }
        let f = EventFlags::LAST | EventFlags::SNAPSHOT;
        assert!(f.contains(EventFlags::LAST));
        assert!(!f.contains(EventFlags::TOB));
        assert_eq!(f.difference(EventFlags::LAST), EventFlags::SNAPSHOT);
        assert!(EventFlags::empty().is_empty());
        assert_eq!(format!("{f:?}"), "EventFlags(LAST | SNAPSHOT)");
        assert_eq!(
            format!("{:?}", EventFlags::from_bits(0x41)),
            "EventFlags(TOB | 0x01)"
        );
        assert_eq!(format!("{:?}", EventFlags::empty()), "EventFlags()");
    }
}
