//! FIX encode benchmark: fixgate's encoder against fefix 0.7's, same group,
//! same messages.
//!
//! Each group encodes one message type with both encoders; one iteration
//! encodes one whole message (BodyLength and CheckSum included), so criterion's
//! time per iteration is ns per message. The values that change per message
//! (MsgSeqNum, ClOrdID, prices, quantities, times) come from a ring of
//! pre-built inputs, the same ring for both encoders, stepped once per iteration;
//! each encoder gets them in its own native types, converted before timing:
//!
//! - fixgate: a [`HeaderTemplate`] per session (SenderCompID and TargetCompID
//!   pre-rendered; it writes 35, 34 and 52), then the body fields into one
//!   caller buffer reused for every message; prices as exact [`Price`], times
//!   as [`UtcNanos`] rendered at milliseconds.
//! - fefix: one `fefix::tagvalue::Encoder<Config>` writing into one `Vec<u8>`
//!   that is cleared and reused (so it does not reallocate after the first
//!   message), every field through `EncoderHandle::set_any` with a tag built
//!   before timing; prices as `f64` (fefix's decimal types need crate features
//!   this workspace leaves off), times as `fefix::fix_values::Timestamp`
//!   (already split into date and time: less work than fixgate's).
//!
//! Both write the same fields in the same order with the same value text.
//! fefix zero-pads BodyLength to six digits (`9=000129` for 129 body bytes), so
//! its messages are 3 bytes longer; and fefix 0.7 writes a wrong BodyLength for
//! most bodies of 256 bytes or more (its `write_body_length` casts to `u8` before taking each
//! digit), which hits every 35=W here: the bytes it writes are otherwise the
//! same and the work is the same, so the timing still compares, and the check
//! below reports it as a NOTE. Before timing, every ring entry is encoded by
//! both and checked (`encode_check`): fixgate's output must equal a reference
//! message built independently (`support::message`) byte for byte; fefix's must
//! hold the reference's fields apart from 9 and 10, with a correct CheckSum.
//!
//! Groups (message sizes as fixgate writes them):
//! `fix_encode/new_order_single` (35=D, 152 bytes),
//! `fix_encode/execution_report` (35=8 partial fill, 249 bytes),
//! `fix_encode/md_snapshot_20` (35=W with 10 bid and 10 offer levels, 731 bytes).
//! The machine's other load shows up as outliers: compare the two rows of a
//! group from the same run, not numbers across runs or machines.

#[path = "support/encode_check.rs"]
mod encode_check;
mod support;

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput};
use encode_check::report_check;
use fefix::fix_values::{Date, Time, Timestamp};
use fefix::tagvalue::{Config, Encoder as FefixEncoder};
use fefix::TagU16;
use fixgate_core::fix::encode::{HeaderTemplate, TimePrecision, TimestampCache};
use fixgate_core::fix::{MsgType, Tag};
use fixgate_core::time::UtcNanos;
use fixgate_core::types::Price;

/// Pre-built inputs per message type; a power of two.
const RING: usize = 1024;
/// Pre-built snapshots (each holds 20 levels).
const BOOKS: usize = 64;
/// Levels per side in a snapshot.
const LEVELS: usize = 10;
/// Caller buffer size for either encoder.
const BUF_LEN: usize = 4096;
/// 2026-03-16 14:30:00.123 UTC.
const T0_NS: u64 = 1_773_671_400_123_000_000;

/// A fefix tag, checked at compile time.
const fn ft(tag: u16) -> TagU16 {
    match TagU16::new(tag) {
        Some(t) => t,
        None => panic!("tag 0"),
    }
}

/// A time in the three forms the encoders and the reference take.
#[derive(Clone, Debug)]
struct When {
    fixgate: UtcNanos,
    fefix: Timestamp,
    text: String,
}

impl When {
    fn at(ns: u64) -> When {
        let fixgate = UtcNanos::from_nanos(ns);
        let c = fixgate.to_civil();
        let ms = c.nanos / 1_000_000;
        let date = Date::new(u32::from(c.year), u32::from(c.month), u32::from(c.day));
        let time = Time::from_hmsm(
            u32::from(c.hour),
            u32::from(c.minute),
            u32::from(c.second),
            ms,
        );
        When {
            fixgate,
            fefix: Timestamp::new(date.expect("valid date"), time.expect("valid time")),
            text: format!(
                "{:04}{:02}{:02}-{:02}:{:02}:{:02}.{ms:03}",
                c.year, c.month, c.day, c.hour, c.minute, c.second
            ),
        }
    }
}

/// A price in the three forms the encoders and the reference take.
#[derive(Clone, Copy, Debug)]
struct Px {
    fixgate: Price,
    fefix: f64,
    cents: u64,
}

impl Px {
    fn cents(cents: u64) -> Px {
        Px {
            fixgate: Price::from_e9(cents as i64 * 10_000_000),
            fefix: cents as f64 / 100.0,
            cents,
        }
    }
}

/// What changes from one order message to the next.
#[derive(Clone, Debug)]
struct Order {
    seq: u64,
    cl_ord_id: String,
    order_id: String,
    exec_id: String,
    qty: u64,
    px: Px,
    sending: When,
    transact: When,
}

fn orders() -> Vec<Order> {
    (0..RING as u64)
        .map(|i| {
            // Messages 100 µs apart; the order was stamped 3 ms earlier.
            let sent = T0_NS + i * 100_000;
            Order {
                seq: 1000 + i,
                cl_ord_id: format!("O{:05}", 1000 + i),
                order_id: format!("XN{:010}", 7 * i + 13),
                exec_id: format!("EX{:09}", i + 1),
                qty: 100 * (1 + i % 10),
                px: Px::cents(22_850 + i % 64),
                sending: When::at(sent),
                transact: When::at(sent - 3_000_000),
            }
        })
        .collect()
}

/// One book level of a snapshot.
#[derive(Clone, Copy, Debug)]
struct Level {
    side: &'static [u8],
    px: Px,
    size: u64,
    position: u64,
}

/// A 20-level snapshot.
#[derive(Clone, Debug)]
struct Book {
    seq: u64,
    sending: When,
    levels: Vec<Level>,
}

fn books() -> Vec<Book> {
    (0..BOOKS as u64)
        .map(|i| {
            let mid = 22_850 + i % 16;
            let mut levels = Vec::with_capacity(2 * LEVELS);
            for (side, sign) in [(&b"0"[..], -1i64), (&b"1"[..], 1)] {
                for l in 0..LEVELS as u64 {
                    let cents = (mid as i64 + sign * (l as i64 + 1)) as u64;
                    levels.push(Level {
                        side,
                        px: Px::cents(cents),
                        size: 100 * (1 + (i + l) % 9),
                        position: l + 1,
                    });
                }
            }
            Book {
                seq: 5000 + i,
                sending: When::at(T0_NS + i * 40_000),
                levels,
            }
        })
        .collect()
}

// ---- the three messages, each written three ways ----------------------------

fn nos_reference(o: &Order) -> Vec<u8> {
    let f = support::NosFields {
        seq_num: o.seq,
        sender: "C1",
        sending_time: &o.sending.text,
        target: "GW",
        cl_ord_id: &o.cl_ord_id,
        qty: o.qty,
        price_cents: o.px.cents,
        symbol: "AAPL",
        transact_time: &o.transact.text,
    };
    support::new_order_single(&f)
}

#[inline]
fn fixgate_nos<'b>(
    h: &mut HeaderTemplate,
    cache: &mut TimestampCache,
    buf: &'b mut [u8],
    o: &Order,
) -> Option<&'b [u8]> {
    let mut e = h.start(
        buf,
        MsgType::NEW_ORDER_SINGLE,
        o.seq,
        o.sending.fixgate,
        &[],
    );
    e.str(Tag(11), o.cl_ord_id.as_bytes());
    e.char(Tag(21), b'1');
    e.uint(Tag(38), o.qty);
    e.char(Tag(40), b'2');
    e.price(Tag(44), o.px.fixgate);
    e.char(Tag(54), b'1');
    e.str(Tag(55), b"AAPL");
    e.char(Tag(59), b'0');
    e.timestamp(Tag(60), o.transact.fixgate, TimePrecision::Millis, cache);
    e.finish().ok()
}

#[inline]
fn fefix_nos<'a>(enc: &'a mut FefixEncoder<Config>, buf: &'a mut Vec<u8>, o: &Order) -> &'a [u8] {
    buf.clear();
    let mut m = enc.start_message(b"FIX.4.4", buf, b"D");
    m.set_any(ft(34), o.seq);
    m.set_any(ft(49), &b"C1"[..]);
    m.set_any(ft(52), o.sending.fefix.clone());
    m.set_any(ft(56), &b"GW"[..]);
    m.set_any(ft(11), o.cl_ord_id.as_bytes());
    m.set_any(ft(21), &b"1"[..]);
    m.set_any(ft(38), o.qty);
    m.set_any(ft(40), &b"2"[..]);
    m.set_any(ft(44), o.px.fefix);
    m.set_any(ft(54), &b"1"[..]);
    m.set_any(ft(55), &b"AAPL"[..]);
    m.set_any(ft(59), &b"0"[..]);
    m.set_any(ft(60), o.transact.fefix.clone());
    m.wrap()
}

fn er_reference(o: &Order) -> Vec<u8> {
    let px = support::price_text(o.px.cents);
    let s = |v: &str| v.as_bytes().to_vec();
    let n = |v: u64| v.to_string().into_bytes();
    support::message(
        "FIX.4.4",
        &[
            (35, b"8"),
            (34, &n(o.seq)),
            (49, b"FIXGATE"),
            (52, o.sending.text.as_bytes()),
            (56, b"CLIENT01"),
            (1, b"ACC1001"),
            (6, px.as_bytes()),
            (11, &s(&o.cl_ord_id)),
            (14, &n(o.qty)),
            (17, &s(&o.exec_id)),
            (31, px.as_bytes()),
            (32, &n(o.qty)),
            (37, &s(&o.order_id)),
            (38, &n(2 * o.qty)),
            (39, b"1"),
            (40, b"2"),
            (44, px.as_bytes()),
            (54, b"1"),
            (55, b"AAPL"),
            (59, b"0"),
            (60, o.transact.text.as_bytes()),
            (150, b"F"),
            (151, &n(o.qty)),
        ],
    )
}

#[inline]
fn fixgate_er<'b>(
    h: &mut HeaderTemplate,
    cache: &mut TimestampCache,
    buf: &'b mut [u8],
    o: &Order,
) -> Option<&'b [u8]> {
    let mut e = h.start(
        buf,
        MsgType::EXECUTION_REPORT,
        o.seq,
        o.sending.fixgate,
        &[],
    );
    e.str(Tag(1), b"ACC1001");
    e.price(Tag(6), o.px.fixgate);
    e.str(Tag(11), o.cl_ord_id.as_bytes());
    e.uint(Tag(14), o.qty);
    e.str(Tag(17), o.exec_id.as_bytes());
    e.price(Tag(31), o.px.fixgate);
    e.uint(Tag(32), o.qty);
    e.str(Tag(37), o.order_id.as_bytes());
    e.uint(Tag(38), 2 * o.qty);
    e.char(Tag(39), b'1');
    e.char(Tag(40), b'2');
    e.price(Tag(44), o.px.fixgate);
    e.char(Tag(54), b'1');
    e.str(Tag(55), b"AAPL");
    e.char(Tag(59), b'0');
    e.timestamp(Tag(60), o.transact.fixgate, TimePrecision::Millis, cache);
    e.char(Tag(150), b'F');
    e.uint(Tag(151), o.qty);
    e.finish().ok()
}

#[inline]
fn fefix_er<'a>(enc: &'a mut FefixEncoder<Config>, buf: &'a mut Vec<u8>, o: &Order) -> &'a [u8] {
    buf.clear();
    let mut m = enc.start_message(b"FIX.4.4", buf, b"8");
    m.set_any(ft(34), o.seq);
    m.set_any(ft(49), &b"FIXGATE"[..]);
    m.set_any(ft(52), o.sending.fefix.clone());
    m.set_any(ft(56), &b"CLIENT01"[..]);
    m.set_any(ft(1), &b"ACC1001"[..]);
    m.set_any(ft(6), o.px.fefix);
    m.set_any(ft(11), o.cl_ord_id.as_bytes());
    m.set_any(ft(14), o.qty);
    m.set_any(ft(17), o.exec_id.as_bytes());
    m.set_any(ft(31), o.px.fefix);
    m.set_any(ft(32), o.qty);
    m.set_any(ft(37), o.order_id.as_bytes());
    m.set_any(ft(38), 2 * o.qty);
    m.set_any(ft(39), &b"1"[..]);
    m.set_any(ft(40), &b"2"[..]);
    m.set_any(ft(44), o.px.fefix);
    m.set_any(ft(54), &b"1"[..]);
    m.set_any(ft(55), &b"AAPL"[..]);
    m.set_any(ft(59), &b"0"[..]);
    m.set_any(ft(60), o.transact.fefix.clone());
    m.set_any(ft(150), &b"F"[..]);
    m.set_any(ft(151), o.qty);
    m.wrap()
}

fn w_reference(b: &Book) -> Vec<u8> {
    let mut f: Vec<(u32, Vec<u8>)> = vec![
        (35, b"W".to_vec()),
        (34, b.seq.to_string().into_bytes()),
        (49, b"VENUEMD".to_vec()),
        (52, b.sending.text.clone().into_bytes()),
        (56, b"FIXGATE".to_vec()),
        (55, b"AAPL".to_vec()),
        (262, b"MDR-AAPL".to_vec()),
        (268, b.levels.len().to_string().into_bytes()),
    ];
    for l in &b.levels {
        f.push((269, l.side.to_vec()));
        f.push((270, support::price_text(l.px.cents).into_bytes()));
        f.push((271, l.size.to_string().into_bytes()));
        f.push((290, l.position.to_string().into_bytes()));
    }
    let refs: Vec<(u32, &[u8])> = f.iter().map(|(t, v)| (*t, &v[..])).collect();
    support::message("FIX.4.4", &refs)
}

#[inline]
fn fixgate_w<'b>(h: &mut HeaderTemplate, buf: &'b mut [u8], b: &Book) -> Option<&'b [u8]> {
    let mut e = h.start(
        buf,
        MsgType::MARKET_DATA_SNAPSHOT,
        b.seq,
        b.sending.fixgate,
        &[],
    );
    e.str(Tag(55), b"AAPL");
    e.str(Tag(262), b"MDR-AAPL");
    e.uint(Tag(268), b.levels.len() as u64);
    for l in &b.levels {
        e.str(Tag(269), l.side);
        e.price(Tag(270), l.px.fixgate);
        e.uint(Tag(271), l.size);
        e.uint(Tag(290), l.position);
    }
    e.finish().ok()
}

#[inline]
fn fefix_w<'a>(enc: &'a mut FefixEncoder<Config>, buf: &'a mut Vec<u8>, b: &Book) -> &'a [u8] {
    buf.clear();
    let mut m = enc.start_message(b"FIX.4.4", buf, b"W");
    m.set_any(ft(34), b.seq);
    m.set_any(ft(49), &b"VENUEMD"[..]);
    m.set_any(ft(52), b.sending.fefix.clone());
    m.set_any(ft(56), &b"FIXGATE"[..]);
    m.set_any(ft(55), &b"AAPL"[..]);
    m.set_any(ft(262), &b"MDR-AAPL"[..]);
    m.set_any(ft(268), b.levels.len());
    for l in &b.levels {
        m.set_any(ft(269), l.side);
        m.set_any(ft(270), l.px.fefix);
        m.set_any(ft(271), l.size);
        m.set_any(ft(290), l.position);
    }
    m.wrap()
}

// ---- timing --------------------------------------------------------------------

fn configure(group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>) {
    group
        .throughput(Throughput::Elements(1))
        .sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
}

fn bench_orders(c: &mut Criterion) {
    let orders = orders();
    let mut nos_header = HeaderTemplate::new("FIX.4.4", "C1", "GW");
    let mut er_header = HeaderTemplate::new("FIX.4.4", "FIXGATE", "CLIENT01");
    let mut cache = TimestampCache::default();
    let mut buf = vec![0u8; BUF_LEN];
    let mut fe = FefixEncoder::<Config>::default();
    let mut fbuf: Vec<u8> = Vec::with_capacity(BUF_LEN);

    let outputs: Vec<_> = orders
        .iter()
        .map(|o| {
            let a = fixgate_nos(&mut nos_header, &mut cache, &mut buf, o).map(<[u8]>::to_vec);
            let b = fefix_nos(&mut fe, &mut fbuf, o).to_vec();
            (a.unwrap_or_default(), b, nos_reference(o))
        })
        .collect();
    report_check("new_order_single", &outputs);
    let outputs: Vec<_> = orders
        .iter()
        .map(|o| {
            let a = fixgate_er(&mut er_header, &mut cache, &mut buf, o).map(<[u8]>::to_vec);
            let b = fefix_er(&mut fe, &mut fbuf, o).to_vec();
            (a.unwrap_or_default(), b, er_reference(o))
        })
        .collect();
    report_check("execution_report", &outputs);

    let mut group = c.benchmark_group("fix_encode/new_order_single");
    configure(&mut group);
    let mut i = 0;
    group.bench_function(BenchmarkId::new("fixgate", "ring"), |b| {
        b.iter(|| {
            i = (i + 1) & (RING - 1);
            let out = fixgate_nos(&mut nos_header, &mut cache, &mut buf, &orders[i]);
            black_box(out).map_or(0, <[u8]>::len)
        })
    });
    group.bench_function(BenchmarkId::new("fefix", "ring"), |b| {
        b.iter(|| {
            i = (i + 1) & (RING - 1);
            black_box(fefix_nos(&mut fe, &mut fbuf, &orders[i])).len()
        })
    });
    group.finish();

    let mut group = c.benchmark_group("fix_encode/execution_report");
    configure(&mut group);
    group.bench_function(BenchmarkId::new("fixgate", "ring"), |b| {
        b.iter(|| {
            i = (i + 1) & (RING - 1);
            let out = fixgate_er(&mut er_header, &mut cache, &mut buf, &orders[i]);
            black_box(out).map_or(0, <[u8]>::len)
        })
    });
    group.bench_function(BenchmarkId::new("fefix", "ring"), |b| {
        b.iter(|| {
            i = (i + 1) & (RING - 1);
            black_box(fefix_er(&mut fe, &mut fbuf, &orders[i])).len()
        })
    });
    group.finish();
}

fn bench_snapshot(c: &mut Criterion) {
    let books = books();
    let mut header = HeaderTemplate::new("FIX.4.4", "VENUEMD", "FIXGATE");
    let mut buf = vec![0u8; BUF_LEN];
    let mut fe = FefixEncoder::<Config>::default();
    let mut fbuf: Vec<u8> = Vec::with_capacity(BUF_LEN);

    let outputs: Vec<_> = books
        .iter()
        .map(|book| {
            let a = fixgate_w(&mut header, &mut buf, book).map(<[u8]>::to_vec);
            let b = fefix_w(&mut fe, &mut fbuf, book).to_vec();
            (a.unwrap_or_default(), b, w_reference(book))
        })
        .collect();
    report_check("md_snapshot_20", &outputs);

    let mut group = c.benchmark_group("fix_encode/md_snapshot_20");
    configure(&mut group);
    let mut i = 0;
    group.bench_function(BenchmarkId::new("fixgate", "ring"), |b| {
        b.iter(|| {
            i = (i + 1) & (BOOKS - 1);
            black_box(fixgate_w(&mut header, &mut buf, &books[i])).map_or(0, <[u8]>::len)
        })
    });
    group.bench_function(BenchmarkId::new("fefix", "ring"), |b| {
        b.iter(|| {
            i = (i + 1) & (BOOKS - 1);
            black_box(fefix_w(&mut fe, &mut fbuf, &books[i])).len()
        })
    });
    group.finish();
}

fn main() {
    support::print_environment("fix_encode");
    let mut c = Criterion::default().configure_from_args();
    bench_orders(&mut c);
    bench_snapshot(&mut c);
    c.final_summary();
}
