//! The cost of latency measurement on a hot thread: one histogram record and
//! one timestamp, each beside its peer in the same group.
//!
//! Groups:
//!
//! - `latency_record`: one value into a histogram. fixgate's
//!   `LatencySet::record_at` (venue slot looked up before the loop, stage
//!   table, clamp check, clamp count) and `LatencySet::record` (the venue
//!   found by a scan of a 3-venue layout) against a plain
//!   `hdrhistogram::Histogram::<u64>::record` of the same range and precision
//!   (1 ns .. 60 s, 3 digits, auto-resize off). Values come from a ring of
//!   1,024 pre-drawn latencies (log-uniform, 50 ns .. 50 µs), the same ring for
//!   all three, stepped once per iteration.
//! - `timestamp`: one hot-path clock read. fixgate's `TscClock::raw` (the
//!   stamp taken at each stage boundary), quanta's `Clock::raw` (what it
//!   wraps), `std::time::Instant::now` (`clock_gettime` through the vDSO), and
//!   `TscClock::mono` (a read plus the scaling to nanoseconds).
//! - `ticks_to_ns`: converting a stamp pair to nanoseconds, fixgate's
//!   `TscClock::delta_nanos` against quanta's `Clock::delta_as_nanos`, on a
//!   ring of real tick pairs.
//! - `latency_stage`: the whole per-stage cost as a hot thread pays it: one
//!   `TscClock::raw` for the closing stamp, then `LatencyRecorder::record_ticks`
//!   (delta, conversion, record).
//!
//! It prints the environment header of the latency reports first (CPU, cores,
//! clock source, invariant TSC), then, before criterion's groups, the fastest
//! of many short batches for the main rows: on a shared machine criterion's
//! means carry every preemption, the fastest batch does not. The machine's
//! other load shows up as outliers: compare rows of one group
//! from the same run, not numbers across machines.

use std::hint::black_box;
use std::sync::Arc;

use criterion::Criterion;
use fixgate_core::latency::{new_histogram, LatencyLayout, LatencyRecorder, LatencySet, Stage};
use fixgate_core::time::{Clock, Ticks, TscClock};
use fixgate_core::types::VenueId;

/// Pre-drawn values and tick pairs; a power of two.
const RING: usize = 1024;

/// Log-uniform latencies from 50 ns to 50 µs (xorshift, fixed seed).
fn values() -> Vec<u64> {
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    (0..RING)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let unit = (x >> 11) as f64 / (1u64 << 53) as f64;
            (50.0 * 1000f64.powf(unit)) as u64
        })
        .collect()
}

fn layout() -> Arc<LatencyLayout> {
    Arc::new(
        LatencyLayout::new(
            &[VenueId::CME, VenueId::ICE, VenueId::SHFE],
            &[Stage::ReceiveToDecoded, Stage::DecodedToPublished],
        )
        .expect("valid layout"),
    )
}

fn bench_record(c: &mut Criterion) {
    let values = values();
    let mut group = c.benchmark_group("latency_record");

    let mut set = LatencySet::new(layout());
    let slot = set.layout().venue_slot(VenueId::SHFE).expect("venue");
    let mut i = 0;
    group.bench_function("fixgate LatencySet::record_at", |b| {
        b.iter(|| {
            i = (i + 1) & (RING - 1);
            black_box(set.record_at(slot, Stage::DecodedToPublished, black_box(values[i])))
        })
    });

    let mut set = LatencySet::new(layout());
    group.bench_function("fixgate LatencySet::record (venue scan)", |b| {
        b.iter(|| {
            i = (i + 1) & (RING - 1);
            black_box(set.record(
                black_box(VenueId::SHFE),
                Stage::DecodedToPublished,
                black_box(values[i]),
            ))
        })
    });

    let mut plain = new_histogram();
    group.bench_function("hdrhistogram Histogram::record", |b| {
        b.iter(|| {
            i = (i + 1) & (RING - 1);
            black_box(plain.record(black_box(values[i])).is_ok())
        })
    });
    group.finish();
}

#[allow(
    clippy::disallowed_methods,
    reason = "the peer row times std's Instant::now itself"
)]
fn instant_now() -> std::time::Instant {
    std::time::Instant::now()
}

fn bench_timestamp(c: &mut Criterion) {
    let tsc = TscClock::new();
    let quanta = quanta::Clock::new();
    let mut group = c.benchmark_group("timestamp");
    group.bench_function("fixgate TscClock::raw", |b| b.iter(|| black_box(tsc.raw())));
    group.bench_function("quanta Clock::raw", |b| b.iter(|| black_box(quanta.raw())));
    group.bench_function("std Instant::now", |b| b.iter(|| black_box(instant_now())));
    group.bench_function("fixgate TscClock::mono (read + scale)", |b| {
        b.iter(|| black_box(tsc.mono()))
    });
    group.finish();
}

fn bench_ticks_to_ns(c: &mut Criterion) {
    let tsc = TscClock::new();
    let quanta = quanta::Clock::new();
    // Pairs of a real TSC reading and an end a spread of offsets later (about
    // 3 ticks per ns), instead of spinning for each delta: the conversion's
    // cost does not depend on how the end was obtained.
    let pairs: Vec<(Ticks, Ticks)> = values()
        .into_iter()
        .map(|v| {
            let start = tsc.raw();
            (start, Ticks::from_raw(start.as_raw() + v * 3))
        })
        .collect();
    let mut group = c.benchmark_group("ticks_to_ns");
    let mut i = 0;
    group.bench_function("fixgate TscClock::delta_nanos", |b| {
        b.iter(|| {
            i = (i + 1) & (RING - 1);
            let (s, e) = black_box(pairs[i]);
            black_box(tsc.delta_nanos(s, e))
        })
    });
    group.bench_function("quanta Clock::delta_as_nanos", |b| {
        b.iter(|| {
            i = (i + 1) & (RING - 1);
            let (s, e) = black_box(pairs[i]);
            black_box(quanta.delta_as_nanos(s.as_raw(), e.as_raw()))
        })
    });
    group.finish();
}

fn bench_stage(c: &mut Criterion) {
    let tsc = TscClock::new();
    let layout = layout();
    let slot = layout.venue_slot(VenueId::CME).expect("venue");
    let mut recorder = LatencyRecorder::new(LatencySet::new(layout), tsc.mono(), u64::MAX);
    let mut group = c.benchmark_group("latency_stage");
    let mut start = tsc.raw();
    group.bench_function("fixgate TscClock::raw + record_ticks", |b| {
        b.iter(|| {
            let end = tsc.raw();
            let r = recorder.record_ticks(&tsc, slot, Stage::ReceiveToDecoded, start, end);
            start = end;
            black_box(r)
        })
    });
    group.finish();
}

/// Batches for [`min_of_batches`], and operations per batch.
const BATCHES: u32 = 20_000;
const PER_BATCH: u32 = 256;

/// ns per call of `op`: the fastest of [`BATCHES`] batches of [`PER_BATCH`]
/// calls, timed with the TSC. On a shared, loaded machine criterion's mean
/// includes every preemption; the fastest batch is what one call costs when
/// the thread runs, which is the number a pinned hot thread sees.
fn min_of_batches(tsc: &TscClock, mut op: impl FnMut()) -> f64 {
    let mut best = u64::MAX;
    for _ in 0..BATCHES {
        let start = tsc.raw();
        for _ in 0..PER_BATCH {
            op();
        }
        best = best.min(tsc.delta_nanos(start, tsc.raw()));
    }
    best as f64 / f64::from(PER_BATCH)
}

/// Prints [`min_of_batches`] for the main rows of each group.
fn print_min_of_batches() {
    let tsc = TscClock::new();
    let quanta = quanta::Clock::new();
    let values = values();
    let mut set = LatencySet::new(layout());
    let slot = set.layout().venue_slot(VenueId::SHFE).expect("venue");
    let mut plain = new_histogram();
    let mut i = 0;
    let mut next = || {
        i = (i + 1) & (RING - 1);
        black_box(values[i])
    };
    let rows: [(&str, f64); 6] = [
        (
            "latency_record/fixgate LatencySet::record_at",
            min_of_batches(&tsc, || {
                black_box(set.record_at(slot, Stage::DecodedToPublished, next()));
            }),
        ),
        (
            "latency_record/hdrhistogram Histogram::record",
            min_of_batches(&tsc, || {
                black_box(plain.record(next()).is_ok());
            }),
        ),
        (
            "timestamp/fixgate TscClock::raw",
            min_of_batches(&tsc, || {
                black_box(tsc.raw());
            }),
        ),
        (
            "timestamp/quanta Clock::raw",
            min_of_batches(&tsc, || {
                black_box(quanta.raw());
            }),
        ),
        (
            "timestamp/std Instant::now",
            min_of_batches(&tsc, || {
                black_box(instant_now());
            }),
        ),
        (
            "ticks_to_ns/fixgate TscClock::delta_nanos",
            min_of_batches(&tsc, || {
                black_box(tsc.delta_nanos(Ticks::from_raw(1), black_box(Ticks::from_raw(1 << 20))));
            }),
        ),
    ];
    println!("fastest batch of {PER_BATCH} calls (of {BATCHES}), ns per call (includes the loop and the batch's own two TSC reads / {PER_BATCH}):");
    for (name, ns) in rows {
        println!("  {name:<48} {ns:>7.2} ns");
    }
}

fn main() {
    // The same environment header as the latency reports: the clock source and
    // invariant TSC decide what a TSC read costs and means.
    let env = fixgate::report::Environment::probe().with_wait_strategy("none (single thread)");
    println!("latency bench environment:\n{}", env.header());
    print_min_of_batches();
    let mut c = Criterion::default().configure_from_args();
    bench_record(&mut c);
    bench_timestamp(&mut c);
    bench_ticks_to_ns(&mut c);
    bench_stage(&mut c);
    c.final_summary();
}
