//! Blocking subscribers: every event, in order, read in place; the producer waits
//! for them and counts the waits; seats are taken and released at run time.

mod common;

use std::thread;

use common::{scaled, TestEvent};
use fixgate_ring::{channel, Closed, ConfigError, JoinError, RingConfig, RingFull, WaitStrategy};

fn config(capacity: usize, max_blocking: usize) -> RingConfig {
    RingConfig {
        capacity,
        max_blocking,
        producer_wait: WaitStrategy::SpinThenYield { spins: 64 },
    }
}

#[test]
fn capacity_must_be_a_power_of_two_of_at_least_two() {
    for capacity in [0, 1, 3, 6, 1000] {
        let err = channel::<u64>(config(capacity, 1)).err();
        assert_eq!(err, Some(ConfigError::BadCapacity { capacity }));
    }
    assert!(channel::<u64>(config(2, 1)).is_ok());
}

#[test]
fn a_full_ring_refuses_until_the_subscriber_releases() {
    let (mut producer, subs) = channel::<TestEvent>(config(4, 1)).unwrap();
    let mut sub = subs.blocking(WaitStrategy::Spin).unwrap();
    for seq in 0..4 {
        assert_eq!(producer.try_publish(TestEvent::new(seq)), Ok(seq));
    }
    assert_eq!(
        producer.try_publish(TestEvent::new(4)),
        Err(RingFull { sequence: 4 })
    );
    let mut seen = Vec::new();
    assert_eq!(sub.poll_batch(3, |seq, e| seen.push((seq, *e))), 3);
    assert_eq!(
        seen,
        (0..3).map(|s| (s, TestEvent::new(s))).collect::<Vec<_>>()
    );
    // Three slots released: three more fit, the fourth does not.
    for seq in 4..7 {
        assert_eq!(producer.try_publish(TestEvent::new(seq)), Ok(seq));
    }
    assert!(producer.try_publish(TestEvent::new(7)).is_err());
    assert_eq!(producer.stats().refused, 2);
    assert_eq!(sub.available(), 4);
}

#[test]
fn late_joiners_start_at_the_next_event_and_seats_are_reused() {
    let (mut producer, subs) = channel::<u64>(config(8, 2)).unwrap();
    producer.publish_batch(&[10, 11, 12]);
    let mut a = subs.blocking(WaitStrategy::Spin).unwrap();
    assert_eq!(a.cursor(), 3);
    assert_eq!(
        a.poll_batch(10, |_, _| panic!("nothing published since joining")),
        0
    );
    let b = subs.blocking(WaitStrategy::Spin).unwrap();
    assert_eq!(
        subs.blocking(WaitStrategy::Spin).err(),
        Some(JoinError::NoFreeSeat { seats: 2 })
    );
    drop(b);
    let mut c = subs.blocking(WaitStrategy::Spin).unwrap();
    producer.publish(13);
    assert_eq!(a.recv(), Ok((3, 13)));
    assert_eq!(c.recv(), Ok((3, 13)));
}

#[test]
fn a_departed_subscriber_no_longer_holds_the_producer() {
    let (mut producer, subs) = channel::<u64>(config(2, 1)).unwrap();
    let sub = subs.blocking(WaitStrategy::Spin).unwrap();
    producer.publish(1);
    producer.publish(2);
    assert!(producer.try_publish(3).is_err());
    drop(sub);
    assert_eq!(producer.try_publish(3), Ok(2));
}

#[test]
fn subscribers_drain_then_see_closed() {
    let (mut producer, subs) = channel::<u64>(config(4, 1)).unwrap();
    let mut sub = subs.blocking(WaitStrategy::Spin).unwrap();
    producer.publish_batch(&[7, 8]);
    drop(producer);
    let mut got = Vec::new();
    assert_eq!(sub.recv_batch(8, |_, v| got.push(*v)), Ok(2));
    assert_eq!(got, [7, 8]);
    assert_eq!(sub.recv_batch(8, |_, _| {}), Err(Closed));
    assert_eq!(sub.recv(), Err(Closed));
}

#[test]
fn a_batch_larger_than_the_ring_waits_for_the_reader() {
    let n = scaled(20_000, 300);
    let (mut producer, subs) = channel::<TestEvent>(config(16, 1)).unwrap();
    let mut sub = subs
        .blocking(WaitStrategy::SpinThenYield { spins: 16 })
        .unwrap();
    let reader = thread::spawn(move || {
        let mut next = 0;
        while sub
            .recv_batch(7, |seq, e| {
                assert_eq!(seq, next);
                assert_eq!(e.seq, seq);
                assert!(e.check(), "torn event {e:?}");
                next += 1;
            })
            .is_ok()
        {}
        next
    });
    let events: Vec<TestEvent> = (0..n).map(TestEvent::new).collect();
    for chunk in events.chunks(100) {
        producer.publish_batch(chunk);
    }
    assert_eq!(producer.stats().published, n);
    drop(producer);
    assert_eq!(reader.join().unwrap(), n);
}

#[test]
fn two_blocking_subscribers_see_every_event_in_order() {
    let n = scaled(200_000, 400);
    let (mut producer, subs) = channel::<TestEvent>(config(64, 2)).unwrap();
    producer.set_wait_clock(Some(monotonic_ns));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let mut sub = subs
                .blocking(WaitStrategy::SpinThenYield { spins: 64 })
                .unwrap();
            thread::spawn(move || {
                let mut next = 0u64;
                loop {
                    match sub.recv_batch(32, |seq, e| {
                        assert_eq!(seq, next, "out of order");
                        assert_eq!(e.seq, seq);
                        assert!(e.check(), "torn event {e:?}");
                        next += 1;
                    }) {
                        Ok(_) => {}
                        Err(Closed) => return next,
                    }
                }
            })
        })
        .collect();
    for seq in 0..n {
        assert_eq!(producer.publish(TestEvent::new(seq)), seq);
    }
    let stats = producer.stats();
    drop(producer);
    for r in readers {
        assert_eq!(r.join().unwrap(), n);
    }
    assert_eq!(stats.published, n);
    // On two shared cores a 64-slot ring fills often; the waits are counted
    // and, with a clock given, timed.
    println!(
        "producer waited {} times, {} steps, {} ns",
        stats.waits, stats.wait_steps, stats.wait_ticks
    );
    assert_eq!(stats.waits == 0, stats.wait_steps == 0);
    assert!(stats.wait_ticks == 0 || stats.waits > 0);
}

fn monotonic_ns() -> u64 {
    use std::sync::OnceLock;
    use std::time::Instant;
    static ORIGIN: OnceLock<Instant> = OnceLock::new();
    #[allow(
        clippy::disallowed_methods,
        reason = "a test's stand-in for the TSC clock the gateway passes in"
    )]
    let now = Instant::now();
    let origin = *ORIGIN.get_or_init(|| now);
    u64::try_from(now.duration_since(origin).as_nanos()).unwrap_or(u64::MAX)
}
