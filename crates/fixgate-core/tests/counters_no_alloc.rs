//! Bumping a counter never allocates; only registration and snapshots do.
//!
//! Its own test binary because it installs the counting global allocator.

use fixgate_core::counters::{CounterId, CounterRegistry};
use fixgate_ring::alloc_count::{count_allocations, CountingAllocator};

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator;

#[test]
fn bumping_does_not_allocate() {
    let registry = CounterRegistry::new();
    let names: Vec<String> = (0..40).map(|i| format!("c{i}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let writer = registry.register("hot", &refs).unwrap();
    let first = writer.id("c0").unwrap();
    let last = writer.id("c39").unwrap();
    let block = writer.block();

    let (allocs, ()) = count_allocations(|| {
        for i in 0..100_000u64 {
            writer.bump(first);
            writer.add(last, 3);
            writer.set(CounterId::new(20), i);
            std::hint::black_box(writer.get(first));
            std::hint::black_box(block.load(last));
        }
    });
    assert_eq!(allocs, 0, "the hot path allocated {allocs} times");

    // Registration and snapshots may allocate; they are off the hot path.
    let (snapshot_allocs, totals) = count_allocations(|| registry.totals());
    assert!(snapshot_allocs > 0);
    assert_eq!(totals["c0"], 100_000);
    assert_eq!(totals["c39"], 300_000);
    assert_eq!(totals["c20"], 99_999);
}

#[test]
fn polling_into_a_reused_buffer_does_not_allocate() {
    let registry = CounterRegistry::new();
    let writer = registry.register("hot", &["a", "b"]).unwrap();
    let block = writer.block();
    let mut values = Vec::with_capacity(block.len());
    let (allocs, ()) = count_allocations(|| {
        for _ in 0..1_000 {
            writer.bump(CounterId::new(1));
            block.load_into(&mut values);
        }
    });
    assert_eq!(allocs, 0);
    assert_eq!(values, [0, 1_000]);
}
