//! fixgate events → DBN files → Databento's `dbn` decoder: every header and record
//! field reads back as written, for every event kind, at the extremes of each
//! field, with an open and a closed end time. The symbology resolves each
//! instrument id to its symbol through `dbn`'s own symbol map.
//!
//! The property test over arbitrary events is `dbn_roundtrip_prop`; Databento's
//! reference files are compared byte for byte in the root crate's
//! `tests/dbn_conformance.rs` (it reads ../shared).

mod dbn_support;

use dbn::decode::{DbnDecoder, DbnMetadata};
use dbn::PitSymbolMap;
use fixgate_core::dbn::{DbnEncoder, InstrumentSymbol, PublisherMap, Schema};
use fixgate_core::event::{
    Action, Body, ClearBody, Event, EventFlags, EventHeader, EventKind, GapBody, LevelBody,
    OrderBody, QuoteBody, RecoveredBody, RecoveryMethod, StatBody, StatType, StatusBody, TradeBody,
    TradingState,
};
use fixgate_core::time::UtcNanos;
use fixgate_core::types::{InstrumentId, OrderId, Price, Qty, Side, TradeId, VenueId};

use dbn_support::{check_file, write_files};

const START: UtcNanos = UtcNanos::from_nanos(1_773_671_400_000_000_000); // 2026-03-16T14:30Z
const INSTRUMENTS: [InstrumentSymbol<'static>; 3] = [
    InstrumentSymbol {
        instrument: InstrumentId(1),
        symbol: "GPUH6",
    },
    InstrumentSymbol {
        instrument: InstrumentId(2),
        symbol: "SDH100RT M6",
    },
    InstrumentSymbol {
        instrument: InstrumentId(u32::MAX),
        symbol: "a symbol of exactly seventy bytes, the most DBN v3 holds..........!",
    },
];

fn header(i: u64, venue: VenueId, instrument: u32, flags: u8) -> EventHeader {
    EventHeader {
        flags: EventFlags::from_bits(flags),
        venue,
        instrument: InstrumentId(instrument),
        ts_recv_ns: UtcNanos::from_nanos(START.as_nanos() + 1_000 * i + 7),
        ts_event_ns: UtcNanos::from_nanos(START.as_nanos() + 1_000 * i),
        ts_in_delta_ns: -(i as i32) * 17,
        sequence: u32::MAX - i as u32,
    }
}

/// Every kind, both sides, every action, state and statistic, trade busts,
/// nulls and extremes.
fn events() -> Vec<Event> {
    let px = Price::from_e9;
    let bodies: Vec<Body> = vec![
        Body::Order(OrderBody {
            order_id: OrderId(647_784_973_705),
            price_e9: px(2_285_000_000),
            priority: 1,
            qty: Qty::from_lots(40),
            side: Side::Bid,
            action: Action::Add,
        }),
        Body::Order(OrderBody {
            order_id: OrderId(u64::MAX),
            price_e9: px(i64::MIN),
            priority: u64::MAX,
            qty: Qty::NULL,
            side: Side::Ask,
            action: Action::Modify,
        }),
        Body::Order(OrderBody {
            order_id: OrderId(0),
            price_e9: Price::NULL,
            priority: 0,
            qty: Qty::ZERO,
            side: Side::None,
            action: Action::Cancel,
        }),
        Body::Order(OrderBody {
            order_id: OrderId(5),
            price_e9: px(-1),
            priority: 0,
            qty: Qty::from_lots(3),
            side: Side::Ask,
            action: Action::Fill,
        }),
        Body::Order(OrderBody {
            order_id: OrderId(6),
            price_e9: px(1),
            priority: 0,
            qty: Qty::from_lots(3),
            side: Side::Bid,
            action: Action::Trade,
        }),
        Body::Order(OrderBody {
            order_id: OrderId(7),
            price_e9: px(1),
            priority: 0,
            qty: Qty::from_lots(3),
            side: Side::Bid,
            action: Action::None,
        }),
        Body::Clear(ClearBody {
            channel: 310,
            rpt_seq: 9,
            side: Side::None,
        }),
        Body::Clear(ClearBody {
            channel: 0,
            rpt_seq: 0,
            side: Side::Bid,
        }),
        Body::Quote(QuoteBody {
            bid_px_e9: px(2_285_000_000),
            ask_px_e9: px(2_290_000_000),
            bid_qty: Qty::from_lots(40),
            ask_qty: Qty::from_lots(12),
            bid_count: 3,
            ask_count: 1,
        }),
        Body::Quote(QuoteBody {
            bid_px_e9: Price::NULL,
            ask_px_e9: Price::NULL,
            bid_qty: Qty::ZERO,
            ask_qty: Qty::NULL,
            bid_count: 0,
            ask_count: u32::MAX,
        }),
        Body::Trade(TradeBody {
            price_e9: px(2_287_500_000),
            trade_id: TradeId(99),
            qty: Qty::from_lots(5),
            rpt_seq: 11,
            aggressor: Side::Bid,
            action: Action::Trade,
        }),
        Body::Trade(TradeBody {
            price_e9: px(i64::MAX - 1),
            trade_id: TradeId(0),
            qty: Qty::MAX,
            rpt_seq: 0,
            aggressor: Side::None,
            action: Action::Trade,
        }),
        Body::Trade(TradeBody {
            price_e9: px(2_287_500_000),
            trade_id: TradeId(99),
            qty: Qty::from_lots(5),
            rpt_seq: 12,
            aggressor: Side::Bid,
            action: Action::Cancel, // a bust of the first trade: skipped
        }),
        Body::Level(LevelBody {
            price_e9: px(2_285_000_000),
            qty: Qty::from_lots(40),
            order_count: 3,
            rpt_seq: 12,
            level: 1,
            side: Side::Bid,
            action: Action::Modify,
        }),
        Body::Gap(GapBody {
            first_seq: 10,
            last_seq: 12,
            channel: 310,
            instruments_suspect: 2,
        }),
        Body::Recovered(RecoveredBody {
            first_seq: 10,
            last_seq: 12,
            channel: 310,
            method: RecoveryMethod::OtherLine,
        }),
    ];
    let states = [
        TradingState::Unknown,
        TradingState::PreOpen,
        TradingState::Auction,
        TradingState::Trading,
        TradingState::Paused,
        TradingState::Halted,
        TradingState::Closed,
    ];
    let mut out = Vec::new();
    let venues = [VenueId::CME, VenueId::ICE, VenueId(999)];
    let ids = [1, 2, u32::MAX, 77]; // 77: not in the instrument list
    let flags = [0x80, 0x00, 0xFF, 0x44, 0x21];
    for (i, body) in bodies.into_iter().enumerate() {
        let h = header(out.len() as u64, venues[i % 3], ids[i % 4], flags[i % 5]);
        out.push(Event::new(h, body));
    }
    for (i, state) in states.into_iter().enumerate() {
        for venue in [VenueId::CME, VenueId::SHFE] {
            let body = StatusBody {
                venue_status: [17, 21, 2, 4, 15, 200, 25][i],
                halt_reason: i as u16,
                trading_event: [0, 1, 4, 5, 6, 9, 0][i],
                state,
            };
            out.push(Event::new(header(out.len() as u64, venue, 1, 0x80), body));
        }
    }
    // Every statistic as a first value, a new value and a withdrawal, with the
    // values a venue gives it (a price, a quantity, or a price with a quantity).
    for (i, stat) in StatType::ALL.into_iter().enumerate() {
        let (price_e9, qty) = if stat.is_quantity() {
            (Price::NULL, Qty::from_lots(1_000 + i as u32))
        } else if stat == StatType::IndicativeOpeningPrice {
            (px(-2_285_000_000), Qty::from_lots(7))
        } else {
            (px(2_285_000_000 + i as i64), Qty::NULL)
        };
        let set = StatBody {
            price_e9,
            qty,
            rpt_seq: i as u32,
            stat,
            action: Action::Add,
            venue_flags: [0, 0b1, 0b11, 0xFF][i % 4],
        };
        let modify = StatBody {
            price_e9: if stat.is_quantity() {
                price_e9
            } else {
                px(i64::MIN)
            },
            qty: if stat.is_quantity() { Qty::MAX } else { qty },
            action: Action::Modify,
            ..set
        };
        let withdraw = StatBody {
            price_e9: Price::NULL,
            qty: Qty::NULL,
            action: Action::Cancel,
            venue_flags: 0,
            ..set
        };
        for body in [set, modify, withdraw] {
            let h = header(out.len() as u64, venues[i % 3], ids[i % 4], 0x80);
            out.push(Event::new(h, body));
        }
    }
    out
}

fn publishers() -> PublisherMap {
    PublisherMap::identity().with(VenueId::ICE, 29).unwrap()
}

fn round_trip(end: Option<UtcNanos>) {
    let events = events();
    let mut encoder = DbnEncoder::new(publishers());
    let (files, counts) = write_files(&events, &INSTRUMENTS, START, end, &mut encoder);
    let map = publishers();
    let mut total = 0;
    for (schema, bytes, schema_events) in &files {
        let n = check_file(
            bytes,
            *schema,
            schema_events,
            &INSTRUMENTS,
            START,
            end,
            |ev| map.publisher_id(ev.venue()),
        );
        assert_eq!(n as u64, counts.records(*schema));
        total += n;
    }
    assert_eq!(counts.records(Schema::MBO), 8, "6 orders and 2 clears");
    assert_eq!(counts.records(Schema::MBP_1), 2);
    assert_eq!(counts.records(Schema::TRADES), 2);
    assert_eq!(counts.records(Schema::STATUS), 14);
    assert_eq!(
        counts.records(Schema::STATISTICS),
        3 * StatType::COUNT as u64
    );
    assert_eq!(counts.skipped(EventKind::Level), 1);
    assert_eq!(counts.skipped(EventKind::Gap), 1);
    assert_eq!(counts.skipped(EventKind::Recovered), 1);
    assert_eq!(counts.trade_busts(), 1);
    assert_eq!(counts.skipped(EventKind::Stat), 0);
    assert_eq!(total + 4, events.len());
    println!(
        "dbn round trip (end {end:?}): {total} records in {} files, 4 events skipped (1 trade bust)",
        files.len()
    );
}

#[test]
fn every_field_reads_back_with_an_open_end() {
    round_trip(None);
}

#[test]
fn every_field_reads_back_with_a_closed_end() {
    round_trip(Some(UtcNanos::from_nanos(
        START.as_nanos() + 3 * 86_400 * 1_000_000_000,
    )));
}

#[test]
fn a_bust_is_counted_and_the_trade_file_reads_back_without_it() {
    let trade = events()
        .into_iter()
        .find(|e| e.trade().is_some_and(|t| t.action == Action::Trade))
        .unwrap();
    let bust = Event::new(
        trade.header(),
        TradeBody {
            action: Action::Cancel,
            ..trade.trade().unwrap()
        },
    );
    let mut encoder = DbnEncoder::new(publishers());
    let (files, counts) = write_files(
        &[trade, bust, trade],
        &INSTRUMENTS,
        START,
        None,
        &mut encoder,
    );
    let (schema, bytes, written) = &files[Schema::TRADES.index().unwrap()];
    assert_eq!(written, &[trade, trade]);
    let map = publishers();
    let n = check_file(bytes, *schema, written, &INSTRUMENTS, START, None, |ev| {
        map.publisher_id(ev.venue())
    });
    assert_eq!((n, counts.trade_busts(), counts.total_records()), (2, 1, 2));
}

#[test]
fn symbology_resolves_instrument_ids() {
    let end = Some(UtcNanos::from_nanos(START.as_nanos() + 60_000_000_000));
    let mut encoder = DbnEncoder::default();
    let (files, _) = write_files(&events(), &INSTRUMENTS, START, end, &mut encoder);
    let dec = DbnDecoder::new(&files[0].1[..]).unwrap();
    let meta = dec.metadata();
    let date = meta.start().date();
    let map = PitSymbolMap::from_metadata(meta, date).expect("dbn builds the symbol map");
    assert_eq!(map.len(), 3);
    for inst in INSTRUMENTS {
        assert_eq!(
            map.get(inst.instrument.get()).map(String::as_str),
            Some(inst.symbol)
        );
    }
    assert_eq!(
        map.get(77),
        None,
        "instruments outside the list have no symbol"
    );
    let next_day = date.next_day().unwrap();
    assert!(
        PitSymbolMap::from_metadata(meta, next_day).is_err(),
        "past the end"
    );
}

#[test]
fn empty_instrument_list_and_no_records() {
    let mut encoder = DbnEncoder::default();
    let (files, counts) = write_files(&[], &[], START, None, &mut encoder);
    for (schema, bytes, events) in &files {
        assert_eq!(
            check_file(bytes, *schema, events, &[], START, None, |_| 0),
            0
        );
    }
    assert_eq!(counts.total_records() + counts.total_skipped(), 0);
}
