//! Ring throughput: fixgate's broadcast ring against rtrb and crossbeam's
//! `ArrayQueue` (SPSC), and against the `disruptor` crate (one producer, two
//! consumers), all moving fixgate's 64-byte `Event`.
//!
//! Method, the same for every peer: consumer threads are started once per
//! benchmark and keep running; one iteration is one event published by the
//! bench thread, and an `iter_custom` sample publishes its events and then waits
//! until every consumer has consumed them (each consumer stores its count after
//! each batch it reads). Every consumer copies each event out (`*event`, passed
//! to `black_box`), for the in-place readers (fixgate's blocking subscriber, the
//! disruptor's handlers) as for the queues that pop by value. Capacity 1,024;
//! everything spins (fixgate `WaitStrategy::Spin`, disruptor
//! `BusySpinWithSpinLoopHint`, the queues retry with `spin_loop`). Events are
//! published one at a time (no batch publish on either side).
//!
//! Groups: `ring_spsc/{fixgate_blocking,rtrb,crossbeam_array_queue}` and
//! `ring_broadcast_1to2/{fixgate_blocking,disruptor}`; the time per element is
//! the time per event delivered to all consumers. `ring_same_thread_512/*`
//! publishes 512 events and reads them back on one thread: the per-event cost
//! without cross-core traffic, which a machine without free cores can measure
//! (`fixgate_blocking_stamped`: the same with a TSC publish stamp per event and
//! stamped reads; `..._stamped_batch`: one stamp per 512-event `publish_batch`).
//! Spinning threads need a core
//! each: SPSC needs 2, broadcast 3. On fewer free cores the numbers measure the
//! scheduler more than the ring; see README "Performance".
//!
//! `cargo bench --bench ring -- --warm-up-time 1 --measurement-time 3`

mod support;

use std::hint::{black_box, spin_loop};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use crossbeam::queue::ArrayQueue;
use crossbeam::utils::CachePadded;
use fixgate_core::event::{Event, EventHeader, QuoteBody};
use fixgate_core::time::{Clock, TscClock, UtcNanos};
use fixgate_core::types::{InstrumentId, Price, Qty};
use fixgate_ring::{channel, Closed, RingConfig, WaitStrategy};

const CAPACITY: usize = 1024;

/// 1,024 distinct quote events, published round-robin.
fn events() -> Vec<Event> {
    (0..1024u64)
        .map(|i| {
            Event::new(
                EventHeader {
                    instrument: InstrumentId(i as u32 % 7),
                    ts_recv_ns: UtcNanos::from_nanos(1_700_000_000_000_000_000 + i),
                    ts_event_ns: UtcNanos::from_nanos(1_700_000_000_000_000_000 + i),
                    sequence: i as u32,
                    ..EventHeader::default()
                },
                QuoteBody {
                    bid_px_e9: Price::from_e9(2_100_000_000 + i as i64),
                    ask_px_e9: Price::from_e9(2_110_000_000 + i as i64),
                    bid_qty: Qty::from_lots(10),
                    ask_qty: Qty::from_lots(12),
                    bid_count: 1,
                    ask_count: 2,
                },
            )
        })
        .collect()
}

#[allow(
    clippy::disallowed_methods,
    reason = "a benchmark times itself; the protocol cores never read clocks"
)]
fn now() -> Instant {
    Instant::now()
}

/// Consumers' counts of events consumed, one cache line each.
type Progress = Arc<Vec<CachePadded<AtomicU64>>>;

fn progress(consumers: usize) -> Progress {
    Arc::new(
        (0..consumers)
            .map(|_| CachePadded::new(AtomicU64::new(0)))
            .collect(),
    )
}

fn wait_all(progress: &Progress, target: u64) {
    for p in progress.iter() {
        while p.load(Ordering::Acquire) < target {
            spin_loop();
        }
    }
}

/// One peer under test: publish `n` events, return when every consumer has them.
trait Pipe {
    fn run(&mut self, n: u64) -> Duration;
}

struct FixgateRing {
    producer: Option<fixgate_ring::Producer<Event>>,
    events: Vec<Event>,
    progress: Progress,
    total: u64,
    threads: Vec<JoinHandle<()>>,
}

impl FixgateRing {
    fn new(consumers: usize) -> FixgateRing {
        let (producer, subs) = channel::<Event>(RingConfig {
            capacity: CAPACITY,
            max_blocking: consumers,
            producer_wait: WaitStrategy::Spin,
        })
        .expect("capacity is a power of two");
        let progress = progress(consumers);
        let threads = (0..consumers)
            .map(|i| {
                let mut sub = subs.blocking(WaitStrategy::Spin).expect("a seat each");
                let progress = Arc::clone(&progress);
                thread::spawn(move || {
                    let mut count = 0u64;
                    loop {
                        match sub.recv_batch(256, |_, e| {
                            black_box(*e);
                        }) {
                            Ok(n) => {
                                count += n as u64;
                                progress[i].store(count, Ordering::Release);
                            }
                            Err(Closed) => return,
                        }
                    }
                })
            })
            .collect();
        FixgateRing {
            producer: Some(producer),
            events: events(),
            progress,
            total: 0,
            threads,
        }
    }
}

impl Pipe for FixgateRing {
    fn run(&mut self, n: u64) -> Duration {
        let producer = self.producer.as_mut().expect("running");
        let start = now();
        for i in 0..n {
            producer.publish(self.events[(i & 1023) as usize]);
        }
        self.total += n;
        wait_all(&self.progress, self.total);
        start.elapsed()
    }
}

impl Drop for FixgateRing {
    fn drop(&mut self) {
        self.producer = None;
        for t in self.threads.drain(..) {
            t.join().expect("consumer thread");
        }
    }
}

struct Rtrb {
    producer: rtrb::Producer<Event>,
    stop: Arc<AtomicBool>,
    events: Vec<Event>,
    progress: Progress,
    total: u64,
    thread: Option<JoinHandle<()>>,
}

impl Rtrb {
    fn new() -> Rtrb {
        let (producer, mut consumer) = rtrb::RingBuffer::<Event>::new(CAPACITY);
        let stop = Arc::new(AtomicBool::new(false));
        let progress = progress(1);
        let (stop2, progress2) = (Arc::clone(&stop), Arc::clone(&progress));
        let thread = thread::spawn(move || {
            let mut count = 0u64;
            loop {
                let n = consumer.slots();
                if n == 0 {
                    if stop2.load(Ordering::Acquire) {
                        return;
                    }
                    spin_loop();
                    continue;
                }
                for _ in 0..n {
                    if let Ok(e) = consumer.pop() {
                        black_box(e);
                    }
                }
                count += n as u64;
                progress2[0].store(count, Ordering::Release);
            }
        });
        Rtrb {
            producer,
            stop,
            events: events(),
            progress,
            total: 0,
            thread: Some(thread),
        }
    }
}

impl Pipe for Rtrb {
    fn run(&mut self, n: u64) -> Duration {
        let start = now();
        for i in 0..n {
            let mut e = self.events[(i & 1023) as usize];
            while let Err(rtrb::PushError::Full(back)) = self.producer.push(e) {
                e = back;
                spin_loop();
            }
        }
        self.total += n;
        wait_all(&self.progress, self.total);
        start.elapsed()
    }
}

impl Drop for Rtrb {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(t) = self.thread.take() {
            t.join().expect("consumer thread");
        }
    }
}

struct ArrayQ {
    queue: Arc<ArrayQueue<Event>>,
    stop: Arc<AtomicBool>,
    events: Vec<Event>,
    progress: Progress,
    total: u64,
    thread: Option<JoinHandle<()>>,
}

impl ArrayQ {
    fn new() -> ArrayQ {
        let queue = Arc::new(ArrayQueue::<Event>::new(CAPACITY));
        let stop = Arc::new(AtomicBool::new(false));
        let progress = progress(1);
        let (q2, stop2, progress2) = (Arc::clone(&queue), Arc::clone(&stop), Arc::clone(&progress));
        let thread = thread::spawn(move || {
            let mut count = 0u64;
            loop {
                let mut n = 0u64;
                while let Some(e) = q2.pop() {
                    black_box(e);
                    n += 1;
                }
                if n == 0 {
                    if stop2.load(Ordering::Acquire) {
                        return;
                    }
                    spin_loop();
                    continue;
                }
                count += n;
                progress2[0].store(count, Ordering::Release);
            }
        });
        ArrayQ {
            queue,
            stop,
            events: events(),
            progress,
            total: 0,
            thread: Some(thread),
        }
    }
}

impl Pipe for ArrayQ {
    fn run(&mut self, n: u64) -> Duration {
        let start = now();
        for i in 0..n {
            let mut e = self.events[(i & 1023) as usize];
            while let Err(back) = self.queue.push(e) {
                e = back;
                spin_loop();
            }
        }
        self.total += n;
        wait_all(&self.progress, self.total);
        start.elapsed()
    }
}

impl Drop for ArrayQ {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(t) = self.thread.take() {
            t.join().expect("consumer thread");
        }
    }
}

struct Disruptor {
    producer: Option<Box<dyn FnMut(Event)>>,
    events: Vec<Event>,
    progress: Progress,
    total: u64,
}

impl Disruptor {
    fn new() -> Disruptor {
        use disruptor::{build_single_producer, BusySpinWithSpinLoopHint, Producer, Sequence};
        let events = events();
        let progress = progress(2);
        let handler = |i: usize| {
            let progress = Arc::clone(&progress);
            let mut count = 0u64;
            move |e: &Event, _seq: Sequence, end_of_batch: bool| {
                black_box(*e);
                count += 1;
                if end_of_batch {
                    progress[i].store(count, Ordering::Release);
                }
            }
        };
        let first = events[0];
        let mut producer = build_single_producer(CAPACITY, move || first, BusySpinWithSpinLoopHint)
            .handle_events_with(handler(0))
            .handle_events_with(handler(1))
            .build();
        Disruptor {
            producer: Some(Box::new(move |e: Event| producer.publish(|slot| *slot = e))),
            events,
            progress,
            total: 0,
        }
    }
}

impl Pipe for Disruptor {
    fn run(&mut self, n: u64) -> Duration {
        let publish = self.producer.as_mut().expect("running");
        let start = now();
        for i in 0..n {
            publish(self.events[(i & 1023) as usize]);
        }
        self.total += n;
        wait_all(&self.progress, self.total);
        start.elapsed()
    }
}

fn bench_pipe(
    c: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    mut pipe: impl Pipe,
) {
    c.bench_function(name, |b| b.iter_custom(|n| pipe.run(n)));
}

fn spsc(c: &mut Criterion) {
    let mut g = c.benchmark_group("ring_spsc");
    g.throughput(Throughput::Elements(1));
    g.sample_size(20);
    bench_pipe(&mut g, "fixgate_blocking", FixgateRing::new(1));
    bench_pipe(&mut g, "rtrb", Rtrb::new());
    bench_pipe(&mut g, "crossbeam_array_queue", ArrayQ::new());
    g.finish();
}

fn broadcast(c: &mut Criterion) {
    let mut g = c.benchmark_group("ring_broadcast_1to2");
    g.throughput(Throughput::Elements(1));
    g.sample_size(20);
    bench_pipe(&mut g, "fixgate_blocking", FixgateRing::new(2));
    bench_pipe(&mut g, "disruptor", Disruptor::new());
    g.finish();
}

/// The per-event cost without a second thread: publish 512 events, then read
/// them back, on the bench thread. It leaves out the cross-core cache traffic,
/// so it is not a throughput figure, but it is what a machine without free
/// cores can still measure: the instructions each queue spends per event.
fn same_thread(c: &mut Criterion) {
    const BURST: usize = 512;
    let events = events();
    let mut g = c.benchmark_group("ring_same_thread_512");
    g.throughput(Throughput::Elements(BURST as u64));
    g.sample_size(20);
    {
        let (mut producer, subs) = channel::<Event>(RingConfig {
            capacity: CAPACITY,
            max_blocking: 1,
            producer_wait: WaitStrategy::Spin,
        })
        .expect("capacity is a power of two");
        let mut sub = subs.blocking(WaitStrategy::Spin).expect("a seat");
        g.bench_function("fixgate_blocking", |b| {
            b.iter(|| {
                for e in &events[..BURST] {
                    producer.publish(*e);
                }
                let mut n = 0;
                while n < BURST {
                    n += sub.poll_batch(BURST, |_, e| {
                        black_box(*e);
                    });
                }
            });
        });
    }
    {
        // The same, with publish stamps: the producer reads a TSC clock once
        // per `publish` (here once per event) and the reader loads each stamp.
        let (mut producer, subs) = channel::<Event>(RingConfig {
            capacity: CAPACITY,
            max_blocking: 1,
            producer_wait: WaitStrategy::Spin,
        })
        .expect("capacity is a power of two");
        let clock = Arc::new(TscClock::new());
        let stamp_clock = Arc::clone(&clock);
        producer.set_publish_clock(Some(Box::new(move || stamp_clock.raw().as_raw())));
        let mut sub = subs.blocking(WaitStrategy::Spin).expect("a seat");
        g.bench_function("fixgate_blocking_stamped", |b| {
            b.iter(|| {
                for e in &events[..BURST] {
                    producer.publish(*e);
                }
                let mut n = 0;
                while n < BURST {
                    n += sub.poll_batch_stamped(BURST, |_, published, e| {
                        black_box((published, *e));
                    });
                }
            });
        });
        // And one stamp per 512-event batch (`publish_batch`).
        g.bench_function("fixgate_blocking_stamped_batch", |b| {
            b.iter(|| {
                producer.publish_batch(&events[..BURST]);
                let mut n = 0;
                while n < BURST {
                    n += sub.poll_batch_stamped(BURST, |_, published, e| {
                        black_box((published, *e));
                    });
                }
            });
        });
    }
    {
        let (mut producer, mut consumer) = rtrb::RingBuffer::<Event>::new(CAPACITY);
        g.bench_function("rtrb", |b| {
            b.iter(|| {
                for e in &events[..BURST] {
                    producer.push(*e).expect("room for a burst");
                }
                for _ in 0..BURST {
                    black_box(consumer.pop().expect("pushed above"));
                }
            });
        });
    }
    {
        let queue = ArrayQueue::<Event>::new(CAPACITY);
        g.bench_function("crossbeam_array_queue", |b| {
            b.iter(|| {
                for e in &events[..BURST] {
                    queue.push(*e).expect("room for a burst");
                }
                for _ in 0..BURST {
                    black_box(queue.pop().expect("pushed above"));
                }
            });
        });
    }
    g.finish();
}

fn main() {
    support::print_environment("ring");
    let mut c = Criterion::default().configure_from_args();
    spsc(&mut c);
    broadcast(&mut c);
    same_thread(&mut c);
    c.final_summary();
}
