//! Strategy callbacks and the board never allocate once built: events, batch
//! ends, order updates, timers, lapping, intent draining, board writes and
//! snapshots, for the built-ins (market maker and latency probe). A panic's
//! report may allocate (the message); that path is not the hot path.
//!
//! Its own test binary because it installs the counting global allocator.

use fixgate_core::board::{Board, BookLevel, InstrumentState};
use fixgate_core::event::{
    Action, Event, EventFlags, EventHeader, LevelBody, StatusBody, TradeBody, TradingState,
};
use fixgate_core::strategy::latency_probe::LatencyProbe;
use fixgate_core::strategy::market_maker::{MarketMaker, MarketMakerParams};
use fixgate_core::strategy::{
    Context, HostLimits, OrderUpdate, OrderUpdateKind, Outcome, Strategy, StrategyHost,
};
use fixgate_core::time::UtcNanos;
use fixgate_core::types::{InstrumentId, Price, Qty, Side, TradeId, VenueId};
use fixgate_ring::alloc_count::{count_allocations, CountingAllocator};

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator;

const INSTR: InstrumentId = InstrumentId(5);
const TICK: i64 = 1_000_000;

fn header(seq: u32, flags: EventFlags) -> EventHeader {
    EventHeader {
        flags,
        venue: VenueId::CME,
        instrument: INSTR,
        ts_recv_ns: UtcNanos::from_nanos(u64::from(seq) * 1_000),
        ts_event_ns: UtcNanos::from_nanos(u64::from(seq) * 1_000 - 10),
        ts_in_delta_ns: 0,
        sequence: seq,
    }
}

/// A stream that moves the book around, trades, and halts now and then.
fn stream(n: u32) -> Vec<Event> {
    (1..=n)
        .map(|seq| {
            let mid = 100_000 + i64::from(seq % 37) * 3;
            match seq % 10 {
                0 => Event::new(
                    header(seq, EventFlags::LAST),
                    StatusBody {
                        venue_status: 0,
                        halt_reason: 0,
                        trading_event: 0,
                        state: if seq % 20 == 0 {
                            TradingState::Halted
                        } else {
                            TradingState::Trading
                        },
                    },
                ),
                5 => Event::new(
                    header(seq, EventFlags::LAST),
                    TradeBody {
                        price_e9: Price::from_e9(mid * TICK),
                        trade_id: TradeId(u64::from(seq)),
                        qty: Qty::from_lots(1),
                        rpt_seq: seq,
                        aggressor: Side::Bid,
                        action: Action::Trade,
                    },
                ),
                k => {
                    let side = if k % 2 == 0 { Side::Bid } else { Side::Ask };
                    let px = if side == Side::Bid { mid - 2 } else { mid + 2 };
                    let flags = if k % 3 == 0 {
                        EventFlags::LAST
                    } else {
                        EventFlags::empty()
                    };
                    Event::new(
                        header(seq, flags),
                        LevelBody {
                            price_e9: Price::from_e9(px * TICK),
                            qty: Qty::from_lots(10 + seq % 7),
                            order_count: 2,
                            rpt_seq: seq,
                            level: 1,
                            side,
                            action: Action::Modify,
                        },
                    )
                }
            }
        })
        .collect()
}

/// Acks every new/replace, fills every third order, confirms cancels: the
/// gateway's side of the conversation, without allocating.
fn answer(host: &mut StrategyHost, board: &Board, now: UtcNanos, n: &mut u64) {
    let mut pending = [None; 16];
    let mut len = 0;
    while let Some(intent) = host.poll_intent() {
        if len < pending.len() {
            pending[len] = Some(intent);
            len += 1;
        }
    }
    for intent in pending.iter().flatten() {
        *n += 1;
        let kind = match intent.kind {
            fixgate_core::strategy::IntentKind::Cancel => OrderUpdateKind::Cancelled,
            _ if n.is_multiple_of(3) => OrderUpdateKind::Filled,
            _ => OrderUpdateKind::Acked,
        };
        let fill = kind == OrderUpdateKind::Filled;
        let update = OrderUpdate {
            kind,
            order_id: intent.order_id,
            instrument: intent.instrument,
            side: intent.side,
            price_e9: intent.price_e9,
            last_px_e9: if fill { intent.price_e9 } else { Price::NULL },
            last_qty: if fill { intent.qty } else { Qty::ZERO },
            cum_qty: if fill { intent.qty } else { Qty::ZERO },
            leaves_qty: if fill { Qty::ZERO } else { intent.qty },
            ts_event_ns: now,
        };
        assert_eq!(host.handle_order_update(board, now, &update), Outcome::Ran);
    }
}

fn seeded_board() -> (std::sync::Arc<Board>, fixgate_core::board::BoardWriter) {
    let (board, mut writer) = Board::new(&[(INSTR, VenueId::CME)]).unwrap();
    let mut state = InstrumentState::new(INSTR, VenueId::CME);
    state.bids[0] = BookLevel {
        price_e9: Price::from_e9(99_998 * TICK),
        qty: Qty::from_lots(5),
        order_count: 1,
    };
    state.asks[0] = BookLevel {
        price_e9: Price::from_e9(100_002 * TICK),
        qty: Qty::from_lots(5),
        order_count: 1,
    };
    writer.publish(&state).unwrap();
    (board, writer)
}

/// Runs `stream` through the board writer and the host in batches of 8, with
/// a lap, timers and order updates, and returns how many intents went out.
fn drive(host: &mut StrategyHost, events: &[Event]) -> u64 {
    let (board, mut writer) = seeded_board();
    let mut answered = 0;
    let mut intents = 0;
    let now = UtcNanos::from_nanos(1);
    assert_eq!(host.handle_start(&board, now), Outcome::Ran);
    let (allocs, ()) = count_allocations(|| {
        for (b, batch) in events.chunks(8).enumerate() {
            let last = batch[batch.len() - 1];
            let now = last.ts_recv_ns().saturating_add_nanos(500);
            for event in batch {
                writer.apply(event);
                assert_eq!(
                    host.handle_event(&board, now, Some(400), event),
                    Outcome::Ran
                );
            }
            assert_eq!(host.handle_batch_end(&board, now), Outcome::Ran);
            if b % 50 == 49 {
                assert_eq!(host.handle_lapped(&board, now, 3), Outcome::Ran);
            }
            assert_eq!(host.handle_timeout(&board, now), Outcome::Ran);
            let before = host.stats().intents;
            answer(host, &board, now, &mut answered);
            intents += host.stats().intents - before;
            std::hint::black_box(board.snapshot(INSTR));
        }
        assert_eq!(host.handle_stop(&board, now), Outcome::Ran);
        while host.poll_intent().is_some() {}
    });
    assert_eq!(allocs, 0, "the strategy hot path allocated {allocs} times");
    intents
}

#[test]
fn market_maker_callbacks_do_not_allocate() {
    let mm = MarketMaker::new(MarketMakerParams {
        instrument_id: INSTR.0,
        tick_e9: TICK,
        half_spread_ticks: 2,
        size_lots: 2,
        max_position_lots: 6,
        skew_ticks_per_lot: 1,
        requote_threshold_ticks: 1,
    })
    .unwrap();
    let mut host = StrategyHost::new(Box::new(mm), HostLimits::default());
    let intents = drive(&mut host, &stream(4_000));
    // The run did real work: quotes, requotes, fills, cancels at halts.
    assert!(intents > 100, "only {intents} intents");
    assert_eq!(host.stats().intents_refused, 0);
    assert_eq!(host.stats().events, 4_000);
}

#[test]
fn latency_probe_and_timers_do_not_allocate() {
    /// A probe that also arms a timer at each batch end.
    struct Timed(LatencyProbe, u64);
    impl Strategy for Timed {
        fn on_event(&mut self, ctx: &mut Context<'_>, event: &Event) {
            self.0.on_event(ctx, event);
        }
        fn on_batch_end(&mut self, ctx: &mut Context<'_>) {
            let at = ctx.now().saturating_add_nanos(0);
            ctx.set_timer(at, 1).unwrap();
        }
        fn on_timer(&mut self, _ctx: &mut Context<'_>, _token: u64) {
            self.1 += 1;
        }
    }
    let probe = LatencyProbe::new(&[VenueId::CME, VenueId::ICE]).unwrap();
    let mut host = StrategyHost::new(Box::new(Timed(probe, 0)), HostLimits::default());
    drive(&mut host, &stream(2_000));
    let any: Box<dyn std::any::Any> = host.into_strategy();
    let timed = any.downcast::<Timed>().unwrap();
    assert_eq!(timed.1, 250, "one timer per batch");
    assert_eq!(timed.0.counts().recorded, 2_000);
    // Each batch of 8 is called back 500 ns after its last event's receive
    // time: 500 ns for the last, 7,500 ns for the first.
    let h = timed.0.recv_to_callback(VenueId::CME).unwrap();
    assert_eq!(h.min(), 500);
    assert!(h.equivalent(h.max(), 7_500), "max {}", h.max());
}
