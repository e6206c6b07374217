//! The per-instrument snapshot kept on the board: a `Copy`, fixed-size value.

use crate::event::TradingState;
use crate::time::UtcNanos;
use crate::types::{InstrumentId, Price, Qty, Side, VenueId};

/// Levels kept per side: the board is a display and resync view, not the book
/// (the normalizer keeps full books).
pub const BOOK_DEPTH: usize = 5;

/// Implied levels kept per side (CME publishes implied books two deep).
pub const IMPLIED_DEPTH: usize = 2;

/// One price level of a side: price, total quantity, order count.
///
/// An empty level has [`Price::NULL`] and zero quantity and count
/// ([`BookLevel::EMPTY`]); empty levels only ever follow the filled ones.
/// `repr(C)` without padding (8 + 4 + 4 bytes), as the seqlock requires.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(C)]
pub struct BookLevel {
    /// The level's price ([`Price::NULL`] when empty).
    pub price_e9: Price,
    /// Total quantity resting at the level.
    pub qty: Qty,
    /// Orders at the level (0 where the venue does not say).
    pub order_count: u32,
}

impl BookLevel {
    /// No level.
    pub const EMPTY: BookLevel = BookLevel {
        price_e9: Price::NULL,
        qty: Qty::ZERO,
        order_count: 0,
    };

    /// Whether this is no level.
    #[inline]
    pub const fn is_empty(&self) -> bool {
        self.price_e9.is_null()
    }
}

impl Default for BookLevel {
    fn default() -> Self {
        BookLevel::EMPTY
    }
}

/// The last trade seen for an instrument.
///
/// `repr(C)` with its padding spelled out as a zeroed private field: the
/// seqlock copies values as whole words and needs every byte initialised. Build
/// one with [`LastTrade::new`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(C)]
pub struct LastTrade {
    /// Trade price ([`Price::NULL`] before the first trade).
    pub price_e9: Price,
    /// The venue's time of the trade.
    pub ts_event_ns: UtcNanos,
    /// Traded quantity.
    pub qty: Qty,
    /// The aggressor's side ([`Side::None`] where the venue does not say).
    pub aggressor: Side,
    _zero: [u8; 3],
}

impl LastTrade {
    /// No trade yet.
    pub const NONE: LastTrade =
        LastTrade::new(Price::NULL, Qty::ZERO, Side::None, UtcNanos::from_nanos(0));

    /// A trade of `qty` at `price_e9`, `aggressor` side, at venue time
    /// `ts_event_ns`.
    pub const fn new(price_e9: Price, qty: Qty, aggressor: Side, ts_event_ns: UtcNanos) -> Self {
        LastTrade {
            price_e9,
            ts_event_ns,
            qty,
            aggressor,
            _zero: [0; 3],
        }
    }

    /// Whether a trade has been seen.
    #[inline]
    pub const fn is_some(&self) -> bool {
        !self.price_e9.is_null()
    }
}

impl Default for LastTrade {
    fn default() -> Self {
        LastTrade::NONE
    }
}

/// Flag bits of an [`InstrumentState`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct StateFlags(u8);

impl StateFlags {
    /// The book may be wrong: the instrument's latest event carried
    /// [`EventFlags::MAYBE_BAD_BOOK`](crate::event::EventFlags::MAYBE_BAD_BOOK)
    /// (a gap is open). Strategies should not quote off such a book.
    pub const MAYBE_BAD_BOOK: StateFlags = StateFlags(0x04);

    /// No flags.
    #[inline]
    pub const fn empty() -> Self {
        StateFlags(0)
    }

    /// The raw bits.
    #[inline]
    pub const fn bits(self) -> u8 {
        self.0
    }

    /// Whether every flag of `other` is set.
    #[inline]
    pub const fn contains(self, other: StateFlags) -> bool {
        self.0 & other.0 == other.0
    }

    /// These flags with `flag` set or cleared.
    #[inline]
    pub const fn with(self, flag: StateFlags, on: bool) -> Self {
        if on {
            StateFlags(self.0 | flag.0)
        } else {
            StateFlags(self.0 & !flag.0)
        }
    }
}

/// One instrument's state on the board: top levels, last trade, trading state.
///
/// `Copy` and fixed-size (288 bytes) so that a seqlock can copy it out whole:
/// readers on any thread get a consistent snapshot of one instant between two
/// venue messages, never a half-applied message. `repr(C)`, widest fields
/// first, with the tail padding spelled out as a zeroed private field: the
/// seqlock copies values as whole words and needs every byte initialised
/// (`ring_payload!` checks at compile time that there is no other padding).
/// Build one with [`InstrumentState::new`] and set the fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(C)]
pub struct InstrumentState {
    /// Venue time of the latest event folded in ([`UtcNanos`] 0 before any).
    pub ts_event_ns: UtcNanos,
    /// Receive time of the latest event folded in.
    pub ts_recv_ns: UtcNanos,
    /// How many times this state was published (0: never). Lets a reader tell
    /// "nothing yet" from an empty book, and "changed since I last looked".
    pub updates: u64,
    /// Bids, best (highest) first; empty levels at the end.
    pub bids: [BookLevel; BOOK_DEPTH],
    /// Asks, best (lowest) first; empty levels at the end.
    pub asks: [BookLevel; BOOK_DEPTH],
    /// The implied (synthetic, from spreads) bids, kept apart from the
    /// outright ones: events flagged
    /// [`EventFlags::IMPLIED`](crate::event::EventFlags::IMPLIED).
    pub implied_bids: [BookLevel; IMPLIED_DEPTH],
    /// The implied asks.
    pub implied_asks: [BookLevel; IMPLIED_DEPTH],
    /// The last trade.
    pub last_trade: LastTrade,
    /// The instrument.
    pub instrument: InstrumentId,
    /// Venue sequence (low 32 bits) of the latest event folded in.
    pub sequence: u32,
    /// Its venue.
    pub venue: VenueId,
    /// The normalized trading state.
    pub trading_state: TradingState,
    /// Flag bits ([`StateFlags::MAYBE_BAD_BOOK`]).
    pub flags: StateFlags,
    _zero: [u8; 4],
}

// The seqlock cells copy these as words: each is a `RingPayload`, which
// `ring_payload!` checks (every field listed, no padding byte anywhere).
fixgate_ring::ring_payload!(
    struct BookLevel {
        price_e9: Price,
        qty: Qty,
        order_count: u32,
    }
);
fixgate_ring::ring_payload!(
    struct LastTrade {
        price_e9: Price,
        ts_event_ns: UtcNanos,
        qty: Qty,
        aggressor: Side,
        _zero: [u8; 3],
    }
);
fixgate_ring::ring_payload!(struct StateFlags { 0: u8 });
fixgate_ring::ring_payload!(
    struct InstrumentState {
        ts_event_ns: UtcNanos,
        ts_recv_ns: UtcNanos,
        updates: u64,
        bids: [BookLevel; BOOK_DEPTH],
        asks: [BookLevel; BOOK_DEPTH],
        implied_bids: [BookLevel; IMPLIED_DEPTH],
        implied_asks: [BookLevel; IMPLIED_DEPTH],
        last_trade: LastTrade,
        instrument: InstrumentId,
        sequence: u32,
        venue: VenueId,
        trading_state: TradingState,
        flags: StateFlags,
        _zero: [u8; 4],
    }
);

impl InstrumentState {
    /// The state of an instrument nothing is known about yet.
    pub const fn new(instrument: InstrumentId, venue: VenueId) -> Self {
        InstrumentState {
            instrument,
            venue,
            ts_event_ns: UtcNanos::from_nanos(0),
            ts_recv_ns: UtcNanos::from_nanos(0),
            sequence: 0,
            updates: 0,
            bids: [BookLevel::EMPTY; BOOK_DEPTH],
            asks: [BookLevel::EMPTY; BOOK_DEPTH],
            implied_bids: [BookLevel::EMPTY; IMPLIED_DEPTH],
            implied_asks: [BookLevel::EMPTY; IMPLIED_DEPTH],
            last_trade: LastTrade::NONE,
            trading_state: TradingState::Unknown,
            flags: StateFlags::empty(),
            _zero: [0; 4],
        }
    }

    /// The levels of `side` (`None` for [`Side::None`]).
    #[inline]
    pub fn levels(&self, side: Side) -> Option<&[BookLevel; BOOK_DEPTH]> {
        match side {
            Side::Bid => Some(&self.bids),
            Side::Ask => Some(&self.asks),
            Side::None => None,
        }
    }

    /// The best bid, if there is one.
    #[inline]
    pub fn best_bid(&self) -> Option<BookLevel> {
        Some(self.bids[0]).filter(|l| !l.is_empty())
    }

    /// The best ask, if there is one.
    #[inline]
    pub fn best_ask(&self) -> Option<BookLevel> {
        Some(self.asks[0]).filter(|l| !l.is_empty())
    }

    /// The best implied bid, if there is one.
    #[inline]
    pub fn best_implied_bid(&self) -> Option<BookLevel> {
        Some(self.implied_bids[0]).filter(|l| !l.is_empty())
    }

    /// The best implied ask, if there is one.
    #[inline]
    pub fn best_implied_ask(&self) -> Option<BookLevel> {
        Some(self.implied_asks[0]).filter(|l| !l.is_empty())
    }

    /// The mid price, rounded toward negative infinity to a whole 1e-9 unit;
    /// `None` unless both sides have a level. Computed in i128, so it never
    /// overflows.
    #[inline]
    pub fn mid_e9(&self) -> Option<Price> {
        let (bid, ask) = (self.best_bid()?, self.best_ask()?);
        let sum = bid.price_e9.e9() as i128 + ask.price_e9.e9() as i128;
        // Both are real prices (below i64::MAX), so their floor mean is too.
        Some(Price::from_e9(sum.div_euclid(2) as i64))
    }

    /// Whether the book may be wrong (a gap is open).
    #[inline]
    pub fn maybe_bad_book(&self) -> bool {
        self.flags.contains(StateFlags::MAYBE_BAD_BOOK)
    }

    /// Whether the instrument has been published at least once.
    #[inline]
    pub fn is_known(&self) -> bool {
        self.updates > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_has_no_padding() {
        use std::mem::{align_of, offset_of, size_of};
        assert_eq!(size_of::<InstrumentState>(), 288);
        assert_eq!(align_of::<InstrumentState>(), 8);
        let offsets = [
            offset_of!(InstrumentState, ts_event_ns),
            offset_of!(InstrumentState, ts_recv_ns),
            offset_of!(InstrumentState, updates),
            offset_of!(InstrumentState, bids),
            offset_of!(InstrumentState, asks),
            offset_of!(InstrumentState, implied_bids),
            offset_of!(InstrumentState, implied_asks),
            offset_of!(InstrumentState, last_trade),
            offset_of!(InstrumentState, instrument),
            offset_of!(InstrumentState, sequence),
            offset_of!(InstrumentState, venue),
            offset_of!(InstrumentState, trading_state),
            offset_of!(InstrumentState, flags),
            offset_of!(InstrumentState, _zero),
        ];
        assert_eq!(
            offsets,
            [0, 8, 16, 24, 104, 184, 216, 248, 272, 276, 280, 282, 283, 284]
        );
        assert_eq!(
            [
                offset_of!(LastTrade, price_e9),
                offset_of!(LastTrade, ts_event_ns),
                offset_of!(LastTrade, qty),
                offset_of!(LastTrade, aggressor),
                offset_of!(LastTrade, _zero),
            ],
            [0, 8, 16, 20, 21]
        );
    }

    #[test]
    fn new_state_is_empty() {
        let s = InstrumentState::new(InstrumentId(7), VenueId::CME);
        assert_eq!(s.best_bid(), None);
        assert_eq!(s.best_ask(), None);
        assert_eq!(s.mid_e9(), None);
        assert!(!s.is_known());
        assert!(!s.maybe_bad_book());
        assert!(!s.last_trade.is_some());
        assert_eq!(s.levels(Side::None), None);
        assert!(s.levels(Side::Bid).unwrap().iter().all(BookLevel::is_empty));
    }

    #[test]
    fn mid_rounds_down_and_does_not_overflow() {
        let mut s = InstrumentState::new(InstrumentId(7), VenueId::CME);
        s.bids[0] = BookLevel {
            price_e9: Price::from_e9(-3),
            qty: Qty::from_lots(1),
            order_count: 1,
        };
        s.asks[0] = BookLevel {
            price_e9: Price::from_e9(0),
            qty: Qty::from_lots(1),
            order_count: 1,
        };
        assert_eq!(s.mid_e9(), Some(Price::from_e9(-2)));
        s.bids[0].price_e9 = Price::from_e9(i64::MAX - 3);
        s.asks[0].price_e9 = Price::from_e9(i64::MAX - 1);
        assert_eq!(s.mid_e9(), Some(Price::from_e9(i64::MAX - 2)));
    }

    #[test]
    fn flags_set_and_clear() {
        let f = StateFlags::empty().with(StateFlags::MAYBE_BAD_BOOK, true);
        assert!(f.contains(StateFlags::MAYBE_BAD_BOOK));
        assert_eq!(f.bits(), 0x04);
        assert_eq!(
            f.with(StateFlags::MAYBE_BAD_BOOK, false),
            StateFlags::empty()
        );
    }
}
