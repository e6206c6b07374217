//! Nothing the ring or the cells do after construction allocates: publishing,
//! reading (blocking and lossy, including laps), joining and leaving, and cell
//! reads and writes.
//!
//! The counting allocator is compiled into this test binary from the crate's
//! `alloc_count` module, so the test runs without the `alloc-count` feature.

#[path = "../src/alloc_count.rs"]
#[allow(
    dead_code,
    reason = "the module's other helpers are for other crates' tests"
)]
mod alloc_count;
mod common;

use std::sync::atomic::{AtomicU64, Ordering};

use alloc_count::{count_allocations, CountingAllocator};
use common::TestEvent;
use fixgate_ring::{cells, channel, Received, RingConfig, WaitStrategy};

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator;

fn no_alloc<R>(step: &str, f: impl FnOnce() -> R) -> R {
    let (allocs, result) = count_allocations(f);
    assert_eq!(allocs, 0, "{step}: allocated {allocs} times");
    result
}

#[test]
fn the_ring_does_not_allocate_after_construction() {
    let (mut producer, subs) = channel::<TestEvent>(RingConfig {
        capacity: 8,
        max_blocking: 2,
        producer_wait: WaitStrategy::Spin,
    })
    .unwrap();
    let batch: Vec<TestEvent> = (100..105).map(TestEvent::new).collect();
    let mut out = [TestEvent::new(0); 4];

    let (mut blocking, mut lossy) = no_alloc("join", || {
        (
            subs.blocking(WaitStrategy::Spin).unwrap(),
            subs.lossy(WaitStrategy::Spin),
        )
    });
    let subs2 = no_alloc("clone the handle", || subs.clone());
    no_alloc("publish", || {
        producer.publish(TestEvent::new(0));
        producer.try_publish(TestEvent::new(1)).unwrap();
        producer.publish_batch(&batch);
    });
    no_alloc("blocking read", || {
        let mut n = 0;
        while blocking.poll_batch(3, |_, e| assert!(e.check())) > 0 {
            n += 1;
        }
        assert!(n > 0);
        assert_eq!(blocking.available(), 0);
    });
    no_alloc("lossy read", || {
        assert!(matches!(lossy.try_recv(), Received::Event { .. }));
        assert!(lossy.poll_batch(&mut out).unwrap().copied > 0);
    });
    no_alloc("full ring and waits", || {
        for seq in 0..8 {
            producer.publish(TestEvent::new(seq));
        }
        assert!(producer.try_publish(TestEvent::new(9)).is_err());
        assert_eq!(blocking.recv_batch(8, |_, _| {}), Ok(8));
        producer.publish(TestEvent::new(15));
        assert!(blocking.recv().is_ok());
    });
    no_alloc("lossy lapped", || {
        let b = lossy.poll_batch(&mut out).unwrap();
        assert!(b.missed > 0 && b.copied > 0);
    });
    static TICKS: AtomicU64 = AtomicU64::new(0);
    producer.set_publish_clock(Some(Box::new(|| TICKS.fetch_add(1, Ordering::Relaxed) + 1)));
    no_alloc("stamped publish and reads", || {
        producer.publish_batch(&batch[..2]);
        let mut stamps = [0u64; 4];
        let b = lossy.poll_batch_stamped(&mut out, &mut stamps).unwrap();
        assert!(b.copied > 0);
        let mut seen = 0;
        blocking.poll_batch_stamped(8, |_, published, _| {
            assert_eq!(published, 1);
            seen += 1;
        });
        assert_eq!(seen, 2);
    });
    no_alloc("leave and rejoin", || {
        drop(blocking);
        let again = subs2.blocking(WaitStrategy::Spin).unwrap();
        drop(again);
    });
    no_alloc("close", || drop(producer));
}

#[test]
fn seqlock_cells_do_not_allocate_after_construction() {
    let (mut writer, reader) = cells(4, TestEvent::new(0));
    let reader2 = no_alloc("clone a reader", || reader.clone());
    no_alloc("write, update, read", || {
        writer.write(1, TestEvent::new(7)).unwrap();
        writer
            .update(1, |e| *e = TestEvent::new(e.seq + 1))
            .unwrap();
        assert_eq!(reader2.read(1), Ok(TestEvent::new(8)));
        assert!(reader.try_read(1).unwrap().is_some());
        assert!(reader.read(4).is_err());
    });
}
