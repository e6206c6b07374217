//! Publish stamps: with a publish clock the producer reads it once per
//! `publish` and once per `publish_batch` run, and every subscriber gets each
//! event's stamp with it; without one the stamps are 0.

mod common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use common::TestEvent;
use fixgate_ring::{channel, Producer, RingConfig, Subscribers, WaitStrategy};

fn ring(capacity: usize) -> (Producer<TestEvent>, Subscribers<TestEvent>) {
    channel(RingConfig::with_capacity(capacity)).unwrap()
}

/// A clock that counts its readings (1, 2, ...) and the shared count.
fn counting_clock(producer: &mut Producer<TestEvent>) -> Arc<AtomicU64> {
    let reads = Arc::new(AtomicU64::new(0));
    let r = Arc::clone(&reads);
    producer.set_publish_clock(Some(Box::new(move || {
        r.fetch_add(1, Ordering::Relaxed) + 1
    })));
    reads
}

#[test]
fn each_event_carries_its_batch_stamp() {
    let (mut producer, subs) = ring(16);
    let mut blocking = subs.blocking(WaitStrategy::Spin).unwrap();
    let mut lossy = subs.lossy(WaitStrategy::Spin);
    let reads = counting_clock(&mut producer);

    producer.publish(TestEvent::new(0));
    producer.try_publish(TestEvent::new(1)).unwrap();
    let batch: Vec<TestEvent> = (2..6).map(TestEvent::new).collect();
    producer.publish_batch(&batch);
    // One read per single publish, one for the batch's single run.
    assert_eq!(reads.load(Ordering::Relaxed), 3);
    let want = [1, 2, 3, 3, 3, 3];

    let mut got = Vec::new();
    blocking.poll_batch_stamped(16, |seq, published, event| {
        assert_eq!(event.seq, seq);
        got.push(published);
    });
    assert_eq!(got, want);

    let mut out = [TestEvent::new(0); 16];
    let mut stamps = [u64::MAX; 16];
    let b = lossy.poll_batch_stamped(&mut out, &mut stamps).unwrap();
    assert_eq!((b.copied, b.missed), (6, 0));
    assert_eq!(stamps[..6], want);
    assert_eq!(stamps[6], u64::MAX, "nothing written past the copies");
}

#[test]
fn a_run_split_by_back_pressure_gets_one_stamp_per_run() {
    // Capacity 4 and a blocking subscriber that has read nothing: a batch of 6
    // goes out as a run of 4, then (after the reader frees room) a run of 2.
    let (mut producer, subs) = ring(4);
    let mut blocking = subs.blocking(WaitStrategy::Spin).unwrap();
    let reads = counting_clock(&mut producer);
    let reader = std::thread::spawn(move || {
        let mut stamps = Vec::new();
        while stamps.len() < 6 {
            blocking.poll_batch_stamped(8, |_, published, event| {
                assert!(event.check());
                stamps.push(published);
            });
        }
        stamps
    });
    let batch: Vec<TestEvent> = (0..6).map(TestEvent::new).collect();
    producer.publish_batch(&batch);
    let stamps = reader.join().unwrap();
    let runs = reads.load(Ordering::Relaxed);
    assert!((2..=6).contains(&runs), "{runs} runs");
    // Non-decreasing, starting at 1, ending at the last run's reading.
    assert_eq!(stamps[0], 1);
    assert!(stamps.windows(2).all(|w| w[0] <= w[1]), "{stamps:?}");
    assert_eq!(*stamps.last().unwrap(), runs);
}

#[test]
fn without_a_clock_the_stamps_are_zero() {
    let (mut producer, subs) = ring(8);
    let mut blocking = subs.blocking(WaitStrategy::Spin).unwrap();
    let mut lossy = subs.lossy(WaitStrategy::Spin);
    producer.publish_batch(&[TestEvent::new(0), TestEvent::new(1)]);
    let mut zeros = 0;
    blocking.poll_batch_stamped(8, |_, published, _| {
        assert_eq!(published, 0);
        zeros += 1;
    });
    assert_eq!(zeros, 2);
    let mut out = [TestEvent::new(9); 2];
    let mut stamps = [7u64; 1];
    // The shorter of the two buffers bounds the copy.
    let b = lossy.poll_batch_stamped(&mut out, &mut stamps).unwrap();
    assert_eq!((b.copied, stamps[0]), (1, 0));
}
