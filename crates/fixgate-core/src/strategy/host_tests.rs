//! The host: panic containment, cancels after a failure, timers, refusals.

use std::sync::Arc;

use super::*;
use crate::board::Board;
use crate::event::{Action, EventFlags, EventHeader, TradeBody};
use crate::strategy::{IntentError, IntentKind, OrderUpdateKind, StrategyOrderId};
use crate::types::{InstrumentId, Price, Qty, Side, TradeId, VenueId};

const INSTR: InstrumentId = InstrumentId(3);

fn board() -> Arc<Board> {
    Board::new(&[(INSTR, VenueId::ICE)]).unwrap().0
}

fn t(ns: u64) -> UtcNanos {
    UtcNanos::from_nanos(ns)
}

fn event(seq: u32) -> Event {
    Event::new(
        EventHeader {
            flags: EventFlags::LAST,
            venue: VenueId::ICE,
            instrument: INSTR,
            ts_recv_ns: t(1),
            ts_event_ns: t(1),
            ts_in_delta_ns: 0,
            sequence: seq,
        },
        TradeBody {
            price_e9: Price::from_e9(5),
            trade_id: TradeId(1),
            qty: Qty::from_lots(1),
            rpt_seq: 0,
            aggressor: Side::Ask,
            action: Action::Trade,
        },
    )
}

fn order(id: u64) -> Intent {
    Intent::new_order(
        StrategyOrderId(id),
        INSTR,
        Side::Bid,
        Price::from_e9(100),
        Qty::from_lots(id as u32),
    )
}

/// Sends one new order per event; panics at the event with sequence
/// `panic_at`; records what it saw.
#[derive(Default)]
struct Scripted {
    panic_at: u32,
    seen: Vec<u32>,
    timers: Vec<(u64, u64)>,
    errors: Vec<IntentError>,
}

impl Strategy for Scripted {
    fn on_start(&mut self, ctx: &mut Context<'_>) {
        ctx.set_timer(t(30), 3).unwrap();
        ctx.set_timer(t(10), 1).unwrap();
        ctx.set_timer(t(20), 2).unwrap();
    }

    fn on_event(&mut self, ctx: &mut Context<'_>, event: &Event) {
        let seq = event.sequence();
        self.seen.push(seq);
        if let Err(e) = ctx.submit(order(u64::from(seq))) {
            self.errors.push(e);
        }
        if seq == self.panic_at {
            panic!("scripted failure at {seq}");
        }
    }

    fn on_timer(&mut self, ctx: &mut Context<'_>, token: u64) {
        self.timers.push((token, ctx.now().as_nanos()));
        if token == 2 {
            // Re-armed at `now`: fires again, but not in a loop.
            ctx.set_timer(ctx.now(), 2).unwrap();
        }
    }
}

fn scripted(host: &StrategyHost) -> &Scripted {
    let any: &dyn std::any::Any = host.strategy();
    any.downcast_ref::<Scripted>().unwrap()
}

#[test]
fn a_panic_disables_the_strategy_and_cancels_its_live_orders() {
    let board = board();
    let strategy = Scripted {
        panic_at: 3,
        ..Scripted::default()
    };
    let mut host = StrategyHost::new(Box::new(strategy), HostLimits::default());
    assert_eq!(host.handle_start(&board, t(0)), Outcome::Ran);
    for seq in 1..=2 {
        assert_eq!(
            host.handle_event(&board, t(5), None, &event(seq)),
            Outcome::Ran
        );
    }
    assert_eq!(host.poll_intent(), Some(order(1)));
    assert_eq!(host.poll_intent(), Some(order(2)));
    assert_eq!(host.poll_intent(), None);
    // Order 1 is filled before the failure: it must not be cancelled.
    let filled = OrderUpdate {
        kind: OrderUpdateKind::Filled,
        order_id: StrategyOrderId(1),
        instrument: INSTR,
        side: Side::Bid,
        price_e9: Price::from_e9(100),
        last_px_e9: Price::from_e9(100),
        last_qty: Qty::from_lots(1),
        cum_qty: Qty::from_lots(1),
        leaves_qty: Qty::ZERO,
        ts_event_ns: t(6),
    };
    assert_eq!(
        host.handle_order_update(&board, t(6), &filled),
        Outcome::Ran
    );

    assert_eq!(
        host.handle_event(&board, t(7), None, &event(3)),
        Outcome::Panicked
    );
    let failure = host.failure().unwrap();
    assert_eq!(failure.callback, Callback::Event);
    assert_eq!(failure.message, "scripted failure at 3");
    assert!(host.is_disabled());
    // The order submitted before the panic goes out, then a cancel for every
    // order still live, each once, in the live table's slot order (3 took
    // the slot that filled order 1 freed).
    let out: Vec<Intent> = std::iter::from_fn(|| host.poll_intent()).collect();
    let kinds: Vec<(IntentKind, u64)> = out.iter().map(|i| (i.kind, i.order_id.0)).collect();
    assert_eq!(
        kinds,
        [
            (IntentKind::New, 3),
            (IntentKind::Cancel, 3),
            (IntentKind::Cancel, 2)
        ]
    );
    assert_eq!(host.poll_intent(), None);

    // Never called again; timers are dropped; order updates still keep the
    // live table current.
    assert_eq!(
        host.handle_event(&board, t(8), None, &event(4)),
        Outcome::Disabled
    );
    assert_eq!(host.handle_timeout(&board, t(100)), Outcome::Disabled);
    assert_eq!(host.poll_timeout(), None);
    assert_eq!(host.live_orders(), 2);
    let cancelled = OrderUpdate {
        kind: OrderUpdateKind::Cancelled,
        order_id: StrategyOrderId(2),
        ..filled
    };
    assert_eq!(
        host.handle_order_update(&board, t(9), &cancelled),
        Outcome::Disabled
    );
    assert_eq!(host.live_orders(), 1);
    assert_eq!(scripted(&host).seen, [1, 2, 3]);
    assert_eq!(host.stats().events, 3);
    assert_eq!(host.stats().intents, 5);
}

#[test]
fn timers_fire_in_order_from_the_given_clock() {
    let board = board();
    let mut host = StrategyHost::new(Box::new(Scripted::default()), HostLimits::default());
    host.handle_start(&board, t(0));
    assert_eq!(host.poll_timeout(), Some(t(10)));
    assert_eq!(host.handle_timeout(&board, t(9)), Outcome::Ran);
    assert!(scripted(&host).timers.is_empty());
    assert_eq!(host.handle_timeout(&board, t(25)), Outcome::Ran);
    // 1 and 2 were due; 2 re-armed itself at 25 and fired again within the
    // call's bound (the table's capacity), not forever.
    let fired = &scripted(&host).timers;
    assert_eq!(fired[..2], [(1, 25), (2, 25)]);
    assert!(fired[2..].iter().all(|&f| f == (2, 25)));
    assert_eq!(fired.len(), HostLimits::default().timers);
    assert_eq!(host.poll_timeout(), Some(t(25)));
}

#[test]
fn refused_intents_are_typed_and_counted() {
    let board = board();
    let limits = HostLimits {
        intents_per_callback: 2,
        live_orders: 3,
        timers: 1,
    };
    let mut host = StrategyHost::new(Box::new(Scripted::default()), limits);
    // The timer table holds one timer: on_start's second set_timer fails.
    let outcome = host.handle_start(&board, t(0));
    assert_eq!(outcome, Outcome::Panicked, "unwrap on a full timer table");
    let message = &host.failure().unwrap().message;
    assert!(
        message.contains("Full { capacity: 1, token: 1 }"),
        "{message}"
    );

    struct Burst;
    impl Strategy for Burst {
        fn on_event(&mut self, ctx: &mut Context<'_>, event: &Event) {
            let base = u64::from(event.sequence()) * 10;
            let results = [
                ctx.submit(order(base + 1)),
                ctx.submit(order(base + 1)),
                ctx.submit(Intent {
                    side: Side::None,
                    ..order(base + 2)
                }),
                ctx.submit(Intent {
                    qty: Qty::ZERO,
                    ..order(base + 2)
                }),
                ctx.submit(Intent {
                    price_e9: Price::NULL,
                    ..order(base + 2)
                }),
                ctx.submit(Intent {
                    kind: IntentKind::Cancel,
                    ..order(999)
                }),
                ctx.submit(order(base + 2)),
                ctx.submit(order(base + 3)),
            ];
            let id = |n| StrategyOrderId(base + n);
            let expected = [
                Ok(()),
                Err(IntentError::DuplicateOrderId { order_id: id(1) }),
                Err(IntentError::Invalid {
                    order_id: id(2),
                    field: "side",
                }),
                Err(IntentError::Invalid {
                    order_id: id(2),
                    field: "qty",
                }),
                Err(IntentError::Invalid {
                    order_id: id(2),
                    field: "price_e9",
                }),
                Err(IntentError::UnknownOrder {
                    order_id: StrategyOrderId(999),
                }),
                Ok(()),
                Err(IntentError::BufferFull {
                    capacity: 2,
                    order_id: id(3),
                }),
            ];
            assert_eq!(results, expected);
        }
    }
    let mut host = StrategyHost::new(Box::new(Burst), limits);
    assert_eq!(
        host.handle_event(&board, t(1), None, &event(1)),
        Outcome::Ran
    );
    assert_eq!(host.stats().intents_refused, 6);
    assert_eq!(host.stats().intents_buffer_full, 1);
    assert_eq!(host.poll_intent(), Some(order(11)));
    assert_eq!(host.poll_intent(), Some(order(12)));
    assert_eq!(host.poll_intent(), None);
    // The buffer-full order was not made live: the live table has room for
    // one more, and a fourth is refused.
    assert_eq!(host.live_orders(), 2);
    // One new order per event, drained in between: the fourth exceeds the
    // three live orders the host tracks.
    struct OnePerEvent(Vec<Result<(), IntentError>>);
    impl Strategy for OnePerEvent {
        fn on_event(&mut self, ctx: &mut Context<'_>, event: &Event) {
            let result = ctx.submit(order(u64::from(event.sequence())));
            self.0.push(result);
        }
    }
    let mut host = StrategyHost::new(Box::new(OnePerEvent(Vec::new())), limits);
    for seq in 1..=4 {
        host.handle_event(&board, t(1), None, &event(seq));
        while host.poll_intent().is_some() {}
    }
    let any: Box<dyn std::any::Any> = host.into_strategy();
    let results = any.downcast::<OnePerEvent>().unwrap().0;
    assert_eq!(
        results,
        [
            Ok(()),
            Ok(()),
            Ok(()),
            Err(IntentError::TooManyLiveOrders {
                max: 3,
                order_id: StrategyOrderId(4)
            })
        ]
    );
}

/// Keeps a latency recorder; its accessor panics once `broken` is set.
struct WithRecorder {
    recorder: crate::latency::LatencyRecorder,
    broken: bool,
}

impl Strategy for WithRecorder {
    fn on_event(&mut self, ctx: &mut Context<'_>, event: &Event) {
        if let Some(ns) = ctx.published_to_callback_ns() {
            self.recorder.record(
                event.venue(),
                crate::latency::Stage::PublishedToStrategy,
                ns,
            );
        }
        if event.sequence() == 2 {
            self.broken = true;
            ctx.submit(order(1)).unwrap();
        }
    }

    fn latency_recorder(&mut self) -> Option<&mut crate::latency::LatencyRecorder> {
        assert!(!self.broken, "recorder accessor broke");
        Some(&mut self.recorder)
    }
}

#[test]
fn the_latency_recorder_accessor_is_contained_like_a_callback() {
    use crate::latency::{LatencyLayout, LatencyRecorder, LatencySet, Stage};
    use crate::time::MonoNanos;
    let layout = LatencyLayout::new(&[VenueId::ICE], &[Stage::PublishedToStrategy]).unwrap();
    let recorder = LatencyRecorder::new(LatencySet::new(Arc::new(layout)), MonoNanos::ZERO, 1);
    let strategy = WithRecorder {
        recorder,
        broken: false,
    };
    let mut host = StrategyHost::new(Box::new(strategy), HostLimits::default());
    let board = board();
    host.handle_event(&board, t(5), Some(40), &event(1));
    let rec = host.latency_recorder().expect("a recorder");
    assert_eq!(
        rec.current().iter().map(|(_, h, _)| h.len()).sum::<u64>(),
        1
    );
    // Event 2 arms the accessor's panic (and leaves an order live).
    host.handle_event(&board, t(6), Some(50), &event(2));
    assert_eq!(host.poll_intent().map(|i| i.kind), Some(IntentKind::New));
    assert!(host.latency_recorder().is_none());
    let failure = host.failure().expect("disabled");
    assert_eq!(failure.callback, Callback::LatencyRecorder);
    assert_eq!(failure.message, "recorder accessor broke");
    // Disabled like after a callback panic: never called again, its live
    // order cancelled.
    assert_eq!(host.poll_intent().map(|i| i.kind), Some(IntentKind::Cancel));
    assert_eq!(
        host.handle_event(&board, t(7), None, &event(3)),
        Outcome::Disabled
    );
    assert!(host.latency_recorder().is_none());
}
