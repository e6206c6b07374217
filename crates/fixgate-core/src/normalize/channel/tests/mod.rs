//! The normalizer end to end: events, flags, quotes, LAST, errors; resets,
//! definitions and spills in `lifecycle.rs`.

use super::*;
use crate::event::{Action, Body, Event, EventKind, StatType, TradingState};
use crate::normalize::book::{MbpAction, MbpOp, OrderAction, OrderOp};
use crate::normalize::registry::{DefinitionAction, InstrumentDef};
use crate::normalize::stats::{StatAction, StatUpdate};
use crate::normalize::status::{StatusScope, StatusUpdate};
use crate::normalize::text::Text;
use crate::normalize::trade::{TradeAction, TradeUpdate};
use crate::types::{OrderId, Price, Qty, Side, TradeId};

const ES: InstrumentId = InstrumentId(11);
const NQ: InstrumentId = InstrumentId(12);

fn px(units: i64) -> Price {
    Price::from_e9(units * 1_000_000_000)
}

fn def(id: InstrumentId, group: &str) -> InstrumentDef {
    let mut d = InstrumentDef::new(id, Text::new(b"SYM").unwrap());
    d.security_group = Text::new(group.as_bytes()).unwrap();
    d.depth = BookDepth {
        outright: 3,
        implied: 2,
    };
    d
}

fn normalizer(batch_capacity: usize) -> Normalizer<Vec<Event>> {
    let mut n = Normalizer::new(
        NormalizerConfig {
            venue: VenueId::CME,
            channel: 310,
            max_instruments: 4,
            max_depth: BookDepth {
                outright: 10,
                implied: 2,
            },
            max_orders: 16,
            batch_capacity,
        },
        Vec::new(),
    );
    n.begin_message(stamp(1));
    n.handle_definition(DefinitionAction::Add, &def(ES, "ES"))
        .unwrap();
    n.handle_definition(DefinitionAction::Add, &def(NQ, "NQ"))
        .unwrap();
    n.end_message(true);
    assert!(n.sink().is_empty(), "new instruments publish nothing");
    n
}

fn stamp(seq: u32) -> MessageStamp {
    MessageStamp {
        ts_recv_ns: UtcNanos::from_nanos(2_000 + u64::from(seq)),
        ts_event_ns: UtcNanos::from_nanos(1_000 + u64::from(seq)),
        ts_in_delta_ns: 5,
        sequence: seq,
        flags: EventFlags::empty(),
    }
}

fn level(
    id: InstrumentId,
    book: BookKind,
    side: Side,
    action: MbpAction,
    l: u8,
    p: i64,
    q: u32,
) -> LevelUpdate {
    LevelUpdate {
        instrument: id,
        book,
        rpt_seq: 7,
        op: MbpOp {
            side,
            action,
            level: l,
            price_e9: px(p),
            qty: Qty::from_lots(q),
            order_count: 1,
        },
    }
}

fn out(side: Side, action: MbpAction, l: u8, p: i64, q: u32) -> LevelUpdate {
    level(ES, BookKind::Outright, side, action, l, p, q)
}

/// Drains the sink.
fn take(n: &mut Normalizer<Vec<Event>>) -> Vec<Event> {
    std::mem::take(n.sink_mut())
}

fn lasts(events: &[Event]) -> Vec<bool> {
    events
        .iter()
        .map(|e| e.flags().contains(EventFlags::LAST))
        .collect()
}

fn kinds(events: &[Event]) -> Vec<EventKind> {
    events.iter().map(Event::kind).collect()
}

mod lifecycle;

#[test]
fn level_events_carry_state_and_last_only_at_the_event_end() {
    let mut n = normalizer(64);
    n.begin_message(stamp(10));
    n.handle_level(&out(Side::Bid, MbpAction::New, 1, 100, 5))
        .unwrap();
    n.handle_level(&out(Side::Ask, MbpAction::New, 1, 101, 6))
        .unwrap();
    n.end_message(false);
    assert!(n.sink().is_empty(), "published only at the event end");
    assert!(n.in_event());
    n.begin_message(stamp(11));
    n.handle_level(&out(Side::Bid, MbpAction::Change, 1, 100, 9))
        .unwrap();
    n.end_message(true);
    assert!(!n.in_event());
    let ev = take(&mut n);
    assert_eq!(
        kinds(&ev),
        [
            EventKind::Level,
            EventKind::Level,
            EventKind::Level,
            EventKind::Quote
        ]
    );
    assert_eq!(lasts(&ev), [false, false, false, true]);
    let l = ev[2].level().unwrap();
    assert_eq!(
        (l.qty, l.action, l.level, l.rpt_seq),
        (Qty::from_lots(9), Action::Modify, 1, 7)
    );
    assert_eq!(ev[0].sequence(), 10);
    assert_eq!(ev[2].sequence(), 11);
    assert_eq!(ev[2].ts_event_ns(), UtcNanos::from_nanos(1_011));
    assert!(ev[0].flags().contains(EventFlags::MBP));
    let q = ev[3].quote().unwrap();
    assert_eq!(
        (q.bid_px_e9, q.bid_qty, q.ask_px_e9, q.ask_qty),
        (px(100), Qty::from_lots(9), px(101), Qty::from_lots(6))
    );
    assert!(ev[3].flags().contains(EventFlags::TOB | EventFlags::MBP));
    assert_eq!(ev[3].instrument(), ES);
    assert_eq!(n.published_quote(ES), Some(q));
}

#[test]
fn quotes_only_when_the_best_level_changed() {
    let mut n = normalizer(64);
    n.begin_message(stamp(1));
    n.handle_level(&out(Side::Bid, MbpAction::New, 1, 100, 5))
        .unwrap();
    n.end_message(true);
    take(&mut n);
    // A second level: the top is unchanged.
    n.begin_message(stamp(2));
    n.handle_level(&out(Side::Bid, MbpAction::New, 2, 99, 5))
        .unwrap();
    n.end_message(true);
    assert_eq!(kinds(&take(&mut n)), [EventKind::Level]);
    // Changed and changed back within one event: no quote either.
    n.begin_message(stamp(3));
    n.handle_level(&out(Side::Bid, MbpAction::Change, 1, 100, 8))
        .unwrap();
    n.handle_level(&out(Side::Bid, MbpAction::Change, 1, 100, 5))
        .unwrap();
    n.end_message(true);
    assert_eq!(kinds(&take(&mut n)), [EventKind::Level, EventKind::Level]);
    // An end of event with nothing in it publishes nothing.
    n.begin_message(stamp(4));
    n.end_message(true);
    assert!(n.sink().is_empty());
    assert_eq!(n.counters().venue_events, 5);
}

#[test]
fn implied_book_is_kept_apart_and_consolidated_in_the_quote() {
    let mut n = normalizer(64);
    n.begin_message(stamp(1));
    n.handle_level(&out(Side::Bid, MbpAction::New, 1, 100, 5))
        .unwrap();
    n.handle_level(&level(
        ES,
        BookKind::Implied,
        Side::Bid,
        MbpAction::New,
        1,
        100,
        3,
    ))
    .unwrap();
    n.handle_level(&level(
        ES,
        BookKind::Implied,
        Side::Ask,
        MbpAction::New,
        1,
        102,
        4,
    ))
    .unwrap();
    n.handle_level(&out(Side::Ask, MbpAction::New, 1, 103, 1))
        .unwrap();
    n.end_message(true);
    let ev = take(&mut n);
    let implied: Vec<bool> = ev
        .iter()
        .map(|e| e.flags().contains(EventFlags::IMPLIED))
        .collect();
    assert_eq!(implied, [false, true, true, false, false]);
    let outright = n.mbp(ES, BookKind::Outright).unwrap();
    let implied = n.mbp(ES, BookKind::Implied).unwrap();
    assert_eq!(outright.bids().levels().len(), 1);
    assert_eq!(implied.bids().levels()[0].qty, Qty::from_lots(3));
    assert_eq!(outright.asks().best().unwrap().price_e9, px(103));
    assert_eq!(implied.asks().best().unwrap().price_e9, px(102));
    // Bids at the same price sum; the implied ask is better than the outright one.
    let q = ev[4].quote().unwrap();
    assert_eq!(
        (q.bid_px_e9, q.bid_qty, q.bid_count),
        (px(100), Qty::from_lots(8), 2)
    );
    assert_eq!((q.ask_px_e9, q.ask_qty), (px(102), Qty::from_lots(4)));
    // Implied depth is 2: a third implied level is refused, the outright book
    // (depth 3) takes it.
    n.begin_message(stamp(2));
    n.handle_level(&level(
        ES,
        BookKind::Implied,
        Side::Bid,
        MbpAction::New,
        2,
        99,
        1,
    ))
    .unwrap();
    let third = level(ES, BookKind::Implied, Side::Bid, MbpAction::New, 3, 98, 1);
    assert!(matches!(
        n.handle_level(&third),
        Err(NormalizeError::Book {
            book: BookKind::Implied,
            ..
        })
    ));
    n.handle_level(&out(Side::Bid, MbpAction::New, 2, 98, 1))
        .unwrap();
    n.handle_level(&out(Side::Bid, MbpAction::New, 3, 97, 1))
        .unwrap();
    n.end_message(true);
    assert!(n.mbp(ES, BookKind::Implied).unwrap().is_suspect());
    assert!(!n.mbp(ES, BookKind::Outright).unwrap().is_suspect());
}

#[test]
fn refused_updates_are_counted_and_flag_later_events() {
    let mut n = normalizer(64);
    n.begin_message(stamp(1));
    let unknown = level(
        InstrumentId(99),
        BookKind::Outright,
        Side::Bid,
        MbpAction::New,
        1,
        1,
        1,
    );
    assert_eq!(
        n.handle_level(&unknown),
        Err(NormalizeError::UnknownInstrument {
            id: InstrumentId(99)
        })
    );
    let bad = out(Side::Bid, MbpAction::Delete, 1, 100, 0);
    assert!(matches!(
        n.handle_level(&bad),
        Err(NormalizeError::Book { .. })
    ));
    n.handle_level(&out(Side::Bid, MbpAction::New, 1, 100, 5))
        .unwrap();
    n.end_message(true);
    let ev = take(&mut n);
    assert!(ev
        .iter()
        .all(|e| e.flags().contains(EventFlags::MAYBE_BAD_BOOK)));
    let c = n.counters();
    assert_eq!((c.unknown_instrument, c.book_refused), (1, 1));
    n.mark_good(ES).unwrap();
    n.begin_message(stamp(2));
    n.handle_level(&out(Side::Bid, MbpAction::Change, 1, 100, 6))
        .unwrap();
    n.end_message(true);
    assert!(take(&mut n)
        .iter()
        .all(|e| !e.flags().contains(EventFlags::MAYBE_BAD_BOOK)));
    n.mark_suspect(NQ).unwrap();
    assert_eq!(n.mbo_suspect(NQ), Some(true));
    assert!(n.mark_good(InstrumentId(99)).is_err());
}

#[test]
fn trades_never_change_a_book_and_busts_are_cancel_trades() {
    let mut n = normalizer(64);
    n.begin_message(stamp(1));
    n.handle_level(&out(Side::Ask, MbpAction::New, 1, 101, 5))
        .unwrap();
    n.end_message(true);
    take(&mut n);
    let before = n.mbp(ES, BookKind::Outright).unwrap().clone();
    let trade = TradeUpdate {
        instrument: ES,
        action: TradeAction::Trade,
        price_e9: px(101),
        qty: Qty::from_lots(2),
        trade_id: TradeId(555),
        aggressor: Side::Bid,
        rpt_seq: 8,
    };
    n.begin_message(stamp(2));
    n.handle_trade(&trade).unwrap();
    n.handle_trade(&TradeUpdate {
        action: TradeAction::Bust,
        ..trade
    })
    .unwrap();
    n.end_message(true);
    let ev = take(&mut n);
    assert_eq!(
        kinds(&ev),
        [EventKind::Trade, EventKind::Trade],
        "no quote: no book change"
    );
    let (t, b) = (ev[0].trade().unwrap(), ev[1].trade().unwrap());
    assert_eq!(
        (t.action, t.trade_id, t.aggressor),
        (Action::Trade, TradeId(555), Side::Bid)
    );
    assert_eq!((b.action, b.trade_id), (Action::Cancel, TradeId(555)));
    assert_eq!(n.mbp(ES, BookKind::Outright).unwrap(), &before);
    assert_eq!(n.counters().busts, 1);
    let no_id = TradeUpdate {
        action: TradeAction::Bust,
        trade_id: TradeId(0),
        ..trade
    };
    assert!(matches!(
        n.handle_trade(&no_id),
        Err(NormalizeError::Trade(_))
    ));
}

#[test]
fn orders_publish_their_state() {
    let mut n = normalizer(64);
    let order = OrderOp {
        instrument: ES,
        order_id: OrderId(42),
        side: Side::Bid,
        price_e9: px(100),
        qty: Qty::from_lots(3),
        priority: 9,
        action: OrderAction::New,
    };
    n.begin_message(stamp(1));
    n.handle_order(&order).unwrap();
    n.handle_order(&OrderOp {
        qty: Qty::from_lots(1),
        action: OrderAction::Update,
        ..order
    })
    .unwrap();
    n.handle_order(&OrderOp {
        action: OrderAction::Delete,
        ..order
    })
    .unwrap();
    let ghost = OrderOp {
        order_id: OrderId(43),
        action: OrderAction::Delete,
        ..order
    };
    assert!(matches!(
        n.handle_order(&ghost),
        Err(NormalizeError::Order(_))
    ));
    n.end_message(true);
    let ev = take(&mut n);
    let orders: Vec<(Action, u32)> = ev
        .iter()
        .map(|e| e.order().unwrap())
        .map(|o| (o.action, o.qty.lots()))
        .collect();
    assert_eq!(
        orders,
        [(Action::Add, 3), (Action::Modify, 1), (Action::Cancel, 0)]
    );
    assert!(!ev[0].flags().contains(EventFlags::MBP));
    assert_eq!(n.counters().orders_unknown, 1);
    assert_eq!(n.mbo_suspect(ES), Some(true));
}

#[test]
fn statistics_and_status() {
    let mut n = normalizer(64);
    let settle = StatUpdate {
        instrument: ES,
        stat: StatType::SettlementPrice,
        action: StatAction::Set,
        price_e9: px(100),
        qty: Qty::NULL,
        venue_flags: 1,
        rpt_seq: 3,
    };
    n.begin_message(stamp(1));
    n.handle_stat(&settle).unwrap();
    n.handle_stat(&StatUpdate {
        stat: StatType::OpenInterest,
        qty: Qty::from_lots(77),
        price_e9: Price::NULL,
        ..settle
    })
    .unwrap();
    // A group-wide halt that also resets statistics: ES only (NQ is another group).
    let halt = StatusUpdate {
        scope: StatusScope::Group {
            security_group: Text::new(b"ES").unwrap(),
            asset: Text::EMPTY,
        },
        state: Some(TradingState::Halted),
        venue_status: 2,
        halt_reason: 1,
        trading_event: 4,
        reset_statistics: true,
    };
    n.handle_status(&halt).unwrap();
    n.end_message(true);
    let ev = take(&mut n);
    assert_eq!(
        kinds(&ev),
        [
            EventKind::Stat,
            EventKind::Stat,
            EventKind::Status,
            EventKind::Stat,
            EventKind::Stat
        ]
    );
    let st = ev[2].status().unwrap();
    assert_eq!(
        (st.state, st.venue_status, st.halt_reason),
        (TradingState::Halted, 2, 1)
    );
    assert!(ev[3..]
        .iter()
        .all(|e| e.stat().unwrap().action == Action::Cancel));
    assert_eq!(
        n.registry().get(ES).unwrap().trading_state,
        TradingState::Halted
    );
    assert_eq!(
        n.registry().get(NQ).unwrap().trading_state,
        TradingState::Unknown
    );
    assert_eq!(n.stats(ES).unwrap().iter().count(), 0);
    // "No change" keeps the state.
    n.begin_message(stamp(2));
    n.handle_status(&StatusUpdate {
        scope: StatusScope::Instrument(ES),
        state: None,
        reset_statistics: false,
        ..halt
    })
    .unwrap();
    n.end_message(true);
    assert_eq!(
        take(&mut n)[0].status().unwrap().state,
        TradingState::Halted
    );
    let bad = StatUpdate {
        price_e9: Price::NULL,
        ..settle
    };
    assert!(matches!(n.handle_stat(&bad), Err(NormalizeError::Stat(_))));
    assert!(n
        .handle_status(&StatusUpdate {
            scope: StatusScope::Instrument(InstrumentId(5)),
            ..halt
        })
        .is_err());
}
