//! The normalized 64-byte market-data event.
//!
//! Every venue decoder's output is normalized into [`Event`]s, which go through the
//! broadcast ring to strategies, the recorder and the board. One event is one cache
//! line, `Copy`, with DBN's conventions (prices in 1e-9 units, UTC nanosecond
//! times, DBN side and action characters):
//!
//! | offset | size | field | accessor |
//! |---:|---:|---|---|
//! | 0 | 1 | kind | [`Event::kind`] |
//! | 1 | 1 | flags | [`Event::flags`] |
//! | 2 | 2 | venue | [`Event::venue`] |
//! | 4 | 4 | instrument id | [`Event::instrument`] |
//! | 8 | 8 | receive time, UTC ns | [`Event::ts_recv_ns`] |
//! | 16 | 8 | venue event time, UTC ns | [`Event::ts_event_ns`] |
//! | 24 | 4 | venue send time − event time, ns (i32) | [`Event::ts_in_delta_ns`] |
//! | 28 | 4 | venue sequence, low 32 bits | [`Event::sequence`] |
//! | 32 | 32 | body, by kind | [`Event::body`], [`Event::level`], ... |
//!
//! The body is one of the `*Body` structs, each `#[repr(C)]`, at most 32 bytes,
//! stored little-endian at its own `repr(C)` field offsets (so the bytes equal the
//! struct's memory image on a little-endian machine, padding zeroed). fixgate-core
//! forbids `unsafe_code`, so the body is kept as bytes and the typed accessors encode and
//! decode it field by field; they are `#[inline]` and compile to plain loads and
//! stores.
//!
//! Book events ([`LevelBody`], [`OrderBody`]) carry the resulting state of the level
//! or order, not a delta: a level event says "the bid at 228.50 now has 40 lots in
//! 3 orders", never "+5 lots". Consumers can therefore apply an event twice, or start
//! from the board and apply later events, and still get the right book. Instrument
//! definitions are not carried here; they live in the instrument registry.
//!
//! Files: this one holds [`Event`] and its header; `kind.rs` the kind, flags and
//! the small enums stored in bodies; `body.rs` the bodies and their encoding;
//! `stat.rs` the statistics body and its [`StatType`].

mod body;
mod kind;
mod stat;

use std::fmt;

pub use body::{
    Body, ClearBody, GapBody, LevelBody, OrderBody, QuoteBody, RecoveredBody, StatusBody, TradeBody,
};
pub use kind::{Action, EventFlags, EventKind, RecoveryMethod, TradingState};
pub use stat::{StatBody, StatType};

use crate::time::UtcNanos;
use crate::types::{InstrumentId, VenueId};

/// The size of an event body in bytes.
pub const BODY_LEN: usize = 32;

/// The header fields of an event, for building one with [`Event::new`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct EventHeader {
    /// Flag bits.
    pub flags: EventFlags,
    /// Where the event comes from.
    pub venue: VenueId,
    /// The instrument ([`InstrumentId::NONE`] for channel-wide events).
    pub instrument: InstrumentId,
    /// When fixgate received the packet (UTC; see [`EventFlags::BAD_TS_RECV`]).
    pub ts_recv_ns: UtcNanos,
    /// The venue's time of the event (UTC, the venue's clock).
    pub ts_event_ns: UtcNanos,
    /// Venue send time minus event time in ns (0 where unknown or out of range).
    pub ts_in_delta_ns: i32,
    /// The venue's sequence number, low 32 bits (packet or message sequence).
    pub sequence: u32,
}

/// A normalized market-data event: one 64-byte cache line (layout in the
/// [module docs](self)).
///
/// Build one with [`Event::new`] from an [`EventHeader`] and a body; read the body
/// with [`Event::body`] (a `match`-able [`Body`]) or a typed accessor such as
/// [`Event::level`] (`None` when the event is of another kind). The kind always
/// matches the body: both are set together and the fields are private.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[repr(C, align(64))]
pub struct Event {
    kind: EventKind,
    flags: EventFlags,
    venue: VenueId,
    instrument: InstrumentId,
    ts_recv: UtcNanos,
    ts_event: UtcNanos,
    ts_in_delta: i32,
    sequence: u32,
    body: [u8; BODY_LEN],
}

// The ring and the board copy events as words: `Event` is a `RingPayload`
// (checked: every field listed, no padding).
fixgate_ring::ring_payload!(
    struct Event {
        kind: EventKind,
        flags: EventFlags,
        venue: VenueId,
        instrument: InstrumentId,
        ts_recv: UtcNanos,
        ts_event: UtcNanos,
        ts_in_delta: i32,
        sequence: u32,
        body: [u8; BODY_LEN],
    }
);
const _: () = assert!(std::mem::size_of::<Event>() == 64);
const _: () = assert!(std::mem::align_of::<Event>() == 64);
const _: () = assert!(std::mem::size_of::<LevelBody>() <= BODY_LEN);
const _: () = assert!(std::mem::size_of::<OrderBody>() <= BODY_LEN);
const _: () = assert!(std::mem::size_of::<QuoteBody>() <= BODY_LEN);
const _: () = assert!(std::mem::size_of::<TradeBody>() <= BODY_LEN);
const _: () = assert!(std::mem::size_of::<StatusBody>() <= BODY_LEN);
const _: () = assert!(std::mem::size_of::<GapBody>() <= BODY_LEN);
const _: () = assert!(std::mem::size_of::<RecoveredBody>() <= BODY_LEN);
const _: () = assert!(std::mem::size_of::<ClearBody>() <= BODY_LEN);
const _: () = assert!(std::mem::size_of::<StatBody>() <= BODY_LEN);

impl Event {
    /// An event of `body`'s kind with the given header.
    #[inline]
    pub fn new(header: EventHeader, body: impl Into<Body>) -> Event {
        let body = body.into();
        Event {
            kind: body.kind(),
            flags: header.flags,
            venue: header.venue,
            instrument: header.instrument,
            ts_recv: header.ts_recv_ns,
            ts_event: header.ts_event_ns,
            ts_in_delta: header.ts_in_delta_ns,
            sequence: header.sequence,
            body: body.encode(),
        }
    }

    /// The header fields.
    #[inline]
    pub fn header(&self) -> EventHeader {
        EventHeader {
            flags: self.flags,
            venue: self.venue,
            instrument: self.instrument,
            ts_recv_ns: self.ts_recv,
            ts_event_ns: self.ts_event,
            ts_in_delta_ns: self.ts_in_delta,
            sequence: self.sequence,
        }
    }

    /// What the event is.
    #[inline]
    pub fn kind(&self) -> EventKind {
        self.kind
    }

    /// The flag bits.
    #[inline]
    pub fn flags(&self) -> EventFlags {
        self.flags
    }

    /// Replaces the flag bits (the normalizer sets `LAST` once it knows the message
    /// ended, `MAYBE_BAD_BOOK` while a gap is open).
    #[inline]
    pub fn set_flags(&mut self, flags: EventFlags) {
        self.flags = flags;
    }

    /// Where the event comes from.
    #[inline]
    pub fn venue(&self) -> VenueId {
        self.venue
    }

    /// The instrument ([`InstrumentId::NONE`] for channel-wide events).
    #[inline]
    pub fn instrument(&self) -> InstrumentId {
        self.instrument
    }

    /// When fixgate received the packet, UTC.
    #[inline]
    pub fn ts_recv_ns(&self) -> UtcNanos {
        self.ts_recv
    }

    /// The venue's time of the event, UTC (venue clock).
    #[inline]
    pub fn ts_event_ns(&self) -> UtcNanos {
        self.ts_event
    }

    /// Venue send time minus event time, in ns (0 where unknown).
    #[inline]
    pub fn ts_in_delta_ns(&self) -> i32 {
        self.ts_in_delta
    }

    /// The venue's sequence number, low 32 bits.
    #[inline]
    pub fn sequence(&self) -> u32 {
        self.sequence
    }

    /// The raw body bytes (the body struct's little-endian image, padding zeroed),
    /// for recorders and hashing.
    #[inline]
    pub fn body_bytes(&self) -> &[u8; BODY_LEN] {
        &self.body
    }

    /// The typed body.
    #[inline]
    pub fn body(&self) -> Body {
        let b = &self.body;
        match self.kind {
            EventKind::Quote => Body::Quote(QuoteBody::decode(b)),
            EventKind::Trade => Body::Trade(TradeBody::decode(b)),
            EventKind::Level => Body::Level(LevelBody::decode(b)),
            EventKind::Order => Body::Order(OrderBody::decode(b)),
            EventKind::Clear => Body::Clear(ClearBody::decode(b)),
            EventKind::Status => Body::Status(StatusBody::decode(b)),
            EventKind::Gap => Body::Gap(GapBody::decode(b)),
            EventKind::Recovered => Body::Recovered(RecoveredBody::decode(b)),
            EventKind::Stat => Body::Stat(StatBody::decode(b)),
        }
    }

    /// The quote body, if this is a quote.
    #[inline]
    pub fn quote(&self) -> Option<QuoteBody> {
        (self.kind == EventKind::Quote).then(|| QuoteBody::decode(&self.body))
    }

    /// The trade body, if this is a trade.
    #[inline]
    pub fn trade(&self) -> Option<TradeBody> {
        (self.kind == EventKind::Trade).then(|| TradeBody::decode(&self.body))
    }

    /// The level body, if this is a level event.
    #[inline]
    pub fn level(&self) -> Option<LevelBody> {
        (self.kind == EventKind::Level).then(|| LevelBody::decode(&self.body))
    }

    /// The order body, if this is an order event.
    #[inline]
    pub fn order(&self) -> Option<OrderBody> {
        (self.kind == EventKind::Order).then(|| OrderBody::decode(&self.body))
    }

    /// The clear body, if this is a clear.
    #[inline]
    pub fn clear(&self) -> Option<ClearBody> {
        (self.kind == EventKind::Clear).then(|| ClearBody::decode(&self.body))
    }

    /// The status body, if this is a status event.
    #[inline]
    pub fn status(&self) -> Option<StatusBody> {
        (self.kind == EventKind::Status).then(|| StatusBody::decode(&self.body))
    }

    /// The gap body, if this is a gap.
    #[inline]
    pub fn gap(&self) -> Option<GapBody> {
        (self.kind == EventKind::Gap).then(|| GapBody::decode(&self.body))
    }

    /// The recovered body, if this is a recovery.
    #[inline]
    pub fn recovered(&self) -> Option<RecoveredBody> {
        (self.kind == EventKind::Recovered).then(|| RecoveredBody::decode(&self.body))
    }

    /// The statistics body, if this is a statistic.
    #[inline]
    pub fn stat(&self) -> Option<StatBody> {
        (self.kind == EventKind::Stat).then(|| StatBody::decode(&self.body))
    }
}

impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Event")
            .field("kind", &self.kind)
            .field("flags", &self.flags)
            .field("venue", &self.venue)
            .field("instrument", &self.instrument)
            .field("ts_recv", &format_args!("{}", self.ts_recv))
            .field("ts_event", &format_args!("{}", self.ts_event))
            .field("ts_in_delta_ns", &self.ts_in_delta)
            .field("sequence", &self.sequence)
            .field("body", &self.body())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::mem::{align_of, offset_of, size_of};

    use super::*;
    use crate::types::{OrderId, Price, Qty, Side, TradeId};

    fn header() -> EventHeader {
        EventHeader {
            flags: EventFlags::LAST | EventFlags::MBP,
            venue: VenueId::CME,
            instrument: InstrumentId(42),
            ts_recv_ns: UtcNanos::from_nanos(1_773_671_400_000_001_000),
            ts_event_ns: UtcNanos::from_nanos(1_773_671_400_000_000_000),
            ts_in_delta_ns: -125,
            sequence: 0xDEAD_BEEF,
        }
    }

    fn px(e9: i64) -> Price {
        Price::from_e9(e9)
    }

    fn every_body() -> [Body; 9] {
        [
            Body::Quote(QuoteBody {
                bid_px_e9: px(228_500_000_000),
                ask_px_e9: Price::NULL,
                bid_qty: Qty::from_lots(40),
                ask_qty: Qty::ZERO,
                bid_count: 3,
                ask_count: 0,
            }),
            Body::Trade(TradeBody {
                price_e9: px(-1),
                trade_id: TradeId(u64::MAX - 1),
                qty: Qty::from_lots(7),
                rpt_seq: 99,
                aggressor: Side::Ask,
                action: Action::Trade,
            }),
            Body::Level(LevelBody {
                price_e9: px(2_285_000_000),
                qty: Qty::from_lots(40),
                order_count: 3,
                rpt_seq: 1_234_567,
                level: 1,
                side: Side::Bid,
                action: Action::Modify,
            }),
            Body::Order(OrderBody {
                order_id: OrderId(0x0102_0304_0506_0708),
                price_e9: px(i64::MIN),
                priority: 55,
                qty: Qty::NULL,
                side: Side::Ask,
                action: Action::Cancel,
            }),
            Body::Clear(ClearBody {
                channel: 310,
                rpt_seq: 4,
                side: Side::None,
            }),
            Body::Status(StatusBody {
                venue_status: 17,
                halt_reason: 0xFFFF,
                trading_event: 4,
                state: TradingState::Halted,
            }),
            Body::Gap(GapBody {
                first_seq: (1 << 40) + 5,
                last_seq: (1 << 40) + 9,
                channel: 310,
                instruments_suspect: 12,
            }),
            Body::Recovered(RecoveredBody {
                first_seq: 5,
                last_seq: 9,
                channel: 310,
                method: RecoveryMethod::OtherLine,
            }),
            Body::Stat(StatBody {
                price_e9: px(2_290_000_000),
                qty: Qty::NULL,
                rpt_seq: 12,
                stat: StatType::SettlementPrice,
                action: Action::Add,
                venue_flags: 0b1,
            }),
        ]
    }

    #[test]
    fn size_and_alignment() {
        assert_eq!(size_of::<Event>(), 64);
        assert_eq!(align_of::<Event>(), 64);
        for size in [
            size_of::<LevelBody>(),
            size_of::<OrderBody>(),
            size_of::<QuoteBody>(),
            size_of::<TradeBody>(),
            size_of::<StatusBody>(),
            size_of::<GapBody>(),
            size_of::<RecoveredBody>(),
            size_of::<ClearBody>(),
            size_of::<StatBody>(),
        ] {
            assert!(size <= BODY_LEN, "body of {size} bytes");
        }
    }

    #[test]
    fn header_offsets_match_the_design_table() {
        assert_eq!(offset_of!(Event, kind), 0);
        assert_eq!(offset_of!(Event, flags), 1);
        assert_eq!(offset_of!(Event, venue), 2);
        assert_eq!(offset_of!(Event, instrument), 4);
        assert_eq!(offset_of!(Event, ts_recv), 8);
        assert_eq!(offset_of!(Event, ts_event), 16);
        assert_eq!(offset_of!(Event, ts_in_delta), 24);
        assert_eq!(offset_of!(Event, sequence), 28);
        assert_eq!(offset_of!(Event, body), 32);
        assert_eq!(size_of::<EventKind>(), 1);
        assert_eq!(size_of::<EventFlags>(), 1);
        assert_eq!(size_of::<VenueId>(), 2);
        assert_eq!(size_of::<InstrumentId>(), 4);
        assert_eq!(size_of::<UtcNanos>(), 8);
    }

    #[test]
    fn every_body_round_trips() {
        for body in every_body() {
            let ev = Event::new(header(), body);
            assert_eq!(ev.kind(), body.kind());
            assert_eq!(ev.body(), body);
            assert_eq!(ev.header(), header());
            let typed = [
                ev.quote().map(Body::from),
                ev.trade().map(Body::from),
                ev.level().map(Body::from),
                ev.order().map(Body::from),
                ev.clear().map(Body::from),
                ev.status().map(Body::from),
                ev.gap().map(Body::from),
                ev.recovered().map(Body::from),
                ev.stat().map(Body::from),
            ];
            let present: Vec<Body> = typed.into_iter().flatten().collect();
            assert_eq!(present, [body], "exactly one typed accessor answers");
            let copy = ev;
            assert_eq!(copy, ev);
        }
    }

    #[test]
    fn header_accessors() {
        let mut ev = Event::new(header(), every_body()[0]);
        assert_eq!(ev.venue(), VenueId::CME);
        assert_eq!(ev.instrument(), InstrumentId(42));
        assert_eq!(ev.ts_recv_ns().as_nanos(), 1_773_671_400_000_001_000);
        assert_eq!(ev.ts_event_ns().as_nanos(), 1_773_671_400_000_000_000);
        assert_eq!(ev.ts_in_delta_ns(), -125);
        assert_eq!(ev.sequence(), 0xDEAD_BEEF);
        assert!(ev.flags().contains(EventFlags::LAST));
        ev.set_flags(ev.flags() | EventFlags::MAYBE_BAD_BOOK);
        assert!(ev
            .flags()
            .contains(EventFlags::LAST | EventFlags::MAYBE_BAD_BOOK));
        assert_eq!(ev.flags().bits(), 0x80 | 0x10 | 0x04);
    }

    #[test]
    fn debug_shows_the_decoded_body() {
        let ev = Event::new(header(), every_body()[1]);
        let s = format!("{ev:?}");
        assert!(s.contains("kind: Trade"), "{s}");
        assert!(s.contains("aggressor: Ask"), "{s}");
        assert!(s.contains("2026-03-16T14:30:00.000001000Z"), "{s}");
    }
}
