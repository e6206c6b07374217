//! Recording a latency never allocates: not a plain value, not a clamped or
//! unrouted one, not through the recorder with TSC ticks, and not the interval
//! rotation. Building sets, merging and resetting may (they are off the hot
//! path).
//!
//! Its own test binary because it installs the counting global allocator.

use std::hint::black_box;
use std::sync::Arc;

use fixgate_core::latency::{
    LatencyLayout, LatencyRecorder, LatencySet, MergedLatency, Recorded, Stage, StageKey,
    HIGHEST_NS,
};
use fixgate_core::time::{Clock, ManualClock, MonoNanos, TscClock, UtcNanos};
use fixgate_core::types::VenueId;
use fixgate_ring::alloc_count::{count_allocations, CountingAllocator};

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator;

fn layout() -> Arc<LatencyLayout> {
    Arc::new(
        LatencyLayout::new(
            &[VenueId::CME, VenueId::ICE, VenueId::SHFE],
            &[Stage::ReceiveToDecoded, Stage::DecodedToPublished],
        )
        .unwrap(),
    )
}

/// A spread of values over the whole range, so that records touch many
/// buckets (a histogram allocates nothing lazily per bucket, and this shows it).
fn values() -> Vec<u64> {
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // 0 .. 2^40 ns with a log-uniform spread, some past HIGHEST_NS.
            (x >> 24) >> (x % 41)
        })
        .collect()
}

#[test]
fn recording_values_does_not_allocate() {
    let mut set = LatencySet::new(layout());
    let slot = set.layout().venue_slot(VenueId::ICE).unwrap();
    let values = values();
    let (allocs, outcomes) = count_allocations(|| {
        let mut clamped = 0u32;
        for (i, &v) in values.iter().enumerate() {
            let stage = if i % 2 == 0 {
                Stage::ReceiveToDecoded
            } else {
                Stage::DecodedToPublished
            };
            if set.record(VenueId::CME, stage, v) == Recorded::Clamped {
                clamped += 1;
            }
            black_box(set.record_at(slot, stage, v));
            // Unrouted venue and stage, and the extremes.
            black_box(set.record(VenueId::FX, stage, v));
            black_box(set.record_at(slot, Stage::OrderEncodedToWritten, v));
            black_box(set.record(VenueId::SHFE, stage, u64::MAX));
            black_box(set.record(VenueId::SHFE, stage, 0));
        }
        clamped
    });
    assert_eq!(allocs, 0, "recording allocated {allocs} times");
    let clamped_want = values.iter().filter(|&&v| v > HIGHEST_NS).count();
    assert!(clamped_want > 0, "the values reach past the range");
    assert_eq!(outcomes as usize, clamped_want);
    assert_eq!(set.unrouted(), 2 * values.len() as u64);
    let total: u64 = set.iter().map(|(_, h, _)| h.len()).sum();
    assert_eq!(total, 4 * values.len() as u64);
    println!(
        "{} records, {} clamped, {} buckets per histogram",
        values.len() * 6,
        clamped_want,
        set.iter().next().map_or(0, |(_, h, _)| h.distinct_values())
    );
}

#[test]
fn recording_tsc_ticks_and_rotating_does_not_allocate() {
    let clock = TscClock::new();
    let layout = layout();
    let slot = layout.venue_slot(VenueId::SHFE).unwrap();
    let mut recorder = LatencyRecorder::new(LatencySet::new(layout.clone()), clock.mono(), 1);
    let mut spares = vec![LatencySet::new(layout.clone()), LatencySet::new(layout)];
    let mut full = Vec::with_capacity(spares.len());

    let (allocs, rotations) = count_allocations(|| {
        let mut rotations = 0;
        for batch in 0..100 {
            for _ in 0..64 {
                let start = clock.raw();
                let mid = clock.raw();
                let end = clock.raw();
                recorder.record_ticks(&clock, slot, Stage::ReceiveToDecoded, start, mid);
                recorder.record_ticks(&clock, slot, Stage::DecodedToPublished, mid, end);
            }
            // Batch end: rotate while spares last (the interval is 1 ns).
            if batch % 40 == 39 && recorder.is_due(clock.mono()) {
                if let Some(empty) = spares.pop() {
                    let Ok(set) = recorder.rotate(clock.mono(), empty) else {
                        panic!("rotation refused a fresh set");
                    };
                    full.push(set);
                    rotations += 1;
                }
            }
        }
        rotations
    });
    assert_eq!(allocs, 0, "recording or rotating allocated {allocs} times");
    assert_eq!(rotations, 2);

    let rd = StageKey::new(VenueId::SHFE, Stage::ReceiveToDecoded);
    let counts: Vec<u64> = full
        .iter()
        .chain([recorder.current()])
        .map(|s| s.histogram(rd).unwrap().len())
        .collect();
    assert_eq!(counts, [40 * 64, 40 * 64, 20 * 64]);
    // Intervals follow each other.
    assert_eq!(full[0].end(), full[1].start());
    assert_eq!(full[1].end(), recorder.current().start());
    // Three back-to-back TSC reads are nanoseconds apart, not milliseconds.
    let p50 = full[0].histogram(rd).unwrap().value_at_quantile(0.5);
    assert!(p50 < 1_000_000, "median of two TSC reads {p50} ns");

    // The merger side may allocate; it adds up what the hot side recorded.
    let mut merged = MergedLatency::new();
    for set in full.iter_mut() {
        merged.add_set(set).unwrap();
        set.reset();
    }
    merged.add_set(recorder.current()).unwrap();
    assert_eq!(merged.get(rd).unwrap().histogram.len(), 100 * 64);
    assert!(full.iter().all(LatencySet::is_empty));
}

#[test]
fn recording_with_a_manual_clock_does_not_allocate() {
    let clock = ManualClock::new(UtcNanos::from_nanos(1_773_671_400_000_000_000));
    let mut recorder = LatencyRecorder::new(LatencySet::new(layout()), MonoNanos::ZERO, 1_000);
    let slot = recorder
        .current()
        .layout()
        .venue_slot(VenueId::CME)
        .unwrap();
    let (allocs, ()) = count_allocations(|| {
        for i in 0..1_000 {
            let start = clock.raw();
            clock.advance_nanos(i);
            recorder.record_ticks(&clock, slot, Stage::ReceiveToDecoded, start, clock.raw());
            recorder.record(VenueId::ICE, Stage::DecodedToPublished, i);
        }
    });
    assert_eq!(allocs, 0);
    let h = recorder
        .current()
        .histogram(StageKey::new(VenueId::CME, Stage::ReceiveToDecoded))
        .unwrap();
    assert_eq!((h.len(), h.min(), h.max()), (1_000, 0, 999));
}
