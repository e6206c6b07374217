//! The runner's latency recording: every event callback closes the
//! published → strategy stage from the ring's publish stamp, into the
//! runner's own histograms and into the strategy's (the `latency_probe`), and
//! both reach the merger as intervals through the report handoffs.

use std::sync::Arc;
use std::time::Duration;

use fixgate::app::strategy_runner::{RunnerConfig, RunnerLatency, StrategyRunner, Subscription};
use fixgate::report::{LatencySource, Taken};
use fixgate_core::board::Board;
use fixgate_core::event::{Action, Event, EventFlags, EventHeader, TradeBody};
use fixgate_core::latency::{Stage, StageKey};
use fixgate_core::strategy::latency_probe::LatencyProbe;
use fixgate_core::time::{Clock, ManualClock, MonoNanos, TscClock, UtcNanos};
use fixgate_core::types::{InstrumentId, Price, Qty, Side, TradeId, VenueId};
use fixgate_ring::{channel, Producer, RingConfig, WaitStrategy};

const INSTR: InstrumentId = InstrumentId(1);
const KEY: StageKey = StageKey {
    venue: VenueId::CME,
    stage: Stage::PublishedToStrategy,
};

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

fn stamp_with<C: Clock + Send + Sync + 'static>(producer: &mut Producer<Event>, clock: &Arc<C>) {
    let clock = Arc::clone(clock);
    producer.set_publish_clock(Some(Box::new(move || clock.raw().as_raw())));
}

/// What one source delivered: intervals, records, min and max (ns).
#[derive(Debug, Default)]
struct Drained {
    intervals: u64,
    records: u64,
    min: u64,
    max: u64,
    finished: bool,
}

/// Takes every set waiting in `source`, handing each back.
fn drain(source: &LatencySource, into: &mut Drained) {
    loop {
        match source.try_take() {
            Taken::Set(set) => {
                into.intervals += 1;
                let h = set.histogram(KEY).expect("CME published → strategy");
                if !h.is_empty() {
                    into.min = if into.records == 0 {
                        h.min()
                    } else {
                        into.min.min(h.min())
                    };
                    into.max = into.max.max(h.max());
                    into.records += h.len();
                }
                assert!(set.end() >= set.start(), "interval ends before it starts");
                source.give_back(set);
            }
            Taken::Empty => return,
            Taken::Finished => {
                into.finished = true;
                return;
            }
        }
    }
}

fn wait_for_events(runner: &StrategyRunner, want: u64) {
    let status = Arc::clone(runner.status());
    for _ in 0..10_000 {
        if status.counter("events").unwrap_or(0) >= want {
            return;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    panic!("runner saw {:?} of {want} events", status.counter("events"));
}

#[test]
fn every_callback_records_the_stage_once_with_the_stamped_delay() {
    const N: u32 = 200;
    let clock = Arc::new(ManualClock::new(UtcNanos::from_nanos(1)));
    clock.set_mono(MonoNanos::from_nanos(1_000_000));
    let (board, _writer) = Board::new(&[(INSTR, VenueId::CME)]).unwrap();
    let (mut blocking_ring, blocking_subs) =
        channel::<Event>(RingConfig::with_capacity(1024)).unwrap();
    let (mut lossy_ring, lossy_subs) = channel::<Event>(RingConfig::with_capacity(1024)).unwrap();
    // A third ring whose producer has no publish clock: delivered, not timed.
    let (mut bare_ring, bare_subs) = channel::<Event>(RingConfig::with_capacity(64)).unwrap();
    stamp_with(&mut blocking_ring, &clock);
    stamp_with(&mut lossy_ring, &clock);
    let subs = vec![
        Subscription::Blocking(blocking_subs.blocking(WaitStrategy::BACKOFF).unwrap()),
        Subscription::Lossy(lossy_subs.lossy(WaitStrategy::BACKOFF)),
        Subscription::Lossy(bare_subs.lossy(WaitStrategy::BACKOFF)),
    ];
    let events: Vec<Event> = (1..=N).map(trade).collect();
    for chunk in events.chunks(50) {
        blocking_ring.publish_batch(chunk);
        lossy_ring.publish_batch(chunk);
    }
    bare_ring.publish_batch(&events[..7]);
    // Every event was published at mono 1 000 000; the callbacks all run at
    // 1 000 750 (the clock does not move by itself).
    clock.advance_nanos(750);

    let latency = RunnerLatency {
        clock: clock.clone(),
        venues: vec![VenueId::CME],
        interval: Duration::from_secs(3600),
        spares: 2,
    };
    let mut runner = StrategyRunner::spawn_with_latency(
        Box::new(LatencyProbe::new(&[VenueId::CME]).unwrap()),
        RunnerConfig::new("probe"),
        board,
        subs,
        Some(latency),
    )
    .unwrap();
    let sources = runner.take_latency_sources();
    assert_eq!(sources.len(), 2, "the runner's and the probe's");
    assert_eq!(sources[0].name(), "probe");
    assert_eq!(sources[1].name(), "probe/strategy");
    wait_for_events(&runner, 2 * u64::from(N) + 7);
    let status = Arc::clone(runner.status());
    let report = runner.join(Duration::from_secs(10)).unwrap();
    assert_eq!(report.stats.events, 2 * u64::from(N) + 7);
    assert_eq!(status.counter("events_unstamped"), Some(7));

    for source in &sources {
        let mut got = Drained::default();
        drain(source, &mut got);
        assert!(
            got.finished,
            "{}: the runner sent its last interval",
            source.name()
        );
        // One interval (an hour long): the final, partial one sent at stop.
        assert_eq!(got.intervals, 1, "{}", source.name());
        assert_eq!(got.records, 2 * u64::from(N), "{}", source.name());
        assert_eq!((got.min, got.max), (750, 750), "{}", source.name());
    }
    let any: Box<dyn std::any::Any> = report.strategy;
    let probe = any.downcast::<LatencyProbe>().unwrap();
    assert_eq!(probe.counts().events, 2 * u64::from(N) + 7);
    // Its last interval went to the merger at stop.
    assert_eq!(probe.intervals_rotated(), 1);
    assert!(probe.published_to_strategy().is_empty());
}

#[test]
fn a_live_tsc_run_rotates_intervals_and_loses_no_record() {
    const N: u32 = 3_000;
    let clock = Arc::new(TscClock::new());
    let (board, _writer) = Board::new(&[(INSTR, VenueId::CME)]).unwrap();
    let (mut ring, subs) = channel::<Event>(RingConfig::with_capacity(256)).unwrap();
    stamp_with(&mut ring, &clock);
    let subs = vec![Subscription::Blocking(
        subs.blocking(WaitStrategy::BACKOFF).unwrap(),
    )];
    let latency = RunnerLatency {
        clock: clock.clone(),
        venues: vec![VenueId::CME],
        interval: Duration::from_millis(2),
        spares: 4,
    };
    let probe = LatencyProbe::with_interval(&[VenueId::CME], 2_000_000).unwrap();
    let mut runner = StrategyRunner::spawn_with_latency(
        Box::new(probe),
        RunnerConfig::new("live"),
        board,
        subs,
        Some(latency),
    )
    .unwrap();
    let sources = runner.take_latency_sources();
    let mut got: Vec<Drained> = sources.iter().map(|_| Drained::default()).collect();
    let events: Vec<Event> = (1..=N).map(trade).collect();
    for (i, chunk) in events.chunks(30).enumerate() {
        ring.publish_batch(chunk);
        if i % 5 == 0 {
            // The merger's turn (this thread plays it), and time passing.
            for (source, g) in sources.iter().zip(&mut got) {
                drain(source, g);
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }
    wait_for_events(&runner, u64::from(N));
    runner.join(Duration::from_secs(10)).unwrap();
    for (source, g) in sources.iter().zip(&mut got) {
        drain(source, g);
        assert!(g.finished, "{}", source.name());
        assert_eq!(
            g.records,
            u64::from(N),
            "{}: every callback once",
            source.name()
        );
        assert!(
            g.intervals > 1,
            "{}: {} intervals",
            source.name(),
            g.intervals
        );
        // Sane: the subscriber is woken within a second on any machine.
        assert!(g.max < 1_000_000_000, "{}: max {} ns", source.name(), g.max);
        println!(
            "{}: {} records in {} intervals, {}..{} ns",
            source.name(),
            g.records,
            g.intervals,
            g.min,
            g.max
        );
    }
}
