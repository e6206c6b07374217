//! DBN encoding allocates nothing: every record kind (statistics included), the
//! skipped kinds and trade busts, the buffer-too-small error, and the metadata header (with and without an end).
//! A last test checks that the counter does see allocations. Its own test binary
//! because it installs the counting global allocator.

use std::hint::black_box;

use fixgate_core::dbn::{
    DbnEncoder, DbnError, Encoded, InstrumentSymbol, Metadata, PublisherMap, Schema, MAX_RECORD_LEN,
};
use fixgate_core::event::{
    Action, Body, ClearBody, Event, EventFlags, EventHeader, GapBody, LevelBody, OrderBody,
    QuoteBody, RecoveredBody, RecoveryMethod, StatBody, StatType, StatusBody, TradeBody,
    TradingState,
};
use fixgate_core::time::UtcNanos;
use fixgate_core::types::{InstrumentId, OrderId, Price, Qty, Side, TradeId, VenueId};
use fixgate_ring::alloc_count::{count_allocations, CountingAllocator};

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator;

fn events() -> Vec<Event> {
    let h = EventHeader {
        flags: EventFlags::LAST,
        venue: VenueId::CME,
        instrument: InstrumentId(5482),
        ts_recv_ns: UtcNanos::from_nanos(1_609_160_400_000_704_060),
        ts_event_ns: UtcNanos::from_nanos(1_609_160_400_000_429_831),
        ts_in_delta_ns: 22_993,
        sequence: 1_170_352,
    };
    let px = Price::from_e9(3_722_750_000_000);
    let bodies = [
        Body::Order(OrderBody {
            order_id: OrderId(1),
            price_e9: px,
            priority: 2,
            qty: Qty::from_lots(3),
            side: Side::Ask,
            action: Action::Add,
        }),
        Body::Clear(ClearBody {
            channel: 1,
            rpt_seq: 2,
            side: Side::None,
        }),
        Body::Quote(QuoteBody {
            bid_px_e9: px,
            ask_px_e9: px,
            bid_qty: Qty::from_lots(1),
            ask_qty: Qty::from_lots(2),
            bid_count: 1,
            ask_count: 1,
        }),
        Body::Trade(TradeBody {
            price_e9: px,
            trade_id: TradeId(4),
            qty: Qty::from_lots(5),
            rpt_seq: 6,
            aggressor: Side::Bid,
            action: Action::Trade,
        }),
        Body::Status(StatusBody {
            venue_status: 17,
            halt_reason: 0,
            trading_event: 0,
            state: TradingState::Trading,
        }),
        Body::Trade(TradeBody {
            price_e9: px,
            trade_id: TradeId(4),
            qty: Qty::from_lots(5),
            rpt_seq: 7,
            aggressor: Side::Bid,
            action: Action::Cancel,
        }),
        Body::Stat(StatBody {
            price_e9: px,
            qty: Qty::NULL,
            rpt_seq: 8,
            stat: StatType::SettlementPrice,
            action: Action::Modify,
            venue_flags: 0b11,
        }),
        Body::Stat(StatBody {
            price_e9: Price::NULL,
            qty: Qty::from_lots(9),
            rpt_seq: 9,
            stat: StatType::ElectronicVolume,
            action: Action::Add,
            venue_flags: 0,
        }),
        Body::Level(LevelBody {
            price_e9: px,
            qty: Qty::from_lots(1),
            order_count: 1,
            rpt_seq: 1,
            level: 1,
            side: Side::Bid,
            action: Action::Add,
        }),
        Body::Gap(GapBody {
            first_seq: 1,
            last_seq: 2,
            channel: 3,
            instruments_suspect: 4,
        }),
        Body::Recovered(RecoveredBody {
            first_seq: 1,
            last_seq: 2,
            channel: 3,
            method: RecoveryMethod::Snapshot,
        }),
    ];
    bodies.into_iter().map(|b| Event::new(h, b)).collect()
}

#[test]
fn record_encoding_does_not_allocate() {
    let events = events();
    let mut encoder = DbnEncoder::new(PublisherMap::identity().with(VenueId::CME, 1).unwrap());
    let mut buf = [0u8; MAX_RECORD_LEN];
    let mut small = [0u8; 8];
    let (allocs, (written, skipped, errors)) = count_allocations(|| {
        let (mut written, mut skipped, mut errors) = (0usize, 0usize, 0usize);
        for _ in 0..1000 {
            for ev in &events {
                match encoder.encode(black_box(ev), &mut buf) {
                    Ok(Encoded::Record { len, .. }) => written += black_box(&buf[..len]).len(),
                    Ok(Encoded::Skipped(_)) => skipped += 1,
                    Err(_) => errors += 1,
                }
                if let Err(DbnError::BufferTooSmall { .. }) = encoder.encode(ev, &mut small) {
                    errors += 1;
                }
            }
        }
        (written, skipped, errors)
    });
    assert_eq!(allocs, 0, "record encoding allocated {allocs} times");
    assert_eq!(written, 1000 * (56 + 56 + 80 + 48 + 40 + 80 + 80));
    assert_eq!(skipped, 4000, "level, gap, recovered, the bust");
    assert_eq!(errors, 7000, "each record fails on 8 bytes");
    assert_eq!(encoder.counts().records(Schema::MBO), 2000);
    assert_eq!(encoder.counts().records(Schema::STATISTICS), 2000);
    // A skip needs no room, so the 8-byte attempt counts the bust too.
    assert_eq!(encoder.counts().trade_busts(), 2000);
}

#[test]
fn metadata_encoding_does_not_allocate() {
    let instruments = [
        InstrumentSymbol {
            instrument: InstrumentId(5482),
            symbol: "ESH1",
        },
        InstrumentSymbol {
            instrument: InstrumentId(7),
            symbol: "GPUH6",
        },
    ];
    let mut meta = Metadata {
        dataset: "FIXGATE",
        schema: Schema::TRADES,
        start: UtcNanos::from_nanos(1_609_160_400_000_000_000),
        end: None,
        limit: 0,
        instruments: &instruments,
    };
    let mut buf = vec![0u8; 4096];
    let (allocs, lens) = count_allocations(|| {
        let open = meta.encode(&mut buf);
        meta.end = Some(UtcNanos::from_nanos(1_609_200_000_000_000_000));
        let closed = meta.encode(&mut buf);
        let small = meta.encode(&mut buf[..10]);
        (open, closed, small)
    });
    assert_eq!(allocs, 0, "metadata encoding allocated {allocs} times");
    assert_eq!(lens.0, lens.1);
    assert!(lens.0.is_ok() && lens.2.is_err());
}

#[test]
fn the_counter_sees_allocations() {
    let (allocs, v) = count_allocations(|| vec![black_box(1u8); 64]);
    assert!(allocs >= 1 && v.len() == 64);
}
