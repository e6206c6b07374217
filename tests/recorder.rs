//! The recorder's files: written by `DbnWriter` (directly and from its own
//! thread), read back with Databento's `dbn` crate from disk, every field
//! compared; the finished header carries the end time; a crash leaves valid
//! files with an open end; existing files are never overwritten; schemas not
//! configured, events without a schema and trade busts are counted; a lapped
//! source's missed events are reported.

#[path = "../crates/fixgate-core/tests/dbn_support/mod.rs"]
mod dbn_support;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use dbn::decode::{DbnDecoder, DbnMetadata};
use fixgate::app::recorder::{
    spawn_recorder, DbnWriter, EventSource, RecorderConfig, RecorderError, SourcePoll,
};
use fixgate_core::dbn::{InstrumentSymbol, PublisherMap, Schema};
use fixgate_core::event::{
    Action, Body, ClearBody, Event, EventFlags, EventHeader, EventKind, GapBody, OrderBody,
    QuoteBody, StatBody, StatType, StatusBody, TradeBody, TradingState,
};
use fixgate_core::time::{ManualClock, UtcNanos};
use fixgate_core::types::{InstrumentId, OrderId, Price, Qty, Side, TradeId, VenueId};

use dbn_support::{check_file, is_bust};

const START: UtcNanos = UtcNanos::from_nanos(1_773_671_400_000_000_000);
const END: UtcNanos = UtcNanos::from_nanos(1_773_675_000_000_000_000);

/// A fresh directory under Cargo's scratch area for integration tests.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("recorder-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

fn config(dir: &PathBuf) -> RecorderConfig {
    let mut c = RecorderConfig::new(dir, "run");
    c.instruments = vec![
        (InstrumentId(1), "GPUH6".to_owned()),
        (InstrumentId(2), "ESH1".to_owned()),
    ];
    c.publishers = PublisherMap::identity().with(VenueId::ICE, 29).unwrap();
    c.buffer_bytes = 256; // small, so the test crosses buffer boundaries
    c
}

fn symbols(c: &RecorderConfig) -> Vec<InstrumentSymbol<'_>> {
    c.instruments
        .iter()
        .map(|(id, s)| InstrumentSymbol {
            instrument: *id,
            symbol: s,
        })
        .collect()
}

/// `n` events cycling through every kind (a trade bust and a statistic
/// included), venues CME and ICE, instruments 1 and 2.
fn events(n: usize) -> Vec<Event> {
    (0..n)
        .map(|i| {
            let h = EventHeader {
                flags: EventFlags::from_bits((i * 37) as u8),
                venue: if i % 2 == 0 {
                    VenueId::CME
                } else {
                    VenueId::ICE
                },
                instrument: InstrumentId(1 + (i % 2) as u32),
                ts_recv_ns: UtcNanos::from_nanos(START.as_nanos() + 1_000 * i as u64 + 5),
                ts_event_ns: UtcNanos::from_nanos(START.as_nanos() + 1_000 * i as u64),
                ts_in_delta_ns: i as i32 - 50,
                sequence: i as u32,
            };
            let px = Price::from_e9(2_285_000_000 + i as i64 * 5_000_000);
            let side = [Side::Bid, Side::Ask, Side::None][i % 3];
            let body = match i % 9 {
                0 => Body::Order(OrderBody {
                    order_id: OrderId(i as u64),
                    price_e9: px,
                    priority: i as u64,
                    qty: Qty::from_lots(i as u32),
                    side,
                    action: [Action::Add, Action::Modify, Action::Cancel][i % 3],
                }),
                1 => Body::Quote(QuoteBody {
                    bid_px_e9: px,
                    ask_px_e9: Price::from_e9(px.e9() + 5_000_000),
                    bid_qty: Qty::from_lots(3),
                    ask_qty: Qty::from_lots(4),
                    bid_count: 1,
                    ask_count: 2,
                }),
                2 => Body::Trade(TradeBody {
                    price_e9: px,
                    trade_id: TradeId(i as u64),
                    qty: Qty::from_lots(1),
                    rpt_seq: i as u32,
                    aggressor: side,
                    action: Action::Trade,
                }),
                3 => Body::Status(StatusBody {
                    venue_status: 17,
                    halt_reason: 0,
                    trading_event: 0,
                    state: TradingState::Trading,
                }),
                4 => Body::Clear(ClearBody {
                    channel: 1,
                    rpt_seq: 0,
                    side,
                }),
                5 => {
                    let stat = StatType::ALL[(i / 9) % StatType::COUNT];
                    Body::Stat(StatBody {
                        price_e9: if stat.is_quantity() { Price::NULL } else { px },
                        qty: if stat.is_quantity() {
                            Qty::from_lots(i as u32)
                        } else {
                            Qty::NULL
                        },
                        rpt_seq: i as u32,
                        stat,
                        action: [Action::Add, Action::Modify, Action::Cancel][i % 3],
                        venue_flags: i as u8,
                    })
                }
                6 => Body::Trade(TradeBody {
                    price_e9: px,
                    trade_id: TradeId(i as u64 - 4), // busts the trade four events back
                    qty: Qty::from_lots(1),
                    rpt_seq: i as u32,
                    aggressor: side,
                    action: Action::Cancel,
                }),
                _ => Body::Gap(GapBody {
                    first_seq: i as u64,
                    last_seq: i as u64,
                    channel: 1,
                    instruments_suspect: 0,
                }),
            };
            Event::new(h, body)
        })
        .collect()
}

fn events_of(schema: Schema, events: &[Event]) -> Vec<Event> {
    events
        .iter()
        .filter(|e| {
            let s = match e.kind() {
                EventKind::Order | EventKind::Clear => Schema::MBO,
                EventKind::Quote => Schema::MBP_1,
                EventKind::Trade if is_bust(e) => return false,
                EventKind::Trade => Schema::TRADES,
                EventKind::Status => Schema::STATUS,
                EventKind::Stat => Schema::STATISTICS,
                _ => return false,
            };
            s == schema
        })
        .copied()
        .collect()
}

fn check_files(c: &RecorderConfig, events: &[Event], end: Option<UtcNanos>) -> usize {
    let syms = symbols(c);
    let mut total = 0;
    for schema in c.schemas.iter().copied() {
        let bytes = std::fs::read(c.path_of(schema)).expect("read a recorded file");
        total += check_file(
            &bytes,
            schema,
            &events_of(schema, events),
            &syms,
            START,
            end,
            |ev| c.publishers.publisher_id(ev.venue()),
        );
    }
    total
}

#[test]
fn finished_files_read_back_field_by_field() {
    let dir = scratch("finished");
    let c = config(&dir);
    let evs = events(1_000);
    let mut w = DbnWriter::create(c.clone(), START).expect("create files");
    assert_eq!(w.paths().len(), 5);
    for ev in &evs {
        w.write(ev).unwrap();
    }
    let summary = w.finish(END).expect("finish");
    let records = check_files(&c, &evs, Some(END));
    let gaps = evs.iter().filter(|e| e.kind() == EventKind::Gap).count();
    let busts = evs.iter().filter(|e| is_bust(e)).count();
    assert!(gaps > 0 && busts > 0);
    assert_eq!(records + gaps + busts, evs.len());
    assert_eq!(summary.counts.skipped(EventKind::Gap) as usize, gaps);
    assert_eq!(summary.counts.trade_busts() as usize, busts);
    assert_eq!(
        summary.counts.records(Schema::STATISTICS) as usize,
        events_of(Schema::STATISTICS, &evs).len()
    );
    assert_eq!(summary.files.len(), 5);
    for f in &summary.files {
        assert_eq!(f.path, c.path_of(f.schema));
        assert_eq!(std::fs::metadata(&f.path).unwrap().len(), f.bytes);
        assert_eq!(f.records, events_of(f.schema, &evs).len() as u64);
    }
    assert!(summary.not_selected.is_empty());
    println!(
        "recorder: {records} records in 5 files, {gaps} gap events and {busts} trade busts skipped"
    );
}

#[test]
fn an_unfinished_recording_is_valid_with_an_open_end() {
    let dir = scratch("unfinished");
    let c = config(&dir);
    let evs = events(300);
    let mut w = DbnWriter::create(c.clone(), START).unwrap();
    for ev in &evs {
        w.write(ev).unwrap();
    }
    w.flush().unwrap();
    // As after a crash: the files hold every flushed record, the end is open.
    check_files(&c, &evs, None);
    drop(w);
    check_files(&c, &evs, None);
}

#[test]
fn existing_files_are_never_overwritten() {
    let dir = scratch("exists");
    let c = config(&dir);
    std::fs::write(c.path_of(Schema::TRADES), b"precious").unwrap();
    let err = DbnWriter::create(c.clone(), START).unwrap_err();
    assert!(
        matches!(&err, RecorderError::Io { path, op: "create", .. } if *path == c.path_of(Schema::TRADES)),
        "{err}"
    );
    assert_eq!(
        std::fs::read(c.path_of(Schema::TRADES)).unwrap(),
        b"precious"
    );
}

#[test]
fn bad_symbols_are_refused_at_start() {
    let dir = scratch("badsym");
    let mut c = config(&dir);
    c.instruments.push((InstrumentId(3), "ÉTÉ".to_owned()));
    let err = DbnWriter::create(c, START).unwrap_err();
    assert!(matches!(err, RecorderError::Dbn(_)), "{err}");
}

#[test]
fn only_the_configured_schemas_are_written() {
    let dir = scratch("subset");
    let mut c = config(&dir);
    c.schemas = vec![Schema::TRADES, Schema::STATUS];
    let evs = events(140);
    let mut w = DbnWriter::create(c.clone(), START).unwrap();
    for ev in &evs {
        w.write(ev).unwrap();
    }
    assert_eq!(w.records(Schema::MBO), 0);
    let summary = w.finish(END).unwrap();
    assert!(!c.path_of(Schema::MBO).exists() && !c.path_of(Schema::MBP_1).exists());
    assert!(!c.path_of(Schema::STATISTICS).exists());
    check_files(&c, &evs, Some(END));
    assert_eq!(
        summary.not_selected,
        vec![
            (Schema::MBO, events_of(Schema::MBO, &evs).len() as u64),
            (Schema::MBP_1, events_of(Schema::MBP_1, &evs).len() as u64),
            (
                Schema::STATISTICS,
                events_of(Schema::STATISTICS, &evs).len() as u64
            ),
        ]
    );
}

/// A scripted source: batches of events with laps and idle polls in between.
/// When it closes, it sets `clock` to [`END`], so the end time is deterministic.
struct Scripted {
    events: Vec<Event>,
    at: usize,
    step: usize,
    close: bool,
    /// Whether it says Idle and Missed now and then while it still has events.
    hiccups: bool,
    clock: Arc<ManualClock>,
}

impl Scripted {
    fn new(events: &[Event], close: bool, clock: &Arc<ManualClock>) -> Self {
        Scripted {
            events: events.to_vec(),
            at: 0,
            step: 0,
            close,
            hiccups: close,
            clock: Arc::clone(clock),
        }
    }
}

impl EventSource for Scripted {
    fn poll(&mut self, batch: &mut [Event]) -> SourcePoll {
        self.step += 1;
        if self.hiccups && self.step.is_multiple_of(5) {
            return SourcePoll::Idle;
        }
        let missed = if self.hiccups && self.step.is_multiple_of(7) {
            self.step as u64
        } else {
            0
        };
        let n = (self.events.len() - self.at).min(batch.len()).min(100);
        if n == 0 && missed > 0 {
            return SourcePoll::Batch { missed, copied: 0 };
        }
        if n == 0 {
            return if self.close {
                self.clock.set_utc(END);
                SourcePoll::Closed
            } else {
                SourcePoll::Idle
            };
        }
        batch[..n].copy_from_slice(&self.events[self.at..self.at + n]);
        self.at += n;
        SourcePoll::Batch { missed, copied: n }
    }
}

#[test]
fn the_thread_records_until_the_source_closes_and_counts_laps() {
    let dir = scratch("thread");
    let c = config(&dir);
    let evs = events(2_000);
    // The same script polled here gives the laps and missed counts to expect.
    let (mut laps, mut missed) = (0, 0);
    let mut dry = Scripted::new(&evs, true, &Arc::new(ManualClock::new(START)));
    let mut batch = evs[..256].to_vec();
    loop {
        match dry.poll(&mut batch) {
            SourcePoll::Batch { missed: n, .. } if n > 0 => (laps, missed) = (laps + 1, missed + n),
            SourcePoll::Closed => break,
            _ => {}
        }
    }
    assert!(laps > 0);
    let clock = Arc::new(ManualClock::new(START));
    let source = Scripted::new(&evs, true, &clock);
    let handle = spawn_recorder(c.clone(), source, clock, Duration::from_micros(10)).unwrap();
    let summary = handle.join().expect("recording");
    assert_eq!(summary.events, 2_000);
    assert_eq!((summary.laps, summary.missed), (laps, missed));
    assert_eq!(check_files(&c, &evs, Some(END)), 2_000 - skipped(&evs));
    let dec = DbnDecoder::from_file(c.path_of(Schema::MBO)).unwrap();
    assert_eq!(dec.metadata().end.map(|e| e.get()), Some(END.as_nanos()));
}

#[test]
fn stop_finishes_while_the_source_never_closes() {
    let dir = scratch("stop");
    let c = config(&dir);
    let evs = events(500);
    let clock = Arc::new(ManualClock::new(START));
    let source = Scripted::new(&evs, false, &clock);
    let handle = spawn_recorder(
        c.clone(),
        source,
        Arc::clone(&clock),
        Duration::from_micros(10),
    )
    .unwrap();
    // Stop at once: the thread drains what the source has (until its first
    // Idle), then finishes.
    clock.set_utc(END);
    let summary = handle.stop().expect("stopped");
    assert_eq!(summary.events, 500);
    assert_eq!(check_files(&c, &evs, Some(END)), 500 - skipped(&evs));
}

/// Events without a record: gaps and trade busts.
fn skipped(evs: &[Event]) -> usize {
    evs.iter()
        .filter(|e| e.kind() == EventKind::Gap || is_bust(e))
        .count()
}

/// A producer that never pauses: one event per poll, forever.
struct Endless(Event);

impl EventSource for Endless {
    fn poll(&mut self, batch: &mut [Event]) -> SourcePoll {
        batch[0] = self.0;
        SourcePoll::Batch {
            missed: 0,
            copied: 1,
        }
    }
}

#[test]
fn stop_finishes_even_when_the_source_never_pauses() {
    let dir = scratch("endless");
    let c = config(&dir);
    let trade = events(3)[2];
    assert_eq!(trade.kind(), EventKind::Trade);
    let clock = Arc::new(ManualClock::new(START));
    let handle = spawn_recorder(c.clone(), Endless(trade), clock, Duration::ZERO).unwrap();
    let summary = handle.stop().expect("stopped");
    assert!(summary.events >= 4_096, "drained after the stop");
    let trades = &summary.writer.files[Schema::TRADES.index().unwrap()];
    assert_eq!(trades.records, summary.events);
}

/// What `dbn FILE --json --map-symbols --pretty` (Databento's CLI) prints: the
/// same library calls, with the symbol of each record resolved from the
/// header's symbology by its date.
#[test]
fn databento_json_output_names_the_symbols() {
    use dbn::decode::DecodeRecordRef;
    use dbn::encode::json::Encoder as JsonEncoder;
    use dbn::encode::EncodeRecordTextExt;
    use dbn::SymbolIndex;

    let dir = scratch("json");
    let c = config(&dir);
    let evs = events(14);
    let mut w = DbnWriter::create(c.clone(), START).unwrap();
    for ev in &evs {
        w.write(ev).unwrap();
    }
    w.finish(END).unwrap();
    let mut dec = DbnDecoder::from_file(c.path_of(Schema::TRADES)).unwrap();
    let symbols = dec
        .metadata()
        .symbol_map()
        .expect("dbn builds the symbol map");
    let mut out = Vec::new();
    {
        let mut json = JsonEncoder::builder(&mut out)
            .use_pretty_px(true)
            .use_pretty_ts(true)
            .build();
        while let Some(rec) = dec.decode_record_ref().unwrap() {
            let symbol = symbols.get_for_rec(&rec).map(String::as_str);
            json.encode_ref_with_sym(rec, symbol).unwrap();
        }
    }
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    // Event 2 (instrument 1, GPUH6) and event 11 (instrument 2, ESH1); event 6
    // is a bust, not written.
    assert!(lines[0].contains(r#""symbol":"GPUH6""#), "{}", lines[0]);
    assert!(
        lines[0].contains(r#""price":"2.295000000""#),
        "{}",
        lines[0]
    );
    assert!(
        lines[0].contains(r#""ts_event":"2026-03-16T14:30:00.000002000Z""#),
        "{}",
        lines[0]
    );
    assert!(lines[1].contains(r#""symbol":"ESH1""#), "{}", lines[1]);
    println!("{text}");
}
