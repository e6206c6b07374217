//! Event bodies: one `#[repr(C)]` struct per kind, encoded little-endian into the
//! event's 32 body bytes at the struct's own field offsets.

use std::mem::offset_of;

use super::{Action, EventKind, RecoveryMethod, StatBody, TradingState, BODY_LEN};
use crate::types::{OrderId, Price, Qty, Side, TradeId};

// ---------------------------------------------------------------------------------
// Body encoding helpers: fixed offsets, little-endian.

#[inline]
pub(super) fn put<const N: usize>(body: &mut [u8; BODY_LEN], at: usize, bytes: [u8; N]) {
    body[at..at + N].copy_from_slice(&bytes);
}

#[inline]
pub(super) fn get<const N: usize>(body: &[u8; BODY_LEN], at: usize) -> [u8; N] {
    let mut out = [0; N];
    out.copy_from_slice(&body[at..at + N]);
    out
}

#[inline]
fn get_side(body: &[u8; BODY_LEN], at: usize) -> Side {
    Side::from_dbn(body[at]).unwrap_or(Side::None)
}

#[inline]
pub(super) fn get_action(body: &[u8; BODY_LEN], at: usize) -> Action {
    Action::from_dbn(body[at]).unwrap_or(Action::None)
}

// The accessors only ever decode bytes that a typed constructor encoded, so the
// fallbacks above (`Side::None`, `Action::None`) are unreachable in practice; they
// keep decoding total without a panic path.

/// A market-by-price level's resulting state (kind [`EventKind::Level`]).
///
/// Not a delta: `qty` and `order_count` are the level's totals after the update
/// (both zero when the action is [`Action::Cancel`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(C)]
pub struct LevelBody {
    /// The level's price.
    pub price_e9: Price,
    /// Total quantity resting at the level, after the update.
    pub qty: Qty,
    /// Orders at the level, after the update (0 where the venue does not say).
    pub order_count: u32,
    /// The venue's per-instrument sequence (CME `RptSeq`), 0 where none.
    pub rpt_seq: u32,
    /// The level index, 1 = best (CME `MDPriceLevel`); 0 where the book is keyed
    /// by price only.
    pub level: u8,
    /// Bid or ask.
    pub side: Side,
    /// How the level changed.
    pub action: Action,
}

impl LevelBody {
    const PX: usize = offset_of!(LevelBody, price_e9);
    const QTY: usize = offset_of!(LevelBody, qty);
    const COUNT: usize = offset_of!(LevelBody, order_count);
    const RPT: usize = offset_of!(LevelBody, rpt_seq);
    const LEVEL: usize = offset_of!(LevelBody, level);
    const SIDE: usize = offset_of!(LevelBody, side);
    const ACTION: usize = offset_of!(LevelBody, action);

    #[inline]
    pub(super) fn encode(&self) -> [u8; BODY_LEN] {
        let mut b = [0; BODY_LEN];
        put(&mut b, Self::PX, self.price_e9.e9().to_le_bytes());
        put(&mut b, Self::QTY, self.qty.lots().to_le_bytes());
        put(&mut b, Self::COUNT, self.order_count.to_le_bytes());
        put(&mut b, Self::RPT, self.rpt_seq.to_le_bytes());
        b[Self::LEVEL] = self.level;
        b[Self::SIDE] = self.side.to_dbn();
        b[Self::ACTION] = self.action.to_dbn();
        b
    }

    #[inline]
    pub(super) fn decode(b: &[u8; BODY_LEN]) -> Self {
        LevelBody {
            price_e9: Price::from_e9(i64::from_le_bytes(get(b, Self::PX))),
            qty: Qty::from_lots(u32::from_le_bytes(get(b, Self::QTY))),
            order_count: u32::from_le_bytes(get(b, Self::COUNT)),
            rpt_seq: u32::from_le_bytes(get(b, Self::RPT)),
            level: b[Self::LEVEL],
            side: get_side(b, Self::SIDE),
            action: get_action(b, Self::ACTION),
        }
    }
}

/// A market-by-order order's resulting state (kind [`EventKind::Order`]).
///
/// Not a delta: `qty` is the order's remaining quantity after the update (zero when
/// the action is [`Action::Cancel`] or the order was filled).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(C)]
pub struct OrderBody {
    /// The venue's order id.
    pub order_id: OrderId,
    /// The order's price.
    pub price_e9: Price,
    /// The venue's queue priority (CME `OrderPriority`; lower is earlier).
    pub priority: u64,
    /// Remaining quantity, after the update.
    pub qty: Qty,
    /// Bid or ask.
    pub side: Side,
    /// How the order changed.
    pub action: Action,
}

impl OrderBody {
    const ID: usize = offset_of!(OrderBody, order_id);
    const PX: usize = offset_of!(OrderBody, price_e9);
    const PRIO: usize = offset_of!(OrderBody, priority);
    const QTY: usize = offset_of!(OrderBody, qty);
    const SIDE: usize = offset_of!(OrderBody, side);
    const ACTION: usize = offset_of!(OrderBody, action);

    #[inline]
    pub(super) fn encode(&self) -> [u8; BODY_LEN] {
        let mut b = [0; BODY_LEN];
        put(&mut b, Self::ID, self.order_id.get().to_le_bytes());
        put(&mut b, Self::PX, self.price_e9.e9().to_le_bytes());
        put(&mut b, Self::PRIO, self.priority.to_le_bytes());
        put(&mut b, Self::QTY, self.qty.lots().to_le_bytes());
        b[Self::SIDE] = self.side.to_dbn();
        b[Self::ACTION] = self.action.to_dbn();
        b
    }

    #[inline]
    pub(super) fn decode(b: &[u8; BODY_LEN]) -> Self {
        OrderBody {
            order_id: OrderId(u64::from_le_bytes(get(b, Self::ID))),
            price_e9: Price::from_e9(i64::from_le_bytes(get(b, Self::PX))),
            priority: u64::from_le_bytes(get(b, Self::PRIO)),
            qty: Qty::from_lots(u32::from_le_bytes(get(b, Self::QTY))),
            side: get_side(b, Self::SIDE),
            action: get_action(b, Self::ACTION),
        }
    }
}

/// Best bid and ask (kind [`EventKind::Quote`]). An empty side has
/// [`Price::NULL`] and zero quantity and count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(C)]
pub struct QuoteBody {
    /// Best bid price.
    pub bid_px_e9: Price,
    /// Best ask price.
    pub ask_px_e9: Price,
    /// Quantity at the best bid.
    pub bid_qty: Qty,
    /// Quantity at the best ask.
    pub ask_qty: Qty,
    /// Orders at the best bid (0 where the venue does not say).
    pub bid_count: u32,
    /// Orders at the best ask (0 where the venue does not say).
    pub ask_count: u32,
}

impl QuoteBody {
    const BID_PX: usize = offset_of!(QuoteBody, bid_px_e9);
    const ASK_PX: usize = offset_of!(QuoteBody, ask_px_e9);
    const BID_QTY: usize = offset_of!(QuoteBody, bid_qty);
    const ASK_QTY: usize = offset_of!(QuoteBody, ask_qty);
    const BID_CT: usize = offset_of!(QuoteBody, bid_count);
    const ASK_CT: usize = offset_of!(QuoteBody, ask_count);

    #[inline]
    pub(super) fn encode(&self) -> [u8; BODY_LEN] {
        let mut b = [0; BODY_LEN];
        put(&mut b, Self::BID_PX, self.bid_px_e9.e9().to_le_bytes());
        put(&mut b, Self::ASK_PX, self.ask_px_e9.e9().to_le_bytes());
        put(&mut b, Self::BID_QTY, self.bid_qty.lots().to_le_bytes());
        put(&mut b, Self::ASK_QTY, self.ask_qty.lots().to_le_bytes());
        put(&mut b, Self::BID_CT, self.bid_count.to_le_bytes());
        put(&mut b, Self::ASK_CT, self.ask_count.to_le_bytes());
        b
    }

    #[inline]
    pub(super) fn decode(b: &[u8; BODY_LEN]) -> Self {
        QuoteBody {
            bid_px_e9: Price::from_e9(i64::from_le_bytes(get(b, Self::BID_PX))),
            ask_px_e9: Price::from_e9(i64::from_le_bytes(get(b, Self::ASK_PX))),
            bid_qty: Qty::from_lots(u32::from_le_bytes(get(b, Self::BID_QTY))),
            ask_qty: Qty::from_lots(u32::from_le_bytes(get(b, Self::ASK_QTY))),
            bid_count: u32::from_le_bytes(get(b, Self::BID_CT)),
            ask_count: u32::from_le_bytes(get(b, Self::ASK_CT)),
        }
    }
}

/// A trade (kind [`EventKind::Trade`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(C)]
pub struct TradeBody {
    /// The trade price.
    pub price_e9: Price,
    /// The venue's trade id (0 where none).
    pub trade_id: TradeId,
    /// The traded quantity.
    pub qty: Qty,
    /// The venue's per-instrument sequence (CME `RptSeq`), 0 where none.
    pub rpt_seq: u32,
    /// The aggressor's side ([`Side::Bid`]: a buyer lifted the offer), or
    /// [`Side::None`] when the venue does not say.
    pub aggressor: Side,
    /// [`Action::Trade`] for a trade; [`Action::Cancel`] for a bust (the venue
    /// withdrew the trade with this `trade_id`; price and quantity repeat the
    /// busted trade's as the venue sent them).
    pub action: Action,
}

impl TradeBody {
    const PX: usize = offset_of!(TradeBody, price_e9);
    const ID: usize = offset_of!(TradeBody, trade_id);
    const QTY: usize = offset_of!(TradeBody, qty);
    const RPT: usize = offset_of!(TradeBody, rpt_seq);
    const AGGR: usize = offset_of!(TradeBody, aggressor);
    const ACTION: usize = offset_of!(TradeBody, action);

    #[inline]
    pub(super) fn encode(&self) -> [u8; BODY_LEN] {
        let mut b = [0; BODY_LEN];
        put(&mut b, Self::PX, self.price_e9.e9().to_le_bytes());
        put(&mut b, Self::ID, self.trade_id.get().to_le_bytes());
        put(&mut b, Self::QTY, self.qty.lots().to_le_bytes());
        put(&mut b, Self::RPT, self.rpt_seq.to_le_bytes());
        b[Self::AGGR] = self.aggressor.to_dbn();
        b[Self::ACTION] = self.action.to_dbn();
        b
    }

    #[inline]
    pub(super) fn decode(b: &[u8; BODY_LEN]) -> Self {
        TradeBody {
            price_e9: Price::from_e9(i64::from_le_bytes(get(b, Self::PX))),
            trade_id: TradeId(u64::from_le_bytes(get(b, Self::ID))),
            qty: Qty::from_lots(u32::from_le_bytes(get(b, Self::QTY))),
            rpt_seq: u32::from_le_bytes(get(b, Self::RPT)),
            aggressor: get_side(b, Self::AGGR),
            action: get_action(b, Self::ACTION),
        }
    }
}

/// A trading status change (kind [`EventKind::Status`]): the normalized state plus
/// the venue's own codes, kept raw because they do not map one-to-one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(C)]
pub struct StatusBody {
    /// The venue's status code (CME `SecurityTradingStatus`, ICE market state).
    pub venue_status: u16,
    /// The venue's halt reason (CME `HaltReason`), 0 where none.
    pub halt_reason: u16,
    /// The venue's trading event (CME `SecurityTradingEvent`), 0 where none.
    pub trading_event: u16,
    /// The normalized state.
    pub state: TradingState,
}

impl StatusBody {
    const STATUS: usize = offset_of!(StatusBody, venue_status);
    const HALT: usize = offset_of!(StatusBody, halt_reason);
    const EVENT: usize = offset_of!(StatusBody, trading_event);
    const STATE: usize = offset_of!(StatusBody, state);

    #[inline]
    pub(super) fn encode(&self) -> [u8; BODY_LEN] {
        let mut b = [0; BODY_LEN];
        put(&mut b, Self::STATUS, self.venue_status.to_le_bytes());
        put(&mut b, Self::HALT, self.halt_reason.to_le_bytes());
        put(&mut b, Self::EVENT, self.trading_event.to_le_bytes());
        b[Self::STATE] = self.state as u8;
        b
    }

    #[inline]
    pub(super) fn decode(b: &[u8; BODY_LEN]) -> Self {
        StatusBody {
            venue_status: u16::from_le_bytes(get(b, Self::STATUS)),
            halt_reason: u16::from_le_bytes(get(b, Self::HALT)),
            trading_event: u16::from_le_bytes(get(b, Self::EVENT)),
            state: TradingState::from_u8(b[Self::STATE]),
        }
    }
}

/// Missing venue sequence numbers (kind [`EventKind::Gap`]).
///
/// Sent once per detected gap, usually with [`InstrumentId::NONE`](crate::types::InstrumentId::NONE) in the header
/// (a channel's packet sequence covers many instruments). Until the matching
/// [`RecoveredBody`], affected instruments' events carry
/// [`EventFlags::MAYBE_BAD_BOOK`](super::EventFlags::MAYBE_BAD_BOOK).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(C)]
pub struct GapBody {
    /// First missing sequence number (full 64 bits; the header has only the low 32).
    pub first_seq: u64,
    /// Last missing sequence number, inclusive.
    pub last_seq: u64,
    /// The venue channel (CME channel id, ICE multicast group) the gap is on.
    pub channel: u32,
    /// How many instruments' books are now suspect (0 if unknown).
    pub instruments_suspect: u32,
}

impl GapBody {
    const FIRST: usize = offset_of!(GapBody, first_seq);
    const LAST: usize = offset_of!(GapBody, last_seq);
    const CHANNEL: usize = offset_of!(GapBody, channel);
    const SUSPECT: usize = offset_of!(GapBody, instruments_suspect);

    #[inline]
    pub(super) fn encode(&self) -> [u8; BODY_LEN] {
        let mut b = [0; BODY_LEN];
        put(&mut b, Self::FIRST, self.first_seq.to_le_bytes());
        put(&mut b, Self::LAST, self.last_seq.to_le_bytes());
        put(&mut b, Self::CHANNEL, self.channel.to_le_bytes());
        put(
            &mut b,
            Self::SUSPECT,
            self.instruments_suspect.to_le_bytes(),
        );
        b
    }

    #[inline]
    pub(super) fn decode(b: &[u8; BODY_LEN]) -> Self {
        GapBody {
            first_seq: u64::from_le_bytes(get(b, Self::FIRST)),
            last_seq: u64::from_le_bytes(get(b, Self::LAST)),
            channel: u32::from_le_bytes(get(b, Self::CHANNEL)),
            instruments_suspect: u32::from_le_bytes(get(b, Self::SUSPECT)),
        }
    }
}

/// A gap was closed (kind [`EventKind::Recovered`]); books on the channel are good
/// again from this event on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(C)]
pub struct RecoveredBody {
    /// First sequence number of the recovered range.
    pub first_seq: u64,
    /// Last sequence number of the recovered range, inclusive.
    pub last_seq: u64,
    /// The venue channel.
    pub channel: u32,
    /// How it was recovered.
    pub method: RecoveryMethod,
}

impl RecoveredBody {
    const FIRST: usize = offset_of!(RecoveredBody, first_seq);
    const LAST: usize = offset_of!(RecoveredBody, last_seq);
    const CHANNEL: usize = offset_of!(RecoveredBody, channel);
    const METHOD: usize = offset_of!(RecoveredBody, method);

    #[inline]
    pub(super) fn encode(&self) -> [u8; BODY_LEN] {
        let mut b = [0; BODY_LEN];
        put(&mut b, Self::FIRST, self.first_seq.to_le_bytes());
        put(&mut b, Self::LAST, self.last_seq.to_le_bytes());
        put(&mut b, Self::CHANNEL, self.channel.to_le_bytes());
        b[Self::METHOD] = self.method as u8;
        b
    }

    #[inline]
    pub(super) fn decode(b: &[u8; BODY_LEN]) -> Self {
        RecoveredBody {
            first_seq: u64::from_le_bytes(get(b, Self::FIRST)),
            last_seq: u64::from_le_bytes(get(b, Self::LAST)),
            channel: u32::from_le_bytes(get(b, Self::CHANNEL)),
            method: RecoveryMethod::from_u8(b[Self::METHOD]),
        }
    }
}

/// The book was cleared (kind [`EventKind::Clear`]): every level of `side` (both
/// when [`Side::None`]) is gone. With [`InstrumentId::NONE`](crate::types::InstrumentId::NONE) in the header, every
/// instrument of `channel` is cleared (a channel reset).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(C)]
pub struct ClearBody {
    /// The venue channel.
    pub channel: u32,
    /// The venue's per-instrument sequence (CME `RptSeq`), 0 where none.
    pub rpt_seq: u32,
    /// The side cleared, [`Side::None`] for both.
    pub side: Side,
}

impl ClearBody {
    const CHANNEL: usize = offset_of!(ClearBody, channel);
    const RPT: usize = offset_of!(ClearBody, rpt_seq);
    const SIDE: usize = offset_of!(ClearBody, side);

    #[inline]
    pub(super) fn encode(&self) -> [u8; BODY_LEN] {
        let mut b = [0; BODY_LEN];
        put(&mut b, Self::CHANNEL, self.channel.to_le_bytes());
        put(&mut b, Self::RPT, self.rpt_seq.to_le_bytes());
        b[Self::SIDE] = self.side.to_dbn();
        b
    }

    #[inline]
    pub(super) fn decode(b: &[u8; BODY_LEN]) -> Self {
        ClearBody {
            channel: u32::from_le_bytes(get(b, Self::CHANNEL)),
            rpt_seq: u32::from_le_bytes(get(b, Self::RPT)),
            side: get_side(b, Self::SIDE),
        }
    }
}

/// Any event body, typed: what [`Event::new`](super::Event::new) takes and [`Event::body`](super::Event::body) returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Body {
    /// Best bid and ask.
    Quote(QuoteBody),
    /// A trade.
    Trade(TradeBody),
    /// A level's new state.
    Level(LevelBody),
    /// An order's new state.
    Order(OrderBody),
    /// A book clear.
    Clear(ClearBody),
    /// A status change.
    Status(StatusBody),
    /// A sequence gap.
    Gap(GapBody),
    /// A recovered gap.
    Recovered(RecoveredBody),
    /// A statistic's new value.
    Stat(StatBody),
}

impl Body {
    /// The event kind this body belongs to.
    #[inline]
    pub const fn kind(&self) -> EventKind {
        match self {
            Body::Quote(_) => EventKind::Quote,
            Body::Trade(_) => EventKind::Trade,
            Body::Level(_) => EventKind::Level,
            Body::Order(_) => EventKind::Order,
            Body::Clear(_) => EventKind::Clear,
            Body::Status(_) => EventKind::Status,
            Body::Gap(_) => EventKind::Gap,
            Body::Recovered(_) => EventKind::Recovered,
            Body::Stat(_) => EventKind::Stat,
        }
    }

    #[inline]
    pub(super) fn encode(&self) -> [u8; BODY_LEN] {
        match self {
            Body::Quote(b) => b.encode(),
            Body::Trade(b) => b.encode(),
            Body::Level(b) => b.encode(),
            Body::Order(b) => b.encode(),
            Body::Clear(b) => b.encode(),
            Body::Status(b) => b.encode(),
            Body::Gap(b) => b.encode(),
            Body::Recovered(b) => b.encode(),
            Body::Stat(b) => b.encode(),
        }
    }
}

macro_rules! body_from {
    ($($ty:ident => $variant:ident),* $(,)?) => {$(
        impl From<$ty> for Body {
            #[inline]
            fn from(body: $ty) -> Body {
                Body::$variant(body)
            }
        }
    )*};
}

body_from!(
    QuoteBody => Quote,
    TradeBody => Trade,
    LevelBody => Level,
    OrderBody => Order,
    ClearBody => Clear,
    StatusBody => Status,
    GapBody => Gap,
    RecoveredBody => Recovered,
    StatBody => Stat,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_offsets() {
        // Level: px, qty, count, rpt_seq, level, side, action.
        assert_eq!(
            [
                LevelBody::PX,
                LevelBody::QTY,
                LevelBody::COUNT,
                LevelBody::RPT
            ],
            [0, 8, 12, 16]
        );
        assert_eq!(
            [LevelBody::LEVEL, LevelBody::SIDE, LevelBody::ACTION],
            [20, 21, 22]
        );
        assert_eq!(
            [
                OrderBody::ID,
                OrderBody::PX,
                OrderBody::PRIO,
                OrderBody::QTY
            ],
            [0, 8, 16, 24]
        );
        assert_eq!([OrderBody::SIDE, OrderBody::ACTION], [28, 29]);
        assert_eq!(
            [
                QuoteBody::BID_PX,
                QuoteBody::ASK_PX,
                QuoteBody::BID_QTY,
                QuoteBody::ASK_QTY
            ],
            [0, 8, 16, 20]
        );
        assert_eq!([QuoteBody::BID_CT, QuoteBody::ASK_CT], [24, 28]);
        assert_eq!(
            [
                TradeBody::PX,
                TradeBody::ID,
                TradeBody::QTY,
                TradeBody::RPT,
                TradeBody::AGGR,
                TradeBody::ACTION
            ],
            [0, 8, 16, 20, 24, 25]
        );
        assert_eq!(
            [
                StatusBody::STATUS,
                StatusBody::HALT,
                StatusBody::EVENT,
                StatusBody::STATE
            ],
            [0, 2, 4, 6]
        );
        assert_eq!(
            [
                GapBody::FIRST,
                GapBody::LAST,
                GapBody::CHANNEL,
                GapBody::SUSPECT
            ],
            [0, 8, 16, 20]
        );
        assert_eq!(
            [
                RecoveredBody::FIRST,
                RecoveredBody::LAST,
                RecoveredBody::CHANNEL,
                RecoveredBody::METHOD
            ],
            [0, 8, 16, 20]
        );
        assert_eq!(
            [ClearBody::CHANNEL, ClearBody::RPT, ClearBody::SIDE],
            [0, 4, 8]
        );
    }

    #[test]
    fn body_bytes_are_little_endian_at_struct_offsets() {
        let level = LevelBody {
            price_e9: Price::from_e9(2_285_000_000),
            qty: Qty::from_lots(40),
            order_count: 3,
            rpt_seq: 1_234_567,
            level: 1,
            side: Side::Bid,
            action: Action::Modify,
        };
        let b = level.encode();
        assert_eq!(LevelBody::decode(&b), level);
        assert_eq!(b[0..8], 2_285_000_000i64.to_le_bytes());
        assert_eq!(b[8..12], 40u32.to_le_bytes());
        assert_eq!(b[12..16], 3u32.to_le_bytes());
        assert_eq!(b[16..20], 1_234_567u32.to_le_bytes());
        assert_eq!(&b[20..23], &[1, b'B', b'M']);
        assert!(b[23..].iter().all(|&x| x == 0), "padding not zeroed");
    }
}
