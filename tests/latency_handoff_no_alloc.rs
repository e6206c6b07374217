//! The hot thread's side of the latency handoff allocates nothing: recording,
//! a batch end that is not due, a rotation through the SPSC channels, a
//! deferred rotation (no empty set back yet), and the merger's reset set coming
//! back. Only construction and the merger's side (logging, merging) allocate.
//!
//! Its own test binary because it installs the counting global allocator.

use std::sync::Arc;
use std::time::Duration;

use fixgate::report::{latency_handoff, Rotation, Taken};
use fixgate_core::latency::{LatencyLayout, MergedLatency, Stage, StageKey};
use fixgate_core::time::{Clock, ManualClock, UtcNanos};
use fixgate_core::types::VenueId;
use fixgate_ring::alloc_count::{count_allocations, CountingAllocator};

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator;

#[test]
fn rotating_through_the_handoff_does_not_allocate() {
    let clock = ManualClock::new(UtcNanos::from_nanos(1_773_671_400_000_000_000));
    let layout =
        Arc::new(LatencyLayout::new(&[VenueId::CME], &[Stage::DecodedToPublished]).unwrap());
    let slot = layout.venue_slot(VenueId::CME).unwrap();
    let (mut hot, source) =
        latency_handoff("feed", layout, 1, clock.mono(), Duration::from_micros(4));

    // Warm both channels once: std's channels allocate nothing per message,
    // and this shows it holds from the first message on too.
    let mut outcomes = Vec::with_capacity(64);
    let mut merged = MergedLatency::new();
    let mut full_sets = 0;
    for round in 0..8 {
        let (allocs, ()) = count_allocations(|| {
            for i in 0..100u64 {
                let start = clock.raw();
                clock.advance_nanos(i + 1);
                hot.recorder().record_ticks(
                    &clock,
                    slot,
                    Stage::DecodedToPublished,
                    start,
                    clock.raw(),
                );
            }
            // Each round lasts 5,050 ns, past the 4 µs interval. Two batch
            // ends: the first rotates when an empty set is back (then the
            // second finds the new interval not yet due), or defers when none
            // is (then the second defers too).
            outcomes.push(hot.end_batch(clock.mono()));
            outcomes.push(hot.end_batch(clock.mono()));
        });
        assert_eq!(
            allocs, 0,
            "round {round}: the hot side allocated {allocs} times"
        );
        // The merger takes the full set every other round only, so some
        // rotations find no empty set and are deferred.
        if round % 2 == 1 {
            while let Taken::Set(set) = source.try_take() {
                merged.add_set(&set).unwrap();
                source.give_back(set);
                full_sets += 1;
            }
        }
    }
    let count = |r: Rotation| outcomes.iter().filter(|o| **o == r).count();
    assert_eq!(count(Rotation::Rotated), 4, "{outcomes:?}");
    assert_eq!(count(Rotation::NotDue), 4, "{outcomes:?}");
    assert_eq!(count(Rotation::Deferred), 8, "{outcomes:?}");
    assert_eq!(count(Rotation::Lost), 0);
    assert_eq!(count(Rotation::Rotated), full_sets);
    assert_eq!(hot.deferred() as usize, count(Rotation::Deferred));

    // Nothing recorded went missing: the merger's sets plus the current one.
    assert!(hot.finish(clock.mono()));
    let Taken::Set(last) = source.try_take() else {
        panic!("the last set did not arrive");
    };
    merged.add_set(&last).unwrap();
    assert!(matches!(source.try_take(), Taken::Finished));
    let key = StageKey::new(VenueId::CME, Stage::DecodedToPublished);
    assert_eq!(merged.get(key).unwrap().histogram.len(), 800);
    assert_eq!(merged.get(key).unwrap().histogram.max(), 100);
}

#[test]
fn a_gone_merger_loses_counted_intervals_without_allocating() {
    let clock = ManualClock::new(UtcNanos::from_nanos(1));
    let layout = Arc::new(LatencyLayout::new(&[VenueId::ICE], &[Stage::ReceiveToDecoded]).unwrap());
    let (mut hot, source) =
        latency_handoff("feed", layout, 2, clock.mono(), Duration::from_nanos(1));
    drop(source);
    let (allocs, outcomes) = count_allocations(|| {
        let mut outcomes = [Rotation::NotDue; 4];
        for o in &mut outcomes {
            hot.recorder()
                .record(VenueId::ICE, Stage::ReceiveToDecoded, 5);
            clock.advance_nanos(1);
            *o = hot.end_batch(clock.mono());
        }
        outcomes
    });
    // Freeing the dropped sets is not an allocation.
    assert_eq!(allocs, 0);
    // Two spares were waiting: two intervals lost, then no empty set is left.
    assert_eq!(
        outcomes,
        [
            Rotation::Lost,
            Rotation::Lost,
            Rotation::Deferred,
            Rotation::Deferred
        ]
    );
    assert_eq!(hot.lost(), 2);
    assert!(!hot.finish(clock.mono()));
}
