//! The recorder's per-event path allocates nothing: `DbnWriter::write` (encode
//! into a stack buffer, append to the file's buffer, a `write` system call when
//! the buffer fills) and `flush`. Creating and finishing the files may allocate
//! (once per recording). Its own test binary because it installs the counting
//! global allocator.

use std::hint::black_box;
use std::path::PathBuf;

use fixgate::app::recorder::{DbnWriter, RecorderConfig};
use fixgate_core::dbn::Schema;
use fixgate_core::event::{
    Action, Event, EventFlags, EventHeader, GapBody, OrderBody, QuoteBody, StatBody, StatType,
    StatusBody, TradeBody, TradingState,
};
use fixgate_core::time::UtcNanos;
use fixgate_core::types::{InstrumentId, OrderId, Price, Qty, Side, TradeId, VenueId};
use fixgate_ring::alloc_count::{count_allocations, CountingAllocator};

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator;

#[test]
fn writing_events_does_not_allocate() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("recorder-no-alloc");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut config = RecorderConfig::new(&dir, "noalloc");
    config.instruments = vec![(InstrumentId(7), "GPUH6".to_owned())];
    config.buffer_bytes = 64 << 10;
    let start = UtcNanos::from_nanos(1_773_671_400_000_000_000);
    let mut writer = DbnWriter::create(config, start).unwrap();

    let h = EventHeader {
        flags: EventFlags::LAST,
        venue: VenueId::CME,
        instrument: InstrumentId(7),
        ts_recv_ns: start,
        ts_event_ns: start,
        ts_in_delta_ns: 10,
        sequence: 1,
    };
    let px = Price::from_e9(2_285_000_000);
    let events = [
        Event::new(
            h,
            OrderBody {
                order_id: OrderId(1),
                price_e9: px,
                priority: 1,
                qty: Qty::from_lots(2),
                side: Side::Bid,
                action: Action::Add,
            },
        ),
        Event::new(
            h,
            QuoteBody {
                bid_px_e9: px,
                ask_px_e9: px,
                bid_qty: Qty::from_lots(1),
                ask_qty: Qty::from_lots(1),
                bid_count: 1,
                ask_count: 1,
            },
        ),
        Event::new(
            h,
            TradeBody {
                price_e9: px,
                trade_id: TradeId(1),
                qty: Qty::from_lots(1),
                rpt_seq: 1,
                aggressor: Side::Ask,
                action: Action::Trade,
            },
        ),
        Event::new(
            h,
            StatusBody {
                venue_status: 17,
                halt_reason: 0,
                trading_event: 0,
                state: TradingState::Trading,
            },
        ),
        Event::new(
            h,
            StatBody {
                price_e9: px,
                qty: Qty::NULL,
                rpt_seq: 2,
                stat: StatType::SettlementPrice,
                action: Action::Add,
                venue_flags: 0b11,
            },
        ),
        Event::new(
            h,
            TradeBody {
                price_e9: px,
                trade_id: TradeId(1),
                qty: Qty::from_lots(1),
                rpt_seq: 3,
                aggressor: Side::Ask,
                action: Action::Cancel,
            },
        ),
        Event::new(
            h,
            GapBody {
                first_seq: 1,
                last_seq: 2,
                channel: 3,
                instruments_suspect: 0,
            },
        ),
    ];
    let rounds = 5_000;
    let (allocs, result) = count_allocations(|| {
        for _ in 0..rounds {
            for ev in &events {
                writer.write(black_box(ev))?;
            }
        }
        writer.flush()
    });
    result.unwrap();
    assert_eq!(allocs, 0, "writing allocated {allocs} times");
    // 5,000 x 56 bytes of mbo alone is 4 times the 64 KiB buffer: the loop wrote
    // through to the files several times.
    assert_eq!(writer.records(Schema::MBO), rounds);
    assert_eq!(writer.records(Schema::STATISTICS), rounds);
    let summary = writer.finish(start).unwrap();
    let total: u64 = summary.files.iter().map(|f| f.records).sum();
    assert_eq!(total, 5 * rounds, "every event but the gap and the bust");
    assert_eq!(summary.counts.trade_busts(), rounds);
}
