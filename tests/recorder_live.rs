//! The recorder on the live path: behind fixgate's broadcast ring as a Lossy
//! subscriber (everything recorded when it keeps up; when lapped, exactly the
//! lost events counted, and the producer never waits), and as the `recorder`
//! built-in strategy under a `StrategyHost` (no intents, periodic flush on the
//! runner's clock, files finished at stop, laps counted).

#[path = "../crates/fixgate-core/tests/dbn_support/mod.rs"]
mod dbn_support;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use fixgate::app::recorder::{spawn_recorder, RecorderConfig, RecorderStrategy};
use fixgate_core::board::Board;
use fixgate_core::dbn::{InstrumentSymbol, Schema};
use fixgate_core::event::{
    Action, Event, EventFlags, EventHeader, EventKind, OrderBody, TradeBody,
};
use fixgate_core::strategy::{HostLimits, Outcome, StrategyHost};
use fixgate_core::time::{ManualClock, UtcNanos};
use fixgate_core::types::{InstrumentId, OrderId, Price, Qty, Side, TradeId, VenueId};
use fixgate_ring::{channel, RingConfig, WaitStrategy};

use dbn_support::check_file;

const START: UtcNanos = UtcNanos::from_nanos(1_773_671_400_000_000_000);
const INSTR: InstrumentId = InstrumentId(9);

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("recorder-live-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

fn config(dir: &PathBuf) -> RecorderConfig {
    let mut c = RecorderConfig::new(dir, "live");
    c.instruments = vec![(INSTR, "GPUM6".to_owned())];
    c
}

/// Event `i`: a trade when `i` is even, an order add otherwise; `sequence` = `i`.
fn event(i: u64) -> Event {
    let h = EventHeader {
        flags: EventFlags::LAST,
        venue: VenueId::CME,
        instrument: INSTR,
        ts_recv_ns: UtcNanos::from_nanos(START.as_nanos() + i * 10 + 3),
        ts_event_ns: UtcNanos::from_nanos(START.as_nanos() + i * 10),
        ts_in_delta_ns: 0,
        sequence: i as u32,
    };
    let px = Price::from_e9(2_000_000_000 + i as i64);
    if i.is_multiple_of(2) {
        Event::new(
            h,
            TradeBody {
                price_e9: px,
                trade_id: TradeId(i),
                qty: Qty::from_lots(1),
                rpt_seq: 0,
                aggressor: Side::Bid,
                action: Action::Trade,
            },
        )
    } else {
        Event::new(
            h,
            OrderBody {
                order_id: OrderId(i),
                price_e9: px,
                priority: 0,
                qty: Qty::from_lots(2),
                side: Side::Ask,
                action: Action::Add,
            },
        )
    }
}

/// Reads back `schema`'s file, comparing its records with `expected`.
fn check(c: &RecorderConfig, schema: Schema, expected: &[Event], end: Option<UtcNanos>) -> usize {
    let symbols = [InstrumentSymbol {
        instrument: INSTR,
        symbol: "GPUM6",
    }];
    let bytes = std::fs::read(c.path_of(schema)).expect("read recorded file");
    check_file(&bytes, schema, expected, &symbols, START, end, |_| 1)
}

fn split(events: &[Event]) -> (Vec<Event>, Vec<Event>) {
    events.iter().partition(|e| e.kind() == EventKind::Trade)
}

#[test]
fn a_lossy_subscriber_that_keeps_up_records_everything() {
    let dir = scratch("keeps-up");
    let c = config(&dir);
    let (mut producer, subs) = channel::<Event>(RingConfig::with_capacity(1 << 16)).unwrap();
    let lossy = subs.lossy(WaitStrategy::default());
    let clock = Arc::new(ManualClock::new(START));
    let handle = spawn_recorder(
        c.clone(),
        lossy,
        Arc::clone(&clock),
        Duration::from_micros(50),
    )
    .unwrap();
    let n = 20_000;
    let events: Vec<Event> = (0..n).map(event).collect();
    for ev in &events {
        producer.publish(*ev);
    }
    assert_eq!(
        producer.stats().waits,
        0,
        "a lossy subscriber never holds the producer"
    );
    drop(producer); // closes the ring: the recorder drains and finishes
    let summary = handle.join().expect("recording");
    assert_eq!((summary.events, summary.missed, summary.laps), (n, 0, 0));
    let (trades, orders) = split(&events);
    let end = Some(START);
    assert_eq!(check(&c, Schema::TRADES, &trades, end), trades.len());
    assert_eq!(check(&c, Schema::MBO, &orders, end), orders.len());
    println!("recorder behind the ring: {n} events, none missed");
}

#[test]
fn a_lapped_recorder_counts_exactly_what_it_lost() {
    let dir = scratch("lapped");
    let c = config(&dir);
    let (mut producer, subs) = channel::<Event>(RingConfig::with_capacity(64)).unwrap();
    let lossy = subs.lossy(WaitStrategy::default());
    // Everything is published before the recorder reads anything: a 64-slot
    // ring keeps only the newest events.
    let n = 1_000;
    let events: Vec<Event> = (0..n).map(event).collect();
    for ev in &events {
        producer.publish(*ev);
    }
    assert_eq!(producer.stats().waits, 0);
    drop(producer);
    let clock = Arc::new(ManualClock::new(START));
    let handle = spawn_recorder(c.clone(), lossy, clock, Duration::from_micros(50)).unwrap();
    let summary = handle.join().expect("recording");
    assert!(summary.missed > 0 && summary.laps >= 1);
    assert_eq!(
        summary.events + summary.missed,
        n,
        "every event recorded or counted"
    );
    // What was recorded is the newest events, in order, intact.
    let kept = &events[(n - summary.events) as usize..];
    let (trades, orders) = split(kept);
    check(&c, Schema::TRADES, &trades, Some(START));
    check(&c, Schema::MBO, &orders, Some(START));
    println!(
        "recorder lapped: {} recorded, {} missed in {} laps",
        summary.events, summary.missed, summary.laps
    );
}

#[test]
fn the_recorder_strategy_under_a_host() {
    let dir = scratch("strategy");
    let c = config(&dir);
    let (board, _writer) = Board::new(&[(INSTR, VenueId::CME)]).unwrap();
    let flush_every = Duration::from_millis(100);
    let strategy = RecorderStrategy::create(c.clone(), START, flush_every).unwrap();
    let mut host = StrategyHost::new(Box::new(strategy), HostLimits::default());
    let at = |ms: u64| UtcNanos::from_nanos(START.as_nanos() + ms * 1_000_000);
    assert_eq!(host.handle_start(&board, START), Outcome::Ran);
    assert_eq!(host.poll_timeout(), Some(at(100)), "the flush timer");
    let events: Vec<Event> = (0..100).map(event).collect();
    for ev in &events[..60] {
        assert_eq!(host.handle_event(&board, at(50), None, ev), Outcome::Ran);
    }
    host.handle_batch_end(&board, at(50));
    assert_eq!(host.handle_lapped(&board, at(60), 7), Outcome::Ran);
    // Before the flush, the 60 records may sit in the buffers; after the timer
    // they are in the files, still with an open end.
    assert_eq!(host.handle_timeout(&board, at(100)), Outcome::Ran);
    let (trades, orders) = split(&events[..60]);
    check(&c, Schema::TRADES, &trades, None);
    check(&c, Schema::MBO, &orders, None);
    assert_eq!(host.poll_timeout(), Some(at(200)), "re-armed");
    for ev in &events[60..] {
        host.handle_event(&board, at(150), None, ev);
    }
    assert_eq!(host.handle_stop(&board, at(300)), Outcome::Ran);
    assert_eq!(host.poll_intent(), None, "the recorder sends nothing");
    let strategy = (host.into_strategy() as Box<dyn std::any::Any>)
        .downcast::<RecorderStrategy>()
        .expect("the recorder comes back");
    assert!(strategy.error().is_none());
    assert_eq!(
        (strategy.events(), strategy.missed(), strategy.laps()),
        (100, 7, 1)
    );
    let summary = strategy.summary().expect("finished at stop");
    assert_eq!(summary.counts.total_records(), 100);
    let (trades, orders) = split(&events);
    assert_eq!(check(&c, Schema::TRADES, &trades, Some(at(300))), 50);
    assert_eq!(check(&c, Schema::MBO, &orders, Some(at(300))), 50);
}
