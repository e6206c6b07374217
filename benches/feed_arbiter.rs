//! A/B arbitration and sequencing per packet copy: `normalize::arbiter` on
//! interleaved line A and line B input, next to a straightforward baseline
//! (a `BTreeMap` reorder buffer with a copied `Vec` per waiting packet) on
//! the same input.
//!
//! Input: blocks of 10,000 packets, each sent on both lines (20,000 copies);
//! line B lags line A by 3 packets. Copies arrive 50 ns apart (the time
//! passed in). Inputs:
//!
//! - `clean`: every packet on both lines (one copy delivered, one duplicate);
//! - `loss_1pct`: each line independently loses 1 % of packets (seeded), so
//!   about 1 in 10,000 is lost on both and declared a gap after the 2 µs
//!   wait, and B fills A's holes from behind (the reorder path).
//!
//! One element is one copy: criterion's time per element is ns per copy
//! (twice that per packet). Each iteration continues the sequence, so the
//! arbiter never sees a reset. Payloads are 200 bytes, copied only when a
//! packet must wait. Compare rows of one run, not across machines.

mod support;

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use fixgate_core::normalize::arbiter::{Action, Arbiter, ArbiterConfig, Arrival, Line};
use fixgate_core::time::{MonoNanos, UtcNanos};

const PACKETS: u64 = 10_000;
const LAG: u64 = 3;
const STEP_NS: u64 = 50;
const WAIT_NS: u64 = 2_000;

/// (line, offset of the sequence number in the block) in arrival order.
fn input(loss_per_10k: u64, seed: u64) -> Vec<(Line, u64)> {
    let mut x = seed | 1;
    let mut keep = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % 10_000 >= loss_per_10k
    };
    let mut out = Vec::with_capacity(2 * PACKETS as usize);
    for k in 0..PACKETS + LAG {
        if k < PACKETS && keep() {
            out.push((Line::A, k));
        }
        if k >= LAG && keep() {
            out.push((Line::B, k - LAG));
        }
    }
    out
}

/// Runs one block through the arbiter; returns bytes delivered + gaps.
fn run_arbiter(
    arb: &mut Arbiter,
    input: &[(Line, u64)],
    base: u64,
    t0: u64,
    payload: &[u8],
) -> u64 {
    let mut out = 0;
    let mut now = t0;
    for &(line, k) in input {
        now += STEP_NS;
        let arrival = Arrival {
            line,
            seq: (base + k) as u32,
            ts_recv: UtcNanos::from_nanos(now),
            payload,
        };
        if let Ok(mut actions) = arb.handle_packet(MonoNanos::from_nanos(now), arrival) {
            while let Some(a) = actions.next_action() {
                out += match a {
                    Action::Deliver(d) => d.payload.len() as u64,
                    Action::Gap { first, last } => u64::from(last - first) + 1,
                    _ => 0,
                };
            }
        }
    }
    out
}

/// The baseline: next expected, a `BTreeMap` of waiting copies (each a new
/// `Vec`), duplicates dropped when behind `next` or already waiting, the
/// oldest hole declared when the earliest waiting copy is `WAIT_NS` old.
struct Baseline {
    next: Option<u64>,
    waiting: BTreeMap<u64, (u64, Vec<u8>)>,
}

impl Baseline {
    fn handle(&mut self, now: u64, seq: u64, payload: &[u8], out: &mut u64) {
        let next = *self.next.get_or_insert(seq);
        if seq < next || self.waiting.contains_key(&seq) {
            return;
        }
        if seq == next {
            *out += payload.len() as u64;
            self.next = Some(next + 1);
        } else {
            self.waiting.insert(seq, (now, payload.to_vec()));
        }
        self.drain(now, out);
    }

    fn drain(&mut self, now: u64, out: &mut u64) {
        loop {
            let Some(next) = self.next else { return };
            if let Some((_, p)) = self.waiting.remove(&next) {
                *out += p.len() as u64;
                self.next = Some(next + 1);
                continue;
            }
            let oldest = self.waiting.values().map(|(t, _)| *t).min();
            match (oldest, self.waiting.keys().next()) {
                (Some(t), Some(&first)) if now - t >= WAIT_NS => {
                    *out += first - next; // the gap
                    self.next = Some(first);
                }
                _ => return,
            }
        }
    }
}

fn bench(c: &mut Criterion) {
    support::print_environment("feed_arbiter");
    let payload = [0x5au8; 200];
    let mut group = c.benchmark_group("feed_arbiter");
    for (name, loss) in [("clean", 0), ("loss_1pct", 100)] {
        let input = input(loss, 42);
        group.throughput(Throughput::Elements(input.len() as u64));

        let mut arb = Arbiter::new(ArbiterConfig {
            max_wait_ns: WAIT_NS,
            ..ArbiterConfig::cme()
        })
        .unwrap();
        let mut base = 1u64;
        let mut t = 0u64;
        group.bench_function(format!("arbiter/{name}"), |b| {
            b.iter(|| {
                let out = run_arbiter(&mut arb, black_box(&input), base, t, &payload);
                base += PACKETS;
                t += (input.len() as u64 + 1) * STEP_NS + WAIT_NS;
                black_box(out)
            })
        });
        let c = arb.counters().channel;
        println!(
            "feed_arbiter/{name}: {} delivered, {} duplicates, {} gaps ({} lost), {} recovered",
            c.accepted, c.duplicate, c.gaps, c.lost, c.recovered
        );

        let mut baseline = Baseline {
            next: None,
            waiting: BTreeMap::new(),
        };
        let mut base = 1u64;
        let mut t = 0u64;
        group.bench_function(format!("baseline_btreemap/{name}"), |b| {
            b.iter(|| {
                let mut out = 0;
                let mut now = t;
                for &(_, k) in black_box(&input) {
                    now += STEP_NS;
                    baseline.handle(now, base + k, &payload, &mut out);
                }
                base += PACKETS;
                t = now + STEP_NS + WAIT_NS;
                black_box(out)
            })
        });
    }
    group.finish();
}

fn main() {
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    bench(&mut c);
    c.final_summary();
}
