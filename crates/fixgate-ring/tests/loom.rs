//! loom models of the ring and the seqlock cells: every interleaving (up to the
//! preemption bound) of small scenarios, with loom's atomics swapped in by the
//! crate's `sync` module.
//!
//! Run: `RUSTFLAGS="--cfg loom" cargo test -p fixgate-ring --release --test loom`
//! (only this crate: tokio does not build under `--cfg loom`). Each model takes
//! seconds; `LOOM_MAX_PREEMPTIONS` overrides the bound of 3 used here.
//!
//! Payloads are `[u64; 2]` holding `(seq, !seq)`: a copy mixing two writes fails
//! [`whole`].
#![cfg(loom)]

use fixgate_ring::{cells, channel, Closed, Received, RingConfig, WaitStrategy};
use loom::thread;

type Ev = [u64; 2];

fn ev(seq: u64) -> Ev {
    [seq, !seq]
}

fn whole(e: &Ev) -> bool {
    e[1] == !e[0]
}

fn model(f: impl Fn() + Sync + Send + 'static) {
    let mut builder = loom::model::Builder::new();
    if builder.preemption_bound.is_none() {
        builder.preemption_bound = Some(3);
    }
    builder.check(f);
}

fn config(capacity: usize) -> RingConfig {
    RingConfig {
        capacity,
        max_blocking: 1,
        producer_wait: WaitStrategy::Spin,
    }
}

/// A lossy reader copying a slot while the producer overwrites it (capacity 2,
/// three events: sequence 2 reuses sequence 0's slot). Every event it gets is
/// whole and is the one its sequence names; gaps are counted exactly.
#[test]
fn slot_overwritten_during_the_read() {
    model(|| {
        let (mut producer, subs) = channel::<Ev>(config(2)).unwrap();
        let mut sub = subs.lossy(WaitStrategy::Spin);
        let writer = thread::spawn(move || {
            for seq in 0..3 {
                producer.publish(ev(seq));
            }
        });
        let mut next = 0u64;
        let mut got = 0u64;
        for _ in 0..3 {
            match sub.try_recv() {
                Received::Event {
                    sequence,
                    value,
                    missed,
                } => {
                    assert!(whole(&value), "torn copy {value:?}");
                    assert_eq!(value[0], sequence);
                    assert_eq!(sequence, next + missed, "gap miscounted");
                    next = sequence + 1;
                    got += 1;
                }
                Received::Empty | Received::Closed => {}
            }
        }
        writer.join().unwrap();
        // Drain: everything is delivered or counted.
        loop {
            match sub.try_recv() {
                Received::Event {
                    sequence,
                    value,
                    missed,
                } => {
                    assert!(whole(&value));
                    assert_eq!(sequence, next + missed);
                    next = sequence + 1;
                    got += 1;
                }
                Received::Closed => break,
                Received::Empty => panic!("empty after the producer closed"),
            }
        }
        assert_eq!(next, 3);
        assert_eq!(got + sub.missed_total(), 3);
    });
}

/// A batch read racing a producer that laps it: copies made before the lap stay
/// whole and consecutive, and the skip is reported ahead of later events. The
/// publish stamps (a counter: 1 for the first batch, 2 for the second) are
/// read in the same window, so each copied event carries its own batch's.
#[test]
fn lapped_while_reading_a_batch() {
    model(|| {
        let (mut producer, subs) = channel::<Ev>(config(2)).unwrap();
        let mut sub = subs.lossy(WaitStrategy::Spin);
        // Only the producer's thread reads it: a plain std atomic is enough.
        let batches = std::sync::atomic::AtomicU64::new(0);
        producer.set_publish_clock(Some(Box::new(move || {
            batches.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1
        })));
        let writer = thread::spawn(move || {
            producer.publish_batch(&[ev(0), ev(1)]);
            producer.publish_batch(&[ev(2), ev(3)]);
        });
        let mut out = [[0u64; 2]; 2];
        let mut stamps = [0u64; 2];
        let mut next = 0u64;
        let mut accounted = 0u64;
        let mut check =
            |sub: &mut fixgate_ring::Lossy<Ev>, out: &mut [Ev; 2]| -> Result<(), Closed> {
                let b = sub.poll_batch_stamped(out, &mut stamps)?;
                next += b.missed;
                accounted += b.missed;
                for (i, e) in out[..b.copied].iter().enumerate() {
                    assert!(whole(e), "torn copy {e:?}");
                    assert_eq!(stamps[i], e[0] / 2 + 1, "stamp of another batch");
                    assert_eq!(e[0], b.first_sequence + i as u64);
                    assert_eq!(e[0], next, "batch not consecutive after the gap");
                    next += 1;
                    accounted += 1;
                }
                Ok(())
            };
        let _ = check(&mut sub, &mut out);
        let _ = check(&mut sub, &mut out);
        writer.join().unwrap();
        while check(&mut sub, &mut out).is_ok() {}
        assert_eq!(accounted, 4);
    });
}

/// A blocking subscriber in a ring of two holds the producer back: it reads all
/// three events in order and whole, so the producer never overwrote a slot it
/// had not released.
#[test]
fn blocking_subscriber_back_pressure() {
    model(|| {
        let (mut producer, subs) = channel::<Ev>(config(2)).unwrap();
        let mut sub = subs.blocking(WaitStrategy::Spin).unwrap();
        let writer = thread::spawn(move || {
            for seq in 0..3 {
                producer.publish(ev(seq));
            }
            producer.stats()
        });
        let mut next = 0;
        while next < 3 {
            sub.recv_batch(2, |seq, e| {
                assert_eq!(seq, next);
                assert_eq!(*e, ev(seq), "slot overwritten before release");
                next += 1;
            })
            .unwrap();
        }
        let stats = writer.join().unwrap();
        assert_eq!(stats.published, 3);
        assert_eq!(sub.recv_batch(1, |_, _| {}), Err(Closed));
    });
}

/// A blocking subscriber joining while the producer publishes: from its start
/// on it sees every event, in order and unmodified (the SeqCst join handshake).
#[test]
fn blocking_join_races_the_producer() {
    model(|| {
        let (mut producer, subs) = channel::<Ev>(config(2)).unwrap();
        let writer = thread::spawn(move || {
            for seq in 0..3 {
                producer.publish(ev(seq));
            }
        });
        let mut sub = subs.blocking(WaitStrategy::Spin).unwrap();
        let mut next = sub.cursor();
        loop {
            match sub.recv_batch(2, |seq, e| {
                assert_eq!(seq, next);
                assert_eq!(*e, ev(seq), "a joiner's slot was overwritten");
                next += 1;
            }) {
                Ok(_) => {}
                Err(Closed) => break,
            }
        }
        writer.join().unwrap();
        assert_eq!(next, 3);
    });
}

/// A seqlock cell read while it is written twice: a read that succeeds is one
/// whole value whose version matches it.
#[test]
fn seqlock_cell_never_returns_a_torn_value() {
    model(|| {
        let (mut writer, reader) = cells::<Ev>(1, ev(0));
        let w = thread::spawn(move || {
            writer.write(0, ev(1)).unwrap();
            writer.write(0, ev(2)).unwrap();
        });
        for _ in 0..2 {
            if let Some((value, version)) = reader.try_read(0).unwrap() {
                assert!(whole(&value), "torn copy {value:?}");
                assert_eq!(value[0], version, "value and version disagree");
            }
        }
        w.join().unwrap();
        assert_eq!(reader.read(0), Ok(ev(2)));
    });
}
