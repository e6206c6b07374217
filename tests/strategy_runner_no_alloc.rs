//! The runner thread's steady state allocates nothing: ring polls (blocking and
//! lossy), callbacks, timers, order updates in, intents out, counters. The
//! strategy samples its own thread's allocation count (the counting allocator
//! counts per thread) at an early event and at the last one.
//!
//! Its own test binary because it installs the counting global allocator.

use std::any::Any;
use std::sync::Arc;
use std::time::Duration;

use fixgate::app::strategy_runner::{RunnerConfig, StrategyRunner, Subscription};
use fixgate_core::board::Board;
use fixgate_core::event::{Action, Event, EventFlags, EventHeader, TradeBody};
use fixgate_core::strategy::{
    Context, Intent, IntentKind, OrderUpdate, OrderUpdateKind, Strategy, StrategyOrderId,
};
use fixgate_core::time::UtcNanos;
use fixgate_core::types::{InstrumentId, Price, Qty, Side, TradeId, VenueId};
use fixgate_ring::alloc_count::{allocations, CountingAllocator};
use fixgate_ring::{channel, RingConfig, WaitStrategy};

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator;

const INSTR: InstrumentId = InstrumentId(1);
const EVENTS: u32 = 3_000;
const WARM: u32 = 300;

/// Sends a new order, then cancels it, over and over; arms a timer per batch;
/// samples the thread's allocation count.
#[derive(Default)]
struct Sampler {
    live: Option<StrategyOrderId>,
    next_id: u64,
    at_warm: Option<u64>,
    at_last: Option<u64>,
    updates: u64,
    timers: u64,
}

impl Strategy for Sampler {
    fn on_event(&mut self, ctx: &mut Context<'_>, event: &Event) {
        let seq = event.sequence();
        if seq == WARM && self.at_warm.is_none() {
            self.at_warm = Some(allocations());
        }
        if seq == EVENTS && self.at_last.is_none() {
            self.at_last = Some(allocations());
        }
        let (px, qty) = (Price::from_e9(5), Qty::from_lots(1));
        let intent = match self.live {
            None => {
                self.next_id += 1;
                Intent::new_order(StrategyOrderId(self.next_id), INSTR, Side::Bid, px, qty)
            }
            Some(id) => Intent::cancel(id, INSTR, Side::Bid, px, qty),
        };
        if ctx.submit(intent).is_ok() && intent.kind == IntentKind::New {
            self.live = Some(intent.order_id);
        }
    }
    fn on_batch_end(&mut self, ctx: &mut Context<'_>) {
        let _ = ctx.set_timer(ctx.now(), 1);
    }
    fn on_timer(&mut self, _ctx: &mut Context<'_>, _token: u64) {
        self.timers += 1;
    }
    fn on_order_update(&mut self, _ctx: &mut Context<'_>, update: &OrderUpdate) {
        self.updates += 1;
        if update.kind.is_terminal() && self.live == Some(update.order_id) {
            self.live = None;
        }
    }
}

fn trade(seq: u32) -> Event {
    Event::new(
        EventHeader {
            flags: EventFlags::LAST,
            venue: VenueId::CME,
            instrument: INSTR,
            ts_recv_ns: UtcNanos::from_nanos(u64::from(seq) * 100),
            ts_event_ns: UtcNanos::from_nanos(u64::from(seq) * 100),
            ts_in_delta_ns: 0,
            sequence: seq,
        },
        TradeBody {
            price_e9: Price::from_e9(5),
            trade_id: TradeId(u64::from(seq)),
            qty: Qty::from_lots(1),
            rpt_seq: seq,
            aggressor: Side::Ask,
            action: Action::Trade,
        },
    )
}

#[test]
fn the_runner_loop_does_not_allocate() {
    let (board, _writer) = Board::new(&[(INSTR, VenueId::CME)]).unwrap();
    let (mut blocking_ring, blocking_subs) =
        channel::<Event>(RingConfig::with_capacity(64)).unwrap();
    let (mut lossy_ring, lossy_subs) = channel::<Event>(RingConfig::with_capacity(64)).unwrap();
    let subs = vec![
        Subscription::Blocking(blocking_subs.blocking(WaitStrategy::BACKOFF).unwrap()),
        Subscription::Lossy(lossy_subs.lossy(WaitStrategy::BACKOFF)),
    ];
    let mut runner = StrategyRunner::spawn(
        Box::new(Sampler::default()),
        RunnerConfig::new("sampler"),
        Arc::clone(&board),
        subs,
    )
    .unwrap();
    let mut intents = runner.take_intents().unwrap();
    let mut updates = runner.take_update_sender().unwrap();
    // The gateway: acks news, confirms cancels.
    let mut gateway = |bad: &mut u64| {
        let mut answers = [None; 64];
        let mut n = 0;
        intents.poll(64, bad, |i| {
            answers[n] = Some(i);
            n += 1;
        });
        for intent in answers.iter().flatten() {
            let kind = match intent.kind {
                IntentKind::Cancel => OrderUpdateKind::Cancelled,
                _ => OrderUpdateKind::Acked,
            };
            updates.send(&OrderUpdate {
                kind,
                order_id: intent.order_id,
                instrument: intent.instrument,
                side: intent.side,
                price_e9: intent.price_e9,
                last_px_e9: Price::NULL,
                last_qty: Qty::ZERO,
                cum_qty: Qty::ZERO,
                leaves_qty: intent.qty,
                ts_event_ns: UtcNanos::from_nanos(0),
            });
        }
    };
    let mut bad = 0;
    for seq in 1..=EVENTS {
        lossy_ring.publish(trade(seq));
        blocking_ring.publish(trade(seq));
        gateway(&mut bad);
    }
    let status = Arc::clone(runner.status());
    for _ in 0..10_000 {
        gateway(&mut bad);
        if status.counter("events").unwrap_or(0) + status.counter("events_missed").unwrap_or(0)
            >= 2 * u64::from(EVENTS)
        {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let report = runner.join(Duration::from_secs(10)).unwrap();
    assert_eq!(bad, 0);
    let any: Box<dyn Any> = report.strategy;
    let sampler = any.downcast::<Sampler>().unwrap();
    let (warm, last) = (sampler.at_warm.unwrap(), sampler.at_last.unwrap());
    assert_eq!(
        last - warm,
        0,
        "the runner thread allocated {} times in steady state",
        last - warm
    );
    // The run exercised every path.
    assert!(sampler.updates > 100, "{} updates", sampler.updates);
    assert!(sampler.timers > 10, "{} timers", sampler.timers);
    assert!(
        report.stats.intents > 200,
        "{} intents",
        report.stats.intents
    );
}
