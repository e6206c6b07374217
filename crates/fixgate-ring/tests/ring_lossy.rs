//! Lossy subscribers: the exact count of missed events when lapped, never a torn
//! event, and never a stalled producer.

mod common;

use std::thread;

use common::{scaled, TestEvent};
use fixgate_ring::{channel, Closed, LossyBatch, Received, RingConfig, WaitStrategy};

fn ring(
    capacity: usize,
) -> (
    fixgate_ring::Producer<TestEvent>,
    fixgate_ring::Subscribers<TestEvent>,
) {
    channel(RingConfig {
        capacity,
        max_blocking: 1,
        producer_wait: WaitStrategy::Spin,
    })
    .unwrap()
}

#[test]
fn a_lapped_subscriber_gets_the_exact_count_and_the_newest_event() {
    let (mut producer, subs) = ring(8);
    let mut sub = subs.lossy(WaitStrategy::Spin);
    producer.publish(TestEvent::new(0));
    // Publish 29 more with nobody reading: sequences 0..30, slots hold 22..30.
    for seq in 1..30 {
        producer.publish(TestEvent::new(seq));
    }
    assert_eq!(
        producer.stats().waits,
        0,
        "a lossy subscriber never holds the producer"
    );
    match sub.try_recv() {
        Received::Event {
            sequence,
            value,
            missed,
        } => {
            assert_eq!(sequence, 29, "resumes at the newest");
            assert_eq!(value, TestEvent::new(29));
            assert_eq!(missed, 29, "sequences 0..29 were skipped");
        }
        other => panic!("expected an event, got {other:?}"),
    }
    assert_eq!(sub.try_recv(), Received::Empty);
    assert_eq!(sub.missed_total(), 29);
    producer.publish(TestEvent::new(30));
    assert!(matches!(
        sub.try_recv(),
        Received::Event {
            sequence: 30,
            missed: 0,
            ..
        }
    ));
}

#[test]
fn a_lap_during_a_batch_keeps_the_copies_and_reports_the_gap_next() {
    let (mut producer, subs) = ring(4);
    let mut sub = subs.lossy(WaitStrategy::Spin);
    let mut out = [TestEvent::new(0); 3];
    producer.publish_batch(&[TestEvent::new(0), TestEvent::new(1)]);
    let b = sub.poll_batch(&mut out).unwrap();
    assert_eq!(
        b,
        LossyBatch {
            missed: 0,
            copied: 2,
            first_sequence: 0
        }
    );
    // The subscriber is at 2; ten more events lap it (slots hold 8..12).
    for seq in 2..12 {
        producer.publish(TestEvent::new(seq));
    }
    let b = sub.poll_batch(&mut out).unwrap();
    assert_eq!(b.missed, 9, "2..11 skipped, resumed at 11");
    assert_eq!(b.copied, 1);
    assert_eq!(b.first_sequence, 11);
    assert_eq!(out[0], TestEvent::new(11));
    assert_eq!(
        sub.poll_batch(&mut out).unwrap(),
        LossyBatch {
            first_sequence: 12,
            ..LossyBatch::default()
        }
    );
}

#[test]
fn closed_after_the_last_event() {
    let (mut producer, subs) = ring(4);
    let mut sub = subs.lossy(WaitStrategy::Spin);
    producer.publish(TestEvent::new(0));
    drop(producer);
    assert!(matches!(
        sub.try_recv(),
        Received::Event { sequence: 0, .. }
    ));
    assert_eq!(sub.try_recv(), Received::Closed);
    let mut out = [TestEvent::new(0); 2];
    assert_eq!(sub.poll_batch(&mut out), Err(Closed));
    assert_eq!(sub.recv_batch(&mut out), Err(Closed));
}

/// A producer racing a lossy reader that is made slow on purpose: the reader
/// never sees a torn event, its sequences only go up, what it got plus what it
/// was told it missed is exactly what was published, and the producer never
/// waited.
#[test]
fn a_slow_lossy_subscriber_never_tears_and_counts_exactly() {
    let n = scaled(300_000, 600);
    let (mut producer, subs) = ring(16);
    let mut sub = subs.lossy(WaitStrategy::SpinThenYield { spins: 32 });
    let reader = thread::spawn(move || {
        let mut out = [TestEvent::new(0); 8];
        let (mut got, mut missed, mut batches) = (0u64, 0u64, 0u64);
        let mut expect = 0u64;
        loop {
            match sub.recv_batch(&mut out) {
                Ok(b) => {
                    batches += 1;
                    missed += b.missed;
                    expect += b.missed;
                    for (i, e) in out[..b.copied].iter().enumerate() {
                        assert!(e.check(), "torn event {e:?}");
                        assert_eq!(e.seq, expect, "events after a gap are consecutive");
                        assert_eq!(e.seq, b.first_sequence + i as u64);
                        expect += 1;
                    }
                    got += b.copied as u64;
                    // Slow: a long pause every few batches gets this lapped.
                    if batches % 64 == 0 {
                        for _ in 0..2_000 {
                            std::hint::spin_loop();
                        }
                        thread::yield_now();
                    }
                }
                Err(Closed) => return (got, missed, sub.missed_total()),
            }
        }
    });
    for seq in 0..n {
        producer.publish(TestEvent::new(seq));
    }
    let stats = producer.stats();
    drop(producer);
    let (got, missed, missed_total) = reader.join().unwrap();
    println!("lossy: {got} delivered, {missed} missed of {n}");
    assert_eq!(got + missed, n, "every event delivered or counted missed");
    assert_eq!(missed, missed_total);
    assert_eq!(
        stats.waits, 0,
        "the producer never waited for a lossy subscriber"
    );
    assert_eq!(stats.published, n);
}

/// The same race through `try_recv`, with a blocking subscriber alongside: the
/// producer waits only for the blocking one.
#[test]
fn lossy_and_blocking_subscribers_together() {
    let n = scaled(100_000, 300);
    let (mut producer, subs) = ring(32);
    let mut lossy = subs.lossy(WaitStrategy::Spin);
    let mut blocking = subs
        .blocking(WaitStrategy::SpinThenYield { spins: 32 })
        .unwrap();
    let lossy_reader = thread::spawn(move || {
        let (mut got, mut missed, mut last) = (0u64, 0u64, None::<u64>);
        loop {
            match lossy.try_recv() {
                Received::Event {
                    sequence,
                    value,
                    missed: m,
                } => {
                    assert!(value.check(), "torn event {value:?}");
                    assert_eq!(value.seq, sequence);
                    let expected = last.map_or(0, |l| l + 1) + m;
                    assert_eq!(sequence, expected, "gap not counted exactly");
                    last = Some(sequence);
                    got += 1;
                    missed += m;
                }
                Received::Empty => thread::yield_now(),
                Received::Closed => return (got, missed),
            }
        }
    });
    let blocking_reader = thread::spawn(move || {
        let mut next = 0;
        while blocking
            .recv_batch(16, |seq, e| {
                assert_eq!((seq, e.seq), (next, next));
                assert!(e.check());
                next += 1;
            })
            .is_ok()
        {}
        next
    });
    for seq in 0..n {
        producer.publish(TestEvent::new(seq));
    }
    drop(producer);
    let (got, missed) = lossy_reader.join().unwrap();
    assert_eq!(got + missed, n);
    assert_eq!(blocking_reader.join().unwrap(), n);
}
