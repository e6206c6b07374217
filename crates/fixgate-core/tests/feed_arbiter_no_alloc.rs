//! The arbiter allocates nothing per packet: in order, out of order, on
//! duplicates, late packets (dropped and surfaced), gaps declared by the
//! timer and by a packet beyond the window, sequence resets, refused packets
//! and kernel drop counts. Only `Arbiter::new` allocates.
//!
//! Its own test binary because it installs the counting global allocator.

use fixgate_core::normalize::arbiter::{
    Action, Actions, Arbiter, ArbiterConfig, Arrival, LatePolicy, Line,
};
use fixgate_core::time::{MonoNanos, UtcNanos};
use fixgate_ring::alloc_count::{count_allocations, CountingAllocator};

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator;

fn drain(mut actions: Actions<'_, '_>) -> u64 {
    let mut n = 0;
    while let Some(a) = actions.next_action() {
        n += match a {
            Action::Deliver(d) | Action::Late(d) => d.payload.len() as u64,
            Action::Gap { first, last } => u64::from(last - first) + 1,
            Action::Reset { first, .. } => u64::from(first),
        };
    }
    n
}

fn workload(arb: &mut Arbiter, payload: &[u8], rounds: u32) -> u64 {
    let mut out = 0;
    let mut t = 0u64;
    let mut send = |arb: &mut Arbiter, line: Line, seq: u32, t: u64| -> u64 {
        let a = Arrival {
            line,
            seq,
            ts_recv: UtcNanos::from_nanos(t),
            payload,
        };
        match arb.handle_packet(MonoNanos::from_nanos(t), a) {
            Ok(actions) => drain(actions),
            Err(_) => 0,
        }
    };
    for round in 0..rounds {
        let base = 1_000_000 + round * 200;
        // In order on both lines.
        for s in base..base + 50 {
            t += 100;
            out += send(arb, Line::A, s, t);
            out += send(arb, Line::B, s, t + 10);
        }
        // Reordered within the window, A loses two, B fills one.
        for s in [base + 52, base + 51, base + 55, base + 53, base + 50] {
            t += 100;
            out += send(arb, Line::A, s, t);
        }
        out += send(arb, Line::B, base + 54, t + 5);
        // Both lose base + 56: the timer declares it.
        t += 100;
        out += send(arb, Line::A, base + 57, t);
        t += 3_000_000;
        out += drain(arb.handle_timeout(MonoNanos::from_nanos(t)));
        // A late copy (surfaced), then its duplicate.
        out += send(arb, Line::B, base + 56, t);
        out += send(arb, Line::A, base + 56, t);
        // A jump far beyond the window.
        out += send(arb, Line::A, base + 199, t + 1);
        t += 3_000_000;
        out += drain(arb.handle_timeout(MonoNanos::from_nanos(t)));
        arb.handle_kernel_drops(Line::B, 2);
    }
    // A sequence reset with packets waiting, then a too-long packet.
    t += 100;
    out += send(arb, Line::A, 5_000_000, t);
    out += send(arb, Line::A, 5_000_002, t);
    out += send(arb, Line::A, 1, t + 1);
    out
}

#[test]
fn arbitration_does_not_allocate() {
    let cfg = ArbiterConfig {
        late: LatePolicy::Surface,
        ..ArbiterConfig::cme()
    };
    let mut arb = Arbiter::new(cfg).unwrap();
    let payload = [7u8; 1_200];
    let too_long = [7u8; 1_501];
    // Warm up once (nothing is lazily allocated, but be fair to the counter).
    workload(&mut arb, &payload, 1);
    let (allocs, out) = count_allocations(|| {
        let mut out = workload(&mut arb, &payload, 50);
        let a = Arrival {
            line: Line::A,
            seq: 2,
            ts_recv: UtcNanos::EPOCH,
            payload: &too_long,
        };
        out += u64::from(arb.handle_packet(MonoNanos::ZERO, a).is_err());
        out
    });
    assert_eq!(allocs, 0, "the arbiter allocated {allocs} times");
    let c = arb.counters().channel;
    assert!(out > 0);
    assert!(c.gaps >= 100 && c.late >= 50 && c.duplicate >= 2_500 && c.recovered >= 50);
    assert_eq!((c.resets, c.too_long, c.kernel_drops), (2, 1, 102));
    println!(
        "feed_arbiter_no_alloc: {} accepted, {} duplicates, {} gaps, {} late, 0 allocations",
        c.accepted, c.duplicate, c.gaps, c.late
    );
}
