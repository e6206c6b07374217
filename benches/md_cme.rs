//! CME MDP 3.0 benchmark: decode alone, and decode + book + normalize, over the
//! recorded stream built from the real captures (`tests/support/cme_stream.rs`:
//! the real definition packet and 54s for the other instruments, the seeding
//! 52/53 snapshots, the nine real incremental packets of v5/v8/v9), with a raw
//! `dbn` record walk over the same book entries as the floor.
//!
//! One iteration is one pass over the whole stream (every packet: definitions,
//! snapshots and incrementals). Before each pass of the normalizing bench,
//! every packet's `MsgSeqNum` and every `RptSeq` are shifted past the last
//! pass's (outside the timing), so each pass is applied in full: the duplicate
//! and stale-entry paths are not what is measured (asserted after the run).
//!
//! - `md_cme/decode`: frame every message, decode its view, read every field
//!   the adapter reads from every entry (book, order, trade, statistic,
//!   snapshot and definition), summed into a `black_box`.
//! - `md_cme/decode_book_normalize`: `CmeNormalizer::handle_packet` on every
//!   packet: decoding, sequencing, registry, MBP/implied/MBO books, statistics,
//!   event assembly (`LAST`, top-of-book quotes) into a sink that counts.
//! - `md_cme/dbn_walk`: one DBN `MboMsg` per book entry of the stream (price,
//!   size, side, action, order id, times, sequence), encoded once into a buffer;
//!   an iteration walks it with `dbn::decode::dbn::RecordDecoder` reading price
//!   and size: what reading the same entries costs when they are already
//!   normalized fixed-size records.
//!
//! Throughput is in book entries (32/46/52 levels and 32/46/47/53 orders); the
//! bench also prints ns per packet, per SBE message and per book entry from a
//! plain timed loop. Without `../shared` it prints SKIPPED and runs nothing.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use dbn::decode::dbn::RecordDecoder;
use dbn::encode::dbn::RecordEncoder;
use dbn::encode::EncodeRecord;
use dbn::MboMsg;
use fixgate_core::event::{Event, EventFlags};
use fixgate_core::md::cme::{CmeMessage, DecodeCounters, Packet};
use fixgate_core::normalize::batch::FnSink;
use fixgate_core::normalize::cme::{CmeConfig, CmeNormalizer, Feed, PacketIn};
use fixgate_core::time::{Clock, MonoNanos, SystemClock, UtcNanos};

#[path = "../tests/support"]
mod cme_support {
    pub mod cme;
    pub mod cme_encode;
    pub mod cme_encode_recovery;
    pub mod cme_stream;
    pub mod shared;
}

use cme_support::cme_stream::{build, Stream};

/// The monotonic clock (fixgate's, through `time/`).
fn now() -> MonoNanos {
    SystemClock::new().mono()
}

fn since(start: MonoNanos) -> Duration {
    Duration::from_nanos(now().saturating_sub(start))
}

/// Messages and entries of the whole stream.
#[derive(Clone, Copy, Debug, Default)]
struct Counts {
    packets: u64,
    messages: u64,
    book_entries: u64,
}

/// Decodes every message of `payload`, reading what the adapter reads.
fn decode(payload: &[u8], counters: &mut DecodeCounters) -> u64 {
    let Ok(p) = Packet::new(payload) else {
        return 0;
    };
    let mut acc = u64::from(p.seq()) ^ p.sending_time_ns();
    let px = |r: fixgate_core::md::cme::PriceResult| r.ok().flatten().map_or(0, |p| p.e9() as u64);
    for m in p.messages() {
        let Ok(m) = m else { break };
        let Ok(Some(view)) = CmeMessage::decode(m, counters) else {
            continue;
        };
        macro_rules! book {
            ($b:expr) => {{
                acc ^= $b.root().transact_time_ns().unwrap_or(0);
                for e in $b.md_entries().into_iter().flatten() {
                    acc = acc.wrapping_add(px(e.md_entry_px()));
                    acc ^= e.md_entry_size().unwrap_or(0) as u64;
                    acc ^= e.security_id().unwrap_or(0) as u64;
                    acc ^= u64::from(e.rpt_seq().unwrap_or(0));
                    acc ^= e.number_of_orders().unwrap_or(0) as u64;
                    acc ^= u64::from(e.md_price_level().unwrap_or(0));
                    acc ^= u64::from(e.md_update_action().map_or(0, |a| a.0));
                    acc ^= u64::from(e.md_entry_type().map_or(0, |t| t.0));
                }
                for o in $b.order_id_entries().into_iter().flatten() {
                    acc ^= o.order_id().unwrap_or(0) ^ o.md_order_priority().unwrap_or(0);
                    acc ^= o.md_display_qty().unwrap_or(0) as u64;
                    acc ^= u64::from(o.reference_id().unwrap_or(0));
                    acc ^= u64::from(o.order_update_action().map_or(0, |a| a.0));
                }
            }};
        }
        match view {
            CmeMessage::Book46(b) => book!(b),
            CmeMessage::Book32(b) => book!(b),
            CmeMessage::OrderBook47(b) => {
                for e in b.md_entries().into_iter().flatten() {
                    acc ^= e.order_id().unwrap_or(0) ^ e.md_order_priority().unwrap_or(0);
                    acc = acc.wrapping_add(px(e.md_entry_px()));
                    acc ^= e.md_display_qty().unwrap_or(0) as u64
                        ^ e.security_id().unwrap_or(0) as u64;
                    acc ^= u64::from(
                        e.md_update_action().map_or(0, |a| a.0)
                            ^ e.md_entry_type().map_or(0, |t| t.0),
                    );
                }
            }
            CmeMessage::TradeSummary48(t) => {
                for e in t.md_entries().into_iter().flatten() {
                    acc = acc.wrapping_add(px(e.md_entry_px()));
                    acc ^=
                        e.md_entry_size().unwrap_or(0) as u64 ^ e.security_id().unwrap_or(0) as u64;
                    acc ^= u64::from(e.rpt_seq().unwrap_or(0) ^ e.md_trade_entry_id().unwrap_or(0));
                    acc ^= u64::from(
                        e.aggressor_side().map_or(0, |a| a.0)
                            ^ e.md_update_action().map_or(0, |a| a.0),
                    );
                }
            }
            CmeMessage::TradeSummary42(t) => {
                for e in t.md_entries().into_iter().flatten() {
                    acc = acc.wrapping_add(px(e.md_entry_px()));
                    acc ^=
                        e.md_entry_size().unwrap_or(0) as u64 ^ u64::from(e.rpt_seq().unwrap_or(0));
                }
            }
            CmeMessage::Volume37(v) => {
                for e in v.md_entries().into_iter().flatten() {
                    acc ^=
                        e.md_entry_size().unwrap_or(0) as u64 ^ u64::from(e.rpt_seq().unwrap_or(0));
                }
            }
            CmeMessage::SessionStatistics35(s) => {
                for e in s.md_entries().into_iter().flatten() {
                    acc = acc.wrapping_add(px(e.md_entry_px()));
                    acc ^= u64::from(
                        e.rpt_seq().unwrap_or(0) ^ u32::from(e.md_entry_type().map_or(0, |t| t.0)),
                    );
                }
            }
            CmeMessage::SnapshotFullRefresh52(s) => {
                acc ^= u64::from(s.root().rpt_seq().unwrap_or(0));
                for e in s.md_entries().into_iter().flatten() {
                    acc = acc.wrapping_add(px(e.md_entry_px()));
                    acc ^= e.md_entry_size().unwrap_or(0) as u64
                        ^ e.number_of_orders().unwrap_or(0) as u64;
                    acc ^= e.md_price_level().unwrap_or(0) as u64
                        ^ u64::from(e.md_entry_type().map_or(0, |t| t.0));
                }
            }
            CmeMessage::SnapshotFullRefreshOrderBook53(s) => {
                for e in s.md_entries().into_iter().flatten() {
                    acc ^= e.order_id().unwrap_or(0) ^ e.md_order_priority().unwrap_or(0);
                    acc = acc.wrapping_add(px(e.md_entry_px()));
                    acc ^= e.md_display_qty().unwrap_or(0) as u64;
                }
            }
            CmeMessage::InstrumentDefinitionFuture27(d) => {
                let r = d.root();
                acc ^= r.security_id().unwrap_or(0) as u64
                    ^ px(r.min_price_increment())
                    ^ px(r.display_factor());
                acc ^= r.symbol().map_or(0, |s| s.len() as u64);
            }
            CmeMessage::InstrumentDefinitionSpread29(d) => {
                let r = d.root();
                acc ^= r.security_id().unwrap_or(0) as u64
                    ^ px(r.min_price_increment())
                    ^ px(r.display_factor());
                acc ^= r.symbol().map_or(0, |s| s.len() as u64);
            }
            CmeMessage::InstrumentDefinitionFuture54(d) => {
                let r = d.root();
                acc ^= r.security_id().unwrap_or(0) as u64
                    ^ px(r.min_price_increment())
                    ^ px(r.display_factor());
                acc ^= r.symbol().map_or(0, |s| s.len() as u64);
                for f in d.md_feed_types().into_iter().flatten() {
                    acc ^= f.market_depth().unwrap_or(0) as u64;
                }
            }
            _ => {}
        }
    }
    acc
}

fn counts(stream: &Stream) -> Counts {
    let mut c = Counts::default();
    for (_, p) in &stream.packets {
        c.packets += 1;
        for m in Packet::new(p).unwrap().messages() {
            c.messages += 1;
            let view = CmeMessage::decode(m.unwrap(), &mut DecodeCounters::default());
            c.book_entries += match view {
                Ok(Some(CmeMessage::Book46(b))) => {
                    b.md_entries().map_or(0, |g| g.len())
                        + b.order_id_entries().map_or(0, |g| g.len())
                }
                Ok(Some(CmeMessage::Book32(b))) => {
                    b.md_entries().map_or(0, |g| g.len())
                        + b.order_id_entries().map_or(0, |g| g.len())
                }
                Ok(Some(CmeMessage::OrderBook47(b))) => b.md_entries().map_or(0, |g| g.len()),
                Ok(Some(CmeMessage::SnapshotFullRefresh52(s))) => {
                    s.md_entries().map_or(0, |g| g.len())
                }
                Ok(Some(CmeMessage::SnapshotFullRefreshOrderBook53(s))) => {
                    s.md_entries().map_or(0, |g| g.len())
                }
                _ => 0,
            } as u64;
        }
    }
    c
}

type CountSink = FnSink<fn(&[Event])>;

fn sink(events: &[Event]) {
    black_box(events.len());
}

fn channel() -> CmeNormalizer<CountSink> {
    CmeNormalizer::new(
        CmeConfig::channel(310, 256, 4096),
        FnSink(sink as fn(&[Event])),
    )
}

/// One pass of the normalizer over the stream, then the patch for the next:
/// the time of the whole pass, and of its real incremental packets alone
/// (timed one by one inside the same pass).
fn normalize_pass(
    cme: &mut CmeNormalizer<CountSink>,
    stream: &mut Stream,
    t: u64,
) -> (Duration, Duration) {
    let rx = PacketIn {
        feed: Feed::Incremental,
        ts_recv_ns: UtcNanos::from_nanos(t),
        recv_flags: EventFlags::empty(),
    };
    let mut incremental = Duration::ZERO;
    let start = now();
    for (feed, p) in &stream.packets {
        if *feed == Feed::Incremental {
            let s = now();
            incremental_packet(cme, rx, p);
            incremental += since(s);
        } else {
            let _ = black_box(cme.handle_packet(PacketIn { feed: *feed, ..rx }, p));
        }
    }
    let spent = since(start);
    stream.patch(stream.max_rpt_seq + 1);
    (spent, incremental)
}

/// A real incremental packet (its own function so that `valgrind
/// --tool=callgrind --toggle-collect='*incremental_packet*'` counts it alone).
#[inline(never)]
fn incremental_packet(cme: &mut CmeNormalizer<CountSink>, rx: PacketIn, p: &[u8]) {
    let _ = black_box(cme.handle_packet(rx, p));
}

/// `passes` passes of each workload and nothing else, for instruction counts:
/// `FIXGATE_MD_CME_PASSES=200 valgrind --tool=callgrind --toggle-collect='*md_cme*passes*' ...`.
#[inline(never)]
fn decode_passes(stream: &Stream, passes: u32) {
    let mut counters = DecodeCounters::default();
    for _ in 0..passes {
        for (_, p) in &stream.packets {
            black_box(decode(p, &mut counters));
        }
    }
}

#[inline(never)]
fn normalize_passes(cme: &mut CmeNormalizer<CountSink>, stream: &mut Stream, passes: u32) {
    for t in 0..passes {
        normalize_pass(cme, stream, u64::from(t));
    }
}

#[inline(never)]
fn dbn_passes(buf: &[u8], passes: u32) {
    for _ in 0..passes {
        black_box(dbn_walk(black_box(buf)));
    }
}

/// The DBN records: one `MboMsg` per book entry, in stream order.
fn dbn_buffer(stream: &Stream) -> (Vec<u8>, u64) {
    let mut buf = Vec::new();
    let mut enc = RecordEncoder::new(&mut buf);
    let mut n = 0;
    for (_, p) in &stream.packets {
        let pk = Packet::new(p).unwrap();
        for m in pk.messages() {
            let rec = |price: i64, size: i32, id: u64, side: u8, action: u8| MboMsg {
                order_id: id,
                price,
                size: size.max(0) as u32,
                side: side as _,
                action: action as _,
                ts_recv: pk.sending_time_ns(),
                sequence: pk.seq(),
                ..MboMsg::default()
            };
            let mut push = |r: MboMsg| {
                enc.encode_record(&r).unwrap();
                n += 1;
            };
            let px = |r: fixgate_core::md::cme::PriceResult| {
                r.ok().flatten().map_or(i64::MAX, |p| p.e9())
            };
            match CmeMessage::decode(m.unwrap(), &mut DecodeCounters::default()) {
                Ok(Some(CmeMessage::Book46(b))) => {
                    for e in b.md_entries().into_iter().flatten() {
                        push(rec(
                            px(e.md_entry_px()),
                            e.md_entry_size().unwrap_or(0),
                            0,
                            b'B',
                            b'M',
                        ));
                    }
                    for o in b.order_id_entries().into_iter().flatten() {
                        push(rec(
                            0,
                            o.md_display_qty().unwrap_or(0),
                            o.order_id().unwrap_or(0),
                            b'B',
                            b'M',
                        ));
                    }
                }
                Ok(Some(CmeMessage::Book32(b))) => {
                    for e in b.md_entries().into_iter().flatten() {
                        push(rec(
                            px(e.md_entry_px()),
                            e.md_entry_size().unwrap_or(0),
                            0,
                            b'B',
                            b'M',
                        ));
                    }
                    for o in b.order_id_entries().into_iter().flatten() {
                        push(rec(
                            0,
                            o.md_display_qty().unwrap_or(0),
                            o.order_id().unwrap_or(0),
                            b'B',
                            b'M',
                        ));
                    }
                }
                Ok(Some(CmeMessage::OrderBook47(b))) => {
                    for e in b.md_entries().into_iter().flatten() {
                        push(rec(
                            px(e.md_entry_px()),
                            e.md_display_qty().unwrap_or(0),
                            e.order_id().unwrap_or(0),
                            b'A',
                            b'A',
                        ));
                    }
                }
                Ok(Some(CmeMessage::SnapshotFullRefresh52(s))) => {
                    for e in s.md_entries().into_iter().flatten() {
                        push(rec(
                            px(e.md_entry_px()),
                            e.md_entry_size().unwrap_or(0),
                            0,
                            b'B',
                            b'A',
                        ));
                    }
                }
                Ok(Some(CmeMessage::SnapshotFullRefreshOrderBook53(s))) => {
                    for e in s.md_entries().into_iter().flatten() {
                        push(rec(
                            px(e.md_entry_px()),
                            e.md_display_qty().unwrap_or(0),
                            e.order_id().unwrap_or(0),
                            b'B',
                            b'A',
                        ));
                    }
                }
                _ => {}
            }
        }
    }
    (buf, n)
}

fn dbn_walk(buf: &[u8]) -> u64 {
    let mut dec = RecordDecoder::new(buf);
    let mut acc = 0u64;
    while let Ok(Some(r)) = dec.decode::<MboMsg>() {
        acc = acc.wrapping_add(r.price as u64) ^ u64::from(r.size);
    }
    acc
}

/// ns per packet, message and book entry from a plain timed loop (the median
/// of 7 runs of `passes` passes).
fn table(label: &str, c: Counts, passes: u32, mut pass: impl FnMut() -> Duration) {
    let mut runs: Vec<f64> = (0..7)
        .map(|_| {
            (0..passes).map(|_| pass()).sum::<Duration>().as_nanos() as f64 / f64::from(passes)
        })
        .collect();
    runs.sort_by(f64::total_cmp);
    let ns = runs[3];
    println!(
        "md_cme: {label:<24} {:>9.0} ns/pass  {:>7.1} ns/packet  {:>6.1} ns/message  {:>6.1} ns/book entry",
        ns,
        ns / c.packets as f64,
        ns / c.messages as f64,
        ns / c.book_entries as f64
    );
}

fn bench(cr: &mut Criterion) {
    let Some(mut stream) = build() else {
        println!("md_cme: SKIPPED (../shared/conformance/mdp3 is missing)");
        return;
    };
    let c = counts(&stream);
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "md_cme: stream of {} packets, {} SBE messages, {} book entries per pass ({} real incremental packets); cores={cores}",
        c.packets, c.messages, c.book_entries, stream.incremental_packets
    );
    let (dbn, records) = dbn_buffer(&stream);
    assert_eq!(records, c.book_entries);
    assert_eq!(dbn_walk(&dbn), dbn_walk(&dbn));
    if let Some(passes) = std::env::var("FIXGATE_MD_CME_PASSES")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        decode_passes(&stream, passes);
        let mut cme = channel();
        normalize_passes(&mut cme, &mut stream, passes);
        dbn_passes(&dbn, passes);
        assert_eq!(cme.counters().refused, 0);
        println!("md_cme: {passes} passes of each workload for instruction counts, no timing");
        return;
    }

    let mut counters = DecodeCounters::default();
    table("decode", c, 2000, || {
        let start = now();
        for (_, p) in &stream.packets {
            black_box(decode(p, &mut counters));
        }
        since(start)
    });
    let mut cme = channel();
    let mut t = 0;
    table("decode+book+normalize", c, 2000, || {
        t += 1;
        normalize_pass(&mut cme, &mut stream, t).0
    });
    let inc = Counts {
        packets: stream.incremental_packets as u64,
        messages: stream.incremental_messages as u64,
        book_entries: stream.book_entries as u64,
    };
    table("  real incrementals only", inc, 2000, || {
        t += 1;
        normalize_pass(&mut cme, &mut stream, t).1
    });
    table("dbn record walk", c, 2000, || {
        let start = now();
        black_box(dbn_walk(black_box(&dbn)));
        since(start)
    });

    let mut g = cr.benchmark_group("md_cme");
    g.throughput(Throughput::Elements(c.book_entries));
    g.bench_function("decode", |b| {
        b.iter(|| {
            for (_, p) in &stream.packets {
                black_box(decode(black_box(p), &mut counters));
            }
        })
    });
    g.bench_function("decode_book_normalize", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| {
                    t += 1;
                    normalize_pass(&mut cme, &mut stream, t).0
                })
                .sum()
        })
    });
    g.bench_function("dbn_walk", |b| {
        b.iter(|| black_box(dbn_walk(black_box(&dbn))))
    });
    g.finish();
    let k = cme.counters();
    assert_eq!(
        (
            k.refused,
            k.duplicate_packets,
            k.stale_entries,
            k.packet_gaps
        ),
        (0, 0, 0, 0),
        "every pass applied in full: {k:?}"
    );
    println!("md_cme: normalizer {:?}", cme.normalizer().counters());
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    c.final_summary();
}
