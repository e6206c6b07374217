//! Strategy runners on real threads and rings: order of delivery, lapping,
//! panic containment (disabled, reported, orders cancelled, others go on),
//! pinning checks, timers, order updates, and strategies from configuration.

use std::any::Any;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use fixgate::app::order_rings::IntentReceiver;
use fixgate::app::pin::PinError;
use fixgate::app::strategies::{
    parse_strategies, start_strategies, StrategyConfigError, StrategyRegistry, Wiring,
};
use fixgate::app::strategy_runner::{
    RunReport, RunnerConfig, RunnerError, RunnerState, StrategyRunner, Subscription, TimeSource,
};
use fixgate_core::board::{Board, BoardWriter};
use fixgate_core::event::{Action, Event, EventFlags, EventHeader, LevelBody, TradeBody};
use fixgate_core::strategy::market_maker::MarketMaker;
use fixgate_core::strategy::{
    Context, Intent, IntentKind, OrderUpdate, OrderUpdateKind, Strategy, StrategyOrderId,
};
use fixgate_core::time::UtcNanos;
use fixgate_core::types::{InstrumentId, Price, Qty, Side, TradeId, VenueId};
use fixgate_ring::{channel, Producer, RingConfig, Subscribers, WaitStrategy};

const INSTR: InstrumentId = InstrumentId(7);
const JOIN: Duration = Duration::from_secs(10);

fn trade(seq: u32, venue: VenueId) -> Event {
    Event::new(
        EventHeader {
            flags: EventFlags::LAST,
            venue,
            instrument: INSTR,
            ts_recv_ns: UtcNanos::from_nanos(1_000 * u64::from(seq)),
            ts_event_ns: UtcNanos::from_nanos(1_000 * u64::from(seq)),
            ts_in_delta_ns: 0,
            sequence: seq,
        },
        TradeBody {
            price_e9: Price::from_e9(1),
            trade_id: TradeId(u64::from(seq)),
            qty: Qty::from_lots(1),
            rpt_seq: seq,
            aggressor: Side::Bid,
            action: Action::Trade,
        },
    )
}

fn ring(capacity: usize) -> (Producer<Event>, Subscribers<Event>) {
    channel(RingConfig::with_capacity(capacity)).unwrap()
}

fn board() -> (Arc<Board>, BoardWriter) {
    Board::new(&[(INSTR, VenueId::CME)]).unwrap()
}

/// Records what it is called with.
#[derive(Default)]
struct Tape {
    events: Vec<(VenueId, u32)>,
    batches: u64,
    lapped: Vec<u64>,
    timers: Vec<(u64, u64)>,
    updates: Vec<OrderUpdateKind>,
    /// Panic at this sequence (after sending orders).
    panic_at: Option<u32>,
    /// Send a new order at each event.
    quote: bool,
    stopped: bool,
}

impl Strategy for Tape {
    fn on_start(&mut self, ctx: &mut Context<'_>) {
        // Event time: fires once the stream passes 5 µs.
        ctx.set_timer(UtcNanos::from_nanos(5_000), 42).unwrap();
    }
    fn on_event(&mut self, ctx: &mut Context<'_>, event: &Event) {
        self.events.push((event.venue(), event.sequence()));
        if self.quote {
            let id = StrategyOrderId(u64::from(event.sequence()));
            let intent =
                Intent::new_order(id, INSTR, Side::Ask, Price::from_e9(10), Qty::from_lots(1));
            ctx.submit(intent).unwrap();
        }
        if self.panic_at == Some(event.sequence()) {
            panic!("tape broke at {}", event.sequence());
        }
    }
    fn on_batch_end(&mut self, _ctx: &mut Context<'_>) {
        self.batches += 1;
    }
    fn on_timer(&mut self, ctx: &mut Context<'_>, token: u64) {
        self.timers.push((token, ctx.now().as_nanos()));
    }
    fn on_lapped(&mut self, _ctx: &mut Context<'_>, missed: u64) {
        self.lapped.push(missed);
    }
    fn on_order_update(&mut self, _ctx: &mut Context<'_>, update: &OrderUpdate) {
        self.updates.push(update.kind);
    }
    fn on_stop(&mut self, _ctx: &mut Context<'_>) {
        self.stopped = true;
    }
}

fn tape_of(report: RunReport) -> Tape {
    let any: Box<dyn Any> = report.strategy;
    *any.downcast::<Tape>().unwrap()
}

/// Waits (bounded) until `cond` holds.
fn eventually(what: &str, mut cond: impl FnMut() -> bool) {
    for _ in 0..10_000 {
        if cond() {
            return;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    panic!("timed out waiting for {what}");
}

fn drain(rx: &mut IntentReceiver) -> Vec<Intent> {
    let (mut out, mut bad) = (Vec::new(), 0);
    while rx.poll(64, &mut bad, |i| out.push(i)) > 0 {}
    assert_eq!(bad, 0);
    out
}

#[test]
fn runner_delivers_every_event_in_order_from_two_rings() {
    let (board, _writer) = board();
    let (mut cme, cme_subs) = ring(64);
    let (mut ice, ice_subs) = ring(8);
    let subs = vec![
        Subscription::Blocking(cme_subs.blocking(WaitStrategy::BACKOFF).unwrap()),
        Subscription::Blocking(ice_subs.blocking(WaitStrategy::BACKOFF).unwrap()),
    ];
    let runner = StrategyRunner::spawn(
        Box::new(Tape::default()),
        RunnerConfig::new("tape"),
        board,
        subs,
    )
    .unwrap();
    // The thread reports Running once on_start returned; spawn does not wait for it.
    eventually("the runner to start", || {
        runner.status().state() == RunnerState::Running
    });
    // The producers outrun the 8- and 64-slot rings: blocking subscribers hold
    // them back, nothing is lost.
    for seq in 1..=2_000 {
        cme.publish(trade(seq, VenueId::CME));
        ice.publish(trade(seq, VenueId::ICE));
    }
    let status = Arc::clone(runner.status());
    eventually("all events", || status.counter("events") == Some(4_000));
    let report = runner.join(JOIN).unwrap();
    assert_eq!(report.failure, None);
    let tape = tape_of(report);
    for venue in [VenueId::CME, VenueId::ICE] {
        let seqs: Vec<u32> = tape
            .events
            .iter()
            .filter(|(v, _)| *v == venue)
            .map(|&(_, s)| s)
            .collect();
        assert_eq!(seqs, (1..=2_000).collect::<Vec<_>>(), "{venue} in order");
    }
    assert!(tape.batches >= 2 && tape.batches <= 4_000);
    assert_eq!(status.counter("batches"), Some(tape.batches));
    // Event time: the timer set for 5 µs fired when the stream passed it.
    assert_eq!(tape.timers.len(), 1);
    assert!(tape.timers[0].1 >= 5_000);
    assert!(tape.stopped, "on_stop ran");
    assert_eq!(status.state(), RunnerState::Stopped);
}

#[test]
fn a_lapped_lossy_subscriber_is_told_how_many_it_missed() {
    let (board, _writer) = board();
    let (mut producer, subscribers) = ring(16);
    let lossy = subscribers.lossy(WaitStrategy::BACKOFF);
    // 100 events into 16 slots before the runner reads: it is lapped.
    for seq in 1..=100 {
        producer.publish(trade(seq, VenueId::CME));
    }
    let runner = StrategyRunner::spawn(
        Box::new(Tape::default()),
        RunnerConfig::new("lossy"),
        board,
        vec![Subscription::Lossy(lossy)],
    )
    .unwrap();
    let status = Arc::clone(runner.status());
    eventually("the lap", || status.counter("laps") == Some(1));
    for seq in 101..=110 {
        producer.publish(trade(seq, VenueId::CME));
    }
    eventually("the later events", || {
        status.counter("events").unwrap_or(0) + status.counter("events_missed").unwrap_or(0) == 110
    });
    let tape = tape_of(runner.join(JOIN).unwrap());
    let missed: u64 = tape.lapped.iter().sum();
    assert_eq!(tape.lapped.len(), 1);
    assert_eq!(missed + tape.events.len() as u64, 110, "exact count");
    // It resumed at the newest event, then read on in order.
    let seqs: Vec<u32> = tape.events.iter().map(|&(_, s)| s).collect();
    assert_eq!(seqs.last(), Some(&110));
    assert!(seqs.windows(2).all(|w| w[1] == w[0] + 1));
}

#[test]
fn a_panicking_strategy_is_disabled_its_orders_cancelled_and_others_go_on() {
    let (board, _writer) = board();
    let (mut producer, subscribers) = ring(8);
    let spawn = |label: &str, tape: Tape| {
        let sub = Subscription::Blocking(subscribers.blocking(WaitStrategy::BACKOFF).unwrap());
        StrategyRunner::spawn(
            Box::new(tape),
            RunnerConfig::new(label),
            Arc::clone(&board),
            vec![sub],
        )
        .unwrap()
    };
    let mut bad = spawn(
        "bad",
        Tape {
            quote: true,
            panic_at: Some(5),
            ..Tape::default()
        },
    );
    let good = spawn("good", Tape::default());
    let mut bad_intents = bad.take_intents().unwrap();
    let mut bad_updates = bad.take_update_sender().unwrap();

    for seq in 1..=3 {
        producer.publish(trade(seq, VenueId::CME));
    }
    let mut sent = Vec::new();
    eventually("three orders", || {
        sent.extend(drain(&mut bad_intents));
        sent.len() == 3
    });
    // Order 2 fills: it must not be cancelled later.
    bad_updates.send(&OrderUpdate {
        kind: OrderUpdateKind::Filled,
        order_id: StrategyOrderId(2),
        instrument: INSTR,
        side: Side::Ask,
        price_e9: Price::from_e9(10),
        last_px_e9: Price::from_e9(10),
        last_qty: Qty::from_lots(1),
        cum_qty: Qty::from_lots(1),
        leaves_qty: Qty::ZERO,
        ts_event_ns: UtcNanos::from_nanos(1),
    });
    let status = Arc::clone(bad.status());
    eventually("the fill", || status.counter("order_updates") == Some(1));

    // Event 5 panics the bad strategy. The producer then publishes far more
    // than the ring holds: the disabled strategy's blocking seat is released,
    // so nothing waits for it.
    for seq in 4..=500 {
        producer.publish(trade(seq, VenueId::CME));
    }
    eventually("the failure", || status.state() == RunnerState::Disabled);
    let failure = status.failure().unwrap();
    assert_eq!(failure.message, "tape broke at 5");
    assert_eq!(status.counter("panics"), Some(1));

    // Orders 4 and 5 (sent before the panic) go out, then cancels for every
    // order still live: 1, 3, 4, 5 (not 2, filled).
    eventually("the cancels", || {
        sent.extend(drain(&mut bad_intents));
        sent.iter().filter(|i| i.kind == IntentKind::Cancel).count() == 4
    });
    let news: Vec<u64> = sent
        .iter()
        .filter(|i| i.kind == IntentKind::New)
        .map(|i| i.order_id.0)
        .collect();
    let mut cancels: Vec<u64> = sent
        .iter()
        .filter(|i| i.kind == IntentKind::Cancel)
        .map(|i| i.order_id.0)
        .collect();
    cancels.sort_unstable();
    assert_eq!(news, [1, 2, 3, 4, 5]);
    assert_eq!(cancels, [1, 3, 4, 5]);

    // The good strategy saw everything.
    let good_status = Arc::clone(good.status());
    eventually("the good one", || {
        good_status.counter("events") == Some(500)
    });
    assert_eq!(good_status.state(), RunnerState::Running);
    let good_tape = tape_of(good.join(JOIN).unwrap());
    assert_eq!(good_tape.events.len(), 500);

    let report = bad.join(JOIN).unwrap();
    assert_eq!(report.failure.as_ref().unwrap().message, "tape broke at 5");
    let tape = tape_of(report);
    assert_eq!(tape.events.len(), 5, "never called after the panic");
    assert!(!tape.stopped, "not even on_stop");
    assert_eq!(tape.updates, [OrderUpdateKind::Filled]);
}

#[test]
fn pinning_to_a_cpu_that_does_not_exist_is_refused() {
    let (board, _writer) = board();
    let mut config = RunnerConfig::new("pinned");
    config.cpu = Some(100_000);
    let err =
        StrategyRunner::spawn(Box::new(Tape::default()), config, board, Vec::new()).unwrap_err();
    if cfg!(target_os = "linux") {
        assert!(
            matches!(
                err,
                RunnerError::Pin {
                    source: PinError::NoSuchCpu { cpu: 100_000, .. },
                    ..
                }
            ),
            "{err}"
        );
    } else {
        assert!(matches!(err, RunnerError::Pin { .. }), "{err}");
    }
    assert!(err.to_string().contains("CPU 100000"), "{err}");
}

#[test]
fn pinning_to_an_allowed_cpu_starts() {
    let (board, _writer) = board();
    let mut config = RunnerConfig::new("pinned-ok");
    config.cpu = Some(fixgate::app::pin::current_cpu().unwrap_or(0));
    match StrategyRunner::spawn(Box::new(Tape::default()), config, board, Vec::new()) {
        Ok(runner) => {
            runner.join(JOIN).unwrap();
        }
        Err(RunnerError::Pin {
            source: PinError::Unsupported { .. },
            ..
        }) => println!("skipped: pinning unsupported here"),
        Err(e) => panic!("{e}"),
    }
}

const CONFIG: &str = r#"
[[strategy]]
name = "market_maker"
label = "mm"
subscribe = [{ ring = "cme", mode = "blocking" }]
[strategy.params]
instrument_id = 7
tick_e9 = 1000000000
half_spread_ticks = 1
size_lots = 2
max_position_lots = 4
skew_ticks_per_lot = 1
requote_threshold_ticks = 1

[[strategy]]
name = "latency_probe"
subscribe = [{ ring = "cme", mode = "lossy" }]
[strategy.params]
venues = ["CME"]
"#;

#[test]
fn strategies_from_configuration_quote_and_measure() {
    let (board, mut writer) = board();
    let (mut producer, subscribers) = ring(64);
    let wiring = Wiring {
        board: Arc::clone(&board),
        rings: BTreeMap::from([("cme".to_owned(), subscribers)]),
        time: TimeSource::EventTime,
        spinning_cpus: None,
        latency: None,
    };
    let configs = parse_strategies(CONFIG).unwrap();
    let registry = StrategyRegistry::with_builtins();
    let mut runners = start_strategies(&registry, &configs, &wiring).unwrap();
    assert_eq!(runners[0].label(), "mm");
    assert_eq!(runners[1].label(), "latency_probe-1");
    let mut mm_intents = runners[0].take_intents().unwrap();

    // The normalizer's order: board first, then the event.
    for (seq, side, px) in [(1, Side::Bid, 100), (2, Side::Ask, 104)] {
        let level = Event::new(
            EventHeader {
                flags: EventFlags::LAST,
                venue: VenueId::CME,
                instrument: INSTR,
                ts_recv_ns: UtcNanos::from_nanos(seq * 1_000),
                ts_event_ns: UtcNanos::from_nanos(seq * 1_000),
                ts_in_delta_ns: 0,
                sequence: seq as u32,
            },
            LevelBody {
                price_e9: Price::from_e9(px * 1_000_000_000),
                qty: Qty::from_lots(5),
                order_count: 1,
                rpt_seq: 0,
                level: 1,
                side,
                action: Action::Add,
            },
        );
        writer.apply(&level);
        producer.publish(level);
    }
    // Mid 102, half spread 1: 101 bid, 103 ask, 2 lots each.
    let mut sent = Vec::new();
    eventually("two quotes", || {
        sent.extend(drain(&mut mm_intents));
        sent.len() == 2
    });
    let quotes: Vec<(Side, i64, u32)> = sent
        .iter()
        .map(|i| (i.side, i.price_e9.e9() / 1_000_000_000, i.qty.lots()))
        .collect();
    assert_eq!(quotes, [(Side::Bid, 101, 2), (Side::Ask, 103, 2)]);

    let probe = runners.pop().unwrap().join(JOIN).unwrap();
    let mm = runners.pop().unwrap().join(JOIN).unwrap();
    let any: Box<dyn Any> = mm.strategy;
    assert_eq!(any.downcast::<MarketMaker>().unwrap().position_lots(), 0);
    assert_eq!(probe.stats.events + probe.stats.events_missed, 2);
}

#[test]
fn configuration_errors_name_the_block_and_the_parameter() {
    let (board, _writer) = board();
    let (_producer, subscribers) = ring(8);
    let wiring = Wiring {
        board,
        rings: BTreeMap::from([("cme".to_owned(), subscribers)]),
        time: TimeSource::EventTime,
        spinning_cpus: None,
        latency: None,
    };
    let registry = StrategyRegistry::with_builtins();
    let start = |text: &str| {
        let configs = parse_strategies(text)?;
        start_strategies(&registry, &configs, &wiring).map(|_| ())
    };
    let mm = |params: &str| {
        format!(
            "[[strategy]]\nname = \"market_maker\"\n[strategy.params]\n{params}\n\
             tick_e9 = 1\nhalf_spread_ticks = 1\nsize_lots = 1\nmax_position_lots = 1\n\
             skew_ticks_per_lot = 0\nrequote_threshold_ticks = 1\n"
        )
    };

    let err = start("[[strategy]]\nname = \"martingale\"\n").unwrap_err();
    assert!(matches!(
        err,
        StrategyConfigError::UnknownStrategy { index: 0, .. }
    ));
    assert_eq!(
        err.to_string(),
        "[[strategy]] 0: unknown strategy \"martingale\" (known: latency_probe, market_maker)"
    );

    let err = start(&mm("instrument_id = \"seven\"")).unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(err, StrategyConfigError::Params { index: 0, .. }),
        "{text}"
    );
    assert!(text.contains("instrument_id"), "{text}");

    let err = start(&mm("instrument_id = 7\nsize = 3")).unwrap_err();
    assert!(err.to_string().contains("unknown field `size`"), "{err}");

    let err = start(&mm("")).unwrap_err();
    assert!(
        err.to_string().contains("missing field `instrument_id`"),
        "{err}"
    );

    let err = start(&mm("instrument_id = 0")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "[[strategy]] 0 (market_maker): parameter instrument_id: must not be 0 (no instrument)"
    );

    let err = start(
        "[[strategy]]\nname = \"latency_probe\"\nsubscribe = [{ ring = \"ice\", mode = \"lossy\" }]\n",
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "[[strategy]] 0 (latency_probe): unknown ring \"ice\""
    );

    let err = start("[[strategy]]\nname = \"latency_probe\"\ncpu = 100000\n").unwrap_err();
    assert!(err.to_string().contains("CPU 100000"), "{err}");

    let err = start("[[strategy]]\nname = \"latency_probe\"\nwait = \"nap\"\n").unwrap_err();
    assert!(matches!(err, StrategyConfigError::Parse { .. }), "{err}");
}

#[test]
fn a_panic_in_on_start_is_reported_too() {
    struct Fragile;
    impl Strategy for Fragile {
        fn on_start(&mut self, _ctx: &mut Context<'_>) {
            panic!("no config");
        }
        fn on_event(&mut self, _ctx: &mut Context<'_>, _event: &Event) {}
    }
    let (board, _writer) = board();
    let runner = StrategyRunner::spawn(
        Box::new(Fragile),
        RunnerConfig::new("fragile"),
        board,
        Vec::new(),
    )
    .unwrap();
    let status = Arc::clone(runner.status());
    eventually("the failure", || status.state() == RunnerState::Disabled);
    assert_eq!(
        status.failure().unwrap().callback,
        fixgate_core::strategy::Callback::Start
    );
    assert_eq!(status.counter("panics"), Some(1));
    let report = runner.join(JOIN).unwrap();
    assert_eq!(report.failure.unwrap().message, "no config");
}
