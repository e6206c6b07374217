//! Property: any sequence of fixgate events, any instrument list and any time
//! range, written as DBN files, reads back through Databento's `dbn` decoder with
//! every header and record field equal to what was written, and every event is
//! either one record of its schema or counted as skipped (kinds without a
//! schema, trade busts).

mod dbn_support;

use std::collections::BTreeMap;

use fixgate_core::dbn::{DbnEncoder, InstrumentSymbol, PublisherMap, Schema};
use fixgate_core::event::{
    Action, Body, ClearBody, Event, EventFlags, EventHeader, EventKind, GapBody, LevelBody,
    OrderBody, QuoteBody, RecoveredBody, RecoveryMethod, StatBody, StatType, StatusBody, TradeBody,
    TradingState,
};
use fixgate_core::time::UtcNanos;
use fixgate_core::types::{InstrumentId, OrderId, Price, Qty, Side, TradeId, VenueId};
use proptest::prelude::*;

use dbn_support::{check_file, is_bust, write_files};

fn side() -> impl Strategy<Value = Side> {
    prop_oneof![Just(Side::Bid), Just(Side::Ask), Just(Side::None)]
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        Just(Action::Add),
        Just(Action::Modify),
        Just(Action::Cancel),
        Just(Action::Clear),
        Just(Action::Trade),
        Just(Action::Fill),
        Just(Action::None),
    ]
}

fn state() -> impl Strategy<Value = TradingState> {
    (0u8..=6).prop_map(TradingState::from_u8)
}

fn price() -> impl Strategy<Value = Price> {
    prop_oneof![any::<i64>().prop_map(Price::from_e9), Just(Price::NULL)]
}

fn qty() -> impl Strategy<Value = Qty> {
    any::<u32>().prop_map(Qty::from_lots)
}

fn body() -> impl Strategy<Value = Body> {
    prop_oneof![
        (price(), price(), qty(), qty(), any::<u32>(), any::<u32>()).prop_map(
            |(bid_px_e9, ask_px_e9, bid_qty, ask_qty, bid_count, ask_count)| {
                Body::Quote(QuoteBody {
                    bid_px_e9,
                    ask_px_e9,
                    bid_qty,
                    ask_qty,
                    bid_count,
                    ask_count,
                })
            }
        ),
        (
            price(),
            any::<u64>(),
            qty(),
            any::<u32>(),
            side(),
            prop_oneof![3 => Just(Action::Trade), 1 => Just(Action::Cancel)]
        )
            .prop_map(|(price_e9, id, qty, rpt_seq, aggressor, action)| {
                Body::Trade(TradeBody {
                    price_e9,
                    trade_id: TradeId(id),
                    qty,
                    rpt_seq,
                    aggressor,
                    action,
                })
            }),
        (
            price(),
            qty(),
            any::<u32>(),
            prop::sample::select(StatType::ALL.to_vec()),
            prop_oneof![
                Just(Action::Add),
                Just(Action::Modify),
                Just(Action::Cancel)
            ],
            any::<u8>()
        )
            .prop_map(|(price_e9, qty, rpt_seq, stat, action, venue_flags)| {
                Body::Stat(StatBody {
                    price_e9,
                    qty,
                    rpt_seq,
                    stat,
                    action,
                    venue_flags,
                })
            }),
        (
            price(),
            qty(),
            any::<u32>(),
            any::<u32>(),
            any::<u8>(),
            side(),
            action()
        )
            .prop_map(
                |(price_e9, qty, order_count, rpt_seq, level, side, action)| {
                    Body::Level(LevelBody {
                        price_e9,
                        qty,
                        order_count,
                        rpt_seq,
                        level,
                        side,
                        action,
                    })
                }
            ),
        (any::<u64>(), price(), any::<u64>(), qty(), side(), action()).prop_map(
            |(id, price_e9, priority, qty, side, action)| Body::Order(OrderBody {
                order_id: OrderId(id),
                price_e9,
                priority,
                qty,
                side,
                action,
            })
        ),
        (any::<u32>(), any::<u32>(), side()).prop_map(|(channel, rpt_seq, side)| {
            Body::Clear(ClearBody {
                channel,
                rpt_seq,
                side,
            })
        }),
        (any::<u16>(), any::<u16>(), any::<u16>(), state()).prop_map(
            |(venue_status, halt_reason, trading_event, state)| Body::Status(StatusBody {
                venue_status,
                halt_reason,
                trading_event,
                state,
            })
        ),
        (any::<u64>(), any::<u64>(), any::<u32>(), any::<u32>()).prop_map(
            |(first_seq, last_seq, channel, instruments_suspect)| Body::Gap(GapBody {
                first_seq,
                last_seq,
                channel,
                instruments_suspect,
            })
        ),
        (any::<u64>(), any::<u64>(), any::<u32>(), 0u8..=5).prop_map(
            |(first_seq, last_seq, channel, m)| Body::Recovered(RecoveredBody {
                first_seq,
                last_seq,
                channel,
                method: RecoveryMethod::from_u8(m),
            })
        ),
    ]
}

fn event() -> impl Strategy<Value = Event> {
    (
        any::<u8>(),
        prop_oneof![
            Just(VenueId::CME),
            Just(VenueId::ICE),
            any::<u16>().prop_map(VenueId)
        ],
        any::<u32>(),
        any::<u64>(),
        any::<u64>(),
        any::<i32>(),
        any::<u32>(),
        body(),
    )
        .prop_map(
            |(flags, venue, instrument, ts_recv, ts_event, delta, sequence, body)| {
                let header = EventHeader {
                    flags: EventFlags::from_bits(flags),
                    venue,
                    instrument: InstrumentId(instrument),
                    ts_recv_ns: UtcNanos::from_nanos(ts_recv),
                    ts_event_ns: UtcNanos::from_nanos(ts_event),
                    ts_in_delta_ns: delta,
                    sequence,
                };
                Event::new(header, body)
            },
        )
}

/// Distinct instrument ids with printable-ASCII symbols of 0 to 70 bytes.
fn instruments() -> impl Strategy<Value = Vec<(u32, String)>> {
    prop::collection::btree_map(any::<u32>(), "[ -~]{0,70}", 0..6)
        .prop_map(|m: BTreeMap<u32, String>| m.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_events_read_back_through_dbn(
        events in prop::collection::vec(event(), 0..40),
        list in instruments(),
        // Up to the year 2096; the end may be open, before or after the start.
        start in 0u64..4_000_000_000_000_000_000,
        end in prop::option::of(1u64..4_000_000_000_000_000_000),
        remap in any::<u16>(),
    ) {
        let instruments: Vec<InstrumentSymbol<'_>> = list
            .iter()
            .map(|(id, s)| InstrumentSymbol { instrument: InstrumentId(*id), symbol: s })
            .collect();
        let start = UtcNanos::from_nanos(start);
        let end = end.map(UtcNanos::from_nanos);
        let publishers = PublisherMap::identity().with(VenueId::ICE, remap).unwrap();
        let mut encoder = DbnEncoder::new(publishers);
        let (files, counts) = write_files(&events, &instruments, start, end, &mut encoder);
        let mut records = 0u64;
        for (schema, bytes, schema_events) in &files {
            let n = check_file(bytes, *schema, schema_events, &instruments, start, end, |ev| {
                publishers.publisher_id(ev.venue())
            });
            prop_assert_eq!(n as u64, counts.records(*schema));
            records += n as u64;
        }
        let no_schema = events
            .iter()
            .filter(|e| {
                matches!(e.kind(), EventKind::Level | EventKind::Gap | EventKind::Recovered)
                    || is_bust(e)
            })
            .count() as u64;
        prop_assert_eq!(counts.total_skipped(), no_schema);
        let busts = events.iter().filter(|e| is_bust(e)).count() as u64;
        prop_assert_eq!(counts.trade_busts(), busts);
        let stats = events.iter().filter(|e| e.kind() == EventKind::Stat).count() as u64;
        prop_assert_eq!(counts.records(Schema::STATISTICS), stats);
        prop_assert_eq!(records + no_schema, events.len() as u64);
        let mbo = events
            .iter()
            .filter(|e| matches!(e.kind(), EventKind::Order | EventKind::Clear))
            .count() as u64;
        prop_assert_eq!(counts.records(Schema::MBO), mbo);
    }
}
