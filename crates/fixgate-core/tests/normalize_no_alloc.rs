//! Normalization allocates nothing after construction: applying every kind of
//! update (each MBP action, implied levels, orders, trades and busts,
//! statistics, statuses, book and channel resets, definitions), refusing bad
//! ones (every error path, a full order book and registry), assembling events
//! (with spills of a small batch) and publishing them.
//!
//! Its own test binary because it installs the counting global allocator.

use fixgate_core::event::{Event, EventFlags, EventKind, StatType, TradingState};
use fixgate_core::normalize::batch::FnSink;
use fixgate_core::normalize::book::{
    BookKind, MboBook, MbpAction, MbpBook, MbpOp, OrderAction, OrderOp,
};
use fixgate_core::normalize::registry::{
    BookDepth, DefinitionAction, InstrumentDef, InstrumentRegistry,
};
use fixgate_core::normalize::stats::{StatAction, StatUpdate};
use fixgate_core::normalize::status::{StatusScope, StatusUpdate};
use fixgate_core::normalize::text::Text;
use fixgate_core::normalize::trade::{TradeAction, TradeUpdate};
use fixgate_core::normalize::{LevelUpdate, MessageStamp, Normalizer, NormalizerConfig};
use fixgate_core::time::UtcNanos;
use fixgate_core::types::{InstrumentId, OrderId, Price, Qty, Side, TradeId, VenueId};
use fixgate_ring::alloc_count::{count_allocations, CountingAllocator};

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator;

const ES: InstrumentId = InstrumentId(11);
const NQ: InstrumentId = InstrumentId(12);

fn px(units: i64) -> Price {
    Price::from_e9(units * 1_000_000_000)
}

fn def(id: InstrumentId, group: &[u8]) -> InstrumentDef {
    let mut d = InstrumentDef::new(id, Text::new(b"SYM").unwrap());
    d.security_group = Text::new(group).unwrap();
    d.depth = BookDepth {
        outright: 10,
        implied: 2,
    };
    d
}

fn lvl(
    id: InstrumentId,
    book: BookKind,
    side: Side,
    action: MbpAction,
    l: u8,
    p: i64,
) -> LevelUpdate {
    LevelUpdate {
        instrument: id,
        book,
        rpt_seq: 1,
        op: MbpOp {
            side,
            action,
            level: l,
            price_e9: px(p),
            qty: Qty::from_lots(5),
            order_count: 2,
        },
    }
}

fn order(id: u64, action: OrderAction, price: i64) -> OrderOp {
    OrderOp {
        instrument: ES,
        order_id: OrderId(id),
        side: Side::Bid,
        price_e9: px(price),
        qty: Qty::from_lots(1),
        priority: id,
        action,
    }
}

/// One venue event's worth of every update kind, good and bad; the results are
/// ignored here (the unit tests check them), only allocation is watched.
fn one_round<S: fixgate_core::normalize::batch::EventSink>(n: &mut Normalizer<S>, round: u32) {
    use BookKind::{Implied, Outright};
    use MbpAction::*;
    n.begin_message(MessageStamp {
        ts_recv_ns: UtcNanos::from_nanos(u64::from(round)),
        ts_event_ns: UtcNanos::from_nanos(u64::from(round)),
        ts_in_delta_ns: 0,
        sequence: round,
        flags: EventFlags::empty(),
    });
    for l in 1..=10u8 {
        let _ = n.handle_level(&lvl(ES, Outright, Side::Bid, New, l, 200 - i64::from(l)));
        let _ = n.handle_level(&lvl(ES, Outright, Side::Ask, New, l, 200 + i64::from(l)));
    }
    // Truncation past depth, change, overlay, delete, delete-from, delete-thru.
    let _ = n.handle_level(&lvl(ES, Outright, Side::Bid, New, 1, 200));
    let _ = n.handle_level(&lvl(ES, Outright, Side::Bid, Change, 2, 199));
    let _ = n.handle_level(&lvl(ES, Outright, Side::Bid, Change, 2, 198));
    let _ = n.handle_level(&lvl(ES, Outright, Side::Ask, Overlay, 3, 204));
    let _ = n.handle_level(&lvl(ES, Outright, Side::Bid, Delete, 1, 200));
    let _ = n.handle_level(&lvl(ES, Outright, Side::Bid, DeleteFrom, 3, 0));
    let _ = n.handle_level(&lvl(ES, Outright, Side::Ask, DeleteThru, 0, 0));
    // Implied, and refusals (out of range, out of order, unknown instrument).
    let _ = n.handle_level(&lvl(ES, Implied, Side::Ask, New, 1, 150));
    let _ = n.handle_level(&lvl(ES, Implied, Side::Ask, New, 3, 151));
    let _ = n.handle_level(&lvl(ES, Implied, Side::Ask, New, 1, 160));
    let _ = n.handle_level(&lvl(InstrumentId(99), Outright, Side::Bid, New, 1, 1));
    // Orders past the capacity of 8, unknown deletes, updates, deletes.
    for id in 0..10 {
        let _ = n.handle_order(&order(id, OrderAction::New, 100 + id as i64 % 3));
    }
    let _ = n.handle_order(&order(3, OrderAction::Update, 90));
    for id in 0..11 {
        let _ = n.handle_order(&order(id, OrderAction::Delete, 0));
    }
    let trade = TradeUpdate {
        instrument: ES,
        action: TradeAction::Trade,
        price_e9: px(100),
        qty: Qty::from_lots(1),
        trade_id: TradeId(u64::from(round) + 1),
        aggressor: Side::Ask,
        rpt_seq: 2,
    };
    let _ = n.handle_trade(&trade);
    let _ = n.handle_trade(&TradeUpdate {
        action: TradeAction::Bust,
        ..trade
    });
    let _ = n.handle_trade(&TradeUpdate {
        qty: Qty::NULL,
        ..trade
    });
    for stat in StatType::ALL {
        let _ = n.handle_stat(&StatUpdate {
            instrument: ES,
            stat,
            action: StatAction::Set,
            price_e9: px(100),
            qty: Qty::from_lots(7),
            venue_flags: 0,
            rpt_seq: 3,
        });
    }
    let _ = n.handle_status(&StatusUpdate {
        scope: StatusScope::Group {
            security_group: Text::new(b"ES").unwrap(),
            asset: Text::EMPTY,
        },
        state: Some(TradingState::Trading),
        venue_status: 17,
        halt_reason: 0,
        trading_event: 4,
        reset_statistics: true,
    });
    let _ = n.handle_book_reset(NQ);
    // Definitions re-sent by the loop, one reshaping a book, one refused.
    let mut shallow = def(NQ, b"NQ");
    shallow.depth.outright = 5;
    let _ = n.handle_definition(DefinitionAction::Add, &def(ES, b"ES"));
    let _ = n.handle_definition(DefinitionAction::Modify, &shallow);
    let _ = n.handle_definition(DefinitionAction::Add, &def(InstrumentId(77), b"X"));
    if round % 4 == 3 {
        n.handle_channel_reset();
    }
    n.end_message(true);
}

#[test]
fn the_normalizer_allocates_nothing_after_construction() {
    let mut published = 0u64;
    let mut lasts = 0u64;
    let mut checksum = 0u64;
    let sink = FnSink(|events: &[Event]| {
        for e in events {
            published += 1;
            lasts += u64::from(e.flags().contains(EventFlags::LAST));
            checksum = checksum.wrapping_add(u64::from(e.kind().as_u8()));
        }
    });
    let mut n = Normalizer::new(
        NormalizerConfig {
            venue: VenueId::CME,
            channel: 310,
            max_instruments: 2,
            max_depth: BookDepth {
                outright: 10,
                implied: 2,
            },
            max_orders: 8,
            batch_capacity: 16,
        },
        sink,
    );
    n.handle_definition(DefinitionAction::Add, &def(ES, b"ES"))
        .unwrap();
    n.handle_definition(DefinitionAction::Add, &def(NQ, b"NQ"))
        .unwrap();

    let (allocs, ()) = count_allocations(|| {
        for round in 0..200 {
            one_round(&mut n, round);
        }
    });
    assert_eq!(allocs, 0, "the normalizer allocated {allocs} times");
    let c = n.counters();
    assert_eq!(c.venue_events, 200);
    assert!(c.batch_spills > 0, "the spill path ran");
    assert!(c.orders_full > 0 && c.orders_unknown > 0 && c.book_refused > 0);
    assert!(c.definitions_refused > 0 && c.unknown_instrument > 0 && c.channel_resets == 50);
    drop(n);
    assert_eq!(lasts, 200, "one LAST per venue event");
    assert!(published > 200 * 40, "published {published}");
    assert_ne!(checksum, 0);
}

#[test]
fn books_and_registry_allocate_nothing_after_construction() {
    let mut book = MbpBook::with_capacity(10);
    let mut mbo = MboBook::with_capacity(64);
    let mut registry = InstrumentRegistry::new(
        4,
        BookDepth {
            outright: 10,
            implied: 2,
        },
    );
    let mut changes = 0u64;
    let (allocs, ()) = count_allocations(|| {
        for round in 0..500i64 {
            for l in 1..=12u8 {
                let op = MbpOp {
                    side: if l % 2 == 0 { Side::Bid } else { Side::Ask },
                    action: MbpAction::from_fix(l % 6).unwrap_or(MbpAction::New),
                    level: l % 11,
                    price_e9: px(100 + (round + i64::from(l)) % 20),
                    qty: Qty::from_lots(u32::from(l)),
                    order_count: 1,
                };
                let _ = book.apply(&op, |_| changes += 1);
            }
            for id in 0..80u64 {
                let action = OrderAction::from_code((id % 3) as u8).unwrap_or(OrderAction::New);
                if mbo.apply(&order(id, action, 100 + round % 5)).is_ok() {
                    changes += 1;
                }
            }
            if round % 50 == 0 {
                mbo.clear_instrument(ES);
                book.clear();
            }
            for id in 1..=6 {
                let _ = registry.apply(DefinitionAction::Add, &def(InstrumentId(id), b"G"));
            }
            let _ = registry.apply(DefinitionAction::Delete, &def(InstrumentId(2), b"G"));
            std::hint::black_box(mbo.level(ES, Side::Bid, px(100)));
            std::hint::black_box(registry.get(InstrumentId(3)));
        }
    });
    assert_eq!(allocs, 0, "books or registry allocated {allocs} times");
    assert!(changes > 1_000, "only {changes} changes applied");
    assert_eq!(EventKind::from_u8(9), Some(EventKind::Stat));
}
