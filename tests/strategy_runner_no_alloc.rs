//! The runner thread's steady state allocates nothing: ring polls (blocking and
//! lossy, with publish stamps), callbacks, timers, order updates in, intents
//! out, counters, and latency recording with interval rotations (the runner's
//! published → strategy sets and the strategy's own recorder). The
//! strategy samples its own thread's allocation count (the counting allocator
//! counts per thread) at an early event and at the last one.
//!
//! Its own test binary because it installs the counting global allocator.

use std::any::Any;
use std::sync::Arc;
use std::time::Duration;

use fixgate::app::strategy_runner::{RunnerConfig, RunnerLatency, StrategyRunner, Subscription};
use fixgate::report::{LatencySource, Taken};
use fixgate_core::board::Board;
use fixgate_core::event::{Action, Event, EventFlags, EventHeader, TradeBody};
use fixgate_core::latency::{LatencyLayout, LatencyRecorder, LatencySet, Stage};
use fixgate_core::strategy::{
    Context, Intent, IntentKind, OrderUpdate, OrderUpdateKind, Strategy, StrategyOrderId,
};
use fixgate_core::time::{Clock, MonoNanos, TscClock, UtcNanos};
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
struct Sampler {
    /// Its own latency histograms, rotated by the runner.
    recorder: LatencyRecorder,
    live: Option<StrategyOrderId>,
    next_id: u64,
    at_warm: Option<u64>,
    at_last: Option<u64>,
    updates: u64,
    timers: u64,
}

impl Sampler {
    fn new() -> Self {
        let layout = LatencyLayout::new(&[VenueId::CME], &[Stage::PublishedToStrategy]).unwrap();
        let set = LatencySet::new(Arc::new(layout));
        Sampler {
            recorder: LatencyRecorder::new(set, MonoNanos::ZERO, 500_000),
            live: None,
            next_id: 0,
            at_warm: None,
            at_last: None,
            updates: 0,
            timers: 0,
        }
    }
}

impl Strategy for Sampler {
    fn latency_recorder(&mut self) -> Option<&mut LatencyRecorder> {
        Some(&mut self.recorder)
    }

    fn on_event(&mut self, ctx: &mut Context<'_>, event: &Event) {
        if let Some(ns) = ctx.published_to_callback_ns() {
            self.recorder
                .record(event.venue(), Stage::PublishedToStrategy, ns);
        }
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
    let clock = Arc::new(TscClock::new());
    for ring in [&mut blocking_ring, &mut lossy_ring] {
        let clock = Arc::clone(&clock);
        ring.set_publish_clock(Some(Box::new(move || clock.raw().as_raw())));
    }
    let subs = vec![
        Subscription::Blocking(blocking_subs.blocking(WaitStrategy::BACKOFF).unwrap()),
        Subscription::Lossy(lossy_subs.lossy(WaitStrategy::BACKOFF)),
    ];
    let latency = RunnerLatency {
        clock: clock.clone(),
        venues: vec![VenueId::CME],
        // Short, so the run rotates many times on both handoffs.
        interval: Duration::from_micros(500),
        spares: 4,
    };
    let mut runner = StrategyRunner::spawn_with_latency(
        Box::new(Sampler::new()),
        RunnerConfig::new("sampler"),
        Arc::clone(&board),
        subs,
        Some(latency),
    )
    .unwrap();
    let sources = runner.take_latency_sources();
    // The merger, on this thread (its allocations are not the runner's).
    let mut intervals = [0u64; 2];
    let mut records = [0u64; 2];
    let mut merge = |sources: &[LatencySource]| {
        for (i, source) in sources.iter().enumerate() {
            while let Taken::Set(set) = source.try_take() {
                intervals[i] += 1;
                records[i] += set.iter().map(|(_, h, _)| h.len()).sum::<u64>();
                source.give_back(set);
            }
        }
    };
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
        if seq % 100 == 0 {
            merge(&sources);
        }
    }
    let status = Arc::clone(runner.status());
    for _ in 0..10_000 {
        gateway(&mut bad);
        merge(&sources);
        if status.counter("events").unwrap_or(0) + status.counter("events_missed").unwrap_or(0)
            >= 2 * u64::from(EVENTS)
        {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let report = runner.join(Duration::from_secs(10)).unwrap();
    merge(&sources);
    assert_eq!(bad, 0);
    // Every delivered event was timed once by the runner and once by the
    // strategy, over rotating intervals.
    let delivered = report.stats.events;
    assert_eq!(records, [delivered, delivered], "{intervals:?} intervals");
    assert!(
        intervals[0] > 1 && intervals[1] > 1,
        "{intervals:?} intervals"
    );
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
